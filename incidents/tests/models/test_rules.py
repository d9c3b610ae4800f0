"""Rules written once and called everywhere: the public id, the sub-event-type rule, the order models
register in. Each case here is a difference a reviewer of the layout change found between the code
before and after it."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from incidents.coding.suggest.evaluation import GOLD_DIR, GoldError, load_gold
from incidents.common.typology import sub_event_type_problem
from incidents.models.incident import format_public_id, own_pk_from_public_id


@pytest.mark.parametrize("text, pk", [
    ("DZI42", 42), ("dzi42", 42), (" DZI42 ", 42), ("DZI007", 7), ("DZI" + "9" * 18, 10 ** 18 - 1),
    ("DZİ42", None), ("DZı42", 42), ("DZI" + "9" * 19, None), ("DZI", None), ("SYR42", None), ("DZI-4", None),
])
def test_own_public_ids_are_read_back_and_nothing_else_is(text, pk):
    assert own_pk_from_public_id(text) == pk


def test_a_public_id_formats_and_parses_back():
    assert own_pk_from_public_id(format_public_id(None, 1234)) == 1234
    assert format_public_id("SYR113811", 5) == "SYR113811"


@pytest.mark.parametrize("event_type, sub_event_type, words", [
    ("Battles", "Air/drone strike", "“Air/drone strike” is not a sub-event type of “Battles”; use one of: Armed clash,"),
    ("Nope", "Armed clash", "“Nope” is not an ACLED event type; use one of: Battles,"),
])
def test_a_mismatched_sub_event_type_is_named_with_the_choices(event_type, sub_event_type, words):
    assert sub_event_type_problem(event_type, sub_event_type).startswith(words)


def test_a_matching_or_missing_pair_is_not_this_rules_business():
    assert sub_event_type_problem("Battles", "Armed clash") is None
    assert sub_event_type_problem("", "Armed clash") is None and sub_event_type_problem("Battles", None) is None


@pytest.mark.parametrize("field, value", [("sub_event_type", ""), ("sub_event_type", None), ("event_type", "")])
def test_a_gold_incident_without_its_types_is_refused(seed, tmp_path, field, value):
    report = json.loads((GOLD_DIR / "seed_article.json").read_text())
    report["incidents"][0][field] = value
    (tmp_path / "bad.json").write_text(json.dumps(report))
    with pytest.raises(GoldError, match=f"{field} is empty"):
        load_gold(tmp_path)
    with pytest.raises(CommandError, match=f"{field} is empty"):
        call_command("evaluate_suggestions", "--gold", str(tmp_path))


def test_dumpdata_writes_the_models_in_the_datas_order(seed):
    out = io.StringIO()
    call_command("dumpdata", "incidents", "--format", "json", stdout=out)
    order = list(dict.fromkeys(row["model"] for row in json.loads(out.getvalue())))
    wanted = ["incidents.source", "incidents.article", "incidents.actor", "incidents.adminarea", "incidents.incident"]
    assert [name for name in order if name in wanted] == wanted
