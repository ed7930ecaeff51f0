"""What a report's glossary check says: the terms found and the candidates to add.

``hits_to_json`` is the shape the JSON writer embeds (and translation and the
briefing read): one object per distinct term, in order of first occurrence.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xyconvert.glossary.normalize import match_key

if TYPE_CHECKING:
    from xyconvert.glossary.entries import Glossary
    from xyconvert.glossary.matcher import TermMatch
    from xyconvert.model import Document


def hits_to_json(matches: Iterable[TermMatch], glossary: Glossary) -> list[dict[str, Any]]:
    """One dict per distinct term found, in order of first occurrence::

        {"zh", "en", "category", "note", "count",
         "occurrences": [{"block", "start", "end", "text"}, …]}

    The entry is looked up in ``glossary`` (so the current rendering wins), falling
    back to the one recorded in the match.
    """
    terms: dict[str, dict[str, Any]] = {}
    for m in matches:
        item = terms.get(m.entry.zh)
        if item is None:
            entry = glossary.get(m.entry.zh) or m.entry
            item = terms[m.entry.zh] = {
                "zh": entry.zh,
                "en": entry.en,
                "category": entry.category,
                "note": entry.note,
                "count": 0,
                "occurrences": [],
            }
        item["count"] += 1
        item["occurrences"].append(m.to_dict())
    return list(terms.values())


# ---------------------------------------------------------------- candidates

_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]+$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"“([^“”\n]{2,16})”")
_NUMBERISH = re.compile(r"^[一二三四五六七八九十百千万亿两零第]+[个项次年批届条种大]?$")
# A word jieba's dictionary holds at this frequency or more is common vocabulary
# (基础设施 107, 高质量 99); policy terms are mostly absent (乡村振兴, 升规入统 split up).
COMMON_FREQ = 20
# jieba part-of-speech tags of words that can be (part of) a term: nouns, verbal and
# other nouns, abbreviations, distinguishing words. Verbs, idioms, place and person
# names, numerals are not.
_TERM_POS = frozenset({"n", "vn", "nz", "nt", "j", "b", "an", "ng"})
# Report boilerplate jieba tags as nouns anyway: 大力发展, 全力支持, 成效显著.
_BOILERPLATE = re.compile(
    r"^(大力|全力|深入|充分|不断|持续|全面|加快|积极|着力|切实|扎实|稳步|有效|进一步)|显著$"
)


@dataclass(frozen=True)
class Candidate:
    zh: str
    count: int
    kind: str  # "quoted" (a quoted phrase, typical of slogans), "word" or "compound"

    def to_dict(self) -> dict[str, Any]:
        return {"zh": self.zh, "count": self.count, "kind": self.kind}


@functools.lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba  # lazy: ~1 s to load its dictionary
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
    from xyconvert.repair.joins import _cache_file

    cache = _cache_file("jieba.cache")
    # Our own cache directory: a /tmp/jieba.cache of another user would make
    # jieba log a traceback when it cannot replace it.
    jieba.dt.tmp_dir = str(cache.parent) if cache is not None else None
    if cache is None:
        jieba.setLogLevel(logging.CRITICAL)
    jieba.initialize()
    return jieba.posseg.dt


def _unmatched_segments(text: str, spans: list[tuple[int, int]]) -> list[str]:
    segments, pos = [], 0
    for start, end in spans:
        segments.append(text[pos:start])
        pos = end
    segments.append(text[pos:])
    return [s for s in segments if s]


def candidate_terms(
    document: Document,
    matches: Iterable[TermMatch],
    glossary: Glossary,
    *,
    limit: int = 30,
    min_count: int = 2,
) -> list[Candidate]:
    """Frequent words and phrases of the report that the glossary lacks, by count.

    Text already matched by a glossary term is cut out first. Three sources:

    * quoted phrases: reports quote their slogans (“两个优先”, “五美庭院”); kept even
      when they occur once, counted wherever they occur;
    * words: jieba words of 3+ characters tagged as nouns and rare in jieba's
      dictionary (frequency below ``COMMON_FREQ``);
    * compounds: two adjacent noun-like jieba words that together are not a
      dictionary word (营商+环境, 民生+实事), since jieba splits most policy terms.

    Words and compounds need ``min_count`` occurrences.
    """
    tagger = _jieba()
    freq = tagger.tokenizer.FREQ
    known = {key for key, _ in glossary.items()}
    by_block: dict[int, list[tuple[int, int]]] = {}
    for m in matches:
        by_block.setdefault(m.block, []).append((m.start, m.end))

    quoted: set[str] = set()
    counts: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    unmatched: list[str] = []
    for index, block in enumerate(document.blocks):
        for m in _QUOTED.finditer(block.text):
            phrase = m.group(1).strip()
            if (
                _CJK.search(phrase)
                and match_key(phrase) not in known
                and not _NUMBERISH.match(phrase)
            ):
                quoted.add(phrase)
        unmatched += _unmatched_segments(block.text, sorted(by_block.get(index, [])))

    def termlike(word: str, flag: str) -> bool:
        return flag in _TERM_POS and bool(_CJK_WORD.match(word)) and not _BOILERPLATE.search(word)

    for segment in unmatched:
        tokens = [(p.word, p.flag) for p in tagger.cut(segment)]
        for i, (word, flag) in enumerate(tokens):
            if len(word) >= 3 and termlike(word, flag) and freq.get(word, 0) < COMMON_FREQ:
                counts[word] += 1
                kinds.setdefault(word, "word")
            if i + 1 < len(tokens):
                nxt, nflag = tokens[i + 1]
                pair = word + nxt
                if (
                    len(word) >= 2
                    and len(nxt) >= 2
                    and termlike(word, flag)
                    and termlike(nxt, nflag)
                    and not freq.get(pair)
                ):
                    counts[pair] += 1
                    kinds.setdefault(pair, "compound")

    text = "\n".join(unmatched)
    candidates = [Candidate(q, max(text.count(q), 1), "quoted") for q in quoted]
    candidates += [
        Candidate(zh, n, kinds[zh])
        for zh, n in counts.items()
        if n >= min_count
        and zh not in quoted
        and match_key(zh) not in known
        and not _NUMBERISH.match(zh)
    ]
    candidates.sort(key=lambda c: (-c.count, c.kind != "quoted", -len(c.zh), c.zh))
    return candidates[:limit]


def check_document(
    document: Document, glossary: Glossary, *, limit: int = 30, min_count: int = 2
) -> dict[str, Any]:
    """The ``glossary check`` result: terms found (with counts) and candidate terms."""
    matches = glossary.matcher.match_document(document)
    terms = hits_to_json(matches, glossary)
    return {
        "glossary_entries": len(glossary),
        "terms_found": len(terms),
        "occurrences": len(matches),
        "terms": terms,
        "candidates": [
            c.to_dict()
            for c in candidate_terms(document, matches, glossary, limit=limit, min_count=min_count)
        ],
    }
