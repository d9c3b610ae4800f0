"""Model invariants: each bad value gives an error naming its field, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from incidents.models import Article, Evidence, Incident
from incidents.tests.factories import make_actor, make_article, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_superuser=True))
    return client


def assert_rejected_naming(client, field, **overrides):
    """The bad values typed into an incident's admin page and saved: the stored incident and its history
    stay as they were, and the page shows the error on `field`; the model's own check names it too."""
    incident = make_incident(status=Incident.Status.DRAFT)
    stored = Incident.objects.filter(pk=incident.pk)
    before, history_before = stored.values().get(), incident.history.count()
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    data = form_data(client.get(url).content.decode(), "incident_form")
    data.update({name: "" if value is None else str(value) for name, value in overrides.items()})
    response = client.post(url, data)
    assert stored.values().get() == before and incident.history.count() == history_before  # nothing saved
    assert response.status_code == 200  # the form again, not the redirect that follows a save
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    for name, value in overrides.items():
        setattr(incident, name, value)
    with pytest.raises(ValidationError) as error:
        incident.full_clean()
    assert field in error.value.message_dict, error.value.message_dict


@pytest.mark.parametrize("field, overrides", [
    ("fatalities", {"fatalities": -1}),
    ("injured", {"injured": -3}),
    ("fatalities_low", {"fatalities": 5, "fatalities_low": 6}),
    ("fatalities_high", {"fatalities": 5, "fatalities_high": 4}),
    ("date_end", {"date_end": "2016-01-01"}),
    ("sub_event_type", {"event_type": "Battles", "sub_event_type": "Suicide bomb"}),
    ("event_type", {"event_type": "Skirmish"}),
    ("time_precision", {"time_precision": 9}),
    ("geo_precision", {"geo_precision": 0}),
])
def test_bad_incident_value_is_refused_with_the_field_named(admin_client, field, overrides):
    assert_rejected_naming(admin_client, field, **overrides)


def test_unknown_date_needs_the_end_of_its_window(admin_client):
    assert_rejected_naming(admin_client, "date_end", time_precision=4, date_end=None)


def test_infighting_may_name_the_same_actor_on_both_sides():
    # ACLED codes infighting (and unidentified-vs-unidentified clashes) with actor 1 = actor 2.
    actor = make_actor()
    incident = make_incident(actor1=actor, actor2=actor)
    incident.full_clean()
    assert Incident.objects.get(pk=incident.pk).actor2 == actor


@pytest.mark.parametrize("overrides", [
    {"fatalities": -1},
    {"fatalities": 5, "fatalities_low": 6},
    {"fatalities": 5, "fatalities_high": 4},
    {"event_type": "Battles", "sub_event_type": "Air/drone strike"},
])
def test_database_refuses_impossible_numbers_even_without_forms(overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_incident(**overrides)
    assert Incident.objects.count() == 0


def test_valid_fatality_range_is_kept():
    incident = make_incident(fatalities=7, fatalities_low=7, fatalities_high=30, injured=12)
    incident.full_clean()
    incident.refresh_from_db()
    assert (incident.fatalities_low, incident.fatalities, incident.fatalities_high) == (7, 7, 30)


def test_same_article_text_twice_is_refused_as_duplicate():
    first = make_article(text="ISIS attacked the airbase on Monday.")
    copy = Article(source=first.source, title="Copy", text="ISIS  attacked the airbase\non Monday.")
    with pytest.raises(ValidationError) as error:
        copy.full_clean()
    assert "text" in error.value.message_dict
    assert f"#{first.pk}" in error.value.message_dict["text"][0]


def test_article_url_is_unique_but_optional():
    make_article(url=None)
    make_article(url="")  # empty URL is stored as NULL, so two articles without one coexist
    make_article(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(url="https://example.org/a")


def test_evidence_quote_must_be_in_the_article():
    article = make_article(text="Seven soldiers were killed in the clashes.")
    evidence = Evidence(incident=make_incident(), article=article, quote="Ten soldiers were killed")
    with pytest.raises(ValidationError) as error:
        evidence.full_clean()
    assert "quote" in error.value.message_dict


def test_evidence_quote_found_gets_its_offsets():
    article = make_article(text="Intro. Seven soldiers were killed in the clashes.")
    evidence = Evidence(incident=make_incident(), article=article, quote="Seven soldiers were killed")
    evidence.full_clean()
    assert article.text[evidence.start:evidence.end] == "Seven soldiers were killed"
