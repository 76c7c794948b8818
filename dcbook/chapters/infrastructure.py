"""Computations behind chapter 02 数字基础设施 (slug ``infrastructure``).

The notebook glues what :func:`texts` returns and shows what :func:`figures` builds, so every number and
every comparison in the chapter's prose is computed from the edition's dataset and stays true when a new
report is added. Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``, ``series``,
``indicators``, ``sources``, ``targets``, ``edition``), so the tests can use small hand-made datasets.

The generic helpers (latest/trend sentences, growth comparisons, plan cards) live in
:mod:`dcbook.chapters.common`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, fmt
from dcbook.chapters import common

SLUG = "infrastructure"
DOMAINS: tuple[str, ...] = ("infrastructure",)
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
#: Coverage of villages (all in %, many printed as lower bounds such as 超过 99%).
RURAL: tuple[str, ...] = (
    "poor_village_broadband_coverage",
    "admin_village_fiber_coverage",
    "admin_village_4g_coverage",
    "poor_village_fiber_coverage",
)


# ----------------------------------------------------------------------------------------------------------
# Chapter 02 sentences


def mobile_saturation_sentence(ds: Any) -> str:
    """Whether mobile broadband penetration has passed 100 %, i.e. counts accounts rather than people."""
    row = ds.latest("mobile_broadband_penetration")
    if row is None:
        return common.no_data_sentence(ds, "mobile_broadband_penetration")
    v = common.row_text(row)
    if float(row["value"]) > 100:
        return (
            f"{int(row['year'])} 年移动宽带用户普及率已达 {v}，高于 100%——用户数按号码而非按人计，"
            "一人多卡、物联网卡都被计入，这个比率已不能说明还有多少人没有用上移动宽带"
        )
    return f"{int(row['year'])} 年移动宽带用户普及率为 {v}，尚未超过 100%，仍有提升空间"


def pp_per_year_sentence(ds: Any, indicator_id: str) -> str:
    """Average yearly gain in percentage points of a % indicator, first → latest."""
    s = common.series_of(ds, indicator_id)
    if len(s) < 2:
        return f"本版资料中{common.name_of(ds, indicator_id)}不足两年，无法计算年均提升幅度"
    first, last = s.iloc[0], s.iloc[-1]
    years = int(last["year"]) - int(first["year"])
    d = (float(last["value"]) - float(first["value"])) / years
    return (
        f"{common.name_of(ds, indicator_id)}在 {fmt.fmt_year_span(int(first['year']), int(last['year']))}"
        f"平均每年{'提高' if d >= 0 else '下降'} {fmt.fmt_plain(abs(d), 1)} 个百分点"
    )


def users_per_station_sentence(ds: Any) -> str:
    """5G handset users per 5G base station in the latest year both are known (a load indicator)."""
    users, stations = common.series_of(ds, "users_5g"), common.series_of(ds, "base_stations_5g")
    if users.empty or stations.empty:
        return "本版资料没有同一年份的 5G 用户数和 5G 基站数，无法计算每个基站承载的用户"
    y = common.last_shared_year(users, stations)
    if y is None:
        return "本版资料中 5G 用户数与 5G 基站数不在同一年份，无法计算每个基站承载的用户"
    u = users[users["year"].astype(int) == y].iloc[0]
    b = stations[stations["year"].astype(int) == y].iloc[0]
    per = float(u["value"]) * 1e8 / (float(b["value"]) * 1e4)  # 亿户 / 万个
    return f"{y} 年平均每个 5G 基站对应约 {fmt.fmt_plain(per, 0)} 户 5G 手机用户"


def fiveg_sentence(ds: Any) -> str:
    """5G base stations: trend, share of the world and the users they serve."""
    if ds.latest("base_stations_5g") is None:
        four = ds.latest("users_4g")
        if four is None:
            return "本版资料尚未涉及 5G 网络建设"
        return "本版资料尚未涉及 5G 网络建设；移动网络的主角仍是 4G，" + common.latest_sentence(
            ds, "users_4g"
        )
    parts = [common.trend_sentence(ds, "base_stations_5g")]
    share = ds.latest("base_stations_5g_world_share")
    if share is not None:
        parts.append(common.join_words("占全球总量", common.row_text(share)))
    if ds.latest("users_5g") is not None:
        parts.append(common.latest_sentence(ds, "users_5g"))
    return "，".join(parts)


def ipv6_gap_sentence(ds: Any) -> str:
    """Readiness versus use: the highest IPv6 support rate against the lowest IPv6 traffic share."""
    support = common.latest_frame(ds, IPV6_SUPPORT)
    traffic = common.latest_frame(ds, IPV6_TRAFFIC)
    if support.empty or traffic.empty:
        return "本版资料没有同时给出 IPv6 支持率和 IPv6 流量占比，无法比较“能用”与“在用”"
    hi = support.sort_values("value", ascending=False, kind="stable").iloc[0]
    lo = traffic.sort_values("value", kind="stable").iloc[0]
    return (
        common.join_words(f"{hi['name_zh']}已达", common.row_text(hi))
        + common.join_words(f"，而{lo['name_zh']}只有", common.row_text(lo))
        + "，"
        + common.pp_gap_sentence(lo, hi, "两者")
    )


def idle_racks_sentence(ds: Any) -> str:
    """Data-centre racks and what the utilisation rate leaves idle (the complement, qualifier flipped)."""
    racks, util = ds.latest("data_center_racks"), ds.latest("data_center_rack_utilization")
    if racks is None:
        return common.no_data_sentence(ds, "data_center_racks")
    text = common.latest_sentence(ds, "data_center_racks")
    if util is not None:
        flipped = {"lower_bound": "upper_bound", "upper_bound": "lower_bound"}.get(
            common.qual(util), common.qual(util)
        )
        idle = fmt.fmt_number(100 - float(util["value"]), "%", qualifier=flipped)
        text += common.join_words(
            f"，平均上架率{fmt.qualifier_word(common.qual(util))}", fmt.fmt_plain(float(util["value"])) + "%"
        ) + common.join_words("，也就是说闲置机架的比例", idle)
    return text


def computing_sentence(ds: Any) -> str:
    """Computing power: latest size and five-year average growth."""
    if ds.latest("computing_power") is None:
        return common.no_data_sentence(ds, "computing_power")
    text = common.latest_sentence(ds, "computing_power")
    g = ds.latest("computing_power_avg_growth_5y")
    if g is not None:
        text += common.join_words("，近 5 年年均增速", common.row_text(g))
    return text


def rural_sentence(ds: Any) -> str:
    """Latest village coverage figures, highest first."""
    frame = common.latest_frame(ds, RURAL)
    if frame.empty:
        return "本版资料没有农村网络覆盖率数据"
    frame = frame.sort_values("value", ascending=False, kind="stable")
    parts = [
        common.join_words(
            f"{int(r['year'])} 年{r['name_zh']}",
            common.row_text(r),
        )
        for _, r in frame.iterrows()
    ]
    return "；".join(parts)


def beidou_sentence(ds: Any) -> str:
    """BeiDou users (or, in early editions, the A-GNSS service users)."""
    for ind in ("beidou_users", "beidou_agnss_users"):
        if ds.latest(ind) is not None:
            return common.latest_sentence(ds, ind)
    return "本版资料没有北斗系统用户规模的数据"


def survey_5g_sentence(ds: Any) -> str:
    """What netizens said about 5G in the report's survey (coverage, experience)."""
    ids = ("survey_5g_coverage_limited", "survey_5g_no_difference", "survey_5g_better_than_4g")
    rows = [(i, ds.latest(i)) for i in ids]
    rows = [(i, r) for i, r in rows if r is not None]
    if not rows:
        return "本版资料没有网民对 5G 体验的调查数据"
    return "；".join(common.join_words(f"{common.name_of(ds, i)}为", common.row_text(r)) for i, r in rows)


