"""DOCX writers: Chinese, English and bilingual Word documents.

The look lives in paragraph styles (Title, Heading 1–3, Body Text, English Text),
so a user can restyle the whole document in Word, or hand us their own template
with ``--reference-docx`` the way pandoc does: we open the template, empty its
body, keep its styles, page setup, headers and footers, and write into it.

python-docx is imported inside the functions so ``xyconvert --help`` and the
text/Markdown paths stay fast and don't need it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from xyconvert import __version__
from xyconvert.atomic import write_bytes
from xyconvert.errors import OutputError, UnreadableInput
from xyconvert.model import Block, Document

if TYPE_CHECKING:  # pragma: no cover - typing only
    from docx.document import Document as DocxDocument

Lang = Literal["zh", "en", "bilingual"]

# Fonts. SimSun/SimHei/KaiTi ship with every Windows and with Office for Mac, the
# places DOCX is mostly read. Each gets a fallback name in the font table (w:altName)
# that names the free Noto CJK face, for LibreOffice and readers without the Windows fonts.
LATIN_SERIF = "Times New Roman"
LATIN_SANS = "Arial"
CJK_SERIF = "SimSun"  # 宋体: body text
CJK_SANS = "SimHei"  # 黑体: title and first-level headings (GB/T 9704 convention)
CJK_KAI = "KaiTi"  # 楷体: second-level headings (GB/T 9704 convention)
CJK_FALLBACK = {
    CJK_SERIF: "Noto Serif CJK SC",
    CJK_SANS: "Noto Sans CJK SC",
    CJK_KAI: "Noto Serif CJK SC",
}

BODY_STYLE = "Body Text"
ENGLISH_STYLE = "English Text"  # the English half of a bilingual pair
TABLE_STYLE = "Table Grid"

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class _Spec:
    """What our default look sets on one paragraph style."""

    latin: str
    east_asia: str
    size: float  # points
    bold: bool = False
    align: str | None = None  # "center" | "justify" | "left" | None (inherit)
    first_line_chars: int | None = None  # first-line indent in characters of this size
    before: float = 0.0  # points
    after: float = 0.0
    line: float | None = None  # line spacing multiple
    color: str = "000000"


# Chinese: sizes follow the Chinese type scale (二号 22pt, 三号 16pt, 四号 14pt,
# 小四 12pt). Body text is indented two characters and justified, as Chinese prose is.
_ZH_STYLES: dict[str, _Spec] = {
    "Title": _Spec(LATIN_SANS, CJK_SANS, 22, bold=True, align="center", after=18, line=1.2),
    "Heading 1": _Spec(LATIN_SANS, CJK_SANS, 16, before=12, after=6, line=1.2),
    "Heading 2": _Spec(LATIN_SERIF, CJK_KAI, 14, bold=True, before=6, after=3, line=1.2),
    "Heading 3": _Spec(LATIN_SERIF, CJK_SERIF, 12, bold=True, before=6, after=0, line=1.2),
    BODY_STYLE: _Spec(LATIN_SERIF, CJK_SERIF, 12, align="justify", first_line_chars=2, line=1.5),
}
# English: same structure, Latin faces; paragraphs separated by space, not indent.
_EN_STYLES: dict[str, _Spec] = {
    "Title": _Spec(LATIN_SANS, CJK_SANS, 20, bold=True, align="center", after=18, line=1.1),
    "Heading 1": _Spec(LATIN_SANS, CJK_SANS, 15, bold=True, before=14, after=6, line=1.1),
    "Heading 2": _Spec(LATIN_SANS, CJK_SANS, 13, bold=True, before=10, after=4, line=1.1),
    "Heading 3": _Spec(LATIN_SANS, CJK_SANS, 12, bold=True, before=8, after=2, line=1.1),
    # Left-aligned: without hyphenation, justified English opens wide gaps.
    BODY_STYLE: _Spec(
        LATIN_SERIF, CJK_SERIF, 12, align="left", first_line_chars=0, after=8, line=1.15
    ),
}
# Bilingual: the Chinese look, each Chinese paragraph followed by its English in a
# smaller grey style so the eye can tell the two apart at a glance.
_BI_STYLES: dict[str, _Spec] = {
    **_ZH_STYLES,
    BODY_STYLE: _Spec(
        LATIN_SERIF, CJK_SERIF, 12, align="justify", first_line_chars=2, after=3, line=1.5
    ),
    ENGLISH_STYLE: _Spec(
        LATIN_SERIF,
        CJK_SERIF,
        11,
        align="left",  # it inherits Body Text's justification otherwise
        first_line_chars=0,
        after=12,
        line=1.15,
        color="404040",
    ),
}
_SPECS: dict[Lang, dict[str, _Spec]] = {"zh": _ZH_STYLES, "en": _EN_STYLES, "bilingual": _BI_STYLES}


# ---------------------------------------------------------------------------
# public API


def write_docx(doc: Document, path: Path, *, reference_docx: Path | None = None) -> None:
    """Write the Chinese document as DOCX to ``path``."""
    _write(doc, None, "zh", path, reference_docx)


def write_docx_english(
    doc: Document,
    english: Sequence[str | None],
    path: Path,
    *,
    reference_docx: Path | None = None,
) -> None:
    """Write the English translation, same structure; ``english[i]`` translates ``doc.blocks[i]``.

    A ``None`` entry (tables, or a block the translator skipped) keeps the Chinese block.
    """
    _write(doc, english, "en", path, reference_docx)


def write_docx_bilingual(
    doc: Document,
    english: Sequence[str | None],
    path: Path,
    *,
    reference_docx: Path | None = None,
) -> None:
    """Write each Chinese block followed by its English (paragraph pairs)."""
    _write(doc, english, "bilingual", path, reference_docx)


# ---------------------------------------------------------------------------
# driver


def docx_bytes(
    doc: Document,
    english: Sequence[str | None] | None = None,
    *,
    lang: Lang = "zh",
    reference_docx: Path | None = None,
) -> bytes:
    """Render the DOCX in memory (``lang``: zh, en or bilingual) without writing it."""
    return _render(doc, english, lang, reference_docx)


def _write(
    doc: Document,
    english: Sequence[str | None] | None,
    lang: Lang,
    path: Path,
    reference_docx: Path | None,
) -> None:
    data = _render(doc, english, lang, reference_docx)
    try:
        write_bytes(Path(path), data)
    except OSError as exc:
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from exc


def _render(
    doc: Document,
    english: Sequence[str | None] | None,
    lang: Lang,
    reference_docx: Path | None,
) -> bytes:
    if english is not None and len(english) != len(doc.blocks):
        raise ValueError(f"english has {len(english)} entries for {len(doc.blocks)} blocks")
    docx_doc = _open_reference(reference_docx, lang) if reference_docx else _new_default(lang)
    writer = _BlockWriter(docx_doc, lang, styled=reference_docx is None)
    fm = front_matter(doc)
    centred = {fm.occasion_index, fm.speaker_index} - {None}
    for i, block in enumerate(doc.blocks):
        writer.write(block, english[i] if english is not None else None, centred=i in centred)
    _set_core_properties(docx_doc, doc, english, lang)

    buf = io.BytesIO()
    docx_doc.save(buf)
    return buf.getvalue()


def _new_default(lang: Lang) -> DocxDocument:
    """python-docx's stock template restyled with our look, A4, page numbers."""
    import docx
    from docx.shared import Mm

    d = docx.Document()
    _apply_look(d, lang)
    section = d.sections[0]
    # A4 with the margins Word uses for Chinese A4 documents (2.54 cm / 3.17 cm).
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25.4)
    section.left_margin = section.right_margin = Mm(31.7)
    section.header_distance, section.footer_distance = Mm(15), Mm(17.5)
    _add_page_number(section.footer)
    return d


