"""DOCX writers: write real files, reopen them with python-docx and check the structure.

The documents come from samples/seed_gold.md (the hand-made gold conversion of the
seed report) plus a small document with a table and a list item. The English lists
are test data (``f"EN {i}"``), not a translation engine.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xyconvert.errors import UNREADABLE_INPUT, UnreadableInput
from xyconvert.model import Block, Document, Metadata, Provenance
from xyconvert.writers.docx import (
    CJK_SANS,
    CJK_SERIF,
    front_matter,
    write_docx,
    write_docx_bilingual,
    write_docx_english,
)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SHA = "0123456789abcdef" * 4
CJK = re.compile(r"[\u3400-\u9fff]")


# ------------------------------------------------------------------ documents


def _gold_document() -> Document:
    """seed_gold.md as a Document: ``#`` title, ``##`` level 2, ``###`` level 3."""
    text = (SAMPLES / "seed_gold.md").read_text(encoding="utf-8")
    blocks: list[Block] = []
    for n, chunk in enumerate(re.split(r"\n\s*\n", text)):
        chunk = chunk.strip()
        if not chunk:
            continue
        m = re.match(r"(#{1,6})\s+(.*)", chunk, re.S)
        if m and len(m.group(1)) == 1:
            blocks.append(Block("title", m.group(2)))
        elif m:
            blocks.append(Block("heading", m.group(2), level=len(m.group(1))))
        else:
            blocks.append(Block("paragraph", chunk, provenance=Provenance(lines=(n,))))
    meta = Metadata(
        title=blocks[0].text,
        date="2024-01-26",
        # what the repair stage finds under the title (see test_core_pipeline)
        occasion=blocks[1].text,
        speaker=blocks[2].text,
        speaker_name="热合木·艾木拉",
        source_name="seed_report.txt",
        source_sha256=SHA,
        source_format="txt",
        tool_version="9.9.9",
    )
    return Document(meta, blocks)


def _small_document() -> Document:
    blocks = [
        Block("title", "关于2023年预算执行情况的报告"),
        Block("paragraph", "2024年1月26日在某县人民代表大会上"),
        Block("heading", "一、主要指标", level=2),
        Block("paragraph", "全县“十四五”规划实施顺利——主要指标如下表。"),
        Block(
            "table",
            "指标 数值 增速 地区生产总值 137.46亿元 8.4% 备注",
            rows=[["指标", "数值", "增速"], ["地区生产总值", "137.46亿元", "8.4%"], ["备注"]],
        ),
        Block("heading", "（一）重点任务", level=3),
        Block("list_item", "加快推进工业园区建设。", marker="1."),
        Block("list_item", "（2）稳定粮食生产。", marker="（2）"),
        Block("heading", "1.深层标题", level=4),
        Block("paragraph", "GDP增长8.4%，CPI保持稳定。"),
    ]
    meta = Metadata(title=blocks[0].text, occasion=blocks[1].text, tool_version="9.9.9")
    return Document(meta, blocks)


@pytest.fixture(scope="module")
def gold() -> Document:
    return _gold_document()


@pytest.fixture(scope="module")
def small() -> Document:
    return _small_document()


def _english(doc: Document) -> list[str | None]:
    return [None if b.type == "table" else f"EN {i}" for i, b in enumerate(doc.blocks)]


# ------------------------------------------------------------------ helpers


