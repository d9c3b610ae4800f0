#!/usr/bin/env python
"""Two gunicorn processes on one Redis: public questions computed by one and served to the other.

    DATABASE_URL=postgis://…/deir_h18_bench .venv/bin/python bench/shared_cache.py [--questions 30]

Asks each of N distinct questions (the dashboard for N different start dates) first of server A,
then of server B, right after a data change, with REDIS_URL set and then without it (LocMem).
Reports the answers computed (Redis: keys written under this run's prefix; LocMem: every request
of the 2N, since neither process sees the other's memory) against the requests made, and the median
time of B's answers: served from Redis, or computed again.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import DEFAULT_URL, bump_data_version, connect  # noqa: E402
from ops.loopback import free_port  # noqa: E402


def ask_both(database_url, questions, env):
    from bench.server import Server

    os.environ.update(env)
    conn = connect(database_url)
    with conn.cursor() as cur:
        bump_data_version(cur)
    conn.commit()
    conn.close()
    static_root = os.environ.get("STATIC_ROOT", "/tmp/static_bench")
    with Server(database_url, free_port(), workers=2, static_root=static_root, prepare=False) as first, \
            Server(database_url, free_port(), workers=2, static_root=static_root, prepare=False) as second:
        for server in (first, second):  # warm each worker: imports and connections are not the question
            for _ in range(4):
                server.get("/healthz")
        times = {"A": [], "B": []}
        for n in range(questions):
            params = {"date_from": f"2015-{1 + n // 28:02d}-{1 + n % 28:02d}"}
            for name, server in (("A", first), ("B", second)):
                started = time.perf_counter()
                status, _, _ = server.get("/", params)
                if status != 200:
                    raise RuntimeError(f"/ answered {status}")
                times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv=None):
    import redis

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args(argv)
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(args.redis)
    shared = ask_both(url, args.questions, {"REDIS_URL": args.redis, "CACHE_KEY_PREFIX": prefix,
                                            "PUBLIC_CACHE_SECONDS": "3600"})
    computed = sum(1 for _ in client.scan_iter(f"{prefix}:*"))
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    local = ask_both(url, args.questions, {"REDIS_URL": "", "PUBLIC_CACHE_SECONDS": "3600"})
    requests = 2 * args.questions
    print(f"| backend | requests (2 processes × {args.questions} questions) | computed | served from the "
          f"cache | median A (first asked) | median B (asked after A) |")
    print("|---|---|---|---|---|---|")
    print(f"| Redis | {requests} | {computed} | {requests - computed} | {shared['A']:.0f} ms | {shared['B']:.0f} ms |")
    print(f"| LocMem | {requests} | {requests} | 0 | {local['A']:.0f} ms | {local['B']:.0f} ms |")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
