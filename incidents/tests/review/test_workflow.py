"""Review workflow: who may move an incident where, the four-eyes rule, rejection reasons,
and the same rules through the admin (buttons, bulk actions, edits)."""

import pytest
from django.urls import reverse

from incidents.models import Evidence, Incident
from incidents.review import workflow
from incidents.tests.factories import make_evidence, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]
S = Incident.Status

# The specification, written out independently of workflow.TRANSITIONS.
# A rejected incident goes back to review in one step once corrected ("submit"), or to draft ("reopen").
STEP_FROM_TO = {"submit": ({S.DRAFT, S.REJECTED}, S.IN_REVIEW), "approve": ({S.IN_REVIEW}, S.APPROVED),
                "reject": ({S.IN_REVIEW}, S.REJECTED), "reopen": ({S.REJECTED}, S.DRAFT)}
ROLE_MAY = {"Analyst": {"submit", "reopen"}, "Reviewer": {"submit", "approve", "reject", "reopen"},
            "Administrator": {"submit", "approve", "reject", "reopen"}, None: set()}


@pytest.fixture
def coder(roles):
    return make_user("coder", group="Analyst")


def coded_incident(coder, status=S.DRAFT, **fields):
    incident = make_incident(status=status, coder=coder, **fields)
    make_evidence(incident)
    return incident


def run_step(name, incident, user, reason="Fatalities: the article says seven, not thirty."):
    return workflow.apply(name, incident, user, reason=reason)


@pytest.mark.parametrize("role", list(ROLE_MAY))
@pytest.mark.parametrize("step", list(STEP_FROM_TO))
@pytest.mark.parametrize("status", list(S.values))
def test_every_transition_for_every_role(roles, coder, role, step, status):
    user = make_user(f"someone-{role}", group=role)
    incident = coded_incident(coder, status)
    sources, target = STEP_FROM_TO[step]
    if step in ROLE_MAY[role] and status in sources:
        run_step(step, incident, user)
        stored = Incident.objects.get(pk=incident.pk)
        assert stored.status == target == incident.status
        assert stored.version == 2
        assert stored.history.latest().history_user == user
    else:
        with pytest.raises(workflow.WorkflowError) as refused:
            run_step(step, incident, user)
        assert refused.value.message
        stored = Incident.objects.get(pk=incident.pk)
        assert (stored.status, stored.version) == (status, 1)


@pytest.mark.parametrize("step", ["approve", "reject"])
def test_reviewer_never_decides_on_an_incident_they_coded(roles, step):
    reviewer = make_user(group="Reviewer")
    incident = coded_incident(reviewer, S.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="four-eyes"):
        run_step(step, incident, reviewer)
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW


def test_superuser_is_bound_by_four_eyes_too(roles):
    boss = make_user(is_superuser=True)
    incident = coded_incident(boss, S.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="four-eyes"):
        workflow.apply("approve", incident, boss)


def test_another_reviewer_approves_and_publishes(client, coder):
    reviewer = make_user(group="Reviewer")
    incident = coded_incident(coder, S.IN_REVIEW)
    assert not Incident.objects.published().filter(pk=incident.pk).exists()
    # The reviewer presses "Approve and publish" on the incident's admin page.
    response = workflow_button(login(client, reviewer), incident, "approve")
    assert messages_of(response) == [f"Incident #{incident.pk} {incident} saved and approved."]
    incident.refresh_from_db()
    assert incident.reviewer == reviewer
    assert incident.published_at is not None and incident.withdrawn_at is None
    assert Incident.objects.published().filter(pk=incident.pk).exists()


def edit_as(user, incident, **changes):
    """An edit through the workflow's edit rules, as forms make it."""
    for name, value in changes.items():
        setattr(incident, name, value)
    incident._history_user = user
    workflow.prepare_edit(incident, user, content_changed=workflow.content_differs(incident))
    incident.save()


def test_reviewer_who_edited_an_incident_in_review_cannot_approve_it(coder):
    reviewer = make_user(group="Reviewer")
    incident = coded_incident(coder, S.IN_REVIEW)
    edit_as(reviewer, incident, fatalities=7)
    with pytest.raises(workflow.WorkflowError, match="coded or edited"):
        workflow.apply("approve", incident, reviewer)
    workflow.apply("approve", incident, make_user(group="Reviewer"))


