"""Join wrapped lines into blocks (paragraphs, headings) and type them.

Where a paragraph ends is decided from, in order of trust:
  * layout hints from a PDF (line end against the column edge, first-line
    indent, vertical gap, font size);
  * numbered headings, which always start a block;
  * indentation or blank lines in text, when the text uses them consistently;
  * line fullness against the document's typical line width: a paragraph's
    last line is short, and a line ending a sentence short of the width ends
    a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from xyconvert.charclass import display_width, ends_sentence
from xyconvert.lines import SourceLine
from xyconvert.model import Block, Provenance
from xyconvert.repair.structure import (
    ARTICLE,
    HeadingSequence,
    heading_level,
    heading_marker,
    inline_items,
    item_marker,
    markdown_heading,
    split_runin,
    table_row,
)

# A line this much narrower than the typical width (in em) is "short".
SHORT_BY = 1.0
# A wrapped heading may end this much short of the width (line-break rules).
KINSOKU_SLACK = 2.5
# A table-of-contents entry ends with dot leaders and a page number.
_TOC_LINE = re.compile(r"(?:[.．·…⋯。]{3,}|…{2,})\s*\d{1,4}\s*$")
# A numbered "heading" longer than this with no lead sentence to split off is a
# paragraph that happens to start with 一、 (a wrapped line), not a heading.
MAX_HEADING_WIDTH = 60.0
# Join score above which an unfinished heading line surely runs on.
HEADING_JOIN = 1.5
# Join score above which a full front-matter line (occasion, speaker) runs on.
FRONT_JOIN = 2.5
# Where a front-matter line may end complete: the occasion (``…会议上``), a date, a speaker's name.
_FRONT_ENDS = re.compile(r"(?:会议上|大会上|会上|[日月年]|[）)]|(?:书记|[县市区州省旗]长|主席|主任|总理|部长|厅长|局长)\s*\S{2,5})$")
# A line that is nothing but a date (``2025年1月14日``, ``中華民國114年2月25日``).
_DATE_LINE = re.compile(
    r"^(?:中華民國|中华民国|民國|民国|公元)?\s*[\d〇零一二三四五六七八九十]{2,4}\s*年\s*"
    r"[\d〇零一二三四五六七八九十]{1,3}\s*月(?:\s*[\d〇零一二三四五六七八九十]{1,3}\s*日)?$"
)
# A paragraph's first-line indent is at most this many em; a line further in is set
# against the right edge or centred.
PARA_INDENT_MAX = 4.0
# A paragraph's first line, justified but indented (the indent lost in
# extraction), is this much narrower than the full width.
INDENT_MIN, INDENT_MAX = 1.5, 2.5
# Lines wider than this (em) are unwrapped paragraphs: one block per line.
UNWRAPPED_WIDTH = 60.0
_CLAUSE_PUNCT = "，。；：！？、"
# A heading line at most this wide (em) is short whatever the column.
SHORT_HEADING = 20.0


@dataclass
class Line:
    text: str  # repaired text of the line
    src: SourceLine


@dataclass
class RawBlock:
    lines: list[Line] = field(default_factory=list)
    heading_level: int = 0  # 2/3 when the block starts with an accepted heading marker
    md_level: int = 0  # level from a Markdown ``#`` prefix
    front: bool = False  # part of the front matter (title, date, speaker lines)
    table: tuple[tuple[str, ...], ...] | None = None  # a table found by the PDF reader
    toc: bool = False  # a table-of-contents entry

    @property
    def text(self) -> str:
        return _join([ln.text for ln in self.lines])


def _join(parts: list[str]) -> str:
    out: list[str] = []
    tail = ""  # the last two characters so far: all _word_break looks at
    for part in parts:
        if tail and part and _word_break(tail, part):
            out.append(" ")
            tail = tail[-1:] + " "
        if part:
            out.append(part)
            tail = (tail + part)[-2:]
    return "".join(out)


def _word_break(left: str, right: str) -> bool:
    """Does a line break between ``left`` and ``right`` stand for a space?

    Wrapped Chinese joins without one; Latin words, and a word after Latin punctuation
    (``said.`` / ``gaps,`` at a line end), keep one. A number broken at the line end
    (``137.`` / ``46亿元``) joins without.
    """
    a, b = left[-1], right[0]
    if not (b.isascii() and (b.isalnum() or b in "(\"'")):
        return False
    if a.isascii() and a.isalpha():
        return True
    if a.isdigit():
        return not b.isdigit() and b.isalpha() and right[:2].isascii() and len(right) > 1 and right[1].isalpha()
    if a in ".,;:!?)\"'":
        return not (left[-2:-1].isdigit() and b.isdigit())
    return False


def typical_width(widths: list[float]) -> float:
    if not widths:
        return 0.0
    ordered = sorted(widths)
    return ordered[int(0.8 * (len(ordered) - 1))]


def build_blocks(lines: list[Line], join: Callable[[str, str], float]) -> list[RawBlock]:
    if not lines:
        return []
    widths = [display_width(ln.text) for ln in lines]
    width = typical_width(widths)
    unwrapped = sorted(widths)[len(widths) // 2] > UNWRAPPED_WIDTH
    front_end = _front_matter_end(lines)
    blank_meaningful = _blank_lines_meaningful(lines, widths, width, front_end)
    indent_meaningful = _indent_meaningful(lines)
    has_layout = any(ln.src.fill is not None for ln in lines)
    base_indents = _base_indents(lines) if has_layout else []
    para_gap = paragraph_gap(lines) if has_layout else 0.8
    tight_gaps = _tight_gaps(lines) if has_layout else []
    indented_firsts = _first_lines_indented(lines, widths, width)
    wraps_seen = _wraps_seen(lines, widths, width)
    sequence = HeadingSequence()
    schemes = frozenset(
        m.scheme
        for i, ln in enumerate(lines)
        if (m := heading_marker(ln.text)) is not None and widths[i] <= 30 and not table_row(ln.src.text)
    )

    blocks: list[RawBlock] = []
    for i, ln in enumerate(lines):
        md = markdown_heading(ln.text)
        if md is None and ln.src.heading_level:
            md = (ln.src.heading_level, ln.text)  # stated by the source (Word style)
        if md is not None:
            level, text = md
            blocks.append(RawBlock([Line(text, ln.src)], md_level=level))
            marker = heading_marker(text)
            if marker:
                sequence.advance(marker)
            continue
        if ln.src.is_table and ln.src.table:
            blocks.append(RawBlock([ln], table=ln.src.table))
            continue
        if _TOC_LINE.search(ln.text):
            # A table-of-contents entry: a line of its own, never a heading, and
            # it does not advance the heading numbering.
            blocks.append(RawBlock([ln], toc=True))
            continue
        prev = blocks[-1] if blocks else None
        at_start = prev is None or _may_start_block(prev, lines[i - 1], ln, width, base_indents[i] if has_layout else 0.0)
        marker = heading_marker(ln.text)
        if marker is not None and (
            not at_start
            or table_row(ln.src.text)
            or not sequence.accepts(marker, standalone=display_width(ln.text) <= 40)
        ):
            # A wrapped body line that happens to begin ``二、``, a table row
            # ``一、食品烟酒 …``, or a number out of sequence: no heading.
            marker = None
        if prev is None or prev.md_level or prev.table is not None or prev.toc or marker is not None:
            new = True
        elif ln.src.whole:
            new = not _broken_heading(prev, ln, join)
        elif at_start and not prev.front and _numbered_start(prev, ln.text):
            new = True  # 第十四条 / the next item of a list whose items are paragraphs
        elif blank_meaningful and not has_layout:
            # Text that separates paragraphs by empty lines says where they end.
            new = ln.src.blank_before or (
                bool(prev.heading_level)
                and len(prev.lines) == 1
                and _heading_ends(prev.text, widths[i - 1], width)
                and join(prev.text, ln.text) < HEADING_JOIN
            )
        elif i < front_end:
            new = not _front_continues(lines[i - 1], ln, width, join, title=len(blocks) == 1)
        elif prev.front:
            new = len(prev.lines) > 1 or not _front_continues(lines[i - 1], ln, width, join)
        elif prev.heading_level and len(prev.lines) == 1 and _heading_second_line(lines, i):
            new = False
        elif prev.heading_level and len(prev.lines) == 1 and lines[i - 1].src.fill is not None:
            new = _pdf_heading_ends(lines[i - 1], ln, width, base_indents[i], join)
        elif prev.heading_level and len(prev.lines) == 1 and not has_layout and not wraps_seen:
            # No line of the text is seen to wrap, so its width says nothing: a short,
            # complete heading line never absorbs the (blank-separated) line after it.
            new = _short_complete_heading(prev.text, ln.text, join)
        elif prev.heading_level and len(prev.lines) == 1:
            new = _text_heading_ends(prev.text, widths[i - 1], width, ln.text, join, indented_firsts)
        elif unwrapped:
            new = True
        elif has_layout and ln.src.fill is not None:
            new = _layout_break(lines[i - 1], ln, width, base_indents[i], para_gap, tight_gaps[i])
        elif indent_meaningful and (ln.src.indent or 0) >= 1.5:
            new = True
        elif indent_meaningful:
            new = False
        elif len(prev.lines) == 1 and _standalone_line(lines[i - 1].text, widths[i - 1], width):
            new = True  # a short line by itself with no punctuation: a heading, whole
        else:
            new = _text_break(lines[i - 1].text, widths[i - 1], width, ln.text)
            if new and indented_firsts and len(prev.lines) == 1 and _first_line_full(
                lines[i - 1].text, ln.text, width
            ):
                new = False
        if new:
            blocks.append(RawBlock(front=i < front_end))
            if marker is not None:
                blocks[-1].heading_level = heading_level(marker, schemes)
                sequence.advance(marker)
        blocks[-1].lines.append(ln)
    return blocks


def _broken_heading(prev: RawBlock, cur: Line, join: Callable[[str, str], float]) -> bool:
    """Whole paragraphs (DOCX) never join, except a short numbered heading the author
    broke over two paragraphs (``三、持续提升政府`` / ``治理效能和服务水平``)."""
    if not prev.heading_level or len(prev.lines) != 1:
        return False
    text = prev.text + cur.text
    if any(ch in text for ch in "，。；！？：:") or display_width(text) > MAX_HEADING_WIDTH / 2:
        return False
    return join(prev.text, cur.text) >= HEADING_JOIN


def _may_start_block(prev: RawBlock, prev_line: Line, cur: Line, width: float, base: float) -> bool:
    """Could a block start at ``cur``? Not when the line before runs on into it: a
    full line that stops mid-sentence (``…其中一`` / ``二、三级子公司…``)."""
    if prev.heading_level or prev.md_level or prev.front or prev.table is not None or prev.toc:
        return True
    text = prev_line.text.rstrip()
    if not text or ends_sentence(text) or text[-1] in "：:；;”’）》」』":
        return True
    p, c = prev_line.src, cur.src
    if p.fill is not None:
        indented = c.indent is not None and c.indent - base >= 1.5
        restyled = c.bold != p.bold or (c.size is not None and p.size is not None and abs(c.size - p.size) > 0.05)
        return p.fill < 0.9 or indented or restyled or (c.gap_before or 0) > 0.8
    # Text: a full line stopping mid-sentence runs on, unless the numbered line
    # after it is short (a heading line of its own, not wrapped body text).
    return not _reaches_edge(display_width(text), width, indented=False) or not _reaches_edge(
        display_width(cur.text), width
    )


def _numbered_start(prev: RawBlock, text: str) -> bool:
    """An article (``第十四条``) always starts a paragraph; a numbered item does when
    the block before is the previous item (items set as paragraphs, not run in)."""
    if ARTICLE.match(text):
        return True
    number = _item_number(text)
    return number is not None and number > 1 and _item_number(prev.text) == number - 1


def _item_number(text: str) -> int | None:
    marker = item_marker(text)
    if marker is None:
        return None
    digits = re.sub(r"\D", "", marker)
    if digits:
        return int(digits)
    return ord(marker[0]) - ord("①") + 1 if "①" <= marker[0] <= "⑳" else None


def _text_break(prev: str, prev_width: float, width: float, cur: str | None = None) -> bool:
    if ends_sentence(prev) or prev.endswith(("：", ":")):
        if prev_width < width - SHORT_BY:
            return True
        # A full line ending a sentence: the next line starts a paragraph if it
        # is narrower by its lost first-line indent (justified text is full).
        if cur is not None and not ends_sentence(cur):
            cur_width = display_width(cur)
            return width - INDENT_MAX <= cur_width <= width - INDENT_MIN
        return False
    # No closing punctuation: the sentence goes on unless the line is very short.
    return prev_width < 0.5 * width


def _standalone_line(text: str, line_width: float, width: float) -> bool:
    """Text: a block's first line that stops short of the edge and has no punctuation is complete."""
    return not _reaches_edge(line_width, width) and not any(ch in text for ch in _CLAUSE_PUNCT)


