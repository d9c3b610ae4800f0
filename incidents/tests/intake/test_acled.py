"""ACLED's format: both spellings of dates and actor types read, the current one written (by the CSV export)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from incidents.common.acled_format import (
    ACLED_COLUMNS,
    ACLED_GOVERNORATE_NAMES,
    interaction_pair,
    parse_event_date,
    parse_inter,
    parse_interaction,
    split_list,
)
from incidents.common.typology import ActorCategory
from incidents.tests.factories import make_actor, make_incident
from incidents.tests.shared_data import acled_file_or_skip


def exported_rows(client):
    """The public CSV export as a user downloads it, one dict per row (newest first)."""
    response = client.get(reverse("export-incidents-csv"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


def incident_between(first, second=None, **fields):
    """A published incident with actors of these ACLED types (no actor 2 when `second` is None)."""
    return make_incident(actor1=make_actor(category=first),
                         actor2=make_actor(category=second) if second else None, **fields)


@pytest.mark.parametrize("text", ["02 June 2023", "2 June 2023", "2023-06-02", "02-Jun-2023", "2 jun. 2023",
                                  "٢٠٢٣-٠٦-٠٢", "٠٢ June ٢٠٢٣"])
def test_event_date_reads_acleds_export_form_and_iso(text):
    assert parse_event_date(text) == datetime.date(2023, 6, 2)


@pytest.mark.parametrize("text", ["31 June 2023", "06/02/2023", "2023-6-2", "June 2023", "", "02 Juin 2023"])
def test_impossible_or_ambiguous_event_date_is_refused_with_the_accepted_forms(text):
    with pytest.raises(ValueError, match="2023-06-02 or 02 June 2023"):
        parse_event_date(text)


@pytest.mark.django_db
def test_event_date_is_written_as_acleds_export_writes_it_and_reads_back(client):
    for day in (datetime.date(2017, 1, 5), datetime.date(2023, 6, 2)):
        make_incident(date=day)
    written = [row["event_date"] for row in exported_rows(client)]
    assert written == ["02 June 2023", "05 January 2017"]
    assert [parse_event_date(text) for text in written] == [datetime.date(2023, 6, 2), datetime.date(2017, 1, 5)]


@pytest.mark.parametrize("written, category", [
    ("1", ActorCategory.STATE_FORCES), ("State forces", ActorCategory.STATE_FORCES),
    ("Rebel group", ActorCategory.REBEL_GROUP), ("Rebel Groups", ActorCategory.REBEL_GROUP),
    ("8", ActorCategory.EXTERNAL_OTHER), ("External/Other Forces", ActorCategory.EXTERNAL_OTHER),
    ("civilians", ActorCategory.CIVILIANS),
])
def test_actor_type_reads_old_numbers_and_current_text(written, category):
    assert parse_inter(written) == category


@pytest.mark.parametrize("written", ["", "0", " "])
def test_missing_actor_type_is_none(written):
    assert parse_inter(written) is None


@pytest.mark.parametrize("written", ["9", "12", "Army", "State"])
def test_unknown_actor_type_is_refused(written):
    with pytest.raises(ValueError, match=written.strip()):
        parse_inter(written)


@pytest.mark.django_db
def test_actor_type_is_written_as_current_text(client):
    incident_between(ActorCategory.POLITICAL_MILITIA)
    (row,) = exported_rows(client)
    assert (row["inter1"], row["inter2"]) == ("Political militia", "")
    assert (parse_inter(row["inter1"]), parse_inter(row["inter2"])) == (ActorCategory.POLITICAL_MILITIA, None)


@pytest.mark.django_db
def test_interaction_puts_the_lower_actor_type_first(client):
    incident_between(ActorCategory.REBEL_GROUP, ActorCategory.STATE_FORCES)
    (row,) = exported_rows(client)
    assert row["interaction"] == "State forces-Rebel group"
    assert parse_interaction("State forces-Rebel group") == (1, 2) == parse_interaction("12")


@pytest.mark.django_db
def test_sole_actor_interaction_is_written_with_only(client):
    incident_between(ActorCategory.REBEL_GROUP)
    (row,) = exported_rows(client)
    assert row["interaction"] == "Rebel group only"
    assert parse_interaction("20") == (2, None) == parse_interaction("Rebel group only")


@pytest.mark.django_db
@pytest.mark.parametrize("first", list(ActorCategory))
def test_every_interaction_reads_back_in_both_forms(client, first):
    seconds = [None, *ActorCategory]
    for second in seconds:
        incident_between(first, second, notes=f"second={second}")
    rows = {row["notes"]: row for row in exported_rows(client)}
    assert len(rows) == len(seconds)
    for second in seconds:
        row = rows[f"second={second}"]
        pair = interaction_pair(first, second)
        numeric = f"{pair[0]}{pair[1] or 0}"
        assert (parse_inter(row["inter1"]), parse_inter(row["inter2"])) == (first, second)
        assert parse_interaction(row["interaction"]) == pair
        assert parse_interaction(numeric) == pair


@pytest.mark.parametrize("written", ["99", "State forces-Army", "sometimes", "00"])
def test_unknown_interaction_is_refused(written):
    with pytest.raises(ValueError):
        parse_interaction(written)


def test_semicolon_lists_are_split_and_trimmed():
    assert split_list("SOHR; Facebook ;;SANA") == ["SOHR", "Facebook", "SANA"]
    assert split_list("") == []


def test_governorates_are_exported_in_acleds_spelling():
    assert ACLED_GOVERNORATE_NAMES["SYR009"] == "Deir ez Zor"
    assert ACLED_GOVERNORATE_NAMES["SYR011"] == "Ar Raqqa"
    assert len(ACLED_GOVERNORATE_NAMES) == 14


@pytest.mark.acled
def test_column_list_and_governorate_spellings_match_the_real_acled_file():
    with acled_file_or_skip().open(encoding="utf-8") as file:
        reader = csv.DictReader(file)
        admin1_names = {row["admin1"] for row in reader}
    assert reader.fieldnames == ACLED_COLUMNS
    assert admin1_names == set(ACLED_GOVERNORATE_NAMES.values())
