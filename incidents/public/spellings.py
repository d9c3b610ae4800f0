"""How the public search compares a typed name with the names of places, areas and actors.

One fold for both sides (what is typed and what is stored), so that the spellings of one name compare
equal: case; Latin diacritics and Arabic harakat (strip_diacritics); the apostrophes and half rings
transliterations write for ʿayn and hamza (' ` ‘ ’ ʿ ʾ ʻ ʼ); Arabic letter variants (أ إ آ ٱ → ا, ة → ه,
ى → ي, Persian ی ک → ي ك, tatweel dropped: incidents.common.arabic_text.fold_arabic, which the
suggestions use too); any decimal digits (٢٠١٧, ۲۰۱۷) as 0-9 (incidents.common.numerals.western_digits);
doubled letters, ee → i, ou/oo → u; the article (al-, el-, ad-…, ال) before a word, and inside an Arabic
name written without its space (ديرالزور); and Abu / Albu / Bu (أبو / ابو / البو) before a name, alone or
joined to it, as one form.

A name matches in two tiers (`SpellingIndex.named`): first by its folded words (the whole name, or its
words in a row with the last as a prefix). Only when nothing at all matches that way does the consonant
skeleton of transliterations ("Hrabsh" ~ Harabsh) count, and then only the closest names by similarity:
`Mayadin` is a spelling of Al Mayādīn and never finds Maʿdān (both have the skeleton m-d-n).
"""

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from incidents.common.arabic_text import ARABIC_ARTICLE, fold_arabic
from incidents.common.names import ARABIC_ARTICLES, skeleton, strip_diacritics
from incidents.common.numerals import western_digits

MIN_PREFIX = 3  # shorter words match a name only as a whole word or alias ("IS", "al" would match hundreds)
MIN_SKELETON = 3  # consonants a transliteration must share ("Harbash" ~ "Harabsh": h-r-b-s)
MIN_FUZZY_CORE = 4  # letters a word needs before its skeleton counts at all
TOKEN = re.compile(r"[^\W_]+")
APOSTROPHES = re.compile(r"['`´‘’ʿʾʻʼ′]")
JOINED_LATIN_ARTICLE = re.compile(r"^(?:al|el)(?=\w{4})")  # "Almayadin", "Elmayadin"
LATIN_VOWELS = (("ee", "i"), ("oo", "u"), ("ou", "u"))
# "Abu", "Albu" (Āl Bū) and "Bu" before a name are written for one another in this region's names
# ("Abu Kamal", "Albu Kamal", "Al-Bukamal", أبو كمال, البو كمال, البوكمال are one town): one form, "bu",
# alone or joined to the name (found by a newcomer session: "Albu Kamal" found half of what "Abu Kamal" did).
LATIN_ABU = re.compile(r"^a(?:l)?bu(?=\w{3}|$)")
ARABIC_ABU = re.compile(r"^ا(?=بو(?:\w{3}|$))")
# An Arabic article inside a name written without its space ("ديرالزور" for "دير الزور"): a name's words run
# together also compare without it. Only between two letters or more on each side: "كمال", "شمال" keep theirs.
INNER_ARABIC_ARTICLE = re.compile(r"(?<=[\u0621-\u064a]{2})ال(?=[\u0621-\u064a]{2})")


def fold(text):
    """`text` with case, diacritics and harakat, apostrophes, Arabic letter variants and digits folded
    (see the module's docstring): "Al Mayādīn" -> "al mayadin", "إدلب" -> "ادلب", "٢٠١٧" -> "2017"."""
    text = strip_diacritics(western_digits(text or "")).casefold()
    return fold_arabic(APOSTROPHES.sub("", text))


def _word(token):
    token = ARABIC_ARTICLE.sub("", token)
    for pair, single in LATIN_VOWELS:
        token = token.replace(pair, single)
    token = re.sub(r"(.)\1+", r"\1", token)
    return ARABIC_ABU.sub("", LATIN_ABU.sub("bu", token))


