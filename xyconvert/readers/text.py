"""Plain-text reader: bytes in any common Chinese encoding -> pages of lines.

Encodings: UTF-8 (with or without BOM), UTF-16/32 (BOM, or BOM-less UTF-16
recognised by its zero bytes), GB18030 (a superset of GBK and GB2312), Big5.
Page breaks: form feeds; or a single leading space on each page's first line
(what some extractors emit); or nothing, in which case repair finds pages from
page numbers and the text is otherwise one page.
"""

from __future__ import annotations

import codecs
import re
import statistics
from pathlib import Path

from xyconvert.errors import UnreadableInput
from xyconvert.lines import SourceLine, SourcePage

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, path: Path | str = "<input>") -> tuple[str, str]:
    """Decode ``data``; return (text, encoding name). Raise UnreadableInput on failure."""
    if not data.strip():
        raise UnreadableInput(path, "empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data, name, path), name
    if 0 in data:
        # NUL bytes: BOM-less UTF-16, or binary.
        best = max(
            ((_plausibility(data, name), name) for name in ("utf-16-le", "utf-16-be")),
            key=lambda t: t[0],
        )
        if best[0] >= 0.9:
            return _check_textlike(data.decode(best[1]), path), best[1]
        raise UnreadableInput(path, "binary file, not text")
    try:
        return _check_textlike(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            # A file cut in the middle of its last character.
            return _check_textlike(data[: exc.start].decode("utf-8"), path), "utf-8"
        if _mostly_utf8(data):
            # A few damaged bytes in a UTF-8 file: keep the rest, mark the damage.
            return _check_textlike(data.decode("utf-8", errors="replace"), path), "utf-8 (damaged bytes replaced)"
    candidates = ["gb18030", "big5"]
    if _looks_like_big5(data):
        candidates.reverse()
    for name in candidates:
        try:
            return _check_textlike(data.decode(name), path), name
        except UnicodeDecodeError:
            continue
    raise UnreadableInput(path, "cannot decode: not UTF-8, UTF-16, GB18030/GBK or Big5 text")


def _plausibility(data: bytes, name: str) -> float:
    """Share of characters that occur in Chinese text (ideographs, ASCII, CJK punctuation)."""
    if len(data) % 2:
        return 0.0
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return 0.0
    good = sum(
        1
        for ch in text
        if ch in "\t\n\r\f"
        or 0x20 <= ord(ch) < 0x7F
        or 0x3000 <= ord(ch) <= 0x303F
        or 0x4E00 <= ord(ch) <= 0x9FFF
        or 0xFF00 <= ord(ch) <= 0xFFEF
        or ch in "“”‘’—…·"
    )
    return good / max(1, len(text))


def _strict(data: bytes, name: str, path: Path | str) -> str:
    try:
        return _check_textlike(data.decode(name), path)
    except UnicodeDecodeError as exc:
        raise UnreadableInput(path, f"invalid {name} text at byte {exc.start}") from None


# C0 controls but tab, newline, vertical tab, form feed and carriage return.
_C0 = re.compile("[\x00-\x08\x0e-\x1f]")


def _check_textlike(text: str, path: Path | str) -> str:
    text = text.lstrip("\ufeff")
    controls = len(_C0.findall(text))
    if controls > max(2, len(text) // 200):
        raise UnreadableInput(path, "binary file, not text")
    if not text.strip():
        raise UnreadableInput(path, "empty file")
    return text


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 but for a handful of bytes (and clearly multi-byte text)."""
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    multibyte = sum(1 for ch in decoded if ord(ch) > 0x7F) - bad
    return bad <= max(3, len(data) // 2000) and multibyte > 10 * bad


def _looks_like_big5(data: bytes) -> bool:
    """Big5 trail bytes are often 0x40-0x7E; GB2312/GBK text for common characters never has them."""
    pairs = low_trail = 0
    i, n = 0, len(data)
    while i < n - 1:
        if data[i] >= 0x81:
            pairs += 1
            if 0x40 <= data[i + 1] <= 0x7E:
                low_trail += 1
            i += 2
        else:
            i += 1
    return pairs > 0 and low_trail / pairs > 0.2


def split_pages(text: str) -> list[SourcePage]:
    """Split decoded text into pages of non-blank lines, keeping file line numbers."""
    # A vertical tab is the manual line break of Word's plain-text export.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    raw_lines = text.split("\n")
    # (page index by form feed, file line number, raw text)
    entries: list[tuple[int, int, str]] = []
    ff_page = 0
    for lineno, raw in enumerate(raw_lines, start=1):
        parts = raw.split("\f")
        for k, part in enumerate(parts):
            if k:
                ff_page += 1
            entries.append((ff_page, lineno, part))
    use_ff = ff_page > 0

    # Non-blank lines, with whether a blank line preceded them.
    kept: list[tuple[int, int, str, bool]] = []
    blank = False
    last_page = 0
    for page, lineno, raw in entries:
        if page != last_page:
            blank, last_page = False, page
        if not raw.strip():
            blank = True
            continue
        kept.append((page, lineno, raw, blank))
        blank = False

    markers = [] if use_ff else _page_markers([raw for _, _, raw, _ in kept])
    marker_set = set(markers)
    pages: list[SourcePage] = []
    current = -1
    passed = 0  # markers at or before idx (markers are ascending)
    for idx, (ff, lineno, raw, blank_before) in enumerate(kept):
        while passed < len(markers) and markers[passed] <= idx:
            passed += 1
        page_key = ff if use_ff else passed
        if page_key != current:
            pages.append(SourcePage(number=len(pages) + 1))
            current = page_key
        is_marker = idx in marker_set
        pages[-1].lines.append(
            SourceLine(
                text=raw.rstrip(),
                page=pages[-1].number,
                lineno=lineno,
                indent=None if is_marker else _indent(raw),
                blank_before=blank_before,
            )
        )
    return pages or [SourcePage(number=1)]


def _indent(raw: str) -> float | None:
    """Leading whitespace in character widths (full-width space 1, ASCII space 0.5)."""
    width = 0.0
    for ch in raw:
        if ch == "\u3000":
            width += 1.0
        elif ch in " \t\u00a0":
            width += 0.5 if ch != "\t" else 2.0
        else:
            break
    return width


def _page_markers(lines: list[str]) -> list[int]:
    """Indices of lines whose single leading ASCII space marks a new page.

    Accepted only when such lines recur at a regular interval, so that ordinary
    paragraph indentation (irregular, usually wider) is not mistaken for pages.
    """
    idx = [i for i, s in enumerate(lines) if len(s) > 1 and s[0] == " " and not s[1].isspace()]
    if not idx:
        return []
    starts = [i for i in idx if i > 0]
    if not starts:
        return []
    if len(starts) == 1:
        # Two pages: accept if the first page is of a plausible page length.
        return starts if 8 <= starts[0] <= 80 and len(idx) <= 2 else []
    bounds = ([0] if idx[0] == 0 else [0]) + starts
    gaps = [b - a for a, b in zip(bounds, bounds[1:])]
    med = statistics.median(gaps)
    if med < 8:
        return []
    regular = sum(1 for g in gaps if 0.6 * med <= g <= 1.4 * med)
    return starts if regular >= 0.75 * len(gaps) else []


def read_text(path: Path) -> tuple[list[SourcePage], str]:
    """Read a text file; return its pages and the detected encoding."""
    data = Path(path).read_bytes()
    text, encoding = decode_text(data, path)
    return split_pages(text), encoding
