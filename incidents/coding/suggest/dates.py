"""When: a date or window for a suggested incident, from the report's words and its date.

The date is never invented. A day named in full ("On 2 June 2023", "on June 2") is that day
(a missing year is the publication's). "The same day" / "that day" is the last day named before
the evidence; "on Monday" is the last Monday on or before that day, else before publication, and
"yesterday" the day before publication; with no day word the incident is dated to the
publication within a week. Arabic reports' words for the same (يوم الأربعاء، أمس، في اليوم ذاته، ٣ آذار)
are read by arabic_dates.py. A report with no date at all (like the seed article) takes the
window of the incidents already coded from it, or is left for the analyst to fill in.
"""

import datetime
import re
from collections import Counter

from django.utils.translation import gettext_lazy

from incidents.coding.suggest import arabic_dates
from incidents.coding.suggest.reasons import Reason
from incidents.common.arabic_text import is_arabic
from incidents.common.typology import TimePrecision

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
YESTERDAY = re.compile(r"\b(yesterday|last night)\b", re.I)
TODAY = re.compile(r"\b(today|this morning|earlier today)\b", re.I)
LAST_MONTH = re.compile(r"\blast month\b", re.I)
MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december"]
_MONTH = r"(" + "|".join(MONTH_NAMES) + r")"
EXPLICIT = re.compile(r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"|" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?)"
                      r"(?:,?\s+((?:19|20)\d\d))?\b", re.I)
SAME_DAY = re.compile(r"\b(?:the same day|that day|on the same date)\b", re.I)
PAST_WEEKS = re.compile(r"\b(?:over|during|in) the (?:past|last) (?:few|two|three|four|several) weeks\b", re.I)


def explicit_days(text, published_on=None):
    """[(match, date)] of the days named in full in a text, in order ("2 June 2023", "June 2"), then those
    named in Arabic ("٣ آذار ٢٠٢٤": arabic_dates)."""
    return _english_days(text, published_on) + (arabic_dates.explicit_days(text, published_on) if is_arabic(text)
                                                 else [])


def _first(text, english, arabic):
    """The first match of an English pattern in `text`, else of its Arabic reading (arabic_dates)."""
    return english.search(text) or (arabic(text) if is_arabic(text) else None)


def _weekday(text):
    """(match, the weekday as written, its number with Monday 0) of the first weekday named, or None."""
    if match := WEEKDAY.search(text):
        return match, match.group(1), WEEKDAYS.index(match.group(1))
    found = arabic_dates.weekday(text) if is_arabic(text) else None
    return (found[0], found[0].written_group("weekday"), found[1]) if found else None


def _english_days(text, published_on):
    found = []
    for m in EXPLICIT.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        year = int(m.group(5)) if m.group(5) else published_on and published_on.year
        if not year:
            continue
        try:
            found.append((m, datetime.date(year, MONTH_NAMES.index(month.casefold()) + 1, int(day))))
        except ValueError:
            continue  # "31 June": not a day
    return found


def suggest_date(text, published_on=None, known_dates=None, before=""):
    """(value, confidence, reason); value is (date, date_end, time_precision), or None if nothing says when.

    `text`: the evidence; `before`: the report's text before it (where "the same day" looks back)."""
    named = explicit_days(text, published_on)
    if named:
        match, day = named[0]
        return ((day, None, TimePrecision.DAY), 0.9,
                Reason(gettext_lazy("“%(words)s” is named in the text"), words=match.group()))
    earlier = explicit_days(before, published_on)
    if earlier and (match := _first(text, SAME_DAY, arabic_dates.same_day)):
        named_match, day = earlier[-1]
        return ((day, None, TimePrecision.DAY), 0.8,
                Reason(gettext_lazy("“%(words)s”: the day named before, “%(day)s”"), words=match.group(),
                       day=named_match.group()))
    if weekday := _weekday(text):
        match, written, number = weekday
        reference, what = (earlier[-1][1], Reason(gettext_lazy("“%(day)s”, the day named before"),
                                                  day=earlier[-1][0].group())) if earlier \
            else (published_on, Reason(gettext_lazy("publication (%(date)s)"), date=published_on))
        if reference:
            back = (reference.weekday() - number) % 7
            day = reference - datetime.timedelta(days=back)
            return ((day, None, TimePrecision.DAY), 0.8,
                    Reason(gettext_lazy("“%(words)s”: the last %(weekday)s on or before %(reference)s"),
                           words=match.group(), weekday=written, reference=what))
    if published_on:
        if match := _first(text, YESTERDAY, arabic_dates.yesterday):
            return ((published_on - datetime.timedelta(days=1), None, TimePrecision.DAY), 0.8,
                    Reason(gettext_lazy("“%(words)s”: the day before publication (%(date)s)"), words=match.group(),
                           date=published_on))
        if match := _first(text, TODAY, arabic_dates.today):
            return ((published_on, None, TimePrecision.DAY), 0.8,
                    Reason(gettext_lazy("“%(words)s”: the publication day"), words=match.group()))
        if match := _first(text, LAST_MONTH, arabic_dates.last_month):
            first = (published_on.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
            last = published_on.replace(day=1) - datetime.timedelta(days=1)
            return ((first, last, TimePrecision.MONTH), 0.6,
                    Reason(gettext_lazy("“%(words)s”: the month before publication"), words=match.group()))
        if match := PAST_WEEKS.search(text):
            return ((published_on - datetime.timedelta(days=28), published_on, TimePrecision.MONTH), 0.5,
                    Reason(gettext_lazy("“%(words)s”: the four weeks before publication"), words=match.group()))
        return ((published_on, None, TimePrecision.WEEK), 0.5,
                Reason(gettext_lazy("no day in the text: dated to publication (%(date)s), within a week"),
                       date=published_on))
    if known_dates:
        (value, count), = Counter(known_dates).most_common(1)
        return (value, 0.6, Reason(gettext_lazy("the report has no date: the window of %(count)s incident(s) "
                                                "already coded from it"), count=count))
    return (None, 0.0, Reason(gettext_lazy("the report carries no date: enter the day or the window it lies in")))
