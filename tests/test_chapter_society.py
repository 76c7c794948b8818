"""Chapter 07 数字社会与民生: the sentences and figures computed by ``dcbook.chapters.society``.

Rules are checked on a tiny hand-made dataset with numbers worked out by hand; the last tests run the
chapter on every real edition.
"""

from __future__ import annotations

import pytest
from IPython.display import Markdown
from test_chapter_infrastructure import FakeDS

from dcbook import data, render
from dcbook.chapters import society as ch


def penetration_rows() -> list[tuple]:
    return [
        ("internet_penetration", 2017, 55.8, "exact"),
        ("internet_penetration", 2020, 70, "lower_bound"),
        ("internet_penetration", 2021, 73, "exact"),
        ("rural_internet_penetration", 2017, 35.4, "exact"),
        ("rural_internet_penetration", 2020, 55.9, "exact"),
        ("rural_internet_penetration", 2021, 57.6, "exact"),
    ]


def test_offline_estimate_from_users_and_penetration() -> None:
    ds = FakeDS([("internet_users", 2021, 10, "exact"), ("internet_penetration", 2021, 80, "exact")])
    # population = 10 / 0.8 = 12.5 亿; offline = 2.5 亿
    assert (
        ch.offline_sentence(ds)
        == "按 2021 年的网民规模和普及率推算，仍有约 2.50 亿人没有上网（占总人口的比例约 20%）"
    )


def test_offline_estimate_is_an_upper_bound_for_a_lower_bound_rate() -> None:
    ds = FakeDS([("internet_users", 2020, 9.89, "exact"), ("internet_penetration", 2020, 70, "lower_bound")])
    text = ch.offline_sentence(ds)
    assert "仍有不到 4.24 亿人没有上网" in text and "不到 30%" in text


def test_offline_estimate_refuses_an_impossible_rate() -> None:
    ds = FakeDS([("internet_users", 2021, 10, "exact"), ("internet_penetration", 2021, 0, "exact")])
    with pytest.raises(ValueError, match=r"internet_penetration 2021: value 0\.0 "):
        ch.offline_sentence(ds)


def test_offline_estimate_needs_a_common_year() -> None:
    ds = FakeDS([("internet_users", 2021, 10, "exact"), ("internet_penetration", 2020, 80, "exact")])
    assert "不在同一年份" in ch.offline_sentence(ds)


def test_gap_frame_and_sentence() -> None:
    ds = FakeDS(penetration_rows())
    g = ch.gap_frame(ds)
    assert list(g["year"]) == [2017, 2020, 2021]
    assert list(g["gap"].round(1)) == [20.4, 14.1, 15.4]
    assert list(g["approx"]) == [False, True, False]
    text = ch.gap_sentence(ds)
    # first → latest both exact: no "约"; the last step uses the 2020 lower bound: "约"
    assert "由 2017 年的 20.4 个百分点变为 2021 年的 15.4 个百分点，缩小 5.0 个百分点" in text
    assert "（2020–2021 年）差距反而扩大了约 1.3 个百分点" in text


def test_gap_sentence_single_year_and_no_data() -> None:
    ds = FakeDS(
        [("internet_penetration", 2021, 73, "exact"), ("rural_internet_penetration", 2021, 57.6, "exact")]
    )
    assert (
        ch.gap_sentence(ds) == "2021 年全国互联网普及率比农村高 15.4 个百分点（本版资料只有这一年可以对比）"
    )
    assert ch.gap_sentence(FakeDS([])).startswith("本版资料没有同一年份")


def test_gap_sentence_monotone_narrowing_has_no_reversal_clause() -> None:
    rows = [r for r in penetration_rows() if r[1] != 2021]
    text = ch.gap_sentence(FakeDS(rows))
    assert "缩小约 6.3 个百分点" in text and "反而" not in text


