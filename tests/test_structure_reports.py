"""Structure on reports the code was not written against (issue 12).

The eight shared provincial reports, each as garbled text, as PDFs the sample
generator renders in other geometries, and as the PDF LibreOffice prints from
the report's own Word file (cached; skipped without soffice), scored against the
hand-checked gold. Figures for all of them: ``python bench/structure_report.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import reports as R

NAMES = R.reports()
pytestmark = pytest.mark.skipif(not NAMES, reason="../shared/samples/other_reports not present")


def _cases() -> list[tuple[str, str]]:
    """Every report in one text variant, one geometry and one column layout, rotating
    so each form meets several reports (the whole grid: bench/structure_report.py)."""
    text = [f for f in R.forms(with_word=False) if f.startswith("text:")]
    pdf = [f for f in R.forms(with_word=False) if f.startswith("pdf:")]
    cols = [f for f in R.forms(with_word=False) if f.startswith("cols:")]
    return [
        (name, group[i % len(group)]) for i, name in enumerate(NAMES) for group in (text, pdf, cols)
    ]


@pytest.mark.parametrize("name,form", _cases())
def test_generated_forms_meet_targets(tmp_path: Path, name: str, form: str) -> None:
    s = R.measure(name, form, tmp_path)
    assert s is not None
    assert R.passes(s), f"{name} {form}: {s}"


@pytest.mark.skipif(R.soffice() is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("name", NAMES)
def test_word_printed_pdf_meets_targets(tmp_path: Path, name: str) -> None:
    s = R.measure(name, "word", tmp_path)
    assert s is not None
    assert R.passes(s), f"{name} word: {s}"
