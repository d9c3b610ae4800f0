"""The one synthetic load, shared by the benchmark (bench/generate.py) and the demonstration data
(incidents/operations/synthetic/demo.py): reference rows, then the COPY streams of rows.py.

Runs on a psycopg2 cursor (Django's cursor wrapper passes copy_expert through) inside the caller's
transaction. The caller decides whether triggers run: the benchmark turns them off and rebuilds the
read models once; the demonstration refreshes the counts and the export lines of its own
incidents with the read models' own functions (load(refresh_read_models=True)).
"""

import random
import time

from incidents.operations.synthetic import rows
from incidents.operations.synthetic.mix import ACTORS, OUTLETS

LOADED_TABLES = ["incidents_incident", "incidents_incident_assoc_actors_1", "incidents_incident_assoc_actors_2",
                 "incidents_article", "incidents_evidence"]


def bump_data_version(cur):
    """Move the public cache's data version, as the triggers do at the commit of a public change."""
    cur.execute("INSERT INTO incidents_dataversion (id, value) VALUES (1, 1) "
                "ON CONFLICT (id) DO UPDATE SET value = incidents_dataversion.value + 1")


def reference_rows(cur, demo=False):
    """The generator's actors and outlets, added when missing (flagged `demo` when made for the
    demonstration; existing ones are reused as they are). Returns ({actor name: id}, [outlet ids])."""
    names = [name for name, *_ in ACTORS]
    cur.execute("INSERT INTO incidents_actor (name, aliases, category, demo) "
                "SELECT n, '{}', c, %s FROM unnest(%s::text[], %s::int[]) AS t(n, c) "
                "ON CONFLICT (name) DO NOTHING",
                [demo, names, [int(category) for _, category, *_ in ACTORS]])
    cur.execute("SELECT name, id FROM incidents_actor WHERE name = ANY(%s)", [names])
    actor_ids = dict(cur.fetchall())
    cur.execute("INSERT INTO incidents_source (name, url, language, demo) "
                "SELECT n, 'https://' || replace(lower(n), ' ', '-') || '.example.org/', 'en', %s "
                "FROM unnest(%s::text[]) AS n ON CONFLICT (name) DO NOTHING", [demo, OUTLETS])
    cur.execute("SELECT name, id FROM incidents_source WHERE name = ANY(%s)", [OUTLETS])
    source_ids = dict(cur.fetchall())
    return actor_ids, [source_ids[name] for name in OUTLETS]


def gazetteer_places(cur, population=None):
    """(id, name, lon, lat, governorate p-code, governorate name, population) of every gazetteer place
    with a governorate; population: {geonameid: people} (a hint for the place weights, may be empty).
    Raises SystemExit when the gazetteer is empty."""
    population = population or {}
    cur.execute("""
        SELECT p.id, p.name, ST_X(p.point), ST_Y(p.point), a.pcode, a.name, p.geonameid
        FROM incidents_place p JOIN incidents_adminarea a ON a.id = p.admin1_id ORDER BY p.id
    """)
    places = [row[:6] + (population.get(row[6], 0),) for row in cur.fetchall()]
    if not places:
        raise SystemExit("No gazetteer places with a governorate: run load_boundaries and load_gazetteer first.")
    return places


def next_ids(cur):
    """(incident, article, evidence): the highest id each table or its sequence has given, so new rows
    written with their own ids never meet an id given before (even one of a deleted row)."""
    return tuple(_highest_id(cur, table) for table in ("incidents_incident", "incidents_article", "incidents_evidence"))


def _highest_id(cur, table):
    cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cur.fetchone()[0]
    cur.execute(f"SELECT greatest((SELECT max(id) FROM {table}), (SELECT last_value FROM {sequence}), 0)")
    return cur.fetchone()[0]


def set_sequences(cur):
    """Sequences past the ids the generator wrote, so the next save gets a fresh id."""
    for table in LOADED_TABLES + ["incidents_actor", "incidents_source"]:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), greatest({_highest_id(cur, table)}, 1))")


def load(cur, n, *, seed=1, places, analysts=(), reviewers=(), demo=False, first_ids=(0, 0, 0), progress=False,
         say=print, refresh_read_models=False):
    """Write n synthetic incidents with their articles, evidence and associated actors.

    n: incidents; places: from gazetteer_places(); analysts, reviewers: user ids named as coder and
    reviewer; demo: mark every row as demonstration data; first_ids: from next_ids() (0s after a
    TRUNCATE). Returns {table: rows written}. Shapes: incidents/operations/synthetic/mix.py.

    refresh_read_models: the rows are written with every trigger off (session_replication_role =
    replica: no foreign-key check per row, the ids are consistent by construction), then the read
    models are brought up to date by the functions their triggers use: the counts kept on write
    recounted (incidents_rebuild_counts(), migration 0008) and the export lines of the new incidents
    refreshed (incidents_export_refresh(ids), migration 0014). Publishing them through the triggers
    instead (an UPDATE of every row) took 80 s for 20,000 where these take 8 s (README, quick start).
    The caller moves the data version.
    """
    rng = random.Random(seed)
    last = time.monotonic()

    def since():
        nonlocal last
        last, elapsed = time.monotonic(), time.monotonic() - last
        return elapsed

    actor_ids, source_ids = reference_rows(cur, demo=demo)
    plan = rows.Plan(n, rng, places, actor_ids, source_ids, list(analysts), list(reviewers), first_ids=first_ids,
                     demo=demo)
    if refresh_read_models:
        cur.execute("SET LOCAL session_replication_role = replica")
    rows.load_incidents(cur, plan, progress)
    say(f"incidents with governorates, districts and associated actors in {since():.1f} s")
    rows.load_articles_and_evidence(cur, plan, progress)
    say(f"articles and evidence in {since():.1f} s")
    if refresh_read_models:
        cur.execute("SET LOCAL session_replication_role = origin")
        for table in LOADED_TABLES:  # statistics first: on a fresh database they say "7 incidents"
            cur.execute(f"ANALYZE {table}")
        cur.execute("SELECT incidents_rebuild_counts()")
        cur.execute("SELECT incidents_export_refresh(ARRAY(SELECT id FROM synthetic_stage))")
        say(f"counts kept on write and export lines in {since():.1f} s")
    # Dropped now, not at commit: a caller may load twice in one transaction (the tests do).
    cur.execute("DROP TABLE IF EXISTS synthetic_stage, synthetic_areas")
    return {"incidents_incident": n, "incidents_article": plan.n_articles,
            "associated actors": len(plan.assoc[1]) + len(plan.assoc[2])}
