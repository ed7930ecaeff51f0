"""Translation memory: TMX files of earlier official translations, sentence matching.

    from xyconvert.tm import read_tmx, TranslationMemory
    memory = TranslationMemory.from_files(["GR2014.tmx"])
    match = memory.lookup("我们要坚定不移推进改革。")   # Match(kind="exact"|"fuzzy", score, …)

``tmx`` reads TMX 1.4 (stdlib XML parser), ``memory`` finds exact and fuzzy
matches (RapidFuzz Levenshtein), ``repair`` carries the new sentence's numbers and
glossary terms into a fuzzy match, ``apply`` translates documents TM-first.
"""

from __future__ import annotations

from xyconvert.tm.memory import FUZZY_THRESHOLD, Match, TranslationMemory
from xyconvert.tm.tmx import TMUnit, read_tmx

__all__ = ["FUZZY_THRESHOLD", "Match", "TMUnit", "TranslationMemory", "read_tmx"]
