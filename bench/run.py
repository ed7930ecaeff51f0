"""``make bench``: run every benchmark in bench/ and print its figures."""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

ORDER = ["bench_core", "bench_pathological", "bench_pdf", "bench_glossary", "bench_tm", "bench_translate", "bench_batch",
         "bench_archive"]


def main() -> int:
    failed = 0
    names = [n for n in ORDER if (HERE / f"{n}.py").exists()]
    names += sorted(p.stem for p in HERE.glob("bench_*.py") if p.stem not in ORDER)
    for name in names:
        spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        print(f"== {name}: {(module.__doc__ or '').strip().splitlines()[0] if False else ''}", end="")
        try:
            spec.loader.exec_module(module)
            print((module.__doc__ or "").strip().splitlines()[0])
            results = module.run()
        except Exception:  # a broken benchmark should not hide the others
            failed += 1
            traceback.print_exc()
            continue
        for key, value in results.items():
            shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)
            print(f"   {key:32s} {shown}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
