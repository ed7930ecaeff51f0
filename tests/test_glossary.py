"""Glossary: built-in data, TSV/CSV/TBX loading, override order, matching, CLI."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from xyconvert.errors import InputNotFound, UnreadableInput
from xyconvert.glossary import (
    CATEGORIES,
    Automaton,
    Glossary,
    GlossaryEntry,
    builtin_path,
    check_document,
    check_glossary_file,
    hits_to_json,
    load_builtin,
    load_glossary,
    match_document,
    match_text,
    read_glossary_file,
)
from xyconvert.glossary.normalize import _per_char_simplified, match_key, to_simplified
from xyconvert.model import Block, Document, Metadata

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# Policy terms of samples/seed_gold.md a briefing writer would look up.
SEED_TERMS = re.findall(
    r"\S+",
    """
地区生产总值 规模以上工业总产值 规模以上工业增加值 一般公共预算收入 固定资产投资 招商引资到位资金
社会消费品零售总额 外贸进出口总额 城乡居民人均可支配收入 三次产业结构比 撤县设市 升规入统
专精特新 小巨人 绿色工厂 名特优新农产品 双碳 源网荷储一体化 乡村振兴 高标准农田 土地流转率
防止返贫动态监测和帮扶机制 不发生规模性返贫 衔接推进乡村振兴补助资金 农村卫生厕所普及率
休闲农业重点县 旅游兴县 进限入统 批零住餐 网络零售额 综合立体交通网 煤改电 棚户区改造 老旧小区
保障性租赁住房 民生支出 民生实事 就业优先政策 城镇新增就业 农村劳动力转移就业 城乡居民基本医疗保险
医养结合 托育机构 紧密型医共体 安全生产 河（湖）长制 林长制 两个确立 两个维护 放管服 权责清单
人大法律监督 政协民主监督 政务服务热线 党风廉政建设和反腐败斗争 中央八项规定及其实施细则精神
形式主义 官僚主义 基层减负 双拥模范县 兵地融合 兵地一盘棋 兵地一家亲 对口援疆 援疆资金
全国对口支援新疆工作会议 十四五 中央经济工作会议 中央农村工作会议 新时代党的治疆方略
铸牢中华民族共同体意识 高质量发展 质的有效提升和量的合理增长 统筹发展和安全 稳中求进工作总基调
新发展格局 三农 中国特色社会主义乡村振兴道路 宜居宜业和美乡村 巩固拓展脱贫攻坚成果 千万工程
五大振兴 农村人居环境整治提升五年行动 厕所革命 新型农业经营主体 农民专业合作社 家庭农场
延链补链强链 链主企业 增量配电网 高新技术企业 科技型中小企业 新质生产力 进限入统 企升规
地方政府专项债券 中央预算内投资 项目为王 一网通办 市场化法治化国际化营商环境 一企一策
拖欠民营企业中小企业账款 全域旅游 夜间经济 新型城镇化 城市信息模型 两违 青年发展型城市
生态保护红线 减污降碳协同增效 国家生态文明示范区 绿水青山就是金山银山 蓝天保卫战 碧水保卫战
净土保卫战 三线一单 两高一低 碳达峰碳中和 超低排放改造 双减 立德树人 DRG支付方式改革
安全生产治本攻坚三年行动 党的民族理论和民族政策 文化润疆 文化润疆工程 国家通用语言文字
中华民族共有精神家园 五个认同 民族团结进步示范区 民族团结一家亲 三大功能 四大作用 民生援疆
智力援疆 产业援疆 就业援疆 依法行政 习近平法治思想 重大行政决策 三项制度 八五普法 四下基层
数字政府 互联网+督查 全面从严治党主体责任 过紧日子 三公经费 四种形态 中国式现代化
习近平新时代中国特色社会主义思想 以习近平同志为核心的党中央 党的二十大 二十届二中全会 主题教育
人民代表大会 政协 自治区 自治州 县委 兵团 工商联 无党派人士 工青妇 政府常务会议
""",
)


def _uncovered(terms: list[str], found: set[str]) -> list[str]:
    """Terms neither found nor inside a longer found term (十四五 inside 十四五规划:
    longest match wins, so the shorter term is covered, not listed)."""
    return sorted({t for t in terms if not any(match_key(t) in match_key(f) for f in found)})


def _gold_document() -> Document:
    """samples/seed_gold.md as a Document: one block per paragraph, headings unmarked."""
    text = (SAMPLES / "seed_gold.md").read_text(encoding="utf-8")
    blocks = []
    for para in text.split("\n\n"):
        para = para.strip()
        if para:
            kind = "heading" if para.startswith("#") else "paragraph"
            blocks.append(Block(kind, re.sub(r"^#+\s*", "", para)))
    return Document(Metadata(title="政府工作报告"), blocks)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- built-in data


def test_builtin_glossary_is_large_clean_and_categorized() -> None:
    path = builtin_path()
    assert path.resolve() == (ROOT / "glossary" / "policy_terms.tsv").resolve()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "zh\ten\tcategory\tnote"
    rows = [ln.split("\t") for ln in lines[1:]]
    assert all(len(r) == 4 for r in rows)
    zh = [r[0] for r in rows]
    assert len(zh) >= 400
    assert len(set(zh)) == len(zh), "duplicate zh"
    assert len({match_key(z) for z in zh}) == len(zh), "duplicate zh after normalization"
    assert all(r[1].strip() for r in rows), "empty en"
    assert all(r[2] in CATEGORIES for r in rows)
    assert all(r[3].strip() for r in rows), "every entry names its source or usage"
    entries, problems = check_glossary_file(path)
    assert problems == []
    assert len(entries) == len(rows) == len(load_builtin())
    # Every category is really used.
    assert {r[2] for r in rows} == set(CATEGORIES)


def test_builtin_accepted_renderings() -> None:
    g = load_builtin()
    assert g.get("地区生产总值").en == "gross regional product (GRP)"
    assert (
        g.get("规模以上工业增加值").en
        == "value added of industrial enterprises above designated size"
    )
    assert g.get("专精特新").en == (
        "specialized and sophisticated enterprises that produce novel and unique products"
    )
    assert g.get("放管服").en == (
        "streamline administration, delegate power, improve regulation and services"
    )


# ---------------------------------------------------------------- TSV / CSV


def test_tsv_with_comments_extra_columns_and_aliases(tmp_path: Path) -> None:
    f = _write(
        tmp_path / "g.tsv",
        "# my terms\nChinese\tEnglish\treviewer\tcategory\n\n乡村振兴\trural vitalization\tli\tagri\n"
        "# a comment\n双碳\tdual carbon\n",
    )
    entries = read_glossary_file(f)
    assert [(e.zh, e.en, e.category) for e in entries] == [
        ("乡村振兴", "rural vitalization", "agri"),
        ("双碳", "dual carbon", ""),
    ]
    assert entries[0].origin == "g.tsv:4"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zh\ten\n乡村振兴\trural\n双碳\t\n", "line 3: empty en for '双碳'"),
        (
            "zh\ten\n乡村振兴\trural\n\n乡村振兴\tagain\n",
            "line 4: duplicate zh '乡村振兴' (first on line 2)",
        ),
        (
            "zh\ten\n鄉村振興\trural\n乡村振兴\tagain\n",
            "line 3: duplicate zh '乡村振兴' (first on line 2)",
        ),
        ("zh\ten\tnote\n乡村振兴\trural\tx\ty\n", "line 2: 4 fields but the header has 3"),
        ("中文术语\t英文\n乡村振兴\trural\n", "line 1: header must name the columns zh and en"),
        ("zh\ten\n\t rural\n", "line 2: empty zh"),
        ("# only a comment\n", "line 1: no header line"),
    ],
)
def test_tsv_errors_name_their_line(tmp_path: Path, text: str, message: str) -> None:
    f = _write(tmp_path / "bad.tsv", text)
    with pytest.raises(UnreadableInput) as info:
        read_glossary_file(f)
    assert info.value.path == str(f)
    assert info.value.problem.startswith(message)
    assert info.value.exit_code == 4


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    f = tmp_path / "gbk.tsv"
    f.write_bytes(b"zh\ten\n" + "乡村振兴\trural\n".encode("gbk"))
    with pytest.raises(UnreadableInput, match="line 2: not UTF-8"):
        read_glossary_file(f)
    with pytest.raises(InputNotFound):
        read_glossary_file(tmp_path / "missing.tsv")


def test_csv_quoted_fields_and_line_numbers(tmp_path: Path) -> None:
    f = _write(
        tmp_path / "g.csv",
        'zh,en,category,note\n放管服,"streamline administration, delegate power",gov,"two\nlines"\n'
        "双碳,,ecology,\n",
    )
    entries, problems = check_glossary_file(f)
    assert entries[0].en == "streamline administration, delegate power"
    assert entries[0].note == "two\nlines"
    assert [str(p) for p in problems] == ["line 4: empty en for '双碳'"]  # after the 2-line record


# ---------------------------------------------------------------- TBX

TBX_2008 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text>
    <body>
      <termEntry id="t1">
        <descrip type="subjectField">agriculture</descrip>
        <langSet xml:lang="zh-CN"><tig><term>乡村振兴</term></tig></langSet>
        <langSet xml:lang="zh-TW"><tig><term>鄉村振興</term></tig></langSet>
        <langSet xml:lang="en-US">
          <tig><term>rural vitalization</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
          <tig><term>rural revitalization</term></tig>
        </langSet>
      </termEntry>
      <termEntry id="t2">
        <langSet xml:lang="zh-Hant"><ntig><termGrp><term>撤縣設市</term></termGrp></ntig></langSet>
        <langSet xml:lang="en"><ntig><termGrp><term>turning counties into cities</term></termGrp></ntig></langSet>
        <descrip type="definition">county upgraded to county-level city</descrip>
      </termEntry>
      <termEntry id="t3">
        <langSet xml:lang="zh"><tig><term>只有中文</term></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>v3</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="c1">
        <descrip type="subjectField">industry</descrip>
        <langSec xml:lang="zh-Hans"><termSec><term>专精特新</term></termSec></langSec>
        <langSec xml:lang="en-GB"><termSec><term>specialised SMEs</term></termSec></langSec>
      </conceptEntry>
      <conceptEntry id="c2">
        <langSec xml:lang="zh"><termSec><term>双碳</term></termSec></langSec>
        <langSec xml:lang="en"><termSec><term>dual carbon goals</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"""


