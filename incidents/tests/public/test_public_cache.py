"""Cached public answers: served from the cache until public data change, and never stale after.

These tests commit (transactional_db), because the data version moves at COMMIT.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from incidents.models import Actor, Incident
from incidents.public.cache import data_version
from incidents.tests.factories import make_evidence, make_incident, make_user

pytestmark = pytest.mark.django_db(transaction=True)

MARK = "Clash-cached-at-the-airbase"


@pytest.fixture
def cached(settings, boundaries):
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(cached):
    incident = make_incident(notes=MARK, fatalities=3)
    make_evidence(incident)
    return incident


def public_urls(incident):
    return {
        "dashboard": "/",
        "detail": reverse("incident-detail", args=[incident.pk]),
        "table json": reverse("api-incidents-json"),
        "map data": reverse("api-incidents-geojson") + "?bbox=35,32,43,38&zoom=7",
        "timeline": reverse("api-timeline") + "?interval=month",
    }


def shows(client, name, url, incident):
    response = client.get(url)
    if name == "timeline":
        return response.json()["totals"]["incidents"] == 1
    if name == "table json":
        return [row["id"] for row in response.json()["results"]] == [incident.pk]
    if name == "map data":
        return [feature["id"] for feature in response.json()["features"]] == [incident.pk]
    if name == "dashboard":
        return f'data-incident-id="{incident.pk}"' in response.content.decode()
    return MARK in response.content.decode()


def test_withdrawn_incident_leaves_every_cached_public_url_at_once(client, published):
    urls = public_urls(published)
    for name, url in urls.items():
        assert shows(client, name, url, published), name
        assert shows(client, name, url, published), f"{name} (from the cache)"
    Incident.objects.filter(pk=published.pk).update(status=Incident.Status.IN_REVIEW)
    for name, url in urls.items():
        assert not shows(client, name, url, published), name


def test_renaming_an_actor_is_public_at_once(client, published):
    assert published.actor1.name in client.get("/").content.decode()
    Actor.objects.filter(pk=published.actor1_id).update(name="Renamed Brigade")
    assert "Renamed Brigade" in client.get("/").content.decode()


def test_a_repeated_request_costs_one_small_query(client, published, django_assert_max_num_queries):
    client.get("/?event_type=Battles&interval=month")
    with django_assert_max_num_queries(1):  # the data version, nothing else
        again = client.get("/?interval=month&event_type=Battles")  # same filter, other order
    assert again.status_code == 200 and f'data-incident-id="{published.pk}"' in again.content.decode()


def test_unchanged_page_answers_304_to_its_etag_and_200_after_a_change(client, published):
    first = client.get("/")
    assert first["Cache-Control"] == "public, no-cache" and first["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    make_incident(notes="another published incident")
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_version_moves_only_when_a_change_commits(published):
    before = data_version()
    Incident.objects.filter(pk=published.pk).update(notes="edited")
    assert data_version() == before + 1


def test_signed_in_staff_never_get_or_fill_the_public_cache(client, published):
    assert "Analyst admin" not in client.get("/").content.decode()
    client.force_login(make_user())
    staff_page = client.get("/")
    assert "Analyst admin" in staff_page.content.decode() and "ETag" not in staff_page
    client.logout()
    assert "Analyst admin" not in client.get("/").content.decode()


def test_analysts_work_on_unpublished_incidents_keeps_the_cache(published):
    before = data_version()
    draft = make_incident(status=Incident.Status.DRAFT, notes="draft", actor1=published.actor1)
    draft.notes = "draft, edited"
    draft.save()
    Incident.objects.filter(pk=draft.pk).update(status=Incident.Status.IN_REVIEW)
    draft.delete()
    assert data_version() == before
    make_incident(status=Incident.Status.IN_REVIEW, notes="to approve", actor1=published.actor1)
    Incident.objects.filter(notes="to approve").update(status=Incident.Status.APPROVED)
    assert data_version() == before + 1
