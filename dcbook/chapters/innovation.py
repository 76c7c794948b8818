"""Computations behind chapter 04 数字技术创新 (slug ``innovation``).

The chapter notebook glues what :func:`texts` returns and shows what :func:`figures` builds, so every
number and every comparison in its prose is computed from the edition's dataset and stays true when a
new report is added. Functions take a ``dcbook.data.Dataset`` — duck-typed (``latest``, ``series``,
``indicators``, ``sources``, ``targets``, ``edition``) so the tests can use small hand-made datasets.
The generic sentence and chart helpers come from :mod:`dcbook.chapters.common`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, fmt
from dcbook.chapters import common

SLUG = "innovation"
DOMAINS: tuple[str, ...] = ("innovation",)

# ----------------------------------------------------------------------------------------------------------
# Chapter 04: innovation

#: Indicators shown as China's share of a world total (same unit, so one bar chart).
WORLD_SHARES: tuple[str, ...] = (
    "top500_supercomputer_share",
    "sep_5g_world_share",
    "highly_cited_papers_world_share",
)
#: Innovation outputs and inputs drawn as small multiples.
OUTPUTS: tuple[str, ...] = (
    "domestic_it_invention_patents",
    "pct_applications",
    "high_tech_enterprises",
    "it_investment_share",
    "firms_with_invention_patents",
    "electronics_rd_intensity",
)


def gii_frame(ds: Any) -> pd.DataFrame:
    """GII ranks as a bump-chart frame (one line: 中国)."""
    return common.rank_frame(ds, {"gii_rank": "中国"}, "economy")


def gii_sentence(ds: Any) -> str:
    """Movement of China's Global Innovation Index rank from the first to the latest year on record."""
    return common.rank_sentence(ds, "gii_rank", "全球创新指数")


def world_share_sentence(ds: Any) -> str:
    """The largest world share China holds among :data:`WORLD_SHARES`, with the others for contrast."""
    frame = common.latest_frame(ds, WORLD_SHARES)
    if frame.empty:
        return "本版资料尚未给出我国数字技术产出占全球份额的数据"
    frame = frame.sort_values("value", ascending=False, kind="stable")
    top = frame.iloc[0]
    text = (
        f"在可比的全球份额指标中，{top['name_zh']}最高，{common.row_predicate(top)}（{int(top['year'])} 年）"
    )
    if len(frame) > 1:
        low = frame.iloc[-1]
        text += f"；最低的是{low['name_zh']}，{common.row_predicate(low)}（{int(low['year'])} 年）"
    return text


def it_pct_note(ds: Any) -> str:
    """Why the two ICT-field PCT figures cannot be joined into a series (different definitions)."""
    s = common.series_of(ds, "it_pct_applications")
    if s.empty:
        return common.no_data_sentence(ds, "it_pct_applications")
    parts = [f"{int(r['year'])} 年{common.row_predicate(r)}" for _, r in s.iterrows()]
    text = "信息领域 PCT 国际专利申请量 " + "，".join(parts)
    inc = ds.latest("it_pct_applications_increase_since_2017")
    first, last = s.iloc[0], s.iloc[-1]
    if (
        len(s) > 1
        and inc is not None
        and int(inc["year"]) == int(last["year"])
        and int(first["year"]) <= 2017
    ):
        growth = 1 + float(inc["value"]) / 100
        implied = float(last["value"]) / growth
        unit, q = common.unit_of(last), common.qual(last)
        text += (
            f"；报告称 {int(inc['year'])} 年该数较 2017 年提升 {fmt.fmt_number(float(inc['value']), common.unit_of(inc))}，"
            f"按此倒推 2017 年{common.predicate(round(implied, 2), unit, q)}"
        )
        if implied < 0.8 * float(first["value"]):
            needed = float(first["value"]) * growth
            text += (
                f"；若要与 {int(first['year'])} 年的 {fmt.fmt_number(float(first['value']), unit)}衔接，"
                f"{int(last['year'])} 年应在 {fmt.fmt_number(round(needed, 1), unit)}左右，远高于报告所给的数，"
                "说明两组数字的统计口径很可能不同，不宜连成一条序列"
            )
        else:
            text += f"，与 {int(first['year'])} 年的数值大体衔接"
    return text


