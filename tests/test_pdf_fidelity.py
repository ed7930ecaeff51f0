"""Text fidelity of the PDF path: no character lost, none invented, meaningful spaces kept.

Hand-made PDFs (tests/support/handmade.py) pin each case; the shared corpus shows the same
cases on real files; the conservation check (``xyconvert check``) accounts for every
character of every corpus PDF and sample against PDFium and pdftotext.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import handmade

from xyconvert.charclass import SECTION_NUMBER
from xyconvert.cli import main
from xyconvert.pipeline import load_document
from xyconvert.readers.pdf import read_pdf
from xyconvert.verify import conservation, reference

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")


def lines_of(path: Path) -> list[str]:
    return [ln.text for p in read_pdf(path) for ln in p.lines if not ln.is_table]


# --- fake-bold doubles: only glyphs drawn over themselves ------------------------------------


def test_latin_double_letters_urls_and_numbers_survive(tmp_path, pdf_engine):
    pdf = tmp_path / "latin.pdf"
    expected = handmade.latin_words(pdf)
    assert lines_of(pdf) == expected


@pytest.mark.parametrize("offset", [0.2, 0.3, 0.5])
def test_fake_bold_is_still_deduplicated(tmp_path, offset, pdf_engine):
    pdf = tmp_path / "bold.pdf"
    heading, body = handmade.fake_bold(pdf, offset)
    pages = read_pdf(pdf)
    assert [ln.text for ln in pages[0].lines] == [heading, "Still Illegal", body]
    # PDFium drops the copies itself; pdfium_redrawn gives them back, so both engines see bold
    assert [ln.bold for ln in pages[0].lines] == [True, True, False]


@needs_corpus
def test_corpus_double_letters_and_fake_bold():
    # NFKC: the PDF sets "fi" as a ligature glyph, which the repair stage normalises
    textbook = unicodedata.normalize("NFKC", "\n".join(lines_of(CORPUS / "textbook_ai_ch1.pdf")))
    assert "intel igence" not in textbook.lower()
    assert "artificial intelligence" in textbook.lower()
    huajin = "\n".join(ln.text for p in read_pdf(CORPUS / "annual_report_huajin_2019.pdf", pages=range(12))
                       for ln in p.lines)
    assert "http://www.huajinchem.com" in huajin
    assert "ht p:/" not in huajin
    land = lines_of(CORPUS / "journal_land_survey_2025.pdf")
    assert not any("中中国国" in t for t in land)
    assert any(t.startswith("中国土地·2025年10月") for t in land)  # the header drawn twice, read once
    assert not any("封封" in t or "焦焦" in t for t in land)


@needs_corpus
def test_dot_leaders_are_not_taken_for_doubles():
    """A table of contents' leader dots sit one dot-width apart: each is its own glyph."""
    page = read_pdf(CORPUS / "annual_report_changchai_2019.pdf", pages=[1])[0]
    ref = reference.page_texts(CORPUS / "annual_report_changchai_2019.pdf")[1]
    ours = sum(ln.text.count(".") for ln in page.lines)
    assert ours == ref.count(".") > 500


# --- tables: each glyph in one cell, wrapped cells one row ------------------------------------


def test_ruled_table_cells_by_geometry(tmp_path, pdf_engine):
    pdf = tmp_path / "table.pdf"
    expected = handmade.ruled_table(pdf)
    tables = [ln.table for p in read_pdf(pdf) for ln in p.lines if ln.is_table]
    assert tables == [tuple(expected)]
    doc = load_document(pdf)
    assert [b.type for b in doc.blocks][-2:] == ["table", "paragraph"]


@needs_corpus
def test_annual_report_table_has_no_stray_digits_and_one_row_per_item():
    page = read_pdf(CORPUS / "annual_report_huajin_2019.pdf", pages=[6])[0]
    tables = [ln.table for ln in page.lines if ln.is_table]
    quarterly = next(t for t in tables if t[0][1:] == ("第一季度", "第二季度", "第三季度", "第四季度"))
    assert quarterly[1] == ("营业收入", "8,842,476,363.16", "9,974,993,281.20",
                            "9,828,191,744.50", "10,962,679,590.18")
    labels = [row[0] for row in quarterly[1:]]
    assert "归属于上市公司股东的扣除非经常性损益的净利润" in labels
    assert len(quarterly) == 5  # header + 4 items: the wrapped label did not split its row
    for t in tables:
        for row in t:
            for cell in row:
                assert not re.match(r"^\d [\d,.-]+$", cell), cell


# --- the author's spaces ---------------------------------------------------------------------


def test_space_after_section_number_is_kept(tmp_path, pdf_engine):
    pdf = tmp_path / "sections.pdf"
    expected = handmade.section_numbers(pdf)
    assert lines_of(pdf) == expected
    texts = [b.text for b in load_document(pdf).blocks]
    joined = "\n".join(texts)
    for want in expected:
        assert want in joined


