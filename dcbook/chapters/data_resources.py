"""Facts and charts of chapter 03 数据资源与数据要素 (slug ``data_resources``).

The chapter's prose is the Markdown of ``book/03_data_resources.ipynb``; this module only computes what it
talks about, for one edition: data production, the big-data industry under its two definitions, public-data
opening and government data sharing, the data market, and the plan targets of the domain. Functions take a
``dcbook.data.Dataset`` duck-typed (``latest``, ``series``, ``indicators``, ``sources``, ``targets``,
``milestones``, ``conflicts``, ``edition``), so the tests can use small hand-made datasets.

Data resources are the domain where the reports print the fewest repeated series: most figures appear
once, in one report, under a wording that the next report changes. The chapter therefore leans on three
computed checks rather than on long trends: a growth rate a report *states* is recomputed from the report's
own endpoints (:func:`dcbook.facts.claim`), the two definitions of the big-data industry are set side by
side (:func:`scopes`), and two documents' figures for the same date are compared
(:func:`dcbook.facts.conflict`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from dcbook import charts, render, world
from dcbook import facts as F
from dcbook.chapters import domains_of, exhibits

SLUG = "data_resources"
DOMAINS: tuple[str, ...] = domains_of(SLUG)
#: Counts of public-data opening drawn as small multiples when they have two or more years.
OPEN_SERIES: tuple[str, ...] = ("provincial_open_data_platforms", "open_data_platforms", "open_datasets")
#: Share of each administrative level with an open-data platform (all in %): indicator → level label.
PLATFORM_LEVELS: dict[str, str] = {
    "open_data_platforms_provincial_share": "省级行政区",
    "open_data_platforms_subprovincial_share": "副省级城市",
    "open_data_platforms_prefecture_share": "地级行政区",
}
#: Government data-sharing counters (exchanges and calls), oldest report first.
SHARING: tuple[str, ...] = (
    "data_sharing_exchange_volume",
    "data_sharing_batch_exchange_records",
    "national_gov_platform_sharing_calls",
    "data_sharing_calls",
)
#: National base databases (population, legal entities).
BASIC_DB: tuple[str, ...] = (
    "population_db_shared_items",
    "legal_person_db_shared_items",
    "population_db_interface_calls",
    "legal_entity_db_market_entities",
)
#: Data resources published on the national government-service platform.
GOV_PLATFORM: tuple[str, ...] = (
    "national_gov_platform_data_resources",
    "national_gov_platform_data_publishing_departments",
)
#: The one data exchange with figures (recorded for its province, not the nation).
EXCHANGE: tuple[str, ...] = ("beibu_gulf_data_exchange_volume", "beibu_gulf_data_exchange_firms")
EXCHANGE_REGION = "广西"
#: Market-building signals (privacy computing, pilots).
MARKET: tuple[str, ...] = ("privacy_computing_vendors", "financial_data_pilot_provinces")
#: The catalogue word that marks the milestone naming data a factor of production.
FACTOR_WORD = "生产要素"


def factor_event(ds: Any) -> F.Event | None:
    """The milestone that made data a factor of production, as precisely dated as the edition records it."""
    found = [e for e in F.events(ds, DOMAINS) if FACTOR_WORD in e.event]
    return max(found, key=lambda e: len(e.date)) if found else None


def scopes(ds: Any) -> F.Ratio | None:
    """The wide definition (大数据产业规模) over the narrow one (大数据核心产业规模) in the latest year both
    are known, in the narrow one's unit: how far apart the two scopes are."""
    narrow, wide = F.series(ds, "big_data_core_industry_size"), F.series(ds, "big_data_industry_size")
    if narrow is None or wide is None:
        return None
    year = F.last_shared_year(narrow, wide)
    if year is None:
        return None
    n = narrow.at(year)
    assert n is not None
    return F.ratio(F.in_unit(wide.at(year), n.unit), n)


def city_share(ds: Any) -> F.Ratio | None:
    """City platforms over all local platforms (provincial ones without the municipalities, plus cities)."""
    prov = F.value(ds, "open_data_platforms_provincial_excl_municipalities")
    city = F.value(ds, "open_data_platforms_city")
    if prov is None or city is None or prov.year != city.year:
        return None
    total = dataclasses.replace(
        city,
        indicator="open_data_platforms_local_total",
        name="地方政府数据开放平台数",
        value=city.value + prov.value,
        qualifier=F.growth_bound(prov.qualifier, city.qualifier),
        computed=True,
    )
    return F.ratio(city, total)


