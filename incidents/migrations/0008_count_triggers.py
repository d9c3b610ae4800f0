"""Triggers that keep incidents/models/counts.py current on every write, from any code path (ORM, admin,
imports, raw SQL), plus the functions that rebuild or compact the timeline counts.

Written out here rather than imported from the app so that this migration stays as it was run.
"""

from django.db import migrations

# Every table whose rows a public page, JSON answer or export shows.
PUBLIC_TABLES = (
    "incidents_incident", "incidents_incident_assoc_actors_1", "incidents_incident_assoc_actors_2",
    "incidents_actor", "incidents_evidence", "incidents_article", "incidents_source",
    "incidents_adminarea", "incidents_place",
)
ASSOC_TABLES = ("incidents_incident_assoc_actors_1", "incidents_incident_assoc_actors_2")
KEY = "date, date_end, time_precision, event_type"
# (counts table, its key, the key's values read from an incident row r: one per row it counts in)
COUNT_TABLES = (
    ("incidents_timelinecount", KEY, [(KEY, "TRUE")]),
    # Each incident once under its governorate and once under its district.
    ("incidents_areatimelinecount", f"{KEY}, area_id",
     [(f"{KEY}, admin{level}_id", f"r.admin{level}_id IS NOT NULL") for level in (1, 2)]),
)
ALL_COUNT_TABLES = ("incidents_timelinecount", "incidents_areatimelinecount", "incidents_actorcount")

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


# Incidents are the busiest table: analysts' drafts and reviews must not empty the public cache, so
# only a row that is or was approved moves the version (one trigger per event: WHEN cannot name OLD
# for an insert).
INCIDENT_EVENTS = {"insert": "NEW.status = 'approved'", "delete": "OLD.status = 'approved'",
                   "update": "OLD.status = 'approved' OR NEW.status = 'approved'"}


def data_version_triggers():
    statements = [
        f"CREATE CONSTRAINT TRIGGER data_version_bump_{event} AFTER {event.upper()} ON incidents_incident "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({condition}) "
        f"EXECUTE FUNCTION incidents_bump_data_version();"
        for event, condition in INCIDENT_EVENTS.items()]
    for table in PUBLIC_TABLES:
        if table != "incidents_incident":
            statements.append(
                f"CREATE CONSTRAINT TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION incidents_bump_data_version();")
        statements.append(
            f"CREATE TRIGGER data_version_bump_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION incidents_bump_data_version();")
    return "\n".join(statements)


def published(alias):
    return f"{alias}.status = 'approved' AND {alias}.merged_into_id IS NULL"


def timeline_delta(table, key, incident_keys, sources):
    """Add the net change of one statement to a timeline counts table: +1 per row that is published
    after it, -1 per row that was published before it, netted per key (an edit of the summary adds
    nothing)."""
    rows = " UNION ALL ".join(
        f"SELECT {incident_key}, fatalities, {sign} AS sign FROM {source} r WHERE {published('r')} AND {condition}"
        for source, sign in sources for incident_key, condition in incident_keys)
    return (f"INSERT INTO {table} ({key}, incidents, fatalities) "
            f"SELECT {key}, sum(sign), sum(sign * fatalities) FROM ({rows}) AS d({key}, fatalities, sign) "
            f"GROUP BY {key} HAVING sum(sign) <> 0 OR sum(sign * fatalities) <> 0;")


def actor_roles(incidents, sign, condition):
    """Every (actor, sign) a set of incidents names: both sides and both associated lists."""
    return " UNION ALL ".join([
        f"SELECT r.actor1_id, {sign} FROM {incidents} r WHERE {condition}",
        f"SELECT r.actor2_id, {sign} FROM {incidents} r WHERE {condition} AND r.actor2_id IS NOT NULL",
        *(f"SELECT t.actor_id, {sign} FROM {incidents} r JOIN {table} t ON t.incident_id = r.id WHERE {condition}"
          for table in ASSOC_TABLES)])


def actor_delta(rows):
    return (f"INSERT INTO incidents_actorcount (actor_id, incidents) SELECT actor_id, sum(sign) "
            f"FROM ({rows}) AS d(actor_id, sign) GROUP BY actor_id HAVING sum(sign) <> 0;")


