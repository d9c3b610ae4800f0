"""Exports of the past are bounded site-wide: with every rebuild slot taken by other requests, an
`?as_of=` download or a new snapshot answers 503 with Retry-After, and works again once one is free."""

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from incidents.exports.as_of import SLOT_KEY, iso_utc
from incidents.models import Snapshot
from incidents.tests.exports.test_as_of import later
from incidents.tests.factories import make_incident


def other_sessions_holding_every_slot(count):
    """Other database sessions, each inside a transaction holding one slot, as running rebuilds do."""
    params = connection.get_connection_params()
    sessions = []
    for slot in range(count):
        other = psycopg2.connect(**{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port")})
        other.cursor().execute("SELECT pg_advisory_xact_lock(%s, %s)", [SLOT_KEY, slot])
        sessions.append(other)
    return sessions


@pytest.mark.django_db(transaction=True)
def test_every_slot_taken_is_a_503_and_a_free_one_serves(client, settings):
    settings.AS_OF_CONCURRENT = 2
    make_incident()
    moment = iso_utc(later())
    busy = other_sessions_holding_every_slot(2)
    try:
        for name in ("export-incidents-csv", "export-incidents-geojson", "export-incidents-withdrawn-csv"):
            response = client.get(reverse(name), {"as_of": moment})
            assert response.status_code == 503 and response["Retry-After"] == "30", name
            assert "as_of" in response.json()["parameters"]
        refused = client.post(reverse("snapshot-create"), {"query": ""})
        assert refused.status_code == 503 and not Snapshot.objects.exists()
        today = client.get(reverse("export-incidents-csv"))  # today's export is not limited
        assert today.status_code == 200 and b"".join(today.streaming_content).count(b"\n") == 2
    finally:
        busy[0].rollback()  # one rebuild ends
    response = client.get(reverse("export-incidents-csv"), {"as_of": moment})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and response["X-Export-Rows"] == "1", body[:300]
    for other in busy:
        other.close()
