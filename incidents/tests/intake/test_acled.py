"""ACLED's format: both spellings of dates and actor types read, the current one written."""

import csv
import datetime

import pytest

from incidents.common.typology import ActorCategory
from incidents.intake.acled_format import (
    ACLED_COLUMNS,
    ACLED_GOVERNORATE_NAMES,
    format_event_date,
    format_inter,
    format_interaction,
    interaction_pair,
    parse_event_date,
    parse_inter,
    parse_interaction,
    split_list,
)
from incidents.tests.shared_data import acled_file_or_skip


@pytest.mark.parametrize("text", ["02 June 2023", "2 June 2023", "2023-06-02", "02-Jun-2023", "2 jun. 2023"])
def test_event_date_reads_acleds_export_form_and_iso(text):
    assert parse_event_date(text) == datetime.date(2023, 6, 2)


@pytest.mark.parametrize("text", ["31 June 2023", "06/02/2023", "2023-6-2", "June 2023", "", "02 Juin 2023"])
def test_impossible_or_ambiguous_event_date_is_refused_with_the_accepted_forms(text):
    with pytest.raises(ValueError, match="2023-06-02 or 02 June 2023"):
        parse_event_date(text)


def test_event_date_is_written_as_acleds_export_writes_it():
    assert format_event_date(datetime.date(2017, 1, 5)) == "05 January 2017"
    assert format_event_date(datetime.date(2023, 6, 2)) == "02 June 2023"


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


def test_actor_type_is_written_as_current_text():
    assert format_inter(ActorCategory.POLITICAL_MILITIA) == "Political militia"
    assert format_inter(None) == ""


def test_interaction_puts_the_lower_actor_type_first():
    assert format_interaction(ActorCategory.REBEL_GROUP, ActorCategory.STATE_FORCES) == "State forces-Rebel group"
    assert parse_interaction("State forces-Rebel group") == (1, 2) == parse_interaction("12")


def test_sole_actor_interaction_is_written_with_only():
    assert format_interaction(ActorCategory.REBEL_GROUP, None) == "Rebel group only"
    assert parse_interaction("20") == (2, None) == parse_interaction("Rebel group only")


@pytest.mark.parametrize("first", list(ActorCategory))
def test_every_interaction_reads_back_in_both_forms(first):
    for second in [None, *ActorCategory]:
        pair = interaction_pair(first, second)
        numeric = f"{pair[0]}{pair[1] or 0}"
        assert parse_interaction(format_interaction(first, second)) == pair
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
