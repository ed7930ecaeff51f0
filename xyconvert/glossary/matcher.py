"""Longest-match, non-overlapping glossary term matching in linear time.

An Aho–Corasick automaton over the normalized glossary keys scans each block once
(O(text + matches), independent of the number of terms). Of all matches it keeps
the leftmost-longest non-overlapping set, like a greedy tokenizer: at each position
the longest term starting there wins (规模以上工业增加值 over 规模以上 and 工业增加值),
and a term overlapping an earlier chosen one is dropped.

Written here rather than taken from pyahocorasick: ~100 lines, no compiled
dependency, and it runs on the normalized text with its offset map so matches land
on the original block offsets. On a 45 KB report it takes a few milliseconds
(see bench/bench_glossary.py), far below reading and repairing the document.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xyconvert.glossary.normalize import Normalized

if TYPE_CHECKING:
    from xyconvert.glossary.entries import Glossary, GlossaryEntry
    from xyconvert.model import Document


class Automaton:
    """Aho–Corasick automaton over ``patterns`` (non-empty strings).

    ``find_longest(text)`` returns ``(start, end, pattern_index)`` triples: the
    leftmost-longest non-overlapping occurrences, in text order.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        goto: list[dict[str, int]] = [{}]
        term: list[int] = [-1]  # pattern ending exactly at this state
        for pid, pattern in enumerate(patterns):
            if not pattern:
                raise ValueError(f"empty pattern at index {pid}")
            state = 0
            for ch in pattern:
                nxt = goto[state].get(ch)
                if nxt is None:
                    nxt = len(goto)
                    goto[state][ch] = nxt
                    goto.append({})
                    term.append(-1)
                state = nxt
            if term[state] < 0:  # duplicate patterns: the first one wins
                term[state] = pid

        # Failure links by breadth-first search; a state's outputs are its own
        # pattern plus the outputs of its failure state (all shorter suffixes).
        fail = [0] * len(goto)
        outs: list[tuple[int, ...]] = [()] * len(goto)
        queue: deque[int] = deque(goto[0].values())
        while queue:
            r = queue.popleft()
            outs[r] = ((term[r],) if term[r] >= 0 else ()) + outs[fail[r]]
            for ch, s in goto[r].items():
                f = fail[r]
                while f and ch not in goto[f]:
                    f = fail[f]
                fail[s] = goto[f].get(ch, 0)
                queue.append(s)

        self._goto = goto
        self._fail = fail
        self._outs = outs
        self._lengths = [len(p) for p in patterns]
        self.states = len(goto)

    def iter_matches(self, text: str) -> Iterable[tuple[int, int, int]]:
        """Every occurrence of every pattern (overlapping), as (start, end, index)."""
        goto, fail, outs, lengths = self._goto, self._fail, self._outs, self._lengths
        state = 0
        for i, ch in enumerate(text):
            while True:
                nxt = goto[state].get(ch)
                if nxt is not None:
                    state = nxt
                    break
                if not state:
                    break
                state = fail[state]
            for pid in outs[state]:
                yield i + 1 - lengths[pid], i + 1, pid

    def find_longest(self, text: str) -> list[tuple[int, int, int]]:
        goto, fail, outs, lengths = self._goto, self._fail, self._outs, self._lengths
        best: dict[int, int] = {}  # start -> pattern index of the longest match there
        state = 0
        for i, ch in enumerate(text):
            # The hot loop: one dict lookup per character in the common case.
            while True:
                nxt = goto[state].get(ch)
                if nxt is not None:
                    state = nxt
                    break
                if not state:
                    break
                state = fail[state]
            found = outs[state]
            if found:
                for pid in found:
                    start = i + 1 - lengths[pid]
                    prev = best.get(start)
                    if prev is None or lengths[pid] > lengths[prev]:
                        best[start] = pid
        chosen: list[tuple[int, int, int]] = []
        last_end = 0
        for start in sorted(best):
            if start >= last_end:
                pid = best[start]
                last_end = start + lengths[pid]
                chosen.append((start, last_end, pid))
        return chosen


@dataclass(frozen=True)
class TermMatch:
    """One glossary term found in a document: block index and offsets in ``block.text``."""

    block: int
    start: int
    end: int
    text: str  # as written in the block (may be traditional, or hold quotes)
    entry: GlossaryEntry

    @property
    def zh(self) -> str:
        return self.entry.zh

    @property
    def en(self) -> str:
        return self.entry.en

    def to_dict(self) -> dict[str, Any]:
        return {"block": self.block, "start": self.start, "end": self.end, "text": self.text}


_QUOTE_PAIRS = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ("〝", "〞"))


def _balance_quotes(text: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """Widen a span by one quote mark when it holds half of a pair.

    Quotes are ignored while matching, so “八五”普法 matches as 八五”普法; taking the
    opening quote too keeps replacements (e.g. by the English term) balanced.
    """
    for open_q, close_q in _QUOTE_PAIRS:
        opens, closes = text.count(open_q, start, end), text.count(close_q, start, end)
        if closes > opens and start - 1 >= floor and text[start - 1] == open_q:
            start -= 1
        elif opens > closes and end < len(text) and text[end] == close_q:
            end += 1
    if text.count('"', start, end) % 2:
        if start - 1 >= floor and text[start - 1] == '"':
            start -= 1
        elif end < len(text) and text[end] == '"':
            end += 1
    return start, end


class TermMatcher:
    """A glossary compiled for matching. Get one from ``Glossary.matcher``."""

    def __init__(self, glossary: Glossary) -> None:
        items = list(glossary.items())
        self._entries: list[GlossaryEntry] = [e for _, e in items]
        self.automaton = Automaton([k for k, _ in items])

    def find(self, text: str) -> list[tuple[int, int, GlossaryEntry]]:
        """(start, end, entry) for each term in ``text``, offsets into ``text`` itself."""
        if not text:
            return []
        norm = Normalized(text)
        spans = []
        floor = 0
        for s, e, pid in self.automaton.find_longest(norm.text):
            start, end = norm.original_span(s, e)
            start, end = _balance_quotes(text, start, end, floor)
            floor = end
            spans.append((start, end, self._entries[pid]))
        return spans

    def match_text(self, text: str, block: int = 0) -> list[TermMatch]:
        return [TermMatch(block, s, e, text[s:e], entry) for s, e, entry in self.find(text)]

    def match_document(self, document: Document) -> list[TermMatch]:
        """Matches over every block, in document order (terms never span blocks)."""
        matches: list[TermMatch] = []
        for index, block in enumerate(document.blocks):
            matches.extend(self.match_text(block.text, index))
        return matches


def match_document(document: Document, glossary: Glossary) -> list[TermMatch]:
    """All glossary terms in ``document``: leftmost-longest, non-overlapping, per block."""
    return glossary.matcher.match_document(document)


def match_text(text: str, glossary: Glossary, block: int = 0) -> list[TermMatch]:
    return glossary.matcher.match_text(text, block)
