"""The analysts' dictionaries, as matchers over sentences: places, actors and event rules.

All three are database rows analysts edit in the admin (Place.variants, Actor.aliases,
EventRule.keywords); this module only reads them. Each match says which words of the
text matched which dictionary entry and how, so the analyst can judge it.

Places are looked up, in order of trust:
1. exact: the words' name_key equals the key of the name or a variant ("Deir Ezzor");
2. transliteration: the same consonant skeleton once vowels, articles and spelling
   pairs (sh/s, q/k…) are folded ("Dayr az Zawr" ~ "Deir ez-Zor", "Harbash" ~ "Harabsh"),
   confirmed by a rapidfuzz similarity floor;
3. fuzzy: rapidfuzz similarity of at least FUZZY_CUTOFF to a name (typos: "Mayadeen").
Only capitalised words are tried for 2 and 3, so ordinary words never become places.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy, gettext_noop
from rapidfuzz import fuzz, process

from incidents.coding.suggest.arabic_words import ArabicIndex, introduced_place, negated
from incidents.coding.suggest.reasons import Reason
from incidents.common.arabic_text import is_arabic

# The spelling keys live with name_key, so the public search uses the same ones (re-exported here).
from incidents.common.names import ARABIC_ARTICLES, SPELLING_PAIRS, folded, name_key, skeleton, strip_diacritics  # noqa: F401
from incidents.models import Actor, EventRule, Place
from incidents.models.double_coding import without_hidden_records

MIN_KEY_LENGTH = 4  # GeoNames lists "Bab", "Tal", "Dam"… as variants: too short to trust in prose
FUZZY_CUTOFF = 88
MAX_FUZZY_WORDS = 4
# Capitalised words that start sentences or name days; never tried as fuzzy places.
NOT_PLACES = {"the", "a", "an", "also", "last", "over", "after", "before", "during", "speaking", "supported",
              "according", "local", "meanwhile", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december", "syria", "syrian", "iraq", "iraqi", "news", "in",
              "on", "at", "on", "it", "this", "they", "he", "she", "we", "but", "and", "activists", "sources"}


def is_acronym(alias):
    letters = re.sub(r"[^\w]", "", alias)
    return letters.isupper() and len(letters) <= 6


@dataclass
class Match:
    obj: object  # Place, Actor or EventRule
    start: int  # article offsets of the matched words
    end: int
    first: int  # token indices within the sentence
    last: int
    surface: str  # the words as written in the article
    entry: str  # the dictionary name, variant, alias or keyword that matched
    method: str  # exact | transliteration | fuzzy | keyword | reference | context
    score: float  # 0..1, how sure the match itself is

    def describe(self):
        """Why these words are this actor or place (a Reason, translated where a page shows it)."""
        if self.method == "exact" and (name_key(self.surface) == name_key(str(self.obj))
                                       or self.entry == getattr(self.obj, "name_ar", None)):  # its Arabic name
            return Reason(gettext_lazy("“%(words)s” is %(name)s"), words=self.surface, name=self.obj)
        if self.method == "exact":
            return Reason(gettext_lazy("“%(words)s” is a listed spelling of %(name)s (“%(entry)s”)"),
                          words=self.surface, name=self.obj, entry=self.entry)
        if self.method == "transliteration":
            return Reason(gettext_lazy("“%(words)s” is a transliteration of %(name)s (like “%(entry)s”)"),
                          words=self.surface, name=self.obj, entry=self.entry)
        if self.method == "fuzzy":
            return Reason(gettext_lazy("“%(words)s” resembles %(name)s (“%(entry)s”, %(percent)s%% similar)"),
                          words=self.surface, name=self.obj, entry=self.entry, percent=round(self.score * 100))
        return Reason(gettext_lazy("“%(words)s” → %(name)s"), words=self.surface, name=self.obj)


class NameIndex:
    """Exact lookup of n-word spans by name_key; acronyms only in their own capitals."""

    def __init__(self):
        self.by_key = defaultdict(list)
        self.max_words = 1

    def add(self, entry, obj):
        key = name_key(entry)
        if not key or is_arabic(entry):
            return  # Arabic entries: arabic_words.ArabicIndex, which reads clitics and letter variants
        self.by_key[key].append((entry, obj))
        self.max_words = min(12, max(self.max_words, len(re.findall(r"[^\W_]+", entry))))

    def lookup(self, surface):
        found = []
        for entry, obj in self.by_key.get(name_key(surface), []):
            if is_acronym(entry) and re.sub(r"[^\w]", "", surface) != re.sub(r"[^\w]", "", entry):
                continue
            found.append((entry, obj))
        return found


def _span(sentence, first, last):
    start, end = sentence.tokens[first].start, sentence.tokens[last].end
    return start, end, sentence.text[start - sentence.start:end - sentence.start]


def _arabic_matches(index, sentence, taken):
    """Leftmost-longest matches of an ArabicIndex, as _longest_exact gives them."""
    found = []
    for first, last, hits in index.find_longest(sentence, taken):
        start, end, surface = _span(sentence, first, last)
        found.append((first, last, start, end, surface, hits))
    return found


def _longest_exact(index, sentence, accept, taken):
    """Leftmost-longest exact matches that `accept` allows, skipping token positions in `taken`."""
    matches, i, tokens = [], 0, sentence.tokens
    while i < len(tokens):
        for n in range(min(index.max_words, len(tokens) - i), 0, -1):
            if any(j in taken for j in range(i, i + n)):
                continue
            start, end, surface = _span(sentence, i, i + n - 1)
            hits = [(entry, obj) for entry, obj in index.lookup(surface) if accept(entry, surface)]
            hits = list({obj.pk: (entry, obj) for entry, obj in reversed(hits)}.values())[::-1]
            if hits:
                matches.append((i, i + n - 1, start, end, surface, hits))
                i += n
                break
        else:
            i += 1
    return matches


class ActorLexicon:
    def __init__(self, actors):
        self.actors = list(actors)
        self.index, self.arabic = NameIndex(), ArabicIndex()
        for actor in self.actors:
            for entry in [actor.name, *actor.aliases]:
                self.index.add(entry, actor)
                self.arabic.add(entry, actor)

    @classmethod
    def load(cls, actors=None):
        return cls(Actor.objects.all() if actors is None else actors)

    def find(self, sentence):
        found = []
        latin = _longest_exact(self.index, sentence, lambda e, s: True, set())
        taken = {i for hit in latin for i in range(hit[0], hit[1] + 1)}
        for first, last, start, end, surface, hits in latin + _arabic_matches(self.arabic, sentence, taken):
            entry, actor = hits[0]
            found.append(Match(actor, start, end, first, last, surface, entry, "exact", 1.0))
        return sorted(found, key=lambda m: m.start)


class PlaceLexicon:
    def __init__(self, places):
        self.places = list(places)
        self.index, self.arabic = NameIndex(), ArabicIndex()
        self.by_skeleton = defaultdict(list)
        self.fuzzy_names, self.fuzzy_entries = [], []
        for place in self.places:
            for entry in dict.fromkeys([place.name_ar, *place.variants]):
                if entry:
                    self.arabic.add(entry, place)  # the gazetteer's Arabic name and Arabic variants
            for entry in dict.fromkeys([place.name, *place.variants]):
                if len(name_key(entry)) < MIN_KEY_LENGTH:
                    continue
                self.index.add(entry, place)
                bones = skeleton(entry)
                if len(bones) >= 3:
                    self.by_skeleton[bones].append((entry, place))
                if len(folded(entry)) >= 6:
                    self.fuzzy_names.append(folded(entry))
                    self.fuzzy_entries.append((entry, place))

    @classmethod
    def load(cls, places=None):
        return cls((Place.objects.all() if places is None else places).select_related("admin1", "admin2"))

    @staticmethod
    def _accept(entry, surface):
        # Lower-case prose ("the highway") only matches variants written in lower case on purpose.
        return surface[:1].isupper() or entry[:1].islower()

    def find(self, sentence, taken=()):
        """Place mentions in a sentence, as lists of candidate Matches (ambiguous names give several)."""
        taken = set(taken)
        found = []
        for first, last, start, end, surface, hits in _longest_exact(self.index, sentence, self._accept, taken):
            found.append([Match(place, start, end, first, last, surface, entry, "exact", 1.0)
                          for entry, place in hits])
            taken.update(range(first, last + 1))
        for first, last, start, end, surface, hits in _arabic_matches(self.arabic, sentence, taken):
            if not (" " in hits[0][0].strip() or introduced_place(sentence, first)):
                continue  # "الكرامة", "التل", "الباب" are also words: a one-word name needs "في", "بلدة"…
            found.append([Match(place, start, end, first, last, surface, entry, "exact", 1.0)
                          for entry, place in hits])
            taken.update(range(first, last + 1))
        found.extend(self._find_inexact(sentence, taken))
        return sorted(found, key=lambda candidates: candidates[0].start)

    def _capitalised_runs(self, sentence, taken):
        """Runs of capitalised words (articles such as 'az' may sit inside): candidate names."""
        runs, current = [], []
        for i, token in enumerate(sentence.tokens):
            inside = current and token.lower in ARABIC_ARTICLES
            if i not in taken and (token.is_capitalised and token.lower not in NOT_PLACES or inside):
                current.append(i)
                continue
            if current:
                runs.append(current)
            current = []
        if current:
            runs.append(current)
        return runs

    def _find_inexact(self, sentence, taken):
        found = []
        for run in self._capitalised_runs(sentence, taken):
            i = 0
            while i < len(run):
                for n in range(min(MAX_FUZZY_WORDS, len(run) - i), 0, -1):
                    first, last = run[i], run[i + n - 1]
                    if sentence.tokens[last].lower in ARABIC_ARTICLES:
                        continue
                    candidates = self._inexact(sentence, first, last)
                    if candidates:
                        found.append(candidates)
                        i += n
                        break
                else:
                    i += 1
        return found

    def _inexact(self, sentence, first, last):
        start, end, surface = _span(sentence, first, last)
        bones, word = skeleton(surface), folded(surface)
        if len(word) < MIN_KEY_LENGTH:
            return []
        # Short skeletons collide easily, so they need a closer spelling to count.
        floor = 50 if len(bones) >= 4 else 75
        best = {}
        for entry, place in self.by_skeleton.get(bones, []) if len(bones) >= 3 else []:
            similarity = fuzz.ratio(word, folded(entry))
            if similarity >= floor and similarity > best.get(place.pk, (0,))[0]:
                best[place.pk] = (similarity, entry, place)
        if best:
            return [Match(place, start, end, first, last, surface, entry, "transliteration",
                          round(0.6 + 0.3 * similarity / 100, 2))
                    for similarity, entry, place in sorted(best.values(), key=lambda b: -b[0])]
        if len(word) >= 6 and self.fuzzy_names:
            hit = process.extractOne(word, self.fuzzy_names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if hit:
                entry, place = self.fuzzy_entries[hit[2]]
                return [Match(place, start, end, first, last, surface, entry, "fuzzy", round(hit[1] / 100 * 0.8, 2))]
        return []


# The event rule form's help text (translated when the admin builds the form: incidents.admin.labels).
KEYWORD_SYNTAX = gettext_noop(
    "Comma separated. Each word or phrase matches whatever the case, with or without a plural ending "
    "(“clash” also finds “clashes”; “air strike” also “air-strike”). “shell*” matches any ending "
    "(shelled, shelling). “air force ... bombard*” needs both parts, in that order, within six words. "
    "A keyword in capitals (IED) only matches in capitals. Words after “no”, “not” or “without” "
    "are ignored. An Arabic keyword also matches with و ف ب ل ك or ال written before it, and whatever its "
    "hamza, ta marbuta, alef maqsura, harakat or tatweel (“قصف” finds “وبالقصف”; “قصف*” finds “قصفت”); "
    "words after لا، لم، دون or عدم are ignored.")
NEGATED = re.compile(r"\b(?:no|not|without|never|nor|denied|deny|denies)\s+(?:[\w-]+\s+)?$", re.I)


def keyword_pattern(keyword):
    """'air strike' also matches 'air-strike' and 'air strikes'; 'shell*' any ending; 'A ... B' both, in order."""
    def phrase(text):
        words = text.split()
        parts = []
        for n, word in enumerate(words):
            wildcard = word.endswith("*")
            core = re.escape(word.rstrip("*"))
            if wildcard:
                core += r"\w*"
            elif n == len(words) - 1:
                core += r"(?:s|es)?"
            parts.append(core)
        return r"[\s\-]+".join(parts)

    pieces = [phrase(part) for part in keyword.split("...") if part.strip()]
    body = r"\b(?:\W+\w+){0,6}?\W+".join(pieces)
    flags = 0 if is_acronym(keyword.replace("...", "")) else re.IGNORECASE
    return re.compile(r"\b" + body + r"\b", flags)


class RuleLexicon:
    def __init__(self, rules):
        rules = list(rules)
        self.rules = [(rule, keyword, keyword_pattern(keyword)) for rule in rules for keyword in rule.keywords
                      if keyword.strip() and not is_arabic(keyword)]
        self.arabic = ArabicIndex()
        for rule in rules:
            for keyword in rule.keywords:
                self.arabic.add(keyword, rule)

    @classmethod
    def load(cls):
        return cls(EventRule.objects.filter(active=True))

    @staticmethod
    def _joined(hits):
        """Overlapping hits of one rule ("suicide car" + "car bomb") are one phrase: "suicide car bomb"."""
        joined = []
        for hit in sorted(hits, key=lambda h: (h.obj.pk, h.start)):
            last = joined[-1] if joined else None
            if last and last.obj.pk == hit.obj.pk and hit.start < last.end:
                if hit.end > last.end:
                    last.surface = last.surface + hit.surface[last.end - hit.start:]
                    last.end, last.last = hit.end, hit.last
                continue
            joined.append(hit)
        return joined

    def find(self, sentence):
        """Rule matches in a sentence; where matches overlap, the higher priority (then longer) wins."""
        hits = []
        for rule, keyword, pattern in self.rules:
            for m in pattern.finditer(sentence.text):
                if NEGATED.search(sentence.text, 0, m.start()):
                    continue  # "no clashes were reported"
                start, end = sentence.start + m.start(), sentence.start + m.end()
                first, last = sentence.token_index_at(start), sentence.token_index_at(end) - 1
                hits.append(Match(rule, start, end, first, last, m.group(), keyword, "keyword", 1.0))
        for hit in self.arabic.find_all(sentence):
            if not negated(sentence, hit.first):  # "لم تسجل اشتباكات"
                start, end, surface = _span(sentence, hit.first, hit.last)
                hits.append(Match(hit.obj, start, end, hit.first, hit.last, surface, hit.entry, "keyword", 1.0))
        hits = self._joined(hits)
        hits.sort(key=lambda h: (-h.obj.priority, -(h.end - h.start), h.start))
        chosen = []
        for hit in hits:
            if all(hit.end <= other.start or hit.start >= other.end for other in chosen):
                chosen.append(hit)
        return sorted(chosen, key=lambda h: h.start)


@dataclass
class Lexicon:
    places: PlaceLexicon
    actors: ActorLexicon
    rules: RuleLexicon

    @classmethod
    def load(cls, user=None):
        """Every place, actor and active event rule; for `user` (the coding screen's), without the actors
        and places someone else added during an open double coding (models.double_coding
        .hidden_new_records: a suggestion naming them would tell what the other coder coded)."""
        if user is None:
            return cls(PlaceLexicon.load(), ActorLexicon.load(), RuleLexicon.load())
        places = without_hidden_records(Place.objects.all(), user)
        actors = without_hidden_records(Actor.objects.all(), user)
        return cls(PlaceLexicon.load(places), ActorLexicon.load(actors), RuleLexicon.load())
