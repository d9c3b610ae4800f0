"""Actor surface forms learned from coded examples: "regime forces", "SAA" -> Military Forces of Syria.

For every word run of up to MAX_WORDS words in a training text, count the texts it occurs in
and, of those, the texts coded with each actor (as actor 1 or actor 2). A run becomes a surface
form of an actor when that actor was coded in at least MIN_PRECISION of the texts that say it,
and in at least MIN_SUPPORT of them, and in at most MAX_ELSEWHERE of the texts that do not
say it ("the" goes with every actor equally: not a form; "regime" goes with one). In a new text, the forms found (longest first) name the
actors in the order the text mentions them; which of them is actor 1 is then learned too: the
share of training texts in which the actor named first was coded as actor 1 ("killed by unknown
gunmen" names the victim first, so the passive voice is a cue the counts pick up).
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from incidents.coding.suggest.reasons import Reason
from incidents.common.names import ARABIC_ARTICLES, strip_diacritics

MAX_WORDS = 4
MIN_SUPPORT = 3
MIN_PRECISION = 0.8
MIN_LIFT = 0.35  # precision minus the actor's share among texts that do not say the run
TOKEN = re.compile(r"[^\W_]+")
# A name never starts with a connective nor ends with one, an article or "the": "and pro" (from "QDW and
# pro-Iran militias") and "wadi al" are pieces of the words around a name, not names, however often
# they go with one actor in the training texts. (Arabic articles may start a name: "al Fath al Mubeen".)
CONNECTIVES = {"and", "or", "of", "in", "on", "at", "by", "with", "to", "from", "for", "between", "against", "after",
               "near", "into", "while", "who", "which", "that", "was", "were", "is"}
NOT_LAST = CONNECTIVES | ARABIC_ARTICLES | {"the", "a", "an"}
PASSIVE = re.compile(r"\b(?:by|at the hands of)\s*$", re.I)


def words_of(text):
    """Words with offsets; lower-cased except acronyms ("IS" the group is not "is" the verb)."""
    return [(m.start(), m.end(), m.group() if m.group().isupper() and len(m.group()) > 1 else m.group().casefold())
            for m in TOKEN.finditer(strip_diacritics(text))]


def runs(words):
    for i in range(len(words)):
        for size in range(1, MAX_WORDS + 1):
            if i + size <= len(words):
                yield i, size, " ".join(w for _, _, w in words[i:i + size])


def is_bounded(surface):
    """Whether a word run can be a name: not opening with a connective, not ending with one or an article.
    "IS" (the group) is upper case, "is" (the verb) is not: words_of keeps acronyms' case."""
    words = surface.split()
    return words[0] not in CONNECTIVES and words[-1] not in NOT_LAST


@dataclass
class Form:
    surface: str
    actor: str
    precision: float
    support: int


@dataclass
class Mention:
    form: Form
    start: int
    end: int
    passive: bool  # "by <form>": the doer although named after the victim


class ActorForms:
    def __init__(self, examples, rejected=frozenset()):
        """`examples`: list of learned.Example; `rejected`: {(surface, actor name)} analysts rejected
        (models.RejectedActorForm.pairs()), never made forms of that actor."""
        seen, with_actor, coded = Counter(), defaultdict(Counter), Counter()
        for e in examples:
            actors = {a for a in (e.actor1, e.actor2) if a}
            coded.update(actors)
            for surface in {r for _, _, r in runs(words_of(e.text))}:
                seen[surface] += 1
                for actor in actors:
                    with_actor[surface][actor] += 1
        self.forms = {}
        for surface, counts in with_actor.items():
            actor, hits = counts.most_common(1)[0]
            precision = hits / seen[surface]
            elsewhere = (coded[actor] - hits) / max(1, len(examples) - seen[surface])
            if hits >= MIN_SUPPORT and precision >= MIN_PRECISION and precision - elsewhere >= MIN_LIFT \
                    and (surface, actor) not in rejected and is_bounded(surface):
                self.forms[surface] = Form(surface, actor, round(precision, 2), hits)
        # Drop a run that only repeats a shorter form of the same actor: "the regime" adds nothing to "regime".
        self.forms = {s: f for s, f in self.forms.items()
                      if not any(sub in self.forms and self.forms[sub].actor == f.actor and sub != s
                                 for _, _, sub in runs([(0, 0, w) for w in s.split()]))}
        self.order = Counter()  # (first named is actor 1?, passive?) -> count
        for e in examples:
            named = self.mentions(e.text)
            if len({m.form.actor for m in named}) >= 2:
                self.order[("first", named[0].passive, named[0].form.actor == e.actor1)] += 1

    def mentions(self, text, rejected=frozenset()):
        """Forms found in a text, in order, longest first at each position, one per actor; a form in
        `rejected` ({(surface, actor name)}, rejected since this model was trained) is not one."""
        words = words_of(text)
        found, i = [], 0
        while i < len(words):
            for size in range(min(MAX_WORDS, len(words) - i), 0, -1):
                surface = " ".join(w for _, _, w in words[i:i + size])
                form = self.forms.get(surface)
                if form is not None and (surface, form.actor) not in rejected:
                    start, end = words[i][0], words[i + size - 1][1]
                    found.append(Mention(form, start, end, bool(PASSIVE.search(text[max(0, start - 20):start]))))
                    i += size
                    break
            else:
                i += 1
        first = {}
        for m in found:
            first.setdefault(m.form.actor, m)
        return list(first.values())

    def of_actor(self, name):
        """The forms learned for one actor (Form each), most supported first."""
        return sorted((f for f in self.forms.values() if f.actor == name), key=lambda f: (-f.support, f.surface))

    def first_is_actor1(self, passive):
        """Share of training texts naming two actors whose first-named actor was actor 1."""
        yes, no = self.order[("first", passive, True)], self.order[("first", passive, False)]
        return (yes + 1) / (yes + no + 2)

    def actors(self, text, rejected=frozenset()):
        """(actor1, actor2): each (name, confidence, reasons) or None, from the forms the text names."""
        named = self.mentions(text, rejected)
        if not named:
            return None, None
        passive = named[0].passive or (len(named) > 1 and named[1].passive)
        ordered = named
        share = self.first_is_actor1(passive)
        if len(named) > 1 and share < 0.5:
            ordered = [named[1], named[0], *named[2:]]
            share = 1 - share

        def field(m, confidence, role):
            return (m.form.actor, round(confidence, 2),
                    [Reason(gettext_lazy("“%(words)s” is a learned form of %(actor)s (coded so in %(count)s texts, "
                                         "%(percent)s%% of those that say it); %(role)s"), words=m.form.surface,
                            actor=m.form.actor, count=m.form.support, percent=round(m.form.precision * 100),
                            role=role)])

        if len(ordered) == 1:
            return field(ordered[0], ordered[0].form.precision * 0.8,
                         Reason(gettext_lazy("the only actor named"))), None
        role = Reason(gettext_lazy("named second; %(percent)s%% of such texts code it actor 1") if ordered is not named
                      else gettext_lazy("named first; %(percent)s%% of such texts code it actor 1"),
                      percent=round(share * 100))
        return (field(ordered[0], ordered[0].form.precision * share, role),
                field(ordered[1], ordered[1].form.precision * share, Reason(gettext_lazy("the other actor named"))))
