"""``xyconvert brief``: a short English briefing of reports (Markdown and DOCX)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from xyconvert.briefing.markdown import DEFAULT_MAX_TERMS
from xyconvert.commands.options import batch_options, output_path, pdf_engine_option, script_flag
from xyconvert.errors import XyError, shown


@click.command()
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True,
                type=click.Path(allow_dash=True, readable=False, path_type=Path))
@click.option("-o", "--output", "--output-dir", "outdir", type=click.Path(allow_dash=True),
              default=None, callback=output_path,
              help="Directory for the outputs [default: .]; or, for one input, the one file to write "
                   "(brief.md or brief.docx), or - for Markdown on stdout.")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Extra glossary (TSV, CSV or TBX) overriding built-in terms; repeatable.")
@click.option("--tm", "tm_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Translation memory (TMX) asked before MT for the outline and summaries; "
                   "repeatable. Works without a model (TM matches only).")
@click.option("--no-mt", is_flag=True,
              help="Do not use an installed translation model (rules and glossary only).")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu",
              show_default=True, help="Where MT runs, when a model is installed.")
@click.option("--max-terms", type=click.IntRange(min=0), default=DEFAULT_MAX_TERMS, show_default=True,
              help="Policy terms listed in the briefing (all are in --json).")
@click.option("--simplified", is_flag=True, expose_value=False, callback=script_flag("simplified"),
              help="Read the report in simplified characters (OpenCC): the Chinese quoted in the briefing.")
@click.option("--traditional", is_flag=True, expose_value=False, callback=script_flag("traditional"),
              help="Read the report in traditional characters (OpenCC).")
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@pdf_engine_option()
@click.option("--reference-doc", "--reference-docx", "reference_docx",
              type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Take the briefing DOCX's styles from this Word file (pandoc's option).")
@batch_options(
    verb="Brief", tree_example="a/report.pdf -> OUT/a/report.brief.md",
    jobs_help="Worker processes for several inputs [default: number of CPUs].",
    memory_help="Memory one input may use while it is read [default: $XYCONVERT_MAX_MEMORY or 1536; 0: no limit].",
)
@click.option("--json", "as_json", is_flag=True,
              help="Print the briefing data as JSON (indicators with block and offsets); with "
                   "several inputs, a JSON summary of what was done, as convert --json.")
def brief(
    inputs: tuple[Path, ...],
    outdir: Path | None,
    glossaries: tuple[Path, ...],
    tm_files: tuple[Path, ...],
    no_mt: bool,
    device: str,
    max_terms: int,
    script: str | None,
    password: str | None,
    pdf_engine: str | None,
    reference_docx: Path | None,
    jobs: int | None,
    timeout: float | None,
    max_memory: int | None,
    force: bool,
    keep_tree: bool,
    quiet: bool,
    verbose: bool,
    as_json: bool,
) -> None:
    """Write an English briefing of each report: OUTDIR/<stem>.brief.md and .brief.docx.

    \b
    The briefing has the report's English title, date, occasion and speaker; a
    table of headline indicators (last year's results and this year's targets,
    side by side); the outline; the policy terms used; and, when a zh→en model is
    installed, the opening paragraph of each main section in English.

    \b
    Figures, units and growth rates are extracted from the Chinese by rule
    (137.46亿元 → RMB 13.746 billion), never machine-translated.

    \b
    Several INPUTs and folders work as in `convert` (the same folder walk,
    manifest in OUTDIR, --jobs, --force, --keep-tree, up-to-date inputs skipped,
    a progress bar; exit 8 when some inputs fail). -o FILE and -o - take one input.

    \b
    Examples:
      xyconvert brief report.pdf -o out/
      xyconvert brief reports/ more.docx -o briefs/ --jobs 4   # every report, one briefing each
      xyconvert brief report.pdf -o brief.md          # just the Markdown, to this file
      xyconvert brief report.docx -o -                # Markdown on stdout
      xyconvert brief report.txt -o out/ --json > brief.json
      xyconvert brief report.pdf -o out/ --tm GR2014.tmx --tm GR2015.tmx

    Exit codes: 0 ok, 2 usage, 3 input not found, 4 unreadable input or glossary,
    5 encrypted PDF, 6 no text layer, 7 installed model broken,
    8 several inputs and some failed, 9 cannot write output, 10 timed out,
    130/143/129 interrupted (INT/TERM/HUP).
    """
    from xyconvert.commands.convert import _check_memories, _check_optional_files
    from xyconvert.commands.destination import resolve

    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    dest = resolve(outdir, inputs, None, allowed=("md", "docx"))
    _check_optional_files(reference_docx, glossaries)
    if tm_files:
        _check_memories(tm_files)
    options = {"script": script, "password": password, "pdf_engine": pdf_engine}
    if dest.kind != "dir":
        if reference_docx is not None and dest.fmt != "docx" and not quiet:
            click.echo("xyconvert: warning: --reference-doc has no effect without a DOCX output", err=True)
        sys.exit(_brief_one(inputs[0], dest, options, glossaries=glossaries, tm_files=tm_files, no_mt=no_mt,
                            device=device, max_terms=max_terms, reference_docx=reference_docx,
                            as_json=as_json, quiet=quiet))
    _brief_batch(inputs, dest.path or Path("."), options, glossaries=glossaries, tm_files=tm_files,
                 no_mt=no_mt, device=device, max_terms=max_terms, reference_docx=reference_docx, jobs=jobs,
                 timeout=timeout, max_memory=max_memory, force=force, keep_tree=keep_tree, quiet=quiet,
                 verbose=verbose, as_json=as_json)


def _brief_batch(inputs: tuple[Path, ...], outdir: Path, options: dict[str, Any], *, glossaries: tuple[Path, ...],
                 tm_files: tuple[Path, ...], no_mt: bool, device: str, max_terms: int,
                 reference_docx: Path | None, jobs: int | None, timeout: float | None,
                 max_memory: int | None, force: bool, keep_tree: bool, quiet: bool, verbose: bool,
                 as_json: bool) -> None:
    """Inputs and folders into OUT, one briefing each, through convert's batch machinery."""
    from xyconvert.batch import Job, Result
    from xyconvert.commands.convert import _Batch, run_batch
    from xyconvert.commands.destination import check_directory

    try:
        check_directory(outdir)
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        sys.exit(exc.exit_code)
    full = {"script": None, "password": None, "pdf_engine": None, "fix_order": True,
            "drop_furniture": True, "source_format": None, **options}
    settings = {"max_terms": max_terms, "no_mt": no_mt}

    def make_job(path: Path, stem: str, several: bool, memory_mb: int) -> Job:
        return Job(path, stem, full, (), reference_docx, glossaries, progress=not several, device=device,
                   tm=tm_files, memory_mb=memory_mb, brief=settings)

    def json_one(run: _Batch, result: Result) -> dict[str, Any]:
        info = result.translation or {}
        out = dict(info.get("brief", {}))
        if "translation_memory" in info:
            out["translation_memory"] = info["translation_memory"]
        out["outputs"] = [shown(run.outdir / name) for name in result.files]
        return out

    def note(result: Result) -> str | None:
        info = result.translation or {}
        if tm_files and not info.get("machine"):
            return "no zh→en model used; only translation-memory matches are translated"
        if not tm_files and not no_mt and not info.get("translated"):
            return "no zh→en model installed; summaries omitted (xyconvert models install FILE.argosmodel)"
        return None

    run_batch(inputs, outdir, make_job, force=force, as_json=as_json,
              verbosity=0 if quiet else 2 if verbose else 1, jobs=jobs, timeout=timeout,
              max_memory=max_memory, keep_tree=keep_tree, kind="brief", label="briefing",
              json_one=json_one, note=note)


