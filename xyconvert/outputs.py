"""Which files a conversion writes, rendered in memory before anything is written.

Rendering every output first means a failure (a bad template, a missing
translation model) leaves no partial set of files behind; the convert command
then writes each file atomically (see ``commands/convert.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xyconvert.model import Document

FORMATS = ("md", "txt", "json", "docx", "html", "xliff")
ALL = ("md", "txt", "json", "docx", "html")  # `--to all`; XLIFF is for translators, asked for by name
SUFFIX = {"md": ".zh.md", "txt": ".zh.txt", "json": ".json", "docx": ".zh.docx", "html": ".zh.html",
          "xliff": ".xlf"}


def parse_formats(spec: str) -> list[str]:
    """``md,txt`` -> ["md", "txt"]; ``all`` -> every format. Raises ValueError."""
    names = [s.strip().lower() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in FORMATS and n != "all"]
    if unknown or not names:
        raise ValueError(
            f"unknown format {', '.join(unknown) or spec!r}; choose from {', '.join(FORMATS)} or all"
        )
    if "all" in names:  # every format but XLIFF, which is asked for by name
        return list(ALL) + [n for n in names if n == "xliff"]
    return list(dict.fromkeys(names))


@dataclass
class RenderOptions:
    formats: list[str] = field(default_factory=lambda: ["md"])
    reference_docx: Path | None = None
    english: list[str | None] | None = None  # one English text per block, when translated
    extra_json: dict[str, object] = field(default_factory=dict)
    sentences: list[Any] | None = None  # per-sentence TM/MT results (xyconvert.tm.apply)
    glossary: Any = None  # for the glossary notes of XLIFF units


def render(doc: Document, stem: str, options: RenderOptions) -> dict[str, bytes]:
    """Return {file name: content} for every requested output."""
    out: dict[str, bytes] = {}
    renderers: dict[str, Callable[[], bytes]] = {
        "md": lambda: _md(doc),
        "txt": lambda: _txt(doc),
        "json": lambda: _json(doc, options.extra_json),
        "docx": lambda: _docx(doc, options.reference_docx),
        "html": lambda: _html(doc),
        "xliff": lambda: _xliff(doc, options),
    }
    for fmt in options.formats:
        out[stem + SUFFIX[fmt]] = renderers[fmt]()
    if options.english is not None:
        from xyconvert.writers.english import bilingual_markdown, english_markdown

        out[stem + ".en.md"] = english_markdown(doc, options.english).encode()
        out[stem + ".bilingual.md"] = bilingual_markdown(doc, options.english).encode()
        if "docx" in options.formats:
            out.update(_docx_translated(doc, stem, options))
        if "html" in options.formats:
            from xyconvert.writers.html import to_bilingual_html

            out[stem + ".bilingual.html"] = to_bilingual_html(doc, options.english).encode()
    return out


def _md(doc: Document) -> bytes:
    from xyconvert.writers.markdown import to_markdown

    return to_markdown(doc).encode()


def _txt(doc: Document) -> bytes:
    from xyconvert.writers.plaintext import to_text

    return to_text(doc).encode()


def _json(doc: Document, extra: dict[str, object]) -> bytes:
    from xyconvert.writers.jsondoc import to_json

    return to_json(doc, **extra).encode()


def _html(doc: Document) -> bytes:
    from xyconvert.writers.html import to_html

    return to_html(doc).encode()
def _xliff(doc: Document, options: RenderOptions) -> bytes:
    from xyconvert.writers.xliff import xliff_bytes

    return xliff_bytes(doc, options.sentences, options.glossary)


def _docx(doc: Document, reference: Path | None) -> bytes:
    from xyconvert.writers.docx import docx_bytes

    return docx_bytes(doc, lang="zh", reference_docx=reference)


def _docx_translated(doc: Document, stem: str, options: RenderOptions) -> dict[str, bytes]:
    from xyconvert.writers.docx import docx_bytes

    assert options.english is not None
    ref = options.reference_docx
    return {
        stem + ".en.docx": docx_bytes(doc, options.english, lang="en", reference_docx=ref),
        stem + ".bilingual.docx": docx_bytes(doc, options.english, lang="bilingual", reference_docx=ref),
    }