def _first_lines_indented(lines: list[Line], widths: list[float], width: float) -> bool:
    """Text: do paragraphs' first lines (after a clearly short last line) show a lost indent?"""
    firsts = [
        widths[i]
        for i in range(1, len(lines))
        if ends_sentence(lines[i - 1].text) and widths[i - 1] < width - 3 and widths[i] >= 0.7 * width
    ]
    narrower = sum(1 for w in firsts if width - INDENT_MAX <= w <= width - INDENT_MIN)
    return len(firsts) >= 2 and narrower >= 0.5 * len(firsts)


def _first_line_full(prev: str, cur: str, width: float) -> bool:
    """An indented first line ending a sentence right at the edge, continued by a full line."""
    prev_width = display_width(prev)
    return width - INDENT_MAX <= prev_width <= width - INDENT_MIN + 0.5 and display_width(cur) >= width - 1.0


def _base_indents(lines: list[Line], reach: int = 3) -> list[float]:
    """The left edge text returns to around each line: the least indent nearby."""
    indents = [ln.src.indent for ln in lines]
    out = []
    for i in range(len(lines)):
        near = [v for v in indents[max(0, i - reach) : i + reach + 1] if v is not None]
        out.append(max(0.0, min(near)) if near else 0.0)
    return out


def _layout_break(
    prev: Line, cur: Line, width: float, base: float = 0.0, para_gap: float = 0.8, tight: float = 0.0
) -> bool:
    """Paragraph break from PDF geometry (indent, gap, font), checked against the text.

    ``para_gap``: the vertical gap that separates paragraphs in this document
    (smaller where the document marks paragraphs by spacing, not indents);
    ``tight``: the gap between lines of one paragraph here (more than nothing
    where the text is set larger or looser than the body).
    """
    p, c = prev.src, cur.src
    if c.gap_before is not None and c.gap_before > max(min(0.8, para_gap), tight + 0.25):
        return True
    if c.size is not None and p.size is not None and abs(c.size - p.size) > 0.15:
        return True
    if c.bold != p.bold and p.fill is not None and p.fill < 0.98:
        return True
    if (
        p.fill is not None
        and p.fill >= 0.95
        and not _ends_clause(prev.text)
        and c.indent is not None
        and p.indent is not None
        and c.indent > p.indent - 0.5
    ):
        # A full line stopping mid-sentence runs on into a line indented as far or
        # further: a hanging indent (under ``(1)`` or ``▇效益：``), not a paragraph start.
        return False
    if c.indent is not None and 1.5 <= c.indent - base <= 3.0:
        # A first-line indent (about two characters) against the left edge the
        # text around it keeps: text inset in a box, or under a hanging label,
        # is no paragraph start.
        return True
    if p.fill is None or p.fill >= 0.9:
        return False
    if not (ends_sentence(prev.text) or prev.text.endswith(("：", ":"))):
        # Paragraphs end with punctuation; an unfinished line falls short only
        # when the glyph positions are off (letter-spaced lines), unless very short.
        return p.fill < 0.5
    # The line may have been cut short because the next word did not fit.
    forced = width > 0 and p.fill + (display_width(_first_unbreakable(cur.text)) + 0.5) / width >= 0.98
    return not forced


