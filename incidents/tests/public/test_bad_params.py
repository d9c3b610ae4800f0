"""Issue 15, query parameters: each kind of bad or odd value, on every public URL that reads it."""

import datetime
import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from incidents.common.typology import TimePrecision
from incidents.models import AdminArea
from incidents.tests.factories import make_incident
from incidents.tests.public_data import all_published_ids, make_public_data

pytestmark = pytest.mark.django_db

FILTERED_URLS = ["dashboard", "api-incidents-geojson", "api-incidents-json", "api-timeline",
                 "export-incidents-csv", "export-incidents-geojson"]
EXPORT_URLS = ["export-incidents-csv", "export-incidents-geojson", "export-incidents-withdrawn-csv"]


@pytest.fixture
def data(boundaries):
    return make_public_data()


def named(response):
    """The parameters a 400 names: the JSON body's, or the dashboard page's <code> names."""
    if response["Content-Type"].startswith("application/json"):
        return set(json.loads(response.content)["parameters"])
    page = response.content.decode()
    return {name for name in ("date_from", "date_to", "updated_since", "time_precision", "geo_precision", "bbox")
            if f"<code>{name}</code>" in page}


@pytest.mark.parametrize("url", EXPORT_URLS)
@pytest.mark.parametrize("value", ["1796064076000", "253402300800", "9999999999999999999999",
                                   "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "١٧٠٠٠٠٠٠٠٠", "²",
                                   "-1", "1e9", "2016-02-30"])
def test_out_of_range_updated_since_is_a_400_naming_it(client, data, url, value):
    response = client.get(reverse(url), {"updated_since": value})
    assert response.status_code == 400
    assert named(response) == {"updated_since"}


@pytest.mark.parametrize("value", ["0", "1458000000", "2016-03-01", "2016-03-01T00:00:00+02:00",
                                   "2016-03-01T00:00:00 02:00"])
def test_plausible_updated_since_is_accepted(client, data, value):
    assert client.get(reverse("export-incidents-withdrawn-csv"), {"updated_since": value}).status_code == 200


@pytest.mark.parametrize("url", FILTERED_URLS)
@pytest.mark.parametrize("name", ["time_precision", "geo_precision", "actor", "governorate", "district",
                                  "event_type", "sub_event_type", "min_fatalities", "date_from", "date_to", "q"])
def test_an_empty_value_is_no_filter_everywhere(client, data, url, name):
    response = client.get(reverse(url), QUERY_STRING=f"{name}=")
    assert response.status_code == 200
    if response.streaming:  # read the export to its end, as a client does
        assert b"".join(response.streaming_content)


