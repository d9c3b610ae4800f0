"""Which database this request's public reads use: the primary, or the replica for a public read.

Set per request by incidents/operations/replica.py (middleware and router); read here by code that
runs raw SQL on a connection of its own choosing (the public cache's data version, the JSON built in
PostgreSQL, the CSV export), so that it reads from the same database as the ORM does.
"""

import contextvars

from django.db import DEFAULT_DB_ALIAS, connections, transaction

REPLICA = "replica"
public_read = contextvars.ContextVar("incidents_public_read", default=False)


def public_read_alias():
    """"replica" while a public read request runs with a reachable replica, else "default"."""
    return REPLICA if public_read.get() else DEFAULT_DB_ALIAS


class streamed_transaction:  # noqa: N801 (used like transaction.atomic)
    """`transaction.atomic(using=alias)` for a generator that yields inside it (a streamed export).

    A paused generator may be ended late: garbage-collected in another thread, or after the code
    that owned the connection opened transactions of its own. Ending the atomic block then would end
    *their* savepoint or transaction (and could leave later statements committing on their own), so
    it is ended only where it is still the innermost block of its own connection; otherwise it is
    left for that connection's owner, who rolls it back with the rest.
    """

    def __init__(self, alias):
        self.alias, self.database = alias, connections[alias]
        self.atomic = transaction.atomic(using=alias)

    def __enter__(self):
        self.atomic.__enter__()
        return self

    def __exit__(self, kind, value, traceback):
        in_place = connections[self.alias] is self.database and self.database.atomic_blocks[-1:] == [self.atomic]
        return self.atomic.__exit__(kind, value, traceback) if in_place else False
