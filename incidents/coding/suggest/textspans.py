"""Sentences and words of an article, each with its character offsets in the article text.

Evidence quotes must be exact slices of the article (Evidence.clean checks it), so
nothing here rewrites the text: every sentence and token is a (start, end) pair.
"""

import re
from dataclasses import dataclass, field

from incidents.common.arabic_text import ARABIC_MARKS

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A sentence ends at . ! or ? (optionally followed by closing quotes/brackets) before white space, and at
# the Arabic full stop, question mark and semicolon (۔ ؟ ؛).
SENTENCE_END = re.compile(r"(?:[.!?][\"'”’)\]»]*(?=\s)|[۔؟؛][\"'”’)\]»]*)")
# The Arabic comma ends a sentence only between two clauses of CLAUSE_WORDS words or more: Arabic news
# prose strings a report's clauses with commas ("اندلعت اشتباكات …، أسفرت عن مقتل …"), but also sets
# off a short apposition ("قوات النظام، مدعومة بالميليشيات، …") that must stay with its verb, and a
# clause that tells the same event's outcome ("…، ما أدى إلى مقتل طفلة") stays with it too.
ARABIC_COMMA = re.compile(r"،")
OUTCOME = re.compile(r"\s*(?:و|ف)?(?:(?:ما|مما)(?!\w)|أدى|ادى|أدت|ادت|أسفر|اسفر|ليسفر|تسبب|متسبب|مخلف|وسط)")
CLAUSE_WORDS = 4


def _marked(words):
    """An alternation of Arabic words that also matches them written with harakat or shadda ("قُتل")."""
    marks = ARABIC_MARKS.pattern + "*"
    return "(?:" + "|".join("".join(letter + marks for letter in word) for word in words) + ")"


# Newswires lead with the toll and give its cause after a comma ("قُتل مدنيان، مساء الخميس، جراء غارة …"):
# a clause that opens with a killing or wounding word, or one that opens with the cause or the time of
# what the clause before told, is the same event and is never cut off (a newcomer's lead lost its toll).
CASUALTY_LEAD = re.compile(r"\s*(?:و|ف)?" + _marked(
    ["قتل", "لقي", "لقى", "أصيب", "اصيب", "جرح", "سقط", "مقتل", "مصرع", "استشهد", "إصابة", "اصابة"]))
CAUSE_OR_TIME = re.compile(r"\s*(?:و|ف)?" + _marked(
    ["جراء", "إثر", "اثر", "بسبب", "نتيجة", "عقب", "بعد", "خلال", "أثناء", "اثناء", "بانفجار", "بقصف",
     "بغارة", "بهجوم", "باستهداف", "مساء", "صباح", "يوم", "ليلة", "ليل", "فجر", "ظهر", "عصر", "أمس", "امس",
     "اليوم", "منتصف"]) + r"(?!\w)")
# Words: letters/digits runs (any script), with the Arabic marks (harakat, shadda) inside them; "ez-Zor"
# is two words, "regime’s" is "regime" + "s".
WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670])*")
# A full stop after these is not the end of a sentence.
ABBREVIATIONS = {"u.s", "u.n", "dr", "col", "lt", "gen", "maj", "capt", "sgt", "brig", "mr", "mrs", "ms",
                 "st", "no", "vs", "approx", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "e.g", "i.e"}


@dataclass
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self):
        return self.text.casefold()

    @property
    def is_capitalised(self):
        return self.text[:1].isupper()


@dataclass
class Sentence:
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    tokens: list = field(default_factory=list)

    def token_index_at(self, offset):
        """Index of the first token starting at or after `offset` (article offsets)."""
        for i, token in enumerate(self.tokens):
            if token.start >= offset:
                return i
        return len(self.tokens)


def _sentence_bounds(text, start, end):
    """Split text[start:end] (one paragraph) into sentence spans."""
    spans, begin = [], start
    for match in SENTENCE_END.finditer(text, start, end):
        before = text[begin:match.start()].split()
        last_word = before[-1].casefold().rstrip(".") if before else ""
        following = text[match.end():end].lstrip()
        if last_word in ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        if following and following[0].islower():
            continue
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, end))
    return [piece for span in spans for piece in _clauses(text, *span)]


def _clauses(text, start, end):
    """One sentence span cut at the Arabic commas that separate clauses of CLAUSE_WORDS words or more (counted
    from the comma before, so an apposition between two commas is no clause)."""
    pieces, begin, after_comma = [], start, start
    for match in ARABIC_COMMA.finditer(text, start, end):
        if len(WORD.findall(text, after_comma, match.start())) >= CLAUSE_WORDS and \
                len(WORD.findall(text, match.end(), end)) >= CLAUSE_WORDS and not OUTCOME.match(text, match.end()) \
                and not CASUALTY_LEAD.match(text, begin) and not CAUSE_OR_TIME.match(text, match.end()):
            pieces.append((begin, match.end()))
            begin = match.end()
        after_comma = match.end()
    pieces.append((begin, end))
    return pieces


def _trimmed(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text):
    """All sentences of `text`, in order, with offsets and tokens."""
    sentences, paragraph_start, paragraph = [], 0, 0
    bounds = [(m.start(), m.end()) for m in PARAGRAPH_BREAK.finditer(text)] + [(len(text), len(text))]
    for break_start, break_end in bounds:
        for raw_start, raw_end in _sentence_bounds(text, paragraph_start, break_start):
            start, end = _trimmed(text, raw_start, raw_end)
            if start >= end or not WORD.search(text, start, end):
                continue
            tokens = [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text, start, end)]
            sentences.append(Sentence(len(sentences), paragraph, start, end, text[start:end], tokens))
        paragraph_start, paragraph = break_end, paragraph + 1
    return sentences
