"""An outsider's attack on as_of and snapshots: nothing that was not published at a moment ever comes out.

The moments tried are every moment the incidents' history records, a microsecond either side, written
in odd time zones (+05:45, -09:30, +14:00, naive = UTC, unencoded "+"), with and without filters.
"""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.exports.as_of import as_of_bytes
from incidents.models import Incident
from incidents.review import workflow
from incidents.tests.factories import (
    edit_incident, make_actor, make_article, make_evidence, make_incident, make_user,
)

pytestmark = pytest.mark.django_db

SECRETS = (b"NEVER-PUBLISHED", b"SECRET-EDIT", b"REJECTED-TEXT")
ZONES = [datetime.timezone(datetime.timedelta(hours=5, minutes=45)),
         datetime.timezone(-datetime.timedelta(hours=9, minutes=30)),
         datetime.timezone(datetime.timedelta(hours=14)), zoneinfo.ZoneInfo("America/St_Johns"), None]


def written(moment, zone):
    """The moment as a client might write it: in `zone`, or naive (read as UTC) when zone is None."""
    if zone is None:
        return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()
    return moment.astimezone(zone).isoformat()


def body(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def history(roles):
    """Published, never-published and withdrawn work on one actor, through the real workflow."""
    analyst, reviewer = make_user(group="Analyst"), make_user(group="Reviewer")
    actor = make_actor("Shared actor")
    secret = make_incident(status=Incident.Status.DRAFT, actor1=actor, notes="NEVER-PUBLISHED draft")
    make_evidence(secret, make_article())
    public = make_incident(status=Incident.Status.IN_REVIEW, actor1=actor, notes="Public text")
    make_evidence(public, make_article())
    workflow.apply("approve", public, reviewer)
    workflow.apply("submit", secret, analyst)  # in review: still never published
    workflow.apply("reject", secret, reviewer, reason="Not enough evidence")
    edit_incident(secret, analyst, notes="NEVER-PUBLISHED REJECTED-TEXT")  # back to draft
    edit_incident(public, analyst, notes="SECRET-EDIT not yet reviewed")  # withdrawn from the public site
    merged = make_incident(status=Incident.Status.DRAFT, actor1=actor, notes="NEVER-PUBLISHED merged draft")
    Incident.objects.filter(pk=merged.pk).update(merged_into=public)  # a draft merged away
    merged.refresh_from_db()
    merged.notes = "NEVER-PUBLISHED merged draft, saved"
    merged.save()
    return {"actor": actor, "secret": secret, "public": public, "merged": merged}


def moments():
    """Every recorded moment, a microsecond either side, and before everything."""
    found = set(Incident.history.values_list("history_date", flat=True))
    tick = datetime.timedelta(microseconds=1)
    return sorted({m + d for m in found for d in (-tick, datetime.timedelta(0), tick)} | {
        min(found) - datetime.timedelta(days=1)})


def test_no_moment_in_any_time_zone_shows_unpublished_work(client, history):
    secret_ids = {history["secret"].public_id.encode(), history["merged"].public_id.encode()}
    public_seen = False
    for number, moment in enumerate(moments()):
        if moment > timezone.now():
            continue
        as_of = written(moment, ZONES[number % len(ZONES)])
        filters = ({}, {"actor": history["actor"].pk}, {"q": "SECRET-EDIT"}, {"q": "NEVER-PUBLISHED"})
        for name in ("export-incidents-csv", "export-incidents-geojson"):
            for params in (filters[number % len(filters)], filters[(number + 1) % len(filters)]):
                response = client.get(reverse(name), {**params, "as_of": as_of})
                if "actor" in params and response.status_code == 400:
                    # The actor was named only in unpublished work then: refused, as today (issue 10).
                    assert b"actor" in response.content
                    continue
                data = body(response)
                assert not any(secret in data for secret in SECRETS), (name, params, as_of, data)
                assert not any(b'"' + i + b'"' in data for i in secret_ids), (name, params, as_of)
                public_seen |= b"Public text" in data
        withdrawn = body(client.get(reverse("export-incidents-withdrawn-csv"), {"as_of": as_of}))
        assert not any(i + b"," in withdrawn for i in secret_ids), as_of
    assert public_seen  # the published version did show, at the moments it was public


def test_the_published_version_shows_only_while_it_was_public(history):
    public = history["public"]
    approved = Incident.history.filter(id=public.pk, status=Incident.Status.APPROVED).get().history_date
    withdrawn = Incident.history.filter(id=public.pk, notes__startswith="SECRET").get().history_date
    tick = datetime.timedelta(microseconds=1)
    assert b"Public text" not in as_of_bytes({}, approved - tick, "csv")
    assert b"Public text" in as_of_bytes({}, approved, "csv")
    assert b"Public text" in as_of_bytes({}, withdrawn - tick, "csv")
    after = as_of_bytes({}, withdrawn, "csv")
    assert b"Public text" not in after and b"SECRET-EDIT" not in after


def test_an_unencoded_offset_and_a_date_are_read_as_written(client, history):
    moment = timezone.now().astimezone(ZONES[0]).replace(microsecond=0) - datetime.timedelta(seconds=1)
    raw = moment.isoformat()  # "+05:45" sent unencoded arrives as " 05:45"
    response = client.get(reverse("export-incidents-csv") + f"?as_of={raw}")
    assert response.status_code == 200 and not any(s in body(response) for s in SECRETS)
    day = body(client.get(reverse("export-incidents-csv"), {"as_of": timezone.now().date().isoformat()}))
    assert not any(s in day for s in SECRETS)


def test_snapshots_at_every_stage_hold_no_unpublished_work(client, roles):
    analyst, reviewer = make_user(group="Analyst"), make_user(group="Reviewer")
    actor = make_actor("Shared actor")
    make_incident(actor1=actor, notes="Published before")  # so the actor filter is valid throughout
    incident = make_incident(status=Incident.Status.DRAFT, actor1=actor, notes="NEVER-PUBLISHED draft")
    make_evidence(incident, make_article())
    cited = []

    def cite():
        response = client.post(reverse("snapshot-create"), {"query": f"actor={actor.pk}"})
        assert response.status_code == 303
        cited.append(client.get(response["Location"] + "incidents.csv"))

    cite()
    workflow.apply("submit", incident, analyst)
    cite()
    edit_incident(incident, analyst, notes="Approved text")  # still in review
    # The reviewer compared it with the fixture's look-alike incidents on the same actor: other events.
    others = set(Incident.objects.exclude(pk=incident.pk).values_list("pk", flat=True))
    workflow.apply("approve", incident, reviewer, not_duplicate_of=others)
    cite()
    edit_incident(incident, analyst, notes="SECRET-EDIT after publication")
    cite()
    files = [body(response) for response in cited]
    assert [b"Approved text" in f for f in files] == [False, False, True, False]
    assert not any(secret in f for secret in SECRETS for f in files)
