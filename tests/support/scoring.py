"""Score a predicted Markdown reconstruction against a gold reference.

Independent of the xyconvert pipeline on purpose: the yardstick must not share
code (or bugs) with what it measures.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

Block = tuple[str, int, str]

_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
_ATX = re.compile(r"^[ ]{0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_WS = re.compile(r"\s+")

# Han ideographs plus CJK / full-width punctuation and the curly quotes, middle
# dot, dashes and ellipsis Chinese text borrows from general punctuation.
_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef"
    "\u2018\u2019\u201c\u201d\u00b7\u2014\u2015\u2026\u2025"
    "\U00020000-\U0003134f"
)
# A run of whitespace with a CJK char on one side and a CJK char or ASCII digit on
# the other.  Lookarounds so adjacent places ("中 文 字") are each counted.
_CJK_SPACE = re.compile(rf"(?:(?<=[{_CJK}])\s+(?=[{_CJK}0-9]))|(?:(?<=[0-9])\s+(?=[{_CJK}]))")

CONTEXT = 15


def parse_markdown_blocks(md: str) -> list[Block]:
    """Split Markdown into (kind, level, text) blocks.

    Blocks are separated by blank lines; an ATX heading line is always a block of
    its own (even without blank lines around it) because that is how Markdown
    renders it.  ``kind`` is "heading" (level = number of ``#``) or "paragraph"
    (level 0).  A leading YAML front matter is dropped.
    """
    md = md.replace("\r\n", "\n").replace("\r", "\n")
    md = _FRONT_MATTER.sub("", md, count=1)
    md = md.removeprefix("\ufeff")
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            text = "\n".join(para).strip()
            if text:
                blocks.append(("paragraph", 0, text))
            para.clear()

    for line in md.split("\n"):
        if not line.strip():
            flush()
            continue
        m = _ATX.match(line)
        if m:
            flush()
            blocks.append(("heading", len(m.group(1)), (m.group(2) or "").strip()))
            continue
        para.append(line)
    flush()
    return blocks


def _flat(text: str) -> str:
    return _WS.sub("", text)


def _boundaries(blocks: list[Block]) -> tuple[str, list[int]]:
    """Whitespace-free concatenation and the offsets where one block ends and the next starts."""
    parts = [p for p in (_flat(t) for _, _, t in blocks) if p]  # empty blocks carry no boundary
    offsets: list[int] = []
    pos = 0
    for p in parts[:-1]:
        pos += len(p)
        offsets.append(pos)
    return "".join(parts), offsets


def _candidates(ops: list[tuple[str, int, int, int, int]], p: int) -> list[int]:
    """Gold positions a predicted offset ``p`` may map to through the alignment.

    Exact where the alignment is exact; at an insertion the boundary could sit
    anywhere across the inserted gold text, so every position there is allowed.
    """
    out: list[int] = []
    for tag, i1, i2, j1, j2 in ops:
        if not (i1 <= p <= i2):
            continue
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out.append(j1 + (p - i1))
        elif tag == "insert":
            out.extend(range(j1, j2 + 1))
        elif tag == "delete":
            out.append(j1)
        else:  # replace of unequal length: ends are exact, interior proportional
            if p == i1:
                out.append(j1)
            elif p == i2:
                out.append(j2)
            else:
                out.append(j1 + round((p - i1) * (j2 - j1) / (i2 - i1)))
    return out


def _ctx(s: str, pos: int) -> str:
    return f"{s[max(0, pos - CONTEXT) : pos]}|{s[pos : pos + CONTEXT]}"


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


@dataclass
class Scores:
    char_similarity: float
    para_f1: float
    para_precision: float
    para_recall: float
    heading_f1: float
    cjk_space_count: int
    details: list[str] = field(default_factory=list)

    def passes(
        self,
        char: float = 0.999,
        para: float = 0.97,
        heading: float = 1.0,
        max_cjk_spaces: int | None = None,
    ) -> bool:
        """Thresholds met?  ``max_cjk_spaces=None`` leaves stray spaces unchecked
        (char_similarity ignores whitespace, so pass 0 to demand none)."""
        ok = self.char_similarity >= char and self.para_f1 >= para and self.heading_f1 >= heading
        if max_cjk_spaces is not None:
            ok = ok and self.cjk_space_count <= max_cjk_spaces
        return ok

    def __str__(self) -> str:
        head = (
            f"char={self.char_similarity:.5f} "
            f"para F1={self.para_f1:.4f} (P={self.para_precision:.4f} R={self.para_recall:.4f}) "
            f"heading F1={self.heading_f1:.4f} cjk_spaces={self.cjk_space_count}"
        )
        shown = self.details[:30]
        more = len(self.details) - len(shown)
        lines = [head, *("  " + d for d in shown)]
        if more > 0:
            lines.append(f"  ... {more} more")
        return "\n".join(lines)


def score(pred_md: str, gold_md: str) -> Scores:
    pred_blocks = parse_markdown_blocks(pred_md)
    gold_blocks = parse_markdown_blocks(gold_md)
    pred_flat, pred_bounds = _boundaries(pred_blocks)
    gold_flat, gold_bounds = _boundaries(gold_blocks)
    details: list[str] = []

    char_sim = Levenshtein.normalized_similarity(pred_flat, gold_flat)

    # -- paragraph boundaries: map predicted offsets into gold coordinates
    if pred_flat == gold_flat:  # fast path, and the common case once text is right
        ops = [("equal", 0, len(pred_flat), 0, len(gold_flat))]
    else:
        ops = [
            (o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end)
            for o in Levenshtein.opcodes(pred_flat, gold_flat)
        ]
    gold_set = set(gold_bounds)
    matched_gold: set[int] = set()
    extra: list[int] = []
    for p in pred_bounds:
        hit = next(
            (g for g in _candidates(ops, p) if g in gold_set and g not in matched_gold), None
        )
        if hit is None:
            extra.append(p)
        else:
            matched_gold.add(hit)
    n_match = len(matched_gold)
    precision = n_match / len(pred_bounds) if pred_bounds else float(not gold_bounds)
    recall = n_match / len(gold_bounds) if gold_bounds else float(not pred_bounds)
    for g in gold_bounds:
        if g not in matched_gold:
            details.append(f"missed boundary @gold {g}: {_ctx(gold_flat, g)}")
    for p in extra:
        details.append(f"extra boundary @pred {p}: {_ctx(pred_flat, p)}")

    # -- headings: multiset over (level, text); whitespace is left to cjk_space_count
    def heads(blocks: list[Block]) -> dict[tuple[int, str], list[int]]:
        # (level, text) -> flat offsets where such headings start, for context
        out: dict[tuple[int, str], list[int]] = {}
        pos = 0
        for kind, lvl, t in blocks:
            f = _flat(t)
            if kind == "heading" and f:
                out.setdefault((lvl, f), []).append(pos)
            pos += len(f)
        return out

    ph_pos, gh_pos = heads(pred_blocks), heads(gold_blocks)
    ph = Counter({k: len(v) for k, v in ph_pos.items()})
    gh = Counter({k: len(v) for k, v in gh_pos.items()})
    common = sum((ph & gh).values())
    hp = common / sum(ph.values()) if ph else float(not gh)
    hr = common / sum(gh.values()) if gh else float(not ph)
    heading_f1 = _f1(hp, hr) if (ph or gh) else 1.0
    for (lvl, t), n in (gh - ph).items():
        at = gh_pos[(lvl, t)][0]
        details.append(f"missed heading h{lvl} x{n} @gold {at}: {_ctx(gold_flat, at)}")
    for (lvl, t), n in (ph - gh).items():
        at = ph_pos[(lvl, t)][0]
        details.append(f"extra heading h{lvl} x{n} @pred {at}: {_ctx(pred_flat, at)}")

    # -- stray spaces inside CJK text
    spaces = 0
    for _, _, t in pred_blocks:
        for m in _CJK_SPACE.finditer(t):
            spaces += 1
            if spaces <= 20:  # enough to debug; the count says the rest
                details.append(
                    f"cjk space: {t[max(0, m.start() - CONTEXT) : m.start()]}␣{t[m.end() : m.end() + CONTEXT]}"
                )

    return Scores(
        char_similarity=char_sim,
        para_f1=_f1(precision, recall) if (pred_bounds or gold_bounds) else 1.0,
        para_precision=precision,
        para_recall=recall,
        heading_f1=heading_f1,
        cjk_space_count=spaces,
        details=details,
    )
