"""English briefing (issue #7): indicator extraction, header, Markdown, DOCX, CLI.

The expected indicator rows below were written by hand from the two headline
paragraphs of samples/seed_report.txt (the 2023 results paragraph starting
预计，实现地区生产总值137.46亿元… and the 2024 targets paragraph
2024年经济社会发展的主要预期目标是：…), not produced by the code under test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from xyconvert.briefing import (
    RESULT,
    TARGET,
    build_brief,
    docx_bytes,
    extract_document,
    extract_indicators,
    render_markdown,
)
from xyconvert.briefing.header import (
    occasion_english,
    official_title,
    person_name,
    place_name,
    title_english,
)
from xyconvert.briefing.markdown import DEFAULT_MAX_TERMS
from xyconvert.cli import main
from xyconvert.glossary import load_glossary
from xyconvert.model import Block, Document, Metadata
from xyconvert.pipeline import load_document

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "seed_report.txt"
CJK = re.compile(r"[\u3400-\u9fff]")

# (indicator as named in the report, value in base units, unit, growth %, English value)
RESULTS_2023 = [
    ("地区生产总值", "13746000000", "元", "8.4", "RMB 13.746 billion"),
    ("规模以上工业总产值", "12799000000", "元", None, "RMB 12.799 billion"),
    ("规模以上工业增加值", "2624000000", "元", "12", "RMB 2.624 billion"),
    ("一般公共预算收入", "821000000", "元", "16.3", "RMB 821 million"),
    ("固定资产投资", "7673000000", "元", "16.3", "RMB 7.673 billion"),
    ("招商引资到位资金", "11992000000", "元", "32.23", "RMB 11.992 billion"),
    ("社会消费品零售总额", "4142000000", "元", "13.3", "RMB 4.142 billion"),
    ("外贸进出口总额", "31410000", "美元", "72.7", "USD 31.41 million"),
    ("城镇居民人均可支配收入", "36482", "元", "7", "RMB 36,482"),
    ("农村居民人均可支配收入", "20199", "元", "10", "RMB 20,199"),
]
TARGETS_2024 = [
    ("地区生产总值", "15211000000", "元", "8.5", "RMB 15.211 billion"),
    ("规模以上工业增加值", "2925000000", "元", "12.5", "RMB 2.925 billion"),
    ("一般公共预算收入", "932000000", "元", "13.5", "RMB 932 million"),
    ("固定资产投资（不含农户）", "8674000000", "元", "13", "RMB 8.674 billion"),
    ("招商引资到位资金", "14031000000", "元", "17", "RMB 14.031 billion"),
    ("社会消费品零售总额", "4639000000", "元", "12", "RMB 4.639 billion"),
    ("外贸进出口总额", "39260000", "美元", "25", "USD 39.26 million"),
    ("城镇居民人均可支配收入", "39583", "元", "8.5", "RMB 39,583"),
    ("农村居民人均可支配收入", "22017", "元", "9", "RMB 22,017"),
]


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    return load_document(SAMPLE)


@pytest.fixture(scope="module")
def brief(sample_doc, glossary):
    return build_brief(sample_doc, glossary, translate=None)


@pytest.fixture
def no_model(tmp_path, monkeypatch):
    """An empty Argos package directory: the no-model path, whatever this machine has."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))


def _rows_of(brief, period: str) -> list[tuple]:
    out = []
    for ind in brief.indicators:
        if ind.headline and ind.period == period:
            growth = str(ind.growth.number) if ind.growth else None
            value = ind.value.amount
            out.append((ind.zh, value.value, value.unit_zh, growth, ind.value.english))
    return out


def _expected(rows: list[tuple]) -> list[tuple]:
    return [(zh, Decimal(v), unit, g, en) for zh, v, unit, g, en in rows]


# ------------------------------------------------------------------ the sample


def test_sample_results_paragraph_every_indicator(brief) -> None:
    assert _rows_of(brief, RESULT) == _expected(RESULTS_2023)
    assert brief.result_year == 2023
    assert brief.headline_texts[RESULT].startswith("预计，实现地区生产总值137.46亿元、增速8.4%；")