def words(text):
    """The folded words of a name or a search, articles dropped (kept when a name is only articles)."""
    found = [_word(token) for token in TOKEN.findall(fold(text))]
    return [w for w in found if w not in ARABIC_ARTICLES] or found


@dataclass(frozen=True)
class Spelling:
    tokens: tuple
    cores: frozenset  # the words run together, and without a joined article ("almayadin" -> "mayadin")
    skeletons: frozenset  # of the whole spelling and of each tail of its words ("Deir ez-Zor", "Zor")

    @property
    def core(self):
        return "".join(self.tokens)


def spelling(text):
    """The Spelling of `text`, ready for `strong_match` and `weak_match`."""
    tokens = tuple(words(text))
    core = "".join(tokens)
    cores = {core, JOINED_LATIN_ARTICLE.sub("", core), INNER_ARABIC_ARTICLE.sub("", core)} if core else set()
    tails = {" ".join(tokens[i:]) for i in range(len(tokens))}
    return Spelling(tokens, frozenset(cores), frozenset(s for s in map(skeleton, tails) if len(s) >= MIN_SKELETON))


def strong_match(query, name):
    """Whether the search `query` (a Spelling) spells `name` (a Spelling): the same words run together,
    or, for a query of MIN_PREFIX letters or more, its words in a row in the name, the last a prefix."""
    if not query.tokens:
        return False
    if query.cores & name.cores:
        return True
    if len(query.core) < MIN_PREFIX:
        return False
    size = len(query.tokens)
    for start in range(len(name.tokens) - size + 1):
        run = name.tokens[start:start + size]
        if run[:-1] == query.tokens[:-1] and run[-1].startswith(query.tokens[-1]):
            return True
    return False


def weak_score(query, name):
    """0 when `query` does not share a consonant skeleton with `name`, else their similarity (1-100)."""
    if len(query.core) < MIN_FUZZY_CORE or not (query.skeletons & name.skeletons):
        return 0
    return max(1, fuzz.ratio(query.core, name.core))


@dataclass
class Entity:
    """A place, area or actor: its id, its spellings, the texts they came from (for the text search),
    and its names in each language (English name, Arabic name) that a search expands to."""

    id: int
    spellings: list
    texts: list = field(default_factory=list)
    names: list = field(default_factory=list)


def entity(pk, names, *others):
    """An Entity from its id, its names in each language ([name, name_ar], blanks allowed) and other
    spellings (a list or single values: variants, aliases)."""
    texts = [n for value in (*names, *others) for n in (value if isinstance(value, list) else [value]) if n]
    return Entity(pk, [spelling(t) for t in texts], texts, [n for n in names if n])


def named(kinds, text):
    """{kind: [Entity]} that `text` names, among `kinds` ({kind: [Entity]}).

    Tier one: every entity one of whose spellings strong_match-es. The names in both languages of each
    place and area so found are matched too (strongly), so a name typed in Arabic finds what its English
    name finds and the other way round (the search does not depend on the reader's language). Tier two,
    only when tier one finds nothing of any kind: the entities whose skeleton matches, keeping only the
    most similar (ties kept)."""
    query = spelling(text)
    found = {kind: [e for e in entities if any(strong_match(query, s) for s in e.spellings)]
             for kind, entities in kinds.items()}
    if any(found.values()):
        expanded = {spelling(n) for kind in ("places", "areas") for e in found.get(kind, []) for n in e.names}
        expanded.discard(query)
        for kind, entities in kinds.items():
            ids = {e.id for e in found[kind]}
            found[kind] += [e for e in entities if e.id not in ids
                            and any(strong_match(q, s) for q in expanded for s in e.spellings)]
        return found
    scored = {kind: [(max(weak_score(query, s) for s in e.spellings) if e.spellings else 0, e) for e in entities]
              for kind, entities in kinds.items()}
    best = max((score for pairs in scored.values() for score, _ in pairs), default=0)
    return {kind: [e for score, e in pairs if best and score == best] for kind, pairs in scored.items()}
