"""The evaluation of suggestions against the gold set (fixtures/gold/)."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from incidents.coding.suggest.evaluation import GOLD_DIR, GoldError, evaluate, load_gold

pytestmark = pytest.mark.django_db


def test_the_seed_gold_is_the_seed_article_as_coded_in_the_fixture():
    fixture = json.loads((Path(settings.BASE_DIR) / "fixtures" / "seed_article.json").read_text())
    rows = {(row["model"], row["pk"]): row["fields"] for row in fixture}
    actor = {pk: f["name"] for (model, pk), f in rows.items() if model == "incidents.actor"}
    place = {pk: f["name"] for (model, pk), f in rows.items() if model == "incidents.place"}
    gold = json.loads((GOLD_DIR / "seed_article.json").read_text())
    assert gold["text"] == rows[("incidents.article", 1)]["text"]
    coded = [(pk, f) for (model, pk), f in sorted(rows.items()) if model == "incidents.incident"]
    assert len(gold["incidents"]) == len(coded)
    for g, (pk, f) in zip(gold["incidents"], coded):
        quotes = [e["quote"] for (model, _), e in rows.items() if model == "incidents.evidence" and e["incident"] == pk]
        assert (g["event_type"], g["sub_event_type"], g["place"], g["fatalities"], g["fatalities_high"]) == (
            f["event_type"], f["sub_event_type"], place[f["place"]], f["fatalities"], f["fatalities_high"])
        assert (g["actor1"], g["actor2"]) == (actor[f["actor1"]], actor.get(f["actor2"]))
        assert g["assoc_actors_2"] == [actor[a] for a in f["assoc_actors_2"]]
        assert sorted(g["evidence"]) == sorted(quotes)


def test_the_gold_set_holds_the_seed_article_and_at_least_ten_more_reports(seed):
    reports = load_gold()
    assert "seed_article" in {r.name for r in reports}
    assert len(reports) >= 11
    assert all(r.incidents for r in reports)


def test_a_gold_quote_missing_from_its_text_is_refused(seed, tmp_path):
    report = json.loads((GOLD_DIR / "seed_article.json").read_text())
    report["incidents"][0]["evidence"] = ["words the article never says"]
    (tmp_path / "bad.json").write_text(json.dumps(report))
    with pytest.raises(GoldError, match="evidence not found"):
        load_gold(tmp_path)
    with pytest.raises(CommandError, match="evidence not found"):
        call_command("evaluate_suggestions", "--gold", str(tmp_path))


def test_evaluate_suggestions_prints_precision_and_recall_per_field(seed):
    out = io.StringIO()
    call_command("evaluate_suggestions", "--misses", stdout=out)
    table = out.getvalue()
    for row in ("| incidents |", "| event type |", "| actors |", "| place |", "| fatalities |"):
        assert row in table
    assert "| field | precision | recall |" in table
    assert "**development set, today's rules**" in table and "**held-out set, today's rules**" in table
    assert "**all reports, today's rules**" in table


def test_every_seed_incident_is_found_with_its_event_type_and_place(seed):
    [report] = [r for r in load_gold() if r.name == "seed_article"]
    scores = evaluate([report])
    for field in ("incidents", "event type", "place"):
        assert scores[field].recall == 1.0, (field, scores.misses)


def test_a_wrong_value_lowers_the_score_of_its_field_only(seed):
    [report] = [r for r in load_gold() if r.name == "seed_article"]
    altered = copy.deepcopy(report)
    altered.incidents[0]["place"] = "Tadmur"
    before, after = evaluate([report]), evaluate([altered])
    assert after["place"].recall == pytest.approx(before["place"].recall - 1 / len(report.incidents))
    assert after["place"].precision < before["place"].precision
    assert after["event type"].recall == before["event type"].recall
    assert any("wrong place" in what for _, what in after.misses)


def test_a_gold_set_of_another_name_is_scored_not_skipped(seed):
    # The Arabic set (fixtures/gold_arabic, "set": "arabic") printed only "## Gold reports" before.
    out = io.StringIO()
    call_command("evaluate_suggestions", "--gold", str(Path(settings.BASE_DIR) / "fixtures" / "gold_arabic"),
                 stdout=out)
    assert "**arabic set, today's rules**: 8 reports" in out.getvalue()
    assert "| incidents |" in out.getvalue()
