"""The archive: converted reports kept in one SQLite file, searchable (issue #17).

    from xyconvert.archive import open_archive, add_paths, search
    conn = open_archive(Path("xyconvert.sqlite"))     # creates / migrates the schema
    add_paths(conn, [Path("reports/")])               # convert or import, one transaction each
    search(conn, "乡村振兴", years=(2023, 2024))        # [Hit …], bm25-ranked

Modules: ``schema`` (tables, migrations), ``tokenize`` (Chinese tokens for FTS5),
``ingest`` (documents in), ``search`` (full-text hits), ``queries`` (list, show,
remove, export, terms, indicators, check).
"""

from __future__ import annotations

from xyconvert.archive.ingest import Outcome, Prepared, add_paths, prepare, write
from xyconvert.archive.schema import SCHEMA_VERSION, default_db, migrate, open_archive
from xyconvert.archive.search import Hit, search

__all__ = [
    "SCHEMA_VERSION",
    "Hit",
    "Outcome",
    "Prepared",
    "add_paths",
    "default_db",
    "migrate",
    "open_archive",
    "prepare",
    "search",
    "write",
]
