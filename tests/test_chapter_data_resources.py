"""Chapter 03 数据资源与数据要素: the facts ``dcbook.chapters.data_resources`` computes, and its page per edition.

Most tests use a tiny hand-made dataset (:mod:`fakes`) so each rule is checked against numbers worked out by
hand; the last ones render the chapter's templates for every real edition and check them against the source
lines the figures come from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import pytest
from fakes import SOURCE_COLUMNS, TARGET_COLUMNS, FakeDS
from prose_checks import preview

from dcbook import data, render
from dcbook import facts as F
from dcbook.chapters import data_resources as ch

#: The report's own words for the big-data CAGR (dcr2021 line 161).
CAGR_QUOTE = "从2017年的4700亿元增长至2021年的1.3万亿元，年均复合增长率超过30%"


class ChapterDS(FakeDS):
    """:class:`FakeDS` plus what the chapter's checks read: the quote of a row, the figure as printed
    (``value_printed``/``unit_printed``, for undoing rounding) and the documents' conflicts."""

    def __init__(
        self,
        rows: Iterable[Sequence[Any]],
        *,
        quotes: dict[str, str] | None = None,
        printed: dict[tuple[str, int], tuple[str, str]] | None = None,
        conflicts: pd.DataFrame | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(rows, **kwargs)
        r = self.resolved
        for ind, quote in (quotes or {}).items():
            r.loc[r["indicator_id"] == ind, "quote"] = quote
        r["value_printed"] = ""
        r["unit_printed"] = r["unit"]
        for (ind, year), (value, unit) in (printed or {}).items():
            at = (r["indicator_id"] == ind) & (r["year"] == year)
            r.loc[at, "value_printed"] = value
            r.loc[at, "unit_printed"] = unit
        self._conflicts = conflicts if conflicts is not None else pd.DataFrame()

    def conflicts(self) -> pd.DataFrame:
        return self._conflicts


def industry(claim: float = 30, qualifier: str = "lower_bound", **kwargs: Any) -> ChapterDS:
    """The 2021 report's big-data figures: 4700 亿元 (2017) → 1.3 万亿元 (2021), "超过 30%" a year."""
    return ChapterDS(
        [
            ("big_data_industry_size", 2017, 0.47, "exact"),
            ("big_data_industry_size", 2021, 1.3, "exact"),
            ("big_data_industry_size_cagr", 2021, claim, qualifier),
        ],
        quotes={"big_data_industry_size_cagr": CAGR_QUOTE},
        printed={
            ("big_data_industry_size", 2017): ("4700", "亿元"),
            ("big_data_industry_size", 2021): ("1.3", "万亿元"),
        },
        **kwargs,
    )


# ----------------------------------------------------------------------------------------------------------
# The growth a report states, recomputed from its own figures


def test_quote_start_year_takes_the_earliest_year_before_the_claim() -> None:
    assert F.quote_start_year(CAGR_QUOTE, 2021) == 2017
    assert F.quote_start_year("与2020年同期相比总数增长超过30%", 2021) == 2020
    assert F.quote_start_year("年均复合增长率超过30%", 2021) is None
    assert F.quote_start_year("2021年增长30%", 2021) is None


def test_rounding_interval_undoes_the_printed_precision_in_the_display_unit() -> None:
    rows = industry().series("big_data_industry_size")
    assert F.rounding_interval(rows.iloc[1]) == pytest.approx((1.25, 1.35))
    # "4700" 亿元 is read as rounded at the hundreds: 4650–4750 亿元 = 0.465–0.475 万亿元
    assert F.rounding_interval(rows.iloc[0]) == pytest.approx((0.465, 0.475))


def test_claim_recomputes_the_stated_cagr_from_the_endpoints() -> None:
    c = F.claim(industry(), "big_data_industry_size_cagr", "big_data_industry_size", "cagr")
    assert c is not None and (c.start_year, c.stated.year, c.years) == (2017, 2021, 4)
    # (1.3 / 0.47) ** (1/4) - 1 = 28.96 %: not "超过 30%" ...
    assert c.computed == pytest.approx((1.3 / 0.47) ** 0.25 - 1) and round(c.computed * 100, 1) == 29.0
    assert c.holds is False
    # ... but 1.35 / 0.465 gives 30.53 %: within rounding it can be
    assert c.high == pytest.approx((1.35 / 0.465) ** 0.25 - 1) and round(c.high * 100, 1) == 30.5
    assert c.holds_within_rounding is True and c.low < c.computed < c.high and c.endpoints_exact


def test_claim_wording_follows_the_check() -> None:
    page = preview("data_resources", ds=industry())
    assert (
        "报告称大数据产业规模 2017–2021 年的年均复合增长率超过 30%；按报告所给的两端数值计算，实际为 29.0%，"
        "略低于所称；但两端数值都经过取整，在取整误差之内最高可达 30.5%，因此不能断言报告有误，"
        "但“超过”只在取整误差的上沿才成立" in page
    )
    assert "实际为 29.0%，与报告的说法相符" in preview("data_resources", ds=industry(claim=25))
    far = preview("data_resources", ds=industry(claim=40))
    assert "只在 27.4%–30.5% 之间，达不到报告所称的水平" in far  # low: (1.25 / 0.475) ** (1/4) - 1 = 27.37 %


def test_growth_claim_checks_total_growth() -> None:
    ds = ChapterDS(
        [
            ("open_data_platforms", 2020, 142, "exact"),
            ("open_data_platforms", 2021, 193, "exact"),
            ("open_data_platforms_growth", 2021, 30, "lower_bound"),
        ],
        quotes={"open_data_platforms_growth": "与2020年同期相比新增51个地方平台，总数增长超过30%"},
    )
    c = F.claim(ds, "open_data_platforms_growth", "open_data_platforms", "growth")
    assert c is not None and c.computed == pytest.approx(193 / 142 - 1) and c.holds  # 35.9 % > 30 %
    assert (
        "政府数据开放平台数 2020–2021 年的增幅超过 30%；按报告所给的两端数值计算，实际为 35.9%，与报告的说法相符"
        in (preview("data_resources", ds=ds))
    )


def test_claim_without_its_start_year_says_what_is_missing_once() -> None:
    ds = ChapterDS(
        [
            ("big_data_industry_size", 2021, 1.3, "exact"),
            ("big_data_industry_size_cagr", 2021, 30, "lower_bound"),
        ],
        quotes={"big_data_industry_size_cagr": CAGR_QUOTE},
    )
    c = F.claim(ds, "big_data_industry_size_cagr", "big_data_industry_size", "cagr")
    assert c is not None and not c.checked and c.holds is None
    # what the claim implies for 2017: at most 1.3 / 1.3 ** 4 = 0.4552 万亿元 ("不到 0.46": an upper bound is
    # rounded up, never past what it allows)
    imp = c.implied_first
    assert imp is not None and imp.value == 0.46 and imp.qualifier == F.UPPER and imp.year == 2017
    page = preview("data_resources", ds=ds)
    assert "本版资料缺少核算这一增速所需的 2017 年数值" in page
    assert F.claim(ChapterDS([("big_data_industry_size_cagr", 2021, 30, "lower_bound")]), "big_data_industry_size_cagr",
                   "big_data_industry_size") is None  # fmt: skip  # no year in the quote: nothing to check


# ----------------------------------------------------------------------------------------------------------
# Two definitions, shares, documents that disagree


def test_two_scopes_are_compared_in_the_same_year_only() -> None:
    ds = FakeDS(
        [("big_data_core_industry_size", 2017, 234, "exact"), ("big_data_industry_size", 2017, 0.47, "exact")]
    )
    r = ch.scopes(ds)
    assert (
        r is not None
        and r.num.unit == "亿元"
        and r.num.value == 4700
        and r.ratio == pytest.approx(20.085, 1e-3)
    )
    page = preview("data_resources", ds=ds)
    assert "大数据核心产业规模为 234 亿元，而大数据产业规模为 4,700 亿元，后者约为前者的 20 倍" in page
    apart = FakeDS(
        [("big_data_core_industry_size", 2017, 234, "exact"), ("big_data_industry_size", 2021, 1.3, "exact")]
    )
    assert ch.scopes(apart) is None
    assert "没有同一年份的数值可以对照" in preview("data_resources", ds=apart)


def test_trading_share_of_the_market_needs_one_year() -> None:
    ds = FakeDS(
        [("big_data_market_size", 2020, 7583, "exact"), ("data_trading_market_size", 2020, 379, "exact")]
    )
    share = ch.trading_share(ds)
    assert share is not None and share.ratio == pytest.approx(379 / 7583)  # 5.0 %
    assert "只占大数据市场规模（7,583 亿元）的 5.0%，不到一成" in preview("data_resources", ds=ds)
    apart = FakeDS(
        [("big_data_market_size", 2020, 7583, "exact"), ("data_trading_market_size", 2021, 379, "exact")]
    )
    assert ch.trading_share(apart) is None


def test_platform_levels_highest_lowest_and_the_gap() -> None:
    ds = FakeDS(
        [
            ("open_data_platforms_provincial_share", 2020, 56.3, "exact"),
            ("open_data_platforms_subprovincial_share", 2020, 73.3, "exact"),
            ("open_data_platforms_prefecture_share", 2020, 32.1, "exact"),
        ]
    )
    f = ch.facts(ds)
    assert [v.name for v in f["levels"]] == ["副省级城市", "省级行政区", "地级行政区"]
    assert f["levels_gap"].points == pytest.approx(41.2)
    page = preview("data_resources", ds=ds)
    assert "副省级城市最高（73.3%），地级行政区最低（32.1%），相差 41.2 个百分点" in page


def test_city_platforms_as_a_share_of_local_platforms() -> None:
    ds = FakeDS(
        [
            ("open_data_platforms_city", 2021, 173, "exact"),
            ("open_data_platforms_provincial_excl_municipalities", 2021, 20, "exact"),
        ]
    )
    share = ch.city_share(ds)
    assert share is not None and share.den.value == 193 and share.ratio == pytest.approx(173 / 193)  # 89.6 %
    assert "城市平台占 89.6%" in preview("data_resources", ds=ds)


def _conflicts(rows: list[tuple[str, int, list[float], list[str]]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": ind, "name_zh": F.name_of(FakeDS([]), ind), "region": "全国", "year": year,
                "unit": "%", "values": vals, "source_ids": srcs, "qualifiers": ["exact"] * len(vals),
                "winner_source_id": srcs[0], "abs_diff": max(vals) - min(vals),
            }
            for ind, year, vals, srcs in rows
        ]
    )  # fmt: skip


