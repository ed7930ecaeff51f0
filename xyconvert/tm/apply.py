"""Translate documents translation-memory first, MT (when there is a model) for the rest.

Per block:

1. the block is cut into *pieces* after every sentence or clause mark
   (。！？；，： and their ASCII forms, with closing quotes) — the aligned TMX
   segments of the official reports end at any of these;
2. greedily from the left, the longest run of pieces whose text is an **exact**
   TM segment is taken (runs of at least :data:`MIN_EXACT_CHARS` characters, or
   the whole block), so a TM segment is reused at whatever granularity it was
   aligned;
3. the pieces left over are grouped into sentences (up to 。！？；) and each is
   looked up **fuzzily**; the best candidate whose numbers and glossary terms
   can be carried over (:mod:`xyconvert.tm.repair`) is used;
4. what is still left goes to MT — or, without a model, is marked
   ``[untranslated: …]`` and reported as such.

Every sentence is reported (:class:`Sentence`): its origin (``tm-exact``,
``tm-fuzzy``, ``mt``, ``untranslated``), the match score and the TM segment used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from xyconvert.tm.memory import TranslationMemory, sentence_key
from xyconvert.tm.repair import TermFinder, repair
from xyconvert.translate.sentences import mark_spans

PIECE_END = set("。！？；，：!?;,:")
SENTENCE_END = set("。！？；!?;")
CLOSERS = set("”’」』）)》〉】〕]…")
MIN_EXACT_CHARS = 4
MAX_RUN = 40  # pieces in one exact run (a TM segment is rarely longer)
UNTRANSLATED = "[untranslated: {}]"

# (block texts) -> DocumentTranslation-like object with .blocks and .terms_report()
MachineTranslate = Callable[[list[str]], Any]


@dataclass
class Sentence:
    """How one stretch of a block was translated."""

    block: int
    start: int  # offsets in the block text
    end: int
    source: str
    origin: str  # "tm-exact", "tm-fuzzy", "mt", "untranslated"
    english: str = ""
    score: float | None = None  # TM match score (1.0 exact)
    tm_source: str | None = None  # the TM's Chinese segment (fuzzy matches differ)
    tm_origin: str | None = None  # "FILE.tmx:N"
    repaired: int = 0  # numbers and terms carried into a fuzzy match
    tm_english: str | None = None  # the TM's English before numbers/terms were carried in

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        return {k: v for k, v in out.items() if v is not None}


@dataclass
class TMTranslation:
    blocks: list[str | None]
    sentences: list[Sentence]
    mt: Any = None  # the engine's DocumentTranslation for the MT part, if any
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(s.origin for s in self.sentences)
        return {k: c.get(k, 0) for k in ("tm-exact", "tm-fuzzy", "mt", "untranslated")}


def _pieces(text: str) -> list[tuple[int, int]]:
    """[start, end) spans after each sentence or clause mark, whitespace trimmed."""
    spans = mark_spans(text, PIECE_END, CLOSERS)
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _exact_runs(
    text: str, simplified: str, pieces: list[tuple[int, int]], memory: TranslationMemory
) -> list[tuple[int, int, Any]]:
    """(first piece, end piece, Match | None) covering ``pieces`` left to right."""
    out: list[tuple[int, int, Any]] = []
    i = 0
    while i < len(pieces):
        found = None
        for j in range(min(len(pieces), i + MAX_RUN), i, -1):
            s, e = pieces[i][0], pieces[j - 1][1]
            if e - s < MIN_EXACT_CHARS and not (i == 0 and j == len(pieces)):
                break
            hit = memory.exact_simplified(simplified[s:e])
            if hit is not None:
                found = (i, j, hit)
                break
        if found:
            out.append(found)
            i = found[1]
        else:
            out.append((i, i + 1, None))
            i += 1
    return out


def plan_block(
    index: int, text: str, memory: TranslationMemory | None, terms: TermFinder | None
) -> list[Sentence]:
    """The block's sentences with their TM translation, or origin "mt" (to be done)."""
    from xyconvert.glossary.normalize import to_simplified

    pieces = _pieces(text)
    if memory is None:
        runs = [(i, i + 1, None) for i in range(len(pieces))]
    else:
        runs = _exact_runs(text, to_simplified(text), pieces, memory)
    sentences: list[Sentence] = []
    pending: list[tuple[int, int]] = []  # unmatched piece spans of the current sentence

    def flush() -> None:
        if not pending:
            return
        spans = list(pending)
        pending.clear()
        whole = _fuzzy(index, text, spans[0][0], spans[-1][1], memory, terms)
        if whole.origin != "mt" or len(spans) == 1:
            sentences.append(whole)
            return
        # No match for the sentence: its clauses may match one by one (the TMX
        # aligns some reports clause by clause); the rest goes to MT in runs.
        first = len(sentences)
        for s, e in spans:
            piece = _fuzzy(index, text, s, e, memory, terms)
            last = sentences[-1] if len(sentences) > first else None
            if piece.origin == "mt" and last is not None and last.origin == "mt":
                sentences[-1] = Sentence(index, last.start, e, text[last.start : e], "mt")
            else:
                sentences.append(piece)

    for i, j, hit in runs:
        if hit is not None:
            flush()
            s, e = pieces[i][0], pieces[j - 1][1]
            sentences.append(
                Sentence(index, s, e, text[s:e], "tm-exact", hit.unit.en, 1.0, hit.unit.zh,
                         hit.unit.origin)
            )
            continue
        s, e = pieces[i]
        pending.append((s, e))
        if text[s:e].rstrip("".join(CLOSERS))[-1:] in SENTENCE_END:
            flush()
    flush()
    return sentences


