"""A statement timeout for public requests: a query that runs too long is a 503 with a message.

Without it a slow plan (say a bulk load before ANALYZE) held a gunicorn worker for over 30 s until
gunicorn killed it, and every other visitor queued behind (issue 15 point 14). The limit,
PUBLIC_STATEMENT_TIMEOUT_MS (config/settings.py; README, Configuration), applies to each SQL
statement of a public page or JSON answer; staff pages, imports and the exports' streams are not
limited (an export legitimately reads every row).
"""

from functools import wraps

from django.conf import settings
from django.db import DatabaseError, connections

from incidents.common.unavailable import service_unavailable

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout
MESSAGE = ("The database took too long to answer this request, so it was stopped. Please try again in a "
           "minute, or narrow the search (dates, governorate, event type).")


def _set_timeout(milliseconds):
    """Limit each statement of every connection to `milliseconds`; None: back to the database's own
    default (RESET: what the server, the database or the role configures, e.g. an operator's
    ALTER DATABASE … SET statement_timeout), not to "no limit"."""
    for alias in settings.DATABASES:
        try:
            with connections[alias].cursor() as cursor:
                if milliseconds is None:
                    cursor.execute("RESET statement_timeout")
                else:
                    cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(milliseconds)}ms"])
        except DatabaseError:
            pass  # an unreachable replica or an aborted transaction: the request's own error says so


def timed_out(error):
    """Whether a DatabaseError is PostgreSQL cancelling a statement for the statement timeout."""
    return getattr(error.__cause__, "pgcode", None) == QUERY_CANCELED


def unavailable_response(request):
    """503 with a message a reader understands: JSON for the API, plain text for pages."""
    return service_unavailable(MESSAGE, 60, error="timeout", as_json=request.path.startswith("/api/"))


def statement_timeout(view):
    """Decorate a public view: its SQL statements are cancelled after PUBLIC_STATEMENT_TIMEOUT_MS
    (0 = no limit), and a cancelled statement becomes unavailable_response() instead of a 500."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        milliseconds = settings.PUBLIC_STATEMENT_TIMEOUT_MS
        if not milliseconds:
            return view(request, *args, **kwargs)
        _set_timeout(milliseconds)
        try:
            return view(request, *args, **kwargs)
        except DatabaseError as error:
            if timed_out(error):
                return unavailable_response(request)
            raise
        finally:
            # Connections are reused (CONN_MAX_AGE): later staff requests and exports get the database's
            # own default again (found when a worker's warm-up page left exports with no limit at all).
            _set_timeout(None)

    return wrapper
