"""Columns: the gutter of two-column stretches, and the reading order of a page's lines."""

from __future__ import annotations

import statistics

from xyconvert.readers.pdf.records import Char, Line
from xyconvert.readers.pdf.rows import baseline_rows, line_from_chars, segments


def find_gutter(segs: list[tuple[float, float, int]], nrows: int) -> tuple[float, float] | None:
    """A vertical strip near the middle that (almost) no segment crosses, with text both sides.

    ``segs`` are (x0, x1, row index). Returns the strip (left, right) or None (one column).
    """
    if nrows < 6:
        return None
    lo = min(s[0] for s in segs)
    hi = max(s[1] for s in segs)
    width = hi - lo
    if width <= 0:
        return None
    n = int(width) + 1
    cover = [0] * n
    for x0, x1, _ in segs:
        for i in range(max(0, int(x0 - lo)), min(n, int(x1 - lo) + 1)):
            cover[i] += 1
    a, b = int(0.25 * width), int(0.75 * width)
    mid = cover[a:b]
    if not mid:
        return None
    least = min(mid)
    if least > max(1, 0.3 * len(segs)):
        return None  # most text runs across the middle: one column (titles/abstracts may span)
    # widest run of minimal coverage in the middle band
    best: tuple[int, int] | None = None
    i = a
    while i < b:
        if cover[i] <= least:
            j = i
            while j + 1 < b and cover[j + 1] <= least:
                j += 1
            if best is None or j - i > best[1] - best[0]:
                best = (i, j)
            i = j + 1
        else:
            i += 1
    if best is None:
        return None
    gl, gr = lo + best[0], lo + best[1] + 1
    left = [s for s in segs if s[1] <= gl + 1]
    right = [s for s in segs if s[0] >= gr - 1]
    # Real columns: several full-ish lines on each side, side by side on the same rows.
    if len({s[2] for s in left}) < 3 or len({s[2] for s in right}) < 3:
        return None
    if statistics.median(s[1] - s[0] for s in left) < 0.5 * (gl - lo):
        return None
    if statistics.median(s[1] - s[0] for s in right) < 0.5 * (hi - gr):
        return None
    shared = {s[2] for s in left} & {s[2] for s in right}
    if len(shared) < 3:
        return None
    return gl, gr


def layout_lines(
    chars: list[Char], hint: tuple[float, float] | None
) -> tuple[list[Line], tuple[float, float] | None]:
    """Rows -> segments -> (two-column stretches split at the gutter) -> lines.

    ``hint`` is the gutter of an earlier page: a last page with one line in the right
    column has too little text to find its gutter but still has two columns.
    """
    rows = baseline_rows(chars)
    segrows = [segments(r) for r in rows]
    flat = [(s[0].x0, max(c.x1 for c in s), i) for i, segs in enumerate(segrows) for s in segs]
    gutter = find_gutter(flat, len(rows))
    if gutter is None and hint is not None and flat:
        gl, gr = hint
        crossing = sum(1 for x0, x1, _ in flat if x0 < gl - 1 and x1 > gr + 1)
        left = any(x1 <= gl + 1 for _, x1, _ in flat)
        right = any(x0 >= gr - 1 for x0, _, _ in flat)
        if left and right and crossing <= 0.3 * len(flat):
            gutter = hint
    lines: list[Line] = []
    for segs in segrows:
        if gutter is None:
            lines.append(line_from_chars([c for s in segs for c in s]))
            continue
        gl, gr = gutter
        crossing = any(s[0].x0 < gl - 1 and max(c.x1 for c in s) > gr + 1 for s in segs)
        if crossing:
            ln = line_from_chars([c for s in segs for c in s])
            ln.column = (1, 0)
            lines.append(ln)
            continue
        mid = (gl + gr) / 2
        left = [c for s in segs if s[0].x0 < mid for c in s]
        right = [c for s in segs if s[0].x0 >= mid for c in s]
        for idx, part in ((0, left), (1, right)):
            if part:
                ln = line_from_chars(part)
                ln.column = (2, idx)
                lines.append(ln)
    return lines, gutter


def reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom; inside a two-column stretch (between full-width lines) left column first."""
    lines.sort(key=lambda ln: (ln.base, ln.x0))
    out: list[Line] = []
    stretch: list[Line] = []

    def flush() -> None:
        stretch.sort(key=lambda ln: (ln.column[1], ln.base, ln.x0))
        out.extend(stretch)
        stretch.clear()

    for ln in lines:
        if ln.column[0] == 2:
            stretch.append(ln)
            continue
        if ln.table is not None and stretch and ln.x1 - ln.x0 < _stretch_half(stretch):
            stretch.append(_as_column(ln, stretch))  # a table inside one column
            continue
        flush()
        out.append(ln)
    flush()
    return out


def _stretch_half(stretch: list[Line]) -> float:
    left = [ln for ln in stretch if ln.column[1] == 0]
    right = [ln for ln in stretch if ln.column[1] == 1]
    if not left or not right:
        return 0.0
    return max(ln.x1 for ln in right) - min(
        ln.x0 for ln in left
    )  # whole width; half-ish tables fit


def _as_column(ln: Line, stretch: list[Line]) -> Line:
    right = [x for x in stretch if x.column[1] == 1]
    gl = min((x.x0 for x in right), default=ln.x1)
    ln.column = (2, 0 if ln.x1 <= gl + 1 else 1)
    return ln

