"""Run the repair stages in order (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xyconvert.charclass import display_width
from xyconvert.lines import SourcePage
from xyconvert.model import Document, Metadata
from xyconvert.normalize import canonical_chars
from xyconvert.repair.furniture import drop_furniture, split_unmarked
from xyconvert.repair.joins import JoinScorer
from xyconvert.repair.mojibake import fix_mojibake, garbling_warnings
from xyconvert.repair.order import restore_order
from xyconvert.repair.paragraphs import UNWRAPPED_WIDTH, Line, build_blocks, to_blocks
from xyconvert.repair.spacing import despace

_MD_PREFIX = re.compile(r"^\s*(#{1,6}\s+)")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")


@dataclass(frozen=True)
class RepairOptions:
    fix_order: bool = True  # restore reading order of reversed/shuffled lines
    drop_furniture: bool = True  # page numbers, running headers/footers


def clean_line(text: str) -> str:
    """De-space one line and put its characters in canonical form (Markdown ``#`` kept)."""
    text = fix_mojibake(text)
    m = _MD_PREFIX.match(text)
    if m:
        return m.group(1) + canonical_chars(despace(text[m.end() :]))
    return canonical_chars(despace(text))


def build_document(
    pages: list[SourcePage], metadata: Metadata, options: RepairOptions | None = None
) -> Document:
    options = options or RepairOptions()
    pages, removed = _without_controls(pages)
    if removed:
        metadata.warnings.append(f"removed {removed} control character(s) that no output format can hold")
    pages = split_unmarked(pages)
    if options.drop_furniture:
        pages = drop_furniture(pages)
    lines = [
        Line(text, ln)
        for p in pages
        for ln in p.lines
        if (text := clean_line(ln.text))
    ]
    scorer = JoinScorer(ln.text for ln in lines)
    if options.fix_order and len(lines) > 2 and not _unwrapped(lines) and not _placed(lines):
        order = restore_order([ln.text for ln in lines], [ln.src.page for ln in lines], scorer.score,
                              warnings=metadata.warnings)
        lines = [lines[i] for i in order]
    blocks = to_blocks(build_blocks(lines, scorer.score))
    metadata.pages = metadata.pages or len(pages)
    title = next((b for b in blocks if b.type == "title"), None)
    if title is not None and not metadata.title:
        metadata.title = title.text
    if not metadata.date:
        metadata.date = find_date([b.text for b in blocks[:6]])
    _front_facts(blocks, metadata)
    metadata.warnings.extend(garbling_warnings([b.text for b in blocks]))
    return Document(metadata, blocks)


def _without_controls(pages: list[SourcePage]) -> tuple[list[SourcePage], int]:
    """Pages with control characters removed from every line and table cell (and a count)."""
    from dataclasses import replace

    from xyconvert.charclass import strip_controls

    total = 0
    out = []
    for page in pages:
        lines = []
        for ln in page.lines:
            text, n = strip_controls(ln.text)
            table = ln.table
            if table is not None:
                cells = [[strip_controls(c) for c in row] for row in table]
                n += sum(k for row in cells for _, k in row)
                table = tuple(tuple(c for c, _ in row) for row in cells)
            total += n
            lines.append(replace(ln, text=text, table=table) if n else ln)
        out.append(replace(page, lines=lines))
    return out, total


_SPEAKER_TITLE = re.compile(
    r"(?:书记|[县市区州省旗]长|主席|主任|总理|部长|厅长|局长|代表|负责人)\s*([^\s、，,：:]{2,12})$"
)
_OCCASION = re.compile(r"(?:会议|大会|会上|全会|座谈会)")
# One line for both: 2025年1月20日在…会议上安徽省人民政府省长王清宪作政府工作报告.
_OCCASION_THEN_SPEAKER = re.compile(r"^(?P<occasion>.*?(?:会议|大会|全会|座谈会)上)\s*(?P<speaker>.+?)\s*"
                                    r"(?:作|所作的?)?(?:政府工作|工作)?报告$")


def _front_facts(blocks: list, metadata: Metadata) -> None:  # noqa: ANN001 - list[Block]
    """Occasion and speaker from the lines between the title and the body (the block
    text stays as written; the metadata names its parts)."""
    for block in blocks[1:6]:
        # A front line has no sentence punctuation; one ending in 。 may still be the
        # occasion-and-speaker line (…会议上省长许昆林作政府工作报告。).
        text = block.text.removesuffix("。")
        both = _OCCASION_THEN_SPEAKER.match(text)
        if block.type != "paragraph" or any(ch in text for ch in "，。；：！？") or (
                text != block.text and not both):
            break
        if metadata.occasion is None and (_DATE.search(text) or _OCCASION.search(text)):
            speaker = _SPEAKER_TITLE.search(both["speaker"]) if both else None
            if both and speaker and metadata.speaker is None:
                metadata.occasion = both["occasion"]
                metadata.speaker = both["speaker"]
                metadata.speaker_name = speaker.group(1)
            else:
                metadata.occasion = text
            continue
        m = _SPEAKER_TITLE.search(text)
        if metadata.speaker is None and m:
            metadata.speaker = text
            metadata.speaker_name = m.group(1)


def _placed(lines: list[Line]) -> bool:
    """Every line comes with its place on the page (PDF): the reader ordered them by
    geometry already, and moving lines by text statistics can only make it worse."""
    return all(ln.src.fill is not None for ln in lines)


def _unwrapped(lines: list[Line]) -> bool:
    """One paragraph per line (clean text): nothing was wrapped, so nothing to reorder."""
    widths = sorted(display_width(ln.text) for ln in lines)
    return widths[len(widths) // 2] > UNWRAPPED_WIDTH


def find_date(texts: list[str]) -> str | None:
    """The first full date in the opening blocks, as ISO 8601."""
    for text in texts:
        m = _DATE.search(text)
        if m and 1 <= int(m.group(2)) <= 12:
            year, month, day = m.group(1), int(m.group(2)), m.group(3)
            return f"{year}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}"
    return None
