"""Computations behind chapter 08 数字文化与数字生态文明 (slug ``culture_ecology``).

The notebook glues what :func:`texts` returns and shows what :func:`figures` builds. This domain has thin,
uneven data: most indicators appear in one report only, and the reports change what they count from one
year to the next. So besides the usual sentences, the module measures the *coverage* itself (how many
figures each source gives) and says plainly when an edition has nothing to say.

The coverage helpers it shares with chapters 09 and 10, the other two thin-data domains, live in
:mod:`dcbook.chapters.common`.
"""

from __future__ import annotations

from typing import Any

from dcbook import charts, fmt
from dcbook.chapters import common

SLUG = "culture_ecology"
DOMAINS: tuple[str, ...] = ("culture_ecology",)
#: Ecology indicators of the culture_ecology domain (the rest is culture); new ids fall back to keywords.
ECOLOGY: frozenset[str] = frozenset(
    {
        "env_monitoring_centers", "radiation_monitoring_stations", "pollution_monitored_enterprises",
        "pollution_monitoring_points", "uhv_line_length", "uhv_annual_transmission",
        "smart_energy_pilot_projects", "eco_env_regulation_pilot_regions", "natural_resources_data_layers",
        "natural_resources_data_elements", "meteorological_data_added", "water_objects_updated",
        "river_lake_data_river_sections", "forestry_informatization_rate", "green_power_trading_provinces",
        "green_power_trading_participants", "green_power_traded", "rooftop_pv_pilot_counties",
        "ride_hailing_orders", "domestic_satellite_data_self_sufficiency",
    }
)  # fmt: skip
ECOLOGY_WORDS: tuple[str, ...] = (
    "生态",
    "环境",
    "能源",
    "绿电",
    "光伏",
    "碳",
    "水利",
    "林草",
    "气象",
    "自然资源",
)
SUBDOMAIN_ZH: dict[str, str] = {"culture": "数字文化", "ecology": "数字生态"}
#: Broadcasting channels (unit 个): one line chart.
CHANNELS: tuple[str, ...] = ("hd_tv_channels", "uhd_4k_channels", "uhd_8k_channels")
#: Audience and user counts that several reports repeat: small multiples where two years exist.
AUDIENCE_TRENDS: tuple[str, ...] = (
    "cable_tv_users", "digital_cable_tv_users", "dbs_satellite_users", "cable_hd_users",
    "public_culture_cloud_visits",
)  # fmt: skip
#: Audience sizes in 亿 (one bar chart of the latest values).
AUDIENCES: tuple[str, ...] = ("online_video_users", "digital_reading_users", "cable_hd_users")

# ----------------------------------------------------------------------------------------------------------
# Chapter 08 sentences


def subdomain(ds: Any, indicator_id: str) -> str:
    """ "ecology" or "culture" for an indicator of the culture_ecology domain."""
    if indicator_id in ECOLOGY:
        return "ecology"
    name = common.name_of(ds, indicator_id)
    return "ecology" if any(w in name for w in ECOLOGY_WORDS) else "culture"


def split_ids(ds: Any) -> dict[str, list[str]]:
    """The domain's ids split into 数字文化 / 数字生态 (keys of :data:`SUBDOMAIN_ZH`' values)."""
    out: dict[str, list[str]] = {v: [] for v in SUBDOMAIN_ZH.values()}
    for ind in common.domain_ids(ds, DOMAINS):
        out[SUBDOMAIN_ZH[subdomain(ds, ind)]].append(ind)
    return out


def channels_sentence(ds: Any) -> str:
    """HD channels trend and the newest ultra-HD channel counts."""
    parts = [common.trend_sentence(ds, "hd_tv_channels")]
    for ind in ("uhd_4k_channels", "uhd_8k_channels"):
        if ds.latest(ind) is not None:
            parts.append(common.latest_sentence(ds, ind))
    if ds.latest("uhd_4k_channels") is None:
        parts.append("本版资料尚未给出超高清频道的数量")
    return "；".join(parts)


def uhd_share_sentence(ds: Any) -> str:
    """Ultra-HD (4K + 8K) channels as a share of HD channels in the latest common year."""
    hd = common.series_of(ds, "hd_tv_channels")
    uhd = common.series_of(ds, "uhd_4k_channels")
    if hd.empty or uhd.empty:
        return "本版资料不足以计算超高清频道在高清频道中的比重"
    y = common.last_shared_year(hd, uhd)
    if y is None:
        return "本版资料中高清频道与 4K 频道数不在同一年份，无法计算比重"
    n_hd = float(hd[hd["year"].astype(int) == y]["value"].iloc[0])
    n_uhd = float(uhd[uhd["year"].astype(int) == y]["value"].iloc[0])
    eight = common.series_of(ds, "uhd_8k_channels")
    eight = eight[eight["year"].astype(int) == y]
    n8 = float(eight["value"].iloc[0]) if not eight.empty else 0.0
    share = (n_uhd + n8) / n_hd
    what = "4K 与 8K 超高清频道合计" if n8 else "4K 超高清频道"
    return f"{y} 年{what}只占高清频道数的 {fmt.fmt_pct(share)}"


