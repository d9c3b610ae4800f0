"""Suggestions learned from the team's own coding (issue 14): training, fallback, and what it changes."""

import datetime
import io
import re

import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.urls import reverse

from incidents.coding.suggest.casualties import combine, figures_in
from incidents.coding.suggest.dates import suggest_date
from incidents.coding.suggest.extraction import rule_suggestions, suggest_incidents
from incidents.coding.suggest.gazetteer import Gazetteer
from incidents.coding.suggest.learned import Example, LearnedModel, current_model, newest_file
from incidents.coding.suggest.lexicon import Lexicon
from incidents.coding.suggest.textspans import split_sentences
from incidents.models import Actor, Incident, Place
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_user_with

pytestmark = pytest.mark.django_db

# Coded examples in two kinds a model can tell apart by their words, with the actors the analysts chose.
CLASH = "Fighters of the {a} clashed with {b} militants near {p}, an exchange of fire that lasted hours."
TAKEOVER = "{a} seized control of {p} after {b} withdrew, taking over the village and its checkpoints."


@pytest.fixture
def model_dir(settings, tmp_path):
    settings.SUGGESTION_MODEL_DIR = tmp_path / "models"
    return settings.SUGGESTION_MODEL_DIR


@pytest.fixture
def coded(db):
    """24 approved incidents coded from articles (quotes are the evidence), half clashes, half takeovers;
    who is actor 1 alternates with who the text names first."""
    rebels = make_actor("Free Valley Brigade", aliases=["FVB"])
    guards = make_actor("Hill Guard Militia")
    place = Place.objects.create(name="Qaryat Zayn", kind="populated place", point=Point(40.5, 35.1, srid=4326))
    for n in range(12):
        for template, sub in ((CLASH, "Armed clash"), (TAKEOVER, "Non-state actor overtakes territory")):
            first, second = (rebels, guards) if n % 3 else (guards, rebels)
            names = {rebels: "Free Valley Brigade" if n % 2 else "FVB", guards: "Hill Guard"}
            text = template.format(a=names[first], b=names[second], p="Qaryat Zayn") + f" Report number {n}."
            incident = make_incident(sub_event_type=sub, actor1=first, actor2=second, place=place,
                                     location="Qaryat Zayn", point=place.point, date=datetime.date(2020, 1, 1 + n))
            make_evidence(incident, make_article(text), text)
    return rebels, guards, place


def test_a_fresh_install_has_no_model_and_suggests_with_the_rules_alone(seed, model_dir):
    assert newest_file() is None and current_model() is None
    text = "Clashes broke out between ISIS and the SDF in Hajin on Monday, killing five fighters."
    lexicon = Lexicon.load()
    rules = rule_suggestions(text, lexicon, datetime.date(2019, 1, 2))
    assert rules
    ours = suggest_incidents(text, lexicon, datetime.date(2019, 1, 2), model=current_model())
    assert [(s.event_type.value, str(s.actor1.value), str(s.place.value)) for s in ours] == \
        [(s.event_type.value, str(s.actor1.value), str(s.place.value)) for s in rules]


def test_training_needs_enough_coded_examples_and_says_so(db, model_dir):
    with pytest.raises(CommandError, match="at least 20 are needed"):
        call_command("train_suggestions", stdout=io.StringIO())
    assert newest_file() is None


def test_train_suggestions_writes_a_versioned_model_the_page_then_uses(client, coded, model_dir):
    out = io.StringIO()
    call_command("train_suggestions", stdout=out)
    assert "on 24 examples" in out.getvalue()
    [path] = list(model_dir.glob("suggestions-*.joblib"))
    model = current_model()
    assert model is not None and path.name == f"suggestions-{model.version}.joblib"
    # A report in words the rules have no event rule for: the learned model still suggests the coding.
    article = make_article("FVB seized control of Qaryat Zayn after Hill Guard withdrew from the village.")
    client.force_login(make_user_with("add_incident", "change_incident", "view_incident", "add_evidence"))
    page = client.get(reverse("assist-suggestions", args=[article.pk])).content.decode()
    assert "Non-state actor overtakes territory" in page
    assert "learned from 24 coded examples" in page
    assert f"a model learned from 24 coded examples (version {model.version})" in page
    assert "Free Valley Brigade" in page


def test_the_model_keeps_versions_and_ignores_a_broken_newest_file(coded, model_dir):
    call_command("train_suggestions", stdout=io.StringIO())
    good = current_model()
    (model_dir / "suggestions-99999999T999999Z.joblib").write_bytes(b"not a model")
    assert current_model() is None  # a broken newest file: the rules alone, never an error page
    (model_dir / "suggestions-99999999T999999Z.joblib").unlink()
    assert current_model().version == good.version


def test_learned_surface_forms_name_the_actor_the_team_coded(coded, model_dir):
    call_command("train_suggestions", stdout=io.StringIO())
    found = current_model().predict_all("FVB fighters clashed with Hill Guard militants near the river.")
    assert found["actor1"].value == "Free Valley Brigade"
    assert found["sub_event_type"].value == "Armed clash"
    assert any("learned" in reason for reason in found["actor1"].reasons)


def test_a_place_the_gazetteer_does_not_know_is_unknown_not_guessed():
    gazetteer = Gazetteer()
    gazetteer.add("Dhībān", 40.52, 35.01, "Deir ez-Zor")
    gazetteer.add("Ash Shaddādah", 40.73, 36.05, "Al-Hasakah")
    entry, _, reasons = gazetteer.choose("Clashes took place in the village of Thiban.")
    assert entry.name == "Dhībān", reasons  # the same consonants: a spelling of the known place
    gazetteer.add("Dar'a - Al-Sad", 36.11, 32.61, "Dara")  # the same loose consonants as "Thursday"
    entry, _, reasons = gazetteer.choose("They attacked on Thursday.")
    assert entry is None, reasons
    entry, confidence, reasons = gazetteer.choose("Clashes took place in the village of Zurqan near Ash Shaddadah.")
    assert entry is None and confidence == 0
    assert "“Zurqan” is not in the gazetteer" in reasons[0]


