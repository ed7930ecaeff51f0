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

from xyconvert.charclass import CLOSERS, ends_sentence, is_han

_FOLD = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "0" * 10 + "a" * 52,
)
_MAXN = 4
MAX_SCORE = 10.0  # cap, so that the order search can bound what a move may gain


def _has_content(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def fold(text: str) -> str:
    return text.translate(_FOLD)


@lru_cache(maxsize=1)
def dictionary() -> dict[str, float]:
    """jieba's word list as {word: log frequency}; words of 2-4 characters only."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    words: dict[str, float] = {}
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a dependency
        return words
    path = os.path.join(os.path.dirname(spec.origin), "dict.txt")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, freq, _ = line.split(" ", 2)
            if 2 <= len(word) <= _MAXN:
                words[word] = math.log1p(int(freq))
    return words


class JoinScorer:
    """Scores the join of two lines; higher means more likely consecutive."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.words = dictionary()
        counts: Counter[str] = Counter()
        for line in lines:
            folded = fold(re.sub(r"\s+", "", line))
            for n in range(2, _MAXN + 1):
                for i in range(len(folded) - n + 1):
                    counts[folded[i : i + n]] += 1
        self.ngrams = counts

    def score(self, before: str, after: str) -> float:
        """Evidence (>= 0) that ``after`` directly continues ``before``."""
        if not before or not after:
            return 0.0
        if ends_sentence(before):
            # After a full stop any sentence may follow: no evidence either way.
            return 0.0
        left = fold(before[-(_MAXN - 1) :])
        right = fold(after[: _MAXN - 1])
        best = 0.0
        for k in range(1, len(left) + 1):
            for m in range(1, len(right) + 1):
                if not 2 <= k + m <= _MAXN:
                    continue
                lpart, rpart = left[-k:], right[:m]
                if not (_has_content(lpart) and _has_content(rpart)):
                    # Punctuation predicts nothing about what follows it
                    # ("，" is followed by every word): no evidence.
                    continue
                gram = lpart + rpart
                if not any(is_han(ch) for ch in gram):
                    # Folded digits ("00", "0.0") are everywhere; extraction
                    # keeps numbers on one line anyway.
                    continue
                doc = self.ngrams.get(gram, 0)
                value = 0.0
                if doc:
                    value = 1.5 * math.log1p(doc) + 0.5 * (k + m - 2)
                wf = self.words.get(gram)
                if wf is not None:
                    value = max(value, 0.25 * wf + 0.5 * (k + m - 2))
                best = max(best, value)
        if after[0] in CLOSERS or after[0] in "，、；：。":
            # Lines seldom start with closing punctuation (line-break rules):
            # when one does, it almost surely continues the line before.
            best += 2.0
        return min(best, MAX_SCORE)
