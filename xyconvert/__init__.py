"""xyconvert: clean Chinese government reports into structured text, Markdown, JSON, DOCX and English."""

from __future__ import annotations

__version__ = "0.1.0"
