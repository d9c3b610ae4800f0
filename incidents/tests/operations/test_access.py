"""Every URL pattern of the project, walked as an anonymous visitor, an analyst and a reviewer.

The public sees approved, un-merged incidents and nothing of the analysts' work: no draft, in-review,
rejected or merged incident, no reviewer note, no analyst's name, whichever URL, id or parameter is tried.
"""

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from simple_history.utils import update_change_reason

from incidents.models import DuplicateDecision, EventRule, Evidence, Incident, Place
from incidents.tests import urlwalk
from incidents.tests.factories import (
    AIRBASE,
    make_article,
    make_evidence,
    make_incident,
    make_unpublished_trio,
    make_user,
)

pytestmark = pytest.mark.django_db

# Words only unpublished work contains; none may reach an anonymous visitor.
ANALYST, REVIEWER = "analyst-amira-secret", "reviewer-rami-secret"
SECRETS = ["UNPUBLISHED-draft", "UNPUBLISHED-in_review", "UNPUBLISHED-rejected", "MERGED-AWAY-SUMMARY",
           "REVIEWER-NOTE", "UNCITED-SOURCE-TITLE", "SYR-SECRET-", ANALYST, REVIEWER]
# Public queries that try to widen the selection.
WIDENING_QUERIES = ["", "?status=draft", "?status=in_review&status=rejected", "?q=UNPUBLISHED",
                    "?include_unpublished=1&all=1", "?merged=1&format=json"]
NEVER = set(range(500, 600))


@pytest.fixture
def world(boundaries):
    # A suffix per test: the secret names stay what the page must never show, and rows another test
    # may have left committed (see conftest.abandoned_downloads_closed) cannot collide with them.
    suffix = uuid.uuid4().hex[:8]
    analyst = make_user(f"{ANALYST}-{suffix}", group="Analyst")
    reviewer = make_user(f"{REVIEWER}-{suffix}", group="Reviewer")
    assert Group.objects.get(name="Analyst").permissions.exists(), "the workflow migration makes the groups"
    published = make_incident(notes="PUBLISHED-SUMMARY of the shelling", coder=analyst, reviewer=reviewer,
                              rejection_reason="REVIEWER-NOTE kept from an earlier round",
                              published_at=datetime.datetime(2016, 2, 1, tzinfo=datetime.UTC))
    make_evidence(published, article=make_article(title="PUBLISHED-SOURCE-TITLE"))
    update_change_reason(published, "REVIEWER-NOTE in the edit history")
    trio = make_unpublished_trio(coder=analyst, location="Hidden hamlet")
    for number, incident in enumerate(trio):
        Incident.objects.filter(pk=incident.pk).update(event_id_cnty=f"SYR-SECRET-{number}",
                                                       rejection_reason=f"REVIEWER-NOTE {number}")
        make_evidence(incident, article=make_article(title="UNCITED-SOURCE-TITLE"))
    merged = make_incident(notes="MERGED-AWAY-SUMMARY", merged_into=published, coder=analyst)
    DuplicateDecision.objects.create(incident_a=trio[0], incident_b=trio[1], decided_by=reviewer)
    EventRule.objects.create(keywords=["shelled"], event_type="Explosions/Remote violence",
                             sub_event_type="Shelling/artillery/missile attack")
    Place.objects.create(name="Hidden hamlet", point=AIRBASE)
    return {"analyst": analyst, "reviewer": reviewer, "published": published, "unpublished": [*trio, merged]}


def walk(world, admin_incidents=None):
    """(route, url) for every route; incident arguments get every incident (and guessed ids)."""
    incidents = [world["published"], *world["unpublished"]]
    for route in urlwalk.routes():
        chosen = admin_incidents if (route.is_admin and admin_incidents) else incidents
        for url in urlwalk.concrete_urls(route, chosen):
            yield route, url


