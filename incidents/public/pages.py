"""Public pages: the dashboard (map, timeline, table) and the incident detail page.

Every queryset starts from Incident.objects.published(): the public never sees drafts,
incidents in review, rejected or merged ones. The filter lives in the query
string, so any view is a link an analyst can paste into a report.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from incidents.common.arabic_names import name_in_reader_language
from incidents.common.params import BadParameters, whole_number
from incidents.common.querystring import link_with
from incidents.common.typology import EVENT_TYPE_COLOURS, SUB_EVENT_TYPES, GeoPrecision, reader_term
from incidents.models import Incident
from incidents.public.cache import cached_for_the_public
from incidents.public.timeouts import statement_timeout
from incidents.public.fields import parse_sort, public_page, public_rows
from incidents.public.filters import IncidentFilter, filtered_incidents, filters_in_use, public_incidents
from incidents.public.table_rows import table_rows
from incidents.public.timeline import parse_interval, timeline
from incidents.public.timeline_chart import chart
from incidents.public.timeline_counts import counted_rows

ROWS_PER_PAGE = 50
# Filters drawn as lists of boxes to tick (several values each), and those long enough to scroll.
MULTI_FIELDS = ("event_type", "sub_event_type", "governorate", "district", "time_precision", "geo_precision")
LONG_LISTS = ("sub_event_type", "governorate", "district")
# The table's sortable columns (fields.SORTS), each with the direction a first click gives.
SORTABLE_COLUMNS = (("date", _("Date"), "-date"), ("event_type", _("Event"), "event_type"),
                    ("actors", _("Actors"), "actors"), ("place", _("Place"), "place"),
                    ("fatalities", _("Fatalities"), "-fatalities"))
# The dashboard's CSV link asks for a byte-order mark, so Excel opens it as UTF-8 and Arabic place names
# stay readable (issue 16 point 9); scripts use the plain URL without bom=1 (docs/public-api.md).
EXPORTS = (("CSV", "export-incidents-csv", "bom=1"), ("GeoJSON", "export-incidents-geojson", ""))
# How far an approximately placed incident may be from its point, drawn as a circle (metres).
UNCERTAINTY_RADIUS_M = {GeoPrecision.DISTRICT: 5_000, GeoPrecision.GOVERNORATE: 50_000}


def filter_query(params):
    """Only the filter's own parameters (no page, sort or interval): what exports and the map need."""
    kept = QueryDict(mutable=True)
    for name in IncidentFilter.base_filters:
        values = [v for v in params.getlist(name) if v != ""]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def export_links(query):
    """Links to the export of exactly this view, one per format."""
    links = []
    for label, name, extra in EXPORTS:
        parameters = "&".join(part for part in (query, extra) if part)
        links.append({"label": label, "url": f"{reverse(name)}?{parameters}" if parameters else reverse(name)})
    return links


def _sort_links(params, current):
    """Each sortable column's header link: the first click sorts it its usual way, the next reverses."""
    links = []
    for key, label, first in SORTABLE_COLUMNS:
        direction = None
        if current.removeprefix("-") == key:
            direction = "descending" if current.startswith("-") else "ascending"
            target = key if current.startswith("-") else f"-{key}"
        else:
            target = first
        links.append({"key": key, "label": label, "href": link_with(params, sort=target, order=None),
                      "direction": direction})
    return links


def _table_page(queryset, params, total):
    sort, order = parse_sort(params)
    number = whole_number(params, "page", default=1, minimum=1)
    paginator = Paginator(queryset, ROWS_PER_PAGE)
    paginator.count = total  # the timeline has already counted these incidents: no second COUNT(*)
    if number > paginator.num_pages:
        raise BadParameters({"page": [f"There is no page {number}: this view has {paginator.num_pages}."]})
    page = paginator.page(number)
    links = {
        "columns": _sort_links(params, sort),
        "previous": link_with(params, page=page.previous_page_number()) if page.has_previous() else None,
        "next": link_with(params, page=page.next_page_number()) if page.has_next() else None,
    }
    rows = public_page(queryset, order, (number - 1) * ROWS_PER_PAGE, ROWS_PER_PAGE)
    return page, list(rows), links


def map_config():
    return {
        "center": settings.LEAFLET_CONFIG["DEFAULT_CENTER"],
        "zoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
        "minZoom": settings.LEAFLET_CONFIG["MIN_ZOOM"],
        "maxZoom": settings.LEAFLET_CONFIG["MAX_ZOOM"],
        "tilesUrl": settings.MAP_TILES_URL,
        "tilesAttribution": settings.MAP_TILES_ATTRIBUTION,
        "featuresUrl": reverse("api-incidents-geojson"),
        "outlinesUrl": reverse("api-boundaries-geojson"),
        "placesUrl": reverse("api-places-geojson"),
        "detailUrl": reverse("incident-detail", args=[0]).replace("/0/", "/{id}/"),
        "colours": EVENT_TYPE_COLOURS,
        "uncertaintyRadius": {int(k): v for k, v in UNCERTAINTY_RADIUS_M.items()},
        # ACLED's event and sub-event types in the page's language, for the popups (the data keeps ACLED's).
        "terms": {term: str(reader_term(term)) for event_type, subs in SUB_EVENT_TYPES.items()
                  for term in (event_type, *subs)},
        "subEventTypes": {event_type: list(subs) for event_type, subs in SUB_EVENT_TYPES.items()},
    }


