"""Chinese full-text tokens for SQLite FTS5: folded character bigrams.

FTS5 has no Chinese tokenizer (``unicode61`` keeps a run of ideographs as one
token), so we hand it text that is already split. Why bigrams and not jieba or
the trigram tokenizer: measured in ``bench/bench_archive.py`` and in the README
(bigrams find every occurrence, 1- and 2-character queries included, at index
speed and without a table scan).

1. **Fold** (:func:`fold`): each character on its own is NFKC-normalised,
   case-folded and converted traditional → simplified (OpenCC ``t2s``), so
   ``發展`` and ``发展`` index alike. Folding is per character and keeps the
   length, so offsets in the folded text are offsets in the original.
2. **Units**: a wide character (an ideograph, kana …) is a unit by itself; a
   run of Latin letters and digits (``gdp``, ``5.8``, ``2024``) is one unit.
3. **Segments**: punctuation and symbols end a segment; whitespace does not
   (``belt and road``).
4. **Tokens**: per segment, each pair of neighbouring units (``乡村 村振 振兴``)
   and an end token for the last unit (``兴_``). Pairs with a Latin unit, and end
   tokens, are joined by ``_`` (``gdp_增``) so ``5``+``8`` is never ``58``.

A query becomes an FTS5 phrase of the same tokens, without the end token of its
last segment (the text may go on: 乡村振 is in 乡村振兴). A one-unit query is a
prefix query (``"碳" *``): every occurrence of 碳 starts a pair or an end token.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

TOKENIZER_VERSION = 1  # bump (and add a migration that re-indexes) when tokens change
# FTS5 splits our token text at spaces only: the tokens are folded and cut already. The
# ``ascii`` tokenizer does just that (every non-ASCII character is a token character, no
# Unicode lookups); ``unicode61`` (the first archives, schema v1-v3) made the same tokens at
# a sixth more of the writer's time (bench/bench_archive.py), and split a token at a letter
# newer than its Unicode tables.
FTS_TOKENIZE = "ascii tokenchars '._'"
FTS_TOKENIZE_V1 = "unicode61 remove_diacritics 0 tokenchars '._'"

# A unit: a run of narrow letters/digits (with inner dots: 5.8, v1.2), or one wide character.
_WORD_CHARS = r"0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_WORD = rf"[{_WORD_CHARS}]+(?:\.[0-9a-z]+)*"
_UNIT = re.compile(rf"{_WORD}|[^\W_]")
# Between two units of a segment there is nothing, or whitespace.
_GAP_OK = re.compile(r"\s*")


@lru_cache(maxsize=1)
def _t2s():  # noqa: ANN202 - opencc has no type hints
    import opencc

    return opencc.OpenCC("t2s")


class _FoldTable(dict):
    """str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        got = unicodedata.normalize("NFKC", ch).casefold()
        if len(got) == 1 and ord(got) > 0x2E7F:
            got = _t2s().convert(got)
        got = _one_char(ch, got)
        self[code] = got
        return got


