"""Chapter 02 数字基础设施: the facts ``dcbook.chapters.infrastructure`` computes, and its page per edition.

Most tests use a tiny hand-made dataset (:mod:`fakes`) so each rule is checked against numbers worked out by
hand; the last ones render the chapter's templates for every real edition.
"""

from __future__ import annotations

import pytest
from fakes import FakeDS
from prose_checks import preview

from dcbook import data, render
from dcbook import facts as F
from dcbook.chapters import exhibits
from dcbook.chapters import infrastructure as ch


def test_level_indicators_excludes_rates_and_flows() -> None:
    ids = F.level_indicators(FakeDS([]), ch.DOMAINS)
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
            ("ipv6_active_users", 2021, 6, "exact"),  # one year: not a candidate
        ]
    )
    best = F.fastest(ds, ["base_stations_5g", "gigabit_fiber_users", "ipv6_active_users"])
    assert best is not None and best.series.indicator == "base_stations_5g"
    assert best.cagr == pytest.approx(1.0) and best.candidates == 2
    assert F.fastest(FakeDS([("base_stations_5g", 2021, 142.5, "exact")]), ["base_stations_5g"]) is None


def test_users_per_station_uses_the_same_year_and_converts_units() -> None:
    ds = FakeDS(
        [
            ("base_stations_5g", 2020, 71.8, "exact"),
            ("base_stations_5g", 2021, 142.5, "exact"),
            ("users_5g", 2021, 3.55, "exact"),
        ]
    )
    # 3.55 亿户 / 142.5 万个 = 355,000,000 / 1,425,000 ≈ 249
    load = ch.users_per_station(ds)
    assert load is not None and (load.year, load.value, load.unit, load.computed) == (2021, 249, "户", True)
    apart = FakeDS([("base_stations_5g", 2020, 71.8, "exact"), ("users_5g", 2021, 3.55, "exact")])
    assert ch.users_per_station(apart) is None  # never two figures of different years


def test_ipv6_readiness_against_use() -> None:
    ds = FakeDS(
        [
            ("gov_portal_ipv6_support", 2021, 97.2, "exact"),
            ("commercial_sites_apps_ipv6_support", 2021, 80, "exact"),
            ("fixed_ipv6_traffic_share", 2021, 9.38, "exact"),
            ("mobile_ipv6_traffic_share", 2021, 35, "exact"),
            ("top_apps_ipv6_traffic_share", 2021, 52.89, "exact"),
        ]
    )
    facts = ch.facts(ds)
    # like against like (apps' support against apps' traffic), never the highest support rate of one kind
    # of object against the lowest traffic share of another (97.2 − 9.38 would overstate the gap)
    assert facts["ipv6_support"].value == 80 and facts["ipv6_use"].value == 52.89
    assert facts["ipv6_gap"].points == pytest.approx(27.11)
    assert ch.facts(FakeDS([("commercial_sites_apps_ipv6_support", 2021, 80, "exact")]))["ipv6_gap"] is None


def test_idle_racks_flip_the_bound_of_the_utilisation_rate() -> None:
    idle = ch.idle_rack_share(F.Value("u", "上架率", 55, "%", F.LOWER, 2021))
    assert idle is not None and idle.value == 45 and idle.qualifier == F.UPPER  # >55 % used → <45 % idle


def test_an_empty_edition_has_every_fact_declared_and_missing() -> None:
    facts = ch.facts(FakeDS([], edition=2017))
    assert facts["n_indicators"] == 0
    assert all(v is None for k, v in facts.items() if k != "n_indicators")
    figs = ch.figures(FakeDS([], edition=2017))
    assert set(figs) == {"penetration", "scale", "ipv6", "rural", "plan"} and all(
        v is None for v in figs.values()
    )


def test_a_thin_edition_leaves_out_what_it_lacks() -> None:
    ds = FakeDS(
        [
            ("fixed_broadband_household_penetration", 2016, 56, "exact"),
            ("fixed_broadband_household_penetration", 2017, 72, "exact"),
            ("users_4g", 2017, 9.97, "exact"),
        ],
        edition=2017,
    )
    page = preview("infrastructure", ds=ds)
    assert "固定宽带家庭普及率 2016–2017 年由 56% 升至 72%，提高 16 个百分点" in page
    assert "接入仍在普及" in page  # 72 % is not "near saturation"
    assert "## 移动通信：4G 的普及" in page and "5G 尚未进入统计" in page
    assert "IPv6" not in page  # the section is left out, not filled with "no data"
    assert "## 对照规划目标" not in page  # no plan target in this dataset


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    figs = ch.figures(ds)
    assert all(f is None or isinstance(f, render.Figure) for f in figs.values())
    head = ch.headline(ds)
    assert head["fixed_broadband_household_penetration"].endswith("%")
    page = preview("infrastructure", edition)
    if ds.latest("base_stations_5g") is None:  # an edition shows only what its sources published
        assert head["base_stations_5g"] == exhibits.NO_VALUE and "5G 基站" not in page
    else:
        assert "5G 基站" in page and "从 4G 普及到 5G 先行" in page


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("infrastructure", 2021)
    # dcr2021 line 13: "截至 2021 年底，我国已建成 142.5 万个 5G 基站，总量占全球 60% 以上"
    assert "5G 基站 2020–2021 年由 71.8 万个增至 142.5 万个，增长 98.5%" in page
    assert "2021 年底 5G 基站为 142.5 万个，占全球超过 60%" in page  # the world share in the key points
    assert "平均每个 5G 基站对应约 249 户 5G 手机用户（计算值）" in page
    assert "闲置机架的比例不到 45%（计算值）" in page
    # the fastest grower is named; its rate (4.4 倍 in a year) is a launch year's: the sentence says the base was small instead
    assert "增长最快的是千兆光纤接入用户数，但这一增速主要反映起点低（2020 年只有 640 万户）" in page
    assert page.count("4.4 倍") == 2  # key points and text, not four times
    assert "增长 4.4 倍，快于“十四五”规划的要求（2025 年不低于 6,000 万户，需年均增长 56.5%）" in page
    assert "97.2%，而" not in page and "相差 27.81 个百分点" in page


def test_2017_page_knows_only_its_own_plan_and_data() -> None:
    page = preview("infrastructure", 2017)
    assert "两个五年规划" not in page and "千兆" not in page and "梯队" not in page
    assert "唯一的空间基础设施" not in page
    assert "增长最快" not in page  # one candidate is no ranking
    # the headline names the pace once; the text says the change once (with the printed 10.2 % beside it)
    assert page.count("11.1%") == 2 and "2016–2017 年的实际年均增速为 11.1%" in page
    assert "增长 11.1%（报告印出的同比增速为 10.2%，差别在两端数值取整的范围内）" in page
    assert "基站、用户与流量" not in page  # no base-station figure in 2017


def test_2020_page_has_no_compute_heading_and_no_stale_4g_figure() -> None:
    page = preview("infrastructure", 2020)
    assert "## IPv6：看不见的底座" in page and "算力" not in page
    assert "着墨最多" not in page and "上一代网络的规模" not in page
    assert "“进度领先”" not in page  # no target is on pace in this edition
    assert "2019 年的数值也在目标之上" in page
