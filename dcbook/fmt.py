"""Chinese number formatting shared by charts, tooltips and chapter prose.

A figure must read the same in a sentence, a tooltip and a table, and a qualified figure ("超过", "约")
must never lose its qualifier on the way; so every place that turns a value into text goes through here.

Typesetting rule used throughout: a space separates a number from a CJK word or unit ("9.89 亿人",
"2021 年"), but not from "%" ("73%"), and none separates two CJK words ("增至超过 10 亿人", see
:func:`join_words`); thousands are grouped with ASCII commas ("9,377 万户"); a count of 10,000 万 or more
moves up to 亿 ("1.1 亿篇", never "11,000 万篇") and 10,000 亿 up to 万亿 (:func:`fmt_number`).

Text from the data files (indicator names, quotes, titles) is shown, never interpreted: code that puts it into
HTML uses :func:`html_text`, into Markdown/MyST :func:`md_text`, and pandas tables are escaped by
:func:`escape_html_tables` (called when ``dcbook.chapters`` is imported).
"""

from __future__ import annotations

import html
import math
import re
from decimal import ROUND_HALF_UP, Decimal

from dcbook import periods
from dcbook.units import RANK_UNITS, SHARE_UNITS, decimals

#: Qualifier word printed before a value, by the ``qualifier`` column of the data contract.
QUALIFIER_WORDS: dict[str, str] = {
    "exact": "",
    "lower_bound": "超过",
    "approx": "约",
    "upper_bound": "不到",
    "near": "近",
}
#: The qualifier codes as a reader sees them where the code itself would show (CSV downloads, tables).
QUALIFIER_NAMES: dict[str, str] = {
    "exact": "确切值",
    "lower_bound": "下限（超过）",
    "approx": "约数",
    "upper_bound": "上限（不到）",
    "near": "略低于（近）",
}
#: Units written directly after the number, without a space.
_TIGHT_UNITS = ("%", "％", "‰")
#: Chinese scale words by size; 万亿 is kept as one word because the documents print it so.
_SCALES: tuple[tuple[float, str], ...] = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))


#: Words of a plan's comparator ("2025 年不低于 45 万家").
COMPARATOR_WORDS: dict[str, str] = {">=": "不低于", ">": "超过", "<=": "不高于", "<": "低于", "=": "达到"}


def qualifier_word(qualifier: str | None) -> str:
    """Return the Chinese word for a contract qualifier; raise on an unknown one rather than print it exact."""
    if qualifier is None or (isinstance(qualifier, float) and math.isnan(qualifier)) or qualifier == "":
        return ""
    try:
        return QUALIFIER_WORDS[qualifier]
    except KeyError:
        raise ValueError(
            f"unknown qualifier {qualifier!r}; expected one of {', '.join(QUALIFIER_WORDS)}"
        ) from None


_decimals = decimals  # older private name, kept for callers outside this module