def _one_char(ch: str, got: str) -> str:
    """Folding keeps the length: a fold to several characters (ﬁ → fi) falls back to
    ``ch`` case-folded, or ``ch`` itself."""
    if len(got) == 1:
        return got
    cf = ch.casefold()
    return cf if len(cf) == 1 else ch


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """``text`` folded character by character: NFKC, lower case, simplified; same length."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


# A character that is punctuation or a symbol both before and after folding (，→ ,) plays
# the same part in the tokens either way (a segment boundary), and never is in a token.
_BOUNDARY_CHAR = re.compile(r"[^\w\s.]|_")


@lru_cache(maxsize=1)
def _token_fold_pattern() -> re.Pattern[str]:
    """Runs of the characters whose folding can change a token: every BMP character that
    :func:`fold` changes, but for boundary → boundary ones, and every astral character.

    Made once per process (about 0.07 s): NFKC and case over the BMP, and the t2s
    conversion of its wide characters in one OpenCC call (per-character conversions
    joined by newlines, which no OpenCC phrase spans; tests check it against ``fold``).
    """
    codes = [c for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000]
    chars = [chr(c) for c in codes]
    nfkc = [unicodedata.normalize("NFKC", ch).casefold() for ch in chars]
    wide = [i for i, got in enumerate(nfkc) if len(got) == 1 and ord(got) > 0x2E7F]
    for i, got in zip(wide, _t2s().convert("\n".join(nfkc[i] for i in wide)).split("\n")):
        nfkc[i] = got
    changing: list[int] = []
    for code, ch, got in zip(codes, chars, nfkc):
        got = _one_char(ch, got)
        if got != ch and not (_BOUNDARY_CHAR.match(ch) and _BOUNDARY_CHAR.match(got)):
            changing.append(code)
    ranges: list[str] = []
    i = 0
    while i < len(changing):
        j = i
        while j + 1 < len(changing) and changing[j + 1] == changing[j] + 1:
            j += 1
        a, b = chr(changing[i]), chr(changing[j])
        ranges.append(re.escape(a) if i == j else f"{re.escape(a)}-{re.escape(b)}")
        i = j + 1
    return re.compile("[A-Z" + "".join(ranges) + "\U00010000-\U0010ffff]+")


def _fold_run(m: re.Match[str]) -> str:
    return m.group().translate(_FOLD)


def token_fold(text: str) -> str:
    """``text`` with what :func:`fold` changes that can change a token folded (same length):
    the tokens of ``token_fold(t)`` and ``fold(t)`` are the same. Most report text has
    nothing to fold but punctuation, so this is a scan, not a lookup per character."""
    return text.lower() if text.isascii() else _token_fold_pattern().sub(_fold_run, text)


@dataclass(frozen=True)
class Unit:
    text: str
    start: int
    end: int
    segment: int


def units(folded: str) -> list[Unit]:
    """The units of folded text, each with its offsets and segment number."""
    return [Unit(m.group(), m.start(), m.end(), seg) for seg, m in _iter_units(folded)]


def _wide(u: str) -> bool:
    # One character from the CJK blocks on (U+2E80): the folded text has no full-width Latin.
    return len(u) == 1 and u >= "\u2e80"


def _iter_units(folded: str) -> Iterator[tuple[int, re.Match[str]]]:
    segment = 0
    last_end = -1
    for m in _UNIT.finditer(folded):
        if last_end >= 0 and m.start() != last_end and not _GAP_OK.fullmatch(folded, last_end, m.start()):
            segment += 1
        last_end = m.end()
        yield segment, m


# Segment boundaries: punctuation and symbols (a dot between letters/digits is not one).
_BOUNDARY = re.compile(r"(?:_|(?!(?<=[0-9a-z])\.(?=[0-9a-z]))[^\w\s])+")
_ALL_WIDE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _segments(text: str) -> list[tuple[list[str] | str, bool]]:
    """Each segment's units, and whether all are ideographs (then the segment is a str)."""
    return _folded_segments(fold(text))


def _folded_segments(folded: str) -> list[tuple[list[str] | str, bool]]:
    segs: list[tuple[list[str] | str, bool]] = []
    for part in _BOUNDARY.split(folded):
        if not part:
            continue
        if _ALL_WIDE.fullmatch(part):
            segs.append((part, True))
        else:
            found = _UNIT.findall(part)
            if found:
                segs.append((found, False))
    return segs


def _segment_tokens(seg: list[str] | str, wide: bool, end_token: bool) -> list[str]:
    if wide:  # the common case, kept fast: neighbouring characters concatenated in C
        toks = list(map(str.__add__, seg, seg[1:]))
    else:
        # two wide units join as they are, any other pair with _ (written out: it runs for
        # every segment holding digits or Latin letters)
        toks = [
            a + b if len(a) == 1 == len(b) and a >= "\u2e80" and b >= "\u2e80" else f"{a}_{b}"
            for a, b in zip(seg, seg[1:])
        ]
    if end_token:
        toks.append(seg[-1] + "_")
    return toks


def index_tokens(text: str) -> str:
    """The token string FTS5 indexes for ``text`` (space-separated)."""
    out: list[str] = []
    for seg, wide in _segments(text):
        out.extend(_segment_tokens(seg, wide, True))
    return " ".join(out)


# --- block_tokens: a whole document's tokens in a few passes over whole strings ---
#
# Python's re costs 15-30 ns a character on this text even with simple classes, str.translate
# with a dict ~130 ns, and a Python step per segment ~1 µs (a report has ~1,700 segments of
# ideographs): so the folded text is classified with byte operations (bytes.translate per byte
# of the code units, big-int masks to combine them), the tokens of every ideograph are laid
# out in one string made in C, and Python steps only through the runs of digits, Latin
# letters and whitespace (~270 a report).

_BLOCK_SEP = "\x00"  # a boundary (not \s, not \w): no token spans two blocks

