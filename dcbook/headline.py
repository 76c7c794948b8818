"""Each chapter's headline finding, chosen by an editor's rule the chapter states in its text.

A chapter does not name "its fastest-growing indicator": growth rates are dominated by where a series
starts, so a mechanical "largest growth" headline mostly rewards small bases. Instead every chapter picks
its headline with one of a few fixed rules, in the order it lists them (the first rule the edition's data
can answer wins), and says in its Markdown which rule that is. The rules:

``plan_gap``
    the plan target furthest from its plan path: among the targets judged behind (落后, 未达成), the one
    whose observed yearly growth falls furthest short of the growth the target requires; when none is
    behind, the on-pace target with the narrowest margin (the one closest to falling behind).
``plan_count``
    how many of the judged plan targets are behind, of how many (the book-wide scorecard in one line).
``coverage_gap``
    the coverage rate (普及率, 覆盖率, 使用率, a share of units reached) furthest from full coverage, among
    the rates whose latest figure is at most a year older than the edition.
``latest_rule``
    the most recent law or regulation the documents record for the chapter's domains.
``concentration``
    how much of the provincial evaluations' composite top group one macro region holds, against its share of
    the provinces.
``conflicts``
    on how many figures the sources disagree (the conflict rule then decides which is used).
``thin_domain``
    the domain whose indicators least often have two or more years (where trends are thinnest).
``longest_series``
    the chapter's indicator with the most years on record (the trend with the longest evidence): the
    last resort of a chapter whose edition has neither plan targets nor coverage rates nor rules.

The finding is a plain mapping of facts (:mod:`dcbook.facts` values, names, counts): the wording is the
chapter's template. Nothing here is keyed on a year or an indicator id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from dcbook import facts as F
from dcbook import periods
from dcbook import regional as rg
from dcbook.schema import DOMAIN_NAMES

#: Names of the rules, in the order the module docstring explains them.
RULES: tuple[str, ...] = (
    "plan_gap",
    "plan_count",
    "coverage_gap",
    "latest_rule",
    "concentration",
    "conflicts",
    "thin_domain",
    "longest_series",
)
#: Which names make a percentage a coverage rate (the share of people, places or units reached).
COVERAGE_NAME = re.compile(r"普及率|覆盖率|使用率|(?:上线|接入|实现|开通|通)\S*比例$")
#: Indicator ids that are rates of change, survey opinions or an online service's share of internet users
#: (CNNIC's 在线教育使用率: who chose a service, not who is reached by one), never coverage.
NOT_COVERAGE_ID = re.compile(r"growth|cagr|avg|^survey_|^online_\w+_usage_rate$")
#: The bound of ``100 - x`` given the bound of ``x`` (超过 90% leaves 不到 10 points).
FLIPPED: dict[str, str] = {F.LOWER: F.UPPER, F.UPPER: F.LOWER, F.NEAR: F.APPROX}
#: Milestone categories that are binding rules.
RULE_CATEGORIES: tuple[str, ...] = ("law", "regulation")


def _shown_points(p: F.Pace, shortfall: float) -> float:
    """The gap in points as a reader recomputes it from the two rates the page prints (one decimal, half
    up): 7.9% against 4.4% is 3.5 points, even when the unrounded gap is 3.43. A bounded observed rate is
    printed floored or raised, so its gap stays the computed one."""
    if p.observed_bound != F.EXACT or p.observed_cagr is None or p.required_cagr is None:
        return abs(shortfall) * 100
    if max(abs(float(p.observed_cagr)), abs(float(p.required_cagr))) >= 1:
        return abs(shortfall) * 100  # printed as 倍, not as percentages

    def shown(x: float) -> Decimal:
        return Decimal(repr(float(x) * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    return abs(float(shown(p.observed_cagr) - shown(p.required_cagr)))


def _shortfall(p: F.Pace) -> float | None:
    """Required minus observed yearly growth (points of growth per year); None when either is missing."""
    if p.observed_cagr is None or p.required_cagr is None:
        return None
    return float(p.required_cagr) - float(p.observed_cagr)


def plan_gap(ds: Any, domains: Sequence[str] | None) -> dict[str, Any] | None:
    """The target furthest behind its plan path, or (none behind) the on-pace one with least margin, in
    the newest plan that has such a target (an edition inside a plan period judges that plan first)."""
    card = F.card(ds, domains)
    plans = sorted(
        {p.plan for p in card.paces}, key=lambda x: max(p.target_year for p in card.paces if p.plan == x)
    )
    for plan in reversed(plans):
        paces = [p for p in card.paces if p.plan == plan]
        judged = [p for p in paces if p.judged]
        behind = [(s, p) for p in paces if p.behind and (s := _shortfall(p)) is not None]
        if behind:
            s, p = max(behind, key=lambda x: x[0])
            return {
                "rule": "plan_gap",
                "behind": True,
                "pace": p,
                "shortfall": s,
                "points": _shown_points(p, s),
                "n": len(judged),
            }
        on = [(s, p) for p in paces if p.on_pace and (s := _shortfall(p)) is not None]
        if on:
            s, p = max(on, key=lambda x: x[0])  # the least negative shortfall = the narrowest margin
            return {
                "rule": "plan_gap",
                "behind": False,
                "pace": p,
                "shortfall": s,
                "points": _shown_points(p, s),
                "n": len(judged),
            }
    return None


def plan_count(ds: Any, domains: Sequence[str] | None) -> dict[str, Any] | None:
    """Judged plan targets and how many of them are behind (落后 or 未达成)."""
    card = F.card(ds, domains)
    if not card.judged:
        return None
    behind = [(sf, p) for p in card.behind if (sf := _shortfall(p)) is not None]
    worst = max(behind, key=lambda x: x[0])[1] if behind else None
    return {
        "rule": "plan_count",
        "n": len(card.judged),
        "behind": len(card.behind),
        "share": len(card.behind) / len(card.judged),
        "names": tuple(p.name for p in card.behind),
        "worst": worst,
    }


def coverage_gap(ds: Any, domains: Sequence[str] | None) -> dict[str, Any] | None:
    """The national coverage rate furthest below 100 % among recent ones of the domains."""
    ind = ds.indicators
    ids = [
        i
        for i in ind.index
        if (domains is None or ind.at[i, "domain"] in domains)
        and str(ind.at[i, "unit"]) == "%"
        and str(ind.at[i, "higher_is_better"]).lower() == "true"
        and COVERAGE_NAME.search(str(ind.at[i, "name_zh"]))
        and not NOT_COVERAGE_ID.search(str(i))
    ]
    # a rate the plans set a target for is judged against that target (plan_gap), not against 100 %: the
    # 14th plan wants 56 % 5G users by 2025, so 2020's 15 % is not "85 points short of full coverage"
    planned = set(ds.targets["indicator_id"]) if getattr(ds, "targets", None) is not None else set()
    vals = [
        v
        for i in ids
        if i not in planned and (v := F.value(ds, i)) is not None and v.year >= int(ds.edition) - 1
    ]
    vals = [v for v in vals if v.value < 100]
    if not vals:
        return None
    low = min(vals, key=lambda v: v.value)
    gap = F.Value(
        indicator=low.indicator,
        name=low.name,
        value=round(100 - low.value, 2),
        unit="个百分点",
        qualifier=FLIPPED.get(low.qualifier, low.qualifier),
        year=low.year,
        computed=True,
    )
    return {"rule": "coverage_gap", "value": low, "gap": gap, "n": len(vals)}


def latest_rule(ds: Any, domains: Sequence[str] | None) -> dict[str, Any] | None:
    """The newest law or regulation among the chapter's milestones."""
    events = [
        e
        for e in F.events(ds, domains or sorted(set(ds.indicators["domain"])))
        if e.category in RULE_CATEGORIES
    ]
    if not events:
        return None
    newest = max(events, key=lambda e: e.date)
    year = newest.date[:4]
    return {
        "rule": "latest_rule",
        "event": newest,
        "year": int(year),
        "n_year": sum(1 for e in events if e.date[:4] == year),
        "n_year_drafts": sum(1 for e in events if e.date[:4] == year and e.draft),
        "n": len(events),
    }


