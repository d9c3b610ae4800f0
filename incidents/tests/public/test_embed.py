"""The embed view /embed/ (issue 16 point 11): framable only by the listed origins, published only.

The response headers are checked for a listed and an unlisted setting, and a real Chromium shows
the view inside a page of a listed origin and refuses it inside a page of another origin.
"""

import re

import pytest
from django.urls import reverse

from incidents.tests.browser import CHROMIUM, browser_test, screenshot
from incidents.tests.public_data import assert_nothing_unpublished, make_public_data

PARTNER = "https://partner.example"
STRANGER = "https://stranger.example"


@pytest.fixture
def data(db, boundaries):
    return make_public_data()


def frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy).group(1).split()


def test_only_the_embed_view_may_be_framed_and_only_by_the_listed_origins(client, data, settings):
    settings.EMBED_FRAME_ANCESTORS = [PARTNER, "https://ngo.example:8443"]
    embed = client.get("/embed/", {"event_type": "Battles"})
    assert embed.status_code == 200
    assert frame_ancestors(embed) == [PARTNER, "https://ngo.example:8443"]
    assert "X-Frame-Options" not in embed  # it cannot name origins; frame-ancestors does
    for path in ("/", reverse("incident-detail", args=[data.clash.pk]), "/api/timeline.json", "/admin/login/"):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY", path
        assert frame_ancestors(response) == ["'none'"], path


def test_with_no_origin_listed_nobody_may_frame_the_embed_view(client, data, settings):
    settings.EMBED_FRAME_ANCESTORS = []
    embed = client.get("/embed/")
    assert embed.status_code == 200
    assert embed["X-Frame-Options"] == "DENY"
    assert frame_ancestors(embed) == ["'none'"]


def test_embed_view_counts_published_incidents_only_and_links_back_with_its_filter(client, data, settings):
    settings.SITE_URL = "https://incidents.example.org"
    page = client.get("/embed/", {"actor": data.isis.id}).content.decode()
    assert "<strong>2 incidents</strong>" in page  # the clash and the strike; drafts never
    assert_nothing_unpublished(page, data)
    assert f'href="https://incidents.example.org/?actor={data.isis.id}"' in page
    everything = client.get("/embed/").content.decode()
    assert "<strong>3 incidents</strong>" in everything
    assert_nothing_unpublished(everything, data)


def test_bad_filter_gets_a_400_naming_the_parameter(client, data):
    response = client.get("/embed/", {"date_from": "2016-13-45"})
    assert response.status_code == 400
    assert "<code>date_from</code>" in response.content.decode()


def test_dashboard_offers_the_embed_code_for_its_filter(client, data, settings):
    settings.SITE_URL = "https://incidents.example.org"
    settings.EMBED_FRAME_ANCESTORS = []
    # Nobody may frame it: no code that would show a refused frame, but the reason and whom to ask
    # (a newcomer session looked for the embed code and found nothing to explain its absence).
    page = client.get("/", {"actor": data.isis.id}).content.decode()
    assert "Embed this view" in page and "ask them to add yours" in page and "&lt;iframe" not in page
    assert "EMBED_FRAME_ANCESTORS" not in page  # a setting's name is for operators, not readers
    settings.EMBED_FRAME_ANCESTORS = ["https://news.example.org"]
    page = client.get("/", {"actor": data.isis.id, "page": "1"}).content.decode()
    assert "Embed this view" in page
    assert (f"&lt;iframe src=&quot;https://incidents.example.org/embed/?actor={data.isis.id}&quot;" in page
            or f'&lt;iframe src="https://incidents.example.org/embed/?actor={data.isis.id}"' in page)


@pytest.fixture(scope="module")
def partner_browser(browser):
    """Chromium as in browser.py, without its local-network-access check: that check stops any page
    the test serves under a public name from framing the live server on localhost, whatever the
    CSP says, and the CSP's frame-ancestors is what is tested here."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                        "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessForNavigations"])
    yield chromium
    chromium.close()


def partner_page(browser, live_server, origin):
    """A page of `origin` (served by the browser itself: nothing leaves the machine) that frames the embed view."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)(?!" + re.escape(origin[8:]) + ")"),
                  lambda route: route.abort())
    html = (f'<!doctype html><title>Partner</title><h1>Our story</h1>'
            f'<iframe src="{live_server.url}/embed/?event_type=Battles" width="900" height="650"></iframe>')
    context.route(f"{origin}/story", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page = context.new_page()
    page.console = []
    page.on("console", lambda message: page.console.append(message.text))
    page.goto(f"{origin}/story")
    return page


def embedded_map_count(page):
    frame = page.wait_for_selector("iframe").content_frame()
    try:
        frame.wait_for_selector("#map[data-loading=false][data-count]", state="attached", timeout=8_000)
    except Exception:  # noqa: BLE001 (a blocked frame has no map: that is what is measured)
        return None
    return frame.locator("#map").get_attribute("data-count")


@browser_test
def test_embed_view_shows_inside_a_listed_origin_only(partner_browser, live_server, data, settings):
    settings.EMBED_FRAME_ANCESTORS = [PARTNER]
    listed = partner_page(partner_browser, live_server, PARTNER)
    assert embedded_map_count(listed) == "1"  # the one published battle
    screenshot(listed, "embed-in-partner-page")
    listed.context.close()
    unlisted = partner_page(partner_browser, live_server, STRANGER)
    assert embedded_map_count(unlisted) is None  # Chromium refused to show it, for the CSP:
    assert any("frame-ancestors" in line and PARTNER in line for line in unlisted.console), unlisted.console
    unlisted.context.close()
