"""Incidents and fatalities per day, week or month, stacked by event type, counted in SQL.

PostgreSQL does the counting in one scan of the filtered incidents (date_trunc …
GROUP BY); Python only lays the few hundred resulting buckets end to end and fills
the empty ones with zeros.

An incident whose date is a window (time precision above “exact day”) is counted
in the bucket of the first day of its window that lies inside the date filter,
and is also counted as “approximate”, so the chart can show how much of each bar
is uncertain instead of passing a window off as a day. The commonest windows
wider than one bucket are reported too (“7 incidents on an unknown day between
30 Sep 2015 and 9 Sep 2017”), and the axis runs to the last day they may reach.
"""

import datetime
import re

from django.db import connection, transaction
from django.db.models import IntegerField, QuerySet, Value

from incidents.common.params import BadParameters, one_value
from incidents.common.plausible_dates import FIRST_DAY, last_day
from incidents.common.sqljson import INNER, sql_with_params, tune_for_one_scan
from incidents.common.typology import EVENT_TYPE_COLOURS, EventType

INTERVALS = ("day", "week", "month")
COUNTS = ("incidents", "fatalities", "approximate", "approximate_fatalities")
MAX_WINDOWS = 5
# "auto" picks the finest interval that keeps the chart to a readable number of bars
# (at most ~160): days up to a 90-day span, weeks up to three years, months beyond.
AUTO_MAX_SPAN_DAYS = (("day", 90), ("week", 3 * 365))
# No answer holds more bars than this: an explicit interval too fine for the span is coarsened
# (day → week → month; the answer's "interval" says which), and counts dated outside the plausible
# range (incidents.common.plausible_dates) are folded into its first or last bar, so one bad date
# cannot make 23,911 monthly bars (issue 15 point 5). Months over the whole range stay below it.
MAX_BUCKETS = 1000

# One scan of the filtered incidents into (bucket, event type, window) groups, a parallel
# hash aggregate; the bars and the commonest windows are then summed from those few groups.
# (GROUPING SETS did the same in one statement but sorted every row, which made it slower:
# docs/PERFORMANCE.md, Timeline and public pages.)
COUNT_SQL = """
WITH c AS MATERIALIZED (
    SELECT bucket, event_type, window_start, window_end,
           sum(n) AS incidents, sum(fatalities) AS fatalities,
           coalesce(sum(n) FILTER (WHERE approximate), 0) AS approximate,
           coalesce(sum(fatalities) FILTER (WHERE approximate), 0) AS approximate_fatalities,
           max(last_day) AS last_day
    FROM (
        SELECT date_trunc(%(interval)s, counted::timestamp)::date AS bucket, event_type, fatalities, n, approximate,
               last_day, CASE WHEN wide THEN counted END AS window_start,
               CASE WHEN wide THEN last_day END AS window_end
        FROM (
            SELECT *, approximate AND has_end
                      AND last_day >= (date_trunc(%(interval)s, counted::timestamp) + %(step)s::interval)::date AS wide
            FROM (
                SELECT GREATEST(r.date, %(date_from)s::date) AS counted,
                       LEAST(COALESCE(r.date_end, r.date), %(date_to)s::date) AS last_day,
                       r.time_precision <> 1 AS approximate, r.date_end IS NOT NULL AS has_end,
                       r.event_type, r.fatalities, r.n
                FROM ({inner}) r
            ) days
        ) spans
    ) x
    GROUP BY 1, 2, 3, 4
)
SELECT 0 AS kind, bucket, event_type, NULL::date AS window_start, NULL::date AS window_end,
       sum(incidents)::bigint AS incidents, sum(fatalities)::bigint AS fatalities,
       sum(approximate)::bigint AS approximate, sum(approximate_fatalities)::bigint AS approximate_fatalities,
       max(last_day) AS last_day
FROM c GROUP BY bucket, event_type
UNION ALL
(SELECT 1, NULL, NULL, window_start, window_end, sum(incidents)::bigint, sum(fatalities)::bigint,
        sum(approximate)::bigint, sum(approximate_fatalities)::bigint, max(window_end)
 FROM c WHERE window_start IS NOT NULL
 GROUP BY window_start, window_end ORDER BY 6 DESC, 4, 5 LIMIT %(max_windows)s)
"""


def parse_interval(params):
    interval = one_value(params, "interval") or "auto"
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


def _auto(first, last):
    span = (last - first).days
    for interval, max_span in AUTO_MAX_SPAN_DAYS:
        if span <= max_span:
            return interval
    return "month"


def _rows_sql(source):
    """SQL of rows (date, date_end, time_precision, event_type, fatalities, n): each row stands for n
    incidents with fatalities between them. A queryset gives one row per incident; timeline_counts
    gives SQL over the counts kept on write."""
    if isinstance(source, QuerySet):
        return sql_with_params(source.order_by().annotate(n=Value(1, output_field=IntegerField())).values(
            "date", "date_end", "time_precision", "event_type", "fatalities", "n"))
    return source


def _month_counts(source, interval, date_from, date_to):
    """The (sql, params) of timeline_counts' month counts when they answer this question, else None."""
    month = getattr(source, "month", None)
    return month if month and interval == "month" and date_from is None and date_to is None else None


