"""Columns: the gutters of column stretches, and the reading order of a page's lines."""

from __future__ import annotations

import itertools
import statistics
from bisect import bisect_left, bisect_right
from operator import attrgetter

from xyconvert.readers.pdf.records import Char, Line
from xyconvert.readers.pdf.rows import baseline_rows, line_from_chars, row_pairs, segments


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
    # cover[i]: segments over point i, added as +1/-1 at the ends of each one's range
    diff = [0] * (n + 1)
    for x0, x1, _ in segs:
        start, end = max(0, int(x0 - lo)), min(n, int(x1 - lo) + 1)
        if start < end:
            diff[start] += 1
            diff[end] -= 1
    cover = list(itertools.accumulate(diff[:n]))
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


_X1 = attrgetter("x1")

_BIN = 0.25  # points per coverage bin when looking for gutters between glyphs


def glyph_gutters(
    rows: list[list[Char]], extents: list[list[tuple[float, float]]] | None = None,
) -> list[tuple[float, float]]:
    """Gutters found from the glyphs themselves: vertical strips no glyph covers on
    (almost) any row, with text close on both sides on many rows, and wider there
    than the row's own spacing between glyphs.

    Finds narrow gutters (about one character, as journals set them) that a row's
    segmentation does not split, and two gutters of a three-column page. A single
    column, however its glyphs are spaced, shows no such strip: its gaps are no
    wider than the rest of its row's gaps.

    ``extents``: an empty list to fill with each row's ``_extents`` when they are
    computed (for ``_split_rows``, which reads them again).
    """
    if len(rows) < 6:
        return []
    glyphs = [c for r in rows for c in r if c.x1 > c.x0 and not c.text.isspace()]
    if len(glyphs) < 60:
        return []
    lo, hi = _grid(min(c.x0 for c in glyphs)), _grid(max(c.x1 for c in glyphs))
    width = hi - lo
    em = statistics.median(c.size for c in glyphs)
    if width < 12 * em:
        return []
    n = int(width / _BIN) + 2
    # cover[i]: rows with a glyph over bin i (the bins strictly inside a glyph's box), each
    # row counted once: the union of its glyphs' bin ranges, added as +1/-1 at its ends.
    diff = [0] * (n + 1)
    for r in rows:
        spans = sorted([
            (int((_grid(c.x0) - lo) / _BIN) + 1, int((_grid(c.x1) - lo) / _BIN))
            for c in r if not c.text.isspace()
        ])
        start = end = -1
        for s, e in spans:
            if s >= e:
                continue
            if s > end:
                if end > start:
                    diff[start] += 1
                    diff[end] -= 1
                start, end = s, e
            elif e > end:
                end = e
        if end > start:
            diff[start] += 1
            diff[end] -= 1
    cover = list(itertools.accumulate(diff[:n]))
    allowed = max(2, int(0.12 * len(rows)))  # titles and front lines may span the page
    a, b = int(0.15 * width / _BIN), int(0.85 * width / _BIN)
    runs: list[tuple[float, float]] = []
    i = a
    while i < b:
        if cover[i] <= allowed:
            j = i
            while j + 1 < b and cover[j + 1] <= allowed:
                j += 1
            if (j - i + 1) * _BIN >= 0.6 * em:
                runs.append((lo + i * _BIN, lo + (j + 1) * _BIN))
            i = j + 1
        else:
            i += 1
    if extents is None:
        extents = []
    if runs:
        extents.extend(map(_extents, rows))
    found = [g for g in runs if _real_gutter(rows, g, em, extents)]
    # Columns are wide: gutters closer than six characters to each other or to the
    # text's edge are gaps inside a column (figures lining up), not gutters.
    edges = [lo, *(x for g in found for x in g), hi]
    spans = [edges[k + 1] - edges[k] for k in range(0, len(edges), 2)]
    return found if all(w >= 6 * em for w in spans) else []


def _grid(x: float) -> float:
    """``x`` to a thousandth of a point. Glyph edges fall on the bins' edges and on each
    other's (a grid of advances): PDFium's single-precision boxes (56.70000076) and
    pdfminer's doubles (56.69999999997) of the same glyph then fell on opposite sides of
    a comparison, and the two engines found different gutters on the same page."""
    return round(x, 3)


def _extents(row: list[Char]) -> list[tuple[float, float]]:
    """(x0, x1) of a row's glyphs that are not spaces, sorted, on ``_grid``: what
    ``_across`` reads."""
    return sorted([(round(c.x0, 3), round(c.x1, 3)) for c in row if not c.text.isspace()])


