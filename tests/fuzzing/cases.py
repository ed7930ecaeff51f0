"""Mutated inputs for robustness tests (``tests/test_fuzz.py``) and ``make fuzz``.

Each case is (name, file name, bytes, allowed exit codes). Everything is made
from the committed samples, deterministically from a seed.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
DOCUMENTED = {0, 4, 5, 6, 10}  # ok, unreadable, encrypted, no text layer, timeout


@dataclass
class Case:
    name: str
    filename: str
    data: bytes
    allowed: frozenset[int] = frozenset(DOCUMENTED)


def _flip(data: bytes, rng: random.Random, flips: int) -> bytes:
    buf = bytearray(data)
    for _ in range(flips):
        i = rng.randrange(len(buf))
        buf[i] = rng.randrange(256)
    return bytes(buf)


def empty_pages_pdf(pages: int) -> bytes:
    """A valid PDF of ``pages`` blank pages, written by hand (small, fast)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return _assemble(objs)


def nested_pdf(depth: int) -> bytes:
    """A one-page PDF whose page dictionary holds arrays nested ``depth`` deep."""
    nested = b"[" * depth + b"1" + b"]" * depth
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /X " + nested + b" >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Hello nested) Tj ET\nendstream",
    ]
    return _assemble(objs)


def _assemble(objs: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def cases(seed: int = 0, random_cases: int = 6) -> Iterator[Case]:
    rng = random.Random(seed)
    text = (SAMPLES / "seed_report.txt").read_bytes()
    pdf = (SAMPLES / "seed_clean.pdf").read_bytes()
    yield Case("zero-length txt", "zero.txt", b"", frozenset({4}))
    yield Case("zero-length pdf", "zero.pdf", b"", frozenset({4}))
    yield Case("10 MB single line", "oneline.txt", _one_line(text, 10 * 2**20), frozenset({0}))
    yield Case("pdf named .txt", "actually_pdf.txt", pdf, frozenset({0}))
    yield Case("text named .pdf", "actually_text.pdf", text, frozenset({4}))
    yield Case("3000 empty pages", "empty_pages.pdf", empty_pages_pdf(3000), frozenset({6}))
    yield Case("nested arrays depth 5000", "nested.pdf", nested_pdf(5000))
    for frac in (0.1, 0.5, 0.9, 0.999):
        yield Case(f"text truncated at {frac:.0%}", f"trunc_{frac}.txt", text[: int(len(text) * frac)],
                   frozenset({0}))
        yield Case(f"pdf truncated at {frac:.0%}", f"trunc_{frac}.pdf", pdf[: int(len(pdf) * frac)])
    for k in range(random_cases):
        flips = rng.choice([1, 10, 100, 1000])
        yield Case(f"text {flips} byte flips #{k}", f"flip{k}.txt", _flip(text, rng, flips),
                   frozenset({0, 4}))
        yield Case(f"pdf {flips} byte flips #{k}", f"flip{k}.pdf", _flip(pdf, rng, flips))
        cut = rng.randrange(1, len(pdf))
        yield Case(f"pdf cut at byte {cut}", f"cut{k}.pdf", pdf[:cut])
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))
        yield Case(f"random bytes #{k}", f"noise{k}.txt", noise, frozenset({4}))


def _one_line(text: bytes, size: int) -> bytes:
    line = b"".join(text.split())
    return (line * (size // len(line) + 1))[:size].rsplit(b"\xe3", 1)[0]  # end on a whole character


@dataclass
class Outcome:
    case: Case
    code: int
    seconds: float
    stderr: str
    outputs: list[str]
    problems: list[str]


def run_case(case: Case, workdir: Path, timeout: float = 120, memory_mb: int = 3072) -> Outcome:
    """Run ``xyconvert convert`` on the case in a subprocess with time and memory limits."""
    import resource

    src = workdir / "in" / case.filename
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_bytes(case.data)
    out = workdir / "out" / case.filename
    limit = memory_mb * 2**20

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "xyconvert.cli", "convert", str(src), "-o", str(out), "--to", "md,json"],
            capture_output=True, timeout=timeout, preexec_fn=limits, cwd=workdir,
        )
        code, stderr = proc.returncode, proc.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        code, stderr = -1, f"no answer within {timeout} s"
    seconds = time.monotonic() - start
    outputs = sorted(p.name for p in out.iterdir()) if out.exists() else []
    problems = []
    if code not in case.allowed:
        problems.append(f"exit code {code}, expected one of {sorted(case.allowed)}")
    if "Traceback" in stderr:
        problems.append("traceback on stderr")
    if any(name.endswith(".part") for name in outputs):
        problems.append("partial file left behind")
    if code != 0 and [n for n in outputs if not n.startswith(".xyconvert")]:
        problems.append(f"failed but wrote {outputs}")
    errors = [ln for ln in stderr.splitlines() if ln and not ln.startswith("xyconvert: warning:")]
    if code != 0 and (len(errors) != 1 or not errors[0].startswith("xyconvert: ")):
        problems.append(f"error is not one line: {stderr[:300]!r}")
    return Outcome(case, code, seconds, stderr, outputs, problems)


# ------------------------------------------------------------------ bombs


def flate_bomb_pdf(megabytes: int = 1024) -> bytes:
    """A one-page PDF whose content stream inflates from ~1 MB to ``megabytes`` MB."""
    import zlib

    comp = zlib.compressobj(9)
    chunk = b" " * 2**20
    body = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(body)} /Filter /FlateDecode >>\nstream\n".encode() + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def long_tj_pdf(chars: int = 2_000_000) -> bytes:
    """A small PDF with one ``Tj`` of ``chars`` characters (compressed)."""
    import zlib

    content = b"BT /F1 12 Tf 72 720 Td (" + b"A" * chars + b") Tj ET"
    body = zlib.compress(content, 9)
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(body)} /Filter /FlateDecode >>\nstream\n".encode() + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def many_pages_pdf(pages: int, claimed: int | None = None) -> bytes:
    """A small PDF of ``pages`` pages sharing one content stream (``claimed``: a lying /Count)."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    first = 5  # object number of the first page
    kids = b" ".join(f"{first + k} 0 R".encode() for k in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + f"] /Count {claimed or pages} "
        "/MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> >>".encode(),
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objs += [b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"] * pages
    return _assemble(objs)


def ruled_table_pdf(n: int = 100) -> bytes:
    """One page with an n x n ruled table, a short number in every cell."""
    import zlib

    x0, y0, w, h = 20.0, 20.0, 555.0 / n, 800.0 / n
    ops = [b"0.2 w"]
    for i in range(n + 1):
        ops.append(f"{x0:.2f} {y0 + i * h:.2f} m {x0 + n * w:.2f} {y0 + i * h:.2f} l S".encode())
        ops.append(f"{x0 + i * w:.2f} {y0:.2f} m {x0 + i * w:.2f} {y0 + n * h:.2f} l S".encode())
    ops.append(b"BT /F1 4 Tf")
    for r in range(n):
        for c in range(n):
            ops.append(f"1 0 0 1 {x0 + c * w + 0.5:.2f} {y0 + r * h + 1:.2f} Tm ({(r * n + c) % 100}) Tj".encode())
    ops.append(b"ET")
    body = zlib.compress(b"\n".join(ops), 9)
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(body)} /Filter /FlateDecode >>\nstream\n".encode() + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])
