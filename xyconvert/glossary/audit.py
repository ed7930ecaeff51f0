"""Audit a glossary against official translations (TMX): do our renderings occur there?

For every glossary term found in the Chinese side of the aligned segments, each
*occurrence* (one segment containing the term, found by the same longest-match
matcher translation uses) *agrees* when one of the term's accepted renderings
occurs in the segment's official English. English is compared loosely: case,
hyphens and apostrophes are ignored, inflections are stripped (``-s``, ``-ies``,
``-ing``, ``-ed``, a final ``-e``: "expanding domestic demand" meets "expand
domestic demand"),
and a rendering with a parenthesised part — ``gross domestic product (GDP)`` —
also counts when either the part before the brackets or the bracketed part alone
occurs.

Where a term's rendering is missing, the official wording is suggested from n-gram
statistics: the 1–5-word n-grams of the non-agreeing English segments, ranked by
how many of them contain the n-gram times its inverse document frequency over all
segments (``df_term × log(N / df_all)``), so words frequent everywhere ("we will",
"development") sink and the term's own English rises.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xyconvert.glossary.entries import Glossary, GlossaryEntry
    from xyconvert.tm.tmx import TMUnit

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP = set(
    ["a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at", "as", "is", "are", "be", "we", "will", "our", "its", "their", "this", "that", "from", "all", "more", "into", "such", "which", "has", "have", "been", "it", "also"]
)
MAX_N = 5


def _stem(word: str) -> str:
    """A crude suffix stripper: enough that inflected forms meet (expanding/expand,
    emissions/emission, stabilizing/stabilize, policies/policy)."""
    if len(word) <= 3:
        return word
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def surface_words(text: str) -> list[str]:
    """Lower-cased words; hyphens and typographic apostrophes folded."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    return _WORD.findall(text.replace("-", " "))


def english_words(text: str) -> list[str]:
    """:func:`surface_words`, stemmed."""
    return [_stem(w) for w in surface_words(text)]


def rendering_forms(rendering: str) -> list[tuple[str, ...]]:
    """The word sequences that count as ``rendering`` occurring (see the module docstring)."""
    forms = [tuple(english_words(rendering))]
    m = re.fullmatch(r"\s*(.*?)\s*\(([^()]*)\)\s*(.*?)\s*", rendering)
    if m:
        outer = tuple(english_words(f"{m.group(1)} {m.group(3)}"))
        inner = tuple(english_words(m.group(2)))
        forms += [f for f in (outer, inner) if f]
    return [f for f in dict.fromkeys(forms) if f]


def _contains(words: Sequence[str], form: tuple[str, ...]) -> bool:
    n = len(form)
    first = form[0]
    return any(words[i] == first and tuple(words[i : i + n]) == form for i in range(len(words) - n + 1))


def agrees(entry: GlossaryEntry, english: str) -> bool:
    words = english_words(english)
    return any(_contains(words, f) for r in entry.renderings for f in rendering_forms(r))


def _ngrams(
    words: Sequence[str], surface: Sequence[str], spelled: dict[tuple[str, ...], Counter[str]]
) -> set[tuple[str, ...]]:
    """The stemmed n-grams of one segment; ``spelled`` collects their surface forms."""
    out = set()
    for n in range(1, MAX_N + 1):
        for i in range(len(words) - n + 1):
            gram = tuple(words[i : i + n])
            if gram[0] in _STOP or gram[-1] in _STOP:
                continue
            out.add(gram)
            spelled.setdefault(gram, Counter())[" ".join(surface[i : i + n])] += 1
    return out


@dataclass
class TermAudit:
    entry: GlossaryEntry
    occurrences: int = 0
    agreeing: int = 0
    missing: list[int] = field(default_factory=list)  # unit indexes not agreeing
    suggestions: list[tuple[str, int]] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.agreeing / self.occurrences if self.occurrences else 1.0

    def to_dict(self, units: Sequence[TMUnit], examples: int = 3) -> dict[str, Any]:
        return {
            "zh": self.entry.zh,
            "en": self.entry.en,
            "renderings": list(self.entry.renderings),
            "category": self.entry.category,
            "occurrences": self.occurrences,
            "agreeing": self.agreeing,
            "agreement": round(self.agreement, 4),
            "suggestions": [{"english": g, "segments": n} for g, n in self.suggestions],
            "missing": [
                {"origin": units[i].origin, "zh": units[i].zh, "en": units[i].en}
                for i in self.missing[:examples]
            ],
        }


