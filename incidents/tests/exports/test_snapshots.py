"""Citable snapshots: cite a filtered view, then edit, withdraw and merge its incidents; the files stay identical."""

import csv
import datetime
import hashlib
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.coding import merge_rule
from incidents.coding.duplicates import merge
from incidents.exports import snapshots
from incidents.exports.as_of import iso_utc
from incidents.models import Incident, Snapshot, SnapshotFile
from incidents.review import workflow
from incidents.tests.factories import (
    edit_incident, make_actor, make_article, make_evidence, make_incident, make_user,
)

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def cite(client, query, **extra):
    """What the dashboard's "Cite this view" does: the confirm page's form, posted."""
    page = client.get(reverse("snapshot-new"), {"query": query})
    assert page.status_code == 200, page.content
    return client.post(reverse("snapshot-create"), {"query": re.search(
        rb'name="query" value="([^"]*)"', page.content).group(1).decode().replace("&amp;", "&")}, **extra)


def snapshot_of(response):
    assert response.status_code == 303, response.content
    found = re.fullmatch(r"/snapshots/(\d+)/", response["Location"])
    assert found, response["Location"]
    return Snapshot.objects.get(pk=int(found.group(1)))


def approve(incident, reviewer):
    """Approve as a reviewer who compared the factory's look-alike incidents (same day, place and actor)
    and confirmed each a different event (coding.duplicate_guard)."""
    others = set(Incident.objects.exclude(pk=incident.pk).values_list("pk", flat=True))
    return workflow.apply("approve", incident, reviewer, not_duplicate_of=others)


def published(actor, reviewer, **fields):
    """An incident approved through the workflow (so it has the history a real one has)."""
    incident = make_incident(status=Incident.Status.IN_REVIEW, actor1=actor, **fields)
    make_evidence(incident, make_article())
    return approve(incident, reviewer)


@pytest.fixture
def people(roles):
    return {"analyst": make_user(group="Analyst"), "reviewer": make_user(group="Reviewer"),
            "reviewer2": make_user(group="Reviewer")}


def test_a_cited_view_keeps_its_bytes_after_edits_withdrawals_and_merges(client, people, settings):
    isis, army = make_actor("Islamic State (Syria)"), make_actor("Military Forces of Syria", category=1)
    edited = published(isis, people["reviewer"], notes="Clash at the airbase.", fatalities=4)
    withdrawn = published(isis, people["reviewer"], notes="Shelling of the town.")
    kept = published(isis, people["reviewer"], date=datetime.date(2016, 2, 1), notes="Attack, first report.")
    merged_away = published(isis, people["reviewer"], date=datetime.date(2016, 2, 2), notes="Attack, second report.")
    published(army, people["reviewer"], notes="Not in the cited view (other actor).")

    snapshot = snapshot_of(cite(client, f"actor={isis.pk}&page=3&order=oldest"))
    assert snapshot.query == f"actor={isis.pk}"  # the filter only: no page, no order
    assert snapshot.rows == 4 and snapshot.filter_words.endswith(": Islamic State (Syria)")  # as named then
    first_csv = body(client.get(reverse("snapshot-csv", args=[snapshot.pk])))
    first_geojson = body(client.get(reverse("snapshot-geojson", args=[snapshot.pk])))
    assert hashlib.sha256(first_csv).hexdigest() == snapshot.csv_sha256
    assert hashlib.sha256(first_geojson).hexdigest() == snapshot.geojson_sha256
    assert len(list(csv.DictReader(io.StringIO(first_csv.decode())))) == 4
    assert len(json.loads(first_geojson)["features"]) == 4
    # The view as of the snapshot's moment, rebuilt from history, is the same file.
    as_of = {"actor": isis.pk, "as_of": iso_utc(snapshot.created_at)}
    assert body(client.get(reverse("export-incidents-csv"), as_of)) == first_csv

    # Edit one (re-approved by another reviewer), withdraw one, merge two; rename the actor.
    edit_incident(edited, people["analyst"], notes="Clash at the airbase, corrected.", fatalities=6)
    approve(Incident.objects.get(pk=edited.pk), people["reviewer2"])
    edit_incident(withdrawn, people["analyst"], notes="Shelling, being re-checked.")
    merge_rule.propose(kept, merged_away, people["reviewer2"])  # public: proposed, confirmed by another
    merge(kept, merged_away, people["reviewer"])
    approve(Incident.objects.get(pk=kept.pk), people["reviewer2"])
    isis.name = "IS (renamed)"
    isis.save()
    settings.SITE_URL = "https://moved.example"  # the site moves: today's export writes other URLs

    live = body(client.get(reverse("export-incidents-csv"), {"actor": isis.pk}))
    assert live != first_csv and b"corrected" in live and b"moved.example" in live
    again_csv = body(client.get(reverse("snapshot-csv", args=[snapshot.pk])))
    again_geojson = body(client.get(reverse("snapshot-geojson", args=[snapshot.pk])))
    assert again_csv == first_csv and hashlib.sha256(again_csv).hexdigest() == snapshot.csv_sha256
    assert again_geojson == first_geojson

    page = client.get(reverse("snapshot-detail", args=[snapshot.pk]))
    text = page.content.decode()
    assert snapshot.csv_sha256 in text and "https://moved.example/snapshots/" in text
    # edited and kept were changed; withdrawn (back in review) and merged_away are withdrawn.
    assert snapshots.changes_since(snapshot) == {"withdrawn": 2, "changed": 2, "unchanged": 0}
    assert "2 have since been changed and 2 withdrawn" in re.sub(r"\s+", " ", text)
    assert f'href="/?actor={isis.pk}"' in text
    assert "@misc{dzi_snapshot_" in text and "[Data set]" in text


