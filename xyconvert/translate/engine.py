"""Offline zh→en translation of whole documents on Argos Translate packages.

Why not ``argostranslate.translate``: it translates paragraph by paragraph (one small
``translate_batch`` per paragraph, 32-token batches), imports stanza/torch at import
time and downloads a sentence-splitting model on first use. We load the package's
CTranslate2 model and SentencePiece tokenizer directly and:

1. split every block into sentences by rule (:mod:`.sentences`);
2. protect glossary terms and amounts (:mod:`.placeholders`, :mod:`.numbers`);
3. translate the document's *unique*, not-yet-cached sentences in one asynchronous
   ``translate_batch`` call, sorted by length, in token-based batches, int8 on CPU;
4. restore protected spans (re-inserting any the model dropped) and re-join blocks.

Heavy imports (ctranslate2, sentencepiece, argostranslate) happen only in
:meth:`Engine.load` / when translating.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from xyconvert.repair.structure import cn_number
from xyconvert.translate import numbers, placeholders
from xyconvert.translate.cache import SentenceCache
from xyconvert.translate.packages import PackageInfo, require_model
from xyconvert.translate.sentences import split_segments
from xyconvert.translate.terms import TermReport, Terms, as_matcher

if TYPE_CHECKING:
    from xyconvert.model import Document

Progress = Callable[[int, int], None]  # (sentences done, sentences total)

# Bump when a change in this module alters outputs, to invalidate cached sentences.
ENGINE_VERSION = 1


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_threads(cores: int | None = None) -> tuple[int, int]:
    """(inter_threads, intra_threads) for this machine.

    A document is many independent batches, so parallel replicas (inter_threads) beat
    OpenMP threads inside one batch (intra_threads): measured on 2 cores with the test
    model, 2×1 took 0.52 s where 1×2 took 3.9 s and 1×1 0.9 s, with identical output
    (bench/bench_translate.py). Past 4 cores, replicas of 2 threads keep memory (one
    model copy per replica is shared, but each holds its own work buffers) in check.
    """
    cores = cores or _cores()
    if cores <= 4:
        return cores, 1
    return cores // 2, 2


@dataclass(frozen=True)
class EngineOptions:
    device: str = "cpu"  # "cpu", "cuda" or "auto" (CUDA when a GPU is visible)
    compute_type: str | None = None  # None: int8 on CPU, int8_float16 on CUDA
    beam_size: int = 4  # as Argos Translate
    length_penalty: float = 0.2  # as Argos Translate
    max_batch_tokens: int = 2048
    max_decoding_length: int = 256
    max_decoding_ratio: float | None = 2.0  # per run: cap = ratio × longest source + 10
    inter_threads: int | None = None
    intra_threads: int | None = None
    term_mode: str = "placeholder"  # or "inline", see placeholders.py
    max_sentence_chars: int = 100
    use_cache: bool = True


@dataclass
class TranslationStats:
    segments: int = 0  # sentence segments in the document
    unique: int = 0  # distinct MT inputs
    cached: int = 0  # served from the sentence cache
    translated: int = 0  # sent to the model
    seconds: float = 0.0
    device: str = ""
    compute_type: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.translated / self.seconds if self.seconds > 0 else 0.0


@dataclass
class DocumentTranslation:
    blocks: list[str | None]  # one English text per block, None for tables
    terms: list[TermReport]
    stats: TranslationStats

    def terms_report(self) -> list[dict[str, object]]:
        return [t.to_dict() for t in self.terms]


class Engine:
    """A loaded zh→en model plus its tokenizer, sentence cache and options."""

    def __init__(
        self,
        package: PackageInfo,
        options: EngineOptions | None = None,
        *,
        glossary_version: str | None = None,
        cache_path: os.PathLike[str] | str | None = None,
    ) -> None:
        self.package = package
        self.options = options or EngineOptions()
        self.glossary_version = glossary_version or ""
        self.cache_path = cache_path
        self._translator: Any = None
        self._sp: Any = None
        self.device = ""
        self.compute_type = ""
        self.warnings: list[str] = []

    # -- loading ---------------------------------------------------------------------

    def load(self) -> Engine:
        if self._translator is not None:
            return self
        import ctranslate2
        import sentencepiece

        opts = self.options
        device = opts.device
        gpus = ctranslate2.get_cuda_device_count() if device in ("cuda", "auto") else 0
        if device == "auto":
            device = "cuda" if gpus else "cpu"
        elif device == "cuda" and not gpus:
            self.warnings.append("CUDA requested but no GPU is visible; translating on CPU")
            device = "cpu"
        supported = ctranslate2.get_supported_compute_types(device)
        compute = opts.compute_type or ("int8" if device == "cpu" else "int8_float16")
        if compute not in supported:
            compute = "default"
        inter, intra = default_threads()
        if device == "cuda":
            inter, intra = 1, 1
        try:
            self._translator = ctranslate2.Translator(
                str(self.package.model_dir),
                device=device,
                compute_type=compute,
                inter_threads=opts.inter_threads or inter,
                intra_threads=opts.intra_threads if opts.intra_threads is not None else intra,
            )
            self._sp = sentencepiece.SentencePieceProcessor(
                model_file=str(self.package.sentencepiece_model)
            )
        except (RuntimeError, OSError, ValueError) as exc:
            # A damaged install: one line and exit 7, not a traceback.
            from xyconvert.errors import NoTranslationModel

            self._translator = None
            raise NoTranslationModel(
                self.package.path,
                f"the installed model cannot be loaded ({str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__}); "
                "reinstall it with `xyconvert models install FILE.argosmodel`",
            ) from None
        self.device, self.compute_type = device, compute
        return self

    @property
    def namespace(self) -> str:
        """Everything besides the input text that decides the output (cache key)."""
        o = self.options
        return json.dumps(
            {
                "engine": ENGINE_VERSION,
                "package": self.package.cache_id,
                "device": self.device or o.device,
                "compute": self.compute_type or o.compute_type,
                "beam": o.beam_size,
                "lp": o.length_penalty,
                "maxlen": o.max_decoding_length,
                "ratio": o.max_decoding_ratio,
                "glossary": self.glossary_version,
            },
            sort_keys=True,
        )

    # -- raw MT ------------------------------------------------------------------------

    def translate_sentences(
        self,
        sources: Sequence[str],
        progress: Progress | None = None,
        stats: TranslationStats | None = None,
    ) -> list[str]:
        """MT of already-prepared sentences: identical ones once, cached ones not at all."""
        self.load()
        stats = stats if stats is not None else TranslationStats()
        unique = [s for s in dict.fromkeys(sources) if s.strip()]
        cache = None
        if self.options.use_cache:
            cache = SentenceCache(self.namespace, self.cache_path)
        done: dict[str, str] = cache.get_many(unique) if cache else {}
        todo = [s for s in unique if s not in done]
        stats.unique, stats.cached, stats.translated = len(unique), len(done), len(todo)
        total = len(unique)
        if progress:
            progress(len(done), total)

        t0 = time.perf_counter()
        if todo:
            tokens = self._sp.encode(todo, out_type=str)
            # Sort by length so each token-budget batch holds similar lengths (little
            # padding); CTranslate2 keeps this order when it re-batches.
            order = sorted(range(len(todo)), key=lambda i: len(tokens[i]))
            results = []
            for chunk in self._chunks(order, tokens):
                results.extend(self._submit([tokens[i] for i in chunk]))
            prefix = self.package.target_prefix
            new: list[tuple[str, str]] = []
            finished = len(done)
            last_report = 0.0
            for pos, res in zip(order, results, strict=True):
                hyp = res.result().hypotheses[0]
                if prefix and hyp and hyp[0] == prefix:
                    hyp = hyp[1:]
                text = self._sp.decode_pieces(hyp).replace("▁", " ").strip()
                done[todo[pos]] = text
                new.append((todo[pos], text))
                finished += 1
                now = time.perf_counter()
                if progress and (now - last_report > 0.1 or finished == total):
                    progress(finished, total)
                    last_report = now
            if cache:
                cache.put_many(new)
        stats.seconds = time.perf_counter() - t0
        if cache:
            if cache.error:
                stats.warnings.append(cache.error)
            cache.close()
        stats.device, stats.compute_type = self.device, self.compute_type
        stats.warnings.extend(self.warnings)
        return [done.get(s, "") for s in sources]

    def _chunks(self, order: list[int], tokens: list[list[str]]) -> list[list[int]]:
        """Consecutive length-sorted runs of ~2 batches each, so every run gets a
        decoding cap fitted to its own source lengths (see :meth:`_submit`)."""
        budget = self.options.max_batch_tokens * 2
        chunks: list[list[int]] = [[]]
        used = 0
        for i in order:
            if chunks[-1] and used + len(tokens[i]) > budget:
                chunks.append([])
                used = 0
            chunks[-1].append(i)
            used += len(tokens[i])
        return [c for c in chunks if c]

    def _submit(self, batch: list[list[str]]) -> list[Any]:
        """Queue one asynchronous, token-batched translate_batch call."""
        opts = self.options
        max_len = opts.max_decoding_length
        if opts.max_decoding_ratio:
            # Stops a runaway hypothesis (the repetition loops NMT models fall into on
            # odd inputs) long before the global cap; English rarely needs more than
            # twice the Chinese SentencePiece tokens.
            longest = max(len(t) for t in batch)
            max_len = min(max_len, int(opts.max_decoding_ratio * longest) + 10)
        prefix = self.package.target_prefix
        return self._translator.translate_batch(
            batch,
            target_prefix=[[prefix]] * len(batch) if prefix else None,
            max_batch_size=opts.max_batch_tokens,
            batch_type="tokens",
            asynchronous=True,  # all runs queue at once; results are read in order
            beam_size=opts.beam_size,
            length_penalty=opts.length_penalty,
            max_decoding_length=max_len,
            replace_unknowns=True,
        )

    # -- documents ---------------------------------------------------------------------

    def translate_texts(
        self,
        texts: Sequence[str | None],
        *,
        terms: Terms = None,
        progress: Progress | None = None,
    ) -> DocumentTranslation:
        """Translate a list of block texts (None passes through as None)."""
        matcher = as_matcher(terms)
        mode = self.options.term_mode
        plans: list[_BlockPlan | None] = []
        mt_inputs: list[str] = []
        for text in texts:
            if text is None:
                plans.append(None)
                continue
            plan = _plan_block(text, matcher, mode, self.options.max_sentence_chars)
            plans.append(plan)
            mt_inputs.extend(seg.mt_input for seg in plan.segments if seg.needs_mt)

        stats = TranslationStats()
        outputs = iter(self.translate_sentences(mt_inputs, progress, stats))
        reports: dict[str, TermReport] = {}
        blocks: list[str | None] = []
        for bi, plan in enumerate(plans):
            if plan is None:
                blocks.append(None)
                continue
            pieces: list[str] = []
            outcomes: list[placeholders.Outcome] = []
            for seg in plan.segments:
                raw = next(outputs) if seg.needs_mt else seg.mt_input
                english, outs = placeholders.restore(raw, seg.slots, mode)
                outcomes.extend(outs)
                if seg.continues:
                    english = re.sub(r"[.;。；]+$", "", english).rstrip()
                    english = english + "," if english and english[-1] not in ",:" else english
                pieces.append(english)
            block = " ".join(p for p in pieces if p)
            if plan.marker:
                block = f"{plan.marker} {block}".strip()
            blocks.append(block)
            lowered = block.lower()
            for out in outcomes:
                if out.slot.kind != "term":
                    continue
                rep = reports.setdefault(
                    out.slot.source, TermReport(out.slot.source, out.slot.english)
                )
                rep.occurrences += 1
                rep.in_place += out.in_place
                rep.reinserted += not out.in_place
                rep.honoured += out.slot.english.lower() in lowered
                rep.blocks.append(bi)
        stats.segments = sum(len(p.segments) for p in plans if p)
        return DocumentTranslation(blocks, sorted(reports.values(), key=lambda r: r.zh), stats)


# -- planning a block ------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十"
_MARKER = re.compile(
    rf"^\s*(?:（(?P<paren_cn>[{_CN_NUM}]+)）|(?P<cn>[{_CN_NUM}]+)、"
    r"|[（(](?P<paren_num>\d+)[）)]|(?P<num>\d+)[.、．](?!\d))\s*"
)
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
_CJK_PUNCT = str.maketrans("。，；：、（）！？“”‘’", ".,;:,()!?\"\"''")
_HAS_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def english_marker(text: str) -> tuple[str, str]:
    """Split a leading list/heading marker off ``text``: ('I.', rest) for '一、rest'."""
    m = _MARKER.match(text)
    if not m:
        return "", text
    if m["cn"]:
        n = cn_number(m["cn"])
        marker = f"{_ROMAN[n - 1]}." if 0 < n <= len(_ROMAN) else f"{n}."
    elif m["paren_cn"]:
        marker = f"({cn_number(m['paren_cn'])})"
    elif m["paren_num"]:
        marker = f"({m['paren_num']})"
    else:
        marker = f"{m['num']}."
    return marker, text[m.end() :]


@dataclass
class _Segment:
    mt_input: str
    slots: list[placeholders.Slot]
    continues: bool
    needs_mt: bool


@dataclass
class _BlockPlan:
    marker: str
    segments: list[_Segment]


def _plan_block(text: str, matcher, mode: str, max_chars: int) -> _BlockPlan:
    marker, rest = english_marker(text)
    segments = []
    for seg in split_segments(rest, max_chars):
        spans = []
        if matcher is not None:
            spans = [
                placeholders.Span(s, e, en, "term", seg.text[s:e]) for s, e, en in matcher(seg.text)
            ]
        amounts = [
            placeholders.Span(a.start, a.end, a.english, "number", a.text)
            for a in numbers.find_amounts(seg.text)
        ]
        merged = placeholders.merge_spans(spans, amounts)
        mt_input, slots = placeholders.protect(seg.text, merged, mode)
        # What is left once the protected spans are out: if no Chinese remains (a bare
        # amount, "2023", a Latin name), MT has nothing to do and could only garble it.
        residue = seg.text
        for sp in reversed(merged):
            residue = residue[: sp.start] + " " + residue[sp.end :]
        needs_mt = bool(_HAS_CJK.search(residue))
        if not needs_mt:
            mt_input = mt_input.translate(_CJK_PUNCT)
        segments.append(_Segment(mt_input, slots, seg.continues, needs_mt))
    return _BlockPlan(marker, segments)


# -- module-level convenience ----------------------------------------------------------

_ENGINES: dict[tuple[str, EngineOptions, str], Engine] = {}


def get_engine(
    options: EngineOptions | None = None,
    *,
    path: object = "xyconvert",
    glossary_version: str | None = None,
) -> Engine:
    """A loaded engine for the installed zh→en package (reused across documents)."""
    options = options or EngineOptions()
    package = require_model(path)
    key = (package.cache_id, options, glossary_version or "")
    engine = _ENGINES.get(key)
    if engine is None:
        engine = Engine(package, options, glossary_version=glossary_version).load()
        _ENGINES[key] = engine
    return engine


def _block_texts(doc: Document) -> list[str | None]:
    return [None if b.type == "table" else b.text for b in doc.blocks]


def translate_document_detailed(
    doc: Document,
    *,
    terms: Terms = None,
    progress: Progress | None = None,
    device: str = "cpu",
    options: EngineOptions | None = None,
    glossary_version: str | None = None,
    engine: Engine | None = None,
) -> DocumentTranslation:
    """Translate ``doc``; blocks plus a per-term fidelity report and timing stats."""
    if engine is None:
        options = options or EngineOptions(device=device)
        path = doc.metadata.source_name or "document"
        engine = get_engine(options, path=path, glossary_version=glossary_version)
    return engine.translate_texts(_block_texts(doc), terms=terms, progress=progress)


def translate_document(
    doc: Document,
    *,
    terms: Terms = None,
    progress: Progress | None = None,
    device: str = "cpu",
    options: EngineOptions | None = None,
    glossary_version: str | None = None,
) -> list[str | None]:
    """One English text per block of ``doc`` (None for tables).

    Raises :class:`xyconvert.errors.NoTranslationModel` when no zh→en package is
    installed — call :func:`xyconvert.translate.require_model` before writing outputs.
    """
    return translate_document_detailed(
        doc,
        terms=terms,
        progress=progress,
        device=device,
        options=options,
        glossary_version=glossary_version,
    ).blocks


def options_dict(options: EngineOptions) -> dict[str, Any]:
    return asdict(options)
