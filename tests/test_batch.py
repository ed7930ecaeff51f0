"""Batch conversion: parallel workers, manifest (skip, resume), safety, timeouts."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from xyconvert.cli import main

ROOT = Path(__file__).resolve().parent.parent
XYCONVERT = [sys.executable, "-m", "xyconvert.cli"]


def run(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["convert", *args, "--json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


@pytest.fixture()
def batch_dir(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "samples" / "seed_report.txt", src / "report.txt")
    shutil.copy(ROOT / "samples" / "seed_clean.pdf", src / "clean.pdf")
    shutil.copy(ROOT / "samples" / "seed_twocolumn.pdf", src / "twocol.pdf")
    return src


def test_batch_with_corrupt_files(tmp_path: Path, batch_dir: Path) -> None:
    (batch_dir / "empty.txt").write_bytes(b"")
    (batch_dir / "broken.pdf").write_bytes((ROOT / "samples" / "seed_clean.pdf").read_bytes()[:3000])
    out = tmp_path / "out"
    code, summary = run(str(batch_dir), "-o", str(out), "--jobs", "2", "--to", "md,json")
    assert code == 8
    assert summary["summary"] == {"converted": 3, "skipped": 0, "failed": 2}
    failed = {Path(r["input"]).name: r for r in summary["results"] if r["status"] == "failed"}
    assert failed["empty.txt"]["exit_code"] == 4 and "empty" in failed["empty.txt"]["error"]
    assert failed["broken.pdf"]["exit_code"] == 4
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [".xyconvert-manifest.json"]
        + [f"{s}.{ext}" for s in ("report", "clean", "twocol") for ext in ("zh.md", "json")]
    )


def test_second_run_skips_and_deleted_output_is_recreated(tmp_path: Path, batch_dir: Path) -> None:
    out = tmp_path / "out"
    code, first = run(str(batch_dir), "-o", str(out), "--jobs", "2", "--to", "md,txt")
    assert code == 0 and first["summary"]["converted"] == 3
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    code, second = run(str(batch_dir), "-o", str(out), "--jobs", "2", "--to", "md,txt")
    assert code == 0 and second["summary"] == {"converted": 0, "skipped": 3, "failed": 0}
    (out / "clean.zh.txt").unlink()
    code, third = run(str(batch_dir), "-o", str(out), "--jobs", "2", "--to", "md,txt")
    assert code == 0 and third["summary"] == {"converted": 1, "skipped": 2, "failed": 0}
    converted = [r for r in third["results"] if r["status"] == "converted"]
    assert [Path(p).name for p in converted[0]["outputs"]] == ["clean.zh.txt"]
    for p in out.iterdir():
        if p.name not in ("clean.zh.txt", ".xyconvert-manifest.json"):
            assert p.stat().st_mtime_ns == mtimes[p.name], p.name
    # Other options make other outputs: not up to date any more.
    code, fourth = run(str(batch_dir), "-o", str(out), "--jobs", "2", "--to", "md,txt", "--traditional")
    assert code == 0 and fourth["summary"]["converted"] == 3


def test_changed_input_is_reconverted(tmp_path: Path, batch_dir: Path) -> None:
    out = tmp_path / "out"
    assert run(str(batch_dir / "report.txt"), "-o", str(out))[0] == 0
    text = (batch_dir / "report.txt").read_text(encoding="utf-8")
    (batch_dir / "report.txt").write_text(text.replace("政府工作报告", "政府工作报告（草案）", 1), encoding="utf-8")
    code, summary = run(str(batch_dir / "report.txt"), "-o", str(out))
    assert code == 0 and summary["summary"]["converted"] == 1
    assert "（草案）" in (out / "report.zh.md").read_text()


def test_outputs_of_other_inputs_are_not_replaced(tmp_path: Path, batch_dir: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.zh.md").write_text("my own notes")
    code, summary = run(str(batch_dir / "report.txt"), "-o", str(out))
    assert code == 9 and "--force" in summary["results"][0]["error"]
    assert (out / "report.zh.md").read_text() == "my own notes"
    # Same stem from another directory: refused too.
    other = tmp_path / "other"
    other.mkdir()
    assert run(str(batch_dir / "report.txt"), "-o", str(out), "--force")[0] == 0
    shutil.copy(ROOT / "samples" / "seed_gold.md", other / "report.txt")
    code, summary = run(str(other / "report.txt"), "-o", str(out))
    assert code == 9 and "from " in summary["results"][0]["error"]
    assert run(str(other / "report.txt"), "-o", str(out), "--force")[0] == 0


def test_duplicate_stems_and_odd_names(tmp_path: Path, batch_dir: Path) -> None:
    dup = tmp_path / "dup"
    dup.mkdir()
    shutil.copy(ROOT / "samples" / "seed_report.txt", dup / "report.txt")
    weird = tmp_path / "weird"
    weird.mkdir()
    (weird / "..txt").write_text("政府工作报告\n")
    out = tmp_path / "out"
    code, summary = run(str(batch_dir / "report.txt"), str(dup / "report.txt"), str(weird / "..txt"),
                        "-o", str(out))
    assert code == 8
    statuses = [r["status"] for r in summary["results"]]
    # ``..txt`` is an ordinary file name: its output ``..zh.md`` stays inside OUT.
    assert sorted(statuses) == ["converted", "converted", "failed"]
    assert sorted(p.name for p in out.iterdir()) == sorted([".xyconvert-manifest.json", "..zh.md", "report.zh.md"])
    assert not (tmp_path / ".zh.md").exists()


def _big_input(tmp_path: Path, copies: int) -> Path:
    text = (ROOT / "samples" / "seed_report.txt").read_text(encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("\n".join([text] * copies), encoding="utf-8")
    return big


def _cpu_seconds() -> float:
    """CPU of this process and its reaped children: unlike wall time, it does not grow when
    the machine is loaded."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def test_timeout_per_file(tmp_path: Path) -> None:
    big = _big_input(tmp_path, 60)  # a full conversion costs about 9 CPU seconds
    out = tmp_path / "out"
    before = _cpu_seconds()
    code, summary = run(str(big), "-o", str(out), "--timeout", "0.3")
    # The worker is stopped at the deadline, not left to finish (a late result is also
    # exit 10, so the exit code alone would not tell).
    assert _cpu_seconds() - before < 3
    assert code == 10 and "timed out" in summary["results"][0]["error"]
    assert not out.exists() or not [p for p in out.iterdir() if p.name != ".xyconvert-manifest.json"]


