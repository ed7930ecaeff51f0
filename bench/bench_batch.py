"""Batch speed-up: `convert --jobs 2` against `--jobs 1` on the same inputs.

Inputs: the sample report (x4, each a separate file) and the five sample PDFs,
converted to md,json; both runs use --force so nothing is skipped.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "xyconvert.cli", *args], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for k in range(4):
            shutil.copy(ROOT / "samples" / "seed_report.txt", src / f"report{k}.txt")
        for pdf in sorted((ROOT / "samples").glob("seed_*.pdf")):
            shutil.copy(pdf, src / pdf.name)
        n = len(list(src.iterdir()))
        common = ["convert", str(src), "-o", str(Path(tmp) / "out"), "--to", "md,json", "--force"]
        one = _time([*common, "--jobs", "1"])
        two = _time([*common, "--jobs", "2"])
    return {"inputs": n, "jobs1_seconds": one, "jobs2_seconds": two, "speedup_jobs2_over_jobs1": one / two}


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:28s} {value:,.3f}" if isinstance(value, float) else f"{key:28s} {value}")
