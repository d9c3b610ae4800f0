"""The analysts' screens in English and Arabic in Chromium (issue 17): the admin incident form, the
coding screen and the review queue carry the right lang and dir; the admin has a language switch; an
Arabic article reads right to left and a selection in it gives the offsets of its own characters
(combining marks and tatweel included); Arabic labels on the incident form, screenshotted."""

import re

import pytest

from incidents.intake.articles import parse_plain_text, save_article
from incidents.tests.browser import BROWSER, offline_page, screenshot
from incidents.review.proposals import propose
from incidents.tests.factories import make_actor, make_article, make_incident, make_user
from incidents.tests.i18n_scan import allowed_words, untranslated

pytestmark = [*BROWSER, pytest.mark.usefixtures("fast_passwords", "boundaries", "roles")]

# A real sentence as Syrian monitors write it, with harakat (combining marks) and a tatweel (ـ).
ARABIC_REPORT = """قصف مدفعي على مدينة الميادين

قُتِلَ ثلاثةُ مدنيين وجُرح خمسةٌ آخرون جرّاء قصفٍ مدفعيّ استهدف حيّ الجـــامع في مدينة الميادين بريف دير الزور الشرقي.
وقالت مصادر محلية إن القصف تجدّد مساءً على الأحياء السكنية."""
SENTENCE = "قُتِلَ ثلاثةُ مدنيين وجُرح خمسةٌ آخرون جرّاء قصفٍ مدفعيّ استهدف حيّ الجـــامع"

SELECT_TEXT = """(sentence) => {
  const panel = document.getElementById('coding-text');
  const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(sentence);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at); range.setEnd(node, at + sentence.length);
    const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
    document.dispatchEvent(new Event('selectionchange'));
    panel.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return true;
  }
  return false;
}"""


def logged_in(browser, live_server, username, group, path, width=1366):
    make_user(username, group=group)
    page = offline_page(browser, width=width, height=1000)
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: url.endswith(path))
    return page


def lang_dir(page):
    return page.evaluate("[document.documentElement.lang, document.documentElement.dir]")


@pytest.fixture
def arabic_article():
    article = save_article(parse_plain_text(ARABIC_REPORT), "Local monitors", language="ar")
    assert SENTENCE in article.text  # stored as written: harakat and tatweel kept
    return article


@pytest.mark.parametrize("prefix, expected", [("", ["en-gb", "ltr"]), ("/ar", ["ar", "rtl"])])
def test_admin_form_coding_screen_and_review_queue_have_the_right_language_and_direction(
        browser, live_server, arabic_article, prefix, expected):
    make_incident(status="in_review", coder=make_user("someone-else", group="Analyst"))
    page = logged_in(browser, live_server, "reviewer-i18n", "Reviewer", prefix + "/admin/")
    for path in ["/admin/incidents/incident/add/", f"/admin/incidents/article/{arabic_article.pk}/change/",
                 "/work/review/", "/work/mine/"]:
        page.goto(live_server.url + prefix + path)
        assert lang_dir(page) == expected, path
        assert page.locator(".language-switch").count() == 1, path
    # The Arabic article reads right to left on either screen.
    page.goto(f"{live_server.url}{prefix}/admin/incidents/article/{arabic_article.pk}/change/")
    assert page.get_attribute("#coding-text", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.getElementById('coding-text')).direction") == "rtl"
    page.context.close()


