#!/usr/bin/env python
"""What the count triggers cost writers: the same updates with triggers off (replica role) and on.

    .venv/bin/python bench/write_cost.py      # on the benchmark database (DATABASE_URL, default dz_bench)

Each of 500 published incidents is sent to review and approved again, one statement per
transaction (as an analyst's save), then two 500-row UPDATEs of the date run in one transaction
(as a bulk edit). Every change is undone, so the data end as they began.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import DEFAULT_URL, connect  # noqa: E402

SAMPLE = 500


def measure(cur, ids, triggers):
    cur.execute("SET session_replication_role = %s", ["origin" if triggers else "replica"])
    started = time.perf_counter()
    for pk in ids:
        cur.execute("UPDATE incidents_incident SET status = 'in_review' WHERE id = %s", [pk])
        cur.execute("UPDATE incidents_incident SET status = 'approved' WHERE id = %s", [pk])
    single_ms = (time.perf_counter() - started) / (2 * len(ids)) * 1000
    started = time.perf_counter()
    cur.execute("BEGIN")
    cur.execute("UPDATE incidents_incident SET date = date - 1 WHERE id = ANY(%s)", [ids])
    cur.execute("UPDATE incidents_incident SET date = date + 1 WHERE id = ANY(%s)", [ids])
    cur.execute("COMMIT")
    return single_ms, (time.perf_counter() - started) * 1000


def main():
    conn = connect(os.environ.get("DATABASE_URL", DEFAULT_URL))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM incidents_incident WHERE status = 'approved' AND merged_into_id IS NULL "
                    "ORDER BY id LIMIT %s", [SAMPLE])
        ids = [row[0] for row in cur.fetchall()]
        print(f"{'triggers':<9} {'one-incident change':>20} {'2 x 500-row UPDATE':>19}")
        for _ in range(2):
            for triggers in (False, True):
                single_ms, bulk_ms = measure(cur, ids, triggers)
                print(f"{'on' if triggers else 'off':<9} {single_ms:>17.2f} ms {bulk_ms:>16.0f} ms")
    conn.close()


if __name__ == "__main__":
    main()
