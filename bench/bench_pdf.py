"""Speed and memory of the PDF reader against plain pdfplumber ``extract_text()``.

``python bench/bench_pdf.py [PDF]`` prints one JSON object; ``run()`` returns it.
Default input: samples/seed_clean.pdf. Times are seconds per page; ``ratio`` is how many
times slower than pdfplumber's own text extraction over the same pages.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT = ROOT / "samples" / "seed_clean.pdf"


REPEATS = 5


def _timed(fn) -> tuple[float, int]:
    """(seconds, peak traced bytes): the best of REPEATS untraced runs (the same for the
    baseline and for us: the minimum is the least disturbed by other work on the
    machine), then one run under tracemalloc (tracing slows Python several times over)."""
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    seconds = min(times)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak


def run(path: Path | str = DEFAULT) -> dict[str, object]:
    import pdfplumber

    from xyconvert.readers.pdf import read_pdf

    path = Path(path)
    with pdfplumber.open(path) as pdf:
        n = len(pdf.pages)

    def baseline() -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()

    read_pdf(path)  # warm-up: imports, font caches
    base_s, base_peak = _timed(baseline)
    read_s, read_peak = _timed(lambda: read_pdf(path))
    out: dict[str, object] = {
        "file": path.name,
        "pages": n,
        "pdfplumber_extract_text_s_per_page": round(base_s / n, 4),
        "read_pdf_s_per_page": round(read_s / n, 4),
        "read_pdf_ratio": round(read_s / base_s, 2),
        "pdfplumber_peak_mib": round(base_peak / 2**20, 1),
        "read_pdf_peak_mib": round(read_peak / 2**20, 1),
    }
    try:  # the full conversion, once repair is in place
        from xyconvert.pipeline import load_document
        from xyconvert.repair.joins import dictionary
        from xyconvert.writers.markdown import to_markdown

        def convert_to_md() -> None:
            # What `xyconvert convert --to md` does, including loading the word
            # statistics (from xyconvert's cache file) as a fresh process would.
            dictionary.cache_clear()
            to_markdown(load_document(path))

        full_s, full_peak = _timed(convert_to_md)
        out["load_document_s_per_page"] = round(full_s / n, 4)
        out["load_document_ratio"] = round(full_s / base_s, 2)
        out["load_document_peak_mib"] = round(full_peak / 2**20, 1)
    except (ImportError, NotImplementedError) as e:
        out["load_document"] = f"unavailable: {type(e).__name__}"
    return out


if __name__ == "__main__":
    print(
        json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else DEFAULT), ensure_ascii=False, indent=2)
    )
