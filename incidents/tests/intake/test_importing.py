"""ACLED import: checked row by row, written all at once or not at all, idempotent, names matched."""

import csv
import io
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from incidents.common.acled_format import ACLED_GOVERNORATE_NAMES, parse_inter, parse_interaction
from incidents.common.names import name_key
from incidents.common.typology import ActorCategory
from incidents.exports.incidents import IncidentExport
from incidents.intake.acled_import import ImportRefused, import_acled_csv
from incidents.intake.matching import AreaDirectory
from incidents.models import Actor, AdminArea, Incident, Place
from incidents.tests.factories import PALMYRA, make_actor, make_incident, make_user
from incidents.tests.shared_data import acled_file_or_skip

pytestmark = pytest.mark.django_db

SAMPLE = settings.BASE_DIR / "fixtures" / "acled_sample.csv"
# Douma: inside the Rural Damascus polygon, though a file may call its governorate "Damascus".
DOUMA = (36.4028, 33.5711)


def sample_rows():
    with SAMPLE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def as_csv(rows, header=None):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header or list(rows[0]), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def import_text(text, **options):
    return import_acled_csv(io.StringIO(text), **options)


def write_file(tmp_path, text):
    path = tmp_path / "acled.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_acled", *args, stdout=out, stderr=err, verbosity=0)
    return out.getvalue()


def database_counts():
    return (Incident.objects.count(), Incident.history.count(), Actor.objects.count(), Place.objects.count())


def exported(incidents):
    data = b"".join(IncidentExport(incidents).csv_chunks()).decode("utf-8")
    return {row["event_id_cnty"]: row for row in csv.DictReader(io.StringIO(data))}


def test_sample_file_imports_into_review_with_its_sources_and_actor_types():
    output = run_command(str(SAMPLE))
    assert "10 rows: 10 new incidents (in review), 0 updated, 0 unchanged." in output
    assert set(Incident.objects.values_list("status", flat=True)) == {Incident.Status.IN_REVIEW}
    incident = Incident.objects.get(event_id_cnty="DZX0012")
    assert incident.source_text == "SANA; SOHR" and incident.source_scale == "National-New media"
    assert incident.actor1.category == ActorCategory.STATE_FORCES
    assert incident.actor2.category == ActorCategory.REBEL_GROUP
    assert incident.admin1.pcode == "SYR009" and incident.admin2.pcode == "SYR009001"
    assert Actor.objects.get(name="Military Forces of Russia (2000-)").category == ActorCategory.EXTERNAL_OTHER


def test_approve_flag_publishes_the_new_incidents(client):
    run_command(str(SAMPLE), "--approve")
    assert Incident.objects.filter(status=Incident.Status.APPROVED, published_at__isnull=False).count() == 10
    response = client.get(reverse("export-incidents-csv"))
    assert b"".join(response.streaming_content).count(b"DZX00") == 10


def test_reimporting_the_same_file_changes_nothing():
    run_command(str(SAMPLE))
    before = database_counts()
    stamps = dict(Incident.objects.values_list("event_id_cnty", "updated_at"))
    assert "0 new incidents (in review), 0 updated, 10 unchanged." in run_command(str(SAMPLE))
    assert database_counts() == before
    assert dict(Incident.objects.values_list("event_id_cnty", "updated_at")) == stamps


def test_a_changed_row_updates_its_incident_and_a_published_one_goes_back_to_review():
    run_command(str(SAMPLE), "--approve")
    rows = sample_rows()
    rows[2]["fatalities"] = "5"
    rows[2]["assoc_actor_2"] = "Civilians (Syria)"  # lists change too, not only fields
    rows[2]["actor2"], rows[2]["inter2"], rows[2]["interaction"] = "Military Forces of Syria (2000-)", "1", "18"
    summary = import_text(as_csv(rows))
    assert (summary.created, summary.updated, summary.unchanged, summary.sent_back_to_review) == (0, 1, 9, 1)
    incident = Incident.objects.get(event_id_cnty=rows[2]["event_id_cnty"])
    assert incident.fatalities == 5 and incident.status == Incident.Status.IN_REVIEW and incident.withdrawn_at
    assert [actor.name for actor in incident.assoc_actors_2.all()] == ["Civilians (Syria)"]
    assert Incident.objects.filter(status=Incident.Status.APPROVED).count() == 9


