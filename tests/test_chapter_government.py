"""Chapter 06 数字政府: computed sentences on hand-made series, then every edition of the real data."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import pytest
from IPython.display import Markdown

from dcbook import REPO_ROOT, booklint, data, render
from dcbook.chapters import common
from dcbook.chapters import government as ch

NOTEBOOK = REPO_ROOT / "book" / "06_government.ipynb"
#: The real catalogue (names, domains, display units), so every id the chapter asks about is known.
CATALOGUE = data.load().indicators[["name_zh", "domain", "unit"]]
REGIONAL_COLUMNS = ["source_id", "year", "framework", "dimension", "province", "rank", "tier", "score"]


class FakeDataset:
    """The slice of ``dcbook.data.Dataset`` the chapter module uses, over hand-made resolved rows.

    Rows: (indicator_id, year, value, qualifier, source_id[, region]).
    """

    def __init__(
        self,
        rows: list[tuple],
        edition: int = 2021,
        targets: pd.DataFrame | None = None,
        regional: pd.DataFrame | None = None,
    ) -> None:
        self.edition = edition
        self.sources = pd.DataFrame(
            [
                {"source_id": "s1", "title": "报告一", "published": "2021-07", "edition_year": 2020},
                {"source_id": "s2", "title": "报告二", "published": "2022-07", "edition_year": 2021},
            ]
        )
        self.indicators = CATALOGUE
        full = [tuple(r) + ("全国",) * (6 - len(r)) for r in rows]
        df = pd.DataFrame(full, columns=["indicator_id", "year", "value", "qualifier", "source_id", "region"])
        df["unit"] = df["indicator_id"].map(CATALOGUE["unit"]).fillna("")
        df["name_zh"] = df["indicator_id"].map(CATALOGUE["name_zh"])
        df["domain"] = df["indicator_id"].map(CATALOGUE["domain"])
        titles = self.sources.set_index("source_id")
        df["source_title"] = df["source_id"].map(titles["title"])
        df["edition_year"] = df["source_id"].map(titles["edition_year"])
        df["quote"] = "引文"
        self.resolved = df
        self.targets = targets if targets is not None else pd.DataFrame()
        self.regional = regional if regional is not None else pd.DataFrame(columns=REGIONAL_COLUMNS)

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        if indicator_id not in self.indicators.index:
            raise KeyError(indicator_id)
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]


def target(
    indicator_id: str, plan: str = "fyp14", base: float | None = 4.0, goal: float = 8.0, unit: str = "亿"
) -> dict[str, Any]:
    return {
        "plan": plan, "indicator_id": indicator_id, "base_year": 2020 if base is not None else None,
        "base_value": base, "target_year": 2025 if plan == "fyp14" else 2020, "target_value": goal,
        "comparator": ">=", "attribute": "预期性", "unit": unit, "source_id": "s1", "locator": 1, "quote": "q",
    }  # fmt: skip


# ----------------------------------------------------------------------------------------------------------
# Hand-made data


@pytest.mark.parametrize(
    ("ranks", "expected"),
    [
        ([(2018, 65), (2020, 45)], "上升 20 位"),
        ([(2018, 40), (2020, 45)], "下降 5 位"),
        ([(2018, 45), (2020, 45)], "名次未变"),
        ([(2020, 45)], "本版资料仅给出这一年的排名"),
        ([], "本版资料尚未给出"),
    ],
)
def test_rank_sentence(ranks: list[tuple[int, int]], expected: str) -> None:
    ds = FakeDataset([("un_egov_rank", y, r, "exact", "s1") for y, r in ranks])
    assert expected in common.rank_sentence(ds, "un_egov_rank", "联合国电子政务发展指数")


def test_rank_gap_and_osi_ties() -> None:
    ds = FakeDataset(
        [
            ("un_egov_rank", 2020, 45, "exact", "s1"),
            ("un_osi_rank", 2020, 9, "exact", "s1"),
            ("un_osi_rank", 2020, 9, "exact", "s1", "日本"),
        ]
    )
    assert ch.rank_gap_sentence(ds).endswith("在线服务比综合排名靠前 36 位")
    assert "与日本并列" in ch.un_sentence(ds)
    other_year = FakeDataset(
        [("un_egov_rank", 2018, 65, "exact", "s1"), ("un_osi_rank", 2020, 9, "exact", "s1")]
    )
    assert "年份不同" in ch.rank_gap_sentence(other_year)


def test_users_vs_plan_compares_only_as_a_hypothesis() -> None:
    t = pd.DataFrame([target("online_gov_service_real_name_users")])
    above = FakeDataset([("national_gov_platform_users", 2021, 10, "lower_bound", "s2")], targets=t)
    text = ch.users_vs_plan_sentence(above)
    assert "若两者口径相同，则已高于规划 2025 年的目标值" in text and "“无数据”" in text
    below = FakeDataset([("national_gov_platform_users", 2021, 6, "exact", "s2")], targets=t)
    assert "相当于目标值的 75.0%" in ch.users_vs_plan_sentence(below)
    base_only = FakeDataset([("national_gov_platform_users", 2020, 4, "lower_bound", "s1")], targets=t)
    assert ch.users_vs_plan_sentence(base_only).endswith("本版资料尚无规划基期之后的数据")
    assert "尚未包含" in ch.users_vs_plan_sentence(FakeDataset([]))


def test_approval_sentence_keeps_the_plan_measure_apart() -> None:
    t = pd.DataFrame([target("provincial_online_approval_rate", base=80.0, goal=90.0, unit="%")])
    ds = FakeDataset(
        [
            ("provincial_licence_online_onevisit_share", 2020, 82.13, "exact", "s1"),
            ("provincial_licence_online_onevisit_share", 2021, 90.5, "exact", "s2"),
            ("provincial_licence_zero_visit_share", 2021, 56.36, "exact", "s2"),
            ("provincial_online_approval_rate", 2020, 80, "exact", "s1"),
        ],
        targets=t,
    )
    text = ch.approval_sentence(ds)
    assert "提高 8.37 个百分点" in text
    assert "另一个口径" in text and "2025 年不低于 90%" in text and "无法评估进度" in text
    assert (
        ch.online_gap_sentence(ds)
        == "2021 年能在网上受理或最多跑一次的事项，比完全不用跑的事项高出 34.14 个百分点"
    )


def test_coverage_takeaway_names_extremes_and_years() -> None:
    frame = pd.DataFrame(
        [
            {"indicator_id": "e_litigation_share", "year": 2017, "value": 7.0, "unit": "%", "qualifier": "exact"},
            {"indicator_id": "court_process_disclosure_rate", "year": 2020, "value": 99.0, "unit": "%", "qualifier": "lower_bound"},
        ]
    )  # fmt: skip
    text = ch.coverage_takeaway(frame)
    assert (
        text
        == "2 项比率取各自最新年份（2017–2020 年）：最高为案件流程信息公开率（超过 99%），最低为电子诉讼占比（7%）"
    )
    assert ch.coverage_takeaway(frame.iloc[0:0]) is None


def test_regional_sentence_and_reading() -> None:
    reg = pd.DataFrame(
        [
            {"source_id": "s2", "year": 2021, "framework": "f", "dimension": "数字政府", "province": p,
             "rank": pd.NA, "tier": "", "score": float("nan")}
            for p in ("浙江", "广东", "北京")
        ]
    )  # fmt: skip
    ds = FakeDataset([], regional=reg)
    assert (
        ch.regional_sentence(ds)
        == "2021 年数字政府建设水平居前的 3 个省份（报告未给出名次，按原文顺序）为浙江、广东、北京"
    )
    assert "没有公布得分" in ch.regional_reading(ds)
    assert ch.regional_sentence(FakeDataset([])) == "本版资料没有分地区的数字政府评价"
    assert ch.regional_reading(FakeDataset([])).startswith("因此本版无法")


def test_litigation_plans_and_reading_follow_the_edition() -> None:
    both = pd.DataFrame(
        [
            target("e_litigation_share", "fyp13", None, 15, "%"),
            target("e_litigation_share", "fyp14", 18, 30, "%"),
        ]
    )
    rows = [("e_litigation_share", 2016, 4, "exact", "s1"), ("e_litigation_share", 2017, 7, "exact", "s1")]
    ds = FakeDataset(rows, targets=both)
    assert ch.litigation_plans(ds) == "电子诉讼占比是“十三五”和“十四五”国家信息化规划都设定了目标的指标"
    assert "疫情之前" in ch.litigation_reading(ds)
    later = FakeDataset(
        [
            *rows,
            ("e_litigation_share", 2020, 18, "exact", "s1"),
            ("health_code_uses", 2020, 500, "lower_bound", "s1"),
        ]
    )
    assert "疫情防控期间" in ch.litigation_reading(later)
    assert "本版资料所覆盖的时期" in ch.pandemic_reading(ds)
    assert ch.pandemic_reading(later).startswith("健康码")


def test_licence_reading_compares_use_with_catalogue() -> None:
    ds = FakeDataset(
        [
            ("e_licence_types", 2020, 861, "exact", "s1"),
            ("e_licence_types", 2021, 900, "lower_bound", "s2"),
            ("e_licence_sharing_services", 2020, 4.6, "exact", "s1"),
            ("e_licence_sharing_services", 2021, 20, "lower_bound", "s2"),
        ]
    )
    assert ch.licence_reading(ds).startswith("电子证照共享次数的增长快于证照种类的增长")
    assert "无法比较" in ch.licence_reading(FakeDataset([]))


def test_texts_on_an_empty_edition_say_no_data_and_build_no_chart() -> None:
    ds = FakeDataset([])
    out = ch.texts(ds)
    sections = ch.section_texts(ds)
    # a section without data says so once, in its first paragraph; the others are then empty
    assert all(isinstance(v, str) and (v or k in sections) for k, v in out.items())
    assert {"un_text", "platform_text", "approval_text", "cross_text", "regulation_text"} <= {
        k for k, v in sections.items() if v
    }
    assert {f"key_{i}" for i in range(1, 5)} <= set(out)
    assert all(isinstance(f, Markdown) for f in ch.figures(ds).values())


# ----------------------------------------------------------------------------------------------------------
# Real data, every edition


@pytest.mark.parametrize("edition", data.available_editions())
def test_every_edition_computes_texts_and_figures(edition: int) -> None:
    ds = data.load(edition)
    out = ch.texts(ds)
    assert out["edition"] == str(edition)
    for key in ("key_1", "key_2", "key_3", "key_4"):
        assert out[key].endswith("。"), key
    figs = ch.figures(ds)
    assert set(figs) == {"ranks", "scale", "coverage", "litigation", "plan"}
    rendered = [f for f in figs.values() if isinstance(f, render.Figure)]
    assert len(rendered) >= 3  # e-litigation, coverage and plan charts exist from the first edition on
    assert ch.headline(ds)["edition"] == str(edition)


def test_latest_edition_values() -> None:
    ds = data.load(2021)
    out = ch.texts(ds)
    assert "第 65 位变为 2020 年的第 45 位，上升 20 位" in out["key_1"]
    assert (
        "“十三五”规划要求电子诉讼占比 2020 年超过 15%，按 2020 年的数据判断为已达成"
        in out["litigation_pace_text"]
    )
    assert "“十四五”规划要求电子诉讼占比" in out["litigation_pace_text"]
    assert "浙江" in out["regional"]


def test_sections_say_once_what_an_edition_lacks() -> None:
    """2017 predates the national platform, 跨省通办 and “互联网+监管”: one sentence per section says so."""
    early = ch.section_texts(data.load(2017))
    assert all(v.count("尚未给出") <= 1 for v in early.values())
    assert early["un_text"].startswith("关于联合国电子政务调查，本版资料尚未给出“联合国电子政务发展指数排名”")
    assert early["rank_gap_text"] == early["sharing_text"] == early["websites_text"] == ""
    # the 2017 platform counts are kept; the national platform's figures are named once as missing
    assert early["platform_text"].startswith("最早的全国性图景来自省级网上政务服务平台和政务新媒体：2017 年")
    assert "此后，建设重心转向" not in early["platform_text"]
    assert early["platform_text"].count("“全国一体化政务服务平台实名用户”") == 1
    # only the plan the edition can see is compared
    assert early["litigation_pace_text"].startswith("对照规划：“十三五”规划要求电子诉讼占比")
    latest = ch.section_texts(data.load(2021))
    assert all(latest.values()) and "尚未给出" not in "".join(latest.values())


def test_2017_edition_shows_no_later_document() -> None:
    out = ch.texts(data.load(2017))
    joined = "".join(out.values())
    assert "十四五" not in joined and "《数字中国发展报告（2020年）》" not in joined


# ----------------------------------------------------------------------------------------------------------
# The notebook


def _notebook() -> dict[str, Any]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


def test_notebook_has_parameters_and_headline_cells() -> None:
    cells = _notebook()["cells"]
    assert cells[0]["metadata"]["tags"] == ["parameters", "remove-cell"]
    assert "".join(cells[0]["source"]).startswith("edition = None")
    check = [
        c
        for c in cells
        if c["cell_type"] == "code" and "".join(c["source"]).startswith("# NBVAL_CHECK_OUTPUT")
    ]
    assert len(check) == 1 and check[0]["outputs"], "headline cell must keep its output"


def test_notebook_prose_has_no_typed_figures_and_only_known_glue_keys() -> None:
    assert booklint.typed_figures_in_notebook(NOTEBOOK) == []
    md = "".join("".join(c["source"]) for c in _notebook()["cells"] if c["cell_type"] == "markdown")
    used = set(re.findall(r"\{glue:text\}`government_([^`]+)`", md))
    assert used and used <= set(ch.texts(data.load()))


def test_issue5_sentences_on_the_real_editions() -> None:
    """No asserted cause for the e-litigation rise; no "人次…次" doubled counter (issue #5)."""
    t17 = ch.texts(data.load(2017))
    assert "推广网上立案" not in t17["litigation_reading"] and "原因" in t17["litigation_reading"]
    t20 = ch.texts(data.load(2020))
    assert "人次超过" not in t20["pandemic"] and "亿人次" in t20["pandemic"]
