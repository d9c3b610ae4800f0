"""The public JSON endpoints: same filter as the pages, approved incidents only, 400 for bad input."""

import csv
import io
import re

import pytest
from django.urls import reverse

from incidents.models import AdminArea, Place
from incidents.tests.public_data import all_published_ids, assert_nothing_unpublished, make_public_data

pytestmark = pytest.mark.django_db

DEIR_EZ_ZOR_VIEW = {"bbox": "39.5,34.5,41.0,35.8", "zoom": "9"}


@pytest.fixture
def data(boundaries):
    return make_public_data()


def map_ids(client, params):
    response = client.get(reverse("api-incidents-geojson"), {**DEIR_EZ_ZOR_VIEW, **params})
    assert response.status_code == 200, response.content
    collection = response.json()
    assert collection["mode"] == "points"
    return {feature["id"] for feature in collection["features"]}


def table_ids(client, params):
    page = client.get(reverse("dashboard"), params).content.decode()
    return {int(pk) for pk in re.findall(r'<tr data-incident-id="(\d+)"', page)}


def list_ids(client, params):
    return {row["id"] for row in client.get(reverse("api-incidents-json"), params).json()["results"]}


def csv_ids(client, params):
    response = client.get(reverse("export-incidents-csv"), params)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content)
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return {int(re.search(r"/incidents/(\d+)/", row["incident_url"]).group(1)) for row in rows}


QUERIES = [
    {},
    {"actor": "sdf"},
    {"actor": "isis", "date_from": "2016-02-01"},
    {"event_type": "Battles"},
    {"geo_precision": ["2", "3"]},
    {"time_precision": "1"},
    {"min_fatalities": "3"},
    {"q": "Mayadin"},
    {"date_from": "2016-03-05", "date_to": "2016-03-06"},  # inside the strike's week only
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_map_timeline_table_list_and_csv_select_the_same_incidents(client, data, query):
    actors = {"sdf": data.sdf.id, "isis": data.isis.id}
    params = {k: actors.get(v, v) if k == "actor" else v for k, v in query.items()}
    ids = map_ids(client, params)
    assert table_ids(client, params) == ids
    assert list_ids(client, params) == ids
    timeline = client.get(reverse("api-timeline"), params).json()
    assert timeline["totals"]["incidents"] == len(ids)
    assert ids <= all_published_ids(data)
    assert csv_ids(client, params) == ids


def test_the_agreement_test_can_tell_filters_apart(client, data):
    assert map_ids(client, {"actor": data.sdf.id}) != map_ids(client, {})


# -- /api/incidents.geojson --

def test_geojson_has_published_incidents_with_popup_fields(client, data):
    response = client.get(reverse("api-incidents-geojson"), DEIR_EZ_ZOR_VIEW)
    assert response["Content-Type"] == "application/geo+json"
    assert_nothing_unpublished(response.content.decode(), data)
    features = {f["id"]: f for f in response.json()["features"]}
    assert set(features) == all_published_ids(data)
    clash = features[data.clash.id]
    assert clash["geometry"] == {"type": "Point", "coordinates": [40.1756, 35.2854]}
    props = clash["properties"]
    assert props["date_label"] == "18 Jan 2016" and props["time_precision"] == 1
    assert props["actor1_name"] == "Islamic State (Syria)" and props["actor2_name"].startswith("Military Forces")
    assert (props["fatalities"], props["fatalities_low"], props["fatalities_high"]) == (7, 5, 10)
    assert props["sources"] == [{"title": "Clashes at Deir ez-Zor airbase", "url": "https://news.example/clash",
                                 "source": "Test News", "published_on": None}]
    assert props["governorate"] and props["district"]
    strike = features[data.strike.id]["properties"]
    assert strike["actor2_associates"] == ["Syrian Democratic Forces"]
    assert strike["date_label"] == "between 2 Mar 2016 and 8 Mar 2016"
    assert strike["geo_precision_label"] == "nearby / district"
    for private in ("status", "coder", "reviewer", "rejection_reason", "notes"):
        assert private not in props


def test_geojson_returns_only_the_viewport(client, data):
    far_away = {"bbox": "35.0,32.0,36.5,33.5", "zoom": "9"}  # Damascus
    assert client.get(reverse("api-incidents-geojson"), far_away).json()["features"] == []
    mayadin_only = {"bbox": "40.40,34.98,40.50,35.05", "zoom": "13"}
    features = client.get(reverse("api-incidents-geojson"), mayadin_only).json()["features"]
    assert [f["id"] for f in features] == [data.strike.id]


@pytest.mark.parametrize("params, name", [
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "west,south,east,north"}, "bbox"),
    ({"bbox": "41,34,40,35"}, "bbox"),
    ({"bbox": "nan,34,41,35"}, "bbox"),
    ({"zoom": "-1"}, "zoom"),
    ({"zoom": "99"}, "zoom"),
    ({"date_from": "yesterday"}, "date_from"),
    ({"actor": "999999"}, "actor"),
    ({"min_fatalities": "-3"}, "min_fatalities"),
    ({"geo_precision": "7"}, "geo_precision"),
])
def test_geojson_rejects_bad_parameters_with_400_naming_them(client, data, params, name):
    response = client.get(reverse("api-incidents-geojson"), params)
    assert response.status_code == 400
    assert name in response.json()["parameters"]


