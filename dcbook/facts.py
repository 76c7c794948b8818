"""Named facts: what the analysis layer hands to the prose templates, instead of sentences.

A chapter module computes, for one edition, a mapping of fact names to the objects below (or ``None`` where
the edition lacks the figures); the notebook's Markdown cells are Jinja2 templates that word them
(:mod:`dcbook.prose`). Facts carry everything a sentence needs to be honest — value, unit, qualifier
(exact / lower bound / approx / upper bound), year and period, source and locator — and the derived
comparisons (growth, change in points, pace against a plan, ratio, gap) with the bound each inherits from
its inputs. Nothing here is worded: Chinese appears only as data (indicator names, source titles).

Facts cross a process boundary (the kernel computes them, the build renders the templates), so each is a
frozen dataclass that :func:`encode` turns into JSON and :func:`decode` back.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dcbook import periods, targets, units

#: Qualifiers of the data contract (``observations.csv`` ``qualifier``).
EXACT, LOWER, UPPER, APPROX = "exact", "lower_bound", "upper_bound", "approx"
#: "近 X": approximately X and not more (the documents' 近 50 个, 近 33 万家).
NEAR = "near"
#: The qualifier of a derived number whose inputs pull in opposite directions (no bound can be stated).
OPEN = "open"
#: Units that mark a rate, share or rank rather than a stock: excluded from growth comparisons.
NOT_LEVEL_UNITS: frozenset[str] = frozenset({"%", "个百分点", "位", "倍", ""})
#: Indicator id endings of flows and changes (not stocks): excluded from growth comparisons.
NOT_LEVEL_SUFFIXES: tuple[str, ...] = ("_growth", "_change_pp", "_net_increase", "_net_add", "_new", "_5y")
#: Verdict groups, defined once in dcbook.targets.
UNJUDGED, BEHIND, ON_PACE = targets.UNJUDGED, targets.BEHIND, targets.ON_PACE


def _qual(q: Any) -> str:
    return EXACT if q is None or (isinstance(q, float) and math.isnan(q)) or q == "" else str(q)


def _text(x: Any) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)


def _num(x: Any) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


@dataclass(frozen=True)
class Value:
    """One figure as its source printed it (the winner of the conflict rule for its indicator and year)."""

    indicator: str
    name: str
    value: float
    unit: str
    qualifier: str
    year: int
    region: str = "全国"
    source: str = ""
    source_title: str = ""
    locator: str = ""
    #: First year of the period the figure covers, when it is a change over several years recorded
    #: under the last one (the catalogue says so); ``None`` for a figure of one year.
    start_year: int | None = None
    #: Computed by the book from other figures (a ratio, a complement), not printed by a source.
    computed: bool = False
    #: The part of the year the figure covers when not the whole year or its end (dcbook.periods codes:
    #: "to-06" 上半年, "asof-06" 截至 6 月, "cumulative" a running total); "" for the year.
    period: str = ""

    @property
    def exact(self) -> bool:
        return self.qualifier == EXACT

    @property
    def rank(self) -> bool:
        return self.unit == "位"

    @property
    def share(self) -> bool:
        return self.unit == "%"


#: Id ending of an indicator that is the year-on-year growth a source prints for the level indicator
#: named by the rest of the id (``online_retail_sales_growth`` → ``online_retail_sales``).
STATED_GROWTH_SUFFIX = "_growth"
#: Id ending of the compound annual rate a source prints for the level indicator named by the rest of the
#: id over a span of years (``digital_economy_size_cagr``: 2017–2021, recorded under 2021).
STATED_CAGR_SUFFIX = "_cagr"
#: A printed and a computed growth further apart than this (in points) need a stated cause.
STATED_TOLERANCE_PP = 1.0
#: Likely causes of a gap between a printed growth and the book's own (what ``Stated.cause`` may hold):
#: the two ends or the rate cover different parts of the year; the year-before level comes from another
#: document (a base the printing source may have revised); the same document prints levels and rate, so
#: the rate is on another basis (a comparable-basis rate, a changed definition).
CAUSES: tuple[str, ...] = ("period", "base", "definition")


@dataclass(frozen=True)
class Stated:
    """A growth rate a source prints, beside the one the book computes from two levels of the same span.

    ``computed`` is a fraction (like :attr:`Change.growth`), ``printed`` the source's rate in %. ``agree``:
    both round to the printed digits; ``rounding``: they differ by no more than the rounding of the three
    printed figures allows; ``points`` the difference in percentage points; ``cause`` one of
    :data:`CAUSES` when the two differ by more than :data:`STATED_TOLERANCE_PP` beyond rounding, else "".
    ``checked`` is false when a bound on either side makes the comparison meaningless (the rate is still
    shown beside the computed one).
    """

    printed: Value
    annual: bool
    checked: bool
    computed: float | None = None
    points: float | None = None
    agree: bool = False
    rounding: bool = False
    cause: str = ""

    @property
    def consistent(self) -> bool:
        return self.checked and (self.agree or self.rounding)

    @property
    def flagged(self) -> bool:
        return bool(self.cause)


@dataclass(frozen=True)
class Change:
    """First → last figure of one series, and what can honestly be derived from the pair.

    ``bound`` is the qualifier of the relative growth ``last / first - 1``: a lower bound at the end (or an
    upper bound at the start) can only make it larger, so it reads "超过"; the reverse "不到"; bounds pulling
    both ways leave it :data:`OPEN` (no growth can be stated); any approximate end makes it "约". For a
    decline the words swap (a bound on the ratio is the opposite bound on the fall). ``delta_bound`` is the
    same for the difference ``last - first`` (used for percentage points).
    """

    first: Value
    last: Value
    delta: float
    ratio: float | None
    growth: float | None
    cagr: float | None
    bound: str
    delta_bound: str
    #: The growth a source prints for the same span, set against ``growth`` (None where none is printed).
    stated: Stated | None = None

    @property
    def years(self) -> int:
        return self.last.year - self.first.year

    @property
    def up(self) -> bool:
        return self.delta > 0

    @property
    def down(self) -> bool:
        return self.delta < 0

    @property
    def per_year(self) -> float:
        """Average change per year (points per year for a share)."""
        return self.delta / self.years if self.years else 0.0

    @property
    def start(self) -> int:
        return self.first.year

    @property
    def end(self) -> int:
        return self.last.year


@dataclass(frozen=True)
class Series:
    """Every figure of one indicator in the edition, oldest first; ``change`` is None below two years."""

    indicator: str
    name: str
    unit: str
    values: tuple[Value, ...]
    change: Change | None

    @property
    def latest(self) -> Value:
        return self.values[-1]

    @property
    def first(self) -> Value:
        return self.values[0]

    @property
    def n(self) -> int:
        return len(self.values)

    def at(self, year: int) -> Value | None:
        """The figure of ``year``, or None."""
        return next((v for v in self.values if v.year == int(year)), None)


@dataclass(frozen=True)
class Pace:
    """One plan target as the scorecard judges it for the edition (dcbook.targets)."""

    plan: str
    plan_name: str
    indicator: str
    name: str
    unit: str
    comparator: str
    target_year: int
    target_value: float
    base_year: int | None
    base_value: float | None
    latest: Value | None
    status: str
    verdict: str
    observed_cagr: float | None
    required_cagr: float | None
    required_from_latest: float | None
    early_year: int | None
    #: The edition has reached the target year: "on pace" no longer applies.
    over: bool
    #: The growth a source prints for the latest year, beside ``observed_cagr`` when that spans one year.
    stated: Stated | None = None
    #: The qualifier ``observed_cagr`` inherits from its two ends (a rate to "近 33 万家" is 约).
    observed_bound: str = EXACT
    #: Why a definition check failed (口径待核), in the scorecard's words.

    @property
    def judged(self) -> bool:
        return self.verdict not in UNJUDGED

    @property
    def behind(self) -> bool:
        return self.verdict in BEHIND

    @property
    def on_pace(self) -> bool:
        return self.verdict in ON_PACE


@dataclass(frozen=True)
class Card:
    """The plan targets of a chapter's domains: every :class:`Pace`, and their verdicts counted once."""

    paces: tuple[Pace, ...]
    #: Count per verdict, in :data:`dcbook.targets.VERDICTS` order (only verdicts that occur).
    counts: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The payload crosses the notebook as JSON, whose writer sorts keys: restore the VERDICTS order.
        rank = {v: i for i, v in enumerate(targets.VERDICTS)}
        ordered = sorted(self.counts.items(), key=lambda kv: rank.get(kv[0], len(rank)))
        object.__setattr__(self, "counts", dict(ordered))

    @property
    def n(self) -> int:
        return len(self.paces)

    @property
    def judged(self) -> tuple[Pace, ...]:
        return tuple(p for p in self.paces if p.judged)

    @property
    def behind(self) -> tuple[Pace, ...]:
        return tuple(p for p in self.paces if p.behind)

    @property
    def met(self) -> tuple[Pace, ...]:
        return tuple(p for p in self.paces if p.verdict == "已达成")

    @property
    def early(self) -> tuple[Pace, ...]:
        return tuple(p for p in self.paces if p.verdict == "中途达标")

    @property
    def on_pace(self) -> tuple[Pace, ...]:
        return tuple(p for p in self.paces if p.on_pace)

    @property
    def undecided(self) -> tuple[Pace, ...]:
        """Target year passed, but no comparable target-year figure (无法判定 or 口径待核)."""
        return tuple(p for p in self.paces if p.verdict in ("无法判定", "口径待核"))

    def __bool__(self) -> bool:
        return bool(self.paces)


