"""Published incidents per month, kept on write: the unfiltered timeline by month reads ~5,500 rows
instead of summing the 38,986 day-level count rows per key first (issue 18 target 2;
docs/PERFORMANCE.md, Uncached questions).

A row's key is the month bar an incident counts in with no date filter (timeline.COUNT_SQL:
date_trunc('month', date)), its event type and date precision, and, when its last day
(coalesce(date_end, date)) lies past that month, the first and last day: `window_start` (only for an
approximate window, which the timeline also lists among the commonest windows) and `last_day` (which
stretches the axis). Signed deltas like migration 0008's tables, written by statement triggers on the
incident table whatever the code path, summed when read; incidents_rebuild_counts() and
incidents_compact_counts() now also rebuild or fold these rows (timeline_counts.month_rows()).

Written out here rather than imported from the app so that this migration stays as it was run.
"""

from django.db import migrations, models

PUBLISHED = "r.status = 'approved' AND r.merged_into_id IS NULL"
COLUMNS = "month, event_type, time_precision, window_start, last_day, incidents, fatalities"
KEY = "month, event_type, time_precision, window_start, last_day"
NEXT_MONTH = "(date_trunc('month', r.date::timestamp) + interval '1 month')::date"
# The key's values for an incident row r: the same month and window rules as timeline.COUNT_SQL.
KEY_OF_ROW = (
    "date_trunc('month', r.date::timestamp)::date, r.event_type, r.time_precision, "
    f"CASE WHEN r.time_precision <> 1 AND r.date_end >= {NEXT_MONTH} THEN r.date END, "
    f"CASE WHEN coalesce(r.date_end, r.date) >= {NEXT_MONTH} THEN coalesce(r.date_end, r.date) END")


def delta(sources):
    """The net change of one statement per key; an edit that moves nothing adds no row."""
    rows = " UNION ALL ".join(f"SELECT {KEY_OF_ROW}, {sign}, {sign} * r.fatalities FROM {source} r WHERE {PUBLISHED}"
                              for source, sign in sources)
    return (f"INSERT INTO incidents_timelinemonthcount ({COLUMNS}) SELECT {KEY}, sum(n), sum(f) "
            f"FROM ({rows}) AS d({KEY}, n, f) GROUP BY {KEY} HAVING sum(n) <> 0 OR sum(f) <> 0;")


EVENTS = {"INSERT": ([("new_rows", 1)], "NEW TABLE AS new_rows"),
          "DELETE": ([("old_rows", -1)], "OLD TABLE AS old_rows"),
          "UPDATE": ([("old_rows", -1), ("new_rows", 1)], "OLD TABLE AS old_rows NEW TABLE AS new_rows")}

# One statement each, so the DELETE and the INSERT share one snapshot (as migration 0008's).
REBUILD = (f"WITH gone AS (DELETE FROM incidents_timelinemonthcount) INSERT INTO incidents_timelinemonthcount "
           f"({COLUMNS}) SELECT {KEY}, count(*), sum(f) FROM (SELECT {KEY_OF_ROW}, r.fatalities "
           f"FROM incidents_incident r WHERE {PUBLISHED}) AS c({KEY}, f) GROUP BY {KEY};")
COMPACT = (f"WITH gone AS (DELETE FROM incidents_timelinemonthcount RETURNING {COLUMNS}) "
           f"INSERT INTO incidents_timelinemonthcount ({COLUMNS}) SELECT {KEY}, sum(incidents), sum(fatalities) "
           f"FROM gone GROUP BY {KEY} HAVING sum(incidents) <> 0 OR sum(fatalities) <> 0;")

# What 0028 left these two as.
OLD_REBUILD = ("SELECT incidents_rebuild_timeline_actor_counts(); SELECT incidents_rebuild_map_cells();")
OLD_COMPACT = ("SELECT incidents_compact_timeline_actor_counts(); SELECT incidents_compact_map_cells();")


def forward():
    statements = []
    for event, (sources, referencing) in EVENTS.items():
        name = f"incidents_month_counts_{event.lower()}"
        statements.append(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                          f"{delta(sources)} RETURN NULL; END $$;")
        statements.append(f"CREATE TRIGGER month_counts_{event.lower()} AFTER {event} ON incidents_incident "
                          f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();")
    statements += [
        "CREATE FUNCTION incidents_month_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "DELETE FROM incidents_timelinemonthcount; RETURN NULL; END $$;",
        "CREATE TRIGGER month_counts_truncate AFTER TRUNCATE ON incidents_incident FOR EACH STATEMENT "
        "EXECUTE FUNCTION incidents_month_counts_truncate();",
        f"CREATE FUNCTION incidents_rebuild_month_counts() RETURNS void LANGUAGE sql AS $$ {REBUILD} $$;",
        f"CREATE FUNCTION incidents_compact_month_counts() RETURNS void LANGUAGE sql AS $$ {COMPACT} $$;",
        "CREATE OR REPLACE FUNCTION incidents_rebuild_counts() RETURNS void LANGUAGE sql AS $$ "
        f"{OLD_REBUILD} SELECT incidents_rebuild_month_counts(); $$;",
        "CREATE OR REPLACE FUNCTION incidents_compact_counts() RETURNS void LANGUAGE sql AS $$ "
        f"{OLD_COMPACT} SELECT incidents_compact_month_counts(); $$;",
        "SELECT incidents_rebuild_month_counts();",
    ]
    return "\n".join(statements)


def backward():
    statements = [f"DROP TRIGGER IF EXISTS month_counts_{event} ON incidents_incident;"
                  for event in ("insert", "update", "delete", "truncate")]
    statements += [f"DROP FUNCTION IF EXISTS incidents_month_counts_{event}();"
                   for event in ("insert", "update", "delete", "truncate")]
    statements += [
        f"CREATE OR REPLACE FUNCTION incidents_rebuild_counts() RETURNS void LANGUAGE sql AS $$ {OLD_REBUILD} $$;",
        f"CREATE OR REPLACE FUNCTION incidents_compact_counts() RETURNS void LANGUAGE sql AS $$ {OLD_COMPACT} $$;",
        "DROP FUNCTION incidents_rebuild_month_counts();", "DROP FUNCTION incidents_compact_month_counts();",
    ]
    return "\n".join(statements)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0029_distinct_arabic_district_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="TimelineMonthCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("event_type", models.CharField(max_length=40)),
                ("time_precision", models.PositiveSmallIntegerField()),
                ("window_start", models.DateField(null=True)),
                ("last_day", models.DateField(null=True)),
                ("incidents", models.IntegerField()),
                ("fatalities", models.BigIntegerField()),
            ],
        ),
        migrations.RunSQL(forward(), backward()),
    ]
