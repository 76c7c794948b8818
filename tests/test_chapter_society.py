"""Chapter 07 数字社会与民生: the facts ``dcbook.chapters.society`` computes, and its page per edition.

Most tests use a tiny hand-made dataset (:mod:`fakes`) so each rule is checked against numbers worked out by
hand; the last ones render the chapter's templates for every real edition and check them against the
source lines.
"""

from __future__ import annotations

import pytest
from fakes import FakeDS
from prose_checks import preview

from dcbook import data, render
from dcbook import facts as F
from dcbook.chapters import exhibits
from dcbook.chapters import society as ch


def penetration_rows() -> list[tuple]:
    return [
        ("internet_penetration", 2017, 55.8, "exact"),
        ("internet_penetration", 2020, 70, "lower_bound"),
        ("internet_penetration", 2021, 73, "exact"),
        ("rural_internet_penetration", 2017, 35.4, "exact"),
        ("rural_internet_penetration", 2020, 55.9, "exact"),
        ("rural_internet_penetration", 2021, 57.6, "exact"),
    ]


def test_offline_estimate_from_users_and_penetration() -> None:
    ds = FakeDS([("internet_users", 2021, 10, "exact"), ("internet_penetration", 2021, 80, "exact")])
    # population = 10 / 0.8 = 12.5 亿; offline = 2.5 亿; share = 100 − 80 = 20 %; rounded inputs: "约"
    count, share = ch.offline(ds)
    assert count is not None and share is not None
    assert (count.value, count.unit, count.qualifier, count.year, count.computed) == (
        2.5,
        "亿人",
        F.APPROX,
        2021,
        True,
    )
    assert (share.value, share.unit, share.qualifier) == (20, "%", F.APPROX)
    assert "仍有约 2.5 亿人没有上网（占总人口的比例约 20%）" in preview("society", ds=ds)


def test_offline_estimate_is_an_upper_bound_for_a_lower_bound_rate() -> None:
    ds = FakeDS([("internet_users", 2020, 9.89, "exact"), ("internet_penetration", 2020, 70, "lower_bound")])
    # 9.89 × (100 / 70 − 1) = 4.2386 → 4.24; more than 70 % online → fewer than 4.24 亿 and 30 % offline
    count, share = ch.offline(ds)
    assert count is not None and share is not None
    assert (count.value, count.qualifier, share.value, share.qualifier) == (4.24, F.UPPER, 30, F.UPPER)
    assert "仍有不到 4.24 亿人没有上网（占总人口的比例不到 30%）" in preview("society", ds=ds)


def test_offline_estimate_refuses_an_impossible_rate() -> None:
    ds = FakeDS([("internet_users", 2021, 10, "exact"), ("internet_penetration", 2021, 0, "exact")])
    with pytest.raises(ValueError, match=r"internet_penetration 2021: value 0\.0 "):
        ch.offline(ds)


def test_offline_estimate_needs_a_common_year() -> None:
    ds = FakeDS([("internet_users", 2021, 10, "exact"), ("internet_penetration", 2020, 80, "exact")])
    assert ch.offline(ds) == (None, None)


def test_gap_series_is_national_minus_rural_with_its_bounds() -> None:
    gap = ch.gap_series(FakeDS(penetration_rows()))
    assert gap is not None and [v.year for v in gap.values] == [2017, 2020, 2021]
    # 55.8 − 35.4 = 20.4; 70 − 55.9 = 14.1 (national "超过 70%": the gap is a lower bound); 73 − 57.6 = 15.4
    assert [v.value for v in gap.values] == [20.4, 14.1, 15.4]
    assert [v.qualifier for v in gap.values] == [F.EXACT, F.LOWER, F.EXACT]
    assert gap.change is not None and gap.change.delta == pytest.approx(-5.0)
    step = ch.gap_step(gap)
    # 15.4 − (more than 14.1) is less than 1.3: an upper bound, and the gap may not have widened at all
    assert step is not None and step.delta == pytest.approx(1.3) and step.delta_bound == F.UPPER