def longest_series(ds: Any, domains: Sequence[str] | None) -> dict[str, Any] | None:
    """The national series of the domains with the most years on record (ties: the most recent end, a
    whole year's figure before a part-year one, then the figure its document prints first, which is where
    a report puts what it leads with; the catalogue order last): the trend the documents give the longest
    evidence for."""
    ind = ds.indicators
    ids = [i for i in ind.index if domains is None or ind.at[i, "domain"] in domains]
    found = list(F.all_series(ds, ids))
    if not found:
        return None

    # a whole year's figure before a part-year one (上半年, 截至 N 月): a headline is not half a year
    def whole_year(s: F.Series) -> bool:
        return not s.latest.period and not any(w in s.name for w in periods.PARTIAL_NAMES.values())

    def printed_at(s: F.Series) -> int:  # a locator is the line number (schema.INTEGER); none sorts last
        return int(s.latest.locator) if str(s.latest.locator).isdigit() else 10**9

    best = max(
        found,
        key=lambda s: (s.n, whole_year(s), s.latest.year, -printed_at(s), -ids.index(s.indicator)),
    )
    return {"rule": "longest_series", "series": best, "n": len(found)}


def concentration(ds: Any, domains: Sequence[str] | None = None) -> dict[str, Any] | None:
    """The macro region holding most composite top-group seats, its seat share and province share (none when
    two regions hold as many: the headline then has no single region to name)."""
    counted = rg.composite_seats(ds)
    if counted is None or len(counted["leads"]) != 1:
        return None
    lead = counted["leads"][0]
    n_lead = int((ds.provinces["region"] == lead).sum())
    return {
        "rule": "concentration",
        "region": lead,
        "seats": counted["seats"][lead],
        "total": counted["total"],
        "share": counted["seats"][lead] / counted["total"],
        "province_share": n_lead / len(ds.provinces),
        "n_evaluations": len(rg.editions(ds)),
    }


