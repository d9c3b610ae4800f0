"""What the timeline counts for a dashboard filter: the counts kept on write
(incidents/models/counts.py) when the filter only narrows by date, event types, date precision and
governorates or districts (not both), else the filtered incidents themselves.

The counts table has one row per (day, window end, precision, event type[, governorate]) instead of
one per incident, so the usual views (everything, a period, Deir ez-Zor) read tens of thousands of
rows rather than a million. Filters the counts cannot answer (actor, text, fatalities, a
governorate and a district together …) fall back to the incidents: the same numbers, only slower.
"""

from django.db.models import BigIntegerField, Sum
from django.db.models.functions import Cast

from incidents.common.sqljson import sql_with_params
from incidents.models.counts import AreaTimelineCount, TimelineCount
from incidents.models.incident import overlapping_dates
from incidents.public.filters import filters_in_use

# Filters the counts tables can answer; any other filter in use means counting incidents.
ANSWERED_BY_COUNTS = {"date_from", "date_to", "event_type", "governorate", "district", "time_precision"}


def counted_rows(incident_filter):
    """The timeline's source for a valid IncidentFilter: SQL over the counts, or its queryset.

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
    return sql_with_params(rows)
