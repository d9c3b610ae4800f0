"""What the timeline counts for a dashboard filter: the counts kept on write (incidents/counts.py)
when the filter only narrows by date, event type, date precision and one governorate or district,
else the filtered incidents themselves.

The counts table has one row per (day, window end, precision, event type[, governorate]) instead of
one per incident, so the usual views (everything, a period, Deir ez-Zor) read tens of thousands of
rows rather than a million. Filters the counts cannot answer (actor, text, fatalities, a
governorate and a district together …) fall back to the incidents: the same numbers, only slower.
"""

from incidents.models.counts import AreaTimelineCount, TimelineCount

# Filters the counts tables can answer; any other filter in use means counting incidents.
ANSWERED_BY_COUNTS = {"date_from", "date_to", "event_type", "governorate", "district", "time_precision"}


def _in_use(cleaned_data):
    return {name for name, value in cleaned_data.items() if value not in (None, "", [], ())}


def counted_rows(incident_filter):
    """The timeline's source for a valid IncidentFilter: SQL over the counts, or its queryset."""
    data = incident_filter.form.cleaned_data
    used = _in_use(data)
    # Both area filters at once: an incident whose district lies outside its governorate (an analyst's
    # own choice) would be counted under the district; only the incidents can say.
    if not used <= ANSWERED_BY_COUNTS or {"governorate", "district"} <= used:
        return incident_filter.qs
    area = data.get("governorate") or data.get("district")
    table = (AreaTimelineCount if area else TimelineCount)._meta.db_table
    # The same conditions as IncidentFilter's, on the counts' columns.
    conditions = {
        "area_id = %s": area and area.pk,
        "COALESCE(date_end, date) >= %s": data.get("date_from"),
        "date <= %s": data.get("date_to"),
        "event_type = %s": data.get("event_type"),
        "time_precision = ANY(%s)": [int(p) for p in data.get("time_precision") or []],
    }
    chosen = {sql: value for sql, value in conditions.items() if value}
    where = " AND ".join(chosen) or "TRUE"
    # Deltas are summed per key; a key whose incidents were all withdrawn again drops out.
    sql = (f"SELECT date, date_end, time_precision, event_type, sum(fatalities)::bigint AS fatalities, "
           f"sum(incidents)::bigint AS n FROM {table} WHERE {where} "
           f"GROUP BY date, date_end, time_precision, event_type HAVING sum(incidents) > 0")
    return sql, list(chosen.values())
