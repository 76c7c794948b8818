"""Computations behind chapter 06 数字政府 (slug ``government``).

The notebook glues what :func:`texts` returns and shows what :func:`figures` builds, so every number and
every comparison in the chapter's prose is computed from the edition's dataset and stays true when a new
report is added. Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``, ``series``,
``indicators``, ``sources``, ``targets``, ``regional``, ``edition``), so the tests can use small
hand-made datasets.

Digital-government figures are mostly platform counters (users, items, calls) printed once, often as
lower bounds (超过 …). Two comparisons here need care and say so in their sentences: the plan's
在线政务服务实名用户 target against the national platform's real-name users (:func:`users_vs_plan_sentence`,
the documents do not say the two counts are the same), and the plan's 网上办理率 target against the
reports' 网上受理和“最多跑一次”比例 (:func:`approval_sentence`). The generic helpers come from
:mod:`dcbook.chapters.common`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, fmt
from dcbook.chapters import common

SLUG = "government"
DOMAINS: tuple[str, ...] = ("digital_government",)
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
#: Coverage and online-handling rates (all in %): one bar chart of their latest values.
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
#: “跨省通办” and “一网通办” counters, in the order the sentence lists them.
CROSS_PROVINCE: tuple[str, ...] = (
    "cross_province_high_freq_items",
    "cross_province_convenience_services",
    "cross_province_services",
    "regional_joint_services",
    "point_to_point_interprovincial_services",
)
#: Government data sharing (counters of the national platform and the exchange system).
SHARING: tuple[str, ...] = (
    "data_sharing_departments_all_levels",
    "data_sharing_calls",
    "data_returned_to_localities",
)
#: 智慧法院 and 智慧检务 counters (latest values).
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
#: Who has set up a data authority or published a digital-government plan (shares, %).
INSTITUTIONS: tuple[str, ...] = (
    "provinces_gov_data_agency_share",
    "key_cities_gov_data_agency_share",
    "provinces_digital_gov_plans_share",
    "key_cities_digital_gov_plans_share",
)
#: The 2017 report's platform counters (the earliest picture of online government services).
EARLY: tuple[str, ...] = (
    "provincial_online_service_platforms",
    "provincial_online_service_items",
    "gov_wechat_accounts",
    "gov_weibo_accounts",
)
#: Name of the digital-government dimension in the regional evaluations.
REGIONAL_DIMENSION = "数字政府"
#: The plan target the national platform's users are compared with, and the comparison indicator.
USERS_TARGET = ("online_gov_service_real_name_users", "national_gov_platform_users")
#: The plan's online-handling target and the reports' nearest (but differently defined) measure.
APPROVAL_TARGET = ("provincial_online_approval_rate", "provincial_licence_online_onevisit_share")


# ----------------------------------------------------------------------------------------------------------
# Chapter helpers


def rank_frame(ds: Any) -> pd.DataFrame:
    """China's UN e-government ranks as a bump-chart frame (one line per index)."""
    return common.rank_frame(ds, RANKS, "index")


def peer_regions(ds: Any, indicator_id: str, year: int, value: float) -> list[str]:
    """Other economies/regions with the same value of ``indicator_id`` in ``year`` (ties in a ranking)."""
    res = getattr(ds, "resolved", None)
    if res is None or res.empty:
        return []
    rows = res[(res["indicator_id"] == indicator_id) & (res["region"] != "全国") & (res["year"] == year)]
    return [str(r) for r in rows.loc[rows["value"].astype(float) == value, "region"]]


def plan_row(ds: Any, indicator_id: str, plan: str = "fyp14") -> pd.Series | None:
    """The visible target row of ``plan`` for ``indicator_id`` (None when the edition has no such target)."""
    t = ds.targets
    if t is None or t.empty:
        return None
    visible = set(ds.sources["source_id"])
    rows = t[(t["indicator_id"] == indicator_id) & (t["plan"] == plan) & t["source_id"].isin(visible)]
    return None if rows.empty else rows.iloc[0]


# ----------------------------------------------------------------------------------------------------------
# Chapter 06 sentences


