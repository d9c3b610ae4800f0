"""The dashboard in a real browser (Debian's Chromium through Playwright), against a live server.

Map tiles are blocked, as on a machine without internet: the page must still work.
Screenshots go to test-artifacts/ (not committed) so a person can look at them.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point

from incidents.models import AdminArea, Place
from incidents.tests.browser import BROWSER, open_page, screenshot, wait_for_map
from incidents.tests.public_data import make_public_data

pytestmark = BROWSER


@pytest.fixture
def data(boundaries):
    data = make_public_data()
    Place.objects.create(name="Deir ez-Zor", kind="city", geonameid=170794, point=Point(40.1408, 35.3359, srid=4326))
    return data


def incidents_on_map(page):
    """Single markers plus the number written on each cluster: every incident once."""
    singles = page.locator(".leaflet-marker-pane .incident-icon").count()
    clusters = page.locator(".leaflet-marker-pane .marker-cluster span").all_inner_texts()
    return singles + sum(int(text) for text in clusters)


def table_ids(page):
    return {int(pk) for pk in page.locator("#table-panel tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.incidentId)")}


def pick_actor(page, typed, name):
    """Choose an actor with the picker: type part of a name or alias, click the offered name."""
    page.fill("#actor-search", typed)
    page.locator("#actor-options [role=option]", has_text=name).click()


def query(page):
    return parse_qs(urlsplit(page.url).query)


def test_map_shows_one_marker_or_cluster_per_incident(browser, live_server, data):
    page = open_page(browser, live_server)
    assert incidents_on_map(page) == 3
    assert page.locator("#map").get_attribute("data-count") == "3"
    assert page.locator("#map").get_attribute("data-mode") == "points"
    # Approximate places are drawn as areas: a circle (near a town) and the governorate (known to it only).
    assert page.locator(".leaflet-uncertainty-pane path").count() == 2
    screenshot(page, "dashboard-desktop")
    assert page.errors == []


def map_data_question(browser, live_server, width):
    """The bbox and zoom the page asks the map data endpoint for, on a screen `width` pixels wide."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda route: route.abort())
    page = context.new_page()
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/api/incidents.geojson" in request.url else None)
    page.goto(live_server.url + "/")
    wait_for_map(page)
    context.close()
    question = parse_qs(urlsplit(asked[-1]).query)
    return question["bbox"][0], int(question["zoom"][0])


def test_map_asks_for_whole_tiles_so_similar_screens_share_one_cached_answer(browser, live_server, data):
    bbox, zoom = map_data_question(browser, live_server, 1400)
    assert map_data_question(browser, live_server, 1370) == (bbox, zoom)
    tile = 360 / 2 ** zoom
    assert all(abs(float(edge) / tile - round(float(edge) / tile)) < 1e-3 for edge in bbox.split(","))


def test_default_view_is_centred_on_deir_ez_zor_with_outlines_without_tiles(browser, live_server, data):
    page = open_page(browser, live_server)
    box = page.locator("#map").bounding_box()
    label = page.locator(".place-label", has_text="Deir ez-Zor").bounding_box()
    assert abs(label["x"] - (box["x"] + box["width"] / 2)) < box["width"] * 0.1
    assert abs(label["y"] - (box["y"] + box["height"] / 2)) < box["height"] * 0.1
    assert page.locator(".leaflet-outlines-pane path").count() > 10  # governorates and districts
    assert "tiles could not be loaded" in page.locator("#map-status").inner_text()


def test_choosing_an_actor_changes_map_timeline_table_and_url(browser, live_server, data):
    page = open_page(browser, live_server)
    assert page.locator("#timeline").get_attribute("data-total") == "3"
    pick_actor(page, "Democratic", data.sdf.name)
    page.wait_for_url(re.compile(rf"actor={data.sdf.id}"))
    wait_for_map(page, count=2)
    page.wait_for_selector("#timeline[data-total='2']")
    assert table_ids(page) == {data.strike.id, data.attack.id}
    assert incidents_on_map(page) == 2
    assert query(page) == {"actor": [str(data.sdf.id)]}
    assert page.errors == []  # including no Content-Security-Policy violation by the swapped-in HTML


