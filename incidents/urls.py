"""URL map. Each area adds its routes under its own heading (edit in place, do not reorder)."""

from django.urls import path

from incidents import api, health, views, views_export, views_work

urlpatterns = [
    # -- public dashboard (pages and JSON; approved incidents only) --
    path("", views.dashboard, name="dashboard"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("api/incidents.geojson", api.incidents_geojson, name="api-incidents-geojson"),
    path("api/incidents.json", api.incidents_json, name="api-incidents-json"),
    path("api/timeline.json", api.timeline_json, name="api-timeline"),
    path("api/boundaries.geojson", api.boundaries_geojson, name="api-boundaries-geojson"),
    # -- exports (public CSV/GeoJSON; approved incidents only) --
    path("export/incidents.csv", views_export.incidents_csv, name="export-incidents-csv"),
    path("export/incidents.geojson", views_export.incidents_geojson, name="export-incidents-geojson"),
    path("export/incidents-withdrawn.csv", views_export.incidents_withdrawn_csv,
         name="export-incidents-withdrawn-csv"),
    # -- analyst workflow (login required) --
    path("work/mine/", views_work.my_work, name="work-mine"),
    path("work/review/", views_work.review_queue, name="work-review"),
    # -- assisted coding (login required) --
    # -- operations --
    path("healthz", health.healthz, name="healthz"),
]
