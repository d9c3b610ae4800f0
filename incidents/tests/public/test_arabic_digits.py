"""Numbers in the reader's digits (issue 17): Arabic pages write Arabic-Indic digits with CLDR's
separators by default, ARABIC_DIGITS=latn keeps Western digits, English never changes; ids, links,
filter values and exports stay as they are; the date filter reads either kind of digit."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from incidents.common import numerals
from incidents.tests.public_data import make_public_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("boundaries")]
WESTERN = re.compile(r"[0-9]")
ARABIC_INDIC = re.compile(r"[٠-٩]")


@pytest.fixture
def data():
    return make_public_data()


@pytest.fixture
def western(settings):
    settings.ARABIC_DIGITS = "latn"
    cache.clear()  # the public cache keys on the digits too, but a test must not lean on that alone


def summary(page):
    return re.search(r'<p class="summary" id="summary".*?</p>', page, flags=re.S).group()


def row_of(page, incident):
    return re.search(rf'<tr data-incident-id="{incident.pk}">.*?</tr>', page, flags=re.S).group()


def text_of(html):
    return re.sub(r"<[^>]+>", " ", html)


def test_numbers_follow_cldr_for_each_numbering_system(settings):
    """The symbols are CLDR's (ar.xml): ٬ groups and ٫ is the decimal separator with Arabic-Indic digits."""
    from django.utils.translation import override
    with override("ar"):
        assert numerals.reader_number(2742) == "٢٬٧٤٢"
        assert numerals.reader_number(1234567.5) == "١٬٢٣٤٬٥٦٧٫٥"
        assert numerals.reader_number(0.95, 2) == "٠٫٩٥"
        assert numerals.reader_digits("3 آذار 2016") == "٣ آذار ٢٠١٦"
        settings.ARABIC_DIGITS = "latn"
        assert numerals.reader_number(1234567.5) == "1,234,567.5"
        assert numerals.reader_digits("3 آذار 2016") == "3 آذار 2016"
    with override("en-gb"):
        settings.ARABIC_DIGITS = "arab"
        assert numerals.reader_number(2742) == "2,742" and numerals.browser_locale() == "en-u-nu-latn"
    assert numerals.western_digits("٢٠١٦-٠١-١٨") == "2016-01-18" and numerals.western_digits("٠٫٥") == "0.5"


def test_an_arabic_page_writes_counts_dates_and_fatalities_in_arabic_indic_digits_by_default(client, data):
    page = client.get("/ar/").content.decode()
    assert 'data-number-locale="ar-u-nu-arab"' in page  # what the page's scripts format with
    counts = text_of(summary(page))
    assert "٣" in counts and "١٠" in counts and not WESTERN.search(counts)  # 3 incidents, 10 fatalities
    clash = text_of(row_of(page, data.clash))
    assert "١٨ كانون الثاني ٢٠١٦" in clash  # the date label
    assert "٧ (٥–١٠)" in " ".join(clash.split())  # fatalities, best (low–high)
    # The incident's own page: date and fatalities too.
    detail = client.get(f"/ar/incidents/{data.clash.pk}/").content.decode()
    assert "١٨ كانون الثاني ٢٠١٦" in detail and "18 كانون الثاني 2016" not in detail


def test_ids_links_and_filter_values_stay_latin_on_an_arabic_page(client, data):
    page = client.get("/ar/?min_fatalities=0&date_from=2016-01-01").content.decode()
    clash = row_of(page, data.clash)
    assert f'href="/ar/incidents/{data.clash.pk}/"' in clash
    assert f"<bdi>DZI{data.clash.pk}</bdi>" in clash  # the id a reader cites
    assert 'value="2016-01-01"' in page and 'value="0"' in page  # the filter inputs keep what was asked
    # data-label is the timeline tooltip's reader text ("١ كانون الثاني ٢٠١٦"), not data: it follows the reader.
    attributes = re.findall(r'(?:href|value|data-(?!label=)[a-z-]+)="([^"]*)"', page)
    assert attributes and not ARABIC_INDIC.search(" ".join(attributes))


