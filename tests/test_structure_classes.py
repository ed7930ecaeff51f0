"""The failure classes of issue 12, each on hand-made input (text as extraction gives it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import handmade
from support.garble import garble

from xyconvert.model import Block
from xyconvert.pipeline import load_bytes, load_document

FILLER = (
    "全年地区生产总值增长百分之五点八，规模以上工业增加值增长百分之九，固定资产投资稳步增长，"
    "社会消费品零售总额持续扩大，城乡居民收入稳定增加，就业形势总体稳定，物价水平保持平稳。"
)


def blocks_of(text: str) -> list[Block]:
    return load_bytes(text.encode("utf-8"), Path("case.txt")).blocks


def headings(blocks: list[Block]) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in blocks if b.type == "heading"]


def wrap(text: str, width: int = 27, indent: int = 0) -> list[str]:
    """Hard-wrap ``text`` into lines of ``width`` characters (the first ``indent`` shorter)."""
    out, rest, first = [], text, width - indent
    while rest:
        out.append(rest[:first])
        rest, first = rest[first:], width
    return out


def report(*parts: str) -> str:
    return "政府工作报告\n\n各位代表：\n\n" + "\n\n".join(parts) + "\n"


# 1 -- a heading swallows the next sentence -------------------------------------------


def test_short_heading_does_not_swallow_a_flush_paragraph() -> None:
    # ``回顾过去`` is a common phrase, so the words alone would glue the lines.
    body = "回顾过去一年，我们顶住压力、克服困难，" + FILLER
    gold = report(
        "## 一、2023年工作回顾",
        "过去一年，是全面贯彻党的二十大精神的开局之年。" + body * 2,
        "## 二、2024年工作安排",
        "今年是实现十四五规划目标任务的关键一年。" + body * 2,
    )
    for seed in range(3):
        got = headings(blocks_of(garble(gold, indent=0, seed=seed)))
        assert got == [(2, "一、2023年工作回顾"), (2, "二、2024年工作安排")], seed


def test_full_heading_line_before_an_indented_first_line_ends() -> None:
    # The heading fills its (indented) line; the next line is narrower by its lost indent.
    gold = report(
        "## 一、2024年工作回顾",
        FILLER * 3,
        "### （一）深化改革开放，服务和融入新发展格局更有作为",
        "改革添动力。" + FILLER * 2,
        "### （二）强化统筹兼顾，城乡融合和区域协调发展取得实效",
        "城市功能持续增强。" + FILLER * 2,
    )
    for seed in range(3):
        got = headings(blocks_of(garble(gold, seed=seed)))
        assert got == [
            (2, "一、2024年工作回顾"),
            (3, "（一）深化改革开放，服务和融入新发展格局更有作为"),
            (3, "（二）强化统筹兼顾，城乡融合和区域协调发展取得实效"),
        ], seed


# 2 -- unnumbered headings in text -------------------------------------------------


def test_unnumbered_headings_stand_alone_in_text() -> None:
    gold = report(
        FILLER * 2,
        "## 加强政府自身建设",
        FILLER * 3,
        "## 名词解释",
        "1.“两重”：国家重大战略实施和重点领域安全能力建设。",
        "2.“两新”：大规模设备更新和消费品以旧换新。",
    )
    blocks = blocks_of(garble(gold, seed=1, letterspace_frac=0))
    assert headings(blocks) == [(2, "加强政府自身建设"), (2, "名词解释")]
    items = [b.text for b in blocks if b.text.startswith(("1.", "2."))]
    assert items == ["1.“两重”：国家重大战略实施和重点领域安全能力建设。", "2.“两新”：大规模设备更新和消费品以旧换新。"]


# 3 -- numbering tracked per sequence and level -------------------------------------


def test_wrapped_body_line_starting_with_a_number_is_no_heading() -> None:
    body = "全省国有企业深化改革，压减法人户数，其中清理退出一" + "二、三级子公司332家。" + FILLER
    lines = (
        ["政府工作报告", "", "一、2024年工作回顾", "", "（一）经济运行稳中有进。", ""]
        + wrap(FILLER, indent=2)
        + ["（二）改革开放持续深化。", ""]
        + wrap(body, indent=2)
        + ["（三）民生福祉不断增进。", ""]
        + wrap(FILLER, indent=2)
    )
    got = headings(blocks_of("\n".join(lines) + "\n"))
    assert got == [
        (2, "一、2024年工作回顾"),
        (3, "（一）经济运行稳中有进。"),
        (3, "（二）改革开放持续深化。"),
        (3, "（三）民生福祉不断增进。"),
    ]


def test_an_annex_restarting_at_one_keeps_the_main_count() -> None:
    gold = report(
        "## 一、2025年重点任务",
        *[f"### （{n}）第{n}方面的重点工作。\n\n{FILLER}" for n in "一二三四五六"],
        "附件1 2025年十件民生实事",
        "## 一、为老年人提供助餐服务",
        FILLER,
        "## 二、为新生儿提供免费筛查",
        FILLER,
        *[f"### （{n}）第{n}方面的重点工作。\n\n{FILLER}" for n in "七八九"],
    )
    got = headings(blocks_of(garble(gold, seed=2, letterspace_frac=0)))
    for n in "一二三四五六七八九":
        assert (3, f"（{n}）第{n}方面的重点工作。") in got, n


def test_a_lost_heading_does_not_lose_the_rest() -> None:
    # 三、 is glued to the paragraph before (no line break): 四、 and 五、 must still count.
    gold = report(
        "## 一、过去一年的工作", FILLER * 2,
        "## 二、今年的总体要求", FILLER * 2 + "三、今年的重点任务" + FILLER,
        "## 四、加强政府自身建设", FILLER * 2,
        "## 五、名词解释", FILLER,
    )
    got = headings(blocks_of(garble(gold, seed=0, letterspace_frac=0)))
    assert (2, "四、加强政府自身建设") in got and (2, "五、名词解释") in got


def test_statistical_table_rows_are_not_headings() -> None:
    rows = ["一、食品烟酒  7983  5.3", "二、衣着  1521  2.8", "三、居住  6263  3.1", "四、生活用品及服务  1526  1.9"]
    text = "\n".join(["2024年全省居民消费支出", "", *wrap(FILLER, indent=2), "", *rows, "", *wrap(FILLER, indent=2)])
    assert headings(blocks_of(text + "\n")) == []


# 4 -- other numbering schemes --------------------------------------------------------


def test_capital_numerals_sit_above_chinese_numerals() -> None:
    gold = report(
        "## 壹、施政成果",
        "### 一、經濟發展",
        FILLER * 2,
        "### 二、社會福利",
        FILLER * 2,
        "## 貳、未來展望",
        "### 一、推動轉型",
        FILLER * 2,
    )
    got = headings(blocks_of(garble(gold, seed=0, letterspace_frac=0)))
    assert got == [
        (2, "壹、施政成果"), (3, "一、經濟發展"), (3, "二、社會福利"), (2, "貳、未來展望"), (3, "一、推動轉型"),
    ]


def test_each_article_of_a_regulation_is_its_own_paragraph() -> None:
    articles = [
        f"第{n}条 为了规范本省行政机关的工作秩序，提高行政效能，根据有关法律法规，结合本省实际，制定本办法。"
        for n in ("一", "二", "三", "四", "十四")
    ]
    lines = ["某省行政效能办法", "", "第一章 总则", ""]
    for a in articles:
        lines += wrap(a, indent=2)
    blocks = blocks_of("\n".join(lines) + "\n")
    starts = [b.text[: b.text.index("为")] for b in blocks if b.text.startswith("第") and "条" in b.text[:5]]
    # each article its own paragraph, the author's space after the number kept (README: De-spacing)
    assert starts == ["第一条 ", "第二条 ", "第三条 ", "第四条 ", "第十四条 "]
    assert (2, "第一章总则") in headings(blocks) or (2, "第一章 总则") in headings(blocks)


def test_decimal_section_numbers_are_headings() -> None:
    lines = ["某某技术规范", "一、总则", "1.1 适用范围"]
    lines += wrap(FILLER * 2, indent=2) + ["1.1.1 术语"] + wrap(FILLER * 2, indent=2)
    lines += ["1.2 基本要求"] + wrap("全市建成1.5万亿元规模的产业集群。" + FILLER, indent=2)
    got = [(level, text.replace(" ", "")) for level, text in headings(blocks_of("\n".join(lines) + "\n"))]
    assert got == [(2, "一、总则"), (3, "1.1适用范围"), (4, "1.1.1术语"), (3, "1.2基本要求")]


def test_items_in_other_schemes_are_list_items() -> None:
    text = "\n".join(
        ["政府工作报告", *wrap(FILLER, indent=2), "（1）加快建设现代化产业体系。", "（2）扩大有效投资。",
         "①推进重大项目。", "②优化营商环境。", "６、完善社会保障。", "７、提升公共服务。", ""]
    )
    blocks = blocks_of(text)
    items = [(b.type, b.marker) for b in blocks if b.type == "list_item"]
    assert items == [("list_item", "（1）"), ("list_item", "（2）"), ("list_item", "①"), ("list_item", "②"),
                     ("list_item", "6、"), ("list_item", "7、")]


# 7 -- front matter ---------------------------------------------------------------------


def test_date_line_and_salutation_are_separate_blocks() -> None:
    text = "\n".join(
        ["行政院施政報告", "", "中華民國114年2月25日", "", "韓院長、江副院長、各位委員先進：", "",
         *wrap("今天應邀列席貴院第11屆第3會期，提出施政報告，並備質詢，深感榮幸。" + FILLER, indent=2), ""]
    )
    texts = [b.text for b in blocks_of(text)]
    assert texts[:3] == ["行政院施政報告", "中華民國114年2月25日", "韓院長、江副院長、各位委員先進："]


def test_one_blank_line_after_the_title_does_not_make_the_text_blank_separated() -> None:
    # Single-spaced text whose only blank line follows the title: paragraphs end where
    # lines fall short, not only at blank lines (which would make the body one block).
    gold = report(
        "我们坚持稳中求进。" + FILLER * 2,
        "## 一、2024年工作回顾",
        "过去一年极不平凡。" + FILLER * 2,
        "城乡居民收入稳定增加。" + FILLER,
    )
    for seed in range(3):
        text = garble(gold, seed=seed, blank_between=False, page_marker="none", letterspace_frac=0)
        first, _, rest = text.partition("\n")
        blocks = blocks_of(first + "\n\n" + rest)
        assert [(b.type, b.text[:9]) for b in blocks] == [
            ("title", "政府工作报告"),
            ("paragraph", "各位代表："),
            ("paragraph", "我们坚持稳中求进。"),
            ("heading", "一、2024年工作"),
            ("paragraph", "过去一年极不平凡。"),
            ("paragraph", "城乡居民收入稳定增"),
        ], seed


def test_short_heading_stays_a_heading_where_no_line_wraps() -> None:
    # Text in which no line wraps (every line a short sentence, blank-separated or not)
    # says nothing by its width: the short, complete heading does not absorb the
    # sentence after it.
    for sep in ("\n\n", "\n\n\n"):
        blocks = blocks_of(sep.join(["一、过去一年的工作", "乡村振兴取得新成效。"]) + "\n")
        assert [(b.type, b.text) for b in blocks] == [
            ("heading", "一、过去一年的工作"),
            ("paragraph", "乡村振兴取得新成效。"),
        ], repr(sep)
    lines = ["政府工作报告", "一、过去一年的工作", "乡村振兴取得新成效。", "城乡居民收入稳定增加。", "二、今年的安排",
             "稳中求进，以进促稳。", "就业形势总体稳定。", "三、加强政府建设", "依法行政。"]
    for sep in ("\n\n", "\n"):
        assert headings(blocks_of(sep.join(lines) + "\n")) == [
            (2, "一、过去一年的工作"), (2, "二、今年的安排"), (2, "三、加强政府建设")
        ], repr(sep)


# 7 -- front matter in PDF: lines set close together in the body's font ---------------------

TW_FRONT = ["中華民國114年2月25日", "韓院長、江副院長、各位委員先進："]
CN_FRONT = ["2025年1月14日", "省长 王某某", "各位代表："]


@pytest.mark.parametrize("align", ["centre", "right", "left"])
@pytest.mark.parametrize("front", [TW_FRONT, CN_FRONT], ids=["tw", "cn"])
def test_pdf_date_line_and_salutation_are_separate_blocks(
    tmp_path: Path, pdf_engine: str, align: str, front: list[str]
) -> None:
    # The date (and speaker) set centred, right-aligned or flush, the salutation flush,
    # all in the body's font at the body's line pitch: nothing but the text separates them.
    pdf = tmp_path / "front.pdf"
    handmade.front_matter(pdf, [(front[0], align), *[(t, align) for t in front[1:-1]], (front[-1], "left")])
    texts = [b.text for b in load_document(pdf).blocks]
    assert texts[: len(front) + 1] == ["施政報告", *[t.replace(" ", "") for t in front]]
    assert texts[len(front) + 1].startswith("今天應邀列席貴院")


@pytest.mark.parametrize("align", ["centre", "left"])
def test_pdf_wrapped_occasion_line_stays_one_block(tmp_path: Path, pdf_engine: str, align: str) -> None:
    # A guard for the date-line rule: an occasion line that starts with a date and wraps
    # at the edge is one block; the speaker under it is another.
    occasion = "——2025年1月14日在某某省第十四届人民代表大会第三"
    pdf = tmp_path / "occasion.pdf"
    handmade.front_matter(pdf, [(occasion, align), ("次会议上", align), ("省长 王某某", align), ("各位代表：", "left")],
                          chars=25)
    texts = [b.text for b in load_document(pdf).blocks]
    assert texts[:4] == ["施政報告", occasion + "次会议上", "省长王某某", "各位代表："]


def test_text_date_line_speaker_and_salutation_are_separate_blocks() -> None:
    body = wrap("今天應邀列席貴院提出施政報告，並備質詢，深感榮幸。" + FILLER * 2, indent=2)
    for sep in ("\n", "\n\n"):
        for front in (TW_FRONT, CN_FRONT):
            texts = [b.text for b in blocks_of(sep.join(["施政報告", *front, *body]) + "\n")]
            assert texts[: len(front) + 1] == ["施政報告", *[t.replace(" ", "") for t in front]], (sep, front)
