"""Backup and restore as docs/OPERATIONS.md describes it: bin/backup-db (pg_dump -Fc) of the test database,
bin/restore-db (pg_restore) into a fresh database, and every row comes back."""

import contextlib
import os
import subprocess

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from incidents.models import Evidence, Incident
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_unpublished_trio

# Committed rows are needed for pg_dump to see them. Like every transactional test this one ends by
# flushing the tables; tests that need the migrations' groups recreate them (the `roles` fixture).
pytestmark = pytest.mark.django_db(transaction=True)


def database_url(name):
    return f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{name}"


def run(script, *args, database):
    environment = {**os.environ, "DATABASE_URL": database_url(database)}
    result = subprocess.run([str(settings.BASE_DIR / "bin" / script), *args], env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def table_fingerprints(database):
    """Row count and an order-independent digest of every row of every table of the public schema."""
    settings_dict = connection.settings_dict
    with contextlib.closing(psycopg2.connect(host=settings_dict["HOST"], port=settings_dict["PORT"],
                                             user=settings_dict["USER"], dbname=database)) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [row[0] for row in cursor.fetchall()]
            fingerprints = {}
            for table in tables:
                cursor.execute(f'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) '
                               f'FROM "{table}" t')
                fingerprints[table] = cursor.fetchone()
    return fingerprints


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    with contextlib.closing(psycopg2.connect(host=connection.settings_dict["HOST"],
                                             port=connection.settings_dict["PORT"],
                                             user=connection.settings_dict["USER"], dbname="postgres")) as conn:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def coded_incidents():
    """Published and unpublished incidents with associated actors, evidence and edit history."""
    incidents = [make_incident(assoc_actors_1=[make_actor()], notes="Shelling of the airbase, ‘قصف’ reported."),
                 *make_unpublished_trio()]
    article = make_article(text="Two fighters were killed near the airbase on Monday, the observatory said.")
    for incident in incidents:
        make_evidence(incident, article=article, quote="killed near the airbase")
    incidents[0].fatalities = 2
    incidents[0].save()  # a second history row
    return incidents


def test_restored_dump_holds_every_incident_evidence_and_history_row(tmp_path, restored_name):
    incidents = coded_incidents()
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "incidents.dump"
    assert run("backup-db", str(dump), database=source).strip() == str(dump)
    run("restore-db", str(dump), restored_name, database=source)

    before, after = table_fingerprints(source), table_fingerprints(restored_name)
    assert after == before
    counts = {table: count for table, (count, _) in after.items()}
    assert counts["incidents_incident"] == len(incidents) == Incident.objects.count()
    assert counts["incidents_evidence"] == len(incidents) == Evidence.objects.count()
    assert counts["incidents_historicalincident"] == Incident.history.count() > len(incidents)
    assert counts["incidents_historicalevidence"] == Evidence.history.count() == len(incidents)
    assert counts["incidents_historicalincident_assoc_actors_1"] >= 1


def test_restore_refuses_to_overwrite_an_existing_database(tmp_path):
    source = connection.settings_dict["NAME"]
    make_incident()
    dump = tmp_path / "incidents.dump"
    run("backup-db", str(dump), database=source)
    environment = {**os.environ, "DATABASE_URL": database_url(source)}
    result = subprocess.run([str(settings.BASE_DIR / "bin" / "restore-db"), str(dump), source], env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"Database {source} already exists" in result.stderr
    assert Incident.objects.count() == 1