def test_tbx_2008_martif(tmp_path: Path) -> None:
    f = _write(tmp_path / "terms.tbx", TBX_2008)
    entries, problems = check_glossary_file(f)
    assert [(e.zh, e.en, e.category) for e in entries] == [
        ("乡村振兴", "rural revitalization", "agriculture"),  # zh-TW variant folded in
        ("撤縣設市", "turning counties into cities", ""),
    ]
    assert entries[1].note == "county upgraded to county-level city"
    assert [(p.line, p.severity) for p in problems] == [(22, "warning")]  # t3: no English
    # A traditional-script TBX term still matches simplified text.
    g = Glossary(entries)
    assert [m.entry.en for m in match_text("推动撤县设市", g)] == ["turning counties into cities"]


def test_tbx_v3_namespaced(tmp_path: Path) -> None:
    f = _write(tmp_path / "terms.tbx", TBX_V3)
    assert [(e.zh, e.en, e.category) for e in read_glossary_file(f)] == [
        ("专精特新", "specialised SMEs", "industry"),
        ("双碳", "dual carbon goals", ""),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            TBX_V3.replace(
                "</termSec></langSec>\n        <langSec", "</langSec>\n        <langSec", 1
            ),
            "line 8: malformed XML: mismatched tag",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE tbx [\n<!ENTITY a "aaaa">\n]>\n<tbx>&a;</tbx>',
            "line 3: entity declarations are not allowed",
        ),
        ("<?xml version='1.0'?>\n<glossary/>\n", "line 2: not a TBX file"),
        (
            TBX_V3.replace('<langSec xml:lang="zh">', "<langSec>"),
            "line 12: <langSec> without xml:lang",
        ),
    ],
)
def test_tbx_errors_name_their_line(tmp_path: Path, text: str, message: str) -> None:
    f = _write(tmp_path / "bad.tbx", text)
    with pytest.raises(UnreadableInput) as info:
        read_glossary_file(f)
    assert info.value.problem.startswith(message)


