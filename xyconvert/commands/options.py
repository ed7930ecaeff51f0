"""Option helpers shared by the sub-commands, so an option means the same everywhere."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem


def script_flag(name: str):  # noqa: ANN201 - a click callback
    """Callback for ``--simplified`` / ``--traditional`` (``is_flag``, ``expose_value=False``): both
    set the command's ``script`` parameter, and giving both is a usage error."""

    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        current = ctx.params.get("script")
        if value:
            if current not in (None, name):
                raise click.UsageError("--simplified and --traditional exclude each other")
            ctx.params["script"] = name
        else:
            ctx.params.setdefault("script", None)

    return callback


def complete_formats(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Shell completion of ``--to``: the formats, also after a comma (``md,d<TAB>``)."""
    from xyconvert.outputs import FORMATS

    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    taken = set(done.split(",")) if done else set()
    names = [f for f in (*FORMATS, "all") if f.startswith(last) and f not in taken]
    return [CompletionItem(prefix + f) for f in names]


class NullFile:
    """A file that swallows a progress bar when output is piped."""

    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def output_path(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """Callback of ``-o``: an empty name (``-o ''``, a shell variable that was not set) is a
    usage error in one line, not the current directory (``Path('')`` is ``.``)."""
    if value is None:
        return None
    if value == "":
        click.echo("xyconvert: -o: the output name is empty (an unset variable?); give a name", err=True)
        ctx.exit(2)
    return Path(value)


def finite_seconds(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Callback of ``--timeout``: nan and inf are not numbers of seconds."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds")
    return value


class PageBar:
    """Per-page progress of one PDF on stderr (``on_page(done, total)``), drawn from the first
    page read and finished at the last; nothing at all when ``shown`` is False."""

    def __init__(self, label: str, shown: bool) -> None:
        self.label = label
        self.shown = shown
        self.bar: Any = None
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        if not self.shown or self.finished:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, show_pos=True, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done >= total:
            self.close()

    def close(self) -> None:
        """End the bar's line (before a message, or when reading is done)."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        self.finished = True


def batch_options(*, verb: str, tree_example: str, jobs_help: str, memory_help: str) -> Callable[[Any], Any]:
    """The options of a command that runs the batch (convert, brief), in this order:
    --jobs, --timeout, --max-memory, --force, --keep-tree, -q, -v."""
    options = [
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help=jobs_help),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
                     callback=finite_seconds, help="Give up on an input after this many seconds."),
        click.option("--max-memory", "max_memory", type=click.IntRange(min=0), default=None, metavar="MB",
                     help=memory_help),
        click.option("--force", is_flag=True,
                     help=f"{verb} even if up to date, and replace outputs that came from other inputs."),
        click.option("--keep-tree", is_flag=True,
                     help=f"Mirror the input folders under OUT ({tree_example})."),
        click.option("-q", "--quiet", is_flag=True, help="Print errors only."),
        click.option("-v", "--verbose", is_flag=True, help="Also say what is skipped and why."),
    ]

    def decorate(command: Any) -> Any:
        for option in reversed(options):  # click lists options in decorator order, top first
            command = option(command)
        return command

    return decorate


PDF_ENGINE_HELP = ("Where PDF glyphs come from: PDFium (fast, C) or pdfplumber/pdfminer (pure Python, "
                   "2-3x slower). Reading order, tables and structure are the same code. "
                   "[default: $XYCONVERT_PDF_ENGINE, else pdfium]")


def pdf_engine_option(note: str = "") -> Callable[[Any], Any]:
    """``--pdf-engine``, one wording in every command that reads PDFs; ``note`` adds what is
    particular to one command."""
    return click.option("--pdf-engine", type=click.Choice(["pdfium", "pdfplumber"]), default=None,
                        help=PDF_ENGINE_HELP + (" " + note if note else ""))
