"""The Content-Security-Policy in a real browser: public pages and the analysts' pages (admin with its
Leaflet widget, coding panel, queues, assisted coding) run without a single CSP violation."""

import re

import pytest
from django.test import Client

from incidents.tests.browser import BROWSER
from incidents.tests.factories import make_article, make_evidence, make_incident, make_user

pytestmark = BROWSER


def csp_violations(browser, live_server, paths, session_cookie=None):
    """{path: [console messages about the Content-Security-Policy]} for each page, tiles blocked."""
    context = browser.new_context()
    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda route: route.abort())
    if session_cookie:
        context.add_cookies([{"name": session_cookie.key, "value": session_cookie.value, "url": live_server.url}])
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    found = {}
    for path in paths:
        messages.clear()
        response = page.goto(live_server.url + path, wait_until="networkidle")
        assert response.status == 200, path
        found[path] = [text for text in messages if "Content Security Policy" in text]
    context.close()
    return found


@pytest.fixture
def coded(boundaries):
    incident = make_incident(notes="Clashes at the airbase.")
    article = make_article(text="Clashes were reported at the airbase on Monday, the observatory said.")
    make_evidence(incident, article=article, quote="Clashes were reported at the airbase")
    return incident, article


def test_public_pages_run_without_csp_violations(browser, live_server, coded):
    incident, _ = coded
    violations = csp_violations(browser, live_server, ["/", incident.get_absolute_url()])
    assert violations == {path: [] for path in violations}


def test_analyst_pages_run_without_csp_violations(browser, live_server, coded):
    incident, article = coded
    client = Client()
    client.force_login(make_user(is_superuser=True))
    paths = ["/admin/", "/admin/incidents/incident/", "/admin/incidents/incident/add/",
             f"/admin/incidents/incident/{incident.pk}/change/", f"/admin/incidents/article/{article.pk}/change/",
             "/work/mine/", "/work/review/", f"/assist/articles/{article.pk}/suggestions/",
             f"/assist/incidents/{incident.pk}/duplicates/"]
    violations = csp_violations(browser, live_server, paths, client.cookies["sessionid"])
    assert violations == {path: [] for path in violations}
