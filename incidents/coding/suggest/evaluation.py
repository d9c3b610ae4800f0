"""Precision and recall of the suggestions against hand-coded gold reports (fixtures/gold/).

Each gold report is a JSON file: the text, its publication date and the incidents an analyst
codes from it, each with the quotes that support it. Suggestions are paired one-to-one with
gold incidents whose evidence shares text with theirs (same event type first), then per field:

    precision = correct values / values suggested     recall = correct values / values in the gold

A suggestion paired with no gold incident counts against precision of every field it fills;
a gold incident nobody suggested counts against recall. Actors are counted one by one (actor 1,
actor 2 and associated actors as a set), so a half-right dyad scores half.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from incidents.coding.suggest.extraction import suggest_incidents
from incidents.coding.suggest.lexicon import Lexicon
from incidents.common.typology import sub_event_type_problem
from incidents.models import Actor, Place

GOLD_DIR = Path(settings.BASE_DIR) / "fixtures" / "gold"
FIELDS = ["incidents", "event type", "actors", "place", "fatalities", "injured"]


class GoldError(ValueError):
    pass


@dataclass
class GoldReport:
    name: str
    text: str
    published_on: datetime.date
    incidents: list  # dicts as in the file, each with "spans": [(start, end)]
    set: str = "development"  # "held-out": written after the rules were tuned, scored without changing them


def _check_incident(name, number, incident, text, actor_names, place_names):
    where = f"{name}, incident {number}"
    for field in ("event_type", "sub_event_type"):
        if not incident.get(field):
            raise GoldError(f"{where}: {field} is empty.")
    if problem := sub_event_type_problem(incident["event_type"], incident["sub_event_type"]):
        raise GoldError(f"{where}: {problem}")
    actors = [incident.get("actor1"), incident.get("actor2"), *incident.get("assoc_actors_1", []),
              *incident.get("assoc_actors_2", [])]
    unknown = [a for a in actors if a and a not in actor_names]
    if unknown:
        raise GoldError(f"{where}: actor(s) not in the actor dictionary: {', '.join(unknown)}.")
    if incident.get("place") and incident["place"] not in place_names:
        raise GoldError(f"{where}: place “{incident['place']}” is not in the gazetteer.")
    spans = []
    for quote in incident["evidence"]:
        start = text.find(quote)
        if start < 0:
            raise GoldError(f"{where}: evidence not found in the text: “{quote[:60]}”.")
        spans.append((start, start + len(quote)))
    return {**incident, "spans": spans}


def load_gold(directory=GOLD_DIR):
    """All gold reports, checked against the database's dictionaries (seed_demo must have run)."""
    actor_names = set(Actor.objects.values_list("name", flat=True))
    place_names = set(Place.objects.values_list("name", flat=True))
    reports = []
    for path in sorted(Path(directory).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        published = data.get("published_on")
        incidents = [_check_incident(path.stem, n, incident, data["text"], actor_names, place_names)
                     for n, incident in enumerate(data["incidents"], 1)]
        reports.append(GoldReport(path.stem, data["text"], published and datetime.date.fromisoformat(published),
                                  incidents, data.get("set", "development")))
    if not reports:
        raise GoldError(f"No gold reports in {directory}.")
    return reports


@dataclass
class Tally:
    correct: int = 0
    suggested: int = 0
    gold: int = 0

    @property
    def precision(self):
        return self.correct / self.suggested if self.suggested else None

    @property
    def recall(self):
        return self.correct / self.gold if self.gold else None


@dataclass
class Scores:
    tallies: dict = field(default_factory=lambda: {name: Tally() for name in FIELDS})
    misses: list = field(default_factory=list)  # (report, what went wrong) for the analyst reading the table

    def __getitem__(self, name):
        return self.tallies[name]


def _overlap(spans_a, spans_b):
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in spans_a for s2, e2 in spans_b)


def pair(suggestions, gold_incidents):
    """One-to-one pairs (suggestion, gold incident): shared evidence text, same event type preferred."""
    options = []
    for s in suggestions:
        spans = [(start, end) for start, end, _ in s.evidence]
        for g_index, g in enumerate(gold_incidents):
            shared = _overlap(spans, g["spans"])
            if shared:
                same_type = s.event_type.value == (g["event_type"], g["sub_event_type"])
                options.append((same_type, shared, s.key, g_index, s))
    options.sort(key=lambda o: (o[0], o[1]), reverse=True)
    used_s, used_g, pairs = set(), set(), []
    for _, _, key, g_index, s in options:
        if key not in used_s and g_index not in used_g:
            used_s.add(key)
            used_g.add(g_index)
            pairs.append((s, gold_incidents[g_index]))
    return pairs


