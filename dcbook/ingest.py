"""``dcbook ingest``: turn next year's report text into *draft* data for a maintainer to review.

The book is re-run every year when a new 数字中国发展报告 appears.  Typing hundreds of figures by hand is
where errors creep in, so this module does the mechanical part: it registers the source, finds every
catalogued indicator in the text (``name_zh``, ``aliases`` and the paraphrases below), drafts one
observation row per figure with the number, unit, qualifier, year, period, line and a verbatim quote, and
proposes a new indicator (name, unit, domain) for each figure it cannot attribute.  It never writes a
file the book reads (``<id>.csv``): the maintainer reviews ``<id>.draft.csv``, fixes or deletes rows and
renames it.

How a figure is attributed (deterministic; each rule is tried in this order, and a number takes the
first indicator that claims it):

1. **Names** — ``name_zh`` and every alias, matched longest first; the first number after the name whose
   unit is compatible (same base, same family in :mod:`dcbook.units`: 万台（套） for 万套, 项 for the general
   个), else a number printed right before it (``142.5万个5G基站``). ``由 A 增长到 B`` gives two rows. A
   growth rate (同比增长 8.8%) never pairs with a level indicator; a name followed by ``分别`` pairs with
   nothing (which number is whose in "A、B、C 分别达 …" is the reviewer's call).
2. **Paraphrase keys** (:func:`derived_keys`) — what reports write instead of the catalogue's wording: a
   generic suffix dropped or swapped (数, 数量, 总数, 总量, 规模, 总规模; 用户数 → 用户, 人数 → 人: ``5G用户数`` →
   ``5G用户``, matching "5G用户达 8.05 亿户"), a leading 我国/全国 dropped, the infix 接入 dropped
   (``光纤接入用户`` → ``光纤用户``), ``…增长率`` → ``…增长``; keys are at least four characters and never
   shadow a real name. A key pairs only with a number after it separated by linking words (达、为、已、共、
   增至、总数、规模 …, :data:`_LINK`), or a number right before it when no further noun follows the key; a
   key several indicators share is resolved by the unit of the number (exactly one must fit).
3. **Subject of a growth rate or share** — a percentage right after a drafted figure, with only growth
   words between ("网上零售额 15.42 万亿元，增长 11%"), is the growth ``<id>_growth`` of that figure's
   indicator; with ``，占…`` between ("数字经济规模 53.9 万亿元，…，占 GDP 比重 42.8%") it is the share whose
   catalogue name is ``<a wording of the subject>占…``, the best overlap with the printed words winning. A
   growth printed in its name's own clause ("电信业务总量按上年价格计算同比增长 16.8%") counts too.
4. **Names split around the number** — a name ``<head>的<tail>数`` printed as "工业互联网已覆盖 49 个国民
   经济大类" or "与 17 个国家签署“数字丝绸之路”合作谅解备忘录": the tail follows the unit, the clause holds
   half of the head's characters in order and at least four in a row, more than any other candidate.
5. **Table rows** — under a tab-separated header whose cells after the first are years (``指标 ⇥ 2022年 ⇥
   2023年``), a row ``名称（单位） ⇥ 值 ⇥ 值`` gives one row per year column for the indicator named by the
   first cell (a 目标 column is skipped, an 增速 column is ``<id>_growth`` in %).

Period: the rule validation applies (上半年 → to-06, 截至 6 月 → asof-06); where 累计 allows both, 累计 in
the figure's own clause drafts ``cumulative`` except 累计完成 and 全年/年/期间累计 (a year's total).

**Proposed indicators** (``<id>.proposed_indicators.draft.csv``, columns of ``indicators.csv`` plus
``locator``, ``year``, ``value``, ``qualifier``, ``period``, ``quote``): every number with a unit that no
rule attributes, except list sizes (等 7 个方面), top-N ranks (前 10 名) and thresholds inside a name
(1000Mbps及以上…). ``name_zh`` is the words of its clause before the number, trimmed of time words, verbs
and qualifiers; a number printed before its noun is named by the noun (62 家“灯塔工厂” → 灯塔工厂数); a
growth or share after a figure is named from that figure (…同比增长率, …占…比重) and gets the suggested id
``<subject id>_growth``/``_share`` when the subject is catalogued (else ``new_<source>_<line>_<n>``).
``unit`` is the printed unit; ``domain`` is that of the catalogue indicator sharing most two-character
words with the name (then with the section heading), a growth or share taking its subject's domain.

Confidence heuristic (``confidence`` column, 0–1, sum of four parts):

* 0.30 — a catalogued name and a number with a unit occur in the same sentence;
* name/number distance: +0.25 when the number follows the name within 8 characters (``网民规模达10.32亿``),
  +0.10 when it follows further away (up to 60 characters, never past the next indicator name), +0.15
  when it directly precedes the name (``142.5万个5G基站``);
* unit: +0.25 when the printed unit has the catalogue unit's base (``万个`` for ``万个``/``个``), +0.10
  when it is a bare magnitude (``亿`` for ``亿人``) or the catalogue has no unit;
* year: +0.20 from a year in the same sentence, +0.10 from the paragraph (a year earlier in the line, or
  ``全年``/``本年`` → the edition year), +0.00 when the edition year is assumed; −0.20 when the year lies
  after the edition year (usually a plan target, not an observation).

Rules 3 and 4 count as a distant number (+0.10); a table cell scores +0.25 for position and +0.20 for the
header's year. Bands printed in the summary: high ≥ 0.80, medium 0.50–0.79, low < 0.50.

Measured with ``python bench/ingest.py`` (recall and wrong rows on the fictional reports of
``tests/data/ingest_recall`` and on the recorded yearly reports; README.md, "Benchmark").
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import csv
import functools
import hashlib
import io
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dcbook import DEFAULT_DATA_DIR, periods, schema, units

OBS_COLUMNS = ["indicator_id", "region", "year", "value", "unit", "qualifier", "period", "locator", "quote"]
DRAFT_COLUMNS = [*OBS_COLUMNS, "confidence", "matched_text"]
REGIONAL_COLUMNS = [
    "source_id",
    "year",
    "framework",
    "dimension",
    "province",
    "rank",
    "tier",
    "score",
    "locator",
    "quote",
]
SOURCE_COLUMNS = schema.SOURCES.columns
#: ``<id>.proposed_indicators.draft.csv``: the columns of ``indicators.csv``, then where the figure is.
PROPOSAL_COLUMNS = [
    "indicator_id",
    "name_zh",
    "name_en",
    "domain",
    "unit",
    "higher_is_better",
    "definition_zh",
    "aliases",
    "locator",
    "year",
    "value",
    "qualifier",
    "period",
    "quote",
]

#: How far after an indicator name the number may start (characters, same sentence).
WINDOW = 60
_SPACES = re.compile(r"\s+")
#: How far before a number its qualifier or growth words are looked for (characters). Bounded so that a
#: long sentence is scanned in linear time (the words themselves are a few characters long).
LOOKBEHIND = 40
QUOTE_MIN, QUOTE_MAX = 10, 160

#: Province short names (the contract's list) and the full official names that map onto them.
PROVINCES = (
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
)
_FULL_NAMES = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
}
for _p in PROVINCES:
    _FULL_NAMES.setdefault(_p + ("市" if _p in ("北京", "天津", "上海", "重庆") else "省"), _p)

#: Units recognised after a number, in addition to the catalogue's display units; longest first at use.
EXTRA_UNITS = (
    "万亿元",
    "亿元",
    "万元",
    "元",
    "万亿",
    "亿户",
    "万户",
    "户",
    "亿人",
    "万人",
    "人",
    "亿个",
    "万个",
    "个百分点",
    "百分点",
    "个",
    "万家",
    "家",
    "万件",
    "件",
    "位",
    "项",
    "种",
    "倍",
    "万公里",
    "公里",
    "万条",
    "条",
    "座",
    "台",
    "万台",
    "套",
    "亿次",
    "万次",
    "次",
    "块",
    "所",
    "部",
    "款",
    "名",
    "亿",
    "万",
    "%",
    "％",
    "‰",
    "Tbps",
    "Gbps",
    "Mbps",
    "ZB",
    "EB",
    "PB",
    "TB",
    "GB",
    "EFLOPS",
    "PFLOPS",
    "纳米",
    "nm",
    "吨",
    "亿吨",
    "千瓦",
    "万千瓦",
    "个省（区、市）",
)
_MAGNITUDES = ("万亿", "亿", "万", "千", "百")
GENERAL_CLASSIFIER = units.GENERAL_CLASSIFIER

LOWER_BOUND_BEFORE = ("超过", "突破", "逾", "超", "大于", ">")
NEAR_BEFORE = ("接近", "近")
APPROX_BEFORE = ("约", "大约")
UPPER_BOUND_BEFORE = ("不到", "不足", "少于", "<")
LOWER_BOUND_AFTER = ("以上", "多", "余")
APPROX_AFTER = ("左右",)
UPPER_BOUND_AFTER = ("以下", "以内")

_NUMBER = re.compile(r"(?<![A-Za-z0-9.\-_/])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)\d{2})\s*年(?!代)")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_TAG = re.compile(r"<[^>]*>")
_GROWTH_BEFORE = re.compile(
    r"(?:同比|比上年|较上年|年均|平均)?\s*(?:增长率?|增速|增幅|下降|降低|提高|提升|上升|增加|减少)\s*"
    r"(?:了|为|达|达到)?\s*(?:约|近|超过|超|逾)?\s*$"
)
_FROM_TO_AFTER = re.compile(
    r"\s*(?:的)?\s*(?:增长|提升|上升|增加|提高|扩大|下降|降低|减少|增)?\s*(?:到|至)\s*"
    r"(?:(?:19|20)\d{2}\s*年(?:底|末|上半年)?\s*的?\s*)?(?:第\s*)?"
)
_SOURCE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: Characters a report's text may not hold: C0 controls except tab, line feed, carriage return and form
#: feed (pdftotext's page break), DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class IngestError(Exception):
    """A problem the maintainer must fix before ingesting (bad encoding, duplicate id, …)."""


# ---------------------------------------------------------------------------------------------------
# small parsing helpers (each tested on its own)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph; ``start``/``end`` index the cleaned line so quotes stay verbatim."""

    line: int
    start: int
    end: int
    text: str


