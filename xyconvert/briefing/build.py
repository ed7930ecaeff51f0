"""Assemble the briefing data (:class:`BriefData`) from a repaired Document.

Everything factual (numbers, units, growth rates, glossary terms, names) is taken
from the Chinese text by rule; MT is used only for running text (outline headings
the glossary can't cover, the section summaries), and only when a zh→en model is
installed. Without one the briefing is complete except for those texts, which are
kept in Chinese and marked "(untranslated)", with a note on how to install a model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xyconvert import __version__
from xyconvert.briefing.header import Header, build_header, title_case, untranslated
from xyconvert.briefing.indicators import (
    RESULT,
    TARGET,
    Indicator,
    extract_document,
    headline_blocks,
    report_years,
)

if TYPE_CHECKING:
    from xyconvert.glossary import Glossary
    from xyconvert.model import Document

Translate = Callable[[Sequence[str]], list[str]]

SCHEMA_VERSION = 1
INSTALL_NOTE = (
    "No zh→en translation model is installed, so section summaries and headings the "
    "glossary does not cover are left in Chinese. Install one with "
    "`xyconvert models install FILE.argosmodel` (an Argos Translate zh→en package) "
    "and run `xyconvert brief` again."
)
METHOD_NOTE = (
    "Figures, units, growth rates and policy terms are extracted from the Chinese text "
    "by rule and rendered exactly; they are not machine-translated."
)


@dataclass
class Row:
    """One line of the key-indicator table: an indicator's result and target side by side."""

    key: str
    en: str | None
    zh: str
    result: Indicator | None = None
    target: Indicator | None = None

    def to_dict(self) -> dict[str, Any]:
        def fig(ind: Indicator | None) -> dict[str, Any] | None:
            if ind is None:
                return None
            return {
                "zh": ind.zh,
                "year": ind.year,
                "value": ind.value.english if ind.value else None,
                "growth": ind.growth.signed if ind.growth else None,
                "block": ind.block,
                "start": ind.start,
                "end": ind.end,
            }

        return {
            "indicator": self.en,
            "zh": self.zh,
            "result": fig(self.result),
            "target": fig(self.target),
        }


@dataclass
class OutlineItem:
    block: int
    level: int
    zh: str
    en: str
    source: str  # "glossary", "rule", "mt", "untranslated"

    def to_dict(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "level": self.level,
            "zh": self.zh,
            "en": self.en,
            "source": self.source,
        }


@dataclass
class TermUse:
    zh: str
    en: str
    category: str
    count: int
    first_block: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "zh": self.zh,
            "en": self.en,
            "category": self.category,
            "count": self.count,
            "first_block": self.first_block,
        }


@dataclass
class Summary:
    heading_block: int
    heading_en: str
    block: int
    zh: str
    en: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading_block": self.heading_block,
            "heading": self.heading_en,
            "block": self.block,
            "zh": self.zh,
            "en": self.en,
        }


@dataclass
class BriefData:
    header: Header
    result_year: int | None
    target_year: int | None
    headline: dict[str, int | None]  # RESULT/TARGET → block index of the headline paragraph
    rows: list[Row]
    indicators: list[Indicator]  # every indicator found in the document
    outline: list[OutlineItem]
    terms: list[TermUse]
    summaries: list[Summary]
    translated: bool  # a model was used
    notes: list[str] = field(default_factory=list)
    source_name: str | None = None
    source_sha256: str | None = None
    tool_version: str = __version__

    headline_texts: dict[str, str] = field(default_factory=dict)

    def headline_text(self, period: str, chars: int = 14) -> str:
        """The opening words of a headline paragraph, to show readers where figures come from."""
        text = self.headline_texts.get(period, "")
        return text[:chars] + ("…" if len(text) > chars else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "xyconvert-brief",
            "source_name": self.source_name,
            "source_sha256": self.source_sha256,
            "tool_version": self.tool_version,
            "header": self.header.to_dict(),
            "result_year": self.result_year,
            "target_year": self.target_year,
            "headline_blocks": dict(self.headline),
            "table": [r.to_dict() for r in self.rows],
            "indicators": [i.to_dict() for i in self.indicators],
            "outline": [o.to_dict() for o in self.outline],
            "terms": [t.to_dict() for t in self.terms],
            "summaries": [s.to_dict() for s in self.summaries],
            "translated": self.translated,
            "notes": list(self.notes),
        }


# ------------------------------------------------------------------ pieces


def _english_name(zh: str, glossary: Glossary | None) -> str | None:
    if glossary is None:
        return None
    entry = glossary.get(zh)
    return entry.en if entry is not None else None


