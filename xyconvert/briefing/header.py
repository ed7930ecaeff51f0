"""The briefing's header in English: title, date, occasion and speaker.

Built by rule from the report's opening lines (``Metadata.title/date/occasion/
speaker/speaker_name``): institutions and titles from the glossary and a small
table of official titles, place names and personal names in pinyin (pypinyin,
imported lazily). What no rule covers is left to MT when a model is installed,
else kept in Chinese and marked "(untranslated)".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xyconvert.glossary import Glossary
    from xyconvert.model import Metadata

Translate = Callable[[Sequence[str]], list[str]]

UNTRANSLATED = "(untranslated)"

# ------------------------------------------------------------------ numerals

_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGIT.update({"六": 6, "七": 7, "八": 8, "九": 9})
_WORDS = (
    ["Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"]
)


def cn_number(s: str) -> int | None:
    """十八 → 18, 二十一 → 21, 一百零二 → 102, 18 → 18; None if not a numeral."""
    if s.isdigit():
        return int(s)
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in ("十", "百"):
            total += (1 if digit is None else digit) * (10 if ch == "十" else 100)
            digit = None
        else:
            return None
    return total + (digit or 0)


def ordinal(n: int, *, words: bool = False) -> str:
    """18 → '18th'; with ``words`` 4 → 'Fourth' (up to ten, as style guides spell them)."""
    if words and 0 < n < len(_WORDS):
        return _WORDS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ------------------------------------------------------------------ pinyin

# Surnames read differently from the same character elsewhere (pypinyin reads words).
_SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "翟": "zhai",
    "缪": "miao",
    "员": "yun",
    "种": "chong",
    "尉": "yu",
    "召": "shao",
    "繁": "po",
}
_COMPOUND_SURNAMES = (
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "端木", "申屠"]
)


def _syllables(zh: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(zh, style=Style.NORMAL, v_to_u=True, errors="default")


def pinyin_word(zh: str, *, first: str | None = None) -> str:
    """Syllables run together and capitalised: 新源 → Xinyuan, 西安 → Xi'an."""
    syl = _syllables(zh)
    if first is not None and syl:
        syl[0] = first
    out = ""
    for i, s in enumerate(syl):
        # The apostrophe marks a syllable boundary before a, o, e (Xi'an, not Xian).
        if i and s[:1] in ("a", "o", "e") and out[-1:].isalpha():
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


def person_name(zh: str) -> str:
    """A personal name in pinyin.

    Names written with a middle dot (Uyghur, Kazakh … names: 热合木·艾木拉) are
    transcribed part by part → 'Rehemu Aimula'. Han names: surname then given name,
    with the surname's own reading → 王小明 'Wang Xiaoming', 曾国藩 'Zeng Guofan'.
    """
    zh = zh.strip()
    parts = [p for p in re.split(r"[·•‧・.．]", zh) if p]
    if len(parts) > 1:
        return " ".join(pinyin_word(p) for p in parts)
    surname_len = 2 if zh[:2] in _COMPOUND_SURNAMES and len(zh) > 2 else 1
    surname, given = zh[:surname_len], zh[surname_len:]
    first = _SURNAME_READINGS.get(surname) if surname_len == 1 else None
    sur = pinyin_word(surname, first=first)
    return f"{sur} {pinyin_word(given)}" if given else sur


# ------------------------------------------------------------------ places

_LEVELS: tuple[tuple[str, str], ...] = (
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("地区", "Prefecture"),
    ("省", "Province"),
    ("市", "City"),
    ("县", "County"),
    ("区", "District"),
    ("州", "Prefecture"),
    ("旗", "Banner"),
    ("盟", "League"),
    ("镇", "Town"),
    ("乡", "Township"),
)
_LEVEL_EN = dict(_LEVELS)
# A place name is Han characters only: a year or number before it (2025年安徽省) is not
# part of the name (it came out as '2025nian'anhui Province').
_PLACE_PART = re.compile(rf"([\u3400-\u4dbf\u4e00-\u9fff]{{2,}}?)({'|'.join(z for z, _ in _LEVELS)})")

