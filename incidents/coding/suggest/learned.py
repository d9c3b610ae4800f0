"""Suggestions learned from the team's own coding (scikit-learn), beside the rules.

Every approved incident with its evidence quotes is a labelled example, and so is every
imported ACLED row (its notes are the text, its columns the coding). From them:

    text ─▶ TF-IDF of words, word pairs, the opening words and the words after "against"/"with",
            and of letter n-grams (2-5, within words: transliterations share them)
                                             ─▶ logistic regression ─▶ sub-event type (event type
                                                                     follows from the typology)
                                             ─▶ logistic regression ─▶ actor 1, actor 2
    coded actors ─▶ actor_forms.ActorForms ─▶ surface forms ("regime" -> Military Forces of Syria)
    regressions' top choices + forms + names the text spells ─▶ actor_choice.ActorChooser ─▶ the pair
                                              (actor 1, actor 2), chosen together
    coded locations ─▶ gazetteer.Gazetteer ─▶ the place named in the text (unknown stays unknown)

Confidences are the regressions' predicted probabilities; `evaluate_suggestions` prints a
reliability table of how often each confidence band was right. Each prediction keeps its
reasons: the words that weighed most for it and the most similar training example.

Model files: SUGGESTION_MODEL_DIR/suggestions-<UTC stamp>.joblib, written by
`manage.py train_suggestions`; the newest is loaded by `current_model()`. No file (a fresh
install with only the seed) means the rules alone, as before.
"""

import datetime
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from django.conf import settings
from django.utils.translation import gettext_lazy
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from incidents.coding.suggest.actor_choice import ActorChooser
from incidents.coding.suggest.actor_forms import ActorForms
from incidents.coding.suggest.gazetteer import Gazetteer
from incidents.coding.suggest.reasons import Reason
from incidents.common.names import strip_diacritics
from incidents.common.typology import reader_term
from incidents.models import RejectedActorForm

NONE = "(none)"  # actor 2 left empty
MIN_EXAMPLES = 20  # fewer coded examples than this: no model, the rules alone
FORMAT = 4  # bumped when the pickled layout changes; older files are ignored


@dataclass
class Example:
    """One coded text. Dates are UTC calendar days; lon/lat in degrees WGS84."""

    text: str
    date: datetime.date
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str = ""
    location: str = ""
    lon: float = None
    lat: float = None
    admin1: str = ""
    admin2: str = ""
    place_id: int = None
    fatalities: int = None
    ref: str = ""  # "ACLED SYR1234" or "incident #12": shown as a learned example


@dataclass
class Prediction:
    value: object
    confidence: float
    reasons: list


LEADING_DATE = re.compile(r"^\s*(?:on|around|between)?[^,]*?\b(?:19|20)\d\d\b(?:\s*\([^)]*\))?,?\s*", re.I)
WORD = re.compile(r"[^\W_]+")
OPENING_WORDS = 8
WORDS = "words__"  # FeatureUnion's prefix of the word features; the letter n-grams are never shown as reasons
CUES = (" against ", " with ", " and ", " targeted ", " attacked ", " by ")


def features(text):
    """Words and word pairs, plus position: who opens the text (after a leading date) is usually actor 1,
    who follows "against", "with", "by"… usually the other side."""
    text = strip_diacritics(LEADING_DATE.sub("", text)).casefold()
    words = WORD.findall(text)
    found = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    found += ["OPEN_" + w for w in words[:OPENING_WORDS]]
    for cue in CUES:
        at = text.find(cue)
        if at >= 0:
            found += [f"AFTER{cue.strip()}_{w}" for w in WORD.findall(text[at + len(cue):at + len(cue) + 60])[:5]]
    return found


def letters(text):
    """The text the letter n-grams read: without the leading date and diacritics, lower-case."""
    return strip_diacritics(LEADING_DATE.sub("", text)).casefold()


def _readable(feature):
    """A feature as the analyst reads it: 'words__OPEN_regime' -> “regime” opening the text."""
    feature = feature.removeprefix(WORDS)
    if feature.startswith("OPEN_"):
        return Reason(gettext_lazy("“%(word)s” opening the text"), word=feature[5:])
    if feature.startswith("AFTER"):
        cue, _, word = feature[5:].partition("_")
        return Reason(gettext_lazy("“%(word)s” after “%(cue)s”"), word=word, cue=cue)
    return f"“{feature}”"


def _vectorizer():
    """Words (features above) beside letter n-grams of 2-5 within words: the n-grams let "Qasad",
    "QSD" and "Deir Ezzor"/"Dayr az Zawr" share evidence the words alone keep apart. Fifth round of
    docs/EVALUATION.md: development actors +1.9 / +2.4 points and territory recall 72% / 72%, but test
    actor 1 -2 points and training 2-3 times longer; whether to keep them is an open decision there."""
    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer=features, min_df=2, sublinear_tf=True, max_features=80000)),
        ("letters", TfidfVectorizer(analyzer="char_wb", preprocessor=letters, ngram_range=(2, 5), min_df=2,
                                    sublinear_tf=True, max_features=40000))])


