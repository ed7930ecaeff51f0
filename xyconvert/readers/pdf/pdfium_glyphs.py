"""Glyphs and ruling lines of one page from PDFium (pypdfium2): the fast engine's source.

PDFium parses the page in C and keeps every character with its box, origin, font and
matrix; we read them through its flat C API (a few ctypes calls per glyph) and emit the
same glyph tuples as ``glyphs.scan_layout`` does from pdfminer's layout, in pdfplumber's
coordinates (top-left origin), so ``page_chars``, tables, rows and columns run unchanged.

Measured against pdfminer on the corpus, per glyph: the origin, the advance (right edge)
and the box bottom agree to 0.01 pt and ``font size x matrix scale`` equals pdfminer's
size exactly, while PDFium's "loose" box top and left differ (it spans the font's own
ascent, and for some fonts the ink). So an upright glyph's box is rebuilt pdfminer's
way: left = origin, top = bottom - size. Other differences from pdfminer, kept on purpose:

- a glyph with no Unicode mapping comes back as its char code with a map-error flag;
  we emit ``(cid:N)`` for it, as pdfminer does, so it is counted and dropped the same way.
- characters beyond the BMP arrive as two UTF-16 surrogates: joined back into one glyph.
- PDFium drops a text object drawn again over itself (fake bold, shadow text) before we
  see it; ``pdfium_redrawn`` gives those copies back, so ``dedupe`` removes and counts
  them and marks the survivor bold, as on the pdfplumber path.
- Fonts without ToUnicode but with a GBK encoding decode to the right ideographs here
  where pdfminer gives Latin-1 mojibake.

Ruling lines: PDFium's path objects, split into sub-paths and turned into pdfplumber's
edges (lines, rectangles, curve segments, ``ruling``) for the table finder, without pdfminer
parsing the page.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Iterator
from ctypes import POINTER, byref, c_double, c_float, c_int, c_uint, c_ulong, c_void_p
from typing import Any

from xyconvert.readers.pdf.pdfium_boxless import boxless_glyphs
from xyconvert.readers.pdf.pdfium_objects import Affine, Bounds, mul
from xyconvert.readers.pdf.pdfium_redrawn import redrawn_copies

_API: dict[str, Any] = {}

# Font names pdfminer finds in its standard-font metrics (pdfminer.fontmetrics.FONT_METRICS).
_AFM_NAMES = frozenset({
    "Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique", "Symbol", "Times-Bold",
    "Times-BoldItalic", "Times-Italic", "Times-Roman", "ZapfDingbats", "Arial", "Arial,Italic",
    "Arial,Bold", "Arial,BoldItalic", "CourierNew", "CourierNew,Italic", "CourierNew,Bold",
    "CourierNew,BoldItalic", "TimesNewRoman", "TimesNewRoman,Italic", "TimesNewRoman,Bold",
    "TimesNewRoman,BoldItalic",
})

_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5  # FPDF_PAGEOBJ_*
_MOVETO = 2  # FPDF_SEGMENT_MOVETO


def _api() -> dict[str, Any]:
    """Our own ctypes prototypes of the PDFium calls in the glyph loop.

    Made from pypdfium2's function addresses with plain ``c_void_p`` handles, so a call
    takes and returns ints instead of wrapping each pointer in a ctypes object (a third
    of the per-glyph cost); pypdfium2's own function objects stay as they are. Called
    with the GIL held (``PYFUNCTYPE``): these calls take a microsecond, and releasing and
    taking back the GIL around each was a tenth of it. (A PDFium callback into Python,
    pypdfium2's file reader, takes the GIL it already has: PyGILState_Ensure nests.)
    """
    if _API:
        return _API
    import pypdfium2.raw as c

    def proto(fn: Any, res: Any, *args: Any) -> Any:
        return ctypes.PYFUNCTYPE(res, *args)(ctypes.cast(fn, c_void_p).value)

    h, i = c_void_p, c_int
    _API.update(
        count=proto(c.FPDFText_CountChars, i, h),
        uni=proto(c.FPDFText_GetUnicode, c_uint, h, i),
        obj=proto(c.FPDFText_GetTextObject, c_void_p, h, i),
        font=proto(c.FPDFTextObj_GetFont, c_void_p, h),
        glyph_width=proto(c.FPDFFont_GetGlyphWidth, i, h, c_uint, c_float, POINTER(c_float)),
        loose=proto(c.FPDFText_GetLooseCharBox, i, h, i, POINTER(c.FS_RECTF)),
        origin=proto(c.FPDFText_GetCharOrigin, i, h, i, POINTER(c_double), POINTER(c_double)),
        charbox=proto(
            c.FPDFText_GetCharBox, i, h, i, POINTER(c_double), POINTER(c_double),
            POINTER(c_double), POINTER(c_double),
        ),
        maperr=proto(c.FPDFText_HasUnicodeMapError, i, h, i),
        matrix=proto(c.FPDFText_GetMatrix, i, h, i, POINTER(c.FS_MATRIX)),
        fontsize=proto(c.FPDFText_GetFontSize, c_double, h, i),
        fontinfo=proto(c.FPDFText_GetFontInfo, c_ulong, h, i, c_void_p, c_ulong, POINTER(c_int)),
        n_objs=proto(c.FPDFPage_CountObjects, i, h),
        get_obj=proto(c.FPDFPage_GetObject, c_void_p, h, i),
        form_n=proto(c.FPDFFormObj_CountObjects, i, h),
        form_obj=proto(c.FPDFFormObj_GetObject, c_void_p, h, c_ulong),
        obj_type=proto(c.FPDFPageObj_GetType, i, h),
        obj_matrix=proto(c.FPDFPageObj_GetMatrix, i, h, POINTER(c.FS_MATRIX)),
        obj_bounds=proto(
            c.FPDFPageObj_GetBounds, i, h, POINTER(c_float), POINTER(c_float),
            POINTER(c_float), POINTER(c_float),
        ),
        n_segs=proto(c.FPDFPath_CountSegments, i, h),
        seg=proto(c.FPDFPath_GetPathSegment, c_void_p, h, i),
        seg_point=proto(c.FPDFPathSegment_GetPoint, i, h, POINTER(c_float), POINTER(c_float)),
        seg_type=proto(c.FPDFPathSegment_GetType, i, h),
        seg_close=proto(c.FPDFPathSegment_GetClose, i, h),
        text_len=proto(c.FPDFTextObj_GetText, c_ulong, h, h, c_void_p, c_ulong),
        page_text=proto(c.FPDFText_GetText, i, h, i, i, c_void_p),
        is_hyphen=proto(c.FPDFText_IsHyphen, i, h, i),
        obj_fontsize=proto(c.FPDFTextObj_GetFontSize, i, h, POINTER(c_float)),
        FS_RECTF=c.FS_RECTF,
        FS_MATRIX=c.FS_MATRIX,
    )
    return _API


class PdfiumPage:
    """One page: the attributes the page loop and the table finder read, in pdfplumber's terms."""

    def __init__(self, doc: Any, index: int, source: tuple[Any, str | None] | None = None) -> None:
        self._page = doc[index]
        self.page_number = index + 1
        self.source = source  # (path, password): pdfium_boxless opens it with pdfminer, rarely
        self.handle = ctypes.cast(self._page.raw, c_void_p).value
        rotation = self._page.get_rotation() % 360
        mb = self._page.get_mediabox(fallback_ok=False) or self._page.get_bbox()
        x0, x1 = sorted((mb[0], mb[2]))
        y0, y1 = sorted((mb[1], mb[3]))
        # pdfminer's layout space for this rotation (its ctm), then pdfplumber's flip:
        # x + MediaBox x0, top = height - y + (height - MediaBox y1), with the box rotated.
        layout: Affine
        if rotation == 90:
            layout, box = (0, -1, 1, 0, -y0, x1), (y0, x0, y1, x1)
        elif rotation == 180:
            layout, box = (-1, 0, 0, -1, x1, y1), (x0, y0, x1, y1)
        elif rotation == 270:
            layout, box = (0, 1, -1, 0, y1, -x0), (y0, x0, y1, x1)
        else:
            layout, box = (1, 0, 0, 1, -x0, -y0), (x0, y0, x1, y1)
        height = box[3] - box[1]
        self.mediabox = (box[0], height - box[3], box[2], height - box[1])
        self.bbox = self.mediabox
        self.width = box[2] - box[0]
        self.height = height
        self.rotation = rotation
        # user space -> layout (pdfminer's y-up coordinates) and -> pdfplumber's top-down
        self.to_layout: Affine = layout
        self.to_plumber: Affine = mul(layout, (1, 0, 0, -1, box[0], 2 * height - box[3]))
        self._paths: list[tuple[int, Affine]] = []
        self._textpage: Any = None

    # --- what the page loop and tables.find_tables use ---------------------------------

    def rulings(self) -> tuple[list[Any], list[Any]]:
        """(horizontal, vertical) ruling edges for ``ruling.find_tables``, from the path objects."""
        from xyconvert.readers.pdf.ruling import edges_from_subpaths

        return edges_from_subpaths(_page_subpaths(_api(), self._paths, self))

    def close(self) -> None:
        if self._textpage is not None:
            self._textpage.close()
            self._textpage = None
        self._paths = []
        self._page.close()


# --- glyphs ----------------------------------------------------------------------------------


def scan_page(page: PdfiumPage) -> tuple[list[tuple[Any, ...]], int, bool]:
    """Glyph tuples as ``glyphs.scan_layout`` gives them, the number of rules, images or not."""
    api = _api()
    page._textpage = page._page.get_textpage()
    tp = ctypes.cast(page._textpage.raw, c_void_p).value
    uni, getobj, loose, origin, maperr = api["uni"], api["obj"], api["loose"], api["origin"], api["maperr"]
    rect = api["FS_RECTF"]()
    prect = byref(rect)
    ox, oy = c_double(), c_double()
    pox, poy = byref(ox), byref(oy)
    a, b, c, d, e, f = page.to_plumber
    la, lb, lc, ld, le, lf = page.to_layout
    axis = page.rotation == 0
    top_y0 = page.height + page.mediabox[1]  # layout y = top_y0 - plumber y
    n = api["count"](tp)
    from xyconvert.limits import PageTooBig, max_page_glyphs

    limit = max_page_glyphs()
    if limit and n > limit:  # PDFium counted them in C; do not walk them in Python
        raise PageTooBig(page.page_number, n, limit)
    codes = _codes(api, tp, n)
    chars: list[tuple[Any, ...]] = []
    append = chars.append
    styles = _Styles(api, tp, page)
    widths = styles.widths
    glyph_width = styles.glyph_width
    by_obj, by_key, m, pm = styles.by_obj, styles.by_key, styles.m, styles.pm
    get_matrix, font_of, fontsize = api["matrix"], api["font"], api["fontsize"]
    fw: dict[int, float] = {}  # the current font's advances by unicode (of ``widths``)
    last_obj = last_glyph_obj = None
    spans: list[tuple[int, int]] = []  # (text object, its first glyph in chars): see pdfium_redrawn
    last_x = last_y = -1e9
    style: tuple[Any, ...] = ()
    skip = False
    for i in range(n):
        if skip:
            skip = False
            continue
        u = codes[i] if codes is not None else uni(tp, i)
        if u == 0xFFFE or not u:
            u = uni(tp, i)  # the page text gives PDFium's hyphen mark (2) as U+FFFE
        if u <= 32 or u == 0xA0 or 0x2000 <= u <= 0x200B or u == 0x3000:
            if u != 2 or not api["is_hyphen"](tp, i):
                continue  # spaces and PDFium's generated line breaks: spaces come back from geometry
            u = 0x2D  # PDFium's mark for a hyphen that ends a line: the hyphen it stands for
        if 0xD800 <= u <= 0xDBFF and i + 1 < n and 0xDC00 <= (lo := codes[i + 1] if codes is not None else uni(tp, i + 1)) <= 0xDFFF:
            text = chr(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00))
            skip = True
        elif maperr(tp, i):
            text = f"(cid:{u})"  # no Unicode for this char code: counted and dropped upstream
        else:
            text = chr(u)
        obj = getobj(tp, i)
        if obj != last_obj:
            last_obj = obj
            spans.append((obj, len(chars)))
            style = by_obj.get(obj)
            if style is None:  # the object's style by (font, size, matrix), looked up inline
                get_matrix(tp, i, pm)
                key = (font_of(obj) or 0, fontsize(tp, i), m.a, m.b, m.c, m.d)
                style = by_key.get(key)
                if style is None:
                    style = styles.resolve(key, i)
                by_obj[obj] = style
            size, upright, straight, fontname, afm, afm_scale, font, xscale, low_off, inked = style
            fw = widths.get(font) or widths.setdefault(font, {})
        origin(tp, i, pox, poy)
        x, y = ox.value, oy.value
        if x == last_x and y == last_y and obj == last_glyph_obj and chars:
            # a ligature (fi, ff) comes as its letters on one origin: one glyph, as pdfminer's,
            # as wide as PDFium's box for it
            loose(tp, i, prect)
            prev = chars[-1]
            chars[-1] = (prev[0] + text, prev[1], max(prev[2], rect.right + e), *prev[3:])
            continue
        last_x, last_y, last_glyph_obj = x, y, obj
        if straight and axis and not inked:
            # the common case: pdfminer's box, from the origin, the advance and the font's descent
            if afm is not None and (w := afm.get(text)) is not None:
                right = x + w * afm_scale  # pdfminer's AFM advance for a standard-14 font name
            else:
                w = fw.get(u)
                if w is None:
                    w = fw[u] = glyph_width(font, u)
                if w > 0:
                    right = x + w * xscale
                else:  # no width for this char: PDFium's box
                    loose(tp, i, prect)
                    right = rect.right
            low = y + low_off
            bottom = f - low
            append((text, x, right + e, bottom - size, bottom, low + lf, size,
                    upright, (1.0, 0.0, 0.0, 1.0, x + le, y + lf), fontname))
            continue
        loose(tp, i, prect)
        if straight and axis:  # PDFium gave the ink box (no font metrics): bottom on the baseline
            bottom = f - y
            append((text, x, rect.right + e, bottom - size, bottom, y + lf, size,
                    upright, (1.0, 0.0, 0.0, 1.0, x + le, y + lf), fontname))
            continue
        corners = ((rect.left, rect.bottom), (rect.right, rect.top), (rect.left, rect.top), (rect.right, rect.bottom))
        xs = [p * a + q * c + e for p, q in corners]
        ts = [p * b + q * d + f for p, q in corners]
        x0, x1, top, bottom = min(xs), max(xs), min(ts), max(ts)
        if straight:  # upright on a rotated page: left edge at the origin, height = size
            x0 = x * a + y * c + e
            top = bottom - size
        else:
            size = bottom - top  # pdfminer's size of a turned glyph: its box height
        append((text, x0, x1, top, bottom, top_y0 - bottom, size, upright,
                (1.0, 0.0, 0.0, 1.0, x * la + y * lc + le, x * lb + y * ld + lf), fontname))
    objects = _walk_objects(page, api, {obj for obj, _ in spans})
    bounds = Bounds(api)  # the two recoveries look at the same objects
    chars.extend(redrawn_copies(api, page, objects.texts, chars, spans, bounds))
    chars.extend(boxless_glyphs(api, page, objects.texts, chars, spans, bounds))
    return chars, len(objects.paths), objects.images


