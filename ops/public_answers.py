"""Record every answer the public gets, to prove that a refactor changed nothing they can see.

Builds a scratch PostGIS database (migrate, seed_demo, the real ACLED extract imported --approve,
then a changed row and a new row imported without --approve: incident 10 is withdrawn (410), 5008
never published (404)), fetches every public URL as an anonymous django.test.Client, and writes one
file per request (status, chosen headers, body) plus index.txt (`sha256  status  url`). It uses URL
paths and management command names only, so it keeps working when modules inside incidents/ move.
Record the tree before a refactor and after it, then compare (from the repo root):

    python ops/public_answers.py OUTPUT_DIR [--database NAME] [--keep]
    python ops/public_answers.py --compare DIR_A DIR_B      # exit 1 if any answer differs

The database (default deir_public_answers) is dropped and created, and dropped at the end unless
--keep. The extract is read from $SHARED_DATA_DIR or settings.SHARED_DATA_DIR. Settings that shape
the answers are pinned (DEBUG=0, no SSL redirect, host localhost, default SITE_URL, tiles, cache).

Normalised, because they legitimately change from run to run (nothing else is):
- /export/ CSV column `timestamp` and GeoJSON property "timestamp" (Unix seconds of updated_at: when
  this run imported the row): whole numbers become <unix-seconds>; an empty or odd cell stays.
- `withdrawn_at` of the withdrawn export (when this run withdrew the row) and the X-Export-Time
  header (when the download started): ISO date-times become <iso-time>.
- ETag ("<data version>-<URL hash>"; the version counts committed transactions, which a refactor
  may split or join): <etag>. The REVALIDATE requests still show that If-None-Match gets a 304.
- Today's date (each day the run spans) in Content-Disposition file names (an export without
  date_to ends today) and in the 410 page's "withdrawn on <date>" (the day this run withdrew it).
- CSRF tokens (random per request), a CSP nonce if any, and the order of Content-Security-Policy
  directives: django-csp 4.0 joins them in Python set order, which changes with each process's
  string hashing, so they are sorted (every directive kept).
Hashed static file names are not normalised: they depend only on the static files' contents.
"""

import argparse
import csv
import datetime
import difflib
import hashlib
import itertools
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXTRACT = "syr_acled_battles_deir_ez_zor_plus_sample.csv"
HEADERS = ("Content-Type", "Content-Disposition", "Location", "Allow", "Cache-Control", "Vary", "ETag",
           "X-Export-Time", "Content-Security-Policy")
# Row 3 of the extract (incident 10) is withdrawn; the new row (incident 5008) names a new actor, 353.
WITHDRAWN_ROW, NEW_ROW_ID, SECRET_ACTOR = "SYR113854", "SYR9999001", "Actor named only in an unpublished row"
FILTERS = [""] + """event_type=Battles event_type=Explosions%2FRemote+violence governorate=9 governorate=9&district=55
    actor=7 actor=2&governorate=11 date_from=2016-01-01&date_to=2016-12-31 date_from=2017-09-01&date_to=2017-09-30
    q=airbase q=DZI2 q=syr113811 q=isis+Mayadin min_fatalities=10 time_precision=2&time_precision=3 time_precision=4
    geo_precision=3 event_type=Battles&sub_event_type=Armed+clash event_type=Battles&sub_event_type=Air%2Fdrone+strike
    """.split()
BAD = """date_from=2016-13-45 actor=999999 actor=353 governorate=abc district=9 min_fatalities=-1 min_fatalities=x
    time_precision=9 geo_precision=0 event_type=Nope""".split()
