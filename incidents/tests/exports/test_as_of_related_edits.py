"""The attacker's finding after issue 19: evidence added to a published incident (admin evidence page,
incident page inline) or joined to it by a merge was written to history while the incident was still
approved, so ?as_of= at the moment between the two showed the published incident with evidence no
reviewer had approved. At every moment the history records, the unapproved article must stay out."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from incidents.coding import merge_rule
from incidents.coding.duplicates import merge
from incidents.exports.as_of import as_of_bytes, iso_utc
from incidents.models import Evidence, Incident
from incidents.review import workflow
from incidents.tests.factories import make_article, make_evidence, make_incident, make_user

pytestmark = pytest.mark.django_db

SECRET_URL = "https://unreviewed.example/only-in-draft"


def every_recorded_moment():
    moments = set()
    for model in (Incident, Evidence):
        moments |= set(model.history.values_list("history_date", flat=True))
    one = datetime.timedelta(microseconds=1)
    return sorted({m + shift for m in moments for shift in (-one, datetime.timedelta(0), one)})


def leaked_at_some_moment():
    return [iso_utc(moment) for moment in every_recorded_moment()
            if SECRET_URL.encode() in as_of_bytes({}, moment, "csv")]


@pytest.fixture
def published(roles):
    reviewer = make_user(group="Reviewer")
    incident = make_incident(status=Incident.Status.IN_REVIEW, notes="Public text")
    make_evidence(incident, make_article(url="https://public.example/approved"))
    workflow.apply("approve", incident, reviewer)
    return incident


def test_evidence_added_on_the_evidence_page_never_shows_in_the_past(published):
    analyst = make_user(group="Analyst")
    client = Client()
    client.force_login(analyst)
    article = make_article(url=SECRET_URL, text="Shelling hit the market on Monday.")
    response = client.post(reverse("admin:incidents_evidence_add"), {
        "incident": published.pk, "article": article.pk, "start": 0, "end": 8, "quote": "Shelling"}, secure=True)
    assert response.status_code == 302, response.content.decode()[:2000]
    published.refresh_from_db()
    assert published.status == Incident.Status.IN_REVIEW and published.evidence.filter(article=article).exists()
    assert leaked_at_some_moment() == []


def test_a_draft_merged_into_a_published_incident_never_shows_in_the_past(published):
    reviewer = make_user(group="Reviewer")
    draft = make_incident(status=Incident.Status.DRAFT, notes="Draft text", date=published.date,
                          actor1=published.actor1, point=published.point)
    make_evidence(draft, make_article(url=SECRET_URL, text="Another quote about the market."))
    merge_rule.propose(published, draft, make_user(group="Reviewer"))  # published: a second reviewer's merge
    kept = merge(published, draft, reviewer)
    assert kept.pk == published.pk and kept.status == Incident.Status.IN_REVIEW
    assert kept.evidence.filter(article__url=SECRET_URL).exists()
    assert leaked_at_some_moment() == []
