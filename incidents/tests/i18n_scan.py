"""Latin words left in an Arabic page: what a reader of Arabic would see untranslated (issue 17).

A page's visible text is split into Latin words; a word is allowed when it comes from the data (ACLED
actor names, places as coded, article titles, quotes and outlets, user names), from ACLED's own
typology (shown in the filters' choices as ACLED writes them), or is a name that stays Latin in Arabic
text too (ACLED, UNHCR, GeoNames, CSV, GeoJSON, UTC…). Everything else is an untranslated string.
"""

import re

from incidents.common.typology import SUB_EVENT_TYPES
from incidents.models import Actor, Article, Incident, Source

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# Names and acronyms Arabic text keeps in Latin letters.
ALWAYS_LATIN = {"ACLED", "UNHCR", "GeoNames", "CC", "BY", "p", "code", "CSV", "GeoJSON", "UTC", "SHA", "APA",
                "BibTeX", "Leaflet", "OpenStreetMap", "DZI", "JSON", "Krippendorff", "e", "g", "km", "N", "E",
                "English", "DEMO", "contributors"}  # "© OpenStreetMap contributors": the tiles' credit
URL = re.compile(r"https?://\S+")
SETTING = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # a setting's name (EMBED_FRAME_ANCESTORS) stays as it is


def words(text):
    return set(LATIN_WORD.findall(text or ""))


def allowed_words(extra=()):
    """Latin words the data and ACLED's typology put on a page."""
    allowed = set(ALWAYS_LATIN)
    for text in extra:
        allowed |= words(text)
    for name, aliases in Actor.objects.values_list("name", "aliases"):
        allowed |= words(name) | words(" ".join(aliases or []))
    for row in Incident.objects.values_list("location", "notes", "source_text", "event_id_cnty", "tags"):
        allowed |= words(" ".join(str(value) for value in row if value))
    for row in Article.objects.values_list("title", "text", "byline", "url"):
        allowed |= words(" ".join(value for value in row if value))
    allowed |= words(" ".join(Source.objects.values_list("name", flat=True)))
    for event_type, subs in SUB_EVENT_TYPES.items():
        allowed |= words(event_type) | words(" ".join(subs))
    return allowed


def untranslated(text, allowed):
    """The Latin words of `text` that are not allowed, sorted."""
    return sorted(words(SETTING.sub(" ", URL.sub(" ", text or ""))) - allowed)