def test_sample_targets_paragraph_every_indicator(brief) -> None:
    assert _rows_of(brief, TARGET) == _expected(TARGETS_2024)
    assert brief.target_year == 2024
    assert brief.headline_texts[TARGET].startswith("2024年经济社会发展的主要预期目标是：")


def test_sample_table_pairs_results_and_targets(brief) -> None:
    rows = {r.key: r for r in brief.rows}
    assert len(brief.rows) == 10  # the 10 result indicators; every target pairs with one
    gdp = rows["地区生产总值"]
    assert gdp.en == "gross regional product (GRP)"
    assert (gdp.result.value.english, gdp.result.growth.signed) == ("RMB 13.746 billion", "+8.4%")
    assert (gdp.target.value.english, gdp.target.growth.signed) == ("RMB 15.211 billion", "+8.5%")
    trade = rows["外贸进出口总额"]
    assert (trade.result.value.english, trade.target.value.english) == (
        "USD 31.41 million",
        "USD 39.26 million",
    )
    urban = rows["城镇居民人均可支配收入"]
    assert urban.en == "per capita disposable income of urban residents"
    assert (urban.result.value.english, urban.target.value.english) == ("RMB 36,482", "RMB 39,583")
    assert rows["规模以上工业总产值"].target is None  # no 2024 target is stated for it
    fai = rows["固定资产投资"]
    assert fai.target.zh == "固定资产投资（不含农户）"
    assert fai.en == "fixed-asset investment; target excluding rural households"


def test_sample_positions_point_at_the_source(brief, sample_doc) -> None:
    for ind in brief.indicators:
        text = sample_doc.blocks[ind.block].text
        assert text[ind.name_start : ind.name_end] == ind.written
        for fig in (ind.value, ind.growth, ind.share):
            if fig is not None:
                assert text[fig.start : fig.end] == fig.text


def test_sample_header(brief) -> None:
    h = brief.header
    assert h.title == "Government Work Report"
    assert h.date_en == "26 January 2024"
    assert h.occasion == "the Fourth Session of the 18th Xinyuan County People's Congress"
    assert h.speaker_name == "Rehemu Aimula"
    assert h.speaker == (
        "Rehemu Aimula, Deputy Secretary of the Xinyuan County Party Committee"
        " and County Governor"
    )


def test_sample_outline_terms_and_no_model_notes(brief) -> None:
    outline = [(o.level, o.en) for o in brief.outline]
    assert outline[0] == (2, "I. Review of Our Work in 2023")
    assert (2, "II. Major Tasks for 2024") in outline
    assert outline[1] == (3, "(1) (untranslated) 以调结构、聚集群为支撑，产业发展奏响新乐章")
    assert len(outline) == 24  # 3 level-2 and 21 level-3 headings, as in the gold
    terms = {t.zh: t for t in brief.terms}
    assert terms["高质量发展"].en == "high-quality development"
    assert terms["高质量发展"].count == 10
    assert brief.terms == sorted(brief.terms, key=lambda t: (-t.count, t.first_block, t.zh))
    assert not brief.translated
    assert all(s.en is None for s in brief.summaries)
    assert [s.block for s in brief.summaries] == [6, 27, 76]


# ------------------------------------------------------------------ the extractor on other text

OWN_TEXT = (
    "全年粮食总产量达到52.3万吨、比上年增长2.1%；接待游客865.4万人次，同比增长35%；"
    "全社会用电量12.6亿千瓦时、下降3.2%；新建农村公路218公里；"
    "城镇调查失业率4.8%、下降0.3个百分点；"
    "工业、服务业增加值分别达45.6亿元、78.9亿元，分别增长6.5%、7.2%；"
    "城镇和农村居民人均可支配收入均增长6%；单位地区生产总值能耗下降2.5%；"
    "建成5万吨冷库2座，新增学位1200个，森林覆盖率达18.6%。"
)