def _codes(api: dict[str, Any], tp: int, n: int) -> list[int] | None:
    """Every char's UTF-16 unit (what FPDFText_GetUnicode gives one by one), from the page
    text in one call; None when that text is not one unit per char (then per char)."""
    if n <= 0:
        return None
    buf = (ctypes.c_ushort * (n + 1))()
    if api["page_text"](tp, 0, n, ctypes.addressof(buf)) != n + 1:  # n units and the NUL
        return None
    return buf[:n]


class _Styles:
    """What the glyphs of one text object share (size, orientation, font), computed once per
    distinct font, size and matrix: generators that put every glyph in its own text object
    (reportlab's samples: one per glyph) would otherwise pay for it glyph by glyph."""

    def __init__(self, api: dict[str, Any], tp: int, page: PdfiumPage) -> None:
        self.api, self.tp, self.page = api, tp, page
        self.by_obj: dict[int, tuple[Any, ...]] = {}
        # (font, size, matrix) -> the style of a named font's object, or the shared part
        # (all but ``inked``) of a nameless one's, whose ink test is per object
        self.by_key: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.nameless: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self._matrix, self._fontsize, self._font_of = api["matrix"], api["fontsize"], api["font"]
        self.fonts: dict[int, tuple[str, Any]] = {}
        self.widths: dict[int, dict[int, float]] = {}  # font -> unicode -> advance at size 1
        self._w = c_float()
        self._pw = byref(self._w)
        self.m = api["FS_MATRIX"]()
        self.pm = byref(self.m)
        self.r = api["FS_RECTF"]()
        self.pr = byref(self.r)
        self.t = [c_double() for _ in range(4)]
        self.pt = [byref(v) for v in self.t]

    def resolve(self, key: tuple[Any, ...], i: int) -> tuple[Any, ...]:
        """The style for ``key`` (font, size, matrix a-d) not in ``by_key``: a new named
        font's (then kept there), or a nameless one's with glyph ``i``'s ink test."""
        shared = self.nameless.get(key)
        if shared is None:
            shared = self._style(key[0], key[1], key[2:], i)
            if shared[3]:  # named: the whole style is shared
                style = self.by_key[key] = (*shared, False)
                return style
            self.nameless[key] = shared
        # only nameless (Type3) fonts were seen to lack metrics: the others are spared
        # the two calls of the test
        return (*shared, self._inked(i))

    def glyph_width(self, font: int, u: int) -> float:
        """The advance of ``u`` in ``font`` at size 1 from the font's widths (as pdfminer takes
        it), or -1. PDFium's loose box is wider for glyphs whose ink overhangs (f, j)."""
        if not font or not self.api["glyph_width"](font, u, 1.0, self._pw):
            return -1.0
        return self._w.value

    def _inked(self, i: int) -> bool:
        """PDFium's loose box spans the font's descent..ascent, like pdfminer's box, unless it
        has no such metrics for the glyph (Type3 fonts): then it is the ink box, whose bottom
        floats. Seen per text object: it varies within one Type3 font."""
        api, tp, r, t = self.api, self.tp, self.r, self.t
        api["loose"](tp, i, self.pr)
        api["charbox"](tp, i, *self.pt)  # left, right, bottom, top
        return (abs(r.left - t[0].value) < 1e-3 and abs(r.right - t[1].value) < 1e-3
                and abs(r.bottom - t[2].value) < 1e-3 and abs(r.top - t[3].value) < 1e-3)

    def _style(self, font: int, fs: float, matrix: tuple[float, ...], i: int) -> tuple[Any, ...]:
        """(size, upright, straight, font name, AFM widths, AFM x scale, font, x scale,
        box bottom below the origin)."""
        ma, mb, mc, md = matrix
        if self.page.rotation:
            ra, rb, rc, rd = self.page.to_layout[:4]
            ma, mb, mc, md = ma * ra + mb * rc, ma * rb + mb * rd, mc * ra + md * rc, mc * rb + md * rd
        upright = ma * md > 0 and mb * mc <= 0  # pdfminer's test
        straight = mb == 0 and mc == 0 and ma > 0 and md > 0
        info = self.fonts.get(font)
        if info is None:
            info = self.fonts[font] = self._font(i)
        name, afm = info
        # the box bottom sits at a fixed distance below the origin for one font and size
        api, tp = self.api, self.tp
        api["loose"](tp, i, self.pr)
        ox, oy = c_double(), c_double()
        api["origin"](tp, i, byref(ox), byref(oy))
        low_off = self.r.bottom - oy.value
        return fs * abs(md), upright, straight, name, afm, fs * ma / 1000, font, fs * ma, low_off

    def _font(self, i: int) -> tuple[str, Any]:
        api, tp = self.api, self.tp
        buf = ctypes.create_string_buffer(256)
        flags = c_int()
        k = api["fontinfo"](tp, i, buf, 256, byref(flags))
        name = buf.raw[: max(0, min(k, 256) - 1)].split(b"\0", 1)[0].decode("latin-1")
        afm = None
        if name in _AFM_NAMES:  # pdfminer takes these fonts' widths from its AFM tables, /Widths or not
            from pdfminer.fontmetrics import FONT_METRICS

            afm = FONT_METRICS[name][1]
        return name, afm