@dataclass(frozen=True)
class Ratio:
    """``num / den`` of two figures in one unit; ``bound`` from their qualifiers (a lower-bound numerator
    over an exact denominator is a lower bound, and so on; mixed directions make it approximate)."""

    num: Value
    den: Value
    ratio: float
    bound: str


@dataclass(frozen=True)
class Gap:
    """``high - low`` of two percentages, in points, with the bound their qualifiers allow."""

    low: Value
    high: Value
    points: float
    bound: str


@dataclass(frozen=True)
class Fastest:
    """The fastest-growing of several level indicators by compound annual growth (:func:`fastest`).

    ``small_base``: the winner's latest figure is at least :data:`SMALL_BASE_MULTIPLE` times its first, or it
    more than doubled a year on average (:data:`SMALL_BASE_CAGR`), so its rate says more about the low start
    than about the pace (the sentence must say so); ``pilots``: the
    names of pilot-scheme indicators left out of the comparison (:data:`PILOT_WORDS`)."""

    series: Series
    cagr: float
    candidates: int
    small_base: bool = False
    pilots: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """One document the edition may use (sources.csv); ``id`` is also its citation key."""

    id: str
    title: str
    kind: str
    publisher: str
    published: str
    edition_year: int


@dataclass(frozen=True)
class Event:
    """A dated milestone (milestones.csv)."""

    date: str
    event: str
    domain: str
    category: str
    source: str

    @property
    def draft(self) -> bool:
        """A bill published for comment (《…（草案）》公开征求意见): in the law category, but not passed."""
        return "草案" in self.event


@dataclass(frozen=True)
class Standing:
    """One statement of China's place in the world (``international.csv``), as the latest visible source
    states it: a rank, a world share, a ratio to another country, a count of entries in an international
    list, or a comparison or superlative without a number (``figure`` None)."""

    indicator: str
    name: str
    measure: str
    family: str
    family_name: str
    #: The number with its unit (位, %, 倍, 家) and bound; None for a comparison or superlative.
    figure: Value | None
    #: The value as the quote prints it (第二, 三分之一, 1/9), for readers who check the source.
    printed: str
    comparator: str
    scope: str
    year: int
    domain: str
    source: str
    source_title: str
    locator: str
    quote: str
    #: The earliest figure of the same indicator and measure in the edition's sources (a rank's movement).
    earlier: Value | None = None
    #: How many of the edition's documents make the statement.
    n_sources: int = 1


FACT_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Value, Stated, Change, Series, Pace, Card, Ratio, Gap, Fastest, Source, Event, Standing)
}


