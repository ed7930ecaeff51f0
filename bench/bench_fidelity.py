"""Character conservation on every page of the shared corpus and the samples (xyconvert check).

Not a speed benchmark: the figures of the fidelity target (unexplained differences per page
<= 0.1 %, zero on the samples), per file, against the independent extractors (PDFium, and
pdftotext where installed), with the seconds the check took.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"


def run() -> dict[str, object]:
    from xyconvert.verify.conservation import check_pdf

    logging.getLogger("xyconvert").setLevel(logging.ERROR)
    out: dict[str, object] = {}
    total_chars = total_unexplained = total_pages = 0
    worst = 0.0
    paths = sorted(ROOT.glob("samples/*.pdf")) + (sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else [])
    for path in paths:
        start = time.perf_counter()
        report = check_pdf(path)
        secs = time.perf_counter() - start
        total_chars += report.chars
        total_unexplained += report.unexplained
        total_pages += len(report.pages)
        worst = max([worst, *(p.share for p in report.pages)])
        out[path.name] = (
            f"{len(report.pages)} pages, {report.chars} chars, {report.unexplained} unexplained, "
            f"{'ok' if report.ok else 'FAIL'}, {secs:.1f} s"
        )
    out["pages"] = total_pages
    out["characters"] = total_chars
    out["unexplained"] = total_unexplained
    out["worst page share"] = worst
    return out


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k:36s} {v}")
