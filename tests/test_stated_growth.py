"""Stated growth is data (issue 14, rule 3): a growth rate a source prints sits beside the rate the book
computes from two levels, everywhere such a rate is worded, and a difference of more than one point beyond
the printed figures' rounding is flagged with its likely cause (period, base or definition).

The rules are checked on hand-made datasets whose rates are worked out by hand, then on the real editions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeDS
from prose_checks import preview

from dcbook import facts as F
from dcbook.prose import engine

RETAIL = [
    ("online_retail_sales", 2016, 5.16, "exact"),
    ("online_retail_sales", 2017, 7.18, "exact"),
    ("online_retail_sales_growth", 2017, 32.2, "exact"),
]


def _with(ds: FakeDS, column: str, values: dict[tuple[str, int], str]) -> FakeDS:
    """``ds`` with ``column`` set for the rows ``(indicator, year)`` named (a source id, a period code)."""
    r = ds.resolved
    if column not in r.columns:
        r[column] = ""
    for (ind, year), v in values.items():
        r.loc[(r["indicator_id"] == ind) & (r["year"] == year), column] = v
    return ds


def test_a_one_year_change_carries_the_growth_its_source_prints() -> None:
    s = F.series(FakeDS(RETAIL), "online_retail_sales")
    assert s is not None and s.change is not None
    st = s.change.stated
    # 7.18 / 5.16 - 1 = 39.15 %; the ends' rounding allows 38.9 %..39.4 %: 32.2 is 6.95 points off
    assert st is not None and st.checked and not st.annual
    assert s.change.growth == pytest.approx(0.3915, abs=1e-4)
    assert st.points == pytest.approx(6.95, abs=0.01) and not st.consistent
    # one document prints both levels and the rate: the rate is on another basis
    assert st.flagged and st.cause == "definition"


def test_agreement_and_rounding_are_told_apart() -> None:
    # 26.1 → 29.16 is 11.72 %: a printed 11.7 agrees at its own precision
    agree = FakeDS(
        [
            ("ecommerce_transactions", 2016, 26.1, "exact"),
            ("ecommerce_transactions", 2017, 29.16, "exact"),
            ("ecommerce_transactions_growth", 2017, 11.7, "exact"),
        ]
    )
    st = F.series(agree, "ecommerce_transactions").change.stated  # type: ignore[union-attr]
    assert st is not None and st.agree and st.consistent and not st.flagged
    # 6.3 → 7.0 Tbps is 11.1 %, but 6.35 → 6.95 is 9.4 % and 6.25 → 7.05 is 12.8 %: 10.2 is within rounding
    band = FakeDS(
        [
            ("intl_internet_bandwidth", 2016, 6.3, "exact"),
            ("intl_internet_bandwidth", 2017, 7.0, "exact"),
            ("intl_internet_bandwidth_growth", 2017, 10.2, "exact"),
        ]
    )
    st = F.series(band, "intl_internet_bandwidth").change.stated  # type: ignore[union-attr]
    assert st is not None and st.rounding and not st.agree and not st.flagged


def test_the_cause_names_a_revised_base_or_a_different_period() -> None:
    later = _with(FakeDS(RETAIL), "source_id", {("online_retail_sales", 2016): "older"})
    st = F.series(later, "online_retail_sales").change.stated  # type: ignore[union-attr]
    assert st is not None and st.cause == "base"
    half = _with(FakeDS(RETAIL), "period", {("online_retail_sales_growth", 2017): "to-06"})
    st = F.series(half, "online_retail_sales").change.stated  # type: ignore[union-attr]
    assert st is not None and st.cause == "period"


def test_a_bound_on_either_side_is_shown_but_not_checked() -> None:
    rows = [*RETAIL[:2], ("online_retail_sales_growth", 2017, 30, "lower_bound")]
    st = F.series(FakeDS(rows), "online_retail_sales").change.stated  # type: ignore[union-attr]
    assert st is not None and not st.checked and not st.flagged and st.printed.qualifier == F.LOWER
    # a printed rate of another year than the change's end is not beside it
    other = [*RETAIL[:2], ("online_retail_sales_growth", 2016, 40, "exact")]
    assert F.series(FakeDS(other), "online_retail_sales").change.stated is None  # type: ignore[union-attr]
    # a change over several years is not set against one year's rate
    longer = [("online_retail_sales", 2013, 1.85, "exact"), *RETAIL]
    assert F.series(FakeDS(longer), "online_retail_sales").change.stated is None  # type: ignore[union-attr]


def test_a_stated_growth_survives_the_trip_through_the_notebook() -> None:
    change = F.series(FakeDS(RETAIL), "online_retail_sales").change  # type: ignore[union-attr]
    back = F.decode(F.encode(change))
    assert back == change and isinstance(back.stated, F.Stated)


def _grew(change: F.Change) -> str:
    env = engine.environment(Path(__file__).resolve().parents[1] / "book" / engine.TEMPLATES_DIR)
    return env.from_string("{% from 'phrases.jinja' import grew %}{{ grew(c) }}").render(c=change)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (RETAIL, "增长 39.1%（报告印出的同比增速为 32.2%，相差 6.9 个百分点；两年数值与增速出自同一份资料"),
        (
            [*RETAIL[:2], ("online_retail_sales_growth", 2017, 39.2, "exact")],
            "增长 39.1%（报告印出的同比增速为 39.2%，差别在两端数值取整的范围内）",
        ),
        (
            [*RETAIL[:2], ("online_retail_sales_growth", 2017, 39.1, "exact")],
            "增长 39.1%（与报告印出的同比增速一致）",
        ),
        (
            [*RETAIL[:2], ("online_retail_sales_growth", 2017, 30, "lower_bound")],
            "增长 39.1%（报告印出的同比增速超过 30%）",
        ),
        (RETAIL[:2], "增长 39.1%"),
    ],
)
def test_the_shared_phrase_words_each_case(rows: list, expected: str) -> None:
    change = F.series(FakeDS(rows), "online_retail_sales").change  # type: ignore[union-attr]
    text = _grew(change)
    assert text.startswith(expected), text
    if expected == "增长 39.1%":
        assert "报告" not in text


def test_a_pace_from_an_approximate_figure_is_worded_approximate() -> None:
    # 高新技术企业 27.5 万家 (plan base, 2020) → "近 33 万家" (2021): 20.0 % is only 约 20.0 %
    rows = [
        ("high_tech_enterprises", 2020, 27.5, "exact"),
        ("high_tech_enterprises", 2021, 33, "approx"),
        ("high_tech_enterprises_growth", 2021, 18.7, "exact"),
    ]
    ds = FakeDS(rows)
    s = F.series(ds, "high_tech_enterprises")
    assert s is not None and s.change is not None and s.change.bound == F.APPROX
    assert s.change.stated is not None and not s.change.stated.checked  # an 约 end: shown, not checked
    from dcbook.prose import filters

    pace = F.Pace(
        plan="fyp14", plan_name="“十四五”规划", indicator="high_tech_enterprises", name="高新技术企业",
        unit="万家", comparator=">=", target_year=2025, target_value=45, base_year=2020, base_value=27.5,
        latest=F.value(ds, "high_tech_enterprises"), status="符合进度", verdict="符合进度",
        observed_cagr=33 / 27.5 - 1, required_cagr=0.104, required_from_latest=0.081, early_year=None,
        over=False, observed_bound=F.growth_bound(F.EXACT, F.APPROX),
    )  # fmt: skip
    assert str(filters.rate(pace)) == "约 20.0%"


@pytest.mark.parametrize(("slug", "edition", "phrase"), [
    # dcr2017 table 1: 网络商品零售额 5.16 → 7.18 万亿元 with a printed 32.2 %
    ("economy", 2017, "增长 39.1%（报告印出的同比增速为 32.2%，相差 6.9 个百分点"),
    # dcr2017 table 1: 互联网国际出口带宽 6.3 → 7.0 Tbps with a printed 10.2 %
    ("infrastructure", 2017, "增长 11.1%（报告印出的同比增速为 10.2%，差别在两端数值取整的范围内）"),
    # 2020 网上零售额 11.76 (dcr2020) → 2021 13.09 (dcr2021) with dcr2021's printed 14.1 %
    ("economy", 2021, "网上零售额按 2020 年和 2021 年的数值算增长 11.3%（报告印出的同比增速为 14.1%，相差 2.8 个百分点；上年的 11.76 万亿元来自另一份资料"),
    # the pace to the same figure says the printed rate once more, briefly
    ("economy", 2021, "2020–2021 年实际增长 11.3%（报告印出的同比增速为 14.1%），快于规划要求"),
])  # fmt: skip
def test_real_pages_show_the_printed_rate_beside_the_computed_one(
    slug: str, edition: int, phrase: str
) -> None:
    assert phrase in preview(slug, edition)


def test_the_naming_rule_holds_in_the_catalogue() -> None:
    """``<id>_growth`` is read as the printed growth of ``<id>``: every such pair is a rate beside a level."""
    from dcbook import data

    cat = data.load(2021).indicators
    pairs = [(i, i[: -len(F.STATED_GROWTH_SUFFIX)]) for i in cat.index if i.endswith(F.STATED_GROWTH_SUFFIX)]
    linked = [(g, lvl) for g, lvl in pairs if lvl in cat.index]
    assert len(linked) >= 10
    for g, lvl in linked:
        assert cat.at[g, "unit"] == "%", g
        assert cat.at[lvl, "unit"] not in F.NOT_LEVEL_UNITS, lvl


def test_fastest_leaves_out_pilots_and_says_when_the_base_is_small() -> None:
    """Issue 14, rule 5: "fastest growth" excludes a pilot scheme and flags a small base."""
    rows = [
        ("online_retail_sales", 2016, 5.16, "exact"),
        ("online_retail_sales", 2017, 7.18, "exact"),
        ("ecommerce_transactions", 2016, 26.1, "exact"),
        ("ecommerce_transactions", 2017, 29.16, "exact"),
    ]
    x = F.fastest(FakeDS(rows), ["online_retail_sales", "ecommerce_transactions"])
    assert (
        x is not None and x.series.indicator == "online_retail_sales" and not x.small_base and x.pilots == ()
    )
    # 1,800 亿元 → 2.05 万亿元 is 11.4 times the start: the winner, but from a small base
    rural = [
        *rows,
        ("rural_online_retail_sales", 2014, 0.18, "exact"),
        ("rural_online_retail_sales", 2021, 2.05, "exact"),
    ]
    ids = ["online_retail_sales", "ecommerce_transactions", "rural_online_retail_sales"]
    x = F.fastest(FakeDS(rural), ids)
    assert x is not None and x.series.indicator == "rural_online_retail_sales" and x.small_base
    assert F.decode(F.encode(x)) == x
    # a pilot scheme's count grows with the scheme, not the activity: left out, and named
    pilot = [
        *rows,
        ("open_data_pilot_provinces", 2016, 1, "exact"),
        ("open_data_pilot_provinces", 2017, 8, "exact"),
    ]
    x = F.fastest(
        FakeDS(pilot), ["online_retail_sales", "ecommerce_transactions", "open_data_pilot_provinces"]
    )
    assert x is not None and x.series.indicator == "online_retail_sales" and x.candidates == 2
    assert x.pilots == ("公共信息资源开放试点省（市）数",)


def test_a_figure_measured_in_a_pilot_is_not_the_start_of_growth() -> None:
    """Rule 5 when the name hides it: 2020's 职业培训券 figure is the 电子培训券试点's, 2021's the nation's — a
    rollout, left out of "fastest" and of the between-editions "变化最大" ranking (its relative change is None)."""
    rows = [
        ("online_retail_sales", 2020, 11.76, "exact"),
        ("online_retail_sales", 2021, 13.09, "exact"),
        ("training_vouchers_issued", 2020, 52.97, "exact"),
        ("training_vouchers_issued", 2021, 1873.74, "exact"),
    ]
    ds = FakeDS(rows)
    first = ds.resolved.index[(ds.resolved["indicator_id"] == "training_vouchers_issued")][0]
    ds.resolved.loc[first, "quote"] = "开展电子培训券试点工作，发券量达到52.97万张"
    x = F.fastest(ds, ["online_retail_sales", "training_vouchers_issued"])
    assert x is not None and x.series.indicator == "online_retail_sales"
    assert x.pilots == ("职业培训券全年发券数",) and x.candidates == 1
    assert F.from_pilot("试点工作，发券量达到52.97万张", "全年发放职业培训券1873.74万张")
    assert not F.from_pilot("试点省份 8 个", "试点省份 20 个")  # a pilot scheme throughout: its own series


def test_a_series_that_more_than_doubled_a_year_grew_from_a_small_base() -> None:
    """Rule 5's second test: 千兆光纤用户 640 万 → 3,456 万户 in one year is 5.4 times the start, below the
    tenfold test, yet a rate of 440% a year says how low the start was, not how fast the pace is."""
    rows = [
        ("base_stations_5g", 2020, 71.8, "exact"),
        ("base_stations_5g", 2021, 142.5, "exact"),  # 98.5%: just short of doubling
        ("gigabit_fiber_users", 2020, 640, "exact"),
        ("gigabit_fiber_users", 2021, 3456, "exact"),
    ]
    x = F.fastest(FakeDS(rows), ["base_stations_5g", "gigabit_fiber_users"])
    assert x is not None and x.series.indicator == "gigabit_fiber_users"
    assert x.series.change.ratio < F.SMALL_BASE_MULTIPLE and x.small_base
    x = F.fastest(FakeDS(rows[:2]), ["base_stations_5g"])
    assert x is not None and x.cagr < F.SMALL_BASE_CAGR and not x.small_base


def test_the_overview_ranks_headline_growth_by_the_same_rule() -> None:
    """导读 and 总览 name the fastest headline indicator through facts.fastest: the 2021 edition's 千兆光纤
    says its base was small, in the same words as chapter 02, and the rule is stated in 方法与数据."""
    from prose_checks import preview

    from dcbook import data
    from dcbook import panel as P

    ds = data.load(2021)
    fast, slow, n = P.growth_extremes(ds, P.headline_panel(ds))
    assert fast is not None and fast.series.indicator == "gigabit_fiber_users" and fast.small_base
    assert slow is not None and n == fast.candidates
    note = "千兆光纤接入用户数增长最快（2020–2021 年增长 4.4 倍），但这一增速主要反映起点低（2020 年只有 640 万户）"
    for chapter in ("intro", "overview"):
        assert note in preview(chapter, 2021), chapter
    assert "但这一增速主要反映起点低（2020 年只有 640 万户）" in preview("infrastructure", 2021)
    assert "或年均增速超过 100%（每年翻一番以上）" in preview("methods", 2021)


def test_a_printed_compound_rate_stands_beside_the_books_over_the_same_span_only() -> None:
    """Rule 9: dcr2021 prints the digital economy's 2017–2021 rate (13.6%); 总览 shows it beside its own
    13.7%, as chapter 05 does. The big-data industry's printed rate (超过 30%, 2017–2021) is not set beside
    the book's series, which starts in 2016: another span."""
    from prose_checks import preview

    from dcbook import data

    ds = data.load(2021)
    size = F.series(ds, "digital_economy_size")
    st = F.stated_cagr(ds, size.change)
    assert st is not None and st.annual and st.printed.value == 13.6 and st.rounding
    big = F.series(ds, "big_data_industry_size")
    assert big.change.start == 2016 and F.stated_cagr(ds, big.change) is None
    text = "它的规模年均增长 13.7%（报告印出的年均增速为 13.6%，差别在两端数值取整的范围内）"
    assert text in preview("overview", 2021)
    assert "年均复合增长 13.7%（报告印出的年均增速为 13.6%，差别在两端数值取整的范围内）" in preview(
        "economy", 2021
    )
    # the 2020 edition cannot see the 2021 report's rate
    assert F.stated_cagr(data.load(2020), F.series(data.load(2020), "digital_economy_size").change) is None
