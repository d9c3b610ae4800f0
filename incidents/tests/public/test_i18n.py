"""Arabic and English (issue 17): the language in the URL, the switch, Accept-Language, the cache,
names and typology in Arabic, and the same ids from filters and exports in both languages."""

import csv
import io
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client

from incidents.models import AdminArea
from incidents.tests.public_data import all_published_ids, make_public_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundaries")]
HTML_LANG = re.compile(r'<html lang="(?P<lang>[^"]+)" dir="(?P<dir>[^"]+)"')


@pytest.fixture
def data():
    return make_public_data()


def lang_dir(response):
    found = HTML_LANG.search(response.content.decode())
    return found["lang"], found["dir"]


def test_english_stays_at_the_old_urls_and_arabic_lives_under_ar(client, data):
    english = client.get("/")
    assert english.status_code == 200 and lang_dir(english) == ("en", "ltr")
    arabic = client.get("/ar/")
    assert arabic.status_code == 200 and lang_dir(arabic) == ("ar", "rtl")
    text = arabic.content.decode()
    assert "حوادث دير الزور" in text and "Deir ez-Zor Incidents" not in text.split("<main")[0]
    # Links inside an Arabic page stay in Arabic: a shared link keeps its language.
    assert f'href="/ar/incidents/{data.clash.pk}/"' in text
    assert lang_dir(client.get(f"/ar/incidents/{data.clash.pk}/")) == ("ar", "rtl")


def test_a_shared_arabic_link_opens_in_arabic_even_for_an_english_browser(data):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    response = browser.get(f"/ar/incidents/{data.clash.pk}/?from=share")
    assert response.status_code == 200 and lang_dir(response) == ("ar", "rtl")


def test_without_a_choice_accept_language_decides_and_no_header_stays_english(data):
    assert lang_dir(Client().get("/")) == ("en", "ltr")  # no Accept-Language at all
    arabic_browser = Client(HTTP_ACCEPT_LANGUAGE="ar-SY,ar;q=0.9,en;q=0.5")
    response = arabic_browser.get(f"/incidents/{data.clash.pk}/?a=1")
    assert response.status_code == 302 and response["Location"] == f"/ar/incidents/{data.clash.pk}/?a=1"
    assert "Accept-Language" in response["Vary"]
    # Data answers are never redirected by the browser's language.
    assert arabic_browser.get("/api/incidents.json").status_code == 200
    export = arabic_browser.get("/export/incidents.csv")
    assert export.status_code == 200 and b"event_id_cnty" in b"".join(export.streaming_content)
    # English preferred over Arabic: English.
    assert lang_dir(Client(HTTP_ACCEPT_LANGUAGE="en,ar;q=0.5").get("/")) == ("en", "ltr")


def test_the_switch_is_a_plain_link_that_remembers_the_choice(data):
    arabic_browser = Client(HTTP_ACCEPT_LANGUAGE="ar")
    page = arabic_browser.get("/ar/?event_type=Battles")
    switch = re.search(r'<li class="language-switch"><a href="([^"]+)"', page.content.decode())[1]
    assert switch.startswith("/language/?") and "csrf" not in page.content.decode().lower()
    response = arabic_browser.get(switch.replace("&amp;", "&"))
    assert response.status_code == 302 and response["Location"] == "/?event_type=Battles"
    # Chosen: the browser's Arabic no longer sends this reader to /ar/.
    english = arabic_browser.get("/?event_type=Battles")
    assert english.status_code == 200 and lang_dir(english) == ("en", "ltr")
    back = arabic_browser.get(f"/language/?to=ar&next=/incidents/{data.clash.pk}/")
    assert back["Location"] == f"/ar/incidents/{data.clash.pk}/"


def test_the_switch_refuses_an_unknown_language_and_never_leaves_the_site(client):
    refused = client.get("/language/?to=fr&next=/")
    assert refused.status_code == 400 and b"to:" in refused.content
    assert client.get("/language/?to=ar&next=https://evil.example/")["Location"] == "/ar/"
    assert client.get("/language/?to=en-gb&next=//evil.example/")["Location"] == "/"


def test_the_public_cache_never_serves_one_language_to_the_other(client, settings, data):
    settings.PUBLIC_CACHE_SECONDS = 3600
    cache.clear()
    for _ in range(2):  # the second round comes from the cache
        english = client.get(f"/incidents/{data.clash.pk}/")
        arabic = client.get(f"/ar/incidents/{data.clash.pk}/")
        assert lang_dir(english) == ("en", "ltr") and "اشتباكات مسلحة" not in english.content.decode()
        assert lang_dir(arabic) == ("ar", "rtl") and "اشتباكات مسلحة" in arabic.content.decode()
        assert english["ETag"] != arabic["ETag"]
    assert "Accept-Language" in english["Vary"]
    cache.clear()


