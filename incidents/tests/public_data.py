"""A small published data set for the public dashboard tests, with unpublished work beside it."""

import datetime
from dataclasses import dataclass

from django.contrib.gis.geos import Point

from incidents.common.typology import ActorCategory, GeoPrecision, TimePrecision
from incidents.models import Incident
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_unpublished_trio

MAYADIN = Point(40.4515, 35.0206, srid=4326)
BUSAYRAH = Point(40.4272, 35.1562, srid=4326)


@dataclass
class PublicData:
    clash: Incident  # exact day and place
    strike: Incident  # within a week, near a town
    attack: Incident  # within a month, governorate only
    unpublished: list
    isis: object
    army: object
    sdf: object
    secret_actor: object  # named only in unpublished incidents


def make_public_data():
    isis = make_actor("Islamic State (Syria)")
    army = make_actor("Military Forces of Syria (2000-)", category=ActorCategory.STATE_FORCES)
    sdf = make_actor("Syrian Democratic Forces")
    russia = make_actor("Military Forces of Russia (2000-)", category=ActorCategory.EXTERNAL_OTHER)
    secret = make_actor("Actor named only in drafts")

    clash = make_incident(date=datetime.date(2016, 1, 18), actor1=isis, actor2=army, fatalities=7,
                          fatalities_low=5, fatalities_high=10, notes="Clash at the airbase perimeter.")
    make_evidence(clash, make_article(text="IS fighters clashed with the army at the airbase on Monday.",
                                      title="Clashes at Deir ez-Zor airbase", url="https://news.example/clash"))
    strike = make_incident(
        date=datetime.date(2016, 3, 2), date_end=datetime.date(2016, 3, 8), time_precision=TimePrecision.WEEK,
        event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", actor1=russia, actor2=isis,
        assoc_actors_2=[sdf], location="Al Mayadin", point=MAYADIN, geo_precision=GeoPrecision.DISTRICT,
        fatalities=3, notes="Air strikes near Al Mayadin during the first week of March.")
    make_evidence(strike, make_article(text="Russian jets struck positions near Mayadin last week.",
                                       title="Strikes near Mayadin"))
    attack = make_incident(
        date=datetime.date(2017, 6, 1), date_end=datetime.date(2017, 6, 30), time_precision=TimePrecision.MONTH,
        event_type="Violence against civilians", sub_event_type="Attack", actor1=sdf, location="Deir ez-Zor countryside",
        point=BUSAYRAH, geo_precision=GeoPrecision.GOVERNORATE, fatalities=0, source_text="Local monitors")
    unpublished = make_unpublished_trio(actor1=secret, fatalities=99)
    return PublicData(clash, strike, attack, unpublished, isis, army, sdf, secret)


def unpublished_ids(data):
    return {incident.id for incident in data.unpublished}


def all_published_ids(data):
    return {data.clash.id, data.strike.id, data.attack.id}


def assert_nothing_unpublished(text, data):
    """The page or JSON shows no trace of the draft, in-review and rejected incidents."""
    assert "UNPUBLISHED" not in text
    assert data.secret_actor.name not in text
    assert Incident.objects.filter(status=Incident.Status.APPROVED).count() == 3  # the trio really exists beside
    assert Incident.objects.count() == 6
