"""``xyconvert archive``: keep converted reports in one SQLite file and question them."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from xyconvert import errors
from xyconvert.commands.options import NullFile, output_path

F = TypeVar("F", bound=Callable[..., Any])

DB_OPTION = click.option(
    "--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="The archive file [default: $XYCONVERT_DB, else ./xyconvert.sqlite].",
)


def reports_interrupts(func: F) -> F:
    """Ctrl-C (or TERM, HUP) says what the archive kept; exit 128 + the signal as everywhere.

    An XyError needs nothing here: ``cli._run`` turns it into one line and its exit code.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt as exc:
            from xyconvert import interrupts

            click.echo("xyconvert: interrupted; the archive keeps every document completed", err=True)
            sys.exit(interrupts.exit_code(exc))

    return wrapper  # type: ignore[return-value]


def open_db(db: Path | None, *, create: bool = False):  # noqa: ANN201 - sqlite3.Connection
    from xyconvert.archive.schema import default_db, open_archive

    return open_archive(db or default_db(), create=create)


def dump_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


def print_table(columns: list[str], rows: list[dict[str, Any]], as_csv: bool) -> None:
    if as_csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
        return
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    click.echo("  ".join(_pad(c, w) for c, w in zip(columns, widths)).rstrip())
    for row in cells:
        click.echo("  ".join(_pad(v, w) for v, w in zip(row, widths)).rstrip())


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def _years(spec: str | None) -> tuple[int, int] | None:
    from xyconvert.archive.search import parse_years

    if spec is None:
        return None
    try:
        return parse_years(spec)
    except ValueError:
        raise click.BadParameter(f"{spec!r}: give a year (2024) or a range (2019-2024)", param_hint="--year") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def archive() -> None:
    """Keep converted reports in one SQLite file, and question the collection.

    The archive is a plain SQLite file (default ./xyconvert.sqlite, or $XYCONVERT_DB,
    or --db FILE) holding every report's metadata, blocks with their pages, the
    policy terms found and the briefing's indicators, with a Chinese full-text
    index (see `xyconvert search`).

    \b
    Examples:
      xyconvert archive add reports/ out/*.json      # convert or import; re-adding is a no-op
      xyconvert search 乡村振兴 --year 2020-2024
      xyconvert archive terms 扶贫 乡村振兴 --by year
      xyconvert archive indicators 地区生产总值 --period target
      xyconvert archive list
      xyconvert archive check
    """


@archive.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@DB_OPTION
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes that read, convert and index inputs, as for convert "
                   "[default: the number of CPUs]; the archive is written by this process. "
                   "1: all in this process.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary of what was done.")
@reports_interrupts
def add(inputs: tuple[Path, ...], db: Path | None, jobs: int | None, as_json: bool) -> None:
    """Convert INPUTS (.txt, .pdf, .md, .docx) or import our .json outputs into the archive.

    A directory contributes its .txt, .pdf, .md, .docx and .json files. A converted
    document goes in with one transaction, JSON imports in groups of up to 32: an
    interrupted add (Ctrl-C, TERM) leaves the archive as it was before the document
    it was working on; a kill -9 loses at most the open group. A source already archived (same
    sha256) is skipped; a file at an archived path with new content replaces the
    old version. The built-in glossary gives the policy terms and the briefing
    rules the indicators (both kept from the JSON, which `convert --to json`
    writes with them; computed for older JSON).

    Exit codes: 0 ok, 3/4/5/6 the one input failed (as for convert), 8 several
    inputs and some failed, 9 the archive cannot be written, 130 interrupted.
    """
    from xyconvert.archive.ingest import add_paths, expand_inputs

    paths = expand_inputs(inputs)
    if not paths:
        raise click.UsageError("no .txt, .pdf, .md, .docx or .json files in " + ", ".join(map(str, inputs)))
    conn = open_db(db, create=True)
    show_bar = len(paths) > 1 and sys.stderr.isatty() and not as_json
    results: list[dict[str, Any]] = []
    with click.progressbar(length=len(paths), label="archiving", file=sys.stderr if show_bar else NullFile()) as bar:

        def report(outcome: Any) -> None:
            bar.update(1)
            item = {"input": str(outcome.path), "status": outcome.status, "id": outcome.doc_id}
            if outcome.status == "failed":
                item.update(exit_code=outcome.exit_code, problem=outcome.problem)
                if not as_json:
                    click.echo(f"\nxyconvert: {outcome.path}: {outcome.problem}" if show_bar
                               else f"xyconvert: {outcome.path}: {outcome.problem}", err=True)
            results.append(item)

        add_paths(conn, paths, jobs=jobs or os.cpu_count() or 1, on_outcome=report)
    counts = {s: sum(1 for r in results if r["status"] == s) for s in ("added", "replaced", "unchanged", "failed")}
    if as_json:
        dump_json({"summary": counts, "results": results})
    else:
        click.echo(
            f"{counts['added']} added, {counts['replaced']} replaced, {counts['unchanged']} unchanged, "
            f"{counts['failed']} failed", err=True,
        )
    failed = [r for r in results if r["status"] == "failed"]
    if failed:
        sys.exit(int(failed[0]["exit_code"]) if len(results) == 1 else errors.PARTIAL_FAILURE)



