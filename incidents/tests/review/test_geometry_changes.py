"""A proposed outline or point change is measured on its page: areas before and after, the area that
changes sides, the places that move into or out of the area, and a point's move in km."""

import re

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.urls import reverse

from incidents.models import AdminArea, Place
from incidents.review import proposals
from incidents.tests.factories import make_user

pytestmark = [pytest.mark.django_db]


def square(east_edge):
    return MultiPolygon(Polygon(((40.0, 35.0), (east_edge, 35.0), (east_edge, 35.1), (40.0, 35.1), (40.0, 35.0))),
                        srid=4326)


def proposal_page(client, record, name, value):
    field = type(record)._meta.get_field(name)
    stored = getattr(record, name)
    setattr(record, name, value)
    after = proposals.serialize(field, record)
    setattr(record, name, stored)
    proposal = proposals.propose(record, {name: after}, make_user(group="Administrator"))
    client.force_login(make_user(group="Administrator"))
    page = client.get(reverse("admin:incidents_proposedchange_change", args=[proposal.pk])).content.decode()
    return re.sub(r"\s+", " ", page)


def test_a_moved_vertex_is_measured(client, roles):
    area = AdminArea.objects.create(level=2, name="Zqx district", geom=square(40.1))
    Place.objects.create(name="Inside after", point=Point(40.13, 35.08, srid=4326))  # east of 40.1: outside before
    Place.objects.create(name="Far away", point=Point(41.5, 35.05, srid=4326))
    # One vertex moved east: (40.1, 35.1) → (40.2, 35.1); the outline gains a triangle.
    moved = MultiPolygon(Polygon(((40.0, 35.0), (40.1, 35.0), (40.2, 35.1), (40.0, 35.1), (40.0, 35.0))), srid=4326)
    page = proposal_page(client, area, "geom", moved)
    # 0.1° × 0.1° at 35° N is about 9.1 km × 11.1 km; the triangle adds half of that.
    found = re.search(r"Area ([0-9.]+) km² → ([0-9.]+) km²; ([0-9.]+) km² change sides", page)
    assert found, page
    before, after, changed = map(float, found.groups())
    assert 95 < before < 110 and 145 < after < 160 and abs(changed - (after - before)) < 0.5
    assert "1 place moves into or out of it." in page
    assert "an outline of 5 points" in page  # the description alone: the same on both sides


def test_a_moved_point_is_measured_in_km(client, roles):
    place = Place.objects.create(name="Zqx town", point=Point(40.0, 35.0, srid=4326))
    page = proposal_page(client, place, "point", Point(40.0, 35.1, srid=4326))
    assert "Moved 11.09 km." in page
