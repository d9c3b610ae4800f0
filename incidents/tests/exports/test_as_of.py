"""`?as_of=` on every export: what the public could download at that moment, rebuilt from history."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.exports.as_of import as_of_bytes, iso_utc
from incidents.models import Incident
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_unpublished_trio

pytestmark = pytest.mark.django_db


def get(client, name="export-incidents-csv", **params):
    response = client.get(reverse(name), params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def ids(body):
    return [row["event_id_cnty"] for row in csv.DictReader(io.StringIO(body.decode("utf-8")))]


def later():
    """A moment strictly after everything written so far (history_date is taken in Python, microseconds)."""
    moment = timezone.now()
    while timezone.now() == moment:
        pass
    return moment


def test_as_of_now_gives_the_same_bytes_as_the_live_export(client):
    army = make_actor("Army", category=2)
    first = make_incident(actor1=army, notes="first", assoc_actors_1=[make_actor("Militia")])
    make_evidence(first, make_article(url="https://news.example/a"))
    make_incident(date=datetime.date(2017, 5, 1), notes="=formula, \"quoted\"")
    make_unpublished_trio()
    moment = later()
    for name in ("export-incidents-csv", "export-incidents-geojson", "export-incidents-withdrawn-csv"):
        _, live = get(client, name)
        response, past = get(client, name, as_of=iso_utc(moment))
        assert response.status_code == 200
        if name == "export-incidents-withdrawn-csv":
            assert past == live
        else:
            assert past == live, name
    response, _ = get(client, as_of=iso_utc(moment))
    assert response["X-Export-Rows"] == "2"
    assert "as-of-" in response["Content-Disposition"]


def test_as_of_gives_the_incident_as_it_was_then_not_as_it_is_now(client):
    actor = make_actor("Old name")
    incident = make_incident(actor1=actor, notes="before the edit", fatalities=3)
    before = later()
    incident.notes, incident.fatalities = "after the edit", 9
    incident.save()
    actor.name = "New name"
    actor.save()
    rows = list(csv.DictReader(io.StringIO(as_of_bytes({}, before, "csv").decode())))
    assert [(r["notes"], r["fatalities"], r["actor1"]) for r in rows] == [("before the edit", "3", "Old name")]
    _, now = get(client)
    assert b"after the edit" in now and b"New name" in now


def test_withdrawn_and_merged_incidents_are_in_the_past_but_not_after(client):
    published_at = timezone.now()
    kept = make_incident(notes="kept", published_at=published_at)
    merged = make_incident(notes="merged away", published_at=published_at)
    withdrawn = make_incident(notes="withdrawn", published_at=published_at)
    before = later()
    # merge and withdrawal as the workflow writes them (tests/exports/test_snapshots.py uses the workflow itself)
    merged.merged_into, merged.withdrawn_at = kept, timezone.now()
    merged.save()
    withdrawn.status, withdrawn.withdrawn_at = Incident.Status.IN_REVIEW, timezone.now()
    withdrawn.save()
    after = later()
    assert sorted(ids(as_of_bytes({}, before, "csv"))) == sorted(i.public_id for i in (kept, merged, withdrawn))
    assert ids(as_of_bytes({}, after, "csv")) == [kept.public_id]
    gone = list(csv.DictReader(io.StringIO(as_of_bytes({}, after, "withdrawn").decode())))
    assert {row["event_id_cnty"]: row["reason"] for row in gone} == {merged.public_id: "merged",
                                                                      withdrawn.public_id: "under review"}


def test_the_filter_applies_to_the_past(client):
    army, rebels = make_actor("Army"), make_actor("Rebels")
    incident = make_incident(actor1=army)
    before = later()
    incident.actor1 = rebels
    incident.save()
    _, past = get(client, actor=army.pk, as_of=iso_utc(before))
    assert ids(past) == [incident.public_id]
    _, now = get(client, actor=army.pk)
    assert ids(now) == []


@pytest.mark.parametrize("value", ["yesterday", "2016-13-01", "2016-01-01T25:00", "1e9", "２０２０-01-01",
                                   "2016-01-01T00:00:00+99:00", "1969-12-31T23:59:59Z"])
def test_bad_as_of_is_a_400_naming_it(client, value):
    for name in ("export-incidents-csv", "export-incidents-geojson", "export-incidents-withdrawn-csv"):
        response, body = get(client, name, as_of=value)
        assert response.status_code == 400, (name, value)
        assert "as_of" in json.loads(body)["parameters"]


def test_a_future_as_of_is_a_400(client):
    future = timezone.now() + datetime.timedelta(minutes=5)
    response, body = get(client, as_of=iso_utc(future))
    assert response.status_code == 400
    assert "future" in json.loads(body)["parameters"]["as_of"][0]


def test_before_any_history_the_export_is_empty(client):
    make_incident()
    response, body = get(client, as_of="2001-01-01")
    assert response.status_code == 200
    assert body.count(b"\r\n") == 1 and response["X-Export-Rows"] == "0"
    response, body = get(client, "export-incidents-geojson", as_of="2001-01-01")
    assert json.loads(body)["features"] == []


def test_the_live_tables_are_untouched_after_an_as_of_export(client):
    incident = make_incident(notes="now")
    before = later()
    incident.notes = "changed"
    incident.save()
    get(client, as_of=iso_utc(before))
    assert Incident.objects.get(pk=incident.pk).notes == "changed"
    _, now = get(client)
    assert b"changed" in now


def test_imported_incidents_are_rebuilt_with_their_associated_actors(client, boundaries):
    """An ACLED import writes new actors and associated actors in bulk, without history: as_of takes such
    rows as they are now (incidents only from their publication on), so the import is not lost."""
    from django.conf import settings as django_settings
    from django.core.management import call_command

    call_command("import_acled", str(django_settings.BASE_DIR / "fixtures" / "acled_sample.csv"), "--approve",
                 verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
    moment = later()
    _, live = get(client)
    assert b"Militia (Pro-Government)" in live
    assert as_of_bytes({}, moment, "csv") == live
    # Edited afterwards, through the form's path: the import's associated actors stay in the past.
    incident = Incident.objects.filter(assoc_actors_1__name="Militia (Pro-Government)").first()
    incident.notes = "EDITED LATER"
    incident.save()
    incident.assoc_actors_1.clear()
    assert as_of_bytes({}, moment, "csv") == live


def test_an_import_never_changes_an_earlier_answer_through_the_names_it_adds(client, boundaries):
    """Found by an attacker session: an import's new place (no history, so "always there") made
    ?q=Ibraheem&as_of=<before the import> find a published incident whose summary names Ibrahim."""
    make_incident(notes="Shelling near the house of Ibrahim Salloum.")
    moment = later()
    before = as_of_bytes({"q": "Ibraheem"}, moment, "csv")
    row = ("event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2,admin1,"
           "location,latitude,longitude,geo_precision,source,notes,fatalities\r\n"
           "ATK2X1,2016-01-20,1,Battles,Armed clash,Ibrahim Brigade,2,,,Deir ez-Zor,Ibrahim,35.10,40.30,2,Test,"
           "test row,0\r\n")
    from incidents.intake.acled_import import import_acled_csv

    summary = import_acled_csv(io.StringIO(row))
    assert summary.places_created == 1 and summary.actors_created == 1
    assert as_of_bytes({"q": "Ibraheem"}, moment, "csv") == before
