"""De-spacing: remove the spaces naive extraction puts into Chinese text.

Justified lines come out letter-spaced (``接 推 进 乡 村``) and numbers get
padded (``137.46 亿元``). Chinese typography has no spaces next to Chinese
characters, so any whitespace touching a CJK character or CJK punctuation goes;
spaces between two Latin words or two separate numbers stay.
"""

from __future__ import annotations

import re

from xyconvert.charclass import CJK_CLASS

# Any whitespace run (ASCII, no-break, ideographic) inside a line.
_WS = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+"
_AROUND_CJK = re.compile(rf"(?<={CJK_CLASS}){_WS}|{_WS}(?={CJK_CLASS})")
# A run of >= 4 single letter-spaced digits/letters (``4 4 0 6 9``): one token.
_SPACED_SINGLES = re.compile(r"(?<![^\s])(?:[0-9A-Za-z] ){3,}[0-9A-Za-z](?![^\s])")
# ``8.4 %`` -> ``8.4%``
_BEFORE_PERCENT = re.compile(rf"(?<=[0-9]){_WS}(?=[%‰％])")


def despace(text: str) -> str:
    """Return ``text`` without spaces inside Chinese text; trims the ends."""
    text = text.strip(" \t\u00a0\u3000\r\n\f")
    if " " not in text and "\u3000" not in text and "\t" not in text and "\u00a0" not in text:
        return text
    if _letter_spaced(text):
        # Every glyph stood apart (``2 0 2 4 年 1 月 2 6 日``): single spaces are
        # glyph spacing; a wider gap is all that marks a real word break.
        text = re.sub(r"(?<=\S) (?=\S)", "", text)
    text = _SPACED_SINGLES.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _AROUND_CJK.sub("", text)
    text = _BEFORE_PERCENT.sub("", text)
    # Whatever whitespace is left separates Latin words or numbers: one space.
    return re.sub(_WS, " ", text)


def _letter_spaced(text: str) -> bool:
    """Most tokens are single characters: the whole line was letter-spaced."""
    tokens = text.split()
    if len(tokens) < 6:
        return False
    singles = sum(1 for t in tokens if len(t) == 1)
    return singles >= 0.8 * len(tokens)
