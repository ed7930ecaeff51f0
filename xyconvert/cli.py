"""Command-line entry point: ``xyconvert <command>``.

Sub-commands live in ``xyconvert.commands.*`` and are imported only when used,
so ``xyconvert --help`` stays fast (no pdfplumber, docx or translation imports).
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from typing import Any

import click

from xyconvert import __version__

# command name -> "module:attribute"; the module is imported on first use.
COMMANDS: dict[str, str] = {
    "convert": "xyconvert.commands.convert:convert",
    "repair": "xyconvert.commands.repair:repair",
    "glossary": "xyconvert.commands.glossary:glossary",
    "models": "xyconvert.commands.models:models",
    "brief": "xyconvert.commands.brief:brief",
    "check": "xyconvert.commands.check:check",
    "xliff": "xyconvert.commands.xliff:xliff",
    "archive": "xyconvert.commands.archive:archive",
    "search": "xyconvert.commands.search:search",
}

SHORT_HELP: dict[str, str] = {
    "xliff": "Import a reviewed XLIFF (from convert --to xliff) into English MD/DOCX.",
    "convert": "Convert reports (.txt, .pdf or .docx) into clean Markdown, text, JSON, DOCX, HTML.",
    "repair": "Repair garbled extracted text and print clean text (for pipes).",
    "glossary": "List, check, validate, import and audit policy-term glossaries.",
    "models": "Manage offline zh→en translation models (Argos packages).",
    "brief": "Write a short English briefing of a report.",
    "check": "Account for every character: nothing lost or invented (vs pdftotext/pdfminer/PDFium).",
    "archive": "Keep converted reports in a searchable SQLite archive; terms, indicators.",
    "search": "Full-text search (Chinese) in the archive, ranked, with snippets.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._available(name)]

    def _available(self, name: str) -> bool:
        module = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module) is not None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or not self._available(cmd_name):
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Every way a command can end becomes one documented exit code (never a traceback)."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        from xyconvert import interrupts

        previous: dict[int, Any] = {}

        def invoke() -> Any:
            # Installed inside _run: a signal landing while they are set up is handled too.
            previous.update(interrupts.install())
            return super(LazyGroup, self).main(*args, standalone_mode=False, **kwargs)

        try:
            code = _run(invoke)
            interrupts.restore(previous)  # for callers in the same process (tests)
        except KeyboardInterrupt as exc:  # a signal in the last instructions
            code = interrupts.exit_code(exc)
        sys.exit(code)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help without importing every command module.
        rows = [(name, SHORT_HELP.get(name, "")) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _run(invoke: Any) -> int:
    from xyconvert import errors, interrupts

    try:
        rv = invoke()
        interrupts.check()
        sys.stdout.flush()  # a full disk behind stdout is reported here, not at exit
        return rv if isinstance(rv, int) else errors.OK
    except SystemExit as exc:
        late = _late_interruption()
        if late is not None:
            return late
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt) as exc:
        click.echo("xyconvert: interrupted", err=True)
        return interrupts.exit_code(exc)
    except errors.XyError as exc:
        late = _late_interruption()  # interrupted first: the error is only its consequence
        if late is not None:
            return late
        click.echo(f"xyconvert: {exc}", err=True)
        return exc.exit_code
    except MemoryError:
        click.echo("xyconvert: out of memory", err=True)
        return errors.UNREADABLE_INPUT
    except OSError as exc:
        if exc.errno == errno.EPIPE:  # the reader of our output went away (| head)
            _quiet_stdout()
            return 128 + 13
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS, errno.EFBIG):
            _quiet_stdout()
            name = exc.filename or "standard output"
            click.echo(f"xyconvert: {name}: cannot write: {exc.strerror}", err=True)
            return errors.OUTPUT_ERROR
        return _internal(exc)
    except Exception as exc:  # a bug
        return _internal(exc)


def _late_interruption() -> int | None:
    """The exit code of a signal swallowed on the way (said in one line), or None.

    A signal that lands where Python cannot raise it (an import lock's callback) is kept
    for ``interrupts.check``; the run goes on until then, and may fail because of it
    (stdin closed by whoever sent it): the interruption decides the outcome."""
    from xyconvert import interrupts

    try:
        interrupts.check()
    except interrupts.Interrupted as late:
        click.echo("xyconvert: interrupted", err=True)
        return late.exit_code
    return None


def _internal(exc: BaseException) -> int:
    from xyconvert import errors

    if os.environ.get("XYCONVERT_DEBUG"):
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)
    click.echo(
        f"xyconvert: internal error ({type(exc).__name__}: {exc}); set XYCONVERT_DEBUG=1 for details",
        err=True,
    )
    return errors.INTERNAL


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xyconvert")
def main() -> None:
    """Turn Chinese government reports into clean, structured text.

    \b
    Typical use:
      xyconvert convert report.pdf -o out/            # out/report.zh.md
      xyconvert convert report.txt -o out/ --to all   # every format
      xyconvert convert report.docx -o report.md      # one input, one named file
      xyconvert repair report.pdf > clean.txt         # clean text on stdout

    Shell completion: eval "$(_XYCONVERT_COMPLETE=bash_source xyconvert)"

    Run `xyconvert COMMAND --help` for the options of each command.
    """


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
