"""Translation memory (issue 16): TMX reading, exact/fuzzy lookup, number carrying, convert --tm.

The official translations live in ../shared/tmx (not in the repository); expected
English is read from them here with ElementTree, independently of xyconvert's reader.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from xyconvert.cli import main
from xyconvert.errors import InputNotFound, UnreadableInput
from xyconvert.tm import TranslationMemory, read_tmx
from xyconvert.tm.repair import repair

TMX_DIR = Path(__file__).resolve().parents[2] / "shared" / "tmx"
OLD_YEARS = range(2008, 2015)
needs_tmx = pytest.mark.skipif(not (TMX_DIR / "GR2015.tmx").is_file(), reason="../shared/tmx missing")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _pairs(path: Path) -> list[tuple[str, str]]:
    """(zh, en) of a TMX file, parsed here on its own (the oracle for the tests)."""
    out = []
    for tu in ET.parse(path).getroot().iter("tu"):
        sides = {}
        for tuv in tu.iter("tuv"):
            sides[tuv.get(XML_LANG, "")[:2].lower()] = " ".join("".join(tuv.find("seg").itertext()).split())
        if sides.get("zh") and sides.get("en"):
            out.append((sides["zh"], sides["en"]))
    return out


def _tmx(tmp_path: Path, pairs: list[tuple[str, str]], name: str = "tm.tmx") -> Path:
    body = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv><tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>\n'
        for zh, en in pairs
    )
    path = tmp_path / name
    path.write_text(f'<?xml version="1.0"?>\n<tmx version="1.4"><header/><body>\n{body}</body></tmx>\n', "utf-8")
    return path


# -- reading and lookup ----------------------------------------------------------------


@needs_tmx
def test_read_tmx_matches_an_independent_parse() -> None:
    units = read_tmx(TMX_DIR / "GR2015.tmx")
    assert [(u.zh, u.en) for u in units] == _pairs(TMX_DIR / "GR2015.tmx")
    assert units[0].origin == "GR2015.tmx:1"


def test_read_tmx_errors(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound):
        read_tmx(tmp_path / "none.tmx")
    bad = tmp_path / "bad.tmx"
    bad.write_text('<tmx version="1.4"><body>\n<tu><tuv xml:lang="zh"><seg>a</seg></tu>\n', "utf-8")
    with pytest.raises(UnreadableInput, match="line 2"):
        read_tmx(bad)
    other = tmp_path / "other.tmx"
    other.write_text("<html><body/></html>", "utf-8")
    with pytest.raises(UnreadableInput, match="not a TMX"):
        read_tmx(other)


def test_exact_and_fuzzy_lookup(tmp_path: Path) -> None:
    tm = TranslationMemory.from_files([
        _tmx(tmp_path, [("城镇新增就业900万人以上，", "Add more than 9 million urban jobs."),
                        ("各位代表！", "Fellow Deputies,")], "a.tmx"),
        _tmx(tmp_path, [("各位代表！", "Fellow Deputies!")], "b.tmx"),
    ])
    # Exact: whitespace, full-width digits and traditional characters do not matter;
    # the file given last wins.
    assert tm.exact("各位 代表！").unit.en == "Fellow Deputies!"
    assert tm.exact("城鎮新增就業９００萬人以上，").unit.origin == "a.tmx:1"
    # Fuzzy: numbers are masked, so only the number differs: similarity 1.0.
    hit = tm.lookup("城镇新增就业1100万人以上，")
    assert hit.kind == "fuzzy" and hit.score == 1.0
    # Masked and without its final mark the key has 11 characters: one inserted gives
    # 11/12 = 0.92 >= 0.85, two replaced give 9/11 = 0.82, below the threshold.
    assert tm.lookup("城镇新增就业900万人次以上，").score == pytest.approx(11 / 12, abs=1e-4)
    assert tm.lookup("城镇新增就业900万人左右，") is None
    assert tm.lookup("农村贫困人口减少1232万人。") is None
    assert tm.lookup("各位委员！") is None  # too short for fuzzy matching


def test_repair_carries_numbers_or_refuses() -> None:
    r = repair("城镇新增就业1000万人以上，", "城镇新增就业900万人以上，", "-- Add more than 9 million urban jobs.")
    assert r.english == "-- Add more than 10 million urban jobs." and r.numbers == 1
    r = repair("国内生产总值增长7%左右，", "国内生产总值增长7.5%左右，", "-- Increase GDP by about 7.5%.")
    assert r.english == "-- Increase GDP by about 7%."
    r = repair("一、2014年工作回顾", "一、2008年工作回顾", "I. Review of the Work in 2008")
    assert r.english == "I. Review of the Work in 2014"
    r = repair("中央财政拟安排9884.5亿元", "中央财政拟安排8000亿元", "The central government will allocate 800 billion yuan")
    assert r.english == "The central government will allocate 988.45 billion yuan"
    r = repair("减少22,600人", "减少12,600人", "down by 12,600 people")
    assert r.english == "down by 22,600 people"
    # Chinese numerals differ (三中、四中 vs 二中、三中): the English cannot be fixed by rule.
    assert repair("十八届三中、四中全会精神，", "十八届二中、三中全会精神，", "second and third plenary") is None
    # The old number is not in the English (written as a word): refuse.
    assert repair("新增就业1000万人", "新增就业900万人", "nine million jobs") is None
    # "about 10 million" is not "more than 9 million" with another number: refuse.
    assert repair("城镇新增就业1000万人左右，", "城镇新增就业900万人以上，", "more than 9 million urban jobs") is None
    # A different count of numbers: refuse.
    assert repair("增长7%和8%", "增长7%", "growth of 7%") is None


def test_repair_swaps_glossary_terms() -> None:
    def terms(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        table = {"社会治理": ("social governance",), "社会管理": ("social management", "public administration")}
        return [(m.start(), m.end(), table[m.group()]) for m in re.finditer("社会治理|社会管理", text)]

    r = repair("加强和创新社会治理。", "加强和创新社会管理。", "We will strengthen and make innovations in social management.", terms)
    assert r.english == "We will strengthen and make innovations in social governance." and r.terms == 1
    # The memory's term is not in its English: the match is refused.
    assert repair("加强社会治理。", "加强社会管理。", "We will do better.", terms) is None


# -- documents ---------------------------------------------------------------------------


def _report_2015(tmp_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """The 2015 report as text, rebuilt from GR2015.tmx's Chinese segments."""
    segments = _pairs(TMX_DIR / "GR2015.tmx")
    paragraphs, current = [], ""
    for zh, _ in segments:
        if not re.search(r"[。！？；，：]$", zh):  # title, headings, speaker lines
            if current:
                paragraphs.append(current)
                current = ""
            paragraphs.append(zh)
            continue
        current += zh
        if zh[-1] in "。！":
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    path = tmp_path / "gr2015.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", "utf-8")
    return path, segments


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_tmx
def test_2015_report_reuses_every_exact_match_without_a_model(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    report, segments = _report_2015(tmp_path)
    official: dict[str, str] = {}
    for year in OLD_YEARS:  # later years win, as with repeated --tm
        official.update({_key(zh): en for zh, en in _pairs(TMX_DIR / f"GR{year}.tmx")})
    exact = [(zh, official[_key(zh)]) for zh, _ in segments if _key(zh) in official]
    assert len(exact) >= 15

    out = tmp_path / "out"
    args = ["convert", str(report), "-o", str(out), "--to", "md,json", "--translate"]
    for year in OLD_YEARS:
        args += ["--tm", str(TMX_DIR / f"GR{year}.tmx")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "no zh→en model installed" in result.output  # and it says so
    english = (out / "gr2015.en.md").read_text("utf-8")
    for zh, en in exact:
        assert en in english, f"official translation of {zh!r} not reused"
    assert "[untranslated: " in english  # the others are marked

    data = json.loads((out / "gr2015.json").read_text("utf-8"))
    sentences = data["translation"]["sentences"]
    assert {s["origin"] for s in sentences} <= {"tm-exact", "tm-fuzzy", "untranslated"}
    counts = data["translation"]["counts"]
    assert counts["tm-exact"] >= len({zh for zh, _ in exact}) - 5  # some are parts of longer runs
    # Every character of the Chinese is in exactly one sentence of the report.
    blocks = data["blocks"]
    for s in sentences:
        assert blocks[s["block"]]["text"][s["start"] : s["end"]] == s["source"]
    fuzzy = [s for s in sentences if s["origin"] == "tm-fuzzy"]
    assert fuzzy and all(0.85 <= s["score"] <= 1.0 for s in fuzzy)
    # Fuzzy matches keep their numbers right: every percentage and year of the new
    # sentence is in its English, none of the memory's differing ones is.
    for s in fuzzy:
        new = set(re.findall(r"\d+(?:\.\d+)?%|20\d\d(?=年)", s["source"]))
        old = set(re.findall(r"\d+(?:\.\d+)?%|20\d\d(?=年)", s["tm_source"]))
        for number in new:
            assert number.rstrip("%") in s["english"], (s["source"], s["english"])
        for number in old - new:
            assert not re.search(rf"(?<![\d.]){re.escape(number.rstrip('%'))}(?![\d.])", s["english"]), s
    by_source = {s["source"]: s["english"] for s in fuzzy}
    assert "about 7%" in by_source["国内生产总值增长7%左右，"]
    assert "10 million" in by_source["城镇新增就业1000万人以上，"]
    assert "2014" in by_source["一、2014年工作回顾"]


def test_translate_with_tm_and_model(argos_env, tmp_path: Path, seed_report: Path) -> None:  # noqa: ANN001
    tm = _tmx(tmp_path, [("各位代表！", "Fellow Deputies,"),
                         ("一、2013年工作回顾", "I. Review of Our Work in 2013")])
    out = tmp_path / "out"
    args = ["convert", str(seed_report), "-o", str(out), "--to", "md,json", "--translate", "--tm", str(tm)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    english = (out / "seed_report.en.md").read_text("utf-8")
    assert "## I. Review of Our Work in 2023" in english  # fuzzy, year carried over
    assert "Fellow Deputies," in english and "[untranslated" not in english
    data = json.loads((out / "seed_report.json").read_text("utf-8"))
    origins = {s["origin"] for s in data["translation"]["sentences"]}
    assert origins == {"tm-exact", "tm-fuzzy", "mt"}
    assert "RMB 13.746 billion" in english  # MT sentences still get numbers by rule


def test_tm_usage_and_bad_files(tmp_path: Path, seed_report: Path) -> None:
    out = tmp_path / "out"
    tm = _tmx(tmp_path, [("各位代表！", "Fellow Deputies,")])
    result = CliRunner().invoke(main, ["convert", str(seed_report), "-o", str(out), "--tm", str(tm)])
    assert result.exit_code == 2 and "--tm is used with --translate" in result.output
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", "utf-8")
    result = CliRunner().invoke(main, ["convert", str(seed_report), "-o", str(out), "--translate", "--tm", str(bad)])
    assert result.exit_code == 4 and "bad.tmx" in result.output
    assert not out.exists()


def test_brief_with_tm_without_model(tmp_path: Path, seed_report: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    tm = _tmx(tmp_path, [("以调结构、聚集群为支撑，产业发展奏响新乐章。", "Industry grew on a better structure.")])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["brief", str(seed_report), "-o", str(out), "--tm", str(tm), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    outline = {o["zh"]: o for o in data["outline"]}
    assert "Industry grew on a better structure." in outline["（一）以调结构、聚集群为支撑，产业发展奏响新乐章。"]["en"]
    assert data["translation_memory"]["counts"]["tm-exact"] == 1
    assert "only translation-memory matches" in result.stderr


def test_headings_match_without_their_numbers(tmp_path: Path, seed_report: Path, monkeypatch) -> None:  # noqa: ANN001
    """A memory's numbered heading serves the same heading under another number, or none."""
    memory = TranslationMemory.from_files([_tmx(tmp_path, [
        ("六、加强政府自身建设", "VI. Strengthening Government Self-Improvement"),
        ("（三）扩大内需", "(3) Expanding domestic demand"),
        ("一、总体要求，", "I think so"),  # the English has no heading number: no variant
    ])])
    assert memory.exact("加强政府自身建设").english == "Strengthening Government Self-Improvement"
    assert memory.exact("六、加强政府自身建设").english.startswith("VI. ")
    assert memory.exact("扩大内需").english == "Expanding domestic demand"
    assert memory.exact("总体要求") is None
    # The briefing asks without the number and puts its own in front.
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    tm = _tmx(tmp_path, [("六、加强政府自身建设", "VI. Strengthening Government Self-Improvement")], "b.tmx")
    result = CliRunner().invoke(main, ["brief", str(seed_report), "-o", str(tmp_path / "out"),
                                       "--tm", str(tm), "--json"])
    assert result.exit_code == 0, result.output
    outline = {o["zh"]: o for o in json.loads(result.stdout)["outline"]}
    assert outline["三、加强政府自身建设"]["en"] == "III. Strengthening Government Self-Improvement"
