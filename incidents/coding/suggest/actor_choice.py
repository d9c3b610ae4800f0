"""Actor 1 and actor 2 chosen together among the actors a text can mean (a second, small model).

The per-role regressions (learned.py) read the whole text and spread their probability over
every actor ever coded; they often put the right actor second, or name an actor the text does
not mention. This step looks only at candidates:

    the regressions' TOP_K actors per role  ∪  actors of the learned forms the text says
    ∪  actors whose ACLED name the text spells out (the acronym "QDW", the sub-unit "4th Armored
       Division" after "Military Forces of Syria (2000-)")  ∪  "none" for actor 2

and scores each candidate for each role with a logistic regression on a few features a coder
uses: the regressions' probability and rank, where the text first names the actor (first, second,
after "by", after "between"/"with"/"against"), how much of its ACLED name the text spells, and how
often the training rows coded that actor as actor 1 rather than actor 2 (ACLED's habit of a side,
e.g. Islamic State (Syria) is actor 1 of most clashes it is in, whoever the note names first).
The pair with the highest joint score wins (one actor on both sides only when the scores say so).

The scorer is trained on out-of-fold regression probabilities (FOLDS folds of the training
texts), so it learns how far to trust a regression on texts it did not see.
"""

import math
import re
import warnings
from collections import Counter

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_predict

from incidents.coding.suggest.actor_forms import words_of
from incidents.common.names import strip_diacritics

TOP_K = 5
FOLDS = 3
NONE = "(none)"
GENERIC = {"of", "the", "forces", "military", "syria", "syrian", "group", "armed", "militia", "and", "al"}
CUE_WORDS = ("by", "between", "with", "against", "on", "and", "targeting", "of")
SAME_ACTOR_FLOOR = 0.02  # smallest share of training rows with one actor on both sides used as its prior


def _tokens(text):
    return re.findall(r"[a-z0-9]+", strip_diacritics(text).casefold())


def _pattern(words):
    """A name as a regular expression: whole words, any space or hyphen between them, case kept for
    acronyms ("IS" the group is not "is" the verb)."""
    return re.compile(r"(?<!\w)" + re.escape(words).replace(r"\ ", r"[\s-]+") + r"(?!\w)",
                      0 if words.isupper() else re.I)


class NameSpelling:
    """Where a text spells an actor: the acronym of its ACLED name ("QSD: …"), the words after the
    period/country parenthesis (the sub-unit: "Military Forces of Syria (2000-) Military Intelligence"),
    or an alias of the deployment's actor dictionary (Actor.aliases, edited by analysts in the admin)."""

    def __init__(self, names, aliases=None):
        """`names`: actor names; `aliases`: {actor name: [alias, …]} (the curated dictionary)."""
        spelled = {}
        for name in names:
            acronym, _, rest = name.partition(":") if re.match(r"^[A-Za-z]{2,6}:", name) else ("", "", name)
            sub = rest.rpartition(")")[2].strip() if ")" in rest else ""
            spelled[name] = {p for p in (acronym.strip(), sub) if p}
        for name, words in (aliases or {}).items():
            spelled.setdefault(name, set()).update(w for w in [name, *words] if w and w.strip())
        self.patterns = {name: [_pattern(w.strip()) for w in sorted(words)] for name, words in spelled.items() if words}
        self.words = {name: {w for w in _tokens(re.sub(r"\([^)]*\)", " ", name)) if w not in GENERIC}
                      for name in names}

    def first(self, name, text):
        """Offset of the first spelling of `name` in `text` (None: not spelled)."""
        found = [m.start() for p in self.patterns.get(name, ()) for m in [p.search(text)] if m]
        return min(found) if found else None

    def share(self, name, words):
        """Share of the name's own words (not "forces", "of", …) that the text has."""
        own = self.words.get(name) or set()
        return len(own & words) / len(own) if own else 0.0


