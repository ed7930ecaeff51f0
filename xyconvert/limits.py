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
