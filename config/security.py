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


def origin_source(origin, variable):
    """A CSP source for one site that may frame the embed view: "https://news.example.org" (or
    "https://*.example.org", or with a port) exactly, lower-cased. Anything else (a path, a query, a
    keyword such as 'self' or *, another scheme) raises ImproperlyConfigured naming `variable`, so a
    typo cannot quietly open the embed view to every site."""
    parts = urlsplit(origin.strip().lower())
    host = (parts.hostname or "").removeprefix("*.")
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = None
    if (port is None or parts.scheme not in ("https", "http") or not host or not all(c.isalnum() or c in "-." for c in host)
            or parts.path not in ("", "/") or parts.query or parts.fragment or parts.username):
        raise ImproperlyConfigured(
            f"{variable}: {origin!r} is not an origin such as https://news.example.org (scheme and host, no path).")
    return f"{parts.scheme}://{parts.hostname}{port}"
