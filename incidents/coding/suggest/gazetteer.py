"""A gazetteer learned from coded examples: every coded location name -> its point and areas.

The rules' gazetteer (Place rows an analyst curates) knows a few hundred names; each approved
incident and each imported ACLED row adds the name it was coded at, with its point and
governorate. A name is looked up in the text two ways, in order of trust:

1. folded: lower-case letters without diacritics or Arabic articles ("al-Tharda" = "Tharda");
2. skeleton: the consonant skeleton of a capitalised run, with d/t and z/s folded as Arabic's
   dh/th and z/s are transliterated ("Thiban" ~ "Dhiban"); only when the skeleton is at least
   MIN_SKELETON letters long, or one shorter right after "village of", "town of", "in"…, so
   short words never become places.

A name is only taken in a governorate the text names, when it names one ("in Momtaneh in
Quneitra" is not Al Mayadin in Deir ez-Zor, whatever the consonants say; "Sabkha in Deir-ez-Zor"
is not GeoNames' As Sabkhah in Raqqa): issue 14's rule, a place named but unknown is said to be
unknown, never guessed from another governorate. A skeleton match also needs most letters alike
(ALIKE): "Hejneh" is another village than Hajin.

A coded name is also known by the forms the notes use for it: the part before " - " of ACLED's
"Bishri Mountain - Deir-ez-Zor", and "Jurdi al-Sharqi" or plain "Jurdi" for "Eastern Jurdi"
(Arabic puts the direction after the name). A curated place of the same name far from where the
coders put it (GeoNames' As Sabkhah in Raqqa for Deir ez-Zor's Al Sabkhah) does not replace the
coders' point.

When several known names occur, the one the coders most often chose when it appeared wins
(chosen / seen in training, with one pseudo-count each way). A place the text names but the
gazetteer does not know is reported as unknown: there is no guess from elsewhere.
"""

import math
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

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

# "Eastern Jurdi" is "Jurdi al-Sharqi" in Arabic word order (the direction after the name).
DIRECTIONS = {"eastern": "sharqi", "western": "gharbi", "northern": "shamali", "southern": "janubi"}
SAME_PLACE_KM = 10  # a curated place farther than this from the coders' point is another place
ALIKE = 0.65  # share of letters two spellings of one name have in common (difflib ratio of the folded forms)


def loose_skeleton(name):
    return skeleton(name).replace("d", "t").replace("z", "s")


def other_forms(name, admin1=""):
    """The other ways notes write a coded location name (see the module docstring), without `name`.
    Only a governorate after " - " is dropped: in "Dar'a - Al-Sad" the part after is the place."""
    forms = []
    base, _, after = name.partition(" - ")
    if after and admin1 and loose_skeleton(after) == loose_skeleton(admin1):
        forms.append(base.strip())
    else:
        base = name
    first, _, rest = base.partition(" ")
    if first.casefold() in DIRECTIONS and rest:
        forms += [f"{rest} {DIRECTIONS[first.casefold()]}", rest]
    return forms


def governorate_keys(name):
    """Keys under which a governorate's spellings meet: the folded name with doubled letters single
    ("Dara'a", "Dar'a", "Dara": dara) and its loose consonant skeleton ("Hasakeh", "Al-Hasakah")."""
    keys = [re.sub(r"(.)\1+", r"\1", folded(name))]
    sk = loose_skeleton(name)
    return keys + ["~" + sk] if len(sk) >= 3 else keys


def inside(admin1, regions):
    """Whether governorate `admin1` is one of `regions` (loose skeletons, Gazetteer.governorates_named);
    "Rural Damascus" is inside "Damascus countryside": one skeleton holds the other."""
    own = loose_skeleton(admin1 or "")
    return any(own and (own in r or r in own) for r in regions)


def spelled_alike(a, b):
    """Whether two names sharing a consonant skeleton also share most letters ("Thiban"/"Dhiban",
    "Hajeen"/"Hajin": yes; "Hejneh"/"Hajin", "Bishri"/"Basira": no, other villages)."""
    return SequenceMatcher(None, folded(a), folded(b)).ratio() >= ALIKE


def km_apart(lon1, lat1, lon2, lat2):
    """Rough distance in km between two WGS84 points (equirectangular; fine within a country)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


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
        # A text coded here may spell the name in a way `find` does not know: seen is at least chosen.
        return (self.chosen + 1) / (max(self.seen, self.chosen) + 2)


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
        self.governorates = {}  # folded spelling of a governorate -> its loose skeleton

    def add(self, name, lon, lat, admin1="", admin2="", place_id=None, ref=None, chosen=True):
        """Learn that `name` is at (lon, lat) in degrees WGS84; chosen=False for a curated name the coders
        did not choose (it counts as known, not as coded)."""
        key = folded(name)
        if not key or lon is None or lat is None:
            return
        if admin1:
            for spelling in governorate_keys(admin1):
                self.governorates.setdefault(spelling, loose_skeleton(admin1))
        entry = self.entries.get(key)
        if entry is not None and not chosen and entry.chosen and \
                km_apart(entry.lon, entry.lat, float(lon), float(lat)) > SAME_PLACE_KM:
            return  # a namesake elsewhere: the coders' point stands
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
            for form in other_forms(name, admin1):
                self.entries.setdefault(folded(form), entry)

    def outside_named_governorates(self, text, admin1):
        """Whether governorate `admin1` (any spelling) is none of those the text names; False when the
        text names none. "Rural Damascus" is inside "Damascus countryside" (one skeleton holds the other)."""
        regions = self.governorates_named([(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)])
        return bool(regions) and not inside(admin1, regions)

    def governorates_named(self, tokens):
        """Loose skeletons of the governorates a text's tokens name ("in Deir-ez-Zor", "As-Sweida")."""
        named = getattr(self, "governorates", {})
        spans = (" ".join(w for _, _, w in tokens[i:i + size]) for size in (1, 2, 3) for i in range(len(tokens) - size + 1))
        return {named[key] for span in spans if span[:1].isupper() for key in governorate_keys(span) if key in named}

    def count_seen(self, texts):
        """How often each name occurs in the training texts (for the chosen/seen prior)."""
        for text in texts:
            for entry in {id(f.entry): f.entry for f in self.find(text)}.values():
                entry.seen += 1

    def find(self, text):
        """Known names in the text, longest first at each position, never overlapping."""
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        regions = self.governorates_named(tokens)
        found, i = [], 0
        while i < len(tokens):
            hit = None
            for size in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                start, end = tokens[i][0], tokens[i + size - 1][1]
                surface = text[start:end]
                entry = self.entries.get(folded(surface))
                if entry is not None and regions and not inside(entry.admin1, regions):
                    entry = None  # a namesake in another governorate than the text names ("Sabkha" in Raqqa)
                method = "folded"
                if entry is None and surface[:1].isupper() and not any(
                        w.casefold() in NOT_PLACES for _, _, w in tokens[i:i + size]):  # "Thursday" is no place
                    sk = loose_skeleton(surface)
                    cued = PLACE_CUE.search(text[max(0, start - 25):start])
                    entry = self.by_skeleton.get(sk) if len(sk) >= MIN_SKELETON - (1 if cued else 0) else None
                    if entry is not None and (regions and not inside(entry.admin1, regions)
                                              or not spelled_alike(surface, entry.name)):
                        entry = None  # a look-alike in another governorate, or other vowels: another place
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