def test_arabic_admin_screens_show_no_untranslated_english_in_our_own_text(browser, live_server, arabic_article):
    make_incident(status="in_review", coder=make_user("someone-else", group="Analyst"))
    page = logged_in(browser, live_server, "reviewer-i18n", "Reviewer", "/ar/work/review/")
    allowed = allowed_words(["reviewer-i18n", "someone-else"])
    found = {}
    # The admin's home lists the models by name (English until they were translated; found by a
    # newcomer session).
    # A proposed change to a public actor: its list and its page (before → after, the buttons).
    actor = make_actor("Islamic State (Syria)")
    make_incident(actor1=actor)
    proposal = propose(actor, {"name": "Islamic State"}, make_user("proposer-i18n", group="Analyst"))
    allowed |= allowed_words(["proposer-i18n", "Islamic State"])
    for path in ["/ar/work/review/", "/ar/work/mine/", "/ar/admin/", "/ar/admin/incidents/proposedchange/",
                 f"/ar/admin/incidents/proposedchange/{proposal.pk}/change/"]:
        page.goto(live_server.url + path)
        left = untranslated(page.inner_text("#content"), allowed)
        if left:
            found[path] = left
    assert found == {}
    assert "قبل (ما يراه الجمهور)" in page.inner_text("#content")  # the proposal's page was scanned, not a 403
    page.context.close()


def test_a_selection_in_an_arabic_article_gives_its_own_offsets_and_the_form_reads_arabic(
        browser, live_server, arabic_article):
    start = arabic_article.text.index(SENTENCE)
    page = logged_in(browser, live_server, "analyst-i18n", "Analyst",
                     f"/ar/admin/incidents/article/{arabic_article.pk}/change/")
    assert page.evaluate(SELECT_TEXT, SENTENCE)
    button = page.locator("#new-incident-from-selection")
    page.wait_for_function("!document.getElementById('new-incident-from-selection').disabled")
    screenshot(page, "i18n-coding-screen-ar")
    button.click()
    page.wait_for_url(re.compile(r"/ar/admin/incidents/incident/add/\?evidence_article="))
    assert page.input_value("#id_evidence-0-quote") == SENTENCE
    assert page.input_value("#id_evidence-0-start") == str(start)
    assert page.input_value("#id_evidence-0-end") == str(start + len(SENTENCE))
    assert arabic_article.text[start:start + len(SENTENCE)] == SENTENCE
    # The incident form in Arabic: its own labels and sections, ACLED's terms in Arabic in the choices.
    assert lang_dir(page) == ["ar", "rtl"]
    assert page.inner_text("label[for=id_event_type]").startswith("نوع الحدث")
    assert "معارك" in page.inner_text("#id_event_type")
    assert page.inner_text("fieldset:nth-of-type(4) h2") == "أين"  # "Where"
    screenshot(page, "i18n-admin-incident-form-ar")
    page.context.close()


def test_suggestions_say_which_languages_they_read_on_an_article_in_another(client, arabic_article):
    client.force_login(make_user("analyst-suggest", group="Analyst"))
    text = client.get(f"/ar/assist/articles/{arabic_article.pk}/suggestions/").content.decode()
    assert "assist-english-only" not in text  # Arabic is read since the Arabic rules
    kurdish = make_article("Li Dêrazorê pevçûn derketin.", language="ku")
    text = client.get(f"/ar/assist/articles/{kurdish.pk}/suggestions/").content.decode()
    assert "الاقتراحات تقرأ الإنجليزية والعربية فقط" in text
    english = client.get(f"/assist/articles/{kurdish.pk}/suggestions/").content.decode()
    assert "suggestions read English and Arabic only" in english


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_choosing_an_event_type_offers_its_sub_event_types_in_either_language(browser, live_server, prefix):
    """Found by a newcomer: on Arabic pages no sub-event type could be chosen (the groups' labels are
    translated and the script compared them with the event type's English value), so nobody could save."""
    incident = make_incident(event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack")
    page = logged_in(browser, live_server, "coder-sub", "Analyst", f"{prefix}/admin/incidents/incident/{incident.pk}/change/")
    assert page.input_value("#id_sub_event_type") == "Shelling/artillery/missile attack"  # kept as saved
    page.select_option("#id_event_type", "Battles")
    offered = page.eval_on_selector_all("#id_sub_event_type optgroup:not([disabled]) option", "o => o.map(x => x.value)")
    assert offered == ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"]
    page.select_option("#id_sub_event_type", "Armed clash")
    assert page.input_value("#id_sub_event_type") == "Armed clash"
    assert page.errors == []
