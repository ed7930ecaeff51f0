"""XLIFF 1.2 for translators' CAT tools (OmegaT, Trados, memoQ …): ``<stem>.xlf``.

Why 1.2: it is the XLIFF every CAT tool reads (OmegaT's Okapi filter, Trados,
memoQ, Phrase), and its ``<alt-trans>`` carries a TM match with its score.

Layout::

    <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
     <file original="report.txt" source-language="zh-CN" target-language="en" datatype="plaintext">
      <header>
       <skl><internal-file form="application/json">{the document model}</internal-file></skl>
       <tool tool-id="xyconvert" tool-name="xyconvert" tool-version="…"/>
      </header>
      <body>
       <group id="b3" restype="x-heading" resname="level-2">     one group per block
        <trans-unit id="b3.s1">                                 one unit per sentence
         <source xml:lang="zh-CN">…</source>
         <target xml:lang="en" state="translated">…</target>    TM exact: translated;
         <note from="xyconvert">tm-exact 1.0 GR2014.tmx:12</note>    TM fuzzy / MT: needs-review-translation
         <note from="glossary">乡村振兴 = rural revitalization</note>
         <alt-trans match-quality="92" origin="GR2014.tmx:40">…</alt-trans>   fuzzy matches
        </trans-unit>

The skeleton holds the document model (``Document.to_dict()``, JSON) so that
importing the reviewed file (:mod:`xyconvert.readers.xliff`) rebuilds the English
with the document's structure; tables are kept there and not offered for
translation. Sentences without a TM or MT translation have no ``<target>``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from xyconvert.model import Document

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SOURCE_LANG = "zh-CN"
TARGET_LANG = "en"
STATES = {
    "tm-exact": "translated",
    "tm-fuzzy": "needs-review-translation",
    "mt": "needs-review-translation",
}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _restype(block: Any) -> tuple[str, str | None]:
    if block.type == "heading":
        return "x-heading", f"level-{block.level}"
    return f"x-{block.type.replace('_', '-')}", None


def _sentence_units(doc: Document) -> list[Any]:
    """Sentences of every non-table block, when nothing was translated."""
    from xyconvert.tm.apply import Sentence
    from xyconvert.translate.sentences import split_segments

    out = []
    for index, block in enumerate(doc.blocks):
        if block.type == "table":
            continue
        for seg in split_segments(block.text, max_chars=10**9):
            out.append(Sentence(index, seg.start, seg.end, seg.text, "untranslated"))
    return out


def xliff_tree(doc: Document, sentences: Sequence[Any] | None, glossary: Any = None) -> ET.Element:
    from xyconvert import __version__

    if sentences is None:
        sentences = _sentence_units(doc)
    ET.register_namespace("", NS)
    root = ET.Element(_q("xliff"), {"version": "1.2"})
    file = ET.SubElement(
        root,
        _q("file"),
        {
            "original": doc.metadata.source_name or "document",
            "source-language": SOURCE_LANG,
            "target-language": TARGET_LANG,
            "datatype": "plaintext",
        },
    )
    header = ET.SubElement(file, _q("header"))
    skl = ET.SubElement(header, _q("skl"))
    internal = ET.SubElement(skl, _q("internal-file"), {"form": "application/json"})
    internal.text = json.dumps(doc.to_dict(), ensure_ascii=False)
    ET.SubElement(
        header,
        _q("tool"),
        {"tool-id": "xyconvert", "tool-name": "xyconvert", "tool-version": __version__},
    )
    body = ET.SubElement(file, _q("body"))
    by_block: dict[int, list[Any]] = {}
    for s in sentences:
        by_block.setdefault(s.block, []).append(s)
    matcher = glossary.matcher if glossary is not None else None
    for index, block in enumerate(doc.blocks):
        units = by_block.get(index)
        if block.type == "table" or not units:
            continue
        restype, resname = _restype(block)
        attrs = {"id": f"b{index}", "restype": restype}
        if resname:
            attrs["resname"] = resname
        group = ET.SubElement(body, _q("group"), attrs)
        for n, s in enumerate(units, 1):
            _unit(group, f"b{index}.s{n}", s, matcher)
    return root


def _unit(group: ET.Element, uid: str, s: Any, matcher: Any) -> None:
    unit = ET.SubElement(group, _q("trans-unit"), {"id": uid})
    source = ET.SubElement(unit, _q("source"), {XML_LANG: SOURCE_LANG})
    source.text = s.source
    state = STATES.get(s.origin)
    if state and s.english:
        target = ET.SubElement(unit, _q("target"), {XML_LANG: TARGET_LANG, "state": state})
        qualifier = {"tm-exact": "exact-match", "tm-fuzzy": "fuzzy-match"}.get(s.origin)
        target.set("state-qualifier", qualifier or "mt-suggestion")
        target.text = s.english
    origin = s.origin
    if s.score is not None:
        origin += f" {s.score:.2f}"
    if s.tm_origin:
        origin += f" {s.tm_origin}"
    ET.SubElement(unit, _q("note"), {"from": "xyconvert"}).text = origin
    if matcher is not None:
        seen: set[str] = set()
        for _s, _e, entry in matcher.find(s.source):
            if entry.zh in seen:
                continue
            seen.add(entry.zh)
            also = f" (also: {'; '.join(entry.alternatives)})" if entry.alternatives else ""
            ET.SubElement(unit, _q("note"), {"from": "glossary"}).text = f"{entry.zh} = {entry.en}{also}"
    if s.origin == "tm-fuzzy" and s.tm_source:
        alt = ET.SubElement(
            unit, _q("alt-trans"),
            {"match-quality": str(round((s.score or 0) * 100)), "origin": s.tm_origin or "tm"},
        )
        ET.SubElement(alt, _q("source"), {XML_LANG: SOURCE_LANG}).text = s.tm_source
        ET.SubElement(alt, _q("target"), {XML_LANG: TARGET_LANG}).text = s.tm_english or s.english


def xliff_bytes(doc: Document, sentences: Sequence[Any] | None, glossary: Any = None) -> bytes:
    root = xliff_tree(doc, sentences, glossary)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