def test_actors_are_matched_by_alias_and_by_spelling_not_duplicated():
    isis = make_actor("ISIS", aliases=["Islamic State (Syria)"])
    army = make_actor("Military Forces of Syria (2000 -)", ActorCategory.STATE_FORCES)
    summary = import_text(SAMPLE.read_text(encoding="utf-8"))
    assert not Actor.objects.filter(name__in=["Islamic State (Syria)", "Military Forces of Syria (2000-)"]).exists()
    assert Incident.objects.filter(actor1=isis).count() == 5 and Incident.objects.filter(actor1=army).count() == 2
    army.refresh_from_db()
    # An existing actor is not changed by a file (one analyst): the spelling is reported for a reviewer.
    assert army.aliases == [] and army.history.count() == 1  # its creation only
    assert summary.other_spellings == {army.name: {"Military Forces of Syria (2000-)"}}
    assert any("Military Forces of Syria (2000-)" in line and "not added as aliases" in line for line in summary.lines())
    assert summary.actors_created == Actor.objects.count() - 2


def test_places_are_matched_by_variant_when_near_and_created_when_far():
    mayadin = Place.objects.create(name="Mayadin", variants=["Al Mayadin"], point=Point(40.45, 35.02, srid=4326))
    far_thiban = Place.objects.create(name="Thiban", point=PALMYRA)  # same name, 180 km away: another place
    import_text(SAMPLE.read_text(encoding="utf-8"))
    assert Incident.objects.get(event_id_cnty="DZX0010").place == mayadin
    thiban = Incident.objects.get(event_id_cnty="DZX0009").place
    assert thiban != far_thiban and thiban.name == "Thiban" and thiban.admin1.pcode == "SYR009"


def test_area_names_are_kept_as_the_file_gives_them_even_where_the_point_disagrees():
    rows = sample_rows()[:1]
    rows[0].update(admin1="Damascus", admin2="Damascus", admin3="Damascus", longitude=DOUMA[0], latitude=DOUMA[1])
    import_text(as_csv(rows))
    incident = Incident.objects.get()
    assert AdminArea.objects.get(pcode="SYR003").geom.covers(incident.point)  # the polygon says Rural Damascus
    assert incident.admin1.pcode == "SYR001" and incident.admin1_name == "Damascus"  # the file says Damascus
    assert exported(Incident.objects.all())[rows[0]["event_id_cnty"]]["admin1"] == "Damascus"


def test_moving_an_imported_incident_forgets_the_files_area_names():
    import_text(as_csv(sample_rows()[:1]))
    incident = Incident.objects.get()
    incident.point = PALMYRA
    incident.save()
    incident.refresh_from_db()
    assert (incident.admin1_name, incident.admin3_name) == ("", "")
    assert incident.admin1.pcode == "SYR004"
    assert exported(Incident.objects.all())[incident.event_id_cnty]["admin1"] == "Homs"


def test_actor_types_written_as_text_import_like_numbers():
    rows = sample_rows()[:1]
    rows[0].update(inter1="State forces", inter2="Rebel group", interaction="State forces-Rebel group")
    import_text(as_csv(rows))
    incident = Incident.objects.get()
    assert (incident.actor1.category, incident.actor2.category) == (ActorCategory.STATE_FORCES,
                                                                    ActorCategory.REBEL_GROUP)


def test_our_exports_formula_guard_is_undone_on_import():
    rows = sample_rows()[:1]
    rows[0]["notes"] = "'=1+2 is how the report was headed"
    import_text(as_csv(rows))
    assert Incident.objects.get().notes == "=1+2 is how the report was headed"


def test_export_of_the_imported_sample_gives_back_every_value():
    import_text(SAMPLE.read_text(encoding="utf-8"))
    assert round_trip_mismatches(sample_rows(), exported(Incident.objects.all())) == Counter()


BAD_ROWS = [
    ("event_date", "31 June 2017", "is not a date"),
    ("latitude", "200", "out of range"),
    ("fatalities", "-3", "out of range"),
    ("event_type", "Skirmish", "is not an ACLED event type"),
    ("sub_event_type", "Armed clash", "is not a sub-event type of “Explosions/Remote violence”"),
    ("inter1", "9", "not an ACLED actor type"),
    ("interaction", "17", "does not match inter1 and inter2"),
    ("country", "Iraq", "Syria only"),
]


@pytest.mark.parametrize("column, value, message", BAD_ROWS)
def test_a_bad_cell_refuses_the_whole_file_naming_row_and_column(tmp_path, column, value, message):
    rows = sample_rows()
    rows[2][column] = value
    before = database_counts()
    with pytest.raises(CommandError, match="nothing was imported"):
        run_command(write_file(tmp_path, as_csv(rows)))
    assert database_counts() == before  # the nine good rows were not written either
    with pytest.raises(ImportRefused) as refused:
        import_text(as_csv(rows))
    (problem,) = refused.value.problems
    assert (problem.row, problem.line, problem.column) == (3, 4, column)
    assert message in problem.message