def test_extractor_on_other_indicators_and_units(glossary) -> None:
    got = [
        (
            i.zh,
            i.value.english if i.value else None,
            i.value.number if i.value else None,
            i.growth.signed if i.growth else None,
            i.growth.number if i.growth else None,
        )
        for i in extract_indicators(OWN_TEXT, 0, glossary)
    ]
    assert got == [
        ("粮食总产量", "523,000 tonnes", Decimal("523000"), "+2.1%", Decimal("2.1")),
        ("接待游客", "8.654 million visits", Decimal("8654000"), "+35%", Decimal("35")),
        ("全社会用电量", "1.26 billion kWh", Decimal("1260000000"), "−3.2%", Decimal("-3.2")),
        ("新建农村公路", "218 km", Decimal("218"), None, None),
        ("城镇调查失业率", "4.8%", Decimal("4.8"), "−0.3 percentage points", Decimal("-0.3")),
        ("工业增加值", "RMB 4.56 billion", Decimal("4560000000"), "+6.5%", Decimal("6.5")),
        ("服务业增加值", "RMB 7.89 billion", Decimal("7890000000"), "+7.2%", Decimal("7.2")),
        ("城镇居民人均可支配收入", None, None, "+6%", Decimal("6")),
        ("农村居民人均可支配收入", None, None, "+6%", Decimal("6")),
        ("单位地区生产总值能耗", None, None, "−2.5%", Decimal("-2.5")),
        # 5万吨 describes the cold stores: part of the name, not a figure of its own
        ("建成5万吨冷库", "2", Decimal("2"), None, None),
        ("新增学位", "1,200", Decimal("1200"), None, None),
        ("森林覆盖率", "18.6%", Decimal("18.6"), None, None),
    ]


def test_extractor_lists_shares_and_ambiguity() -> None:
    text = (
        "肉、奶、蛋产量达8.22万吨、19.35万吨、0.79万吨，分别增长16.6%、19.5%、11%。"
        "民生支出30.4亿元、占比84.44%。"
        "本科上线率85.63%、一本上线率41.04%，分别增长3.64%、1.89%。"
        "各类文件、会议同比下降16.67%、9.18%。"
        "参保率、享受率均达100%。"
        "甲、乙收入分别为3亿元、4亿元，增长5%。"
    )
    got = [
        (i.zh, i.value.text if i.value else None, i.growth.text if i.growth else None,
         i.share.text if i.share else None)
        for i in extract_indicators(text)
    ]
    assert got == [
        ("肉产量", "8.22万吨", "16.6%", None),
        ("奶产量", "19.35万吨", "19.5%", None),
        ("蛋产量", "0.79万吨", "11%", None),
        ("民生支出", "30.4亿元", None, "84.44%"),
        ("本科上线率", "85.63%", "3.64%", None),
        ("一本上线率", "41.04%", "1.89%", None),
        ("各类文件", None, "16.67%", None),
        ("会议", None, "9.18%", None),
        ("参保率", "100%", None, None),
        ("享受率", "100%", None, None),
        # one rate for two values, without 分别 or 均: unclear, so not attributed
        ("甲收入", "3亿元", None, None),
        ("乙收入", "4亿元", None, None),
    ]


