"""Chapter 0 导读: the facts ``dcbook.chapters.intro`` computes, its tables, and its page per edition.

Hand-made datasets (:mod:`fakes`) check the rules against numbers worked out by hand, including an edition
without headline figures; the real editions are checked against the source lines.
"""

from __future__ import annotations

import pandas as pd
import pytest
from fakes import FakeDS
from prose_checks import preview

from dcbook import data
from dcbook.chapters import intro


@pytest.fixture(scope="module", params=data.available_editions())
def ds(request: pytest.FixtureRequest) -> data.Dataset:
    return data.load(request.param)


def test_sources_table_lists_only_visible_sources(ds: data.Dataset) -> None:
    table = intro.sources_table(ds)
    assert len(table) == len(ds.sources)
    assert (table["版本年份"].astype(int) <= ds.edition).all()
    assert table["观测值条数"].sum() == len(ds.observations)
    assert table["版本年份"].astype(int).is_monotonic_increasing


def test_vintage_and_counts(ds: data.Dataset) -> None:
    nat = ds.resolved[ds.resolved["region"] == "全国"]
    facts = intro.facts(ds)
    assert facts["vintage"] == int(nat["year"].max())
    assert intro.headline(ds)["vintage"] == str(int(nat["year"].max()))
    assert facts["n_observations"] == len(ds.observations)
    assert facts["n_indicators"] == ds.observations["indicator_id"].nunique()
    assert 8 <= facts["panel_n"] <= 12 and intro.headline(ds)["panel"] == str(facts["panel_n"])


def test_earlier_edition_sees_fewer_sources() -> None:
    eds = data.available_editions()
    first, last = data.load(eds[0]), data.load(eds[-1])
    assert len(intro.sources_table(first)) < len(intro.sources_table(last))


def test_a_thin_edition_without_headline_figures() -> None:
    ds = FakeDS([("users_4g", 2017, 9.97, "exact")], edition=2017)  # not a headline indicator
    facts = intro.facts(ds)
    assert facts["panel_n"] == 0 and facts["growth_fast"] is None and facts["plans"] is None
    assert intro.tables(ds)["panel"] is None and intro.figures(ds)["spark"] is None
    page = preview("intro", ds=ds)
    assert "## 头条数字一览" not in page and "规划进度" not in page
    assert "这是本书的 2017 年版" in page
    # one source: no "各份文件", no other kinds of document, no earlier editions
    assert "本版收录的资料是《测试报告》" in page and "各份文件的性质不同" not in page
    assert "早先的版本" not in page and "版本年份较早的版本" not in page


def test_growth_finding_compares_annual_rates() -> None:
    ds = FakeDS(
        [
            ("internet_users", 2015, 6.88, "exact"),
            ("internet_users", 2021, 10.32, "exact"),
            ("software_revenue", 2016, 4.9, "exact"),
            ("software_revenue", 2021, 9.5, "exact"),
        ]
    )
    page = preview("intro", ds=ds)
    # software: (9.5 / 4.9) ** (1/5) − 1 = 14.2 %; netizens: 1.5 ** (1/6) − 1 = 7.0 %
    assert (
        "在有两年以上数据的 2 项规模类头条指标中，软件业务收入增长最快（2016–2021 年年均增长 14.2%），"
        "网民规模最慢（2015–2021 年年均增长 7.0%）。"
    ) in page


def test_2017_page_reads_as_written_in_2017() -> None:
    page = preview("intro", 2017)
    assert "十四五" not in page and "2020 年版" not in page and "fyp14" not in page
    # dcr2017 line 39: table 1, the 13th five-year plan's main indicators and their 2020 targets
    assert "并转载了“十三五”国家信息化规划的主要指标及其目标" in page
    assert (
        "“十三五”国家信息化规划 14 项指标中可评估 14 项，已达成 4 项、进度领先或符合进度 7 项、落后 3 项"
        in page
    )


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("intro", 2021)
    assert (
        "本版（2021 年版）使用 5 份来源文件，其中年度发展报告 3 份，整理出 1,220 条带原文引文的观测值" in page
    )
    # dcr2021 line 13 "千兆用户规模达 3456 万户"; fyp14_plan line 466 "…光纤接入用户（万户）640": 3456 / 640 − 1 = 4.4 倍
    assert "千兆光纤接入用户数增长最快（2020–2021 年增长 4.4 倍）" in page
    assert "“十三五”国家信息化规划的 14 项指标（目标年已过）：已达成 6 项、未达成 3 项" in page
    assert "“十四五”国家信息化规划 18 项指标中可评估 6 项" in page
    assert "dcbook" not in page and "函数" not in page  # no code named to readers


def test_tables_of_every_edition(ds: data.Dataset) -> None:
    tables = intro.tables(ds)
    assert isinstance(tables["sources"], pd.DataFrame) and isinstance(tables["panel"], pd.DataFrame)
    assert list(tables["panel"].columns) == ["领域", "指标", "最新值", "年份", "较最早年份变化"]
