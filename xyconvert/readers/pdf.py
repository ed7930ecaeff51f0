"""PDF reader: pages of raw lines with layout hints, built from glyph geometry.

Why not ``page.extract_text()``: it follows pdfplumber's generic word rules, which put
spaces between CJK glyphs on justified lines, merge two columns line by line, double
fake-bold glyphs and keep running headers. Here every line is rebuilt from ``page.chars``:

  chars   -> drop junk, normalise Kangxi radicals, drop ``(cid:N)``, remove fake-bold duplicates
  tables  -> ruled tables (``page.find_tables``) become one placeholder line with cell rows
  rows    -> chars clustered by baseline, cut into segments at wide horizontal gaps
  columns -> a gutter found from x-coverage splits two-column stretches; read column by column
  lines   -> text with spaces only between Latin/digit words; geometry kept for the hints
  document pass -> body size, column edges, furniture (margin lines repeated on >= 3 pages or
             page numbers), then the hints: indent, fill, size, bold, centered, gap_before

Pages are processed one at a time and their pdfplumber caches closed, so memory stays
bounded by the largest page, not the document.
"""

from __future__ import annotations

import contextlib
import logging
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xyconvert.errors import EncryptedInput, InputNotFound, NoTextLayer, UnreadableInput, XyError
from xyconvert.lines import SourceLine, SourcePage

log = logging.getLogger(__name__)

# --- character classes -----------------------------------------------------------------------

# CJK Radicals Supplement forms that stand for an ordinary ideograph but have no NFKC mapping.
_RADICAL_SUPPLEMENT = dict(
    zip(
        "⺠⻁⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰",
        "民虎西见角贝车长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙",
        strict=True,
    )
)

_NUMERIC = frozenset("0123456789.,%")
_CID = re.compile(r"^\(cid:\d+\)$")


def _is_cjk(ch: str) -> bool:
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


def _normalise_glyph(text: str) -> str:
    if len(text) == 1:
        o = ord(text)
        if 0x2F00 <= o <= 0x2FD5:  # Kangxi radicals: NFKC gives the ordinary ideograph
            return unicodedata.normalize("NFKC", text)
        if 0x2E80 <= o <= 0x2EF3:
            return _RADICAL_SUPPLEMENT.get(text) or unicodedata.normalize("NFKC", text)
    return text


_BOLD_WORDS = ("bold", "heavy", "black", "hei", "semibold", "demi", "粗", "黑")


def _font_is_bold(fontname: str) -> bool:
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


# --- intermediate records --------------------------------------------------------------------


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float  # baseline, in top-down page coordinates
    size: float
    bold: bool  # from the font name, or drawn twice (fake bold)


@dataclass(slots=True)
class _Line:
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
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    sizes: Counter[float] = field(default_factory=Counter)  # body-size votes: rounded size -> chars
    has_text: bool = False
    has_images: bool = False
    cids: int = 0
    error: str | None = None
    gutter: tuple[float, float] | None = None  # the two-column gutter used on this page


# --- public API ------------------------------------------------------------------------------


def read_pdf(
    path: Path | str,
    password: str | None = None,
    pages: range | Sequence[int] | None = None,
    warnings: list[str] | None = None,
) -> list[SourcePage]:
    """Read a PDF into pages of lines with layout hints.

    ``pages``: 0-based page indices to read (e.g. ``range(10)``); default all pages.
    ``warnings``: if given, problems that do not stop the conversion are appended to it
    (pages without text, glyphs without a Unicode mapping, unreadable single pages).

    Raises EncryptedInput, NoTextLayer, UnreadableInput or InputNotFound, never a parser error.
    """
    path = Path(path)
    miner = logging.getLogger("pdfminer")
    if miner.level == logging.NOTSET:  # its per-glyph font complaints are noise to our users
        miner.setLevel(logging.ERROR)
    notes: list[str] = []
    raw = _read_raw_pages(path, password, pages, notes)
    out = _document_pass(raw)

    empty = [p.number for p in raw if not p.has_text and p.error is None]
    if raw and len(empty) == len(raw):
        raise NoTextLayer(
            path, f"no text layer on {_page_list(empty)}: run OCR first (e.g. ocrmypdf)"
        )
    if empty:
        notes.append(
            f"no text on {_page_list(empty)} (blank or scanned; run OCR for scanned pages)"
        )
    cid_pages = [p.number for p in raw if p.cids]
    if cid_pages:
        total = sum(p.cids for p in raw)
        notes.append(
            f"{total} glyphs without a Unicode mapping ((cid:N)) dropped on {_page_list(cid_pages)}"
        )
    for note in notes:
        log.warning("%s: %s", path, note)
    if warnings is not None:
        warnings.extend(notes)
    return out


