"""Batch conversion: many inputs, worker processes, a manifest to resume and skip.

Each input is converted in its own worker process (bounded memory, and a
per-file timeout can kill it) and only the rendered bytes come back; the main
process alone writes files (atomically) and the manifest, so an interrupted
batch leaves complete outputs and a manifest that says which ones.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from xyconvert import __version__, errors
from xyconvert.atomic import write_text
from xyconvert.errors import XyError

MANIFEST = ".xyconvert-manifest.json"
INPUT_SUFFIXES = {".txt", ".text", ".pdf", ".md", ".docx"}


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to convert one input (picklable)."""

    path: Path
    stem: str
    options: dict[str, Any]  # ConvertOptions fields
    formats: tuple[str, ...]
    reference_docx: Path | None = None
    glossaries: tuple[Path, ...] = ()
    translate: bool = False
    progress: bool = True  # a translation progress bar (off when a batch bar is shown)
    device: str = "cpu"  # where translation runs: cpu, cuda or auto
    tm: tuple[Path, ...] = ()  # translation memories (TMX), used before MT


@dataclass
class Result:
    path: Path
    status: str  # "converted", "skipped", "failed"
    files: dict[str, bytes] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    exit_code: int = 0
    problem: str = ""
    translation: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


def expand_inputs(items: Iterable[Path]) -> list[Path]:
    """Files as given; directories contribute their .txt/.pdf/.md files (sorted, recursive)."""
    out: list[Path] = []
    for item in items:
        if item.is_dir():
            out += sorted(
                p for p in item.rglob("*")
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES and not p.name.startswith(".")
            )
        else:
            out.append(item)
    return out


