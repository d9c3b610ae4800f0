"""Map data as GeoJSON built in PostgreSQL: incidents in the viewport, or grid clusters of them.

A browser cannot usefully draw 100,000 markers, and Python cannot serialise them
quickly. So the map asks for its viewport (bbox=west,south,east,north&zoom=z):
when at most MAX_POINTS incidents fall inside, it gets them as points with every
popup field; otherwise it gets one feature per grid cell (cell size from the
zoom) with counts by event type. Both are one SQL statement whose
json_agg result is passed to the client as text.
"""

import json
import math
from dataclasses import dataclass

from django.contrib.gis.db.models.aggregates import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Count, FloatField, Func, Max, Min, Q, Sum, Value
from django.utils.translation import get_language

from incidents.common.params import BadParameters, one_value, whole_number
from incidents.common.sqljson import json_text
from incidents.common.typology import EventType
from incidents.public import map_cells
from incidents.public.fields import public_rows

# Above this many incidents in the viewport the map gets clusters instead of points.
MAX_POINTS = 1000
# A cluster cell is about this many screen pixels wide (a Web Mercator tile is 256 px).
CLUSTER_CELL_PX = 60
MAX_ZOOM = 20
WORLD = (-180.0, -90.0, 180.0, 90.0)
# Boundary outlines are simplified to about 1 km (governorates) and 500 m (districts):
# plenty for a map that shows them as context, at a tenth of the size.
OUTLINE_TOLERANCE = {1: 0.01, 2: 0.005}
# Decimal places of their coordinates: 0.001° is about 100 m, well inside those tolerances, and a
# fifth fewer bytes than 4 places (25 KB → 20.5 KB gzipped: issue 16 point 10, the first view).
OUTLINE_DECIMALS = 3


@dataclass(frozen=True)
class Viewport:
    bbox: tuple  # west, south, east, north in degrees
    zoom: int

    @property
    def cell_size(self):
        """Cluster cell edge in degrees: CLUSTER_CELL_PX screen pixels at this zoom."""
        return 360.0 / (256 * 2 ** self.zoom) * CLUSTER_CELL_PX

    def boxes(self):
        """One (west, south, east, north) per side of the antimeridian the viewport covers."""
        west, south, east, north = self.bbox
        if east <= 180.0:
            return [self.bbox]
        return [(west, south, 180.0, north), (-180.0, south, east - 360.0, north)]


def _bbox(params):
    """(west, south, east, north) in degrees WGS84 with -180 <= west < 180 and west < east <= west + 360.

    Leaflet reports longitudes beyond ±180 when the user pans onto a repeated copy of the world
    (bbox=-320.5,34.5,-319,35.8): shifted by whole turns onto the real one (39.5,34.5,41,35.8), not
    refused. East may then exceed 180 when the view straddles the antimeridian; in_viewport()
    looks on both sides. Latitudes are clamped to ±90. BadParameters names bbox otherwise.
    """
    raw = one_value(params, "bbox")
    if raw in (None, "") or not raw.strip():
        return WORLD
    try:
        if not raw.isascii():
            raise ValueError(raw)
        west, south, east, north = (float(part) for part in raw.split(","))
    except ValueError:
        raise BadParameters({"bbox": [f"“{raw[:80]}” is not four numbers west,south,east,north."]}) from None
    if not all(math.isfinite(v) and abs(v) < 1e7 for v in (west, south, east, north)):
        raise BadParameters({"bbox": ["Coordinates must be finite numbers of degrees."]})
    south, north = max(south, -90.0), min(north, 90.0)
    if west >= east or south >= north:
        raise BadParameters({"bbox": ["West must be less than east and south less than north."]})
    if east - west >= 360.0:
        return -180.0, south, 180.0, north
    turns = math.floor((west + 180.0) / 360.0)
    west, east = west - 360.0 * turns, east - 360.0 * turns
    return west, south, east, north


def _zoom_for(bbox):
    """The zoom at which the bbox fills a map about 1,000 px wide (for callers that give no zoom)."""
    width = max(bbox[2] - bbox[0], 1e-9)  # a denormal width would make the zoom infinite
    return max(0, min(MAX_ZOOM, int(math.log2(360.0 * 1000 / (256 * width)))))