# Province-level names have official English forms that a syllable-by-syllable reading
# misses (陕西 Shaanxi, not Shanxi; 内蒙古 Inner Mongolia) or a level word that differs
# from a city's (直辖市: Municipality).
_PROVINCES = {
    **{f"{z}市": f"{en} Municipality" for z, en in (
        ("北京", "Beijing"), ("天津", "Tianjin"), ("上海", "Shanghai"), ("重庆", "Chongqing"))},
    **{f"{z}省": f"{en} Province" for z, en in (
        ("河北", "Hebei"), ("山西", "Shanxi"), ("辽宁", "Liaoning"), ("吉林", "Jilin"),
        ("黑龙江", "Heilongjiang"), ("江苏", "Jiangsu"), ("浙江", "Zhejiang"), ("安徽", "Anhui"),
        ("福建", "Fujian"), ("江西", "Jiangxi"), ("山东", "Shandong"), ("河南", "Henan"),
        ("湖北", "Hubei"), ("湖南", "Hunan"), ("广东", "Guangdong"), ("海南", "Hainan"),
        ("四川", "Sichuan"), ("贵州", "Guizhou"), ("云南", "Yunnan"), ("陕西", "Shaanxi"),
        ("甘肃", "Gansu"), ("青海", "Qinghai"), ("台湾", "Taiwan"))},
    "内蒙古自治区": "Inner Mongolia Autonomous Region",
    "广西壮族自治区": "Guangxi Zhuang Autonomous Region",
    "西藏自治区": "Xizang Autonomous Region",
    "宁夏回族自治区": "Ningxia Hui Autonomous Region",
    "新疆维吾尔自治区": "Xinjiang Uygur Autonomous Region",
}


def place_name(zh: str, glossary: Glossary | None = None) -> str | None:
    """新源县 → 'Xinyuan County'; 伊犁哈萨克自治州新源县 → 'Xinyuan County, Ili Kazak
    Autonomous Prefecture' (glossary first for each part). None if ``zh`` is not a
    sequence of place names."""
    parts, pos = [], 0
    while pos < len(zh):
        m = _PLACE_PART.match(zh, pos)
        if not m:
            return None
        parts.append(_one_place(m.group(0), m.group(1), m.group(2), glossary))
        pos = m.end()
    return ", ".join(reversed(parts)) if parts else None


def _one_place(whole: str, stem: str, level: str, glossary: Glossary | None) -> str:
    entry = glossary.get(whole) if glossary is not None else None
    if entry is not None and entry.category in ("xinjiang", "institution", ""):
        return entry.en
    if whole in _PROVINCES:
        return _PROVINCES[whole]
    return f"{pinyin_word(stem)} {_LEVEL_EN[level]}"


def _split_place(text: str) -> tuple[str, str]:
    """('新源县', '委副书记') for '新源县委副书记': the longest leading run of place names."""
    best = 0
    pos = 0
    while True:
        m = _PLACE_PART.match(text, pos)
        if not m:
            break
        pos = m.end()
        best = pos
    return text[:best], text[best:]


# ------------------------------------------------------------------ titles

_PARTY_ROLES = {
    "书记": "Secretary",
    "副书记": "Deputy Secretary",
    "常委": "Member of the Standing Committee",
}
_GOV_ROLES = {
    "县长": "County Governor",
    "市长": "Mayor",
    "州长": "Prefecture Governor",
    "区长": "District Head",
    "省长": "Governor",
    "旗长": "Banner Governor",
    "盟长": "League Governor",
    "镇长": "Town Head",
    "乡长": "Township Head",
    "主席": "Chairman",
}
_PARTY_TITLE = re.compile(r"^(?P<org>.*?)(?:党委|委)(?P<role>副书记|书记|常委)$")
_GOV_TITLE = re.compile(
    rf"^(?P<org>.*?)(?:人民政府|政府)?(?P<mod>代|副|代理)?(?P<role>{'|'.join(_GOV_ROLES)})$"
)


def official_title(zh: str, glossary: Glossary | None = None) -> str | None:
    """One title of a speaker: 新源县委副书记 → 'Deputy Secretary of the Xinyuan County
    Party Committee'; 政府县长 → 'County Governor'. None when no rule applies."""
    zh = zh.strip()
    entry = glossary.get(zh) if glossary is not None else None
    m = _PARTY_TITLE.match(zh)
    if m:
        org = m["org"]
        place = place_name(org, glossary) if org else None
        if org and place is None:
            # 县委 alone: the level without a name
            place = _LEVEL_EN.get(org)
        if org and place is None:
            return entry.en if entry else None
        of = f"the {place} Party Committee" if place else "the Party Committee"
        return f"{_PARTY_ROLES[m['role']]} of {of}"
    m = _GOV_TITLE.match(zh)
    if m:
        org = m["org"]
        place = place_name(org, glossary) if org else None
        if org and place is None:
            return entry.en if entry else None
        mod = {"代": "Acting ", "代理": "Acting ", "副": "Deputy "}.get(m["mod"] or "", "")
        role = _GOV_ROLES[m["role"]]
        if place and m["role"] != "主席":
            # 新源县县长: name the place, drop the level the role repeats
            level = role.split()[0] if " " in role else ""
            if level and place.endswith(level):
                return f"{mod}{place} {role.split(' ', 1)[1]}"
            return f"{mod}{role} of {place}"
        return f"{mod}{role}"
    if entry is not None:
        return title_case(entry.en)
    return None