def test_result_and_target_from_context(glossary) -> None:
    blocks = [
        Block("title", "2025年政府工作报告"),
        Block("heading", "一、2024年工作回顾", level=2),
        Block("paragraph", "预计，全年实现地区生产总值50.5亿元、增长6%；粮食总产量12万吨。"),
        Block("heading", "二、2025年工作安排", level=2),
        Block("paragraph", "2024年，全县接待游客300万人次。2025年力争接待游客330万人次、增长10%。"),
        Block("paragraph", "今年主要预期目标是：地区生产总值增长6.5%左右，粮食总产量12.5万吨以上。"),
        Block("heading", "三、加强政府自身建设", level=2),
        Block("paragraph", "压减一般性支出5%以上。"),
    ]
    doc = Document(Metadata(title="2025年政府工作报告", date="2025-01-20"), blocks)
    got = [(i.block, i.zh, i.period, i.year) for i in extract_document(doc, glossary)]
    assert got == [
        (2, "地区生产总值", RESULT, 2024),
        (2, "粮食总产量", RESULT, 2024),
        (4, "接待游客", RESULT, 2024),  # 2024年 in its own sentence
        (4, "接待游客", TARGET, 2025),
        (5, "地区生产总值", TARGET, 2025),
        (5, "粮食总产量", TARGET, 2025),
        (7, "压减一般性支出", None, None),  # neither a review nor a plan section
    ]
    data = build_brief(doc, glossary)
    assert data.headline == {RESULT: 2, TARGET: 5}  # the review's 生产总值 summary
    rows = [
        (
            r.zh,
            r.result.value.english if r.result and r.result.value else None,
            r.result.growth.signed if r.result and r.result.growth else None,
            r.target.value.english if r.target.value else None,
            r.target.growth.signed if r.target.growth else None,
        )
        for r in data.rows
    ]
    assert rows == [
        ("地区生产总值", "RMB 5.05 billion", "+6%", None, "about +6.5%"),
        ("粮食总产量", "120,000 tonnes", None, "over 125,000 tonnes", None),
    ]
    assert "No paragraph of last year's main results was found." not in data.notes


# ------------------------------------------------------------------ names and titles


def test_names_places_titles(glossary) -> None:
    assert person_name("热合木·艾木拉") == "Rehemu Aimula"
    assert person_name("王小明") == "Wang Xiaoming"
    assert person_name("曾国藩") == "Zeng Guofan"  # the surname reading, not céng
    assert person_name("欧阳修") == "Ouyang Xiu"
    assert place_name("新源县", glossary) == "Xinyuan County"
    assert place_name("西安市", glossary) == "Xi'an City"
    assert (
        place_name("伊犁哈萨克自治州新源县", glossary)
        == "Xinyuan County, Ili Kazak Autonomous Prefecture"
    )
    assert official_title("新源县委副书记", glossary) == (
        "Deputy Secretary of the Xinyuan County Party Committee"
    )
    assert official_title("政府县长", glossary) == "County Governor"
    assert official_title("代县长", glossary) == "Acting County Governor"
    assert occasion_english(
        "2024年1月26日在新源县第十八届人民代表大会第四次会议上", glossary
    ) == "the Fourth Session of the 18th Xinyuan County People's Congress"
    assert occasion_english("在政协新源县第十届委员会第三次会议上", glossary) == (
        "the Third Session of the 10th Xinyuan County Committee of the CPPCC"
    )
    assert title_english("新源县2024年政府工作报告", glossary) == (
        "Xinyuan County Government Work Report 2024"
    )


# ------------------------------------------------------------------ Markdown


def test_markdown_sections_and_table(brief) -> None:
    md = render_markdown(brief)
    assert md.startswith("# Government Work Report: English briefing\n")
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads == ["## Key indicators", "## Outline", "## Policy terms used", "## Summary"]
    assert "| Indicator | Chinese | 2023 result | Growth | 2024 target | Growth |" in md
    assert (
        "| Gross regional product (GRP) | 地区生产总值 | RMB 13.746 billion | +8.4% "
        "| RMB 15.211 billion | +8.5% |" in md
    )
    assert "| Gross output value of industrial enterprises above designated size | " in md
    assert "- **Speaker:** Rehemu Aimula, Deputy Secretary" in md
    assert "xyconvert models install FILE.argosmodel" in md
    terms_rows = [ln for ln in md.split("## Policy terms used")[1].split("## Summary")[0]
                  .splitlines() if ln.startswith("| ") and not ln.startswith("| Chinese")]
    assert len(terms_rows) == DEFAULT_MAX_TERMS  # the most frequent terms; all of them in --json
    assert "| 高质量发展 | high-quality development | 10 |" in terms_rows


# ------------------------------------------------------------------ DOCX


def _rfonts(run) -> dict[str, str]:
    el = run._r.rPr.find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in el.attrib.items()}


