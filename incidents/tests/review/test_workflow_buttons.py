"""Every workflow button and bulk action, pressed with an unsaved change in the form: the change is
saved together with the step, or the step is refused and the form comes back with what was typed.
Nothing is ever dropped (issue 13, points 1 and 2)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from incidents.models import Incident
from incidents.review import workflow
from incidents.tests.factories import make_evidence, make_incident, make_user
from incidents.tests.formdata import change_url, form_data

pytestmark = [pytest.mark.django_db]
S = Incident.Status
REASON = "The date is the report's, not the event's."




def press(client, incident, button, **typed):
    """Open the change page, type `typed` into the form, press the workflow button `button`."""
    page = client.get(change_url(incident)).content.decode()
    assert f'name="_workflow" value="{button}"' in page, f"no {button} button"
    data = form_data(page, "incident_form")
    data.update(typed, _workflow=button, _workflow_reason=REASON)
    return client.post(change_url(incident), data)


@pytest.fixture
def people(roles):
    return {"coder": make_user("coder", group="Analyst"), "reviewer": make_user("reviewer", group="Reviewer")}


def incident_in(status, people):
    incident = make_incident(status=status, coder=people["coder"], notes="Old summary.", fatalities=6,
                             fatalities_low=6, fatalities_high=6, time_precision=1)
    make_evidence(incident)
    return incident


# (status the incident is in, who presses, button, what the button's step needs besides the edit)
BUTTONS = [
    (S.DRAFT, "coder", "submit"),
    (S.REJECTED, "coder", "reopen"),
    (S.REJECTED, "coder", "submit"),
    (S.IN_REVIEW, "reviewer", "approve"),
    (S.IN_REVIEW, "reviewer", "approve+next"),
    (S.IN_REVIEW, "reviewer", "reject"),
    (S.DRAFT, "reviewer", "submit"),
]
EDIT = {"notes": "Edited summary: seven killed, not six.", "time_precision": "2", "fatalities_high": "7"}


@pytest.mark.parametrize("status,who,button", BUTTONS)
def test_every_button_with_an_unsaved_change_keeps_the_change(client, people, status, who, button):
    incident = incident_in(status, people)
    client.force_login(people[who])
    response = press(client, incident, button, **EDIT)
    stored = Incident.objects.get(pk=incident.pk)
    step = workflow.TRANSITIONS[button.partition("+")[0]]
    if response.status_code == 302:
        # Done: the step and the edit, together.
        assert stored.status == step.target
        assert (stored.notes, stored.time_precision, stored.fatalities_high) == (EDIT["notes"], 2, 7)
    else:
        # Refused: nothing stored, and the form shows the error and what was typed.
        assert response.status_code == 200
        assert (stored.status, stored.notes, stored.fatalities_high) == (status, "Old summary.", 6)
        form = response.context["adminform"].form
        assert form.non_field_errors(), "a refusal must say why"
        assert form.data["notes"] == EDIT["notes"] and form.data["fatalities_high"] == "7"
        assert EDIT["notes"] in response.content.decode()


def test_submit_with_an_edit_saves_both(client, people):
    """Issue 13 point 1: edit the summary and the time precision, press Submit for review."""
    incident = incident_in(S.DRAFT, people)
    client.force_login(people["coder"])
    assert press(client, incident, "submit", **EDIT).status_code == 302
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.status, stored.notes, stored.time_precision) == (S.IN_REVIEW, EDIT["notes"], 2)


def test_reviewer_edit_and_approve_is_refused_with_the_edit_kept(client, people):
    """Issue 13 point 2: a reviewer changes high fatalities 6 -> 7 and presses Approve. Approving their
    own change would break four-eyes, so it is refused, the 7 stays in the form, and nothing is published."""
    incident = incident_in(S.IN_REVIEW, people)
    client.force_login(people["reviewer"])
    response = press(client, incident, "approve", fatalities_high="7")
    assert response.status_code == 200
    assert "four-eyes" in response.content.decode()
    assert 'name="fatalities_high" value="7"' in response.content.decode()
    assert not Incident.objects.published().filter(pk=incident.pk).exists()
    # Without the edit, the same button publishes.
    assert press(client, incident, "approve").status_code == 302
    assert Incident.objects.published().filter(pk=incident.pk, fatalities_high=6).exists()


def test_a_rejected_incident_is_corrected_and_sent_back_to_review_in_one_step(people):
    """Newcomer's report: editing a rejected incident and sending it back took "save" (to draft), then
    "submit". Now one button does both; the history keeps each step and the reason stays for the reviewer."""
    incident = incident_in(S.IN_REVIEW, people)
    reviewer, coder = Client(), Client()
    assert reviewer.login(username="reviewer", password="pw-for-tests-only")
    assert coder.login(username="coder", password="pw-for-tests-only")
    press(reviewer, incident, "reject")
    page = coder.get(change_url(incident)).content.decode()
    assert "the report&#x27;s, not the event&#x27;s" in page and "in one step" in page
    assert press(coder, incident, "submit", fatalities_high="7").status_code == 302
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.status, stored.fatalities_high, stored.rejection_reason) == (S.IN_REVIEW, 7, REASON)
    steps = [(h.status, h.history_change_reason, h.history_user) for h in stored.history.order_by("history_id")][-3:]
    assert steps == [(S.REJECTED, f"Rejected: {REASON}", people["reviewer"]),
                     (S.DRAFT, "Edited after rejection: returned to draft", people["coder"]),
                     (S.IN_REVIEW, "Submitted for review", people["coder"])]
    # Four-eyes still holds: the coder cannot approve it; the reviewer, who did not edit it, can.
    assert 'value="approve"' not in coder.get(change_url(incident)).content.decode()
    assert press(reviewer, incident, "approve").status_code == 302


def test_a_rejected_incident_sent_back_unchanged_says_so_in_its_history(people):
    incident = incident_in(S.REJECTED, people)
    coder = Client()
    assert coder.login(username="coder", password="pw-for-tests-only")
    assert press(coder, incident, "submit").status_code == 302
    latest = Incident.objects.get(pk=incident.pk).history.latest()
    assert (latest.status, latest.history_change_reason) == (S.IN_REVIEW, "Submitted for review again after rejection")


def test_reject_refuses_without_reason_and_keeps_the_edit(client, people):
    incident = incident_in(S.IN_REVIEW, people)
    client.force_login(people["reviewer"])
    page = client.get(change_url(incident)).content.decode()
    data = form_data(page, "incident_form")
    data.update(_workflow="reject", _workflow_reason="  ", notes="Typed, not saved yet.")
    response = client.post(change_url(incident), data)
    assert response.status_code == 200 and "needs a reason" in response.content.decode()
    assert "Typed, not saved yet." in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW


def test_approve_and_next_opens_the_next_incident_in_the_queue(client, people):
    first, second = incident_in(S.IN_REVIEW, people), incident_in(S.IN_REVIEW, people)
    client.force_login(people["reviewer"])
    response = press(client, first, "approve+next")
    assert response.status_code == 302 and response["Location"] == change_url(second)
    response = press(client, second, "approve+next")
    assert response["Location"] == reverse("work-review")
    assert Incident.objects.published().filter(pk__in=[first.pk, second.pk]).count() == 2


def test_bulk_actions_post_no_typed_values_to_lose(client, people):
    """The changelist has no editable cells: a bulk action posts only the selection and the action,
    so there is no unsaved change for it to drop. Each action is pressed and does its step."""
    incidents = {status: incident_in(status, people) for status in (S.DRAFT, S.IN_REVIEW)}
    client.force_login(people["reviewer"])
    page = client.get(reverse("admin:incidents_incident_changelist")).content.decode()
    posted = form_data(page, "changelist-form")
    assert set(posted) <= {"csrfmiddlewaretoken", "action", "select_across", "index"}, posted
    actions = {"submit_selected": (S.DRAFT, S.IN_REVIEW), "approve_selected": (S.IN_REVIEW, S.APPROVED)}
    for action, (before, after) in actions.items():
        chosen = {"action": action, ACTION_CHECKBOX_NAME: [incidents[before].pk]}
        response = client.post(reverse("admin:incidents_incident_changelist"), chosen)
        if action == "approve_selected":  # confirmed on the page that shows the incident as it is
            client.post(reverse("admin:incidents_incident_changelist"),
                        form_data(response.content.decode(), "decision-form"))
        assert Incident.objects.get(pk=incidents[before].pk).status == after


@pytest.mark.parametrize("version", ["9" * 5000, "-1", "²", "1e3", "", "\x00"])
def test_workflow_post_with_a_bad_version_is_a_400_naming_it(client, people, version):
    incident = incident_in(S.IN_REVIEW, people)
    client.force_login(people["reviewer"])
    response = client.post(reverse("admin:incidents_incident_workflow", args=[incident.pk]),
                           {"step": "approve", "version": version})
    assert response.status_code == 400 and b"version" in response.content
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW


@pytest.mark.parametrize("version", ["9" * 5000, "9" * 30, "-5", "\x00"])
def test_change_form_with_a_bad_loaded_version_is_a_form_error(client, people, version):
    incident = incident_in(S.DRAFT, people)
    client.force_login(people["coder"])
    data = form_data(client.get(change_url(incident)).content.decode(), "incident_form")
    data.update(loaded_version=version, notes="Kept")
    response = client.post(change_url(incident), data)
    assert response.status_code == 200 and "Kept" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).notes == "Old summary."


@pytest.mark.parametrize("selected", ["9" * 5000, "abc", "\x00", "-1", "1.5", "99999999999999999999"])
@pytest.mark.parametrize("action", ["submit_selected", "approve_selected", "reject_selected"])
def test_bulk_action_with_bad_selected_ids_is_not_a_server_error(client, people, action, selected):
    incident = incident_in(S.IN_REVIEW, people)
    client.force_login(people["reviewer"])
    response = client.post(reverse("admin:incidents_incident_changelist"),
                           {"action": action, ACTION_CHECKBOX_NAME: [selected], "index": selected})
    assert response.status_code < 500
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW


def test_every_admin_bulk_action_refuses_bad_ids_with_a_400(client, roles):
    from django.contrib import admin

    client.force_login(make_user(is_superuser=True))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for selected in ["9" * 5000, "abc", "\x00", "-3"]:
            response = client.post(url, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [selected]})
            assert response.status_code == 400, (model, selected, response.status_code)


def test_a_likely_duplicate_is_named_once_after_save_and_submit(people):
    """Found by a newcomer session: a rejected incident corrected and sent back ("Save and submit for
    review") is saved twice in one request, and the "may duplicate" warning came twice."""
    incident = incident_in(S.REJECTED, people)
    make_incident(status=S.APPROVED, coder=people["reviewer"], actor1=incident.actor1, notes="The same clash.")
    coder = Client()
    assert coder.login(username="coder", password="pw-for-tests-only")
    page = coder.get(change_url(incident)).content.decode()
    data = {**form_data(page, "incident_form"), "fatalities_high": "7", "_workflow": "submit"}
    page = coder.post(change_url(incident), data, follow=True).content.decode()
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW
    assert page.count("may duplicate") == 1
