"""Acceptance: every sample PDF variant converts, through the CLI, to the gold."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support.scoring import score

from xyconvert.cli import main

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ["clean", "bottomup", "charspacing", "twocolumn", "furniture"]

pytestmark = pytest.mark.usefixtures("pdf_engine")  # every test once per glyph engine


@pytest.mark.parametrize("variant", VARIANTS)
def test_pdf_variant_meets_gold_thresholds(tmp_path: Path, gold_md: str, variant: str) -> None:
    pdf = ROOT / "samples" / f"seed_{variant}.pdf"
    result = CliRunner().invoke(main, ["convert", str(pdf), "-o", str(tmp_path), "--to", "md,json"])
    assert result.exit_code == 0, result.output
    s = score((tmp_path / f"seed_{variant}.zh.md").read_text(encoding="utf-8"), gold_md)
    assert s.passes(char=0.999, para=0.97, heading=1.0, max_cjk_spaces=0), str(s)


def test_pdf_metadata_and_provenance(tmp_path: Path) -> None:
    import json

    pdf = ROOT / "samples" / "seed_twocolumn.pdf"
    result = CliRunner().invoke(main, ["convert", str(pdf), "-o", str(tmp_path), "--to", "json"])
    assert result.exit_code == 0
    data = json.loads((tmp_path / "seed_twocolumn.json").read_text())
    meta = data["metadata"]
    assert meta["source_format"] == "pdf" and meta["pages"] > 1
    assert meta["title"] == "政府工作报告" and meta["date"] == "2024-01-26"
    assert meta["speaker_name"] == "热合木·艾木拉"
    last = data["blocks"][-1]["provenance"]["pages"]
    assert last and last[-1] == meta["pages"]


def test_pdf_errors_have_exit_codes_and_no_output(tmp_path: Path) -> None:
    runner = CliRunner()
    fake = tmp_path / "fake.pdf"
    fake.write_text("this is not a pdf")
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes((ROOT / "samples" / "seed_clean.pdf").read_bytes()[:5000])
    out = tmp_path / "out"
    for path, code, words in [(fake, 4, "not a PDF"), (truncated, 4, "PDF")]:
        result = runner.invoke(main, ["convert", str(path), "-o", str(out)])
        assert result.exit_code == code, result.output
        assert words in result.output and str(path) in result.output
        assert "Traceback" not in result.output
    assert not out.exists() or not list(out.iterdir())


def test_encrypted_pdf_exit_code_and_password(tmp_path: Path) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    # Latin text: pdfminer cannot decode CID fonts in encrypted reportlab PDFs
    # (it yields (cid:N)), which is an upstream limitation, not what we test here.
    path = tmp_path / "locked.pdf"
    enc = pdfencrypt.StandardEncryption("secret", canPrint=1)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Government Work Report")
    c.drawString(72, 700, "Fellow deputies, I now present the report on the work of the government.")
    c.save()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(path), "-o", str(out)])
    assert result.exit_code == 5 and "--password" in result.output
    assert not out.exists() or not list(out.iterdir())
    result = CliRunner().invoke(main, ["convert", str(path), "-o", str(out), "--password", "secret"])
    assert result.exit_code == 0, result.output
    assert "Government Work Report" in (out / "locked.zh.md").read_text()


CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_corpus_tables_and_chapter_headings(tmp_path: Path) -> None:
    import json

    pdf = CORPUS / "bond_prospectus_table_p1.pdf"
    result = CliRunner().invoke(main, ["convert", str(pdf), "-o", str(tmp_path), "--to", "md,json"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "bond_prospectus_table_p1.json").read_text())
    tables = [b for b in data["blocks"] if b["type"] == "table"]
    assert len(tables) >= 2
    first = tables[0]["rows"]
    assert first[0][:3] == ["年份", "主体信用评级", "涵义"]
    assert [row[0] for row in first[1:5]] == ["2023", "2022", "2021", "2020"]
    # Table text is not also shredded into paragraphs.
    assert not any(b["type"] == "paragraph" and "主体信用评级" in b["text"] for b in data["blocks"])
    headings = [(b["level"], b["text"]) for b in data["blocks"] if b["type"] == "heading"]
    assert headings[0] == (2, "第七章 企业资信状况")  # the author's space after the number stays
    assert (3, "一、发行人历史信用评级情况") in headings
    md = (tmp_path / "bond_prospectus_table_p1.zh.md").read_text()
    assert "| 年份 | 主体信用评级 |" in md


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_unrecoverable_text_is_reported(tmp_path: Path, pdf_engine: str) -> None:
    runner = CliRunner()
    gbk = CORPUS / "gbk_type1_no_tounicode_p1.pdf"
    result = runner.invoke(main, ["convert", str(gbk), "-o", str(tmp_path)])
    assert result.exit_code == 0
    if pdf_engine == "pdfplumber":
        # pdfminer hands the GBK over as Latin-1; some of it cannot be re-decoded
        assert "mis-encoded" in result.output
    else:
        # PDFium decodes the GBK encoding itself: no Latin-1 is left to warn about
        assert "mis-encoded" not in result.output
    md = (tmp_path / "gbk_type1_no_tounicode_p1.zh.md").read_text()
    assert "基因外显子" in md and "扩增产物琼脂糖电泳图" in md  # GBK read as Latin-1, recovered
    broken = CORPUS / "bad_fonts_form_p1.pdf"
    result = runner.invoke(main, ["convert", str(broken), "-o", str(tmp_path)])
    assert result.exit_code == 0 and "garbled" in result.output


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_annual_report_structure() -> None:
    """Chapters (第X节) head their 一、 sections; the table of contents is not taken for headings."""
    from xyconvert.model import Metadata
    from xyconvert.readers.pdf import read_pdf
    from xyconvert.repair import build_document

    pages = read_pdf(CORPUS / "annual_report_huajin_2019.pdf", pages=range(12))
    doc = build_document(pages, Metadata())
    headings = [(b.level, b.text) for b in doc.blocks if b.type == "heading"]
    chapters = [text for level, text in headings if level == 2 and text.startswith("第")]
    assert chapters[:3] == ["第一节重要提示、目录和释义", "第二节公司简介和主要财务指标", "第三节公司业务概要"]
    # Unnumbered headings come from the font: 目录 and 释义 are set large.
    assert (2, "目录") in headings and (2, "释义") in headings
    assert (3, "一、报告期内公司从事的主要业务") in headings
    toc = [b.text for b in doc.blocks if "公司治理" in b.text and "..." in b.text]
    assert toc and all(b.type == "paragraph" for b in doc.blocks if b.text in toc)
    # Paragraphs are rebuilt from the layout: the first statement is one paragraph.
    first = next(b.text for b in doc.blocks if b.text.startswith("公司董事会、监事会"))
    assert first.endswith("并承担个别和连带的法律责任。")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_inset_box_is_one_paragraph() -> None:
    """A summary box set inset under a hanging label (核心提示) is one paragraph, not one per line."""
    from xyconvert.model import Metadata
    from xyconvert.readers.pdf import read_pdf
    from xyconvert.repair import build_document

    doc = build_document(read_pdf(CORPUS / "journal_land_survey_2025.pdf", pages=range(1)), Metadata())
    box = next(b.text for b in doc.blocks if b.text.startswith("核心提示"))
    assert box.endswith("职责等思路和建议。")
    assert any(b.text.startswith("自然资源调查监测工作是新发展阶段") for b in doc.blocks)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_title_from_the_largest_text_and_no_paragraph_headings() -> None:
    from xyconvert.pipeline import load_document

    doc = load_document(CORPUS / "journal_land_survey_2025.pdf")
    # The running header "·2025年10月·中国土地" comes first on the page; the title is the large text.
    assert doc.metadata.title == "自然资源统一调查监测现状图建设的若干探索"
    # A wrapped line that happens to start with 一、 does not turn its paragraph into a heading.
    assert all(len(b.text) <= 60 for b in doc.blocks if b.type == "heading")
