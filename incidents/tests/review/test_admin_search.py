"""Admin place and actor search (issue 13 point 6) and every admin search box and JSON endpoint
with hostile text (issue 15 point 15): NUL bytes, huge terms, odd Unicode give answers, never a 500."""

from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.tests.factories import make_actor, make_user

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def gazetteer(boundaries):
    call_command("load_gazetteer", verbosity=0)


@pytest.fixture
def staff(client, roles):
    client.force_login(make_user(group="Analyst"))
    return client


def autocomplete(client, model, field, term):
    return client.get(reverse("admin:autocomplete"), {"app_label": "incidents", "model_name": "incident",
                                                     "field_name": field, "term": term})


def names_found(client, field, term):
    response = autocomplete(client, "incident", field, term)
    assert response.status_code == 200, response.content[:300]
    return [row["text"] for row in response.json()["results"]]


@pytest.mark.parametrize("term,expected", [
    ("Thiban", "Dhībān"), ("Dhiban", "Dhībān"), ("ذيبان", "Dhībān"), ("Al-Busayrah", "Al Buşayrah"),
    ("Busayra", "Al Buşayrah"), ("Albukamal", "Ālbū Kamāl"), ("Abu Kamal", "Ālbū Kamāl"), ("Hajeen", "Hajīn"),
    ("hajin", "Hajīn"), ("البصيرة", "Al Buşayrah"),
])
def test_place_autocomplete_finds_spelling_variants(staff, gazetteer, term, expected):
    found = names_found(staff, "place", term)
    assert found[0] == expected, found  # offered first, so Enter picks it
    assert len(found) <= 10, f"{term!r} matched too much to be useful: {found}"


def test_place_autocomplete_does_not_match_everything(staff, gazetteer):
    assert names_found(staff, "place", "Raqqa") and "Dhībān" not in names_found(staff, "place", "Raqqa")
    assert names_found(staff, "place", "Zzqxw") == []


@pytest.mark.parametrize("term", ["Daesh", "Daish", "داعش", "islamic-state", "ISIS"])
def test_actor_autocomplete_finds_aliases_and_transliterations(staff, term):
    make_actor("Islamic State (Syria)", aliases=["ISIS", "Daesh", "داعش"])
    make_actor("Syrian Democratic Forces", aliases=["SDF", "QSD"])
    assert names_found(staff, "actor1", term) == ["Islamic State (Syria)"]


# As sent on the wire (percent-encoded), so bytes that are not UTF-8 at all can be sent too.
HOSTILE = [quote(t) for t in ["\x00", "a\x00b", "x" * 5000, "\u202e\u0644", "🙂" * 300, "%", "'", "\\",
                              "e\u0301" * 100, "\ufeff", "٠١٢", "\u200f\u200e"]] + ["%ED%A0%80", "%FF%FE", "%C0%80"]


def search_urls():
    """Every admin changelist with a search box, and every autocomplete field of every admin."""
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if model_admin.search_fields:
            yield "changelist", reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"), "q", {}
        for field in model_admin.autocomplete_fields:
            yield "autocomplete", reverse("admin:autocomplete"), "term", {
                "app_label": meta.app_label, "model_name": meta.model_name, "field_name": field}


@pytest.fixture
def superuser_client(client, gazetteer):
    make_actor("Islamic State (Syria)", aliases=["ISIS"])
    client.force_login(make_user(is_superuser=True))
    return client


def test_every_admin_search_box_and_autocomplete_answers_hostile_text(superuser_client):
    urls = list(search_urls())
    assert len(urls) >= 10  # the walk reaches the place, actor and area autocompletes and the search boxes
    for kind, url, param, extra in urls:
        for term in HOSTILE:
            response = superuser_client.get(f"{url}?{urlencode(extra)}&{param}={term}")
            assert response.status_code in (200, 403), (kind, url, extra, term, response.status_code)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(term=st.text(max_size=300), page=st.text(max_size=20))
def test_autocomplete_never_fails_on_any_text(superuser_client, term, page):
    for field in ("place", "actor1", "admin1"):
        response = superuser_client.get(reverse("admin:autocomplete"), {
            "app_label": "incidents", "model_name": "incident", "field_name": field, "term": term, "page": page})
        assert response.status_code < 500, (field, term, page)
