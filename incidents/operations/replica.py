"""Anonymous public reads on a PostgreSQL streaming replica, everything else on the primary.

With DATABASE_REPLICA_URL set (config/settings.py makes it the "replica" database), the middleware
marks a request as a public read when it is a GET or HEAD from a visitor who is not signed in and
not for the admin; while that request runs, the router sends the ORM's reads to the replica.
Signed-in analysts and reviewers, every write, imports, management commands and the workflow stay on
the primary, so analysts always read their own writes.

The public cache's data version is read from the same database as the page (incidents/public/cache.py
asks `public_read_alias()`), and a replica never runs ahead of the primary, so a cached answer is
never older than the version it is filed under: once the replica replays a publish, the next request
computes afresh.

When the replica cannot be reached, public reads fall back to the primary for RETRY_SECONDS before
the replica is tried again (docs/OPERATIONS.md, Replica). A replica that fails in the middle of a
request fails that request only.
"""

import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

from incidents.common.read_database import REPLICA, public_read, public_read_alias

RETRY_SECONDS = 5.0
_replica_down_until = 0.0


def replica_configured():
    return REPLICA in settings.DATABASES


def _replica_reachable():
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        # A persistent connection to a replica that went away is noticed here (once per request, as
        # CONN_HEALTH_CHECKS does for the primary), not in the middle of the page.
        connections[REPLICA].close_if_health_check_failed()
        connections[REPLICA].ensure_connection()
        return True
    except OperationalError:
        _replica_down_until = time.monotonic() + RETRY_SECONDS
        connections[REPLICA].close()
        return False


def is_public_read(request):
    """GET/HEAD by a visitor who is not signed in, outside the admin."""
    return (request.method in ("GET", "HEAD") and not request.path.startswith("/admin/")
            and not request.user.is_authenticated)


class PublicReadsOnReplicaMiddleware:
    """After AuthenticationMiddleware: routes this request's reads to the replica when it is a public
    read and the replica answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        use_replica = replica_configured() and is_public_read(request) and _replica_reachable()
        token = public_read.set(use_replica)
        try:
            return self.get_response(request)
        finally:
            public_read.reset(token)


class PrimaryReplicaRouter:
    """Reads of a public read request go to the replica; all else to the primary (DATABASE_ROUTERS)."""

    def db_for_read(self, model, **hints):
        return public_read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
