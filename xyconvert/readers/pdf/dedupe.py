"""Fake-bold and shadow doubles: glyphs drawn twice at (nearly) the same place.

A copy of a glyph counts as a double only when it covers the first one: its left edge is
within a share of the glyph's *own* width (fake bold shifts the copy by 0.2–0.5 pt). A fixed
share of the font size would also take two narrow neighbours for one glyph drawn twice: the
second ``l`` of ``ll``, or the dots of a leader line, start one narrow width further on.
"""

from __future__ import annotations

from collections import Counter

from xyconvert.readers.pdf.records import Char

# Largest left-edge offset of a double, as a share of the glyph's width: a true neighbour starts
# about one width on (never less than ~0.8 of it, even with tight kerning).
_OVERLAP_SHARE = 0.4
# For glyphs whose box has (almost) no width, as a share of the font size.
_ZERO_WIDTH_TOL = 0.05


def dedupe(chars: list[Char]) -> tuple[list[Char], Counter[str]]:
    """Remove glyphs drawn again over themselves: fake bold, shadow text, OCR doubles.

    Returns the kept glyphs and the removed ones (as a character count), so the removal can
    be reported. The survivor is marked bold when the copies are offset (fake bold is drawn
    shifted). Spatial buckets keep this linear in the number of glyphs.
    """
    kept: list[Char] = []
    removed: Counter[str] = Counter()
    # text -> row cell -> column cell -> glyphs in order: a glyph's bucket is (text, column
    # cell, row cell) of its own size's grid, and a copy is looked for in the 3 x 3 cells
    # around it, column by column, then row by row, each in the order the glyphs came.
    # Nested by text first (most glyphs' text is new to the page or far from its last
    # copy: one lookup), then by cell (a dotted leader puts hundreds of one glyph in a row).
    buckets: dict[str, dict[int, dict[int, list[Char]]]] = {}
    get = buckets.get
    keep = kept.append
    for ch in chars:
        cell = ch.size
        if cell < 1.0:
            cell = 1.0
        bx, by = int(ch.x0 // cell), int(ch.base // cell)
        text = ch.text
        rows = get(text)
        if rows is None:
            keep(ch)
            buckets[text] = {by: {bx: [ch]}}
            continue
        near = (rows.get(by - 1), rows.get(by), rows.get(by + 1))
        dup = None
        if near[0] or near[1] or near[2]:
            for x in (bx - 1, bx, bx + 1):
                for row in near:
                    for k in (row.get(x) or ()) if row else ():
                        if _covers(k, ch):
                            dup = k
                            break
                    if dup:
                        break
                if dup:
                    break
        if dup is None:
            keep(ch)
            row = near[1]
            if row is None:
                rows[by] = {bx: [ch]}
            else:
                same = row.get(bx)
                if same is None:
                    row[bx] = [ch]
                else:
                    same.append(ch)
            continue
        removed[text] += 1
        if abs(dup.x0 - ch.x0) > 0.01 or abs(dup.base - ch.base) > 0.01:
            dup.bold = True
    return kept, removed


def _covers(a: Char, b: Char) -> bool:
    """Is ``b`` the same glyph as ``a`` drawn (almost) on top of it?"""
    if abs(a.size - b.size) > 0.2 * max(a.size, b.size):
        return False
    width = min(a.x1 - a.x0, b.x1 - b.x0)
    size = max(a.size, b.size)
    tol = _OVERLAP_SHARE * width if width > _ZERO_WIDTH_TOL * size else _ZERO_WIDTH_TOL * size
    return abs(a.x0 - b.x0) <= tol and abs(a.base - b.base) <= 0.3 * size
