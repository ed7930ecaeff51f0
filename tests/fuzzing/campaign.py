"""``make fuzz``: the hostile campaign (not in CI; ``tests/test_fuzz.py`` runs a small part).

    python tests/fuzzing/campaign.py [--seeds N] [--per-seed K] [--hostile H] [--parallel P]

Mutated inputs (cases.py: byte flips, cuts, truncations, noise) and hostile
cases (hostile.py: signals at random moments, full disks, wrong-shaped
manifests, odd names, bombs, hostile glossaries, CLI edge values). Prints every
case that broke a rule, the counts per kind and per rule, and a summary line.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzzing.cases import cases  # noqa: E402
from fuzzing.hostile import HostileCase, hostile_cases, play_mutated  # noqa: E402


def _mutated(seeds: int, per_seed: int) -> list:
    out, seen = [], set()
    for seed in range(seeds):
        for case in cases(seed=seed, random_cases=per_seed):
            if seed > 0 and not any(w in case.name for w in ("flip", "cut", "random")):
                continue  # the fixed cases only once
            if case.name in seen:
                continue
            seen.add(case.name)
            out.append(case)
    return out


def _play(case: object) -> tuple[str, str, list[str], float]:
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        if isinstance(case, HostileCase):
            kind, problems = case.kind, case.play(Path(tmp))
        else:
            kind, problems = "mutated inputs", play_mutated(case, Path(tmp))
    return kind, case.name, problems, time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--per-seed", type=int, default=6, help="mutated cases of each kind per seed")
    parser.add_argument("--hostile", type=int, default=20, help="hostile cases of each random kind per seed")
    parser.add_argument("--parallel", type=int, default=2)
    args = parser.parse_args()
    todo: list[object] = _mutated(args.seeds, args.per_seed)
    root = os.geteuid() == 0
    skipped = 0
    for seed in range(args.seeds):
        for case in hostile_cases(seed, args.hostile):
            if case.root_only and not root:
                skipped += 1
                continue
            todo.append(case)
    kinds: Counter[str] = Counter()
    broke_kinds: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    slowest = (0.0, "")
    start = time.monotonic()
    with ThreadPoolExecutor(max(1, args.parallel)) as pool:
        for kind, name, problems, seconds in pool.map(_play, todo):
            kinds[kind] += 1
            slowest = max(slowest, (seconds, name))
            if problems:
                broke_kinds[kind] += 1
                for p in problems:
                    rules[p.split(":")[0].split(" (")[0][:40]] += 1
                print(f"BROKE [{kind}] {name}: {'; '.join(problems)}", flush=True)
    total = sum(kinds.values())
    print("per kind: " + ", ".join(f"{k} {v} ({broke_kinds[k]} broke)" for k, v in sorted(kinds.items())))
    if rules:
        print("broken rules: " + ", ".join(f"{k}: {v}" for k, v in rules.most_common()))
    print(f"{total} cases in {time.monotonic() - start:.0f} s, {sum(broke_kinds.values())} broke, "
          f"{skipped} skipped (need root); slowest case {slowest[0]:.1f} s ({slowest[1]})")
    return 1 if broke_kinds else 0


if __name__ == "__main__":
    sys.exit(main())