def test_docx_structure_fonts_and_properties(brief, tmp_path) -> None:
    path = tmp_path / "b.brief.docx"
    path.write_bytes(docx_bytes(brief))
    d = docx.Document(str(path))

    assert [p.text for p in d.paragraphs if p.style.name == "Title"] == ["Government Work Report"]
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"] == [
        "Key indicators",
        "Outline",
        "Policy terms used",
        "Summary",
    ]
    texts = [p.text for p in d.paragraphs]
    assert "Date: 26 January 2024" in texts
    assert "I. Review of Our Work in 2023" in texts

    indicators, terms = d.tables
    header = [c.text for c in indicators.rows[0].cells]
    assert header == ["Indicator", "2023 result", "Growth", "2024 target", "Growth"]
    first = [c.text for c in indicators.rows[1].cells]
    assert first == [
        "Gross regional product (GRP)\n地区生产总值",
        "RMB 13.746 billion",
        "+8.4%",
        "RMB 15.211 billion",
        "+8.5%",
    ]
    assert len(indicators.rows) == 11
    assert [c.text for c in terms.rows[0].cells] == ["Chinese", "English", "Count"]
    assert len(terms.rows) == DEFAULT_MAX_TERMS + 1  # header row

    # Chinese runs (table cells, the Chinese title) carry the East Asian face.
    chinese_runs = [
        run
        for table in d.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
        if CJK.search(run.text)
    ] + [run for p in d.paragraphs for run in p.runs if CJK.search(run.text)]
    assert len(chinese_runs) >= 20  # indicator names, terms, outline, Chinese title
    for run in chinese_runs:
        fonts = _rfonts(run)
        assert fonts["eastAsia"] == "SimSun"
        assert fonts["hint"] == "eastAsia"
        assert run._r.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"

    cp = d.core_properties
    assert cp.title == "Government Work Report: English briefing"
    assert cp.subject == "the Fourth Session of the 18th Xinyuan County People's Congress"
    assert cp.author == "Rehemu Aimula"
    assert cp.language == "en-US"
    assert cp.identifier == f"sha256:{brief.source_sha256}"
    assert cp.created.date().isoformat() == "2024-01-26"
    assert "seed_report.txt" in cp.comments


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot render the DOCX")
    return exe


@pytest.mark.slow
def test_docx_renders_in_libreoffice(brief, tmp_path) -> None:
    import pdfplumber

    exe = _soffice()
    src = tmp_path / "seed.brief.docx"
    src.write_bytes(docx_bytes(brief))
    subprocess.run(
        [exe, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / "seed.brief.pdf"
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
        text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in doc.pages))
    assert 1 <= pages <= 4
    # Sections in order …
    ordered = [
        "GovernmentWorkReport",
        "Date:26January2024",
        "Speaker:RehemuAimula",
        "Keyindicators",
        "Outline",
        "I.ReviewofOurWorkin2023",
        "II.MajorTasksfor2024",
        "Policytermsused",
        "Summary",
        "xyconvertmodelsinstallFILE.argosmodel",
    ]
    pos = 0
    for want in ordered:
        found = text.find(want, pos)
        assert found >= 0, f"not rendered in order: {want}"
        pos = found + len(want)
    # … and the table's cells inside their section (a wrapped cell's lines interleave
    # with its neighbours' in the extracted text, so no order within a row).
    table = text[text.find("Keyindicators") : text.find("Outline")]
    for cell in ["Grossregionalproduct", "地区生产总值", "RMB13.746", "+8.4%", "RMB15.211",
                 "+8.5%", "USD31.41", "USD39.26", "RMB36,482", "RMB39,583", "+72.7%",
                 "农村居民人均可支配收入"]:
        assert cell in table, cell
    terms = text[text.find("Policytermsused") : text.find("Summary")]
    assert "高质量发展" in terms and "high-qualitydevelopment" in terms


# ------------------------------------------------------------------ CLI


