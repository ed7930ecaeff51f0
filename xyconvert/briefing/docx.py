"""The briefing as Word (``<stem>.brief.docx``): same content as the Markdown.

Built on the English look of :mod:`xyconvert.writers.docx` (A4, page numbers,
Title / Heading 1–2 / Body Text styles with Latin and East Asian fonts), so a
briefing sits next to the converted report with the same typography. Chinese in
table cells (indicator names, policy terms) is tagged as Chinese with the SimSun
East Asian face. python-docx is imported only when rendering.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from xyconvert.briefing.build import BriefData
from xyconvert.briefing.markdown import DEFAULT_MAX_TERMS, Layout, layout

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
NOTE_STYLE = "Brief Note"
TABLE_FONT_PT = 9


def docx_bytes(data: BriefData, *, max_terms: int = DEFAULT_MAX_TERMS, reference_docx: Path | None = None) -> bytes:
    """Render the briefing DOCX in memory; with ``reference_docx``, in that template's styles."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    from xyconvert.writers import docx as base

    lay = layout(data, max_terms=max_terms)
    d = base._open_reference(reference_docx, "en") if reference_docx else base._new_default("en")
    _add_note_style(d, base)
    if reference_docx is None:  # a template's own body style is kept as it is
        # A briefing is read at a glance: a size smaller and tighter than the report's
        # English body text, so it fits on two pages or little more.
        body = d.styles[base.BODY_STYLE]
        body.font.size = Pt(11)
        body.paragraph_format.space_after = Pt(4)
        body.paragraph_format.line_spacing = 1.1
    w = _Writer(d, base)

    w.para(lay.title, "Title")
    sub = w.para(lay.subtitle, base.BODY_STYLE)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in sub.runs:
        run.italic = True
    for label, value in lay.facts:
        p = d.add_paragraph(style=base.BODY_STYLE)
        w.run(p, f"{label}: ", bold=True)
        w.run(p, value)

    w.para("Key indicators", "Heading 1")
    w.para(lay.table_intro, base.BODY_STYLE)
    if lay.table_rows:
        # The Chinese name goes under the English one: a column of its own leaves the
        # figures too narrow on A4 portrait.
        header = [lay.table_header[0], *lay.table_header[2:]]
        rows: list[list[str | tuple[str, str]]] = [
            [(r[0], r[1]), *r[2:]] for r in lay.table_rows
        ]
        w.table(header, rows, widths_mm=(47, 29, 20, 29, 20))

    w.para("Outline", "Heading 1")
    for level, text in lay.outline:
        p = w.para(text, base.BODY_STYLE)
        pf = p.paragraph_format
        pf.space_after = Pt(0)
        if level > 2:
            from docx.shared import Mm

            pf.left_indent = Mm(8)
        else:
            for run in p.runs:
                run.bold = True

    w.para("Policy terms used", "Heading 1")
    w.para(lay.terms_intro, base.BODY_STYLE)
    if lay.terms_rows:
        w.table(lay.terms_header, lay.terms_rows, widths_mm=(44, 87, 15))

    w.para("Summary", "Heading 1")
    if lay.summary_note:
        w.para(lay.summary_note, base.BODY_STYLE)
    for heading, text in lay.summaries:
        w.para(heading, "Heading 2")
        w.para(text, base.BODY_STYLE)

    for note in lay.notes:
        p = w.para(note, NOTE_STYLE)
        for run in p.runs:
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)

    _core_properties(d, data, lay, base)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


class _Writer:
    def __init__(self, d: Any, base: Any) -> None:
        self.d = d
        self.base = base
        self.specs = base._SPECS["en"]

    def para(self, text: str, style: str) -> Any:
        """A paragraph; `code` spans (commands to type) in a monospaced face."""
        p = self.d.add_paragraph(style=style)
        for i, piece in enumerate(text.split("`")):
            if not piece:
                continue
            run = self.run(p, piece, style=style)
            if i % 2:
                run.font.name = "Courier New"
        return p

    def run(self, p: Any, text: str, *, bold: bool = False, style: str | None = None) -> Any:
        base = self.base
        r = p.add_run(text)
        if bold:
            r.bold = True
        spec = self.specs.get(style or base.BODY_STYLE)
        rpr = r._r.get_or_add_rPr()
        if spec is not None:
            base._set_rfonts(rpr, spec.latin, spec.east_asia)
        if _CJK.search(text):
            base._mark_chinese(rpr)
        return r

    def table(
        self,
        header: list[str],
        rows: list[list[str | tuple[str, str]]],
        widths_mm: tuple[int, ...],
    ) -> Any:
        """A Table Grid table; a (text, second line) cell puts the second line in grey."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt, RGBColor

        base = self.base
        table = self.d.add_table(rows=len(rows) + 1, cols=len(header))
        table.style = self.d.styles[base.TABLE_STYLE]
        table.autofit = False
        # Column widths live in the grid (LibreOffice) and on each cell (Word).
        for c, width in enumerate(widths_mm[: len(header)]):
            table.columns[c].width = Mm(width)
        all_rows: list[list[str | tuple[str, str]]] = [list(header), *rows]
        for r, cells in enumerate(all_rows):
            row = table.rows[r]
            if r == 0:
                # Repeat the header row on every page the table runs onto.
                trpr = row._tr.get_or_add_trPr()
                el = OxmlElement("w:tblHeader")
                el.set(qn("w:val"), "true")
                trpr.append(el)
            for c, content in enumerate(cells):
                text, second = content if isinstance(content, tuple) else (content, "")
                cell = row.cells[c]
                if c < len(widths_mm):
                    cell.width = Mm(widths_mm[c])
                p = cell.paragraphs[0]
                p.paragraph_format.first_line_indent = Pt(0)
                p.paragraph_format.space_after = Pt(0)
                p.paragraph_format.line_spacing = 1.0
                if r > 0 and (header[c] in ("Growth", "Count") or _is_amount_col(header[c])):
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT  # figures line up
                run = self.run(p, text, bold=r == 0)
                run.font.size = Pt(TABLE_FONT_PT)
                if second:
                    run.add_break()
                    extra = self.run(p, second)
                    extra.font.size = Pt(TABLE_FONT_PT)
                    extra.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
        return table


def _is_amount_col(label: str) -> bool:
    return label.endswith(("result", "target", "Result", "Target"))


def _add_note_style(d: Any, base: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    style = d.styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = d.styles[base.BODY_STYLE]
    style.font.size = Pt(9)
    style.font.italic = True
    style.paragraph_format.space_after = Pt(4)


def _core_properties(d: Any, data: BriefData, lay: Layout, base: Any) -> None:
    h = data.header
    base.set_core_properties(
        d,
        title=f"{lay.title}: {lay.subtitle}",
        subject=h.occasion or "",
        author=h.speaker_name or "",
        language="en-US",
        source_name=data.source_name,
        source_sha256=data.source_sha256,
        made_by=f"Briefing by xyconvert {data.tool_version}",
        version=data.tool_version,
        date=h.date,
        keywords=f"xyconvert {data.tool_version}; briefing",
        category="briefing",
    )