def _open_reference(path: Path, lang: Lang) -> DocxDocument:
    """Open the user's template, empty its body, and make sure our styles exist in it."""
    import docx
    from docx.oxml.ns import qn

    path = Path(path)
    if not path.is_file():
        raise UnreadableInput(path, "reference DOCX not found")
    try:
        d = docx.Document(str(path))
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own
        raise UnreadableInput(path, f"not a readable DOCX file ({exc})") from exc

    body = d.element.body
    # Keep only the body-level sectPr: it carries page size, margins and the
    # header/footer references of the template.
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)

    # Styles the template defines win; the ones it lacks (Word templates often
    # hold Title or Heading 3 only as "latent" styles) come from our default look.
    ours = _new_default(lang)
    for name in _SPECS[lang]:
        _ensure_style(d, ours, name)
    _ensure_style(d, ours, TABLE_STYLE)

    footer = d.sections[-1].footer
    if footer.is_linked_to_previous or not _has_content(footer._element):
        _add_page_number(footer)
    return d


# ---------------------------------------------------------------------------
# styles


def _apply_look(d: DocxDocument, lang: Lang) -> None:
    from docx.oxml.ns import qn

    styles = d.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_rfonts(rpr, LATIN_SERIF, CJK_SERIF)
            lang_el = rpr.find(qn("w:lang"))
            if lang_el is not None:
                # eastAsia=zh-CN: Word then picks Simplified Chinese glyphs and line
                # breaking rules (the stock template says en-US).
                lang_el.set(qn("w:val"), "en-US")
                lang_el.set(qn("w:eastAsia"), "zh-CN")
        spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None:  # stock: 10pt after every paragraph; we set it per style
            spacing.set(qn("w:after"), "0")

    specs = _SPECS[lang]
    for name, spec in specs.items():
        try:
            style = styles[name]
        except KeyError:
            from docx.enum.style import WD_STYLE_TYPE

            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles[BODY_STYLE]
            style.quick_style = True
        _apply_spec(style, spec)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].next_paragraph_style = styles[BODY_STYLE]
    _add_font_fallbacks(d)


