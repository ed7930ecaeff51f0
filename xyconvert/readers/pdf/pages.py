"""The page loop: one page at a time through glyphs, tables, lines and reading order.

Two glyph engines feed it, and everything after the glyph scan is the same for both:
``pdfplumber`` (pdfminer's layout, pure Python) and ``pdfium`` (PDFium's text page, C).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

from xyconvert.errors import UnreadableInput, XyError
from xyconvert.limits import PageTooBig
from xyconvert.readers.pdf.columns import layout_lines, reading_order
from xyconvert.readers.pdf.glyphs import page_chars, scan_layout
from xyconvert.readers.pdf.opening import has_eof_marker, open_pdf, open_pdfium, why
from xyconvert.readers.pdf.records import Page
from xyconvert.readers.pdf.tables import find_tables

ENGINES = ("pdfplumber", "pdfium")
_SIZE = attrgetter("size")

Scan = Callable[[Any], tuple[list[tuple[Any, ...]], int, bool]]
OnPage = Callable[[int, int], None]  # (pages read so far, pages to read): progress, e.g. a bar


class _Source:
    """An open PDF for one engine: its pages (opened lazily), their glyph scan, closing."""

    def __init__(self, path: Path, password: str | None, wanted: list[int] | None, engine: str):
        self.engine = engine
        if engine == "pdfium":
            from xyconvert.readers.pdf.pdfium_glyphs import PdfiumPage, scan_page

            self.doc = open_pdfium(path, password)
            total = len(self.doc)
            _check_pages(path, total, self.close)
            numbers = list(range(1, total + 1)) if wanted is None else [n for n in wanted if 1 <= n <= total]
            doc = self.doc
            self.numbers = numbers
            self.open_page: Callable[[int], Any] = lambda k: PdfiumPage(doc, numbers[k] - 1, (path, password))
            self.scan: Scan = scan_page
        elif engine == "pdfplumber":
            # pdfminer builds an object per page before a page count is known: ask
            # PDFium (C, no layout) first.
            _check_pages(path, _pdfium_page_count(path, password), lambda: None)
            self.doc = open_pdf(path, password, wanted)
            page_objs = self.doc.pages  # may raise on a broken page tree: the caller maps it
            self.numbers = [p.page_number for p in page_objs]
            self.open_page = page_objs.__getitem__
            self.scan = scan_layout
        else:
            raise ValueError(f"unknown PDF engine {engine!r} (choose from {', '.join(ENGINES)})")

    def close(self) -> None:
        # pdfplumber's close re-reads the page tree, which may be what is broken.
        with contextlib.suppress(Exception):
            self.doc.close()


def _pdfium_page_count(path: Path, password: str | None) -> int | None:
    """PDFium's page count, or None when it cannot open the file (pdfminer then says why)."""
    try:
        doc = open_pdfium(path, password)
    except Exception:
        return None
    try:
        return len(doc)
    finally:
        doc.close()


def _check_pages(path: Path, total: int | None, close: Callable[[], None]) -> None:
    from xyconvert.limits import MAX_PAGES_ENV, max_pages

    limit = max_pages()
    if limit and total is not None and total > limit:
        close()
        raise UnreadableInput(
            path, f"has {total:,} pages, beyond the limit of {limit:,} (${MAX_PAGES_ENV}); not a report"
        )


def page_count(path: Path, password: str | None, engine: str = "pdfplumber") -> int:
    """Number of pages, with the same error mapping as the page loop."""
    try:
        src = _Source(path, password, None, engine)
    except XyError:
        raise
    except Exception as e:  # pdfminer raises many kinds on broken page trees
        raise UnreadableInput(path, f"corrupt or truncated PDF: {why(e)}") from None
    try:
        return len(src.numbers)
    finally:
        src.close()


def read_raw_pages(
    path: Path,
    password: str | None,
    pages: range | Sequence[int] | None,
    notes: list[str],
    engine: str = "pdfplumber",
    first_page_fatal: bool = True,
    on_page: OnPage | None = None,
) -> list[Page]:
    """Pages of raw lines. A page that fails is skipped with a note, unless the file is
    truncated or it is the first page (then the file is unreadable); ``first_page_fatal``
    is False for a worker's run of pages that does not start the document. ``on_page`` is
    called after each page, read or skipped."""
    wanted = None if pages is None else [i + 1 for i in pages]
    try:
        src = _Source(path, password, wanted, engine)
    except (XyError, ValueError):
        raise
    except Exception as e:
        raise UnreadableInput(path, f"corrupt or truncated PDF: {why(e)}") from None
    out: list[Page] = []
    try:
        if not src.numbers:
            if wanted is not None and wanted:
                raise UnreadableInput(path, f"no page {wanted[0]} in this PDF")
            raise UnreadableInput(path, "corrupt or truncated PDF: no pages")
        truncated = not has_eof_marker(path)
        gutter: tuple[float, float] | None = None
        for k, number in enumerate(src.numbers):
            page = None
            try:
                page = src.open_page(k)
                out.append(read_page(page, gutter, src.scan))
                # Only the previous page's gutter is a hint: carried further, one two-column
                # page made the next fifty single-column pages of an annual report split.
                gutter = out[-1].gutter
            except XyError:
                raise
            except PageTooBig as e:
                raise UnreadableInput(path, e.problem) from None
            except Exception as e:  # a broken page: pdfminer raises anything from KeyError to PSEOF
                if truncated or (not out and first_page_fatal):
                    raise UnreadableInput(
                        path, f"corrupt or truncated PDF: page {number}: {why(e)}"
                    ) from None
                notes.append(f"page {number} unreadable, skipped: {why(e)}")
                out.append(Page(number, 0.0, 0.0, error=why(e)))
            finally:
                if page is not None:
                    page.close()  # drop the page's parsed layout and object caches
            if on_page is not None:
                on_page(k + 1, len(src.numbers))
        if truncated and not any(p.has_text for p in out):
            raise UnreadableInput(path, "corrupt or truncated PDF: no %%EOF marker and no text")
    finally:
        src.close()
    return out


def read_page(page: Any, gutter_hint: tuple[float, float] | None = None, scan: Scan = scan_layout) -> Page:
    pg = Page(page.page_number, float(page.width), float(page.height))
    raw, rules, pg.has_images = scan(page)
    chars = page_chars(page, pg, raw)
    if not chars:
        return pg
    pg.has_text = True
    # body-size votes by half points: the exact sizes counted in C, then rounded (a few
    # distinct sizes a page; the rounded ones come in the same first-seen order)
    for size, n in Counter(map(_SIZE, chars)).items():
        pg.sizes[round(size * 2) / 2] += n

    tables, chars = find_tables(page, chars, rules)
    lines, pg.gutter = layout_lines(chars, gutter_hint)
    lines.extend(tables)
    pg.lines = reading_order(lines)
    return pg
