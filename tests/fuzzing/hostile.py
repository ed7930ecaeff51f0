"""Hostile cases beyond mutated files (issue 14): signals at random moments, full
disks, wrong-shaped manifests, odd names, bombs, hostile glossaries, CLI edge values.

Every case runs ``xyconvert`` in its own session and is judged by the same
rules (``judge``): no traceback, never exit 1, an allowed exit code, no
``.part`` file left, every output in OUT listed in the manifest with its digest
(and none for an input that failed), no process of the case left running,
within 120 s and 2 GB (the largest process of the case, from wait4).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fuzzing.cases import (
    ROOT,
    SAMPLES,
    flate_bomb_pdf,
    long_tj_pdf,
    many_pages_pdf,
    nested_pdf,
    ruled_table_pdf,
)

XY = [sys.executable, "-m", "xyconvert.cli"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
LIMIT_S = 120
LIMIT_MB = 2048
INTERRUPTED = {128 + signal.SIGINT, 128 + signal.SIGTERM, 128 + signal.SIGHUP}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float
    leftovers: list[int] = field(default_factory=list)  # pids of the case still running


@dataclass
class HostileCase:
    name: str
    kind: str
    play: Callable[[Path], list[str]]  # runs the case in a work dir, returns broken rules
    root_only: bool = False


# ------------------------------------------------------------------ running one command


def _session_pids(sid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[3]) == sid:  # state, ppid, pgrp, session
            pids.append(int(entry))
    return pids


def xy(args: list[str], *, stdin: bytes | None = None, on_start: Callable[[subprocess.Popen], None] | None = None,
       cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run xyconvert in a new session; ``on_start`` may signal it. Measures time and memory."""
    # Never the checkout: a case whose OUT defaults to "." would write into the repository.
    scratch = None
    if cwd is None:
        scratch = tempfile.TemporaryDirectory(prefix="xy-fuzz-cwd-")
        cwd = Path(scratch.name)
    start = time.monotonic()
    proc = subprocess.Popen(
        [*XY, *args], stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**ENV, **(env or {})}, cwd=cwd,
        start_new_session=True,
    )
    import threading

    out: dict[str, bytes] = {}

    def pump(name: str, stream) -> None:  # noqa: ANN001
        out[name] = stream.read()

    readers = [threading.Thread(target=pump, args=(n, s)) for n, s in (("o", proc.stdout), ("e", proc.stderr))]
    for t in readers:
        t.start()
    if stdin is not None:
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(stdin)
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    killer = threading.Timer(LIMIT_S + 30, lambda: _kill_session(proc.pid))
    killer.start()
    try:
        if on_start is not None:
            on_start(proc)
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    leftovers = _wait_gone(proc.pid)
    for t in readers:
        t.join(timeout=30)  # EOF needs every holder of the pipes gone
    if any(t.is_alive() for t in readers):
        leftovers = leftovers or [-1]
        _kill_session(proc.pid)
    if scratch is not None:
        scratch.cleanup()
    return Run(proc.returncode, out.get("o", b"").decode("utf-8", "replace"),
               out.get("e", b"").decode("utf-8", "replace"), seconds, usage.ru_maxrss / 1024, leftovers)


def _wait_gone(sid: int, limit: float = 10) -> list[int]:
    deadline = time.monotonic() + limit
    while True:
        pids = _session_pids(sid)
        if not pids or time.monotonic() > deadline:
            if pids:
                _kill_session(sid)
            return pids
        time.sleep(0.05)


