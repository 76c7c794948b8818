"""Facts and charts of chapter 06 数字政府 (slug ``government``).

The chapter's prose is the Markdown of ``book/06_government.ipynb``; this module only computes what it talks
about, for one edition: the UN e-government ranks, the online service platforms and their users, online
handling of licensing items, 跨省通办 and data sharing, the institutions and the regional evaluation, the
courts and online supervision, the pandemic platforms, and the plan targets of the domain.

Digital-government figures are mostly platform counters printed once, often as lower bounds (超过 …). Two
comparisons need care, and the facts below carry what the text needs to say so: the plan's 在线政务服务实名用户
target against the national platform's real-name users (:func:`users_vs_plan`; the documents do not say the
two counts are the same), and the plan's 网上办理率 target against the reports' 网上受理和“最多跑一次”比例
(a different measure, kept apart). Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``,
``series``, ``indicators``, ``sources``, ``targets``, ``regional``, ``provinces``, ``edition``), so the tests
can use small hand-made datasets.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from dcbook import charts, regional, render, units, world
from dcbook import facts as F
from dcbook.chapters import domains_of, exhibits

SLUG = "government"
DOMAINS: tuple[str, ...] = domains_of(SLUG)
#: International rankings of China's e-government (unit 位; fewer is better), with short chart labels.
RANKS: dict[str, str] = {"un_egov_rank": "电子政务发展指数（EGDI）", "un_osi_rank": "在线服务指数（OSI）"}
#: Scale of the national platforms, drawn as small multiples when observed in two or more years.
SCALE_PANELS: tuple[str, ...] = (
    "national_gov_platform_users",
    "e_licence_types",
    "e_licence_sharing_services",
    "court_judgments_published",
    "credit_info_records",
    "egov_extranet_national_apps",
)
#: Coverage and online-handling rates (all in %): one bar chart of their latest values, with short labels.
COVERAGE: dict[str, str] = {
    "provincial_licence_online_onevisit_share": "许可事项网上受理比例",
    "provincial_online_approval_rate": "许可事项网上办理率",
    "provincial_licence_zero_visit_share": "许可事项“零跑动”比例",
    "online_gov_service_users_share": "在线政务用户占网民比",
    "provincial_gov_drafts_online_share": "省级政府网上征求意见",
    "city_gov_drafts_online_share": "地市政府网上征求意见",
    "egov_extranet_township_coverage": "乡镇政务外网覆盖率",
    "provinces_gov_data_agency_share": "省级设数据管理机构",
    "provinces_digital_gov_plans_share": "省级出台数字政府规划",
    "court_process_disclosure_rate": "案件流程信息公开率",
    "courts_online_filing_share": "法院网上立案比例",
    "state_council_depts_info_release_system_share": "部委建立信息发布制度",
    "e_litigation_share": "电子诉讼占比",
}
#: Coverage rates that measure use ("用了多少") rather than provision ("有没有").
USAGE: tuple[str, ...] = (
    "e_litigation_share",
    "provincial_licence_zero_visit_share",
    "provincial_online_approval_rate",
)
#: The 2017 report's platform counters (the earliest picture of online government services).
EARLY: tuple[str, ...] = (
    "provincial_online_service_platforms",
    "provincial_online_service_items",
    "gov_wechat_accounts",
    "gov_weibo_accounts",
)
#: What the national integrated platform has taken in.
SERVICE_ITEMS: tuple[str, ...] = (
    "national_gov_platform_service_items",
    "national_gov_platform_standard_services",
    "regions_five_level_gov_services",
)
#: “跨省通办” and “一网通办” counters, in the order the text lists them (each counts something different).
CROSS_PROVINCE: tuple[str, ...] = (
    "cross_province_high_freq_items",
    "cross_province_convenience_services",
    "cross_province_services",
    "regional_joint_services",
    "point_to_point_interprovincial_services",
)
#: Government data sharing (counters of the national platform's exchange system).
SHARING: tuple[str, ...] = (
    "data_sharing_departments_all_levels",
    "data_sharing_calls",
    "data_returned_to_localities",
)
#: The national credit-information sharing platform (the earliest data-sharing counters).
CREDIT: tuple[str, ...] = ("credit_platform_ministries_connected", "credit_info_records")
#: Who has set up a data authority or published a digital-government plan (shares, %).
AGENCY_SHARES: tuple[str, ...] = ("provinces_gov_data_agency_share", "key_cities_gov_data_agency_share")
PLAN_SHARES: tuple[str, ...] = ("provinces_digital_gov_plans_share", "key_cities_digital_gov_plans_share")
#: Government websites and public comment.
WEBSITES: tuple[str, ...] = (
    "provincial_gov_drafts_online_share",
    "city_gov_drafts_online_share",
    "gov_websites_error_messages",
)
#: 智慧法院 counters (latest values).
COURTS: tuple[str, ...] = (
    "court_online_filings",
    "court_online_hearings",
    "court_online_mediations",
    "court_trials_livestreamed",
    "courts_full_openness",
)
#: “互联网+监管” counters.
REGULATION: tuple[str, ...] = (
    "regulation_system_apps",
    "regulation_system_records",
    "regulation_system_connected_departments",
    "provincial_joint_supervision_share",
)
#: Pandemic-era platform figures.
PANDEMIC: tuple[str, ...] = (
    "health_code_cumulative_users",
    "health_code_uses",
    "itinerary_card_cumulative_queries",
    "epidemic_data_items_shared",
)
#: Name of the digital-government dimension in the regional evaluations (regional.csv ``dimension``).
REGIONAL_DIMENSION = "数字政府"
#: The plan target the national platform's users are compared with, and the comparison indicator.
USERS_TARGET = ("online_gov_service_real_name_users", "national_gov_platform_users")
#: The plan's online-handling target (the reports print a differently defined measure instead).
APPROVAL_TARGET = "provincial_online_approval_rate"
LITIGATION = "e_litigation_share"


# ----------------------------------------------------------------------------------------------------------
# Facts


def peer_regions(ds: Any, indicator_id: str, year: int, value: float) -> tuple[str, ...]:
    """Other economies with the same value of ``indicator_id`` in ``year`` (ties in a ranking)."""
    res = getattr(ds, "resolved", None)
    if res is None or res.empty:
        return ()
    rows = res[(res["indicator_id"] == indicator_id) & (res["region"] != "全国") & (res["year"] == year)]
    return tuple(str(r) for r in rows.loc[rows["value"].astype(float) == value, "region"])


def rank_gap(egdi: F.Value | None, osi: F.Value | None) -> dict[str, Any] | None:
    """How many places the online-service rank is ahead of the composite EGDI rank (negative: behind), in
    the same year only."""
    if egdi is None or osi is None or egdi.year != osi.year:
        return None
    return {"year": egdi.year, "places": int(egdi.value) - int(osi.value), "egdi": egdi, "osi": osi}


def base_of(p: F.Pace | None) -> F.Value | None:
    """The base-year figure of a plan target as printed in the plan's table."""
    if p is None or p.base_value is None or p.base_year is None:
        return None
    return F.Value(p.indicator, p.name, p.base_value, p.unit, F.EXACT, p.base_year)