@dataclass
class AuditResult:
    units: list[TMUnit]
    terms: list[TermAudit]
    candidates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def occurrences(self) -> int:
        return sum(t.occurrences for t in self.terms)

    @property
    def agreeing(self) -> int:
        return sum(t.agreeing for t in self.terms)

    @property
    def agreement(self) -> float:
        return self.agreeing / self.occurrences if self.occurrences else 1.0

    def to_dict(self, examples: int = 3) -> dict[str, Any]:
        return {
            "segments": len(self.units),
            "terms_found": len(self.terms),
            "occurrences": self.occurrences,
            "agreeing": self.agreeing,
            "agreement": round(self.agreement, 4),
            "terms": [t.to_dict(self.units, examples) for t in self.terms],
            "candidates": self.candidates,
        }


def audit(
    glossary: Glossary,
    units: Sequence[TMUnit],
    *,
    suggestions: int = 5,
    candidates: int = 0,
) -> AuditResult:
    """Agreement of ``glossary`` with the aligned ``units``; terms sorted worst first."""
    matcher = glossary.matcher
    by_term: dict[str, TermAudit] = {}
    unit_words = [english_words(u.en) for u in units]
    for index, unit in enumerate(units):
        seen: set[str] = set()
        for _s, _e, entry in matcher.find(unit.zh):
            if entry.zh in seen:
                continue  # one occurrence per segment and term
            seen.add(entry.zh)
            item = by_term.setdefault(entry.zh, TermAudit(entry))
            item.occurrences += 1
            words = unit_words[index]
            if any(_contains(words, f) for r in entry.renderings for f in rendering_forms(r)):
                item.agreeing += 1
            else:
                item.missing.append(index)
    if suggestions:
        spelled: dict[tuple[str, ...], Counter[str]] = {}
        grams = [_ngrams(w, surface_words(u.en), spelled) for w, u in zip(unit_words, units)]
        df: Counter[tuple[str, ...]] = Counter(g for gs in grams for g in gs)
        total = len(units)
        for item in by_term.values():
            item.suggestions = _suggest(item.missing, grams, df, total, suggestions, spelled)
    result = AuditResult(list(units), sorted(by_term.values(), key=_worst_first))
    if candidates:
        result.candidates = _candidates(glossary, units, candidates)
    return result


def _worst_first(t: TermAudit) -> tuple[int, float, str]:
    return (-(t.occurrences - t.agreeing), t.agreement, t.entry.zh)


def _suggest(
    missing: list[int],
    grams: list[set[tuple[str, ...]]],
    df: Counter[tuple[str, ...]],
    total: int,
    limit: int,
    spelled: dict[tuple[str, ...], Counter[str]],
) -> list[tuple[str, int]]:
    if not missing:
        return []
    local: Counter[tuple[str, ...]] = Counter(g for i in missing for g in grams[i])
    need = max(2, math.ceil(len(missing) * 0.3)) if len(missing) > 2 else 1
    scored = [
        (n * math.log(total / df[g]) * (1 + 0.15 * (len(g) - 1)), n, g)
        for g, n in local.items()
        if n >= need
    ]
    scored.sort(key=lambda x: (-x[0], -x[1], x[2]))
    out: list[tuple[str, int]] = []
    for _score, n, g in scored:
        text = spelled[g].most_common(1)[0][0]  # as the official texts spell it
        if any(text in o for o, _ in out):
            continue  # a longer n-gram holding this one is listed already
        out = [(o, m) for o, m in out if not (o in text and m <= n)]
        out.append((text, n))
        if len(out) >= limit:
            break
    return out


def _candidates(glossary: Glossary, units: Sequence[TMUnit], limit: int) -> list[dict[str, Any]]:
    """Frequent policy phrases of the official Chinese that the glossary lacks."""
    from xyconvert.glossary.report import candidate_terms
    from xyconvert.model import Block, Document, Metadata

    doc = Document(Metadata(), [Block("paragraph", u.zh) for u in units])
    matches = glossary.matcher.match_document(doc)
    found = candidate_terms(doc, matches, glossary, limit=limit, min_count=3)
    return [c.to_dict() for c in found]


def audit_files(
    glossary: Glossary, paths: Iterable[str], **kwargs: Any
) -> AuditResult:
    from xyconvert.tm.tmx import read_tmx

    units = [u for p in paths for u in read_tmx(p)]
    return audit(glossary, units, **kwargs)
