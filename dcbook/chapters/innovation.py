"""Facts, charts and tables of chapter 04 数字技术创新 (slug ``innovation``).

The chapter's prose is the Markdown of ``book/04_innovation.ipynb``; this module only computes what it
talks about, for one edition: the Global Innovation Index rank, patents (and a break in the definition of
one patent series, found by checking a report's stated growth against its own figures), innovating firms,
China's shares of several world totals, chips and basic software, and the plan targets of the domain.
Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``, ``series``, ``indicators``, ``sources``,
``targets``, ``edition``), so the tests can use small hand-made datasets.

The world shares are of different totals (machines on a list, declared patents, papers): they are facts
side by side, in a table that names each share's total, never a ranking.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, fmt, render, world
from dcbook import facts as F
from dcbook.chapters import domains_of, exhibits

SLUG = "innovation"
DOMAINS: tuple[str, ...] = domains_of(SLUG)
#: China's shares of a world total: indicator → what the world total counts (a table column, not a rank).
WORLD_SHARES: dict[str, str] = {
    "top500_supercomputer_share": "世界超算 500 强的上榜台数",
    "sep_5g_world_share": "全球声明的 5G 标准必要专利",
    "highly_cited_papers_world_share": "全球高被引论文",
}
#: Innovation outputs and inputs drawn as small multiples (those with two or more years).
OUTPUTS: tuple[str, ...] = (
    "domestic_it_invention_patents",
    "pct_applications",
    "high_tech_enterprises",
    "it_investment_share",
    "firms_with_invention_patents",
    "electronics_rd_intensity",
)
#: Patent growth by technical field (one year each).
PATENT_FIELDS: tuple[str, ...] = (
    "invention_patents_it_management_growth",
    "invention_patents_computer_tech_growth",
)
#: Chinese firms in international R&D rankings and the growth of internet firms' R&D.
INTERNATIONAL_RD: tuple[str, ...] = (
    "eu_rd_scoreboard_chinese_firms",
    "eu_rd_scoreboard_chinese_ict_firms",
    "listed_internet_rd_increase_since_2017",
)
#: Frontier fields: counts, shares and ranks.
FRONTIER: tuple[str, ...] = (
    "top500_supercomputer_share",
    "sep_5g_declared",
    "sep_5g_world_share",
    "highly_cited_papers",
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


def gii_plan(ds: Any, gii: F.Series | None) -> F.Source | None:
    """The plan document among the sources of the GII ranks (a plan that counts the rank as an achievement)."""
    return next((s for s in F.sources_of(ds, gii) if s.kind == "plan"), None)


def it_pct_continued(it_pct: F.Series | None, claim: F.Claim | None) -> F.Value | None:
    """Where the ICT-field PCT series would stand in the claim's year had it grown as the report states from
    its first figure (older than the claim's start year): the figure a consistent series would print."""
    if it_pct is None or claim is None or claim.implied_first is None or claim.last is None:
        return None
    first = it_pct.first
    if first.year >= claim.start_year:
        return None
    return F.Value(
        indicator=first.indicator,
        name=first.name,
        value=round(first.value * (1 + claim.stated.value / 100), 1),
        unit=first.unit,
        qualifier=F.APPROX,
        year=claim.stated.year,
        computed=True,
    )


def output_panels(ds: Any) -> list[str]:
    """The output and input indicators drawn in the small multiples (two or more years each)."""
    return [i for i in OUTPUTS if len(ds.series(i)) >= 2]


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    card = F.card(ds, DOMAINS)
    gii = F.series(ds, "gii_rank")
    it_pct = F.series(ds, "it_pct_applications")
    it_pct_claim = F.claim(ds, "it_pct_applications_increase_since_2017", "it_pct_applications", "growth")
    panels = output_panels(ds)
    return {
        **world.world(ds, DOMAINS),
        "n_indicators": F.domain_count(ds, DOMAINS),
        "outputs_firms": ("high_tech_enterprises" in panels) or None,
        "outputs_years": max((len(ds.series(i)) for i in panels), default=0) or None,
        "computing": F.value(ds, "computing_power"),
        "talent": F.value(ds, "model_software_colleges"),
        "gii": gii,
        "gii_sources": F.sources_of(ds, gii) or None,
        "gii_plan": gii_plan(ds, gii),
        "pct": F.series(ds, "pct_applications"),
        "pct_top50": F.value(ds, "pct_top50_chinese_applicants"),
        "patents": F.series(ds, "domestic_it_invention_patents"),
        "patents_per_10k": F.value(ds, "it_invention_patents_per_10k"),
        "patent_fields": F.values(ds, PATENT_FIELDS) or None,
        "it_pct": it_pct,
        "it_pct_claim": it_pct_claim,
        "it_pct_continued": it_pct_continued(it_pct, it_pct_claim),
        "it_invest": F.series(ds, "it_investment_share"),
        "hte": F.series(ds, "high_tech_enterprises"),
        "hte_rd_share": F.value(ds, "high_tech_enterprises_rd_share"),
        "rd_international": F.values(ds, INTERNATIONAL_RD) or None,
        "electronics_rd": F.value(ds, "electronics_rd_intensity"),
        "shares": F.values(ds, WORLD_SHARES) or None,
        "frontier": F.values(ds, FRONTIER) or None,
        "frontier_counts": F.values(ds, [i for i in FRONTIER if i not in WORLD_SHARES]) or None,
        "papers_share": F.value(ds, "highly_cited_papers_world_share"),
        "chips": F.all_series(ds, CHIPS) or None,
        "process_node": F.value(ds, "ic_mass_production_process_node"),
        "chip_counts": F.values(ds, ("ic_layout_design_applications", "new_chip_enterprises")) or None,
        "software": F.all_series(ds, SOFTWARE) or None,
        "ecosystem": F.all_series(ds, ECOSYSTEM) or None,
        "card": card or None,
        "patents_pace13": F.pace(card, "domestic_it_invention_patents", "fyp13"),
        "it_invest_pace13": F.pace(card, "it_investment_share", "fyp13"),
        "it_invest_pace14": F.pace(card, "it_investment_share", "fyp14"),
        "patents_per_10k_pace14": F.pace(card, "it_invention_patents_per_10k", "fyp14"),
        "electronics_rd_pace14": F.pace(card, "electronics_rd_intensity", "fyp14"),
        "hte_pace14": F.pace(card, "high_tech_enterprises", "fyp14"),
    }


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "gii_rank",
        "pct_applications",
        "domestic_it_invention_patents",
        "high_tech_enterprises",
        "top500_supercomputer_share",
    )
    return exhibits.headline_values(ds, ids)


def shares_table(ds: Any) -> pd.DataFrame | None:
    """China's world shares, one row each with the total it is a share of (None without any)."""
    found = F.values(ds, WORLD_SHARES)
    if not found:
        return None
    rows = [
        {
            "指标": v.name,
            "年份": v.year,
            "我国份额": fmt.fmt_value(v.value, v.unit, qualifier=v.qualifier),
            "全球总量指的是": WORLD_SHARES[v.indicator],
            "来源": v.source_title,
        }
        for v in found
    ]
    return pd.DataFrame(rows)


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    return {
        "gii": exhibits.rank_chart(
            exhibits.rank_frame(ds, {"gii_rank": "中国"}, "economy"), label="economy", highlight=["中国"]
        ),
        "outputs": exhibits.chart(
            exhibits.multi_year_frame(ds, OUTPUTS), charts.small_multiples, min_years=2, columns=2
        ),
        "plan": exhibits.plan_chart(ds, DOMAINS),
    }


def tables(ds: Any) -> dict[str, pd.DataFrame | None]:
    """The chapter's tables (``data-table`` directives)."""
    return {"shares": shares_table(ds)}


__all__ = ["SLUG", "facts", "figures", "headline", "tables"]
