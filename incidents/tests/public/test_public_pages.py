"""The dashboard page and the incident page, as a reader without JavaScript gets them."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from incidents.public import pages as views
from incidents.tests.factories import clone_incident, make_incident
from incidents.tests.public_data import all_published_ids, assert_nothing_unpublished, make_public_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(boundaries):
    return make_public_data()


def table_ids(response):
    return {int(pk) for pk in re.findall(r'<tr data-incident-id="(\d+)"', response.content.decode())}


def test_dashboard_table_lists_published_incidents_only(client, data):
    response = client.get("/")
    assert response.status_code == 200
    assert table_ids(response) == all_published_ids(data)
    assert_nothing_unpublished(response.content.decode(), data)


def test_actor_of_unpublished_incidents_is_not_offered_or_accepted(client, data):
    page = client.get("/").content.decode()
    assert data.secret_actor.name not in page and data.isis.name in page
    assert client.get("/", {"actor": data.secret_actor.id}).status_code == 400


def test_actor_filter_narrows_the_table_including_associated_actors(client, data):
    assert table_ids(client.get("/", {"actor": data.sdf.id})) == {data.strike.id, data.attack.id}
    assert table_ids(client.get("/", {"actor": data.army.id})) == {data.clash.id}


def test_summary_counts_incidents_and_fatalities_of_the_filter(client, data):
    page = client.get("/", {"date_from": "2016-01-01", "date_to": "2016-12-31"}).content.decode()
    assert 'data-count="2"' in page
    assert "<strong>10</strong> fatalities" in page


def test_approximate_date_is_shown_as_a_range_and_place_precision_is_named(client, data):
    page = client.get("/").content.decode()
    assert "18 Jan 2016" in page
    assert "between 2 Mar 2016 and 8 Mar 2016" in page and "within a week" in page
    assert "governorate or wider" in page and "nearby / district" in page


def test_fatalities_show_the_low_high_range_when_it_differs(client, data):
    assert "(5–10)" in client.get("/").content.decode()


def test_table_is_paginated_and_page_links_keep_the_filter(client, data, monkeypatch):
    monkeypatch.setattr(views, "ROWS_PER_PAGE", 2)
    first = client.get("/", {"date_from": "2015-01-01"})
    second = client.get("/", {"date_from": "2015-01-01", "page": 2})
    assert len(table_ids(first)) == 2 and len(table_ids(second)) == 1
    assert table_ids(first) | table_ids(second) == all_published_ids(data)
    assert "date_from=2015-01-01&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("page", ["-1", "0", "two", "9"])
def test_bad_page_is_a_friendly_400_page_naming_the_parameter(client, data, page):
    response = client.get("/", {"page": page})
    assert response.status_code == 400
    text = response.content.decode()
    assert "This search cannot be run" in text and "<code>page</code>" in text
    assert 'id="filter-form"' in text  # the reader can correct it on the spot


def test_bad_filter_value_is_a_400_with_the_field_error(client, data):
    response = client.get("/", {"date_from": "yesterday"})
    assert response.status_code == 400
    assert "<code>date_from</code>" in response.content.decode()


def test_unknown_table_order_is_a_400(client, data):
    assert client.get("/", {"order": "random"}).status_code == 400


def test_table_can_be_sorted_by_fatalities(client, data):
    page = client.get("/", {"order": "fatalities"}).content.decode()
    ids = [int(pk) for pk in re.findall(r'<tr data-incident-id="(\d+)"', page)]
    assert ids == [data.clash.id, data.strike.id, data.attack.id]


def test_export_links_carry_exactly_the_filter(client, data):
    csv_url = reverse("export-incidents-csv")
    page = client.get("/", {"actor": data.isis.id, "page": "1", "order": "oldest"}).content.decode()
    # bom=1: the dashboard's download opens as UTF-8 in Excel (issue 16 point 9)
    assert f'href="{csv_url}?actor={data.isis.id}&amp;bom=1"' in page


def test_empty_result_says_so(client, data):
    page = client.get("/", {"q": "no-such-words-anywhere"}).content.decode()
    assert "No incidents match these filters." in page


def test_every_script_and_stylesheet_is_served_by_us(client, data):
    page = client.get("/").content.decode()
    sources = (re.findall(r'<script[^>]+src="([^"]+)"', page)
               + re.findall(r'<link rel="(?:stylesheet|icon)"[^>]+href="([^"]+)"', page))
    assert sources and all(src.startswith("/static/") for src in sources), sources
    # Everything else linked (the map's data preloaded, the language switch) is ours too: no CDN.
    links = re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert all(re.match(r"/(?!/)", href) for href in links), links
    assert "<script>" not in page  # no inline script: the Content-Security-Policy forbids them
    assert " style=" not in page


def test_map_configuration_comes_from_settings(client, data, settings):
    page = client.get("/").content.decode()
    assert settings.MAP_TILES_URL in page
    assert str(list(settings.DEIR_EZ_ZOR_CENTER)[0]) in page


# -- the incident page --

def test_incident_page_shows_evidence_quote_article_title_link_and_source(client, data):
    response = client.get(data.clash.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    quote = data.clash.evidence.get().quote
    assert quote in page
    assert '<a href="https://news.example/clash" rel="noopener">Clashes at Deir ez-Zor airbase</a>' in page
    assert "Test News" in page


def test_incident_page_shows_approximate_date_and_place(client, data):
    page = client.get(data.attack.get_absolute_url()).content.decode()
    assert "between 1 Jun 2017 and 30 Jun 2017" in page and "within a month" in page
    assert "governorate or wider" in page
    assert "Local monitors" in page  # imported sources when no article is quoted


@pytest.mark.parametrize("status", ["draft", "in_review", "rejected"])
def test_unpublished_incident_has_no_public_page(client, data, status):
    incident = next(i for i in data.unpublished if i.status == status)
    response = client.get(reverse("incident-detail", args=[incident.pk]))
    assert response.status_code == 404
    assert "UNPUBLISHED" not in response.content.decode()


def test_merged_incident_link_leads_to_the_incident_it_was_merged_into(client, data):
    duplicate = make_incident(actor1=data.isis, merged_into=data.clash)
    Incident.objects.filter(pk=duplicate.pk).update(published_at=timezone.now(), withdrawn_at=timezone.now())
    response = client.get(reverse("incident-detail", args=[duplicate.pk]))
    assert response.status_code == 302 and response["Location"] == data.clash.get_absolute_url()


def test_a_never_published_draft_merged_into_a_published_incident_is_a_404(client, data):
    # Issue 15 point 13: a 302 revealed that the id existed and where its work went.
    draft = make_incident(status=Incident.Status.DRAFT, actor1=data.isis, notes="A draft nobody approved")
    Incident.objects.filter(pk=draft.pk).update(merged_into=data.clash, withdrawn_at=timezone.now())
    assert Incident.objects.get(pk=draft.pk).published_at is None
    response = client.get(reverse("incident-detail", args=[draft.pk]))
    assert response.status_code == 404
    assert data.clash.get_absolute_url() not in response.content.decode()


def withdrawn_reasons(client):
    body = b"".join(client.get("/export/incidents-withdrawn.csv").streaming_content).decode("utf-8-sig")
    return [line.split(",")[2] for line in body.splitlines()[1:]]


def test_withdrawn_incident_says_it_was_withdrawn(client, data):
    Incident.objects.filter(pk=data.clash.pk).update(status=Incident.Status.REJECTED, withdrawn_at=timezone.now(),
                                                     published_at=timezone.now())
    response = client.get(data.clash.get_absolute_url())
    assert response.status_code == 410
    page = response.content.decode()
    assert "withdrawn" in page and "Clash at the airbase" not in page
    assert withdrawn_reasons(client)[0] == "unpublished"


def test_an_incident_off_the_site_for_a_correction_says_it_will_be_back(client, data):
    # Found by a newcomer session: a reviewer's small correction made its link say "withdrawn … should no
    # longer rely on it", and the withdrawn list said "unpublished", so scripts dropped it for good.
    Incident.objects.filter(pk=data.clash.pk).update(status=Incident.Status.IN_REVIEW, withdrawn_at=timezone.now(),
                                                     published_at=timezone.now())
    response = client.get(data.clash.get_absolute_url())
    assert response.status_code == 404
    page = response.content.decode()
    assert "being corrected" in page and "will be back" in page and "Clash at the airbase" not in page
    assert withdrawn_reasons(client)[0] == "under review"


def test_actor_list_follows_publication_at_once(client, data):
    newcomer = make_incident(status=Incident.Status.IN_REVIEW, actor1=data.secret_actor, notes="newcomer")
    assert data.secret_actor.name not in client.get("/").content.decode()
    newcomer.status = Incident.Status.APPROVED
    newcomer.save()
    assert data.secret_actor.name in client.get("/").content.decode()
    newcomer.status = Incident.Status.REJECTED
    newcomer.save()
    assert data.secret_actor.name not in client.get("/").content.decode()


def test_large_counts_are_written_with_thousands_separators(client, data):
    clone_incident(data.clash, 1000)
    page = client.get("/").content.decode()
    assert "1,003 incidents</strong>" in page and "of 1,003" in page
