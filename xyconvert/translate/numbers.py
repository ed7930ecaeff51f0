"""Deterministic conversion of Chinese amounts (万, 亿, units, percentages) to English.

A general MT model gets ``137.46亿元`` wrong often enough (13.746 billion? 137.46
billion? 1.3746 trillion?) that we never let it see a bare 万 or 亿: amounts are found,
parsed into exact ``Decimal`` values and rendered by rule, then either written back
into the text (:func:`convert_numbers`, used by the briefing) or replaced by
placeholders for MT (:func:`protect_numbers`).

Pure module: no I/O, no heavy imports; safe to use from anywhere.

Rules (see README "Number conversion"):
  137.46亿元     → RMB 13.746 billion          (currencies are prefixed: RMB, USD, EUR, …)
  3141万美元     → USD 31.41 million
  22.46万亩      → 224,600 mu                  (below a million: digits with separators)
  1710.69万人次  → 17.1069 million visits
  1—10亿元       → RMB 100 million–1 billion   (a scale on the upper bound applies to both)
  4500余万元     → over RMB 45 million         (余/多/超/超过/逾/以上 → over; 近 → nearly;
                                               约/左右 → about; 不到/不足/以下 → under)
  97.7%以上      → over 97.7%
  3—5个          → 3–5                         (measure words 个/家/座/项… render as a bare count)
  2个百分点      → 2 percentage points
  超亿元 / 百万吨 → over RMB 100 million / 1 million tonnes (Chinese numerals with 万/亿)
Numbers without a unit, 万/亿 or % (years, ratios, hotline numbers) are left alone,
and so are ordinals (第6名).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

# --- units -----------------------------------------------------------------------------

CURRENCY = "currency"
MEASURE = "measure"
COUNT = "count"  # measure words: rendered as a bare number


@dataclass(frozen=True)
class Unit:
    zh: str
    singular: str
    plural: str
    kind: str
    # Characters that, right after the unit, show it is part of a word (人口, 家庭 …).
    not_before: str = ""


_UNITS: tuple[Unit, ...] = (
    Unit("元", "RMB", "RMB", CURRENCY, "旦素首件"),
    Unit("人民币", "RMB", "RMB", CURRENCY),
    Unit("美元", "USD", "USD", CURRENCY),
    Unit("欧元", "EUR", "EUR", CURRENCY),
    Unit("港元", "HKD", "HKD", CURRENCY),
    Unit("港币", "HKD", "HKD", CURRENCY),
    Unit("日元", "JPY", "JPY", CURRENCY),
    Unit("英镑", "GBP", "GBP", CURRENCY),
    Unit("亩", "mu", "mu", MEASURE),
    Unit("公顷", "hectare", "hectares", MEASURE),
    Unit("平方公里", "square kilometre", "square kilometres", MEASURE),
    Unit("平方千米", "square kilometre", "square kilometres", MEASURE),
    Unit("平方米", "square metre", "square metres", MEASURE),
    Unit("立方米", "cubic metre", "cubic metres", MEASURE),
    Unit("公里", "km", "km", MEASURE),
    Unit("千米", "km", "km", MEASURE),
    Unit("米", "metre", "metres", MEASURE, "粮面饭兰"),
    Unit("吨", "tonne", "tonnes", MEASURE, "位"),
    Unit("千克", "kg", "kg", MEASURE),
    Unit("公斤", "kg", "kg", MEASURE),
    Unit("千瓦时", "kWh", "kWh", MEASURE),
    Unit("千瓦", "kW", "kW", MEASURE),
    Unit("兆瓦", "MW", "MW", MEASURE),
    Unit("人次", "visit", "visits", MEASURE),
    Unit("人", "person", "people", MEASURE, "口民员才大均工类们士力心群"),
    Unit("户", "household", "households", MEASURE, "籍口外型"),
    Unit("头只", "head", "head", MEASURE),
    Unit("头", "head", "head", MEASURE, "部号脑"),
    Unit("个百分点", "percentage point", "percentage points", MEASURE),
    Unit("百分点", "percentage point", "percentage points", MEASURE),
    Unit("个", "", "", COUNT, "人体性案"),
    Unit("家", "", "", COUNT, "庭属长园乡具电"),
    Unit("座", "", "", COUNT, "谈位"),
    Unit("所", "", "", COUNT, "有以在属得谓"),
    Unit("项", "", "", COUNT, "目"),
    Unit("件", "", "", COUNT),
    Unit("条", "", "", COUNT, "件例款"),
    Unit("场次", "", "", COUNT),
    Unit("场", "", "", COUNT, "所地景馆"),
    Unit("套", "", "", COUNT),
    Unit("名", "", "", COUNT, "单称额"),
    Unit("辆", "", "", COUNT),
    Unit("处", "", "", COUNT, "理置罚"),
    Unit("批", "", "", COUNT, "次准复"),
    Unit("次", "", "", COUNT, "数序"),
)
UNITS: dict[str, Unit] = {u.zh: u for u in _UNITS}

_SCALES = {
    "万": Decimal(10) ** 4,
    "十万": Decimal(10) ** 5,
    "百万": Decimal(10) ** 6,
    "千万": Decimal(10) ** 7,
    "亿": Decimal(10) ** 8,
    "十亿": Decimal(10) ** 9,
    "百亿": Decimal(10) ** 10,
    "千亿": Decimal(10) ** 11,
    "万亿": Decimal(10) ** 12,
}

_PRE_QUALIFIERS = {
    "大约": "about",
    "约": "about",
    "将近": "nearly",
    "接近": "nearly",
    "近": "nearly",
    "超过": "over",
    "超": "over",
    "逾": "over",
    "不到": "under",
    "不足": "under",
}
_POST_QUALIFIERS = {"以上": "over", "以下": "under", "以内": "under", "左右": "about"}

# Full-width digits and signs map one-to-one, so offsets survive the normalisation.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _unit_re() -> str:
    parts = []
    for u in sorted(_UNITS, key=lambda u: len(u.zh), reverse=True):
        guard = f"(?![{re.escape(u.not_before)}])" if u.not_before else ""
        parts.append(re.escape(u.zh) + guard)
    return "|".join(parts)


_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SCALE = r"(?:[十百千]?万亿|[十百千]?亿|[十百千]?万)"
_DASH = r"(?:—{1,2}|–|-|－|~|～|至|到)"
_PRE = rf"(?P<pre>{_alt(_PRE_QUALIFIERS)})?"
_POST = rf"(?P<post>{_alt(_POST_QUALIFIERS)})?"

_DIGIT_AMOUNT = re.compile(
    rf"{_PRE}(?<![A-Za-z0-9.第])"
    rf"(?P<n1>{_NUM})(?P<a1>[余多])?(?P<s1>{_SCALE})?(?P<p1>%)?"
    rf"(?:{_DASH}(?P<n2>{_NUM})(?P<a2>[余多])?(?P<s2>{_SCALE})?)?"
    rf"(?P<a3>[余多])?(?P<unit>%|{_unit_re()})?{_POST}"
)

_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN = "零一二两三四五六七八九十百千"
_CN_AMOUNT = re.compile(
    rf"(?P<pre>{_alt(list(_PRE_QUALIFIERS) + ['上'])})?(?<![{_CN}万亿第])"
    rf"(?P<cn>[{_CN}]*(?:万亿|亿|万)[{_CN}]*?)(?P<a3>[余多])?(?P<unit>{_unit_re()})?"
    rf"(?![{_CN}万亿]){_POST}"
)
# Unambiguous on their own (unlike 千万, which also means "by all means").
_CN_STANDALONE = {"百亿", "千亿", "万亿"}


@dataclass(frozen=True)
class Amount:
    """A parsed amount. ``value``/``high`` are in base units (元, 吨, …) or percent."""

    value: Decimal
    unit_zh: str = ""  # base unit as written (元, 美元, 亩 …); "" for a bare number
    unit_en: str = ""  # English unit or currency code; "" for a bare count
    high: Decimal | None = None  # upper bound of a range
    qualifier: str | None = None  # "over", "under", "about", "nearly"
    percent: bool = False
    scaled: bool = False  # the source used 万/亿, so large values read as million/billion

    @property
    def kind(self) -> str:
        if self.percent:
            return "percent"
        unit = UNITS.get(self.unit_zh)
        return unit.kind if unit else COUNT


@dataclass(frozen=True)
class AmountMatch:
    start: int
    end: int
    text: str
    amount: Amount

    @property
    def english(self) -> str:
        return render_amount(self.amount)


# --- parsing ---------------------------------------------------------------------------


def _dec(num: str) -> Decimal:
    return Decimal(num.replace(",", ""))


def _cn_int(s: str) -> int | None:
    """Value of a Chinese numeral such as 三千五百万, 百亿, 一万五千; None if malformed."""
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        elif ch == "万" or ch == "亿":
            section += digit or 0
            digit = None
            big = 10**4 if ch == "万" else 10**8
            if ch == "亿" and total and total < 10**8:
                total = (total + section) * big  # 万亿: the 万 already applied
            else:
                total += (section or 1) * big
            section = 0
        else:
            return None
    return total + section + (digit or 0)


def _from_digit_match(m: re.Match[str]) -> Amount | None:
    unit_zh = m["unit"] or ""
    percent = unit_zh == "%" or bool(m["p1"])
    s1, s2 = m["s1"], m["s2"]
    if m["n2"] and s2 and not s1 and not m["p1"]:
        s1 = s2  # 1—10亿元: the scale written once covers both bounds
    if not (s1 or s2 or unit_zh or percent):
        return None  # a bare number: years, ratios, codes — leave to MT
    if unit_zh == "%":
        unit_zh = ""
    low = _dec(m["n1"]) * (_SCALES[s1] if s1 else 1)
    high = None
    if m["n2"]:
        high = _dec(m["n2"]) * (_SCALES[s2] if s2 else (_SCALES[s1] if s1 else 1))
    qualifier = _PRE_QUALIFIERS.get(m["pre"] or "")
    if m["a1"] or m["a2"] or m["a3"]:
        qualifier = "over"
    if m["post"]:
        qualifier = _POST_QUALIFIERS[m["post"]]
    unit = UNITS.get(unit_zh)
    return Amount(
        value=low,
        unit_zh=unit_zh,
        unit_en=unit.plural if unit else "",
        high=high,
        qualifier=qualifier,
        percent=percent,
        scaled=bool(s1 or s2),
    )


def _from_cn_match(m: re.Match[str]) -> Amount | None:
    cn, unit_zh, pre = m["cn"], m["unit"] or "", m["pre"]
    leads_with_numeral = cn[0] not in "万亿"
    if not unit_zh and cn not in _CN_STANDALONE:
        return None
    if not leads_with_numeral and not pre and not (unit_zh and m["post"]):
        # 亿河 (a name), 万一, 万家 …: a bare scale word needs a numeral, 超/近/上 before
        # it, or a unit and 以上/以下 after it (亿元以上项目).
        return None
    value = _cn_int(cn)
    if value is None:
        return None
    qualifier = _PRE_QUALIFIERS.get(pre or "", "over" if pre == "上" else None)
    if m["a3"]:
        qualifier = "over"
    if m["post"]:
        qualifier = _POST_QUALIFIERS[m["post"]]
    unit = UNITS.get(unit_zh)
    return Amount(
        value=Decimal(value),
        unit_zh=unit_zh,
        unit_en=unit.plural if unit else "",
        qualifier=qualifier,
        scaled=True,
    )


def find_amounts(text: str) -> list[AmountMatch]:
    """All amounts in ``text``, in order, non-overlapping (digit forms win ties)."""
    norm = text.translate(_FULLWIDTH)
    found: list[AmountMatch] = []
    for m in _DIGIT_AMOUNT.finditer(norm):
        amount = _from_digit_match(m)
        if amount is not None and m.end() > m.start():
            found.append(AmountMatch(m.start(), m.end(), text[m.start() : m.end()], amount))
    # Digit matches are in order and disjoint (as are the Chinese ones among themselves):
    # the only one a Chinese match can overlap first is the last digit match starting
    # before its end (bisect: a one-line 10 MB text has 100,000 amounts).
    digit_starts = [a.start for a in found]
    digits = list(found)
    for m in _CN_AMOUNT.finditer(norm):
        if not m["cn"]:
            continue
        amount = _from_cn_match(m)
        if amount is None:
            continue
        k = bisect.bisect_left(digit_starts, m.end()) - 1
        if k >= 0 and m.start() < digits[k].end:
            continue
        found.append(AmountMatch(m.start(), m.end(), text[m.start() : m.end()], amount))
    found.sort(key=lambda a: a.start)
    return found


def parse_amount(text: str) -> Amount | None:
    """Parse a string that is exactly one amount (``137.46亿元``); None otherwise."""
    text = text.strip()
    matches = find_amounts(text)
    if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(text):
        return matches[0].amount
    return None


# --- rendering -------------------------------------------------------------------------

_BIG = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)


def _plain(d: Decimal) -> str:
    """Decimal without exponent or trailing zeros: 13.7460 → 13.746, 1E+1 → 10."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _grouped(d: Decimal) -> str:
    s = _plain(d)
    whole, _, frac = s.partition(".")
    whole = f"{int(whole):,}"
    return f"{whole}.{frac}" if frac else whole


