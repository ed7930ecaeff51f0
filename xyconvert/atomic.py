"""Atomic output: write to a temporary file beside the target, then rename.

A reader of the output directory never sees a half-written file, and an
interrupted run leaves either the old file or the new one, never a mix.
``write_all`` does the same for a set of files: every temporary file is
written first, and only when all of them are complete are they renamed into
place (with INT/TERM/HUP held back), so a full disk leaves none of the set.

Temporary names do not grow with the target's name (``.xyconvert-PID-XXXXXXXX.part``),
so any name that fits the file system can be written; the writer's PID in the
name lets a later run remove what a killed run left behind (``remove_stale``).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from xyconvert import interrupts

_PART = re.compile(r"^\.xyconvert-(\d+)-[0-9a-f]{8}\.part$")


def _temp_path(directory: Path) -> tuple[int, Path]:
    while True:
        tmp = directory / f".xyconvert-{os.getpid()}-{secrets.token_hex(4)}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # 0666 less umask
            return fd, tmp
        except FileExistsError:
            continue


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file next to ``path``; on success rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temp_path(path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else "\n"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with LF line endings, atomically."""
    with atomic_open(path, "w") as fh:
        fh.write(text)


class WriteError(OSError):
    """Writing ``target`` failed (``__cause__`` says why); nothing of the set was renamed."""

    def __init__(self, target: Path, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), str(target))
        self.target = target


def write_all(files: list[tuple[Path, bytes]]) -> None:
    """Write every (target, data) or none: all temporary files first, then the renames.

    The renames run in order with INT/TERM/HUP deferred; put the file that must
    exist first (a manifest) first. Raises ``WriteError`` naming the target.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            try:
                fd, tmp = _temp_path(target.parent)
            except OSError as exc:
                raise WriteError(target, exc) from exc
            staged.append((tmp, target))
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise WriteError(target, exc) from exc
        with interrupts.deferred():
            for tmp, target in staged:
                try:
                    os.replace(tmp, target)
                except OSError as exc:
                    raise WriteError(target, exc) from exc
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


def remove_stale(directory: Path) -> list[Path]:
    """Remove temporary files in ``directory`` left by writers that are no longer running."""
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        m = _PART.match(name)
        if not m or _alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(directory / name)
            removed.append(directory / name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True