# --- page objects: images and ruling lines ---------------------------------------------------


class _Objects:
    __slots__ = ("images", "paths", "texts")

    def __init__(self) -> None:
        self.paths: list[tuple[int, Affine]] = []
        self.images = False
        # text objects per object list (page, each form) with its matrix: pdfium_redrawn
        self.texts: list[tuple[list[int], Affine]] = []


def _walk_objects(page: PdfiumPage, api: dict[str, Any], given: set[int] | None = None) -> _Objects:
    """Path objects (with their form matrices) and whether there is an image, forms included.

    ``given``: the text objects the text page gave glyphs of: text objects, whose type
    is not asked (on plain text pages that is every object: reportlab's samples put each
    word or glyph in its own).
    """
    out = _Objects()
    given = given or set()
    otype, paths = api["obj_type"], out.paths
    m = api["FS_MATRIX"]()
    h, get_obj = page.handle, api["get_obj"]
    top = [get_obj(h, k) for k in range(api["n_objs"](h))]
    if given and all(obj in given for obj in top):  # only text objects: nothing to sort
        out.texts.append((top, (1, 0, 0, 1, 0, 0)))
        page._paths = paths
        return out

    def walk(objs: Any, outer: Affine | None, depth: int) -> None:
        texts: list[int] = []
        out.texts.append((texts, outer or (1, 0, 0, 1, 0, 0)))
        for obj in objs:
            if not obj:
                continue
            if obj in given:
                texts.append(obj)
                continue
            t = otype(obj)
            if t == _TEXT:
                texts.append(obj)
            elif t == _PATH:
                paths.append((obj, outer or (1, 0, 0, 1, 0, 0)))
            elif t == _IMAGE:
                out.images = True
            elif t == _FORM and depth < 12:
                api["obj_matrix"](obj, byref(m))
                fm: Affine = (m.a, m.b, m.c, m.d, m.e, m.f)
                inner = [api["form_obj"](obj, k) for k in range(api["form_n"](obj))]
                walk(inner, mul(fm, outer) if outer else fm, depth + 1)

    walk(top, None, 0)
    page._paths = paths
    return out


