"""URL map. Each area adds its routes under its own heading (edit in place, do not reorder)."""

from django.urls import path

from incidents import health, views

urlpatterns = [
    # -- public dashboard (pages and JSON; approved incidents only) --
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    # -- exports (public CSV/GeoJSON; approved incidents only) --
    # -- analyst workflow (login required) --
    # -- assisted coding (login required) --
    # -- operations --
    path("healthz", health.healthz, name="healthz"),
]
