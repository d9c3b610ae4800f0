"""Inputs invented to attack issue 15's fixes (not taken from the issue): other date forms and
scripts, other encodings of numbers, other headers, other ways toward the temp folder. Each must
get a result or a 400 naming the parameter, never a 5xx, and never change what a page links to."""

import json

import pytest
from django.urls import reverse

from incidents.tests.public_data import make_public_data

pytestmark = pytest.mark.django_db

DATE_FORMS = ["2016/03/31", "31-03-2016", "٢٠١٦-٠٣-٣١", "2016-03-31T00:00", "2016-03-31 ", " 2016-03-31",
              "2016-3-31", "20160331", "2016-02-29", "2015-02-29", "+2016-03-31", "2016-03-31Z", "1e3",
              "１９９５-０１-０１", "2016-03-31\x00", "0000-01-01", "-001-01-01", "9999-99-99"]
SINCE_FORMS = ["2016-03-31T00:00:00+24:00", "2016-03-31T00:00:00+23:59", "2016-03-31T24:00:00",
               "2016-03-31T00:00:00.999999999Z", "１４５８０００００", "0x5F5E100", "+1458000000", " 1458000000 ",
               "1458000000\x00", "1970-01-01T00:00:00+00:01", "1969-12-31T23:59:59Z", "NaN", "Infinity",
               "2016-03-31T00:00:00-00:00", "P1D", "now", "9" * 5000]
BBOXES = ["-1e308,-90,1e308,90", "179.9,34,-179.9,35", "−320.5,34.5,−319,35.8", "40,35,40,35",
          "5e-324,0,1e-323,1", "-540,-91,540,91", "39.5,34.5,41", "39.5;34.5;41;35.8", "0x10,1,2,3"]


@pytest.fixture
def data(boundaries):
    return make_public_data()


def answer(client, url, **params):
    response = client.get(reverse(url), params)
    assert response.status_code in (200, 400), (url, params, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)
    elif response.status_code == 400 and response["Content-Type"].startswith("application/json"):
        assert set(json.loads(response.content)["parameters"]) <= set(params), (url, params)
    return response


@pytest.mark.parametrize("value", DATE_FORMS)
def test_other_date_forms_in_every_filtered_url(client, data, value):
    for url in ("dashboard", "api-incidents-json", "api-timeline", "api-incidents-geojson", "export-incidents-csv"):
        answer(client, url, date_from=value)
        answer(client, url, date_to=value)


@pytest.mark.parametrize("value", SINCE_FORMS)
def test_other_updated_since_forms(client, data, value):
    for url in ("export-incidents-csv", "export-incidents-geojson", "export-incidents-withdrawn-csv"):
        answer(client, url, updated_since=value)


@pytest.mark.parametrize("bbox", BBOXES)
def test_other_viewports(client, data, bbox):
    for zoom in ("", "0", "20", "21", "-0", "٩"):
        answer(client, "api-incidents-geojson", bbox=bbox, zoom=zoom)


@pytest.mark.parametrize("headers", [
    {"HTTP_X_FORWARDED_HOST": "attacker.example"},
    {"HTTP_FORWARDED": "host=attacker.example;proto=https"},
    {"HTTP_X_FORWARDED_PROTO": "gopher", "HTTP_X_FORWARDED_PORT": "6666"},
    {"HTTP_HOST": "incidents.example.org@attacker.example"},
    {"HTTP_HOST": "attacker.example:80"},
    {"HTTP_X_ORIGINAL_URL": "/admin/", "HTTP_X_REWRITE_URL": "/admin/"},
])
def test_other_headers_never_reach_the_permalink(client, data, settings, headers):
    settings.SITE_URL = "https://incidents.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    settings.PUBLIC_CACHE_SECONDS = 300
    url = reverse("incident-detail", args=[data.clash.pk])
    response = client.get(url, **headers)
    assert response.status_code in (200, 400)
    page = client.get(url).content.decode()
    assert "attacker.example" not in page and "6666" not in page and "gopher" not in page
    assert f"https://incidents.example.org{url}" in page
