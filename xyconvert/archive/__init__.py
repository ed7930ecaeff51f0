"""The archive: converted reports kept in one SQLite file, searchable (issue #17).

    from xyconvert.archive import open_archive, add_paths, search
    conn = open_archive(Path("xyconvert.sqlite"))     # creates / migrates the schema
    add_paths(conn, [Path("reports/")])               # convert or import, one transaction each
    search(conn, "乡村振兴", year=(2023, 2024))         # [Hit …], bm25-ranked

Modules: ``schema`` (tables, migrations), ``tokenize`` (Chinese tokens for FTS5),
``ingest`` (documents in), ``search`` (full-text hits), ``queries`` (list, show,
remove, export, terms, indicators, check).
"""
