"""Arabic leftovers (issue 17): text fields take their direction from what is typed in them, the snapshot
page's heading is in the reader's language and digits, and no two areas share an Arabic label."""

import re

import pytest
from django.conf import settings
from django.urls import reverse as reverse_in_active_language
from django.utils.translation import override

from incidents.exports import snapshots
from incidents.common.arabic_names import ARABIC_AREA_NAMES, area_labels
from incidents.models import AdminArea
from incidents.public.filters import IncidentFilter
from incidents.tests.exports.test_snapshots import cite, snapshot_of
from incidents.tests.factories import make_incident, make_user

pytestmark = pytest.mark.django_db
TEXT_FIELD = re.compile(r"<(?:input|textarea)\b[^>]*>")


def reverse(name, args=None):
    with override(settings.LANGUAGE_CODE):  # a request to /ar/ leaves Arabic active in the test's thread
        return reverse_in_active_language(name, args=args)


def text_fields(page):
    """Every text input and textarea of `page` (HTML) as its tag."""
    return [tag for tag in TEXT_FIELD.findall(page) if " hidden" not in tag and tag.startswith("<textarea")
            or ('type="text"' in tag and not re.search(r'class="v(?:Date|Time|ForeignKeyRawIdAdmin)Field', tag))]  # dates, ids: digits


def test_every_text_input_and_textarea_of_the_arabic_admin_forms_is_dir_auto(client):
    client.force_login(make_user(is_superuser=True))
    for name in ("article", "actor", "place", "incident"):
        page = client.get("/ar" + reverse(f"admin:incidents_{name}_add")).content.decode()
        fields = text_fields(page)
        assert fields, name
        assert [tag for tag in fields if 'dir="auto"' not in tag] == [], name
    page = client.get("/ar" + reverse("admin:incidents_article_add")).content.decode()
    assert re.search(r'<textarea name="text" dir="auto"', page)  # the article's text
    assert re.search(r'<input type="text" name="title" dir="auto"', page)


def test_the_public_search_box_reads_what_is_typed_in_its_direction(client):
    page = client.get("/ar/").content.decode()
    assert re.search(r'<input type="text" name="q" dir="auto"', page)


def test_the_arabic_snapshot_page_heads_in_arabic_with_the_readers_digits(client, monkeypatch):
    monkeypatch.setattr(snapshots, "SNAPSHOTS_PER_HOUR", 100)
    make_incident()
    for _ in range(11):  # an id of two digits, to see the digits change
        snapshot = snapshot_of(cite(client, "event_type=Battles"))
    page = client.get(f"/ar/snapshots/{snapshot.pk}/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert str(snapshot.pk) not in heading and str(snapshot.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) in heading
    title = re.search(r'<p class="lead" id="snapshot-title">(.*?)</p>', page).group(1)
    assert title.startswith("حوادث النزاع المنشورة: ") and "Published" not in title, title
    assert "Published conflict incidents: Event types: Battles" in page  # the citation stays English
    english = client.get(f"/snapshots/{snapshot.pk}/").content.decode()
    assert f"Cited view: snapshot {snapshot.pk}" in english
    assert '<p class="lead" id="snapshot-title">Published conflict incidents: Event types: Battles</p>' in english


def test_no_two_areas_of_a_level_share_an_arabic_label():
    for level in AdminArea.Level.values:
        areas = AdminArea.objects.filter(level=level).select_related("parent")
        for language in ("ar", settings.LANGUAGE_CODE):
            with override(language):
                labels = list(area_labels(areas).values())
            assert len(labels) == len(set(labels)), (level, language,
                                                     sorted({x for x in labels if labels.count(x) > 1}))
    with override("ar"):
        masyaf, mesiaf = (str(AdminArea.objects.get(pcode=p)) for p in ("SYR005004", "UNHCR-GID-15205"))
    assert masyaf == "مصياف" and mesiaf.startswith("مصياف ") and mesiaf != masyaf


def test_arabic_names_never_merge_districts_english_tells_apart():
    by_arabic = {}
    for area in AdminArea.objects.filter(pcode__in=list(ARABIC_AREA_NAMES)):
        by_arabic.setdefault((area.level, area.name_ar), set()).add(area.name)
    assert {key: names for key, names in by_arabic.items() if len(names) > 1} == {}


def test_the_arabic_district_filter_labels_each_district_apart(client):
    with override("ar"):
        labels = [label for _, group in IncidentFilter().form.fields["district"].choices
                  for _, label in (group if isinstance(group, (list, tuple)) else [])]
    assert labels and len(labels) == len(set(labels))
    assert "مصياف" in labels and "مصياف (القسم الشمالي)" in labels
    assert "اسم غير معروف (حماة)" in labels
