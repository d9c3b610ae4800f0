"""Real ACLED notes and every gold report through the suggestions, with a model learned from older rows.

Every gold report goes through the page; the ACLED notes go through the function the page calls
(extraction.suggest_incidents) one in SAMPLE_EVERY, and SAMPLE_PAGES of them through the page too,
to keep this under a minute. All 5,000 notes: `manage.py evaluate_suggestions --acled FILE
--all-notes` (figure in docs/EVALUATION.md).
"""

import datetime

import pytest
from django.urls import reverse

from incidents.coding.suggest.evaluation import load_gold
from incidents.coding.suggest.examples import examples_from_acled
from incidents.coding.suggest.extraction import suggest_incidents
from incidents.coding.suggest.learned import LearnedModel
from incidents.coding.suggest.lexicon import Lexicon
from incidents.models import Article, Place
from incidents.tests.factories import make_article, make_user_with
from incidents.tests.shared_data import acled_file_or_skip

pytestmark = [pytest.mark.django_db, pytest.mark.acled]
SAMPLE_EVERY = 10
SAMPLE_PAGES = 25
TRAIN_BEFORE = datetime.date(2018, 1, 1)  # a smaller model than the evaluation's, to keep the test quick


@pytest.fixture
def trained(seed, settings, tmp_path):
    settings.SUGGESTION_MODEL_DIR = tmp_path / "models"
    examples = examples_from_acled(acled_file_or_skip())
    model = LearnedModel([e for e in examples if e.date < TRAIN_BEFORE], places=Place.objects.all())
    model.save()
    return examples, model


@pytest.fixture
def analyst(client):
    client.force_login(make_user_with("add_incident", "change_incident", "view_incident", "add_evidence"))
    return client


def test_acled_notes_get_a_suggestion_without_a_crash(trained):
    examples, model = trained
    lexicon = Lexicon.load()
    sample = examples[::SAMPLE_EVERY]
    crashes, suggested = [], 0
    for e in sample:
        try:
            suggested += bool(suggest_incidents(e.text, lexicon, e.date, model=model))
        except Exception as error:  # noqa: BLE001 - every crash is listed, not only the first
            crashes.append((e.ref, repr(error)))
    assert crashes == []
    assert suggested / len(sample) >= 0.95


def test_acled_notes_and_every_gold_report_through_the_page(trained, analyst):
    examples, _ = trained
    texts = [(e.text, e.date) for e in examples[::len(examples) // SAMPLE_PAGES][:SAMPLE_PAGES]]
    texts += [(r.text, r.published_on) for r in load_gold()]
    failed = []
    for text, day in texts:
        # The seed article is a gold report and already stored (articles are unique by content).
        article = Article.objects.filter(text=text).first() or make_article(text, published_on=day)
        response = analyst.get(reverse("assist-suggestions", args=[article.pk]))
        if response.status_code != 200:
            failed.append((text[:60], response.status_code))
    assert failed == []
