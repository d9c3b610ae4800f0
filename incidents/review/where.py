"""Placing an incident: typed coordinates, what a chosen place fills in, and warnings before saving.

Coordinates are decimal degrees ("35.3333, 40.1333", "35.3333 N 40.1333 E") or degrees-minutes-seconds
("35°20'N 40°08'E", "35°20'30\"N, 40°8'15\"E"), latitude first unless N/S and E/W say otherwise, in
any digits a reader types (incidents.common.numerals.western_digits). Anything else is refused,
never guessed: geopy's reader, used before, read "35,33, 40,13" (decimal commas) as 40, 13 and
wrapped a longitude of 400 to 40 (found by an attacker session). Distances are geodesic on WGS84
(geopy), in km.
"""

import re

from django.conf import settings
from django.contrib.gis.geos import Point
from geopy.distance import geodesic

from incidents.common.numerals import western_digits
from incidents.models import AdminArea

COORDINATES_HELP = ("Latitude first: decimal degrees (35.3333, 40.1333) or degrees-minutes-seconds "
                    "(35°20'N 40°08'E). Filled from the map; typing here moves the point.")

_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
# One coordinate: a signed decimal, or degrees° [minutes′ [seconds″]]; a hemisphere before or after.
_ONE = (rf"(?:(?P<pre{{n}}>[NSEWnsew])\s*)?(?P<sign{{n}}>[+-])?(?:(?P<deg{{n}}>{_NUMBER})\s*°\s*(?:(?P<min{{n}}>{_NUMBER})\s*['′]\s*"
        rf"(?:(?P<sec{{n}}>{_NUMBER})\s*[\"″]\s*)?)?|(?P<dec{{n}}>{_NUMBER}))\s*(?(pre{{n}})|(?P<hem{{n}}>[NSEWnsew])?)")
_PAIR = re.compile(rf"\s*{_ONE.format(n=1)}\s*(?:,|\s)\s*{_ONE.format(n=2)}\s*")


class BadCoordinates(ValueError):
    """The text is not a pair of coordinates; the message says what to type instead."""


def _degrees(match, n):
    """(signed degrees, hemisphere letter or '') of coordinate n of a _PAIR match; ValueError for
    minutes or seconds of 60 or more."""
    if match[f"dec{n}"] is not None:
        value = float(match[f"dec{n}"])
    else:
        minutes, seconds = float(match[f"min{n}"] or 0), float(match[f"sec{n}"] or 0)
        if minutes >= 60 or seconds >= 60:
            raise ValueError
        value = float(match[f"deg{n}"]) + minutes / 60 + seconds / 3600
    hemisphere = (match[f"hem{n}"] or match[f"pre{n}"] or "").upper()
    if match[f"sign{n}"] == "-" or hemisphere in ("S", "W"):
        value = -value
    return value, hemisphere


def parse_coordinates(text):
    """A Point (lon, lat; SRID 4326, degrees WGS84) from typed text, or BadCoordinates naming what was
    wrong: not two coordinates, hemispheres that contradict (two latitudes), or out of range
    (latitude −90…90, longitude −180…180: never wrapped)."""
    text = (text or "").replace("\x00", "").strip()[:100]
    # Arabic-Indic digits, the Arabic decimal separator and comma (٣٥٫٣٣، ٤٠٫١٣) read as 35.33, 40.13.
    match = _PAIR.fullmatch(western_digits(text).replace("\u060c", ","))
    try:
        if match is None:
            raise ValueError
        (first, first_hem), (second, second_hem) = _degrees(match, 1), _degrees(match, 2)
    except ValueError:
        raise BadCoordinates(f"“{text}” is not a pair of coordinates. {COORDINATES_HELP}") from None
    if first_hem in "EW" and first_hem and second_hem in ("N", "S", ""):
        first, second = second, first  # "40.13 E, 35.33 N": the letters say which is which
        first_hem, second_hem = second_hem, first_hem
    if first_hem in ("E", "W") or second_hem in ("N", "S"):
        raise BadCoordinates(f"“{text}” gives two latitudes or two longitudes. {COORDINATES_HELP}")
    latitude, longitude = first, second
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
