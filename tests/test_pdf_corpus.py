"""PDF reader on real third-party PDFs (shared/corpus, read-only, never copied here).

See shared/corpus/MANIFEST.md for what is known to be wrong with each file. Long files
are read for their first pages only (``pages=``) to keep the run short.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xyconvert.charclass import SECTION_NUMBER
from xyconvert.errors import XyError
from xyconvert.lines import SourcePage
from xyconvert.readers.pdf import default_engine, read_pdf

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pdfs"
FILES = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
FIRST = range(10)

pytestmark = [
    pytest.mark.skipif(not FILES, reason=f"no corpus at {CORPUS}"),
    pytest.mark.usefixtures("pdf_engine"),  # every test once per glyph engine
]

_cache: dict[tuple[str, str], tuple[list[SourcePage], list[str]]] = {}


def read(name: str) -> tuple[list[SourcePage], list[str]]:
    key = (default_engine(), name)
    if key not in _cache:
        warnings: list[str] = []
        _cache[key] = (read_pdf(CORPUS / name, pages=FIRST, warnings=warnings), warnings)
    return _cache[key]


def text(pages: list[SourcePage]) -> str:
    return "\n".join(ln.text for p in pages for ln in p.lines)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_corpus_pdf_reads_without_a_parser_error(path):
    try:
        pages, _ = read(path.name)
    except XyError as e:  # documented, user-facing errors only
        pytest.fail(f"{type(e).__name__}: {e}")
    assert pages
    assert "(cid:" not in text(pages)
    for p in pages:
        assert [ln.lineno for ln in p.lines] == list(range(1, len(p.lines) + 1))
        assert all(ln.page == p.number for ln in p.lines)


@pytest.mark.parametrize(
    "name",
    [
        "annual_report_huajin_2019.pdf",
        "annual_report_changchai_2019.pdf",
        "journal_land_survey_2025.pdf",
        "textbook_ai_ch1.pdf",
        "tw_case_study_trad.pdf",
        "union_election_rules_p1.pdf",
    ],
)
def test_chinese_text_comes_out(name):
    pages = read(name)[0]
    t = text(pages)
    assert len(re.findall(r"[\u4e00-\u9fff]", t)) > 300
    # no space between two Chinese characters in running text (table placeholders join cells),
    # but the author's one after a section number that opens the line (第一节 重要提示)
    for ln in (ln for p in pages for ln in p.lines if not ln.is_table):
        body = re.sub(rf"^{SECTION_NUMBER} ", "", ln.text)
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", body), ln.text


def test_annual_report_running_header_is_gone():
    pages, _ = read("annual_report_huajin_2019.pdf")
    body = pages[1:]  # the cover has no header
    assert len(body) >= 8
    assert not any(
        "北方华锦化学工业股份有限公司2019年年度报告全文" in ln.text for p in body for ln in p.lines
    )
    # bare page-number footers are gone too
    assert not any(re.fullmatch(r"\d{1,3}", ln.text) for p in body for ln in p.lines[-1:])


def test_two_column_journal_reads_left_column_first():
    pages, _ = read("journal_land_survey_2025.pdf")
    t = "".join(ln.text for ln in pages[0].lines)
    # a sentence wrapped from one left-column line to the next, not to the right column
    assert "自然资源调查监测工作是新发展阶段自然资源管理和生态文明建设的重要支撑" in t
    # the right column's first paragraph follows the left column's last line
    left_end = t.index("作。这些调查形成了丰富的成果，但也在一定程")
    assert t.index("度上存在工作不衔接、数据分散管理", left_end) > left_end
    # fake bold (glyphs printed twice) is not doubled
    assert "中中国国" not in text(pages)
    assert "封封面面" not in text(pages)


def test_journal_running_header_and_label_dropped():
    pages, _ = read("journal_land_survey_2025.pdf")
    assert not any(ln.text == "封面聚焦" for p in pages[1:] for ln in p.lines)


def test_cid_glyphs_are_dropped_and_counted():
    pages, warnings = read("journal_aero_1994_caj.pdf")
    assert "(cid:" not in text(pages)
    assert any("(cid:N)" in w for w in warnings)


def test_kangxi_radicals_become_ordinary_ideographs():
    for name in ("blood_routine_kangxi_p1.pdf", "chemistry_kangxi_type3_p1.pdf"):
        t = text(read(name)[0])
        assert not re.search(r"[\u2f00-\u2fd5]", t), name
    t = text(read("blood_routine_kangxi_p1.pdf")[0])
    assert "血常规" in t and "一点点" in t


def test_blank_page_is_a_warning():
    _, warnings = read("tw_energy_handbook_trad.pdf")
    assert any("page 2" in w for w in warnings)


def test_ruled_table_becomes_rows():
    pages, _ = read("bond_prospectus_table_p1.pdf")
    tables = [ln.table for p in pages for ln in p.lines if ln.is_table]
    assert tables
    first = tables[0]
    assert first is not None and first[0][0] == "年份"
    assert any("中诚信国际信用评级有限责任公司" in cell for row in first for cell in row)
    assert "中诚信国际信用评级有限责任公司" not in "".join(
        ln.text for p in pages for ln in p.lines if not ln.is_table
    )
