"""Mojibake: Chinese bytes that were decoded as Latin-1 / Windows-1252.

Some PDFs (fonts with a custom encoding and no Unicode map) and some text
pipelines hand over GBK or UTF-8 bytes as if each byte were a Western character:
``»ùÒòÍâÏÔ×Ó`` is GBK for 基因外显子, ``æ”¿åºœ`` is UTF-8 for 政府. Runs of such
characters are turned back into bytes and re-decoded; a run is replaced only
when the result is (almost) all Chinese, so accented Latin text is left alone.
"""

from __future__ import annotations

import re

from xyconvert.charclass import is_han

# Latin-1 supplement letters/symbols and the Windows-1252 extras (0x80-0x9F).
_CP1252_EXTRA = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_BYTE_CHAR = f"[\u00a1-\u00ff{_CP1252_EXTRA}]"
# A run glued to ASCII letters is part of a Latin word (Ängström, Café).
_RUN = re.compile(f"(?<![A-Za-z]){_BYTE_CHAR}{{4,}}(?![A-Za-z])")
MIN_HAN_SHARE = 0.8


def _to_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            try:
                out += ch.encode("latin-1")
            except UnicodeEncodeError:
                return None
    return bytes(out)


def _redecode(m: re.Match[str]) -> str:
    run = m.group(0)
    raw = _to_bytes(run)
    if raw is None:
        return run
    for encoding in ("utf-8", "gb18030"):
        try:
            decoded = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        han = sum(1 for ch in decoded if is_han(ch))
        cjk = han + sum(1 for ch in decoded if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
        if han and cjk >= MIN_HAN_SHARE * len(decoded):
            return decoded
    return run


def fix_mojibake(text: str) -> str:
    """Re-decode runs of Latin-1-looking characters that are really Chinese bytes."""
    if not _RUN.search(text):
        return text
    return _RUN.sub(_redecode, text)


_LEFTOVER = re.compile(f"{_BYTE_CHAR}")
_REPEATED_HAN = re.compile(r"([\u4e00-\u9fff])\1{3,}")


def garbling_warnings(texts: list[str]) -> list[str]:
    """Signs that text could not be recovered: leftover mojibake, runs of one repeated character."""
    text = "".join(texts)
    visible = len("".join(text.split()))  # split() drops exactly the str.isspace() characters
    warnings = []
    leftover = len(_LEFTOVER.findall(text))
    if visible and leftover > max(20, 0.05 * visible):
        warnings.append(
            f"{leftover} characters look mis-encoded (a font without a Unicode map?); "
            "parts of the text may be unreadable"
        )
    # One pass that stops at the answer: on a text that is one huge run the old
    # findall + two finditer passes each copied the run.
    first, count, long_run = None, 0, False
    for m in _REPEATED_HAN.finditer(text):
        first = first or m
        count += 1
        long_run = long_run or m.end() - m.start() >= 6
        if count >= 2 or long_run:
            break
    if first is not None and (count >= 2 or long_run):
        sample = text[first.start() : min(first.end(), first.start() + 8)]
        warnings.append(
            f"text looks garbled ({sample[:8]}…: one character repeated), probably a broken font encoding"
        )
    return warnings