@archive.command("list")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@reports_interrupts
def list_cmd(db: Path | None, as_json: bool, as_csv: bool) -> None:
    """List the archived documents (id, year, region, pages, blocks, title)."""
    from xyconvert.archive.queries import list_documents

    docs = list_documents(open_db(db))
    if as_json:
        dump_json(docs)
        return
    for d in docs:
        d["title"] = d["title"] or d["source_name"]
    print_table(["id", "year", "region", "pages", "block_count", "title", "source_name"], docs, as_csv)


@archive.command()
@click.argument("doc_id", metavar="ID", type=int)
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print metadata, headings and terms as JSON.")
@click.option("--document", "as_document", is_flag=True,
              help="Print the whole document model as JSON (the schema of `convert --to json`).")
@reports_interrupts
def show(doc_id: int, db: Path | None, as_json: bool, as_document: bool) -> None:
    """Show one document: metadata, outline (headings with pages) and policy terms."""
    from xyconvert.archive.queries import get_document, load_document

    conn = open_db(db)
    info = get_document(conn, doc_id)
    if info is None:
        raise errors.InputNotFound(f"document {doc_id}", "not in the archive (see `xyconvert archive list`)")
    if as_document:
        doc = load_document(conn, doc_id)
        assert doc is not None
        dump_json(doc.to_dict())
        return
    if as_json:
        dump_json(info)
        return
    for key in ("id", "title", "date", "year", "region", "issuing_body", "occasion", "speaker",
                "source_name", "source_path", "source_sha256", "imported_from", "pages", "block_count",
                "indicators", "added_at"):
        if info.get(key) not in (None, ""):
            click.echo(f"{key:14} {info[key]}")
    if info["headings"]:
        click.echo("\noutline:")
        for h in info["headings"]:
            indent = "  " * max(0, h["level"] - 2)
            click.echo(f"  {indent}{h['text']}  (p. {h['page']})")
    if info["terms"]:
        click.echo("\npolicy terms: " + "、".join(f"{t['zh']} {t['count']}" for t in info["terms"][:20]))


@archive.command()
@click.argument("doc_ids", metavar="ID…", nargs=-1, required=True, type=int)
@DB_OPTION
@reports_interrupts
def remove(doc_ids: tuple[int, ...], db: Path | None) -> None:
    """Remove documents (with their blocks, index rows, terms and indicators)."""
    from xyconvert.archive.queries import remove_document

    conn = open_db(db)
    missing = [i for i in doc_ids if not remove_document(conn, i)]
    for i in doc_ids:
        if i not in missing:
            click.echo(f"removed document {i}", err=True)
    if missing:
        raise errors.InputNotFound(f"document {missing[0]}", "not in the archive (see `xyconvert archive list`)")


@archive.command()
@DB_OPTION
@click.option("--jsonl", is_flag=True, required=True,
              help="One JSON document per line (our JSON schema, plus glossary, indicators, archive).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, callback=output_path,
              help="Write to this file (atomically) instead of stdout.")
@reports_interrupts
def export(db: Path | None, jsonl: bool, output: Path | None) -> None:
    """Export every document as JSON Lines.

    Each line is a document as `convert --to json` writes it (metadata, blocks
    with provenance), with its glossary terms, its indicators and an "archive"
    object (id, year, region, issuing body, when added).
    """
    from xyconvert.archive.queries import export_documents

    lines = (json.dumps(d, ensure_ascii=False) + "\n" for d in export_documents(open_db(db)))
    if output is None:
        for line in lines:
            click.echo(line, nl=False)
        return
    from xyconvert.atomic import atomic_open

    try:
        with atomic_open(output, "w") as fh:
            for line in lines:
                fh.write(line)
    except OSError as exc:
        raise errors.OutputError(output, f"cannot write: {exc.strerror or exc}") from None


