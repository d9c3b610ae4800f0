"""Warm a web worker at boot, before it takes its first request.

A gunicorn worker's first request cost 0.2–0.4 s more than the next (issue 18 target 2: the "~1 s right
after a data change" in bench/run.py was each fresh worker's first request, not the change): every
view module imported by the URLconf, the URL patterns' regular expressions compiled, the page
templates compiled, both languages' translation catalogues read, and PostgreSQL loading PostGIS
into the new connection's backend. Done here once per worker at boot instead of in a reader's request.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connections
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import Resolver404, get_resolver, resolve
from django.utils import translation

# The public pages readers open first (their includes and parents compile with them).
TEMPLATES = ("incidents/public/dashboard.html", "incidents/public/incident_detail.html")
PATHS = ("/", "/api/incidents.geojson", "/api/timeline.json")

log = logging.getLogger(__name__)


def warm_up():
    """Import, compile and connect what the first request would; never raises (a database that is
    down at boot must not stop the worker: the request that needs it says so)."""
    get_resolver().url_patterns  # noqa: B018 imports every view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Date")  # reads the catalogue
            prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
            for path in PATHS:
                try:
                    resolve(prefix + path)  # compiles the patterns' regular expressions on the way
                except Resolver404:
                    log.warning("warm-up: no route for %s", prefix + path)
    for name in TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            log.warning("warm-up: no template %s", name)
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT postgis_lib_version()")
        except DatabaseError:
            log.warning("warm-up: database %s unreachable; the first request will connect", alias)
