"""Clean text writer: ``<stem>.zh.txt``, one block per line, UTF-8, LF.

Meant for archives and for tools that want plain sentences: no markup, every
paragraph or heading on a line of its own, table rows as tab-separated cells.
"""

from __future__ import annotations

from xyconvert.model import Document


def to_text(doc: Document) -> str:
    lines: list[str] = []
    for block in doc.blocks:
        if block.type == "table" and block.rows is not None:
            lines += ["\t".join(cell.replace("\n", " ") for cell in row) for row in block.rows]
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"
