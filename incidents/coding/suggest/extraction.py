"""Suggest incidents from an article's text: transparent rules over the analysts' dictionaries.

    text ─▶ sentences (with offsets) ─▶ per sentence: event rules, actors, places, casualty figures
         ─▶ one mention per event rule that fired ─▶ mentions of the same event merged
         ─▶ suggestions: fields with a confidence and the words that justify them

Nothing is saved here: an analyst accepts, edits or discards each suggestion (incidents.coding.assist).
A sentence can report several events ("seven soldiers were killed during the clashes before
ISIS seized control of several army posts"); each actor and each casualty figure goes to the
event whose words are nearest in the sentence, so a death toll is never counted twice.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from incidents.coding.suggest.actor_roles import Sides, assign, attributed
from incidents.coding.suggest.casualties import combine, figures_in, vague_mentions
from incidents.coding.suggest.combine import actor_named, learned_place, reads, refine
from incidents.coding.suggest.dates import suggest_date
from incidents.coding.suggest.lexicon import Lexicon
from incidents.coding.suggest.placing import PlaceResolver
from incidents.coding.suggest.reasons import Reason
from incidents.coding.suggest.textspans import split_sentences
from incidents.common.typology import ActorCategory, GeoPrecision, reader_term
from incidents.models import Place

TERRITORY = ("Non-state actor overtakes territory", "Government regains territory")
CLAIM = re.compile(r"\bclaimed (?:responsibility|the attack|the bombing)", re.I)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
BACKGROUND_DAYS = 60  # a year named this long before publication is history, not the news


def is_background(sentence, published_on):
    """'ISIS seized control of the town in 2014' in a 2019 report: background, not an event to code."""
    years = [int(y) for y in YEAR.findall(sentence.text)]
    if not years or published_on is None:
        return None
    last = max(years)
    if (published_on - datetime.date(last, 12, 31)).days > BACKGROUND_DAYS:
        return f"sentence dated {last}, well before the report ({published_on}): background"
    return None


@dataclass
class Field:
    value: object
    confidence: float
    reasons: list

    @property
    def level(self):
        return "high" if self.confidence >= 0.8 else "medium" if self.confidence >= 0.6 else "low"


@dataclass
class Mention:
    sentence: object
    trigger: object  # lexicon.Match of an EventRule
    event_type: str
    sub_event_type: str
    actors: list
    figures: list
    place: object = None  # placing.PlaceChoice
    roles: object = None  # actor_roles.Roles
    follow_ups: list = field(default_factory=list)  # later sentences that only add figures
    reasons: list = field(default_factory=list)
    claimed_by: object = None  # lexicon.Match of an actor that "claimed responsibility" in a later sentence


@dataclass
class Suggestion:
    key: str
    mentions: list
    event_type: Field
    actor1: Field
    actor2: Field
    place: Field
    date: Field
    casualties: Field
    geo_precision: int = GeoPrecision.EXACT
    assoc_actors_1: list = field(default_factory=list)
    assoc_actors_2: list = field(default_factory=list)
    civilian_targeting: bool = False
    evidence: list = field(default_factory=list)  # (start, end, quote)

    @property
    def fields(self):
        return [("Event type", self.event_type), ("Actor 1", self.actor1), ("Actor 2", self.actor2),
                ("Place", self.place), ("Date", self.date), ("Fatalities", self.casualties)]

    @property
    def confidence(self):
        scored = [self.event_type, self.actor1, self.place, self.casualties]
        return round(sum(f.confidence for f in scored) / len(scored), 2)

    @property
    def level(self):
        return Field(None, self.confidence, []).level


def _gap(a, b):
    """Words between two matches of one sentence (0 when they touch or overlap)."""
    if a.last < b.first:
        return b.first - a.last
    if b.last < a.first:
        return a.first - b.last
    return 0


def _nearest(triggers, item):
    return min(triggers, key=lambda t: (_gap(t, item), t.start))


def _territory_subtype(mention):
    actor1 = mention.roles.actor1
    if mention.sub_event_type not in TERRITORY or actor1 is None:
        return
    wanted = TERRITORY[1] if actor1.category == ActorCategory.STATE_FORCES else TERRITORY[0]
    if wanted != mention.sub_event_type:
        mention.reasons.append(Reason(_("%(actor)s is a state force, so: %(sub_event_type)s"), actor=actor1,
                                      sub_event_type=reader_term(wanted)) if wanted == TERRITORY[1] else
                               Reason(_("%(actor)s is not a state force, so: %(sub_event_type)s"), actor=actor1,
                                      sub_event_type=reader_term(wanted)))
        mention.sub_event_type = wanted


class ArticleReader:
    """Reads one text: per-sentence matches first (they give the article's context), then events."""

    def __init__(self, text, lexicon, published_on=None):
        self.text = text
        self.published_on = published_on
        self.lexicon = lexicon
        self.sentences = split_sentences(text)
        self.sides = Sides(lexicon.actors.actors)
        self.actors, self.rules, self.explicit_places = {}, {}, {}
        for sentence in self.sentences:
            actors = attributed(sentence, lexicon.actors.find(sentence))
            taken = {i for m in actors for i in range(m.first, m.last + 1)}
            self.actors[sentence.index] = actors
            self.explicit_places[sentence.index] = lexicon.places.find(sentence, taken)
            self.rules[sentence.index] = lexicon.rules.find(sentence)
            self.sides.note_sentence(sentence.index, [m.obj for m in actors])
        self.resolver = PlaceResolver(self.explicit_places, Place.objects.all())

    def place_candidates(self, sentence):
        explicit = self.explicit_places[sentence.index]
        spans = [(c[0].start, c[0].end) for c in explicit]
        spans += [(m.start, m.end) for m in self.actors[sentence.index]]
        return self.resolver.with_references(sentence, explicit, spans)

    def mentions(self):
        found, last_place = [], None
        for sentence in self.sentences:
            triggers = self.rules[sentence.index]
            figures = figures_in(sentence)
            candidates = self.place_candidates(sentence)
            if triggers and is_background(sentence, self.published_on):
                continue
            if not triggers:
                self.follow_up(found[-1] if found else None, sentence, figures)
                if candidates:
                    last_place = self.resolver.choose(sentence, _Anchor(), candidates)
                continue
            by_trigger = {id(t): ([], []) for t in triggers}
            for actor in self.actors[sentence.index]:
                by_trigger[id(_nearest(triggers, actor))][0].append(actor)
            for figure in figures:
                first = sentence.token_index_at(figure.start)
                anchor = _Anchor(first, max(first, sentence.token_index_at(figure.end) - 1))
                by_trigger[id(_nearest(triggers, anchor))][1].append(figure)
            for trigger in triggers:
                actors, own_figures = by_trigger[id(trigger)]
                rule = trigger.obj
                place = self.resolver.choose(sentence, trigger, candidates)
                if place is None and last_place is not None:
                    place = PlaceResolver.carried_over(last_place)
                mention = Mention(sentence, trigger, rule.event_type, rule.sub_event_type, actors, own_figures,
                                  place)
                mention.roles = assign(self.sides, sentence, trigger, actors, rule.event_type, rule.sub_event_type)
                _territory_subtype(mention)
                apply_typology_defaults(mention, self.lexicon.actors.actors)
                found.append(mention)
            if candidates:
                last_place = self.resolver.choose(sentence, triggers[-1], candidates)
        return found

    def follow_up(self, previous, sentence, figures):
        """A sentence without event words adds to the event just reported in its paragraph:
        its casualty figures ("Five fighters were killed."), or who claimed it."""
        if previous is None or previous.sentence.paragraph != sentence.paragraph:
            return
        claim = CLAIM.search(sentence.text)
        actors = self.actors[sentence.index]
        if claim and actors and not previous.roles.named1:
            previous.claimed_by = min(actors, key=lambda m: abs(m.start - sentence.start - claim.start()))
            previous.roles.actor1 = previous.claimed_by.obj
            previous.roles.named1 = True
            previous.roles.reasons1 = [Reason(_("“%(words)s” %(claim)s in the next sentence"),
                                              words=previous.claimed_by.surface, claim=claim.group())]
        if figures or claim:
            previous.figures.extend(figures)
            previous.follow_ups.append(sentence)


@dataclass
class _Anchor:
    """A stand-in for a match when only a position is needed (start of sentence by default)."""

    first: int = 0
    last: int = 0
    start: int = 0


def _first_of_category(actors, category):
    return next((a for a in sorted(actors, key=lambda a: a.name) if a.category == category), None)


def apply_typology_defaults(mention, actors):
    """ACLED's own rules: violence against civilians has civilians as actor 2; protests have the
    protesters as actor 1, and a peaceful protest no actor 2."""
    roles = mention.roles
    if mention.event_type == "Violence against civilians" and roles.actor2 is None:
        civilians = _first_of_category(actors, ActorCategory.CIVILIANS)
        if civilians:
            roles.actor2 = civilians
            roles.reasons2 = [Reason(_("violence against civilians: actor 2 is civilians (ACLED codebook)"))]
    if mention.event_type == "Protests":
        protesters = _first_of_category(actors, ActorCategory.PROTESTERS)
        if protesters and (roles.actor1 is None or roles.actor1.category != ActorCategory.PROTESTERS):
            roles.reasons1 = [Reason(_("people protesting are coded as %(actor)s (the text says “%(said)s”)"),
                                     actor=protesters, said=roles.actor1) if roles.actor1 else
                              Reason(_("people protesting are coded as %(actor)s"), actor=protesters)]
            roles.actor1, roles.named1 = protesters, True
        if mention.sub_event_type == "Peaceful protest" and roles.actor2 is not None:
            roles.reasons2 = [Reason(_("a peaceful protest has no actor 2; %(actor)s is what they protested against"),
                                     actor=roles.actor2)]
            roles.actor2, roles.assoc_2 = None, []


def _side(sides, actor):
    return sides.root(actor).pk if actor is not None else None


def _compatible(sides, mention, group):
    head = group[0]
    if mention.sub_event_type != head.sub_event_type:
        return False
    if mention.place and head.place and mention.place.place.pk != head.place.place.pk and \
            "context" not in (mention.place.match.method, head.place.match.method):
        return False
    if not (mention.roles.named1 or mention.roles.named2):
        return True  # "killed in the shelling": names no one, so it is the shelling just reported
    a = (_side(sides, mention.roles.actor1), _side(sides, mention.roles.actor2))
    b = (_side(sides, head.roles.actor1), _side(sides, head.roles.actor2))
    if mention.event_type == "Battles" and set(a) - {None} and set(b) - {None}:
        return set(a) - {None} <= set(b) | {None} or set(b) - {None} <= set(a)
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def group_mentions(sides, mentions):
    """Mentions of the same event (same sub-type, place and sides) become one suggestion."""
    groups = []
    for mention in mentions:
        group = next((g for g in reversed(groups) if _compatible(sides, mention, g)), None)
        if group is None:
            groups.append([mention])
        else:
            group.append(mention)
    return groups


def _best_place(group):
    explicit = [m.place for m in group if m.place and m.place.match.method != "context"]
    chosen = explicit or [m.place for m in group if m.place]
    if not chosen:
        return None
    counts = {}
    for choice in chosen:
        counts.setdefault(choice.place.pk, []).append(choice)
    best = max(counts.values(), key=lambda choices: (len(choices), -chosen.index(choices[0])))
    return min(best, key=lambda c: (c.precision, -c.confidence))


def _actor_field(group, number):
    named = [m.roles for m in group if getattr(m.roles, f"named{number}")]
    source = named[0] if named else next((m.roles for m in group if getattr(m.roles, f"actor{number}")), None)
    if source is None:
        return Field(None, 0.3, [Reason(_("no actor found: choose one"))]), []
    actor = getattr(source, f"actor{number}")
    reasons = list(getattr(source, f"reasons{number}"))
    assoc = list(dict.fromkeys(a for r in named if getattr(r, f"actor{number}") == actor
                               for a in getattr(r, f"assoc_{number}")))
    confidence = 0.9 if named else 0.55
    if assoc:
        reasons.append(Reason(_("associated: %(actors)s"), actors=[str(a) for a in assoc]))
    return Field(actor, confidence, reasons), assoc


def build_suggestion(group, published_on=None, known_dates=None, text=""):
    head = group[0]
    evidence = {}
    for mention in group:
        for sentence in [mention.sentence, *mention.follow_ups]:
            evidence[(sentence.start, sentence.end)] = sentence.text
    spans = sorted(evidence)
    words = sorted({m.trigger.surface for m in group}, key=str.casefold)
    type_reasons = [Reason(_("“%(words)s” matched the rule “%(rule)s” → %(event_type)s: %(sub_event_type)s"),
                           words=w, rule=m.trigger.entry, event_type=reader_term(m.event_type),
                           sub_event_type=reader_term(m.sub_event_type))
                    for w in words for m in group if m.trigger.surface == w][:len(words)]
    type_reasons += [r for m in group for r in m.reasons]
    event = Field((head.event_type, head.sub_event_type), min(0.95, 0.75 + 0.05 * len(group)),
                  list(dict.fromkeys(type_reasons)))
    actor1, assoc1 = _actor_field(group, 1)
    actor2, assoc2 = _actor_field(group, 2)
    choice = _best_place(group)
    place = (Field(choice.place, choice.confidence, choice.reasons) if choice
             else Field(None, 0.2, [Reason(_("no place found: choose one"))]))
    figures = [f for m in group for f in m.figures]
    vague = [v for m in group for s in [m.sentence, *m.follow_ups] for v in vague_mentions(s)]
    numbers = combine(figures, vague)
    casualties = Field(numbers, numbers.confidence, list(numbers.reasons))
    sentences_text = " ".join(evidence[span] for span in spans)
    value, confidence, reason = suggest_date(sentences_text, published_on, known_dates, text[:spans[0][0]])
    date = Field(value, confidence, [reason])
    key = hashlib.sha1(f"{head.sub_event_type}|{spans}".encode()).hexdigest()[:12]
    civilians = actor2.value is not None and actor2.value.category == ActorCategory.CIVILIANS
    return Suggestion(key, group, event, actor1, actor2, place, date, casualties,
                      geo_precision=choice.precision if choice else GeoPrecision.GOVERNORATE,
                      assoc_actors_1=assoc1, assoc_actors_2=assoc2, civilian_targeting=civilians,
                      evidence=[(start, end, evidence[(start, end)]) for start, end in spans])


def rule_suggestions(text, lexicon=None, published_on=None, known_dates=None):
    """The rules' suggested incidents for a text, in the order the text reports them."""
    lexicon = lexicon or Lexicon.load()
    reader = ArticleReader(text, lexicon, published_on)
    groups = group_mentions(reader.sides, reader.mentions())
    return [build_suggestion(group, published_on, known_dates, text) for group in groups]


def suggest_incidents(text, lexicon=None, published_on=None, known_dates=None, model=None):
    """Suggested incidents for a text: the rules' (rule_suggestions), refined by the learned model
    (learned.LearnedModel, e.g. learned.current_model()) when there is one; with a model and no
    rule firing, one suggestion from the model alone. [] when nothing is found."""
    return with_model(rule_suggestions(text, lexicon, published_on, known_dates), text, model, published_on)


def with_model(suggestions, text, model, published_on=None):
    """The second step of suggest_incidents: the rules' suggestions refined by the model (if any, and if it
    reads the text's language: combine.reads)."""
    if model is None or not reads(model, text):
        return suggestions
    if not suggestions:
        only = learned_only_suggestion(text, model, published_on)
        return [only] if only else []
    return refine(suggestions, text, model, Field)


def learned_only_suggestion(text, model, published_on=None):
    """One suggestion from the model alone, with the text's first paragraph as evidence (or None)."""
    sentences = split_sentences(text)
    if not sentences:
        return None
    first = [s for s in sentences if s.paragraph == sentences[0].paragraph]
    passage = " ".join(s.text for s in first)
    found = model.predict_all(passage)
    sub = found["sub_event_type"]
    if sub.value is None:
        return None
    cache = {}
    event = Field((found["event_type"].value, sub.value), sub.confidence,
                  sub.reasons + [Reason(_("no rule fired on this text: the learned model alone"))])
    actor1, actor2 = (Field(actor_named(found[n].value, cache), found[n].confidence, found[n].reasons)
                      for n in ("actor1", "actor2"))
    entry = found["place"]
    place = Field(learned_place(entry.value) if entry.value else None, entry.confidence, entry.reasons)
    numbers = combine([f for s in first for f in figures_in(s)], [v for s in first for v in vague_mentions(s)])
    value, confidence, reason = suggest_date(passage, published_on, None)
    evidence = [(s.start, s.end, s.text) for s in first]
    key = hashlib.sha1(f"learned|{sub.value}|{evidence[0][:2]}".encode()).hexdigest()[:12]
    return Suggestion(key, [], event, actor1, actor2, place, Field(value, confidence, [reason]),
                      Field(numbers, numbers.confidence, list(numbers.reasons)),
                      geo_precision=GeoPrecision.EXACT if entry.value else GeoPrecision.GOVERNORATE,
                      evidence=evidence)
