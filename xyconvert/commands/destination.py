"""Where ``-o`` sends the outputs, the way pandoc users expect.

``-o out/`` (or any name without an output extension) is a directory, as for a
batch; ``-o report.md`` / ``report.docx`` / ``report.html`` names the one file
to write when there is one input, its format taken from the extension; ``-o -``
writes one text format to standard output. An input ``-`` is read from
standard input (text or PDF bytes) and goes to standard output unless ``-o``
says otherwise. Shared by ``convert`` and ``brief``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

from xyconvert.errors import OutputError

# Output extension -> format name of ``--to``.
EXTENSIONS = {".md": "md", ".markdown": "md", ".txt": "txt", ".json": "json", ".docx": "docx",
              ".html": "html", ".htm": "html"}
TEXT_FORMATS = ("md", "txt", "json", "html")


@dataclass(frozen=True)
class Destination:
    kind: str  # "dir", "file" or "stdout"
    path: Path | None = None  # the directory or the file
    fmt: str | None = None  # the one format, for "file" and "stdout"


def resolve(output: Path | None, inputs: tuple[Path, ...], formats: list[str] | None,
            *, allowed: tuple[str, ...] = tuple(EXTENSIONS.values()), several: bool = False) -> Destination:
    """Decide the destination; raise ``click.UsageError`` when the combination makes no sense.

    ``formats`` is what ``--to`` asked for, or None when ``--to`` was not given;
    ``several``: the command writes several files whatever ``--to`` says (``--translate``).
    A name with an output extension is still a directory when ``--to`` asks for other
    or several formats, or with ``several``, as before ``-o FILE`` existed
    (``-o out/report.txt --to md,json`` makes that directory).
    """
    stdin = any(str(p) == "-" for p in inputs)
    if stdin and len(inputs) > 1:
        raise click.UsageError("standard input (-) can only be converted on its own")
    if output is None:
        if stdin:
            return _stdout(formats)
        return Destination("dir", Path("."))
    if str(output) == "-":
        if len(inputs) != 1 or (not stdin and inputs[0].is_dir()):
            raise click.UsageError("-o - writes one input to standard output")
        return _stdout(formats)
    fmt = EXTENSIONS.get(output.suffix.lower())
    if fmt is None or output.is_dir() or fmt not in allowed or several or (formats is not None and formats != [fmt]):
        if stdin:
            raise click.UsageError("standard input (-) goes to one file or to standard output (-o -)")
        return Destination("dir", output)
    if len(inputs) != 1 or (not stdin and inputs[0].is_dir()):
        raise click.UsageError(f"-o {output} names one file, but there are several inputs; give a directory")
    return Destination("file", output, fmt)


def _stdout(formats: list[str] | None) -> Destination:
    fmt = (formats or ["md"])
    if len(fmt) != 1 or fmt[0] not in TEXT_FORMATS:
        raise click.UsageError("standard output takes one text format: --to md, txt, json or html")
    return Destination("stdout", None, fmt[0])


def read_input(path: Path) -> tuple[bytes | None, Path]:
    """(stdin bytes, display name) for ``-``; (None, path) for a file."""
    if str(path) == "-":
        return sys.stdin.buffer.read(), Path("<stdin>")
    return None, path


def deliver(dest: Destination, data: bytes, source: Path | None) -> str | None:
    """Write ``data`` to the file (atomically) or stdout; return the file name written."""
    if dest.kind == "stdout":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return None
    assert dest.path is not None
    from xyconvert.atomic import write_bytes

    target = dest.path
    if source is not None and source.exists() and target.exists() and target.resolve() == source.resolve():
        raise OutputError(target, "refusing to overwrite the input file")
    if target.parent != Path("") and not target.parent.is_dir():
        raise OutputError(target, f"cannot write: directory {target.parent} does not exist")
    try:
        write_bytes(target, data)
    except OSError as exc:
        raise OutputError(target, f"cannot write: {exc.strerror or exc}") from None
    return str(target)


def check_directory(outdir: Path) -> None:
    """Fail early (exit 9) when OUT cannot be a writable directory: a file in the way,
    a read-only or virtual file system (``/proc``). Nothing is left behind."""
    if outdir.is_dir():
        probe_in = outdir
    else:
        node = outdir
        while not node.exists():
            if node.parent == node:
                break
            node = node.parent
        if not node.is_dir():
            raise OutputError(outdir, f"cannot create the output directory: {node} is not a directory")
        probe_in = node
    try:
        tempfile.TemporaryDirectory(dir=probe_in, prefix=".xyconvert-probe-").cleanup()
    except OSError as exc:
        raise OutputError(outdir, f"is not writable ({exc.strerror or exc})") from None
    if not os.access(probe_in, os.W_OK | os.X_OK):
        raise OutputError(outdir, "is not writable (permission denied)")


def convert_one(
    source: Path, dest: Destination, options: dict[str, object], *, reference_docx: Path | None,
    glossaries: tuple[Path, ...], quiet: bool = False,
) -> int:
    """``convert`` with one input and a named file or stdout: no manifest, like pandoc."""
    from xyconvert.commands.options import PageBar
    from xyconvert.errors import XyError
    from xyconvert.outputs import RenderOptions, render
    from xyconvert.pipeline import ConvertOptions, load_bytes, load_document

    assert dest.fmt is not None
    pages = PageBar("reading " + ("stdin" if str(source) == "-" else source.name), shown=not quiet and sys.stderr.isatty())
    try:
        data, name = read_input(source)
        convert_options = ConvertOptions(**options)  # type: ignore[arg-type]
        try:
            doc = (load_document(source, convert_options, pages) if data is None
                   else load_bytes(data, name, convert_options, pages))
        finally:
            pages.close()
        opts = RenderOptions(formats=[dest.fmt], reference_docx=reference_docx)
        if dest.fmt == "json":
            from xyconvert.glossary import hits_to_json, load_glossary, match_document

            glossary = load_glossary(list(glossaries))
            opts.extra_json["glossary"] = hits_to_json(match_document(doc, glossary), glossary)
            from xyconvert.briefing import document_indicators

            opts.extra_json["indicators"] = document_indicators(doc, glossary)
        files = render(doc, "out", opts)
        written = deliver(dest, next(iter(files.values())), None if data is not None else source)
    except XyError as exc:
        click.echo(f"xyconvert: {exc}", err=True)
        return exc.exit_code
    if not quiet:
        for warning in doc.metadata.warnings:
            click.echo(f"xyconvert: warning: {name}: {warning}", err=True)
        if written:
            click.echo(f"wrote {written}", err=dest.kind == "stdout")
    return 0