QUERIES = {  # path: query strings ("" is the bare path)
    "/": FILTERS + BAD + """order=oldest order=fatalities&page=2 page=3 page=101 page=102 page=0 order=random
        interval=day&date_from=2016-01-01&date_to=2016-01-31 interval=week interval=month interval=year
        page=2&event_type=Battles&order=oldest date_from=2017-01-01&date_to=2017-12-31&interval=week&page=2""".split(),
    **{f"/incidents/{pk}/": [""] for pk in (1, 2, 5, 7, 8, 9, 10, 11, 1000, 2500, 5007, 5008, 99999, "x")},
    "/api/incidents.geojson": BAD[:3] + [""] + """bbox=39.5,34.5,41.0,35.8&zoom=9 bbox=35,32,43,38&zoom=5
        bbox=35,32,43,38&zoom=7 bbox=35,32,43,38 bbox=40.05,35.25,40.25,35.4&zoom=13 bbox=-200,-95,200,95&zoom=2
        bbox=39,34,41,36&zoom=8&date_from=2017-09-01 bbox=35,32,43,38&zoom=6&event_type=Battles&actor=7
        bbox=39.5,34.5,41.0,35.8&q=airbase bbox=1,2,3 bbox=41,34,40,35 bbox=nan,34,41,35 zoom=21 zoom=x""".split(),
    "/api/incidents.json": FILTERS + BAD + """page=2 page=11&page_size=500 page_size=1 page=3&page_size=7&actor=1
        page=0 page=99 page_size=0 page_size=501 page=x""".split(),
    "/api/timeline.json": FILTERS + BAD + """interval=day interval=week interval=month interval=auto
        interval=day&date_from=2017-09-01&date_to=2017-10-15 interval=week&governorate=9 interval=hour""".split(),
    "/api/boundaries.geojson": [""], "/api/places.geojson": [""],
    "/export/incidents.csv": FILTERS + BAD[:4] + """bom=1 bom=1&actor=7 bom=2 updated_since=1970-01-01
        updated_since=2100-01-01T00:00:00Z updated_since=0 updated_since=yesterday""".split(),
    "/export/incidents.geojson": FILTERS[:8] + ["updated_since=x", "date_from=x"],
    "/export/incidents-withdrawn.csv": ["updated_since=1970-01-01", "", "updated_since=2100-01-01",
                                        "updated_since=soon", "q=anything"],
    **{path: [""] for path in "/healthz /nowhere/ /admin/ /admin/login/ /work/mine/ /work/review/ "
                              "/assist/articles/1/suggestions/ /assist/incidents/2/duplicates/".split()},
}
REQUESTS = [f"{path}?{query}" if query else path for path, queries in QUERIES.items() for query in queries] + [
    "POST /api/incidents.json", "POST /export/incidents.csv", "POST /", "REVALIDATE /", "REVALIDATE /incidents/2/",
    "REVALIDATE /api/incidents.json?page=2", "REVALIDATE /api/timeline.json?interval=week", "REVALIDATE /healthz"]
CELL = re.compile(r'("(?:[^"]|"")*"|[^,"\r\n]*)(,|\r\n|\Z)')
ISO_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)"


def _environment(database, static_root):
    """Point settings at the scratch database, pin every setting the answers depend on, set Django up."""
    os.environ.update(DATABASE_URL=f"postgis://postgres@127.0.0.1:5432/{database}", DEBUG="0", SECURE_SSL_REDIRECT="0",
                      ALLOWED_HOSTS="localhost", STATIC_ROOT=static_root, DJANGO_SETTINGS_MODULE="config.settings")
    os.environ.setdefault("SECRET_KEY", "public-answers-scratch")
    for name in ("SITE_URL", "MAP_TILES_URL", "MAP_TILES_ATTRIBUTION", "PUBLIC_CACHE_SECONDS", "CACHE_MAX_ENTRIES"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(REPO))
    import django
    django.setup()
    for name in ("django.request", "django.security", "axes"):  # the 4xx answers are the point, not news
        logging.getLogger(name).setLevel(logging.ERROR)


def _recreate(database, drop_only=False):
    """Drop the scratch database (closing its connections) and, unless drop_only, create it with PostGIS."""
    from django.db import connection
    connection.close()
    with connection._nodb_cursor() as cursor:  # Django's own way in to the "postgres" database
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{database}"')
    if not drop_only:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION postgis")


