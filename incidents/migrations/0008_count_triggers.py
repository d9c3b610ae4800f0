"""Triggers that keep incidents/counts.py current on every write, from any code path (ORM, admin,
imports, raw SQL), plus the functions that rebuild or compact the timeline counts.

Written out here rather than imported from the app so that this migration stays as it was run.
"""

from django.db import migrations

PUBLISHED = "status = 'approved' AND merged_into_id IS NULL"
# Every table whose rows a public page, JSON answer or export shows.
PUBLIC_TABLES = (
    "incidents_incident", "incidents_incident_assoc_actors_1", "incidents_incident_assoc_actors_2",
    "incidents_actor", "incidents_evidence", "incidents_article", "incidents_source",
    "incidents_adminarea", "incidents_place",
)
KEY = "date, date_end, time_precision, event_type"
# (counts table, its key, the same key read from an incident row)
COUNT_TABLES = (
    ("incidents_timelinecount", KEY, KEY),
    ("incidents_governoratetimelinecount", f"{KEY}, governorate_id", f"{KEY}, admin1_id"),
)

DATA_VERSION_SQL = """
INSERT INTO incidents_dataversion (id, value) VALUES (1, 1) ON CONFLICT (id) DO NOTHING;

-- Deferred to COMMIT, so the row lock on the counter is held for an instant, never while a
-- transaction is still working (no waits, no deadlocks between writers), and so a reader that sees
-- the new number also sees the data it stands for. Once per transaction: later events return at once.
CREATE FUNCTION incidents_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('incidents.data_version_bumped', true) IS DISTINCT FROM 'yes' THEN
        INSERT INTO incidents_dataversion (id, value) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET value = incidents_dataversion.value + 1;
        PERFORM set_config('incidents.data_version_bumped', 'yes', true);
    END IF;
    RETURN NULL;
END $$;
"""


def data_version_triggers():
    statements = []
    for table in PUBLIC_TABLES:
        statements.append(
            f"CREATE CONSTRAINT TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION incidents_bump_data_version();")
        statements.append(
            f"CREATE TRIGGER data_version_bump_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION incidents_bump_data_version();")
    return "\n".join(statements)


def delta_statement(table, key, incident_key, sources):
    """Add the net change of one statement to a counts table: +1 per row that is published after it,
    -1 per row that was published before it, netted per key (an edit of the summary adds nothing)."""
    rows = " UNION ALL ".join(
        f"SELECT {incident_key}, fatalities, {sign} AS sign FROM {source} WHERE {PUBLISHED}"
        for source, sign in sources)
    return (f"INSERT INTO {table} ({key}, incidents, fatalities) "
            f"SELECT {key}, sum(sign), sum(sign * fatalities) FROM ({rows}) AS d({key}, fatalities, sign) "
            f"GROUP BY {key} HAVING sum(sign) <> 0 OR sum(sign * fatalities) <> 0;")


def timeline_count_functions():
    operations = {"insert": [("new_rows", 1)], "delete": [("old_rows", -1)],
                  "update": [("old_rows", -1), ("new_rows", 1)]}
    referencing = {"insert": "NEW TABLE AS new_rows", "delete": "OLD TABLE AS old_rows",
                   "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}
    statements = []
    for operation, sources in operations.items():
        body = "\n".join(delta_statement(*names, sources) for names in COUNT_TABLES)
        statements.append(f"""
CREATE FUNCTION incidents_timeline_counts_{operation}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
RETURN NULL;
END $$;
CREATE TRIGGER timeline_counts_{operation} AFTER {operation.upper()} ON incidents_incident
REFERENCING {referencing[operation]} FOR EACH STATEMENT EXECUTE FUNCTION incidents_timeline_counts_{operation}();
""")
    # DELETE, not TRUNCATE: a TRUNCATE that lists the counts tables too (as Django's flush does) is
    # still running on them when this fires.
    emptying = " ".join(f"DELETE FROM {table};" for table, _, _ in COUNT_TABLES)
    statements.append(f"""
CREATE FUNCTION incidents_timeline_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {emptying} RETURN NULL; END $$;
CREATE TRIGGER timeline_counts_truncate AFTER TRUNCATE ON incidents_incident
FOR EACH STATEMENT EXECUTE FUNCTION incidents_timeline_counts_truncate();
""")
    # Each rebuild or compaction is one statement, so its DELETE and its INSERT share one snapshot:
    # deltas that writers commit meanwhile are neither deleted nor double counted.
    rebuild = "\n".join(
        f"WITH gone AS (DELETE FROM {table}) INSERT INTO {table} ({key}, incidents, fatalities) "
        f"SELECT {incident_key}, count(*), sum(fatalities) FROM incidents_incident WHERE {PUBLISHED} "
        f"GROUP BY {incident_key};"
        for table, key, incident_key in COUNT_TABLES)
    compact = "\n".join(
        f"WITH gone AS (DELETE FROM {table} RETURNING {key}, incidents, fatalities) "
        f"INSERT INTO {table} ({key}, incidents, fatalities) SELECT {key}, sum(incidents), sum(fatalities) "
        f"FROM gone GROUP BY {key} HAVING sum(incidents) <> 0 OR sum(fatalities) <> 0;"
        for table, key, _ in COUNT_TABLES)
    statements.append(f"""
CREATE FUNCTION incidents_rebuild_timeline_counts() RETURNS void LANGUAGE sql AS $$
{rebuild}
$$;
CREATE FUNCTION incidents_compact_timeline_counts() RETURNS void LANGUAGE sql AS $$
{compact}
$$;
SELECT incidents_rebuild_timeline_counts();
""")
    return "\n".join(statements)


def drop_sql():
    statements = [f"DROP TRIGGER IF EXISTS {name} ON {table};"
                  for table in PUBLIC_TABLES for name in ("data_version_bump", "data_version_bump_truncate")]
    statements += [f"DROP TRIGGER IF EXISTS timeline_counts_{op} ON incidents_incident;"
                   for op in ("insert", "update", "delete", "truncate")]
    statements += [f"DROP FUNCTION IF EXISTS incidents_timeline_counts_{op}();"
                   for op in ("insert", "update", "delete", "truncate")]
    statements += ["DROP FUNCTION IF EXISTS incidents_rebuild_timeline_counts();",
                   "DROP FUNCTION IF EXISTS incidents_compact_timeline_counts();",
                   "DROP FUNCTION IF EXISTS incidents_bump_data_version();"]
    return "\n".join(statements)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0007_counts_kept_on_write"),
    ]

    operations = [
        migrations.RunSQL(DATA_VERSION_SQL + data_version_triggers() + timeline_count_functions(), drop_sql()),
    ]
