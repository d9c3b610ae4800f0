"""Load GeoNames populated places (fixtures/gazetteer) into the Place gazetteer."""

import csv
import re
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from incidents.common.arabic_choice import best_arabic_name
from incidents.models import AdminArea, Place
from incidents.models.places import POPULATED_PLACE

GAZETTEER_FILE = Path(settings.BASE_DIR) / "fixtures" / "gazetteer" / "syr_geonames_populated_places.csv"
ARABIC = re.compile(r"[\u0600-\u06ff]")
# GeoNames' column names (https://download.geonames.org/export/dump/readme.txt) plus the UNHCR p-codes.
COLUMNS = ("geonameid", "name", "latitude", "longitude", "alternatenames", "alternatenames_arabic",
           "adm1_idprogres_unhcr", "adm2_idprogres_unhcr")


def problems_in(rows, fieldnames):
    """Every problem of a gazetteer file, as "row N, column C: why" (N counts the header as row 1);
    an empty list when every row can be loaded. Latitude and longitude are degrees WGS84."""
    absent = [name for name in COLUMNS if name not in (fieldnames or [])]
    if absent:
        return [f"missing column(s): {', '.join(absent)}"]
    found = []
    for number, row in enumerate(rows, start=2):
        if None in row or any(value is None for value in row.values()):
            found.append(f"row {number}: the number of cells does not match the header")
            continue
        if not row["geonameid"].strip().isdigit():
            found.append(f"row {number}, column geonameid: {row['geonameid']!r} is not a whole number")
        if not row["name"].strip():
            found.append(f"row {number}, column name: empty")
        for column, limit in (("latitude", 90), ("longitude", 180)):
            try:
                value = float(row[column])
            except ValueError:
                found.append(f"row {number}, column {column}: {row[column]!r} is not a number")
                continue
            if not -limit <= value <= limit:  # also rejects nan
                found.append(f"row {number}, column {column}: {value} is outside ±{limit} degrees")
    return found


class Command(BaseCommand):
    help = "Load or update places from a GeoNames CSV; places already present (by geonameid) keep their own variants."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(GAZETTEER_FILE))

    @transaction.atomic
    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                fieldnames, rows = reader.fieldnames, list(reader)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        problems = problems_in(rows, fieldnames)
        if problems:
            raise CommandError(f"{path.name}: nothing loaded.\n" + "\n".join(problems[:50]))
        areas = dict(AdminArea.objects.values_list("pcode", "id"))
        created = updated = 0
        for row in rows:
            alternates = [name for name in row["alternatenames"].split("|") if name]
            latin = [name for name in alternates if not ARABIC.search(name)]
            arabic = [name for name in row["alternatenames_arabic"].split("|") if name]
            place = Place.objects.filter(geonameid=int(row["geonameid"])).first()
            if place is None:
                place = Place(geonameid=int(row["geonameid"]), name=row["name"], kind=POPULATED_PLACE)
                created += 1
            else:
                updated += 1
            place.variants = sorted(set(place.variants) | set(latin) - {place.name})
            # A name an administrator typed stays; one this file gave is chosen again by today's rule.
            if not place.name_ar or place.name_ar in arabic:
                place.name_ar = best_arabic_name(row["name"], arabic)
            place.point = Point(float(row["longitude"]), float(row["latitude"]), srid=4326)
            place.admin1_id = areas.get(row["adm1_idprogres_unhcr"])
            place.admin2_id = areas.get(row["adm2_idprogres_unhcr"])
            place.save()
        self.stdout.write(f"Gazetteer: {created} places added, {updated} updated, from {path.name}.")
