"""The export's read model (exports/lines.py): the public CSV streamed from stored lines is byte for byte
the CSV computed from the live tables (the export as it was before the read model), on the seed and on
the real ACLED rows, under every filter; and every kind of write keeps the stored lines current."""

import csv
import io
import tracemalloc

from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from incidents.exports import copy_out
from incidents.exports.incidents import IncidentExport, PublicExport
from incidents.exports.lines import stale_lines
from incidents.models import AdminArea, Incident
from incidents.tests.factories import (
    clone_incident,
    make_actor,
    make_article,
    make_evidence,
    make_incident,
    make_source,
)
from incidents.tests.shared_data import acled_file_or_skip

pytestmark = pytest.mark.django_db

FILTERS = [
    {},
    {"event_type": "Battles"},
    {"event_type": "Violence against civilians"},
    {"governorate": "SYR009"},  # replaced below by the area's id
    {"date_from": "2016-01-01", "date_to": "2017-12-31"},
    {"q": "airbase"},
    {"min_fatalities": "5"},
    {"time_precision": "1", "geo_precision": "2"},
    {"updated_since": "2000-01-01"},
    {"bom": "1"},
]


def computed_csv(params):
    """The export as it was before the read model: every cell computed per row from the live tables."""
    export = PublicExport(QueryDict(urlencode(params)))
    bom = params.get("bom") == "1"
    return b"".join(IncidentExport(export.incidents.queryset).csv_chunks(bom=bom))


def downloaded(client, params):
    response = client.get(reverse("export-incidents-csv"), params)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content)
    return response, body


def area_params(params):
    if "governorate" in params:
        return {**params, "governorate": str(AdminArea.objects.get(pcode=params["governorate"]).pk)}
    return params


def assert_same_as_computed(client, minimum_rows=1):
    counts = []
    for params in map(area_params, FILTERS):
        response, body = downloaded(client, params)
        assert body == computed_csv(params), params
        records = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))[1:]
        assert int(response["X-Export-Rows"]) == len(records), params
        counts.append(len(records))
    assert counts[0] >= minimum_rows and counts[0] == Incident.objects.published().count()
    assert stale_lines() == []
    return counts


def test_stored_lines_give_the_computed_csv_on_the_seed(client, seed):
    counts = assert_same_as_computed(client, minimum_rows=7)
    assert len(set(counts)) > 2  # the filters really select different incidents


def test_stored_lines_give_the_computed_csv_on_the_real_acled_rows(client, seed, tmp_path):
    call_command("import_acled", str(acled_file_or_skip()), "--approve", verbosity=0, stdout=io.StringIO())
    counts = assert_same_as_computed(client, minimum_rows=1000)
    assert len(set(counts)) > 3


def export_text(client, **params):
    return downloaded(client, params)[1].decode("utf-8")


def test_every_kind_of_write_reaches_the_export(client):
    """Each change below alters what the CSV says about a published incident, through a table other
    than the incident's own row: the download must say it at once, and match the computed CSV."""
    actor, other = make_actor("Old Actor Name"), make_actor("Second Side")
    incident = make_incident(actor1=actor, actor2=other, notes="first note")
    article = make_article(source=make_source("Old Outlet"), url="https://old.example/report")
    evidence = make_evidence(incident, article)
    governorate = AdminArea.objects.filter(level=AdminArea.Level.GOVERNORATE).first()
    steps = [
        ("incident edited", lambda: Incident.objects.filter(pk=incident.pk).update(notes="second note"),
         "second note"),
        ("actor renamed", lambda: type(actor).objects.filter(pk=actor.pk).update(name="New Actor Name"),
         "New Actor Name"),
        ("actor category", lambda: type(actor).objects.filter(pk=other.pk).update(category=1), "State forces"),
        ("associated actor added", lambda: incident.assoc_actors_1.add(make_actor("Helper Militia")),
         "Helper Militia"),
        ("outlet renamed", lambda: type(article.source).objects.filter(pk=article.source_id).update(
            name="New Outlet"), "https://old.example/report"),
        ("article URL", lambda: type(article).objects.filter(pk=article.pk).update(url="https://new.example/r"),
         "https://new.example/r"),
        ("second evidence", lambda: make_evidence(incident, make_article(source=make_source("Third Outlet"))),
         "Third Outlet"),
        ("area placed", lambda: Incident.objects.filter(pk=incident.pk).update(admin1=governorate, admin1_name=""),
         None),
        ("area renamed", lambda: AdminArea.objects.filter(pk=governorate.pk).update(name="Renamed Governorate"),
         None),
    ]
    for label, change, expected in steps:
        change()
        text = export_text(client)
        assert text.encode("utf-8") == computed_csv({}), label
        if expected:
            assert expected in text, label
    assert stale_lines() == []
    evidence.delete()
    incident.assoc_actors_1.clear()
    assert export_text(client).encode("utf-8") == computed_csv({})
    # Withdrawn from the public: gone from the export and from the read model.
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.IN_REVIEW)
    assert "second note" not in export_text(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM incidents_exportline WHERE incident_id = %s", [incident.pk])
        assert cursor.fetchone()[0] == 0
    assert stale_lines() == []


def test_a_stale_line_is_detected(client):
    """The check the tests above rely on can fail: a line altered behind the triggers' back is named."""
    incident = make_incident(notes="true note")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE incidents_exportline SET body = replace(body, 'true note', 'false note')")
    assert stale_lines() == [incident.pk]
    assert b"false note" in downloaded(client, {})[1]  # the stream reads the stored line, so the check matters


# Every character COPY's text format writes as an escape (backslash, CR, LF, tab, \b, \f, \v), the
# sequences it reserves (\N for NULL, \. for the end of data), quotes, Arabic and a formula start.
AWKWARD_NOTES = ('=cmd|"/c calc"!A0 \\ back\\slash \\\\ two, \\N \\. \\r\\n typed\r\nreal CRLF\nLF\rCR'
                 '\ttab\bbs\fff\vvt end\\')


def test_copy_gives_back_every_byte_of_awkward_text(client):
    make_incident(notes=AWKWARD_NOTES, location="دير الزور\\\t")
    make_incident(notes="plain")
    for params in ({}, {"event_type": "Battles"}, {"bom": "1"}):
        response, body = downloaded(client, params)
        assert body == computed_csv(params), params
        notes = [row["notes"] for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))]
        assert notes == ["plain", "'" + AWKWARD_NOTES]  # the text as stored (neutralised), newest first
        assert response["X-Export-Rows"] == "2"


def peak_python_memory_of_download(client):
    """(rows, peak bytes Python held, in every thread) while the export is downloaded and counted."""
    tracemalloc.start()
    try:
        response = client.get(reverse("export-incidents-csv"), {"event_type": "Battles"})
        rows = sum(chunk.count(b"\r\n") for chunk in response.streaming_content)
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_download_memory_does_not_grow_with_the_number_of_rows(client, monkeypatch):
    # Blocks of 16 kB (128 kB in production) so that ten times the rows is many blocks here too: a
    # download that gathered its rows before sending them would peak about ten times higher.
    monkeypatch.setattr(copy_out, "READ_BYTES", 16 * 1024)
    template = make_incident(notes="A summary of ordinary length. " * 10)
    clone_incident(template, 199)
    small_rows, small_peak = peak_python_memory_of_download(client)
    clone_incident(template, 1800)
    large_rows, large_peak = peak_python_memory_of_download(client)
    assert (small_rows, large_rows) == (201, 2001)  # header included
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)
