"""Public dashboard: multi-value filters, search and sorting (issue 16).

- ACLED's full event-type names as the choices' labels (incidents.common.typology.EventType): a
  change of labels only, nothing in the database changes.
- Indexes for the table's new sort orders on published incidents, read forwards or backwards with the
  id as tie-break: by place as coded (location, id), and by actor 1 (actor1_id, id), which PostgreSQL
  walks actor by actor in name order (docs/PERFORMANCE.md, Table sort). Date, event type and fatalities
  already have theirs (0011, 0006, 0012). The search's regular expressions use the trigram indexes of 0010.
"""

from django.db import migrations, models

EVENT_TYPES = [('Battles', 'Battles'), ('Explosions/Remote violence', 'Explosions/Remote violence'),
               ('Violence against civilians', 'Violence against civilians'), ('Protests', 'Protests'),
               ('Riots', 'Riots'), ('Strategic developments', 'Strategic developments')]
# The SQL of incidents.models.incident.PUBLISHED as the partial indexes before these were written (0012).
PUBLISHED_SQL = "status = 'approved' AND merged_into_id IS NULL"
INDEXES = {
    "incident_published_location": "(location, id)",
    "incident_published_actor1": "(actor1_id, id)",
}


class Migration(migrations.Migration):
    # CONCURRENTLY: on a large table a plain CREATE INDEX would block analysts' writes for its duration.
    atomic = False

    dependencies = [("incidents", "0018_arabic_names")]

    operations = [
        *(migrations.AlterField(model_name=model, name="event_type",
                                field=models.CharField(choices=EVENT_TYPES, max_length=40))
          for model in ("areatimelinecount", "eventrule", "historicalincident", "incident", "timelinecount")),
        *(migrations.RunSQL(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON incidents_incident {columns} WHERE {PUBLISHED_SQL}",
            f"DROP INDEX CONCURRENTLY IF EXISTS {name}") for name, columns in INDEXES.items()),
    ]
