"""Carry the new sentence's numbers and glossary terms into a fuzzy TM match.

A fuzzy match is a translation of a *similar* sentence: ``国内生产总值增长7%左右``
matches ``国内生产总值增长7.5%左右`` → "Increase GDP by about 7.5%". The English is
only reusable once what differs is put right, so:

* **numbers**: the Arabic numbers of both Chinese sentences are paired in order
  (with their 万/亿 scale: 900万 = 9,000,000). Each pair that differs is looked up
  in the English by *value* — "9 million", "9,000,000", "7.5%", "2013" — and
  rewritten in the same English scale ("10 million"). Numbers written in Chinese
  numerals (第三次, 三中全会) and the qualifiers of amounts (以上, 左右, 近, 余 …)
  must be the same in both sentences.
* **glossary terms**: a term of the memory's sentence that the new sentence lacks
  is paired (in order) with a new term the memory's sentence lacks; its rendering
  (any accepted one) is replaced in the English by the new term's first rendering.

Anything that cannot be carried over — a different count of numbers or terms, a
value or rendering not found in the English — rejects the match (``None``): the
sentence then goes to MT, so a fuzzy match never brings a wrong number along.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# A Chinese number: digits, optional decimals, optional 万/亿 scale (万亿 = 10^12).
_ZH_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(万亿|亿|万)?")
_ZH_SCALE = {None: Decimal(1), "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8, "万亿": Decimal(10) ** 12}
# An English number: digits with separators, optional decimals, optional scale word.
_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(thousand|million|billion|trillion)\b)?"
)
_EN_SCALE = {
    None: Decimal(1),
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
_CN_NUMERALS = set("〇零一二两三四五六七八九十百千")
# Words that qualify an amount (over / about / under …): the English of a match says
# "more than" or "about", so the new sentence must qualify its amounts the same way.
_QUALIFIER = re.compile(r"以上|左右|以下|不到|不足|超过|(?:近|约|超|逾)(?=\d)|(?<=[\d万亿])(?:余|多)")
_FULLWIDTH_DIGITS = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}

# (start, end, renderings) of the glossary terms in a text; first rendering is output.
TermFinder = Callable[[str], Iterable[tuple[int, int, tuple[str, ...]]]]


@dataclass(frozen=True)
class Repair:
    english: str
    numbers: int  # numbers rewritten
    terms: int  # term renderings replaced


def zh_numbers(text: str) -> list[Decimal]:
    text = text.translate(_FULLWIDTH_DIGITS)
    out = []
    for m in _ZH_NUMBER.finditer(text):
        out.append(_dec(m.group(1)) * _ZH_SCALE[m.group(2)])
    return out


def _dec(s: str) -> Decimal:
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regexes only pass digits
        return Decimal(0)


def _format(value: Decimal, grouped: bool) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if grouped:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return text


def _replace_number(english: str, old: Decimal, new: Decimal, used: set[int]) -> str | None:
    """Rewrite the first unused English number whose value is ``old``; None if none is."""
    for m in _EN_NUMBER.finditer(english):
        if m.start() in used:
            continue
        whole, frac, word = m.group(1), m.group(2) or "", m.group(3)
        scale = _EN_SCALE[word]
        if _dec(whole + frac) * scale != old:
            continue
        rendered = _format(new / scale, grouped="," in whole)
        end = m.end(2) if m.group(2) else m.end(1)  # keep the scale word as it is
        used.add(m.start())
        return english[: m.start()] + rendered + english[end:]
    return None


def _numerals(text: str) -> Counter[str]:
    return Counter(ch for ch in text if ch in _CN_NUMERALS)


def repair(
    new_zh: str, tm_zh: str, tm_en: str, terms: TermFinder | None = None
) -> Repair | None:
    """The memory's English with the new sentence's numbers and terms, or None."""
    if _numerals(new_zh) != _numerals(tm_zh):
        return None
    if Counter(_QUALIFIER.findall(new_zh)) != Counter(_QUALIFIER.findall(tm_zh)):
        return None
    new_nums, old_nums = zh_numbers(new_zh), zh_numbers(tm_zh)
    if len(new_nums) != len(old_nums):
        return None
    english = tm_en
    used: set[int] = set()
    changed = 0
    for old, new in zip(old_nums, new_nums):
        if old == new:
            continue
        replaced = _replace_number(english, old, new, used)
        if replaced is None:
            return None
        english = replaced
        changed += 1
    swapped = 0
    if terms is not None:
        result = _swap_terms(new_zh, tm_zh, english, terms)
        if result is None:
            return None
        english, swapped = result
    return Repair(english, changed, swapped)


def _swap_terms(
    new_zh: str, tm_zh: str, english: str, terms: TermFinder
) -> tuple[str, int] | None:
    new_terms = [(new_zh[s:e], r) for s, e, r in terms(new_zh)]
    old_terms = [(tm_zh[s:e], r) for s, e, r in terms(tm_zh)]
    new_keys = Counter(r[0] for _, r in new_terms)
    old_keys = Counter(r[0] for _, r in old_terms)
    only_new = [r for _, r in new_terms if new_keys[r[0]] > old_keys.get(r[0], 0)]
    only_old = [r for _, r in old_terms if old_keys[r[0]] > new_keys.get(r[0], 0)]
    only_new = list(dict.fromkeys(only_new))
    only_old = list(dict.fromkeys(only_old))
    if not only_new and not only_old:
        return english, 0
    if len(only_new) != len(only_old):
        return None
    for old, new in zip(only_old, only_new):
        for rendering in sorted(old, key=len, reverse=True):
            m = re.search(r"(?<!\w)" + re.escape(rendering) + r"(?!\w)", english, re.IGNORECASE)
            if m:
                english = english[: m.start()] + new[0] + english[m.end() :]
                break
        else:
            return None
    return english, len(only_new)
