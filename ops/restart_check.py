"""Restart PostgreSQL under a running gunicorn and prove the next requests recover by themselves.

Each gunicorn worker holds a persistent database connection (CONN_MAX_AGE);
a restart breaks them all. With CONN_HEALTH_CHECKS Django notices the dead
connection at the start of the next request and reconnects, so no request
after the restart may fail.

    python -m ops.restart_check [--cluster scratch|main]
"""

import argparse
import json
import sys
import threading
import time

from ops import pg_cluster
from ops.loopback import (
    CheckFailed,
    base_database_name,
    command_line_report,
    get,
    gunicorn,
    public_paths,
    scratch_database,
)

WARM_UP_ROUNDS = 3
ROUNDS_AFTER = 5
# How long the database stays down at most while visitors keep coming (it comes back sooner once
# every path has been asked while it was down).
LONGEST_DOWNTIME_SECONDS = 15


def _traffic_during(base, paths, stop, log):
    """Background visitors: keep requesting while the database goes down and up again."""
    while not stop.is_set():
        for path in paths:
            started = time.monotonic()
            log.append((started, path, get(base + path, timeout=5)[0]))


def _requests_after(base, paths):
    """(seconds since the restart ended, path, status) of a few rounds over every path."""
    restarted, answers = time.monotonic(), []
    for _ in range(ROUNDS_AFTER):
        for path in paths:
            status = get(base + path)[0]
            answers.append((time.monotonic() - restarted, path, status))
    return answers


def _quiet_restart(cluster, base, paths):
    """No request while the database is down: every worker still holds its dead connection afterwards,
    so the first request each worker serves must notice and reconnect (CONN_HEALTH_CHECKS)."""
    for _ in range(WARM_UP_ROUNDS):
        for path in paths:
            status = get(base + path)[0]
            if status != 200:
                raise CheckFailed(f"{path} answered {status} before the restart")
    started = time.monotonic()
    cluster.restart()
    restart_seconds = time.monotonic() - started
    after = _requests_after(base, paths)
    return restart_seconds, after


def _until_every_path_was_asked_since(moment, paths, log):
    """Keep the database down until each path has been answered for a request begun after `moment`:
    a restart faster than one request would otherwise leave the down phase untested."""
    deadline = time.monotonic() + LONGEST_DOWNTIME_SECONDS
    while time.monotonic() < deadline:
        if {path for started, path, _ in list(log) if started > moment} >= set(paths):
            return
        time.sleep(0.05)


def _busy_restart(cluster, base, paths):
    """Visitors keep coming while the database restarts: errors while it is down are expected,
    none once it is back (after a one-second grace for requests that were already in flight)."""
    stop, during = threading.Event(), []
    visitors = threading.Thread(target=_traffic_during, args=(base, paths, stop, during), daemon=True)
    visitors.start()
    time.sleep(0.5)
    started = time.monotonic()
    cluster.restart(while_down=lambda: _until_every_path_was_asked_since(time.monotonic(), paths, during))
    restarted = time.monotonic()
    after = _requests_after(base, paths)
    stop.set()
    visitors.join(timeout=15)
    late = [(path, status) for moment, path, status in during if status != 200 and moment > restarted + 1]
    down = [(moment, status) for moment, _, status in during if restarted > moment > started]
    return restarted - started, after, late, down


def _summary(restart_seconds, after, late=()):
    failed = [(path, status) for _, path, status in after if status != 200] + list(late)
    first_ok = min((moment for moment, _, status in after if status == 200), default=None)
    return failed, {
        "restart_seconds": round(restart_seconds, 2),
        "requests_after_restart": len(after),
        "errors_after_restart": len(failed),
        "first_success_after_restart_seconds": round(first_ok, 3) if first_ok is not None else None,
    }


def run(kind="scratch", candidates=None):
    with pg_cluster.cluster(kind) as cluster:
        with scratch_database(f"{base_database_name()}_ops_restart", port=cluster.port) as url, \
                gunicorn(url, workers=2) as base:
            paths = public_paths(base, url, candidates)
            quiet = _quiet_restart(cluster, base, paths)
            restart_seconds, after, late, down = _busy_restart(cluster, base, paths)
    quiet_failed, quiet_report = _summary(*quiet)
    busy_failed, busy_report = _summary(restart_seconds, after, late)
    busy_report.update(requests_while_down=len(down), errors_while_down=sum(1 for _, s in down if s != 200))
    report = {"cluster": kind, "paths": paths, "quiet_restart": quiet_report, "restart_under_traffic": busy_report}
    if quiet_failed or busy_failed:
        raise CheckFailed(f"requests failed after a restart: {quiet_failed + busy_failed}\n{json.dumps(report)}")
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cluster", choices=["scratch", "main"], default="scratch",
                        help="scratch: a throwaway cluster on a free port (default); main: pg_ctlcluster 15 main")
    kind = parser.parse_args().cluster
    reason = pg_cluster.unavailable_reason(kind)
    if reason:
        print(f"SKIPPED: {reason}")
        return 0
    return command_line_report(lambda: run(kind))


if __name__ == "__main__":
    sys.exit(main())
