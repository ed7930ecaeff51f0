"""How well does one line's end continue into another line's start?

Hard-wrapped Chinese breaks lines at arbitrary characters, usually inside a
word (``开|局之年``) or inside a number and its unit (``41.42|亿元``). So the
characters around a true line break tend to form a word, while those around a
wrong join do not. Two sources of evidence:

* jieba's general dictionary (349k words with frequencies), read once;
* the document itself: character n-grams that occur inside its lines (never
  across them, so the statistics are not biased towards the current order).

Digits are folded to ``0`` and Latin letters to ``a`` so ``137.46亿元`` teaches
``0亿元`` for every other amount.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from xyconvert.charclass import CLOSERS, display_width, ends_sentence, is_han
from xyconvert.repair.structure import heading_marker
from xyconvert.repair.wordstats import WordStats

_FOLD = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "0" * 10 + "a" * 52,
)
_MAXN = 4
MIN_WORD_FREQ = 8
BLOCK_START = 1.5  # a short sentence-final line followed by a heading or indented first line
MAX_SCORE = 10.0  # cap, so that the order search can bound what a move may gain


def _has_content(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def fold(text: str) -> str:
    return text.translate(_FOLD)


@lru_cache(maxsize=1)
def dictionary() -> WordStats:
    """jieba's word list as {word: log frequency} (for ``get``); words of 2-4 characters only.

    Parsing the 5 MB text file takes ~0.3 s; a copy in the user cache directory (keyed by
    the file's size and mtime) is read shard by shard as words are looked up (wordstats).
    """
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a dependency
        return WordStats(dict, None)
    path = os.path.join(os.path.dirname(spec.origin), "dict.txt")
    stat = os.stat(path)
    cached = _cache_file(f"jieba-words-{MIN_WORD_FREQ}-{stat.st_size}-{int(stat.st_mtime)}.shards")
    return WordStats(lambda: _read_words(path), cached)


def _read_words(path: str) -> dict[str, float]:
    words: dict[str, float] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, freq, _ = line.split(" ", 2)
            # Rare words (a third of the file) add little evidence and cost load time.
            if 2 <= len(word) <= _MAXN and int(freq) >= MIN_WORD_FREQ:
                words[word] = math.log1p(int(freq))
    return words


def _cache_file(name: str) -> Path | None:
    """A file in xyconvert's cache directory, or None when there is no usable one."""
    base = os.environ.get("XYCONVERT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "xyconvert"
    )
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        return None
    return Path(base) / name


_GRAM_RUN = 1 << 16  # grams cut per Counter.update
# Grams counted one by one before the whole table is: each costs a scan of the text,
# the table about a thousand such scans.
_ASK_ONE_BY_ONE = 200
_WHITESPACE = re.compile(r"\s")


class JoinScorer:
    """Scores the join of two lines; higher means more likely consecutive."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.words = dictionary()
        lines = list(lines)
        widths = sorted(display_width(line) for line in lines)
        # Typical full width: wrapped text is mostly full lines.
        self.width = widths[int(0.8 * (len(widths) - 1))] if widths else 0.0
        self._lines: list[str] | None = lines
        self._ngrams: Counter[str] | None = None
        # Before ``ngrams`` is counted: the grams asked so far, counted one by one in the
        # folded lines joined by "\n" (which no folded line holds: whitespace is removed).
        self._asked: dict[str, int] = {}
        self._folded: str | None = None
        self._piece_cache: dict[tuple[str, bool], list[tuple[int, str, bool]]] = {}

    @property
    def ngrams(self) -> Counter[str]:
        """How often each folded 2-4-gram occurs in the document's lines.

        Counted on first use: a text that is one long line never scores a join,
        and counting its millions of grams took most of its repair time.
        """
        if self._ngrams is None:
            counts: Counter[str] = Counter()
            for line in self._lines or ():
                folded = fold(re.sub(r"\s+", "", line))
                # Counted in C; slices cut the grams at half the cost of joining zipped
                # copies, a bounded run of them at a time (a line may be megabytes long).
                size = len(folded)
                for n in range(2, _MAXN + 1):
                    for start in range(0, size - n + 1, _GRAM_RUN):
                        stop = min(start + _GRAM_RUN, size - n + 1)
                        counts.update([folded[k:k + n] for k in range(start, stop)])
            self._ngrams, self._lines, self._folded, self._asked = counts, None, None, {}
        return self._ngrams

    def doc_count(self, gram: str) -> int:
        """``ngrams.get(gram, 0)``. Most documents score a handful of joins: each gram
        asked is then counted on its own (a scan of the text in C) instead of all the
        document's grams at once (0.03 s for 20 pages, 0.3 s for 200); past
        ``_ASK_ONE_BY_ONE`` grams the whole table is counted after all."""
        if self._ngrams is not None:
            return self._ngrams.get(gram, 0)
        n = self._asked.get(gram)
        if n is not None:
            return n
        if len(self._asked) >= _ASK_ONE_BY_ONE:
            return self.ngrams.get(gram, 0)
        if not 2 <= len(gram) <= _MAXN or _WHITESPACE.search(gram):
            n = 0  # never a counted gram
        else:
            if self._folded is None:
                self._folded = "\n".join(fold(_WHITESPACE.sub("", line)) for line in self._lines or ())
            find = self._folded.find
            n = 0
            k = find(gram)
            while k >= 0:  # overlapping occurrences, as the grams are cut
                n += 1
                k = find(gram, k + 1)
        self._asked[gram] = n
        return n

    def _pieces(self, text: str, tail: bool) -> list[tuple[int, str, bool]]:
        """The last (or first) 1-3 folded characters of a line that can carry evidence.

        Pieces that are all punctuation are left out: "，" is followed by every
        word, so it predicts nothing.
        """
        key = (text, tail)
        pieces = self._piece_cache.get(key)
        if pieces is None:
            edge = fold(text[-(_MAXN - 1) :] if tail else text[: _MAXN - 1])
            pieces = []
            for k in range(1, len(edge) + 1):
                part = edge[-k:] if tail else edge[:k]
                if _has_content(part):
                    pieces.append((k, part, any(is_han(ch) for ch in part)))
            self._piece_cache[key] = pieces
        return pieces

    def score(self, before: str, after: str) -> float:
        """Evidence (>= 0) that ``after`` directly continues ``before``."""
        if not before or not after:
            return 0.0
        if ends_sentence(before):
            # After a full stop any sentence may follow; but a paragraph's short
            # last line is followed by a block start: a heading, or a first line
            # narrower by its lost indent.
            return self._block_start_bonus(before, after)
        return self._word_evidence(before, after)

    def _block_start_bonus(self, before: str, after: str) -> float:
        if self.width <= 0 or display_width(before) >= self.width - 1.5:
            return 0.0
        if heading_marker(after) is not None:
            return BLOCK_START
        after_width = display_width(after)
        if self.width - 2.5 <= after_width <= self.width - 1.5 and not ends_sentence(after):
            return BLOCK_START
        return 0.0

    def _word_evidence(self, before: str, after: str) -> float:
        best = 0.0
        for k, lpart, lhan in self._pieces(before, tail=True):
            for m, rpart, rhan in self._pieces(after, tail=False):
                # Folded digits ("00", "0.0") are everywhere, and extraction keeps
                # numbers on one line anyway: a gram needs a Chinese character.
                if k + m > _MAXN or not (lhan or rhan):
                    continue
                gram = lpart + rpart
                doc = self.doc_count(gram)
                value = 1.5 * math.log1p(doc) + 0.5 * (k + m - 2) if doc else 0.0
                wf = self.words.get(gram)
                if wf is not None:
                    value = max(value, 0.25 * wf + 0.5 * (k + m - 2))
                best = max(best, value)
        if after[0] in CLOSERS or after[0] in "，、；：。":
            # Lines seldom start with closing punctuation (line-break rules):
            # when one does, it almost surely continues the line before.
            best += 2.0
        return min(best, MAX_SCORE)
