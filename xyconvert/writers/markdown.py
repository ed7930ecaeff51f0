"""Markdown writer: ``<stem>.zh.md`` with YAML front matter.

``#`` title, ``##``/``###`` headings by level, blocks separated by blank lines,
tables as pipe tables. Run-in numbered items stay inside their paragraph, as
the report prints them.
"""

from __future__ import annotations

import json

from xyconvert.model import Block, Document


def _yaml_scalar(value: object) -> str:
    # JSON strings are valid YAML scalars and escape everything that needs it.
    return json.dumps(value, ensure_ascii=False)


def front_matter(doc: Document, **extra: object) -> str:
    meta = doc.metadata
    fields: dict[str, object] = {
        "title": meta.title,
        "date": meta.date,
        "source": meta.source_name,
        "source_sha256": meta.source_sha256,
        "tool": "xyconvert",
        "tool_version": meta.tool_version,
        **extra,
    }
    lines = ["---"]
    lines += [f"{k}: {_yaml_scalar(v)}" for k, v in fields.items() if v is not None]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_markdown(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    norm = [[_escape_cell(c or "") for c in r] + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(norm[0]) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(r) + " |" for r in norm[1:]]
    return "\n".join(out)


def block_markdown(block: Block, text: str | None = None) -> str:
    """One block as Markdown; ``text`` overrides the block's text (e.g. a translation)."""
    body = block.text if text is None else text
    if block.type == "title":
        return f"# {body}"
    if block.type == "heading":
        return f"{'#' * max(2, min(block.level, 6))} {body}"
    if block.type == "table" and block.rows is not None and text is None:
        return table_markdown(block.rows)
    return body


def to_markdown(doc: Document, *, with_front_matter: bool = True) -> str:
    parts = [block_markdown(b) for b in doc.blocks]
    head = front_matter(doc) if with_front_matter else ""
    return head + "\n\n".join(p for p in parts if p) + "\n"
