"""Pages of one large PDF read by several worker processes, each over a run of pages.

The page loop is per page (the only state carried across pages is the previous page's
two-column gutter, a hint), so runs of pages can be read apart and concatenated; the
document pass (body size, furniture, hints) then runs on all pages in the parent.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from xyconvert import errors
from xyconvert.readers.pdf.pages import OnPage, page_count, read_raw_pages
from xyconvert.readers.pdf.records import Page

MIN_PAGES_PER_WORKER = 8  # below this, starting a process costs more than it saves


def read_raw_pages_parallel(
    path: Path,
    password: str | None,
    pages: range | Sequence[int] | None,
    notes: list[str],
    engine: str,
    jobs: int,
    on_page: OnPage | None = None,
) -> list[Page]:
    """``read_raw_pages`` over ``jobs`` processes; the same pages and notes, in page order.
    ``on_page(done, total)`` counts pages as the workers finish them (in any order)."""
    indices = list(range(page_count(path, password, engine))) if pages is None else list(pages)
    jobs = min(jobs, len(indices) // MIN_PAGES_PER_WORKER)
    # A daemonic caller may not start processes (the batch workers of convert are not daemonic).
    if jobs <= 1 or mp.current_process().daemon:
        return read_raw_pages(path, password, pages, notes, engine, on_page=on_page)
    # Contiguous runs, two per worker so an uneven page mix still balances.
    n = min(len(indices), 2 * jobs)
    runs = [indices[len(indices) * k // n : len(indices) * (k + 1) // n] for k in range(n)]
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    # A run after the first also reads the page before it, for the gutter hint it passes on,
    # and drops it: the pages come out as the single-process loop gives them.
    args = [(path, password, ([runs[k - 1][-1]] if k else []) + run, engine, k == 0) for k, run in enumerate(runs)]
    # Workers report each page read on a queue; the parent counts them for ``on_page``.
    pages_read = ctx.Queue() if on_page is not None else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_set_queue,
                             initargs=(pages_read, os.getpid())) as pool:
        futures = [pool.submit(_read_run, a) for a in args]
        running = set(futures)
        done_pages = 0
        while running:
            _, running = wait(running, timeout=0.2 if on_page else None, return_when=FIRST_COMPLETED)
            done_pages = _count(pages_read, done_pages, len(indices), on_page)
        results = [f.result() for f in futures]
    _count(pages_read, done_pages, len(indices), on_page)  # the workers have flushed and exited
    out: list[Page] = []
    for k, (raw, run_notes, error) in enumerate(results):
        if error is not None:
            kind, err_path, problem = error
            raise getattr(errors, kind)(err_path, problem)
        lead = runs[k - 1][-1] + 1 if k else None
        out.extend(raw[1:] if k else raw)
        notes.extend(n for n in run_notes if lead is None or not n.startswith(f"page {lead} "))
    if not any(p.has_text for p in out) and any(p.error for p in out):
        # what the single-process loop says when nothing could be read
        return read_raw_pages(path, password, pages, notes, engine)
    return out


def _count(pages_read: Any, done: int, total: int, on_page: OnPage | None) -> int:
    """Pages the workers reported since the last call, passed on to ``on_page``."""
    if pages_read is None or on_page is None:
        return done
    while True:
        try:
            pages_read.get_nowait()
        except queue.Empty:
            return done
        done += 1
        on_page(done, total)


_pages_read: Any = None  # in a worker: the parent's queue of pages read, or None


def _set_queue(pages_read: Any, parent_pid: int) -> None:
    global _pages_read
    _pages_read = pages_read
    # Die with the reader (a batch worker killed for --timeout takes its page workers along).
    from xyconvert import interrupts

    interrupts.in_worker(parent_pid)


def _read_run(args: tuple[Path, str | None, list[int], str, bool]) -> tuple[list[Page], list[str], Any]:
    """One worker's run of pages; errors come back as data (our exceptions do not pickle)."""
    path, password, run, engine, first = args
    notes: list[str] = []

    def on_page(k: int, _: int) -> None:
        if _pages_read is not None and (first or k > 1):  # not the lead page read for its gutter
            _pages_read.put(1)

    try:
        return read_raw_pages(path, password, run, notes, engine, first_page_fatal=first,
                              on_page=on_page), notes, None
    except errors.XyError as e:
        return [], notes, (type(e).__name__, e.path, e.problem)
