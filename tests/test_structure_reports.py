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


@pytest.mark.parametrize("form", R.forms(with_word=False))
@pytest.mark.parametrize("name", NAMES)
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
