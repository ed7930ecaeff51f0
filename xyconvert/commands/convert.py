"""``xyconvert convert``: reports in, clean Markdown / text / JSON / DOCX out."""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import click

from xyconvert import errors, interrupts
from xyconvert.batch import (
    MANIFEST,
    Job,
    Manifest,
    Pool,
    Result,
    options_key,
    output_names,
    reserved_name,
    run_job,
    safe_stem,
    stem_of,
)
from xyconvert.collect import tree_stems
from xyconvert.commands.destination import check_directory, convert_one, resolve
from xyconvert.commands.options import (
    NullFile,
    PageBar,
    batch_options,
    output_path,
    pdf_engine_option,
    script_flag,
)
from xyconvert.commands.options import complete_formats as _complete_formats
from xyconvert.errors import XyError, shown
from xyconvert.outputs import parse_formats


def _formats(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    if value is None:
        return None  # not given: md, or what -o FILE's extension says
    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
# readable=False: an unreadable input is ours to report (exit 4, one line), not a usage error.
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True, readable=False, path_type=Path))
@click.option("-o", "--output", "--output-dir", "outdir", type=click.Path(allow_dash=True),
              default=None, callback=output_path,
              help="Directory for the outputs [default: .]; or, for one input, the file to write "
                   "(report.md, report.docx, report.html: the format from the extension), or - for stdout.")
@click.option("-f", "--from", "source_format", type=click.Choice(["txt", "pdf", "docx", "md"]), default=None,
              help="Input format, instead of detecting it from the content and name.")
@click.option("--to", "formats", default=None, callback=_formats,
              shell_complete=_complete_formats,
              help="Comma-separated formats [default: md]: md (<stem>.zh.md), txt (<stem>.zh.txt), "
                   "json (<stem>.json), docx (<stem>.zh.docx), html (<stem>.zh.html), xliff "
                   "(<stem>.xlf, for translators' CAT tools), or all (all but xliff).")
@click.option("--translate", is_flag=True,
              help="Also write the English: <stem>.en.md and <stem>.bilingual.md "
                   "(and .en.docx / .bilingual.docx with docx, .bilingual.html with html). Needs a zh→en model: "
                   "see `xyconvert models --help`.")
@click.option("--tm", "tm_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Translation memory (TMX) used before MT with --translate / --to xliff: exact and "
                   "fuzzy sentence matches (README: Translation memory); repeatable, later files win.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu", show_default=True,
              help="Where translation runs (cuda needs a GPU and CTranslate2 built with CUDA).")
@click.option("--simplified", is_flag=True, expose_value=False, callback=script_flag("simplified"),
              help="Convert to simplified characters (OpenCC).")