def test_gap_page_narrowing_and_the_uncertain_last_step() -> None:
    page = preview("society", ds=FakeDS(penetration_rows()))
    assert (
        "全国与农村互联网普及率之差由 2017 年的 20.4 个百分点变为 2021 年的 15.4 个百分点，缩小 5.0 个百分点"
        in page
    )
    assert "全国与农村互联网普及率之差 2017–2021 年缩小 5.0 个百分点" in page  # 本章要点
    assert (
        "最近一段（2020–2021 年）是否仍在缩小还不能确定：2020 年的差值只知道超过 14.1 个百分点，"
        "2021 年为 15.4 个百分点，这一段差距可能扩大了不到 1.3 个百分点，也可能仍在缩小" in page
    )
    # the chart subtitle does not claim a steady narrowing
    assert "2017–2021 年两条线总体在靠拢，2020–2021 年是否拉开还不能确定" in page


def test_gap_monotone_narrowing_has_no_reversal_and_bounds_the_fall() -> None:
    rows = [r for r in penetration_rows() if r[1] != 2021]
    page = preview("society", ds=FakeDS(rows))
    # 20.4 → more than 14.1: the fall is less than 6.3 points
    assert "缩小不到 6.3 个百分点" in page and "反而" not in page


def test_gap_of_a_single_year_and_of_none() -> None:
    one = FakeDS(
        [("internet_penetration", 2021, 73, "exact"), ("rural_internet_penetration", 2021, 57.6, "exact")]
    )
    page = preview("society", ds=one)
    assert "2021 年全国互联网普及率比农村高 15.4 个百分点（计算值）" in page
    assert "两条线" not in page  # one year: no chart
    assert ch.gap_series(FakeDS([("rural_internet_penetration", 2017, 35.4, "exact")])) is None


def test_elderly_reading_depends_on_which_task_ranks_first() -> None:
    rows = [
        ("elderly_netizens_health_code_share", 2021, 69.7, "exact"),
        ("elderly_netizens_online_shopping_share", 2021, 52.1, "exact"),
        ("elderly_netizens_info_search_share", 2021, 46.2, "exact"),
    ]
    top, low, unable = ch.elderly(FakeDS(rows))
    assert top is not None and low is not None and unable is not None
    assert (top.value, low.value, unable.value, unable.qualifier) == (69.7, 46.2, 53.8, F.EXACT)  # 100 − 46.2
    page = preview("society", ds=FakeDS(rows))
    assert "“不得不学”" in page and "最难的一项，53.8%的老年网民还不能独立完成" in page
    flipped = [(i, y, 100 - v, q) for i, y, v, q in rows]
    assert "“不得不学”" not in preview("society", ds=FakeDS(flipped))
    assert ch.elderly(FakeDS(rows[:1]))[1:] == (None, None)  # one task: nothing to compare


def test_elderly_complement_flips_a_lower_bound() -> None:
    rows = [
        ("elderly_netizens_health_code_share", 2021, 69.7, "exact"),
        ("elderly_netizens_info_search_share", 2021, 46, "lower_bound"),
    ]
    unable = ch.elderly(FakeDS(rows))[2]
    assert unable is not None and (unable.value, unable.qualifier) == (54, F.UPPER)  # more than 46 % can


def test_literacy_gap_and_ratio() -> None:
    ds = FakeDS(
        [
            ("digital_literacy_score_urban", 2021, 56.3, "exact"),
            ("digital_literacy_score_rural", 2021, 35.1, "exact"),
        ]
    )
    gap, ratio = ch.literacy(ds)
    assert gap is not None and ratio is not None
    assert (gap.value, gap.unit) == (21.2, "分") and ratio.ratio == pytest.approx(35.1 / 56.3)
    assert "相差 21.2 分，农村只及城市的 62%" in preview("society", ds=ds)


@pytest.mark.parametrize(
    ("urban", "rural", "verdict"),
    [
        (92.4, 91.4, "两者相差 1.0 个百分点，城乡之间几乎没有差别"),
        (92.4, 80.0, "两者相差 12.4 个百分点，城市网民明显更满意"),
        (80.0, 92.4, "两者相差 12.4 个百分点，农村网民反而更满意"),
    ],
)
def test_satisfaction_verdict_is_computed(urban: float, rural: float, verdict: str) -> None:
    ds = FakeDS(
        [
            ("survey_urban_infra_satisfaction", 2021, urban, "exact"),
            ("survey_rural_infra_satisfaction", 2021, rural, "exact"),
        ]
    )
    assert verdict in preview("society", ds=ds)