def clean_line(line: str) -> str:
    """Drop HTML tags and markdown ``**`` — the contract's ``norm`` ignores them, so quotes still match."""
    return _TAG.sub("", line).replace("**", "").rstrip("\r\n")


def split_sentences(line: str, line_no: int) -> list[Sentence]:
    """Split a paragraph at 。！？；: a figure and its indicator name must share a sentence to be paired."""
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(line):
        if line[start : m.end()].strip():
            out.append(Sentence(line_no, start, m.end(), line[start : m.end()]))
        start = m.end()
    if line[start:].strip():
        out.append(Sentence(line_no, start, len(line), line[start:]))
    return out


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Number:
    """A number with its printed unit and qualifier; ``start``/``end`` cover qualifier words too."""

    value: str
    unit: str
    qualifier: str
    start: int
    end: int
    num_start: int


class NumberParser:
    """Finds ``number + unit`` with the qualifier words around it, tolerant of spaces (``142.5 万个``)."""

    def __init__(self, units: Iterable[str] = ()) -> None:
        # time units are never a figure's unit here: "2021年" is a date, "近5年" a period
        all_units = (set(EXTRA_UNITS) | {u for u in units if u}) - {"年", "月", "日", "天", "年度"}
        self._unit = re.compile(r"\s*((?:余|多)?)\s*(" + _alternation(all_units) + r")")
        bases = {unit_base(u) for u in all_units if unit_base(u) and unit_base(u) != u} | {"元", "个", "家"}
        self._split_unit = re.compile(
            r"\s*(" + _alternation(_MAGNITUDES) + r")\s*(余|多)\s*(" + _alternation(bases) + r")"
        )
        before = [*LOWER_BOUND_BEFORE, *NEAR_BEFORE, *APPROX_BEFORE, *UPPER_BOUND_BEFORE]
        # "约为 62%", "近为": a copula between the qualifier word and the number
        self._before = re.compile(r"(" + _alternation(before) + r")\s*(?:为|是)?\s*$")
        self._after = re.compile(
            r"\s*(" + _alternation([*LOWER_BOUND_AFTER, *APPROX_AFTER, *UPPER_BOUND_AFTER]) + r")"
        )

    def find_all(self, text: str) -> list[Number]:
        """Every number that carries a unit; bare numbers (years, list items, ``5G``) are skipped."""
        found: list[Number] = []
        for m in _NUMBER.finditer(text):
            split = self._split_unit.match(text, m.end())  # 3万余家 → 3, 万家, lower_bound
            u = None if split else self._unit.match(text, m.end())
            if split:
                end, unit = split.end(), split.group(1) + split.group(3)
            elif u:
                end, unit = u.end(), u.group(2)
            else:
                continue
            # "5G", "IPv6", "10GPON": a letter right after the unit means it was an identifier.
            if re.match(r"[A-Za-z0-9]", text[end : end + 1]) and unit[-1:].isalpha() and unit.isascii():
                continue
            qualifier = "exact"
            start = m.start()
            if split or (u and u.group(1)):  # 3万余家, 20多个
                qualifier = "lower_bound"
            b = self._before.search(text, max(0, m.start() - LOOKBEHIND), m.start())
            if b:
                qualifier = _qualifier_of(b.group(1))
                start = b.start()
            a = self._after.match(text, end)
            if a and qualifier == "exact":
                qualifier = _qualifier_of(a.group(1))
                end = a.end()
            found.append(Number(m.group(1).replace(",", ""), unit, qualifier, start, end, m.start()))
        return found


#: 累计 in the figure's own clause makes it a running total (``cumulative``), as the recorded data do for
#: 累计下载量/累计发卡/累计上线; 累计完成 (a year's revenue) and 全年累计/2021年累计 are the year's total.
_CUMULATIVE_CLAUSE = re.compile(r"(?<!年)(?<!期间)累计(?!完成)")


def draft_period(sentence: str, num: Number) -> str:
    """The period the sentence states for the number (上半年 → to-06, 截至 6 月 → asof-06), by the rule
    validation applies; where 累计 allows both a running total and the year's total, the words of the
    figure's own clause decide (:data:`_CUMULATIVE_CLAUSE`), and the reviewer checks."""
    codes = periods.stated(sentence[num.num_start : num.end], num.value, sentence[: num.num_start])
    if len(codes) == 1:
        return next(iter(codes))
    clause = re.split(r"[，,、：:]", sentence[: num.num_start])[-1]
    return "cumulative" if "cumulative" in codes and _CUMULATIVE_CLAUSE.search(clause) else ""


def _qualifier_of(word: str) -> str:
    if word in LOWER_BOUND_BEFORE or word in LOWER_BOUND_AFTER:
        return "lower_bound"
    if word in NEAR_BEFORE:
        return "near"  # just under: 近 50 个
    if word in APPROX_BEFORE or word in APPROX_AFTER:
        return "approx"
    if word in UPPER_BOUND_BEFORE or word in UPPER_BOUND_AFTER:
        return "upper_bound"
    raise ValueError(word)


def parse_number(text: str, units: Iterable[str] = ()) -> Number | None:
    """The first ``number + unit`` in ``text`` (convenience wrapper for tests and one-off checks)."""
    found = NumberParser(units).find_all(text)
    return found[0] if found else None


@functools.lru_cache(maxsize=4096)
def unit_base(unit: str) -> str:
    """``万亿元`` → ``元``; ``亿`` → ``""``: compares a printed unit with the catalogue's display unit."""
    for mag in _MAGNITUDES:
        if unit.startswith(mag) and unit != "个百分点":
            return unit[len(mag) :]
    return unit


