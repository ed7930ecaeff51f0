"""Exact and fuzzy sentence lookup in a translation memory.

**Keys.** A sentence is compared in a normalized form: simplified characters,
full-width ASCII folded to ASCII, whitespace and the final punctuation mark removed
(so line-wrapped, traditional or full-width-digit text still matches, and a clause
ending in ，matches the same clause ending in 。).

**Exact match**: identical keys. When several files hold the same sentence, the
file given *last* wins (give older memories first: the newest official
translation is the one to reuse).
A heading numbered on both sides is also indexed without its numbers.

**Fuzzy match**: the similarity measure is the normalized Levenshtein similarity
of the keys with every Arabic number replaced by one placeholder character,
``1 − distance / max(len(a), len(b))`` (RapidFuzz ``Levenshtein.normalized_similarity``),
so ``增长7.4%`` and ``增长6.9%`` count as equal: numbers are carried over by rule
afterwards (:mod:`xyconvert.tm.repair`). The threshold is :data:`FUZZY_THRESHOLD`
(0.85); sentences shorter than :data:`MIN_FUZZY_CHARS` characters are only
matched exactly (short segments such as ``各位代表！`` would otherwise match
anything short).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from xyconvert.tm.tmx import TMUnit, read_tmx

FUZZY_THRESHOLD = 0.85
MIN_FUZZY_CHARS = 8
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE = re.compile(r"\s+")
# A sentence's final mark does not make it another sentence (TMX segments end in
# ，or ；where a document has 。, a heading has none).
_FINAL_MARK = re.compile(r"[。！？；，：.!?;,:]+$")


def sentence_key(text: str) -> str:
    """The normalized form sentences are compared in (see the module docstring)."""
    from xyconvert.glossary.normalize import to_simplified

    return _key(to_simplified(text))


def _key(simplified: str) -> str:
    return _FINAL_MARK.sub("", _SPACE.sub("", simplified.translate(_FOLD)))


# Full-width ASCII → ASCII (digits, Latin letters, ％ …), keeping case.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def masked(key: str) -> str:
    """``key`` with each number replaced by one placeholder character (U+2460)."""
    return _NUMBER.sub("\u2460", key)


# The English numbering official translations put where the Chinese has 一、/（一）/1.
_EN_MARKER = re.compile(r"^\s*(?:[IVXL]+\.|\(\d+\)|\d+\.)\s+(?=\S)")


def _without_markers(unit: TMUnit) -> TMUnit | None:
    """``unit`` with its heading numbers taken off both sides, when both sides have one.

    Headings are matched without their number (the briefing and a renumbered report
    ask for 加强政府自身建设, the memory holds 三、加强政府自身建设).
    """
    from xyconvert.translate.engine import english_marker

    marker, rest = english_marker(unit.zh)
    m = _EN_MARKER.match(unit.en)
    if not marker or m is None or not rest.strip():
        return None
    return TMUnit(rest.strip(), unit.en[m.end():], unit.origin)


@dataclass(frozen=True)
class Match:
    """A translation-memory hit for one sentence."""

    kind: str  # "exact" or "fuzzy"
    score: float  # 1.0 for exact; the similarity for fuzzy
    unit: TMUnit  # the memory's segment pair

    @property
    def english(self) -> str:
        return self.unit.en


class TranslationMemory:
    """Segment pairs indexed for exact lookup (dict) and fuzzy lookup (RapidFuzz)."""

    def __init__(self, units: Iterable[TMUnit], threshold: float = FUZZY_THRESHOLD) -> None:
        self.threshold = threshold
        self._exact: dict[str, TMUnit] = {}
        for unit in units:
            key = sentence_key(unit.zh)
            if key:
                self._exact.pop(key, None)
                self._exact[key] = unit  # later files win
        for unit in list(self._exact.values()):
            bare = _without_markers(unit)
            if bare is not None:
                self._exact.setdefault(sentence_key(bare.zh), bare)  # a real unmarked segment wins
        self._keys = list(self._exact)
        self._masked = [masked(k) for k in self._keys]
        self.files: list[str] = []

    @classmethod
    def from_files(cls, paths: Sequence[Path | str], threshold: float = FUZZY_THRESHOLD) -> TranslationMemory:
        units: list[TMUnit] = []
        for path in paths:
            units.extend(read_tmx(path))
        memory = cls(units, threshold)
        memory.files = [str(p) for p in paths]
        return memory

    def __len__(self) -> int:
        return len(self._exact)

    def exact_simplified(self, text: str) -> Match | None:
        """:meth:`exact` for text already in simplified characters (no OpenCC call)."""
        unit = self._exact.get(_key(text))
        return Match("exact", 1.0, unit) if unit is not None else None

    def exact(self, text: str) -> Match | None:
        unit = self._exact.get(sentence_key(text))
        return Match("exact", 1.0, unit) if unit is not None else None

    def fuzzy(self, text: str, limit: int = 5) -> list[Match]:
        """The best fuzzy candidates at or above the threshold, best first."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        query = masked(sentence_key(text))
        if len(query) < MIN_FUZZY_CHARS:
            return []
        found = process.extract(
            query,
            self._masked,
            scorer=Levenshtein.normalized_similarity,
            score_cutoff=self.threshold,
            limit=limit,
        )
        return [
            Match("fuzzy", round(float(score), 4), self._exact[self._keys[i]])
            for _, score, i in found
        ]

    def lookup(self, text: str) -> Match | None:
        """The exact match, else the best fuzzy one (without number/term repair)."""
        hit = self.exact(text)
        if hit is not None:
            return hit
        candidates = self.fuzzy(text, limit=1)
        return candidates[0] if candidates else None

    def version(self) -> str:
        """A digest of the memory's content (for caches and manifests)."""
        import hashlib

        h = hashlib.sha256()
        for key, unit in self._exact.items():
            h.update(f"{key}\t{unit.en}\n".encode())
        return h.hexdigest()[:12]