def un_sentence(ds: Any) -> str:
    """EGDI rank movement plus the index values and the online-service rank where printed."""
    text = common.rank_sentence(ds, "un_egov_rank", "联合国电子政务发展指数")
    extra = []
    for ind in ("un_egdi_value", "un_osi_value"):
        row = ds.latest(ind)
        if row is not None:
            extra.append(f"{int(row['year'])} 年{common.name_of(ds, ind)}{common.row_predicate(row)}")
    osi = ds.latest("un_osi_rank")
    if osi is not None:
        others = peer_regions(ds, "un_osi_rank", int(osi["year"]), float(osi["value"]))
        tie = f"，与{'、'.join(others)}并列" if others else ""
        extra.append(f"{common.name_of(ds, 'un_osi_rank')}为第 {int(osi['value'])} 位{tie}")
    return text + ("；" + "，".join(extra) if extra else "")


def users_sentence(ds: Any) -> str:
    """Real-name users of the national platform, and CNNIC's online-service users where printed."""
    text = common.trend_sentence(ds, "national_gov_platform_users")
    cnnic = ds.latest("online_gov_service_users")
    share = ds.latest("online_gov_service_users_share")
    if cnnic is not None:
        text += f"；另据网民调查口径，{common.latest_sentence(ds, 'online_gov_service_users')}"
        if share is not None:
            text += f"，占网民整体的{common.lead(common.row_text(share))}"
    return text


def users_vs_plan_sentence(ds: Any) -> str:
    """The 14th-FYP real-name-user target against the national platform's latest real-name users."""
    target_id, obs_id = USERS_TARGET
    t = plan_row(ds, target_id)
    if t is None:
        return "本版资料尚未包含在线政务服务实名用户的规划目标"
    goal = fmt.fmt_number(float(t["target_value"]), str(t["unit"]))
    head = (
        f"“十四五”国家信息化规划要求{common.name_of(ds, target_id)}到 {int(t['target_year'])} 年达到 {goal}"
    )
    if pd.notna(t["base_value"]):
        head += f"（{int(t['base_year'])} 年为 {fmt.fmt_number(float(t['base_value']), str(t['unit']))}）"
    row = ds.latest(obs_id)
    if row is None or int(row["year"]) <= int(t["base_year"] if pd.notna(t["base_year"]) else 0):
        return head + "；本版资料尚无规划基期之后的数据"
    from dcbook import units

    target = float(t["target_value"]) * units.factor(str(t["unit"]), common.unit_of(row))
    v = float(row["value"])
    if v >= target:
        verdict = f"已高于规划 {int(t['target_year'])} 年的目标值"
    else:
        verdict = f"相当于目标值的 {fmt.fmt_pct(v / target)}"
    return (
        head
        + f"；报告给出的 {int(row['year'])} 年{common.name_of(ds, obs_id)}{common.predicate(v, common.unit_of(row), common.qual(row))}，"
        + f"若两者口径相同，则{verdict}。但规划表与年度报告用的是不同的名称，资料没有说明两者是否为同一统计口径，"
        + "因此本书的规划进度判断仍把这一目标记为“无数据”"
    )


def approval_sentence(ds: Any) -> str:
    """Online handling of provincial licensing items: trend, zero-visit share, and the plan's own measure."""
    target_id, obs_id = APPROVAL_TARGET
    text = (
        common.share_trend_sentence(ds, obs_id)
        if ds.latest(obs_id) is not None
        else common.no_data_sentence(ds, obs_id)
    )
    zero = ds.latest("provincial_licence_zero_visit_share")
    if zero is not None:
        text += common.join_words("；其中", common.latest_sentence(ds, "provincial_licence_zero_visit_share"))
    cut = ds.latest("provincial_licence_time_cut")
    if cut is not None:
        text += f"；{common.latest_sentence(ds, 'provincial_licence_time_cut')}"
    t = plan_row(ds, target_id)
    if t is not None:
        base = (
            f"{int(t['base_year'])} 年为 {fmt.fmt_number(float(t['base_value']), str(t['unit']))}，"
            if pd.notna(t["base_value"])
            else ""
        )
        text += (
            f"。“十四五”规划使用的是另一个口径——{common.name_of(ds, target_id)}，{base}"
            f"目标是 {common.target_text({'comparator': t['comparator'], 'target_year': t['target_year'], 'target_value': t['target_value'], 'unit': t['unit']})}"
        )
        later = common.series_of(ds, target_id)
        later = later[later["year"] > int(t["base_year"])] if pd.notna(t["base_year"]) else later
        if later.empty:
            text += "，本版资料没有给出基期之后的该口径数值，因此无法评估进度"
    return text


