"""Tests for dcbook.targets: every status rule on hand-made series, then golden checks on real data."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import pytest

from dcbook import DEFAULT_DATA_DIR
from dcbook import targets as tg


@dataclass
class FakeDS:
    """The slice of dcbook.data.Dataset that the scorecard reads."""

    targets: pd.DataFrame
    indicators: pd.DataFrame
    obs: dict[str, list[tuple]] = field(default_factory=dict)
    edition: int = 2021

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        rows = [
            dict(year=y, value=v, qualifier=q, source_id="test", quote=f"{y}年{v}")
            for y, v, q in self.obs.get(indicator_id, [])
        ]
        return pd.DataFrame(rows, columns=["year", "value", "qualifier", "source_id", "quote"])


def target(
    ind="x",
    plan="fyp14",
    base_year=2020,
    base_value=10.0,
    target_year=2025,
    target_value=20.0,
    comparator=">=",
    unit="%",
):
    return dict(
        plan=plan,
        indicator_id=ind,
        base_year=base_year,
        base_value=base_value,
        target_year=target_year,
        target_value=target_value,
        comparator=comparator,
        attribute="预期性",
        unit=unit,
        source_id="test",
        locator=1,
        quote="q",
    )


def make_ds(rows: list[dict], obs: dict[str, list[tuple]], edition: int = 2021) -> FakeDS:
    ids = sorted({r["indicator_id"] for r in rows})
    ind = pd.DataFrame(
        {"name_zh": [f"指标{i}" for i in ids], "unit": ["%"] * len(ids)},
        index=pd.Index(ids, name="indicator_id"),
    )
    return FakeDS(pd.DataFrame(rows), ind, obs, edition)


def one(t: dict, obs: list[tuple], edition: int = 2021) -> pd.Series:
    card = tg.scorecard(make_ds([t], {t["indicator_id"]: obs}, edition), t["plan"])
    assert len(card) == 1
    return card.iloc[0]


# --- the met rule ---------------------------------------------------------------------------------


def test_met_exactly_at_target_in_target_year():
    row = one(target(), [(2025, 20.0, "exact")])
    assert row.status == "已达成"
    assert row.progress_pct == 100.0


def test_just_below_target_in_target_year_is_missed():
    row = one(target(), [(2025, 19.99, "exact")])
    assert row.status == "未达成"
    assert 99 < row.progress_pct < 100


def test_lower_bound_value_above_target_is_met():
    row = one(target(), [(2022, 21.0, "lower_bound")])
    assert row.status == "已达成"
    assert "提前" in row.note


def test_lower_bound_counts_for_more_only():
    assert tg.meets(90, "lower_bound", 90, ">=")
    assert tg.meets(38, "lower_bound", 38, ">")  # 超过38 already means more than 38
    assert not tg.meets(10, "lower_bound", 20, "<=")  # true value may be larger than the bound


def test_upper_bound_and_approx():
    assert not tg.meets(25, "upper_bound", 20, ">=")  # 不到25: the true value may be below 20
    assert tg.meets(15, "upper_bound", 20, "<=")
    assert tg.meets(20, "approx", 20, ">=")  # the printed number reaches the target by itself
    assert not tg.meets(19.9, "approx", 20, ">=")


def test_strict_comparator():
    t = target(comparator=">", target_value=10.0, base_value=5.0)
    assert one(t, [(2025, 10.0, "exact")]).status == "未达成"
    assert one(t, [(2025, 10.01, "exact")]).status == "已达成"
    assert not tg.meets(10, "exact", 10, ">")


def test_unknown_comparator_raises():
    with pytest.raises(tg.TargetError, match="comparator"):
        tg.meets(1, "exact", 1, "=>")


# --- decreasing is better -------------------------------------------------------------------------


def test_decreasing_is_better_met_and_missed():
    t = target(comparator="<=", base_value=100.0, target_value=50.0)
    assert one(t, [(2025, 50.0, "exact")]).status == "已达成"
    assert one(t, [(2025, 55.0, "exact")]).status == "未达成"


def test_decreasing_is_better_progress():
    t = target(comparator="<=", base_value=100.0, target_value=50.0)
    # required: 0.5**(1/5)-1 = -12.9 %/yr; observed 0.7**(1/2)-1 = -16.3 %/yr: faster decline
    ahead = one(t, [(2022, 70.0, "exact")])
    assert ahead.status == "进度领先"
    assert ahead.required_cagr == pytest.approx(0.5**0.2 - 1)
    assert ahead.observed_cagr == pytest.approx(0.7**0.5 - 1)
    # a rise is behind
    assert one(t, [(2022, 101.0, "exact")]).status == "落后"


# --- progress statuses ----------------------------------------------------------------------------


def test_on_track_ahead_behind_around_required_growth():
    t = target(base_value=10.0, target_value=20.0)  # required 2**0.2-1 = 14.87 %/yr
    req = 2**0.2 - 1
    on = one(t, [(2022, 10 * (1 + req) ** 2, "exact")])
    assert on.status == "符合进度"
    assert on.observed_cagr == pytest.approx(req)
    assert one(t, [(2022, 10 * (1 + req * 1.2) ** 2, "exact")]).status == "进度领先"
    assert one(t, [(2022, 10 * (1 + req * 0.95) ** 2, "exact")]).status == "符合进度"
    assert one(t, [(2022, 10 * (1 + req * 0.8) ** 2, "exact")]).status == "落后"


def test_projection_progress_and_required_growth_from_latest():
    row = one(target(base_value=10.0, target_value=20.0), [(2021, 12.0, "exact")])
    assert row.projected_value == pytest.approx(12.0 + 2.0 * 4)  # straight line to 2025
    assert row.progress_pct == pytest.approx(20.0)
    assert row.required_cagr_from_latest == pytest.approx((20 / 12) ** 0.25 - 1)
    assert row.latest_year == 2021 and row.latest_value == 12.0


def test_non_positive_values_fall_back_to_linear_pace():
    t = target(base_value=0.0, target_value=10.0)
    row = one(t, [(2022, 6.0, "exact")])  # 60 % of the gap closed in 40 % of the period
    assert row.observed_cagr is None or math.isnan(row.observed_cagr)
    assert row.status == "进度领先"


# --- no data, passed deadline, missing base -------------------------------------------------------


def test_no_data():
    assert one(target(), []).status == "无数据"
    # an observation of the base year itself is not progress
    row = one(target(), [(2020, 10.0, "exact")])
    assert row.status == "无数据"
    assert row.n_obs == 0


def test_target_year_passed_uses_the_target_year_value():
    t = target()
    row = one(t, [(2023, 15.0, "exact"), (2025, 19.0, "exact"), (2026, 21.0, "exact")], edition=2026)
    assert row.status == "未达成"
    assert row.latest_year == 2025
    # no target-year value: the earliest later one decides
    assert one(t, [(2023, 15.0, "exact"), (2026, 21.0, "exact")], edition=2026).status == "已达成"


def test_deadline_passed_without_target_year_value_is_flagged_not_guessed():
    row = one(target(), [(2022, 11.0, "exact")], edition=2026)
    assert row.status == "落后"
    assert "未给出目标年数据" in row.note


def test_plan_without_printed_base_uses_2016_observation():
    t = target(plan="fyp13", base_year="", base_value="", target_year=2020, target_value=10.0)
    row = one(t, [(2016, 5.0, "exact"), (2017, 7.0, "exact")], edition=2017)
    assert row.base_year == 2016 and row.base_value == 5.0
    assert row.required_cagr == pytest.approx(2**0.25 - 1)
    assert row.observed_cagr == pytest.approx(0.4)
    assert row.status == "进度领先"
    assert "基期" in row.note


def test_unknown_indicator_and_plan_raise_with_names():
    ds = make_ds([target()], {})
    ds.targets.loc[0, "indicator_id"] = "nope"
    with pytest.raises(tg.TargetError, match="nope"):
        tg.scorecard(ds, "fyp14")
    with pytest.raises(tg.TargetError, match="fyp99"):
        tg.scorecard(make_ds([target()], {}), "fyp99")


def test_unit_conversion_of_printed_target():
    units = pytest.importorskip("dcbook.units", reason="dcbook.units not written yet")
    assert units.convert(640, "万户", "户") == pytest.approx(6.4e6)
    row = tg.score_target(target(unit="万户", base_value=640, target_value=6000), pd.DataFrame(), "户")
    assert row["target_value"] == pytest.approx(6e7)
    assert row["base_value"] == pytest.approx(6.4e6)


# --- summaries ------------------------------------------------------------------------------------


def test_status_and_verdict_counts():
    rows = [target(ind=f"i{k}") for k in range(4)]
    obs = {
        "i0": [(2025, 20.0, "exact")],
        "i1": [(2025, 1.0, "exact")],
        "i2": [],
        "i3": [(2022, 11.0, "exact")],
    }
    card = tg.scorecard(make_ds(rows, obs), "fyp14")
    counts = tg.status_counts(card)
    assert list(counts) == list(tg.STATUSES)
    assert counts == {"已达成": 1, "进度领先": 0, "符合进度": 0, "落后": 1, "未达成": 1, "无数据": 1}
    assert tg.verdict_counts(card) == {
        "已达成": 1,
        "落后": 1,
        "未达成": 1,
        "无数据": 1,
    }  # zero counts left out


# --- golden checks on the real dataset (statuses verified by hand; see the comments) ---------------


@pytest.fixture(scope="module")
def real():
    data = pytest.importorskip("dcbook.data", reason="dcbook.data (data API) not written yet")
    return {ed: data.load(edition=ed) for ed in (2017, 2021)}


def _status(card: pd.DataFrame, ind: str) -> pd.Series:
    return card.set_index("indicator_id").loc[ind]


def test_golden_fyp13_2017_edition_four_targets_met_early(real):
    """The 2017 report says 4 indicators were already met (贫困村宽带网络覆盖率等 4 项指标已经提前完成)."""
    card = tg.scorecard(real[2017], "fyp13")
    assert len(card) == 14
    met = set(card.loc[card["status"] == "已达成", "indicator_id"])
    # 2017: >90 vs 90; 84 vs 80; 72 vs 70; 16.7 vs 15.3 万件
    assert met == {
        "poor_village_broadband_coverage",
        "fiber_share_of_broadband",
        "fixed_broadband_household_penetration",
        "domestic_it_invention_patents",
    }


def test_golden_fyp13_verdict_2021_edition(real):
    card = tg.scorecard(real[2021], "fyp13")
    assert _status(card, "internet_users").status == "未达成"  # 2020: 9.89 亿, target >10
    assert _status(card, "info_consumption").status == "未达成"  # 2020: 5.8 万亿元 < 6
    assert _status(card, "online_retail_sales").status == "已达成"  # 2020: 11.76 >= 10
    assert _status(card, "mobile_broadband_penetration").status == "已达成"  # 2020: 108 % >= 85
    assert _status(card, "e_litigation_share").status == "已达成"  # 2020: 18 % > 15


def test_golden_fyp14_2021_edition(real):
    card = tg.scorecard(real[2021], "fyp14")
    assert len(card) == 18
    # 2021 vs 2020 base: required CAGR to 2025 vs observed 2020->2021
    for ind, latest in [
        ("gigabit_fiber_users", 3456),  # 640 -> 3456 万户; needs 56.5 %/yr
        ("ipv6_active_users", 6.08),  # 4.62 -> 6.08 亿; needs 11.6 %/yr
        ("online_retail_sales", 13.09),  # 11.76 -> 13.09 万亿元; needs 7.65 %/yr
        ("enterprise_full_digitalization_share", 52.1),
    ]:  # 48.3 -> 52.1 %; needs 4.4 %
        row = _status(card, ind)
        assert row.status == "进度领先", ind
        assert row.latest_year == 2021 and row.latest_value == pytest.approx(latest), ind
    assert _status(card, "ipv6_active_users").required_cagr == pytest.approx((8 / 4.62) ** 0.2 - 1)
    assert _status(card, "digital_china_index").status == "无数据"  # no value after the 2020 base


# --- the targets table itself ---------------------------------------------------------------------


def test_targets_table_rows():
    tdf = pd.read_csv(DEFAULT_DATA_DIR / "targets.csv", dtype=str, keep_default_na=False)
    assert tdf.groupby("plan").size().to_dict() == {"fyp13": 14, "fyp14": 18}
    assert not tdf.duplicated(["plan", "indicator_id"]).any()
    catalogue = set(pd.read_csv(DEFAULT_DATA_DIR / "indicators.csv", dtype=str)["indicator_id"])
    assert set(tdf["indicator_id"]) <= catalogue
    f13, f14 = tdf[tdf["plan"] == "fyp13"], tdf[tdf["plan"] == "fyp14"]
    assert (f13["base_year"] == "").all() and (f13["target_year"] == "2020").all()
    assert set(f13.loc[f13["comparator"] == ">", "indicator_id"]) == {
        "ecommerce_transactions",  # printed >38
        "internet_users",  # printed >10
        "e_litigation_share",  # printed >15
    }
    assert (f14["attribute"] == "预期性").all() and (f14["comparator"] == ">=").all()
    assert f14.set_index("indicator_id").at["it_investment_share", "base_year"] == "2019"  # printed 3.5*
    assert (f14["base_year"] != "2019").sum() == 17


# --- editions see only the plans published by then; the shared summary panel ------------------------


def test_plan_published_after_the_edition_is_absent():
    ds = make_ds(
        [target(plan="fyp14", ind="a"), target(plan="fyp13", ind="b", base_year="", base_value="")], {}
    )
    ds.targets["source_id"] = ["later_plan", "old_report"]
    ds.sources = pd.DataFrame({"source_id": ["old_report"]})
    assert tg.visible_plans(ds) == ["fyp13"]
    assert tg.scorecard(ds, "fyp14").empty  # known plan, not yet published: empty, not an error
    with pytest.raises(tg.TargetError, match="fyp99"):
        tg.scorecard(ds, "fyp99")
    panel = tg.scorecard_panel(ds)
    assert list(panel["plans"]) == ["fyp13"]


def test_scorecard_panel_counts():
    rows = [target(ind=f"i{k}") for k in range(3)]
    obs = {"i0": [(2025, 20.0, "exact")], "i1": [(2022, 11.0, "exact")], "i2": []}
    panel = tg.scorecard_panel(make_ds(rows, obs))
    info = panel["plans"]["fyp14"]
    assert (info["n"], info["judged"], info["met"], info["on_track"], info["behind"]) == (3, 2, 1, 0, 1)
    assert not info["over"] and info["counts"]["无数据"] == 1
    empty = tg.scorecard_panel(make_ds(rows, {}))["plans"]["fyp14"]
    assert (empty["judged"], empty["counts"]["无数据"]) == (0, 3)


def test_golden_more_hand_checked_statuses(real):
    """Checked by hand against data/raw: dcr2017 table 1 (lines 43-59), fyp14_plan lines 66-101 and
    455-526, dcr2021 lines 13-17 and 149."""
    c13 = tg.scorecard(real[2021], "fyp13")
    # 2020 电子商务交易额 37.21 万亿元 (fyp14_plan l.100) vs target ">38": not met
    row = _status(c13, "ecommerce_transactions")
    assert row.status == "未达成" and row.latest_value == pytest.approx(37.21) and row.comparator == ">"
    # 国内信息技术发明专利授权数 16.7 万件 in 2017 vs 15.3: met early, no later figure
    row = _status(c13, "domestic_it_invention_patents")
    assert row.status == "已达成" and row.latest_year == 2017
    # 固定宽带家庭普及率 2020: 96 % (fyp14_plan l.66) vs 70
    assert _status(c13, "fixed_broadband_household_penetration").status == "已达成"
    # 贫困村宽带网络覆盖率: no 2020 figure, 2021 脱贫村通宽带率 100 % (dcr2021 l.149) decides
    row = _status(c13, "poor_village_broadband_coverage")
    assert row.status == "已达成" and row.latest_year == 2021
    # 互联网国际出口带宽 only 2016 6.3 → 2017 7.0 Tbps vs 20 by 2020: needs 33.5 %/yr, grew 11.1 %: behind
    row = _status(c13, "intl_internet_bandwidth")
    assert row.status == "落后" and "未给出目标年数据" in row.note
    assert row.required_cagr == pytest.approx((20 / 6.3) ** 0.25 - 1)
    c14 = tg.scorecard(real[2021], "fyp14")
    # 千兆用户 640 → 3456 万户 (dcr2021 l.13); growth needed from 2021: (6000/3456)^(1/4) - 1
    row = _status(c14, "gigabit_fiber_users")
    assert row.status == "进度领先"
    assert row.required_cagr_from_latest == pytest.approx((6000 / 3456) ** 0.25 - 1)
    assert row.progress_pct == pytest.approx((3456 - 640) / (6000 - 640) * 100)


def test_real_editions_hide_unpublished_plan(real):
    assert tg.visible_plans(real[2017]) == ["fyp13"]
    assert tg.visible_plans(real[2021]) == ["fyp13", "fyp14"]
    panel = tg.scorecard_panel(real[2021])
    card13 = tg.scorecard(real[2021], "fyp13")
    assert {k: n for k, n in panel["plans"]["fyp13"]["counts"].items() if n} == tg.verdict_counts(card13)
    assert panel["plans"]["fyp14"]["judged"] == 6


# --- the verdict: one count for every chapter once the target year has passed ------------------------


def test_verdict_after_target_year_has_no_progress_labels():
    """Edition past the target year: met mid-way → 中途达标, progress without a target-year figure → 无法判定."""
    rows = [target(ind=f"i{k}", base_year=2020, target_year=2025) for k in range(4)]
    obs = {
        "i0": [(2025, 20.0, "exact")],  # met at the target year
        "i1": [(2022, 20.0, "exact")],  # met in 2022, nothing later
        "i2": [(2022, 15.0, "exact")],  # ahead of pace in 2022, nothing later
        "i3": [],
    }
    card = tg.scorecard(make_ds(rows, obs, edition=2025), "fyp14")
    v = card.set_index("indicator_id")["verdict"].to_dict()
    assert v == {"i0": "已达成", "i1": "中途达标", "i2": "无法判定", "i3": "无法判定"}
    info = tg.scorecard_panel(make_ds(rows, obs, edition=2025))["plans"]["fyp14"]
    assert info["over"] and info["on_track"] == 0 and info["behind"] == 0  # no progress labels once over
    assert {k: n for k, n in info["counts"].items() if n} == {"已达成": 1, "中途达标": 1, "无法判定": 2}
    # the same rows before the target year keep their progress labels
    early = tg.scorecard(make_ds(rows, obs, edition=2022), "fyp14").set_index("indicator_id")["verdict"]
    assert early.to_dict() == {"i0": "已达成", "i1": "已达成", "i2": "进度领先", "i3": "无数据"}


def test_panel_and_chapter_12_state_the_same_counts(real):
    """The overview/introduction panel and chapter 12 count the 13th plan the same way (issue #5)."""
    from prose_checks import preview

    from dcbook.chapters import targets as ch

    ds = real[2021]
    c = tg.scorecard_panel(ds)["plans"]["fyp13"]["counts"]
    v = ch.facts(ds)["fyp13"].counts  # the Card chapter 12's templates word
    assert c["已达成"] == v.get("已达成", 0) and c["未达成"] == v.get("未达成", 0)
    assert f"已达成 {c['已达成']} 项，未达成 {c['未达成']} 项" in preview("targets", 2021)
