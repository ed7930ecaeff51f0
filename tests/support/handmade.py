"""Small PDFs made by hand with reportlab, each pinning one fidelity case.

Every builder writes a one-page PDF and returns what a faithful reader must give back,
so a test can compare. Chinese uses reportlab's built-in STSong-Light (no font files).
"""

from __future__ import annotations

from pathlib import Path

CJK_FONT = "STSong-Light"


def _canvas(path: Path):  # noqa: ANN202 - reportlab has no type hints
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    return c


LATIN_LINES = [
    "Artificial Intelligence will fill all skill gaps, Wall Street said.",
    "Visit http://www.huajinchem.com or https://example.org/a//b for the full text.",
    "Little attitudes, better settlements: offer, affix, skiing, Hawaii, 1100 and 2011.",
    "Mississippi, 2011 and Tennessee, 1999 were added; 9,974,993,281.20 stays one number.",
]


def latin_words(path: Path) -> list[str]:
    """Times and Helvetica lines full of double letters (ll tt ff ii), URLs and numbers."""
    c = _canvas(path)
    y = 780
    for i, line in enumerate(LATIN_LINES):
        for font in ("Times-Roman", "Helvetica", "Times-Italic"):
            c.setFont(font, 10 + i)
            c.drawString(60, y, line)
            y -= 22
    c.save()
    return [ln for ln in LATIN_LINES for _ in range(3)]


FAKE_BOLD_HEADING = "一、加快建设现代化产业体系"
FAKE_BOLD_BODY = "全年地区生产总值增长百分之五，就业和物价总体稳定。"


def fake_bold(path: Path, offset: float = 0.3) -> tuple[str, str]:
    """A heading drawn twice, the copy shifted by ``offset`` pt (fake bold), then body text."""
    c = _canvas(path)
    c.setFont(CJK_FONT, 16)
    for dx in (0.0, offset):
        c.drawString(72 + dx, 760, FAKE_BOLD_HEADING)
    c.setFont("Times-Bold", 16)
    for dx in (0.0, offset):
        c.drawString(72 + dx, 735, "Still Illegal")
    c.setFont(CJK_FONT, 12)
    c.drawString(72, 705, FAKE_BOLD_BODY)
    c.save()
    return FAKE_BOLD_HEADING, FAKE_BOLD_BODY


TABLE_ROWS = [
    ("项目", "2019年金额", "2018年金额"),
    ("营业收入", "8,842,476,363.16", "9,974,993,281.20"),
    ("归属于上市公司股东的扣除非经常性损益的净利润", "343,780,082.77", "-15,135,052.21"),
    ("经营活动产生的现金流量净额", "-792,963,499.33", "119,047,104.35"),
]


def ruled_table(path: Path) -> list[tuple[str, ...]]:
    """A ruled table: right-aligned numbers that touch their cell's right rule, and a label
    that wraps over two lines inside its cell, drawn as two stacked sub-cells offset against
    the number column's background box (as Word-printed annual reports draw them)."""
    c = _canvas(path)
    cols = [60.0, 190.0, 271.0, 352.0]  # the numbers nearly touch the rule at 271 and 352
    top = 760.0
    row_h = 20.0
    size = 9.0
    y = top
    for r, row in enumerate(TABLE_ROWS):
        label = row[0]
        wrapped = len(label) > 14
        h = 2 * row_h if wrapped else row_h
        # outer rules of the row
        c.setLineWidth(0.5)
        c.line(cols[0], y, cols[-1], y)
        for x in cols:
            c.line(x, y, x, y - h)
        if wrapped:
            # label sub-cells split at the middle; number sub-cells split off-centre
            c.setStrokeColorRGB(1, 1, 1)
            c.rect(cols[0] + 1, y - h / 2, cols[1] - cols[0] - 2, h / 2 - 1, stroke=1, fill=0)
            c.rect(cols[0] + 1, y - h + 1, cols[1] - cols[0] - 2, h / 2 - 2, stroke=1, fill=0)
            for i in (1, 2):
                c.rect(cols[i] + 1, y - h * 0.75, cols[i + 1] - cols[i] - 2, h * 0.5, stroke=1, fill=0)
            c.setStrokeColorRGB(0, 0, 0)
            c.setFont(CJK_FONT, size)
            c.drawString(cols[0] + 2, y - 13, label[:14])
            c.drawString(cols[0] + 2, y - 13 - row_h, label[14:])
            base = y - h / 2 - 3
        else:
            c.setFont(CJK_FONT, size)
            c.drawString(cols[0] + 2, y - 13, label)
            base = y - 13
        for i, value in enumerate(row[1:], start=1):
            font = CJK_FONT if r == 0 else "Helvetica"
            c.setFont(font, size)
            c.drawRightString(cols[i + 1] - 0.3, base, value)
        y -= h
    c.line(cols[0], y, cols[-1], y)
    c.setFont(CJK_FONT, 12)
    c.drawString(60, y - 30, "表格之后的正文段落。")
    c.save()
    return TABLE_ROWS


