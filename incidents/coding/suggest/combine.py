"""The rules' suggestions and the learned model's predictions combined into one answer per field.

The rules stay one signal among others: for each field the learned prediction is used when the
model is at least as confident as the rule (its probability against the rule's confidence), and
the rule stands when the model has never seen the rule's class (e.g. a trained model that only
knows battles does not overrule "Explosions/Remote violence"). When the rules find no event at
all, the model still suggests one for the text, so the analyst is offered something to correct.
With no model (a fresh install), the rules' suggestions are returned unchanged; so they are for an
Arabic text when the model has learned no Arabic word (`reads`): its answer would be its prior alone.

Places are compared in one currency: a rule's place that the learned gazetteer has seen often
enough (MIN_SEEN training texts) gets the share of those texts the coders coded at it as its
confidence, when that is lower than the rule's. "Deir ez Zor" is named in most notes ("in Deir ez
Zor countryside") but is rarely where the event happened; the rule's 0.9 only says the words
matched. A more specific place the coders did choose then wins.
"""

from django.contrib.gis.geos import Point

from django.utils.translation import gettext_lazy

from incidents.coding.suggest.lexicon import folded
from incidents.coding.suggest.reasons import Reason
from incidents.common.arabic_text import is_arabic, mostly_arabic
from incidents.common.typology import GeoPrecision, reader_term
from incidents.models import Actor, Place


NAMED_ACTOR_BAR = 0.95
ROLES_BY_TYPE = {"Violence against civilians", "Protests", "Riots"}  # event types whose roles the typology fixes
RULES_SAID = gettext_lazy("the rules said %(value)s")
MIN_SEEN = 10  # training texts naming a place before its coded share replaces a rule's confidence


def reads(model, text):
    """Whether `model` (learned.LearnedModel) knows the language of `text`: any model reads English (it
    is trained on ACLED's English notes), an Arabic text only a model whose features hold Arabic words."""
    if not mostly_arabic(text):
        return True
    if not hasattr(model, "_reads_arabic"):
        model._reads_arabic = any(is_arabic(str(name)) for name in getattr(model, "feature_names", ()))
    return model._reads_arabic


def calibrated_place(rule_place, gazetteer, text=""):
    """(confidence, reasons) of a rule's place field in the learned gazetteer's terms.

    A rule's place in another governorate than the text names ("Sabkha" read as Raqqa's As Sabkhah in
    a note about Deir-ez-Zor) gets confidence 0: issue 14's rule, no guess from another governorate.
    """
    place = rule_place.value
    if place is not None and getattr(place, "admin1_id", None) and hasattr(gazetteer, "outside_named_governorates") \
            and gazetteer.outside_named_governorates(text, str(place.admin1)):
        return 0.0, [Reason(gettext_lazy("%(place)s is in %(governorate)s, which the text does not name"),
                            place=place.name, governorate=str(place.admin1))]
    entry = gazetteer.entries.get(folded(rule_place.value.name)) if rule_place.value is not None else None
    if entry is None or entry.seen < MIN_SEEN or entry.prior >= rule_place.confidence:
        return rule_place.confidence, []
    return round(entry.prior, 2), [Reason(gettext_lazy("coders chose %(place)s in %(count)s of the %(seen)s earlier "
                                                       "texts that name it: confidence %(percent)s%%"),
                                          place=entry.name, count=entry.chosen, seen=entry.seen,
                                          percent=round(entry.prior * 100))]


def _text_of(suggestion, text, only):
    return text if only else " ".join(quote for _, _, quote in suggestion.evidence)


def actor_named(name, cache):
    if name is None:
        return None
    if name not in cache:
        cache[name] = Actor.objects.filter(name=name).first() or Actor(name=name)
    return cache[name]


def learned_place(entry):
    """The curated Place the coding named, else an unsaved one at the learned point."""
    if entry.place_id:
        place = Place.objects.filter(pk=entry.place_id).first()
        if place is not None:
            return place
    return Place(name=entry.name, point=Point(entry.lon, entry.lat, srid=4326), kind="learned")


