"""Governorate and district come from the incident's point, by point-in-polygon."""

import pytest
from django.contrib.gis.geos import Point

from incidents.models import AdminArea, Incident
from incidents.tests.factories import AIRBASE, PALMYRA, make_incident

pytestmark = pytest.mark.django_db


def test_deir_ez_zor_governorate_contains_the_airbase():
    governorate = AdminArea.objects.get(pcode="SYR009")
    assert governorate.level == AdminArea.Level.GOVERNORATE
    assert governorate.geom.contains(AIRBASE)
    assert "Deir ez Zor" in governorate.aliases  # ACLED's spelling


def test_boundaries_hold_every_governorate_and_deir_ez_zor_districts():
    assert AdminArea.objects.filter(level=1).count() == 14
    districts = set(AdminArea.objects.filter(parent__pcode="SYR009").values_list("name", flat=True))
    assert districts == {"Dayr Az Zor", "Abu Kamal", "Al Mayadin"}


def test_new_incident_gets_governorate_and_district_from_its_point():
    incident = make_incident(point=AIRBASE)
    assert incident.admin1.pcode == "SYR009"
    assert incident.admin2.pcode == "SYR009001"


def test_moving_the_point_moves_the_areas():
    incident = Incident.objects.get(pk=make_incident(point=AIRBASE).pk)
    incident.point = PALMYRA
    incident.save()
    incident.refresh_from_db()
    assert (incident.admin1.name, incident.admin2.name) == ("Homs", "Tadmor")


def test_analyst_choice_of_district_is_kept_when_point_does_not_move():
    incident = Incident.objects.get(pk=make_incident(point=AIRBASE).pk)
    al_mayadin = AdminArea.objects.get(pcode="SYR009003")
    incident.admin2 = al_mayadin
    incident.save()
    incident.refresh_from_db()
    assert incident.admin2 == al_mayadin


def test_point_outside_syria_leaves_areas_empty():
    incident = make_incident(point=Point(2.35, 48.85, srid=4326))
    assert incident.admin1 is None and incident.admin2 is None
