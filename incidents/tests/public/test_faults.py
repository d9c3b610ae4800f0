"""Issue 15 points 12-15: canonical links from SITE_URL (no Host poisoning), never-published ids,
the statement timeout of public requests, and reference layers that follow an edit at once."""

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from incidents.models import AdminArea
from incidents.tests.public_data import make_public_data


@pytest.fixture
def data(boundaries):
    return make_public_data()


@pytest.mark.django_db
def test_a_hostile_host_header_never_reaches_the_permalink_even_through_the_cache(client, data, settings):
    settings.SITE_URL = "https://incidents.example.org"
    settings.PUBLIC_CACHE_SECONDS = 300  # the production setting: the attack is on the shared cache
    settings.ALLOWED_HOSTS = ["*"]
    url = reverse("incident-detail", args=[data.clash.pk])
    for host in ("localhost:6666", "evil.example", "incidents.example.org:81"):
        poisoned = client.get(url, HTTP_HOST=host, HTTP_X_FORWARDED_HOST="attacker.example").content.decode()
        assert host not in poisoned and "attacker.example" not in poisoned
    page = client.get(url).content.decode()
    assert f"https://incidents.example.org{url}" in page
    assert "localhost:6666" not in page and "evil.example" not in page


@pytest.mark.django_db
def test_the_csv_incident_url_comes_from_site_url_too(client, data, settings):
    settings.SITE_URL = "https://incidents.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get(reverse("export-incidents-csv"), HTTP_HOST="localhost:6666")
    body = b"".join(response.streaming_content).decode()
    assert "https://incidents.example.org/incidents/" in body and "localhost:6666" not in body


@pytest.mark.django_db(transaction=True)
def test_a_public_query_over_the_statement_timeout_is_a_503_with_a_message(client, data, settings):
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 300
    params = connection.get_connection_params()
    blocker = psycopg2.connect(**{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port",
                                                                          "password")})
    try:
        with blocker.cursor() as cursor:  # a query that cannot finish: it waits for this lock
            cursor.execute("LOCK TABLE incidents_incident IN ACCESS EXCLUSIVE MODE")
        for name in ("api-incidents-json", "api-incidents-geojson", "dashboard"):
            response = client.get(reverse(name))
            assert response.status_code == 503, name
            assert "took too long" in response.content.decode() and response["Retry-After"] == "60"
    finally:
        blocker.rollback()
        blocker.close()
    assert client.get(reverse("api-incidents-json")).status_code == 200
    with connection.cursor() as cursor:  # the limit does not outlive the request on the reused connection
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.django_db
def test_renaming_a_governorate_shows_in_the_boundaries_at_once(client, data):
    first = client.get(reverse("api-boundaries-geojson"))
    governorate = AdminArea.objects.filter(level=AdminArea.Level.GOVERNORATE).first()
    assert governorate.name in first.content.decode()
    AdminArea.objects.filter(pk=governorate.pk).update(name="Renamed Governorate")
    second = client.get(reverse("api-boundaries-geojson"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and "Renamed Governorate" in second.content.decode()
    assert client.get(reverse("api-boundaries-geojson"), HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304