def cable_sentence(ds: Any) -> str:
    """Cable TV subscribers first → latest (the stagnation of the traditional pay-TV base)."""
    s = common.series_of(ds, "cable_tv_users")
    if s.empty:
        return common.no_data_sentence(ds, "cable_tv_users")
    text = common.trend_sentence(ds, "cable_tv_users")
    d = common.series_of(ds, "digital_cable_tv_users")
    if len(d) >= 2:
        first, last = d.iloc[0], d.iloc[-1]
        change = fmt.fmt_change(float(first["value"]), float(last["value"]), common.unit_of(last))
        text += (
            f"；有线数字电视用户在 {fmt.fmt_year_span(int(first['year']), int(last['year']))}"
            f"{'保持在 ' + fmt.fmt_number(float(last['value']), common.unit_of(last)) if change == '持平' else change}"
        )
    return text


def culture_cloud_sentence(ds: Any) -> str:
    """Visits to the national public culture cloud; a lower-bound latest value makes the change unknowable."""
    s = common.series_of(ds, "public_culture_cloud_visits")
    if s.empty:
        return common.no_data_sentence(ds, "public_culture_cloud_visits")
    if len(s) == 1:
        return common.latest_sentence(ds, "public_culture_cloud_visits")
    a, b = s.iloc[-2], s.iloc[-1]
    va = common.row_predicate(a)
    vb = common.row_predicate(b)
    text = f"国家公共文化云的访问量 {int(a['year'])} 年{va}，{int(b['year'])} 年{vb}"
    if common.qual(b) == "lower_bound" and float(b["value"]) < float(a["value"]):
        text += "——后者只是下限，又可能是年度量而非累计量，两者无法判断升降"
    return text


def digital_culture_sentence(ds: Any) -> str:
    """Revenue of the digital-culture industries, growth and the gap to all culture firms."""
    rev = ds.latest("digital_culture_revenue")
    if rev is None:
        return "本版资料尚未给出数字文化新业态的营业收入"
    text = common.latest_sentence(
        ds, "digital_culture_revenue"
    )  # fmt moves 39,623 亿元 to 3.9623 万亿元 itself
    g = ds.latest("digital_culture_revenue_growth")
    if g is not None:
        text += f"，比上年增长{common.lead(common.value_text(ds, 'digital_culture_revenue_growth'))}"
    g2 = ds.latest("digital_culture_revenue_growth_2y_avg")
    if g2 is not None:
        text += f"，两年平均增长{common.lead(common.value_text(ds, 'digital_culture_revenue_growth_2y_avg'))}"
    gap = ds.latest("digital_culture_growth_gap_vs_culture")
    if gap is not None:
        text += f"，比文化企业平均增速高{common.lead(common.value_text(ds, 'digital_culture_growth_gap_vs_culture'))}"
    return text


def implied_growth_sentence(ds: Any) -> str:
    """Average growth of all culture firms implied by the digital-culture figures (two-year mean − gap)."""
    g2 = ds.latest("digital_culture_revenue_growth_2y_avg")
    gap = ds.latest("digital_culture_growth_gap_vs_culture")
    if g2 is None or gap is None:
        return "本版资料不足以推算文化企业整体的增速"
    other = float(g2["value"]) - float(gap["value"])
    return (
        f"按报告的表述推算，同期文化企业整体的两年平均增速约为 {fmt.fmt_plain(other, 1)}%，"
        f"数字文化新业态的增速约是它的 {fmt.fmt_plain(float(g2['value']) / other, 1)} 倍"
        if other > 0
        else "按报告的表述推算，同期文化企业整体几乎没有增长"
    )


def video_sentence(ds: Any) -> str:
    """Online video users, their share of netizens and the yearly increase."""
    if ds.latest("online_video_users") is None:
        return "本版资料尚未给出网络视频用户规模"
    text = common.latest_sentence(ds, "online_video_users")
    if ds.latest("online_video_user_share") is not None:
        text += f"，占网民的{common.lead(common.value_text(ds, 'online_video_user_share'))}"
    inc = ds.latest("online_video_users_increase")
    if inc is not None:
        text += f"，一年增加{common.lead(common.value_text(ds, 'online_video_users_increase'))}"
    return text


