"""The CSV download streams PostgreSQL's COPY from a worker thread (exports/copy_out.py), on a real
gunicorn and PostgreSQL: a client that goes away mid-download stops the COPY and leaves the worker's
connection idle, outside any transaction, with no thread behind; a statement_timeout still ends a
COPY, and the client sees a cut transfer, never a shorter whole file; a client that stops reading
loses its download after EXPORT_STALL_SECONDS, and with it the database connection it held."""

import http.client
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2.errors
import pytest
from django.db import DEFAULT_DB_ALIAS, connection, transaction

from incidents.exports.copy_out import CopyOut
from incidents.tests.exports.test_export_faults import SmallWindowConnection, clone_published
from ops.loopback import get, gunicorn, query, scratch_database

EXPORT = "/export/incidents.csv"


@pytest.fixture(scope="module")
def many_rows():
    """A database with about 28k published incidents (24 MB of CSV): more than the sockets and the pipe
    between PostgreSQL and a slow client hold, so the COPY is still running while the client reads."""
    with scratch_database(f"h18x_export_copy_{os.getpid()}") as url:
        clone_published(url, 4000)
        yield url


def sessions(url):
    """(state, query) of the app's connections to the database (not this test's own)."""
    return query(url, "SELECT state, query FROM pg_stat_activity WHERE datname = current_database() "
                      "AND backend_type = 'client backend' AND pid <> pg_backend_pid()")


def copy_running(url):
    return any(state == "active" and statement.startswith("COPY") for state, statement in sessions(url))


def wait_for(condition, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def worker_threads(base):
    """Thread counts of the gunicorn processes serving `base` (master and worker share its command line)."""
    bind = urlsplit(base).netloc.encode()
    counts = []
    for process in Path("/proc").iterdir():
        try:
            if process.name.isdigit() and bind in (process / "cmdline").read_bytes():
                counts.append(len(list((process / "task").iterdir())))
        except OSError:
            continue  # ended meanwhile
    return counts


def start_download(base):
    parts = urlsplit(base)
    connection = SmallWindowConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", EXPORT)
    response = connection.getresponse()
    assert response.status == 200
    return connection, response


def test_a_client_that_goes_away_stops_the_copy_and_leaves_the_connection_clean(many_rows):
    with gunicorn(many_rows, workers=1) as base:
        threads_idle = worker_threads(base)
        connection, response = start_download(base)
        assert response.read(65536)
        assert wait_for(lambda: copy_running(many_rows))  # the rows do not fit in the buffers
        assert sum(worker_threads(base)) == sum(threads_idle) + 1  # the COPY's thread
        response.close()  # the visitor closes the tab (the response holds the socket too)
        connection.close()
        # The COPY is cancelled and its transaction rolled back: the connection waits, idle.
        assert wait_for(lambda: [state for state, _ in sessions(many_rows)] == ["idle"]), sessions(many_rows)
        assert wait_for(lambda: worker_threads(base) == threads_idle), (worker_threads(base), threads_idle)
        # The same worker and connection serve the next download in full.
        status, body = get(base + EXPORT + "?event_type=Battles", timeout=60)
        assert status == 200 and body.startswith(b"event_id_cnty,")


def test_a_statement_timeout_still_ends_the_copy_visibly(many_rows):
    name = urlsplit(many_rows).path.lstrip("/")
    admin = many_rows.rsplit("/", 1)[0] + "/postgres"
    query(admin, f'ALTER DATABASE "{name}" SET statement_timeout = \'2s\'')  # for connections made from now
    try:
        with gunicorn(many_rows, workers=1) as base:
            connection, response = start_download(base)
            promised = int(response.getheader("X-Export-Rows"))
            received = response.read(65536)
            time.sleep(3)  # a slow reader: the COPY, one statement, outlives the timeout
            with pytest.raises(http.client.IncompleteRead) as cut:
                while chunk := response.read(65536):
                    received += chunk
            received += cut.value.partial
            assert received.count(b"\r\n") - 1 < promised
            response.close()
            connection.close()
            assert wait_for(lambda: [state for state, _ in sessions(many_rows)] == ["idle"]), sessions(many_rows)
    finally:
        query(admin, f'ALTER DATABASE "{name}" RESET statement_timeout')


def test_a_client_that_stops_reading_loses_the_download_and_frees_its_connection(many_rows):
    with gunicorn(many_rows, workers=1, env={"EXPORT_STALL_SECONDS": "2"}) as base:
        threads_idle = worker_threads(base)
        connection, response = start_download(base)
        promised = int(response.getheader("X-Export-Rows"))
        received = response.read(20)  # then nothing, as the attacker's script (work/atk) does
        assert wait_for(lambda: copy_running(many_rows))
        # Before: the backend stayed 'active' in ClientWrite, its transaction open, for as long as the
        # client liked. Now the connection is closed: PostgreSQL ends the backend and its transaction.
        assert wait_for(lambda: sessions(many_rows) == [], seconds=20), sessions(many_rows)
        assert wait_for(lambda: worker_threads(base) == threads_idle), (worker_threads(base), threads_idle)
        # Reading again, the client gets what was already on its way, then a cut transfer: never a
        # shorter file that looks whole.
        with pytest.raises(http.client.IncompleteRead) as cut:
            while chunk := response.read(65536):
                received += chunk
        received += cut.value.partial
        assert 0 < received.count(b"\r\n") - 1 < promised
        response.close()
        connection.close()
        # The same worker (its connection was closed under Django) serves the next download in full.
        status, body = get(base + EXPORT + "?event_type=Battles", timeout=60)
        assert status == 200 and body.startswith(b"event_id_cnty,") and body.endswith(b"\r\n")
        assert wait_for(lambda: [state for state, _ in sessions(many_rows)] == ["idle"]), sessions(many_rows)


@pytest.mark.django_db
def test_closing_cancels_a_copy_still_running_and_leaves_no_thread():
    started = time.monotonic()
    with transaction.atomic():
        copy = CopyOut(DEFAULT_DB_ALIAS, "SELECT pg_sleep(60)::text")  # one row, after a minute
        time.sleep(0.2)
        copy.close()
        assert not copy.thread.is_alive()
        assert isinstance(copy.error, psycopg2.errors.QueryCanceled)
        transaction.set_rollback(True)  # the cancelled COPY aborted this block
    assert time.monotonic() - started < 10
    with connection.cursor() as cursor:  # and the connection serves the next statement
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.parametrize("path", ["/export/incidents.geojson", "/export/incidents.csv?as_of=2100-01-01T00:00:00Z"])
def test_a_client_that_stops_reading_a_streamed_export_frees_its_connection(many_rows, path):
    # The GeoJSON and the as_of exports read through a cursor, not COPY: a stalled reader left their
    # transaction idle for as long as it liked (found by a second attacker session).
    if "as_of" in path:  # a moment the plausible-date rule accepts: now
        path = path.replace("2100-01-01T00:00:00Z", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    with gunicorn(many_rows, workers=1, env={"EXPORT_STALL_SECONDS": "2"}) as base:
        parts = urlsplit(base)
        connection = SmallWindowConnection(parts.hostname, parts.port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200, response.read()[:300]
        received = response.read(20)  # then nothing
        assert wait_for(lambda: sessions(many_rows) == [], seconds=20), sessions(many_rows)
        with pytest.raises(http.client.IncompleteRead):
            while chunk := response.read(65536):
                received += chunk
        response.close()
        connection.close()
        # The worker's next request gets a fresh connection and a whole answer.
        status, body = get(base + "/export/incidents.geojson?event_type=Battles", timeout=60)
        assert status == 200 and body.rstrip().endswith(b"}")
