"""``xyconvert models``: list, install and remove offline zh→en models (Argos packages)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xyconvert.errors import XyError


def _fail(err: XyError) -> None:
    click.echo(f"xyconvert: {err.path}: {err.problem}", err=True)
    sys.exit(err.exit_code)


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


@click.group()
def models() -> None:
    """Manage offline zh→en translation models (Argos Translate packages).

    \b
    Packages live in Argos Translate's package directory
    (~/.local/share/argos-translate/packages), or in $ARGOS_PACKAGES_DIR if set.
    """


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def list_cmd(as_json: bool) -> None:
    """List installed translation packages."""
    from xyconvert.translate.packages import find_package, installed_packages, packages_dir

    pkgs = installed_packages()
    active = find_package("zh", "en")
    if as_json:
        data = {
            "packages_dir": str(packages_dir()),
            "packages": [
                {**p.to_dict(), "active": active is not None and p.path == active.path}
                for p in pkgs
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not pkgs:
        click.echo(f"No translation packages installed in {packages_dir()}.")
        click.echo("Install one with: xyconvert models install FILE.argosmodel")
        return
    for p in pkgs:
        mark = "*" if active is not None and p.path == active.path else " "
        usable = "" if p.usable else "  (not usable: no CTranslate2 model/SentencePiece)"
        click.echo(
            f"{mark} {p.from_code}→{p.to_code}  {p.name}  v{p.package_version}  "
            f"{_human(p.size_bytes)}{usable}"
        )
    click.echo(f"(in {packages_dir()}; * = used for zh→en)")


@models.command("install")
@click.argument("args", nargs=-1, required=True, metavar="FILE.argosmodel | FROM TO")
def install_cmd(args: tuple[str, ...]) -> None:
    """Install a package from a file, or FROM TO (e.g. zh en) from the Argos index.

    \b
      xyconvert models install translate-zh_en-1_9.argosmodel   # offline
      xyconvert models install zh en                            # needs network
    """
    from xyconvert.translate import packages

    try:
        if len(args) == 1:
            info = packages.install_file(Path(args[0]))
        elif len(args) == 2:
            click.echo(f"Downloading {args[0]}→{args[1]} from the Argos package index…", err=True)
            info = packages.install_from_index(args[0], args[1])
        else:
            raise click.UsageError("give one .argosmodel file, or two language codes (zh en)")
    except XyError as err:
        _fail(err)
        return
    click.echo(f"Installed {info.from_code}→{info.to_code} {info.name} v{info.package_version}")
    click.echo(f"  in {info.path}")
    if not info.usable:
        click.echo(
            "  warning: no CTranslate2 model/ or sentencepiece.model: xyconvert cannot use it",
            err=True,
        )


@models.command("remove")
@click.argument("from_code")
@click.argument("to_code")
def remove_cmd(from_code: str, to_code: str) -> None:
    """Remove installed packages for a language pair (e.g. zh en).

    Exit code 7 when no package of the pair is installed.
    """
    from xyconvert.errors import NO_TRANSLATION_MODEL
    from xyconvert.translate.packages import remove

    removed = remove(from_code, to_code)
    if not removed:
        click.echo(f"xyconvert: no {from_code}→{to_code} package installed (nothing removed)", err=True)
        sys.exit(NO_TRANSLATION_MODEL)
    for p in removed:
        click.echo(f"Removed {p.from_code}→{p.to_code} {p.name} v{p.package_version}")
