"""What the incident form's map needs: the public map's offline layers, and a chosen place's facts.

The admin map draws the same governorate and district outlines and town names as the public map
(static/incidents/map_common.js, /api/boundaries.geojson, /api/places.geojson), so it is usable
without tiles; static/incidents/incident_form.js reads this configuration.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import gettext

from incidents.public.pages import map_config


def incident_map_config():
    """The public map's configuration plus the place-facts URL and the far-point limit (km)."""
    return {**map_config(), "placeFactsUrl": reverse("admin:incidents_place_facts", args=[0]).replace("/0/", "/{id}/"),
            "placeDistanceWarningKm": settings.PLACE_DISTANCE_WARNING_KM,
            # The chosen place's label on the map, in the page's language; the script fills in the name.
            "chosenPlaceLabel": gettext("Chosen place: %(name)s"),
            # Leaflet guesses its marker images' folder from the page URL, which on the admin is wrong.
            "markerImagePath": static("leaflet/images/marker-icon.png").rsplit("/", 1)[0] + "/"}


def place_facts(places, pk):
    """JSON of what choosing Place `pk` among `places` (the places the user may see) fills in: {name,
    lat, lon (degrees WGS84), geo_precision, admin1: {id, text} or null, admin2: likewise}. 404 for an
    unknown or hidden id."""
    place = get_object_or_404(places.select_related("admin1", "admin2").defer(
        "admin1__geom", "admin2__geom"), pk=pk)

    def area(value):
        return {"id": value.pk, "text": value.name} if value else None

    return JsonResponse({"id": place.pk, "name": place.name, "lat": place.point.y, "lon": place.point.x,
                         "geo_precision": place.geo_precision, "admin1": area(place.admin1),
                         "admin2": area(place.admin2)})


class PlaceFactsMixin:
    """For PlaceAdmin: /admin/incidents/place/<id>/facts/ (staff with view permission on places)."""

    def get_urls(self):
        def view(request, pk):
            if not self.has_view_permission(request):
                return JsonResponse({"error": "not allowed"}, status=403)
            return place_facts(self.get_queryset(request), pk)

        return [path("<int:pk>/facts/", self.admin_site.admin_view(view), name="incidents_place_facts"),
                *super().get_urls()]