def _actors_of_suggestion(s):
    return {str(a) for a in [s.actor1.value, s.actor2.value, *s.assoc_actors_1, *s.assoc_actors_2] if a}


def _actors_of_gold(g):
    return {a for a in [g.get("actor1"), g.get("actor2"), *g.get("assoc_actors_1", []), *g.get("assoc_actors_2", [])]
            if a}


def score_report(report, suggestions, scores):
    t = scores.tallies
    gold = report.incidents
    t["incidents"].suggested += len(suggestions)
    t["incidents"].gold += len(gold)
    for name in ("event type", "fatalities"):
        t[name].suggested += len(suggestions)
        t[name].gold += len(gold)
    t["actors"].suggested += sum(len(_actors_of_suggestion(s)) for s in suggestions)
    t["actors"].gold += sum(len(_actors_of_gold(g)) for g in gold)
    t["place"].suggested += sum(1 for s in suggestions if s.place.value)
    t["place"].gold += sum(1 for g in gold if g.get("place"))
    t["injured"].suggested += sum(1 for s in suggestions if s.casualties.value.injured is not None)
    t["injured"].gold += sum(1 for g in gold if g.get("injured") is not None)
    pairs = pair(suggestions, gold)
    t["incidents"].correct += len(pairs)
    for s, g in pairs:
        label = f"{g['event_type']}: {g['sub_event_type']}"
        checks = {
            "event type": s.event_type.value == (g["event_type"], g["sub_event_type"]),
            "place": s.place.value is not None and s.place.value.name == g.get("place"),
            "fatalities": (s.casualties.value.fatalities, s.casualties.value.fatalities_high)
                          == (g["fatalities"], g.get("fatalities_high")),
        }
        injured = s.casualties.value.injured
        if injured is not None and g.get("injured") is not None:
            checks["injured"] = injured == g["injured"]
        for name, ok in checks.items():
            t[name].correct += ok
            if not ok:
                scores.misses.append((report.name, f"{label}: wrong {name}"))
        shared = _actors_of_suggestion(s) & _actors_of_gold(g)
        t["actors"].correct += len(shared)
        if shared != _actors_of_gold(g) or shared != _actors_of_suggestion(s):
            scores.misses.append((report.name, f"{label}: actors {sorted(_actors_of_suggestion(s))} "
                                               f"vs gold {sorted(_actors_of_gold(g))}"))
    paired = {id(g) for _, g in pairs}
    scores.misses += [(report.name, f"not suggested: {g['event_type']}: {g['sub_event_type']}")
                      for g in gold if id(g) not in paired]
    paired_s = {s.key for s, _ in pairs}
    scores.misses += [(report.name, f"extra suggestion: {' : '.join(s.event_type.value)} at {s.place.value}")
                      for s in suggestions if s.key not in paired_s]


def evaluate(reports=None, lexicon=None, model=None):
    """Scores of the suggestions (the rules alone, or refined by a learned.LearnedModel) on gold reports."""
    reports = reports if reports is not None else load_gold()
    lexicon = lexicon or Lexicon.load()
    scores = Scores()
    for report in reports:
        score_report(report, suggest_incidents(report.text, lexicon, report.published_on, model=model), scores)
    return scores


def table(scores, reports, heading="all reports"):
    """The results as a Markdown table (printed by evaluate_suggestions, kept in docs/EVALUATION.md)."""
    def percent(value):
        return "–" if value is None else f"{value:.0%}"

    lines = [f"**{heading}**: {len(reports)} reports, {sum(len(r.incidents) for r in reports)} gold incidents.", "",
             "| field | precision | recall | correct | suggested | in gold |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name in FIELDS:
        t = scores[name]
        lines.append(f"| {name} | {percent(t.precision)} | {percent(t.recall)} | {t.correct} | {t.suggested} | "
                     f"{t.gold} |")
    return "\n".join(lines)
