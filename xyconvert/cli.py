"""Command-line entry point: ``xyconvert <command>``.

Sub-commands live in ``xyconvert.commands.*`` and are imported only when used,
so ``xyconvert --help`` stays fast (no pdfplumber, docx or translation imports).
"""

from __future__ import annotations

import importlib
import sys

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
    "check": "Account for every character: nothing lost or invented (vs PDFium/pdftotext).",
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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help without importing every command module.
        rows = [(name, SHORT_HELP.get(name, "")) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


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
