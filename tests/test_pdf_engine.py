"""The two glyph engines check each other, and the PDFium engine's own promises.

Both engines feed the same page loop; what they hand it must spell the same characters.
Per page, the multiset of non-whitespace characters of the reader's lines is compared
(after NFKC, which both apply to Kangxi radicals anyway and which maps pdfminer's
ligature glyphs ``ﬁ``/``ﬀ`` to the letters PDFium gives for them). The differences found
on the corpus are listed in KNOWN with the reason; any other difference fails.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import type3

from xyconvert.cli import main
from xyconvert.lines import SourcePage
from xyconvert.readers.pdf import ENGINES, read_pdf
from xyconvert.readers.pdf.records import FAKE_BOLD

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.pdf"))
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"
CORPUS_FILES = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
FIRST = range(6)  # corpus files are long: their first pages keep the run short

# (file, page) -> characters only pdfplumber gives (+) / only PDFium gives (-), and why.
# (A 子 that PDFium's text page leaves out on bad_fonts_form_p1.pdf, a lone glyph in a font it
# has no outlines for, is read by pdfminer for that page: pdfium_boxless. No difference left.)
KNOWN: dict[tuple[str, int], tuple[str, str, str]] = {}
# Fonts without ToUnicode but with a GBK encoding: pdfminer gives Latin-1 mojibake,
# PDFium the right ideographs. Checked separately below.
MOJIBAKE_IN_PDFMINER = {"gbk_type1_no_tounicode_p1.pdf"}


def chars_by_page(pages: list[SourcePage]) -> dict[int, Counter[str]]:
    out: dict[int, Counter[str]] = {}
    for p in pages:
        text = unicodedata.normalize("NFKC", "".join(ln.text for ln in p.lines))
        out[p.number] = Counter(ch for ch in text if not ch.isspace())
    return out


def both(path: Path, pages: range | None = None) -> tuple[dict, dict, list[str], list[str]]:
    wp: list[str] = []
    wf: list[str] = []
    plumber = read_pdf(path, pages=pages, warnings=wp, engine="pdfplumber")
    pdfium = read_pdf(path, pages=pages, warnings=wf, engine="pdfium")
    return chars_by_page(plumber), chars_by_page(pdfium), wp, wf


@pytest.mark.parametrize("path", SAMPLES + CORPUS_FILES, ids=[p.name for p in SAMPLES + CORPUS_FILES])
def test_engines_give_the_same_characters_per_page(path: Path) -> None:
    if path.name in MOJIBAKE_IN_PDFMINER:
        pytest.skip("pdfminer decodes this file to mojibake: see test_pdfium_decodes_gbk_fonts")
    plumber, pdfium, warn_plumber, warn_pdfium = both(path, None if path in SAMPLES else FIRST)
    assert plumber.keys() == pdfium.keys()
    for number in plumber:
        only_plumber = "".join(sorted((plumber[number] - pdfium[number]).elements()))
        only_pdfium = "".join(sorted((pdfium[number] - plumber[number]).elements()))
        expected = KNOWN.get((path.name, number), ("", "", ""))[:2]
        assert (only_plumber, only_pdfium) == expected, f"page {number}"
    # the same pages without text, the same count of glyphs without Unicode
    assert warn_plumber == warn_pdfium


@pytest.mark.skipif(not CORPUS_FILES, reason="no corpus")
def test_pdfium_decodes_gbk_fonts() -> None:
    plumber, pdfium, _, _ = both(CORPUS / "gbk_type1_no_tounicode_p1.pdf")
    cjk = [sum(n for ch, n in page[1].items() if "\u4e00" <= ch <= "\u9fff") for page in (plumber, pdfium)]
    assert cjk[0] < 5 and cjk[1] > 50
    assert "基因外显子" in "".join(ln.text for p in read_pdf(
        CORPUS / "gbk_type1_no_tounicode_p1.pdf", engine="pdfium") for ln in p.lines)


def lines_and_doubles(path: Path, engine: str) -> tuple[list[tuple[str, bool]], int]:
    """(text, bold) of each line, and how many glyphs were removed as fake-bold doubles."""
    removed: dict[int, Counter[tuple[str, str]]] = {}
    pages = read_pdf(path, engine=engine, removed=removed)
    doubles = sum(n for c in removed.values() for (why, _), n in c.items() if why == FAKE_BOLD)
    return [(ln.text, ln.bold) for p in pages for ln in p.lines], doubles


@pytest.mark.parametrize(("variant", "unit"), [("tf", 1000), ("tm", 1000), ("cm", 1000), ("glyphs", 1000),
                                               ("tm", 1), ("tf", 2048)])
@pytest.mark.parametrize("offset", [0.2, 0.5])
def test_type3_fake_bold_is_deduplicated_by_both_engines(tmp_path: Path, variant: str, unit: float,
                                                         offset: float) -> None:
    # Type3 fonts have no names and (in PDFium) ink boxes, and producers put their size in
    # the text matrix or a cm: the copies must still be found, removed once, counted, bold
    pdf = tmp_path / "type3.pdf"
    heading, body = type3.fake_bold(pdf, variant, offset, unit)
    want = ([(heading, True), (body, False)], len(heading))
    assert lines_and_doubles(pdf, "pdfplumber") == want
    assert lines_and_doubles(pdf, "pdfium") == want


@pytest.mark.skipif(not CORPUS_FILES, reason="no corpus")
def test_type3_corpus_page_reads_the_same_with_both_engines() -> None:
    # the page's text is nearly all Type3 glyphs; its headings are drawn once (no fake bold),
    # and 化学学科's two 学 are neighbours, not a double: neither engine removes one
    path = CORPUS / "chemistry_kangxi_type3_p1.pdf"
    (plumber, plumber_doubles), (pdfium, pdfium_doubles) = (lines_and_doubles(path, e) for e in ENGINES)
    assert plumber_doubles == pdfium_doubles == 0
    # the same lines; not the same bold: PDFium has no Type3 font names (README, PDF engines)
    assert [t for t, _ in pdfium] == [t for t, _ in plumber]
    assert "\n".join(t for t, _ in pdfium).count("化学学科常用符号公式") == 1


@pytest.mark.skipif(not CORPUS_FILES, reason="no corpus")
def test_invisible_ocr_text_layer_is_read() -> None:
    # a scanned magazine page: its only text is an invisible (render mode 3) OCR layer
    pages = read_pdf(CORPUS / "magazine_gbk_cmap_p1.pdf", engine="pdfium")
    text = "".join(ln.text for p in pages for ln in p.lines)
    assert sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") > 800


@pytest.mark.skipif(not CORPUS_FILES, reason="no corpus")
def test_ligatures_are_letters() -> None:
    pages = read_pdf(CORPUS / "textbook_ai_ch1.pdf", pages=range(1), engine="pdfium")
    text = "".join(ln.text for p in pages for ln in p.lines)
    assert "artificial" in text and "ﬁ" not in text


@pytest.mark.skipif(not CORPUS_FILES, reason="no corpus")
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_pages_read_in_parallel_are_the_pages_read_in_order(engine: str) -> None:
    path = CORPUS / "annual_report_huajin_2019.pdf"
    pages = range(40) if engine == "pdfium" else range(24)
    assert read_pdf(path, pages=pages, engine=engine, jobs=2) == read_pdf(path, pages=pages, engine=engine)


def test_cli_engine_option(tmp_path: Path) -> None:
    pdf = ROOT / "samples" / "seed_clean.pdf"
    outputs = {}
    for engine in ("pdfium", "pdfplumber"):
        out = tmp_path / engine
        result = CliRunner().invoke(main, ["convert", str(pdf), "-o", str(out), "--pdf-engine", engine])
        assert result.exit_code == 0, result.output
        outputs[engine] = (out / "seed_clean.zh.md").read_text(encoding="utf-8")
    assert outputs["pdfium"] == outputs["pdfplumber"]
    result = CliRunner().invoke(main, ["convert", str(pdf), "-o", str(tmp_path), "--pdf-engine", "pdfbox"])
    assert result.exit_code == 2


def _read_in_daemon(queue) -> None:  # noqa: ANN001
    pages = read_pdf(CORPUS / "annual_report_huajin_2019.pdf", pages=range(24), jobs=2)
    queue.put(len(pages))


@pytest.mark.skipif(not CORPUS_FILES, reason="no corpus")
def test_parallel_pages_inside_a_batch_worker_fall_back_to_one_process() -> None:
    # A library caller in a daemonic process may not start processes: it reads serially
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_read_in_daemon, args=(queue,), daemon=True)
    proc.start()
    proc.join(120)
    assert proc.exitcode == 0
    assert queue.get(timeout=5) == 24


def test_a_hyphen_that_ends_a_line_is_kept(tmp_path: Path) -> None:
    # PDFium's text page hands a hyphen at a line end over as U+0002 (its hyphen mark)
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "hyphen.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(72, 760, "Trade with the inter-")
    c.drawString(72, 745, "national markets grew.")
    c.save()
    texts = {e: [ln.text for ln in read_pdf(pdf, engine=e)[0].lines] for e in ("pdfium", "pdfplumber")}
    assert texts["pdfium"] == texts["pdfplumber"]
    assert texts["pdfium"][0].endswith("inter-")


@pytest.mark.skipif(not (CORPUS / "annual_report_haixiang_2019.pdf").exists(), reason="no corpus")
def test_engines_find_the_same_columns_on_a_page_of_empty_ruled_tables() -> None:
    # Page 152 of the annual report: header rows of empty tables (项目 … 金额, 单位：元 at the
    # right). The glyph boxes are the same in both engines but for float noise (PDFium's
    # single precision), and edges on the gutter search's grid fell on opposite sides of its
    # comparisons: PDFium read the page as three columns (金额 after 其他说明：). The same
    # lines, in the same order, from both.
    path = CORPUS / "annual_report_haixiang_2019.pdf"
    texts = {e: [ln.text for ln in read_pdf(path, pages=range(150, 152), engine=e)[-1].lines] for e in ENGINES}
    assert texts["pdfium"] == texts["pdfplumber"]
    joined = "\n".join(texts["pdfium"])
    assert joined.index("金额") < joined.index("其他说明")
