"""The page loop: one page at a time through glyphs, tables, lines and reading order."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xyconvert.errors import UnreadableInput, XyError
from xyconvert.readers.pdf.columns import layout_lines, reading_order
from xyconvert.readers.pdf.glyphs import page_chars, scan_layout
from xyconvert.readers.pdf.opening import has_eof_marker, open_pdf, why
from xyconvert.readers.pdf.records import Page
from xyconvert.readers.pdf.tables import find_tables


def read_raw_pages(
    path: Path, password: str | None, pages: range | Sequence[int] | None, notes: list[str]
) -> list[Page]:
    wanted = None if pages is None else [i + 1 for i in pages]
    pdf = open_pdf(path, password, wanted)
    out: list[Page] = []
    try:
        try:
            page_objs = pdf.pages
        except Exception as e:
            raise UnreadableInput(path, f"corrupt or truncated PDF: {why(e)}") from None
        if not page_objs:
            if wanted is not None and wanted:
                raise UnreadableInput(path, f"no page {wanted[0]} in this PDF")
            raise UnreadableInput(path, "corrupt or truncated PDF: no pages")
        truncated = not has_eof_marker(path)
        gutter: tuple[float, float] | None = None
        for page in page_objs:
            try:
                out.append(read_page(page, gutter))
                gutter = out[-1].gutter or gutter
            except XyError:
                raise
            except Exception as e:  # a broken page: pdfminer raises anything from KeyError to PSEOF
                if truncated or not out:
                    raise UnreadableInput(
                        path, f"corrupt or truncated PDF: page {page.page_number}: {why(e)}"
                    ) from None
                notes.append(f"page {page.page_number} unreadable, skipped: {why(e)}")
                out.append(Page(page.page_number, 0.0, 0.0, error=why(e)))
            finally:
                page.close()  # drop the page's parsed layout and object caches
        if truncated and not any(p.has_text for p in out):
            raise UnreadableInput(path, "corrupt or truncated PDF: no %%EOF marker and no text")
    finally:
        # Closing re-reads the page tree, which may be what is broken.
        with contextlib.suppress(Exception):
            pdf.close()
    return out

def read_page(page: Any, gutter_hint: tuple[float, float] | None = None) -> Page:
    pg = Page(page.page_number, float(page.width), float(page.height))
    raw, rules, pg.has_images = scan_layout(page)
    chars = page_chars(page, pg, raw)
    if not chars:
        return pg
    pg.has_text = True
    for ch in chars:
        pg.sizes[round(ch.size * 2) / 2] += 1

    tables, chars = find_tables(page, chars, rules)
    lines, pg.gutter = layout_lines(chars, gutter_hint)
    lines.extend(tables)
    pg.lines = reading_order(lines)
    return pg

