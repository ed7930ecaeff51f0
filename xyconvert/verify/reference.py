"""Page texts from extractors independent of our reader: PDFium (pypdfium2), poppler's pdftotext,
and pdfminer (through pdfplumber's plain ``extract_text``) for when PDFium is our own glyph engine.

Only the characters matter to the conservation check, not their order or spacing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from xyconvert.errors import EncryptedInput, UnreadableInput

REFERENCES = ("pdfium", "pdftotext", "pdfminer")


def available(name: str) -> bool:
    if name == "pdftotext":
        return shutil.which("pdftotext") is not None
    return name in ("pdfium", "pdfminer")


def page_texts(path: Path, name: str = "pdfium", password: str | None = None) -> list[str]:
    """The text of every page, in page order, as the named extractor gives it."""
    if name == "pdftotext":
        return _pdftotext(path, password)
    if name == "pdfminer":
        return _pdfminer(path, password)
    return _pdfium(path, password)


def _pdfminer(path: Path, password: str | None) -> list[str]:
    import pdfplumber

    out = []
    with pdfplumber.open(path, password=password or "") as pdf:
        for page in pdf.pages:
            # (cid:N): a glyph pdfminer cannot map has no character to compare
            out.append("".join(c["text"] for c in page.chars if not c["text"].startswith("(cid:")))
            page.close()
    return out


def _pdfium(path: Path, password: str | None) -> list[str]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise EncryptedInput(path, "encrypted PDF: give the password with --password") from None
        raise UnreadableInput(path, f"PDFium cannot open it: {e}") from None
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            text = page.get_textpage()
            try:
                # PDFium marks a hyphen at a line break as U+FFFE
                out.append(text.get_text_range().replace("\ufffe", "-"))
            finally:
                text.close()
                page.close()
        return out
    finally:
        doc.close()


def _pdftotext(path: Path, password: str | None) -> list[str]:
    cmd = ["pdftotext", "-q", "-enc", "UTF-8"]
    if password:
        cmd += ["-upw", password]
    proc = subprocess.run([*cmd, str(path), "-"], capture_output=True, check=False)
    if proc.returncode != 0:
        raise UnreadableInput(path, f"pdftotext failed (exit {proc.returncode})")
    pages = proc.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page, the last one too, with a form feed
    return pages
