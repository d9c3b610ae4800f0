"""Training runs again after imports, and nobody waits on it.

After an import commits (`manage.py import_acled`, the admin's ACLED import), `after_import()`
starts `manage.py train_suggestions --if-stale` as a detached process and returns at once:

    import commits ─▶ on_commit ─▶ Popen(nice manage.py train_suggestions --if-stale, own session)
                                     │  output appended to SUGGESTION_MODEL_DIR/training.log
                                     └─▶ lock SUGGESTION_MODEL_DIR/training.lock (flock, not waiting)
                                           taken: train while an approved incident changed since the
                                                  newest model read the database; release; check again
                                           held by another training: exit (that one checks again
                                                  after it releases the lock, so no change is missed)

At most one training per model folder runs at a time: the lock is an flock on a file in the folder
the models are written to, so it is per machine when each machine keeps its own models, and the
kernel releases it when a training process dies (no stale lock to clear by hand). A page only ever
loads the newest finished file (learned.current_model), so it never waits.

The child gets this process's database name and model folder in its environment, so a test (whose
database is `test_…`) trains on the database it imported into. SUGGESTION_TRAIN_AFTER_IMPORT=0
turns it off (the test suite does, except where a test turns it on).
"""

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection, transaction

LOCK_FILE = "training.lock"
LOG_FILE = "training.log"
started = []  # the processes this process started (the last one is what a test waits for)


def _database_url():
    """DATABASE_URL naming the database this process is connected to (a test's `test_…` one)."""
    configured = connection.settings_dict
    url = os.environ.get("DATABASE_URL") or (f"postgis://{quote(configured['USER'] or '')}@"
                                            f"{configured['HOST'] or '127.0.0.1'}:{configured['PORT'] or 5432}/")
    return urlunsplit(urlsplit(url)._replace(path="/" + quote(configured["NAME"])))


def start_in_background():
    """Start `train_suggestions --if-stale` detached (own session, low priority) and return at once.

    Returns the subprocess.Popen, or None when SUGGESTION_TRAIN_AFTER_IMPORT is off."""
    if not settings.SUGGESTION_TRAIN_AFTER_IMPORT:
        return None
    directory = Path(settings.SUGGESTION_MODEL_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "train_suggestions", "--if-stale"]
    if nice := shutil.which("nice"):  # the web workers keep the CPU first
        command = [nice, "-n", "10", *command]
    env = {**os.environ, "DATABASE_URL": _database_url(), "SUGGESTION_MODEL_DIR": str(directory)}
    with open(directory / LOG_FILE, "ab") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   cwd=settings.BASE_DIR, env=env, start_new_session=True, close_fds=True)
    started.append(process)
    del started[:-5]  # forgotten Popen objects are reaped by the next Popen: no zombies pile up
    return process


def after_import():
    """Call after an import wrote rows: inside its transaction the training starts once they are
    committed (never for the admin's preview, which is rolled back); outside one, at once."""
    transaction.on_commit(start_in_background)


@contextlib.contextmanager
def training_lock(directory=None, wait=False):
    """Hold the model folder's training lock; yields False when another training holds it and
    `wait` is False."""
    directory = Path(directory or settings.SUGGESTION_MODEL_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_FILE, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def train_while_stale(is_stale, train, first=False, wait=False):
    """Train (`train()`) while `is_stale()`, holding the training lock; `first`: train once whatever
    `is_stale()` says. Returns how many models were trained, or None when another training holds the
    lock (it checks `is_stale()` again after releasing it, so nothing is missed)."""
    trained = 0
    while True:
        with training_lock(wait=wait) as held:
            if not held:
                return None if not trained else trained
            while first or is_stale():
                first = False
                train()
                trained += 1
        # A change committed after the last check, whose own training found the lock held, is seen here.
        if not is_stale():
            return trained
