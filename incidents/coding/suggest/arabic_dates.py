"""The day words of Arabic reports, for dates.py: the same readings as the English ones.

- a day named in full: "٣ آذار ٢٠٢٤", "3 مارس", "الثالث من" is not read (ordinal words); both the
  Levantine month names Syrian outlets write (كانون الثاني … كانون الأول) and the Egyptian ones
  (يناير … ديسمبر); a missing year is the publication's;
- "في اليوم ذاته/نفسه", "في ذات/نفس اليوم": the day named before;
- a weekday after "يوم", "مساء", "صباح", "ليلة", "فجر" … ("يوم الأربعاء"), or set off by commas as news
  leads write it ("قالت مصادر، الأربعاء، إن …");
- "أمس", "البارحة" (not "أول أمس", two days back, which has no English reading here), "اليوم",
  "صباح اليوم"; "الشهر الماضي".
Each match is run over the folded text (letter variants, harakat) and gives back the words as written.
"""

import datetime
import re

from incidents.common.arabic_text import fold_with_offsets
from incidents.common.numerals import western_digits

MONTHS = [("كانون الثاني", "يناير"), ("شباط", "فبراير"), ("اذار", "مارس"), ("نيسان", "ابريل"), ("ايار", "مايو"),
          ("حزيران", "يونيو", "يونيه"), ("تموز", "يوليو", "يوليه"), ("اب", "اغسطس"), ("ايلول", "سبتمبر"),
          ("تشرين الاول", "اكتوبر"), ("تشرين الثاني", "نوفمبر"), ("كانون الاول", "ديسمبر")]
MONTH_NUMBER = {name: number for number, names in enumerate(MONTHS, 1) for name in names}
_MONTH = "|".join(sorted(MONTH_NUMBER, key=len, reverse=True))
EXPLICIT = re.compile(r"(?<!\w)(?P<day>\d{1,2})\s+(?:من\s+)?(?:شهر\s+)?(?P<month>" + _MONTH + r")(?!\w)"
                      r"(?:\s+(?:(?:من\s+)?(?:عام|سنه)\s+)?(?P<year>(?:19|20)\d\d))?")
# Weekdays in Python's order (Monday first), folded.
WEEKDAYS = ["اثنين", "ثلاثاء", "اربعاء", "خميس", "جمعه", "سبت", "احد"]
_WEEKDAY = r"(?P<weekday>(?:ال)?(?:" + "|".join(WEEKDAYS) + r"))(?!\w)"
WEEKDAY_PATTERNS = (re.compile(r"(?<!\w)(?:يوم|مساء|صباح|ليله|فجر|ظهر|عصر|ليل|ظهيره)\s+" + _WEEKDAY),
                    re.compile(r"(?<=،)\s*" + _WEEKDAY + r"(?=\s*[،.۔]|\s*$)"))
SAME_DAY = re.compile(r"(?<!\w)(?:(?:في|و)\s+)?(?:اليوم\s+(?:ذاته|نفسه)|(?:ذات|نفس)\s+اليوم)(?!\w)")
YESTERDAY = re.compile(r"(?<!\w)(?<!اول\s)(?:(?:يوم|مساء|صباح|ليله)\s+)?(?:امس|البارحه)(?!\w)")
TODAY = re.compile(r"(?<!\w)(?:(?:صباح|مساء|ظهر|فجر)\s+)?اليوم(?!\w)(?!\s+(?:التالي|ذاته|نفسه|السابق))")
LAST_MONTH = re.compile(r"(?<!\w)(?:خلال\s+|في\s+)?الشهر\s+الماضي(?!\w)")


class Found:
    """A match over the folded text, giving the words as written (`group()`), like re.Match."""

    def __init__(self, match, text, offsets):
        self.match, self.text, self.offsets = match, text, offsets
        self.written = text[offsets[match.start()]:offsets[match.end()]].strip(" ،")

    def written_group(self, name):
        """A named group as the text writes it ("الأربعاء" for the folded "اربعاء")."""
        return self.text[self.offsets[self.match.start(name)]:self.offsets[self.match.end(name)]]

    def group(self, *names):
        return self.written if not names else self.match.group(*names)

    def start(self):
        return self.match.start()


def _search(pattern, text):
    folded, offsets = fold_with_offsets(text)
    match = pattern.search(western_digits(folded))
    return Found(match, text, offsets) if match else None


def explicit_days(text, published_on=None):
    """[(Found, date)] of the days an Arabic text names in full, in order."""
    folded, offsets = fold_with_offsets(text)
    found = []
    for m in EXPLICIT.finditer(western_digits(folded)):
        year = int(m.group("year")) if m.group("year") else published_on and published_on.year
        if not year:
            continue
        try:
            found.append((Found(m, text, offsets), datetime.date(year, MONTH_NUMBER[m.group("month")],
                                                                 int(m.group("day")))))
        except ValueError:
            continue
    return found


def weekday(text):
    """(Found, weekday number with Monday 0) of the first weekday an Arabic text names, or None."""
    found = [f for pattern in WEEKDAY_PATTERNS if (f := _search(pattern, text))]
    found = min(found, key=lambda f: f.start(), default=None)
    return (found, WEEKDAYS.index(found.group("weekday").removeprefix("ال"))) if found else None


def same_day(text):
    return _search(SAME_DAY, text)


def yesterday(text):
    return _search(YESTERDAY, text)


def today(text):
    return _search(TODAY, text)


def last_month(text):
    return _search(LAST_MONTH, text)