def _kill_session(sid: int) -> None:
    for pid in _session_pids(sid):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def wait_until(cond: Callable[[], bool], limit: float = 60) -> bool:
    deadline = time.monotonic() + limit
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def has_children(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return any(Path(f"/proc/{pid}/task/{t}/children").read_text().strip()
                   for t in os.listdir(f"/proc/{pid}/task"))
    return False


def handles_term(pid: int) -> bool:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


# ------------------------------------------------------------------ judging


def judge(run: Run, allowed: set[int], out: Path | None, failed_stems: set[str] | None = None) -> list[str]:
    problems = []
    if run.code not in allowed:
        problems.append(f"exit code {run.code}, expected one of {sorted(allowed)}")
    if run.code == 1:
        problems.append("exit 1")
    if "Traceback" in run.stderr or "Aborted!" in run.stderr:
        problems.append(f"traceback on stderr: {run.stderr[-300:]!r}")
    if run.leftovers:
        problems.append(f"processes left running: {run.leftovers}")
    if run.seconds > LIMIT_S:
        problems.append(f"took {run.seconds:.0f} s")
    if run.max_rss_mb > LIMIT_MB:
        problems.append(f"used {run.max_rss_mb:.0f} MB")
    if out is not None:
        problems += check_out(out, failed_stems or set())
    return problems


def check_out(out: Path, failed_stems: set[str]) -> list[str]:
    """No partial files; every output listed in the manifest with its digest; none for failures."""
    if not out.is_dir():
        return []
    problems = []
    names = os.listdir(os.fsencode(out))
    parts = [n for n in names if n.endswith(b".part")]
    if parts:
        problems.append(f"partial files {parts}")
    manifest = out / ".xyconvert-manifest.json"
    listed: dict[str, str] = {}
    if manifest.is_file():
        with contextlib.suppress(ValueError):
            for entry in json.loads(manifest.read_text(encoding="utf-8")).get("entries", {}).values():
                if isinstance(entry, dict) and isinstance(entry.get("outputs"), dict):
                    listed.update(entry["outputs"])
                    listed.update(entry.get("earlier_outputs", {}))
    for raw in names:
        name = os.fsdecode(raw)
        if name.startswith(".xyconvert-") or (out / name).is_dir() or name == "filler":
            continue
        digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
        if listed.get(name) != digest:
            problems.append(f"stray output {name!r} (not in the manifest with its digest)")
        if any(name.startswith(stem + ".") for stem in failed_stems):
            problems.append(f"output {name!r} of an input that failed")
    return problems


# ------------------------------------------------------------------ the cases


def _seed_text() -> bytes:
    return (SAMPLES / "seed_report.txt").read_bytes()


def _inputs(work: Path, n: int, copies: int = 1) -> list[Path]:
    src = work / "in"
    src.mkdir(exist_ok=True)
    text = _seed_text()
    paths = []
    for i in range(n):
        p = src / f"r{i}.txt"
        p.write_bytes(b"\n".join([text] * copies))
        paths.append(p)
    return paths


def signal_case(rng: random.Random, k: int) -> HostileCase:
    sig = rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
    # "random": a random time after start-up (before Python installs handlers a
    # SIGINT is the interpreter's own KeyboardInterrupt, which no program can shape).
    moment = rng.choice(["startup", "worker", "random"])
    delay = rng.uniform(0, 4)
    n, copies, jobs = rng.randint(1, 4), rng.choice([1, 3, 10]), rng.choice([1, 2, 3])
    formats = rng.choice(["md", "md,txt", "all"])
    return fixed_signal_case(sig, moment, delay, n, copies, jobs, formats, k)


def fixed_signal_case(sig: signal.Signals, moment: str, delay: float, n: int, copies: int, jobs: int,
                      formats: str, k: int = 0) -> HostileCase:
    """``moment``: "startup" (handlers installed), "worker" (a worker exists), or "random"."""

    def play(work: Path) -> list[str]:
        inputs = _inputs(work, n, copies)
        out = work / "out"

        def hit(proc: subprocess.Popen) -> None:
            if moment == "worker":
                wait_until(lambda: has_children(proc.pid) or proc.poll() is not None)
            elif moment == "startup":
                wait_until(lambda: handles_term(proc.pid) or proc.poll() is not None)
            else:
                wait_until(lambda: handles_term(proc.pid) or proc.poll() is not None)
                time.sleep(delay)  # the campaign may be random; tests/ never are
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, sig)

        run = xy(["convert", *map(str, inputs), "-o", str(out), "--jobs", str(jobs), "--to", formats],
                 on_start=hit)
        allowed = {0} | INTERRUPTED | ({-signal.SIGKILL} if sig == signal.SIGKILL else set())
        problems = judge(run, allowed, out if sig != signal.SIGKILL else None)
        # A resume finishes the work and cleans what a SIGKILL left.
        again = xy(["convert", *map(str, inputs), "-o", str(out), "--jobs", str(jobs), "--to", formats])
        problems += [f"resume: {p}" for p in judge(again, {0}, out)]
        return problems

    return HostileCase(f"signal {sig.name} at {moment} #{k} (n={n}, x{copies}, jobs={jobs}, {formats})",
                       "signals", play)


