"""What a proposed geometry change does, measured by PostGIS on the sphere: a point's move in km; an
outline's area before and after, the area that changes sides (the symmetric difference of the two
outlines), and how many places move into or out of it (for an admin area: change district). A
reviewer reads this instead of two descriptions of "an outline of 1798 points" that look the same."""

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incidents.models import Place

KM2 = 1e6


def measured(before, after):
    """Words saying how geometry `before` becomes `after` (GEOS geometries in SRID 4326), or ""."""
    if before is None or after is None:
        return ""
    with connection.cursor() as cursor:
        if before.geom_type == "Point" and after.geom_type == "Point":
            cursor.execute("SELECT ST_Distance(ST_GeomFromEWKT(%s)::geography, ST_GeomFromEWKT(%s)::geography)",
                           [before.ewkt, after.ewkt])
            return _("Moved %(km).2f km.") % {"km": cursor.fetchone()[0] / 1000}
        cursor.execute(
            f"""
            WITH g AS (SELECT ST_GeomFromEWKT(%s) AS a, ST_GeomFromEWKT(%s) AS b)
            SELECT ST_Area(a::geography) / {KM2}, ST_Area(b::geography) / {KM2},
                   ST_Area(ST_SymDifference(a, b)::geography) / {KM2},
                   (SELECT count(*) FROM {Place._meta.db_table} p
                     WHERE p.point && ST_Envelope(ST_Collect(a, b)) AND ST_Covers(a, p.point) <> ST_Covers(b, p.point))
            FROM g
            """, [before.ewkt, after.ewkt])
        area_before, area_after, changed, places = cursor.fetchone()
    text = _("Area %(before).2f km² → %(after).2f km²; %(changed).2f km² change sides (in one outline, not "
             "the other).") % {"before": area_before, "after": area_after, "changed": changed}
    return text + " " + ngettext("%(count)d place moves into or out of it.",
                                 "%(count)d places move into or out of it.", places) % {"count": places}
