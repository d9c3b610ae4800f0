"""Holes an attacker session found in the four-eyes rule on public records, each closed as a kind:
no-op saves, records of an incident off the site for re-review, new places and areas, account
management by Administrators, and how many proposals an analyst is told about."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone

from incidents.models import AdminArea, Article, Incident, Place, ProposedChange
from incidents.review import public_records
from incidents.tests.factories import AIRBASE, make_actor, make_article, make_evidence, make_incident, make_user
from incidents.tests.formdata import form_data
from incidents.tests.review.test_proposed_changes import change_url, decide, post_change

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def published(roles):
    incident = make_incident(published_at=timezone.now())
    evidence = make_evidence(incident, article=make_article(title="Clashes near the airbase"),
                             quote="Clashes were reported near the airbase")
    return {"incident": incident, "evidence": evidence, "article": evidence.article}


def test_posting_an_evidence_page_back_unchanged_leaves_the_incident_published(client, published):
    evidence, incident = published["evidence"], published["incident"]
    client.force_login(make_user(group="Analyst"))
    url = reverse("admin:incidents_evidence_change", args=[evidence.pk])
    data = form_data(client.get(url).content.decode(), "evidence_form")
    page = client.post(url, data, follow=True).content.decode()
    assert "errorlist" not in page
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.APPROVED
    assert client.get(reverse("incident-detail", args=[incident.pk])).status_code == 200


def test_posting_an_article_page_back_unchanged_leaves_its_incident_published(client, published):
    page = post_change(client, make_user(group="Analyst"), published["article"]).content.decode()
    assert "errorlist" not in page
    assert Incident.objects.get(pk=published["incident"].pk).status == Incident.Status.APPROVED


def test_a_changed_quote_still_sends_the_incident_back_to_review(client, published):
    evidence = published["evidence"]
    client.force_login(make_user(group="Analyst"))
    url = reverse("admin:incidents_evidence_change", args=[evidence.pk])
    data = form_data(client.get(url).content.decode(), "evidence_form")
    page = client.post(url, {**data, "quote": evidence.quote[:20], "end": evidence.start + 20}, follow=True)
    assert "errorlist" not in page.content.decode()
    assert Incident.objects.get(pk=published["incident"].pk).status == Incident.Status.IN_REVIEW


def test_records_of_an_incident_off_the_site_for_re_review_still_need_a_proposal(client, published):
    incident, article = published["incident"], published["article"]
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.IN_REVIEW, withdrawn_at=timezone.now())
    assert public_records.shown_publicly(article) and public_records.shown_publicly(incident.actor1)
    post_change(client, make_user(group="Analyst"), article, title="A title nobody reviewed")
    assert Article.objects.get(pk=article.pk).title == "Clashes near the airbase"
    assert ProposedChange.objects.get().changes["title"]["after"] == "A title nobody reviewed"


def test_records_of_a_merged_incident_are_not_public(roles):
    kept = make_incident(status=Incident.Status.DRAFT)
    merged = make_incident(published_at=timezone.now(), merged_into=kept, actor1=make_actor("Only here"))
    assert not public_records.shown_publicly(merged.actor1)


def test_a_place_added_in_the_admin_is_public_only_once_an_approved_incident_uses_it(client, roles):
    admin_user = make_user(group="Administrator")
    client.force_login(admin_user)
    data = form_data(client.get(reverse("admin:incidents_place_add")).content.decode(), "place_form")
    client.post(reverse("admin:incidents_place_add"),
                {**data, "name": "Zqxnewtown", "point": Point(40.2, 35.3, srid=4326).geojson}, follow=True)
    place = Place.objects.get(name="Zqxnewtown")
    assert not place.listed and not public_records.shown_publicly(place)
    assert not Place.objects.public().filter(pk=place.pk).exists()
    post_change(client, admin_user, place, name="Zqxrenamed")  # not public: saved directly
    assert Place.objects.get(pk=place.pk).name == "Zqxrenamed" and not ProposedChange.objects.exists()

    draft = make_incident(status=Incident.Status.DRAFT, place=place)
    assert not public_records.shown_publicly(place)
    Incident.objects.filter(pk=draft.pk).update(status=Incident.Status.APPROVED)
    assert public_records.shown_publicly(place) and Place.objects.public().filter(pk=place.pk).exists()


def test_loaded_places_stay_public(roles):
    place = Place.objects.create(name="Loaded town", point=AIRBASE)
    assert place.listed and public_records.shown_publicly(place)


def test_admin_areas_are_not_added_in_the_admin(client, roles):
    client.force_login(make_user(group="Administrator"))
    before = AdminArea.objects.count()
    page = client.get(reverse("admin:incidents_adminarea_add"), follow=True).content.decode()
    assert "added only by the server&#x27;s operator" in page
    assert AdminArea.objects.count() == before
    changelist = client.get(reverse("admin:incidents_adminarea_changelist")).content.decode()
    assert reverse("admin:incidents_adminarea_add") not in changelist


def test_administrators_cannot_manage_accounts_or_groups(client, roles):
    administrator = make_user(group="Administrator")
    for codename in ("add_user", "change_user", "delete_user", "add_group", "change_group", "delete_group"):
        assert not administrator.has_perm(f"auth.{codename}")
    assert not Group.objects.get(name="Administrator").permissions.filter(
        content_type__app_label="auth", codename__in=["add_user", "change_user"]).exists()
    client.force_login(administrator)
    assert client.get(reverse("admin:auth_user_add")).status_code == 403


def test_an_analyst_is_told_only_of_their_own_pending_proposals(client, roles):
    actor = make_actor("Zqx public militia")
    make_incident(actor1=actor)
    other, analyst = make_user(group="Analyst"), make_user(group="Analyst")
    post_change(client, other, actor, name="Zqx renamed by another")
    page = client.get(change_url(actor)).content.decode()
    assert "proposed change waits" in page  # the proposer sees theirs
    client.force_login(analyst)
    page = client.get(change_url(actor)).content.decode()
    assert "proposed change waits" not in page and "proposed changes wait" not in page
    reviewer = make_user(group="Reviewer")
    client.force_login(reviewer)
    assert "1 proposed change waits" in client.get(change_url(actor)).content.decode()
    decide(client, reviewer, ProposedChange.objects.get(), _approve="1")



def test_posting_an_incident_page_back_unchanged_leaves_it_published(client, published):
    incident = published["incident"]
    page = post_change(client, make_user(group="Analyst"), incident).content.decode()
    assert "errorlist" not in page
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.APPROVED


def operator_and_account_they_made(client):
    """(a superuser, a Reviewer account "sock" that superuser created in the admin's add-user page)."""
    operator = make_user(is_superuser=True)
    client.force_login(operator)
    client.post(reverse("admin:auth_user_add"), {"username": "sock", "password1": "x-Long-pass-9173",
                                                 "password2": "x-Long-pass-9173", "usable_password": "true"})
    sock = type(operator).objects.get(username="sock")
    sock.groups.add(Group.objects.get(name="Reviewer"))
    return operator, sock

def test_an_account_the_proposer_made_cannot_decide_their_proposal(client, roles):
    from incidents.models import Actor
    from incidents.review import proposals

    actor = make_actor("Zqx public militia")
    make_incident(actor1=actor)
    operator, sock = operator_and_account_they_made(client)
    proposal = proposals.propose(actor, {"name": "Zqx renamed"}, operator)
    with pytest.raises(proposals.ProposalRefused, match="created your account"):
        proposals.approve(proposal, type(operator).objects.get(pk=sock.pk))
    other = make_user(group="Reviewer")
    proposals.approve(proposal, other)
    assert Actor.objects.get(pk=actor.pk).name == "Zqx renamed"



def test_the_maker_of_the_proposers_account_cannot_decide_their_proposal(client, roles):
    # The other direction (an attacker session, with a merge): propose through an account you made, then
    # decide as yourself.
    from incidents.models import Actor
    from incidents.review import proposals

    actor = make_actor("Zqx public militia")
    make_incident(actor1=actor)
    operator, sock = operator_and_account_they_made(client)
    proposal = proposals.propose(actor, {"name": "Zqx renamed"}, sock)
    with pytest.raises(proposals.ProposalRefused, match="You created the account of sock"):
        proposals.approve(proposal, operator)
    assert Actor.objects.get(pk=actor.pk).name == "Zqx public militia"
    proposals.approve(proposal, make_user(group="Reviewer"))
    assert Actor.objects.get(pk=actor.pk).name == "Zqx renamed"

def test_the_public_search_reads_only_public_places_spellings(roles):
    from incidents.public.search import incidents_matching_words

    hamlet = Place.objects.create(name="Zqxhamlet", variants=["Zqxvariant"], point=AIRBASE, listed=False)
    mentioned = make_incident(notes="Shelling reported in Zqxvariant.")
    assert not incidents_matching_words(Incident.objects.published(), "Zqxhamlet").exists()
    # The admin's search reads every place; once an approved incident uses it, so does the public's.
    assert list(incidents_matching_words(Incident.objects.all(), "Zqxhamlet", public_places=False)) == [mentioned]
    make_incident(place=hamlet)
    assert mentioned in incidents_matching_words(Incident.objects.published(), "Zqxhamlet")


@pytest.mark.parametrize("second_group", ["Administrator", "Reviewer"])
def test_a_second_reviewer_lists_a_new_place(client, roles, second_group):
    # A Reviewer, who cannot change places, may still list one (with one Administrator, as in the demo,
    # no place could be listed before); an Analyst may not.
    adder, second = make_user(group="Administrator"), make_user(group=second_group)
    client.force_login(adder)
    data = form_data(client.get(reverse("admin:incidents_place_add")).content.decode(), "place_form")
    client.post(reverse("admin:incidents_place_add"),
                {**data, "name": "Zqxnewtown", "point": Point(40.2, 35.3, srid=4326).geojson}, follow=True)
    place = Place.objects.get(name="Zqxnewtown")
    action = {"action": "list_selected_publicly", "_selected_action": [place.pk]}
    # The action shows the places first; the listing is confirmed on that page (its form, as shown).
    confirm = form_data(client.post(reverse("admin:incidents_place_changelist"), action).content.decode(),
                        "decision-form")
    page = client.post(reverse("admin:incidents_place_changelist"), confirm, follow=True).content.decode()
    assert "another reviewer must list it" in page and not Place.objects.get(pk=place.pk).listed
    client.force_login(second)
    confirm = form_data(client.post(reverse("admin:incidents_place_changelist"), action).content.decode(),
                        "decision-form")
    client.post(reverse("admin:incidents_place_changelist"), confirm, follow=True)
    place.refresh_from_db()
    assert place.listed and public_records.shown_publicly(place)
    assert place.history.latest().history_user == second


def test_an_analyst_is_not_offered_the_listing(client, roles):
    Place.objects.create(name="Zqxhamlet", point=AIRBASE, listed=False)
    client.force_login(make_user(group="Analyst"))
    page = client.get(reverse("admin:incidents_place_changelist")).content.decode()
    assert "list_selected_publicly" not in page
    client.force_login(make_user(group="Reviewer"))
    assert "list_selected_publicly" in client.get(reverse("admin:incidents_place_changelist")).content.decode()


def test_a_place_an_import_creates_is_public_only_once_an_approved_incident_uses_it(roles):
    # Found by an attacker session: an analyst's ACLED import put a new place on the public map at once.
    import csv

    from django.conf import settings

    from incidents.intake.acled_import import check_rows, import_rows
    from incidents.models import Incident, Place
    from incidents.review.public_records import shown_publicly

    with open(settings.BASE_DIR / "fixtures" / "acled_sample.csv", encoding="utf-8") as file:
        header, row = list(csv.reader(file))[:2]
    row[header.index("event_id_cnty")], row[header.index("location")] = "SYR900077", "Zqxville"
    row[header.index("latitude")], row[header.index("longitude")] = "35.5", "39.9"
    import_rows(check_rows(header, [(2, row)]), user=make_user("solo", group="Analyst"))
    place = Place.objects.get(name="Zqxville")
    assert not place.listed and not shown_publicly(place)
    assert not Place.objects.public().filter(pk=place.pk).exists()
    Incident.objects.filter(event_id_cnty="SYR900077").update(status=Incident.Status.APPROVED)
    assert Place.objects.public().filter(pk=place.pk).exists()
