"""Bounded load on loopback: wrk on the public pages (0 errors allowed) and concurrent writers
(several processes saving incidents at once: no lost or duplicated rows).

    python -m ops.load_check [--seconds 8] [--connections 8] [--writers 4] [--per-writer 25]
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile

from ops.loopback import (
    PYTHON,
    ROOT,
    CheckFailed,
    app_env,
    base_database_name,
    command_line_report,
    gunicorn,
    public_paths,
    query,
    scratch_database,
)

# wrk requests one URL; this script walks through all public paths in turn.
# (Each path answered 200 before the run; wrk counts any non-2xx/3xx answer.)
ROTATE_LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def parse_wrk(output):
    def number(pattern, default=0):
        found = re.search(pattern, output)
        return float(found.group(1)) if found else default

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(number(r"(\d+) requests in")),
        "requests_per_second": number(r"Requests/sec:\s+([\d.]+)"),
        "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        "latency_avg": (re.search(r"Latency\s+(\S+)", output) or [None, None])[1],
    }


def wrk_load(base, paths, seconds, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(ROTATE_LUA % ", ".join(f'"{path}"' for path in paths))
        script.flush()
        result = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                                 "-s", script.name, base], capture_output=True, text=True, timeout=seconds + 30)
    if result.returncode:
        raise CheckFailed(f"wrk failed: {result.stderr}")
    report = parse_wrk(result.stdout)
    if not report["requests"]:
        raise CheckFailed(f"wrk made no requests:\n{result.stdout}")
    return report


def timeline_counts_agree(run_query):
    """Whether the trigger-kept timeline counts equal a count of the published incidents themselves,
    per day and event type. `run_query(sql)` returns the rows."""
    counted = run_query("SELECT date, event_type, sum(incidents), sum(fatalities) FROM incidents_timelinecount "
                        "GROUP BY 1, 2 HAVING sum(incidents) <> 0 ORDER BY 1, 2")
    truth = run_query("SELECT date, event_type, count(*), sum(fatalities) FROM incidents_incident "
                      "WHERE status = 'approved' AND merged_into_id IS NULL GROUP BY 1, 2 ORDER BY 1, 2")
    return [(*row[:2], *map(int, row[2:])) for row in counted] == [(*row[:2], *map(int, row[2:])) for row in truth]


def concurrent_writers(url, writers, per_writer):
    """Start the writers together; every incident each reports must be in the database exactly once."""
    processes = [subprocess.Popen([PYTHON, "-m", "ops.writer", str(worker), str(per_writer)], cwd=ROOT,
                                  env=app_env(url), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for worker in range(writers)]
    for process in processes:  # all set up: start them at once
        if process.stdout.readline().strip() != "ready":
            raise CheckFailed(f"a writer did not start:\n{process.communicate(timeout=30)[1][-2000:]}")
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    reported = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        if process.returncode:
            raise CheckFailed(f"a writer failed:\n{err[-2000:]}")
        reported += [int(pk) for pk in out.split()]
    rows = query(url, "SELECT i.id, i.notes, count(e.id), "
                      "(SELECT count(*) FROM incidents_historicalincident h WHERE h.id = i.id) "
                      "FROM incidents_incident i LEFT JOIN incidents_evidence e ON e.incident_id = i.id "
                      "WHERE i.notes LIKE 'ops-writer %%' GROUP BY i.id")
    stored = {pk: (notes, evidence, history) for pk, notes, evidence, history in rows}
    expected = {f"ops-writer {worker}-{sequence}" for worker in range(writers) for sequence in range(per_writer)}
    notes = [notes for notes, _, _ in stored.values()]
    report = {
        "writers": writers,
        "incidents_reported_saved": len(reported),
        "incidents_stored": len(stored),
        "lost": len(set(reported) - set(stored)) + len(expected - set(notes)),
        "duplicated": len(notes) - len(set(notes)),
        "without_one_evidence_and_history_row": sum(1 for _, evidence, history in stored.values()
                                                    if (evidence, history) != (1, 1)),
        # The trigger-kept counts must still equal a count of the incidents after all those publications.
        "timeline_counts_match_incidents": timeline_counts_agree(lambda sql: query(url, sql)),
    }
    if report["lost"] or report["duplicated"] or report["without_one_evidence_and_history_row"] \
            or not report["timeline_counts_match_incidents"] or len(stored) != writers * per_writer:
        raise CheckFailed(f"concurrent writers lost or duplicated rows: {json.dumps(report)}")
    return report


def run(seconds=8, connections=8, writers=4, per_writer=25, candidates=None):
    with scratch_database(f"{base_database_name()}_ops_load") as url, gunicorn(url, workers=2) as base:
        paths = public_paths(base, url, candidates)
        load = wrk_load(base, paths, seconds, connections)
        load.update(paths=paths, seconds=seconds, connections=connections)
        if load["non_2xx_3xx"] or load["socket_errors"]:
            raise CheckFailed(f"errors under load: {json.dumps(load)}")
        writing = concurrent_writers(url, writers, per_writer)
    return {"wrk": load, "concurrent_writers": writing}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--per-writer", type=int, default=25)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        print("SKIPPED: wrk is not installed (Debian package wrk)")
        return 0
    return command_line_report(lambda: run(options.seconds, options.connections, options.writers,
                                           options.per_writer))


if __name__ == "__main__":
    sys.exit(main())
