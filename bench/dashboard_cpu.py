#!/usr/bin/env python
"""The uncached dashboard page's cost in this process: wall and Python CPU time per request, and
optionally a cProfile of it (issue 18 target 2; docs/PERFORMANCE.md, Dashboard page in Python).

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/dz_bench .venv/bin/python bench/dashboard_cpu.py
    .venv/bin/python bench/dashboard_cpu.py /ar/ --requests 50 --profile 40

Requests go through Django's test client with the public cache off (PUBLIC_CACHE_SECONDS=0), so each
is computed: no HTTP, no gunicorn. CPU time (time.process_time) counts this process only (Python,
the driver), not PostgreSQL's; it still moves with the machine's load (shared cores), so give the load
beside it. For a count that does not move with the load, run it under valgrind --tool=callgrind with
--requests N and 0 (warm-ups only: 3) and divide the difference of the instruction totals by N.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/dz_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ["PUBLIC_CACHE_SECONDS"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/")
    parser.add_argument("--requests", type=int, default=20, help="timed requests after 3 warm-ups (0: warm-ups only)")
    parser.add_argument("--profile", type=int, default=0, help="then profile 10 requests, print this many lines")
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for _ in range(3):
        response = client.get(args.path)
    if not args.requests:
        return
    walls, cpus = [], []
    for _ in range(args.requests):
        wall, cpu = time.perf_counter(), time.process_time()
        if client.get(args.path).status_code != response.status_code:
            raise SystemExit("the answer changed between requests")
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    print(f"GET {args.path}: HTTP {response.status_code}, {len(response.content):,} bytes; median of {args.requests}: "
          f"wall {statistics.median(walls) * 1000:.1f} ms, Python CPU {statistics.median(cpus) * 1000:.1f} ms; "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(10):
            client.get(args.path)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