def test_an_empty_value_beside_a_real_one_is_the_real_one(client, data):
    def ids(query):
        response = client.get(reverse("api-incidents-json"), QUERY_STRING=query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    exact = ids("time_precision=1")
    assert exact == {data.clash.id}
    assert ids("time_precision=1&time_precision=") == exact
    assert ids("time_precision=&time_precision=1&geo_precision=") == exact


@pytest.mark.parametrize("url", FILTERED_URLS)
def test_from_after_to_is_a_400_naming_both_dates(client, data, url):
    response = client.get(reverse(url), {"date_from": "2016-03-31", "date_to": "2016-03-30"})
    assert response.status_code == 400
    assert named(response) == {"date_from", "date_to"}


@pytest.mark.parametrize("url", FILTERED_URLS)
@pytest.mark.parametrize("dates", [{"date_from": "0025-03-01"}, {"date_to": "1989-12-31"},
                                   {"date_from": "2999-01-01"}])
def test_implausible_filter_dates_are_a_400_naming_them(client, data, url, dates):
    response = client.get(reverse(url), dates)
    assert response.status_code == 400
    assert named(response) == set(dates)


def test_the_same_day_as_from_and_to_is_fine(client, data):
    response = client.get(reverse("api-incidents-json"), {"date_from": "2016-01-18", "date_to": "2016-01-18"})
    assert {row["id"] for row in response.json()["results"]} == {data.clash.id}


@pytest.mark.parametrize("turns", [-3, -1, 1, 2])
def test_a_repeated_world_copy_shows_the_same_incidents(client, data, turns):
    def features(west, east):
        response = client.get(reverse("api-incidents-geojson"), {"bbox": f"{west},34.5,{east},35.8", "zoom": "9"})
        assert response.status_code == 200, response.content
        return {feature["id"] for feature in response.json()["features"]}

    real = features(39.5, 41)
    assert real == all_published_ids(data)
    assert features(39.5 + 360 * turns, 41 + 360 * turns) == real
    assert features(-320.5, -319) == real  # the report's exact viewport


def test_a_view_across_the_antimeridian_looks_on_both_sides(client, data):
    response = client.get(reverse("api-incidents-geojson"), {"bbox": "170,34.5,401,35.8", "zoom": "3"})
    assert response.status_code == 200
    assert response.json()["count"] == 3  # 401 - 360 = 41: Deir ez-Zor lies on the far side


def test_the_timeline_never_builds_more_than_a_bounded_number_of_bars(client, boundaries):
    # A row written before the import refused such dates (straight into the table) must not make
    # 23,911 monthly bars: it is counted in the first bar of the plausible range.
    make_incident(date=datetime.date(2016, 1, 18), fatalities=2)
    make_incident(date=datetime.date(25, 3, 1), fatalities=5)
    for interval in ("auto", "month", "week", "day"):
        body = client.get(reverse("api-timeline"), {"interval": interval})
        assert body.status_code == 200
        timeline = body.json()
        assert len(timeline["buckets"]) <= 1000, interval
        assert timeline["buckets"][0]["start"] >= "1990-01-01"
        assert timeline["totals"]["incidents"] == 2 and timeline["totals"]["fatalities"] == 7
    assert len(client.get(reverse("dashboard")).content) < 2_000_000


def test_a_fine_interval_over_a_long_span_is_coarsened_and_says_so(client, boundaries):
    make_incident(date=datetime.date(1995, 1, 1), time_precision=TimePrecision.DAY)
    make_incident(date=datetime.date(2016, 1, 1))
    timeline = client.get(reverse("api-timeline"), {"interval": "day"}).json()
    assert timeline["interval"] in ("week", "month") and len(timeline["buckets"]) <= 1000
    assert AdminArea.objects.exists()


# Every single-valued parameter, with the URLs that read it and two values each would accept.
SINGLE_VALUED = {
    "date_from": (FILTERED_URLS + ["embed"], "2016-01-01", "2017-01-01"),
    "date_to": (FILTERED_URLS + ["embed"], "2017-12-31", "2018-12-31"),
    "min_fatalities": (FILTERED_URLS + ["embed"], "1", "2"),
    "q": (FILTERED_URLS + ["embed"], "Deir", "Hajin"),
    "updated_since": (EXPORT_URLS, "0", "1458000000"),
    "as_of": (EXPORT_URLS, "2026-01-01", "2026-02-01"),
    "bom": (["export-incidents-csv"], "0", "1"),
    "bbox": (["api-incidents-geojson"], "39,34,42,36", "38,34,42,36"),
    "zoom": (["api-incidents-geojson"], "7", "8"),
    "page": (["dashboard", "api-incidents-json"], "1", "2"),
    "page_size": (["api-incidents-json"], "10", "20"),
    "sort": (["dashboard"], "date", "-date"),
    "order": (["dashboard"], "newest", "oldest"),
    "interval": (["api-timeline"], "month", "year"),
}
# Found by a second attacker session: the actor picker's q and the cited view's query still took the last.
OTHER_SINGLE_VALUED = [("api-actors", "q", "Islamic", "Army"), ("snapshot-new", "query", "date_from=2016-01-01",
                                                                  "date_from=2017-01-01")]


@pytest.mark.parametrize("url, name, first, second", OTHER_SINGLE_VALUED)
def test_the_picker_and_the_citation_refuse_two_different_values_too(client, data, url, name, first, second):
    response = client.get(reverse(url), QUERY_STRING=urlencode([(name, first), (name, second)]))
    assert response.status_code == 400 and name in response.content.decode(), url
    assert client.get(reverse(url), QUERY_STRING=urlencode([(name, first), (name, first)])).status_code == 200
    if url == "snapshot-new":  # and the POST that makes the snapshot
        response = client.post(reverse("snapshot-create"), {"query": [first, second]})
        assert response.status_code == 400 and "<code>query</code>" in response.content.decode()


@pytest.mark.parametrize("name", SINGLE_VALUED)
def test_a_single_valued_parameter_given_twice_differently_is_a_400_naming_it(client, data, name):
    # Found by an attacker session: date_from=2016-01-01&date_from=2017-01-01 silently meant 2017.
    urls, first, second = SINGLE_VALUED[name]
    for url in urls:
        response = client.get(reverse(url), QUERY_STRING=f"{name}={first}&{name}={second}")
        assert response.status_code == 400, (url, name)
        if url != "embed":
            assert named(response) == {name} or f"<code>{name}</code>" in response.content.decode(), (url, name)
        # The same value twice, or an empty repeat, is what a form may send: accepted.
        for query in (f"{name}={first}&{name}={first}", f"{name}={first}&{name}="):
            response = client.get(reverse(url), QUERY_STRING=query)
            assert response.status_code == 200, (url, query)
            if response.streaming:  # read the export to its end, as a client does
                b"".join(response.streaming_content)
