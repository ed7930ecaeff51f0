"""Our lattice table finder (readers/pdf/ruling.py) finds exactly pdfplumber's tables.

It replaces pdfplumber's ``TableFinder`` for speed, so on real ruled pages it must give the
same cells in the same order and the same table boxes, both from pdfplumber's own edges
(pdfminer's page objects) and from the PDFium engine's path objects (compared with
pdfplumber's finder run on the same PDFium edges as pdfplumber dicts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

from xyconvert.readers.pdf import ruling
from xyconvert.readers.pdf.opening import open_pdfium
from xyconvert.readers.pdf.pdfium_glyphs import PdfiumPage, _api, _subpaths, _walk_objects

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"
# Ruled pages: table-only pages, a regulation with one small table, and an annual report's
# financial statements (double rules, cell backgrounds, spanned header cells).
CASES = [
    ("bond_prospectus_table_p1.pdf", range(1)),
    ("company_research_tables_p1.pdf", range(1)),
    ("union_election_rules_p1.pdf", range(1)),
    ("ship_rules_p1.pdf", range(1)),
    ("annual_report_haixiang_2019.pdf", range(100, 112)),
    ("tw_energy_handbook_trad.pdf", range(10, 16)),
]
SETTINGS = {"snap_x_tolerance": 2, "snap_y_tolerance": 2}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


def tables_of(found: list[Any]) -> list[tuple[tuple[Any, ...], tuple[float, ...]]]:
    return [(tuple(tuple(c) for c in t.cells), tuple(t.bbox)) for t in found]


def plumber_dicts(subpaths: list[tuple[list[tuple[float, float]], bool]], height: float) -> list[dict[str, Any]]:
    """The same sub-paths as pdfplumber's edge dicts (pdfminer's line / rect / curve split)."""
    edges: list[dict[str, Any]] = []
    for pts, closed in subpaths:
        if len(pts) >= 2 and pts[-1] == pts[0] and len(pts) in (3, 5):
            pts, closed = pts[:-1], True
        xs, ts = [p[0] for p in pts], [p[1] for p in pts]
        box = {"x0": min(xs), "x1": max(xs), "top": min(ts), "bottom": max(ts), "doctop": min(ts),
               "y0": height - max(ts), "y1": height - min(ts)}
        box["width"], box["height"] = box["x1"] - box["x0"], box["bottom"] - box["top"]
        if len(pts) == 2:
            edges.append(line_to_edge({**box, "object_type": "line"}))
        elif len(pts) == 4 and closed and ruling._is_rect(pts):
            edges.extend(rect_to_edges({**box, "object_type": "rect"}))
        elif len(pts) > 1:
            edges.extend(curve_to_edges({**box, "object_type": "curve", "pts": pts}))
    return edges


class _Edges:
    """What pdfplumber's TableFinder reads of a page."""

    def __init__(self, edges: list[dict[str, Any]], bbox: tuple[float, ...]) -> None:
        self.edges, self.bbox = edges, bbox


@pytest.mark.parametrize(("name", "pages"), CASES, ids=[c[0] for c in CASES])
def test_same_tables_as_pdfplumber_on_pdfplumber_edges(name: str, pages: range) -> None:
    found = 0
    with pdfplumber.open(CORPUS / name) as pdf:
        for k in pages:
            page = pdf.pages[k]
            ours = ruling.find_tables(*ruling.edges_from_dicts(page.edges), 2.0, 2.0)
            assert tables_of(ours) == tables_of(page.find_tables(SETTINGS)), f"page {k + 1}"
            found += len(ours)
            page.close()
    assert found  # the cases are ruled pages


@pytest.mark.parametrize(("name", "pages"), CASES, ids=[c[0] for c in CASES])
def test_same_tables_as_pdfplumber_on_pdfium_edges(name: str, pages: range) -> None:
    api = _api()
    doc = open_pdfium(CORPUS / name, None)
    found = 0
    try:
        for k in pages:
            page = PdfiumPage(doc, k)
            _walk_objects(page, api)
            subpaths = [s for obj, outer in page._paths for s in _subpaths(api, obj, outer, page)]
            ours = ruling.find_tables(*page.rulings(), 2.0, 2.0)
            theirs = TableFinder(_Edges(plumber_dicts(subpaths, page.height), page.bbox),  # type: ignore[arg-type]
                                 TableSettings.resolve(SETTINGS)).tables
            assert tables_of(ours) == tables_of(theirs), f"page {k + 1}"
            found += len(ours)
            page.close()
    finally:
        doc.close()
    assert found