# ----------------------------------------------------------------------------------------------------------
# Bounds


def growth_bound(first_q: str, last_q: str) -> str:
    """Qualifier of ``last / first`` from the qualifiers of the two ends (see :class:`Change`)."""
    if last_q == NEAR and first_q == EXACT:
        return NEAR  # just under the end: the ratio is just under too ("近 20.0%")
    if APPROX in (first_q, last_q) or NEAR in (first_q, last_q):
        return APPROX
    up = {LOWER: LOWER, UPPER: UPPER}.get(last_q, "")
    down = {LOWER: UPPER, UPPER: LOWER}.get(first_q, "")
    if up and down and up != down:
        return OPEN
    return up or down or EXACT


def change_bounds(first_q: str, last_q: str, v0: float, v1: float) -> tuple[str, str]:
    """``(bound, delta_bound)`` of a change ``v0`` → ``v1`` (see :class:`Change`): the qualifier of the ratio's
    size — a bound on the ratio is the opposite bound on a decline — and of the difference."""
    bound = delta = growth_bound(first_q, last_q)
    if v1 < v0 and bound in (LOWER, UPPER):
        bound = UPPER if bound == LOWER else LOWER
    if v1 < v0 and bound == NEAR:  # a fall to "近 X" is at least the fall to X: no longer "近"
        bound = APPROX
    return bound, delta


def ratio_bound(num_q: str, den_q: str) -> str:
    """Qualifier of ``num / den``: the same rule as a growth ratio (numerator = end, denominator = start)."""
    b = growth_bound(den_q, num_q)
    return APPROX if b == OPEN else b


# ----------------------------------------------------------------------------------------------------------
# Constructors (from a dcbook.data.Dataset, duck-typed)


_PERIOD = re.compile(r"(\d{4})\s*[—–-]\s*(\d{4})\s*年\s*记为\s*(\d{4})")


def period_start(ds: Any, indicator_id: str, year: int) -> int | None:
    """First year of the period a figure covers when the catalogue says "2017—2021年记为2021年"."""
    if "definition_zh" not in ds.indicators.columns or indicator_id not in ds.indicators.index:
        return None
    m = _PERIOD.search(str(ds.indicators.at[indicator_id, "definition_zh"]))
    if m is None or int(m.group(3)) != int(year) or int(m.group(2)) != int(year):
        return None
    return int(m.group(1))


def name_of(ds: Any, indicator_id: str) -> str:
    """Chinese name of an indicator from the catalogue; raises naming the id if it is not catalogued."""
    if indicator_id not in ds.indicators.index:
        raise KeyError(f"indicators.csv: no row with indicator_id {indicator_id!r}")
    return str(ds.indicators.at[indicator_id, "name_zh"])


def from_row(ds: Any, row: Any) -> Value:
    """A :class:`Value` from a resolved observation row."""
    ind = str(row["indicator_id"])
    year = int(row["year"])
    name = _text(row.get("name_zh")) or name_of(ds, ind)
    return Value(
        indicator=ind,
        name=name,
        value=float(row["value"]),
        unit=_text(row.get("unit")),
        qualifier=_qual(row.get("qualifier")),
        year=year,
        region=_text(row.get("region")) or "全国",
        source=_text(row.get("source_id")),
        source_title=_text(row.get("source_title")),
        locator=_text(row.get("locator")),
        start_year=period_start(ds, ind, year),
        period=_text(row.get("period")),
    )


def value(ds: Any, indicator_id: str, region: str = "全国") -> Value | None:
    """The latest figure of an indicator, or None when the edition has none."""
    row = ds.latest(indicator_id, region)
    return None if row is None else from_row(ds, row)


def values(ds: Any, indicator_ids: Iterable[str], region: str = "全国") -> tuple[Value, ...]:
    """Latest figures of those ``indicator_ids`` the edition has, in the given order."""
    found = (value(ds, i, region) for i in indicator_ids)
    return tuple(v for v in found if v is not None)


def change_of(first: Value, last: Value) -> Change:
    """The :class:`Change` between two figures of one series."""
    v0, v1 = first.value, last.value
    ratio = v1 / v0 if v0 else None
    span = last.year - first.year
    cagr = (v1 / v0) ** (1 / span) - 1 if span > 0 and v0 > 0 and v1 > 0 else None
    growth = ratio - 1 if ratio is not None and ratio >= 0 else None
    bound, delta_bound = change_bounds(first.qualifier, last.qualifier, v0, v1)
    if periods.approximate(first.period, last.period):  # a mid-year end: the span is not whole years
        bound = APPROX if bound == EXACT else bound
        delta_bound = APPROX if delta_bound == EXACT else delta_bound
    return Change(
        first=first,
        last=last,
        delta=v1 - v0,
        ratio=ratio,
        growth=growth,
        cagr=cagr,
        bound=bound,
        delta_bound=delta_bound,
    )


def series(ds: Any, indicator_id: str, region: str = "全国") -> Series | None:
    """Every figure of an indicator (oldest first) and its first → last change; None without data."""
    s = ds.series(indicator_id, region)
    if s is None or s.empty:
        return None
    s = s.sort_values("year", kind="stable")
    vals = tuple(from_row(ds, r) for _, r in s.iterrows())
    # The change runs from the first figure that may be compared with the latest (never half a year's
    # flow against a whole year's).
    peers = [v for v in vals[:-1] if periods.comparable(v.period, vals[-1].period)]
    change = change_of(peers[0], vals[-1]) if peers else None
    if change is not None and change.years == 1 and region == "全国":
        change = dataclasses.replace(change, stated=stated_growth(change, printed_growth(ds, indicator_id)))
    return Series(indicator_id, vals[-1].name, vals[-1].unit, vals, change)


def printed_growth(ds: Any, indicator_id: str, region: str = "全国") -> Value | None:
    """The year-on-year growth a source prints for a level indicator (its ``<id>_growth``), or None."""
    growth_id = f"{indicator_id}{STATED_GROWTH_SUFFIX}"
    return value(ds, growth_id, region) if growth_id in ds.indicators.index else None