@functools.lru_cache(maxsize=16384)
def unit_score(printed: str, catalogue: str) -> float | None:
    """0.25 same base, 0.10 bare magnitude / no catalogue unit, ``None`` when clearly incompatible."""
    if not catalogue:
        return 0.10
    p, c = unit_base(printed.replace("％", "%")), unit_base(catalogue)
    if p == c:
        return 0.25
    if p == "" and c not in ("%", "个百分点", "位"):
        return 0.10
    if {p, c} <= {"个百分点", "百分点"}:
        return 0.25
    if c == "" and p and units.can_convert(printed, catalogue):  # 亿人 for a bare 亿
        return 0.10
    if p and c and p != GENERAL_CLASSIFIER and units.can_convert(printed, catalogue):
        return 0.25  # same family spelt differently (万台（套） for 万套; 项 for the general 个)
    return None


def is_growth_rate(sentence: str, number: Number) -> bool:
    """``同比增长 12.1%`` / ``增速超过30%``: a rate of change, not the level the indicator measures."""
    if number.unit not in ("%", "％", "个百分点", "百分点"):
        return False
    return bool(_GROWTH_BEFORE.search(sentence, max(0, number.num_start - LOOKBEHIND), number.num_start))


class YearIndex:
    """The years (``2021 年``) and 全年/本年 of one line, found once, so that dating each figure does not
    rescan the line (which made a long sentence quadratic)."""

    def __init__(self, line: str) -> None:
        found = [(m.end(), int(m.group(1))) for m in _YEAR.finditer(line)]
        self.ends = [e for e, _ in found]
        self.years = [y for _, y in found]
        self.starts = [m.start() for m in _YEAR.finditer(line)]
        whole = [i for i in (line.find("全年"), line.find("本年")) if i >= 0]
        self.whole_year_end = min(whole) + 2 if whole else None

    def detect(
        self, start: int, pos: int, end: int, edition: int, from_value: bool = False
    ) -> tuple[int, float]:
        """:func:`detect_year` for the sentence ``line[start:end]`` and the figure at ``start + pos``."""
        lo = bisect.bisect_left(self.starts, start)
        cut = bisect.bisect_right(self.ends, start + pos, lo)
        before = self.years[lo:cut]
        if before:
            return (min(before) if from_value else before[-1]), 0.20
        first_after = bisect.bisect_left(self.starts, start + pos, lo)
        if first_after < len(self.starts) and self.ends[first_after] <= end:
            return self.years[first_after], 0.20
        para = bisect.bisect_right(self.ends, start)
        if para:
            return self.years[para - 1], 0.10
        if self.whole_year_end is not None and self.whole_year_end <= end:
            return edition, 0.10
        return edition, 0.0


def detect_year(
    sentence: str, pos: int, paragraph_before: str, edition: int, from_value: bool = False
) -> tuple[int, float]:
    """Year a figure describes and how sure we are (see the module docstring for the scores).

    ``from_value`` marks the first figure of ``由 A 增长到 B``: with a range ``2017 年到 2021 年`` before it,
    it describes the earliest year, not the nearest one.
    """
    line = paragraph_before + sentence
    start = len(paragraph_before)
    return YearIndex(line).detect(start, pos, len(line), edition, from_value)


