"""A merge brings the other incident's evidence, dates and actors into the kept one, so whoever coded
or edited the merged-away incident has work in the kept one and may not approve it alone (found by an
attacker session: a reviewer's own incident, merged by an analyst into one in review, was then approved
by that reviewer)."""

import pytest
from django.utils import timezone

from incidents.coding.duplicates import MergeError, merge
from incidents.models import Incident, ProposedMerge
from incidents.review import workflow
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_user
from incidents.tests.formdata import change_url, form_data
from incidents.tests.review.test_decide_what_you_saw import browser

pytestmark = pytest.mark.django_db
S = Incident.Status


def approve_on_the_page(user, incident):
    client = browser(user)
    data = form_data(client.get(change_url(incident)).content.decode(), "incident_form")
    return client.post(change_url(incident), {**data, "_workflow": "approve"}, follow=True).content.decode()


@pytest.fixture
def merged_by_analyst(roles):
    analyst, reviewer, other_reviewer = (make_user("ana", group="Analyst"), make_user("rev", group="Reviewer"),
                                         make_user("rev2", group="Reviewer"))
    actor = make_actor("Zqx Militia")
    kept = make_incident(status=S.IN_REVIEW, coder=analyst, actor1=actor)
    make_evidence(kept, article=make_article(title="Kept report"), quote="Clashes were reported near the airbase")
    other = make_incident(status=S.IN_REVIEW, coder=reviewer, actor1=actor)
    make_evidence(other, article=make_article(title="Other report"), quote="Clashes were reported near the airbase")
    kept = merge(kept, other, analyst)
    return kept, reviewer, other_reviewer


def test_the_coder_of_a_merged_away_incident_may_not_approve_the_kept_one(merged_by_analyst):
    kept, reviewer, _ = merged_by_analyst
    assert reviewer.pk in workflow.contributors(Incident.objects.get(pk=kept.pk))
    approve_on_the_page(reviewer, kept)
    assert Incident.objects.get(pk=kept.pk).status != S.APPROVED


def test_another_reviewer_may_approve_the_merged_incident(merged_by_analyst):
    kept, _, other_reviewer = merged_by_analyst
    assert other_reviewer.pk not in workflow.contributors(Incident.objects.get(pk=kept.pk))
    approve_on_the_page(other_reviewer, kept)
    assert Incident.objects.get(pk=kept.pk).status == S.APPROVED


# A merge touching an incident the public sees (found by an attacker session: one reviewer merged two
# published incidents and so took both off the public site alone).

def merge_url(a, b):
    return f"/assist/incidents/{a.pk}/duplicates/{b.pk}/merge/"


@pytest.fixture
def two_published(roles):
    actor, coder = make_actor("Zqx Militia"), make_user("coder1", group="Analyst")
    first, second = (make_incident(status=S.APPROVED, coder=coder, actor1=actor,
                                   published_at=timezone.now()) for _ in range(2))
    for incident in (first, second):
        make_evidence(incident, article=make_article(title=f"Report {incident.pk}"),
                      quote="Clashes were reported near the airbase")
    return first, second, make_user("rev", group="Reviewer"), make_user("rev2", group="Reviewer")


def test_one_reviewer_cannot_merge_published_incidents_alone(two_published):
    first, second, reviewer, _ = two_published
    with pytest.raises(MergeError, match="second reviewer"):
        merge(first, second, reviewer)
    client = browser(reviewer)
    page = client.post(merge_url(first, second), follow=True).content.decode()
    assert "proposed" in page and "another reviewer confirms" in page
    assert set(Incident.objects.published().values_list("pk", flat=True)) == {first.pk, second.pk}
    # Pressing again changes nothing either: the proposer cannot confirm their own proposal.
    page = client.post(merge_url(first, second), follow=True).content.decode()
    assert "another reviewer must confirm it" in page
    assert set(Incident.objects.published().values_list("pk", flat=True)) == {first.pk, second.pk}


def test_a_second_reviewer_confirms_the_proposed_merge(two_published):
    first, second, reviewer, other_reviewer = two_published
    browser(reviewer).post(merge_url(first, second))
    client = browser(other_reviewer)
    page = client.get(f"/assist/incidents/{first.pk}/duplicates/").content.decode()
    assert "Confirm the merge rev proposed" in page
    client.post(merge_url(first, second))
    kept, other = Incident.objects.get(pk=first.pk), Incident.objects.get(pk=second.pk)
    assert other.merged_into_id == kept.pk and kept.status == S.IN_REVIEW
    assert "proposed by rev" in kept.history.first().history_change_reason
    assert not ProposedMerge.objects.exists()


def test_a_proposal_no_longer_holds_once_an_incident_changed(two_published):
    first, second, reviewer, other_reviewer = two_published
    browser(reviewer).post(merge_url(first, second))
    second.notes = "edited after the proposal"
    second.save()
    browser(other_reviewer).post(merge_url(first, second))  # proposes afresh: merges nothing
    assert Incident.objects.get(pk=second.pk).merged_into is None
    assert ProposedMerge.objects.get().proposed_by == other_reviewer


def test_the_duplicates_page_warns_that_a_merge_takes_public_incidents_off_the_site(two_published):
    first, second, reviewer, _ = two_published
    page = browser(reviewer).get(f"/assist/incidents/{first.pk}/duplicates/").content.decode()
    assert "merge-public-warning" in page and first.public_id in page and second.public_id in page
    assert "off the public site" in page and "Propose merge" in page