def _half_unit(x: float) -> float:
    """Half a unit of the last digit printed: the rounding a printed figure may hide."""
    return 0.5 * 10 ** -units.decimals(x)


def rounding_range(change: Change, *, annual: bool) -> tuple[float, float]:
    """The lowest and highest growth (in %) the two printed ends allow once their rounding is undone."""
    a, b = change.first.value, change.last.value
    ha, hb = _half_unit(a), _half_unit(b)
    power = 1 / change.years if annual else 1.0
    lo = ((b - hb) / (a + ha)) ** power - 1
    hi = ((b + hb) / (a - ha)) ** power - 1 if a > ha else math.inf
    return lo * 100, hi * 100


def yoy_check(ds: Any, indicator_id: str, year: int | None = None) -> Change | None:
    """The change from the year before to the year a source prints a growth for (the latest such year
    unless ``year``), carrying that printed growth; None when either level is missing."""
    printed = printed_growth(ds, indicator_id)
    if printed is None or (year is not None and printed.year != int(year)):
        return None
    s = ds.series(indicator_id)
    if s is None or s.empty:
        return None
    rows = {int(r["year"]): r for _, r in s.iterrows()}
    last, before = rows.get(printed.year), rows.get(printed.year - 1)
    if last is None or before is None:
        return None
    first, end = from_row(ds, before), from_row(ds, last)
    if not periods.comparable(first.period, end.period):
        return None
    change = change_of(first, end)
    return dataclasses.replace(change, stated=stated_growth(change, printed))


def _gap_cause(change: Change, printed: Value) -> str:
    """Which of :data:`CAUSES` most likely explains a printed rate the two levels do not reproduce."""
    if len({change.first.period, change.last.period, printed.period}) > 1:
        return "period"
    if change.first.source != printed.source:
        return "base"
    return "definition"


def stated_growth(change: Change | None, printed: Value | None, *, annual: bool = False) -> Stated | None:
    """A printed growth set against the change the book computes over the same span (None when the
    printed rate is of another year). ``annual``: the printed rate is a compound annual rate over the
    change's span, otherwise the growth between its two ends."""
    if change is None or printed is None or printed.year != change.end or change.years < 1:
        return None
    rate = change.cagr if annual else change.growth
    if not (printed.exact and change.bound == EXACT) or change.first.value <= 0 or rate is None:
        return Stated(printed, annual, checked=False)
    digits = units.decimals(printed.value)
    agree = round(rate * 100, digits) == round(printed.value, digits)
    lo, hi = rounding_range(change, annual=annual)
    half = _half_unit(printed.value)
    rounding = not agree and lo <= printed.value + half and printed.value - half <= hi
    points = abs(rate * 100 - printed.value)
    cause = _gap_cause(change, printed) if not (agree or rounding) and points > STATED_TOLERANCE_PP else ""
    return Stated(printed, annual, True, rate, points, agree, rounding, cause)


def stated_cagr(ds: Any, change: Change | None, region: str = "全国") -> Stated | None:
    """The compound annual rate a source prints over exactly the change's span (its ``<id>_cagr`` whose
    period runs from the change's first year to its last) beside the book's own (rule: the source's own
    comparison first); None when no source prints one for that span."""
    if change is None:
        return None
    rate_id = f"{change.last.indicator}{STATED_CAGR_SUFFIX}"
    printed = value(ds, rate_id, region) if rate_id in ds.indicators.index else None
    if printed is None or printed.start_year != change.start:
        return None
    return stated_growth(change, printed, annual=True)


def ratio(num: Value | None, den: Value | None) -> Ratio | None:
    """``num / den`` (None when either is missing or the denominator is 0)."""
    if num is None or den is None or den.value == 0:
        return None
    return Ratio(num, den, num.value / den.value, ratio_bound(num.qualifier, den.qualifier))


def gap(low: Value | None, high: Value | None) -> Gap | None:
    """``high - low`` in percentage points (None when either is missing)."""
    if low is None or high is None:
        return None
    return Gap(low, high, high.value - low.value, growth_bound(low.qualifier, high.qualifier))


def last_shared_year(a: Series, b: Series) -> int | None:
    """The latest year both series have: two figures compared must be of the same year."""
    years = sorted({v.year for v in a.values} & {v.year for v in b.values})
    return years[-1] if years else None


def latest_pair(a: Series | None, b: Series | None) -> tuple[Value, Value] | None:
    """The figures of ``a`` and ``b`` in the latest year both have (None without one): what a ratio or a
    comparison of two series may use."""
    if a is None or b is None:
        return None
    year = last_shared_year(a, b)
    if year is None:
        return None
    va, vb = a.at(year), b.at(year)
    assert va is not None and vb is not None
    return va, vb


def level_indicators(ds: Any, domains: Sequence[str]) -> list[str]:
    """Stock indicators of ``domains`` (counts, sizes): the only ones whose growth rates can be compared."""
    ind = ds.indicators
    out = []
    for i in ind.index:
        if ind.at[i, "domain"] not in domains:
            continue
        unit = _text(ind.at[i, "unit"])
        if unit in NOT_LEVEL_UNITS or str(i).endswith(NOT_LEVEL_SUFFIXES):
            continue
        out.append(str(i))
    return out


#: Words of an indicator's name that mark a pilot scheme (试点城市, 综合试验区, 示范区): its growth is the
#: growth of the scheme's coverage, not of the activity, so :func:`fastest` leaves it out.
PILOT_WORDS: tuple[str, ...] = ("试点", "试验区", "示范")


def from_pilot(first_quote: object, last_quote: object) -> bool:
    """Whether a change runs from a pilot's figure to a wider one: the first quote speaks of a 试点 and the
    last does not (2020's 电子培训券试点 52.97 万张 → 2021's national 1,873.74 万张 is a rollout, not growth)."""
    return "试点" in str(first_quote or "") and "试点" not in str(last_quote or "")


#: A series whose latest figure is this many times its first grew from a small base (:class:`Fastest`).
SMALL_BASE_MULTIPLE = 10.0
#: So did a series that grew by more than this a year on average (1.0: it more than doubled every year; 千兆
#: 光纤用户 640 万 → 3,456 万户 in one year is a service in its launch year, not a pace).
SMALL_BASE_CAGR = 1.0


