"""Computations behind chapter 10 国际合作 (slug ``international``).

The notebook glues what :func:`texts` returns and shows what :func:`figures` builds. International
cooperation is reported as partner counts, trade totals and dated events; the module keeps the counts of
countries apart from the money figures and reads cross-border e-commerce from the digital-economy domain.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import fmt, render
from dcbook.chapters import common
from dcbook.chapters.overview import milestone_chart, milestone_frame

SLUG = "international"
DOMAINS: tuple[str, ...] = ("international",)
#: The two partner counts the reports repeat (unit 个): one line chart.
SILK_ROAD: tuple[str, ...] = ("digital_silk_road_mou_countries", "silk_road_ecommerce_partner_countries")
#: Cross-border e-commerce (digital_economy domain, shared with chapter 05).
CBEC = "cross_border_ecommerce_trade"
CBEC_GROWTH = "cross_border_ecommerce_trade_growth"


def partner_ids(ds: Any) -> list[str]:
    """International indicators that count countries or regions (unit 个, name ends in 国家数/成员数 …)."""
    ind = ds.indicators
    return [
        i
        for i in common.domain_ids(ds, DOMAINS)
        if str(ind.at[i, "unit"]) == "个"
        and str(ind.at[i, "name_zh"]).endswith(("国家数", "国家和地区数", "成员数"))
    ]


def silk_road_sentence(ds: Any) -> str:
    """Digital Silk Road MoUs and Silk Road e-commerce partners, first → latest."""
    parts = [common.trend_sentence(ds, i) for i in SILK_ROAD if ds.latest(i) is not None]
    if ds.latest("silk_road_ecommerce_agreed_countries") is not None:
        parts.append(
            f"另与{common.lead(common.value_text(ds, 'silk_road_ecommerce_agreed_countries'))}国家就建立合作机制达成一致"
        )
    if not parts:
        return "本版资料尚未给出“数字丝绸之路”谅解备忘录和“丝路电商”伙伴国的数量"
    return "；".join(parts)


def yearly_add_sentence(ds: Any) -> str:
    """Partners added per year in the latest step of the two Silk Road counts (the pace of new MoUs)."""
    out = []
    for i in SILK_ROAD:
        s = common.series_of(ds, i)
        if len(s) < 2:
            continue
        a, b = s.iloc[-2], s.iloc[-1]
        years = int(b["year"]) - int(a["year"])
        d = (float(b["value"]) - float(a["value"])) / years
        pace = (
            "一年新增" if years == 1 else f"{fmt.fmt_year_span(int(a['year']), int(b['year']))}平均每年新增"
        )
        out.append(
            fmt.join_words(str(b["name_zh"]), f"{pace} {fmt.fmt_plain(d, 0 if d == int(d) else 1)} 个")
        )
    if not out:
        return "本版资料中伙伴国数量只有一个年份，看不出新增的节奏"
    return "；".join(out)


def early_links_sentence(ds: Any) -> str:
    """The 2017 report's 'online Silk Road': cross-border cables and space-information services."""
    ids = ("belt_road_cross_border_land_cables", "belt_road_cross_border_cable_countries",
           "belt_road_space_info_countries", "belt_road_cable_capacity")  # fmt: skip
    return common.latest_sentences(ds, ids, "本版资料没有给出跨境信息基础设施的数字")


def partners_sentence(ds: Any) -> str:
    """The widest and narrowest country counts in the edition (very different kinds of 'partner')."""
    f = common.label_frame(ds, partner_ids(ds), unit="个")
    if f.empty:
        return "本版资料没有给出合作国家数量方面的数字"
    f = f.sort_values("value", ascending=False)
    hi, lo = f.iloc[0], f.iloc[-1]
    hv = fmt.fmt_number(float(hi["value"]), "个", qualifier=str(hi["qualifier"]))
    lv = fmt.fmt_number(float(lo["value"]), "个", qualifier=str(lo["qualifier"]))
    return (
        f"本版资料中 {len(f)} 项“国家数”指标里，最大的是{hi['name_zh']}（{int(hi['year'])} 年），{hv}；"
        f"最小的是{lo['name_zh']}（{int(lo['year'])} 年），{lv}"
    )


def cbec_sentence(ds: Any) -> str:
    """Cross-border e-commerce: level trend and the printed growth rate."""
    parts = []
    if ds.latest(CBEC) is not None:
        parts.append(common.trend_sentence(ds, CBEC))
    elif ds.latest("cbec_pilot_zones_trade") is not None:
        parts.append(common.latest_sentence(ds, "cbec_pilot_zones_trade"))
    g = ds.latest(CBEC_GROWTH)
    if g is not None:
        rate = common.predicate(float(g["value"]), str(g["unit"]), str(g["qualifier"]))
        parts.append(f"报告给出的最新同比增速{rate}（{int(g['year'])} 年）")
    return "；".join(parts) if parts else "本版资料尚未给出跨境电商的规模"


def cbec_check_sentence(ds: Any) -> str:
    """Growth implied by two consecutive levels versus the printed growth rate of the later year."""
    s = common.series_of(ds, CBEC)
    g = common.series_of(ds, CBEC_GROWTH)
    if len(s) < 2 or g.empty:
        return "本版资料不足以核对跨境电商增速与规模之间是否一致"
    a, b = s.iloc[-2], s.iloc[-1]
    if int(b["year"]) - int(a["year"]) != 1:
        return "本版资料中跨境电商规模不是相邻两年的数字，无法核对同比增速"
    printed = g[g["year"].astype(int) == int(b["year"])]
    if printed.empty:
        return f"本版资料没有 {int(b['year'])} 年跨境电商的同比增速，无法核对"
    implied = (float(b["value"]) / float(a["value"]) - 1) * 100
    p = float(printed["value"].iloc[0])
    word = "高于" if implied > p + 0.05 else "低于" if implied < p - 0.05 else "等于"
    return (
        f"用 {int(a['year'])} 年和 {int(b['year'])} 年两个规模数字直接计算，增速为 {fmt.fmt_plain(implied, 1)}%，"
        f"{word}报告印出的 {fmt.fmt_plain(p, 1)}%"
        + ("；两者不一致，说明上一年的数字后来被修订过，或两处口径不同" if word != "等于" else "")
    )


