"""Glossary entries: the data model, TSV/CSV reading and writing, and loading.

A glossary file is a table with a header naming at least ``zh`` and ``en``
(``category`` and ``note`` are optional; extra columns are ignored). Problems
are collected with their 1-based line numbers so ``glossary validate`` can list
them all, while loading stops with an :class:`UnreadableInput` naming the first.

Entries are keyed by their *match key* (the zh term converted to simplified
characters and folded, see :mod:`xyconvert.glossary.normalize`), so a
traditional-character user entry 鄉村振興 overrides the built-in 乡村振兴.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from xyconvert.errors import InputNotFound, UnreadableInput

# Categories of the built-in glossary (user files may use their own).
CATEGORIES: tuple[str, ...] = (
    "economy",  # indicators, macro policy, fiscal, trade, consumption
    "agriculture",  # agriculture, rural policy, poverty alleviation
    "industry",  # industry, enterprises, technology, energy, services, tourism
    "urban",  # urbanization, housing, infrastructure
    "ecology",  # environment, carbon, forests and rivers
    "social",  # employment, social security, education, health, culture
    "governance",  # administrative reform, rule of law, safety, oversight
    "party",  # Party building, political theory and slogans, ethnic policy
    "xinjiang",  # Xinjiang- and XPCC-specific terms
    "institution",  # bodies, offices and administrative divisions
)

# Header names accepted for the two required columns (spreadsheet exports vary).
_COLUMN_ALIASES: dict[str, str] = {
    "zh": "zh",
    "chinese": "zh",
    "zh-cn": "zh",
    "zh_cn": "zh",
    "zh-hans": "zh",
    "source": "zh",
    "term": "zh",
    "中文": "zh",
    "en": "en",
    "english": "en",
    "en-us": "en",
    "en-gb": "en",
    "target": "en",
    "translation": "en",
    "英文": "en",
    "category": "category",
    "domain": "category",
    "subject": "category",
    "note": "note",
    "notes": "note",
    "comment": "note",
    "usage": "note",
}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class GlossaryEntry:
    """One policy term: the Chinese term, its accepted English, and where it came from."""

    zh: str
    en: str
    category: str = ""
    note: str = ""  # source of the rendering or usage hint
    origin: str = ""  # "FILE:LINE" the entry was read from
    # Further accepted renderings (the official texts vary); ``en`` is the one we output.
    alternatives: tuple[str, ...] = ()

    @property
    def renderings(self) -> tuple[str, ...]:
        """Every accepted English rendering, the output one (``en``) first."""
        return (self.en, *self.alternatives)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.alternatives:
            out["alternatives"] = list(self.alternatives)
        else:
            del out["alternatives"]
        return out


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class Glossary:
    """An ordered set of entries keyed by match key; later additions override earlier ones."""

    def __init__(self, entries: Iterable[GlossaryEntry] = ()) -> None:
        self._entries: dict[str, GlossaryEntry] = {}
        self._matcher: Any = None
        self.update(entries)

    def add(self, entry: GlossaryEntry) -> None:
        from xyconvert.glossary.normalize import match_key

        key = match_key(entry.zh)
        self._entries.pop(key, None)  # re-insert so overrides sort as their new position
        self._entries[key] = entry
        self._matcher = None

    def update(self, entries: Iterable[GlossaryEntry]) -> None:
        from xyconvert.glossary.normalize import match_keys

        entries = list(entries)
        for key, entry in zip(match_keys([e.zh for e in entries]), entries, strict=True):
            self._entries.pop(key, None)
            self._entries[key] = entry
        self._matcher = None

    def get(self, zh: str) -> GlossaryEntry | None:
        from xyconvert.glossary.normalize import match_key

        return self._entries.get(match_key(zh))

    def __contains__(self, zh: object) -> bool:
        return isinstance(zh, str) and self.get(zh) is not None

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self._entries.values())

    def items(self) -> Iterator[tuple[str, GlossaryEntry]]:
        """(match key, entry) pairs."""
        return iter(self._entries.items())

    def categories(self) -> list[str]:
        seen = dict.fromkeys(e.category for e in self._entries.values())
        return [c for c in seen if c]

    @property
    def matcher(self) -> Any:
        """The compiled :class:`~xyconvert.glossary.matcher.TermMatcher` (built once, on demand)."""
        if self._matcher is None:
            from xyconvert.glossary.matcher import TermMatcher

            self._matcher = TermMatcher(self)
        return self._matcher


# ---------------------------------------------------------------- reading


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableInput(path, f"line {line}: not UTF-8 text") from None


MAX_GLOSSARY_BYTES = 64 * 2**20  # the built-in list is ~100 KB; far larger is not a glossary


def _read_bytes(path: Path) -> bytes:
    import stat

    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            raise UnreadableInput(path, "is not a regular file (a FIFO, device or socket)")
        if st.st_size > MAX_GLOSSARY_BYTES:
            raise UnreadableInput(path, f"too large for a glossary (over {MAX_GLOSSARY_BYTES // 2**20} MB)")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputNotFound(path, "no such file") from None
    except IsADirectoryError:
        raise UnreadableInput(path, "is a directory") from None
    except OSError as exc:
        raise UnreadableInput(path, exc.strerror or str(exc)) from None


def _header_map(names: list[str], line: int, problems: list[Problem]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for i, raw in enumerate(names):
        name = _COLUMN_ALIASES.get(raw.strip().lower())
        if name is None:
            continue  # extra columns are allowed and ignored
        if name in columns:
            problems.append(Problem(line, f"header names the {name} column twice"))
            return None
        columns[name] = i
    missing = [c for c in ("zh", "en") if c not in columns]
    if missing:
        found = ", ".join(n.strip() for n in names) or "nothing"
        problems.append(Problem(line, f"header must name the columns zh and en (found: {found})"))
        return None
    return columns


def _rows_tsv(text: str) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue  # blank lines and comments help hand editing
        yield number, line.split("\t")


def _rows_csv(text: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for row in reader:
            # line_num is the line the record *ended* on; report where it started.
            number, start = start, reader.line_num + 1
            if not any(f.strip() for f in row) or row[0].lstrip().startswith("#"):
                continue
            yield number, row
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, f"malformed CSV: {exc}"))


def _entries_from_rows(
    rows: Iterable[tuple[int, list[str]]], origin: str, problems: list[Problem]
) -> list[GlossaryEntry]:
    from xyconvert.glossary.normalize import match_key

    columns: dict[str, int] | None = None
    width = 0
    entries: list[GlossaryEntry] = []
    first_line: dict[str, int] = {}
    for number, fields in rows:
        if columns is None:
            columns = _header_map(fields, number, problems)
            if columns is None:
                return []
            width = len(fields)
            continue
        if len(fields) > width:
            problems.append(
                Problem(
                    number, f"{len(fields)} fields but the header has {width} (stray tab or comma?)"
                )
            )
            continue
        fields = [f.strip() for f in fields] + [""] * (width - len(fields))
        zh, en = fields[columns["zh"]], fields[columns["en"]]
        category = fields[columns["category"]] if "category" in columns else ""
        note = fields[columns["note"]] if "note" in columns else ""
        if not zh:
            problems.append(Problem(number, "empty zh"))
            continue
        renderings = split_renderings(en)
        if not renderings:
            problems.append(Problem(number, f"empty en for {zh!r}"))
            continue
        if len(set(r.lower() for r in renderings)) < len(renderings):
            problems.append(Problem(number, f"a rendering of {zh!r} is listed twice", "warning"))
        key = match_key(zh)
        if not key:
            problems.append(Problem(number, f"zh {zh!r} has no matchable characters"))
            continue
        if key in first_line:
            problems.append(
                Problem(number, f"duplicate zh {zh!r} (first on line {first_line[key]})")
            )
            continue
        first_line[key] = number
        if not _CJK.search(zh):
            problems.append(Problem(number, f"zh {zh!r} has no Chinese character", "warning"))
        elif len(key) < 2:
            problems.append(
                Problem(number, f"single-character term {zh!r} will match very often", "warning")
            )
        entries.append(
            GlossaryEntry(
                zh, renderings[0], category, note, f"{origin}:{number}", tuple(renderings[1:])
            )
        )
    if columns is None:
        problems.append(Problem(1, "no header line (expected columns zh and en)"))
    return entries


RENDERING_SEPARATOR = "|"


def split_renderings(en: str) -> list[str]:
    """``"letters and visits | complaints"`` -> both renderings, the output one first."""
    return [r.strip() for r in en.split(RENDERING_SEPARATOR) if r.strip()]


def detect_format(path: Path, text: str) -> str:
    """ "tsv", "csv" or "tbx", from the extension, else from the content."""
    ext = path.suffix.lower()
    if ext in (".tsv", ".tab"):
        return "tsv"
    if ext == ".csv":
        return "csv"
    if ext in (".tbx", ".xml"):
        return "tbx"
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return "tbx"
    first = next((ln for ln in head.split("\n") if ln.strip() and not ln.startswith("#")), "")
    return "tsv" if "\t" in first else "csv"


def check_glossary_file(path: Path | str) -> tuple[list[GlossaryEntry], list[Problem]]:
    """Read a TSV, CSV or TBX glossary, collecting every problem instead of stopping.

    Raises only when the file cannot be read at all (missing, not UTF-8).
    """
    path = Path(path)
    data = _read_bytes(path)
    if path.suffix.lower() in (".tbx", ".xml") or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(
        b"<"
    ):
        from xyconvert.glossary.tbx import parse_tbx

        return parse_tbx(data, origin=path.name)
    text = _decode(path, data)
    problems: list[Problem] = []
    fmt = detect_format(path, text)
    rows = _rows_tsv(text) if fmt == "tsv" else _rows_csv(text, problems)
    entries = _entries_from_rows(rows, path.name, problems)
    problems.sort(key=lambda p: p.line)
    return entries, problems


def read_glossary_file(path: Path | str) -> list[GlossaryEntry]:
    """Read a glossary file; the first error raises ``UnreadableInput(path, "line N: …")``."""
    entries, problems = check_glossary_file(path)
    raise_for_errors(path, problems)
    return entries


def raise_for_errors(path: Path | str, problems: Iterable[Problem]) -> None:
    """Raise ``UnreadableInput(path, "line N: …")`` for the first error, if any."""
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise UnreadableInput(path, f"{errors[0]}{more}")


# ---------------------------------------------------------------- built-in and merging


def builtin_path() -> Path:
    """Where the built-in glossary lives: ``glossary/policy_terms.tsv`` in the source tree,
    or ``xyconvert/glossary/data/policy_terms.tsv`` when packaged."""
    here = Path(__file__).resolve().parent
    candidates = [
        here / "data" / "policy_terms.tsv",
        here.parents[1] / "glossary" / "policy_terms.tsv",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return candidates[-1]


@functools.lru_cache(maxsize=4)
def _builtin_entries(path: Path) -> tuple[GlossaryEntry, ...]:
    return tuple(read_glossary_file(path))


def load_builtin() -> Glossary:
    """The built-in policy-term glossary (a fresh Glossary; parsing is cached)."""
    path = builtin_path()
    if not path.is_file():
        raise UnreadableInput(path, "built-in glossary not found (broken installation?)")
    return Glossary(_builtin_entries(path))


def load_glossary(paths: Iterable[Path | str] = (), *, builtin: bool = True) -> Glossary:
    """Built-in glossary (unless ``builtin=False``) overridden by each user file in order."""
    glossary = load_builtin() if builtin else Glossary()
    for path in paths:
        glossary.update(read_glossary_file(path))
    return glossary


# ---------------------------------------------------------------- writing


def _cell(value: str) -> str:
    # TSV has no quoting: tabs and line breaks inside a field become spaces.
    return " ".join(value.replace("\t", " ").split())


def format_tsv(entries: Iterable[GlossaryEntry]) -> str:
    lines = ["zh\ten\tcategory\tnote"]
    lines += [
        "\t".join(_cell(v) for v in (e.zh, " | ".join(e.renderings), e.category, e.note))
        for e in entries
    ]
    return "\n".join(lines) + "\n"


def write_tsv(entries: Iterable[GlossaryEntry], path: Path | str) -> None:
    """Write entries as a glossary TSV, atomically."""
    from xyconvert.atomic import write_text
    from xyconvert.errors import OutputError

    path = Path(path)
    try:
        write_text(path, format_tsv(entries))
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from None
