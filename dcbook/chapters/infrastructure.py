"""Computations behind chapter 02 数字基础设施 (slug ``infrastructure``).

The notebook glues what :func:`texts` returns and shows what :func:`figures` builds, so every number and
every comparison in the chapter's prose is computed from the edition's dataset and stays true when a new
report is added. Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``, ``series``,
``indicators``, ``sources``, ``targets``, ``edition``), so the tests can use small hand-made datasets.

The generic helpers (latest/trend sentences, plan cards) are shared with the innovation and economy
chapters and live in :mod:`dcbook.chapters.innovation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from dcbook import charts, fmt
from dcbook.chapters.innovation import (
    NO_DATA,
    _qual,
    _unit,
    cagr,
    chart_frame,
    domain_count,
    figure_or_note,
    join_words,
    latest_frame,
    latest_sentence,
    name_of,
    no_data_sentence,
    pace_sentence,
    plan_card,
    plan_chart_frame,
    plan_sentence,
    series_of,
    share_trend_sentence,
    trend_sentence,
    value_text,
)

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
#: Units that mark a rate, share or rank rather than a stock: excluded from growth comparisons.
NOT_LEVEL_UNITS: frozenset[str] = frozenset({"%", "个百分点", "位", "倍", ""})
#: Indicator id endings of flows and changes (not stocks): excluded from growth comparisons.
NOT_LEVEL_SUFFIXES: tuple[str, ...] = ("_growth", "_change_pp", "_net_increase", "_net_add", "_new", "_5y")


# ----------------------------------------------------------------------------------------------------------
# Generic helpers (could serve other chapters)


def level_indicators(ds: Any, domains: Sequence[str]) -> list[str]:
    """Stock indicators of ``domains`` (counts, sizes): the only ones whose growth rates can be compared."""
    ind = ds.indicators
    out = []
    for i in ind.index:
        if ind.at[i, "domain"] not in domains:
            continue
        unit = ind.at[i, "unit"]
        unit = "" if pd.isna(unit) else str(unit)
        if unit in NOT_LEVEL_UNITS or str(i).endswith(NOT_LEVEL_SUFFIXES):
            continue
        out.append(str(i))
    return out


def fastest_growth(ds: Any, indicator_ids: Sequence[str]) -> tuple[str, float, int, int] | None:
    """The indicator with the highest compound annual growth first → latest year, as
    ``(indicator_id, rate, start_year, end_year)``; None when no indicator has two years of data.

    Compound annual rates make series that span different years comparable (a total ratio would favour
    the longest span).
    """
    best: tuple[str, float, int, int] | None = None
    for ind in indicator_ids:
        g = cagr(ds, ind)
        if g is not None and (best is None or g[0] > best[1]):
            best = (ind, g[0], g[1], g[2])
    return best


def fastest_sentence(ds: Any, indicator_ids: Sequence[str], area: str) -> str:
    """ "在有两年以上数据的 N 项…规模指标中，增长最快的是 X：…，年均增长 Y" among ``indicator_ids``."""
    candidates = [i for i in indicator_ids if len(series_of(ds, i)) >= 2]
    best = fastest_growth(ds, candidates)
    if best is None:
        return f"本版资料中{area}的规模指标都只有一年的数据，无法比较增速"
    ind, rate, start, end = best
    text = f"在本版资料有两年以上数据的 {len(candidates)} 项{area}规模指标中，增长最快的是{trend_sentence(ds, ind)}"
    # Over a single year the total growth already is the annual rate.
    return text + (f"，年均增长 {fmt.fmt_pct(rate)}" if end - start > 1 else "")


def pp_gap_sentence(low: pd.Series | None, high: pd.Series | None, what: str) -> str:
    """Difference in percentage points between two % values, qualifiers respected ("至少"/"约")."""
    if low is None or high is None:
        return f"本版资料不足以比较{what}"
    d = float(high["value"]) - float(low["value"])
    approx = "约" if _qual(low) != "exact" or _qual(high) != "exact" else ""
    return f"{what}相差{approx} {fmt.fmt_plain(abs(d), 1 if abs(d) % 1 else 0)} 个百分点"


# ----------------------------------------------------------------------------------------------------------
# Chapter 02 sentences


def mobile_saturation_sentence(ds: Any) -> str:
    """Whether mobile broadband penetration has passed 100 %, i.e. counts accounts rather than people."""
    row = ds.latest("mobile_broadband_penetration")
    if row is None:
        return no_data_sentence(ds, "mobile_broadband_penetration")
    v = fmt.fmt_number(float(row["value"]), _unit(row), qualifier=_qual(row))
    if float(row["value"]) > 100:
        return (
            f"{int(row['year'])} 年移动宽带用户普及率已达 {v}，高于 100%——用户数按号码而非按人计，"
            "一人多卡、物联网卡都被计入，这个比率已不能说明还有多少人没有用上移动宽带"
        )
    return f"{int(row['year'])} 年移动宽带用户普及率为 {v}，尚未超过 100%，仍有提升空间"


def pp_per_year_sentence(ds: Any, indicator_id: str) -> str:
    """Average yearly gain in percentage points of a % indicator, first → latest."""
    s = series_of(ds, indicator_id)
    if len(s) < 2:
        return f"本版资料中{name_of(ds, indicator_id)}不足两年，无法计算年均提升幅度"
    first, last = s.iloc[0], s.iloc[-1]
    years = int(last["year"]) - int(first["year"])
    d = (float(last["value"]) - float(first["value"])) / years
    return (
        f"{name_of(ds, indicator_id)}在 {fmt.fmt_year_span(int(first['year']), int(last['year']))}"
        f"平均每年{'提高' if d >= 0 else '下降'} {fmt.fmt_plain(abs(d), 1)} 个百分点"
    )


def users_per_station_sentence(ds: Any) -> str:
    """5G handset users per 5G base station in the latest year both are known (a load indicator)."""
    users, stations = series_of(ds, "users_5g"), series_of(ds, "base_stations_5g")
    if users.empty or stations.empty:
        return "本版资料没有同一年份的 5G 用户数和 5G 基站数，无法计算每个基站承载的用户"
    common = sorted(set(users["year"].astype(int)) & set(stations["year"].astype(int)))
    if not common:
        return "本版资料中 5G 用户数与 5G 基站数不在同一年份，无法计算每个基站承载的用户"
    y = common[-1]
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
        return "本版资料尚未涉及 5G 网络建设；移动网络的主角仍是 4G，" + latest_sentence(ds, "users_4g")
    parts = [trend_sentence(ds, "base_stations_5g")]
    share = ds.latest("base_stations_5g_world_share")
    if share is not None:
        parts.append(
            join_words(
                "占全球总量", fmt.fmt_number(float(share["value"]), _unit(share), qualifier=_qual(share))
            )
        )
    if ds.latest("users_5g") is not None:
        parts.append(latest_sentence(ds, "users_5g"))
    return "，".join(parts)


def ipv6_gap_sentence(ds: Any) -> str:
    """Readiness versus use: the highest IPv6 support rate against the lowest IPv6 traffic share."""
    support = latest_frame(ds, IPV6_SUPPORT)
    traffic = latest_frame(ds, IPV6_TRAFFIC)
    if support.empty or traffic.empty:
        return "本版资料没有同时给出 IPv6 支持率和 IPv6 流量占比，无法比较“能用”与“在用”"
    hi = support.sort_values("value", ascending=False, kind="stable").iloc[0]
    lo = traffic.sort_values("value", kind="stable").iloc[0]
    return (
        join_words(f"{hi['name_zh']}已达", fmt.fmt_number(float(hi["value"]), _unit(hi), qualifier=_qual(hi)))
        + join_words(
            f"，而{lo['name_zh']}只有", fmt.fmt_number(float(lo["value"]), _unit(lo), qualifier=_qual(lo))
        )
        + "，"
        + pp_gap_sentence(lo, hi, "两者")
    )


def idle_racks_sentence(ds: Any) -> str:
    """Data-centre racks and what the utilisation rate leaves idle (the complement, qualifier flipped)."""
    racks, util = ds.latest("data_center_racks"), ds.latest("data_center_rack_utilization")
    if racks is None:
        return no_data_sentence(ds, "data_center_racks")
    text = latest_sentence(ds, "data_center_racks")
    if util is not None:
        flipped = {"lower_bound": "upper_bound", "upper_bound": "lower_bound"}.get(_qual(util), _qual(util))
        idle = fmt.fmt_number(100 - float(util["value"]), "%", qualifier=flipped)
        text += join_words(
            f"，平均上架率{fmt.qualifier_word(_qual(util))}", fmt.fmt_plain(float(util["value"])) + "%"
        ) + join_words("，也就是说闲置机架的比例", idle)
    return text


def computing_sentence(ds: Any) -> str:
    """Computing power: latest size and five-year average growth."""
    if ds.latest("computing_power") is None:
        return no_data_sentence(ds, "computing_power")
    text = latest_sentence(ds, "computing_power")
    g = ds.latest("computing_power_avg_growth_5y")
    if g is not None:
        text += join_words(
            "，近 5 年年均增速", fmt.fmt_number(float(g["value"]), _unit(g), qualifier=_qual(g))
        )
    return text


def rural_sentence(ds: Any) -> str:
    """Latest village coverage figures, highest first."""
    frame = latest_frame(ds, RURAL)
    if frame.empty:
        return "本版资料没有农村网络覆盖率数据"
    frame = frame.sort_values("value", ascending=False, kind="stable")
    parts = [
        join_words(
            f"{int(r['year'])} 年{r['name_zh']}",
            fmt.fmt_number(float(r["value"]), _unit(r), qualifier=_qual(r)),
        )
        for _, r in frame.iterrows()
    ]
    return "；".join(parts)


def beidou_sentence(ds: Any) -> str:
    """BeiDou users (or, in early editions, the A-GNSS service users)."""
    for ind in ("beidou_users", "beidou_agnss_users"):
        if ds.latest(ind) is not None:
            return latest_sentence(ds, ind)
    return "本版资料没有北斗系统用户规模的数据"


def survey_5g_sentence(ds: Any) -> str:
    """What netizens said about 5G in the report's survey (coverage, experience)."""
    ids = ("survey_5g_coverage_limited", "survey_5g_no_difference", "survey_5g_better_than_4g")
    rows = [(i, ds.latest(i)) for i in ids]
    rows = [(i, r) for i, r in rows if r is not None]
    if not rows:
        return "本版资料没有网民对 5G 体验的调查数据"
    return "；".join(
        join_words(f"{name_of(ds, i)}为", fmt.fmt_number(float(r["value"]), _unit(r), qualifier=_qual(r)))
        for i, r in rows
    )


