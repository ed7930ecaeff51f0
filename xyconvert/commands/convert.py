"""``xyconvert convert``: reports in, clean Markdown / text / JSON / DOCX out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xyconvert import errors
from xyconvert.errors import XyError
from xyconvert.outputs import RenderOptions, parse_formats, render, write_all
from xyconvert.pipeline import ConvertOptions, load_document


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", "outdir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Directory for the outputs.")
@click.option("--to", "formats", default="md", show_default=True, callback=_formats,
              help="Comma-separated formats: md (<stem>.zh.md), txt (<stem>.zh.txt), "
                   "json (<stem>.json), docx (<stem>.zh.docx), or all.")
@click.option("--simplified", "script", flag_value="simplified", help="Convert to simplified characters (OpenCC).")
@click.option("--traditional", "script", flag_value="traditional", help="Convert to traditional characters (OpenCC).")
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@click.option("--reference-docx", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Take DOCX styles from this Word file (like pandoc).")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Extra glossary (TSV, CSV or TBX) overriding built-in terms; repeatable.")
@click.option("--keep-order", is_flag=True, help="Do not try to repair reversed or shuffled lines.")
@click.option("--keep-furniture", is_flag=True, help="Keep page numbers and running headers.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary of what was written.")
def convert(
    inputs: tuple[Path, ...],
    outdir: Path,
    formats: list[str],
    script: str | None,
    password: str | None,
    reference_docx: Path | None,
    glossaries: tuple[Path, ...],
    keep_order: bool,
    keep_furniture: bool,
    as_json: bool,
) -> None:
    """Convert reports (.txt in any common Chinese encoding, or .pdf) into clean outputs.

    Each INPUT becomes OUTDIR/<stem>.zh.md (and the other formats asked for with
    --to). Lines that came out reversed, letter-spaced or broken are repaired;
    page numbers and running headers are dropped; headings and paragraphs are
    rebuilt.

    \b
    Examples:
      xyconvert convert report.txt -o out/
      xyconvert convert report.pdf -o out/ --to md,txt,json
      xyconvert convert big5_report.txt -o out/ --simplified --to all

    Exit codes: 0 ok, 3 input not found, 4 unreadable input, 5 encrypted PDF,
    6 no text layer, 8 some inputs of several failed, 9 cannot write output.
    """
    options = ConvertOptions(
        script=script,
        password=password,
        fix_order=not keep_order,
        drop_furniture=not keep_furniture,
    )
    glossary = None
    if "json" in formats:
        try:
            glossary = _load_glossary(glossaries)
        except XyError as exc:
            click.echo(f"xyconvert: {exc}", err=True)
            sys.exit(exc.exit_code)
    summary: list[dict[str, object]] = []
    codes: list[int] = []
    for path in inputs:
        try:
            doc = load_document(path, options)
            render_opts = RenderOptions(formats=formats, reference_docx=reference_docx)
            if glossary is not None:
                render_opts.extra_json["glossary"] = _glossary_hits(doc, glossary)
            files = render(doc, _stem(path), render_opts)
            written = write_all(outdir, files, list(inputs))
        except XyError as exc:
            codes.append(exc.exit_code)
            summary.append({"input": str(path), "ok": False, "error": exc.problem, "exit_code": exc.exit_code})
            click.echo(f"xyconvert: {exc}", err=True)
            continue
        summary.append({"input": str(path), "ok": True, "outputs": [str(p) for p in written]})
        if not as_json:
            for p in written:
                click.echo(f"wrote {p}")
    if as_json:
        click.echo(json.dumps({"results": summary}, ensure_ascii=False, indent=1))
    if codes:
        sys.exit(codes[0] if len(inputs) == 1 else errors.PARTIAL_FAILURE)


def _load_glossary(paths: tuple[Path, ...]):  # noqa: ANN202 - Glossary, imported lazily
    from xyconvert.glossary import load_glossary

    return load_glossary(list(paths))


def _glossary_hits(doc, glossary) -> list[dict[str, object]]:  # noqa: ANN001
    from xyconvert.glossary import hits_to_json, match_document

    return hits_to_json(match_document(doc, glossary), glossary)


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name