def _apply_spec(style: Any, spec: _Spec) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    el = style.element
    # The stock styles carry theme fonts (which override w:ascii/w:eastAsia),
    # theme colours and a border under Title: start the run properties afresh.
    if el.rPr is not None:
        el.remove(el.rPr)
    ppr = el.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for child in ppr.findall(qn(tag)):
            ppr.remove(child)

    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.color.rgb = RGBColor.from_string(spec.color)
    _set_rfonts(el.get_or_add_rPr(), spec.latin, spec.east_asia)

    # overflowPunct=1 says "punctuation may hang in the margin", which is what Word
    # does for Chinese anyway. LibreOffice's DOCX import reads this flag inverted
    # (hanging = val is 0) and, when it does hang a comma at the end of a justified
    # line, leaves it out of the page and the PDF; "1" keeps it in the line there.
    _set_ppr_flag(ppr, "w:overflowPunct", "1")

    pf = style.paragraph_format
    if spec.align == "center":
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif spec.align == "justify":
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif spec.align == "left":
        pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
    pf.space_before = Pt(spec.before)
    pf.space_after = Pt(spec.after)
    if spec.line is not None:
        pf.line_spacing = spec.line
    if spec.first_line_chars is not None:
        pf.first_line_indent = Pt(spec.size * spec.first_line_chars)
        # firstLineChars (hundredths of a character) is how Word says "2 characters";
        # Word prefers it and keeps it right when the font size changes, LibreOffice
        # reads the twips value set just above.
        ppr.get_or_add_ind().set(qn("w:firstLineChars"), str(spec.first_line_chars * 100))