# Character classes of folded text, one ASCII letter a character (the roles in index_tokens):
#   W  a unit of one wide character (a letter or digit from U+2E80 on: ideographs, kana …)
#   a  0-9 a-z;   l  another letter of _WORD (Latin-1/Extended, Greek, Cyrillic)
#   n  any other letter or digit: a narrow unit of its own (Ⅱ, ⑩, Arabic …)
#   s  whitespace;   .  a dot;   B  a boundary (punctuation, symbols, "_", controls)
_CLASS_STEPS = (  # applied in turn; each placeholder (\x01-\x07) is a B char no later step matches
    (_BOUNDARY_CHAR, "\x07"),
    (re.compile(r"\s"), "\x06"),
    (re.compile(r"\."), "\x05"),
    (re.compile(r"[0-9a-z]"), "\x01"),
    (re.compile(rf"[{_WORD_CHARS}]"), "\x02"),
    (re.compile(r"[^\x00-\u2e7f]"), "\x03"),  # what is left is a letter or digit: wide …
    (re.compile(r"[^\x01-\x07]"), "\x04"),  # … or narrow
)
_CLASS_LETTERS = str.maketrans("\x01\x02\x03\x04\x05\x06\x07", "alWn.sB")


def _exact_classes(text: str) -> str:
    """The class letter of each character of ``text``, by the regexes themselves (slow:
    for the tables, and through _CLASS_OF for the rare characters they leave open)."""
    for pattern, placeholder in _CLASS_STEPS:
        text = pattern.sub(placeholder, text)
    return text.translate(_CLASS_LETTERS)


_CODES = {"B": 1, "W": 2, "a": 3, "l": 4, "n": 5, "s": 6, ".": 7, "?": 8}  # 4 bits; ? = look it up
# The 256-character pages whose classes depend on the low byte and are common in reports
# (ASCII/Latin-1, full-width forms; CJK punctuation and kana, general punctuation), in pairs:
# one byte holds the classes of both (low and high nibble).
_LOW_BYTE_PAGES = ((0x00, 0xFF), (0x30, 0x20))


@lru_cache(maxsize=1)
def _class_tables() -> tuple[bytes, list[tuple[bytes, bytes]], bytes]:
    """bytes.translate tables: class by high byte (0 on the pages above, ? on other mixed
    pages), per page pair the class by low byte and the high-byte mask picking its nibble,
    and the code → letter table. Made once per process (~30 ms: the BMP through the regexes)."""
    bmp = _exact_classes("".join(map(chr, range(0x10000))))
    by_high = bytearray(256)
    for high in range(256):
        page = set(bmp[high << 8 : (high + 1) << 8])
        if any(high in pair for pair in _LOW_BYTE_PAGES):
            continue
        by_high[high] = _CODES[page.pop()] if len(page) == 1 else _CODES["?"]
    by_low = []
    for first, second in _LOW_BYTE_PAGES:
        table = bytes(_CODES[bmp[first << 8 | lo]] | _CODES[bmp[second << 8 | lo]] << 4 for lo in range(256))
        mask = bytearray(256)
        mask[first], mask[second] = 0x0F, 0xF0
        by_low.append((table, bytes(mask)))
    letter = {code: c for c, code in _CODES.items()}
    unpack = bytes(ord(letter.get((v & 0x0F) | (v >> 4), "?")) for v in range(256))
    return bytes(by_high), by_low, unpack