def pdf_page_count(path: Path | str, password: str | None = None) -> int:
    """Number of pages, with the same error mapping as ``read_pdf``."""
    path = Path(path)
    pdf = _open(path, password, None)
    try:
        return len(pdf.pages)
    except Exception as e:  # pdfminer raises many kinds on broken page trees
        raise UnreadableInput(path, f"corrupt or truncated PDF: {_why(e)}") from None
    finally:
        pdf.close()


def _page_list(numbers: Iterable[int]) -> str:
    """Compact page list: ``pages 1-3, 5`` / ``page 2``."""
    nums = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    word = "page" if len(nums) == 1 else "pages"
    return f"{word} {', '.join(parts)}"


def _why(e: BaseException) -> str:
    msg = str(e).strip() or type(e).__name__
    return msg[:200]


# --- opening ---------------------------------------------------------------------------------


def _open(path: Path, password: str | None, page_numbers: list[int] | None) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if not path.exists():
        raise InputNotFound(path, "no such file")
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as e:
        raise UnreadableInput(path, f"cannot read: {e.strerror or e}") from None
    if b"%PDF-" not in head:  # the header may follow a little junk; anything else is not a PDF
        raise UnreadableInput(path, "not a PDF file")
    try:
        return pdfplumber.open(path, password=password or "", pages=page_numbers)
    except Exception as e:
        cause = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e
        if isinstance(cause, PDFPasswordIncorrect):
            if password:
                raise EncryptedInput(path, "encrypted PDF: wrong password") from None
            raise EncryptedInput(path, "encrypted PDF: give the password with --password") from None
        if isinstance(cause, PDFEncryptionError):
            raise EncryptedInput(
                path, f"encrypted PDF: unsupported encryption ({_why(cause)})"
            ) from None
        raise UnreadableInput(path, f"corrupt or truncated PDF: {_why(cause)}") from None


def _has_eof_marker(path: Path) -> bool:
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 4096))
        return b"%%EOF" in f.read()


def _read_raw_pages(
    path: Path, password: str | None, pages: range | Sequence[int] | None, notes: list[str]
) -> list[_Page]:
    wanted = None if pages is None else [i + 1 for i in pages]
    pdf = _open(path, password, wanted)
    out: list[_Page] = []
    try:
        try:
            page_objs = pdf.pages
        except Exception as e:
            raise UnreadableInput(path, f"corrupt or truncated PDF: {_why(e)}") from None
        if not page_objs:
            if wanted is not None and wanted:
                raise UnreadableInput(path, f"no page {wanted[0]} in this PDF")
            raise UnreadableInput(path, "corrupt or truncated PDF: no pages")
        truncated = not _has_eof_marker(path)
        gutter: tuple[float, float] | None = None
        for page in page_objs:
            try:
                out.append(_read_page(page, gutter))
                gutter = out[-1].gutter or gutter
            except XyError:
                raise
            except Exception as e:  # a broken page: pdfminer raises anything from KeyError to PSEOF
                if truncated or not out:
                    raise UnreadableInput(
                        path, f"corrupt or truncated PDF: page {page.page_number}: {_why(e)}"
                    ) from None
                notes.append(f"page {page.page_number} unreadable, skipped: {_why(e)}")
                out.append(_Page(page.page_number, 0.0, 0.0, error=_why(e)))
            finally:
                page.close()  # drop the page's parsed layout and object caches
        if truncated and not any(p.has_text for p in out):
            raise UnreadableInput(path, "corrupt or truncated PDF: no %%EOF marker and no text")
    finally:
        # Closing re-reads the page tree, which may be what is broken.
        with contextlib.suppress(Exception):
            pdf.close()
    return out


