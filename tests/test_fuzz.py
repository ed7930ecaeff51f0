"""Robustness under mutated and hostile input: documented exit codes, one-line errors,
no tracebacks, bounded time and memory, no stray output files, no stray processes.

A small, deterministic part of ``make fuzz``: signals are sent on conditions (a
worker exists), never after a sleep.
"""

from __future__ import annotations

import random
import signal
from pathlib import Path

import pytest
from fuzzing.cases import cases, run_case
from fuzzing.hostile import fixed_signal_case, manifest_case, name_case

CASES = list(cases(seed=0, random_cases=3))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mutated_input(tmp_path: Path, case) -> None:  # noqa: ANN001 - Case
    outcome = run_case(case, tmp_path, timeout=120, memory_mb=3072)
    assert not outcome.problems, (outcome.problems, outcome.stderr[-500:])


HOSTILE = [
    fixed_signal_case(signal.SIGTERM, "worker", 0, n=3, copies=3, jobs=2, formats="md,txt"),
    fixed_signal_case(signal.SIGKILL, "worker", 0, n=2, copies=3, jobs=2, formats="md"),
    manifest_case(random.Random(0), 0),
    manifest_case(random.Random(0), 10),
    name_case(random.Random(3), 0),
    name_case(random.Random(4), 1),
]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("case", HOSTILE, ids=[c.name for c in HOSTILE])
def test_hostile_case(tmp_path: Path, case) -> None:  # noqa: ANN001 - HostileCase
    problems = case.play(tmp_path)
    assert not problems, problems
