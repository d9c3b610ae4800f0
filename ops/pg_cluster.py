"""PostgreSQL clusters the restart check may restart.

By default a scratch cluster: initdb into a temporary directory on a free
loopback port, so restarting it disturbs nobody else's connections. With
`main`, the machine's own cluster is restarted through pg_ctlcluster, as a
CI machine that runs nothing else may do.
"""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

from ops.loopback import LOOPBACK, CheckFailed, free_port


def _pg_bin(program):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"))
    return found[-1] if found else shutil.which(program)


def unavailable_reason(kind):
    """Why a cluster of this kind cannot be restarted here, or None."""
    if kind == "main":
        return None if shutil.which("pg_ctlcluster") else "pg_ctlcluster is not installed (Debian postgresql-common)"
    missing = [program for program in ("initdb", "pg_ctl") if not _pg_bin(program)]
    if missing:
        return f"PostgreSQL server programs not found: {', '.join(missing)}"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser to start PostgreSQL as the postgres user"
    return None


class ScratchCluster:
    def __init__(self):
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="ops-pgcluster-")
        self.data = os.path.join(self.directory, "data")

    def _run(self, *command, timeout=60):
        # PostgreSQL refuses to run as root: run its programs as the postgres user.
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        # Output goes to a file, not a pipe: the postmaster inherits it and would hold a pipe open.
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                    timeout=timeout)
            if result.returncode:
                output.seek(0)
                raise CheckFailed(f"{' '.join(command)} failed:\n{output.read()}")

    def start(self):
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.directory, postgres.pw_uid, postgres.pw_gid)
        self._run(_pg_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--locale=C.UTF-8")
        self._pg_ctl("start")

    def _pg_ctl(self, action, *options):
        self._run(_pg_bin("pg_ctl"), "-D", self.data, "-l", os.path.join(self.directory, "log"), "-w", *options,
                  "-o", f"-p {self.port} -k {self.directory} -c listen_addresses={LOOPBACK} -c fsync=off", action)

    def restart(self, while_down=None):
        """Stop (fast) and start again; `while_down()`, if given, runs between the two."""
        if while_down is None:
            self._pg_ctl("restart", "-m", "fast")
            return
        self._pg_ctl("stop", "-m", "fast")
        try:
            while_down()
        finally:
            self._pg_ctl("start")

    def remove(self):
        with contextlib.suppress(CheckFailed, subprocess.TimeoutExpired):
            self._pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


class MainCluster:
    """The machine's cluster that $DATABASE_URL points at (Debian's 15/main)."""

    port = None  # keep DATABASE_URL's port

    def __init__(self, version="15", name="main"):
        self.version, self.name = version, name

    def start(self):
        pass

    def _pg_ctlcluster(self, action):
        result = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action],
                                capture_output=True, text=True, timeout=60)
        if result.returncode:
            raise CheckFailed(f"pg_ctlcluster {action} failed:\n{result.stderr}")

    def restart(self, while_down=None):
        """Restart; `while_down()`, if given, runs while the cluster is stopped."""
        if while_down is None:
            self._pg_ctlcluster("restart")
        else:
            self._pg_ctlcluster("stop")
            try:
                while_down()
            finally:
                self._pg_ctlcluster("start")
        # pg_ctlcluster returns once the postmaster runs; wait until it accepts connections.
        for _ in range(100):
            if subprocess.run(["pg_isready", "-q", "-h", LOOPBACK]).returncode == 0:
                return
            time.sleep(0.1)

    def remove(self):
        pass


@contextlib.contextmanager
def cluster(kind="scratch"):
    reason = unavailable_reason(kind)
    if reason:
        raise CheckFailed(reason)
    instance = MainCluster() if kind == "main" else ScratchCluster()
    try:
        instance.start()
        yield instance
    finally:
        instance.remove()


class ReplicaCluster(ScratchCluster):
    """A streaming replica of a scratch primary: pg_basebackup -R (standby.signal and
    primary_conninfo written for us) into a directory of its own, started on another free port."""

    def __init__(self, primary):
        super().__init__()
        self.primary = primary

    def start(self):
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.directory, postgres.pw_uid, postgres.pw_gid)
        self._run(_pg_bin("pg_basebackup"), "-h", LOOPBACK, "-p", str(self.primary.port), "-U", "postgres",
                  "-D", self.data, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast", timeout=300)
        self._pg_ctl("start")

    def stop(self):
        self._pg_ctl("stop", "-m", "fast")

    def start_again(self):
        self._pg_ctl("start")


@contextlib.contextmanager
def primary_and_replica():
    """(primary, replica): a scratch primary cluster and a streaming replica of it, removed afterwards."""
    reason = unavailable_reason("scratch") or (None if _pg_bin("pg_basebackup") else "pg_basebackup not found")
    if reason:
        raise CheckFailed(reason)
    primary = ScratchCluster()
    replica = None
    try:
        primary.start()
        replica = ReplicaCluster(primary)
        yield primary, replica
    finally:
        if replica:
            replica.remove()
        primary.remove()
