"""Glossary terms as plain data, matched longest-first.

The engine does not depend on ``xyconvert.glossary`` (written in parallel): it takes
either a ``Mapping[str, str]`` (zh → en) — matched here with a small longest-match
scanner — or any callable ``text -> [(start, end, en), …]`` such as the glossary's
Aho–Corasick matcher.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

TermSpan = tuple[int, int, str]
Matcher = Callable[[str], Iterable[TermSpan]]
Terms = Mapping[str, str] | Matcher | None


class LongestMatch:
    """Leftmost-longest, non-overlapping matching of a zh → en term table."""

    def __init__(self, terms: Mapping[str, str]) -> None:
        self.terms = {k: v for k, v in terms.items() if k and v}
        self._by_first: dict[str, list[str]] = {}
        for zh in sorted(self.terms, key=len, reverse=True):
            self._by_first.setdefault(zh[0], []).append(zh)

    def __call__(self, text: str) -> list[TermSpan]:
        out: list[TermSpan] = []
        i, n = 0, len(text)
        while i < n:
            for zh in self._by_first.get(text[i], ()):
                if text.startswith(zh, i):
                    out.append((i, i + len(zh), self.terms[zh]))
                    i += len(zh)
                    break
            else:
                i += 1
        return out


def as_matcher(terms: Terms) -> Matcher | None:
    if terms is None:
        return None
    if isinstance(terms, Mapping):
        return LongestMatch(terms) if terms else None
    return terms


@dataclass
class TermReport:
    """How one glossary term fared in a document."""

    zh: str
    en: str
    occurrences: int = 0
    in_place: int = 0  # survived MT where it stood
    reinserted: int = 0  # lost by MT, put back by the fallback
    honoured: int = 0  # the English rendering is in the final sentence
    blocks: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "zh": self.zh,
            "en": self.en,
            "occurrences": self.occurrences,
            "in_place": self.in_place,
            "reinserted": self.reinserted,
            "honoured": self.honoured,
            "blocks": sorted(set(self.blocks)),
        }
