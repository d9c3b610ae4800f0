"""Four-eyes for the records published incidents show (issue 13 point 11): no one person alone changes
an actor's name or aliases, an article's title or link, an outlet's name, a place or an admin area
that the public sees; the change waits as a proposal until a second reviewer approves it, and the
record's history keeps it."""

import datetime
import itertools

import pytest
from django.contrib.gis.db.models import MultiPolygonField, PointField
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.contrib.postgres.fields import ArrayField
from django.db.models import CharField, DateField, PositiveIntegerField, URLField
from django.urls import reverse

from incidents.models import Actor, AdminArea, Article, Place, ProposedChange, Source
from incidents.review.proposals import approve, deserialize, proposable_fields, propose, serialize, serialize_value
from incidents.review.public_records import PUBLIC_RECORD_MODELS
from incidents.tests.factories import (AIRBASE, make_actor, make_article, make_evidence, make_incident, make_source,
                                       make_user)
from incidents.tests.formdata import change_url, form_data

pytestmark = [pytest.mark.django_db]
PHISH = "https://evil.example/phish"
_numbers = itertools.count(1)


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




def public_text(client, world):
    csv = b"".join(client.get(reverse("export-incidents-csv")).streaming_content).decode()
    return client.get(reverse("incident-detail", args=[world["incident"].pk])).content.decode() + csv


def first_and_second_person(model):
    """Who may edit the record (analysts; places and outlines only Administrators, migration 0003), and a
    second reviewer who may approve the change."""
    if model in (Place, AdminArea):
        return make_user(group="Administrator"), make_user(group="Administrator")
    return make_user(group="Analyst"), make_user(group="Reviewer")


def post_as(client, user, record, change, data):
    client.force_login(user)
    return client.post(change_url(record), {**data, **change})


@pytest.mark.parametrize("key,model,change,field", CASES)
def test_one_person_alone_cannot_change_what_the_public_sees(client, world, key, model, change, field):
    record = world[key]
    first, second = first_and_second_person(model)
    client.force_login(first)
    page = client.get(change_url(record)).content.decode()
    assert "a change you save waits for a second reviewer" in page
    data = form_data(page, f"{model._meta.model_name}_form")
    before = getattr(model.objects.get(pk=record.pk), field)

    response = post_as(client, first, record, change, data)
    assert response.status_code == 302  # kept as a proposal: the edit is not lost
    assert getattr(model.objects.get(pk=record.pk), field) == before
    client.logout()
    assert "ZQXRENAMED" not in public_text(client, world) and PHISH not in public_text(client, world)
    assert world["incident"].__class__.objects.published().filter(pk=world["incident"].pk).exists()
    proposal = ProposedChange.objects.get()
    assert list(proposal.changes) == [field] and proposal.proposed_by == first

    # A second reviewer applies it, and the record's history says who.
    client.force_login(second)
    client.post(reverse("admin:incidents_proposedchange_change", args=[proposal.pk]), {"_approve": "1"})
    assert getattr(model.objects.get(pk=record.pk), field) != before
    assert record.history.latest().history_user == second


def other_value(field, record):
    """A valid value of `field` other than `record`'s, for every kind of field these records have."""
    n = next(_numbers)
    if isinstance(field, ArrayField):
        return [f"ZQX spelling {n}", f"ZQX other {n}"]
    if isinstance(field, PointField):
        return Point(40.3, 35.4, srid=4326)
    if isinstance(field, MultiPolygonField):
        return MultiPolygon(Polygon.from_bbox((39.0, 34.0, 39.5, 34.5)), srid=4326)
    if field.is_relation:
        if field.related_model is Source:
            return make_source(f"ZQX outlet {n}")
        if field.related_model is Actor:
            return make_actor(f"ZQX parent {n}")
        return AdminArea.objects.create(level=1, name=f"ZQX area {n}", geom=square())
    if field.choices:
        return next(value for value, _label in field.choices if value != getattr(record, field.attname))
    if isinstance(field, URLField):
        return f"https://news.example/zqx-{n}"
    if isinstance(field, DateField):
        return datetime.date(2017, 1, 2)
    if isinstance(field, PositiveIntegerField):
        return 900000 + n
    if isinstance(field, CharField) and field.max_length <= 20:
        return f"ZQ{n}"
    return f"ZQX {field.name} {n}"


FIELD_CASES = [(key, model, field.name) for key, model in [("actor", Actor), ("article", Article),
                                                           ("source", Source), ("place", Place),
                                                           ("admin1", AdminArea)]
               for field in proposable_fields(model)]


def test_every_public_record_model_is_covered():
    assert {model for _key, model, _name in FIELD_CASES} == set(PUBLIC_RECORD_MODELS)


@pytest.mark.parametrize("key,model,name", FIELD_CASES, ids=[f"{m.__name__}.{n}" for _k, m, n in FIELD_CASES])
def test_every_field_of_a_public_record_waits_for_a_second_reviewer(world, key, model, name):
    record, field = world[key], model._meta.get_field(name)
    first, second = first_and_second_person(model)
    wanted = model._base_manager.get(pk=record.pk)
    value = other_value(field, record)
    setattr(wanted, field.name, value)
    after = serialize(field, wanted)
    before = serialize(field, model._base_manager.get(pk=record.pk))
    assert after != before

    proposal = propose(record, {name: after}, first)
    assert proposal.changes == {name: {"before": before, "after": after}}
    assert serialize(field, model._base_manager.get(pk=record.pk)) == before  # the public sees the old value
    proposal.refresh_from_db()  # what JSON gave back is enough to apply it
    approve(proposal, second)
    assert serialize(field, model._base_manager.get(pk=record.pk)) == after
    assert record.history.latest().history_user == second


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


def test_many_to_many_values_are_stored_as_sorted_ids(roles):
    """None of the public records has a many-to-many field today (aliases and variants are arrays), but
    a proposal stores one as the sorted ids, the same from the record and from a form's choice."""
    first, second = make_actor("ZQX first"), make_actor("ZQX second")
    incident = make_incident()
    incident.assoc_actors_1.set([second, first])
    field = incident._meta.get_field("assoc_actors_1")
    assert serialize(field, incident) == sorted([first.pk, second.pk])
    assert serialize_value(field, Actor.objects.filter(pk__in=[second.pk, first.pk])) == serialize(field, incident)
    assert deserialize(field, serialize(field, incident)) == sorted([first.pk, second.pk])
