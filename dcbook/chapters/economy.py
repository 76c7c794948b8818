"""Facts and charts of chapter 05 数字经济 (slug ``economy``).

The chapter's prose is the Markdown of ``book/05_economy.ipynb``; this module only computes what it talks
about, for one edition: the size of the digital economy and its GDP share, the split between the digital
industries and the digitalisation of other industries, penetration by sector, the digital industries'
revenue, online trade and the new online services, manufacturing digitalisation, and the plan targets of
the domain. Where a source prints a growth rate next to the levels the book also has, the two are checked
against each other (:func:`dcbook.facts.stated_growth`), and the check is a fact the text states.

Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``, ``series``, ``indicators``, ``sources``,
``targets``, ``edition``), so the tests can use small hand-made datasets.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from dcbook import charts, render, world
from dcbook import facts as F
from dcbook.chapters import domains_of, exhibits

SLUG = "economy"
DOMAINS: tuple[str, ...] = domains_of(SLUG)
#: Revenue of the three digital industries the reports track year by year.
INDUSTRIES: tuple[str, ...] = (
    "electronics_manufacturing_revenue",
    "software_revenue",
    "internet_services_revenue",
)
#: The older, broader measure of the 13th five-year plan, drawn next to the three industries.
INFO_INDUSTRY = "info_industry_revenue"
#: Online trade levels in 万亿元 (one line chart, one unit; the small rural and cross-border series would
#: sit on top of each other near zero, so the text gives them instead).
ECOMMERCE: tuple[str, ...] = ("ecommerce_transactions", "online_retail_sales", "info_consumption")
#: Online-trade series whose source also prints a same-year growth rate (``<id>_growth``): the two are
#: checked against each other.
CHECKED: tuple[str, ...] = (*ECOMMERCE, "rural_online_retail_sales", "cross_border_ecommerce_trade")
#: Manufacturing digitalisation rates in % (one line chart).
MANUFACTURING: tuple[str, ...] = (
    "digital_rd_tool_penetration",
    "nc_rate_key_processes",
    "enterprise_full_digitalization_share",
    "industrial_equipment_cloud_rate",
)
#: Digital-economy penetration by sector, with the short sector names of the chart and the text.
SECTORS: dict[str, str] = {
    "services_digital_economy_penetration": "服务业",
    "industry_digital_economy_penetration": "工业",
    "agriculture_digital_economy_penetration": "农业",
}
#: Users of the online services that grew with the pandemic (unit 亿 = 亿人).
NEW_FORMS: tuple[str, ...] = ("online_office_users", "online_medical_users", "online_food_delivery_users")
#: A bare scale word after a count of people reads with its counter ("4.69 亿" → "4.69 亿人").
PEOPLE_UNITS: dict[str, str] = {"亿": "亿人", "万": "万人"}


# ----------------------------------------------------------------------------------------------------------
# Facts


def checked_apart(ds: Any, indicator_id: str) -> F.Change | None:
    """The year-before change carrying a printed growth, where the series' own change spans more years
    (a one-year change already shows its printed growth beside it, wherever it is worded)."""
    s = F.series(ds, indicator_id)
    c = F.yoy_check(ds, indicator_id)
    if c is None or c.stated is None or not c.stated.checked or s is None or s.change is None:
        return None
    return None if s.change.years == 1 or c.end != s.latest.year else c


def size_check(ds: Any) -> F.Change | None:
    """The digital economy's change end to end, carrying the compound annual rate the source prints."""
    size = F.series(ds, "digital_economy_size")
    if size is None or size.change is None:
        return None
    stated = F.stated_cagr(ds, size.change)
    return dataclasses.replace(size.change, stated=stated) if stated is not None and stated.checked else None


def same_year(v: F.Value | None, of: F.Value | None) -> F.Value | None:
    """``v`` when it describes the same year as ``of`` (a growth or change printed beside a figure)."""
    return v if v is not None and of is not None and v.year == of.year else None


def same_year_growth(ds: Any, indicator_id: str) -> F.Value | None:
    """The printed growth of a figure in the figure's own latest year (else None: it would be another year's)."""
    return same_year(F.printed_growth(ds, indicator_id), F.value(ds, indicator_id))


