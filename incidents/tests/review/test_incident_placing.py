"""Placing an incident in the admin form (issue 13 points 3, 5, 7, 8): a chosen place fills the
point and the areas, typed coordinates in both forms save the right point, a far point warns before
saving, a new incident assumes no exact day, and sub-event types come grouped with ACLED's labels."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from incidents.models import AdminArea, Incident, Place
from incidents.tests.factories import make_actor, make_article, make_user
from incidents.tests.formdata import form_data

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:incidents_incident_add")


@pytest.fixture
def analyst(boundaries, roles):
    call_command("load_gazetteer", verbosity=0)
    client = Client()
    client.force_login(make_user(group="Analyst"))
    return client


@pytest.fixture
def dhiban():
    return Place.objects.get(name="Dhībān")


def add_form(client, **typed):
    """The add form as a browser posts it, with the When/What/Who filled and `typed` on top."""
    data = form_data(client.get(ADD_URL).content.decode(), "incident_form")
    actor = make_actor("Islamic State (Syria)")
    data.update(date="2019-03-01", time_precision="1", event_type="Battles", sub_event_type="Armed clash",
                actor1=str(actor.pk), source_text="Test report", **typed)
    return data


def saved(client, data):
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Incident.objects.get()


def test_choosing_a_place_fills_point_location_precision_and_areas(analyst, dhiban):
    incident = saved(analyst, add_form(analyst, place=str(dhiban.pk), point="", location=""))
    assert incident.point.equals_exact(dhiban.point, 1e-9)
    assert (incident.location, incident.geo_precision) == ("Dhībān", dhiban.geo_precision)
    assert (incident.admin1.name, incident.admin2.name) == ("Deir Ez-Zor", "Al Mayadin")


def test_without_place_or_point_the_error_names_the_point(analyst):
    response = analyst.post(ADD_URL, add_form(analyst, point="", location="Somewhere"))
    assert "point" in response.context["adminform"].form.errors
    assert not Incident.objects.exists()


@pytest.mark.parametrize("typed", ["35°20'N 40°08'E", "35.33333, 40.13333", "35.33333 40.13333",
                                   "35°20′00″N 40°08′00″E", "N 35°20' E 40°08'", "40.13333 E, 35.33333 N",
                                   "٣٥٫٣٣٣٣٣، ٤٠٫١٣٣٣٣", "35.33333N,40.13333E"])
def test_typed_coordinates_save_the_right_point(analyst, typed):
    incident = saved(analyst, add_form(analyst, point="", coordinates=typed, location="Deir ez-Zor city"))
    assert (round(incident.point.y, 4), round(incident.point.x, 4)) == (35.3333, 40.1333)
    assert incident.admin1.name == "Deir Ez-Zor"


# Found by an attacker session: geopy's reader took part of the text and wrapped longitudes, so decimal
# commas, a third number or a longitude of 400 were saved as another point instead of refused.
@pytest.mark.parametrize("typed", ["north of the city", "95, 40", "35.3", "35,33, 40,13", "٣٥٬٣٣، ٤٠",
                                   "35.3333, 40.1333, 5", "35, 400", "35 N, 200 W", "35 N, 40 N",
                                   "35°61'N 40°E", "35.3 N S, 40", "1e1, 40", "nan, 40", "35_3, 40"])
def test_bad_coordinates_are_an_error_on_that_field(analyst, typed):
    response = analyst.post(ADD_URL, add_form(analyst, point="", coordinates=typed, location="X"))
    assert "coordinates" in response.context["adminform"].form.errors
    assert not Incident.objects.exists()


def test_a_point_far_from_the_chosen_place_warns_before_saving(analyst, dhiban, settings):
    settings.PLACE_DISTANCE_WARNING_KM = 10
    # Deir ez-Zor city is about 40 km from Dhībān.
    data = add_form(analyst, place=str(dhiban.pk), coordinates="35.3333, 40.1333", location="Dhībān")
    response = analyst.post(ADD_URL, data)
    page = response.content.decode()
    assert response.status_code == 200 and re.search(r"The point is (3\d|4\d) km from Dhībān", page)
    assert not Incident.objects.exists()
    incident = saved(analyst, {**data, "confirm_warnings": "on"})
    assert round(incident.point.y, 4) == 35.3333
    # Within the limit: no warning.
    settings.PLACE_DISTANCE_WARNING_KM = 60
    Incident.objects.all().delete()
    saved(analyst, data)


def test_a_point_outside_the_chosen_governorate_warns(analyst):
    homs = AdminArea.objects.get(level=1, name="Homs")
    data = add_form(analyst, coordinates="35.3333, 40.1333", location="Deir ez-Zor", admin1=str(homs.pk))
    response = analyst.post(ADD_URL, data)
    assert "The point is outside Homs" in response.content.decode()
    assert not Incident.objects.exists()


def test_new_incident_from_selection_assumes_no_exact_day(analyst):
    article = make_article(text="On Friday a car bomb exploded in Hajin.", published_on="2019-03-08")
    page = analyst.get(ADD_URL, {"evidence_article": article.pk, "evidence_start": 0,
                                 "evidence_end": len(article.text)}).content.decode()
    data = form_data(page, "incident_form")
    assert data.get("date", "") == "" and data.get("time_precision", "") == ""
    assert "published on" in page and "8 Mar 2019" in page
    # Saving without choosing the precision names the field.
    response = analyst.post(ADD_URL, {**data, "time_precision": "", "date": "2019-03-08"})
    assert "time_precision" in response.context["adminform"].form.errors


def test_sub_event_types_are_grouped_by_event_type_with_acled_labels(analyst):
    page = analyst.get(ADD_URL).content.decode()
    select = page[page.index('name="sub_event_type"'):]
    select = select[:select.index("</select>")]
    assert '<optgroup label="Explosions/Remote violence">' in select
    assert ">Remote explosive/landmine/IED<" in select and "Ied<" not in select
    assert select.count("<optgroup") == 6
