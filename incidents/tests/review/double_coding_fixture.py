"""Loads fixtures/double_coding/articles.json through the real steps: a coordinator marks the articles,
two analysts code them (draft incidents with evidence) and submit their codings, A first."""

import datetime
import importlib
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.gis.geos import Point

from incidents.common.typology import ActorCategory
from incidents.models import Actor, Article, Evidence, Incident
from incidents.review import double_coding as dc
from incidents.tests.factories import make_source, make_user

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "double_coding" / "articles.json"
CATEGORIES = {"Civilians (Syria)": ActorCategory.CIVILIANS, "Islamic State (Syria)": ActorCategory.REBEL_GROUP}


def define_double_coding_groups():
    """The groups of migrations 0003 and 0016 (live-server tests flush them)."""
    importlib.import_module("incidents.migrations.0003_workflow_groups").define_groups(apps)
    importlib.import_module("incidents.migrations.0016_double_coding").define_groups(apps)


def actor(name):
    if name is None:
        return None
    return Actor.objects.get_or_create(name=name, defaults={
        "category": CATEGORIES.get(name, ActorCategory.STATE_FORCES)})[0]


def code(article, coder, coded):
    """One coder's incident from `article`, as the coding screen makes it (a draft with its quote)."""
    incident = Incident.objects.create(
        status=Incident.Status.DRAFT, coder=coder, date=datetime.date.fromisoformat(coded["date"]),
        event_type=coded["event_type"], sub_event_type=coded["sub_event_type"], actor1=actor(coded["actor1"]),
        actor2=actor(coded["actor2"]), location=coded["location"],
        point=Point(coded["lon"], coded["lat"], srid=4326), fatalities=coded["fatalities"])
    start = article.text.index(coded["quote"])
    Evidence.objects.create(incident=incident, article=article, quote=coded["quote"], start=start,
                            end=start + len(coded["quote"]))
    return incident


def load(coder_a=None, coder_b=None, coordinator=None, submit=True):
    """{key: DoubleCoding} for the fixture's articles, coded by coder_a and coder_b (made if not given)."""
    data = json.loads(FIXTURE.read_text())
    coder_a = coder_a or make_user("coder-a", group="Analyst")
    coder_b = coder_b or make_user("coder-b", group="Analyst")
    coordinator = coordinator or make_user("coordinator", group="Coordinator")
    articles = {a["key"]: Article.objects.create(source=make_source(), title=a["title"], text=a["text"],
                                                 published_on=datetime.date.fromisoformat(a["published_on"]))
                for a in data["articles"]}
    codings = {c.article_id: c for c in dc.mark_articles([a.pk for a in articles.values()], coordinator)}
    result = {}
    for entry in data["articles"]:
        article = articles[entry["key"]]
        for coded in entry["a"]:
            code(article, coder_a, coded)
        for coded in entry["b"]:
            code(article, coder_b, coded)
        coding = codings[article.pk]
        if submit:
            coding = dc.submit_coding(coding, coder_a)
            coding = dc.submit_coding(coding, coder_b)
        result[entry["key"]] = coding
    return result
