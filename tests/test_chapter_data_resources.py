"""Chapter 03 数据资源与数据要素: computed sentences on hand-made series, then every edition of the real data."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import pytest
from IPython.display import Markdown

from dcbook import REPO_ROOT, booklint, data, render
from dcbook.chapters import data_resources as ch

NOTEBOOK = REPO_ROOT / "book" / "03_data_resources.ipynb"

#: The real catalogue (names, domains, display units), so every id the chapter asks about is known.
CATALOGUE = data.load().indicators[["name_zh", "domain", "unit"]]


class FakeDataset:
    """The slice of ``dcbook.data.Dataset`` the chapter module uses, over hand-made resolved rows.

    Rows: (indicator_id, year, value, qualifier, source_id[, value_printed, unit_printed, quote]).
    """

    def __init__(self, rows: list[tuple], edition: int = 2021, targets: pd.DataFrame | None = None) -> None:
        self.edition = edition
        self.sources = pd.DataFrame(
            [
                {"source_id": "s1", "title": "报告一", "published": "2021-07", "edition_year": 2020},
                {"source_id": "s2", "title": "报告二", "published": "2022-07", "edition_year": 2021},
            ]
        )
        self.indicators = CATALOGUE
        full = [tuple(r) + (None,) * (8 - len(r)) for r in rows]
        cols = [
            "indicator_id",
            "year",
            "value",
            "qualifier",
            "source_id",
            "value_printed",
            "unit_printed",
            "quote",
        ]
        df = pd.DataFrame(full, columns=cols)
        df["region"] = "全国"
        df["unit"] = df["indicator_id"].map(CATALOGUE["unit"])
        df["unit_printed"] = df["unit_printed"].fillna(df["unit"])
        df["value_printed"] = [
            p if p else f"{v:g}" for p, v in zip(df["value_printed"], df["value"], strict=True)
        ]
        df["quote"] = df["quote"].fillna("引文")
        df["name_zh"] = df["indicator_id"].map(CATALOGUE["name_zh"])
        df["domain"] = df["indicator_id"].map(CATALOGUE["domain"])
        titles = self.sources.set_index("source_id")
        df["source_title"] = df["source_id"].map(titles["title"])
        df["edition_year"] = df["source_id"].map(titles["edition_year"])
        self.resolved = df
        self.targets = targets if targets is not None else pd.DataFrame()
        self._conflicts = pd.DataFrame()

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        if indicator_id not in self.indicators.index:
            raise KeyError(indicator_id)
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]

    def conflicts(self) -> pd.DataFrame:
        return self._conflicts


CAGR_QUOTE = "从2017年的4700亿元增长至2021年的1.3万亿元，年均复合增长率超过30%"


def industry(claim: float = 30, qualifier: str = "lower_bound", end: str = "1.3") -> list[tuple[Any, ...]]:
    return [
        ("big_data_industry_size", 2017, 0.47, "exact", "s2", "4700", "亿元"),
        ("big_data_industry_size", 2021, float(end), "exact", "s2", end, "万亿元"),
        ("big_data_industry_cagr", 2021, claim, qualifier, "s2", None, None, CAGR_QUOTE),
    ]


# ----------------------------------------------------------------------------------------------------------
# Hand-made data


def test_quote_start_year_takes_earliest_year_before_the_claim() -> None:
    assert ch.quote_start_year(CAGR_QUOTE, 2021) == 2017
    assert ch.quote_start_year("与2020年同期相比增长超过30%", 2021) == 2020
    assert ch.quote_start_year("年均复合增长率超过30%", 2021) is None
    assert ch.quote_start_year("2021年增长30%", 2021) is None


def test_rounding_bounds_undo_the_printed_precision_in_the_display_unit() -> None:
    ds = FakeDataset(industry())
    lo, hi = ch.rounding_bounds(ds.latest("big_data_industry_size"))
    assert (lo, hi) == pytest.approx((1.25, 1.35))
    first = ds.series("big_data_industry_size").iloc[0]
    lo, hi = ch.rounding_bounds(first)  # "4700" 亿元 read as rounded at the hundreds: 4650–4750 亿元
    assert (lo, hi) == pytest.approx((0.465, 0.475))


def test_claim_check_recomputes_the_claimed_cagr_from_the_endpoints() -> None:
    c = ch.claim_check(FakeDataset(industry()), "big_data_industry_cagr", "big_data_industry_size")
    assert c is not None
    assert c["start_year"] == 2017 and c["end_year"] == 2021
    assert c["computed"] == pytest.approx(((1.3 / 0.47) ** 0.25 - 1) * 100)
    assert c["consistent"] is False  # 29.0 % is not "超过 30%"
    assert c["within_rounding"] is True  # but 1.35 / 0.465 gives 30.5 %
    assert c["computed_low"] < c["computed"] < c["computed_high"]


def test_claim_sentence_wording_follows_the_check() -> None:
    text = ch.claim_sentence(FakeDataset(industry()), "big_data_industry_cagr", "big_data_industry_size")
    assert "29.0%" in text and "超过 30%" in text and "取整误差" in text and "30.5%" in text
    ok = ch.claim_sentence(
        FakeDataset(industry(claim=25)), "big_data_industry_cagr", "big_data_industry_size"
    )
    assert ok.endswith("与报告的说法相符")
    far = ch.claim_sentence(
        FakeDataset(industry(claim=40)), "big_data_industry_cagr", "big_data_industry_size"
    )
    assert "达不到报告所称的水平" in far


def test_claim_sentence_without_endpoints_says_it_cannot_check() -> None:
    rows = [r for r in industry() if not (r[0] == "big_data_industry_size" and r[1] == 2017)]
    ds = FakeDataset(rows)
    assert ch.claim_check(ds, "big_data_industry_cagr", "big_data_industry_size") is None
    assert "缺少核算" in ch.claim_sentence(ds, "big_data_industry_cagr", "big_data_industry_size")
    empty = FakeDataset([])
    assert ch.claim_sentence(empty, "big_data_industry_cagr", "big_data_industry_size").startswith(
        "本版资料尚未"
    )


def test_growth_claim_checks_total_growth() -> None:
    ds = FakeDataset(
        [
            ("open_data_platforms", 2020, 142, "exact", "s1"),
            ("open_data_platforms", 2021, 193, "exact", "s2"),
            (
                "open_data_platforms_growth",
                2021,
                30,
                "lower_bound",
                "s2",
                None,
                None,
                "与2020年同期相比总数增长超过30%",
            ),
        ]
    )
    c = ch.claim_check(ds, "open_data_platforms_growth", "open_data_platforms", "growth")
    assert c is not None and c["computed"] == pytest.approx((193 / 142 - 1) * 100) and c["consistent"]


def test_definition_gap_compares_two_scopes_in_the_same_year() -> None:
    ds = FakeDataset(
        [
            ("big_data_core_industry_size", 2017, 234, "exact", "s1"),
            ("big_data_industry_size", 2017, 0.47, "exact", "s2"),
        ]
    )
    text = ch.definition_gap_sentence(ds, "big_data_core_industry_size", "big_data_industry_size")
    assert "约为前者的 20 倍" in text  # 4700 亿元 / 234 亿元 = 20.1
    other_year = FakeDataset(
        [
            ("big_data_core_industry_size", 2017, 234, "exact", "s1"),
            ("big_data_industry_size", 2021, 1.3, "exact", "s2"),
        ]
    )
    assert "没有同一年份" in ch.definition_gap_sentence(
        other_year, "big_data_core_industry_size", "big_data_industry_size"
    )


def test_ratio_sentence_and_market_reading() -> None:
    ds = FakeDataset(
        [
            ("big_data_market_size", 2020, 7583, "exact", "s1"),
            ("data_trading_market_size", 2020, 379, "exact", "s1"),
        ]
    )
    assert "的 5.0%" in ch.ratio_sentence(ds, "data_trading_market_size", "big_data_market_size", "占比")
    assert "5.0%（不到一成）" in ch.market_reading(ds)
    mismatched = FakeDataset(
        [
            ("big_data_market_size", 2020, 7583, "exact", "s1"),
            ("data_trading_market_size", 2021, 379, "exact", "s2"),
        ]
    )
    assert "年份不同" in ch.ratio_sentence(
        mismatched, "data_trading_market_size", "big_data_market_size", "占比"
    )
    assert "没有衡量数据交易规模" in ch.market_reading(mismatched)


def test_platform_mix_names_highest_and_lowest_level() -> None:
    ds = FakeDataset(
        [
            ("open_data_platforms_provincial_share", 2020, 56.3, "exact", "s1"),
            ("open_data_platforms_subprovincial_share", 2020, 73.3, "exact", "s1"),
            ("open_data_platforms_prefecture_share", 2020, 32.1, "exact", "s1"),
        ]
    )
    text = ch.platform_mix_sentence(ds)
    assert text.startswith("2020 年副省级城市") and "地级行政区最低" in text and "41.2 个百分点" in text
    assert ch.platform_mix_sentence(FakeDataset([])).startswith("本版资料尚未给出")


def test_plan_gap_counts_visible_targets() -> None:
    targets = pd.DataFrame(
        [
            {"plan": "fyp14", "indicator_id": "it_investment_share", "base_year": 2020, "base_value": 4.0,
             "target_year": 2025, "target_value": 5.8, "comparator": ">=", "attribute": "", "unit": "%",
             "source_id": "s1", "locator": 1, "quote": "q"},
        ]
    )  # fmt: skip
    ds = FakeDataset([("it_investment_share", 2020, 4.0, "exact", "s1")], targets=targets)
    assert (
        ch.plan_gap_sentence(ds)
        == "本版资料可见的国家信息化规划主要指标共 1 项，其中没有一项直接衡量数据资源或数据要素市场"
    )
    assert ch.plan_gap_sentence(FakeDataset([])) == "本版资料中尚无国家信息化规划的量化目标"


def test_remark_only_when_the_document_is_visible() -> None:
    remarks = {"k": ("s2", "认为……", "没有评估"), "gone": ("s9", "认为……", "没有评估")}
    ds = FakeDataset([])
    assert ch.remark(ds, "k", remarks) == "《报告二》认为……"
    assert ch.remark(ds, "gone", remarks) == "没有评估"


def test_texts_on_an_empty_edition_say_no_data_and_build_no_chart() -> None:
    ds = FakeDataset([])
    out = ch.texts(ds)
    sections = ch.section_texts(ds)
    # a section without data is one sentence in its first paragraph; its other paragraphs are empty
    assert all(isinstance(v, str) and (v or k in sections) for k, v in out.items())
    assert {"production_text", "industry_text", "open_text", "sharing_text", "market_text"} <= {
        k for k, v in sections.items() if v
    }
    assert {f"key_{i}" for i in range(1, 5)} <= set(out)
    figs = ch.figures(ds)
    assert all(isinstance(f, Markdown) for f in figs.values())


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
    assert set(figs) == {"industry", "panels", "levels"}
    for f in figs.values():
        assert isinstance(f, (Markdown, render.Figure))
    head = ch.headline(ds)
    assert head["edition"] == str(edition)


def test_latest_edition_figures_and_findings() -> None:
    ds = data.load(2021)
    c = ch.claim_check(ds, "big_data_industry_cagr", "big_data_industry_size")
    assert c is not None and round(c["computed"], 1) == 29.0 and c["within_rounding"]
    figs = ch.figures(ds)
    assert all(isinstance(f, render.Figure) for f in figs.values())
    assert "2017–2021 年" in ch.texts(ds)["key_1"]


def test_sections_name_missing_indicators_once() -> None:
    """2017 has almost no data-resource figures: each section says so once, listing what is missing."""
    sections = ch.section_texts(data.load(2017))
    joined = "".join(sections.values())
    assert joined.count("尚未给出") == sum("尚未给出" in v for v in sections.values()) <= 5
    assert (
        sections["production_text"]
        == "关于数据产量，本版资料尚未给出“数据产量”和“数据产量占全球比重”的数据。"
    )
    assert sections["market_reading_text"] == "" and sections["market_text"].startswith("关于数据要素市场，")
    # a section with some data keeps it and lists the rest once, at its end
    assert sections["sharing_text"].startswith("与面向社会的开放相比")
    assert sections["sharing_text"].endswith("“在全国一体化政务服务平台发布数据资源的国务院部门数”的数据。")
    latest = ch.section_texts(data.load(2021))
    assert all(v for v in latest.values()) and "尚未给出" not in "".join(latest.values())


def test_2017_edition_shows_no_later_document() -> None:
    out = ch.texts(data.load(2017))
    joined = "".join(out.values())
    assert "2021年" not in joined and "《数字中国发展报告（2021年）》" not in joined
    assert out["remark_market_outlook"] == ch.REMARKS["market_outlook"][2]


# ----------------------------------------------------------------------------------------------------------
# The notebook


def _notebook() -> dict[str, Any]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))


def test_notebook_has_parameters_and_headline_cells() -> None:
    cells = _notebook()["cells"]
    first = cells[0]
    assert first["metadata"]["tags"] == ["parameters", "remove-cell"]
    assert "".join(first["source"]).startswith("edition = None")
    check = [
        c
        for c in cells
        if c["cell_type"] == "code" and "".join(c["source"]).startswith("# NBVAL_CHECK_OUTPUT")
    ]
    assert len(check) == 1 and check[0]["outputs"], "headline cell must keep its output"


def test_notebook_prose_has_no_typed_figures_and_only_known_glue_keys() -> None:
    assert booklint.typed_figures_in_notebook(NOTEBOOK) == []
    md = "".join("".join(c["source"]) for c in _notebook()["cells"] if c["cell_type"] == "markdown")
    used = set(re.findall(r"\{glue:text\}`data_resources_([^`]+)`", md))
    assert used and used <= set(ch.texts(data.load()))
