"""Bounds on what one input may cost: memory, and how big a text may get.

Each input is converted in a worker process whose memory (the kernel's data
limit: heap and anonymous mappings, not shared libraries) is capped, so a
decompression bomb or a pathological page fails that input with exit 4
("needs more than N MB of memory") instead of taking the machine down.
``--max-memory MB`` or ``XYCONVERT_MAX_MEMORY`` change the cap; 0 removes it.
The cap covers reading, repair and rendering; translation runs without it (its
math libraries reserve large arenas they may never touch).
"""

from __future__ import annotations

import contextlib
import os

DEFAULT_MEMORY_MB = 1536
ENV = "XYCONVERT_MAX_MEMORY"

# Text handed to the repair stage (characters); a bigger input is refused with
# exit 4 before any work starts. 20 M characters is ~15 000 pages.
MAX_TEXT_CHARS = 20_000_000

# PDFs, checked before any layout work: pages in the document, and glyphs drawn
# on one page (a dense A4 page of 6-point text holds ~10 000). Beyond them the
# input is refused with exit 4; no real report comes near either. The
# environment variables change them (0: no limit).
MAX_PAGES = 10_000
MAX_PAGES_ENV = "XYCONVERT_MAX_PAGES"
MAX_PAGE_GLYPHS = 100_000
MAX_PAGE_GLYPHS_ENV = "XYCONVERT_MAX_PAGE_GLYPHS"


def _env_limit(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return max(0, int(raw)) if raw else default
    except ValueError:
        return default


def max_pages() -> int:
    """Pages a PDF may have ($XYCONVERT_MAX_PAGES, else MAX_PAGES; 0 = no limit)."""
    return _env_limit(MAX_PAGES_ENV, MAX_PAGES)


def max_page_glyphs() -> int:
    """Glyphs one PDF page may draw ($XYCONVERT_MAX_PAGE_GLYPHS, else MAX_PAGE_GLYPHS; 0 = no limit)."""
    return _env_limit(MAX_PAGE_GLYPHS_ENV, MAX_PAGE_GLYPHS)


class PageTooBig(Exception):
    """A PDF page draws more glyphs than ``max_page_glyphs()``: raised as soon as that is known
    (``glyphs``: how many, when the engine counted them all; else None)."""

    def __init__(self, number: int, glyphs: int | None, limit: int) -> None:
        super().__init__(number, glyphs, limit)
        self.number, self.glyphs, self.limit = number, glyphs, limit

    @property
    def problem(self) -> str:
        count = f"{self.glyphs:,}" if self.glyphs is not None else f"more than {self.limit:,}"
        return (f"page {self.number} draws {count} glyphs, beyond the limit of {self.limit:,} per page "
                f"(${MAX_PAGE_GLYPHS_ENV}); not a report page")


def memory_limit_mb(option: int | None = None) -> int:
    """The cap in MB: the option, else $XYCONVERT_MAX_MEMORY, else the default (0 = none)."""
    if option is not None:
        return max(0, option)
    raw = os.environ.get(ENV, "").strip()
    if raw:
        try:
            return max(0, int(raw))
        except ValueError:
            pass
    return DEFAULT_MEMORY_MB


def apply_memory_limit(mb: int) -> bool:
    """Cap this process's data segment at ``mb`` MB (never raising an existing lower cap)."""
    if mb <= 0:
        return False
    try:
        import resource
    except ImportError:  # not on POSIX
        return False
    kind = getattr(resource, "RLIMIT_DATA", None)
    if kind is None:
        return False
    want = mb * 2**20
    soft, hard = resource.getrlimit(kind)
    if soft != resource.RLIM_INFINITY and soft <= want:
        return True
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    try:
        resource.setrlimit(kind, (want, hard))
    except (OSError, ValueError):
        return False
    return True


def lift_memory_limit() -> None:
    """Back to the hard limit: for translation, whose math libraries (MKL, oneDNN)
    reserve large writable arenas up front that the data limit counts in full."""
    try:
        import resource
    except ImportError:
        return
    kind = getattr(resource, "RLIMIT_DATA", None)
    if kind is None:
        return
    _, hard = resource.getrlimit(kind)
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(kind, (hard, hard))


def out_of_memory_problem(mb: int) -> str:
    return (
        f"needs more than {mb} MB of memory (the per-input limit); "
        f"raise it with convert --max-memory or {ENV}"
    )