def key_rows(indicators: list[Indicator], headline: dict[str, int | None]) -> list[Row]:
    """Rows for the headline paragraphs: results in report order, then targets not yet paired."""
    rows: dict[str, Row] = {}
    for period in (RESULT, TARGET):
        block = headline.get(period)
        for ind in indicators:
            if ind.block != block or ind.period != period:
                continue
            ind.headline = True
            row = rows.get(ind.key)
            if row is None:
                row = rows[ind.key] = Row(ind.key, ind.en, ind.zh)
            if getattr(row, period) is None:
                setattr(row, period, ind)
            if row.en is None:
                row.en = ind.en
            if period == TARGET and row.result is not None and ind.zh != row.result.zh:
                # 固定资产投资 vs 固定资产投资（不含农户）: say how the target is defined
                row.zh = f"{row.result.zh} / {ind.zh}"
                row.en = _target_variant(row.en, ind.en)
    return list(rows.values())


def _target_variant(result_en: str | None, target_en: str | None) -> str | None:
    """'fixed-asset investment' + 'fixed-asset investment (excluding rural households)'
    → 'fixed-asset investment; target excluding rural households'."""
    if not result_en or not target_en or result_en == target_en:
        return result_en or target_en
    rest = target_en[len(result_en) :].strip() if target_en.startswith(result_en) else ""
    if rest.startswith("(") and rest.endswith(")"):
        return f"{result_en}; target {rest[1:-1]}"
    return f"{result_en} (target: {target_en})"


_HEADING_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})年(?:政府)?工作回顾$"), "Review of Our Work in {0}"),
    (re.compile(r"^过去一年(?:政府)?工作回顾$"), "Review of Our Work in the Past Year"),
    (re.compile(r"^过去五年(?:政府)?工作回顾$"), "Review of Our Work in the Past Five Years"),
    (re.compile(r"^(\d{4})年(?:政府工作|重点工作|工作)(?:任务|安排)$"), "Major Tasks for {0}"),
    (re.compile(r"^(\d{4})年(?:经济社会发展)?(?:的)?(?:主要)?(?:预期)?目标(?:任务)?$"), "Targets for {0}"),
)


def _heading_rule(text: str, glossary: Glossary | None) -> tuple[str, str] | None:
    for pattern, template in _HEADING_RULES:
        m = pattern.match(text)
        if m:
            return template.format(*m.groups()), "rule"
    en = _english_name(text, glossary)
    if en:
        return title_case(en), "glossary"
    return None


def outline(doc: Document, glossary: Glossary | None) -> list[tuple[OutlineItem, str]]:
    """Level-2/3 headings with their English by rule or glossary; the rest pending MT.

    Returns (item, text to translate) pairs; text is "" when the item is done.
    """
    from xyconvert.translate.engine import english_marker

    out = []
    for bi, b in enumerate(doc.blocks):
        if b.type != "heading" or b.level not in (2, 3):
            continue
        marker, rest = english_marker(b.text)
        rest = rest.strip().rstrip("。；;")
        ruled = _heading_rule(rest, glossary)
        if ruled is not None:
            en, how = ruled
            out.append((OutlineItem(bi, b.level, b.text, f"{marker} {en}".strip(), how), ""))
        else:
            out.append((OutlineItem(bi, b.level, b.text, marker, "untranslated"), rest))
    return out


def term_uses(doc: Document, glossary: Glossary) -> list[TermUse]:
    """Glossary terms used, most frequent first (ties: first appearance)."""
    from xyconvert.glossary import match_document

    uses: dict[str, TermUse] = {}
    for m in match_document(doc, glossary):
        use = uses.get(m.entry.zh)
        if use is None:
            uses[m.entry.zh] = TermUse(m.entry.zh, m.entry.en, m.entry.category, 1, m.block)
        else:
            use.count += 1
    return sorted(uses.values(), key=lambda u: (-u.count, u.first_block, u.zh))


def section_openings(doc: Document) -> list[tuple[int, int]]:
    """(heading block, first paragraph block) of each level-2 section."""
    out = []
    blocks = doc.blocks
    for hi, b in enumerate(blocks):
        if b.type != "heading" or b.level != 2:
            continue
        for pi in range(hi + 1, len(blocks)):
            nb = blocks[pi]
            if nb.type == "heading":
                break
            if nb.type == "paragraph" and nb.text.strip():
                out.append((hi, pi))
                break
    return out


# ------------------------------------------------------------------ build


