"""Shared test set-up.

``tests/support`` (gold scorer, garbler) is imported as ``support``: the name
``tests`` is taken by a top-level package that argostranslate installs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"


@pytest.fixture(scope="session")
def gold_md() -> str:
    return (SAMPLES / "seed_gold.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_report() -> Path:
    return SAMPLES / "seed_report.txt"
