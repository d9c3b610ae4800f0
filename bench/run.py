#!/usr/bin/env python
"""Time our operations beside the raw PostgreSQL query that is their physical limit.

    .venv/bin/python bench/run.py                 # every operation, median of 5 (3 for the export)
    .venv/bin/python bench/run.py --only timeline map_clusters --repeat 9
    .venv/bin/python bench/run.py --markdown      # the table as Markdown, for docs/PERFORMANCE.md

DATABASE_URL selects the filled benchmark database (default dz_bench). Ours is measured over
HTTP against gunicorn (production settings, loopback, port --port); raw is measured with
psycopg2 on the same database.
Results are also written as JSON to bench/results/ (not committed).
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import BENCH_PASSWORD, BENCH_USER, DEFAULT_URL, bump_data_version, connect, setup_django  # noqa: E402
from incidents.common.plausible_dates import FIRST_DAY  # noqa: E402


class Sink:
    """A file-like target for COPY TO STDOUT that counts bytes and lines and keeps nothing."""

    def __init__(self):
        self.size = self.lines = 0

    def write(self, data):
        self.size += len(data)
        self.lines += data.count(b"\n" if isinstance(data, bytes) else "\n")


def run_raw(conn, statements, context):
    """Seconds to run the statements and read every result row (or every COPY byte) into this process."""
    sink = Sink()
    started = time.perf_counter()
    with conn.cursor() as cur:
        for sql in statements:
            if sql.startswith("COPY"):
                cur.copy_expert(cur.mogrify(sql, context).decode(), sink)
            else:
                cur.execute(sql, context)
                if cur.description:  # SET statements return nothing
                    cur.fetchall()
    conn.rollback()
    return time.perf_counter() - started, sink


def median_of(function, repeat, warm_up=True):
    """Median of `repeat` timed calls, after an untimed warm-up call (caches, lazy imports) unless
    repeat is 1, which is the CI smoke test's "does it still run" mode."""
    if warm_up and repeat > 1:
        function()
    samples = [function() for _ in range(repeat)]
    return statistics.median(s[0] for s in samples), samples


def new_data_version(conn):
    """Move the data version as any committed change would: the next public request is computed anew."""
    with conn.cursor() as cur:
        bump_data_version(cur)
    conn.commit()


def measure_time(server, conn, op, params, context, repeat, cookies, workers=4):
    """Ours twice: each request after a data change (computed, the figure judged), then the same
    request repeated with no change in between (what readers get from the public cache)."""

    def ours(after_change=True):
        if after_change:
            new_data_version(conn)
        started = time.perf_counter()
        status, size, _ = server.get(op.path, params, cookies=cookies)
        if status != 200:
            raise RuntimeError(f"{op.path} answered HTTP {status}")
        return time.perf_counter() - started, size, server.last_newlines

    def raw():
        seconds, _ = run_raw(conn, op.raw, context)
        return (seconds,)

    ours_s, ours_samples = median_of(ours, repeat)
    for _ in range(2 * workers):  # each gunicorn worker keeps its own cache: let each see the request
        ours(after_change=False)
    cached_s, _ = median_of(lambda: ours(after_change=False), repeat, warm_up=False)
    raw_s, _ = median_of(raw, repeat)
    return {"ours_ms": ours_s * 1000, "cached_ms": cached_s * 1000, "raw_ms": raw_s * 1000,
            "ratio": ours_s / raw_s, "bytes": ours_samples[-1][1]}


