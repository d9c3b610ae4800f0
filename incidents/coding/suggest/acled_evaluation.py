"""The honest evaluation on real ACLED rows: train before a day, score every row from that day on.

Each test row's notes go through the same two steps the page uses (extraction.rule_suggestions,
then extraction.with_model), and the first suggestion is compared with ACLED's coding:

    event type, sub-event type, actor 1, actor 2: the same name (actor 2 empty = empty);
    place: the suggested point within PLACE_KM of ACLED's point (km on the WGS84 sphere);
    fatalities: exactly ACLED's number.

Beside ours: the rules alone, and the most frequent value of the training rows (a constant
guess). No figure comes from a row the model trained on: the model is trained on the rows
before the split day only, and the month-grouped cross-validation scores each fold with a model
that never saw its months.
"""

import math
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from sklearn.model_selection import GroupKFold

from incidents.coding.suggest.extraction import rule_suggestions, with_model
from incidents.coding.suggest.learned import LearnedModel
from incidents.models import Actor, Place

PLACE_KM = 10
FIELDS = ["any suggestion", "event type", "sub-event type", "actor 1", "actor 2", f"place within {PLACE_KM} km",
          "fatalities exact"]
TERRITORY = ("Non-state actor overtakes territory", "Government regains territory")
BANDS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)]


