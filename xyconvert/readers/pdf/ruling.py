"""Ruled tables from ruling lines: pdfplumber's lattice table finder, on plain tuples.

The algorithm and every tolerance are pdfplumber's ``TableFinder`` with the "lines"
strategy (snap, join, intersections, smallest cells, cells grouped into tables by shared
corners), step by step and with the same float arithmetic, so it finds the very same cells
in the same order. What differs is the cost: pdfplumber keeps each edge as a dict copied at
every step, compares edges as sets rebuilt per test and scans all points per point, which
made its finder a quarter of a whole conversion of a table-heavy annual report. Here an
edge is a tuple and each intersection keeps its edges as a set once.

An edge: ``(x0, top, x1, bottom, length)`` in pdfplumber's page coordinates, where length
is pdfplumber's ``width`` of a horizontal edge or ``height`` of a vertical one (kept as
pdfplumber updates it, not recomputed). Sources: pdfplumber's ``page.edges`` dicts, or the
sub-paths of a page's path objects (``edges_from_subpaths``, the PDFium engine).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any

Edge = tuple[float, float, float, float, float]
BBox = tuple[float, float, float, float]
Point = tuple[float, float]

# pdfplumber's defaults (TableSettings): join 3, intersection 3, edge_min_length 3, prefilter 1.
_JOIN = 3.0
_INTERSECT = 3.0
_MIN_LENGTH = 3.0
_PREFILTER = 1.0


class Table:
    """A table: its cells (x0, top, x1, bottom) as pdfplumber orders them, and its box."""

    __slots__ = ("bbox", "cells")

    def __init__(self, cells: list[BBox]) -> None:
        self.cells = cells
        self.bbox: BBox = (
            min(c[0] for c in cells), min(c[1] for c in cells),
            max(c[2] for c in cells), max(c[3] for c in cells),
        )


# --- edges -----------------------------------------------------------------------------------


def edges_from_dicts(edges: Iterable[dict[str, Any]]) -> tuple[list[Edge], list[Edge]]:
    """(horizontal, vertical) edges from pdfplumber's ``page.edges``, in its order."""
    hs: list[Edge] = []
    vs: list[Edge] = []
    for e in edges:
        o = e["orientation"]
        if o == "h":
            hs.append((e["x0"], e["top"], e["x1"], e["bottom"], e["width"]))
        elif o == "v":
            vs.append((e["x0"], e["top"], e["x1"], e["bottom"], e["height"]))
    return hs, vs


def edges_from_subpaths(
    subpaths: Iterable[tuple[list[Point], bool]],
) -> tuple[list[Edge], list[Edge]]:
    """(horizontal, vertical) edges of sub-paths (points in page coordinates, closed or not),
    as pdfminer and pdfplumber make them: a two-point sub-path is a line, a closed
    axis-aligned four-corner one a rectangle (its four sides), the rest a curve whose
    consecutive points give the edges (diagonal pieces are no edge)."""
    hs: list[Edge] = []
    vs: list[Edge] = []
    h_add, v_add = hs.append, vs.append
    for pts, closed in subpaths:
        n = len(pts)
        if n >= 2 and pts[-1] == pts[0] and n in (3, 5):
            pts = pts[:-1]
            n -= 1
            closed = True
        if n == 2:
            (p, q), (r, s) = pts
            x0, x1 = (p, r) if p <= r else (r, p)
            top, bottom = (q, s) if q <= s else (s, q)
            if top == bottom:
                h_add((x0, top, x1, bottom, x1 - x0))
            else:  # pdfplumber: any line that is not horizontal is "v", even a slanted one
                v_add((x0, top, x1, bottom, bottom - top))
        elif n == 4 and closed and _is_rect(pts):
            # min() and max() of the corners' x and top, unrolled (the same picks on ties)
            (x0, top), (p, q), (r, s), (u, v) = pts
            x1, bottom = x0, top
            for px, py in ((p, q), (r, s), (u, v)):
                if px < x0:
                    x0 = px
                if px > x1:
                    x1 = px
                if py < top:
                    top = py
                if py > bottom:
                    bottom = py
            width, height = x1 - x0, bottom - top
            h_add((x0, top, x1, top, width))
            h_add((x0, top + height, x1, bottom, width))
            v_add((x0, top, x0, bottom, height))
            v_add((x1, top, x1, bottom, height))
        elif n > 1:
            for (p, q), (r, s) in zip(pts, pts[1:], strict=False):
                if p == r:
                    top, bottom = (q, s) if q <= s else (s, q)
                    v_add((p, top, p, bottom, abs(q - s)))
                elif q == s:
                    x0, x1 = (p, r) if p <= r else (r, p)
                    h_add((x0, q, x1, q, abs(p - r)))
    return hs, vs


