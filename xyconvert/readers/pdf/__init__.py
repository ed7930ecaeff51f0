"""PDF reader: pages of raw lines with layout hints, built from glyph geometry.

Why not ``page.extract_text()``: it follows pdfplumber's generic word rules, which put
spaces between CJK glyphs on justified lines, merge two columns line by line, double
fake-bold glyphs and keep running headers. Here every line is rebuilt from the glyphs:

  glyphs  -> from PDFium's text page (pdfium_glyphs, default) or pdfminer's layout (glyphs)
  chars   -> drop junk, normalise Kangxi radicals, drop ``(cid:N)``, remove fake-bold duplicates
  tables  -> ruled tables (pdfplumber's lattice algorithm in ``ruling``, on PDFium's or
             pdfminer's ruling lines) become one placeholder line with cell rows
  rows    -> chars clustered by baseline, cut into segments at wide horizontal gaps
  columns -> a gutter found from x-coverage splits two-column stretches; read column by column
  lines   -> text with spaces only between Latin/digit words; geometry kept for the hints
  document pass -> body size, column edges, furniture (margin lines repeated on >= 3 pages or
             page numbers), then the hints: indent, fill, size, bold, centered, gap_before

Pages are processed one at a time and closed, so memory stays bounded by the largest
page, not the document; a large PDF can be read by several processes (``parallel``).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from xyconvert.errors import NoTextLayer
from xyconvert.lines import SourcePage
from xyconvert.readers.pdf.document import document_pass
from xyconvert.readers.pdf.opening import page_list
from xyconvert.readers.pdf.pages import ENGINES, page_count, read_raw_pages
from xyconvert.readers.pdf.records import FURNITURE

__all__ = ["DEFAULT_ENGINE", "ENGINES", "default_engine", "pdf_page_count", "read_pdf"]

# PDFium: 2.5-3x faster, and measured at least as good (every character of every corpus PDF
# and sample accounted for by `check`, the structure tests pass on it; README, PDF engines).
DEFAULT_ENGINE = "pdfium"

log = logging.getLogger(__name__)


# --- public API ------------------------------------------------------------------------------


def read_pdf(
    path: Path | str,
    password: str | None = None,
    pages: range | Sequence[int] | None = None,
    warnings: list[str] | None = None,
    removed: dict[int, Counter[tuple[str, str]]] | None = None,
    engine: str | None = None,
    jobs: int = 1,
    on_page: Callable[[int, int], None] | None = None,
) -> list[SourcePage]:
    """Read a PDF into pages of lines with layout hints.

    ``pages``: 0-based page indices to read (e.g. ``range(10)``); default all pages.
    ``warnings``: if given, problems that do not stop the conversion are appended to it
    (pages without text, glyphs without a Unicode mapping, unreadable single pages).
    ``removed``: if given, filled with what was left out on purpose, per page number:
    (reason, character) -> count (see ``records``); ``xyconvert check`` reports it.

    ``engine``: where the glyphs come from, ``pdfium`` (PDFium's text page, fast) or
    ``pdfplumber`` (pdfminer's layout); everything after the glyphs is the same code.
    Default: ``$XYCONVERT_PDF_ENGINE``, else ``pdfium``.
    ``jobs``: worker processes over runs of pages (a large PDF only; see ``parallel``).
    ``on_page``: called as ``on_page(done, total)`` as pages are read (most of the time
    a PDF takes), e.g. to draw a progress bar; in page order only with ``jobs=1``.

    Raises EncryptedInput, NoTextLayer, UnreadableInput or InputNotFound, never a parser error.
    """
    path = Path(path)
    engine = engine or default_engine()
    miner = logging.getLogger("pdfminer")
    if miner.level == logging.NOTSET:  # its per-glyph font complaints are noise to our users
        miner.setLevel(logging.ERROR)
    notes: list[str] = []
    if jobs > 1:
        from xyconvert.readers.pdf.parallel import read_raw_pages_parallel

        raw = read_raw_pages_parallel(path, password, pages, notes, engine, jobs, on_page=on_page)
    else:
        raw = read_raw_pages(path, password, pages, notes, engine, on_page=on_page)
    out = document_pass(raw)
    if removed is not None:
        for pg in raw:
            counts = Counter(pg.removed)
            for ln in pg.lines:
                if ln.furniture:
                    counts.update((FURNITURE, ch) for ch in ln.text if not ch.isspace())
            removed[pg.number] = counts

    empty = [p.number for p in raw if not p.has_text and p.error is None]
    if raw and len(empty) == len(raw):
        raise NoTextLayer(
            path, f"no text layer on {page_list(empty)}: run OCR first (e.g. ocrmypdf)"
        )
    if empty:
        notes.append(
            f"no text on {page_list(empty)} (blank or scanned; run OCR for scanned pages)"
        )
    cid_pages = [p.number for p in raw if p.cids]
    if cid_pages:
        total = sum(p.cids for p in raw)
        notes.append(
            f"{total} glyphs without a Unicode mapping ((cid:N)) dropped on {page_list(cid_pages)}"
        )
    for note in notes:
        log.warning("%s: %s", path, note)
    if warnings is not None:
        warnings.extend(notes)
    return out


def pdf_page_count(path: Path | str, password: str | None = None, engine: str | None = None) -> int:
    """Number of pages, with the same error mapping as ``read_pdf``."""
    return page_count(Path(path), password, engine or default_engine())


def default_engine() -> str:
    """``$XYCONVERT_PDF_ENGINE`` when set to an engine name, else ``DEFAULT_ENGINE``."""
    env = os.environ.get("XYCONVERT_PDF_ENGINE", "")
    return env if env in ENGINES else DEFAULT_ENGINE
