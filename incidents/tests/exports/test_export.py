"""Public CSV/GeoJSON exports: the dashboard's view, ACLED's columns, safe for spreadsheets, streamed."""

import csv
import datetime
import io
import json
import tracemalloc

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone

from incidents.common.acled_format import ACLED_COLUMNS
from incidents.common.typology import ActorCategory, TimePrecision
from incidents.exports import incidents as export_module
from incidents.exports.incidents import EXPORT_COLUMNS, IncidentExport
from incidents.models import AdminArea, Incident
from incidents.public.filters import filtered_incidents
from incidents.tests.factories import (
    AIRBASE,
    PALMYRA,
    clone_incident,
    make_actor,
    make_article,
    make_evidence,
    make_incident,
    make_source,
    make_unpublished_trio,
)

pytestmark = pytest.mark.django_db


def download(client, name="export-incidents-csv", **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content)


def csv_rows(client, **params):
    _, body = download(client, **params)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def governorate(pcode="SYR009"):
    return AdminArea.objects.get(pcode=pcode)


def test_csv_has_acleds_columns_in_acleds_order_then_ours(client):
    _, body = download(client)
    header = body.decode().split("\r\n")[0].split(",")
    assert header[:31] == ACLED_COLUMNS
    assert header[31:] == ["fatalities_low", "fatalities_high", "injured", "event_date_end", "status", "article_urls",
                           "incident_url"]


def test_unpublished_incidents_are_not_in_the_csv(client):
    published = make_incident(notes="PUBLISHED")
    merged = make_incident(notes="MERGED-AWAY", merged_into=published)
    make_unpublished_trio()
    rows = csv_rows(client)
    assert [row["notes"] for row in rows] == ["PUBLISHED"]
    assert merged.status == Incident.Status.APPROVED


def test_unpublished_incidents_are_not_in_the_geojson(client):
    make_incident(notes="PUBLISHED")
    make_unpublished_trio()
    _, body = download(client, "export-incidents-geojson")
    collection = json.loads(body)
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["notes"] for f in collection["features"]] == ["PUBLISHED"]


def test_withdrawn_list_never_names_incidents_that_were_never_published(client):
    make_unpublished_trio()
    Incident.objects.update(withdrawn_at=timezone.now())  # even with a stray withdrawal time
    _, body = download(client, "export-incidents-withdrawn-csv")
    assert body.decode() == "event_id_cnty,withdrawn_at,reason,merged_into\r\n"


def test_csv_selects_exactly_what_the_dashboard_filter_selects(client):
    in_deir = make_incident(notes="airbase", point=AIRBASE, fatalities=3)
    make_incident(notes="palmyra", point=PALMYRA, fatalities=3)
    make_incident(notes="too few dead", point=AIRBASE, fatalities=1)
    make_unpublished_trio(point=AIRBASE, fatalities=5)
    params = {"governorate": governorate().pk, "min_fatalities": "2"}
    expected = {f"DZI{pk}" for pk in filtered_incidents(params).qs.values_list("pk", flat=True)}
    exported = {row["event_id_cnty"] for row in csv_rows(client, **params)}
    assert exported == expected == {f"DZI{in_deir.pk}"}


def test_geojson_holds_the_same_incidents_as_the_csv_with_points(client):
    make_incident(point=AIRBASE)
    make_incident(point=PALMYRA)
    params = {"governorate": governorate().pk}
    _, body = download(client, "export-incidents-geojson", **params)
    features = json.loads(body)["features"]
    assert {f["id"] for f in features} == {row["event_id_cnty"] for row in csv_rows(client, **params)}
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [40.1756, 35.2854]}
    assert features[0]["properties"]["fatalities"] == 0  # numbers stay numbers in JSON


@pytest.mark.parametrize("name, params, parameter", [
    ("export-incidents-csv", {"date_from": "yesterday"}, "date_from"),
    ("export-incidents-csv", {"updated_since": "last week"}, "updated_since"),
    ("export-incidents-csv", {"bom": "yes"}, "bom"),
    ("export-incidents-geojson", {"governorate": "999999"}, "governorate"),
    ("export-incidents-withdrawn-csv", {"updated_since": "2024-13-45"}, "updated_since"),
])
def test_bad_parameter_is_a_400_naming_it(client, name, params, parameter):
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    assert list(response.json()["parameters"]) == [parameter]


