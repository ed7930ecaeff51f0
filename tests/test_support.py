"""Tests of the test-support yardstick (scorer) and the garbler themselves."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

try:  # tests/ is not a package (and site-packages ships an unrelated ``tests``)
    from support.garble import NO_END, NO_START, display_width, encode, garble, render_lines
    from support.scoring import parse_markdown_blocks, score
except ImportError:  # pragma: no cover - if tests/ ever becomes a package
    from tests.support.garble import (
        NO_END,
        NO_START,
        display_width,
        encode,
        garble,
        render_lines,
    )
    from tests.support.scoring import parse_markdown_blocks, score

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
GOLD = (SAMPLES / "seed_gold.md").read_text(encoding="utf-8")
SEED_REPORT = (SAMPLES / "seed_report.txt").read_text(encoding="utf-8")


def _md(blocks: list[tuple[str, int, str]]) -> str:
    return (
        "\n\n".join(("#" * lvl + " " + t) if kind == "heading" else t for kind, lvl, t in blocks)
        + "\n"
    )


def _flat_gold() -> str:
    return "".join(re.sub(r"\s+", "", t) for _, _, t in parse_markdown_blocks(GOLD))


def _n_boundaries(md: str) -> int:
    return len(parse_markdown_blocks(md)) - 1


def _pages(text: str) -> list[list[str]]:
    # Garbled with page_marker="formfeed", blank_between=False.
    return [p.strip("\n").split("\n") for p in text.split("\f")]


# --------------------------------------------------------------------- scorer


def test_parse_blocks_front_matter_and_headings() -> None:
    md = "---\ntitle: x\nlang: zh\n---\n# 标题\n\n## 一、概况 ##\n正文第一行\n第二行\n\n\n### （一）小节。\n\n段落。\n"
    assert parse_markdown_blocks(md) == [
        ("heading", 1, "标题"),
        ("heading", 2, "一、概况"),
        ("paragraph", 0, "正文第一行\n第二行"),
        ("heading", 3, "（一）小节。"),
        ("paragraph", 0, "段落。"),
    ]


def test_parse_gold_shape() -> None:
    blocks = parse_markdown_blocks(GOLD)
    assert blocks[0] == ("heading", 1, "政府工作报告")
    assert sum(1 for k, _, _ in blocks if k == "heading") == 1 + 3 + 21
    assert all(k == "paragraph" or lvl in (1, 2, 3) for k, lvl, _ in blocks)


def test_gold_against_itself_is_perfect() -> None:
    s = score(GOLD, GOLD)
    assert s.char_similarity == 1.0
    assert s.para_f1 == s.para_precision == s.para_recall == 1.0
    assert s.heading_f1 == 1.0
    assert s.cjk_space_count == 0
    assert s.details == []
    assert s.passes() and s.passes(max_cjk_spaces=0)
    assert "char=1.00000" in str(s)


def test_front_matter_ignored() -> None:
    s = score("---\nsource: seed\n---\n" + GOLD, GOLD)
    assert s.passes(char=1.0, para=1.0, heading=1.0)


def test_moved_boundary_lowers_para_f1_exactly() -> None:
    blocks = parse_markdown_blocks(GOLD)
    # first paragraph followed by a paragraph that has a sentence to move
    k = next(
        i
        for i in range(len(blocks) - 1)
        if blocks[i][0] == blocks[i + 1][0] == "paragraph" and "。" in blocks[i + 1][2][:-1]
    )
    nxt = blocks[k + 1][2]
    cut = nxt.index("。") + 1
    moved = list(blocks)
    moved[k] = ("paragraph", 0, blocks[k][2] + nxt[:cut])
    moved[k + 1] = ("paragraph", 0, nxt[cut:])
    n = _n_boundaries(GOLD)
    s = score(_md(moved), GOLD)
    assert s.char_similarity == 1.0
    assert s.para_precision == pytest.approx((n - 1) / n)
    assert s.para_recall == pytest.approx((n - 1) / n)
    assert s.para_f1 == pytest.approx((n - 1) / n)
    assert sum(d.startswith("missed boundary") for d in s.details) == 1
    assert sum(d.startswith("extra boundary") for d in s.details) == 1
    assert any(nxt[cut : cut + 5] in d for d in s.details)  # context shown


def test_merged_and_split_paragraphs() -> None:
    blocks = parse_markdown_blocks(GOLD)
    n = _n_boundaries(GOLD)
    k = next(i for i in range(len(blocks) - 1) if blocks[i][0] == blocks[i + 1][0] == "paragraph")
    merged = [*blocks[:k], ("paragraph", 0, blocks[k][2] + blocks[k + 1][2]), *blocks[k + 2 :]]
    s = score(_md(merged), GOLD)
    assert s.para_precision == 1.0
    assert s.para_recall == pytest.approx((n - 1) / n)
    # splitting a paragraph in two adds one unmatched predicted boundary
    text = blocks[k][2]
    split = [
        *blocks[:k],
        ("paragraph", 0, text[:10]),
        ("paragraph", 0, text[10:]),
        *blocks[k + 1 :],
    ]
    s = score(_md(split), GOLD)
    assert s.para_recall == 1.0
    assert s.para_precision == pytest.approx(n / (n + 1))


def test_boundaries_survive_text_errors() -> None:
    # A wrong character next to a boundary must not cost the boundary itself.
    gold = "# 标题\n\n第一段文字。\n\n第二段文字。\n"
    pred = "# 标题\n\n第一段文宇。X\n\n第二段文字。\n"
    s = score(pred, gold)
    assert s.para_f1 == 1.0
    assert s.char_similarity == pytest.approx(1 - 2 / len("标题第一段文字。第二段文字。"), abs=0.02)
    assert s.char_similarity < 1.0


def test_char_similarity_whitespace_insensitive() -> None:
    blocks = parse_markdown_blocks(GOLD)
    spaced = _md([(k, lvl, " ".join(t)) for k, lvl, t in blocks])
    s = score(spaced, GOLD)
    assert s.char_similarity == 1.0 and s.para_f1 == 1.0 and s.heading_f1 == 1.0
    assert s.cjk_space_count > 1000
    assert s.passes() and not s.passes(max_cjk_spaces=0)
    flat = _flat_gold()
    dropped = _md([("paragraph", 0, flat[:100] + flat[101:])])
    assert score(dropped, _md([("paragraph", 0, flat)])).char_similarity == pytest.approx(
        1 - 1 / len(flat)
    )


def test_changed_heading_lowers_heading_f1() -> None:
    blocks = parse_markdown_blocks(GOLD)
    h = sum(1 for k, _, _ in blocks if k == "heading")
    i = next(i for i, b in enumerate(blocks) if b[1] == 3)
    changed = list(blocks)
    changed[i] = ("heading", 3, blocks[i][2] + "改")
    s = score(_md(changed), GOLD)
    assert s.heading_f1 == pytest.approx((h - 1) / h)
    assert any(d.startswith("missed heading h3") for d in s.details)
    assert any(d.startswith("extra heading h3") for d in s.details)
    assert not s.passes()
    # a wrong level is just as wrong
    relevel = list(blocks)
    relevel[i] = ("heading", 2, blocks[i][2])
    assert score(_md(relevel), GOLD).heading_f1 == pytest.approx((h - 1) / h)
    # a heading demoted to a paragraph: recall drops, precision stays
    demoted = list(blocks)
    demoted[i] = ("paragraph", 0, blocks[i][2])
    s = score(_md(demoted), GOLD)
    p, r = 1.0, (h - 1) / h
    assert s.heading_f1 == pytest.approx(2 * p * r / (p + r))
    assert s.para_f1 == 1.0  # same blocks, just another kind


def test_cjk_space_count() -> None:
    cases = {
        "中文": 0,
        "中 文": 1,
        "中  \t文": 1,
        "中 文 字": 2,
        "增长 8.4%": 1,  # CJK then digit
        "137.46 亿元": 1,  # digit then CJK
        "8.4% ；": 0,  # % is neither
        "B 层级": 0,  # letters do not count
        "“ 绿 色 ”": 3,  # CJK punctuation counts
        "ab cd": 0,
        "，  5": 1,
    }
    for text, n in cases.items():
        assert score(text, "x").cjk_space_count == n, text
    # across a soft line break inside one paragraph, too
    assert score("第一行\n第二行", "x").cjk_space_count == 1
    # but never across blocks
    assert score("第一段\n\n第二段", "x").cjk_space_count == 0


def test_seed_report_as_naive_markdown_fails() -> None:
    naive = "\n\n".join(line.strip() for line in SEED_REPORT.splitlines() if line.strip())
    s = score(naive, GOLD)
    assert not s.passes()
    assert s.para_precision < 0.3
    assert s.heading_f1 == 0.0
    assert s.cjk_space_count > 100


# -------------------------------------------------------------------- garbler


def test_garble_default_keeps_every_character() -> None:
    out = garble(GOLD)
    assert re.sub(r"\s+", "", out) == _flat_gold()
    assert out.startswith(" 政府工作报告\n\n")


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_garble_all_noise_keeps_characters(seed: int) -> None:
    out = garble(
        GOLD,
        seed=seed,
        reverse_pages=(3,),
        shuffle_pages=(5,),
        letterspace_frac=0.5,
        page_marker="formfeed",
        trailing_spaces=True,
        runin=1.0,
    )
    assert sorted(re.sub(r"\s+", "", out)) == sorted(_flat_gold())


def test_garble_deterministic() -> None:
    assert garble(GOLD, seed=3) == garble(GOLD, seed=3)
    assert garble(GOLD, seed=3) != garble(GOLD, seed=4)


def test_seed_like_format() -> None:
    out = garble(GOLD, page_lines=22)
    lines = out.split("\n")
    text_lines = [ln for ln in lines if ln.strip()]
    markers = [ln for ln in text_lines if ln.startswith(" ")]
    pages = render_lines(GOLD, page_lines=22)
    assert len(markers) == len(pages)
    # blank line between lines, none at a page break (as in the seed)
    for a, b in pairwise(lines):
        if a and b:
            assert b.startswith(" ")
    assert "137.46 亿元" in out


def test_digit_spaces() -> None:
    flat = garble(GOLD, letterspace_frac=0, page_marker="none")
    assert "137.46 亿元" in flat and "2023 年" in flat and "BSKL 水库" in flat
    assert "“煤改电”8530 户" in flat  # only next to ideographs
    assert not re.search(r"[\u4e00-\u9fff][0-9A-Za-z]|[0-9A-Za-z][\u4e00-\u9fff]", flat)
    raw = garble(GOLD, letterspace_frac=0, digit_spaces=False, page_marker="none")
    assert not re.search(r"[\u4e00-\u9fff] [0-9A-Za-z]|[0-9A-Za-z] [\u4e00-\u9fff]", raw)
    assert " " not in raw


def test_letterspacing() -> None:
    out = garble(GOLD, letterspace_frac=1.0, page_marker="none", blank_between=False)
    lines = out.rstrip("\n").split("\n")
    spaced = [
        ln for ln in lines if re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff] [\u4e00-\u9fff]", ln)
    ]
    n_blocks = len(parse_markdown_blocks(GOLD))  # at most one short, unjustified line each
    assert len(lines) - n_blocks <= len(spaced) < len(lines)
    # ASCII numbers stay whole
    assert any(re.search(r" \d+\.\d+ ", ln) for ln in spaced)
    assert not any(re.search(r"\d \.|\. \d", ln) for ln in spaced)
    none = garble(GOLD, letterspace_frac=0, page_marker="none", blank_between=False)
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff] [\u4e00-\u9fff]", none)


def test_render_lines_rules() -> None:
    for seed in range(3):
        pages = render_lines(GOLD, seed=seed, page_lines=21)
        assert all(1 <= len(p) <= 21 for p in pages)
        lines = [ln for p in pages for ln in p]
        assert all(display_width(ln) <= 28 for ln in lines)
        assert max(display_width(ln) for ln in lines) >= 26.5
        for a, b in pairwise(lines):
            assert b[0] not in NO_START, (a, b)
            assert a[-1] not in NO_END, (a, b)
            # never split an ASCII number or word
            assert not (re.search(r"[0-9A-Za-z.%]$", a) and re.match(r"[0-9A-Za-z.%]", b)), (a, b)
        assert "".join(lines) == _flat_gold()


def test_render_lines_runin() -> None:
    h3 = [t for k, lvl, t in parse_markdown_blocks(GOLD) if k == "heading" and lvl == 3]
    own = set(ln for p in render_lines(GOLD, runin=0.0) for ln in p)
    assert all(t in own for t in h3 if display_width(t) <= 25)
    glued = set(ln for p in render_lines(GOLD, runin=1.0) for ln in p)
    # (a heading that exactly fills its indented first line looks the same either way)
    ending = [t for t in h3 if t.endswith("。") and display_width(t) < 25]
    assert ending and not any(t in glued for t in ending)
    assert "（九）坚持融合发展，持续深化对口援疆" in glued  # no 。, never run in
    some = set(ln for p in render_lines(GOLD, runin=0.5, seed=2) for ln in p)
    assert 0 < sum(t in some for t in ending) < len(ending)


def test_pages_continue_paragraphs() -> None:
    pages = render_lines(GOLD, page_lines=21)
    # most page breaks fall inside a paragraph, like a real layout
    assert len(pages) > 20
    assert sum(len(p) for p in pages[:-1]) / (len(pages) - 1) > 20


def test_reverse_pages() -> None:
    kw: dict = dict(page_marker="formfeed", blank_between=False, letterspace_frac=0, seed=5)
    plain = _pages(garble(GOLD, **kw))
    rev = _pages(garble(GOLD, reverse_pages=(2, 4), **kw))
    assert len(plain) == len(rev)
    for i, (a, b) in enumerate(zip(plain, rev, strict=True), start=1):
        assert b == (a[::-1] if i in (2, 4) else a)


def test_reverse_pages_keeps_header_and_number() -> None:
    kw: dict = dict(
        page_marker="formfeed",
        blank_between=False,
        letterspace_frac=0,
        page_numbers="dash",
        running_header="新源县人民政府工作报告",
    )
    plain = _pages(garble(GOLD, **kw))
    rev = _pages(garble(GOLD, reverse_pages=(3,), **kw))
    assert rev[2][0] == plain[2][0] == "新源县人民政府工作报告"
    assert rev[2][-1] == plain[2][-1] == "- 3 -"
    assert rev[2][1:-1] == plain[2][1:-1][::-1]


def test_shuffle_pages() -> None:
    kw: dict = dict(page_marker="formfeed", blank_between=False, letterspace_frac=0)
    plain = _pages(garble(GOLD, **kw))
    shuf = _pages(garble(GOLD, shuffle_pages=(2,), **kw))
    assert sorted(shuf[1]) == sorted(plain[1]) and shuf[1] != plain[1]
    assert shuf[0] == plain[0] and shuf[2] == plain[2]


@pytest.mark.parametrize(
    ("style", "fmt"),
    [("dash", "- {} -"), ("emdash", "— {} —"), ("di", "第{}页"), ("bare", "{}")],
)
def test_page_numbers(style: str, fmt: str) -> None:
    pages = _pages(garble(GOLD, page_marker="formfeed", blank_between=False, page_numbers=style))  # type: ignore[arg-type]
    assert len(pages) > 10
    for i, p in enumerate(pages, start=1):
        assert p[-1] == fmt.format(i)


def test_running_header() -> None:
    hdr = "政府工作报告"
    pages = _pages(garble(GOLD, page_marker="formfeed", blank_between=False, running_header=hdr))
    assert pages[0][0] == hdr  # the title, not a header...
    assert pages[0][1] != hdr
    assert all(p[0] == hdr for p in pages[1:])
    pages = _pages(
        garble(
            GOLD,
            page_marker="formfeed",
            blank_between=False,
            running_header="2024年政府工作报告",
            header_on_first_page=True,
        )
    )
    assert all(p[0] == "2024年政府工作报告" for p in pages)
    none = garble(GOLD, page_marker="formfeed", blank_between=False)
    assert "2024年政府工作报告" not in none


def test_page_markers() -> None:
    n = len(render_lines(GOLD))
    sp = garble(GOLD, page_marker="space")
    assert sum(1 for ln in sp.split("\n") if ln.startswith(" ")) == n
    ff = garble(GOLD, page_marker="formfeed")
    assert ff.count("\f") == n - 1 and not ff.startswith(" ")
    no = garble(GOLD, page_marker="none")
    assert "\f" not in no and not any(ln.startswith(" ") for ln in no.split("\n"))
    assert garble(GOLD, blank_between=False, page_marker="none").count("\n\n") == 0
    with pytest.raises(ValueError):
        garble(GOLD, page_marker="dots")  # type: ignore[arg-type]


def test_trailing_spaces() -> None:
    out = garble(GOLD, trailing_spaces=True, page_marker="none")
    assert any(ln.endswith(" ") for ln in out.split("\n"))
    assert not any(ln.endswith(" ") for ln in garble(GOLD, page_marker="none").split("\n"))


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
@pytest.mark.parametrize("crlf", [False, True])
def test_encode_round_trip(enc: str, crlf: bool) -> None:
    text = garble(GOLD, seed=2, page_numbers="emdash", page_marker="formfeed")
    data = encode(text, enc, crlf=crlf)
    decoded = data.decode({"utf-16": "utf-16", "utf-8-sig": "utf-8-sig"}.get(enc, enc))
    assert decoded.replace("\r\n", "\n") == text
    assert (b"\r\n" in data or "\r\n".encode("utf-16-le") in data) == crlf
    if enc == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    if enc == "utf-16":
        assert data.startswith(b"\xff\xfe")


def test_encode_big5() -> None:
    trad = "政府工作報告\n\n各位代表：現在，我代表縣人民政府向大會報告工作。\n"
    assert encode(trad, "big5").decode("big5") == trad
    assert encode(trad, "big5", crlf=True).count(b"\r\n") == 3
    with pytest.raises(UnicodeEncodeError):
        encode("政府工作报告", "big5")  # 报 has no Big5 code
    with pytest.raises(ValueError):
        encode("x", "ebcdic")