# A path's segments as PDFium keeps them (CFX_Path::Point: x, y as floats, the segment type
# as FPDF_SEGMENT_*, the close flag; 12 bytes, in one array): read in one go instead of three
# calls per segment, once the first path object read both ways has shown that this PDFium
# build lays them out so. Otherwise (another layout) every segment goes through the API.
_SEGMENT = struct.Struct("<ffBB2x")
_SEGMENT_LAYOUT: dict[str, bool] = {}


def _segments(api: dict[str, Any], obj: int) -> list[tuple[float, float, int, int]]:
    """(x, y, type, close) of each segment of a path object, in path space."""
    n = api["n_segs"](obj)
    first = api["seg"](obj, 0) if n > 0 else None
    if not first:
        return []
    ok = _SEGMENT_LAYOUT.get("ok")
    if ok:
        return list(_SEGMENT.iter_unpack(ctypes.string_at(first, _SEGMENT.size * n)))
    px, py = c_float(), c_float()
    out = []
    for k in range(n):
        sg = api["seg"](obj, k)
        if not sg:
            continue
        api["seg_point"](sg, byref(px), byref(py))
        out.append((px.value, py.value, api["seg_type"](sg), api["seg_close"](sg)))
    if ok is None and n >= 2:
        same = len(out) == n and api["seg"](obj, n - 1) - first == _SEGMENT.size * (n - 1)
        _SEGMENT_LAYOUT["ok"] = same and list(
            _SEGMENT.iter_unpack(ctypes.string_at(first, _SEGMENT.size * n))) == out
    return out


