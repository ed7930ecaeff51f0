"""Recognise the structure of a report: title, numbered headings, numbered items.

Chinese government reports number their sections ``一、`` (level 2) and
``（一）`` (level 3); a level-3 heading is often a lead sentence that the
paragraph runs on from (``（一）坚持…。坚持中国…``). A marker only counts as a
heading when it continues the numbering (``二、`` after ``一、``), so a line
that happens to begin with ``一、`` inside a paragraph is not taken for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xyconvert.charclass import display_width
from xyconvert.model import InlineItem

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Financial numerals (Taiwan reports number their top level 壹、貳、參、).
_CAPITAL = {
    "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "叄": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
    "柒": 7, "捌": 8, "玖": 9, "拾": 10,
}
_NUMERAL = "[一二三四五六七八九十]{1,3}"
_CAPITAL_NUMERAL = "[" + "".join(_CAPITAL) + "]{1,3}"
# After a section number: a space, or a title word, not a unit (``1.5万亿元`` is an amount).
_DECIMAL_END = r"(?![\d.])(?:[ \u3000]+(?=\S)|(?=[\u4e00-\u9fff])(?![万亿千百十元倍个亩吨米年月日次人户家项件]))"
# Numbering schemes, outermost first; the depth of each in a document follows
# from which of them the document uses (``heading_level``).
_SCHEMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("capital", re.compile(rf"^({_CAPITAL_NUMERAL})[、．.]")),
    ("chapter", re.compile(rf"^第({_NUMERAL}|\d{{1,2}})[章部编篇](?:分)?")),
    ("section", re.compile(rf"^第({_NUMERAL}|\d{{1,2}})节")),
    ("cn", re.compile(rf"^({_NUMERAL})、")),
    ("paren_cn", re.compile(rf"^（({_NUMERAL})）")),
    ("decimal2", re.compile(rf"^(\d{{1,2}}\.\d{{1,2}}){_DECIMAL_END}")),
    ("decimal3", re.compile(rf"^(\d{{1,2}}\.\d{{1,2}}\.\d{{1,2}}){_DECIMAL_END}")),
)
SCHEME_ORDER = tuple(name for name, _ in _SCHEMES)
_LEVEL_OF = {"capital": 1, "chapter": 1, "section": 1, "cn": 2, "paren_cn": 3, "decimal2": 3, "decimal3": 4}
# A regulation's article (``第十四条``): each is a paragraph of its own, never a heading.
ARTICLE = re.compile(rf"^第({_NUMERAL}|[一二三四五六七八九十百零〇]{{1,6}}|\d{{1,3}})条")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ITEM = re.compile(r"^(\d{1,2}[.．、](?!\d)|（\d{1,2}）|\(\d{1,2}\)|[①-⑳])")
# Run-in numbered items inside a paragraph: ``：1.加快…。2.投资…``
_INLINE_ITEM = re.compile(r"(?:(?<=^)|(?<=[：:。；;！？]))(\d{1,2})[.．、](?!\d)")
# A statistical table row read as text: the label and two or more figures apart.
_FIGURE = re.compile(r"(?:^|\s)[-+−]?\d[\d,.]*%?(?=\s|$)")
MAX_RUNIN_HEADING = 60  # characters; a longer first sentence is body text, not a heading


def cn_number(text: str) -> int:
    """Parse a Chinese numeral up to 999 (``十二`` -> 12, ``二十`` -> 20); digits, 壹貳 too."""
    if text.isdigit():
        return int(text)
    if text and all(ch in _CAPITAL for ch in text):
        if "拾" not in text:
            return _CAPITAL[text[0]]
        tens, _, ones = text.partition("拾")
        return (_CAPITAL.get(tens, 1) if tens else 1) * 10 + (_CAPITAL.get(ones, 0) if ones else 0)
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS.get(ch, 0)
        return value
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


@dataclass(frozen=True)
class Marker:
    level: int  # 1 for 壹、/第一章/第一节, 2 for 一、, 3 for （一） and 1.1, 4 for 1.1.1
    number: int
    text: str
    scheme: str = "cn"


def heading_marker(text: str) -> Marker | None:
    # Asked several times per line: short lines are cached (Marker is frozen, so
    # sharing one is safe); long ones are not, so the cache never pins big texts.
    return _short_heading_marker(text) if len(text) <= 200 else _heading_marker(text)


@lru_cache(maxsize=1 << 16)
def _short_heading_marker(text: str) -> Marker | None:
    return _heading_marker(text)


def _heading_marker(text: str) -> Marker | None:
    for scheme, pattern in _SCHEMES:
        m = pattern.match(text)
        if m:
            number = m.group(1)
            value = int(number.rsplit(".", 1)[1]) if scheme.startswith("decimal") else cn_number(number)
            return Marker(_LEVEL_OF[scheme], value, m.group(0).rstrip(), scheme)
    return None


def table_row(raw_text: str) -> bool:
    """``一、食品烟酒  7983  5.3``: a numbered label followed by figures is a table row."""
    return len(_FIGURE.findall(raw_text)) >= 2


_TIERS = (("capital",), ("chapter",), ("section",), ("cn",), ("paren_cn", "decimal2"), ("decimal3",))
_BASE_LEVEL = {"capital": 2, "chapter": 2, "section": 2, "cn": 2, "paren_cn": 3, "decimal2": 3, "decimal3": 4}


def heading_level(marker: Marker, has_chapters: bool | frozenset[str] = False) -> int:
    """Markdown level. ``一、`` is ## and ``（一）`` ###, one deeper under chapters.

    Given the set of schemes a document uses, each sits one level below the used
    schemes outside it (壹、 > 一、 > （一）; 第一章 > 第一节 > 一、).
    """
    if not isinstance(has_chapters, frozenset):
        return marker.level + 1 if has_chapters else max(2, marker.level)
    used = [tier for tier in _TIERS if marker.scheme in tier or any(s in has_chapters for s in tier)]
    depth = next(k for k, tier in enumerate(used) if marker.scheme in tier)
    return min(6, max(2 + depth, _BASE_LEVEL[marker.scheme]))


def markdown_heading(text: str) -> tuple[int, str] | None:
    """``## 一、…`` in Markdown-like input -> (2, ``一、…``)."""
    m = _MD_HEADING.match(text)
    return (len(m.group(1)), m.group(2).strip()) if m else None


