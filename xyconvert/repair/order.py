"""Restore reading order of lines that came out reversed or shuffled.

Some PDFs write a page (or a text box) bottom-up, so naive extraction gives
its lines in reverse; others shuffle boxes. Given a score for "line b directly
continues line a" (``joins.JoinScorer``), the best order is the path through
the lines with the highest total score. We start from the extracted order — a
strong prior, since most of it is right — and apply only moves that raise the
total by a clear margin:

* reverse a run of lines (whole pages or parts of them; also finds reversed
  runs where page breaks are not marked at all);
* for a page whose joins stay poor, rebuild its order from the best-scoring
  joins (greedy path), then polish it by moving runs of lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xyconvert.charclass import ends_sentence

# A move must gain at least this much total join score to be applied: small
# gains are noise (a wrong move over correct text loses ~2 per broken join).
MIN_GAIN = 6.0
# Whole pages written bottom-up are the usual failure: once reversing a page
# pays at all, it is preferred to a partial reversal of that page scoring up
# to this much more (the joins at a page's first and last lines are weak).
WHOLE_PAGE_BONUS = 6.0
# Join scores lie in [0, JOIN_CAP], so two edge joins change by at most EDGE_BOUND.
JOIN_CAP = 10.0
EDGE_BOUND = 2 * JOIN_CAP
# Reversal runs considered when page breaks are unknown.
MAX_RUN = 120
# Pages shorter than this are too short to judge as poorly joined.
MIN_REBUILD = 10
# Pages longer than this are not rebuilt from scratch (cost grows as n^2).
MAX_REBUILD = 120
# A "page" longer than this is really unpaged text (say, one form feed in a
# whole report): it is searched like unpaged text, with runs of at most
# MAX_RUN lines, since trying every run costs n^2 per move.
MAX_PAGE_SEARCH = 4 * MAX_RUN
# Work bound, in units: a join score computed costs JOIN_COST, one looked up
# again costs 1. The search may spend WORK_BASE plus WORK_PER_LINE per line.
# Wrapped reports spend up to ~170 units per line (a lost page break: 60
# lookups and 15 joins per line), so WORK_BASE alone covers any report of up to
# ~12 000 lines and the bound is reached only past ~14 000 such lines. Text that
# needs far more is noise to this search (200 000 one-character lines, say) and
# keeps its extracted order, with a warning, instead of costing minutes (issue 14).
JOIN_COST = 8
WORK_PER_LINE = 30
WORK_BASE = 2_000_000

Score = Callable[[int, int], float]


class _OutOfWork(Exception):
    """The work bound of ``restore_order`` is used up."""


def restore_order(
    texts: Sequence[str],
    pages: Sequence[int],
    join: Callable[[str, str], float],
    warnings: list[str] | None = None,
    work: int | None = None,
) -> list[int]:
    """Return a permutation of ``range(len(texts))`` giving the reading order.

    ``pages[i]`` is the page of line i; runs never cross a page break when the
    input has more than one page. ``work``: the work bound in units (a join
    computed costs ``JOIN_COST``, one looked up again 1; default ``WORK_PER_LINE``
    per line plus ``WORK_BASE``); when that is not enough the extracted order is
    kept, and a warning says so.
    """
    n = len(texts)
    if n < 3:
        return list(range(n))
    cache: dict[tuple[int, int], float] = {}
    left = [WORK_BASE + WORK_PER_LINE * n if work is None else work]

    def score(a: int, b: int) -> float:
        key = (a, b)
        value = cache.get(key)
        if value is None:
            left[0] -= JOIN_COST
            if left[0] < 0:
                raise _OutOfWork
            value = cache[key] = join(texts[a], texts[b])
        else:
            left[0] -= 1
            if left[0] < 0:
                raise _OutOfWork
        return value

    order = list(range(n))
    paged = len(set(pages)) > 1
    try:
        order = _reverse_runs(order, pages, score, paged)
        if paged:
            order = _rebuild_poor_pages(order, pages, texts, score)
    except _OutOfWork:
        if warnings is not None:
            warnings.append(
                "reading order left as extracted: the lines do not read as wrapped text "
                "(the order search reached its work bound)"
            )
        return list(range(n))
    return order


def _segments(order: list[int], pages: Sequence[int], paged: bool) -> list[tuple[int, int]]:
    """Index ranges [lo, hi) within which runs may be reversed."""
    if not paged:
        return [(0, len(order))]
    out: list[tuple[int, int]] = []
    lo = 0
    for i in range(1, len(order) + 1):
        if i == len(order) or pages[order[i]] != pages[order[lo]]:
            out.append((lo, i))
            lo = i
    return out


def _reverse_runs(order: list[int], pages: Sequence[int], score: Score, paged: bool) -> list[int]:
    """Apply improving reversals, page by page (or in one pass over unpaged text)."""
    order = list(order)
    if paged:
        for lo, hi in _segments(order, pages, paged):
            if hi - lo > MAX_PAGE_SEARCH:
                order[lo:hi] = _reverse_runs(order[lo:hi], pages, score, paged=False)
                continue
            for _ in range(50):  # moves within one page; one or two is typical
                gain, move = _best_reversal(order, lo, hi, score, whole_page=True)
                if move is None or gain <= MIN_GAIN:
                    break
                s, e = move
                order[s : e + 1] = order[s : e + 1][::-1]
        return order
    return _reverse_unpaged(order, score)


def _reverse_unpaged(order: list[int], score: Score) -> list[int]:
    """Rounds of non-overlapping improving reversals over unpaged text.

    A start's best move depends only on the lines from just before it to
    MAX_RUN after it, so after a round only the starts near the runs just
    reversed are searched again: a round costs what changed, not the text.
    """
    n = len(order)
    moves: dict[int, tuple[float, int, int]] = {}
    dirty = [(0, n - 1)]  # ranges [a, b) of starts to search
    for _ in range(50):
        for a, b in _merged(dirty):
            for start in range(a, b):
                moves.pop(start, None)
            moves.update((m[1], m) for m in _candidate_reversals(order, score, a, b))
        if not moves:
            break
        taken: list[tuple[int, int]] = []
        for _gain, s, e in sorted(moves.values(), reverse=True):
            # Non-overlapping moves (with a line between) do not change each other's gain.
            if all(e + 1 < ts or s > te + 1 for ts, te in taken):
                taken.append((s, e))
        for s, e in taken:
            order[s : e + 1] = order[s : e + 1][::-1]
        # Starts whose search window [s - 1, s + MAX_RUN] overlaps a reversed run.
        dirty = [(max(0, s - MAX_RUN), min(n - 1, e + 2)) for s, e in taken]
    return order


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        elif a < b:
            out.append((a, b))
    return out


def _prefix_gains(order: list[int], lo: int, hi: int, score: Score) -> list[float]:
    """D[k]: sum over i < lo+k of (backward join - forward join) of lines i, i+1."""
    out = [0.0]
    for i in range(lo, hi - 1):
        out.append(out[-1] + score(order[i + 1], order[i]) - score(order[i], order[i + 1]))
    return out


def _rooms(order: list[int], lo: int, hi: int, score: Score) -> list[float]:
    """room[k]: how much the join of lines lo-1+k, lo+k can still gain (JOIN_CAP minus its
    score; 0 where there is no such join), for k in 0 .. hi-lo. A reversal of s..e gains at
    most room of s-1,s plus room of e,e+1 at its two edges: a tighter bound than EDGE_BOUND."""
    n = len(order)
    return [
        JOIN_CAP - score(order[i], order[i + 1]) if i >= 0 and i + 1 < n else 0.0
        for i in range(lo - 1, hi)
    ]


def _edge_gain(order: list[int], s: int, e: int, score: Score) -> float:
    gain = 0.0
    if s > 0:
        gain += score(order[s - 1], order[e]) - score(order[s - 1], order[s])
    if e + 1 < len(order):
        gain += score(order[s], order[e + 1]) - score(order[e], order[e + 1])
    return gain


def _best_reversal(
    order: list[int], lo: int, hi: int, score: Score, whole_page: bool
) -> tuple[float, tuple[int, int] | None]:
    """Best run to reverse within order[lo:hi], and its gain in total join score."""
    d = _prefix_gains(order, lo, hi, score)
    room = _rooms(order, lo, hi, score)  # room[k]: of the join of lines lo-1+k, lo+k
    best_gain, best = float("-inf"), None
    for s in range(lo, hi - 1):
        base = d[s - lo] - room[s - lo]
        for e in range(s + 1, hi):
            # Even the best possible edge joins cannot make it win (nor reach MIN_GAIN,
            # which is all the caller asks of a move).
            if d[e - lo] - base + room[e - lo + 1] <= max(best_gain, MIN_GAIN):
                continue
            inner = d[e - lo] - d[s - lo]
            gain = inner + _edge_gain(order, s, e, score)
            if gain > best_gain:
                best_gain, best = gain, (s, e)
    if whole_page and hi - lo >= 2:
        whole = d[hi - 1 - lo] + _edge_gain(order, lo, hi - 1, score)
        if whole >= MIN_GAIN and whole >= best_gain - WHOLE_PAGE_BONUS:
            return whole, (lo, hi - 1)
    return best_gain, best


def _candidate_reversals(
    order: list[int], score: Score, first: int = 0, stop: int | None = None
) -> list[tuple[float, int, int]]:
    """For unpaged text: the best improving reversal (of at most MAX_RUN lines)
    starting at each line in ``range(first, stop)``."""
    n = len(order)
    stop = n - 1 if stop is None else min(stop, n - 1)
    lo, hi = first, min(n, stop + MAX_RUN)
    d = _prefix_gains(order, lo, hi, score)  # d[k]: at line lo + k
    room = _rooms(order, lo, hi, score)  # room[k]: of the join of lines lo-1+k, lo+k
    moves = []
    for s in range(first, stop):
        ds = d[s - lo]
        # Skip hopeless starts fast: the best inner gain ahead, even with the best edges.
        ahead = d[s - lo + 1 : s - lo + MAX_RUN + 1]
        if not ahead or max(ahead) - ds <= MIN_GAIN - EDGE_BOUND:
            continue
        base = ds - room[s - lo]
        best_gain, best_e = MIN_GAIN, -1
        for e in range(s + 1, min(n, s + MAX_RUN)):
            if d[e - lo] - base + room[e - lo + 1] <= best_gain:
                continue  # even the best possible edge joins cannot make it win
            inner = d[e - lo] - ds
            gain = inner + _edge_gain(order, s, e, score)
            if gain > best_gain:
                best_gain, best_e = gain, e
        if best_e >= 0:
            moves.append((best_gain, s, best_e))
    return moves


def _path_score(seq: Sequence[int], score: Score) -> float:
    return sum(score(a, b) for a, b in zip(seq, seq[1:]))


def _rebuild_poor_pages(
    order: list[int], pages: Sequence[int], texts: Sequence[str], score: Score
) -> list[int]:
    """Rebuild pages whose joins are far weaker than the document's typical joins."""
    segs = _segments(order, pages, True)
    page_means = []
    for lo, hi in segs:
        vals = [
            score(order[i], order[i + 1])
            for i in range(lo, hi - 1)
            if not ends_sentence(texts[order[i]])
        ]
        page_means.append(sum(vals) / len(vals) if vals else None)
    known = sorted(m for m in page_means if m is not None)
    if not known:
        return order
    typical = known[len(known) // 2]
    out = list(order)
    for (lo, hi), mean in zip(segs, page_means):
        if mean is None or hi - lo < MIN_REBUILD or hi - lo > MAX_REBUILD or mean > 0.5 * typical:
            continue
        before = out[lo - 1] if lo > 0 else None
        after = out[hi] if hi < len(out) else None
        current = out[lo:hi]
        rebuilt = _polish(_greedy_path(current, before, score), before, after, score)

        def total(seq: list[int], before=before, after=after) -> float:
            full = ([before] if before is not None else []) + seq + ([after] if after is not None else [])
            return _path_score(full, score)

        # Rebuilding from scratch risks more than one reversal: demand more.
        if total(rebuilt) > total(current) + MIN_GAIN + 0.5 * (hi - lo):
            out[lo:hi] = rebuilt
    return out


def _greedy_path(items: list[int], before: int | None, score: Score) -> list[int]:
    """Greedy matching: take the strongest joins first, never closing a cycle."""
    edges = sorted(
        ((score(a, b), k, a, b) for k, a in enumerate(items) for b in items if a != b),
        key=lambda t: (-t[0], t[1]),
    )
    nxt: dict[int, int] = {}
    prv: dict[int, int] = {}
    head_of = {i: i for i in items}  # union-find over path fragments

    def find(x: int) -> int:
        while head_of[x] != x:
            head_of[x] = head_of[head_of[x]]
            x = head_of[x]
        return x

    for value, _, a, b in edges:
        if value <= 0:
            break
        if a in nxt or b in prv or find(a) == find(b):
            continue
        nxt[a], prv[b] = b, a
        head_of[find(b)] = find(a)
    fragments = []
    for i in items:
        if i not in prv:
            frag = [i]
            while frag[-1] in nxt:
                frag.append(nxt[frag[-1]])
            fragments.append(frag)
    # Chain fragments: each next one is the one whose head best follows the tail
    # so far (ties: original position), starting from the previous page's end.
    path: list[int] = []
    tail = before
    position = {x: k for k, x in enumerate(items)}
    while fragments:
        def key(frag: list[int], tail=tail) -> tuple[float, int]:
            gain = score(tail, frag[0]) if tail is not None else 0.0
            return (-gain, position[frag[0]])

        fragments.sort(key=key)
        frag = fragments.pop(0)
        path.extend(frag)
        tail = frag[-1]
    return path


def _polish(path: list[int], before: int | None, after: int | None, score: Score) -> list[int]:
    """Or-opt: move runs of up to 3 lines elsewhere while that raises the score."""
    def edge(a: int | None, b: int | None) -> float:
        return 0.0 if a is None or b is None else score(a, b)

    improved = True
    rounds = 0
    while improved and rounds < 20:
        improved, rounds = False, rounds + 1
        for length in (1, 2, 3):
            for s in range(0, len(path) - length + 1):
                run = path[s : s + length]
                rest = path[:s] + path[s + length :]
                # Moving the run changes three joins: only those are scored (the
                # whole path each time made a 120-line page cost n^3 per round).
                prev = path[s - 1] if s > 0 else before
                nxt = path[s + length] if s + length < len(path) else after
                cut = edge(prev, nxt) - edge(prev, run[0]) - edge(run[-1], nxt)
                for t in range(len(rest) + 1):
                    if t == s:
                        continue
                    x = rest[t - 1] if t > 0 else before
                    y = rest[t] if t < len(rest) else after
                    delta = cut + edge(x, run[0]) + edge(run[-1], y) - edge(x, y)
                    if delta > 1e-9:
                        cand = rest[:t] + run + rest[t:]
                        path, improved = cand, True
                        break
                if improved:
                    break
            if improved:
                break
    return path
