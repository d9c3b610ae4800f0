"""Synthetic demonstration data (issue 20): loaded at the requested count, never doubled, marked in
every page, download and answer, and removed whole, leaving every real row as it was."""

import csv
import hashlib
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from incidents.exports import lines
from incidents.models import Article, Incident
from incidents.models.incident import DEMO, DEMO_TAG

BANNER = "Synthetic demonstration data — not real events"
COUNT = 300
# Every table a demonstration load or removal may touch, read whole (counts summed per key, since
# the count tables hold deltas: the same totals may be written as other rows).
FINGERPRINT_SQL = {
    "incidents": "SELECT row_to_json(t)::text FROM incidents_incident t ORDER BY id",
    "articles": "SELECT row_to_json(t)::text FROM incidents_article t ORDER BY id",
    "evidence": "SELECT row_to_json(t)::text FROM incidents_evidence t ORDER BY id",
    "actors": "SELECT row_to_json(t)::text FROM incidents_actor t ORDER BY id",
    "outlets": "SELECT row_to_json(t)::text FROM incidents_source t ORDER BY id",
    "assoc1": "SELECT row_to_json(t)::text FROM incidents_incident_assoc_actors_1 t ORDER BY id",
    "assoc2": "SELECT row_to_json(t)::text FROM incidents_incident_assoc_actors_2 t ORDER BY id",
    "export lines": "SELECT row_to_json(t)::text FROM incidents_exportline t ORDER BY incident_id",
    "history": "SELECT (SELECT count(*) FROM incidents_historicalincident) || '/' || "
               "(SELECT count(*) FROM incidents_historicalarticle) || '/' || "
               "(SELECT count(*) FROM incidents_historicalevidence) || '/' || "
               "(SELECT count(*) FROM incidents_historicalactor) || '/' || "
               "(SELECT count(*) FROM incidents_historicalsource)",
    "timeline counts": "SELECT date, date_end, time_precision, event_type, sum(incidents), sum(fatalities) "
                       "FROM incidents_timelinecount GROUP BY 1, 2, 3, 4 HAVING sum(incidents) <> 0 ORDER BY 1, 2, 3, 4",
    "area counts": "SELECT area_id, date, date_end, time_precision, event_type, sum(incidents), sum(fatalities) "
                   "FROM incidents_areatimelinecount GROUP BY 1, 2, 3, 4, 5 HAVING sum(incidents) <> 0 "
                   "ORDER BY 1, 2, 3, 4, 5",
    "actor counts": "SELECT actor_id, sum(incidents) FROM incidents_actorcount GROUP BY 1 "
                    "HAVING sum(incidents) <> 0 ORDER BY 1",
}


def fingerprint():
    digests = {}
    with connection.cursor() as cursor:
        for name, sql in FINGERPRINT_SQL.items():
            cursor.execute(sql)
            digests[name] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


def load(count=COUNT):
    call_command("load_demo_data", "--count", str(count), verbosity=0, stdout=io.StringIO())


def remove():
    call_command("remove_demo_data", verbosity=0, stdout=io.StringIO())


def published_counted():
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(incidents), 0) FROM incidents_timelinecount")
        return cursor.fetchone()[0]


@pytest.fixture
def demo(seed):
    load()


def test_load_fills_the_requested_count_with_real_shapes_and_twice_does_not_double(seed):
    real = Incident.objects.exclude(DEMO).count()
    load()
    demo = Incident.objects.filter(DEMO)
    assert demo.count() == COUNT
    load()
    assert demo.count() == COUNT and Incident.objects.exclude(DEMO).count() == real
    assert not demo.filter(event_id_cnty__isnull=False).exists()  # no ACLED-like id: DEMO<pk>
    assert demo.values("event_type").distinct().count() >= 4
    assert demo.values("time_precision").distinct().count() >= 2
    assert demo.values("actor1").distinct().count() >= 5
    assert not demo.filter(place__isnull=True).exists() and not demo.filter(admin1__isnull=True).exists()
    sample = demo.order_by("id")[:40]
    for incident in sample:
        assert incident.public_id == f"DEMO{incident.pk}"
        evidence = list(incident.evidence.select_related("article"))
        assert evidence, incident
        for quote in evidence:
            assert quote.article.demo
            assert quote.article.text[quote.start:quote.end] == quote.quote
    # Through the same read models as real incidents: counts and export lines agree with the rows.
    assert published_counted() == Incident.objects.published().count()
    assert lines.stale_lines() == []
    call_command("load_demo_data", "--count", "25", verbosity=0, stdout=io.StringIO())
    assert demo.count() == 25


