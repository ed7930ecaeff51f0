"""Progress display while translating: a click progress bar on a TTY, nothing when piped."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import IO


@contextlib.contextmanager
def terminal_progress(
    label: str = "Translating", file: IO[str] | None = None, force: bool = False
) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a ``progress(done, total)`` callback drawing on stderr, or None if not a TTY.

    Shows sentences done / total, the rate in sentences per second and an ETA.
    """
    import click

    stream = file or sys.stderr
    if not force and not (hasattr(stream, "isatty") and stream.isatty()):
        yield None
        return
    state: dict[str, object] = {"bar": None, "shown": 0, "t0": time.perf_counter(), "start": 0}

    def callback(done: int, total: int) -> None:
        bar = state["bar"]
        if bar is None:
            bar = click.progressbar(
                length=max(total, 1),
                label=label,
                file=stream,
                show_pos=True,
                show_eta=True,
                item_show_func=lambda rate: rate,
            )
            bar.__enter__()
            state["bar"], state["start"] = bar, done  # cache hits are not "speed"
            state["t0"] = time.perf_counter()
        elapsed = time.perf_counter() - state["t0"]
        rate = (done - state["start"]) / elapsed if elapsed > 0 else 0.0
        bar.update(done - state["shown"], f"{rate:.1f} sent/s")
        state["shown"] = done

    try:
        yield callback
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
