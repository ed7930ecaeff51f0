"""Unit tests of the repair stages, against hand-written expectations."""

from __future__ import annotations

import pytest

from xyconvert.errors import UnreadableInput
from xyconvert.lines import SourceLine, SourcePage
from xyconvert.model import Document, Metadata
from xyconvert.normalize import canonical_chars
from xyconvert.readers.text import decode_text, split_pages
from xyconvert.repair import build_document
from xyconvert.repair.furniture import drop_furniture, is_page_number
from xyconvert.repair.joins import JoinScorer
from xyconvert.repair.order import restore_order
from xyconvert.repair.spacing import despace
from xyconvert.repair.structure import cn_number, heading_marker, inline_items, split_runin


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("接 推 进 乡 村 振 兴 补 助 资 金 1.36 亿 元 ， 实 施", "接推进乡村振兴补助资金1.36亿元，实施"),
        ("2024 年 1月 26日在新源县", "2024年1月26日在新源县"),
        ("国 家 级“ 绿 色 工 厂 ”  专 精 特新", "国家级“绿色工厂”专精特新"),
        ("园区 B 层级第 6 名", "园区B层级第6名"),
        ("Digital Persona 与 UP 主", "Digital Persona与UP主"),
        ("比例为 33.88 31.87 与 12 34", "比例为33.88 31.87与12 34"),
        ("编号 4 4 0 6 9 6 1 4 8 5", "编号4406961485"),
        ("增长 8.4 %", "增长8.4%"),
        ("政府县长\u3000热合木", "政府县长热合木"),
        ("clean text", "clean text"),
        # whole line letter-spaced, numbers included; a double space is a word break
        ("2 0 2 4 年 1 月 2 6 日 在 新 源 县", "2024年1月26日在新源县"),
        ("增 长 1 6 . 3 % ， 完 成 8 . 2 1 亿 元", "增长16.3%，完成8.21亿元"),
        ("T h e  q u i c k  f o x 和 中 国", "The quick fox和中国"),
    ],
)
def test_despace(raw: str, clean: str) -> None:
    assert despace(raw) == clean


@pytest.mark.parametrize(
    "text,expected",
    [
        ("— 3 —", True), ("- 12 -", True), ("－3－", True), ("第3页", True),
        ("第 3 页 共 29 页", True), ("3/29", True), ("- iv -", True), ("Page 7", True),
        ("2023年", False), ("一、工作回顾", False), ("3个", False),
    ],
)
def test_page_number_shapes(text: str, expected: bool) -> None:
    assert is_page_number(text) is expected


def test_canonical_chars() -> None:
    assert canonical_chars("２０２４年ＧＤＰ") == "2024年GDP"
    assert canonical_chars("(一)坚持") == "（一）坚持"
    assert canonical_chars("⽣产和⼀体化") == "生产和一体化"  # Kangxi radicals
    assert canonical_chars("artiﬁcial ﬂow") == "artificial flow"  # PDF ligatures
    assert canonical_chars("报告,请审议;谢谢") == "报告，请审议；谢谢"
    assert canonical_chars("时间10:30, ok") == "时间10:30, ok"
    assert canonical_chars("增长3.64％") == "增长3.64％"  # full-width percent is punctuation: kept


def test_chinese_numerals_and_markers() -> None:
    assert [cn_number(t) for t in ("一", "九", "十", "十二", "二十", "二十三")] == [1, 9, 10, 12, 20, 23]
    m = heading_marker("（十一）坚持")
    assert m is not None and (m.level, m.number) == (3, 11)
    assert heading_marker("一是坚持") is None
    m = heading_marker("第1章人工智能概述")
    assert m is not None and (m.level, m.number) == (1, 1)
    assert split_runin("（一）坚持“三农”为重，全面推进乡村振兴。坚持中国") == (
        "（一）坚持“三农”为重，全面推进乡村振兴。",
        "坚持中国",
    )
    assert split_runin("（九）坚持融合发展，持续深化对口援疆") == ("（九）坚持融合发展，持续深化对口援疆", "")


def test_inline_items_need_a_sequence() -> None:
    text = "办好三件事：1.加快建设。2.投资1.5亿元。3.完成改造。"
    items = inline_items(text)
    assert [i.marker for i in items] == ["1.", "2.", "3."]
    assert text[items[1].start :].startswith("2.投资")
    assert inline_items("道路1.2公里，投资3.5亿元。") == []


