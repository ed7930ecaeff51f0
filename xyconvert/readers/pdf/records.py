"""Intermediate records of the PDF reader: glyphs, lines and pages before the document pass."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Reasons for glyphs the reader leaves out on purpose (``Page.removed``), for the report of
# ``xyconvert check``. UNMAPPED glyphs have no known character: they stand for any one.
UNMAPPED = "glyph without a Unicode mapping"
FAKE_BOLD = "fake-bold double"
FURNITURE = "page furniture"
HIDDEN = "hidden micro text"
ROTATED = "rotated text"
# Centre outside the page box (MediaBox, as both engines give it; 1 pt of slack): printer
# slugs, crop marks, text parked off the page. pdftotext and PDFium's text page list it.
OFF_PAGE = "outside the page"


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float  # baseline, in top-down page coordinates
    size: float
    bold: bool  # from the font name, or drawn twice (fake bold)


@dataclass(slots=True)
class Line:
    """A line on a page before the document pass turns it into a SourceLine."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    size: float
    bold: bool
    column: tuple[int, int] = (1, 0)  # (number of columns in its stretch, index)
    table: tuple[tuple[str, ...], ...] | None = None
    furniture: bool = False


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    sizes: Counter[float] = field(default_factory=Counter)  # body-size votes: rounded size -> chars
    has_text: bool = False
    has_images: bool = False
    cids: int = 0
    error: str | None = None
    gutter: tuple[float, float] | None = None  # the two-column gutter used on this page
    # Glyphs left out on purpose: (reason, character) -> count; character "" for UNMAPPED.
    removed: Counter[tuple[str, str]] = field(default_factory=Counter)

