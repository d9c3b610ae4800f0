"""Placing an incident: typed coordinates, what a chosen place fills in, and warnings before saving.

Coordinates are read by geopy (decimal degrees "35.3333, 40.1333" or degrees-minutes-seconds
"35°20'N 40°08'E"), latitude first, in Western or Arabic-Indic digits. Distances are geodesic on WGS84 (geopy), in km.
"""

from django.conf import settings
from django.contrib.gis.geos import Point
from geopy.distance import geodesic
from geopy.point import Point as GeoPoint

from incidents.common.numerals import western_digits
from incidents.models import AdminArea

COORDINATES_HELP = ("Latitude first: decimal degrees (35.3333, 40.1333) or degrees-minutes-seconds "
                    "(35°20'N 40°08'E). Filled from the map; typing here moves the point.")


class BadCoordinates(ValueError):
    """The text is not a pair of coordinates; the message says what to type instead."""


def parse_coordinates(text):
    """A Point (lon, lat; SRID 4326) from typed text, or BadCoordinates naming what was wrong."""
    text = (text or "").replace("\x00", "").strip()[:100]
    try:
        # Arabic-Indic digits, the Arabic decimal separator and comma (٣٥٫٣٣، ٤٠٫١٣) read as 35.33, 40.13.
        parsed = GeoPoint.from_string(western_digits(text).replace("\u060c", ","))
    except (ValueError, TypeError):
        raise BadCoordinates(f"“{text}” is not a pair of coordinates. {COORDINATES_HELP}") from None
    latitude, longitude = parsed.latitude, parsed.longitude
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise BadCoordinates(f"“{text}” is out of range: latitude −90…90, longitude −180…180.")
    return Point(longitude, latitude, srid=4326)


def format_coordinates(point):
    """'35.33330, 40.13330' (latitude, longitude; 5 decimals ≈ 1 m) for a Point, '' for None."""
    return "" if point is None else f"{point.y:.5f}, {point.x:.5f}"


def distance_km(a, b):
    """Geodesic distance between two Points (WGS84), in km."""
    return geodesic((a.y, a.x), (b.y, b.x)).km


def from_place(place):
    """The fields a chosen Place fills: point, location, geo precision, governorate and district."""
    return {"point": place.point, "location": place.name, "geo_precision": place.geo_precision,
            "admin1": place.admin1, "admin2": place.admin2}


def location_warnings(point, place=None, areas=()):
    """What to check before saving `point`: far from `place`, or outside one of `areas` (AdminAreas).

    Returns a list of sentences (empty when nothing is odd). The distance is
    settings.PLACE_DISTANCE_WARNING_KM.
    """
    if point is None:
        return []
    warnings = []
    limit = settings.PLACE_DISTANCE_WARNING_KM
    if place is not None:
        km = distance_km(point, place.point)
        if km > limit:
            warnings.append(f"The point is {km:.0f} km from {place.name} (the place chosen); more than "
                            f"{limit} km is unusual. Move the point or choose another place.")
    for area in areas:
        if area is not None and not AdminArea.objects.filter(pk=area.pk, geom__covers=point).exists():
            warnings.append(f"The point is outside {area.name} ({area.get_level_display()} chosen).")
    return warnings
