"""WAL checkpoints in a thread of their own while ``archive add`` writes.

In WAL mode a commit appends pages to ``<archive>-wal``; a checkpoint copies them
into the database file and, with ``synchronous = NORMAL``, waits for both files
to reach the disk. SQLite's automatic checkpoint does that in the committing
thread, after every group of JSON imports (some 26 MB through the disk per group
of 32 full reports), and the writer stood still meanwhile. Here a thread with a
connection of its own runs the checkpoint while the writer goes on with the next
group. Durability is unchanged (the same copies and fsyncs, in another thread),
and a kill at any moment leaves a WAL that the next open recovers.

SQLite rewinds the WAL to its start only when a write begins with every committed
page copied; with the copies always a group behind that never happens, so once
the WAL is over ``limit`` bytes the writer waits for the thread and copies the
last group itself: the WAL stays under about ``limit`` plus one group.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

WAL_LIMIT_BYTES = 64 * 1024 * 1024


class Checkpointer:
    """Call :meth:`committed` after each commit of ``conn``, and :meth:`close` at the end."""

    def __init__(self, conn: sqlite3.Connection, limit: int | None = None) -> None:
        self._writer = conn
        self._limit = WAL_LIMIT_BYTES if limit is None else limit
        path = conn.execute("PRAGMA database_list").fetchone()[2]  # main's file
        self._wal = Path(f"{path}-wal")
        self._auto = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._own = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        self._cv = threading.Condition()
        self._requested = self._done = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="xyconvert-wal-checkpoint", daemon=True)
        self._thread.start()

    @classmethod
    def for_connection(cls, conn: sqlite3.Connection) -> Checkpointer | None:
        """A checkpointer when ``conn`` is a file database in WAL mode, else None."""
        row = conn.execute("PRAGMA database_list").fetchone()
        if not row or not row[2] or conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            return None
        return cls(conn)

    def _run(self) -> None:
        while True:
            with self._cv:
                while self._done == self._requested and not self._stopping:
                    self._cv.wait()
                if self._done == self._requested:  # stopping, nothing asked
                    return
                target = self._requested
            # PASSIVE: copies what it can without waiting for the writer or readers; an
            # error (a full disk) leaves the pages in the WAL, where they are safe.
            with contextlib.suppress(sqlite3.Error):
                self._own.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            with self._cv:
                self._done = target
                self._cv.notify_all()

    def _wait(self) -> None:
        with self._cv:
            while self._done < self._requested:
                self._cv.wait()

    def committed(self) -> None:
        try:
            size = self._wal.stat().st_size
        except OSError:
            size = 0
        if size > self._limit:
            self._wait()
            self._checkpoint_here()  # the last group: the next write rewinds the WAL
        else:
            with self._cv:
                self._requested += 1
                self._cv.notify()

    def _checkpoint_here(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close(self) -> None:
        """Wait for the thread, copy what is left (the database file then holds the whole
        add), and give SQLite back its automatic checkpoints."""
        with self._cv:
            self._stopping = True
            self._cv.notify()
        self._thread.join()
        self._own.close()
        if not self._writer.in_transaction:
            self._checkpoint_here()
        with contextlib.suppress(sqlite3.Error):
            self._writer.execute(f"PRAGMA wal_autocheckpoint = {self._auto}")