def test_key_finding_growth_ranks_core_indicators_only() -> None:
    rows = [
        ("yinong_info_stations", 2017, 16.9, "exact"),
        ("yinong_info_stations", 2020, 45.4, "exact"),
        ("training_vouchers_issued", 2020, 52.97, "exact"),
        ("training_vouchers_issued", 2021, 1873.74, "exact"),
    ]
    f = ch.facts(FakeDS(rows))
    assert f["fastest_core"].series.indicator == "yinong_info_stations"
    page = preview("society", ds=FakeDS(rows))
    points = page.split(":::")[1]  # 本章要点
    # (45.4 / 16.9) ** (1 / 3) − 1 = 39.0 %
    assert "益农信息社数增长最快（2017–2020 年年均增长 39.0%）" in points and "培训券" not in points
    # a yearly flow against a pilot year is not ranked anywhere on the page
    assert "职业培训券全年发券数增长最快" not in page


def test_fastest_from_a_lower_bound_end_is_a_lower_bound() -> None:
    rows = [
        ("medical_insurance_e_voucher_users", 2020, 3.76, "exact"),
        ("medical_insurance_e_voucher_users", 2021, 10, "lower_bound"),
    ]
    # 10 / 3.76 − 1 = 1.66: more than 1.6 倍 (never rounded up past the bound to 1.7); one year: no 年均
    assert "（2020–2021 年增长超过 1.6 倍）" in preview("society", ds=FakeDS(rows))


def test_an_empty_edition_has_every_fact_declared_and_missing() -> None:
    facts = ch.facts(FakeDS([], edition=2017))
    assert facts["n_indicators"] == 0
    assert all(v is None for k, v in facts.items() if k != "n_indicators")
    figs = ch.figures(FakeDS([], edition=2017))
    assert set(figs) == {"users", "penetration", "services", "elderly", "plan"}
    assert all(v is None for v in figs.values())


def test_a_thin_edition_leaves_out_what_it_lacks() -> None:
    ds = FakeDS(
        [
            ("internet_users", 2016, 7.31, "exact"),
            ("internet_users", 2017, 7.72, "exact"),
            ("rural_internet_penetration", 2017, 35.4, "exact"),
        ],
        edition=2017,
    )
    page = preview("society", ds=ds)
    assert "网民规模 2016–2017 年由 7.31 亿人增至 7.72 亿人，增长 5.6%" in page
    assert "本版资料尚未给出全国互联网普及率" in page  # said once, in the netizens section
    assert "近似城乡差距" not in page  # no gap: the proxy is not explained
    assert "## 老年人" not in page and "## 对照规划目标" not in page  # sections left out
    assert "十四五" not in page and "较新" not in page


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    figs = ch.figures(ds)
    assert all(f is None or isinstance(f, render.Figure) for f in figs.values())
    assert figs["users"] is not None  # every edition has two years of netizens
    head = ch.headline(ds)
    assert head["internet_users"].endswith("亿人")
    gap = ch.gap_series(ds)
    if gap is None:
        assert head["national_rural_gap_pp"] == exhibits.NO_VALUE
    for v in (
        gap.values if gap is not None else ()
    ):  # the gap is exactly national − rural of the resolved rows
        n, r = ds.series("internet_penetration"), ds.series("rural_internet_penetration")
        nat = float(n.loc[n["year"] == v.year, "value"].iloc[0])
        rur = float(r.loc[r["year"] == v.year, "value"].iloc[0])
        assert v.value == pytest.approx(nat - rur)
    page = preview("society", edition)
    # the planted-name test needs the names of these indicators printed from the data (facts' name)
    assert ds.indicators.at["internet_users", "name_zh"] in page
    if ds.latest("internet_penetration") is not None:
        assert ds.indicators.at["internet_penetration", "name_zh"] in page