# ---------------------------------------------------------------- override order


def test_user_glossaries_override_builtin_in_order(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.tsv", "zh\ten\n乡村振兴\trural vitalization\n双碳\tdual carbon\n")
    b = _write(tmp_path / "b.csv", "zh,en\n鄉村振興,revitalizing the countryside\n")
    g = load_glossary([a, b])
    assert len(g) == len(load_builtin())  # overrides, no new keys
    assert g.get("乡村振兴").en == "revitalizing the countryside"  # b (traditional key) wins
    assert g.get("双碳").en == "dual carbon"
    assert g.get("高标准农田").en == "high-standard farmland"  # untouched built-in
    assert load_glossary([b, a]).get("乡村振兴").en == "rural vitalization"
    assert len(load_glossary([a], builtin=False)) == 2
    # Matching uses the override.
    [m] = match_text("推进鄉村振興", g)
    assert (m.text, m.en) == ("鄉村振興", "revitalizing the countryside")


# ---------------------------------------------------------------- matching


def test_traditional_text_matches_simplified_glossary() -> None:
    g = load_builtin()
    text = "堅持鄉村振興，實現規模以上工業增加值增長12%。"
    found = [(m.text, m.zh, text[m.start : m.end]) for m in match_text(text, g)]
    assert ("鄉村振興", "乡村振兴", "鄉村振興") in found
    assert ("規模以上工業增加值", "规模以上工业增加值", "規模以上工業增加值") in found


def test_longest_match_wins_and_matches_do_not_overlap() -> None:
    g = load_builtin()
    text = "实现规模以上工业增加值26.24亿元，工业增加值增长，规模以上企业"
    got = [(m.start, m.end, m.zh) for m in match_text(text, g)]
    assert got[0] == (2, 11, "规模以上工业增加值")
    assert (19, 24, "工业增加值") in got
    assert "规模以上" in [z for _, _, z in got]
    ends = [0]
    for start, end, _ in got:
        assert start >= ends[-1]
        ends.append(end)


def test_quotes_spaces_and_fullwidth_inside_terms() -> None:
    g = load_builtin()
    text = "深入开展“八五”普法，推动“放管服”改革，专精特新“小巨人”企业，河(湖)长制，DRG支付方式改革，乡村 振兴"
    got = {m.text: m.zh for m in match_text(text, g)}
    assert got["“八五”普法"] == "八五普法"  # span widened to keep the quotes balanced
    assert got["“放管服”改革"] == "放管服改革"
    assert got["河(湖)长制"] == "河（湖）长制"
    assert got["DRG支付方式改革"] == "DRG支付方式改革"
    assert got["乡村 振兴"] == "乡村振兴"
    assert "专精特新" in got.values() and "“小巨人”" not in got


def test_automaton_equals_brute_force_leftmost_longest() -> None:
    rng = random.Random(7)
    for _ in range(200):
        patterns = list({"".join(rng.choices("abc", k=rng.randint(1, 4))) for _ in range(6)})
        text = "".join(rng.choices("abcd", k=60))
        expected, i = [], 0
        while i < len(text):
            hits = [p for p in patterns if text.startswith(p, i)]
            if hits:
                p = max(hits, key=len)
                expected.append((i, i + len(p), patterns.index(p)))
                i += len(p)
            else:
                i += 1
        assert Automaton(patterns).find_longest(text) == expected
        every = sorted(Automaton(patterns).iter_matches(text))
        assert every == sorted(
            (m.start(), m.start() + len(p), k)
            for k, p in enumerate(patterns)
            for m in re.finditer(f"(?={re.escape(p)})", text)
        )


def test_simplified_conversion_keeps_length() -> None:
    text = (SAMPLES / "seed_gold.md").read_text(encoding="utf-8")
    trad = "鄉村振興與兵團的發展，臺灣與台灣，乾隆、乾燥，著名、瞭解、於是"
    for sample in (text, trad, text + trad):
        assert len(to_simplified(sample)) == len(sample)
    assert _per_char_simplified(trad).startswith("乡村振兴与兵团的发展")
    assert len(_per_char_simplified(trad)) == len(trad)


def test_matches_carry_block_positions_and_json() -> None:
    doc = _gold_document()
    g = load_builtin()
    matches = match_document(doc, g)
    for m in matches:
        assert doc.blocks[m.block].text[m.start : m.end] == m.text
    hits = hits_to_json(matches, g)
    first = {h["zh"]: h for h in hits}
    assert first["地区生产总值"]["en"] == "gross regional product (GRP)"
    assert first["地区生产总值"]["count"] == len(first["地区生产总值"]["occurrences"]) == 2
    assert sum(h["count"] for h in hits) == len(matches)
    assert set(hits[0]) == {"zh", "en", "category", "note", "count", "occurrences"}
    json.dumps(hits, ensure_ascii=False)


def test_every_seed_term_is_found_in_the_gold_report() -> None:
    glossary = load_builtin()
    missing_from_glossary = [t for t in SEED_TERMS if t not in glossary]
    assert missing_from_glossary == []
    found = {m.zh for m in match_document(_gold_document(), glossary)}
    assert _uncovered(SEED_TERMS, found) == []
    assert {"乡村振兴", "专精特新", "两个确立", "对口援疆", "十四五规划"} <= found


def test_check_document_lists_terms_and_candidates() -> None:
    result = check_document(_gold_document(), load_builtin())
    terms = {t["zh"]: t["count"] for t in result["terms"]}
    assert terms["对口援疆"] == 3
    assert result["occurrences"] == sum(terms.values())
    cands = {c["zh"]: c for c in result["candidates"]}
    assert "六个百亿级" in cands and cands["六个百亿级"]["kind"] == "quoted"
    assert not set(cands) & set(terms), "a glossary term offered as candidate"
    for common in ("发展", "推进", "贯彻落实", "大力发展"):
        assert common not in cands


# ---------------------------------------------------------------- CLI


def _run(*args: str):
    from xyconvert.cli import main

    return CliRunner().invoke(main, ["glossary", *args], catch_exceptions=False)


def test_cli_list() -> None:
    res = _run("list", "--category", "xinjiang")
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0] == "zh\ten\tcategory\tnote"
    assert all(ln.split("\t")[2] == "xinjiang" for ln in lines[1:])
    assert any(ln.startswith("对口援疆\t") for ln in lines)
    data = json.loads(_run("list", "--json").output)
    assert len(data) == len(load_builtin())
    assert set(data[0]) == {"zh", "en", "category", "note"}
    bad = _run("list", "--category", "nope")
    assert bad.exit_code == 2 and "known: economy" in bad.output


