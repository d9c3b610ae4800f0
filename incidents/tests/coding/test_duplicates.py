"""Likely duplicate incidents: found, merged without losing evidence or history, and 'not a duplicate' remembered."""

import datetime
import io

import pytest
from django.contrib.gis.geos import Point
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from incidents.coding import duplicates, merge_rule
from incidents.coding.duplicates import MergeError, candidates_for, merge, remember_not_duplicate
from incidents.common.typology import ActorCategory, GeoPrecision, TimePrecision
from incidents.models import DuplicateDecision, Evidence, Incident
from incidents.tests.factories import (
    AIRBASE,
    make_actor,
    make_article,
    make_evidence,
    make_incident,
    make_user,
    make_user_with,
)

pytestmark = pytest.mark.django_db
DRAFT, APPROVED = Incident.Status.DRAFT, Incident.Status.APPROVED
KM_EAST = 1 / (111.32 * 0.8192)  # one kilometre of longitude at 35°N, in degrees


@pytest.fixture
def isis(db):
    return make_actor("Islamic State (Syria)")


@pytest.fixture
def army(db):
    return make_actor("Military Forces of Syria (2000-)", category=ActorCategory.STATE_FORCES)


@pytest.fixture
def pair(isis, army):
    """The same clash coded twice by two analysts from two articles, 1.2 km apart."""
    first = make_incident(status=DRAFT, actor1=isis, actor2=army, coder=make_user())
    second = make_incident(status=DRAFT, actor1=isis, actor2=army, coder=make_user(),
                           point=Point(AIRBASE.x + 1.2 * KM_EAST, AIRBASE.y, srid=4326))
    make_evidence(first, make_article("ISIS and the army clashed near the airbase, killing seven soldiers."))
    make_evidence(second, make_article("Seven soldiers died in fighting with ISIS by the Deir ez-Zor airport."))
    return first, second


def test_the_same_event_from_two_articles_is_found_with_its_reasons(pair):
    first, second = pair
    [candidate] = candidates_for(first)
    assert candidate.incident == second
    assert candidate.distance_km == pytest.approx(1.2, abs=0.05)
    assert "same day (18 January 2016)" in candidate.reasons
    assert "1.2 km apart" in candidate.reasons
    assert [c.incident for c in candidates_for(second)] == [first]


