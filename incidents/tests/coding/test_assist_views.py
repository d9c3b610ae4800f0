"""The assisted-coding pages: suggestions from an article (accept, edit, discard) and duplicates."""

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.urls import reverse

from incidents.coding.suggest.extraction import suggest_incidents
from incidents.models import Article, DuplicateDecision, Evidence, Incident, Place
from incidents.tests.factories import AIRBASE, make_article, make_evidence, make_incident, make_user, make_user_with

pytestmark = pytest.mark.django_db
TEXT = ("Fierce clashes broke out on Monday between ISIS militants and the Syrian army in Hajin, killing at least "
        "seven soldiers.\n\nThe US-led coalition carried out airstrikes on ISIS positions near Hajin.")


@pytest.fixture
def article(db):
    call_command("load_coding_dictionaries", stdout=open("/dev/null", "w"))
    Place.objects.create(name="Hajīn", variants=["Hajin"], kind="populated place", point=Point(40.83, 34.695))
    return make_article(TEXT)


@pytest.fixture
def analyst(client):
    user = make_user_with("add_incident", "change_incident", "view_incident", "add_evidence")
    client.force_login(user)
    return user


def suggestion_url(article, name="assist-suggestions", key=None):
    return reverse(name, args=[article.pk] if key is None else [article.pk, key])


def accept_data(suggestion, **changes):
    """What the page's form posts for a suggestion, as the analyst left it (with `changes`)."""
    values = {"event_type": suggestion.event_type.value[0], "sub_event_type": suggestion.event_type.value[1],
              "actor1": suggestion.actor1.value.pk, "actor2": suggestion.actor2.value.pk,
              "place": suggestion.place.value.pk, "geo_precision": suggestion.geo_precision,
              "date": "2016-01-18", "time_precision": 1, "fatalities": suggestion.casualties.value.fatalities,
              "fatalities_low": suggestion.casualties.value.fatalities_low or "", "notes": "Clash in Hajin."}
    values.update(changes)
    return {f"{suggestion.key}-{name}": value for name, value in values.items()}


def test_the_suggestions_page_needs_a_staff_login_with_coding_rights(client, article):
    assert client.get(suggestion_url(article)).status_code == 302
    client.force_login(make_user())  # staff, but no right to add incidents
    assert client.get(suggestion_url(article)).status_code == 403


def test_suggestions_show_evidence_confidence_and_reasons(client, article, analyst):
    page = client.get(suggestion_url(article)).content.decode()
    assert "Battles: Armed clash at Hajīn" in page
    assert "Air/drone strike" in page
    assert '<mark class="m-place">Hajin</mark>' in page
    assert "“clashes” matched the rule “clash”" in page
    assert "7 killed (a low bound)" in page
    assert 'class="confidence confidence-' in page


def test_accepting_creates_a_draft_coded_by_the_analyst_with_evidence_at_its_offsets(client, article, analyst):
    suggestion = suggest_incidents(article.text)[0]
    data = accept_data(suggestion, status="approved")  # a forged status is ignored
    response = client.post(suggestion_url(article, "assist-accept", suggestion.key), data)
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:incidents_incident_change", args=[incident.pk])
    assert (incident.status, incident.coder, incident.sub_event_type) == (Incident.Status.DRAFT, analyst, "Armed clash")
    assert (incident.location, incident.point, incident.fatalities) == ("Hajīn", Place.objects.get().point, 7)
    assert incident.admin1 is not None  # the areas follow the gazetteer point
    for evidence in incident.evidence.all():
        assert article.text[evidence.start:evidence.end] == evidence.quote
    assert incident.evidence.count() == len(suggestion.evidence)
    assert incident.history.first().history_change_reason == f"Accepted a suggestion from article #{article.pk}"
    assert incident.history.first().history_user == analyst


def test_the_analyst_edits_a_suggestion_before_accepting_it(client, article, analyst):
    suggestion = suggest_incidents(article.text)[0]
    client.post(suggestion_url(article, "assist-accept", suggestion.key),
                accept_data(suggestion, fatalities=8, fatalities_low=8, notes="Corrected toll."))
    assert Incident.objects.get().fatalities == 8


