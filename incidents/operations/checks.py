"""Start-up checks of the settings a deployment must get right (run by `manage.py check` and `migrate`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register
from django.http.request import validate_host


@register("deploy-settings")
def site_url_is_this_site(app_configs, **kwargs):
    """incidents.W001 when SITE_URL names a host this server does not answer to (ALLOWED_HOSTS): every
    permalink, citation, embed code and CSV `incident_url` would then point elsewhere, typically at the
    default http://localhost:8000 (README, Configuration). Silent while ALLOWED_HOSTS is empty (tests)."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if settings.DEBUG or not settings.ALLOWED_HOSTS or validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [Warning(
        f"SITE_URL is {settings.SITE_URL!r}, whose host is not in ALLOWED_HOSTS {settings.ALLOWED_HOSTS}.",
        hint="Set SITE_URL to the public address (https://incidents.example.org): permalinks, citations, "
             "the embed code and the CSV's incident_url are built from it.",
        id="incidents.W001")]
