"""PDF: full `convert --to md` against pdfplumber's extract_text() over the same pages.

``python bench/bench_pdf.py [PDF ...]`` prints one JSON object; ``run()`` returns it.
Default inputs: the sample PDFs (samples/*.pdf) and the largest corpus PDF
(../shared/corpus/pdfs/annual_report_haixiang_2019.pdf, 204 pages) when present.

Per file, measured in the same run: pdfplumber ``extract_text()`` on every page (the
baseline), the full conversion to Markdown (read, repair, write; one process) with each
glyph engine, and ``pdftotext`` where installed (the practical floor). ``ratio`` is our
time over the baseline's: the target is <= 0.25 with PDFium. Times are CPU seconds of
this process (``time.process_time``: on a machine shared with other work, wall time
measures the neighbours), the best of a few runs; ``*_wall_s`` is the wall time of that
same run, for reference. Peak RSS is measured in a fresh process per task (VmHWM of the
child): the target is < 150 MB.
Also the share of our time by stage (glyphs, tables, lines, document pass, repair), from
one profiled run, to show where the rest of the time goes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIG = ROOT.parent / "shared" / "corpus" / "pdfs" / "annual_report_haixiang_2019.pdf"


def defaults() -> list[Path]:
    return sorted((ROOT / "samples").glob("*.pdf")) + ([BIG] if BIG.exists() else [])


def _best(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(CPU, wall) seconds of the run with the least CPU time of ``repeats``."""
    times = []
    for _ in range(repeats):
        t0, w0 = time.process_time(), time.perf_counter()
        fn()
        times.append((time.process_time() - t0, time.perf_counter() - w0))
    return min(times)


def _best_child(cmd: list[str], repeats: int) -> float:
    """CPU seconds (user + system) of a child process, the best of ``repeats``."""
    times = []
    for _ in range(repeats):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime)
    return min(times)


# Each child prints its own VmHWM (peak RSS of its own address space: ru_maxrss of a
# child would also count the parent's memory it had between fork and exec).
_PEAK = "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
_CHILD = {
    "extract_text": (
        "import pdfplumber,sys\n"
        "with pdfplumber.open(sys.argv[1]) as pdf:\n"
        "    for p in pdf.pages:\n"
        "        p.extract_text(); p.close()\n" + _PEAK
    ),
    "convert": (
        "import sys\n"
        "from xyconvert.pipeline import ConvertOptions, load_document\n"
        "from xyconvert.writers.markdown import to_markdown\n"
        "to_markdown(load_document(sys.argv[1], ConvertOptions(pdf_engine=sys.argv[2])))\n" + _PEAK
    ),
}


def peak_rss_mib(task: str, path: Path, *args: str) -> float:
    """Peak resident memory of a fresh process doing ``task`` on ``path``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD[task], str(path), *args], env=env, check=True,
        capture_output=True, text=True,
    ).stdout
    return round(int(out.split()[-1]) / 1024, 1)  # kB


def stage_shares(path: Path) -> dict[str, float]:
    """Share of one PDFium conversion's time per stage, from cProfile's cumulative times."""
    import cProfile
    import pstats

    from xyconvert.pipeline import ConvertOptions, load_document
    from xyconvert.writers.markdown import to_markdown

    prof = cProfile.Profile()
    prof.enable()
    to_markdown(load_document(path, ConvertOptions(pdf_engine="pdfium")))
    prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    cum: dict[str, float] = {}
    for (file, _, func), (_, _, _, ct, _) in stats.items():
        key = f"{Path(file).parent.name}/{Path(file).name}:{func}"
        cum[key] = max(cum.get(key, 0.0), ct)
    total = cum["xyconvert/pipeline.py:load_document"]
    stages = {
        "glyphs": "pdf/pdfium_glyphs.py:scan_page",
        "chars": "pdf/glyphs.py:page_chars",
        "tables": "pdf/tables.py:find_tables",
        "tables_ruling_lines": "pdf/pdfium_glyphs.py:rulings",
        "tables_finder": "pdf/ruling.py:find_tables",
        "tables_cells": "pdf/tables.py:fill_table",
        "lines_columns": "pdf/columns.py:layout_lines",
        "document_pass": "pdf/document.py:document_pass",
        "repair": "repair/pipeline.py:build_document",
    }
    return {name: round(cum.get(key, 0.0) / total, 3) for name, key in stages.items()}


def bench_file(path: Path) -> dict[str, object]:
    import pdfplumber

    from xyconvert.pipeline import ConvertOptions, load_document
    from xyconvert.repair.joins import dictionary
    from xyconvert.writers.markdown import to_markdown

    with pdfplumber.open(path) as pdf:
        n = len(pdf.pages)
    repeats = 3 if n <= 40 else 1

    def baseline() -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()

    def convert(engine: str) -> Callable[[], None]:
        def run() -> None:
            # What `xyconvert convert --to md` does, including loading the word
            # statistics (from xyconvert's cache file) as a fresh process would.
            dictionary.cache_clear()
            to_markdown(load_document(path, ConvertOptions(pdf_engine=engine)))

        return run

    convert("pdfium")()  # warm-up: imports, caches
    base_s, base_w = _best(baseline, repeats)
    ours_s, ours_w = _best(convert("pdfium"), repeats)
    plumber_s, plumber_w = _best(convert("pdfplumber"), repeats)
    out: dict[str, object] = {
        "pages": n,
        "extract_text_s": round(base_s, 3),
        "extract_text_wall_s": round(base_w, 3),
        "convert_md_pdfium_s": round(ours_s, 3),
        "convert_md_pdfium_wall_s": round(ours_w, 3),
        "ratio_pdfium": round(ours_s / base_s, 3),
        "convert_md_pdfplumber_s": round(plumber_s, 3),
        "convert_md_pdfplumber_wall_s": round(plumber_w, 3),
        "ratio_pdfplumber": round(plumber_s / base_s, 3),
    }
    if shutil.which("pdftotext"):
        floor = _best_child(["pdftotext", "-q", str(path), "-"], repeats)
        out["pdftotext_s"] = round(floor, 3)
        out["pdfium_over_pdftotext"] = round(ours_s / floor, 2)
    else:
        out["pdftotext"] = "not installed"
    out["peak_rss_mib_extract_text"] = peak_rss_mib("extract_text", path)
    out["peak_rss_mib_convert_pdfium"] = peak_rss_mib("convert", path, "pdfium")
    if path == BIG:
        out["stage_share_pdfium"] = stage_shares(path)
    return out


def run(paths: list[Path] | None = None) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in paths or defaults():
        for key, value in bench_file(Path(path)).items():
            out[f"{Path(path).stem}.{key}"] = value
    return out


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    print(json.dumps(run(args or None), ensure_ascii=False, indent=2))
