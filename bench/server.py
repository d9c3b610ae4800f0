"""Our side of the benchmark: a gunicorn server on loopback, timed HTTP requests, worker memory, wrk.

Our operations are measured over HTTP against gunicorn with production settings (DEBUG=0), so
every figure includes what a user waits for: Django, the template or serialiser, and the socket.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: the load test never leaves the machine


def server_env(database_url, static_root):
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, DEBUG="0", SECRET_KEY=env.get("SECRET_KEY", "bench-only-not-secret"),
               ALLOWED_HOSTS=f"{HOST},localhost", SECURE_SSL_REDIRECT="0", STATIC_ROOT=static_root,
               LOG_LEVEL="WARNING")
    return env


class Server:
    """gunicorn serving config.wsgi on HOST:port; use as a context manager."""

    def __init__(self, database_url, port, workers=4, static_root="/tmp/static_bench", prepare=True):
        self.port, self.workers, self.prepare = port, workers, prepare
        self.env = server_env(database_url, static_root)
        self.process = None

    def __enter__(self):
        manage = [sys.executable, str(ROOT / "manage.py")]
        # Other areas keep adding migrations; production static storage needs the hashed manifest
        # (collectstatic is incremental, so quick after the first run).
        if self.prepare:
            for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
                subprocess.run(manage + command, env=self.env, cwd=ROOT, check=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{HOST}:{self.port}",
             "--workers", str(self.workers), "--timeout", "900", "--log-level", "warning"],
            env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/admin/login/")  # any answer means a worker is up
                return self
            except OSError:
                time.sleep(0.2)
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.process.returncode}")
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def url(self, path):
        return f"http://{HOST}:{self.port}{path}"

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def reset_peak_memory(self):
        for pid in self.worker_pids():
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # 5 = reset VmHWM (peak RSS) to current RSS

    def peak_memory_mb(self):
        """The largest peak RSS among the workers since the last reset: the one that served the request."""
        peaks = []
        for pid in self.worker_pids():
            match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
            peaks.append(int(match.group(1)) / 1024)
        return max(peaks)

    def get(self, path, params=None, cookies=None, method="GET", body=None, headers=None):
        """(status, bytes received, response headers); the body is read and counted, not kept."""
        if params:
            path = f"{path}?{urlencode(params, doseq=True)}"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=900)
        all_headers = dict(headers or {})
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        size, newlines, first = 0, 0, b""
        while chunk := response.read(1 << 16):
            size += len(chunk)
            newlines += chunk.count(b"\n")
            first = first or chunk[:65536]
        connection.close()
        self.last_body_start, self.last_newlines = first, newlines
        return response.status, size, response.getheaders()

    def login(self, username, password):
        """Session cookies of a logged-in user. The cookies are Secure (production settings), so they
        are kept and sent by hand rather than through a cookie jar that would refuse them over http."""
        cookies = {}
        _, _, headers = self.get("/admin/login/")
        cookies.update(_cookies(headers))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', self.last_body_start)
        if token is None:
            raise RuntimeError("the admin login page has no CSRF token (is it broken?)")
        form = urlencode({"username": username, "password": password, "next": "/admin/",
                          "csrfmiddlewaretoken": unescape(token.group(1).decode())})
        status, _, headers = self.get("/admin/login/", method="POST", body=form, cookies=cookies,
                                      headers={"Content-Type": "application/x-www-form-urlencoded",
                                               "Referer": self.url("/admin/login/")})
        cookies.update(_cookies(headers))
        if status != 302 or "sessionid" not in cookies:
            raise RuntimeError(f"Admin login as {username} failed (HTTP {status}).")
        return cookies


def _cookies(headers):
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


WRK_LINE = {
    "requests_per_s": re.compile(r"Requests/sec:\s+([\d.]+)"),
    "requests": re.compile(r"(\d+) requests in"),
    "non_2xx": re.compile(r"Non-2xx or 3xx responses:\s+(\d+)"),
    "socket_errors": re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"),
    "p99": re.compile(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", re.M),
}
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url, seconds, connections, threads=2):
    """A bounded load (fixed connections and duration) with wrk; returns requests/s, p99 ms and errors."""
    output = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", url],
                            capture_output=True, text=True, check=True).stdout
    p99 = WRK_LINE["p99"].search(output)
    socket_errors = WRK_LINE["socket_errors"].search(output)
    non_2xx = WRK_LINE["non_2xx"].search(output)
    return {
        "requests_per_s": float(WRK_LINE["requests_per_s"].search(output).group(1)),
        "requests": int(WRK_LINE["requests"].search(output).group(1)),
        "p99_ms": float(p99.group(1)) * UNIT_MS[p99.group(2)] if p99 else None,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
        "output": output,
    }
