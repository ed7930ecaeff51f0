"""Which files a directory contributes to a batch, never our own outputs.

``xyconvert convert .`` writes into ``.`` by default, so a second run would read
``report.zh.md`` back and make ``report.zh.zh.md``. A walked directory skips:
files any xyconvert manifest lists as outputs (the manifest of OUT and one found
in the file's own directory), and the OUT tree when OUT lies inside the walked
directory. Files named on the command line are always taken; so is ``report.zh.md`` unless
a ``report.*`` input stands next to it (then it is an earlier run's output).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

MANIFEST = ".xyconvert-manifest.json"
INPUT_SUFFIXES = {".txt", ".text", ".pdf", ".md", ".docx"}
# Names xyconvert gives its outputs: ``<stem>`` + one of these.
OUTPUT_SUFFIXES = (
    ".zh.md", ".zh.txt", ".zh.docx", ".zh.html", ".en.md", ".en.docx",
    ".bilingual.md", ".bilingual.docx", ".bilingual.html", ".brief.md", ".brief.docx",
)


def collect_inputs(items: Iterable[Path], outdir: Path | None = None) -> list[Path]:
    """Files as given; directories contribute their .txt/.pdf/.md/.docx files (sorted, recursive)."""
    out_resolved = _resolve(outdir) if outdir is not None else None
    known: dict[Path, set[Path]] = {}  # directory -> outputs its manifest lists
    if out_resolved is not None:
        known[out_resolved] = manifest_outputs(out_resolved)
    result: list[Path] = []
    walked: list[Path] = []
    for item in items:
        if not item.is_dir():
            result.append(item)
            continue
        root = _resolve(item)
        skip_tree = out_resolved if out_resolved is not None and out_resolved != root and _under(
            out_resolved, root
        ) else None
        for p in sorted(item.rglob("*")):
            if not p.is_file() or p.suffix.lower() not in INPUT_SUFFIXES or p.name.startswith("."):
                continue
            if p.name.startswith("~$"):  # Word's lock file next to an open document
                continue
            resolved = _resolve(p)
            if skip_tree is not None and _under(resolved, skip_tree):
                continue
            folder = resolved.parent
            if folder not in known:
                known[folder] = manifest_outputs(folder)
            if resolved in known[folder] or (out_resolved is not None and resolved in known[out_resolved]):
                continue
            result.append(p)
            walked.append(p)
    earlier = {p for p in walked if _sibling_output(p, walked)}
    return [p for p in result if p not in earlier]


def _sibling_output(path: Path, candidates: list[Path]) -> bool:
    """``report.zh.md`` next to ``report.pdf``: an output of an earlier run (the manifest may
    no longer list it when that run asked for other formats)."""
    name = path.name
    for suffix in OUTPUT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return any(
                c.parent == path.parent and c != path and c.name[: -len(c.suffix) or None] == stem
                for c in candidates
            )
    return False


def manifest_outputs(folder: Path) -> set[Path]:
    """The output files (resolved paths) the manifest in ``folder`` lists, if there is one."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        entries = data.get("entries", {}) if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return set()
    if not isinstance(entries, dict):  # a wrong-shaped manifest lists nothing
        return set()
    names: set[Path] = set()
    for entry in entries.values():
        if isinstance(entry, dict):
            for key in ("outputs", "earlier_outputs"):  # a wrong-shaped entry lists nothing
                listed = entry.get(key)
                if isinstance(listed, dict):
                    names.update(_resolve(folder / str(name)) for name in listed)
    return names


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def tree_stems(items: Iterable[Path], paths: list[Path]) -> dict[Path, str]:
    """``--keep-tree``: each file found in a directory INPUT gets the output stem
    ``sub/dir/name`` (its place under that INPUT), so ``a/report.txt`` and
    ``b/report.pdf`` do not collide. Files named directly keep their plain stem."""
    roots = [item for item in items if item.is_dir()]
    out: dict[Path, str] = {}
    for p in paths:
        for root in roots:
            try:
                rel = p.relative_to(root)
            except ValueError:
                continue
            parts = [*rel.parent.parts, rel.name[: -len(rel.suffix)] if rel.suffix else rel.name]
            if all(part not in ("", ".", "..") for part in parts):
                out[p] = "/".join(parts)
            break
    return out
