"""Ruled tables: the cells of pdfplumber's lattice finder (``ruling``), filled from the page's glyphs.

Every glyph inside a table goes to exactly one cell, the one that holds its centre (a
glyph on a border goes to the nearer cell, never to both). Rows are the table's own: where
a cell's text wraps onto a second line the PDF often draws the cell as a stack of
sub-cells, offset against the neighbouring columns' sub-cells (background boxes). Such a
stack is one row, its text joined inside its cell; a real row span (a label beside several
data rows) keeps its rows.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence
from typing import Any

from xyconvert.readers.pdf import ruling
from xyconvert.readers.pdf.glyphs import is_cjk
from xyconvert.readers.pdf.records import Char, Line
from xyconvert.readers.pdf.rows import baseline_rows, line_text

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom
_SNAP = 1.0  # borders closer than this (points) are one border
# pdfplumber snaps rules within 3 pt into one border by default, which chains the double rules
# of one table into the nearby borders of another on the same page and moves a border past the
# glyphs of a right-aligned number. 2 pt still joins a double rule (drawn ~1 pt apart).
_SNAP_TOLERANCE = 2.0


def find_tables(page: Any, chars: list[Char], rules: int) -> tuple[list[Line], list[Char]]:
    """Ruled tables with >= 2 rows and >= 2 columns; their chars leave the text flow.

    ``page``: a PDFium page (its ``rulings()``) or a pdfplumber page (its ``edges``).
    """
    if rules < 4:
        return [], chars  # no rules, no ruled table: skip the finder
    own = getattr(page, "rulings", None)
    hs, vs = own() if own is not None else ruling.edges_from_dicts(page.edges)
    out: list[Line] = []
    # each glyph's centre, worked out once for all the tables of the page
    rest = [((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2, c) for c in chars]
    for t in ruling.find_tables(hs, vs, _SNAP_TOLERANCE, _SNAP_TOLERANCE):
        cells = [tuple(float(v) for v in c) for c in t.cells]
        if len(cells) < 4:
            continue
        bx0, btop, bx1, bbottom = t.bbox
        bx0, btop, bx1, bbottom = bx0 - 1, btop - 1, bx1 + 1, bbottom + 1
        inside: list[Char] = []
        outside: list[tuple[float, float, Char]] = []
        for item in rest:
            cx, cy, c = item
            if bx0 <= cx <= bx1 and btop <= cy <= bbottom:  # as _centre_in
                inside.append(c)
            else:
                outside.append(item)
        if not inside:
            continue
        rows = fill_table(cells, inside)
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue
        rest = outside
        x0, top, x1, bottom = t.bbox
        size = statistics.median(c.size for c in inside)
        flat = " ".join(c for row in rows for c in row if c)
        out.append(Line(flat, x0, x1, top, bottom, bottom, size, False, table=tuple(rows)))
    return out, (chars if not out else [c for _, _, c in rest])


def fill_table(cells: Sequence[BBox], chars: Sequence[Char]) -> list[tuple[str, ...]]:
    """Rows of cell texts for a table given as cell boxes, from the glyphs inside it.

    Columns are the table's distinct column borders; a cell spanning several columns keeps
    its text in its first column (the others ""). Rows without any text are left out.
    """
    xs = _snap(v for c in cells for v in (c[0], c[2]))
    ys = _snap(v for c in cells for v in (c[1], c[3]))
    ncols, nrows = len(xs) - 1, len(ys) - 1
    if ncols < 1 or nrows < 1:
        return []
    grid: dict[tuple[int, int], int] = {}  # (grid row, grid column) -> cell index
    spans: list[tuple[int, int, int, int]] = []  # per cell: row0, row1, col0, col1 (exclusive)
    for i, (x0, top, x1, bottom) in enumerate(cells):
        r0, c0 = _index(ys, top), _index(xs, x0)
        r1, c1 = max(_index(ys, bottom), r0 + 1), max(_index(xs, x1), c0 + 1)
        spans.append((r0, r1, c0, c1))
        for r in range(r0, r1):
            for c in range(c0, c1):
                grid.setdefault((r, c), i)
    content: list[list[Char]] = [[] for _ in cells]
    # _cell_of, inlined: this loop runs once per glyph of every table
    right, last_c, last_r = bisect.bisect_right, len(xs) - 2, len(ys) - 2
    get = grid.get
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        c = right(xs, cx) - 1
        c = 0 if c < 0 else last_c if c > last_c else c
        r = right(ys, cy) - 1
        r = 0 if r < 0 else last_r if r > last_r else r
        hit = get((r, c))
        if hit is None:
            hit = _cell_of(ch, xs, ys, grid, cells)
        content[hit].append(ch)
    lines = [baseline_rows(cc) if cc else [] for cc in content]
    texts = [_join(line_text(row) for row in rows) for rows in lines]
    fills = [_last_line_fills(rows, cells[i]) for i, rows in enumerate(lines)]

    # Bands: runs of grid rows that no cell border crosses from one side to the other.
    crossing = [False] * (nrows + 1)
    for r0, r1, _, _ in spans:
        for b in range(r0 + 1, r1):
            crossing[b] = True
    bands: list[tuple[int, int]] = []
    start = 0
    for b in range(1, nrows + 1):
        if not crossing[b]:
            bands.append((start, b))
            start = b

    # each band's cells (those starting in it), in cell order
    band_of = [0] * nrows
    for k, (b0, b1) in enumerate(bands):
        for r in range(b0, b1):
            band_of[r] = k
    in_band: list[list[int]] = [[] for _ in bands]
    for i, (r0, _, _, _) in enumerate(spans):
        if 0 <= r0 < nrows:
            in_band[band_of[r0]].append(i)
    out: list[tuple[str, ...]] = []
    for (b0, b1), members in zip(bands, in_band, strict=True):
        for row in _band_rows(members, spans, texts, fills, b0, b1, ncols):
            if any(row):
                out.append(row)
    # Columns empty in every row are gaps between double rules or spanned-over columns.
    used = [c for c in range(ncols) if any(row[c] for row in out)]
    return [tuple(row[c] for c in used) for row in out]


def _band_rows(
    members: list[int],
    spans: list[tuple[int, int, int, int]],
    texts: list[str],
    fills: list[bool],
    b0: int,
    b1: int,
    ncols: int,
) -> list[tuple[str, ...]]:
    """One band of grid rows as table rows: one row when the stacked sub-cells are wraps."""
    by_col: dict[int, list[int]] = {}
    for i in sorted(members, key=lambda i: (spans[i][2], spans[i][0])):
        by_col.setdefault(spans[i][2], []).append(i)
    stacked = {c: [i for i in ids if texts[i]] for c, ids in by_col.items()}
    # A wrap: every text of a stack but the last runs to its cell's right edge.
    wraps = all(all(fills[i] for i in ids[:-1]) for ids in stacked.values())
    if b1 - b0 == 1 or wraps:
        row = [""] * ncols
        for c, ids in stacked.items():
            row[c] = _join(texts[i] for i in ids)
        return [tuple(row)]
    rows: list[tuple[str, ...]] = []
    for r in range(b0, b1):
        row = [""] * ncols
        for i in members:
            if spans[i][0] == r:
                row[spans[i][2]] = texts[i]
        rows.append(tuple(row))
    return rows


def _snap(values: Any) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _index(borders: list[float], v: float) -> int:
    """Index of the border nearest to ``v``."""
    i = bisect.bisect_left(borders, v)
    if i > 0 and (i == len(borders) or v - borders[i - 1] <= borders[i] - v):
        return i - 1
    return i


def _cell_of(
    ch: Char, xs: list[float], ys: list[float], grid: dict[tuple[int, int], int], cells: Sequence[BBox]
) -> int:
    cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
    c = min(max(bisect.bisect_right(xs, cx) - 1, 0), len(xs) - 2)
    r = min(max(bisect.bisect_right(ys, cy) - 1, 0), len(ys) - 2)
    hit = grid.get((r, c))
    if hit is not None:
        return hit
    # A hole in the grid (no cell there): the nearest cell by distance from the centre.
    return min(range(len(cells)), key=lambda i: _distance(cx, cy, cells[i]))


def _distance(x: float, y: float, box: BBox) -> float:
    x0, top, x1, bottom = box
    dx = max(x0 - x, 0.0, x - x1)
    dy = max(top - y, 0.0, y - bottom)
    return dx * dx + dy * dy


def _centre_in(c: Char, bbox: BBox) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


def _last_line_fills(rows: list[list[Char]], box: BBox) -> bool:
    """Does the cell's last line (of its ``baseline_rows``) run to the right edge (so its
    text wraps on)?"""
    if not rows:
        return False
    last = rows[-1]
    size = last[0].size if len(last) == 1 else statistics.median(c.size for c in last)
    return box[2] - max(c.x1 for c in last) < 2.0 * size


def _join(parts: Any) -> str:
    out = ""
    for p in parts:
        if out and not (is_cjk(out[-1]) or is_cjk(p[0])) and not out.endswith("-"):
            out += " "
        out += p
    return out


def cell_text(chars: list[Char]) -> str:
    """A cell's lines joined; wrapped CJK needs no separator, Latin words get one space."""
    return _join(line_text(row) for row in baseline_rows(chars))
