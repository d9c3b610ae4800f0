"""A second person's decision applies to exactly what they saw, and never to work of whoever made their
account (incidents.review.four_eyes). Found by an attacker session: an analyst renamed an actor, or moved
a new place, between the reviewer opening the page and pressing approve or list; the public then saw what
no second person had looked at. Each entry point is used as a browser would, with the race in between."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse

from incidents.models import Actor, Evidence, Incident, Place
from incidents.review import four_eyes, workflow
from incidents.tests.factories import AIRBASE, make_actor, make_evidence, make_incident, make_user
from incidents.tests.formdata import change_url, form_data

pytestmark = [pytest.mark.django_db]
S = Incident.Status
INCIDENTS = reverse("admin:incidents_incident_changelist")
PLACES = reverse("admin:incidents_place_changelist")


def browser(user):
    client = Client()
    client.force_login(user)
    return client




def edit(user, record, **change):
    """`user` saves `record`'s admin page with `change` typed in (a second browser)."""
    client = browser(user)
    data = form_data(client.get(change_url(record)).content.decode(), f"{record._meta.model_name}_form")
    data.update(change)
    response = client.post(change_url(record), data, follow=True)
    assert "errornote" not in response.content.decode(), "the edit itself was refused"


def texts(response):
    return " ".join(str(m) for m in response.context["messages"])


def open_confirmation(client, changelist, action, records):
    """Choose the bulk action: the page that shows each record as it is now, and its form's data."""
    page = client.post(changelist, {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in records]})
    assert page.status_code == 200
    return page.content.decode(), form_data(page.content.decode(), "decision-form")


@pytest.fixture
def people(roles):
    return {"analyst": make_user("ana", group="Analyst"), "reviewer": make_user("rev", group="Reviewer")}


@pytest.fixture
def in_review(people):
    """An incident in review whose actor no published incident uses yet: the analyst may rename it directly."""
    actor = make_actor("Zqx Brigade")
    incident = make_incident(status=S.IN_REVIEW, coder=people["analyst"], actor1=actor)
    make_evidence(incident, quote="Clashes were reported near the airbase")
    return incident


# -- approving an incident: the change page's button --

def test_an_actor_renamed_after_the_reviewer_opened_the_incident_is_not_published(people, in_review):
    reviewer = browser(people["reviewer"])
    data = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form")
    edit(people["analyst"], in_review.actor1, name="Zqx Renamed Front")
    response = reviewer.post(change_url(in_review), {**data, "_workflow": "approve"})
    page = response.content.decode()
    assert response.status_code == 200 and "Changed since you opened it" in page
    assert "Zqx Brigade" in page and "Name" in page  # which record, which field
    assert Incident.objects.get(pk=in_review.pk).status == S.IN_REVIEW
    assert "Zqx Renamed Front" not in Client().get(reverse("incident-detail", args=[in_review.pk])).content.decode()
    # Reloaded, the reviewer sees the new name and may approve that.
    data = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form")
    assert reviewer.post(change_url(in_review), {**data, "_workflow": "approve"}).status_code == 302
    assert Incident.objects.get(pk=in_review.pk).status == S.APPROVED


def test_a_new_place_moved_after_the_reviewer_opened_the_incident_is_refused(people, in_review):
    place = Place.objects.create(name="Zqxhamlet", point=AIRBASE, listed=False)
    Incident.objects.filter(pk=in_review.pk).update(place=place)
    reviewer = browser(people["reviewer"])
    data = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form")
    # Not public: saved directly. 300 m: no distance warning on the form.
    Place.objects.filter(pk=place.pk).update(point=Point(AIRBASE.x + 0.003, AIRBASE.y, srid=4326))
    page = reviewer.post(change_url(in_review), {**data, "_workflow": "approve"}).content.decode()
    assert "Changed since you opened it" in page and "Zqxhamlet" in page and "Point" in page
    assert Incident.objects.get(pk=in_review.pk).status == S.IN_REVIEW


def test_a_quote_changed_after_the_reviewer_opened_the_incident_is_refused(people, in_review):
    reviewer = browser(people["reviewer"])
    data = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form")
    Evidence.objects.filter(incident=in_review).update(quote="Clashes were reported")
    page = reviewer.post(change_url(in_review), {**data, "_workflow": "approve"}).content.decode()
    assert "Changed since you opened it" in page and "Quote" in page
    assert Incident.objects.get(pk=in_review.pk).status == S.IN_REVIEW


def test_an_approval_posted_without_what_the_page_showed_is_refused(people, in_review):
    reviewer = browser(people["reviewer"])
    data = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form")
    data.pop("_seen")
    page = reviewer.post(change_url(in_review), {**data, "_workflow": "approve"}).content.decode()
    assert "did not say what it showed you" in page
    assert Incident.objects.get(pk=in_review.pk).status == S.IN_REVIEW


# -- approving an incident: the workflow URL --