def disk_case(rng: random.Random, k: int) -> HostileCase:
    leave = rng.choice([0, 2_000, 10_000, 30_000, 60_000, 150_000, 400_000])
    n = rng.randint(1, 3)
    formats = rng.choice(["md", "md,txt,json", "all"])
    pdf = rng.random() < 0.3

    def play(work: Path) -> list[str]:
        inputs = _inputs(work, n)
        if pdf:
            p = work / "in" / "clean.pdf"
            p.write_bytes((SAMPLES / "seed_clean.pdf").read_bytes())
            inputs.append(p)
        disk = work / "disk"
        disk.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                          capture_output=True).returncode != 0:
            return []  # cannot mount: counted as skipped by the caller via root_only
        try:
            out = disk / "out"
            out.mkdir()
            st = os.statvfs(disk)
            (disk / "filler").write_bytes(b"\0" * max(0, st.f_bavail * st.f_frsize - leave))
            run = xy(["convert", *map(str, inputs), "-o", str(out), "--to", formats])
            allowed = {0, 9} if len(inputs) == 1 else {0, 8}
            return judge(run, allowed, out)
        finally:
            subprocess.run(["umount", "-l", str(disk)], check=False)

    return HostileCase(f"full disk, {leave} bytes free #{k} ({n + pdf} inputs, {formats})", "full disks",
                       play, root_only=True)


MANIFEST_SHAPES = [
    "[]", "{}", "null", "3", '"x"', '{"entries": []}', '{"manifest_version": 2, "entries": {}}',
    '{"manifest_version": 1, "entries": []}', '{"manifest_version": 1, "entries": {"a": 1}}',
    '{"manifest_version": 1, "entries": {"a": {"outputs": null}}}',
    '{"manifest_version": 1, "entries": {"a": {"outputs": {"x": 1}}}}',
    '{"manifest_version": 1, "entries": {"a": {"outputs": [], "input_sha256": 5}}}',
    '{"manifest_version": 1, "entries": {"a": {"outputs": {}, "options": []}}}',
    "{" * 100000, "", "\x00\xff", '{"manifest_version": 1, "entries": {"a": {"earlier_outputs": 7}}}',
]


def manifest_case(rng: random.Random, k: int) -> HostileCase:
    shape = MANIFEST_SHAPES[k % len(MANIFEST_SHAPES)] if k < len(MANIFEST_SHAPES) else rng.choice(MANIFEST_SHAPES)
    as_dir = k == len(MANIFEST_SHAPES)
    force = rng.random() < 0.5

    def play(work: Path) -> list[str]:
        inputs = _inputs(work, rng.randint(1, 2))
        out = work / "out"
        out.mkdir()
        manifest = out / ".xyconvert-manifest.json"
        if as_dir:
            manifest.mkdir()
        else:
            manifest.write_text(shape, encoding="utf-8", errors="surrogateescape")
        run = xy(["convert", *map(str, inputs), "-o", str(out), *(["--force"] if force else [])])
        problems = judge(run, {9} if as_dir or not force else {0}, None)
        if run.code == 9 and [p for p in out.iterdir() if p.name != manifest.name]:
            problems.append("exit 9 but outputs written")
        if run.code == 9 and run.stderr.count("\n") != 1:
            problems.append(f"not one line: {run.stderr!r}")
        return problems

    label = "a directory" if as_dir else repr(shape[:40])
    return HostileCase(f"manifest {label}{' --force' if force else ''} #{k}", "wrong-shaped manifests", play)


