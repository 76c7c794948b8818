"""Chapter 10 国际合作: partner counts, the cross-border e-commerce consistency check, every edition."""

from __future__ import annotations

import pytest
from IPython.display import Markdown

from dcbook import data, render
from dcbook.chapters import international as ch


def test_partner_ids_are_country_counts_only(real_ds) -> None:
    ids = ch.partner_ids(real_ds)
    assert "digital_silk_road_mou_countries" in ids and "wto_ecommerce_joint_statement_members" in ids
    assert "digital_service_export_bases" not in ids  # 国家数字服务出口基地: not a count of countries
    assert "belt_road_cross_border_land_cables" not in ids  # unit 条


def test_cbec_check_compares_implied_and_printed_growth() -> None:
    # 1.98 / 1.69 − 1 = 17.2 % against the printed 15 %
    text = ch.cbec_check_sentence(data.load(2021))
    assert "增速为 17.2%，高于报告印出的 15.0%" in text
    assert ch.cbec_check_sentence(data.load(2020)).startswith("本版资料不足以核对")


def test_silk_road_pace() -> None:
    assert "一年新增 1 个" in ch.yearly_add_sentence(data.load(2021))  # 2020 → 2021: one year
    assert ch.yearly_add_sentence(data.load(2020)) == "本版资料中伙伴国数量只有一个年份，看不出新增的节奏"


@pytest.mark.parametrize("edition", [2017, 2020, 2021])
def test_chapter_runs_on_every_edition_with_the_same_keys(edition: int) -> None:
    ds = data.load(edition)
    t = ch.texts(ds)
    assert set(t) == set(ch.texts(data.load(2021)))
    assert [k for k in t if k.startswith("key_")] == ["key_1", "key_2", "key_3", "key_4"]
    assert all(isinstance(v, str) and v for v in t.values())
    figs = ch.figures(ds)
    assert all(isinstance(f, (render.Figure, Markdown)) for f in figs.values())
    assert isinstance(figs["partners"], render.Figure)
    assert ch.headline(ds)["events"] == str(len(ch.events_frame(ds)))


def test_2017_lacks_silk_road_series_and_says_so() -> None:
    ds = data.load(2017)
    assert isinstance(ch.figures(ds)["silk_road"], Markdown)
    assert ch.events_sentence(ds) == "本版资料没有记录国际合作方面带日期的事件"


def test_one_year_step_says_one_year_not_average() -> None:
    """2020 → 2021 is one year: "一年新增 1 个", never "平均每年新增 1 个" (issue #5)."""
    text = ch.yearly_add_sentence(data.load(2021))
    assert "一年新增" in text and "平均每年" not in text
