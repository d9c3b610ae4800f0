"""PostgreSQL's own COPY … TO STDOUT as a stream of bytes chunks, with no Python object per row.

Reading a million lines through a cursor makes psycopg2 build a tuple and a bytes object per line,
and each FETCH is a round trip (docs/PERFORMANCE.md, Export). COPY sends every row in one
statement; psycopg2's `copy_expert` hands each row to a file's `write`, and here that file is a
buffered pipe, so each row costs one C-level memcpy. A worker thread runs the COPY and blocks when
the pipe is full; the response's thread reads the pipe a block at a time. Memory is bounded by the
pipe and one block, whatever the number of rows.

The rows arrive in COPY's text format: each value followed by LF, with backslash, CR, LF, tab and
the other C escapes (\\b \\f \\v) written as backslash sequences (PostgreSQL manual, COPY, "Text
Format"). A raw LF is therefore always the end of a row: it becomes CRLF (RFC 4180) and the escapes
are undone, which gives back each value byte for byte. (COPY's CSV format would quote a value that
already is a CSV line.)
"""

import codecs
import fcntl
import io
import os
import select
import threading
import time

import psycopg2
from django.conf import settings
from django.db import connections

PIPE_BYTES = 1 << 20  # the pipe's capacity (Linux's default maximum for a user: /proc/sys/fs/pipe-max-size)
# The most read from the pipe at a time, so about the most one chunk holds. Larger blocks cost more
# resident memory than they save time (docs/PERFORMANCE.md, Export: 1 MB blocks +45 MB RSS).
READ_BYTES = 128 * 1024


def rows_with_crlf(block):
    """bytes of whole COPY text-format rows of one column -> the values, each followed by CRLF."""
    block = block.replace(b"\n", b"\r\n")  # before unescaping: an escaped \n is part of a value
    # Most exports hold no backslash at all (no escape): then there is nothing to undo.
    return codecs.escape_decode(block)[0] if b"\\" in block else block


class ReaderStalled(Exception):
    """The download's reader took nothing from the pipe for settings.EXPORT_STALL_SECONDS: the COPY was
    abandoned and its database connection closed (raised by CopyOut's iteration, a cut transfer)."""


class _PipeWriter(io.RawIOBase):
    """The pipe's write end for the COPY thread, which waits at most `stall` seconds for room.

    A full pipe means the reader (the client, through the response) took nothing meanwhile; the COPY
    must then let go: blocked, psycopg2 stops reading the socket, PostgreSQL blocks in ClientWrite,
    where neither a cancel nor statement_timeout reaches it, and the connection is held for as long
    as the client likes (found by an attacker session). Called once per buffered block (256 kB), not
    per row. After a stall, writes are dropped, so closing never waits again.
    """

    def __init__(self, fd, stall):
        self.fd, self.stall, self.stalled = fd, stall, False
        os.set_blocking(fd, False)  # the write end only: the reader's end is its own open file

    def writable(self):
        return True

    def write(self, data):
        if self.stalled:
            return len(data)
        while True:
            try:
                return os.write(self.fd, data)
            except BlockingIOError:
                if not select.select([], [self.fd], [], self.stall)[1]:
                    self.stalled = True
                    raise ReaderStalled(f"the reader took nothing for {self.stall} s") from None

    def close(self):
        if not self.closed:
            os.close(self.fd)
        super().close()


class CopyOut:
    """The rows of `COPY (query) TO STDOUT` (text format, one text column) on database `alias`,
    read in a worker thread; iterate for bytes chunks of whole rows, each row ending in CRLF.

    Call inside a transaction the caller owns (its snapshot and SET LOCAL settings apply), and do
    not use the connection again until close(). The statement runs under the connection's settings,
    statement_timeout included. A database error, before or during the rows, is raised by the
    iteration as Django's DatabaseError (after the rows already yielded). close() — always call it,
    finished or not — cancels a COPY still running, waits for the worker thread to end and leaves
    the connection usable; the caller then ends the transaction (rolled back if the COPY was cut).

    A reader that takes nothing for settings.EXPORT_STALL_SECONDS (a client that stopped reading) must
    not hold the connection: the COPY thread then closes the connection (PostgreSQL ends the backend
    and its transaction at once; a cancel cannot reach a backend blocked writing to us), and the
    iteration, once the reader comes back, yields what the pipe still held and raises ReaderStalled
    after marking Django's connection closed, so the next request of this thread connects afresh.
    """

    def __init__(self, alias, sql, params=()):
        self.database = connections[alias]
        self.database.ensure_connection()
        self.raw = self.database.connection  # psycopg2's connection: Django's wrapper is thread-bound
        with self.raw.cursor() as cursor:
            self.statement = cursor.mogrify(f"COPY ({sql}) TO STDOUT", params)
        self.error = None
        read_fd, write_fd = os.pipe()
        try:
            fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except OSError:
            pass  # a lower system limit: the default capacity (64 kB) works, in smaller blocks
        self.reader = os.fdopen(read_fd, "rb", buffering=0)
        self.writer = io.BufferedWriter(_PipeWriter(write_fd, settings.EXPORT_STALL_SECONDS), 256 * 1024)
        self.thread = threading.Thread(target=self._copy, name="export-copy", daemon=True)
        self.thread.start()

    def _copy(self):
        try:
            with self.raw.cursor() as cursor:
                cursor.copy_expert(self.statement, self.writer)
        except BaseException as error:  # handed to the response's thread, which raises it
            self.error = error
            if isinstance(error, ReaderStalled):
                # Mid-COPY, the protocol cannot be resumed: drop the connection, which frees its slot.
                # Safe in this thread: the caller does not touch the connection until close().
                self.raw.close()
        finally:
            self.writer.close()  # flushes; the reader then sees the end of the pipe

    def __iter__(self):
        rest = b""
        while block := self.reader.read(READ_BYTES):
            end = block.rfind(b"\n") + 1  # whole rows only: an escape never spans a row's end
            if end:
                yield rows_with_crlf(rest + block[:end])
                rest = block[end:]
            else:
                rest += block
        self.thread.join()
        if isinstance(self.error, ReaderStalled):
            self.database.close()  # in the owner's thread: Django marks its connection closed in the transaction
            raise self.error
        if self.error is not None:
            with self.database.wrap_database_errors:  # Django's DatabaseError; the connection marked
                raise self.error
        if rest:
            raise RuntimeError("COPY ended inside a row")

    def close(self):
        """Stop the COPY if it still runs (the client went away, or an error in the caller), drain what
        PostgreSQL had already sent, and wait for the worker thread: none is left behind."""
        cancelled = 0.0
        while self.thread.is_alive():
            # Again each second: a cancel that reaches PostgreSQL before the COPY began is lost.
            if time.monotonic() - cancelled > 1:
                try:
                    self.raw.cancel()  # thread-safe in psycopg2; the COPY ends with QueryCanceled
                except psycopg2.Error:
                    pass  # the connection is lost: the COPY ended with it
                cancelled = time.monotonic()
            if not self.reader.read(READ_BYTES):
                break
        self.thread.join()
        self.reader.close()
