"""Four-eyes for the records the public sees (incidents.review.proposals): a change one person saves
waits as a proposal, the public keeps the old values, and only a second reviewer applies it."""

import csv
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from incidents.intake.acled_import import import_rows
from incidents.intake.acled_checks import check_rows
from incidents.models import Actor, Place, ProposedChange
from incidents.review import proposals
from incidents.tests.factories import AIRBASE, make_actor, make_article, make_evidence, make_incident, make_user
from incidents.tests.formdata import change_url, form_data, post_change

pytestmark = [pytest.mark.django_db]
OLD, NEW = "Islamic State (Syria)", "ZQXRENAMED Islamic State"


@pytest.fixture
def published(roles):
    actor = make_actor(OLD, aliases=["ISIS"])
    incident = make_incident(actor1=actor)
    make_evidence(incident, article=make_article(title="Clashes near the airbase"))
    return {"actor": actor, "incident": incident}






def decide(client, user, proposal, **post):
    client.force_login(user)
    return client.post(reverse("admin:incidents_proposedchange_change", args=[proposal.pk]), post, follow=True)


def public_sees(client, incident):
    """The incident's public page, the CSV export and the actor picker, as one text."""
    client.logout()
    csv = b"".join(client.get(reverse("export-incidents-csv")).streaming_content).decode()
    picker = client.get(reverse("api-actors"), {"q": "Islamic"}).content.decode("unicode_escape")
    return client.get(reverse("incident-detail", args=[incident.pk])).content.decode() + csv + picker


def test_a_reviewers_rename_waits_until_a_second_reviewer_approves(client, published):
    actor, incident = published["actor"], published["incident"]
    first, second = make_user(group="Reviewer"), make_user(group="Reviewer")
    page = post_change(client, first, actor, name=NEW, proposal_note="ACLED's new spelling").content.decode()
    assert "Your change is waiting for a second reviewer; the public still sees the old value." in page
    assert Actor.objects.get(pk=actor.pk).name == OLD
    text = public_sees(client, incident)
    assert OLD in text and NEW not in text

    proposal = ProposedChange.objects.get()
    assert proposal.changes == {"name": {"before": OLD, "after": NEW}} and proposal.note == "ACLED's new spelling"
    assert proposal.proposed_by == first and proposal.status == "pending"

    decide(client, second, proposal, _approve="1")
    assert Actor.objects.get(pk=actor.pk).name == NEW
    text = public_sees(client, incident)
    assert NEW in text and OLD not in text  # page, export lines and actor counts recomputed as for any save
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.decided_by == second


def test_the_proposer_cannot_approve_their_own_change(client, published):
    actor, reviewer = published["actor"], make_user(group="Reviewer")
    post_change(client, reviewer, actor, name=NEW)
    proposal = ProposedChange.objects.get()
    page = decide(client, reviewer, proposal, _approve="1").content.decode()
    assert "You proposed this change, so another reviewer must decide on it" in page
    assert Actor.objects.get(pk=actor.pk).name == OLD
    assert ProposedChange.objects.get().status == "pending"
    with pytest.raises(proposals.ProposalRefused):
        proposals.reject(proposal, reviewer, "changed my mind")

    # The database refuses it too, whatever code path tries.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposedChange.objects.filter(pk=proposal.pk).update(status="approved", decided_by=reviewer,
                                                             decided_at=timezone.now())


def test_an_analyst_cannot_decide_and_a_proposal_is_not_applied_twice(client, published):
    analyst, reviewer, other = make_user(group="Analyst"), make_user(group="Reviewer"), make_user(group="Reviewer")
    proposal = proposals.propose(published["actor"], {"name": NEW}, reviewer)
    with pytest.raises(proposals.ProposalRefused, match="Only reviewers"):
        proposals.approve(proposal, analyst)
    proposals.approve(proposal, other)
    with pytest.raises(proposals.ProposalRefused, match="already"):
        proposals.approve(proposal, other)


