"""Building blocks of the operations checks: throwaway databases and a gunicorn server, on 127.0.0.1 only.

The checks never touch the database a developer or the test suite is using:
each makes its own database, migrates and seeds it, and drops it afterwards.
"""

import contextlib
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
LOOPBACK = "127.0.0.1"
LOOPBACK_NAMES = {"127.0.0.1", "localhost"}


class CheckFailed(Exception):
    """An operations check found the application misbehaving."""


def command_line_report(check):
    """Run a check from the command line: its report as JSON, exit status 1 when it fails."""
    try:
        print(json.dumps(check(), indent=2))
    except CheckFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


def free_port():
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def database_url(name, *, base=None, port=None):
    """DATABASE_URL for database `name` on the server of `base` (default: $DATABASE_URL), loopback only."""
    parts = urlsplit(base or os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/deir_ez_zor"))
    if parts.hostname not in LOOPBACK_NAMES:
        raise CheckFailed(f"Refusing to run an operations check against {parts.hostname}: loopback only.")
    netloc = f"{parts.username or 'postgres'}@{LOOPBACK}:{port or parts.port or 5432}"
    return urlunsplit(("postgis", netloc, f"/{name}", "", ""))


def base_database_name():
    name = urlsplit(os.environ.get("DATABASE_URL", "postgis://x@127.0.0.1/deir_ez_zor")).path.lstrip("/")
    return name or "deir_ez_zor"


def connect(url, dbname=None):
    parts = urlsplit(url)
    connection = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                                  dbname=dbname or parts.path.lstrip("/"), connect_timeout=5)
    connection.autocommit = True
    return connection


def query(url, sql, params=None):
    with contextlib.closing(connect(url)) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


def app_env(url, **extra):
    """The environment of a production-like app process (DEBUG off) serving plain HTTP on loopback."""
    env = dict(os.environ)
    env.update(DATABASE_URL=url, DEBUG="0", ALLOWED_HOSTS=LOOPBACK, SECURE_SSL_REDIRECT="0", LOG_LEVEL="WARNING",
               SECRET_KEY=os.environ.get("SECRET_KEY") or "operations-check-only-not-secret")
    env.update(extra)
    return env


def manage(url, *args, timeout=120):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=app_env(url), capture_output=True,
                            text=True, timeout=timeout)
    if result.returncode:
        raise CheckFailed(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _admin(url, *statements):
    with contextlib.closing(connect(url, dbname="postgres")) as admin, admin.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        return cursor.fetchall() if cursor.description else None


def _seed_fingerprint():
    """Changes whenever migrations, seed data or package versions do: the template is then rebuilt."""
    digest = hashlib.sha256()
    files = [*sorted(ROOT.glob("incidents/migrations/*.py")), *sorted(ROOT.glob("fixtures/*")),
             *sorted(ROOT.glob("incidents/management/commands/*.py")), ROOT / "requirements.txt"]
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:32]


@contextlib.contextmanager
def _machine_lock(name):
    """An exclusive lock among this machine's processes (a file lock, released if the holder dies)."""
    import fcntl

    with open(Path(tempfile.gettempdir()) / f"deir-ez-zor-{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _seeded_template(server_url):
    """A migrated, seeded database kept between runs on the main server, rebuilt when the code changes.
    Migrating and seeding take most of a check's time; copying a template is quick (docs/PERFORMANCE.md,
    Harness and tests)."""
    name = f"{base_database_name()}_ops_template"
    url = database_url(name, base=server_url)
    fingerprint = _seed_fingerprint()
    found = _admin(url, f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'")
    if found and found[0][0] == fingerprint:
        return name
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    query(url, "CREATE EXTENSION IF NOT EXISTS postgis")
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "seed_demo", "--no-users", "-v0")
    _admin(url, f"COMMENT ON DATABASE \"{name}\" IS '{fingerprint}'")
    return name


@contextlib.contextmanager
def scratch_database(name, *, base=None, port=None):
    """A migrated database with the seed data (boundaries, gazetteer, the seed article's incidents),
    copied from the template; dropped afterwards. On another server (port) the copy goes through pg_dump."""
    main = database_url("postgres", base=base)
    url = database_url(name, base=base, port=port)
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    # One process at a time builds or copies the template (parallel test workers share it).
    with _machine_lock("seeded-template"):
        template = _seeded_template(main)
        if url.rsplit("/", 1)[0] == main.rsplit("/", 1)[0]:
            _admin(url, drop, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    if url.rsplit("/", 1)[0] != main.rsplit("/", 1)[0]:
        _admin(url, drop, f'CREATE DATABASE "{name}"')
        libpq = "postgresql://" + url.split("://", 1)[1]
        dump = subprocess.Popen(["pg_dump", "--format=custom", "--no-owner",
                                 "postgresql://" + database_url(template, base=base).split("://", 1)[1]],
                                stdout=subprocess.PIPE)
        restored = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq}"],
                                  stdin=dump.stdout, capture_output=True, text=True, timeout=120)
        dump.stdout.close()
        if dump.wait(timeout=60) or restored.returncode:
            raise CheckFailed(f"copying the seeded database failed: {restored.stderr[-2000:]}")
    try:
        yield url
    finally:
        _admin(url, drop)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (e.g. to the login page) is an answer in itself


