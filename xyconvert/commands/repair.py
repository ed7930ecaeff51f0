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
@click.option("--pdf-engine", type=click.Choice(["pdfium", "pdfplumber"]), default=None, help="Where PDF glyphs come from: PDFium (fast) or pdfplumber (pure Python) "
                   "[default: $XYCONVERT_PDF_ENGINE, else pdfium].")
def repair(source: Path, markdown: bool, script: str | None, pdf_engine: str | None) -> None:
    """Repair garbled extracted text and print clean text on stdout.

    SOURCE is a .txt or .pdf file, or - (the default) for standard input.
    Output: one paragraph or heading per line (or Markdown with --markdown).

    \b
    Examples:
      xyconvert repair extracted.txt > clean.txt
      pdftotext report.pdf - | xyconvert repair - --markdown
    """
    options = ConvertOptions(script=script, pdf_engine=pdf_engine)
    try:
        if str(source) == "-":
            doc = load_bytes(sys.stdin.buffer.read(), Path("<stdin>"), options)
        else:
            doc = load_document(source, options)
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        sys.exit(exc.exit_code)
    if markdown:
        from xyconvert.writers.markdown import to_markdown

        text = to_markdown(doc, with_front_matter=False)
    else:
        from xyconvert.writers.plaintext import to_text

        text = to_text(doc)
    sys.stdout.write(text)
