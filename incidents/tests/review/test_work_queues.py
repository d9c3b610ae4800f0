"""Coding queues: "My work" shows an analyst's drafts and rejected incidents with the reviewer's
reason; the "Review queue" shows incidents in review the reviewer may decide on (four-eyes; see
test_four_eyes_queue.py). Sortable, counted, private."""

import json

import pytest
from django.urls import reverse

from incidents.models import Incident
from incidents.review import workflow
from incidents.tests.factories import make_evidence, make_incident, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]
S = Incident.Status
MINE, REVIEW = reverse("work-mine"), reverse("work-review")


@pytest.fixture
def analyst(roles):
    return make_user("analyst", group="Analyst")


def listed(response):
    return [incident.pk for incident in response.context["page"]]


def test_my_work_lists_my_drafts_and_rejected_with_the_reason(client, analyst):
    draft = make_incident(status=S.DRAFT, coder=analyst, location="Harabsh")
    rejected = make_incident(status=S.IN_REVIEW, coder=analyst)
    make_evidence(rejected)
    workflow.apply("reject", rejected, make_user("rev", group="Reviewer"), reason="Fatalities: the article says seven.")
    waiting = make_incident(status=S.IN_REVIEW, coder=analyst)
    someone_elses = make_incident(status=S.DRAFT, coder=make_user(group="Analyst"))
    client.force_login(analyst)
    response = client.get(MINE)
    assert sorted(listed(response)) == sorted([draft.pk, rejected.pk])
    page = response.content.decode()
    assert "Fatalities: the article says seven." in page and "rev" in page
    assert {tab["key"]: tab["count"] for tab in response.context["tabs"]} == {
        "todo": 2, "draft": 1, "rejected": 1, "in_review": 1, "approved": 0}
    assert listed(client.get(MINE, {"show": "in_review"})) == [waiting.pk]
    assert someone_elses.pk not in listed(client.get(MINE, {"show": "draft"}))


def test_review_queue_shows_in_review_incidents_coded_by_others(client, analyst):
    reviewer = make_user("reviewer", group="Reviewer")
    theirs = make_incident(status=S.IN_REVIEW, coder=analyst)
    own = make_incident(status=S.IN_REVIEW, coder=reviewer)
    make_incident(status=S.DRAFT, coder=analyst)
    make_incident(status=S.APPROVED, coder=analyst)
    client.force_login(reviewer)
    response = client.get(REVIEW)
    assert listed(response) == [theirs.pk]
    assert (response.context["waiting"], response.context["yours"]) == (1, 1)
    assert own.pk not in listed(response)


@pytest.mark.parametrize("sort, expected", [("fatalities", [1, 5, 30]), ("-fatalities", [30, 5, 1])])
def test_queues_sort_by_a_column(client, analyst, sort, expected):
    for fatalities in (5, 30, 1):
        make_incident(status=S.IN_REVIEW, coder=analyst, fatalities=fatalities)
    client.force_login(make_user(group="Reviewer"))
    response = client.get(REVIEW, {"sort": sort})
    assert [i.fatalities for i in response.context["page"]] == expected


def test_column_header_links_toggle_the_sort(client, analyst):
    client.force_login(analyst)
    columns = client.get(MINE, {"sort": "date", "show": "draft"}).context["columns"]
    assert "sort=-date" in columns["date"]["url"] and "show=draft" in columns["date"]["url"]
    assert "sort=location" in columns["location"]["url"]


@pytest.mark.parametrize("url, params, parameter", [
    (MINE, {"sort": "password"}, "sort"), (MINE, {"show": "everything"}, "show"),
    (REVIEW, {"page": "two"}, "page"), (REVIEW, {"page": "99"}, "page"),
])
def test_bad_query_parameters_are_a_400_naming_them(client, analyst, url, params, parameter):
    client.force_login(make_user(group="Reviewer"))
    response = client.get(url, params)
    assert response.status_code == 400
    assert parameter in json.loads(response.content)["parameters"]


def test_only_reviewers_have_a_review_queue(client, analyst):
    client.force_login(analyst)
    assert client.get(REVIEW).status_code == 403


@pytest.mark.parametrize("url", [MINE, REVIEW])
def test_queues_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
