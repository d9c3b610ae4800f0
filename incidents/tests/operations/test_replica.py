"""Public reads on a real PostgreSQL streaming replica (issue 18 point 4).

The test makes its own primary (a scratch cluster) and replica (pg_basebackup -R into another
directory, started on another port), and runs gunicorn with DATABASE_REPLICA_URL. Pausing the
replica's replay makes the two databases differ, which shows who reads from where."""

import os
import time

import pytest

from ops.loopback import database_url, get, gunicorn, manage, query, scratch_database
from ops.pg_cluster import primary_and_replica


SESSION_FOR_AN_ANALYST = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.create_user("replica-analyst", password="x", is_staff=True)
session = SessionStore()
session.update({"_auth_user_id": str(user.pk), "_auth_user_hash": user.get_session_auth_hash(),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend"})
session.create()
print(session.session_key)
"""


def page(base, incident_id, session=None):
    import urllib.request

    request = urllib.request.Request(f"{base}/incidents/{incident_id}/")
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_public_reads_on_the_replica_analysts_on_the_primary_and_fallback():
    name = f"h18_replica_{os.getpid()}"
    with primary_and_replica() as (primary, replica), scratch_database(name, port=primary.port) as url:
        replica.start()
        replica_url = database_url(name, port=replica.port)
        (incident_id,) = query(url, "SELECT min(id) FROM incidents_incident WHERE status = 'approved'")[0]
        session = manage(url, "shell", "-c", SESSION_FOR_AN_ANALYST).strip().splitlines()[-1]
        assert wait_for(lambda: query(replica_url, "SELECT count(*) FROM django_session")[0][0] == 1)
        env = {"DATABASE_REPLICA_URL": replica_url, "PUBLIC_CACHE_SECONDS": "3600"}
        with gunicorn(url, workers=1, env=env) as base:
            assert "REPLICATED-LATER" not in page(base, incident_id)  # cached under the current version
            query(replica_url, "SELECT pg_wal_replay_pause()")
            query(url, "UPDATE incidents_incident SET notes = 'REPLICATED-LATER' WHERE id = %s", [incident_id])

            # The public reads the replica, which has not replayed the change: page and export alike.
            assert "REPLICATED-LATER" not in page(base, incident_id)
            status, csv_body = get(f"{base}/export/incidents.csv")
            assert status == 200 and b"REPLICATED-LATER" not in csv_body
            # The analyst who made it reads the primary: their own write, at once.
            assert "REPLICATED-LATER" in page(base, incident_id, session)

            # Replayed: the next public request shows it; the cache did not pin the old page.
            query(replica_url, "SELECT pg_wal_replay_resume()")
            assert wait_for(lambda: query(replica_url, "SELECT notes FROM incidents_incident WHERE id = %s",
                                          [incident_id])[0][0] == "REPLICATED-LATER")
            assert "REPLICATED-LATER" in page(base, incident_id)
            assert b"REPLICATED-LATER" in get(f"{base}/export/incidents.csv")[1]

            # The replica stops: the public site keeps answering from the primary, current data included.
            replica.stop()
            query(url, "UPDATE incidents_incident SET notes = 'WHILE-REPLICA-DOWN' WHERE id = %s", [incident_id])
            for path in ("/", "/api/timeline.json", "/api/incidents.json", "/export/incidents.csv"):
                assert get(base + path)[0] == 200, path
            assert "WHILE-REPLICA-DOWN" in page(base, incident_id)
            # And back on the replica when it returns (after the retry interval).
            replica.start_again()
            query(replica_url, "SELECT 1")
            time.sleep(6)
            assert "WHILE-REPLICA-DOWN" in page(base, incident_id)