def test_a_bad_edit_is_refused_naming_the_field_and_creates_nothing(client, article, analyst):
    suggestion = suggest_incidents(article.text)[0]
    response = client.post(suggestion_url(article, "assist-accept", suggestion.key),
                           accept_data(suggestion, date="", sub_event_type="Suicide bomb"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page
    assert "is not a sub-event type of “Battles”" in page
    assert not Incident.objects.exists() and not Evidence.objects.exists()


def test_a_suggestion_that_no_longer_exists_is_explained_not_an_error(client, article, analyst):
    response = client.post(suggestion_url(article, "assist-accept", "0123456789ab"), {}, follow=True)
    assert response.status_code == 200
    assert "no longer matches" in response.content.decode()
    assert not Incident.objects.exists()


def test_discarded_suggestions_are_hidden_until_shown_again(client, article, analyst):
    suggestion = suggest_incidents(article.text)[0]
    client.post(suggestion_url(article, "assist-discard", suggestion.key))
    page = client.get(suggestion_url(article)).content.decode()
    assert f'id="suggestion-{suggestion.key}"' not in page
    assert "1 discarded suggestion hidden" in page
    client.post(suggestion_url(article, "assist-discard", "all"), {"restore": "1"})
    assert f'id="suggestion-{suggestion.key}"' in client.get(suggestion_url(article)).content.decode()


def test_a_suggestion_already_coded_links_to_its_incident(client, article, analyst):
    suggestion = suggest_incidents(article.text)[0]
    client.post(suggestion_url(article, "assist-accept", suggestion.key), accept_data(suggestion))
    incident = Incident.objects.get()
    page = client.get(suggestion_url(article)).content.decode()
    assert "Already coded from these sentences as" in page
    assert reverse("admin:incidents_incident_change", args=[incident.pk]) in page


def test_the_article_admin_page_has_the_suggest_incidents_button(client, article):
    client.force_login(make_user_with("add_incident", "change_article"))
    page = client.get(reverse("admin:incidents_article_change", args=[article.pk])).content.decode()
    assert suggestion_url(article) in page and "Suggest incidents" in page


# -- duplicates ------------------------------------------------------------------------------------

@pytest.fixture
def twins(db):
    first = make_incident(status=Incident.Status.DRAFT, coder=make_user())
    second = make_incident(status=Incident.Status.DRAFT, actor1=first.actor1, coder=make_user(),
                           point=Point(AIRBASE.x + 0.01, AIRBASE.y, srid=4326))
    make_evidence(first, make_article("Clashes at the airbase gate, report A."))
    make_evidence(second, make_article("Clashes at the airbase gate, report B."))
    return first, second


def test_the_incident_admin_page_shows_its_possible_duplicates(client, twins, analyst):
    first, second = twins
    page = client.get(reverse("admin:incidents_incident_change", args=[first.pk])).content.decode()
    assert "1 possible duplicate" in page
    assert reverse("assist-merge", args=[first.pk, second.pk]) in page
    assert reverse("assist-duplicates", args=[first.pk]) in page


def test_merge_from_the_duplicates_page_keeps_both_articles_evidence(client, twins, analyst):
    first, second = twins
    response = client.post(reverse("assist-merge", args=[second.pk, first.pk]))
    assert response["Location"] == reverse("admin:incidents_incident_change", args=[first.pk])
    second.refresh_from_db()
    assert second.merged_into == first
    assert first.evidence.count() == 2


def test_not_a_duplicate_needs_a_reviewer_and_is_remembered(client, twins, analyst):
    first, second = twins
    url = reverse("assist-not-duplicate", args=[first.pk, second.pk])
    assert client.post(url).status_code == 403
    client.force_login(make_user_with("view_incident", "add_duplicatedecision"))
    client.post(url)
    assert DuplicateDecision.objects.filter(incident_a=first, incident_b=second).exists()
    page = client.get(reverse("assist-duplicates", args=[first.pk])).content.decode()
    assert "No likely duplicates" in page


def test_a_refused_merge_explains_why(client, twins, analyst):
    first, second = twins
    Incident.objects.filter(pk=first.pk).update(status=Incident.Status.APPROVED)
    response = client.post(reverse("assist-merge", args=[first.pk, second.pk]), follow=True)
    assert "only reviewers may merge published incidents" in response.content.decode()
    assert Incident.objects.get(pk=second.pk).merged_into is None
    assert Article.objects.count() == 2


def test_the_event_rule_form_explains_the_keyword_syntax(client):
    client.force_login(make_user(is_superuser=True))
    page = client.get(reverse("admin:incidents_eventrule_add")).content.decode()
    assert "“shell*” matches any ending" in page
