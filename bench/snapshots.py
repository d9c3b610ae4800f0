#!/usr/bin/env python
"""Snapshots and as_of at scale: the time of an as_of export and the storage of a snapshot.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/dz_bench .venv/bin/python bench/snapshots.py

Needs a database filled by bench/generate.py. The generator writes no history (as for any bulk
import), so this first gives every row one history version (type "+", a day ago) when the history
is empty: then `as_of` has something to rebuild, one version per row, the cheapest realistic case
(real data has a few versions per incident; the latest-version lookup reads them all through the
index of migration 0015). Then, for each view (everything; one governorate and year; one event type):
  - the live CSV export (read model) and the as_of CSV export (rebuilt from history), seconds;
  - a snapshot of that view: creation seconds, CSV and GeoJSON bytes, bytes stored after zlib.
Prints a Markdown table for docs/PERFORMANCE.md. Snapshots made here are deleted afterwards.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VIEWS = {
    "everything": "",
    "Deir ez-Zor governorate, 2016": "governorate={gov}&date_from=2016-01-01&date_to=2016-12-31",
    "one event type (Battles)": "event_type=Battles",
}


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/dz_bench")
    import django

    django.setup()


def fill_history():
    """One '+' version per live row of every table as_of rebuilds, when that history is empty."""
    from django.db import connection

    from incidents.exports.as_of import HISTORY_MODELS, M2M_FIELDS
    from incidents.models import Incident

    when = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    with connection.cursor() as cursor:
        for model in HISTORY_MODELS:
            history = model.history.model._meta.db_table
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {history})")
            if cursor.fetchone()[0]:
                continue
            columns = [connection.ops.quote_name(f.column) for f in model._meta.concrete_fields]
            started = time.perf_counter()
            cursor.execute(f"INSERT INTO {history} ({', '.join(columns)}, history_date, history_type) "
                           f"SELECT {', '.join(columns)}, %s, '+' FROM {model._meta.db_table}", [when])
            print(f"history of {model._meta.db_table}: {cursor.rowcount} rows in {time.perf_counter() - started:.1f} s")
        for name in M2M_FIELDS:
            through = getattr(Incident, name).through._meta.db_table
            history = f"{Incident.history.model._meta.db_table}_{name}"
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {history})")
            if not cursor.fetchone()[0]:
                cursor.execute(f"INSERT INTO {history} (id, incident_id, actor_id, history_id) "
                               f"SELECT t.id, t.incident_id, t.actor_id, h.history_id FROM {through} t "
                               f"JOIN {Incident.history.model._meta.db_table} h ON h.id = t.incident_id")
        cursor.execute("ANALYZE")


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def measure(query, repeat):
    from django.http import QueryDict

    from incidents.exports.as_of import as_of_bytes
    from incidents.exports.incidents import PublicExport
    from incidents.exports.lines import CsvStream
    from incidents.exports.snapshots import create_snapshot
    from incidents.models import Snapshot, SnapshotFile

    def live():
        export = PublicExport(QueryDict(query))
        stream = CsvStream(export.incidents.queryset, everything=export.everything)
        return sum(len(chunk) for chunk in [stream.start(), *stream.rest()])

    moment = datetime.datetime.now(datetime.UTC)
    live_times = [timed(live) for _ in range(repeat)]
    as_of_times = [timed(lambda: len(as_of_bytes(QueryDict(query), moment, "csv"))) for _ in range(repeat)]
    seconds, snapshot = timed(lambda: create_snapshot(QueryDict(query)))
    files = SnapshotFile.objects.filter(pk__in=[snapshot.csv_file_id, snapshot.geojson_file_id])
    row = {
        "rows": snapshot.rows,
        "live_s": min(t for t, _ in live_times), "as_of_s": min(t for t, _ in as_of_times),
        "csv_bytes": live_times[0][1], "as_of_bytes": as_of_times[0][1],
        "snapshot_s": seconds,
        "stored": {f.pk == snapshot.csv_file_id and "csv" or "geojson": (f.size, f.stored_size) for f in files},
    }
    Snapshot.objects.filter(pk=snapshot.pk).delete()
    files.delete()
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each export (the best is reported)")
    parser.add_argument("--only", nargs="*", choices=list(VIEWS), help="views to measure")
    args = parser.parse_args()
    setup()
    from incidents.models import AdminArea, Incident

    fill_history()
    total = Incident.objects.count()
    gov = AdminArea.objects.get(pcode="SYR009").pk
    print(f"\n{total:,} incidents ({Incident.objects.published().count():,} published)\n")
    print("| view | rows | live CSV export | as_of CSV export | snapshot created | CSV | GeoJSON | stored (zlib) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, query in VIEWS.items():
        if args.only and name not in args.only:
            continue
        r = measure(query.format(gov=gov), args.repeat)
        csv_size, csv_stored = r["stored"]["csv"]
        geo_size, geo_stored = r["stored"]["geojson"]
        assert r["as_of_bytes"] == csv_size, "the snapshot's CSV is the as_of CSV"
        print(f"| {name} | {r['rows']:,} | {r['live_s']:.2f} s | {r['as_of_s']:.2f} s | {r['snapshot_s']:.2f} s "
              f"| {csv_size / 1e6:.1f} MB | {geo_size / 1e6:.1f} MB | {(csv_stored + geo_stored) / 1e6:.1f} MB "
              f"({(csv_stored + geo_stored) / max(1, r['rows']):.0f} B/row) |", flush=True)


if __name__ == "__main__":
    main()
