"""Opening a PDF with pdfplumber or PDFium, mapping their many failures to our error types."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xyconvert.errors import EncryptedInput, InputNotFound, UnreadableInput


def page_list(numbers: Iterable[int]) -> str:
    """Compact page list: ``pages 1-3, 5`` / ``page 2``."""
    nums = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    word = "page" if len(nums) == 1 else "pages"
    return f"{word} {', '.join(parts)}"


def why(e: BaseException) -> str:
    msg = str(e).strip() or type(e).__name__
    return msg[:200]


# --- opening ---------------------------------------------------------------------------------


def check_header(path: Path) -> None:
    """InputNotFound / UnreadableInput unless ``path`` is a readable file that looks like a PDF."""
    if not path.exists():
        raise InputNotFound(path, "no such file")
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as e:
        raise UnreadableInput(path, f"cannot read: {e.strerror or e}") from None
    if b"%PDF-" not in head:  # the header may follow a little junk; anything else is not a PDF
        raise UnreadableInput(path, "not a PDF file")


def open_pdf(path: Path, password: str | None, page_numbers: list[int] | None) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    check_header(path)
    try:
        return pdfplumber.open(path, password=password or "", pages=page_numbers)
    except Exception as e:
        cause = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e
        if isinstance(cause, PDFPasswordIncorrect):
            if password:
                raise EncryptedInput(path, "encrypted PDF: wrong password") from None
            raise EncryptedInput(path, "encrypted PDF: give the password with --password") from None
        if isinstance(cause, PDFEncryptionError):
            raise EncryptedInput(
                path, f"encrypted PDF: unsupported encryption ({why(cause)})"
            ) from None
        raise UnreadableInput(path, f"corrupt or truncated PDF: {why(cause)}") from None


def pdfium_input(path: Path) -> Path | bytes:
    """What to hand ``pypdfium2.PdfDocument`` for ``path``: the bytes of an unnamed file
    (``/proc/self/fd/N``, stdin's copy), whose link pypdfium2 would resolve to a dead name."""
    if str(path).startswith("/proc/"):
        return Path(path).read_bytes()
    return path


def open_pdfium(path: Path, password: str | None) -> Any:
    """A ``pypdfium2.PdfDocument``; PDFium's load error codes mapped to ours."""
    import pypdfium2
    import pypdfium2.raw as c

    check_header(path)
    try:
        return pypdfium2.PdfDocument(pdfium_input(path), password=password or None)
    except pypdfium2.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == c.FPDF_ERR_PASSWORD:
            if password:
                raise EncryptedInput(path, "encrypted PDF: wrong password") from None
            raise EncryptedInput(path, "encrypted PDF: give the password with --password") from None
        if code == c.FPDF_ERR_SECURITY:
            raise EncryptedInput(path, "encrypted PDF: unsupported encryption") from None
        if code == c.FPDF_ERR_FILE:
            raise UnreadableInput(path, "cannot read the file") from None
        raise UnreadableInput(path, "corrupt or truncated PDF: PDFium cannot parse it") from None


def has_eof_marker(path: Path) -> bool:
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - 4096))
        return b"%%EOF" in f.read()