def test_2017_page_states_the_checked_figures() -> None:
    page = preview("society", 2017)
    # dcr2017 line 57: "网民数量(亿)	>10	7.31	7.72	5.6" (the 13th plan's table)
    assert "网民规模 2016–2017 年由 7.31 亿人增至 7.72 亿人，增长 5.6%" in page
    assert "“十三五”规划要求 2020 年超过 10 亿人" in page
    # dcr2017 line 84: "农村互联网普及率上升至35.4%"
    assert "2017 年农村地区互联网普及率为 35.4%" in page
    assert "十四五" not in page and "2021" not in page


def test_2020_page_uses_the_exact_rate_not_the_later_bound() -> None:
    page = preview("society", 2020)
    # dcr2020 line 35: "互联网普及率由50.3%提升到70.4%" — exact, so it wins over fyp14_plan line 66's
    # later "超过 70%" (conflict rule 2); dcr2020 line 116: "农村地区互联网普及率达55.9%" → 70.4 − 55.9 = 14.5
    assert "2020 年全国互联网普及率比农村高 14.5 个百分点（计算值）" in page
    assert "互联网普及率 2015–2020 年由 50.3% 升至 70.4%，提高 20.1 个百分点" in page
    # 9.89 × (100 / 70.4 − 1) = 4.1583 → 约 4.16 亿; 100 − 70.4 = 29.6 %
    assert "仍有约 4.16 亿人没有上网（占总人口的比例约 29.6%）" in page
    assert "超过 70%" not in page
    assert "（2021年）" not in page and "2021 年版" not in page


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("society", 2021)
    # dcr2021 line 223: "我国网民规模由 7.72 亿增长到 10.32 亿 … 互联网普及率由 55.8% 上升到 73%"
    # 10.32 × (100 / 73 − 1) = 3.817 → 约 3.82 亿人
    assert "仍有约 3.82 亿人没有上网（占总人口的比例约 27%）" in page
    # dcr2021 line 17: "城乡地区互联网普及率差异缩小 11.9 个百分点" (a 2017–2021 change, indicators.csv)
    assert "2017–2021 年城乡地区互联网普及率差异缩小幅度为 11.9 个百分点" in page
    assert "全国与农村互联网普及率之差由 2017 年的 20.4 个百分点变为 2021 年的 15.4 个百分点" in page
    # dcr2021 line 421: "全渠道激活超过 10 亿用户" (3.76 亿 in 2020, dcr2020 line 122)
    assert "医保电子凭证激活用户数增长最快（2020–2021 年增长超过 1.6 倍）" in page
    # 社会保障卡普及率 2020: the verdict chapter 12 states (目录同义 → 已达成, 95 % against 90 %), said the same way
    assert "“十三五”规划要求 2020 年不低于 90%，按 2020 年的数据判断为已达成" in page
    assert "社会保障卡普及率（“十三五”规划，已达成）" in page
    # dcr2021 line 435: "…的老年网民比例已分别达 69.7%、52.1% 和 46.2%"
    assert "最难的一项，53.8%的老年网民还不能独立完成" in page


def test_review_fixes_2017_2020() -> None:
    p17 = preview("society", 2017)
    # no national rate in 2017: no offline count, no gap; the rural share of netizens stands in
    assert "剩下的非网民\n" not in p17 and "## 农村的互联网使用" in p17
    assert "占全部网民的 27%" in p17  # dcr2017 line 84 "网民中农村网民占比27%"
    assert "各份资料" not in p17 and "曲线越平" not in p17 and "增长放缓" not in p17
    assert "CNNIC" not in p17 and "已达成 0 项" not in p17
    p20 = preview("society", 2020)
    assert "未必是同一口径" in p20  # 多媒体教室: dcr2017 "比例达 87%" vs dcr2020 "98.35%的中小学"
    # the remark on institution counts comes only with the figures it describes (fyp14_interp line 213 gives
    # 2020's 互联网医院 count)
    assert ("这些数字多是机构数" in p20) == ("互联网医院数超过 1,100 家" in p20) and "## 老年人\n" in p20