def key_findings(ds: Any, card: pd.DataFrame | None = None) -> list[str]:
    """Four findings for the 本章要点 box, each a complete sentence computed from the edition's data."""
    card = plan_card(ds, DOMAINS) if card is None else card
    findings = [fastest_sentence(ds, level_indicators(ds, DOMAINS), "基础设施") + "。"]
    findings.append(fiveg_sentence(ds) + "。")
    findings.append(share_trend_sentence(ds, "fixed_broadband_household_penetration") + "。")
    judged = card[card["status"] != "无数据"] if not card.empty else card
    if judged.empty:
        findings.append("本版资料尚无可以评估的基础设施类规划目标。")
    else:
        behind = judged[judged["status"].isin(["落后", "未达成"])]
        met = judged[judged["status"] == "已达成"]
        text = f"基础设施类规划目标中可评估 {len(judged)} 项：已达成 {len(met)} 项，落后或未达成 {len(behind)} 项"
        if not behind.empty:
            text += "，滞后的是" + "、".join(
                f"{n}（{p}）" for n, p in zip(behind["name_zh"], behind["plan_short"], strict=True)
            )
        findings.append(text + "。")
    return findings


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    return {
        "edition": str(ds.edition),
        "fixed_broadband_household_penetration": value_text(ds, "fixed_broadband_household_penetration"),
        "base_stations_5g": value_text(ds, "base_stations_5g"),
        "users_5g": value_text(ds, "users_5g"),
        "gigabit_fiber_users": value_text(ds, "gigabit_fiber_users"),
        "ipv6_active_users": value_text(ds, "ipv6_active_users"),
    }


