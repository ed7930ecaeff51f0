"""Questions across the archive: list, show, remove, export, term counts, indicators, check."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from xyconvert.archive.ingest import delete_document, index_rows, text_digest
from xyconvert.archive.search import matching_blocks, register_functions
from xyconvert.archive.tokenize import (
    TOKENIZER_VERSION,
    count_occurrences,
    fold,
    token_digest,
)
from xyconvert.model import Block, Document, Metadata, Provenance

DOC_FIELDS = (
    "id", "title", "date", "year", "region", "issuing_body", "occasion", "speaker", "speaker_name",
    "source_name", "source_path", "source_format", "source_sha256", "imported_from", "pages",
    "tool_version", "block_count", "added_at",
)


def list_documents(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(f"SELECT {', '.join(DOC_FIELDS)} FROM documents ORDER BY year, id").fetchall()
    return [dict(r) for r in rows]


def get_document(conn: sqlite3.Connection, doc_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {', '.join(DOC_FIELDS)} FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    out = dict(row)
    out["headings"] = [
        {"block": r["seq"], "level": r["level"], "text": r["text"], "page": r["page"]}
        for r in conn.execute(
            "SELECT seq, level, text, page FROM blocks WHERE doc_id = ? AND type = 'heading' ORDER BY seq",
            (doc_id,),
        )
    ]
    out["terms"] = [
        dict(r) for r in conn.execute(
            "SELECT zh, en, count FROM terms WHERE doc_id = ? ORDER BY count DESC, zh", (doc_id,)
        )
    ]
    out["indicators"] = conn.execute("SELECT count(*) FROM indicators WHERE doc_id = ?", (doc_id,)).fetchone()[0]
    return out


def load_document(conn: sqlite3.Connection, doc_id: int) -> Document | None:
    """The archived document model, as ``xyconvert convert --to json`` wrote it."""
    row = conn.execute("SELECT metadata FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    blocks = []
    for r in conn.execute(
        "SELECT type, level, marker, text, provenance, extra FROM blocks WHERE doc_id = ? ORDER BY seq", (doc_id,)
    ):
        extra = json.loads(r["extra"]) if r["extra"] else {}
        data = {"type": r["type"], "text": r["text"], "level": r["level"], "marker": r["marker"], **extra}
        b = Block.from_dict(data)
        b.provenance = Provenance.from_dict(json.loads(r["provenance"]))
        blocks.append(b)
    return Document(Metadata.from_dict(json.loads(row["metadata"])), blocks)


def remove_document(conn: sqlite3.Connection, doc_id: int) -> bool:
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None
        if found:
            delete_document(conn, doc_id)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found


def export_documents(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """One JSON object per document: our JSON document (importable again) plus archive fields."""
    for row in conn.execute("SELECT id FROM documents ORDER BY id").fetchall():
        doc_id = row[0]
        doc = load_document(conn, doc_id)
        assert doc is not None
        info = conn.execute(
            "SELECT year, region, issuing_body, added_at FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        data = doc.to_dict()
        data["glossary"] = [
            {"zh": r["zh"], "en": r["en"], "category": r["category"], "count": r["count"],
             "blocks": json.loads(r["blocks"])}
            for r in conn.execute("SELECT * FROM terms WHERE doc_id = ? ORDER BY zh", (doc_id,))
        ]
        data["indicators"] = [
            json.loads(r[0]) for r in conn.execute("SELECT data FROM indicators WHERE doc_id = ? ORDER BY id", (doc_id,))
        ]
        data["archive"] = {"id": doc_id, **dict(info)}
        yield data


# ------------------------------------------------------------------ terms


def term_counts(
    conn: sqlite3.Connection, terms: list[str], *, by: str = "document"
) -> tuple[list[str], list[dict[str, Any]]]:
    """Occurrences of each term per document (or per year): (columns, rows)."""
    counts: dict[int, dict[str, int]] = {}
    for term in terms:
        for r in matching_blocks(conn, term):
            n = count_occurrences(r["text"], term)
            if n:
                per = counts.setdefault(r["doc_id"], {})
                per[term] = per.get(term, 0) + n
    docs = conn.execute("SELECT id, year, region, title, source_name FROM documents ORDER BY year, id").fetchall()
    if by == "year":
        years: dict[Any, dict[str, Any]] = {}
        for d in docs:
            row = years.setdefault(d["year"], {"year": d["year"], "documents": 0, **{t: 0 for t in terms}})
            row["documents"] += 1
            for t in terms:
                row[t] += counts.get(d["id"], {}).get(t, 0)
        return ["year", "documents", *terms], list(years.values())
    rows = [
        {"id": d["id"], "year": d["year"], "region": d["region"], "title": d["title"] or d["source_name"],
         **{t: counts.get(d["id"], {}).get(t, 0) for t in terms}}
        for d in docs
    ]
    return ["id", "year", "region", "title", *terms], rows


# ------------------------------------------------------------------ indicators

INDICATOR_COLUMNS = (
    "doc_id", "report_year", "region", "period", "year", "name", "value", "unit", "growth", "share",
    "headline", "page", "written",
)


def indicator_names(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every indicator name with how many documents, results and targets mention it."""
    rows = conn.execute(
        "SELECT name, count(DISTINCT doc_id) AS documents,"
        " sum(period = 'result') AS results, sum(period = 'target') AS targets"
        " FROM indicators GROUP BY name ORDER BY documents DESC, results + targets DESC, name"
    ).fetchall()
    return [dict(r) for r in rows]


