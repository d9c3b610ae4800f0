"""URL map. Each area adds its routes under its own heading (edit in place, do not reorder)."""

from django.urls import path

from incidents import api, health, views, views_assist, views_export, views_work

urlpatterns = [
    # -- public dashboard (pages and JSON; approved incidents only) --
    path("", views.dashboard, name="dashboard"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("api/incidents.geojson", api.incidents_geojson, name="api-incidents-geojson"),
    path("api/incidents.json", api.incidents_json, name="api-incidents-json"),
    path("api/timeline.json", api.timeline_json, name="api-timeline"),
    path("api/boundaries.geojson", api.boundaries_geojson, name="api-boundaries-geojson"),
    path("api/places.geojson", api.places_geojson, name="api-places-geojson"),
    # -- exports (public CSV/GeoJSON; approved incidents only) --
    path("export/incidents.csv", views_export.incidents_csv, name="export-incidents-csv"),
    path("export/incidents.geojson", views_export.incidents_geojson, name="export-incidents-geojson"),
    path("export/incidents-withdrawn.csv", views_export.incidents_withdrawn_csv,
         name="export-incidents-withdrawn-csv"),
    # -- analyst workflow (login required) --
    path("work/mine/", views_work.my_work, name="work-mine"),
    path("work/review/", views_work.review_queue, name="work-review"),
    # -- assisted coding (login required) --
    path("assist/articles/<int:pk>/suggestions/", views_assist.article_suggestions, name="assist-suggestions"),
    path("assist/articles/<int:pk>/suggestions/<str:key>/accept/", views_assist.accept_suggestion,
         name="assist-accept"),
    path("assist/articles/<int:pk>/suggestions/<str:key>/discard/", views_assist.discard_suggestion,
         name="assist-discard"),
    path("assist/incidents/<int:pk>/duplicates/", views_assist.incident_duplicates, name="assist-duplicates"),
    path("assist/incidents/<int:pk>/duplicates/<int:other>/merge/", views_assist.merge_incidents,
         name="assist-merge"),
    path("assist/incidents/<int:pk>/duplicates/<int:other>/not-duplicate/", views_assist.not_duplicate,
         name="assist-not-duplicate"),
    # -- operations --
    path("healthz", health.healthz, name="healthz"),
]
