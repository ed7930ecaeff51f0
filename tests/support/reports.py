"""The structure harness: other reports (not the seed) in every form the pipeline meets.

Each gold Markdown in ``../shared/samples/other_reports`` is turned into
  * garbled text (``support.garble``) in several variants,
  * PDFs rendered by ``samples/make_samples.py`` in other geometries,
  * the PDF LibreOffice prints from the report's own ``.docx`` (cached, optional),
and each result is scored against the gold with ``support.scoring``.

Shared by the tests (tests/test_structure_reports.py) and the figures script
(bench/structure_report.py), so both measure the same thing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .garble import garble
from .scoring import Scores, score

ROOT = Path(__file__).resolve().parents[2]
OTHER = ROOT.parent / "shared" / "samples" / "other_reports"

# name -> garble() keyword arguments; each differs in a way extraction differs
TEXT_VARIANTS: dict[str, dict] = {
    "default": dict(reverse_pages=(3,)),
    "no_blank_lines": dict(blank_between=False, page_numbers="dash"),
    "wide_header": dict(width=34, running_header="政府工作报告", page_numbers="emdash"),
    "no_runin_unmarked": dict(runin=0.0, page_marker="none", letterspace_frac=0.3),
}

# name -> (font size, characters per line, justified, two columns, bottom-up, furniture)
GEOMETRIES: dict[str, tuple[int, int, bool, bool, bool, bool]] = {
    "12pt_30_justified": (12, 30, True, False, False, False),
    "11pt_36_ragged_furniture": (11, 36, False, False, False, True),
    "10pt_18_two_columns_bottomup": (10, 18, True, True, True, False),
}

# name -> (columns, gutter in characters): journals and some reports
COLUMNS: dict[str, tuple[int, float]] = {
    "2col_1char_gutter": (2, 1.0),
    "3col_1.5char_gutter": (3, 1.5),
}

TARGET = dict(char=0.999, para=0.97, heading=0.97, max_cjk_spaces=0)


def reports() -> list[str]:
    """Stems of the shared reports (``gwr_2025_anhui`` …); empty without ../shared."""
    return sorted(p.name.removesuffix(".gold.md") for p in OTHER.glob("*.gold.md"))


def gold(name: str) -> str:
    return (OTHER / f"{name}.gold.md").read_text(encoding="utf-8")


def _markdown_of(path: Path) -> str:
    from xyconvert.pipeline import load_document
    from xyconvert.writers.markdown import to_markdown

    return to_markdown(load_document(path))


def text_variant(name: str, variant: str, workdir: Path, seed: int = 0) -> Path:
    path = workdir / f"{name}.{variant}.{seed}.txt"
    path.write_text(garble(gold(name), seed=seed, **TEXT_VARIANTS[variant]), encoding="utf-8")
    return path


def _make_samples():  # noqa: ANN202 - the module
    sys.path.insert(0, str(ROOT / "samples"))
    import make_samples

    return make_samples


def geometry_pdf(name: str, geometry: str, workdir: Path) -> Path:
    """The gold typeset by the project's sample generator in another geometry."""
    M = _make_samples()
    size, chars, justify, two, bottom_up, furniture = GEOMETRIES[geometry]
    fonts = M.register_fonts()
    style = M.Style(size=float(size), width=(chars + (4 if justify else 0)) * size, chars=chars, justify=justify)
    src = workdir / f"{name}.gold.md"
    src.write_text(gold(name), encoding="utf-8")
    pdf = workdir / f"{name}.{geometry}.pdf"
    pages = M.paginate(M.layout(M.read_gold(src), fonts, style, two), style, two)
    M.render(pdf, pages, fonts=fonts, bottom_up=bottom_up,
             furniture="某某省人民政府工作报告" if furniture else None)
    return pdf


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def cache_dir() -> Path:
    """Where printed PDFs are kept between runs (never inside the repository)."""
    base = os.environ.get("XYCONVERT_TEST_CACHE") or os.path.join(tempfile.gettempdir(), "xyconvert-test-cache")
    path = Path(base) / "docx-pdf"
    path.mkdir(parents=True, exist_ok=True)
    return path


def word_pdf(name: str) -> Path | None:
    """The report's .docx printed to PDF by LibreOffice; cached by the .docx's sha256."""
    docx = OTHER / f"{name}.docx"
    exe = soffice()
    if exe is None or not docx.exists():
        return None
    digest = hashlib.sha256(docx.read_bytes()).hexdigest()[:16]
    out = cache_dir() / f"{name}.{digest}.pdf"
    if out.exists():
        return out
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, str(docx)],
            check=True, capture_output=True, timeout=300,
        )
        printed = Path(tmp) / f"{name}.pdf"
        tmp_out = out.with_suffix(".tmp")
        shutil.copyfile(printed, tmp_out)
        tmp_out.replace(out)
    return out


def forms(with_word: bool = True) -> list[str]:
    out = [f"text:{v}" for v in TEXT_VARIANTS] + [f"pdf:{g}" for g in GEOMETRIES]
    out += [f"cols:{c}" for c in COLUMNS]
    if with_word:
        out.append("word")
    return out


def measure(name: str, form: str, workdir: Path) -> Scores | None:
    """Score one report in one form; None when the form cannot be made here."""
    kind, _, arg = form.partition(":")
    makers: dict[str, Callable[[], Path | None]] = {
        "text": lambda: text_variant(name, arg, workdir),
        "pdf": lambda: geometry_pdf(name, arg, workdir),
        "word": lambda: word_pdf(name),
        "cols": lambda: columns_pdf(name, workdir, *COLUMNS.get(arg, (2, 1.0))),
    }
    path = makers[kind]()
    if path is None:
        return None
    return score(_markdown_of(path), gold(name))


def passes(s: Scores) -> bool:
    return s.passes(**TARGET)


def columns_pdf(name: str, workdir: Path, ncols: int = 2, gutter_chars: float = 1.0, size: float = 10.0,
                chars: int = 14) -> Path:
    """The gold set in ``ncols`` justified columns ``gutter_chars`` characters apart
    (journals, some reports), title and front lines across the page."""
    from reportlab.lib.pagesizes import A4

    M = _make_samples()
    fonts = M.register_fonts()
    style = M.Style(size=size, width=(chars + 1) * size, chars=chars, justify=True)
    vlines = M.layout(M.read_gold(OTHER / f"{name}.gold.md"), fonts, style, True)
    pw, ph = A4
    top, bottom = ph - 70.0, 60.0
    gutter = gutter_chars * size
    full = ncols * style.width + (ncols - 1) * gutter
    left = (pw - full) / 2
    pages: list = [M.Page()]
    y = col_top = top
    col = 0
    for vl in vlines:
        if vl.span:
            y -= vl.size
            pages[-1].lines.append((left + full / 2 + vl.x if vl.x < 0 else left + vl.x, y, vl))
            y -= vl.pitch - vl.size
            col_top = y
            continue
        y -= vl.space_before
        if y - vl.size < bottom:
            if col + 1 < ncols:
                col, y = col + 1, col_top
            else:
                pages.append(M.Page())
                col, y, col_top = 0, top, top
        y -= vl.size
        pages[-1].lines.append((left + col * (style.width + gutter) + vl.x, y, vl))
        y -= vl.pitch - vl.size
    pdf = workdir / f"{name}.{ncols}col.{gutter_chars}.pdf"
    M.render(pdf, pages, fonts=fonts)
    return pdf
