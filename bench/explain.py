#!/usr/bin/env python
"""Where one of our requests spends its time: every SQL statement it runs, with EXPLAIN ANALYZE.

    .venv/bin/python bench/explain.py /api/timeline.json interval=week
    .venv/bin/python bench/explain.py /admin/incidents/incident/ status__exact=in_review --login
    .venv/bin/python bench/explain.py / event_type=Battles --plans 2

The request runs in this process (Django test client, production settings) against DATABASE_URL
(default dz_bench). Prints the wall time, the time inside SQL, each statement's time, and the
EXPLAIN (ANALYZE, BUFFERS) plans of the slowest statements, so a figure in bench/run.py can be
traced to a query, an index, or Python.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import BENCH_USER, DEFAULT_URL, setup_django  # noqa: E402


def profile(path, params, login=False):
    """(status, wall seconds, [(seconds, sql)]) of one GET, statements in the order run."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if login:
        client.force_login(get_user_model().objects.get(username=BENCH_USER))
    client.get(path, params)  # warm-up: lazy imports, caches
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path, params)
        if getattr(response, "streaming", False):
            for _ in response.streaming_content:
                pass
        wall = time.perf_counter() - started
    return response.status_code, wall, [(float(q["time"]), q["sql"]) for q in captured.captured_queries]


def explain(sql):
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql.replace("%", "%%"))
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("params", nargs="*", help="name=value query parameters")
    parser.add_argument("--login", action="store_true", help=f"as the generator's superuser {BENCH_USER!r}")
    parser.add_argument("--plans", type=int, default=1, help="EXPLAIN ANALYZE this many slowest statements")
    args = parser.parse_args(argv)
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.update(DEBUG="0", SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="127.0.0.1,localhost")
    setup_django()
    params = dict(p.split("=", 1) for p in args.params)
    status, wall, queries = profile(args.path, params, args.login)
    in_sql = sum(seconds for seconds, _ in queries)
    print(f"GET {args.path} {params} -> HTTP {status} in {wall * 1000:.0f} ms; {len(queries)} SQL statements "
          f"take {in_sql * 1000:.0f} ms, the rest ({(wall - in_sql) * 1000:.0f} ms) is Python.\n")
    for seconds, sql in queries:
        print(f"{seconds * 1000:8.1f} ms  {sql[:160]}")
    for seconds, sql in sorted(queries, reverse=True)[:args.plans]:
        print(f"\n-- {seconds * 1000:.0f} ms --\n{sql}\n\n{explain(sql)}")


if __name__ == "__main__":
    main()