def test_elderly_reading_depends_on_which_task_ranks_first() -> None:
    rows = [
        ("elderly_netizens_health_code_share", 2021, 69.7, "exact"),
        ("elderly_netizens_online_shopping_share", 2021, 52.1, "exact"),
        ("elderly_netizens_info_search_share", 2021, 46.2, "exact"),
    ]
    assert "“不得不学”" in ch.elderly_reading(FakeDS(rows))
    assert "也就是说 53.8%的老年网民" in ch.elderly_sentence(FakeDS(rows))
    flipped = [(i, y, 100 - v, q) for i, y, v, q in rows]
    assert "“不得不学”" not in ch.elderly_reading(FakeDS(flipped))
    assert "不足以比较" in ch.elderly_reading(FakeDS(rows[:1]))


def test_literacy_gap_and_ratio() -> None:
    ds = FakeDS(
        [
            ("digital_literacy_score_urban", 2021, 56.3, "exact"),
            ("digital_literacy_score_rural", 2021, 35.1, "exact"),
        ]
    )
    text = ch.literacy_sentence(ds)
    assert "相差 21.2 分" in text and "农村只及城市的 62%" in text


def test_key_finding_growth_ranks_core_indicators_only() -> None:
    rows = [
        ("yinong_info_stations", 2017, 16.9, "exact"),
        ("yinong_info_stations", 2020, 45.4, "exact"),
        ("training_vouchers_issued", 2020, 52.97, "exact"),
        ("training_vouchers_issued", 2021, 1873.74, "exact"),
    ]
    texts = ch.texts(FakeDS(rows))
    assert "益农信息社" in texts["key_3"] and "培训券" not in texts["key_3"]
    assert "培训券" in texts["fastest_all"]


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    texts = ch.texts(ds)
    assert texts["edition"] == str(edition)
    assert sum(k.startswith("key_") for k in texts) == 4
    assert all(isinstance(v, str) and v for v in texts.values())
    figs = ch.figures(ds)
    assert set(figs) == {"users", "penetration", "services", "elderly", "plan"}
    assert all(isinstance(f, render.Figure | Markdown) for f in figs.values())
    head = ch.headline(ds)
    users = ds.latest("internet_users")
    assert users is not None and head["internet_users"].endswith("亿人")
    g = ch.gap_frame(ds)
    for _, row in g.iterrows():  # the gap is exactly national − rural of the resolved rows
        nat = ds.series("internet_penetration")
        rur = ds.series("rural_internet_penetration")
        n = float(nat.loc[nat["year"] == row["year"], "value"].iloc[0])
        r = float(rur.loc[rur["year"] == row["year"], "value"].iloc[0])
        assert row["gap"] == pytest.approx(n - r)


@pytest.mark.parametrize(
    ("urban", "rural", "verdict"),
    [
        (92.4, 91.4, "城乡之间几乎没有差别"),
        (92.4, 80.0, "城市网民明显更满意"),
        (80.0, 92.4, "农村网民反而更满意"),
    ],
)
def test_satisfaction_verdict_is_computed(urban: float, rural: float, verdict: str) -> None:
    ds = FakeDS(
        [
            ("survey_urban_infra_satisfaction", 2021, urban, "exact"),
            ("survey_rural_infra_satisfaction", 2021, rural, "exact"),
        ]
    )
    assert ch.satisfaction_sentence(ds).endswith(verdict)


def test_key_finding_falls_back_to_the_rural_rate_without_a_common_year() -> None:
    texts = ch.texts(FakeDS([("rural_internet_penetration", 2017, 35.4, "exact")], edition=2017))
    assert (
        texts["key_2"]
        == "2017 年农村地区互联网普及率为 35.4%；本版资料没有同一年份的全国互联网普及率，无法计算城乡差距。"
    )


def test_reported_gap_names_its_period() -> None:
    """The report's 11.9-point narrowing covers 2017–2021 (indicators.csv definition), not 2021 alone."""
    text = ch.texts(data.load(2021))["gap_reported"]
    assert text.startswith("2017–2021 年") and "11.9 个百分点" in text


def test_pace_sentence_states_the_verdict_chapter_12_counts() -> None:
    """社会保障卡普及率 2020 is 口径待核 in chapter 12: this chapter must not call it 已达成 (issue #5)."""
    text = ch.texts(data.load(2021))["ss_card_pace13"]
    assert "口径待核" in text and "判断为已达成" not in text