SECTION_LINES = [
    ("1.1", "人工智能的概念"),
    ("第一节", "重要提示、目录和释义"),
    ("第十四条", "工会经费由会员缴纳的会费构成。"),
    ("1.1.2", "机器学习"),
]


def section_numbers(path: Path) -> list[str]:
    """Lines that open with a section number and the author's space before the title."""
    c = _canvas(path)
    y = 760
    for number, title in SECTION_LINES:
        c.setFont(CJK_FONT, 12)
        c.drawString(72, y, number)
        width = c.stringWidth(number, CJK_FONT, 12)
        c.drawString(72 + width + 6, y, title)  # half an em: a typed space
        y -= 30
    # Tc-justified body text that must stay unspaced
    c.setFont(CJK_FONT, 12)
    t = c.beginText(72, y)
    t.setCharSpace(3)
    t.textOut("全年粮食产量达到1200万吨")
    c.drawText(t)
    c.save()
    return [f"{n} {t}" for n, t in SECTION_LINES] + ["全年粮食产量达到1200万吨"]


FRONT_BODY = (
    "今天應邀列席貴院提出施政報告，並備質詢，深感榮幸。過去一年，全年地區生產總值增長百分之五，"
    "規模以上工業增加值增長百分之九，固定資產投資穩步增長，就業形勢總體穩定，物價水平保持平穩。"
)


def front_matter(path: Path, front: list[tuple[str, str]], body: str = FRONT_BODY, chars: int = 30) -> None:
    """A title (18 pt, centred), then front lines ``(text, align)`` with align one of
    centre/left/right, set in the body's font and size at the body's line pitch (no
    extra space between them), then a body paragraph justified over ``chars`` per line
    with a two-character first-line indent."""
    c = _canvas(path)
    size, pitch, left = 12.0, 20.0, 72.0
    width = chars * size
    c.setFont(CJK_FONT, 18)
    c.drawCentredString(left + width / 2, 770, "施政報告")
    y = 735.0
    c.setFont(CJK_FONT, size)
    for text, align in front:
        if align == "centre":
            c.drawCentredString(left + width / 2, y, text)
        elif align == "right":
            c.drawRightString(left + width, y, text)
        else:
            c.drawString(left, y, text)
        y -= pitch
    rest, first = body, chars - 2
    x = left + 2 * size
    while rest:
        c.drawString(x, y, rest[:first])
        rest, first, x = rest[first:], chars, left
        y -= pitch
    c.save()


_COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应"
    "开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命"
)


def body_text(n: int, seed: int = 0) -> str:
    """``n`` Chinese characters without repeats of whole lines (no punctuation, no Latin)."""
    import random

    rng = random.Random(seed)
    return "".join(rng.choice(_COMMON) for _ in range(n))


def two_column_pages(
    path: Path, gutter_chars: float, last: tuple[int, int] | str, chars: int = 14, rows: int = 40
) -> str:
    """Page 1: two full columns of ``chars`` characters, ``gutter_chars`` apart. Page 2:
    ``last`` = (rows in the left column, rows in the right column), or a pattern of a
    single column across the page, ``F`` a full line, ``s`` a short one. Returns the text
    in reading order."""
    c = _canvas(path)
    size, pitch, x0 = 10.0, 16.0, 100.0
    colw, gutter = chars * size, gutter_chars * size
    text = body_text(4 * rows * chars + 200)
    pos = 0
    for page in ((rows, rows), last):
        c.setFont(CJK_FONT, size)
        if isinstance(page, str):
            full = int(2 * chars + gutter_chars)
            for k, kind in enumerate(page):
                n = full if kind == "F" else 6
                c.drawString(x0, 770.0 - k * pitch, text[pos : pos + n])
                pos += n
        else:
            for col, n in enumerate(page):
                for k in range(n):
                    c.drawString(x0 + col * (colw + gutter), 770.0 - k * pitch, text[pos : pos + chars])
                    pos += chars
        c.showPage()
    c.save()
    return text[:pos]
