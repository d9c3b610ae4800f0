"""No one person changes what the public sees, through records the public does not see yet
(four_eyes.unpublished_edits_refusal). Found by an attacker session: a reviewer renamed an actor only an
incident in review used (saved directly: the public did not see it), then approved that incident alone,
and the public saw a name no second person had looked at. Each entry point, as a browser would."""

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse

from incidents.models import Incident, Place
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_user
from incidents.tests.review.test_decide_what_you_saw import (INCIDENTS, PLACES, add_place, browser, change_url, edit,
                                                             open_confirmation, texts)
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db]
S = Incident.Status
REFUSED = "which the public does not see yet"


@pytest.fixture
def people(roles):
    return {"analyst": make_user("ana", group="Analyst"), "reviewer": make_user("rev", group="Reviewer"),
            "other": make_user("rev2", group="Reviewer")}


@pytest.fixture
def in_review(people):
    """The attack's setting: a new actor, actor 2 of an incident in review the analyst coded."""
    incident = make_incident(status=S.IN_REVIEW, coder=people["analyst"], actor2=make_actor("Atk Test Militia"))
    make_evidence(incident, article=make_article(title="Zqx clashes report"),
                  quote="Clashes were reported near the airbase")
    return incident


def public_page(incident):
    return Client().get(reverse("incident-detail", args=[incident.pk]))


def test_a_reviewer_who_renamed_an_unpublished_actor_cannot_approve_from_the_change_page(people, in_review):
    edit(people["reviewer"], in_review.actor2, name="Invented By Reviewer Alone")
    reviewer = browser(people["reviewer"])
    page = reviewer.get(change_url(in_review)).content.decode()
    assert REFUSED in page and "Invented By Reviewer Alone" in page and 'value="approve"' not in page
    data = form_data(page, "incident_form")
    page = reviewer.post(change_url(in_review), {**data, "_workflow": "approve"}, follow=True).content.decode()
    assert REFUSED in page and "another reviewer must approve" in page
    assert Incident.objects.get(pk=in_review.pk).status == S.IN_REVIEW
    assert public_page(in_review).status_code == 404


def test_the_workflow_url_refuses_the_editor_of_an_unpublished_actor(people, in_review):
    reviewer = browser(people["reviewer"])
    seen = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form")["_seen"]
    edit(people["reviewer"], in_review.actor2, name="Invented By Reviewer Alone")
    seen = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form").get("_seen", seen)
    version = str(Incident.objects.get(pk=in_review.pk).version)
    response = reviewer.post(reverse("admin:incidents_incident_workflow", args=[in_review.pk]),
                             {"step": "approve", "version": version, "_seen": seen}, follow=True)
    assert REFUSED in texts(response) and "Invented By Reviewer Alone" in texts(response)
    assert Incident.objects.get(pk=in_review.pk).status == S.IN_REVIEW


def test_bulk_approval_refuses_the_editor_and_approves_the_rest(people, in_review):
    other = make_incident(status=S.IN_REVIEW, coder=people["analyst"], actor1=make_actor("Zqx Other Group"))
    make_evidence(other)
    edit(people["reviewer"], in_review.actor2, name="Invented By Reviewer Alone")
    reviewer = browser(people["reviewer"])
    _page, data = open_confirmation(reviewer, INCIDENTS, "approve_selected", [in_review, other])
    response = reviewer.post(INCIDENTS, data, follow=True)
    assert REFUSED in texts(response) and "Invented By Reviewer Alone" in texts(response)
    assert dict(Incident.objects.values_list("pk", "status")) == {in_review.pk: S.IN_REVIEW, other.pk: S.APPROVED}


def test_a_reviewer_who_only_looked_approves_and_another_reviewer_approves_what_the_first_edited(people, in_review):
    reviewer = browser(people["reviewer"])
    assert reviewer.get(change_url(in_review.actor2)).status_code == 200  # looked, saved nothing
    data = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form")
    reviewer.post(change_url(in_review), {**data, "_workflow": "approve"})
    assert Incident.objects.get(pk=in_review.pk).status == S.APPROVED

    second = make_incident(status=S.IN_REVIEW, coder=people["analyst"], actor1=make_actor("Zqx Second Front"))
    make_evidence(second)
    edit(people["reviewer"], second.actor1, name="Zqx Second Front Renamed")
    other = browser(people["other"])
    data = form_data(other.get(change_url(second)).content.decode(), "incident_form")
    other.post(change_url(second), {**data, "_workflow": "approve"})
    assert Incident.objects.get(pk=second.pk).status == S.APPROVED
    assert "Zqx Second Front Renamed" in public_page(second).content.decode()


@pytest.mark.parametrize("kind", ["associated actor", "article", "outlet", "place"])
def test_every_record_the_approval_publishes_counts(people, in_review, kind):
    if kind == "place":  # only Administrators add and change places
        people["reviewer"] = make_user("boss", group="Administrator")
    if kind == "associated actor":
        associate = make_actor("Zqx Helpers")
        in_review.assoc_actors_2.add(associate)
        edit(people["reviewer"], associate, name="Zqx Helpers Renamed")
    elif kind == "article":
        edit(people["reviewer"], in_review.evidence.get().article, title="Zqx clashes report, retitled")
    elif kind == "outlet":
        edit(people["reviewer"], in_review.evidence.get().article.source, name="Zqx Invented Outlet")
    else:
        place = add_place(make_user(group="Administrator"), "Zqxnewtown")
        Incident.objects.filter(pk=in_review.pk).update(place=place)
        edit(people["reviewer"], place, point=Point(40.3, 35.3, srid=4326).geojson)
    reviewer = browser(people["reviewer"])
    data = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form")
    page = reviewer.post(change_url(in_review), {**data, "_workflow": "approve"}, follow=True).content.decode()
    assert REFUSED in page
    assert Incident.objects.get(pk=in_review.pk).status == S.IN_REVIEW


def test_a_place_the_lister_changed_is_listed_only_by_another_reviewer(roles):
    adder, editor, third = (make_user(group="Administrator") for _ in range(3))
    place = add_place(adder, "Zqxnewtown")
    edit(editor, place, name="Zqxnewtown East")
    client = browser(editor)
    _page, data = open_confirmation(client, PLACES, "list_selected_publicly", [place])
    assert REFUSED in texts(client.post(PLACES, data, follow=True))
    assert not Place.objects.get(pk=place.pk).listed
    client = browser(third)
    _page, data = open_confirmation(client, PLACES, "list_selected_publicly", [place])
    client.post(PLACES, data)
    assert Place.objects.get(pk=place.pk).listed


def test_the_review_queue_does_not_offer_the_editor_an_incident_they_may_not_approve(people, in_review):
    """Found by a newcomer session: the queue listed the incident as waiting for this reviewer's review,
    and only the approve button refused. The queue now uses the same rule and says why."""
    edit(people["reviewer"], in_review.actor2, name="Invented By Reviewer Alone")
    page = browser(people["reviewer"]).get(reverse("work-review"))
    listed = {incident.pk for incident in page.context["page"]}
    assert in_review.pk not in listed and page.context["waiting"] == 0 and page.context["yours"] == 1
    held = page.content.decode().split('class="held-by-your-edits"')[1]
    assert f"#{in_review.pk}" in held and REFUSED in held and "Invented By Reviewer Alone" in held
    # Another reviewer has it in their queue, and may approve it.
    page = browser(people["other"]).get(reverse("work-review"))
    assert in_review.pk in {incident.pk for incident in page.context["page"]}
    assert 'class="held-by-your-edits"' not in page.content.decode()