# Child order of w:pPr from the OOXML schema (CT_PPrBase), from w:kinsoku on:
# Word rejects a file whose elements are out of order.
_PPR_ORDER = (
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _set_ppr_flag(ppr: Any, tag: str, val: str) -> None:
    """Set an on/off paragraph property (``<w:kinsoku w:val="0"/>`` …) in schema order."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = ppr.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        successors = _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]
        ppr.insert_element_before(el, *successors)
    el.set(qn("w:val"), val)


def _set_rfonts(rpr: Any, latin: str | None, east_asia: str | None) -> None:
    """Set ``w:rFonts`` on a run/style rPr, dropping theme-font attributes that would win."""
    from docx.oxml.ns import qn

    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    if latin:
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(attr), latin)
    if east_asia:
        rfonts.set(qn("w:eastAsia"), east_asia)


def _add_font_fallbacks(d: DocxDocument) -> None:
    """Declare our CJK fonts in fontTable.xml with a Noto CJK ``w:altName``."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    part = next((r.target_part for r in d.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    root = parse_xml(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in CJK_FALLBACK.items():
        if name in known:
            continue
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/>'
                "</w:font>"
            )
        )
    from lxml import etree

    # The font table is a plain (blob) part in python-docx; replace its bytes.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _ensure_style(target: DocxDocument, source: DocxDocument, name: str) -> None:
    """Copy style ``name`` (and what it is based on) from ``source`` unless ``target`` has it."""
    from docx.oxml.ns import qn

    if _find_style(target, name) is not None:
        return
    src = _find_style(source, name)
    if src is None:
        return
    if src.base_style is not None:
        _ensure_style(target, source, src.base_style.name)
    el = copy.deepcopy(src.element)
    for tag in ("w:link", "w:rsid"):
        for child in el.findall(qn(tag)):
            el.remove(child)
    # Style ids differ between templates (a Chinese Word names Body Text "a3"):
    # point basedOn/next at the target's ids for the same style names.
    for tag in ("w:basedOn", "w:next"):
        ref = el.find(qn(tag))
        if ref is None:
            continue
        ref_style = next((s for s in source.styles if s.style_id == ref.get(qn("w:val"))), None)
        tgt = _find_style(target, ref_style.name) if ref_style is not None else None
        if tgt is None:
            el.remove(ref)
        else:
            ref.set(qn("w:val"), tgt.style_id)
    target.styles.element.append(el)


def _find_style(d: DocxDocument, name: str) -> Any | None:
    try:
        return d.styles[name]
    except KeyError:
        return None


def _has_content(element: Any) -> bool:
    """True when a header/footer shows text or a field."""
    from docx.oxml.ns import qn

    if any(t.text for t in element.iter(qn("w:t"))):
        return True
    return any(True for _ in element.iter(qn("w:fldSimple"), qn("w:fldChar")))