def _count(source, interval, date_from, date_to):
    """(bar rows, window rows) as dicts, from one SQL statement."""
    month = _month_counts(source, interval, date_from, date_to)
    if month:
        sql, params = month[0], [*month[1], MAX_WINDOWS]
    else:
        inner_sql, inner_params = _rows_sql(getattr(source, "day", source))
        # The ORM's SQL uses positional %s: turn the outer named placeholders into positional ones around it.
        named = {"date_from": date_from, "date_to": date_to, "interval": interval, "step": f"1 {interval}",
                 "max_windows": MAX_WINDOWS}
        head, tail = (_positional(part, named) for part in COUNT_SQL.split(INNER))
        sql, params = head[0] + inner_sql + tail[0], [*head[1], *inner_params, *tail[1]]
    with transaction.atomic(), connection.cursor() as cursor:
        tune_for_one_scan(cursor)
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        found = [dict(zip(columns, row)) for row in cursor.fetchall()]
    return [r for r in found if r["kind"] == 0], [r for r in found if r["kind"] != 0]


def timeline(source, interval="auto", date_from=None, date_to=None):
    """Buckets of the filtered incidents; the shape is documented in docs/public-api.md.

    `source` is a queryset of incidents, or timeline_counts.counted_rows() for a dashboard filter
    (SQL over the day counts, and over the month counts when they can answer)."""
    chosen = interval
    if interval == "auto":
        # Months first: over a long span (the usual case) that is the answer, in one scan.
        chosen = _auto(date_from, date_to) if date_from and date_to else "month"
    bars, windows = _count(source, chosen, date_from, date_to)
    if interval == "auto" and not (date_from and date_to) and bars:
        finer = _auto(min(r["bucket"] for r in bars), max(r["last_day"] for r in bars))
        if finer != chosen and _month_counts(source, chosen, date_from, date_to):
            # The month counts know a bar's last day only to the month (a lower bound): a span that
            # short needs the day counts' exact last day.
            source = source.day
            bars, windows = _count(source, chosen, date_from, date_to)
            finer = _auto(min(r["bucket"] for r in bars), max(r["last_day"] for r in bars))
        if finer != chosen:
            chosen = finer
            bars, windows = _count(source, chosen, date_from, date_to)
    while _span_buckets(bars, chosen) > MAX_BUCKETS and chosen != "month":
        chosen = INTERVALS[INTERVALS.index(chosen) + 1]
        bars, windows = _count(source, chosen, date_from, date_to)
    buckets = _fill(bars, chosen, date_from, date_to)
    return {
        "interval": chosen,
        "event_types": [{"name": name, "colour": EVENT_TYPE_COLOURS[name]} for name in EventType.values],
        "totals": {key: sum(b[key] for b in buckets) for key in COUNTS},
        "buckets": buckets,
        "windows": [{"start": w["window_start"].isoformat(), "end": w["window_end"].isoformat(),
                     "incidents": w["incidents"], "fatalities": w["fatalities"]} for w in windows],
    }


def _plausible_bucket(day, interval, bounds=None):
    """The bucket of `day`, held inside the plausible range's first and last buckets (`bounds`:
    _plausible_bounds(interval) when the caller already has them, for a loop over hundreds of rows)."""
    first, last = bounds or _plausible_bounds(interval)
    return min(max(bucket_start(day, interval), first), last)


def _plausible_bounds(interval):
    return bucket_start(FIRST_DAY, interval), bucket_start(last_day(), interval)


def _span_buckets(bars, interval):
    """How many bars _fill would lay out for these rows."""
    if not bars:
        return 0
    first = _plausible_bucket(min(r["bucket"] for r in bars), interval)
    last = _plausible_bucket(max(max(r["bucket"], r["last_day"]) for r in bars), interval)
    days = (last - first).days
    return days // {"day": 1, "week": 7, "month": 28}[interval] + 1


def _fill(bars, interval, date_from=None, date_to=None):
    """Consecutive buckets from the first counted to the last day any incident may reach, zeros
    included, never outside the plausible range (rows dated outside it count in its edge bars).

    A bucket's "start" and "end" are the days it counts: held inside the date filter, so the first
    bar of ?date_from=2016-01-18 says (and its link keeps) 18–31 January, not the whole month."""
    counted, bounds = {}, _plausible_bounds(interval)
    for row in bars:  # one row per bucket and event type, not per incident
        counted.setdefault(_plausible_bucket(row["bucket"], interval, bounds), []).append(row)
    if not counted:
        return []
    start = min(counted)
    last = max(max(counted), _plausible_bucket(max(r["last_day"] for r in bars), interval, bounds))
    buckets = []
    while start <= last:
        following = next_bucket(start, interval)
        rows = counted.get(start, [])
        end = following - datetime.timedelta(days=1)
        buckets.append({
            "start": max(start, date_from).isoformat() if date_from else start.isoformat(),
            "end": min(end, date_to).isoformat() if date_to else end.isoformat(),
            **{key: sum(r[key] for r in rows) for key in COUNTS},
            "by_event_type": _by_event_type(rows),
        })
        start = following
    return buckets


def _by_event_type(rows):
    """{event type: counts} of one bar's rows (several per type when edge rows were folded in)."""
    found = {}
    for row in rows:
        into = found.setdefault(row["event_type"], dict.fromkeys(COUNTS, 0))
        for key in COUNTS:
            into[key] += row[key]
    return found


def _positional(sql, named):
    """SQL with %(name)s placeholders → (SQL with %s, values in order), to sit beside the ORM's %s ones."""
    values = []

    def take(match):
        values.append(named[match.group(1)])
        return "%s"

    return re.sub(r"%\((\w+)\)s", take, sql), values
