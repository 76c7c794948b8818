"""Chapter 09 网络安全与数字治理: the facts ``dcbook.chapters.security_governance`` computes, and its page.

Hand-made datasets (:mod:`fakes`) check each rule against numbers worked out by hand; the last tests render
the chapter for every real edition and compare it with the source lines (quoted in the comments).
"""

from __future__ import annotations

import pandas as pd
import pytest
from fakes import FakeDS
from prose_checks import preview

from dcbook import data, render
from dcbook import facts as F
from dcbook.chapters import exhibits
from dcbook.chapters import security_governance as ch


def _with_milestones(ds: FakeDS, rows: list[tuple[str, str, str, str]]) -> FakeDS:
    """``(date, event, category, domain)`` rows as the edition's milestones, all from the fake report."""
    ds.milestones = pd.DataFrame(
        [
            {"date": d, "event_zh": e, "category": c, "domain": dom, "source_id": "rep"}
            for d, e, c, dom in rows
        ],
        columns=["date", "event_zh", "category", "domain", "source_id"],
    )
    return ds


def test_a_years_tally_is_compared_with_the_total_in_one_unit() -> None:
    ds = FakeDS(
        [
            ("qinglang_campaigns", 2021, 15, "exact"),
            ("qinglang_info_cleaned", 2021, 2200, "lower_bound"),  # 万条
            ("qinglang_info_cleaned_since_2019", 2021, 204.93, "exact"),  # 亿条
            ("qinglang_accounts_handled", 2021, 13.4, "exact"),
            ("qinglang_accounts_cleaned_since_2019", 2021, 13.89, "exact"),
        ]
    )
    info = ch.scope_ratio(ds, *ch.SCOPE_PAIRS[0])
    # 2,200 万 = 0.22 亿; 0.22 / 204.93 = 0.1073 %; a lower bound over an exact total stays a lower bound
    assert info is not None and info.num.unit == "亿条" and info.num.value == pytest.approx(0.22)
    assert info.ratio == pytest.approx(0.22 / 204.93) and info.bound == F.LOWER
    page = preview("security_governance", ds=ds)
    assert "清理的信息条数至少相当于报告所称累计数的 0.1%" in page
    assert "处置的账号数则相当于累计数的 96.5%" in page  # 13.4 / 13.89 = 96.47 %
    assert "一项只占累计数的极小部分，另一项却几乎等于累计数" in page  # 0.1 % < 5 % and 96.5 % > 50 %


def test_two_notified_app_counts_are_not_compared() -> None:
    # fyp14_interp line 138: "截至2020年底 … 公开通报超过556款" (a running total); dcr2021 line 511: "2021 年累计开展
    # 12 批次技术抽检，通报 1549 款违规 APP" (one year): a ratio of the two would compare unlike things
    ds = FakeDS(
        [
            ("app_governance_notified_apps", 2020, 556, "lower_bound"),
            ("apps_notified", 2021, 1549, "exact"),
            ("app_technical_inspections", 2021, 12, "exact"),
        ]
    )
    page = preview("security_governance", ds=ds)
    assert "倍" not in page.split("App 治理则是")[1].split("\n")[0] and "前一年" not in page
    assert "不宜相互比较" in page
    # batches within one year are what shows routine work (never the number of years the counts span)
    assert "2021 年的通报来自 12 批次技术抽检，说明 App 治理已经按批次常态开展" in page
    assert "个年份的数字共同说明" not in page
    no_batches = FakeDS([("app_governance_notified_apps", 2020, 556, "lower_bound")])
    assert "常态开展" not in preview("security_governance", ds=no_batches)


def test_a_ratio_from_a_lower_bound_is_floored() -> None:
    ds = FakeDS(
        [
            ("universities_with_cybersecurity_schools", 2021, 60, "lower_bound"),
            ("first_class_cybersecurity_schools", 2017, 7, "exact"),
        ]
    )
    # more than 60 / 7 = 8.57: at least 8.5 times (rounding to 8.6 would claim more than the bound allows)
    page = preview("security_governance", ds=ds)
    assert "设立网络安全学院的高校数至少相当于 2017 年首批一流网络安全学院示范高校数的 8.5 倍" in page


def test_laws_and_rules_are_counted_once_with_tied_peaks_named() -> None:
    ds = _with_milestones(
        FakeDS([("phone_real_name_rate", 2017, 100, "exact")]),
        [
            ("2017-06-01", "《甲法》施行", "law", "security_governance"),
            ("2020-05", "《乙法》公布", "law", "security_governance"),
            ("2020-07", "《丙规定》发布", "regulation", "security_governance"),
            ("2021-06", "《丁法》审议通过", "law", "security_governance"),
            ("2021", "《丁法》审议通过", "law", "security_governance"),  # the same law, year only: dropped
            ("2021-08", "《戊办法》出台", "regulation", "security_governance"),
            ("2021", "“清朗”行动", "event", "security_governance"),  # a campaign: drawn, not counted
            ("2020", "某国际会议", "event", "international"),  # another chapter's
        ],
    )
    facts = ch.facts(ds)
    assert facts["n_laws"] == 3 and facts["n_regulations"] == 2 and len(facts["rules"]) == 5
    assert facts["law_span"] == 4  # 2017 → 2021
    assert facts["rules_peak_years"] == (2020, 2021) and facts["rules_peak_n"] == 2
    assert ch.headline(ds)["laws_and_regulations"] == "5"
    page = preview("security_governance", ds=ds)
    assert "从 2017 年 6 月 1 日的《甲法》施行，到 2021 年 8 月的《戊办法》出台" in page
    assert "其中 2020 年和 2021 年最为密集，各有 2 项" in page  # a tie: both years, never "2021 年最为密集"
    assert "法律层面的 3 项进展依次是" in page and "前后跨越 4 年" in page
    assert "（资料只给出年份的，画成空心点）" in page  # the campaign is dated by year only