def key_findings(ds: Any, card: pd.DataFrame | None = None) -> list[str]:
    """Four findings for the 本章要点 box, each a complete sentence computed from the edition's data."""
    card = common.plan_card(ds, DOMAINS) if card is None else card
    findings = [common.fastest_sentence(ds, common.level_indicators(ds, DOMAINS), "基础设施") + "。"]
    findings.append(fiveg_sentence(ds) + "。")
    findings.append(common.share_trend_sentence(ds, "fixed_broadband_household_penetration") + "。")
    findings.append(common.plan_finding(card, "基础设施"))
    return findings


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "fixed_broadband_household_penetration",
        "base_stations_5g",
        "users_5g",
        "gigabit_fiber_users",
        "ipv6_active_users",
    )
    return common.headline_texts(ds, ids)


def texts(ds: Any) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``infrastructure_``)."""
    card = common.plan_card(ds, DOMAINS)
    out: dict[str, str] = {
        **common.base_texts(ds, DOMAINS, sources=False),
        "fixed_trend": common.share_trend_sentence(ds, "fixed_broadband_household_penetration"),
        "fixed_pace": pp_per_year_sentence(ds, "fixed_broadband_household_penetration"),
        "mobile_trend": common.share_trend_sentence(ds, "mobile_broadband_penetration"),
        "mobile_saturation": mobile_saturation_sentence(ds),
        "fiber_share": common.share_trend_sentence(ds, "fiber_share_of_broadband"),
        "fixed_pace13": common.pace_sentence(card, "fixed_broadband_household_penetration", "fyp13"),
        "mobile_pace13": common.pace_sentence(card, "mobile_broadband_penetration", "fyp13"),
        "fast_broadband": common.trend_sentence(ds, "broadband_100m_users"),
        "gigabit": common.trend_sentence(ds, "gigabit_fiber_users"),
        "gigabit_pace": common.pace_sentence(card, "gigabit_fiber_users", "fyp14"),
        "fiveg": fiveg_sentence(ds),
        "fiveg_load": users_per_station_sentence(ds),
        "fiveg_pace": common.pace_sentence(card, "penetration_5g", "fyp14"),
        "four_g": common.latest_sentence(ds, "users_4g"),
        "terminal_5g": common.latest_sentence(ds, "terminal_connections_5g"),
        "traffic": common.trend_sentence(ds, "mobile_internet_traffic"),
        "fastest": common.fastest_sentence(ds, common.level_indicators(ds, DOMAINS), "基础设施"),
        "ipv6": common.trend_sentence(ds, "ipv6_active_users"),
        "ipv6_pace": common.pace_sentence(card, "ipv6_active_users", "fyp14"),
        "ipv6_gap": ipv6_gap_sentence(ds),
        "computing": computing_sentence(ds),
        "racks": idle_racks_sentence(ds),
        "pue": common.latest_sentence(ds, "green_data_center_pue"),
        "rural": rural_sentence(ds),
        "rural_broadband": common.trend_sentence(ds, "rural_broadband_users"),
        "poor_village_pace13": common.pace_sentence(card, "poor_village_broadband_coverage", "fyp13"),
        "intl_bandwidth": common.trend_sentence(ds, "intl_internet_bandwidth"),
        "intl_pace13": common.pace_sentence(card, "intl_internet_bandwidth", "fyp13"),
        "beidou": beidou_sentence(ds),
        "survey_5g": survey_5g_sentence(ds),
        "plan": common.plan_sentence(card, "数字基础设施"),
    }
    return out | common.key_texts(key_findings(ds, card))


def scale_frame(ds: Any) -> pd.DataFrame:
    """Series of the first :data:`SCALE_PANELS` scale indicators that have data in the edition."""
    have = [i for i in SCALE if ds.latest(i) is not None][:SCALE_PANELS]
    return common.chart_frame(ds, have)


def ipv6_frame(ds: Any) -> pd.DataFrame:
    """Latest IPv6 support rates and traffic shares, labelled with their year, for one bar chart."""
    return common.item_frame(ds, IPV6_SUPPORT + IPV6_TRAFFIC)


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    pen = common.chart_frame(ds, PENETRATION)
    scale = scale_frame(ds)
    ipv6 = ipv6_frame(ds)
    return {
        "penetration": common.trend_figure(
            pen,
            "本版资料中宽带普及率不足两个年份，不绘制趋势图。",
            title="固定宽带家庭普及率与移动宽带用户普及率",
            takeaway=common.share_trend_sentence(ds, "fixed_broadband_household_penetration"),
        ),
        "scale": common.figure_or_note(
            scale,
            charts.small_multiples,
            "本版资料没有可绘制的网络规模数据。",
            title="网络规模：基站、用户与流量",
            takeaway=common.multiples_takeaway(scale, "有数据的", "规模指标"),
            columns=3,
        ),
        "ipv6": common.figure_or_note(
            ipv6,
            charts.bar_ranking,
            "本版资料尚未给出 IPv6 支持率和流量占比，因此不绘制 IPv6 对比图。",
            title="IPv6：支持率与流量占比",
            takeaway=ipv6_gap_sentence(ds),
            by="item",
        ),
        "rural": common.trend_figure(
            common.chart_frame(ds, RURAL),
            "本版资料中农村网络覆盖率不足两个年份，不绘制趋势图。",
            title="农村与贫困地区网络覆盖率",
            takeaway=rural_sentence(ds).split("；")[0],
        ),
        "plan": common.plan_figure(ds, common.plan_card(ds, DOMAINS), "数字基础设施"),
    }


__all__ = ["SLUG", "figures", "headline", "key_findings", "texts"]