def test_post_answers_303_to_the_snapshot_page_and_needs_a_csrf_token(people):
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post(reverse("snapshot-create"), {"query": ""})
    assert refused.status_code == 403 and not Snapshot.objects.exists()
    page = browser.get(reverse("snapshot-new"))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    response = browser.post(reverse("snapshot-create"), {"query": "", "csrfmiddlewaretoken": token})
    snapshot = snapshot_of(response)
    assert browser.get(response["Location"]).status_code == 200
    assert snapshot.rows == 0 and snapshot.filter_words == ""


def test_a_bad_filter_is_a_400_page_naming_it_and_writes_nothing(client):
    # A page the reader opens from the dashboard: an HTML page naming the parameter, not a feed's JSON.
    response = client.post(reverse("snapshot-create"), {"query": "date_from=2016-13-45&min_fatalities=x"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "<code>date_from</code>" in page and "<code>min_fatalities</code>" in page
    assert 'id="snapshot-form"' not in page
    assert not Snapshot.objects.exists() and not SnapshotFile.objects.exists()
    response = client.get(reverse("snapshot-new"), {"query": "actor=999999"})
    assert response.status_code == 400 and "<code>actor</code>" in response.content.decode()


@pytest.mark.parametrize("name", ["dashboard", "export-incidents-csv", "api-incidents-json", "snapshot-new"])
def test_search_words_are_capped_everywhere_the_filter_is_read(client, name):
    from incidents.public.filters import SEARCH_MAX_CHARACTERS

    words = "دير الزور " * (SEARCH_MAX_CHARACTERS // 10 + 1)
    query = {"query": f"q={words}"} if name == "snapshot-new" else {"q": words}
    response = client.get(reverse(name), query)
    assert response.status_code == 400 and b"q" in response.content
    assert client.get(reverse(name), {"query": "q=deir"} if name == "snapshot-new" else {"q": "deir"}).status_code == 200


def test_a_cited_view_stores_no_more_than_a_link_could_hold(client):
    huge = "&".join(["event_type=Battles"] * 400)  # valid, repeated: only a POST body can carry this much
    response = client.post(reverse("snapshot-create"), {"query": huge})
    assert response.status_code == 400 and "<code>query</code>" in response.content.decode()
    assert not Snapshot.objects.exists() and not SnapshotFile.objects.exists()
    snapshot_of(client.post(reverse("snapshot-create"), {"query": "&".join(["event_type=Battles"] * 20)}))


def test_snapshots_are_throttled_per_client(client):
    for _ in range(snapshots.SNAPSHOTS_PER_HOUR):
        snapshot_of(client.post(reverse("snapshot-create"), {"query": ""}))
    refused = client.post(reverse("snapshot-create"), {"query": ""})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert b"try again in" in refused.content
    assert Snapshot.objects.count() == snapshots.SNAPSHOTS_PER_HOUR
    # Another address is another client; the client is stored only as a keyed hash.
    snapshot = snapshot_of(client.post(reverse("snapshot-create"), {"query": ""}, REMOTE_ADDR="203.0.113.9"))
    assert "203.0.113.9" not in snapshot.client and len(snapshot.client) == 32
    # An hour later the first client may cite again.
    Snapshot.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1, seconds=1))
    snapshot_of(client.post(reverse("snapshot-create"), {"query": ""}))


def test_identical_files_are_stored_once(client):
    make_incident()
    first = snapshot_of(client.post(reverse("snapshot-create"), {"query": ""}))
    second = snapshot_of(client.post(reverse("snapshot-create"), {"query": ""}))
    assert first.pk != second.pk and first.csv_file_id == second.csv_file_id
    assert SnapshotFile.objects.count() == 2  # one CSV, one GeoJSON


def test_a_damaged_stored_file_is_never_served_whole(client):
    make_incident(notes="x" * 5000)
    snapshot = snapshot_of(client.post(reverse("snapshot-create"), {"query": ""}))
    SnapshotFile.objects.filter(pk=snapshot.csv_file_id).update(sha256="0" * 64)
    response = client.get(reverse("snapshot-csv", args=[snapshot.pk]))
    with pytest.raises(snapshots.SnapshotCorrupted):
        body(response)


def test_missing_snapshots_are_404(client):
    for name in ("snapshot-detail", "snapshot-csv", "snapshot-geojson"):
        assert client.get(reverse(name, args=[987654])).status_code == 404


def test_citations_escape_names_for_bibtex(client):
    actor = make_actor("Al-Ahrar & Co {50%}_#1")
    make_incident(actor1=actor)
    snapshot = snapshot_of(client.post(reverse("snapshot-create"), {"query": f"actor={actor.pk}"}))
    entry = snapshots.bibtex(snapshot)
    assert r"Al-Ahrar \& Co \{50\%\}\_\#1" in entry
    assert entry.count("{") - entry.count(r"\{") == entry.count("}") - entry.count(r"\}")
    assert snapshots.apa(snapshot).startswith("Deir ez-Zor Incidents. (")


def test_a_citation_reads_the_same_from_the_arabic_pages_with_a_short_search_label(client):
    """Found by a newcomer: the title carried the search box's whole label, in the page's language."""
    from django.http import QueryDict
    from django.utils import translation

    make_incident(notes="داعش attacked")
    english = snapshot_of(cite(client, "q=داعش&event_type=Battles"))
    with translation.override("ar"):  # as a request from an Arabic page runs
        arabic = snapshots.create_snapshot(QueryDict("q=داعش&event_type=Battles"))
    assert english.filter_words == arabic.filter_words == "Search: داعش; Event types: Battles"
    # The Arabic page shows the filter in Arabic beside the citation, which stays as stored.
    page = client.get(f"/ar/snapshots/{english.pk}/").content.decode()
    words = re.search(r'id="filter-words">([^<]*)<', page).group(1)
    assert "Search" not in words and "داعش" in words, words
    assert "Search: داعش; Event types: Battles" in page  # in the citation
    assert 'id="citation-apa" lang="en" dir="ltr"' in page
