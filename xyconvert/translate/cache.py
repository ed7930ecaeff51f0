"""Persistent sentence cache (SQLite) so re-translating a document is instant.

Location: ``$XYCONVERT_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/xyconvert``, else
``~/.cache/xyconvert``; file ``translations.sqlite3``.

Keys are SHA-256 digests of a *namespace* (package id and version, decoding options,
glossary version) plus the exact MT input (the sentence after glossary and number
protection). A new model, new options or a new glossary therefore never serves a stale
translation. The cache is best-effort: if the file cannot be opened or written (read-
only home, locked by another process for too long) translation goes on without it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

FILENAME = "translations.sqlite3"


def cache_dir() -> Path:
    env = os.environ.get("XYCONVERT_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "xyconvert"


def _key(namespace: str, source: str) -> bytes:
    return hashlib.sha256(f"{namespace}\x00{source}".encode()).digest()


class SentenceCache:
    """A namespace-scoped view of the SQLite translation cache."""

    def __init__(self, namespace: str, path: Path | None = None) -> None:
        self.namespace = namespace
        self.path = Path(path) if path else cache_dir() / FILENAME
        self._db: sqlite3.Connection | None = None
        self.disabled = False
        self.error: str | None = None

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None and not self.disabled:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=10)
                db.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
                db.execute(
                    "CREATE TABLE IF NOT EXISTS mt ("
                    " key BLOB PRIMARY KEY, output TEXT NOT NULL, created REAL NOT NULL)"
                )
                db.commit()
                self._db = db
            except (sqlite3.Error, OSError) as exc:
                self._fail(exc)
        return self._db

    def _fail(self, exc: Exception) -> None:
        self.disabled = True
        self.error = f"translation cache disabled: {exc}"
        if self._db is not None:
            self._db.close()
            self._db = None

    def get_many(self, sources: Iterable[str]) -> dict[str, str]:
        """Cached outputs for those ``sources`` that have one."""
        db = self._conn()
        if db is None:
            return {}
        keyed = {_key(self.namespace, s): s for s in sources}
        found: dict[str, str] = {}
        keys = list(keyed)
        try:
            for i in range(0, len(keys), 500):  # stay under SQLite's variable limit
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for key, output in db.execute(
                    f"SELECT key, output FROM mt WHERE key IN ({marks})", chunk
                ):
                    found[keyed[key]] = output
        except sqlite3.Error as exc:
            self._fail(exc)
        return found

    def put_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        db = self._conn()
        if db is None:
            return
        now = time.time()
        rows = [(_key(self.namespace, s), out, now) for s, out in pairs]
        try:
            with db:  # one transaction
                db.executemany("INSERT OR REPLACE INTO mt VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._fail(exc)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