def fastest(ds: Any, indicator_ids: Sequence[str]) -> Fastest | None:
    """The indicator with the highest compound annual growth first → latest (None when no indicator has
    two years of data). Compound rates make series of different spans comparable; pilot schemes are left
    out and a winner that grew from a small base says so (the rule the book states in 方法与数据)."""
    every = [s for s in (series(ds, i) for i in indicator_ids) if s is not None and s.change]

    def pilot(s: Series) -> bool:
        if any(w in s.name for w in PILOT_WORDS):
            return True
        rows = ds.series(s.indicator)
        return not rows.empty and from_pilot(rows["quote"].iloc[0], rows["quote"].iloc[-1])

    pilots = tuple(s.name for s in every if pilot(s))
    candidates = [s for s in every if s.name not in pilots]
    best: Series | None = None
    for s in candidates:
        rate = s.change.cagr if s.change is not None else None
        if rate is not None and (best is None or rate > best.change.cagr):  # type: ignore[union-attr]
            best = s
    if best is None or best.change is None or best.change.cagr is None:
        return None
    ratio = best.change.ratio
    small = (ratio is not None and ratio >= SMALL_BASE_MULTIPLE) or best.change.cagr >= SMALL_BASE_CAGR
    return Fastest(best, best.change.cagr, len(candidates), small, pilots)


def domain_ids(ds: Any, domains: Sequence[str]) -> list[str]:
    """Catalogue ids of ``domains``, in catalogue order."""
    dom = ds.indicators["domain"]
    return [str(i) for i in ds.indicators.index if dom[i] in domains]


def domain_count(ds: Any, domains: Sequence[str]) -> int:
    """How many indicators of ``domains`` have at least one national figure in the edition."""
    return sum(ds.latest(i) is not None for i in domain_ids(ds, domains))


def names(ds: Any, indicator_ids: Iterable[str]) -> tuple[str, ...]:
    """Catalogue names of ``indicator_ids`` (for "本版尚未给出 A 和 B" lists)."""
    return tuple(name_of(ds, i) for i in indicator_ids)


def lacking(ds: Any, indicator_ids: Iterable[str], region: str = "全国") -> tuple[str, ...]:
    """Names of those ``indicator_ids`` the edition has no figure for."""
    return tuple(name_of(ds, i) for i in indicator_ids if ds.latest(i, region) is None)


def sources(ds: Any) -> tuple[Source, ...]:
    """The documents visible to the edition, oldest edition first (then by publication date)."""
    src = ds.sources.sort_values(["edition_year", "published"], kind="stable")
    return tuple(
        Source(
            id=str(r["source_id"]),
            title=str(r["title"]),
            kind=_text(r.get("kind")) or "yearly_report",
            publisher=_text(r.get("publisher")),
            published=_text(r.get("published")),
            edition_year=int(r["edition_year"]),
        )
        for _, r in src.iterrows()
    )


def book(ds: Any) -> dict[str, Any]:
    """What every chapter's templates may say about the edition itself (``book.…``): its year, the
    previous edition, and the documents it can see by kind. Nothing about later editions: an edition reads
    as written in its own year."""
    srcs = sources(ds)
    earlier = sorted({s.edition_year for s in srcs if s.edition_year < int(ds.edition)})
    return {
        "edition": int(ds.edition),
        "previous": earlier[-1] if earlier else None,
        "sources": srcs,
        "reports": tuple(s for s in srcs if s.kind == "yearly_report") or None,
        "plans": tuple(s for s in srcs if s.kind == "plan") or None,
        "interpretations": tuple(s for s in srcs if s.kind == "interpretation") or None,
        "own_report": next(
            (s for s in srcs if s.kind == "yearly_report" and s.edition_year == int(ds.edition)), None
        ),
    }


# ----------------------------------------------------------------------------------------------------------
# Plan targets


def _pace(ds: Any, r: Mapping[str, Any]) -> Pace:
    latest = None
    if _num(r.get("latest_value")) is not None and _num(r.get("latest_year")) is not None:
        src = _text(r.get("latest_source_id"))
        titles = ds.sources.set_index("source_id")["title"] if len(ds.sources) else {}
        latest = Value(
            indicator=str(r["indicator_id"]),
            name=str(r["name_zh"]),
            value=float(r["latest_value"]),
            unit=_text(r.get("unit")),
            qualifier=_qual(r.get("latest_qualifier")),
            year=int(r["latest_year"]),
            source=src,
            source_title=str(titles.get(src, "")) if src else "",
        )
    early = _num(r.get("early"))
    base_year = _num(r.get("base_year"))
    stated = None
    if latest is not None and base_year is not None and latest.year - int(base_year) == 1:
        stated = yoy_check(ds, latest.indicator, latest.year)
    return Pace(
        plan=str(r["plan"]),
        plan_name=targets.PLAN_SHORT.get(str(r["plan"]), str(r["plan"])),
        indicator=str(r["indicator_id"]),
        name=str(r["name_zh"]),
        unit=_text(r.get("unit")),
        comparator=str(r["comparator"]),
        target_year=int(r["target_year"]),
        target_value=float(r["target_value"]),
        base_year=int(base_year) if base_year is not None else None,
        base_value=_num(r.get("base_value")),
        latest=latest,
        status=str(r["status"]),
        verdict=str(r.get("verdict") or r["status"]),
        observed_cagr=_num(r.get("observed_cagr")),
        required_cagr=_num(r.get("required_cagr")),
        required_from_latest=_num(r.get("required_cagr_from_latest")),
        early_year=int(early) if early is not None else None,
        over=int(ds.edition) >= int(r["target_year"]),
        stated=stated.stated if stated is not None else None,
        observed_bound=growth_bound(_qual(r.get("base_qualifier")), _qual(r.get("latest_qualifier"))),
    )