def test_an_empty_edition_has_every_fact_declared_and_missing() -> None:
    facts = ch.facts(FakeDS([], edition=2017))
    counted = {
        "n_indicators",
        "n_series",
        "n_laws",
        "n_regulations",
        "rules_peak_n",
        "app_years",
        "interpretation_count",
    }
    assert all(facts[k] == 0 for k in counted)
    assert facts["timeline_year_only"] is False
    assert all(
        v is None for k, v in facts.items() if k not in counted | {"timeline_year_only", "own_report_count"}
    )
    assert all(v is None for v in ch.figures(FakeDS([], edition=2017)).values())


def test_a_thin_edition_leaves_out_what_it_lacks() -> None:
    ds = FakeDS(
        [
            ("telecom_fraud_cases_solved", 2017, 7.6, "exact"),
            ("telecom_fraud_losses_recovered", 2017, 75.8, "exact"),
            ("first_class_cybersecurity_schools", 2017, 7, "exact"),
        ],
        edition=2017,
    )
    page = preview("security_governance", ds=ds)
    assert "2017 年破获网络电信诈骗案件 7.6 万起，为群众挽回损失 75.8 亿元" in page  # the key point
    assert "## 网络空间治理：执法与检查" in page and "清朗" not in page and "App 治理" not in page
    assert "画不出时间线" in page and "时间线的密度" not in page  # no timeline: said once, not interpreted
    assert "## 安全保障能力：人才" in page and "标准方面" not in page
    assert "本版资料中没有规划目标表" in page  # the fake dataset has no plan at all
    # only the tallies the edition has, in the introduction and the caveats
    assert "破获了多少案件" in page and "清理了多少信息" not in page and "通报了多少 App" not in page
    assert "（破案数、检查单位数）" in page and "处置量" not in page


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    assert all(f is None or isinstance(f, render.Figure) for f in ch.figures(ds).values())
    m = ds.milestones
    rules = m[(m["domain"] == "security_governance") & m["category"].isin(ch.RULE_CATEGORIES)]
    # every dated law or rule is counted, and only once (no two entries share a date and a name here)
    assert ch.headline(ds)["laws_and_regulations"] == str(len(rules.drop_duplicates(["date", "event_zh"])))
    page = preview("security_governance", edition)
    if rules.empty:
        assert ch.figures(ds)["timeline"] is None and "画不出时间线" in page
        assert page.count("时间线") <= 2  # the missing timeline is not explained over and over
    # the coverage bars leave out the sources that give nothing
    assert all(c.total for c in ch.source_coverage(ds))
    # laws of other domains are not counted here, and the page says so when there are any
    assert ("另有" in page and "立法进展属于其他领域" in page) == bool(ch.other_laws(ds))


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("security_governance", 2021)
    # dcr2021 line 509: "用户账号运营乱象整治等15项“清朗”系列专项行动"; "累计清理违法和不良信息 2200 万余条，处置账号 13.4 亿个"
    assert (
        "2021 年部署“清朗”系列专项行动 15 项，清理违法和不良信息超过 2,200 万条，处置账号 13.4 亿个" in page
    )
    # dcr2021 line 19: "2019年以来，清理违法和不良信息 204.93 亿条、账号 13.89 亿个"
    assert "至少相当于报告所称累计数的 0.1%" in page and "相当于累计数的 96.5%" in page
    # dcr2020 line 138 "共受理网民举报1.38亿件"; dcr2021 line 511 "全国受理网络违法和不良信息举报 1.66 亿件": 1.66 / 1.38 − 1
    assert "若视为同一口径，则增长 20.3%" in page
    # dcr2021 line 241: "60 余所高校设立网络安全学院"; dcr2017 line 174: "7所高校成为首批一流网络安全学院建设示范项目高校"
    assert "示范高校数的 8.5 倍" in page
    # milestones: 5 laws or rules in 2020 (2020-04 … 2020-10) and 5 in 2021 (2021-02 … 2021-08)
    assert "其中 2020 年和 2021 年最为密集，各有 5 项" in page
    assert "前一年的" not in page  # a running total of 2020 and one year of 2021 are not compared
    assert "2021 年网络安全专业每年的毕业生超过 2 万人" in page and "年每年" not in page
    # 2017 scores the 网络安全 dimension (dcr2017 table 3); dcr2021 line 614 lists only a top 10
    assert "2017 年的地区评价给出了排名靠前省份的“网络安全”分项得分" in page
    assert "2021 年的评价只公布了这一维度的前列名单" in page


def test_2017_page_has_no_dated_rule_and_cites_only_its_report() -> None:
    page = preview("security_governance", 2017)
    # dcr2017 line 170: "《网络安全法》颁布实施，确立了我国首部网络安全领域的基础性、框架性、综合性法律"
    assert "在正文中提到《网络安全法》的颁布实施" in page and "{cite:p}`dcr2017`" in page
    assert "十四五" not in page and "dcr2020" not in page and "dcr2021" not in page
    # dcr2017 has no cleaned-content, account or App counts, and no tiers: nothing of later reports is named
    assert "App" not in page and "账号" not in page and "梯队" not in page
    assert "2017 年的地区评价给出了排名靠前省份的“网络安全”分项得分" in page
    assert ch.headline(data.load(2017))["qinglang_campaigns"] == exhibits.NO_VALUE