def _fuzzy(
    index: int, text: str, s: int, e: int, memory: TranslationMemory | None, terms: TermFinder | None
) -> Sentence:
    source = text[s:e]
    if memory is not None:
        for cand in memory.fuzzy(source):
            fixed = repair(source, cand.unit.zh, cand.unit.en, terms)
            if fixed is not None:
                return Sentence(index, s, e, source, "tm-fuzzy", fixed.english, cand.score,
                                cand.unit.zh, cand.unit.origin, fixed.numbers + fixed.terms,
                                cand.unit.en)
    return Sentence(index, s, e, source, "mt")


def translate_blocks(
    texts: Sequence[str | None],
    memory: TranslationMemory | None,
    *,
    terms: TermFinder | None = None,
    machine: MachineTranslate | None = None,
) -> TMTranslation:
    """English per block (None for tables): TM first, then ``machine`` or untranslated."""
    plans: list[list[Sentence] | None] = []
    for index, text in enumerate(texts):
        plans.append(None if text is None else plan_block(index, text, memory, terms))
    todo = [s for plan in plans if plan for s in plan if s.origin == "mt"]
    result = TMTranslation([], [])
    if todo and machine is not None:
        done = machine([s.source for s in todo])
        result.mt = done
        for s, english in zip(todo, done.blocks):
            s.english = english or ""
    else:
        for s in todo:
            s.origin = "untranslated"
            s.english = UNTRANSLATED.format(s.source)
    for plan in plans:
        if plan is None:
            result.blocks.append(None)
            continue
        result.sentences.extend(plan)
        result.blocks.append(" ".join(s.english.strip() for s in plan if s.english.strip()))
    return result


