"""Incidents and fatalities per day, week or month, stacked by event type, counted in SQL.

PostgreSQL does the counting (date_trunc … GROUP BY); Python only lays the few
hundred resulting buckets end to end and fills the empty ones with zeros.

An incident whose date is a window (time precision above “exact day”) is counted
in the bucket of the first day of its window that lies inside the date filter,
and is also counted as “approximate”, so the chart can show how much of each bar
is uncertain instead of passing a window off as a day.
"""

import datetime

from django.db.models import Count, DateField, F, Func, Max, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, Trunc

from incidents.params import BadParameters
from incidents.typology import EVENT_TYPE_COLOURS, EventType, TimePrecision

INTERVALS = ("day", "week", "month")
COUNTS = ("incidents", "fatalities", "approximate", "approximate_fatalities")
APPROXIMATE = ~Q(time_precision=TimePrecision.DAY)
MAX_WINDOWS = 5
LAST_DAY = Coalesce("date_end", "date")
# "auto" picks the finest interval that keeps the chart to a readable number of bars
# (at most ~160): days up to a 90-day span, weeks up to three years, months beyond.
AUTO_MAX_SPAN_DAYS = (("day", 90), ("week", 3 * 365))


class NextBucket(Func):
    """The first day of the bucket after the one a date falls in (interval is one of INTERVALS)."""

    template = "(date_trunc('%(interval)s', %(expressions)s) + interval '1 %(interval)s')::date"
    output_field = DateField()

    def __init__(self, expression, interval):
        if interval not in INTERVALS:
            raise ValueError(interval)
        super().__init__(expression, interval=interval)


def parse_interval(params):
    interval = params.get("interval") or "auto"
    if interval != "auto" and interval not in INTERVALS:
        raise BadParameters({"interval": [f"“{interval}” is not one of auto, {', '.join(INTERVALS)}."]})
    return interval


def bucket_start(day, interval):
    if interval == "week":
        return day - datetime.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def next_bucket(start, interval):
    if interval == "day":
        return start + datetime.timedelta(days=1)
    if interval == "week":
        return start + datetime.timedelta(days=7)
    return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _counted_day(date_from):
    """The day an incident is counted on: its date, moved up to the filter's first day."""
    if date_from is None:
        return F("date")
    return Greatest("date", Value(date_from, output_field=DateField()))


def _auto_interval(queryset, date_from, date_to):
    first, last = date_from, date_to
    if first is None or last is None:
        extent = queryset.order_by().aggregate(first=Min(_counted_day(date_from)), last=Max(LAST_DAY))
        first, last = first or extent["first"], last or extent["last"]
    if first is None or last is None:
        return "month"
    span = (last - first).days
    for interval, max_span in AUTO_MAX_SPAN_DAYS:
        if span <= max_span:
            return interval
    return "month"


def timeline(queryset, interval="auto", date_from=None, date_to=None):
    """Buckets of the filtered incidents. See `timeline.json` in the README for the shape."""
    if interval == "auto":
        interval = _auto_interval(queryset, date_from, date_to)
    rows = (queryset.order_by()
            .annotate(bucket=Trunc(_counted_day(date_from), interval, output_field=DateField()))
            .values("bucket", "event_type")
            # approximate_fatalities first: once annotated, "fatalities" names the sum, not the column.
            .annotate(last_day=Max(LAST_DAY),
                      approximate_fatalities=Coalesce(Sum("fatalities", filter=APPROXIMATE), 0),
                      approximate=Count("id", filter=APPROXIMATE),
                      incidents=Count("id"), fatalities=Sum("fatalities"))
            .order_by("bucket"))
    counted, last_day = {}, None
    for row in rows:  # one row per bucket and event type, not per incident
        counted.setdefault(row["bucket"], []).append(row)
        last_day = max(last_day or row["last_day"], row["last_day"])
    buckets = []
    if counted:
        # The axis runs to the last day any incident may have happened on, so a window
        # counted at its first day is seen against the whole span it covers.
        start = min(counted)
        last = max(max(counted), bucket_start(min(last_day, date_to or last_day), interval))
        while start <= last:
            buckets.append(_bucket(start, next_bucket(start, interval), counted.get(start, [])))
            start = next_bucket(start, interval)
    return {
        "interval": interval,
        "event_types": [{"name": name, "colour": EVENT_TYPE_COLOURS[name]} for name in EventType.values],
        "totals": {key: sum(b[key] for b in buckets) for key in COUNTS},
        "buckets": buckets,
        "windows": _windows(queryset, interval, date_from, date_to) if buckets else [],
    }


def _windows(queryset, interval, date_from, date_to):
    """The commonest date windows wider than one bucket: “n incidents on an unknown day between a and b”.

    The bars count such incidents at the window's first day; these ranges show how far they may reach.
    """
    window_end = LAST_DAY if date_to is None else Least(LAST_DAY, Value(date_to, output_field=DateField()))
    rows = (queryset.order_by().filter(APPROXIMATE, date_end__isnull=False)
            .annotate(window_start=_counted_day(date_from), window_end=window_end)
            .filter(window_end__gte=NextBucket("window_start", interval=interval))
            .values("window_start", "window_end")
            .annotate(incidents=Count("id"), fatalities=Sum("fatalities"))
            .order_by("-incidents", "window_start", "window_end")[:MAX_WINDOWS])
    return [{"start": r["window_start"].isoformat(), "end": r["window_end"].isoformat(),
             "incidents": r["incidents"], "fatalities": r["fatalities"]} for r in rows]


def _bucket(start, following, rows):
    return {
        "start": start.isoformat(),
        "end": (following - datetime.timedelta(days=1)).isoformat(),
        **{key: sum(r[key] for r in rows) for key in COUNTS},
        "by_event_type": {r["event_type"]: {key: r[key] for key in COUNTS} for r in rows},
    }
