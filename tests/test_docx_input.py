"""DOCX input: real Word reports against their gold, Word styles, numbering, tables, errors."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from support.scoring import score

from xyconvert.cli import main
from xyconvert.pipeline import load_document
from xyconvert.writers.markdown import to_markdown

ROOT = Path(__file__).resolve().parent.parent
OTHER = ROOT.parent / "shared" / "samples" / "other_reports"
REPORTS = sorted(OTHER.glob("*.docx")) if OTHER.is_dir() else []


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.mark.skipif(not REPORTS, reason="../shared/samples/other_reports not present")
@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_word_reports_match_gold(tmp_path: Path, path: Path) -> None:
    code, out = run("convert", str(path), "-o", str(tmp_path))
    assert code == 0, out
    md = (tmp_path / (path.stem + ".zh.md")).read_text(encoding="utf-8")
    s = score(md, (OTHER / (path.stem + ".gold.md")).read_text(encoding="utf-8"))
    assert s.passes(char=0.999, para=0.97, heading=0.97, max_cjk_spaces=0), str(s)


def test_our_own_docx_reads_back_to_the_gold(tmp_path: Path, seed_report: Path, gold_md: str) -> None:
    """Title / Heading 1 / Heading 2 styles written by our DOCX writer are trusted on the way back."""
    code, out = run("convert", str(seed_report), "-o", str(tmp_path / "a"), "--to", "docx")
    assert code == 0, out
    word = tmp_path / "a" / "seed_report.zh.docx"
    doc = load_document(word)
    assert doc.metadata.source_format == "docx"
    s = score(to_markdown(doc), gold_md)
    assert s.passes(char=0.999, para=0.97, heading=1.0, max_cjk_spaces=0), str(s)


def _numbered(document: docx.document.Document, fmt: str, text: str) -> int:
    """Add an abstract numbering with one level (``fmt``, ``text``) and return its numId."""
    numbering = document.part.numbering_part.element
    ids = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
    aid = max(ids, default=0) + 10
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(aid))
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        lvl.append(el)
    abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    nums = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    nid = max(nums, default=0) + 10
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(nid))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(aid))
    num.append(ref)
    numbering.append(num)
    return nid


def _set_num(paragraph: docx.text.paragraph.Paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    for tag, val in (("w:ilvl", "0"), ("w:numId", str(num_id))):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(val))
        numpr.append(el)
    ppr.append(numpr)


def _outline(paragraph: docx.text.paragraph.Paragraph, level: int) -> None:
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    paragraph._p.get_or_add_pPr().append(el)


def make_word_file(path: Path) -> Path:
    d = docx.Document()
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("某县政府工作报告").bold = True
    d.add_paragraph("　　各位代表：")
    d.add_paragraph("　　现在，我代表县人民政府向大会报告工作，请予审议。")
    d.add_heading("过去一年的工作", level=1)  # a style, no number in the text
    d.add_paragraph("\u3000\u3000一年来，我们坚持稳中求进，经济运行总体平稳。地区生产总值增长5.2%。")
    d.add_heading("（一）产业发展", level=2)
    d.add_paragraph("工业增加值增长6%。")
    outlined = d.add_paragraph("重点项目建设")
    _outline(outlined, 1)  # outline level 2 in Word = our level 3
    d.add_paragraph("新开工项目120个。")
    cn = _numbered(d, "chineseCounting", "%1、")
    for text in ("今年的主要任务", "加强政府自身建设"):
        p = d.add_paragraph(text)
        _set_num(p, cn)
        p.runs[0].bold = True
        d.add_paragraph("坚持稳字当头、稳中求进，完成全年目标任务。")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([("指标", "目标", "完成"), ("地区生产总值增速", "5%", "5.2%")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.add_paragraph("各位代表！让我们团结一心，开拓进取。")
    d.save(path)
    return path


def test_word_styles_numbering_and_tables(tmp_path: Path) -> None:
    doc = load_document(make_word_file(tmp_path / "styled.docx"))
    got = [(b.type, b.level, b.text) for b in doc.blocks]
    assert got[0] == ("title", 1, "某县政府工作报告")
    assert ("paragraph", 0, "各位代表：") in got  # the full-width indent is layout, not text
    assert ("heading", 2, "过去一年的工作") in got
    assert ("heading", 3, "（一）产业发展") in got
    assert ("heading", 3, "重点项目建设") in got
    # Automatic numbering appears as Word shows it, and makes a heading by the usual rules.
    assert ("heading", 2, "一、今年的主要任务") in got
    assert ("heading", 2, "二、加强政府自身建设") in got
    assert "一年来，我们坚持稳中求进，经济运行总体平稳。地区生产总值增长5.2%。" in [b.text for b in doc.blocks]
    tables = [b for b in doc.blocks if b.type == "table"]
    assert [t.rows for t in tables] == [[["指标", "目标", "完成"], ["地区生产总值增速", "5%", "5.2%"]]]
    assert doc.blocks[-1].text == "各位代表！让我们团结一心，开拓进取。"
    assert all("\u3000" not in b.text for b in doc.blocks)


def test_word_file_in_a_directory_batch_and_not_read_back(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    make_word_file(src / "styled.docx")
    (src / "note.txt").write_text("政府工作报告\n\n各位代表：\n\n现在，我代表县人民政府向大会报告工作。\n", encoding="utf-8")
    code, out = run("convert", str(src), "-o", str(src), "--to", "md,docx", "--json")
    assert code == 0, out
    made = sorted(p.name for p in src.iterdir())
    assert "styled.zh.md" in made and "styled.zh.docx" in made and "note.zh.docx" in made
    # A second run over the same folder (OUT = the folder) must not take its outputs for inputs.
    code, out = run("convert", str(src), "-o", str(src), "--to", "md")
    assert code == 0, out
    assert not [p.name for p in src.iterdir() if ".zh.zh." in p.name]


def test_legacy_doc_is_a_clear_error(tmp_path: Path) -> None:
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    code, out = run("convert", str(legacy), "-o", str(tmp_path / "out"))
    assert code == 4
    assert "legacy Word .doc" in out and "LibreOffice".lower() in out.lower()
    assert len(out.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.md"))


def test_broken_word_files_fail_cleanly(tmp_path: Path) -> None:
    good = make_word_file(tmp_path / "good.docx").read_bytes()
    truncated = tmp_path / "cut.docx"
    truncated.write_bytes(good[: len(good) // 2])
    other_zip = tmp_path / "sheet.docx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    bad_xml = tmp_path / "badxml.docx"
    with zipfile.ZipFile(tmp_path / "good.docx") as zin, zipfile.ZipFile(bad_xml, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[:100] if item.filename == "word/document.xml" else data)
    for path in (truncated, other_zip, bad_xml):
        code, out = run("convert", str(path), "-o", str(tmp_path / "out"), "--json")
        assert code == 4, (path.name, out)
        result = json.loads(out[out.index("{"):])["results"][0]
        assert result["status"] == "failed" and result["error"], result


def test_from_option_overrides_detection(tmp_path: Path) -> None:
    word = make_word_file(tmp_path / "named.txt")  # a Word file with the wrong suffix
    code, out = run("convert", str(word), "-o", str(tmp_path / "out"))
    assert code == 0, out
    md = (tmp_path / "out" / "named.zh.md").read_text(encoding="utf-8")
    assert "## 过去一年的工作" in md


def test_first_heading_styled_paragraph_is_the_title(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("某市政府工作报告", level=1)
    d.add_paragraph("各位代表：")
    for text in ("一、过去一年的工作", "二、今年的主要任务"):
        d.add_heading(text, level=2)
        d.add_paragraph("我们坚持稳中求进，完成了全年目标任务。")
    d.save(tmp_path / "h.docx")
    doc = load_document(tmp_path / "h.docx")
    assert [(b.type, b.level) for b in doc.blocks if b.type != "paragraph"] == [
        ("title", 1), ("heading", 2), ("heading", 2)
    ]


def test_table_cells_keep_all_their_text(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("表1 主要指标")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "指标"
    t.cell(0, 1).text = "说明"
    t.cell(1, 0).text = "增速"
    t.cell(1, 1).text = "同比"
    t.cell(1, 1).add_paragraph("GDP growth")
    t.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "嵌套"
    merged = t.cell(0, 0).merge(t.cell(1, 0))  # a vertical merge shows its text once
    assert merged is not None
    d.save(tmp_path / "t.docx")
    doc = load_document(tmp_path / "t.docx")
    table = next(b for b in doc.blocks if b.type == "table")
    text = "".join(c for row in table.rows for c in row)
    for piece in ("指标", "说明", "同比", "GDP growth", "嵌套"):
        assert piece in text, (piece, table.rows)
    assert text.count("指标") == 1
