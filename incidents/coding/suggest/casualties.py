"""Casualty figures read from a sentence: killed and wounded kept apart.

Conventions, matching how the seed article's incidents were coded:
- "at least seven soldiers were killed" -> 7 killed (best estimate and low bound 7);
- "the colonel … was killed along with 13 other soldiers" -> 13 others + the person named = 14;
- "the death and injury of at least 30" counts killed and wounded together: it is NOT 30 deaths,
  so the best estimate stays 0 and 30 becomes the high bound;
- "three SDF fighters and two ISIS militants were killed" -> 5: the groups of one clause are summed;
- counting words are read as ACLED reads them, conservatively: "tens" 10, "dozens" 12, "hundreds"
  100 (ACLED, "Uses and limitations of ACLED data: Fatalities", 2023: "When sources report
  estimates such as 'tens' or 'dozens' or 'hundreds,' ACLED codes 10 for 'tens,' 12 for 'dozens,'
  100 for 'hundreds'"); "a dozen" is 12, "more than a dozen" at least 12;
- "3 fatalities." (how ACLED's own notes close) is 3 killed; a stated total ("Total fatalities coded to 3",
  "Unknown fatalities coded to 10": ACLED's notes say so when the sources give no or several figures)
  is the toll, over any figure of the text;
- "a number of", "several", "many" give no figure (said in the reason, not guessed).
Arabic sentences are read by arabic_figures.py with the same conventions and the same counting words.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from incidents.coding.suggest.arabic_figures import arabic_figures, arabic_vague
from incidents.coding.suggest.reasons import Reason, Sum
from incidents.common.arabic_text import mostly_arabic

UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
WORD_NUMBER = (r"(?:(?:" + "|".join(TENS) + r")(?:[\s-](?:" + "|".join(UNITS[1:10]) + r"))?|"
               + "|".join(sorted(UNITS, key=len, reverse=True)) + r"|a dozen|a hundred|dozens(?: of)?|tens of|"
               r"hundreds(?: of)?)")
COUNTING_WORDS = {"a dozen": 12, "a hundred": 100, "dozens": 12, "dozens of": 12, "tens of": 10, "hundreds": 100,
                  "hundreds of": 100}  # ACLED's conservative reading: see the module docstring
# A toll has at most six digits (999,999): a longer run of digits is no toll (and 4,300 digits made int()
# raise: an attacker session's 500 on the suggestions page).
NUM = r"(?P<num>\d{1,3}(?:,\d{3})?(?!\d|,\d)|\d{1,6}(?!\d|,\d)|" + WORD_NUMBER + r")"
QUAL = r"(?:(?P<qual>at least|no fewer than|more than|over|up to|as many as|nearly|almost|about|around|some|" \
       r"approximately|an estimated|a total of)\s+)?"
# The victims between number and verb ("Syrian soldiers"), never running past a casualty word.
WORDS = r"(?:(?!(?:killed|dead|died|wounded|injured|hurt)\b)[\w’'-]+,?\s+){0,6}?"
AUX = r"(?:(?:were|was|have been|had been|are|is|got|reportedly|also|all)\s+)*"
KILLED = r"(?:killed|dead|died|slain|executed|lost their lives|perished)"
WOUNDED = r"(?:wounded|injured|hurt)"
KILL_VERB = (r"(?:killing|killed|kill|executed|executing|beheaded|shot dead|shooting dead|claimed the lives of|"
             r"deaths? of|death toll (?:rose to|reached|of|stands at|is))")
WOUND_VERB = r"(?:wounding|injuring|wounded|injured|injuries to)"
# "shot dead a tribal elder": one person (but "a number of", "a dozen" are not one).
SINGLE = r"\s+(?P<qual>)(?P<num>an?)\s+(?!number\b|few\b|dozen\b|total\b|hundred\b|series\b|unknown\b|unspecified\b)[\w-]+"
NOT_A_NUMBER_NEXT = r"(?!\s+" + QUAL.replace("?P<qual>", "?:") + NUM.replace("?P<num>", "?:") + r")"

# "three SDF fighters and two ISIS militants were killed": numbered groups before one casualty verb.
# A group's words never run past a casualty word: "nine killed and 14 others wounded" are two figures.
GROUP = (r"(?:" + NUM.replace("?P<num>", "?:") + r"(?:\s+(?!and\b|(?:killed|dead|died|wounded|injured|hurt|were|was)\b)"
         r"[\w’'-]+){1,4}?)")
GROUPS = re.compile(r"\b(?P<groups>" + GROUP + r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)" + GROUP + r")+)\s+" + AUX
                    + r"(?P<verb>" + KILLED + "|" + WOUNDED + r")\b", re.I)
STATED_TOTAL = re.compile(r"\b(?P<qual>)(?:total\s+(?:unknown\s+)?fatalit(?:y|ies)\s*(?:(?:were\s+|was\s+)?coded\s+"
                          r"(?:to|as|at)\s+|:\s*|(?:is|are|were|of)\s+)?|(?:unknown\s+)?fatalit(?:y|ies)\s+(?:were\s+|was\s+)?"
                          r"coded\s+(?:to|as|at)\s+)(?P<num>\d+)\b", re.I)
FATALITY_COUNT = re.compile(r"\b(?P<qual>)(?P<num>\d+|" + WORD_NUMBER + r")\s+fatalit(?:y|ies)\b", re.I)

PATTERNS = [
    ("total", STATED_TOTAL),
    # Killed and wounded together: never a death toll on its own.
    ("killed_or_wounded", re.compile(r"\b(?:death|deaths|killing|killed|dead)\s+(?:and|or)\s+(?:injury|injuries|"
                                     r"wounding|wounded|injuring|injured)(?:\s+of)?\s+" + QUAL + NUM, re.I)),
    ("killed_or_wounded", re.compile(r"\b" + QUAL + NUM + r"\s+" + WORDS + AUX + r"(?:killed|dead)\s+(?:and|or)\s+"
                                     + WOUNDED, re.I)),
    ("killed_or_wounded", re.compile(r"\b" + QUAL + NUM + r"\s+(?:\w+\s+)?casualties", re.I)),
    # "killed along with 13 other soldiers": the others plus the person the sentence is about.
    ("killed_plus_one", re.compile(r"\b" + KILLED + r"\s+(?:along\s+)?with\s+" + QUAL + NUM + r"\s+others?\b", re.I)),
    ("killed", re.compile(r"\b" + KILL_VERB + r"\s+" + QUAL + NUM, re.I)),
    ("killed", re.compile(r"\b" + KILL_VERB + SINGLE, re.I)),
    ("wounded", re.compile(r"\b" + WOUND_VERB + SINGLE, re.I)),
    ("wounded", re.compile(r"\b" + WOUND_VERB + r"\s+" + QUAL + NUM, re.I)),
    ("killed", FATALITY_COUNT),
    ("killed", re.compile(r"\b" + QUAL + NUM + r"\s+" + WORDS + AUX + KILLED + r"\b" + NOT_A_NUMBER_NEXT, re.I)),
    ("wounded", re.compile(r"\b" + QUAL + NUM + r"\s+" + WORDS + AUX + WOUNDED + r"\b" + NOT_A_NUMBER_NEXT, re.I)),
]
VAGUE = re.compile(r"\b(?:a number of|several|scores of|many|a few)\b[^.;]{0,40}?\b"
                   r"(?:killed|dead|wounded|injured|soldiers|fighters|civilians|casualties)|\b(?:killing|wounding)"
                   r"(?:\s+and\s+wounding)?\s+(?:a number of|several|scores of|many)", re.I)
CONFIDENCE = {"exact": 0.9, "at_least": 0.85, "about": 0.7, "up_to": 0.7}


def parse_number(text):
    text = text.casefold().replace(",", "")
    if text.isdigit():
        return int(text)
    if text in ("a", "an"):
        return 1
    if text in COUNTING_WORDS:
        return COUNTING_WORDS[text]
    parts = re.split(r"[\s-]+", text)
    total = 0
    for part in parts:
        total += TENS.get(part, UNITS.index(part) if part in UNITS else 0)
    return total


def bound_of(qualifier):
    qualifier = (qualifier or "").casefold()
    if qualifier in ("at least", "no fewer than", "more than", "over"):
        return "at_least"
    if qualifier in ("up to", "as many as"):
        return "up_to"
    if qualifier:
        return "about"
    return "exact"


# A figure as a reason names it ("5 killed"; the Arabic says "القتلى: ٥", no noun to agree with the number).
FIGURE = {"killed": gettext_lazy("%(value)s killed"), "wounded": gettext_lazy("%(value)s wounded")}
BOUND = {"exact": gettext_lazy("“%(words)s”: %(figure)s"),
         "at_least": gettext_lazy("“%(words)s”: %(figure)s (a low bound)"),
         "up_to": gettext_lazy("“%(words)s”: %(figure)s (a high bound)"),
         "about": gettext_lazy("“%(words)s”: %(figure)s (approximate)")}


@dataclass
class Figure:
    kind: str  # killed | wounded | killed_or_wounded | total (a stated toll: "Total fatalities coded to 3")
    value: int
    bound: str  # exact | at_least | up_to | about
    start: int  # article offsets of the phrase
    end: int
    surface: str
    plus_one: bool = False
    parts: list = None  # the groups' numbers, when summed

    @property
    def confidence(self):
        if self.kind == "killed_or_wounded":
            return 0.6
        if self.kind == "total":
            return 0.95
        return CONFIDENCE[self.bound] - (0.15 if self.plus_one else 0)

    def describe(self):
        """Why this figure counts as it does (a Reason, translated where a page shows it)."""
        if self.kind == "killed_or_wounded":
            return Reason(gettext_lazy("“%(words)s” counts killed and wounded together: not a death toll, so the best "
                                       "estimate stays 0 and %(value)s is the high bound"),
                          words=self.surface, value=self.value)
        if self.kind == "total":
            return Reason(gettext_lazy("“%(words)s”: the stated toll, %(value)s killed, over any other figure"),
                          words=self.surface, value=self.value)
        figure = Reason(FIGURE[self.kind], value=self.value)
        if self.parts:
            return Reason(gettext_lazy("“%(words)s”: %(parts)s = %(figure)s, groups summed"), words=self.surface,
                          parts=Sum(self.parts), figure=figure)
        if self.plus_one:
            return Reason(gettext_lazy("“%(words)s”: %(others)s others + the person named = %(figure)s"),
                          words=self.surface, others=self.value - 1, figure=figure)
        return Reason(BOUND[self.bound], words=self.surface, figure=figure)


def _summed_groups(sentence):
    """Figures for numbered groups killed (or wounded) together, their numbers summed."""
    found = []
    for m in GROUPS.finditer(sentence.text):
        numbers = [parse_number(n.group()) for n in re.finditer(NUM.replace("?P<num>", "?:"), m.group("groups"), re.I)]
        numbers = [n for n in numbers if n]
        if len(numbers) < 2:
            continue
        kind = "wounded" if re.fullmatch(WOUNDED, m.group("verb"), re.I) else "killed"
        figure = Figure(kind, sum(numbers), "exact", sentence.start + m.start(), sentence.start + m.end(), m.group())
        figure.parts = numbers
        found.append(figure)
    return found


def figures_in(sentence):
    """Casualty figures in one sentence (textspans.Sentence), without overlapping phrases."""
    if mostly_arabic(sentence.text):
        return sorted((Figure(*figure) for figure in arabic_figures(sentence, COUNTING_WORDS)), key=lambda f: f.start)
    found = _summed_groups(sentence)
    used = [(f.start - sentence.start, f.end - sentence.start) for f in found]
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(sentence.text):
            if any(m.start() < end and start < m.end() for start, end in used):
                continue
            value = parse_number(m.group("num"))
            plus_one = kind == "killed_plus_one"
            used.append((m.start(), m.end()))
            found.append(Figure("killed" if plus_one else kind, value + (1 if plus_one else 0),
                                bound_of(m.group("qual")), sentence.start + m.start(), sentence.start + m.end(),
                                m.group(), plus_one))
    return sorted(found, key=lambda f: f.start)


def vague_mentions(sentence):
    if mostly_arabic(sentence.text):
        return arabic_vague(sentence)
    return [m.group() for m in VAGUE.finditer(sentence.text)]


@dataclass
class Casualties:
    fatalities: int = 0
    fatalities_low: int = None
    fatalities_high: int = None
    injured: int = None
    confidence: float = 0.5
    reasons: tuple = ()


def combine(figures, vague=()):
    """Incident fields from the figures of its evidence; repeated reports of one toll are not added up."""
    stated = [f for f in figures if f.kind == "total"]
    killed = stated[-1:] or [f for f in figures if f.kind == "killed"]
    wounded = [f for f in figures if f.kind == "wounded"]
    together = [f for f in figures if f.kind == "killed_or_wounded"]
    result = Casualties(reasons=tuple(f.describe() for f in figures))
    if killed:
        top = max(killed, key=lambda f: f.value)
        result.fatalities = top.value
        result.fatalities_high = top.value if top.bound == "up_to" else None
        result.fatalities_low = None if top.bound == "up_to" else top.value
        result.confidence = top.confidence
        if len(killed) > 1:
            result.reasons += (Reason(gettext_lazy("%(count)s death figures: the highest, %(value)s, is used"),
                                      count=len(killed), value=top.value),)
    if together:
        top = max(together, key=lambda f: f.value)
        if not killed:
            result.fatalities, result.fatalities_low, result.confidence = 0, 0, top.confidence
        result.fatalities_high = max(top.value, result.fatalities, result.fatalities_high or 0)
    if wounded:
        result.injured = max(f.value for f in wounded)
    if not figures:
        result.reasons = (tuple(Reason(gettext_lazy("“%(words)s” gives no figure"), words=text) for text in vague)
                          or (Reason(gettext_lazy("no casualty figure in the text")),))
        result.confidence = 0.4 if vague else 0.6
    return result