@pytest.mark.parametrize("text, killed", [
    ("Three SDF fighters and two ISIS militants were killed in the attack.", 5),
    ("Two soldiers, three militiamen and one civilian were killed.", 6),
    ("The shelling ended, killing more than a dozen.", 12),
    ("Dozens of fighters were killed in the battle.", 12),  # ACLED codes "dozens" as 12
    ("Tens of civilians were killed.", 10),
    ("Clashes took place in Hajin. 4 fatalities.", 4),  # how ACLED's notes close
    ("At least seven soldiers were killed.", 7),
])
def test_fatalities_sum_groups_and_read_counting_words(text, killed):
    figures = [f for sentence in split_sentences(text) for f in figures_in(sentence)]
    assert combine(figures).fatalities == killed


def test_the_same_day_and_weekdays_are_read_against_the_day_named_before():
    before = "On 3 March 2019, ISIS attacked a checkpoint in Hajin. "
    (day, _, _), _, reason = suggest_date("On the same day, clashes broke out in Susah.", datetime.date(2019, 3, 9),
                                          before=before)
    assert day == datetime.date(2019, 3, 3) and "3 March 2019" in reason
    (day, _, _), _, _ = suggest_date("On Friday, they shelled Hajin.", datetime.date(2019, 3, 9), before=before)
    assert day == datetime.date(2019, 3, 1)  # the Friday before Sunday 3 March, not before publication
    (day, _, _), _, _ = suggest_date("On 2 June 2023, clashes took place in Maaraba.", datetime.date(2023, 6, 9))
    assert day == datetime.date(2023, 6, 2)


REFERENCE_TEXTS = [
    "Clashes broke out north of the airport in Deir ez-Zor, killing two soldiers.",
    "ISIS shelled the military airport of Deir ez-Zor on Monday.",
    "Fighting went on around the airbase, east of Deir ez-Zor city.",
    "Regime forces repelled an assault near the airport.",
    "ISIS attacked the highway near Al Mayadin, killing three.",
]


@pytest.mark.parametrize("text", REFERENCE_TEXTS)
def test_a_generic_place_word_never_crashes_the_suggestions_page(client, seed, text):
    """The kind of the old HTTP 500: a km distance on SRID-4326 points in placing's reference search."""
    Place.objects.create(name="Deir ez-Zor Airbase", kind="airbase", point=Point(40.1756, 35.2854, srid=4326))
    client.force_login(make_user_with("add_incident", "change_incident", "view_incident", "add_evidence"))
    article = make_article(text)
    assert client.get(reverse("assist-suggestions", args=[article.pk])).status_code == 200


def test_a_learned_actor_missing_from_the_dictionary_is_shown_not_preselected(coded, model_dir, client):
    call_command("train_suggestions", stdout=io.StringIO())
    Actor.objects.filter(name="Hill Guard Militia").update(name="Hill Guard Militia (renamed)")
    article = make_article("FVB fighters clashed with Hill Guard militants near Qaryat Zayn.")
    client.force_login(make_user_with("add_incident", "change_incident", "view_incident", "add_evidence"))
    response = client.get(reverse("assist-suggestions", args=[article.pk]))
    assert response.status_code == 200
    assert "Hill Guard Militia" in response.content.decode()


def test_retraining_if_stale_runs_only_after_approved_coding_changed(coded, model_dir):
    call_command("train_suggestions", stdout=io.StringIO())
    out = io.StringIO()
    call_command("train_suggestions", "--if-stale", stdout=out)
    assert "up to date" in out.getvalue() and len(list(model_dir.glob("suggestions-*.joblib"))) == 1
    incident = Incident.objects.filter(status=Incident.Status.APPROVED).first()
    incident.fatalities = 3
    incident.save()  # an analyst's correction, or an import updating the row
    out = io.StringIO()
    before = current_model().data_as_of
    call_command("train_suggestions", "--if-stale", stdout=out)
    assert "Trained model" in out.getvalue() and current_model().data_as_of > before


def test_learned_actor_forms_are_listed_for_the_analyst(coded, model_dir):
    with pytest.raises(CommandError, match="run train_suggestions first"):
        call_command("train_suggestions", "--aliases", stdout=io.StringIO())
    call_command("train_suggestions", stdout=io.StringIO())
    out = io.StringIO()
    call_command("train_suggestions", "--aliases", stdout=out)
    # Both actors are named in every fixture text, so their words go with whichever is coded more often.
    assert re.search(r"^(Free Valley Brigade|Hill Guard Militia): “[^”]+” \d+, \d+%", out.getvalue(), re.M)


def test_a_spelling_never_seen_in_training_is_read_by_its_letters():
    """Transliterations ("Qasad", "Qasadi") share letter n-grams where words share nothing (fifth round)."""
    examples = [Example(text=f"{name} fighters attacked a checkpoint near the river. Report {n}.",
                        date=datetime.date(2020, 1, 1 + n), event_type="Battles", sub_event_type="Armed clash",
                        actor1=actor, ref=f"note {n}")
                for n in range(12) for name, actor in (("Qasad", "QSD"), ("Hurras", "Hurras al Din"))]
    model = LearnedModel(examples, heads=("sub_event_type", "actor1"))
    assert model.predict("actor1", "Qasadi fighters attacked a checkpoint near the river.").value == "QSD"
    assert model.predict("actor1", "Hurrasi fighters attacked a checkpoint near the river.").value == "Hurras al Din"
