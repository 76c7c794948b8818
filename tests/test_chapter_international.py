"""Chapter 10 国际合作: the facts ``dcbook.chapters.international`` computes, and its page per edition.

Hand-made datasets (:mod:`fakes`) check each rule against numbers worked out by hand; the last tests render
the chapter for every real edition and compare it with the source lines (quoted in the comments).
"""

from __future__ import annotations

import pandas as pd
import pytest
from fakes import FakeDS
from prose_checks import preview

from dcbook import data, render
from dcbook.chapters import exhibits
from dcbook.chapters import international as ch


def test_partner_ids_are_country_counts_only(real_ds) -> None:
    ids = ch.partner_ids(real_ds)
    assert "digital_silk_road_mou_countries" in ids and "wto_ecommerce_joint_statement_members" in ids
    assert "digital_service_export_bases" not in ids  # 国家数字服务出口基地: not a count of countries
    assert "belt_road_cross_border_land_cables" not in ids  # unit 条


def test_printed_growth_is_checked_against_two_adjacent_levels() -> None:
    ds = FakeDS(
        [
            ("cross_border_ecommerce_trade", 2020, 1.69, "exact"),
            ("cross_border_ecommerce_trade", 2021, 1.98, "exact"),
            ("cross_border_ecommerce_trade_growth", 2021, 15, "exact"),
        ]
    )
    step, printed = ch.cbec_check(ds)
    # 1.98 / 1.69 − 1 = 17.16 % against the printed 15 %
    assert step is not None and printed is not None and step.growth == pytest.approx(0.1716, abs=1e-4)
    page = preview("international", ds=ds)
    assert "增长 17.2%（报告印出的同比增速为 15%，相差 2.2 个百分点；" in page
    assert "两年规模算出的增速高于报告印出的同比增速" in page and "两个增速对不上" in page
    agree = FakeDS(
        [
            ("cross_border_ecommerce_trade", 2020, 1.0, "exact"),
            ("cross_border_ecommerce_trade", 2021, 1.15, "exact"),
            ("cross_border_ecommerce_trade_growth", 2021, 15, "exact"),
        ]
    )
    assert "与报告印出的增速一致" in preview("international", ds=agree)
    apart = FakeDS(
        [
            ("cross_border_ecommerce_trade", 2019, 1.0, "exact"),
            ("cross_border_ecommerce_trade", 2021, 1.3, "exact"),
            ("cross_border_ecommerce_trade_growth", 2021, 15, "exact"),
        ]
    )
    assert ch.cbec_check(apart) == (None, None)  # two years apart: no year-on-year rate to compare


def test_partner_pace_one_year_and_several() -> None:
    one = FakeDS(
        [
            ("digital_silk_road_mou_countries", 2020, 16, "exact"),
            ("digital_silk_road_mou_countries", 2021, 17, "exact"),
        ]
    )
    facts = ch.facts(one)
    assert facts["slow_steps"] is True and facts["multi_year_step"] is False
    page = preview("international", ds=one)
    # one interval says nothing of a yearly pace: the key point and the chart stay with that one step
    assert facts["same_gain"] == 1 and "两项伙伴国数量比上年各增加 1 个" in page
    assert "每年只增加" not in page and "一年的变化还看不出签约的节奏" in page
    assert "平均每年新增" not in page  # a one-year step is said by the trend itself (16 → 17)
    several = FakeDS(
        [
            ("digital_silk_road_mou_countries", 2017, 10, "exact"),
            ("digital_silk_road_mou_countries", 2021, 18, "exact"),
        ]
    )
    # (18 − 10) / 4 = 2 a year
    assert "签署“数字丝绸之路”合作谅解备忘录的国家数 2017–2021 年平均每年新增 2 个" in preview(
        "international", ds=several
    )


def test_country_counts_widest_and_narrowest() -> None:
    ds = FakeDS(
        [
            ("ict_firms_infrastructure_countries", 2017, 170, "lower_bound"),
            ("belt_road_cross_border_cable_countries", 2017, 12, "exact"),
            ("bike_sharing_countries", 2017, 21, "exact"),
        ]
    )
    facts = ch.facts(ds)
    assert [v.value for v in facts["partners"]] == [170, 21, 12]
    page = preview("international", ds=ds)
    assert "本版 3 项“国家数”指标从 12 个到超过 170 个不等" in page
    assert "最大的是信息通信企业参与基础设施建设的国家数（2017 年），超过 170 个" in page