def clip_quote(line: str, sent: Sentence, a: int, b: int) -> str:
    """A verbatim passage of ``line`` holding ``line[a:b]``: the whole sentence when it fits in 160."""
    s, e = sent.start, sent.end
    while s < a and line[s] in " \t　":
        s += 1
    if e - s > QUOTE_MAX:
        # keep the match, spend the remaining budget mostly on the text before it (the subject)
        spare = QUOTE_MAX - (b - a)
        s = max(s, a - spare * 2 // 3)
        e = min(e, s + QUOTE_MAX)
        if e < b:  # match longer than the budget: cut it (never happens with a 60-char window)
            s, e = a, a + QUOTE_MAX
    if e - s < QUOTE_MIN:  # very short sentence: borrow context from the line
        e = min(len(line), s + QUOTE_MIN)
        s = max(0, e - QUOTE_MIN)
    return line[s:e].strip()


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex for many words, as a character trie: at each position only the words starting with that
    character are tried (a flat alternation of the whole catalogue tried every name at every position,
    which made ``dcbook ingest`` slow on long texts). Optional whitespace between characters (``5G 基站``),
    and the longest word wins at a position, as in a longest-first alternation: sibling branches start
    with different characters, and a word that is a prefix of another makes the rest optional (greedy)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            if not ch.isspace():
                node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict], first: bool) -> str:
        branches = [
            ("" if first else r"\s*") + re.escape(ch) + build(child, False)
            for ch, child in node.items()
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node and not first:
            return "(?:" + body + ")?"
        return body

    return build(trie, True)


def province_short(name: str) -> str:
    """``广西壮族自治区`` → ``广西``, ``北京市`` → ``北京``; short names pass through."""
    return _FULL_NAMES.get(name, name)


_PROVINCE_TOKEN = _alternation([*_FULL_NAMES, *PROVINCES])
_PROVINCE_LIST = re.compile(r"(?:" + _PROVINCE_TOKEN + r")(?:\s*[、，,和及]\s*(?:" + _PROVINCE_TOKEN + r"))+")
_TOP_N = re.compile(r"前\s*(\d+|[一二三四五六七八九十]+)\s*(?:名|位|强|的(?:省|地区))")
_TIER = re.compile(r"第[一二三四五六]梯队")
#: Words saying a list is printed in rank order (data/README.md: ``rank`` only when the text says so).
_ORDERED = re.compile(r"依次|按(?:得分|排名|名次)(?:高低|先后)?(?:顺序|排序|排列)")
_DIMENSION = re.compile(r"(?:各省（区、市）|各地区|各省区市|地区)?([\u4e00-\u9fff]{2,12}?)(?:发展)?水平")
_COMPOSITE = ("综合", "信息化", "数字化", "数字中国", "数字中国建设", "数字化综合", "数字化发展", "整体")


@dataclass
class ProvinceList:
    """A top-N or tier list found in one sentence.

    ``ranked`` is True only when the sentence says the list is in rank order (``依次为``): a report that
    lists the top ten "等地区…位居全国前10名" does not rank them, and ``data/regional.csv`` then leaves
    ``rank`` empty (the list is membership of the top group, see :mod:`dcbook.regional`).
    """

    provinces: list[str]
    start: int
    end: int
    ranked: bool
    tier: str
    dimension: str
    top_n: bool = False


def parse_province_list(sentence: str) -> ProvinceList | None:
    """Recognise ``浙江、北京、…等地区…位居全国前10名``, ``…位于全国第一梯队`` and ``前10名依次为…``.

    Only a list of at least three provinces in a sentence that also names a top-N or a tier counts, so
    an enumeration of pilot regions is not mistaken for a ranking.
    """
    m = max(_PROVINCE_LIST.finditer(sentence), key=lambda x: x.end() - x.start(), default=None)
    if m is None:
        return None
    names = [province_short(t) for t in re.findall(_PROVINCE_TOKEN, m.group(0))]
    if len(names) < 3:
        return None
    before, rest = sentence[: m.start()], sentence[m.end() :]
    top = _TOP_N.search(rest) or _TOP_N.search(before)
    tier = _TIER.search(rest) or _TIER.search(before)
    if not top and not tier:
        return None
    dimension = "综合"
    d = _DIMENSION.search(rest) or _DIMENSION.search(before)
    if d:
        word = re.sub(r"^(?:等?\d*个?省（[区市、]+）|等地区|等)", "", d.group(1))
        word = re.sub(r"^(?:位列|位居|位于|排名|在)?(?:各省（区、市）|各地区)?", "", word)
        if word and not any(c in word for c in ("综合",)) and word not in _COMPOSITE:
            dimension = word
    ordered = bool(_ORDERED.search(sentence))
    return ProvinceList(
        names, m.start(), m.end(), ordered, tier.group(0) if tier else "", dimension, bool(top)
    )


# ---------------------------------------------------------------------------------------------------
# the scan


@dataclass(frozen=True)
class Indicator:
    """Catalogue entry reduced to what matching needs."""

    indicator_id: str
    unit: str
    names: tuple[str, ...]
    domain: str = ""

    @property
    def is_growth(self) -> bool:
        return self.indicator_id.endswith("_growth")


def load_catalogue(path: Path) -> list[Indicator]:
    """Read ``indicators.csv``; names are ``name_zh`` plus the ``|``-separated ``aliases``."""
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            iid = (row.get("indicator_id") or "").strip()
            if not iid:
                raise IngestError(f"{path}: row {i}, column indicator_id: empty")
            names = [row.get("name_zh") or "", *(row.get("aliases") or "").split("|")]
            names = [n.strip() for n in names if n and n.strip()]
            unit = (row.get("unit") or "").strip()
            out.append(Indicator(iid, unit, tuple(names), (row.get("domain") or "").strip()))
    return out


#: Paraphrase keys (see the module docstring): generic suffixes a report drops or swaps from year to year
#: ("5G用户数" → "5G用户达 8 亿户", "网民规模" → "网民人数"), the leading 我国/全国, the infix 接入 (光纤接入用户 →
#: 光纤用户) and the 率 of 增长率. A key is at least :data:`MIN_KEY` characters long.
GENERIC_SUFFIXES = ("用户数", "人数", "总数", "数量", "总量", "总规模", "规模", "数")
_SUFFIX_KEEP = {"用户数": "用户", "人数": "人"}
GENERIC_INFIXES = ("接入",)
LEADING_WORDS = ("我国", "全国")
MIN_KEY = 4
#: Words that may stand between a paraphrase key and its number ("光纤用户达 6.02 亿户", "政府网站 13,900 余个",
#: "“清朗”系列专项行动共开展 13 项"); anything else (a noun) means the number belongs to another concept.
_LINK = re.compile(
    r"(?:\s|总数|人数|数量|总量|总规模|规模|已经|已|达到|达|为|共有|共|开展|完成|增至|增加至|增长至|提升至|提高至|"
    r"上升至|累计|分别|是|有|的|了)*"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def derived_keys(name: str) -> set[str]:
    """The paraphrase keys of one catalogue name (the name itself excluded): ``5G用户数`` → ``5G用户``;
    ``固定宽带接入用户数`` → ``固定宽带接入用户``, ``固定宽带用户``; ``我国5G标准必要专利占全球比重`` →
    ``5G标准必要专利占全球比重``; ``电信业务总量同比增长率`` → ``电信业务总量同比增长``."""
    name = _SPACES.sub("", name)
    forms = {name}
    forms |= {name[len(w) :] for w in LEADING_WORDS if name.startswith(w)}
    forms |= {f[:-1] for f in forms if f.endswith("增长率")}
    for f in list(forms):
        for suffix in GENERIC_SUFFIXES:
            if f.endswith(suffix):
                forms.add((f[: -len(suffix)] + _SUFFIX_KEEP.get(suffix, "")).rstrip("的"))
                break
    forms |= {f.replace(w, "") for f in forms for w in GENERIC_INFIXES if w in f}
    return {f for f in forms if len(f) >= MIN_KEY and f != name}


def name_stems(ind: Indicator) -> set[str]:
    """Every wording of an indicator: its names and their paraphrase keys (subjects of 占…/同比增长)."""
    out: set[str] = set()
    for n in ind.names:
        n = _SPACES.sub("", n)
        out |= {n, *derived_keys(n)}
    return out


def _longest_common(a: str, b: str) -> int:
    """Length of the longest common substring (short strings: a simple dynamic programme)."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, start=1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def _in_order(a: str, b: str) -> int:
    """How many characters of ``a`` occur in ``b`` in the same order (longest common subsequence)."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b, start=1):
            cur.append(prev[j - 1] + 1 if ca == cb else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def known_dimensions(data_dir: Path) -> list[str]:
    """Dimension names already used in ``frameworks.csv``/``regional.csv``, so that ``数字基础设施建设水平``
    in a new report drafts as ``数字基础设施`` like earlier editions (missing files simply give none)."""
    names: set[str] = set()
    for fname in ("frameworks.csv", "regional.csv"):
        path = data_dir / fname
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as fh:
                names |= {(r.get("dimension") or "").strip() for r in csv.DictReader(fh)}
    return sorted(n for n in names if n and n != "综合")


def canonical_dimension(word: str, known: Sequence[str]) -> str:
    """The longest known dimension that starts ``word`` (``数字政府建设`` → ``数字政府``), else ``word``."""
    hits = [k for k in known if word.startswith(k)]
    return max(hits, key=len) if hits else word


@dataclass
class ScanResult:
    """Everything one scan drafts; written to disk by :func:`write_outputs`."""

    observations: list[dict[str, str]] = field(default_factory=list)
    unmatched: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, value, unit, context
    regional: list[dict[str, str]] = field(default_factory=list)
    proposals: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class NameMatch:
    """A catalogue wording found in a sentence; ``derived`` when it is a paraphrase key, not a name."""

    start: int
    end: int
    candidates: tuple[Indicator, ...]
    derived: bool


#: A table header cell: a year (``2023年``, ``2017 年 完成情况``); a row's first cell ends with its unit.
_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ROW_NAME = re.compile(r"^\s*(.+?)\s*[（(]\s*([^（）()]+?)\s*[）)]\s*$")
_CELL = re.compile(r"^\s*([><])?\s*(\d+(?:\.\d+)?)\s*$")
#: Words of the text right after a number that make it part of a name or a threshold, not a figure:
#: "1000Mbps及以上接入速率的用户", "60岁及以上网民" (a list size "等7个方面" is recognised by its 等).
_THRESHOLD_AFTER = re.compile(r"\s*及(?:以上|以下)")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_PROPOSAL_TRIM_HEAD = re.compile(
    r"^(?:\s|其中|我国|全国|目前|当前|同时|此外|另外|已经|已|共|均|截至(?:\d{4}年)?(?:底|末|\d+月底?)?|"
    r"\d{4}年(?:底|末|上半年|前三季度|全年)?|上半年|前三季度|全年|累计|年内)+"
)
_PROPOSAL_TRIM_TAIL = re.compile(
    r"(?:\s|达到|达|为|约为|约|近|超过|突破|逾|超|不到|不足|增至|提升至|提高至|已达|已|共|共有|完成|实现|是|有|的|了)+$"
)
_NOUN_AFTER = re.compile(
    r"\s*[“\"]?(?!以上|以下|左右|及|的|和|与|或|等)([\u4e00-\u9fffA-Za-z0-9]{2,12})[”\"]?"
)
#: What may stand between a figure and its growth rate or share (see :meth:`Scanner._by_subject`).
_PURE_GROWTH = re.compile(
    r"\s*(?:人民币|美元)?\s*[，,]?\s*(?:同比|比上年|较上年|与上年相比)?\s*(?:名义|实际)?\s*(?:增长|增速|增幅|提高|提升|上升)"
    r"\s*(?:了|为|达|达到)?\s*"
)
_PURE_SHARE = re.compile(r"\s*[，,]\s*(?:其中)?\s*占[^，,；;：:。]*")
_GROWTH_WORDS = re.compile(r"^(?:同比|比上年|较上年|年均)?(?:名义)?(?:增长|增速|增幅|提高|提升|上升|下降)")


class Scanner:
    """Matches catalogue names in text; built once per catalogue because the regex is large."""

    def __init__(self, catalogue: Sequence[Indicator], dimensions: Sequence[str] = ()) -> None:
        self.dimensions = list(dimensions)
        self.catalogue = list(catalogue)
        self.by_id = {ind.indicator_id: ind for ind in catalogue}
        self.by_name: dict[str, Indicator] = {}
        for ind in catalogue:
            for n in ind.names:
                # first catalogue entry wins a shared wording; the validator reports real duplicates
                self.by_name.setdefault(re.sub(r"\s+", "", n), ind)
        # paraphrase keys: never shadow a real name; a key several indicators share keeps all of them,
        # and the unit of the number chooses (none fits or several fit: the key drafts nothing)
        self.by_key: dict[str, list[Indicator]] = {}
        for ind in catalogue:
            for n in ind.names:
                for key in derived_keys(n):
                    if key not in self.by_name:
                        group = self.by_key.setdefault(key, [])
                        if ind not in group:
                            group.append(ind)
        words = [*self.by_name, *self.by_key]
        self._names = re.compile(_trie_pattern(words)) if words else None
        self.numbers = NumberParser(ind.unit for ind in catalogue)
        self.stems = {ind.indicator_id: name_stems(ind) for ind in catalogue}
        # shares named after their subject: "数字经济占GDP比重" → {"数字经济": [(digital_economy_gdp_share, "GDP比重")]}
        self.shares: dict[str, list[tuple[Indicator, str]]] = {}
        for ind in catalogue:
            if ind.unit in ("%", "％"):
                for stem in self.stems[ind.indicator_id]:
                    subj, sep, rest = stem.partition("占")
                    if sep and subj and rest:
                        self.shares.setdefault(subj, []).append((ind, rest))
        # names "<head>的<tail>数" printed split around the number: "与 17 个国家签署“数字丝绸之路”…"
        self.tails: dict[str, list[tuple[Indicator, str]]] = {}
        for ind in catalogue:
            for n in ind.names:
                head, sep, tail = _SPACES.sub("", n).rpartition("的")
                tail = re.sub(r"(?:数量|总数|数)$", "", tail)
                if sep and len(head) >= 4 and len(tail) >= 2 and _CJK.match(tail):
                    self.tails.setdefault(tail, []).append((ind, head))
        self._tail = re.compile(_alternation(self.tails)) if self.tails else None
        self._domain_grams = [(_bigrams("".join(ind.names)), ind.domain) for ind in catalogue if ind.domain]

    def name_matches(self, text: str) -> list[tuple[int, int, Indicator]]:
        """Non-overlapping name matches, longest wording first (``农村网民规模`` before ``网民``)."""
        return [(m.start, m.end, m.candidates[0]) for m in self._matches(text) if not m.derived]

    def _matches(self, text: str) -> list[NameMatch]:
        if self._names is None:
            return []
        out = []
        for m in self._names.finditer(text):
            word = _SPACES.sub("", m.group(0))
            ind = self.by_name.get(word)
            if ind is not None:
                out.append(NameMatch(m.start(), m.end(), (ind,), False))
            elif word in self.by_key:
                out.append(NameMatch(m.start(), m.end(), tuple(self.by_key[word]), True))
        return out

    def scan(self, text: str, source_id: str, edition: int) -> ScanResult:
        """Draft observation rows, unmatched numeric passages, regional rows and proposed indicators."""
        res = ScanResult()
        seen: dict[tuple[str, str, str, str], int] = {}
        seen_regional: set[tuple[str, ...]] = set()
        header: list[str] | None = None
        heading = ""

        def add(row: dict[str, str]) -> None:
            key = (row["indicator_id"], row["region"], row["year"], row["value"])
            if key in seen:  # contract: the same figure twice in one source is recorded once
                prev = res.observations[seen[key]]
                if float(row["confidence"]) > float(prev["confidence"]):
                    res.observations[seen[key]] = row
                return
            seen[key] = len(res.observations)
            res.observations.append(row)

        for line_no, raw in enumerate(schema.raw_lines(text), start=1):
            line = clean_line(raw)
            if _HEADING.match(line):
                heading = line
            if "\t" in line:
                cells = line.split("\t")
                if len(cells) >= 2 and all(_HEADER_YEAR.search(c) for c in cells[1:]):
                    header = cells
                    continue
                if (
                    header is not None
                    and len(cells) == len(header)
                    and self._table_row(line, line_no, cells, header, edition, heading, source_id, res, add)
                ):
                    continue
            year_index = YearIndex(line)
            for sent in split_sentences(line, line_no):
                stext = sent.text
                numbers = self.numbers.find_all(stext)
                starts = [n.start for n in numbers]  # ascending: numbers are found left to right
                used: dict[int, Indicator] = {}
                matches = self._matches(stext)
                ends = [m.end for m in matches]
                for k, nm in enumerate(matches):
                    limit = min(
                        len(stext),
                        nm.end + WINDOW,
                        matches[k + 1].start if k + 1 < len(matches) else len(stext),
                    )
                    prev_end = matches[k - 1].end if k else 0  # matches are sorted and do not overlap
                    ind, rows = self._pair(stext, nm, limit, numbers, starts, used, prev_end)
                    for num, dist_score, from_value in rows:
                        add(self._row(line, sent, year_index, edition, ind, num, dist_score, nm, from_value))
                        used[num.num_start] = ind
                for num in numbers:
                    if num.num_start in used:
                        continue
                    found = self._by_subject(stext, num, matches, ends, numbers, starts, used)
                    found = found or self._split_name(stext, num)
                    if found is not None:
                        ind, nm = found
                        add(self._row(line, sent, year_index, edition, ind, num, 0.10, nm, False))
                        used[num.num_start] = ind
                plist = parse_province_list(stext)
                if plist:
                    for row in self._regional_rows(line, sent, plist, source_id, edition, year_index):
                        key = tuple(row[c] for c in ("framework", "dimension", "province", "rank", "tier"))
                        if key not in seen_regional:  # summaries repeat the ranking of the chapter
                            seen_regional.add(key)
                            res.regional.append(row)
                subject, subject_domain = "", ""
                for num in numbers:
                    top_n = num.unit in ("名", "位", "强") and stext[: num.num_start].rstrip().endswith("前")
                    if num.num_start in used:
                        subject = self._subject_name(used[num.num_start])
                        subject_domain = used[num.num_start].domain
                        continue
                    if top_n:
                        continue
                    context = clip_quote(line, sent, sent.start + num.start, sent.start + num.end)
                    res.unmatched.append((line_no, num.value, num.unit, context))
                    if self._is_figure(stext, num):
                        year, _ = year_index.detect(sent.start, num.num_start, sent.end, edition)
                        prop = self._proposal(
                            stext, num, subject, heading, source_id, line_no, context, "", subject_domain
                        )
                        prop.update(year=str(year), qualifier=num.qualifier, period=draft_period(stext, num))
                        res.proposals.append(prop)
                        subject, subject_domain = prop["name_zh"], prop["domain"]
        _number_proposals(res.proposals, self.by_id, source_id)
        return res

    def _row(
        self,
        line: str,
        sent: Sentence,
        year_index: YearIndex,
        edition: int,
        ind: Indicator,
        num: Number,
        dist_score: float,
        nm: NameMatch | None,
        from_value: bool,
    ) -> dict[str, str]:
        stext = sent.text
        year, year_score = year_index.detect(sent.start, num.num_start, sent.end, edition, from_value)
        u_score = unit_score(num.unit, ind.unit) or 0.0
        conf = 0.30 + dist_score + u_score + year_score - (0.20 if year > edition else 0.0)
        a, b = (min(nm.start, num.start), max(nm.end, num.end)) if nm else (num.start, num.end)
        return {
            "indicator_id": ind.indicator_id,
            "region": "全国",
            "year": str(year),
            "value": num.value,
            "unit": num.unit,
            "qualifier": num.qualifier,
            "period": draft_period(stext, num),
            "locator": str(sent.line),
            "quote": clip_quote(line, sent, sent.start + a, sent.start + b),
            "confidence": f"{max(0.0, min(1.0, conf)):.2f}",
            "matched_text": stext[a:b].strip(),
        }

    def _fits(self, stext: str, num: Number, ind: Indicator, used: dict[int, Indicator]) -> bool:
        if num.num_start in used:
            return False
        growth = is_growth_rate(stext, num)
        if ind.is_growth:
            return num.unit in ("%", "％")
        if growth:
            return False
        return unit_score(num.unit, ind.unit) is not None

    def _pair(
        self,
        stext: str,
        nm: NameMatch,
        limit: int,
        numbers: list[Number],
        starts: list[int],
        used: dict[int, Indicator],
        prev_end: int,
    ) -> tuple[Indicator, list[tuple[Number, float, bool]]]:
        """Pick the figure(s) belonging to one name match: the first compatible number after it, plus
        the ``到 B`` of ``由 A 增长到 B``; failing that, a number printed right before the name. A
        paraphrase key pairs only across linking words (:data:`_LINK`), and when it stands for several
        indicators the unit of the number must leave exactly one."""
        results = []
        for ind in nm.candidates:
            picked = self._pair_one(stext, nm, ind, limit, numbers, starts, used, prev_end)
            if picked:
                results.append((ind, picked))
        if len(results) == 1 or (results and not nm.derived):
            return results[0]
        return nm.candidates[0], []

    def _pair_one(
        self,
        stext: str,
        nm: NameMatch,
        ind: Indicator,
        limit: int,
        numbers: list[Number],
        starts: list[int],
        used: dict[int, Indicator],
        prev_end: int,
    ) -> list[tuple[Number, float, bool]]:
        ns, ne = nm.start, nm.end
        lo, hi = bisect.bisect_left(starts, ne), bisect.bisect_left(starts, limit)
        after = [n for n in numbers[lo:hi] if self._fits(stext, n, ind, used)]
        if nm.derived and after and not _LINK.fullmatch(stext[ne : after[0].start]):
            after = []
        if after and "分别" in stext[ne : after[0].start]:
            return []  # "A、B、C 用户规模分别达 …": which number is whose is for the reviewer
        if after:
            first = after[0]
            gap = stext[ne : first.start]
            dist = 0.25 if len(gap.strip()) <= 8 else 0.10
            to = _FROM_TO_AFTER.match(stext, first.end)
            picked = [(first, dist, False)]
            if to:
                second = next((n for n in after[1:] if n.start == to.end() or n.num_start == to.end()), None)
                if second is not None:
                    picked = [(first, dist, True), (second, dist, False)]
            return picked
        if nm.derived and _CJK.match(stext, ne):
            return []  # "11 个政府网站集约化试点": a paraphrase key before more nouns is a modifier
        for i in range(bisect.bisect_left(starts, ns) - 1, -1, -1):
            n = numbers[i]
            if n.start < prev_end:
                break  # every earlier number belongs to the previous name
            if n.end <= ns and n.start >= prev_end and self._fits(stext, n, ind, used):
                between = stext[n.end : ns]
                if re.fullmatch(r"\s*(?:的)?\s*", between):
                    return [(n, 0.15, False)]
                break
        return []

    def _by_subject(
        self,
        stext: str,
        num: Number,
        matches: list[NameMatch],
        ends: list[int],
        numbers: list[Number],
        starts: list[int],
        used: dict[int, Indicator],
    ) -> tuple[Indicator, NameMatch] | None:
        """A growth rate or a share whose subject is the figure right before it: "网上零售额 15.42 万亿元，
        增长 11%" → ``<id>_growth``; "数字经济规模 53.9 万亿元，…，占 GDP 比重 42.8%" → the catalogue indicator
        named ``<subject>占GDP比重``. Only growth words (或 占…) may stand between the two figures; a
        growth printed in its name's own clause ("电信业务总量按上年价格计算同比增长 16.8%") counts too."""
        if num.unit not in ("%", "％"):
            return None
        i = bisect.bisect_left(starts, num.start)
        prev = numbers[i - 1] if i else None
        k = bisect.bisect_right(ends, num.start)
        nm = matches[k - 1] if k else None
        growth = is_growth_rate(stext, num)
        if growth and nm is not None and (prev is None or nm.start >= prev.end):
            gap = stext[nm.end : num.start]
            if nm.derived or re.search(r"[，,；;：:]", gap) or len(gap.strip()) > 16:
                return None
            subjects = list(nm.candidates)
            clause = ""
        elif prev is not None and prev.num_start in used:
            between = stext[prev.end : num.start]
            subject = used[prev.num_start]
            if subject.is_growth:  # "…同比增长 7.4%，占 GDP 比重 42.8%": the level is the subject
                subject = self.by_id.get(subject.indicator_id[: -len("_growth")], subject)
            subjects = [subject]
            if growth and _PURE_GROWTH.fullmatch(between):
                clause = ""
            elif not growth and _PURE_SHARE.fullmatch(between):
                clause = between.lstrip(" ，,").removeprefix("其中").lstrip()
            else:
                return None
            nm = NameMatch(prev.start, prev.end, (subject,), False)  # the quote spans both figures
        else:
            return None
        found: set[str] = set()
        if is_growth_rate(stext, num):
            for ind in subjects:
                if ind.is_growth:
                    continue
                target = self.by_id.get(ind.indicator_id + "_growth")
                if target is not None:
                    found.add(target.indicator_id)
        elif clause.startswith("占") and not growth:
            share = re.sub(r"(?:达到|达|为|约为|约|近|超过|超|逾|不到|提升至|提高至)\s*$", "", clause[1:])
            best: dict[str, int] = {}
            for subj in subjects:
                for stem in self.stems[subj.indicator_id]:
                    for ind, rest in self.shares.get(stem, []):
                        score = _longest_common(rest, share)
                        if score >= 2 and ind.indicator_id != subj.indicator_id:
                            best[ind.indicator_id] = max(best.get(ind.indicator_id, 0), score)
            scored = sorted(((v, k) for k, v in best.items()), reverse=True)
            if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
                found.add(scored[0][1])
        if len(found) != 1:
            return None
        return self.by_id[found.pop()], NameMatch(nm.start, nm.end, nm.candidates, nm.derived)

    def _split_name(self, stext: str, num: Number) -> tuple[Indicator, NameMatch | None] | None:
        """A name ``<head>的<tail>数`` printed around its number: "工业互联网已覆盖 49 个国民经济大类" is
        ``工业互联网应用覆盖的国民经济大类数``. The tail must follow the unit; the clause must hold half of
        the head's characters in order and share at least four consecutive characters with it, more than
        with any other candidate's head."""
        if self._tail is None:
            return None
        m = self._tail.match(stext, num.end)
        if not m:
            return None
        lo = max((stext.rfind(c, 0, num.start) for c in "，,；;"), default=-1) + 1
        hi = min((i for i in (stext.find(c, num.end) for c in "，,；;。") if i >= 0), default=len(stext))
        clause = stext[lo : num.start] + stext[m.end() : hi]
        scored = sorted(
            (
                (_longest_common(head, clause), ind.indicator_id)
                for ind, head in self.tails[m.group(0)]
                if unit_score(num.unit, ind.unit) is not None
                and not ind.is_growth
                and _in_order(head, clause) >= 0.5 * len(head)
            ),
            reverse=True,
        )
        if not scored or scored[0][0] < 4 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return self.by_id[scored[0][1]], None

    def _table_row(
        self,
        line: str,
        line_no: int,
        cells: list[str],
        header: list[str],
        edition: int,
        heading: str,
        source_id: str,
        res: ScanResult,
        add: Callable[[dict[str, str]], None],
    ) -> bool:
        """A tab-separated table row ``名称（单位）<TAB>值<TAB>值`` under a header of years: one row per
        year column (a 目标 column is a target, an 增速/增长 column a growth rate of ``<id>_growth``)."""
        m = _ROW_NAME.match(cells[0])
        if not m or not all(_CELL.match(c) or not c.strip() for c in cells[1:]):
            return False
        name, unit = _SPACES.sub("", m.group(1)), m.group(2).strip()
        level = self.by_name.get(name)
        if level is None:
            keyed = self.by_key.get(name, [])
            fit = [i for i in keyed if unit_score(unit, i.unit) is not None]
            level = fit[0] if len(fit) == 1 else None
        quote = clip_quote(line, Sentence(line_no, 0, len(line), line), 0, len(line))
        for col, cell in enumerate(cells[1:], start=1):
            c = _CELL.match(cell)
            if not c:
                continue
            head = header[col]
            if "目标" in head:
                continue
            year = int(_HEADER_YEAR.search(head).group(1))  # type: ignore[union-attr]
            qualifier = {">": "lower_bound", "<": "upper_bound"}.get(c.group(1) or "", "exact")
            growth = bool(re.search(r"增速|增长", head))
            ind = level
            cell_unit = unit
            if growth:
                ind = self.by_id.get(level.indicator_id + "_growth") if level else None
                cell_unit = "%"
            if ind is None or unit_score(cell_unit, ind.unit) is None:
                if not growth:
                    num = Number(c.group(2), cell_unit, qualifier, 0, 0, 0)
                    prop = self._proposal(name, num, "", heading, source_id, line_no, quote, name=name)
                    prop.update(year=str(year), qualifier=qualifier, period="")
                    res.proposals.append(prop)
                continue
            conf = 0.30 + 0.25 + (unit_score(cell_unit, ind.unit) or 0.0) + 0.20
            add(
                {
                    "indicator_id": ind.indicator_id,
                    "region": "全国",
                    "year": str(year),
                    "value": c.group(2),
                    "unit": cell_unit,
                    "qualifier": qualifier,
                    "period": "",
                    "locator": str(line_no),
                    "quote": quote,
                    "confidence": f"{max(0.0, min(1.0, conf - (0.20 if year > edition else 0.0))):.2f}",
                    "matched_text": f"{m.group(1)}（{unit}） | {head.strip()}: {cell.strip()}",
                }
            )
        return True

    def _subject_name(self, ind: Indicator) -> str:
        return ind.names[0] if ind.names else ind.indicator_id

    @staticmethod
    def _is_figure(stext: str, num: Number) -> bool:
        """Numbers with a unit that are not figures of their own: a list size (等 7 个方面) and a
        threshold inside a name (1000Mbps及以上接入速率的用户)."""
        if stext[: num.start].rstrip().endswith("等"):
            return False
        return not _THRESHOLD_AFTER.match(stext, num.end)

    def _proposal(
        self,
        stext: str,
        num: Number,
        subject: str,
        heading: str,
        source_id: str,
        line_no: int,
        quote: str,
        name: str = "",
        subject_domain: str = "",
    ) -> dict[str, str]:
        """A proposed new indicator for a figure no catalogue indicator claimed (see the module docstring)."""
        base = ""
        if not name:
            lo = max((stext.rfind(c, 0, num.start) for c in "，,；;：:、"), default=-1) + 1
            words = _PROPOSAL_TRIM_TAIL.sub("", _PROPOSAL_TRIM_HEAD.sub("", stext[lo : num.start]))
            words = re.sub(r"[“”\"《》]", "", words).strip()
            if _GROWTH_WORDS.match(words) and subject:  # "…1.63 亿户，同比增长 1.8 倍"
                name = subject + ("同比增长倍数" if num.unit == "倍" else "同比增长率")
                base = "growth_multiple" if num.unit == "倍" else "growth"
            elif words.startswith("占") and subject:
                name = subject + words
                if num.unit in ("%", "％") and not re.search(r"比重|比例|份额|占比$", name):
                    name += "比重"
                base = "share"
            if not name:
                # "62 家“灯塔工厂”": a number printed before its noun is named by the noun
                after = _NOUN_AFTER.match(stext, num.end)
                if after and num.unit[-1:] not in ("%", "％", "元"):
                    name = after.group(1) + "数"
                else:
                    name = words or (subject + "（待命名）" if subject else "（待命名）")
        related = next((i for i in self.catalogue if subject and subject in i.names and base), None)
        domain = self._nearest_domain(_bigrams(name)) or self._nearest_domain(_bigrams(heading)) or "overview"
        if base and subject_domain:  # a growth or share belongs where its subject does
            domain = subject_domain
        suggested = f"{related.indicator_id}_{base}" if related is not None else ""
        return {
            "indicator_id": suggested,
            "name_zh": name,
            "name_en": "",
            "domain": domain,
            "unit": num.unit.replace("％", "%"),
            "higher_is_better": "true",
            "definition_zh": f"（待审核）{name}：{source_id} 第 {line_no} 行所载数字。",
            "aliases": "",
            "locator": str(line_no),
            "value": num.value,
            "quote": quote,
        }

    def _nearest_domain(self, grams: set[str]) -> str:
        """The domain of the catalogue indicator sharing most two-character words with ``grams`` (ties:
        the domain most of the tied indicators belong to, then alphabetical)."""
        if not grams:
            return ""
        best, domains = 0, Counter()
        for names, domain in self._domain_grams:
            shared = len(grams & names)
            if shared > best:
                best, domains = shared, Counter({domain: 1})
            elif shared == best and shared:
                domains[domain] += 1
        if not best:
            return ""
        return sorted(domains.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    def _regional_rows(
        self, line: str, sent: Sentence, plist: ProvinceList, source_id: str, edition: int, years: YearIndex
    ) -> list[dict[str, str]]:
        year, _ = years.detect(sent.start, len(sent.text), sent.end, edition)
        rows = []
        for i, prov in enumerate(plist.provinces, start=1):
            rows.append(
                {
                    "source_id": source_id,
                    "year": str(year),
                    "framework": f"{source_id}_eval",
                    "dimension": canonical_dimension(plist.dimension, self.dimensions),
                    "province": prov,
                    "rank": str(i) if plist.ranked else "",
                    "tier": plist.tier,
                    "score": "",
                    "locator": str(sent.line),
                    "quote": clip_quote(line, sent, sent.start + plist.start, sent.start + plist.end),
                }
            )
        return rows


def _number_proposals(
    proposals: list[dict[str, str]], catalogue: dict[str, Indicator], source_id: str
) -> None:
    """Give every proposal a unique snake_case id: the suggested ``<related id>_growth``/``_share`` when it
    is free, else ``new_<source_id>_<line>_<n>``; the same figure proposed twice is kept once."""
    taken = set(catalogue)
    seen: set[tuple[str, str, str, str]] = set()
    keep = []
    for prop in proposals:
        key = (prop["name_zh"], prop["unit"], prop["year"], prop["value"])
        if key in seen:
            continue
        seen.add(key)
        keep.append(prop)
    proposals[:] = keep
    count: Counter[str] = Counter()
    for prop in proposals:
        iid = prop["indicator_id"]
        if not iid or iid in taken:
            count[prop["locator"]] += 1
            iid = f"new_{source_id}_{prop['locator']}_{count[prop['locator']]}"
        taken.add(iid)
        prop["indicator_id"] = iid


# ---------------------------------------------------------------------------------------------------
# files


def read_report(path: Path) -> str:
    """The report as text; refuses BOMs and non-UTF-8 bytes because every later step assumes UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read: {exc.strerror}") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        raise IngestError(
            f"{path}: starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM "
            f"(e.g. `sed -i '1s/^\\xEF\\xBB\\xBF//' {path}`)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = f"; it looks like GBK/GB18030: convert with `iconv -f GB18030 -t UTF-8 {path} > out.txt`"
        except UnicodeDecodeError:
            pass
        raise IngestError(f"{path}: not valid UTF-8 (line {line}, byte {exc.start}){hint}") from exc


def source_row(args: argparse.Namespace, text: str) -> dict[str, str]:
    """The ``sources.csv`` row of this ingest, checked with the schema ``dcbook validate`` uses: a bad
    argument is refused here, before any file is written (a bad row would block every build)."""
    new = {
        "source_id": args.source_id,
        "title": (args.title or "").strip(),
        "publisher": (args.publisher or "").strip(),
        "published": args.published,
        "edition_year": str(args.edition),
        "kind": args.kind,
        "file": f"raw/{args.source_id}.txt",
        "url": args.url or "",
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    option = {"edition_year": "--edition", "file": "--source-id"}
    for f in schema.SOURCES.fields:
        why = schema.cell_problem(f, new[f.name])
        if f.name == "published" and not why:
            why = schema.calendar_problem(new[f.name])
            why = why and why.split(" ", 1)[1]
        if why:
            flag = option.get(f.name, "--" + f.name.replace("_", "-"))
            raise IngestError(f"{flag} {new[f.name]!r}: {why} (the {f.name} column of sources.csv)")
    return new


def check_text(path: Path, text: str) -> None:
    """Refuse a report no one could review: empty, only whitespace, or with control characters (a binary
    file, a terminal escape) — the book would quote them verbatim."""
    if not text.strip():
        raise IngestError(f"{path}: the report is empty or only whitespace")
    for line_no, line in enumerate(schema.raw_lines(text), start=1):
        bad = _CONTROL.search(line)
        if bad:
            raise IngestError(
                f"{path}:{line_no}: control character U+{ord(bad.group()):04X} at column {bad.start() + 1}; "
                "save the report as plain text"
            )


def register_source(data_dir: Path, new: dict[str, str], text: str, force: bool) -> dict[Path, bytes]:
    """The raw copy and the new ``sources.csv`` (contents, not yet written); refuses clashes."""
    sources = data_dir / "sources.csv"
    raw = data_dir / new["file"]
    source_id = new["source_id"]
    with sources.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    existing = [r for r in rows if r.get("source_id") == source_id]
    if existing and not force:
        raise IngestError(
            f"{sources}: source_id {source_id!r} already exists (row "
            f"{rows.index(existing[0]) + 2}); choose another id or pass --force to replace it"
        )
    if raw.exists() and raw.read_bytes() != text.encode("utf-8") and not force:
        raise IngestError(
            f"{raw}: already exists with different content; refusing to overwrite "
            "(pass --force to replace it)"
        )
    out: dict[Path, bytes] = {}
    if not raw.exists() or raw.read_bytes() != text.encode("utf-8"):
        out[raw] = text.encode("utf-8")
    if existing:  # --force: replace the row in place, keep every other row in order
        rows = [new if r.get("source_id") == source_id else r for r in rows]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=SOURCE_COLUMNS, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
        out[sources] = buf.getvalue().encode("utf-8")
    else:
        content = sources.read_bytes()
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([new[c] for c in SOURCE_COLUMNS])
        sep = b"\n" if content and not content.endswith(b"\n") else b""
        out[sources] = content + sep + buf.getvalue().encode("utf-8")
    return out


def write_atomically(files: dict[Path, bytes]) -> None:
    """Write every file or none: each goes to a temporary file next to it first, then all are renamed
    into place (``os.replace``); if anything fails, the files already replaced get their old content
    back and the temporary files are removed. Raises :class:`IngestError` naming the file."""
    temps: dict[Path, Path] = {}
    old: dict[Path, bytes | None] = {}
    done: list[Path] = []
    current = None
    try:
        for path, blob in files.items():
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            old[path] = path.read_bytes() if path.exists() else None
            tmp = path.with_name(f".{path.name}.ingest-tmp")
            tmp.write_bytes(blob)
            temps[path] = tmp
        for path, tmp in temps.items():
            current = path
            os.replace(tmp, path)
            done.append(path)
    except OSError as exc:
        for path in reversed(done):
            with contextlib.suppress(OSError):
                if old[path] is None:
                    path.unlink()
                else:
                    path.write_bytes(old[path])
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise IngestError(f"{current}: cannot write: {exc.strerror or exc}; nothing was changed") from exc


def write_outputs(data_dir: Path, source_id: str, res: ScanResult) -> dict[Path, bytes]:
    """The four draft files (only drafts: the book never reads them), as contents to write."""
    obs_dir = data_dir / "observations"
    draft = obs_dir / f"{source_id}.draft.csv"
    fh = io.StringIO()
    w = csv.DictWriter(fh, fieldnames=DRAFT_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(res.observations)
    out = {draft: fh.getvalue().encode("utf-8")}
    unmatched = obs_dir / f"{source_id}.unmatched.txt"
    fh = io.StringIO()
    fh.write(
        f"# {source_id}: numeric passages not attributed to any catalogued indicator.\n"
        "# Each may be a new indicator: add it to indicators.csv (or an alias) and re-run ingest.\n"
        "# line\tvalue\tunit\tcontext\n"
    )
    for line_no, value, unit, context in res.unmatched:
        fh.write(f"{line_no}\t{value}\t{unit}\t{context}\n")
    out[unmatched] = fh.getvalue().encode("utf-8")
    proposed = obs_dir / f"{source_id}.proposed_indicators.draft.csv"
    fh = io.StringIO()
    w = csv.DictWriter(fh, fieldnames=PROPOSAL_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(res.proposals)
    out[proposed] = fh.getvalue().encode("utf-8")
    regional = data_dir / f"regional.{source_id}.draft.csv"
    fh = io.StringIO()
    w = csv.DictWriter(fh, fieldnames=REGIONAL_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(res.regional)
    out[regional] = fh.getvalue().encode("utf-8")
    return out


def summary(source_id: str, edition: int, res: ScanResult, data_dir: Path) -> str:
    """What was drafted and what to do next, printed at the end of ``dcbook ingest``."""
    bands: Counter[str] = Counter()
    for row in res.observations:
        c = float(row["confidence"])
        bands["high (≥0.80)" if c >= 0.8 else "medium (0.50–0.79)" if c >= 0.5 else "low (<0.50)"] += 1
    rel = data_dir / "observations"
    lines = [f"{source_id}: drafted {len(res.observations)} observation rows"]
    lines += [f"  {band}: {bands[band]}" for band in ("high (≥0.80)", "medium (0.50–0.79)", "low (<0.50)")]
    lines += [
        f"  unmatched numeric passages: {len(res.unmatched)} (see {rel / (source_id + '.unmatched.txt')})",
        f"  regional rows: {len(res.regional)} (see {data_dir / f'regional.{source_id}.draft.csv'})",
        f"  proposed new indicators: {len(res.proposals)} "
        f"(see {rel / (source_id + '.proposed_indicators.draft.csv')})",
        "",
        'Next steps (data/README.md, "The yearly routine"):',
        f"  1. review {rel / (source_id + '.draft.csv')}: check indicator, region, year, value, unit and "
        "qualifier of every row against its quote; delete wrong rows",
        "  2. drop the confidence and matched_text columns and rename it to "
        f"{rel / (source_id + '.csv')}; review regional.{source_id}.draft.csv and append its rows to regional.csv",
        "  3. dcbook validate",
        "  4. dcbook datapackage",
        f"  5. dcbook build --edition {edition}",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> str:
    """Do the whole ingest; returns the summary.  Raises :class:`IngestError` on any refusal."""
    data_dir: Path = args.data_dir
    if not _SOURCE_ID.match(args.source_id):
        raise IngestError(
            f"--source-id {args.source_id!r}: use lower-case letters, digits and _ (e.g. dcr2022)"
        )
    for needed in ("indicators.csv", "sources.csv"):
        if not (data_dir / needed).is_file():
            raise IngestError(f"{data_dir / needed}: missing (is --data-dir the project's data/ folder?)")
    text = read_report(Path(args.report))
    check_text(Path(args.report), text)
    new = source_row(args, text)  # every argument checked before anything is written
    catalogue = load_catalogue(data_dir / "indicators.csv")
    res = Scanner(catalogue, known_dimensions(data_dir)).scan(text, args.source_id, args.edition)
    files = register_source(data_dir, new, text, args.force)
    files.update(write_outputs(data_dir, args.source_id, res))
    write_atomically(files)
    return summary(args.source_id, args.edition, res, data_dir)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The ``dcbook ingest`` options (kept here so the CLI module stays a thin dispatcher)."""
    p.add_argument("report", type=Path, help="the new report as a UTF-8 text file")
    p.add_argument("--source-id", required=True, help="new source id, e.g. dcr2022")
    p.add_argument(
        "--edition",
        type=int,
        required=True,
        help=f"report year the edition covers, {schema.YEAR_MIN}..{schema.YEAR_MAX}, e.g. 2022",
    )
    p.add_argument("--title", required=True, help="document title, e.g. 数字中国发展报告（2022年）")
    p.add_argument("--published", required=True, help="publication date YYYY-MM or YYYY-MM-DD, e.g. 2023-04")
    p.add_argument(
        "--publisher", default="国家互联网信息办公室", help="publisher (default 国家互联网信息办公室)"
    )
    p.add_argument(
        "--kind",
        default="yearly_report",
        help=f"one of {', '.join(schema.SOURCE_KINDS)} (default yearly_report)",
    )
    p.add_argument("--url", default="", help="where the report was obtained")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="dataset folder (default: data/)")
    p.add_argument("--force", action="store_true", help="replace an existing source id / raw file")


def main(args: argparse.Namespace) -> int:
    """CLI entry: print the summary, or the error naming the file, and return the exit code."""
    try:
        print(run(args))
    except IngestError as exc:
        print(f"dcbook ingest: error: {exc}", file=sys.stderr)
        return 1
    return 0
