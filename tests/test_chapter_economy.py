"""Chapter 05 数字经济: the facts ``dcbook.chapters.economy`` computes, and its page per edition.

Most tests use a tiny hand-made dataset (:mod:`fakes`) so each rule is checked against numbers worked out by
hand; the last ones render the chapter's templates for every real edition and check the page against the
source lines.
"""

from __future__ import annotations

import pytest
from fakes import FakeDS
from prose_checks import notebook_of, preview

from dcbook import booklint, data, render
from dcbook import facts as F
from dcbook.chapters import economy as ch
from dcbook.chapters import exhibits

SIZE = [("digital_economy_size", 2017, 27.2, "exact"), ("digital_economy_size", 2021, 45.5, "exact")]


def test_printed_compound_rate_is_checked_against_the_two_ends() -> None:
    # (45.5 / 27.2) ** (1/4) - 1 = 13.73 %; the ends' rounding (27.15..27.25, 45.45..45.55) allows
    # 13.64 %..13.81 %, so a printed 13.6 % (13.55..13.65) is within it, a printed 12.0 % is not
    within = ch.size_check(FakeDS([*SIZE, ("digital_economy_size_cagr", 2021, 13.6, "exact")]))
    assert within is not None and within.cagr == pytest.approx(0.13726, abs=1e-5)
    st = within.stated
    assert st is not None and st.annual and (st.agree, st.rounding, st.consistent) == (False, True, True)
    assert st.points == pytest.approx(0.126, abs=1e-3)
    same = ch.size_check(FakeDS([*SIZE, ("digital_economy_size_cagr", 2021, 13.7, "exact")]))
    assert same is not None and same.stated.agree and not same.stated.rounding  # type: ignore[union-attr]
    off = ch.size_check(FakeDS([*SIZE, ("digital_economy_size_cagr", 2021, 12.0, "exact")]))
    assert off is not None and not off.stated.consistent  # type: ignore[union-attr]
    assert off.stated.cause == "definition"  # type: ignore[union-attr]  # one document prints all three
    # a rate printed for another end year, or a bound, is not checked; one year of size gives no check
    assert ch.size_check(FakeDS([*SIZE, ("digital_economy_size_cagr", 2020, 13.6, "exact")])) is None
    assert ch.size_check(FakeDS([*SIZE, ("digital_economy_size_cagr", 2021, 13, "lower_bound")])) is None
    assert ch.size_check(FakeDS([SIZE[0], ("digital_economy_size_cagr", 2017, 13.6, "exact")])) is None


def test_year_before_checks_are_listed_apart_only_where_the_series_spans_more_years() -> None:
    # 2016 → 2017 is the series' own change: its printed growth shows beside it, not in a separate list
    rows = [
        ("online_retail_sales", 2016, 5.16, "exact"),
        ("online_retail_sales", 2017, 7.18, "exact"),
        ("online_retail_sales_growth", 2017, 32.2, "exact"),
    ]
    assert ch.checked_apart(FakeDS(rows), "online_retail_sales") is None
    # 2013, 2016, 2017: the series' change spans four years, the printed growth one
    longer = FakeDS([("online_retail_sales", 2013, 1.85, "exact"), *rows])
    c = ch.checked_apart(longer, "online_retail_sales")
    assert c is not None and (c.start, c.end) == (2016, 2017) and c.stated is not None
    assert not c.stated.consistent and c.stated.points == pytest.approx(6.95, abs=0.01)
    # a growth of an older year than the series' latest is not "当年"
    stale = FakeDS(
        [("online_retail_sales", 2013, 1.85, "exact"), *rows, ("online_retail_sales", 2020, 11.76, "exact")]
    )
    assert ch.checked_apart(stale, "online_retail_sales") is None


def test_digitalisation_split_sums_the_two_parts_of_one_year() -> None:
    ds = FakeDS(
        [
            ("digital_industrialization_value_added", 2019, 7.1, "exact"),
            ("industrial_digitalization_value_added", 2019, 28.8, "approx"),
        ]
    )
    split = ch.digitalisation_split(ds)
    assert split is not None
    # 7.1 + 28.8 = 35.9 (approximate: one part is); 28.8 / 35.9 = 80.2 %
    assert (split["total"].value, split["total"].qualifier, split["total"].computed) == (35.9, F.APPROX, True)
    assert split["share"].ratio == pytest.approx(0.8022, abs=1e-4) and split["share"].bound == F.APPROX
    apart = FakeDS(
        [
            ("digital_industrialization_value_added", 2019, 7.1, "exact"),
            ("industrial_digitalization_value_added", 2020, 31.7, "exact"),
        ]
    )
    assert ch.digitalisation_split(apart) is None  # never two years added up


