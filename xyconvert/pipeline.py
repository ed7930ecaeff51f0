"""The whole read path: input file -> repaired, normalised Document.

readers (text or PDF) -> repair (order, spacing, paragraphs, structure)
-> normalise (script conversion). Writers and translation take it from here.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from xyconvert import __version__
from xyconvert.errors import EncryptedInput, InputNotFound, UnreadableInput, XyError, shown
from xyconvert.lines import SourcePage
from xyconvert.model import Document, Metadata
from xyconvert.repair import RepairOptions, build_document


@dataclass(frozen=True)
class ConvertOptions:
    script: str | None = None  # "simplified" / "traditional" / None (keep)
    password: str | None = None  # for encrypted PDFs
    fix_order: bool = True
    drop_furniture: bool = True


def sniff_format(path: Path, head: bytes) -> str:
    """``pdf`` or ``txt``: by content first (a PDF named .txt is still a PDF), then by name."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return "pdf" if path.suffix.lower() == ".pdf" else "txt"


def load_document(path: Path, options: ConvertOptions | None = None) -> Document:
    """Read and repair one input file. Raises ``XyError`` subclasses on bad input."""
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
    return load_bytes(data, path, options)


def load_bytes(data: bytes, path: Path, options: ConvertOptions | None = None) -> Document:
    """Like ``load_document`` for data already in memory (``path`` names it in messages)."""
    options = options or ConvertOptions()
    fmt = sniff_format(path, data)
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
        try:
            if path.is_file():
                pages = read_pdf(path, password=options.password, warnings=meta.warnings)
            else:  # PDF bytes from a pipe: pdfplumber wants a file
                pages = _read_pdf_bytes(data, path, options, meta.warnings)
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
    doc = build_document(pages, meta, repair)
    if not any(b.text.strip() for b in doc.blocks):
        raise UnreadableInput(path, "no text found")
    if options.script:
        from xyconvert.normalize import convert_script

        doc = convert_script(doc, options.script)
    return doc


def _read_pdf_bytes(data: bytes, path: Path, options: ConvertOptions, warnings: list[str]) -> list[SourcePage]:
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
            return read_pdf(source, password=options.password, warnings=warnings)
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
    return last is not None and any(f"{os.sep}{name}{os.sep}" in last for name in ("pdfminer", "pdfplumber"))
