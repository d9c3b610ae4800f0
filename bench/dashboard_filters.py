"""Times the dashboard's search, multi-value filters and table sorts (issue 16) at bench scale.

Each request goes through Django's test client in this process, with the public cache off
(PUBLIC_CACHE_SECONDS=0), so every answer is computed: the figure is the view's own time (SQL,
templates, JSON), without HTTP. Median of --repeat runs after one warm-up. Run against the
benchmark database (bench/README.md), e.g.:

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/dz_bench .venv/bin/python bench/dashboard_filters.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["PUBLIC_CACHE_SECONDS"] = "0"


def cases():
    from incidents.models import Actor, AdminArea

    deir = AdminArea.objects.get(pcode="SYR009")
    districts = list(AdminArea.objects.filter(parent=deir).values_list("pk", flat=True)[:2])
    actors = list(Actor.objects.order_by("id").values_list("pk", flat=True)[:3])
    wide = {"bbox": "39.26,34.99,41.02,35.67", "zoom": "10"}
    return [
        ("search q=IED (table)", "/", {"q": "IED"}),
        ("search q=Harbash (table)", "/", {"q": "Harbash"}),
        ("search q=دير الزور (table)", "/", {"q": "دير الزور"}),
        ("search q=Hajin (JSON list)", "/api/incidents.json", {"q": "Hajin"}),
        ("3 actors (table)", "/", {"actor": actors}),
        ("2 event types + 2 districts (table)", "/", {"event_type": ["Battles", "Riots"], "district": districts}),
        ("2 event types + 2 districts (map)", "/api/incidents.geojson", {"event_type": ["Battles", "Riots"],
                                                                          "district": districts, **wide}),
        ("2 governorates + 2 event types (timeline, counts kept on write)", "/api/timeline.json",
         {"governorate": [deir.pk, deir.pk + 1], "event_type": ["Battles", "Riots"]}),
        *[(f"sort={sort} (table, all incidents)", "/", {"sort": sort})
          for sort in ("date", "-date", "place", "-place", "event_type", "-event_type", "actors", "-actors",
                       "fatalities", "-fatalities")],
        ("sort=-actors, page 200 (table)", "/", {"sort": "-actors", "page": "200"}),
        ("sort=place + 2 event types (table)", "/", {"sort": "place", "event_type": ["Battles", "Riots"]}),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from incidents.models import Incident

    client = Client()
    print(f"{Incident.objects.published().count():,} published incidents; median of {args.repeat} (ms)")
    print("| request | status | median ms | min ms |\n| --- | --- | --- | --- |")
    for label, path, params in cases():
        times, status = [], None
        for run in range(args.repeat + 1):
            start = time.perf_counter()
            response = client.get(path, params, secure=True)
            elapsed = (time.perf_counter() - start) * 1000
            status = response.status_code
            if run:
                times.append(elapsed)
        print(f"| {label} | {status} | {statistics.median(times):.0f} | {min(times):.0f} |", flush=True)


if __name__ == "__main__":
    main()