def test_sectors_are_named_short_and_compared_in_points_and_ratio() -> None:
    ds = FakeDS(
        [
            ("agriculture_digital_economy_penetration", 2019, 8.2, "exact"),
            ("services_digital_economy_penetration", 2019, 37.8, "exact"),
            ("industry_digital_economy_penetration", 2019, 19.5, "exact"),
        ]
    )
    f = ch.facts(ds)
    assert [v.name for v in f["sectors"]] == ["服务业", "工业", "农业"]
    assert f["sector_gap"].points == pytest.approx(29.6)  # 37.8 - 8.2
    assert f["sector_ratio"].ratio == pytest.approx(4.6098, abs=1e-4)  # 37.8 / 8.2
    page = preview("economy", ds=ds)
    assert (
        "2019 年数字经济渗透率分别为服务业 37.8%、工业 19.5%、农业 8.2%；服务业比农业高 29.6 个百分点" in page
    )
    assert "服务业最高，是农业的 4.6 倍" in page


def test_industries_are_ordered_by_compound_growth_over_their_own_spans() -> None:
    ds = FakeDS(
        [
            ("electronics_manufacturing_revenue", 2017, 10.0, "exact"),
            ("electronics_manufacturing_revenue", 2021, 12.0, "exact"),
            ("internet_services_revenue", 2017, 7000.0, "exact"),
            ("internet_services_revenue", 2021, 14000.0, "exact"),
            ("software_revenue", 2021, 9.5, "exact"),  # one year: no rate
        ]
    )
    order = ch.industries_by_growth(ds)
    # 2 ** (1/4) - 1 = 18.9 %; 1.2 ** (1/4) - 1 = 4.7 %
    assert [s.indicator for s in order] == ["internet_services_revenue", "electronics_manufacturing_revenue"]
    assert order[0].change.cagr == pytest.approx(0.1892, abs=1e-4)  # type: ignore[union-attr]
    page = preview("economy", ds=ds)
    assert "## 数字产业化：哪个产业增长最快" in page
    assert "规模以上互联网和相关服务企业业务收入（2017–2021 年）18.9%、" in page


def test_new_services_read_as_people_with_their_own_years_growth() -> None:
    ds = FakeDS(
        [
            ("online_office_users", 2021, 4.69, "exact"),
            ("online_office_users_growth", 2021, 35.7, "exact"),
            ("online_medical_users", 2021, 2.98, "exact"),
            ("online_medical_users_growth", 2020, 40.0, "exact"),  # another year's growth: not shown
        ]
    )
    forms = ch.new_forms(ds)
    assert [(x["users"].unit, x["growth"] and x["growth"].value) for x in forms] == [
        ("亿人", 35.7),
        ("亿人", None),
    ]
    page = preview("economy", ds=ds)
    assert "2021 年在线办公用户规模 4.69 亿人（同比增长 35.7%），在线医疗用户规模 2.98 亿人。" in page


def test_a_half_year_figure_reads_as_a_half_year() -> None:
    # fyp14_interp line 121: "2020年上半年我国人工智能核心产业规模达到了770亿元，超过2019年全年510亿元的规模"
    ds = FakeDS(
        [("ai_core_industry_size", 2019, 510, "exact"), ("ai_core_industry_size_h1", 2020, 770, "exact")]
    )
    page = preview("economy", ds=ds)
    assert (
        "2019 年人工智能核心产业规模为 510 亿元，2020 年仅上半年就达到 770 亿元，超过了上一年的全年规模"
        in page
    )
    assert "2020 年人工智能" not in page and "上半年）" not in page


def test_an_empty_edition_has_every_fact_declared_and_missing() -> None:
    facts = ch.facts(FakeDS([], edition=2017))
    assert facts["n_indicators"] == 0
    assert all(v is None for k, v in facts.items() if k != "n_indicators")
    figs = ch.figures(FakeDS([], edition=2017))
    assert set(figs) == {"size", "sectors", "industries", "trade", "mfg", "plan"}
    assert all(v is None for v in figs.values())


def test_a_thin_edition_leaves_out_what_it_lacks() -> None:
    ds = FakeDS(
        [
            ("digital_economy_size", 2017, 27.2, "exact"),
            ("digital_economy_size_growth", 2017, 20.3, "exact"),
            ("digital_economy_gdp_share", 2017, 32.9, "exact"),
            *[("online_retail_sales", y, v, "exact") for y, v in ((2016, 5.16), (2017, 7.18))],
        ],
        edition=2017,
    )
    page = preview("economy", ds=ds)
    # one year of size: the printed growth is stated, no "cannot compute"
    assert (
        "2017 年数字经济规模为 27.2 万亿元，报告给出的同比增速为 20.3%；2017 年占 GDP 比重为 32.9%。" in page
    )
    assert "无法计算" not in page and "年均复合增长" not in page
    assert "## 三次产业" not in page and "## 规划目标" not in page  # left out, not filled with "no data"
    assert "## 数字产业化\n" in page  # no comparison of industries, so no promise of one
    assert "疫情" not in page and "十四五" not in page


