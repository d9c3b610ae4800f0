"""Casualty figures in Arabic sentences, killed and wounded kept apart, as casualties.py reads English.

The patterns run over the sentence folded (incidents.common.arabic_text.fold_with_offsets: letter
variants, harakat and tatweel; Arabic-Indic digits read as 0-9), and each figure keeps the words as
written. Conventions are casualties.py's:
- "مقتل ثلاثة عناصر" / "مقتل 3 مدنيين" / "سقوط ٣ قتلى" / "لقي ثلاثة عناصر حتفهم" -> 3 killed;
  "مقتل شاب" -> 1 (a singular person noun after the killing word), "مقتل جنديين" -> 2 (a dual);
- "إصابة اثنين آخرين" / "٤ جرحى" -> wounded;
- "سقوط ١٠ قتلى وجرحى" / "مقتل وإصابة ١٠" counts killed and wounded together: not a death toll;
- "عشرات" is read as ACLED reads "tens", 10, and "مئات" as "hundreds", 100 (casualties.COUNTING_WORDS,
  the one table); "ما لا يقل عن" / "أكثر من" is a low bound, "نحو" / "حوالي" approximate;
- "عدد من القتلى", "وقوع قتلى وجرحى" give no figure (said in the reason, not guessed).
"""

import re

from incidents.common.arabic_text import fold_with_offsets
from incidents.common.numerals import western_digits

UNITS = {"واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاثه": 3, "ثلاث": 3,
         "اربعه": 4, "اربع": 4, "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6, "سبعه": 7, "سبع": 7, "ثمانيه": 8,
         "ثماني": 8, "ثمان": 8, "تسعه": 9, "تسع": 9}
TEENS = {"احد": 1, "احدي": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2, **UNITS}
TENS = {"عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50,
        "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80,
        "تسعون": 90, "تسعين": 90}
# The Arabic for casualties.COUNTING_WORDS' "tens of" and "hundreds of" (ACLED's conservative reading).
COUNTING = {"عشرات": "tens of", "العشرات": "tens of", "مئات": "hundreds of", "المئات": "hundreds of"}
HUNDRED = {"مئه": 100, "مائه": 100}


def _alternatives(words):
    return "|".join(sorted(words, key=len, reverse=True))


_UNIT, _TEEN, _TEN = _alternatives(UNITS), _alternatives(TEENS), _alternatives(TENS)
WORD_NUMBER = (rf"(?:(?:{_UNIT})\s+و\s?(?:{_TEN})|(?:{_TEN})|(?:{_TEEN})\s+عشر[ه]?|عشره|عشر|"
               rf"{_alternatives(COUNTING)}|{_alternatives(HUNDRED)}|(?:{_UNIT}))")
NUM = rf"(?P<num>\d{{1,6}}|{WORD_NUMBER})(?!\w)"  # at most six digits, as casualties.NUM
QUAL = (r"(?:(?P<qual>ما\s+لا\s+يقل\s+عن|لا\s+يقل\s+عن|ما\s+يزيد\s+(?:عن|علي)|اكثر\s+من|نحو|حوالي|قرابه|"
        r"زهاء|ما\s+يقارب|قرابه)\s+)?")
BOUNDS = {"at_least": ("يقل", "يزيد", "اكثر"), "about": ("نحو", "حوالي", "قرابه", "زهاء", "يقارب")}
PRE = r"(?<!\w)(?:و|ف)?(?:ب|ل)?"  # a conjunction and a preposition written on the word ("وبمقتل")
KILL_NOUN = r"(?:مقتل|قتل|مصرع|استشهاد|وفاه|اعدام|تصفيه|اغتيال)"
WOUND_NOUN = r"(?:اصابه|اصابات|جرح|اصيب)"
KILLED_PLURAL = r"(?:قتلي|قتيلا|قتيل|ضحايا|شهداء|شهيدا|جثث)"
WOUNDED_PLURAL = r"(?:جرحي|جريحا|جريح|مصابين|مصابا)"
# A singular person after a killing word: "مقتل شاب" is one person.
PERSON_NOUNS = ("شاب", "رجل", "امراه", "سيده", "فتاه", "طفل", "طفله", "مدني", "عنصر", "مقاتل", "جندي", "شخص",
                "مواطن", "راعي", "عسكري", "ضابط", "قيادي", "مسلح", "سائق", "مزارع", "مختار")
ONE_PERSON = r"(?:" + "|".join(PERSON_NOUNS) + r")(?!\w)"
# Duals that cannot be plurals: every nominative dual (-ان, -تان: "قُتل مدنيان اثنان", which a newcomer's
# lead gave as no toll), and the -ين forms whose plural is another word ("مقتل جنديين": two; "مدنيين" is
# also a plural, so it is not here).
NOMINATIVE_DUALS = tuple(noun[:-1] + "تان" if noun.endswith("ه") else noun + "ان" for noun in PERSON_NOUNS)
TWO_PEOPLE = (r"(?:" + "|".join(NOMINATIVE_DUALS) + r"|شابين|رجلين|طفلين|طفلتين|عنصرين|جنديين|شخصين|"
              r"امراتين|سيدتين|فتاتين|ضابطين|شقيقين|شقيقان|قتيلين|قتيلان|جريحين|جريحان)(?:\s+اثنان|\s+اثنين)?(?!\w)")
WORDS = r"(?:(?!(?:قتلي|جرحي|حتف)\w*)\w+\s+){0,4}?"

