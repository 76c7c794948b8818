"""Jinja2 filters and tests: how a fact reads as a figure, the house number format, and nothing more.

Filters turn facts (:mod:`dcbook.facts`) into printed figures — the value with its unit and scale word
(万/亿), its qualifier word (超过/约/不到), percentage points, 倍 from a doubling on, year spans — by the rules of
:mod:`dcbook.fmt`. Which verb goes before a figure, and what a sentence says about it, is the template's
business (``book/_templates/phrases.jinja`` holds the shared phrases). A filter given a missing fact raises
:class:`dcbook.prose.engine.MissingFact`, naming it, so no figure can silently print empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from dcbook import facts as F
from dcbook import fmt

#: The qualifier word of a derived number's bound (the data contract's qualifiers, plus "open").
BOUND_WORDS: dict[str, str] = {F.EXACT: "", F.LOWER: "超过", F.UPPER: "不到", F.APPROX: "约", F.NEAR: "近"}
#: How a name links to its value, by qualifier: "…为 45%", "…超过 3 万件", "…约为 33 万家", "…不到 5%".
LINK_WORDS: dict[str, str] = {F.EXACT: "为", F.APPROX: "约为", F.LOWER: "超过", F.UPPER: "不到", F.NEAR: "近"}
#: Words of a plan's comparator ("2025 年不低于 45 万家"), defined once in the formatting layer.
COMPARATOR_WORDS = fmt.COMPARATOR_WORDS


class FactError(ValueError):
    """A filter got something it cannot print (a missing fact, a bound that cannot be stated)."""


def _check(x: Any, filter_name: str) -> Any:
    missing = getattr(x, "__dcbook_missing__", None)
    if missing is not None:
        raise FactError(
            f"filter {filter_name!r}: fact {missing} has no value in this edition "
            f"(guard the sentence with {{% if {missing} %}})"
        )
    if x is None:
        raise FactError(f"filter {filter_name!r}: got None")
    return x


def _value_of(x: Any, filter_name: str) -> F.Value:
    x = _check(x, filter_name)
    if isinstance(x, F.Series):
        return x.latest
    if isinstance(x, F.Value):
        return x
    raise FactError(f"filter {filter_name!r}: expects a figure (Value or Series), got {type(x).__name__}")


def _safe(text: str) -> Markup:
    """Filter output is finished text: the template engine must not escape it again."""
    return Markup(text)


def value(x: Any) -> Markup:
    """ "超过 9.89 亿人", "73%", "第 14 位": a figure with unit, scale word and qualifier."""
    v = _value_of(x, "value")
    return _safe(fmt.fmt_value(v.value, v.unit, qualifier=v.qualifier))


def num(x: Any) -> Markup:
    """ "9.89 亿人": the figure without its qualifier word (when the sentence words the bound itself)."""
    v = _value_of(x, "num")
    return _safe(fmt.fmt_value(v.value, v.unit))


def be(x: Any) -> Markup:
    """The predicate after a name: "为 45%", "超过 3 万件", "约为 33 万家", "不到 5%"."""
    v = _value_of(x, "be")
    return _safe(fmt.join_words(LINK_WORDS[v.qualifier], fmt.fmt_value(v.value, v.unit)))


def named(x: Any, label: str | None = None) -> Markup:
    """Name and predicate without saying a counter twice: "全国使用健康码超过 500 亿人次" (never
    "…人次超过 500 亿次"); ``label`` replaces the catalogue name."""
    v = _value_of(x, "named")
    name = str(label if label is not None else fmt.md_text(v.name))
    pred = str(be(v))
    if name.endswith("人次") and pred.endswith("次"):
        pred = pred if pred.endswith("人次") else pred[:-1] + "人次"
        return _safe(name[:-2] + pred)
    return _safe(name + pred)


def year(x: Any) -> Markup:
    """ "2021 年"; a figure covering several years "2017–2021 年"; a change "2016–2021 年"; a figure of part
    of a year "2017 年上半年", "截至 2020 年 6 月" (the period travels with the figure)."""
    x = _check(x, "year")
    if isinstance(x, F.Series):
        x = x.latest
    if isinstance(x, F.Value):
        return _safe(fmt.fmt_when(x.year, x.period, x.start_year))
    if isinstance(x, F.Change):
        return _safe(fmt.fmt_change_span(x.first.year, x.first.period, x.last.year, x.last.period))
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return _safe(fmt.fmt_year_span(int(x), int(x)))
    raise FactError(f"filter 'year': expects a figure, change or year, got {type(x).__name__}")


def _change(x: Any, filter_name: str) -> F.Change:
    x = _check(x, filter_name)
    if isinstance(x, F.Series):
        if x.change is None:
            raise FactError(f"filter {filter_name!r}: {x.indicator} has one year only (test .change first)")
        return x.change
    if isinstance(x, F.Change):
        return x
    raise FactError(f"filter {filter_name!r}: expects a change (or a Series), got {type(x).__name__}")


def _growth_pct(c: F.Change) -> float:
    if c.growth is None:
        raise FactError(f"filter 'growth': {c.last.indicator}: growth from a zero or negative base")
    return c.growth * 100


def growth(x: Any) -> Markup:
    """Size of a relative change with its bound: "35.2%", "超过 35.2%", "2.1 倍" (from a doubling on, the
    sources' usage: 增长 1 倍 = doubled). The verb (增长/下降) is the template's; "open" bounds raise."""
    c = _change(x, "growth")
    if c.bound == F.OPEN:
        raise FactError(
            f"filter 'growth': {c.last.indicator}: both ends are bounds pulling apart (test is open)"
        )
    _growth_pct(c)  # raises for a zero or negative base
    assert c.ratio is not None
    return _safe(fmt.growth_size(c.ratio, c.bound))


def rate(x: Any, digits: int = 1) -> Markup:
    """A growth rate (a fraction such as a CAGR): "31.6%", or "4.4 倍" from 100% on (:func:`dcbook.fmt.fmt_rate`).
    A change, a fastest series or a plan pace (its observed rate) carries the bound of its ends."""
    x = _check(x, "rate")
    bound = F.EXACT
    if isinstance(x, F.Fastest):
        bound = x.series.change.bound if x.series.change is not None else F.EXACT
        x = x.cagr
    if isinstance(x, F.Pace):  # the observed pace, with the bound its two ends give it
        if x.observed_cagr is None:
            raise FactError(f"filter 'rate': {x.indicator}: no observed pace")
        bound, x = x.observed_bound, x.observed_cagr
    if isinstance(x, F.Change):
        if x.cagr is None:
            raise FactError(f"filter 'rate': {x.last.indicator}: no compound rate (zero span or base)")
        bound = x.bound
        x = x.cagr
    if bound == F.OPEN:  # bounds pulling both ways: the rate as computed, said to be approximate
        bound = F.APPROX
    if bound == F.EXACT:
        return _safe(fmt.fmt_rate(float(x), digits))
    # A rate from a bounded end carries the bound, and is never rounded past it (超过 1.6 倍, not 1.7).
    r = float(x)
    shown = fmt.bounded(r, bound, digits if r >= 1 else digits + 2)  # 倍 below, a percentage of the fraction
    return _safe(fmt.join_words(BOUND_WORDS[bound], fmt.fmt_rate(shown, digits)))


def _points_digits(*vals: F.Value) -> int:
    return max(fmt.decimals(v.value) for v in vals)


def pp(x: Any, digits: int | None = None) -> Markup:
    """A difference in percentage points, absolute (the verb carries the sign): "8.9 个百分点"; printed
    with the precision of its inputs. A change or gap between bounded shares carries the bound word."""
    x = _check(x, "pp")
    word = ""
    if isinstance(x, F.Series):
        x = _change(x, "pp")
    if isinstance(x, F.Change):
        d, b = x.delta, x.delta_bound
        digits = _points_digits(x.first, x.last) if digits is None else digits
    elif isinstance(x, F.Gap):
        d, b = x.points, x.bound
        digits = _points_digits(x.low, x.high) if digits is None else digits
    else:
        d, b = float(x), F.EXACT
        digits = fmt.decimals(d) if digits is None else digits
    if b == F.OPEN:
        b = F.APPROX
    if d < 0 and b in (F.LOWER, F.UPPER):  # the size of a fall: a bound on the difference flips
        b = F.UPPER if b == F.LOWER else F.LOWER
    if d < 0 and b == F.NEAR:
        b = F.APPROX
    word = BOUND_WORDS[b]
    body = f"{fmt.fmt_plain(abs(d), digits)} 个百分点"
    return _safe(fmt.join_words(word, body) if word else body)


def pct(x: Any, digits: int = 1) -> Markup:
    """A fraction as a percentage: 0.123 → "12.3%"."""
    return _safe(fmt.fmt_pct(float(_check(x, "pct")), digits))


def plain(x: Any, digits: int | None = None) -> Markup:
    """A bare number with thousands separators (the source's precision, or ``digits``)."""
    return _safe(fmt.fmt_plain(float(_check(x, "plain")), digits))


def count(x: Any, unit: str = "项") -> Markup:
    """A count with its counter: "5 项", "31 个"."""
    x = _check(x, "count")
    n = len(x) if isinstance(x, (list, tuple)) else int(x)
    return _safe(f"{n} {unit}")


def ratio(x: Any) -> Markup:
    """A ratio of two figures with its bound: "96.5%", "2.8 倍", "超过 2.8 倍"; a ratio from a lower bound
    is floored (never rounded up past what the bound allows)."""
    x = _check(x, "ratio")
    if not isinstance(x, F.Ratio):
        raise FactError(f"filter 'ratio': expects a Ratio, got {type(x).__name__}")
    r = x.ratio
    # A lower bound is floored (fmt.bounded); an upper-bound ratio is printed as computed, as before.
    floor = F.LOWER if x.bound == F.LOWER else F.EXACT
    if r >= 2:
        body = f"{fmt.fmt_plain(fmt.bounded(r, floor, 1), 1)} 倍"
    else:
        body = fmt.fmt_pct(fmt.bounded(r, floor, 3), 1)
    word = BOUND_WORDS[x.bound]
    return _safe(fmt.join_words(word, body) if word else body)


def goal(x: Any) -> Markup:
    """A plan target as a figure: "2025 年不低于 45 万家"."""
    p = _check(x, "goal")
    if not isinstance(p, F.Pace):
        raise FactError(f"filter 'goal': expects a Pace, got {type(p).__name__}")
    comp = COMPARATOR_WORDS.get(p.comparator, "达到")
    return _safe(f"{p.target_year} 年{fmt.join_words(comp, fmt.fmt_value(p.target_value, p.unit))}")


def date(x: Any) -> Markup:
    """ "2021-09" → "2021 年 9 月"; "2017-06-01" → "2017 年 6 月 1 日"; "2019" → "2019 年"."""
    x = _check(x, "date")
    if isinstance(x, F.Event):
        x = x.date
    return _safe(fmt.date_words(str(x)))


def quoted(x: Any) -> Markup:
    """A name in Chinese quotes; quotes inside become single quotes (“‘十四五’规划”)."""
    text = str(_check(x, "quoted"))
    return _safe("“" + fmt.md_text(text.replace("“", "‘").replace("”", "’")) + "”")


def listing(items: Iterable[Any], last: str = "和", sep: str = "、") -> Markup:
    """ "A、B 和 C" (``last`` joins the final pair; data strings are escaped)."""
    parts = [str(i) if isinstance(i, Markup) else fmt.md_text(str(i)) for i in _check(items, "listing")]
    if not parts:
        raise FactError("filter 'listing': empty list (guard it with {% if … %})")
    return _safe(parts[0] if len(parts) == 1 else sep.join(parts[:-1]) + last + parts[-1])


def cite(items: Any) -> Markup:
    """A MyST citation of sources: "{cite:p}`dcr2017,fyp14_plan`" (Source facts, or their ids)."""
    items = _check(items, "cite")
    seq = items if isinstance(items, (list, tuple)) else [items]
    keys = [i.id if isinstance(i, F.Source) else str(i) for i in seq]
    if not keys or any(not k.replace("_", "").isalnum() for k in keys):
        raise FactError(f"filter 'cite': not citation keys: {keys!r}")
    return _safe("{cite:p}`" + ",".join(keys) + "`")


def title(x: Any) -> Markup:
    """A document's title in book-title marks: 《数字中国发展报告（2021年）》."""
    x = _check(x, "title")
    text = x.title if isinstance(x, F.Source) else str(x)
    return _safe("《" + fmt.md_text(text) + "》")


def names(items: Iterable[Any]) -> list[str]:
    """The names of figures (Value/Series/Pace), for :func:`listing`."""
    return [str(getattr(i, "name", i)) for i in _check(items, "names")]


FILTERS: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (
        value, num, be, named, year, growth, rate, pp, pct, plain, count, ratio, goal, date, quoted,
        listing, names, cite, title,
    )
}  # fmt: skip


# ---- tests (``{% if x is flat %}``) -----------------------------------------------------------------------


def is_flat(x: Any) -> bool:
    """The change prints as no change at the precision shown (growth 0.0%, or 0 points for a share)."""
    c = _change(x, "flat")
    if c.first.unit == "%" or c.first.unit == "位":
        return round(c.delta, _points_digits(c.first, c.last)) == 0
    return c.growth is not None and round(_growth_pct(c), 1) == 0


def is_open(x: Any) -> bool:
    """The change's bounds pull both ways: no growth can be stated."""
    return _change(x, "open").bound == F.OPEN


def is_doubling(x: Any) -> bool:
    """The figure at least doubled: growth reads in 倍."""
    c = _change(x, "doubling")
    return c.ratio is not None and c.ratio >= 2


TESTS: dict[str, Callable[[Any], bool]] = {"flat": is_flat, "open": is_open, "doubling": is_doubling}
