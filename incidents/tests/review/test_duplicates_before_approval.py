"""A reviewer never publishes a likely duplicate of an incident already published or in review without
seeing it and answering for it (incidents.coding.duplicate_guard). Found by a newcomer analyst: analyst A
coded a strike, analyst B coded the same strike from another article, and the reviewer approving B's was
told "may duplicate" only after it was public. Each page is used as the reviewer's browser would: real
logins, the page's own form, the boxes a person ticks."""

import psycopg2
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client
from django.urls import reverse

from incidents.coding import duplicates
from incidents.models import DuplicateDecision, Incident
from incidents.review import workflow
from incidents.tests.factories import AIRBASE, make_actor, make_article, make_evidence, make_incident, make_user
from incidents.tests.formdata import change_url, form_data

pytestmark = [pytest.mark.django_db]
S = Incident.Status
KM_EAST = 1 / (111.32 * 0.8192)  # one kilometre of longitude at 35°N, in degrees
INCIDENTS = reverse("admin:incidents_incident_changelist")
HOLD = "Before publishing: it may duplicate"


def login(user):
    client = Client()
    assert client.login(username=user.username, password="pw-for-tests-only")
    return client




def submit(user, incident):
    """`user` opens their draft and presses "Save and submit for review"."""
    client = login(user)
    data = form_data(client.get(change_url(incident)).content.decode(), "incident_form")
    assert client.post(change_url(incident), {**data, "_workflow": "submit"}).status_code == 302


@pytest.fixture
def people(roles):
    return {"a": make_user("analyst_a", group="Analyst"), "b": make_user("analyst_b", group="Analyst"),
            "reviewer": make_user("reviewer", group="Reviewer"), "other_reviewer": make_user("rev2", group="Reviewer")}


@pytest.fixture
def strike(people):
    """One strike coded twice: X by analyst A, Y by analyst B (1.2 km apart, same day, same type, same
    actor, two articles), both submitted through their change pages."""
    isis = make_actor("Islamic State (Syria)")
    x = make_incident(status=S.DRAFT, actor1=isis, coder=people["a"])
    make_evidence(x, make_article("ISIS and the army clashed near the airbase, killing seven soldiers."))
    submit(people["a"], x)
    y = make_incident(status=S.DRAFT, actor1=isis, coder=people["b"],
                      point=Point(AIRBASE.x + 1.2 * KM_EAST, AIRBASE.y, srid=4326))
    make_evidence(y, make_article("Seven soldiers died in fighting with ISIS by the Deir ez-Zor airport."))
    submit(people["b"], y)
    return x, y


def approve(client, incident, **typed):
    """Open the change page, tick what `typed` says, press "Save and approve and publish"."""
    page = client.get(change_url(incident)).content.decode()
    data = form_data(page, "incident_form")
    return client.post(change_url(incident), {**data, "_workflow": "approve", **typed})


def test_the_reviewer_sees_the_other_coding_on_every_page_they_approve_from(people, strike):
    x, y = strike
    reviewer = login(people["reviewer"])
    page = reviewer.get(change_url(y)).content.decode()
    assert HOLD in page and f"#{x.pk}" in page
    assert f'name="_not_duplicate" value="{x.pk}" form="incident_form"' in page
    assert reverse("assist-duplicates", args=[y.pk]) in page  # compare
    assert reverse("assist-merge", args=[y.pk, x.pk]) in page  # merge
    assert reverse("assist-not-duplicate", args=[y.pk, x.pk]) in page

    queue = reviewer.get(reverse("work-review")).content.decode()
    row = queue[queue.index(f'<td><a href="{change_url(y)}"'):]
    row = row[:row.index("</tr>")]
    assert f'href="{change_url(x)}"' in row and "status-in_review" in row  # Y's row names X

    confirmation = reviewer.post(INCIDENTS, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [y.pk]})
    text = confirmation.content.decode()
    assert HOLD in text and f'name="_not_duplicate_{y.pk}" value="{x.pk}"' in text