def test_the_setting_keeps_western_digits_on_arabic_pages(client, data, western):
    page = client.get("/ar/").content.decode()
    assert 'data-number-locale="ar-u-nu-latn"' in page
    assert not ARABIC_INDIC.search(text_of(summary(page)))
    clash = " ".join(text_of(row_of(page, data.clash)).split())
    assert "18 كانون الثاني 2016" in clash and "7 (5–10)" in clash
    assert not ARABIC_INDIC.search(text_of(client.get(f"/ar/incidents/{data.clash.pk}/").content.decode()))


def test_english_pages_write_western_digits_whatever_the_setting(client, data):
    page = client.get("/").content.decode()
    assert 'data-number-locale="en-u-nu-latn"' in page and not ARABIC_INDIC.search(page)


def export(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("path", ["/export/incidents.csv", "/export/incidents.geojson", "/api/incidents.json",
                                  "/api/incidents.geojson?bbox=35,33,42,37&zoom=12"])
def test_exports_and_data_answers_are_byte_identical_whatever_the_digits(client, data, settings, path):
    """Data keeps Western digits: the same bytes under either setting; exports also in either language
    (the JSON answers name places and terms in the page's language, but their numbers stay 0-9)."""
    answers = {"": set(), "/ar": set()}
    for digits in ("arab", "latn"):
        settings.ARABIC_DIGITS = digits
        cache.clear()
        for prefix in answers:
            answers[prefix].add(export(client, prefix + path))
    assert [len(found) for found in answers.values()] == [1, 1]
    english, arabic = answers[""].pop(), answers["/ar"].pop()
    assert not ARABIC_INDIC.search(arabic.decode())
    if path.startswith("/export/"):
        assert english == arabic


def test_the_date_filter_reads_arabic_indic_digits(data):
    client = Client()
    typed = client.get("/ar/?date_from=٢٠١٦-٠١-٠١&date_to=٢٠١٦-٠١-٣١")
    assert typed.status_code == 200
    found = re.findall(r'data-incident-id="(\d+)"', typed.content.decode())
    assert found == [str(data.clash.pk)]
    assert re.findall(r'data-incident-id="(\d+)"', client.get("/ar/?date_from=2016-01-01&date_to=2016-01-31")
                      .content.decode()) == found
    # Numbers already did (Django's number fields read any Unicode digits).
    assert client.get("/ar/?min_fatalities=٥").status_code == 200
    # The date boxes show what was asked, in the 0-9 a date input holds: an empty box lost the range
    # at the next filter applied (found by a newcomer session).
    page = typed.content.decode()
    assert 'name="date_from" value="2016-01-01"' in page and 'name="date_to" value="2016-01-31"' in page


def test_a_bad_arabic_digits_value_stops_start_up_naming_the_variable(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_choice
    monkeypatch.setenv("ARABIC_DIGITS", "arabic")
    with pytest.raises(ImproperlyConfigured, match="ARABIC_DIGITS='arabic': choose one of arab, latn"):
        env_choice("ARABIC_DIGITS", "arab", ("arab", "latn"))
    monkeypatch.setenv("ARABIC_DIGITS", " latn ")
    assert env_choice("ARABIC_DIGITS", "arab", ("arab", "latn")) == "latn"
    monkeypatch.delenv("ARABIC_DIGITS")
    assert env_choice("ARABIC_DIGITS", "arab", ("arab", "latn")) == "arab"


def test_typed_coordinates_read_arabic_indic_digits_and_the_arabic_comma():
    from incidents.review.where import parse_coordinates
    western = parse_coordinates("35.3333, 40.1333")
    assert parse_coordinates("٣٥٫٣٣٣٣، ٤٠٫١٣٣٣").coords == western.coords
    assert parse_coordinates("٣٥٫٣٣٣٣, ٤٠٫١٣٣٣").coords == western.coords