PATTERNS = [
    ("killed_or_wounded", re.compile(PRE + KILL_NOUN + r"\s+و\s?" + WOUND_NOUN + r"\s+" + QUAL + NUM)),
    ("killed_or_wounded", re.compile(r"(?<!\w)" + QUAL + NUM + r"\s+(?:\w+\s+){0,2}?(?:بين\s+)?(?:قتيل|قتلي)\s+"
                                     r"و\s?(?:جريح|جرحي|مصاب)")),
    ("killed", re.compile(PRE + KILL_NOUN + r"\s+" + QUAL + NUM)),
    ("wounded", re.compile(PRE + WOUND_NOUN + r"\s+" + QUAL + NUM)),
    ("killed", re.compile(r"(?<!\w)(?:و|ف)?(?:لقي|لقوا|لقيت)\s+" + QUAL + NUM + r"\s+" + WORDS + r"حتف\w*")),
    ("killed", re.compile(r"(?<!\w)" + QUAL + NUM + r"\s+" + WORDS + r"(?:لقوا|لقي|لقيا)\s+حتف\w*")),
    # "لقي عنصران … حتفهما" (two), "لقي شاب حتفه" (one): the dual and the singular person, as after مقتل.
    ("killed", re.compile(r"(?<!\w)(?:و|ف)?(?:لقي|لقيت|لقيا)\s+(?P<qual>)(?P<num>" + TWO_PEOPLE + r")\s+" + WORDS
                          + r"حتف\w*")),
    ("killed", re.compile(r"(?<!\w)(?:و|ف)?(?:لقي|لقيت)\s+(?P<qual>)(?P<num>)" + ONE_PERSON + r"\s+" + WORDS
                          + r"حتف\w*")),
    ("killed", re.compile(r"(?<!\w)" + QUAL + NUM + r"\s+(?:من\s+)?(?:ال)?" + KILLED_PLURAL + r"(?!\w)")),
    ("wounded", re.compile(r"(?<!\w)" + QUAL + NUM + r"\s+(?:من\s+)?(?:ال)?" + WOUNDED_PLURAL + r"(?!\w)")),
    ("killed", re.compile(r"(?<!\w)(?:و|ب)?(?P<qual>)(?P<num>قتيلين|قتيلان)(?!\w)")),
    ("wounded", re.compile(r"(?<!\w)(?:و|ب)?(?P<qual>)(?P<num>جريحين|جريحان)(?!\w)")),
    ("killed", re.compile(PRE + KILL_NOUN + r"\s+(?P<qual>)(?P<num>" + TWO_PEOPLE + ")")),
    ("wounded", re.compile(PRE + WOUND_NOUN + r"\s+(?P<qual>)(?P<num>" + TWO_PEOPLE + ")")),
    ("killed", re.compile(PRE + KILL_NOUN + r"\s+(?P<qual>)(?P<num>)" + ONE_PERSON)),
    ("wounded", re.compile(PRE + WOUND_NOUN + r"\s+(?P<qual>)(?P<num>)" + ONE_PERSON)),
]
VAGUE = re.compile(r"(?<!\w)(?:عدد\s+من\s+(?:ال)?(?:قتلي|جرحي|عناصر|مدنيين|مقاتلين|الاشخاص)|(?:وقوع|سقوط)\s+"
                   r"(?:قتلي|اصابات|ضحايا|خسائر)|خسائر\s+بشريه)")


def is_number_word(word):
    """Whether a folded word is a number (digits, "ثلاثه", "عشرات"): what stands before a victim."""
    word = western_digits(word)
    return word.isdigit() or word in UNITS or word in TENS or word in COUNTING or word in ("عشره", "عشر")


def parse_number(text, counting_words):
    """The value of an Arabic number ("ثلاثه", "خمسه وعشرين", "١٢", "عشرات"); "" is one person, and
    `counting_words` is casualties.COUNTING_WORDS (the English reading ACLED gives "tens", "hundreds")."""
    text = text.strip()
    if text == "":
        return 1
    if text.isdigit():
        return int(text)
    if re.fullmatch(TWO_PEOPLE, text):
        return 2
    if text in COUNTING:
        return counting_words[COUNTING[text]]
    if text in HUNDRED:
        return HUNDRED[text]
    if text in ("عشره", "عشر"):
        return 10
    words = [w for w in re.split(r"\s+و?\s?|\s+", text) if w]
    if len(words) == 2 and words[1] in ("عشر", "عشره"):
        return 10 + TEENS[words[0]]
    if len(words) == 2 and words[1] in TENS:
        return UNITS[words[0]] + TENS[words[1]]
    return TENS.get(text) or UNITS.get(text, 0)


def bound_of(qualifier):
    """exact | at_least | about, from a folded qualifier ("ما لا يقل عن" is a low bound)."""
    for bound, words in BOUNDS.items():
        if any(w in (qualifier or "") for w in words):
            return bound
    return "exact"


def arabic_figures(sentence, counting_words):
    """[(kind, value, bound, start, end, surface)] of an Arabic sentence (textspans.Sentence), in article
    offsets, without overlapping phrases."""
    folded, offsets = fold_with_offsets(sentence.text)
    folded = western_digits(folded)
    found, used = [], []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(folded):
            if any(m.start() < end and start < m.end() for start, end in used):
                continue
            used.append((m.start(), m.end()))
            start, end = offsets[m.start()], offsets[m.end()]
            found.append((kind, parse_number(m.group("num"), counting_words), bound_of(m.group("qual")),
                          sentence.start + start, sentence.start + end, sentence.text[start:end]))
    return found


def arabic_vague(sentence):
    """Words of an Arabic sentence that speak of casualties without a figure ("وقوع قتلى وجرحى")."""
    folded, offsets = fold_with_offsets(sentence.text)
    return [sentence.text[offsets[m.start()]:offsets[m.end()]] for m in VAGUE.finditer(folded)]
