#!/usr/bin/env python
"""The dashboard's first view and a repeat visit over a poor link, in Chromium (issue 16 point 10).

    .venv/bin/python bench/poor_connection.py                 # gunicorn on the bench database, 1 Mbps / 300 ms
    .venv/bin/python bench/poor_connection.py --url http://127.0.0.1:8131   # a server already running

Chromium (Debian's, through Playwright) is slowed by the DevTools protocol's
Network.emulateNetworkConditions: DOWN_KBPS down, UP_KBPS up, RTT_MS added to every request's
round trip. Map tiles and everything else outside the machine fail to resolve, as here (by a
host-resolver rule: Playwright's request routing would turn the browser cache off). For each run:

- first view: a browser with an empty cache opens `/`; bytes over the wire are the sum of
  Network.loadingFinished's encodedDataLength (headers and bodies as sent, compressed or not) of
  every request until the map, the timeline and the table are all on screen; the time is from
  navigation to that moment;
- repeat visit: the same browser opens `/` again (its cache full: 304s and immutable files).

Each is measured twice: once right after a change of the data version (the server computes every
answer: what the first reader after a publish waits for) and once more with a fresh browser
(the server's public cache warm: what every other reader gets). Targets: first view <= 150 KB,
visible <= 3 s, repeat visit <= 20 KB. Results go to docs/PERFORMANCE.md, "Poor connections".
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DOWN_KBPS, UP_KBPS, RTT_MS = 1000, 256, 300
CHROMIUM = "/usr/bin/chromium"
VISIBLE = """() => {
  const map = document.querySelector('#map');
  return map && map.dataset.loading === 'false' && map.dataset.count !== undefined
    && document.querySelector('#timeline') && document.querySelector('#table-panel, #results table');
}"""


def kind(url):
    """A short name for what a request fetched, for the breakdown."""
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0]
    if path == "/":
        return "dashboard HTML"
    if path.startswith("/static/"):
        return "static files"
    return path


def visit(context, url, timeout_s):
    """(bytes over the wire, seconds until map, timeline and table are shown, bytes per kind, statuses)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": RTT_MS,
        "downloadThroughput": DOWN_KBPS * 1000 / 8, "uploadThroughput": UP_KBPS * 1000 / 8})
    urls, sizes, statuses, cached = {}, {}, {}, set()
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    cdp.on("Network.responseReceived", lambda e: statuses.__setitem__(e["requestId"], e["response"]["status"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    cdp.on("Network.loadingFailed", lambda e: sizes.__setitem__(e["requestId"], 0))
    started = time.monotonic()
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    page.wait_for_function(VISIBLE, timeout=timeout_s * 1000, polling=50)
    seconds = time.monotonic() - started
    quiet_since = time.monotonic()  # then every request under way (outlines, places) finishes and is counted
    while time.monotonic() - quiet_since < 0.5 and time.monotonic() - started < timeout_s:
        page.wait_for_timeout(100)
        if set(urls) - set(sizes):
            quiet_since = time.monotonic()
    sizes = {r: 0 if r in cached else size for r, size in sizes.items()
             if not urls.get(r, "").startswith("data:")}
    by_kind = {}
    for request_id, size in sizes.items():
        name = kind(urls.get(request_id, "?"))
        by_kind[name] = by_kind.get(name, 0) + size
    codes = sorted("cache" if r in cached else f"{statuses.get(r, '?')}" for r in sizes)
    page.close()
    return sum(sizes.values()), seconds, by_kind, {code: codes.count(code) for code in set(codes)}


def measure(base_url, timeout_s, bump):
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"])
        for label in ("computed", "server cache warm"):
            if label == "computed" and bump:
                bump()
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            first = visit(context, base_url + "/", timeout_s)
            repeat = visit(context, base_url + "/", timeout_s)
            context.close()
            results[label] = {"first": first, "repeat": repeat}
        browser.close()
    return results


def report(results, rows):
    lines = [f"Chromium at {DOWN_KBPS / 1000:g} Mbps down, {UP_KBPS} kbps up, {RTT_MS} ms round trip; "
             f"{rows:,} published incidents." if rows else ""]
    for label, runs in results.items():
        total, seconds, by_kind, codes = runs["first"]
        lines.append(f"[{label}] first view: {total / 1024:.1f} KB over the wire, map+timeline+table shown "
                     f"after {seconds:.2f} s")
        for name, size in sorted(by_kind.items(), key=lambda item: -item[1]):
            lines.append(f"    {size / 1024:8.1f} KB  {name}")
        total, seconds, by_kind, codes = runs["repeat"]
        lines.append(f"[{label}] repeat visit: {total / 1024:.1f} KB, shown after {seconds:.2f} s "
                     f"(statuses {json.dumps(codes)})")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start gunicorn on the bench database)")
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=120, help="seconds to wait for a view")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/dz_bench")
    from bench.generate import bump_data_version, connect

    def bump():
        with connect(database_url) as conn, conn.cursor() as cur:
            bump_data_version(cur)

    def published_rows():
        with connect(database_url) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM incidents_incident WHERE status = 'approved' AND merged_into_id IS NULL")
            return cur.fetchone()[0]

    if args.url:
        results = measure(args.url.rstrip("/"), args.timeout, None)
        print(report(results, None))
        return
    from bench.server import Server

    with Server(database_url, args.port, workers=args.workers,
                static_root=os.environ.get("STATIC_ROOT", "/tmp/static_bench")) as server:
        results = measure(server.url(""), args.timeout, bump)
    print(report(results, published_rows()))


if __name__ == "__main__":
    main()
