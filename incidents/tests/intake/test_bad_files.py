"""Issue 15 point 7: every file of the malformed corpus (fixtures/bad_files/) is refused by
import_acled, by the admin's import and by ingest_articles, each time naming row, column and reason,
with no traceback, and the database unchanged (a fingerprint of every table of the app)."""

import html
import importlib.util
import io
import tempfile
from unittest import mock
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from incidents.admin.import_export import SESSION_KEY, UPLOAD_DIR, UploadStorage
from incidents.models import Incident
from incidents.tests.factories import make_user
from incidents.tests.public_data import make_public_data

pytestmark = pytest.mark.django_db

BAD_FILES = Path(settings.BASE_DIR, "fixtures", "bad_files")
_spec = importlib.util.spec_from_file_location("make_bad_files", BAD_FILES / "make_bad_files.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
ALL_FILES = sorted(path.name for path in BAD_FILES.glob("*.csv"))
SAMPLE = Path(settings.BASE_DIR, "fixtures", "acled_sample.csv")


def fingerprint():
    """One digest of every row of every table of the app (and users): any write changes it."""
    tables = sorted({model._meta.db_table for model in apps.get_app_config("incidents").get_models()}
                    | {"auth_user"})
    digests = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT count(*), md5(coalesce(string_agg(md5(t::text), \'\' ORDER BY md5(t::text)), \'\')) '
                           f'FROM "{table}" t')
            digests.append((table, *cursor.fetchone()))
    return digests


def where(row, column):
    """How a Problem names its place in the text users read."""
    return ("header" if row is None else f"row {row} (line ") , f"column {column}:"


@pytest.fixture
def seeded(boundaries):
    """A small published data set (and unpublished work) the refused files must leave as it is."""
    make_public_data()
    return fingerprint()


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_superuser=True))
    return client


def test_the_corpus_is_complete():
    assert set(ALL_FILES) == set(corpus.FILES)
    assert set(corpus.EXPECTED) | set(corpus.ARTICLE_EXPECTED) == set(corpus.FILES)
    for name, data in corpus.FILES.items():
        assert (BAD_FILES / name).read_bytes() == data, f"{name}: run fixtures/bad_files/make_bad_files.py"


@pytest.mark.parametrize("name", ALL_FILES)
def test_import_acled_refuses_each_bad_file_naming_row_and_column(seeded, name):
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_acled", str(BAD_FILES / name), "--approve", stderr=err, stdout=io.StringIO(),
                     verbosity=0)
    report = err.getvalue()
    assert "Traceback" not in report
    if name in corpus.EXPECTED:
        row, column, words = corpus.EXPECTED[name]
        place, named_column = where(row, column)
        assert any(line.startswith(place) and named_column in line and words in line
                   for line in report.splitlines()), report[:2000]
    assert fingerprint() == seeded


@pytest.mark.parametrize("name", ALL_FILES)
def test_the_admin_import_refuses_each_bad_file_naming_row_and_column(admin_client, seeded, name):
    stored = []
    original = UploadStorage.save

    def save_and_note(storage, data):
        original(storage, data)
        stored.append(storage.name)

    with open(BAD_FILES / name, "rb") as file, mock.patch.object(UploadStorage, "save", save_and_note):
        response = admin_client.post(reverse("admin:incidents_incident_import"),
                                     {"format": "0", "resource": "0", "import_file": file})
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    page = html.unescape(response.content.decode())
    assert "encountered while trying to read file" not in page
    assert len(stored) == 1 and not UploadStorage(name=stored[0]).exists()  # refused: the upload is not kept
    if name in corpus.EXPECTED:
        row, column, words = corpus.EXPECTED[name]
        place, named_column = where(row, column)
        if column.startswith("(") or row is None:  # a file-level refusal: the form's error list
            assert place in page and named_column in page and words in page, page[-3000:]
        else:  # a cell: the preview's error table (row, column, reason)
            assert column in page and words in page
    assert fingerprint() == seeded


@pytest.mark.parametrize("name", ALL_FILES)
def test_ingest_articles_refuses_each_bad_file_naming_row_and_column(seeded, name):
    err = io.StringIO()
    with pytest.raises(CommandError, match="could not be ingested"):
        call_command("ingest_articles", str(BAD_FILES / name), "--source", "Test", stderr=err,
                     stdout=io.StringIO())
    report = err.getvalue()
    assert "Traceback" not in report
    if name in corpus.ARTICLE_EXPECTED:
        assert corpus.ARTICLE_EXPECTED[name] in report, report
    else:
        assert "row" in report or "header" in report
    assert fingerprint() == seeded


# -- issue 15 point 8: the confirm step opens only this user's own upload, once --

def preview(client):
    response = client.post(reverse("admin:incidents_incident_import"),
                           {"format": "0", "resource": "0", "import_file": io.BytesIO(SAMPLE.read_bytes())})
    form = response.context["confirm_form"]
    return {name: form[name].value() for name in form.fields}


def confirm(client, fields):
    return client.post(reverse("admin:incidents_incident_process_import"), fields)


