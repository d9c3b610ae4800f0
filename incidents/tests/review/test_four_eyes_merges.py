"""A merge brings the other incident's evidence, dates and actors into the kept one, so whoever coded
or edited the merged-away incident has work in the kept one and may not approve it alone (found by an
attacker session: a reviewer's own incident, merged by an analyst into one in review, was then approved
by that reviewer)."""

import pytest

from incidents.coding.duplicates import merge
from incidents.models import Incident
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