def parse_viewport(params):
    """bbox and zoom from the query string; BadParameters naming either when unusable."""
    bbox = _bbox(params)
    zoom = whole_number(params, "zoom", default=None, minimum=0, maximum=MAX_ZOOM)
    return Viewport(bbox=bbox, zoom=_zoom_for(bbox) if zoom is None else zoom)


def _coordinate(function):
    return Func("point", function=function, output_field=FloatField())


def _cell_index(expression):
    # floor, not round: a cell at zoom z is then exactly a block of 2**(FINE_ZOOM - z) cells of the
    # fine grid that map_cells.py keeps on write. Double precision, cheap to hash.
    return Func(expression, function="floor", output_field=FloatField())


def _points(queryset, viewport):
    rows = public_rows(queryset).annotate(geometry=AsGeoJSON("point", precision=5))
    return json_text(
        """
        SELECT json_build_object(
            'type', 'FeatureCollection', 'mode', 'points', 'count', count(*),
            'bbox', json_build_array(%s, %s, %s, %s), 'zoom', %s,
            'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', r.id, 'geometry', r.geometry::json,
                'properties', to_jsonb(r) - 'geometry') ORDER BY r.date DESC, r.id DESC), '[]'::json)
        )::text
        FROM ({inner}) r
        """,
        rows, params_before=[*viewport.bbox, viewport.zoom])


def _clusters(queryset, viewport):
    size = viewport.cell_size
    # One GROUP BY cell with a filtered count per event type (there are six): a single-level
    # hash aggregate, where grouping by (cell, event_type) made PostgreSQL sort every row.
    # Counting event_type (never NULL), not id: every column read is in incident_published_map.
    by_type = {f"n_{i}": Count("event_type", filter=Q(event_type=name)) for i, name in enumerate(EventType.values)}
    # The cell as two numbers, grouped by hashing two floats rather than sorting geometries.
    cells = (queryset.order_by()
             .annotate(cell_x=_cell_index(_coordinate("ST_X") / Value(size)),
                       cell_y=_cell_index(_coordinate("ST_Y") / Value(size)))
             .values("cell_x", "cell_y")
             .annotate(n=Count("event_type"), dead=Sum("fatalities"),
                       sum_x=Sum(_coordinate("ST_X")), sum_y=Sum(_coordinate("ST_Y")),
                       # The cell's extent, so a click on the cluster zooms to its incidents (issue 16 point 2).
                       min_x=Min(_coordinate("ST_X")), min_y=Min(_coordinate("ST_Y")),
                       max_x=Max(_coordinate("ST_X")), max_y=Max(_coordinate("ST_Y")), **by_type))
    return clusters_json(cells, viewport)


def clusters_json(cells, viewport, params_after=()):
    """The clusters' FeatureCollection as text from `cells`: a queryset, or (sql, params) of raw SQL,
    with one row per cell and the columns n, dead, sum_x, sum_y, min_x, min_y, max_x, max_y and
    n_0 … n_5 (incidents of each EventType, in EventType order)."""
    type_pairs = ", ".join(f"%s, NULLIF(c.n_{i}, 0)" for i in range(len(EventType.values)))
    # The cluster is drawn at the mean position of its incidents, not the cell corner.
    return json_text(
        f"""
        SELECT json_build_object(
            'type', 'FeatureCollection', 'mode', 'clusters', 'count', coalesce(sum(c.n), 0),
            'bbox', json_build_array(%s, %s, %s, %s), 'zoom', %s, 'cell_size', %s,
            'features', coalesce(json_agg(json_build_object(
                'type', 'Feature',
                'geometry', json_build_object('type', 'Point', 'coordinates', json_build_array(
                    round((c.sum_x / c.n)::numeric, 5), round((c.sum_y / c.n)::numeric, 5))),
                'bbox', json_build_array(round(c.min_x::numeric, 4), round(c.min_y::numeric, 4),
                                         round(c.max_x::numeric, 4), round(c.max_y::numeric, 4)),
                'properties', json_build_object(
                    'cluster', true, 'count', c.n, 'fatalities', c.dead,
                    'event_types', json_strip_nulls(json_build_object({type_pairs})))
            ) ORDER BY c.n DESC), '[]'::json)
        )::text
        FROM ({{inner}}) c
        """,
        cells, params_before=[*viewport.bbox, viewport.zoom, viewport.cell_size, *EventType.values],
        params_after=params_after)