_MATRIX = struct.Struct("=6f")  # FS_MATRIX: a, b, c, d, e, f as floats (native order)


def _page_subpaths(
    api: dict[str, Any], paths: list[tuple[int, Affine]], page: PdfiumPage,
) -> Iterator[tuple[list[tuple[float, float]], bool]]:
    """``_subpaths`` of every path object of a page, in order: the same sub-paths, with the
    calls per object bound once and the segment arrays read in one go where they can be."""
    m = api["FS_MATRIX"]()
    pm = byref(m)
    get_matrix, n_segs, first_seg = api["obj_matrix"], api["n_segs"], api["seg"]
    unpack_matrix = _MATRIX.unpack_from
    size, unpack, string_at = _SEGMENT.size, _SEGMENT.iter_unpack, ctypes.string_at
    to_plumber = page.to_plumber
    combined: dict[tuple[Any, ...], Affine] = {}  # most paths share a handful of matrices
    for obj, outer in paths:
        get_matrix(obj, pm)
        key = (unpack_matrix(m), outer)
        full = combined.get(key)
        if full is None:
            full = combined[key] = mul(mul(key[0], outer), to_plumber)
        n = n_segs(obj)
        first = first_seg(obj, 0) if n > 0 else None
        if not first:
            continue
        segs: Any = (unpack(string_at(first, size * n)) if _SEGMENT_LAYOUT.get("ok")
                     else _segments(api, obj))
        a, b, c, d, e, f = full
        pts: list[tuple[float, float]] = []
        closed = False
        for x, y, kind, close in segs:
            if pts and kind == _MOVETO:
                yield pts, closed
                pts, closed = [], False
            pts.append((x * a + y * c + e, x * b + y * d + f))
            if close:
                closed = True
        if pts:
            yield pts, closed


