"""Character conservation: is every character of a PDF's text in our output exactly once?

Two comparisons, each of multisets of non-whitespace characters (order and spacing are
other checks' business):

1. **Reader**, per page: an independent extractor's page text (PDFium, or poppler's
   pdftotext) against the lines our PDF reader gives. A difference is *explained* when the
   reader left the characters out on purpose and counted them (page furniture, fake-bold
   doubles, glyphs without a Unicode mapping, hidden or rotated or off-page text; see
   ``readers.pdf.records``). Both sides are compared after NFKC, so normalised forms
   (Kangxi radicals, full-width digits, ligatures) are not differences.
2. **Repair**, over the document: the reader's lines against the blocks of the finished
   document. Explained: text-level furniture (page numbers, running headers) and mojibake
   re-decoded; anything else the repair stages lost or added is a bug.

When two extractors are at hand, a page the first one disagrees on is compared with the
second as well and the closer one counts: extractors differ on broken fonts, and a
difference they do not agree on is no evidence that we lost anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xyconvert.lines import SourcePage
from xyconvert.readers.pdf.glyphs import is_cjk, normalise_glyph
from xyconvert.verify import reference

# Default bound on unexplained differences, as a share of the page's characters.
DEFAULT_THRESHOLD = 0.001
UNMAPPED = "glyph without a Unicode mapping"  # same reason string as the reader's


@dataclass
class StageReport:
    """One comparison: the reference characters against ours."""

    label: str  # "page 3" or "repair"
    reference: str  # which extractor (or "reader" for the repair comparison)
    chars: int  # characters in the reference
    ours: int  # characters in our text
    explained: Counter[str] = field(default_factory=Counter)  # reason -> characters
    missing: Counter[str] = field(default_factory=Counter)  # lost, unexplained
    extra: Counter[str] = field(default_factory=Counter)  # invented, unexplained

    @property
    def unexplained(self) -> int:
        return sum(self.missing.values()) + sum(self.extra.values())

    @property
    def share(self) -> float:
        return self.unexplained / self.chars if self.chars else float(self.unexplained > 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "reference": self.reference,
            "chars": self.chars,
            "ours": self.ours,
            "explained": dict(self.explained),
            "unexplained": self.unexplained,
            "missing": "".join(sorted(self.missing.elements())),
            "extra": "".join(sorted(self.extra.elements())),
        }


@dataclass
class Report:
    path: str
    pages: list[StageReport]
    repair: StageReport
    threshold: float = DEFAULT_THRESHOLD

    @property
    def chars(self) -> int:
        return sum(p.chars for p in self.pages)

    @property
    def unexplained(self) -> int:
        return sum(p.unexplained for p in self.pages) + self.repair.unexplained

    @property
    def failing(self) -> list[StageReport]:
        """Pages (and the repair stage) whose unexplained share is above the threshold."""
        return [s for s in [*self.pages, self.repair] if s.unexplained and s.share > self.threshold]

    @property
    def ok(self) -> bool:
        return not self.failing

    def explained(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for s in [*self.pages, self.repair]:
            total.update(s.explained)
        return total

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok,
            "threshold": self.threshold,
            "chars": self.chars,
            "unexplained": self.unexplained,
            "explained": dict(self.explained()),
            "pages": [p.to_dict() for p in self.pages],
            "repair": self.repair.to_dict(),
        }


def fold(text: str) -> Counter[str]:
    """The characters of ``text`` that the check compares: NFKC, no whitespace."""
    out: Counter[str] = Counter()
    for ch in text:
        if ch.isspace():
            continue
        for c in unicodedata.normalize("NFKC", normalise_glyph(ch)):
            if not c.isspace():
                out[c] += 1
    return out


def page_chars(page: SourcePage) -> Counter[str]:
    out: Counter[str] = Counter()
    for ln in page.lines:
        out.update(_text_chars(ln.text, ln.table))
    return out


def _text_chars(text: str, rows: Any) -> Counter[str]:  # noqa: ANN401 - rows of cells or None
    """A line's or block's characters; a table's are its cells' (its text is a flat copy)."""
    if rows is None:
        return fold(text)
    out: Counter[str] = Counter()
    for row in rows:
        for cell in row:
            out.update(fold(cell))
    return out


def compare_page(
    label: str,
    ref_name: str,
    ref_text: str,
    ours: Counter[str],
    removed: Counter[tuple[str, str]],
) -> StageReport:
    """Compare one page; ``removed`` is what the reader left out on purpose, by reason.

    A reference that shows a font's GBK bytes as Latin-1 (a font without ToUnicode whose
    encoding the extractor does not know) is compared re-decoded too, and the closer one
    counts: the re-decoded characters are explained as the reference's mojibake.
    """
    report = _compare(label, ref_name, fold(ref_text), ours, removed)
    if report.unexplained and _LATIN1_RUN.search(ref_text):
        fixed, replaced = redecode_reference(ref_text)
        if replaced:
            alt = _compare(label, ref_name, fold(fixed), ours, removed)
            if alt.unexplained < report.unexplained:
                alt.chars = report.chars
                alt.explained[REFERENCE_MOJIBAKE] = sum(replaced.values())
                return alt
    return report


# Runs of Latin-1 letters and symbols: one byte each, as an extractor shows GBK bytes.
_LATIN1_RUN = re.compile("[\u00a1-\u00ff]{2,}")
REFERENCE_MOJIBAKE = "GBK bytes shown as Latin-1 by the reference"


def redecode_reference(text: str) -> tuple[str, Counter[str]]:
    """``text`` with each Latin-1 run that is GBK for CJK text (every character of it)
    re-decoded, and the (folded) characters replaced."""
    replaced: Counter[str] = Counter()

    def sub(m: re.Match[str]) -> str:
        run = m.group(0)
        try:
            out = run.encode("latin-1").decode("gb18030")
        except UnicodeError:
            return run
        if not all(is_cjk(ch) for ch in out):
            return run
        replaced.update(fold(run))
        return out

    return _LATIN1_RUN.sub(sub, text), replaced


def _compare(
    label: str, ref_name: str, ref: Counter[str], ours: Counter[str], removed: Counter[tuple[str, str]]
) -> StageReport:
    report = StageReport(label, ref_name, sum(ref.values()), sum(ours.values()))
    missing = ref - ours
    extra = ours - ref
    wildcards = 0
    for (reason, ch), n in sorted(removed.items()):
        if not ch:
            wildcards += n
            continue
        for c, k in fold(ch).items():
            take = min(n * k, missing[c])
            if take:
                missing[c] -= take
                report.explained[reason] += take
    # Glyphs without a mapping stand for unknown characters: the reference decoded them as
    # something, which is missing from ours.
    for c, n in missing.most_common():
        if not wildcards:
            break
        take = min(n, wildcards)
        missing[c] -= take
        wildcards -= take
        report.explained[UNMAPPED] += take
    report.missing = +missing
    report.extra = +extra
    return report


def check_pdf(
    path: Path | str,
    password: str | None = None,
    references: tuple[str, ...] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    pages: range | None = None,
    engine: str | None = None,
) -> Report:
    """Read ``path`` as ``convert`` does and account for every character (see module doc).

    ``pages``: 0-based page indices to check (default: all). ``engine``: our glyph engine
    (default: the reader's); the references are the extractors independent of it.
    """
    from xyconvert.model import Metadata
    from xyconvert.readers.pdf import read_pdf

    path = Path(path)
    from xyconvert.readers.pdf import default_engine

    engine = engine or default_engine()
    refs = [r for r in (references or independent_of(engine)) if reference.available(r)]
    if not refs:
        raise ValueError("no reference extractor available")
    removed: dict[int, Counter[tuple[str, str]]] = {}
    src = read_pdf(path, password=password, pages=pages, removed=removed, engine=engine)
    texts = {refs[0]: reference.page_texts(path, refs[0], password)}
    ours = {p.number: page_chars(p) for p in src}
    wanted = set(range(1, len(texts[refs[0]]) + 1)) if pages is None else {i + 1 for i in pages}

    reports: list[StageReport] = []
    for i, ref_text in enumerate(texts[refs[0]], start=1):
        if i not in wanted:
            continue
        best = compare_page(f"page {i}", refs[0], ref_text, ours.get(i, Counter()), removed.get(i, Counter()))
        for other in refs[1:]:
            if not best.unexplained:
                break
            if other not in texts:
                texts[other] = reference.page_texts(path, other, password)
            if i <= len(texts[other]):
                alt = compare_page(
                    f"page {i}", other, texts[other][i - 1], ours.get(i, Counter()), removed.get(i, Counter())
                )
                if alt.unexplained < best.unexplained:
                    best = alt
        reports.append(best)

    meta = Metadata(source_name=path.name, source_format="pdf")
    return Report(str(path), reports, check_repair(src, meta), threshold)


def independent_of(engine: str) -> tuple[str, ...]:
    """The references to compare with, first choice first: never our own glyph source."""
    if engine == "pdfium":
        return ("pdftotext", "pdfminer")
    return ("pdfium", "pdftotext")


def check_text(path: Path | str, threshold: float = DEFAULT_THRESHOLD) -> Report:
    """A text input has no independent reader: only the repair stage is checked."""
    from xyconvert.model import Metadata
    from xyconvert.readers.text import decode_text, split_pages

    path = Path(path)
    text, _ = decode_text(path.read_bytes(), path)
    meta = Metadata(source_name=path.name, source_format="txt")
    return Report(str(path), [], check_repair(split_pages(text), meta), threshold)


def check_repair(pages: list[SourcePage], meta: Any) -> StageReport:  # noqa: ANN401 - Metadata
    """The reader's lines against the finished document's blocks (see module doc)."""
    from xyconvert.repair import build_document
    from xyconvert.repair.furniture import drop_furniture, split_unmarked
    from xyconvert.repair.mojibake import fix_mojibake

    before: Counter[str] = Counter()
    for p in pages:
        before.update(page_chars(p))
    report = StageReport("repair", "reader", sum(before.values()), 0)

    kept: Counter[str] = Counter()
    for p in drop_furniture(split_unmarked(pages)):
        kept.update(page_chars(p))
    furniture = before - kept
    report.explained["page furniture (text repair)"] = sum(furniture.values())

    # Mojibake repair re-decodes whole runs: count what it replaced, compare with what it gave.
    redecoded: Counter[str] = Counter()
    for p in pages:
        for ln in p.lines:
            for text in ([ln.text] if ln.table is None else [c for r in ln.table for c in r]):
                fixed = fix_mojibake(text)
                if fixed != text:
                    redecoded.update(fold(text))
                    kept -= fold(text)
                    kept.update(fold(fixed))
    if redecoded:
        report.explained["mojibake re-decoded"] = sum(redecoded.values())

    doc = build_document(pages, meta)
    after: Counter[str] = Counter()
    for b in doc.blocks:
        after.update(_text_chars(b.text, b.rows))
    report.ours = sum(after.values())
    report.missing = kept - after
    report.extra = after - kept
    if not report.explained["page furniture (text repair)"]:
        del report.explained["page furniture (text repair)"]
    return report