def fmt_plain(value: float, digits: int | None = None) -> str:
    """Format a bare number with thousands separators and the source's own precision (or ``digits``)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"cannot format non-finite value {value!r}")
    d = _decimals(value) if digits is None else digits
    # Half up, as the documents round ("6.25%" prints 6.3%); a float format would round half to even.
    text = f"{Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP):,.{d}f}"
    return "0" if text in {"-0", "-0.0"} else text


def join_unit(number: str, unit: str | None) -> str:
    """Attach a unit to an already formatted number following the house spacing rule."""
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith(_TIGHT_UNITS) else f"{number} {unit}"


def join_words(prefix: str, value: str) -> str:
    """Join CJK text and a formatted value by the house rule: a space only before a number ("为 45%",
    "超过 3 万件", "由 2.1 亿"), never between two CJK words ("超过3" never, "由 超过" never)."""
    return f"{prefix} {value}" if value[:1].isdigit() or value[:1] == "-" else f"{prefix}{value}"


def fmt_number(
    value: float,
    unit: str | None = "",
    *,
    qualifier: str | None = "exact",
    digits: int | None = None,
    scale: bool = True,
) -> str:
    """Format a data value for readers: ``fmt_number(9.89, "亿人", qualifier="lower_bound")`` → "超过 9.89 亿人".

    With ``scale`` (the default) a count of 10,000 万 or more moves up a word (:func:`rescale`): the
    house never prints "11,000 万篇", always "1.1 亿篇"; ``digits`` then applies to the moved value.
    """
    number = None
    if scale and unit:
        moved, new_unit = rescale(value, unit)
        if new_unit != unit and digits is None:
            # Keep every printed digit: 10458.3 亿元 → 1.04583 万亿元 (four more decimals, zeros dropped).
            number = f"{moved:,.{decimals(value) + 4}f}".rstrip("0").rstrip(".")
        value, unit = moved, new_unit
    word = qualifier_word(qualifier)
    text = join_unit(fmt_plain(value, digits) if number is None else number, unit)
    return f"{word} {text}" if word else text


def fmt_value(value: float, unit: str | None = "", *, qualifier: str | None = "exact") -> str:
    """Like :func:`fmt_number`, but a rank (unit 位) reads as an ordinal: "第 14 位" (not "14 位"); a rank
    printed as an upper bound (位居世界前三) reads "前 3 位" ("不到第 3 位" would say the opposite)."""
    if unit == "位" and qualifier == "upper_bound":
        return join_words("前", fmt_plain(value)) + " 位"
    if unit == "位":
        return join_words(qualifier_word(qualifier) + "第", fmt_plain(value)) + " 位"
    return fmt_number(value, unit, qualifier=qualifier)


def fmt_pct(share: float, digits: int = 1) -> str:
    """Format a fraction as a percentage: ``fmt_pct(0.123)`` → "12.3%" (data already in % use fmt_number)."""
    return join_unit(fmt_plain(share * 100, digits), "%")


def scale_for(value: float) -> tuple[float, str]:
    """Return ``(divisor, word)`` that brings a count in base units into 万/亿/万亿 (``(1, "")`` if small)."""
    magnitude = abs(value)
    for divisor, word in _SCALES:
        if magnitude >= divisor:
            return divisor, word
    return 1.0, ""


def fmt_scaled(value: float, unit: str = "", digits: int = 2) -> str:
    """Format a count in base units with a Chinese scale word: ``fmt_scaled(123456789, "人")`` → "1.23 亿人"."""
    divisor, word = scale_for(value)
    if divisor == 1.0:
        return join_unit(fmt_plain(value), unit)
    number = f"{value / divisor:,.{digits}f}".rstrip("0").rstrip(".")
    return join_unit(number, word + unit)


#: Units that are not plain counts: never moved up to 万/亿 (ranks, years, points, multiples).
_NOT_COUNTS = frozenset({"位", "年", "倍", "分", "个百分点", "百分点"})
#: Multipliers of a leading 千/百 before 万/亿 ("2 千亿次" reads "2,000 亿次").
_SMALL_SCALES = {"千": 1e3, "百": 1e2}


def _is_count_unit(unit: str) -> bool:
    """A plain CJK count unit (个, 家, 篇, 人次, 元 …) with no scale word of its own."""
    return bool(unit) and ord(unit[0]) > 0x2E80 and unit[0] not in "万亿千百十" and unit not in _NOT_COUNTS


def rescale(value: float, unit: str) -> tuple[float, str]:
    """Move a value to the scale word readers expect: ``(34854, "万个")`` → ``(3.4854, "亿个")``.

    The documents mix "34854万户" and "3.49亿户", "2千亿次" and "250000个"; prose reads better with one
    convention — 万/亿/万亿 only (千亿 → 亿: "2,000 亿次"), a plain count of 100,000 or more in 万
    ("25 万个"), 10,000 万 or more in 亿, 10,000 亿 or more in 万亿, and a value below 1 亿 or 1 万亿 one
    scale word down — while the data keep the printed form.
    """
    if unit[:1] in _SMALL_SCALES and unit[1:2] in ("万", "亿"):
        value, unit = value * _SMALL_SCALES[unit[0]], unit[1:]
    if _is_count_unit(unit) and abs(value) >= 1e5:
        value, unit = value / 1e4, "万" + unit
    if unit.startswith("万") and not unit.startswith("万亿") and abs(value) >= 1e4:
        return value / 1e4, "亿" + unit[1:]
    if unit.startswith("亿") and abs(value) >= 1e4:
        return value / 1e4, "万亿" + unit[1:]
    # Below one of the scale word, step down: "0.7218 亿笔" → "7,218 万笔", "0.34 万亿元" → "3,400 亿元".
    if unit.startswith("万亿") and 0 < abs(value) < 1:
        return value * 1e4, "亿" + unit[2:]
    if unit.startswith("亿") and 0 < abs(value) < 1:
        return value * 1e4, "万" + unit[1:]
    return value, unit


def fmt_change(old: float, new: float, unit: str = "", digits: int | None = None) -> str:
    """Describe an absolute change: "增加 0.45 亿人", "减少 3 位", "持平"."""
    delta = new - old
    if digits is None:
        digits = max(_decimals(old), _decimals(new))
    if round(delta, digits) == 0:
        return "持平"
    verb = "增加" if delta > 0 else "减少"
    return f"{verb} {join_unit(fmt_plain(abs(delta), digits), unit)}"


def fmt_growth(old: float, new: float) -> str:
    """Describe relative growth the way Chinese reports do: "增长 35.2%", or "增长 2.1 倍" once it doubles.

    "增长 N 倍" means the new value is N + 1 times the old one (增长 1 倍 = doubled), which is the usage
    of the source documents; below a doubling a percentage is clearer.
    """
    if old == 0:
        raise ValueError("growth from a zero base is undefined")
    ratio = new / old
    if old < 0 or ratio < 0:
        raise ValueError(f"growth between values of different sign ({old} → {new}) is undefined")
    if ratio >= 2:
        return f"增长 {ratio - 1:.1f} 倍"
    pct = (ratio - 1) * 100
    if round(pct, 1) == 0:
        return "基本持平"
    return f"增长 {pct:.1f}%" if pct > 0 else f"下降 {-pct:.1f}%"


def fmt_rate(rate: float, digits: int = 1) -> str:
    """A growth rate (a fraction, e.g. a CAGR) as readers see it: "31.6%", or "4.4 倍" from 100% on.

    The same convention as :func:`fmt_growth` (增长 N 倍 = N + 1 times), so a figure never reads
    "440.0%" in one chapter and "4.4 倍" in another.
    """
    if float(rate) >= 1:
        return f"{fmt_plain(float(rate), digits)} 倍"
    return fmt_pct(float(rate), digits)


def bounded(x: float, bound: str, digits: int) -> float:
    """``x`` rounded to ``digits`` without passing its bound: floored below a lower bound ("超过 8.5 倍", not
    8.6, from 8.57), raised above an upper bound; exact and approximate values round as usual."""
    step = 10**digits
    if bound == "lower_bound":
        return math.floor(x * step + 1e-9) / step
    if bound in ("upper_bound", "near"):  # "近 X": just under X, so never rounded down past it
        return math.ceil(x * step - 1e-9) / step
    return x


def growth_size(ratio: float, bound: str = "exact") -> str:
    """Size of a relative change with its bound word: "35.2%", "超过 35.2%", "2.1 倍" (from a doubling on,
    the sources' usage: 增长 1 倍 = doubled). A bound never rounds past itself (:func:`bounded`); an "open"
    bound (ends pulling apart) reads as approximate. The verb (增长/下降) is the caller's."""
    word = "约" if bound == "open" else qualifier_word(bound)
    b = "approx" if bound == "open" else bound
    if ratio >= 2:
        body = f"{fmt_plain(bounded(ratio - 1, b, 1), 1)} 倍"
    else:
        body = f"{fmt_plain(bounded(abs(ratio - 1) * 100, b, 1), 1)}%"
    return join_words(word, body) if word else body


def change_words(v0: float, v1: float, unit: str, bound: str = "exact", delta_bound: str = "exact") -> str:
    """Change ``v0`` → ``v1`` as a table cell says it: "增长 67.3%", "提高 6.9 个百分点", "上升 15 位".

    Shares change in percentage points and ranks in places (a smaller rank number is better), because a
    growth rate of a share or of a rank has no meaning. ``bound`` is the qualifier of the ratio, ``delta_bound``
    of the difference (:func:`dcbook.facts.change_bounds`), so a bound at either end carries into the words.
    """
    if unit in RANK_UNITS or unit in SHARE_UNITS:
        word = "约" if delta_bound == "open" else qualifier_word(delta_bound)
        if unit in RANK_UNITS:
            gain = round(v0 - v1)
            if gain == 0:
                return "名次未变"
            return f"{'上升' if gain > 0 else '下降'}{word} {abs(gain)} 位"
        delta = v1 - v0
        digits = max(decimals(v0), decimals(v1), 1)
        if round(delta, digits) == 0:
            return "基本持平"
        return f"{'提高' if delta > 0 else '下降'}{word} {fmt_plain(abs(delta), digits)} 个百分点"
    if v0 <= 0 or v1 < 0:
        return fmt_change(v0, v1, unit)
    # Bounds at both ends pulling apart ("超过 65 亿" → "超过 600 亿"): no size can be stated.
    if bound == "open":
        return "增幅无法确定（两端均为界值）"
    ratio = v1 / v0
    if ratio < 2 and round((ratio - 1) * 100, 1) == 0:
        return "基本持平"
    return join_words("增长" if ratio >= 1 else "下降", growth_size(ratio, bound))


def fmt_year_span(start: int, end: int) -> str:
    """Year range with an en dash, as in "2017–2021 年"."""
    return f"{int(start)} 年" if int(start) == int(end) else f"{int(start)}–{int(end)} 年"


def fmt_when(year: int, period: str = "", start: int | None = None) -> str:
    """When a figure holds: "2021 年", "2017–2021 年", "2017 年上半年", "截至 2020 年 6 月" (dcbook.periods)."""
    if period:
        return periods.words(period, int(year))
    return fmt_year_span(int(year) if start is None else int(start), int(year))


def fmt_change_span(first_year: int, first_period: str, last_year: int, last_period: str) -> str:
    """The span of a change: "2016–2021 年"; with a month-end end "2017 年 6 月—2020 年" (no 截至 inside a span)."""
    if not periods.within_year(first_period) and not periods.within_year(last_period):
        return fmt_year_span(first_year, last_year)
    return f"{periods.point(first_period, first_year)}—{periods.point(last_period, last_year)}"


def date_words(date: str) -> str:
    """The house date format: "2021-09" → "2021 年 9 月"; "2017-06-01" → "2017 年 6 月 1 日"; "2019" → "2019 年"."""
    parts = [int(p) for p in str(date).split("-")]
    return " ".join(f"{p} {w}" for p, w in zip(parts, ("年", "月", "日"), strict=False))


# ---- text from the data, shown literally ----------------------------------------------------------------------

#: ASCII punctuation: CommonMark lets every one of these be backslash-escaped, and Markdown/MyST syntax
#: (HTML, emphasis, links, roles, ``$math$``, ``{{subst}}``, ``:::`` fences) is built only from them.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def html_text(text: object) -> str:
    """Escape data for HTML text or a quoted attribute value, so ``<script>`` in a name shows as text."""
    return html.escape(str(text), quote=True)


def md_text(text: object) -> str:
    """Escape data for Markdown/MyST source (``display(Markdown(...))``), so it renders as the same characters.

    Every ASCII punctuation character is backslash-escaped (no HTML, emphasis, link, role, math or
    substitution can start); line breaks become one space and the ends are trimmed (a data string must not
    open a block — a new paragraph, an indented code block — nor break the emphasis it is wrapped in).
    """
    return _MD_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)).strip())


def md_plain(text: str) -> str:
    """Undo :func:`md_text` where rendered template text is not Markdown but plain text (a chart's title and
    subtitle are drawn by Vega and typeset from plain text: a backslash there would be shown)."""
    return _MD_UNESCAPE.sub(r"\1", text)


def escape_html_tables() -> None:
    """Make every pandas ``Styler`` escape its cells as HTML.

    Chapter notebooks display tables as ``frame.style``; Styler writes cell text into the page *unescaped*
    by default, so an indicator name like ``<script>…`` would run. Setting the pandas option once makes
    every table of the process escape, including ones added later.
    """
    import pandas as pd

    pd.set_option("styler.format.escape", "html")
