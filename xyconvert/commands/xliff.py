"""``xyconvert xliff``: bring a translator's reviewed XLIFF back into English outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xyconvert.commands.options import output_path
from xyconvert.errors import XyError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def xliff() -> None:
    """XLIFF 1.2 round trip with translators' CAT tools (OmegaT, Trados, memoQ).

    \b
    Export with convert (TM and MT targets filled in when there are any):
      xyconvert convert report.pdf -o out/ --to xliff --tm GR2014.tmx [--translate]
    Translate or review out/report.xlf in the CAT tool, then import it:
      xyconvert xliff import out/report.xlf -o out/ --to md,docx
    """


@xliff.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", "outdir", type=click.Path(file_okay=False), callback=output_path,
              default=".", show_default=True, help="Directory for the outputs.")
@click.option("--to", "formats", default="md", show_default=True,
              help="md (<stem>.en.md and <stem>.bilingual.md), docx (<stem>.en.docx and "
                   "<stem>.bilingual.docx), or md,docx.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary (units, translated, states).")
def import_cmd(file: Path, outdir: Path, formats: str, as_json: bool) -> None:
    """Rebuild the English Markdown / DOCX of a report from a reviewed XLIFF.

    The XLIFF must come from `xyconvert convert --to xliff`: its skeleton holds the
    document's structure (headings, levels, lists, tables), and each <target>
    becomes the English of its sentence. Units left without a target are written
    as [untranslated: 原文] and counted.

    Exit codes: 0 ok, 2 usage, 3 not found, 4 not a readable XLIFF 1.2 file,
    9 cannot write output.
    """
    from xyconvert.atomic import write_bytes
    from xyconvert.errors import OutputError
    from xyconvert.readers.xliff import read_xliff
    from xyconvert.writers.english import bilingual_markdown, english_markdown

    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    if not wanted or any(f not in ("md", "docx") for f in wanted):
        raise click.BadParameter(f"{formats!r}; choose md, docx or md,docx", param_hint="--to")
    try:
        result = read_xliff(file)
        doc, english = result.document, result.english
        stem = file.name[: -len(file.suffix)] if file.suffix else file.name
        files: dict[Path, bytes] = {}
        if "md" in wanted:
            files[outdir / f"{stem}.en.md"] = english_markdown(doc, english).encode()
            files[outdir / f"{stem}.bilingual.md"] = bilingual_markdown(doc, english).encode()
        if "docx" in wanted:
            from xyconvert.writers.docx import docx_bytes

            files[outdir / f"{stem}.en.docx"] = docx_bytes(doc, english, lang="en")
            files[outdir / f"{stem}.bilingual.docx"] = docx_bytes(doc, english, lang="bilingual")
        for target in files:
            if target.resolve() == file.resolve():
                raise OutputError(target, "refusing to overwrite the input file")
        try:
            outdir.mkdir(parents=True, exist_ok=True)
            for target, data in files.items():
                write_bytes(target, data)
        except OSError as exc:
            raise OutputError(outdir, f"cannot write: {exc.strerror or exc}") from None
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        sys.exit(exc.exit_code)
    summary = {
        "input": str(file),
        "units": result.units,
        "translated": result.translated,
        "states": result.states,
        "untranslated_units": result.missing,
        "outputs": [str(p) for p in files],
    }
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    for p in files:
        click.echo(f"wrote {p}")
    if result.missing:
        click.echo(
            f"xyconvert: warning: {file}: {len(result.missing)} of {result.units} units have no "
            "target; written as [untranslated: …]",
            err=True,
        )