def test_cli_list_with_user_glossary(tmp_path: Path) -> None:
    f = _write(
        tmp_path / "u.tsv", "zh\ten\tcategory\n双十双百\tdouble ten, double hundred\tlocal\n"
    )
    res = _run("list", "--glossary", str(f), "--category", "local")
    assert res.output.splitlines()[1:] == ["双十双百\tdouble ten, double hundred\tlocal\t"]


def test_cli_validate(tmp_path: Path) -> None:
    ok = _run("validate", str(builtin_path()))
    assert ok.exit_code == 0 and "entries, OK" in ok.output
    bad = _write(tmp_path / "bad.tsv", "zh\ten\n乡村振兴\trural\n双碳\t\n乡村振兴\tx\n乡\tx\n")
    res = CliRunner().invoke(
        __import__("xyconvert.cli", fromlist=["main"]).main, ["glossary", "validate", str(bad)]
    )
    assert res.exit_code == 4
    assert f"{bad}: line 3: error: empty en for '双碳'" in res.output
    assert f"{bad}: line 4: error: duplicate zh '乡村振兴' (first on line 2)" in res.output
    assert "line 5: warning: single-character term" in res.output
    data = json.loads(_run("validate", "--json", str(bad)).output)
    assert data["valid"] is False and [p["line"] for p in data["problems"]] == [3, 4, 5]
    missing = _run("validate", str(tmp_path / "none.tsv"))
    assert missing.exit_code == 3 and "xyconvert: " in missing.output


