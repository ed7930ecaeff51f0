"""Render ``samples/seed_gold.md`` into realistic A4 report PDFs (the PDF reader's test inputs).

Run as ``python samples/make_samples.py``; the output is deterministic (reportlab's
``invariant`` mode: no dates or random IDs), so re-running it must not change the PDFs.

Variants written next to this script:

  seed_clean.pdf        one column, 2-character first-line indent, ~27 CJK characters a line
  seed_bottomup.pdf     as clean, but every second page's lines are written bottom-up in the
                        content stream (reading order must come from geometry)
  seed_charspacing.pdf  full lines justified with character spacing (Tc), wide glyph gaps
  seed_twocolumn.pdf    title block across the page, then two columns
  seed_furniture.pdf    running header on top and ``— 3 —`` page numbers at the bottom

Fonts: TrueType CJK fonts from Debian packages (reportlab cannot embed CFF/OTF CJK fonts):
  apt-get install -y fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei
Body text is AR PL UMing (a Song face), level-2 headings and the title WenQuanYi Zen Hei
(a Hei face, i.e. "bold" to the reader), level-3 headings AR PL UKai (Kai). Fonts are
embedded as subsets, so each PDF stays small. Without those fonts the script falls back to
reportlab's built-in CID font STSong-Light for every role,
which are not embedded; the committed PDFs were made with the TrueType fonts.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
GOLD = HERE / "seed_gold.md"

FONT_FILES = {
    "Song": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "Kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
}

# Characters that may not start a line / end a line (simple 禁则 line-breaking rules).
NO_START = set("，。、；：！？）》」』”’％%…—·")
NO_END = set("（《「『“‘")


def register_fonts() -> dict[str, str]:
    """Register the CJK fonts; return role -> reportlab font name."""
    from reportlab.pdfbase.ttfonts import TTFont

    names: dict[str, str] = {}
    missing = [p for p, _ in FONT_FILES.values() if not Path(p).exists()]
    if missing:
        # Fallback keeps the script runnable anywhere; the output then differs (non-embedded CID font).
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        print(f"warning: fonts missing ({', '.join(missing)}); using STSong-Light", file=sys.stderr)
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return {role: "STSong-Light" for role in FONT_FILES}
    for role, (path, index) in FONT_FILES.items():
        name = f"XY{role}"
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        names[role] = name
    return names


# ---------------------------------------------------------------------------------------------
# The gold text as blocks


@dataclass
class Block:
    kind: str  # title | center | h2 | h3 | para
    text: str
    runin: str = ""  # run-in heading text at the start of a paragraph (kind para)


def read_gold(path: Path = GOLD) -> list[Block]:
    paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    blocks: list[Block] = []
    section = 0
    for i, p in enumerate(paras):
        if p.startswith("# "):
            blocks.append(Block("title", p[2:]))
        elif p.startswith("## "):
            section += 1
            blocks.append(Block("h2", p[3:]))
        elif p.startswith("### "):
            blocks.append(Block("h3", p[4:]))
        elif i in (1, 2):  # date line and speaker line under the title
            blocks.append(Block("center", p))
        else:
            blocks.append(Block("para", p))
    # Run-in headings: in sections 二 and 三 a level-3 heading ending in 。 starts its paragraph.
    out: list[Block] = []
    section = 0
    for b in blocks:
        if b.kind == "h2":
            section += 1
        if out and out[-1].kind == "h3" and b.kind == "para" and section >= 2:
            head = out[-1].text
            if head.endswith("。"):
                out[-1] = Block("para", head + b.text, runin=head)
                continue
        out.append(b)
    return out


# ---------------------------------------------------------------------------------------------
# Line breaking


@dataclass
class Run:
    font: str
    text: str


@dataclass
class VLine:
    """One visual line: runs of text, where it starts, and how it is set."""

    runs: list[Run]
    x: float  # left edge of the text
    size: float
    pitch: float  # baseline-to-baseline advance to the next line
    justify_to: float | None = None  # stretch the line to this width with char spacing
    space_before: float = 0.0  # extra vertical space before the line
    span: bool = False  # two-column layout: this line spans both columns
    widths: list[float] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%]*|.", re.S)


def tokens(text: str, runin: str, body: str, head: str) -> list[tuple[str, str]]:
    """(font, token) pairs; Latin/digit runs stay unbroken across lines."""
    out: list[tuple[str, str]] = []
    for part, font in ((runin, head), (text[len(runin) :], body)):
        out.extend((font, m.group()) for m in TOKEN.finditer(part))
    return out


def break_lines(
    toks: list[tuple[str, str]], size: float, first: float, width: float
) -> list[list[tuple[str, str]]]:
    """Greedy fill with simple 禁则: no closing punctuation at a line start, no opening at an end."""
    lines: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    used = 0.0
    avail = width - first
    for font, tok in toks:
        w = pdfmetrics.stringWidth(tok, font, size)
        if cur and used + w > avail + 0.01:
            carry: list[tuple[str, str]] = []
            if tok in NO_START and len(cur) > 1:
                carry.append(cur.pop())  # take a character down with the punctuation
            while len(cur) > 1 and cur[-1][1] in NO_END:
                carry.insert(0, cur.pop())
            lines.append(cur)
            cur = carry
            used = sum(pdfmetrics.stringWidth(t, f, size) for f, t in cur)
            avail = width
        cur.append((font, tok))
        used += w
    if cur:
        lines.append(cur)
    return lines


def merge_runs(toks: list[tuple[str, str]]) -> list[Run]:
    runs: list[Run] = []
    for font, tok in toks:
        if runs and runs[-1].font == font:
            runs[-1].text += tok
        else:
            runs.append(Run(font, tok))
    return runs


@dataclass
class Style:
    size: float  # body font size
    width: float  # column width
    chars: int  # characters per line before justification (= width / size normally)
    justify: bool  # stretch full lines with char spacing


def layout(blocks: list[Block], fonts: dict[str, str], st: Style, two_column: bool) -> list[VLine]:
    size = st.size
    pitch = size * 1.75
    measure = st.chars * size  # the width lines are filled to
    out: list[VLine] = []
    for b in blocks:
        if b.kind == "title":
            tsize = size * 1.6
            w = pdfmetrics.stringWidth(b.text, fonts["Hei"], tsize)
            out.append(VLine([Run(fonts["Hei"], b.text)], -w / 2, tsize, tsize * 2.2, span=True))
            continue
        if b.kind == "center":
            csize = size * 0.9  # one size down, so the 28-character date line fits the measure
            w = pdfmetrics.stringWidth(b.text, fonts["Kai"], csize)
            out.append(VLine([Run(fonts["Kai"], b.text)], -w / 2, csize, pitch, span=True))
            if b is blocks[2]:
                out[-1].pitch = pitch * 1.6  # some air before the body starts
            continue
        if b.kind in ("h2", "h3"):
            font = fonts["Hei"] if b.kind == "h2" else fonts["Kai"]
            toks = tokens(b.text, "", font, font)
            space = pitch * 0.5 if b.kind == "h2" else 0.0
        else:
            toks = tokens(b.text, b.runin, fonts["Song"], fonts["Kai"])
            space = 0.0
        indent = (
            0.0 if b.text.endswith("：") and len(b.text) < 12 else 2 * size
        )  # salutation flush left
        rows = break_lines(toks, size, indent, measure)
        for i, row in enumerate(rows):
            last = i == len(rows) - 1
            vl = VLine(merge_runs(row), indent if i == 0 else 0.0, size, pitch)
            if st.justify and not last:
                vl.justify_to = st.width - vl.x
            if i == 0:
                vl.space_before = space
            out.append(vl)
    return out


# ---------------------------------------------------------------------------------------------
# Drawing


@dataclass
class Page:
    lines: list[tuple[float, float, VLine]] = field(default_factory=list)  # (x, baseline y, line)


def paginate(vlines: list[VLine], st: Style, two_column: bool) -> list[Page]:
    pw, ph = A4
    top, bottom = ph - 90.0, 80.0
    gutter = 2 * st.size
    left = (pw - (st.width * 2 + gutter if two_column else st.width)) / 2
    full = st.width * 2 + gutter if two_column else st.width
    pages: list[Page] = [Page()]
    y = top
    col = 0
    col_top = top
    for vl in vlines:
        if vl.span:
            y -= vl.size
            x = left + full / 2 + vl.x if vl.x < 0 else left + vl.x
            pages[-1].lines.append((x, y, vl))
            y -= vl.pitch - vl.size
            col_top = y
            continue
        y -= vl.space_before
        if y - vl.size < bottom:
            if two_column and col == 0:
                col, y = 1, col_top
            else:
                pages.append(Page())
                col, y, col_top = 0, top, top
        y -= vl.size
        x0 = left + (col * (st.width + gutter) if two_column else 0.0)
        pages[-1].lines.append((x0 + vl.x, y, vl))
        y -= vl.pitch - vl.size
    return pages


def draw_line(c: canvas.Canvas, x: float, y: float, vl: VLine) -> None:
    t = c.beginText(x, y)
    tc = 0.0
    if vl.justify_to is not None:
        natural = sum(pdfmetrics.stringWidth(r.text, r.font, vl.size) for r in vl.runs)
        n = len(vl.text)
        if n > 1 and vl.justify_to > natural:
            tc = (vl.justify_to - natural) / n  # Tc follows every glyph, the last one too
    t.setCharSpace(tc)  # always: Tc is graphics state and would leak into the next line
    for r in vl.runs:
        t.setFont(r.font, vl.size)
        t.textOut(r.text)
    c.drawText(t)


def render(
    path: Path,
    pages: list[Page],
    *,
    bottom_up: bool = False,
    furniture: str | None = None,
    fonts: dict[str, str],
) -> None:
    pw, ph = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle("政府工作报告")
    c.setAuthor("xyconvert samples")
    for n, page in enumerate(pages, start=1):
        order = list(page.lines)
        if bottom_up and n % 2 == 0:
            order.reverse()  # content stream bottom-up; geometry is unchanged
        for x, y, vl in order:
            draw_line(c, x, y, vl)
        if furniture:  # drawn after the body: stream order must not matter to the reader
            c.setFont(fonts["Song"], 10.5)
            c.drawCentredString(pw / 2, ph - 50, furniture)
            c.setLineWidth(0.6)
            c.line(90, ph - 56, pw - 90, ph - 56)
            c.setFont(fonts["Song"], 14)
            c.drawCentredString(pw / 2, 40, f"— {n} —")
        c.showPage()
    c.save()


def main() -> None:
    fonts = register_fonts()
    blocks = read_gold()
    one = Style(size=15.0, width=27 * 15.0, chars=27, justify=False)
    spaced = Style(size=15.0, width=27 * 15.0, chars=22, justify=True)  # 22 chars stretched to 27
    two = Style(size=11.0, width=16 * 11.0, chars=16, justify=True)

    clean_lines = layout(blocks, fonts, one, False)
    clean_pages = paginate(clean_lines, one, False)
    render(HERE / "seed_clean.pdf", clean_pages, fonts=fonts)
    render(HERE / "seed_bottomup.pdf", clean_pages, bottom_up=True, fonts=fonts)
    render(
        HERE / "seed_furniture.pdf",
        clean_pages,
        furniture="新源县人民政府 2024年政府工作报告",
        fonts=fonts,
    )
    render(
        HERE / "seed_charspacing.pdf",
        paginate(layout(blocks, fonts, spaced, False), spaced, False),
        fonts=fonts,
    )
    render(
        HERE / "seed_twocolumn.pdf",
        paginate(layout(blocks, fonts, two, True), two, True),
        fonts=fonts,
    )
    for name in ("clean", "bottomup", "charspacing", "twocolumn", "furniture"):
        p = HERE / f"seed_{name}.pdf"
        print(f"{p.name}: {p.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
