"""``xyconvert search``: Chinese full-text search over the archive."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xyconvert.commands.archive import DB_OPTION, _years, dump_json, open_db, reports_interrupts

# --type names -> block types: a title is a heading, a numbered item a paragraph.
TYPES = {"heading": ("title", "heading"), "paragraph": ("paragraph", "list_item"), "table": ("table",)}


@click.command()
@click.argument("query")
@DB_OPTION
@click.option("--year", "year_spec", default=None, metavar="Y|Y1-Y2", help="Only reports of these years.")
@click.option("--region", default=None, help="Only reports of this region (part of its name: 安徽, 新源).")
@click.option("--type", "block_type", type=click.Choice(sorted(TYPES)), default=None,
              help="Only headings (with titles), paragraphs (with numbered items) or tables.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Most hits shown.")
@click.option("--json", "as_json", is_flag=True,
              help="Print hits as JSON (with block text, highlight offsets and score).")
@reports_interrupts
def search(
    query: str, db: Path | None, year_spec: str | None, region: str | None, block_type: str | None,
    limit: int, as_json: bool,
) -> None:
    """Find QUERY in the archived reports, best matches first.

    Every word of QUERY (separated by spaces; "quote" a phrase with spaces) must
    occur in a block. Words may be one character (碳), two (扶贫) or a phrase
    (乡村振兴战略); traditional and simplified characters match each other
    (發展 finds 发展); Latin words and numbers match whole (GDP, 5.8). Hits are
    ranked by FTS5's bm25 and show the document, its date, the page, the heading
    the block sits under and a snippet with the matches marked. A word in more
    than 4,000 blocks (发展) is ranked among the newest 4,000 (or --limit) of them;
    a note on stderr says so.

    \b
    Examples:
      xyconvert search 乡村振兴
      xyconvert search 碳 --year 2020-2024 --type paragraph
      xyconvert search "营商环境 改革" --region 安徽 --json

    Exit codes: 0 hits found, 1 no hit, 4 no archive there or not an archive.
    """
    from xyconvert.archive.search import search as run

    types = TYPES[block_type] if block_type else None
    info: dict[str, int] = {}
    hits = run(open_db(db), query, years=_years(year_spec), region=region, types=types, limit=limit, info=info)
    if info and info["ranked"] < info["matches"]:
        click.echo(f"xyconvert: {info['matches']} blocks match; the newest {info['ranked']} were ranked"
                   f" (--limit {info['matches']} ranks them all)", err=True)
    if as_json:
        dump_json([h.to_dict() for h in hits])
    else:
        tty = sys.stdout.isatty()
        mark = ("\x1b[1;31m", "\x1b[0m") if tty else ("[", "]")
        for h in hits:
            where = f"p. {h.page}" if h.page else "p. ?"
            under = f" · {h.heading}" if h.heading else ""
            head = f"#{h.doc_id} {h.title or h.source_name} ({h.date or h.year or 'undated'}) {where}{under}"
            click.echo(click.style(head, bold=True) if tty else head)
            click.echo(f"    {h.snippet(mark=mark)}")
    if not hits:
        if not as_json:
            click.echo("no hits", err=True)
        sys.exit(1)
