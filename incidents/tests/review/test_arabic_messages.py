"""Messages found in English on Arabic pages by a newcomer analyst, rendered in Arabic: the public
filter's plausible-date error (its dates isolated as left-to-right data), the admin's "saved and
submitted for review", the duplicate badge ("likely"/"possible"); and the article's "Retrieved at",
which took 01/03/2017 as 1 March and refused ٢٠١٧-٠٣-٠١ with only "Enter a valid date."."""

import datetime
import html

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import translation

from incidents.models import Article
from incidents.tests.factories import AIRBASE, make_actor, make_article, make_evidence, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db]
LRI, PDI = "\u2066", "\u2069"


def text(response):
    return html.unescape(response.content.decode())


def test_an_implausible_filter_date_is_explained_in_arabic_with_the_dates_isolated(client, seed):
    response = client.get("/ar/", {"date_from": "0025-03-01"})
    assert response.status_code == 400
    page = text(response)
    assert f"التاريخ {LRI}0025-03-01{PDI} يسبق {LRI}1990-01-01{PDI}" in page
    assert "the earliest date" not in page
    # In English the sentence is unchanged, without isolates.
    english = text(client.get("/", {"date_from": "0025-03-01"}))
    assert "0025-03-01 is before 1990-01-01, the earliest date this database accepts." in english


def test_the_admins_saved_and_submitted_message_and_duplicate_badge_are_arabic(client, roles):
    analyst = make_user("analyst-ar", group="Analyst")
    isis = make_actor("Islamic State (Syria)")
    other = make_incident(status="in_review", actor1=isis)
    make_evidence(other)
    draft = make_incident(status="draft", actor1=isis, coder=analyst,
                          point=Point(AIRBASE.x + 0.001, AIRBASE.y, srid=4326))
    make_evidence(draft, make_article("ISIS and the army clashed near the airbase."))
    client.force_login(analyst)
    with translation.override("ar"):
        url = reverse("admin:incidents_incident_change", args=[draft.pk])
    data = form_data(client.get(url).content.decode(), "incident_form")
    page = text(client.post(url, {**data, "_workflow": "submit"}, follow=True))
    assert "وأُرسلت للمراجعة" in page and "saved and submitted" not in page
    client.force_login(make_user("reviewer-ar", group="Reviewer"))
    with translation.override("ar"):
        response = client.get(reverse("assist-duplicates", args=[draft.pk]))
    assert response.status_code == 200
    duplicates = text(response)
    assert '<span class="badge">مرجّح</span>' in duplicates or '<span class="badge">محتمل</span>' in duplicates
    assert '<span class="badge">likely</span>' not in duplicates


@pytest.mark.parametrize("typed,stored", [
    ("2017-03-01T14:30", datetime.datetime(2017, 3, 1, 14, 30, tzinfo=datetime.UTC)),
    ("٢٠١٧-٠٣-٠١ ١٤:٣٠", datetime.datetime(2017, 3, 1, 14, 30, tzinfo=datetime.UTC)),
])
def test_retrieved_at_is_typed_as_iso_in_any_digits(client, roles, typed, stored):
    article = make_article()
    client.force_login(make_user("editor", is_superuser=True))
    url = reverse("admin:incidents_article_change", args=[article.pk])
    page = client.get(url).content.decode()
    assert 'type="datetime-local" name="retrieved_at"' in page and "UTC" in page
    data = form_data(page, "article_form")
    assert client.post(url, {**data, "retrieved_at": typed}).status_code == 302
    assert Article.objects.get(pk=article.pk).retrieved_at == stored


def test_retrieved_at_in_another_order_is_refused_naming_the_form(client, roles):
    article = make_article()
    client.force_login(make_user("editor", is_superuser=True))
    with translation.override("ar"):
        url = reverse("admin:incidents_article_change", args=[article.pk])
    data = form_data(client.get(url).content.decode(), "article_form")
    page = text(client.post(url, {**data, "retrieved_at": "01/03/2017"}))
    assert "YYYY-MM-DD HH:MM" in page and "UTC" in page
    assert Article.objects.get(pk=article.pk).retrieved_at is None