def test_events_are_counted_with_their_busiest_year() -> None:
    ds = FakeDS([("bike_sharing_countries", 2017, 21, "exact")])
    ds.milestones = pd.DataFrame(
        [
            {
                "date": "2014",
                "event_zh": "甲会议",
                "category": "event",
                "domain": "international",
                "source_id": "rep",
            },
            {
                "date": "2020-06",
                "event_zh": "乙倡议",
                "category": "event",
                "domain": "international",
                "source_id": "rep",
            },
            {
                "date": "2020-11",
                "event_zh": "丙协定",
                "category": "event",
                "domain": "international",
                "source_id": "rep",
            },
            {
                "date": "2021",
                "event_zh": "丁论坛",
                "category": "event",
                "domain": "international",
                "source_id": "rep",
            },
            {
                "date": "2021-06",
                "event_zh": "《某法》通过",
                "category": "law",
                "domain": "security_governance",
                "source_id": "rep",
            },
        ]
    )
    facts = ch.facts(ds)
    assert (
        len(facts["events"]) == 4 and facts["events_last_year"] == 2021 and facts["events_in_last_year"] == 1
    )
    assert facts["events_peak_years"] == (2020,) and facts["events_peak_n"] == 2
    assert ch.headline(ds)["events"] == "4"
    page = preview("international", ds=ds)
    assert "最早是 2014 年的甲会议，最近的 2021 年有 1 项" in page and "2020 年最为密集，共 2 项" in page
    assert "（资料只给出年份的，画成空心点）" in page  # 2014 and 2021 are given as years only


def test_an_empty_edition_has_every_fact_declared_and_missing() -> None:
    facts = ch.facts(FakeDS([], edition=2017))
    counted = {
        "n_indicators", "n_series", "events_in_last_year", "events_peak_n",
        "stands_repeated", "stands_n_rows", "stands_n_documents", "volume_top2", "stands_unscoped",
    }  # fmt: skip
    assert facts["same_gain"] is None
    flags = {"slow_steps", "multi_year_step", "trade_in_usd", "events_year_only"}
    assert all(facts[k] == 0 for k in counted) and not any(facts[k] for k in flags)
    assert all(v is None for k, v in facts.items() if k not in counted | flags | {"own_report_count"})
    assert all(v is None for v in ch.figures(FakeDS([], edition=2017)).values())


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    figs = ch.figures(ds)
    assert all(f is None or isinstance(f, render.Figure) for f in figs.values())
    assert isinstance(figs["partners"], render.Figure)
    assert ch.headline(ds)["events"] == str(len(ch.facts(ds)["events"] or ()))
    page = preview("international", edition)
    if ds.latest("digital_silk_road_mou_countries") is None:
        assert ch.headline(ds)["digital_silk_road_mou_countries"] == exhibits.NO_VALUE
        assert "## “网上丝绸之路”：跨境信息基础设施" in page


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("international", 2021)
    # dcr2020 line 39 "已与16个国家签署“数字丝绸之路”合作谅解备忘录"; dcr2021 line 247 "已与 17 个国家签署"
    assert "签署“数字丝绸之路”合作谅解备忘录的国家数 2020–2021 年由 16 个增至 17 个" in page
    # dcr2021 line 533: "并与 9 个国家就建立合作机制达成一致"
    assert "另与 9 个国家就建立合作机制达成一致" in page
    # dcr2020 line 148 "2020年进出口达到1.69万亿元"; dcr2021 line 247 "跨境电商进出口规模达 1.98 万亿元", line 533 "同比增长 15%"
    # 2020 from dcr2020 (1.69), 2021 and its printed 15 % from dcr2021: another document's base
    assert (
        "由 1.69 万亿元增至 1.98 万亿元，增长 17.2%（报告印出的同比增速为 15%，相差 2.2 个百分点；"
        "上年的 1.69 万亿元来自另一份资料，印出增速所用的基数可能已经修订）" in page
    )
    # dcr2021 line 354: "连续 9 年保持全球最大网络零售市场地位"
    assert "截至 2021 年，我国已连续 9 年保持全球最大网络零售市场" in page
    # dcr2021 line 247: "申请加入《全面与进步跨太平洋伙伴关系协定》（CPTPP）和《数字经济伙伴关系协定》（DEPA）"
    assert "（CPTPP）和《数字经济伙伴关系协定》（DEPA） {cite:p}`dcr2021`" in page
    assert "数字贸易协定" not in page  # CPTPP is a comprehensive trade agreement
    assert "作为数字经济的一部分出现" not in page
    # national indicators, counted as the overview counts them (the WTO members are a world total)
    assert "本版资料涉及国际合作的指标共 29 项" in page