def digitalisation_split(ds: Any) -> dict[str, Any] | None:
    """数字产业化 and 产业数字化 value added of one year, their sum (the framework's total) and the share of
    the estimated part in it; None unless both parts are given for the same year in the same unit."""
    ind = F.value(ds, "digital_industrialization_value_added")
    dig = F.value(ds, "industrial_digitalization_value_added")
    if ind is None or dig is None or ind.year != dig.year or ind.unit != dig.unit:
        return None
    exact = ind.exact and dig.exact
    total = F.Value(
        indicator="digital_economy_components_sum",
        name="两部分之和",
        value=round(ind.value + dig.value, 4),
        unit=ind.unit,
        qualifier=F.EXACT if exact else F.APPROX,
        year=ind.year,
        computed=True,
    )
    return {"industries": ind, "digitalisation": dig, "total": total, "share": F.ratio(dig, total)}


def sector_values(ds: Any) -> tuple[F.Value, ...]:
    """Penetration by sector, highest first, each named by its short sector name."""
    vals = [dataclasses.replace(v, name=SECTORS[v.indicator]) for v in F.values(ds, SECTORS)]
    return tuple(sorted(vals, key=lambda v: -v.value))


def industries_by_growth(ds: Any) -> tuple[F.Series, ...]:
    """The digital industries with a compound growth rate over their own span, fastest first."""
    found = [s for s in (F.series(ds, i) for i in INDUSTRIES) if s is not None and s.change]
    rated = [s for s in found if s.change is not None and s.change.cagr is not None]
    return tuple(sorted(rated, key=lambda s: -s.change.cagr))  # type: ignore[union-attr]


def people(v: F.Value | None) -> F.Value | None:
    """A user count printed as "4.69 亿" shown with its counter: "4.69 亿人"."""
    if v is None or v.unit not in PEOPLE_UNITS:
        return v
    return dataclasses.replace(v, unit=PEOPLE_UNITS[v.unit])


