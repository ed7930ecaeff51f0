"""PDF reader on the sample PDFs (samples/make_samples.py) and on PDFs made here.

Real files, real pdfplumber: the samples are rendered from samples/seed_gold.md, so the
text they must give back is known exactly.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from xyconvert.errors import EncryptedInput, NoTextLayer, UnreadableInput
from xyconvert.lines import SourcePage
from xyconvert.readers.pdf import read_pdf
from xyconvert.readers.pdf.opening import page_list as _page_list

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
VARIANTS = ["clean", "bottomup", "charspacing", "twocolumn", "furniture"]
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]"


def gold_text() -> str:
    """The gold without Markdown marks or whitespace: what the lines must spell out."""
    return re.sub(r"[#\s]", "", (SAMPLES / "seed_gold.md").read_text(encoding="utf-8"))


pytestmark = pytest.mark.usefixtures("pdf_engine")  # every test once per glyph engine


@pytest.fixture(scope="module")
def samples(pdf_engine: str) -> dict[str, list[SourcePage]]:
    return {v: read_pdf(SAMPLES / f"seed_{v}.pdf") for v in VARIANTS}


def texts(pages: list[SourcePage]) -> list[str]:
    return [ln.text for p in pages for ln in p.lines]


@pytest.mark.parametrize("variant", VARIANTS)
def test_sample_text_is_the_gold_in_reading_order(samples, variant):
    # Every glyph once, in reading order, nothing added: the concatenation is the gold.
    assert "".join(texts(samples[variant])) == gold_text()


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_spaces_inside_cjk_text(samples, variant):
    for t in texts(samples[variant]):
        assert not re.search(rf"{CJK}\s|\s{CJK}", t), t
        assert not re.search(r"\d \d", t), t  # Tc-justified digits stay together


def test_bottom_up_content_stream_gives_the_same_lines(samples):
    assert texts(samples["bottomup"]) == texts(samples["clean"])
    assert [ln.lineno for p in samples["bottomup"] for ln in p.lines] == [
        ln.lineno for p in samples["clean"] for ln in p.lines
    ]


def test_furniture_removed(samples):
    lines = texts(samples["furniture"])
    assert not any("—" in t and re.fullmatch(r"—\s*\d+\s*—", t) for t in lines)
    assert not any(
        "新源县人民政府 2024年" in t or t == "新源县人民政府2024年政府工作报告" for t in lines
    )
    assert lines == texts(samples["clean"])


def test_two_columns_read_column_by_column(samples):
    page1 = [ln.text for ln in samples["twocolumn"][0].lines]
    # A paragraph wrapped over 16-character column lines reads on in the same column ...
    i = page1.index("现在，我代表新源县人民政府向")
    assert page1[i + 1].startswith("大会报告工作")
    # ... and the whole left column comes before the right one.
    left_last = next(j for j, t in enumerate(page1) if t.startswith("公共预算收入8.21亿元"))
    right_first = next(j for j, t in enumerate(page1) if t.startswith("16.3%；固定资产投资"))
    assert left_last + 1 == right_first


def test_layout_hints(samples):
    lines = [ln for p in samples["clean"] for ln in p.lines]
    title = lines[0]
    assert title.text == "政府工作报告"
    assert title.size and title.size > 1.3
    assert title.bold and title.centered  # Hei face, centred
    assert lines[2].centered  # speaker line under the title
    h2 = next(ln for ln in lines if ln.text == "一、2023年工作回顾")
    assert h2.bold and h2.indent == pytest.approx(2.0, abs=0.2)
    assert h2.gap_before and h2.gap_before >= 0.4  # set off with extra space
    first = next(ln for ln in lines if ln.text.startswith("刚刚过去的2023年"))
    assert first.indent == pytest.approx(2.0, abs=0.2)
    full = lines[lines.index(first) + 1]
    assert full.indent == pytest.approx(0.0, abs=0.2)
    assert full.fill == pytest.approx(1.0, abs=0.05)
    assert full.gap_before == pytest.approx(0.0, abs=0.1)
    last = next(ln for ln in lines if ln.text.endswith("较好地实现了全年经济社会发展目标。"))
    assert last.fill is not None and last.fill < 0.9
    body = [ln for ln in lines if ln.size is not None]
    assert sum(1 for ln in body if ln.size == pytest.approx(1.0, abs=0.05)) > 0.9 * len(body)
    assert all(not ln.is_table for ln in lines)


def test_charspacing_hints_survive_wide_glyph_gaps(samples):
    lines = [ln for p in samples["charspacing"] for ln in p.lines]
    first = next(ln for ln in lines if ln.text.startswith("刚刚过去的2023年"))
    assert first.indent == pytest.approx(2.0, abs=0.2)
    assert not first.bold and not first.centered


def test_pages_option_reads_a_range():
    pages = read_pdf(SAMPLES / "seed_clean.pdf", pages=range(1, 3))
    assert [p.number for p in pages] == [2, 3]
    assert all(ln.page in (2, 3) for p in pages for ln in p.lines)


# --- PDFs made in the test -----------------------------------------------------------------


def _canvas_pdf(draw, **kwargs) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, **kwargs)
    draw(c)
    c.save()
    return buf.getvalue()


def _text_page(c) -> None:
    c.setFont("Helvetica", 14)
    c.drawString(72, 720, "Annual work report 2024")
    c.drawString(72, 700, "second line of text")
    c.showPage()


def _image_page(c) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (200, 100), (200, 200, 200))
    c.drawImage(ImageReader(img), 72, 500, width=400, height=200)
    c.showPage()


def test_encrypted_pdf_needs_the_password(tmp_path):
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", canPrint=1)
    path = tmp_path / "locked.pdf"
    path.write_bytes(_canvas_pdf(_text_page, encrypt=enc))
    with pytest.raises(EncryptedInput) as err:
        read_pdf(path)
    assert err.value.problem == "encrypted PDF: give the password with --password"
    assert err.value.exit_code == 5
    with pytest.raises(EncryptedInput, match="wrong password"):
        read_pdf(path, password="nope")
    pages = read_pdf(path, password="secret")
    assert texts(pages) == ["Annual work report 2024", "second line of text"]


def test_latin_words_keep_their_spaces(tmp_path):
    path = tmp_path / "latin.pdf"
    path.write_bytes(_canvas_pdf(_text_page))
    assert texts(read_pdf(path)) == ["Annual work report 2024", "second line of text"]


def test_image_only_pdf_has_no_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_canvas_pdf(lambda c: (_image_page(c), _image_page(c), _image_page(c))))
    with pytest.raises(NoTextLayer) as err:
        read_pdf(path)
    assert err.value.problem == "no text layer on pages 1-3: run OCR first (e.g. ocrmypdf)"
    assert err.value.exit_code == 6


def test_some_pages_without_text_are_a_warning(tmp_path):
    path = tmp_path / "mixed.pdf"
    path.write_bytes(_canvas_pdf(lambda c: (_text_page(c), _image_page(c), _text_page(c))))
    warnings: list[str] = []
    pages = read_pdf(path, warnings=warnings)
    assert [len(p.lines) for p in pages] == [2, 0, 2]
    assert any("page 2" in w and "no text" in w for w in warnings)


def test_page_list_is_compact():
    assert _page_list([1, 2, 3, 5]) == "pages 1-3, 5"
    assert _page_list([4]) == "page 4"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "not a PDF file"),
        (b"PK\x03\x04 this is a zip file, not a pdf" * 10, "not a PDF file"),
        (bytes(range(256)) * 20, "not a PDF file"),
        (b"%PDF-1.4\n%garbage that is no PDF body at all\n" * 3, "corrupt or truncated PDF"),
    ],
)
def test_garbage_is_unreadable(tmp_path, data, problem):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(UnreadableInput) as err:
        read_pdf(path)
    assert err.value.problem.startswith(problem)
    assert err.value.exit_code == 4


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_truncated_pdf_is_unreadable(tmp_path, keep):
    data = (SAMPLES / "seed_clean.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(UnreadableInput, match="corrupt or truncated PDF"):
        read_pdf(path)


def test_reader_module_does_not_import_pdfplumber_at_import_time():
    code = "import sys, xyconvert.readers.pdf; assert 'pdfplumber' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