def build_data(workdir):
    """Migrate, seed, import the extract approved, then withdraw one incident and add one in review."""
    from django.conf import settings
    from django.core.management import call_command
    quiet = {"verbosity": 0, "stdout": open(os.devnull, "w")}
    call_command("migrate", **quiet)
    call_command("collectstatic", interactive=False, **quiet)  # DEBUG=0 pages need the hashed-name manifest
    call_command("seed_demo", no_users=True, **quiet)  # demo logins are not public; skip their password hashing
    extract = Path(os.environ.get("SHARED_DATA_DIR") or settings.SHARED_DATA_DIR) / EXTRACT
    if not extract.is_file():
        sys.exit(f"No {extract}: set SHARED_DATA_DIR to the folder that has {EXTRACT}.")
    call_command("import_acled", str(extract), approve=True, **quiet)
    with open(extract, encoding="utf-8-sig", newline="") as file:
        row = next(r for r in csv.DictReader(file) if r["event_id_cnty"] == WITHDRAWN_ROW)
    review = Path(workdir) / "review.csv"
    with open(review, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(row))
        writer.writeheader()  # the same row with one more fatality, and a new row naming an unpublished actor
        writer.writerows([{**row, "fatalities": str(int(row["fatalities"]) + 1)},
                          {**row, "event_id_cnty": NEW_ROW_ID, "actor1": SECRET_ACTOR}])
    call_command("import_acled", str(review), **quiet)  # no --approve: both go to review


def _csv_column(text, name, pattern, marker):
    """CSV text with the cells of column `name` that fully match `pattern` replaced by `marker`, and
    byte for byte the same otherwise (a rewrite through the csv module would hide a change of quoting)."""
    header, newline, _ = text.partition("\r\n")
    names = header.lstrip("\ufeff").split(",")
    if name not in names:
        return text
    target, column, pos, out = names.index(name), 0, len(header + newline), [header + newline]
    for match in CELL.finditer(text, pos):
        if match.start() != pos:  # not CSV as we know it: keep the rest as it is, to show up in a diff
            break
        cell, separator = match.groups()
        out.append((marker if column == target and re.fullmatch(pattern, cell) else cell) + separator)
        column, pos = column + 1 if separator == "," else 0, match.end()
        if not separator:
            break
    return "".join(out) + text[pos:]


def normalise(url, headers, body, first_day):
    """The answer with only the run-dependent values of the module docstring replaced."""
    days = {first_day, datetime.datetime.now(datetime.UTC).date()}  # two if this run crossed midnight
    if re.fullmatch(r'(W/)?"\d+-[0-9a-f]{16}"', headers.get("ETag", "")):
        headers["ETag"] = "<etag>"
    if re.fullmatch(ISO_TIME, headers.get("X-Export-Time", "")):
        headers["X-Export-Time"] = "<iso-time>"
    for day in days:
        if "Content-Disposition" in headers:
            headers["Content-Disposition"] = headers["Content-Disposition"].replace(day.isoformat(), "<today>")
        body = body.replace(f"withdrawn on {day.day} {day:%b %Y}", "withdrawn on <date>")
    if "Content-Security-Policy" in headers:
        policy = re.sub(r"'nonce-[^']+'", "'nonce-<nonce>'", headers["Content-Security-Policy"])
        headers["Content-Security-Policy"] = "; ".join(sorted(policy.split("; ")))
    body = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1<csrf>"', body)
    if url.startswith("/export/"):
        body = _csv_column(body, "timestamp", r"\d+", "<unix-seconds>")
        body = _csv_column(body, "withdrawn_at", ISO_TIME, "<iso-time>")
        body = re.sub(r'("timestamp" ?: ?)\d+', r'\1"<unix-seconds>"', body)
    return headers, body


def _file_name(request):
    """A safe, unique file name for a request: its readable part, then a hash of all of it."""
    readable = re.sub(r"[^A-Za-z0-9._=-]+", "_", request).strip("_")[:100] or "root"
    return f"{readable}-{hashlib.sha1(request.encode()).hexdigest()[:8]}.txt"


def fetch_all(output, first_day):
    """Every request of REQUESTS as an anonymous visitor, normalised, one file each; returns the index lines."""
    from django.test import Client
    client, index, etags = Client(enforce_csrf_checks=True, raise_request_exception=False, HTTP_HOST="localhost"), [], {}
    for request in REQUESTS:
        method, _, url = request.rpartition(" ")
        if method == "POST":
            response = client.post(url)
        else:  # REVALIDATE: a GET with the ETag of the first answer, as a browser sends it
            response = client.get(url, **({"HTTP_IF_NONE_MATCH": etags.get(url, '"none"')} if method else {}))
        etags.setdefault(url, response.get("ETag", '"none"'))
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        response.close()
        headers = {name: response[name] for name in HEADERS if response.has_header(name)}
        headers, body = normalise(url, headers, raw.decode("utf-8", "surrogateescape"), first_day)
        head = f"{request}\nstatus: {response.status_code}\n" + "".join(f"{k}: {v}\n" for k, v in headers.items())
        data = (head + "\n" + body).encode("utf-8", "surrogateescape")
        (output / _file_name(request)).write_bytes(data)
        index.append(f"{hashlib.sha256(data).hexdigest()}  {response.status_code}  {request}")
    return index


