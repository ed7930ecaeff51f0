"""English and bilingual Markdown: ``<stem>.en.md`` and ``<stem>.bilingual.md``.

``english[i]`` is the English of ``doc.blocks[i]`` (None where nothing was
translated, e.g. tables, which are then kept as they are).
"""

from __future__ import annotations

from collections.abc import Sequence

from xyconvert.model import Document
from xyconvert.writers.markdown import block_markdown, front_matter


def _capitalised(text: str | None) -> str | None:
    """Headings start with a capital, also when they begin with a glossary term."""
    return text[:1].upper() + text[1:] if text and text[:1].islower() else text


def _prepared(doc: Document, english: Sequence[str | None]) -> list[str | None]:
    if len(english) != len(doc.blocks):
        raise ValueError(f"{len(english)} English texts for {len(doc.blocks)} blocks")
    return [_capitalised(en) if b.type in ("title", "heading") else en for b, en in zip(doc.blocks, english)]


def english_markdown(doc: Document, english: Sequence[str | None]) -> str:
    english = _prepared(doc, english)
    parts = [block_markdown(b, en) for b, en in zip(doc.blocks, english)]
    title = next((en for b, en in zip(doc.blocks, english) if b.type == "title" and en), None)
    head = front_matter(doc, language="en", title_en=title)
    return head + "\n\n".join(p for p in parts if p) + "\n"


def bilingual_markdown(doc: Document, english: Sequence[str | None]) -> str:
    """Each Chinese block followed by its English; headings as "中文 / English"."""
    english = _prepared(doc, english)
    parts: list[str] = []
    for block, en in zip(doc.blocks, english):
        if block.type in ("title", "heading") and en:
            parts.append(block_markdown(block, f"{block.text} / {en}"))
            continue
        parts.append(block_markdown(block))
        if en:
            parts.append(f"> {en}")
    return front_matter(doc, language="zh+en") + "\n\n".join(p for p in parts if p) + "\n"