def test_world_wrapping_bbox_from_leaflet_is_clamped_not_rejected(client, data):
    response = client.get(reverse("api-incidents-geojson"), {"bbox": "-200,-95,200,95", "zoom": "2"})
    assert response.status_code == 200


# -- /api/timeline.json --

def test_timeline_counts_published_incidents_per_month(client, data):
    body = client.get(reverse("api-timeline"), {"interval": "month"}).json()
    assert body["interval"] == "month"
    assert body["totals"] == {"incidents": 3, "fatalities": 10, "approximate": 2, "approximate_fatalities": 3}
    counted = {b["start"]: b["incidents"] for b in body["buckets"] if b["incidents"]}
    assert counted == {"2016-01-01": 1, "2016-03-01": 1, "2017-06-01": 1}
    assert_nothing_unpublished(str(body), data)


@pytest.mark.parametrize("params, name", [({"interval": "year"}, "interval"), ({"date_to": "2016-13-01"}, "date_to"),
                                          ({"actor": "x"}, "actor")])
def test_timeline_rejects_bad_parameters_with_400(client, data, params, name):
    response = client.get(reverse("api-timeline"), params)
    assert response.status_code == 400 and name in response.json()["parameters"]


# -- /api/incidents.json --

def test_incident_list_pages_through_published_incidents_newest_first(client, data):
    first = client.get(reverse("api-incidents-json"), {"page_size": 2}).json()
    second = client.get(reverse("api-incidents-json"), {"page_size": 2, "page": 2}).json()
    assert (first["count"], first["pages"], first["page"]) == (3, 2, 1)
    assert [r["id"] for r in first["results"] + second["results"]] == [data.attack.id, data.strike.id, data.clash.id]
    assert_nothing_unpublished(str(first) + str(second), data)


@pytest.mark.parametrize("params", [{"page": "-1"}, {"page": "0"}, {"page": "abc"}, {"page": "3"},
                                    {"page_size": "0"}, {"page_size": "100000"}])
def test_incident_list_rejects_bad_paging_with_400(client, data, params):
    response = client.get(reverse("api-incidents-json"), params)
    assert response.status_code == 400
    assert set(response.json()["parameters"]) <= {"page", "page_size"}


# -- reference layers --

def test_boundaries_are_simplified_outlines_of_governorates_and_districts(client, data):
    response = client.get(reverse("api-boundaries-geojson"))
    features = response.json()["features"]
    assert {f["properties"]["level"] for f in features} == {1, 2}
    assert len(features) == AdminArea.objects.filter(level__in=[1, 2]).count()
    deir = next(f for f in features if f["properties"]["pcode"] == "SYR009")
    served = sum(len(ring) for polygon in deir["geometry"]["coordinates"] for ring in polygon)
    assert served < AdminArea.objects.get(pcode="SYR009").geom.num_coords
    assert len(deir["properties"]["label_at"]) == 2


def test_places_layer_has_gazetteer_places_but_not_places_analysts_added(client, data):
    from django.contrib.gis.geos import Point

    Place.objects.create(name="Al Mayadin", geonameid=173480, point=Point(40.45, 35.02, srid=4326))
    Place.objects.create(name="Safe house from a draft", point=Point(40.1, 35.3, srid=4326))
    names = {f["properties"]["name"] for f in client.get(reverse("api-places-geojson")).json()["features"]}
    assert names == {"Al Mayadin"}


@pytest.mark.parametrize("name", ["api-incidents-geojson", "api-timeline", "api-incidents-json", "dashboard"])
def test_a_sub_event_type_of_another_event_type_matches_nothing_without_error(client, data, name):
    response = client.get(reverse(name), {"event_type": "Battles", "sub_event_type": "Attack"})
    assert response.status_code == 200
    if name == "api-incidents-geojson":
        assert response.json()["features"] == []
    elif name == "api-timeline":
        assert response.json()["totals"]["incidents"] == 0
    elif name == "api-incidents-json":
        assert response.json()["results"] == []
