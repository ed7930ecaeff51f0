"""Translation-memory lookup: RapidFuzz fuzzy search vs stdlib difflib over the same memory.

Memory: ../shared/tmx/GR2008–GR2014 (≈4,200 segments); queries: the Chinese segments
of GR2015 (626). Figures, measured in one run:

* ``load``: reading the seven TMX files and indexing them;
* ``ours``: queries/s of ``TranslationMemory.lookup`` (exact dict lookup, else
  RapidFuzz normalized Levenshtein with score cut-off 0.85, numbers masked);
* ``baseline``: queries/s of ``difflib.get_close_matches`` (ratio cut-off 0.85) on the
  same masked keys, timed on the first 20 queries only (it is slow);
* ``speed-up``: ours / baseline.

Skipped (no figures) when ../shared/tmx is missing. Run: ``python bench/bench_tm.py``.
"""

from __future__ import annotations

import difflib
import time
from pathlib import Path

TMX = Path(__file__).resolve().parents[2] / "shared" / "tmx"


def run() -> dict[str, float | int | str]:
    from xyconvert.tm import TranslationMemory, read_tmx
    from xyconvert.tm.memory import masked, sentence_key

    if not (TMX / "GR2015.tmx").is_file():
        return {"skipped": f"{TMX} missing"}
    t0 = time.perf_counter()
    memory = TranslationMemory.from_files([TMX / f"GR{y}.tmx" for y in range(2008, 2015)])
    load = time.perf_counter() - t0
    queries = [u.zh for u in read_tmx(TMX / "GR2015.tmx")]

    t0 = time.perf_counter()
    hits = sum(memory.lookup(q) is not None for q in queries)
    ours = len(queries) / (time.perf_counter() - t0)

    keys = [masked(k) for k in memory._keys]
    sample = queries[:20]
    t0 = time.perf_counter()
    for q in sample:
        difflib.get_close_matches(masked(sentence_key(q)), keys, n=1, cutoff=0.85)
    baseline = len(sample) / (time.perf_counter() - t0)
    return {
        "memory segments": len(memory),
        "queries": len(queries),
        "matched (exact or fuzzy)": hits,
        "load s": load,
        "ours queries/s": ours,
        "baseline difflib queries/s": baseline,
        "speed-up": ours / baseline,
    }


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    for key, value in run().items():
        print(f"{key:28s} {value:,.3f}" if isinstance(value, float) else f"{key:28s} {value}")
