"""Helpers for the security settings: the Content-Security-Policy is derived from the map configuration."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def tile_origin(tiles_url):
    """The CSP source for a Leaflet tile URL template, e.g. https://{s}.tile.example.org/{z}/{x}/{y}.png
    gives https://*.tile.example.org: only that host may serve images, nothing else from outside.
    """
    if tiles_url.startswith("/"):
        return None  # tiles served by this site: 'self' already covers them
    parts = urlsplit(tiles_url.replace("{s}", "subdomain-placeholder"))
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ImproperlyConfigured(
            f"MAP_TILES_URL={tiles_url!r} must be an http(s) URL template or a path on this site."
        )
    host = parts.hostname.replace("subdomain-placeholder", "*")
    if "{" in host or "}" in host:
        raise ImproperlyConfigured(f"MAP_TILES_URL={tiles_url!r}: only {{s}} may be used in the host name.")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"
