"""An add killed in the middle of a document leaves the archive as it was before that document.

The kill is deterministic: the test hook XYCONVERT_ARCHIVE_KILL_AT_DOCUMENT=N makes
the adding process SIGKILL itself once it has written the blocks of its Nth
document, inside that document's open transaction.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

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
