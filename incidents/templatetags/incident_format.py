"""Small presentation helpers for the public templates."""

from django import template

from django.conf import settings
from django.utils.translation import get_language, gettext

from incidents.common.typology import EVENT_TYPE_COLOURS, arabic_term

register = template.Library()


@register.filter
def event_colour(event_type):
    """The legend colour of an event type (the map and timeline use the same)."""
    return EVENT_TYPE_COLOURS.get(event_type, "#999999")


@register.filter
def in_reader_language(term):
    """An ACLED term (event type, sub-type, precision, actor category) or a status label in the page's
    language: Arabic from the typology's documented rendering (incidents/common/typology.py), else the
    translation catalogue; English pages get the term unchanged."""
    if term in (None, ""):
        return term
    if get_language() != "ar":
        return term
    rendered = arabic_term(term)
    return rendered if rendered != str(term) else gettext(str(term))


@register.filter
def area_name(area, field="name"):
    """A governorate's, district's or place's name in the page's language: its Arabic name on Arabic
    pages where we have one, else the English name. `area` is a model with name/name_ar, or a dict
    row with `<field>` and `<field>_ar`."""
    if area in (None, ""):
        return ""
    if isinstance(area, dict):
        english, arabic = area.get(field) or "", area.get(f"{field}_ar") or ""
    else:
        english, arabic = getattr(area, "name", "") or "", getattr(area, "name_ar", "") or ""
    return arabic if get_language() == "ar" and arabic else english


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@register.filter
def reader_digits(value):
    """Western digits (the default, as many Syrian outlets write them), or Arabic-Indic digits on
    Arabic pages when the ARABIC_INDIC_DIGITS setting is on."""
    if get_language() == "ar" and settings.ARABIC_INDIC_DIGITS:
        return str(value).translate(ARABIC_INDIC)
    return value
