"""Document pass: furniture (margin lines repeated across pages, page numbers) and layout hints."""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict

from xyconvert.lines import SourceLine, SourcePage
from xyconvert.readers.pdf.records import Line, Page

# --- document pass: furniture and hints ------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－‒―~～·•]*(?:第\s*)?(?:\d{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})(?:\s*页)?"
    r"(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－‒―~～·•]*$"
)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _mark_furniture(pages: list[Page]) -> None:
    """Flag lines in the top/bottom margin that are page numbers or repeat on >= 3 pages."""
    cands: list[tuple[Page, Line]] = []
    for pg in pages:
        if not pg.lines or not pg.height:
            continue
        by_y = sorted((ln for ln in pg.lines if ln.table is None), key=lambda ln: ln.top)
        edge = by_y[:2] + by_y[-2:]
        for ln in dict.fromkeys(map(id, edge)):
            line = next(x for x in by_y if id(x) == ln)
            if line.top < 0.12 * pg.height or line.bottom > 0.88 * pg.height:
                cands.append((pg, line))
    seen: dict[str, set[int]] = defaultdict(set)
    for pg, ln in cands:
        seen[_furniture_key(ln.text)].add(pg.number)
    for _pg, ln in cands:
        if _PAGE_NUMBER.match(ln.text) or len(seen[_furniture_key(ln.text)]) >= 3:
            ln.furniture = True


def _clusters(values: list[float], tol: float) -> list[tuple[float, int]]:
    """1-D clusters of nearly equal values: (mean, count), in ascending order."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [(sum(c) / len(c), len(c)) for c in out]


def _edges(lines: list[Line], body: float) -> tuple[float, float] | None:
    """Left and right edge of a column from its body lines (most lines start/end there)."""
    body_lines = [ln for ln in lines if abs(ln.size - body) <= 0.15 * body and ln.table is None]
    if len(body_lines) < 4:
        return None
    need = max(2, 0.15 * len(body_lines))
    lefts = [c for c in _clusters([ln.x0 for ln in body_lines], 1.5) if c[1] >= need]
    rights = [c for c in _clusters([ln.x1 for ln in body_lines], 1.5) if c[1] >= need]
    if not lefts or not rights:
        return None
    left, right = lefts[0][0], rights[-1][0]
    if right - left < 4 * body:
        return None
    return left, right


def _narrowest_sane(
    page: tuple[float, float] | None, doc: tuple[float, float] | None
) -> tuple[float, float] | None:
    """A page's own column edges, unless they are far narrower than the document's for
    the same layout: a page of short lines (labels, ``□适用√不适用``, tables) would
    otherwise make every line on it look full, or fuller than full."""
    if page is None or doc is None:
        return page
    if page[1] - page[0] < 0.85 * (doc[1] - doc[0]):
        return doc
    return page


def document_pass(pages: list[Page]) -> list[SourcePage]:
    sizes: Counter[float] = Counter()
    for pg in pages:
        sizes.update(pg.sizes)
    body = sizes.most_common(1)[0][0] if sizes else 10.0

    _mark_furniture(pages)

    # Column edges per (column layout, page parity) over the document, for pages with few lines.
    doc_lines: dict[tuple[int, int, int], list[Line]] = defaultdict(list)
    for pg in pages:
        for ln in pg.lines:
            if not ln.furniture:
                doc_lines[(*ln.column, pg.number % 2)].append(ln)
    doc_edges = {k: _edges(v, body) for k, v in doc_lines.items()}

    # Body line pitch: baseline distance between consecutive body lines of one column.
    steps: list[float] = []
    for pg in pages:
        prev: Line | None = None
        for ln in pg.lines:
            if ln.furniture or ln.table is not None:
                continue
            both_body = (
                abs(ln.size - body) <= 0.15 * body and abs(prev.size - body) <= 0.15 * body
                if prev
                else False
            )
            if prev and prev.column == ln.column and both_body:
                d = ln.base - prev.base
                if 0.9 * body <= d <= 3 * body:
                    steps.append(d)
            prev = ln
    pitch = statistics.median(steps) if steps else 1.5 * body

    out: list[SourcePage] = []
    for pg in pages:
        keep = [ln for ln in pg.lines if not ln.furniture]
        page_edges: dict[tuple[int, int], tuple[float, float] | None] = {}
        for col in {ln.column for ln in keep}:
            page_edges[col] = _narrowest_sane(
                _edges([ln for ln in keep if ln.column == col], body),
                doc_edges.get((*col, pg.number % 2)) or doc_edges.get((*col, 1 - pg.number % 2)),
            )
        left_col, right_col = page_edges.get((2, 0)), page_edges.get((2, 1))
        if left_col and right_col:  # full-width lines over two columns span both
            page_edges[(1, 0)] = (left_col[0], right_col[1])
        src: list[SourceLine] = []
        prev = None
        for i, ln in enumerate(keep, start=1):
            edges = (
                page_edges.get(ln.column)
                or doc_edges.get((*ln.column, pg.number % 2))
                or doc_edges.get((*ln.column, 1 - pg.number % 2))
                or (min(x.x0 for x in keep), max(x.x1 for x in keep))
            )
            src.append(_hint(ln, pg, i, edges, body, pitch, prev))
            prev = ln
        out.append(SourcePage(pg.number, src))
    return out


def _hint(
    ln: Line,
    pg: Page,
    lineno: int,
    edges: tuple[float, float],
    body: float,
    pitch: float,
    prev: Line | None,
) -> SourceLine:
    left, right = edges
    width = max(right - left, body)
    indent = round((ln.x0 - left) / body, 1) + 0.0  # + 0.0: no "-0.0"
    fill = round((ln.x1 - left) / width, 2) + 0.0
    lgap, rgap = ln.x0 - left, right - ln.x1
    # Equal margins both sides; tighter when it could be a 2-character indent or a wide line.
    strict = abs(lgap - 2 * body) < 0.3 * body or min(lgap, rgap) < 1.0 * body
    centered = (
        ln.table is None
        and min(lgap, rgap) >= 0.5 * body
        and abs(lgap - rgap) <= (0.3 * body if strict else max(1.0 * body, 0.04 * width))
    )
    gap = None
    if prev is not None and ln.top >= prev.bottom - 0.5 * body:  # not after a jump to a column top
        if ln.table is None and prev.table is None:
            gap = (ln.base - prev.base) / pitch - 1.0
        else:
            gap = (ln.top - prev.bottom) / pitch
        gap = round(max(0.0, gap), 2)
    is_table = ln.table is not None
    return SourceLine(
        text=ln.text,
        page=pg.number,
        lineno=lineno,
        indent=indent,
        fill=fill,
        size=round(ln.size / body, 2),
        bold=ln.bold and not is_table,
        centered=centered and not is_table,
        gap_before=gap,
        is_table=is_table,
        table=ln.table,
    )