def users_vs_plan(ds: Any, card: F.Card) -> dict[str, Any] | None:
    """The 14th-FYP real-name-user target against the national platform's latest real-name users.

    ``observed`` is the platform's figure after the plan's base year (None without one); ``share`` is it
    over the target in the target's unit, ``above`` whether it already exceeds the target. The documents
    do not say the two counts are the same, so the scorecard keeps the target unjudged; the text says so.
    """
    target_id, obs_id = USERS_TARGET
    p = F.pace(card, target_id, "fyp14")
    if p is None:
        return None
    obs = F.value(ds, obs_id)
    if obs is not None and (p.base_year is None or obs.year <= p.base_year):
        obs = None
    share, above = None, None
    if obs is not None and units.can_convert(p.unit, obs.unit):
        goal = F.Value(p.indicator, p.name, p.target_value * units.factor(p.unit, obs.unit), obs.unit, F.EXACT,
                       p.target_year)  # fmt: skip
        share, above = F.ratio(obs, goal), obs.value >= goal.value
    return {"pace": p, "base": base_of(p), "observed": obs, "share": share, "above": above}


def labelled(ds: Any, labels: dict[str, str]) -> tuple[F.Value, ...]:
    """Latest figures of ``labels``' indicators named by their short labels, highest first."""
    vals = [dataclasses.replace(v, name=labels[v.indicator]) for v in F.values(ds, labels)]
    return tuple(sorted(vals, key=lambda v: -v.value))


def grows_faster(a: F.Series | None, b: F.Series | None) -> bool | None:
    """Whether ``a`` grew by a larger factor than ``b`` over their spans (None without two years of each)."""
    if a is None or b is None or a.change is None or b.change is None:
        return None
    if a.change.ratio is None or b.change.ratio is None:
        return None
    return a.change.ratio > b.change.ratio