def _scale_parts(d: Decimal, scaled: bool) -> tuple[str, str]:
    """(number, scale word) — 'million'/'billion' only for amounts written with 万/亿."""
    if scaled:
        for size, word in _BIG:
            if d >= size:
                return _plain(d / size), word
    return _grouped(d), ""


def render_number(value: Decimal, high: Decimal | None = None, *, scaled: bool = False) -> str:
    """Render a value or a range: 13746000000 → '13.746 billion'; (1e8, 1e9) → '100 million–1 billion'."""
    n1, w1 = _scale_parts(value, scaled)
    if high is None:
        return f"{n1} {w1}".strip()
    n2, w2 = _scale_parts(high, scaled)
    if w1 == w2:
        return f"{n1}–{n2} {w2}".strip()
    return f"{n1} {w1}".strip() + "–" + f"{n2} {w2}".strip()


def render_amount(amount: Amount) -> str:
    """English for an :class:`Amount`: 'over RMB 45 million', '224,600 mu', 'over 97.7%'."""
    qual = f"{amount.qualifier} " if amount.qualifier else ""
    if amount.percent:
        if amount.high is not None:
            return f"{qual}{_plain(amount.value)}–{_plain(amount.high)}%"
        return f"{qual}{_plain(amount.value)}%"
    number = render_number(amount.value, amount.high, scaled=amount.scaled)
    unit = UNITS.get(amount.unit_zh)
    if unit is None or unit.kind == COUNT:
        return f"{qual}{number}"
    if unit.kind == CURRENCY:
        return f"{qual}{unit.singular} {number}"
    single = amount.high is None and amount.value == 1
    return f"{qual}{number} {unit.singular if single else unit.plural}"