def new_forms(ds: Any) -> tuple[dict[str, Any], ...]:
    """Users of the new online services in their latest year, with the growth printed for that year."""
    found = F.values(ds, NEW_FORMS)
    year = max((v.year for v in found), default=None)
    return tuple(
        {"users": people(v), "growth": same_year_growth(ds, v.indicator)} for v in found if v.year == year
    )


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    card = F.card(ds, DOMAINS)
    size = F.series(ds, "digital_economy_size")
    size_growth = F.value(ds, "digital_economy_size_growth")
    sectors = sector_values(ds)
    industries = industries_by_growth(ds)
    share = F.value(ds, "physical_goods_online_retail_share")
    share_change = F.value(ds, "physical_goods_online_retail_share_change")
    ai_year, ai_half = F.value(ds, "ai_core_industry_size"), F.value(ds, "ai_core_industry_size_h1")
    checks = tuple(c for c in (checked_apart(ds, i) for i in CHECKED) if c is not None)
    return {
        **world.world(ds, DOMAINS),
        "n_indicators": F.domain_count(ds, DOMAINS),
        # 总量
        "size": size,
        "size_growth": same_year(size_growth, size.latest if size else None),
        "gdp_share": F.series(ds, "digital_economy_gdp_share"),
        "size_check": size_check(ds),
        "core": F.value(ds, "digital_core_industry_gdp_share"),
        "split": digitalisation_split(ds),
        "industries_gdp_share": F.value(ds, "digital_industrialization_gdp_share"),
        # 三次产业
        "sectors": sectors or None,
        "sector_gap": F.gap(sectors[-1], sectors[0]) if len(sectors) > 1 else None,
        "sector_ratio": F.ratio(sectors[0], sectors[-1]) if len(sectors) > 1 else None,
        # 数字产业
        "industries": industries or None,
        "electronics": F.series(ds, "electronics_manufacturing_revenue"),
        "electronics_va_growth": F.value(ds, "electronics_mfg_value_added_growth"),
        "software": F.series(ds, "software_revenue"),
        "software_growth": same_year_growth(ds, "software_revenue"),
        "software_profit": F.series(ds, "software_profit"),
        "software_profit_growth": same_year_growth(ds, "software_profit"),
        "internet": F.series(ds, "internet_services_revenue"),
        "info_industry": F.series(ds, INFO_INDUSTRY),
        "cloud": F.value(ds, "cloud_bigdata_services_revenue"),
        "cloud_share": F.value(ds, "cloud_bigdata_share_of_it_services"),
        "cloud_growth": same_year_growth(ds, "cloud_bigdata_services_revenue"),
        "ic_sales": F.value(ds, "ic_industry_sales"),
        "ic_growth": same_year_growth(ds, "ic_industry_sales"),
        "ai_year": ai_year,
        # a half-year figure: the template must say 上半年 (the catalogue records it apart from the year's)
        "ai_half": ai_half,
        # 网上交易
        "ecommerce": F.series(ds, "ecommerce_transactions"),
        "online_retail": F.series(ds, "online_retail_sales"),
        "info_consumption": F.series(ds, "info_consumption"),
        "trade_fastest": F.fastest(ds, ECOMMERCE),
        "growth_checks": checks or None,
        "retail_share": share,
        "retail_share_change": same_year(share_change, share),
        "rural": F.series(ds, "rural_online_retail_sales"),
        "rural_growth": same_year_growth(ds, "rural_online_retail_sales"),
        "cross_border": F.series(ds, "cross_border_ecommerce_trade"),
        "new_forms": new_forms(ds) or None,
        # 制造业
        "nc_rate": F.series(ds, "nc_rate_key_processes"),
        "rd_tools": F.series(ds, "digital_rd_tool_penetration"),
        "full_digital": F.series(ds, "enterprise_full_digitalization_share"),
        "ii_platforms": F.value(ds, "industrial_internet_platforms"),
        "ii_sectors": F.value(ds, "industrial_internet_sectors_covered"),
        "equipment_cloud": F.value(ds, "industrial_equipment_cloud_rate"),
        "ii_index": F.series(ds, "ii_integration_index"),
        "pilot_projects": F.value(ds, "smart_mfg_pilot_projects"),
        "pilot_gain": F.value(ds, "smart_mfg_pilot_efficiency_gain"),
        # 规划
        "card": card or None,
        "core_pace14": F.pace(card, "digital_core_industry_gdp_share", "fyp14"),
        "info_industry_pace13": F.pace(card, INFO_INDUSTRY, "fyp13"),
        "online_retail_pace13": F.pace(card, "online_retail_sales", "fyp13"),
        "ecommerce_pace13": F.pace(card, "ecommerce_transactions", "fyp13"),
        "info_consumption_pace13": F.pace(card, "info_consumption", "fyp13"),
        "online_retail_pace14": F.pace(card, "online_retail_sales", "fyp14"),
        "info_consumption_pace14": F.pace(card, "info_consumption", "fyp14"),
        "full_digital_pace14": F.pace(card, "enterprise_full_digitalization_share", "fyp14"),
        "equipment_cloud_pace14": F.pace(card, "industrial_equipment_cloud_rate", "fyp14"),
    }


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "digital_economy_size",
        "digital_economy_gdp_share",
        "software_revenue",
        "online_retail_sales",
        "nc_rate_key_processes",
    )
    return exhibits.headline_values(ds, ids)


# ----------------------------------------------------------------------------------------------------------
# Charts


def sector_frame(ds: Any) -> pd.DataFrame:
    """Latest penetration per sector, labelled by sector (one bar each)."""
    return exhibits.latest_frame(ds, list(SECTORS), labels=SECTORS, column="sector")


def trade_frame(ds: Any) -> pd.DataFrame:
    """The online-trade series in 万亿元 (one unit, one chart)."""
    frame = exhibits.chart_frame(ds, ECOMMERCE)
    return frame[frame["unit"] == "万亿元"] if not frame.empty else frame


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    industries = exhibits.multi_year_frame(ds, (*INDUSTRIES, INFO_INDUSTRY))
    # small multiples need two panels or more; a single series is an ordinary line chart
    panels = industries["indicator_id"].nunique() if not industries.empty else 0
    industries_chart = (
        exhibits.chart(industries, charts.small_multiples, min_years=2, columns=3)
        if panels > 1
        else exhibits.trend_chart(industries)
    )
    return {
        "size": exhibits.trend_chart(exhibits.series_frame(ds, "digital_economy_size")),
        "sectors": exhibits.bars(sector_frame(ds), by="sector"),
        "industries": industries_chart,
        "trade": exhibits.trend_chart(trade_frame(ds)),
        "mfg": exhibits.trend_chart(exhibits.chart_frame(ds, MANUFACTURING)),
        "plan": exhibits.plan_chart(ds, DOMAINS),
    }


__all__ = ["SLUG", "facts", "figures", "headline"]
