"""Chapter 01 总览: the facts ``dcbook.chapters.overview`` computes (headline panel from ``dcbook.panel``,
milestones from ``dcbook.milestones``, scorecards, the comparison with the previous edition) and its page per
edition. The comparison itself is tested in test_changes.py.

Hand-made datasets (:mod:`fakes`) check each rule against numbers worked out by hand, including a thin
edition whose sections are left out; the last tests render the chapter for every real edition and check the
figures against the source lines.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from fakes import FakeDS
from prose_checks import preview

from dcbook import changes, data, fmt, render
from dcbook import milestones as M
from dcbook import panel as P
from dcbook.chapters import exhibits
from dcbook.chapters import overview as ch

MILESTONE_COLUMNS = ["date", "event_zh", "category", "domain", "source_id", "locator", "quote"]


def nat(i: str, y: int, v: float, q: str = "exact") -> tuple[Any, ...]:
    return (i, y, v, q)


def with_milestones(ds: FakeDS, rows: list[tuple[str, str, str, str]]) -> FakeDS:
    ds.milestones = pd.DataFrame(
        [(d, e, c, dom, "rep", 1, "引文") for d, e, c, dom in rows], columns=MILESTONE_COLUMNS
    )
    return ds


# ----------------------------------------------------------------------------------------------------------
# headline panel (dcbook.panel, shared with 导读)


def test_panel_picks_first_alternative_with_two_years() -> None:
    ds = FakeDS(
        [
            nat("base_stations_5g", 2021, 142.5),  # one year only: the fallback with two years wins
            nat("fixed_broadband_household_penetration", 2016, 56),
            nat("fixed_broadband_household_penetration", 2020, 96),
            nat("internet_users", 2015, 6.88),
            nat("internet_users", 2021, 10.32),
        ]
    )
    assert P.headline_ids(ds) == ["internet_users", "fixed_broadband_household_penetration"]


def test_panel_single_year_alternative_used_when_none_has_two() -> None:
    ds = FakeDS([nat("base_stations_5g", 2021, 142.5)])
    panel = P.headline_panel(ds)
    assert list(panel["indicator_id"]) == ["base_stations_5g"]
    row = panel.iloc[0]
    assert row["n_years"] == 1
    assert row["start_year"] is None or pd.isna(row["start_year"])
    table = exhibits.panel_table(panel).iloc[0]
    assert table["最新值"] == "142.5 万个" and table["较最早年份变化"] == exhibits.ONE_YEAR


def test_panel_changes_growth_points_and_ranks() -> None:
    ds = FakeDS(
        [
            nat("internet_users", 2015, 6.88),
            nat("internet_users", 2021, 10.32),
            nat("internet_penetration", 2015, 50.3),
            nat("internet_penetration", 2020, 70, "lower_bound"),
            nat("gii_rank", 2015, 29),
            nat("gii_rank", 2020, 14),
            nat("online_retail_sales", 2016, 5.16),
            nat("online_retail_sales", 2021, 13.09),
        ]
    )
    panel = P.headline_panel(ds).set_index("indicator_id")
    table = exhibits.panel_table(panel.reset_index())
    cells = dict(zip(panel.index, zip(table["最新值"], table["较最早年份变化"], strict=True), strict=True))
    # 10.32 / 6.88 = 1.5 → +50.0 %; CAGR over 6 years = 1.5 ** (1/6) - 1
    assert cells["internet_users"][1] == "增长 50.0%（较 2015 年）"
    assert panel.at["internet_users", "cagr"] == pytest.approx(1.5 ** (1 / 6) - 1)
    assert panel.at["internet_users", "spark_years"] == [2015, 2021]
    # 70 (超过) − 50.3 = 19.7 points, and the lower bound carries into the words
    assert cells["internet_penetration"][1] == "提高超过 19.7 个百分点（较 2015 年）"
    assert pd.isna(panel.at["internet_penetration", "cagr"])  # no growth rate of a share
    # rank 29 → 14: up 15 places; ranks get no CAGR either
    assert cells["gii_rank"] == ("第 14 位", "上升 15 位（较 2015 年）")
    # 13.09 / 5.16 = 2.54 → 增长 1.5 倍 (new value is 2.5 times the old one)
    assert cells["online_retail_sales"][1] == "增长 1.5 倍（较 2016 年）"
    # the domain column uses the book's one list of domain names
    assert panel.at["internet_users", "domain_zh"] == "数字社会与民生"
    # all four better at the end; a rank is better when its number falls
    assert P.improving(panel.reset_index()) == 4


def test_change_words_decline_and_equal() -> None:
    assert fmt.change_words(20.0, 25.0, "位") == "下降 5 位"
    assert fmt.change_words(20.0, 20.0, "位") == "名次未变"
    assert fmt.change_words(25.0, 20.0, "%") == "下降 5.0 个百分点"
    assert fmt.change_words(25.0, 20.0, "万亿元") == "下降 20.0%"
    assert fmt.change_words(9.89, 10.0, "亿人", "lower_bound") == "增长超过 1.1%"
    # a lower bound is floored, never rounded up past what it allows: 9.57 / 1 − 1 = 8.57 → 超过 8.5 倍
    assert fmt.change_words(1.0, 9.57, "万件", "lower_bound") == "增长超过 8.5 倍"
    assert fmt.change_words(1.0, 9.57, "万件") == "增长 8.6 倍"
    assert (
        fmt.change_words(124.0, 530.0, "亿人次", "upper_bound") == "增长不到 3.3 倍"
    )  # the base is a lower bound
    assert fmt.change_words(65.0, 600.0, "亿条", "open").startswith("增幅无法确定")  # both ends lower bounds
    assert (
        fmt.growth_size(1.3339, "upper_bound") == "不到 33.4%"
        and fmt.growth_size(1.3339, "open") == "约 33.4%"
    )


def test_a_table_cell_and_the_prose_round_one_change_the_same_way() -> None:
    """The 总览 table (exhibits.change_cell) and the templates' growth filter share one rule."""
    from dcbook import facts as F
    from dcbook.prose import filters

    first = F.Value(indicator="x", name="x", value=1.0, unit="万件", qualifier="exact", year=2017)
    last = F.Value(indicator="x", name="x", value=9.57, unit="万件", qualifier="lower_bound", year=2021)
    cell = exhibits.change_cell(1.0, "exact", 9.57, "lower_bound", "万件")
    assert cell == "增长" + str(filters.growth(F.change_of(first, last))) == "增长超过 8.5 倍"