def levels(ds: Any) -> tuple[F.Value, ...]:
    """Share of each administrative level with a platform, highest first, named by the level."""
    found = [dataclasses.replace(v, name=PLATFORM_LEVELS[v.indicator]) for v in F.values(ds, PLATFORM_LEVELS)]
    return tuple(sorted(found, key=lambda v: -v.value))


def trading_share(ds: Any) -> F.Ratio | None:
    """The data-trading market as a share of the big-data market, when both are of one year."""
    part, whole = F.value(ds, "data_trading_market_size"), F.value(ds, "big_data_market_size")
    if part is None or whole is None or part.year != whole.year:
        return None
    return F.ratio(part, F.in_unit(whole, part.unit))


def plan_targets(ds: Any) -> int:
    """How many main-indicator targets of the plans visible to the edition there are (all domains)."""
    return len(F.plan_frame(ds))


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    industry = F.series(ds, "big_data_industry_size")
    lv = levels(ds)
    return {
        **world.world(ds, DOMAINS),
        "n_indicators": F.domain_count(ds, DOMAINS),
        "n_infrastructure": F.domain_count(ds, ("infrastructure",)),
        "n_economy": F.domain_count(ds, ("digital_economy",)),
        "factor_event": factor_event(ds),
        "production": F.series(ds, "data_production_volume"),
        "production_share": F.value(ds, "data_production_world_share"),
        "industry": industry,
        "industry_documents": len(F.sources_of(ds, industry)) if industry is not None else None,
        "industry_claim": F.claim(ds, "big_data_industry_size_cagr", "big_data_industry_size", "cagr"),
        "core_industry": F.value(ds, "big_data_core_industry_size"),
        "core_growth": F.value(ds, "big_data_core_industry_size_growth"),
        "scopes": scopes(ds),
        "open_series": F.all_series(ds, OPEN_SERIES) or None,
        "open_datasets": F.series(ds, "open_datasets"),
        "platform_claim": F.claim(ds, "open_data_platforms_growth", "open_data_platforms", "growth"),
        "platforms_provincial": F.value(ds, "open_data_platforms_provincial_excl_municipalities"),
        "city_share": city_share(ds),
        "levels": lv or None,
        "levels_gap": F.gap(lv[-1], lv[0]) if len(lv) > 1 else None,
        "conflict": F.conflict(ds, tuple(PLATFORM_LEVELS)),
        "open_pilots": F.value(ds, "open_data_pilot_provinces"),
        "open_policies": F.value(ds, "provinces_with_open_data_policy"),
        "open_regulations": F.value(ds, "local_public_data_regulations"),
        "transport_open": F.value(ds, "transport_open_platform_open_data"),
        "sharing": F.values(ds, SHARING) or None,
        "basic_db": F.values(ds, BASIC_DB) or None,
        "gov_platform": F.values(ds, GOV_PLATFORM) or None,
        "trading_share": trading_share(ds),
        "exchange": F.values(ds, EXCHANGE, EXCHANGE_REGION) or None,
        "market_signals": F.values(ds, MARKET) or None,
        "plan_targets": plan_targets(ds),
        "card": F.card(ds, DOMAINS) or None,
    }


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "data_production_volume",
        "data_production_world_share",
        "big_data_industry_size",
        "open_data_platforms",
        "open_datasets",
    )
    return exhibits.headline_values(ds, ids)


def levels_frame(ds: Any) -> pd.DataFrame:
    """The platform shares by administrative level, one bar each, labelled "level（year 年）"."""
    return exhibits.item_frame(ds, list(PLATFORM_LEVELS), labels=PLATFORM_LEVELS)


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    return {
        "industry": exhibits.trend_chart(exhibits.series_frame(ds, "big_data_industry_size")),
        "open": exhibits.chart(
            exhibits.multi_year_frame(ds, OPEN_SERIES), charts.small_multiples, min_years=2, columns=3
        ),
        "levels": exhibits.chart(levels_frame(ds), charts.bar_ranking, min_rows=2, by="item"),
        "plan": exhibits.plan_chart(ds, DOMAINS),
    }


__all__ = ["SLUG", "facts", "figures", "headline"]
