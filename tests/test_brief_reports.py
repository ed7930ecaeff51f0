"""The briefing on real reports: titles in English (no pinyin of 年 or of digits), and
``brief`` over several inputs and folders like ``convert``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xyconvert.briefing import build_brief
from xyconvert.briefing.header import place_name, title_english
from xyconvert.glossary import load_glossary
from xyconvert.pipeline import load_document

ROOT = Path(__file__).resolve().parents[1]
OTHER = ROOT.parent / "shared" / "samples" / "other_reports"
REPORTS = sorted(OTHER.glob("*.docx")) if OTHER.is_dir() else []
needs_reports = pytest.mark.skipif(len(REPORTS) != 8, reason="../shared/samples/other_reports not present")

# Lower-case pinyin syllables glued to a digit or to each other with an apostrophe,
# or the reading of 年 (year) itself: what romanising '2025年安徽' letter by letter gives.
ARTEFACT = re.compile(r"\d[a-z]|\bnian\b|nian'|[a-z]'[a-z]|\b[a-z]+nian", re.IGNORECASE)


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


@needs_reports
@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_report_title_has_no_pinyin_artefacts(path: Path, glossary) -> None:
    doc = load_document(path)
    data = build_brief(doc, glossary, None)
    title = data.header.title
    assert title, data.header.title_zh
    assert not ARTEFACT.search(title), title
    # year first, as these titles have it (2025年X省政府工作报告): the year goes last
    m = re.fullmatch(r"(?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)*) Government Work Report (?P<year>\d{4})", title)
    assert m, title
    assert m["year"] in data.header.title_zh
    assert m["place"].split()[-1] in ("Province", "Municipality")


def test_title_year_and_place_in_any_order(glossary) -> None:
    expected = "Anhui Province Government Work Report 2025"
    assert title_english("2025年安徽省政府工作报告", glossary) == expected
    assert title_english("安徽省2025年政府工作报告", glossary) == expected
    assert title_english("二〇二五年安徽省政府工作报告", glossary) == expected
    assert title_english("2024年新源县政府工作报告", glossary) == "Xinyuan County Government Work Report 2024"


def test_province_level_names(glossary) -> None:
    assert place_name("陕西省", glossary) == "Shaanxi Province"  # not Shanxi, which is 山西
    assert place_name("山西省", glossary) == "Shanxi Province"
    assert place_name("重庆市", glossary) == "Chongqing Municipality"
    assert place_name("内蒙古自治区", glossary) == "Inner Mongolia Autonomous Region"
    assert place_name("广西壮族自治区", glossary) == "Guangxi Zhuang Autonomous Region"
    assert place_name("2025年安徽省", glossary) is None  # a number is never part of a place name