def measure_export(server, conn, op, params, context, repeat, earlier=None, workers=4):
    """`earlier`: ours from an earlier row with the same request, reused beside a different raw query."""
    peaks = []

    def ours():
        server.reset_peak_memory()
        started = time.perf_counter()
        status, size, _ = server.get(op.path, params)
        seconds = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"{op.path} answered HTTP {status}")
        peaks.append(server.peak_memory_mb())
        return seconds, size, server.last_newlines - 1

    def raw():
        seconds, sink = run_raw(conn, op.raw, context)
        return seconds, sink.size, sink.lines - 1

    # Each gunicorn worker's first export pays for lazy imports and its first connection (about 1.3 s
    # here), which would be the whole figure of a small export: warm every worker with an export of
    # nothing first. A day before any incident, not in the future: a future date is a 400 since
    # issue 15 (plausible dates), which warmed nothing.
    empty = {"date_from": FIRST_DAY.isoformat(), "date_to": FIRST_DAY.isoformat()}
    for _ in range(2 * workers):
        if server.get(op.path, empty)[0] != 200:
            raise RuntimeError(f"warming {op.path} failed")
    server.reset_peak_memory()
    idle_mb = server.peak_memory_mb()
    # No warm-up: each run reads the whole table anyway, and runs are long (docs/PERFORMANCE.md,
    # Harness and tests).
    if earlier:
        ours_s, rows, size = earlier["ours_ms"] / 1000, earlier["rows"], earlier["bytes"]
        idle_mb = earlier["idle_rss_mb"]
        peaks.append(earlier["peak_rss_mb"])
    else:
        ours_s, ours_samples = median_of(ours, repeat, warm_up=False)
        rows, size = ours_samples[-1][2], ours_samples[-1][1]
    raw_s, raw_samples = median_of(raw, repeat, warm_up=False)
    raw_rows = raw_samples[-1][2]
    return {"ours_ms": ours_s * 1000, "raw_ms": raw_s * 1000, "ratio": ours_s / raw_s, "rows": rows,
            "raw_rows": raw_rows, "ours_rows_per_s": rows / ours_s, "raw_rows_per_s": raw_rows / raw_s,
            "bytes": size, "raw_bytes": raw_samples[-1][1], "peak_rss_mb": max(peaks), "idle_rss_mb": idle_mb}


def measure_load(server, op, params, seconds, connections):
    from urllib.parse import urlencode

    from bench.server import run_wrk

    url = server.url(op.path + (f"?{urlencode(params)}" if params else ""))
    status, _, _ = server.get(op.path, params)
    if status != 200:
        raise RuntimeError(f"{op.path} answered HTTP {status}")
    result = run_wrk(url, seconds, connections)
    result.pop("output")
    return result


def measure_shared_cache(database_url, repeat, static_root):
    """bench/shared_cache.py as a row: 4 × `repeat` questions (at least 8), with Redis and with LocMem."""
    import redis

    from bench.shared_cache import measure

    try:
        result = measure(database_url, questions=max(8, 4 * repeat), static_root=static_root)
    except redis.RedisError as error:
        raise RuntimeError(f"no Redis at redis://127.0.0.1:6379 ({error})") from error
    # ours = B's median served from Redis; raw = B's median computing again in its own LocMem.
    return {**result, "ours_ms": result["redis_b_ms"], "raw_ms": result["locmem_b_ms"],
            "ratio": result["redis_b_ms"] / result["locmem_b_ms"]}


def others_active(conn):
    """Sessions of other programs busy on this database: they share the 2 cores with the figures."""
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state = 'active' AND pid <> pg_backend_pid()")
        busy = cur.fetchone()[0]
    conn.commit()
    return busy


def judge(op, result):
    if op.kind == "shared_cache":
        return result["redis_computed"] == result["questions"]
    if "requests_per_s" in result:
        return result["requests_per_s"] >= 200 and result["errors"] == 0
    if op.max_ratio is not None:
        return result["ratio"] <= op.max_ratio
    return result["ours_ms"] <= op.limit_ms


def run(database_url, only=None, repeat=5, port=8105, workers=4, wrk_seconds=10, wrk_connections=16,
        static_root="/tmp/static_bench", prepare=True, progress=print, save=None):
    """Measure every operation (or those in `only`); returns the result rows.

    prepare=False skips migrate and collectstatic, for callers that have just done both. `save(report)`
    is called after every operation, so a long run that fails late keeps what it measured."""
    from bench.operations import data_window, export_windows, operations
    from bench.server import Server

    conn = connect(database_url)
    with conn.cursor() as cur:
        # JIT compilation costs more than it saves on every query here (docs/PERFORMANCE.md, JIT).
        cur.execute("SET jit = off")
        context = data_window(cur)
        context.update(export_windows(cur))
    conn.commit()
    selected = [op for op in operations() if not only or op.key in only]
    results = []
    report = {"context": context, "repeat": repeat, "results": results,
              "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
              "load_average": [round(os.getloadavg()[0], 1)]}
    with Server(database_url, port, workers=workers, static_root=static_root, prepare=prepare) as server:
        cookies = None
        for op in selected:
            row = {"key": op.key, "label": op.label, "target": op.target, "note": op.note}
            results.append(row)
            params = {k: (v % context if isinstance(v, str) else v) for k, v in op.params.items()}
            started, busy_before = time.monotonic(), others_active(conn)
            try:
                if op.login and cookies is None:
                    cookies = server.login(BENCH_USER, BENCH_PASSWORD)
                if op.kind == "shared_cache":
                    row.update(measure_shared_cache(database_url, repeat, static_root))
                elif op.kind == "load":
                    row.update(measure_load(server, op, params, wrk_seconds, wrk_connections))
                elif op.kind == "export":
                    earlier = next((r for r in results if r is not row and r.get("path") == op.path
                                    and r.get("params") == params and "rows" in r), None)
                    row.update(measure_export(server, conn, op, params, context, min(repeat, 3), earlier, workers))
                    row["path"], row["params"] = op.path, params
                else:
                    row.update(measure_time(server, conn, op, params, context, repeat, cookies if op.login else None,
                                            workers))
                row["status"] = "met" if judge(op, row) else "MISSED"
            except (RuntimeError, OSError) as error:
                row["status"] = f"error: {error}"
            row["load_average"] = round(os.getloadavg()[0], 1)
            # Sampled before the operation only: afterwards our own gunicorn may still be busy (wrk).
            row["other_sessions_active"] = busy_before
            progress(f"{op.label}: {row['status']}, {' / '.join(describe(row)[:3])} "
                     f"({time.monotonic() - started:.0f} s, load {row['load_average']}, "
                     f"{row['other_sessions_active']} other sessions busy on the database)")
            if save:
                save(report)
    conn.close()
    report["load_average"].append(round(os.getloadavg()[0], 1))
    return report