def cross_province_sentence(ds: Any) -> str:
    """“跨省通办” counters present in the edition."""
    return common.latest_sentences(ds, CROSS_PROVINCE, "本版资料尚未给出“跨省通办”的量化数据")


def sharing_sentence(ds: Any) -> str:
    """Exchange-system scale and electronic licences (types and sharing services, with trend)."""
    parts = [common.latest_sentence(ds, i) for i in SHARING if ds.latest(i) is not None]
    for ind in ("e_licence_types", "e_licence_sharing_services"):
        s = common.series_of(ds, ind)
        if len(s) >= 2:
            parts.append(common.trend_sentence(ds, ind))
        elif len(s) == 1:
            parts.append(common.latest_sentence(ds, ind))
    return "；".join(parts) if parts else "本版资料尚未给出政务数据共享交换的规模"


def courts_sentence(ds: Any) -> str:
    """E-litigation share trend and the online-court counters."""
    parts = []
    if not common.series_of(ds, "e_litigation_share").empty:
        parts.append(common.share_trend_sentence(ds, "e_litigation_share"))
    parts.extend(common.latest_sentence(ds, i) for i in COURTS if ds.latest(i) is not None)
    judgments = common.series_of(ds, "court_judgments_published")
    if len(judgments) >= 2:
        parts.append(common.trend_sentence(ds, "court_judgments_published"))
    return "；".join(parts) if parts else "本版资料尚未给出智慧法院的量化数据"


def institutions_sentence(ds: Any) -> str:
    """Shares of provinces and key cities with a data authority and a published digital-government plan."""
    frame = common.latest_frame(ds, INSTITUTIONS)
    if frame.empty:
        return "本版资料尚未给出各地设立政务数据管理机构、出台数字政府规划的情况"
    parts = [f"{r['name_zh']}{common.row_predicate(r)}" for _, r in frame.iterrows()]
    year = int(frame["year"].max())
    text = f"截至 {year} 年，" + "，".join(parts)
    agency = frame[frame["indicator_id"].str.contains("data_agency")]["value"].astype(float)
    plans = frame[frame["indicator_id"].str.contains("plans")]["value"].astype(float)
    if not agency.empty and not plans.empty:
        if plans.max() < agency.min():
            text += "。无论省级还是重点城市，出台数字政府规划的比例都低于明确数据管理机构的比例"
        else:
            text += "。出台数字政府规划的比例并不都低于明确数据管理机构的比例"
    return text


def early_sentence(ds: Any) -> str:
    """The earliest platform picture (省级网上政务服务平台, 政务新媒体) where the edition has it."""
    return common.latest_sentences(ds, EARLY, "本版资料尚未给出省级网上政务服务平台和政务新媒体的数量")


def websites_sentence(ds: Any) -> str:
    """Government website consolidation and the channels for public comment."""
    parts = []
    if ds.latest("gov_websites") is not None:
        parts.append(
            common.latest_sentence(ds, "gov_websites")
            + "（报告称此后已大幅精简，但精简后的数量没有注明时点，本书未予收录）"
        )
    for ind in (
        "provincial_gov_drafts_online_share",
        "city_gov_drafts_online_share",
        "gov_websites_error_messages",
    ):
        if ds.latest(ind) is not None:
            parts.append(common.latest_sentence(ds, ind))
    return "；".join(parts) if parts else "本版资料尚未给出政府网站与政务公开的量化数据"