@click.option("--traditional", is_flag=True, expose_value=False, callback=script_flag("traditional"),
              help="Convert to traditional characters (OpenCC).")
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@pdf_engine_option()
@click.option("--reference-doc", "--reference-docx", "reference_docx",
              type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Take DOCX styles from this Word file (pandoc's option; --reference-docx too).")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Extra glossary (TSV, CSV or TBX) overriding built-in terms; repeatable.")
@click.option("--keep-order", is_flag=True, help="Do not try to repair reversed or shuffled lines.")
@click.option("--keep-furniture", is_flag=True, help="Keep page numbers and running headers.")
@batch_options(
    verb="Convert", tree_example="a/report.txt -> OUT/a/report.zh.md",
    jobs_help="Worker processes for several inputs, or over the pages of a single large PDF "
              "[default: number of CPUs].",
    memory_help="Memory one input may use before it fails with exit 4 "
                "[default: $XYCONVERT_MAX_MEMORY or 1536; 0: no limit].",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary of what was done.")
def convert(
    inputs: tuple[Path, ...],
    outdir: Path | None,
    source_format: str | None,
    formats: list[str] | None,
    translate: bool,
    tm_files: tuple[Path, ...],
    device: str,
    script: str | None,
    password: str | None,
    pdf_engine: str | None,
    reference_docx: Path | None,
    glossaries: tuple[Path, ...],
    jobs: int | None,
    timeout: float | None,
    max_memory: int | None,
    force: bool,
    keep_order: bool,
    keep_furniture: bool,
    keep_tree: bool,
    quiet: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Convert reports (.txt in any common Chinese encoding, .pdf, .docx) into clean outputs.

    Each INPUT (a file, - for standard input, or a directory whose
    .txt/.pdf/.md/.docx files are taken, never the outputs of an earlier run) becomes
    OUTDIR/<stem>.zh.md and the other formats asked for with --to. Reversed,
    letter-spaced and broken lines are repaired; page numbers and running headers
    are dropped; headings and paragraphs are rebuilt.

    Several inputs run in parallel. A manifest in OUTDIR records what was made from
    what, so a second run skips inputs whose outputs are up to date and an
    interrupted batch resumes; outputs that came from another input are never
    replaced without --force. On a terminal a bar shows the progress: over the
    inputs, or over the pages of a single PDF (none when stderr is piped, or with
    --quiet or --json).

    \b
    Examples:
      xyconvert convert report.txt -o out/
      xyconvert convert report.pdf -o out/ --to md,txt,json,docx
      xyconvert convert reports/ -o out/ --to all --jobs 4 --timeout 120
      xyconvert convert report.txt -o out/ --translate
      xyconvert convert report.docx -o report.md       # one input, one named file
      xyconvert convert report.pdf -o - --to txt       # to stdout; `convert -` reads stdin
      xyconvert convert in/ -o out/ --keep-tree        # mirror in/'s folders under out/
      xyconvert convert report.pdf -o out/ --translate --tm GR2014.tmx --to md,json,xliff

    \b
    Exit codes: 0 ok, 2 usage, 3 input not found, 4 unreadable input,
    5 encrypted PDF, 6 no text layer, 7 no translation model,
    8 several inputs and some failed, 9 cannot write output, 10 timed out,
    130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 129 hung up (SIGHUP).
    """
    # Warnings reach the user once, through the summary below, not through logging.
    logging.getLogger("xyconvert").setLevel(logging.ERROR)
    options = {
        "script": script,
        "password": password,
        "pdf_engine": pdf_engine,
        "fix_order": not keep_order,
        "drop_furniture": not keep_furniture,
        "source_format": source_format,
    }
    dest = resolve(outdir, inputs, formats, several=translate)
    formats = formats or [dest.fmt or "md"]
    _check_optional_files(reference_docx, glossaries)
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    if reference_docx is not None and "docx" not in formats and not quiet:
        click.echo("xyconvert: warning: --reference-doc has no effect without a DOCX output (--to docx)",
                   err=True)
    if tm_files:
        if not translate and "xliff" not in formats:
            raise click.UsageError("--tm is used with --translate or --to xliff")
        _check_memories(tm_files)
    if dest.kind != "dir":
        if translate:
            raise click.UsageError("--translate writes several files: give -o a directory")
        sys.exit(convert_one(inputs[0], dest, options, reference_docx=reference_docx, glossaries=glossaries,
                             quiet=quiet))
    outdir = dest.path or Path(".")
    try:
        check_directory(outdir)
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        sys.exit(exc.exit_code)
    if translate and not tm_files:  # with a TM, sentences it lacks are marked untranslated
        _require_model()

    def make_job(path: Path, stem: str, several: bool, memory_mb: int) -> Job:
        return Job(path, stem, options, tuple(formats), reference_docx, glossaries, translate,
                   progress=not several, device=device, tm=tm_files, memory_mb=memory_mb)

    run_batch(inputs, outdir, make_job, force=force, as_json=as_json, verbosity=0 if quiet else 2 if verbose else 1,
              jobs=jobs, timeout=timeout, max_memory=max_memory, keep_tree=keep_tree)


def run_batch(
    inputs: tuple[Path, ...],
    outdir: Path,
    make_job: Callable[[Path, str, bool, int], Job],
    *,
    force: bool,
    as_json: bool,
    verbosity: int,
    jobs: int | None,
    timeout: float | None,
    max_memory: int | None,
    keep_tree: bool,
    kind: str = "",
    label: str = "converting",
    json_one: Callable[[_Batch, Result], dict[str, Any]] | None = None,
    note: Callable[[Result], str | None] | None = None,
) -> NoReturn:
    """Inputs and folders into OUT, through the manifest and worker processes; exits with
    the batch's code. Shared by ``convert`` and ``brief``: ``make_job(path, stem, several,
    memory_mb)`` says what one input becomes; ``kind`` keeps the manifest entries of one
    command apart from the other's for the same input (``brief:`` + the input path);
    ``json_one`` is what ``--json`` prints for a single converted input, instead of the summary;
    ``note`` a remark on a converted input, each different one said once at the end."""
    from xyconvert.collect import collect_inputs

    paths = collect_inputs(inputs, outdir)
    if not paths:
        raise click.UsageError("no .txt, .pdf, .md or .docx files in " + ", ".join(map(str, inputs)))
    from xyconvert.limits import memory_limit_mb

    memory_mb = memory_limit_mb(max_memory)
    run = _Batch(outdir, force, as_json, paths)  # OUT-level problems end the run here (exit 9)
    run.verbosity = verbosity
    run.kind = kind
    run.label = label
    run.json_one = json_one
    run.note = note
    tree = tree_stems(inputs, paths) if keep_tree else {}
    todo: list[Job] = []
    seen_stems: dict[str, Path] = {}
    for path in paths:
        stem = tree.get(path) or safe_stem(stem_of(path))
        if stem is None:
            run.fail(path, errors.USAGE, "cannot make an output name from this file name")
            continue
        if reserved_name(stem):
            run.fail(path, errors.OUTPUT_ERROR,
                     f"outputs named {stem}.* would clash with {MANIFEST}; rename the input")
            continue
        problem = _not_regular(path)
        if problem:
            run.fail(path, errors.UNREADABLE_INPUT, problem)
            continue
        if stem in seen_stems:
            run.fail(path, errors.OUTPUT_ERROR, f"output name {stem} already used by {seen_stems[stem]}")
            continue
        seen_stems[stem] = path
        todo.append(run.prepare(make_job(path, stem, len(paths) > 1, memory_mb)))
    workers = jobs or os.cpu_count() or 1
    if json_one is not None and as_json and len(todo) == 1:
        todo = [replace(todo[0], known_sha256=None)]  # --json prints what is made: make it
    if len(todo) == 1 and workers > 1:  # one input: its pages are read in parallel instead
        todo = [replace(todo[0], options={**todo[0].options, "pdf_jobs": workers})]
    # One input on a terminal: a bar over its pages (reading a long PDF is most of the time).
    pages = PageBar(f"reading {todo[0].path.name}" if todo else "",
                    shown=len(todo) == 1 and verbosity > 0 and not as_json and sys.stderr.isatty())
    if pages.shown:
        todo = [replace(todo[0], page_progress=True)]
    try:
        with run.progress(len(todo)) as bar:
            def on_done(result: Result) -> None:
                pages.close()  # its line ends before any message about the input
                run.done(result)
                bar.update(1)

            if todo and hasattr(os, "fork"):
                # Even a single input runs in a worker: its memory is capped there
                # (limits.py), and a timeout can kill it.
                from xyconvert.repair.joins import dictionary

                dictionary()  # load once; forked workers share it
                Pool(min(workers, len(todo)), timeout).run(
                    todo, on_done, on_pages=lambda msg: pages(msg.done, msg.total))
            else:
                for job in todo:
                    interrupts.check()
                    on_done(run_job(job, pages if job.page_progress else None))
    except KeyboardInterrupt as exc:
        pages.close()
        run.finish()
        click.echo("xyconvert: interrupted; completed outputs are kept and will be skipped next time", err=True)
        sys.exit(interrupts.exit_code(exc))
    sys.exit(run.finish())


def _not_regular(path: Path) -> str | None:
    """A FIFO, device or socket is refused before any worker starts (it could block or never end)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # missing or unreadable: the worker says which
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        kind = "a FIFO or pipe"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    else:
        kind = "a socket"
    return f"is {kind}, not a regular file; save it to a file first"


def _check_optional_files(reference_docx: Path | None, glossaries: tuple[Path, ...]) -> None:
    """Problems with option files stop the run before any input is touched."""
    try:
        if reference_docx is not None:
            _check_reference_docx(reference_docx)
        if glossaries:
            from xyconvert.glossary import load_glossary

            load_glossary(list(glossaries))
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        sys.exit(exc.exit_code)


def _check_memories(tm_files: tuple[Path, ...]) -> None:
    try:
        from xyconvert.tm.apply import load_memory

        load_memory(tm_files)
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        sys.exit(exc.exit_code)


def _check_reference_docx(path: Path) -> None:
    """A template that python-docx cannot open fails once, here, not once per input."""
    if not path.exists():
        raise errors.InputNotFound(path, "reference DOCX not found")
    if not path.is_file():
        raise errors.UnreadableInput(path, "reference DOCX is not a regular file")
    import zipfile

    try:
        import docx

        docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise errors.UnreadableInput(path, f"not a Word document (.docx): {exc}"[:200]) from None
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and friends
        raise errors.UnreadableInput(path, f"not a Word document (.docx): {type(exc).__name__}") from None


def _require_model() -> None:
    try:
        from xyconvert.translate import require_model

        require_model()
    except XyError as exc:
        click.echo(f"xyconvert: {exc.problem}", err=True)
        sys.exit(exc.exit_code)


class _Batch:
    """Book-keeping of one convert run: manifest, writing, summary."""

    def __init__(self, outdir: Path, force: bool, as_json: bool, inputs: list[Path]) -> None:
        from xyconvert.atomic import remove_stale

        self.outdir = outdir
        self.force = force
        self.as_json = as_json
        self.inputs = {p.resolve() for p in inputs if p.exists()}
        self.results: list[dict[str, Any]] = []
        self.keys: dict[Path, str] = {}
        self.total = len(inputs)
        self.show_bar = False
        self.verbosity = 1  # 0 --quiet, 1 normal, 2 --verbose
        self.kind = ""  # "brief": the manifest entries of `brief`, apart from convert's
        self.label = "converting"
        self.json_one: Callable[[_Batch, Result], dict[str, Any]] | None = None
        self.one: Result | None = None  # the converted Result, for json_one
        self.note: Callable[[Result], str | None] | None = None
        self.notes: dict[str, None] = {}  # in the order first seen
        try:
            _check_outdir(outdir)
            self.manifest = Manifest(outdir, force)
        except XyError as exc:
            click.echo(f"xyconvert: {exc}", err=True)
            sys.exit(exc.exit_code)
        remove_stale(outdir)  # temporary files of a run that was killed

    # -- decisions
    def _source(self, path: Path) -> str:
        """The input as the manifest records it: absolute, with its folders resolved but
        not a symlinked file itself. Outputs are named after the name given (``link.txt``
        makes ``link.zh.md``), so two links to one file are two inputs, each owning its own.
        An absolute path never starts with "brief:": the prefix cannot name another input."""
        return (f"{self.kind}:" if self.kind else "") + str(path.absolute().parent.resolve() / path.name)

    def prepare(self, job: Job) -> Job:
        """The job, told the input digest to skip on when its outputs are up to date
        under the names asked for now (--keep-tree may change them)."""
        import dataclasses

        self.keys[job.path] = key = options_key(job)
        source = self._source(job.path)
        known = None if self.force else self.manifest.known_sha256(source, key)
        made = self.manifest.entries.get(source, {}).get("outputs", {})
        if known and not all(name in made for name in output_names(job)):
            known = None
        return dataclasses.replace(job, known_sha256=known)

    # -- outcomes
    def skip(self, path: Path) -> None:
        self.results.append({"input": shown(path), "status": "skipped"})
        if self.verbosity > 1 and not self.as_json:
            self._say(f"skipped {shown(path)} (up to date)")

    def _say(self, message: str) -> None:
        """A message on stderr on a line of its own, also while the progress bar is drawn."""
        click.echo(("\r\x1b[K" if self.show_bar else "") + message, err=True)

    def fail(self, path: Path, code: int, problem: str) -> None:
        self.results.append({"input": shown(path), "status": "failed", "exit_code": code, "error": problem})
        self._say(f"xyconvert: {shown(path)}: {problem}")

    def done(self, result: Result) -> None:
        if result.status == "skipped":
            self.skip(result.path)
            return
        if result.status != "converted":
            self.fail(result.path, result.exit_code, result.problem)
            return
        try:
            written = self._write(result)
        except XyError as exc:
            # Name the output in the way, not only the input it came from.
            problem = exc.problem if exc.path == shown(result.path) else f"{exc.path}: {exc.problem}"
            self.fail(result.path, exc.exit_code, problem)
            return
        for warning in result.warnings if self.verbosity else ():
            self._say(f"xyconvert: warning: {shown(result.path)}: {warning}")
        entry: dict[str, Any] = {"input": shown(result.path), "status": "converted",
                                 "outputs": [shown(p) for p in written], "warnings": result.warnings}
        self.results.append(entry)
        self.one = result
        remark = self.note(result) if self.note is not None else None
        if remark:
            self.notes[remark] = None
        if not self.as_json and not self.show_bar and self.verbosity:  # with a bar, the summary says it
            for p in written:
                click.echo(f"wrote {shown(p)}")

    def _write(self, result: Result) -> list[Path]:
        """All of this input's outputs and its manifest entry, or none of them."""
        from xyconvert import atomic

        source = self._source(result.path)
        key = self.keys.get(result.path, "")
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise errors.OutputError(self.outdir, f"cannot create: {exc.strerror or exc}") from None
        with self.manifest.locked():
            previous = self.manifest.entries.get(source)
            recorded = (previous or {}).get("outputs", {})
            same_input = bool(previous) and previous.get("input_sha256") == result.sha256 \
                and previous.get("options") == key
            plan: list[tuple[Path, bytes]] = []
            for name, data in result.files.items():
                target = self.outdir / name
                if self._intact(target, name, data, same_input, recorded, source):
                    continue  # only re-create what is missing or changed
                plan.append((target, data))
            for target, _ in plan:
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)  # --keep-tree sub-folders
                except OSError as exc:
                    raise errors.OutputError(target.parent, f"cannot create: {exc.strerror or exc}") from None
            self.manifest.record(source, result.sha256, key, result.files)
            try:
                # The manifest first: an output on disk is always one it knows about.
                atomic.write_all([(self.manifest.path, self.manifest.render()), *plan])
            except atomic.WriteError as exc:
                if previous is None:
                    self.manifest.entries.pop(source, None)
                else:
                    self.manifest.entries[source] = previous
                raise errors.OutputError(exc.target, f"cannot write: {exc.strerror}") from None
        return [target for target, _ in plan]

    def _intact(self, target: Path, name: str, data: bytes, same_input: bool,
                recorded: dict[str, str], source: str) -> bool:
        """May ``target`` be written? Raises OutputError if not; True when it is already right."""
        try:
            if target.resolve() in self.inputs:
                raise errors.OutputError(target, "is an input file; refusing to overwrite it")
            if target.is_dir():
                raise errors.OutputError(target, "is a directory; refusing to replace it")
            exists = target.exists() or target.is_symlink()
        except OSError as exc:
            raise errors.OutputError(target, f"cannot be written: {exc.strerror or exc}") from None
        if not exists:
            return False
        owner = self.manifest.owner(name)
        if owner != source and not self.force:
            origin = f"from {owner}" if owner else "not made by xyconvert from this input"
            raise errors.OutputError(target, f"exists ({origin}); use --force to replace it")
        if self.force or not same_input or name not in recorded:
            return False
        import hashlib

        return recorded[name] == hashlib.sha256(data).hexdigest() and _sha256(target) == recorded[name]

    # -- reporting
    def progress(self, n: int):  # noqa: ANN201 - click's progress bar type is private
        self.show_bar = n > 1 and sys.stderr.isatty() and not self.as_json
        return click.progressbar(
            length=n, label=self.label, file=sys.stderr if self.show_bar else NullFile()
        )

    def finish(self) -> int:
        failed = [r for r in self.results if r["status"] == "failed"]
        counts = {s: sum(1 for r in self.results if r["status"] == s) for s in ("converted", "skipped", "failed")}
        if self.as_json and self.json_one is not None and self.total == 1 and self.one is not None:
            click.echo(json.dumps(self.json_one(self, self.one), ensure_ascii=False, indent=1))
        elif self.as_json:
            click.echo(json.dumps({"summary": counts, "results": self.results}, ensure_ascii=False, indent=1))
        elif not self.verbosity:
            pass
        elif counts["skipped"] and not counts["converted"] and not counts["failed"]:
            click.echo(f"{counts['skipped']} up to date; --force to redo", err=True)
        elif self.total > 1:
            click.echo(
                f"{counts['converted']} converted, {counts['skipped']} skipped (up to date), "
                f"{counts['failed']} failed; outputs in {self.outdir}",
                err=True,
            )
            for r in failed:  # the reasons again, after everything else scrolled by
                click.echo(f"  failed: {r['input']}: {r['error']}", err=True)
        if self.verbosity:
            for remark in self.notes:
                click.echo(f"note: {remark}", err=True)
        if not failed:
            return errors.OK
        return int(failed[0]["exit_code"]) if self.total == 1 else errors.PARTIAL_FAILURE


def _check_outdir(outdir: Path) -> None:
    """OUT must be (or be creatable as) a writable directory: checked before any work."""
    try:
        check_directory(outdir)
    except OSError as exc:
        raise errors.OutputError(outdir, f"cannot be used: {exc.strerror or exc}") from None


def _sha256(path: Path) -> str | None:
    from xyconvert.batch import file_sha256

    try:
        return file_sha256(path)
    except OSError:
        return None

