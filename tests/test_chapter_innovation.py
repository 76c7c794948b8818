"""Chapter 04 数字技术创新: the computed sentences on hand-made series, then every edition of the real data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.display import Markdown

from dcbook import REPO_ROOT, booklint, charts, render
from dcbook.chapters import common
from dcbook.chapters import innovation as ch

NOTEBOOK = REPO_ROOT / "book" / "04_innovation.ipynb"


class FakeDataset:
    """The slice of ``dcbook.data.Dataset`` the chapter modules use, over hand-made resolved rows."""

    def __init__(
        self,
        rows: list[tuple],
        indicators: dict[str, tuple[str, str, str]],
        edition: int = 2021,
        targets: pd.DataFrame | None = None,
    ) -> None:
        self.edition = edition
        self.sources = pd.DataFrame(
            [
                {"source_id": "s1", "title": "报告一", "published": "2021-07", "edition_year": 2020},
                {"source_id": "s2", "title": "报告二", "published": "2022-07", "edition_year": 2021},
            ]
        )
        self.indicators = pd.DataFrame(
            [{"indicator_id": k, "name_zh": n, "domain": d, "unit": u} for k, (n, d, u) in indicators.items()]
        ).set_index("indicator_id")
        cols = ["indicator_id", "year", "value", "qualifier", "source_id"]
        df = pd.DataFrame(rows, columns=cols)
        df["region"] = "全国"
        df["unit"] = df["indicator_id"].map(lambda i: indicators[i][2])
        df["name_zh"] = df["indicator_id"].map(lambda i: indicators[i][0])
        df["domain"] = df["indicator_id"].map(lambda i: indicators[i][1])
        titles = self.sources.set_index("source_id")
        df["source_title"] = df["source_id"].map(titles["title"])
        df["edition_year"] = df["source_id"].map(titles["edition_year"])
        df["quote"] = "引文"
        self.resolved = df
        self.targets = targets if targets is not None else pd.DataFrame()

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        if indicator_id not in self.indicators.index:
            raise KeyError(indicator_id)
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]


INDICATORS = {
    "gii_rank": ("全球创新指数排名", "innovation", "位"),
    "pct_applications": ("PCT国际专利申请量", "innovation", "件"),
    "domestic_it_invention_patents": ("国内信息技术发明专利授权数", "innovation", "万件"),
    "it_pct_applications": ("信息领域PCT国际专利申请数量", "innovation", "万件"),
    "it_pct_applications_increase_since_2017": ("较2017年增幅", "innovation", "%"),
    "it_investment_share": ("IT投资占比", "innovation", "%"),
    "high_tech_enterprises": ("高新技术企业数量", "innovation", "万家"),
    "top500_supercomputer_share": ("超算台数占比", "innovation", "%"),
    "sep_5g_world_share": ("5G标准必要专利占比", "innovation", "%"),
    "highly_cited_papers_world_share": ("高被引论文份额", "innovation", "%"),
}


def fake(rows: list[tuple], **kw: Any) -> FakeDataset:
    return FakeDataset(rows, INDICATORS, **kw)


# ---------------------------------------------------------------------------------------------------------
# Shared helpers


def test_value_text_keeps_qualifier_and_reads_ranks_as_ordinals() -> None:
    ds = fake(
        [
            ("high_tech_enterprises", 2021, 33.0, "approx", "s2"),
            ("gii_rank", 2020, 14.0, "exact", "s1"),
        ]
    )
    assert common.value_text(ds, "high_tech_enterprises") == "约 33 万家"
    assert common.value_text(ds, "gii_rank") == "第 14 位"
    assert common.value_text(ds, "pct_applications") == common.NO_DATA


def test_latest_sentence_links_by_qualifier() -> None:
    ds = fake(
        [
            ("high_tech_enterprises", 2021, 33.0, "approx", "s2"),
            ("pct_applications", 2021, 69540.0, "exact", "s2"),
            ("it_pct_applications", 2021, 3.0, "lower_bound", "s2"),
        ]
    )
    assert common.latest_sentence(ds, "high_tech_enterprises") == "2021 年高新技术企业数量约为 33 万家"
    assert common.latest_sentence(ds, "pct_applications") == "2021 年PCT国际专利申请量为 69,540 件"
    assert common.latest_sentence(ds, "it_pct_applications").endswith("超过 3 万件")
    assert "尚未给出" in common.latest_sentence(ds, "gii_rank")


def test_trend_sentence_two_points_one_point_none() -> None:
    ds = fake(
        [
            ("pct_applications", 2020, 100.0, "exact", "s1"),
            ("pct_applications", 2021, 250.0, "exact", "s2"),
            ("high_tech_enterprises", 2021, 33.0, "exact", "s2"),
        ]
    )
    assert common.trend_sentence(ds, "pct_applications") == (
        "PCT国际专利申请量 2020–2021 年由 100 件增至 250 件，增长 1.5 倍"
    )
    assert "无法计算增速" in common.trend_sentence(ds, "high_tech_enterprises")
    assert common.trend_sentence(ds, "gii_rank") == "本版资料尚未给出“全球创新指数排名”的数据"


def test_share_trend_sentence_counts_points_not_percent() -> None:
    ds = fake(
        [
            ("it_investment_share", 2016, 2.77, "exact", "s1"),
            ("it_investment_share", 2019, 3.5, "exact", "s1"),
        ]
    )
    text = common.share_trend_sentence(ds, "it_investment_share")
    assert text == "IT投资占比 2016–2019 年由 2.77%升至 3.5%，提高 0.73 个百分点"
    down = fake(
        [("it_investment_share", 2016, 5.0, "exact", "s1"), ("it_investment_share", 2019, 4.2, "exact", "s1")]
    )
    assert "降至 4.2%，下降 0.8 个百分点" in common.share_trend_sentence(down, "it_investment_share")


def test_cagr_and_first_available() -> None:
    ds = fake(
        [("pct_applications", 2019, 100.0, "exact", "s1"), ("pct_applications", 2021, 121.0, "exact", "s2")]
    )
    rate, y0, y1 = common.cagr(ds, "pct_applications")
    assert (round(rate, 6), y0, y1) == (0.1, 2019, 2021)
    assert common.cagr(ds, "gii_rank") is None
    assert common.first_available(ds, ["gii_rank", "pct_applications"]) == "pct_applications"
    assert common.first_available(ds, ["gii_rank"]) is None


def test_name_of_unknown_indicator_names_the_id() -> None:
    with pytest.raises(KeyError, match="no_such_indicator"):
        common.name_of(fake([]), "no_such_indicator")


def test_figure_or_note_needs_enough_years() -> None:
    ds = fake([("pct_applications", 2021, 69540.0, "exact", "s2")])
    frame = common.chart_frame(ds, ["pct_applications"])
    note = common.figure_or_note(frame, charts.line_chart, "不足两年。", min_years=2, title="t")
    assert isinstance(note, Markdown) and "不足两年" in note.data
    empty = common.figure_or_note(pd.DataFrame(), charts.line_chart, "无数据。", title="t")
    assert isinstance(empty, Markdown)
    ds2 = fake(
        [("pct_applications", 2020, 1.0, "exact", "s1"), ("pct_applications", 2021, 2.0, "exact", "s2")]
    )
    fig = common.figure_or_note(
        common.chart_frame(ds2, ["pct_applications"]), charts.line_chart, "x", title="专利"
    )
    assert isinstance(fig, render.Figure) and fig.title == "专利"


# ---------------------------------------------------------------------------------------------------------
# Plan targets


def _targets(rows: list[dict]) -> pd.DataFrame:
    base = {"attribute": "", "locator": 1, "quote": "目标", "base_year": None, "base_value": None}
    return pd.DataFrame([base | r for r in rows])


def test_pace_sentence_computes_faster_or_slower() -> None:
    t = _targets(
        [
            {"plan": "fyp14", "indicator_id": "high_tech_enterprises", "base_year": 2020, "base_value": 27.5,
             "target_year": 2025, "target_value": 45, "comparator": ">=", "unit": "万家", "source_id": "s1"},
        ]
    )  # fmt: skip
    fast = fake([("high_tech_enterprises", 2021, 33.0, "exact", "s2")], targets=t)
    card = common.plan_card(fast, ["innovation"])
    text = common.pace_sentence(card, "high_tech_enterprises", "fyp14")
    assert "快于规划要求" in text and "需年均增长 10.4%" in text and "实际年均增长 20.0%" in text
    slow = fake([("high_tech_enterprises", 2021, 28.0, "exact", "s2")], targets=t)
    assert "慢于规划要求" in common.pace_sentence(
        common.plan_card(slow, ["innovation"]), "high_tech_enterprises", "fyp14"
    )
    assert "没有该指标的规划目标" in common.pace_sentence(card, "gii_rank", "fyp14")


def test_plan_card_drops_plans_of_invisible_sources_and_other_domains() -> None:
    t = _targets(
        [
            {"plan": "fyp14", "indicator_id": "high_tech_enterprises", "base_year": 2020, "base_value": 27.5,
             "target_year": 2025, "target_value": 45, "comparator": ">=", "unit": "万家", "source_id": "s_future"},
        ]
    )  # fmt: skip
    ds = fake([("high_tech_enterprises", 2021, 33.0, "exact", "s2")], targets=t)
    assert common.plan_card(ds, ["innovation"]).empty
    assert "没有数字技术创新方面的规划目标" in common.plan_sentence(
        common.plan_card(ds, ["innovation"]), "数字技术创新"
    )


def test_target_passed_without_target_year_value_is_flagged() -> None:
    t = _targets(
        [
            {"plan": "fyp13", "indicator_id": "it_investment_share", "target_year": 2020, "target_value": 5,
             "comparator": ">=", "unit": "%", "source_id": "s1"},
        ]
    )  # fmt: skip
    ds = fake(
        [
            ("it_investment_share", 2016, 2.77, "exact", "s1"),
            ("it_investment_share", 2019, 3.5, "exact", "s1"),
        ],
        targets=t,
        edition=2021,
    )
    text = common.pace_sentence(common.plan_card(ds, ["innovation"]), "it_investment_share", "fyp13")
    assert "慢于规划要求" in text and "目标年已过" in text and "此后每年" not in text
    frame = common.plan_chart_frame(ds, common.plan_card(ds, ["innovation"]))
    # The chart shows the verdict every chapter counts: target year over, no target-year figure → 无法判定.
    assert list(frame["status"]) == ["无法判定"] and frame.loc[0, "source_title"] == "报告一"


# ---------------------------------------------------------------------------------------------------------
# Chapter sentences


def test_gii_sentence_direction() -> None:
    up = fake([("gii_rank", 2015, 29.0, "exact", "s1"), ("gii_rank", 2020, 14.0, "exact", "s1")])
    assert ch.gii_sentence(up).endswith("由 2015 年的第 29 位变为 2020 年的第 14 位，上升 15 位")
    down = fake([("gii_rank", 2015, 10.0, "exact", "s1"), ("gii_rank", 2020, 12.0, "exact", "s1")])
    assert ch.gii_sentence(down).endswith("下降 2 位")
    one = fake([("gii_rank", 2017, 22.0, "exact", "s1")])
    assert "仅给出这一年" in ch.gii_sentence(one)
    assert "尚未给出" in ch.gii_sentence(fake([]))


def test_world_share_sentence_names_highest_and_lowest() -> None:
    ds = fake(
        [
            ("top500_supercomputer_share", 2020, 45.0, "exact", "s1"),
            ("sep_5g_world_share", 2020, 37.0, "exact", "s1"),
            ("highly_cited_papers_world_share", 2021, 24.8, "exact", "s2"),
        ]
    )
    text = ch.world_share_sentence(ds)
    assert text.startswith("在可比的全球份额指标中，超算台数占比最高，为 45%（2020 年）")
    assert text.endswith("最低的是高被引论文份额，为 24.8%（2021 年）")


def test_it_pct_note_detects_a_definition_break() -> None:
    rows = [
        ("it_pct_applications", 2016, 4.31, "exact", "s1"),
        ("it_pct_applications", 2021, 3.0, "lower_bound", "s2"),
        ("it_pct_applications_increase_since_2017", 2021, 60.0, "exact", "s2"),
    ]
    text = ch.it_pct_note(fake(rows))
    assert "倒推 2017 年超过 1.88 万件" in text and "口径很可能不同" in text and "6.9 万件" in text
    rows[1] = ("it_pct_applications", 2021, 7.0, "exact", "s2")
    assert "大体衔接" in ch.it_pct_note(fake(rows))


# ---------------------------------------------------------------------------------------------------------
# Real data, every edition


def _glue_keys(notebook: Path) -> set[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    md = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)`", md))


@pytest.fixture(scope="module")
def editions(clean_data_dir: Path) -> dict[int, Any]:
    from dcbook import data

    return {e: data.load(e, clean_data_dir) for e in data.available_editions(clean_data_dir)}


def test_texts_cover_every_glue_role_in_every_edition(editions: dict[int, Any]) -> None:
    used = _glue_keys(NOTEBOOK)
    assert used, "no glue roles found in the notebook"
    for edition, ds in editions.items():
        texts = {f"{ch.SLUG}_{k}": v for k, v in ch.texts(ds).items()}
        assert used <= set(texts), (
            f"edition {edition}: glue keys without a value: {sorted(used - set(texts))}"
        )
        sections = {f"{ch.SLUG}_{k}" for k in ch.section_texts(ds)}
        for key, value in texts.items():
            # a section without data says so once, in its first paragraph; the others are then empty
            assert isinstance(value, str) and (value.strip() or key in sections), (
                f"edition {edition}: {key} is empty"
            )
            assert "nan" not in value.lower(), f"edition {edition}: {key} prints NaN: {value!r}"
        assert texts[f"{ch.SLUG}_edition"] == str(edition)
        assert [k for k in texts if "_key_" in k] == [f"{ch.SLUG}_key_{i}" for i in range(1, 5)]


def test_real_sentences_agree_with_the_data(editions: dict[int, Any]) -> None:
    for ds in editions.values():
        row = ds.latest("gii_rank")
        gii = ch.gii_sentence(ds)
        if row is not None:
            assert f"第 {int(row['value'])} 位" in gii and f"{int(row['year'])} 年" in gii
        head = ch.headline(ds)
        assert head["edition"] == str(ds.edition)
        pct = ds.latest("pct_applications")
        assert head["pct_applications"] == (
            common.NO_DATA if pct is None else common.value_text(ds, "pct_applications")
        )


def test_figures_build_for_every_edition(editions: dict[int, Any]) -> None:
    for edition, ds in editions.items():
        figs = ch.figures(ds)
        assert set(figs) == {"gii", "outputs", "shares", "plan"}
        for name, fig in figs.items():
            assert isinstance(fig, render.Figure | Markdown), f"edition {edition}: {name} is {type(fig)}"
            if isinstance(fig, render.Figure):
                assert fig.html().startswith("<figure") and fig.source_line.startswith("来源：")


# ---------------------------------------------------------------------------------------------------------
# The notebook itself


def test_notebook_conventions() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = nb["cells"]
    first = cells[0]
    assert first["cell_type"] == "code" and first["metadata"]["tags"] == ["parameters", "remove-cell"]
    assert "".join(first["source"]) == (
        "edition = None  # report year; None = latest available\n"
        "data_dir = None  # None = the repository's data/"
    )
    headline = [
        c
        for c in cells
        if c["cell_type"] == "code" and "".join(c["source"]).startswith("# NBVAL_CHECK_OUTPUT")
    ]
    assert len(headline) == 1 and headline[0]["outputs"], "headline cell must keep its output"
    assert "remove-cell" in headline[0]["metadata"]["tags"]
    others = [c for c in cells if c["cell_type"] == "code" and c is not headline[0]]
    assert all(not c.get("outputs") for c in others), "only the headline cell may keep outputs"
    md = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "本章要点" in md and "## 数据说明" in md
    assert booklint.typed_figures_in_notebook(NOTEBOOK) == []


def test_sections_say_once_what_an_edition_lacks() -> None:
    """2017 lacks most innovation figures: one sentence per section names them, none per figure."""
    from dcbook import data

    early = ch.section_texts(data.load(2017))
    assert all(v.count("尚未给出") <= 1 for v in early.values())
    assert early["frontier_text"].startswith("关于前沿领域的全球份额，本版资料尚未给出“世界超算500强")
    assert early["international_text"] == "" and early["enterprises_text"].startswith("关于企业创新主体，")
    # partial data: the figures that exist, then the missing ones listed once at the section's end
    assert early["ecosystem_text"].startswith("资料中与此相关的数字有：2017 年“双创”示范基地数为 120 个。")
    assert "“国家新一代人工智能创新发展试验区数”和“特色化示范性软件学院数”" in early["ecosystem_text"]
    latest = ch.section_texts(data.load(2021))
    assert all(latest.values()) and "尚未给出" not in "".join(latest.values())


def test_patents_met_mid_period_read_as_such_on_the_real_data() -> None:
    """Met in 2017, nothing comparable after: 中途达标, as chapter 12 counts it (issue #5)."""
    from dcbook import data

    text = ch.texts(data.load(2021))["patents_pace13"]
    assert "中途达标" in text and "2017 年已达到目标" in text
