"""Chinese sentence splitting by rule — no model, no download.

Argos Translate splits with MiniSBD/Stanza models it downloads on first use; Chinese
official prose marks sentence ends unambiguously, so punctuation rules suffice:

* a sentence ends after 。！？； (and ASCII ! ? ;) together with any closing quotes or
  brackets that follow (``“…。”`` stays whole) and a trailing ellipsis;
* a sentence longer than ``max_chars`` is cut further at ，、 into clauses, packed
  greedily up to ``max_chars`` — MT models degrade on very long inputs. Such pieces
  are marked ``continues=True`` so the caller can re-join their translations with a
  comma instead of a full stop.

ASCII ``.`` is never a boundary (decimals: 137.46亿元; list markers: 1.加快).
"""

from __future__ import annotations

from dataclasses import dataclass

ENDERS = set("。！？；!?;…")
CLOSERS = set("”’」』）)》〉】〕]")  # not ASCII quotes: they open as often as close
CLAUSE = set("，,、：")
MAX_CHARS = 100


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    continues: bool = False  # cut inside a sentence (at ，), not at its end


def mark_spans(
    text: str, marks: frozenset[str] | set[str] | str, closers: frozenset[str] | set[str] | str = CLOSERS
) -> list[tuple[int, int]]:
    """[start, end) spans of ``text``, each ending after a run of ``marks`` and the
    ``closers`` (quotes, brackets) after it; the rest of the text is the last span."""
    spans: list[tuple[int, int]] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        if text[i] in marks:
            j = i + 1
            while j < n and (text[j] in marks or text[j] in closers):
                j += 1
            spans.append((start, j))
            start = i = j
        else:
            i += 1
    if start < n:
        spans.append((start, n))
    return spans


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return mark_spans(text, ENDERS)


def _clauses(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut [start, end) at clause marks into pieces of at most ~max_chars."""
    cuts = [i + 1 for i in range(start, end - 1) if text[i] in CLAUSE]
    pieces: list[tuple[int, int]] = []
    piece_start, last_cut = start, None
    for cut in [*cuts, end]:
        if cut - piece_start > max_chars and last_cut is not None:
            pieces.append((piece_start, last_cut))
            piece_start = last_cut
        last_cut = cut
    pieces.append((piece_start, end))
    return pieces


def split_segments(text: str, max_chars: int = MAX_CHARS) -> list[Segment]:
    """Split a block of Chinese text into sentence (or clause) segments with offsets.

    Whitespace between segments is not part of any segment; empty segments are dropped.
    """
    out: list[Segment] = []
    for s, e in _sentence_spans(text):
        pieces = _clauses(text, s, e, max_chars) if e - s > max_chars else [(s, e)]
        for k, (ps, pe) in enumerate(pieces):
            while ps < pe and text[ps].isspace():
                ps += 1
            while pe > ps and text[pe - 1].isspace():
                pe -= 1
            if ps < pe:
                out.append(Segment(ps, pe, text[ps:pe], continues=k < len(pieces) - 1))
    return out


def split_sentences(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Sentences (and clause pieces of long sentences) of ``text``, in order."""
    return [seg.text for seg in split_segments(text, max_chars)]