def shares_gap(ds: Any) -> bool | None:
    """Whether every published digital-government plan share is below every data-authority share."""
    agency, plans = F.values(ds, AGENCY_SHARES), F.values(ds, PLAN_SHARES)
    if not agency or not plans:
        return None
    return max(v.value for v in plans) < min(v.value for v in agency)


def regional_leaders(ds: Any) -> dict[str, Any] | None:
    """The provinces that lead the digital-government dimension in the latest evaluation that has one.

    ``provinces`` in printed order (by rank where ranks are printed); ``ranked``/``scored`` whether ranks
    or scores are given; ``outside`` the leaders not in that evaluation's composite top group and
    ``dropped`` composite leaders missing here; ``regions`` the leaders counted by region.
    """
    reg = ds.regional
    if reg is None or reg.empty or "dimension" not in reg.columns:
        return None
    sub = reg[reg["dimension"] == REGIONAL_DIMENSION]
    if sub.empty:
        return None
    year = int(pd.to_numeric(sub["year"]).max())
    sub = sub[pd.to_numeric(sub["year"]) == year]
    ranks = pd.to_numeric(sub["rank"], errors="coerce")
    scores = pd.to_numeric(sub["score"], errors="coerce")
    if ranks.notna().any():
        sub = sub.assign(_rank=ranks).sort_values("_rank", kind="stable")
    leaders = tuple(str(p) for p in sub["province"])
    framework = str(sub["framework"].iloc[0])
    try:
        composite = regional.composite_top(ds, framework, year)
    except regional.RegionalError:
        composite = []
    provinces = getattr(ds, "provinces", None)
    by_region: dict[str, int] = {}
    if provinces is not None and not provinces.empty:
        where = dict(zip(provinces["province"], provinces["region"], strict=False))
        for reg_name in regional.regions(ds):
            n = sum(where.get(p) == reg_name for p in leaders)
            if n:
                by_region[reg_name] = n
    return {
        "year": year,
        "provinces": leaders,
        "n": len(leaders),
        "ranked": bool(ranks.notna().all()),
        "scored": bool(scores.notna().any()),
        "source": str(sub["source_id"].iloc[0]),
        "outside": tuple(p for p in leaders if composite and p not in composite) or None,
        "dropped": tuple(p for p in composite if p not in leaders) or None,
        "regions": by_region or None,
    }


def regional_without_dimension(ds: Any) -> bool:
    """The edition has a regional evaluation, but none with a digital-government dimension."""
    reg = ds.regional
    if reg is None or reg.empty or "dimension" not in reg.columns:
        return False
    return not (reg["dimension"] == REGIONAL_DIMENSION).any()


def scale_points(ds: Any) -> dict[str, int] | None:
    """How many points the scale chart draws and how many of them are bounds or approximations."""
    frame = exhibits.multi_year_frame(ds, SCALE_PANELS)
    if frame.empty:
        return None
    q = frame["qualifier"].fillna(F.EXACT).replace("", F.EXACT)
    return {
        "points": len(frame),
        "inexact": int((q != F.EXACT).sum()),
        "panels": frame["indicator_id"].nunique(),
    }


def fastest_growth(ds: Any) -> F.Fastest | None:
    """The fastest-growing scale indicator among those whose growth can be stated (not both ends bounds
    pulling apart, as 超过 4 亿 → 超过 10 亿)."""
    ids = []
    for i in F.level_indicators(ds, DOMAINS):
        s = F.series(ds, i)
        if s is not None and s.change is not None and s.change.bound != F.OPEN:
            ids.append(i)
    return F.fastest(ds, ids)