def _tight_gaps(lines: list[Line], reach: int = 3) -> list[float]:
    """The least gap between lines of the same size around each line: how far apart
    lines of one paragraph sit there (0 for body text set at its usual leading)."""
    out = []
    for i, ln in enumerate(lines):
        size = ln.src.size
        near = [
            g
            for other in lines[max(0, i - reach) : i + reach + 1]
            if (g := other.src.gap_before) is not None and other.src.size == size
        ]
        out.append(max(0.0, min(near)) if near else 0.0)
    return out


def _ends_clause(text: str) -> bool:
    text = text.rstrip()
    return not text or ends_sentence(text) or text[-1] in "：:；;"


def paragraph_gap(lines: list[Line]) -> float:
    """The gap (in line heights) that marks paragraphs, when a document spaces them:
    some lines, not most, stand clearly further from the line above than the rest."""
    gaps = [ln.src.gap_before for ln in lines if ln.src.gap_before is not None]
    if len(gaps) < 10:
        return 0.8
    spaced = [g for g in gaps if g >= 0.25]
    tight = sorted(gaps)[len(gaps) // 2]
    if tight < 0.1 and 0.03 * len(gaps) <= len(spaced) <= 0.5 * len(gaps):
        return 0.25
    return 0.8


def _first_unbreakable(text: str) -> str:
    """What cannot be split off the start of a line: an ASCII run, or a character and its closing marks."""
    m = re.match(r"[0-9A-Za-z.,%‰+\-/:]+", text)
    if m:
        return m.group(0)
    end = 1
    while end < len(text) and text[end] in "，。、；：！？”’）》":
        end += 1
    return text[:end]


def _pdf_heading_ends(
    head: Line, cur: Line, width: float, base: float, join: Callable[[str, str], float]
) -> bool:
    """Does a one-line heading end here? PDF: a heading line that reaches the column
    edge was wrapped (or runs in); one that stops short ended, unless it stops just
    short and the next line completes its last word."""
    fill = head.src.fill or 0.0
    if fill >= 0.97:
        if cur.src.indent is not None and 1.5 <= cur.src.indent - base <= 3.0:
            return True  # the next line is a paragraph's indented first line
        return _layout_break(head, cur, width, base)
    just_short = fill >= 0.85 and not ends_sentence(head.text)
    if just_short and _layout_break(head, cur, width, base):
        return True  # the next line is indented, or set in another weight: a paragraph of its own
    return not (just_short and join(head.text, cur.text) >= 1.0)


def _heading_second_line(lines: list[Line], i: int) -> bool:
    """A numbered heading the author broke over two short lines (``三、持续提升政府`` /
    ``治理效能和服务水平``): the second is short, unnumbered, unpunctuated, set like the
    first, and a paragraph follows it."""
    head, cur = lines[i - 1], lines[i]
    if i + 1 >= len(lines) or any(ch in head.text for ch in "。；！？：:"):
        return False
    text = cur.text
    if display_width(text) > 20 or any(ch in text for ch in _CLAUSE_PUNCT) or heading_marker(text) or item_marker(text):
        return False
    if display_width(head.text) + display_width(text) > 40:
        return False
    h, c = head.src, cur.src
    if h.size is not None and c.size is not None and (abs(h.size - c.size) > 0.05 or h.bold != c.bold):
        return False
    if (c.gap_before or 0) > 0.8 or (c.fill is not None and c.fill >= 0.9):
        return False  # a full line is a paragraph's start, not a heading's end
    return any(ch in lines[i + 1].text for ch in "，。；")


def _reaches_edge(line_width: float, width: float, indented: bool = True) -> bool:
    """A line that (its first-line indent and the line-break rules allowed for) fills the column."""
    return line_width >= width - (INDENT_MAX if indented else 0.0) - KINSOKU_SLACK


def _first_line_like(text: str, width: float) -> bool:
    """A justified paragraph's first line that lost its indent: narrower by about two characters."""
    # One character less when the line-break rules pushed one down (``…五点`` / ``八，``).
    return width - INDENT_MAX - 1.0 <= display_width(text) <= width - INDENT_MIN and not ends_sentence(text)


def _text_heading_ends(
    head: str,
    head_width: float,
    width: float,
    cur: str,
    join: Callable[[str, str], float],
    indented: bool = True,
) -> bool:
    """Text: does a one-line heading end before ``cur``?

    A heading line that stops well short of the column is complete, however well
    its end would join the next line (``一、2023年工作回顾`` / ``过去一年，…``).
    Only one that reaches the edge can wrap: it does unless the next line is
    visibly a paragraph's first line (narrower by its lost indent).
    """
    if not _reaches_edge(head_width, width, indented):
        return True
    if len(cur) > 1 and cur[1] in "，。、；：！？":
        return False  # the line-break rules pushed the heading's last character down
    if split_runin(head)[1]:
        return _text_break(head, head_width, width, cur)
    if indented and _first_line_like(cur, width):
        return True
    new = _heading_ends(head, head_width, width)
    if new and not ends_sentence(head) and join(head, cur) >= HEADING_JOIN:
        return False  # wrapped mid-word just short of the edge (``…新活`` / ``力。``)
    return new


def _wraps_seen(lines: list[Line], widths: list[float], width: float) -> bool:
    """Text: do some lines (not headings) fill the width and stop mid-sentence, that is
    wrap? Only then does the width tell a heading that reaches it from one that wraps."""
    wrapped = sum(
        1
        for i, ln in enumerate(lines)
        if widths[i] >= width - 1.0 and not _ends_clause(ln.text) and heading_marker(ln.text) is None
    )
    return wrapped >= 2


def _short_complete_heading(head: str, cur: str, join: Callable[[str, str], float]) -> bool:
    """A heading line short enough to stand alone whatever the column (about a third of
    a report's line), that does not stop on a clause mark and does not join the next
    line mid-word."""
    if display_width(head) > SHORT_HEADING or head.rstrip()[-1:] in "，、；：:":
        return False
    return join(head, cur) < HEADING_JOIN


def _heading_ends(text: str, line_width: float, width: float) -> bool:
    """Does a one-line heading block end here?

    It runs on when full: a two-line heading, or a run-in lead sentence whose
    paragraph continues (``（一）坚持…。坚持中国`` / ``特色社会主义…``). Headings
    may fall short of the full width by a character or two when the line-break
    rules push a closing ``。`` to the next line, hence the wider tolerance.
    """
    head, rest = split_runin(text)
    if rest:
        return _text_break(text, line_width, width)
    return line_width < width - KINSOKU_SLACK


def _blank_lines_meaningful(lines: list[Line], widths: list[float], width: float, front_end: int) -> bool:
    """Blank lines separate paragraphs only when they are neither everywhere (double
    spacing) nor nowhere, and the body shows it: more than one blank line past the
    front matter (one after the title says nothing), and where a line clearly ends a
    paragraph (a sentence ending well short of the width), a blank line mostly follows.
    """
    flags = [ln.src.blank_before for ln in lines[1:]]
    if not flags:
        return False
    share = sum(flags) / len(flags)
    if not 0.0 < share < 0.6:
        return False
    start = max(1, front_end)
    body = range(start + 1, len(lines))
    if sum(1 for i in body if lines[i].src.blank_before) < 2:
        return False
    ends = [i for i in body if ends_sentence(lines[i - 1].text) and widths[i - 1] < width - 3]
    return not ends or sum(1 for i in ends if lines[i].src.blank_before) >= 0.5 * len(ends)


def _indent_meaningful(lines: list[Line]) -> bool:
    """Text that marks paragraphs by indenting their first line (``　　各位代表``)."""
    indented = [ln for ln in lines if (ln.src.indent or 0) >= 1.5]
    return len(indented) >= 3 and len(indented) < 0.6 * len(lines)


def _front_matter_end(lines: list[Line]) -> int:
    """Index of the first body line: front matter (title, date, speaker) has no clause punctuation."""
    for i, ln in enumerate(lines[:12]):
        text = ln.text
        if any(ch in text for ch in "，。；！？") or text.endswith(("：", ":")) or heading_marker(text):
            return i
        src = ln.src
        if (
            i
            and src.indent is not None
            and 1.5 <= src.indent <= PARA_INDENT_MAX
            and not src.centered
            and (src.fill or 0) > 0.9
        ):
            # PDF: a line indented like a paragraph, full and left-aligned, starts one;
            # one set against the right edge (a date, a signature) is front matter.
            return i
    return 0


def _front_continues(
    prev: Line, cur: Line, width: float, join: Callable[[str, str], float], *, title: bool = False
) -> bool:
    """A front-matter line runs on only if it is full and the join is strong, or it is
    the title's first line and full (titles are short unless they wrap)."""
    if cur.text.rstrip().endswith(("：", ":")) and display_width(cur.text) <= 24:
        return False  # a salutation (各位代表：) opens the body, whatever the widths
    if _DATE_LINE.match(prev.text.strip()):
        return False  # a line that is a date alone (中華民國114年2月25日) is complete
    if prev.src.size is not None and cur.src.size is not None:
        # PDF: only a title wrapped over lines runs on — same large font, a full first line.
        same = abs(prev.src.size - cur.src.size) < 0.05 and prev.src.bold == cur.src.bold
        if not same:
            return False
        if prev.src.size > 1.1:
            return (prev.src.fill or 0) > 0.75
        # An occasion line set flush and wrapped at the column edge (``…会议上福`` / ``建省…``).
        if (prev.src.fill or 0) < 0.95 or prev.src.centered:
            return False
        return not (cur.src.indent or 0) >= 1.5 or not _FRONT_ENDS.search(prev.text)
    # Front lines are often centred or indented, so "full" is generous here.
    full = display_width(prev.text) >= width - 3.0
    if not full:
        return False
    if title or not (_FRONT_ENDS.search(prev.text) or any(ch in prev.text for ch in _CLAUSE_PUNCT)):
        return True  # a full line stopping mid-phrase (``…大会第三`` / ``次会议上``) wrapped
    return join(prev.text, cur.text) >= FRONT_JOIN


def to_blocks(raw: list[RawBlock]) -> list[Block]:
    """Type raw blocks: title, headings (splitting run-in ones), list items, paragraphs."""
    out: list[Block] = []
    title_at = _pdf_title_index(raw)
    all_lines = [ln.src for rb in raw for ln in rb.lines]
    bold_is_rare = sum(1 for s in all_lines if s.bold) < 0.3 * max(1, len(all_lines))
    schemes = frozenset(
        m.scheme for rb in raw if (m := heading_marker(rb.text)) is not None and display_width(rb.text) <= 30
    )
    for k, rb in enumerate(raw):
        text = rb.text
        prov = _provenance(rb)
        if rb.table is not None:
            rows = [list(row) for row in rb.table]
            text = " ".join(cell for row in rows for cell in row if cell)
            out.append(Block("table", text, rows=rows, provenance=prov))
            continue
        if rb.md_level:
            kind = "title" if rb.md_level == 1 and not any(b.type == "title" for b in out) else "heading"
            out.append(Block(kind, text, level=rb.md_level if kind == "heading" else 1, provenance=prov))
            continue
        if (k == title_at) if title_at is not None else (k == 0 and rb.front and _title_candidate(rb)):
            out.append(Block("title", text, level=1, provenance=prov))
            continue
        if rb.heading_level and not (display_width(text) > MAX_HEADING_WIDTH and not split_runin(text)[1]):
            head, rest = split_runin(text)
            if rest and not re.search(r"[。！？]", head):
                head, rest = text, ""
            out.append(Block("heading", head, level=rb.heading_level, provenance=prov))
            if rest:
                out.append(_paragraph(rest, prov))
            continue
        level = _font_heading_level(rb, bold_is_rare) or _text_heading_level(raw, k)
        if level and not rb.front:
            marker = heading_marker(text)
            if marker is not None:
                level = heading_level(marker, schemes)  # numbered: the numbering says how deep
            out.append(Block("heading", text, level=level, provenance=prov))
            continue
        marker = item_marker(text)
        if marker and not rb.front:
            out.append(Block("list_item", text, marker=marker, provenance=prov))
            continue
        out.append(_paragraph(text, prov))
    return out


def _paragraph(text: str, prov: Provenance) -> Block:
    return Block("paragraph", text, items=inline_items(text), provenance=prov)


def _pdf_title_index(raw: list[RawBlock]) -> int | None:
    """PDF: the title is the largest text near the top of page 1 (not always the first line)."""
    first_page = raw[0].lines[0].src.page if raw and raw[0].lines else None
    best, best_size = None, 1.3  # clearly larger than body text
    for k, rb in enumerate(raw[:8]):
        sizes = [ln.src.size for ln in rb.lines]
        if not rb.lines or rb.lines[0].src.page != first_page or None in sizes:
            continue
        if rb.table is None and not rb.heading_level and _title_candidate(rb) and min(sizes) > best_size:
            best, best_size = k, min(sizes)
    return best


def _font_heading_level(rb: RawBlock, bold_is_rare: bool) -> int:
    """PDF: a short line set larger, or bold, with no sentence in it, is a heading without a number."""
    srcs = [ln.src for ln in rb.lines]
    if len(srcs) > 2 or any(s.size is None for s in srcs) or rb.table is not None:
        return 0
    text = rb.text
    if display_width(text) > 40 or any(ch in text for ch in "。！？；") or text.endswith(("，", "：", ":", "、")):
        return 0
    size = min(s.size or 0.0 for s in srcs)
    if size >= 1.25:
        return 2
    if bold_is_rare and size >= 0.95 and all(s.bold for s in srcs):
        return 3
    return 0


_ONLY_NUMBERS = re.compile(r"^[\d\s.,:/年月日号至—-]*$")


def _text_heading_level(raw: list[RawBlock], k: int) -> int:
    """Text: an unnumbered heading (``名词解释``, ``2024年工作回顾``) stands alone between
    paragraphs: one short line without punctuation, after a finished sentence or a
    heading, before a paragraph. Text has nothing else to tell it by."""
    rb = raw[k]
    if len(rb.lines) != 1 or rb.front or rb.toc or rb.table is not None or k == 0 or k + 1 >= len(raw):
        return 0
    src = rb.lines[0].src
    if src.fill is not None and (src.fill > 0.6 or src.centered):
        return 0  # PDF: a line of this length, or centred, is a caption or a label
    text = rb.text
    if not 2 <= display_width(text) <= 20 or any(ch in text for ch in _CLAUSE_PUNCT):
        return 0
    if _ONLY_NUMBERS.match(text) or item_marker(text) or sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") < 2:
        return 0
    if any(not (ch.isalnum() or ch in " “”《》（）()·-—") for ch in text):
        return 0  # a form field (``□适用√不适用``) or a marked label, not a title
    before, after = raw[k - 1], raw[k + 1]
    if not (before.heading_level or before.md_level or ends_sentence(before.text)):
        return 0
    if (before.heading_level or before.md_level) and after.heading_level:
        return 0  # the whole content of a section (``无``), not a heading of its own
    nxt = after.text
    if after.table is not None or not (after.heading_level or any(ch in nxt for ch in "。！？；")):
        return 0  # a run of short lines (an address, a signature) is no heading
    return 2


def _title_candidate(rb: RawBlock) -> bool:
    text = rb.text
    return display_width(text) <= 60 and not any(ch in text for ch in _CLAUSE_PUNCT)


def _provenance(rb: RawBlock) -> Provenance:
    pages = tuple(sorted({ln.src.page for ln in rb.lines}))
    return Provenance(pages=pages, lines=tuple(ln.src.lineno for ln in rb.lines))