def describe(row):
    """(ours, raw, ratio, details) as display strings."""
    if "requests_per_s" in row:
        rate = row["requests_per_s"]
        return (f"{rate:.1f} req/s" if rate < 10 else f"{rate:.0f} req/s", "—", "—",
                f"p99 {row['p99_ms']:,.0f} ms, {row['errors']} errors, {row['requests']} requests")
    if "ours_ms" not in row:
        return "—", "—", "—", ""
    details = []
    if "redis_computed" in row:
        details.append(f"Redis: {row['redis_computed']} computed of {row['requests']} requests "
                       f"({row['questions']} questions), B {row['redis_b_ms']:,.0f} ms vs A {row['redis_a_ms']:,.0f} ms; "
                       f"LocMem: {row['requests']} computed, B {row['locmem_b_ms']:,.0f} ms")
    elif "rows" in row:
        details.append(f"{row['rows']:,} rows; {row['ours_rows_per_s']:,.0f} vs {row['raw_rows_per_s']:,.0f} rows/s; "
                       f"peak RSS {row['peak_rss_mb']:.0f} MB (idle {row['idle_rss_mb']:.0f})")
    elif "bytes" in row:
        details.append(f"{row['bytes'] / 1024:,.0f} KB")
    if "cached_ms" in row:
        details.append(f"repeated with no change in between: {row['cached_ms']:,.0f} ms")
    return f"{row['ours_ms']:,.0f} ms", f"{row['raw_ms']:,.0f} ms", f"{row['ratio']:.2f}", "; ".join(details)


def table(report, markdown=False):
    header = ["operation", "ours (median, after a change)", "raw limit", "ours/raw", "target", "status", "details"]
    lines = []
    for row in report["results"]:
        ours, raw, ratio, details = describe(row)
        load = f"load {row['load_average']}" if "load_average" in row else ""
        lines.append([row["label"], ours, raw, ratio, row["target"], row["status"],
                      "; ".join(x for x in (details, row.get("note"), load) if x)])
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(cells) + " |" for cells in lines]
        return "\n".join(out)
    widths = [max(len(r[i]) for r in lines + [header]) for i in range(len(header) - 1)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    return "\n".join(fmt.format(*r) for r in [header] + lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="operation keys, e.g. csv_export timeline")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per operation (median reported)")
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-connections", type=int, default=16)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    setup_django()
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    path = results / f"run-{datetime.datetime.now(datetime.UTC):%Y-%m-%dT%H%M%S}.json"
    report = run(url, args.only, args.repeat, args.port, args.workers, args.wrk_seconds, args.wrk_connections,
                 static_root=os.environ.get("STATIC_ROOT", "/tmp/static_bench"),
                 progress=lambda message: print(message, file=sys.stderr, flush=True),
                 save=lambda report: path.write_text(json.dumps(report, indent=1, default=str)))
    context = report["context"]
    print(f"{context['published']:,} published incidents; map filter date_from={context['date_from']} "
          f"date_to={context['date_to']} matches {context['matching']:,}. Median of {args.repeat} runs. "
          f"Load average (1 min) before/after: {report['load_average'][0]} / {report['load_average'][-1]} "
          f"on {os.cpu_count()} cores.\n")
    print(table(report, args.markdown))
    print(f"\nSaved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