def litigation_in_pandemic(ds: Any, litigation: F.Series | None) -> bool | None:
    """Whether the latest e-litigation share falls in the years the pandemic figures cover (None when the
    edition has no pandemic figures: then the text must not allude to it)."""
    years = [v.year for v in F.values(ds, PANDEMIC)]
    if litigation is None or not years:
        return None
    return litigation.latest.year >= min(years)


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    card = F.card(ds, DOMAINS)
    egdi_rank, osi_rank = F.series(ds, "un_egov_rank"), F.value(ds, "un_osi_rank")
    onevisit = F.series(ds, "provincial_licence_online_onevisit_share")
    zero = F.value(ds, "provincial_licence_zero_visit_share")
    approval_pace = F.pace(card, APPROVAL_TARGET, "fyp14")
    coverage = labelled(ds, COVERAGE)
    litigation = F.series(ds, LITIGATION)
    litigation_paces = tuple(p for p in card.paces if p.indicator == LITIGATION)
    gov_websites = F.value(ds, "gov_websites")
    peers = peer_regions(ds, "un_osi_rank", osi_rank.year, osi_rank.value) if osi_rank else ()
    gap = F.gap(zero, onevisit.latest) if zero and onevisit and zero.year == onevisit.latest.year else None
    return {
        **world.world(ds, DOMAINS),
        "n_indicators": F.domain_count(ds, DOMAINS),
        "fastest": fastest_growth(ds),
        # 国际评价
        "egdi_rank": egdi_rank,
        "osi_rank": osi_rank,
        "osi_peers": peers or None,
        "egdi": F.value(ds, "un_egdi_value"),
        "osi": F.value(ds, "un_osi_value"),
        "rank_gap": rank_gap(egdi_rank.latest if egdi_rank else None, osi_rank),
        # 平台
        "early": F.values(ds, EARLY) or None,
        "early_platforms": F.value(ds, "provincial_online_service_platforms"),
        "early_items": F.value(ds, "provincial_online_service_items"),
        "platform_users": F.series(ds, "national_gov_platform_users"),
        "survey_users": F.value(ds, "online_gov_service_users"),
        "survey_share": F.value(ds, "online_gov_service_users_share"),
        "service_items": F.values(ds, SERVICE_ITEMS) or None,
        "scale_points": scale_points(ds),
        "users_plan": users_vs_plan(ds, card),
        # 网上办理
        "onevisit": onevisit,
        "zero_visit": zero,
        "time_cut": F.value(ds, "provincial_licence_time_cut"),
        "approval_pace": approval_pace,
        "approval_base": base_of(approval_pace),
        "online_gap": gap,
        "coverage": coverage or None,
        "coverage_low_is_usage": True if coverage and coverage[-1].indicator in USAGE else None,
        # 通办与共享
        "cross": F.values(ds, CROSS_PROVINCE) or None,
        "sharing": F.values(ds, SHARING) or None,
        "credit": F.values(ds, ("credit_platform_ministries_connected",)) or None,
        "credit_records": F.series(ds, "credit_info_records"),
        "licence_types": F.series(ds, "e_licence_types"),
        "licence_uses": F.series(ds, "e_licence_sharing_services"),
        "licence_use_faster": grows_faster(
            F.series(ds, "e_licence_sharing_services"), F.series(ds, "e_licence_types")
        ),
        # 机构、地区与政务公开
        "agency_shares": F.values(ds, AGENCY_SHARES) or None,
        "plan_shares": F.values(ds, PLAN_SHARES) or None,
        "plans_lag": shares_gap(ds),
        "regional": regional_leaders(ds),
        "regional_without": regional_without_dimension(ds) or None,
        "gov_websites": gov_websites,
        "gov_websites_series": F.series(ds, "gov_websites"),
        "websites": F.values(ds, WEBSITES) or None,
        "ministry_websites": F.value(ds, "state_council_depts_with_websites"),
        "ministry_release": F.value(ds, "state_council_depts_info_release_system_share"),
        # 法院与监管
        "litigation": litigation,
        "litigation_paces": litigation_paces or None,
        "litigation_in_pandemic": litigation_in_pandemic(ds, litigation),
        "courts": F.values(ds, COURTS) or None,
        "filing_share": F.value(ds, "courts_online_filing_share"),
        "judgments": F.series(ds, "court_judgments_published"),
        "regulation": F.values(ds, REGULATION) or None,
        # 疫情
        "pandemic": F.values(ds, PANDEMIC) or None,
        # 规划
        "card": card or None,
    }


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "un_egov_rank",
        "national_gov_platform_users",
        "provincial_licence_online_onevisit_share",
        "e_litigation_share",
        "cross_province_services",
    )
    return exhibits.headline_values(ds, ids)


# ----------------------------------------------------------------------------------------------------------
# Charts


def coverage_frame(ds: Any) -> pd.DataFrame:
    """Latest value of each coverage rate, labelled for the bars."""
    return exhibits.latest_frame(ds, list(COVERAGE), labels=COVERAGE)


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    ranks = exhibits.rank_frame(ds, RANKS, "index")
    highlight = list(dict.fromkeys(ranks["index"])) if not ranks.empty else []
    return {
        "ranks": exhibits.rank_chart(ranks, label="index", highlight=highlight),
        "scale": exhibits.chart(
            exhibits.multi_year_frame(ds, SCALE_PANELS), charts.small_multiples, min_years=2, columns=2
        ),
        "coverage": exhibits.bars(coverage_frame(ds), by="item"),
        "litigation": exhibits.trend_chart(exhibits.series_frame(ds, LITIGATION)),
        "plan": exhibits.plan_chart(ds, DOMAINS),
    }


__all__ = ["SLUG", "facts", "figures", "headline"]
