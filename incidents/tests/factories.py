"""Small factories: each builds one valid object, with overrides for what a test is about."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.gis.geos import Point
from django.db import connection

from incidents.common.typology import ActorCategory
from incidents.models import Actor, Article, Evidence, Incident, Source

_counter = itertools.count(1)

# Deir ez-Zor military airbase: inside Deir ez-Zor governorate and district.
AIRBASE = Point(40.1756, 35.2854, srid=4326)
# Palmyra: Homs governorate, Tadmor district.
PALMYRA = Point(38.28402, 34.5624, srid=4326)


def make_user(username=None, group=None, **fields):
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_counter)}", password="pw-for-tests-only", is_staff=True, **fields
    )
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def make_user_with(*codenames, **fields):
    """A staff user holding exactly these permissions of the incidents app (e.g. "change_incident")."""
    user = make_user(**fields)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="incidents", codename__in=codenames))
    return user


def make_source(name=None):
    return Source.objects.get_or_create(name=name or "Test News")[0]


def make_article(text=None, **fields):
    n = next(_counter)
    fields.setdefault("source", make_source())
    fields.setdefault("title", f"Report {n}")
    return Article.objects.create(text=text or f"Clashes were reported near the airbase, report {n}.", **fields)


def make_actor(name=None, category=ActorCategory.REBEL_GROUP, **fields):
    return Actor.objects.create(name=name or f"Actor {next(_counter)}", category=category, **fields)


def make_incident(status=Incident.Status.APPROVED, **fields):
    fields.setdefault("date", datetime.date(2016, 1, 18))
    fields.setdefault("event_type", "Battles")
    fields.setdefault("sub_event_type", "Armed clash")
    if "actor1" not in fields:
        fields["actor1"] = make_actor()
    fields.setdefault("location", "Deir ez-Zor military airbase")
    fields.setdefault("point", AIRBASE)
    fields.setdefault("fatalities", 0)
    assoc_1 = fields.pop("assoc_actors_1", [])
    assoc_2 = fields.pop("assoc_actors_2", [])
    incident = Incident.objects.create(status=status, **fields)
    incident.assoc_actors_1.set(assoc_1)
    incident.assoc_actors_2.set(assoc_2)
    return incident


def clone_incident(incident, copies, **overrides):
    """`copies` more rows like `incident` (no ACLED id), with `overrides` per column, written by
    PostgreSQL in one INSERT statement (fast at 10^4-10^6 rows, and one statement for the triggers)."""
    columns = [f.column for f in Incident._meta.concrete_fields if f.column not in ("id", "event_id_cnty")]
    values = ", ".join("%s" if column in overrides else column for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO incidents_incident ({', '.join(columns)}) SELECT {values} "
                       "FROM incidents_incident, generate_series(1, %s) WHERE id = %s",
                       [*(overrides[column] for column in columns if column in overrides), copies, incident.pk])


def make_evidence(incident, article=None, quote=None):
    article = article or make_article()
    quote = quote or article.text[:40]
    start = article.text.index(quote)
    return Evidence.objects.create(incident=incident, article=article, quote=quote, start=start,
                                   end=start + len(quote))


def make_unpublished_trio(**fields):
    """One draft, one in-review and one rejected incident: none may ever be public."""
    return [make_incident(status=status, notes=f"UNPUBLISHED-{status}", **fields)
            for status in (Incident.Status.DRAFT, Incident.Status.IN_REVIEW, Incident.Status.REJECTED)]


def edit_incident(incident, user, **fields):
    """An analyst's edit of a stored incident, as the admin saves it: a published one leaves the public site."""
    from incidents.review import workflow
    from incidents.review.locking import save_checked

    current = Incident.objects.get(pk=incident.pk)
    for name, value in fields.items():
        setattr(current, name, value)
    workflow.prepare_edit(current, user, content_changed=True)
    return save_checked(current, current.version)