def test_the_widest_conflict_names_both_documents_and_the_one_kept() -> None:
    sources = pd.DataFrame(
        [
            {"source_id": "a", "title": "报告甲", "publisher": "x", "published": "2021-07", "edition_year": 2020,
             "kind": "yearly_report"},
            {"source_id": "b", "title": "解读乙", "publisher": "y", "published": "2021-03", "edition_year": 2020,
             "kind": "interpretation"},
        ],
        columns=SOURCE_COLUMNS,
    )  # fmt: skip
    conflicts = _conflicts(
        [
            ("open_data_platforms_provincial_share", 2020, [56.3, 66.0], ["a", "b"]),
            ("open_data_platforms_subprovincial_share", 2020, [73.3, 73.0], ["a", "b"]),
            ("software_revenue", 2020, [8.16, 8.1616], ["a", "b"]),  # another group: not counted
        ]
    )
    ds = ChapterDS(
        [("open_data_platforms_provincial_share", 2020, 56.3, "exact")], sources=sources, conflicts=conflicts
    )
    c = F.conflict(ds, tuple(ch.PLATFORM_LEVELS))
    assert c is not None and [v.value for v in c.values] == [56.3, 66.0] and c.kept.source == "a"
    assert c.gap is not None and c.gap.points == pytest.approx(9.7) and c.among == 2
    page = preview("data_resources", ds=ds)
    assert (
        "《报告甲》、《解读乙》对 2020 年“上线数据开放平台的省级行政区比例”给出的数值不同（56.3%、66%），相差 9.7 个百分点"
        in page
    )
    assert "本书按规则采用较晚出版的《报告甲》，同组共有 2 项指标存在这类分歧" in page
    assert F.conflict(ChapterDS([]), tuple(ch.PLATFORM_LEVELS)) is None


