"""Installed Argos Translate packages: find, install (file or index), remove.

Packages live in Argos Translate's standard package directory
(``~/.local/share/argos-translate/packages`` or its settings), overridable by
``ARGOS_PACKAGES_DIR``. We read that variable at call time: ``argostranslate.settings``
reads it once at import, which would ignore a change made later in the same process.

Only ``argostranslate.package`` is imported (it pulls sentencepiece, not stanza or
torch). Installing extracts the archive ourselves, after checking its layout
(``install_from_path`` would extract a package whose top directory is ``.``
straight over every installed package).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from xyconvert.errors import InputNotFound, NoTranslationModel, UnreadableInput

INDEX_TIMEOUT = 10  # seconds; offline it fails at once (DNS) or after this
DOWNLOAD_TIMEOUT = 60
INSTALL_HINT = (
    "download translate-zh_en-*.argosmodel on a connected machine "
    "(Argos Translate package index) and run `xyconvert models install FILE.argosmodel`"
)


class ModelInstallError(NoTranslationModel):
    """Installing a model failed (no network, no such pair, bad download)."""


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    name: str
    from_code: str
    to_code: str
    package_version: str
    argos_version: str
    from_name: str = ""
    to_name: str = ""
    target_prefix: str = ""

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def usable(self) -> bool:
        """Our engine needs a CTranslate2 model and a SentencePiece tokenizer."""
        return (self.model_dir / "model.bin").is_file() and self.sentencepiece_model.is_file()

    @property
    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    @property
    def cache_id(self) -> str:
        """Identifies the model for the sentence cache (changes with a new version/model)."""
        try:
            size = (self.model_dir / "model.bin").stat().st_size
        except OSError:
            size = -1
        return f"{self.name}|{self.from_code}-{self.to_code}|{self.package_version}|{size}"

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "from_code": self.from_code,
            "to_code": self.to_code,
            "from_name": self.from_name,
            "to_name": self.to_name,
            "package_version": self.package_version,
            "argos_version": self.argos_version,
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "usable": self.usable,
        }


def packages_dir() -> Path:
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    from argostranslate import settings

    return Path(settings.package_data_dir)


def _info(pkg) -> PackageInfo:
    return PackageInfo(
        path=Path(pkg.package_path),
        name=Path(pkg.package_path).name,
        from_code=pkg.from_code or "",
        to_code=pkg.to_code or "",
        package_version=pkg.package_version or "",
        argos_version=pkg.argos_version or "",
        from_name=pkg.from_name or "",
        to_name=pkg.to_name or "",
        target_prefix=getattr(pkg, "target_prefix", "") or "",
    )


def installed_packages(directory: Path | None = None) -> list[PackageInfo]:
    """Translation packages installed in ``directory`` (default: :func:`packages_dir`)."""
    directory = Path(directory) if directory else packages_dir()
    if not directory.is_dir():
        return []
    from argostranslate import package as argos_package

    found = []
    # Our own loop over argostranslate's Package class: get_installed_packages() aborts
    # on the first stray directory without metadata.json.
    for sub in sorted(directory.iterdir()):
        if sub.name.startswith(".") or not (sub / "metadata.json").is_file():  # .installing-*: ours, unfinished
            continue
        try:
            pkg = argos_package.Package(sub)
        except (OSError, ValueError):
            continue
        if getattr(pkg, "type", "translate") == "translate":
            found.append(_info(pkg))
    return found


def _version_key(v: str) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(v))
    except InvalidVersion:
        return (0, v)


def find_package(from_code: str = "zh", to_code: str = "en") -> PackageInfo | None:
    """The newest usable installed package for the pair, or None."""
    candidates = [
        p
        for p in installed_packages()
        if p.from_code == from_code and p.to_code == to_code and p.usable
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda p: _version_key(p.package_version))


def require_model(path: object = "xyconvert") -> PackageInfo:
    """The zh→en package, or NoTranslationModel — call before writing any output."""
    pkg = find_package("zh", "en")
    if pkg is None:
        raise NoTranslationModel(
            path,
            f"no zh→en model installed in {packages_dir()}: run "
            "`xyconvert models install FILE.argosmodel` (or `xyconvert models install zh en` "
            "when online)",
        )
    return pkg


def _package_root(zf: zipfile.ZipFile, source: Path) -> str:
    """The package's one top-level directory, after checking every member lies inside it.

    A top directory of ``.`` or ``..``, members outside it, absolute or ``..``
    paths, or empty path components are refused: installing must never touch
    anything in the packages directory but this package's own directory.
    """
    names = zf.namelist()
    if not names:
        raise UnreadableInput(source, "not an Argos package: empty archive")
    for n in names:
        parts = n.rstrip("/").split("/")
        if n.startswith("/") or "\\" in n or "\x00" in n or any(p in ("", ".", "..") for p in parts):
            raise UnreadableInput(source, f"not an Argos package: unsafe path {n!r} in archive")
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) != 1:
        raise UnreadableInput(source, "not an Argos package: expected one top-level directory")
    top = tops.pop()
    if any(n == top for n in names):  # the top is a file, not a directory
        raise UnreadableInput(source, "not an Argos package: expected one top-level directory")
    if f"{top}/metadata.json" not in names:
        raise UnreadableInput(source, "not an Argos package: no metadata.json")
    try:
        meta = json.loads(zf.read(f"{top}/metadata.json"))
    except (ValueError, KeyError, RecursionError) as exc:
        raise UnreadableInput(source, f"not an Argos package: bad metadata.json ({exc})") from exc
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise UnreadableInput(source, "not an Argos package: metadata.json lacks from_code/to_code")
    return top


def install_file(path: Path) -> PackageInfo:
    """Install an ``.argosmodel`` file (a zip of one package directory) into :func:`packages_dir`.

    The archive is checked, extracted into a staging directory beside the
    packages, and only then swapped in for an older copy of the same package;
    a failure at any point leaves the installed packages as they were.
    """
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(path, "no such file")
    if not zipfile.is_zipfile(path):
        raise UnreadableInput(path, "not an Argos package (.argosmodel is a zip archive)")
    target_dir = packages_dir()
    try:
        with zipfile.ZipFile(path) as zf:
            top = _package_root(zf, path)
            target_dir.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=target_dir))
            try:
                zf.extractall(staging)
                _swap_in(staging / top, target_dir / top)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise UnreadableInput(path, f"not an Argos package: damaged archive ({exc})") from None
    except OSError as exc:
        raise ModelInstallError(path, f"cannot install into {target_dir}: {exc.strerror or exc}") from None
    installed = [p for p in installed_packages(target_dir) if p.path.name == top]
    if not installed:
        shutil.rmtree(target_dir / top, ignore_errors=True)
        raise UnreadableInput(path, "not an Argos package: it could not be read back after extraction")
    return installed[0]


def _swap_in(new: Path, final: Path) -> None:
    """Put directory ``new`` at ``final``, replacing an older copy there (and nothing else)."""
    if not final.exists():
        os.replace(new, final)
        return
    old = final.with_name(f".removing-{final.name}-{os.getpid()}")
    os.replace(final, old)
    try:
        os.replace(new, final)
    except OSError:
        os.replace(old, final)  # put the previous install back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _fetch(url: str, timeout: float) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "xyconvert"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read()


def install_from_index(from_code: str = "zh", to_code: str = "en") -> PackageInfo:
    """Download the pair's newest package from the Argos index and install it."""
    from argostranslate import settings

    index_url = settings.remote_package_index
    try:
        index = json.loads(_fetch(index_url, INDEX_TIMEOUT))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise ModelInstallError(
            index_url, f"cannot reach the Argos package index ({exc}); offline, {INSTALL_HINT}"
        ) from exc
    entries = [
        e
        for e in index
        if isinstance(e, dict) and e.get("from_code") == from_code and e.get("to_code") == to_code
    ]
    if not entries:
        raise ModelInstallError(index_url, f"the index has no {from_code}→{to_code} package")
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version", ""))))
    errors = []
    for link in entry.get("links", []):
        try:
            data = _fetch(link, DOWNLOAD_TIMEOUT)
        except (urllib.error.URLError, OSError) as exc:
            errors.append(f"{link}: {exc}")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            file = Path(tmp) / f"translate-{from_code}_{to_code}.argosmodel"
            file.write_bytes(data)
            return install_file(file)
    raise ModelInstallError(
        index_url, f"download failed ({'; '.join(errors) or 'no links'}); {INSTALL_HINT}"
    )


def remove(from_code: str, to_code: str) -> list[PackageInfo]:
    """Remove every installed package for the pair; return what was removed."""
    removed = []
    for p in installed_packages():
        if p.from_code == from_code and p.to_code == to_code:
            # Plain rmtree, as argostranslate.package.uninstall does, without its
            # import of argostranslate.translate (stanza, torch) for a cache clear.
            shutil.rmtree(p.path)
            removed.append(p)
    return removed