def indicator_values(
    conn: sqlite3.Connection,
    name: str,
    *,
    period: str | None = None,
    region: str | None = None,
    years: tuple[int, int] | None = None,
    exact: bool = False,
) -> list[dict[str, Any]]:
    """Values of the indicators whose name contains ``name`` (folded), across the archive."""
    register_functions(conn)
    where = ["name = ?" if exact else "instr(xy_fold(i.name), ?) > 0"]
    args: list[Any] = [name if exact else fold(name)]
    if period:
        where.append("i.period = ?")
        args.append(period)
    if region:
        where.append("instr(xy_fold(d.region), ?) > 0")
        args.append(fold(region))
    if years:
        where.append("d.year BETWEEN ? AND ?")
        args += list(years)
    rows = conn.execute(
        "SELECT i.doc_id, d.year AS report_year, d.region, i.period, i.year, i.name, i.value, i.unit,"
        " i.growth, i.share, i.headline, b.page, i.written"
        " FROM indicators i JOIN documents d ON d.id = i.doc_id"
        " LEFT JOIN blocks b ON b.doc_id = i.doc_id AND b.seq = i.block_seq"
        f" WHERE {' AND '.join(where)} ORDER BY d.year, d.region, i.doc_id, i.id",
        args,
    ).fetchall()
    return [dict(r) for r in rows]


# ------------------------------------------------------------------ check


def check(conn: sqlite3.Connection, *, tokens: bool = True) -> list[str]:
    """Problems found (empty when the archive is consistent).

    Every document has exactly its recorded blocks with the recorded text digest,
    every block has its index row (with the tokens its text gives, unless
    ``tokens`` is False) and no index row is left without a block; SQLite's own
    and FTS5's integrity checks pass.
    """
    problems: list[str] = []
    for (msg,) in conn.execute("PRAGMA integrity_check").fetchall():
        if msg != "ok":
            problems.append(f"sqlite: {msg}")
    try:
        conn.execute("INSERT INTO blocks_fts (blocks_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        problems.append(f"full-text index: {exc}")
    for r in conn.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"table {r[0]} row {r[1]}: refers to a missing {r[2]} row")
    stored = conn.execute("SELECT value FROM meta WHERE key = 'tokenizer_version'").fetchone()
    if stored is None or int(stored[0]) != TOKENIZER_VERSION:
        problems.append(f"index built by tokenizer {stored and stored[0]}, this xyconvert uses {TOKENIZER_VERSION}")
    docs = conn.execute("SELECT id, block_count, text_sha256 FROM documents ORDER BY id").fetchall()
    for d in docs:
        blocks = conn.execute("SELECT seq, type, text FROM blocks WHERE doc_id = ? ORDER BY seq", (d["id"],)).fetchall()
        if [b["seq"] for b in blocks] != list(range(d["block_count"])):
            problems.append(f"document {d['id']}: {len(blocks)} blocks stored, {d['block_count']} expected")
        elif text_digest((b["type"], b["text"]) for b in blocks) != d["text_sha256"]:
            problems.append(f"document {d['id']}: block text differs from what was added")
    missing = conn.execute(
        "SELECT b.doc_id, b.seq FROM blocks b WHERE NOT EXISTS"
        " (SELECT 1 FROM blocks_fts f WHERE f.rowid = b.id) LIMIT 20"
    ).fetchall()
    problems += [f"document {r[0]} block {r[1]}: not in the full-text index" for r in missing]
    orphans = conn.execute(
        "SELECT count(*) FROM blocks_fts f WHERE NOT EXISTS (SELECT 1 FROM blocks b WHERE b.id = f.rowid)"
    ).fetchone()[0]
    if orphans:
        problems.append(f"full-text index: {orphans} rows without a block")
    if tokens:
        bad = 0
        for (doc_id,) in conn.execute("SELECT id FROM documents").fetchall():
            bad += sum(digest != token_digest(t, f) for _, t, f, digest in index_rows(conn, doc_id))
        if bad:
            problems.append(
                f"full-text index: {bad} blocks indexed with other tokens (`xyconvert archive check --reindex` rebuilds it)"
            )
    return problems


def stats(conn: sqlite3.Connection) -> dict[str, int]:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "blocks": one("SELECT count(*) FROM blocks"),
        "indicators": one("SELECT count(*) FROM indicators"),
        "terms": one("SELECT count(*) FROM terms"),
    }
