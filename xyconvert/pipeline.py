"""The whole read path: input file -> repaired, normalised Document.

readers (text or PDF) -> repair (order, spacing, paragraphs, structure)
-> normalise (script conversion). Writers and translation take it from here.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xyconvert import __version__
from xyconvert.errors import EncryptedInput, InputNotFound, UnreadableInput, XyError, shown
from xyconvert.lines import SourcePage
from xyconvert.model import Document, Metadata
from xyconvert.repair import RepairOptions, build_document

OnPage = Callable[[int, int], None]  # (pages read, pages in all): progress of a PDF's reading


@dataclass(frozen=True)
class ConvertOptions:
    script: str | None = None  # "simplified" / "traditional" / None (keep)
    password: str | None = None  # for encrypted PDFs
    fix_order: bool = True
    drop_furniture: bool = True
    pdf_engine: str | None = None  # "pdfium" / "pdfplumber"; None: the reader's default (pdfium)
    pdf_jobs: int = 1  # worker processes over the pages of one PDF
    source_format: str | None = None  # --from: txt, pdf, docx or md; None detects


FORMATS = ("txt", "pdf", "docx", "md")  # what ``--from`` accepts (md is read as text)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (.doc) container


def sniff_format(path: Path, head: bytes) -> str:
    """``pdf``, ``docx``, ``doc`` (legacy Word) or ``txt``: by content first (a PDF named
    .txt is still a PDF), then by name."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") and _is_docx(head):
        return "docx"
    if head.startswith(_OLE):
        return "doc"
    suffix = path.suffix.lower()
    if suffix in (".pdf", ".docx"):
        return suffix[1:]
    return "txt"


def _is_docx(data: bytes) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def load_document(path: Path, options: ConvertOptions | None = None, on_page: OnPage | None = None) -> Document:
    """Read and repair one input file. Raises ``XyError`` subclasses on bad input.
    ``on_page(done, total)`` is told of each PDF page read (reading is most of the time)."""
    options = options or ConvertOptions()
    path = Path(path)
    if not path.exists():
        raise InputNotFound(path, "no such file")
    if path.is_dir():
        raise UnreadableInput(path, "is a directory, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(path, f"cannot read: {exc.strerror or exc}") from None
    return load_bytes(data, path, options, on_page)


def load_bytes(
    data: bytes, path: Path, options: ConvertOptions | None = None, on_page: OnPage | None = None,
) -> Document:
    """Like ``load_document`` for data already in memory (``path`` names it in messages)."""
    options = options or ConvertOptions()
    fmt = sniff_format(path, data)
    if options.source_format in ("txt", "md") and fmt in ("pdf", "docx", "doc"):
        fmt = "txt"  # --from txt: read as text whatever it looks like
    elif options.source_format in ("pdf", "docx"):
        fmt = options.source_format
    if fmt == "doc":
        raise UnreadableInput(
            path,
            "a legacy Word .doc file: save it as .docx in Word, or convert it with "
            "'libreoffice --headless --convert-to docx FILE'",
        )
    meta = Metadata(
        source_name=shown(path.name),
        source_sha256=hashlib.sha256(data).hexdigest(),
        source_format=fmt,
        tool_version=__version__,
    )
    pages: list[SourcePage]
    if fmt == "pdf":
        from xyconvert.readers.pdf import read_pdf  # pdfplumber is slow to import

        if b"%PDF-" not in data[:1024]:
            raise UnreadableInput(path, "not a PDF file")
        pdf_args: dict[str, Any] = {"password": options.password, "jobs": options.pdf_jobs, "on_page": on_page}
        if options.pdf_engine:
            pdf_args["engine"] = options.pdf_engine
        try:
            if path.is_file():
                pages = read_pdf(path, warnings=meta.warnings, **pdf_args)
            else:  # PDF bytes from a pipe: pdfplumber wants a file
                pages = _read_pdf_bytes(data, path, pdf_args, meta.warnings)
        except UnreadableInput as exc:
            if options.password and "codec can't encode" in exc.problem:
                # The parser could not even try a password outside its encoding (RC4 PDFs
                # take Latin-1): to the user that is a password that does not open it.
                raise EncryptedInput(path, "wrong password (this PDF takes Latin-1 passwords only)") from None
            raise
        except XyError:
            raise
        except Exception as exc:
            if not _raised_by_pdf_parser(exc):
                raise  # our own bug: let it surface as an internal error
            raise UnreadableInput(path, f"corrupt PDF ({type(exc).__name__}: {exc})"[:300]) from None
        meta.pages = len(pages)
    elif fmt == "docx":
        from xyconvert.readers.docx import read_docx

        if not data.startswith(b"PK\x03\x04"):
            raise UnreadableInput(path, "not a Word .docx file")
        pages = read_docx(data, path, warnings=meta.warnings)
    else:
        from xyconvert.readers.text import decode_text, split_pages

        text, meta.encoding = decode_text(data, path)
        from xyconvert.limits import MAX_TEXT_CHARS

        if len(text) > MAX_TEXT_CHARS:  # refused before any work that grows faster than the text
            raise UnreadableInput(
                path, f"too long: {len(text):,} characters (the limit is {MAX_TEXT_CHARS:,})"
            )
        if "damaged" in meta.encoding:
            meta.warnings.append("some bytes were not valid UTF-8 and were replaced by U+FFFD")
        pages = split_pages(text)
    repair = RepairOptions(fix_order=options.fix_order, drop_furniture=options.drop_furniture)
    if fmt == "docx":
        # Word paragraphs come in order, without page furniture (headers and footers
        # are not body text): nothing to reorder or drop.
        repair = RepairOptions(fix_order=False, drop_furniture=False)
    doc = build_document(pages, meta, repair)
    if not any(b.text.strip() for b in doc.blocks):
        raise UnreadableInput(path, "no text found")
    if options.script:
        from xyconvert.normalize import convert_script

        doc = convert_script(doc, options.script)
    return doc


def _read_pdf_bytes(data: bytes, path: Path, pdf_args: dict[str, Any], warnings: list[str]) -> list[SourcePage]:
    """Read PDF bytes through a temporary file that has no name, so nothing is left
    behind even when the process is killed; problems name ``path`` (``<stdin>``)."""
    import tempfile

    from xyconvert.readers.pdf import read_pdf

    with tempfile.TemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        proc_fd = Path(f"/proc/self/fd/{tmp.fileno()}")
        if proc_fd.exists():
            source = proc_fd
        else:  # no /proc: a named file, removed when done
            named = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)  # noqa: SIM115
            with named:
                named.write(data)
            source = Path(named.name)
        try:
            return read_pdf(source, warnings=warnings, **pdf_args)
        except XyError as exc:
            raise type(exc)(path, exc.problem) from None
        finally:
            if source != proc_fd:
                source.unlink(missing_ok=True)


def _raised_by_pdf_parser(exc: BaseException) -> bool:
    """Did the exception come from inside pdfminer/pdfplumber (a broken file), not our code?"""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and any(f"{os.sep}{name}{os.sep}" in last for name in ("pdfminer", "pdfplumber", "pypdfium2"))