def test_every_bad_row_is_reported_at_once():
    rows = sample_rows()
    rows[0]["latitude"], rows[4]["event_date"], rows[4]["fatalities"] = "200", "yesterday", "many"
    rows[9]["event_id_cnty"] = rows[8]["event_id_cnty"]
    with pytest.raises(ImportRefused) as refused:
        import_text(as_csv(rows))
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (1, "latitude"), (5, "event_date"), (5, "fatalities"), (10, "event_id_cnty")]
    assert "row 5 (line 6), column fatalities: “many” is not a whole number." in refused.value.report()


def test_a_wrong_header_is_refused_before_any_row(tmp_path):
    rows = sample_rows()
    header = ["date" if name == "event_date" else name for name in rows[0]]
    for row in rows:
        row["date"] = row.pop("event_date")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_acled", write_file(tmp_path, as_csv(rows, header)), stderr=err, verbosity=0)
    assert "header, column event_date: is missing." in err.getvalue()
    assert Incident.objects.count() == 0


def test_an_unreadable_file_exits_non_zero_with_a_reason(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").replace("Harabesh", "Harabésh").encode("latin-1"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_acled", str(path), stderr=err, verbosity=0)
    assert "is not UTF-8" in err.getvalue() and "Windows-1256" in err.getvalue()
    with pytest.raises(CommandError, match="Cannot read"):
        run_command(str(tmp_path / "missing.csv"))


# -- the admin: import with a preview, export of any status --

@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_superuser=True))
    return client


def upload(admin_client, text):
    return admin_client.post(reverse("admin:incidents_incident_import"), {
        "format": "0", "resource": "0", "import_file": io.BytesIO(text.encode("utf-8-sig"))}, format="multipart")


class _PreviewTable(HTMLParser):
    """The body rows of the import page's <table class="import-preview">, each a list of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows, self._in_table, self._in_body, self._cell = [], False, False, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "import-preview" in (dict(attrs).get("class") or "").split():
            self._in_table = True
        elif self._in_table and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data + " ")


def preview_rows(page):
    parser = _PreviewTable()
    parser.feed(page)
    return parser.rows


def test_admin_import_shows_a_preview_then_imports_on_confirmation(admin_client):
    preview = upload(admin_client, SAMPLE.read_text(encoding="utf-8"))
    page = preview.content.decode()
    assert preview.status_code == 200 and "DZX0012" in page and "confirm" in page.lower()
    assert Incident.objects.count() == 0  # the preview is the import, rolled back
    form = preview.context["confirm_form"]
    response = admin_client.post(reverse("admin:incidents_incident_process_import"),
                                 {name: form[name].value() for name in form.fields})
    assert response.status_code == 302
    assert Incident.objects.filter(status=Incident.Status.IN_REVIEW).count() == 10


def test_admin_import_of_a_bad_file_names_row_and_column_and_writes_nothing(admin_client):
    rows = sample_rows()
    rows[1]["latitude"] = "200"
    response = upload(admin_client, as_csv(rows))
    page = response.content.decode()
    # One row in the error table: its Row cell says 2 (the second data row), its Errors cell names the
    # column and the value, and its event_id_cnty cell is that row's.
    ((row_number, errors, event_id, *_),) = preview_rows(page)
    assert row_number == "2" and event_id == rows[1]["event_id_cnty"]
    assert errors == "1 latitude 200 is out of range: it must be between -90 and 90."
    assert "confirm_form" not in response.context
    assert Incident.objects.count() == 0


def test_admin_export_of_selected_incidents_covers_any_status_with_a_status_column(admin_client):
    draft = make_incident(status=Incident.Status.DRAFT, notes="a draft")
    make_incident(notes="not selected")
    page = admin_client.post(reverse("admin:incidents_incident_changelist"),
                             {"action": "export_admin_action", "_selected_action": [draft.pk]})
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(format="0", export_items=[draft.pk])
    response = admin_client.post(reverse("admin:incidents_incident_export"), data)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["notes"], row["status"]) for row in rows] == [("a draft", "draft")]


# -- the real ACLED extract (read from ../shared/data, never copied into the repo) --

def round_trip_mismatches(source_rows, exported_rows):
    """Every source value comes back; actor types through the number/text mapping, names up to spelling."""
    mismatches = Counter()
    for source in source_rows:
        out = exported_rows[source["event_id_cnty"]]
        for column, value in source.items():
            if column == "timestamp":
                continue  # ours: when this database last changed the row, not when ACLED did
            if column in ("inter1", "inter2"):
                same = parse_inter(value) == parse_inter(out[column])
            elif column == "interaction":
                same = parse_interaction(value) == parse_interaction(out[column])
            elif column.startswith(("actor", "assoc_actor")) and value != out[column]:
                # ACLED spells a few actors two ways; spelling-insensitive matching keeps one actor.
                same = [name_key(n) for n in value.split("; ")] == [name_key(n) for n in out[column].split("; ")]
                mismatches["actor spelling"] += 1
            else:
                same = value == out[column]
            if not same:
                mismatches[column] += 1
    return mismatches


@pytest.fixture(scope="module")
def real_import(django_db_setup, django_db_blocker):
    """The 5,000-row extract imported once for this module's tests, rolled back afterwards."""
    path = acled_file_or_skip()
    with django_db_blocker.unblock(), transaction.atomic():
        with path.open(encoding="utf-8", newline="") as file:
            summary = import_acled_csv(file)
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        yield summary, rows
        transaction.set_rollback(True)


