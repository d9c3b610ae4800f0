"""Fuzz every public endpoint and the admin's JSON endpoints with 5,000 query strings each and report the 5xx found.

    .venv/bin/python ops/fuzz_public.py [--examples 5000] [--database deir_fuzz] [-k EXPRESSION]

Runs incidents/tests/public/test_fuzz_params.py and incidents/tests/operations/
test_fuzz_staff_and_snapshots.py (the same strategies CI runs with fewer examples) with
FUZZ_EXAMPLES_PER_ENDPOINT set, on its own test database; -k selects tests as pytest's -k does. A
public test fails on any answer other than a result or a 400 naming a parameter, a staff test on
any 5xx, so "passed" per endpoint means 0 x 5xx. The last run is recorded in docs/public-api.md
("Fuzzing").
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000, help="query strings per endpoint (default 5000)")
    parser.add_argument("--database", default="deir_fuzz", help="PostgreSQL database name for the test run")
    parser.add_argument("-k", dest="select", default="random_query_strings or snapshot or staff_pages",
                        help="pytest -k expression (default: every fuzz test)")
    args = parser.parse_args()
    env = {**os.environ, "FUZZ_EXAMPLES_PER_ENDPOINT": str(args.examples),
           "SECRET_KEY": os.environ.get("SECRET_KEY", "fuzz"), "DEBUG": "0", "SECURE_SSL_REDIRECT": "0",
           "DATABASE_URL": f"postgis://postgres@127.0.0.1:5432/{args.database}"}
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "incidents/tests/public/test_fuzz_params.py",
         "incidents/tests/operations/test_fuzz_staff_and_snapshots.py", "-p", "no:randomly", "-p", "no:xdist",
         "-p", "no:cacheprovider", "-q", "-rA", "-k", args.select],
        cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    results = re.findall(r"^(PASSED|FAILED|ERROR) \S+::(\S+)", run.stdout, re.MULTILINE)
    for outcome, endpoint in results:
        print(f"{outcome:7} {endpoint}")
    failed = [endpoint for outcome, endpoint in results if outcome != "PASSED"]
    print(f"{len(results)} endpoints, {args.examples} query strings each (staff HTML pages a tenth), "
          f"in {seconds:.0f} s: "
          f"{'0 x 5xx' if not failed and results else 'FAILURES in ' + ', '.join(failed) or 'no result'}")
    if failed or not results:
        print(run.stdout[-5000:], run.stderr[-2000:])
    return 0 if results and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
