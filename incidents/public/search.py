"""The word search shared by the dashboard's text filter and the admin's search box.

A word matches where a word of the text *starts* with it (`IED` finds "IED" and "IEDs", never
"verified"), in the summary or the place as coded, or where it names, however spelled, a place of
the gazetteer (name, variants, Arabic name), a governorate or district (name, aliases, Arabic name)
or an actor (name, aliases) of the incident: `Harbash` finds the incidents coded at Harabsh, `دير
الزور` those at Deir ez-Zor and in its governorate. Spellings are compared with
one fold on both sides (incidents.public.spellings: diacritics, harakat, apostrophes, Arabic letter
variants, digits, articles, doubled letters), exact spellings before transliterations, and a name in
either language finds what the other finds, whatever the reader's interface language.

Written for the indexes: the text conditions are regular expressions on UPPER(column), which the
trigram indexes of migration 0010 answer; names resolve first to ids in the small reference tables
(hundreds of rows, matched in Python and kept per content digest), then to foreign-key index scans
(docs/PERFORMANCE.md, Text search).
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, F, Lookup, Q, Value

from incidents.common.numerals import western_digits
from incidents.models import Actor, AdminArea, Incident, Place
from incidents.models.incident import own_public_id_lookup
from incidents.public.spellings import ARABIC_ARTICLE, MIN_PREFIX, entity, fold, named, spelling

MAX_WORDS = 10  # words of a search used
MAX_TEXT_SPELLINGS = 40  # other spellings of matched places and areas looked for in the text
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# An Arabic letter of a folded word (spellings.fold) and the letters written for it in a text.
_ARABIC_IN_TEXT = {"ا": "[اأإآٱ]", "ه": "[هة]", "ي": "[يىی]", "ك": "[كک]"}
# What may come before a word: the text's start, or a space, bracket, slash, quote or hyphen. More
# characters in this class (or a POSIX class) and pg_trgm gives up narrowing the index scan.
WORD_START = r'(?:^|[ (/"-])'


class _StartsWord(Lookup):
    """UPPER(column) ~* pattern: the form the trigram indexes on UPPER(column) answer."""

    lookup_name = "startsword"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"UPPER({lhs}::text) ~* {rhs}", [*lhs_params, *rhs_params]


def _are_escape(text):
    """Text as a literal in a PostgreSQL regular expression (ARE): every non-alphanumeric escaped."""
    return "".join(ch if ch.isalnum() else "\\" + ch for ch in text)


def word_start_pattern(words):
    """An ARE matching any of `words` at the start of a word; an Arabic word also after its article
    (و/ف/ب)ال, which Arabic writes joined to the word (`حرابش` finds "الحرابش"), and with any of the
    letter variants spellings.fold folds (أ إ آ ا, ة ه, ى ي), without harakat or tatweel in the word."""
    alternatives = []
    for word in words:
        bare = ARABIC_ARTICLE.sub("", fold(word))
        if _ARABIC.match(bare):
            # The letter variants of spellings.fold, so "إدلب" finds "ادلب" and "ادلب" finds "إدلب".
            alternatives.append("(?:[وفب]?ال)?" + "".join(_ARABIC_IN_TEXT.get(ch) or _are_escape(ch) for ch in bare))
        else:
            alternatives.append(_are_escape(word))
    # Not ARE's \m: pg_trgm cannot narrow its index scan with it ("IED" read the 238,375 rows holding
    # "carried"); a short list of the characters before a word can (0.4 ms; docs/PERFORMANCE.md, Text search).
    return WORD_START + "(?:" + "|".join(alternatives) + ")"


def _text_matches(words, columns=("notes", "location")):
    pattern = Value(word_start_pattern(words), output_field=CharField())
    condition = Q()
    for column in columns:
        condition |= Q(_StartsWord(F(column), pattern))
    return condition


class SpellingIndex:
    """The names of every place, governorate, district and actor, ready to be compared (spellings.py)."""

    def __init__(self):
        self.places = [entity(pk, [name, name_ar], variants)
                       for pk, name, name_ar, variants in Place.objects.values_list("id", "name", "name_ar", "variants")]
        self.areas = [entity(pk, [name, name_ar], aliases) for pk, name, name_ar, aliases
                      in AdminArea.objects.filter(level__in=[1, 2]).values_list("id", "name", "name_ar", "aliases")]
        self.actors = [entity(pk, [name], aliases) for pk, name, aliases in Actor.objects.values_list("id", "name", "aliases")]

    def named(self, text):
        """{"places", "areas", "actors": [Entity]} that `text` names (spellings.named)."""
        return named({"places": self.places, "areas": self.areas, "actors": self.actors}, text)


_INDEX = {}


def _digest():
    """A digest of every name the index reads: any edit (admin, loader, bulk update) changes it."""
    parts = [
        f"(SELECT md5(coalesce(string_agg(id || name || variants::text || name_ar, '|' ORDER BY id), '')) "
        f"FROM {Place._meta.db_table})",
        f"(SELECT md5(coalesce(string_agg(id || name || aliases::text || name_ar, '|' ORDER BY id), '')) "
        f"FROM {AdminArea._meta.db_table})",
        f"(SELECT md5(coalesce(string_agg(id || name || aliases::text, '|' ORDER BY id), '')) "
        f"FROM {Actor._meta.db_table})",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " || ".join(parts))
        return cursor.fetchone()[0]


def spelling_index():
    """The SpellingIndex of the current names (one per process, rebuilt when a name changes)."""
    digest = _digest()
    index = _INDEX.get(digest)
    if index is None:
        _INDEX.clear()
        index = _INDEX[digest] = SpellingIndex()
    return index


def _named(query_text, index, public_places=True):
    """Q for incidents at a place, in an area, or naming an actor that `query_text` names; None when
    it names nothing. With `public_places`, only places the public may see (Place.objects.public)."""
    found = index.named(query_text)
    places, areas, actors = found["places"], found["areas"], found["actors"]
    if places and public_places:  # the index holds every place; which are public changes without it
        public = set(Place.objects.public().filter(pk__in=[p.id for p in places]).values_list("pk", flat=True))
        places = [p for p in places if p.id in public]
    if not (places or areas or actors):
        return None
    # Foreign keys first: PostgreSQL tests an OR's terms in order, so a row of a matched area or actor
    # is kept before any regular expression runs on its text.
    condition = Q(pk__in=[])
    if places:
        condition |= Q(place__in=[p.id for p in places])
    if areas:
        ids = [a.id for a in areas]
        condition |= Q(admin1__in=ids) | Q(admin2__in=ids)
    if actors:
        ids = [a.id for a in actors]
        associated = [through.objects.filter(actor__in=ids).values("incident")
                      for through in (Incident.assoc_actors_1.through, Incident.assoc_actors_2.through)]
        condition |= Q(actor1__in=ids) | Q(actor2__in=ids) | Q(id__in=associated[0]) | Q(id__in=associated[1])
    if places or areas:
        # Rows coded before the gazetteer knew the place (imports) name it only in their text; and a
        # name typed in Arabic must find the summaries (written in English) its English name finds.
        spellings = sorted({t for e in places + areas for t in e.texts if len(t) >= MIN_PREFIX},
                           key=len)[:MAX_TEXT_SPELLINGS]
        if spellings:
            condition |= _text_matches(spellings)
    return condition


# "#12": how the pages and people refer to incident 12 (incidents.common.reader_text.incident_number), the
# number in its address (/incidents/12/); it names the incident whatever its public id.
HASH_NUMBER = re.compile(r"#(\d{1,18})")


def _own_id(word):
    matches = Q(event_id_cnty=word.upper())
    if (own := own_public_id_lookup(word)) is not None:
        matches |= own
    if found := HASH_NUMBER.fullmatch(word):
        matches |= Q(pk=int(found.group(1)))
    return matches


def incidents_matching_words(queryset, text, public_places=True):
    """The incidents of `queryset` that every word of `text` (the first MAX_WORDS) finds: at the start
    of a word of the summary or the place as coded, in the name of their place, area or actor however
    spelled (see the module's docstring), or as the incident's public id (ACLED's, or DZI<number>).

    A search of several words that names a place, area or actor as a whole ("دير الزور", "Deir ez-Zor",
    "Islamic State") also finds the incidents there or of that actor. Never raises on odd input.
    `public_places=False` (the admin) also reads the spellings of places the public does not see yet.
    """
    # Digits as 0-9 (٢٠١٧, DZI٣٠٠٨ in Arabic-Indic or Persian digits), as ids and summaries write them.
    words = western_digits((text or "").replace("\x00", "")).split()[:MAX_WORDS]
    if not words:
        return queryset
    index = spelling_index()
    each_word = Q()
    whole = _named(" ".join(words), index, public_places) if len(words) > 1 else None
    for word in words:
        condition = _own_id(word)
        if whole is None and (names := _named(word, index, public_places)) is not None:
            condition |= names
        each_word &= condition | _text_matches([word])
    return queryset.filter(whole | each_word if whole is not None else each_word)


def actors_named(term, among, limit=20):
    """Ids of the actors of `among` (ids) that `term` names, in name or any alias however spelled
    (spellings.named), best first: a name starting with the term, then the rest by name. An empty
    term gives none."""
    query = spelling(term or "")
    if not query.tokens:
        return []
    among = set(among)
    actors = named({"actors": [a for a in spelling_index().actors if a.id in among]}, term)["actors"]
    found = [(not actor.spellings[0].core.startswith(query.core), actor.texts[0].casefold(), actor.id)
             for actor in actors]
    return [pk for *_, pk in sorted(found)[:limit]]
