"""Normalisation: canonical character forms and optional script conversion.

* Full-width digits and Latin letters become half-width (``２０２４`` -> ``2024``);
  Chinese punctuation stays full-width, and ASCII ``,;:?!()`` touching Chinese
  text become their full-width forms, so ``(一)`` and ``（一）`` are one heading.
* Kangxi radicals and CJK radical-supplement code points that some PDF fonts
  emit instead of ordinary ideographs (``⽣`` U+2F63) become the ideographs (``生``).
* Simplified/traditional conversion with OpenCC, on request.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from xyconvert.charclass import CJK_CLASS
from xyconvert.model import Block, Document

_FULLWIDTH_ALNUM = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}
# Kangxi radicals and CJK radical supplement; Latin ligatures (ﬁ ﬂ) from PDF fonts.
_RADICALS = re.compile("[\u2e80-\u2ef3\u2f00-\u2fd5\ufb00-\ufb06]")
_ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PUNCT_NEAR_CJK = re.compile(rf"(?<={CJK_CLASS})[,;:?!]|[,;:?!](?={CJK_CLASS})(?<![0-9][,:])")
_PARENS_CJK = re.compile(rf"\(({CJK_CLASS}[^()]{{0,30}})\)|\(([^()]{{0,30}}{CJK_CLASS})\)")


def _radical(m: re.Match[str]) -> str:
    mapped = unicodedata.normalize("NFKC", m.group(0))
    return mapped if len(mapped) == 1 or m.group(0) >= "\ufb00" else m.group(0)


def canonical_chars(text: str) -> str:
    """Canonical character forms for Chinese text (see module doc)."""
    text = text.translate(_FULLWIDTH_ALNUM)
    if _RADICALS.search(text):
        text = _RADICALS.sub(_radical, text)
    if "(" in text:
        text = _PARENS_CJK.sub(lambda m: f"（{m.group(1) or m.group(2)}）", text)
    if any(ch in text for ch in _ASCII_TO_FULL):
        text = _PUNCT_NEAR_CJK.sub(lambda m: _ASCII_TO_FULL[m.group(0)], text)
    return text


@lru_cache(maxsize=4)
def _converter(config: str):  # noqa: ANN202 - opencc has no type hints
    import opencc

    return opencc.OpenCC(config)


SCRIPTS = {"simplified": "t2s", "traditional": "s2t"}


def convert_script(doc: Document, script: str) -> Document:
    """Return ``doc`` with every text converted to ``simplified`` or ``traditional`` characters."""
    conv = _converter(SCRIPTS[script])
    blocks = []
    for b in doc.blocks:
        rows = [[conv.convert(c) for c in row] for row in b.rows] if b.rows is not None else None
        blocks.append(
            Block(
                type=b.type,
                text=conv.convert(b.text),
                level=b.level,
                marker=b.marker,
                items=b.items,
                rows=rows,
                provenance=b.provenance,
            )
        )
    meta = doc.metadata
    if meta.title:
        meta.title = conv.convert(meta.title)
    return Document(meta, blocks)
