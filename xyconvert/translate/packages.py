"""Installed Argos Translate packages: find, install (file or index), remove.

Packages live in Argos Translate's standard package directory
(``~/.local/share/argos-translate/packages`` or its settings), overridable by
``ARGOS_PACKAGES_DIR``. We read that variable at call time: ``argostranslate.settings``
reads it once at import, which would ignore a change made later in the same process.

Only ``argostranslate.package`` is imported (it pulls sentencepiece, not stanza or
torch); ``install_from_path`` itself imports ``argostranslate.translate`` (stanza, torch)
to clear a cache, which costs a few seconds once per install.
"""

from __future__ import annotations

import contextlib
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
        if not (sub / "metadata.json").is_file():
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
    names = zf.namelist()
    tops = {n.split("/", 1)[0] for n in names if n.strip("/")}
    if len(tops) != 1:
        raise UnreadableInput(source, "not an Argos package: expected one top-level directory")
    top = tops.pop()
    if any(n.startswith("/") or ".." in n.split("/") for n in names):
        raise UnreadableInput(source, "not an Argos package: unsafe paths in archive")
    if f"{top}/metadata.json" not in names:
        raise UnreadableInput(source, "not an Argos package: no metadata.json")
    try:
        meta = json.loads(zf.read(f"{top}/metadata.json"))
    except (ValueError, KeyError) as exc:
        raise UnreadableInput(source, f"not an Argos package: bad metadata.json ({exc})") from exc
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise UnreadableInput(source, "not an Argos package: metadata.json lacks from_code/to_code")
    return top


def install_file(path: Path) -> PackageInfo:
    """Install an ``.argosmodel`` file with ``argostranslate.package.install_from_path``."""
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(path, "no such file")
    if not zipfile.is_zipfile(path):
        raise UnreadableInput(path, "not an Argos package (.argosmodel is a zip archive)")
    with zipfile.ZipFile(path) as zf:
        top = _package_root(zf, path)
    target_dir = packages_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    if (target_dir / top).exists():
        shutil.rmtree(target_dir / top)  # a reinstall must not keep stale files

    from argostranslate import package as argos_package
    from argostranslate import settings

    # install_from_path extracts into settings.package_data_dir; keep it in step with
    # ARGOS_PACKAGES_DIR as read now (see module docstring).
    settings.package_data_dir = target_dir
    # An ImportError can only come after extraction, from the post-install cache refresh
    # (which imports argostranslate.translate → stanza/torch); our engine needs neither.
    with contextlib.suppress(ImportError):
        argos_package.install_from_path(path)
    installed = [p for p in installed_packages(target_dir) if p.path.name == top]
    if not installed:
        raise UnreadableInput(path, "installed, but the package could not be read back")
    return installed[0]


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
