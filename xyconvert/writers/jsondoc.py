"""JSON writer: ``<stem>.json``, the document model with provenance.

``{"schema_version": 1, "metadata": {...}, "blocks": [{"type", "text", "level"?,
"marker"?, "items"?, "rows"?, "provenance": {"pages", "lines"}}], ...}``;
later stages add keys beside ``blocks``: ``glossary`` hits, the briefing's
``indicators`` (what ``archive add`` stores without recomputing them), ``translation``.
"""

from __future__ import annotations

import json
from typing import Any

from xyconvert.model import Document


def to_json(doc: Document, **extra: Any) -> str:
    data = doc.to_dict()
    data.update(extra)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
