"""Rows of glyphs by baseline, cut into segments; the text of one line with word spaces."""

from __future__ import annotations

import re
import statistics
from collections import Counter

from xyconvert.charclass import SECTION_NUMBER
from xyconvert.readers.pdf.glyphs import NUMERIC, is_cjk
from xyconvert.readers.pdf.records import Char, Line

# --- rows, segments, columns -----------------------------------------------------------------


def baseline_rows(chars: list[Char]) -> list[list[Char]]:
    """Cluster chars by baseline (not content-stream order); each row sorted left to right."""
    rows: list[list[Char]] = []
    ref = 0.0
    tol = 0.0
    for ch in sorted(chars, key=lambda c: (c.base, c.x0)):
        if rows and ch.base - ref <= tol:
            rows[-1].append(ch)
            continue
        rows.append([ch])
        ref = ch.base
        tol = 0.4 * ch.size
    for r in rows:
        r.sort(key=lambda c: c.x0)
    return rows


def tracking(row: list[Char]) -> float:
    """Typical gap between neighbouring glyphs (character spacing of a justified line).

    On CJK lines the widest gap that recurs between CJK glyphs: pdfminer drops the Tc after
    the last glyph of each Tj string, so a Tc-justified line shows a mix of full and zero
    gaps, and the median would understate the spacing.
    """
    pairs = list(zip(row, row[1:], strict=False))
    if not pairs:
        return 0.0
    track = statistics.median(b.x0 - a.x1 for a, b in pairs)
    cjk = sorted(b.x0 - a.x1 for a, b in pairs if is_cjk(a.text[-1]) and is_cjk(b.text[0]))
    if len(cjk) >= 3:
        tol = 0.05 * row[0].size
        need = max(3, 0.15 * len(cjk))
        for g in reversed(cjk):
            if g <= track:
                break
            if sum(1 for x in cjk if abs(x - g) <= tol) >= need:
                track = g
                break
    return max(0.0, track)


def segments(row: list[Char]) -> list[list[Char]]:
    """Cut a row where the gap is far wider than its glyph spacing (column gutters, tab stops)."""
    track = tracking(row)
    size = statistics.median(c.size for c in row)
    limit = max(1.2 * size, 2.5 * track + 0.5 * size)
    segs = [[row[0]]]
    for a, b in zip(row, row[1:], strict=False):
        if b.x0 - a.x1 > limit:
            segs.append([b])
        else:
            segs[-1].append(b)
    return segs


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


def line_from_chars(chars: list[Char]) -> Line:
    """Text of one line: a space only for a real word gap between two non-CJK glyphs."""
    chars = sorted(chars, key=lambda c: c.x0)
    track = tracking(chars)
    # Latin/digit runs letter-spaced like the CJK around them (Tc justification) keep their own
    # even spacing; pdfminer also drops Tc after the last glyph of each Tj string, so gaps at
    # font switches are smaller and the line median alone can be 0.
    latin = [
        b.x0 - a.x1
        for a, b in zip(chars, chars[1:], strict=False)
        if not is_cjk(a.text[-1]) and not is_cjk(b.text[0])
    ]
    if len(latin) >= 3:
        own = statistics.median(latin)
        if own < 0.5 * chars[0].size:
            track = max(track, own)
    parts = [chars[0].text]
    for i, (a, b) in enumerate(zip(chars, chars[1:], strict=False)):
        gap = b.x0 - a.x1
        if not is_cjk(a.text[-1]) and not is_cjk(b.text[0]):
            # Inside a number a gap must be wider to count: Tc-justified lines set digits apart
            # and pdfminer's Tc positions are unreliable (see tracking).
            wide = 0.35 if _inside_number(chars, i) else 0.18
            if gap > track + wide * min(a.size, b.size):
                parts.append(" ")
        elif i < 12 and gap > track + 0.2 * min(a.size, b.size) and _SECTION_PREFIX.match("".join(parts)):
            parts.append(" ")  # the author's space after ``1.1`` / ``第一节``; repair keeps it
        parts.append(b.text)
    sizes = Counter(round(c.size, 1) for c in chars)
    size = sizes.most_common(1)[0][0]
    bold = sum(1 for c in chars if c.bold) >= 0.6 * len(chars)
    return Line(
        text="".join(parts),
        x0=min(c.x0 for c in chars),
        x1=max(c.x1 for c in chars),
        top=min(c.top for c in chars),
        bottom=max(c.bottom for c in chars),
        base=statistics.median(c.base for c in chars),
        size=size,
        bold=bold,
    )

