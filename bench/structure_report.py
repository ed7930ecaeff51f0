"""Per-report structure figures: the shared other reports in every form (issue 12).

    PYTHONPATH=. python bench/structure_report.py [--no-word] [--details] [REPORT...]

Prints char similarity, paragraph F1, heading F1 and stray CJK spaces for each
report and form (garbled text variants, generator geometries, LibreOffice print
of the .docx), and marks the cells below the targets of tests/support/reports.py.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support import reports as R  # noqa: E402


def main(argv: list[str]) -> int:
    details = "--details" in argv
    with_word = "--no-word" not in argv
    names = [a for a in argv if not a.startswith("--")] or R.reports()
    forms = R.forms(with_word=with_word)
    failing = 0
    print(f"{'report':24} {'form':32} {'char':>8} {'paraF1':>7} {'headF1':>7} {'sp':>3}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            for form in forms:
                s = R.measure(name, form, Path(tmp))
                if s is None:
                    print(f"{name:24} {form:32} {'(not available here)':>28}")
                    continue
                ok = R.passes(s)
                failing += not ok
                print(
                    f"{name:24} {form:32} {s.char_similarity:8.5f} {s.para_f1:7.4f} "
                    f"{s.heading_f1:7.4f} {s.cjk_space_count:3d} {'' if ok else ' <-- below target'}"
                )
                if details and not ok:
                    print("\n".join("      " + d for d in str(s).splitlines()[1:15]))
    print(f"{failing} cells below target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