def test_decode_encodings() -> None:
    text = "政府工作报告\n各位代表：\n"
    for enc in ("utf-8", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"):
        decoded, name = decode_text(text.encode(enc))
        assert decoded == text, enc
    trad = "政府工作報告，鄉村振興取得新成效。"
    assert decode_text(trad.encode("big5"))[0] == trad
    with pytest.raises(UnreadableInput, match="binary"):
        decode_text(b"\x00\x01\x02\x03garbage\x00\x00\xff\xfe\x00")


def test_page_markers_only_when_regular() -> None:
    body = ["这是一行正文内容，用来充满页面。"] * 10
    marked = "\n".join([" 标题", *body, " 第二页开始", *body, " 第三页开始", *body])
    assert [len(p.lines) for p in split_pages(marked)] == [11, 11, 11]
    # Indented paragraphs at irregular places are not pages.
    indented = "\n".join(["标题", " 第一段", "正文", "正文", " 第二段", *body])
    assert len(split_pages(indented)) == 1
    assert len(split_pages("第一页\f第二页\f第三页")) == 3


def _page(number: int, texts: list[str]) -> SourcePage:
    return SourcePage(number, [SourceLine(t, number, i + 1) for i, t in enumerate(texts)])


def test_running_header_and_numbers_dropped() -> None:
    words = "春夏秋冬东南西北上下左右前后"
    pages = [
        _page(
            n,
            ["新源县人民政府工作报告", *[f"正文{words[n + k]}{words[k]}的内容" for k in range(6)], f"— {n} —"],
        )
        for n in range(1, 5)
    ]
    cleaned = drop_furniture(pages)
    assert all(ln.text.startswith("正文") for p in cleaned for ln in p.lines)
    assert [len(p.lines) for p in cleaned] == [6, 6, 6, 6]


def test_reversed_run_restored_without_page_marks() -> None:
    text = (
        "全面贯彻落实党的二十大精神，扎实推进乡村振兴战略，加快农业农村现代化建设步伐，"
        "持续巩固拓展脱贫攻坚成果，不断增强人民群众的获得感幸福感安全感，推动经济社会高质量发展。"
    ) * 3
    lines = [text[i : i + 20] for i in range(0, len(text), 20)]
    garbled = lines[:3] + lines[3:9][::-1] + lines[9:]
    scorer = JoinScorer(garbled)
    order = restore_order(garbled, [1] * len(garbled), scorer.score)
    assert [garbled[i] for i in order] == lines


def test_build_document_uses_layout_hints() -> None:
    """With PDF hints, an indented line starts a paragraph even after a full line."""
    texts = ["第一段的第一行文字内容。", "第二段的第一行文字", "内容在这里结束。"]
    page = SourcePage(
        1,
        [
            SourceLine(texts[0], 1, 1, indent=2.0, fill=1.0, size=1.0),
            SourceLine(texts[1], 1, 2, indent=2.0, fill=1.0, size=1.0),
            SourceLine(texts[2], 1, 3, indent=0.0, fill=0.5, size=1.0),
        ],
    )
    doc = build_document([page], Metadata())
    assert isinstance(doc, Document)
    assert [b.text for b in doc.blocks if b.type == "paragraph"] == [texts[0], texts[1] + texts[2]]


def test_document_json_round_trip(seed_report) -> None:  # noqa: ANN001 - fixture
    from xyconvert.pipeline import load_document

    doc = load_document(seed_report)
    again = Document.from_dict(doc.to_dict())
    assert again.to_dict() == doc.to_dict()


def test_mojibake_is_redecoded_and_latin_left_alone() -> None:
    from xyconvert.repair.mojibake import fix_mojibake, garbling_warnings

    gbk_as_latin1 = "基因外显子扩增产物".encode("gbk").decode("latin-1")
    assert fix_mojibake(f"图1 {gbk_as_latin1} PCR") == "图1 基因外显子扩增产物 PCR"
    utf8_as_cp1252 = "政府工作报告".encode().decode("cp1252", errors="replace")
    assert fix_mojibake(utf8_as_cp1252) == "政府工作报告"
    for text in ("Café résumé naïve", "“绿色工厂”专精特新", "Ängström", "Müller-Lüdenscheidt"):
        assert fix_mojibake(text) == text
    assert garbling_warnings(["佛山市佛佛佛佛佛佛佛佛纸纸"])
    assert garbling_warnings(["¡¤" * 30 + "正文"])
    assert garbling_warnings(["正常的政府工作报告文本，没有问题。"]) == []


def test_join_scorer_counts_asked_grams_as_the_full_table_does() -> None:
    """Grams counted one by one (the first ``_ASK_ONE_BY_ONE`` asked) match the table of
    all grams: overlapping repeats, folded digits, never across lines or whitespace."""
    import random

    from xyconvert.repair import joins

    lines = ["增长12.3亿元，亿元亿元", "收入 4.5亿元", "亿", "元亿元", "000 0", "ab亿 元", ""]
    fresh = JoinScorer(lines)
    # by hand: "亿元" 3 times in the first line, once in the second, fourth and sixth
    # (its space removed)
    assert fresh.doc_count("亿元") == 6
    assert fresh.doc_count("0亿元") == 2  # digits fold to 0: "3亿元", "5亿元"
    assert fresh.doc_count("000") == 2  # "0000" after the space goes: overlapping
    assert fresh.doc_count("亿元亿") == 1
    assert fresh.doc_count("亿元") == 6  # asked again: the same
    assert fresh.doc_count("亿 元") == 0 and fresh.doc_count("元\n元") == 0
    assert fresh.doc_count("亿元收") == 0  # across two lines: never a gram
    assert fresh.doc_count("元") == 0  # one character: not counted
    rng = random.Random(7)
    alphabet = "亿元增长0a1 ，"
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(60)]
    grams = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(600)]
    one_by_one = JoinScorer(lines)
    table = JoinScorer(lines).ngrams
    for gram in grams:  # past _ASK_ONE_BY_ONE distinct grams the table takes over
        assert one_by_one.doc_count(gram) == table.get(gram, 0), gram
    assert len({g for g in grams}) > joins._ASK_ONE_BY_ONE