# --- one page --------------------------------------------------------------------------------


def _scan_layout(page: Any) -> tuple[list[tuple[Any, ...]], int, bool]:
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

    walk(page.layout)
    return chars, counts["rules"], counts["images"] > 0


def _page_chars(page: Any, pg: _Page, raw: list[tuple[Any, ...]]) -> list[_Char]:
    """Usable glyphs: inside the page, not blank, normalised, fake-bold duplicates removed."""
    x0b, topb, x1b, bottomb = page.bbox
    upright_share = sum(1 for c in raw if c[7]) / len(raw) if raw else 1.0
    chars: list[_Char] = []
    bold_cache: dict[Any, bool] = {}
    for text, x0, x1, top, bottom, y0, size, upright, m, font in raw:
        if not text or text.isspace():
            continue  # spaces come back from geometry
        if _CID.match(text):
            pg.cids += 1
            continue
        if size < 1.0:
            continue  # hidden micro text
        if not upright and upright_share > 0.5:
            continue  # rotated stamps, side notes, watermarks
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        if not (x0b - 1 <= cx <= x1b + 1 and topb - 1 <= cy <= bottomb + 1):
            continue  # outside the visible page (printer slugs, off-page junk)
        if len(text) > 1 or "\u2e80" <= text <= "\u2fd5":
            text = "".join(_normalise_glyph(t) for t in text)
        base = bottom
        if m and upright:
            # baseline = glyph origin; more stable than bbox bottoms across fonts
            descent = float(m[5]) - float(y0)
            if -0.1 * size <= descent <= 0.6 * size:
                base = bottom - descent
        bold = bold_cache.get(font)
        if bold is None:
            name = font.decode("latin-1") if isinstance(font, bytes) else (font or "")
            bold = bold_cache[font] = _font_is_bold(name)
        chars.append(_Char(text, x0, x1, top, bottom, base, size, bold))
    return _dedupe(chars)


def _dedupe(chars: list[_Char]) -> list[_Char]:
    """Remove glyphs drawn again at (nearly) the same place: fake bold, shadow text, OCR doubles.

    The survivor is marked bold when the copies are offset (fake bold is drawn shifted).
    """
    kept: list[_Char] = []
    by_text: dict[str, list[_Char]] = defaultdict(list)
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


def _read_page(page: Any, gutter_hint: tuple[float, float] | None = None) -> _Page:
    pg = _Page(page.page_number, float(page.width), float(page.height))
    raw, rules, pg.has_images = _scan_layout(page)
    chars = _page_chars(page, pg, raw)
    if not chars:
        return pg
    pg.has_text = True
    for ch in chars:
        pg.sizes[round(ch.size * 2) / 2] += 1

    tables, chars = _tables(page, chars, rules)
    lines, pg.gutter = _layout_lines(chars, gutter_hint)
    lines.extend(tables)
    pg.lines = _reading_order(lines)
    return pg