def test_the_workflow_url_needs_what_the_page_showed_and_refuses_a_stale_one(people, in_review):
    reviewer = browser(people["reviewer"])
    url = reverse("admin:incidents_incident_workflow", args=[in_review.pk])
    version = str(Incident.objects.get(pk=in_review.pk).version)
    for bad in ("", "forged", four_eyes.token(four_eyes.shown(in_review))[:-3] + "abc"):
        response = reviewer.post(url, {"step": "approve", "version": version, "_seen": bad})
        assert response.status_code == 400 and b"_seen" in response.content
    seen = form_data(reviewer.get(change_url(in_review)).content.decode(), "incident_form")["_seen"]
    edit(people["analyst"], in_review.actor1, aliases="Zqx alias")
    response = reviewer.post(url, {"step": "approve", "version": version, "_seen": seen}, follow=True)
    assert "Changed since you opened it" in texts(response) and "Aliases" in texts(response)
    assert Incident.objects.get(pk=in_review.pk).status == S.IN_REVIEW


# -- approving incidents in bulk --

def test_bulk_approval_shows_each_incident_and_refuses_one_changed_since(people, in_review):
    other = make_incident(status=S.IN_REVIEW, coder=people["analyst"], actor1=make_actor("Zqx Other Group"))
    reviewer = browser(people["reviewer"])
    page, data = open_confirmation(reviewer, INCIDENTS, "approve_selected", [in_review, other])
    assert "Zqx Brigade" in page and "Clashes were reported near the airbase" in page
    assert Incident.objects.filter(status=S.APPROVED).count() == 0  # nothing approved by choosing the action
    edit(people["analyst"], in_review.actor1, name="Zqx Renamed Front")
    response = reviewer.post(INCIDENTS, data, follow=True)
    assert f"#{in_review.pk}" in texts(response) and "Zqx Brigade" in texts(response)
    assert dict(Incident.objects.values_list("pk", "status")) == {in_review.pk: S.IN_REVIEW, other.pk: S.APPROVED}


def test_bulk_approval_without_the_confirmation_page_approves_nothing(people, in_review):
    reviewer = browser(people["reviewer"])
    response = reviewer.post(INCIDENTS, {"action": "approve_selected", ACTION_CHECKBOX_NAME: [in_review.pk],
                                         "apply": "yes", f"_seen_{in_review.pk}": "forged"}, follow=True)
    assert "did not say what it showed you" in texts(response)
    assert Incident.objects.get(pk=in_review.pk).status == S.IN_REVIEW


# -- who may decide: not an account made by whoever did the work --

@pytest.fixture
def sock(people):
    """An account the superuser `boss` made in the admin, given the Reviewer role."""
    boss = make_user("boss", is_superuser=True)
    browser(boss).post(reverse("admin:auth_user_add"), {"username": "sock", "password1": "x-Long-pass-9173",
                                                        "password2": "x-Long-pass-9173", "usable_password": "true"})
    sock = type(boss).objects.get(username="sock")
    type(boss).objects.filter(pk=sock.pk).update(is_staff=True)
    sock.groups.add(Group.objects.get(name="Reviewer"))
    return {"boss": boss, "sock": type(boss).objects.get(pk=sock.pk)}


def test_an_account_the_coder_made_cannot_approve_the_incident(people, sock):
    incident = make_incident(status=S.IN_REVIEW, coder=sock["boss"])
    make_evidence(incident)
    client = browser(sock["sock"])
    page = client.get(change_url(incident)).content.decode()
    assert "boss created your account" in page and 'value="approve"' not in page
    assert incident not in workflow.reviewable_by(sock["sock"])
    _page, data = open_confirmation(client, INCIDENTS, "approve_selected", [incident])
    assert "boss created your account" in texts(client.post(INCIDENTS, data, follow=True))
    assert Incident.objects.get(pk=incident.pk).status == S.IN_REVIEW
    assert incident in workflow.reviewable_by(people["reviewer"])


def test_an_account_the_adder_made_cannot_list_the_place(people, sock):
    place = add_place(sock["boss"], "Zqxbossville")
    client = browser(sock["sock"])
    sock["sock"].groups.add(Group.objects.get(name="Administrator"))
    _page, data = open_confirmation(client, PLACES, "list_selected_publicly", [place])
    assert "boss created your account" in texts(client.post(PLACES, data, follow=True))
    assert not Place.objects.get(pk=place.pk).listed


# -- listing a place publicly --

def add_place(user, name):
    client = browser(user)
    data = form_data(client.get(reverse("admin:incidents_place_add")).content.decode(), "place_form")
    client.post(reverse("admin:incidents_place_add"),
                {**data, "name": name, "point": Point(40.2, 35.3, srid=4326).geojson}, follow=True)
    return Place.objects.get(name=name)


def test_a_place_renamed_after_the_reviewer_saw_it_is_not_listed(roles):
    adder, second = make_user(group="Administrator"), make_user(group="Administrator")
    place = add_place(adder, "Zqxnewtown")
    client = browser(second)
    page, data = open_confirmation(client, PLACES, "list_selected_publicly", [place])
    assert "Zqxnewtown" in page and "35.30000, 40.20000" in page and not Place.objects.get(pk=place.pk).listed
    edit(adder, place, name="Zqxothertown")
    response = client.post(PLACES, data, follow=True)
    assert "Changed since you opened it" in texts(response) and "Zqxnewtown" in texts(response)
    assert not Place.objects.get(pk=place.pk).listed
    _page, data = open_confirmation(client, PLACES, "list_selected_publicly", [place])  # seen again: listed
    client.post(PLACES, data)
    assert Place.objects.get(pk=place.pk).listed