#: Indicators of each section's data paragraphs (chapter 04's notebook glues one ``*_text`` per paragraph).
PCT: tuple[str, ...] = ("pct_applications", "pct_top50_chinese_applicants")
PATENT_FIELDS: tuple[str, ...] = (
    "invention_patents_it_management_growth",
    "invention_patents_computer_tech_growth",
)
HTE: tuple[str, ...] = ("high_tech_enterprises", "high_tech_enterprises_rd_share")
INTERNATIONAL_RD: tuple[str, ...] = (
    "eu_rd_scoreboard_chinese_firms",
    "eu_rd_scoreboard_chinese_ict_firms",
    "listed_internet_rd_increase_since_2017",
)
FRONTIER: tuple[str, ...] = (
    "top500_supercomputer_share",
    "sep_5g_declared",
    "sep_5g_world_share",
    "highly_cited_papers_world_share",
    "computer_science_citation_rank",
)
CHIPS: tuple[str, ...] = (
    "ic_mass_production_process_node",
    "ic_high_end_equipment_developed",
    "ic_layout_design_applications",
    "new_chip_enterprises",
)
SOFTWARE: tuple[str, ...] = ("harmonyos_users", "open_source_adoption_share", "gitee_code_repositories")
ECOSYSTEM: tuple[str, ...] = ("ai_pilot_zones", "model_software_colleges", "dual_innovation_demo_bases")
#: Counts whose growth the prose states when the edition has two years (others: latest value).
TREND_IDS: frozenset[str] = frozenset({"pct_applications", "ic_layout_design_applications"})


def said(ds: Any, indicator_ids: tuple[str, ...], sep: str = "；") -> str:
    """The figures of ``indicator_ids`` the edition has (growth for :data:`TREND_IDS`), joined by ``sep``."""
    parts = [
        common.trend_sentence(ds, i) if i in TREND_IDS else common.latest_sentence(ds, i)
        for i in indicator_ids
        if ds.latest(i) is not None
    ]
    return sep.join(parts)


def section_texts(ds: Any, card: pd.DataFrame | None = None) -> dict[str, str]:
    """The sections' data paragraphs (``*_text`` glue keys): each section names what it lacks once.

    A section with no figure in the edition is one sentence listing the missing indicators; otherwise
    the pieces that have data read as the full analysis and the missing ones are listed once at its end.
    """
    card = common.plan_card(ds, DOMAINS) if card is None else card
    patents = "domestic_it_invention_patents"
    pace13 = common.pace_sentence(card, patents, "fyp13", name=common.name_of(ds, patents))
    hte_pace = common.pace_sentence(
        card, "high_tech_enterprises", "fyp14", name=common.name_of(ds, "high_tech_enterprises")
    )
    sections = [
        common.section_texts(
            ds,
            {
                "patents_text": [
                    (f"就国际专利而言，{said(ds, PCT)}。", PCT),
                    (
                        f"就国内授权而言，{common.trend_sentence(ds, patents)}，"
                        f"“十三五”国家信息化规划为这一指标设定了目标：{pace13}。",
                        (patents,),
                    ),
                    (
                        "以存量衡量的密度指标是较新引入的口径："
                        f"{common.latest_sentence(ds, 'it_invention_patents_per_10k')}。",
                        ("it_invention_patents_per_10k",),
                    ),
                ],
                "patent_fields_text": [
                    (
                        f"分技术门类看，资料给出的增速是：{said(ds, PATENT_FIELDS)}。软件、算法和管理方法等“软”技术门类的专利，"
                        "保护范围和技术含量差异很大，增速高并不直接意味着能力跃升。",
                        PATENT_FIELDS,
                    )
                ],
            },
            area="专利产出",
        ),
        common.section_texts(
            ds,
            {
                "enterprises_text": [
                    (f"在这方面，{said(ds, HTE)}。", HTE),
                    (
                        f"高新技术企业数量的规划要求是：{hte_pace}。需要注意，高新技术企业是一种资格认定，"
                        "认定标准和地方激励政策的变化都会影响数量，它更适合衡量“参与创新的企业有多少”，"
                        "而不是“创新能力有多强”。",
                        ("high_tech_enterprises",),
                    ),
                ],
                "international_text": [
                    (f"国际比较提供了另一个视角：{said(ds, INTERNATIONAL_RD)}。", INTERNATIONAL_RD),
                    (
                        f"在制造端，{common.latest_sentence(ds, 'electronics_rd_intensity')}，"
                        "这是“十四五”规划新设的指标，衡量电子信息制造企业把多少收入投入研发。"
                        "规划把提高这一强度作为目标，说明决策者认为电子信息制造业的研发投入仍有提升空间。",
                        ("electronics_rd_intensity",),
                    ),
                ],
            },
            area="企业创新主体",
        ),
        common.section_texts(
            ds,
            {
                "frontier_text": [
                    (f"{world_share_sentence(ds)}。具体来看：{said(ds, FRONTIER)}。", FRONTIER),
                ]
            },
            area="前沿领域的全球份额",
        ),
        common.section_texts(
            ds,
            {
                "chips_text": [(f"能找到的数据有：{said(ds, CHIPS)}。", CHIPS)],
                "software_text": [
                    (
                        f"基础软件方面，资料提到了国产操作系统和开源生态：{said(ds, SOFTWARE)}。"
                        "用户规模和代码仓库数量说明生态正在形成，但操作系统和开源社区的竞争力最终取决于开发者与应用的丰富程度，"
                        "而这恰恰是现有统计覆盖不到的。",
                        SOFTWARE,
                    )
                ],
            },
            area="芯片与基础软件",
        ),
        common.section_texts(
            ds,
            {
                "ecosystem_text": [
                    (
                        f"资料中与此相关的数字有：{said(ds, ECOSYSTEM)}。这些都是“建了多少”的计数，反映政策推动的力度；"
                        "它们的效果要在若干年后的专利、论文和企业成长中才能看到，目前还没有资料可以评估。",
                        ECOSYSTEM,
                    )
                ]
            },
            area="创新生态与人才",
        ),
    ]
    return {k: v for sec in sections for k, v in sec.items()}


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "gii_rank",
        "pct_applications",
        "domestic_it_invention_patents",
        "high_tech_enterprises",
        "top500_supercomputer_share",
    )
    return common.headline_texts(ds, ids)