def _body_items(d) -> list[tuple[str, object]]:
    """Body content in document order: ("p", Paragraph) and ("table", Table)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[tuple[str, object]] = []
    for child in d.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(("p", Paragraph(child, d)))
        elif child.tag == qn("w:tbl"):
            out.append(("table", Table(child, d)))
    return out


def _texts(d, style: str) -> list[str]:
    return [p.text for p in d.paragraphs if p.style.name == style]


def _rfonts(run) -> dict[str, str]:
    rpr = run._r.rPr
    el = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if el is None:
        return {}
    return {k.split("}")[1]: v for k, v in el.attrib.items()}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------ Chinese


def test_headings_and_paragraphs_match_the_model(gold: Document, tmp_path: Path) -> None:
    out = tmp_path / "r.zh.docx"
    write_docx(gold, out)
    d = docx.Document(str(out))

    blocks = gold.blocks
    assert _texts(d, "Title") == [b.text for b in blocks if b.type == "title"]
    assert _texts(d, "Heading 1") == [
        b.text for b in blocks if b.type == "heading" and b.level == 2
    ]
    assert _texts(d, "Heading 2") == [
        b.text for b in blocks if b.type == "heading" and b.level == 3
    ]
    assert _texts(d, "Body Text") == [b.text for b in blocks if b.type == "paragraph"]
    # One paragraph per block, in the model's order, nothing else in the body.
    assert [p.text for p in d.paragraphs] == [b.text for b in blocks]
    assert len(_texts(d, "Heading 1")) == 3 and len(_texts(d, "Heading 2")) == 21


def test_chinese_runs_and_styles_carry_an_east_asian_font(gold: Document, tmp_path: Path) -> None:
    out = tmp_path / "r.zh.docx"
    write_docx(gold, out)
    d = docx.Document(str(out))

    expected = {"Title": CJK_SANS, "Heading 1": CJK_SANS, "Body Text": CJK_SERIF}
    checked = 0
    for p in d.paragraphs:
        for run in p.runs:
            if not CJK.search(run.text):
                continue
            fonts = _rfonts(run)
            if p.style.name in expected:
                assert fonts["eastAsia"] == expected[p.style.name], p.text[:20]
            assert fonts["ascii"] and not CJK.search(fonts["ascii"])  # Latin face for Latin text
            assert fonts["hint"] == "eastAsia"
            assert run._r.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
            checked += 1
    assert checked >= len(gold.blocks)

    # The styles say the same, so restyling in Word or pasting keeps Chinese faces.
    for name, face in expected.items():
        rfonts = d.styles[name].element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == face
        assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it
    defaults = d.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == CJK_SERIF
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_body_text_is_indented_two_characters_and_justified(gold: Document, tmp_path: Path) -> None:
    out = tmp_path / "r.zh.docx"
    write_docx(gold, out)
    d = docx.Document(str(out))

    style = d.styles["Body Text"]
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert style.paragraph_format.first_line_indent == 2 * style.font.size == Pt(24)
    ind = style.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    # See _apply_spec: "1" keeps LibreOffice from dropping line-end commas.
    assert style.element.pPr.find(qn("w:overflowPunct")).get(qn("w:val")) == "1"
    body = [p for p in d.paragraphs if p.style.name == "Body Text"]
    assert body
    front = {gold.metadata.occasion, gold.metadata.speaker}
    for p in body:
        if p.text in front:  # occasion and speaker lines: centred under the title
            assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
            assert p.paragraph_format.first_line_indent == 0
            ind = p._p.pPr.find(qn("w:ind"))
            assert ind.get(qn("w:firstLineChars")) == "0"
        else:  # the style governs: no paragraph overrides it
            assert p.paragraph_format.first_line_indent is None
            assert p.paragraph_format.alignment is None
    for name in ("Title", "Heading 1", "Heading 2"):
        assert d.styles[name].paragraph_format.first_line_indent is None
    assert d.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_a4_page_and_page_number_field(gold: Document, tmp_path: Path) -> None:
    out = tmp_path / "r.zh.docx"
    write_docx(gold, out)
    d = docx.Document(str(out))

    (section,) = d.sections
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    for margin in (section.top_margin, section.bottom_margin):
        assert Mm(20) <= margin <= Mm(40)
    for margin in (section.left_margin, section.right_margin):
        assert Mm(20) <= margin <= Mm(40)
    footer = section.footer._element
    instr = "".join(t.text or "" for t in footer.iter(qn("w:instrText")))
    assert instr.split() == ["PAGE"]
    kinds = [f.get(qn("w:fldCharType")) for f in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]


def test_core_properties(gold: Document, tmp_path: Path) -> None:
    out = tmp_path / "r.zh.docx"
    write_docx(gold, out)
    cp = docx.Document(str(out)).core_properties

    assert cp.title == "政府工作报告"
    assert cp.subject == "2024年1月26日在新源县第十八届人民代表大会第四次会议上"
    assert cp.author == "热合木·艾木拉"  # from 新源县委副书记、政府县长热合木·艾木拉
    assert cp.created.date() == dt.date(2024, 1, 26)
    assert "seed_report.txt" in cp.comments and SHA in cp.comments
    assert "9.9.9" in cp.keywords
    assert cp.identifier == f"sha256:{SHA}"
    assert cp.language == "zh-CN"


def test_front_matter_without_speaker(small: Document) -> None:
    fm = front_matter(small)
    assert fm.occasion_index == 1
    assert fm.speaker_index is None and fm.speaker_name is None


def test_table_list_item_and_deep_heading(small: Document, tmp_path: Path) -> None:
    out = tmp_path / "s.zh.docx"
    write_docx(small, out)
    d = docx.Document(str(out))

    (table,) = d.tables
    assert table.style.name == "Table Grid"
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells == [
        ["指标", "数值", "增速"],
        ["地区生产总值", "137.46亿元", "8.4%"],
        ["备注", "", ""],
    ]
    items = _body_items(d)
    kinds = ["table" if k == "table" else "p" for k, _ in items]
    assert kinds == ["p"] * 4 + ["table"] + ["p"] * 5  # the table sits where the block was
    # The marker is literal text (Word numbering could not write （2）), never doubled.
    assert _texts(d, "Body Text")[2:4] == ["1.加快推进工业园区建设。", "（2）稳定粮食生产。"]
    assert _texts(d, "Heading 3") == ["1.深层标题"]
    cp = d.core_properties
    assert cp.author == "" and cp.subject == "2024年1月26日在某县人民代表大会上"
    assert cp.created.year >= 2024  # no date in the metadata: the time of writing


def test_output_is_written_atomically(small: Document, tmp_path: Path) -> None:
    out = tmp_path / "new" / "dir" / "s.zh.docx"
    write_docx(small, out)
    write_docx(small, out)  # overwriting works too
    assert [p.name for p in out.parent.iterdir()] == ["s.zh.docx"]  # no .part left behind


# ------------------------------------------------------------------ English / bilingual


def test_english_document_same_structure(gold: Document, tmp_path: Path) -> None:
    out = tmp_path / "r.en.docx"
    english = _english(gold)
    write_docx_english(gold, english, out)
    d = docx.Document(str(out))

    assert [p.text for p in d.paragraphs] == english
    kinds = [b.type for b in gold.blocks]
    assert _texts(d, "Title") == [e for e, k in zip(english, kinds, strict=True) if k == "title"]
    assert _texts(d, "Heading 1") == [
        english[i] for i, b in enumerate(gold.blocks) if b.type == "heading" and b.level == 2
    ]
    assert _texts(d, "Heading 2") == [
        english[i] for i, b in enumerate(gold.blocks) if b.type == "heading" and b.level == 3
    ]
    for p in d.paragraphs:
        for run in p.runs:
            fonts = _rfonts(run)
            assert fonts["ascii"] == fonts["hAnsi"]  # Latin face
            assert "hint" not in fonts  # English quotes stay in the Latin face
    body = d.styles["Body Text"].paragraph_format
    assert not body.first_line_indent  # English: space between paragraphs, no indent
    cp = d.core_properties
    assert cp.title == "EN 0" and cp.subject == "EN 1" and cp.language == "en-US"


def test_english_keeps_tables_and_untranslated_blocks(small: Document, tmp_path: Path) -> None:
    out = tmp_path / "s.en.docx"
    english = _english(small)
    english[3] = None  # the translator skipped this paragraph: keep the Chinese
    write_docx_english(small, english, out)
    d = docx.Document(str(out))

    texts = [p.text for p in d.paragraphs]
    assert texts[3] == small.blocks[3].text
    assert texts[5] == "1. EN 6"  # list marker kept in front of the English
    assert texts[6] == "(2) EN 7"
    assert [[c.text for c in r.cells] for r in d.tables[0].rows][1] == [
        "地区生产总值",
        "137.46亿元",
        "8.4%",
    ]


def test_english_list_must_match_blocks(small: Document, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_docx_english(small, ["EN"], tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_bilingual_pairs_each_block_with_its_english(gold: Document, tmp_path: Path) -> None:
    doc = Document(gold.metadata, gold.blocks + _small_document().blocks[2:])
    english = _english(doc)
    out = tmp_path / "r.bilingual.docx"
    write_docx_bilingual(doc, english, out)
    d = docx.Document(str(out))

    items = iter(_body_items(d))
    for i, block in enumerate(doc.blocks):
        kind, item = next(items)
        if block.type == "table":
            assert kind == "table"
            assert item.rows[0].cells[0].text == block.rows[0][0]
        elif block.type in ("title", "heading"):
            # One heading paragraph: Chinese line, then its English line.
            zh, en = item.text.split("\n")
            assert zh == block.text and en == f"EN {i}"
            assert item.style.name in ("Title", "Heading 1", "Heading 2", "Heading 3")
        else:
            assert item.style.name == "Body Text" and block.text.endswith(item.text[-5:])
            kind, item = next(items)
            assert item.style.name == "English Text" and item.text.endswith(f"EN {i}")
    assert next(items, None) is None

    en_style = d.styles["English Text"]
    assert en_style.base_style.name == "Body Text"
    assert en_style.paragraph_format.first_line_indent == 0


# ------------------------------------------------------------------ --reference-docx


def _make_reference(path: Path) -> None:
    """A user's template: distinctive Body Text, no Title style, a header, some content."""
    d = docx.Document()
    body = d.styles["Body Text"]
    body.font.name = "Courier New"
    body.font.size = Pt(15)
    body.element.rPr.find(qn("w:rFonts")).set(qn("w:eastAsia"), "FangSong")
    d.styles["Heading 1"].font.size = Pt(21)
    title = d.styles["Title"].element
    title.getparent().remove(title)
    d.sections[0].header.paragraphs[0].text = "TEMPLATE HEADER"
    d.add_paragraph("TEMPLATE BODY TEXT", style="Body Text")
    d.add_table(rows=1, cols=1).cell(0, 0).text = "TEMPLATE TABLE"
    d.save(str(path))