# ----------------------------------------------------------------------------------------------------------
# What an edition can see


def test_a_document_s_judgement_appears_only_where_the_edition_sees_it() -> None:
    rows = [("open_data_platforms", 2020, 142, "exact")]
    assert "起步阶段" not in preview("data_resources", ds=FakeDS(rows))
    sources = pd.DataFrame(
        [
            {"source_id": "rep", "title": "测试报告", "publisher": "x", "published": "2021-07", "edition_year": 2020,
             "kind": "yearly_report"},
            {"source_id": "fyp14_interp", "title": "测试解读", "publisher": "y", "published": "2021-03",
             "edition_year": 2020, "kind": "interpretation"},
        ],
        columns=SOURCE_COLUMNS,
    )  # fmt: skip
    page = preview("data_resources", ds=FakeDS(rows, edition=2020, sources=sources))
    assert "在质量问题上，《测试解读》认为公共数据开放仍处于起步阶段" in page


def test_plan_targets_without_a_data_resource_one() -> None:
    targets = pd.DataFrame(
        [{"plan": "fyp14", "indicator_id": "it_investment_share", "source_id": "rep", "comparator": ">=",
          "base_year": 2019, "base_value": 3.5, "target_year": 2025, "target_value": 5.8, "unit": "%",
          "attribute": "", "locator": 1, "quote": "目标"}],
        columns=TARGET_COLUMNS,
    )  # fmt: skip
    ds = FakeDS([("it_investment_share", 2019, 3.5, "exact")], targets=targets)
    f = ch.facts(ds)
    assert f["plan_targets"] == 1 and f["card"] is None
    page = preview("data_resources", ds=ds)
    assert "## 规划目标中的空白" in page and "主要指标共 1 项，其中没有一项直接衡量数据资源" in page
    assert "## 规划目标" not in preview("data_resources", ds=FakeDS([]))