@pytest.mark.acled
def test_every_row_of_the_real_extract_imports(real_import):
    summary, rows = real_import
    assert (summary.rows, summary.created) == (5000, 5000) and not summary.unknown_governorates
    assert Incident.objects.filter(event_id_cnty__in=[row["event_id_cnty"] for row in rows]).count() == 5000


@pytest.mark.acled
def test_counts_per_governorate_match_the_real_extract(real_import):
    _, rows = real_import
    in_file = Counter(row["admin1"] for row in rows)
    assert in_file["Deir ez Zor"] == 3551
    imported = Incident.objects.filter(event_id_cnty__in=[row["event_id_cnty"] for row in rows])
    by_area = Counter(imported.values_list("admin1__pcode", flat=True))
    assert {ACLED_GOVERNORATE_NAMES[pcode]: count for pcode, count in by_area.items()} == dict(in_file)


@pytest.mark.acled
def test_a_district_always_lies_in_its_governorate_and_district_counts_match_the_extract(real_import):
    # Issue 15 point 10: a Damascus-city row got Darayya (Rural Damascus) from its point and was
    # counted under Damascus governorate but not under any Damascus district (120 instead of 121).
    summary, rows = real_import
    imported = Incident.objects.filter(event_id_cnty__in=[row["event_id_cnty"] for row in rows])
    assert not imported.exclude(admin2__isnull=True).exclude(admin2__parent=F("admin1")).exists()
    by_governorate = Counter(imported.values_list("admin1__pcode", flat=True))
    by_district = Counter(imported.values_list("admin1__pcode", "admin2__parent__pcode"))
    assert sum(by_governorate.values()) == len(rows)
    for pcode, count in by_governorate.items():
        assert by_district[(pcode, pcode)] + by_district.get((pcode, None), 0) == count, pcode
    # Per district, over the rows whose admin2 names one of our districts (a few ACLED names, e.g.
    # Ath Thawrah, have no outline of that name and are placed by their point inside the governorate).
    areas = AreaDirectory()
    in_file, known = Counter(), {}
    for row in rows:
        district = areas.district(row["admin2"], areas.governorate(row["admin1"]))
        if district is not None:
            in_file[district.pk] += 1
            known[row["event_id_cnty"]] = district.pk
    counted = Counter(imported.filter(event_id_cnty__in=known).values_list("admin2", flat=True))
    assert counted == in_file
    damascus = areas.governorate("Damascus")  # its district's outline has another name: placed by the rule
    assert imported.filter(admin1=damascus, admin2__parent=damascus).count() == 121
    assert len(summary.flagged) == sum(1 for _, why in summary.flagged if "outside" in why)


@pytest.mark.acled
def test_export_of_the_real_extract_reproduces_it_column_by_column(real_import):
    _, rows = real_import
    out = exported(Incident.objects.filter(event_id_cnty__in=[row["event_id_cnty"] for row in rows]))
    mismatches = round_trip_mismatches(rows, out)
    # One row spells "Military Forces of Syria (2000- ) ..." with a stray space; everything else is exact.
    assert mismatches == Counter({"actor spelling": 1})


@pytest.mark.acled
def test_reimporting_the_real_extract_changes_nothing(real_import):
    path = acled_file_or_skip()
    before = database_counts()
    with path.open(encoding="utf-8", newline="") as file:
        summary = import_acled_csv(file)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 5000)
    assert database_counts() == before


def test_admin_export_of_the_filtered_list_has_only_those_incidents(admin_client):
    make_incident(status=Incident.Status.REJECTED, notes="rejected one")
    make_incident(notes="approved one")
    url = reverse("admin:incidents_incident_export") + "?status__exact=rejected"
    form = admin_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    response = admin_client.post(url, {**data, "format": "0"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["notes"], row["status"]) for row in rows] == [("rejected one", "rejected")]
