"""``xyconvert glossary``: list, check, validate and import policy-term glossaries."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from xyconvert.commands.options import output_path
from xyconvert.errors import UnreadableInput

_GLOSSARY_OPTION = click.option(
    "--glossary",
    "glossaries",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A user glossary (TSV, CSV or TBX) overriding the built-in one; repeatable, "
    "later files win.",
)


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def glossary() -> None:
    """List, check, validate, import and audit policy-term glossaries.

    The built-in glossary holds accepted English renderings of policy terms in
    government work reports (several per term, separated by " | "; the first is
    the one output). User glossaries (TSV or CSV with the columns zh, en,
    category, note; or TBX) override it entry by entry.

    \b
    Examples:
      xyconvert glossary list --category xinjiang
      xyconvert glossary check report.txt --glossary my_terms.tsv
      xyconvert glossary validate my_terms.tsv
      xyconvert glossary import termbase.tbx -o my_terms.tsv
      xyconvert glossary audit --tmx GR2014.tmx --tmx GR2015.tmx
    """


@glossary.command("list")
@click.option("--category", "-c", default=None, help="Only entries of this category.")
@_GLOSSARY_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of entries.")
def list_cmd(category: str | None, glossaries: tuple[Path, ...], as_json: bool) -> None:
    """Print the glossary as TSV (itself a valid glossary file) or JSON."""
    from xyconvert.glossary import format_tsv, load_glossary

    merged = load_glossary(glossaries)
    entries = list(merged)
    if category is not None:
        if category not in merged.categories():
            raise click.BadParameter(
                f"{category!r}; known: {', '.join(merged.categories())}", param_hint="--category"
            )
        entries = [e for e in entries if e.category == category]
    if as_json:
        _dump([{k: v for k, v in e.to_dict().items() if k != "origin"} for e in entries])
    else:
        click.echo(format_tsv(entries), nl=False)


@glossary.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@_GLOSSARY_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--limit", default=30, show_default=True, help="Most candidate terms to list.")
@click.option(
    "--min-count", default=2, show_default=True, help="Occurrences a (non-quoted) candidate needs."
)
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@click.option("--keep-order", is_flag=True, help="Do not try to repair reversed or shuffled lines.")
@click.option("--keep-furniture", is_flag=True, help="Keep page numbers and running headers.")
def check(
    input_path: Path, glossaries: tuple[Path, ...], as_json: bool, limit: int, min_count: int,
    password: str | None, keep_order: bool, keep_furniture: bool,
) -> None:
    """Show the glossary terms a report uses, and frequent terms the glossary lacks.

    INPUT is read like `xyconvert convert` reads it (.txt, .pdf or .docx, repaired).
    Candidates are quoted phrases and frequent uncommon words of the report
    (jieba), for a curator to add to a glossary.
    """
    from xyconvert.glossary import check_document, load_glossary
    from xyconvert.pipeline import ConvertOptions, load_document

    merged = load_glossary(glossaries)
    document = load_document(input_path, ConvertOptions(
        password=password, fix_order=not keep_order, drop_furniture=not keep_furniture))
    result = {
        "input": str(input_path),
        **check_document(document, merged, limit=limit, min_count=min_count),
    }
    if as_json:
        _dump(result)
        return
    click.echo(
        f"{input_path}: {result['terms_found']} glossary terms, "
        f"{result['occurrences']} occurrences ({result['glossary_entries']} entries)"
    )
    for term in sorted(result["terms"], key=lambda t: -t["count"]):
        click.echo(f"{term['count']:5d}  {term['zh']}\t{term['en']}\t[{term['category']}]")
    if result["candidates"]:
        click.echo(f"\nCandidate terms not in the glossary (top {limit}):")
        for cand in result["candidates"]:
            click.echo(f"{cand['count']:5d}  {cand['zh']}\t({cand['kind']})")


@glossary.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--json", "as_json", is_flag=True, help="Print problems as JSON.")
def validate(file: Path, strict: bool, as_json: bool) -> None:
    """Check a glossary file (TSV, CSV or TBX) and list every problem with its line.

    Exit code 0 when valid, 4 when it has errors (or warnings, with --strict).
    """
    from xyconvert.glossary import CATEGORIES, builtin_path, check_glossary_file
    from xyconvert.glossary.entries import Problem

    entries, problems = check_glossary_file(file)
    if file.resolve() == builtin_path().resolve():
        # The built-in glossary must stick to the documented categories.
        for entry in entries:
            if entry.category not in CATEGORIES:
                line = int(entry.origin.rsplit(":", 1)[1])
                problems.append(Problem(line, f"unknown category {entry.category!r}"))
        problems.sort(key=lambda p: p.line)
    errors = [p for p in problems if p.severity == "error" or strict]
    if as_json:
        _dump(
            {
                "file": str(file),
                "entries": len(entries),
                "valid": not errors,
                "problems": [
                    {"line": p.line, "severity": p.severity, "message": p.message} for p in problems
                ],
            }
        )
    else:
        for p in problems:
            click.echo(f"{file}: line {p.line}: {p.severity}: {p.message}", err=True)
        status = "OK" if not errors else f"{len(errors)} error(s)"
        click.echo(f"{file}: {len(entries)} entries, {status}")
    if errors:
        click.get_current_context().exit(UnreadableInput.exit_code)


@glossary.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    callback=output_path,
    help="TSV file to write (atomically); default: standard output.",
)
def import_cmd(source: Path, output: Path | None) -> None:
    """Convert a TBX (or CSV) glossary into an editable TSV glossary.

    Entries without a Chinese or English term are skipped (and counted); when a
    Chinese term appears twice, the later entry wins.
    """
    from xyconvert.glossary import Glossary, check_glossary_file, format_tsv, write_tsv
    from xyconvert.glossary.entries import raise_for_errors

    entries, problems = check_glossary_file(source)
    raise_for_errors(source, problems)  # the first error, with its line
    merged = list(Glossary(entries))  # de-duplicate by match key, later wins
    skipped = [p for p in problems if p.message.endswith("skipped")]
    if output is None:
        sys.stdout.write(format_tsv(merged))
    else:
        write_tsv(merged, output)
    note = f" ({len(skipped)} entries without zh or en skipped)" if skipped else ""
    where = output if output is not None else "standard output"
    click.echo(f"{source}: {len(merged)} entries written to {where}{note}", err=True)


@glossary.command()
@click.argument("more_tmx", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--tmx",
    "tmx_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Official translations as TMX (zh and en segments); repeatable.",
)
@_GLOSSARY_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the full audit as JSON.")
@click.option("--limit", default=40, show_default=True, help="Terms to list (worst first).")
@click.option(
    "--candidates", default=0, show_default=True,
    help="Also list this many frequent phrases of the official Chinese the glossary lacks.",
)
def audit(
    more_tmx: tuple[Path, ...], tmx_files: tuple[Path, ...], glossaries: tuple[Path, ...], as_json: bool, limit: int,
    candidates: int,
) -> None:
    """Check the glossary against official translations (TMX segment pairs).

    For every term found in the Chinese segments: in how many of them one of its
    accepted renderings occurs in the official English (case, hyphens and plurals
    ignored), and, where it does not, the frequent official wordings (n-grams of
    those English segments, ranked by tf-idf). Overall agreement = agreeing
    occurrences / occurrences (one occurrence = one segment holding the term).

    \b
    Examples:
      xyconvert glossary audit --tmx GR2014.tmx --tmx GR2015.tmx --limit 20
      xyconvert glossary audit --tmx tmx/*.tmx --json > audit.json
    """
    tmx_files = tmx_files + more_tmx
    if not tmx_files:
        raise click.UsageError("give the official translations: --tmx FILE.tmx (repeatable)")
    from xyconvert.glossary import load_glossary
    from xyconvert.glossary.audit import audit_files

    result = audit_files(load_glossary(glossaries), [str(p) for p in tmx_files], candidates=candidates)
    if as_json:
        _dump({"files": [str(p) for p in tmx_files], **result.to_dict()})
        return
    click.echo(
        f"{len(result.units)} segments, {len(result.terms)} terms, {result.occurrences} occurrences: "
        f"agreement {result.agreement:.1%} ({result.agreeing}/{result.occurrences})"
    )
    for t in [t for t in result.terms if t.agreeing < t.occurrences][:limit]:
        hints = "; ".join(f"{g} ({n})" for g, n in t.suggestions[:3])
        click.echo(
            f"{t.agreeing:4d}/{t.occurrences:<4d} {t.entry.zh}\t{t.entry.en}\n"
            f"           official: {hints or '-'}"
        )
    if result.candidates:
        click.echo("\nFrequent phrases the glossary lacks:")
        for cand in result.candidates:
            click.echo(f"{cand['count']:5d}  {cand['zh']}\t({cand['kind']})")
