"""Offline translation: our whole-document engine vs Argos Translate's per-paragraph loop.

Both run on the same tiny but real Argos package (tests/tinymodel.py: SentencePiece
trained on the sample, random int8 CTranslate2 Transformer), installed into a
temporary ARGOS_PACKAGES_DIR, and on the same sentences (samples/seed_gold.md).

* ``baseline``: the real ``argostranslate.translate.translate(paragraph, "zh", "en")``,
  paragraph by paragraph, with its own settings (beam 4, 32-token batches, compute
  "auto"). Offline it cannot run as shipped: its zh sentence splitter (MiniSBD) needs
  a model download, which fails here (``baseline_sbd_error``). So its sentencizer
  object is swapped for one that calls our rule splitter; everything else (paragraph
  loop, tokenizer, ``apply_packaged_translation``, ``translate_batch`` call) is
  Argos Translate's own code.
* ``ours_same_sentences``: ``Engine.translate_sentences`` on exactly the sentences the
  baseline translated, cache off, same beam/length penalty, no decoding-length cap
  — the apples-to-apples figure; ``speedup`` is its ratio to the baseline.
* ``ours_pipeline``: the full ``translate_document`` path (splitting, number and term
  protection, restore), cache off, default options.
* ``cache_rerun_s``: the same document again with the sentence cache warm.
* ``help_startup_s``: ``xyconvert --help`` in a subprocess, best of 5.

Run: ``python bench/bench_translate.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # tinymodel (the name "tests" is taken)


def _paragraphs() -> list[str]:
    lines = (ROOT / "samples" / "seed_gold.md").read_text("utf-8").splitlines()
    return [ln.lstrip("# ").strip() for ln in lines if ln.strip()]


def _document(paragraphs: list[str]):
    from xyconvert.model import Block, Document, Metadata

    return Document(
        Metadata(source_name="seed_gold.md"), [Block("paragraph", p) for p in paragraphs]
    )


def _help_startup() -> float:
    exe = Path(sys.executable).with_name("xyconvert")
    cmd = (
        [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "xyconvert.cli", "--help"]
    )
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        best = min(best, time.perf_counter() - t0)
    return best


class _RuleSentencizer:
    """Stands in for MiniSBD (which needs a download) inside Argos Translate."""

    def __init__(self) -> None:
        from xyconvert.translate.sentences import split_sentences

        self.split = split_sentences
        self.sentences: list[str] = []

    def split_sentences(self, text: str) -> list[str]:
        out = self.split(text)
        self.sentences.extend(out)
        return out


def run(limit: int = 40, **model_kwargs) -> dict[str, float | int | str]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    # Before argostranslate is imported: its settings read these once.
    os.environ["ARGOS_PACKAGES_DIR"] = str(tmp / "packages")
    os.environ["XYCONVERT_CACHE_DIR"] = str(tmp / "cache")
    os.environ.setdefault("XDG_DATA_HOME", str(tmp / "data"))
    os.environ.setdefault("XDG_CACHE_HOME", str(tmp / "xdgcache"))

    import tinymodel

    from xyconvert.translate import packages
    from xyconvert.translate.engine import Engine, EngineOptions, translate_document_detailed

    archive = tinymodel.build_package(tmp / "dist", **model_kwargs)
    package = packages.install_file(archive)
    paragraphs = _paragraphs()[:limit]
    results: dict[str, float | int | str] = {"paragraphs": len(paragraphs)}

    # --- baseline: Argos Translate's own translate(), paragraph by paragraph ---------
    try:
        base_s, base_matched_s, sentences = _baseline(paragraphs, results)
    except ImportError as exc:  # the default, light install has no stanza/torch
        results["baseline"] = f"skipped ({exc}); pip install '.[argos-full]' to run it"
        base_s = base_matched_s = float("nan")
        sentences = [t for p in paragraphs for t in _RuleSentencizer().split(p)]
        results["sentences"] = len(sentences)

    # --- ours on the very same sentences ---------------------------------------------
    same = EngineOptions(use_cache=False, max_decoding_ratio=None)
    engine = Engine(package, same).load()
    engine.translate_sentences(sentences[:4])  # warm-up
    t0 = time.perf_counter()
    engine.translate_sentences(sentences)
    ours_s = time.perf_counter() - t0
    results["ours_same_sentences_s"] = ours_s
    results["ours_sent_per_s"] = len(sentences) / ours_s
    results["speedup"] = base_s / ours_s
    results["speedup_vs_matched_threads"] = base_matched_s / ours_s
    results["threads_inter_intra"] = "x".join(map(str, _threads()))

    # --- the full pipeline, then a warm-cache re-run ----------------------------------
    doc = _document(paragraphs)
    pipe = Engine(package, EngineOptions(use_cache=False)).load()
    t0 = time.perf_counter()
    out = translate_document_detailed(doc, engine=pipe)
    results["ours_pipeline_s"] = time.perf_counter() - t0
    results["ours_pipeline_segments"] = out.stats.segments

    cached = Engine(package, EngineOptions(), cache_path=tmp / "cache" / "bench.sqlite3").load()
    t0 = time.perf_counter()
    translate_document_detailed(doc, engine=cached)
    results["cache_first_run_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rerun = translate_document_detailed(doc, engine=cached)
    results["cache_rerun_s"] = time.perf_counter() - t0
    results["cache_rerun_hits"] = rerun.stats.cached

    results["help_startup_s"] = _help_startup()
    return results


def _baseline(paragraphs: list[str], results: dict) -> tuple[float, float, list[str]]:
    """Argos Translate's own translate(), paragraph by paragraph (needs the full install:
    stanza, spaCy, PyTorch — ``pip install '.[argos-full]'``)."""
    import argostranslate.translate as at

    translation = at.get_translation_from_codes("zh", "en")
    inner = translation.underlying  # CachedTranslation → PackageTranslation
    try:
        inner.sentencizer.split_sentences("测试。")
        results["baseline_sbd_error"] = "none (MiniSBD model present)"
    except Exception as exc:  # offline: the MiniSBD download fails
        results["baseline_sbd_error"] = f"{type(exc).__name__}: {str(exc)[:80]}"
    sentencizer = _RuleSentencizer()
    inner.sentencizer = sentencizer
    at.translate(paragraphs[0], "zh", "en")  # load the model outside the timing
    sentencizer.sentences.clear()

    def baseline_pass() -> float:
        translation.cache.clear()  # CachedTranslation: no paragraph is a repeat
        sentencizer.sentences.clear()
        t0 = time.perf_counter()
        for p in paragraphs:
            at.translate(p, "zh", "en")
        return time.perf_counter() - t0

    base_s = baseline_pass()
    sentences = list(sentencizer.sentences)
    results["sentences"] = len(sentences)
    results["baseline_s"] = base_s
    results["baseline_sent_per_s"] = len(sentences) / base_s
    # The same loop with our thread settings (Argos defaults to 1 replica and
    # intra_threads=0, i.e. CTranslate2's choice of OpenMP threads): isolates the gain
    # that comes from whole-document batching rather than from threads.
    from argostranslate import settings as argos_settings

    argos_settings.inter_threads, argos_settings.intra_threads = _threads()
    inner.translator = None
    at.translate(paragraphs[0], "zh", "en")
    base_matched_s = baseline_pass()
    results["baseline_matched_threads_s"] = base_matched_s

    return base_s, base_matched_s, sentences


def _threads() -> tuple[int, int]:
    from xyconvert.translate.engine import default_threads

    return default_threads()


if __name__ == "__main__":
    # --base: a Transformer-base-sized random model (d 512, 6 layers), as real Argos
    # packages are, on fewer paragraphs; shows how the gap changes with model size.
    base = {"d_model": 512, "ffn": 2048, "layers": 6, "heads": 8}
    kwargs = {"limit": 12, **base} if "--base" in sys.argv else {}
    for key, value in run(**kwargs).items():
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        print(f"{key:28s} {shown}")
