"""The embed view, /embed/?<the dashboard's filters>: a compact map and timeline for partners' sites.

Newsrooms and NGOs show it in an <iframe> (the dashboard's "Embed this view" gives the snippet).
It is the only page that may be framed, and only by the origins in the EMBED_FRAME_ANCESTORS
setting (CSP frame-ancestors; X-Frame-Options is then left off, since it cannot name origins):
every other page keeps frame-ancestors 'none' and X-Frame-Options DENY (config/settings.py). With no
origin set, the view still works at the top level and nobody may frame it.

Like every public URL it shows published incidents only (filtered_incidents starts from
Incident.objects.published()), takes the same query string, answers a bad one with a 400 naming it,
and is served from the public cache with an ETag.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from incidents.common.params import BadParameters
from incidents.public.cache import cached_for_the_public
from incidents.public.filters import filtered_incidents
from incidents.public.pages import UNCERTAINTY_RADIUS_M, filter_query, map_config
from incidents.public.timeline import parse_interval, timeline
from incidents.public.timeline_chart import chart
from incidents.public.timeline_counts import counted_rows
from incidents.public.timeouts import statement_timeout

TEMPLATE = "incidents/public/embed.html"


def framable_by_partners(view):
    """Let the origins of settings.EMBED_FRAME_ANCESTORS, and only those, show `view` in a frame."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        origins = settings.EMBED_FRAME_ANCESTORS
        if not origins:
            return view(request, *args, **kwargs)  # nobody listed: the site-wide 'none' and DENY stay
        framable = xframe_options_exempt(csp_replace({"frame-ancestors": list(origins)})(view))
        return framable(request, *args, **kwargs)

    return wrapper


@framable_by_partners
@cached_for_the_public
@statement_timeout
def embed(request):
    query = filter_query(request.GET)
    dashboard = settings.SITE_URL.rstrip("/") + reverse("dashboard") + (f"?{query}" if query else "")
    context = {"map_config": {**map_config(), "filterQuery": query}, "dashboard_url": dashboard,
               "radius_km": {k: v // 1000 for k, v in UNCERTAINTY_RADIUS_M.items()}, "filtered": bool(query)}
    try:
        incident_filter = filtered_incidents(request.GET)
        data = incident_filter.form.cleaned_data
        buckets = timeline(counted_rows(incident_filter), parse_interval(request.GET),
                           data.get("date_from"), data.get("date_to"))
    except BadParameters as bad:
        return render(request, TEMPLATE, {**context, "errors": bad.errors}, status=400)
    return render(request, TEMPLATE, {**context, "totals": buckets["totals"], "chart": chart(buckets, request.GET)})
