"""Chapter 08 数字文化与数字生态文明 (and the thin-data helpers shared with chapters 09 and 10).

Small rules are checked on hand-made rows with numbers worked out by hand; the last tests run the chapter
on every real edition, since an edition without data must produce plain sentences, never an error.
"""

from __future__ import annotations

import pandas as pd
import pytest
from IPython.display import Markdown

from dcbook import data, render
from dcbook.chapters import common
from dcbook.chapters import culture_ecology as ch


def row(value: float, qualifier: str = "exact", unit: str = "亿", year: int = 2021) -> pd.Series:
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
    assert common.ratio_text(row(5, "lower_bound"), row(9.75)) == "超过 51.3%"
    assert common.ratio_text(row(60, "lower_bound"), row(7)) == "超过 8.6 倍"
    assert common.equiv_text(row(5, "lower_bound"), row(9.75), "视频用户") == "至少相当于视频用户的 51.3%"
    with pytest.raises(ValueError, match="denominator is 0"):
        common.ratio_text(row(1), row(0))


def test_date_words() -> None:
    assert common.date_words("2021-09") == "2021 年 9 月"
    assert common.date_words("2017-06-01") == "2017 年 6 月 1 日"
    assert common.date_words("2019") == "2019 年"


def test_short_source_labels() -> None:
    assert common.short_source("数字中国发展报告（2021年）", "yearly_report") == "2021 年度报告"
    assert common.short_source("“十四五”国家信息化规划", "plan") == "“十四五”信息化规划"


def test_subdomain_split_covers_every_indicator_once(real_ds) -> None:
    groups = ch.split_ids(real_ds)
    ids = common.domain_ids(real_ds, ch.DOMAINS)
    assert sorted(groups["数字文化"] + groups["数字生态"]) == sorted(ids)
    assert "green_power_traded" in groups["数字生态"] and "hd_tv_channels" in groups["数字文化"]


def test_coverage_counts_each_indicator_once_per_source() -> None:
    ds = data.load(2017)
    cov = common.coverage_frame(ds, {"A": ["hd_tv_channels", "cable_tv_users", "no_such_id"]})
    assert list(cov["label"]) == ["2017 年度报告"]
    assert list(cov["value"]) == [2.0]
    assert common.coverage_sentence(ds, ["hd_tv_channels", "cable_tv_users"], "测试") == (
        "本版资料涉及测试的指标共 2 项，但没有一项有两个以上年份的数据"
    )
    assert (
        common.coverage_sentence(ds, ["green_power_traded"], "测试") == "本版资料没有给出测试方面的任何数字"
    )


def test_2021_computations_match_the_report() -> None:
    ds = data.load(2021)
    # 20.5 % two-year growth, 11.6 points above all culture firms → 8.9 %; 20.5 / 8.9 ≈ 2.3
    assert "约为 8.9%" in ch.implied_growth_sentence(ds) and "2.3 倍" in ch.implied_growth_sentence(ds)
    # (8 + 2) / 1003 ≈ 1.0 %
    assert ch.uhd_share_sentence(ds) == "2021 年4K 与 8K 超高清频道合计只占高清频道数的 1.0%"
    # 79.35 vs > 4000 亿千瓦时: the ratio is an upper bound
    assert "不到 2017 年特高压线路年输送电量的 2.0%" in ch.green_scale_sentence(ds)
    assert "后者只是下限" in ch.culture_cloud_sentence(ds)


@pytest.mark.parametrize("edition", [2017, 2020, 2021])
def test_chapter_runs_on_every_edition_with_the_same_keys(edition: int) -> None:
    ds = data.load(edition)
    t = ch.texts(ds)
    assert t["edition"] == str(edition)
    assert [f"key_{i}" for i in range(1, 5)] == [k for k in t if k.startswith("key_")]
    assert all(isinstance(v, str) and v for v in t.values())
    keys_2021 = set(ch.texts(data.load(2021)))
    assert set(t) == keys_2021  # every glue key exists in every edition
    figs = ch.figures(ds)
    assert all(isinstance(f, (render.Figure, Markdown)) for f in figs.values())
    assert isinstance(figs["coverage"], render.Figure)
    h = ch.headline(ds)
    assert h["edition"] == str(edition)


def test_2017_says_plainly_what_it_lacks() -> None:
    t = ch.texts(data.load(2017))
    assert t["digital_culture"] == "本版资料尚未给出数字文化新业态的营业收入"
    assert "无法计算增速" in t["channels"]
    assert isinstance(ch.figures(data.load(2017))["channels"], Markdown)
