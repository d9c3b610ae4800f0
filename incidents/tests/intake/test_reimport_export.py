"""Issue 15 point 6: our own export imported back maps each DZI id to our incident: nothing new,
nothing changed, the date window kept; a changed row of ours is refused, naming it."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from incidents.models import Incident
from incidents.tests.intake.test_bad_files import fingerprint

pytestmark = pytest.mark.django_db


def export(client, query=""):
    response = client.get(reverse("export-incidents-csv") + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def run_import(tmp_path, data, *options):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_acled", str(path), *options, stdout=out, stderr=err, verbosity=0)
    return out.getvalue()


def test_a_whole_export_of_the_seeded_demo_imports_back_as_nothing_new(client, seed, tmp_path):
    published = Incident.objects.published().count()
    assert published >= 7
    data = export(client)
    before = fingerprint()
    report = run_import(tmp_path, data, "--approve")
    assert f"{published} rows: 0 new incidents" in report and f"0 updated, {published} unchanged" in report
    assert fingerprint() == before
    assert export(client) == data  # and the export is byte for byte what it was


def test_dzi5_exported_and_reimported_keeps_one_incident_and_its_window(client, seed, tmp_path):
    windowed = Incident.objects.published().filter(fatalities=14).get()
    public_id = f"DZI{windowed.pk}"
    assert windowed.time_precision == 4 and windowed.date_end is not None
    data = export(client, f"?q={public_id}")
    run_import(tmp_path, data, "--approve")
    again = export(client)
    assert [row["event_id_cnty"] for row in csv.DictReader(io.StringIO(again.decode()))].count(public_id) == 1
    windowed.refresh_from_db()
    assert windowed.time_precision == 4 and windowed.date_end is not None
    assert Incident.objects.filter(fatalities=14).count() == 1
    # ... and that export still imports (it did not before: issue 15 point 6)
    run_import(tmp_path, export(client, f"?q={public_id}"), "--approve")


def test_the_date_window_travels_in_event_date_end_both_ways(client, seed, tmp_path):
    windowed = Incident.objects.published().filter(time_precision=4).first()
    (row,) = csv.DictReader(io.StringIO(export(client, f"?q=DZI{windowed.pk}").decode()))
    assert row["time_precision"] == "3"  # ACLED's widest, for tools that know only ACLED's codes
    assert row["event_date"] == f"{windowed.date:%d %B %Y}"
    assert row["event_date_end"] == f"{windowed.date_end:%d %B %Y}"
    # The same row under another data set's id is a new incident, with the window.
    copy = dict(row, event_id_cnty="PARTNER1")
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(copy)
    run_import(tmp_path, text.getvalue().encode(), "--approve")
    imported = Incident.objects.get(event_id_cnty="PARTNER1")
    assert (imported.time_precision, imported.date, imported.date_end) == (4, windowed.date, windowed.date_end)
    # A window that ends before it starts is refused, naming the column.
    writer.writerow(dict(copy, event_id_cnty="PARTNER2", event_date_end="1 January 2000"))
    path = tmp_path / "bad-window.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_acled", str(path), "--approve", stdout=io.StringIO(), stderr=err)
    assert "row 2 (line 3), column event_date_end: 2000-01-01 is before event_date" in err.getvalue()
    assert not Incident.objects.filter(event_id_cnty="PARTNER2").exists()


def test_a_changed_row_of_our_own_is_refused_naming_it(client, seed, tmp_path):
    rows = list(csv.DictReader(io.StringIO(export(client).decode())))
    ours = next(row for row in rows if row["event_id_cnty"].startswith("DZI"))
    ours["fatalities"] = str(int(ours["fatalities"]) + 5)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    before = fingerprint()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        path = tmp_path / "changed.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        call_command("import_acled", str(path), "--approve", stderr=err, stdout=io.StringIO(), verbosity=0)
    number = rows.index(ours) + 1
    assert (f"row {number}, column event_id_cnty: “{ours['event_id_cnty']}” is this database's own incident, "
            "and this row differs from it in fatalities") in err.getvalue()
    assert fingerprint() == before