def join_english(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ------------------------------------------------------------------ occasion

_OCCASION = re.compile(
    r"^(?:(?P<date>\d{4}年\d{1,2}月\d{1,2}日))?\s*在(?P<where>.+?)上?$"
)
_CONGRESS = re.compile(
    r"^(?P<place>.*?)第(?P<term>[\d一二三四五六七八九十百〇零]+)届"
    r"(?P<body>人民代表大会|人大)(?P<standing>常务委员会|常委会)?"
    r"第(?P<sess>[\d一二三四五六七八九十百〇零]+)次(?:全体)?会议$"
)
_CPPCC = re.compile(
    r"^(?:政协|中国人民政治协商会议)(?P<place>.*?)第(?P<term>[\d一二三四五六七八九十百〇零]+)届"
    r"委员会(?P<standing>常务委员会)?第(?P<sess>[\d一二三四五六七八九十百〇零]+)次(?:全体)?会议$"
)


def _occasion_body(zh: str) -> re.Match[str] | None:
    zh = zh.strip().lstrip("—–-").strip()  # a dash introduces it under the title: ——2025年1月19日在…
    m = _OCCASION.match(zh)
    where = m["where"] if m else zh
    where = where.removesuffix("上")
    return _CONGRESS.match(where) or _CPPCC.match(where)


def occasion_place(zh: str) -> str:
    """The place whose congress the occasion names (安徽省), or ''."""
    c = _occasion_body(zh)
    return c["place"] if c else ""


# A congress or committee is named with the adjective: the Anhui Provincial People's
# Congress, the Chongqing Municipal People's Congress (counties keep the noun).
_ADJECTIVAL = ((" Province", " Provincial"), (" Municipality", " Municipal"), (" City", " Municipal"),
               (" Autonomous Region", " Autonomous Regional"))


def _adjectival(place: str) -> str:
    for noun, adjective in _ADJECTIVAL:
        if "," not in place and place.endswith(noun):
            return place[: -len(noun)] + adjective
    return place


def occasion_english(zh: str, glossary: Glossary | None = None) -> str | None:
    """'the Fourth Session of the 18th Xinyuan County People's Congress' (no date)."""
    c = _occasion_body(zh)
    if not c:
        return None
    place = _adjectival(place_name(c["place"], glossary) or "") if c["place"] else ""
    if c["place"] and not place:
        return None
    term = cn_number(c["term"])
    sess = cn_number(c["sess"])
    if term is None or sess is None:
        return None
    congress = c.re is _CONGRESS
    body = f"{place} People's Congress" if congress else f"{place} Committee of the CPPCC"
    body = body.strip()
    if c["standing"]:
        return f"the {ordinal(sess)} Meeting of the Standing Committee of the {ordinal(term)} {body}"
    return f"the {ordinal(sess, words=True)} Session of the {ordinal(term)} {body}"


# ------------------------------------------------------------------ title, date

_SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"}


def title_case(text: str) -> str:
    """'government work report' → 'Government Work Report' (keeps GRP, CPPCC, of, the)."""
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        if i and w.lower() in _SMALL_WORDS:
            out.append(w.lower())
        elif w[:1].islower():
            out.append(w[:1].upper() + w[1:])
        else:
            out.append(w)
    return " ".join(out)


_TITLE_YEAR = re.compile(r"^(?P<year>\d{4}|[〇○零一二三四五六七八九]{4})年(?:度)?")
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")


def title_english(
    zh: str, glossary: Glossary | None = None
) -> str | None:
    """新源县2024年政府工作报告 and 2024年新源县政府工作报告 → 'Xinyuan County Government
    Work Report 2024'."""
    rest = zh.strip()
    year = None
    m = _TITLE_YEAR.match(rest)
    if m:  # the year may come before the place, as in most provinces' titles
        year, rest = m["year"], rest[m.end() :]
    place, rest2 = _split_place(rest)
    place_en = place_name(place, glossary) if place else None
    if place and place_en is not None:
        rest = rest2
    m = _TITLE_YEAR.match(rest) if year is None else None
    if m:
        year, rest = m["year"], rest[m.end() :]
    year = year.translate(_CN_DIGITS) if year else None
    entry = glossary.get(rest) if glossary is not None and rest else None
    if entry is None:
        return None
    parts = [place_en or "", title_case(entry.en), year or ""]
    return " ".join(p for p in parts if p)


def date_english(iso: str | None) -> str | None:
    """'2024-01-26' → '26 January 2024'; '2024-01' → 'January 2024'."""
    if not iso:
        return None
    for fmt, out in (("%Y-%m-%d", "{d} %B %Y"), ("%Y-%m", "%B %Y"), ("%Y", "%Y")):
        try:
            d = dt.datetime.strptime(iso, fmt)
        except ValueError:
            continue
        return d.strftime(out.replace("{d}", str(d.day)))
    return None


# ------------------------------------------------------------------ header


@dataclass
class Header:
    """The briefing's header; every English field says where it came from."""

    title_zh: str | None = None
    title: str | None = None
    date: str | None = None  # ISO, as in Metadata
    date_en: str | None = None
    occasion_zh: str | None = None
    occasion: str | None = None
    speaker_zh: str | None = None
    speaker_name_zh: str | None = None
    speaker_name: str | None = None
    speaker_titles: list[str] | None = None
    sources: dict[str, str] | None = None  # field → "rule", "glossary", "mt", "untranslated"

    @property
    def speaker(self) -> str | None:
        """'Rehemu Aimula, Deputy Secretary of … and County Governor'."""
        titles = join_english(self.speaker_titles or [])
        if self.speaker_name and titles:
            return f"{self.speaker_name}, {titles}"
        return self.speaker_name or titles or None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "title_zh": self.title_zh,
            "date": self.date,
            "date_en": self.date_en,
            "occasion": self.occasion,
            "occasion_zh": self.occasion_zh,
            "speaker": self.speaker,
            "speaker_name": self.speaker_name,
            "speaker_titles": self.speaker_titles,
            "speaker_zh": self.speaker_zh,
            "sources": dict(self.sources or {}),
        }


