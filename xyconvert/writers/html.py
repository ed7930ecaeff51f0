"""HTML writer: ``<stem>.zh.html`` and, with a translation, ``<stem>.bilingual.html``.

One standalone page (no external files, so it can be archived or mailed):
``lang="zh-CN"``, a small embedded stylesheet with a CJK font stack, the front
matter as ``<meta>`` tags, a table of contents linking to the headings, headings
as ``<h1>``–``<h4>``, paragraphs, tables with header cells. Accessibility: one
``<h1>``, a ``<nav>`` with an ``aria-label``, a ``<main>`` landmark, table
header cells with ``scope``, English marked ``lang="en"``.

The bilingual page pairs every block with its English side by side (two
columns of one grid row per block, so the halves stay level); on a narrow
screen the English drops below its Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from xyconvert.model import Block, Document

CSS = """
:root { color-scheme: light; }
body {
  margin: 0; color: #1a1a1a; background: #fff; line-height: 1.8;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, "Noto Sans CJK SC",
    "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", serif;
}
main, header.doc, nav.toc { max-width: 46em; margin: 0 auto; padding: 0 1.25em; }
main.bilingual, header.bilingual, nav.bilingual { max-width: 80em; }
header.doc { padding-top: 2em; text-align: center; }
h1 { font-size: 1.9em; line-height: 1.4; margin: 0.5em 0; }
.front { margin: 0.2em 0; color: #444; text-align: center; }
h2 { font-size: 1.35em; margin: 1.6em 0 0.6em; }
h3 { font-size: 1.15em; margin: 1.3em 0 0.5em; }
h4 { font-size: 1.05em; margin: 1.1em 0 0.4em; }
p { margin: 0.6em 0; text-align: justify; text-indent: 2em; }
nav.toc { margin-top: 1.5em; margin-bottom: 1.5em; font-size: 0.95em; }
nav.toc h2 { font-size: 1.1em; margin: 0.5em 0; }
nav.toc ol { list-style: none; padding-left: 0; margin: 0; }
nav.toc li.l3 { padding-left: 2em; }
nav.toc li.l4 { padding-left: 4em; }
nav.toc a { color: #1f4e8c; text-decoration: none; }
nav.toc a:hover, nav.toc a:focus { text-decoration: underline; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 2em; align-items: start; }
.pair > .en { font-family: Georgia, "Times New Roman", "Noto Serif", serif; color: #333; }
.pair > .en p { text-indent: 0; text-align: left; }
footer { max-width: 46em; margin: 3em auto 2em; padding: 0 1.25em; font-size: 0.8em; color: #777; }
@media (max-width: 50em) { .pair { grid-template-columns: 1fr; gap: 0.2em; } }
@media print { nav.toc { display: none; } a { color: inherit; } }
""".strip()


def to_html(doc: Document) -> str:
    """The Chinese page."""
    return _page(doc, None)


def to_bilingual_html(doc: Document, english: Sequence[str | None]) -> str:
    """Chinese and English side by side, block by block (``english[i]`` for ``doc.blocks[i]``)."""
    if len(english) != len(doc.blocks):
        raise ValueError(f"{len(english)} English texts for {len(doc.blocks)} blocks")
    return _page(doc, list(english))


def _page(doc: Document, english: list[str | None] | None) -> str:
    meta = doc.metadata
    title_block = doc.title
    title = meta.title or (title_block.text if title_block else None) or meta.source_name or "报告"
    anchors = _anchors(doc.blocks)
    wide = " bilingual" if english is not None else ""
    head = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
    ]
    for name, value in _meta_fields(doc):
        head.append(f'<meta name="{escape(name)}" content="{escape(value)}">')
    head += [f"<style>\n{CSS}\n</style>", "</head>", "<body>"]

    body: list[str] = []
    front_end = _front_end(doc.blocks)
    if front_end:
        body.append(f'<header class="doc{wide}">')
        for i in range(front_end):
            body.append(_front_block(doc.blocks[i], english[i] if english else None))
        body.append("</header>")
    toc = _toc(doc.blocks, anchors, english)
    if toc:
        body.append(f'<nav class="toc{wide}" aria-label="目录">')
        body.append(toc)
        body.append("</nav>")
    body.append(f'<main class="{wide.strip() or "zh"}">')
    for i in range(front_end, len(doc.blocks)):
        block = doc.blocks[i]
        zh = _block(block, anchors.get(i))
        if english is None:
            body.append(zh)
            continue
        en = english[i]
        en_html = _block(block, None, text=en, lang="en") if en else ""
        body.append(f'<div class="pair"><div class="zh">{zh}</div><div class="en" lang="en">{en_html}</div></div>')
    body.append("</main>")
    source = escape(meta.source_name or "")
    body.append(f"<footer>xyconvert {escape(meta.tool_version or '')}{' · ' + source if source else ''}</footer>")
    return "\n".join(head + body + ["</body>", "</html>"]) + "\n"


def _meta_fields(doc: Document) -> list[tuple[str, str]]:
    meta = doc.metadata
    fields = [
        ("dcterms.title", meta.title),
        ("dcterms.date", meta.date),
        ("dcterms.description", meta.occasion),
        ("author", meta.speaker_name or meta.speaker),
        ("dcterms.source", meta.source_name),
        ("xyconvert:source-sha256", meta.source_sha256),
        ("generator", f"xyconvert {meta.tool_version}" if meta.tool_version else "xyconvert"),
    ]
    return [(k, v) for k, v in fields if v]


def _front_end(blocks: list[Block]) -> int:
    """The title and the lines right under it (occasion, speaker) form the page header."""
    if not blocks or blocks[0].type != "title":
        return 0
    end = 1
    while end < min(len(blocks), 4) and blocks[end].type == "paragraph" and not any(
        ch in blocks[end].text for ch in "，。；：！？"
    ):
        end += 1
    return end


def _anchors(blocks: list[Block]) -> dict[int, str]:
    out = {}
    for i, b in enumerate(blocks):
        if b.type == "heading":
            out[i] = f"s{len(out) + 1}"
    return out


def _toc(blocks: list[Block], anchors: dict[int, str], english: list[str | None] | None) -> str:
    if len(anchors) < 2:
        return ""
    items = []
    for i, anchor in anchors.items():
        b = blocks[i]
        level = max(2, min(b.level, 4))
        label = escape(b.text)
        if english is not None and english[i]:
            label += f' <span lang="en">/ {escape(english[i] or "")}</span>'
        items.append(f'<li class="l{level}"><a href="#{anchor}">{label}</a></li>')
    return "<h2>目录</h2>\n<ol>\n" + "\n".join(items) + "\n</ol>"


def _front_block(block: Block, english: str | None) -> str:
    en = f'<br><span lang="en">{escape(english)}</span>' if english else ""
    if block.type == "title":
        return f"<h1>{escape(block.text)}{en}</h1>"
    return f'<p class="front">{escape(block.text)}{en}</p>'


def _block(block: Block, anchor: str | None, *, text: str | None = None, lang: str | None = None) -> str:
    body = escape(block.text if text is None else text)
    id_attr = f' id="{anchor}"' if anchor else ""
    if block.type == "title":
        return f"<h1{id_attr}>{body}</h1>"
    if block.type == "heading":
        level = max(2, min(block.level, 4))
        return f"<h{level}{id_attr}>{body}</h{level}>"
    if block.type == "table" and block.rows and text is None:
        return _table(block.rows)
    return f"<p>{body}</p>"


def _table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    norm = [list(r) + [""] * (width - len(r)) for r in rows]
    out = ["<table>", "<thead><tr>" + "".join(f'<th scope="col">{escape(c)}</th>' for c in norm[0]) + "</tr></thead>"]
    out.append("<tbody>")
    for r in norm[1:]:
        out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)
