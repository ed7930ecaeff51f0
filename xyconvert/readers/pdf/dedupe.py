"""Fake-bold and shadow doubles: glyphs drawn twice at (nearly) the same place."""

from __future__ import annotations

from collections import defaultdict

from xyconvert.readers.pdf.records import Char


def dedupe(chars: list[Char]) -> list[Char]:
    """Remove glyphs drawn again at (nearly) the same place: fake bold, shadow text, OCR doubles.

    The survivor is marked bold when the copies are offset (fake bold is drawn shifted).
    """
    kept: list[Char] = []
    by_text: dict[str, list[Char]] = defaultdict(list)
    for ch in chars:
        tol = 0.3 * ch.size
        dup = None
        for k in by_text[ch.text]:
            if abs(k.x0 - ch.x0) <= tol and abs(k.base - ch.base) <= tol:
                dup = k
                break
        if dup is None:
            kept.append(ch)
            by_text[ch.text].append(ch)
        elif abs(dup.x0 - ch.x0) > 0.01 or abs(dup.base - ch.base) > 0.01:
            dup.bold = True
    return kept

