"""Glyphs of one page: read from pdfminer's layout, filtered, normalised (Kangxi radicals, bold fonts)."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from functools import lru_cache
from typing import Any

from xyconvert.limits import PageTooBig
from xyconvert.readers.pdf.dedupe import dedupe
from xyconvert.readers.pdf.records import FAKE_BOLD, HIDDEN, OFF_PAGE, ROTATED, UNMAPPED, Char, Page

# --- character classes -----------------------------------------------------------------------

# CJK Radicals Supplement forms that stand for an ordinary ideograph but have no NFKC mapping.
_RADICAL_SUPPLEMENT = dict(
    zip(
        "⺠⻁⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰",
        "民虎西见角贝车长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙",
        strict=True,
    )
)

NUMERIC = frozenset("0123456789.,%")
CID = re.compile(r"^\(cid:\d+\)$")


def is_cjk(ch: str) -> bool:
    """Characters after/before which no word space is ever inserted (CJK text and its punctuation)."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK symbols/punctuation, kana, ideographs
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3FFFF
        or 0x2010 <= o <= 0x2027  # dashes, curly quotes, ellipsis, middle dots used in Chinese text
        or 0x2460 <= o <= 0x27BF  # circled numbers, boxes, geometric shapes (◎ ■ ▇ ①)
        or 0xAC00 <= o <= 0xD7AF
        or o == 0x00B7
        or 0xE000 <= o <= 0xF8FF  # private use (symbol-font bullets)
    )


def normalise_glyph(text: str) -> str:
    if len(text) == 1:
        o = ord(text)
        if 0x2F00 <= o <= 0x2FD5:  # Kangxi radicals: NFKC gives the ordinary ideograph
            return unicodedata.normalize("NFKC", text)
        if 0x2E80 <= o <= 0x2EF3:
            return _RADICAL_SUPPLEMENT.get(text) or unicodedata.normalize("NFKC", text)
    return text


_BOLD_WORDS = ("bold", "heavy", "black", "hei", "semibold", "demi", "粗", "黑")


def font_is_bold(fontname: str) -> bool:
    name = fontname.split("+", 1)[-1]
    if "#" in name:  # PDF name escapes, e.g. #BA#DA#CC#E5 = GBK 黑体
        try:
            raw = re.sub(
                rb"#([0-9A-Fa-f]{2})",
                lambda m: bytes([int(m.group(1), 16)]),
                name.encode("latin-1"),
            )
            name = raw.decode("gbk")
        except (UnicodeError, ValueError):
            pass
    elif any(0x80 <= ord(c) <= 0xFF for c in name):  # GBK bytes shown as Latin-1
        with contextlib.suppress(UnicodeError):
            name = name.encode("latin-1").decode("gbk")
    low = name.lower()
    return any(w in low for w in _BOLD_WORDS)

# --- one page --------------------------------------------------------------------------------


def scan_layout(page: Any) -> tuple[list[tuple[Any, ...]], int, bool]:
    """Glyphs (as tuples of the few fields we use), the number of rules, whether there are images.

    Walks pdfminer's layout of the page, which pdfplumber computes and caches,
    directly: pdfplumber's ``page.chars`` would first turn every object on the
    page into a dict of ~20 resolved attributes, a quarter of the reading time.
    Coordinates follow pdfplumber's conventions (top-left origin, MediaBox offset).
    Each glyph: (text, x0, x1, top, bottom, y0, size, upright, matrix, fontname).
    """
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage

    height = float(page.height)
    mb_x0, mb_top = (float(v) for v in page.mediabox[:2])
    chars: list[tuple[Any, ...]] = []
    counts = {"rules": 0, "images": 0}
    append = chars.append

    def walk(objs: Any) -> None:
        for obj in objs:
            if isinstance(obj, LTChar):
                append((
                    obj._text, obj.x0 + mb_x0, obj.x1 + mb_x0, height - obj.y1 + mb_top,
                    height - obj.y0 + mb_top, obj.y0, obj.size, obj.upright, obj.matrix, obj.fontname,
                ))
            elif isinstance(obj, LTCurve):  # LTLine and LTRect are curves too
                counts["rules"] += 1
            elif isinstance(obj, LTImage):
                counts["images"] += 1
            elif isinstance(obj, LTContainer):
                walk(obj)

    walk(bounded_layout(page))
    return chars, counts["rules"], counts["images"] > 0