def leaked(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    return [secret for secret in SECRETS if secret in text], text


def is_login_redirect(response):
    # The admin sends anonymous visitors to its login page, directly or by way of its index.
    return response.status_code == 302 and ("/login/" in response["Location"] or response["Location"] == "/admin/")


def test_anonymous_visitor_sees_only_public_pages_and_no_unpublished_work(world):
    client = Client()
    problems = []
    for route, url in walk(world):
        queries = WIDENING_QUERIES if route.is_public else [""]
        for query in queries:
            response = client.get(url + query, secure=True)
            secrets, _ = leaked(response)
            if response.status_code in NEVER or secrets:
                problems.append((url + query, response.status_code, secrets))
            elif route.is_public and not route.takes_arguments and query == "" and response.status_code != 200 \
                    and not (route.template in urlwalk.POST_ONLY_ROUTES and response.status_code == 405):
                problems.append((url, response.status_code, "public page not open to the public"))
            elif not route.is_public and route.template not in urlwalk.ANONYMOUS_ADMIN_ROUTES \
                    and response.status_code == 200:
                problems.append((url, 200, "opens without a login"))
            elif not route.is_public and response.status_code in (301, 302) and not is_login_redirect(response):
                problems.append((url, response.status_code, f"redirects to {response['Location']}"))
    assert problems == []


def test_every_public_url_answers_head_as_it_answers_get_without_a_body(world):
    # Found by an attacker session: HEAD, as link checkers and download managers send, was a 405 on
    # the downloads while the pages answered it.
    client = Client()
    for route, url in walk(world):
        if not route.is_public or route.template in urlwalk.POST_ONLY_ROUTES:
            continue
        got = client.get(url, secure=True)
        if got.streaming:
            b"".join(got.streaming_content)
        head = client.head(url, secure=True)
        if head.streaming:
            b"".join(head.streaming_content)  # the server closes the response, as here
        assert head.status_code == got.status_code, (url, head.status_code, got.status_code)
        assert head.get("Content-Type") == got.get("Content-Type"), url
        assert head.get("Content-Disposition") == got.get("Content-Disposition"), url


def test_unpublished_incidents_are_not_found_by_guessed_id(world, client):
    for incident in world["unpublished"]:
        response = client.get(f"/incidents/{incident.pk}/", secure=True)
        assert response.status_code in (404, 410) or (
            response.status_code in (301, 302) and response["Location"].endswith(
                world["published"].get_absolute_url())), incident.status
        assert leaked(response)[0] == []


def test_public_pages_do_show_the_published_incident(world, client):
    # Guards the tests above: pages that show nothing at all would leak nothing either.
    for url in [world["published"].get_absolute_url(), "/api/incidents.geojson", "/export/incidents.csv"]:
        _, text = leaked(client.get(url, secure=True))
        assert "PUBLISHED-SUMMARY" in text, url


def state():
    """What anonymous requests must never change."""
    models = [Incident, Evidence, DuplicateDecision, EventRule, Place, get_user_model(), Group]
    return ({model.__name__: model.objects.count() for model in models},
            sorted(Incident.objects.values_list("pk", "status", "version", "merged_into", "notes")))


def test_anonymous_posts_change_nothing(world):
    client = Client()  # no CSRF enforcement: only the login and permission checks are tested
    before = state()
    for route, url in walk(world):
        if route.template == "admin/login/":
            continue
        response = client.post(url, {"action": "delete_selected", "post": "yes", "status": "approved",
                                     "_selected_action": [i.pk for i in world["unpublished"]]}, secure=True)
        assert response.status_code not in NEVER, url
    assert state() == before


@pytest.mark.parametrize("role", ["analyst", "reviewer"])
def test_analyst_and_reviewer_reach_every_page_without_server_errors(world, role):
    client = Client()
    client.force_login(world[role])
    admin_incidents = [world["published"], world["unpublished"][0]]
    errors = []
    for route, url in walk(world, admin_incidents):
        response = client.get(url, secure=True)
        # Read to its end now, as a browser would (the test client then closes it): a download left
        # paused holds its transaction open, and garbage collection would later end several of them
        # out of order (conftest.py).
        if response.streaming:
            b"".join(response.streaming_content)
        if response.status_code in NEVER:
            errors.append((url, response.status_code))
    assert errors == []


@pytest.mark.parametrize("role", ["analyst", "reviewer"])
def test_analyst_and_reviewer_cannot_manage_users_or_login_records(world, role):
    client = Client()
    client.force_login(world[role])
    for url in ["/admin/auth/user/", "/admin/auth/user/add/", f"/admin/auth/user/{world[role].pk}/change/",
                "/admin/auth/group/", "/admin/axes/accessattempt/"]:
        assert client.get(url, secure=True).status_code == 403, url
    users = get_user_model().objects.count()
    client.post("/admin/auth/user/add/", {"username": "intruder", "password1": "Long-enough-pw-1",
                                          "password2": "Long-enough-pw-1"}, secure=True)
    assert get_user_model().objects.count() == users
    client.post(f"/admin/auth/user/{world[role].pk}/change/", {"username": world[role].username,
                                                                "is_superuser": "on"}, secure=True)
    world[role].refresh_from_db()
    assert not world[role].is_superuser


def test_analyst_sees_their_work_and_only_reviewers_see_the_review_queue(world):
    analyst, reviewer = Client(), Client()
    analyst.force_login(world["analyst"])
    reviewer.force_login(world["reviewer"])
    mine = analyst.get("/work/mine/?show=draft", secure=True)
    assert mine.status_code == 200 and "Hidden hamlet" in mine.content.decode()
    assert analyst.get("/work/review/", secure=True).status_code == 403
    assert reviewer.get("/work/review/", secure=True).status_code == 200