def test_cli_import_tbx_to_tsv(tmp_path: Path) -> None:
    src = _write(tmp_path / "terms.tbx", TBX_2008)
    out = tmp_path / "sub" / "terms.tsv"
    res = _run("import", str(src), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert "2 entries written" in res.output and "1 entries without zh or en skipped" in res.output
    assert out.read_text(encoding="utf-8").splitlines() == [
        "zh\ten\tcategory\tnote",
        "乡村振兴\trural revitalization\tagriculture\t",
        "撤縣設市\tturning counties into cities\t\tcounty upgraded to county-level city",
    ]
    assert _run("validate", str(out)).exit_code == 0
    assert not list(out.parent.glob(".*.part"))  # atomic write left no temp file
    broken = _write(tmp_path / "broken.tbx", TBX_V3[:-40])
    res = _run("import", str(broken), "-o", str(tmp_path / "x.tsv"))
    assert res.exit_code == 4 and "malformed XML" in res.output
    assert not (tmp_path / "x.tsv").exists()


def test_cli_check_real_report() -> None:
    pytest.importorskip("xyconvert.pipeline")
    res = _run("check", str(SAMPLES / "seed_report.txt"), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    found = {t["zh"] for t in data["terms"]}
    # The raw report is line-wrapped and letter-spaced; after repair every term is found.
    assert _uncovered(SEED_TERMS, found) == []
    assert data["candidates"]
    text = _run("check", str(SAMPLES / "seed_report.txt"))
    assert "gross regional product (GRP)" in text.output
    assert "Candidate terms not in the glossary" in text.output


def test_cli_check_errors(tmp_path: Path) -> None:
    pytest.importorskip("xyconvert.pipeline")
    res = _run("check", str(tmp_path / "missing.txt"))
    assert res.exit_code == 3 and res.output.startswith("xyconvert: ")
    bad = _write(tmp_path / "bad.tsv", "zh\ten\n双碳\t\n")
    res = _run("check", str(SAMPLES / "seed_report.txt"), "--glossary", str(bad))
    assert res.exit_code == 4 and "bad.tsv: line 2: empty en" in res.output


def test_cli_import_stays_light() -> None:
    code = (
        "import sys, xyconvert.cli, xyconvert.commands.glossary, xyconvert.glossary;"
        "print(sorted(m for m in ('jieba', 'opencc') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_glossary_entry_dict() -> None:
    e = GlossaryEntry("双碳", "dual carbon", "ecology", "note", "f.tsv:2")
    assert e.to_dict() == {
        "zh": "双碳",
        "en": "dual carbon",
        "category": "ecology",
        "note": "note",
        "origin": "f.tsv:2",
    }
