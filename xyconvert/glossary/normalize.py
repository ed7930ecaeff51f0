"""Text normalization shared by glossary keys and documents, so both meet in one form.

Three steps, all offset-preserving or offset-mapped:

1. traditional → simplified with OpenCC ``t2s`` (鄉村振興 → 乡村振兴). Its phrase tables
   almost always convert char for char; when a conversion changes the length we
   fall back to a per-character mapping, which keeps offsets by construction.
2. fold: full-width ASCII → ASCII (（ → (, ＤＲＧ → DRG) and A–Z → a–z, char for char.
3. drop *ignorable* characters — quotation marks and whitespace — keeping a map back
   to the original offsets, so 专精特新“小巨人”企业 and “放管服”改革 match their terms
   and line-wrapped or letter-spaced text still matches.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

# Quotes and whitespace: reports put quotes *inside* terms ("八五"普法, 专精特新"小巨人").
IGNORABLE = "\"'“”‘’「」『』〝〞 \t\r\n\u3000\u00a0"
_KEEP_RUNS = re.compile("[^" + re.escape(IGNORABLE) + "]+")

_FOLD: dict[int, int] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}  # full-width → ASCII
_FOLD.update({c: c + 32 for c in range(0x41, 0x5B)})  # A–Z → a–z
_FOLD.update({c: c - 0xFEE0 + 32 for c in range(0xFF21, 0xFF3B)})  # Ａ–Ｚ → a–z
_NEEDS_FOLD = re.compile("[\uff01-\uff5eA-Z]")


@functools.lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc  # lazy: keeps `import xyconvert.cli` light

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, *always* the same length as ``text``."""
    if not text:
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return _per_char_simplified(text)


def _per_char_simplified(text: str) -> str:
    # Rare path: a phrase rule changed the length. Convert each distinct character on
    # its own and keep only one-to-one results, so offsets stay valid.
    conv = _converter()
    table: dict[int, str] = {}
    for ch in set(text):
        out = conv.convert(ch)
        if out != ch and len(out) == 1:
            table[ord(ch)] = out
    return text.translate(table)


def fold(text: str) -> str:
    """Full-width ASCII to ASCII and A–Z to lower case, char for char."""
    return text.translate(_FOLD) if _NEEDS_FOLD.search(text) else text


class Normalized:
    """A normalized copy of a text with a map from its offsets back to the original."""

    __slots__ = ("text", "_orig_starts", "_norm_starts")

    def __init__(self, original: str) -> None:
        folded = fold(to_simplified(original))
        runs = [(m.start(), m.group()) for m in _KEEP_RUNS.finditer(folded)]
        self.text = "".join(r for _, r in runs)
        self._orig_starts = [s for s, _ in runs]
        norm_starts, total = [], 0
        for _, r in runs:
            norm_starts.append(total)
            total += len(r)
        self._norm_starts = norm_starts

    def original_offset(self, i: int) -> int:
        """Offset in the original text of the normalized character at ``i``."""
        k = bisect_right(self._norm_starts, i) - 1
        return self._orig_starts[k] + (i - self._norm_starts[k])

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalized span [start, end) (``end > start``)."""
        return self.original_offset(start), self.original_offset(end - 1) + 1


def match_key(zh: str) -> str:
    """The normalized form a glossary term is matched and keyed by."""
    return "".join(_KEEP_RUNS.findall(fold(to_simplified(zh))))


def match_keys(terms: Sequence[str]) -> list[str]:
    """``match_key`` for many terms with one OpenCC call (load time matters for the CLI)."""
    if not terms:
        return []
    joined = "\n".join(t.replace("\n", " ") for t in terms)
    parts = to_simplified(joined).split("\n")
    if len(parts) != len(terms):  # pragma: no cover - to_simplified keeps length
        return [match_key(t) for t in terms]
    return ["".join(_KEEP_RUNS.findall(fold(p))) for p in parts]
