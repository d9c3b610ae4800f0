"""Trigram indexes for the dashboard's text search (IncidentFilter.filter_text) and the admin's search.

Django's icontains is UPPER(column) LIKE UPPER('%word%'), so the indexes are on UPPER(...). Without
them a search reads every row; with them it combines index scans (docs/PERFORMANCE.md, Text search).
pg_trgm ships with PostgreSQL and is a trusted extension (the database owner may create it).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {"incident_notes_trigram": "notes", "incident_location_trigram": "location"}


class Migration(migrations.Migration):
    # CONCURRENTLY: on a large table a plain CREATE INDEX would block analysts' writes for its duration.
    atomic = False

    dependencies = [
        ("incidents", "0009_map_covering_index"),
    ]

    operations = [
        TrigramExtension(),
        *(migrations.RunSQL(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON incidents_incident "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)",
            f"DROP INDEX CONCURRENTLY IF EXISTS {name}") for name, column in INDEXES.items()),
    ]
