"""The suggestion engine's reasons in the reader's language (issue 17): on the Arabic coding screen
every reason reads Arabic, with the article's quoted words, names and rule entries left as written and
numbers in the reader's digits; the English screen keeps the English reasons."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from incidents.coding.suggest.reasons import Reason
from incidents.models import EventRule, Place
from incidents.tests.coding.test_assist_views import article, twins  # noqa: F401 (the fixtures)
from incidents.tests.factories import make_user_with
from incidents.tests.i18n_scan import allowed_words, untranslated

pytestmark = pytest.mark.django_db
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


@pytest.fixture
def analyst(client):
    client.force_login(make_user_with("add_incident", "change_incident", "view_incident", "add_evidence"))


def reasons(client, path):
    page = client.get(path).content.decode()
    lists = re.findall(r'<ul class="reasons">(.*?)</ul>', page, flags=re.S)
    assert lists, "no suggestion on the page"
    return [re.sub(r"<[^>]+>", "", item) for found in lists
            for item in re.findall(r"<li>(.*?)</li>", found, flags=re.S)]


def test_every_reason_on_the_arabic_coding_screen_is_arabic(client, analyst, article):  # noqa: F811
    shown = reasons(client, "/ar" + reverse("assist-suggestions", args=[article.pk]))
    assert [r for r in shown if not ARABIC_LETTER.search(r)] == []
    assert any("طابقت القاعدة" in r for r in shown)  # “…” matched the rule “…”
    # The article's words, the rules' entries and the names stay as written; nothing else is English.
    data = [article.text, *(" ".join(k) for k in EventRule.objects.values_list("keywords", flat=True)),
            *Place.objects.values_list("name", flat=True)]
    assert untranslated(" ".join(shown), allowed_words(data)) == []
    # Quoted as written, isolated (FSI…PDI) inside the Arabic; figures in the reader's digits.
    isolated = "\u2068%s\u2069".__mod__
    assert (f"«{isolated('clashes')}» طابقت القاعدة «{isolated('clash')}» ← {isolated('معارك')}: "
            f"{isolated('اشتباكات مسلحة')}") in shown
    assert "«\u2068killing at least seven\u2069»: القتلى: ٧ (حدّ أدنى)" in shown


def test_the_english_coding_screen_keeps_the_english_reasons(client, analyst, article):  # noqa: F811
    shown = reasons(client, reverse("assist-suggestions", args=[article.pk]))
    assert any("matched the rule" in r for r in shown)
    assert [r for r in shown if ARABIC_LETTER.search(r)] == []


def test_the_duplicate_finders_reasons_are_arabic_on_the_arabic_page(client, analyst, twins):  # noqa: F811
    shown = reasons(client, "/ar" + reverse("assist-duplicates", args=[twins[0].pk]))
    assert [r for r in shown if not ARABIC_LETTER.search(r)] == []
    assert "اليوم نفسه (١٨ كانون الثاني ٢٠١٦)" in shown  # same day (18 January 2016)
    assert any(r.startswith("المسافة بينهما ") and r.endswith(" كم") for r in shown)  # … km apart


def test_a_reason_is_its_english_text_and_shows_numbers_in_the_readers_digits(settings):
    from django.utils.translation import gettext_lazy, override
    reason = Reason(gettext_lazy("%(count)s death figures: the highest, %(value)s, is used"), count=2, value=1234)
    assert reason == "2 death figures: the highest, 1,234, is used"  # logs, commands and the evaluation read this
    with override("ar"):
        assert reason.__html__() == "أرقام القتلى في النص: ٢؛ يُعتمد أعلاها، ١٬٢٣٤"
        settings.ARABIC_DIGITS = "latn"
        assert reason.__html__() == "أرقام القتلى في النص: 2؛ يُعتمد أعلاها، 1,234"
