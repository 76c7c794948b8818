"""Chapter 08 数字文化与数字生态文明: the facts ``dcbook.chapters.culture_ecology`` computes, and its page.

A thin-data chapter: what each source gives is itself a fact (counts per source), so most tests check the
counts and what an edition without the figures leaves out. Small rules use a hand-made dataset
(:mod:`fakes`) with numbers worked out by hand; the last tests render every real edition and check it
against the source lines.
"""

from __future__ import annotations

import pandas as pd
import pytest
from fakes import SOURCE_COLUMNS, FakeDS
from prose_checks import preview

from dcbook import data, render
from dcbook import facts as F
from dcbook.chapters import culture_ecology as ch
from dcbook.chapters import exhibits


def test_short_source_labels() -> None:
    assert exhibits.short_source("数字中国发展报告（2021年）", "yearly_report") == "2021 年度报告"
    assert exhibits.short_source("“十四五”国家信息化规划", "plan") == "“十四五”信息化规划"


def test_groups_split_every_indicator_once() -> None:
    ds = FakeDS([])
    split = ch.groups(ds)
    ids = F.domain_ids(ds, ch.DOMAINS)
    assert sorted(split[ch.CULTURE] + split[ch.ECO]) == sorted(ids)
    assert "green_power_traded" in split[ch.ECO] and "hd_tv_channels" in split[ch.CULTURE]
    assert "water_map_reservoirs" in split[ch.ECO]  # not listed: its name says 水利


def two_sources() -> FakeDS:
    """Two reports (2017 and 2021) and a plan that gives nothing; the rows carry source ids "rep"."""
    sources = pd.DataFrame(
        [
            {"source_id": "r17", "title": "报告（2017年）", "publisher": "p", "published": "2018-05",
             "edition_year": 2017, "kind": "yearly_report"},
            {"source_id": "plan", "title": "规划", "publisher": "p", "published": "2021-12",
             "edition_year": 2020, "kind": "plan"},
            {"source_id": "rep", "title": "报告（2021年）", "publisher": "p", "published": "2022-07",
             "edition_year": 2021, "kind": "yearly_report"},
        ],
        columns=SOURCE_COLUMNS,
    )  # fmt: skip
    ds = FakeDS(
        [
            ("hd_tv_channels", 2017, 149, "exact"),
            ("hd_tv_channels", 2021, 1003, "exact"),
            ("uhd_4k_channels", 2021, 8, "exact"),
            ("uhd_8k_channels", 2021, 2, "exact"),
            ("green_power_traded", 2021, 79.35, "exact"),
            ("uhv_annual_transmission", 2017, 4000, "lower_bound"),
        ],
        sources=sources,
    )
    first = ds.resolved["year"] == 2017
    ds.resolved.loc[first, "source_id"] = "r17"
    ds.observations = ds.resolved
    return ds


def test_coverage_counts_each_indicator_once_per_source() -> None:
    cov = F.coverage(two_sources(), ch.groups(two_sources()))
    counts = {c.source.id: (c.total, c.groups[ch.CULTURE], c.groups[ch.ECO]) for c in cov}
    # r17: hd channels (culture) and UHV transmission (ecology); rep: hd, 4K, 8K, green power; plan: none
    assert counts == {"r17": (2, 1, 1), "plan": (0, 0, 0), "rep": (4, 3, 1)}
    frame = exhibits.coverage_frame(cov)
    assert list(frame["label"][:2]) == ["2017 年度报告·数字文化", "2017 年度报告·数字生态"]
    assert list(frame["value"]) == [1, 1, 0, 0, 3, 1]


def test_coverage_is_said_once_and_plans_giving_nothing_are_named() -> None:
    page = preview("culture_ecology", ds=two_sources())
    assert (
        "《报告（2017年）》给出文化类 1 项、生态类 1 项；《报告（2021年）》给出文化类 3 项、生态类 1 项"
        in page
    )
    assert "规划类文件（《规划》）在这两个领域不给数字" in page
    # 5 indicators (hd, 4K, 8K channels; green power, UHV transmission): hd channels is the one series
    assert "共 5 项（文化 3 项，生态 2 项），其中能连成两个以上年份序列的只有 1 项，全部在文化一侧" in page


