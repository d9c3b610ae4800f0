"""Coding screen, server side: the article text cut at its quotes with exact offsets, an incident
pre-filled from a selection, quotes validated against the text and linked back to their place."""

import datetime

import pytest
from django.urls import reverse

from incidents.coding.screen import segments
from incidents.models import Evidence, Incident
from incidents.review.forms import evidence_from_selection
from incidents.tests.factories import make_article, make_evidence, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]
TEXT = "ERBIL – ISIS attacked the airbase.\r\nSeven soldiers were killed. The army shelled the area."


@pytest.fixture
def analyst(roles, client):
    user = make_user("analyst", group="Analyst")
    client.force_login(user)
    return user


def test_segments_rebuild_the_text_and_start_at_their_offsets():
    article = make_article(text=TEXT)
    incident = make_incident()
    killed = make_evidence(incident, article, "Seven soldiers were killed.")
    both = make_evidence(make_incident(), article, "soldiers were killed. The army")
    cut = segments(TEXT, [killed, both])
    assert "".join(s.text for s in cut) == TEXT
    assert all(TEXT[s.start:s.start + len(s.text)] == s.text for s in cut)
    overlap = next(s for s in cut if s.text == "soldiers were killed.")
    assert {e.pk for e in overlap.evidence} == {killed.pk, both.pk}
    assert [s.shown for s in cut if s.text == "\r"] == [""]  # browsers drop it; offsets must not shift


@pytest.mark.parametrize("params, expected", [
    ({"evidence_start": "34", "evidence_end": "64"}, ("Seven soldiers were killed.", 36, 63)),  # trimmed
    ({"evidence_start": "8", "evidence_end": "12"}, ("ISIS", 8, 12)),
    ({"evidence_start": "30", "evidence_end": "10"}, None),
    ({"evidence_start": "0", "evidence_end": "9999"}, None),
    ({"evidence_start": "x", "evidence_end": "12"}, None),
    ({"evidence_start": "34", "evidence_end": "36"}, None),  # only white space
])
def test_selection_becomes_exact_evidence(params, expected):
    article = make_article(text=TEXT)
    prefill = evidence_from_selection({"evidence_article": str(article.pk), **params})
    if expected is None:
        assert prefill is None
    else:
        assert (prefill["quote"], prefill["start"], prefill["end"]) == expected
        assert TEXT[prefill["start"]:prefill["end"]] == prefill["quote"]


def test_article_page_shows_its_text_beside_its_incidents(client, analyst):
    article = make_article(text=TEXT)
    incident = make_incident(location="Deir ez-Zor military airbase")
    evidence = make_evidence(incident, article, "Seven soldiers were killed.")
    page = client.get(reverse("admin:incidents_article_change", args=[article.pk])).content.decode()
    assert 'id="coding-text"' in page and "New incident from selection" in page
    assert f'id="evidence-{evidence.pk}"' in page and f'id="incident-{incident.pk}"' in page
    assert "1 incident coded from this article" in page


def test_quotes_no_longer_in_the_text_are_flagged(client, analyst):
    article = make_article(text=TEXT)
    make_evidence(make_incident(), article, "Seven soldiers were killed.")
    article.text = TEXT.replace("Seven", "Eight")
    article.save()
    page = client.get(reverse("admin:incidents_article_change", args=[article.pk])).content.decode()
    assert "Quotes no longer found at their place" in page


def add_url(article, start, end):
    return (reverse("admin:incidents_incident_add")
            + f"?evidence_article={article.pk}&evidence_start={start}&evidence_end={end}")


def test_incident_from_selection_is_prefilled_and_saved_with_its_quote(client, analyst, boundaries):
    article = make_article(text=TEXT, published_on=datetime.date(2015, 9, 30))
    actor = make_incident().actor1
    url = add_url(article, 35, 63)
    page = client.get(url).content.decode()
    assert "Coding from" in page and "Seven soldiers were killed." in page
    data = form_data(page, "incident_form")
    assert (data["evidence-0-quote"], data["evidence-0-start"], data["evidence-0-end"]) == (
        "Seven soldiers were killed.", "36", "63")
    # The publication date only bounds the event's (issue 13 point 7): no day or precision is assumed.
    assert data.get("date", "") == "" and data.get("time_precision", "") == ""
    data.update({"date": "2015-09-30", "time_precision": "1"})
    data.update({"event_type": "Battles", "sub_event_type": "Armed clash", "actor1": actor.pk,
                 "location": "Deir ez-Zor military airbase", "fatalities": "7",
                 "point": '{"type": "Point", "coordinates": [40.1756, 35.2854]}'})
    response = client.post(url, data)
    incident = Incident.objects.get(fatalities=7)
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("admin:incidents_article_change", args=[article.pk]) + f"#incident-{incident.pk}")
    evidence = Evidence.objects.get(incident=incident)
    assert (evidence.article, evidence.quote, evidence.start, evidence.end) == (
        article, "Seven soldiers were killed.", 36, 63)
    assert (incident.coder, incident.status) == (analyst, Incident.Status.DRAFT)


def test_a_quote_not_in_the_article_is_refused_naming_the_quote(client, analyst, boundaries):
    article = make_article(text=TEXT)
    url = add_url(article, 35, 63)
    data = form_data(client.get(url).content.decode(), "incident_form")
    data.update({"event_type": "Battles", "sub_event_type": "Armed clash", "actor1": make_incident().actor1_id,
                 "location": "Airbase", "date": "2015-09-30", "evidence-0-quote": "Ten soldiers were killed.",
                 "evidence-0-start": "", "evidence-0-end": "",
                 "point": '{"type": "Point", "coordinates": [40.1756, 35.2854]}'})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The quote is not found in the article text." in response.content.decode()
    assert not Incident.objects.filter(location="Airbase").exists()


def test_each_quote_on_an_incident_links_to_its_place_in_the_article(client, analyst):
    article = make_article(text=TEXT)
    incident = make_incident()
    evidence = make_evidence(incident, article, "Seven soldiers were killed.")
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    link = reverse("admin:incidents_article_change", args=[article.pk]) + f"#evidence-{evidence.pk}"
    assert f'href="{link}"' in page
