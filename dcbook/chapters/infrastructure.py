"""Facts and charts of chapter 02 数字基础设施 (slug ``infrastructure``).

The chapter's prose is the Markdown of ``book/02_infrastructure.ipynb``; this module only computes what
it talks about, for one edition: the access rates, the network scale, IPv6 readiness against use, computing
and data centres, village coverage, and the plan targets of the domain. Functions take a
``dcbook.data.Dataset`` duck-typed (``latest``, ``series``, ``indicators``, ``sources``, ``targets``,
``edition``), so the tests can use small hand-made datasets.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, render, world
from dcbook import facts as F
from dcbook.chapters import domains_of, exhibits

SLUG = "infrastructure"
DOMAINS: tuple[str, ...] = domains_of(SLUG)
#: The two access rates the 13th and 14th five-year plans both track (same unit: one line chart).
PENETRATION: tuple[str, ...] = ("fixed_broadband_household_penetration", "mobile_broadband_penetration")
#: Scale of the networks, newest generation first: the first :data:`SCALE_PANELS` with data are drawn.
SCALE: tuple[str, ...] = (
    "base_stations_5g",
    "users_5g",
    "gigabit_fiber_users",
    "ipv6_active_users",
    "broadband_100m_users",
    "mobile_internet_traffic",
    "users_4g",
    "fixed_broadband_users",
    "mobile_broadband_users",
    "intl_internet_bandwidth",
)
SCALE_PANELS = 6
#: IPv6 readiness (support rates) versus IPv6 use (traffic shares); all in %.
IPV6_SUPPORT: tuple[str, ...] = ("gov_portal_ipv6_support", "commercial_sites_apps_ipv6_support")
IPV6_TRAFFIC: tuple[str, ...] = (
    "top_apps_ipv6_traffic_share",
    "mobile_ipv6_traffic_share",
    "fixed_ipv6_traffic_share",
)
#: One readiness rate and one use share of the same objects (major apps and sites), compared as a pair:
#: the highest support rate of one kind of object set against the lowest traffic share of another would
#: overstate the gap.
IPV6_PAIR: tuple[str, str] = ("commercial_sites_apps_ipv6_support", "top_apps_ipv6_traffic_share")
#: Scale indicators whose change the chapter's text states before it names the fastest grower.
SCALE_IN_TEXT: tuple[str, ...] = (
    "base_stations_5g",
    "gigabit_fiber_users",
    "broadband_100m_users",
    "mobile_internet_traffic",
)
#: Coverage of villages (all in %, many printed as lower bounds such as 超过 99%).
RURAL: tuple[str, ...] = (
    "poor_village_broadband_coverage",
    "admin_village_fiber_coverage",
    "admin_village_4g_coverage",
    "poor_village_fiber_coverage",
)
#: What netizens said about 5G in the yearly report's survey.
SURVEY_5G: tuple[str, ...] = (
    "survey_5g_coverage_limited",
    "survey_5g_no_difference",
    "survey_5g_better_than_4g",
)


def users_per_station(ds: Any) -> F.Value | None:
    """5G handset users per 5G base station in the latest year both are known (a computed load figure)."""
    pair = F.latest_pair(F.series(ds, "users_5g"), F.series(ds, "base_stations_5g"))
    if pair is None:
        return None
    u, b = pair
    year = u.year
    per = u.value * 1e8 / (b.value * 1e4)  # 亿户 / 万个
    return F.Value(
        indicator="users_per_5g_station",
        name="每个 5G 基站对应的 5G 手机用户",
        value=round(per),
        unit="户",
        qualifier=F.ratio_bound(u.qualifier, b.qualifier),
        year=year,
        computed=True,
    )


def idle_rack_share(util: F.Value | None) -> F.Value | None:
    """The share of racks not in use: 100 % minus the utilisation rate, its bound flipped."""
    return None if util is None else F.complement(util, "data_center_idle_rack_share", "闲置机架比例")


def ipv6_pair(ds: Any) -> tuple[F.Value | None, F.Value | None]:
    """The IPv6 support rate and the IPv6 traffic share of the same objects ("能用" against "在用")."""
    support, use = IPV6_PAIR
    return F.value(ds, support), F.value(ds, use)


def scale_panels(ds: Any) -> list[str]:
    """The scale indicators drawn in the small multiples: the first :data:`SCALE_PANELS` with data."""
    return [i for i in SCALE if ds.latest(i) is not None][:SCALE_PANELS]


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    card = F.card(ds, DOMAINS)
    support, use = ipv6_pair(ds)
    panels = scale_panels(ds)
    fastest = F.fastest(ds, F.level_indicators(ds, DOMAINS))
    util = F.value(ds, "data_center_rack_utilization")
    rural = sorted(F.values(ds, RURAL), key=lambda v: -v.value)
    beidou = F.value(ds, "beidou_users")
    return {
        **world.world(ds, DOMAINS),
        "n_indicators": F.domain_count(ds, DOMAINS),
        "fixed_pen": F.series(ds, "fixed_broadband_household_penetration"),
        "mobile_pen": F.series(ds, "mobile_broadband_penetration"),
        "fiber_share": F.series(ds, "fiber_share_of_broadband"),
        "broadband_100m": F.series(ds, "broadband_100m_users"),
        "gigabit": F.series(ds, "gigabit_fiber_users"),
        "fiveg_stations": F.series(ds, "base_stations_5g"),
        "fiveg_world_share": F.value(ds, "base_stations_5g_world_share"),
        "fiveg_users": F.series(ds, "users_5g"),
        "fiveg_load": users_per_station(ds),
        "fiveg_terminals": F.value(ds, "terminal_connections_5g"),
        "users_4g": F.series(ds, "users_4g"),
        "traffic": F.series(ds, "mobile_internet_traffic"),
        "fastest": fastest,
        "fastest_in_text": (fastest.series.indicator in SCALE_IN_TEXT) if fastest is not None else None,
        "scale_n": len(panels) or None,
        "scale_single": sum(len(ds.series(i)) < 2 for i in panels) or None,
        "ipv6_users": F.series(ds, "ipv6_active_users"),
        "ipv6_support": support,
        "ipv6_use": use,
        "ipv6_gap": F.gap(use, support),
        "computing": F.value(ds, "computing_power"),
        "computing_growth_5y": F.value(ds, "computing_power_avg_growth_5y"),
        "racks": F.value(ds, "data_center_racks"),
        "rack_utilization": util,
        "idle_racks": idle_rack_share(util),
        "pue": F.value(ds, "green_data_center_pue"),
        "rural": rural or None,
        "rural_broadband": F.series(ds, "rural_broadband_users"),
        "intl_bandwidth": F.series(ds, "intl_internet_bandwidth"),
        "beidou": beidou,
        "beidou_agnss": F.value(ds, "beidou_agnss_users") if beidou is None else None,
        "survey_5g": F.values(ds, SURVEY_5G) or None,
        "card": card or None,
        "fixed_pace13": F.pace(card, "fixed_broadband_household_penetration", "fyp13"),
        "mobile_pace13": F.pace(card, "mobile_broadband_penetration", "fyp13"),
        "poor_village_pace13": F.pace(card, "poor_village_broadband_coverage", "fyp13"),
        "intl_pace13": F.pace(card, "intl_internet_bandwidth", "fyp13"),
        "gigabit_pace14": F.pace(card, "gigabit_fiber_users", "fyp14"),
        "fiveg_pace14": F.pace(card, "penetration_5g", "fyp14"),
        "ipv6_pace14": F.pace(card, "ipv6_active_users", "fyp14"),
    }


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "fixed_broadband_household_penetration",
        "base_stations_5g",
        "users_5g",
        "gigabit_fiber_users",
        "ipv6_active_users",
    )
    return exhibits.headline_values(ds, ids)


def scale_frame(ds: Any) -> pd.DataFrame:
    """Series of the first :data:`SCALE_PANELS` scale indicators that have data in the edition."""
    return exhibits.chart_frame(ds, scale_panels(ds))


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    return {
        "penetration": exhibits.trend_chart(exhibits.chart_frame(ds, PENETRATION)),
        "scale": exhibits.chart(scale_frame(ds), charts.small_multiples, columns=3),
        "ipv6": exhibits.chart(
            exhibits.item_frame(ds, IPV6_SUPPORT + IPV6_TRAFFIC), charts.bar_ranking, by="item"
        ),
        "rural": exhibits.trend_chart(exhibits.chart_frame(ds, RURAL)),
        "plan": exhibits.plan_chart(ds, DOMAINS),
    }


__all__ = ["SLUG", "facts", "figures", "headline"]