def incident_features(queryset, viewport, unfiltered=False):
    """GeoJSON text: the queryset's incidents inside the viewport, as points or as clusters.

    The FeatureCollection carries "mode" ("points" or "clusters"), "count" (incidents
    in view), "bbox" and "zoom". Point features carry the public fields as properties
    (see public/fields.py); cluster features carry count, fatalities and event_types, and a
    "bbox" (west, south, east, north in degrees, 4 decimals) of their incidents.

    unfiltered: the queryset is all published incidents (no filter in use), so clusters may come
    from the cell counts kept on write (map_cells.py), the same counts without grouping every
    incident in view.
    """
    # The longitude range repeats part of the bbox test so that PostgreSQL can answer from the covering
    # index incident_published_map (migration 0009) without reading the table.
    inside = Q()
    for west, south, east, north in viewport.boxes():
        inside |= Q(point__bboverlaps=Polygon.from_bbox((west, south, east, north)),
                    longitude__gte=west, longitude__lte=east)
    in_view = queryset.alias(longitude=_coordinate("ST_X")).filter(inside)
    if in_view.order_by().values("event_type")[:MAX_POINTS + 1].count() <= MAX_POINTS:
        return _points(in_view, viewport)
    counted = map_cells.cells(queryset, viewport) if unfiltered else None
    if counted is not None:
        return clusters_json(counted, viewport)
    return _clusters(in_view, viewport)


def boundary_outlines():
    """Governorates and districts as simplified GeoJSON text: the map's context without tiles."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', id,
                'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(
                    geom, CASE level WHEN 1 THEN %s ELSE %s END), %s)::json,
                'properties', json_build_object(
                    'name', CASE WHEN %s AND name_ar <> '' THEN name_ar ELSE name END,
                    'level', level, 'pcode', pcode, 'parent_id', parent_id,
                    'label_at', ST_AsGeoJSON(ST_PointOnSurface(geom), %s)::json -> 'coordinates')
            ) ORDER BY level DESC, name), '[]'::json))::text
            FROM incidents_adminarea WHERE level IN (1, 2)
            """,
            # Arabic pages label the map in Arabic where the area has an Arabic name (issue 17).
            [OUTLINE_TOLERANCE[1], OUTLINE_TOLERANCE[2], OUTLINE_DECIMALS, get_language() == "ar",
             OUTLINE_DECIMALS])
        return cursor.fetchone()[0]


def gazetteer_places():
    """GeoNames towns and cities as GeoJSON text, to name places on a map without tiles.

    Only GeoNames entries (reference data); places analysts added while coding stay internal.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(point, 4)::json,
                'properties', json_build_object('name', CASE WHEN %s AND name_ar <> '' THEN name_ar ELSE name END,
                                                'kind', kind)) ORDER BY name), '[]'::json))::text
            FROM incidents_place WHERE geonameid IS NOT NULL
            """, [get_language() == "ar"])
        return cursor.fetchone()[0]


def with_extent(features, queryset):
    """The GeoJSON text `features` with "extent": [west, south, east, north] (degrees, 4 decimals) of
    ALL the queryset's incidents, wherever the viewport is, or null when none match: the map fits it
    when the filters change, so choosing a district far from the view shows its incidents instead of
    "0 incidents in view" beside a table of ten. One ST_Extent over the filtered incidents, asked for
    only then (extent=1), not on every pan."""
    found = queryset.aggregate(extent=Extent("point"))["extent"]
    extent = json.dumps([round(value, 4) for value in found]) if found else "null"
    return '{"extent": ' + extent + ", " + features.lstrip()[1:]