def test_an_empty_edition_has_every_fact_declared_and_missing() -> None:
    ds = ChapterDS([], edition=2017)
    f = ch.facts(ds)
    counts = {"n_indicators", "n_infrastructure", "n_economy", "plan_targets"}
    assert all(f[k] == 0 for k in counts) and all(v is None for k, v in f.items() if k not in counts)
    figs = ch.figures(ds)
    assert set(figs) == {"industry", "open", "levels", "plan"} and all(v is None for v in figs.values())


def test_a_thin_edition_leaves_out_what_it_lacks() -> None:
    """The 2017 shape: a core-industry figure, pilots, sharing; no production, no market, no platforms."""
    ds = ChapterDS(
        [
            ("big_data_core_industry_size", 2017, 234, "exact"),
            ("big_data_core_industry_size_growth", 2017, 39, "exact"),
            ("open_data_pilot_provinces", 2017, 5, "exact"),
            ("data_sharing_exchange_volume", 2017, 120, "exact"),
        ],
        edition=2017,
    )
    page = preview("data_resources", ds=ds)
    assert "## 数据的产量与全球位置" not in page and "## 数据要素市场" not in page  # left out, not "no data"
    assert "生产要素" not in page  # the milestone is not in this edition's documents
    assert "本章回答两个问题" in page and "## 公共数据开放：从试点起步" in page
    assert (
        "本版报告给出的是“大数据核心产业”的规模：2017 年大数据核心产业规模为 234 亿元，同比增长 39%" in page
    )
    assert "这些数字有两个共同特点" in page  # one sharing counter: no "the platforms keep changing" point


