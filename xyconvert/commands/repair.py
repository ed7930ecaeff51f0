"""``xyconvert repair``: garbled text in, clean text out (for pipes)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xyconvert.errors import XyError
from xyconvert.pipeline import ConvertOptions, load_bytes, load_document


@click.command()
@click.argument("source", default="-", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--markdown", is_flag=True, help="Print Markdown (headings marked) instead of plain text.")
@click.option("--simplified", "script", flag_value="simplified", help="Convert to simplified characters.")
@click.option("--traditional", "script", flag_value="traditional", help="Convert to traditional characters.")
def repair(source: Path, markdown: bool, script: str | None) -> None:
    """Repair garbled extracted text and print clean text on stdout.

    SOURCE is a .txt or .pdf file, or - (the default) for standard input.
    Output: one paragraph or heading per line (or Markdown with --markdown).
    Memory is capped as for `convert` ($XYCONVERT_MAX_MEMORY MB, default 1536).

    \b
    Examples:
      xyconvert repair extracted.txt > clean.txt
      pdftotext report.pdf - | xyconvert repair - --markdown
    """
    from xyconvert.limits import apply_memory_limit, memory_limit_mb, out_of_memory_problem

    options = ConvertOptions(script=script)
    # This process converts one input and nothing else: cap it like a convert worker.
    limit = memory_limit_mb()
    apply_memory_limit(limit)
    try:
        if str(source) == "-":
            doc = load_bytes(sys.stdin.buffer.read(), Path("<stdin>"), options)
        else:
            doc = load_document(source, options)
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        sys.exit(exc.exit_code)
    except MemoryError:
        name = "<stdin>" if str(source) == "-" else source
        click.echo(f"xyconvert: {name}: {out_of_memory_problem(limit)}", err=True)
        sys.exit(4)
    if markdown:
        from xyconvert.writers.markdown import to_markdown

        text = to_markdown(doc, with_front_matter=False)
    else:
        from xyconvert.writers.plaintext import to_text

        text = to_text(doc)
    sys.stdout.write(text)
