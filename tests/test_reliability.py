"""Reliability promises under signals, full disks, odd names and hostile inputs (issue 14).

Signal tests wait on conditions (a worker process existing, a handler being
installed), never on sleeps; disk-full tests need root to mount a small tmpfs
and are skipped elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "seed_report.txt"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
XY = [sys.executable, "-m", "xyconvert.cli"]


def xy(*args: str, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("env", ENV)
    return subprocess.run([*XY, *args], capture_output=True, text=True, timeout=300, **kw)


def wait_for(condition: Callable[[], object], what: str, limit: float = 120) -> object:
    """Poll ``condition`` until it holds; the limit only turns a hang into a failure."""
    deadline = time.monotonic() + limit
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    out = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            out += [int(c) for c in text.split()]
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def caught_signals(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return int(line.split()[1], 16)
    return 0


def handles_term(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return bool(caught_signals(pid) & (1 << (signal.SIGTERM - 1)))
    return False


def big_inputs(folder: Path, n: int, copies: int = 40) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        p = folder / f"big{i}.txt"
        p.write_text("\n".join([text] * copies), encoding="utf-8")
        paths.append(p)
    return paths


def stray(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".part")) if out.exists() else []


needs_proc = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")


# ------------------------------------------------------------------ 1, 5: signals


def _default_signal_handling() -> None:
    # The run starts as from a terminal, whoever started the tests: under nohup HUP is
    # ignored, and xyconvert rightly keeps it so (its HUP then changes nothing).
    for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)


@needs_proc
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_to_batch_ends_workers_and_exits_documented_code(tmp_path: Path, sig: int) -> None:
    inputs = big_inputs(tmp_path / "in", 3)
    out = tmp_path / "out"
    proc = subprocess.Popen([*XY, "convert", *map(str, inputs), "-o", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
                            preexec_fn=_default_signal_handling)
    try:
        workers = wait_for(lambda: children(proc.pid), "a worker process")
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=120)  # EOF: nobody holds the pipes any more
    finally:
        proc.kill()
    assert proc.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr.decode()
    for pid in workers:
        wait_for(lambda pid=pid: not alive(pid), f"worker {pid} to end")
    assert stray(out) == []


@needs_proc
def test_sigkill_of_the_parent_takes_the_workers_along(tmp_path: Path) -> None:
    inputs = big_inputs(tmp_path / "in", 3)
    proc = subprocess.Popen([*XY, "convert", *map(str, inputs), "-o", str(tmp_path / "out"), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV)
    workers = wait_for(lambda: children(proc.pid), "a worker process")
    proc.kill()
    proc.wait()
    # Like `xyconvert … | tee log`: the pipe reaches EOF only when no worker holds it.
    assert proc.stdout.read() is not None
    proc.stdout.close()
    for pid in workers:
        wait_for(lambda pid=pid: not alive(pid), f"worker {pid} to die with its parent")


@needs_proc
@pytest.mark.parametrize(("command", "sig"), [
    (["repair", "-"], signal.SIGINT),
    (["repair", "-"], signal.SIGTERM),
    (["glossary", "check", "-"], signal.SIGINT),
])
def test_interrupting_a_command_waiting_on_stdin(command: list[str], sig: int) -> None:
    proc = subprocess.Popen([*XY, *command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)
    try:
        wait_for(lambda: handles_term(proc.pid), "the signal handlers")
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + sig, stderr
    assert b"Traceback" not in stderr and b"Aborted!" not in stderr
    assert stderr.decode().strip().splitlines() == ["xyconvert: interrupted"]


def test_stale_temporary_files_are_removed_on_resume(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # What a run killed by SIGKILL leaves: a temporary file of a process that is gone.
    dead = subprocess.Popen(["true"])
    dead.wait()
    leftover = out / f".xyconvert-{dead.pid}-0123abcd.part"
    leftover.write_bytes(b"half")
    res = xy("convert", str(SEED), "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert not leftover.exists()
    assert sorted(p.name for p in out.iterdir()) == [".xyconvert-manifest.json", "seed_report.zh.md"]


# ------------------------------------------------------------------ 2: OUT-level problems


@pytest.mark.parametrize("content", [
    "[]", '{"entries": []}', '{"manifest_version": 1, "entries": {"x": 3}}',
    '{"manifest_version": 1, "entries": {"x": {"outputs": null}}}', "not json",
])
def test_manifest_of_unknown_shape_is_reported_and_replaced_only_with_force(tmp_path: Path, content: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    manifest = out / ".xyconvert-manifest.json"
    manifest.write_text(content)
    res = xy("convert", str(SEED), "-o", str(out))
    assert res.returncode == 9, res.stderr
    assert res.stderr.count("\n") == 1 and "--force" in res.stderr and "Traceback" not in res.stderr
    assert manifest.read_text() == content and not (out / "seed_report.zh.md").exists()
    res = xy("convert", str(SEED), "-o", str(out), "--force")
    assert res.returncode == 0, res.stderr
    assert json.loads(manifest.read_text())["manifest_version"] == 1


def test_out_level_problems_fail_early_with_exit_9(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    res = xy("convert", str(SEED), "-o", str(tmp_path / "file" / "out"))
    assert res.returncode == 9 and res.stderr.count("\n") == 1, res.stderr
    out = tmp_path / "out"
    (out / ".xyconvert-manifest.json").mkdir(parents=True)
    res = xy("convert", str(SEED), "-o", str(out))
    assert res.returncode == 9 and "is a directory" in res.stderr, res.stderr


def test_an_output_name_too_long_fails_that_input_only(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b", "c", "d", "e", "x" * 251):
        shutil.copy(SEED, src / f"{name}.txt")
    out = tmp_path / "out"
    res = xy("convert", str(src), "-o", str(out), "--json")
    assert res.returncode == 8, res.stderr
    summary = json.loads(res.stdout)["summary"]
    assert summary == {"converted": 5, "skipped": 0, "failed": 1}
    assert "Traceback" not in res.stderr and "x" * 251 + ".zh.md" in res.stderr  # names the output


def test_temporary_names_do_not_make_long_names_fail(tmp_path: Path) -> None:
    long = tmp_path / ("長" * 81 + ".txt")  # 243 bytes + ".zh.md" fits in 255; the old temp name did not
    shutil.copy(SEED, long)
    res = xy("convert", str(long), "-o", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out" / ("長" * 81 + ".zh.md")).exists()


def test_repair_to_a_full_stdout_is_exit_9() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        res = subprocess.run([*XY, "repair", str(SEED)], stdout=full, stderr=subprocess.PIPE,
                             text=True, env=ENV, timeout=300)
    assert res.returncode == 9, res.stderr
    assert res.stderr.strip().splitlines() == ["xyconvert: standard output: cannot write: No space left on device"]


# ------------------------------------------------------------------ 4: full disks (root, tmpfs)


@contextlib.contextmanager
def small_tmpfs(where: Path, size_kb: int, *, read_only: bool = False) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir()
    opts = f"size={size_kb}k" + (",ro" if read_only else "")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(where)], capture_output=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` so that about ``leave`` bytes stay free."""
    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    (disk / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_full_disk_leaves_no_partial_set_and_the_manifest_agrees(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk", 1024) as disk:
        out = disk / "out"
        out.mkdir()
        fill(disk, 40_000)  # md and txt fit, json and docx do not
        res = xy("convert", str(SEED), "-o", str(out), "--to", "all", "--json")
        assert res.returncode == 9, res.stderr
        assert "Traceback" not in res.stderr and res.stderr.count("\n") == 1
        assert sorted(p.name for p in out.iterdir()) == []  # not even the manifest
        (disk / "filler").unlink()
        res = xy("convert", str(SEED), "-o", str(out), "--to", "all")
        assert res.returncode == 0, res.stderr
        entry = next(iter(json.loads((out / ".xyconvert-manifest.json").read_text())["entries"].values()))
        assert sorted(entry["outputs"]) == sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


def test_read_only_out_fails_early_with_exit_9(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "ro", 64, read_only=True) as ro:
        res = xy("convert", str(SEED), str(ROOT / "samples" / "seed_clean.pdf"), "-o", str(ro / "out"))
        assert res.returncode == 9 and res.stderr.count("\n") == 1, res.stderr
        assert "not writable" in res.stderr


def test_full_disk_in_a_batch_fails_inputs_not_the_run(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk", 512) as disk:
        out = disk / "out"
        out.mkdir()
        fill(disk, 0)
        res = xy("convert", str(SEED), str(ROOT / "samples" / "seed_clean.pdf"), "-o", str(out), "--json")
        assert res.returncode == 8, res.stderr
        assert json.loads(res.stdout)["summary"]["failed"] == 2
        assert "Traceback" not in res.stderr and stray(out) == []
        assert [p.name for p in out.iterdir()] == []


# ------------------------------------------------------------------ 6: manifest truth


def test_narrower_then_wider_formats_own_their_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for formats in ("md,txt,json", "md", "md,txt,json", "txt"):
        res = xy("convert", str(SEED), "-o", str(out), "--to", formats)
        assert res.returncode == 0, (formats, res.stderr)


def test_emptied_output_is_not_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert xy("convert", str(SEED), "-o", str(out)).returncode == 0
    (out / "seed_report.zh.md").write_bytes(b"")
    res = xy("convert", str(SEED), "-o", str(out), "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["summary"]["converted"] == 1
    assert (out / "seed_report.zh.md").stat().st_size > 1000


def test_input_named_like_the_manifest_cannot_overwrite_it(tmp_path: Path) -> None:
    src = tmp_path / ".xyconvert-manifest.txt"
    shutil.copy(SEED, src)
    out = tmp_path / "out"
    res = xy("convert", str(src), "-o", str(out), "--to", "json")
    assert res.returncode == 9 and "manifest" in res.stderr, res.stderr
    manifest = out / ".xyconvert-manifest.json"
    assert not manifest.exists() or json.loads(manifest.read_text())["manifest_version"] == 1


def test_concurrent_batches_into_one_out_keep_each_others_entries(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    names = [f"r{i}" for i in range(6)]
    for name in names:
        shutil.copy(SEED, src / f"{name}.txt")
    out = tmp_path / "out"
    procs = [
        subprocess.Popen([*XY, "convert", *(str(src / f"{n}.txt") for n in group), "-o", str(out), "--jobs", "1"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
        for group in (names[0::2], names[1::2])
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    entries = json.loads((out / ".xyconvert-manifest.json").read_text())["entries"]
    assert sorted(Path(k).stem for k in entries) == names


# ------------------------------------------------------------------ 7: DOCX


def test_control_characters_and_long_metadata_in_docx(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    occasion = "在" + "第十四届全国人民代表大会第二次会议上" * 20  # > 255 characters
    text = first + "\n" + occasion + "\n" + rest.replace("。", "。\x01", 3).replace("，", "，\v", 2) + "\x1b\ufffe"
    stem = "report-" * 22  # a name of 146+ characters
    src = tmp_path / (stem + ".txt")
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    res = xy("convert", str(src), "-o", str(out), "--to", "all")
    assert res.returncode == 0, res.stderr
    assert "control character" in res.stderr  # nothing dropped silently
    import docx

    d = docx.Document(str(out / (stem + ".zh.docx")))
    assert len(d.core_properties.comments) <= 255 and len(d.core_properties.subject) <= 255
    for name in (stem + ".zh.md", stem + ".zh.txt", stem + ".json"):
        body = (out / name).read_text(encoding="utf-8")
        assert not any(c in body for c in "\x01\x1b\v\ufffe"), name


# ------------------------------------------------------------------ 8: non-regular inputs


@pytest.mark.parametrize("kind", ["fifo", "device", "pipe"])
def test_non_regular_inputs_are_refused_in_one_line(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "in.txt"
        os.mkfifo(path)  # opening it would block forever
        res = xy("convert", str(path), "-o", str(tmp_path / "out"))
    elif kind == "device":
        res = xy("convert", "/dev/zero", "-o", str(tmp_path / "out"))
    else:
        res = subprocess.run(["bash", "-c", f'"$@" convert <(cat {SEED}) -o {tmp_path / "out"}', "_", *XY],
                             capture_output=True, text=True, env=ENV, timeout=300)
    assert res.returncode == 4, res.stderr
    assert res.stderr.count("\n") == 1 and "not a regular file" in res.stderr
    assert not (tmp_path / "out").exists()


def test_device_as_glossary_is_refused(tmp_path: Path) -> None:
    res = xy("convert", str(SEED), "-o", str(tmp_path / "out"), "--glossary", "/dev/zero")
    assert res.returncode == 4 and "not a regular file" in res.stderr, res.stderr


# ------------------------------------------------------------------ 10: TBX


def test_tbx_in_gbk_and_deeply_nested(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.tbx"
    gbk.write_bytes((
        '<?xml version="1.0" encoding="GBK"?>\n<martif type="TBX"><text><body><termEntry>'
        '<langSet xml:lang="zh"><tig><term>新质生产力</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>new quality productive forces</term></tig></langSet>'
        "</termEntry></body></text></martif>\n"
    ).encode("gbk"))
    res = xy("glossary", "validate", str(gbk))
    assert res.returncode == 0 and "1 entries" in res.stdout, res.stderr
    deep = tmp_path / "deep.tbx"
    deep.write_text("<martif><text><body>" + "<x>" * 5000 + "</x>" * 5000 + "</body></text></martif>")
    for args in (["glossary", "validate", str(deep)],
                 ["convert", str(SEED), "-o", str(tmp_path / "out"), "--glossary", str(deep)]):
        res = xy(*args)
        assert res.returncode == 4 and "nested" in res.stderr and "Traceback" not in res.stderr, res.stderr


# ------------------------------------------------------------------ 12: exit codes


@pytest.mark.parametrize("args", [["--timeout", "nan"], ["--timeout", "inf"], ["--to", "all,pdf"]])
def test_bad_option_values_are_usage_errors(tmp_path: Path, args: list[str]) -> None:
    res = xy("convert", str(SEED), "-o", str(tmp_path / "out"), *args)
    assert res.returncode == 2, res.stderr
    assert not (tmp_path / "out").exists()


def test_odd_file_names_convert(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    names = [b"..txt", b"back\\slash.txt", b"bad\xff\xfename.txt"]
    for name in names:
        shutil.copy(SEED, os.path.join(os.fsencode(src), name))
    out = tmp_path / "out"
    paths = [os.fsdecode(os.path.join(os.fsencode(src), n)) for n in names]
    res = xy("convert", *paths, "-o", str(out), "--to", "md,json", "--json")
    assert res.returncode == 0, res.stderr
    made = sorted(os.listdir(os.fsencode(out)))
    assert b"..zh.md" in made and b"back\\slash.zh.md" in made and b"bad\xff\xfename.zh.md" in made
    res = xy("convert", *paths, "-o", str(out), "--to", "md,json", "--json")
    assert json.loads(res.stdout)["summary"]["skipped"] == 3  # the manifest keeps such names exactly


def _as_nobody() -> list[str] | None:
    """A command prefix that runs as an unprivileged user (root reads chmod-000 files):
    [] when not root, setpriv as nobody when root; None when that is not possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    try:
        ok = subprocess.run([*prefix, *XY, "--version"], capture_output=True, env=ENV, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return prefix if ok.returncode == 0 else None


@pytest.mark.parametrize("command", ["convert", "repair", "brief"])
def test_unreadable_input_is_exit_4(command: str) -> None:
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("cannot run a command as an unprivileged user here")
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="xy-unreadable-"))  # not under root's 0700 pytest folder
    try:
        work.chmod(0o777)
        src = work / "locked.txt"
        shutil.copy(SEED, src)
        src.chmod(0)
        probe = subprocess.run([*prefix, "cat", str(src)], capture_output=True)
        if probe.returncode == 0:
            pytest.skip("this user can still read a chmod-000 file (capabilities)")
        out = work / "out"
        args = {"convert": ["convert", str(src), "-o", str(out)], "repair": ["repair", str(src)],
                "brief": ["brief", str(src), "-o", str(out), "--no-mt"]}[command]
        res = subprocess.run([*prefix, *XY, *args], capture_output=True, text=True, timeout=300,
                             env={**ENV, "HOME": str(work), "XYCONVERT_CACHE_DIR": str(work / "cache")}, cwd=work)
        assert res.returncode == 4, res.stderr
        assert res.stderr.count("\n") == 1 and str(src) in res.stderr and "Traceback" not in res.stderr, res.stderr
        assert not (out.exists() and [p for p in out.iterdir() if not p.name.startswith(".")])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_non_latin1_password_is_a_wrong_password(tmp_path: Path) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "enc.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=1))
    c.drawString(72, 720, "Government work report")
    c.save()
    res = xy("convert", str(path), "-o", str(tmp_path / "out"), "--password", "密码")
    assert res.returncode == 5 and "password" in res.stderr, res.stderr


def test_stdin_pdf_errors_name_stdin_and_leave_no_copy(tmp_path: Path) -> None:
    data = (ROOT / "samples" / "seed_clean.pdf").read_bytes()[:5000]
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    res = subprocess.run([*XY, "repair", "-"], input=data, capture_output=True,
                         env={**ENV, "TMPDIR": str(tmp)}, timeout=300)
    assert res.returncode == 4
    assert res.stderr.decode().startswith("xyconvert: <stdin>: ")
    assert list(tmp.iterdir()) == []


def test_bad_reference_docx_fails_once_before_any_input(tmp_path: Path) -> None:
    bad = tmp_path / "template.docx"
    bad.write_text("not a zip")
    res = xy("convert", str(SEED), str(ROOT / "samples" / "seed_clean.pdf"), "-o", str(tmp_path / "out"),
             "--to", "docx", "--reference-docx", str(bad))
    assert res.returncode == 4 and res.stderr.count("\n") == 1, res.stderr
    assert not (tmp_path / "out").exists()


def test_models_install_with_top_directory_dot_touches_nothing(tmp_path: Path, monkeypatch) -> None:
    import zipfile

    from click.testing import CliRunner

    from xyconvert.cli import main

    packages = tmp_path / "packages"
    keep = packages / "translate-zh_en-other"
    keep.mkdir(parents=True)
    (keep / "metadata.json").write_text('{"from_code": "zh", "to_code": "en", "type": "translate"}')
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("./metadata.json", '{"from_code": "zh", "to_code": "en"}')
        zf.writestr("./model/model.bin", b"x")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    res = CliRunner().invoke(main, ["models", "install", str(evil)])
    assert res.exit_code == 4, res.output
    assert (keep / "metadata.json").is_file()
    assert sorted(p.name for p in packages.iterdir()) == ["translate-zh_en-other"]


def test_models_reinstall_replaces_only_its_own_directory(tmp_path: Path, monkeypatch, argos_env) -> None:
    from click.testing import CliRunner

    from xyconvert.cli import main

    packages = tmp_path / "packages"
    keep = packages / "unrelated"
    keep.mkdir(parents=True)
    (keep / "file").write_text("mine")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    for _ in range(2):
        res = CliRunner().invoke(main, ["models", "install", str(argos_env["archive"])])
        assert res.exit_code == 0, res.output
    assert (keep / "file").read_text() == "mine"
    assert sorted(p.name for p in packages.iterdir()) == ["translate-zh_en-tiny", "unrelated"]


# ------------------------------------------------------------------ 9: limits before work


def _hostile_pdf(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_pdf_with_an_absurd_page_count_is_refused_before_layout(tmp_path: Path, engine: str) -> None:
    from fuzzing.cases import many_pages_pdf

    from xyconvert.limits import MAX_PAGES

    src = _hostile_pdf(tmp_path, "pages.pdf", many_pages_pdf(MAX_PAGES + 1))  # < 1 MB
    res = xy("convert", str(src), "-o", str(tmp_path / "out"), "--pdf-engine", engine)
    assert res.returncode == 4, res.stderr
    assert res.stderr == f"xyconvert: {src}: has {MAX_PAGES + 1:,} pages, beyond the limit of {MAX_PAGES:,} " \
        "($XYCONVERT_MAX_PAGES); not a report\n"
    assert not (tmp_path / "out" / "pages.zh.md").exists()


def test_page_limits_follow_the_environment(tmp_path: Path) -> None:
    from fuzzing.cases import many_pages_pdf

    src = _hostile_pdf(tmp_path, "five.pdf", many_pages_pdf(5))
    res = xy("repair", str(src), env={**ENV, "XYCONVERT_MAX_PAGES": "4"})
    assert res.returncode == 4 and "has 5 pages" in res.stderr, res.stderr
    assert xy("repair", str(src), env={**ENV, "XYCONVERT_MAX_PAGES": "0"}).returncode == 0
    res = xy("repair", str(src), "--pdf-engine", "pdfium", env={**ENV, "XYCONVERT_MAX_PAGE_GLYPHS": "3"})
    assert res.returncode == 4 and "page 1 draws 5 glyphs" in res.stderr, res.stderr


def test_page_drawing_millions_of_glyphs_is_refused_early(tmp_path: Path) -> None:
    """One 2M-character ``Tj`` in a 3 KB file: pdfminer would build every glyph (2 GB)
    before the layout; the counting device stops it at the limit."""
    from fuzzing.cases import long_tj_pdf

    from xyconvert.limits import MAX_PAGE_GLYPHS

    src = _hostile_pdf(tmp_path, "tj.pdf", long_tj_pdf(2_000_000))
    res = xy("repair", str(src), "--pdf-engine", "pdfplumber", env={**ENV, "XYCONVERT_MAX_MEMORY": "400"})
    assert res.returncode == 4, res.stderr
    assert res.stderr == f"xyconvert: {src}: page 1 draws more than {MAX_PAGE_GLYPHS:,} glyphs, beyond the " \
        f"limit of {MAX_PAGE_GLYPHS:,} per page ($XYCONVERT_MAX_PAGE_GLYPHS); not a report page\n"


def test_order_search_on_pathological_text_is_bounded() -> None:
    """200 000 one-character lines took minutes in the order search; it now looks at no
    more join scores than its work bound and keeps the extracted order, saying so."""
    import random

    from xyconvert.repair.joins import JoinScorer
    from xyconvert.repair.order import JOIN_COST, WORK_BASE, WORK_PER_LINE, restore_order

    rng = random.Random(7)
    texts = [rng.choice("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能")
             for _ in range(3000)]
    scorer = JoinScorer(texts)
    calls = [0]

    def join(a: str, b: str) -> float:
        calls[0] += 1
        return scorer.score(a, b)

    warnings: list[str] = []
    order = restore_order(texts, [1] * len(texts), join, warnings=warnings, work=50_000)
    assert calls[0] <= 50_000 // JOIN_COST
    assert order == list(range(len(texts))) and "reading order left as extracted" in warnings[0]
    # The default bound is linear in the lines.
    calls[0] = 0
    restore_order(texts, [1] * len(texts), join)
    assert calls[0] <= (WORK_BASE + WORK_PER_LINE * len(texts)) // JOIN_COST


def test_repair_timeout_gives_exit_10_and_no_output(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("\n".join([SEED.read_text(encoding="utf-8")] * 20), encoding="utf-8")
    # 1 ms after the alarm is set, reading and repairing 20 reports (seconds) cannot be done.
    res = xy("repair", "--timeout", "0.001", str(big))
    assert res.returncode == 10 and res.stdout == "", res.stderr
    assert res.stderr == f"xyconvert: {big}: timed out after 0.001 s\n"
    assert xy("repair", "--timeout", "nan", str(big)).returncode == 2


# ------------------------------------------------------------------ 6, 12: names and -o


@pytest.mark.parametrize("command", ["convert", "brief"])
def test_empty_output_name_is_a_usage_error(tmp_path: Path, command: str) -> None:
    extra = ["--no-mt"] if command == "brief" else []
    res = xy(command, str(SEED), "-o", "", *extra, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert res.stderr == "xyconvert: -o: the output name is empty (an unset variable?); give a name\n"
    assert list(tmp_path.iterdir()) == []


def test_symlinked_input_is_named_as_given_and_output_links_are_not_followed(tmp_path: Path) -> None:
    real = tmp_path / "data" / "real-name.txt"
    real.parent.mkdir()
    shutil.copy(SEED, real)
    links = tmp_path / "links"
    links.mkdir()
    for name in ("given.txt", "other.txt"):
        (links / name).symlink_to(real)
    out = tmp_path / "out"
    res = xy("convert", str(links / "given.txt"), str(links / "other.txt"), "-o", str(out), "--to", "md,json")
    assert res.returncode == 0, res.stderr
    assert f"wrote {out / 'given.zh.md'}" in res.stdout and f"wrote {out / 'other.zh.md'}" in res.stdout
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "given.json", "given.zh.md", "other.json", "other.zh.md"]
    assert json.loads((out / "given.json").read_text())["metadata"]["source_name"] == "given.txt"
    entries = json.loads((out / ".xyconvert-manifest.json").read_text())["entries"]
    assert sorted(entries) == [str(links / "given.txt"), str(links / "other.txt")]
    # A second run skips both: each link owns its own outputs.
    res = xy("convert", str(links / "given.txt"), str(links / "other.txt"), "-o", str(out), "--to", "md,json",
             "--json")
    assert json.loads(res.stdout)["summary"]["skipped"] == 2, res.stdout
    # An output that is a symlink is replaced by a file (with --force), never written through.
    victim = tmp_path / "victim.md"
    victim.write_text("keep me")
    (out / "given.zh.md").unlink()
    (out / "given.zh.md").symlink_to(victim)
    res = xy("convert", str(links / "given.txt"), "-o", str(out), "--force")
    assert res.returncode == 0, res.stderr
    assert victim.read_text() == "keep me"
    assert not (out / "given.zh.md").is_symlink() and "政府工作报告" in (out / "given.zh.md").read_text()
    # An output link pointing at the input itself is refused.
    (out / "given.zh.md").unlink()
    (out / "given.zh.md").symlink_to(real)
    res = xy("convert", str(links / "given.txt"), "-o", str(out), "--force")
    assert res.returncode == 9 and "is an input file" in res.stderr, res.stderr
    assert real.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")
