"""The shared chapter helpers of ``dcbook.chapters.common``, on a small hand-made dataset."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from IPython.display import Markdown

from dcbook import charts, render
from dcbook.chapters import common

#: id → (name, unit); every indicator is in the domain "d".
CATALOGUE: dict[str, tuple[str, str]] = {
    "users": ("网民规模", "亿人"),
    "papers": ("裁判文书公开数", "万篇"),
    "rate": ("互联网普及率", "%"),
    "rural_rate": ("农村互联网普及率", "%"),
    "rank": ("全球创新指数排名", "位"),
    "campaigns": ("“清朗”系列专项行动数", "项"),
    "growth": ("网民规模_growth", "%"),
    "none": ("没有数据的指标", "个"),
}


class Dataset:
    """The part of ``dcbook.data.Dataset`` the helpers read: ``latest``, ``series``, catalogue, sources."""

    def __init__(self, rows: list[tuple[str, int, float, str]], edition: int = 2021) -> None:
        self.edition = edition
        self.sources = pd.DataFrame(
            [{"source_id": "s1", "title": "数字中国发展报告（2021年）", "published": "2022-07",
              "edition_year": 2021, "kind": "yearly_report"}]
        )  # fmt: skip
        self.indicators = pd.DataFrame(
            [{"indicator_id": k, "name_zh": n, "unit": u, "domain": "d"} for k, (n, u) in CATALOGUE.items()]
        ).set_index("indicator_id")
        df = pd.DataFrame(rows, columns=["indicator_id", "year", "value", "qualifier"])
        df["region"] = "全国"
        df["unit"] = [CATALOGUE[i][1] for i in df["indicator_id"]]
        df["name_zh"] = [CATALOGUE[i][0] for i in df["indicator_id"]]
        df["source_id"] = "s1"
        df["source_title"] = "数字中国发展报告（2021年）"
        df["edition_year"] = 2021
        self.resolved = df
        self.observations = df
        self.targets = pd.DataFrame()

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]


ROWS: list[tuple[str, int, float, str]] = [
    ("users", 2017, 7.72, "exact"),
    ("users", 2021, 10.32, "exact"),
    ("papers", 2017, 4123, "lower_bound"),
    ("papers", 2020, 11000, "exact"),
    ("rate", 2015, 50.3, "exact"),
    ("rate", 2020, 70, "lower_bound"),
    ("rural_rate", 2020, 55.9, "exact"),
    ("rank", 2017, 22, "exact"),
    ("rank", 2021, 12, "exact"),
    ("campaigns", 2021, 16, "exact"),
]


@pytest.fixture
def ds() -> Dataset:
    return Dataset(ROWS)


# -- words ------------------------------------------------------------------------------------------------


def test_no_data_sentence_never_doubles_quotes(ds: Dataset) -> None:
    assert common.no_data_sentence(ds, "none") == "本版资料尚未给出“没有数据的指标”的数据"
    assert common.quoted("“清朗”系列专项行动数") == "“‘清朗’系列专项行动数”"
    assert "““" not in common.no_data_sentence(Dataset([]), "campaigns")
    assert common.pace_sentence(
        pd.DataFrame(columns=["indicator_id", "plan"]), "x", "fyp14", name="“双创”基地"
    ) == ("本版资料中没有“‘双创’基地”的“十四五”规划目标")


def test_value_text_scales_large_counts_and_reads_ranks_as_ordinals(ds: Dataset) -> None:
    assert common.value_text(ds, "papers") == "1.1 亿篇"
    assert common.value_text(ds, "rank") == "第 12 位"
    assert common.value_text(ds, "rate") == "超过 70%"
    assert common.value_text(ds, "none") == common.NO_DATA
    assert common.year_value(ds, "users") == "10.32 亿人（2021 年）"


def test_lead_spaces_numbers_but_not_qualifier_words() -> None:
    assert "占网民的" + common.lead("85.3%") == "占网民的 85.3%"
    assert "占网民的" + common.lead("超过 70%") == "占网民的超过 70%"


def test_latest_sentence_links_name_and_value_by_qualifier(ds: Dataset) -> None:
    assert common.latest_sentence(ds, "users") == "2021 年网民规模为 10.32 亿人"
    assert common.latest_sentence(ds, "rate") == "2020 年互联网普及率超过 70%"
    assert common.latest_sentences(ds, ("none", "campaigns", "users"), "无") == (
        "2021 年“清朗”系列专项行动数为 16 项；2021 年网民规模为 10.32 亿人"
    )
    assert common.latest_sentences(ds, ("none",), "本版没有") == "本版没有"


def test_trend_sentences_follow_the_house_spacing(ds: Dataset) -> None:
    assert (
        common.trend_sentence(ds, "papers")
        == "裁判文书公开数 2017–2020 年由超过 4,123 万篇增至 1.1 亿篇，增长不到 1.7 倍"
    )
    assert common.trend_sentence(ds, "campaigns").endswith("（本版资料仅有这一年的数据，无法计算增速）")
    assert common.trend_sentence(ds, "none") == common.no_data_sentence(ds, "none")
    assert (
        common.share_trend_sentence(ds, "rate")
        == "互联网普及率 2015–2020 年由 50.3%升至超过 70%，约提高 19.7 个百分点"
    )


def test_rank_sentence_and_frame(ds: Dataset) -> None:
    assert common.rank_sentence(ds, "rank", "全球创新指数") == (
        "我国在全球创新指数中的排名由 2017 年的第 22 位变为 2021 年的第 12 位，上升 10 位"
    )
    assert common.rank_sentence(ds, "none", "某指数") == "本版资料尚未给出我国在某指数中的排名"
    frame = common.rank_frame(ds, {"rank": "中国", "none": "无"}, "economy")
    assert list(frame.columns) == ["year", "source_title", "edition_year", "economy", "rank"]
    assert frame["rank"].tolist() == [22, 12]
    assert common.rank_frame(ds, {"none": "无"}, "economy").empty


def test_pp_gap_and_shared_year(ds: Dataset) -> None:
    low, high = ds.latest("rural_rate"), ds.latest("rate")
    assert common.pp_gap_sentence(low, high, "两者") == "两者相差约 14.1 个百分点"
    assert common.pp_gap_sentence(None, high, "两者") == "本版资料不足以比较两者"
    assert common.last_shared_year(ds.series("rate"), ds.series("rural_rate")) == 2020
    assert common.last_shared_year(ds.series("users"), ds.series("rate")) is None


def test_ratio_words_carry_the_qualifiers(ds: Dataset) -> None:
    papers, users = ds.latest("papers"), ds.latest("users")
    assert common.bound_word("lower_bound", "exact") == "超过"
    assert common.bound_word("exact", "lower_bound") == "不到"
    assert common.bound_word("approx", "exact") == "约"
    assert common.ratio_text(users, users) == "100.0%"
    first = ds.series("papers").iloc[0]
    assert common.ratio_text(first, papers) == "超过 37.5%"
    assert common.equiv_text(first, papers, "后者") == "至少相当于后者的 37.5%"
    with pytest.raises(ValueError, match="denominator is 0"):
        common.ratio_parts(papers, papers.copy().replace({11000: 0.0}))


def test_fastest_growth_compares_stock_indicators_only(ds: Dataset) -> None:
    assert common.level_indicators(ds, ["d"]) == ["users", "papers", "campaigns", "none"]
    best = common.fastest_growth(ds, ["users", "papers"])
    assert best is not None and best[0] == "papers" and (best[2], best[3]) == (2017, 2020)
    text = common.fastest_sentence(ds, ["users", "papers", "campaigns"], "示例")
    assert text.startswith("在本版资料有两年以上数据的 2 项示例规模指标中，增长最快的是裁判文书公开数")
    assert (
        common.fastest_sentence(ds, ["campaigns"], "示例")
        == "本版资料中示例的规模指标都只有一年的数据，无法比较增速"
    )


def test_date_words_and_coverage(ds: Dataset) -> None:
    assert common.date_words("2021-09") == "2021 年 9 月"
    assert common.date_words("2017-06-01") == "2017 年 6 月 1 日"
    assert common.coverage_sentence(ds, ["users", "campaigns"], "示例") == (
        "本版资料涉及示例的指标共 2 项，其中能连成两个以上年份序列的只有 1 项"
    )
    assert common.coverage_sentence(ds, ["none"], "示例") == "本版资料没有给出示例方面的任何数字"
    cov = common.coverage_frame(ds, {"甲": ["users", "papers"], "乙": ["none"]})
    assert cov["label"].tolist() == ["2021 年度报告·甲", "2021 年度报告·乙"]
    assert cov["value"].tolist() == [2.0, 0.0]


# -- plan targets ----------------------------------------------------------------------------------------


def _card(statuses: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": [f"i{n}" for n in range(len(statuses))],
            "name_zh": [f"指标{n}" for n in range(len(statuses))],
            "plan_short": "“十四五”规划",
            "status": statuses,
        }
    )


def test_plan_finding_counts_every_status_group() -> None:
    card = _card(["已达成", "进度领先", "符合进度", "落后", "未达成", "无数据"])
    card["verdict"] = card["status"]  # before the target year the verdict is the progress status
    assert common.plan_finding(card, "示例") == (
        "示例类规划目标中可评估 5 项：已达成 1 项，进度领先或符合进度 2 项，落后或未达成 2 项，"
        "滞后的是指标3（“十四五”规划）、指标4（“十四五”规划）。"
    )
    assert common.plan_finding(_card(["无数据"]).assign(verdict="无数据"), "示例") == (
        "本版资料尚无可以评估的示例类规划目标。"
    )


def test_plan_finding_counts_verdicts_once_the_target_year_has_passed() -> None:
    """The chapter counts what chapter 12 counts: 中途达标 and 无法判定 are not 已达成 / 落后."""
    card = _card(["已达成", "已达成", "落后", "未达成"]).assign(
        verdict=["已达成", "中途达标", "无法判定", "未达成"]
    )
    assert common.plan_finding(card, "示例") == (
        "示例类规划目标中可评估 3 项：已达成 1 项，规划期中途达标 1 项，进度领先或符合进度 0 项，落后或未达成 1 项，"
        "滞后的是指标3（“十四五”规划）；另有 1 项目标年已过而无法判定或口径待核。"
    )


def test_plan_chart_frame_keeps_the_scorecard_status(ds: Dataset) -> None:
    card = _card(["进度领先", "未达成", "无数据"]).assign(
        plan="fyp14", unit="%", base_year=2020, base_value=10.0, latest_year=2021, latest_value=12.0,
        target_year=2025, target_value=20.0, comparator=">=", latest_qualifier=None, latest_source_id="s1",
    )  # fmt: skip
    frame = common.plan_chart_frame(ds, card)
    assert frame["status"].tolist() == ["进度领先", "未达成"]
    assert frame["name_zh"].tolist() == ["指标0（“十四五”规划）", "指标1（“十四五”规划）"]
    fig = common.plan_figure(ds, card, "示例")
    assert isinstance(fig, render.Figure)
    note = common.plan_figure(ds, card.iloc[[2]], "示例")
    assert isinstance(note, Markdown) and "没有可评估进度的示例类规划目标" in note.data


# -- texts and figures ------------------------------------------------------------------------------------


def test_key_texts_and_headline_texts(ds: Dataset) -> None:
    assert common.key_texts(["甲。", "乙。"]) == {"key_1": "甲。", "key_2": "乙。"}
    with pytest.raises(ValueError, match="key_2 does not end with a full stop"):
        common.key_texts(["甲。", "乙"])
    assert common.headline_texts(ds, ["rank", "none"]) == {
        "edition": "2021",
        "rank": "第 12 位",
        "none": common.NO_DATA,
    }
    assert common.base_texts(ds, ["d"], sources=False) == {"edition": "2021", "n_indicators": "6 项"}


def test_figures_or_notes(ds: Dataset) -> None:
    one_year = common.series_of(ds, "campaigns")
    note = common.trend_figure(one_year, "不足两个年份。", title="t")
    assert isinstance(note, Markdown) and note.data == "*不足两个年份。*"
    fig = common.trend_figure(common.series_of(ds, "users"), "x", title="网民规模")
    assert isinstance(fig, render.Figure)
    frame = common.multi_year_frame(ds, ["users", "campaigns", "papers"])
    assert sorted(set(frame["indicator_id"])) == ["papers", "users"]
    assert common.multiples_takeaway(frame) == "本版资料中有两个以上年份数据的 2 项指标，各用独立纵轴"
    assert common.multiples_takeaway(pd.DataFrame()) is None
    items = common.item_frame(ds, ["rate", "none", "rural_rate"])
    assert items["item"].tolist() == ["互联网普及率（2020 年）", "农村互联网普及率（2020 年）"]
    labels = common.label_frame(ds, ["users", "campaigns"], unit="项")
    assert labels["label"].tolist() == ["2021·“清朗”系列专项行动数"]
    assert isinstance(common.label_bars(labels, "不足两项。", title="t"), Markdown)


def test_trend_figure_takeaway_is_the_growth_sentence(monkeypatch: pytest.MonkeyPatch, ds: Dataset) -> None:
    seen: dict[str, Any] = {}
    real = charts.line_chart

    def fake_line_chart(frame: pd.DataFrame, **kwargs: Any) -> Any:
        seen.update(kwargs)
        return real(frame, **kwargs)

    monkeypatch.setattr(charts, "line_chart", fake_line_chart)
    users = common.series_of(ds, "users")
    common.trend_figure(users, "x", title="网民规模")
    assert seen["takeaway"] == charts.takeaway_growth(users)
    common.trend_figure(users, "x", title="网民规模", growth=False)
    assert seen["takeaway"] is None


def test_missing_indicators_are_named_once(ds: Dataset) -> None:
    """Several indicators without data give one statement, not one sentence each (issue #5)."""
    assert common.missing_sentence(ds, ["users"]) == "本版资料尚未给出“网民规模”的数据"
    text = common.facts_sentence(ds, ["none", "users"])
    assert text == "2021 年网民规模为 10.32 亿人，本版资料尚未给出“没有数据的指标”的数据"
    assert common.missing_sentence(ds, ["none", "users"]).count("本版资料尚未给出") == 1


def test_section_says_once_what_it_lacks(ds: Dataset) -> None:
    """A section lists its missing indicators in one sentence; a section without data is that sentence."""
    pieces = {
        "a_text": [("网民：数据。", ("users",)), ("评论。", ()), ("缺一：数据。", ("none",))],
        "b_text": [("排名：数据。", ("rank", "growth"))],
    }
    out = common.section_texts(ds, pieces, area="测试")
    # "none" has no data: its piece is dropped; "growth" lacks data inside a shown piece: named as well
    assert out == {
        "a_text": "网民：数据。评论。",
        "b_text": "排名：数据。本版资料尚未给出“没有数据的指标”和“网民规模_growth”的数据。",
    }
    empty = common.section_texts(Dataset([]), pieces, area="测试")
    assert empty == {
        "a_text": "关于测试，本版资料尚未给出“网民规模”、“没有数据的指标”、“全球创新指数排名”和“网民规模_growth”的数据。",
        "b_text": "",
    }
    assert common.section_text(ds, [("网民：数据。", ("users",))]) == "网民：数据。"
    assert common.section_text(ds, [("缺：数据。", ("none",))]) == "本版资料尚未给出“没有数据的指标”的数据。"
    with pytest.raises(ValueError, match="full stop"):
        common.section_texts(ds, {"x": [("没有句号", ("users",))]})
    assert common.said(ds, ["none", "campaigns", "users"]) == (
        "2021 年“清朗”系列专项行动数为 16 项；2021 年网民规模为 10.32 亿人"
    )
    assert common.said(ds, ["none"]) == ""


def test_name_and_value_do_not_repeat_the_counter() -> None:
    assert common.name_and_value("全国使用健康码人次", "超过 500 亿次") == "全国使用健康码超过 500 亿人次"
    assert common.name_and_value("培训人次", "超过 1 亿人次") == "培训超过 1 亿人次"
    assert common.name_and_value("网民规模", "为 10 亿人") == "网民规模为 10 亿人"


# ---- moved from the chapter 08 tests (these helpers serve the chapters not yet on templates) -----------------


def _row(value: float, qualifier: str = "exact", unit: str = "亿", year: int = 2021) -> pd.Series:
    return pd.Series(
        {"indicator_id": "x", "year": year, "value": value, "unit": unit, "qualifier": qualifier}
    )


@pytest.mark.parametrize(
    ("num_q", "den_q", "word"),
    [
        ("exact", "exact", ""),
        ("lower_bound", "exact", "超过"),
        ("exact", "lower_bound", "不到"),
        ("upper_bound", "exact", "不到"),
        ("exact", "upper_bound", "超过"),
        ("lower_bound", "lower_bound", "约"),
        ("approx", "exact", "约"),
    ],
)
def test_bound_word_follows_the_direction_of_each_bound(num_q: str, den_q: str, word: str) -> None:
    assert common.bound_word(num_q, den_q) == word


def test_ratio_text_switches_from_percent_to_times_at_a_doubling() -> None:
    assert common.ratio_text(_row(5, "lower_bound"), _row(9.75)) == "超过 51.3%"
    assert common.ratio_text(_row(60, "lower_bound"), _row(7)) == "超过 8.6 倍"
    assert common.equiv_text(_row(5, "lower_bound"), _row(9.75), "视频用户") == "至少相当于视频用户的 51.3%"
    with pytest.raises(ValueError, match="denominator is 0"):
        common.ratio_text(_row(1), _row(0))


def test_short_source_labels() -> None:
    assert common.short_source("数字中国发展报告（2021年）", "yearly_report") == "2021 年度报告"
    assert common.short_source("“十四五”国家信息化规划", "plan") == "“十四五”信息化规划"