def test_growth_extremes_compare_annual_rates_of_level_indicators() -> None:
    ds = FakeDS(
        [
            nat("internet_users", 2015, 6.88),
            nat("internet_users", 2021, 10.32),
            nat("software_revenue", 2016, 4.9),
            nat("software_revenue", 2021, 9.5),
            nat("gii_rank", 2015, 29),
            nat("gii_rank", 2020, 14),
        ]
    )
    panel = P.headline_panel(ds)
    g = P.growth_frame(panel)
    assert list(g["indicator_id"]) == ["software_revenue", "internet_users"]  # the rank is left out
    # software: (9.5 / 4.9) ** (1/5) - 1 = 14.2 %; netizens 1.5 ** (1/6) - 1 = 7.0 %
    assert list(g["value"]) == [14.2, 7.0]
    # rule 8: the rates are the book's; the chart's table says so where a source would stand
    from dcbook import charts

    assert g["computed"].all()
    assert set(charts._prepare(g, "bar_ranking")["_source"]) == {charts.COMPUTED_SOURCE}
    fast, slow, n = P.growth_extremes(ds, panel)
    assert (fast.series.indicator, slow.indicator, n) == ("software_revenue", "internet_users", 2)
    assert fast.cagr == pytest.approx((9.5 / 4.9) ** (1 / 5) - 1) and not fast.small_base
    one = FakeDS([nat("internet_users", 2021, 10.32)])
    assert P.growth_frame(P.headline_panel(one)).empty
    assert P.growth_extremes(one, P.headline_panel(one)) == (None, None, 0)


