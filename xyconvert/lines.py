"""What readers hand to the repair stage: pages of raw lines with optional layout hints.

A plain-text reader only knows the text and where it stood; a PDF reader also
knows geometry. Repair uses a hint when it is there and falls back to text
statistics when it is not, so both kinds of input share one repair path.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class SourceLine:
    text: str
    page: int  # 1-based
    lineno: int  # 1-based line number in the file (text) or index on the page (PDF)
    # Layout hints; None/False when the reader cannot know them (plain text).
    indent: float | None = None  # first-line indent, in character widths from the column's left edge
    fill: float | None = None  # where the line ends, as a fraction of the column width (1.0 = full)
    size: float | None = None  # font size relative to the body text size (1.0 = body)
    bold: bool = False
    centered: bool = False
    gap_before: float | None = None  # vertical space above the line, in body line heights
    blank_before: bool = False  # text: an empty line stood before this one
    is_table: bool = False  # PDF: this line is a table placeholder (see ``table``)
    table: tuple[tuple[str, ...], ...] | None = None
    # DOCX: the line is a whole source paragraph (never joined with its neighbours),
    # and a heading level the source states (Word styles / outline levels): 1 = title,
    # 2 = the ``一、`` level, 3 = ``（一）``, like a Markdown ``#`` prefix.
    whole: bool = False
    heading_level: int | None = None

    def with_text(self, text: str) -> SourceLine:
        return replace(self, text=text)


@dataclass
class SourcePage:
    number: int  # 1-based
    lines: list[SourceLine] = field(default_factory=list)