def test_reviewer_who_rejected_may_approve_the_corrected_incident(coder):
    reviewer = make_user(group="Reviewer")
    incident = coded_incident(coder, S.IN_REVIEW)
    workflow.apply("reject", incident, reviewer, reason="Seven soldiers, not thirty.")
    edit_as(coder, incident, fatalities=7)
    assert incident.status == S.DRAFT  # editing a rejected incident returns it to draft
    workflow.apply("submit", incident, coder)
    workflow.apply("approve", incident, reviewer)
    assert Incident.objects.get(pk=incident.pk).status == S.APPROVED


def test_editing_a_published_incident_withdraws_it_for_review(coder):
    first, second = make_user(group="Reviewer"), make_user(group="Reviewer")
    incident = coded_incident(coder, S.IN_REVIEW)
    workflow.apply("approve", incident, first)
    edit_as(first, incident, fatalities=30)
    stored = Incident.objects.get(pk=incident.pk)
    assert stored.status == S.IN_REVIEW and stored.withdrawn_at is not None and stored.reviewer is None
    assert not Incident.objects.published().filter(pk=incident.pk).exists()
    with pytest.raises(workflow.WorkflowError, match="four-eyes"):
        workflow.apply("approve", incident, first)  # they made the change they would approve
    workflow.apply("approve", incident, second)
    assert Incident.objects.published().filter(pk=incident.pk, fatalities=30).exists()


def test_saving_a_published_incident_unchanged_keeps_it_published(coder):
    incident = coded_incident(coder, S.IN_REVIEW)
    workflow.apply("approve", incident, make_user(group="Reviewer"))
    edit_as(coder, incident)
    assert Incident.objects.get(pk=incident.pk).status == S.APPROVED


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_rejection_needs_a_reason(coder, reason):
    incident = coded_incident(coder, S.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="reason"):
        workflow.apply("reject", incident, make_user(group="Reviewer"), reason=reason)
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW


def test_rejection_reason_is_kept_for_the_coder_and_in_history(coder):
    incident = coded_incident(coder, S.IN_REVIEW)
    workflow.apply("reject", incident, make_user(group="Reviewer"),
                   reason="  Wrong district: Harabsh is in Deir ez-Zor.  ")
    stored = Incident.objects.get(pk=incident.pk)
    assert stored.rejection_reason == "Wrong district: Harabsh is in Deir ez-Zor."
    assert stored.history.latest().history_change_reason.startswith("Rejected: Wrong district")
    workflow.apply("reopen", incident, coder)
    assert Incident.objects.get(pk=incident.pk).rejection_reason == stored.rejection_reason


def test_submitting_needs_a_source(coder):
    bare = make_incident(status=S.DRAFT, coder=coder)
    with pytest.raises(workflow.WorkflowError, match="no evidence"):
        workflow.apply("submit", bare, coder)
    imported = make_incident(status=S.DRAFT, coder=coder, source_text="SOHR; ARA News")
    workflow.apply("submit", imported, coder)


def test_a_decision_on_a_version_the_reviewer_did_not_see_is_refused(coder):
    incident = coded_incident(coder, S.IN_REVIEW)
    seen = incident.version
    edit_as(coder, incident, fatalities=3)
    with pytest.raises(workflow.WorkflowError, match="changed since you opened it"):
        workflow.apply("approve", incident, make_user(group="Reviewer"), expected_version=seen)


def test_allowed_steps_are_what_the_buttons_offer(coder):
    reviewer = make_user(group="Reviewer")
    in_review = coded_incident(coder, S.IN_REVIEW)
    assert workflow.allowed(in_review, reviewer) == ["approve", "reject"]
    assert workflow.allowed(in_review, coder) == []
    assert workflow.allowed(coded_incident(coder, S.DRAFT), coder) == ["submit"]
    assert workflow.allowed(coded_incident(coder, S.REJECTED), coder) == ["submit", "reopen"]


def test_unknown_step_is_a_clear_error(coder):
    with pytest.raises(workflow.WorkflowError, match="not a workflow step"):
        workflow.apply("publish", coded_incident(coder), coder)


def test_bulk_steps_report_each_refusal_and_do_the_rest(coder):
    reviewer = make_user(group="Reviewer")
    good = coded_incident(coder, S.IN_REVIEW)
    own = coded_incident(reviewer, S.IN_REVIEW)
    draft = coded_incident(coder, S.DRAFT)
    result = workflow.apply_to_many("approve", Incident.objects.order_by("pk"), reviewer)
    assert [i.pk for i in result.done] == [good.pk]
    refused = {incident.pk: why for incident, why in result.refused}
    assert "four-eyes" in refused[own.pk] and "draft" in refused[draft.pk]


# -- through the admin --

def login(client, user):
    client.force_login(user)
    return client


