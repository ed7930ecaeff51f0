"""English briefing of a report (issue #7): header, key indicators, outline, terms, summaries.

    from xyconvert.briefing import build_brief, render_markdown, docx_bytes
    data = build_brief(document, glossary, translate=None)   # BriefData
    render_markdown(data)            # str
    docx_bytes(data)                 # bytes (python-docx, imported lazily)
    data.to_dict()                   # JSON-ready, with block indexes and offsets

    from xyconvert.briefing import extract_indicators     # the generic extractor
    extract_indicators("实现地区生产总值137.46亿元、增速8.4%")  # [Indicator(...)]

Numbers, units, growth rates and terms come from the Chinese text by rule;
MT (an installed zh→en model) only fills in running text.
"""

from __future__ import annotations

from typing import Any

from xyconvert.briefing.build import (
    BriefData,
    OutlineItem,
    Row,
    Summary,
    TermUse,
    build_brief,
    model_translator,
)
from xyconvert.briefing.header import Header, build_header, person_name, place_name
from xyconvert.briefing.indicators import (
    RESULT,
    TARGET,
    Figure,
    Indicator,
    document_indicators,
    extract_document,
    extract_indicators,
    headline_blocks,
    split_subject,
)
from xyconvert.briefing.markdown import render_markdown


def docx_bytes(data: BriefData, **kwargs: Any) -> bytes:
    """The briefing as DOCX bytes (imports python-docx on first use)."""
    from xyconvert.briefing.docx import docx_bytes as render

    return render(data, **kwargs)


__all__ = [
    "RESULT",
    "TARGET",
    "BriefData",
    "Figure",
    "Header",
    "Indicator",
    "OutlineItem",
    "Row",
    "Summary",
    "TermUse",
    "build_brief",
    "build_header",
    "docx_bytes",
    "document_indicators",
    "extract_document",
    "extract_indicators",
    "headline_blocks",
    "model_translator",
    "person_name",
    "place_name",
    "render_markdown",
    "split_subject",
]