def regional_sentence(ds: Any) -> str:
    """The provinces the latest regional evaluation lists in its digital-government top ten."""
    reg = ds.regional
    if reg is None or reg.empty:
        return "本版资料没有分地区的数字政府评价"
    sub = reg[reg["dimension"] == REGIONAL_DIMENSION]
    if sub.empty:
        return "本版资料的地区评价没有单列数字政府维度"
    year = int(sub["year"].max())
    sub = sub[sub["year"] == year]
    if sub["rank"].notna().any():
        sub = sub.sort_values("rank", kind="stable")
    names = "、".join(str(p) for p in sub["province"])
    order = "按名次" if sub["rank"].notna().all() else "报告未给出名次，按原文顺序"
    return f"{year} 年数字政府建设水平居前的 {len(sub)} 个省份（{order}）为{names}"


def regulation_sentence(ds: Any) -> str:
    """“互联网+监管” system scale."""
    return common.latest_sentences(ds, REGULATION, "本版资料尚未给出“互联网+监管”系统的量化数据")


def pandemic_sentence(ds: Any) -> str:
    """Health code and itinerary card usage."""
    return common.latest_sentences(ds, PANDEMIC, "本版资料所覆盖的时期尚无疫情防控相关的政务数据")


def coverage_takeaway(frame: pd.DataFrame) -> str | None:
    """Chart subtitle for the coverage bars: how many rates, from which years, highest and lowest."""
    if frame.empty:
        return None
    top = frame.sort_values("value", ascending=False, kind="stable")
    hi, lo = top.iloc[0], top.iloc[-1]
    span = fmt.fmt_year_span(int(frame["year"].min()), int(frame["year"].max()))
    return (
        f"{len(frame)} 项比率取各自最新年份（{span}）：最高为{COVERAGE[hi['indicator_id']]}"
        f"（{common.row_text(hi)}），"
        f"最低为{COVERAGE[lo['indicator_id']]}（{common.row_text(lo)}）"
    )


def rank_gap_sentence(ds: Any) -> str:
    """How far the online-service rank is ahead of (or behind) the composite EGDI rank in the same year."""
    egdi, osi = ds.latest("un_egov_rank"), ds.latest("un_osi_rank")
    if egdi is None or osi is None:
        return "本版资料没有同一年份的电子政务发展指数与在线服务指数排名，无法比较"
    if int(egdi["year"]) != int(osi["year"]):
        return "本版资料中两项联合国排名的年份不同，无法直接比较"
    gap = int(egdi["value"]) - int(osi["value"])
    where = (
        f"比综合排名靠前 {gap} 位"
        if gap > 0
        else f"比综合排名靠后 {-gap} 位"
        if gap < 0
        else "与综合排名相同"
    )
    return (
        f"同为 {int(egdi['year'])} 年，在线服务指数排第 {int(osi['value'])} 位，"
        f"综合的电子政务发展指数排第 {int(egdi['value'])} 位，在线服务{where}"
    )


def online_gap_sentence(ds: Any) -> str:
    """Gap between items accepted online and items handled with no visit at all, in the same year."""
    a = ds.latest("provincial_licence_online_onevisit_share")
    b = ds.latest("provincial_licence_zero_visit_share")
    if a is None or b is None or int(a["year"]) != int(b["year"]):
        return "本版资料没有同一年份的“网上受理”与“零跑动”比例，无法比较两者的差距"
    gap = float(a["value"]) - float(b["value"])
    return (
        f"{int(a['year'])} 年能在网上受理或最多跑一次的事项，比完全不用跑的事项高出 "
        f"{fmt.fmt_plain(gap, 2 if gap % 1 else 0)} 个百分点"
    )


def platform_shift(ds: Any) -> str:
    """Whether the edition already covers the national integrated platform (it opened after 2017)."""
    if (
        ds.latest("national_gov_platform_users") is None
        and ds.latest("national_gov_platform_service_items") is None
    ):
        return "本版资料尚未涉及全国一体化政务服务平台"
    return "此后，建设重心转向全国一体化政务服务平台"


