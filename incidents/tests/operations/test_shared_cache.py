"""Two server processes on one Redis (REDIS_URL): a public answer computed by one is served by the
other, and a publish makes both answer afresh at once (issue 18 point 3)."""

import os
import re
import uuid
from pathlib import Path

import pytest
import redis

from ops.loopback import get, gunicorn, query, scratch_database

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"No Redis at {REDIS_URL}: bin/test starts Debian's redis-server (bin/_setup.sh setup_redis)")
    prefix = f"test-{uuid.uuid4().hex[:12]}"  # this run's keys only, however many share the Redis
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def notes_on_page(base, incident_id):
    status, body = get(f"{base}/incidents/{incident_id}/")
    assert status == 200, body[:500]
    return body.decode("utf-8")


def test_two_servers_share_answers_and_a_publish_refreshes_both(shared_redis):
    client, prefix = shared_redis
    env = {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix, "PUBLIC_CACHE_SECONDS": "3600"}
    with scratch_database(f"h18_shared_cache_{os.getpid()}") as url:
        (incident_id,) = query(url, "SELECT min(id) FROM incidents_incident WHERE status = 'approved'")[0]
        with gunicorn(url, workers=1, env=env) as first, gunicorn(url, workers=1, env=env) as second:
            assert "ORIGINAL-NOTE" not in notes_on_page(first, incident_id)
            # Change the row behind the cache's back (triggers off: the data version does not move). A
            # server that computed the page now would show the change; one that reads the shared
            # answer shows what the first server computed.
            query(url, "SET session_replication_role = replica; "
                        "UPDATE incidents_incident SET notes = 'BEHIND-THE-CACHE' WHERE id = %s", [incident_id])
            assert "BEHIND-THE-CACHE" not in notes_on_page(second, incident_id)
            assert list(client.scan_iter(f"{prefix}:*")), "nothing was stored in Redis"
            # A real publish (triggers on) moves the data version: both servers answer afresh.
            query(url, "UPDATE incidents_incident SET notes = 'PUBLISHED-CHANGE' WHERE id = %s", [incident_id])
            assert "PUBLISHED-CHANGE" in notes_on_page(first, incident_id)
            assert "PUBLISHED-CHANGE" in notes_on_page(second, incident_id)


def test_without_redis_each_server_computes_its_own(shared_redis):
    """The contrast that makes the test above mean something: LocMem (no REDIS_URL) is per process."""
    with scratch_database(f"h18_local_cache_{os.getpid()}") as url:
        (incident_id,) = query(url, "SELECT min(id) FROM incidents_incident WHERE status = 'approved'")[0]
        env = {"REDIS_URL": "", "PUBLIC_CACHE_SECONDS": "3600"}
        with gunicorn(url, workers=1, env=env) as first, gunicorn(url, workers=1, env=env) as second:
            notes_on_page(first, incident_id)
            query(url, "SET session_replication_role = replica; "
                        "UPDATE incidents_incident SET notes = 'BEHIND-THE-CACHE' WHERE id = %s", [incident_id])
            assert "BEHIND-THE-CACHE" in notes_on_page(second, incident_id)
            assert "BEHIND-THE-CACHE" not in notes_on_page(first, incident_id)


# Every kind of public answer that reads or writes the shared cache: pages, the data version's JSON,
# the reference outlines (cached a day), the demo-data probe behind every page, the exports.
DEAD_CACHE_PATHS = ["/", "/ar/", "/embed/", "/incidents/{id}/", "/api/incidents.geojson", "/api/incidents.json",
                    "/api/timeline.json", "/api/actors.json", "/api/boundaries.geojson", "/api/places.geojson",
                    "/export/incidents.csv", "/healthz"]


def test_a_dead_redis_slows_the_site_but_never_breaks_it():
    with scratch_database(f"h18_dead_cache_{os.getpid()}") as url:
        (incident_id,) = query(url, "SELECT min(id) FROM incidents_incident WHERE status = 'approved'")[0]
        env = {"REDIS_URL": "redis://127.0.0.1:9/0", "PUBLIC_CACHE_SECONDS": "3600"}  # port 9: nothing there
        with gunicorn(url, workers=1, env=env) as base:
            status, body = get(f"{base}/")
            assert status == 200 and re.search(rb"<table", body)
            for path in DEAD_CACHE_PATHS:
                status, body = get(base + path.format(id=incident_id))
                assert status == 200, (path, body[:300])


def test_only_the_shared_cache_module_talks_to_djangos_cache():
    """Django's cache API raises when Redis is down; every caller goes through common/shared_cache."""
    root = Path(__file__).resolve().parents[2]
    direct = [str(p.relative_to(root)) for p in root.rglob("*.py")
              if "tests" not in p.parts and p.name != "shared_cache.py"
              and re.search(r"django\.core\.cache\b|\bcaches\[", p.read_text(encoding="utf-8"))]
    assert direct == []
