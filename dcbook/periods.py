"""The period a figure covers, when it is not the plain calendar year (or year-end) its ``year`` names.

A report prints "2017 年上半年破获 7.6 万起", "截至 2020 年 6 月 … 超过 80 家", "累计培训 198.6 万人次". Read as
plain 2017 or 2020 figures they mislead: half a year's flow looks like a year's, a mid-year stock like the
year-end one, a running total like one year's work. Observations therefore carry a ``period`` code (empty =
the calendar year, or the stock at its end), and every printed year of the figure says it.

The vocabulary is :data:`PATTERN` with the words of :data:`WORDS`; :func:`stated` reads a quote's own words, so validation can
require the code a quote states and ``dcbook ingest`` can draft it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The codes: ``to-MM`` a flow over January..MM of the year (to-06 = 上半年), ``asof-MM`` a stock at the end
#: of month MM (or a day in it), ``cumulative`` a running total up to the year whose start is not stated.
PATTERN = r"(?:to-(?:0[1-9]|1[01])|asof-(?:0[1-9]|1[01])|cumulative)?"


@dataclass(frozen=True)
class Period:
    """One code of the vocabulary: its kind and the month it ends with (12 for a cumulative total)."""

    code: str
    kind: str  # "year" | "partial" | "asof" | "cumulative"
    month: int


#: Names of the partial-year spans the documents use (others read "1—N 月").
PARTIAL_NAMES: dict[int, str] = {3: "一季度", 6: "上半年", 9: "前三季度"}
#: Words of each kind as the year filter prints them; ``{y}`` the year, ``{m}`` the month, ``{span}`` the
#: partial-year name.
WORDS: dict[str, str] = {
    "year": "{y} 年",
    "partial": "{y} 年{span}",
    "asof": "截至 {y} 年 {m} 月",
    "cumulative": "截至 {y} 年",
}

_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
#: 上半年 / 前三季度 / 一季度 / 1—9 月 / 1-11月: a flow over part of the year.
_PARTIAL = re.compile(r"上半年|前三季度|一季度|第一季度|(?<!\d)1\s*[-—–~至]\s*(\d{1,2})\s*月")
#: 截至 2020 年 6 月 / 截至6月底 / 截至 2020 年 12 月 6 日: a stock at a month's end (or a day in it).
_ASOF = re.compile(r"截[至止]\s*(?:\d{4}\s*年\s*)?(\d{1,2})\s*月")
_CUMULATIVE = re.compile(r"累计")
_PARTIAL_MONTH = {"上半年": 6, "前三季度": 9, "一季度": 3, "第一季度": 3}
#: "2019年全年", "2017 年底", "2020年": a year named without a part of it (it resets an earlier 上半年).
_PLAIN_YEAR = re.compile(r"\d{4}\s*年(?!\s*(?:上半年|前三季度|第?一季度|\d{1,2}\s*月|1\s*[-—–~至]))")


def parse(code: str) -> Period:
    """The :class:`Period` of a code (empty = the calendar year); raises ValueError for anything else."""
    code = (code or "").strip()
    if not code:
        return Period("", "year", 12)
    if not re.fullmatch(PATTERN, code):
        raise ValueError(f"unknown period {code!r} (one of: empty, to-MM, asof-MM, cumulative)")
    if code == "cumulative":
        return Period(code, "cumulative", 12)
    kind, month = code.split("-")
    return Period(code, "partial" if kind == "to" else "asof", int(month))


def words(code: str, year: int) -> str:
    """How a figure's time reads: "2017 年", "2017 年上半年", "截至 2020 年 6 月", a running total "截至 2020 年"."""
    p = parse(code)
    span = PARTIAL_NAMES.get(p.month, f" 1—{p.month} 月")
    return WORDS[p.kind].format(y=year, m=p.month, span=span)


def _value_at(value: str, text: str) -> int:
    """Where the printed ``value`` first occurs in ``text`` as a whole number (the text's end if nowhere)."""
    hay = text.replace(",", "")
    m = re.search(rf"(?<![\d.]){re.escape(value)}(?!\.?\d)", hay) if value else None
    return m.start() if m else len(hay)


def label(code: str) -> str:
    """The period alone, as a table cell: "全年", "上半年", "截至 6 月", "累计"."""
    p = parse(code)
    if p.kind == "partial":
        return PARTIAL_NAMES.get(p.month, f"1—{p.month} 月")
    return {"year": "全年", "asof": f"截至 {p.month} 月", "cumulative": "累计"}[p.kind]


def within_year(code: str) -> bool:
    """Whether the figure holds for part of its year (a partial-year flow or a month-end stock)."""
    return parse(code).kind in ("partial", "asof")


def point(code: str, year: int) -> str:
    """A figure's time as one end of a span: "2017 年", "2017 年上半年", "2020 年 6 月" (no 截至)."""
    p = parse(code)
    if p.kind == "asof":
        return f"{year} 年 {p.month} 月"
    return words(code, year) if p.kind == "partial" else f"{year} 年"


def stated(quote: str, value: str = "", lead: str = "") -> set[str]:
    """The period codes a quote's own words allow for the figure ``value`` it quotes.

    Only the words before the figure count, and of those the last time expression: in "2020年上半年…达到了
    770亿元，超过2019年全年510亿元", 770 is a half-year figure and 510 a year's. A figure after 上半年, 前三季度
    or 1—N 月 is a partial year; after 截至 … N 月 (N < 12) a month-end stock; after 累计 either a running
    total or a year's total ("累计完成" the year's revenue), so both codes are allowed; otherwise the year.
    ``lead`` is the text of the quote's sentence before the quote ("截至2020年1月底，" when the quote starts
    after it).
    """
    text = quote.translate(_DIGITS).replace(",", "")
    prefix = lead.translate(_DIGITS).replace(",", "") + text[: _value_at(value.translate(_DIGITS), text)]
    last: tuple[int, str] | None = None
    for m in _PARTIAL.finditer(prefix):
        month = int(m.group(1)) if m.group(1) else _PARTIAL_MONTH[m.group(0)]
        last = max(last or (-1, ""), (m.start(), f"to-{month:02d}" if 1 <= month <= 11 else ""))
    for m in _ASOF.finditer(prefix):
        month = int(m.group(1))
        last = max(last or (-1, ""), (m.start(), f"asof-{month:02d}" if 1 <= month <= 11 else ""))
    for m in _PLAIN_YEAR.finditer(prefix):
        last = max(last or (-1, ""), (m.start(), ""))
    if last is not None and last[1]:
        return {last[1]}
    after = prefix[last[0] :] if last is not None else prefix
    return {"", "cumulative"} if _CUMULATIVE.search(after) or _CUMULATIVE.search(prefix) else {""}


def comparable(a: str, b: str) -> bool:
    """Whether figures of two periods may be compared as a change: a partial year only with the same part
    of another year (half a year's flow against a whole year's says nothing). A running total compares
    with a year-end figure of the same indicator: the catalogue defines what the indicator counts."""
    pa, pb = parse(a), parse(b)
    if "partial" in (pa.kind, pb.kind):
        return pa.code == pb.code
    return True


def approximate(a: str, b: str) -> bool:
    """A change between a month-end stock and a year-end one spans a fraction of a year more or less than
    its years say: its rate is approximate."""
    return parse(a).month != parse(b).month
