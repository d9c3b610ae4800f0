"""Which database this request's public reads use: the primary, or the replica for a public read.

Set per request by incidents/operations/replica.py (middleware and router); read here by code that
runs raw SQL on a connection of its own choosing (the public cache's data version, the JSON built in
PostgreSQL, the CSV export), so that it reads from the same database as the ORM does.
"""

import contextvars

from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
public_read = contextvars.ContextVar("incidents_public_read", default=False)


def public_read_alias():
    """"replica" while a public read request runs with a reachable replica, else "default"."""
    return REPLICA if public_read.get() else DEFAULT_DB_ALIAS
