"""Text objects PDFium's text page drops for having no glyph boxes: read by pdfminer instead.

PDFium's text page leaves out a text object whose box has no width
(``CPDF_TextPage::ProcessTextObject``). The box spans the glyphs' ink, so that is a lone
space (nothing lost) or, in a font PDFium has no outlines for (not embedded, and no system
font has the glyphs), a lone character: a 子 in a form's 宋体 on a machine without CJK fonts.
pdfminer and pdftotext read it from the font's ToUnicode all the same.

The two are told apart by the font: when another text object of the same font, one that
gave the text page characters, has no height either, PDFium has no outlines for that font,
and the page's dropped objects in it are read by pdfminer: its glyphs that start where such
an object starts. Seen on one page of the corpus; other pages never open pdfminer.
"""

from __future__ import annotations

from ctypes import byref
from pathlib import Path
from typing import Any

from xyconvert.readers.pdf.pdfium_objects import Affine, Bounds, apply

_NO_WIDTH = 0.01  # PDFium's kSizeEpsilon
_SAME_POINT = 0.05  # pt: PDFium's and pdfminer's origins agree to 0.01 pt


def boxless_glyphs(
    api: dict[str, Any],
    page: Any,  # noqa: ANN401 - PdfiumPage
    lists: list[tuple[list[int], Affine]],
    chars: list[tuple[Any, ...]],
    spans: list[tuple[int, int]],
    bounds: Bounds | None = None,
) -> list[tuple[Any, ...]]:
    """pdfminer's glyphs for the text objects PDFium dropped for having no box, in fonts it
    has no outlines for (see module doc); [] when there are none (the common case).
    ``bounds``: the page's object bounds."""
    if bounds is None:
        bounds = Bounds(api)
    given = {obj for obj, _ in spans}
    dropped: list[tuple[int, int, Affine]] = []  # (object, font, its list's matrix)
    for objs, outer in lists:
        for h in objs:
            if h not in given:
                left, _, right, _ = bounds[h]
                if right - left < _NO_WIDTH:
                    dropped.append((h, api["font"](h) or 0, outer))
    if not dropped:
        return []
    fonts = {font for _, font, _ in dropped}
    flat = set()
    for objs, _ in lists:
        for h in objs:
            if h in given and (font := api["font"](h) or 0) in fonts and font not in flat:
                left, bottom, right, top = bounds[h]
                if top - bottom < _NO_WIDTH:
                    flat.add(font)
    starts = []
    m = api["FS_MATRIX"]()
    for h, font, outer in dropped:
        if font in flat:
            api["obj_matrix"](h, byref(m))
            starts.append(apply(apply((m.e, m.f), outer), page.to_layout))
    if not starts or page.source is None:
        return []
    return _pdfminer_glyphs_at(page, starts, chars)


def _pdfminer_glyphs_at(
    page: Any, starts: list[tuple[float, float]], chars: list[tuple[Any, ...]]  # noqa: ANN401
) -> list[tuple[Any, ...]]:
    """One pdfminer glyph (not a space, not one PDFium gave) at each start, in layout space."""
    from xyconvert.readers.pdf.glyphs import scan_layout
    from xyconvert.readers.pdf.opening import open_pdf

    path, password = page.source
    have = {(text, round(m[4], 1), round(m[5], 1)) for text, *_, m, _ in chars if m}
    pdf = open_pdf(Path(path), password, [page.page_number])
    try:
        theirs, _, _ = scan_layout(pdf.pages[0])
    finally:
        pdf.close()
    out = []
    taken: set[int] = set()
    for sx, sy in starts:
        for k, g in enumerate(theirs):
            m = g[8]
            if (k in taken or not m or not g[0].strip()
                    or abs(m[4] - sx) > _SAME_POINT or abs(m[5] - sy) > _SAME_POINT
                    or (g[0], round(m[4], 1), round(m[5], 1)) in have):
                continue
            taken.add(k)
            out.append(g)
            break
    return out