def test_ratios_word_their_bounds() -> None:
    f = ch.facts(two_sources())
    # (8 + 2) / 1003 = 0.997 % → 1.0 %
    assert f["uhd_share"].ratio == pytest.approx(10 / 1003) and f["uhd_share"].num.value == 10
    # a 2021 trading round against 2017 transmission compares nothing: no ratio, no conclusion
    assert f["green_vs_uhv"] is None
    page = preview("culture_ecology", ds=two_sources())
    assert "2021 年 4K 与 8K 超高清频道合计只占高清频道数的 1.0%" in page
    assert "年输送电量之比" not in page
    same_year = FakeDS(
        [("green_power_traded", 2021, 79.35, "exact"), ("uhv_annual_transmission", 2021, 4000, "lower_bound")]
    )
    # 79.35 / (more than 4,000) is less than 1.98 % → "不到 2.0%"
    assert ch.facts(same_year)["green_vs_uhv"].bound == F.UPPER
    assert "与同年特高压线路年输送电量之比不到 2.0%" in preview("culture_ecology", ds=same_year)


def test_one_event_is_not_called_events() -> None:
    ds = FakeDS([("hd_tv_channels", 2017, 149, "exact")], edition=2017)
    ds.milestones = pd.DataFrame(
        [{"date": "2017", "event_zh": "首个频道试播", "category": "event", "domain": "culture_ecology",
          "source_id": "rep"}]
    )  # fmt: skip
    page = preview("culture_ecology", ds=ds)
    assert "标志性事件只有一项：2017 年，首个频道试播。它更多是一个“起点”" in page and "这些事件" not in page


def test_implied_growth_of_all_culture_firms() -> None:
    ds = FakeDS(
        [
            ("digital_culture_revenue", 2021, 39623, "exact"),
            ("digital_culture_revenue_growth_2y_avg", 2021, 20.5, "exact"),
            ("digital_culture_growth_gap_vs_culture", 2021, 11.6, "exact"),
        ]
    )
    rest, multiple = ch.implied_growth(ds)
    # 20.5 − 11.6 = 8.9 %; 20.5 / 8.9 = 2.30 (from rounded rates: "约")
    assert rest is not None and (rest.value, rest.unit, rest.qualifier) == (8.9, "%", F.APPROX)
    assert multiple is not None and multiple.ratio == pytest.approx(20.5 / 8.9) and multiple.bound == F.APPROX
    page = preview("culture_ecology", ds=ds)
    assert "同期文化企业整体的两年平均增速约为 8.9%，数字文化新业态的增速是它的约 2.3 倍" in page


def test_reading_against_video_is_floored_for_a_lower_bound() -> None:
    ds = FakeDS(
        [("digital_reading_users", 2021, 5, "lower_bound"), ("online_video_users", 2021, 9.75, "exact")]
    )
    # 5 / 9.75 = 51.28 %: more than 51.2 % (never rounded up past the bound)
    assert "与网络视频用户之比超过 51.2%" in preview("culture_ecology", ds=ds)
    apart = FakeDS(
        [("digital_reading_users", 2021, 5, "lower_bound"), ("online_video_users", 2020, 9, "exact")]
    )
    assert ch.facts(apart)["reading_vs_video"] is None  # never two figures of different years


def test_a_visit_count_that_falls_to_a_lower_bound_is_not_read_as_a_fall() -> None:
    ds = FakeDS(
        [
            ("public_culture_cloud_visits", 2020, 2.5, "exact"),
            ("public_culture_cloud_visits", 2021, 1.92, "lower_bound"),
        ]
    )
    assert "后者只是下限，又可能是年度量而非累计量，两者无法判断升降" in preview("culture_ecology", ds=ds)


