"""jieba's word frequencies as a lookup table read shard by shard, on demand.

A conversion asks the word list about a handful of grams (the joins the order search
and the paragraph builder score: 0-10 on the sample PDFs and a 200-page annual report),
yet unpickling all 100k words took 0.03-0.05 s per process, a tenth of a small PDF's
whole conversion. So the cache file holds the words in shards by their first character,
each pickled on its own with a checksum, and a lookup unpickles only its word's shard.
A text that scores many joins ends up with every shard loaded: the same dict as before,
in pieces.
"""

from __future__ import annotations

import contextlib
import pickle
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from xyconvert.atomic import write_bytes

_MAGIC = b"xyconvert-word-shards-1\n"
_SHARDS = 256
_INDEX = struct.Struct(f"<{_SHARDS + 1}Q{_SHARDS}I")  # shard offsets (from the body), CRC-32s


def shard_of(word: str) -> int:
    return ord(word[0]) % _SHARDS


class WordStats:
    """``{word: log frequency}`` for ``get`` (all the join scorer asks), shard by shard.

    ``build`` makes the full dict (parsing jieba's text file): called when there is no
    cache file, or when a shard of it does not check out (then it is rewritten).
    """

    def __init__(self, build: Callable[[], dict[str, float]], cache: Path | None) -> None:
        self._build = build
        self._cache = cache
        self._shards: list[dict[str, float] | None] = [None] * _SHARDS
        self._body = b""
        self._index: tuple[int, ...] = ()
        if cache is not None:
            self._open(cache)
        if not self._index:
            self._rebuild()

    def _open(self, cache: Path) -> None:
        try:  # read, not mapped: a mapped file cut short by someone else would crash us
            data = cache.read_bytes()
        except OSError:
            return
        head = len(_MAGIC) + _INDEX.size
        if len(data) < head or data[:len(_MAGIC)] != _MAGIC:
            return
        index = _INDEX.unpack_from(data, len(_MAGIC))
        if index[_SHARDS] != len(data) - head:
            return  # truncated or overlong
        self._body, self._index = memoryview(data)[head:], index

    def _rebuild(self) -> None:
        words = self._build()
        shards: list[dict[str, float]] = [{} for _ in range(_SHARDS)]
        for word, value in words.items():
            shards[shard_of(word)][word] = value
        self._shards = list(shards)
        self._index = (0,)  # loaded: no file to read shards from
        if self._cache is not None:
            with contextlib.suppress(OSError):
                write_bytes(self._cache, _pack(shards))

    def _load(self, k: int) -> dict[str, float]:
        off = self._index
        blob = self._body[off[k]:off[k + 1]] if len(off) > 1 else b""
        shard = None
        if len(off) > 1 and zlib.crc32(blob) == off[_SHARDS + 1 + k]:
            with contextlib.suppress(Exception):
                loaded = pickle.loads(blob)
                if isinstance(loaded, dict):
                    shard = loaded
        if shard is None:  # a damaged cache file: the words again from jieba's list
            self._rebuild()
            shard = self._shards[k]
            assert shard is not None
        self._shards[k] = shard
        return shard

    def get(self, word: str, default: float | None = None) -> float | None:
        if not word:
            return default
        k = shard_of(word)
        shard = self._shards[k]
        if shard is None:
            shard = self._load(k)
        return shard.get(word, default)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __len__(self) -> int:
        return sum(len(self._shards[k] or self._load(k)) for k in range(_SHARDS))


def _pack(shards: list[dict[str, float]]) -> bytes:
    blobs = [pickle.dumps(s, protocol=pickle.HIGHEST_PROTOCOL) for s in shards]
    offsets = [0]
    for b in blobs:
        offsets.append(offsets[-1] + len(b))
    return _MAGIC + _INDEX.pack(*offsets, *(zlib.crc32(b) for b in blobs)) + b"".join(blobs)
