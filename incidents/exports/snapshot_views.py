"""Snapshot pages: "Cite this view" (confirm, then a CSRF-protected POST), the citation page, its files."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST, require_safe

from incidents.common.params import BadParameters, one_value
from incidents.exports import snapshots
from incidents.exports.as_of import AsOfBusy, iso_utc
from incidents.exports.incidents import PublicExport
from incidents.exports.snapshots import filter_in_words
from incidents.exports.views import CSV, GEOJSON, get_or_head, then
from incidents.models import Snapshot
from incidents.public.pages import filter_query


def _client(request):
    return snapshots.client_key(get_client_ip_address(request))


def _throttled(request, wait, status=429):
    response = render(request, "incidents/public/snapshot_new.html", {"wait_minutes": max(1, -(-wait // 60))},
                      status=status)
    response["Retry-After"] = str(wait)
    return response


def _bad_filter(request, errors):
    """The confirm page with the bad parameters named: these are pages a reader opens, not feeds."""
    return render(request, "incidents/public/snapshot_new.html", {"errors": errors}, status=400)


@require_safe
def snapshot_new(request):
    """What "Cite this view" will freeze, with the button that does it. Its own page because the
    dashboard is cached for everyone and so cannot carry a visitor's CSRF token."""
    try:
        query = filter_query(QueryDict(one_value(request.GET, "query") or ""))
        words = filter_in_words(PublicExport(QueryDict(query)).filter)
    except BadParameters as bad:
        return _bad_filter(request, bad.errors)
    current = reverse("dashboard") + (f"?{query}" if query else "")
    return render(request, "incidents/public/snapshot_new.html",
                  {"query": query, "filter_words": words, "current_url": current})


@require_POST
def snapshot_create(request):
    """POST /snapshots/ (CSRF-checked by the middleware): 303 to the new snapshot's page, 429 when this
    client made SNAPSHOTS_PER_HOUR in the last hour, 400 naming a bad filter parameter."""
    client = _client(request)
    if wait := snapshots.seconds_until_allowed(client):
        return _throttled(request, wait)
    try:
        snapshot = snapshots.create_snapshot(QueryDict(one_value(request.POST, "query") or ""), client=client)
    except AsOfBusy:  # every rebuild slot taken (settings.AS_OF_CONCURRENT): not this client's fault
        return _throttled(request, 30, status=503)
    except BadParameters as bad:
        return _bad_filter(request, bad.errors)
    response = redirect("snapshot-detail", snapshot.pk)
    response.status_code = 303  # See Other: the browser GETs the page, a reload does not post again
    return response


@require_safe
def snapshot_detail(request, pk):
    snapshot = get_object_or_404(Snapshot, pk=pk)
    query = f"?{snapshot.query}" if snapshot.query else ""
    as_of = f"{'&' if query else '?'}as_of={iso_utc(snapshot.created_at)}"
    filter_words = _filter_words_here(snapshot)
    return render(request, "incidents/public/snapshot.html", {
        "snapshot": snapshot, "permanent_url": snapshots.permanent_url(snapshot),
        "apa": snapshots.apa_parts(snapshot), "bibtex": snapshots.bibtex(snapshot),
        "changes": snapshots.changes_since(snapshot), "current_url": reverse("dashboard") + query,
        "as_of_csv": reverse("export-incidents-csv") + query + as_of,
        "as_of_utc": iso_utc(snapshot.created_at), "filter_words": filter_words,
        "heading_title": snapshots.title_in_words(filter_words),
    })


def _filter_words_here(snapshot):
    """The snapshot's filter in the page's language. The stored words (English, as the citation quotes
    them) serve when the filter no longer reads (an actor in it is no longer published)."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return snapshot.filter_words
    try:
        return filter_in_words(PublicExport(QueryDict(snapshot.query)).filter)
    except BadParameters:
        return snapshot.filter_words


def _file(snapshot, stored, content_type, extension):
    response = StreamingHttpResponse(then(b"", snapshots.file_chunks(stored)), content_type=content_type)
    response["Content-Disposition"] = (f'attachment; filename="incidents_snapshot-{snapshot.pk}_'
                                       f'{snapshot.created_at:%Y%m%dT%H%M%SZ}.{extension}"')
    response["Content-Length"] = str(stored.size)
    response["ETag"] = f'"{stored.sha256}"'
    response["X-Content-SHA256"] = stored.sha256
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # never changes
    return response


@get_or_head
def snapshot_csv(request, pk):
    snapshot = get_object_or_404(Snapshot.objects.select_related("csv_file"), pk=pk)
    return _file(snapshot, snapshot.csv_file, CSV, "csv")


@get_or_head
def snapshot_geojson(request, pk):
    snapshot = get_object_or_404(Snapshot.objects.select_related("geojson_file"), pk=pk)
    return _file(snapshot, snapshot.geojson_file, GEOJSON, "geojson")