def glossary_finder(glossary: Any) -> TermFinder:
    """A :data:`TermFinder` on a :class:`~xyconvert.glossary.Glossary` (all renderings)."""
    matcher = glossary.matcher

    def find(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        return [(s, e, entry.renderings) for s, e, entry in matcher.find(text)]

    return find


__all__ = [
    "Sentence",
    "TMTranslation",
    "glossary_finder",
    "plan_block",
    "sentence_key",
    "translate_blocks",
]


# -- documents -------------------------------------------------------------------------

_MEMORIES: dict[tuple[tuple[str, float], ...], TranslationMemory] = {}


def load_memory(paths: Sequence[Any]) -> TranslationMemory:
    """The memory of ``paths`` (cached per process, keyed by path and mtime)."""
    import os

    key = tuple((str(p), os.path.getmtime(p) if os.path.exists(p) else 0.0) for p in paths)
    memory = _MEMORIES.get(key)
    if memory is None:
        memory = _MEMORIES[key] = TranslationMemory.from_files([str(p) for p in paths])
    return memory


def translate_document(
    doc: Any,
    glossary: Any,
    tm_paths: Sequence[Any],
    *,
    use_mt: bool = True,
    device: str = "cpu",
    progress: Any = None,
    glossary_version: str | None = None,
) -> tuple[TMTranslation, dict[str, Any]]:
    """TM-first translation of ``doc``; the English blocks and the JSON report.

    MT runs when ``use_mt`` and a zh→en model is installed; otherwise sentences
    without a TM match are marked untranslated and a warning says so.
    """
    memory = load_memory(tm_paths) if tm_paths else None
    finder = glossary_finder(glossary)
    machine = None
    warnings: list[str] = []
    if use_mt:
        machine = _machine(glossary, doc, device, progress, glossary_version)
        if machine is None:
            warnings.append(
                "no zh→en model installed: only translation-memory matches are translated, "
                "the other sentences are marked [untranslated: …] "
                "(xyconvert models install FILE.argosmodel)"
            )
    texts = [None if b.type == "table" else b.text for b in doc.blocks]
    result = translate_blocks(texts, memory, terms=finder, machine=machine)
    result.warnings = warnings
    report: dict[str, Any] = {
        "memory": {
            "files": [str(p) for p in tm_paths],
            "segments": len(memory) if memory else 0,
            "fuzzy_threshold": memory.threshold if memory else None,
            "similarity": "normalized Levenshtein similarity, numbers masked",
        },
        "counts": result.counts(),
        "sentences": [s.to_dict() for s in result.sentences],
        "terms": result.mt.terms_report() if result.mt is not None else [],
    }
    if result.mt is not None:
        stats = result.mt.stats
        report["stats"] = {**asdict(stats), "rate": stats.rate}
    return result, report


def _machine(
    glossary: Any, doc: Any, device: str, progress: Any, glossary_version: str | None
) -> MachineTranslate | None:
    try:
        from xyconvert.translate.packages import find_package

        if find_package("zh", "en") is None:
            return None
    except ImportError:  # pragma: no cover - argostranslate missing
        return None
    from xyconvert.translate.engine import EngineOptions, get_engine

    engine = get_engine(
        EngineOptions(device=device),
        path=doc.metadata.source_name or "document",
        glossary_version=glossary_version,
    )
    matcher = glossary.matcher

    def terms(text: str) -> list[tuple[int, int, str]]:
        return [(s, e, entry.en) for s, e, entry in matcher.find(text)]

    def machine(texts: list[str]) -> Any:
        return engine.translate_texts(texts, terms=terms, progress=progress)

    return machine


class BriefTranslator:
    """A briefing ``translate`` function (Chinese texts → English) that asks the TM first.

    With ``machine`` (the model translator of :func:`xyconvert.briefing.model_translator`)
    the rest is machine-translated; without, a text is returned only when the TM
    covers all of it ("" otherwise, which the briefing marks untranslated).
    ``sentences`` collects the per-sentence report of every call.
    """

    def __init__(self, glossary: Any, tm_paths: Sequence[Any], machine: Any = None) -> None:
        self.memory = load_memory(tm_paths)
        self.finder = glossary_finder(glossary)
        self.machine = machine
        self.sentences: list[Sentence] = []

    def __call__(self, texts: Sequence[str]) -> list[str]:
        from types import SimpleNamespace

        adapter = None
        if self.machine is not None:
            machine = self.machine

            def adapter(sources: list[str]) -> Any:
                return SimpleNamespace(blocks=machine(sources), terms_report=list)

        result = translate_blocks(list(texts), self.memory, terms=self.finder, machine=adapter)
        offset = len(self.sentences)
        for s in result.sentences:
            s.block += offset  # number the briefing's texts across calls
        self.sentences.extend(result.sentences)
        out = []
        for index, english in enumerate(result.blocks):
            own = [s for s in result.sentences if s.block == index + offset]
            if any(s.origin == "untranslated" for s in own):
                out.append("")
            else:
                out.append(english or "")
        return out

    def report(self) -> dict[str, Any]:
        counts = Counter(s.origin for s in self.sentences)
        return {
            "files": self.memory.files,
            "counts": {k: counts.get(k, 0) for k in ("tm-exact", "tm-fuzzy", "mt", "untranslated")},
            "sentences": [s.to_dict() for s in self.sentences],
        }
