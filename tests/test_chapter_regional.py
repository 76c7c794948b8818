"""Chapter 11 地区评价: the facts ``dcbook.chapters.regional`` computes, and its page per edition.

Most tests use a small hand-made pair of evaluations (numbers worked out by hand below); then the chapter's
templates are rendered for every real edition and checked against the reports' own lines (data/raw), and a
fictional 2022 report added to a copy of data/ shows that a new evaluation needs no code change.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from prose_checks import preview

from dcbook import DEFAULT_DATA_DIR, data, render
from dcbook import regional as rg
from dcbook.chapters import compute
from dcbook.chapters import regional as ch

PROVINCES = pd.read_csv(DEFAULT_DATA_DIR / "provinces.csv")
REGIONAL_COLUMNS = ["source_id", "year", "framework", "dimension", "province", "rank", "tier", "score"]
FRAMEWORK_COLUMNS = ["framework", "dimension", "weight", "level", "parent", "indicator_zh", "source_id"]


class RegionalDS:
    """The part of ``dcbook.data.Dataset`` the chapter reads: sources, provinces (the real 31), regional
    rows and index systems, all hand-made."""

    def __init__(
        self, rows: list[tuple], frameworks: list[tuple] = (), edition: int = 2018, sources: list[tuple] = ()
    ) -> None:
        self.edition = edition
        self.sources = pd.DataFrame(
            [
                {"source_id": s, "title": t, "publisher": "测试机构", "published": p, "edition_year": e,
                 "kind": "yearly_report"}
                for s, t, p, e in (sources or [("r1", "甲报告（2017年）", "2018-05", 2017),
                                              ("r2", "乙报告（2018年）", "2019-05", 2018)])
            ]
        )  # fmt: skip
        self.provinces = PROVINCES.copy()
        reg = pd.DataFrame(rows, columns=REGIONAL_COLUMNS)
        reg["rank"] = reg["rank"].astype("Int64")
        reg["score"] = reg["score"].astype(float)
        reg["locator"], reg["quote"] = 1, "测试"
        self.regional = reg
        fw = pd.DataFrame(list(frameworks), columns=FRAMEWORK_COLUMNS)
        fw["weight"] = fw["weight"].astype(float)
        fw["locator"], fw["quote"] = 1, "测试"
        self.frameworks = fw


def _row(src, year, fw, dim, prov, rank=None, tier="", score=None):
    return (src, year, fw, dim, prov, rank, tier, score)


#: 2017 (framework a): composite ranks 1–4 with scores, a ranked list 甲 and a score-only 丙;
#: 2018 (framework b): an unordered composite list and an unordered list 乙.
ROWS = [
    _row("r1", 2017, "a", "综合", "北京", 1, score=80.0),
    _row("r1", 2017, "a", "综合", "上海", 2, score=75.0),
    _row("r1", 2017, "a", "综合", "四川", 3, score=70.0),
    _row("r1", 2017, "a", "综合", "湖北", 4, score=60.0),
    _row("r1", 2017, "a", "甲", "北京", 1, score=30.0),
    _row("r1", 2017, "a", "甲", "宁夏", 2, score=28.0),
    _row("r1", 2017, "a", "甲", "上海", 3, score=25.0),
    _row("r1", 2017, "a", "丙", "北京", score=10.0),
    _row("r2", 2018, "b", "综合", "北京"),
    _row("r2", 2018, "b", "综合", "上海"),
    _row("r2", 2018, "b", "综合", "山东"),
    _row("r2", 2018, "b", "综合", "湖北"),
    _row("r2", 2018, "b", "乙", "贵州"),
    _row("r2", 2018, "b", "乙", "北京"),
]
ROWS_2017 = [r for r in ROWS if r[1] == 2017]


def two_evaluations() -> RegionalDS:
    """The two hand-made evaluations of :data:`ROWS`, with their index systems."""
    frameworks = [
        ("a", "甲", 40, 1, "", "", "r1"),
        ("a", "甲", None, 2, "甲", "甲一", "r1"),
        ("a", "丙", 60, 1, "", "", "r1"),
        ("a", "丁", 0, 1, "", "", "r1"),
        ("b", "甲", None, 1, "", "", "r2"),
        ("b", "乙", None, 1, "", "", "r2"),
        ("b", "乙", None, 2, "乙", "丁", "r2"),
    ]
    return RegionalDS(ROWS, frameworks)


# --- facts on hand-made evaluations ------------------------------------------------------------------------


def test_regions_come_from_the_province_table() -> None:
    ds = two_evaluations()
    assert rg.regions(ds) == ("东部", "中部", "西部", "东北")  # provinces.csv order of first mention
    ds.provinces = ds.provinces.assign(region=ds.provinces["region"].replace({"东北": "北方"}))
    assert rg.regions(ds)[-1] == "北方"
    assert [r["name"] for r in ch.region_facts(ds)] == list(rg.regions(ds))


def test_current_evaluation_and_shapes() -> None:
    f = ch.facts(two_evaluations())
    assert [(e["year"], e["shape"], e["n_top"]) for e in f["evaluations"]] == [
        (2017, "scores", 4),
        (2018, "list", 4),
    ]
    c = f["current"]
    assert (c["year"], c["shape"], c["listed"], c["ranked"], c["top_word"]) == (2018, "list", 4, 0, "前十")
    assert c["lists"] == ("乙",) and c["score_only"] == () and c["order"] == "unranked"
    # the 2017 evaluation alone: ranked lists, and 丙 has scores but no list
    only = RegionalDS(ROWS_2017)
    c17 = ch.facts(only)["current"]
    assert c17["shape"] == "scores" and c17["order"] == "ranked" and c17["score_only"] == ("丙",)


def test_seats_lead_region_and_provinces_outside_it() -> None:
    f = ch.facts(two_evaluations())
    # composite seats: 2017 北京 上海 四川 湖北 (东部 2), 2018 北京 上海 山东 湖北 (东部 3) → 5 of 8
    lead = f["seats"]["lead"]
    assert (f["seats"]["total"], lead["name"], lead["seats"]) == (8, "东部", 5)
    assert lead["share"] == pytest.approx(5 / 8) and lead["province_share"] == pytest.approx(10 / 31)
    assert [(y["year"], y["n"]) for y in lead["per_year"]] == [(2017, 2), (2018, 3)]
    assert [(o["province"], o["years"]) for o in f["outside_lead"]] == [
        ("湖北", (2017, 2018)),
        ("四川", (2017,)),
    ]
    assert [(r["name"], r["top"], r["size"]) for r in f["regions"]] == [
        ("东部", 3, 10), ("中部", 1, 6), ("西部", 0, 12), ("东北", 0, 3)
    ]  # fmt: skip


def test_changes_and_persistence() -> None:
    f = ch.facts(two_evaluations())
    assert f["changes"] == (
        {"start": 2017, "end": 2018, "stayed": 3, "entered": ("山东",), "exited": ("四川",)},
    )
    assert f["persistent"]["provinces"] == ("北京", "上海", "湖北")
    assert f["persistent"]["share"] == pytest.approx(3 / 4) and f["persistent"]["newest"] == 4
    assert f["movement_ranked"] is False  # 2018 prints no ranks: the membership grid, not a bump chart


def test_scores_and_score_rates() -> None:
    f = ch.facts(two_evaluations())
    s = f["scores"]  # the newest scored evaluation is 2017: 80, 75, 70, 60
    assert (s["year"], s["n"], s["first"].name, s["second"].name, s["last"].name) == (
        2017,
        4,
        "北京",
        "上海",
        "湖北",
    )
    assert (s["lead"].value, s["spread"].value, s["spread"].unit, s["spread"].computed) == (
        5.0,
        20.0,
        "分",
        True,
    )
    r = f["score_rates"]
    # 甲 (weight 40): scored provinces with every weighted dimension = 北京 only → 30/40; 丙 (60): 10/60
    assert (r["n"], r["high"]["dimension"], r["low"]["dimension"]) == (1, "甲", "丙")
    assert r["high"]["rate"] == pytest.approx(0.75) and r["low"]["rate"] == pytest.approx(1 / 6)
    assert r["high"]["n_full"] == 0  # 北京 30 of 40 on 甲: nobody at full marks


def test_breadth_leaders_and_dispersion() -> None:
    f = ch.facts(two_evaluations())
    # 2018 lists: 综合 (北京 上海 山东 湖北) and 乙 (贵州 北京): 北京 on both, 26 of 31 on none
    assert f["breadth"] == {"year": 2018, "n_lists": 2, "full": ("北京",), "none": 26}
    assert f["outsider_lists"] == {"year": 2018, "n_lists": 1, "n_with": 1}
    assert f["leaders"]["n_provinces"] == 1 and f["leaders"]["n_entries"] == 1
    assert f["leaders"]["by_province"][0] == {
        "province": "贵州", "region": "西部", "entries": ({"dimension": "乙", "rank": None},)
    }  # fmt: skip
    # outside 东部: composite 1 (湖北), 乙 1 (贵州) → mean 1.0
    assert f["dispersion"] == {
        "year": 2018, "composite": 1, "n_lists": 1, "mean": 1.0,
        "most": {"dimensions": ("乙",), "n": 1}, "least": {"dimensions": ("乙",), "n": 1},
    }  # fmt: skip


def test_frameworks_and_what_changed_between_them() -> None:
    f = ch.facts(two_evaluations())
    a, b = f["frameworks"]
    assert (a["year"], a["n_dims"], a["n_items"], a["top_weight"]["dimension"]) == (2017, 3, 1, "丙")
    assert a["top_weight"]["weight"].value == 60 and b["top_weight"] is None
    assert a["top_weight"]["dimensions"] == ("丙",)
    x = f["framework_change"]
    assert (x["shared"], x["added"], x["dropped"], x["moved"]) == (("甲",), ("乙",), ("丙", "丁"), ("丁",))


def test_an_edition_without_evaluations_says_so_once() -> None:
    ds = RegionalDS([], sources=[("r1", "甲报告（2017年）", "2018-05", 2017)], edition=2017)
    facts = ch.facts(ds)
    assert facts["n_evaluations"] == 0 and facts["n_provinces"] == 31
    given = ("n_evaluations", "n_provinces", "movement_ranked", "rank_buckets")
    assert all(v is None for k, v in facts.items() if k not in given)
    assert all(v is None for v in ch.figures(ds).values())
    page = preview("regional", ds=ds)
    assert page.count("本版资料尚未包含各地区的评价结果") == 1
    assert "## 本版的评价" not in page and "## 领先集中" not in page and "本章要点" not in page


def test_one_evaluation_leaves_out_the_comparisons() -> None:
    only = RegionalDS(
        ROWS_2017,
        sources=[("r1", "甲报告（2017年）", "2018-05", 2017)],
        edition=2017,
    )
    page = preview("regional", ds=only)
    assert "## 跨期比较" not in page and "各期的指标体系" not in page
    assert "名单的进出和领先集团是否稳定还无从比较" in page
    # no reading of this (unknown) report is written: said once, naming the report
    assert page.count("《甲报告（2017年）》对领先地区做法的叙述，本章还没有解读") == 1
    assert "北京以 80 分居首，比第二位上海高 5 分，第 4 位湖北为 60 分。" in page
    assert "前 4 位的得分，首尾相差 20 分" in page  # the spread is in 本章要点, not repeated in the text
    assert ch.figures(only)["movement"] is None


def test_tables_are_escaped_on_the_page() -> None:
    ds = two_evaluations()
    ds.frameworks.loc[len(ds.frameworks)] = [
        "b",
        "乙",
        None,
        2,
        "乙",
        "<script>alert(1)</script>",
        "r2",
        1,
        "测试",
    ]
    html = compute("regional", ds).payload()["tables"]["frameworks"]["text/html"]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# --- every real edition ------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", data.available_editions())
def test_real_editions(edition: int) -> None:
    ds = data.load(edition)
    figs = ch.figures(ds)
    assert all(f is None or isinstance(f, render.Figure) for f in figs.values())
    assert (figs["movement"] is None) == (len(ch.evaluations(ds)) == 1)
    assert len(ch.matrix_table(ds)) == 31 and ch.matrix_table(ds)["省份"].is_unique
    head = ch.headline(ds)
    assert head["evaluation"].startswith(str(edition)) and len(head["composite_top"].split("、")) == 10
    json.dumps(compute("regional", ds).payload())  # what the kernel publishes is JSON (no pandas NA)
    page = preview("regional", edition)
    assert f"最新一期评价是 {edition} 年" in page


def test_2017_page_states_the_checked_figures() -> None:
    page = preview("regional", 2017)
    # dcr2017 lines 324–333 (table 3): 1 北京 … 82.97; 2 广东 … 78.38; 10 湖北 … 66.03
    assert "北京以 82.97 分居首，比第二位广东高 4.59 分，第 10 位湖北为 66.03 分。" in page
    assert "前 10 位的得分，首尾相差 16.94 分" in page  # 82.97 − 66.03
    # dcr2017 line 315: "北京、广东、江苏、浙江、上海、福建、天津、重庆、四川、湖北等 10 个省（市）"
    assert "东部省份只占全国省份的 32.3%，却占了 2017 年评价综合前列席位的 70.0%" in page
    # 信息技术产业 among the ten: 18.40 (广东) − 10.15 (重庆) = 8.25; 网络安全 mean 7.811 of 15 = 52.1%
    assert "分差最大的维度是信息技术产业，最高与最低相差 8.25 分" in page and "网络安全最低（52.1%）" in page
    assert "宁夏（信息服务应用第 6 名）" in page  # dcr2017 table 4, line 346: "6	宁夏	15.90"
    assert "跨期比较" not in page and "2020" not in page and "2021" not in page
    # dcr2017 table 2 (lines 308–310): three dimensions share the top weight of 20%
    assert "权重最高的是信息服务应用、信息技术产业和产业数字化（各 20%）" in page
    # 网络安全 has the lowest rate but not the widest range (9.42 − 6.29 = 3.13 < 8.25); 政策环境 10.00: 江苏 福建 天津
    assert "彼此的分差却小于信息技术产业" in page and "拿到满分的也只有 3 个省份" in page
    # 网络安全 and 政策环境 have scores but no list: no all-"未公布" column; the 2017 report has no tiers
    assert "未公布  未公布" not in page and "梯队" not in page
    # none of the provinces outside the top ten heads a list (宁夏 6, 山东 6–8, 山西 10, 安徽 10, 辽宁 9)
    assert "单项冠军" not in page and "需要特别说明的是名次问题" not in page


def test_2020_page_states_the_checked_figures() -> None:
    page = preview("regional", 2020)
    # dcr2020 line 157: "北京、浙江、上海、广东、江苏、天津、山东、湖北、四川、福建等10个省（市）…第一梯队"
    assert "把全部 31 个省份分为 3 个梯队" in page
    assert "2017 年到 2020 年，综合前列保留 9 个省份，新进入的是山东，退出的是重庆" in page
    assert "2021" not in page
    # dcr2020 section 九: only 信息技术产业, 产业数字化 and 信息服务应用 lists; outside 东部: 3, 2, 4
    assert "在政务服务或网络安全上" not in page
    assert "东部以外的省份最多的是信息服务应用（4 个），最少的是产业数字化（2 个）" in page
    assert "其中陕西、重庆、河南、宁夏、安徽和江西不属于东部" in page  # 河北 is 东部


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("regional", 2021)
    assert "却占了 3 期评价综合前列席位的 76.7%" in page  # 7 + 8 + 8 of 30 seats
    assert "分期看依次为 2017 年 7 个、2020 年 8 个、2021 年 8 个" in page
    assert "2020 年到 2021 年，综合前列保留 10 个省份，名单成员没有变化" in page
    assert "有 9 个（90.0%）在全部 3 期评价中都位于前列" in page
    # dcr2021: "贵州…位列数字政府建设水平全国前 10 名" while outside the composite top ten
    assert "贵州（数字政府）" in page and "共 13 次" in page
    assert "7 份分项名单平均占 2.9 个" in page  # (3+2+2+3+4+3+3)/7 seats outside 东部
    assert "到 2021 年仍作为一级指标出现的只有网络安全" in page
    # every report's reading is written: no "not yet read" sentence
    assert "本章还没有解读" not in page


@pytest.mark.parametrize("edition", data.available_editions())
def test_pages_show_no_file_names_or_unsupported_claims(edition: int) -> None:
    page = preview("regional", edition)
    assert ".csv" not in page and "quote" not in page  # the data files are named in data/README.md
    # claims without support in the book's data: provincial economy, cities and universities, 一网通办 in 06
    assert "高度吻合" not in page and "城市群" not in page and "一网通办”的全国进展" not in page


# --- a future edition needs no code change -----------------------------------------------------------------

#: The fictional 2022 composite list: 重庆 enters, 四川 leaves (relative to 2021).
SYNTH_TOP = ["浙江", "北京", "上海", "广东", "江苏", "山东", "天津", "福建", "湖北", "重庆"]
SYNTH_QUOTE = "浙江、北京、上海、广东、江苏、山东、天津、福建、湖北、重庆等地区位居全国前 10 名"


def synthetic_data(tmp: Path) -> Path:
    """A copy of data/ with a fictional edition-2022 report whose only content is a composite top ten."""
    target = tmp / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    for p in target.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    (target / "raw" / "synth2022.txt").write_text(
        f"合成测试报告\n\n综合评价结果显示，{SYNTH_QUOTE}。\n贵州等 10 个省（市）位列数字政府建设水平全国前 10 名。\n",
        encoding="utf-8",
    )
    with (target / "sources.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            [
                "synth2022",
                "合成测试报告（2022年）",
                "测试机构",
                "2023-07",
                2022,
                "yearly_report",
                "raw/synth2022.txt",
                "",
                hashlib.sha256((target / "raw" / "synth2022.txt").read_bytes()).hexdigest(),
            ]
        )
    with (target / "regional.csv").open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        for p in SYNTH_TOP:
            w.writerow(["synth2022", 2022, "dcr2021_eval", "综合", p, "", "", "", 3, SYNTH_QUOTE])
        w.writerow(
            ["synth2022", 2022, "dcr2021_eval", "数字政府", "贵州", "", "", "", 4,
             "贵州等 10 个省（市）位列数字政府建设水平全国前 10 名"]
        )  # fmt: skip
    return target


def test_synthetic_edition_2022(tmp_path: Path) -> None:
    ddir = synthetic_data(tmp_path)
    ds22 = data.load(None, ddir)
    assert ds22.edition == 2022
    f = ch.facts(ds22)
    assert [e["year"] for e in f["evaluations"]] == [2017, 2020, 2021, 2022]
    assert f["changes"][-1] == {
        "start": 2021,
        "end": 2022,
        "stayed": 9,
        "entered": ("重庆",),
        "exited": ("四川",),
    }
    assert f["leaders"]["year"] == 2022 and f["leaders"]["n_provinces"] == 1
    assert ch.headline(ds22)["composite_top"] == "、".join(SYNTH_TOP)
    assert all(isinstance(x, render.Figure) for x in ch.figures(ds22).values())
    page = preview("regional", ds=ds22)
    assert "最新一期评价是 2022 年" in page
    assert "2021 年到 2022 年，综合前列保留 9 个省份，新进入的是重庆，退出的是四川" in page
    # the new report's reading is not written yet: said once, the others still read
    assert page.count("《合成测试报告（2022年）》对领先地区做法的叙述，本章还没有解读") == 1
    assert "2021 年报告对前十地区的描述" in page
    # the real editions are untouched by the extra rows
    assert ch.current(data.load(2021, ddir))["source_id"] == "dcr2021"


# --- every list of every edition, checked against the reports' own sentences ----------------------------


def _raw(source_id: str) -> str:
    """A report's text with whitespace removed (the 2017 and 2021 texts break lines inside sentences)."""
    text = (DEFAULT_DATA_DIR / "raw" / f"{source_id}.txt").read_text(encoding="utf-8")
    return "".join(text.split())