def _classifier(balanced=False):
    # Balanced class weights for the sub-event type: the territory classes are rare after 2018.
    return LogisticRegression(max_iter=2000, C=10.0, class_weight="balanced" if balanced else None)


class LearnedModel:
    """Classifiers and gazetteer trained on a list of Example; pickled whole by `save`."""

    def __init__(self, examples, heads=("sub_event_type", "actor1", "actor2"), places=(), rejected=frozenset(),
                 actors=()):
        """`examples`: list of Example; `heads`: which classifiers to train; `places`: the curated
        gazetteer's Place rows (names and variants join the learned names, without a coding count);
        `actors`: the actor dictionary's Actor rows (their names and aliases tell the actor chooser
        where a text names an actor);
        `rejected`: {(surface, actor name)} analysts rejected as learned forms (RejectedActorForm.pairs())."""
        if len(examples) < MIN_EXAMPLES:
            raise ValueError(f"{len(examples)} coded examples: at least {MIN_EXAMPLES} are needed to train.")
        self.format = FORMAT
        self.trained_at = datetime.datetime.now(datetime.UTC)
        self.version = self.trained_at.strftime("%Y%m%dT%H%M%SZ")
        self.examples = len(examples)
        self.first_day = min(e.date for e in examples if e.date) if any(e.date for e in examples) else None
        self.last_day = max(e.date for e in examples if e.date) if any(e.date for e in examples) else None
        texts = [e.text for e in examples]
        self.vectorizer = _vectorizer().fit(texts)
        matrix = self.vectorizer.transform(texts)
        self.refs = [e.ref for e in examples]
        # The most similar example is found by words (what a reason can show), a narrower product per note.
        words = len(self.vectorizer.transformer_list[0][1].vocabulary_)
        self.matrix = matrix[:, :words].tocsr()
        self.event_of = {e.sub_event_type: e.event_type for e in examples}
        self.heads = {}
        for name, labels in (("sub_event_type", [e.sub_event_type for e in examples]),
                             ("actor1", [e.actor1 for e in examples]),
                             ("actor2", [e.actor2 or NONE for e in examples])):
            if name not in heads:
                continue
            if len(set(labels)) > 1:
                self.heads[name] = _classifier(balanced=name == "sub_event_type").fit(matrix, labels)
            else:
                self.heads[name] = labels[0]  # one label only: it is the answer, with the share seen
        self.rejected = frozenset(rejected)  # current_model() refreshes it: rejections after training count too
        self.forms = ActorForms(examples, self.rejected) if "actor1" in heads else None
        self.chooser = None
        if all(hasattr(self.heads.get(name), "classes_") for name in ("actor1", "actor2")):
            self.chooser = ActorChooser(examples, matrix, self.forms, _classifier,
                                        {a.name: list(a.aliases or ()) for a in actors})
        self.gazetteer = Gazetteer()
        for e in examples:
            self.gazetteer.add(e.location, e.lon, e.lat, e.admin1, e.admin2, e.place_id, e.ref)
        for place in places:
            for name in [place.name, *place.variants]:
                self.gazetteer.add(name, place.point.x, place.point.y, str(place.admin1 or ""),
                                   str(place.admin2 or ""), place.pk, chosen=False)
        self.gazetteer.count_seen(texts)
        self.feature_names = self.vectorizer.get_feature_names_out()

    @property
    def classes(self):
        head = self.heads["sub_event_type"]
        return set(head.classes_) if hasattr(head, "classes_") else {head}

    def nearest(self, vector):
        """(index of the most similar training example by its words, cosine similarity 0-1)."""
        similarity = (self.matrix @ vector[:, :self.matrix.shape[1]].T).toarray().ravel()
        index = int(np.argmax(similarity))
        return index, float(similarity[index])

    def predict(self, name, text, vector=None, nearest=None):
        """Prediction of one head ('sub_event_type', 'actor1', 'actor2') for a text."""
        head = self.heads[name]
        if isinstance(head, str):
            return Prediction(None if head == NONE else head, 1.0,
                              [Reason(gettext_lazy("every training example has %(label)s"), label=reader_term(head))])
        vector = self.vectorizer.transform([text]) if vector is None else vector
        probabilities = head.predict_proba(vector)[0]
        best = int(np.argmax(probabilities))
        label = head.classes_[best]
        return Prediction(None if label == NONE else label, round(float(probabilities[best]), 2),
                          self._why(head, best, vector, label, nearest))

    def _why(self, head, best, vector, label, nearest=None):
        coef = head.coef_[best] if head.coef_.shape[0] > 1 else head.coef_[0] * (1 if best == 1 else -1)
        row = vector.tocoo()
        weights = sorted(((coef[j] * v, j) for j, v in zip(row.col, row.data)), reverse=True)
        names = self.feature_names
        words = [_readable(names[j]) for w, j in weights if w > 0 and names[j].startswith(WORDS)][:4]
        reasons = [Reason(gettext_lazy("learned from %(count)s coded examples: words for %(label)s: %(words)s"),
                          count=self.examples, label=reader_term(label), words=words) if words else
                   Reason(gettext_lazy("learned from %(count)s coded examples: words for %(label)s: none"),
                          count=self.examples, label=reader_term(label))]
        index, similarity = nearest or self.nearest(vector)
        if similarity > 0:
            reasons.append(Reason(gettext_lazy("most similar coded example: %(example)s (%(percent)s%% alike)"),
                                  example=self.refs[index], percent=round(similarity * 100)))
        return reasons

    def predict_all(self, text):
        """{'sub_event_type', 'event_type', 'actor1', 'actor2', 'place'}: Prediction each; place is a
        gazetteer.Entry or None."""
        vector = self.vectorizer.transform([text])
        nearest = self.nearest(vector)  # once per text: every head's reasons name the same example
        found = {name: self.predict(name, text, vector, nearest) for name in ("sub_event_type", "actor1", "actor2")}
        chosen = self._chosen_actors(text, vector, nearest)
        if chosen:
            found.update(chosen)
        elif self.forms is not None:
            for name, form in zip(("actor1", "actor2"), self.forms.actors(text, getattr(self, "rejected", ()))):
                if form is not None and found[name].confidence < 0.5 and form[1] > found[name].confidence:
                    found[name] = Prediction(form[0], form[1],
                                             form[2] + [Reason(gettext_lazy("the regression said %(actor)s "
                                                                            "(%(percent)s%%)"),
                                                               actor=found[name].value or "none",
                                                               percent=round(found[name].confidence * 100))])
        sub = found["sub_event_type"]
        found["event_type"] = Prediction(self.event_of.get(sub.value), sub.confidence, [])
        found["place"] = Prediction(*self.gazetteer.choose(text))
        return found

    def _chosen_actors(self, text, vector, nearest=None):
        """{'actor1': Prediction, 'actor2': Prediction} from the pair chooser (actor_choice), or None."""
        if self.chooser is None:
            return None
        heads = {role: self.heads[f"actor{role}"] for role in (1, 2)}
        p = {role: dict(zip(head.classes_, head.predict_proba(vector)[0])) for role, head in heads.items()}
        rejected = getattr(self, "rejected", frozenset())
        pair = self.chooser.choose(text, p, self.forms, rejected)
        if pair is None:
            return None
        said = {m.form.actor: m.form for m in self.forms.mentions(text, rejected)} if self.forms else {}
        found = {}
        for role, (value, confidence) in zip((1, 2), pair):
            head = heads[role]
            label = value or NONE
            index = int(np.flatnonzero(head.classes_ == label)[0]) if label in head.classes_ else None
            reasons = self._why(head, index, vector, label, nearest) if index is not None else []
            if value in said:
                form = said[value]
                reasons.insert(0, Reason(gettext_lazy("“%(words)s” is a learned form of %(actor)s (coded so in "
                                                      "%(count)s texts, %(percent)s%% of those that say it)"),
                                         words=form.surface, actor=value, count=form.support,
                                         percent=round(form.precision * 100)))
            reasons.append(Reason(gettext_lazy("chosen with the other actor as the likeliest pair of the actors this "
                                               "text can mean (the regression gave it %(percent)s%%)"),
                                  percent=round(p[role].get(label, 0.0) * 100)))
            found[f"actor{role}"] = Prediction(value, confidence, reasons)
        return found

    def save(self, directory=None):
        directory = Path(directory or settings.SUGGESTION_MODEL_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"suggestions-{self.version}.joblib"
        partial = path.with_suffix(".partial")
        joblib.dump(self, partial, compress=3)
        partial.replace(path)  # a reader never sees half a file
        return path


_cache = {"path": None, "mtime": None, "model": None}
_lock = threading.Lock()


def newest_file(directory=None):
    directory = Path(directory or settings.SUGGESTION_MODEL_DIR)
    files = sorted(directory.glob("suggestions-*.joblib")) if directory.is_dir() else []
    return files[-1] if files else None


def current_model():
    """The newest trained model, loaded once per process and file (None: rules alone), with the
    learned forms analysts rejected since it was trained left out.

    Only reads a file `train_suggestions` wrote; never trains, so a page never waits on training.
    An unreadable or outdated file is ignored the same way as a missing one.
    """
    path = newest_file()
    if path is None:
        return None
    mtime = path.stat().st_mtime
    with _lock:
        if _cache["path"] != path or _cache["mtime"] != mtime:
            try:
                model = joblib.load(path)
            except Exception:  # noqa: BLE001 - a broken file must not break the page: rules alone
                model = None
            if model is not None and getattr(model, "format", None) != FORMAT:
                model = None
            _cache.update(path=path, mtime=mtime, model=model)
        model = _cache["model"]
        if model is not None:
            # Forms analysts rejected since this file was trained: one query of a small table per page.
            model.rejected = frozenset(RejectedActorForm.pairs())
        return model