def test_coded_incident_is_written_in_acleds_terms(client):
    actor1 = make_actor("Islamic State (Syria)", ActorCategory.REBEL_GROUP)
    actor2 = make_actor("Military Forces of Syria (2000-)", ActorCategory.STATE_FORCES)
    helpers = [make_actor("Second helper"), make_actor("First helper")]
    incident = make_incident(
        actor1=actor1, actor2=actor2, assoc_actors_1=[], date=datetime.date(2016, 1, 18),
        date_end=datetime.date(2016, 2, 1), time_precision=TimePrecision.UNKNOWN, fatalities=14,
        fatalities_low=10, fatalities_high=20, civilian_targeting=True, tags=["seed article", "siege"])
    for helper in helpers:  # recorded in this order, exported in this order
        incident.assoc_actors_1.add(helper)
    make_evidence(incident, make_article(source=make_source("ARA News"), url="https://example.org/report"))
    row = csv_rows(client)[0]
    assert row["event_date"] == "18 January 2016" and row["year"] == "2016"
    assert row["time_precision"] == "3"  # our 4, unknown day in a window, is ACLED's widest
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("Rebel group", "State forces",
                                                                  "State forces-Rebel group")
    assert row["assoc_actor_1"] == "Second helper; First helper"
    assert row["admin1"] == "Deir ez Zor"  # ACLED's spelling, not the boundary file's "Deir Ez-Zor"
    assert (row["iso"], row["region"], row["country"]) == ("760", "Middle East", "Syria")
    assert (row["latitude"], row["longitude"]) == ("35.2854", "40.1756")
    assert row["civilian_targeting"] == "Civilian targeting" and row["tags"] == "seed article; siege"
    assert row["source"] == "ARA News" and row["article_urls"] == "https://example.org/report"
    assert row["disorder_type"] == "Political violence"
    assert (row["fatalities"], row["fatalities_low"], row["fatalities_high"], row["injured"]) == ("14", "10", "20", "")
    assert row["status"] == "approved"
    assert row["incident_url"].endswith(reverse("incident-detail", args=[incident.pk]))
    assert int(row["timestamp"]) == int(Incident.objects.get().updated_at.timestamp())


def test_sole_actor_incident_has_empty_actor2_and_an_only_interaction(client):
    make_incident(actor1=make_actor(category=ActorCategory.STATE_FORCES))
    row = csv_rows(client)[0]
    assert (row["actor2"], row["inter2"], row["interaction"]) == ("", "", "State forces only")