def test_approving_without_an_answer_is_refused_and_nothing_is_published(people, strike):
    x, y = strike
    response = approve(login(people["reviewer"]), y)
    assert response.status_code == 200
    assert f"It may duplicate #{x.pk}, already published or in review" in response.content.decode()
    assert Incident.objects.get(pk=y.pk).status == S.IN_REVIEW
    assert not DuplicateDecision.objects.exists()
    assert Client().get(reverse("incident-detail", args=[y.pk])).status_code == 404


def test_publish_anyway_records_not_a_duplicate_and_the_pair_is_never_proposed_again(people, strike):
    x, y = strike
    assert approve(login(people["reviewer"]), y, _not_duplicate=[str(x.pk)]).status_code == 302
    assert Incident.objects.get(pk=y.pk).status == S.APPROVED
    decision = DuplicateDecision.objects.get()
    assert ({decision.incident_a_id, decision.incident_b_id}, decision.decided_by) == ({x.pk, y.pk}, people["reviewer"])
    assert duplicates.candidates_for(x) == []
    # X, now checked against a published Y, is not held by the pair answered already.
    other = login(people["other_reviewer"])
    assert HOLD not in other.get(change_url(x)).content.decode()
    assert approve(other, x).status_code == 302


def test_once_one_is_published_the_other_is_held_until_merged(people, strike):
    x, y = strike
    assert approve(login(people["reviewer"]), x, _not_duplicate=[str(y.pk)]).status_code == 302
    DuplicateDecision.objects.all().delete()  # as if nobody had answered: Y is held by the published X
    page = login(people["other_reviewer"]).get(change_url(y)).content.decode()
    assert HOLD in page and "status-approved" in page
    assert "It may duplicate" in approve(login(people["other_reviewer"]), y).content.decode()
    # Merging instead, from the page's merge button: one incident remains, back in review for a second look.
    # X is public, so one reviewer proposes the merge and another confirms it (coding.merge_rule).
    login(people["reviewer"]).post(reverse("assist-merge", args=[y.pk, x.pk]))
    assert Incident.objects.get(pk=y.pk).merged_into_id is None
    response = login(people["other_reviewer"]).post(reverse("assist-merge", args=[y.pk, x.pk]))
    assert response.status_code == 302
    assert Incident.objects.get(pk=y.pk).merged_into_id == x.pk


def test_a_likely_duplicate_that_appeared_after_the_page_was_opened_is_not_published(people, strike):
    x, y = strike
    reviewer = login(people["reviewer"])
    data = form_data(reviewer.get(change_url(y)).content.decode(), "incident_form")
    z = make_incident(status=S.IN_REVIEW, actor1=x.actor1, coder=make_user(group="Analyst"))
    make_evidence(z)
    response = reviewer.post(change_url(y), {**data, "_workflow": "approve", "_not_duplicate": [str(x.pk)]})
    assert f"It may duplicate #{z.pk}" in response.content.decode()
    assert Incident.objects.get(pk=y.pk).status == S.IN_REVIEW
    assert not DuplicateDecision.objects.exists()  # the answer for X went with the refused approval


def test_a_draft_coding_of_the_same_strike_is_shown_but_does_not_hold_the_approval(people, strike):
    x, y = strike
    Incident.objects.filter(pk=x.pk).update(status=S.DRAFT)
    reviewer = login(people["reviewer"])
    page = reviewer.get(change_url(y)).content.decode()
    assert HOLD not in page and reverse("assist-merge", args=[y.pk, x.pk]) in page  # in the duplicates panel
    assert approve(reviewer, y).status_code == 302


