"""De-spacing: remove the spaces naive extraction puts into Chinese text.

Justified lines come out letter-spaced (``接 推 进 乡 村``) and numbers get
padded (``137.46 亿元``). Chinese typography has no spaces next to Chinese
characters, so any whitespace touching a CJK character or CJK punctuation goes;
spaces between two Latin words or two separate numbers stay.

One space the author typed is kept next to Chinese text: the one after a section
number that opens a line (``1.1 人工智能的概念``, ``第一节 重要提示``, ``第十四条 工会经费``).
Whatever whitespace stood there (several spaces, an ideographic space) becomes one
ASCII space: our single convention for a number and its title.
"""

from __future__ import annotations

import re

from xyconvert.charclass import CJK_CLASS, SECTION_NUMBER

# Any whitespace run (ASCII, no-break, ideographic) inside a line.
_WS = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+"
_AROUND_CJK = re.compile(rf"(?<={CJK_CLASS}){_WS}|{_WS}(?={CJK_CLASS})")
# A run of >= 4 single letter-spaced digits/letters (``4 4 0 6 9``): one token.
_SPACED_SINGLES = re.compile(r"(?<![^\s])(?:[0-9A-Za-z] ){3,}[0-9A-Za-z](?![^\s])")
# A section number opening a line, and the whitespace after it. ``1.5 亿元`` is not one: a
# wrapped line may start with an amount, and that space is extraction's.
_AMOUNT_UNITS = "万亿元倍个年月日%％‰"
_SECTION_START = re.compile(rf"^{SECTION_NUMBER}(?={_WS}\S)")
# ``8.4 %`` -> ``8.4%``
_BEFORE_PERCENT = re.compile(rf"(?<=[0-9]){_WS}(?=[%‰％])")


def despace(text: str) -> str:
    """Return ``text`` without spaces inside Chinese text; trims the ends."""
    text = text.strip(" \t\u00a0\u3000\r\n\f")
    if " " not in text and "\u3000" not in text and "\t" not in text and "\u00a0" not in text:
        return text
    m = _section_start(text)
    if m and not _letter_spaced(text):
        rest = despace(text[m.end() :])
        return f"{m.group(0)} {rest}" if rest else m.group(0)
    if _letter_spaced(text):
        # Every glyph stood apart (``2 0 2 4 年 1 月 2 6 日``): single spaces are
        # glyph spacing; a wider gap is all that marks a real word break.
        text = re.sub(r"(?<=\S) (?=\S)", "", text)
    text = _SPACED_SINGLES.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _AROUND_CJK.sub("", text)
    text = _BEFORE_PERCENT.sub("", text)
    # Whatever whitespace is left separates Latin words or numbers: one space.
    return re.sub(_WS, " ", text)


def _section_start(text: str) -> re.Match[str] | None:
    m = _SECTION_START.match(text)
    if m is None:
        return None
    if re.fullmatch(r"\d+\.\d+", m.group(0)):
        # One level is also how amounts look, and a wrapped line may start with one
        # (``146.36 公里；……``): only a heading-like rest (short, no clause punctuation)
        # makes it a section number.
        after = text[m.end() :].strip(" \t\u00a0\u3000")
        if after[:1] in _AMOUNT_UNITS or len(after) > 30 or any(ch in after for ch in "，。；：！？、,;"):
            return None
    return m


def _letter_spaced(text: str) -> bool:
    """Most tokens are single characters: the whole line was letter-spaced."""
    tokens = text.split()
    if len(tokens) < 6:
        return False
    singles = sum(1 for t in tokens if len(t) == 1)
    return singles >= 0.8 * len(tokens)