_opener = urllib.request.build_opener(_NoRedirects)


def get(url, timeout=10):
    """(status, body) of a GET, redirects not followed; connection failures are status 0, never an exception."""
    try:
        with _opener.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with contextlib.suppress(http.client.HTTPException, OSError):
            return error.code, error.read()
        return error.code, b""
    except (urllib.error.URLError, http.client.HTTPException, OSError):
        return 0, b""  # refused, reset or cut off mid-answer


def wait_until(url, *, status=200, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if get(url, timeout=2)[0] == status:
            return
        time.sleep(0.2)
    raise CheckFailed(f"{url} did not answer {status} within {timeout} s")


@contextlib.contextmanager
def gunicorn(url, *, workers=2, threads=1, env=None):
    """A production-like server (DEBUG off, manifest static files) on a free loopback port; `env`: more
    environment variables (e.g. REDIS_URL)."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="ops-gunicorn-", suffix=".log", delete=False)
    command = [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"{LOOPBACK}:{port}", "--workers", str(workers),
               "--threads", str(threads), "--worker-tmp-dir", "/dev/shm", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=app_env(url, **(env or {})), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://{LOOPBACK}:{port}"
    try:
        wait_until(f"{base}/healthz")
        yield base
    except CheckFailed as failure:
        raise CheckFailed(f"{failure}\ngunicorn log:\n{Path(log.name).read_text()[-3000:]}") from None
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        os.unlink(log.name)


# Lists the project's URL patterns that take no arguments (admin excluded), as JSON.
_LIST_ROUTES = """
import json, django
django.setup()
from django.urls import URLPattern, URLResolver, get_resolver

def walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                yield from walk(entry.url_patterns, route)
        elif not entry.pattern.converters and "^" not in route and "(" not in route:
            yield "/" + route

print("ROUTES=" + json.dumps(sorted(set(walk(get_resolver().url_patterns)))))
"""


def public_paths(base, url, candidates=None):
    """Every argument-free route anonymous visitors get a 200 from, plus one published incident's page:
    routes land over time, so they are discovered (here, or by the caller as `candidates`)."""
    candidates = list(candidates) if candidates is not None else _argument_free_routes(url)
    published = query(url, "SELECT id FROM incidents_incident WHERE status = 'approved' AND merged_into_id IS NULL "
                           "ORDER BY id LIMIT 1")
    if published:
        candidates.append(f"/incidents/{published[0][0]}/")
    return [path for path in candidates if get(base + path)[0] == 200]


def _argument_free_routes(url):
    listing = subprocess.run([PYTHON, "-c", _LIST_ROUTES], cwd=ROOT, env=app_env(url, DJANGO_SETTINGS_MODULE=
                             "config.settings"), capture_output=True, text=True, timeout=60)
    routes = [line for line in listing.stdout.splitlines() if line.startswith("ROUTES=")]
    if not routes:
        raise CheckFailed(f"could not list the URL patterns:\n{listing.stderr[-2000:]}")
    return json.loads(routes[0][len("ROUTES="):])
