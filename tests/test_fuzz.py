"""Robustness under mutated input: documented exit codes, one-line errors,
no tracebacks, bounded time and memory, no stray output files."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing.cases import cases, run_case

CASES = list(cases(seed=0, random_cases=3))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mutated_input(tmp_path: Path, case) -> None:  # noqa: ANN001 - Case
    outcome = run_case(case, tmp_path, timeout=120, memory_mb=3072)
    assert not outcome.problems, (outcome.problems, outcome.stderr[-500:])