def reading_sentence(ds: Any) -> str:
    """Digital reading users (often a lower bound) against online video users of the same year."""
    read, video = ds.latest("digital_reading_users"), ds.latest("online_video_users")
    if read is None:
        return "本版资料尚未给出数字阅读用户规模"
    text = common.latest_sentence(ds, "digital_reading_users")
    if video is not None and int(video["year"]) == int(read["year"]):
        text += "，" + common.equiv_text(read, video, "网络视频用户")
    return text


def relics_sentence(ds: Any) -> str:
    """Cultural relics registered in the census (the digitisation base of museum work)."""
    a, b = ds.latest("immovable_relics_registered"), ds.latest("movable_relics_registered")
    if a is None and b is None:
        return "本版资料尚未给出文物普查登录的数量"
    return common.latest_sentences(
        ds, ("immovable_relics_registered", "movable_relics_registered"), "", sep="，"
    )


def early_culture_sentence(ds: Any) -> str:
    """What the 2017 report counted: digital libraries, rural cinema and central media apps."""
    ids = (
        "national_digital_library_preserved",
        "culture_sharing_project_resources",
        "rural_digital_cinema_chains",
        "cctv_app_downloads",
    )
    return common.latest_sentences(ds, ids, "本版资料没有给出早期文化资源数字化的数字")


def green_sentence(ds: Any) -> str:
    """Green power trading and rooftop PV pilots (2021), or the older energy-internet figures."""
    parts = []
    if ds.latest("green_power_traded") is not None:
        parts.append(
            f"{int(ds.latest('green_power_traded')['year'])} 年启动的首批绿电交易有 "
            f"{common.value_text(ds, 'green_power_trading_provinces')}省份、{common.value_text(ds, 'green_power_trading_participants')}市场主体参与，"
            f"成交电量{common.lead(common.value_text(ds, 'green_power_traded'))}"
        )
    if ds.latest("rooftop_pv_pilot_counties") is not None:
        parts.append(
            f"整县屋顶分布式光伏开发试点县为{common.lead(common.value_text(ds, 'rooftop_pv_pilot_counties'))}"
        )
    if ds.latest("uhv_line_length") is not None:
        parts.append(common.latest_sentence(ds, "uhv_line_length"))
        if ds.latest("uhv_annual_transmission") is not None:
            parts.append(f"特高压年输送电量{common.value_text(ds, 'uhv_annual_transmission')}")
    if not parts:
        return "本版资料没有给出绿色生产方面的数字"
    return "；".join(parts)


def monitoring_sentence(ds: Any) -> str:
    """Environmental monitoring and natural-resource data: the state's 'one map' data bases, per edition."""
    ids = (
        "env_monitoring_centers", "pollution_monitored_enterprises", "natural_resources_data_layers",
        "forestry_informatization_rate", "water_map_reservoirs", "water_map_hydrological_stations",
        "domestic_satellite_data_self_sufficiency",
    )  # fmt: skip
    return common.latest_sentences(ds, ids, "本版资料没有给出环境监测与资源数据方面的数字")


def green_scale_sentence(ds: Any) -> str:
    """Put the first green-power trade volume next to the UHV lines' yearly transmission (same unit)."""
    traded, uhv = ds.latest("green_power_traded"), ds.latest("uhv_annual_transmission")
    if traded is None:
        return "本版资料尚无绿电交易的成交量，无法判断其规模"
    if uhv is None:
        return "本版资料没有可以与绿电交易量对照的电量数字"
    if common.unit_of(traded) != common.unit_of(uhv):
        return "绿电交易量与特高压输电量的单位不同，无法直接对照"
    what = f"{int(uhv['year'])} 年特高压线路年输送电量"
    return f"首批绿电交易的成交电量{common.equiv_text(traded, uhv, what)}，仍是一个起步中的小市场"


def findings(ds: Any) -> list[str]:
    """The 本章要点: exactly four sentences computed from the edition's data (coverage, broadcasting,
    culture market, ecology), each with a plain fallback when the edition lacks the figures."""
    groups = split_ids(ds)
    out = [common.coverage_sentence(ds, common.domain_ids(ds, DOMAINS), "数字文化与数字生态文明") + "。"]
    if len(common.series_of(ds, "hd_tv_channels")) >= 2:
        out.append(common.trend_sentence(ds, "hd_tv_channels") + "，是本领域少有的可连续观察的指标。")
    elif ds.latest("hd_tv_channels") is not None:
        out.append(common.latest_sentence(ds, "hd_tv_channels") + "，本版只有这一年的数字。")
    else:
        out.append("本版资料没有给出广播电视频道的数字。")
    if ds.latest("digital_culture_revenue") is not None:
        out.append(digital_culture_sentence(ds) + "。")
    elif ds.latest("online_video_users") is not None:
        out.append(video_sentence(ds) + "。")
    else:
        out.append("本版资料尚未给出数字文化消费市场的规模，文化部分的数字以公共文化设施和广电为主。")
    eco = groups["数字生态"]
    eco_rows = ds.resolved[ds.resolved["indicator_id"].isin(eco)]
    if eco_rows.empty:
        out.append("本版资料没有给出数字生态文明方面的数字。")
    else:
        years = eco_rows.groupby("indicator_id")["year"].nunique()
        multi = int((years >= 2).sum())
        have = f"其中 {multi} 项有两个以上年份的数据" if multi else "没有一项有两个以上年份的数据"
        out.append(
            f"数字生态文明方面有 {len(years)} 项指标，{have}；各年报告统计的对象几乎完全不同，尚不能形成趋势判断。"
        )
    return out