def test_2020_key_points_are_not_restated_in_the_body() -> None:
    page = preview("international", 2020)
    body = page.split(":::", 2)[2]
    # dcr2020 line 39: 16 MoU countries and 22 丝路电商 partners; line 148: 1.69 万亿元, 31.1 %
    assert "16 个" not in body and "22 个" not in body
    assert "1.69 万亿元" not in body and "31.1%" not in body
    assert "本版资料涉及国际合作的指标共 26 项" in page


def test_earlier_editions_name_no_later_document() -> None:
    for edition in (2017, 2020):
        page = preview("international", edition)
        assert "CPTPP" not in page and "dcr2021" not in page
    page = preview("international", 2017)
    assert "fyp14_plan" not in page and "十四五" not in page
    # dcr2017 line 160: "积极推进区域全面经济伙伴关系等近 20 个自贸协定电子商务议题谈判"
    assert "推进近 20 个自贸协定的电子商务议题谈判 {cite:p}`dcr2017`" in page
    # dcr2017 names no 丝路电商 and counts no signed MoU: nothing alludes to them
    assert "丝路电商" not in page and "签署了备忘录" not in page and "签署文件" not in page
    assert "政府签署专门的合作文件" not in page
    assert "给出了其中" not in page  # one source: "9 项 of 9 项" says nothing
    # no filler about the missing timeline; chapter 05 has no cross-border figure in this edition
    assert "画不出时间线" not in page and "{doc}`05_economy`" not in page
    body = page.split(":::", 2)[2]
    assert "3,300 亿元" not in body  # the key point's figure is not restated


# --- where China stands ------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", data.available_editions())
def test_where_china_stands_leads_the_chapter_in_every_edition(edition: int) -> None:
    """Every edition has such statements: the section comes before the cooperation sections, with the chart,
    the headline chosen by the stated rule, the closing 为什么重要, and the chapter-10 caveats."""
    ds = data.load(edition)
    chapter = ch.facts(ds)
    assert isinstance(ch.figures(ds)["standing"], render.Figure)
    page = preview("international", edition)
    where, coop = page.index("## 中国在世界中的位置"), page.index("## 位置之外：合作的三条线索")
    assert where < coop < page.index("## 对照规划目标") < page.index("## 为什么重要")
    assert "[chart] 中国在世界中的位置：名次与占全球的份额" in page
    assert "**挑选头条的规则。**" in page and "不按“名次最高”或“进步最大”挑头条" in page
    lead = chapter["stands_lead"]
    assert f"- **头条：{lead.name}。**" in page
    assert f"{chapter['stands_n_rows']} 处把中国同世界或某个国家放在一起比较" in page
    assert "**名次的分母。**" in page and "**无法核对的说法。**" in page
    assert page.rstrip().endswith("。") and page.index("## 为什么重要") > page.index("## 数据说明")


def test_2021_headline_and_the_two_kinds_of_rank() -> None:
    page = preview("international", 2021)
    # dcr2021 line 223: "固定宽带价格可负担性全球排名从 2017 年全球第 71 位上升至 2021 年的第 3 位"
    assert "本版的头条是固定宽带价格可负担性：2017 年为第 71 位，2021 年为第 3 位" in page
    # dcr2021 lines 13/149 "总量占全球 60% 以上"; lines 15/161 "全球占比 9.9%"
    assert "5G基站数量的全球份额超过 60%（2021 年），数据产量的份额只有 9.9%（2021 年）" in page
    # fyp14_interp line 317 "全国开放数据集规模仅为美国的1/9"
    assert "公共数据开放数据集规模只相当于美国的 1\\/9" in page
    # the index ranks: affordability 3 (dcr2021), OSI 9, GII 14, EGDI 45 (dcr2020 line 31)
    assert "名次落在第 3 位到第 45 位之间" in page
    # a rank that held is not told as a movement
    assert "由 2017 年的第 2 位变为 2021 年的第 2 位" not in page


def test_2017_page_sees_only_the_2017_report() -> None:
    page = preview("international", 2017)
    # dcr2017 line 71 "我国创新指数在全球排名上升到第 22 位"
    assert "- **头条：全球创新指数。** 2017 年为第 22 位" in page
    assert "1 份文件共有 19 处" in page and "在不同文件里" not in page
    assert "fyp14_interp" not in page and "1\\/9" not in page


def test_standing_chart_keeps_families_apart() -> None:
    """Rows of one family are adjacent (the chart never interleaves two families on an axis)."""
    frame = ch.standing_frame(data.load(2021))
    for measure, part in frame.groupby("measure", sort=False):
        runs = [
            k for i, k in enumerate(part["family_name"]) if i == 0 or k != part["family_name"].iloc[i - 1]
        ]
        assert len(runs) == len(set(runs)), measure
    assert set(frame["measure"]) == {"rank", "share"}
    assert frame["label"].str.contains("年，").all()