def km_between(lon1, lat1, lon2, lat2):
    """Great-circle distance in km between two WGS84 points (degrees)."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, cos)))


def judge(suggestion, example):
    """{field: (right?, confidence)} for the first suggestion of a text (None: nothing suggested)."""
    if suggestion is None:
        return {name: (False, None) for name in FIELDS}
    s = suggestion
    place = s.place.value
    near = place is not None and km_between(place.point.x, place.point.y, example.lon, example.lat) <= PLACE_KM
    return {
        "any suggestion": (True, None),
        "event type": (s.event_type.value[0] == example.event_type, s.event_type.confidence),
        "sub-event type": (s.event_type.value[1] == example.sub_event_type, s.event_type.confidence),
        "actor 1": (str(s.actor1.value or "") == example.actor1, s.actor1.confidence),
        "actor 2": (str(s.actor2.value or "") == (example.actor2 or ""), s.actor2.confidence),
        f"place within {PLACE_KM} km": (near, s.place.confidence if place is not None else None),
        "fatalities exact": (s.casualties.value.fatalities == example.fatalities, s.casualties.confidence),
    }


def baseline(train, test):
    """Right answers of the most frequent training value per field (place: the most frequent location)."""
    common = {name: Counter(values).most_common(1)[0][0] for name, values in {
        "event type": [e.event_type for e in train], "sub-event type": [e.sub_event_type for e in train],
        "actor 1": [e.actor1 for e in train], "actor 2": [e.actor2 or "" for e in train],
        "fatalities exact": [e.fatalities for e in train],
        "location": [(e.location, e.lon, e.lat) for e in train]}.items()}
    _, lon, lat = common["location"]
    right = Counter()
    for e in test:
        right["event type"] += e.event_type == common["event type"]
        right["sub-event type"] += e.sub_event_type == common["sub-event type"]
        right["actor 1"] += e.actor1 == common["actor 1"]
        right["actor 2"] += (e.actor2 or "") == common["actor 2"]
        right[f"place within {PLACE_KM} km"] += km_between(lon, lat, e.lon, e.lat) <= PLACE_KM
        right["fatalities exact"] += e.fatalities == common["fatalities exact"]
    return right, common


@dataclass
class TimeSplit:
    train: int = 0
    test: int = 0
    ours: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    baseline: Counter = field(default_factory=Counter)
    common: dict = field(default_factory=dict)
    reliability: dict = field(default_factory=dict)  # field -> band -> [right, total]
    crashes: list = field(default_factory=list)  # (ref, error)
    rules_ms: list = field(default_factory=list)
    model_ms: list = field(default_factory=list)
    train_seconds: float = 0.0
    model: object = None  # the model trained before the split (the gold sets are scored with it too)


def time_split(examples, split_day, lexicon):
    """Train on examples dated before `split_day`, score every later one (TimeSplit)."""
    train = [e for e in examples if e.date < split_day]
    test = [e for e in examples if e.date >= split_day]
    result = TimeSplit(len(train), len(test))
    started = time.perf_counter()
    model = result.model = LearnedModel(train, places=Place.objects.select_related("admin1", "admin2"),
                                        actors=Actor.objects.all())
    result.train_seconds = time.perf_counter() - started
    result.baseline, result.common = baseline(train, test)
    result.reliability = {name: {band: [0, 0] for band in BANDS} for name in FIELDS[1:]}
    for e in test:
        try:
            started = time.perf_counter()
            rules = rule_suggestions(e.text, lexicon, e.date)
            result.rules_ms.append((time.perf_counter() - started) * 1000)
            rules_judged = judge(rules[0] if rules else None, e)  # before with_model changes them
            started = time.perf_counter()
            ours = with_model(rules, e.text, model, e.date)
            result.model_ms.append((time.perf_counter() - started) * 1000)
        except Exception as error:  # noqa: BLE001 - counted and named, the run goes on
            result.crashes.append((e.ref, f"{type(error).__name__}: {error}"))
            continue
        for name, (right, _) in rules_judged.items():
            result.rules[name] += right
        for name, (right, confidence) in judge(ours[0] if ours else None, e).items():
            result.ours[name] += right
            if confidence is not None and name in result.reliability:
                band = next(b for b in BANDS if b[0] <= min(max(confidence, 0.0), 1.0) < b[1])
                result.reliability[name][band][0] += right
                result.reliability[name][band][1] += 1
    return result


def month_grouped_recall(examples, folds=5):
    """Per-class recall of the territory sub-event types under GroupKFold by calendar month.

    Returns {class: (right, total)}; each row is predicted by a model trained without its month.
    """
    groups = [f"{e.date:%Y-%m}" for e in examples]
    labels = np.array([e.sub_event_type for e in examples])
    found = {name: [0, 0] for name in TERRITORY}
    for train_index, test_index in GroupKFold(n_splits=folds).split(examples, labels, groups):
        model = LearnedModel([examples[i] for i in train_index], heads=("sub_event_type",))
        for i in test_index:
            if labels[i] in found:
                found[labels[i]][1] += 1
                found[labels[i]][0] += model.predict("sub_event_type", examples[i].text).value == labels[i]
    return {name: tuple(values) for name, values in found.items()}


def percent(right, total):
    return "–" if not total else f"{right / total:.0%}"


def time_split_table(result):
    lines = [f"Trained on {result.train} rows before the split, scored {result.test} rows from it "
             f"(training took {result.train_seconds:.0f} s). Crashes: {len(result.crashes)}.", "",
             "| field | ours | today's rules | most frequent (training rows) |", "| --- | ---: | ---: | ---: |"]
    for name in FIELDS:
        base = "–" if name == "any suggestion" else percent(result.baseline[name], result.test)
        lines.append(f"| {name} | {percent(result.ours[name], result.test)} | "
                     f"{percent(result.rules[name], result.test)} | {base} |")
    if result.rules_ms:
        lines += ["", f"Median time per note: rules {statistics.median(result.rules_ms):.1f} ms, "
                      f"learned step {statistics.median(result.model_ms):.1f} ms (model loaded), "
                      f"together {statistics.median(a + b for a, b in zip(result.rules_ms, result.model_ms)):.1f} ms."]
    return "\n".join(lines)


def reliability_table(result):
    lines = ["| field | " + " | ".join(f"confidence {lo:.1f}–{min(hi, 1):.1f}" for lo, hi in BANDS) + " |",
             "| --- |" + " ---: |" * len(BANDS)]
    for name, bands in result.reliability.items():
        cells = [f"{percent(r, n)} of {n}" if n else "–" for r, n in bands.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