def build_brief(
    doc: Document,
    glossary: Glossary,
    translate: Translate | None = None,
) -> BriefData:
    """The briefing of ``doc``. ``translate`` (list of Chinese → list of English) is
    used for what rules and the glossary leave open; None means no model."""
    meta = doc.metadata
    title_block = doc.title
    header = build_header(meta, title_block.text if title_block else meta.title, glossary, None)

    indicators = extract_document(doc, glossary)
    pending_names = []
    for ind in indicators:
        ind.en = _english_name(ind.zh, glossary)
        if ind.en is None:
            base = _english_name(ind.key, glossary)  # 固定资产投资（…）→ its base term
            ind.en = base
        ind.en_source = "glossary" if ind.en else None
        if ind.en is None:
            pending_names.append(ind)
    headline = headline_blocks(doc, indicators)
    rows = key_rows(indicators, headline)  # also marks the headline indicators
    years = report_years(doc)

    items = outline(doc, glossary)
    terms = term_uses(doc, glossary)
    openings = section_openings(doc)

    # One MT call for everything that needs it (the engine batches and caches).
    translated = translate is not None
    if translate is not None:
        queue: list[str] = []
        header_pending = _header_pending(header)
        queue += [zh for _, zh in header_pending]
        name_inds = [i for i in pending_names if i.headline]  # only the table needs them
        queue += [i.zh for i in name_inds]
        outline_pending = [(item, zh) for item, zh in items if zh]
        queue += [zh for _, zh in outline_pending]
        queue += [doc.blocks[pi].text for _, pi in openings]
        english = translate(queue) if queue else []
        pos = 0
        for attr, _zh in header_pending:
            _set_header(header, attr, english[pos])
            pos += 1
        for ind in name_inds:
            if english[pos]:
                ind.en, ind.en_source = english[pos], "mt"
            pos += 1
        for item, _zh in outline_pending:
            item.en = f"{item.en} {english[pos]}".strip() if english[pos] else item.en
            item.source = "mt" if english[pos] else "untranslated"
            if not english[pos]:
                item.en = f"{item.en} {untranslated(item.zh)}".strip()
            pos += 1
        summaries_en = english[pos:]
    else:
        for item, zh in items:
            if zh:
                item.en = f"{item.en} {untranslated(zh)}".strip()
        summaries_en = [None] * len(openings)

    outline_items = [item for item, _ in items]
    heading_en = {o.block: o.en for o in outline_items}
    summaries = [
        Summary(hi, heading_en.get(hi, doc.blocks[hi].text), pi, doc.blocks[pi].text, en or None)
        for (hi, pi), en in zip(openings, summaries_en)
    ]
    for row in rows:  # names MT filled in after the rows were made
        if row.en is None:
            row.en = next((i.en for i in (row.result, row.target) if i and i.en), None)
    notes = [METHOD_NOTE]
    if not translated:
        notes.append(INSTALL_NOTE)
    if headline.get(RESULT) is None:
        notes.append("No paragraph of last year's main results was found.")
    if headline.get(TARGET) is None:
        notes.append("No paragraph of this year's main targets was found.")
    return BriefData(
        header=header,
        result_year=years.review,
        target_year=years.plan,
        headline=headline,
        rows=rows,
        indicators=indicators,
        outline=outline_items,
        terms=terms,
        summaries=summaries,
        translated=translated,
        notes=notes,
        source_name=meta.source_name,
        source_sha256=meta.source_sha256,
        tool_version=meta.tool_version or __version__,
        headline_texts={p: doc.blocks[b].text for p, b in headline.items() if b is not None},
    )


def _header_pending(h: Header) -> list[tuple[str, str]]:
    """Header fields left untranslated by rule (their Chinese follows the marker)."""
    out = []
    prefix = "(untranslated) "
    for attr in ("title", "occasion"):
        value = getattr(h, attr)
        if isinstance(value, str) and value.startswith(prefix):
            out.append((attr, value[len(prefix) :]))
    for i, t in enumerate(h.speaker_titles or []):
        if t.startswith(prefix):
            out.append((f"speaker_title:{i}", t[len(prefix) :]))
    return out


def _set_header(h: Header, attr: str, english: str) -> None:
    if not english:
        return
    if attr.startswith("speaker_title:"):
        assert h.speaker_titles is not None
        h.speaker_titles[int(attr.split(":")[1])] = english
        (h.sources or {}).__setitem__("speaker_titles", "mt")
    else:
        setattr(h, attr, english)
        (h.sources or {}).__setitem__(attr, "mt")


def model_translator(
    glossary: Glossary, *, path: object = "xyconvert", device: str = "cpu"
) -> Translate | None:
    """A translate function on the installed zh→en model, or None when there is none.

    Glossary terms are protected in MT (the engine puts their English in place).
    """
    try:
        from xyconvert.translate.packages import find_package
    except ImportError:  # pragma: no cover - argostranslate missing
        return None
    try:
        if find_package("zh", "en") is None:
            return None
    except ImportError:  # argostranslate not installed: no model either
        return None
    from xyconvert.translate.engine import EngineOptions, get_engine

    engine = get_engine(EngineOptions(device=device), path=path)
    matcher = glossary.matcher

    def terms(text: str) -> list[tuple[int, int, str]]:
        return [(s, e, entry.en) for s, e, entry in matcher.find(text)]

    def translate(texts: Sequence[str]) -> list[str]:
        result = engine.translate_texts(list(texts), terms=terms)
        return [t or "" for t in result.blocks]

    return translate
