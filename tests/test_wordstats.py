"""The word-frequency table read shard by shard from its cache file (repair.wordstats).

Checked against jieba's own word list parsed directly, with a real cache file in a
temporary directory: fresh, reread, damaged and cut short.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xyconvert.repair import joins
from xyconvert.repair.wordstats import WordStats


@pytest.fixture
def jieba_words() -> tuple[dict[str, float], str]:
    import importlib.util
    import os

    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None
    path = os.path.join(os.path.dirname(spec.origin), "dict.txt")
    return joins._read_words(path), path


def _same(stats: WordStats, words: dict[str, float]) -> None:
    assert len(stats) == len(words)
    for word, value in words.items():
        assert stats.get(word) == value
    assert stats.get("政府工作报告不是词") is None
    assert stats.get("") is None
    assert "政府" in stats and "政府" in words


def test_cache_file_gives_the_words_of_jieba_list(tmp_path: Path, jieba_words: tuple[dict[str, float], str]) -> None:
    words, path = jieba_words
    cache = tmp_path / "words.shards"
    calls: list[int] = []

    def build() -> dict[str, float]:
        calls.append(1)
        return joins._read_words(path)

    _same(WordStats(build, cache), words)  # no file yet: built and written
    assert calls == [1] and cache.exists()
    _same(WordStats(build, cache), words)  # read from the file, not parsed again
    assert calls == [1]


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_damaged_cache_file_is_rebuilt(
    tmp_path: Path, jieba_words: tuple[dict[str, float], str], damage: str,
) -> None:
    words, path = jieba_words
    cache = tmp_path / "words.shards"
    WordStats(lambda: joins._read_words(path), cache)
    data = bytearray(cache.read_bytes())
    if damage == "flip":
        data[-100] ^= 0xFF  # inside the last shards' pickles: their checksum fails
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data = bytearray(b"not a cache file")
    cache.write_bytes(bytes(data))
    _same(WordStats(lambda: joins._read_words(path), cache), words)
    _same(WordStats(lambda: joins._read_words(path), cache), words)  # rewritten whole


def test_no_cache_directory_still_gives_the_words(jieba_words: tuple[dict[str, float], str]) -> None:
    words, path = jieba_words
    _same(WordStats(lambda: joins._read_words(path), None), words)