def changelist_action(client, action, incidents, **extra):
    """Choose `action` for `incidents` on the list; an approval is then confirmed on the page that shows them."""
    url = reverse("admin:incidents_incident_changelist")
    chosen = {"action": action, "_selected_action": [i.pk for i in incidents], **extra}
    if action == "approve_selected":
        chosen = form_data(client.post(url, chosen).content.decode(), "decision-form")
    return client.post(url, chosen, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_admin_bulk_approve_names_refused_rows_and_why(client, coder):
    reviewer = make_user(group="Reviewer")
    good, own, draft = (coded_incident(coder, S.IN_REVIEW), coded_incident(reviewer, S.IN_REVIEW),
                        coded_incident(coder, S.DRAFT))
    response = changelist_action(login(client, reviewer), "approve_selected", [good, own, draft])
    text = messages_of(response)
    assert any(f"#{good.pk}" in m and m.startswith("Approved") for m in text)
    assert any(f"#{own.pk}" in m and "four-eyes" in m for m in text)
    assert any(f"#{draft.pk}" in m and "It is draft" in m for m in text)
    assert dict(Incident.objects.values_list("pk", "status")) == {
        good.pk: S.APPROVED, own.pk: S.IN_REVIEW, draft.pk: S.DRAFT}


def test_admin_bulk_submit_by_analyst(client, coder):
    drafts = [coded_incident(coder, S.DRAFT) for _ in range(2)]
    changelist_action(login(client, coder), "submit_selected", drafts)
    assert set(Incident.objects.values_list("status", flat=True)) == {S.IN_REVIEW}


def test_analyst_is_not_offered_review_actions_and_cannot_force_them(client, coder):
    incident = coded_incident(make_user(group="Analyst"), S.IN_REVIEW)
    login(client, coder)
    page = client.get(reverse("admin:incidents_incident_changelist")).content.decode()
    assert "submit_selected" in page and "approve_selected" not in page and "reject_selected" not in page
    changelist_action(client, "approve_selected", [incident])
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW


def test_admin_reject_asks_for_a_reason_first(client, coder):
    incident = coded_incident(coder, S.IN_REVIEW)
    login(client, make_user(group="Reviewer"))
    asked = changelist_action(client, "reject_selected", [incident])
    assert 'name="reason"' in asked.content.decode()
    blank = changelist_action(client, "reject_selected", [incident], apply="yes", reason="  ")
    assert "This field is required" in blank.content.decode()
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW
    changelist_action(client, "reject_selected", [incident], apply="yes", reason="No source for the date.")
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.status, stored.rejection_reason) == (S.REJECTED, "No source for the date.")


def workflow_button(client, incident, step, reason=None, **changes):
    """Press a workflow button on the incident's change page: it posts the whole form, as a browser does."""
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    data = form_data(client.get(url).content.decode(), "incident_form")
    data.update(changes, _workflow=step)
    if reason is not None:
        data["_workflow_reason"] = reason
    return client.post(url, data, follow=True)


def test_change_page_offers_only_allowed_steps_and_explains_four_eyes(client, coder):
    reviewer = make_user(group="Reviewer")
    other = coded_incident(coder, S.IN_REVIEW)
    own = coded_incident(reviewer, S.IN_REVIEW)
    login(client, reviewer)
    page = client.get(reverse("admin:incidents_incident_change", args=[other.pk])).content.decode()
    assert 'value="approve"' in page and 'value="reject"' in page and 'value="submit"' not in page
    page = client.get(reverse("admin:incidents_incident_change", args=[own.pk])).content.decode()
    assert 'value="approve"' not in page and "four-eyes" in page


def test_change_page_buttons_apply_the_same_rules(client, coder):
    incident = coded_incident(coder, S.IN_REVIEW)
    response = workflow_button(login(client, coder), incident, "approve")
    assert "Only reviewers may approve" in response.content.decode()
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW
    login(client, make_user(group="Reviewer"))
    workflow_button(client, incident, "reject", reason="Location is the city, not the airbase.")
    assert Incident.objects.get(pk=incident.pk).status == S.REJECTED
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "Location is the city, not the airbase." in page


def post_change_form(client, incident, **changes):
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    data = form_data(client.get(url).content.decode(), "incident_form")
    data.update(changes)
    return client.post(url, data)


def test_admin_edit_cannot_set_the_status(client, coder):
    incident = coded_incident(coder, S.DRAFT)
    response = post_change_form(login(client, coder), incident, status="approved", notes="Edited")
    assert response.status_code == 302
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.status, stored.notes) == (S.DRAFT, "Edited")


