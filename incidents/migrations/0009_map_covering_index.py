"""A covering index for the map: every column the map's queries read, for published incidents only, so
PostgreSQL answers a viewport from the index without visiting the table (docs/PERFORMANCE.md, Map).

Keyed on longitude (a B-tree can range-scan it; the spatial GiST index cannot return the columns).
Raw SQL: Django's Index cannot combine an expression with INCLUDE.
"""

from django.db import migrations

PUBLISHED = "status = 'approved' AND merged_into_id IS NULL"


class Migration(migrations.Migration):
    # CONCURRENTLY: on a large table a plain CREATE INDEX would block analysts' writes for its duration.
    atomic = False

    dependencies = [
        ("incidents", "0008_count_triggers"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS incident_published_map ON incidents_incident "
            "(ST_X(point)) INCLUDE (point, event_type, fatalities, date, date_end, time_precision, geo_precision) "
            f"WHERE {PUBLISHED}",
            "DROP INDEX CONCURRENTLY IF EXISTS incident_published_map",
        ),
    ]