def _tables(page: Any, chars: list[_Char], rules: int) -> tuple[list[_Line], list[_Char]]:
    """Ruled tables with >= 2 rows and >= 2 columns; their chars leave the text flow."""
    if rules < 4:
        return [], chars  # no rules, no ruled table: skip the (costly) finder
    found = []
    for t in page.find_tables():
        rows = [r for r in t.rows if any(c is not None for c in r.cells)]
        ncols = max((sum(1 for c in r.cells if c is not None) for r in rows), default=0)
        if len(rows) >= 2 and ncols >= 2:
            found.append((t, rows))
    if not found:
        return [], chars
    out: list[_Line] = []
    rest = chars
    for t, rows in found:
        x0, top, x1, bottom = t.bbox
        inside = [c for c in rest if _inside(c, t.bbox)]
        if not inside:
            continue
        rest = [c for c in rest if not _inside(c, t.bbox)]
        cells: list[tuple[str, ...]] = []
        for r in rows:
            texts = []
            for cell in r.cells:
                if cell is None:
                    texts.append("")  # merged with its neighbour
                    continue
                cc = [c for c in inside if _inside(c, cell)]
                texts.append(_cell_text(cc))
            cells.append(tuple(texts))
        if not any(any(c for c in row) for row in cells):
            continue
        size = statistics.median(c.size for c in inside)
        flat = " ".join(c for row in cells for c in row if c)
        out.append(_Line(flat, x0, x1, top, bottom, bottom, size, False, table=tuple(cells)))
    return out, rest


