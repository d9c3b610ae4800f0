"""Four-eyes for the records published incidents show (issue 13 point 11): an analyst alone cannot
change an actor's name or aliases, an article's title or link, an outlet's name, a place or an admin
area that the public sees; a reviewer can, and the change is kept in the record's history."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.urls import reverse

from incidents.models import Actor, AdminArea, Article, Place, Source
from incidents.tests.factories import AIRBASE, make_actor, make_article, make_evidence, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db]
PHISH = "https://evil.example/phish"


def square():
    return MultiPolygon(Polygon.from_bbox((40.0, 35.0, 40.5, 35.5)), srid=4326)


@pytest.fixture
def world(roles):
    """A published incident citing an actor, an article from an outlet, a place and admin areas."""
    governorate = AdminArea.objects.create(level=1, name="Test governorate", pcode="TST01", geom=square())
    district = AdminArea.objects.create(level=2, name="Test district", pcode="TST0101", parent=governorate,
                                        geom=square())
    place = Place.objects.create(name="Test town", point=AIRBASE, admin1=governorate, admin2=district)
    actor = make_actor("Islamic State (Syria)", aliases=["ISIS"])
    article = make_article(url="https://news.example/report", title="Clashes near the airbase")
    incident = make_incident(actor1=actor, place=place, admin1=governorate, admin2=district,
                             location="Test town")
    make_evidence(incident, article=article)
    return {"incident": incident, "actor": actor, "article": article, "source": article.source,
            "place": place, "admin1": governorate}


# record key, model, the change an analyst might try (field -> value), where the public would read it
CASES = [
    ("actor", Actor, {"name": "ZQXRENAMED Islamic State"}, "name"),
    ("actor", Actor, {"aliases": "ZQXALIAS"}, "aliases"),
    ("article", Article, {"title": "ZQXRENAMED title"}, "title"),
    ("article", Article, {"url": PHISH}, "url"),
    ("source", Source, {"name": "ZQXRENAMED outlet"}, "name"),
    ("place", Place, {"name": "ZQXRENAMED town"}, "name"),
    ("admin1", AdminArea, {"name": "ZQXRENAMED governorate"}, "name"),
]


def change_url(record):
    return reverse(f"admin:incidents_{type(record)._meta.model_name}_change", args=[record.pk])


def public_text(client, world):
    csv = b"".join(client.get(reverse("export-incidents-csv")).streaming_content).decode()
    return client.get(reverse("incident-detail", args=[world["incident"].pk])).content.decode() + csv


def second_person(model):
    """Who may change the record: reviewers; places and outlines only Administrators (migration 0003)."""
    return make_user(group="Administrator" if model in (Place, AdminArea) else "Reviewer")


def post_as(client, user, record, change, data):
    client.force_login(user)
    return client.post(change_url(record), {**data, **change})


@pytest.mark.parametrize("key,model,change,field", CASES)
def test_an_analyst_alone_cannot_change_what_the_public_sees(client, world, key, model, change, field):
    record, analyst, reviewer = world[key], make_user(group="Analyst"), second_person(model)
    client.force_login(reviewer)
    data = form_data(client.get(change_url(record)).content.decode(), f"{model._meta.model_name}_form")
    before = getattr(model.objects.get(pk=record.pk), field)

    client.force_login(analyst)
    page = client.get(change_url(record)).content.decode()
    if model not in (Place, AdminArea):  # analysts may not even view-edit those: no message needed
        assert "Only reviewers may change this" in page
    assert f'name="{field}"' not in page  # shown read-only: nothing to type into
    response = post_as(client, analyst, record, change, data)
    # Refused outright, or (an article, whose page stays open for its evidence) the field is ignored.
    assert response.status_code == (302 if model is Article else 403)
    assert getattr(model.objects.get(pk=record.pk), field) == before
    client.logout()
    assert "ZQXRENAMED" not in public_text(client, world) and PHISH not in public_text(client, world)
    assert world["incident"].__class__.objects.published().filter(pk=world["incident"].pk).exists()

    # A reviewer may, and the record's history says who.
    response = post_as(client, reviewer, record, change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert getattr(model.objects.get(pk=record.pk), field) != before
    assert record.history.latest().history_user == reviewer


@pytest.mark.parametrize("key,model", [("actor", Actor), ("article", Article), ("source", Source),
                                       ("place", Place), ("admin1", AdminArea)])
def test_an_analyst_alone_cannot_delete_what_the_public_sees(client, world, key, model):
    client.force_login(make_user(group="Analyst"))
    record = world[key]
    url = reverse(f"admin:incidents_{model._meta.model_name}_delete", args=[record.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()
    changelist = client.get(reverse(f"admin:incidents_{model._meta.model_name}_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_an_analyst_may_change_records_no_published_incident_shows(client, world):
    analyst = make_user(group="Analyst")
    actor = make_actor("Unpublished militia")
    article = make_article(title="Not yet coded")
    draft = make_incident(status="draft", actor1=actor)
    make_evidence(draft, article=article)
    for record, field, value in [(actor, "name", "Renamed militia"), (article, "title", "Retitled")]:
        client.force_login(make_user(group="Reviewer"))
        data = form_data(client.get(change_url(record)).content.decode(), f"{type(record)._meta.model_name}_form")
        assert post_as(client, analyst, record, {field: value}, data).status_code == 302
        record.refresh_from_db()
        assert getattr(record, field) == value
