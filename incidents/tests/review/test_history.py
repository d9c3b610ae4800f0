"""Audit history: every change to an article, incident, actor or evidence is kept with who, when
and what changed, shown in the admin as a per-field diff, and an old version can be restored."""

import re
from html import unescape

import pytest
from django.urls import reverse

from incidents.models import Actor, Article, Evidence, Incident
from incidents.review import workflow
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]
S = Incident.Status


@pytest.fixture
def analyst(roles, client):
    user = make_user("analyst", group="Analyst")
    client.force_login(user)
    return user


def edit_in_admin(client, model_name, obj, **changes):
    url = reverse(f"admin:incidents_{model_name}_change", args=[obj.pk])
    data = {**form_data(client.get(url).content.decode(), f"{model_name}_form"), **changes}
    # None stands for a field the browser does not send at all (e.g. nothing selected).
    response = client.post(url, {name: value for name, value in data.items() if value is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def history_changes(client, model_name, obj):
    """The 'Changes' cells of the admin history page, as plain text, newest first."""
    page = client.get(reverse(f"admin:incidents_{model_name}_history", args=[obj.pk])).content.decode()
    rows = [row for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S) if "<td" in row]
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def test_incident_edit_shows_who_and_a_per_field_diff(client, analyst):
    incident = make_incident(status=S.DRAFT, fatalities=7, notes="Clashes near the airbase.", coder=analyst)
    make_evidence(incident)
    edit_in_admin(client, "incident", incident, fatalities="9", notes="Clashes and shelling.")
    record = Incident.history.filter(id=incident.pk).latest()
    assert record.history_user == analyst and record.history_date
    newest = history_changes(client, "incident", incident)[0]
    assert "analyst" in newest
    assert "Fatalities (best estimate): 7 → 9" in newest
    assert "Summary: Clashes near the airbase. → Clashes and shelling." in newest
    assert "Location" not in newest  # unchanged fields are not listed


def test_workflow_steps_appear_in_history_with_their_reason(client, analyst):
    incident = make_incident(status=S.IN_REVIEW, coder=make_user(group="Analyst"))
    workflow.apply("reject", incident, make_user("rev", group="Reviewer"),
                   reason="Date is the report date, not the event.")
    newest = history_changes(client, "incident", incident)[0]
    assert "rev" in newest and "Rejected: Date is the report date" in newest
    assert "Status: in review → rejected" in newest


@pytest.mark.parametrize("model_name, make, field, value, label", [
    ("article", lambda: make_article(text="Seven soldiers were killed."), "title", "Airbase attacked", "Title"),
    ("actor", lambda: make_actor("NDF"), "name", "National Defence Forces", "Name"),
])
def test_article_and_actor_changes_are_kept_with_a_diff(client, analyst, model_name, make, field, value, label):
    obj = make()
    before = getattr(obj, field)
    edit_in_admin(client, model_name, obj, **{field: value})
    record = type(obj).history.filter(id=obj.pk).latest()
    assert record.history_user == analyst and getattr(record, field) == value
    assert f"{label}: {before} → {value}" in history_changes(client, model_name, obj)[0]


def test_evidence_changes_are_kept_with_a_diff(client, analyst):
    article = make_article(text="Seven soldiers were killed. ISIS seized two posts.")
    evidence = make_evidence(make_incident(status=S.DRAFT, coder=analyst), article, "Seven soldiers were killed.")
    edit_in_admin(client, "evidence", evidence, quote="ISIS seized two posts.", start="", end="")
    record = Evidence.history.filter(id=evidence.pk).latest()
    assert record.history_user == analyst and (record.start, record.end) == (28, 50)
    assert "Quote: Seven soldiers were killed. → ISIS seized two posts." in history_changes(client, "evidence",
                                                                                            evidence)[0]


def restore(client, incident, record):
    url = reverse("admin:incidents_incident_simple_history", args=[incident.pk, record.history_id])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page.content.decode(), "historicalincident_form"))


def test_an_old_version_can_be_restored_from_the_admin(client, analyst):
    ndf = make_actor("NDF")
    incident = make_incident(status=S.DRAFT, fatalities=7, notes="First coding.", coder=analyst,
                             assoc_actors_1=[ndf])
    make_evidence(incident)
    original = Incident.history.filter(id=incident.pk).latest()
    edit_in_admin(client, "incident", incident, fatalities="30", notes="Second thoughts.", assoc_actors_1=None)
    assert Incident.objects.get(pk=incident.pk).fatalities == 30

    assert restore(client, incident, original).status_code == 302
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.fatalities, stored.notes, list(stored.assoc_actors_1.all())) == (7, "First coding.", [ndf])
    latest = Incident.history.filter(id=incident.pk).latest()
    assert (latest.history_user, latest.fatalities) == (analyst, 7) and latest.history_date > original.history_date


def test_restoring_a_published_incident_is_an_edit_that_goes_back_to_review(client, analyst):
    incident = make_incident(status=S.DRAFT, fatalities=7, coder=make_user(group="Analyst"))
    make_evidence(incident)
    first = Incident.history.filter(id=incident.pk).latest()
    incident.fatalities = 9
    incident.save()
    workflow.apply("submit", incident, incident.coder)
    workflow.apply("approve", incident, make_user(group="Reviewer"))

    assert restore(client, incident, first).status_code == 302
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.fatalities, stored.status) == (7, S.IN_REVIEW)  # not silently re-published, nor a draft
    assert stored.withdrawn_at is not None
    assert not Incident.objects.published().filter(pk=incident.pk).exists()


def test_restoring_does_not_overwrite_a_save_made_meanwhile(client, analyst):
    incident = make_incident(status=S.DRAFT, fatalities=7, coder=analyst)
    make_evidence(incident)
    first = Incident.history.filter(id=incident.pk).latest()
    url = reverse("admin:incidents_incident_simple_history", args=[incident.pk, first.history_id])
    data = form_data(client.get(url).content.decode(), "historicalincident_form")
    incident.notes = "Saved by someone else meanwhile"
    incident.save()
    response = client.post(url, data)
    assert response.status_code == 200 and "Not saved" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).notes == "Saved by someone else meanwhile"


def test_history_of_every_coded_model_is_recorded():
    for model in (Article, Incident, Actor, Evidence):
        assert hasattr(model, "history"), model


def test_a_baseline_version_says_before_history_was_kept_not_1900(client, analyst):
    # Found by a newcomer session: an actor written without history showed a version "created 1900-01-01".
    from incidents.models.history_baseline import ensure_baseline

    actor = make_actor("Baseline Brigade")
    Actor.history.filter(id=actor.pk).delete()
    assert ensure_baseline(Actor, actor.pk)
    page = client.get(reverse("admin:incidents_actor_history", args=[actor.pk])).content.decode()
    assert "before history was kept" in page and "1900" not in page