def _inside(c: _Char, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


def _cell_text(chars: list[_Char]) -> str:
    """A cell's lines joined; wrapped CJK needs no separator, Latin words get one space."""
    out = ""
    for ln in (_line_from_chars(row) for row in _rows(chars)):
        if out and not (_is_cjk(out[-1]) or _is_cjk(ln.text[0])) and not out.endswith("-"):
            out += " "
        out += ln.text
    return out


# --- rows, segments, columns -----------------------------------------------------------------


def _rows(chars: list[_Char]) -> list[list[_Char]]:
    """Cluster chars by baseline (not content-stream order); each row sorted left to right."""
    rows: list[list[_Char]] = []
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


def _tracking(row: list[_Char]) -> float:
    """Typical gap between neighbouring glyphs (character spacing of a justified line).

    On CJK lines the widest gap that recurs between CJK glyphs: pdfminer drops the Tc after
    the last glyph of each Tj string, so a Tc-justified line shows a mix of full and zero
    gaps, and the median would understate the spacing.
    """
    pairs = list(zip(row, row[1:], strict=False))
    if not pairs:
        return 0.0
    track = statistics.median(b.x0 - a.x1 for a, b in pairs)
    cjk = sorted(b.x0 - a.x1 for a, b in pairs if _is_cjk(a.text[-1]) and _is_cjk(b.text[0]))
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


def _segments(row: list[_Char]) -> list[list[_Char]]:
    """Cut a row where the gap is far wider than its glyph spacing (column gutters, tab stops)."""
    track = _tracking(row)
    size = statistics.median(c.size for c in row)
    limit = max(1.2 * size, 2.5 * track + 0.5 * size)
    segs = [[row[0]]]
    for a, b in zip(row, row[1:], strict=False):
        if b.x0 - a.x1 > limit:
            segs.append([b])
        else:
            segs[-1].append(b)
    return segs


def _line_from_chars(chars: list[_Char]) -> _Line:
    """Text of one line: a space only for a real word gap between two non-CJK glyphs."""
    chars = sorted(chars, key=lambda c: c.x0)
    track = _tracking(chars)
    # Latin/digit runs letter-spaced like the CJK around them (Tc justification) keep their own
    # even spacing; pdfminer also drops Tc after the last glyph of each Tj string, so gaps at
    # font switches are smaller and the line median alone can be 0.
    latin = [
        b.x0 - a.x1
        for a, b in zip(chars, chars[1:], strict=False)
        if not _is_cjk(a.text[-1]) and not _is_cjk(b.text[0])
    ]
    if len(latin) >= 3:
        own = statistics.median(latin)
        if own < 0.5 * chars[0].size:
            track = max(track, own)
    parts = [chars[0].text]
    for a, b in zip(chars, chars[1:], strict=False):
        gap = b.x0 - a.x1
        # Inside a number a gap must be wider to count: Tc-justified lines set digits apart
        # and pdfminer's Tc positions are unreliable (see _tracking).
        numeric = a.text[-1] in _NUMERIC and b.text[0] in _NUMERIC
        if (
            not _is_cjk(a.text[-1])
            and not _is_cjk(b.text[0])
            and gap > track + (0.35 if numeric else 0.18) * min(a.size, b.size)
        ):
            parts.append(" ")
        parts.append(b.text)
    sizes = Counter(round(c.size, 1) for c in chars)
    size = sizes.most_common(1)[0][0]
    bold = sum(1 for c in chars if c.bold) >= 0.6 * len(chars)
    return _Line(
        text="".join(parts),
        x0=min(c.x0 for c in chars),
        x1=max(c.x1 for c in chars),
        top=min(c.top for c in chars),
        bottom=max(c.bottom for c in chars),
        base=statistics.median(c.base for c in chars),
        size=size,
        bold=bold,
    )


def _find_gutter(segs: list[tuple[float, float, int]], nrows: int) -> tuple[float, float] | None:
    """A vertical strip near the middle that (almost) no segment crosses, with text both sides.

    ``segs`` are (x0, x1, row index). Returns the strip (left, right) or None (one column).
    """
    if nrows < 6:
        return None
    lo = min(s[0] for s in segs)
    hi = max(s[1] for s in segs)
    width = hi - lo
    if width <= 0:
        return None
    n = int(width) + 1
    cover = [0] * n
    for x0, x1, _ in segs:
        for i in range(max(0, int(x0 - lo)), min(n, int(x1 - lo) + 1)):
            cover[i] += 1
    a, b = int(0.25 * width), int(0.75 * width)
    mid = cover[a:b]
    if not mid:
        return None
    least = min(mid)
    if least > max(1, 0.3 * len(segs)):
        return None  # most text runs across the middle: one column (titles/abstracts may span)
    # widest run of minimal coverage in the middle band
    best: tuple[int, int] | None = None
    i = a
    while i < b:
        if cover[i] <= least:
            j = i
            while j + 1 < b and cover[j + 1] <= least:
                j += 1
            if best is None or j - i > best[1] - best[0]:
                best = (i, j)
            i = j + 1
        else:
            i += 1
    if best is None:
        return None
    gl, gr = lo + best[0], lo + best[1] + 1
    left = [s for s in segs if s[1] <= gl + 1]
    right = [s for s in segs if s[0] >= gr - 1]
    # Real columns: several full-ish lines on each side, side by side on the same rows.
    if len({s[2] for s in left}) < 3 or len({s[2] for s in right}) < 3:
        return None
    if statistics.median(s[1] - s[0] for s in left) < 0.5 * (gl - lo):
        return None
    if statistics.median(s[1] - s[0] for s in right) < 0.5 * (hi - gr):
        return None
    shared = {s[2] for s in left} & {s[2] for s in right}
    if len(shared) < 3:
        return None
    return gl, gr


def _layout_lines(
    chars: list[_Char], hint: tuple[float, float] | None
) -> tuple[list[_Line], tuple[float, float] | None]:
    """Rows -> segments -> (two-column stretches split at the gutter) -> lines.

    ``hint`` is the gutter of an earlier page: a last page with one line in the right
    column has too little text to find its gutter but still has two columns.
    """
    rows = _rows(chars)
    segrows = [_segments(r) for r in rows]
    flat = [(s[0].x0, max(c.x1 for c in s), i) for i, segs in enumerate(segrows) for s in segs]
    gutter = _find_gutter(flat, len(rows))
    if gutter is None and hint is not None and flat:
        gl, gr = hint
        crossing = sum(1 for x0, x1, _ in flat if x0 < gl - 1 and x1 > gr + 1)
        left = any(x1 <= gl + 1 for _, x1, _ in flat)
        right = any(x0 >= gr - 1 for x0, _, _ in flat)
        if left and right and crossing <= 0.3 * len(flat):
            gutter = hint
    lines: list[_Line] = []
    for segs in segrows:
        if gutter is None:
            lines.append(_line_from_chars([c for s in segs for c in s]))
            continue
        gl, gr = gutter
        crossing = any(s[0].x0 < gl - 1 and max(c.x1 for c in s) > gr + 1 for s in segs)
        if crossing:
            ln = _line_from_chars([c for s in segs for c in s])
            ln.column = (1, 0)
            lines.append(ln)
            continue
        mid = (gl + gr) / 2
        left = [c for s in segs if s[0].x0 < mid for c in s]
        right = [c for s in segs if s[0].x0 >= mid for c in s]
        for idx, part in ((0, left), (1, right)):
            if part:
                ln = _line_from_chars(part)
                ln.column = (2, idx)
                lines.append(ln)
    return lines, gutter


def _reading_order(lines: list[_Line]) -> list[_Line]:
    """Top to bottom; inside a two-column stretch (between full-width lines) left column first."""
    lines.sort(key=lambda ln: (ln.base, ln.x0))
    out: list[_Line] = []
    stretch: list[_Line] = []

    def flush() -> None:
        stretch.sort(key=lambda ln: (ln.column[1], ln.base, ln.x0))
        out.extend(stretch)
        stretch.clear()

    for ln in lines:
        if ln.column[0] == 2:
            stretch.append(ln)
            continue
        if ln.table is not None and stretch and ln.x1 - ln.x0 < _stretch_half(stretch):
            stretch.append(_as_column(ln, stretch))  # a table inside one column
            continue
        flush()
        out.append(ln)
    flush()
    return out


def _stretch_half(stretch: list[_Line]) -> float:
    left = [ln for ln in stretch if ln.column[1] == 0]
    right = [ln for ln in stretch if ln.column[1] == 1]
    if not left or not right:
        return 0.0
    return max(ln.x1 for ln in right) - min(
        ln.x0 for ln in left
    )  # whole width; half-ish tables fit


def _as_column(ln: _Line, stretch: list[_Line]) -> _Line:
    right = [x for x in stretch if x.column[1] == 1]
    gl = min((x.x0 for x in right), default=ln.x1)
    ln.column = (2, 0 if ln.x1 <= gl + 1 else 1)
    return ln


# --- document pass: furniture and hints ------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－‒―~～·•]*(?:第\s*)?(?:\d{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})(?:\s*页)?"
    r"(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－‒―~～·•]*$"
)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _mark_furniture(pages: list[_Page]) -> None:
    """Flag lines in the top/bottom margin that are page numbers or repeat on >= 3 pages."""
    cands: list[tuple[_Page, _Line]] = []
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


def _edges(lines: list[_Line], body: float) -> tuple[float, float] | None:
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


def _document_pass(pages: list[_Page]) -> list[SourcePage]:
    sizes: Counter[float] = Counter()
    for pg in pages:
        sizes.update(pg.sizes)
    body = sizes.most_common(1)[0][0] if sizes else 10.0

    _mark_furniture(pages)

    # Column edges per (column layout, page parity) over the document, for pages with few lines.
    doc_lines: dict[tuple[int, int, int], list[_Line]] = defaultdict(list)
    for pg in pages:
        for ln in pg.lines:
            if not ln.furniture:
                doc_lines[(*ln.column, pg.number % 2)].append(ln)
    doc_edges = {k: _edges(v, body) for k, v in doc_lines.items()}

    # Body line pitch: baseline distance between consecutive body lines of one column.
    steps: list[float] = []
    for pg in pages:
        prev: _Line | None = None
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
            page_edges[col] = _edges([ln for ln in keep if ln.column == col], body)
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
    ln: _Line,
    pg: _Page,
    lineno: int,
    edges: tuple[float, float],
    body: float,
    pitch: float,
    prev: _Line | None,
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