def _is_rect(pts: Sequence[Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
        y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
    )


# --- the finder ------------------------------------------------------------------------------


def find_tables(hs: list[Edge], vs: list[Edge], snap_x: float = 3.0, snap_y: float = 3.0) -> list[Table]:
    """pdfplumber's ``TableFinder(page, {"snap_x_tolerance": snap_x, "snap_y_tolerance":
    snap_y}).tables`` (other settings at their defaults) for the page's edges."""
    hs = [e for e in hs if e[4] >= _PREFILTER]
    vs = [e for e in vs if e[4] >= _PREFILTER]
    if len(hs) < 2 or len(vs) < 2:
        return []  # a cell needs two of each
    if snap_x > 0 or snap_y > 0:
        vs = _snap(vs, 0, snap_x)
        hs = _snap(hs, 1, snap_y)
    hs = [e for e in _merge(hs, 1, 0, 2, _JOIN) if e[4] >= _MIN_LENGTH]
    vs = [e for e in _merge(vs, 0, 1, 3, _JOIN) if e[4] >= _MIN_LENGTH]
    if len(hs) < 2 or len(vs) < 2:
        return []
    inter = _intersections(hs, vs, _INTERSECT, _INTERSECT)
    cells = _cells(inter)
    return [Table(group) for group in _group(cells)]


def _snap(edges: list[Edge], axis: int, tolerance: float) -> list[Edge]:
    """pdfplumber's ``snap_objects``: positions within ``tolerance`` of their neighbour form one
    cluster, moved to the cluster's mean (x0 of vertical edges, top of horizontal ones)."""
    values = sorted({e[axis] for e in edges})
    cluster: dict[float, int] = {}
    k = -1
    last = 0.0
    for v in values:
        if k < 0 or not (tolerance > 0 and v <= last + tolerance):
            k += 1
        cluster[v] = k
        last = v
    groups: list[list[Edge]] = [[] for _ in range(k + 1)]
    for e in edges:
        groups[cluster[e[axis]]].append(e)
    out: list[Edge] = []
    for group in groups:
        avg = sum(e[axis] for e in group) / len(group)
        for x0, top, x1, bottom, length in group:
            if axis == 0:
                d = avg - x0
                out.append((x0 + d, top, x1 + d, bottom, length))
            else:
                d = avg - top
                out.append((x0, top + d, x1, bottom + d, length))
    return out


def _merge(edges: list[Edge], axis: int, lo: int, hi: int, tolerance: float) -> list[Edge]:
    """pdfplumber's ``join_edge_group`` per line: edges on one line (same top / same x0) that
    overlap or are within ``tolerance`` become one, the first extended to the last's end."""
    out: list[Edge] = []
    for e in sorted(edges, key=lambda e: (e[axis], e[lo])):
        if out and out[-1][axis] == e[axis] and e[lo] <= out[-1][hi] + tolerance:
            if e[hi] > out[-1][hi]:
                x0, top, x1, bottom, length = out[-1]
                if hi == 2:  # horizontal: width = new x1 - x0
                    out[-1] = (x0, top, e[2], bottom, e[2] - x0)
                else:  # vertical: height grows by the move of its bottom
                    out[-1] = (x0, top, x1, e[3], length + (e[3] - bottom))
        else:
            out.append(e)
    return out


def _intersections(
    hs: list[Edge], vs: list[Edge], xtol: float, ytol: float
) -> dict[Point, tuple[set[BBox], set[BBox]]]:
    """Points where a vertical and a horizontal edge meet (within the tolerances), with the
    (vertical, horizontal) edges through each, by box: pdfplumber's edge identity."""
    out: dict[Point, tuple[set[BBox], set[BBox]]] = {}
    hs = sorted(hs, key=lambda e: (e[1], e[0]))
    tops = [e[1] for e in hs]
    for v in sorted(vs, key=lambda e: (e[0], e[1])):
        vx0, vtop, vbottom = v[0], v[1], v[3]
        # candidates by top, with slack; the exact test below is pdfplumber's
        i = bisect.bisect_left(tops, vtop - ytol - 1e-6)
        j = bisect.bisect_right(tops, vbottom + ytol + 1e-6)
        vbox = v[:4]
        for h in hs[i:j]:
            htop = h[1]
            if vtop <= htop + ytol and vbottom >= htop - ytol and vx0 >= h[0] - xtol and vx0 <= h[2] + xtol:
                p = (vx0, htop)
                sets = out.get(p)
                if sets is None:
                    sets = out[p] = (set(), set())
                sets[0].add(vbox)
                sets[1].add(h[:4])
    return out


def _cells(inter: dict[Point, tuple[set[BBox], set[BBox]]]) -> list[BBox]:
    """pdfplumber's ``intersections_to_cells``: for each point (in order), the first point below
    and the first to its right joined to it by an edge whose opposite corner closes the cell."""
    points = sorted(inter)
    by_y: dict[float, list[Point]] = {}
    for p in points:
        by_y.setdefault(p[1], []).append(p)  # ascending x
    rank = {p: k for row in by_y.values() for k, p in enumerate(row)}
    out: list[BBox] = []
    n = len(points)
    for i, pt in enumerate(points[:-1]):
        pv, ph = inter[pt]
        row = by_y[pt[1]]
        right: list[Point] | None = None
        j = i + 1
        while j < n and points[j][0] == pt[0]:  # points below: same x, sorted after pt
            below = points[j]
            j += 1
            bv, bh = inter[below]
            if pv.isdisjoint(bv):
                continue
            if right is None:
                right = [r for r in row[rank[pt] + 1:] if not ph.isdisjoint(inter[r][1])]
            found = False
            for r in right:
                corner = (r[0], below[1])
                cs = inter.get(corner)
                if cs is not None and not cs[0].isdisjoint(inter[r][0]) and not cs[1].isdisjoint(bh):
                    out.append((pt[0], pt[1], corner[0], corner[1]))
                    found = True
                    break
            if found:
                break
    return out


def _group(cells: list[BBox]) -> list[list[BBox]]:
    """pdfplumber's ``cells_to_tables``: cells sharing a corner, in its passes over the cells
    (which fix the cells' order in a table), tables sorted by their top-left cell, single
    cells dropped."""
    remaining = list(cells)
    tables: list[list[BBox]] = []
    current: list[BBox] = []
    corners: set[Point] = set()
    while remaining:
        before = len(current)
        rest: list[BBox] = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            cc = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in cc):
                corners.update(cc)
                current.append(cell)
            else:
                rest.append(cell)
        remaining = rest
        if len(current) == before:
            tables.append(current)
            current, corners = [], set()
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