def test_cli_writes_both_files_and_prints_json(tmp_path, no_model) -> None:
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["brief", str(SAMPLE), "-o", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    # and the manifest, shared with convert: brief over several inputs skips up-to-date ones
    assert sorted(p.name for p in out.iterdir()) == [
        ".xyconvert-manifest.json",
        "seed_report.brief.docx",
        "seed_report.brief.md",
    ]
    assert data["outputs"] == [str(out / "seed_report.brief.md"), str(out / "seed_report.brief.docx")]
    assert data["translated"] is False
    gdp = next(i for i in data["indicators"] if i["zh"] == "地区生产总值" and i["period"] == "result")
    assert gdp["block"] == 7 and gdp["headline"] is True
    assert gdp["value"] == {
        "text": "137.46亿元", "start": 11, "end": 19, "value": "13746000000", "unit": "元",
        "english": "RMB 13.746 billion",
    }
    assert gdp["growth"]["value"] == "8.4" and gdp["growth"]["text"] == "8.4%"
    assert gdp["name"] == {"start": 5, "end": 11}
    assert data["table"][0]["target"]["value"] == "RMB 15.211 billion"
    assert len(data["terms"]) > 20  # all of them, not only the listed ones


def test_cli_bad_input_writes_nothing(tmp_path, no_model) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(main, ["brief", str(tmp_path / "missing.txt"), "-o", str(out)])
    assert res.exit_code == 3
    assert res.stderr.startswith("xyconvert: ") and "missing.txt" in res.stderr
    assert "Traceback" not in res.output
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = runner.invoke(main, ["brief", str(empty), "-o", str(out)])
    assert res.exit_code == 4 and "empty.txt" in res.stderr
    bad = tmp_path / "bad.tsv"
    bad.write_text("zh\ten\n高质量发展\t\n", encoding="utf-8")
    res = runner.invoke(main, ["brief", str(SAMPLE), "-o", str(out), "--glossary", str(bad)])
    assert res.exit_code == 4 and "bad.tsv" in res.stderr
    assert not out.exists()


# ------------------------------------------------------------------ with a model


def test_summaries_filled_with_a_model(tmp_path_factory, sample_doc, glossary, monkeypatch) -> None:
    tinymodel = pytest.importorskip("tinymodel")
    pytest.importorskip("ctranslate2")
    from xyconvert.briefing import model_translator
    from xyconvert.translate import packages

    tmp = tmp_path_factory.mktemp("brief-argos")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp / "packages"))
    monkeypatch.setenv("XYCONVERT_CACHE_DIR", str(tmp / "cache"))
    packages.install_file(tinymodel.build_package(tmp / "dist"))

    translate = model_translator(glossary)
    assert translate is not None
    data = build_brief(sample_doc, glossary, translate)
    assert data.translated
    assert len(data.summaries) == 3
    # The tiny model is random (its output even holds Chinese pieces of its shared
    # vocabulary): check the structure, not the words.
    assert all(s.en and s.en != s.zh for s in data.summaries)
    assert [s.block for s in data.summaries] == [6, 27, 76]
    assert all(o.source in ("mt", "rule", "glossary") for o in data.outline)
    assert sum(o.source == "mt" for o in data.outline) == 22
    assert "(untranslated)" not in render_markdown(data)
    md = render_markdown(data)
    assert "### I. Review of Our Work in 2023" in md
    # Figures never go through MT: the table is the same as without a model.
    assert _rows_of(data, RESULT) == _expected(RESULTS_2023)


