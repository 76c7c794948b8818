"""dcbook.changes: the 本版更新 comparison of two editions (new values, largest changes, plan statuses,
top-ten entries and exits, revisions), its facts and their wording by the shared update_* phrases, on
hand-made editions worked out by hand and on the real data."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from dcbook import DEFAULT_DATA_DIR, REPO_ROOT, data
from dcbook import changes as ch
from dcbook import facts as F
from dcbook.chapters import exhibits as ex
from dcbook.prose import engine

TEMPLATES = REPO_ROOT / "book" / "_templates"

CATALOGUE = pd.read_csv(DEFAULT_DATA_DIR / "indicators.csv", dtype=str, keep_default_na=False).set_index(
    "indicator_id"
)
CATALOGUE["higher_is_better"] = CATALOGUE["higher_is_better"] == "true"
PROVINCES = pd.read_csv(DEFAULT_DATA_DIR / "provinces.csv", dtype=str, keep_default_na=False)
REGIONAL_COLUMNS = ["source_id", "year", "framework", "dimension", "province", "rank", "tier", "score"]
TARGET = {
    "plan": "fyp14", "indicator_id": "internet_users", "base_year": 2020, "base_value": 9.89, "target_year": 2025,
    "target_value": 12, "comparator": ">=", "attribute": "预期性", "unit": "亿", "source_id": "plan",
    "locator": 1, "quote": "网民规模（亿） 9.89 12 预期性",
}  # fmt: skip


class FakeDS:
    """The part of ``dcbook.data.Dataset`` the comparison reads: resolved rows, targets, regional rows."""

    def __init__(
        self,
        rows: list[tuple[Any, ...]],
        edition: int,
        *,
        targets: list[dict[str, Any]] | None = None,
        regional: list[tuple[Any, ...]] | None = None,
    ) -> None:
        self.edition = edition
        self.indicators = CATALOGUE
        self.provinces = PROVINCES
        self.sources = pd.DataFrame(
            [
                {"source_id": "plan", "title": "测试规划", "edition_year": 2020},
                {"source_id": f"rep{edition}", "title": f"测试报告（{edition}年）", "edition_year": edition},
            ]
        )
        self.targets = pd.DataFrame(targets or [], columns=list(TARGET))
        self.regional = pd.DataFrame(regional or [], columns=REGIONAL_COLUMNS)
        self.resolved = pd.DataFrame(
            [
                {
                    "indicator_id": i, "region": r, "year": y, "value": float(v), "qualifier": q,
                    "unit": CATALOGUE.at[i, "unit"], "name_zh": CATALOGUE.at[i, "name_zh"],
                    "domain": CATALOGUE.at[i, "domain"], "source_id": f"rep{edition}",
                }
                for i, r, y, v, q in rows
            ],
            columns=["indicator_id", "region", "year", "value", "qualifier", "unit", "name_zh", "domain", "source_id"],
        )  # fmt: skip

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")


def say(phrase: str, new: Any, old: Any, prev: int) -> str:
    """One update_* phrase rendered over the facts of comparing ``new`` with ``old`` (as the build does:
    through the JSON boundary)."""
    u = F.decode(F.encode(ch.facts(new, prev, ch.edition_changes(new, old))))
    env = engine.environment(TEMPLATES)
    return engine.render_text(env, "{{ " + phrase + "(u) }}", {"u": u}, where="test")


def nat(i: str, y: int, v: float, q: str = "exact") -> tuple[Any, ...]:
    return (i, "全国", y, v, q)


def top(source: str, year: int, provinces: list[str]) -> list[tuple[Any, ...]]:
    """An unordered composite top-ten list as data/regional.csv records one (no rank, tier or score)."""
    return [(source, year, f"{source}_eval", "综合", p, None, None, None) for p in provinces]


TOP_2021 = ["浙江", "北京", "上海", "广东", "江苏", "山东", "天津", "福建", "湖北", "四川"]
TOP_2022 = [
    "北京",
    "浙江",
    "上海",
    "广东",
    "江苏",
    "山东",
    "天津",
    "福建",
    "湖北",
    "重庆",
]  # 四川 out, 重庆 in

OLD = FakeDS(
    [
        nat("internet_users", 2017, 7.72),
        nat("internet_users", 2021, 10.32),
        nat("ecommerce_transactions", 2017, 29.16),
        nat("internet_penetration", 2021, 73),
    ],
    2021,
    targets=[TARGET],
    regional=top("rep2021", 2021, TOP_2021),
)
NEW = FakeDS(
    [
        nat("internet_users", 2017, 7.72),
        nat("internet_users", 2021, 10.32),
        nat("internet_users", 2022, 12.5),  # crosses the 2025 target of 12 亿: 进度领先 → 已达成
        nat("ecommerce_transactions", 2017, 29.0),  # revised by the newer source
        nat("internet_penetration", 2021, 73),
        nat("internet_penetration", 2022, 75.6),
        nat("base_stations_5g", 2022, 231.2),  # an indicator the old edition never had
    ],
    2022,
    targets=[TARGET],
    regional=top("rep2021", 2021, TOP_2021) + top("rep2022", 2022, TOP_2022),
)


def test_previous_edition() -> None:
    assert ch.previous_edition(2017, [2017, 2020, 2021]) is None
    assert ch.previous_edition(2021, [2017, 2020, 2021]) == 2020
    assert ch.previous_edition(2022, [2021, 2017, 2020, 2022]) == 2021


def test_new_values_largest_changes_and_revisions_by_hand() -> None:
    c = ch.edition_changes(NEW, OLD)
    assert set(c) == set(ch.CHANGE_KEYS)
    nv = c["new_values"].set_index("indicator_id")
    assert set(nv.index) == {"internet_users", "internet_penetration", "base_stations_5g"}
    assert bool(nv.at["base_stations_5g", "new_indicator"]) and not bool(
        nv.at["internet_users", "new_indicator"]
    )
    big = c["largest_changes"].set_index("indicator_id")
    # 10.32 → 12.5: +21.1 %; the share moves 73 → 75.6 = +2.6 points and has no relative change
    assert big.at["internet_users", "rel_change"] == pytest.approx(12.5 / 10.32 - 1)
    assert ex.changes_table(c).set_index("指标").at["网民规模", "变化"] == "增长 21.1%"
    assert big.at["internet_penetration", "pp_change"] == pytest.approx(2.6)
    assert pd.isna(big.at["internet_penetration", "rel_change"])
    assert "base_stations_5g" not in big.index  # nothing to compare with
    rv = c["revisions"]
    assert list(rv["indicator_id"]) == ["ecommerce_transactions"]
    assert (rv.iloc[0]["old_value"], rv.iloc[0]["new_value"]) == (29.16, 29.0)


def test_status_change_where_a_target_is_crossed() -> None:
    sc = ch.edition_changes(NEW, OLD)["status_changes"]
    assert len(sc) == 1
    row = sc.iloc[0]
    # 2021: 9.89 → 10.32 in one year beats the pace needed for 12 by 2025; 2022: 12.5 ≥ 12, met early
    assert (row["indicator_id"], row["old_verdict"], row["new_verdict"]) == (
        "internet_users",
        "进度领先",
        "已达成",
    )
    assert (int(row["latest_year"]), row["latest_value"]) == (2022, 12.5)
    table = ex.status_table(ch.edition_changes(NEW, OLD))
    assert table.iloc[0].to_dict() == {
        "规划": "“十四五”规划", "指标": "网民规模", "上一版状态": "进度领先", "本版状态": "已达成",
        "本版依据": "2022 年 12.5 亿人",
    }  # fmt: skip


def test_verdicts_not_pace_statuses_are_compared() -> None:
    # Same data, edition 2024 vs 2025: the pace status stays 进度领先, but once the edition reaches the
    # 2025 target year with no 2025 figure the verdict (what chapter 12 states) is 无法判定.
    rows = [nat("internet_users", 2021, 10.32)]
    old, new = FakeDS(rows, 2024, targets=[TARGET]), FakeDS(rows, 2025, targets=[TARGET])
    sc = ch.edition_changes(new, old)["status_changes"]
    assert list(zip(sc["old_verdict"], sc["new_verdict"], strict=True)) == [("进度领先", "无法判定")]
    assert "网民规模（“十四五”规划：进度领先 → 无法判定）" in say("update_status", new, old, 2024)
    assert ex.status_table({"status_changes": sc}).iloc[0]["本版状态"] == "无法判定"


def test_year_and_qualified_value_have_no_space_between() -> None:
    old = FakeDS([nat("internet_users", 2020, 9.89)], 2020)
    new = FakeDS([nat("internet_users", 2020, 9.89), nat("internet_users", 2021, 10, "lower_bound")], 2021)
    c = ch.edition_changes(new, old)
    assert "网民规模（2021 年超过 10 亿人）" in say("update_new", new, old, 2020)
    # 10 (超过) / 9.89 − 1 = 1.11 %: a lower bound at the end makes the growth a lower bound too
    assert "（2020 年 9.89 亿人 → 2021 年超过 10 亿人，增长超过 1.1%）" in say(
        "update_largest", new, old, 2020
    )
    assert ex.changes_table(c).iloc[0]["本版最新"] == "2021 年超过 10 亿人"


def test_plan_not_visible_before_counts_as_newly_included() -> None:
    old = FakeDS([nat("internet_users", 2021, 10.32)], 2019, targets=[TARGET])
    old.sources = old.sources[old.sources["source_id"] != "plan"]  # the plan came out after this edition
    new = FakeDS([nat("internet_users", 2021, 10.32)], 2021, targets=[TARGET])
    sc = ch.edition_changes(new, old)["status_changes"]
    assert list(sc["old_verdict"]) == [ch.NOT_YET]
    text = say("update_status", new, old, 2019)
    assert "已有规划目标的评估状态没有变化" in text and "本版新纳入“十四五”国家信息化规划的 1 项目标" in text


def test_top_ten_entries_and_exits() -> None:
    tt = ch.edition_changes(NEW, OLD)["top_ten"]
    changes = dict(zip(tt["province"], tt["change"], strict=True))
    assert changes["重庆"] == "新进入" and changes["四川"] == "退出" and changes["北京"] == "保持"
    assert list(tt["province"][:10]) == TOP_2022  # the new list in printed order, then who left
    assert set(tt["old_year"]) == {2021} and set(tt["new_year"]) == {2022}
    text = say("update_regional", NEW, OLD, 2021)
    assert "《测试报告（2022年）》的 2022 年地区评价" in text
    assert "综合排名前列的 10 个省份是" + "、".join(TOP_2022) in text
    assert "新进入的是重庆，退出的是四川" in text and "指标体系不同" in text  # rep2021_eval vs rep2022_eval


def test_top_ten_without_a_newer_evaluation() -> None:
    same = FakeDS([], 2022, regional=top("rep2021", 2021, TOP_2021))
    tt = ch.top_ten_changes(same, OLD)
    assert tt.empty
    assert "没有比 2021 年版更新的地区评价" in say("update_regional", same, OLD, 2021)
    assert "没有各省的综合评价结果" in say("update_regional", FakeDS([], 2022), OLD, 2021)


def test_first_evaluation_has_everyone_entering() -> None:
    tt = ch.top_ten_changes(OLD, FakeDS([], 2020))
    assert set(tt["change"]) == {"新进入"} and len(tt) == 10
    assert "上一版没有可比较的综合评价" in say("update_regional", OLD, FakeDS([], 2020), 2020)


def test_facts_and_phrases_name_every_kind_of_change() -> None:
    c = ch.edition_changes(NEW, OLD)
    u = ch.facts(NEW, 2021, c)
    assert u is not None
    # 3 new (indicator, region, year) rows: 网民规模 2022, 互联网普及率 2022, 5G基站数 2022 (a first)
    assert (u["n_values"], u["n_indicators"], u["n_national"], u["n_first"]) == (3, 3, 3, 1)
    assert u["latest_year"] == 2022 and u["by_domain"] is None and len(u["named"]) == 3
    assert say("update_intro", NEW, OLD, 2021).startswith(
        "与 2021 年版相比，本版新增了 3 个数值（涉及 3 项指标），其中全国数值 3 个，首次出现的指标 1 项"
    )
    # few indicators: each is named with its latest new value
    new = say("update_new", NEW, OLD, 2021)
    assert "5G基站数（2022 年 231.2 万个）" in new and "网民规模（2022 年 12.5 亿人）" in new
    largest = say("update_largest", NEW, OLD, 2021)
    assert "网民规模（2021 年 10.32 亿人 → 2022 年 12.5 亿人，增长 21.1%）" in largest
    # 75.6 − 73 = 2.6 points, printed with the precision of the inputs
    assert "互联网普及率（2021 年 73% → 2022 年 75.6%，提高 2.6 个百分点）" in largest
    assert "网民规模（“十四五”规划：进度领先 → 已达成）" in say("update_status", NEW, OLD, 2021)
    assert "新进入的是重庆" in say("update_regional", NEW, OLD, 2021)
    assert "全国 2017 年的电子商务交易额：由 29.16 万亿元改为 29 万亿元" in say(
        "update_revisions", NEW, OLD, 2021
    )
    table = ex.changes_table(c)
    assert list(table["指标"]) == ["网民规模", "互联网普及率"]
    assert table.iloc[0]["本版最新"] == "2022 年 12.5 亿人"
    rv = ex.revisions_table(c)
    assert (
        rv.iloc[0]["本版数值"] == "29 万亿元（rep2022）"
        and rv.iloc[0]["上一版数值"] == "29.16 万亿元（rep2021）"
    )


def test_many_new_indicators_are_counted_by_domain() -> None:
    ids = [i for i in CATALOGUE.index if CATALOGUE.at[i, "unit"] == "%"][: ch.MAX_NAMED + 1]
    new = FakeDS([nat(i, 2022, 50) for i in ids], 2022)
    text = say("update_new", new, FakeDS([], 2021), 2021)
    assert text.startswith(f"有新增全国数值的指标共 {len(ids)} 项，按领域分：")
    assert f"其中首次出现的指标 {len(ids)} 项" in text


def test_first_edition_has_no_facts_and_empty_tables() -> None:
    assert ch.facts(FakeDS([], 2017), None, None) is None
    for table in (ex.changes_table, ex.status_table, ex.top_ten_table, ex.revisions_table):
        assert table(None).empty


def test_identical_editions_have_no_changes() -> None:
    c = ch.edition_changes(OLD, OLD)
    assert all(frame.empty for frame in c.values())
    u = ch.facts(OLD, 2021, c)
    assert u is not None and u["n_values"] == 0 and u["moves"] is None and u["moved"] is None
    assert "本版没有新增全国数值" in say("update_new", OLD, OLD, 2021)
    assert "本版没有修订 2021 年版已有的数值" in say("update_revisions", OLD, OLD, 2021)
    assert "已有规划目标的评估状态没有变化" in say("update_status", OLD, OLD, 2021)
    assert "无法比较变化幅度" in say("update_largest", OLD, OLD, 2021)


# ----------------------------------------------------------------------------------------------------------
# real data


def test_first_real_edition_has_no_previous() -> None:
    first = min(data.available_editions())
    assert ch.for_edition(data.load(first)) == (None, None)


def test_real_2021_vs_2020() -> None:
    prev, c = ch.for_edition(data.load(2021))
    assert prev == 2020 and c is not None
    moved = c["status_changes"]
    # the 2021 report gives the first post-2020 values for several 14th-FYP indicators
    fyp14 = moved[moved["plan"] == "fyp14"]
    assert (fyp14["old_verdict"] == "无数据").all() and "internet_users" in set(fyp14["indicator_id"])
    # verdicts, not pace statuses: 贫困村宽带网络覆盖率 is 已达成 by status in both editions, but the 2020
    # edition saw it met only mid-period (中途达标); the 2021 report's 2021 figure (100%) decides it
    fyp13 = moved[moved["plan"] == "fyp13"].set_index("indicator_id")
    assert list(fyp13.index) == ["poor_village_broadband_coverage"]
    assert tuple(fyp13.loc["poor_village_broadband_coverage", ["old_verdict", "new_verdict"]]) == (
        "中途达标",
        "已达成",
    )
    # the 2021 report restates 2017 e-commerce transactions (29.16 → 29 万亿元)
    rv = c["revisions"].set_index(["indicator_id", "year"])
    assert rv.at[("ecommerce_transactions", 2017), "new_value"] == 29.0
    # the 2021 evaluation's top ten are the 2020 first tier, in another order
    tt = c["top_ten"]
    assert len(tt) == 10 and set(tt["change"]) == {"保持"}


def test_real_2020_vs_2017_top_group() -> None:
    _, c = ch.for_edition(data.load(2020))
    tt = c["top_ten"].set_index("province")["change"]
    # 2017 index top ten vs the 2020 first tier: 山东 in, 重庆 out (dcr2017 table 3, dcr2020 line 157)
    assert tt["山东"] == "新进入" and tt["重庆"] == "退出"
    assert (tt == "新进入").sum() == (tt == "退出").sum() == 1