def test_remove_leaves_the_seed_and_every_real_row_unchanged(seed):
    before = fingerprint()
    seed_coding = list(Incident.objects.exclude(DEMO).order_by("id").values())
    load()
    assert fingerprint()["incidents"] != before["incidents"]
    assert published_counted() == Incident.objects.published().count()
    remove()
    assert not Incident.objects.filter(DEMO).exists() and not Article.objects.filter(demo=True).exists()
    assert fingerprint() == before
    assert list(Incident.objects.exclude(DEMO).order_by("id").values()) == seed_coding
    assert lines.stale_lines() == []
    remove()  # nothing left: still fine
    assert fingerprint() == before


def test_demo_rows_are_marked_in_csv_geojson_and_json(client, demo):
    demo_ids = {f"DEMO{pk}" for pk in Incident.objects.published().filter(DEMO).values_list("pk", flat=True)}
    real_ids = {i.public_id for i in Incident.objects.published().exclude(DEMO)}
    assert demo_ids and real_ids

    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/export/incidents.csv").streaming_content)
                                           .decode("utf-8-sig"))))
    by_id = {row["event_id_cnty"]: row for row in rows}
    assert demo_ids <= set(by_id) and real_ids <= set(by_id)
    assert all(DEMO_TAG in by_id[i]["tags"].split("; ") for i in demo_ids)
    assert not any(DEMO_TAG in by_id[i]["tags"].split("; ") for i in real_ids)
    # Traceable like a coded incident: the source column names the outlets whose articles are cited
    # (found by a newcomer: it named other outlets than the article URLs).
    for i in demo_ids:
        outlets = by_id[i]["source"].split("; ")
        urls = by_id[i]["article_urls"]
        assert all(outlet.lower().replace(" ", "-") in urls for outlet in outlets), by_id[i]

    geojson = json.loads(b"".join(client.get("/export/incidents.geojson").streaming_content))
    features = {f["properties"]["event_id_cnty"]: f["properties"] for f in geojson["features"]}
    assert all(DEMO_TAG in features[i]["tags"] for i in demo_ids)
    assert not any(DEMO_TAG in (features[i]["tags"] or "") for i in real_ids)

    answer = client.get("/api/incidents.json", {"page_size": 500}).json()
    results = {r["public_id"]: r for r in answer["results"]}
    assert demo_ids <= set(results)
    assert all(results[i]["demo"] is True for i in demo_ids)
    assert all(results[i]["demo"] is False for i in real_ids)

    points = client.get("/api/incidents.geojson", {"bbox": "35.0,33.0,42.5,37.5", "zoom": 18}).json()
    marks = {f["properties"]["public_id"]: f["properties"]["demo"] for f in points["features"]}
    assert marks and all(marks[i] == i.startswith("DEMO") for i in marks)


def test_the_public_id_search_tells_demo_from_real(client, demo):
    incident = Incident.objects.published().filter(DEMO).order_by("id").first()
    found = client.get("/api/incidents.json", {"q": f"DEMO{incident.pk}"}).json()
    assert [r["public_id"] for r in found["results"]] == [f"DEMO{incident.pk}"]
    assert client.get("/api/incidents.json", {"q": f"DZI{incident.pk}"}).json()["count"] == 0


def banner_urls():
    """(anonymous URLs, staff URLs): every kind of public page, the embed view, and the admin."""
    demo = Incident.objects.published().filter(DEMO).order_by("id").first()
    real = Incident.objects.published().exclude(DEMO).order_by("id").first()
    public = ["/", "/embed/", f"/incidents/{demo.pk}/", f"/incidents/{real.pk}/", "/?event_type=Battles",
              "/incidents/999999999/", "/admin/login/"]
    staff = ["/admin/", "/admin/incidents/incident/", f"/admin/incidents/incident/{real.pk}/change/",
             "/admin/incidents/article/"]
    return public, staff


