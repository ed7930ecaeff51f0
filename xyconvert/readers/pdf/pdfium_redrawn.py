"""Text objects PDFium's text page drops because they repeat the one before (fake bold).

PDFium's text page leaves out a text object that repeats one of the previous few text
objects of its object list: the same character codes and font size, a box overlapping it,
shifted by less than a glyph width (``CPDF_TextPage::IsSameAsPreTextObject``). That is how
fake bold and shadow text are drawn, so on the pdfplumber path such copies reach the shared
``dedupe`` as glyphs, which removes them, counts them (``FAKE_BOLD``) and marks the survivor
bold. Here PDFium never hands them over: this module finds the text objects that gave the
text page no glyph, matches each to the object it repeats, and gives back the original's
glyphs moved by the copy's offset. They then take the same way through ``dedupe`` as on the
pdfplumber path: counted, and the survivor marked bold.

The character codes are not in PDFium's API; the match uses what PDFium compares besides
them: the same font (handle) and size, overlapping boxes of (nearly) the same size, and an
offset below one em across and an eighth of the box up or down.
"""

from __future__ import annotations

from ctypes import byref, c_float
from typing import Any

from xyconvert.readers.pdf.pdfium_objects import Affine, Bounds

# PDFium looks back over 5 text objects that are not copies; a few more do no harm.
_LOOK_BACK = 8
_MIN_WIDTH = 0.01  # PDFium drops narrower objects for another reason (no glyph boxes)


class _TextObj:
    __slots__ = ("bounds", "font", "handle", "pos", "size")

    def __init__(self, api: dict[str, Any], handle: int, bounds: Bounds) -> None:
        self.handle = handle
        self.bounds = bounds[handle]  # left, bottom, right, top
        m = api["FS_MATRIX"]()
        api["obj_matrix"](handle, byref(m))
        self.pos = (m.e, m.f)
        self.font = api["font"](handle) or 0
        fs = c_float()
        self.size = fs.value if api["obj_fontsize"](handle, byref(fs)) else 0.0


def _repeats(copy: _TextObj, orig: _TextObj) -> bool:
    """Would PDFium take ``copy`` for a repeat of ``orig``? (its test without the char codes)"""
    if copy.font != orig.font or abs(copy.size - orig.size) > 1e-6:
        return False
    l0, b0, r0, t0 = orig.bounds
    l1, b1, r1, t1 = copy.bounds
    w0, w1 = r0 - l0, r1 - l1
    if min(r0, r1) - max(l0, l1) <= 0 or abs(w0 - w1) > 0.1 * max(copy.size, 1.0):
        return False  # no overlap, or not the same run of glyphs
    dx, dy = copy.pos[0] - orig.pos[0], copy.pos[1] - orig.pos[1]
    em = max(copy.size, 1e-3)
    return abs(dx) <= 0.9 * em and abs(dy) <= max(t0 - b0, w0, em) / 8


def redrawn_copies(
    api: dict[str, Any],
    page: Any,  # noqa: ANN401 - PdfiumPage
    lists: list[tuple[list[int], Affine]],
    chars: list[tuple[Any, ...]],
    spans: list[tuple[int, int]],
    bounds: Bounds | None = None,
) -> list[tuple[Any, ...]]:
    """Glyph tuples for the copies PDFium dropped: each original glyph moved by the offset.

    ``lists``: the text objects of each object list (page, forms) in drawing order, with the
    list's matrix to user space. ``spans``: (text object, index of its first glyph in
    ``chars``) in the order the glyph loop met them. ``bounds``: the page's object bounds.
    """
    given = {obj for obj, _ in spans}
    if all(h in given for objs, _ in lists for h in objs):
        return []
    glyphs: dict[int, list[tuple[Any, ...]]] = {}
    for k, (obj, start) in enumerate(spans):
        end = spans[k + 1][1] if k + 1 < len(spans) else len(chars)
        glyphs.setdefault(obj, []).extend(chars[start:end])
    out: list[tuple[Any, ...]] = []
    info: dict[int, _TextObj] = {}  # read lazily: only candidates and the objects before them
    if bounds is None:
        bounds = Bounds(api)

    def get(h: int) -> _TextObj:
        if h not in info:
            info[h] = _TextObj(api, h, bounds)
        return info[h]

    for objs, outer in lists:
        for k, h in enumerate(objs):
            if h in given:
                continue
            left, _, right, _ = bounds[h]
            if right - left < _MIN_WIDTH:
                continue
            obj = get(h)
            for p in reversed(objs[max(0, k - _LOOK_BACK):k]):
                if glyphs.get(p) and _repeats(obj, prev := get(p)):
                    moved = _moved(glyphs[p], obj, prev, outer, page)
                    glyphs[h] = moved  # a copy of a copy repeats these
                    out.extend(moved)
                    break
    return out


def _moved(
    glyphs: list[tuple[Any, ...]], copy: _TextObj, orig: _TextObj, outer: Affine, page: Any  # noqa: ANN401
) -> list[tuple[Any, ...]]:
    dx, dy = copy.pos[0] - orig.pos[0], copy.pos[1] - orig.pos[1]
    a, b, c, d = outer[:4]
    ux, uy = dx * a + dy * c, dx * b + dy * d  # the offset in user space
    pa, pb, pc, pd = page.to_plumber[:4]
    px, py = ux * pa + uy * pc, ux * pb + uy * pd  # ... in pdfplumber's top-down space
    la, lb, lc, ld = page.to_layout[:4]
    lx, ly = ux * la + uy * lc, ux * lb + uy * ld  # ... in pdfminer's layout space
    out = []
    for text, x0, x1, top, bottom, y0, size, upright, m, font in glyphs:
        m2 = (*m[:4], m[4] + lx, m[5] + ly) if m else m
        out.append((text, x0 + px, x1 + px, top + py, bottom + py, y0 + ly, size, upright, m2, font))
    return out

