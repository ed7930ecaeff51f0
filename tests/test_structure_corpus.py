"""Structure on third-party PDFs of other families (issue 12): listed-company annual
report, Taiwan case studies. Read-only from ../shared/corpus; a few pages each."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from xyconvert.model import Block, Metadata
from xyconvert.readers.pdf import read_pdf
from xyconvert.repair import build_document

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pdfs"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


def blocks(name: str, pages: range | list[int]) -> list[Block]:
    src = read_pdf(CORPUS / name, pages=pages)
    return build_document(src, Metadata(source_name=name)).blocks


def test_annual_report_large_disclaimer_is_paragraphs_not_headings() -> None:
    # Page 2 sets its disclaimer sentences larger than the body (the small type of the
    # financial pages, read along), with looser leading.
    got = blocks("annual_report_huajin_2019.pdf", [0, 1, 2, *range(60, 72)])
    heads = [b.text for b in got if b.type == "heading"]
    assert not any(h.startswith(("公司董事会", "实、准确", "公司负责人", "本年度报告")) for h in heads), heads
    paras = [b.text for b in got if b.type == "paragraph"]
    assert (
        "公司董事会、监事会及董事、监事、高级管理人员保证年度报告内容的真实、准确、完整，"
        "不存在虚假记载、误导性陈述或重大遗漏，并承担个别和连带的法律责任。"
    ) in paras
    assert any(p.startswith("公司经本次董事会审议通过的利润分配预案") and p.endswith("不以公积金转增股本。") for p in paras)


def test_annual_report_numbered_headings_in_order_around_tables() -> None:
    got = blocks("annual_report_huajin_2019.pdf", range(18, 26))
    heads = [b for b in got if b.type == "heading" and "、" in b.text[:4]]
    after = [b.text.split("、")[0] for b in heads[[b.text for b in heads].index(next(
        t.text for t in heads if t.text.startswith("一、公司普通股"))):]]
    assert after[:12] == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
    assert {b.level for b in heads} == {3}  # under 第五节 (##), all one level deeper
    assert not any(b.text.startswith("□") for b in got if b.type == "heading")


def test_case_studies_without_first_line_indents_keep_paragraphs_whole() -> None:
    # NFC: the file draws some characters as CJK compatibility ideographs (U+F9xx);
    # that is a glyph question, this test is about paragraphs.
    got = [unicodedata.normalize("NFC", b.text) for b in blocks("tw_case_study_trad.pdf", range(0, 4))]
    assert (
        "(1)座落在嘉義某科技學院，建校時已經建置中央監控系統做管理，可是到夏季需量超約最高有23％之多，"
        "全年平均需量780kW，以目前所訂之契約容量800kW是合理的契約。"
    ) in got
    assert "(3)所有負載之ON/OFF控制在中央監控系統上設有I/O接點。" in got  # not glued to ▇探討內容
    assert any(t.startswith("▇效益：") and t.endswith("比較高）。") for t in got)
    assert got[0] == "【案例十四】科技學院：配合中央監控系統落實電管理降低用電成本之應用例"