# ----------------------------------------------------------------------------------------------------------
# Real data, every edition


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    figs = ch.figures(ds)
    assert all(f is None or isinstance(f, render.Figure) for f in figs.values())
    head = ch.headline(ds)
    assert head["edition"] == str(edition)
    page = preview("data_resources", edition)
    assert ("## 数据的产量与全球位置" in page) == (ds.latest("data_production_volume") is not None)


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("data_resources", 2021)
    # dcr2021 line 15: "2017年到2021年，我国数据产量从2.3ZB增长至6.6ZB"; "全球占比9.9%"
    assert "数据产量 2017–2021 年由 2.3 ZB 增至 6.6 ZB，增长 1.9 倍；2021 年占全球 9.9%" in page
    # dcr2021 line 161: "从2017年的4700亿元增长至2021年的1.3万亿元，年均复合增长率超过30%"
    assert "实际为 29.0%，略低于所称" in page and "最高可达 30.5%" in page
    # dcr2017 line 98 "大数据核心产业规模为 234 亿元" against dcr2021 line 15 "从2017年的4700亿元"
    assert "后者约为前者的 20 倍" in page
    # dcr2021 line 383: "与2020年同期相比新增51个地方平台，总数增长超过30%" (142 → 193)
    assert (
        "政府数据开放平台数 2020–2021 年的增幅超过 30%；按报告所给的两端数值计算，实际为 35.9%，与报告的说法相符"
        in page
    )
    # fyp14_interp line 387: "2020年我国大数据市场规模达到7583亿元，大数据流通交易市场规模达到379亿元"
    assert "只占大数据市场规模（7,583 亿元）的 5.0%，不到一成" in page
    # dcr2021 line 182: "城市平台173个" (of 193 local platforms)
    assert "城市平台占 89.6%" in page


def test_2020_page_names_the_conflict_and_no_later_report() -> None:
    page = preview("data_resources", 2020)
    # dcr2020 line 99 "56.3%的省级政府" against fyp14_interp line 315 "已有66.0%的省级行政区"
    assert "（56.3%、66%），相差 9.7 个百分点；本书按规则采用较晚出版的《数字中国发展报告（2020年）》" in page
    assert "2021年" not in page and "dcr2021" not in page and "展望部分" not in page


def test_2017_page_reads_as_written_in_2018() -> None:
    page = preview("data_resources", 2017)
    assert "生产要素" not in page and "十四五" not in page and "数据要素市场" not in page
    # dcr2017 line 98: "2017 年我国大数据核心产业规模为 234 亿元，同比增长 39%"
    assert "2017 年大数据核心产业规模为 234 亿元，同比增长 39%" in page
    assert "主要指标共 14 项，其中没有一项直接衡量数据资源" in page


def test_2017_page_claims_no_absence_the_source_contradicts() -> None:
    page = preview("data_resources", 2017)
    # dcr2017 l.224 gives the transport open-data cloud's volume: the page must not say there is no figure
    assert "平台和数据集还没有计数" not in page and "本版资料还没有数字" not in page
    assert "综合交通出行大数据开放云平台开放数据量超过 7 TB" in page
    assert "算力" not in page and "一网通办" not in page  # neither in dcr2017 nor on the page it pointed to


def test_2020_page_does_not_repeat_its_one_platform_count() -> None:
    page = preview("data_resources", 2020)
    assert page.count("142 个") == 1  # key points only; the text says the count has one year
    assert "平台多了" not in page and "这些指标衡量" not in page
    assert "与上文的“大数据产业规模”不是同一个统计口径" in page
