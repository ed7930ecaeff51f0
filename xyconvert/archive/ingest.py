"""Documents into the archive: convert or import, then one transaction per document.

``prepare`` (safe in a worker process, never raises) turns one input into a
:class:`Prepared` record: the document model (through ``pipeline.load_bytes``,
or from one of our own ``.json`` outputs), its glossary hits and its briefing
indicators, and the rows to insert (made there, so ``--jobs`` workers do that
work too). ``write`` stores one document in a single transaction: either the
whole document (metadata, blocks, index rows, terms, indicators) is in the
archive, or none of it. ``add_paths`` commits each converted document on its
own and imports of our JSON in groups of up to ``GROUP_DOCUMENTS``: FTS5 writes
an index segment per commit, and one per group costs half as much per report
(bench/bench_archive.py). Each document sits in a savepoint, so an error or a
signal (INT/TERM/HUP) rolls back the document in progress and commits the
completed ones; a hard kill (SIGKILL, power cut) loses at most the open group of
JSON imports, never part of a document. Re-adding the same source (same sha256)
changes nothing; a file at a path already archived with other content replaces
the old version.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import sqlite3
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from xyconvert import errors
from xyconvert.archive.tokenize import block_tokens, facet_tokens, token_digest
from xyconvert.batch import INPUT_SUFFIXES as BATCH_SUFFIXES
from xyconvert.errors import XyError
from xyconvert.model import Document

# Directories contribute what ``convert`` reads, and our own ``.json`` outputs.
INPUT_SUFFIXES = {*BATCH_SUFFIXES, ".json"}
# Test hook: SIGKILL this process once it has written the blocks of the Nth document, inside
# that document's transaction (before its index rows, terms, indicators and commit);
# KILL_SIGNAL_ENV names another signal to send (TERM: the graceful path).
KILL_ENV = "XYCONVERT_ARCHIVE_KILL_AT_DOCUMENT"
KILL_SIGNAL_ENV = "XYCONVERT_ARCHIVE_KILL_SIGNAL"
# Test hook: a --jobs worker preparing the input of this file name crashes (SIGSEGV).
CRASH_ENV = "XYCONVERT_ARCHIVE_CRASH_INPUT"
# JSON imports per transaction, and the token text that closes a group early (bounded memory:
# FTS5 holds a group's index in memory until the commit, see schema._v3).
GROUP_DOCUMENTS = 32
GROUP_TOKEN_CHARS = 4_000_000
ADD_CACHE_KIB = 64 * 1024  # page cache while adding (PRAGMA cache_size, in KiB)


@dataclass
class Prepared:
    """One input, ready to store (or the reason it cannot be)."""

    path: Path
    sha256: str = ""
    imported_from: str = ""  # "json" or "convert"
    document: Document | None = None  # picklable: it travels back from a worker as it is
    glossary: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # year, region, issuing_body
    tokens: list[str] = field(default_factory=list)  # full-text tokens of each block
    rows: Rows | None = None  # what write inserts (made by prepare; from the document otherwise)
    exit_code: int = 0
    problem: str = ""


@dataclass
class Rows:
    """One document's rows, without ids (picklable tuples: cheap to send from a worker)."""

    document: tuple[Any, ...]  # the documents columns from source_sha256 to text_sha256
    blocks: list[tuple[Any, ...]]  # seq, type, level, marker, text, page, heading_seq, provenance, extra, digest
    index: list[tuple[str, str]]  # tokens, facets of each block
    terms: list[tuple[Any, ...]]  # zh, en, category, count, blocks
    indicators: list[tuple[Any, ...]]  # block_seq, name, written, … data


@dataclass
class Outcome:
    path: Path
    status: str  # added, replaced, unchanged, failed
    doc_id: int | None = None
    exit_code: int = 0
    problem: str = ""


