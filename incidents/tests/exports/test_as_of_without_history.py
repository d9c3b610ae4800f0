"""Rows loaded without history (bulk imports' actors, COPY loads such as the demo's and the benchmark's) keep their past: whatever
is changed afterwards, and however, an `?as_of=` export of an earlier moment gives the same bytes."""

import pytest
from django.apps import apps
from django.urls import reverse

from incidents.exports.as_of import iso_utc
from incidents.models import Actor, Article, Evidence, Incident, Place, Source
from incidents.models.history_baseline import BASELINE_REASON
from incidents.tests.exports.test_as_of import later
from incidents.tests.factories import edit_incident, make_actor, make_user

pytestmark = pytest.mark.django_db

EXPORTS = ("export-incidents-csv", "export-incidents-geojson")


def downloads(client, moment):
    answers = {}
    for name in EXPORTS:
        response = client.get(reverse(name), {"as_of": iso_utc(moment)})
        assert response.status_code == 200
        answers[name] = b"".join(response.streaming_content)
    return answers


def rename(model, **fields):
    for row in model.objects.all()[:3]:
        for name, value in fields.items():
            setattr(row, name, f"{value} {row.pk}")
        row.save()


CHANGES = {
    "an incident edited": lambda seeded, user: edit_incident(seeded[0], user, notes="EDITED", location="EDITED"),
    "an actor renamed": lambda seeded, user: rename(Actor, name="RENAMED"),
    "a place renamed": lambda seeded, user: rename(Place, name="RENAMED"),
    "an outlet renamed": lambda seeded, user: rename(Source, name="RENAMED"),
    "an article's address changed": lambda seeded, user: rename(Article, url="https://changed.example/"),
    "a quote changed": lambda seeded, user: rename(Evidence, quote="CHANGED"),
    "an associated actor added": lambda seeded, user: seeded[1].assoc_actors_1.add(make_actor("Added later")),
    "associated actors cleared": lambda seeded, user: [incident.assoc_actors_2.clear() for incident in seeded],
    "an evidence row deleted": lambda seeded, user: Evidence.objects.filter(incident=seeded[2]).first().delete(),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_later_change_never_rewrites_the_past_of_rows_loaded_without_history(client, seed, change):
    for model in (Incident, Actor, Place, Source, Article, Evidence):  # as a COPY or bulk load leaves them
        model.history.all().delete()
    for name in ("assoc_actors_1", "assoc_actors_2"):  # their own table: no cascade from the versions
        apps.get_model("incidents", f"HistoricalIncident_{name}").objects.all().delete()
    seeded = list(Incident.objects.published().order_by("id"))
    assert len(seeded) >= 3
    moment = later()
    before = downloads(client, moment)
    assert b"RENAMED" not in before["export-incidents-csv"]
    CHANGES[change](seeded, make_user(group="Analyst"))
    after = downloads(client, moment)
    assert after == before
    # The change itself is not lost: it is today's (or waits for review), over its baseline version.
    baselines = [model.history.filter(history_change_reason=BASELINE_REASON).count()
                 for model in (Incident, Actor, Place, Source, Article, Evidence)]
    assert sum(baselines) > 0
