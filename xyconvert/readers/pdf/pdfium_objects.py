"""PDFium page-object geometry shared by the PDFium glyph layer and its two recoveries
(``pdfium_redrawn``, ``pdfium_boxless``): matrices and objects' bounds."""

from __future__ import annotations

from ctypes import byref, c_float
from typing import Any

Affine = tuple[float, float, float, float, float, float]


def mul(m: Affine, n: Affine) -> Affine:
    """``m`` then ``n`` (row-vector convention, as in PDF)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def apply(p: tuple[float, float], m: Affine) -> tuple[float, float]:
    """The point ``p`` moved by ``m``."""
    x, y = p
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


class Bounds(dict[int, tuple[float, float, float, float]]):
    """(left, bottom, right, top) of page objects by handle, from ``FPDFPageObj_GetBounds``,
    read once per object of one page: both recoveries ask for the same text objects (those
    the text page gave no glyph), thousands on some pages."""

    def __init__(self, api: dict[str, Any]) -> None:
        super().__init__()
        self._get = api["obj_bounds"]
        self._r = [c_float() for _ in range(4)]
        self._p = [byref(v) for v in self._r]

    def __missing__(self, handle: int) -> tuple[float, float, float, float]:
        r = self._r
        self._get(handle, *self._p)
        v = self[handle] = (r[0].value, r[1].value, r[2].value, r[3].value)
        return v