# ----------------------------------------------------------------------------------------------------------
# coverage, lead findings, rural gap


def test_coverage_counts_national_indicators_per_domain() -> None:
    ds = FakeDS(
        [
            nat("internet_users", 2021, 10.32),
            nat("rural_internet_penetration", 2021, 57.6),
            nat("base_stations_5g", 2021, 142.5),
            ("internet_users", 2021, 1.2, "exact", "浙江"),  # provincial rows do not count
        ]
    )
    counts = ch.domain_counts(ds)
    assert counts["数字社会与民生"] == 2 and counts["数字基础设施"] == 1 and counts["国际合作"] == 0
    facts = ch.facts(ds)
    assert facts["coverage_total"] == 3 and facts["coverage_most"] == ("数字社会与民生",)
    assert facts["coverage_least_n"] == 0 and "国际合作" in facts["coverage_least"]


def test_findings_lead_with_figures_of_the_editions_own_years() -> None:
    sources = pd.DataFrame(
        [
            {"source_id": "old", "title": "旧报告", "publisher": "测试机构", "published": "2018-05",
             "edition_year": 2017, "kind": "yearly_report"},
            {"source_id": "rep", "title": "测试报告", "publisher": "测试机构", "published": "2021-07",
             "edition_year": 2020, "kind": "yearly_report"},
        ]
    )  # fmt: skip
    ds = FakeDS(
        [
            nat("digital_economy_size", 2017, 27.2),  # only an old figure: not the 2020 edition's own
            nat("digital_economy_gdp_share", 2017, 32.9),
            nat("digital_economy_gdp_share", 2020, 38.6),  # current: kept
            nat("internet_users", 2015, 6.88),
            nat("internet_users", 2020, 9.89),
        ],
        edition=2020,
        sources=sources,
    )
    assert ch.own_years(ds) == (2018, 2020)
    panel = P.headline_panel(ds)
    assert ch.lead_indicators(ds, panel) == ["digital_economy_gdp_share", "internet_users"]
    # the first edition owns every year up to it
    first = FakeDS([nat("digital_economy_size", 2017, 27.2)], edition=2017)
    assert ch.own_years(first) == (None, 2017)
    assert ch.lead_indicators(first, panel.iloc[0:0]) == ["digital_economy_size"]


def test_rural_gap_in_the_first_and_last_shared_year() -> None:
    ds = FakeDS(
        [
            nat("internet_penetration", 2017, 55.8),
            nat("internet_penetration", 2020, 70, "lower_bound"),
            nat("internet_penetration", 2021, 73),
            nat("rural_internet_penetration", 2017, 35.4),
            nat("rural_internet_penetration", 2021, 57.6),
        ]
    )
    first, last = ch.rural_gaps(ds)
    # 55.8 − 35.4 = 20.4 points in 2017; 73 − 57.6 = 15.4 points in 2021 (2020 has no rural figure)
    assert first is not None and last is not None
    assert (first.low.year, round(first.points, 1), last.low.year, round(last.points, 1)) == (
        2017,
        20.4,
        2021,
        15.4,
    )
    only = FakeDS(
        [nat("internet_penetration", 2020, 70, "lower_bound"), nat("rural_internet_penetration", 2020, 55.9)]
    )
    first, last = ch.rural_gaps(only)
    # >70 − 55.9: the gap is a lower bound (超过 14.1 points)
    assert first is None and last is not None and last.bound == "lower_bound"
    page = preview("overview", ds=only)
    assert "2020 年，它仍比全国互联网普及率低超过 14.1 个百分点" in page


# ----------------------------------------------------------------------------------------------------------
# milestones (dcbook.milestones; the timeline in dcbook.chapters.exhibits)


