"""The plausible date range: the one rule for which event days and timestamps this database accepts."""

import datetime

from django.utils.translation import gettext as _

from incidents.common.reader_text import ltr_text

#: No incident coded here can predate this day: ACLED's Syria coverage starts in 2017 and the
#: oldest sources our analysts code (UCDP GED) start in 1989; 1990-01-01 leaves a margin and still
#: refuses typos such as 0025-03-01 or 2106 (issue 15 point 5; docs/public-api.md, "Dates").
FIRST_DAY = datetime.date(1990, 1, 1)


def last_day(today=None):
    """The latest plausible day: tomorrow (UTC), so a report dated in another time zone still fits."""
    today = today or datetime.datetime.now(datetime.UTC).date()
    return today + datetime.timedelta(days=1)


def implausible(day, today=None):
    """None when `day` (a date) lies in FIRST_DAY..last_day(), else a sentence saying why not, in the
    active language, its ISO days isolated as left-to-right data (reader_text.ltr_text) on Arabic pages."""
    if day is None:
        return None
    if day < FIRST_DAY:
        return _("%(day)s is before %(first)s, the earliest date this database accepts.") % {
            "day": ltr_text(day.isoformat()), "first": ltr_text(FIRST_DAY.isoformat())}
    if day > last_day(today):
        return _("%(day)s is in the future (the latest date accepted is tomorrow, %(last)s).") % {
            "day": ltr_text(day.isoformat()), "last": ltr_text(last_day(today).isoformat())}
    return None