def test_formula_cells_are_neutralised_but_negative_coordinates_stay_numbers(client):
    make_incident(notes="=HYPERLINK(\"http://evil\",\"x\")", location="+SUM(1,2)", source_text="-2+3",
                  actor1=make_actor("@cmd"), point=Point(-0.5, -12.25, srid=4326))
    row = csv_rows(client)[0]
    assert row["notes"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert row["location"] == "'+SUM(1,2)" and row["source"] == "'-2+3" and row["actor1"] == "'@cmd"
    assert (row["longitude"], row["latitude"]) == ("-0.5", "-12.25")


def test_csv_follows_rfc_4180(client):
    notes = 'He said "no", then left,\nlater returning.'
    make_incident(notes=notes)
    _, body = download(client)
    text = body.decode("utf-8")
    assert text.count("\r\n") == 2  # header and one record; the newline inside the cell stays bare
    assert '"He said ""no"", then left,\nlater returning."' in text
    assert next(csv.DictReader(io.StringIO(text)))["notes"] == notes


def test_bom_only_when_asked_for(client):
    make_incident()
    assert download(client, bom="1")[1].startswith(b"\xef\xbb\xbfevent_id_cnty,")
    assert download(client)[1].startswith(b"event_id_cnty,")


def test_file_name_carries_the_filter_and_the_dates(client):
    params = {"governorate": governorate().pk, "date_from": "2016-01-01", "date_to": "2016-12-31"}
    response, _ = download(client, **params)
    assert response["Content-Disposition"] == 'attachment; filename="incidents_deir-ez-zor_2016-01-01_2016-12-31.csv"'
    area = governorate()
    area.name_ar = "دير الزور"
    area.save()
    arabic = client.get("/ar" + reverse("export-incidents-csv"), params)  # the Arabic pages' link
    assert arabic["Content-Disposition"] == response["Content-Disposition"]  # not "incidents_2016-01-01_…"
    b"".join(arabic.streaming_content)
    response, _ = download(client, "export-incidents-geojson", event_type="Battles", date_to="2016-12-31")
    assert 'filename="incidents_battles_start_2016-12-31.geojson"' in response["Content-Disposition"]
    response, _ = download(client, updated_since="2024-05-16T08:30:00Z")
    assert f"_start_{timezone.localdate()}_changed-since-20240516T083000Z.csv" in response["Content-Disposition"]


def at(day):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def test_updated_since_gives_changed_incidents_and_a_list_of_withdrawn_ones(client):
    since = at(datetime.date(2024, 5, 1))
    old = make_incident(notes="unchanged since")
    changed = make_incident(notes="changed after")
    republished = make_incident(notes="published again")
    unpublished = make_incident(status=Incident.Status.IN_REVIEW, notes="edited after publication")
    merged = make_incident(notes="merged into another", merged_into=changed)
    withdrawn_before = make_incident(status=Incident.Status.REJECTED)
    Incident.objects.update(updated_at=at(datetime.date(2024, 4, 1)), published_at=at(datetime.date(2024, 3, 1)))
    Incident.objects.filter(pk=changed.pk).update(updated_at=at(datetime.date(2024, 5, 2)))
    Incident.objects.filter(pk=republished.pk).update(published_at=at(datetime.date(2024, 5, 3)))
    Incident.objects.filter(pk__in=[unpublished.pk, merged.pk]).update(withdrawn_at=at(datetime.date(2024, 5, 4)))
    Incident.objects.filter(pk=withdrawn_before.pk).update(withdrawn_at=at(datetime.date(2024, 4, 2)))

    rows = csv_rows(client, updated_since="2024-05-01T12:00:00Z")
    assert {row["notes"] for row in rows} == {"changed after", "published again"}
    assert old.notes not in {row["notes"] for row in rows}

    _, body = download(client, "export-incidents-withdrawn-csv", updated_since=str(int(since.timestamp())))
    withdrawn = list(csv.DictReader(io.StringIO(body.decode())))
    assert [(row["event_id_cnty"], row["reason"], row["merged_into"]) for row in withdrawn] == [
        (f"DZI{unpublished.pk}", "under review", ""), (f"DZI{merged.pk}", "merged", f"DZI{changed.pk}")]
    assert withdrawn[0]["withdrawn_at"] == "2024-05-04T12:00:00+00:00"


def test_export_time_header_can_be_passed_back_as_updated_since(client):
    make_incident(notes="before")
    response, _ = download(client)
    since = response["X-Export-Time"]
    assert csv_rows(client, updated_since=since) == []
    make_incident(notes="after")
    assert [row["notes"] for row in csv_rows(client, updated_since=since)] == ["after"]


def test_export_is_newest_first_like_acleds(client):
    for day in (3, 1, 2):
        make_incident(date=datetime.date(2017, 1, day))
    assert [row["event_date"] for row in csv_rows(client)] == ["03 January 2017", "02 January 2017",
                                                               "01 January 2017"]


def peak_python_memory(chunks):
    tracemalloc.start()
    try:
        rows = sum(chunk.count(b"\r\n") for chunk in chunks)
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_export_memory_does_not_grow_with_the_number_of_rows(monkeypatch):
    # The property is "one chunk in memory, however many rows": shown at a tenth of the real chunk
    # (200 rows a fetch, 201 against 2,001 rows), which exercises the same code at a tenth of the cost
    # (11 s before with 2,000 rows a chunk and 20,001 rows). A buffered export fails this as clearly:
    # its peak grows about tenfold (docs/PERFORMANCE.md, Harness and tests).
    monkeypatch.setattr(export_module, "CHUNK_ROWS", 200)
    template = make_incident(notes="A summary of ordinary length. " * 10)
    clone_incident(template, 199)
    small_rows, small_peak = peak_python_memory(IncidentExport(Incident.objects.all()).csv_chunks())
    clone_incident(template, 1800)
    large_rows, large_peak = peak_python_memory(IncidentExport(Incident.objects.all()).csv_chunks())
    assert (small_rows, large_rows) == (201, 2001)  # header included
    # Ten times the rows (about 0.8 MB of CSV, ten chunks) may not cost more than a little over one
    # chunk's memory.
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)


def test_every_export_column_has_a_value_in_the_admin_rows_too():
    make_incident(notes="=1+1")
    (row,) = IncidentExport(Incident.objects.all()).rows()
    values = dict(zip(EXPORT_COLUMNS, row))
    assert values["notes"] == "'=1+1" and values["fatalities"] == 0 and values["status"] == "approved"