MILES = [
    ("2021-06", "《数据安全法》审议通过", "law", "security_governance"),
    ("2017-06-01", "《中华人民共和国网络安全法》施行", "law", "security_governance"),
    ("2020", "发布《关于构建更加完善的要素市场化配置体制机制的意见》", "strategy", "data_resources"),
    ("2020-03", "印发《关于构建更加完善的要素市场化配置体制机制的意见》", "strategy", "data_resources"),
    ("2021", "国家网信办首次开展数字中国发展水平评估（2021年）", "evaluation", "overview"),
    ("2016", "网络扶贫行动实施", "event", "digital_society"),
]


def test_milestones_sorted_and_duplicate_year_only_entry_dropped() -> None:
    m = M.milestone_frame(with_milestones(FakeDS([]), MILES))
    # the year-only 2020 strategy names the same 《…》 as the 2020-03 one: dropped
    assert list(m["date"]) == ["2016", "2017-06-01", "2020-03", "2021", "2021-06"]
    assert list(m["_date"]) == ["2016-01-01", "2017-06-01", "2020-03-01", "2021-01-01", "2021-06-01"]
    assert list(m["precision"]) == ["年", "日", "月", "年", "月"]
    assert M.category_counts(m) == {"战略": 1, "法律": 2, "评估评价": 1, "事件": 1}
    events = M.events(M.of_categories(m, ["law"]))
    assert [e.date for e in events] == ["2017-06-01", "2021-06"]


def test_key_milestones_fall_back_to_all_when_few() -> None:
    ds = with_milestones(FakeDS([]), MILES)
    # only 4 key ones (2 laws, 1 strategy, 1 evaluation) < MIN_KEY_MILESTONES: every milestone is kept
    assert len(ch.key_milestones(ds)) == 5
    facts = ch.facts(ds)
    assert facts["key_all"] and facts["key_n"] == 5
    # 2021 has two of the five (the evaluation and the law)
    assert (facts["key_peak_years"], facts["key_peak_n"]) == ((2021,), 2)
    assert [e.event for e in facts["evaluations"]] == ["国家网信办首次开展数字中国发展水平评估（2021年）"]


def test_equally_busy_years_and_domains_are_all_named() -> None:
    """Rule: a tie is reported as a tie — two years with as many key milestones are both the busiest, and two
    domains with as many indicators are both the best covered (never the first of them only)."""
    ds = FakeDS([nat("internet_users", 2021, 10.32), nat("base_stations_5g", 2021, 142.5)])
    tied = [*MILES, ("2020-09", "印发《关于加快推进国有企业数字化转型工作的通知》", "strategy", "economy")]
    facts = ch.facts(with_milestones(ds, tied))
    assert (facts["key_peak_years"], facts["key_peak_n"]) == ((2020, 2021), 2)  # two each
    assert facts["law_peak_years"] == (2017, 2021)  # one law each
    assert facts["coverage_most"] == ("数字基础设施", "数字社会与民生")
    later = [*tied, ("2020-12", "印发《关于推进“上云用数赋智”行动的实施方案》", "strategy", "economy")]
    facts = ch.facts(with_milestones(FakeDS([nat("internet_users", 2021, 10.32)]), later))
    assert (facts["key_peak_years"], facts["key_peak_n"]) == ((2020,), 3)


def test_milestone_chart_renders_with_source_and_hollow_note() -> None:
    ds = with_milestones(FakeDS([]), MILES)
    titled = render.figure(exhibits.milestone_chart(ch.key_milestones(ds), title="里程碑", takeaway="测试"))
    assert titled.source_line == "来源：《测试报告》"
    assert exhibits.YEAR_ONLY_NOTE in titled.chart.to_dict()["title"]["subtitle"]
    assert "《数据安全法》审议通过" in titled.alt_text
    # untitled for a chart directive; none without milestones
    assert isinstance(exhibits.timeline(ch.key_milestones(ds)), render.Figure)
    assert exhibits.timeline(M.milestone_frame(FakeDS([]))) is None


# ----------------------------------------------------------------------------------------------------------
# pages of hand-made editions