def test_reference_docx_styles_are_used(small: Document, tmp_path: Path) -> None:
    ref = tmp_path / "ref.docx"
    _make_reference(ref)
    out = tmp_path / "s.zh.docx"
    write_docx(small, out, reference_docx=ref)
    d = docx.Document(str(out))

    # Its body content is gone, its header and page setup stay.
    all_text = [p.text for p in d.paragraphs]
    assert "TEMPLATE BODY TEXT" not in all_text and len(d.tables) == 1
    assert all_text == [
        b.text if b.marker is None or b.text.startswith(b.marker) else b.marker + b.text
        for b in small.blocks
        if b.type != "table"
    ]
    section = d.sections[0]
    assert section.header.paragraphs[0].text == "TEMPLATE HEADER"
    assert abs(section.page_width - docx.Document().sections[0].page_width) < Mm(0.5)  # Letter
    # Its styles govern: the runs carry no fonts or sizes of their own.
    body = d.styles["Body Text"]
    assert body.font.name == "Courier New" and body.font.size == Pt(15)
    assert body.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "FangSong"
    assert d.styles["Heading 1"].font.size == Pt(21)
    for p in d.paragraphs:
        for run in p.runs:
            assert run.font.size is None and run.font.name is None
            assert "eastAsia" not in _rfonts(run)
    # The style it lacked comes from our look; the footer it lacked gets page numbers.
    assert _texts(d, "Title") == [small.blocks[0].text]
    assert d.styles["Title"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == CJK_SANS
    instr = "".join(t.text for t in section.footer._element.iter(qn("w:instrText")))
    assert "PAGE" in instr


def test_reference_docx_for_bilingual_adds_english_style(small: Document, tmp_path: Path) -> None:
    ref = tmp_path / "ref.docx"
    _make_reference(ref)
    out = tmp_path / "s.bilingual.docx"
    write_docx_bilingual(small, _english(small), out, reference_docx=ref)
    d = docx.Document(str(out))
    en = d.styles["English Text"]
    assert en.base_style.name == "Body Text"  # inherits the template's face and size
    assert en.font.size == Pt(11)
    assert _texts(d, "English Text") == ["EN 1", "EN 3", "1. EN 6", "(2) EN 7", "EN 9"]


@pytest.mark.parametrize("content", [None, b"not a zip", b"PK\x03\x04broken"])
def test_unreadable_reference_docx(small: Document, tmp_path: Path, content: bytes | None) -> None:
    ref = tmp_path / "ref.docx"
    if content is not None:
        ref.write_bytes(content)
    with pytest.raises(UnreadableInput) as info:
        write_docx(small, tmp_path / "out.docx", reference_docx=ref)
    assert info.value.exit_code == UNREADABLE_INPUT
    assert str(ref) in str(info.value)
    assert not (tmp_path / "out.docx").exists()


# ------------------------------------------------------------------ LibreOffice


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) not installed")
    return exe