def test_a_stale_proposal_is_refused_and_nothing_applied(client, published):
    actor = published["actor"]
    first, second, third = (make_user(group="Reviewer") for _ in range(3))
    stale = proposals.propose(actor, {"name": NEW, "aliases": ["ISIS", "Daesh"]}, first)
    meanwhile = proposals.propose(actor, {"name": "Islamic State"}, second)
    proposals.approve(meanwhile, third)

    page = decide(client, third, stale, _approve="1").content.decode()
    assert "The record was changed since this change was proposed (Name)" in page
    actor.refresh_from_db()
    assert actor.name == "Islamic State" and actor.aliases == ["ISIS"]  # not even the aliases
    assert ProposedChange.objects.get(pk=stale.pk).status == "pending"
    assert "Changed since the proposal; now: Islamic State" in client.get(
        reverse("admin:incidents_proposedchange_change", args=[stale.pk])).content.decode()

    page = decide(client, third, stale, _reject="1", rejection_reason="").content.decode()
    assert "A rejection needs a reason" in page
    decide(client, third, stale, _reject="1", rejection_reason="Overtaken by the rename")
    assert ProposedChange.objects.get(pk=stale.pk).status == "rejected"


def test_an_analysts_proposal_is_approved_by_a_reviewer_and_history_shows_both(client, published):
    actor = published["actor"]
    analyst, reviewer = make_user(username="ana", group="Analyst"), make_user(username="rev", group="Reviewer")
    page = post_change(client, analyst, actor, aliases="ISIS, Daesh").content.decode()
    assert "waiting for a second reviewer" in page
    assert Actor.objects.get(pk=actor.pk).aliases == ["ISIS"]
    proposal = ProposedChange.objects.get()

    client.force_login(reviewer)
    listed = client.get(reverse("admin:incidents_proposedchange_changelist"), follow=True).content.decode()
    assert actor.name in listed
    page = client.get(change_url(actor)).content.decode()
    assert "1 proposed change waits for a second reviewer." in page
    link = re.search(r'href="([^"]*proposedchange/\?[^"]*)"', page).group(1).replace("&amp;", "&")
    assert f"/admin/incidents/proposedchange/{proposal.pk}/change/" in client.get(link).content.decode()
    shown = client.get(reverse("admin:incidents_proposedchange_change", args=[proposal.pk])).content.decode()
    assert '<td class="was" dir="auto"><del>ISIS</del></td><td class="now" dir="auto"><ins>ISIS, Daesh</ins>' in shown
    # Counted where reviewers look for work.
    assert "1 change to a public record waits for your decision" in client.get(reverse("admin:index")).content.decode()
    assert "proposed changes to public records" in client.get(reverse("work-review")).content.decode()

    decide(client, reviewer, proposal, _approve="1")
    assert Actor.objects.get(pk=actor.pk).aliases == ["ISIS", "Daesh"]
    latest = actor.history.latest()
    assert latest.history_user == reviewer
    assert latest.history_change_reason == "Proposed by ana, approved by rev"
    history = client.get(reverse("admin:incidents_actor_history", args=[actor.pk])).content.decode()
    assert "Proposed by ana, approved by rev" in history


def test_a_places_point_is_proposed_and_applied(client, roles):
    place = Place.objects.create(name="Test town", point=AIRBASE)
    first, second = make_user(group="Administrator"), make_user(group="Administrator")
    moved = Point(40.2, 35.3, srid=4326)
    page = post_change(client, first, place, point=moved.geojson).content.decode()
    assert "waiting for a second reviewer" in page
    assert Place.objects.get(pk=place.pk).point.equals_exact(AIRBASE, 1e-9)
    proposal = ProposedChange.objects.get()
    assert set(proposal.changes) == {"point"}

    shown = client.get(reverse("admin:incidents_proposedchange_change", args=[proposal.pk])).content.decode()
    assert "35.30000 N, 40.20000 E" in re.sub(r"</?(ins|del)>", "", shown)
    decide(client, second, proposal, _approve="1")
    assert Place.objects.get(pk=place.pk).point.equals_exact(moved, 1e-9)
    assert place.history.latest().history_user == second


def test_unpublished_records_stay_directly_editable(client, roles):
    analyst = make_user(group="Analyst")
    actor = make_actor("Unpublished militia")
    make_incident(status="draft", actor1=actor)
    page = post_change(client, analyst, actor, name="Renamed militia").content.decode()
    assert "waiting for a second reviewer" not in page
    assert Actor.objects.get(pk=actor.pk).name == "Renamed militia"
    assert not ProposedChange.objects.exists()


