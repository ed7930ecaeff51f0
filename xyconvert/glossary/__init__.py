"""Policy-term glossary: built-in Chinese→English terms, user glossaries, term matching.

    from xyconvert.glossary import load_glossary, match_document, hits_to_json
    glossary = load_glossary(["my_terms.tsv"])      # built-in + overrides
    matches = match_document(document, glossary)    # TermMatch(block, start, end, …)
    hits_to_json(matches, glossary)                 # for the JSON writer

Heavy dependencies (opencc, jieba) are imported on first use only.
"""

from __future__ import annotations

from xyconvert.glossary.entries import (
    CATEGORIES,
    Glossary,
    GlossaryEntry,
    Problem,
    builtin_path,
    check_glossary_file,
    format_tsv,
    load_builtin,
    load_glossary,
    read_glossary_file,
    write_tsv,
)
from xyconvert.glossary.matcher import Automaton, TermMatch, TermMatcher, match_document, match_text
from xyconvert.glossary.report import check_document, hits_to_json

__all__ = [
    "CATEGORIES",
    "Automaton",
    "Glossary",
    "GlossaryEntry",
    "Problem",
    "TermMatch",
    "TermMatcher",
    "builtin_path",
    "check_document",
    "check_glossary_file",
    "format_tsv",
    "hits_to_json",
    "load_builtin",
    "load_glossary",
    "match_document",
    "match_text",
    "read_glossary_file",
    "write_tsv",
]