def _quoted_list(source_id: str, provinces: tuple[str, ...]) -> str | None:
    """The report's sentence that lists ``provinces`` in this order ("北京、广东、…等10个…"), or None."""
    raw = _raw(source_id)
    names = "|".join(sorted(PROVINCES["province"], key=len, reverse=True))
    import re

    for m in re.finditer(rf"(?:(?:{names})、)+(?:{names})等(?:\s*\d+\s*个|地区)", raw):
        listed = tuple(re.findall(names, m.group(0)))
        if listed == provinces:
            return m.group(0)
    return None


@pytest.mark.parametrize("edition", data.available_editions())
def test_each_list_shown_is_the_list_the_report_prints(edition: int) -> None:
    """Every list in the lists table is, province for province and in order, a list sentence of its
    report; ranked lists number 1..n in that order, and the page shows the same lists."""
    ds = data.load(edition)
    lists = rg.published_lists(ds)
    assert len(lists), edition
    table = ch.lists_table(ds)
    assert len(table) == len(lists)
    for (_, row), shown in zip(lists.iterrows(), table["省份"], strict=True):
        assert _quoted_list(row["source_id"], row["provinces"]), (row["year"], row["dimension"], row["group"])
        if row["ranked"]:
            assert row["ranks"] == tuple(range(1, len(row["provinces"]) + 1))
        names = tuple(x.split(" ")[-1] for x in shown.split("、"))
        assert names == row["provinces"]
    page = preview("regional", edition)
    for shown in table["省份"]:
        assert shown in page