def item_marker(text: str) -> str | None:
    m = _ITEM.match(text)
    return m.group(1) if m else None


class HeadingSequence:
    """Accepts heading markers only when they continue the document's numbering.

    Numbering is tracked per scheme (一、 and （一） and 第一章 separately), and a
    scheme may run more than one sequence at a time: an annex restarting at
    ``一、`` does not end the main ``（七）…（十二）`` count, and a false start (a
    wrapped body line beginning ``二、``) does not lose the real ``（三）`` after it.
    A marker standing alone may also skip a number or two (a heading lost upstream).
    """

    KEEP = 3  # sequences remembered per scheme

    def __init__(self) -> None:
        self.runs: dict[str, list[int]] = {}

    def accepts(self, marker: Marker, standalone: bool = False) -> bool:
        runs = self.runs.get(marker.scheme, [])
        if marker.level == 1 and (not runs or marker.number == 1):
            return True  # an excerpt may start at any chapter; a first chapter restarts
        if marker.number == 1 and marker.level > 1:
            return True
        if marker.number - 1 in runs or (not runs and marker.number == 1):
            return True
        return standalone and any(0 < marker.number - n <= 3 for n in runs)

    def advance(self, marker: Marker) -> None:
        runs = self.runs.setdefault(marker.scheme, [])
        below = [n for n in runs if n < marker.number]
        if marker.number != 1 and below:
            runs.remove(max(below))  # the run this marker continues
        runs.insert(0, marker.number)
        del runs[self.KEEP :]


def split_runin(text: str) -> tuple[str, str]:
    """Split ``（一）标题句。正文…`` into (heading, rest); rest is empty if not run-in."""
    for i, ch in enumerate(text):
        if ch in "。！？":
            end = i + 1
            while end < len(text) and text[end] in "”’）":
                end += 1
            if end > MAX_RUNIN_HEADING:
                break
            return text[:end], text[end:]
        if i > MAX_RUNIN_HEADING:
            break
    return text, ""


def looks_like_heading_text(text: str) -> bool:
    """Short enough to be a heading line by itself."""
    return display_width(text) <= MAX_RUNIN_HEADING


def inline_items(text: str) -> list[InlineItem]:
    """Run-in numbered items ``1.…2.…3.…`` (numbered from 1, consecutive, at least two)."""
    found: list[InlineItem] = []
    expected = 1
    for m in _INLINE_ITEM.finditer(text):
        number = int(m.group(1))
        if number == expected:
            found.append(InlineItem(marker=m.group(0), start=m.start()))
            expected += 1
        elif number == 1:
            found = [InlineItem(marker=m.group(0), start=m.start())]
            expected = 2
    return found if len(found) >= 2 else []