def test_an_empty_edition_has_every_fact_declared_and_missing() -> None:
    facts = ch.facts(FakeDS([], edition=2017))
    counts = {"n_indicators", "n_series", "n_culture", "n_ecology", "n_ecology_series", "n_audience_trends"}
    assert all(facts[k] == 0 for k in counts)
    assert [c.total for c in facts["coverage"]] == [0]
    assert all(v is None for k, v in facts.items() if k not in counts | {"coverage"})
    figs = ch.figures(FakeDS([], edition=2017))
    assert set(figs) == {"coverage", "channels", "audience_trends", "audiences"}
    assert figs["channels"] is None and figs["audience_trends"] is None and figs["audiences"] is None


def test_a_thin_edition_leaves_out_what_it_lacks() -> None:
    ds = FakeDS(
        [("hd_tv_channels", 2017, 149, "exact"), ("cable_tv_users", 2017, 2.2, "exact")], edition=2017
    )
    page = preview("culture_ecology", ds=ds)
    assert "没有一项有两个以上年份的数据" in page
    assert "## 数字文化消费" not in page and "## 数字生态文明" not in page and "## 文化资源" not in page
    # no UHD count to report, and nothing the edition lacks is alluded to
    assert "超高清频道" not in page.split("## 广播电视")[1].split("频道的制作成本")[0]
    assert "8K" not in page and "先进数据中心" not in page
    assert "早期报告" not in page and "十四五" not in page  # one report: nothing earlier, nothing later


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    f = ch.facts(ds)
    ids = F.domain_ids(ds, ch.DOMAINS)
    resolved = ds.resolved[ds.resolved["indicator_id"].isin(ids) & (ds.resolved["region"] == "全国")]
    assert f["n_indicators"] == resolved["indicator_id"].nunique()  # national figures (a 北京 one is not)
    assert f["n_culture"] + f["n_ecology"] == f["n_indicators"]
    assert [c.source.id for c in f["coverage"]] == [s.id for s in F.sources(ds)]
    figs = ch.figures(ds)
    assert all(v is None or isinstance(v, render.Figure) for v in figs.values())
    # a bar chart of the sources that give figures, only when there are two to compare
    assert (figs["coverage"] is not None) == (len(ch.source_coverage(ds)) >= 2)
    assert all(c.total for c in ch.source_coverage(ds))
    assert ch.headline(ds)["indicators_with_data"] == str(f["n_indicators"])


def test_2017_page_says_what_its_one_report_gives() -> None:
    page = preview("culture_ecology", 2017)
    # dcr2017 line 276: "截至 2017 年底，我国高清频道达到 149 套"
    assert "2017 年高清电视频道数为 149 个" in page
    assert "共 20 项（文化 13 项，生态 7 项），没有一项有两个以上年份的数据" in page
    assert "给出文化类 13 项" not in page  # one report: the key point's counts are not repeated
    # nothing of the later plan or of later data
    assert "数字经济核心产业" not in page and "先进数据中心" not in page and "8K" not in page
    assert "这些事件" not in page  # one event
    assert "十四五" not in page and "本版年度报告没有为它们单独成篇" in page
    assert "## 数字文化消费" not in page


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("culture_ecology", 2021)
    # dcr2021 line 471: "16个行业小类实现营业收入39623亿元，比上年增长18.9%，两年平均增长20.5%，
    # 高于文化企业平均水平11.6个百分点" → all culture firms 20.5 − 11.6 = 8.9 %, 20.5 / 8.9 ≈ 2.3
    assert (
        "营业收入为 3.9623 万亿元，比上年增长 18.9%，两年平均增长 20.5%，比文化企业平均增速高 11.6 个百分点"
        in page
    )
    assert "约为 8.9%，数字文化新业态的增速是它的约 2.3 倍" in page
    # dcr2021 line 471: "网络视频（含短视频）用户规模达9.75亿，较上年同期增长4794万，占网民整体的94.5%"
    assert "占网民的 94.5%，一年增加 4,794 万" in page
    assert "特高压线路年输送电量之比" not in page  # 2021 trading against 2017 transmission: not compared
    assert "数字经济核心产业占比" in page and "先进数据中心的能效水平" in page
    assert "《数字中国发展报告（2021年）》给出文化类 17 项、生态类 13 项" in page
    assert "到了本版年度报告，才分别出现“数字文化”和“数字生态文明”两个独立章节" in page
