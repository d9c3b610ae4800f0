"""Checks of an ACLED file against what is stored, run inside the import's transaction before any write:
a refused row names its row and column, and nothing is written (issue 15)."""

from django.db import connection
from django.db.models.functions import Upper

from incidents.intake.acled_checks import ImportRefused, Problem
from incidents.models import AdminArea, Incident

# How far outside every loaded governorate a point may lie (degrees; about 11 km north–south, 9 km
# east–west at Deir ez-Zor's latitude): room for simplified outlines and rounded coordinates (README,
# ACLED import).
OUTSIDE_TOLERANCE_DEGREES = 0.1


def refuse_ids_differing_only_in_case(rows):
    """ImportRefused naming each row whose id equals a stored incident's id except in case (syr901 when
    SYR901 is stored): it would import as a second copy of that event (found by a second attacker
    session). Rows whose id is stored exactly update that incident as before."""
    wanted = {row.event_id_cnty.upper(): row for row in rows if row.event_id_cnty}
    stored = (Incident.objects.annotate(upper_id=Upper("event_id_cnty")).filter(upper_id__in=list(wanted))
              .values_list("event_id_cnty", flat=True))
    problems = [Problem(row.number, row.line, "event_id_cnty", f"“{row.event_id_cnty}” differs only in case from "
                        f"“{known}”, an incident already stored: write its id as stored.")
                for known in stored if (row := wanted[known.upper()]).event_id_cnty != known]
    if problems:
        raise ImportRefused(problems)


def refuse_points_outside_the_boundaries(rows):
    """ImportRefused naming latitude and longitude of each row whose point (degrees WGS84) lies more
    than OUTSIDE_TOLERANCE_DEGREES from every loaded governorate, and saying so when the point with
    latitude and longitude swapped lies inside one: such a row would be mapped in another country
    (before, it was imported and only flagged when it also disagreed with its admin1).

    No check while no governorates are loaded (a database without boundaries maps nothing anyway).
    One statement for the whole file (the outlines' spatial index)."""
    if not rows or not AdminArea.objects.filter(level=1).exists():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.n, EXISTS (SELECT 1 FROM incidents_adminarea a WHERE a.level = 1 AND "
            "ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(p.lat, p.lon), 4326))) "
            "FROM unnest(%s::int[], %s::float8[], %s::float8[]) AS p(n, lon, lat) "
            "WHERE NOT EXISTS (SELECT 1 FROM incidents_adminarea a WHERE a.level = 1 AND "
            "ST_DWithin(a.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), %s)) ORDER BY p.n",
            [[row.number for row in rows], [float(row.longitude) for row in rows],
             [float(row.latitude) for row in rows], OUTSIDE_TOLERANCE_DEGREES])
        outside = cursor.fetchall()
    if not outside:
        return
    by_number = {row.number: row for row in rows}
    problems = []
    for number, swapped_inside in outside:
        row = by_number[number]
        where = f"latitude {row.latitude}, longitude {row.longitude} lies outside every loaded governorate"
        hint = ("; swapped, they would lie inside one: are latitude and longitude the wrong way round?"
                if swapped_inside else ".")
        problems += [Problem(number, row.line, column, where + hint)
                     for column in ("latitude", "longitude")]
    raise ImportRefused(problems)
