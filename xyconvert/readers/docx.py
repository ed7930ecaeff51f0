"""Word reader: a .docx file -> one page of lines, one line per Word paragraph.

A Word paragraph is a whole paragraph (never a wrapped line), so lines carry
``whole=True`` and repair does not join or split them by width. What Word makes
explicit is handed on as hints: heading styles and outline levels
(``heading_level``: 1 = title, 2 = ``一、`` level, 3 = ``（一）`` level, as
xyconvert's own DOCX writer maps them), bold and centred paragraphs, the font
size relative to the body text, automatic numbering (rendered into the text the
way Word shows it: ``一、``, ``（一）``, ``1.``) and tables. Full-width indents
(``　　``) and non-breaking spaces at the start or end of a paragraph are
layout, not text, and go. Headers, footers, comments and deleted revisions are
not body text and are skipped; text boxes too.
"""

from __future__ import annotations

import io
import re
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xyconvert.errors import UnreadableInput
from xyconvert.lines import SourceLine, SourcePage

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Heading style names in English and in Chinese Word ("标题 1").
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_TITLE_STYLES = {"title", "标题"}
_SKIP_ANCESTORS = {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent"}
_EDGE_SPACE = " \t\u3000\xa0\u2002\u2003\u2009\u200b\ufeff"
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def read_docx(data: bytes, path: Path | str = "<input>", warnings: list[str] | None = None) -> list[SourcePage]:
    """Read DOCX bytes. Raises ``UnreadableInput`` for a zip that is not a Word document."""
    import zipfile

    import docx  # python-docx; slow to import, so only here
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableInput(path, f"corrupt Word file ({type(exc).__name__}: {exc})"[:300]) from None
    except Exception as exc:  # lxml parse errors and the like: a broken file, not our bug
        if type(exc).__module__.split(".")[0] not in ("lxml", "docx", "zipfile"):
            raise
        raise UnreadableInput(path, f"corrupt Word file ({type(exc).__name__}: {exc})"[:300]) from None
    reader = _Reader(document)
    items = list(reader.items())
    lines = _to_lines(items)
    if reader.skipped_boxes and warnings is not None:
        warnings.append(f"{reader.skipped_boxes} text box(es) in the Word file were not read")
    return [SourcePage(1, lines)]


class _Para:
    __slots__ = ("text", "heading_level", "bold", "centered", "size", "table")

    def __init__(self, text: str, heading_level: int | None = None, bold: bool = False,
                 centered: bool = False, size: float | None = None,
                 table: tuple[tuple[str, ...], ...] | None = None) -> None:
        self.text = text
        self.heading_level = heading_level
        self.bold = bold
        self.centered = centered
        self.size = size
        self.table = table


def _title_by_heading(items: list[_Para]) -> None:
    """No *Title* style, but the first paragraph has a heading style used nowhere else
    (``Heading 1`` over a body of ``Heading 2`` sections): that is the title, and the
    other headings move up so the first section level is the ``一、`` level."""
    levels = [p.heading_level for p in items if p.heading_level]
    if not items or 1 in levels or not items[0].heading_level:
        return
    top = items[0].heading_level
    if levels.count(top) == 1 and len(levels) > 1:
        items[0].heading_level = 1
        # The sections below it start one style lower: Heading 2 is then the 一、 level.
        shift = min(lv for lv in levels[1:]) - 2
        for p in items[1:]:
            if p.heading_level and shift > 0:
                p.heading_level = max(2, p.heading_level - shift)


def _to_lines(items: list[_Para]) -> list[SourceLine]:
    _title_by_heading(items)
    sizes = [p.size for p in items if p.size and p.table is None for _ in range(max(1, len(p.text) // 20))]
    body = statistics.median(sizes) if sizes else None
    out = []
    for k, p in enumerate(items, start=1):
        size = round(p.size / body, 3) if body and p.size else (1.0 if body else None)
        if p.table is not None:
            out.append(SourceLine(p.text, 1, k, whole=True, is_table=True, table=p.table))
            continue
        out.append(
            SourceLine(
                p.text, 1, k, size=size, bold=p.bold, centered=p.centered,
                whole=True, heading_level=p.heading_level,
            )
        )
    return out


class _Reader:
    def __init__(self, document: Any) -> None:  # noqa: ANN401 - python-docx Document
        self.document = document
        self.styles = {s.style_id: s for s in document.styles if s.type is not None}
        self.numbering = _Numbering(document)
        self.skipped_boxes = 0
        self.default_size = _default_size(document)

    def items(self) -> Iterator[_Para]:
        yield from self._walk(self.document.element.body)

    def _walk(self, parent: Any) -> Iterator[_Para]:  # noqa: ANN401 - lxml element
        for child in parent.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                para = self._paragraph(child)
                if para is not None:
                    yield para
            elif tag == f"{_W}tbl":
                table = self._table(child)
                if table is not None:
                    yield table
            elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"):
                yield from self._walk(child.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else child)

    # -- paragraphs -------------------------------------------------------
    def _paragraph(self, p: Any) -> _Para | None:  # noqa: ANN401
        from docx.text.paragraph import Paragraph

        self.skipped_boxes += len(p.findall(f".//{_W}txbxContent"))
        runs = self._runs(p)
        text = _join_runs([t for t, _, _ in runs])
        para = Paragraph(p, self.document.part)
        label = self.numbering.label(p, para.style)
        if label:
            text = label + text.lstrip(_EDGE_SPACE)
        text = text.strip(_EDGE_SPACE)
        if not text.strip():
            return None
        visible = [(t, b, s) for t, b, s in runs if t.strip(_EDGE_SPACE)]
        bold = bool(visible) and all(b for _, b, _ in visible)
        sizes = [s for t, _, s in visible for _ in range(len(t)) if s]
        size = max(set(sizes), key=sizes.count) if sizes else self._style_size(para.style)
        return _Para(
            text,
            heading_level=self._heading_level(p, para.style),
            bold=bold,
            centered=_centered(para),
            size=size,
        )

    def _runs(self, p: Any) -> list[tuple[str, bool, float | None]]:  # noqa: ANN401
        from docx.text.run import Run

        out = []
        for r in p.iter(f"{_W}r"):
            if _inside_skipped(r, p):
                continue
            run = Run(r, None)  # type: ignore[arg-type]
            parts = []
            for el in r.iterchildren():
                tag = el.tag
                if tag == f"{_W}t":
                    parts.append(el.text or "")
                elif tag == f"{_W}tab":
                    parts.append("\t")
                elif tag in (f"{_W}br", f"{_W}cr") and el.get(f"{_W}type") not in ("page", "column"):
                    parts.append("\n")
                elif tag == f"{_W}noBreakHyphen":
                    parts.append("-")
            if run.font.hidden:
                continue
            text = "".join(parts)
            if text:
                out.append((text, self._run_bold(run, p), self._run_size(run, p)))
        return out

    def _run_bold(self, run: Any, p: Any) -> bool:  # noqa: ANN401
        if run.font.bold is not None:
            return bool(run.font.bold)
        rpr = run._r.rPr
        if rpr is not None and rpr.rStyle is not None:
            bold = _style_attr(self.styles.get(rpr.rStyle.val), "bold")
            if bold is not None:
                return bool(bold)
        return bool(_style_attr(self._para_style(p), "bold"))

    def _run_size(self, run: Any, p: Any) -> float | None:  # noqa: ANN401
        if run.font.size is not None:
            return run.font.size.pt
        return self._style_size(self._para_style(p))

    def _style_size(self, style: Any) -> float | None:  # noqa: ANN401
        size = _style_attr(style, "size")
        return size.pt if size is not None else self.default_size

    def _para_style(self, p: Any) -> Any:  # noqa: ANN401
        ppr = p.pPr
        sid = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        return self.styles.get(sid) if sid else self.document.styles.default(_paragraph_type())

    def _heading_level(self, p: Any, style: Any) -> int | None:  # noqa: ANN401
        """Title style -> 1; Heading N / outline level N-1 -> N+1 (Heading 1 is the ``一、`` level)."""
        outline = _outline_level(p)
        s = style
        while s is not None and outline is None:
            name = (s.name or "").strip().lower()
            if name in _TITLE_STYLES:
                return 1
            m = _HEADING_STYLE.match(name)
            if m:
                return min(6, int(m.group(1)) + 1)
            outline = _outline_level(s.element)
            s = s.base_style
        if outline is not None and outline < 9:  # 9 means "body text"
            return min(6, outline + 2)
        return None

    # -- tables -----------------------------------------------------------
    def _table(self, tbl: Any) -> _Para | None:  # noqa: ANN401
        rows: list[tuple[str, ...]] = []
        for tr in tbl.iterchildren(f"{_W}tr"):
            cells = []
            for tc in tr.iterchildren(f"{_W}tc"):
                # A cell's paragraphs (and any table nested in it) run together, as wrapped lines do.
                texts = [para.text for para in self._walk(tc)]
                tcpr = tc.find(f"{_W}tcPr")
                merged = tcpr is not None and tcpr.find(f"{_W}vMerge") is not None
                vmerge = tcpr.find(f"{_W}vMerge") if merged else None
                # A vertically merged continuation cell shows nothing of its own.
                continued = vmerge is not None and vmerge.get(f"{_W}val") in (None, "continue")
                cells.append("" if continued else _join_runs(["\n".join(texts)]))
                span = tcpr.find(f"{_W}gridSpan") if tcpr is not None else None
                if span is not None:
                    cells.extend([""] * (int(span.get(f"{_W}val", "1")) - 1))
            if any(c.strip() for c in cells):
                rows.append(tuple(cells))
        if not rows:
            return None
        width = max(len(r) for r in rows)
        rows = [r + ("",) * (width - len(r)) for r in rows]
        text = " ".join(c for r in rows for c in r if c)
        return _Para(text, table=tuple(rows))


def _paragraph_type() -> Any:  # noqa: ANN401
    from docx.enum.style import WD_STYLE_TYPE

    return WD_STYLE_TYPE.PARAGRAPH


def _inside_skipped(el: Any, stop: Any) -> bool:  # noqa: ANN401
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag in _SKIP_ANCESTORS:
            return True
        node = node.getparent()
    return False


def _join_runs(parts: list[str]) -> str:
    """Runs concatenated; a soft line break inside a paragraph is a wrap: no space between
    Chinese characters, one space between Latin words."""
    text = "".join(parts)
    if "\n" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        before, after = m.group(1), m.group(2)
        if _CJK.match(before) or _CJK.match(after):
            return before + after
        return before + " " + after

    return re.sub(r"(.)[ \t]*\n[ \t]*(.)", repl, text, flags=re.S).replace("\n", "")


def _style_attr(style: Any, attr: str) -> Any:  # noqa: ANN401
    while style is not None:
        value = getattr(style.font, attr, None) if hasattr(style, "font") else None
        if value is not None:
            return value
        style = style.base_style
    return None


def _outline_level(el: Any) -> int | None:  # noqa: ANN401
    ppr = el.find(f"{_W}pPr")
    node = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if node is None:
        return None
    try:
        return int(node.get(f"{_W}val"))
    except (TypeError, ValueError):
        return None


def _centered(para: Any) -> bool:  # noqa: ANN401
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    alignment = para.paragraph_format.alignment
    style = para.style
    while alignment is None and style is not None:
        alignment = style.paragraph_format.alignment
        style = style.base_style
    return alignment == WD_ALIGN_PARAGRAPH.CENTER


def _default_size(document: Any) -> float | None:  # noqa: ANN401
    styles = document.styles.element
    node = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
    try:
        return int(node.get(f"{_W}val")) / 2 if node is not None else None
    except (TypeError, ValueError):
        return None


# -- automatic numbering ---------------------------------------------------
_CN = "〇一二三四五六七八九"


def _chinese_number(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        return _chinese_number(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt in ("bullet", "none"):
        return ""
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


class _Numbering:
    """Word's automatic list numbers (numbering.xml), rendered as Word shows them."""

    def __init__(self, document: Any) -> None:  # noqa: ANN401
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for an in root.iterchildren(f"{_W}abstractNum"):
            levels = {}
            for lvl in an.iterchildren(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    txt.get(f"{_W}val", "") if txt is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[an.get(f"{_W}abstractNumId")] = levels
        for num in root.iterchildren(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})

    def label(self, p: Any, style: Any) -> str:  # noqa: ANN401
        num_id, ilvl = _num_pr(p)
        s = style
        while num_id is None and s is not None:
            num_id, style_ilvl = _num_pr(s.element)
            ilvl = ilvl if ilvl is not None else style_ilvl
            s = s.base_style
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return ""
        ilvl = ilvl or 0
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [lv for lv in counters if lv > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return ""

        def repl(m: re.Match[str]) -> str:
            lv = int(m.group(1)) - 1
            lv_fmt, _, lv_start = levels.get(lv, ("decimal", "", 1))
            return _format_number(counters.get(lv, lv_start), fmt if lv == ilvl else lv_fmt)

        return re.sub(r"%(\d)", repl, text)


def _num_pr(el: Any) -> tuple[str | None, int | None]:  # noqa: ANN401
    ppr = el.find(f"{_W}pPr")
    numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
    if numpr is None:
        return None, None
    nid = numpr.find(f"{_W}numId")
    lvl = numpr.find(f"{_W}ilvl")
    return (
        nid.get(f"{_W}val") if nid is not None else None,
        int(lvl.get(f"{_W}val", "0")) if lvl is not None else None,
    )