def expand_inputs(items: Iterable[Path]) -> list[Path]:
    """As ``convert`` walks folders, with our own ``.json`` outputs as inputs too."""
    from xyconvert.batch import expand_inputs as walk

    return walk(items, INPUT_SUFFIXES)


# ------------------------------------------------------------------ prepare


def _is_our_json(path: Path, data: bytes) -> bool:
    return path.suffix.lower() == ".json" or (data.lstrip()[:1] == b"{" and b'"schema_version"' in data[:200])


def _glossary():  # noqa: ANN202 - the built-in glossary, loaded once per process
    from xyconvert.glossary import load_glossary

    global _GLOSSARY
    if _GLOSSARY is None:
        _GLOSSARY = load_glossary([])
    return _GLOSSARY


_GLOSSARY = None


# An indicator of our JSON has zh, written (str) and block (int), and may have these
# (the columns of the indicators table come from them).
_INDICATOR_OPTIONAL = (("value", dict), ("growth", dict), ("share", dict), ("period", str), ("year", int))


def _json_indicators(raw: Any, blocks: int) -> list[dict[str, Any]] | None:
    """The JSON's ``indicators`` when it has them, well formed; None: compute them (older JSON)."""
    if not isinstance(raw, list):
        return None
    # Written out, not with all()/any() over the keys: this runs for hundreds per report.
    get = dict.get
    for ind in raw:
        if not (
            isinstance(ind, dict)
            and isinstance(get(ind, "zh"), str)
            and isinstance(get(ind, "written"), str)
            and isinstance(block := get(ind, "block"), int)
            and 0 <= block < blocks
        ):
            return None
        for key, kind in _INDICATOR_OPTIONAL:
            v = get(ind, key)
            if v is not None and not isinstance(v, kind):
                return None
    return raw


