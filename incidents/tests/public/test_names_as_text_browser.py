"""Names from the data are text wherever Leaflet shows them: Leaflet inserts a string given to
bindTooltip/bindPopup/setContent as HTML, and an imported place named `<b>…<a href=…>` became a live
link in the incident form's "Chosen place" tooltip on a reviewer's page. A place and an actor named
with an <img onerror> and an <a href> show as those characters in the dashboard's popup, marker title
and town label, on the incident page's map and in the incident form's tooltip, and run nothing.
"""

import datetime

import pytest
from django.contrib.gis.geos import Point

from incidents.models import Place
from incidents.tests.browser import BROWSER, open_page
from incidents.tests.factories import make_actor, make_incident
from incidents.tests.review.test_incident_form_browser import ADD, autocomplete, logged_in, wait_for_layers

pytestmark = [*BROWSER, pytest.mark.usefixtures("fast_passwords", "boundaries", "roles")]

PLACE = 'Zzevil <img src=x onerror="window.pwned=1"><a href="https://evil.example/">place link</a>'
ACTOR = 'Zzactor <img src=x onerror="window.pwned=2"><a href="https://evil.example/">actor link</a>'
CITY = Point(40.1408, 35.3359, srid=4326)


@pytest.fixture
def named():
    place = Place.objects.create(name=PLACE, kind="town", point=CITY, geonameid=999001)  # a GeoNames town: labelled
    incident = make_incident(actor1=make_actor(ACTOR), location=PLACE, place=place, point=CITY,
                             date=datetime.date(2017, 5, 3))
    return place, incident


def assert_inert(page, selector):
    """Nothing under `selector` is an element made from a name (its <img src=x> or its link), and no
    name's script ran."""
    assert page.locator(f"{selector} img[src$='/x'], {selector} a[href*='evil.example']").count() == 0
    assert page.evaluate("window.pwned") is None


def test_the_dashboard_popup_marker_and_town_label_show_names_as_text(browser, live_server, named):
    page = open_page(browser, live_server, "/")
    marker = page.locator(".leaflet-marker-pane .incident-icon").first
    assert PLACE in marker.get_attribute("title")  # the marker's tooltip
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert PLACE in popup.inner_text() and ACTOR in popup.inner_text()
    assert_inert(page, ".leaflet-popup-content")
    assert page.locator(".map-label.place-label", has_text="Zzevil <img").count() == 1  # the gazetteer's label
    assert_inert(page, ".leaflet-container")
    assert page.errors == []


def test_the_incident_pages_map_shows_names_as_text(browser, live_server, named):
    place, incident = named
    page = open_page(browser, live_server, "/")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    marker = page.locator("#incident-map .incident-icon").first
    marker.wait_for()
    assert PLACE in marker.get_attribute("title")
    page.locator("#incident-map .map-label.place-label", has_text="Zzevil <img").wait_for(state="attached")
    assert_inert(page, "#incident-map")
    assert ACTOR in page.inner_text("main")


def test_the_incident_forms_chosen_place_tooltip_shows_the_name_as_text(browser, live_server, named):
    page = logged_in(browser, live_server, "analyst9", "Analyst", ADD)
    wait_for_layers(page)
    offered = autocomplete(page, "place", "Zzevil")
    assert any("Zzevil" in name for name in offered)
    page.locator(".select2-results__option", has_text="Zzevil").first.click()
    tooltip = page.locator("#id_point-map .leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == "Chosen place: " + PLACE
    assert_inert(page, "#id_point-map")