@pytest.mark.parametrize("change", [
    {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack"},
    {"point": Point(AIRBASE.x + 8 * KM_EAST, AIRBASE.y, srid=4326)},
    {"date": datetime.date(2016, 1, 22)},
    {"status": Incident.Status.REJECTED},
])
def test_a_different_event_is_not_proposed(pair, change):
    first, second = pair
    for field, value in change.items():
        setattr(second, field, value)
    second.save()
    assert candidates_for(first) == []


def test_incidents_without_a_shared_actor_are_not_proposed(pair):
    first, second = pair
    second.actor1, second.actor2 = make_actor("QSD: Syrian Democratic Forces"), make_actor("Unidentified")
    second.save()
    assert candidates_for(first) == []


def test_a_unit_counts_as_its_parent_force(pair, army):
    first, second = pair
    second.actor2 = make_actor("Republican Guard", category=ActorCategory.STATE_FORCES, parent=army)
    second.actor1 = make_actor("Tribal fighters")
    second.save()
    assert [c.incident for c in candidates_for(first)] == [second]


def test_a_week_precision_date_overlaps_days_an_exact_date_does_not(pair):
    first, second = pair
    second.date = datetime.date(2016, 1, 23)
    second.save()
    assert candidates_for(first) == []
    second.time_precision = TimePrecision.WEEK
    second.save()
    assert [c.incident for c in candidates_for(first)] == [second]


def test_distance_is_measured_in_kilometres_on_the_earth_not_in_degrees(pair):
    first, second = pair
    # 4.5 km east at 35°N is 0.049°, more than 5 km "in degrees of latitude" (0.045°): still close.
    second.point = Point(AIRBASE.x + 4.5 * KM_EAST, AIRBASE.y, srid=4326)
    second.save()
    assert [round(c.distance_km, 1) for c in candidates_for(first)] == [4.5]
    second.point = Point(AIRBASE.x + 5.5 * KM_EAST, AIRBASE.y, srid=4326)
    second.save()
    assert candidates_for(first) == []


def test_not_a_duplicate_is_remembered_for_the_pair(pair):
    first, second = pair
    analyst = make_user()
    remember_not_duplicate(second, first, analyst)
    remember_not_duplicate(first, second, analyst)  # asked twice: still one answer
    decision = DuplicateDecision.objects.get()
    assert (decision.incident_a, decision.incident_b, decision.decided_by) == (first, second, analyst)
    assert candidates_for(first) == [] and candidates_for(second) == []
    assert duplicates.all_candidate_pairs() == []


def test_two_incidents_one_analyst_coded_from_one_article_are_separate_on_purpose(isis, army):
    analyst = make_user()
    article = make_article("ISIS attacked the airbase; later, ISIS clashed with the army at the gate.")
    first = make_incident(status=DRAFT, actor1=isis, actor2=army, coder=analyst)
    second = make_incident(status=DRAFT, actor1=isis, actor2=army, coder=analyst)
    make_evidence(first, article, "ISIS attacked the airbase")
    make_evidence(second, article, "ISIS clashed with the army at the gate")
    assert candidates_for(first) == []
    second.coder = make_user()  # a colleague coding the same article again is a real risk
    second.save()
    assert [c.incident for c in candidates_for(first)] == [second]


def test_two_acled_rows_are_not_proposed(pair):
    first, second = pair
    first.event_id_cnty, second.event_id_cnty = "SYR1", "SYR2"
    first.save()
    second.save()
    assert candidates_for(first) == []


def test_merge_keeps_both_articles_evidence_the_better_precision_and_the_history(pair):
    first, second = pair
    first.geo_precision, first.time_precision, first.date_end = GeoPrecision.DISTRICT, TimePrecision.WEEK, None
    first.save()
    second.location = "Deir ez-Zor military airbase, south gate"
    second.save()
    evidence_ids = set(Evidence.objects.values_list("id", flat=True))
    analyst = make_user_with("change_incident")

    kept = merge(first, second, analyst)

    assert set(kept.evidence.values_list("id", flat=True)) == evidence_ids
    assert {e.article_id for e in kept.evidence.all()} == {e.article_id for e in Evidence.objects.all()}
    assert (kept.location, kept.geo_precision, kept.time_precision) == (second.location, 1, 1)
    second.refresh_from_db()
    assert second.merged_into == kept and second.withdrawn_at is not None
    assert kept.history.first().history_change_reason.startswith(f"Merged #{second.pk} into this incident")
    assert kept.history.first().history_user == analyst
    assert second.history.first().history_change_reason == f"Merged into incident #{kept.pk}"
    moved = Evidence.history.filter(history_change_reason=f"Merge: moved from incident #{second.pk}")
    assert moved.count() == 1 and moved.get().history_user == analyst
    assert candidates_for(kept) == []


def test_the_same_quote_on_both_incidents_is_kept_once(pair):
    first, second = pair
    shared = first.evidence.get()
    make_evidence(second, shared.article, shared.quote)
    kept = merge(first, second, make_user_with("change_incident"))
    assert kept.evidence.count() == 2
    assert Evidence.history.filter(history_type="-", history_change_reason__startswith="Merge: same quote").exists()


def test_merging_a_published_incident_needs_a_reviewer_and_sends_it_back_to_review(pair):
    first, second = pair
    Incident.objects.filter(pk=first.pk).update(status=APPROVED)
    first.refresh_from_db()
    assert duplicates.choose_kept(second, first) == first
    with pytest.raises(MergeError, match="only reviewers"):
        merge(first, second, make_user_with("change_incident"))
    assert Incident.objects.get(pk=second.pk).merged_into is None  # refused: nothing changed

    proposer, second_reviewer = (make_user_with("change_incident", "review_incident") for _ in range(2))
    with pytest.raises(MergeError, match="second reviewer"):  # four-eyes: incidents.coding.merge_rule
        merge(first, second, proposer)
    merge_rule.propose(first, second, proposer)
    kept = merge(first, second, second_reviewer)
    assert kept.status == Incident.Status.IN_REVIEW and kept.withdrawn_at is not None
    assert not Incident.objects.published().filter(pk__in=[first.pk, second.pk]).exists()


def test_an_incident_merged_away_cannot_be_merged_again(pair, isis):
    first, second = pair
    merge(first, second, make_user_with("change_incident"))
    third = make_incident(status=DRAFT, actor1=isis)
    with pytest.raises(MergeError, match="already merged"):
        merge(third, second, make_user_with("change_incident"))


def test_saving_an_incident_tells_the_analyst_about_likely_duplicates(pair):
    first, second = pair
    request = RequestFactory().post("/admin/")
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = FallbackStorage(request)
    HistoricalRecords.context.request = request
    try:
        second.save()
    finally:
        del HistoricalRecords.context.request
    [message] = list(get_messages(request))
    assert f'may duplicate <bdi class="incident-ref" dir="ltr">#{first.pk}</bdi>' in str(message)
    assert f"/assist/incidents/{second.pk}/duplicates/" in str(message)


def test_find_duplicates_lists_every_pair_in_the_database(pair):
    first, second = pair
    out = io.StringIO()
    call_command("find_duplicates", stdout=out)
    assert f"#{first.pk} and #{second.pk}" in out.getvalue()
    assert "1 likely duplicate pair(s)." in out.getvalue()


def test_a_slow_duplicate_check_gives_up_without_breaking_the_save(pair, monkeypatch):
    first, second = pair

    def slow(incidents):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    def timeout():
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            return cursor.fetchone()[0]

    before = timeout()
    monkeypatch.setattr(duplicates, "QUICK_CHECK_MS", 50)
    monkeypatch.setattr(duplicates, "candidates_of_many", slow)
    assert duplicates.quick_candidates(first) is None
    assert timeout() == before  # the transaction goes on, without the time limit
    second.notes = "saved after a slow check"
    second.save()
    assert Incident.objects.get(pk=second.pk).notes == "saved after a slow check"
