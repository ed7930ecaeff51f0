"""Batch conversion: many inputs, worker processes, a manifest to resume and skip.

Each input is converted in its own worker process (bounded memory, and a
per-file timeout can kill it) and only the rendered bytes come back; the main
process alone writes files (atomically) and the manifest, so an interrupted
batch leaves complete outputs and a manifest that says which ones.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing as mp
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from xyconvert import __version__, errors, interrupts
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
    known_sha256: str | None = None  # the manifest's digest when the outputs are intact: skip if equal
    memory_mb: int = 0  # the worker's memory cap (0: none), see limits.py
    page_progress: bool = False  # report each PDF page read to the parent (a per-page bar)
    brief: dict[str, Any] | None = None  # `brief`: {"max_terms", "no_mt"}; the outputs are a briefing


@dataclass(frozen=True)
class PagesRead:
    """A worker's progress message, sent before its Result: ``done`` of ``total`` pages read."""

    path: Path
    done: int
    total: int


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
    sha256: str = ""  # of the input, computed by the worker


def expand_inputs(items: Iterable[Path], suffixes: Iterable[str] | None = None) -> list[Path]:
    """Files as given; directories contribute their files with these suffixes (default: the
    inputs convert reads), sorted, recursive, hidden files left out."""
    wanted = set(INPUT_SUFFIXES if suffixes is None else suffixes)
    out: list[Path] = []
    for item in items:
        if item.is_dir():
            out += sorted(
                p for p in item.rglob("*")
                if p.is_file() and p.suffix.lower() in wanted and not p.name.startswith(".")
            )
        else:
            out.append(item)
    return out