def _to_pdf(exe: str, src: Path, tmp_path: Path) -> Path:
    # A private profile: no clash with a running LibreOffice or another test run.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / (src.stem + ".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def _pdf_text(pdf: Path) -> tuple[int, str]:
    """Text of all pages, whitespace removed, without the page-number footer lines."""
    import pdfplumber

    parts = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            lines = (page.extract_text() or "").splitlines()
            if lines and lines[-1].strip() == str(number):
                lines.pop()  # the PAGE field, rendered
            else:
                raise AssertionError(f"page {number} has no page number: {lines[-1:]}")
            parts.append("".join(lines))
        return len(doc.pages), _squash("".join(parts))


@pytest.mark.slow
def test_libreoffice_renders_paragraphs_in_order(gold: Document, tmp_path: Path) -> None:
    exe = _soffice()
    src = tmp_path / "report.zh.docx"
    write_docx(gold, src)
    pages, text = _pdf_text(_to_pdf(exe, src, tmp_path))

    assert pages >= 2
    pos = 0
    for block in gold.blocks:
        want = _squash(block.text)
        found = text.find(want, pos)
        assert found >= 0, f"not found in order: {block.text[:30]}…"
        pos = found + len(want)


@pytest.mark.slow
def test_libreoffice_renders_bilingual_with_table(small: Document, tmp_path: Path) -> None:
    exe = _soffice()
    src = tmp_path / "s.bilingual.docx"
    write_docx_bilingual(small, _english(small), src)
    _, text = _pdf_text(_to_pdf(exe, src, tmp_path))

    expected = []
    for i, block in enumerate(small.blocks):
        if block.type == "table":
            expected += [c for row in block.rows for c in row]
        else:
            expected += [block.text, f"EN{i}"]
    pos = 0
    for want in map(_squash, expected):
        found = text.find(want, pos)
        assert found >= 0, f"not found in order: {want}"
        pos = found + len(want)
