"""Warm a web worker at boot, before it takes its first request.

A gunicorn worker's first request cost 0.2–0.4 s more than the next, and its first dashboard or
map request another 30–130 ms (issue 18 target 2: the "~1 s right after a data change" in
bench/run.py was each fresh worker's first requests, not the change): view modules imported by the
URLconf, regular expressions compiled, templates and their includes compiled, translation catalogues
read, the models' metadata and the GEOS library loaded, and PostgreSQL loading PostGIS and the
incident table's catalogue into the new connection's backend. The worker now does that itself at
boot by answering the two requests every visit starts with (the dashboard and the map's first view),
through its own WSGI application, before it accepts a reader's.
"""

import io
import logging
import math
import sys
from urllib.parse import urlencode

from django.conf import settings
from django.utils import translation

log = logging.getLogger(__name__)


def _first_view_paths():
    """The dashboard and the map data of the map's default view (as dashboard.js asks for it)."""
    zoom = settings.LEAFLET_CONFIG["DEFAULT_ZOOM"]
    latitude, longitude = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
    # A 1,280 × 720 px map at that zoom: 256 px per tile, 2**zoom tiles round the world.
    half_width = 640 * 360.0 / (256 * 2 ** zoom)
    half_height = 360 * 360.0 / (256 * 2 ** zoom) * math.cos(math.radians(latitude))
    bbox = ",".join(f"{v:.4f}" for v in (longitude - half_width, latitude - half_height,
                                         longitude + half_width, latitude + half_height))
    return [("/", ""), ("/api/incidents.geojson", urlencode({"bbox": bbox, "zoom": zoom}))]


def _host():
    """A host name the site answers to, or None (then no request can be made)."""
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*":
            return host
    return "localhost" if settings.ALLOWED_HOSTS else None


def _get(application, host, path, query):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": host, "SERVER_PORT": "443", "HTTP_HOST": host, "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "https", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if header:  # behind a proxy the scheme comes from its header
        environ[header[0]] = header[1]
    statuses = []
    response = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        for _chunk in response:
            pass
    finally:
        if hasattr(response, "close"):
            response.close()
    return statuses[0] if statuses else "no answer"


def warm_up(application):
    """Read both languages' catalogues, then answer the first-view requests once through
    `application` (the worker's WSGI handler). Never raises: a database that is down at boot must not
    stop the worker (its answer is then a 503, as a reader's would be). Answers go to the public
    cache like any other, under the current data version."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Date")  # reads the catalogue
    host = _host()
    if host is None:
        log.warning("warm-up: ALLOWED_HOSTS is empty, no request made")
        return
    for path, query in _first_view_paths():
        try:
            status = _get(application, host, path, query)
        except Exception:  # noqa: BLE001 the worker must boot whatever happens here
            log.warning("warm-up: GET %s failed", path, exc_info=True)
            continue
        if not status.startswith("200"):
            log.warning("warm-up: GET %s?%s answered %s", path, query, status)
