"""Deterministic extraction of headline indicators from report paragraphs.

Government work reports state their numbers in a few fixed shapes::

    实现地区生产总值137.46亿元、增速8.4%；完成规模以上工业总产值127.99亿元
    城乡居民人均可支配收入分别达36482元、20199元，分别增长7%、10%
    肉、奶、蛋产量达8.22万吨、19.35万吨、0.79万吨，分别增长16.6%、19.5%、11%
    各类文件、会议同比下降16.67%、9.18%

Every amount is found by :func:`xyconvert.translate.numbers.find_amounts` (exact
``Decimal`` values, units, 万/亿 scales); this module only decides what each amount
*is*: an indicator's value (named by the words just before it), its growth rate
(after 增长/增速/下降…), or its share (占比). Lists with 分别 are paired in order, and
a list subject (``肉、奶、蛋产量``, ``城乡居民…``) is split into one name per value.

No MT is involved: numbers and names are copied from the source with their offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from xyconvert.translate.numbers import Amount, AmountMatch, find_amounts, render_amount

if TYPE_CHECKING:
    from xyconvert.glossary import Glossary
    from xyconvert.model import Document

RESULT = "result"
TARGET = "target"

# Separators: a hard one ends a statement, a soft one a clause. 、 is neither: it
# separates list items, which stay inside one statement (肉、奶、蛋产量).
_HARD = "；;。！？!?"
_SOFT = "，,：:"
_SEPARATORS = _HARD + _SOFT

# After an indicator's value, what may follow: a separator, a bracket, or the end.
_VALUE_FOLLOW = set(_SEPARATORS + "、）)（(") | {""}

_GROWTH_VERBS = {
    "增长": 1,
    "增速": 1,
    "增幅": 1,
    "提高": 1,
    "提升": 1,
    "上升": 1,
    "增加": 1,
    "上涨": 1,
    "下降": -1,
    "减少": -1,
    "降低": -1,
    "回落": -1,
    "下滑": -1,
    "降幅": -1,
}
_ADVERBS = ("同比", "比上年", "较上年", "比去年", "较去年", "年均", "分别", "均", "都", "各")
_GROWTH = re.compile(
    r"^(?P<name>.*?)"
    rf"(?P<adv>(?:{'|'.join(_ADVERBS)})*)"
    rf"(?P<verb>{'|'.join(sorted(_GROWTH_VERBS, key=len, reverse=True))})"
    r"(?:了|为|达|到|至)?$"
)
_SHARE = re.compile(r"(?:占比|比重|占[^，、；。]{1,12}(?:比重|的比例))(?:为|达到?)?$")

# Words around a name that are not part of it (verbs, scope, time).
_LEADING = (
    "预计",
    "全年",
    "今年",
    "去年",
    "年末",
    "年底",
    "年内",
    "全县",
    "全市",
    "全区",
    "全州",
    "全省",
    "全旗",
    "我县",
    "我市",
    "我区",
    "其中",
    "力争",
    "确保",
    "争取",
    "实现",
    "完成",
    "达到",
    "累计",
    "共计",
    "合计",
    "共",
)
_TRAILING = (
    "相继",
    "实现",
    "分别达到",
    "分别达",
    "分别为",
    "分别",
    "达到",
    "达",
    "为",
    "突破",
    "增至",
    "增加到",
    "增加至",
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "稳定在",
    "控制在",
    "保持在",
    "总计",
    "累计",
    "共",
    "约",
)
_YEAR_PREFIX = re.compile(r"^(?:\d{4}年(?:度)?|上年|今年|去年)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_PAREN = re.compile(r"（[^）]*）|\([^)]*\)")


@dataclass(frozen=True)
class Figure:
    """A number as written in the report, with its parsed amount and offsets in the block."""

    text: str
    start: int
    end: int
    amount: Amount
    sign: int = 1  # -1 for a decrease (下降, 减少 …)

    @property
    def english(self) -> str:
        """'RMB 13.746 billion'; growth figures carry their sign: '+8.4%', '-16.67%'."""
        return render_amount(self.amount)

    @property
    def signed(self) -> str:
        """The figure as a change: '+8.4%', '−16.67%', 'about +8.5%', '+2 percentage points'."""
        a = self.amount
        qual = f"{a.qualifier} " if a.qualifier else ""
        bare = render_amount(Amount(**{**a.__dict__, "qualifier": None}))
        return f"{qual}{'+' if self.sign > 0 else '−'}{bare}"

    @property
    def number(self) -> Decimal:
        """The value in base units (元, 吨 …, or percent), negative for a decrease."""
        return self.amount.value * self.sign

    def to_dict(self) -> dict[str, Any]:
        a = self.amount
        out: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": _num(a.value * self.sign),
            "unit": "%" if a.percent else a.unit_zh,
            "english": self.english,
        }
        if a.high is not None:
            out["high"] = _num(a.high * self.sign)
        if a.qualifier:
            out["qualifier"] = a.qualifier
        if self.sign < 0:
            out["decrease"] = True
        return out


def _num(d: Decimal) -> str:
    """Exact decimal as a string (JSON floats would lose 137.46亿 = 13746000000)."""
    s = format(d, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


@dataclass
class Indicator:
    """One indicator statement: a name and its value and/or growth rate.

    ``zh`` is the indicator's own name (a list subject split per value: 城镇居民人均
    可支配收入); ``written`` is the subject as the report wrote it, at ``name_start``
    to ``name_end`` in block ``block``.
    """

    zh: str
    written: str
    block: int
    name_start: int
    name_end: int
    value: Figure | None = None
    growth: Figure | None = None
    share: Figure | None = None
    period: str | None = None  # RESULT, TARGET or None (undecided)
    year: int | None = None
    en: str | None = None  # English name (glossary, MT) once resolved
    en_source: str | None = None  # "glossary", "mt"
    headline: bool = False

    @property
    def key(self) -> str:
        """Name for pairing results with targets: brackets dropped (固定资产投资（不含农户）)."""
        return _PAREN.sub("", self.zh)

    @property
    def start(self) -> int:
        return self.name_start

    @property
    def end(self) -> int:
        """End of the whole statement: the last of name, value, growth and share."""
        figures = [f.end for f in (self.value, self.growth, self.share) if f is not None]
        return max([self.name_end, *figures])

    def to_dict(self) -> dict[str, Any]:
        return {
            "zh": self.zh,
            "written": self.written,
            "en": self.en,
            "en_source": self.en_source,
            "period": self.period,
            "year": self.year,
            "headline": self.headline,
            "block": self.block,
            "start": self.start,
            "end": self.end,
            "name": {"start": self.name_start, "end": self.name_end},
            "value": self.value.to_dict() if self.value else None,
            "growth": self.growth.to_dict() if self.growth else None,
            "share": self.share.to_dict() if self.share else None,
        }


# ------------------------------------------------------------------ tokens


@dataclass
class _Token:
    kind: str  # value, growth, share, other
    match: AmountMatch
    lead: str  # words between the last separator and the amount
    lead_start: int
    hard: bool  # a hard separator lies between the previous amount and this one
    soft: bool
    name: str = ""  # growth: the subject written before the verb (各类文件、会议)
    sign: int = 1
    adverbs: str = ""
    growth: _Token | None = None  # a value's growth rate, once paired
    share: _Token | None = None  # a value's 占比 figure

    def figure(self) -> Figure:
        m = self.match
        return Figure(m.text, m.start, m.end, m.amount, self.sign)


@dataclass
class _Group:
    """A subject and the values (分别 lists: several) and growth rates stated for it."""

    name: str
    name_start: int
    statement: int  # index of the statement (text between hard separators)
    values: list[_Token] = field(default_factory=list)
    growths: list[_Token] = field(default_factory=list)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    prev = 0
    for m in find_amounts(text):
        gap = text[prev : m.start]
        cut = max((gap.rfind(c) for c in _SEPARATORS), default=-1)
        lead_start = prev + cut + 1
        if cut < 0 and tokens and tokens[-1].kind == "other":
            # 建成5万吨冷库2座: the describing amount is part of the name
            lead_start = tokens[-1].lead_start
        lead = text[lead_start : m.start]
        stripped = lead.lstrip("、 \u3000")
        lead_start += len(lead) - len(stripped)
        hard = any(c in gap for c in _HARD)
        soft = any(c in gap for c in _SOFT)
        tok = _Token("other", m, stripped, lead_start, hard, soft)
        prev = m.end
        tokens.append(tok)
        # A figure is a statement's figure only when the statement ends (or a list
        # goes on) right after it; 60万吨铁矿, 16个公租房小区 describe a noun instead.
        if text[m.end : m.end + 1] not in _VALUE_FOLLOW:
            continue
        g = _GROWTH.match(stripped)
        last = tokens[-2] if len(tokens) > 1 else None
        if g:
            # 增速8.4%, 分别增长7%, and also 旅游收入增长15% (a change with its own subject)
            tok.kind, tok.name = "growth", g["name"].rstrip("、")
            tok.sign, tok.adverbs = _GROWTH_VERBS[g["verb"]], g["adv"]
        elif not stripped and not (hard or soft) and last is not None and last.kind == "growth":
            # 分别增长7%、10%: the list goes on
            tok.kind, tok.sign, tok.adverbs = "growth", last.sign, last.adverbs
        elif _SHARE.search(stripped) and m.amount.percent:
            tok.kind = "share"
        else:
            tok.kind = "value"
    return tokens


def _groups(tokens: list[_Token]) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    statement = 0
    for tok in tokens:
        statement += tok.hard
        if tok.kind == "value":
            if (
                current is not None
                and not tok.lead
                and current.values
                and not current.growths
                and not (tok.hard or tok.soft)
            ):
                current.values.append(tok)  # 分别达36482元、20199元
            elif tok.lead:
                current = _Group(tok.lead, tok.lead_start, statement, values=[tok])
                groups.append(current)
            else:
                current = None  # a number with no name: not an indicator
        elif tok.kind == "growth":
            continues = not tok.lead and not (tok.hard or tok.soft)
            if current is not None and current.growths and continues:
                current.growths.append(tok)
            elif _clean(tok.name)[0] and (current is None or tok.hard or tok.soft or current.growths):
                # 各类文件、会议同比下降…: a change stated without a value
                current = _Group(tok.name, tok.lead_start, statement, growths=[tok])
                groups.append(current)
            elif current is not None and not tok.hard and not current.growths:
                current.growths.append(tok)
            else:
                current = None
        elif tok.kind == "share":
            if current is not None and current.values and not tok.hard:
                current.values[-1].share = tok
        else:
            current = None
    _pair(groups)
    return groups


def _pair(groups: list[_Group]) -> None:
    """Give each value its growth rate (sets ``_Token.growth``)."""
    first = 0  # index of the first group of the current statement
    for gi, group in enumerate(groups):
        if group.statement != groups[first].statement:
            first = gi  # statements only grow along the list: their groups are contiguous
        g, values = group.growths, group.values
        if not g or not values:
            continue
        n, m = len(values), len(g)
        if m == n:
            pairs = list(zip(values, g))
        elif m == 1 and ("均" in g[0].adverbs or "都" in g[0].adverbs):
            pairs = [(v, g[0]) for v in values]  # A、B均增长5%
        elif m > n and "分别" in g[0].adverbs:
            # 本科上线率85.63%、一本上线率41.04%，分别增长3.64%、1.89%: the rates
            # belong to the last m values of the statement that have none yet.
            pool = [v for earlier in groups[first : gi + 1] for v in earlier.values if v.growth is None]
            pairs = list(zip(pool[-m:], g)) if len(pool) >= m else []
        else:
            pairs = []  # ambiguous: say nothing rather than guess
        for v, growth in pairs:
            v.growth = growth


# ------------------------------------------------------------------ names

_MARKER = re.compile(r"^(?:\d{1,2}[.、．]|（\d{1,2}）|\(\d{1,2}\))")


# What is left of a lead that names a time or a comparison, not a quantity (三季度增长4.6%、
# 高于全国0.2个百分点: the subject is unstated): no indicator name.
_NOT_A_NAME = re.compile(
    r"^(?:[一二三四]季度|第[一二三四]季度|前三季度|[上下]半年|全年|当年|总量|增速|增幅|"
    r"(?:增速|增幅)?(?:[高低]于|快于|慢于|追平)全国(?:平均水平)?)$"
)


def _clean(lead: str) -> tuple[str, int]:
    """Strip verbs, scope and time words around a name; (name, chars cut at the start)."""
    name, cut = lead, 0
    changed = True
    while changed:
        changed = False
        # Trailing words first: 完成率达 must become 完成率, not 率.
        for w in _TRAILING:
            if name.endswith(w) and len(name) - len(w) >= 2:
                name, changed = name[: -len(w)], True
                break
        if changed:
            continue
        m = _MARKER.match(name) or _YEAR_PREFIX.match(name)
        if m and len(name) - m.end() >= 2:
            name, cut, changed = name[m.end() :], cut + m.end(), True
            continue
        for w in _LEADING:
            if name.startswith(w) and len(name) - len(w) >= 2:
                name, cut, changed = name[len(w) :], cut + len(w), True
                break
        if changed:
            continue
        stripped = name.strip("、 ，,")
        if stripped != name:
            cut += len(name) - len(name.lstrip("、 ，,"))
            name, changed = stripped, True
    if not _CJK.search(name) or _NOT_A_NAME.match(name):
        return "", cut
    return name, cut


def _list_items(subject: str) -> list[str]:
    return [s for s in re.split(r"、|和|及|与", subject) if s]


def split_subject(subject: str, n: int, glossary: Glossary | None = None) -> list[str]:
    """One name per value for a list subject: 肉、奶、蛋产量 → 肉产量, 奶产量, 蛋产量.

    城乡… becomes 城镇… and 农村…. The split point in the last item is chosen so that
    most resulting names are glossary terms, then at a word boundary (jieba), then
    nearest the length of the other items.
    """
    if n == 2 and "城乡" in subject and "、" not in subject:
        return [subject.replace("城乡", "城镇", 1), subject.replace("城乡", "农村", 1)]
    items = _list_items(subject)
    if len(items) != n or n < 2:
        return [f"{subject}（{i + 1}）" for i in range(n)]
    *firsts, last = items
    avg = sum(len(s) for s in firsts) / len(firsts)
    if len(last) <= avg:
        # Not a shared head (各类文件、会议; 参保率、享受率): the items are whole names.
        return items
    bounds_default, bounds_search = _word_bounds(last)

    def score(k: int) -> tuple[int, bool, float, bool]:
        head = last[k:]
        names = [s + head for s in firsts] + [last]
        hits = sum(1 for s in names if glossary is not None and glossary.get(s) is not None)
        # Parallel items have parallel stems (养老、医疗|保险参保率), so length comes
        # before jieba's preference for longer words (医疗保险).
        return (hits, k in bounds_search or k in bounds_default, -abs(k - avg), k in bounds_default)

    k = max(range(1, len(last)), key=score)
    head = last[k:]
    return [s + head for s in firsts] + [last]


def _word_bounds(text: str) -> tuple[set[int], set[int]]:
    """Word boundaries of ``text`` by jieba (default and search modes); empty without it."""
    try:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # pragma: no cover - jieba is a dependency
        return set(), set()
    default = {end for _, _, end in jieba.tokenize(text)}
    search: set[int] = set()
    for _, s, e in jieba.tokenize(text, mode="search"):
        search |= {s, e}
    return default, search


# ------------------------------------------------------------------ extraction

_BOTH = re.compile(r"(?:均|都)(?:达到?|为|是)?$")


def extract_indicators(
    text: str, block: int = 0, glossary: Glossary | None = None
) -> list[Indicator]:
    """Indicators stated in one paragraph, in text order; offsets are into ``text``."""
    out: list[Indicator] = []
    for group in _groups(_tokens(text)):
        name, cut = _clean(group.name)
        if not name:
            continue
        name_start = group.name_start + cut
        name_end = name_start + len(name)
        if group.values:
            values = group.values
            if len(values) == 1 and _BOTH.search(group.name) and len(_list_items(name)) > 1:
                # 参保率、享受率均达100%: one value for each item of the list
                items = _list_items(name.rstrip("均都"))
                values = values * len(items)
                names = split_subject(name.rstrip("均都"), len(items), glossary)
            else:
                names = split_subject(name, len(values), glossary) if len(values) > 1 else [name]
            for zh, tok in zip(names, values):
                ind = Indicator(zh, name, block, name_start, name_end, value=tok.figure())
                if tok.growth is not None:
                    ind.growth = tok.growth.figure()
                if tok.share is not None:
                    ind.share = tok.share.figure()
                out.append(ind)
        else:
            growths = group.growths
            items = _list_items(name)
            if len(growths) == 1 and len(items) > 1 and {"均", "都"} & set(growths[0].adverbs):
                growths = growths * len(items)  # 城镇和农村居民人均可支配收入均增长6%
            n = len(growths)
            names = split_subject(name, n, glossary) if n > 1 else [name]
            for zh, tok in zip(names, growths):
                out.append(Indicator(zh, name, block, name_start, name_end, growth=tok.figure()))
    return out


# ------------------------------------------------------------------ periods


_REVIEW_HEADING = re.compile(r"回顾|总结|过去[一五]年|成绩")
_PLAN_HEADING = re.compile(r"任务|安排|目标|计划|建议|打算|展望|部署")
# 目标任务 is what a review says was done (完成全年主要目标任务), not a target.
_TARGET_CUE = re.compile(r"预期目标|主要目标(?!任务)|目标是|目标为|力争|确保|争取")
_STRONG_TARGET_CUE = re.compile(r"预期目标|主要目标(?!任务)|目标是|目标为")
_PAST_WORDS = re.compile(r"去年|上年|过去一年|一年来|刚刚过去")
# The economy's size: the figure a review's summary paragraph opens with.
_OUTPUT_NAME = re.compile(r"生产总值|GDP|GRP")
_YEAR = re.compile(r"(?<!\d)(\d{4})年")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")


@dataclass(frozen=True)
class ReportYears:
    review: int | None  # the year the results are for
    plan: int | None  # the year the targets are for


def report_years(doc: Document) -> ReportYears:
    """Result and target years: from the review/plan headings, else from the report date."""
    review = plan = None
    for b in doc.blocks:
        if b.type == "heading" and b.level == 2:
            m = _YEAR.search(b.text)
            if m and _REVIEW_HEADING.search(b.text) and review is None:
                review = int(m.group(1))
            elif m and _PLAN_HEADING.search(b.text) and plan is None:
                plan = int(m.group(1))
    year = None
    for s in (doc.metadata.date, doc.metadata.occasion, doc.metadata.title):
        m = re.match(r"(\d{4})", s or "") or _YEAR.search(s or "")
        if m:
            year = int(m.group(1))
            break
    if plan is None and year is not None:
        plan = review + 1 if review is not None and review + 1 == year else year
    if review is None and plan is not None:
        review = plan - 1
    return ReportYears(review, plan)


def section_kinds(doc: Document) -> list[str | None]:
    """For each block: "review", "plan" or None, from the level-2 heading it falls under."""
    kinds: list[str | None] = []
    current: str | None = None
    for b in doc.blocks:
        if b.type == "heading" and b.level <= 2:
            if _REVIEW_HEADING.search(b.text):
                current = "review"
            elif _PLAN_HEADING.search(b.text):
                current = "plan"
            else:
                current = None
        kinds.append(current)
    return kinds


def sentence_period(
    sentence: str, paragraph: str, section: str | None, years: ReportYears
) -> str | None:
    """RESULT or TARGET for the figures of one sentence (see module docs for the cues)."""
    mentioned = {int(y) for y in _YEAR.findall(sentence)}
    if years.plan in mentioned and _TARGET_CUE.search(sentence + paragraph[:60]):
        return TARGET
    if _STRONG_TARGET_CUE.search(sentence):
        return TARGET
    if years.review in mentioned or _PAST_WORDS.search(sentence):
        return RESULT
    if section == "review":
        return RESULT
    if section == "plan":
        return TARGET
    if _TARGET_CUE.search(sentence):
        return TARGET
    return None


def extract_document(doc: Document, glossary: Glossary | None = None) -> list[Indicator]:
    """Indicators of every paragraph, each with its period (result/target) and year."""
    years = report_years(doc)
    kinds = section_kinds(doc)
    out: list[Indicator] = []
    for bi, block in enumerate(doc.blocks):
        if block.type not in ("paragraph", "list_item"):
            continue
        found = extract_indicators(block.text, bi, glossary)
        if not found:
            continue
        spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(block.text)]
        starts = [s for s, _ in spans]
        for ind in found:
            pos = ind.value.start if ind.value else ind.name_start
            # The sentence holding pos (bisect: a one-line 10 MB text has 100,000 sentences).
            k = bisect.bisect_right(starts, pos) - 1
            s, e = spans[k] if k >= 0 and pos < spans[k][1] else (0, len(block.text))
            ind.period = sentence_period(block.text[s:e], block.text, kinds[bi], years)
            ind.year = {RESULT: years.review, TARGET: years.plan}.get(ind.period or "")
        out.extend(found)
    return out


def headline_blocks(doc: Document, indicators: list[Indicator]) -> dict[str, int | None]:
    """The paragraph of last year's main results and the one of this year's main targets.

    Targets: the paragraph that says 主要预期目标 (or 预期目标/目标是) with two or more
    target figures, outside the review (a review's 主要目标 is what was done); else the
    target paragraph with the most growth rates. Results: the first paragraph that states
    last year's 生产总值 (the summary a review opens with: 全年地区生产总值…、增长…); else
    the result paragraph with the most growth rates, at least three.
    """
    by_block: dict[int, list[Indicator]] = {}
    for ind in indicators:
        by_block.setdefault(ind.block, []).append(ind)
    kinds = section_kinds(doc)

    def rates(bi: int, period: str) -> int:
        return sum(1 for i in by_block[bi] if i.period == period and i.growth is not None)

    def figures(bi: int, period: str) -> int:
        return sum(1 for i in by_block[bi] if i.period == period)

    strong = [bi for bi in by_block
              if _STRONG_TARGET_CUE.search(doc.blocks[bi].text) and figures(bi, TARGET) >= 2]
    target = next((bi for bi in strong if kinds[bi] != "review"), strong[0] if strong else None)
    if target is None:
        cands = [bi for bi in by_block if rates(bi, TARGET) >= 3]
        target = max(cands, key=lambda bi: (rates(bi, TARGET), -bi), default=None)
    result = next((bi for bi in by_block if bi != target and kinds[bi] != "plan" and any(
        i.period == RESULT and _OUTPUT_NAME.search(i.zh) and (i.value or i.growth) for i in by_block[bi])), None)
    if result is None:
        cands = [bi for bi in by_block if rates(bi, RESULT) >= 3 and bi != target]
        result = max(cands, key=lambda bi: (rates(bi, RESULT), -bi), default=None)
    return {RESULT: result, TARGET: target}


def document_indicators(doc: Document, glossary: Glossary | None = None) -> list[dict[str, Any]]:
    """Every indicator of the document as JSON (``Indicator.to_dict``), headline figures marked.

    What ``convert --to json`` writes under ``indicators`` and the archive stores.
    """
    found = extract_document(doc, glossary)
    headline = headline_blocks(doc, found)
    out = []
    for ind in found:
        ind.headline = headline.get(ind.period or "") == ind.block
        out.append(ind.to_dict())
    return out
