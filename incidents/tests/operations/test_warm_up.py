"""A worker warms itself at boot (incidents/operations/warm_up.py) and still boots when the database
is down: the request that needs the database says so, not the boot."""

import pytest
from django.db import connections

from incidents.operations.warm_up import warm_up


@pytest.mark.django_db
def test_warm_up_loads_postgis_into_the_workers_connection():
    warm_up()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid()")
        assert cursor.fetchone()[0] == 1  # the connection it opened is the one requests reuse


@pytest.mark.django_db(transaction=True)
def test_warm_up_does_not_stop_a_worker_when_the_database_is_unreachable():
    connection = connections["default"]
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 1  # nothing listens there
    try:
        warm_up()  # logs, never raises
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