def pages(client, admin_client, urls):
    public, staff = urls
    return {**{url: client.get(url) for url in public}, **{url: admin_client.get(url) for url in staff}}


def test_the_banner_is_on_every_public_page_the_admin_and_the_embed_view_until_removed(client, admin_client, demo):
    urls = banner_urls()
    for url, response in pages(client, admin_client, urls).items():
        assert response.status_code in (200, 404), url
        assert BANNER in response.content.decode(), url
        # How to remove them is for the people who run the site, not for visitors (found by a newcomer).
        assert ("remove_demo_data" in response.content.decode()) == url.startswith(("/admin/", "/ar/admin/")), url
    remove()
    for url, response in pages(client, admin_client, urls).items():
        assert response.status_code in (200, 404), url
        assert BANNER not in response.content.decode(), url


def test_nobody_adds_or_removes_the_demo_tag_by_hand(demo):
    real = Incident.objects.exclude(DEMO).first()
    real.tags = [*real.tags, DEMO_TAG]
    with pytest.raises(ValidationError) as error:
        real.full_clean()
    assert "tags" in error.value.message_dict
    fake = Incident.objects.filter(DEMO).first()
    fake.tags = []
    with pytest.raises(ValidationError) as error:
        fake.full_clean()
    assert "tags" in error.value.message_dict


def test_an_import_naming_a_demo_id_is_refused(demo):
    from incidents.intake.acled_import import ImportRefused, own_incidents

    class Row:
        number, event_id_cnty = 2, "DEMO1"

    with pytest.raises(ImportRefused) as refused:
        own_incidents([Row()])
    assert "demonstration" in str(refused.value.problems[0].message)


def test_each_demo_quote_is_the_article_text_at_its_offsets_and_names_its_incident_s_place_and_day(demo):
    # Found by a newcomer session: demo quotes named another town and another day than their incident.
    import calendar

    from incidents.models import Evidence
    from incidents.operations.synthetic.mix import FOLLOW_UP_SENTENCES

    quotes = Evidence.objects.filter(incident__tags__contains=[DEMO_TAG]).select_related("article", "incident")
    assert quotes.count() >= COUNT
    naming = 0
    for quote in quotes:
        assert quote.article.text[quote.start:quote.end] == quote.quote, quote.pk
        if quote.quote in FOLLOW_UP_SENTENCES:
            continue  # a further source's follow-up: names no place and no day
        naming += 1
        incident = quote.incident
        assert incident.location in quote.quote, (quote.quote, incident.location)
        month_year = f"{calendar.month_name[incident.date.month]} {incident.date.year}"
        assert month_year in quote.quote, (quote.quote, incident.date)
        if incident.time_precision == 1:
            assert f"{incident.date.day} {month_year}" in quote.quote and "a day in" not in quote.quote
    assert naming == COUNT  # every incident has one quote naming its place and day


def test_each_demo_associated_actor_fights_beside_its_side_s_actor(demo):
    # Found by a newcomer session: the demo paired the Islamic State with Russian forces as associated actors.
    from incidents.operations.synthetic.mix import CAMPS

    camp_of = {name: index for index, camp in enumerate(CAMPS) for name in camp}
    demo_incidents = Incident.objects.filter(tags__contains=[DEMO_TAG]).select_related("actor1", "actor2")
    pairs = 0
    for incident in demo_incidents.prefetch_related("assoc_actors_1", "assoc_actors_2"):
        for actor, associated in ((incident.actor1, incident.assoc_actors_1.all()),
                                  (incident.actor2, incident.assoc_actors_2.all())):
            for ally in associated:
                pairs += 1
                assert ally != actor and ally not in (incident.actor1, incident.actor2), incident.pk
                assert camp_of.get(ally.name) is not None and camp_of.get(ally.name) == camp_of.get(actor.name), (
                    incident.pk, actor.name, ally.name)
    assert pairs >= COUNT * 0.05  # about 15% of actor 1s and 5% of actor 2s with a camp have one
