"""Public JSON: map features, timeline buckets, a paginated incident list and boundary outlines.

Each endpoint filters with the dashboard's FilterSet (same query string, same
incidents) and answers bad parameters with HTTP 400 naming them. The JSON is
built by PostgreSQL (see sqljson) except the timeline, whose few buckets are
assembled in Python from SQL counts.
"""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from incidents.common.params import BadParameters, json_400_on_bad_parameters, one_value, whole_number
from incidents.common.shared_cache import cache_get, cache_set
from incidents.common.sqljson import json_text
from incidents.models import Actor, AdminArea, Place
from incidents.public import mapdata
from incidents.public.cache import cached_for_the_public
from incidents.public.timeouts import statement_timeout
from incidents.public.fields import public_page
from incidents.public.filters import filtered_incidents, filters_in_use, published_actor_counts
from incidents.public.search import actors_named
from incidents.public.timeline import parse_interval, timeline
from incidents.public.timeline_counts import counted_rows

GEOJSON = "application/geo+json"
MAX_PAGE_SIZE = 500
MAX_TERM = 200  # characters of an actor search used; names are far shorter


@cached_for_the_public
@statement_timeout
@require_safe
@json_400_on_bad_parameters
def incidents_geojson(request):
    """The filtered incidents in the viewport (bbox, zoom): points, or grid clusters when there are many."""
    incident_filter = filtered_incidents(request.GET)
    queryset = incident_filter.qs
    viewport = mapdata.parse_viewport(request.GET)
    unfiltered = not filters_in_use(incident_filter.form.cleaned_data)
    features = mapdata.incident_features(queryset, viewport, unfiltered=unfiltered)
    if one_value(request.GET, "extent") == "1":  # the filters changed: where are all their incidents?
        features = mapdata.with_extent(features, queryset)
    return HttpResponse(features, content_type=GEOJSON)


@cached_for_the_public
@statement_timeout
@require_safe
@json_400_on_bad_parameters
def timeline_json(request):
    incident_filter = filtered_incidents(request.GET)
    data = incident_filter.form.cleaned_data
    return JsonResponse(timeline(counted_rows(incident_filter), parse_interval(request.GET),
                                 data.get("date_from"), data.get("date_to")))


@cached_for_the_public
@statement_timeout
@require_safe
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


@cached_for_the_public
@statement_timeout
@require_safe
@json_400_on_bad_parameters
def actors_json(request):
    """The dashboard's actor picker: actors of published incidents whose name or alias `q` names in
    any spelling (search.actors_named), best first, at most 20, each with its number of published
    incidents; without `q`, the 20 named in most incidents. Shape: {"results": [{"id", "name",
    "aliases", "incidents"}]}."""
    term = (one_value(request.GET, "q") or "").replace("\x00", "")[:MAX_TERM].strip()
    counts = dict(published_actor_counts().values_list("actor_id", "named"))
    if term:
        ids = actors_named(term, counts)
    else:
        ids = sorted(counts, key=lambda pk: (-counts[pk], pk))[:20]
    actors = {actor.pk: actor for actor in Actor.objects.filter(pk__in=ids)}
    results = [{"id": pk, "name": actors[pk].name, "aliases": actors[pk].aliases, "incidents": counts[pk]}
               for pk in ids if pk in actors]
    return JsonResponse({"results": results})


def _content_digest(model):
    """A digest of every column of the table's rows, geometry included: any rename, reshape or
    re-parenting changes it (the row count and highest id did not, so a renamed governorate stayed
    stale for a day: issue 15 point 15). Cheap: these tables hold hundreds of rows."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT md5(coalesce(string_agg(md5(t::text), '' ORDER BY t.id), '')) FROM {table} t")
        return cursor.fetchone()[0]


def _reference_geojson(request, model, build):
    """Reference layers change only when a loader or an administrator edits them: cached under a
    digest of their content, so an edit shows at once."""
    digest = _content_digest(model)
    etag = f'"{get_language()}-{digest}"'  # names differ by language (issue 17)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        key = f"{model._meta.label_lower}-geojson:{get_language()}:{digest}"
        body = cache_get(key)
        if body is None:
            body = build()
            cache_set(key, body, 24 * 3600)
        response = HttpResponse(body, content_type=GEOJSON)
    # Browsers revalidate every time (a 304 costs a few bytes) rather than keep an old outline for an hour.
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return response


@statement_timeout
@require_safe
def boundaries_geojson(request):
    """Simplified governorate and district outlines, with a point inside each for its label."""
    return _reference_geojson(request, AdminArea, mapdata.boundary_outlines)


@statement_timeout
@require_safe
def places_geojson(request):
    """GeoNames towns and cities, to name places when map tiles cannot load."""
    return _reference_geojson(request, Place, mapdata.gazetteer_places)
