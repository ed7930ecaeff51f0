"""Glossary matching throughput: Aho–Corasick vs a naive ``str.find`` loop over all terms.

Text: samples/seed_gold.md repeated 50 times (~2.2 M characters) with the full built-in
glossary. Figures are best-of-3 wall times measured in one run:

* ``match``: the whole ``TermMatcher.find`` path (t2s conversion, folding, quote
  stripping with offset map, automaton scan, leftmost-longest selection, offsets back);
* ``scan``: the automaton's leftmost-longest search alone on the normalized text;
* ``naive``: for every term, ``str.find`` all occurrences in the normalized text
  (occurrences only: no longest-match resolution, no normalization) — the baseline.

Run: ``python bench/bench_glossary.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _best_of(fn, runs: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(repeat: int = 50) -> dict[str, float | int]:
    from xyconvert.glossary import load_builtin
    from xyconvert.glossary.normalize import Normalized

    text = (ROOT / "samples" / "seed_gold.md").read_text(encoding="utf-8") * repeat
    glossary = load_builtin()
    compile_s, matcher = _best_of(lambda: load_builtin().matcher, 1)
    keys = [key for key, _ in glossary.items()]
    norm = Normalized(text).text

    match_s, spans = _best_of(lambda: matcher.find(text))
    scan_s, _ = _best_of(lambda: matcher.automaton.find_longest(norm))

    def naive() -> int:
        found = 0
        for key in keys:
            i = norm.find(key)
            while i >= 0:
                found += 1
                i = norm.find(key, i + 1)
        return found

    naive_s, naive_hits = _best_of(naive)
    chars = len(text)
    mb = len(text.encode("utf-8")) / 1e6
    return {
        "entries": len(glossary),
        "automaton_states": matcher.automaton.states,
        "chars": chars,
        "mb_utf8": round(mb, 2),
        "compile_s": round(compile_s, 4),
        "match_s": round(match_s, 3),
        "match_chars_per_s": round(chars / match_s),
        "match_mb_per_s": round(mb / match_s, 2),
        "scan_s": round(scan_s, 3),
        "scan_chars_per_s": round(len(norm) / scan_s),
        "naive_s": round(naive_s, 3),
        "naive_chars_per_s": round(chars / naive_s),
        "naive_over_match": round(naive_s / match_s, 2),
        "naive_over_scan": round(naive_s / scan_s, 2),
        "matches": len(spans),
        "naive_occurrences": naive_hits,
    }


if __name__ == "__main__":
    r = run()
    print(f"glossary: {r['entries']} entries, {r['automaton_states']} automaton states")
    print(f"text: {r['chars']:,} chars ({r['mb_utf8']} MB UTF-8), sample x50")
    print(
        f"match (full path):   {r['match_s']:.3f} s  {r['match_chars_per_s']:>12,} chars/s"
        f"  {r['match_mb_per_s']} MB/s  ({r['matches']:,} matches)"
    )
    print(f"scan (automaton):    {r['scan_s']:.3f} s  {r['scan_chars_per_s']:>12,} chars/s")
    print(
        f"naive str.find loop: {r['naive_s']:.3f} s  {r['naive_chars_per_s']:>12,} chars/s"
        f"  ({r['naive_occurrences']:,} raw occurrences)"
    )
    print(f"naive / match = {r['naive_over_match']}x, naive / scan = {r['naive_over_scan']}x")