def trade_sentence(ds: Any) -> str:
    """Digital trade figures: digitally deliverable services, cross-border digital trade, IP royalties."""
    ids = ("digitally_deliverable_services_trade", "cross_border_digital_trade", "ip_royalty_exports_jan_nov",
           "digital_service_export_bases")  # fmt: skip
    return common.latest_sentences(ds, ids, "本版资料尚未给出数字贸易的规模")


def retail_sentence(ds: Any) -> str:
    """Years as the world's largest online retail market."""
    row = ds.latest("online_retail_largest_market_years")
    if row is None:
        return "本版资料尚未给出我国网络零售市场在全球的位次"
    return f"截至 {int(row['year'])} 年，我国已连续{common.lead(common.value_text(ds, 'online_retail_largest_market_years'))}保持全球最大网络零售市场"


def events_frame(ds: Any) -> pd.DataFrame:
    """Dated international milestones, oldest first."""
    m = milestone_frame(ds)
    return m[m["domain"].isin(DOMAINS)].reset_index(drop=True)


def events_sentence(ds: Any) -> str:
    """How many international events the sources date, first and latest."""
    m = events_frame(ds)
    if m.empty:
        return "本版资料没有记录国际合作方面带日期的事件"
    first, last = m.iloc[0], m.iloc[-1]
    n_year = int((m["year"] == int(last["year"])).sum())
    return (
        f"本版资料记录了 {len(m)} 项国际合作事件，最早是 {common.date_words(first['date'])}的{first['event_zh']}，"
        f"最近的 {int(last['year'])} 年有 {n_year} 项"
    )


def findings(ds: Any) -> list[str]:
    """The 本章要点: exactly four sentences computed from the edition's data."""
    out = []
    if any(ds.latest(i) is not None for i in SILK_ROAD):
        out.append(silk_road_sentence(ds) + "。")
    else:
        out.append(early_links_sentence(ds) + "。")
    out.append(cbec_sentence(ds) + "。")
    out.append(partners_sentence(ds) + "；这些“国家数”衡量的合作深浅差别很大，不能相加。")
    out.append(events_sentence(ds) + "。")
    return out


def texts(ds: Any) -> dict[str, str]:
    """Every string the notebook glues, keyed without the slug prefix."""
    out = {
        "edition": str(ds.edition),
        "coverage": common.coverage_sentence(ds, common.domain_ids(ds, DOMAINS), "国际合作"),
        "report": common.edition_report_sentence(ds, common.domain_ids(ds, DOMAINS), "国际合作"),
        "silk_road": silk_road_sentence(ds),
        "yearly_add": yearly_add_sentence(ds),
        "early_links": early_links_sentence(ds),
        "partners": partners_sentence(ds),
        "cbec": cbec_sentence(ds),
        "cbec_check": cbec_check_sentence(ds),
        "trade": trade_sentence(ds),
        "retail": retail_sentence(ds),
        "events": events_sentence(ds),
        "plan": common.no_plan_sentence(ds, DOMAINS, "国际合作"),
    }
    for i, f in enumerate(findings(ds), start=1):
        out[f"key_{i}"] = f
    return out


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's figures (rendered, or a Markdown note when the edition lacks the data)."""
    from IPython.display import Markdown

    silk_fig = common.trend_figure(
        common.chart_frame(ds, SILK_ROAD),
        "本版资料中“数字丝绸之路”和“丝路电商”的伙伴国数量不足两个年份，无法画出走势。",
        title="“数字丝绸之路”与“丝路电商”伙伴国数量",
        growth=False,
    )
    cbec_fig = common.trend_figure(
        common.series_of(ds, CBEC),
        "本版资料中跨境电商进出口规模不足两个年份，无法画出走势。",
        title="跨境电商进出口规模",
    )
    partners = common.label_frame(ds, partner_ids(ds), unit="个")
    partners_fig = common.label_bars(
        partners,
        "本版资料中合作国家数量的指标不足两项，不作比较。",
        title="各类合作涉及的国家（地区）数",
        takeaway="口径各异：从签署文件到企业业务覆盖，合作深浅不同" if len(partners) >= 2 else None,
    )
    ev = events_frame(ds)
    timeline: Any = (
        Markdown("*本版资料没有记录国际合作方面带日期的事件，无法画出时间线。*")
        if ev.empty
        else render.figure(milestone_chart(ev, title="数字领域国际合作大事", takeaway=f"共 {len(ev)} 项"))
    )
    return {"silk_road": silk_fig, "cbec": cbec_fig, "partners": partners_fig, "timeline": timeline}


def headline(ds: Any) -> dict[str, str]:
    """Key figures printed by the notebook's NBVAL_CHECK_OUTPUT cell (stable text)."""
    out = {"edition": str(ds.edition), "events": str(len(events_frame(ds)))}
    for i in (*SILK_ROAD, CBEC, "digitally_deliverable_services_trade"):
        out[i] = common.year_value(ds, i)
    return out
