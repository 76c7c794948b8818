"""Chapter 04 数字技术创新: the facts ``dcbook.chapters.innovation`` computes, and its page per edition.

Most tests use a tiny hand-made dataset (:mod:`fakes`) so each rule is checked against numbers worked out by
hand; the last ones render the chapter's templates for every real edition and check them against the source
lines the figures come from.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from fakes import TARGET_COLUMNS, FakeDS
from prose_checks import preview, sections

from dcbook import data, render
from dcbook import facts as F
from dcbook.chapters import exhibits
from dcbook.chapters import innovation as ch

#: The 2021 report on the ICT-field PCT applications (dcr2021 line 15).
IT_PCT_QUOTE = "信息领域 PCT 国际专利申请数量超过 3 万件，比 2017 年提升 60%"


def targets(*rows: dict[str, Any]) -> pd.DataFrame:
    base = {"source_id": "rep", "comparator": ">=", "attribute": "", "locator": 1, "quote": "目标"}
    return pd.DataFrame([base | r for r in rows], columns=TARGET_COLUMNS)


HTE_TARGET = {"plan": "fyp14", "indicator_id": "high_tech_enterprises", "base_year": 2020, "base_value": 27.5,
              "target_year": 2025, "target_value": 45, "unit": "万家"}  # fmt: skip


def it_pct(latest: float, qualifier: str = "lower_bound") -> FakeDS:
    ds = FakeDS(
        [
            ("it_pct_applications", 2016, 4.31, "exact"),
            ("it_pct_applications", 2021, latest, qualifier),
            ("it_pct_applications_increase_since_2017", 2021, 60, "exact"),
        ]
    )
    r = ds.resolved
    r.loc[r["indicator_id"] == "it_pct_applications_increase_since_2017", "quote"] = IT_PCT_QUOTE
    return ds


# ----------------------------------------------------------------------------------------------------------
# Rank, patents, a break in a series


def test_gii_rank_moves_are_worded_by_direction() -> None:
    up = FakeDS([("gii_rank", 2015, 29, "exact"), ("gii_rank", 2020, 14, "exact")])
    assert "排名由 2015 年的第 29 位变为 2020 年的第 14 位，上升 15 位" in preview("innovation", ds=up)
    down = FakeDS([("gii_rank", 2015, 10, "exact"), ("gii_rank", 2020, 12, "exact")])
    assert "，下降 2 位" in preview("innovation", ds=down)
    one = preview("innovation", ds=FakeDS([("gii_rank", 2017, 22, "exact")], edition=2017))
    assert "2017 年我国在全球创新指数中位列第 22 位" in one and "[chart] 我国全球创新指数排名" not in one


def test_a_stated_growth_that_the_series_cannot_have_reveals_a_definition_break() -> None:
    ds = it_pct(3.0)
    f = ch.facts(ds)
    c = f["it_pct_claim"]
    # 2017 is not in the series: the claim implies 3 / 1.6 = 1.875 万件, a lower bound, floored to 1.87
    assert c is not None and not c.checked and c.start_year == 2017
    assert c.implied_first.value == 1.87 and c.implied_first.qualifier == F.LOWER
    # continuing 2016's 4.31 万件 at the stated growth: 4.31 × 1.6 = 6.896 ≈ 6.9 万件
    assert f["it_pct_continued"].value == 6.9 and f["it_pct_continued"].qualifier == F.APPROX
    page = preview("innovation", ds=ds)
    assert "按此倒推 2017 年超过 1.87 万件；若要与 2016 年的 4.31 万件衔接，2021 年应在 6.9 万件左右" in page
    assert "口径很可能不同" in page
    # 7 / 1.6 = 4.375 万件 ≥ 0.8 × 4.31: the two fit
    assert "，与 2016 年的数值大体衔接" in preview("innovation", ds=it_pct(7.0, "exact"))


def test_a_single_ict_pct_figure_is_just_stated() -> None:
    page = preview("innovation", ds=FakeDS([("it_pct_applications", 2016, 4.31, "exact")], edition=2017))
    assert (
        "2016 年信息技术领域的国际专利申请为 4.31 万件" in page  # dcr2017 l.71 does not say PCT
        and "口径" not in dict(sections(page))["专利：数量与口径"]
    )


# ----------------------------------------------------------------------------------------------------------
# Plan targets


def test_pace_faster_or_slower_than_the_plan_requires() -> None:
    fast = FakeDS([("high_tech_enterprises", 2020, 27.5, "exact"), ("high_tech_enterprises", 2021, 33, "exact")],
                  targets=targets(HTE_TARGET))  # fmt: skip
    p = ch.facts(fast)["hte_pace14"]
    # required: (45 / 27.5) ** (1/5) - 1 = 10.35 %; observed 33 / 27.5 - 1 = 20.0 %
    assert p.required_cagr == pytest.approx((45 / 27.5) ** 0.2 - 1) and p.observed_cagr == pytest.approx(0.2)
    page = preview("innovation", ds=fast)
    assert (
        "需年均增长 10.4%；2020–2021 年实际增长 20.0%，快于规划要求，此后每年须增长 8.1% 才能如期达标" in page
    )
    slow = FakeDS([("high_tech_enterprises", 2020, 27.5, "exact"), ("high_tech_enterprises", 2021, 28, "exact")],
                  targets=targets(HTE_TARGET))  # fmt: skip
    assert "慢于规划要求" in preview("innovation", ds=slow)


def test_a_plan_the_edition_cannot_see_is_left_out() -> None:
    ds = FakeDS(
        [("high_tech_enterprises", 2021, 33, "exact")], targets=targets(HTE_TARGET | {"source_id": "later"})
    )
    f = ch.facts(ds)
    assert f["card"] is None and f["hte_pace14"] is None
    assert "## 规划目标" not in preview("innovation", ds=ds)


def test_target_year_passed_without_a_target_year_figure() -> None:
    t = targets({"plan": "fyp13", "indicator_id": "it_investment_share", "target_year": 2020, "target_value": 5,
                 "unit": "%"})  # fmt: skip
    ds = FakeDS(
        [("it_investment_share", 2016, 2.77, "exact"), ("it_investment_share", 2019, 3.5, "exact")], targets=t
    )
    p = ch.facts(ds)["it_invest_pace13"]
    assert p.verdict == "无法判定" and p.over
    page = preview("innovation", ds=ds)
    # points, not percent: 3.5 - 2.77 = 0.73
    assert "比例 2016–2019 年由 2.77% 升至 3.5%，提高 0.73 个百分点" in page
    assert "实际年均增长 8.1%，慢于规划要求（目标年已过" in page and "此后每年" not in page
    frame = exhibits.plan_chart_frame(ds, F.plan_frame(ds, ch.DOMAINS))
    assert list(frame["status"]) == ["无法判定"]  # the chart draws the verdict the prose states


def test_output_met_and_input_behind_is_read_as_the_chapter_s_finding() -> None:
    t = targets(
        {"plan": "fyp13", "indicator_id": "domestic_it_invention_patents", "target_year": 2020, "target_value": 15.3,
         "unit": "万件", "base_year": 2015, "base_value": 13},
        {"plan": "fyp13", "indicator_id": "it_investment_share", "target_year": 2020, "target_value": 5, "unit": "%",
         "base_year": 2016, "base_value": 2.77},
    )  # fmt: skip
    rows = [
        ("domestic_it_invention_patents", 2016, 14.4, "exact"),
        ("domestic_it_invention_patents", 2017, 16.7, "exact"),
        ("it_investment_share", 2016, 2.77, "exact"),
        ("it_investment_share", 2017, 3.1, "exact"),
    ]
    page = preview("innovation", ds=FakeDS(rows, edition=2017, targets=t))
    assert (
        "产出类指标（专利授权）在 2017 年已经达标，投入结构类指标（信息化投资占比）的增速落后于规划要求"
        in page
    )


# ----------------------------------------------------------------------------------------------------------
# World shares: side by side, never ranked


def test_world_shares_are_tabled_with_their_totals_and_never_ranked() -> None:
    ds = FakeDS(
        [
            ("top500_supercomputer_share", 2020, 45, "exact"),
            ("sep_5g_world_share", 2020, 37, "exact"),
            ("highly_cited_papers_world_share", 2021, 24.8, "exact"),
        ]
    )
    table = ch.shares_table(ds)
    assert table is not None and list(table["全球总量指的是"]) == list(ch.WORLD_SHARES.values())
    assert list(table["我国份额"]) == ["45%", "37%", "24.8%"]
    page = preview("innovation", ds=ds)
    assert "不能相互比较高低" in page and "[data-table]" in page
    for word in ("最高", "最低", "领先于", "高于"):
        assert word not in page.split("## 前沿领域")[1].split("## ")[0], word
    assert ch.shares_table(FakeDS([])) is None


# ----------------------------------------------------------------------------------------------------------
# Thin editions


def test_an_empty_edition_has_every_fact_declared_and_missing() -> None:
    ds = FakeDS([], edition=2017)
    f = ch.facts(ds)
    assert f["n_indicators"] == 0 and all(v is None for k, v in f.items() if k != "n_indicators")
    assert set(ch.figures(ds)) == {"gii", "outputs", "plan"} and all(
        v is None for v in ch.figures(ds).values()
    )
    assert ch.tables(ds) == {"shares": None}


def test_a_thin_edition_leaves_out_what_it_lacks() -> None:
    """The 2017 shape: a rank, two patent figures, a chip figure; no firms, no world shares."""
    ds = FakeDS(
        [
            ("gii_rank", 2017, 22, "exact"),
            ("domestic_it_invention_patents", 2016, 14.4, "exact"),
            ("domestic_it_invention_patents", 2017, 16.7, "exact"),
            ("ic_mass_production_process_node", 2017, 28, "exact"),
        ],
        edition=2017,
    )
    page = preview("innovation", ds=ds)
    assert "## 创新主体" not in page and "## 前沿领域" not in page and "## 规划目标" not in page
    assert "从国际排名、专利产出和短板领域三个角度" in page
    assert "数字技术的短板集中在芯片" in page  # not "compared with the frontier", which this edition lacks
    assert "十四五" not in page and "下一个五年规划" not in page


# ----------------------------------------------------------------------------------------------------------
# Real data, every edition


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    figs = ch.figures(ds)
    assert all(f is None or isinstance(f, render.Figure) for f in figs.values())
    head = ch.headline(ds)
    assert head["edition"] == str(edition)
    assert head["pct_applications"] == exhibits.value_text(ds, "pct_applications")
    page = preview("innovation", edition)
    assert ("## 前沿领域" in page) == (ds.latest("top500_supercomputer_share") is not None)


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("innovation", 2021)
    # dcr2020 line 26 and fyp14_plan line 76: "从2015年的第29位跃升至2020年的第14位"
    assert "排名由 2015 年的第 29 位变为 2020 年的第 14 位，上升 15 位" in page
    # dcr2017 line 71 "2016 年…申请 4.31 万件国际专利" against dcr2021 line 15 "超过 3 万件，比 2017 年提升 60%"
    assert "按此倒推 2017 年超过 1.87 万件" in page and "2021 年应在 6.9 万件左右" in page
    # fyp14_plan line 494 "全国高新技术企业数量（万家） 27.5 45"; dcr2021 line 342 "近 33 万家"
    # 近 33 万家 is approximate, so the pace is 约 20.0 %; dcr2021 prints the year's growth, 18.7 %, beside it
    assert (
        "需年均增长 10.4%；2020–2021 年实际增长近 20.0%（报告印出的同比增速为 18.7%），快于规划要求" in page
    )
    # dcr2021 line 178: "PCT）国际专利申请总量 69540 件"; dcr2020 line 80: "以68720件位列世界第一"
    assert "PCT国际专利申请量 2020–2021 年由 68,720 件增至 69,540 件，增长 1.2%" in page
    # fyp14_plan line 483 "IT 项目投资…3.5* 5.8": the 13th plan's year passed without a 2020 figure
    assert "投入结构类指标（信息化投资占比）的增速截至 2019 年仍慢于规划要求" in page


def test_2017_page_reads_as_written_in_2018() -> None:
    page = preview("innovation", 2017)
    assert "十四五" not in page and "fyp14_plan" not in page and "下一个五年规划" not in page
    # dcr2017 line 44: "国内信息技术发明专利授权数(万件) 15.3 14.4 16.7 16"
    assert "国内信息技术发明专利授权数 2016–2017 年由 14.4 万件增至 16.7 万件，增长 16.0%" in page
    assert "按 2017 年的数据判断为已达成" in page
    # dcr2017 line 45: "IT 项目投资占全社会固定资产投资总额的比例(%) 5 2.77 3.10 (0.33)"
    assert "2016–2017 年实际增长 11.9%，慢于规划要求，此后每年须增长 17.3% 才能如期达标" in page
    assert "投入结构类指标（信息化投资占比）的增速落后于规划要求" in page


def test_2017_page_names_no_later_term_and_no_absent_panel() -> None:
    page = preview("innovation", 2017)
    assert "算力" not in page and "新型基础设施" not in page  # neither is in dcr2017
    assert "专利、企业与投资" not in page and "每项只有两个年份" in page
    assert "## 创新生态\n" in page and "人才" not in dict(sections(page))["创新生态"]
    assert "这些都是" not in page and "优势在于规模和速度" not in page


def test_2021_page_points_to_the_compute_figures_it_has() -> None:
    page = preview("innovation", 2021)
    assert "## 创新生态与人才" in page and "专利、企业与投资" in page
    assert "算力的规模见{doc}`02_infrastructure`" in page
