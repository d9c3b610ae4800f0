"""The review queue and the workflow agree on who may decide: the queue lists exactly the incidents
the workflow would let this reviewer approve, whoever coded, edited, rejected or restored them."""

import pytest
from django.urls import reverse

from incidents.models import Incident
from incidents.review import workflow
from incidents.tests.factories import make_evidence, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]
S = Incident.Status
REVIEW = reverse("work-review")


def in_review(coder):
    incident = make_incident(status=S.DRAFT, coder=coder)
    make_evidence(incident)
    workflow.apply("submit", incident, coder)
    return incident


def edit_in_admin(client, user, incident, **changes):
    """Open the incident's admin page as `user`, change fields, press Save."""
    client.force_login(user)
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    data = form_data(client.get(url).content.decode(), "incident_form")
    data.update(changes)
    response = client.post(url, data)
    if response.status_code == 200 and response.context["adminform"].form.warnings:
        # Editing a published incident asks first; the user confirms.
        response = client.post(url, {**data, "confirm_warnings": "on"})
    assert response.status_code == 302


def queue(client, user):
    client.force_login(user)
    response = client.get(REVIEW)
    return {incident.pk for incident in response.context["page"]}, response


def may_approve(user):
    return {i.pk for i in Incident.objects.filter(status=S.IN_REVIEW) if "approve" in workflow.allowed(i, user)}


def test_a_reviewer_who_edited_an_incident_in_review_does_not_get_it_in_the_queue(client, roles):
    analyst, editor, other = (make_user("analyst", group="Analyst"), make_user("editor", group="Reviewer"),
                              make_user("other", group="Reviewer"))
    edited, untouched = in_review(analyst), in_review(analyst)
    edit_in_admin(client, editor, edited, fatalities="9")
    assert Incident.objects.get(pk=edited.pk).fatalities == 9

    listed, response = queue(client, editor)
    assert listed == {untouched.pk}
    assert (response.context["waiting"], response.context["yours"]) == (1, 1)
    assert listed == may_approve(editor)
    assert queue(client, other)[0] == {edited.pk, untouched.pk} == may_approve(other)
    # The admin home's count of what waits for review says the same.
    client.force_login(editor)
    assert client.get(reverse("admin:index")).context["to_review"] == 1


def test_queue_matches_the_workflow_for_every_kind_of_history(client, roles):
    analyst = make_user("analyst", group="Analyst")
    reviewers = [make_user(f"reviewer{n}", group="Reviewer") for n in range(3)]
    coded_by_reviewer = in_review(reviewers[0])
    plain = in_review(analyst)
    # Rejected by reviewer 1, corrected by the analyst, submitted again: reviewer 1 may decide again.
    rejected_then_fixed = in_review(analyst)
    workflow.apply("reject", rejected_then_fixed, reviewers[1], reason="Seven killed, not nine.")
    edit_in_admin(client, analyst, rejected_then_fixed, fatalities="7")
    workflow.apply("submit", rejected_then_fixed, analyst)
    # Published, then edited by reviewer 2: back in review, and reviewer 2 changed what is to be approved.
    republished = in_review(analyst)
    workflow.apply("approve", republished, reviewers[1])
    edit_in_admin(client, reviewers[2], republished, fatalities="4")
    # A quote changed by reviewer 1 is an edit too (as the evidence admin saves it, with its author).
    evidence_added = in_review(analyst)
    evidence = evidence_added.evidence.get()
    evidence.quote, evidence.start, evidence.end = evidence.quote[:20], evidence.start, evidence.start + 20
    evidence._history_user = reviewers[1]
    evidence.save()
    workflow.record_related_edit(evidence_added, reviewers[1])

    # Imported into review by reviewer 0 (no coder): they created it, so another must decide; once it
    # was approved and came back edited by someone else, reviewer 0 may decide again.
    imported = make_incident(status=S.IN_REVIEW)
    Incident.history.filter(id=imported.pk).update(history_user=reviewers[0])
    imported_earlier = make_incident(status=S.IN_REVIEW)
    make_evidence(imported_earlier)
    Incident.history.filter(id=imported_earlier.pk).update(history_user=reviewers[0])
    workflow.apply("approve", imported_earlier, reviewers[1])
    edit_in_admin(client, analyst, imported_earlier, fatalities="3")

    for reviewer in reviewers:
        listed, _ = queue(client, reviewer)
        assert listed == may_approve(reviewer), reviewer.username
    assert coded_by_reviewer.pk not in queue(client, reviewers[0])[0]
    assert rejected_then_fixed.pk in queue(client, reviewers[1])[0]
    assert republished.pk not in queue(client, reviewers[2])[0]
    assert plain.pk in queue(client, reviewers[2])[0]
    assert evidence_added.pk not in queue(client, reviewers[1])[0]
    assert imported.pk not in queue(client, reviewers[0])[0] and imported.pk in queue(client, reviewers[1])[0]
    assert imported_earlier.pk in queue(client, reviewers[0])[0]
