"""HTML output, checked in a real headless Chromium: the text is laid out, not just written.

The browser tests skip when no Chromium is installed (Debian: ``apt-get install chromium``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from xyconvert.cli import main
from xyconvert.model import Block, Document, Metadata
from xyconvert.pipeline import load_document
from xyconvert.writers.html import to_bilingual_html, to_html

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--force-device-scale-factor=1",
]


def chromium(args: list[str], tmp: Path) -> str:
    with tempfile.TemporaryDirectory(dir=tmp) as profile:
        proc = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120,
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


# A script run after layout: it reports the boxes of the page's elements into the DOM,
# which --dump-dom then prints.
PROBE = """
<script>
window.addEventListener('load', () => {
  const box = e => { const r = e.getBoundingClientRect();
    return {tag: e.tagName.toLowerCase(), x: r.left, y: r.top + window.scrollY, w: r.width, h: r.height,
            text: e.textContent.trim().slice(0, 20), cls: e.className, over: e.scrollWidth > e.clientWidth + 1}; };
  const sel = 'h1,h2,h3,h4,main p,header p,table,nav a,.pair > .zh,.pair > .en';
  const out = {width: document.documentElement.clientWidth,
               fonts: [...document.fonts].filter(f => f.status === 'loaded').length,
               boxes: [...document.querySelectorAll(sel)].map(box),
               targets: [...document.querySelectorAll('nav a')].map(a => !!document.querySelector(a.getAttribute('href')))};
  const pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>
"""


def layout(html: str, tmp: Path, width: int = 1100) -> dict:
    page = tmp / f"probe{width}.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium([f"--window-size={width},900", "--virtual-time-budget=3000", "--dump-dom", page.as_uri()], tmp)
    m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert m, dom[-1000:]
    import html as html_lib

    return json.loads(html_lib.unescape(m.group(1)))


def screenshot(html_path: Path, tmp: Path, width: int = 1100, height: int = 1400) -> Image.Image:
    png = tmp / "shot.png"
    chromium([f"--window-size={width},{height}", f"--screenshot={png}", html_path.as_uri()], tmp)
    return Image.open(png).convert("L")


def sample_doc() -> Document:
    meta = Metadata(title="某县政府工作报告", date="2024-01-26", source_name="r.txt", tool_version="0.1.0",
                    occasion="2024年1月26日在某县第十八届人民代表大会第四次会议上")
    blocks = [
        Block("title", "某县政府工作报告", level=1),
        Block("paragraph", meta.occasion or ""),
        Block("paragraph", "各位代表：现在，我代表县人民政府向大会报告工作，请予审议。"),
        Block("heading", "一、2023年工作回顾", level=2),
        Block("paragraph", "过去一年，全县地区生产总值137.46亿元、增长8.4%。" * 6),
        Block("heading", "（一）乡村振兴取得新成效。", level=3),
        Block("table", "指标 目标", rows=[["指标", "目标"], ["地区生产总值", "增长7%"], ["<脚本>&", "a|b"]]),
        Block("heading", "二、2024年工作安排", level=2),
        Block("paragraph", "今年是全面贯彻落实党的二十大精神的关键之年。"),
    ]
    return Document(meta, blocks)


ENGLISH = [
    "Government Work Report of X County", "Delivered on 26 January 2024",
    "Fellow deputies: On behalf of the county government I now report on its work.",
    "I. Review of work in 2023", "Last year GDP reached RMB 13.746 billion, up 8.4%. " * 6,
    "(1) Rural revitalisation made new progress.", None, "II. Work for 2024",
    "This year is key to implementing the spirit of the 20th Party Congress.",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.seen.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "link", "img", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_page_structure_and_escaping() -> None:
    page = to_html(sample_doc())
    tags = _Tags()
    tags.feed(page)
    tags.close()
    assert not tags.stack  # every element closed, in order
    names = [t for t, _ in tags.seen]
    assert ("html", {"lang": "zh-CN"}) in tags.seen
    assert names.count("h1") == 1 and "main" in names and "nav" in names and "style" in names
    metas = {a.get("name"): a.get("content") for t, a in tags.seen if t == "meta" and "name" in a}
    assert metas["dcterms.date"] == "2024-01-26" and metas["dcterms.title"] == "某县政府工作报告"
    assert "<脚本>&" in "".join(tags.text) and "<脚本>" not in page  # cell text escaped
    assert ("th", {"scope": "col"}) in tags.seen
    assert not re.search(r"<(?:link|script)\b", page)  # standalone: nothing to fetch


def test_bilingual_page_pairs_blocks() -> None:
    page = to_bilingual_html(sample_doc(), ENGLISH)
    assert page.count('class="pair"') == len(sample_doc().blocks) - 2  # the front lines are the header
    assert 'lang="en"' in page and "Review of work in 2023" in page
    with pytest.raises(ValueError):
        to_bilingual_html(sample_doc(), ENGLISH[:-1])


def test_convert_writes_html(tmp_path: Path, seed_report: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(seed_report), "-o", str(tmp_path), "--to", "html"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "seed_report.zh.html").read_text(encoding="utf-8")
    doc = load_document(seed_report)
    import html as html_lib

    text = html_lib.unescape(re.sub(r"<[^>]+>", "", page))
    for block in doc.blocks:  # every block's text is on the page
        assert block.text in text, block.text


@needs_chromium
def test_chromium_lays_out_the_report(tmp_path: Path, seed_report: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(seed_report), "-o", str(tmp_path), "--to", "html"])
    assert result.exit_code == 0, result.output
    html_path = tmp_path / "seed_report.zh.html"
    doc = load_document(seed_report)
    probe = layout(html_path.read_text(encoding="utf-8"), tmp_path)
    boxes = probe["boxes"]
    heads = [b for b in boxes if b["tag"] in ("h2", "h3", "h4")]
    paras = [b for b in boxes if b["tag"] == "p"]
    assert len(heads) == len(doc.headings()) + 1  # + the table of contents' own heading
    assert len(paras) >= sum(1 for b in doc.blocks if b.type == "paragraph")
    for b in boxes:
        assert b["w"] > 0 and b["h"] > 0, b  # rendered, not collapsed
        assert b["x"] >= 0 and b["x"] + b["w"] <= probe["width"] + 1, b  # nothing runs off the page
        assert not b["over"], b  # no text overflows its box
    body = [b for b in boxes if b["tag"] in ("h2", "h3", "p") and b["cls"] != "front"]
    tops = [b["y"] for b in body if not b["text"].startswith("目录")]
    assert tops == sorted(tops)  # blocks stacked in reading order
    h1 = next(b for b in boxes if b["tag"] == "h1")
    assert abs(h1["x"] + h1["w"] / 2 - probe["width"] / 2) < 5  # the title is centred
    assert all(probe["targets"]) and len(probe["targets"]) == len(doc.headings())  # the TOC links resolve
    # A long paragraph wraps over several lines inside the text column.
    longest = max(paras, key=lambda b: len(b["text"]) and b["h"])
    assert longest["h"] > 3 * 16

    # The screenshot shows ink where the title is, and a clean margin beside the column.
    shot = screenshot(html_path, tmp_path)
    x0, y0 = int(h1["x"]), int(h1["y"])
    title = shot.crop((x0, y0, x0 + int(h1["w"]), y0 + int(h1["h"])))
    dark = sum(title.histogram()[:128])
    assert dark > 0.03 * title.width * title.height, dark
    margin = shot.crop((0, 0, 40, shot.height))
    assert margin.getextrema()[0] > 245  # background only


@needs_chromium
def test_chromium_bilingual_side_by_side_and_stacked_when_narrow(tmp_path: Path) -> None:
    page = to_bilingual_html(sample_doc(), ENGLISH)
    wide = layout(page, tmp_path, width=1200)
    zh = [b for b in wide["boxes"] if b["cls"] == "zh"]
    en = [b for b in wide["boxes"] if b["cls"] == "en"]
    assert len(zh) == len(en) == len(sample_doc().blocks) - 2
    for a, b in zip(zh, en):
        assert abs(a["y"] - b["y"]) < 1 and b["x"] >= a["x"] + a["w"]  # level, English on the right
    narrow = layout(page, tmp_path, width=480)
    zh = [b for b in narrow["boxes"] if b["cls"] == "zh"]
    en = [b for b in narrow["boxes"] if b["cls"] == "en"]
    for a, b in zip(zh, en):
        if b["h"]:
            assert b["y"] >= a["y"] + a["h"] - 1  # English below its Chinese
    for b in narrow["boxes"]:
        assert b["x"] + b["w"] <= narrow["width"] + 1 and not b["over"], b


def test_translate_writes_bilingual_html(argos_env, tmp_path: Path) -> None:  # noqa: ANN001
    src = tmp_path / "r.txt"
    src.write_text("政府工作报告\n\n各位代表：\n\n一、过去一年的工作\n\n乡村振兴取得新成效。\n\n二、今年的任务\n\n稳中求进。\n",
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(src), "-o", str(tmp_path / "out"), "--to", "html",
                                       "--translate"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "r.bilingual.html").read_text(encoding="utf-8")
    doc = load_document(src)
    assert page.count('class="pair"') == len(doc.blocks) - 1  # all but the title, which heads the page
    assert page.count('<div class="en" lang="en"><') == len(doc.blocks) - 1  # each with its English
    assert (tmp_path / "out" / "r.zh.html").is_file()