def scale_note(ds: Any) -> str:
    """How many plotted scale points are lower bounds (hollow points), so growth between them is rough."""
    frame = common.multi_year_frame(ds, SCALE_PANELS)
    if frame.empty:
        return "本版资料中这些平台指标都不足两个年份，无法观察增长"
    n_low = int((frame["qualifier"] != "exact").sum())
    if n_low == 0:
        return f"图中 {len(frame)} 个数据点都是精确值"
    return (
        f"图中 {len(frame)} 个数据点中有 {n_low} 个是“超过”“约”之类的非精确值（空心点），"
        "由它们算出的增幅只是粗略估计"
    )


def cross_reading(ds: Any) -> str:
    """Caveat when several differently defined 通办 counters are present."""
    present = [i for i in CROSS_PROVINCE if ds.latest(i) is not None]
    if len(present) < 2:
        return "本版资料中的通办数字太少，无法观察变化"
    return (
        f"这 {len(present)} 个数字统计的对象各不相同（见各自的名称），不能连成“通办事项由多少增至多少”的序列"
    )


def _growth_ratio(ds: Any, indicator_id: str) -> float | None:
    s = common.series_of(ds, indicator_id)
    if len(s) < 2 or float(s.iloc[0]["value"]) <= 0:
        return None
    return float(s.iloc[-1]["value"]) / float(s.iloc[0]["value"])


def licence_reading(ds: Any) -> str:
    """Whether electronic-licence use (sharing services) grows faster than the licence catalogue (types)."""
    use, kinds = _growth_ratio(ds, "e_licence_sharing_services"), _growth_ratio(ds, "e_licence_types")
    if use is None or kinds is None:
        return "本版资料中电子证照的数据不足两个年份，无法比较“汇聚”与“使用”的增长"
    word = "快于" if use > kinds else "慢于" if use < kinds else "等于"
    tail = (
        "说明已汇聚的证照正在被更频繁地调用，这比单纯的“接入了多少”更能反映共享的实际效果"
        if use > kinds
        else "说明汇聚的证照还没有被相应地用起来"
    )
    return f"电子证照共享次数的增长{word}证照种类的增长，{tail}"


def regional_reading(ds: Any) -> str:
    """What a top-ten list can and cannot say (only when the edition has one)."""
    reg = ds.regional
    if reg is None or reg.empty or (reg["dimension"] == REGIONAL_DIMENSION).sum() == 0:
        return "因此本版无法从数字政府的角度比较各省"
    sub = reg[reg["dimension"] == REGIONAL_DIMENSION]
    if sub["score"].notna().any():
        return "报告给出了得分，可据此比较省份之间的差距，详见地区评价一章"
    return (
        "报告只公布了这一名单，没有公布得分和其余省份的位次，因此无法判断领先省份与其他省份的差距有多大，"
        "也无法判断名单之外的省份处在什么位置"
    )


def websites_reading(ds: Any) -> str:
    """Reading of website consolidation, only when the edition has the website count."""
    if ds.latest("gov_websites") is None:
        return "本版资料没有政府网站数量的数据，无法观察网站集约化的进展"
    return (
        "政府网站数量的大幅减少是集约化改革的结果，不代表公开程度下降；但网站精简后公众从哪里、"
        "以什么方式获得信息，资料没有提供可比的数据"
    )


def litigation_plans(ds: Any) -> str:
    """How many visible plans set an e-litigation target (one or both five-year plans)."""
    t = ds.targets
    if t is None or t.empty:
        return "本版资料中没有为电子诉讼占比设定的规划目标"
    visible = set(ds.sources["source_id"])
    plans = sorted(set(t[(t["indicator_id"] == "e_litigation_share") & t["source_id"].isin(visible)]["plan"]))
    if not plans:
        return "本版资料中没有为电子诉讼占比设定的规划目标"
    names = "和".join(f"“{'十三五' if p == 'fyp13' else '十四五' if p == 'fyp14' else p}”" for p in plans)
    return (
        f"电子诉讼占比是{names}国家信息化规划都设定了目标的指标"
        if len(plans) > 1
        else (f"电子诉讼占比是{names}国家信息化规划设定了目标的指标")
    )


