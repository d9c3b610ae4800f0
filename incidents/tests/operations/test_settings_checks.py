"""A deployment that forgot SITE_URL hears about it from `manage.py check` (and migrate)."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError


def run_check():
    call_command("check", fail_level="WARNING", tags=["deploy-settings"])


def test_site_url_outside_allowed_hosts_is_a_warning(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS = False, ["incidents.example.org"]
    settings.SITE_URL = "http://localhost:8000"  # the default, left as it was
    try:
        run_check()
    except SystemCheckError as error:
        assert "incidents.W001" in str(error) and "SITE_URL" in str(error)
    else:
        raise AssertionError("no warning for a SITE_URL this server does not answer to")


def test_matching_site_url_passes(settings):
    settings.DEBUG, settings.ALLOWED_HOSTS = False, [".example.org"]
    settings.SITE_URL = "https://incidents.example.org"
    run_check()