def stem_of(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def safe_stem(stem: str) -> str | None:
    """The output stem, or None when it could escape the output directory."""
    if not stem or stem in {".", ".."} or "/" in stem or "\\" in stem or "\x00" in stem:
        return None
    return stem


def options_key(job: Job) -> str:
    """A digest of everything but the input that decides the outputs."""
    data = {
        "options": job.options,
        "formats": sorted(job.formats),
        "reference_docx": _file_digest(job.reference_docx) if job.reference_docx else None,
        "glossaries": [_file_digest(p) for p in job.glossaries],
        "translate": job.translate,
        "device": job.device if job.translate else None,
        "tool_version": __version__,
    }
    if job.tm:  # only then, so manifests written before --tm existed stay valid
        data["tm"] = [_file_digest(p) for p in job.tm]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return f"missing:{path}"


# ------------------------------------------------------------------ the worker


def run_job(job: Job) -> Result:
    """Convert one input into rendered files (no writing). Never raises."""
    from xyconvert.outputs import RenderOptions, render
    from xyconvert.pipeline import ConvertOptions, load_document

    try:
        doc = load_document(job.path, ConvertOptions(**job.options))
        opts = RenderOptions(formats=list(job.formats), reference_docx=job.reference_docx)
        translation = None
        if "json" in job.formats or job.translate or "xliff" in job.formats:
            from xyconvert.glossary import hits_to_json, load_glossary, match_document

            glossary = load_glossary(list(job.glossaries))
            opts.extra_json["glossary"] = hits_to_json(match_document(doc, glossary), glossary)
            opts.glossary = glossary
            if job.tm or (job.translate and "xliff" in job.formats):
                translation = _translate_tm(doc, glossary, opts, job)
            elif job.translate:
                translation = _translate(doc, glossary, opts, progress=job.progress, device=job.device)
        return Result(
            job.path, "converted", files=render(doc, job.stem, opts), translation=translation,
            warnings=list(doc.metadata.warnings),
        )
    except XyError as exc:
        return Result(job.path, "failed", exit_code=exc.exit_code, problem=exc.problem)
    except MemoryError:
        return Result(job.path, "failed", exit_code=errors.UNREADABLE_INPUT, problem="out of memory")
    except Exception as exc:  # a bug: report it on one line, keep the batch going
        if os.environ.get("XYCONVERT_DEBUG"):
            traceback.print_exc()
        return Result(
            job.path, "failed", exit_code=errors.INTERNAL,
            problem=f"internal error ({type(exc).__name__}: {exc}); set XYCONVERT_DEBUG=1 for details",
        )


def _translate(doc: Any, glossary: Any, opts: Any, *, progress: bool, device: str) -> dict[str, Any]:
    from xyconvert.glossary import match_text
    from xyconvert.translate import terminal_progress, translate_document_detailed

    def terms(text: str) -> list[tuple[int, int, str]]:
        # The glossary's automaton (script-insensitive, longest match) finds the terms.
        return [(m.start, m.end, m.en) for m in match_text(text, glossary)]

    with terminal_progress("translating") as bar:
        result = translate_document_detailed(
            doc, terms=terms, progress=bar if progress else None, device=device,
            glossary_version=_glossary_version(glossary),
        )
    opts.english = list(result.blocks)
    stats = result.stats
    report = {
        "terms": result.terms_report(),
        "stats": {**asdict(stats), "rate": stats.rate},
    }
    opts.extra_json["translation"] = report
    return report


def _translate_tm(doc: Any, glossary: Any, opts: Any, job: Job) -> dict[str, Any]:
    """Translation-memory first (see xyconvert/tm/apply.py); MT only with --translate."""
    from xyconvert.tm.apply import translate_document
    from xyconvert.translate import terminal_progress

    with terminal_progress("translating") as bar:
        result, report = translate_document(
            doc, glossary, job.tm, use_mt=job.translate, device=job.device,
            progress=bar if job.progress else None, glossary_version=_glossary_version(glossary),
        )
    doc.metadata.warnings.extend(result.warnings)
    if job.translate:
        opts.english = list(result.blocks)
    opts.sentences = result.sentences
    opts.extra_json["translation"] = report
    return report


def _glossary_version(glossary: Any) -> str:
    text = "".join(f"{e.zh}\t{e.en}\n" for e in sorted(glossary, key=lambda e: e.zh))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _child(job: Job, conn: Any) -> None:
    import signal

    # Ctrl-C reaches the whole process group: the parent decides, and kills us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send(run_job(job))
    finally:
        conn.close()


# ------------------------------------------------------------------ the pool


class Pool:
    """Runs jobs in worker processes, at most ``jobs`` at a time, killing any over ``timeout``."""

    def __init__(self, jobs: int, timeout: float | None) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout

    def run(self, todo: list[Job], on_done: Callable[[Result], None]) -> None:
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        pending = list(reversed(todo))
        running: dict[Any, tuple[Job, Any, float]] = {}
        try:
            while pending or running:
                while pending and len(running) < self.jobs:
                    job = pending.pop()
                    parent, child = ctx.Pipe(duplex=False)
                    proc = ctx.Process(target=_child, args=(job, child), daemon=True)
                    proc.start()
                    child.close()
                    running[parent] = (job, proc, time.monotonic())
                ready = mp.connection.wait(list(running), timeout=0.2)
                for conn in ready:
                    job, proc, _ = running.pop(conn)
                    try:
                        result = conn.recv()
                    except (EOFError, OSError):
                        proc.join()
                        result = Result(
                            job.path, "failed", exit_code=errors.INTERNAL,
                            problem=f"worker died (exit code {proc.exitcode})",
                        )
                    conn.close()
                    proc.join()
                    on_done(result)
                if self.timeout is not None:
                    now = time.monotonic()
                    for conn, (job, proc, started) in list(running.items()):
                        if now - started > self.timeout:
                            proc.kill()
                            proc.join()
                            conn.close()
                            del running[conn]
                            on_done(Result(
                                job.path, "failed", exit_code=errors.TIMEOUT,
                                problem=f"timed out after {self.timeout:g} s",
                            ))
        finally:
            for conn, (_, proc, _) in running.items():
                proc.kill()
                proc.join()
                conn.close()


# ------------------------------------------------------------------ manifest


class Manifest:
    """``OUT/.xyconvert-manifest.json``: which input made which outputs, with what options."""

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / MANIFEST
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("manifest_version") == 1:
                self.entries = data.get("entries", {})
        except (OSError, ValueError):
            pass

    def owner(self, name: str) -> str | None:
        """Input (resolved path) that produced output file ``name``, if any."""
        for source, entry in self.entries.items():
            if name in entry.get("outputs", {}) or name in entry.get("made", ()):
                return source
        return None

    def up_to_date(self, source: str, sha256: str, key: str, outdir: Path) -> bool:
        entry = self.entries.get(source)
        if not entry or entry.get("input_sha256") != sha256 or entry.get("options") != key:
            return False
        return all((outdir / name).exists() for name in entry.get("outputs", {}))

    def record(self, source: str, sha256: str, key: str, files: dict[str, bytes]) -> None:
        previous = self.entries.get(source, {})
        # Every file ever made from this input stays ours (a run with other --to
        # formats must neither refuse to replace it nor read it back as an input).
        made = set(previous.get("made", ())) | set(previous.get("outputs", {})) | set(files)
        self.entries[source] = {
            "made": sorted(made),
            "input_sha256": sha256,
            "options": key,
            "tool_version": __version__,
            "outputs": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
            "converted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }

    def save(self) -> None:
        data = {"manifest_version": 1, "tool": "xyconvert", "entries": self.entries}
        write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