class _ClassTable(dict):
    """str.translate table of class letters, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        self[code] = got = _exact_classes(chr(code))
        return got


_CLASS_OF = _ClassTable()
_ASTRAL = re.compile(rb"[^\x00]+")
_UNKNOWN = re.compile(r"\?+")


def _classes(folded: str, raw: bytes, width: int) -> str:
    """The class letters of ``folded``, whose UTF-16-LE (width 2) or UTF-32-LE code units are ``raw``."""
    by_high, by_low, unpack = _class_tables()
    low, high = raw[0::width], raw[1::width]
    codes = int.from_bytes(high.translate(by_high), "little")
    for table, mask in by_low:  # big ints: an AND and an OR over the whole text at once
        codes |= int.from_bytes(low.translate(table), "little") & int.from_bytes(high.translate(mask), "little")
    letters = bytearray(codes.to_bytes(len(folded), "little").translate(unpack))
    if width == 4:  # astral characters: looked up
        for m in _ASTRAL.finditer(raw[2::4]):
            letters[m.start() : m.end()] = b"?" * (m.end() - m.start())
    out = letters.decode("ascii")
    if "?" in out:
        out = _UNKNOWN.sub(lambda m: folded[m.start() : m.end()].translate(_CLASS_OF), out)
    return out


_LOOSE_DOT = re.compile(r"\.(?!(?<=a\.)a)")  # a dot not between 0-9a-z on both sides: a boundary
_NOT_WIDE = str.maketrans("WBaln.s", "\x00\x01\x01\x01\x01\x01\x01")
_SPECIAL = str.maketrans("WBaln.s", "--+++++")  # + : in a run of digits, letters, whitespace
_SEVERAL = str.maketrans("WBaln.s", "---!!-!")  # ! : a run with it may hold several units
_SPAN_UNIT = re.compile(r"[al]+(?:\.a+)*|n")  # _UNIT, on class letters (whitespace between units)
_TYPECODE = {array(t).itemsize: t for t in "LIH"}  # array type of 2- and 4-byte items


def _laid_pairs(raw: bytes, classes: str, block_ends: bytearray, codec: str, width: int) -> str:
    """Three characters per character of the text: for a wide unit, it, the next character
    and a space (the pair token ``乡村 ``), or it, ``_`` and a space when the next is no wide
    unit (the end token ``兴_ ``); for any other character ``_DROP``, but for the separators
    of blocks (where ``block_ends`` is 1), ``_BLOCK_END``. Big-int masks and strided array
    copies: all in C."""
    # Each int holds one lane of ``width`` bytes a character (its code unit), little-endian:
    # ``x ^ (x & mask)`` clears the lanes of mask, ``| v`` then sets them (no carries).
    n = len(classes)
    bits = 8 * width
    lane = (1 << bits) - 1
    ones = int.from_bytes(classes.translate(_NOT_WIDE).encode(codec), "little")  # 1 where not W
    mask = ones * lane
    text = int.from_bytes(raw, "little")
    ends = int.from_bytes(block_ends.decode("latin-1").encode(codec), "little")
    first = (text ^ (text & mask)) | (ones + ends)  # the character; \x01 where not W, \x02 at block ends
    after = (text >> bits) | (0x5F << (bits * (n - 1)))  # the next character ("_" after the end)
    next_ones = ones >> bits  # 1 where the next is not W
    # the next character where it and this one are W; "_" where only this one is; else \x01
    second = (after ^ (after & (mask | next_ones * lane))) | ones | (next_ones ^ (next_ones & ones)) * 0x5F
    typecode = _TYPECODE[width]
    laid = array(typecode, [0, 0, 0x20]) * n
    laid[0::3] = array(typecode, first.to_bytes(width * n, "little"))
    laid[1::3] = array(typecode, second.to_bytes(width * n, "little"))
    return laid.tobytes().decode(codec)


# The triples of _laid_pairs that are no token: "\x01" only ever is in their first two
# characters, and every triple ends with a space, so each occurrence is a whole triple.
_DROP = "\x01\x01 "
_BLOCK_END = "\x02\x01 "


def block_tokens(texts: Sequence[str]) -> list[str]:
    """``[index_tokens(t) for t in texts]``, for a whole document at once (the import's hot loop).

    The text is folded and classified in one pass each; the tokens are then the laid-out
    pairs (:func:`_laid_pairs`), but around each run of digits, Latin letters or whitespace,
    whose tokens are made here: with the wide unit before it (``长_5.8``), its own (``5.8_``,
    or ``5.8_年`` with the wide unit after it). The document's string is cut into blocks last.
    """
    if not any(texts):
        return ["" for _ in texts]
    folded = token_fold(_BLOCK_SEP.join(texts))
    n = len(folded)
    raw = folded.encode("utf-16-le")
    if len(raw) == 2 * n:
        codec, width = "utf-16-le", 2
    else:  # astral characters: 4-byte code units keep one unit a character
        codec, width = "utf-32-le", 4
        raw = folded.encode(codec)
    classes = _LOOSE_DOT.sub("B", _classes(folded, raw, width))
    block_ends = bytearray(n)
    i = -1
    for text in texts[:-1]:
        i += len(text) + 1
        block_ends[i] = 1
    pairs = _laid_pairs(raw, classes, block_ends, codec, width)
    find = classes.translate(_SPECIAL).find
    # A run without whitespace, narrow letters or other Latin letters is one unit (5.8, gdp).
    several = classes.translate(_SEVERAL).find if ("s" in classes or "n" in classes or "l" in classes) else None
    parts: list[str] = []  # each ends with a space
    done = 0
    s = find("+")
    while s >= 0:  # a run [s, e): never across blocks, whose separators are boundaries
        e = find("-", s)
        if e < 0:
            e = n
        before = folded[s - 1] if s and classes[s - 1] == "W" else ""
        cut = s - 1 if before else s  # the token of the wide unit before is made here
        parts.append(pairs[3 * done : 3 * cut])
        after = folded[e] if e < n and classes[e] == "W" else ""
        if several is None or several("!", s, e) < 0 or _SPAN_UNIT.fullmatch(classes, s, e):
            u = folded[s:e]
            parts.append(f"{before}_{u} {u}_{after} " if before else f"{u}_{after} ")
        else:
            parts.append(_span_tokens(folded, classes, s, e, before, after))
        done = e
        s = find("+", e)
    parts.append(pairs[3 * done :])
    blocks = "".join(parts).replace(_DROP, "").split(_BLOCK_END)
    return [b[:-1] for b in blocks]


def _span_tokens(folded: str, classes: str, start: int, end: int, before: str, after: str) -> str:
    """The tokens of a run of units and whitespace ``folded[start:end]`` inside a segment, with
    ``before`` and ``after`` the wide units next to it ("" for none); each followed by a space."""
    toks: list[str] = []
    prev, prev_wide = before, bool(before)
    for m in _SPAN_UNIT.finditer(classes, start, end):
        u = folded[m.start() : m.end()]
        if prev:
            toks.append(f"{prev}_{u}")  # u is narrow
        prev, prev_wide = u, False
    if prev:
        toks.append(prev + after if prev_wide and after else f"{prev}_{after}")
    return "".join(t + " " for t in toks)


def query_phrase(term: str) -> str | None:
    """An FTS5 expression matching blocks that contain ``term``; None when it has no units."""
    segs = _segments(term)
    if not segs:
        return None
    toks: list[str] = []
    for i, (seg, wide) in enumerate(segs):
        toks.extend(_segment_tokens(seg, wide, i < len(segs) - 1))
    if not toks:  # a single unit: every occurrence starts a token
        only = segs[0][0][0]
        return f'"{only}" *' if _wide(only) else f'"{only}_" *'
    if len(segs[-1][0]) == 1:
        # last segment is one unit: it starts the token after the previous end token
        last = segs[-1][0][0]
        toks.append(last if _wide(last) else last + "_")
        return '"' + " ".join(toks) + '" *'
    return '"' + " ".join(toks) + '"'


def token_digest(tokens: str, facets: str) -> bytes:
    """8 bytes naming a block's index row. The full-text table keeps no copy of its rows
    (schema v6), and removing one takes the exact tokens it was indexed with: they are
    recomputed from the block's text, and this digest, kept with the block, says whether
    they are the same."""
    return hashlib.blake2b(f"{tokens}\x1f{facets}".encode(), digest_size=8).digest()


def facet_tokens(year: int | None, region: str | None, block_type: str) -> str:
    """The ``facets`` column: filters evaluated inside FTS5 (``xyy2024 xyr安徽省 xytparagraph``).

    The full-text engine intersects these with the query's rows before ranking,
    so a filtered query ranks only the rows it returns. No query token can equal
    them: query tokens of one Latin unit end in ``_``.
    """
    out = [f"xyt{block_type}"]
    if year is not None:
        out.append(f"xyy{year}")
    if region:
        out.append("xyr" + "".join(u.text for u in units(fold(region))))
    return " ".join(out)


def facet_filter(name: str, values: list[str]) -> str:
    """``facets : ("xyy2023" OR "xyy2024")``."""
    return "facets : (" + " OR ".join(f'"xy{name}{v}"' for v in values) + ")"


def split_query(query: str) -> list[str]:
    """Terms of a query: whitespace-separated, ``"…"`` keeps a phrase with spaces together."""
    terms = [a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', query)]
    return [t for t in terms if units(fold(t))]


def match_expression(query: str) -> str | None:
    """FTS5 MATCH expression: every term of the query must occur in the block."""
    phrases = [p for p in (query_phrase(t) for t in split_query(query)) if p]
    return " AND ".join(phrases) if phrases else None


def _term_pattern(term: str) -> re.Pattern[str] | None:
    us = units(fold(term))
    if not us:
        return None
    parts: list[str] = []
    for i, u in enumerate(us):
        if i:
            parts.append(r"\s*" if u.segment == us[i - 1].segment else r"[\W_]+?")
        parts.append(re.escape(u.text))
    pattern = "".join(parts)
    if not _wide(us[0].text):
        pattern = r"(?<![0-9a-z.])" + pattern
    if not _wide(us[-1].text):
        pattern += r"(?![0-9a-z]|\.[0-9a-z])"
    return re.compile(pattern)


def find_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of the query's terms in ``text`` (original offsets)."""
    folded = fold(text)
    spans: list[tuple[int, int]] = []
    for term in split_query(query):
        pat = _term_pattern(term)
        if pat is not None:
            spans.extend(m.span() for m in pat.finditer(folded) if m.end() > m.start())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def count_occurrences(text: str, term: str) -> int:
    pat = _term_pattern(term)
    return 0 if pat is None else sum(1 for _ in pat.finditer(fold(text)))
