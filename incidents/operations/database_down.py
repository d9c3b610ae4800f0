"""A database that cannot be reached or is overloaded answers 503 "try again", never a 500.

Found by an attacker session: with PostgreSQL out of connection slots every page answered 500
(with a traceback under DEBUG). django.db.OperationalError is the database failing to operate
(connection refused or lost, too many clients, a deadlock, a statement cancelled), never a fault of
the request, so each view's is turned into a 503 with Retry-After: JSON for feeds and downloads, a
line of text for pages. Statement timeouts of public views already answer so (public/timeouts.py).

Two places catch it: the middleware for views (with DEBUG too), and `server_error`, the project's
handler500, for everything else, such as the session lookup a browser's cookie starts inside Django's
middleware (a second attacker session sent any `sessionid` while the database was down: 500).
"""

import sys

from django.db import OperationalError
from django.views.defaults import server_error as django_server_error
from django.utils.translation import gettext as _

from incidents.common.unavailable import service_unavailable

RETRY_AFTER_SECONDS = 30
MACHINE_PREFIXES = ("/api/", "/export/", "/healthz")
MACHINE_SUFFIXES = (".csv", ".geojson", ".json")  # a snapshot's files


def unavailable(request):
    """The 503 answer: JSON where programs read (feeds, exports, files), text elsewhere."""
    message = _("The database cannot answer just now. Nothing was changed or exported; please try again in a "
                "minute.")
    machine = request.path.startswith(MACHINE_PREFIXES) or request.path.endswith(MACHINE_SUFFIXES)
    return service_unavailable(message, RETRY_AFTER_SECONDS, error="database unavailable", as_json=machine)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError):
            return unavailable(request)
        return None


def server_error(request):
    """handler500 (config/urls.py): a database failure anywhere in the request is a 503, anything
    else Django's own 500 page."""
    if isinstance(sys.exc_info()[1], OperationalError):
        return unavailable(request)
    return django_server_error(request)
