"""Option helpers shared by the sub-commands, so an option means the same everywhere."""

from __future__ import annotations

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
