"""Small presentation helpers for the public templates."""

from django import template

from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from incidents.common import dates, numerals, reader_text, typology
from incidents.common.arabic_names import name_in_reader_language
from incidents.public.table_rows import fatalities_html

register = template.Library()


@register.filter
def event_colour(event_type):
    """The legend colour of an event type (the map and timeline use the same)."""
    return typology.event_colour(event_type)


@register.filter
def in_reader_language(term):
    """An ACLED term (event type, sub-type, precision, actor category) or a status label in the page's
    language: Arabic from the typology's documented rendering (incidents/common/typology.py), else the
    translation catalogue; English pages get the term unchanged (reader_text.term_in_reader_language)."""
    return reader_text.term_in_reader_language(term)


@register.filter
def area_name(area, field="name"):
    """A governorate's, district's or place's name in the page's language (common.arabic_names
    .name_in_reader_language)."""
    return name_in_reader_language(area, field)


@register.filter
def reader_digits(value):
    """Text holding numbers (a date label, "51–100") with the reader's digits: Arabic-Indic on Arabic
    pages unless ARABIC_DIGITS=latn (incidents/common/numerals.py). Not for ids, URLs or form values."""
    if value in (None, ""):
        return value
    return numerals.reader_digits(value)


@register.filter
def reader_number(value, decimals=None):
    """A count or figure as the reader writes it, grouped: 2,742 / ٢٬٧٤٢; `decimals` places when given
    (``{{ x|reader_number:2 }}``). Replaces humanize's intcomma, which groups nothing in Arabic."""
    return numerals.reader_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def fatalities(row):
    """``{{ row|fatalities }}``: a row's best estimate of fatalities with the range the sources give,
    "7 (5–10)", "7 (at least 7)", "0 (up to 30)" (public.table_rows.fatalities_html)."""
    return fatalities_html(row)


@register.filter
def incident_ref(pk):
    """``{{ incident.pk|incident_ref }}``: "#3008" isolated as one left-to-right unit (a ``<bdi dir="ltr">``),
    so it reads the same inside Arabic text (incidents/common/reader_text.py). Every "#<id>" a page
    shows goes through here (tested: incidents/tests/review/test_arabic_references.py)."""
    return reader_text.incident_ref(pk)


@register.filter
def public_refs(incidents):
    """``{{ incidents|public_refs }}``: the incidents' public ids ("DZI12، DZI15" in Arabic), each isolated
    left to right like incident_ref, joined with the reader's list separator."""
    return reader_text.reader_list(format_html('<bdi class="incident-ref" dir="ltr">{}</bdi>', i.public_id)
                                   for i in incidents or ())


@register.filter
def reader_list(items):
    """``{{ names|reader_list }}``: items joined with the reader's list separator ("، " in Arabic)."""
    return reader_text.reader_list(items or ())


@register.simple_tag
def list_separator(strong=False):
    """``{% list_separator %}`` between items a template lists: "، " in Arabic, ", " in English;
    ``{% list_separator strong=True %}``: "؛ " / "; " (reader_text.list_separator)."""
    return reader_text.list_separator(strong)


@register.filter
def reader_day(day, end=None):
    """``{{ incident.date|reader_day:incident.date_end }}``: a day or a span as analyst pages show it
    (common.dates.reader_day)."""
    return dates.reader_day(day, end)
