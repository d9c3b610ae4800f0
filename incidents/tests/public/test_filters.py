"""The dashboard's text search: words in the summary, place or actor names, or the public id."""

import re

import pytest
from django.http import QueryDict

from incidents.public.filters import filtered_incidents
from incidents.tests.factories import make_incident
from incidents.tests.public_data import make_public_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(boundaries):
    return make_public_data()


def found(text):
    return set(filtered_incidents(QueryDict(f"q={text}")).qs.values_list("id", flat=True))


def test_a_word_of_the_summary_place_or_either_actor_finds_the_incident_in_any_case(data):
    assert found("PERIMETER") == {data.clash.id}  # summary
    assert found("mayadin") == {data.strike.id}  # place and summary
    assert found("countryside") == {data.attack.id}  # place only
    assert found("democratic") == {data.strike.id, data.attack.id}  # actor 1, and associated (issue 16)
    assert found("army") == set()  # "Military Forces of Syria" is no word match for "army" …
    assert found("russia+week") == {data.strike.id}  # … but each word may match a different field


def test_every_word_must_match(data):
    assert found("airbase+perimeter") == {data.clash.id}
    assert found("airbase+russia") == set()


def test_the_public_id_finds_the_incident_ours_or_acleds(data):
    assert found(f"dzi{data.strike.id}") == {data.strike.id}
    acled = make_incident(event_id_cnty="SYR12345", notes="Imported")
    assert found("syr12345") == {acled.id}
    assert found(f"DZI{acled.id}") == set()  # it is known by its ACLED id, not ours


def test_words_of_unpublished_work_find_nothing(data):
    assert found("drafts") == set()  # the actor "named only in drafts"


def test_an_actor_alias_finds_its_incidents(data):
    data.isis.aliases = ["Daesh"]
    data.isis.save()
    assert found("daesh") == {data.clash.id, data.strike.id}


def sub_event_groups(client, query):
    """{group heading: shown?} of the dashboard's sub-event type list as the server writes it (no script)."""
    html = client.get("/", query).content.decode()
    block = html.split('id="id_sub_event_type"', 1)[1].split('<div class="field', 1)[0]
    return {label: not hidden for hidden, label in re.findall(r"<div( hidden)?><label>([^<]+)</label>", block)}


def test_the_sub_event_types_offered_are_those_of_the_chosen_event_types_before_any_script(client, db):
    """Found by a newcomer session: on a slow link (or without JavaScript) the list showed every event
    type's sub-types whatever event type was chosen."""
    everything = sub_event_groups(client, {})
    assert len(everything) == 6 and all(everything.values())
    protests = sub_event_groups(client, {"event_type": "Protests"})
    assert [label for label, shown in protests.items() if shown] == ["Protests"]
    both = sub_event_groups(client, {"event_type": ["Protests", "Riots"]})
    assert [label for label, shown in both.items() if shown] == ["Protests", "Riots"]
    # A ticked sub-type of another event type stays in sight: it filters.
    ticked = sub_event_groups(client, {"event_type": "Protests", "sub_event_type": "Armed clash"})
    assert [label for label, shown in ticked.items() if shown] == ["Battles", "Protests"]
