"""Production settings: deploy checks, security headers, the Content-Security-Policy, secrets, login throttling."""

import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from config.security import tile_origin
from incidents.tests.factories import make_incident, make_user

# What a production deployment sets; everything else keeps the production defaults of config/settings.py.
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "incidents.example.org",
              "SITE_URL": "https://incidents.example.org"}
# Development and test overrides that must not leak into the production subprocess.
NOT_IN_PRODUCTION = ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                     "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "DJANGO_SETTINGS_MODULE"]


def manage(*args, **env):
    environment = {name: value for name, value in os.environ.items() if name not in NOT_IN_PRODUCTION}
    environment.update({name: value for name, value in env.items() if value is not None})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_deploy_check_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_would_report_a_disabled_https_redirect():
    # The check above can fail: switching one protection off makes --deploy complain about it.
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECURE_SSL_REDIRECT="0")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_missing_secret_key_stops_start_up_naming_the_variable():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": None})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: Environment variable SECRET_KEY is required but not set.")


def test_csp_image_source_is_the_host_of_the_configured_tiles():
    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert tile_origin("https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png") == "https://*.tiles.example.org:8443"
    assert tile_origin("/static/tiles/{z}/{x}/{y}.png") is None
    with pytest.raises(ImproperlyConfigured, match="MAP_TILES_URL"):
        tile_origin("javascript:alert(1)//{z}")


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


class ScriptCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def inline_executable_scripts(html):
    collector = ScriptCollector()
    collector.feed(html)
    return [script for script in collector.scripts
            if not script.get("src") and script.get("type") not in ("application/json", "application/ld+json")]


@pytest.fixture
def public_pages(db):
    incident = make_incident()
    return [reverse("dashboard"), incident.get_absolute_url()]


def test_public_pages_send_hsts_frame_referrer_and_nosniff_headers(client, public_pages):
    for url in public_pages:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_pages_csp_allows_only_own_files_and_the_tile_host(client, public_pages):
    tiles = tile_origin(settings.MAP_TILES_URL)
    for url in public_pages:
        csp = parse_csp(client.get(url, secure=True)["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"], "a nonce is only added when a page uses one (admin map widget)"
        assert csp["style-src"] == ["'self'"]
        assert set(csp["img-src"]) == {"'self'", "data:", tiles}
        assert csp["connect-src"] == ["'self'"]
        assert csp["object-src"] == csp["base-uri"] == csp["frame-ancestors"] == ["'none'"]
        assert not any("unsafe" in source for sources in csp.values() for source in sources)


def test_public_pages_have_no_inline_scripts_the_csp_would_block(client, public_pages):
    for url in public_pages:
        response = client.get(url, secure=True)
        csp = parse_csp(response["Content-Security-Policy"])
        allowed = {source[len("'nonce-"):-1] for source in csp["script-src"] if source.startswith("'nonce-")}
        blocked = [script for script in inline_executable_scripts(response.content.decode())
                   if script.get("nonce") not in allowed]
        assert blocked == [], f"{url} has inline scripts; move them to a static .js file"


def test_admin_map_widget_scripts_carry_the_csp_nonce(db):
    client = Client()
    client.force_login(make_user(is_superuser=True))
    response = client.get(reverse("admin:incidents_incident_add"), secure=True)
    assert response.status_code == 200
    nonces = [source for source in parse_csp(response["Content-Security-Policy"])["script-src"]
              if source.startswith("'nonce-")]
    assert len(nonces) == 1
    inline = inline_executable_scripts(response.content.decode())
    assert inline, "the Leaflet widget's inline set-up script is expected here"
    assert {script.get("nonce") for script in inline} == {nonces[0][len("'nonce-"):-1]}


def test_plain_http_is_redirected_to_https_when_enabled(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/api/timeline.json?interval=year")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/timeline.json?interval=year"


def test_health_checks_over_plain_http_are_answered_not_redirected(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


def test_session_and_csrf_cookies_are_secure_and_session_is_http_only(db):
    make_user("cookie-analyst")
    client = Client(enforce_csrf_checks=False)
    response = client.post(reverse("admin:login"), {"username": "cookie-analyst", "password": "pw-for-tests-only",
                                                    "next": "/admin/"}, secure=True)
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert Client().get(reverse("admin:login"), secure=True).cookies[settings.CSRF_COOKIE_NAME]["secure"]


def admin_login(client, username, password, address):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"},
                       REMOTE_ADDR=address, secure=True)


def test_admin_login_is_locked_after_repeated_wrong_passwords(db):
    make_user("targeted-analyst")
    attacker = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = admin_login(attacker, "targeted-analyst", f"guess-{attempt}", "203.0.113.9")
        assert response.status_code == 200
        assert b"Please enter the correct username and password" in response.content
    assert admin_login(attacker, "targeted-analyst", "last-guess", "203.0.113.9").status_code == 429
    # Locked: even the right password is refused from that address, and no session is opened.
    response = admin_login(attacker, "targeted-analyst", "pw-for-tests-only", "203.0.113.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # The lock is per user name and address: the analyst can still log in from their own.
    assert admin_login(Client(), "targeted-analyst", "pw-for-tests-only", "198.51.100.20").status_code == 302


def test_wrong_passwords_below_the_limit_do_not_lock_out(db):
    make_user("forgetful-analyst")
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        admin_login(client, "forgetful-analyst", f"typo-{attempt}", "192.0.2.4")
    assert admin_login(client, "forgetful-analyst", "pw-for-tests-only", "192.0.2.4").status_code == 302


def test_test_client_login_still_works_with_throttling_on(db):
    make_user("scripted-analyst")
    assert Client().login(username="scripted-analyst", password="pw-for-tests-only")
    assert not Client().login(username="scripted-analyst", password="wrong")
