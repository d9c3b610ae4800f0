"""Cite this view in a real browser: dashboard → confirm → snapshot page; its files survive edits and merges."""

import hashlib
import re

import pytest

from incidents.coding import merge_rule
from incidents.coding.duplicates import merge
from incidents.models import Incident, Snapshot
from incidents.review import workflow
from incidents.review.locking import save_checked
from incidents.tests.browser import BROWSER, offline_page, screenshot
from incidents.tests.factories import make_user
from incidents.tests.public_data import make_public_data

pytestmark = BROWSER


@pytest.fixture
def data(boundaries, roles):
    return make_public_data()


def test_cite_a_filtered_view_and_get_the_same_bytes_after_edits_withdrawals_and_merges(browser, live_server, data):
    page = offline_page(browser, width=1366)
    page.goto(live_server.url + f"/?actor={data.isis.pk}")
    screenshot(page, "dashboard-cite-this-view")
    page.get_by_role("button", name="Cite this view").click()
    page.wait_for_url(re.compile(r"/snapshots/new/"))
    screenshot(page, "snapshot-confirm")
    dashboard_errors, page.errors[:] = list(page.errors), []  # the map's own errors are its tests' business
    assert data.isis.name in page.locator("#filter-words").inner_text()
    page.get_by_role("button", name="Create the snapshot").click()
    page.wait_for_url(re.compile(r"/snapshots/\d+/$"))
    snapshot = Snapshot.objects.get(pk=int(re.search(r"/snapshots/(\d+)/$", page.url).group(1)))
    assert snapshot.query == f"actor={data.isis.pk}" and snapshot.rows == 2  # the clash and the strike
    assert page.locator("#row-count").inner_text() == "2"
    assert page.locator("#csv-sha256").inner_text() == snapshot.csv_sha256
    assert "APA" in page.content() and "@misc{dzi_snapshot_" in page.locator("#citation-bibtex").inner_text()
    screenshot(page, "snapshot-desktop")
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot(page, "snapshot-phone")

    csv_url = live_server.url + f"/snapshots/{snapshot.pk}/incidents.csv"
    first = page.request.get(csv_url).body()
    assert hashlib.sha256(first).hexdigest() == snapshot.csv_sha256
    assert b"UNPUBLISHED" not in first and data.secret_actor.name.encode() not in first

    # Edit the clash (re-approved by a second reviewer), merge the strike into the attack, withdraw the attack.
    analyst, reviewer, reviewer2 = make_user(group="Analyst"), make_user(group="Reviewer"), make_user(group="Reviewer")
    clash = Incident.objects.get(pk=data.clash.pk)
    clash.notes, clash.fatalities = "Clash at the airbase, corrected count.", 9
    workflow.prepare_edit(clash, analyst, content_changed=True)
    save_checked(clash, clash.version)
    workflow.apply("approve", Incident.objects.get(pk=clash.pk), reviewer2)
    attack, strike = Incident.objects.get(pk=data.attack.pk), Incident.objects.get(pk=data.strike.pk)
    merge_rule.propose(attack, strike, reviewer2)  # both public: one proposes, another merges (coding.merge_rule)
    merge(attack, strike, reviewer)

    again = page.request.get(csv_url).body()
    assert again == first
    page.goto(live_server.url + f"/snapshots/{snapshot.pk}/")
    since = re.sub(r"\s+", " ", page.locator("#changes-since").inner_text())
    assert "1 have since been changed and 1 withdrawn" in since
    assert page.errors == [], page.errors  # the snapshot pages (the dashboard's errors are its own tests' business)
    # The current view, one click away.
    page.locator("#current-view").click()
    page.wait_for_url(re.compile(rf"/\?actor={data.isis.pk}$"))
    # As of the snapshot's moment, the export rebuilt from history is the cited file, byte for byte.
    page.goto(live_server.url + f"/snapshots/{snapshot.pk}/")
    page.errors[:] = []
    as_of_url = page.get_by_role("link", name="export as of this moment").get_attribute("href")
    assert page.request.get(live_server.url + as_of_url).body() == first
    assert page.errors == [], page.errors
    assert not [e for e in dashboard_errors if "Content Security Policy" in e], dashboard_errors
