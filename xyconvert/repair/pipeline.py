from __future__ import annotations

from dataclasses import dataclass

from xyconvert.lines import SourcePage
from xyconvert.model import Document, Metadata


@dataclass(frozen=True)
class RepairOptions:
    fix_order: bool = True  # restore reading order of reversed/shuffled lines
    drop_furniture: bool = True  # page numbers, running headers/footers


def build_document(
    pages: list[SourcePage], metadata: Metadata, options: RepairOptions | None = None
) -> Document:
    raise NotImplementedError
