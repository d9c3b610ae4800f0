"""No lost updates: two analysts open the same incident and both save; the second save is
refused with what changed, nothing is overwritten, and saving again merges deliberately."""

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.test import Client
from django.urls import reverse

from incidents.models import Incident
from incidents.review import workflow
from incidents.review.forms import IncidentForm
from incidents.review.locking import EditConflict, save_checked
from incidents.tests.factories import make_actor, make_evidence, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]
S = Incident.Status


@pytest.fixture
def incident(roles):
    incident = make_incident(status=S.DRAFT, fatalities=7, notes="Clashes near the airbase.",
                             coder=make_user("coder", group="Analyst"))
    make_evidence(incident)
    return incident


def analyst_client(name):
    client = Client()
    client.force_login(make_user(name, group="Analyst"))
    return client


def open_form(client, incident):
    """GET the change page and keep what the browser would post back."""
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    return url, form_data(client.get(url).content.decode(), "incident_form")


def test_second_of_two_concurrent_admin_saves_is_refused_and_merges(incident):
    first, second = analyst_client("first"), analyst_client("second")
    url, first_data = open_form(first, incident)
    _, second_data = open_form(second, incident)

    assert first.post(url, {**first_data, "fatalities": "9"}).status_code == 302
    refused = second.post(url, {**second_data, "notes": "Clashes and shelling near the airbase."})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Not saved: first saved this incident while you were editing it" in page
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.fatalities, stored.notes) == (9, "Clashes near the airbase.")
    # The refused form keeps the second analyst's text and takes the first one's number.
    form = refused.context["adminform"].form
    assert [(c.name, c.was, c.now, c.outcome) for c in form.conflict.changes] == [("fatalities", "7", "9", "taken")]
    merged = form_data(page, "incident_form")
    assert merged["notes"] == "Clashes and shelling near the airbase."
    assert merged["fatalities"] == "9" and merged["loaded_version"] == str(stored.version)

    assert second.post(url, merged).status_code == 302
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.fatalities, stored.notes) == (9, "Clashes and shelling near the airbase.")


def test_saving_without_changes_does_not_disturb_another_analysts_edit(incident):
    first, second = analyst_client("first"), analyst_client("second")
    url, first_data = open_form(first, incident)
    _, second_data = open_form(second, incident)
    assert first.post(url, first_data).status_code == 302  # pressed save, changed nothing
    assert second.post(url, {**second_data, "fatalities": "9"}).status_code == 302
    assert Incident.objects.get(pk=incident.pk).fatalities == 9


def test_both_changing_the_same_field_leaves_the_choice_to_the_second_analyst(incident):
    first, second = analyst_client("first"), analyst_client("second")
    url, first_data = open_form(first, incident)
    _, second_data = open_form(second, incident)
    first.post(url, {**first_data, "fatalities": "9"})
    refused = second.post(url, {**second_data, "fatalities": "14"})

    change, = refused.context["adminform"].form.conflict.changes
    assert (change.was, change.now, change.yours, change.outcome) == ("7", "9", "14", "clash")
    assert "you decide" in refused.content.decode()
    assert Incident.objects.get(pk=incident.pk).fatalities == 9
    merged = form_data(refused.content.decode(), "incident_form")
    assert merged["fatalities"] == "14"  # theirs is shown, yours kept: saving again is a decision
    second.post(url, merged)
    assert Incident.objects.get(pk=incident.pk).fatalities == 14


def test_associated_actors_changed_by_someone_else_are_merged_too(incident):
    ndf = make_actor("NDF: National Defence Forces")
    first, second = analyst_client("first"), analyst_client("second")
    url, first_data = open_form(first, incident)
    _, second_data = open_form(second, incident)
    first.post(url, {**first_data, "assoc_actors_1": [str(ndf.pk)]})
    refused = second.post(url, {**second_data, "location": "Harabsh"})
    merged = form_data(refused.content.decode(), "incident_form")
    assert merged["assoc_actors_1"] == str(ndf.pk)
    second.post(url, merged)
    stored = Incident.objects.get(pk=incident.pk)
    assert stored.location == "Harabsh" and list(stored.assoc_actors_1.all()) == [ndf]


def test_a_review_decision_while_editing_is_reported_and_the_edit_goes_back_to_review(incident):
    editor = analyst_client("editor")
    workflow.apply("submit", incident, incident.coder)
    url, data = open_form(editor, incident)
    workflow.apply("approve", incident, make_user("reviewer", group="Reviewer"))
    refused = editor.post(url, {**data, "fatalities": "8"})
    changes = {c.name: c for c in refused.context["adminform"].form.conflict.changes}
    assert changes["status"].now == "approved" and changes["status"].outcome == "info"
    assert Incident.objects.get(pk=incident.pk).fatalities == 7
    warned = editor.post(url, form_data(refused.content.decode(), "incident_form"))
    # It is published now: saving asks first, and the editor confirms.
    assert "This incident is published" in warned.content.decode()
    editor.post(url, {**form_data(warned.content.decode(), "incident_form"), "confirm_warnings": "on"})
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.fatalities, stored.status) == (8, S.IN_REVIEW)


def posted_values(incident, **changes):
    """What an untouched IncidentForm for `incident` would post, with `changes`."""
    form = IncidentForm(instance=incident)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, GEOSGeometry):
            value = value.geojson
        if value is False:
            continue
        data[name] = "" if value is None else value
    return {**data, **changes}


def test_second_of_two_simultaneous_saves_is_refused_by_the_update(incident):
    """Both forms pass validation before either saves: the version check in the UPDATE decides."""
    user = incident.coder
    first = IncidentForm(posted_values(incident, fatalities=9), instance=Incident.objects.get(pk=incident.pk))
    second = IncidentForm(posted_values(incident, notes="Overwritten?"), instance=Incident.objects.get(pk=incident.pk))
    assert first.is_valid(), first.errors
    assert second.is_valid(), second.errors
    first.save_edit(user)
    with pytest.raises(EditConflict):
        second.save_edit(user)
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.fatalities, stored.notes, stored.version) == (9, "Clashes near the airbase.", 2)


def test_stale_version_saves_nothing(incident):
    stale = Incident.objects.get(pk=incident.pk)
    incident.notes = "Newer"
    incident.save()
    stale.notes = "Older"
    with pytest.raises(EditConflict) as conflict:
        save_checked(stale, stale.version)
    assert (conflict.value.expected_version, conflict.value.current_version) == (1, 2)
    assert Incident.objects.get(pk=incident.pk).notes == "Newer"


def test_a_form_without_its_version_is_refused(incident):
    form = IncidentForm(posted_values(incident, loaded_version=""), instance=incident)
    assert not form.is_valid()
    assert "reload the page" in form.non_field_errors()[0]
