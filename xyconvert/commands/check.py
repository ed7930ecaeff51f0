"""``xyconvert check``: is every character of the input in the output, exactly once?"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from xyconvert import errors
from xyconvert.commands.options import pdf_engine_option
from xyconvert.errors import XyError


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reference", type=click.Choice(["auto", "pdfium", "pdftotext", "pdfminer"]), default="auto",
              show_default=True,
              help="Independent extractor to compare with. auto: those independent of the engine "
                   "(for pdfium: pdftotext where installed, then pdfminer; for pdfplumber: PDFium, "
                   "then pdftotext), the second for the pages the first disagrees on.")
@click.option("--threshold", type=click.FloatRange(min=0, max=1), default=0.001, show_default=True,
              help="Largest unexplained difference allowed per page, as a share of its characters.")
@click.option("--pages", "page_range", default=None, metavar="A-B",
              help="Check only these pages (1-based, e.g. 3-10).")
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@pdf_engine_option("The references are those independent of it.")
@click.option("-v", "--verbose", is_flag=True, help="List every page, not only those with differences.")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
def check(
    inputs: tuple[Path, ...],
    reference: str,
    threshold: float,
    page_range: str | None,
    password: str | None,
    pdf_engine: str | None,
    verbose: bool,
    as_json: bool,
) -> None:
    """Account for every character of a report: nothing lost, nothing invented.

    For a PDF, every page's text from an extractor independent of the glyph
    engine (pdftotext where installed, pdfminer, PDFium) is compared with what
    xyconvert reads, as
    multisets of characters (whitespace and order aside; NFKC forms are equal).
    What xyconvert leaves out on purpose is counted by reason: page furniture
    (running headers, page numbers, printer slugs), fake-bold doubles, glyphs
    without a Unicode mapping, hidden, rotated or off-page text. Then the
    document's blocks are compared with the lines read, so the repair stages
    (joins, headings, reordering) are checked too. Text inputs get the second
    check only.

    Exit code 0 when every page's unexplained difference is within
    --threshold, 11 when characters are unaccounted for (listed per page).

    \b
    Examples:
      xyconvert check report.pdf
      xyconvert check report.pdf --pages 5-12 --verbose
      xyconvert check report.pdf --json > report.check.json
    """
    from xyconvert.pipeline import sniff_format
    from xyconvert.verify import conservation

    logging.getLogger("xyconvert").setLevel(logging.ERROR)
    pages = _parse_pages(page_range)
    refs = None if reference == "auto" else (reference,)
    if reference == "pdftotext":
        from xyconvert.verify.reference import available

        if not available("pdftotext"):
            raise click.UsageError("pdftotext is not installed (Debian/Ubuntu: apt install poppler-utils)")
    reports = []
    code = errors.OK
    for path in inputs:
        try:
            if not path.exists():
                raise errors.InputNotFound(path, "no such file")
            with path.open("rb") as f:
                head = f.read(1024)
            if sniff_format(path, head) == "pdf":
                report = conservation.check_pdf(path, password, refs, threshold, pages, pdf_engine)
            else:
                report = conservation.check_text(path, threshold)
        except XyError as exc:
            click.echo(f"xyconvert: {exc}", err=True)
            code = code or exc.exit_code
            continue
        except OSError as exc:
            click.echo(f"xyconvert: {path}: cannot read: {exc.strerror or exc}", err=True)
            code = code or errors.UNREADABLE_INPUT
            continue
        reports.append(report)
        if not report.ok:
            code = code or errors.CHARACTERS_LOST
        if not as_json:
            _print(report, verbose)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
    sys.exit(code)


def _parse_pages(value: str | None) -> range | None:
    if value is None:
        return None
    try:
        a, _, b = value.partition("-")
        first, last = int(a), int(b or a)
    except ValueError:
        raise click.BadParameter(f"{value!r}: give pages as A-B, e.g. 3-10", param_hint="--pages") from None
    if first < 1 or last < first:
        raise click.BadParameter(f"{value!r}: pages start at 1 and A <= B", param_hint="--pages")
    return range(first - 1, last)


def _print(report, verbose: bool) -> None:  # noqa: ANN001 - conservation.Report
    status = "ok" if report.ok else "CHARACTERS UNACCOUNTED FOR"
    if report.pages:
        click.echo(f"{report.path}: {status}: {report.chars} characters on {len(report.pages)} pages, "
                   f"{report.unexplained} unexplained")
    else:
        click.echo(f"{report.path}: {status}: {report.repair.chars} characters read (text input: "
                   f"the repair stages checked), {report.unexplained} unexplained")
    explained = report.explained()
    if explained:
        click.echo("  left out on purpose: " + ", ".join(f"{k} {v}" for k, v in explained.most_common()))
    for s in [*report.pages, report.repair]:
        if not verbose and not s.unexplained:
            continue
        line = f"  {s.label}: {s.chars} chars ({s.reference}), {s.unexplained} unexplained"
        if s.missing:
            line += f"; lost: {_sample(s.missing)}"
        if s.extra:
            line += f"; invented: {_sample(s.extra)}"
        click.echo(line)


def _sample(counts) -> str:  # noqa: ANN001 - Counter[str]
    text = "".join(ch * n for ch, n in counts.most_common())
    return repr(text if len(text) <= 40 else text[:40] + "…")
