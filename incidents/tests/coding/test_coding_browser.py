"""Coding from the seed article in a real browser: select a sentence with the mouse, press
"New incident from selection", save, and the incident's evidence is that sentence at its offsets.
Then follow an incident's quote back to its highlighted place in the article."""

import re

import pytest

from incidents.management.commands.seed_demo import SEED_TITLE
from incidents.models import Article, Evidence, Incident
from incidents.tests.browser import BROWSER, screenshot
from incidents.tests.factories import make_user

pytestmark = [
    *BROWSER,
    pytest.mark.usefixtures("fast_passwords", "boundaries", "roles", "seed"),
]
SENTENCE = "Speaking to ARA News in Deir ez-Zor, media activist Ahmed Ramadan said that"

# The screen box of a substring of the coding panel's text, for dragging the mouse over it.
TEXT_BOX = """(sentence) => {
  const panel = document.getElementById('coding-text');
  const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(sentence);
    if (at < 0) continue;
    const box = (from, to) => { const r = document.createRange(); r.setStart(node, from); r.setEnd(node, to);
                                return r.getBoundingClientRect().toJSON(); };
    node.parentElement.scrollIntoView({block: 'center'});
    return {first: box(at, at + 1), last: box(at + sentence.length - 1, at + sentence.length)};
  }
  return null;
}"""


def logged_in_page(browser, live_server, path):  # noqa: F811
    make_user("analyst", group="Analyst")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda route: route.abort())
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{path}")
    return page


def drag_over(page, sentence):
    box = page.evaluate(TEXT_BOX, sentence)
    assert box, f"{sentence!r} is not shown in the coding panel"
    page.mouse.move(box["first"]["left"] + 1, box["first"]["top"] + box["first"]["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["last"]["right"] - 1, box["last"]["top"] + box["last"]["height"] / 2, steps=8)
    page.mouse.up()


def choose_actor(page, name):
    """The admin's autocomplete: open it, type, pick the first match."""
    page.click("#id_actor1 + .select2")
    page.keyboard.type(name)
    page.wait_for_selector(f".select2-results__option:has-text('{name}')")
    page.keyboard.press("Enter")


def test_selected_sentence_becomes_the_evidence_of_a_new_incident(browser, live_server):  # noqa: F811
    article = Article.objects.get(title=SEED_TITLE)
    start = article.text.index(SENTENCE)
    page = logged_in_page(browser, live_server, f"/admin/incidents/article/{article.pk}/change/")
    button = page.locator("#new-incident-from-selection")
    assert button.is_disabled()

    drag_over(page, SENTENCE)
    assert button.is_enabled()
    assert f"({start}–{start + len(SENTENCE)})" in page.inner_text("#coding-selection-status")
    screenshot(page, "coding-selection")
    button.click()

    page.wait_for_url(re.compile(r"/admin/incidents/incident/add/\?evidence_article="))
    assert page.input_value("#id_evidence-0-quote") == SENTENCE
    assert page.input_value("#id_evidence-0-start") == str(start)
    page.fill("#id_date", "2015-09-30")
    page.select_option("#id_time_precision", label="exact day")
    page.select_option("#id_event_type", "Strategic developments")
    page.select_option("#id_sub_event_type", "Other")
    choose_actor(page, "Islamic State (Syria)")
    page.fill("#id_location", "Deir ez-Zor")
    # The point: what a click on the map widget writes into its field.
    page.locator("#id_point").evaluate(
        "(field) => field.value = JSON.stringify({type: 'Point', coordinates: [40.14084, 35.33588]})")
    page.click("input[name=_save]")

    page.wait_for_url(re.compile(rf"/admin/incidents/article/{article.pk}/change/#incident-\d+$"))
    incident = Incident.objects.get(location="Deir ez-Zor", sub_event_type="Other")
    evidence = Evidence.objects.get(incident=incident)
    assert (evidence.article_id, evidence.quote, evidence.start, evidence.end) == (
        article.pk, SENTENCE, start, start + len(SENTENCE))
    assert article.text[evidence.start:evidence.end] == evidence.quote
    assert incident.status == Incident.Status.DRAFT and incident.coder.username == "analyst"
    # Back on the coding screen: the new incident is listed and its quote highlighted.
    assert page.locator(f"#incident-{incident.pk}").is_visible()
    assert page.locator(f".quote[data-incidents~='{incident.pk}']").inner_text() == SENTENCE
    screenshot(page, "coding-after-save")
    assert page.errors == []


def test_a_quote_on_an_incident_opens_its_place_in_the_article_highlighted(browser, live_server):  # noqa: F811
    evidence = Evidence.objects.filter(incident__sub_event_type="Armed clash").order_by("start").first()
    page = logged_in_page(browser, live_server, f"/admin/incidents/incident/{evidence.incident_id}/change/")
    page.click(f"a.evidence-link[href$='#evidence-{evidence.pk}']")
    page.wait_for_url(re.compile(rf"/admin/incidents/article/{evidence.article_id}/change/#evidence-{evidence.pk}$"))
    focused = page.locator("#coding-text .quote.focused")
    assert "".join(focused.all_inner_texts()) == evidence.quote
    assert focused.first.is_visible()
    screenshot(page, "coding-quote-highlighted")
    assert page.errors == []
