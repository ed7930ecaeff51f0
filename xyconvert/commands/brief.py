"""``xyconvert brief``: a short English briefing of a report (Markdown and DOCX)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xyconvert.briefing.markdown import DEFAULT_MAX_TERMS
from xyconvert.commands.options import output_path
from xyconvert.errors import XyError


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(allow_dash=True, readable=False, path_type=Path))
@click.option("-o", "--output", "--output-dir", "outdir", type=click.Path(allow_dash=True),
              default=None, callback=output_path,
              help="Directory for the outputs [default: .]; or the one file to write (brief.md or "
                   "brief.docx), or - for Markdown on stdout.")
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
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@click.option("--pdf-engine", type=click.Choice(["pdfium", "pdfplumber"]), default=None, help="Where PDF glyphs come from: PDFium (fast) or pdfplumber (pure Python) "
                   "[default: $XYCONVERT_PDF_ENGINE, else pdfium].")
@click.option("--json", "as_json", is_flag=True,
              help="Also print the briefing data as JSON (indicators with block and offsets).")
def brief(
    input_path: Path,
    outdir: Path | None,
    glossaries: tuple[Path, ...],
    tm_files: tuple[Path, ...],
    no_mt: bool,
    device: str,
    max_terms: int,
    password: str | None,
    pdf_engine: str | None,
    as_json: bool,
) -> None:
    """Write an English briefing of a report: OUTDIR/<stem>.brief.md and .brief.docx.

    \b
    The briefing has the report's English title, date, occasion and speaker; a
    table of headline indicators (last year's results and this year's targets,
    side by side); the outline; the policy terms used; and, when a zh→en model is
    installed, the opening paragraph of each main section in English.

    \b
    Figures, units and growth rates are extracted from the Chinese by rule
    (137.46亿元 → RMB 13.746 billion), never machine-translated.

    \b
    Examples:
      xyconvert brief report.pdf -o out/
      xyconvert brief report.pdf -o brief.md          # just the Markdown, to this file
      xyconvert brief report.docx -o -                # Markdown on stdout
      xyconvert brief report.txt -o out/ --json > brief.json
      xyconvert brief report.pdf -o out/ --tm GR2014.tmx --tm GR2015.tmx

    Exit codes: 0 ok, 3 input not found, 4 unreadable input or glossary,
    5 encrypted PDF, 6 no text layer, 7 installed model broken, 9 cannot write output,
    130/143/129 interrupted (INT/TERM/HUP).
    """
    from xyconvert.atomic import WriteError, write_all
    from xyconvert.briefing import build_brief, docx_bytes, model_translator, render_markdown
    from xyconvert.commands.destination import deliver, read_input, resolve
    from xyconvert.errors import OutputError
    from xyconvert.glossary import load_glossary
    from xyconvert.pipeline import ConvertOptions, load_bytes, load_document

    dest = resolve(outdir, (input_path,), None, allowed=("md", "docx"))
    outdir = dest.path if dest.kind == "dir" and dest.path is not None else Path(".")
    try:
        glossary = load_glossary(list(glossaries))
        stdin, name = read_input(input_path)
        options = ConvertOptions(password=password, pdf_engine=pdf_engine)
        doc = load_document(input_path, options) if stdin is None else load_bytes(stdin, name, options)
        translate = None if no_mt else model_translator(glossary, path=input_path, device=device)
        memory = None
        if tm_files:
            from xyconvert.tm.apply import BriefTranslator

            memory = translate = BriefTranslator(glossary, tm_files, translate)
        data = build_brief(doc, glossary, translate)
        # Render both in memory first: a failure leaves no partial output behind.
        stem = input_path.name[: -len(input_path.suffix)] if input_path.suffix else input_path.name
        if dest.kind != "dir":
            payload = (render_markdown(data, max_terms=max_terms).encode("utf-8") if dest.fmt == "md"
                       else docx_bytes(data, max_terms=max_terms))
            done = deliver(dest, payload, None if stdin is not None else input_path)
            if as_json:
                click.echo(json.dumps({**data.to_dict(), "outputs": [done] if done else []},
                                      ensure_ascii=False, indent=1), err=dest.kind == "stdout")
            elif done:
                click.echo(f"wrote {done}")
            return
        files = {
            outdir / f"{stem}.brief.md": render_markdown(data, max_terms=max_terms).encode("utf-8"),
            outdir / f"{stem}.brief.docx": docx_bytes(data, max_terms=max_terms),
        }
        for target in files:
            if target.resolve() == input_path.resolve():
                raise OutputError(target, "refusing to overwrite the input file")
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(outdir, f"cannot create directory: {exc.strerror or exc}") from None
        try:
            write_all(list(files.items()))  # both or neither
        except WriteError as exc:
            raise OutputError(exc.target, f"cannot write: {exc.strerror}") from None
        written = list(files)
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        sys.exit(exc.exit_code)

    if memory is not None and memory.machine is None:
        click.echo(
            "note: no zh→en model used; only translation-memory matches are translated",
            err=True,
        )
    if as_json:
        out = data.to_dict()
        if memory is not None:
            out["translation_memory"] = memory.report()
        out["outputs"] = [str(p) for p in written]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for p in written:
            click.echo(f"wrote {p}")
        if memory is None and not data.translated:
            click.echo(
                "note: no zh→en model installed; summaries omitted "
                "(xyconvert models install FILE.argosmodel)",
                err=True,
            )