def _from_json(path: Path, data: bytes) -> tuple[Document, dict[str, Any], str]:
    from xyconvert.errors import UnreadableInput

    try:
        # orjson: twice as fast as json.loads on our reports (bench/bench_archive.py). It
        # refuses lone surrogates and NaN, which no JSON we write holds.
        raw = orjson.loads(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        doc = Document.from_dict(raw)
    except (ValueError, KeyError, TypeError) as exc:
        raise UnreadableInput(path, f"not an xyconvert JSON document ({exc})"[:300]) from None
    sha = doc.metadata.source_sha256 or hashlib.sha256(data).hexdigest()
    return doc, raw, sha


def prepare(path: Path) -> Prepared:
    """Read one input (convert it, or import our JSON) with its terms and indicators. Never raises."""
    from xyconvert.errors import InputNotFound, UnreadableInput

    prep = Prepared(Path(path))
    try:
        if not prep.path.exists():
            raise InputNotFound(path, "no such file")
        if prep.path.is_dir():
            raise UnreadableInput(path, "is a directory, not a file")
        try:
            data = prep.path.read_bytes()
        except OSError as exc:
            raise UnreadableInput(path, f"cannot read: {exc.strerror or exc}") from None
        hits: list[dict[str, Any]] | None = None
        indicators: list[dict[str, Any]] | None = None
        if _is_our_json(prep.path, data):
            doc, raw, prep.sha256 = _from_json(prep.path, data)
            prep.imported_from = "json"
            # Kept as the JSON gives them (convert --to json writes both): recomputing the
            # indicators was most of an import's time. Older JSON without them: computed.
            hits = raw["glossary"] if isinstance(raw.get("glossary"), list) else None
            indicators = _json_indicators(raw.get("indicators"), len(doc.blocks))
        else:
            from xyconvert.pipeline import load_bytes

            doc = load_bytes(data, prep.path)
            prep.sha256 = hashlib.sha256(data).hexdigest()
            prep.imported_from = "convert"
        if not doc.blocks:
            raise UnreadableInput(path, "the document has no blocks")
        if hits is None or indicators is None:
            glossary = _glossary()
            if hits is None:
                from xyconvert.glossary import hits_to_json, match_document

                hits = hits_to_json(match_document(doc, glossary), glossary)
            if indicators is None:
                from xyconvert.briefing import document_indicators

                indicators = document_indicators(doc, glossary)
        prep.glossary = hits
        prep.indicators = indicators
        # Tokens too are made here, in the worker: the writing process only inserts.
        prep.facts = report_facts(doc)
        prep.tokens = block_tokens([b.text for b in doc.blocks])
        prep.document = doc
        prep.rows = document_rows(prep)
    except XyError as exc:
        prep.exit_code, prep.problem = exc.exit_code, exc.problem
    except Exception as exc:  # a bug: one line, and the other inputs go on
        if os.environ.get("XYCONVERT_DEBUG"):
            traceback.print_exc()
        prep.exit_code = errors.INTERNAL
        prep.problem = f"internal error ({type(exc).__name__}: {exc}); set XYCONVERT_DEBUG=1 for details"
    return prep


# ------------------------------------------------------------------ facts about a report

_YEAR = re.compile(r"((?:19|20)\d\d)年")
_NUM = "一二三四五六七八九十百零〇0-9"
_OCCASION_PLACE = re.compile(rf"在(.{{2,20}}?)第[{_NUM}]+届")
_TITLE_PLACE = re.compile(
    r"^(?:(?:19|20)\d\d年(?:度)?)?(.{2,20}?(?:省|自治区|市|自治州|州|地区|盟|自治县|县|自治旗|旗|区))"
    r"(?:人民)?政府工作报告"
)


def report_facts(doc: Document) -> dict[str, Any]:
    """Year, region and issuing body, when the report states them."""
    meta = doc.metadata
    year = None
    if meta.date and meta.date[:4].isdigit():
        year = int(meta.date[:4])
    else:
        for s in (meta.occasion, meta.title):
            m = _YEAR.search(s or "")
            if m:
                year = int(m.group(1))
                break
    region = None
    m = _OCCASION_PLACE.search(meta.occasion or "")
    if m:
        region = m.group(1)
    else:
        m = _TITLE_PLACE.match(meta.title or "")
        region = m.group(1) if m else None
    body = None
    if region:
        stated = " ".join([meta.occasion or "", meta.speaker or ""] + [b.text for b in doc.blocks[:6]])
        body = f"{region}人民政府" if f"{region}人民政府" in stated else None
    return {"year": year, "region": region, "issuing_body": body}


def text_digest(blocks: Iterable[tuple[str, str]]) -> str:
    """Digest of (type, text) of every block in order; ``archive check`` recomputes it."""
    h = hashlib.sha256()
    for btype, text in blocks:
        h.update(f"{btype}\x1f{text}\x1e".encode())
    return h.hexdigest()


def heading_parents(doc: Document) -> list[int | None]:
    """For each block: the index of the heading it sits under (a heading: its parent heading)."""
    stack: list[tuple[int, int]] = []  # (level, index)
    out: list[int | None] = []
    for i, b in enumerate(doc.blocks):
        if b.type == "heading":
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            out.append(stack[-1][1] if stack else None)
            stack.append((b.level, i))
        else:
            out.append(stack[-1][1] if stack else None)
    return out


# ------------------------------------------------------------------ write

_documents_written = 0


def _maybe_die() -> None:
    """The interrupted-add test hook (see KILL_ENV): die like a killed process would."""
    global _documents_written
    limit = os.environ.get(KILL_ENV)
    if limit:
        _documents_written += 1
        if _documents_written >= int(limit):
            name = os.environ.get(KILL_SIGNAL_ENV, "KILL")
            os.kill(os.getpid(), getattr(signal, f"SIG{name}"))


def write(conn: sqlite3.Connection, prep: Prepared) -> Outcome:
    """Store one prepared document in one transaction."""
    if prep.rows is None and prep.document is None:
        return Outcome(prep.path, "failed", exit_code=prep.exit_code, problem=prep.problem)
    conn.execute("BEGIN IMMEDIATE")
    try:
        outcome = _store(conn, prep)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return outcome


def _store(conn: sqlite3.Connection, prep: Prepared) -> Outcome:
    """The document's rows, inside the caller's transaction (unchanged: nothing written)."""
    row = conn.execute("SELECT id FROM documents WHERE source_sha256 = ?", (prep.sha256,)).fetchone()
    if row is not None:
        return Outcome(prep.path, "unchanged", doc_id=row[0])
    rows = prep.rows or document_rows(prep)
    source_path = rows.document[1]
    old = [r[0] for r in conn.execute("SELECT id FROM documents WHERE source_path = ?", (source_path,))]
    for doc_id in old:
        delete_document(conn, doc_id)
    doc_id = _insert(conn, rows)
    return Outcome(prep.path, "replaced" if old else "added", doc_id=doc_id)


def document_rows(prep: Prepared) -> Rows:
    """The rows of a prepared document (``prep.document``), ready to insert."""
    doc = prep.document
    assert doc is not None
    meta = doc.metadata
    facts = prep.facts or report_facts(doc)
    blocks = doc.blocks
    tokens = prep.tokens if len(prep.tokens) == len(blocks) else block_tokens([b.text for b in blocks])
    document = (
        prep.sha256, str(prep.path.resolve()), meta.source_name or prep.path.name, meta.source_format,
        prep.imported_from, meta.title, meta.date, facts["year"], meta.occasion, meta.speaker,
        meta.speaker_name, facts["issuing_body"], facts["region"], meta.pages, meta.tool_version,
        json.dumps(meta.to_dict(), ensure_ascii=False), len(blocks), text_digest((b.type, b.text) for b in blocks),
    )
    parents = heading_parents(doc)
    facets = {t: facet_tokens(facts["year"], facts["region"], t) for t in {b.type for b in blocks}}
    index = [(tokens[seq], facets[b.type]) for seq, b in enumerate(blocks)]
    block_rows = [
        (
            seq, b.type, b.level, b.marker, b.text,
            b.provenance.pages[0] if b.provenance.pages else None, parents[seq],
            _provenance_json(b.provenance.pages, b.provenance.lines), _extra(b), token_digest(*index[seq]),
        )
        for seq, b in enumerate(blocks)
    ]
    terms = [
        # the block list as json.dumps writes a list of ints, without its per-call cost
        (t["zh"], t.get("en"), t.get("category"), int(t.get("count", 0)),
         "[" + ", ".join(map(str, sorted({int(o["block"]) for o in t.get("occurrences", [])}))) + "]")
        for t in prep.glossary
    ]
    indicators = [
        (
            i["block"], i["zh"], i["written"], i.get("period"), i.get("year"),
            (i.get("value") or {}).get("value"), (i.get("value") or {}).get("unit"),
            (i.get("growth") or {}).get("value"), (i.get("share") or {}).get("value"),
            int(bool(i.get("headline"))), _to_json(i),
        )
        for i in prep.indicators
    ]
    return Rows(document, block_rows, index, terms, indicators)


def _insert(conn: sqlite3.Connection, rows: Rows) -> int:
    cur = conn.execute(
        "INSERT INTO documents (source_sha256, source_path, source_name, source_format, imported_from,"
        " title, date, year, occasion, speaker, speaker_name, issuing_body, region, pages, tool_version,"
        " metadata, block_count, text_sha256, added_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (*rows.document, datetime.now(timezone.utc).isoformat(timespec="seconds")),
    )
    doc_id = int(cur.lastrowid or 0)
    # Block ids given here (the next free ones, as SQLite would pick them inside this write
    # transaction): the index rows take them without reading them back.
    first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM blocks").fetchone()[0])
    conn.executemany(
        "INSERT INTO blocks (id, doc_id, seq, type, level, marker, text, page, heading_seq, provenance, extra,"
        " tokens_digest) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(first + r[0], doc_id, *r) for r in rows.blocks],
    )
    _maybe_die()
    conn.executemany(
        "INSERT INTO blocks_fts (rowid, tokens, facets) VALUES (?, ?, ?)",
        [(first + seq, tokens, facets) for seq, (tokens, facets) in enumerate(rows.index)],
    )
    conn.executemany(
        "INSERT INTO terms (doc_id, zh, en, category, count, blocks) VALUES (?,?,?,?,?,?)",
        [(doc_id, *t) for t in rows.terms],
    )
    conn.executemany(
        "INSERT INTO indicators (doc_id, block_seq, name, written, period, year, value, unit, growth, share,"
        " headline, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(doc_id, *i) for i in rows.indicators],
    )
    return doc_id


def _to_json(value: Any) -> str:
    """Compact JSON text (UTF-8, not \\u escapes); orjson: a sixth of json.dumps' time for
    the hundreds of indicators of a report."""
    return orjson.dumps(value).decode()


def _provenance_json(pages: tuple[int, ...], lines: tuple[int, ...]) -> str:
    # json.dumps(provenance.to_dict()), written out: it runs for every block.
    return f'{{"pages": [{", ".join(map(str, pages))}], "lines": [{", ".join(map(str, lines))}]}}'


def _extra(b: Any) -> str | None:
    extra = {k: v for k, v in (("items", [i.to_dict() for i in b.items]), ("rows", b.rows)) if v}
    return json.dumps(extra, ensure_ascii=False) if extra else None


def delete_document(conn: sqlite3.Connection, doc_id: int) -> None:
    """Remove a document and everything derived from it (inside the caller's transaction).

    The full-text table keeps no copy of its rows: each is removed with the tokens it was
    indexed with, recomputed from the block text. When one's digest says they are not those
    (the tokens of another OpenCC or Unicode version), the whole index is rebuilt instead.
    """
    rows = index_rows(conn, doc_id)
    if all(digest == token_digest(tokens, facets) for _, tokens, facets, digest in rows):
        conn.executemany(
            "INSERT INTO blocks_fts (blocks_fts, rowid, tokens, facets) VALUES ('delete', ?, ?, ?)",
            [(rowid, tokens, facets) for rowid, tokens, facets, _ in rows],
        )
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # blocks, terms, indicators cascade
    else:
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        reindex(conn)


def index_rows(conn: sqlite3.Connection, doc_id: int) -> list[tuple[int, str, str, bytes]]:
    """(block id, tokens, facets, stored digest) of a document's blocks, the tokens and
    facets recomputed from its text (one ``block_tokens`` call for the document)."""
    found = conn.execute(
        "SELECT b.id, b.type, b.text, b.tokens_digest, d.year, d.region FROM blocks b"
        " JOIN documents d ON d.id = b.doc_id WHERE b.doc_id = ? ORDER BY b.id",
        (doc_id,),
    ).fetchall()
    tokens = block_tokens([r[2] for r in found])
    return [(r[0], tok, facet_tokens(r[4], r[5], r[1]), r[3]) for r, tok in zip(found, tokens)]


def reindex(conn: sqlite3.Connection) -> int:
    """Rebuild the full-text index from the stored block text (inside the caller's
    transaction); returns the blocks indexed. About 12 ms per full report."""
    conn.execute("INSERT INTO blocks_fts (blocks_fts) VALUES ('delete-all')")
    n = 0
    for (doc_id,) in conn.execute("SELECT id FROM documents ORDER BY id").fetchall():
        rows = index_rows(conn, doc_id)
        conn.executemany("INSERT INTO blocks_fts (rowid, tokens, facets) VALUES (?, ?, ?)", [r[:3] for r in rows])
        conn.executemany(
            "UPDATE blocks SET tokens_digest = ? WHERE id = ?", [(token_digest(t, f), i) for i, t, f, _ in rows]
        )
        n += len(rows)
    return n


# ------------------------------------------------------------------ many inputs


def _known(conn: sqlite3.Connection, path: Path) -> int | None:
    """The document id when this non-JSON file's bytes are archived already (skip converting it)."""
    if path.suffix.lower() == ".json" or not path.is_file():
        return None
    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    row = conn.execute("SELECT id FROM documents WHERE source_sha256 = ?", (sha,)).fetchone()
    return None if row is None else int(row[0])


class _GroupWriter:
    """Writes prepared documents in order: converted ones one per transaction, JSON imports
    in groups; outcomes are reported once their document is committed.

    No savepoint per document: FTS5 writes out its pending index at every savepoint release,
    which would cost what a commit per document costs. A document that fails or is interrupted
    half-way rolls back the whole transaction instead, and the group's completed documents
    are written again from their rows (kept in memory until the commit) and committed.
    """

    def __init__(self, conn: sqlite3.Connection, done: Callable[[Outcome], None]) -> None:
        self.conn = conn
        self.done = done
        self.pending: list[Outcome] = []  # committed once the transaction is
        self.group: list[Prepared] = []  # stored in the open transaction
        self.open = False
        self.token_chars = 0

    def add(self, prep: Prepared) -> None:
        if prep.rows is None and prep.document is None:
            self.pending.append(Outcome(prep.path, "failed", exit_code=prep.exit_code, problem=prep.problem))
            if not self.open:
                self.commit()
            return
        grouped = prep.imported_from == "json"
        if not grouped:
            self.commit()  # a hard kill during a conversion loses no import before it
        if not self.open:
            self.conn.execute("BEGIN IMMEDIATE")
            self.open = True
        try:
            outcome = _store(self.conn, prep)
        except BaseException:
            self._recover()
            raise
        self.pending.append(outcome)
        if outcome.status != "unchanged":
            self.group.append(prep)
            self.token_chars += sum(len(t) for t, _ in prep.rows.index) if prep.rows else 0
        if not grouped or len(self.group) >= GROUP_DOCUMENTS or self.token_chars >= GROUP_TOKEN_CHARS:
            self.commit()

    def _recover(self) -> None:
        """The document in progress failed: the archive as before it, with the group's others."""
        from xyconvert import interrupts

        with interrupts.deferred():  # a second Ctrl-C waits until this is done
            try:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                self.open = False
                if self.group:
                    self.conn.execute("BEGIN IMMEDIATE")
                    self.open = True
                    for prep in self.group:
                        _store(self.conn, prep)
                self.commit()
            except BaseException:
                self._abandon()
                raise

    def _abandon(self) -> None:
        """Nothing of the open transaction is kept (nor reported)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.pending = [o for o in self.pending if o.status == "failed"]
        self.group = []
        self.open = False
        self.token_chars = 0

    def commit(self) -> None:
        if self.open:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self._abandon()
                raise
            self.open = False
            self.group = []
            self.token_chars = 0
        pending, self.pending = self.pending, []
        for outcome in pending:
            self.done(outcome)


def _prepare_rows(path: Path) -> Prepared:
    """``prepare`` in a worker: the rows go back to the writer, not the document model."""
    if os.environ.get(CRASH_ENV) == Path(path).name:
        os.kill(os.getpid(), signal.SIGSEGV)  # the test hook: a reader crashing its worker
    prep = prepare(path)
    if prep.rows is not None:  # what the rows hold already need not be pickled twice
        prep.document = None
        prep.tokens, prep.glossary, prep.indicators = [], [], []
    return prep


def add_paths(
    conn: sqlite3.Connection,
    paths: list[Path],
    *,
    jobs: int = 1,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Add every input; reading, conversion and row making run in ``jobs`` worker processes,
    writing (in input order) in this one."""
    outcomes: list[Outcome] = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    todo = []
    for p in paths:
        known = _known(conn, p)
        if known is not None:
            done(Outcome(p, "unchanged", doc_id=known))
        else:
            todo.append(p)
    writer = _GroupWriter(conn, done)
    # Room for a group's pages (an FTS5 segment, the blocks of 32 reports: tens of MB) so
    # they are not spilled and read back before the commit; SQLite's default is 2 MB.
    conn.execute(f"PRAGMA cache_size = -{ADD_CACHE_KIB}")
    try:
        if jobs <= 1 or len(todo) <= 1:
            for p in todo:
                writer.add(prepare(p))
        else:
            with closing(_prepared_in_order(todo, jobs)) as prepared:  # closed: cancels the rest
                for prep in prepared:
                    writer.add(prep)
    finally:
        writer.commit()  # interrupted between documents: the completed ones stay
    return outcomes


def _prepare_chunk(paths: list[Path]) -> list[Prepared]:
    return [_prepare_rows(p) for p in paths]


def _prepared_in_order(todo: list[Path], jobs: int) -> Iterator[Prepared]:
    """``prepare`` of every input in ``jobs`` worker processes, yielded in input order.

    At most ``2 * jobs`` chunks are out at a time (each worker one at work, one queued):
    when writing is the slower side, prepared rows do not pile up in memory (all of a
    10,000-file import would), and the workers wait, leaving the CPU to the writer.
    Closed early (an error, Ctrl-C), the chunks not yet started are cancelled: only the
    ones in progress are waited for. A worker that dies (a crash in a reader, the OOM
    killer) takes the pool with it: the inputs that were out are prepared again, each in
    a worker of its own, so only the one that kills its worker fails; then a new pool goes on.
    """
    from concurrent.futures.process import BrokenProcessPool

    # A JSON import is some 15 ms of work: two per chunk halve the round trips, and the
    # writer still has its first rows after two imports, not a long chunk of them.
    size = max(1, min(2, len(todo) // (4 * jobs)))
    chunks = deque(todo[i : i + size] for i in range(0, len(todo), size))
    block_tokens(["中"])  # its tables (the fold scan, the classes) are made before the workers fork: shared
    pool = _pool(jobs)
    out: deque[tuple[list[Path], Future[list[Prepared]]]] = deque()
    try:
        while chunks or out:
            try:
                while chunks and len(out) < 2 * jobs:
                    out.append((chunks[0], pool.submit(_prepare_chunk, chunks[0])))
                    chunks.popleft()
                done = out[0][1].result()
            except BrokenProcessPool:
                lost = [c for c, _ in out]
                out.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                for path in (p for c in lost for p in c):
                    yield _prepare_alone(path)
                pool = _pool(jobs)
                continue
            out.popleft()
            yield from done
    except GeneratorExit:  # closed early (an interruption, an error): nothing out is wanted
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the workers now, not after the inputs they are converting (a long PDF can take
    a minute). ``_processes`` is the executor's own map of its workers (Python 3.8-3.13;
    3.14 has ``terminate_workers``); without it, shutdown waits for them."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.terminate()


def _pool(jobs: int) -> ProcessPoolExecutor:
    from xyconvert import interrupts

    # Workers die with this process (a SIGKILL left them waiting for work for ever) and
    # leave Ctrl-C to it (it stops the add; the workers' chunks are cancelled or finish).
    return ProcessPoolExecutor(max_workers=jobs, initializer=interrupts.in_worker, initargs=(os.getpid(),))


def _prepare_alone(path: Path) -> Prepared:
    """``prepare`` in a worker of its own: when it dies, this input fails, not the add."""
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(1)
    try:
        return pool.submit(_prepare_rows, path).result()
    except BrokenProcessPool:
        return Prepared(Path(path), exit_code=errors.INTERNAL,
                        problem="the worker reading it died (a crash in a reader, or out of memory)")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