def test_deleting_a_public_record_is_refused_with_the_reason(client, published):
    reviewer = make_user(group="Administrator")
    client.force_login(reviewer)
    actor = published["actor"]
    page = client.post(reverse("admin:incidents_actor_delete", args=[actor.pk]), {"post": "yes"},
                       follow=True).content.decode()
    assert "so it cannot be deleted" in page and Actor.objects.filter(pk=actor.pk).exists()
    unused = make_actor("Unused militia")
    page = client.post(reverse("admin:incidents_actor_changelist"),
                       {"action": "delete_selected", "_selected_action": [actor.pk, unused.pk], "post": "yes"},
                       follow=True).content.decode()
    assert "Nothing was deleted" in page and OLD in page
    assert Actor.objects.filter(pk__in=[actor.pk, unused.pk]).count() == 2


def test_an_import_never_renames_a_public_actor(roles, published):
    """The ACLED import (admin and command share import_rows) matches existing actors by any
    spelling and never writes them: another spelling is reported for a reviewer, not applied."""
    with open(Path(settings.BASE_DIR, "fixtures", "acled_sample.csv"), newline="") as sample:
        header, row = list(csv.reader(sample))[:2]
    row[header.index("event_id_cnty")] = "SYR900001"
    row[header.index("actor2")] = "ISLAMIC STATE (SYRIA)"  # another spelling of the public actor
    summary = import_rows(check_rows(header, [(2, row)]), user=make_user(group="Analyst"))
    assert summary.other_spellings == {OLD: {"ISLAMIC STATE (SYRIA)"}}
    assert Actor.objects.get(pk=published["actor"].pk).name == OLD
    assert not ProposedChange.objects.exists()


def test_a_public_articles_title_waits_while_its_coding_status_and_evidence_are_saved(client, published):
    """An article's coding status is the analysts' bookkeeping (not public): saved at once; its title
    waits; the same page's evidence rows are saved as before (their incident goes back to review)."""
    incident = published["incident"]
    article = incident.evidence.get().article
    analyst = make_user(group="Analyst")
    client.force_login(analyst)
    data = form_data(client.get(change_url(article)).content.decode(), "article_form")
    quote_field = next(name for name in data if name.endswith("-quote"))
    page = client.post(change_url(article), {**data, "title": "ZQXRENAMED title", "coding_status": "coded",
                                             quote_field: "Clashes were reported",
                                             quote_field.replace("quote", "start"): "0",
                                             quote_field.replace("quote", "end"): "21"}, follow=True).content.decode()
    assert "waiting for a second reviewer" in page
    article.refresh_from_db()
    assert article.title == "Clashes near the airbase" and article.coding_status == "coded"
    assert incident.evidence.get().quote == "Clashes were reported"
    assert ProposedChange.objects.get().changes == {
        "title": {"before": "Clashes near the airbase", "after": "ZQXRENAMED title"}}
    incident.refresh_from_db()
    assert incident.status == "in_review"  # the evidence edit, as on any article page


def test_restoring_an_old_version_of_a_public_record_is_a_proposal_too(client, published):
    actor, reviewer = published["actor"], make_user(group="Reviewer")
    original = actor.history.earliest()
    proposals.approve(proposals.propose(actor, {"name": NEW}, make_user(group="Analyst")), make_user(group="Reviewer"))
    client.force_login(reviewer)
    url = reverse("admin:incidents_actor_simple_history", args=[actor.pk, original.history_id])
    data = form_data(client.get(url).content.decode(), "historicalactor_form")
    page = client.post(url, data, follow=True).content.decode()
    assert "waiting for a second reviewer" in page and "changed successfully" not in page
    assert Actor.objects.get(pk=actor.pk).name == NEW
    assert ProposedChange.objects.get(status="pending").changes == {"name": {"before": NEW, "after": OLD}}


def test_a_proposal_made_invalid_meanwhile_is_refused_naming_the_field(published):
    proposal = proposals.propose(published["actor"], {"name": NEW}, make_user(group="Reviewer"))
    make_actor(NEW)  # another actor took the name since
    with pytest.raises(proposals.ProposalRefused, match="no longer valid: Name: Actor with this Name already"):
        proposals.approve(proposal, make_user(group="Reviewer"))
    assert Actor.objects.get(pk=published["actor"].pk).name == OLD
    assert ProposedChange.objects.get(pk=proposal.pk).status == "pending"
