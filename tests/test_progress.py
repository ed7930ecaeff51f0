"""Per-page progress of one long PDF: a bar on a terminal, nothing when piped.

The command runs for real, under a pseudo-terminal (``pty``) like a user's shell, and
with pipes like a script; the bar is read from what the terminal received.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from xyconvert.readers.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "samples" / "seed_clean.pdf"  # 24 pages
PAGES = 24
XYCONVERT = [sys.executable, "-m", "xyconvert.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "XYCONVERT_PDF_ENGINE": "pdfium"}


def run_on_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run xyconvert with stdin, stdout and stderr on a pseudo-terminal; all it drew."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*XYCONVERT, *args], stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=ENV)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 1 << 16)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait(timeout=300)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


def counts_shown(screen: str) -> set[int]:
    """The page counts the bar showed (n/24), but for the 0/24 it starts with."""
    return {int(m[1]) for m in re.finditer(rf"\b(\d+)/{PAGES}\b", screen)} - {0}


def test_one_pdf_on_a_terminal_shows_a_bar_over_its_pages(tmp_path: Path) -> None:
    code, screen = run_on_terminal(["convert", str(PDF), "-o", str(tmp_path / "out")], tmp_path)
    assert code == 0, screen
    assert "reading seed_clean.pdf" in screen
    assert counts_shown(screen) == set(range(1, PAGES + 1)), screen  # every page, up to 24/24
    assert "\r" in screen  # redrawn in place
    assert (tmp_path / "out" / "seed_clean.zh.md").is_file()
    assert "wrote " in screen.split(f"{PAGES}/{PAGES}")[-1]  # the bar's line ends before the summary


def test_one_pdf_to_a_named_file_on_a_terminal_shows_the_bar(tmp_path: Path) -> None:
    code, screen = run_on_terminal(["convert", str(PDF), "-o", str(tmp_path / "r.md")], tmp_path)
    assert code == 0, screen
    assert counts_shown(screen) == set(range(1, PAGES + 1)), screen
    assert (tmp_path / "r.md").is_file()


def test_quiet_on_a_terminal_draws_no_bar(tmp_path: Path) -> None:
    code, screen = run_on_terminal(["convert", str(PDF), "-o", str(tmp_path / "out"), "-q"], tmp_path)
    assert code == 0, screen
    assert "reading" not in screen and not counts_shown(screen)


def test_piped_output_has_no_bar(tmp_path: Path) -> None:
    for out in ("out", "r.md"):
        proc = subprocess.run([*XYCONVERT, "convert", str(PDF), "-o", str(tmp_path / out)],
                              capture_output=True, text=True, cwd=tmp_path, env=ENV, timeout=300)
        assert proc.returncode == 0, proc.stderr
        both = proc.stdout + proc.stderr
        assert "reading" not in both and "\r" not in both and not counts_shown(both), both


def test_page_parallel_reading_counts_every_page() -> None:
    serial: list[tuple[int, int]] = []
    parallel: list[tuple[int, int]] = []
    one = read_pdf(PDF, engine="pdfium", on_page=lambda d, t: serial.append((d, t)))
    two = read_pdf(PDF, engine="pdfium", jobs=2, on_page=lambda d, t: parallel.append((d, t)))
    assert serial == parallel == [(k, PAGES) for k in range(1, PAGES + 1)]
    assert [[ln.text for ln in p.lines] for p in one] == [[ln.text for ln in p.lines] for p in two]
