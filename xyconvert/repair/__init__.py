"""Text-level repair: pages of raw lines in, a structured Document out.

Stages, each in its own module and run in this order:
  pages      – split undivided text into pages (form feeds, page markers, page numbers)
  furniture  – drop page numbers and running headers/footers
  spacing    – remove letter-spacing and spaces between CJK and digits/Latin
  order      – restore reading order of reversed or shuffled runs of lines
  paragraphs – join wrapped lines into paragraphs
  structure  – title, headings, run-in headings, numbered items
"""

from __future__ import annotations

from xyconvert.repair.pipeline import RepairOptions, build_document

__all__ = ["RepairOptions", "build_document"]
