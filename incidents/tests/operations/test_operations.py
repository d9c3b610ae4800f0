"""Faults and load, on loopback only: each check makes its own database (and, for the restart, its own
PostgreSQL cluster), so neither the test database nor anyone else's connections are disturbed.
The same checks run from the command line as bin/check-restart and bin/check-load."""

import shutil

import pytest

from incidents.tests import urlwalk
from ops import load_check, pg_cluster, restart_check

pytestmark = pytest.mark.ops


def public_routes():
    """The argument-free public routes, from the URL resolver (saves the checks a Django start-up)."""
    return ["/" + route.template for route in urlwalk.routes() if route.is_public and not route.takes_arguments]


def test_requests_recover_by_themselves_after_postgres_restarts():
    reason = pg_cluster.unavailable_reason("scratch")
    if reason:
        pytest.skip(f"cannot start a scratch PostgreSQL cluster: {reason}")
    report = restart_check.run("scratch", public_routes())
    print(report)
    assert report["paths"], "no public page answered before the restart"
    for phase in ("quiet_restart", "restart_under_traffic"):
        assert report[phase]["errors_after_restart"] == 0
        assert report[phase]["requests_after_restart"] == len(report["paths"]) * restart_check.ROUNDS_AFTER
    # The traffic really did meet a database that was down, so the recovery was really tested.
    assert report["restart_under_traffic"]["errors_while_down"] > 0


def test_public_pages_under_bounded_load_give_no_errors():
    if not shutil.which("wrk"):
        pytest.skip("wrk is not installed (Debian package wrk)")
    report = load_check.run(seconds=5, connections=8, writers=4, per_writer=20, candidates=public_routes())
    print(report)
    assert "/" in report["wrk"]["paths"] and "/healthz" in report["wrk"]["paths"]
    assert report["wrk"]["requests"] > 0
    assert report["wrk"]["non_2xx_3xx"] == 0 and report["wrk"]["socket_errors"] == 0
    writers = report["concurrent_writers"]
    assert writers["incidents_stored"] == writers["incidents_reported_saved"] == 4 * 20
    assert writers["lost"] == writers["duplicated"] == writers["without_one_evidence_and_history_row"] == 0
    assert writers["timeline_counts_match_incidents"]