ODD_PIECES = [
    "..", ".", "-", "--to", " ", "\t", "\\", "'", '"', "$(true)", "*", "?", "[a]", "\u202e", "\u200b",
    "报告", "é", "😀", "\x01", "\x1b[31m", "\n", "\r", "%s", "~", "#", ";", "|", "&", "CON", "nul",
    ".xyconvert-manifest", ".xyconvert-1-00000000", "a" * 120,
]


def name_case(rng: random.Random, k: int) -> HostileCase:
    pieces = [rng.choice(ODD_PIECES) for _ in range(rng.randint(1, 4))]
    raw = "".join(pieces).encode("utf-8")
    if rng.random() < 0.3:
        raw += bytes([rng.randrange(0x80, 0x100)])  # invalid UTF-8
    if rng.random() < 0.2:
        raw = raw * (250 // max(1, len(raw)))  # near the 255-byte limit
    suffix = rng.choice([b".txt", b".pdf", b".TXT", b".md", b""])
    raw = raw.replace(b"/", b"_")[: 255 - len(suffix)] + suffix
    if raw in (b".", b"..", b"-"):
        raw = b"x" + raw

    def play(work: Path) -> list[str]:
        src = os.path.join(os.fsencode(work), raw)
        data = (SAMPLES / "seed_clean.pdf").read_bytes() if raw.lower().endswith(b".pdf") else _seed_text()
        with open(src, "wb") as fh:
            fh.write(data)
        out = work / "out"
        run = xy(["convert", "-o", str(out), "--to", "all", "--", os.fsdecode(src)])
        return judge(run, {0, 9}, out)

    return HostileCase(f"odd name {raw[:60]!r} #{k}", "odd names", play)


def symlink_case(rng: random.Random, k: int) -> HostileCase:
    """Symlinked inputs and outputs: outputs are named after the link given, a link is never
    written through, a dangling or looping link is one line (exit 3 or 4)."""
    shape = rng.choice(["file", "relative", "chain", "dangling", "loop", "folder", "output-link",
                        "output-link-force", "output-to-input"])
    pdf = rng.random() < 0.3

    def play(work: Path) -> list[str]:
        real = work / "data" / ("real.pdf" if pdf else "real.txt")
        real.parent.mkdir()
        real.write_bytes((SAMPLES / "seed_clean.pdf").read_bytes() if pdf else _seed_text())
        links = work / "links"
        links.mkdir()
        link = links / ("given.pdf" if pdf else "given.txt")
        out = work / "out"
        allowed, failed = {0}, set()
        target: Path | str = real
        if shape == "relative":
            target = os.path.relpath(real, links)
        elif shape == "chain":
            (links / "middle").symlink_to(real)
            target = links / "middle"
        elif shape == "dangling":
            target, allowed, failed = work / "gone.txt", {3, 4}, {"given"}
        elif shape == "loop":
            (links / "loop").symlink_to(link)
            target, allowed, failed = links / "loop", {3, 4}, {"given"}
        link.symlink_to(target)
        victim = work / "victim.md"
        victim.write_bytes(b"keep me")
        extra: list[str] = []
        if shape.startswith("output"):
            out.mkdir()
            (out / "given.zh.md").symlink_to(real if shape == "output-to-input" else victim)
            allowed, failed = ({0} if shape == "output-link-force" else {9}), set()
            if shape != "output-link":
                extra = ["--force"]
            if shape == "output-to-input":
                allowed = {9}
        given = str(links if shape == "folder" else link)
        run = xy(["convert", given, "-o", str(out), "--to", "md,json", *extra])
        problems = judge(run, allowed, None)
        if shape.startswith("output"):
            (out / "given.zh.md").unlink(missing_ok=True)  # ours: the case's own link
        problems += check_out(out, failed) if out.is_dir() else []
        if victim.read_bytes() != b"keep me" or real.read_bytes() != (
                (SAMPLES / "seed_clean.pdf").read_bytes() if pdf else _seed_text()):
            problems.append("a file behind a symlink was written through")
        if run.code == 0 and shape in ("file", "relative", "chain", "folder") and not (out / "given.zh.md").is_file():
            problems.append(f"outputs not named after the link: {sorted(os.listdir(out)) if out.is_dir() else []}")
        if run.code and len([ln for ln in run.stderr.splitlines() if ln.startswith("xyconvert: ")
                             and "warning" not in ln]) < 1:
            problems.append(f"no one-line error: {run.stderr[:200]!r}")
        return problems

    return HostileCase(f"symlink {shape}{' pdf' if pdf else ''} #{k}", "symlinks", play)


def limit_cases() -> Iterator[HostileCase]:
    """Limits checked before layout: pages per PDF, glyphs per page, the order search, timeouts."""
    def pdf(name: str, make: Callable[[], bytes], args: list[str], allowed: set[int],
            env: dict[str, str] | None = None) -> HostileCase:
        def play(work: Path) -> list[str]:
            src = work / f"{name}.pdf"
            src.write_bytes(make())
            out = work / "out"
            run = xy(["convert", str(src), "-o", str(out), *args], env=env)
            problems = judge(run, allowed, out, {name} if run.code else set())
            rep = xy(["repair", str(src), *args[-2:]], env=env)
            return problems + [f"repair: {p}" for p in judge(rep, allowed, None)]

        return HostileCase(f"limit: {name} {' '.join(args)}", "limits", play)

    for engine in ("pdfplumber", "pdfium"):
        flag = ["--pdf-engine", engine]
        yield pdf("pages-10001", lambda: many_pages_pdf(10_001), flag, {4})
        yield pdf("pages-claimed-1e9", lambda: many_pages_pdf(3, claimed=10**9), flag, {0, 4})
        yield pdf("pages-200-cap-100", lambda: many_pages_pdf(200), flag, {4}, {"XYCONVERT_MAX_PAGES": "100"})
        yield pdf("tj-5M", lambda: long_tj_pdf(5_000_000), flag, {0, 4})
        yield pdf("tj-300k-cap-1000", lambda: long_tj_pdf(300_000), flag, {4}, {"XYCONVERT_MAX_PAGE_GLYPHS": "1000"})

    def text(name: str, make: Callable[[], bytes], args: list[str], allowed: set[int]) -> HostileCase:
        def play(work: Path) -> list[str]:
            src = work / f"{name}.txt"
            src.write_bytes(make())
            return judge(xy(["repair", str(src), *args]), allowed, None)

        return HostileCase(f"limit: repair {name} {' '.join(args)}", "limits", play)

    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    rng = random.Random(14)
    random_lines = "\n".join(rng.choice(chars) for _ in range(200_000)).encode()
    short_lines = "\n".join("".join(rng.choice(chars) for _ in range(rng.randint(1, 4)))
                            for _ in range(100_000)).encode()
    yield text("random-one-char-200k", lambda: random_lines, [], {0})
    yield text("random-short-lines-100k", lambda: short_lines, [], {0})
    yield text("random-one-char-200k", lambda: random_lines, ["--timeout", "0.001"], {10})
    yield text("seed", _seed_text, ["--timeout", "nan"], {2})
    yield text("seed", _seed_text, ["--timeout", "1e308"], {0})
    for command in (["convert"], ["brief", "--no-mt"]):
        def play(work: Path, command: list[str] = command) -> list[str]:
            run = xy([command[0], str(SAMPLES / "seed_report.txt"), "-o", "", *command[1:]], cwd=work)
            problems = judge(run, {2}, None)
            if run.stderr.count("\n") != 1:
                problems.append(f"not one line: {run.stderr[:200]!r}")
            if os.listdir(work):
                problems.append(f"wrote into the current directory: {os.listdir(work)}")
            return problems

        yield HostileCase(f"{command[0]} -o ''", "CLI edge values", play)


def bomb_cases() -> Iterator[HostileCase]:
    def pdf_bomb(name: str, make: Callable[[], bytes], extra: list[str], allowed: set[int]) -> HostileCase:
        def play(work: Path) -> list[str]:
            src = work / f"{name}.pdf"
            src.write_bytes(make())
            out = work / "out"
            run = xy(["convert", str(src), "-o", str(out), *extra])
            return judge(run, allowed, out, {name} if run.code else set())

        return HostileCase(f"bomb: {name}", "bombs", play)

    yield pdf_bomb("flate-1GB", lambda: flate_bomb_pdf(1024), ["--timeout", "100"], {0, 4, 10})
    yield pdf_bomb("flate-4GB", lambda: flate_bomb_pdf(4096), ["--timeout", "100"], {0, 4, 10})
    yield pdf_bomb("tj-2M", long_tj_pdf, ["--timeout", "100"], {0, 4, 10})
    yield pdf_bomb("tj-2M-small-cap", long_tj_pdf, ["--timeout", "100", "--max-memory", "400"], {0, 4, 10})
    yield pdf_bomb("table-100x100", ruled_table_pdf, ["--timeout", "100"], {0, 4, 10})
    yield pdf_bomb("table-40x40", lambda: ruled_table_pdf(40), ["--timeout", "100"], {0, 4, 10})
    yield pdf_bomb("nested-20000", lambda: nested_pdf(20000), ["--timeout", "100"], {0, 4, 10})

    def text_bomb(name: str, make: Callable[[], bytes], allowed: set[int] = frozenset({0, 4, 10})) -> HostileCase:
        def play(work: Path) -> list[str]:
            src = work / f"{name}.txt"
            src.write_bytes(make())
            out = work / "out"
            run = xy(["convert", str(src), "-o", str(out), "--timeout", "100"])
            problems = judge(run, set(allowed), out, {name} if run.code else set())
            rep = xy(["repair", str(src)])
            return problems + [f"repair: {p}" for p in judge(rep, set(allowed) - {10} | {0, 4}, None)]

        return HostileCase(f"bomb: {name}", "bombs", play)

    text = _seed_text()
    lines = [ln for ln in text.decode().splitlines() if ln.strip()]
    yield text_bomb("page-numbers-20k", lambda: "\n".join(str(i) for i in range(1, 20001)).encode())
    yield text_bomb("page-numbers-interleaved", lambda: "\n".join(
        f"{lines[i % len(lines)]}\n— {i + 1} —" for i in range(20000)).encode())
    yield text_bomb("one-form-feed", lambda: (text * 20)[: len(text) * 10] + b"\f" + (text * 20)[len(text) * 10:])
    yield text_bomb("many-form-feeds", lambda: b"\f".join([text[:200]] * 20000))
    yield text_bomb("controls", lambda: bytes(range(32)) * 20000 + text)
    yield text_bomb("one-char-lines", lambda: "\n".join("报" for _ in range(200000)).encode())
    yield text_bomb("long-line-30M", lambda: b"\xe6\x8a\xa5" * 10_000_000)

    def glossary_bomb(name: str, body: bytes, allowed: set[int]) -> HostileCase:
        def play(work: Path) -> list[str]:
            g = work / name
            g.write_bytes(body)
            out = work / "out"
            problems = judge(xy(["convert", str(SAMPLES / "seed_report.txt"), "-o", str(out),
                                 "--glossary", str(g)]), allowed, out)
            problems += judge(xy(["glossary", "validate", str(g)]), allowed | {0, 4}, None)
            return problems

        return HostileCase(f"glossary: {name}", "hostile glossaries", play)

    yield glossary_bomb("deep.tbx", b"<martif><text><body>" + b"<x>" * 5000 + b"</x>" * 5000 + b"</body></text></martif>", {4})
    yield glossary_bomb("gbk.tbx", '<?xml version="1.0" encoding="GBK"?><martif><text><body><termEntry>'
                        '<langSet xml:lang="zh"><tig><term>新质生产力</term></tig></langSet>'
                        '<langSet xml:lang="en"><tig><term>new productive forces</term></tig></langSet>'
                        "</termEntry></body></text></martif>".encode("gbk"), {0})
    yield glossary_bomb("bogus-encoding.tbx", b'<?xml version="1.0" encoding="X-NOPE"?><martif/>', {4})
    yield glossary_bomb("laughs.tbx", b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">'
                        b'<!ENTITY b "&a;&a;&a;&a;">]><martif>&b;</martif>', {4})
    yield glossary_bomb("xxe.tbx", b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        b"<martif>&x;</martif>", {4})
    yield glossary_bomb("binary.tsv", bytes(range(256)) * 100, {4})
    yield glossary_bomb("wide.tsv", ("\t".join(["新质生产力"] * 5000) + "\n").encode() * 50, {0, 4})


def cli_cases() -> Iterator[HostileCase]:
    seed = str(SAMPLES / "seed_report.txt")
    specs = [
        (["--timeout", "nan"], {2}), (["--timeout", "inf"], {2}), (["--timeout", "-1"], {2}),
        (["--timeout", "0"], {2}), (["--timeout", "1e-9"], {10}), (["--timeout", "1e308"], {0}),
        (["--jobs", "0"], {2}), (["--jobs", "-3"], {2}), (["--jobs", "99999999999999999999"], {0, 2}),
        (["--to", "all,pdf"], {2}), (["--to", ""], {2}), (["--to", ",,,"], {2}), (["--to", "MD,Txt"], {0}),
        (["--max-memory", "-1"], {2}), (["--max-memory", "1"], {4}), (["--max-memory", "0"], {0}),
        (["--password", "密码"], {0}), (["--password", "\udcff"], {0, 2}), (["--glossary", "/nonexistent"], {2, 3}),
        (["--reference-docx", "/dev/null"], {2, 3, 4}), (["--reference-docx", seed], {2, 4}),
        (["--device", "tpu"], {2}), (["--bogus"], {2}),
    ]
    for args, allowed in specs:
        def play(work: Path, args: list[str] = args, allowed: set[int] = allowed) -> list[str]:
            out = work / "out"
            return judge(xy(["convert", seed, "-o", str(out), *args]), allowed, out)

        yield HostileCase(f"cli {' '.join(args)!r}", "CLI edge values", play)

    def repair_stdin(data: bytes, allowed: set[int], label: str) -> HostileCase:
        def play(work: Path) -> list[str]:
            before = set(os.listdir("/tmp"))
            problems = judge(xy(["repair", "-"], stdin=data), allowed, None)
            left = [n for n in set(os.listdir("/tmp")) - before if n.startswith("tmp") and n.endswith(".pdf")]
            return problems + ([f"temporary copies left in /tmp: {left}"] if left else [])

        return HostileCase(f"repair - with {label}", "CLI edge values", play)

    yield repair_stdin(b"", {4}, "empty stdin")
    yield repair_stdin((SAMPLES / "seed_clean.pdf").read_bytes(), {0}, "a PDF")
    yield repair_stdin((SAMPLES / "seed_clean.pdf").read_bytes()[:5000], {4}, "a cut PDF")
    yield repair_stdin(_seed_text(), {0}, "text")


def hostile_cases(seed: int, per_kind: int) -> Iterator[HostileCase]:
    """``per_kind`` random cases of each random kind, then (seed 0 only) the fixed ones."""
    rng = random.Random(1000 + seed)
    for k in range(per_kind):
        i = seed * per_kind + k
        yield signal_case(rng, i)
        yield disk_case(rng, i)
        yield manifest_case(rng, i)
        yield name_case(rng, i)
        yield symlink_case(rng, i)
    if seed == 0:
        yield from bomb_cases()
        yield from cli_cases()
        yield from limit_cases()


def play_mutated(case: object, work: Path) -> list[str]:
    """A mutated-input case of cases.py, judged by the same rules as the hostile ones."""
    src = work / "in" / case.filename
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_bytes(case.data)
    out = work / "out"
    run = xy(["convert", str(src), "-o", str(out), "--to", "md,json"])
    problems = judge(run, set(case.allowed), out, set() if run.code == 0 else {src.stem})
    errors = [ln for ln in run.stderr.splitlines() if ln and not ln.startswith("xyconvert: warning:")]
    if run.code != 0 and (len(errors) != 1 or not errors[0].startswith("xyconvert: ")):
        problems.append(f"error is not one line: {run.stderr[:300]!r}")
    return problems
