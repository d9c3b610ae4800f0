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

from django.db.models import Case, Value, When
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


def spelling_rank(term, spellings):
    """How well `term` names something spelled as any of `spellings` (name, variants, Arabic name…):
    None for no match, else a sort key, lower is better: the same key, a key starting with the
    term, a key containing it, then consonant-skeleton and fuzzy matches by similarity."""
    key, fold, skel = _keys(term)
    if not key:
        return None
    best = None
    for spelling in spellings:
        other_key, other_fold, other_skel = _keys(spelling)
        similarity = fuzz.ratio(fold, other_fold) if fold and other_fold else 0
        if key == other_key:
            rank = (0, 0)
        elif other_key.startswith(key) or (fold and other_fold.startswith(fold)):
            rank = (1, -similarity)
        elif key in other_key:
            rank = (2, -similarity)
        elif (len(skel) >= 3 and (other_skel == skel or (len(skel) >= 4 and other_skel.startswith(skel)))) or \
                (len(fold) >= MIN_FUZZY and similarity >= FUZZY_FLOOR):
            rank = (3, -similarity)
        else:
            continue
        best = rank if best is None else min(best, rank)
    return best


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
        rows = list(queryset.values_list("pk", *self.spelling_fields))
        ranks = {row[0]: spelling_rank(term, _spellings(row[1:])) for row in rows}
        if not any(ranks.values()) and len(term.split()) > 1:
            words = term.split()
            ranks = {}
            for row in rows:
                per_word = [spelling_rank(word, _spellings(row[1:])) for word in words]
                ranks[row[0]] = None if None in per_word else max(per_word)
        matched = sorted((rank, pk) for pk, rank in ranks.items() if rank is not None)
        # Best match first: the autocomplete offers them in this order.
        order = Case(*[When(pk=pk, then=Value(position)) for position, (_, pk) in enumerate(matched)],
                     default=Value(len(matched)))
        return queryset.filter(pk__in=[pk for _, pk in matched]).order_by(order, "pk"), False


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
