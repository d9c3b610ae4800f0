"""URL map, in the data's order: public pages and JSON, exports, review queues, coding, operations."""

from django.urls import path

from incidents.coding import views as coding
from incidents.exports import snapshot_views as snapshots
from incidents.exports import views as exports
from incidents.operations import health
from incidents.public import api, embed, pages
from incidents.review import agreement_views as agreement
from incidents.review import views as review

urlpatterns = [
    # -- public dashboard (pages and JSON; published incidents only) --
    path("", pages.dashboard, name="dashboard"),
    path("incidents/<int:pk>/", pages.incident_detail, name="incident-detail"),
    path("embed/", embed.embed, name="embed"),  # the only framable page (EMBED_FRAME_ANCESTORS)
    path("api/incidents.geojson", api.incidents_geojson, name="api-incidents-geojson"),
    path("api/incidents.json", api.incidents_json, name="api-incidents-json"),
    path("api/timeline.json", api.timeline_json, name="api-timeline"),
    path("api/actors.json", api.actors_json, name="api-actors"),
    path("api/boundaries.geojson", api.boundaries_geojson, name="api-boundaries-geojson"),
    path("api/places.geojson", api.places_geojson, name="api-places-geojson"),
    # -- exports (public CSV/GeoJSON; published incidents only) --
    path("export/incidents.csv", exports.incidents_csv, name="export-incidents-csv"),
    path("export/incidents.geojson", exports.incidents_geojson, name="export-incidents-geojson"),
    path("export/incidents-withdrawn.csv", exports.incidents_withdrawn_csv,
         name="export-incidents-withdrawn-csv"),
    # -- citable snapshots of a view (issue 19) --
    path("snapshots/", snapshots.snapshot_create, name="snapshot-create"),
    path("snapshots/new/", snapshots.snapshot_new, name="snapshot-new"),
    path("snapshots/<int:pk>/", snapshots.snapshot_detail, name="snapshot-detail"),
    path("snapshots/<int:pk>/incidents.csv", snapshots.snapshot_csv, name="snapshot-csv"),
    path("snapshots/<int:pk>/incidents.geojson", snapshots.snapshot_geojson, name="snapshot-geojson"),
    # -- analyst workflow (login required) --
    path("work/mine/", review.my_work, name="work-mine"),
    path("work/review/", review.review_queue, name="work-review"),
    path("work/double-coding/", agreement.double_coding_list, name="work-double-coding"),
    path("work/double-coding/mark/", agreement.mark, name="work-double-coding-mark"),
    path("work/double-coding/<int:pk>/submit/", agreement.submit, name="work-double-coding-submit"),
    path("work/double-coding/<int:pk>/settle/", agreement.settle, name="work-double-coding-settle"),
    path("work/agreement/", agreement.agreement, name="work-agreement"),
    # -- assisted coding (login required) --
    path("assist/articles/<int:pk>/suggestions/", coding.article_suggestions, name="assist-suggestions"),
    path("assist/articles/<int:pk>/suggestions/<str:key>/accept/", coding.accept_suggestion,
         name="assist-accept"),
    path("assist/articles/<int:pk>/suggestions/<str:key>/discard/", coding.discard_suggestion,
         name="assist-discard"),
    path("assist/incidents/<int:pk>/duplicates/", coding.incident_duplicates, name="assist-duplicates"),
    path("assist/incidents/<int:pk>/duplicates/<int:other>/merge/", coding.merge_incidents,
         name="assist-merge"),
    path("assist/incidents/<int:pk>/duplicates/<int:other>/not-duplicate/", coding.not_duplicate,
         name="assist-not-duplicate"),
    # -- operations --
    path("healthz", health.healthz, name="healthz"),
]
