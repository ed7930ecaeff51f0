"""TBX (TermBase eXchange) import: zh→en pairs from TBX 2008 and TBX v3 files.

Supported shapes (namespace prefixes are ignored):

* TBX-Basic / TBX 2008: ``martif/text/body/termEntry/langSet[@xml:lang]/tig/term``
  (or ``ntig/termGrp/term``)
* TBX v3: ``tbx/text/body/conceptEntry/langSec[@xml:lang]/termSec/term``

Languages: any ``zh``/``cmn`` tag (zh, zh-CN, zh-Hans, zh-TW, zh-Hant …) gives Chinese
terms, any ``en`` tag (en, en-US, en-GB …) the English. Every Chinese term of an entry
maps to its first English term that is not deprecated. ``descrip type="subjectField"``
becomes the category, a ``definition``/``note`` the note.

Parsed with the standard library's expat with defusedxml-style safety: any entity
declaration (billion laughs, external entities) is refused and external DTDs and
parameter entities are never loaded. We build a tiny tree ourselves because
ElementTree does not keep line numbers, and problems must name their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from xyconvert.glossary.entries import GlossaryEntry, Problem
from xyconvert.glossary.normalize import match_key

_DEPRECATED = ("deprecated", "superseded", "notrecommended", "obsolete")


@dataclass
class _Node:
    tag: str  # local name, namespace prefix removed
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # own text and children's, in order

    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    def iter(self, *tags: str):
        # Depth-first, document order, without recursion (nesting is bounded, but
        # a generator chain per level would still be slow).
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if node.tag in tags:
                yield node
            stack.extend(reversed(node.children))

    @property
    def lang(self) -> str:
        return (self.attrs.get("xml:lang") or self.attrs.get("lang") or "").strip()


class _Forbidden(Exception):
    pass


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


MAX_DEPTH = 100  # real TBX nests ~6 deep; far deeper is an attack, refused with a line number
_EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
_DECLARED = re.compile(rb"""^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _as_expat_input(data: bytes) -> bytes:
    """Re-encode a document declared in an encoding expat lacks (GBK, GB18030, Big5) as UTF-8."""
    m = _DECLARED.match(data[:512])
    if not m or m.group(1) or m.group(2).decode().lower() in _EXPAT_ENCODINGS:
        return data
    name = m.group(2).decode()
    try:
        text = data.decode(name)
    except LookupError:
        raise _TbxError(1, f"unknown encoding {name!r} in the XML declaration") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _TbxError(line, f"not valid {name} text") from None
    start, end = m.span(2)
    # The declaration is ASCII, so its bytes and characters line up.
    return (data[:start].decode("ascii") + "UTF-8" + text[end:]).encode("utf-8")