def test_an_empty_edition_leaves_the_sections_out() -> None:
    ds = FakeDS([], edition=2017)
    facts = ch.facts(ds)
    assert facts["update"] is None and facts["plans"] is None and facts["laws"] is None
    assert all(v is None for v in ch.figures(ds).values())
    page = preview("overview", ds=ds)
    assert "## 对照规划" not in page and "第二阶段" not in page and "[chart]" not in page
    assert "2017 年版是本书的第一版，没有可以比较的上一版。" in page


def test_a_thin_edition_says_only_what_it_has() -> None:
    ds = with_milestones(
        FakeDS(
            [
                nat("digital_economy_size", 2017, 27.2),
                nat("internet_users", 2016, 7.31),
                nat("internet_users", 2017, 7.72),
                nat("online_retail_sales", 2016, 5.16),
                nat("online_retail_sales", 2017, 7.18),
                nat("gii_rank", 2017, 22),
            ],
            edition=2017,
        ),
        [("2017-04", "实践十三号发射成功", "event", "infrastructure")],
    )
    page = preview("overview", ds=ds)
    # (7.18 / 5.16) − 1 = 39.1 %; (7.72 / 7.31) − 1 = 5.6 %, both over one year
    assert "网上零售额增长最快（2016–2017 年增长 39.1%），网民规模最慢（2016–2017 年增长 5.6%）" in page
    assert "而且都只跨相邻的两年" in page
    assert "本版资料只有 2017 年一个数字，还看不出它的走势" in page  # the digital economy
    assert "本版资料中的国际排名只有一个年份" in page  # one rank: not "都"
    assert "## 里程碑\n" in page and "从战略纲要到数据立法" not in page and "三个阶段" not in page
    assert "下图按时间先后列出全部里程碑" in page


def test_the_update_section_words_the_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    old = FakeDS([nat("internet_users", 2020, 9.89)], edition=2020)
    new = FakeDS([nat("internet_users", 2020, 9.89), nat("internet_users", 2021, 10.32)], edition=2021)
    monkeypatch.setattr(ch, "comparison", lambda ds: (2020, changes.edition_changes(new, old)))
    page = preview("overview", ds=new)
    assert "与 2020 年版相比，本版新增了 1 个数值（涉及 1 项指标）" in page
    assert "网民规模（2021 年 10.32 亿人）" in page
    # 10.32 / 9.89 − 1 = 4.3 %: one level indicator moved; its row is in the table
    assert "最新年份比 2020 年版更新的全国规模类指标共 1 项" in page
    assert "[data-table]" in page.split("## 本版更新")[1]
    assert "本版没有修订 2020 年版已有的数值" in page


# ----------------------------------------------------------------------------------------------------------
# real data, every edition


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    panel = P.headline_panel(ds)
    assert 8 <= len(panel) <= 12
    assert panel["domain"].nunique() >= 4
    figs = ch.figures(ds)
    assert set(figs) == {"trend", "growth", "timeline", "plans"}
    assert all(isinstance(f, render.Figure) for f in figs.values())
    facts = ch.facts(ds)
    # plans only from sources the edition can see: the 2017 edition knows only the 13th FYP table
    assert [p["plan"] for p in facts["plans"]] == (["fyp13"] if edition < 2020 else ["fyp13", "fyp14"])
    prev, comp = ch.comparison(ds)
    assert (facts["update"] is None) == (prev is None)
    if comp is not None:
        # every new value is absent from the previous edition and present in this one
        nv = comp["new_values"]
        keys = set(zip(nv["indicator_id"], nv["region"], nv["year"], strict=True))
        old = data.load(prev).resolved
        assert not keys & set(zip(old["indicator_id"], old["region"], old["year"], strict=True))