def _any_in_strip(xs: list[tuple[float, float]], gutter: tuple[float, float]) -> bool:
    """Does a glyph reach well into the strip? A justified line whose digits overhang
    its column edge by a point is no line across the gutter. (One loop over the row's
    extents: this runs for every glyph of a page per candidate gutter.)"""
    gl, gr = gutter
    need = max(_BIN, 0.25 * (gr - gl))
    # Only a glyph starting left of the strip's right edge (the extents are sorted by x0:
    # those before the first at or past it) and ending right of its left edge overlaps it.
    return any(min(x1, gr) - max(x0, gl) > need for x0, x1 in xs[:bisect_left(xs, (gr,))] if x1 > gl)


def _across(row: list[Char], gutter: tuple[float, float], em: float) -> bool | None:
    """Does ``row`` run across the strip? True (a glyph in it, or glyphs on both
    sides no further apart than the row's own spacing), False (a real gap: two
    columns side by side), None (text on one side only)."""
    xs = _extents(row)
    if _any_in_strip(xs, gutter):
        return True
    return _across_gap(xs, gutter, em)


def _across_gap(xs: list[tuple[float, float]], gutter: tuple[float, float], em: float) -> bool | None:
    """``_across`` for a row's ``_extents`` none of which is in the strip."""
    gl, gr = gutter
    lo, hi = gl - 1.5 * em, gr + 1.5 * em
    k = bisect_left(xs, (gl,))  # the first glyph starting at or right of gl: the leftmost there
    if k == len(xs) or not xs[k][0] <= hi:
        return None  # nothing starts against the strip on its right
    left = [x1 for _, x1 in xs if lo <= x1 <= gr]
    if not left:
        return None
    gaps = sorted([b0 - a1 for (_, a1), (b0, _) in zip(xs, xs[1:], strict=False)])
    usual = gaps[len(gaps) // 2] if gaps else 0.0
    return xs[k][0] - max(left) <= max(2.0 * usual, usual + 0.3 * em)


def _real_gutter(
    rows: list[list[Char]], gutter: tuple[float, float], em: float,
    extents: list[list[tuple[float, float]]] | None = None,
) -> bool:
    """``extents``: each row's ``_extents``, when the caller has them (several gutters)."""
    gl, gr = gutter
    lo, hi = gl - 1.5 * em, gr + 1.5 * em
    lefts = rights = both = wide = 0
    for xs in extents if extents is not None else map(_extents, rows):
        lefts += any(lo <= x1 <= gr for _, x1 in xs)
        k = bisect_left(xs, (gl,))  # sorted by x0: the leftmost glyph starting at or past gl
        rights += k < len(xs) and xs[k][0] <= hi
        if _any_in_strip(xs, gutter):
            continue  # a title or front line across the page
        across = _across_gap(xs, gutter, em)
        if across is not None:
            both += 1
            wide += not across
    # Text ends against the strip on its left and starts against it on its right on
    # many rows; where a row has both, the strip is wider than that row's spacing.
    sides = min(lefts, rights) >= max(3, 0.2 * len(rows) / 2)
    return sides and wide >= 0.8 * both


def _split_rows(
    rows: list[list[Char]], gutters: list[tuple[float, float]],
    extents: list[list[tuple[float, float]]] | None = None,
) -> list[Line]:
    """Cut each row at the gutters; a row running across one spans the page.
    ``extents``: each row's ``_extents``, when the caller has them."""
    k = len(gutters) + 1
    glyphs = [c for r in rows for c in r if not c.text.isspace()]
    em = statistics.median(c.size for c in glyphs) if glyphs else 10.0
    lo = min((c.x0 for c in glyphs), default=0.0)
    hi = max((c.x1 for c in glyphs), default=0.0)
    mids = sorted((gl + gr) / 2 for gl, gr in gutters)
    lines: list[Line] = []
    started = False  # has the column stretch below the last spanning line begun?
    for i, row in enumerate(rows):
        xs = extents[i] if extents else _extents(row)
        if any(_any_in_strip(xs, g) or _across_gap(xs, g, em) for g in gutters):
            lines.append(line_from_chars(row))
            started = False
            continue
        parts: list[list[Char]] = [[] for _ in range(k)]
        for c in row:
            # the column: how many gutter middles lie at or left of the glyph's middle
            parts[bisect_right(mids, (c.x0 + c.x1) / 2)].append(c)
        filled = [idx for idx, part in enumerate(parts) if part and not all(c.text.isspace() for c in part)]
        if not started and len(filled) == 1 and filled[0] > 0 and _centred(parts[filled[0]], lo, hi, em):
            # All columns of a stretch start at its top: a lone line centred on the page
            # inside a later column above that start (a speaker line over three columns)
            # is a line over the stretch, not the top of that column.
            lines.append(line_from_chars(row))
            continue
        started = started or bool(filled)
        for idx in filled:
            ln = line_from_chars(parts[idx])
            ln.column = (k, idx)
            lines.append(ln)
    return lines


def _hint_fits(rows: list[list[Char]], hint: tuple[float, float]) -> bool:
    """Does an earlier page's gutter fit this page: text on both sides of the strip and
    at most three rows in ten running across it (checked glyph by glyph, so a gutter
    one character wide is seen where the row segments run across it)?"""
    glyphs = [c for r in rows for c in r if not c.text.isspace()]
    if not glyphs:
        return False
    em = statistics.median(c.size for c in glyphs)
    mid = (hint[0] + hint[1]) / 2
    if not any(c.x1 <= mid for c in glyphs) or not any(c.x0 >= mid for c in glyphs):
        return False
    texts = [r for r in rows if any(not c.text.isspace() for c in r)]
    across = sum(1 for r in texts if _across(r, hint, em))
    return across <= 0.3 * len(texts)


def _centred(part: list[Char], lo: float, hi: float, em: float) -> bool:
    """Is this run of glyphs centred on the page's text span, short of both edges?"""
    glyphs = [c for c in part if not c.text.isspace()]
    x0, x1 = min(c.x0 for c in glyphs), max(c.x1 for c in glyphs)
    return x0 - lo >= em and hi - x1 >= em and abs((x0 + x1) - (lo + hi)) / 2 <= em


def layout_lines(
    chars: list[Char], hint: tuple[float, float] | None
) -> tuple[list[Line], tuple[float, float] | None]:
    """Rows -> segments -> (column stretches split at the gutters) -> lines.

    ``hint`` is the gutter of an earlier page: a last page with one line in the right
    column has too little text to find its gutter but still has two columns. The gutter
    returned (the next page's hint) is only one found on this page: an inherited one is
    not passed on, so a page depends on its previous page alone (page-parallel reading
    re-reads just that one).
    """
    rows = baseline_rows(chars)
    extents: list[list[tuple[float, float]]] = []  # filled when glyph_gutters needs them
    glyph_cut = glyph_gutters(rows, extents)
    if len(glyph_cut) >= 2:
        return _split_rows(rows, glyph_cut, extents), None  # three or more columns
    if glyph_cut:
        # The glyphs' own strip, checked row by row against each row's spacing, decides
        # even where the row segments agree: a segment may run across a narrow gutter on
        # one row and not the next, and a row cut by segments alone then reads as one
        # line across both columns, interleaving them.
        return _split_rows(rows, glyph_cut, extents), glyph_cut[0]
    pairs = [row_pairs(r) for r in rows]  # segments and the row's line both read them
    segrows = [segments(r, p) for r, p in zip(rows, pairs, strict=True)]
    flat = [(s[0].x0, max(map(_X1, s)), i) for i, segs in enumerate(segrows) for s in segs]
    gutter = find_gutter(flat, len(rows))
    if gutter is None and hint is not None and _hint_fits(rows, hint):
        # Too little text to show its gutter (a last page): the previous page's, where
        # text sits both sides of it and few rows run across it. Not passed on.
        return _split_rows(rows, [hint]), None
    found = gutter  # the next page's hint: only a gutter this page's own text shows
    lines: list[Line] = []
    for row, row_pair, segs in zip(rows, pairs, segrows, strict=True):
        # a line of all the row's segments is the row itself, in order
        if gutter is None:
            lines.append(line_from_chars(row, row_pair))
            continue
        gl, gr = gutter
        crossing = any(s[0].x0 < gl - 1 and max(c.x1 for c in s) > gr + 1 for s in segs)
        if crossing:
            ln = line_from_chars(row, row_pair)
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
    return lines, found


def reading_order(lines: list[Line]) -> list[Line]:
    """Top to bottom; inside a column stretch (between full-width lines) left column first."""
    lines.sort(key=lambda ln: (ln.base, ln.x0))
    out: list[Line] = []
    stretch: list[Line] = []

    def flush() -> None:
        stretch.sort(key=lambda ln: (ln.column[1], ln.base, ln.x0))
        out.extend(stretch)
        stretch.clear()

    for ln in lines:
        if ln.column[0] >= 2:
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

