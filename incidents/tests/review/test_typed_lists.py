"""Lists an analyst types (aliases, place name variants, tags, rule keywords) are split on the Arabic
comma "،" as on ","; ACLED's lists in imports on the Arabic semicolon "؛" as on ";" (common.lists).
Found by a newcomer analyst: `Souq al-Mayadin، سوق الميادين، Mayadeen market` was saved as ONE variant,
and `خلية التحالف، Coalition cell، air cell` as one alias, also inside a proposed change."""

import pytest
from django.contrib.gis.geos import Point
from hypothesis import given
from hypothesis import strategies as st

from incidents.common.acled_format import split_list
from incidents.common.lists import ListFormField, split_typed_list
from incidents.models import Actor, Incident, Place, ProposedChange
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_user, \
    make_user_with
from incidents.tests.formdata import change_url, form_data, post_change

ITEM = st.text(st.characters(blacklist_categories=["Cs", "Cc", "Zs", "Zl", "Zp"],
                             blacklist_characters=",،;؛"), min_size=1, max_size=12)
SPACES = st.text(st.sampled_from(" \t\u00a0"), max_size=3)


@given(st.lists(ITEM, min_size=1, max_size=6), st.data())
def test_any_mix_of_commas_and_spaces_gives_the_same_list(items, data):
    typed = items[0]
    for item in items[1:]:
        sep = data.draw(st.sampled_from([",", "،"]))
        typed += data.draw(SPACES) + sep + data.draw(SPACES) + item
    assert split_typed_list(typed) == items
    assert split_list(typed.replace(",", ";").replace("،", "؛")) == items


def test_the_form_field_of_every_typed_list_is_the_one_list_field():
    from incidents.models import EventRule, AdminArea
    for model, name in [(Actor, "aliases"), (Place, "variants"), (AdminArea, "aliases"), (Incident, "tags"),
                        (EventRule, "keywords")]:
        assert isinstance(model._meta.get_field(name).formfield(), ListFormField), (model, name)






@pytest.mark.django_db
def test_place_variants_typed_with_arabic_commas_are_proposed_as_three(client, roles):
    place = Place.objects.create(name="Al Mayadin market", kind="populated place", point=Point(40.45, 35.02))
    page = post_change(client, make_user_with("view_place", "change_place"), place,
                       variants="Souq al-Mayadin، سوق الميادين، Mayadeen market")
    assert page.status_code == 200
    # Places are public records: the change waits for a second reviewer, with three variants.
    assert ProposedChange.objects.get().changes["variants"]["after"] == [
        "Souq al-Mayadin", "سوق الميادين", "Mayadeen market"]


@pytest.mark.django_db
def test_actor_aliases_typed_with_arabic_commas_are_saved_and_proposed_as_three(client, roles):
    typed, three = "خلية التحالف، Coalition cell، air cell", ["خلية التحالف", "Coalition cell", "air cell"]
    reviewer = make_user(group="Reviewer")
    unpublished = make_actor("Coalition air cell")
    post_change(client, reviewer, unpublished, aliases=typed)
    assert Actor.objects.get(pk=unpublished.pk).aliases == three
    # Shown back as one list the analyst can read and save again unchanged.
    assert "خلية التحالف, Coalition cell, air cell" in client.get(change_url(unpublished)).content.decode()

    published = make_actor("Coalition cell two")
    make_evidence(make_incident(actor1=published), article=make_article(title="Air strike"))
    post_change(client, reviewer, published, aliases=typed, proposal_note="Arabic spelling")
    assert ProposedChange.objects.get().changes["aliases"]["after"] == three
