"""Ruled tables: pdfplumber's table finder, cells filled from the page's glyphs."""

from __future__ import annotations

import statistics
from typing import Any

from xyconvert.readers.pdf.glyphs import is_cjk
from xyconvert.readers.pdf.records import Char, Line
from xyconvert.readers.pdf.rows import baseline_rows, line_from_chars


def find_tables(page: Any, chars: list[Char], rules: int) -> tuple[list[Line], list[Char]]:
    """Ruled tables with >= 2 rows and >= 2 columns; their chars leave the text flow."""
    if rules < 4:
        return [], chars  # no rules, no ruled table: skip the (costly) finder
    found = []
    for t in page.find_tables():
        rows = [r for r in t.rows if any(c is not None for c in r.cells)]
        ncols = max((sum(1 for c in r.cells if c is not None) for r in rows), default=0)
        if len(rows) >= 2 and ncols >= 2:
            found.append((t, rows))
    if not found:
        return [], chars
    out: list[Line] = []
    rest = chars
    for t, rows in found:
        x0, top, x1, bottom = t.bbox
        inside = [c for c in rest if in_bbox(c, t.bbox)]
        if not inside:
            continue
        rest = [c for c in rest if not in_bbox(c, t.bbox)]
        cells: list[tuple[str, ...]] = []
        for r in rows:
            texts = []
            for cell in r.cells:
                if cell is None:
                    texts.append("")  # merged with its neighbour
                    continue
                cc = [c for c in inside if in_bbox(c, cell)]
                texts.append(cell_text(cc))
            cells.append(tuple(texts))
        if not any(any(c for c in row) for row in cells):
            continue
        size = statistics.median(c.size for c in inside)
        flat = " ".join(c for row in cells for c in row if c)
        out.append(Line(flat, x0, x1, top, bottom, bottom, size, False, table=tuple(cells)))
    return out, rest


def in_bbox(c: Char, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


def cell_text(chars: list[Char]) -> str:
    """A cell's lines joined; wrapped CJK needs no separator, Latin words get one space."""
    out = ""
    for ln in (line_from_chars(row) for row in baseline_rows(chars)):
        if out and not (is_cjk(out[-1]) or is_cjk(ln.text[0])) and not out.endswith("-"):
            out += " "
        out += ln.text
    return out