@cached_for_the_public
@statement_timeout
def dashboard(request):
    context = {"map_config": map_config(), "radius_km": {k: v // 1000 for k, v in UNCERTAINTY_RADIUS_M.items()},
               "multi_fields": MULTI_FIELDS, "long_lists": LONG_LISTS}
    try:
        incident_filter = filtered_incidents(request.GET)
        interval = parse_interval(request.GET)
        queryset = incident_filter.qs
        data = incident_filter.form.cleaned_data
        buckets = timeline(counted_rows(incident_filter), interval, data.get("date_from"), data.get("date_to"))
        page, rows, table_links = _table_page(queryset, request.GET, buckets["totals"]["incidents"])
    except BadParameters as bad:
        context.update(form=public_incidents(request.GET).form, errors=bad.errors)
        return render(request, "incidents/public/dashboard.html", context, status=400)
    query = filter_query(request.GET)
    context.update(
        form=incident_filter.form, totals=buckets["totals"], chart=chart(buckets, request.GET),
        page=page, rows=rows, table_rows=table_rows(rows), table_links=table_links, query=query,
        exports=export_links(query), filtered=bool(query), embed_url=embed_url(query),
        active_filters=len(filters_in_use(incident_filter.form.cleaned_data)),
    )
    return render(request, "incidents/public/dashboard.html", context)


def _published_successor(incident):
    """The published incident a merged one now lives on in, following merges a few steps."""
    for _ in range(5):
        incident = incident.merged_into
        if incident is None:
            return None
        if Incident.objects.published().filter(pk=incident.pk).exists():
            return incident
    return None


def embed_url(query):
    """The embed view's address (incidents/public/embed.py) for a filter query string without "?",
    from SITE_URL like every address given out to be pasted elsewhere; None while no partner site may
    frame it (EMBED_FRAME_ANCESTORS empty), since the code would show every visitor a refused frame."""
    if not settings.EMBED_FRAME_ANCESTORS:
        return None
    url = settings.SITE_URL.rstrip("/") + reverse("embed")
    return f"{url}?{query}" if query else url


def permalink(pk):
    """The incident page's address to cite, from the SITE_URL setting (README, Configuration), never
    from the request's Host header, which anyone can set and the public cache would keep."""
    return settings.SITE_URL.rstrip("/") + reverse("incident-detail", args=[pk])


@cached_for_the_public
@statement_timeout
def incident_detail(request, pk):
    row = public_rows(Incident.objects.published().filter(pk=pk)).first()
    if row is None:
        gone = Incident.objects.filter(pk=pk).select_related("merged_into").first()
        # Only a link the public could have had may lead on: a never-published draft merged into a
        # published incident is a 404 like any other unpublished id (issue 15 point 13).
        successor = gone and gone.published_at and _published_successor(gone)
        if successor:
            return redirect(successor)  # a merged incident's link keeps working
        if gone and gone.withdrawal_reason:
            # Under review it comes back (a newcomer read "should no longer rely on it" for a typo fix): not
            # Gone, which tells caches and scripts it is gone for good.
            under_review = gone.withdrawal_reason == "under review"
            return render(request, "incidents/public/incident_withdrawn.html",
                          {"pk": pk, "withdrawn_at": gone.withdrawn_at, "under_review": under_review},
                          status=404 if under_review else 410)
        return render(request, "incidents/public/incident_missing.html", {"pk": pk}, status=404)
    incident = Incident.objects.select_related("place").get(pk=pk)
    evidence = incident.evidence.select_related("article__source").order_by("article__published_on", "article_id",
                                                                             "start")
    # The place in the reader's language where the incident's location is its place's name (a newcomer
    # read "… في Al Buşayrah" beside the map's البصيرة); a location written otherwise stays as coded.
    place = incident.place
    named_as_place = place is not None and row["location"] == place.name
    location = name_in_reader_language(place) if named_as_place else row["location"]
    feature = {"type": "Feature", "id": pk, "geometry": {"type": "Point", "coordinates": list(incident.point.coords)},
               "properties": row}
    return render(request, "incidents/public/incident_detail.html", {
        "incident": row, "location": location, "evidence": evidence, "map_config": map_config(), "feature": feature,
        "radius_km": {k: v // 1000 for k, v in UNCERTAINTY_RADIUS_M.items()},
        "permalink": permalink(pk),
    })
