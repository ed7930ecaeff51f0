"""Shared test set-up.

``tests/support`` (gold scorer, garbler) is imported as ``support``: the name
``tests`` is taken by a top-level package that argostranslate installs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"


PDF_ENGINES = ["pdfium", "pdfplumber"]


@pytest.fixture(scope="module", params=PDF_ENGINES)
def pdf_engine(request):
    """Run a PDF test module once per glyph engine: the reader's default engine comes
    from $XYCONVERT_PDF_ENGINE, which the CLI and ``read_pdf`` read at call time."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XYCONVERT_PDF_ENGINE", request.param)
    yield request.param
    mp.undo()


@pytest.fixture(scope="session")
def gold_md() -> str:
    return (SAMPLES / "seed_gold.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_report() -> Path:
    return SAMPLES / "seed_report.txt"


@pytest.fixture(scope="session")
def argos_env(tmp_path_factory):
    """A tiny package installed with argostranslate's install_from_path into a temp dir."""
    import tinymodel

    from xyconvert.translate import packages

    tmp = tmp_path_factory.mktemp("argos")
    saved = {k: os.environ.get(k) for k in ("ARGOS_PACKAGES_DIR", "XYCONVERT_CACHE_DIR")}
    os.environ["ARGOS_PACKAGES_DIR"] = str(tmp / "packages")
    os.environ["XYCONVERT_CACHE_DIR"] = str(tmp / "cache")
    try:
        archive = tinymodel.build_package(tmp / "dist")
        info = packages.install_file(archive)
        yield {"tmp": tmp, "archive": archive, "package": info}
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(autouse=True)
def _restore_memory_limit():
    """Commands run in-process (CliRunner) cap the process's data segment as a convert
    worker would (limits.py); the next test in this process must not inherit the cap."""
    try:
        import resource
    except ImportError:
        yield
        return
    before = resource.getrlimit(resource.RLIMIT_DATA)
    yield
    resource.setrlimit(resource.RLIMIT_DATA, before)
