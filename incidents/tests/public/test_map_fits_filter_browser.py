"""When the filters change the map moves to their incidents (a fresh test session chose an actor, a
district and a year: "1 incident in view" on a laptop, 0 on a phone, while the table listed 10).
The embed view of such a filter opens on them too. Panning is left alone: the map data asks for
the filter's extent only when the filter changes.

Data: the public data near Deir ez-Zor city (the default view) and ten incidents of one actor in
Al Malika district, far to the north-east in Al-Hasakeh governorate, in 2017.
"""

import datetime

import pytest
from django.contrib.gis.db.models.functions import PointOnSurface

from incidents.models import AdminArea
from incidents.tests.browser import BROWSER, open_page, wait_for_map
from incidents.tests.factories import make_actor, make_incident
from incidents.tests.public_data import make_public_data

pytestmark = [*BROWSER, pytest.mark.usefixtures("boundaries")]


@pytest.fixture
def far_district():
    make_public_data()
    district = AdminArea.objects.annotate(inside=PointOnSurface("geom")).get(level=2, name="Al Malika")
    actor = make_actor("Asayish")
    for n in range(10):
        point = district.inside.clone()
        point.x += (n - 5) * 0.01
        make_incident(actor1=actor, date=datetime.date(2017, 3, n + 1), point=point, location="Al Malika",
                      admin1=district.parent, admin2=district)
    make_incident(actor1=actor, date=datetime.date(2016, 3, 1), point=district.inside, admin1=district.parent,
                  admin2=district)  # the year before: filtered out
    return district, actor


def in_view(page):
    """The number the map's status line gives for the incidents in view."""
    text = page.locator("#map-status").inner_text()
    return int(text.split(" incident")[0].replace(",", ""))


@pytest.mark.parametrize("width, height, phone", [(1366, 900, False), (390, 844, True)])
def test_choosing_a_far_district_brings_its_incidents_into_view(browser, live_server, far_district,
                                                               width, height, phone):
    district, actor = far_district
    page = open_page(browser, live_server, "/", width=width, height=height, phone=phone)
    if phone:
        page.locator("#filter-details > summary").click()
    page.fill("#actor-search", "Asay")
    page.locator("#actor-options [role=option]", has_text="Asayish").click()
    page.wait_for_url(lambda url: "actor=" in url)
    page.check(f"input[name=governorate][value='{district.parent_id}']")
    page.check(f"input[name=district][value='{district.pk}']")
    page.fill("#id_date_from", "2017-01-01")
    page.fill("#id_date_to", "2017-12-31")
    page.wait_for_url(lambda url: "date_to=2017-12-31" in url and "district=" in url)
    page.wait_for_selector("#timeline[data-total='10']", state="attached")
    wait_for_map(page, count=10)
    assert in_view(page) == 10 == page.locator("#table-panel tbody tr").count()
    # Panning afterwards is the reader's choice: the map stays where the reader put it.
    before = page.evaluate("location.hash")
    page.locator("#map").hover()
    page.mouse.down()
    page.mouse.move(page.locator("#map").bounding_box()["x"] + 20, page.locator("#map").bounding_box()["y"] + 20, steps=4)
    page.mouse.up()
    page.wait_for_function("before => location.hash !== before", arg=before)
    wait_for_map(page)
    after = page.evaluate("location.hash")
    page.wait_for_timeout(400)
    assert page.evaluate("location.hash") == after
    assert page.errors == []


def test_the_embed_of_a_far_district_opens_on_its_incidents(browser, live_server, far_district):
    district, actor = far_district
    page = open_page(browser, live_server, f"/embed/?district={district.pk}&date_from=2017-01-01&date_to=2017-12-31",
                     width=600, height=500)
    wait_for_map(page, count=10)
    assert in_view(page) == 10
    assert page.errors == []


@pytest.mark.parametrize("width, height, phone", [(1366, 900, False), (390, 844, True)])
def test_a_shared_link_of_a_far_district_opens_on_its_incidents(browser, live_server, far_district,
                                                                width, height, phone):
    # Found by a newcomer: /?q=Hajin opened on "0 incidents in view" over a table of 147.
    district, _ = far_district
    page = open_page(browser, live_server, f"/?district={district.pk}&date_from=2017-01-01&date_to=2017-12-31",
                     width=width, height=height, phone=phone)
    wait_for_map(page, count=10)
    assert in_view(page) == 10 == page.locator("#table-panel tbody tr").count()
    assert page.errors == []


def test_a_shared_link_with_a_view_keeps_that_view(browser, live_server, far_district):
    district, _ = far_district
    # Deir ez-Zor city at zoom 10: the link names its view, so the map stays there (none of the ten in it).
    page = open_page(browser, live_server,
                     f"/?district={district.pk}&date_from=2017-01-01&date_to=2017-12-31#map=10/35.3300/40.1400")
    wait_for_map(page)
    page.wait_for_timeout(400)
    assert in_view(page) == 0
    assert page.evaluate("location.hash").startswith("#map=10/35.33")
    assert page.errors == []