@archive.command("check")
@DB_OPTION
@click.option("--quick", is_flag=True, help="Skip re-tokenising every block.")
@click.option("--reindex", is_flag=True,
              help="First rebuild the full-text index from the stored text (~12 ms per full report).")
@reports_interrupts
def check_cmd(db: Path | None, quick: bool, reindex: bool) -> None:
    """Check the archive's integrity; exit code 4 and a list of problems if any.

    Checks SQLite's and FTS5's own integrity, that every document has all its
    blocks with their text unchanged, and that every block has its full-text
    index row (with the tokens its text gives) and no index row is orphaned.
    --reindex rebuilds the index first (after a problem with it, or when this
    xyconvert tokenizes some characters differently).
    """
    from xyconvert.archive.queries import check, stats

    conn = open_db(db)
    if reindex:
        from xyconvert.archive.ingest import reindex as rebuild

        with conn:
            conn.execute("BEGIN IMMEDIATE")
            n = rebuild(conn)
        click.echo(f"re-indexed {n} blocks", err=True)
    problems = check(conn, tokens=not quick)
    for p in problems:
        click.echo(f"xyconvert: archive: {p}", err=True)
    s = stats(conn)
    if problems:
        sys.exit(errors.UNREADABLE_INPUT)
    click.echo(f"ok: {s['documents']} documents, {s['blocks']} blocks, {s['indicators']} indicators, "
               f"{s['terms']} term rows")


@archive.command()
@click.argument("terms", metavar="TERM…", nargs=-1, required=True)
@DB_OPTION
@click.option("--by", type=click.Choice(["document", "year"]), default="document", show_default=True,
              help="One row per document, or per report year.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@reports_interrupts
def terms(terms: tuple[str, ...], db: Path | None, by: str, as_json: bool, as_csv: bool) -> None:
    """How often each TERM occurs, per document or per year.

    Any word or phrase counts, glossary term or not; matching is the same as
    `xyconvert search` (simplified/traditional alike).

    \b
    Example:
      xyconvert archive terms 扶贫 乡村振兴 碳达峰 --by year --csv > terms.csv
    """
    from xyconvert.archive.queries import term_counts

    columns, rows = term_counts(open_db(db), list(terms), by=by)
    if as_json:
        dump_json(rows)
    else:
        print_table(columns, rows, as_csv)


@archive.command()
@click.argument("name", required=False)
@DB_OPTION
@click.option("--period", type=click.Choice(["result", "target"]), default=None,
              help="Only last year's results, or this year's targets.")
@click.option("--region", default=None, help="Only reports of this region (part of its name).")
@click.option("--year", "year_spec", default=None, metavar="Y|Y1-Y2", help="Only reports of these years.")
@click.option("--headline", is_flag=True, help="Only figures of the headline paragraphs.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@reports_interrupts
def indicators(
    name: str | None, db: Path | None, period: str | None, region: str | None, year_spec: str | None,
    headline: bool, as_json: bool, as_csv: bool,
) -> None:
    """Indicator values across the archive; without NAME, the indicator names.

    NAME matches every indicator whose name contains it. Values are exact
    decimals in base units (元, 吨, …; growth and shares in %), as the briefing
    extracts them; "year" is the year a result or target is for.

    \b
    Examples:
      xyconvert archive indicators                                # names, with counts
      xyconvert archive indicators 地区生产总值 --period target     # GRP targets, every report
      xyconvert archive indicators 粮食产量 --region 安徽 --csv
    """
    from xyconvert.archive.queries import INDICATOR_COLUMNS, indicator_names, indicator_values

    conn = open_db(db)
    if name is None:
        rows = indicator_names(conn)
        if as_json:
            dump_json(rows)
        else:
            print_table(["name", "documents", "results", "targets"], rows, as_csv)
        return
    rows = indicator_values(conn, name, period=period, region=region, years=_years(year_spec))
    if headline:
        rows = [r for r in rows if r["headline"]]
    if as_json:
        dump_json(rows)
    else:
        print_table(list(INDICATOR_COLUMNS), rows, as_csv)
