"""Install size: a fresh venv with xyconvert (target < 400 MB) vs an empty venv.

Builds a new virtual environment in a temporary directory the Makefile's way
(``pip install -e .``, ``pip install --no-deps argostranslate``; then the dev
tools, ``.[dev]``), measures its size on disk (files' sizes, byte-compiled caches
included) and the install times, and checks that the light install
still installs a real Argos package (the tiny one from tests/tinymodel.py) with
``xyconvert models install`` and lists it. Baseline: an empty venv (Python + pip)
made in the same run. Needs the package registry (or a warm pip cache); without
one it reports the failure instead of figures.

Run: ``python bench/bench_install.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
TARGET_MB = 400.0


def _size_mb(path: Path) -> float:
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            p = Path(dirpath) / name
            if not p.is_symlink():
                total += p.stat().st_size
    return total / 1e6


def _argos_spec() -> str:
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("ARGOS_SPEC ?="):
            return line.split("?=", 1)[1].strip()
    return "argostranslate"


def run() -> dict[str, float | int | str]:
    results: dict[str, float | int | str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp_name:
        tmp = Path(tmp_name)
        empty = tmp / "empty"
        subprocess.run([sys.executable, "-m", "venv", str(empty)], check=True)
        base_mb = _size_mb(empty)
        results["baseline_empty_venv_mb"] = base_mb

        venv = tmp / "venv"
        py = venv / "bin" / "python"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        # The runtime install (what `pip install xyconvert` users get), then the dev
        # tools `make install` adds on top (pytest, ruff, rapidfuzz, reportlab).
        runtime = [
            [str(py), "-m", "pip", "install", "-q", "-e", str(ROOT)],
            [str(py), "-m", "pip", "install", "-q", "--no-deps", _argos_spec()],
        ]
        dev = [[str(py), "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]"]]
        for cmd in runtime:
            if not _pip(cmd, results):
                return results
        results["install_runtime_s"] = time.perf_counter() - t0
        size = _size_mb(venv)
        results["runtime_venv_mb"] = size
        results["ratio_to_empty_venv"] = size / base_mb
        results["runtime_under_target_400mb"] = "yes" if size < TARGET_MB else "NO"
        heavy = subprocess.run(
            [str(py), "-c", "import importlib.util as u;print(','.join(m for m in "
             "('torch','stanza','spacy') if u.find_spec(m)))"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        results["heavy_modules_installed"] = heavy or "none"

        # The light install still installs and lists a real Argos package.
        import tinymodel

        archive = tinymodel.build_package(tmp / "dist")
        env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp / "packages"), "XDG_DATA_HOME": str(tmp / "data")}
        exe = str(venv / "bin" / "xyconvert")
        inst = subprocess.run([exe, "models", "install", str(archive)], capture_output=True, text=True, env=env)
        listed = subprocess.run([exe, "models", "list", "--json"], capture_output=True, text=True, env=env)
        ok = inst.returncode == 0 and listed.returncode == 0 and '"zh"' in listed.stdout
        results["models_install_tiny_package"] = "ok" if ok else f"FAILED: {(inst.stderr or listed.stderr)[-200:]}"

        t1 = time.perf_counter()
        for cmd in dev:
            if not _pip(cmd, results):
                return results
        results["install_dev_tools_s"] = time.perf_counter() - t1
        results["make_install_venv_mb"] = _size_mb(venv)
    return results


def _pip(cmd: list[str], results: dict[str, float | int | str]) -> bool:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        results["error"] = f"{' '.join(cmd[3:])}: {proc.stderr.strip()[-300:]}"
    return proc.returncode == 0


if __name__ == "__main__":
    for key, value in run().items():
        shown = f"{value:,.1f}" if isinstance(value, float) else str(value)
        print(f"{key:30s} {shown}")
