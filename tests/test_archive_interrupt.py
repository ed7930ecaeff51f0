"""An add killed in the middle of a document leaves the archive as it was before that document.

The kill is deterministic: the test hook XYCONVERT_ARCHIVE_KILL_AT_DOCUMENT=N makes
the adding process SIGKILL itself once it has written the blocks of its Nth
document, inside that document's open transaction.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "seed_report.txt"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xyconvert.cli", *args], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_killed_add_leaves_a_consistent_archive(tmp_path: Path) -> None:
    inputs = []
    for k in range(3):  # three distinct sources
        p = tmp_path / f"r{k}.txt"
        p.write_text(SAMPLE.read_text(encoding="utf-8") + f"\n附{k}。\n", encoding="utf-8")
        inputs.append(str(p))
    db = tmp_path / "k.sqlite"
    killed = run("archive", "add", *inputs, "--db", str(db), env={"XYCONVERT_ARCHIVE_KILL_AT_DOCUMENT": "2"})
    assert killed.returncode == -signal.SIGKILL
    # What is on disk now (with the WAL and no clean close) is what a user finds.
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    for f in tmp_path.glob("k.sqlite*"):
        shutil.copy(f, snapshot / f.name)
    check = run("archive", "check", "--db", str(db))
    assert check.returncode == 0, check.stderr
    assert "ok: 1 documents" in check.stdout
    listed = json.loads(run("archive", "list", "--db", str(db), "--json").stdout)
    assert [d["source_name"] for d in listed] == ["r0.txt"]
    conn = sqlite3.connect(str(db))
    assert conn.execute("SELECT count(DISTINCT doc_id) FROM blocks").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM blocks_fts").fetchone()[0] == listed[0]["block_count"]
    conn.close()
    # Running the add again completes it: the first is unchanged, the others added.
    again = run("archive", "add", *inputs, "--db", str(db), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["summary"] == {"added": 2, "replaced": 0, "unchanged": 1, "failed": 0}
    assert run("archive", "check", "--db", str(db)).returncode == 0
    # The copy taken right after the kill is consistent too, opened by plain sqlite3.
    conn = sqlite3.connect(str(snapshot / "k.sqlite"))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    conn.close()


def _json_inputs(tmp_path: Path, n: int) -> list[str]:
    """``n`` distinct reports as ``convert --to json`` writes them."""
    texts = []
    for k in range(n):
        p = tmp_path / f"j{k}.txt"
        p.write_text(SAMPLE.read_text(encoding="utf-8") + f"\n附{k}。\n", encoding="utf-8")
        texts.append(str(p))
    out = tmp_path / "json"
    done = run("convert", *texts, "-o", str(out), "--to", "json", "-q")
    assert done.returncode == 0, done.stderr
    return [str(out / f"j{k}.json") for k in range(n)]


def _documents(db: Path) -> list[str]:
    conn = sqlite3.connect(str(db))
    names = [r[0] for r in conn.execute("SELECT source_name FROM documents ORDER BY id")]
    indexed = conn.execute("SELECT count(*) FROM blocks_fts").fetchone()[0]
    blocks = conn.execute("SELECT count(*) FROM blocks").fetchone()[0]
    assert indexed == blocks == (conn.execute("SELECT coalesce(sum(block_count), 0) FROM documents").fetchone()[0])
    conn.close()
    return names


def test_term_during_a_group_of_json_imports_keeps_the_documents_before(tmp_path: Path) -> None:
    # JSON imports share a transaction; TERM half-way through the third leaves the first two.
    inputs = _json_inputs(tmp_path, 4)
    db = tmp_path / "t.sqlite"
    env = {"XYCONVERT_ARCHIVE_KILL_AT_DOCUMENT": "3", "XYCONVERT_ARCHIVE_KILL_SIGNAL": "TERM"}
    stopped = run("archive", "add", *inputs, "--db", str(db), env=env)
    assert stopped.returncode == 128 + signal.SIGTERM, stopped.stderr
    assert "interrupted" in stopped.stderr
    assert run("archive", "check", "--db", str(db)).returncode == 0
    assert _documents(db) == ["j0.txt", "j1.txt"]
    again = run("archive", "add", *inputs, "--db", str(db), "--json")
    assert json.loads(again.stdout)["summary"] == {"added": 2, "replaced": 0, "unchanged": 2, "failed": 0}
    assert _documents(db) == ["j0.txt", "j1.txt", "j2.txt", "j3.txt"]


def test_killed_group_of_json_imports_leaves_no_part_of_a_document(tmp_path: Path) -> None:
    # SIGKILL cannot be handled: the open group is lost, whole, and the next add redoes it.
    inputs = _json_inputs(tmp_path, 3)
    db = tmp_path / "k.sqlite"
    killed = run("archive", "add", *inputs, "--db", str(db), env={"XYCONVERT_ARCHIVE_KILL_AT_DOCUMENT": "3"})
    assert killed.returncode == -signal.SIGKILL
    conn = sqlite3.connect(str(db))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert run("archive", "check", "--db", str(db)).returncode == 0
    assert _documents(db) == []
    again = run("archive", "add", *inputs, "--db", str(db), "--json")
    assert json.loads(again.stdout)["summary"] == {"added": 3, "replaced": 0, "unchanged": 0, "failed": 0}
    assert _documents(db) == ["j0.txt", "j1.txt", "j2.txt"]


def _processes_naming(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue  # gone meanwhile
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_parallel_add_leaves_no_worker_behind(tmp_path: Path) -> None:
    # The workers must die with the adding process: they used to wait for work for ever
    # (and, holding its output pipes, kept whoever ran it waiting too).
    inputs = _json_inputs(tmp_path, 12)
    db = tmp_path / "workers.sqlite"
    with open(tmp_path / "out.txt", "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "xyconvert.cli", "archive", "add", *inputs, "--db", str(db), "--jobs", "2"],
            stdout=out, stderr=out, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "XYCONVERT_ARCHIVE_KILL_AT_DOCUMENT": "6"},
        )
        assert proc.wait(timeout=600) == -signal.SIGKILL, (tmp_path / "out.txt").read_text()
    left = _processes_naming(str(db))
    for _ in range(300):  # PDEATHSIG is immediate; up to 30 s for a loaded machine to reap them
        if not left:
            break
        time.sleep(0.1)
        left = _processes_naming(str(db))
    for pid in left:  # leave none behind, whatever the outcome
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert left == []
    assert run("archive", "check", "--db", str(db)).returncode == 0


def test_a_worker_that_crashes_fails_its_input_only(tmp_path: Path) -> None:
    # A reader crashing its worker (here: SIGSEGV by the test hook) breaks the pool; the
    # inputs that were out are prepared again one per worker, and the add goes on.
    inputs = _json_inputs(tmp_path, 8)
    db = tmp_path / "crash.sqlite"
    done = run("archive", "add", *inputs, "--db", str(db), "--jobs", "2", "--json",
               env={"XYCONVERT_ARCHIVE_CRASH_INPUT": "j3.json"})
    assert done.returncode == 8, done.stderr  # some inputs failed
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert report["summary"] == {"added": 7, "replaced": 0, "unchanged": 0, "failed": 1}
    failed = [r for r in report["results"] if r["status"] == "failed"]
    assert [Path(r["input"]).name for r in failed] == ["j3.json"]
    assert "worker reading it died" in failed[0]["problem"]
    assert [Path(r["input"]).name for r in report["results"]] == [Path(p).name for p in inputs]  # in order
    assert run("archive", "check", "--db", str(db)).returncode == 0
    assert _documents(db) == [f"j{k}.txt" for k in range(8) if k != 3]


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)  # the add and the workers it reaped
    return r.ru_utime + r.ru_stime


def test_interrupted_parallel_add_does_not_finish_the_conversions_in_progress(tmp_path: Path) -> None:
    # TERM once the first (small) document is written: the workers have just begun
    # converting two big ones, which nobody wants any more; they are ended, not waited
    # for. Measured in CPU time, which a loaded machine does not stretch: waiting costs
    # two big conversions (about twice one big add), ending them less than one.
    text = SAMPLE.read_text(encoding="utf-8") * 12
    inputs = [str(tmp_path / "small.txt")]
    Path(inputs[0]).write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    for k in range(4):
        p = tmp_path / f"big{k}.txt"
        p.write_text(text + f"\n附{k}。\n", encoding="utf-8")
        inputs.append(str(p))
    before = _children_cpu()
    one = run("archive", "add", inputs[1], "--db", str(tmp_path / "one.sqlite"), "--jobs", "1")
    single = _children_cpu() - before
    assert one.returncode == 0, one.stderr
    db = tmp_path / "stopped.sqlite"
    before = _children_cpu()
    env = {"XYCONVERT_ARCHIVE_KILL_AT_DOCUMENT": "1", "XYCONVERT_ARCHIVE_KILL_SIGNAL": "TERM"}
    stopped = run("archive", "add", *inputs, "--db", str(db), "--jobs", "2", env=env)
    spent = _children_cpu() - before
    assert stopped.returncode == 128 + signal.SIGTERM, stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert run("archive", "check", "--db", str(db)).returncode == 0
    assert _documents(db) == []  # the first document was the one interrupted
    assert spent < 1.6 * single, (spent, single)
