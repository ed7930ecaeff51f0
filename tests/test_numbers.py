"""Chinese amounts → English, by rule (xyconvert.translate.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xyconvert.translate.numbers import (
    convert_numbers,
    find_amounts,
    parse_amount,
    protect_numbers,
    render_amount,
)

CASES = [
    ("137.46亿元", "RMB 13.746 billion"),
    ("3141万美元", "USD 31.41 million"),
    ("22.46万亩", "224,600 mu"),
    ("1710.69万人次", "17.1069 million visits"),
    ("0.79万吨", "7,900 tonnes"),
    ("1—10亿元", "RMB 100 million–1 billion"),
    ("1-2亿元", "RMB 100–200 million"),
    ("4500余万元", "over RMB 45 million"),
    ("97.7%以上", "over 97.7%"),
    ("3—5个", "3–5"),
    ("2.8万亩", "28,000 mu"),
    ("36482元", "RMB 36,482"),
    ("8.4%", "8.4%"),
    ("3.64％", "3.64%"),
    ("５％—８％", "5–8%"),
    ("100万千瓦", "1 million kW"),
    ("166.32万头只", "1.6632 million head"),
    ("8.5万立方米", "85,000 cubic metres"),
    ("13平方公里", "13 square kilometres"),
    ("134.5公里", "134.5 km"),
    ("1.5万亿元", "RMB 1.5 trillion"),
    ("1万多人", "over 10,000 people"),
    ("1人", "1 person"),
    ("500余个", "over 500"),
    ("近5万人", "nearly 50,000 people"),
    ("约3000户", "about 3,000 households"),
    ("10万元以下", "under RMB 100,000"),
    ("2个百分点", "2 percentage points"),
    ("超亿元", "over RMB 100 million"),
    ("百万吨", "1 million tonnes"),
    ("三千五百万元", "RMB 35 million"),
    ("1,234.5万元", "RMB 12.345 million"),
    ("6343.54万元", "RMB 63.4354 million"),
]


@pytest.mark.parametrize(("zh", "en"), CASES)
def test_parse_and_render(zh: str, en: str) -> None:
    amount = parse_amount(zh)
    assert amount is not None, zh
    assert render_amount(amount) == en


def test_amount_fields() -> None:
    a = parse_amount("137.46亿元")
    assert a is not None
    assert a.value == Decimal("13746000000")
    assert a.unit_zh == "元" and a.unit_en == "RMB" and a.scaled and a.kind == "currency"
    r = parse_amount("1—10亿元")
    assert r is not None and r.value == Decimal(10) ** 8 and r.high == Decimal(10) ** 9
    p = parse_amount("97.7%以上")
    assert p is not None and p.percent and p.qualifier == "over" and p.value == Decimal("97.7")


@pytest.mark.parametrize(
    "text",
    [
        "2023年",
        "第6名",
        "33.88：31.87：34.25",
        "12345",
        "5G",
        "亿河新材料",
        "千万不要",
        "万一",
        "V2.0",
    ],
)
def test_not_amounts(text: str) -> None:
    assert find_amounts(text) == []
    assert parse_amount(text) is None


def test_words_containing_units_are_not_eaten() -> None:
    # 人口 (population), 家庭 (family): the unit char belongs to a word.
    text = "常住人口50万人，3个家庭"
    assert convert_numbers(text) == "常住人口500,000 people，3家庭"  # 个 goes, 家庭 stays


def test_convert_in_running_text() -> None:
    text = "预计，实现地区生产总值137.46亿元、增速8.4%；外贸进出口总额3141万美元。"
    assert convert_numbers(text) == (
        "预计，实现地区生产总值RMB 13.746 billion、增速8.4%；外贸进出口总额USD 31.41 million。"
    )


def test_no_bare_scale_left_in_sample_amounts() -> None:
    # Every digit-led 万/亿 of the sample report is converted.
    import re
    from pathlib import Path

    sample = (Path(__file__).resolve().parents[1] / "samples" / "seed_gold.md").read_text("utf-8")
    converted = convert_numbers(sample)
    assert not re.search(r"\d\s*[万亿]", converted)


def test_protect_numbers_roundtrip() -> None:
    s = "拉动消费4500余万元，增长13.3%。"
    protected, restorations = protect_numbers(s)
    assert "万" not in protected and "%" not in protected
    assert [r.english for r in restorations] == ["over RMB 45 million", "13.3%"]
    assert [r.source for r in restorations] == ["4500余万元", "13.3%"]
    restored = protected
    for r in restorations:
        restored = restored.replace(r.placeholder, r.english)
    assert restored == "拉动消费over RMB 45 million，增长13.3%。"


def test_protect_numbers_custom_placeholder() -> None:
    protected, restorations = protect_numbers("3—5个", placeholder=lambda i: f"<{i}>", first=7)
    assert protected == "<7>" and restorations[0].english == "3–5"
