"""``xyconvert repair``: garbled text in, clean text out (for pipes)."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from xyconvert import errors
from xyconvert.commands.options import finite_seconds, pdf_engine_option, script_flag
from xyconvert.pipeline import ConvertOptions, load_bytes, load_document


@click.command()
@click.argument("source", default="-", type=click.Path(allow_dash=True, readable=False, path_type=Path))
@click.option("--markdown", is_flag=True, help="Print Markdown (headings marked) instead of plain text.")
@click.option("--simplified", is_flag=True, expose_value=False, callback=script_flag("simplified"),
              help="Convert to simplified characters.")
@click.option("--traditional", is_flag=True, expose_value=False, callback=script_flag("traditional"),
              help="Convert to traditional characters.")
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@click.option("-f", "--from", "source_format", type=click.Choice(["txt", "pdf", "docx", "md"]), default=None,
              help="Input format, instead of detecting it.")
@pdf_engine_option()
@click.option("--keep-order", is_flag=True, help="Do not try to repair reversed or shuffled lines.")
@click.option("--keep-furniture", is_flag=True, help="Keep page numbers and running headers.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, callback=finite_seconds,
              help="Give up after this many seconds (exit 10, nothing printed), as convert does.")
def repair(source: Path, markdown: bool, script: str | None, password: str | None, source_format: str | None,
           keep_order: bool, keep_furniture: bool, pdf_engine: str | None, timeout: float | None) -> None:
    """Repair garbled extracted text and print clean text on stdout.

    SOURCE is a .txt, .pdf or .docx file, or - (the default) for standard input
    (text or PDF bytes). Giving the PDF itself beats piping pdftotext's output:
    the PDF reader sees fonts and positions, plain text has lost them.
    Output: one paragraph or heading per line (or Markdown with --markdown).
    Memory is capped as for `convert` ($XYCONVERT_MAX_MEMORY MB, default 1536).

    \b
    Examples:
      xyconvert repair extracted.txt > clean.txt
      pdftotext report.pdf - | xyconvert repair - --markdown
    """
    from xyconvert.limits import apply_memory_limit, memory_limit_mb, out_of_memory_problem

    options = ConvertOptions(script=script, password=password, source_format=source_format,
                             fix_order=not keep_order, drop_furniture=not keep_furniture, pdf_engine=pdf_engine)
    # This process converts one input and nothing else: cap it like a convert worker.
    limit = memory_limit_mb()
    apply_memory_limit(limit)
    name = "<stdin>" if str(source) == "-" else source
    try:
        with _deadline(timeout):
            if str(source) == "-":
                doc = load_bytes(sys.stdin.buffer.read(), Path("<stdin>"), options)
            else:
                doc = load_document(source, options)
            if markdown:
                from xyconvert.writers.markdown import to_markdown

                text = to_markdown(doc, with_front_matter=False)
            else:
                from xyconvert.writers.plaintext import to_text

                text = to_text(doc)
    except _TimedOut:
        click.echo(f"xyconvert: {name}: timed out after {timeout:g} s", err=True)
        sys.exit(errors.TIMEOUT)
    except MemoryError:
        click.echo(f"xyconvert: {name}: {out_of_memory_problem(limit)}", err=True)
        sys.exit(4)
    sys.stdout.write(text)


class _TimedOut(BaseException):
    """Raised by the alarm: a BaseException, so no ``except Exception`` on the way (the
    PDF reader maps parser errors) can take it for a broken file."""


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise ``_TimedOut`` in this process after ``seconds`` (wall clock, like convert's
    --timeout); convert kills a worker instead, repair runs in this process."""
    if seconds is None or seconds > 1e8 or not hasattr(signal, "setitimer"):  # 1e8 s: years, none
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
