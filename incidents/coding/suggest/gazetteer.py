"""A gazetteer learned from coded examples: every coded location name -> its point and areas.

The rules' gazetteer (Place rows an analyst curates) knows a few hundred names; each approved
incident and each imported ACLED row adds the name it was coded at, with its point and
governorate. A name is looked up in the text two ways, in order of trust:

1. folded: lower-case letters without diacritics or Arabic articles ("al-Tharda" = "Tharda");
2. skeleton: the consonant skeleton of a capitalised run, with d/t and z/s folded as Arabic's
   dh/th and z/s are transliterated ("Thiban" ~ "Dhiban"); only when the skeleton is at least
   MIN_SKELETON letters long, or one shorter right after "village of", "town of", "in"…, so
   short words never become places.

When several known names occur, the one the coders most often chose when it appeared wins
(chosen / seen in training, with one pseudo-count each way). A place the text names but the
gazetteer does not know is reported as unknown: there is no guess from elsewhere.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from incidents.coding.suggest.lexicon import NOT_PLACES, folded, skeleton
from incidents.coding.suggest.reasons import Reason

# The learned place's reason: (spelled as in the gazetteer?, examples to name?) -> message.
CODED_AT = {
    (True, False): gettext_lazy("“%(words)s”: coded at %(place)s in %(count)s earlier example(s)"),
    (True, True): gettext_lazy("“%(words)s”: coded at %(place)s in %(count)s earlier example(s), e.g. %(examples)s"),
    (False, False): gettext_lazy("“%(words)s” (spelled “%(place)s” in the gazetteer): coded at %(place)s in "
                                 "%(count)s earlier example(s)"),
    (False, True): gettext_lazy("“%(words)s” (spelled “%(place)s” in the gazetteer): coded at %(place)s in "
                                "%(count)s earlier example(s), e.g. %(examples)s"),
}

MAX_WORDS = 4
MIN_SKELETON = 4
PLACE_CUE = re.compile(r"\b(?:village|town|city|area|outskirts) of\s+$|\b(?:in|near|at)\s+$")
TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# "in the village of Thiban", "Maaraba town": a place the text names, known or not.
NAMED_PLACE = re.compile(r"\b(?:village|town|city|area|hamlet|neighbou?rhood) of ((?:[A-Z][\w'’-]+\s?){1,3})|"
                         r"\b((?:[A-Z][\w'’-]+\s){1,3})(?:village|town|city|hamlet)\b")

def loose_skeleton(name):
    return skeleton(name).replace("d", "t").replace("z", "s")


NOT_NAMES = {"the", "a", "an", "this", "that", "its", "his", "their", "old", "new"}


@dataclass
class Entry:
    name: str
    lon: float
    lat: float
    admin1: str = ""
    admin2: str = ""
    place_id: int = None  # the curated Place, when the coding named one
    chosen: int = 0  # training texts coded at this name
    seen: int = 0  # training texts in which the name occurs
    refs: list = field(default_factory=list)  # a few examples it was learned from

    @property
    def prior(self):
        return (self.chosen + 1) / (self.seen + 2)


@dataclass
class Found:
    entry: Entry
    surface: str
    start: int
    method: str  # folded | skeleton


class Gazetteer:
    def __init__(self):
        self.entries = {}  # folded key -> Entry
        self.by_skeleton = {}

    def add(self, name, lon, lat, admin1="", admin2="", place_id=None, ref=None, chosen=True):
        key = folded(name)
        if not key or lon is None or lat is None:
            return
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = Entry(name, float(lon), float(lat), admin1 or "", admin2 or "", place_id)
            sk = loose_skeleton(name)
            if len(sk) >= MIN_SKELETON - 1:
                self.by_skeleton.setdefault(sk, entry)
        if place_id and not entry.place_id:
            entry.place_id = place_id
        if chosen:
            entry.chosen += 1
            if ref and len(entry.refs) < 3:
                entry.refs.append(ref)

    def count_seen(self, texts):
        """How often each name occurs in the training texts (for the chosen/seen prior)."""
        for text in texts:
            for entry in {id(f.entry): f.entry for f in self.find(text)}.values():
                entry.seen += 1

    def find(self, text):
        """Known names in the text, longest first at each position, never overlapping."""
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        found, i = [], 0
        while i < len(tokens):
            hit = None
            for size in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                start, end = tokens[i][0], tokens[i + size - 1][1]
                surface = text[start:end]
                entry = self.entries.get(folded(surface))
                method = "folded"
                if entry is None and surface[:1].isupper() and not any(
                        w.casefold() in NOT_PLACES for _, _, w in tokens[i:i + size]):  # "Thursday" is no place
                    sk = loose_skeleton(surface)
                    cued = PLACE_CUE.search(text[max(0, start - 25):start])
                    entry = self.by_skeleton.get(sk) if len(sk) >= MIN_SKELETON - (1 if cued else 0) else None
                    method = "skeleton"
                if entry is not None:
                    hit = Found(entry, surface, start, method)
                    i += size
                    break
            if hit:
                found.append(hit)
            else:
                i += 1
        return found

    def choose(self, text):
        """(Entry or None, confidence, reasons): the learned place of a text; unknown stays unknown."""
        found = self.find(text)
        if not found:
            named = [(m.group(1) or m.group(2)).strip() for m in NAMED_PLACE.finditer(text)]
            if named:
                return None, 0.0, [Reason(gettext_lazy("“%(words)s” is not in the gazetteer: the place is unknown, "
                                                       "not guessed"), words=named[0])]
            return None, 0.0, [Reason(gettext_lazy("no known place named in the text"))]
        known = {folded(f.surface) for f in found}
        unknown = [n for n in ((m.group(1) or m.group(2)).strip() for m in NAMED_PLACE.finditer(text))
                   if not any(folded(n) in k or k in folded(n) for k in known)
                   and n.split()[0].casefold() not in NOT_NAMES]
        if unknown:
            return None, 0.0, [Reason(gettext_lazy("“%(words)s” is not in the gazetteer: the place is unknown, not "
                                                   "guessed (also named: %(places)s)"), words=unknown[0],
                                      places=sorted({f.entry.name for f in found}))]
        best = max(found, key=lambda f: (f.entry.prior, -f.start))
        entry = best.entry
        values = {"words": best.surface, "place": entry.name, "count": entry.chosen, "examples": list(entry.refs)}
        reasons = [Reason(CODED_AT[best.method == "folded", bool(entry.refs)], **values)]
        others = sorted({f.entry.name for f in found if f.entry is not entry})
        if others:
            reasons.append(Reason(gettext_lazy("also named: %(others)s; coders chose %(place)s %(count)s of %(seen)s "
                                               "times it appeared"), others=others, place=entry.name,
                                  count=entry.chosen, seen=entry.seen))
        confidence = round(entry.prior * (0.9 if best.method == "folded" else 0.75), 2)
        return entry, confidence, reasons