def test_a_late_edition_says_once_that_its_size_is_old() -> None:
    ds = FakeDS([("digital_economy_size", 2017, 27.2, "exact")], edition=2020)
    page = preview("economy", ds=ds)
    assert "这是本版资料中最新的总量数字，2017 年以后的规模本版资料没有给出。" in page
    assert "**规模与占比。**" not in page  # an old figure is not the edition's headline


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    figs = ch.figures(ds)
    assert all(f is None or isinstance(f, render.Figure) for f in figs.values())
    assert sum(f is not None for f in figs.values()) >= 3
    head = ch.headline(ds)
    assert head["edition"] == str(edition) and head["digital_economy_size"].endswith("万亿元")
    assert head["online_retail_sales"] != exhibits.NO_VALUE
    assert booklint.typed_figures_in_notebook(notebook_of("economy")) == []


def test_2017_page_states_the_checked_figures() -> None:
    page = preview("economy", 2017)
    # dcr2017 line 55: "网络商品零售额(万亿元)\t10\t5.16\t7.18\t32.2" (the last column: 2017 年同比增速)
    assert "增长 39.1%（报告印出的同比增速为 32.2%，相差 6.9 个百分点；两年数值与增速出自同一份资料" in page
    # dcr2017 line 54: "电子商务交易规模(万亿元)\t>38\t26.1\t29.16\t11.7"; line 53: 信息消费 3.9 → 4.5, 15.4
    assert "26.1 万亿元增至 29.16 万亿元，增长 11.7%（与报告印出的同比增速一致）" in page
    assert "3.9 万亿元增至 4.5 万亿元，增长 15.4%（与报告印出的同比增速一致）" in page
    # dcr2017: "2017 年我国数字经济规模达 27.2 万亿元，同比增长 20.3%"
    assert "2017 年数字经济规模为 27.2 万亿元，报告给出的同比增速为 20.3%" in page
    # dcr2017 line 29: "2017 年完成收入 5.5 万亿元，同比增长 13.9%，实现利润总额 7020 亿元，同比增长 15.8%"
    assert "2017 年软件业务收入为 5.5 万亿元，同比增长 13.9%；利润总额 7,020 亿元，同比增长 15.8%" in page


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("economy", 2021)
    # dcr2021: "我国数字经济规模从 27.2 万亿增至 45.5 万亿元，年均复合增长率达 13.6%"
    assert "数字经济规模 2017–2021 年由 27.2 万亿元增至 45.5 万亿元，增长 67.3%" in page
    assert "年均复合增长 13.7%（报告印出的年均增速为 13.6%，差别在两端数值取整的范围内）" in page
    # dcr2021: "我国网络零售额达 13.09 万亿元，同比增长 14.1%"; fyp14_plan: 网上零售额 2020 年 11.76
    assert (
        "网上零售额按 2020 年和 2021 年的数值算增长 11.3%（报告印出的同比增速为 14.1%，相差 2.8 个百分点；"
        "上年的 11.76 万亿元来自另一份资料，印出增速所用的基数可能已经修订）" in page
    )
    # fyp14_interp: 数字产业化增加值 7.1 万亿元, 产业数字化增加值约 28.8 万亿元 (2019)
    assert "后者占两者之和的约 80.2%（计算值）" in page
    # fyp14_interp line 121: "2020年上半年我国人工智能核心产业规模达到了770亿元"
    assert "2020 年仅上半年就达到 770 亿元" in page
    # dcr2021: "在线办公、在线医疗、网上外卖用户规模分别达 4.69 亿、2.98 亿、5.44 亿，同比分别增长 35.7%…"
    assert "在线办公用户规模 4.69 亿人（同比增长 35.7%）" in page


def test_2017_page_names_nothing_later() -> None:
    page = preview("economy", 2017)
    assert "十四五" not in page and "dcr2021" not in page and "疫情" not in page
    assert "早期报告" not in page  # the 2017 report is the only one it can see


def test_review_fixes_2017_2021() -> None:
    p17 = preview("economy", 2017)
    # a one-year span is a growth, not 年均; a mid-plan box does not count "已达成 0 项"
    assert "（2016–2017 年增长 39.1%）" in p17 and "年年均" not in p17
    assert "已达成 0 项" not in p17
    # dcr2017 line 29 prints "规模以上电子信息制造业同比增长 13.8%" (no 增加值) for the key point
    assert "规模以上电子信息制造业增长 13.8%" in p17
    p21 = preview("economy", 2021)
    # rural (2014–2021) and national (2016–2021) cover different spans: no "增长更快" between them
    assert "农村的网络零售增长更快" not in p21
    assert "更慢、也更难" not in p21
