"""Page furniture: page numbers and running headers/footers.

Page numbers are recognised by their shape (``— 3 —``, ``- 3 -``, ``第3页``,
``3/29``, a bare number at a page edge). Running headers and footers are short
lines that recur at the edges of many pages. When the text has no page marks,
page-number lines (or recurring lines) also tell where pages break, which the
line-order stage relies on.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from xyconvert.charclass import display_width, ends_sentence
from xyconvert.lines import SourceLine, SourcePage
from xyconvert.repair.spacing import despace

_DASH = r"[-－—–~～_·•]"
_STRONG_PAGE_NUMBER = re.compile(
    rf"""^(?:
        {_DASH}+\s*\d{{1,4}}\s*{_DASH}+                      # — 3 —   - 3 -
      | {_DASH}+\s*[IVXLCivxlc]{{1,6}}\s*{_DASH}+            # - iv -
      | 第\s*\d{{1,4}}\s*页(?:\s*[,，/]?\s*共\s*\d{{1,4}}\s*页)?  # 第3页 共29页
      | \d{{1,4}}\s*/\s*\d{{1,4}}                            # 3/29
      | (?:page|Page|PAGE|p\.)\s*\d{{1,4}}(?:\s*(?:of|/)\s*\d{{1,4}})?
    )$""",
    re.VERBOSE,
)
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
EDGE = 3  # lines from the top or bottom of a page that count as its edges
MAX_FURNITURE_WIDTH = 40.0


def is_page_number(text: str) -> bool:
    return bool(_STRONG_PAGE_NUMBER.match(text.strip()))


_DIGITS = re.compile(r"\d+")


def _key(text: str) -> str:
    """Text with digits folded, so ``第3页`` and ``第4页`` headers match."""
    return _DIGITS.sub("#", despace(text))


def split_unmarked(pages: list[SourcePage]) -> list[SourcePage]:
    """Split one unmarked page at page-number lines (or at recurring short lines)."""
    if len(pages) != 1 or len(pages[0].lines) < 20:
        return pages
    lines = pages[0].lines
    texts = [despace(ln.text) for ln in lines]
    numbers = [i for i, t in enumerate(texts) if is_page_number(t)]
    bare = [i for i, t in enumerate(texts) if _BARE_NUMBER.match(t)]
    if len(bare) >= 2 and _increasing([int(texts[i]) for i in bare]):
        numbers = sorted(set(numbers) | set(bare))
    cuts: list[int] = []
    if len(numbers) >= 2:
        # Footer page numbers end their page; header ones start it.
        header_style = numbers[0] < EDGE
        cuts = [i if header_style else i + 1 for i in numbers]
    else:
        counts: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(texts):
            if display_width(t) <= MAX_FURNITURE_WIDTH and not ends_sentence(t):
                counts[_key(t)].append(i)
        repeated = [idx for idx in counts.values() if len(idx) >= 3 and min(_gaps(idx)) >= 5]
        if repeated:
            cuts = max(repeated, key=len)
    cuts = sorted({c for c in cuts if 0 < c < len(lines)})
    if not cuts:
        return pages
    out: list[SourcePage] = []
    bounds = [0, *cuts, len(lines)]
    for lo, hi in zip(bounds, bounds[1:]):
        if lo == hi:
            continue
        number = len(out) + 1
        out.append(SourcePage(number, [replace(ln, page=number) for ln in lines[lo:hi]]))
    return out


def _gaps(idx: list[int]) -> list[int]:
    return [b - a for a, b in zip(idx, idx[1:])] or [0]


def _increasing(values: list[int]) -> bool:
    steps = [b - a for a, b in zip(values, values[1:])]
    return sum(1 for s in steps if s == 1) >= 0.6 * len(steps)


def drop_furniture(pages: list[SourcePage]) -> list[SourcePage]:
    """Remove page numbers and running headers/footers from every page."""
    n_pages = len(pages)
    edges: dict[str, set[int]] = defaultdict(set)
    for p in pages:
        for _, ln in _edge_lines(p.lines):
            text = despace(ln.text)
            if text and display_width(text) <= MAX_FURNITURE_WIDTH:
                edges[_key(text)].add(p.number)
    need = max(2, (n_pages + 1) // 2)
    running = {k for k, on in edges.items() if len(on) >= need} if n_pages >= 2 else set()

    out: list[SourcePage] = []
    for p in pages:
        edge_pos = {pos for pos, _ in _edge_lines(p.lines)}
        kept: list[SourceLine] = []
        removed_running: list[SourceLine] = []
        for pos, ln in enumerate(p.lines):
            text = despace(ln.text)
            if is_page_number(text):
                continue
            if pos in edge_pos and _BARE_NUMBER.match(text) and (pos == 0 or pos == len(p.lines) - 1):
                continue
            if pos in edge_pos and _key(text) in running:
                removed_running.append(ln)
                continue
            kept.append(ln)
        if p.number == pages[0].number and removed_running and not _title_like(kept):
            # The running header repeats the title: page 1's copy is the title.
            kept.insert(0, removed_running[-1])
        out.append(SourcePage(p.number, kept))
    return out


def _edge_lines(lines: list[SourceLine]) -> list[tuple[int, SourceLine]]:
    n = len(lines)
    return [(i, ln) for i, ln in enumerate(lines) if i < EDGE or i >= n - EDGE]


def _title_like(lines: list[SourceLine]) -> bool:
    if not lines:
        return False
    text = despace(lines[0].text)
    return display_width(text) <= 20 and not any(ch in text for ch in "，。；：！？")
