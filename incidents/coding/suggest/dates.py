"""When: a date or window for a suggested incident, from the report's words and its date.

The date is never invented. A day named in full ("On 2 June 2023", "on June 2") is that day
(a missing year is the publication's). "The same day" / "that day" is the last day named before
the evidence; "on Monday" is the last Monday on or before that day, else before publication, and
"yesterday" the day before publication; with no day word the incident is dated to the
publication within a week. A report with no date at all (like the seed article) takes the
window of the incidents already coded from it, or is left for the analyst to fill in.
"""

import datetime
import re
from collections import Counter

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
    """[(match, date)] of the days named in full in a text, in order ("2 June 2023", "June 2")."""
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
        return ((day, None, TimePrecision.DAY), 0.9, f"“{match.group()}” is named in the text")
    earlier = explicit_days(before, published_on)
    if earlier and (match := SAME_DAY.search(text)):
        named_match, day = earlier[-1]
        return ((day, None, TimePrecision.DAY), 0.8,
                f"“{match.group()}”: the day named before, “{named_match.group()}”")
    if match := WEEKDAY.search(text):
        reference, what = (earlier[-1][1], f"“{earlier[-1][0].group()}”, the day named before") if earlier \
            else (published_on, f"publication ({published_on})")
        if reference:
            back = (reference.weekday() - WEEKDAYS.index(match.group(1))) % 7
            day = reference - datetime.timedelta(days=back)
            return ((day, None, TimePrecision.DAY), 0.8,
                    f"“{match.group()}”: the last {match.group(1)} on or before {what}")
    if published_on:
        if match := YESTERDAY.search(text):
            return ((published_on - datetime.timedelta(days=1), None, TimePrecision.DAY), 0.8,
                    f"“{match.group()}”: the day before publication ({published_on})")
        if match := TODAY.search(text):
            return ((published_on, None, TimePrecision.DAY), 0.8, f"“{match.group()}”: the publication day")
        if match := LAST_MONTH.search(text):
            first = (published_on.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
            last = published_on.replace(day=1) - datetime.timedelta(days=1)
            return ((first, last, TimePrecision.MONTH), 0.6, f"“{match.group()}”: the month before publication")
        if match := PAST_WEEKS.search(text):
            return ((published_on - datetime.timedelta(days=28), published_on, TimePrecision.MONTH), 0.5,
                    f"“{match.group()}”: the four weeks before publication")
        return ((published_on, None, TimePrecision.WEEK), 0.5,
                f"no day in the text: dated to publication ({published_on}), within a week")
    if known_dates:
        (value, count), = Counter(known_dates).most_common(1)
        return (value, 0.6, f"the report has no date: the window of {count} incident(s) already coded "
                            "from it")
    return (None, 0.0, "the report carries no date: enter the day or the window it lies in")
