#!/usr/bin/env python
"""Fill the benchmark database with N synthetic, realistic incidents.

    nice -n 10 .venv/bin/python bench/generate.py 1000000

DATABASE_URL selects the database (default postgis://postgres@127.0.0.1:5432/dz_bench); it is
created, migrated and given boundaries and the gazetteer when needed. Existing incidents,
articles, actors and sources IN THAT DATABASE are replaced. The development database
(deir_ez_zor) is refused.

Speed comes from COPY streams, loading with plain indexes dropped (rebuilt once at the end) and
foreign-key triggers off (session_replication_role = replica: the generator writes consistent
ids itself). Admin areas are set by point-in-polygon in SQL while rows move from a staging table.
History (django-simple-history) is not written, as for any bulk import.
"""

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from incidents.operations.synthetic.load import LOADED_TABLES, bump_data_version  # noqa: E402,F401 (run.py uses it)

DEFAULT_URL = "postgis://postgres@127.0.0.1:5432/dz_bench"
REFUSED_DATABASES = {"deir_ez_zor"}
BENCH_USER, BENCH_PASSWORD = "bench", "bench-only-not-secret"
ANALYSTS = [f"bench_analyst{n}" for n in range(1, 7)]
REVIEWERS = [f"bench_reviewer{n}" for n in range(1, 4)]
COUNT_TABLES = ["incidents_timelinecount", "incidents_areatimelinecount", "incidents_actorcount"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    import django

    django.setup()


def database_name(url):
    import dj_database_url

    return dj_database_url.parse(url)["NAME"]


def connect(url, dbname=None):
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(url)
    return psycopg2.connect(dbname=dbname or cfg["NAME"], user=cfg["USER"] or None, password=cfg["PASSWORD"] or None,
                            host=cfg["HOST"] or None, port=cfg["PORT"] or None)


def refuse_dev_database(url):
    if database_name(url) in REFUSED_DATABASES:
        sys.exit(f"Refusing to fill {database_name(url)!r}: that is the development database. "
                 f"Set DATABASE_URL to a separate one, e.g. {DEFAULT_URL}")


def django_env(url):
    env = dict(os.environ, DATABASE_URL=url)
    env.setdefault("SECRET_KEY", "bench-only-not-secret")
    return env


def prepare_database(url, out=sys.stdout):
    """Create (if missing) and migrate the database, and load boundaries and the gazetteer."""
    refuse_dev_database(url)
    name = database_name(url)
    admin = connect(url, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    conn = connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute("SELECT to_regclass('incidents_place') IS NOT NULL")
        has_places = cur.fetchone()[0]
        if has_places:
            cur.execute("SELECT EXISTS (SELECT 1 FROM incidents_place)")
            has_places = cur.fetchone()[0]
    conn.close()
    commands = ["call_command('migrate', interactive=False, verbosity=0)"]
    if not has_places:
        commands += ["call_command('load_boundaries')", "call_command('load_gazetteer')"]
    # One Django start-up for all three commands: start-up is most of their cost on a small database.
    script = "from django.core.management import call_command; " + "; ".join(commands)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "shell", "-c", script], env=django_env(url),
                   check=True, stdout=out, cwd=ROOT)


def drop_plain_indexes(cur, tables):
    """Drop indexes that back no constraint; return their definitions to rebuild after the load."""
    cur.execute("""
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%%I', i.indexname)::regclass)
    """, [tables])
    definitions = cur.fetchall()
    for name, _ in definitions:
        cur.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in definitions]


def upsert_users(cur):
    from django.contrib.auth.hashers import make_password

    now = datetime.datetime.now(datetime.timezone.utc)
    rows = [(BENCH_USER, make_password(BENCH_PASSWORD), True)] + [(u, "!", False) for u in ANALYSTS + REVIEWERS]
    for username, password, superuser in rows:
        cur.execute("""
            INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, first_name, last_name,
                                   email, date_joined)
            VALUES (%s, %s, %s, true, true, '', '', '', %s)
            ON CONFLICT (username) DO UPDATE SET password = EXCLUDED.password, is_superuser = EXCLUDED.is_superuser,
                                                 is_staff = true, is_active = true
        """, [username, password, superuser, now])
    cur.execute("SELECT username, id FROM auth_user WHERE username = ANY(%s)", [ANALYSTS + REVIEWERS])
    ids = dict(cur.fetchall())
    return [ids[u] for u in ANALYSTS], [ids[u] for u in REVIEWERS]


def gazetteer_population():
    """{geonameid: population} from the gazetteer file (a weight hint for the synthetic places)."""
    import csv

    from incidents.management.commands.load_gazetteer import GAZETTEER_FILE

    with open(GAZETTEER_FILE, encoding="utf-8") as f:
        return {int(r["geonameid"]): int(r["population"] or 0) for r in csv.DictReader(f)}


def fill(conn, n, seed=1, progress=True):
    """Replace the synthetic data with n incidents. Returns row counts per table."""
    from incidents.operations.synthetic import load

    started = last = time.monotonic()

    def since():
        nonlocal last
        last, elapsed = time.monotonic(), time.monotonic() - last
        return elapsed

    def say(message):
        if progress:
            print(message, flush=True)
    with conn, conn.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cur.execute("SET LOCAL session_replication_role = replica")  # no FK triggers: ids are consistent
        cur.execute("TRUNCATE incidents_evidence, incidents_incident_assoc_actors_1, incidents_incident_assoc_actors_2,"
                    " incidents_incident, incidents_article, incidents_actor, incidents_source"
                    " RESTART IDENTITY CASCADE")
        analysts, reviewers = upsert_users(cur)
        places = load.gazetteer_places(cur, gazetteer_population())
        rebuild = drop_plain_indexes(cur, LOADED_TABLES)
        load.load(cur, n, seed=seed, places=places, analysts=analysts, reviewers=reviewers, progress=progress,
                  say=say)
        since()
        say(f"rebuilding {len(rebuild)} indexes…")
        for definition in rebuild:
            cur.execute(definition)
        say(f"indexes in {since():.0f} s; timeline counts…")
        # The load ran with triggers off (replica role): count once, and move the data version so
        # no cached public answer from before the load is served.
        cur.execute("SELECT incidents_rebuild_counts()")
        bump_data_version(cur)
        say(f"timeline counts in {since():.0f} s; export lines…")
        from incidents.exports.lines import rebuild_sql

        cur.execute(*rebuild_sql())  # the export's read model, also written by triggers
        say(f"export lines in {since():.0f} s; vacuum and analyze…")
        load.set_sequences(cur)
        counts = {}
        for table in LOADED_TABLES:
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
    autocommit, conn.autocommit = conn.autocommit, True
    with conn.cursor() as cur:
        # Sets the visibility map (index-only scans) and statistics, as autovacuum would in production.
        cur.execute(f"VACUUM (ANALYZE) {', '.join(LOADED_TABLES + COUNT_TABLES + ['incidents_exportline'])}")
    conn.autocommit = autocommit
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of incidents, e.g. 1000000")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    refuse_dev_database(url)
    os.environ["DATABASE_URL"] = url
    setup_django()
    started = time.monotonic()
    prepare_database(url)
    conn = connect(url)
    counts = fill(conn, args.n, seed=args.seed)
    conn.close()
    print(f"Filled {database_name(url)} in {time.monotonic() - started:.0f} s: "
          + ", ".join(f"{table.replace('incidents_', '')} {count:,}" for table, count in counts.items()
                      if table != "seconds"))


if __name__ == "__main__":
    main()
