"""Load governorate and district polygons from the UNHCR GeoJSON files in fixtures/."""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from incidents.common.arabic_names import arabic_area_name
from incidents.common.area_names import DISTRICT_ALIASES, GOVERNORATE_ALIASES
from incidents.common.names import display_name
from incidents.models import AdminArea

BOUNDARY_DIR = Path(settings.BASE_DIR) / "fixtures" / "boundaries"


def as_multipolygon(geometry):
    geom = GEOSGeometry(json.dumps(geometry), srid=4326)
    return geom if geom.geom_type == "MultiPolygon" else MultiPolygon(geom, srid=4326)


def _fill_arabic_name(area):
    """The Arabic name from incidents/common/arabic_names.py, unless an administrator typed one."""
    if not area.name_ar and arabic_area_name(area.pcode):
        area.name_ar = arabic_area_name(area.pcode)
        area.save(update_fields=["name_ar"])


class Command(BaseCommand):
    help = "Load Syria governorates (admin 1) and districts (admin 2) from fixtures/boundaries."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(BOUNDARY_DIR), help="Folder with the two GeoJSON files.")

    @transaction.atomic
    def handle(self, *args, **options):
        folder = Path(options["dir"])
        try:
            adm1 = json.loads((folder / "syr_adm1_governorates_unhcr.geojson").read_text())
            adm2 = json.loads((folder / "syr_adm2_districts_unhcr.geojson").read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read boundary files in {folder}: {error}") from error

        governorates = {}
        for feature in adm1["features"]:
            props = feature["properties"]
            pcode = props["idprogres"]
            aliases = sorted({props.get("admnamealt") or "", *GOVERNORATE_ALIASES.get(pcode, [])} - {""})
            area, _ = AdminArea.objects.update_or_create(
                pcode=pcode,
                defaults={"level": AdminArea.Level.GOVERNORATE, "name": props["admname"],
                          "aliases": aliases, "geom": as_multipolygon(feature["geometry"])},
            )
            governorates[pcode] = area
            _fill_arabic_name(area)

        for feature in adm2["features"]:
            props = feature["properties"]
            # 11 districts have no p-code; give them a stable one from the file's gid.
            pcode = props.get("idprogres") or f"UNHCR-GID-{props['gid']}"
            name = display_name(props["admname"])
            aliases = sorted({display_name(props.get("progresnam") or ""), *DISTRICT_ALIASES.get(pcode, [])}
                             - {"", name})
            district, _ = AdminArea.objects.update_or_create(
                pcode=pcode,
                defaults={"level": AdminArea.Level.DISTRICT, "name": name, "aliases": aliases,
                          "parent": governorates.get(props.get("adm1_idprogres")),
                          "geom": as_multipolygon(feature["geometry"])},
            )
            _fill_arabic_name(district)
        self.stdout.write(f"Loaded {len(adm1['features'])} governorates and {len(adm2['features'])} districts.")
