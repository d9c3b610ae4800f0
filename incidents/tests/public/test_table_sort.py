"""The table sorts by date, place, event type, actors and fatalities, both ways, with the id as the
tie-break; an unknown sort is a 400 naming `sort` (issue 16 point 8)."""

import datetime
import re

import pytest
from django.urls import reverse

from incidents.models import Incident
from incidents.tests.factories import make_actor, make_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(boundaries):
    zed, alpha = make_actor("Zed Brigade"), make_actor("Alpha Group")
    day = datetime.date(2017, 5, 5)
    made = [
        make_incident(date=day, location="Hajin", actor1=zed, fatalities=3, event_type="Battles", sub_event_type="Armed clash"),
        make_incident(date=day, location="Hajin", actor1=zed, fatalities=3, event_type="Battles", sub_event_type="Armed clash"),
        make_incident(date=day - datetime.timedelta(days=9), location="Al Mayadin", actor1=alpha, fatalities=10,
                      event_type="Riots", sub_event_type="Mob violence"),
        make_incident(date=day + datetime.timedelta(days=3), location="Buseira", actor1=alpha, fatalities=0,
                      event_type="Explosions/Remote violence", sub_event_type="Air/drone strike"),
    ]
    return made


def table(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200, response.content[:500]
    return [int(pk) for pk in re.findall(r'<tr data-incident-id="(\d+)"', response.content.decode())]


def expected(key):
    fields = {"date": ("date", "id"), "place": ("location", "id"), "event_type": ("event_type", "date", "id"),
              "actors": ("actor1__name", "id"), "fatalities": ("fatalities", "date", "id")}[key]
    ascending = list(Incident.objects.published().order_by(*fields).values_list("id", flat=True))
    return ascending


@pytest.mark.parametrize("key", ["date", "place", "event_type", "actors", "fatalities"])
def test_each_column_sorts_both_ways_with_the_id_as_tie_break(client, rows, key):
    ascending = table(client, sort=key)
    assert ascending == expected(key)
    assert table(client, sort=f"-{key}") == list(reversed(ascending))


def test_ties_keep_the_id_order(client, rows):
    first, second = rows[0].id, rows[1].id  # same day, place, actor, type, fatalities
    order = table(client, sort="place")
    assert order.index(first) < order.index(second)
    assert table(client, sort="-place").index(second) < table(client, sort="-place").index(first)


def test_the_column_headers_link_to_their_sort_and_say_which_is_current(client, rows):
    page = client.get(reverse("dashboard"), {"sort": "place"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "sort=-place" in page  # the place header now reverses
    assert "sort=actors" in page and "sort=-fatalities" in page and "sort=event_type" in page


@pytest.mark.parametrize("bad", ["name", "-", "--date", "date;drop", "DATE", "location"])
def test_an_unknown_sort_is_a_400_naming_it(client, rows, bad):
    response = client.get(reverse("dashboard"), {"sort": bad})
    assert response.status_code == 400
    assert "sort" in response.content.decode()


def test_older_order_links_still_sort(client, rows):
    assert table(client, order="oldest") == table(client, sort="date")
    assert table(client, order="fatalities") == table(client, sort="-fatalities")
    assert client.get(reverse("dashboard"), {"order": "nope"}).status_code == 400


def test_sort_and_the_older_order_together_are_a_400_naming_order(client, rows):
    # Before, `order` was ignored when `sort` was present: a link asking both got one of them silently.
    response = client.get(reverse("dashboard"), {"sort": "date", "order": "fatalities"})
    assert response.status_code == 400 and "order" in response.content.decode()
