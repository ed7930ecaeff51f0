"""Repair time on pathological text: near-linear, bounded by the order search's work bound.

Input: random one-character lines (the worst case for the order search: no join
prunes a move) at three sizes; the figures should grow with the lines, not their
square. Baseline, measured in the same run: the same input with the order search
off (``--keep-order``), i.e. everything else the repair does.
Also: how long a PDF page drawing 2 million glyphs takes to be refused, and CPU
seconds for text that is one huge line (the seed report's text without line
breaks, repeated to 1M and 10M characters): repair alone, and repair plus the
glossary and indicators ``convert --to json`` adds. Both should grow linearly.
"""

from __future__ import annotations

import contextlib
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"


def _lines(n: int) -> bytes:
    rng = random.Random(n)
    return "\n".join(rng.choice(CHARS) for _ in range(n)).encode("utf-8")


def run(sizes: tuple[int, ...] = (25_000, 50_000, 100_000)) -> dict[str, float]:
    from xyconvert.pipeline import ConvertOptions, load_bytes

    load_bytes("政府工作报告\n".encode() * 3, Path("warmup.txt"))  # jieba's dictionary, outside the timing
    out: dict[str, float] = {}
    for n in sizes:
        data = _lines(n)
        t0 = time.perf_counter()
        doc = load_bytes(data, Path("lines.txt"))
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        load_bytes(data, Path("lines.txt"), ConvertOptions(fix_order=False))
        base = time.perf_counter() - t0
        out[f"lines_{n}_seconds"] = ours
        out[f"lines_{n}_us_per_line"] = 1e6 * ours / n
        out[f"lines_{n}_keep_order_seconds"] = base
        out[f"lines_{n}_order_gave_up"] = int(any("work bound" in w for w in doc.metadata.warnings))
    sys.path.insert(0, str(ROOT / "tests"))
    from fuzzing.cases import long_tj_pdf

    from xyconvert.errors import UnreadableInput
    from xyconvert.pipeline import load_document

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "tj.pdf"
        pdf.write_bytes(long_tj_pdf(2_000_000))
        t0 = time.perf_counter()
        with contextlib.suppress(UnreadableInput):
            load_document(pdf)
        out["pdf_2M_glyph_page_refused_seconds"] = time.perf_counter() - t0
    out.update(_one_line_figures())
    return out


def _one_line_figures(sizes: tuple[int, ...] = (1_000_000, 10_000_000)) -> dict[str, float]:
    """CPU seconds for one-line text: ``repair`` (load) and ``convert --to md,json`` (a batch job)."""
    from fuzzing.cases import _one_line

    from xyconvert.batch import Job, run_job
    from xyconvert.pipeline import load_document

    seed = (ROOT / "samples" / "seed_report.txt").read_bytes()
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / "line.txt"
            path.write_bytes(_one_line(seed, 3 * n))  # 3 UTF-8 bytes a character
            t0 = time.process_time()
            load_document(path)
            out[f"one_line_{n // 1_000_000}M_repair_cpu_seconds"] = time.process_time() - t0
            t0 = time.process_time()
            result = run_job(Job(path=path, stem="line", options={}, formats=("md", "json")))
            assert result.status == "converted", result.problem
            out[f"one_line_{n // 1_000_000}M_convert_md_json_cpu_seconds"] = time.process_time() - t0
    return out


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k:36s} {v:,.3f}" if isinstance(v, float) else f"{k:36s} {v:,}")