def texts(ds: Any) -> dict[str, str]:
    """Every string the notebook glues, keyed without the slug prefix."""
    groups = split_ids(ds)
    out: dict[str, str] = {
        "edition": str(ds.edition),
        "coverage": common.coverage_sentence(ds, common.domain_ids(ds, DOMAINS), "数字文化与数字生态文明"),
        "coverage_culture": common.coverage_sentence(ds, groups["数字文化"], "数字文化"),
        "coverage_ecology": common.coverage_sentence(ds, groups["数字生态"], "数字生态文明"),
        "report": common.edition_report_sentence(
            ds, common.domain_ids(ds, DOMAINS), "数字文化与数字生态文明"
        ),
        "channels": channels_sentence(ds),
        "uhd_share": uhd_share_sentence(ds),
        "cable": cable_sentence(ds),
        "cloud": culture_cloud_sentence(ds),
        "early": early_culture_sentence(ds),
        "digital_culture": digital_culture_sentence(ds),
        "implied_growth": implied_growth_sentence(ds),
        "video": video_sentence(ds),
        "reading": reading_sentence(ds),
        "relics": relics_sentence(ds),
        "green": green_sentence(ds),
        "green_scale": green_scale_sentence(ds),
        "monitoring": monitoring_sentence(ds),
        "milestones": common.milestone_list(ds, DOMAINS),
        "plan": common.no_plan_sentence(ds, DOMAINS, "数字文化与数字生态文明"),
    }
    for i, f in enumerate(findings(ds), start=1):
        out[f"key_{i}"] = f
    return out


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's figures (rendered, or a Markdown note when the edition lacks the data)."""
    groups = split_ids(ds)
    cov = common.coverage_frame(ds, groups)
    top = cov.sort_values("value", ascending=False).iloc[0] if not cov.empty else None
    coverage = common.coverage_figure(
        cov,
        title="各份资料给出的文化与生态指标数",
        takeaway=(
            f"最多的是{top['label']}（{int(top['value'])} 项）"
            if top is not None and top["value"] > 0
            else None
        ),
    )
    hd = common.series_of(ds, "hd_tv_channels")
    channels = common.trend_figure(
        common.chart_frame(ds, CHANNELS),
        "本版资料中电视频道数只有一个年份，无法画出走势。",
        title="高清与超高清电视频道数",
        takeaway=charts.takeaway_growth(hd) if len(hd) >= 2 else None,
    )
    trend = common.multi_year_frame(ds, AUDIENCE_TRENDS)
    n_trend = trend["indicator_id"].nunique() if not trend.empty else 0
    audience_trends = common.figure_or_note(
        trend,
        charts.small_multiples,
        "本版资料中没有两个以上年份的广电与公共文化用户数据。",
        min_years=2,
        title="广电与公共文化服务的用户规模",
        takeaway=f"{n_trend} 项指标各有两个以上年份的数据，多数几乎没有增长" if n_trend else None,
    )
    aud = common.label_frame(ds, AUDIENCES, unit="亿")
    audiences = common.label_bars(
        aud,
        "本版资料中以“亿”计的数字文化用户规模不足两项，不作比较。",
        title="数字文化的受众规模",
        takeaway=common.leader_takeaway(aud),
    )
    return {
        "coverage": coverage,
        "channels": channels,
        "audience_trends": audience_trends,
        "audiences": audiences,
    }


def headline(ds: Any) -> dict[str, str]:
    """Key figures printed by the notebook's NBVAL_CHECK_OUTPUT cell (stable text)."""
    ids = ("hd_tv_channels", "digital_culture_revenue", "online_video_users", "green_power_traded")
    out = {"edition": str(ds.edition)}
    out["indicators_with_data"] = str(
        ds.resolved[ds.resolved["indicator_id"].isin(common.domain_ids(ds, DOMAINS))][
            "indicator_id"
        ].nunique()
    )
    for i in ids:
        out[i] = common.year_value(ds, i)
    return out