def bounded_layout(page: Any) -> Any:
    """pdfplumber's ``page.layout``, computed (and cached where pdfplumber caches it) by
    a device that counts the glyphs as pdfminer draws them and stops the page with
    ``PageTooBig`` past the limit: a 9 KB page can draw millions (one long ``Tj``),
    and pdfminer would build all of them before we could count."""
    cached = getattr(page, "_layout", None)
    if cached is not None:
        return cached
    from xyconvert.limits import max_page_glyphs

    limit = max_page_glyphs()
    if not limit:
        return page.layout
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.utils.exceptions import PdfminerException

    device = _counting_device()(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    device.glyph_limit = limit
    interpreter = PDFPageInterpreter(page.pdf.rsrcmgr, device)
    try:
        interpreter.process_page(page.page_obj)
    except PageTooBig:
        raise
    except Exception as e:  # as pdfplumber's own page.layout reports it
        raise PdfminerException(e) from e
    page._layout = device.get_result()
    return page._layout


@lru_cache(maxsize=1)
def _counting_device() -> type:
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Counting(PDFPageAggregatorWithMarkedContent):
        glyphs = 0
        glyph_limit = 0

        def render_char(self, *args: Any, **kwargs: Any) -> Any:
            self.glyphs += 1
            if self.glyphs > self.glyph_limit:
                raise PageTooBig(self.pageno, None, self.glyph_limit)
            return super().render_char(*args, **kwargs)

    return Counting


def page_chars(page: Any, pg: Page, raw: list[tuple[Any, ...]]) -> list[Char]:
    """Usable glyphs: inside the page, not blank, normalised, fake-bold duplicates removed."""
    x0b, topb, x1b, bottomb = page.bbox
    left, right, upper, lower = x0b - 1, x1b + 1, topb - 1, bottomb + 1  # 1 pt of slack
    upright_share = -1.0  # the share of upright glyphs: counted at the first turned one
    chars: list[Char] = []
    keep = chars.append
    bold_cache: dict[Any, bool] = {}
    for text, x0, x1, top, bottom, y0, size, upright, m, font in raw:
        if not text or text.isspace():
            continue  # spaces come back from geometry
        if text[0] == "(" and CID.match(text):
            pg.cids += 1
            pg.removed[(UNMAPPED, "")] += 1
            continue
        if size < 1.0:
            pg.removed[(HIDDEN, text)] += 1
            continue
        if not upright:
            if upright_share < 0:
                upright_share = sum(1 for c in raw if c[7]) / len(raw)
            if upright_share > 0.5:
                pg.removed[(ROTATED, text)] += 1  # stamps, side notes, watermarks
                continue
        if not (left <= (x0 + x1) / 2 <= right and upper <= (top + bottom) / 2 <= lower):
            pg.removed[(OFF_PAGE, text)] += 1  # printer slugs, off-page junk
            continue
        if len(text) > 1 or "\u2e80" <= text <= "\u2fd5":
            text = "".join(normalise_glyph(t) for t in text)
        base = bottom
        if m and upright:
            # baseline = glyph origin; more stable than bbox bottoms across fonts
            descent = float(m[5]) - float(y0)
            if -0.1 * size <= descent <= 0.6 * size:
                base = bottom - descent
        bold = bold_cache.get(font)
        if bold is None:
            name = font.decode("latin-1") if isinstance(font, bytes) else (font or "")
            bold = bold_cache[font] = font_is_bold(name)
        keep(Char(text, x0, x1, top, bottom, base, size, bold))
    kept, doubles = dedupe(chars)
    for text, n in doubles.items():
        pg.removed[(FAKE_BOLD, text)] += n
    return kept

