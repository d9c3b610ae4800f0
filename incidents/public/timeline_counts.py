"""What the timeline counts for a dashboard filter: the counts kept on write
(incidents/models/counts.py) when the filter only narrows by date, event types, date precision and
governorates or districts (not both), else the filtered incidents themselves.

The counts table has one row per (day, window end, precision, event type[, governorate]) instead of
one per incident, so the usual views (everything, a period, Deir ez-Zor) read tens of thousands of
rows rather than a million. Filters the counts cannot answer (actor, text, fatalities, a
governorate and a district together …) fall back to the incidents: the same numbers, only slower.

With no date or area filter, monthly bars (the dashboard's first view) come from the month counts
(TimelineMonthCount, migration 0030): ~5,500 rows at a million incidents instead of 38,986.
"""

from typing import NamedTuple

from django.db.models import BigIntegerField, Sum
from django.db.models.functions import Cast

from incidents.common.sqljson import sql_with_params
from incidents.models.counts import AreaTimelineCount, TimelineCount, TimelineMonthCount
from incidents.models.incident import overlapping_dates
from incidents.public.filters import filters_in_use

# Filters the counts tables can answer; any other filter in use means counting incidents.
ANSWERED_BY_COUNTS = {"date_from", "date_to", "event_type", "governorate", "district", "time_precision"}
# Filters the month counts can answer (their rows have no day to cut at a date, no area).
ANSWERED_BY_MONTH_COUNTS = {"event_type", "time_precision"}

# The month counts' deltas summed per key (a key whose incidents were all withdrawn drops out), then
# the rows timeline.COUNT_SQL gives for interval=month and no date filter: bars per (month, event
# type) and the commonest windows reaching past their month. A bar's last_day is its latest window
# or multi-month event's last day, else its month's first day: a lower bound of COUNT_SQL's, in the
# same month (timeline.timeline recounts from the day counts when the difference could matter).
MONTH_SQL = """
WITH k AS MATERIALIZED (
    SELECT month, event_type, time_precision <> 1 AS approximate, window_start, last_day,
           sum(incidents) AS n, sum(fatalities) AS f
    FROM ({inner}) m
    GROUP BY month, event_type, time_precision, window_start, last_day HAVING sum(incidents) > 0
)
SELECT 0 AS kind, month AS bucket, event_type, NULL::date AS window_start, NULL::date AS window_end,
       sum(n)::bigint AS incidents, sum(f)::bigint AS fatalities,
       coalesce(sum(n) FILTER (WHERE approximate), 0)::bigint AS approximate,
       coalesce(sum(f) FILTER (WHERE approximate), 0)::bigint AS approximate_fatalities,
       max(coalesce(last_day, month)) AS last_day
FROM k GROUP BY month, event_type
UNION ALL
(SELECT 1, NULL, NULL, window_start, last_day, sum(n)::bigint, sum(f)::bigint,
        sum(n)::bigint, sum(f)::bigint, last_day
 FROM k WHERE window_start IS NOT NULL
 GROUP BY window_start, last_day ORDER BY 6 DESC, 4, 5 LIMIT %s)
"""


class CountedRows(NamedTuple):
    """The timeline's sources from the counts: `day` is SQL (sql, params) of rows (date, date_end,
    time_precision, event_type, fatalities, n) over the day counts; `month` is (sql, params) of
    timeline._count's rows for monthly bars with no date filter (MONTH_SQL with its LIMIT's value
    still to append), or None when the filter needs the day counts."""

    day: tuple
    month: tuple | None


def counted_rows(incident_filter):
    """The timeline's source for a valid IncidentFilter: CountedRows over the counts, or its queryset.

    Several event types, governorates or districts (issue 16) are summed: an incident has one event
    type, one governorate and one district, so no incident is counted twice.
    """
    data = incident_filter.form.cleaned_data
    used = filters_in_use(data)
    # Both area filters at once: an incident whose district lies outside its governorate (an analyst's
    # own choice) would be counted under the district; only the incidents can say.
    if not used <= ANSWERED_BY_COUNTS or {"governorate", "district"} <= used:
        return incident_filter.qs
    areas = [area.pk for area in (data.get("governorate") or data.get("district") or [])]
    counts = AreaTimelineCount.objects.filter(area_id__in=areas) if areas else TimelineCount.objects.all()
    # The same conditions as IncidentFilter's, on the counts' columns.
    counts = counts.filter(overlapping_dates(data.get("date_from"), data.get("date_to")))
    if data.get("event_type"):
        counts = counts.filter(event_type__in=data["event_type"])
    if data.get("time_precision"):
        counts = counts.filter(time_precision__in=[int(p) for p in data["time_precision"]])
    # Deltas are summed per key; a key whose incidents were all withdrawn again drops out.
    rows = (counts.order_by().values("date", "date_end", "time_precision", "event_type")
            .annotate(fatalities=Cast(Sum("fatalities"), BigIntegerField()), n=Cast(Sum("incidents"), BigIntegerField()))
            .filter(n__gt=0))
    return CountedRows(sql_with_params(rows), _month_rows(data) if used <= ANSWERED_BY_MONTH_COUNTS else None)


def _month_rows(data):
    """(MONTH_SQL, params) over the month counts narrowed by event types and date precisions."""
    counts = TimelineMonthCount.objects.all()
    if data.get("event_type"):
        counts = counts.filter(event_type__in=data["event_type"])
    if data.get("time_precision"):
        counts = counts.filter(time_precision__in=[int(p) for p in data["time_precision"]])
    inner, params = sql_with_params(counts.order_by().values(
        "month", "event_type", "time_precision", "window_start", "last_day", "incidents", "fatalities"))
    return MONTH_SQL.replace("{inner}", inner), list(params)
