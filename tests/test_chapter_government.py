"""Chapter 06 数字政府: the facts ``dcbook.chapters.government`` computes, and its page per edition.

Most tests use a tiny hand-made dataset (:mod:`fakes`) so each rule is checked against numbers worked out by
hand; the last ones render the chapter's templates for every real edition and check the page against the
source lines.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from fakes import TARGET_COLUMNS, FakeDS
from prose_checks import notebook_of, preview

from dcbook import booklint, data, render
from dcbook import facts as F
from dcbook.chapters import government as ch

REGIONAL_COLUMNS = ["source_id", "year", "framework", "dimension", "province", "rank", "tier", "score"]


def target(
    indicator_id: str, plan: str = "fyp14", base: float | None = 4.0, goal: float = 8.0, unit: str = "亿人"
) -> dict[str, Any]:
    return {
        "plan": plan, "indicator_id": indicator_id, "source_id": "rep", "comparator": ">=",
        "base_year": 2020 if base is not None else None, "base_value": base,
        "target_year": 2025 if plan == "fyp14" else 2020, "target_value": goal, "unit": unit,
        "attribute": "预期性", "locator": 1, "quote": "q",
    }  # fmt: skip


def with_targets(rows: list[tuple[Any, ...]], *targets: dict[str, Any], edition: int = 2021) -> FakeDS:
    return FakeDS(rows, edition, targets=pd.DataFrame(list(targets), columns=TARGET_COLUMNS))


def regional_rows(dimension: str, provinces: list[str], year: int = 2021) -> list[dict[str, Any]]:
    return [
        {"source_id": "rep", "year": year, "framework": "eval", "dimension": dimension, "province": p,
         "rank": None, "tier": "", "score": None}
        for p in provinces
    ]  # fmt: skip


def with_regional(rows: list[dict[str, Any]]) -> FakeDS:
    ds = FakeDS([])
    ds.regional = pd.DataFrame(rows, columns=REGIONAL_COLUMNS)
    ds.provinces = data.load().provinces  # type: ignore[attr-defined]
    return ds


def test_rank_gap_and_ties_in_the_same_year_only() -> None:
    ds = FakeDS(
        [
            ("un_egov_rank", 2018, 65, "exact"),
            ("un_egov_rank", 2020, 45, "exact"),
            ("un_osi_rank", 2020, 9, "exact"),
            ("un_osi_rank", 2020, 9, "exact", "日本"),
            ("un_osi_rank", 2020, 12, "exact", "美国"),
        ]
    )
    f = ch.facts(ds)
    assert f["rank_gap"]["places"] == 36  # 45 - 9: the online-service rank is 36 places ahead
    assert f["osi_peers"] == ("日本",)  # 美国 ranks 12th: not a tie
    other_year = ch.rank_gap(
        F.value(ds, "un_egov_rank"), F.Value("un_osi_rank", "OSI", 9, "位", F.EXACT, 2018)
    )
    assert other_year is None
    page = preview("government", ds=ds)
    assert "2018 年和 2020 年两期调查之间，综合名次上升 20 位" in page and "与日本并列" in page
    assert "在线服务比综合排名靠前 36 位" in page


def test_users_are_compared_with_the_plan_only_as_a_hypothesis() -> None:
    t = target("online_gov_service_real_name_users")
    above = with_targets([("national_gov_platform_users", 2021, 10, "lower_bound")], t)
    plan = ch.facts(above)["users_plan"]
    assert plan["above"] and plan["share"].ratio == pytest.approx(1.25) and plan["share"].bound == F.LOWER
    page = preview("government", ds=above)
    assert "若两者口径相同，则已高于规划 2025 年的目标值" in page and "记为“无数据”" in page
    below = ch.facts(with_targets([("national_gov_platform_users", 2021, 6, "exact")], t))["users_plan"]
    assert not below["above"] and below["share"].ratio == pytest.approx(0.75)  # 6 / 8
    base_only = ch.facts(with_targets([("national_gov_platform_users", 2020, 4, "lower_bound")], t))
    assert base_only["users_plan"]["observed"] is None  # not after the base year: nothing to compare
    assert ch.facts(FakeDS([]))["users_plan"] is None


def test_online_handling_keeps_the_plan_measure_apart() -> None:
    ds = with_targets(
        [
            ("provincial_licence_online_onevisit_share", 2020, 82.13, "exact"),
            ("provincial_licence_online_onevisit_share", 2021, 90.5, "exact"),
            ("provincial_licence_zero_visit_share", 2021, 56.36, "exact"),
            ("provincial_online_approval_rate", 2020, 80, "exact"),
        ],
        target("provincial_online_approval_rate", base=80.0, goal=90.0, unit="%"),
    )
    f = ch.facts(ds)
    assert f["online_gap"].points == pytest.approx(34.14)  # 90.5 - 56.36, same year
    page = preview("government", ds=ds)
    assert "比上年提高 8.37 个百分点" in page
    assert "另一个口径——省级行政许可事项网上办理率，2020 年为 80%，目标是 2025 年不低于 90%" in page
    assert "高出 34.14 个百分点" in page
    apart = FakeDS(
        [
            ("provincial_licence_online_onevisit_share", 2021, 90.5, "exact"),
            ("provincial_licence_zero_visit_share", 2020, 50, "exact"),
        ]
    )
    assert ch.facts(apart)["online_gap"] is None  # two years are never subtracted


def test_regional_leaders_are_read_from_the_evaluation() -> None:
    gov = ["浙江", "广东", "北京", "贵州"]
    composite = ["浙江", "北京", "广东", "天津"]
    ds = with_regional(regional_rows("数字政府", gov) + regional_rows("综合", composite))
    lead = ch.regional_leaders(ds)
    assert lead is not None and lead["provinces"] == tuple(gov) and lead["n"] == 4
    assert (lead["ranked"], lead["scored"]) == (False, False)
    assert lead["outside"] == ("贵州",) and lead["dropped"] == ("天津",)
    assert lead["regions"] == {"东部": 3, "西部": 1}
    page = preview("government", ds=ds)
    assert (
        "2021 年的评价列出了数字政府建设水平居前的 4 个省份：浙江、广东、北京、贵州（报告未给出名次，按原文顺序）"
        in page
    )
    assert "贵州不在同一评价的综合排名前列" in page and "没有公布得分" in page
    # printed ranks order the list; the latest evaluation with the dimension is used
    ranked = regional_rows("数字政府", ["广东", "浙江"]) + regional_rows("数字政府", ["上海"], year=2019)
    ranked[0]["rank"], ranked[1]["rank"] = 2, 1
    lead = ch.regional_leaders(with_regional(ranked))
    assert (
        lead is not None and lead["provinces"] == ("浙江", "广东") and lead["ranked"] and lead["year"] == 2021
    )
    # an evaluation without the dimension: said once, no leaders
    other = with_regional(regional_rows("综合", composite))
    assert ch.regional_leaders(other) is None and ch.regional_without_dimension(other)
    assert "本版资料的地区评价没有单列数字政府维度" in preview("government", ds=other)
    assert ch.regional_leaders(FakeDS([])) is None and not ch.regional_without_dimension(FakeDS([]))


def test_the_pandemic_is_named_only_where_the_edition_covers_it() -> None:
    early = [("e_litigation_share", 2016, 4, "exact"), ("e_litigation_share", 2017, 7, "exact")]
    ds = FakeDS(early, edition=2017)
    assert ch.facts(ds)["litigation_in_pandemic"] is None
    page = preview("government", ds=ds)
    assert "疫情" not in page and "资料没有说明这一比例上升的原因" in page
    later = FakeDS(
        [*early, ("e_litigation_share", 2020, 18, "exact"), ("health_code_uses", 2020, 500, "lower_bound")]
    )
    assert ch.facts(later)["litigation_in_pandemic"] is True
    page = preview("government", ds=later)
    assert "## 疫情中的数字政府" in page and "正处在疫情防控期间" in page
    assert "全国使用健康码超过 500 亿人次" in page  # never "人次超过 500 亿次"


def test_licence_use_is_compared_with_the_catalogue_by_growth_factor() -> None:
    ds = FakeDS(
        [
            ("e_licence_types", 2020, 861, "exact"),
            ("e_licence_types", 2021, 900, "lower_bound"),
            ("e_licence_sharing_services", 2020, 4.6, "exact"),
            ("e_licence_sharing_services", 2021, 20, "lower_bound"),
        ]
    )
    assert ch.facts(ds)["licence_use_faster"] is True  # 20 / 4.6 = 4.3 > 900 / 861 = 1.05
    assert "电子证照共享次数的增长快于证照种类的增长" in preview("government", ds=ds)
    assert ch.facts(FakeDS([("e_licence_types", 2020, 861, "exact")]))["licence_use_faster"] is None


def test_fastest_growth_skips_series_whose_bounds_pull_apart() -> None:
    ds = FakeDS(
        [
            ("national_gov_platform_users", 2020, 4, "lower_bound"),  # 超过 4 亿 → 超过 10 亿: open
            ("national_gov_platform_users", 2021, 10, "lower_bound"),
            ("egov_extranet_national_apps", 2017, 13, "exact"),
            ("egov_extranet_national_apps", 2019, 61, "exact"),
        ]
    )
    best = ch.fastest_growth(ds)
    assert (
        best is not None and best.series.indicator == "egov_extranet_national_apps" and best.candidates == 1
    )
    page = preview("government", ds=ds)
    # 61 / 13 - 1 = 3.69: "增长 3.7 倍"; the open series gets no growth figure
    assert (
        "政务外网承载的全国性业务应用数 2017–2019 年由 13 项增至 61 项，增长 3.7 倍，年均增长 1.2 倍" in page
    )
    assert "两端都是下限值，增幅无法精确计算" in page


def test_an_empty_edition_has_every_fact_declared_and_missing() -> None:
    facts = ch.facts(FakeDS([], edition=2017))
    assert facts["n_indicators"] == 0
    assert all(v is None for k, v in facts.items() if k != "n_indicators")
    figs = ch.figures(FakeDS([], edition=2017))
    assert set(figs) == {"ranks", "scale", "coverage", "litigation", "plan"}
    assert all(v is None for v in figs.values())
    page = preview("government", ds=FakeDS([], edition=2017))
    for heading in ("## 国际评价", "## 办事效率", "## 跨省通办", "## 智慧法院", "## 疫情", "## 规划目标"):
        assert heading not in page


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    figs = ch.figures(ds)
    assert all(f is None or isinstance(f, render.Figure) for f in figs.values())
    # e-litigation, coverage and plan charts exist from the first edition on
    assert figs["litigation"] is not None and figs["coverage"] is not None and figs["plan"] is not None
    assert ch.headline(ds)["edition"] == str(edition)
    assert booklint.typed_figures_in_notebook(notebook_of("government")) == []


def test_2017_page_reads_as_written_in_2017() -> None:
    page = preview("government", 2017)
    assert "疫情" not in page and "十四五" not in page and "联合国" not in page
    assert "## 网上政务服务平台" in page and "此后，建设重心转向" not in page
    # dcr2017: "推出 31 个省级网上政务服务平台"; "共发布 54440 项政务服务事项的办事指南"
    assert "2017 年已有 31 个省级网上政务服务平台，发布政务服务事项的办事指南 54,440 项" in page
    # dcr2017 table 1: "电子诉讼占比(%)\t>15\t4\t7\t(3)"
    assert "电子诉讼占比 2016–2017 年由 4% 升至 7%，提高 3 个百分点" in page
    assert "距“十三五”规划 2020 年超过 15%的目标还差 8 个百分点" in page


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("government", 2021)
    # dcr2021 line 606: "浙江、广东、北京、上海、贵州、四川、山东、湖北、江苏、福建等 10 个省（市）位列…数字政府建设水平全国前 10 名"
    assert (
        "数字政府建设水平居前的 10 个省份：浙江、广东、北京、上海、贵州、四川、山东、湖北、江苏、福建" in page
    )
    # dcr2021 line 580: the composite top ten (浙江、北京、上海、广东、江苏、山东、天津、福建、湖北、四川) lacks 贵州
    assert "贵州不在同一评价的综合排名前列" in page and "综合前列中的天津则不在这份名单里" in page
    # fyp14_interp: "与荷兰、日本并列第 9 位"; dcr2020: "从2018年的第65位上升到2020年的第45位"
    assert "在线服务比综合排名靠前 36 位" in page and "与日本和荷兰并列" in page
    # dcr2021: "90.5% 的事项实现网上受理和“最多跑一次”", "网上审批和“零跑动”比例达 56.36%"
    assert "高出 34.14 个百分点" in page
    # dcr2021: "全国一体化政务服务平台实名用户已超过 10 亿人"; fyp14_plan: 在线政务服务实名用户规模 4 → 8 亿
    assert "若两者口径相同，则已高于规划 2025 年的目标值" in page
    # fyp14_plan: "17 电子诉讼占比（%） 18 30 预期性"; dcr2017: "电子诉讼占比(%)\t>15"
    assert "“十三五”规划的目标是 2020 年超过 15%，按 2020 年的数据判断为已达成" in page
    assert "电子诉讼占比（“十四五”规划）" in page  # the 14th plan's e-litigation target awaits data


def test_2020_page_covers_the_pandemic_without_a_doubled_counter() -> None:
    page = preview("government", 2020)
    # fyp14_interp: "全国使用健康码人次超过500亿次。"
    assert "2020 年全国使用健康码超过 500 亿人次" in page and "人次超过" not in page
    assert "本版资料的地区评价没有单列数字政府维度" in page


def test_review_fixes_2017_2020() -> None:
    p17 = preview("government", 2017)
    # the section holds only the ministries' websites: its heading promises no regional half
    assert "## 政务公开\n" in p17 and "政务公开与地区评价" not in p17
    assert "已达成 0 项" not in p17
    assert "不宜逐项比较高低" not in p17 and "已经很高" not in p17
    p20 = preview("government", 2020)
    assert "（见各自的名称）" not in p20 and "一个计事项，一个计服务" in p20