def _add_page_number(footer: Any) -> None:
    """A centred PAGE field: Word and LibreOffice fill in the number when laying out."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    if para.text:
        para = footer.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = 0

    def fld_char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        para.add_run()._r.append(el)

    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    para.add_run()._r.append(instr)
    fld_char("separate")
    para.add_run("1")  # cached result, shown by readers that don't update fields
    fld_char("end")


# ---------------------------------------------------------------------------
# blocks


class _BlockWriter:
    """Turns model blocks into paragraphs/tables of one python-docx document.

    ``styled``: our own look (no template). Then runs also carry the fonts of
    their style, so text pasted into another document keeps its Chinese face.
    With a template, runs carry no fonts, so the template's styles govern.
    """

    def __init__(self, d: DocxDocument, lang: Lang, *, styled: bool) -> None:
        self.d = d
        self.lang = lang
        self.specs = _SPECS[lang] if styled else None

    def write(self, block: Block, english: str | None, *, centred: bool = False) -> None:
        """``centred``: a front-matter line under the title (occasion, speaker)."""
        start = len(self.d.paragraphs)
        self._write(block, english)
        if centred:
            from docx.enum.text import WD_ALIGN_PARAGRAPH
            from docx.oxml.ns import qn

            for para in self.d.paragraphs[start:]:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                para.paragraph_format.first_line_indent = 0
                # The style's character-based indent would win over a twips one.
                para._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "0")

    def _write(self, block: Block, english: str | None) -> None:
        if block.type == "table":
            self._table(block)
            if english and self.lang != "zh":  # a translated caption/summary, if given
                self._para(english, ENGLISH_STYLE if self.lang == "bilingual" else BODY_STYLE)
            return

        style = _style_for(block)
        zh = _with_marker(block.text, block.marker, latin=False)
        en = _with_marker(english, block.marker, latin=True) if english else None
        if self.lang == "zh" or en is None:
            # English document with a block the translator left out: keep the Chinese.
            self._para(zh, style)
        elif self.lang == "en":
            self._para(en, style, chinese=False)
        elif style == BODY_STYLE:
            self._para(zh, style)
            self._para(en, ENGLISH_STYLE, chinese=False)
        else:
            # Title and headings: one paragraph, Chinese line then English line, so the
            # navigation pane/TOC shows one entry per section rather than two.
            para = self._para(zh, style)
            para.add_run().add_break()
            run = self._run(para, en, style, chinese=False)
            spec = self.specs.get(style) if self.specs else None
            if spec is not None:  # the English line a step smaller than the Chinese
                from docx.shared import Pt

                run.font.size = Pt(round(spec.size * 0.75))

    def _para(self, text: str, style: str, *, chinese: bool = True) -> Any:
        para = self.d.add_paragraph(style=style)
        self._run(para, text, style, chinese=chinese)
        return para

    def _run(self, para: Any, text: str, style: str, *, chinese: bool) -> Any:
        # The repair stage removed control characters; a translation could bring one.
        run = para.add_run(_xml_text(text))
        rpr = run._r.get_or_add_rPr()
        spec = self.specs.get(style) if self.specs else None
        if spec is not None:
            _set_rfonts(rpr, spec.latin, spec.east_asia)
        if chinese and _CJK.search(text):
            _mark_chinese(rpr)
        return run

    def _table(self, block: Block) -> None:
        rows = [list(r) for r in (block.rows or []) if r is not None]
        if not rows:
            self._para(block.text, BODY_STYLE)
            return
        ncols = max(len(r) for r in rows)
        table = self.d.add_table(rows=len(rows), cols=ncols)
        if _find_style(self.d, TABLE_STYLE) is not None:
            table.style = self.d.styles[TABLE_STYLE]
        spec = self.specs.get(BODY_STYLE) if self.specs else None
        for r, row in enumerate(rows):
            for c in range(ncols):
                text = row[c] if c < len(row) else ""
                para = table.cell(r, c).paragraphs[0]
                if text:
                    rpr = para.add_run(_xml_text(text))._r.get_or_add_rPr()
                    if spec is not None:
                        _set_rfonts(rpr, spec.latin, spec.east_asia)
                    if _CJK.search(text):
                        _mark_chinese(rpr)


def _xml_text(text: str) -> str:
    from xyconvert.charclass import strip_controls

    return strip_controls(text)[0]


def _mark_chinese(rpr: Any) -> None:
    """Tag a run as Simplified Chinese text, whatever the styles say."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    # hint=eastAsia: characters both scripts share (“ ” — … ·) take the Chinese
    # face; without it Word draws Chinese quotes in Times New Roman.
    rpr.get_or_add_rFonts().set(qn("w:hint"), "eastAsia")
    # lang eastAsia=zh-CN: LibreOffice picks a Chinese face for SimSun only when
    # it knows the text is Chinese (else it fell back to a sans face here), and
    # Word uses Simplified Chinese line-breaking rules.
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # last child is the right place in the runs we build
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style_for(block: Block) -> str:
    if block.type == "title":
        return "Title"
    if block.type == "heading":
        if block.level <= 2:
            return "Heading 1"
        return "Heading 2" if block.level == 3 else "Heading 3"
    return BODY_STYLE  # paragraph, list_item: the marker is part of the text


_FULLWIDTH = str.maketrans("（）．、", "().,")


