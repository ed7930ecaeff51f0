"""Full-text search over the archive's blocks: FTS5 bm25 ranking, filters, snippets.

The MATCH expression comes from :mod:`xyconvert.archive.tokenize` (folded
bigram phrases, so 碳, 扶贫 and 發展 all work). Snippets and highlights are cut
from the block's own text, at the offsets where the folded query occurs.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from xyconvert.archive.tokenize import facet_filter, find_spans, fold, match_expression, units

BLOCK_TYPES = ("title", "heading", "paragraph", "list_item", "table")


@dataclass
class Hit:
    doc_id: int
    title: str | None
    date: str | None
    year: int | None
    region: str | None
    source_name: str | None
    block: int  # block index in the document
    type: str
    page: int | None  # the first page of the block
    pages: list[int]  # every page the block is on
    heading: str | None  # the heading the block sits under
    text: str
    spans: list[tuple[int, int]]
    score: float

    def snippet(self, width: int = 60, mark: tuple[str, str] = ("[", "]")) -> str:
        """About ``width`` characters around the first hit, every hit marked."""
        text = self.text
        if self.spans:
            first = self.spans[0][0]
            start = max(0, min(first - width // 3, len(text) - width))
        else:
            start = 0
        end = min(len(text), start + width)
        out: list[str] = ["…" if start > 0 else ""]
        pos = start
        for s, e in self.spans:
            if e <= start or s >= end:
                continue
            s, e = max(s, start), min(e, end)
            out += [text[pos:s], mark[0], text[s:e], mark[1]]
            pos = e
        out.append(text[pos:end])
        if end < len(text):
            out.append("…")
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "date": self.date,
            "year": self.year,
            "region": self.region,
            "source_name": self.source_name,
            "block": self.block,
            "type": self.type,
            "page": self.page,
            "pages": self.pages,
            "heading": self.heading,
            "snippet": self.snippet(),
            "highlights": [list(s) for s in self.spans],
            "text": self.text,
            "score": round(self.score, 4),
        }


def parse_years(spec: str) -> tuple[int, int]:
    """``2024`` -> (2024, 2024); ``2019-2024`` -> (2019, 2024). Raises ValueError."""
    a, _, b = spec.strip().partition("-")
    lo = int(a)
    hi = int(b) if b else lo
    if lo > hi:
        lo, hi = hi, lo
    return lo, hi


def _facets(
    conn: sqlite3.Connection,
    years: tuple[int, int] | None,
    region: str | None,
    types: tuple[str, ...] | None,
) -> list[str] | None:
    """FTS5 filters for the facets column; None when no document can match."""
    out: list[str] = []
    if years is not None:
        out.append(facet_filter("y", [str(y) for y in range(years[0], years[1] + 1)]))
    if region:
        wanted = fold(region)
        keys = [
            "".join(u.text for u in units(fold(r[0])))
            for r in conn.execute("SELECT DISTINCT region FROM documents WHERE region IS NOT NULL")
            if wanted in fold(r[0])
        ]
        if not keys:
            return None
        out.append(facet_filter("r", keys))
    if types:
        out.append(facet_filter("t", list(types)))
    return out


def register_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("xy_fold", 1, lambda s: fold(s) if s else "", deterministic=True)


# A query matching more blocks than this is ranked among its newest RANK_CUTOFF matches
# (or --limit of them, if more). bm25 costs about a microsecond per matching block, and a
# word like 发展 is in a third of all blocks: at 10,000 reports that was most of a 100 ms
# query. Such a word tells blocks apart by little but length; every match stays findable.
RANK_CUTOFF = 4000


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    years: tuple[int, int] | None = None,
    region: str | None = None,
    types: tuple[str, ...] | None = None,
    limit: int = 20,
    rank_cutoff: int = RANK_CUTOFF,
    info: dict[str, int] | None = None,
) -> list[Hit]:
    """Blocks containing every term of ``query``, best first (bm25).

    When more than ``max(rank_cutoff, limit)`` blocks match, only the newest that many
    (highest block ids: added last) are ranked. ``info``, when given, receives
    ``matches`` (how many blocks match) and ``ranked`` (how many of them were ranked).
    """
    expr = match_expression(query)
    facets = _facets(conn, years, region, types)
    if expr is None or facets is None:
        return []
    match = " AND ".join([f"tokens : ({expr})", *facets])
    ranked = max(rank_cutoff, limit)
    # The ranked-th newest match, when there are more: rank from there on (FTS5 seeks to a
    # rowid bound; reading rowids alone does not touch positions or sizes).
    first = conn.execute(
        "SELECT rowid FROM blocks_fts WHERE blocks_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        (match, ranked),
    ).fetchone()
    bound = first[0] + 1 if first else 0
    if info is not None:
        total = conn.execute("SELECT count(*) FROM blocks_fts WHERE blocks_fts MATCH ?", (match,)).fetchone()[0]
        info.update(matches=total, ranked=min(total, ranked))
    # Rank inside FTS5 first, join the few rows shown afterwards.
    sql = (
        "WITH top AS (SELECT rowid AS id, bm25(blocks_fts, 1.0, 0.0) AS score FROM blocks_fts"
        " WHERE blocks_fts MATCH ? AND rowid >= ? ORDER BY score LIMIT ?)"
        " SELECT b.doc_id, d.title, d.date, d.year, d.region, d.source_name, b.seq, b.type, b.page,"
        " b.provenance, h.text AS heading, b.text, top.score"
        " FROM top JOIN blocks b ON b.id = top.id JOIN documents d ON d.id = b.doc_id"
        " LEFT JOIN blocks h ON h.doc_id = b.doc_id AND h.seq = b.heading_seq"
        " ORDER BY top.score"
    )
    rows = conn.execute(sql, [match, bound, limit]).fetchall()
    return [
        Hit(
            doc_id=r["doc_id"], title=r["title"], date=r["date"], year=r["year"], region=r["region"],
            source_name=r["source_name"], block=r["seq"], type=r["type"], page=r["page"],
            pages=json.loads(r["provenance"]).get("pages", []), heading=r["heading"], text=r["text"],
            spans=find_spans(r["text"], query), score=r["score"],
        )
        for r in rows
    ]


def matching_blocks(conn: sqlite3.Connection, term: str) -> list[sqlite3.Row]:
    """Every block containing ``term`` (no ranking, no limit): doc_id, seq, text."""
    expr = match_expression(term)
    if expr is None:
        return []
    return conn.execute(
        "SELECT b.doc_id, b.seq, b.text FROM blocks_fts f JOIN blocks b ON b.id = f.rowid"
        " WHERE blocks_fts MATCH ?",
        (expr,),
    ).fetchall()
