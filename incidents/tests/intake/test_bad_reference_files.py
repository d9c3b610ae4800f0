"""Issue 15, the same kind as point 7 for the reference files: a gazetteer or coding-dictionary file
of the wrong shape is refused with a CommandError naming row and column (never a traceback), and
nothing is written, whether or not the dictionaries were loaded before."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from incidents.management.commands.load_gazetteer import GAZETTEER_FILE
from incidents.tests.intake.test_bad_files import fingerprint

pytestmark = pytest.mark.django_db

GOOD_ROWS = list(csv.DictReader(GAZETTEER_FILE.open(encoding="utf-8")))[:3]
HEADER = list(GOOD_ROWS[0])


def gazetteer_text(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def changed(row, **values):
    return {**row, **values}


BAD_GAZETTEERS = {
    "no latitude column": (gazetteer_text(GOOD_ROWS, [h for h in HEADER if h != "latitude"]), "latitude"),
    "latitude not a number": (gazetteer_text([GOOD_ROWS[0], changed(GOOD_ROWS[1], latitude="35,1")]),
                              "row 3, column latitude"),
    "latitude not a number, nan": (gazetteer_text([changed(GOOD_ROWS[0], latitude="nan")]),
                                   "row 2, column latitude"),
    "longitude out of range": (gazetteer_text([changed(GOOD_ROWS[0], longitude="400")]),
                               "row 2, column longitude"),
    "geonameid not a number": (gazetteer_text([changed(GOOD_ROWS[0], geonameid="x12")]),
                               "row 2, column geonameid"),
    "empty name": (gazetteer_text([changed(GOOD_ROWS[0], name=" ")]), "row 2, column name"),
    "short row": (gazetteer_text(GOOD_ROWS) + "123,Somewhere\r\n", "row 5"),
    "empty file": ("", "missing column"),
    "a JSON file": ('{"places": []}', "missing column"),
}


@pytest.mark.parametrize("case", sorted(BAD_GAZETTEERS))
def test_a_bad_gazetteer_is_refused_naming_row_and_column_and_writes_nothing(case, tmp_path, boundaries):
    text, named = BAD_GAZETTEERS[case]
    path = tmp_path / "places.csv"
    path.write_text(text, encoding="utf-8")
    before = fingerprint()
    with pytest.raises(CommandError) as refused:
        call_command("load_gazetteer", file=str(path), stdout=io.StringIO())
    assert named in str(refused.value)
    assert fingerprint() == before


def test_a_gazetteer_that_is_not_utf8_is_refused(tmp_path, boundaries):
    path = tmp_path / "places.csv"
    path.write_bytes(gazetteer_text(GOOD_ROWS).encode("utf-8") + "البصيرة".encode("cp1256"))
    before = fingerprint()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_gazetteer", file=str(path), stdout=io.StringIO())
    assert fingerprint() == before


def test_the_good_rows_load(tmp_path, boundaries):
    path = tmp_path / "places.csv"
    path.write_text(gazetteer_text(GOOD_ROWS), encoding="utf-8")
    out = io.StringIO()
    call_command("load_gazetteer", file=str(path), stdout=out)
    assert "3 places added" in out.getvalue()


@pytest.mark.parametrize("already_loaded", [False, True])
@pytest.mark.parametrize("content", [None, "not json", "[1, 2]", '"text"'])
def test_a_bad_dictionary_file_is_refused_even_when_dictionaries_are_loaded(content, already_loaded, tmp_path):
    if already_loaded:
        call_command("load_coding_dictionaries", stdout=io.StringIO())
    path = tmp_path / "dictionaries.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    before = fingerprint()
    with pytest.raises(CommandError, match="dictionaries.json"):
        call_command("load_coding_dictionaries", file=str(path), stdout=io.StringIO())
    assert fingerprint() == before


def test_the_dictionary_file_loads_once(tmp_path):
    out = io.StringIO()
    call_command("load_coding_dictionaries", stdout=out)
    assert "event rules" in out.getvalue()
    again = io.StringIO()
    call_command("load_coding_dictionaries", stdout=again)
    assert "already loaded" in again.getvalue()
