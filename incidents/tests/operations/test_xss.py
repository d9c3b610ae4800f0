"""Stored XSS: article text, quotes, summaries, names and notes containing <script> and onerror= stay
inert text everywhere — admin, analyst pages, public pages, map popups, JSON, CSV and GeoJSON exports."""

import csv
import io
import json

import pytest
from django.test import Client

from incidents.models import Incident, Source
from incidents.tests import urlwalk
from incidents.tests.browser import browser_test, open_page
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_user

SCRIPT = "<script>window.__xss=1</script>"
IMAGE = '<img src=x onerror="window.__xss=2">'
PAYLOAD = f"{SCRIPT}{IMAGE}"
# What an HTML page may never contain: the payload as markup rather than as escaped text.
RAW_MARKUP = ["<script>window.__xss", "<img src=x onerror"]
ESCAPED = "&lt;script&gt;window.__xss=1&lt;/script&gt;"


def make_hostile_incident(status=Incident.Status.APPROVED):
    """An incident whose every free-text field, and those of its actor, article and source, is hostile."""
    source, _ = Source.objects.get_or_create(name=f"Source {PAYLOAD}")
    text = f"Shelling hit the market. {PAYLOAD} Two people were killed ({status})."
    article = make_article(text=text, title=f"Article {PAYLOAD}", source=source, url=f"https://news.example/{status}")
    incident = make_incident(status=status, actor1=make_actor(f"Actor {status} {PAYLOAD}"), location=f"Place {PAYLOAD}",
                             notes=f"Summary {PAYLOAD}", source_text=f"Sources {PAYLOAD}",
                             source_scale=PAYLOAD[:100], tags=[PAYLOAD[:100]],
                             rejection_reason=f"Note {PAYLOAD}")
    make_evidence(incident, article=article, quote=PAYLOAD)
    incident.notes = f"Summary, edited {PAYLOAD}"
    incident.save()  # a second history version, so history diffs show the payload too
    return incident


def body(response):
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8", "replace")


def raw_markup_in(text):
    lowered = text.lower()
    return [marker for marker in RAW_MARKUP if marker in lowered]


@pytest.fixture
def hostile(boundaries):
    return make_hostile_incident(), make_hostile_incident(Incident.Status.IN_REVIEW)


def walk_html(client, incidents):
    """(url, html) of every HTML page of every route, as this client."""
    for route in urlwalk.routes():
        for url in urlwalk.concrete_urls(route, list(incidents)):
            response = client.get(url, secure=True)
            text = body(response)  # read every answer to its end: a paused download holds a transaction
            if response.get("Content-Type", "").startswith("text/html"):
                yield url, text


def test_every_admin_and_analyst_page_shows_hostile_text_escaped(hostile):
    client = Client()
    client.force_login(make_user(is_superuser=True))
    pages = dict(walk_html(client, hostile))
    assert {url: raw_markup_in(html) for url, html in pages.items() if raw_markup_in(html)} == {}
    change = pages[f"/admin/incidents/incident/{hostile[0].pk}/change/"]
    assert ESCAPED in change, "the hostile summary is expected on the change form, escaped"


def test_every_public_page_shows_hostile_text_escaped(hostile):
    pages = dict(walk_html(Client(), hostile))
    assert {url: raw_markup_in(html) for url, html in pages.items() if raw_markup_in(html)} == {}
    assert ESCAPED in pages[hostile[0].get_absolute_url()]
    assert ESCAPED in pages["/"], "the table lists the hostile incident"


def test_json_and_geojson_are_never_served_as_html(hostile):
    client = Client()
    for route in urlwalk.routes():
        if not route.template.endswith((".json", ".geojson")) or route.takes_arguments:
            continue  # a snapshot's GeoJSON needs an existing snapshot: not walked here
        response = client.get("/" + route.template, secure=True)
        assert response.status_code == 200, route.template
        assert response["Content-Type"].split(";")[0] in ("application/json", "application/geo+json"), route
        assert response["X-Content-Type-Options"] == "nosniff"
        json.loads(body(response))  # the payload is a JSON string value, not markup


def test_csv_export_is_an_attachment_and_defuses_formulas(boundaries):
    make_incident(notes='=HYPERLINK("https://evil.example","click")', location="+cmd|' /C calc'!A0")
    response = Client().get("/export/incidents.csv", secure=True)
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))
    cells = [value for row in rows for value in row.values() if value and ("HYPERLINK" in value or "cmd|" in value)]
    assert cells, "the hostile values are exported"
    assert all(cell.startswith("'") for cell in cells), cells


@browser_test
def test_map_popup_table_and_detail_page_render_hostile_text_inert_in_a_browser(browser, live_server, boundaries):
    incident = make_hostile_incident()
    page = open_page(browser, live_server)
    page.locator(".leaflet-marker-icon[title^='Armed clash']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert SCRIPT in popup.inner_text()  # shown as the text it is
    assert f"Place {SCRIPT}" in page.locator("#table-panel").inner_text()
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    page.goto(live_server.url + incident.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    assert page.errors == []
