"""Names with characters that hide or imitate others are refused by the admin's forms of actors,
places and outlets with the ACLED import's rule (incidents.common.lookalikes), and a proposal's page
shows such characters by code point."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from incidents.common import lookalikes
from incidents.intake import acled_checks
from incidents.models import Actor, Place, ProposedChange, Source
from incidents.review import proposals
from incidents.tests.factories import make_actor, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = [pytest.mark.django_db]
CYRILLIC_E = "Islamic St\u0430te"  # а: CYRILLIC SMALL LETTER A
LOOK_ALIKES = [CYRILLIC_E, "Islamic\u200bState", "ＤＥＭＯ militia", "Islamic\u00a0State", "Islamic \u202eState"]


def add(client, model_name, **values):
    url = reverse(f"admin:incidents_{model_name}_add")
    data = form_data(client.get(url).content.decode(), f"{model_name}_form")
    return client.post(url, {**data, **values}, follow=True).content.decode()


def test_the_import_and_the_admin_share_one_rule():
    assert acled_checks.invisible_character is lookalikes.invisible_character
    assert acled_checks.look_alike_problem is lookalikes.look_alike_problem


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_the_admin_refuses_look_alike_names_of_actors_places_and_outlets(client, roles, name):
    client.force_login(make_user(group="Administrator"))
    page = add(client, "actor", name=name, category="2")
    assert "errorlist" in page and not Actor.objects.filter(name=name).exists()
    page = add(client, "actor", name="Plain militia", category="2", aliases=f"IS, {name}")
    assert "errorlist" in page and not Actor.objects.filter(name="Plain militia").exists()
    page = add(client, "place", name=name, point=Point(40.2, 35.3, srid=4326).geojson)
    assert "errorlist" in page and not Place.objects.filter(name=name).exists()
    page = add(client, "source", name=name)
    assert "errorlist" in page and not Source.objects.filter(name=name).exists()


def test_plain_names_are_still_accepted(client, roles):
    client.force_login(make_user(group="Administrator"))
    add(client, "source", name="Deir Ezzor 24")
    add(client, "actor", name="Plain militia", category="2", aliases="IS, Daesh")
    add(client, "place", name="Ḏībān", name_ar="ذيبان", point=Point(40.2, 35.3, srid=4326).geojson)
    assert Actor.objects.filter(name="Plain militia", aliases=["IS", "Daesh"]).exists()
    assert Source.objects.filter(name="Deir Ezzor 24").exists() and Place.objects.filter(name_ar="ذيبان").exists()


def test_a_proposal_shows_look_alike_characters_by_code_point(client, roles):
    actor = make_actor("Islamic State")
    make_incident(actor1=actor)
    proposal = proposals.propose(actor, {"name": CYRILLIC_E, "aliases": ["IS\u200b"]}, make_user(group="Analyst"))
    client.force_login(make_user(group="Reviewer"))
    page = client.get(reverse("admin:incidents_proposedchange_change", args=[proposal.pk])).content.decode()
    assert "[U+0430]" in page and "[U+200B]" in page
    assert ProposedChange.objects.get().status == "pending"


def test_visible_leaves_plain_text_alone():
    assert lookalikes.visible("Deir ez-Zor\nذيبان") == "Deir ez-Zor\nذيبان"
    assert lookalikes.visible("ＤＥ") == "[U+FF24][U+FF25]"