def conflicts(ds: Any, domains: Sequence[str] | None = None) -> dict[str, Any] | None:
    """How many (indicator, region, year) figures the visible sources give with different values."""
    found = ds.conflicts()
    n_keys = int(ds.observations.groupby(["indicator_id", "region", "year"]).ngroups)
    if not n_keys:
        return None
    return {"rule": "conflicts", "n": len(found), "figures": n_keys, "share": len(found) / n_keys}


def thin_domain(ds: Any, domains: Sequence[str] | None = None) -> dict[str, Any] | None:
    """The domain with the lowest share of indicators observed in two or more years."""
    obs = ds.observations
    if obs.empty:
        return None
    years = obs.groupby("indicator_id")["year"].nunique()
    dom = ds.indicators["domain"]
    rows = []
    for d in sorted(set(dom[dom.index.isin(years.index)])):
        ids = [i for i in years.index if dom.get(i) == d]
        multi = sum(1 for i in ids if int(years[i]) >= 2)
        rows.append({"domain": d, "n": len(ids), "multi": multi, "share": multi / len(ids)})
    frame = pd.DataFrame(rows)
    frame = frame[frame["n"] >= 3]  # a domain of one or two indicators says nothing about coverage
    if frame.empty:
        return None
    low = frame.sort_values(["share", "n"], ascending=[True, False]).iloc[0]
    return {
        "rule": "thin_domain",
        "domain": str(low["domain"]),
        "domain_zh": DOMAIN_NAMES.get(str(low["domain"]), str(low["domain"])),
        "n": int(low["n"]),
        "multi": int(low["multi"]),
        "share": float(low["share"]),
    }


_RULES: dict[str, Callable[[Any, Sequence[str] | None], dict[str, Any] | None]] = {
    "plan_gap": plan_gap,
    "plan_count": plan_count,
    "coverage_gap": coverage_gap,
    "latest_rule": latest_rule,
    "concentration": concentration,
    "conflicts": conflicts,
    "thin_domain": thin_domain,
    "longest_series": longest_series,
}


def finding(ds: Any, rules: Sequence[str], domains: Sequence[str] | None = None) -> dict[str, Any] | None:
    """The chapter's headline: the answer of the first of ``rules`` the edition's data can give (None when
    none can). ``domains`` limits the rules to the chapter's catalogue domains (None: every domain)."""
    unknown = [r for r in rules if r not in _RULES]
    if unknown:
        raise ValueError(f"headline rules {unknown} unknown (known: {', '.join(RULES)})")
    for rule in rules:
        found = _RULES[rule](ds, domains)
        if found is not None:
            return {**found, "rules": tuple(rules)}
    return None


def summary(found: dict[str, Any] | None) -> str:
    """One plain line for the notebook's check cell (pinned by nbval): the rule and what it picked."""
    if not found:
        return "—"
    rule = found["rule"]
    if rule == "plan_gap":
        p = found["pace"]
        state = "behind" if found["behind"] else "narrowest margin"
        return f"{rule}: {p.indicator} ({p.plan}) {state}, shortfall {found['shortfall']:+.4f}"
    if rule == "plan_count":
        return f"{rule}: {found['behind']} of {found['n']} behind"
    if rule == "coverage_gap":
        v = found["value"]
        return f"{rule}: {v.indicator} {v.value:g} ({v.year})"
    if rule == "latest_rule":
        return f"{rule}: {found['event'].date} {found['event'].event}"
    if rule == "concentration":
        return f"{rule}: {found['region']} {found['seats']}/{found['total']}"
    if rule == "conflicts":
        return f"{rule}: {found['n']} of {found['figures']}"
    if rule == "thin_domain":
        return f"{rule}: {found['domain']} {found['multi']}/{found['n']}"
    s = found["series"]
    return f"{rule}: {s.indicator} {s.first.year}-{s.latest.year} ({s.n} years)"
