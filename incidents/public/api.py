"""Public JSON: map features, timeline buckets, a paginated incident list and boundary outlines.

Each endpoint filters with the dashboard's FilterSet (same query string, same
incidents) and answers bad parameters with HTTP 400 naming them. The JSON is
built by PostgreSQL (see sqljson) except the timeline, whose few buckets are
assembled in Python from SQL counts.
"""

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from incidents.common.params import BadParameters, json_400_on_bad_parameters, whole_number
from incidents.common.sqljson import json_text
from incidents.models import AdminArea, Place
from incidents.public import mapdata
from incidents.public.cache import cached_for_the_public
from incidents.public.fields import public_page
from incidents.public.filters import filtered_incidents
from incidents.public.timeline import parse_interval, timeline
from incidents.public.timeline_counts import counted_rows

GEOJSON = "application/geo+json"
MAX_PAGE_SIZE = 500


@cached_for_the_public
@require_GET
@json_400_on_bad_parameters
def incidents_geojson(request):
    """The filtered incidents in the viewport (bbox, zoom): points, or grid clusters when there are many."""
    queryset = filtered_incidents(request.GET).qs
    viewport = mapdata.parse_viewport(request.GET)
    return HttpResponse(mapdata.incident_features(queryset, viewport), content_type=GEOJSON)


@cached_for_the_public
@require_GET
@json_400_on_bad_parameters
def timeline_json(request):
    incident_filter = filtered_incidents(request.GET)
    data = incident_filter.form.cleaned_data
    return JsonResponse(timeline(counted_rows(incident_filter), parse_interval(request.GET),
                                 data.get("date_from"), data.get("date_to")))


@cached_for_the_public
@require_GET
@json_400_on_bad_parameters
def incidents_json(request):
    """The filtered incidents with the table's fields, newest first, one page at a time."""
    queryset = filtered_incidents(request.GET).qs
    size = whole_number(request.GET, "page_size", default=50, minimum=1, maximum=MAX_PAGE_SIZE)
    number = whole_number(request.GET, "page", default=1, minimum=1)
    total = queryset.count()
    pages = max(1, -(-total // size))
    if number > pages:
        raise BadParameters({"page": [f"There is no page {number}: this query has {pages}."]})
    rows = public_page(queryset, ("-date", "-id"), (number - 1) * size, size)
    body = json_text(
        """
        SELECT json_build_object('count', %s, 'page', %s, 'pages', %s, 'page_size', %s,
            'results', coalesce(json_agg(to_jsonb(r) ORDER BY r.date DESC, r.id DESC), '[]'::json))::text
        FROM ({inner}) r
        """, rows, params_before=[total, number, pages, size])
    return HttpResponse(body, content_type="application/json")


def _reference_geojson(model, build):
    """Reference layers change only when a loader runs: cache them, keyed on the table's state."""
    state = model.objects.aggregate(n=Count("id"), last=Max("id"))
    key = f"{model._meta.label_lower}-geojson:{state['n']}:{state['last']}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, 24 * 3600)
    response = HttpResponse(body, content_type=GEOJSON)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def boundaries_geojson(request):
    """Simplified governorate and district outlines, with a point inside each for its label."""
    return _reference_geojson(AdminArea, mapdata.boundary_outlines)


@require_GET
def places_geojson(request):
    """GeoNames towns and cities, to name places when map tiles cannot load."""
    return _reference_geojson(Place, mapdata.gazetteer_places)
