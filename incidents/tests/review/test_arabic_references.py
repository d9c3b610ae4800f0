"""Incident references ("#3008") and lists inside Arabic text (issue 17).

In right-to-left text an unisolated "#3008" shows as "3008#" and breaks apart from the Latin around it.
Every reference a page prints goes through one definition (incidents/common/reader_text.py: the
``incident_ref`` filter, ``incident_ref`` / ``incident_ref_text`` in Python), which isolates it; lists
shown to a reader take the language's separator ("، ")."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse as reverse_in_active_language
from django.utils.translation import override

from incidents.coding.suggest.extraction import suggest_incidents
from incidents.common.reader_text import incident_ref, incident_ref_text, reader_list
from incidents.models import Incident
from incidents.tests.coding.test_assist_views import accept_data, article, twins  # noqa: F401 (fixtures)
from incidents.tests.factories import make_incident, make_user

ISOLATED = re.compile(r'<bdi class="incident-ref" dir="ltr">#\d+</bdi>|\u2066#\d+\u2069')
REFERENCE = re.compile(r"#\d+")
# "#" written in front of a value in a template, a blocktranslate placeholder or a catalogue message.
BARE_IN_TEMPLATE = re.compile(r"#\{\{\s*[\w.]*(?:pk|id)\s*[|}]|#%\(|#\{\w")


def reverse(name, args=None):
    """The English address (a request to /ar/ leaves Arabic active in the test's thread)."""
    with override(settings.LANGUAGE_CODE):
        return reverse_in_active_language(name, args=args)


def bare_references(page):
    """The "#<digits>" a reader sees on `page` (HTML) that are not isolated."""
    text = ISOLATED.sub("", page)
    text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return [text[max(0, m.start() - 30):m.end() + 10] for m in REFERENCE.finditer(text)]


def test_no_template_or_message_writes_a_bare_hash_before_an_id():
    found = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            found += [f"{path.name}:{number}: {line.strip()[:90]}" for _ in BARE_IN_TEMPLATE.finditer(line)]
    for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"):
        found += [f"{po}: {line}" for line in po.read_text().splitlines()
                  if line.startswith("msgid") and BARE_IN_TEMPLATE.search(line)]
    assert found == []


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_superuser=True))
    return client


@pytest.mark.django_db
def test_every_reference_on_the_arabic_coding_and_review_pages_is_isolated(admin_client, article):  # noqa: F811
    suggestion = suggest_incidents(article.text)[0]
    admin_client.post(reverse("assist-accept", args=[article.pk, suggestion.key]), accept_data(suggestion))
    incident = Incident.objects.get()
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.IN_REVIEW)
    make_incident(status=Incident.Status.IN_REVIEW, coder=make_user())  # someone else's, for the review queue
    pages = {name: admin_client.get("/ar" + url) for name, url in {
        "suggestions": reverse("assist-suggestions", args=[article.pk]),
        "article (coding panel)": reverse("admin:incidents_article_change", args=[article.pk]),
        "duplicates": reverse("assist-duplicates", args=[incident.pk]),
        "review queue": reverse("work-review"),
        "my work": reverse("work-mine"),
    }.items()}
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        assert name == "my work" or ISOLATED.search(page), f"{name}: no incident reference shown"
        assert bare_references(page) == [], name
    # The coding panel's quote says which incident it is evidence for, in Arabic, the number isolated.
    assert f'title="دليل على الحادثة \u2066#{incident.pk}\u2069"' in pages["article (coding panel)"].content.decode()


@pytest.mark.django_db
def test_duplicate_pages_and_their_messages_isolate_references(admin_client, twins):  # noqa: F811
    first, second = twins
    page = admin_client.get("/ar" + reverse("assist-duplicates", args=[first.pk])).content.decode()
    assert bare_references(page) == []
    assert f'دمج: أبقِ <bdi class="incident-ref" dir="ltr">#{first.pk}</bdi>' in page  # the merge button
    response = admin_client.post("/ar" + reverse("assist-not-duplicate", args=[first.pk, second.pk]), follow=True)
    page = response.content.decode()
    assert (f'سُجّل أن الحادثتين <bdi class="incident-ref" dir="ltr">#{first.pk}</bdi> و'
            f'<bdi class="incident-ref" dir="ltr">#{second.pk}</bdi>') in page
    assert bare_references(page) == []


def test_a_reference_is_one_left_to_right_unit_in_html_and_in_plain_text():
    assert incident_ref(3008) == '<bdi class="incident-ref" dir="ltr">#3008</bdi>'
    assert incident_ref("<b>") == '<bdi class="incident-ref" dir="ltr">#&lt;b&gt;</bdi>'  # escaped
    with override("ar"):
        assert incident_ref_text(3008) == "\u2066#3008\u2069"
    with override("en"):
        assert incident_ref_text(3008) == "#3008"  # English logs and messages carry no invisible marks


def test_lists_take_the_readers_separator():
    with override("ar"):
        assert reader_list(["أ", "ب"]) == "أ، ب"
        assert reader_list([incident_ref(1), "<x>"]) == '<bdi class="incident-ref" dir="ltr">#1</bdi>، &lt;x&gt;'
    with override("en"):
        assert reader_list(["a", "b"]) == "a, b"


@pytest.mark.django_db
def test_the_arabic_suggestions_use_the_arabic_comma_between_listed_items(admin_client, article):  # noqa: F811
    page = admin_client.get("/ar" + reverse("assist-suggestions", args=[article.pk])).content.decode()
    legend = re.search(r'<p class="assist-legend">(.*?)</p>', page, flags=re.S).group(1)
    intro = re.search(r'<p class="assist-intro">(.*?)</p>', page, flags=re.S).group(1)
    assert "، " in legend and ", " not in legend
    assert "</bdi>، " in intro  # outlet، date
    english = admin_client.get(reverse("assist-suggestions", args=[article.pk])).content.decode()
    assert ", " in re.search(r'<p class="assist-legend">(.*?)</p>', english, flags=re.S).group(1)