def _with_marker(text: str, marker: str | None, *, latin: bool) -> str:
    """List items: make sure the text starts with its marker (``1.``, ``（1）``).

    The numbering is literal text, not Word numbering: Word would renumber items
    and cannot produce markers like ``（一）``.
    """
    if not marker:
        return text
    if latin:
        ascii_marker = marker.translate(_FULLWIDTH)
        if text.startswith((marker, ascii_marker)):
            return text
        return f"{ascii_marker} {text}"
    return text if text.startswith(marker) else marker + text


# ---------------------------------------------------------------------------
# core properties



@dataclass
class FrontMatter:
    """What the lines under a report's title say: the occasion and the speaker."""

    occasion_index: int | None = None
    speaker_index: int | None = None
    speaker_name: str | None = None


def front_matter(doc: Document) -> FrontMatter:
    """Which blocks are the occasion and speaker lines (found by the repair stage)."""
    meta = doc.metadata
    out = FrontMatter(speaker_name=meta.speaker_name)
    for i, block in enumerate(doc.blocks[:8]):
        if block.type != "paragraph":
            continue
        if out.occasion_index is None and meta.occasion and block.text.startswith(meta.occasion):
            out.occasion_index = i  # the speaker may follow on the same line
        elif out.speaker_index is None and meta.speaker and block.text == meta.speaker:
            out.speaker_index = i
    return out


def _set_core_properties(
    d: DocxDocument, doc: Document, english: Sequence[str | None] | None, lang: Lang
) -> None:
    meta = doc.metadata
    fm = front_matter(doc)

    def pick(index: int | None, zh: str | None) -> str | None:
        if lang == "en" and english is not None and index is not None and english[index]:
            return english[index]
        return zh

    title_index = next((i for i, b in enumerate(doc.blocks) if b.type == "title"), None)
    zh_title = meta.title or (doc.blocks[title_index].text if title_index is not None else None)
    occasion = meta.occasion if fm.occasion_index is not None else None
    version = meta.tool_version or __version__

    set_core_properties(
        d,
        title=pick(title_index, zh_title) or "",
        subject=pick(fm.occasion_index, occasion) or "",
        author=fm.speaker_name or "",
        language="en-US" if lang == "en" else "zh-CN",
        source_name=meta.source_name,
        source_sha256=meta.source_sha256,
        made_by=f"Converted by xyconvert {version}",
        version=version,
        date=meta.date,
    )


def set_core_properties(
    d: DocxDocument,
    *,
    title: str,
    subject: str,
    author: str,
    language: str,
    source_name: str | None,
    source_sha256: str | None,
    made_by: str,
    version: str,
    date: str | None,
    keywords: str | None = None,
    category: str = "",
) -> None:
    """File properties; everything a template may carry is overwritten, so nothing leaks.

    Text properties hold at most 255 characters and no control characters
    (python-docx refuses more): longer ones are cut with an ellipsis.
    """
    cp = d.core_properties
    cp.title = _prop(title)
    cp.subject = _prop(subject)
    cp.author = _prop(author)
    cp.last_modified_by = f"xyconvert {version}"
    cp.keywords = keywords or f"xyconvert {version}"
    cp.category = category
    cp.content_status = ""
    cp.version = ""
    cp.language = language
    cp.identifier = f"sha256:{source_sha256}" if source_sha256 else ""
    source = []
    if source_sha256:
        source.append(f"sha256: {source_sha256}")
    source.append(made_by)
    if source_name:  # first, but the part that gives way when space runs out
        rest = "; ".join(source)
        source.insert(0, "Source: " + _prop(source_name, PROP_LIMIT - len(rest) - len("Source: ; ")))
    cp.comments = _prop("; ".join(source))
    cp.revision = 1
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    # created = the report's own date when it states one (as pandoc does with `date`).
    cp.created = _parse_date(date) or now
    cp.modified = now


PROP_LIMIT = 255  # characters in a core property (python-docx, Word)


def _prop(value: str, limit: int = PROP_LIMIT) -> str:
    from xyconvert.charclass import strip_controls

    value = " ".join(strip_controls(value)[0].split())
    limit = max(limit, 1)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            continue
    return None
