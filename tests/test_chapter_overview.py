"""Chapter 01 总览: headline panel, milestones, scorecard summary (the edition comparison: test_changes.py).

Hand-made datasets (duck-typed like ``dcbook.data.Dataset``) check each rule against numbers worked out
by hand; the last tests run the chapter on every real edition.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from dcbook import DEFAULT_DATA_DIR, data, render
from dcbook import changes as updates
from dcbook.chapters import overview as ch

CATALOGUE = pd.read_csv(DEFAULT_DATA_DIR / "indicators.csv", dtype=str, keep_default_na=False).set_index(
    "indicator_id"
)
CATALOGUE["higher_is_better"] = CATALOGUE["higher_is_better"] == "true"
MILESTONE_COLUMNS = ["date", "event_zh", "category", "domain", "source_id", "locator", "quote"]


class FakeDS:
    """The part of ``dcbook.data.Dataset`` the chapter uses, over a list of resolved rows."""

    def __init__(
        self,
        rows: list[tuple[Any, ...]],
        edition: int = 2021,
        milestones: list[tuple[str, str, str, str]] | None = None,
    ) -> None:
        self.edition = edition
        self.indicators = CATALOGUE
        self.sources = pd.DataFrame([{"source_id": "rep", "title": "测试报告", "edition_year": edition}])
        self.targets = pd.DataFrame(columns=["plan", "indicator_id", "source_id"])
        self.milestones = pd.DataFrame(
            [(d, e, c, dom, "rep", 1, "引文") for d, e, c, dom in (milestones or [])],
            columns=MILESTONE_COLUMNS,
        )
        units = self.indicators["unit"]
        self.resolved = pd.DataFrame(
            [
                {
                    "indicator_id": i, "region": r, "year": y, "value": float(v), "qualifier": q,
                    "unit": units[i], "name_zh": self.indicators.at[i, "name_zh"],
                    "domain": self.indicators.at[i, "domain"], "source_id": "rep",
                    "source_title": "测试报告", "edition_year": edition,
                }
                for i, r, y, v, q in rows
            ],
            columns=[
                "indicator_id", "region", "year", "value", "qualifier", "unit", "name_zh", "domain",
                "source_id", "source_title", "edition_year",
            ],
        )  # fmt: skip

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]


def nat(i: str, y: int, v: float, q: str = "exact") -> tuple[Any, ...]:
    return (i, "全国", y, v, q)


# ----------------------------------------------------------------------------------------------------------
# headline panel


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
    assert ch.headline_ids(ds) == ["internet_users", "fixed_broadband_household_penetration"]


def test_panel_single_year_alternative_used_when_none_has_two() -> None:
    ds = FakeDS([nat("base_stations_5g", 2021, 142.5)])
    panel = ch.headline_panel(ds)
    assert list(panel["indicator_id"]) == ["base_stations_5g"]
    row = panel.iloc[0]
    assert row["change_text"] == "" and row["n_years"] == 1
    assert row["start_year"] is None or pd.isna(row["start_year"])
    assert row["latest_text"] == "142.5 万个"


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
    panel = ch.headline_panel(ds).set_index("indicator_id")
    # 10.32 / 6.88 = 1.5 → +50.0 %; CAGR over 6 years = 1.5 ** (1/6) - 1
    assert panel.at["internet_users", "change_text"] == "增长 50.0%"
    assert panel.at["internet_users", "cagr"] == pytest.approx(1.5 ** (1 / 6) - 1)
    assert panel.at["internet_users", "spark_years"] == [2015, 2021]
    # 70 (超过) − 50.3 = 19.7 points, and the lower bound carries into the words
    assert panel.at["internet_penetration", "change_text"] == "提高超过 19.7 个百分点"
    assert pd.isna(panel.at["internet_penetration", "cagr"])  # no growth rate of a share
    # rank 29 → 14: up 15 places; ranks get no CAGR either
    assert panel.at["gii_rank", "change_text"] == "上升 15 位"
    assert panel.at["gii_rank", "latest_text"] == "第 14 位"
    # 13.09 / 5.16 = 2.54 → 增长 1.5 倍 (new value is 2.5 times the old one)
    assert panel.at["online_retail_sales", "change_text"] == "增长 1.5 倍"


def test_change_text_decline_and_equal() -> None:
    a = pd.Series({"value": 20.0, "qualifier": "exact"})
    b = pd.Series({"value": 25.0, "qualifier": "exact"})
    assert ch.change_text(a, b, "位") == "下降 5 位"
    assert ch.change_text(a, a, "位") == "名次未变"
    assert ch.change_text(b, a, "%") == "下降 5.0 个百分点"
    assert ch.change_text(b, a, "万亿元") == "下降 20.0%"


def test_growth_extremes_and_frame() -> None:
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
    panel = ch.headline_panel(ds)
    g = ch.growth_frame(panel)
    assert set(g["indicator_id"]) == {"internet_users", "software_revenue"}  # the rank is left out
    # software: (9.5 / 4.9) ** (1/5) - 1 = 14.2 %; netizens 7.0 %
    text = ch.growth_extremes_sentence(panel)
    assert "增长最快的是软件业务收入（2016–2021 年），年均增长 14.2%" in text
    assert "最慢的是网民规模（2015–2021 年），年均增长 7.0%" in text


def test_growth_sentence_without_multi_year_data() -> None:
    panel = ch.headline_panel(FakeDS([nat("internet_users", 2021, 10.32)]))
    assert ch.growth_frame(panel).empty
    assert "无法比较增速" in ch.growth_extremes_sentence(panel)


# ----------------------------------------------------------------------------------------------------------
# milestones


MILES = [
    ("2021-06", "《数据安全法》审议通过", "law", "security_governance"),
    ("2017-06-01", "《中华人民共和国网络安全法》施行", "law", "security_governance"),
    ("2020", "发布《关于构建更加完善的要素市场化配置体制机制的意见》", "strategy", "data_resources"),
    ("2020-03", "印发《关于构建更加完善的要素市场化配置体制机制的意见》", "strategy", "data_resources"),
    ("2021", "国家网信办首次开展数字中国发展水平评估（2021年）", "evaluation", "overview"),
    ("2016", "网络扶贫行动实施", "event", "digital_society"),
]


def test_milestones_sorted_and_duplicate_year_only_entry_dropped() -> None:
    m = ch.milestone_frame(FakeDS([], milestones=MILES))
    # the year-only 2020 strategy names the same 《…》 as the 2020-03 one: dropped
    assert list(m["date"]) == ["2016", "2017-06-01", "2020-03", "2021", "2021-06"]
    assert list(m["_date"]) == ["2016-01-01", "2017-06-01", "2020-03-01", "2021-01-01", "2021-06-01"]
    assert list(m["precision"]) == ["年", "日", "月", "年", "月"]
    assert ch.milestone_counts(FakeDS([], milestones=MILES))["law"] == 2


def test_key_milestones_fall_back_to_all_when_few() -> None:
    ds = FakeDS([], milestones=MILES)
    # only 4 key ones (2 laws, 1 strategy, 1 evaluation) < MIN_KEY_MILESTONES: every milestone is kept
    assert len(ch.key_milestones(ds)) == 5
    text = ch.laws_sentence(ds)
    assert text.startswith(
        "本版资料记载的 2 项立法进展依次是：《中华人民共和国网络安全法》施行（2017-06-01）"
    )
    assert "首次开展数字中国发展水平评估" in ch.evaluation_sentence(ds)


def test_milestone_chart_renders_with_source_and_hollow_note() -> None:
    ds = FakeDS([], milestones=MILES)
    fig = render.figure(ch.milestone_chart(ch.key_milestones(ds), title="里程碑", takeaway="测试"))
    assert fig.source_line == "来源：《测试报告》（2021 年版）"
    spec = fig.chart.to_dict()
    assert "空心点：资料只给出年份，画在该年年初" in spec["title"]["subtitle"]
    assert "《数据安全法》审议通过" in fig.alt_text


def test_no_milestones_sentences() -> None:
    ds = FakeDS([])
    assert ch.milestone_frame(ds).empty
    assert ch.milestone_sentence(ds) == "本版资料没有记载可以定年的里程碑事件"
    assert ch.laws_sentence(ds) == "本版资料尚未记载数字领域的立法进展"
    assert "尚未出现" in ch.evaluation_sentence(ds)


# ----------------------------------------------------------------------------------------------------------
# real data, every edition


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    panel = ch.headline_panel(ds)
    assert 8 <= len(panel) <= 12
    assert panel["domain"].nunique() >= 4
    prev, changes = updates.for_edition(ds)
    texts = ch.texts(ds, changes, prev)
    assert all(isinstance(v, str) for v in texts.values())
    assert set(updates.TEXT_KEYS) <= set(texts)  # the 本版更新 section's glue keys
    if prev is None:
        assert "第一版" in texts["update_intro"] and "没有更早的版本" in texts["update_intro"]
    assert 3 <= len([k for k in texts if k.startswith("key_")]) <= 5
    figs = ch.figures(ds)
    assert set(figs) == {"trend", "growth", "timeline", "plans"}
    # plans only from sources the edition can see: the 2017 edition knows only the 13th FYP table
    assert ch.visible_plans(ds) == (["fyp13"] if edition < 2020 else ["fyp13", "fyp14"])
    if changes is not None:
        # every new value is absent from the previous edition and present in this one
        keys = set(zip(changes["new_values"]["indicator_id"], changes["new_values"]["region"],
                       changes["new_values"]["year"], strict=True))  # fmt: skip
        old = data.load(prev).resolved
        assert not keys & set(zip(old["indicator_id"], old["region"], old["year"], strict=True))


def test_scorecard_counts_match_chapter_12_once_the_target_year_has_passed() -> None:
    """Overview 1.3 and its finding count verdicts, never 进度领先 for the finished 13th plan (issue #5)."""
    from dcbook import targets as tg

    ds = data.load(2021)
    cards = ch.plan_cards(ds)
    text = ch.scorecard_sentence(cards, 2021)
    first = text.split("。")[0]
    counts = tg.scorecard_panel(ds)["plans"]["fyp13"]["counts"]
    assert f"已达成 {counts['已达成']} 项" in first and "进度领先" not in first
    assert ch.plan_finding(cards).endswith("另有 12 项无法评估（无数据 12 项）。")


# ----------------------------------------------------------------------------------------------------------
# 本章要点: findings lead with the edition's own figures


def test_findings_lead_with_figures_of_the_editions_own_years() -> None:
    ds = FakeDS(
        [
            nat("digital_economy_size", 2017, 27.2),  # only an old figure: not the 2020 edition's own
            nat("digital_economy_gdp_share", 2017, 32.9),
            nat("digital_economy_gdp_share", 2020, 38.6),  # current: kept
            nat("internet_users", 2015, 6.88),
            nat("internet_users", 2020, 9.89),
        ],
        edition=2020,
    )
    ds.sources = pd.DataFrame(
        [{"source_id": "old", "title": "旧报告", "edition_year": 2017}, {"source_id": "rep", "title": "测试报告",
                                                                        "edition_year": 2020}]
    )  # fmt: skip
    assert ch.own_years(ds) == (2018, 2020)
    panel = pd.DataFrame(
        {"indicator_id": ["digital_economy_size", "internet_users"], "latest_year": [2017, 2020],
         "unit": ["万亿元", "亿人"], "n_years": [1, 2]}
    )  # fmt: skip
    assert ch.lead_indicators(ds, panel) == ["digital_economy_gdp_share", "internet_users"]
    # the first edition owns every year up to it
    first = FakeDS([nat("digital_economy_size", 2017, 27.2)], edition=2017)
    assert ch.own_years(first) == (None, 2017)
    assert ch.lead_indicators(first, panel.iloc[0:0]) == ["digital_economy_size"]


def test_real_2020_findings_do_not_lead_with_a_2017_figure() -> None:
    ds = data.load(2020)
    texts = ch.texts(ds)
    for key in ("key_1", "key_2"):
        assert "仅有这一年" not in texts[key] and "2020 年" in texts[key], texts[key]
