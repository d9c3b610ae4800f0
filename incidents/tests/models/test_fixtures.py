"""The seed article is coded as a careful analyst would: every incident cites its quote."""

import pytest

from incidents.common.typology import TimePrecision
from incidents.models import Article, Evidence, Incident, Place

pytestmark = pytest.mark.django_db

SEED_INCIDENTS = [
    ("Suicide bomb", "Harabsh"),
    ("Armed clash", "Deir ez-Zor military airbase"),
    ("Non-state actor overtakes territory", "Deir ez-Zor military airbase"),
    ("Shelling/artillery/missile attack", "Deir ez-Zor military airbase"),
    ("Air/drone strike", "Deir ez-Zor military airbase"),
    ("Air/drone strike", "Palmyra–Deir ez-Zor–Raqqa highway"),
]


def test_seed_article_is_loaded_without_page_furniture(seed):
    article = Article.objects.get()
    assert article.title == "ISIS fights back in Deir ez-Zor, advances on Syrian airbase"
    assert article.source.name == "ARA News"
    assert article.byline == "Sarbaz Yousef"
    assert article.published_on is None
    assert "Leave a comment" not in article.text and "seventeen" not in article.text


@pytest.mark.parametrize("sub_event_type, location", SEED_INCIDENTS)
def test_seed_incident_is_coded_and_approved(seed, sub_event_type, location):
    assert Incident.objects.filter(sub_event_type=sub_event_type, location=location,
                                   status=Incident.Status.APPROVED).exists()


def test_colonel_salloum_and_13_soldiers_are_14_killed(seed):
    incident = Incident.objects.get(notes__contains="Ibrahim Salloum")
    assert incident.fatalities == 14
    assert incident.actor2.name.endswith("Republican Guard")


def test_death_and_injury_of_30_is_not_counted_as_30_deaths(seed):
    incident = Incident.objects.get(sub_event_type="Suicide bomb")
    assert incident.fatalities == 0 and incident.fatalities_high == 30


def test_seed_dates_are_not_invented(seed):
    for incident in Incident.objects.all():
        assert incident.time_precision == TimePrecision.UNKNOWN
        assert incident.date_end > incident.date
        assert "no publication date" in incident.notes


def test_every_seed_incident_quotes_the_article_exactly(seed):
    article = Article.objects.get()
    for incident in Incident.objects.all():
        evidence = list(incident.evidence.all())
        assert evidence, f"incident {incident.pk} cites nothing"
        for item in evidence:
            assert article.text[item.start:item.end] == item.quote
    assert Evidence.objects.count() >= 9


def test_seed_incidents_are_in_deir_ez_zor(seed):
    assert set(Incident.objects.values_list("admin1__pcode", flat=True)) == {"SYR009"}


def test_gazetteer_knows_both_spellings_of_harabsh_and_geonames_places(seed):
    assert Place.objects.get(name="Harabsh").variants.count("Harbash") == 1
    assert Place.objects.filter(variants__contains=["Dayr az Zawr"]).exists()
    assert Place.objects.filter(admin1__pcode="SYR009").count() >= 14
