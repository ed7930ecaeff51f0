"""Keep glossary terms and converted amounts intact through machine translation.

Scheme (default, ``mode="placeholder"``): each protected span of the Chinese source
(a glossary term or an amount) is replaced by a short Latin code ``QX<n>`` surrounded by
spaces. Why this shape:

* ASCII letters and digits exist in every Argos SentencePiece vocabulary, so the code
  never becomes ``<unk>`` (which CTranslate2 would "replace" by attention — a guess);
* it means nothing in either language, so a model has nothing to translate, and NMT
  models trained on web data copy unknown Latin codes and numbers through verbatim;
* restoration tolerates the usual damage: case changes, spaces inside (``QX 1``),
  surrounding punctuation.

``mode="inline"`` writes the English rendering itself into the source instead (the
model then sees real words and may fit them into the sentence better, or may
paraphrase them). Both modes share the same safety net: a span whose placeholder (or
rendering) is missing from the output is **re-inserted** at the position proportional
to where it stood in the source, so every glossary term and amount reaches the English
text. Which mode survives better depends on the model; with a real model run
``bench/bench_translate.py`` — it reports the in-place survival rate of both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = "QX{}"
_PH_RE = re.compile(r"(?<![A-Za-z0-9])[Qq]\s?[Xx]\s?(\d{1,3})(?!\d)")
MODES = ("placeholder", "inline")


def make_placeholder(index: int) -> str:
    return PLACEHOLDER.format(index)


@dataclass(frozen=True)
class Span:
    """A protected span of the source: [start, end) becomes ``english`` in the output."""

    start: int
    end: int
    english: str
    kind: str = "term"  # "term" (glossary) or "number"
    source: str = ""


@dataclass(frozen=True)
class Slot:
    index: int
    placeholder: str
    english: str
    kind: str
    source: str
    rel: float  # relative position of the span in the protected source, 0..1


@dataclass(frozen=True)
class Outcome:
    slot: Slot
    in_place: bool  # survived MT where it was; False: re-inserted by the fallback


def merge_spans(*groups: list[Span]) -> list[Span]:
    """Non-overlapping spans, earlier groups winning overlaps (glossary before numbers)."""
    chosen: list[Span] = []
    for group in groups:
        for sp in sorted(group, key=lambda s: (s.start, -(s.end - s.start))):
            if sp.end <= sp.start:
                continue
            if all(sp.end <= c.start or c.end <= sp.start for c in chosen):
                chosen.append(sp)
    return sorted(chosen, key=lambda s: s.start)


def _pad(before: str, token: str, after: str) -> str:
    """Surround a Latin token with spaces where it touches other text."""
    left = "" if not before or before[-1].isspace() else " "
    right = "" if not after or after[0].isspace() else " "
    return f"{left}{token}{right}"


def protect(text: str, spans: list[Span], mode: str = "placeholder") -> tuple[str, list[Slot]]:
    """Replace ``spans`` (sorted, non-overlapping) in ``text``; return the MT input and slots."""
    if mode not in MODES:
        raise ValueError(f"unknown term mode {mode!r}")
    out: list[str] = []
    positions: list[tuple[int, Span]] = []
    pos = 0
    for i, sp in enumerate(spans, start=1):
        out.append(text[pos : sp.start])
        token = make_placeholder(i) if mode == "placeholder" else sp.english
        current = "".join(out)
        padded = _pad(current, token, text[sp.end :])
        positions.append((len(current) + padded.index(token), sp))
        out.append(padded)
        pos = sp.end
    out.append(text[pos:])
    protected = "".join(out)
    n = max(len(protected), 1)
    slots = [
        Slot(
            i,
            make_placeholder(i),
            sp.english,
            sp.kind,
            sp.source or text[sp.start : sp.end],
            at / n,
        )
        for i, (at, sp) in enumerate(positions, start=1)
    ]
    return protected, slots


def _insert_at(text: str, rel: float, english: str) -> str:
    """Insert ``english`` at the word boundary nearest to ``rel`` of the way through ``text``."""
    if not text.strip():
        return english
    target = round(rel * len(text))
    bounds = [0, len(text)] + [m.start() for m in re.finditer(r"\s", text)]
    at = min(bounds, key=lambda b: (abs(b - target), b))
    return f"{text[:at].rstrip()} {english} {text[at:].lstrip()}".strip()


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?%)])", r"\1", text)
    return re.sub(r"([(])\s+", r"\1", text)


def _sentinel(index: int) -> str:
    # One "word" with no spaces, so a fallback insertion never lands inside a rendering.
    return f"\x00{index}\x00"


def restore(output: str, slots: list[Slot], mode: str = "placeholder") -> tuple[str, list[Outcome]]:
    """Put the English of every slot into the MT ``output``; report how each got there."""
    by_index = {s.index: s for s in slots}
    seen: set[int] = set()
    text = output.replace("\x00", "")
    if mode == "placeholder":

        def sub(m: re.Match[str]) -> str:
            idx = int(m.group(1))
            if idx not in by_index or idx in seen:
                return " "  # a hallucinated or repeated code: drop it
            seen.add(idx)
            return f" {_sentinel(idx)} "

        text = _PH_RE.sub(sub, text)
    else:
        for s in sorted(slots, key=lambda s: -len(s.english)):
            m = re.search(re.escape(s.english), text, re.IGNORECASE)
            if m:
                seen.add(s.index)
                text = f"{text[: m.start()]} {_sentinel(s.index)} {text[m.end() :]}"
    outcomes = [Outcome(s, s.index in seen) for s in slots]
    # Fallback: re-insert what the model lost, last first so earlier positions hold.
    for s in sorted((s for s in slots if s.index not in seen), key=lambda s: -s.rel):
        text = _insert_at(text, s.rel, _sentinel(s.index))
    text = re.sub("\x00(\\d+)\x00", lambda m: by_index[int(m.group(1))].english, text)
    return tidy(text), outcomes