def plan_frame(ds: Any, domains: Sequence[str] | None = None) -> pd.DataFrame:
    """Scorecard rows (dcbook.targets) of every plan visible to the edition, optionally of ``domains``."""
    t = ds.targets
    if t is None or t.empty:
        return pd.DataFrame(columns=list(targets.COLUMNS))
    visible = set(ds.sources["source_id"])
    t = t[t["source_id"].isin(visible)]
    frames = [targets.scorecard(ds, plan) for plan in sorted(set(t["plan"].astype(str)))]
    if not frames:
        return pd.DataFrame(columns=list(targets.COLUMNS))
    card = pd.concat(frames, ignore_index=True)
    card = card[card["target_source_id"].isin(visible)]
    if domains is not None:
        dom = ds.indicators["domain"]
        card = card[[dom.get(i) in domains for i in card["indicator_id"]]]
    return card.reset_index(drop=True)


def card(ds: Any, domains: Sequence[str] | None = None, frame: pd.DataFrame | None = None) -> Card:
    """The :class:`Card` of a chapter's domains (or of every domain), counted by verdict."""
    rows = plan_frame(ds, domains) if frame is None else frame
    paces = tuple(_pace(ds, r) for _, r in rows.iterrows())
    counts = targets.verdict_counts(rows) if len(rows) else {}
    return Card(paces, dict(counts))


def pace(c: Card, indicator_id: str, plan: str) -> Pace | None:
    """The target of ``indicator_id`` in ``plan`` on the card, or None."""
    return next((p for p in c.paces if p.indicator == indicator_id and p.plan == plan), None)


# ----------------------------------------------------------------------------------------------------------
# JSON (the kernel → build boundary)


#: How :func:`encode` tags a mapping (its pairs in order).
MAP_TAG = "__map__"


