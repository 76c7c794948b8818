"""Headline findings, "为什么重要" and chapter-specific caveats on every chapter page of every edition.

Each chapter's headline is picked by the editor's rules listed for it in ``_toc.yml`` (dcbook.headline);
the page states the rule, shows the finding, and closes with a "为什么重要" section. The caveats
("这些数字说明不了什么") are written for each chapter's data: no caveat paragraph may be word for word the
same in two chapters of one edition (chapter 10 included).
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from prose_checks import preview

from dcbook import data
from dcbook import facts as F
from dcbook import headline as H
from dcbook.chapters import load, registry

EDITIONS = data.available_editions()
WITH_HEADLINE = [slug for slug, info in registry().items() if info.headline]
#: Chapters whose page carries a caveat section (the domain chapters, the overview, regions, targets).
CAVEAT_CHAPTERS = [
    slug for slug, info in registry().items() if re.match(r"book/(0[1-9]|1[0-2])_", info.docname)
]
CAVEAT_HEADING = re.compile(r"^## 这些\S*说明不了什么\n(.*?)(?=^## |\Z)", re.S | re.M)


@cache
def page(slug: str, edition: int) -> str:
    return preview(slug, edition)


def test_every_chapter_but_international_has_rules() -> None:
    """Every chapter page except chapter 10 (its owner writes its own lead) names headline rules, all known."""
    assert set(registry()) - set(WITH_HEADLINE) == {"international"}
    for slug in WITH_HEADLINE:
        assert set(registry()[slug].headline) <= set(H.RULES), slug


def test_unknown_rule_is_one_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown"):
        H.finding(data.load(2021), ["largest_growth"])


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("slug", WITH_HEADLINE)
def test_page_states_rule_finding_and_why(slug: str, edition: int) -> None:
    """The page shows the headline finding with the rule that picked it, and a closing 为什么重要."""
    ch = load(slug, edition)
    h = ch.facts["headline"]
    assert h is not None, (slug, edition)
    text = page(slug, edition)
    assert "**本章头条**：" in text
    assert "选取规则：" in text and "头条不按增速挑选" in text
    assert "## 为什么重要" in text
    why = text.split("## 为什么重要", 1)[1]
    assert len(re.sub(r"\s", "", why.split("\n## ", 1)[0])) > 40  # a paragraph, not a heading alone
    # The finding's subject is on the page.
    subject = {
        "plan_gap": lambda: h["pace"].name,
        "plan_count": lambda: f"{h['n']} 项规划目标",
        "coverage_gap": lambda: h["value"].name,
        "latest_rule": lambda: h["event"].event,
        "concentration": lambda: h["region"],
        "conflicts": lambda: f"{h['figures']} 个数字",
        "thin_domain": lambda: h["domain_zh"],
        "longest_series": lambda: h["series"].name,
    }[h["rule"]]()
    assert subject.replace("+", "\\+") in text or subject in text, (slug, edition, subject)
    assert ch.headline()["headline"] == H.summary(h)


@pytest.mark.parametrize("edition", EDITIONS)
def test_plan_gap_is_the_largest_shortfall_not_the_fastest_growth(edition: int) -> None:
    """The plan_gap finding is the target whose observed yearly growth falls furthest short of the
    required growth (or, none behind, the narrowest margin) — computed here from the scorecard."""
    ds = data.load(edition)
    for domains in (["infrastructure"], ["digital_economy"], ["digital_society"], None):
        h = H.plan_gap(ds, domains)
        if h is None:
            continue
        card = F.card(ds, domains)
        same = [
            p
            for p in card.paces
            if p.plan == h["pace"].plan and p.observed_cagr is not None and p.required_cagr is not None
        ]
        pool = [p for p in same if p.behind] if h["behind"] else [p for p in same if p.on_pace]
        gaps = [p.required_cagr - p.observed_cagr for p in pool]
        assert h["shortfall"] == pytest.approx(max(gaps))
        if h["behind"]:
            assert h["pace"].behind and h["shortfall"] > 0
        else:
            assert not any(p.behind for p in same) and h["shortfall"] <= 0


def test_2017_infrastructure_headline_against_the_report() -> None:
    """2017: international bandwidth 7 Tbps in 2017 from 6.3 in 2016 against 20 Tbps for 2020 (the 2017
    report's table 1) is the infrastructure target furthest behind: 11.1% a year where 33.5% is needed."""
    h = load("infrastructure", 2017).facts["headline"]
    p = h["pace"]
    assert (h["rule"], p.indicator, p.latest.value, p.base_value, p.target_value) == (
        "plan_gap", "intl_internet_bandwidth", 7.0, 6.3, 20.0,
    )  # fmt: skip
    assert p.observed_cagr == pytest.approx(7.0 / 6.3 - 1)
    assert p.required_cagr == pytest.approx((20 / 6.3) ** (1 / 4) - 1)
    assert "实际年均增速比所需低 22.4 个百分点" in page("infrastructure", 2017)


@pytest.mark.parametrize("edition", EDITIONS)
def test_coverage_gap_is_the_lowest_recent_coverage_rate(edition: int) -> None:
    """The lowest recent rate of those with a ceiling of 100 % and no plan target (a planned rate is judged
    against its target, e.g. 5G 用户普及率 against the 14th plan's 56 %)."""
    ds = data.load(edition)
    h = H.coverage_gap(ds, None)
    ind = ds.indicators
    planned = set(ds.targets["indicator_id"])
    rates = [
        v
        for i in ind.index
        if i not in planned
        and str(ind.at[i, "unit"]) == "%"
        and str(ind.at[i, "higher_is_better"]).lower() == "true"
        and H.COVERAGE_NAME.search(str(ind.at[i, "name_zh"]))
        and not H.NOT_COVERAGE_ID.search(str(i))
        and (v := F.value(ds, i)) is not None
        and v.year >= edition - 1
        and v.value < 100
    ]
    assert h["value"].value == min(v.value for v in rates) and h["value"].indicator not in planned
    assert h["gap"].value == pytest.approx(100 - h["value"].value)


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_caveat_paragraph_is_repeated_across_chapters(edition: int) -> None:
    """Each chapter's caveats are its own: every chapter 1–12 has the section, and no paragraph (bullet) of
    it is word for word the same in another chapter of the edition (chapter 10 included)."""
    seen: dict[str, str] = {}
    for slug in CAVEAT_CHAPTERS:
        m = CAVEAT_HEADING.search(page(slug, edition))
        assert m, (slug, edition, "no caveat section")
        paras = [p.strip() for p in re.split(r"\n(?=- )|\n\n", m.group(1)) if p.strip()]
        assert paras, (slug, edition)
        for para in paras:
            assert para not in seen, (edition, slug, seen.get(para), para[:60])
            seen[para] = slug


def test_longest_series_breaks_a_tie_by_where_the_document_prints_it() -> None:
    """When every series of a domain has one year (2017's 数据资源), "the most years" ties: the headline is
    the figure the report writes first (its line), not the catalogue's order, and the page says so."""
    ds = data.load(2017)
    h = H.longest_series(ds, ["data_resources"])
    assert h is not None and h["series"].change is None
    one_year = [s for s in F.all_series(ds, [i for i in ds.indicators.index
                                             if ds.indicators.at[i, "domain"] == "data_resources"])]  # fmt: skip
    first_line = min(int(str(s.latest.locator).split("-")[0]) for s in one_year)
    assert int(str(h["series"].latest.locator).split("-")[0]) == first_line
    assert "都只有一年的数值，这是资料中最先写到的一项" in page("data_resources", 2017)
    assert "年份一样多时，取资料中最先写到的一项" in page("data_resources", 2017)
