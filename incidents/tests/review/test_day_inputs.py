"""One way to type a day on every analyst form (incidents.common.dates). Found by a newcomer analyst:
the incident page showed 18/01/2016 in English and 2016-01-18 in Arabic (where 01/05/2016 was read as
5 January), the coding screen took only 2016-01-18, the imports 2016-01-18 or 18 January 2016. Now each
form is a date picker whose value is YYYY-MM-DD, a day typed by hand is read in Arabic-Indic digits too,
and any other form is an error naming the field and the expected form, losing nothing."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse

from incidents.models import Article, Incident, Place
from incidents.tests.factories import make_article, make_evidence, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db]
S = Incident.Status


def login(user):
    client = Client()
    assert client.login(username=user.username, password="pw-for-tests-only")
    return client


def day_inputs(page):
    """{name: (type, value)} of the page's date-like inputs."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if name and re.search(r"(^|-)(date|date_end|published_on)$", name[1]):
            kind, value = re.search(r'type="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
            found[name[1]] = (kind and kind[1], value and value[1])
    return found


@pytest.fixture
def analyst(roles):
    return make_user("analyst", group="Analyst")


@pytest.fixture
def draft(analyst):
    incident = make_incident(status=S.DRAFT, coder=analyst, date=datetime.date(2016, 1, 18),
                             date_end=datetime.date(2016, 1, 20), time_precision=4)
    make_evidence(incident)
    return incident


@pytest.mark.parametrize("language", ["en-gb", "ar"])
def test_every_analyst_form_shows_the_same_date_picker_with_an_iso_day(analyst, draft, language):
    client = login(analyst)
    client.cookies["django_language"] = language
    incident_page = client.get(reverse("admin:incidents_incident_change", args=[draft.pk])).content.decode()
    assert day_inputs(incident_page) == {"date": ("date", "2016-01-18"), "date_end": ("date", "2016-01-20")}
    article = make_article(published_on=datetime.date(2019, 3, 8))
    article_page = client.get(reverse("admin:incidents_article_change", args=[article.pk])).content.decode()
    assert day_inputs(article_page) == {"published_on": ("date", "2019-03-08")}
    call_command("load_coding_dictionaries", stdout=open("/dev/null", "w"))
    Place.objects.create(name="Hajīn", variants=["Hajin"], kind="populated place", point=Point(40.83, 34.695))
    coded = make_article("Fierce clashes broke out on 18 January 2016 between ISIS militants and the Syrian army in "
                         "Hajin, killing at least seven soldiers.")
    coding_screen = client.get(reverse("assist-suggestions", args=[coded.pk])).content.decode()
    kinds = {kind for kind, _ in day_inputs(coding_screen).values()}
    assert day_inputs(coding_screen) and kinds == {"date"}


def test_a_day_typed_in_arabic_indic_digits_is_read(analyst, draft):
    client = login(analyst)
    url = reverse("admin:incidents_incident_change", args=[draft.pk])
    data = form_data(client.get(url).content.decode(), "incident_form")
    data.update(date="٢٠١٦-٠١-١٩")
    assert client.post(url, data).status_code == 302
    assert Incident.objects.get(pk=draft.pk).date == datetime.date(2016, 1, 19)


@pytest.mark.parametrize("typed", ["19/01/2016", "01/19/2016", "19 January 2016", "2016-13-01"])
def test_another_form_of_day_is_an_error_naming_the_field_and_the_form_expected(analyst, draft, typed):
    client = login(analyst)
    url = reverse("admin:incidents_incident_change", args=[draft.pk])
    data = form_data(client.get(url).content.decode(), "incident_form")
    data.update(date=typed, notes="Typed, kept.")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == ["Enter the day as YYYY-MM-DD, e.g. 2016-01-18."]
    assert "Typed, kept." in response.content.decode()
    assert Incident.objects.get(pk=draft.pk).date == datetime.date(2016, 1, 18)


def test_the_article_form_reads_the_same_form(roles):
    client = login(make_user("editor", group="Analyst"))
    article = make_article()
    url = reverse("admin:incidents_article_change", args=[article.pk])
    data = form_data(client.get(url).content.decode(), "article_form")
    assert client.post(url, {**data, "published_on": "08/03/2019"}).status_code == 200
    assert client.post(url, {**data, "published_on": "٢٠١٩-٠٣-٠٨"}).status_code == 302
    assert Article.objects.get(pk=article.pk).published_on == datetime.date(2019, 3, 8)