def trigger_function(name, body, table, event, referencing):
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
RETURN NULL;
END $$;
CREATE TRIGGER counts_{event.lower()} AFTER {event} ON {table}
REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def count_functions():
    operations = {"INSERT": [("new_rows", 1)], "DELETE": [("old_rows", -1)],
                  "UPDATE": [("old_rows", -1), ("new_rows", 1)]}
    referencing = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
                   "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}
    statements = []
    for event, sources in operations.items():
        # An incident's status or merge changes: its actors (as they are now) gain or lose it.
        body = "\n".join([*(timeline_delta(*names, sources) for names in COUNT_TABLES), actor_delta(
            " UNION ALL ".join(actor_roles(source, sign, published("r")) for source, sign in sources))])
        statements.append(trigger_function(f"incidents_counts_{event.lower()}", body, "incidents_incident",
                                           event, referencing[event]))
        # An associated actor is added or removed: it gains or loses the incident if that is published.
        rows = " UNION ALL ".join(f"SELECT actor_id, incident_id, {sign} FROM {source}" for source, sign in sources)
        body = actor_delta(f"SELECT a.actor_id, a.sign FROM ({rows}) AS a(actor_id, incident_id, sign) "
                           f"JOIN incidents_incident i ON i.id = a.incident_id WHERE {published('i')}")
        statements.append(f"CREATE FUNCTION incidents_assoc_counts_{event.lower()}() RETURNS trigger "
                          f"LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$;")
        statements += [f"CREATE TRIGGER counts_{event.lower()} AFTER {event} ON {table} REFERENCING "
                       f"{referencing[event]} FOR EACH STATEMENT EXECUTE FUNCTION "
                       f"incidents_assoc_counts_{event.lower()}();" for table in ASSOC_TABLES]
    # Each rebuild or compaction is one statement per table, so its DELETE and its INSERT share one
    # snapshot: deltas that writers commit meanwhile are neither deleted nor double counted.
    rebuild = [
        f"WITH gone AS (DELETE FROM {table}) INSERT INTO {table} ({key}, incidents, fatalities) "
        f"SELECT {key}, count(*), sum(fatalities) FROM (" + " UNION ALL ".join(
            f"SELECT {incident_key}, fatalities FROM incidents_incident r WHERE {published('r')} AND {condition}"
            for incident_key, condition in incident_keys) + f") AS c({key}, fatalities) GROUP BY {key};"
        for table, key, incident_keys in COUNT_TABLES]
    rebuild.append("WITH gone AS (DELETE FROM incidents_actorcount) " + actor_delta(
        actor_roles("incidents_incident", 1, published("r"))))
    compact = [
        f"WITH gone AS (DELETE FROM {table} RETURNING {key}, incidents, fatalities) "
        f"INSERT INTO {table} ({key}, incidents, fatalities) SELECT {key}, sum(incidents), sum(fatalities) "
        f"FROM gone GROUP BY {key} HAVING sum(incidents) <> 0 OR sum(fatalities) <> 0;"
        for table, key, _ in COUNT_TABLES]
    compact.append("WITH gone AS (DELETE FROM incidents_actorcount RETURNING actor_id, incidents) "
                   "INSERT INTO incidents_actorcount (actor_id, incidents) SELECT actor_id, sum(incidents) "
                   "FROM gone GROUP BY actor_id HAVING sum(incidents) <> 0;")
    rebuild_sql, compact_sql = "\n".join(rebuild), "\n".join(compact)
    statements.append(f"""
CREATE FUNCTION incidents_rebuild_counts() RETURNS void LANGUAGE sql AS $$
{rebuild_sql}
$$;
CREATE FUNCTION incidents_compact_counts() RETURNS void LANGUAGE sql AS $$
{compact_sql}
$$;
-- Emptied with DELETE, not TRUNCATE: a TRUNCATE that lists the count tables too (as Django's flush
-- does) is still running on them when this fires.
CREATE FUNCTION incidents_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'incidents_incident' THEN
        {" ".join(f"DELETE FROM {table};" for table in ALL_COUNT_TABLES)}
    ELSE
        PERFORM incidents_rebuild_counts();
    END IF;
    RETURN NULL;
END $$;
{"".join(f"CREATE TRIGGER counts_truncate AFTER TRUNCATE ON {table} FOR EACH STATEMENT "
         f"EXECUTE FUNCTION incidents_counts_truncate();" for table in ("incidents_incident", *ASSOC_TABLES))}
SELECT incidents_rebuild_counts();
""")
    return "\n".join(statements)


def drop_sql():
    statements = [f"DROP TRIGGER IF EXISTS {name} ON {table};"
                  for table in PUBLIC_TABLES for name in ("data_version_bump", "data_version_bump_truncate")]
    statements += [f"DROP TRIGGER IF EXISTS data_version_bump_{event} ON incidents_incident;"
                   for event in INCIDENT_EVENTS]
    statements += [f"DROP TRIGGER IF EXISTS counts_{event} ON {table};"
                   for table in ("incidents_incident", *ASSOC_TABLES)
                   for event in ("insert", "update", "delete", "truncate")]
    statements += [f"DROP FUNCTION IF EXISTS {prefix}_{event}();"
                   for prefix in ("incidents_counts", "incidents_assoc_counts")
                   for event in ("insert", "update", "delete", "truncate")]
    statements += [f"DROP FUNCTION IF EXISTS {name}();"
                   for name in ("incidents_rebuild_counts", "incidents_compact_counts", "incidents_bump_data_version")]
    return "\n".join(statements)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0007_counts_kept_on_write"),
    ]

    operations = [
        migrations.RunSQL(DATA_VERSION_SQL + data_version_triggers() + count_functions(), drop_sql()),
    ]
