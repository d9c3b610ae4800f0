"""Admin search boxes and autocompletes that find names however they are spelled, and never fail.

Places, areas and actors are searched with the suggestions' own spelling-insensitive keys
(incidents.common.names.name_key, and incidents.coding.suggest.lexicon's folded form without
Arabic articles and consonant skeleton), so "Thiban" finds Dhībān, "Albukamal" Ālbū Kamāl,
"Hajeen" Hajīn and "ذيبان" the place whose Arabic name it is. The gazetteer and the actor list
are small (hundreds of rows), so every row's keys are compared in Python.

Every search term is first made safe: NUL characters (which PostgreSQL refuses in text) are
dropped and the term is cut to MAX_TERM characters, so any search box or autocomplete answers
with results or none, never a server error.
"""

from rapidfuzz import fuzz

from incidents.coding.suggest.lexicon import folded, skeleton
from incidents.common.names import name_key

MAX_TERM = 200  # characters of a search term used; names are far shorter
FUZZY_FLOOR = 80  # rapidfuzz ratio of folded forms ("thiban" ~ "dhiban" scores 83)
MIN_FUZZY = 4  # shorter terms are matched by their keys only


def safe_term(term):
    """A search term PostgreSQL accepts: without NUL characters or unpaired surrogates, at most MAX_TERM long."""
    term = (term or "").replace("\x00", "")[:MAX_TERM]
    return term.encode("utf-8", "ignore").decode("utf-8")


def _keys(text):
    return name_key(text), folded(text), skeleton(text)


def spelling_matches(term, spellings):
    """Whether `term` names something spelled as any of `spellings` (name, variants, Arabic name…)."""
    key, fold, skel = _keys(term)
    if not key:
        return False
    for spelling in spellings:
        other_key, other_fold, other_skel = _keys(spelling)
        if key in other_key or (fold and other_fold.startswith(fold)):
            return True
        if len(skel) >= 3 and (other_skel == skel or (len(skel) >= 4 and other_skel.startswith(skel))):
            return True
        if len(fold) >= MIN_FUZZY and other_fold and fuzz.ratio(fold, other_fold) >= FUZZY_FLOOR:
            return True
    return False


class SpellingSearchMixin:
    """For ModelAdmins whose `spelling_fields` hold names (text or arrays of text).

    The search box and the autocomplete both keep rows any of whose spellings match each word
    group of the term (the whole term first; failing that, every word on its own).
    """

    spelling_fields = ()

    def get_search_results(self, request, queryset, search_term):
        term = safe_term(search_term).strip()
        if not term:
            return queryset, False
        rows = queryset.values_list("pk", *self.spelling_fields)
        matched = [row[0] for row in rows if spelling_matches(term, _spellings(row[1:]))]
        if not matched and len(term.split()) > 1:
            words = term.split()
            matched = [row[0] for row in rows
                       if all(spelling_matches(word, _spellings(row[1:])) for word in words)]
        return queryset.filter(pk__in=matched), False


def _spellings(values):
    for value in values:
        if isinstance(value, (list, tuple)):
            yield from (v for v in value if v)
        elif value:
            yield str(value)


class SafeSearchMixin:
    """For every other ModelAdmin with a search box: the term is made safe (safe_term) first."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, safe_term(search_term))