def test_every_published_dimension_has_its_list() -> None:
    """All dimension lists of the three reports are there: 2017's composite and four dimension tables
    (网络安全 and 政策环境 have scores only), 2020's three tiers and three lists, 2021's eight lists."""
    lists = rg.published_lists(data.load(2021))
    per_year = lists.groupby("year").size().to_dict()
    assert per_year == {2017: 5, 2020: 6, 2021: 8}
    tiers = lists[lists["group"] != ""]
    assert sorted(len(p) for p in tiers["provinces"]) == [10, 10, 11]
    assert set().union(*map(set, tiers["provinces"])) == set(PROVINCES["province"])


def test_list_changes_follow_from_the_quoted_lists() -> None:
    """Entries and exits between same-named lists are the set differences of the two reports' sentences."""
    ds = data.load(2021)
    lists = rg.published_lists(ds)
    changes = rg.list_changes(ds)
    assert len(changes) >= 4
    for _, c in changes.iterrows():

        def top(year: int, dim: str) -> list[str]:
            part = lists[(lists["year"] == year) & (lists["dimension"] == dim)]
            return list(part.iloc[0]["provinces"])[:10]

        old, new = top(c["year_from"], c["dimension"]), top(c["year_to"], c["dimension"])
        assert set(c["entered"]) == set(new) - set(old)
        assert set(c["exited"]) == set(old) - set(new)
        assert not c["ranked"]  # no two same-named lists of the reports both print ranks
    info = changes[changes["dimension"] == "信息服务应用"].iloc[0]
    assert set(info["entered"]) == {"安徽", "江西", "湖北"} and set(info["exited"]) == {
        "重庆",
        "山东",
        "山西",
    }


