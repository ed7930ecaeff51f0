"""Import a reviewed XLIFF 1.2 file (as written by :mod:`xyconvert.writers.xliff`).

Returns the document (from the skeleton's document model, so headings, levels,
lists and tables come back as they were) and one English text per block: the
``<target>`` of each unit joined in order. A unit without a target (or with an
empty one) contributes ``[untranslated: 原文]`` and is counted, so nothing is
dropped silently. Without a skeleton (a tool stripped it) the blocks are rebuilt
from the groups' ``restype``/``resname`` and the sources.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from xyconvert.errors import InputNotFound, UnreadableInput
from xyconvert.model import Block, Document, Metadata

NS = "urn:oasis:names:tc:xliff:document:1.2"
_Q = f"{{{NS}}}"


@dataclass
class XliffImport:
    document: Document
    english: list[str | None]
    units: int = 0
    translated: int = 0  # units with a non-empty target
    states: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # ids of units without a target


def _text(el: ET.Element | None) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


def read_xliff(path: Path | str) -> XliffImport:
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(path, "XLIFF file not found")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise UnreadableInput(path, f"line {line}: not well-formed XML") from None
    if root.tag != f"{_Q}xliff" or root.get("version") != "1.2":
        raise UnreadableInput(path, "not an XLIFF 1.2 file (<xliff version=\"1.2\"> in its namespace)")
    file = root.find(f"{_Q}file")
    if file is None:
        raise UnreadableInput(path, "XLIFF without a <file> element")
    doc = _skeleton(path, file)
    groups = file.findall(f"{_Q}body/{_Q}group")
    if doc is None:
        doc = _from_groups(file, groups)
    result = XliffImport(doc, [None] * len(doc.blocks))
    for group in groups:
        m = re.fullmatch(r"b(\d+)", group.get("id", ""))
        if not m or int(m.group(1)) >= len(doc.blocks):
            raise UnreadableInput(path, f"group id {group.get('id')!r} names no block of the document")
        index = int(m.group(1))
        pieces = []
        for unit in group.findall(f"{_Q}trans-unit"):
            result.units += 1
            target = unit.find(f"{_Q}target")
            english = _text(target)
            if english:
                result.translated += 1
                state = target.get("state", "") if target is not None else ""
                result.states[state] = result.states.get(state, 0) + 1
                pieces.append(english)
            else:
                result.missing.append(unit.get("id", ""))
                pieces.append(f"[untranslated: {_text(unit.find(f'{_Q}source'))}]")
        result.english[index] = " ".join(pieces)
    for index, block in enumerate(doc.blocks):
        if result.english[index] is None and block.type != "table":
            result.english[index] = f"[untranslated: {block.text}]" if block.text else ""
    return result


def _skeleton(path: Path, file: ET.Element) -> Document | None:
    internal = file.find(f"{_Q}header/{_Q}skl/{_Q}internal-file")
    if internal is None or not (internal.text or "").strip():
        return None
    try:
        return Document.from_dict(json.loads(internal.text or ""))
    except (ValueError, KeyError, TypeError) as exc:
        raise UnreadableInput(path, f"skeleton is not an xyconvert document model ({exc})") from None


def _from_groups(file: ET.Element, groups: list[ET.Element]) -> Document:
    meta = Metadata(source_name=file.get("original"))
    count = 0
    for group in groups:
        m = re.fullmatch(r"b(\d+)", group.get("id", ""))
        if m:
            count = max(count, int(m.group(1)) + 1)
    blocks = [Block("paragraph", "") for _ in range(count)]
    for group in groups:
        m = re.fullmatch(r"b(\d+)", group.get("id", ""))
        if not m:
            continue
        kind = (group.get("restype") or "x-paragraph").removeprefix("x-").replace("-", "_")
        level = 0
        lm = re.fullmatch(r"level-(\d+)", group.get("resname") or "")
        if lm:
            level = int(lm.group(1))
        text = "".join(_text(u.find(f"{_Q}source")) for u in group.findall(f"{_Q}trans-unit"))
        if kind not in ("title", "heading", "paragraph", "list_item"):
            kind = "paragraph"
        blocks[int(m.group(1))] = Block(kind, text, level=level)  # type: ignore[arg-type]
    meta.title = next((b.text for b in blocks if b.type == "title"), None)
    return Document(meta, blocks)