def test_a_review_that_completed_its_targets_is_not_the_target_paragraph(glossary) -> None:
    """完成全年主要目标任务 reports what was done: its figures are results, and the plan's
    预期目标 paragraph (which may come after other plan paragraphs) holds the targets."""
    blocks = [
        Block("title", "2025年政府工作报告"),
        Block("heading", "一、2024年工作回顾", level=2),
        Block("paragraph", "一年来，我们统筹推进稳增长、惠民生，实现地区生产总值1.2万亿元、增长5.6%，"
                           "顺利完成全年经济社会发展主要目标任务。"),
        Block("paragraph", "工业增势强劲，规上工业增加值增长8%，服务业增加值增长5%，社会消费品零售总额增长4%。"),
        Block("heading", "二、2025年工作总体要求和主要目标", level=2),
        Block("paragraph", "经分析测算，建议今年主要预期目标是：地区生产总值增长5%以上，"
                           "一般公共预算收入增长3%，城镇新增就业20万人以上。"),
    ]
    doc = Document(Metadata(title="2025年政府工作报告", date="2025-01-20"), blocks)
    periods = {(i.block, i.zh): i.period for i in extract_document(doc, glossary)}
    assert periods[(2, "地区生产总值")] == RESULT
    assert periods[(5, "地区生产总值")] == TARGET
    assert build_brief(doc, glossary).headline == {RESULT: 2, TARGET: 5}


def test_occasion_and_speaker_on_one_line(tmp_path: Path, glossary) -> None:
    """Some reports put the speaker on the occasion line (…会议上某省人民政府省长某某作政府工作报告):
    the metadata names both parts, the text keeps the line as written, and the briefing
    translates both."""
    line = "2025年1月20日在某某省第十四届人民代表大会第三次会议上某某省人民政府省长张建国作政府工作报告"
    body = "各位代表：\n\n现在，我代表省人民政府，向大会报告政府工作，请予审议。\n"
    report = tmp_path / "report.txt"
    report.write_text(f"2025年某某省政府工作报告\n\n{line}\n\n{body}", encoding="utf-8")
    doc = load_document(report)
    assert doc.metadata.occasion == "2025年1月20日在某某省第十四届人民代表大会第三次会议上"
    assert doc.metadata.speaker == "某某省人民政府省长张建国"
    assert doc.metadata.speaker_name == "张建国"
    assert line in [b.text for b in doc.blocks]
    header = build_brief(doc, glossary).header
    assert header.occasion == "the Third Session of the 14th Moumou Provincial People's Congress"
    assert header.speaker_name == "Zhang Jianguo"
    assert header.speaker_titles == ["Governor of Moumou Province"]


@pytest.mark.parametrize("occasion, speaker, want_occasion, want_titles", [
    ("2025年1月13日在黑龙江省第十四届人民代表大会第三次会议上", "省长张建国",
     "the Third Session of the 14th Heilongjiang Provincial People's Congress", ["Governor of Heilongjiang Province"]),
    ("2025年1月13日在重庆市第六届人民代表大会第三次会议上", "市长张建国",
     "the Third Session of the 6th Chongqing Municipal People's Congress", ["Mayor of Chongqing Municipality"]),
    ("2024年1月26日在新源县第十八届人民代表大会第四次会议上", "县长张建国",
     "the Fourth Session of the 18th Xinyuan County People's Congress", ["Xinyuan County Governor"]),
])
def test_a_bare_title_takes_the_place_of_the_congress(
        glossary, occasion: str, speaker: str, want_occasion: str, want_titles: list[str]) -> None:
    """省长张建国 under the 黑龙江省 congress is the Governor of Heilongjiang Province; a
    congress is named with the adjective (Provincial, Municipal), a county's with the noun."""
    meta = Metadata(title="政府工作报告", date="2025-01-13", occasion=occasion, speaker=speaker,
                    speaker_name="张建国")
    header = build_brief(Document(meta, [Block("title", "政府工作报告")]), glossary).header
    assert header.occasion == want_occasion
    assert header.speaker_titles == want_titles


def test_a_time_or_a_comparison_is_not_an_indicator_name(glossary) -> None:
    """三季度增长4.6%、高于全国0.2个百分点 states figures of an unnamed subject: no indicator
    is named 三季度 or 高于全国; a named one beside them is still found."""
    text = "实现三季度增长4.6%、追平全国，四季度增长5.6%、高于全国0.2个百分点，全年增长4.8%、总量达5.3万亿元，粮食产量增长2%。"
    names = [i.zh for i in extract_indicators(text, 0, glossary)]
    assert names == ["粮食产量"]