def test_matrix_reads_at_a_glance() -> None:
    """No matrix cell is longer than two characters (a rank, a tier numeral, ● or ·)."""
    for edition in data.available_editions():
        table = ch.matrix_table(data.load(edition))
        cells = table.drop(columns=["省份", "地区"]).to_numpy().ravel()
        assert max(len(str(c)) for c in cells) <= 2, edition
        assert "未进前十" not in table.to_string()


def test_score_gap_adds_up_to_the_printed_totals() -> None:
    """The first–last difference of 2017 splits into the printed dimension scores (北京 82.97, 湖北 66.03)."""
    g = ch.score_gap_facts(data.load(2017))
    assert (g["first"], g["last"]) == ("北京", "湖北")
    assert g["gap"].value == pytest.approx(82.97 - 66.03)
    assert sum(x["diff"].value for x in g["parts"]) == pytest.approx(g["gap"].value, abs=0.02)
    assert g["top"]["dimension"] == "信息技术产业" and g["top"]["diff"].value == pytest.approx(17.33 - 10.85)


def test_diagnosis_is_quoted_and_shown_from_2020() -> None:
    """The reports' own diagnosis of regional weaknesses: quoted rows of diagnoses.csv, on the page of
    the editions whose reports state it, and absent from 2017's (that report names none)."""
    assert ch.diagnosis_facts(data.load(2017)) is None
    d21 = ch.diagnosis_facts(data.load(2021))
    assert {x["year"] for x in d21} == {2020, 2021}
    page = preview("regional", 2021)
    for x in d21:
        assert x["quote"] in "".join(
            (DEFAULT_DATA_DIR / "raw" / f"{x['source'].id}.txt").read_text(encoding="utf-8").split("\n")
        )
        assert x["quote"] in page


@pytest.mark.parametrize("edition", data.available_editions())
def test_no_unsupported_link_to_income(edition: int) -> None:
    """The data hold no provincial income or output: the page may not tie positions to them."""
    page = preview("regional", edition)
    for phrase in ("经济规模、财政能力相关", "经济规模的反映", "收入水平"):
        assert phrase not in page
