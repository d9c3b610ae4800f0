"""A worker warms itself at boot (incidents/operations/warm_up.py) by answering the first-view
requests once, and still boots when the database is down: the request that needs the database says
so, not the boot."""

import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

from incidents.operations.warm_up import _first_view_paths, warm_up
from incidents.tests.factories import make_actor, make_incident


def test_the_first_view_is_the_dashboard_and_the_maps_default_view(settings):
    (dashboard, _), (features, query) = _first_view_paths()
    assert dashboard == "/" and features == "/api/incidents.geojson"
    assert f"zoom={settings.LEAFLET_CONFIG['DEFAULT_ZOOM']}" in query


@pytest.mark.django_db
def test_warm_up_answers_the_first_view_requests(boundaries, caplog):
    make_incident(actor1=make_actor())
    # As Django's test client does: a request must not close the test's connection (and its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with caplog.at_level(logging.WARNING, logger="incidents.operations.warm_up"):
            warm_up(WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert [r.getMessage() for r in caplog.records if r.name == "incidents.operations.warm_up"] == []


@pytest.mark.django_db(transaction=True)
def test_warm_up_does_not_stop_a_worker_when_the_database_is_unreachable(caplog):
    connection = connections["default"]
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 1  # nothing listens there
    try:
        with caplog.at_level(logging.WARNING, logger="incidents.operations.warm_up"):
            warm_up(WSGIHandler())  # logs, never raises
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
    assert any("warm-up" in r.getMessage() for r in caplog.records)