# --- text-level helpers ----------------------------------------------------------------


def convert_numbers(text: str) -> str:
    """Replace every amount in ``text`` by its English rendering (for the briefing)."""
    out, pos = [], 0
    for a in find_amounts(text):
        out.append(text[pos : a.start])
        out.append(render_amount(a.amount))
        pos = a.end
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True)
class Restoration:
    placeholder: str
    english: str
    source: str
    start: int  # offset of the amount in the original sentence


def protect_numbers(
    sentence: str,
    placeholder: Callable[[int], str] | None = None,
    first: int = 1,
) -> tuple[str, list[Restoration]]:
    """Replace amounts by placeholders; return the new sentence and how to restore them.

    ``placeholder(i)`` makes the i-th placeholder (default: the MT engine's scheme).
    Restore with :func:`xyconvert.translate.placeholders.restore` or a plain replace.
    """
    if placeholder is None:
        from xyconvert.translate.placeholders import make_placeholder as placeholder
    out, restorations, pos = [], [], 0
    for i, a in enumerate(find_amounts(sentence), start=first):
        ph = placeholder(i)
        out.append(sentence[pos : a.start])
        out.append(ph)
        restorations.append(Restoration(ph, render_amount(a.amount), a.text, a.start))
        pos = a.end
    out.append(sentence[pos:])
    return "".join(out), restorations
