"""Repair throughput of the core text pipeline on a large input.

Input: the sample report repeated 50 times (about 2.3 M characters, 1,400 pages).
Baseline, measured in the same run: a naive clean-up (strip each line, delete
spaces next to CJK with one regex, join) — what a shell one-liner would do, with
none of the reordering, furniture or structure work.
"""

from __future__ import annotations

import re
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _naive(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    joined = "".join(lines)
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+|\s+(?=[\u4e00-\u9fff])", "", joined)


def run(repeat: int = 50) -> dict[str, float]:
    from xyconvert.pipeline import load_bytes

    one = (ROOT / "samples" / "seed_report.txt").read_text(encoding="utf-8")
    text = "\n".join([one] * repeat)
    data = text.encode("utf-8")
    chars = len(text)

    load_bytes(one.encode(), Path("warmup.txt"))  # load jieba's dictionary once, outside the timing
    t0 = time.perf_counter()
    _naive(text)
    naive_s = time.perf_counter() - t0

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    doc = load_bytes(data, Path("large.txt"))
    ours_s = time.perf_counter() - t0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "input_chars": chars,
        "blocks": len(doc.blocks),
        "repair_seconds": ours_s,
        "repair_chars_per_s": chars / ours_s,
        "naive_chars_per_s": chars / naive_s,
        "slowdown_vs_naive": ours_s / naive_s,
        "peak_rss_mb": rss_after / 1024,
        "peak_rss_growth_mb": (rss_after - rss_before) / 1024,
    }


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k:24s} {v:,.3f}" if isinstance(v, float) else f"{k:24s} {v:,}")