def record(output, database, keep=False):
    """Build the scratch database, record every answer into `output`, print the count and digest."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", database) or database.startswith("test_") or database == "deir_ez_zor":
        sys.exit(f"Refusing to drop and recreate database {database!r}: choose a scratch name.")
    started, first_day = time.monotonic(), datetime.datetime.now(datetime.UTC).date()
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    for old in output.glob("*.txt"):
        old.unlink()
    with tempfile.TemporaryDirectory() as workdir:
        _environment(database, str(Path(workdir) / "static"))
        _recreate(database)
        try:
            build_data(workdir)
            index = fetch_all(output, first_day)
        finally:
            if not keep:
                _recreate(database, drop_only=True)
    text = "\n".join(index) + "\n"
    (output / "index.txt").write_text(text)
    print(f"{len(index)} URLs recorded in {output} in {time.monotonic() - started:.1f} s; "
          f"digest {hashlib.sha256(text.encode()).hexdigest()}")


def _short_diff(old, new, name_a, name_b, limit=40):
    """A unified diff of at most `limit` lines, each changed line cut to a window around its first
    difference from its counterpart (a CSV row or a JSON value can be thousands of characters)."""
    lines = [f"--- {name_a}", f"+++ {name_b}"]
    for group in difflib.SequenceMatcher(None, old, new).get_grouped_opcodes(1):
        (_, i1, _, j1, _), (_, _, i2, _, j2) = group[0], group[-1]
        lines.append(f"@@ -{i1 + 1},{i2 - i1} +{j1 + 1},{j2 - j1} @@")
        for tag, i1, i2, j1, j2 in group:
            for x, y in itertools.zip_longest(old[i1:i2], new[j1:j2]):
                if tag == "equal":
                    lines.append(" " + x[:200])
                    continue
                start = max(0, len(os.path.commonprefix([x or "", y or ""])) - 80)
                lines += [f"{sign}{'…' if start else ''}{line[start:start + 200]}"
                          for sign, line in (("-", x), ("+", y)) if line is not None]
        if len(lines) >= limit:
            break
    return lines[:limit]


def compare(first, second):
    """Print the URLs whose recorded answers differ, and a short diff of the first; 1 if any differ."""
    def entries(folder):
        if not (Path(folder) / "index.txt").is_file():
            sys.exit(f"No index.txt in {folder}: not a finished recording.")
        return {url: digest for digest, _, url in
                (line.split("  ", 2) for line in (Path(folder) / "index.txt").read_text().splitlines())}
    a, b = entries(first), entries(second)
    differ = [url for url in dict.fromkeys([*a, *b]) if a.get(url) != b.get(url)]
    for url in differ:
        print(f"differs: {url}" if url in a and url in b else f"only in {first if url in a else second}: {url}")
    shown = next((url for url in differ if url in a and url in b), None)
    if shown:
        files = [Path(folder) / _file_name(shown) for folder in (first, second)]
        print("\n".join(_short_diff(*(f.read_text(errors="replace").splitlines() for f in files), *files)))
    print(f"{len(differ)} of {len(set(a) | set(b))} URLs differ." if differ else f"Identical: {len(a)} URLs.")
    return 1 if differ else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", nargs="?", help="folder to record into (its *.txt files are replaced)")
    parser.add_argument("--database", default="deir_public_answers", help="scratch database: DROPPED and created")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--compare", nargs=2, metavar=("DIR_A", "DIR_B"), help="compare two recordings")
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if not args.output:
        parser.error("give OUTPUT_DIR, or --compare DIR_A DIR_B")
    record(args.output, args.database, args.keep)


if __name__ == "__main__":
    main()
