"""Published incidents per map grid cell, kept on write: the unfiltered map's clusters read a few
thousand cell rows instead of grouping the hundreds of thousands of incidents in view (issue 18
target 2; docs/PERFORMANCE.md, Uncached questions).

Like the timeline counts (migration 0008) the table holds signed deltas per (cell, event type),
written by statement triggers on the incident table whatever the code path, summed when read; so
writers only INSERT and never wait on each other. incidents_rebuild_counts() and
incidents_compact_counts() (manage.py compact_counts) now also rebuild or fold these rows: 0008's
functions are renamed and called from new ones of the old name, so the bulk loader and the
maintenance service keep working unchanged.

Written out here rather than imported from the app so that this migration stays as it was run.
"""

from django.db import migrations, models

# The fine grid: a cluster cell at zoom 12 (mapdata.Viewport.cell_size, 60 px of a 256 px tile:
# 21600 / 2**20 degrees, about 2.3 km, exactly representable). Coarser zooms' cells are whole
# powers of two of these (mapdata.FINE_ZOOM).
CELL = 360.0 / (256 * 2 ** 12) * 60
PUBLISHED = "r.status = 'approved' AND r.merged_into_id IS NULL"
COLUMNS = "cell_x, cell_y, event_type, incidents, fatalities, sum_x, sum_y"


def cell_rows(source, sign):
    return (f"SELECT floor(ST_X(r.point) / {CELL!r})::int, floor(ST_Y(r.point) / {CELL!r})::int, r.event_type, "
            f"{sign}, {sign} * r.fatalities, {sign} * ST_X(r.point), {sign} * ST_Y(r.point) "
            f"FROM {source} r WHERE {PUBLISHED}")


def delta(sources):
    """The net change of one statement per (cell, event type); an edit that moves nothing adds no row."""
    rows = " UNION ALL ".join(cell_rows(source, sign) for source, sign in sources)
    return (f"INSERT INTO incidents_mapcellcount ({COLUMNS}) "
            f"SELECT cx, cy, t, sum(n), sum(f), sum(x), sum(y) FROM ({rows}) AS d(cx, cy, t, n, f, x, y) "
            f"GROUP BY cx, cy, t HAVING sum(n) <> 0 OR sum(f) <> 0 OR sum(x) <> 0 OR sum(y) <> 0;")


EVENTS = {"INSERT": ([("new_rows", 1)], "NEW TABLE AS new_rows"),
          "DELETE": ([("old_rows", -1)], "OLD TABLE AS old_rows"),
          "UPDATE": ([("old_rows", -1), ("new_rows", 1)], "OLD TABLE AS old_rows NEW TABLE AS new_rows")}

REBUILD = (f"WITH gone AS (DELETE FROM incidents_mapcellcount) INSERT INTO incidents_mapcellcount ({COLUMNS}) "
           f"SELECT cx, cy, t, count(*), sum(f), sum(x), sum(y) FROM ("
           f"SELECT floor(ST_X(r.point) / {CELL!r})::int, floor(ST_Y(r.point) / {CELL!r})::int, r.event_type, "
           f"r.fatalities, ST_X(r.point), ST_Y(r.point) FROM incidents_incident r WHERE {PUBLISHED}"
           f") AS c(cx, cy, t, f, x, y) GROUP BY cx, cy, t;")
COMPACT = (f"WITH gone AS (DELETE FROM incidents_mapcellcount RETURNING {COLUMNS}) "
           f"INSERT INTO incidents_mapcellcount ({COLUMNS}) SELECT cell_x, cell_y, event_type, sum(incidents), "
           f"sum(fatalities), sum(sum_x), sum(sum_y) FROM gone GROUP BY cell_x, cell_y, event_type "
           f"HAVING sum(incidents) <> 0;")


def forward():
    statements = []
    for event, (sources, referencing) in EVENTS.items():
        name = f"incidents_map_cells_{event.lower()}"
        statements.append(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                          f"{delta(sources)} RETURN NULL; END $$;")
        statements.append(f"CREATE TRIGGER map_cells_{event.lower()} AFTER {event} ON incidents_incident "
                          f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();")
    statements += [
        "CREATE FUNCTION incidents_map_cells_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "DELETE FROM incidents_mapcellcount; RETURN NULL; END $$;",
        "CREATE TRIGGER map_cells_truncate AFTER TRUNCATE ON incidents_incident FOR EACH STATEMENT "
        "EXECUTE FUNCTION incidents_map_cells_truncate();",
        f"CREATE FUNCTION incidents_rebuild_map_cells() RETURNS void LANGUAGE sql AS $$ {REBUILD} $$;",
        f"CREATE FUNCTION incidents_compact_map_cells() RETURNS void LANGUAGE sql AS $$ {COMPACT} $$;",
        "ALTER FUNCTION incidents_rebuild_counts() RENAME TO incidents_rebuild_timeline_actor_counts;",
        "ALTER FUNCTION incidents_compact_counts() RENAME TO incidents_compact_timeline_actor_counts;",
        "CREATE FUNCTION incidents_rebuild_counts() RETURNS void LANGUAGE sql AS $$ "
        "SELECT incidents_rebuild_timeline_actor_counts(); SELECT incidents_rebuild_map_cells(); $$;",
        "CREATE FUNCTION incidents_compact_counts() RETURNS void LANGUAGE sql AS $$ "
        "SELECT incidents_compact_timeline_actor_counts(); SELECT incidents_compact_map_cells(); $$;",
        "SELECT incidents_rebuild_map_cells();",
    ]
    return "\n".join(statements)


def backward():
    statements = [f"DROP TRIGGER IF EXISTS map_cells_{event} ON incidents_incident;"
                  for event in ("insert", "update", "delete", "truncate")]
    statements += [f"DROP FUNCTION IF EXISTS incidents_map_cells_{event}();"
                   for event in ("insert", "update", "delete", "truncate")]
    statements += [
        "DROP FUNCTION incidents_rebuild_counts();", "DROP FUNCTION incidents_compact_counts();",
        "ALTER FUNCTION incidents_rebuild_timeline_actor_counts() RENAME TO incidents_rebuild_counts;",
        "ALTER FUNCTION incidents_compact_timeline_actor_counts() RENAME TO incidents_compact_counts;",
        "DROP FUNCTION incidents_rebuild_map_cells();", "DROP FUNCTION incidents_compact_map_cells();",
    ]
    return "\n".join(statements)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0027_plain_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="MapCellCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("cell_x", models.IntegerField()),
                ("cell_y", models.IntegerField()),
                ("event_type", models.CharField(max_length=40)),
                ("incidents", models.IntegerField()),
                ("fatalities", models.BigIntegerField()),
                ("sum_x", models.FloatField(help_text="Sum of the longitudes (degrees), for the cluster's mean position.")),
                ("sum_y", models.FloatField()),
            ],
            options={"indexes": [models.Index(fields=["cell_x", "cell_y"], name="map_cell_xy")]},
        ),
        migrations.RunSQL(forward(), backward()),
    ]
