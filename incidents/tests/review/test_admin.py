"""The analyst admin: map widget for the point, and pages that stay fast with many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.tests.factories import make_actor, make_incident, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_superuser=True))
    return client


def test_incident_add_page_has_the_map_widget_centred_on_deir_ez_zor(admin_client):
    page = admin_client.get(reverse("admin:incidents_incident_add")).content.decode()
    assert "leaflet" in page.lower()
    assert '<div id="id_point-map" class="leaflet-container-default">' in page  # django-leaflet's map for the point
    assert "40.14" in page and "35.33" in page


def test_incident_change_page_renders_with_its_point(admin_client):
    incident = make_incident(notes="Clashes near the airbase")
    response = admin_client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    assert response.status_code == 200
    assert "Clashes near the airbase" in response.content.decode()


def test_incident_changelist_search_finds_by_actor_name(admin_client):
    make_incident(actor1=make_actor("Islamic State (Syria)"), location="Harabsh")
    make_incident(location="Elsewhere")
    response = admin_client.get(reverse("admin:incidents_incident_changelist"), {"q": "Islamic State"})
    assert "Harabsh" in response.content.decode()
    assert "Elsewhere" not in response.content.decode()


def changelist_query_count(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:incidents_incident_changelist")).status_code == 200
    return len(queries)


def test_incident_changelist_query_count_does_not_grow_with_rows(admin_client):
    for _ in range(3):
        make_incident(actor2=make_actor())
    few = changelist_query_count(admin_client)
    for _ in range(30):
        make_incident(actor2=make_actor())
    assert changelist_query_count(admin_client) == few


@pytest.mark.parametrize("model", ["article", "actor", "place", "adminarea", "evidence", "source", "eventrule"])
def test_every_admin_changelist_and_add_page_renders(admin_client, model):
    assert admin_client.get(reverse(f"admin:incidents_{model}_changelist")).status_code == 200
    # Admin areas are added only by load_boundaries: their add page says so and goes back to the list.
    assert admin_client.get(reverse(f"admin:incidents_{model}_add")).status_code == (302 if model == "adminarea"
                                                                                      else 200)


def test_view_on_site_is_offered_only_for_incidents_the_public_can_see(admin_client):
    published, draft = make_incident(), make_incident(status="draft")
    merged = make_incident(merged_into=published)
    pages = {incident: admin_client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
             for incident in (published, draft, merged)}
    assert f'href="{published.get_absolute_url()}"' in pages[published] and "View on site" in pages[published]
    assert "View on site" not in pages[draft] and "View on site" not in pages[merged]


def test_incident_search_finds_drafts_by_actor_alias_and_by_public_id(admin_client):
    draft = make_incident(status="draft", actor1=make_actor("Islamic State (Syria)", aliases=["ISIS", "Daesh"]),
                          location="Harabsh")
    make_incident(location="Elsewhere")
    changelist = reverse("admin:incidents_incident_changelist")
    for words in ("daesh", f"dzi{draft.pk}", "harabsh isis"):
        page = admin_client.get(changelist, {"q": words}).content.decode()
        assert "Harabsh" in page and "Elsewhere" not in page, words
    assert "Harabsh" not in admin_client.get(changelist, {"q": "daesh elsewhere"}).content.decode()
