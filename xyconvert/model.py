"""The document model every reader produces and every writer consumes.

Kept deliberately small (pandoc-style): a document is metadata plus a flat list
of typed blocks. Every block remembers where it came from (pages and source
lines) so users and later stages can trace any sentence back to the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

BlockType = Literal["title", "heading", "paragraph", "list_item", "table"]


@dataclass(frozen=True)
class Provenance:
    """Where a block came from: 1-based page numbers and source line numbers.

    For text input, ``lines`` are line numbers in the input file; for PDF input they
    are line indices within each page (in reading order).
    """

    pages: tuple[int, ...] = ()
    lines: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"pages": list(self.pages), "lines": list(self.lines)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Provenance:
        return cls(tuple(data.get("pages", ())), tuple(data.get("lines", ())))


@dataclass(frozen=True)
class InlineItem:
    """A numbered item that runs on inside a paragraph (``…：1.加快…。2.投资…``).

    ``start`` is the character offset of the marker in the paragraph text.
    """

    marker: str
    start: int

    def to_dict(self) -> dict[str, Any]:
        return {"marker": self.marker, "start": self.start}


@dataclass
class Block:
    """One block of the document.

    type:
      title      the document title (one per document at most)
      heading    a section heading; ``level`` 2 for ``一、``, 3 for ``（一）``, 4 deeper
      paragraph  body text; ``items`` lists run-in numbered items
      list_item  a numbered item standing as its own block; ``marker`` is ``1.``, ``（1）`` …
      table      ``rows`` of cell strings; ``text`` is the cells joined for search
    """

    type: BlockType
    text: str
    level: int = 0
    marker: str | None = None
    items: list[InlineItem] = field(default_factory=list)
    rows: list[list[str]] | None = None
    provenance: Provenance = field(default_factory=Provenance)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "text": self.text}
        if self.type == "heading":
            out["level"] = self.level
        if self.marker is not None:
            out["marker"] = self.marker
        if self.items:
            out["items"] = [i.to_dict() for i in self.items]
        if self.rows is not None:
            out["rows"] = self.rows
        out["provenance"] = self.provenance.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        return cls(
            type=data["type"],
            text=data["text"],
            level=data.get("level", 0),
            marker=data.get("marker"),
            items=[InlineItem(i["marker"], i["start"]) for i in data.get("items", [])],
            rows=data.get("rows"),
            provenance=Provenance.from_dict(data.get("provenance", {})),
        )


@dataclass
class Metadata:
    """Facts about the document and its source."""

    title: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD or YYYY-MM) when the report states one
    occasion: str | None = None  # e.g. 2024年1月26日在新源县第十八届人民代表大会第四次会议上
    speaker: str | None = None  # the speaker line, e.g. 新源县委副书记、政府县长热合木·艾木拉
    speaker_name: str | None = None  # e.g. 热合木·艾木拉
    source_name: str | None = None
    source_sha256: str | None = None
    source_format: str | None = None  # "txt", "pdf" or "docx"
    encoding: str | None = None  # detected text encoding, for text input
    pages: int = 0
    tool_version: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "date": self.date,
            "occasion": self.occasion,
            "speaker": self.speaker,
            "speaker_name": self.speaker_name,
            "source_name": self.source_name,
            "source_sha256": self.source_sha256,
            "source_format": self.source_format,
            "encoding": self.encoding,
            "pages": self.pages,
            "tool_version": self.tool_version,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metadata:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass
class Document:
    metadata: Metadata
    blocks: list[Block] = field(default_factory=list)

    @property
    def title(self) -> Block | None:
        return next((b for b in self.blocks if b.type == "title"), None)

    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.type == "heading"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "metadata": self.metadata.to_dict(),
            "blocks": [b.to_dict() for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(f"unsupported schema_version {data.get('schema_version')!r}")
        return cls(
            metadata=Metadata.from_dict(data.get("metadata", {})),
            blocks=[Block.from_dict(b) for b in data.get("blocks", [])],
        )
