#!/usr/bin/env python
"""Two gunicorn processes on one Redis: public questions computed by one and served to the other.

    DATABASE_URL=postgis://…/dz_bench .venv/bin/python bench/shared_cache.py [--questions 30]
    .venv/bin/python bench/run.py --only shared_cache     # the same, as a row of the harness's table

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


def ask_both(database_url, questions, env, static_root=None, before_questions=None):
    # The servers read these from the environment; restored afterwards, so a caller (the bench smoke
    # test) does not pass this run's REDIS_URL on to the servers it starts later.
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        return _ask_both(database_url, questions, static_root, before_questions)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _ask_both(database_url, questions, static_root, before_questions):
    from bench.server import Server

    conn = connect(database_url)
    with conn.cursor() as cur:
        bump_data_version(cur)
    conn.commit()
    conn.close()
    static_root = static_root or os.environ.get("STATIC_ROOT", "/tmp/static_bench")
    with Server(database_url, free_port(), workers=2, static_root=static_root, prepare=False) as first, \
            Server(database_url, free_port(), workers=2, static_root=static_root, prepare=False) as second:
        for server in (first, second):  # warm each worker: imports and connections are not the question
            for _ in range(4):
                server.get("/healthz")
        if before_questions:
            before_questions()  # workers answer the default views at boot (warm_up): not this run's questions
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


def measure(database_url, questions=20, redis_url="redis://127.0.0.1:6379/14", static_root=None):
    """Ask `questions` distinct dashboard questions of A then B, with Redis and then with LocMem.

    Returns {"requests": 2N, "redis_computed": public answers written (each question computed once: N),
    "redis_a_ms"/"redis_b_ms"/"locmem_a_ms"/"locmem_b_ms": median times}. Raises RuntimeError when a
    page does not answer 200, OSError (redis.ConnectionError) when there is no Redis at `redis_url`."""
    import redis

    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    client.ping()
    warm = set()
    shared = ask_both(database_url, questions, {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix,
                                                "PUBLIC_CACHE_SECONDS": "3600"}, static_root,
                      before_questions=lambda: warm.update(client.scan_iter(f"{prefix}:*")))
    keys = list(client.scan_iter(f"{prefix}:*"))
    # Public answers to this run's questions only (incidents.public.cache): not the demo banner's flag,
    # nor what the workers computed at boot.
    answers = [key for key in keys if b":public:" in key and key not in warm]
    if keys:
        client.delete(*keys)
    local = ask_both(database_url, questions, {"REDIS_URL": "", "PUBLIC_CACHE_SECONDS": "3600"}, static_root)
    return {"requests": 2 * questions, "questions": questions, "redis_computed": len(answers),
            "redis_a_ms": shared["A"], "redis_b_ms": shared["B"], "locmem_a_ms": local["A"], "locmem_b_ms": local["B"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args(argv)
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    result = measure(url, args.questions, args.redis)
    requests, computed = result["requests"], result["redis_computed"]
    print(f"| backend | requests (2 processes × {args.questions} questions) | computed | served from the "
          f"cache | median A (first asked) | median B (asked after A) |")
    print("|---|---|---|---|---|---|")
    print(f"| Redis | {requests} | {computed} | {requests - computed} | {result['redis_a_ms']:.0f} ms | "
          f"{result['redis_b_ms']:.0f} ms |")
    print(f"| LocMem | {requests} | {requests} | 0 | {result['locmem_a_ms']:.0f} ms | {result['locmem_b_ms']:.0f} ms |")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