def test_loading_a_filtered_url_restores_the_same_view(browser, live_server, data):
    page = open_page(browser, live_server, f"/?actor={data.sdf.id}&geo_precision=3")
    wait_for_map(page, count=1)
    assert page.locator(f"input[name=actor][value='{data.sdf.id}']").is_checked()
    assert page.locator("input[name=geo_precision][value='3']").is_checked()
    assert table_ids(page) == {data.attack.id}
    assert page.locator("#timeline").get_attribute("data-total") == "1"


def test_back_button_returns_to_the_previous_filter(browser, live_server, data):
    page = open_page(browser, live_server)
    pick_actor(page, "Syrian army", data.army.name)
    wait_for_map(page, count=1)
    page.wait_for_selector("#timeline[data-total='1']")
    page.go_back()
    wait_for_map(page, count=3)
    page.wait_for_selector("#timeline[data-total='3']")
    assert page.locator("input[name=actor]:checked").count() == 0
    assert table_ids(page) == {data.clash.id, data.strike.id, data.attack.id}


def test_popup_shows_date_precision_fatalities_and_the_source_article_title(browser, live_server, data):
    page = open_page(browser, live_server)
    page.locator(".leaflet-marker-icon[title^='Armed clash']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Clashes at Deir ez-Zor airbase" in text
    assert "18 Jan 2016" in text and "7 (5–10)" in text
    assert popup.locator("a", has_text="Clashes at Deir ez-Zor airbase").get_attribute("href") == \
        "https://news.example/clash"
    screenshot(page, "dashboard-popup")


def test_dragging_across_the_timeline_narrows_the_dates(browser, live_server, data):
    page = open_page(browser, live_server, "/?interval=month")
    bars = page.locator("#timeline svg.bars").first
    box = bars.bounding_box()
    slots = int(bars.get_attribute("data-slots"))
    first, third = (box["x"] + (i + 0.5) * box["width"] / slots for i in (0, 2))  # Jan to Mar 2016
    y = box["y"] + box["height"] / 2
    page.mouse.move(first, y)
    page.mouse.down()
    page.mouse.move((first + third) / 2, y, steps=3)
    page.mouse.move(third, y, steps=3)
    page.mouse.up()
    page.wait_for_url(re.compile(r"date_to="))
    assert query(page)["date_from"] == ["2016-01-01"] and query(page)["date_to"] == ["2016-03-31"]
    wait_for_map(page, count=2)
    page.wait_for_selector("#timeline[data-total='2']")
    assert table_ids(page) == {data.clash.id, data.strike.id}
    assert page.locator("#id_date_from").input_value() == "2016-01-01"


def test_phone_layout_fits_the_screen(browser, live_server, data):
    page = open_page(browser, live_server, width=390, height=844, phone=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.locator("#filter-details").evaluate("details => details.open")  # folded away on a phone
    screenshot(page, "dashboard-phone")


def test_incident_page_map_and_evidence(browser, live_server, data):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda route: route.abort())
    page.goto(live_server.url + data.attack.get_absolute_url())
    page.wait_for_selector("#incident-map .leaflet-uncertainty-pane path")  # the governorate, shaded
    assert "within a month" in page.inner_text("main")
    screenshot(page, "incident-detail")
    page.close()


def test_choosing_a_governorate_offers_only_its_districts(browser, live_server, data):
    page = open_page(browser, live_server)
    deir_ez_zor = AdminArea.objects.get(pcode="SYR009")
    page.check(f"input[name=governorate][value='{deir_ez_zor.pk}']")
    offered = page.locator("#id_district > div:not([hidden]) input").evaluate_all(
        "boxes => boxes.map(box => box.value)")
    assert set(offered) == {str(pk) for pk in AdminArea.objects.filter(parent=deir_ez_zor).values_list("pk", flat=True)}
    assert len(offered) >= 3
    page.uncheck(f"input[name=governorate][value='{deir_ez_zor.pk}']")
    assert page.locator("#id_district > div:not([hidden]) input").count() == AdminArea.objects.filter(level=2).count()


def test_choosing_an_event_type_offers_only_its_sub_event_types(browser, live_server, data):
    page = open_page(browser, live_server, "/?sub_event_type=Attack")
    page.check("input[name=event_type][value='Battles']")
    offered = page.locator("#id_sub_event_type > div:not([hidden]) > label").all_inner_texts()
    assert offered == ["Battles"]
    assert not page.locator("input[name=sub_event_type][value='Attack']").is_checked()  # "Attack" is not a battle