def test_timeout_is_a_deadline_even_for_a_quick_input(tmp_path: Path) -> None:
    """A result that arrives after the deadline is a timeout, however soon the pool sees it
    (a small input used to finish inside the first polling interval and count as done)."""
    out = tmp_path / "out"
    code, summary = run(str(ROOT / "samples" / "seed_report.txt"), "-o", str(out), "--timeout", "1e-9")
    assert code == 10 and "timed out" in summary["results"][0]["error"]
    assert not out.exists() or not [p for p in out.iterdir() if p.name != ".xyconvert-manifest.json"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_leaves_no_partial_files(tmp_path: Path, jobs: str) -> None:
    inputs = [_big_input(tmp_path, 15)]
    for k in range(3):
        copy = tmp_path / f"copy{k}.txt"
        shutil.copy(inputs[0], copy)
        inputs.append(copy)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [*XYCONVERT, "convert", *map(str, inputs), "-o", str(out), "--jobs", jobs, "--to", "md,docx"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    # Interrupt once the first input is written (the others take seconds more).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.exists() and any(out.glob("*.zh.md"))):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=600)  # generous: CI machines can be loaded
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    leftovers = [p for p in out.iterdir() if p.name.endswith(".part")] if out.exists() else []
    assert leftovers == []
    # Whatever was written is complete, and the next run only does the rest.
    proc = subprocess.run(
        [*XYCONVERT, "convert", *map(str, inputs), "-o", str(out), "--jobs", "2", "--to", "md,docx", "--json"],
        capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=900,
    )
    summary = json.loads(proc.stdout)["summary"]
    assert proc.returncode == 0 and summary["failed"] == 0
    assert summary["converted"] + summary["skipped"] == 4 and summary["converted"] >= 1