def untranslated(zh: str) -> str:
    return f"{UNTRANSLATED} {zh}"


def _rule(fn: Callable[..., str | None], *args: Any) -> str | None:
    """Apply a naming rule; None (fall back to MT or Chinese) when pypinyin is missing."""
    try:
        return fn(*args)
    except ImportError:
        return None


def build_header(
    meta: Metadata,
    title_zh: str | None,
    glossary: Glossary | None = None,
    translate: Translate | None = None,
) -> Header:
    """English header from the report's metadata; MT (``translate``) only as a fallback."""
    h = Header(
        title_zh=title_zh or meta.title,
        date=meta.date,
        date_en=date_english(meta.date),
        occasion_zh=meta.occasion,
        speaker_zh=meta.speaker,
        speaker_name_zh=meta.speaker_name,
        sources={},
    )
    sources: dict[str, str] = {}
    pending: list[tuple[str, str]] = []  # (field, Chinese) for MT

    if h.title_zh:
        h.title = _rule(title_english, h.title_zh, glossary)
        sources["title"] = "glossary" if h.title else ""
        if h.title is None:
            pending.append(("title", h.title_zh))
    if meta.occasion:
        h.occasion = _rule(occasion_english, meta.occasion, glossary)
        sources["occasion"] = "rule" if h.occasion else ""
        if h.occasion is None:
            m = _OCCASION.match(meta.occasion)
            pending.append(("occasion", m["where"] if m else meta.occasion))
    titles_zh = ""
    if meta.speaker_name:
        h.speaker_name = _rule(person_name, meta.speaker_name)
        sources["speaker_name"] = "pinyin"
        if h.speaker_name is None:
            h.speaker_name = untranslated(meta.speaker_name)
            sources["speaker_name"] = "untranslated"
        if meta.speaker and meta.speaker.endswith(meta.speaker_name):
            titles_zh = meta.speaker[: -len(meta.speaker_name)]
    elif meta.speaker:
        titles_zh = meta.speaker
    if titles_zh.strip():
        h.speaker_titles = []
        place = ""
        home = occasion_place(meta.occasion or "")
        for i, part in enumerate(p for p in re.split(r"[、，,\s]+", titles_zh) if p):
            en = None
            if i == 0 and home and not _split_place(part)[0]:
                # 省长梁惠玲 under an occasion of 黑龙江省: the Governor of Heilongjiang Province
                en = _rule(official_title, home + part, glossary)
            en = en or _rule(official_title, part, glossary)
            if en is None and place:
                # 新源县委副书记、县长: later titles share the first one's place
                en = _rule(official_title, place + part, glossary)
            if i == 0:
                place = _split_place(part)[0]
            if en is None:
                pending.append((f"speaker_title:{len(h.speaker_titles)}", part))
                h.speaker_titles.append(part)
            else:
                h.speaker_titles.append(en)
        sources["speaker_titles"] = "rule"

    if pending:
        english = translate([zh for _, zh in pending]) if translate else None
        for k, (name, zh) in enumerate(pending):
            text = english[k] if english and english[k] else untranslated(zh)
            how = "mt" if english and english[k] else "untranslated"
            if name.startswith("speaker_title:"):
                assert h.speaker_titles is not None
                h.speaker_titles[int(name.split(":")[1])] = text
                sources["speaker_titles"] = how
            else:
                setattr(h, name, text)
                sources[name] = how
    h.sources = sources
    return h
