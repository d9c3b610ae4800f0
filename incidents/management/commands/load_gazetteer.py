"""Load GeoNames populated places (fixtures/gazetteer) into the Place gazetteer."""

import csv
import re
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from incidents.models import AdminArea, Place

GAZETTEER_FILE = Path(settings.BASE_DIR) / "fixtures" / "gazetteer" / "syr_geonames_populated_places.csv"
ARABIC = re.compile(r"[\u0600-\u06ff]")


class Command(BaseCommand):
    help = "Load or update places from a GeoNames CSV; places already present (by geonameid) keep their own variants."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(GAZETTEER_FILE))

    @transaction.atomic
    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            rows = list(csv.DictReader(path.open(encoding="utf-8")))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        areas = dict(AdminArea.objects.values_list("pcode", "id"))
        created = updated = 0
        for row in rows:
            alternates = [name for name in row["alternatenames"].split("|") if name]
            latin = [name for name in alternates if not ARABIC.search(name)]
            arabic = [name for name in row["alternatenames_arabic"].split("|") if name]
            place = Place.objects.filter(geonameid=int(row["geonameid"])).first()
            if place is None:
                place = Place(geonameid=int(row["geonameid"]), name=row["name"], kind="populated place")
                created += 1
            else:
                updated += 1
            place.variants = sorted(set(place.variants) | set(latin) - {place.name})
            place.name_ar = place.name_ar or (arabic[0] if arabic else "")
            place.point = Point(float(row["longitude"]), float(row["latitude"]), srid=4326)
            place.admin1_id = areas.get(row["adm1_idprogres_unhcr"])
            place.admin2_id = areas.get(row["adm2_idprogres_unhcr"])
            place.save()
        self.stdout.write(f"Gazetteer: {created} places added, {updated} updated, from {path.name}.")