def test_listing_posted_without_the_confirmation_page_lists_nothing(roles):
    place = add_place(make_user(group="Administrator"), "Zqxhandmade")
    client = browser(make_user(group="Administrator"))
    response = client.post(PLACES, {"action": "list_selected_publicly", ACTION_CHECKBOX_NAME: [place.pk],
                                    "apply": "yes"}, follow=True)
    assert "did not say what it showed you" in texts(response)
    assert not Place.objects.get(pk=place.pk).listed


# -- proposals: the same comparison and the same "who" --

def test_a_proposal_is_refused_when_the_record_changed_and_by_an_account_the_proposer_made(people, sock):
    from incidents.review import proposals

    actor = make_actor("Zqx public militia")
    make_incident(actor1=actor)
    proposal = proposals.propose(actor, {"name": "Zqx renamed"}, sock["boss"])
    assert proposal not in proposals.decidable_by(sock["sock"])
    response = browser(sock["sock"]).post(reverse("admin:incidents_proposedchange_change", args=[proposal.pk]),
                                          {"_approve": "1"}, follow=True)
    assert "boss created your account" in texts(response)
    Actor.objects.filter(pk=actor.pk).update(name="Zqx meanwhile")
    response = browser(people["reviewer"]).post(
        reverse("admin:incidents_proposedchange_change", args=[proposal.pk]), {"_approve": "1"}, follow=True)
    assert "changed since this change was proposed" in texts(response)
    assert Actor.objects.get(pk=actor.pk).name == "Zqx meanwhile"


# -- settling a double coding: the same "who" --

def test_an_account_a_coder_made_cannot_settle_their_double_coding(people, sock):
    from incidents.models import CodedUnit
    from incidents.review import double_coding as dc
    from incidents.tests.factories import make_article
    from incidents.tests.review.double_coding_fixture import code, define_double_coding_groups

    define_double_coding_groups()
    article = make_article(text="Clashes were reported near Hajin on Sunday; two fighters died.")
    coding = dc.mark_articles([article.pk], make_user("coord", group="Coordinator"))[0]
    coded = {"quote": "Clashes were reported", "date": "2017-10-01", "event_type": "Battles",
             "sub_event_type": "Armed clash", "actor1": "Islamic State (Syria)", "actor2": None,
             "location": "Hajin", "lon": 40.8289, "lat": 34.6939, "fatalities": 2}
    code(article, sock["boss"], coded)
    code(article, people["analyst"], {**coded, "fatalities": 3})
    dc.submit_coding(coding, sock["boss"])
    dc.submit_coding(coding, people["analyst"])
    unit = CodedUnit.objects.get(double_coding=coding)
    assert not dc.open_units_for(sock["sock"]).filter(pk=unit.pk).exists()
    client = browser(sock["sock"])
    url = reverse("work-double-coding-settle", args=[coding.pk])
    response = client.post(url, {"unit": unit.pk, "choice": "a"}, follow=True)
    assert "boss created your account" in texts(response)
    assert CodedUnit.objects.get(pk=unit.pk).chosen == CodedUnit.Choice.OPEN
    assert dc.open_units_for(people["reviewer"]).filter(pk=unit.pk).exists()


# -- the race inside the decision: a rename that arrives while an approval is being written --

@pytest.mark.django_db(transaction=True)
def test_a_rename_during_the_approval_waits_and_then_becomes_a_proposal(roles):
    import threading
    import time

    from django.db import connection, transaction

    from incidents.models import ProposedChange

    analyst, reviewer = make_user("ana2", group="Analyst"), make_user("rev2", group="Reviewer")
    actor = make_actor("Zqx Race Brigade")
    incident = make_incident(status=S.IN_REVIEW, coder=analyst, actor1=actor)
    make_evidence(incident)
    analysts_page = browser(analyst)
    data = form_data(analysts_page.get(change_url(actor)).content.decode(), "actor_form")  # read before: not public
    done = []

    def rename():
        try:
            done.append(analysts_page.post(change_url(actor), {**data, "name": "Zqx Renamed Meanwhile"}).status_code)
        finally:
            connection.close()

    with transaction.atomic():  # the reviewer's approval, not yet committed
        workflow.apply("approve", incident, reviewer, seen=four_eyes.shown(incident))
        thread = threading.Thread(target=rename)
        thread.start()
        time.sleep(1.5)
        assert thread.is_alive(), "the rename did not wait for the approval"
    thread.join(30)
    assert done == [302]
    assert Actor.objects.get(pk=actor.pk).name == "Zqx Race Brigade"  # the public sees what was approved
    assert ProposedChange.objects.filter(object_id=actor.pk, status="pending").count() == 1