def encode(obj: Any) -> Any:
    """JSON-ready form of facts: dataclasses tagged with their type, tuples as lists, NaN as None, and a
    mapping as its ordered pairs (``{"__map__": [[key, value], …]}``): the notebook that carries the payload
    is written with sorted keys, and the order of a mapping (verdicts, domains by count) is part of the fact."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        body = {f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        return {"__fact__": type(obj).__name__, **body}
    if isinstance(obj, Mapping):
        return {MAP_TAG: [[str(k), encode(v)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        return [encode(v) for v in obj]
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if obj is None or isinstance(obj, (str, int, bool)):
        return obj
    if hasattr(obj, "item"):  # numpy scalars
        return encode(obj.item())
    raise TypeError(f"facts: cannot encode {type(obj).__name__} {obj!r}")


def decode(data: Any) -> Any:
    """Inverse of :func:`encode` (lists of facts come back as tuples, as the dataclasses declare)."""
    if isinstance(data, list):
        return tuple(decode(v) for v in data)
    if isinstance(data, dict):
        if set(data) == {MAP_TAG}:
            return {str(k): decode(v) for k, v in data[MAP_TAG]}
        kind = data.get("__fact__")
        body = {k: decode(v) for k, v in data.items() if k != "__fact__"}
        if kind is None:
            return body
        try:
            cls = FACT_TYPES[kind]
        except KeyError:
            raise ValueError(f"facts: unknown fact type {kind!r}") from None
        return cls(**body)
    return data


# ----------------------------------------------------------------------------------------------------------
# Chapters 03 and 04 (data resources, innovation): a source's stated growth checked against its own
# figures, documents that disagree, the documents behind a series, dated events, unit conversion.


@dataclass(frozen=True)
class Claim:
    """A growth rate a source states, set against the level figures it summarises.

    ``stated`` is the printed rate (unit %, with its qualifier: "超过 30%" is a lower bound); ``kind`` is
    ``"cagr"`` (compound annual rate) or ``"growth"`` (total growth) from ``start_year`` (the earliest year
    the claim's quote names) to the claim's year. ``first``/``last`` are the level figures of those years;
    ``computed`` is the rate they give (a fraction, like :attr:`Change.cagr`), ``low``/``high`` the rates
    once the printed figures' rounding is undone. ``holds`` says whether ``computed`` satisfies the claim
    read with its qualifier, ``holds_within_rounding`` whether some reading within rounding does. Without
    the start-year figure the claim cannot be recomputed (``computed`` None), but ``implied_first`` says
    what it implies for that year.
    """

    stated: Value
    kind: str
    start_year: int
    #: Name of the level series the claim summarises (also when the edition lacks its figures).
    level_name: str
    last: Value | None = None
    first: Value | None = None
    computed: float | None = None
    low: float | None = None
    high: float | None = None
    holds: bool | None = None
    holds_within_rounding: bool | None = None
    implied_first: Value | None = None

    @property
    def checked(self) -> bool:
        return self.computed is not None

    @property
    def years(self) -> int:
        return self.stated.year - self.start_year

    @property
    def endpoints_exact(self) -> bool:
        return self.first is not None and self.last is not None and self.first.exact and self.last.exact


@dataclass(frozen=True)
class Conflict:
    """Documents that print different figures for one indicator and year: ``values`` one per document, the
    figure the conflict rule keeps (the latest published) first; ``gap`` the widest difference in points
    (shares only); ``among`` how many indicators of the group the documents disagree on."""

    values: tuple[Value, ...]
    gap: Gap | None
    among: int

    @property
    def kept(self) -> Value:
        return self.values[0]


FACT_TYPES.update({"Claim": Claim, "Conflict": Conflict})

_YEAR_IN_QUOTE = re.compile(r"((?:19|20)\d{2})\s*年")


def quote_start_year(quote: str, end_year: int) -> int | None:
    """Earliest year ("2017年") a quote names before ``end_year``: where a stated growth starts."""
    years = [int(y) for y in _YEAR_IN_QUOTE.findall(str(quote or "")) if int(y) < int(end_year)]
    return min(years) if years else None


def _plain(value: float) -> str:
    """A value as digits without exponent or trailing zeros (1.3 → "1.3", 4700.0 → "4700")."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text if text not in {"", "-0"} else "0"


def rounding_interval(row: Any) -> tuple[float, float]:
    """The interval a printed figure stands for once its rounding is undone, in the display unit.

    "1.3" stands for [1.25, 1.35); an integer with trailing zeros ("4700") is read as rounded at its last
    non-zero digit ([4650, 4750)), the widest reading and so the fairest to the source.
    """
    from dcbook import units

    value = float(row["value"])
    printed = _text(row.get("value_printed")) or _plain(value)
    if "." in printed:
        step = 10.0 ** -len(printed.split(".")[1])
    else:
        digits = printed.lstrip("-")
        step = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 1.0
    unit = _text(row.get("unit"))
    printed_unit = _text(row.get("unit_printed")) or unit
    try:
        k = units.factor(printed_unit, unit) if printed_unit != unit else 1.0
    except ValueError:
        k = 1.0
    return value - step / 2 * k, value + step / 2 * k


def _rate(v0: float, v1: float, years: int, kind: str) -> float:
    ratio = v1 / v0
    return ratio ** (1 / years) - 1 if kind == "cagr" else ratio - 1


def claim_holds(computed: float, stated: float, qualifier: str) -> bool:
    """Whether a computed rate (a fraction) satisfies a stated one (in %) read with its qualifier: "超过 X"
    needs more than X (or X at the printed precision), "不到 X" less, "约 X" within 1 point, X within 0.5."""
    pct = computed * 100
    if qualifier == LOWER:
        return pct > stated or round(pct, 1) >= stated
    if qualifier == UPPER:
        return pct < stated
    if qualifier == APPROX:
        return abs(pct - stated) <= 1.0
    if qualifier == NEAR:
        return stated - 1.0 <= pct <= stated + 0.05
    return abs(pct - stated) <= 0.5


def _bounded(x: float, qualifier: str, digits: int = 2) -> float:
    """``x`` rounded to ``digits`` decimals without crossing its bound (a lower bound is floored)."""
    k = 10**digits
    if qualifier == LOWER:
        return math.floor(x * k) / k
    if qualifier in (UPPER, NEAR):
        return math.ceil(x * k) / k
    return round(x, digits)


def claim(ds: Any, claim_id: str, level_id: str, kind: str = "cagr") -> Claim | None:
    """A source's stated growth (``claim_id``, in %) recomputed from the level series it summarises; None
    when the edition lacks the claim or its quote names no start year."""
    row = ds.latest(claim_id)
    if row is None:
        return None
    stated = from_row(ds, row)
    start = quote_start_year(_text(row.get("quote")), stated.year)
    if start is None:
        return None
    s = ds.series(level_id)
    rows = {int(r["year"]): r for _, r in s.iterrows()} if s is not None else {}
    last_row, first_row = rows.get(stated.year), rows.get(start)
    last = from_row(ds, last_row) if last_row is not None else None
    first = from_row(ds, first_row) if first_row is not None else None
    years = stated.year - start
    level = name_of(ds, level_id)
    if last is None:
        return Claim(stated, kind, start, level)
    if first is None or first.value <= 0 or last.value <= 0:
        growth = stated.value / 100
        factor = (1 + growth) ** years if kind == "cagr" else 1 + growth
        bound = ratio_bound(last.qualifier, stated.qualifier)
        implied = Value(
            indicator=level_id,
            name=last.name,
            value=_bounded(last.value / factor, bound),
            unit=last.unit,
            qualifier=bound,
            year=start,
            computed=True,
        )
        return Claim(stated, kind, start, level, last, implied_first=implied)
    computed = _rate(first.value, last.value, years, kind)
    lo0, hi0 = rounding_interval(first_row)
    lo1, hi1 = rounding_interval(last_row)
    low = _rate(hi0, lo1, years, kind) if lo1 > 0 and hi0 > 0 else computed
    high = _rate(lo0, hi1, years, kind) if lo0 > 0 else computed
    q = stated.qualifier
    return Claim(
        stated,
        kind,
        start,
        level,
        last,
        first,
        computed=computed,
        low=low,
        high=high,
        holds=claim_holds(computed, stated.value, q),
        holds_within_rounding=claim_holds(high, stated.value, q) or claim_holds(low, stated.value, q),
    )


def conflict(ds: Any, indicator_ids: Sequence[str], region: str = "全国") -> Conflict | None:
    """The widest disagreement between documents on one of ``indicator_ids`` (same year), or None."""
    c = ds.conflicts() if hasattr(ds, "conflicts") else None
    if c is None or c.empty:
        return None
    c = c[c["indicator_id"].isin(list(indicator_ids)) & (c["region"] == region)]
    if c.empty:
        return None
    row = c.sort_values("abs_diff", ascending=False, kind="stable").iloc[0]
    titles = ds.sources.set_index("source_id")["title"]
    vals: list[Value] = []
    seen: set[str] = set()
    for src, v, q in zip(row["source_ids"], row["values"], row["qualifiers"], strict=True):
        if src in seen:
            continue
        seen.add(src)
        vals.append(
            Value(
                indicator=str(row["indicator_id"]),
                name=str(row["name_zh"]),
                value=float(v),
                unit=_text(row["unit"]),
                qualifier=_qual(q),
                year=int(row["year"]),
                region=region,
                source=str(src),
                source_title=str(titles.get(src, src)),
            )
        )
    low, high = min(vals, key=lambda v: v.value), max(vals, key=lambda v: v.value)
    share = vals[0].unit == "%"
    return Conflict(tuple(vals), gap(low, high) if share else None, len(c))


def all_series(ds: Any, indicator_ids: Iterable[str], region: str = "全国") -> tuple[Series, ...]:
    """The series of those ``indicator_ids`` the edition has, in the given order."""
    found = (series(ds, i, region) for i in indicator_ids)
    return tuple(s for s in found if s is not None)


def sources_of(ds: Any, s: Series | None) -> tuple[Source, ...]:
    """The documents the figures of a series come from, in book order (for citing them, or counting)."""
    if s is None:
        return ()
    used = {v.source for v in s.values}
    return tuple(src for src in sources(ds) if src.id in used)


def events(ds: Any, domains: Sequence[str]) -> tuple[Event, ...]:
    """The dated milestones of ``domains`` the edition's documents record, oldest first."""
    m = ds.milestones
    if m is None or m.empty:
        return ()
    m = m[m["domain"].isin(list(domains))].sort_values("date", kind="stable")
    return tuple(
        Event(
            date=str(r["date"]),
            event=str(r["event_zh"]),
            domain=str(r["domain"]),
            category=_text(r.get("category")),
            source=_text(r.get("source_id")),
        )
        for _, r in m.iterrows()
    )


def in_unit(v: Value | None, unit: str) -> Value | None:
    """The same figure in another unit of its kind (4700 亿元 as 0.47 万亿元), for a ratio of two figures."""
    if v is None or v.unit == unit:
        return v
    from dcbook import units

    return dataclasses.replace(v, value=round(v.value * units.factor(v.unit, unit), 9), unit=unit)


# ----------------------------------------------------------------------------------------------------------
# Chapters 07–08 (数字社会与民生, 数字文化与数字生态文明): what each source gives, dated events, computed
# differences. Generic; the thin-data chapters (08–10) need the coverage facts alike.


@dataclass(frozen=True)
class Coverage:
    """How many indicators of an area one source prints (each indicator counted once per source, winners of
    the conflict rule or not): ``total``, and per group label in ``groups`` (e.g. culture / ecology)."""

    source: Source
    total: int
    groups: Mapping[str, int] = field(default_factory=dict)


FACT_TYPES["Coverage"] = Coverage


def coverage(ds: Any, groups: Mapping[str, Sequence[str]]) -> tuple[Coverage, ...]:
    """One :class:`Coverage` per document visible to the edition (oldest first), zero counts kept: a thin
    domain's honest account of which source gives what. ``groups`` maps a label to indicator ids."""
    obs = ds.observations if getattr(ds, "observations", None) is not None else ds.resolved
    out = []
    for src in sources(ds):
        given = set(obs.loc[obs["source_id"] == src.id, "indicator_id"])
        counts = {label: len(given & set(ids)) for label, ids in groups.items()}
        every = set().union(*(set(ids) for ids in groups.values())) if groups else set()
        out.append(Coverage(src, len(given & every), counts))
    return tuple(out)


def with_data(ds: Any, indicator_ids: Iterable[str]) -> int:
    """How many of ``indicator_ids`` have at least one national figure in the edition."""
    return sum(ds.latest(i) is not None for i in indicator_ids)


def multi_year(ds: Any, indicator_ids: Iterable[str]) -> int:
    """How many of ``indicator_ids`` have national figures for two or more years (a series can be read)."""
    return sum(len(ds.series(i)) >= 2 for i in indicator_ids)


def difference(indicator: str, name: str, high: Value, low: Value, unit: str | None = None) -> Value:
    """``high - low`` of two figures of one year as a computed :class:`Value` (a gap in points, in 分 …),
    with the bound their qualifiers allow (a lower-bound ``high`` makes a lower-bound difference, a
    lower-bound ``low`` an upper-bound one). Rounded only to shed float noise: printing takes the
    precision of the inputs."""
    return Value(
        indicator=indicator,
        name=name,
        value=round(high.value - low.value, 6),
        unit=high.unit if unit is None else unit,
        qualifier=growth_bound(low.qualifier, high.qualifier),
        year=high.year,
        computed=True,
    )


def complement(x: Value, indicator: str, name: str) -> Value:
    """``100 - x`` of a percentage (the share not covered), its bound flipped: more than 55 % used is less
    than 45 % idle."""
    flipped = {LOWER: UPPER, UPPER: LOWER, NEAR: APPROX}.get(x.qualifier, x.qualifier)
    return Value(indicator, name, round(100 - x.value, 6), "%", flipped, x.year, computed=True)


# ----------------------------------------------------------------------------------------------------------
# 00 导读, 01 总览: one card per plan


def plan_cards(ds: Any) -> tuple[dict[str, Any], ...]:
    """One entry per plan visible to the edition, oldest first: ``plan`` id, ``name`` (full), ``short``,
    its :class:`Card`, and ``over`` — whether the edition has reached the plan's target year (then only a
    target-year figure decides, :func:`dcbook.targets.verdict`)."""
    full = plan_frame(ds)
    out = []
    for plan in sorted(set(full["plan"].astype(str))):
        frame = full[full["plan"] == plan].reset_index(drop=True)
        out.append(
            {
                "plan": plan,
                "name": targets.PLAN_NAMES.get(plan, plan),
                "short": targets.PLAN_SHORT.get(plan, plan),
                "card": card(ds, frame=frame),
                "over": targets.plan_over(frame, int(ds.edition)),
            }
        )
    return tuple(out)


# ----------------------------------------------------------------------------------------------------------
# Shared by chapters 09 网络安全与数字治理, 10 国际合作 and 13 方法与数据 (and any chapter that needs them):
# the busiest year of some events, how much of a domain the sources cover, a figure in another unit.


def event_year(e: Event) -> int:
    return int(e.date[:4])


def peak_years(evts: Sequence[Event]) -> tuple[tuple[int, ...], int]:
    """The year(s) with the most events and how many each has (``((), 0)`` without events): ties are all
    named, so a text never calls one of two equally busy years the busiest."""
    counts: dict[int, int] = {}
    for e in evts:
        counts[event_year(e)] = counts.get(event_year(e), 0) + 1
    if not counts:
        return (), 0
    top = max(counts.values())
    return tuple(sorted(y for y, n in counts.items() if n == top)), top


def coverage_counts(ds: Any, domains: Sequence[str]) -> tuple[int, int]:
    """How many indicators of ``domains`` the edition has figures for (any region, a world total included),
    and how many of them form a series (figures for two or more years)."""
    res = ds.resolved[ds.resolved["indicator_id"].isin(domain_ids(ds, domains))]
    years = res.groupby("indicator_id")["year"].nunique()
    return len(years), int((years >= 2).sum())


def source_count(ds: Any, source_id: str, domains: Sequence[str]) -> int:
    """How many distinct indicators of ``domains`` one source gives figures for (every observation it
    printed, not only those that won the conflict rule): its :func:`coverage` total."""
    every = coverage(ds, {"": domain_ids(ds, domains)})
    return next((c.total for c in every if c.source.id == source_id), 0)