def _brief_one(input_path: Path, dest: Any, options: dict[str, Any], *, glossaries: tuple[Path, ...],
               tm_files: tuple[Path, ...], no_mt: bool, device: str, max_terms: int,
               reference_docx: Path | None, as_json: bool, quiet: bool) -> int:
    """One input to a named file or stdout: no manifest, like pandoc."""
    from xyconvert.briefing import build_brief, docx_bytes, model_translator, render_markdown
    from xyconvert.commands.destination import deliver, read_input
    from xyconvert.commands.options import PageBar
    from xyconvert.glossary import load_glossary
    from xyconvert.pipeline import ConvertOptions, load_bytes, load_document

    pages = PageBar("reading " + ("stdin" if str(input_path) == "-" else input_path.name),
                    shown=not quiet and not as_json and sys.stderr.isatty())
    try:
        glossary = load_glossary(list(glossaries))
        stdin, name = read_input(input_path)
        convert_options = ConvertOptions(**options)
        try:
            doc = (load_document(input_path, convert_options, pages) if stdin is None
                   else load_bytes(stdin, name, convert_options, pages))
        finally:
            pages.close()
        translate = None if no_mt else model_translator(glossary, path=input_path, device=device)
        memory = None
        if tm_files:
            from xyconvert.tm.apply import BriefTranslator

            memory = translate = BriefTranslator(glossary, tm_files, translate)
        data = build_brief(doc, glossary, translate)
        payload = (render_markdown(data, max_terms=max_terms).encode("utf-8") if dest.fmt == "md"
                   else docx_bytes(data, max_terms=max_terms, reference_docx=reference_docx))
        done = deliver(dest, payload, None if stdin is not None else input_path)
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        return exc.exit_code
    if as_json:
        out = data.to_dict()
        if memory is not None:
            out["translation_memory"] = memory.report()
        out["outputs"] = [done] if done else []
        click.echo(json.dumps(out, ensure_ascii=False, indent=1), err=dest.kind == "stdout")
    elif done and not quiet:
        click.echo(f"wrote {done}")
    if not quiet and memory is not None and memory.machine is None:
        click.echo("note: no zh→en model used; only translation-memory matches are translated", err=True)
    return 0
