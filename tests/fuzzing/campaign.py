"""``make fuzz``: a larger fuzz campaign than the test suite runs (not in CI).

    python tests/fuzzing/campaign.py [--seeds N] [--per-seed K]

Prints every case that broke a rule and a summary line.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzzing.cases import cases, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--per-seed", type=int, default=8, help="random cases of each kind per seed")
    args = parser.parse_args()
    ran = broke = 0
    codes: Counter[int] = Counter()
    slowest = (0.0, "")
    start = time.monotonic()
    seen: set[str] = set()
    for seed in range(args.seeds):
        for case in cases(seed=seed, random_cases=args.per_seed):
            if case.name in seen and not case.name[:1].isalpha():
                continue
            if seed > 0 and not any(w in case.name for w in ("flip", "cut", "random")):
                continue  # the fixed cases only once
            seen.add(case.name)
            with tempfile.TemporaryDirectory() as tmp:
                outcome = run_case(case, Path(tmp))
            ran += 1
            codes[outcome.code] += 1
            slowest = max(slowest, (outcome.seconds, case.name))
            if outcome.problems:
                broke += 1
                print(f"BROKE seed={seed} {case.name}: {'; '.join(outcome.problems)}")
    print(
        f"{ran} cases in {time.monotonic() - start:.0f} s, {broke} broke; exit codes "
        + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items()))
        + f"; slowest {slowest[0]:.1f} s ({slowest[1]})"
    )
    return 1 if broke else 0


if __name__ == "__main__":
    sys.exit(main())
