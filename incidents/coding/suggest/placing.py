"""Where an event happened: choosing among the places a sentence names.

A sentence often names several places ("in the district of Harbash in Deir ez-Zor suburb",
"the Harabsh district, adjacent to the military airport"). The event is placed at the most
specific place that is not only a landmark ("adjacent to X", "towards X"); words like "in
the vicinity of" or "countryside" lower the precision to "nearby", "province of" to the
governorate. Generic words ("the airbase") refer back to the airbase the article names.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from incidents.coding.suggest.arabic_words import forms_before
from incidents.coding.suggest.lexicon import Match
from incidents.coding.suggest.reasons import Reason
from incidents.common.arabic_text import entry_key, is_arabic
from incidents.common.typology import GeoPrecision
from incidents.models.places import POPULATED_PLACE

LANDMARK_CUES = ["adjacent to", "next to", "close to", "near", "towards", "toward", "from", "north of", "south of",
                 "east of", "west of", "around"]
NEARBY_CUES = ["vicinity of", "near", "adjacent to", "next to", "close to", "outskirts of", "towards", "toward",
               "around", "north of", "south of", "east of", "west of", "area of"]
NEARBY_AFTER = ["outskirts", "suburbs", "desert", "area"]
# "the eastern countryside of Deir ez-Zor" names a whole region, like "the province of".
BROAD_CUES = ["province of", "governorate of", "countryside of"]
BROAD_AFTER = ["province", "governorate", "countryside"]
# Generic nouns that refer to a place of a kind the article names elsewhere ("the airbase").
REFERENCES = {
    "airbase": re.compile(r"\b(?:military\s+)?(?:airbase|air base|airport|airfield)s?\b", re.I),
    "road": re.compile(r"\b(?:international\s+)?highway\b", re.I),
}
REFERENCE_RADIUS_KM = 30
# The same cues in Arabic, one word each, compared in their forms (arabic_words.forms: "بريف" is ب + ريف),
# among the ARABIC_REACH words before a name: "ريف دير الزور" names a region like "countryside of".
ARABIC_BROAD = {entry_key(w) for w in ("ريف", "محافظة", "أرياف")}
ARABIC_NEARBY = {entry_key(w) for w in ("قرب", "بالقرب", "محيط", "أطراف", "ضواحي", "بادية", "شمال", "جنوب", "شرق",
                                        "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "مشارف", "محيط")}
ARABIC_LANDMARK = {entry_key(w) for w in ("قرب", "بالقرب", "باتجاه", "اتجاه", "نحو", "شمال", "جنوب", "شرق", "غرب",
                                          "شمالي", "جنوبي", "شرقي", "غربي", "مقابل")}
ARABIC_REACH = 2
# How a reason names the generic place a REFERENCES word points to.
REFERENCE_KINDS = {"airbase": gettext_lazy("the airbase listed near %(place)s"),
                   "road": gettext_lazy("the road listed near %(place)s")}
# Place.point is SRID 4326 (degrees): every distance here is in degrees, converted from km at
# KM_PER_DEGREE (a degree of latitude; a degree of longitude is shorter at 35°N, so the radius
# errs wide, which a "nearby airbase" search can afford). Never a D(km=...) on these geometries:
# PostGIS refuses it on geographic DWithin (issue 14).
KM_PER_DEGREE = 111.0
OF_ANCHOR = re.compile(r"\s+of\s+(?:the\s+)?", re.I)
# A wire report's dateline: "MAYADIN, Syria (Reuters) —" or "DEIR EZ-ZOR -" before the first sentence.
# It says where the report was filed, not where the event happened (found by a newcomer session: the
# dateline town was chosen over the town the attack was in, at 0.95).
DATELINE_AFTER = re.compile(r"\s*(?:,\s*[A-Z][\w -]{1,30}?\s*)?(?:\([^)\n]{1,40}\)\s*)?[—–-]{1,2}\s")


def is_dateline(sentence, match):
    """Whether `match` is the dateline of a report: the sentence's first words, at the text's start,
    followed by an optional country and agency and a dash."""
    if match.first != 0 or sentence.start > 2:
        return False
    return bool(DATELINE_AFTER.match(sentence.text, match.end - sentence.start))


CUE_REACH = 5  # a cue may stand a few words before the name: "towards the regime-held strategic airbase"


def _words_before(sentence, match):
    """The words before a place name, back to the last comma or CUE_REACH words."""
    tokens = sentence.tokens[max(0, match.first - CUE_REACH):match.first]
    words = []
    for token in reversed(tokens):
        between = sentence.text[token.end - sentence.start:(words[0].start if words else match.start) - sentence.start]
        if "," in between or ";" in between:
            break
        words.insert(0, token)
    return " ".join(t.lower for t in words)


def _words_after(sentence, match, count=1):
    return " ".join(t.lower for t in sentence.tokens[match.last + 1:match.last + 1 + count])


def _arabic_cue(sentence, match, cues):
    """The Arabic cue word (as written) among the words just before an Arabic name, if any."""
    if not is_arabic(match.surface):
        return None
    before = forms_before(sentence, match.first, ARABIC_REACH)
    for offset, found in enumerate(before):
        if found & cues:
            return sentence.tokens[match.first - len(before) + offset].text
    return None


def _cue_in(words, cues):
    """The cue phrase found among the words before a name, if any."""
    padded = f" {words} "
    return next((cue for cue in cues if f" {cue} " in padded), None)


@dataclass
class PlaceChoice:
    match: Match  # the place words chosen (method says exact/transliteration/fuzzy/reference/context)
    precision: int
    reasons: list

    @property
    def place(self):
        return self.match.obj

    @property
    def confidence(self):
        base = {"reference": 0.65, "context": 0.45}.get(self.match.method, self.match.score * 0.95)
        return round(base - (0.15 if len(self.reasons) > 1 and "also the name" in self.reasons[-1] else 0), 2)


class PlaceResolver:
    """Place choices for one article: resolves ambiguous names and generic references."""

    def __init__(self, mentions_by_sentence, all_places):
        """`mentions_by_sentence`: sentence index -> the candidate lists of the places it names."""
        self.all_places = all_places
        unambiguous = [c[0].obj for found in mentions_by_sentence.values() for c in found if len(c) == 1]
        counts = Counter(p.admin1_id for p in unambiguous if p.admin1_id)
        self.focus_admin1 = counts.most_common(1)[0][0] if counts else None
        self.named = [(index, self.pick(candidates)) for index in sorted(mentions_by_sentence)
                      for candidates in mentions_by_sentence[index]]

    def pick(self, candidates):
        """One Match from an ambiguous name: in the article's governorate, else a curated place."""
        if len(candidates) == 1:
            return candidates[0]
        ranked = sorted(candidates, key=lambda m: (m.obj.admin1_id != self.focus_admin1,
                                                   m.obj.kind == POPULATED_PLACE, m.obj.pk))
        return ranked[0]

    def with_references(self, sentence, explicit, taken_spans):
        """Candidate places of a sentence: named ones plus generic words ('the airbase') resolved.

        "the airbase of Deir ez-Zor" is one reference anchored on Deir ez-Zor, not two places.
        """
        explicit = list(explicit)
        found = []
        for kind, pattern in REFERENCES.items():
            for m in pattern.finditer(sentence.text):
                start, end = sentence.start + m.start(), sentence.start + m.end()
                if any(start < e and s < end for s, e in taken_spans):
                    continue
                anchor = next((c for c in explicit if OF_ANCHOR.fullmatch(
                    self.text_between(sentence, end, c[0].start))), None)
                if anchor is not None:
                    explicit.remove(anchor)
                    end = anchor[0].end
                place, source = self.resolve_reference(kind, sentence.index, anchor and self.pick(anchor).obj)
                if place is None:
                    continue
                first, last = sentence.token_index_at(start), sentence.token_index_at(end) - 1
                surface = self.text_between(sentence, start, end)
                found.append([Match(place, start, end, first, last, surface, source, "reference", 0.65)])
        return explicit + found

    @staticmethod
    def text_between(sentence, start, end):
        return sentence.text[start - sentence.start:end - sentence.start]

    def resolve_reference(self, kind, index, anchor=None):
        named = [(i, m) for i, m in self.named if m.obj.kind == kind and (
            anchor is None or m.obj.point.distance(anchor.point) * KM_PER_DEGREE <= REFERENCE_RADIUS_KM)]
        before = [m for i, m in named if i <= index]
        after = [m for i, m in named if i > index]
        if before:
            return before[-1].obj, Reason(gettext_lazy("named earlier as “%(words)s”"), words=before[-1].surface)
        if after:
            return after[0].obj, Reason(gettext_lazy("named later as “%(words)s”"), words=after[0].surface)
        anchor = anchor or next((m.obj for i, m in self.named if m.obj.kind != kind), None)
        if anchor is not None:
            near = self.all_places.filter(kind=kind, point__dwithin=(anchor.point, REFERENCE_RADIUS_KM / KM_PER_DEGREE))
            nearest = min(near, key=lambda p: p.point.distance(anchor.point), default=None)
            if nearest is not None:
                return nearest, Reason(REFERENCE_KINDS[kind], place=anchor)
        return None, ""

    @staticmethod
    def outside_the_region(sentence, candidates):
        """The inexact candidates (transliteration, fuzzy) of places outside every governorate the sentence
        names as a region ("on Kabani axis in Lattakia countryside": not Kobani, in Aleppo governorate), and
        those regions' names. Issue 14: a place named but unknown is said to be unknown, not guessed in
        another governorate. Returns ([candidate list], [region name])."""
        regions = {}
        for candidate in candidates:
            match = candidate[0]
            after = _words_after(sentence, match)
            if match.method == "exact" and match.obj.admin1_id and (
                    after in BROAD_AFTER or _cue_in(_words_before(sentence, match), BROAD_CUES)):
                regions[match.obj.admin1_id] = match.surface
        if not regions:
            return [], []
        return ([c for c in candidates if c[0].method in ("transliteration", "fuzzy")
                 and all(m.obj.admin1_id and m.obj.admin1_id not in regions for m in c)], list(regions.values()))

    def choose(self, sentence, trigger, candidates):
        """The place for an event whose trigger words are `trigger`, from a sentence's candidate places."""
        refused, regions = self.outside_the_region(sentence, candidates)
        candidates = [c for c in candidates if c not in refused]
        if not candidates:
            return None
        scored = []
        for candidate in candidates:
            match = self.pick(candidate)
            before, after = _words_before(sentence, match), _words_after(sentence, match)
            province = (_cue_in(before, BROAD_CUES) or (after in BROAD_AFTER and after)
                        or _arabic_cue(sentence, match, ARABIC_BROAD))
            landmark = _cue_in(before, LANDMARK_CUES) or _arabic_cue(sentence, match, ARABIC_LANDMARK)
            dateline = is_dateline(sentence, match)
            rank = (dateline, bool(province), bool(landmark), match.obj.geo_precision, match.obj.kind == "city",
                    abs(match.first - trigger.first))
            scored.append((rank, match, before, after, province, landmark, len(candidate)))
        rank, match, before, after, province, landmark, alternatives = min(scored, key=lambda s: s[0])
        dateline = rank[0]
        reasons = [match.describe() if match.method != "reference"
                   else Reason(gettext_lazy("“%(words)s” refers to %(place)s (%(how)s)"), words=match.surface,
                               place=match.obj, how=match.entry)]
        precision = match.obj.geo_precision
        nearby = (_cue_in(before, NEARBY_CUES) or (after in NEARBY_AFTER and after)
                  or _arabic_cue(sentence, match, ARABIC_NEARBY))
        if province:
            precision = GeoPrecision.GOVERNORATE
            reasons.append(Reason(gettext_lazy("“%(words)s”: only the wider region is given"), words=province))
        elif nearby and precision < GeoPrecision.DISTRICT:
            precision = GeoPrecision.DISTRICT
            reasons.append(Reason(gettext_lazy("“%(words)s”: near the place, not at it"), words=nearby))
        if dateline:
            reasons.append(Reason(gettext_lazy("the report's dateline, where it was filed: no other place in the "
                                               "sentence")))
        others = [Reason(gettext_lazy("%(place)s (the dateline, where the report was filed)"), place=s[1].obj)
                  if s[0][0] else
                  Reason(gettext_lazy("%(place)s (“%(words)s …”, a landmark)"), place=s[1].obj, words=s[5]) if s[5]
                  else s[1].obj for s in scored if s[1].obj != match.obj]
        if others:
            reasons.append(Reason(gettext_lazy("more specific than %(places)s"), places=list(dict.fromkeys(others))))
        if alternatives > 1:
            reasons.append(Reason(gettext_lazy("“%(words)s” is also the name of %(count)s other place(s); chose "
                                               "the one in the article's governorate"), words=match.surface,
                                  count=alternatives - 1))
        for candidate in refused:
            reasons.append(Reason(gettext_lazy("“%(words)s” is not taken for %(place)s: the text places the event in "
                                               "%(region)s"), words=candidate[0].surface, place=candidate[0].obj,
                                  region=list(regions)))
        return PlaceChoice(match, precision, reasons)

    @staticmethod
    def carried_over(previous):
        """No place in the sentence: the event happened where the text last placed things."""
        match = Match(previous.place, previous.match.start, previous.match.end, -1, -1, previous.match.surface,
                      previous.match.entry, "context", 0.45)
        return PlaceChoice(match, max(previous.precision, GeoPrecision.DISTRICT),
                           [Reason(gettext_lazy("no place in the sentence: %(place)s, where the text last placed "
                                                "events"), place=previous.place)])
