"""The benchmark (bench/) still works end to end, on a few thousand synthetic incidents.

No timing is asserted: the numbers belong in docs/PERFORMANCE.md, from a real million-row run.
The harness measures our endpoints through gunicorn, which cannot see rows inside a test's
transaction, so the generator fills a database of its own beside the test database,
test_<name>_bench. It is kept between runs like a reused test database (creating, migrating and
dropping it would triple the test's time); the generator replaces its data on every run, and a
database whose migrations no longer apply is dropped and made again.
"""

import os
import subprocess
from functools import partial

import dj_database_url
import pytest
from django.conf import settings

from bench.generate import connect, fill, prepare_database
from bench.operations import operations
from bench.run import run
from ops.load_check import timeline_counts_agree
from ops.loopback import free_port

SMALL_N = 3000


@pytest.fixture(scope="module")
def bench_database():
    base = os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/deir_ez_zor")
    # One per parallel test worker (pytest-xdist names them gw0, gw1…), like the test databases.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"test_{dj_database_url.parse(base)['NAME']}_bench" + (f"_{worker}" if worker else "")
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        prepare_database(url, out=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        drop_database(url, name)
        prepare_database(url, out=subprocess.DEVNULL)
    conn = connect(url)
    counts = fill(conn, SMALL_N, seed=7, progress=False)
    yield url, conn, counts
    conn.close()


def drop_database(url, name):
    admin = connect(url, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def query(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_generator_writes_n_incidents_each_with_one_to_three_quoted_articles(bench_database):
    _, conn, counts = bench_database
    assert counts["incidents_incident"] == SMALL_N
    per_incident = query(conn, "SELECT min(n), max(n), count(*) FROM (SELECT incident_id, count(*) AS n "
                               "FROM incidents_evidence GROUP BY incident_id) e")
    assert per_incident == [(1, 3, SMALL_N)]
    # Every quote is the article text at its offsets, as Evidence.clean demands of analysts.
    mismatched = query(conn, "SELECT count(*) FROM incidents_evidence e "
                             "JOIN incidents_article a ON a.id = e.article_id "
                             "WHERE substr(a.text, e.start + 1, e.end - e.start) <> e.quote")
    assert mismatched == [(0,)]


def test_generated_points_lie_in_the_governorate_they_are_assigned_to(bench_database):
    _, conn, _ = bench_database
    outside = query(conn, "SELECT count(*) FROM incidents_incident i LEFT JOIN incidents_adminarea g "
                          "ON g.id = i.admin1_id WHERE g.id IS NULL OR NOT ST_Covers(g.geom, i.point)")
    assert outside == [(0,)]
    deir_ez_zor_share = query(conn, "SELECT avg((g.pcode = 'SYR009')::int) FROM incidents_incident i "
                                    "JOIN incidents_adminarea g ON g.id = i.admin1_id")[0][0]
    assert 0.35 < deir_ez_zor_share < 0.65


def test_generated_statuses_are_mostly_approved_with_some_unpublished_work(bench_database):
    _, conn, _ = bench_database
    shares = dict(query(conn, "SELECT status, count(*)::float / %d FROM incidents_incident GROUP BY status" % SMALL_N))
    assert 0.85 < shares["approved"] < 0.95
    assert {"draft", "in_review", "rejected"} <= set(shares)


def test_harness_reports_a_row_for_every_operation_beside_its_raw_limit(bench_database):
    url, conn, _ = bench_database
    # Counted here, not by the harness: approved and not merged into another incident.
    ((published,),) = query(conn, "SELECT count(*) FROM incidents_incident "
                                  "WHERE status = 'approved' AND merged_into_id IS NULL")
    conn.commit()
    assert 0 < published < SMALL_N
    # bin/test has just migrated (prepare_database) and collected static files: skip both.
    report = run(url, repeat=1, port=free_port(), workers=2, wrk_seconds=1, wrk_connections=2,
                 static_root=str(settings.STATIC_ROOT), prepare=False, progress=lambda message: None)
    assert report["context"]["published"] == published
    rows = {row["key"]: row for row in report["results"]}
    assert list(rows) == [op.key for op in operations()]
    for key, row in rows.items():
        # Every endpoint answered 200 and was measured: an error (a 404, a refused login, ...) is a failure.
        assert row["status"] in ("met", "MISSED"), f"{key}: {row['status']}"
        if "requests_per_s" in row:
            # A second of wrk on loopback: it made requests, and every answer was a 2xx.
            assert row["requests"] > 0 and row["requests_per_s"] > 0, f"{key}: {row}"
            assert row["errors"] == 0, f"{key}: {row}"
        elif key == "shared_cache":
            # Each distinct question computed once for both processes with Redis (with LocMem, twice).
            assert row["status"] == "met" and row["redis_computed"] == row["questions"] > 0, row
        else:
            assert row["ours_ms"] > 0 and row["raw_ms"] > 0 and row["bytes"] > 0, f"{key}: {row}"
    for key in ("csv_export_10k", "csv_export_100k", "csv_export"):
        export = rows[key]
        # The export and the bare COPY cover exactly the same incidents, or the ratio means nothing.
        assert export["rows"] == export["raw_rows"] > 0, f"{key}: {export}"
        assert export["peak_rss_mb"] > 0
    assert rows["csv_export"]["rows"] == published
    # The smaller sizes are the date windows the harness chose, counted again here.
    assert rows["csv_export_10k"]["rows"] == report["context"]["export_10k_matching"] < published


def test_generator_counts_match_the_incidents_and_write_cost_leaves_them_so(bench_database):
    from bench.write_cost import measure

    _, conn, _ = bench_database
    counts_agree = partial(timeline_counts_agree, partial(query, conn))
    assert counts_agree()  # the generator loads with triggers off, then rebuilds the counts
    ids = [row[0] for row in query(conn, "SELECT id FROM incidents_incident "
                                         "WHERE status = 'approved' AND merged_into_id IS NULL LIMIT 20")]
    conn.commit()
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            assert all(ms > 0 for ms in measure(cur, ids, triggers=False) + measure(cur, ids, triggers=True))
            cur.execute("SET session_replication_role = origin")
    finally:
        conn.autocommit = False
    assert counts_agree()