def _pandemic_years(ds: Any) -> list[int]:
    return sorted({int(ds.latest(i)["year"]) for i in PANDEMIC if ds.latest(i) is not None})


def litigation_reading(ds: Any) -> str:
    """Reading of the e-litigation jump: pandemic-era context only when the edition covers that period."""
    s = common.series_of(ds, "e_litigation_share")
    if s.empty:
        return "本版资料没有电子诉讼占比的数据"
    years = _pandemic_years(ds)
    if years and int(s["year"].max()) >= years[0]:
        return (
            f"电子诉讼占比的最新值（{int(s['year'].max())} 年）正处在疫情防控期间，线下诉讼受限推高了线上比例，"
            "疫情因素消退后能否保持上升势头，需要后续年份的数据检验"
        )
    last = s.iloc[-1]
    return (
        f"本版资料中电子诉讼占比的数据截至 {int(last['year'])} 年，都在疫情之前；"
        "资料没有说明这一比例上升的原因，仅凭这些数字无法区分是哪些做法推动了增长"
    )


def pandemic_reading(ds: Any) -> str:
    """Reading of the health-code figures, only when the edition has them."""
    if not _pandemic_years(ds):
        return "本版资料所覆盖的时期，这方面的数字政府应用尚无记录"
    return (
        "健康码在极短时间内覆盖全国，体现了一体化平台和跨部门数据共享的动员能力；与此同时，"
        "它也把个人信息保护、老年人等群体的使用障碍等问题推到了台前"
    )


#: Indicators of the sections' data paragraphs (chapter 06's notebook glues one ``*_text`` per paragraph).
SERVICE_ITEMS: tuple[str, ...] = (
    "national_gov_platform_service_items",
    "national_gov_platform_standard_services",
    "regions_five_level_gov_services",
)
APPROVAL: tuple[str, ...] = (
    "provincial_licence_online_onevisit_share",
    "provincial_licence_zero_visit_share",
    "provincial_licence_time_cut",
)
LICENCES: tuple[str, ...] = ("e_licence_types", "e_licence_sharing_services")
WEBSITES: tuple[str, ...] = (
    "gov_websites",
    "provincial_gov_drafts_online_share",
    "city_gov_drafts_online_share",
    "gov_websites_error_messages",
)


def litigation_pace(ds: Any, card: pd.DataFrame) -> str:
    """The e-litigation target of every visible plan, compared with the data ("" when no plan sets one;
    :func:`litigation_plans` then says so)."""
    plans = sorted(set(card.loc[card["indicator_id"] == "e_litigation_share", "plan"].astype(str)))
    name = common.name_of(ds, "e_litigation_share")
    return "；".join(common.pace_sentence(card, "e_litigation_share", p, name=name) for p in plans)


