"""Public downloads of the dashboard's view: CSV (ACLED columns first), GeoJSON, and what was withdrawn.

All take the dashboard's query string; bad parameters get a 400 JSON body naming them.
"""

from functools import wraps

from django.db import DatabaseError
from django.http import StreamingHttpResponse
from django.views.decorators.http import require_safe

from incidents.common.params import json_400_on_bad_parameters, whole_number
from incidents.common.unavailable import service_unavailable
from incidents.exports.as_of import AsOfBusy, AsOfExport, parse_as_of
from incidents.exports.incidents import (
    WITHDRAWN_COLUMNS,
    PublicExport,
    csv_lines,
    parse_since,
    utc_stamp,
    withdrawn_rows,
)
from incidents.exports.lines import CsvStream

CSV = "text/csv; charset=utf-8"
GEOJSON = "application/geo+json"


def primed(chunks):
    """The same chunks, the first one read now: a database error before any byte is sent raises
    here, in the view, where it becomes a 503 (unavailable_on_database_error)."""
    chunks = iter(chunks)
    first = next(chunks, b"")
    return then(first, chunks)


class then:  # noqa: N801 (used like the generator function it replaces)
    """`first`, then the chunks of `rest`; close() closes `rest`, started or not.

    The export's generator is paused inside its transaction after the first chunk. When the response
    ends (finished or the client gone), the server's close() must end that transaction now, in the
    request's own thread and connection: left to the garbage collector, it would end in whatever
    thread collects it, on that thread's connection (itertools.chain, used before, has no close()).
    """

    def __init__(self, first, rest):
        self._first, self._rest = [first], iter(rest)

    def __iter__(self):
        return self

    def __next__(self):
        return self._first.pop() if self._first else next(self._rest)

    def close(self):
        getattr(self._rest, "close", lambda: None)()


def get_or_head(view):
    """Allow GET and HEAD; HEAD gets GET's status and headers without the body (link checkers and download
    managers probe a download with HEAD; it was a 405, found by an attacker session). The download is
    started, so its status, X-Export-Rows and refusals are true, but no row is sent."""

    @require_safe
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "HEAD" and response.streaming:
            # No row is read; the export's cursor is released when the server closes the response.
            response.streaming_content = iter(())
        return response

    return wrapper


def download(chunks, content_type, filename, export_time=None):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if export_time:
        # Pass this back as ?updated_since= to fetch only what changes after this download.
        response["X-Export-Time"] = export_time.isoformat()
    return response


def unavailable_on_database_error(view):
    """A database error before the first byte is sent answers 503 with a message, never a 200 that
    looks like an empty export (issue 15 point 11). Errors after that abort the transfer instead."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DatabaseError:
            return service_unavailable("The database is unavailable; nothing was exported. Try again in a minute.",
                                       60)

    return wrapper


def as_of_busy():
    """503 while every as_of slot is taken (settings.AS_OF_CONCURRENT), naming the parameter."""
    return service_unavailable("Exports of the past (as_of) are all busy; try again in half a minute.", 30,
                               parameters={"as_of": ["Busy: too many exports of the past are running."]})


def as_of_download(request, moment, kind, content_type, bom=False):
    """The export as the public could download it at `moment` (incidents/exports/as_of.py)."""
    export = AsOfExport(request.GET, moment, kind, bom=bom)
    try:
        first = export.start()  # the past rebuilt, the filter checked there, the first rows read
    except AsOfBusy:
        return as_of_busy()
    response = download(then(first, export.rest()), content_type, export.filename, moment)
    if export.rows is not None:
        response["X-Export-Rows"] = str(export.rows)
    return response


@unavailable_on_database_error
@json_400_on_bad_parameters
@get_or_head
def incidents_csv(request):
    bom = whole_number(request.GET, "bom", 0, maximum=1)  # 1: a byte-order mark so Excel reads UTF-8
    if (moment := parse_as_of(request.GET)) is not None:
        return as_of_download(request, moment, "csv", CSV, bom=bool(bom))
    export = PublicExport(request.GET)
    stream = CsvStream(export.incidents.queryset, bom=bool(bom), everything=export.everything)
    first = stream.start()  # the count and the first rows: a failure here is still a 503
    response = download(then(first, stream.rest()), CSV, export.filename("csv"), export.started_at)
    # How many data rows follow, counted in the same snapshot: a client that parses fewer got a cut file.
    response["X-Export-Rows"] = str(stream.rows)
    return response


@unavailable_on_database_error
@json_400_on_bad_parameters
@get_or_head
def incidents_geojson(request):
    if (moment := parse_as_of(request.GET)) is not None:
        return as_of_download(request, moment, "geojson", GEOJSON)
    export = PublicExport(request.GET)
    return download(primed(export.incidents.geojson_chunks()), GEOJSON, export.filename("geojson"),
                    export.started_at)


@unavailable_on_database_error
@json_400_on_bad_parameters
@get_or_head
def incidents_withdrawn_csv(request):
    if (moment := parse_as_of(request.GET)) is not None:
        return as_of_download(request, moment, "withdrawn", CSV)
    since = parse_since(request.GET)
    suffix = f"_since-{utc_stamp(since)}" if since else ""
    return download(primed(csv_lines(WITHDRAWN_COLUMNS, withdrawn_rows(since))), CSV, f"incidents_withdrawn{suffix}.csv")