def key_findings(ds: Any, card: pd.DataFrame | None = None) -> list[str]:
    """Four findings for the 本章要点 box, each a complete sentence computed from the edition's data."""
    card = common.plan_card(ds, DOMAINS) if card is None else card
    findings = [gii_sentence(ds) + "。"]
    patent = common.first_available(
        ds, ["pct_applications", "domestic_it_invention_patents", "it_pct_applications"]
    )
    findings.append((common.trend_sentence(ds, patent) if patent else "本版资料尚未给出专利产出数据") + "。")
    if common.has_data(ds, WORLD_SHARES):
        findings.append(world_share_sentence(ds) + "。")
    else:  # no world shares yet: a frontier or chip figure the edition has says more than "no data"
        other = common.first_available(ds, [i for i in (*FRONTIER, *CHIPS, *ECOSYSTEM) if i != patent])
        findings.append((common.latest_sentence(ds, other) if other else world_share_sentence(ds)) + "。")
    findings.append(common.plan_finding(card, "数字技术创新"))
    return findings


def texts(ds: Any) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``innovation_``)."""
    card = common.plan_card(ds, DOMAINS)
    out: dict[str, str] = {
        **common.base_texts(ds, DOMAINS),
        "gii": gii_sentence(ds),
        "gii_latest": common.value_text(ds, "gii_rank"),
        "it_pct_note": it_pct_note(ds),
        "hte_pace": common.pace_sentence(
            card, "high_tech_enterprises", "fyp14", name=common.name_of(ds, "high_tech_enterprises")
        ),
        "it_invest_trend": common.share_trend_sentence(ds, "it_investment_share"),
        "it_invest_pace13": common.pace_sentence(
            card, "it_investment_share", "fyp13", name=common.name_of(ds, "it_investment_share")
        ),
        "it_invest_pace14": common.pace_sentence(
            card, "it_investment_share", "fyp14", name=common.name_of(ds, "it_investment_share")
        ),
        "patents_pace13": common.pace_sentence(
            card,
            "domestic_it_invention_patents",
            "fyp13",
            name=common.name_of(ds, "domestic_it_invention_patents"),
        ),
        "plan": common.plan_sentence(card, "数字技术创新"),
        **section_texts(ds, card),
    }
    return out | common.key_texts(key_findings(ds, card))


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    outputs = common.multi_year_frame(ds, OUTPUTS)
    return {
        "gii": common.rank_figure(
            gii_frame(ds),
            gii_sentence(ds),
            title="我国全球创新指数排名",
            takeaway=gii_sentence(ds),
            label="economy",
            highlight=["中国"],
        ),
        "outputs": common.figure_or_note(
            outputs,
            charts.small_multiples,
            "本版资料没有可绘制的创新产出与投入数据。",
            title="创新产出与投入：专利、企业与投资",
            takeaway=common.multiples_takeaway(outputs),
            columns=2,
        ),
        "shares": common.figure_or_note(
            common.item_frame(ds, WORLD_SHARES),
            charts.bar_ranking,
            "本版资料尚未给出我国数字技术产出占全球份额的数据，因此不绘制份额图。",
            title="我国在若干数字技术产出中的全球份额",
            takeaway=world_share_sentence(ds),
            by="item",
        ),
        "plan": common.plan_figure(ds, common.plan_card(ds, DOMAINS), "数字技术创新"),
    }
