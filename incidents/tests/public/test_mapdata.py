"""Map data: only the viewport, points when few, SQL grid clusters when many, built in the database."""

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.common.params import BadParameters
from incidents.models import AdminArea, Incident
from incidents.public import mapdata
from incidents.tests.factories import make_actor, make_incident, make_unpublished_trio

pytestmark = pytest.mark.django_db

SYRIA_EAST = {"bbox": "38,33,42,37"}


@pytest.fixture
def actor(boundaries):
    return make_actor()


def features(params, queryset=None):
    viewport = mapdata.parse_viewport(params)
    return json.loads(mapdata.incident_features(queryset or Incident.objects.published(), viewport))


def test_no_bbox_means_the_whole_world_at_a_zoom_that_fits_it():
    viewport = mapdata.parse_viewport({})
    assert viewport.bbox == mapdata.WORLD and viewport.zoom == 1


def test_cluster_cells_halve_with_each_zoom_level():
    cells = [mapdata.parse_viewport({"zoom": z}).cell_size for z in (5, 6, 12)]
    assert cells[0] == 2 * cells[1] == 2 ** 7 * cells[2]


@pytest.mark.parametrize("raw", ["1,2,3", "1,2,3,4,5", "a,b,c,d", "inf,1,2,3", "10,1,5,3", "1,10,3,5", ""])
def test_unusable_bbox_is_a_bad_parameter(raw):
    if raw == "":
        assert mapdata.parse_viewport({"bbox": raw}).bbox == mapdata.WORLD
        return
    with pytest.raises(BadParameters) as error:
        mapdata.parse_viewport({"bbox": raw})
    assert list(error.value.errors) == ["bbox"]


def test_few_incidents_come_as_points_with_their_own_coordinates(actor):
    incident = make_incident(actor1=actor, point=Point(40.2, 35.3, srid=4326))
    collection = features({**SYRIA_EAST, "zoom": 7})
    assert collection["mode"] == "points" and collection["count"] == 1
    assert collection["features"][0]["geometry"]["coordinates"] == [40.2, 35.3]
    assert collection["features"][0]["id"] == incident.id


def test_many_incidents_come_as_grid_clusters_with_counts_by_event_type(actor, monkeypatch):
    monkeypatch.setattr(mapdata, "MAX_POINTS", 3)
    for lon in (40.10, 40.11, 40.12):  # three near Deir ez-Zor...
        make_incident(actor1=actor, point=Point(lon, 35.30, srid=4326), fatalities=1)
    make_incident(actor1=actor, point=Point(38.28, 34.56, srid=4326), event_type="Explosions/Remote violence",
                  sub_event_type="Air/drone strike")  # ...and one at Palmyra
    make_unpublished_trio(point=Point(40.10, 35.30, srid=4326))
    collection = features({**SYRIA_EAST, "zoom": 7})
    assert collection["mode"] == "clusters" and collection["count"] == 4
    cells = sorted((f["properties"] for f in collection["features"]), key=lambda p: -p["count"])
    assert [c["count"] for c in cells] == [3, 1]
    assert cells[0]["event_types"] == {"Battles": 3} and cells[0]["fatalities"] == 3
    assert cells[1]["event_types"] == {"Explosions/Remote violence": 1}
    deir = max(collection["features"], key=lambda f: f["properties"]["count"])
    assert deir["geometry"]["coordinates"] == [40.11, 35.3]  # the mean of its incidents, not a cell corner


def test_clusters_split_as_the_map_zooms_in(actor, monkeypatch):
    monkeypatch.setattr(mapdata, "MAX_POINTS", 1)
    make_incident(actor1=actor, point=Point(40.10, 35.30, srid=4326))
    make_incident(actor1=actor, point=Point(40.45, 35.02, srid=4326))  # Mayadin, ~45 km away
    assert len(features({**SYRIA_EAST, "zoom": 5})["features"]) == 1
    assert len(features({**SYRIA_EAST, "zoom": 10})["features"]) == 2


def test_incidents_outside_the_viewport_are_not_sent(actor):
    make_incident(actor1=actor, point=Point(36.3, 33.5, srid=4326))  # Damascus
    assert features({**SYRIA_EAST, "zoom": 7})["count"] == 0


def test_unpublished_incidents_are_not_on_the_map(actor):
    make_unpublished_trio()
    collection = features({**SYRIA_EAST, "zoom": 7})
    assert collection["count"] == 0 and collection["features"] == []


def incident_queries(captured):
    return [q["sql"] for q in captured if "incidents_incident" in q["sql"]]


def test_map_data_is_one_sql_statement_whatever_the_number_of_incidents(actor, monkeypatch):
    for i in range(30):
        make_incident(actor1=actor, point=Point(40 + i / 100, 35.3, srid=4326))
    with CaptureQueriesContext(connection) as points:
        assert features({**SYRIA_EAST, "zoom": 9})["count"] == 30
    monkeypatch.setattr(mapdata, "MAX_POINTS", 10)
    with CaptureQueriesContext(connection) as clusters:
        assert features({**SYRIA_EAST, "zoom": 9})["mode"] == "clusters"
    # How many are in view, then the GeoJSON itself: never a query per incident.
    assert len(incident_queries(points)) == 2 and len(incident_queries(clusters)) == 2


def test_boundary_outlines_are_simplified_and_labelled(boundaries):
    collection = json.loads(mapdata.boundary_outlines())
    levels = {f["properties"]["level"] for f in collection["features"]}
    assert levels == {1, 2}
    assert all(f["properties"]["label_at"] for f in collection["features"])


def test_boundary_outlines_stay_within_their_tolerance_of_the_real_boundary(boundaries):
    """Simplified and rounded (OUTLINE_DECIMALS) for a poor link, each governorate's outline still lies
    within 0.012° (1.2 km) of the real one, so it is drawn where it is."""
    served = {f["properties"]["pcode"]: f["geometry"] for f in json.loads(mapdata.boundary_outlines())["features"]
              if f["properties"]["level"] == 1}
    assert served
    for area in AdminArea.objects.filter(level=1):
        outline = GEOSGeometry(json.dumps(served[area.pcode]), srid=4326)
        slack = 0.012
        assert area.geom.buffer(slack).contains(outline), area.pcode
        assert outline.buffer(slack).contains(area.geom), area.pcode
