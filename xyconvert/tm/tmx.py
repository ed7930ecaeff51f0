"""Reading TMX (Translation Memory eXchange) files: Chinese–English segment pairs.

TMX 1.4: ``<tmx><body><tu><tuv xml:lang="zh-CN"><seg>…</seg></tuv><tuv xml:lang="en-US">…``.
Languages are matched by prefix (``zh``, ``zh-CN``, ``ZH-hans`` are Chinese; ``en*``
English), TMX 1.1's ``lang`` attribute is accepted too, and inline markup inside
``<seg>`` (``<ph>``, ``<bpt>``, ``<hi>``…) contributes its text. Units lacking
either side are skipped. The stdlib parser is enough and never resolves external
entities.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from xyconvert.errors import InputNotFound, UnreadableInput

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class TMUnit:
    """One aligned segment pair of a translation memory."""

    zh: str
    en: str
    origin: str  # "FILE:N", N the 1-based number of the <tu> in its file


def _seg_text(seg: ET.Element) -> str:
    return " ".join("".join(seg.itertext()).split())


def _lang(tuv: ET.Element) -> str:
    return (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower()


def read_tmx(path: Path | str, source: str = "zh", target: str = "en") -> list[TMUnit]:
    """The (source, target) pairs of a TMX file, in file order.

    Raises InputNotFound / UnreadableInput (with the line of a syntax error).
    """
    path = Path(path)
    if not path.is_file():
        raise InputNotFound(path, "translation memory not found")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise UnreadableInput(path, f"line {line}: not well-formed XML ({exc.msg if hasattr(exc, 'msg') else exc})") from None
    except OSError as exc:
        raise UnreadableInput(path, exc.strerror or str(exc)) from None
    if root.tag.rsplit("}", 1)[-1] != "tmx":
        raise UnreadableInput(path, f"not a TMX file (root element <{root.tag}>)")
    units: list[TMUnit] = []
    for number, tu in enumerate(root.iter("tu"), 1):
        sides: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = _lang(tuv)
            seg = tuv.find("seg")
            if seg is None:
                continue
            for want in (source, target):
                if lang == want or lang.startswith(want + "-") or lang.startswith(want + "_"):
                    sides.setdefault(want, _seg_text(seg))
        zh, en = sides.get(source, ""), sides.get(target, "")
        if zh and en:
            units.append(TMUnit(zh, en, f"{path.name}:{number}"))
    if not units:
        raise UnreadableInput(path, f"no {source}–{target} segment pairs in this TMX file")
    return units
