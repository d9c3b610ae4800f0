"""Actor counts count an incident once per actor, however many roles the actor has in it.

Migration 0008's triggers added one per role: an incident naming Islamic State (Syria) as actor 1 and
as an associated actor counted twice, so the dashboard's actor picker said 560 where the filter found
559 (found by a newcomer session). The incident triggers now take each (actor, incident) pair once;
the associated-actor triggers count a link only when it is the actor's first role in the incident
(or, removed, its last); the rebuild counts pairs. The counts are rebuilt once here.
"""

import importlib

from django.db import migrations

counts = importlib.import_module("incidents.migrations.0008_count_triggers")
ASSOC_TABLES, COUNT_TABLES, published = counts.ASSOC_TABLES, counts.COUNT_TABLES, counts.published
EVENTS = {"INSERT": [("new_rows", 1)], "DELETE": [("old_rows", -1)], "UPDATE": [("old_rows", -1), ("new_rows", 1)]}


def pairs_once(incidents, sign, condition):
    """(actor, sign) once per (actor, incident) pair the incidents name: UNION drops repeated roles."""
    roles = " UNION ".join([
        f"SELECT r.actor1_id, r.id FROM {incidents} r WHERE {condition}",
        f"SELECT r.actor2_id, r.id FROM {incidents} r WHERE {condition} AND r.actor2_id IS NOT NULL",
        *(f"SELECT t.actor_id, r.id FROM {incidents} r JOIN {table} t ON t.incident_id = r.id WHERE {condition}"
          for table in ASSOC_TABLES)])
    return f"SELECT actor_id, {sign} FROM ({roles}) AS n(actor_id, incident_id)"


def roles_now(actor, incident):
    """How many roles `actor` has in `incident` (an incidents_incident row alias) as the tables are now."""
    return " + ".join([f"(coalesce({incident}.actor1_id = {actor}, false))::int",
                       f"(coalesce({incident}.actor2_id = {actor}, false))::int",
                       *(f"(SELECT count(*) FROM {table} x WHERE x.incident_id = {incident}.id AND x.actor_id = {actor})"
                         for table in ASSOC_TABLES)])


def functions(roles):
    """CREATE OR REPLACE of 0008's count functions with `roles(incidents, sign, condition)` as the
    actor rows of an incident statement; `assoc_once` also applies to the associated-actor triggers."""
    statements = []
    for event, sources in EVENTS.items():
        body = "\n".join([*(counts.timeline_delta(*names, sources) for names in COUNT_TABLES), counts.actor_delta(
            " UNION ALL ".join(roles(source, sign, published("r")) for source, sign in sources))])
        statements.append(f"CREATE OR REPLACE FUNCTION incidents_counts_{event.lower()}() RETURNS trigger "
                          f"LANGUAGE plpgsql AS $$\nBEGIN\n{body}\nRETURN NULL;\nEND $$;")
        statements.append(assoc_function(event, once=roles is pairs_once))
    rebuild = [
        f"WITH gone AS (DELETE FROM {table}) INSERT INTO {table} ({key}, incidents, fatalities) "
        f"SELECT {key}, count(*), sum(fatalities) FROM (" + " UNION ALL ".join(
            f"SELECT {incident_key}, fatalities FROM incidents_incident r WHERE {published('r')} AND {condition}"
            for incident_key, condition in incident_keys) + f") AS c({key}, fatalities) GROUP BY {key};"
        for table, key, incident_keys in COUNT_TABLES]
    rebuild.append("WITH gone AS (DELETE FROM incidents_actorcount) " + counts.actor_delta(
        roles("incidents_incident", 1, published("r"))))
    statements.append("CREATE OR REPLACE FUNCTION incidents_rebuild_counts() RETURNS void LANGUAGE sql AS $$\n"
                      + "\n".join(rebuild) + "\n$$;")
    statements.append("SELECT incidents_rebuild_counts();")
    return "\n".join(statements)


def assoc_function(event, once):
    sources = EVENTS[event]
    if once and event == "UPDATE":  # a rewritten link that names the same pair changes nothing
        rows = ("SELECT actor_id, incident_id, -1 FROM (SELECT actor_id, incident_id FROM old_rows EXCEPT "
                "SELECT actor_id, incident_id FROM new_rows) o UNION ALL SELECT actor_id, incident_id, 1 FROM "
                "(SELECT actor_id, incident_id FROM new_rows EXCEPT SELECT actor_id, incident_id FROM old_rows) n")
    else:
        rows = " UNION ALL ".join(f"SELECT actor_id, incident_id, {sign} FROM {source}" for source, sign in sources)
    # Once: an added link counts only as the actor's first role in the incident, a removed one only as its last.
    first_or_last = (f" AND {roles_now('a.actor_id', 'i')} = CASE WHEN a.sign > 0 THEN 1 ELSE 0 END"
                     if once else "")
    body = counts.actor_delta(f"SELECT a.actor_id, a.sign FROM ({rows}) AS a(actor_id, incident_id, sign) "
                              f"JOIN incidents_incident i ON i.id = a.incident_id WHERE {published('i')}"
                              f"{first_or_last}")
    return (f"CREATE OR REPLACE FUNCTION incidents_assoc_counts_{event.lower()}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$;")


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0020_export_window_end"),
    ]

    operations = [
        migrations.RunSQL(functions(pairs_once), functions(counts.actor_roles)),
    ]
