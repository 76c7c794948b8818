"""Chapter 13 方法与数据: the searchable catalogue (escaped HTML), unit and qualifier counts, conflicts,
editions, the 本版更新 facts, and the rendered page of every edition."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from prose_checks import preview

from dcbook import data
from dcbook.chapters import compute, exhibits, methods
from dcbook.pdf import sphinx_ext


@pytest.fixture(scope="module", params=data.available_editions())
def ds(request: pytest.FixtureRequest) -> data.Dataset:
    return data.load(request.param)


def test_catalogue_counts_observations(ds: data.Dataset) -> None:
    cat = exhibits.catalogue_frame(ds)
    given = set(ds.observations["indicator_id"]) | set(ds.targets["indicator_id"])
    assert len(cat) == len(given)  # what the edition's documents give, not the whole shared catalogue
    assert cat["n_obs"].sum() == len(ds.observations)
    assert (cat["n_obs"] > 0).sum() == ds.observations["indicator_id"].nunique()
    assert methods.facts(ds)["n_unused"] == int((cat["n_obs"] == 0).sum())


def test_filter_table_escapes_every_string() -> None:
    frame = pd.DataFrame(
        [
            {
                "indicator_id": "x<y",
                "name_zh": "<script>alert(1)</script>",
                "domain": "a&b",
                "unit": '"%"',
                "definition_zh": "定义",
                "n_obs": 2,
            }
        ]
    )
    out = exhibits.filter_table(
        frame, methods.CATALOGUE_HEADERS, table_id="t1", label="筛选：", placeholder='输入"词"'
    )["text/html"]
    assert "<script>" not in out
    assert "&lt;script&gt;" in out and "a&amp;b" in out and "x&lt;y" in out and "&quot;%&quot;" in out
    assert 'class="dcbook-table-filter" data-table="t1"' in out and 'id="t1"' in out
    assert 'placeholder="输入&quot;词&quot;"' in out
    assert out.count("<tr>") == 2  # header + one row


def test_the_pdf_recognises_the_filter_table(ds: data.Dataset) -> None:
    """The PDF build replaces the filter box and its table by a note (it looks for this marker class)."""
    assert exhibits.FILTER_TABLE_CLASS == sphinx_ext.FILTER_TABLE_CLASS
    html = compute("methods", ds).payload()["tables"]["catalogue"]["text/html"]
    assert f'<div class="{sphinx_ext.FILTER_TABLE_CLASS}">' in html and 'id="dcbook-catalogue"' in html


def test_filter_script_is_local_and_configured() -> None:
    root = Path(__file__).resolve().parent.parent
    js = (root / "book" / "_static" / "dcbook-table-filter.js").read_text(encoding="utf-8")
    assert "dcbook-table-filter" in js and "http" not in js
    assert "- dcbook-table-filter.js" in (root / "_config.yml").read_text(encoding="utf-8")


def test_qualifier_counts_add_up(ds: data.Dataset) -> None:
    f = methods.facts(ds)
    assert f["n_exact"] + f["n_lower"] + f["n_approx"] + f["n_upper"] + f["n_near"] == len(ds.observations)
    assert f["n_qualified"] == f["n_lower"] + f["n_approx"] + f["n_upper"] + f["n_near"]
    page = preview("methods", int(ds.edition))
    assert f"| `lower_bound` | 超过 | 原文写作“超过”“逾”“以上”等，数值是下限 | {f['n_lower']} |" in page


def test_units_frame_has_scales_and_conversions() -> None:
    u = methods.units_frame()
    assert (u["类别"] == "数量级前缀").sum() == len(methods.units.SCALES)
    assert "万" in set(u["单位"])
    # readers' names, no internal family keys or e-notation: "1 Gbit/s = 1,000,000,000 bps", "1 米 = … 纳米"
    assert not u["类别"].str.contains("[a-z]").any() and not u["换算"].str.contains("e[+-]").any()
    assert "1 Gbit/s = 1,000,000,000 bps" in set(u["换算"]) and "1 米 = 1,000,000,000 纳米" in set(u["换算"])


def test_units_table_lists_only_the_edition_s_families() -> None:
    """The 2017 report measures no computing power: its edition lists no 算力 units."""
    assert "算力类" not in set(methods.units_frame(data.load(2017))["类别"])


def test_catalogue_names_the_domains(ds: data.Dataset) -> None:
    cat = methods.catalogue_frame(ds)
    assert set(cat["domain"]) <= set(methods.schema.DOMAIN_NAMES.values())
    assert "digital_society" not in methods.tables(ds)["catalogue"]["text/html"]


def test_conflicts_table_matches_api(ds: data.Dataset) -> None:
    table = methods.conflicts_table(ds)
    assert len(table) == len(ds.conflicts()) == methods.facts(ds)["n_conflicts"]
    if len(table) > 1:
        diffs = [float(x.rstrip("%")) for x in table["相对差异"]]
        assert diffs == sorted(diffs, reverse=True)
    assert (methods.tables(ds)["conflicts"] is None) == table.empty  # no empty table on the page


def test_conflict_pair_names_the_most_frequent_pair() -> None:
    class Fake:
        sources = pd.DataFrame({"source_id": ["a", "b", "c", "d"], "title": ["甲", "乙", "丙", "丁"]})

        def conflicts(self) -> pd.DataFrame:
            return pd.DataFrame({"source_ids": [["b", "a"], ["a", "b", "c"], ["c", "d"]]})

    # pairs: (a,b) twice, (a,c), (b,c), (c,d) once each
    assert methods.conflict_pair(Fake()) == (2, "甲", "乙")


def test_coverage_frame_sums_to_observations(ds: data.Dataset) -> None:
    frame = methods.coverage_frame(ds)
    assert frame["value"].sum() == len(ds.observations)
    assert frame["value"].is_monotonic_decreasing
    f = methods.facts(ds)
    assert f["domain_top"] == frame.iloc[0]["item"] and f["domain_top_n"] == frame.iloc[0]["value"]
    assert f["domain_top_share"] == pytest.approx(frame.iloc[0]["value"] / len(ds.observations))


def test_editions_list_names_earlier_editions_and_marks_this_one() -> None:
    """Each edition lists itself and the editions before it, never a later one (issue #9: a cited page of an
    older edition must not change when a new report is added; the header's switcher lists newer ones)."""
    all_editions = data.available_editions()
    for ed in all_editions:
        assert methods.editions_upto(data.load(ed)) == tuple(y for y in all_editions if y <= ed)
        page = preview("methods", ed)
        listed = page.split("可以构建的版本有：", 1)[1].split("。", 1)[0]
        assert "其他版本" not in listed  # no pointer to versions the page does not list
        assert all(f"{y} 年版" in listed for y in all_editions if y <= ed)
        assert not any(f"{y} 年版" in listed for y in all_editions if y > ed)
        assert f"{ed} 年版（本版）" in listed and listed.count("（本版）") == 1
        assert f"`dcbook build --edition {ed}`" in page


def test_update_facts_on_a_small_dataset(make_mini: Callable[..., Path]) -> None:
    root = make_mini(
        {
            "rep_a": [("users", "全国", 2020, "9.89", "亿人", "exact", "网民规模为9.89亿人")],
            "rep_b": [
                ("users", "全国", 2021, "10.32", "亿人", "exact", "网民规模达10.32亿人"),
                ("stations", "全国", 2021, "142.5", "万个", "exact", "5G基站142.5万个"),
            ],
            "rep_c": [("users", "全国", 2020, "9.9", "亿人", "exact", "2020年网民9.9亿人")],
        }
    )
    ds = data.load(2021, root)
    u = methods.facts(ds)["update"]
    # new in 2021: users 2021 and stations 2021 (stations never seen before); users 2020 was revised
    assert (u["previous"], u["n_values"], u["n_indicators"], u["n_national"], u["n_first"]) == (
        2020,
        2,
        2,
        2,
        1,
    )
    # listed by domain id: digital_society before infrastructure
    assert [(v.indicator, v.year, v.value) for v in u["named"]] == [
        ("users", 2021, 10.32),
        ("stations", 2021, 142.5),
    ]
    # users: 2020 latest 9.89 (the 2020 edition) → 2021 latest 10.32: +4.3 %
    (move,) = u["moves"]
    assert (
        move.first.value == 9.89
        and move.last.value == 10.32
        and move.growth == pytest.approx(10.32 / 9.89 - 1)
    )
    # the 2021 edition's 2020 figure: rep_c (an interpretation, same date as rep_b, listed later) says 9.9
    assert u["n_revisions"] == 1 and u["revision"]["old"].value == 9.89 and u["revision"]["new"].value == 9.9
    page = preview("methods", ds=ds)
    assert (
        "与 2020 年版相比，本版新增了 2 个数值（涉及 2 项指标），其中全国数值 2 个，首次出现的指标 1 项"
        in page
    )
    assert (
        "有新增全国数值的指标共 2 项（括号内为新增的最晚一年的数值）：用户数（2021 年 10.32 亿人）、基站数（2021 年 142.5 万个）"
        in page
    )
    assert "用户数（2020 年 9.89 亿人 → 2021 年 10.32 亿人，增长 4.3%）" in page
    assert "全国 2020 年的用户数：由 9.89 亿人改为 9.9 亿人" in page
    assert methods.facts(data.load(2020, root))["update"] is None
    assert "本版是本书的第一版，没有更早的版本可以比较" in preview("methods", ds=data.load(2020, root))


def test_downloads_only_existing_files(make_mini: Callable[..., Path]) -> None:
    root = make_mini({})
    present = methods.facts(data.load(2021, root))["data_files"]
    assert set(present) >= {"sources.csv", "indicators.csv", "observations/"}
    assert all((root / p.rstrip("/")).exists() for p in present)
    page = preview("methods", ds=data.load(2021, root))
    assert "`data/sources.csv`" in page and ("`data/targets.csv`" in page) == (
        (root / "targets.csv").exists()
    )


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("methods", 2021)
    # dcr2017: "电子商务交易额达到 29.16 万亿元"; dcr2021 gives the same year as 29 万亿元 (a revision)
    assert "相对差异最大的是全国 2017 年的电子商务交易额：由 29.16 万亿元改为 29 万亿元" in page
    # 2020 7,218.4 万笔 → 2021 "超过 6.7 亿笔": more than 9.28 times, i.e. grew by more than 8.28 times, floored
    assert "医保电子凭证累计结算笔数（2020 年 7,218.4 万笔 → 2021 年超过 6.7 亿笔，增长超过 8.2 倍）" in page
    assert "新进入的是" not in page and "名单没有变化（两次评价的指标体系不同" in page


def test_2017_page_cites_only_its_own_report() -> None:
    page = preview("methods", 2017)
    assert "dcr2021" not in page and "fyp14" not in page and "更晚" not in page
    assert "{cite:p}`dcr2017` 的键是 dcr2017" in page