def learned_roles(suggestion, found, field_type, cache):
    """Which side is actor 1, decided for the pair (in place on `suggestion`).

    The rules read who the sentence names first; which side ACLED codes as actor 1 is the coders'
    habit, which the model learned (actor_choice: an unidentified attacker of a named force is often
    actor 2, Islamic State actor 1 of most clashes it is in). So when the model names the rules' two
    actors the other way round, its roles win; and when the fields ended with one actor on both sides
    (the rules' actor 2 kept beside the model's actor 1) while the model names another actor 2, the
    model's actor 2 replaces it. `found`: LearnedModel.predict_all's answer.
    """
    a1, a2 = str(suggestion.actor1.value or ""), str(suggestion.actor2.value or "")
    l1, l2 = found["actor1"], found["actor2"]
    n1, n2 = str(l1.value or ""), str(l2.value or "")
    if a1 and a2 and a1 != a2 and (n1, n2) == (a2, a1):
        swapped = Reason(gettext_lazy("the rules had the roles the other way round"))
        first, second = suggestion.actor2.value, suggestion.actor1.value
        suggestion.actor1 = field_type(first, l1.confidence, l1.reasons + [swapped])
        suggestion.actor2 = field_type(second, l2.confidence, l2.reasons + [swapped])
    elif a1 and a1 == a2 and n2 and n2 != a1 and n1 != n2:
        suggestion.actor2 = field_type(actor_named(n2, cache), l2.confidence,
                                       l2.reasons + [Reason(RULES_SAID, value=a2)])


def refine(suggestions, text, model, field_type):
    """Apply the learned model to rule suggestions (in place) and return the final list.

    `field_type` is extraction.Field (passed in so this module does not import extraction).
    """
    if model is None:
        return suggestions
    cache = {}
    only = len(suggestions) == 1
    for suggestion in suggestions:
        found = model.predict_all(_text_of(suggestion, text, only))
        sub = found["sub_event_type"]
        rule_type = suggestion.event_type
        if sub.value and (rule_type.value[1] in model.classes or not rule_type.value[1]) \
                and sub.confidence >= rule_type.confidence:
            agrees = rule_type.value[1] == sub.value
            suggestion.event_type = field_type(
                (found["event_type"].value, sub.value), max(sub.confidence, rule_type.confidence) if agrees
                else sub.confidence, sub.reasons + ([Reason(gettext_lazy("the rules agree"))] if agrees else
                                                    [Reason(RULES_SAID, value=reader_term(rule_type.value[1]))]))
        fixed_roles = suggestion.event_type.value[0] in ROLES_BY_TYPE and suggestion.event_type.value[1] not in model.classes
        for number in (1, 2):
            name = f"actor{number}"
            rule, learned = getattr(suggestion, name), found[name]
            # An actor the rules read by name in the text is overruled only by a near-certain model.
            # Where the event type fixes the roles (ACLED's codebook: civilians are the target of violence
            # against civilians; protesters and rioters are actor 1 of demonstrations, with no actor 2 unless
            # one is named) and the model never learned that type, the rules' roles stand. The model never
            # deletes an actor the rules found (its "none" is the analyst's call), nor makes actor 2 the
            # rules' actor 1 in their place.
            if fixed_roles or rule.value is not None and (
                    learned.value is None or number == 2 and learned.value == str(suggestion.actor1.value or "")):
                continue
            if rule.value is None or learned.confidence > max(rule.confidence, NAMED_ACTOR_BAR if rule.confidence >= 0.9
                                                               else 0):
                agrees = rule.value is not None and str(rule.value) == learned.value
                setattr(suggestion, name, field_type(
                    actor_named(learned.value, cache) if learned.value else None, learned.confidence,
                    learned.reasons + ([Reason(RULES_SAID, value=rule.value)] if rule.value and not agrees else [])))
        if not fixed_roles:
            learned_roles(suggestion, found, field_type, cache)
        place = found["place"]
        rule_place = suggestion.place
        rule_confidence, calibration = calibrated_place(rule_place, model.gazetteer, _text_of(suggestion, text, only))
        if place.value is not None and (rule_place.value is None or place.confidence > rule_confidence):
            suggestion.place = field_type(learned_place(place.value), place.confidence, place.reasons + (
                [Reason(RULES_SAID, value=rule_place.value.name)] + calibration if rule_place.value is not None
                else []))
            suggestion.geo_precision = GeoPrecision.EXACT
        elif calibration and rule_confidence == 0:  # another governorate: unknown, not guessed
            suggestion.place = field_type(None, 0.0, rule_place.reasons + calibration + place.reasons)
        elif calibration:
            suggestion.place = field_type(rule_place.value, rule_confidence, rule_place.reasons + calibration)
        elif rule_place.value is None and place.reasons:
            suggestion.place = field_type(None, rule_place.confidence, place.reasons)
    return suggestions