def test_admin_edit_of_published_incident_sends_it_back_to_review(client, coder):
    incident = coded_incident(coder, S.IN_REVIEW)
    workflow.apply("approve", incident, make_user(group="Reviewer"))
    # Issue 13 point 10: a warning before the save, and nothing saved until it is confirmed.
    warned = post_change_form(login(client, coder), incident, fatalities="12")
    assert warned.status_code == 200 and "This incident is published" in warned.content.decode()
    assert Incident.objects.published().filter(pk=incident.pk, fatalities=incident.fatalities).exists()
    response = post_change_form(client, incident, fatalities="12", confirm_warnings="on")
    assert response.status_code == 302
    stored = Incident.objects.get(pk=incident.pk)
    assert (stored.status, stored.fatalities) == (S.IN_REVIEW, 12) and stored.withdrawn_at
    assert not Incident.objects.published().filter(pk=incident.pk).exists()


def test_admin_add_records_the_coder_and_starts_as_draft(client, coder, boundaries):
    login(client, coder)
    url = reverse("admin:incidents_incident_add")
    data = form_data(client.get(url).content.decode(), "incident_form")
    incident = make_incident(status=S.APPROVED)  # borrow a valid actor
    data.update({"date": "2015-09-30", "time_precision": "1", "event_type": "Battles", "sub_event_type": "Armed clash",
                 "actor1": incident.actor1_id, "location": "Harabsh", "status": "approved",
                 "point": '{"type": "Point", "coordinates": [40.164, 35.303]}'})
    assert client.post(url, data).status_code == 302
    added = Incident.objects.exclude(pk=incident.pk).get()
    assert (added.status, added.coder, added.version) == (S.DRAFT, coder, 1)


@pytest.mark.parametrize("where", ["evidence page", "article page"])
def test_changing_a_published_incidents_evidence_elsewhere_sends_it_back_to_review(client, coder, where):
    incident = coded_incident(coder, S.IN_REVIEW)
    workflow.apply("approve", incident, make_user(group="Reviewer"))
    evidence = incident.evidence.get()
    login(client, coder)
    model, obj = ("evidence", evidence) if where == "evidence page" else ("article", evidence.article)
    url = reverse(f"admin:incidents_{model}_change", args=[obj.pk])
    data = form_data(client.get(url).content.decode(), f"{model}_form")
    key = "quote" if model == "evidence" else "evidence-0-quote"
    data.update({key: evidence.article.text[:20], key.replace("quote", "start"): "0",
                 key.replace("quote", "end"): "20"})
    assert client.post(url, data).status_code == 302
    assert Evidence.objects.get(pk=evidence.pk).end == 20
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW
    assert not Incident.objects.published().filter(pk=incident.pk).exists()


def published_with_evidence(coder):
    incident = coded_incident(coder, S.IN_REVIEW)
    workflow.apply("approve", incident, make_user(group="Reviewer"))
    return incident, incident.evidence.get()


@pytest.mark.parametrize("how", ["bulk delete", "single delete", "moved on the evidence page",
                                 "moved on the article page"])
def test_every_way_a_published_incident_loses_a_quote_sends_it_back_to_review(client, coder, how):
    """Found by an attacker: "Delete selected" and moving a quote left the incident that lost it public."""
    incident, evidence = published_with_evidence(coder)
    other = coded_incident(coder, S.DRAFT)
    login(client, coder)
    if how == "bulk delete":
        url = reverse("admin:incidents_evidence_changelist")
        response = client.post(url, {"action": "delete_selected", "_selected_action": [evidence.pk], "post": "yes"})
    elif how == "single delete":
        response = client.post(reverse("admin:incidents_evidence_delete", args=[evidence.pk]), {"post": "yes"})
    else:
        model, obj, key = (("evidence", evidence, "incident") if how == "moved on the evidence page"
                           else ("article", evidence.article, "evidence-0-incident"))
        url = reverse(f"admin:incidents_{model}_change", args=[obj.pk])
        data = form_data(client.get(url).content.decode(), f"{model}_form")
        data[key] = str(other.pk)
        quote = key.replace("incident", "quote")  # a quote that matches the factory article's text
        data.update({quote: evidence.article.text[:20], quote.replace("quote", "start"): "0",
                     quote.replace("quote", "end"): "20"})
        response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    assert not Evidence.objects.filter(pk=evidence.pk, incident=incident).exists()  # the change was made
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW
    assert not Incident.objects.published().filter(pk=incident.pk).exists()