def test_bulk_approval_needs_an_answer_per_held_incident(people, strike):
    x, y = strike
    loose = make_incident(status=S.IN_REVIEW, coder=people["a"], location="Hatla")
    make_evidence(loose)
    reviewer = login(people["reviewer"])
    page = reviewer.post(INCIDENTS, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [y.pk, loose.pk]})
    data = form_data(page.content.decode(), "decision-form")
    response = reviewer.post(INCIDENTS, data, follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    assert f"Not approved: #{y.pk}" in said and f"It may duplicate #{x.pk}" in said
    assert Incident.objects.get(pk=loose.pk).status == S.APPROVED
    assert Incident.objects.get(pk=y.pk).status == S.IN_REVIEW

    page = reviewer.post(INCIDENTS, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [y.pk]})
    data = {**form_data(page.content.decode(), "decision-form"), f"_not_duplicate_{y.pk}": str(x.pk)}
    reviewer.post(INCIDENTS, data)
    assert Incident.objects.get(pk=y.pk).status == S.APPROVED
    assert DuplicateDecision.objects.filter(decided_by=people["reviewer"]).count() == 1


def test_the_workflow_address_applies_the_same_rule(people, strike):
    x, y = strike
    reviewer = login(people["reviewer"])
    data = form_data(reviewer.get(change_url(y)).content.decode(), "incident_form")
    url = reverse("admin:incidents_incident_workflow", args=[y.pk])
    post = {"step": "approve", "version": str(Incident.objects.get(pk=y.pk).version),
            "_seen": data["_seen"]}
    said = " ".join(str(m) for m in reviewer.post(url, post, follow=True).context["messages"])
    assert f"It may duplicate #{x.pk}" in said and Incident.objects.get(pk=y.pk).status == S.IN_REVIEW
    reviewer.post(url, {**post, "_not_duplicate": str(x.pk)})
    assert Incident.objects.get(pk=y.pk).status == S.APPROVED


@pytest.mark.django_db(transaction=True)
def test_a_busy_database_refuses_the_approval_rather_than_skip_the_check(people, strike, monkeypatch):
    x, y = strike
    monkeypatch.setattr(duplicates, "QUICK_CHECK_MS", 200)
    params = connection.get_connection_params()
    blocker = psycopg2.connect(**{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port",
                                                                          "password")})
    try:
        with blocker.cursor() as cursor:  # the check cannot finish: it waits for this lock
            cursor.execute("LOCK TABLE incidents_duplicatedecision IN ACCESS EXCLUSIVE MODE")
        reviewer = login(people["reviewer"])
        assert "The duplicate check took too long here" in reviewer.get(change_url(y)).content.decode()
        response = approve(reviewer, y, _not_duplicate=[str(x.pk)])
        assert "The check for duplicates took too long" in response.content.decode()
        assert Incident.objects.get(pk=y.pk).status == S.IN_REVIEW
    finally:
        blocker.rollback()
        blocker.close()
    assert approve(login(people["reviewer"]), y, _not_duplicate=[str(x.pk)]).status_code == 302


def test_the_rule_holds_for_any_caller_of_the_workflow_not_only_the_pages(people, strike):
    x, y = strike
    with pytest.raises(workflow.WorkflowError, match=f"It may duplicate #{x.pk}"):
        workflow.apply("approve", y, people["reviewer"])
    workflow.apply("approve", y, people["reviewer"], not_duplicate_of={x.pk})
    assert Incident.objects.get(pk=y.pk).status == S.APPROVED


def test_an_author_answering_not_a_duplicate_for_their_own_incident_does_not_clear_the_hold(people, strike):
    """Found by an attacker session: an analyst also in the Reviewer group marked their own incident
    "not a duplicate" on the assist page, and the approving reviewer never saw the likely duplicate."""
    x, y = strike
    people["b"].groups.add(Group.objects.get(name="Reviewer"))
    author = login(people["b"])
    author.post(reverse("assist-not-duplicate", args=[y.pk, x.pk]))
    assert DuplicateDecision.objects.get().decided_by == people["b"]  # noted: the author's panel is quiet
    reviewer = login(people["reviewer"])
    assert HOLD in reviewer.get(change_url(y)).content.decode()
    response = approve(reviewer, y)
    assert f"It may duplicate #{x.pk}" in response.content.decode()
    assert Incident.objects.get(pk=y.pk).status == S.IN_REVIEW
    assert approve(reviewer, y, _not_duplicate=[str(x.pk)]).status_code == 302  # answered by a second person
    assert DuplicateDecision.objects.get().decided_by == people["reviewer"]