def _subpaths(
    api: dict[str, Any], obj: int, outer: Affine, page: PdfiumPage, m: Any = None, pm: Any = None,
    combined: dict[tuple[Any, ...], Affine] | None = None,
) -> list[tuple[list[tuple[float, float]], bool]]:
    """The sub-paths of one path object in pdfplumber coordinates: (points, closed).
    ``m``/``pm``: a scratch FS_MATRIX and its pointer; ``combined``: the page's cache of
    object matrix x form matrix x page transform (``rulings`` passes them for all its paths)."""
    if m is None:
        m = api["FS_MATRIX"]()
        pm = byref(m)
    if combined is None:
        combined = {}
    api["obj_matrix"](obj, pm)
    key = (m.a, m.b, m.c, m.d, m.e, m.f, outer)
    full = combined.get(key)
    if full is None:
        full = combined[key] = mul(mul(key[:6], outer), page.to_plumber)  # type: ignore[arg-type]
    a, b, c, d, e, f = full
    out: list[tuple[list[tuple[float, float]], bool]] = []
    pts: list[tuple[float, float]] = []
    closed = False
    for x, y, kind, close in _segments(api, obj):
        if pts and kind == _MOVETO:
            out.append((pts, closed))
            pts, closed = [], False
        pts.append((x * a + y * c + e, x * b + y * d + f))
        if close:
            closed = True
    if pts:
        out.append((pts, closed))
    return out