def section_texts(ds: Any, card: pd.DataFrame | None = None) -> dict[str, str]:
    """The sections' data paragraphs (``*_text`` glue keys): each section names what it lacks once.

    A section with no figure in the edition is one sentence listing the missing indicators; otherwise
    the pieces that have data read as the full analysis and the missing ones are listed once at its end.
    """
    card = common.plan_card(ds, DOMAINS) if card is None else card
    pace = litigation_pace(ds, card)
    users = "national_gov_platform_users"
    sections = [
        common.section_texts(
            ds,
            {
                "un_text": [(f"从本版数据看，{un_sentence(ds)}。", ("un_egov_rank",))],
                "rank_gap_text": [
                    (
                        f"两个指数的差别值得细看：{rank_gap_sentence(ds)}。在线服务分项衡量的是政府网站和平台提供服务的"
                        "广度与成熟度，这正是近年政务服务平台建设集中发力的方向；综合指数则被电信基础设施和人力资本两个分项"
                        "拉低，后者取决于受教育年限、成人识字率等长期因素，不是政务部门在几年内能够改变的。因此，报告中"
                        "“电子政务排名”的表述需要分清指的是哪一个指数——不同文件引用的往往是对我国更有利的那一个。"
                        "排名本身也是相对位置，别国进步慢同样会让我国名次上升，它适合观察长期方向，不宜用来比较单个年份的得失。",
                        ("un_osi_rank",),
                    )
                ],
            },
            area="联合国电子政务调查",
        ),
        common.section_texts(
            ds,
            {
                "platform_text": [
                    (f"最早的全国性图景来自省级网上政务服务平台和政务新媒体：{early_sentence(ds)}。", EARLY),
                    (
                        "此后，建设重心转向全国一体化政务服务平台。",
                        (users, "national_gov_platform_service_items"),
                    ),
                    (f"用户规模方面，{users_sentence(ds)}。", (users, "online_gov_service_users")),
                    (f"平台接入的事项方面，{common.said(ds, SERVICE_ITEMS)}。", SERVICE_ITEMS),
                ]
            },
            area="政务服务平台",
        ),
        common.section_texts(
            ds,
            {
                "approval_text": [(f"就本版资料而言，{approval_sentence(ds)}。", APPROVAL)],
                "online_gap_text": [
                    (
                        f"进一步看，{online_gap_sentence(ds)}。“网上受理”只要求申请能在网上提交，后续仍可能要求到现场核验"
                        "或领取结果；“零跑动”才意味着全流程不见面。两者之间的差距，大致就是“网上能交、还得去跑”的那部分事项。",
                        ("provincial_licence_zero_visit_share",),
                    )
                ],
            },
            area="省级行政许可事项的网上办理",
        ),
        common.section_texts(
            ds,
            {
                "cross_text": [
                    (f"资料中的数字是：{cross_province_sentence(ds)}。{cross_reading(ds)}。", CROSS_PROVINCE)
                ],
                "sharing_text": [
                    (
                        f"支撑通办的是政务数据共享：{sharing_sentence(ds)}。{licence_reading(ds)}。",
                        (*SHARING, *LICENCES),
                    )
                ],
            },
            area="跨省通办与政务数据共享",
        ),
        common.section_texts(
            ds,
            {
                "institutions_text": [
                    (
                        f"{institutions_sentence(ds)}。数据管理机构的设立可以通过一纸编制文件完成，而整体规划需要在部门之间"
                        "就系统、数据和流程达成一致，后者的难度更能说明地方数字政府所处的阶段。",
                        INSTITUTIONS,
                    )
                ],
                "websites_text": [
                    (
                        f"政务公开的渠道也在变化：{websites_sentence(ds)}。",
                        WEBSITES,
                    ),
                    (f"{websites_reading(ds)}。", ("gov_websites",)),
                ],
            },
            area="数字政府机构与政务公开",
        ),
        common.section_texts(
            ds,
            {
                "regulation_text": [
                    (
                        f"在线监管方面，{regulation_sentence(ds)}。这些数字说明监管系统已经连通、数据已经汇聚，但监管是否因此"
                        "更精准、更公平，资料没有给出诸如抽查命中率、处罚时效之类的效果指标。",
                        REGULATION,
                    )
                ]
            },
            area="“互联网+监管”",
        ),
    ]
    out = {k: v for sec in sections for k, v in sec.items()}
    out["litigation_pace_text"] = f"对照规划：{pace}。" if pace else ""
    return out


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "un_egov_rank",
        "national_gov_platform_users",
        "provincial_licence_online_onevisit_share",
        "e_litigation_share",
        "cross_province_services",
    )
    return common.headline_texts(ds, ids)


def growth_computable(ds: Any, indicator_id: str) -> bool:
    """Whether a growth rate of the series can be stated: two or more years, and not both ends bounds
    (超过 4 亿 → 超过 10 亿 bounds neither the growth from above nor from below)."""
    s = common.series_of(ds, indicator_id)
    if len(s) < 2 or float(s.iloc[0]["value"]) <= 0:
        return False
    return "exact" in (common.qual(s.iloc[0]), common.qual(s.iloc[-1]))


