"""Actor 1 and actor 2 chosen together by the learned model (issue 14, fourth round)."""

import datetime

import pytest

from incidents.coding.suggest.actor_choice import NameSpelling
from incidents.coding.suggest.combine import learned_roles
from incidents.coding.suggest.extraction import Field, rule_suggestions, suggest_incidents
from incidents.coding.suggest.learned import Example, LearnedModel, Prediction
from incidents.coding.suggest.lexicon import Lexicon
from incidents.models import Actor

pytestmark = pytest.mark.django_db
DAY = datetime.date(2022, 5, 2)
IS, QSD, SYRIA = "Islamic State (Syria)", "QSD: Syrian Democratic Forces", "Military Forces of Syria (2000-)"
UNIDENTIFIED = "Unidentified Armed Group (Syria)"
VILLAGES = ["Tall Miraq", "Kharbat Zuhur", "Jazirat Nur", "Abu Hardub", "Al Kishmah"]


def _coded_like_acled():
    """Notes as ACLED writes them, coded as its coders do: whoever the note names first, Islamic State
    is actor 1 of a clash with the SDF; an unknown attacker of a regime post is actor 2."""
    kinds = [("clashes took place between QSD and IS in {} town in Deir ez Zor countryside.", IS, QSD),
             ("clashes took place between IS and QSD in {} town in Deir ez Zor countryside.", IS, QSD),
             ("unknown gunmen attacked a regime post in {} town, killing a soldier.", SYRIA, UNIDENTIFIED),
             ("regime forces clashed with QSD fighters near {} town.", SYRIA, QSD)]
    examples = []
    for n in range(60):
        words, actor1, actor2 = kinds[n % len(kinds)]
        examples.append(Example(
            text=f"On {n % 28 + 1} March 2020, " + words.format(VILLAGES[n % len(VILLAGES)]) + f" Report {n}.",
            date=datetime.date(2020, 3, n % 28 + 1), event_type="Battles", sub_event_type="Armed clash",
            actor1=actor1, actor2=actor2, location="Hajin", lon=40.6, lat=34.7, fatalities=0, ref=f"note {n}"))
    return examples


def test_the_coders_habit_of_which_side_is_actor_1_beats_the_order_of_the_sentence(seed):
    model = LearnedModel(_coded_like_acled(), actors=Actor.objects.all())
    text = "On 3 May 2022, clashes took place between QSD and IS in Hajin town in Deir ez Zor countryside."
    [rules] = rule_suggestions(text, Lexicon.load(), DAY)
    assert (str(rules.actor1.value), str(rules.actor2.value)) == (QSD, IS)  # the order of the sentence
    [ours] = suggest_incidents(text, Lexicon.load(), DAY, model=model)
    assert (str(ours.actor1.value), str(ours.actor2.value)) == (IS, QSD), ours.actor1.reasons
    # The analyst sees that the rules read it otherwise, and why the model chose the pair.
    assert any("other way round" in str(reason) or "the rules said" in str(reason) for reason in ours.actor1.reasons)
    assert any("likeliest pair" in str(reason) for reason in ours.actor2.reasons), ours.actor2.reasons


def test_the_chooser_only_names_actors_and_reads_acronyms_and_sub_units_as_coders_write_them():
    spelling = NameSpelling(["QDW: National Defence Forces", "Military Forces of Syria (2000-) Military Intelligence",
                             IS], {IS: ["IS", "Daesh"]})
    text = "Clashes between IS and QDW; it is said regime military intelligence took part."
    assert spelling.first("QDW: National Defence Forces", text) == text.index("QDW")
    assert spelling.first("Military Forces of Syria (2000-) Military Intelligence", text) == \
        text.index("military intelligence")
    assert spelling.first(IS, text) == text.index("IS")
    assert spelling.first(IS, "it is said the regime shelled the area") is None  # "is" the verb is no group


@pytest.mark.parametrize("learned, expected", [
    ((IS, QSD), (IS, QSD)),  # the model names the rules' two actors the other way round: its roles win
    ((QSD, IS), (QSD, IS)),  # it agrees: nothing moves
    ((SYRIA, UNIDENTIFIED), (QSD, IS)),  # other actors: the per-role bars decide, not this step
])
def test_the_model_decides_which_of_the_rules_two_actors_is_actor_1(seed, learned, expected):
    text = "On 3 May 2022, clashes took place between QSD and IS in Hajin town in Deir ez Zor countryside."
    [suggestion] = rule_suggestions(text, Lexicon.load(), DAY)
    found = {f"actor{n}": Prediction(name, 0.6, []) for n, name in zip((1, 2), learned)}
    learned_roles(suggestion, found, Field, {})
    assert (str(suggestion.actor1.value), str(suggestion.actor2.value)) == expected


def test_one_actor_on_both_sides_gives_way_to_the_models_actor_2(seed):
    text = "On 3 May 2022, clashes took place between QSD and IS in Hajin town in Deir ez Zor countryside."
    [suggestion] = rule_suggestions(text, Lexicon.load(), DAY)
    suggestion.actor2 = suggestion.actor1  # e.g. the model's actor 1 filled in beside the rules' actor 2
    found = {"actor1": Prediction(QSD, 0.9, []), "actor2": Prediction(IS, 0.5, [])}
    learned_roles(suggestion, found, Field, {})
    assert (str(suggestion.actor1.value), str(suggestion.actor2.value)) == (QSD, IS)
    assert any("the rules said" in str(reason) for reason in suggestion.actor2.reasons)
