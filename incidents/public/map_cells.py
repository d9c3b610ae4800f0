"""The unfiltered map's clusters from the cell counts kept on write (MapCellCount, migration 0028).

Grouping every published incident in view by grid cell read ~400,000 rows for the first view at a
million incidents (222 ms; issue 18 target 2). The fine grid's counts are kept per cell at
FINE_ZOOM; a cluster cell at zoom z <= FINE_ZOOM is a block of 2**(FINE_ZOOM - z) by as many fine
cells (mapdata floors, so blocks nest exactly). The viewport splits into the fine cells wholly
inside it, read from the counts, and a rim narrower than a fine cell along each side, whose
incidents are grouped as before: so the counts are exactly those of mapdata._clusters. Only a
cluster's "bbox" differs: a block of fine cells' outline rather than its incidents' extent (never
more than a fine cell, ~2.3 km, larger on a side), since an extent cannot be kept as deltas.
"""

import math

from django.contrib.gis.geos import Polygon
from django.db.models import F, FloatField, Func, IntegerField, Value
from django.db.models.functions import Cast

from incidents.common.sqljson import sql_with_params
from incidents.common.typology import EventType

FINE_ZOOM = 12
# A whisker of a fine cell: the interior keeps this far inside the viewport, so floating-point
# rounding of a point on its edge can never put an outside incident in an interior cell.
MARGIN = 1e-6


def _index(function, size):
    return Cast(Func(Func("point", function=function, output_field=FloatField()) / Value(size),
                     function="floor", output_field=FloatField()), IntegerField())


def _interior(west, south, east, north, size):
    """(ix_lo, iy_lo, ix_hi, iy_hi): the fine cells wholly inside the box, or None when none is."""
    ix_lo, iy_lo = math.floor(west / size + MARGIN) + 1, math.floor(south / size + MARGIN) + 1
    ix_hi, iy_hi = math.floor(east / size - MARGIN) - 1, math.floor(north / size - MARGIN) - 1
    if ix_lo > ix_hi or iy_lo > iy_hi:
        return None
    return ix_lo, iy_lo, ix_hi, iy_hi


def _rim(published, box, interior, size):
    """The incidents in the box outside the interior cells, one row each as the cell rows' columns:
    four strips inside the box (left, right, bottom, top), disjoint by fine cell. Each is a scan of
    its own strip only: no condition on the whole box's longitudes, which drew PostgreSQL into
    reading every incident in view from incident_published_map (180 ms)."""
    west, south, east, north = box
    ix_lo, iy_lo, ix_hi, iy_hi = interior
    pad = size * MARGIN * 4
    inner_west, inner_east = max(west, ix_lo * size - pad), min(east, (ix_hi + 1) * size + pad)
    rows = published.order_by().alias(fx=_index("ST_X", size), fy=_index("ST_Y", size),
                                      longitude=Func("point", function="ST_X", output_field=FloatField()))
    # For a point, && a box is "inside it, edges included", as mapdata.incident_features' test.
    strips = [
        rows.filter(point__bboverlaps=Polygon.from_bbox((west, south, min(east, ix_lo * size + pad), north)),
                    longitude__gte=west, longitude__lte=min(east, ix_lo * size + pad), fx__lt=ix_lo),
        rows.filter(point__bboverlaps=Polygon.from_bbox((max(west, (ix_hi + 1) * size - pad), south, east, north)),
                    longitude__gte=max(west, (ix_hi + 1) * size - pad), longitude__lte=east, fx__gt=ix_hi),
        rows.filter(point__bboverlaps=Polygon.from_bbox((inner_west, south, inner_east,
                                                         min(north, iy_lo * size + pad))),
                    fx__gte=ix_lo, fx__lte=ix_hi, fy__lt=iy_lo),
        rows.filter(point__bboverlaps=Polygon.from_bbox((inner_west, max(south, (iy_hi + 1) * size - pad),
                                                         inner_east, north)),
                    fx__gte=ix_lo, fx__lte=ix_hi, fy__gt=iy_hi),
    ]
    x = Func("point", function="ST_X", output_field=FloatField())
    y = Func("point", function="ST_Y", output_field=FloatField())
    parts = [sql_with_params(strip.annotate(cx=F("fx"), cy=F("fy"), n=Value(1), f=F("fatalities"), sx=x, sy=y,
                                            lo_x=x, lo_y=y, hi_x=x, hi_y=y)
                             .values("cx", "cy", "event_type", "n", "f", "sx", "sy", "lo_x", "lo_y", "hi_x", "hi_y"))
             for strip in strips]
    return " UNION ALL ".join(f"({sql})" for sql, _ in parts), [p for _, params in parts for p in params]


def cells(published, viewport):
    """(sql, params) of the clusters' cell rows for mapdata.clusters_json, or None when the counts
    cannot answer (zoom finer than FINE_ZOOM, a view across the antimeridian, or no whole fine cell
    in view). `published`: Incident.objects.published() with no filter, the viewport not yet applied."""
    boxes = viewport.boxes()
    if viewport.zoom > FINE_ZOOM or len(boxes) != 1:
        return None
    size = viewport.cell_size * 2 ** (viewport.zoom - FINE_ZOOM)  # the fine cell: exact, powers of two
    interior = _interior(*boxes[0], size)
    if interior is None:
        return None
    rim_sql, rim_params = _rim(published, boxes[0], interior, size)
    shift = FINE_ZOOM - viewport.zoom
    by_type = ", ".join(f"sum(n) FILTER (WHERE event_type = %s) AS n_{i}" for i in range(len(EventType.values)))
    sql = f"""
        SELECT sum(n) AS n, sum(f) AS dead, sum(sx) AS sum_x, sum(sy) AS sum_y, min(lo_x) AS min_x,
               min(lo_y) AS min_y, max(hi_x) AS max_x, max(hi_y) AS max_y, {by_type}
        FROM (
            SELECT cell_x AS cx, cell_y AS cy, event_type, sum(incidents) AS n, sum(fatalities) AS f,
                   sum(sum_x) AS sx, sum(sum_y) AS sy, cell_x * %s AS lo_x, cell_y * %s AS lo_y,
                   (cell_x + 1) * %s AS hi_x, (cell_y + 1) * %s AS hi_y
            FROM incidents_mapcellcount
            WHERE cell_x BETWEEN %s AND %s AND cell_y BETWEEN %s AND %s
            GROUP BY cell_x, cell_y, event_type HAVING sum(incidents) > 0
            UNION ALL {rim_sql}
        ) u
        GROUP BY cx >> {shift}, cy >> {shift}"""
    ix_lo, iy_lo, ix_hi, iy_hi = interior
    return sql, [*EventType.values, size, size, size, size, ix_lo, ix_hi, iy_lo, iy_hi, *rim_params]