def stem_of(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def safe_stem(stem: str) -> str | None:
    """The output stem, or None when it could escape the output directory.

    Any file name makes a usable stem (``..txt`` gives ``..zh.md``, a backslash is
    an ordinary character on POSIX); only a separator or NUL could escape OUT.
    """
    if not stem or "/" in stem or "\x00" in stem or (os.sep == "\\" and "\\" in stem):
        return None
    return stem


def reserved_name(stem: str) -> bool:
    """Would outputs of this stem collide with the manifest or temporary files?"""
    return stem.startswith(".xyconvert-")


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
    if job.brief is not None:
        data["brief"] = job.brief
        data["device"] = job.device
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def output_names(job: Job) -> list[str]:
    """The files a job makes in OUT (those of --translate aside)."""
    if job.brief is not None:
        return [f"{job.stem}.brief.md", f"{job.stem}.brief.docx"]
    from xyconvert.outputs import SUFFIX

    return [job.stem + SUFFIX[f] for f in job.formats]


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return f"missing:{path}"


# ------------------------------------------------------------------ the worker


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in chunks (bounded memory, inside the worker)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def run_job(job: Job, on_page: Callable[[int, int], None] | None = None) -> Result:
    """Convert one input into rendered files (no writing). Never raises but for interrupts.
    ``on_page(done, total)`` follows the reading of a PDF's pages.

    The input is hashed here, not in the parent: a slow or huge input counts
    against this input's timeout and memory, and an input whose digest is the
    one the manifest knows (``job.known_sha256``) is skipped unread.
    """
    from xyconvert.outputs import RenderOptions, render
    from xyconvert.pipeline import ConvertOptions, load_document

    digest = ""
    try:
        try:
            digest = file_sha256(job.path)
        except FileNotFoundError:
            raise errors.InputNotFound(job.path, "no such file") from None
        except IsADirectoryError:
            raise errors.UnreadableInput(job.path, "is a directory, not a file") from None
        except OSError as exc:
            raise errors.UnreadableInput(job.path, f"cannot read: {exc.strerror or exc}") from None
        if job.known_sha256 and digest == job.known_sha256:
            return Result(job.path, "skipped", sha256=digest)
        doc = load_document(job.path, ConvertOptions(**job.options), on_page=on_page)
        if job.brief is not None:
            return _brief(doc, job, digest)
        opts = RenderOptions(formats=list(job.formats), reference_docx=job.reference_docx)
        translation = None
        if "json" in job.formats or job.translate or "xliff" in job.formats:
            from xyconvert.glossary import hits_to_json, load_glossary, match_document

            glossary = load_glossary(list(job.glossaries))
            opts.extra_json["glossary"] = hits_to_json(match_document(doc, glossary), glossary)
            if "json" in job.formats:  # the archive imports them as they are
                from xyconvert.briefing import document_indicators

                opts.extra_json["indicators"] = document_indicators(doc, glossary)
            opts.glossary = glossary
            if (job.translate or job.tm) and job.memory_mb:
                from xyconvert.limits import lift_memory_limit

                lift_memory_limit()
            if job.tm or (job.translate and "xliff" in job.formats):
                translation = _translate_tm(doc, glossary, opts, job)
            elif job.translate:
                translation = _translate(doc, glossary, opts, progress=job.progress, device=job.device)
        return Result(
            job.path, "converted", files=render(doc, job.stem, opts), translation=translation,
            warnings=list(doc.metadata.warnings), sha256=digest,
        )
    except XyError as exc:
        problem = exc.problem
        if job.memory_mb and ("MemoryError" in problem or "Unable to allocate" in problem):
            # The PDF parser ran into the memory cap and reported it as a broken file.
            from xyconvert.limits import out_of_memory_problem

            problem = out_of_memory_problem(job.memory_mb)
        return Result(job.path, "failed", exit_code=exc.exit_code, problem=problem, sha256=digest)
    except MemoryError:
        from xyconvert.limits import out_of_memory_problem

        problem = out_of_memory_problem(job.memory_mb) if job.memory_mb else "out of memory"
        return Result(job.path, "failed", exit_code=errors.UNREADABLE_INPUT, problem=problem)
    except RecursionError:
        return Result(job.path, "failed", exit_code=errors.UNREADABLE_INPUT,
                      problem="structure nested too deeply to read")
    except Exception as exc:  # a bug: report it on one line, keep the batch going
        if os.environ.get("XYCONVERT_DEBUG"):
            traceback.print_exc()
        return Result(
            job.path, "failed", exit_code=errors.INTERNAL,
            problem=f"internal error ({type(exc).__name__}: {exc}); set XYCONVERT_DEBUG=1 for details",
        )


def _brief(doc: Any, job: Job, digest: str) -> Result:
    """The briefing of one input, Markdown and DOCX (``xyconvert brief``)."""
    from xyconvert.briefing import build_brief, docx_bytes, model_translator, render_markdown
    from xyconvert.glossary import load_glossary

    assert job.brief is not None
    glossary = load_glossary(list(job.glossaries))
    if job.memory_mb and (job.tm or not job.brief.get("no_mt")):
        from xyconvert.limits import lift_memory_limit

        lift_memory_limit()  # the cap is for reading; a model or a memory needs more, as in convert
    translate = None if job.brief.get("no_mt") else model_translator(glossary, path=job.path, device=job.device)
    memory = None
    if job.tm:
        from xyconvert.tm.apply import BriefTranslator

        memory = translate = BriefTranslator(glossary, job.tm, translate)
    data = build_brief(doc, glossary, translate)
    max_terms = int(job.brief.get("max_terms", 0))
    files = {
        f"{job.stem}.brief.md": render_markdown(data, max_terms=max_terms).encode("utf-8"),
        f"{job.stem}.brief.docx": docx_bytes(data, max_terms=max_terms, reference_docx=job.reference_docx),
    }
    info: dict[str, Any] = {"brief": data.to_dict(), "translated": data.translated,
                            "machine": memory.machine is not None if memory is not None else translate is not None}
    if memory is not None:
        info["translation_memory"] = memory.report()
    return Result(job.path, "converted", files=files, translation=info,
                  warnings=list(doc.metadata.warnings), sha256=digest)


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


def _child(job: Job, conn: Any, parent_pid: int, inherited: list[Any]) -> None:
    from xyconvert.limits import apply_memory_limit

    # Die with the parent (even on SIGKILL), leave Ctrl-C to it; and drop the
    # pipes to other workers inherited through fork, so that no worker keeps
    # another's pipe open when the parent is gone.
    interrupts.in_worker(parent_pid)
    for other in inherited:
        with contextlib.suppress(OSError):
            other.close()
    apply_memory_limit(job.memory_mb)
    from xyconvert.limits import out_of_memory_problem

    code = 0

    def on_page(done: int, total: int) -> None:
        conn.send(PagesRead(job.path, done, total))

    try:
        result = run_job(job, on_page if job.page_progress else None)
        try:
            conn.send(result)
        except MemoryError:  # pickling the outputs was the last straw
            del result
            conn.send(Result(job.path, "failed", exit_code=errors.UNREADABLE_INPUT,
                             problem=out_of_memory_problem(job.memory_mb)))
    except MemoryError:
        code = _OUT_OF_MEMORY
    except (BrokenPipeError, EOFError, OSError):
        pass  # the parent is gone
    except BaseException:  # never multiprocessing's own traceback on stderr
        code = 1
    finally:
        with contextlib.suppress(OSError):
            conn.close()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    # Straight out: no at-exit handlers or bootstrap tracebacks of the forked copy.
    os._exit(code)


def _timed_out(job: Job, timeout: float) -> Result:
    return Result(job.path, "failed", exit_code=errors.TIMEOUT, problem=f"timed out after {timeout:g} s")


_OUT_OF_MEMORY = 3  # a worker's exit code when even reporting ran out of memory


# ------------------------------------------------------------------ the pool


class Pool:
    """Runs jobs in worker processes, at most ``jobs`` at a time, killing any over ``timeout``."""

    def __init__(self, jobs: int, timeout: float | None) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout

    def run(
        self, todo: list[Job], on_done: Callable[[Result], None],
        on_pages: Callable[[PagesRead], None] | None = None,
    ) -> None:
        """Run ``todo``; ``on_done`` gets each Result, ``on_pages`` the page progress of the
        jobs that ask for it (``Job.page_progress``)."""
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        pending = list(reversed(todo))
        running: dict[Any, tuple[Job, Any, float]] = {}
        try:
            while pending or running:
                interrupts.check()
                while pending and len(running) < self.jobs:
                    job = pending.pop()
                    parent, child = ctx.Pipe(duplex=False)
                    # Not daemonic, so one large PDF may read its pages in processes of its
                    # own; workers still die with us (parent-death signal, the finally below).
                    proc = ctx.Process(
                        target=_child, args=(job, child, os.getpid(), [parent, *running]), daemon=False,
                    )
                    # A signal during fork would land in an at-fork hook and be lost.
                    with interrupts.deferred():
                        proc.start()
                        running[parent] = (job, proc, time.monotonic())
                    child.close()
                ready = mp.connection.wait(list(running), timeout=0.2)
                for conn in ready:
                    job, proc, started = running[conn]
                    try:
                        result = conn.recv()
                    except (EOFError, OSError):
                        del running[conn]
                        proc.join()
                        result = _died(job, proc.exitcode)
                    if isinstance(result, PagesRead):
                        if on_pages is not None:
                            on_pages(result)
                        continue
                    running.pop(conn, None)
                    conn.close()
                    proc.join()
                    # A deadline, not a polling interval: a result that came after it is a
                    # timeout too, however soon the loop saw it (--timeout 1e-9 is exit 10).
                    if self.timeout is not None and time.monotonic() - started > self.timeout:
                        result = _timed_out(job, self.timeout)
                    on_done(result)
                if self.timeout is not None:
                    now = time.monotonic()
                    for conn, (job, proc, started) in list(running.items()):
                        if now - started > self.timeout:
                            proc.kill()
                            proc.join()
                            conn.close()
                            del running[conn]
                            on_done(_timed_out(job, self.timeout))
        finally:
            for _, proc, _ in running.values():
                proc.kill()
            for conn, (_, proc, _) in running.items():
                proc.join()
                conn.close()


def _died(job: Job, exitcode: int | None) -> Result:
    import signal

    fatal = {signal.SIGKILL, signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS}
    if exitcode == _OUT_OF_MEMORY and job.memory_mb:
        from xyconvert.limits import out_of_memory_problem

        return Result(job.path, "failed", exit_code=errors.UNREADABLE_INPUT,
                      problem=out_of_memory_problem(job.memory_mb))
    if exitcode is not None and exitcode < 0 and -exitcode in fatal and job.memory_mb:
        # Under the memory cap, C code that cannot allocate aborts (or the kernel's
        # OOM killer strikes): the input, not xyconvert, is what needs the memory.
        from xyconvert.limits import out_of_memory_problem

        return Result(job.path, "failed", exit_code=errors.UNREADABLE_INPUT,
                      problem=f"worker died ({signal.Signals(-exitcode).name}), most likely it "
                              + out_of_memory_problem(job.memory_mb))
    return Result(job.path, "failed", exit_code=errors.INTERNAL,
                  problem=f"worker died (exit code {exitcode})")


# ------------------------------------------------------------------ manifest


class ManifestError(errors.OutputError):
    """OUT's manifest cannot be used: reported before any input is converted (exit 9)."""


def _valid_entries(data: object) -> dict[str, dict[str, Any]] | None:
    """The entries of a manifest of the shape we write, or None."""
    if not isinstance(data, dict) or data.get("manifest_version") != 1:
        return None
    entries = data.get("entries")
    if not isinstance(entries, dict):
        return None
    for source, entry in entries.items():
        if not isinstance(source, str) or not isinstance(entry, dict):
            return None
        for key in ("outputs", "earlier_outputs"):
            outputs = entry.get(key, {})
            if not isinstance(outputs, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()
            ):
                return None
        if not isinstance(entry.get("input_sha256", ""), str) or not isinstance(entry.get("options", ""), str):
            return None
    return entries


class Manifest:
    """``OUT/.xyconvert-manifest.json``: which input made which outputs, with what options.

    Several runs may write into one OUT at once: ``locked()`` holds an exclusive
    lock on OUT while an input's outputs are checked and written, re-reads the
    manifest from disk first and writes back this run's entries merged into it.
    """

    def __init__(self, outdir: Path, force: bool = False) -> None:
        self.outdir = outdir
        self.path = outdir / MANIFEST
        self.force = force
        self.entries: dict[str, dict[str, Any]] = self._read()

    def _read(self) -> dict[str, dict[str, Any]]:
        if self.path.is_dir():
            raise ManifestError(self.path, "is a directory, not a manifest; move it away")
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise ManifestError(self.path, f"cannot read the manifest: {exc.strerror or exc}") from None
        try:
            entries = _valid_entries(json.loads(raw.decode("utf-8")))
        except (ValueError, RecursionError):
            entries = None
        if entries is None:
            if self.force:
                return {}  # --force: replaced by the manifest of this run
            raise ManifestError(
                self.path, "not an xyconvert manifest (unknown content); move it away, "
                "or use --force to replace it",
            )
        return entries

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive use of OUT's manifest; ``self.entries`` is fresh from disk inside."""
        fd = None
        try:
            import fcntl

            fd = os.open(self.outdir, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except (ImportError, OSError):
            pass  # no locking here: last writer wins, as before
        try:
            with contextlib.suppress(ManifestError):  # replaced meanwhile by junk: keep ours
                self.entries = self._read()
            yield
        finally:
            if fd is not None:
                os.close(fd)  # releases the lock

    def owner(self, name: str) -> str | None:
        """Input (as recorded) that produced output file ``name``, if any."""
        for source, entry in self.entries.items():
            if name in entry.get("outputs", {}) or name in entry.get("earlier_outputs", {}):
                return source
        return None

    def known_sha256(self, source: str, key: str) -> str | None:
        """The input digest recorded for ``source`` when its outputs are intact, else None."""
        entry = self.entries.get(source)
        if not entry or entry.get("options") != key or not entry.get("input_sha256"):
            return None
        for name, digest in entry.get("outputs", {}).items():
            if _digest_on_disk(self.outdir / name) != digest:
                return None  # missing, emptied or changed: convert again
        return str(entry["input_sha256"])

    def record(self, source: str, sha256: str, key: str, files: dict[str, bytes]) -> None:
        previous = self.entries.get(source, {})
        outputs = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
        # Outputs of an earlier, wider run stay this input's own (a narrower --to
        # must not refuse them later), as long as they are unchanged on disk.
        earlier = {
            name: digest
            for old in ("outputs", "earlier_outputs")
            for name, digest in previous.get(old, {}).items()
            if name not in outputs and _digest_on_disk(self.outdir / name) == digest
        }
        entry: dict[str, Any] = {
            "input_sha256": sha256,
            "options": key,
            "tool_version": __version__,
            "outputs": outputs,
            "converted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if earlier:
            entry["earlier_outputs"] = earlier
        self.entries[source] = entry

    def render(self) -> bytes:
        data = {"manifest_version": 1, "tool": "xyconvert", "entries": self.entries}
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        # A non-UTF-8 file name (surrogate escapes) stays exact as a JSON \u escape.
        return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")

    def save(self) -> None:
        from xyconvert.atomic import write_bytes

        write_bytes(self.path, self.render())


def _digest_on_disk(path: Path) -> str | None:
    try:
        if not path.is_file():
            return None
        return file_sha256(path)
    except OSError:
        return None
