"""Find actors, places and administrative areas by any spelling, for imports.

Exact names win; otherwise a spelling-insensitive key (incidents.common.names.name_key)
of the name or any alias finds "Deir ez Zor" for "Deir Ez-Zor". Everything is
loaded once into memory, so matching 5,000 rows costs no queries per row.
"""

import math

from django.contrib.gis.geos import Point
from django.db import connection
from simple_history.utils import bulk_create_with_history

from incidents.common.names import name_key
from incidents.models import Actor, AdminArea, Place

NEW_FROM_IMPORT = "Added by an ACLED import"

NEARBY_KM = 10  # two places of one name further apart than this are different places ("Jasim")


class NameIndex:
    """Objects by exact name first, then by the name_key of their name or any alias."""

    def __init__(self):
        self.exact, self.by_key = {}, {}

    def add(self, obj, *names):
        for name in names:
            if name:
                self.exact.setdefault(name, obj)
                self.by_key.setdefault(name_key(name), obj)

    def find(self, name):
        return self.exact.get(name) or self.by_key.get(name_key(name))


class ActorDirectory:
    """Actors by name or alias; unknown names become new actors (saved by `save_new`)."""

    def __init__(self):
        self.index = NameIndex()
        for actor in Actor.objects.all():
            self.index.add(actor, actor.name, *actor.aliases)
        self.new, self.other_spellings = [], {}

    def get(self, name, category):
        actor = self.index.find(name)
        if actor is None:
            actor = Actor(name=name, category=category)
            self.new.append(actor)
            self.index.add(actor, name)
        elif name != actor.name and name not in actor.aliases:
            if actor.pk is None:  # an actor this file creates: its spellings are part of it
                actor.aliases = [*actor.aliases, name]
                self.index.add(actor, name)
            else:
                # An existing actor is reference data the public search reads: a file (one analyst)
                # does not change it; the spelling is reported for a reviewer to add as an alias.
                self.other_spellings.setdefault(actor.name, set()).add(name)
        return actor

    def save_new(self):
        # With history from now: ?as_of= of an earlier moment must not find them (an attacker session
        # changed an old answer by importing a name; rows without history count as always there).
        bulk_create_with_history(self.new, Actor, default_change_reason=NEW_FROM_IMPORT)
        return len(self.new)


class AreaDirectory:
    """Governorates by name or alias; districts by name or alias within their governorate."""

    def __init__(self):
        self.governorates = NameIndex()
        self.districts = {}  # governorate id -> NameIndex
        for area in AdminArea.objects.filter(level__in=[1, 2]).only("id", "level", "name", "aliases", "parent"):
            if area.level == AdminArea.Level.GOVERNORATE:
                self.governorates.add(area, area.name, *area.aliases)
            else:
                self.districts.setdefault(area.parent_id, NameIndex()).add(area, area.name, *area.aliases)

    def governorate(self, name):
        return self.governorates.find(name) if name else None

    def district(self, name, governorate):
        if not name or governorate is None:
            return None
        return self.districts.get(governorate.pk, NameIndex()).find(name)


def areas_at_points(points):
    """For each (longitude, latitude), the covering area id of each level: [{1: id, 2: id}, ...].

    One statement for the whole file; like incidents.models.places.areas_containing, the lowest id
    wins where areas overlap.
    """
    if not points:
        return []
    longitudes, latitudes = zip(*points)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.n, a.level, min(a.id)
            FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(lon, lat, n)
            JOIN incidents_adminarea a ON ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
            GROUP BY p.n, a.level
            """,
            [list(longitudes), list(latitudes)],
        )
        found = [{} for _ in points]
        for number, level, area_id in cursor.fetchall():
            found[number - 1][level] = area_id
    return found


def _km(a, b):
    """Rough distance in km between two (longitude, latitude) pairs: plenty for 'the same town?'."""
    mean_lat = math.radians((a[1] + b[1]) / 2)
    return 111.2 * math.hypot((a[0] - b[0]) * math.cos(mean_lat), a[1] - b[1])


class PlaceDirectory:
    """Gazetteer places by name or variant, the nearest one within NEARBY_KM of the point."""

    def __init__(self):
        self.by_key = {}
        for place in Place.objects.only("id", "name", "variants", "point"):
            self._add(place, place.name, *place.variants)
        self.new = []

    def _add(self, place, *names):
        for key in {name_key(name) for name in names if name}:
            self.by_key.setdefault(key, []).append(place)

    def get(self, name, lon_lat, **fields):
        candidates = [(p, _km((p.point.x, p.point.y), lon_lat)) for p in self.by_key.get(name_key(name), [])]
        near = [(distance, p.pk or 0, p) for p, distance in candidates if distance <= NEARBY_KM]
        if near:
            return min(near, key=lambda item: item[:2])[2]
        # Unlisted, as a place added in the admin: it reaches the public map when an approved incident uses
        # it (Place.objects.public()), not on the importer's word alone (found by an attacker session).
        place = Place(name=name, point=Point(*lon_lat, srid=4326), listed=False, **fields)
        self.new.append(place)
        self._add(place, name)
        return place

    def save_new(self):
        bulk_create_with_history(self.new, Place, default_change_reason=NEW_FROM_IMPORT)  # as actors: as_of
        return len(self.new)
