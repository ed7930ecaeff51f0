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

from xyconvert.charclass import display_width
from xyconvert.model import InlineItem

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = "[一二三四五六七八九十]{1,3}"
_L2 = re.compile(rf"^({_NUMERAL})、")
_L3 = re.compile(rf"^（({_NUMERAL})）")
_CHAPTER = re.compile(rf"^第({_NUMERAL}|\d{{1,2}})[章节部编篇](?:分)?")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ITEM = re.compile(r"^(\d{1,2}[.．、](?!\d)|（\d{1,2}）|\(\d{1,2}\)|[①-⑳])")
# Run-in numbered items inside a paragraph: ``：1.加快…。2.投资…``
_INLINE_ITEM = re.compile(r"(?:(?<=^)|(?<=[：:。；;！？]))(\d{1,2})[.．、](?!\d)")
MAX_RUNIN_HEADING = 60  # characters; a longer first sentence is body text, not a heading


def cn_number(text: str) -> int:
    """Parse a Chinese numeral up to 999 (``十二`` -> 12, ``二十`` -> 20); digits too."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS.get(ch, 0)
        return value
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


@dataclass(frozen=True)
class Marker:
    level: int  # 1 for 第一章, 2 for 一、, 3 for （一）; see ``heading_level``
    number: int
    text: str


def heading_marker(text: str) -> Marker | None:
    for level, pattern in ((1, _CHAPTER), (2, _L2), (3, _L3)):
        m = pattern.match(text)
        if m:
            return Marker(level, cn_number(m.group(1)), m.group(0))
    return None


def heading_level(marker: Marker, has_chapters: bool) -> int:
    """Markdown level: ``一、`` is ## and ``（一）`` ### — one deeper under chapters."""
    return marker.level + 1 if has_chapters else max(2, marker.level)


def markdown_heading(text: str) -> tuple[int, str] | None:
    """``## 一、…`` in Markdown-like input -> (2, ``一、…``)."""
    m = _MD_HEADING.match(text)
    return (len(m.group(1)), m.group(2).strip()) if m else None


def item_marker(text: str) -> str | None:
    m = _ITEM.match(text)
    return m.group(1) if m else None


class HeadingSequence:
    """Accepts heading markers only when they continue the document's numbering."""

    def __init__(self) -> None:
        self.last: dict[int, int] = {}

    def accepts(self, marker: Marker) -> bool:
        if marker.level == 1 and (1 not in self.last or marker.number == 1):
            return True  # an excerpt may start at any chapter; a first chapter restarts
        expected = self.last.get(marker.level, 0) + 1
        return marker.number == expected or (marker.number == 1 and marker.level > 1)

    def advance(self, marker: Marker) -> None:
        self.last[marker.level] = marker.number
        for deeper in [lv for lv in self.last if lv > marker.level]:
            del self.last[deeper]


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
