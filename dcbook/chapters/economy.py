"""Computations behind chapter 05 数字经济 (slug ``economy``).

As in every chapter (the generic helpers come from :mod:`dcbook.chapters.common`), the notebook glues
:func:`texts` and shows :func:`figures`; every number and comparison in the chapter's prose comes from
here, computed for the edition, so a new report changes the text without code changes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, fmt
from dcbook.chapters import common

SLUG = "economy"
DOMAINS: tuple[str, ...] = ("digital_economy",)
#: Revenue of the three digital industries the reports track year by year.
INDUSTRIES: tuple[str, ...] = (
    "electronics_manufacturing_revenue",
    "software_revenue",
    "internet_services_revenue",
)
#: Online trade levels in 万亿元 (one line chart, one unit; the small rural and cross-border series
#: would sit on top of each other near zero, so the prose gives them instead).
ECOMMERCE: tuple[str, ...] = ("ecommerce_transactions", "online_retail_sales", "info_consumption")
#: Manufacturing digitalisation rates in % (one line chart).
MANUFACTURING: tuple[str, ...] = (
    "digital_rd_tool_penetration",
    "nc_rate_key_processes",
    "enterprise_full_digitalization_share",
    "industrial_equipment_cloud_rate",
)
#: Digital-economy penetration by sector (one bar chart).
SECTORS: tuple[str, ...] = (
    "services_digital_economy_penetration",
    "industry_digital_economy_penetration",
    "agriculture_digital_economy_penetration",
)
#: Short sector names for the penetration chart and sentences.
SECTOR_NAMES: dict[str, str] = {
    "services_digital_economy_penetration": "服务业",
    "industry_digital_economy_penetration": "工业",
    "agriculture_digital_economy_penetration": "农业",
}


def size_sentence(ds: Any) -> str:
    """Digital-economy size and its GDP share, first → latest, in one sentence."""
    size = common.trend_sentence(ds, "digital_economy_size")
    share = common.share_trend_sentence(ds, "digital_economy_gdp_share", label="占 GDP 比重")
    return f"{size}；{share}"


def cagr_check(ds: Any) -> str:
    """Our own compound growth of the digital economy, set against the rate the report prints."""
    own = common.cagr(ds, "digital_economy_size")
    if own is None:
        return "本版资料只有一个年份的数字经济规模，无法计算年均增速"
    rate, y0, y1 = own
    text = f"按 {y0} 年和 {y1} 年两端数值计算，数字经济规模年均复合增长 {fmt.fmt_pct(rate)}"
    printed = ds.latest("digital_economy_cagr")
    if printed is not None:
        p = float(printed["value"]) / 100
        same = round(rate * 100, 1) == round(p * 100, 1)
        text += common.join_words(
            "，报告给出的数字为", fmt.fmt_number(float(printed["value"]), common.unit_of(printed))
        )
        text += "，两者一致" if same else f"，相差 {fmt.fmt_plain(abs(rate - p) * 100, 1)} 个百分点"
    return text


def fastest_industry(ds: Any) -> str:
    """Which of the three digital industries grew fastest (compound rate over its own span)."""
    rates = []
    for ind in INDUSTRIES:
        c = common.cagr(ds, ind)
        if c is not None:
            rates.append((c[0], ind, c[1], c[2]))
    if not rates:
        return "本版资料不足以比较各数字产业的增速"
    rates.sort(reverse=True)
    parts = [
        f"{common.name_of(ds, ind)}（{y0}–{y1} 年）年均增长 {fmt.fmt_rate(r)}" for r, ind, y0, y1 in rates
    ]
    if len(rates) == 1:
        return parts[0]
    return f"按各自可得年份计算，{common.name_of(ds, rates[0][1])}增长最快：" + "，".join(parts)


def sector_sentence(ds: Any) -> str:
    """Digital-economy penetration by sector, highest and lowest named, with the gap in points."""
    frame = common.latest_frame(ds, SECTORS)
    if frame.empty:
        return "本版资料尚未给出分行业的数字经济渗透率"
    frame = frame.sort_values("value", ascending=False, kind="stable")
    frame["sector"] = [SECTOR_NAMES[i] for i in frame["indicator_id"]]
    parts = "、".join(
        common.join_words(s, fmt.fmt_number(float(v), u))
        for s, v, u in zip(frame["sector"], frame["value"], frame["unit"], strict=True)
    )
    text = f"{int(frame['year'].max())} 年数字经济渗透率分别为{parts}"
    if len(frame) > 1:
        hi, lo = frame.iloc[0], frame.iloc[-1]
        ratio = float(hi["value"]) / float(lo["value"])
        text += (
            f"；{hi['sector']}比{lo['sector']}高 {fmt.fmt_plain(float(hi['value']) - float(lo['value']), 1)} 个百分点，"
            f"约为后者的 {fmt.fmt_plain(ratio, 1)} 倍"
        )
    return text


def new_forms_sentence(ds: Any) -> str:
    """Users of the online services that grew with the pandemic (office, medical, food delivery)."""
    ids = ("online_office_users", "online_medical_users", "online_food_delivery_users")
    parts = []
    for ind in ids:
        row = ds.latest(ind)
        if row is None:
            continue
        unit = (
            common.unit_of(row) + "人" if common.unit_of(row) == "亿" else common.unit_of(row)
        )  # 用户规模 4.69 亿 = 4.69 亿人
        text = common.join_words(
            common.name_of(ds, ind), fmt.fmt_number(float(row["value"]), unit, qualifier=common.qual(row))
        )
        growth = ds.latest(f"{ind}_growth")
        if growth is not None and int(growth["year"]) == int(row["year"]):
            text += f"（同比增长 {fmt.fmt_number(float(growth['value']), common.unit_of(growth))}）"
        parts.append(text)
    if not parts:
        return "本版资料尚未给出在线办公、在线医疗等新业态的用户规模"
    year = max(int(ds.latest(i)["year"]) for i in ids if ds.latest(i) is not None)
    return f"{year} 年" + "，".join(parts)


def retail_share_sentence(ds: Any) -> str:
    """Online share of retail with its change, the clearest gauge of how far trade has moved online."""
    row = ds.latest("physical_goods_online_retail_share")
    if row is None:
        return common.latest_sentence(ds, "physical_goods_online_retail_share")
    text = common.latest_sentence(ds, "physical_goods_online_retail_share")
    ch = ds.latest("physical_goods_online_retail_share_change")
    if ch is not None and int(ch["year"]) == int(row["year"]):
        word = "提高" if float(ch["value"]) >= 0 else "下降"
        text += f"，比上年{word} {fmt.fmt_plain(abs(float(ch['value'])))} 个百分点"
    return text


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "digital_economy_size",
        "digital_economy_gdp_share",
        "software_revenue",
        "online_retail_sales",
        "nc_rate_key_processes",
    )
    return common.headline_texts(ds, ids)


def key_findings(ds: Any, card: pd.DataFrame | None = None) -> list[str]:
    """Four findings for the 本章要点 box, each computed from the edition's data."""
    card = common.plan_card(ds, DOMAINS) if card is None else card
    findings = [size_sentence(ds) + "。", fastest_industry(ds) + "。"]
    findings.append(common.trend_sentence(ds, "online_retail_sales") + "。")
    findings.append(common.plan_finding(card, "数字经济"))
    return findings


