"""Pieces of text shown to a reader inside translated sentences: incident references and lists (issue 17).

Incident references ("#3008"). In right-to-left text the Unicode bidirectional algorithm gives the "#"
the direction of the Arabic around it while the digits stay left to right, so "الحادثة #3008" shows as
"الحادثة 3008#" and "#3008 Armed clash" breaks apart. A reference is therefore always isolated, as one
left-to-right unit (UAX #9, isolates): in HTML a ``<bdi dir="ltr">``, in plain text (messages, title
attributes, reasons) the isolates LRI … PDI on right-to-left pages. The number is an id: Western digits
in every language, as ids are everywhere (docs/ARABIC.md, Digits).

Lists. A list joined for a reader takes the language's list separator: "، " in Arabic, ", " in English
(the catalogue's "list separator" context, CLDR's listPatterns for ar and en). Exports, ids, logs and
commands keep ", ".

Template filters: ``incident_ref`` and ``reader_list`` (incidents/templatetags/incident_format.py).
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi, gettext, pgettext

from incidents.common.typology import arabic_term

LRI, PDI = "\u2066", "\u2069"


def incident_number(pk):
    """"#3008": how an incident (or article, proposal) is referred to by its id, in every language."""
    return f"#{pk}"


def incident_ref(pk):
    """HTML (SafeString) for a reference to record `pk` (an int or its text): ``<bdi class="incident-ref"
    dir="ltr">#3008</bdi>``, which reads "#3008" inside Arabic or English text alike."""
    return format_html('<bdi class="incident-ref" dir="ltr">{}</bdi>', incident_number(pk))


def incident_ref_text(pk):
    """Plain text for a reference to `pk`, for places that hold no markup (messages, title attributes,
    reasons): "#3008", between the isolates LRI and PDI when the active language is right to left."""
    return ltr_text(incident_number(pk))


def ltr_text(value):
    """Plain text for left-to-right data inside a sentence (an ISO day "2016-01-18", a parameter name,
    "#3008"): str(value) between LRI and PDI when the active language is right to left, so Arabic text
    around it neither reorders it nor is reordered by it; unchanged in English."""
    return f"{LRI}{value}{PDI}" if get_language_bidi() else str(value)


def term_in_reader_language(term):
    """An ACLED term (event type, sub-type, precision, actor category) or a status label in the page's
    language: Arabic from the typology's documented rendering (incidents/common/typology.py), else the
    translation catalogue; English pages get the term unchanged (None and "" as they are)."""
    if term in (None, ""):
        return term
    if get_language() != "ar":
        return term
    rendered = arabic_term(term)
    return rendered if rendered != str(term) else gettext(str(term))


def list_separator(strong=False):
    """The active language's list separator: "، " (Arabic comma) on Arabic pages, ", " in English; with
    `strong`, the one between items that hold commas themselves: "؛ " / "; "."""
    return pgettext("list separator", "; ") if strong else pgettext("list separator", ", ")


def reader_list(items):
    """`items` (any iterable; each str()-ed) joined with the reader's list separator. Markup-safe items
    (SafeString, such as incident_ref's) stay markup and the rest are escaped when any item is safe, so
    the result can go into HTML either way; all-plain lists give a plain str."""
    items = list(items)
    if any(hasattr(item, "__html__") for item in items):
        return mark_safe(conditional_escape(list_separator()).join(conditional_escape(item) for item in items))
    return list_separator().join(str(item) for item in items)


def html_message(message, **values):
    """A translated %-style `message` (e.g. ``_("Incident %(incident)s may duplicate %(others)s.")``) as
    HTML: its text and plain values escaped, markup-safe values (incident_ref, reader_list of them) kept.
    For messages and form errors that carry incident references."""
    return mark_safe(conditional_escape(str(message)) % {name: conditional_escape(value)
                                                           for name, value in values.items()})