def test_a_crafted_upload_name_touches_no_file(admin_client, boundaries):
    victim = Path(tempfile.gettempdir(), "another-users-export.csv")
    victim.write_bytes(SAMPLE.read_bytes())
    other = Client()
    other.force_login(make_user(username="other-analyst", is_superuser=True))
    others_upload = preview(other)
    fields = preview(admin_client)
    crafted = [victim.name, str(victim), "../" * 8 + "etc/passwd", others_upload["import_file_name"], "",
               "..", ".", "%2e%2e%2fetc%2fpasswd", "0" * 32, fields["import_file_name"] + "\x00", "A" * 5000]
    for name in crafted:
        response = confirm(admin_client, {**fields, "import_file_name": name})
        assert response.status_code == 302, name
        assert "no longer available" in admin_client.get(response["Location"]).content.decode(), name
    without_name = {key: value for key, value in fields.items() if key != "import_file_name"}
    assert confirm(admin_client, without_name).status_code == 302
    assert victim.read_bytes() == SAMPLE.read_bytes()
    assert UploadStorage(name=others_upload["import_file_name"]).exists()
    assert Incident.objects.count() == 0
    # The real confirmation imports once; the same confirmation again is refused, not a 500.
    assert confirm(admin_client, fields).status_code == 302
    assert Incident.objects.count() == 10
    again = confirm(admin_client, fields)
    assert again.status_code == 302 and "no longer available" in admin_client.get(again["Location"]).content.decode()
    assert Incident.objects.count() == 10
    assert not UploadStorage(name=fields["import_file_name"]).exists()
    assert fields["import_file_name"] not in admin_client.session.get(SESSION_KEY, [])
    assert (UPLOAD_DIR / others_upload["import_file_name"]).is_file()
    victim.unlink()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(admin_client, boundaries, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    big = io.BytesIO(b"\xff" * 5000)  # not even UTF-8: a parse would say so; the size is said first
    response = admin_client.post(reverse("admin:incidents_incident_import"),
                                 {"format": "0", "resource": "0", "import_file": big})
    page = html.unescape(response.content.decode())
    assert "at most 0.000953674 MB" in page or "at most" in page and "IMPORT_MAX_UPLOAD_BYTES" in page
    assert "not UTF-8" not in page
    assert "confirm_form" not in response.context


def test_an_id_differing_only_in_case_from_a_stored_one_is_refused(seeded):
    # Found by a second attacker session: after SYR901, syr901 imported as a second copy of the event.
    row = SAMPLE.read_text(encoding="utf-8").splitlines()
    first_id = row[1].split(",")[0]
    call_command("import_acled", str(SAMPLE), "--approve", stdout=io.StringIO(), stderr=io.StringIO(), verbosity=0)
    before = fingerprint()
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8") as file:
        file.write(row[0] + "\n" + row[1].replace(first_id, first_id.lower(), 1) + "\n")
        file.flush()
        err = io.StringIO()
        with pytest.raises(CommandError, match="nothing was imported"):
            call_command("import_acled", file.name, stderr=err, stdout=io.StringIO(), verbosity=0)
    assert f"differs only in case from “{first_id}”" in err.getvalue()
    assert fingerprint() == before


@pytest.mark.parametrize("longitude, imported", [("41.06", True), ("41.2", False)])
def test_a_point_beyond_the_border_is_refused_unless_within_the_tolerance(seeded, longitude, imported):
    # Al Bukamal's latitude: 41.06 E lies about 4 km inside Iraq (outlines are simplified, ACLED rounds),
    # 41.2 E about 17 km. Before, both imported; a swapped pair put Deir ez-Zor events in Turkey.
    text = corpus.with_cell(1, "latitude", "34.45", corpus.with_cell(1, "longitude", longitude))
    before = fingerprint()
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        err = io.StringIO()
        if imported:
            call_command("import_acled", file.name, stderr=err, stdout=io.StringIO(), verbosity=0)
            incident = Incident.objects.get(event_id_cnty=corpus.ROWS[0].split(",")[0])
            assert (incident.point.x, incident.point.y) == (41.06, 34.45)
        else:
            with pytest.raises(CommandError, match="nothing was imported"):
                call_command("import_acled", file.name, stderr=err, stdout=io.StringIO(), verbosity=0)
            assert "row 1 (line 2), column longitude: latitude 34.45, longitude 41.2 lies outside" in err.getvalue()
            assert "wrong way round" not in err.getvalue()
            assert fingerprint() == before


def test_coordinates_in_arabic_indic_digits_import_as_their_value(seeded):
    # The same rule as typed coordinates (common.numerals.parse_decimal): "٣٥٫٢٨٥٤" is 35.2854, as
    # "٣٥.٢٨٥٤" was; before, the Arabic decimal separator was "not a number" and the full stop accepted.
    text = corpus.with_cell(1, "latitude", "٣٥٫٢٨٥٤", corpus.with_cell(1, "longitude", "٤٠٫١٧٥٦"))
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        call_command("import_acled", file.name, stderr=io.StringIO(), stdout=io.StringIO(), verbosity=0)
    incident = Incident.objects.get(event_id_cnty=corpus.ROWS[0].split(",")[0])
    assert (incident.point.y, incident.point.x) == (35.2854, 40.1756)
