"""Public downloads of the dashboard's view: CSV (ACLED columns first), GeoJSON, and what was withdrawn.

All take the dashboard's query string; bad parameters get a 400 JSON body naming them.
"""

from django.http import StreamingHttpResponse
from django.views.decorators.http import require_GET

from incidents.common.params import json_400_on_bad_parameters, whole_number
from incidents.exports.incidents import (
    WITHDRAWN_COLUMNS,
    PublicExport,
    csv_lines,
    parse_since,
    utc_stamp,
    withdrawn_rows,
)

CSV = "text/csv; charset=utf-8"


def download(chunks, content_type, filename, export_time=None):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if export_time:
        # Pass this back as ?updated_since= to fetch only what changes after this download.
        response["X-Export-Time"] = export_time.isoformat()
    return response


@json_400_on_bad_parameters
@require_GET
def incidents_csv(request):
    export = PublicExport(request.GET)
    bom = whole_number(request.GET, "bom", 0, maximum=1)  # 1: a byte-order mark so Excel reads UTF-8
    return download(export.incidents.csv_chunks(bom=bool(bom)), CSV, export.filename("csv"), export.started_at)


@json_400_on_bad_parameters
@require_GET
def incidents_geojson(request):
    export = PublicExport(request.GET)
    return download(export.incidents.geojson_chunks(), "application/geo+json", export.filename("geojson"),
                    export.started_at)


@json_400_on_bad_parameters
@require_GET
def incidents_withdrawn_csv(request):
    since = parse_since(request.GET)
    suffix = f"_since-{utc_stamp(since)}" if since else ""
    return download(csv_lines(WITHDRAWN_COLUMNS, withdrawn_rows(since)), CSV, f"incidents_withdrawn{suffix}.csv")