def _parse_tree(data: bytes) -> _Node:
    data = _as_expat_input(data)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = []
    root: list[_Node] = []

    def forbid(*_args: object) -> None:
        raise _Forbidden("entity declarations are not allowed in glossary files")

    def start(name: str, attrs: dict[str, str]) -> None:
        if len(stack) >= MAX_DEPTH:
            raise _Forbidden(f"elements nested more than {MAX_DEPTH} deep")
        node = _Node(
            _local(name),
            {k if k == "xml:lang" else _local(k): v for k, v in attrs.items()},
            parser.CurrentLineNumber,
        )
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        node = stack.pop()
        if stack:
            stack[-1].parts.extend(node.parts)

    def chars(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    try:
        parser.Parse(data, True)
    except _Forbidden as exc:
        raise _TbxError(parser.CurrentLineNumber, str(exc)) from None
    except expat.ExpatError as exc:
        raise _TbxError(exc.lineno, f"malformed XML: {expat.ErrorString(exc.code)}") from None
    except ValueError as exc:  # e.g. an encoding expat cannot handle
        raise _TbxError(parser.CurrentLineNumber or 1, f"cannot parse: {exc}") from None
    return root[0]


class _TbxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _is_zh(lang: str) -> bool:
    lang = lang.lower().replace("_", "-")
    return lang in ("zh", "cmn") or lang.startswith(("zh-", "cmn-"))


def _zh_preference(lang: str) -> int:
    lang = lang.lower().replace("_", "-")
    if lang in ("zh", "cmn", "zh-cn", "zh-hans", "zh-sg", "zh-hans-cn", "cmn-hans"):
        return 0
    return 1


def _is_en(lang: str) -> bool:
    lang = lang.lower().replace("_", "-")
    return lang == "en" or lang.startswith("en-")


def _deprecated(term_holder: _Node) -> bool:
    for note in term_holder.iter("termNote"):
        if note.attrs.get("type") == "administrativeStatus":
            status = note.text().lower().replace("-", "").replace(" ", "")
            if status.startswith(_DEPRECATED):
                return True
    return False


def _terms(lang_group: _Node) -> list[tuple[str, int, bool]]:
    """(term, line, deprecated) for each term of a langSet/langSec."""
    out = []
    holders = list(lang_group.iter("tig", "ntig", "termSec"))
    if not holders:  # TBX-Min style: <term> directly under the language group
        holders = [lang_group]
    for holder in holders:
        deprecated = _deprecated(holder)
        for term in holder.iter("term"):
            out.append((term.text(), term.line, deprecated))
    return out


def parse_tbx(data: bytes, origin: str = "") -> tuple[list[GlossaryEntry], list[Problem]]:
    """Entries and problems of a TBX document (problems carry line numbers)."""
    try:
        root = _parse_tree(data)
    except _TbxError as exc:
        return [], [Problem(exc.line, exc.message)]
    if root.tag not in ("martif", "tbx"):
        return [], [
            Problem(
                root.line, f"not a TBX file: root element <{root.tag}>, expected <martif> or <tbx>"
            )
        ]

    problems: list[Problem] = []
    entries: list[GlossaryEntry] = []
    first_line: dict[str, int] = {}
    concepts = list(root.iter("termEntry", "conceptEntry"))
    if not concepts:
        problems.append(Problem(root.line, "no <termEntry> or <conceptEntry> elements"))
    for concept in concepts:
        category = next(
            (d.text() for d in concept.iter("descrip") if d.attrs.get("type") == "subjectField"), ""
        )
        note = next(
            (
                d.text()
                for d in concept.iter("descrip", "note")
                if d.tag == "note" or d.attrs.get("type") == "definition"
            ),
            "",
        )
        zh_terms: list[tuple[int, str, int]] = []  # (script preference, term, line)
        en_terms: list[str] = []
        for group in concept.iter("langSet", "langSec"):
            if not group.lang:
                problems.append(Problem(group.line, f"<{group.tag}> without xml:lang"))
                continue
            for term, line, deprecated in _terms(group):
                if not term:
                    problems.append(Problem(line, "empty <term>"))
                elif _is_zh(group.lang) and not deprecated:
                    zh_terms.append((_zh_preference(group.lang), term, line))
                elif _is_en(group.lang) and not deprecated:
                    en_terms.append(term)
        if not zh_terms or not en_terms:
            missing = "Chinese" if not zh_terms else "English"
            problems.append(
                Problem(concept.line, f"<{concept.tag}> has no {missing} term; skipped", "warning")
            )
            continue
        # zh-TW 鄉村振興 and zh-CN 乡村振兴 are one term to the matcher: keep the
        # simplified spelling (sorted first), drop its variants.
        seen_keys: set[str] = set()
        for _pref, zh, line in sorted(zh_terms, key=lambda t: t[0]):
            key = match_key(zh)
            if key in seen_keys:
                continue
            seen_keys.add(key)
            if zh in first_line:
                problems.append(
                    Problem(
                        line,
                        f"zh {zh!r} repeats line {first_line[zh]}; the later entry wins",
                        "warning",
                    )
                )
            first_line[zh] = line
            # Further English terms of the concept are accepted alternatives.
            alternatives = tuple(dict.fromkeys(t for t in en_terms[1:] if t != en_terms[0]))
            entries.append(
                GlossaryEntry(zh, en_terms[0], category, note, f"{origin}:{line}", alternatives)
            )
    return entries, problems
