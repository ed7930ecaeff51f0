"""Other page geometries than the committed samples: the reader must not be tuned to them.

Renders the gold at test time with samples/make_samples.py (other font sizes, line
lengths, justification, one or two columns, bottom-up streams, furniture), with the
machine's CJK fonts or reportlab's built-in STSong-Light, and checks the thresholds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support import handmade
from support.scoring import score

from xyconvert.pipeline import load_document
from xyconvert.writers.markdown import to_markdown

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))

import make_samples as M  # noqa: E402

GEOMETRIES = {
    # name: (font size, characters per line, justified, two columns, bottom-up, furniture)
    "11pt_38_ragged_furniture": (11, 38, False, False, False, True),
    "14pt_28_justified_bottomup": (14, 28, True, False, True, False),
    "10pt_18_justified_two_columns": (10, 18, True, True, False, False),
    "9pt_22_ragged_two_columns_bottomup": (9, 22, False, True, True, True),
}

pytestmark = pytest.mark.usefixtures("pdf_engine")  # every test once per glyph engine


@pytest.fixture(scope="module", params=["machine fonts", "built-in STSong-Light"])
def fonts(request: pytest.FixtureRequest, monkeypatch_module: pytest.MonkeyPatch) -> dict[str, str]:
    if request.param == "built-in STSong-Light":
        monkeypatch_module.setattr(M, "FONT_FILES", {k: ("/nonexistent", 0) for k in M.FONT_FILES})
    return M.register_fonts()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.mark.parametrize("name", sorted(GEOMETRIES))
def test_other_geometries_meet_thresholds(tmp_path: Path, gold_md: str, fonts, name: str) -> None:  # noqa: ANN001
    size, chars, justify, two, bottom_up, furniture = GEOMETRIES[name]
    style = M.Style(size=float(size), width=(chars + (4 if justify else 0)) * size, chars=chars, justify=justify)
    pdf = tmp_path / f"{name}.pdf"
    pages = M.paginate(M.layout(M.read_gold(), fonts, style, two), style, two)
    M.render(pdf, pages, fonts=fonts, bottom_up=bottom_up,
             furniture="某某县人民政府工作报告" if furniture else None)
    s = score(to_markdown(load_document(pdf)), gold_md)
    assert s.passes(char=0.999, para=0.97, heading=1.0, max_cjk_spaces=0), str(s)


# --- the previous page's gutter on a page with too little text to show its own ---------------


def _read_text(pdf: Path) -> str:
    return "".join(b.text for b in load_document(pdf).blocks).replace(" ", "")


@pytest.mark.parametrize("gutter", [1.0, 2.0])
@pytest.mark.parametrize("last", [(3, 2), (5, 5), (2, 1)], ids=str)
def test_last_page_with_few_rows_keeps_the_columns(tmp_path: Path, gutter: float, last: tuple[int, int]) -> None:
    # A narrow gutter (one character) is crossed by the row segments: the page reads
    # column by column only if the gutter is checked glyph by glyph.
    pdf = tmp_path / "cols.pdf"
    expected = handmade.two_column_pages(pdf, gutter, last)
    assert _read_text(pdf) == expected


@pytest.mark.parametrize("gutter", [1.0, 2.0])
@pytest.mark.parametrize("last", ["FFFFF", "FFsss", "Fsssss", "sFsFsF"])
def test_single_column_page_after_two_columns_is_never_split(tmp_path: Path, gutter: float, last: str) -> None:
    pdf = tmp_path / "cols.pdf"
    expected = handmade.two_column_pages(pdf, gutter, last)
    assert _read_text(pdf) == expected
