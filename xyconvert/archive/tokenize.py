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
_WORD = r"[0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+(?:\.[0-9a-z]+)*"
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


def _pair(a: str, b: str) -> str:
    return a + b if len(a) == 1 == len(b) and a >= "\u2e80" and b >= "\u2e80" else f"{a}_{b}"


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
        # _pair, inlined: this runs for every segment holding digits or Latin letters
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


# A run of text between segment boundaries: what _BOUNDARY.split leaves, except that every
# dot is kept in (whether a dot is a boundary depends on its neighbours: the run is re-split).
_CHUNK = re.compile(r"(?:[^\W_]|[\s.])+")
_BLOCK_SEP = "\x00"  # a boundary (not \s, not \w): no token spans two blocks
# A chunk of ideographs only (group 1; ahead of a digit it gives back one character at a
# time, each a failed look-ahead: linear), or any other chunk.
_WIDE_OR_CHUNK = re.compile(rf"({_ALL_WIDE.pattern})(?![^\W_]|[\s.])|{_CHUNK.pattern}")


def block_tokens(texts: Sequence[str]) -> list[str]:
    """``[index_tokens(t) for t in texts]``, for a whole document at once (the import's hot loop).

    The text is folded in one call; the pairs of every ideograph run are cut from one
    string made in C (each character, the next one, a space), so the per-character work
    of ``index_tokens`` is done without a Python object per pair. A chunk mixing
    ideographs with Latin letters, digits or other scripts is stepped through by runs.
    """
    folded = token_fold(_BLOCK_SEP.join(texts))
    codes = array("I", folded.encode("utf-32-le"))
    n = len(codes)
    laid = array("I", bytes(12 * n))
    laid[0::3] = codes
    laid[1::3] = codes[1:] + array("I", [0x5F])
    laid[2::3] = array("I", [0x20]) * n
    pairs = laid.tobytes().decode("utf-32-le")  # pairs[3i:3i+2] = folded[i] + folded[i+1]
    out: list[str] = []
    start = 0
    chunks = _WIDE_OR_CHUNK.finditer
    for text in texts:
        end = start + len(text)
        pieces: list[str] = []
        for m in chunks(folded, start, end):
            s, e = m.span()
            if m.group(1) is not None:  # ideographs only
                pieces.append(pairs[3 * s : 3 * e - 2] + "_")  # the last pair is the end token
            elif folded.find(".", s, e) < 0:
                _mixed_segment(folded, pairs, s, e, pieces)
            else:  # segments end at a dot that does not sit between letters/digits
                a = s
                for b in _BOUNDARY.finditer(folded, s, e):
                    _mixed_segment(folded, pairs, a, b.start(), pieces)
                    a = b.end()
                _mixed_segment(folded, pairs, a, e, pieces)
        out.append(" ".join(pieces))
        start = end + 1
    return out


# Inside a segment: a run of ideographs (their pairs are cut from the pairs string), or one unit.
_RUN = re.compile(rf"({_ALL_WIDE.pattern})|{_WORD}|[^\W_]")


def _mixed_segment(folded: str, pairs: str, start: int, end: int, out: list[str]) -> None:
    """The tokens of the segment ``folded[start:end]`` (as :func:`_segment_tokens`), into ``out``.

    One step per ideograph run and per other unit (``2024年地区生产总值增长5.8``: three),
    not one per character.
    """
    prev = ""  # the last unit so far
    prev_wide = False
    for m in _RUN.finditer(folded, start, end):
        s, e = m.span()
        if m.group(1) is not None:  # ideographs: their pairs, pasted to the unit before
            first = folded[s]
            if prev:
                out.append(prev + first if prev_wide else f"{prev}_{first}")
            if e - s > 1:
                out.append(pairs[3 * s : 3 * e - 4])
            prev, prev_wide = folded[e - 1], True
        else:
            u = m.group()
            u_wide = len(u) == 1 and u >= "\u2e80"
            if prev:
                out.append(prev + u if prev_wide and u_wide else f"{prev}_{u}")
            prev, prev_wide = u, u_wide
    if prev:
        out.append(prev + "_")


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
