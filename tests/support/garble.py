"""Turn a gold Markdown report into naive-PDF-extraction-style text.

Models what samples/seed_report.txt shows: hard-wrapped lines of ~27 display
columns obeying Chinese line-break rules, a blank line after every line, page
breaks marked by a leading space, digits padded with spaces, justified lines
letter-spaced, pages extracted bottom-to-top, run-in ``（一）…。`` headings.

Honest by construction: it reads nothing but the gold it is given, so a
pipeline that reconstructs the gold from the output has really done the work.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from .scoring import parse_markdown_blocks

PageMarker = Literal["space", "formfeed", "none"]
PageNumberStyle = Literal["dash", "emdash", "di", "bare"]

# Kinsoku rules (GB/T 15834 practice): these may not start a line ...
NO_START = frozenset("，。、；：？！”’）》」』】〕…—·%,.;:?!)]}")
# ... and these may not end one.
NO_END = frozenset("“‘（《「『【〔([{")

# ASCII runs (numbers like 137.46, 8.4%, words like BSKL) never break; doubled
# dashes / ellipses stay together; everything else is one character per token.
_TOKEN = re.compile(r"[!-~]+|——+|……+| |.", re.S)
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_THEN_ALNUM = re.compile(rf"(?<=[{_HAN}])(?=[A-Za-z0-9])")
_ALNUM_THEN_HAN = re.compile(rf"(?<=[A-Za-z0-9])(?=[{_HAN}])")


def display_width(text: str) -> float:
    """CJK and full-width punctuation 1 column, ASCII (incl. space) half a column."""
    return sum(0.5 if ord(c) < 0x80 else 1.0 for c in text)


@dataclass
class _Line:
    tokens: list[str]
    block_end: bool  # last line of its block: short, never justified
    heading: bool  # a stand-alone heading line (kept with what follows)

    @property
    def text(self) -> str:
        return "".join(self.tokens)


def _block_text(text: str) -> str:
    # A soft-wrapped Markdown paragraph: drop the wrap (and any space touching CJK).
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ", "", text)


def _tokens(text: str, width: float) -> list[str]:
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if display_width(tok) > width:  # an unbreakable run longer than a line: hard-split it
            out.extend(tok)
        else:
            out.append(tok)
    return out


def _wrap(
    tokens: list[str],
    width: float,
    rng: random.Random,
    hang: float,
    indent: float = 0,
) -> list[list[str]]:
    def bad(k: int) -> bool:  # breaking before token k violates a rule
        return tokens[k][0] in NO_START or tokens[k - 1][-1] in NO_END

    lines: list[list[str]] = []
    i, n = 0, len(tokens)
    while i < n:
        # The first line of a block is indented (the seed shows 2 em); extraction drops the indent.
        w, j = (indent if not lines else 0.0), i
        while j < n and w + (tw := display_width(tokens[j])) <= width:
            w += tw
            j += 1
        j = max(j, i + 1)
        if j < n and bad(j):
            tok = tokens[j]
            can_hang = (
                len(tok) == 1
                and tok in NO_START
                and tokens[j - 1][-1] not in NO_END
                and (j + 1 >= n or not bad(j + 1))
            )
            if can_hang and rng.random() < hang:
                # Hanging punctuation: the mark overhangs the margin (lines of 28 in the seed).
                j += 1
            else:
                # Push characters down until the break is legal (lines of 25-26 in the seed).
                k = j
                while k > i + 1 and bad(k):
                    k -= 1
                if not bad(k):
                    j = k
        lines.append(tokens[i:j])
        i = j
    return lines


def _layout(
    gold_md: str,
    width: float,
    page_lines: int,
    first_page_lines: int | None,
    runin: float,
    hang: float,
    indent: float,
    seed: int,
) -> list[list[_Line]]:
    rng = random.Random(f"{seed}:layout")
    blocks = parse_markdown_blocks(gold_md)
    lines: list[_Line] = []
    i = 0
    while i < len(blocks):
        kind, level, text = blocks[i]
        text = _block_text(text)
        is_heading = kind == "heading"
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            is_heading
            and level >= 3
            and text.endswith("。")
            and nxt is not None
            and nxt[0] == "paragraph"
            and rng.random() < runin
        ):
            # Run-in heading: the heading sentence and its paragraph share lines.
            text += _block_text(nxt[2])
            is_heading = False
            i += 1
        if text:
            ind = indent if not (kind == "heading" and level == 1) else 0  # title is centred
            wrapped = _wrap(_tokens(text, width), width, rng, hang, ind)
            for k, toks in enumerate(wrapped):
                lines.append(_Line(toks, k == len(wrapped) - 1, is_heading))
        i += 1

    pages: list[list[_Line]] = []
    cur: list[_Line] = []
    for ln in lines:
        cap = first_page_lines if (first_page_lines and not pages) else page_lines
        if len(cur) >= cap:
            # Keep-with-next: a heading never sits alone at the foot of a page.
            carry: list[_Line] = []
            while len(cur) > 1 and cur[-1].heading:
                carry.insert(0, cur.pop())
            pages.append(cur)
            cur = carry
        cur.append(ln)
    if cur:
        pages.append(cur)
    return pages


def render_lines(
    gold_md: str,
    width: float = 27,
    page_lines: int = 21,
    *,
    first_page_lines: int | None = None,
    runin: float = 0.5,
    hang: float = 0.2,
    indent: float = 2,
    seed: int = 0,
) -> list[list[str]]:
    """Typeset the gold into pages of plain lines (no spacing artefacts yet).

    ``runin``: probability a ``###``+ heading ending in 。 is glued to the start of
    the following paragraph.  ``hang``: probability a closing mark that would start
    a line hangs in the margin instead of pulling a character down with it.
    ``indent``: first-line indent of every block but the title, in columns.
    """
    pages = _layout(gold_md, width, page_lines, first_page_lines, runin, hang, indent, seed)
    return [[ln.text for ln in page] for page in pages]


def _letterspace(tokens: list[str]) -> str:
    # Justified PDF lines come out with a space between every glyph; ASCII runs
    # (137.46, BSKL) stay whole, as in the seed sample.
    return " ".join(t for t in tokens if t != " ")


def _digit_space(text: str, prob: float, rng: random.Random) -> str:
    # pdf text layers put a space where the font switches between CJK and Latin
    # glyphs, but only next to ideographs (``“煤改电”8530 户``, ``95%以上``).
    def sub(m: re.Match[str]) -> str:
        return " " if prob >= 1 or rng.random() < prob else ""

    text = _HAN_THEN_ALNUM.sub(sub, text)
    return _ALNUM_THEN_HAN.sub(sub, text)


def _page_number(n: int, style: PageNumberStyle) -> str:
    return {"dash": f"- {n} -", "emdash": f"— {n} —", "di": f"第{n}页", "bare": str(n)}[style]


def garble(
    gold_md: str,
    *,
    seed: int = 0,
    width: float = 27,
    page_lines: int = 21,
    first_page_lines: int | None = None,
    reverse_pages: Collection[int] = (),
    shuffle_pages: Collection[int] = (),
    letterspace_frac: float = 0.15,
    digit_spaces: bool | float = True,
    page_marker: PageMarker = "space",
    blank_between: bool = True,
    page_numbers: PageNumberStyle | None = None,
    running_header: str | None = None,
    header_on_first_page: bool = False,
    runin: float = 0.5,
    hang: float = 0.2,
    indent: float = 2,
    trailing_spaces: bool = False,
) -> str:
    """Naive-extraction text for ``gold_md``; deterministic for a given ``seed``.

    Page numbers in ``reverse_pages``/``shuffle_pages`` are 1-based; only the body
    lines are reordered (running header and page number stay put).
    ``digit_spaces`` may be a probability per CJK/ASCII junction instead of a bool.
    """
    if page_marker not in ("space", "formfeed", "none"):
        raise ValueError(f"page_marker must be space/formfeed/none, not {page_marker!r}")
    pages = _layout(gold_md, width, page_lines, first_page_lines, runin, hang, indent, seed)
    ls_rng = random.Random(f"{seed}:letterspace")
    sp_rng = random.Random(f"{seed}:digits")
    order_rng = random.Random(f"{seed}:order")
    tr_rng = random.Random(f"{seed}:trailing")
    dprob = float(digit_spaces)

    # Letter-space a fixed fraction of the full (justified) lines.
    full = [(p, k) for p, page in enumerate(pages) for k, ln in enumerate(page) if not ln.block_end]
    n_ls = round(letterspace_frac * len(full))
    spaced = set(ls_rng.sample(full, n_ls)) if n_ls > 0 else set()

    out_pages: list[list[str]] = []
    for p, page in enumerate(pages):
        pno = p + 1
        body: list[str] = []
        for k, ln in enumerate(page):
            if (p, k) in spaced:
                body.append(_letterspace(ln.tokens))
            elif dprob > 0:
                body.append(_digit_space(ln.text, dprob, sp_rng))
            else:
                body.append(ln.text)
        if pno in reverse_pages:
            body.reverse()
        if pno in shuffle_pages:
            order_rng.shuffle(body)
        lines = list(body)
        if running_header and (pno > 1 or header_on_first_page):
            lines.insert(0, running_header)
        if page_numbers:
            lines.append(_page_number(pno, page_numbers))
        if trailing_spaces:
            lines = [
                ln + " " * tr_rng.randint(1, 3) if tr_rng.random() < 0.3 else ln for ln in lines
            ]
        if page_marker == "space":
            lines[0] = " " + lines[0]
        elif page_marker == "formfeed" and p > 0:
            lines[0] = "\f" + lines[0]
        out_pages.append(lines)

    # The seed has a blank line after every line except at a page break.
    line_sep = "\n\n" if blank_between else "\n"
    return "\n".join(line_sep.join(lines) for lines in out_pages) + "\n"


_ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "gb18030": "gb18030",
    "gbk": "gbk",
    "gb2312": "gb2312",
    "big5": "big5",
    "utf-16": "utf-16",
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
}


def encode(text: str, encoding: str, crlf: bool = False) -> bytes:
    """Bytes as a file in ``encoding`` would hold them.

    ``utf-16`` always gets a little-endian BOM (Python's own choice is
    platform-dependent).  Characters the encoding cannot represent (simplified
    Han in big5, say) raise UnicodeEncodeError rather than being silently lost.
    """
    enc = _ENCODINGS.get(encoding.lower().replace("_", "-"))
    if enc is None:
        raise ValueError(f"unsupported encoding {encoding!r}")
    if crlf:
        text = re.sub(r"\r?\n", "\r\n", text)
    if enc == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(enc)
