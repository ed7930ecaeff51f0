"""Signals: Ctrl-C (INT), TERM and HUP all end a run the same way.

Each becomes an ``Interrupted`` exception in the main process (a
``KeyboardInterrupt``, so every ``except KeyboardInterrupt`` handles all three),
held back while one input's outputs are renamed into place (``deferred``), and
the process exits with 128 + the signal number (130, 143, 129). Worker
processes ignore INT (the parent decides), die on TERM/HUP, and are killed by
the kernel when their parent dies, even by SIGKILL (``in_worker``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_PR_SET_PDEATHSIG = 1


class Interrupted(KeyboardInterrupt):
    """A signal that ends the run; ``exit_code`` is 128 + its number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def exit_code(exc: BaseException | None) -> int:
    """The exit code for an interruption (a plain KeyboardInterrupt is Ctrl-C: 130)."""
    while exc is not None and not isinstance(exc, Interrupted):
        exc = exc.__cause__ or exc.__context__
    return exc.exit_code if isinstance(exc, Interrupted) else 128 + signal.SIGINT


_swallowed: list[Interrupted] = []


_held: list[int] = []  # signals that arrived inside ``deferred``
_holding = 0  # how many ``deferred`` blocks are open


def _raise(signum: int, frame: Any) -> None:
    if _holding:
        # The signal mask is per thread: with other threads (a process pool's), the kernel
        # hands the signal to one of them, and Python still runs this in the main thread.
        _held.append(signum)
        return
    raise Interrupted(signum)


def _unraisable(hook: Any) -> Any:
    """An ``Interrupted`` raised inside a callback Python cannot propagate from (an import
    lock's weakref callback, an at-fork hook) is kept for ``check``, not printed."""

    def quiet(info: Any) -> None:
        if isinstance(info.exc_value, Interrupted):
            _swallowed.append(info.exc_value)
            return
        hook(info)

    return quiet


def check() -> None:
    """Raise an interruption that arrived where it could not be raised (call between steps)."""
    if _swallowed:
        raise _swallowed.pop()


def install() -> dict[int, Any]:
    """Turn INT/TERM/HUP into ``Interrupted``; returns the previous handlers (for ``restore``)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    if not getattr(sys.unraisablehook, "_xyconvert", False):
        quiet = _unraisable(sys.unraisablehook)
        quiet._xyconvert = True  # type: ignore[attr-defined]
        sys.unraisablehook = quiet
    previous = {}
    for sig in SIGNALS:
        if sig != signal.SIGINT and signal.getsignal(sig) == signal.SIG_IGN:
            continue  # nohup: the user asked for HUP to be ignored
        previous[sig] = signal.signal(sig, _raise)
    return previous


def restore(previous: dict[int, Any]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold INT/TERM/HUP while a set of files is put in place; they arrive afterwards."""
    global _holding
    old = signal.pthread_sigmask(signal.SIG_BLOCK, set(SIGNALS)) if hasattr(signal, "pthread_sigmask") else None
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)  # one blocked until now arrives here
        if not _holding and _held:
            signum = _held[0]
            _held.clear()
            raise Interrupted(signum)


def in_worker(parent_pid: int) -> None:
    """Set up a forked worker: die with the parent, leave INT to it, die on TERM/HUP."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in SIGNALS:
        if sig != signal.SIGINT:
            signal.signal(sig, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_SETMASK, set())  # forked inside ``deferred``?
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(128 + int(signal.SIGKILL))
