"""The unfiltered map's clusters from the cell counts kept on write (map_cells.py, migration 0028):
the same clusters as grouping the incidents, whatever was published, withdrawn, moved or deleted,
wherever the viewport's edges fall."""

import json
import random

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import Sum

from incidents.common.typology import EventType
from incidents.models import Incident, MapCellCount
from incidents.public import map_cells, mapdata
from incidents.tests.factories import make_actor, make_incident

pytestmark = pytest.mark.django_db

TYPES = [{"event_type": EventType.BATTLES, "sub_event_type": "Armed clash"},
         {"event_type": EventType.PROTESTS, "sub_event_type": "Peaceful protest"}]
VIEWS = [("39.26,34.99,41.02,35.67", z) for z in (8, 10, 12)] + [
    ("40.0013,35.2007,40.4391,35.4493", 11), ("38,33,42,37", 7), ("39.9,35.1,40.3,35.5", 12), ("35,32,43,38", 5)]


def clusters(bbox, zoom, unfiltered):
    viewport = mapdata.parse_viewport({"bbox": bbox, "zoom": zoom})
    found = json.loads(mapdata.incident_features(Incident.objects.published(), viewport, unfiltered=unfiltered))
    assert found["mode"] == "clusters"
    return found


def comparable(collection):
    """Each cluster's count, fatalities, types and mean position (5 decimals), in a fixed order."""
    return collection["count"], sorted(
        (f["properties"]["count"], f["properties"]["fatalities"], sorted(f["properties"]["event_types"].items()),
         f["geometry"]["coordinates"]) for f in collection["features"])


def assert_same_clusters():
    for bbox, zoom in VIEWS:
        kept, grouped = clusters(bbox, zoom, True), clusters(bbox, zoom, False)
        assert comparable(kept) == comparable(grouped), (bbox, zoom)
        # A cluster's box holds its incidents, never more than a fine cell (~2.3 km) beyond their extent.
        fine = mapdata.parse_viewport({"zoom": map_cells.FINE_ZOOM}).cell_size
        boxes = {tuple(f["geometry"]["coordinates"]): f["bbox"] for f in grouped["features"]}
        for feature in kept["features"]:
            exact, given = boxes[tuple(feature["geometry"]["coordinates"])], feature["bbox"]
            assert given[0] <= exact[0] + 1e-4 and given[1] <= exact[1] + 1e-4
            assert given[2] >= exact[2] - 1e-4 and given[3] >= exact[3] - 1e-4
            assert exact[0] - given[0] <= fine + 1e-4 and given[2] - exact[2] <= fine + 1e-4


@pytest.fixture
def many(boundaries, monkeypatch):
    monkeypatch.setattr(mapdata, "MAX_POINTS", 5)
    actor, rng = make_actor(), random.Random(18)
    made = []
    for _ in range(120):
        made.append(make_incident(actor1=actor, point=Point(rng.uniform(39.3, 41.0), rng.uniform(35.0, 35.65), srid=4326),
                                  **rng.choice(TYPES),
                                  fatalities=rng.randint(0, 5)))
    return made


def test_kept_counts_give_the_same_clusters_as_grouping_the_incidents(many):
    assert_same_clusters()


def test_a_withdrawal_a_move_an_edit_and_a_deletion_show_at_once(many):
    Incident.objects.filter(pk=many[0].pk).update(status=Incident.Status.IN_REVIEW)
    Incident.objects.filter(pk=many[1].pk).update(point=Point(40.15, 35.33, srid=4326), fatalities=40)
    Incident.objects.filter(pk=many[2].pk).update(notes="reworded")
    Incident.objects.filter(pk__in=[many[3].pk, many[4].pk]).delete()
    make_incident(actor1=many[5].actor1, status=Incident.Status.DRAFT, point=Point(40.14, 35.33, srid=4326))
    assert_same_clusters()


def test_unpublished_incidents_are_never_counted(many):
    Incident.objects.update(status=Incident.Status.DRAFT)
    sums = MapCellCount.objects.values("cell_x", "cell_y", "event_type").annotate(n=Sum("incidents"))
    assert sums and all(row["n"] == 0 for row in sums)
    viewport = mapdata.parse_viewport({"bbox": VIEWS[0][0], "zoom": 10})
    found = json.loads(mapdata.incident_features(Incident.objects.published(), viewport, unfiltered=True))
    assert found["count"] == 0 and found["features"] == []


def test_compacting_and_rebuilding_keep_the_same_clusters(many):
    Incident.objects.filter(pk=many[6].pk).update(point=Point(39.5, 35.1, srid=4326))
    with connection.cursor() as cursor:
        cursor.execute("SELECT incidents_compact_counts()")
    assert_same_clusters()
    with connection.cursor() as cursor:
        cursor.execute("SELECT incidents_rebuild_counts()")
    assert_same_clusters()
