"""Character classes shared by the repair stages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Han ideographs, CJK punctuation, full-width forms, and the punctuation Chinese
# text borrows (curly quotes, middle dot, dashes, ellipsis).
CJK_RANGES = (
    "\u2e80-\u2fdf"  # radicals (Kangxi and supplement)
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # kana (rare in reports, but never spaced)
    "\u3100-\u312f\u31a0-\u31bf"  # bopomofo
    "\u3200-\u33ff"  # enclosed CJK, compatibility
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # full-width and half-width forms
    "\u2018\u2019\u201c\u201d\u00b7\u2014\u2026\u2025\u2027\u2013"
    "\U00020000-\U0003134f"  # extension ideographs
)
CJK_CLASS = f"[{CJK_RANGES}]"

# Punctuation that closes a sentence (a paragraph may end after it).
SENTENCE_END = set("。！？…!?")
# Closing marks that may follow the sentence end (``。”``, ``。）``).
CLOSERS = set("”’）》」』】〕)")
_CLOSER_CHARS = "".join(sorted(CLOSERS))
OPENERS = set("“‘（《「『【〔(")


# A section number that may open a line and is followed by the author's space before its
# title: ``1.1 标题``, ``1.1.1 标题``, ``第一节 重要提示``, ``第十四条 工会经费``.
SECTION_NUMBER = r"(?:\d+(?:\.\d+)+\.?|第[〇零一二三四五六七八九十百千两\d]+[编章节条款篇部])"


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3134F
    )


def _wide_class() -> str:
    """A regex matching runs of the BMP characters ``display_width`` counts as 1 em.

    Below U+2E80 only the typographic marks are wide; above it, East Asian Wide
    and Fullwidth characters. Built once (a scan of 53k code points, ~20 ms).
    """
    wide = set("“”‘’—…·")
    wide.update(chr(cp) for cp in range(0x2E80, 0x10000)
                if not 0xD800 <= cp <= 0xDFFF and unicodedata.east_asian_width(chr(cp)) in "WF")
    cps = sorted(map(ord, wide))
    ranges: list[str] = []
    start = prev = cps[0]
    for cp in [*cps[1:], -1]:
        if cp != prev + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = cp
        prev = cp
    return "[" + "".join(ranges) + "]+"


_WIDE: re.Pattern[str] | None = None
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def display_width(text: str) -> float:
    """Width in em: CJK and full-width characters 1, Latin/digits/ASCII 0.5."""
    if text.isascii():  # every character is 0.5
        return 0.5 * len(text)
    # Lines are measured several times each: short ones are cached (bounded).
    return _short_width(text) if len(text) <= 80 else _width(text)


@lru_cache(maxsize=1 << 16)
def _short_width(text: str) -> float:
    return _width(text)


def _width(text: str) -> float:
    global _WIDE
    if _WIDE is None:
        _WIDE = re.compile(_wide_class())
    # Counting in C: a per-character loop cost seconds on one long line. Multiples
    # of 0.5 are exact in floating point, so the sum equals the old running total.
    wide = sum(m.end() - m.start() for m in _WIDE.finditer(text))  # runs: few for real text
    if _ASTRAL.search(text):  # rare: looked up one by one
        wide += sum(unicodedata.east_asian_width(ch) in "WF" for ch in _ASTRAL.findall(text))
    return 0.5 * len(text) + 0.5 * wide


def ends_sentence(text: str) -> bool:
    """Does ``text`` end with sentence-final punctuation (closing quotes allowed)?"""
    stripped = text.rstrip().rstrip(_CLOSER_CHARS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


# Characters no output format can carry: C0/C1 controls other than tab, newline,
# carriage return and form feed; DEL; the non-characters U+FFFE/U+FFFF; lone
# surrogates. XML (DOCX) refuses them outright, and in text they are noise.
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without CONTROL characters (a vertical tab becomes a space), and how many went."""
    if not CONTROL.search(text):
        return text, 0
    cleaned, n = CONTROL.subn(lambda m: " " if m.group() == "\v" else "", text)
    return cleaned, n
