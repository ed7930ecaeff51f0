"""``interrupts.deferred`` holds INT/TERM/HUP back until its block ends, with other threads
running too (a process pool's threads: the signal mask is per thread, so the kernel hands
a process-directed signal to one of them, and Python runs the handler in the main thread)."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from xyconvert import interrupts


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signals")
def test_a_signal_inside_deferred_arrives_after_it_with_another_thread_running() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    previous = interrupts.install()
    inside_done = False
    try:
        with pytest.raises(interrupts.Interrupted) as raised, interrupts.deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(50):  # bytecode enough for a handler to run, were it not held
                time.sleep(0.01)
            inside_done = True
        assert raised.value.exit_code == 128 + signal.SIGTERM
        assert inside_done  # the block ran to its end first
    finally:
        interrupts.restore(previous)
        stop.set()
        other.join()


def test_nested_deferred_blocks_raise_once_at_the_outer_end() -> None:
    previous = interrupts.install()
    reached = []
    try:
        with pytest.raises(interrupts.Interrupted), interrupts.deferred():
            with interrupts.deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)
            reached.append("inner ended")
            time.sleep(0.05)
            reached.append("outer body ended")
        assert reached == ["inner ended", "outer body ended"]
    finally:
        interrupts.restore(previous)