def texts(ds: Any) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``infrastructure_``)."""
    card = plan_card(ds, DOMAINS)
    out: dict[str, str] = {
        "edition": str(ds.edition),
        "n_indicators": f"{domain_count(ds, DOMAINS)} 项",
        "fixed_trend": share_trend_sentence(ds, "fixed_broadband_household_penetration"),
        "fixed_pace": pp_per_year_sentence(ds, "fixed_broadband_household_penetration"),
        "mobile_trend": share_trend_sentence(ds, "mobile_broadband_penetration"),
        "mobile_saturation": mobile_saturation_sentence(ds),
        "fiber_share": share_trend_sentence(ds, "fiber_share_of_broadband"),
        "fixed_pace13": pace_sentence(card, "fixed_broadband_household_penetration", "fyp13"),
        "mobile_pace13": pace_sentence(card, "mobile_broadband_penetration", "fyp13"),
        "fast_broadband": trend_sentence(ds, "broadband_100m_users"),
        "gigabit": trend_sentence(ds, "gigabit_fiber_users"),
        "gigabit_pace": pace_sentence(card, "gigabit_fiber_users", "fyp14"),
        "fiveg": fiveg_sentence(ds),
        "fiveg_load": users_per_station_sentence(ds),
        "fiveg_pace": pace_sentence(card, "penetration_5g", "fyp14"),
        "four_g": latest_sentence(ds, "users_4g"),
        "terminal_5g": latest_sentence(ds, "terminal_connections_5g"),
        "traffic": trend_sentence(ds, "mobile_internet_traffic"),
        "fastest": fastest_sentence(ds, level_indicators(ds, DOMAINS), "基础设施"),
        "ipv6": trend_sentence(ds, "ipv6_active_users"),
        "ipv6_pace": pace_sentence(card, "ipv6_active_users", "fyp14"),
        "ipv6_gap": ipv6_gap_sentence(ds),
        "computing": computing_sentence(ds),
        "racks": idle_racks_sentence(ds),
        "pue": latest_sentence(ds, "green_data_center_pue"),
        "rural": rural_sentence(ds),
        "rural_broadband": trend_sentence(ds, "rural_broadband_users"),
        "poor_village_pace13": pace_sentence(card, "poor_village_broadband_coverage", "fyp13"),
        "intl_bandwidth": trend_sentence(ds, "intl_internet_bandwidth"),
        "intl_pace13": pace_sentence(card, "intl_internet_bandwidth", "fyp13"),
        "beidou": beidou_sentence(ds),
        "survey_5g": survey_5g_sentence(ds),
        "plan": plan_sentence(card, "数字基础设施"),
    }
    for i, finding in enumerate(key_findings(ds, card), start=1):
        out[f"key_{i}"] = finding
    return out


def scale_frame(ds: Any) -> pd.DataFrame:
    """Series of the first :data:`SCALE_PANELS` scale indicators that have data in the edition."""
    have = [i for i in SCALE if ds.latest(i) is not None][:SCALE_PANELS]
    return chart_frame(ds, have)


def ipv6_frame(ds: Any) -> pd.DataFrame:
    """Latest IPv6 support rates and traffic shares, labelled with their year, for one bar chart."""
    frame = latest_frame(ds, IPV6_SUPPORT + IPV6_TRAFFIC)
    if frame.empty:
        return frame
    frame["item"] = [f"{n}（{int(y)} 年）" for n, y in zip(frame["name_zh"], frame["year"], strict=True)]
    return frame


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    pen = chart_frame(ds, PENETRATION)
    scale = scale_frame(ds)
    ipv6 = ipv6_frame(ds)
    rural = chart_frame(ds, RURAL)
    plan = plan_chart_frame(ds, plan_card(ds, DOMAINS))
    return {
        "penetration": figure_or_note(
            pen,
            charts.line_chart,
            "本版资料中宽带普及率不足两个年份，不绘制趋势图。",
            min_years=2,
            title="固定宽带家庭普及率与移动宽带用户普及率",
            takeaway=share_trend_sentence(ds, "fixed_broadband_household_penetration"),
        ),
        "scale": figure_or_note(
            scale,
            charts.small_multiples,
            "本版资料没有可绘制的网络规模数据。",
            title="网络规模：基站、用户与流量",
            takeaway=(
                f"本版资料中有数据的 {scale['indicator_id'].nunique()} 项规模指标，各用独立纵轴"
                if not scale.empty
                else None
            ),
            columns=3,
        ),
        "ipv6": figure_or_note(
            ipv6,
            charts.bar_ranking,
            "本版资料尚未给出 IPv6 支持率和流量占比，因此不绘制 IPv6 对比图。",
            title="IPv6：支持率与流量占比",
            takeaway=ipv6_gap_sentence(ds),
            by="item",
        ),
        "rural": figure_or_note(
            rural,
            charts.line_chart,
            "本版资料中农村网络覆盖率不足两个年份，不绘制趋势图。",
            min_years=2,
            title="农村与贫困地区网络覆盖率",
            takeaway=rural_sentence(ds).split("；")[0],
        ),
        "plan": figure_or_note(
            plan,
            charts.target_progress,
            "本版资料中没有可评估进度的数字基础设施类规划目标。",
            title="数字基础设施类规划目标进度",
            takeaway=charts.takeaway_targets(plan) if not plan.empty else None,
        ),
    }


__all__ = ["NO_DATA", "SLUG", "figures", "headline", "key_findings", "texts"]