def test_scorecard_counts_match_chapter_12_once_the_target_year_has_passed() -> None:
    """The overview counts verdicts, never 进度领先 for the finished 13th plan (issue #5)."""
    from dcbook import targets as tg

    ds = data.load(2021)
    page = preview("overview", 2021)
    counts = tg.scorecard_panel(ds)["plans"]["fyp13"]["counts"]
    first = page.split("“十三五”国家信息化规划的 14 项主要指标中，")[1].split("。")[0]
    assert f"已达成 {counts['已达成']} 项" in first and "进度领先" not in first
    assert "另有 12 项无法评估（无数据 12 项）。" in page


def test_2017_page_reads_as_written_in_2017() -> None:
    page = preview("overview", 2017)
    assert "十四五" not in page and "2021 年版" not in page and "2020 年版" not in page
    assert "{cite:p}`dcr2017`" in page and "fyp14" not in page
    assert "2017 年版是本书的第一版，没有可以比较的上一版。" in page
    assert "“无数据”" not in page and "“中途达标”" not in page  # no such verdict in this edition
    # dcr2017 line 13: "数字中国是新时代国家信息化发展的新战略"
    assert "把数字中国称为“新时代国家信息化发展的新战略”" in page


def test_2020_page_states_the_checked_figures() -> None:
    page = preview("overview", 2020)
    assert "2021 年版" not in page and "数字中国发展报告（2021年）" not in page
    # dcr2020 has no national digital-economy total (line 30: "我国数字经济总量跃居世界第二"):
    # the latest figure is the 2017 report's
    assert "本版资料中数字经济规模的最新数字仍是 2017 年的" in page
    # dcr2020 line 116: "农村地区互联网普及率达55.9%"; line 35: "互联网普及率由50.3%提升到70.4%" (exact: it
    # wins over fyp14_plan line 66's later "超过 70%")
    assert "2020 年，它仍比全国互联网普及率低 14.5 个百分点" in page
    # dcr2020 line 136: the data-security and personal-information laws are drafts in 2020
    assert "数据和个人信息这两块最基础的规则，在本版资料中还只是公开征求意见的草案" in page
    assert "与 2017 年评价相比，新进入的是山东，退出的是重庆" in page


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("overview", 2021)
    # dcr2021 line 191: "2017 年到 2021 年，我国数字经济规模从 27.2 万亿增至 45.5 万亿"
    assert "数字经济规模 2017–2021 年由 27.2 万亿元增至 45.5 万亿元，增长 67.3%" in page
    # (45.5 / 27.2) ** (1/4) − 1 = 13.7 %
    assert "它的规模年均增长 13.7%" in page
    # dcr2021 line 223: "互联网普及率由 55.8% 上升到 73%，特别是农村地区互联网普及率提升到 57.6%";
    # dcr2017 line 84: "农村互联网普及率上升至35.4%"
    assert "差距由 2017 年的 20.4 个百分点缩小到 2021 年的 15.4 个百分点" in page
    assert "网络安全法之后，数据和个人信息这两块最基础的规则直到“十四五”开局才落地" in page
    assert "相对差异最大的是全国 2017 年的电子商务交易额：由 29.16 万亿元改为 29 万亿元" in page
    assert "dcbook" not in page  # no code named to readers


def test_the_order_of_facts_survives_the_notebook() -> None:
    """The executed notebook stores the payload with sorted keys: lists by count and verdicts in their
    order must read the same after that round trip (the coverage list, 按领域分, the verdict counts)."""
    import json

    from prose_checks import notebook_of

    from dcbook.chapters import compute
    from dcbook.prose.notebook import preview as render_preview

    payload = compute("overview", data.load(2021)).payload()
    stored = json.loads(json.dumps(payload, sort_keys=True))
    path = notebook_of("overview")
    nb = json.loads(path.read_text(encoding="utf-8"))
    page = render_preview(stored, nb, path.parent / "_templates", where="t")
    assert page == render_preview(payload, nb, path.parent / "_templates", where="t")
    assert "分布为：数字基础设施 121 项、数据资源与数据要素 56 项" in page
    assert "按领域分：数字社会与民生 111 项、数字基础设施 50 项" in page
    assert "14 项主要指标中，已达成 6 项，未达成 3 项，中途达标 2 项" in page
