import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_migrations_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_healthz_reports_unapplied_migrations_as_failure(client):
    with connection.cursor() as cursor:
        # Forget the newest migration (forgetting an older one would leave nothing to apply after it).
        cursor.execute("DELETE FROM django_migrations WHERE id = (SELECT id FROM django_migrations "
                       "WHERE app = 'incidents' ORDER BY name DESC LIMIT 1)")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 unapplied"
