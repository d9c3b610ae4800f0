"""Anonymous public responses, cached under the data version, with an ETag for conditional GETs.

The public dashboard is read far more often than it changes, and rendering it costs far more
PostgreSQL and Python than a lookup (docs/PERFORMANCE.md, Timeline and public pages). So a
response for an anonymous visitor is kept under (data version, path, query string). The data
version (incidents/models/counts.py DataVersion) is bumped by triggers at the commit of any change to
public data, so a withdrawn incident is gone from the very next request: there is no expiry to
wait for, and nothing a code path can forget.

Browsers and proxies get an ETag from the same version and must revalidate every time
(Cache-Control: no-cache), so a reader on a poor connection gets "304 Not Modified" instead of the
page again, and never a stale one. Signed-in users (staff see extra links) bypass the cache.

The cache is Django's default cache: per-worker memory, or Redis when REDIS_URL is set
(config/settings.py), where every worker and machine shares each answer. The key holds the data
version, so a publish makes every process compute afresh without any message between them. If Redis
is unreachable the answer is computed and served uncached: slower, never an error.
"""

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from incidents.common.numerals import browser_locale
from incidents.common.read_database import public_read_alias
from incidents.common.shared_cache import cache_get, cache_set


# Kept: answers that depend only on the data and the URL. Redirects and server errors are not.
CACHED_STATUSES = {200, 400, 404, 410}


def data_version():
    # From the database this request's page is read from (the replica for a public read), so an
    # answer is never filed under a version newer than its data (incidents/operations/replica.py).
    with connections[public_read_alias()].cursor() as cursor:
        cursor.execute("SELECT coalesce((SELECT value FROM incidents_dataversion WHERE id = 1), 0)")
        return cursor.fetchone()[0]


def _request_digest(request):
    # Parameter order does not change the answer, so it must not split the cache. The language does:
    # it is in the path (/ar/…), and in the key as well, so no route can serve one language's page
    # to a reader of the other (incidents/operations/language.py).
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    # The digits too (ARABIC_DIGITS, numerals.py): a shared Redis keeps pages across a restart that changed them.
    key = f"{get_language()}:{browser_locale()}:{request.path}?{urlencode(query)}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _stored(response):
    return {"status": response.status_code, "content": response.content, "content_type": response["Content-Type"]}


def _restored(stored):
    return HttpResponse(stored["content"], status=stored["status"], content_type=stored["content_type"])


def cached_for_the_public(view):
    """Decorate a public GET view whose answer depends only on the URL and the published data."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        version, digest = data_version(), _request_digest(request)
        etag = f'"{version}-{digest[:16]}"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            response = not_modified
        else:
            key = f"public:{version}:{digest}"
            stored = cache_get(key)
            if stored is not None:
                response = _restored(stored)
            else:
                response = view(request, *args, **kwargs)
                if response.status_code not in CACHED_STATUSES or response.streaming:
                    return response
                cache_set(key, _stored(response), seconds)
        response["ETag"] = etag
        patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
