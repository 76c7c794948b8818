"""Chapter 02 数字基础设施: the sentences and figures computed by ``dcbook.chapters.infrastructure``.

Most tests use a tiny hand-made dataset (duck-typed like ``dcbook.data.Dataset``) so that each rule is
checked against numbers worked out by hand; the last tests run the chapter on every real edition.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from IPython.display import Markdown

from dcbook import DEFAULT_DATA_DIR, data, render
from dcbook.chapters import common
from dcbook.chapters import infrastructure as ch

#: The real indicator catalogue: hand-made rows get the names and display units the book uses.
CATALOGUE = pd.read_csv(DEFAULT_DATA_DIR / "indicators.csv", dtype=str, keep_default_na=False).set_index(
    "indicator_id"
)


class FakeDS:
    """The part of ``dcbook.data.Dataset`` the chapter uses, over a list of resolved rows."""

    def __init__(self, rows: list[tuple[Any, ...]], edition: int = 2021) -> None:
        self.edition = edition
        self.indicators = CATALOGUE
        self.sources = pd.DataFrame([{"source_id": "rep", "title": "测试报告", "edition_year": edition}])
        self.targets = pd.DataFrame(columns=["plan", "indicator_id", "source_id"])
        units = self.indicators["unit"]
        self.resolved = pd.DataFrame(
            [
                {
                    "indicator_id": i,
                    "region": "全国",
                    "year": y,
                    "value": float(v),
                    "qualifier": q,
                    "unit": units[i],
                    "name_zh": self.indicators.at[i, "name_zh"],
                    "source_id": "rep",
                    "source_title": "测试报告",
                    "edition_year": edition,
                }
                for i, y, v, q in rows
            ],
            columns=[
                "indicator_id", "region", "year", "value", "qualifier", "unit", "name_zh", "source_id",
                "source_title", "edition_year",
            ],
        )  # fmt: skip

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]


def test_level_indicators_excludes_rates_and_flows() -> None:
    ids = common.level_indicators(FakeDS([]), ("infrastructure",))
    assert "base_stations_5g" in ids and "gigabit_fiber_users" in ids
    assert "mobile_broadband_penetration" not in ids  # a rate (%)
    assert "base_stations_5g_new" not in ids  # a yearly flow
    assert "internet_users" not in ids  # another domain


def test_fastest_growth_compares_annual_rates_not_total_ratios() -> None:
    # stations: 100 → 400 in 2 years (CAGR 100 %); gigabit: 100 → 500 in 4 years (CAGR ≈ 49.5 %)
    ds = FakeDS(
        [
            ("base_stations_5g", 2019, 100, "exact"),
            ("base_stations_5g", 2021, 400, "exact"),
            ("gigabit_fiber_users", 2017, 100, "exact"),
            ("gigabit_fiber_users", 2021, 500, "exact"),
        ]
    )
    ind, rate, start, end = common.fastest_growth(ds, ["base_stations_5g", "gigabit_fiber_users"])
    assert (ind, start, end) == ("base_stations_5g", 2019, 2021)
    assert rate == pytest.approx(1.0)
    text = common.fastest_sentence(ds, ["base_stations_5g", "gigabit_fiber_users"], "基础设施")
    # a growth rate of 100% or more reads as 倍, as everywhere in the book
    assert "2 项基础设施规模指标" in text and "5G基站数" in text and "年均增长 1.0 倍" in text


def test_fastest_sentence_without_two_years_says_so() -> None:
    ds = FakeDS([("base_stations_5g", 2021, 142.5, "exact")])
    assert common.fastest_growth(ds, ["base_stations_5g"]) is None
    assert "只有一年的数据" in common.fastest_sentence(ds, ["base_stations_5g"], "基础设施")


def test_one_year_span_has_no_separate_annual_rate() -> None:
    ds = FakeDS([("gigabit_fiber_users", 2020, 640, "exact"), ("gigabit_fiber_users", 2021, 3456, "exact")])
    text = common.fastest_sentence(ds, ["gigabit_fiber_users"], "基础设施")
    assert "增长 4.4 倍" in text and "年均" not in text


@pytest.mark.parametrize(("value", "expected"), [(108, "高于 100%"), (70, "尚未超过 100%")])
def test_mobile_saturation(value: float, expected: str) -> None:
    ds = FakeDS([("mobile_broadband_penetration", 2020, value, "exact")])
    assert expected in ch.mobile_saturation_sentence(ds)


def test_users_per_station_uses_the_same_year_and_converts_units() -> None:
    ds = FakeDS(
        [
            ("base_stations_5g", 2020, 71.8, "exact"),
            ("base_stations_5g", 2021, 142.5, "exact"),
            ("users_5g", 2021, 3.55, "exact"),
        ]
    )
    # 3.55 亿户 / 142.5 万个 = 355,000,000 / 1,425,000 ≈ 249
    assert ch.users_per_station_sentence(ds) == "2021 年平均每个 5G 基站对应约 249 户 5G 手机用户"
    ds2 = FakeDS([("base_stations_5g", 2020, 71.8, "exact"), ("users_5g", 2021, 3.55, "exact")])
    assert "不在同一年份" in ch.users_per_station_sentence(ds2)


def test_ipv6_gap_readiness_versus_use() -> None:
    ds = FakeDS(
        [("gov_portal_ipv6_support", 2021, 97.2, "exact"), ("fixed_ipv6_traffic_share", 2021, 9.38, "exact")]
    )
    text = ch.ipv6_gap_sentence(ds)
    assert "97.2%" in text and "9.38%" in text and "相差 87.8 个百分点" in text
    assert "无法比较" in ch.ipv6_gap_sentence(FakeDS([("gov_portal_ipv6_support", 2021, 97.2, "exact")]))


def test_idle_racks_flips_the_qualifier_of_the_utilisation_rate() -> None:
    ds = FakeDS(
        [
            ("data_center_racks", 2021, 520, "lower_bound"),
            ("data_center_rack_utilization", 2021, 55, "lower_bound"),
        ]
    )
    text = ch.idle_racks_sentence(ds)
    assert "平均上架率超过 55%" in text
    assert "闲置机架的比例不到 45%" in text  # more than 55 % used → less than 45 % idle


def test_pp_gap_marks_qualified_values_as_approximate() -> None:
    low = pd.Series({"value": 9.38, "qualifier": "exact"})
    high = pd.Series({"value": 97.2, "qualifier": "lower_bound"})
    assert common.pp_gap_sentence(low, high, "两者") == "两者相差约 87.8 个百分点"
    assert common.pp_gap_sentence(None, high, "两者").startswith("本版资料不足以比较")


def test_empty_edition_gives_plain_no_data_sentences() -> None:
    ds = FakeDS([], edition=2017)
    texts = ch.texts(ds)
    assert texts["edition"] == "2017"
    assert texts["fiveg"] == "本版资料尚未涉及 5G 网络建设"
    assert texts["gigabit"] == "本版资料尚未给出“千兆光纤接入用户数”的数据"
    assert texts["key_4"] == "本版资料尚无可以评估的基础设施类规划目标。"
    assert all(isinstance(v, str) and v for v in texts.values())
    figs = ch.figures(ds)
    assert all(isinstance(f, Markdown) for f in figs.values())


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    texts = ch.texts(ds)
    assert texts["edition"] == str(edition)
    assert sum(k.startswith("key_") for k in texts) == 4
    assert all(isinstance(v, str) and v for v in texts.values())
    figs = ch.figures(ds)
    assert set(figs) == {"penetration", "scale", "ipv6", "rural", "plan"}
    assert all(isinstance(f, render.Figure | Markdown) for f in figs.values())
    head = ch.headline(ds)
    row = ds.latest("fixed_broadband_household_penetration")
    assert row is not None and head["fixed_broadband_household_penetration"].endswith("%")
    # an edition shows only what its sources published: no 5G before the 2020 report
    if ds.latest("base_stations_5g") is None:
        assert head["base_stations_5g"] == common.NO_DATA
        assert isinstance(figs["ipv6"], Markdown) or ds.latest("gov_portal_ipv6_support") is not None
