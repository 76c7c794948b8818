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


#: Indicators of the sections' data paragraphs (chapter 05's notebook glues one ``*_text`` per paragraph).
CORE: str = "digital_core_industry_gdp_share"
DIG_SPLIT: tuple[str, ...] = (
    "digital_industrialization_value_added",
    "industrial_digitalization_value_added",
)
CLOUD: tuple[str, ...] = ("cloud_bigdata_services_revenue", "cloud_bigdata_share_of_it_services")
RETAIL_SHARE: tuple[str, ...] = ("physical_goods_online_retail_share",)
RURAL_CROSS: tuple[str, ...] = ("rural_online_retail_sales", "cross_border_ecommerce_trade")
NEW_FORMS: tuple[str, ...] = ("online_office_users", "online_medical_users", "online_food_delivery_users")
MFG_RATES: tuple[str, ...] = (
    "nc_rate_key_processes",
    "digital_rd_tool_penetration",
    "enterprise_full_digitalization_share",
)
INDUSTRIAL_INTERNET: tuple[str, ...] = (
    "industrial_internet_platforms",
    "industrial_internet_sectors_covered",
)


def section_texts(ds: Any, card: pd.DataFrame | None = None) -> dict[str, str]:
    """The sections' data paragraphs (``*_text`` glue keys): each section names what it lacks once.

    A section with no figure in the edition is one sentence listing the missing indicators; otherwise
    the pieces that have data read as the full analysis and the missing ones are listed once at its end.
    """
    card = common.plan_card(ds, DOMAINS) if card is None else card

    def pace(ind: str, plan: str) -> str:
        return common.pace_sentence(card, ind, plan, name=common.name_of(ds, ind))

    trend = common.trend_sentence
    by_industry = "；".join(
        p
        for p in (
            "，".join(
                x
                for x in (
                    common.said(ds, ("electronics_manufacturing_revenue",), trend),
                    common.said(ds, ("electronics_mfg_value_added_growth",)),
                )
                if x
            ),
            common.said(ds, ("software_revenue", "software_profit"), trend, sep="，"),
            common.said(ds, ("internet_services_revenue",), trend),
        )
        if p
    )
    structure = "三者的增速差异反映了数字产业结构的变化方向：硬件制造的增速受全球需求周期和外部环境影响明显；软件和信息技术服务更多依赖国内的数字化需求"
    if common.has_data(ds, CLOUD):
        structure += f"，其中云服务、大数据是新的增长点——{common.said(ds, CLOUD, sep='，')}"
    if ds.latest("ic_industry_sales") is not None:
        structure += (
            f"；集成电路作为制造业中最受关注的环节，{common.latest_sentence(ds, 'ic_industry_sales')}"
        )
    structure += (
        "。需要注意的是，各行业可得数据的起止年份不一致，增速按各自可得的首末年份计算，只能粗略比较；"
        "本章的年均增速都由首末两个数值计算，不代表每年的实际增长。"
    )
    sections = [
        common.section_texts(
            ds,
            {
                "core_text": [
                    (
                        "按国家统计局的口径，真正属于数字产业本身的是“数字经济核心产业”："
                        f"{common.latest_sentence(ds, CORE)}。",
                        (CORE,),
                    ),
                    (
                        "两种口径之间的差距说明，数字经济总量中的大部分来自产业数字化这一估算部分："
                        f"{common.said(ds, DIG_SPLIT, sep='，')}。换言之，数字经济“规模大”在很大程度上是"
                        "“数字技术渗透到各行各业”的另一种说法，而不是数字产业自身已经占到经济的这么大份额。",
                        DIG_SPLIT,
                    ),
                    (
                        "有统计部门核算口径的核心产业比重比估算的总量更可核实，也更适合作为规划考核的指标："
                        f"{pace(CORE, 'fyp14')}。",
                        (CORE,),
                    ),
                ]
            },
            area="数字经济核心产业",
        ),
        common.section_texts(
            ds,
            {
                "sectors_text": [
                    (
                        f"{sector_sentence(ds)}。三次产业之间的差距有其结构原因：面向消费者的服务业最容易借助电子商务、"
                        "移动支付、网约车、外卖等应用实现数字化；工业的数字化改造需要与设备更新、工艺改造同步，投资大、"
                        "周期长；农业经营主体分散、规模小，数字化的收益难以覆盖成本。",
                        SECTORS,
                    )
                ]
            },
            area="三次产业的数字经济渗透率",
        ),
        common.section_texts(
            ds,
            {
                "industries_text": [
                    (f"{fastest_industry(ds)}。分行业看：{by_industry}。", INDUSTRIES),
                    (
                        "在更早的口径下，资料还给出了信息产业整体的收入："
                        f"{trend(ds, 'info_industry_revenue')}，而“十三五”规划对它的要求是："
                        f"{pace('info_industry_revenue', 'fyp13')}。",
                        ("info_industry_revenue",),
                    ),
                ],
                "structure_text": [(structure, ())],
            },
            area="数字产业的营业收入",
            also_missing=(*CLOUD, "ic_industry_sales"),
        ),
        common.section_texts(
            ds,
            {
                "trade_text": [
                    (
                        f"{common.said(ds, ECOMMERCE, trend)}。三条曲线的口径不同：电子商务交易额包括企业之间的批发交易，"
                        "数额最大；网上零售额只计面向消费者的零售；信息消费则包括通信服务、信息产品和信息服务的消费。"
                        "它们不能相加，只能分别看走势。",
                        ECOMMERCE,
                    )
                ],
                "retail_text": [
                    (
                        f"网上零售在社会消费中的分量是观察“线上化”程度的最好指标：{retail_share_sentence(ds)}。",
                        RETAIL_SHARE,
                    ),
                    (
                        f"乡村和跨境两个方向增长更快，但基数小：{common.said(ds, RURAL_CROSS, trend)}。"
                        "农村网络零售的快速增长与电子商务进农村、脱贫攻坚中的电商扶贫政策直接相关。",
                        RURAL_CROSS,
                    ),
                    (
                        f"疫情期间兴起的线上服务同样值得关注：{new_forms_sentence(ds)}。"
                        "这些新业态的用户规模来自抽样调查，反映的是“用过”的人数，不等于经常使用的人数。",
                        NEW_FORMS,
                    ),
                ],
            },
            area="网上交易",
        ),
        common.section_texts(
            ds,
            {
                "mfg_text": [
                    (
                        f"{common.said(ds, MFG_RATES, common.share_trend_sentence)}。这几项指标衡量的是制造业数字化的不同环节："
                        "研发设计工具的普及针对设计端，关键工序数控化针对生产现场，关键业务环节全面数字化则要求经营管理"
                        "全流程打通，难度依次上升。制造业数字化是一个渐进的过程，单年的升幅通常只有几个百分点，"
                        "看趋势比看某一年更有意义。",
                        MFG_RATES,
                    ),
                    (
                        f"规划对关键业务环节全面数字化的要求是：{pace('enterprise_full_digitalization_share', 'fyp14')}。",
                        ("enterprise_full_digitalization_share",),
                    ),
                ],
                "ii_text": [
                    (
                        f"工业互联网是另一条线索：{common.said(ds, INDUSTRIAL_INTERNET)}。",
                        INDUSTRIAL_INTERNET,
                    ),
                    (
                        "设备上云率是较新的指标："
                        f"{common.latest_sentence(ds, 'industrial_equipment_cloud_rate')}；规划要求是："
                        f"{pace('industrial_equipment_cloud_rate', 'fyp14')}。",
                        ("industrial_equipment_cloud_rate",),
                    ),
                    (
                        "平台数量和覆盖行业数反映的是“供给侧”的建设进度，企业实际用得怎样、带来了多少效率提升，"
                        "资料只给出了试点示范项目的零星数字，尚不足以作出整体评价。",
                        INDUSTRIAL_INTERNET,
                    ),
                    (
                        f"早期报告使用的“两化融合发展水平”指数（{common.latest_sentence(ds, 'ii_integration_index')}）"
                        "是一个综合指数，与后来的单项指标不能直接衔接，跨版本比较时需要注意。",
                        ("ii_integration_index",),
                    ),
                ],
            },
            area="制造业数字化",
        ),
    ]
    return {k: v for sec in sections for k, v in sec.items()}


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
        "ecommerce_pace": common.pace_sentence(
            card, "ecommerce_transactions", "fyp13", name=common.name_of(ds, "ecommerce_transactions")
        ),
        "online_retail_pace13": common.pace_sentence(
            card, "online_retail_sales", "fyp13", name=common.name_of(ds, "online_retail_sales")
        ),
        "online_retail_pace14": common.pace_sentence(
            card, "online_retail_sales", "fyp14", name=common.name_of(ds, "online_retail_sales")
        ),
        "info_consumption_pace13": common.pace_sentence(
            card, "info_consumption", "fyp13", name=common.name_of(ds, "info_consumption")
        ),
        "info_consumption_pace14": common.pace_sentence(
            card, "info_consumption", "fyp14", name=common.name_of(ds, "info_consumption")
        ),
        "sharing": common.latest_sentence(ds, "sharing_economy_transactions"),
        "plan": common.plan_sentence(card, "数字经济"),
        **section_texts(ds, card),
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