def test_arabic_pages_name_areas_and_acled_terms_in_arabic_and_keep_latin_names_isolated(client, data):
    deir = AdminArea.objects.get(pcode="SYR009")
    assert deir.name_ar == "دير الزور"  # filled by load_boundaries and migration 0018
    assert AdminArea.objects.filter(level=1, name_ar="").count() == 0
    text = client.get(f"/ar/incidents/{data.clash.pk}/").content.decode()
    assert "دير الزور" in text and "معارك" in text and "اشتباكات مسلحة" in text
    assert "<bdi>Islamic State (Syria)</bdi>" in text  # an ACLED name stays left to right
    assert "كانون الثاني ٢٠١٦" in text  # 18 Jan 2016, as Syrian outlets name the month (Arabic-Indic digits)
    english = client.get(f"/incidents/{data.clash.pk}/").content.decode()
    assert "Armed clash" in english and "18 Jan 2016" in english and "دير الزور" not in english


def test_filters_and_exports_give_the_same_ids_in_both_languages(client, data):
    query = "?event_type=Battles&event_type=Explosions/Remote%20violence&governorate="
    english = json.loads(client.get("/api/incidents.json" + query).content)
    arabic = json.loads(client.get("/ar/api/incidents.json" + query).content)
    ids = sorted(row["id"] for row in english["results"])
    assert ids and ids == sorted(row["id"] for row in arabic["results"])
    assert set(ids) <= all_published_ids(data)
    # Exports keep ACLED's English columns and values in both languages.
    rows_en, rows_ar = (list(csv.DictReader(io.StringIO(b"".join(client.get(prefix + "/export/incidents.csv" + query)
                                                                  .streaming_content).decode())))
                        for prefix in ("", "/ar"))  # one download read to its end before the next starts
    assert [r["event_id_cnty"] for r in rows_en] == [r["event_id_cnty"] for r in rows_ar]
    assert [{k: v for k, v in r.items() if r[k] != rows_ar[i][k]} for i, r in enumerate(rows_en)] == [{}] * len(rows_en)
    assert rows_en == rows_ar and {r["event_type"] for r in rows_ar} <= {"Battles", "Explosions/Remote violence"}
    # The dashboard's table lists the same incidents in both languages.
    table_en = re.findall(r'data-incident-id="(\d+)"', client.get("/" + query).content.decode())
    table_ar = re.findall(r'data-incident-id="(\d+)"', client.get("/ar/" + query).content.decode())
    assert table_en and table_en == table_ar


def test_the_arabic_timeline_draws_with_numbers_the_browser_reads(client, data):
    """Arabic formats decimals with a comma: in SVG coordinates that is an error, and the row is not drawn."""
    page = client.get("/ar/").content.decode()
    svg = "".join(re.findall(r'<svg class="(?:bars|windows)".*?</svg>', page, flags=re.S))
    values = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg)
    assert values and [value for value in values if not re.fullmatch(r"-?\d+(\.\d+)?", value)] == []


def test_the_incident_page_names_its_place_in_the_reader_s_language(client, data):
    # Found by a newcomer session: the Arabic incident page said "… في Al Buşayrah" beside the map's البصيرة.
    from incidents.models import Incident, Place
    from incidents.tests.factories import make_incident

    place = Place.objects.create(name="Al Buşayrah", name_ar="البصيرة", point=data.clash.point, geo_precision=1)
    named = make_incident(place=place, location="Al Buşayrah", actor1=data.isis)
    written = make_incident(place=place, location="Al Buşayrah bridge", actor1=data.isis)
    arabic = client.get(f"/ar/incidents/{named.pk}/").content.decode()
    assert "<bdi>البصيرة</bdi>" in arabic and "Al Buşayrah" not in arabic.split("<h1>")[1].split("</h1>")[0]
    assert "<bdi>Al Buşayrah</bdi>" in client.get(f"/incidents/{named.pk}/").content.decode()
    # A location the analyst wrote otherwise stays as coded, in both languages.
    assert "<bdi>Al Buşayrah bridge</bdi>" in client.get(f"/ar/incidents/{written.pk}/").content.decode()
    assert Incident.objects.published().filter(pk__in=[named.pk, written.pk]).count() == 2