def texts(ds: Any) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``economy_``)."""
    card = common.plan_card(ds, DOMAINS)
    out: dict[str, str] = {
        **common.base_texts(ds, DOMAINS),
        "size": size_sentence(ds),
        "size_latest": common.value_text(ds, "digital_economy_size"),
        "cagr_check": cagr_check(ds),
        "core_share": common.latest_sentence(ds, "digital_core_industry_gdp_share"),
        "core_pace": common.pace_sentence(
            card,
            "digital_core_industry_gdp_share",
            "fyp14",
            name=common.name_of(ds, "digital_core_industry_gdp_share"),
        ),
        "dig_industrialization": common.facts_sentence(
            ds, ("digital_industrialization_value_added", "industrial_digitalization_value_added")
        ),
        "sectors": sector_sentence(ds),
        "info_industry": common.trend_sentence(ds, "info_industry_revenue"),
        "info_industry_pace": common.pace_sentence(
            card, "info_industry_revenue", "fyp13", name=common.name_of(ds, "info_industry_revenue")
        ),
        "electronics": common.trend_sentence(ds, "electronics_manufacturing_revenue"),
        "electronics_va": common.latest_sentence(ds, "electronics_mfg_value_added_growth"),
        "software": common.trend_sentence(ds, "software_revenue"),
        "software_profit": common.trend_sentence(ds, "software_profit"),
        "internet_services": common.trend_sentence(ds, "internet_services_revenue"),
        "fastest_industry": fastest_industry(ds),
        "cloud": common.facts_sentence(
            ds, ("cloud_bigdata_services_revenue", "cloud_bigdata_share_of_it_services")
        ),
        "ic_sales": common.latest_sentence(ds, "ic_industry_sales"),
        "ecommerce": common.trend_sentence(ds, "ecommerce_transactions"),
        "ecommerce_pace": common.pace_sentence(
            card, "ecommerce_transactions", "fyp13", name=common.name_of(ds, "ecommerce_transactions")
        ),
        "online_retail": common.trend_sentence(ds, "online_retail_sales"),
        "online_retail_pace13": common.pace_sentence(
            card, "online_retail_sales", "fyp13", name=common.name_of(ds, "online_retail_sales")
        ),
        "online_retail_pace14": common.pace_sentence(
            card, "online_retail_sales", "fyp14", name=common.name_of(ds, "online_retail_sales")
        ),
        "retail_share": retail_share_sentence(ds),
        "rural_retail": common.trend_sentence(ds, "rural_online_retail_sales"),
        "cross_border": common.trend_sentence(ds, "cross_border_ecommerce_trade"),
        "info_consumption": common.trend_sentence(ds, "info_consumption"),
        "info_consumption_pace13": common.pace_sentence(
            card, "info_consumption", "fyp13", name=common.name_of(ds, "info_consumption")
        ),
        "info_consumption_pace14": common.pace_sentence(
            card, "info_consumption", "fyp14", name=common.name_of(ds, "info_consumption")
        ),
        "nc_rate": common.share_trend_sentence(ds, "nc_rate_key_processes"),
        "rd_tools": common.share_trend_sentence(ds, "digital_rd_tool_penetration"),
        "full_digital": common.share_trend_sentence(ds, "enterprise_full_digitalization_share"),
        "full_digital_pace": common.pace_sentence(
            card,
            "enterprise_full_digitalization_share",
            "fyp14",
            name=common.name_of(ds, "enterprise_full_digitalization_share"),
        ),
        "cloud_rate": common.latest_sentence(ds, "industrial_equipment_cloud_rate"),
        "cloud_rate_pace": common.pace_sentence(
            card,
            "industrial_equipment_cloud_rate",
            "fyp14",
            name=common.name_of(ds, "industrial_equipment_cloud_rate"),
        ),
        "ii_platforms": common.latest_sentence(ds, "industrial_internet_platforms"),
        "ii_sectors": common.latest_sentence(ds, "industrial_internet_sectors_covered"),
        "ii_index": common.latest_sentence(ds, "ii_integration_index"),
        "new_forms": new_forms_sentence(ds),
        "sharing": common.latest_sentence(ds, "sharing_economy_transactions"),
        "plan": common.plan_sentence(card, "数字经济"),
    }
    return out | common.key_texts(key_findings(ds, card))


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    size = common.series_of(ds, "digital_economy_size")
    industries = common.multi_year_frame(ds, (*INDUSTRIES, "info_industry_revenue"))
    trade = common.chart_frame(ds, ECOMMERCE)
    if not trade.empty:
        trade = trade[trade["unit"] == "万亿元"]
    mfg = common.chart_frame(ds, MANUFACTURING)
    sectors = common.latest_frame(ds, SECTORS)
    if not sectors.empty:
        sectors["sector"] = [SECTOR_NAMES[i] for i in sectors["indicator_id"]]
    return {
        "size": common.trend_figure(
            size,
            f"{common.trend_sentence(ds, 'digital_economy_size')}；不足两个年份，不绘制趋势图。",
            title="数字经济规模",
            takeaway=common.trend_sentence(ds, "digital_economy_size") if len(size) >= 2 else None,
        ),
        "sectors": common.figure_or_note(
            sectors,
            charts.bar_ranking,
            "本版资料尚未给出分行业的数字经济渗透率，因此不绘制行业对比图。",
            title="三次产业的数字经济渗透率",
            takeaway=sector_sentence(ds),
            by="sector",
        ),
        "industries": common.figure_or_note(
            industries,
            charts.small_multiples,
            "本版资料的数字产业营业收入数据不足两个年份，不绘制趋势图。",
            min_years=2,
            title="数字产业的营业收入",
            takeaway=fastest_industry(ds),
            columns=3,
        ),
        "trade": common.trend_figure(
            trade,
            "本版资料的网络交易数据不足两个年份，不绘制趋势图。",
            title="电子商务、网上零售与信息消费",
            takeaway=common.trend_sentence(ds, "online_retail_sales"),
        ),
        "mfg": common.trend_figure(
            mfg,
            "本版资料的制造业数字化数据不足两个年份，不绘制趋势图。",
            title="制造业数字化水平",
            takeaway=common.share_trend_sentence(ds, "nc_rate_key_processes"),
        ),
        "plan": common.plan_figure(ds, common.plan_card(ds, DOMAINS), "数字经济"),
    }
