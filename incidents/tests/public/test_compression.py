"""Compression on a poor connection (issue 16 point 10), over real HTTP requests to the live server.

Public pages and JSON go out gzipped to anonymous visitors; the public cache's ETag then becomes
weak and a revalidation still gets a 304 with no body; a signed-in analyst's answers are never
compressed (BREACH: docs/OPERATIONS.md); hashed static files are compressed and immutable.
"""

import gzip
import http.client
import json
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.templatetags.static import static
from django.test import Client

from incidents.tests.factories import make_user
from incidents.tests.public_data import make_public_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cached(settings, boundaries):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def get(live_server, path, **headers):
    """(status, headers as a lower-cased dict, raw body bytes) of one GET to the live server."""
    url = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


PUBLIC = ["/", "/embed/", "/api/timeline.json?interval=day", "/api/incidents.geojson?bbox=35,32,43,38&zoom=7",
          "/api/incidents.json", "/api/boundaries.geojson"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_answers_are_gzipped_and_decode_to_the_same_answer(live_server, cached, path):
    data = make_public_data()
    status, headers, body = get(live_server, path, **{"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower()
    text = gzip.decompress(body).decode()
    plain_status, plain_headers, plain = get(live_server, path)  # a client that takes no gzip gets it plain
    assert plain_status == 200 and "content-encoding" not in plain_headers
    assert text == plain.decode()
    assert len(body) < len(plain) / 2 or len(plain) < 2000, (len(body), len(plain))
    if path.startswith("/api/incidents.json"):
        assert {row["id"] for row in json.loads(text)["results"]} == {data.clash.id, data.strike.id, data.attack.id}


@pytest.mark.parametrize("path", ["/", "/embed/", "/api/timeline.json", "/api/boundaries.geojson"])
def test_a_revalidation_of_a_gzipped_answer_gets_a_304_without_a_body(live_server, cached, path):
    make_public_data()
    status, headers, body = get(live_server, path, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    etag = headers["etag"]
    assert etag.startswith('W/"')  # gzip changed the bytes: the validator is weak, as RFC 9110 asks
    again_status, again_headers, again_body = get(live_server, path, **{"Accept-Encoding": "gzip",
                                                                         "If-None-Match": etag})
    assert again_status == 304
    assert again_body == b""
    # The same validator works for a client that asks without gzip (weak comparison).
    assert get(live_server, path, **{"If-None-Match": etag})[0] == 304


def test_signed_in_analysts_answers_are_not_compressed(live_server, cached):
    make_public_data()
    client = Client()
    client.force_login(make_user())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    for path in ("/", "/admin/"):
        status, headers, body = get(live_server, path, **{"Accept-Encoding": "gzip", "Cookie": cookie})
        assert status == 200, path
        assert "content-encoding" not in headers, path
        assert b"<html" in body
    # Anonymous, the same page is compressed.
    assert get(live_server, "/", **{"Accept-Encoding": "gzip"})[1]["content-encoding"] == "gzip"


def test_hashed_static_files_are_compressed_and_immutable(client):
    url = static("incidents/map_common.js")
    assert url != "/static/incidents/map_common.js"  # the production manifest's hashed name
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert b"incidentLayers" in gzip.decompress(b"".join(response.streaming_content))
