"""The archive's tables, and the migrations that create and upgrade them.

The schema version is SQLite's ``PRAGMA user_version``; ``MIGRATIONS[n]`` takes
a database from version n to n+1, each in its own transaction, so a database is
always at one whole version. A database from a newer xyconvert is refused rather
than guessed at. The tables are documented in the README ("Archive").
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from xyconvert.archive.tokenize import (
    FTS_TOKENIZE,
    FTS_TOKENIZE_V1,
    TOKENIZER_VERSION,
    token_digest,
)
from xyconvert.errors import OutputError, UnreadableInput

DEFAULT_DB = "xyconvert.sqlite"
DB_ENV = "XYCONVERT_DB"

Migration = Callable[[sqlite3.Connection], None]


def _script(conn: sqlite3.Connection, sql: str) -> None:
    # Not executescript: it would COMMIT the migration's transaction first.
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        f"""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            source_sha256 TEXT NOT NULL UNIQUE,
            source_path TEXT,
            source_name TEXT,
            source_format TEXT,
            imported_from TEXT NOT NULL,
            title TEXT,
            date TEXT,
            year INTEGER,
            occasion TEXT,
            speaker TEXT,
            speaker_name TEXT,
            issuing_body TEXT,
            region TEXT,
            pages INTEGER NOT NULL DEFAULT 0,
            tool_version TEXT,
            metadata TEXT NOT NULL,
            block_count INTEGER NOT NULL,
            text_sha256 TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX documents_year ON documents(year);
        CREATE INDEX documents_path ON documents(source_path);
        CREATE TABLE blocks (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            level INTEGER NOT NULL DEFAULT 0,
            marker TEXT,
            text TEXT NOT NULL,
            page INTEGER,
            heading_seq INTEGER,
            provenance TEXT NOT NULL,
            extra TEXT,
            UNIQUE (doc_id, seq)
        );
        CREATE VIRTUAL TABLE blocks_fts USING fts5(tokens, facets, tokenize="{FTS_TOKENIZE_V1}");
        CREATE TABLE terms (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            zh TEXT NOT NULL,
            en TEXT,
            category TEXT,
            count INTEGER NOT NULL,
            blocks TEXT NOT NULL,
            PRIMARY KEY (doc_id, zh)
        );
        CREATE INDEX terms_zh ON terms(zh);
        CREATE TABLE indicators (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            block_seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            written TEXT NOT NULL,
            period TEXT,
            year INTEGER,
            value TEXT,
            unit TEXT,
            growth TEXT,
            share TEXT,
            headline INTEGER NOT NULL DEFAULT 0,
            data TEXT NOT NULL
        );
        CREATE INDEX indicators_doc ON indicators(doc_id);
        CREATE INDEX indicators_name ON indicators(name);
        """
    )
    conn.execute("INSERT INTO meta VALUES ('tokenizer_version', ?)", (str(TOKENIZER_VERSION),))


def _v2(conn: sqlite3.Connection) -> None:
    # `search --region` looks up the distinct regions (31 of them in 10,000 reports): read
    # from this index, not by a scan of every document row.
    conn.execute("CREATE INDEX documents_region ON documents(region)")


def _v3(conn: sqlite3.Connection) -> None:
    # FTS5 keeps a transaction's new index entries in memory and writes them out as one
    # segment when they pass `hashsize` (default 1 MB, about four reports) or at commit.
    # An import commits groups of reports (ingest.GROUP_DOCUMENTS): with room for a whole
    # group, it writes one segment per group, half the index cost per report of a segment
    # per report (bench/bench_archive.py). A persistent FTS5 setting, hence a migration.
    conn.execute(f"INSERT INTO blocks_fts (blocks_fts, rank) VALUES ('hashsize', {FTS_HASHSIZE})")


def _v4(conn: sqlite3.Connection) -> None:
    # The full-text table with the ``ascii`` tokenizer (tokenize.FTS_TOKENIZE: the same
    # tokens, cheaper to index). A table's tokenizer is fixed when it is made: a new table,
    # filled from the old one's stored token text (nothing is re-tokenized; about 5 ms per
    # archived report), then put in its place.
    conn.execute(f'CREATE VIRTUAL TABLE blocks_fts_v4 USING fts5(tokens, facets, tokenize="{FTS_TOKENIZE}")')
    conn.execute(f"INSERT INTO blocks_fts_v4 (blocks_fts_v4, rank) VALUES ('hashsize', {FTS_HASHSIZE})")
    conn.execute("INSERT INTO blocks_fts_v4 (rowid, tokens, facets) SELECT rowid, tokens, facets FROM blocks_fts")
    conn.execute("DROP TABLE blocks_fts")
    conn.execute("ALTER TABLE blocks_fts_v4 RENAME TO blocks_fts")


def _v5(conn: sqlite3.Connection) -> None:
    # No query reads terms by term (`archive terms` counts in the text; show and export
    # read a document's terms by doc_id): the index only cost a random insert per term.
    conn.execute("DROP INDEX IF EXISTS terms_zh")


def _v6(conn: sqlite3.Connection) -> None:
    # A contentless full-text table (content=''): the copy of every block's token text it
    # kept was 147 KiB of a full report's ~400 in the file, and an insert per block. It
    # answers MATCH and bm25 as before. A row is removed with the exact tokens indexed:
    # they are recomputed from the block text, checked against blocks.tokens_digest (made
    # here from the stored token text); ingest.delete_document re-indexes if they differ.
    conn.create_function("xy_token_digest", 2, lambda t, f: token_digest(t or "", f or ""), deterministic=True)
    conn.execute("ALTER TABLE blocks ADD COLUMN tokens_digest BLOB")
    conn.execute(
        "UPDATE blocks SET tokens_digest ="
        " (SELECT xy_token_digest(f.tokens, f.facets) FROM blocks_fts f WHERE f.rowid = blocks.id)"
    )
    conn.execute(
        f'CREATE VIRTUAL TABLE blocks_fts_v6 USING fts5(tokens, facets, tokenize="{FTS_TOKENIZE}", content=\'\')'
    )
    conn.execute(f"INSERT INTO blocks_fts_v6 (blocks_fts_v6, rank) VALUES ('hashsize', {FTS_HASHSIZE})")
    conn.execute("INSERT INTO blocks_fts_v6 (rowid, tokens, facets) SELECT rowid, tokens, facets FROM blocks_fts")
    conn.execute("DROP TABLE blocks_fts")
    conn.execute("ALTER TABLE blocks_fts_v6 RENAME TO blocks_fts")


FTS_HASHSIZE = 16 * 1024 * 1024
MIGRATIONS: tuple[Migration, ...] = (_v1, _v2, _v3, _v4, _v5, _v6)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database to ``len(migrations)``; returns the version it started at."""
    start = schema_version(conn)
    if start > len(migrations):
        raise ValueError(
            f"archive schema version {start} is newer than this xyconvert knows ({len(migrations)}); "
            "upgrade xyconvert"
        )
    for version in range(start, len(migrations)):
        with conn:  # one transaction per step
            conn.execute("BEGIN IMMEDIATE")
            migrations[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
    return start


def default_db() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (we open transactions ourselves)."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    # WAL: a commit is one append, readers (search) run while an add writes, and a
    # killed process leaves the last committed state. NORMAL: no fsync per commit
    # (a power cut may lose the last documents added, never consistency).
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def open_archive(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (and create or migrate) the archive at ``path``; XyError when that is impossible."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise UnreadableInput(path, "no archive here (create one with `xyconvert archive add`)")
        if path.parent and not path.parent.is_dir():
            raise OutputError(path, "directory does not exist")
    try:
        conn = connect(path)
        conn.execute("PRAGMA schema_version").fetchone()  # fails on a file that is not SQLite
    except sqlite3.DatabaseError as exc:
        raise UnreadableInput(path, f"not an SQLite archive ({exc})") from None
    try:
        known = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if schema_version(conn) == 0 and known:
            raise UnreadableInput(path, "an SQLite file that is not an xyconvert archive")
        migrate(conn)
    except ValueError as exc:
        conn.close()
        raise UnreadableInput(path, str(exc)) from None
    except sqlite3.OperationalError as exc:
        conn.close()
        raise OutputError(path, f"cannot update the archive ({exc})") from None
    except UnreadableInput:
        conn.close()
        raise
    return conn
