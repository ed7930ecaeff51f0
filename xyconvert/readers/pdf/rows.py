"""Rows of glyphs by baseline, cut into segments; the text of one line with word spaces."""

from __future__ import annotations

import re
from itertools import compress
from operator import and_, attrgetter, not_, or_, sub

from xyconvert.charclass import SECTION_NUMBER
from xyconvert.readers.pdf.glyphs import NUMERIC, is_cjk
from xyconvert.readers.pdf.records import Char, Line

# --- rows, segments, columns -----------------------------------------------------------------


_BASE_X = attrgetter("base", "x0")
_X0 = attrgetter("x0")
_X1 = attrgetter("x1")
_TOP = attrgetter("top")
_BOTTOM = attrgetter("bottom")
_BASE = attrgetter("base")
_SIZE = attrgetter("size")
_TEXT = attrgetter("text")
_BOLD = attrgetter("bold")


class _CjkTable(dict[str, bool]):
    """``is_cjk`` per character, computed once per distinct character (a few thousand on a
    report); the line builders look up both ends of every glyph."""

    def __missing__(self, ch: str) -> bool:
        v = self[ch] = is_cjk(ch)
        return v


_CJK = _CjkTable()


def _median(values: list[float]) -> float:
    """``statistics.median``, on a list."""
    data = sorted(values)
    n = len(data)
    if n % 2 == 1:
        return data[n // 2]
    return (data[n // 2 - 1] + data[n // 2]) / 2


def baseline_rows(chars: list[Char]) -> list[list[Char]]:
    """Cluster chars by baseline (not content-stream order); each row sorted left to right."""
    rows: list[list[Char]] = []
    ref = 0.0
    tol = 0.0
    for ch in sorted(chars, key=_BASE_X):
        if rows and ch.base - ref <= tol:
            rows[-1].append(ch)
            continue
        rows.append([ch])
        ref = ch.base
        tol = 0.4 * ch.size
    for r in rows:
        r.sort(key=_X0)
    return rows


def tracking(row: list[Char]) -> float:
    """Typical gap between neighbouring glyphs (character spacing of a justified line).

    On CJK lines the widest gap that recurs between CJK glyphs: pdfminer drops the Tc after
    the last glyph of each Tj string, so a Tc-justified line shows a mix of full and zero
    gaps, and the median would understate the spacing.
    """
    if len(row) < 2:
        return 0.0
    gaps, _, both = _pairs(row)
    return _tracking(gaps, both, row[0].size)


Pairs = tuple[list[float], list[bool], list[bool], float]


def row_pairs(row: list[Char]) -> Pairs:
    """``_pairs`` of a sorted row and its ``tracking``: what ``segments`` and ``line_text``
    both read, computed once when a whole row becomes one line (most rows)."""
    gaps, latin, both = _pairs(row)
    return gaps, latin, both, _tracking(gaps, both, row[0].size)


def _pairs(row: list[Char]) -> tuple[list[float], list[bool], list[bool]]:
    """Per neighbouring pair of a sorted row: the gap, whether neither side is CJK (a
    Latin/digit join), whether both are."""
    # (in C where it can be: map over the glyphs' fields; this runs for every line)
    cjk = _CJK.__getitem__
    gaps = list(map(sub, map(_X0, row[1:]), map(_X1, row)))  # b.x0 - a.x1 of each pair a, b
    texts = list(map(_TEXT, row))
    if len("".join(texts)) == len(texts):  # one character each: first = last
        lasts = firsts = list(map(cjk, texts))
    else:
        lasts = [cjk(t[-1]) for t in texts]
        firsts = [cjk(t[0]) for t in texts]
    nexts = firsts[1:]
    latin = list(map(not_, map(or_, lasts, nexts)))  # bools: `not (a or b)`
    both = list(map(and_, lasts, nexts))
    return gaps, latin, both


def _tracking(gaps: list[float], both: list[bool], size: float) -> float:
    if not gaps:
        return 0.0
    track = _median(gaps)
    cjk = sorted(compress(gaps, both))
    if len(cjk) >= 3:
        tol = 0.05 * size
        need = max(3, 0.15 * len(cjk))
        for g in reversed(cjk):
            if g <= track:
                break
            if len([x for x in cjk if abs(x - g) <= tol]) >= need:
                track = g
                break
    return max(0.0, track)


def segments(row: list[Char], pairs: Pairs | None = None) -> list[list[Char]]:
    """Cut a row where the gap is far wider than its glyph spacing (column gutters, tab stops).
    ``pairs``: the row's ``row_pairs``, when the caller has them."""
    if pairs is None:
        pairs = row_pairs(row)
    gaps, track = pairs[0], pairs[3]
    size = _median(list(map(_SIZE, row)))
    limit = max(1.2 * size, 2.5 * track + 0.5 * size)
    # cut before each glyph whose gap from the one before is wider than the limit
    bounds = [0, *[k for k, gap in enumerate(gaps, 1) if gap > limit], len(row)]
    return [row[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


_SECTION_PREFIX = re.compile(rf"{SECTION_NUMBER}$")


def _inside_number(chars: list[Char], i: int) -> bool:
    """Is the gap between glyphs ``i`` and ``i + 1`` inside one number (``9,974.20``)?

    Not after a comma that follows a word (``Mississippi, 2011``), nor before digits that
    cannot be a thousands group (``2011, 2012``).
    """
    a, b = chars[i].text[-1], chars[i + 1].text[0]
    if a not in NUMERIC or b not in NUMERIC:
        return False
    if a == ",":
        before = chars[i - 1].text[-1] if i > 0 else ""
        group = "".join(c.text for c in chars[i + 1 : i + 5])
        return before.isdigit() and re.match(r"\d{3}(?!\d)", group) is not None
    return True


def line_text(chars: list[Char], pairs: Pairs | None = None) -> str:
    """``line_from_chars(chars).text`` for chars already sorted by x0 (``pairs``: their
    ``row_pairs``, when the caller has them)."""
    if len(chars) == 1:
        return chars[0].text
    if pairs is None:
        pairs = row_pairs(chars)
    gaps, latin_pair, _, track = pairs
    # Latin/digit runs letter-spaced like the CJK around them (Tc justification) keep their own
    # even spacing; pdfminer also drops Tc after the last glyph of each Tj string, so gaps at
    # font switches are smaller and the line median alone can be 0.
    latin = [g for g, lp in zip(gaps, latin_pair, strict=True) if lp]
    if len(latin) >= 3:
        own = _median(latin)
        if own < 0.5 * chars[0].size:
            track = max(track, own)
    parts = [chars[0].text]
    if True not in latin_pair:
        # no Latin/digit join: only the section-number rule can add a space, in the first gaps
        for i in range(min(12, len(gaps))):
            a, b = chars[i], chars[i + 1]
            if gaps[i] > track + 0.2 * min(a.size, b.size) and _SECTION_PREFIX.match("".join(parts)):
                parts.append(" ")
            parts.append(b.text)
        parts.extend([c.text for c in chars[13:]])
        return "".join(parts)
    for i, gap in enumerate(gaps):
        a, b = chars[i], chars[i + 1]
        if latin_pair[i]:
            # Inside a number a gap must be wider to count: Tc-justified lines set digits apart
            # and pdfminer's Tc positions are unreliable (see tracking).
            wide = 0.35 if _inside_number(chars, i) else 0.18
            if gap > track + wide * min(a.size, b.size):
                parts.append(" ")
        elif i < 12 and gap > track + 0.2 * min(a.size, b.size) and _SECTION_PREFIX.match("".join(parts)):
            parts.append(" ")  # the author's space after ``1.1`` / ``第一节``; repair keeps it
        parts.append(b.text)
    return "".join(parts)


def line_from_chars(chars: list[Char], pairs: Pairs | None = None) -> Line:
    """Text of one line: a space only for a real word gap between two non-CJK glyphs.
    ``pairs``: given for a whole row (sorted by x0) with its ``row_pairs``."""
    if pairs is None:
        chars = sorted(chars, key=_X0)
    text = line_text(chars, pairs)
    raw = list(map(_SIZE, chars))
    first = round(raw[0], 1)
    if raw.count(raw[0]) == len(raw):  # one size (most lines)
        size = first
    else:
        sizes: dict[float, int] = {}
        for v in raw:
            r = round(v, 1)
            sizes[r] = sizes.get(r, 0) + 1
        # the most common size, the first seen among equals (Counter.most_common's choice)
        size = first if len(sizes) == 1 else max(sizes, key=sizes.__getitem__)
    bold = sum(map(_BOLD, chars)) >= 0.6 * len(chars)
    return Line(
        text=text,
        x0=chars[0].x0,  # the least x0: chars are sorted by it
        x1=max(map(_X1, chars)),
        top=min(map(_TOP, chars)),
        bottom=max(map(_BOTTOM, chars)),
        base=_median(list(map(_BASE, chars))),
        size=size,
        bold=bold,
    )
