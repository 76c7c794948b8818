"""The verdict audit of 方法与数据 (issue 14, rule 6): every target of both plans, its verdict, the values
that decided it and the rule — checked against the data, not against itself."""

from __future__ import annotations

import pandas as pd
import pytest
from prose_checks import preview

from dcbook import data, targets
from dcbook.chapters import methods


@pytest.fixture(scope="module")
def editions() -> dict[int, data.Dataset]:
    return {ed: data.load(edition=ed) for ed in data.available_editions()}


def test_every_target_of_every_visible_plan_is_audited(editions: dict[int, data.Dataset]) -> None:
    for ed, ds in editions.items():
        a = targets.audit(ds)
        plans = targets.visible_plans(ds)
        want = ds.targets[ds.targets["plan"].isin(plans)]
        assert sorted(zip(a["plan"], a["indicator_id"], strict=True)) == sorted(
            zip(want["plan"], want["indicator_id"], strict=True)
        ), ed
        assert set(a["rule"]) <= set(targets.RULES), ed


def test_each_rule_agrees_with_the_values_it_cites(editions: dict[int, data.Dataset]) -> None:
    for ed, ds in editions.items():
        for _, r in targets.audit(ds).iterrows():
            where = f"{ed} {r['plan']} {r['indicator_id']}"
            rule, verdict = r["rule"], r["verdict"]
            if rule == "no_data":
                assert pd.isna(r["latest_value"]), where
                continue
            # the judged figure is the one the conflict rule keeps for that indicator and year
            kept = ds.resolved[
                (ds.resolved["indicator_id"] == r["indicator_id"])
                & (ds.resolved["region"] == "全国")
                & (ds.resolved["year"] == int(r["latest_year"]))
            ]
            assert len(kept) == 1 and float(kept["value"].iloc[0]) == float(r["latest_value"]), where
            met = targets.meets(
                float(r["latest_value"]),
                str(r["latest_qualifier"] or "exact"),
                float(r["target_value"]),
                r["comparator"],
            )
            reached = int(r["latest_year"]) >= int(r["target_year"])
            if rule == "target_year":
                assert reached and r["check"] in targets.COMPARABLE, where
                assert verdict == ("已达成" if met else "未达成"), where
            elif rule == "definition":
                assert reached and r["check"] not in targets.COMPARABLE and verdict == "口径待核", where
            elif rule == "met_before":
                assert not reached and met and verdict == "已达成", where
            elif rule == "pace":
                obs, req = float(r["observed_cagr"]), float(r["required_cagr"])
                assert not reached and not met, where
                if verdict == "落后":
                    assert obs < req, where
                elif verdict == "进度领先":
                    assert obs > req, where
                else:
                    assert verdict == "符合进度" and abs(obs / req - 1) <= targets.TOLERANCE + 1e-9, where
            elif rule == "over_no_figure":
                assert not reached and int(ed) >= int(r["target_year"]) and verdict == "无法判定", where
            elif rule == "mid_period":
                assert verdict == "中途达标", where


def test_the_2021_audit_reads_the_social_security_target_as_met(editions: dict[int, data.Dataset]) -> None:
    a = targets.audit(editions[2021]).set_index(["plan", "indicator_id"])
    row = a.loc[("fyp13", "social_security_card_penetration")]
    # fyp14_interp: "覆盖 95% 人口" (2020, exact) against the plan's 90 %: met, and the wording matches
    assert (row["latest_year"], row["latest_value"], row["latest_qualifier"]) == (2020, 95.0, "exact")
    assert (row["check"], row["verdict"], row["rule"]) == ("目录同义", "已达成", "target_year")
    counts = a["verdict"].value_counts().to_dict()
    assert "口径待核" not in counts  # no recorded definition difference among the 2021 edition's targets


def test_the_chapter_table_prints_one_row_per_target(editions: dict[int, data.Dataset]) -> None:
    for ed, ds in editions.items():
        table = methods.audit_table(ds)
        a = targets.audit(ds)
        assert len(table) == len(a) and list(table["判定"]) == list(a["verdict"]), ed
        assert all(t == targets.RULES[r] for t, r in zip(table["依据"], a["rule"], strict=True)), ed
    page = preview("methods", 2017)
    assert "## 规划目标的判定核查" in page and "“十三五”规划的主要指标共 14 项" in page
    table = methods.audit_table(editions[2017]).set_index("指标")
    # dcr2017 line 51: 互联网国际出口带宽 20 (target), 6.3 (2016), 7.0 (2017): 11.1 % a year against 33.5 %
    assert table.at["互联网国际出口带宽", "实际 / 所需年均增速（计算值）"] == "11.1% / 33.5%"
    assert table.at["互联网国际出口带宽", "判定"] == "落后"
