"""When: a date or window for a suggested incident, from the report's words and its date.

The date is never invented. With a publication date, "on Monday" is the last Monday on or
before it and "yesterday" the day before; with no day word the incident is dated to the
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
PAST_WEEKS = re.compile(r"\b(?:over|during|in) the (?:past|last) (?:few|two|three|four|several) weeks\b", re.I)


def suggest_date(text, published_on=None, known_dates=None):
    """(value, confidence, reason); value is (date, date_end, time_precision), or None if nothing says when."""
    if published_on:
        if match := WEEKDAY.search(text):
            back = (published_on.weekday() - WEEKDAYS.index(match.group(1))) % 7
            day = published_on - datetime.timedelta(days=back)
            return ((day, None, TimePrecision.DAY), 0.8,
                    f"“{match.group()}”: the last {match.group(1)} on or before publication ({published_on})")
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