def key_findings(ds: Any, card: pd.DataFrame | None = None) -> list[str]:
    """Four findings for the 本章要点 box, each a complete sentence computed from the edition's data."""
    card = common.plan_card(ds, DOMAINS) if card is None else card
    findings = []
    if ds.latest("un_egov_rank") is not None:
        findings.append(common.rank_sentence(ds, "un_egov_rank", "联合国电子政务发展指数") + "。")
    else:
        findings.append(early_sentence(ds).split("；")[0] + "。")
    growth = [i for i in common.level_indicators(ds, DOMAINS) if growth_computable(ds, i)]
    if growth_computable(ds, "national_gov_platform_users"):
        findings.append(common.trend_sentence(ds, "national_gov_platform_users") + "。")
    elif growth:  # users given once, or only as bounds: the fastest growth that can be computed
        findings.append(common.fastest_sentence(ds, growth, "数字政府") + "。")
    elif ds.latest("national_gov_platform_users") is not None:
        findings.append(common.trend_sentence(ds, "national_gov_platform_users") + "。")
    else:
        findings.append(
            common.latest_sentences(
                ds, ("courts_online_filing_share",), "本版资料尚未给出政务服务平台的用户规模"
            )
            + "。"
        )
    if ds.latest(APPROVAL_TARGET[1]) is not None:
        findings.append(common.share_trend_sentence(ds, APPROVAL_TARGET[1]) + "。")
    elif common.has_data(ds, CROSS_PROVINCE):
        findings.append(cross_province_sentence(ds).split("；")[0] + "。")
    elif ds.latest("e_litigation_share") is not None:  # a computed change rather than a no-data finding
        findings.append(common.share_trend_sentence(ds, "e_litigation_share") + "。")
    else:
        findings.append(cross_province_sentence(ds) + "。")
    findings.append(common.plan_finding(card, "数字政府"))
    return findings


def texts(ds: Any) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``government_``)."""
    card = common.plan_card(ds, DOMAINS)
    out: dict[str, str] = {
        **common.base_texts(ds, DOMAINS),
        "users_plan": users_vs_plan_sentence(ds),
        "courts": courts_sentence(ds),
        "pandemic": pandemic_sentence(ds),
        "regional": regional_sentence(ds),
        "scale_note": scale_note(ds),
        "regional_reading": regional_reading(ds),
        "litigation_plans": litigation_plans(ds),
        "litigation_reading": litigation_reading(ds),
        "pandemic_reading": pandemic_reading(ds),
        "plan": common.plan_sentence(card, "数字政府"),
        **section_texts(ds, card),
    }
    return out | common.key_texts(key_findings(ds, card))


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    ranks = rank_frame(ds)
    scale = common.multi_year_frame(ds, SCALE_PANELS)
    coverage = common.latest_frame(ds, list(COVERAGE))
    if not coverage.empty:
        coverage["item"] = [COVERAGE[i] for i in coverage["indicator_id"]]
    return {
        "ranks": common.rank_figure(
            ranks,
            common.rank_sentence(ds, "un_egov_rank", "联合国电子政务发展指数"),
            title="我国在联合国电子政务调查中的排名",
            takeaway=common.rank_sentence(ds, "un_egov_rank", "电子政务发展指数"),
            label="index",
            highlight=list(dict.fromkeys(ranks["index"])) if not ranks.empty else [],
        ),
        "scale": common.figure_or_note(
            scale,
            charts.small_multiples,
            "本版资料中没有两个以上年份的政务平台规模指标，无法绘制增长图。",
            title="全国性政务平台的规模",
            takeaway=common.multiples_takeaway(scale),
            columns=2,
        ),
        "coverage": common.figure_or_note(
            coverage,
            charts.bar_ranking,
            "本版资料尚未给出政务服务与政务公开的覆盖比例。",
            title="政务服务与政务公开的覆盖程度",
            takeaway=coverage_takeaway(coverage),
            by="item",
        ),
        "litigation": common.trend_figure(
            common.series_of(ds, "e_litigation_share"),
            "本版资料中电子诉讼占比不足两个年份，无法绘制趋势图。",
            title="电子诉讼占比",
        ),
        "plan": common.plan_figure(ds, common.plan_card(ds, DOMAINS), "数字政府"),
    }
