"""Dictionary entries written in Arabic, found among a sentence's words whatever clitics they carry.

An entry ("قوات سوريا الديمقراطية", keyword "قصف ... مدفعي*", place "دير الزور") is a list of words,
each compared in its key (incidents.common.arabic_text.entry_key) with the forms of a written word
(word_forms: "لقوات" is ل + قوات, "بالبصيرة" is ب + ال + بصيرة). A word ending in "*" matches any
word that starts with it ("قصف*": قصفت، قصفها); "A ... B" needs both parts, in that order, within
GAP_WORDS words. An entry of several words also matches its words written together ("ديرالزور").
Offsets are the written words' own, so a quote is always an exact slice of the article.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from incidents.common.arabic_text import entry_key, fold_arabic, is_arabic, word_forms

GAP_WORDS = 6
MIN_LETTERS = 3  # an entry shorter than this ("ل", "من") would match everywhere
ENTRY_WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670])*\*?")
# Words before an event word that deny it ("لم تسجل اشتباكات", "دون وقوع إصابات", "نفت … القصف").
NEGATIONS = {entry_key(w) for w in ("لا", "لم", "لن", "دون", "بدون", "عدم", "نفى", "نفت", "ينفي", "تنفي")}


def forms(token):
    """The forms a sentence token (textspans.Token) can be compared in."""
    cached = getattr(token, "_arabic_forms", None)
    if cached is None:
        cached = word_forms(token.text) if is_arabic(token.text) else {token.lower}
        token._arabic_forms = cached
    return cached


@dataclass(frozen=True)
class Word:
    key: str
    prefix: bool  # written with "*": any ending

    def matches(self, token):
        found = forms(token)
        if self.prefix:
            return any(f.startswith(self.key) for f in found)
        return self.key in found


def parse_entry(entry):
    """The parts of an entry ("A ... B" has two), each a tuple of Words; () when it has no Arabic."""
    if not is_arabic(entry):
        return ()
    parts = []
    for piece in entry.split("..."):
        words = tuple(Word(entry_key(w.rstrip("*")), w.endswith("*")) for w in ENTRY_WORD.findall(piece))
        if words:
            parts.append(words)
    if sum(len(w.key) for part in parts for w in part) < MIN_LETTERS:
        return ()
    return tuple(parts)


@dataclass
class Found:
    first: int  # token indices in the sentence
    last: int
    entry: str
    obj: object


class ArabicIndex:
    """Arabic entries (names, aliases, keywords) of dictionary objects, matched over sentence tokens."""

    def __init__(self):
        self.by_first = defaultdict(list)  # first word's key -> [(parts, entry, obj)]
        self.by_prefix = []  # entries whose first word ends in "*"

    def add(self, entry, obj):
        """Add `entry` for `obj`; entries without Arabic letters are ignored (False)."""
        parts = parse_entry(entry)
        if not parts:
            return False
        self._add(parts, entry, obj)
        if len(parts) == 1 and len(parts[0]) > 1 and not any(w.prefix for w in parts[0]):
            written = entry_key("".join(fold_arabic(w) for w in ENTRY_WORD.findall(entry)))
            self._add(((Word(written, False),),), entry, obj)  # "ديرالزور"
        return True

    def _add(self, parts, entry, obj):
        first = parts[0][0]
        if first.prefix:
            self.by_prefix.append((parts, entry, obj))
        else:
            self.by_first[first.key].append((parts, entry, obj))

    def __bool__(self):
        return bool(self.by_first or self.by_prefix)

    def _candidates(self, token):
        found = [e for form in forms(token) for e in self.by_first.get(form, ())]
        return found + [e for e in self.by_prefix if e[0][0][0].matches(token)]

    @staticmethod
    def _part_at(part, tokens, i):
        """Index of the last token of `part` matched from token i, or None."""
        if i + len(part) > len(tokens):
            return None
        for offset, word in enumerate(part):
            if not word.matches(tokens[i + offset]):
                return None
        return i + len(part) - 1

    def _match_at(self, parts, tokens, i):
        last = self._part_at(parts[0], tokens, i)
        for part in parts[1:]:
            if last is None:
                return None
            last = next((end for j in range(last + 1, min(len(tokens), last + 2 + GAP_WORDS))
                         if (end := self._part_at(part, tokens, j)) is not None), None)
        return last

    def find_all(self, sentence):
        """Every match in a sentence (overlaps included), as Found, in order of first token."""
        found = []
        if not self or not is_arabic(sentence.text):
            return found
        for i, token in enumerate(sentence.tokens):
            for parts, entry, obj in self._candidates(token):
                last = self._match_at(parts, sentence.tokens, i)
                if last is not None:
                    found.append(Found(i, last, entry, obj))
        return found

    def find_longest(self, sentence, taken=()):
        """Leftmost-longest matches, skipping token positions in `taken`: [(first, last, [(entry, obj)])]."""
        by_start = defaultdict(list)
        for hit in self.find_all(sentence):
            if not any(j in taken for j in range(hit.first, hit.last + 1)):
                by_start[hit.first].append(hit)
        result, i = [], 0
        while i < len(sentence.tokens):
            hits = by_start.get(i)
            if not hits:
                i += 1
                continue
            last = max(h.last for h in hits)
            chosen = {}
            for hit in hits:
                if hit.last == last:
                    chosen.setdefault(getattr(hit.obj, "pk", id(hit.obj)), (hit.entry, hit.obj))
            result.append((i, last, list(chosen.values())))
            i = last + 1
        return result


def negated(sentence, first):
    """Whether one of the two words before token `first` denies what follows."""
    return any(NEGATIONS & forms(t) for t in sentence.tokens[max(0, first - 2):first])


def forms_before(sentence, first, count=3):
    """The forms of each of the `count` words before token `first` (nearest last), back to a comma."""
    words = []
    for j in range(first - 1, max(-1, first - 1 - count), -1):
        token = sentence.tokens[j]
        following = sentence.tokens[j + 1].start if j + 1 < len(sentence.tokens) else token.end
        if any(mark in sentence.text[token.end - sentence.start:following - sentence.start] for mark in ",،;؛"):
            break
        words.insert(0, forms(token))
    return words


# Words that introduce a place ("في البصيرة", "بلدة ذيبان", "ريف هجين"): a one-word Arabic place name is
# taken only after one of them, or with a preposition written on it ("بالبصيرة"), since many names are
# also ordinary words (الكرامة "dignity", التل "the hill", الباب "the door").
PLACE_INTRO = {entry_key(w) for w in (
    "في", "من", "إلى", "الى", "على", "قرب", "بالقرب", "بلدة", "بلدات", "قرية", "قرى", "مدينة", "مدن", "حي", "ريف",
    "بادية", "ناحية", "منطقة", "مخيم", "محيط", "أطراف", "اتجاه", "باتجاه", "نحو", "شرق", "غرب", "شمال", "جنوب",
    "شرقي", "غربي", "شمالي", "جنوبي", "بين", "مدينتي", "بلدتي", "قريتي", "حقل", "مزرعة", "ضواحي", "مشارف", "أهالي",
    "سكان", "أبناء")}


def introduced_place(sentence, first):
    """Whether token `first` is introduced as a place (PLACE_INTRO before it, or ب/ل written on it)."""
    written = fold_arabic(sentence.tokens[first].text)
    if written[:1] in ("ب", "ل") or written[:2] in ("وب", "ول", "فب", "فل"):
        return True
    before = forms_before(sentence, first, 1)
    return bool(before and before[-1] & PLACE_INTRO)