class ActorChooser:
    def __init__(self, examples, matrix, forms, make_classifier, aliases=None):
        """`examples`: learned.Example list; `matrix`: their TF-IDF rows; `forms`: actor_forms.ActorForms;
        `make_classifier`: () -> an unfitted classifier like the per-role regressions; `aliases`:
        {actor name: [alias, …]} from the deployment's actor dictionary."""
        labels = {1: [e.actor1 for e in examples], 2: [e.actor2 or NONE for e in examples]}
        names = sorted(set(labels[1]) | set(labels[2]) - {NONE})
        self.spelling = NameSpelling(names, aliases)
        roles = Counter()
        for e in examples:
            roles[(e.actor1, 1)] += 1
            if e.actor2:
                roles[(e.actor2, 2)] += 1
        self.as_actor1 = {n: (roles[(n, 1)] + 1) / (roles[(n, 1)] + roles[(n, 2)] + 2) for n in names}
        same = sum(e.actor1 == e.actor2 for e in examples) / len(examples)
        self.same_prior = math.log(max(same, SAME_ACTOR_FLOOR))
        folds = KFold(FOLDS, shuffle=True, random_state=0)
        self.classes = {}
        probabilities = {}
        for role in (1, 2):
            self.classes[role] = np.array(sorted(set(labels[role])))
            with warnings.catch_warnings():  # a fold without a rare actor: its column is 0, as it should be
                warnings.filterwarnings("ignore", message="Number of classes in training fold")
                probabilities[role] = cross_val_predict(make_classifier(), matrix, labels[role], cv=folds,
                                                        method="predict_proba")
        rows, targets = {1: [], 2: []}, {1: [], 2: []}
        for i, e in enumerate(examples):
            p = {role: dict(zip(self.classes[role], probabilities[role][i])) for role in (1, 2)}
            for role, candidates in self._candidates(e.text, p, forms).items():
                for name, row in candidates.items():
                    rows[role].append(row)
                    targets[role].append(name == labels[role][i])
        self.scorers = {role: LogisticRegression(max_iter=2000, C=1.0).fit(np.array(rows[role]), targets[role])
                        for role in (1, 2) if len(set(targets[role])) > 1}

    def _candidates(self, text, p, forms, rejected=frozenset()):
        """{role: {candidate name: feature row}}; `p`: {role: {name: regression probability}}."""
        mentions = forms.mentions(text, rejected) if forms is not None else []
        said = {}
        for order, m in enumerate(mentions):
            said.setdefault(m.form.actor, (m.start, order, m.passive, m.form.precision))
        words = set(_tokens(text))
        ranked = {role: sorted(p[role], key=p[role].get, reverse=True) for role in (1, 2)}
        spelled = {}
        for name in self.spelling.patterns:
            at = self.spelling.first(name, text)
            if at is not None:
                spelled[name] = at
        pool = set(said) | set(spelled) | {n for role in (1, 2) for n in ranked[role][:TOP_K]}
        folded = strip_diacritics(text).casefold()
        result = {}
        for role in (1, 2):
            other = 3 - role
            candidates = {}
            for name in pool | ({NONE} if role == 2 else set()):
                if name == NONE and role == 1:
                    continue
                rank = ranked[role].index(name) if name in p[role] else len(ranked[role])
                start, order, passive, precision = said.get(name, (None, -1, False, 0.0))
                at = spelled.get(name)
                first = min(x for x in (start, at, len(text)) if x is not None)
                before = folded[max(0, first - 12):first].split()[-1:] if first < len(text) else []
                row = [math.log(p[role].get(name, 0.0) + 1e-4), math.log(p[other].get(name, 0.0) + 1e-4),
                       rank == 0, rank == 1, 2 <= rank < TOP_K,
                       name in said, precision, order == 0, order == 1, passive,
                       at is not None, self.spelling.share(name, words),
                       first / max(1, len(text)) if first < len(text) else 1.0,
                       math.log(self.as_actor1.get(name, 0.5) / (1 - self.as_actor1.get(name, 0.5))),
                       name == NONE]
                row += [bool(before) and before[0] == cue for cue in CUE_WORDS]
                candidates[name] = [float(x) for x in row]
            result[role] = candidates
        return result

    def choose(self, text, p, forms, rejected=frozenset()):
        """((actor 1, confidence), (actor 2 or None, confidence)) or None when no scorer was trained.
        `p`: {1: {name: probability}, 2: {…}} from the per-role regressions."""
        if len(self.scorers) < 2:
            return None
        candidates = self._candidates(text, p, forms, rejected)
        scores = {}
        for role in (1, 2):
            names = list(candidates[role])
            probability = self.scorers[role].predict_proba(np.array([candidates[role][n] for n in names]))[:, 1]
            total = probability.sum() or 1.0
            scores[role] = {n: max(float(q / total), 1e-6) for n, q in zip(names, probability)}
        best = max(((a, b) for a in scores[1] for b in scores[2]),
                   key=lambda pair: math.log(scores[1][pair[0]]) + math.log(scores[2][pair[1]])
                   + (self.same_prior if pair[0] == pair[1] else 0.0))
        a, b = best
        return (a, round(scores[1][a], 2)), (None if b == NONE else b, round(scores[2][b], 2))