@needs_corpus
def test_corpus_section_numbers_keep_their_space():
    lines = lines_of(CORPUS / "textbook_ai_ch1.pdf")
    assert any(re.match(r"^1\.1 \S", t) for t in lines), [t for t in lines if t.startswith("1.1")]
    rules = lines_of(CORPUS / "union_election_rules_p1.pdf")
    huajin = [ln.text for p in read_pdf(CORPUS / "annual_report_huajin_2019.pdf", pages=range(4))
              for ln in p.lines]
    assert any(t.startswith("第一节 重要提示") for t in huajin)
    assert any(t.startswith("第十四条 工会经费") for t in rules)
    assert not any(re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", re.sub(rf"^{SECTION_NUMBER} ", "", t)) for t in rules)


# --- conservation check ----------------------------------------------------------------------

# The three long annual reports are checked on their first 40 pages here (front matter, TOC,
# financial tables); `make bench` and the closing note of the fidelity issue have every page.
LONG = {"annual_report_changchai_2019.pdf", "annual_report_haixiang_2019.pdf",
        "annual_report_huajin_2019.pdf", "tw_energy_handbook_trad.pdf"}


def _corpus_pdfs() -> list[Path]:
    return sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []


@needs_corpus
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("path", _corpus_pdfs(), ids=lambda p: p.name)
def test_conservation_on_the_corpus(path, engine):
    pages = range(40) if path.name in LONG else None
    report = conservation.check_pdf(path, pages=pages, engine=engine)  # references independent of it
    assert report.chars > 100
    if not report.ok and not reference.available("pdftotext"):
        # PDFium decodes two broken fonts of the corpus differently from pdfminer; pdftotext
        # is the second opinion there (.ci/run installs poppler-utils).
        pytest.skip("PDFium alone disagrees here; pdftotext (poppler-utils) is not installed")
    assert report.ok, json.dumps([s.to_dict() for s in report.failing], ensure_ascii=False)
    assert report.repair.unexplained == 0, report.repair.to_dict()


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("path", sorted((ROOT / "samples").glob("*.pdf")), ids=lambda p: p.name)
def test_conservation_on_the_samples_is_exact(path, engine):
    # one reference only, the first independent of the engine: no second opinion needed
    first = next(r for r in conservation.independent_of(engine) if reference.available(r))
    report = conservation.check_pdf(path, references=(first,), engine=engine)
    assert report.unexplained == 0, report.to_dict()
    assert report.chars > 15000


def test_conservation_on_handmade_pdfs(tmp_path, pdf_engine):
    for build in (handmade.latin_words, handmade.fake_bold, handmade.ruled_table, handmade.section_numbers):
        pdf = tmp_path / f"{build.__name__}.pdf"
        build(pdf)
        report = conservation.check_pdf(pdf, engine=pdf_engine)  # references independent of it
        assert report.pages[0].reference != pdf_engine
        assert report.unexplained == 0, report.to_dict()
        if build is handmade.fake_bold and report.pages[0].reference != "pdfium":
            # pdfminer (and older pdftotext) see the copies; PDFium's text page (engine or
            # reference) drops them, and the pdfium engine gives them back to be counted.
            # Poppler 22 drops them itself: then there is nothing to explain.
            ref = conservation.fold(reference.page_texts(pdf, report.pages[0].reference)[0])
            doubled = conservation.fold(handmade.FAKE_BOLD_HEADING + "StillIllegal")
            seen_twice = all(ref[ch] >= 2 * n for ch, n in doubled.items() if ch != "l")
            want = sum(doubled.values()) if seen_twice else 0
            assert report.explained()["fake-bold double"] == want


def test_a_lost_character_is_reported(tmp_path):
    """The page comparison itself: PDFium's real text against ours minus one glyph."""
    pdf = tmp_path / "latin.pdf"
    handmade.latin_words(pdf)
    text = reference.page_texts(pdf)[0]
    ours = conservation.page_chars(read_pdf(pdf)[0])
    assert conservation.compare_page("page 1", "pdfium", text, ours, Counter()).unexplained == 0
    ours["l"] -= 1
    ours["∑"] += 1
    report = conservation.compare_page("page 1", "pdfium", text, ours, Counter())
    assert report.missing == Counter({"l": 1}) and report.extra == Counter({"∑": 1})
    # a deliberate removal is explained by its reason, not counted
    report = conservation.compare_page("page 1", "pdfium", text, ours, Counter({("page furniture", "l"): 1}))
    assert report.missing == Counter() and report.explained == Counter({"page furniture": 1})


def test_check_command_reports_and_exits(tmp_path, monkeypatch):
    runner = CliRunner()
    sample = ROOT / "samples" / "seed_furniture.pdf"
    result = runner.invoke(main, ["check", str(sample), "--reference", "pdfium", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)[0]
    assert data["ok"] and data["unexplained"] == 0
    assert data["explained"]["page furniture"] > 400  # running headers and page numbers, counted
    assert len(data["pages"]) == 24

    # A reader that silently drops a glyph (fault injected into the real reader) is caught.
    pdf = tmp_path / "latin.pdf"
    handmade.latin_words(pdf)
    from xyconvert.readers.pdf import glyphs

    real = glyphs.dedupe

    def lossy(chars):
        kept, removed = real(chars)
        return [c for c in kept if c.text != "W"], removed

    monkeypatch.setattr(glyphs, "dedupe", lossy)
    result = runner.invoke(main, ["check", str(pdf), "--reference", "pdfium"])
    assert result.exit_code == 11, result.output
    assert "CHARACTERS UNACCOUNTED FOR" in result.output and "lost: 'WWW'" in result.output


def test_check_command_on_text_and_bad_input(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(ROOT / "samples" / "seed_report.txt")])
    assert result.exit_code == 0, result.output
    assert "0 unexplained" in result.output
    missing = tmp_path / "nope.pdf"
    result = runner.invoke(main, ["check", str(missing)])
    assert result.exit_code == 3
    assert "nope.pdf: no such file" in result.output
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    result = runner.invoke(main, ["check", str(bad)])
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
