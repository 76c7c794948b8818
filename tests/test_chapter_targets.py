"""Chapter 12 规划目标追踪: the definition check and verdict on hand-made data, then every real edition."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from dcbook import REPO_ROOT, booklint, charts, render
from dcbook import targets as tg
from dcbook.chapters import targets as ch

NOTEBOOK = REPO_ROOT / "book" / "12_targets.ipynb"


class FakeDataset:
    """The slice of ``dcbook.data.Dataset`` the chapter reads, over hand-made observations."""

    def __init__(self, obs: list[tuple], edition: int = 2021) -> None:
        self.edition = edition
        self.sources = pd.DataFrame(
            [
                {"source_id": "table", "title": "指标表报告", "published": "2018-05", "edition_year": 2017},
                {"source_id": "later", "title": "后来的报告", "published": "2022-07", "edition_year": 2021},
            ]
        )
        self.indicators = pd.DataFrame(
            [
                {"indicator_id": "users", "name_zh": "网民规模", "domain": "digital_society", "unit": "亿人",
                 "aliases": ["网民数量"]},
                {"indicator_id": "sales", "name_zh": "网上零售额", "domain": "digital_economy", "unit": "万亿元",
                 "aliases": ["网络商品零售额"]},
                {"indicator_id": "card", "name_zh": "社会保障卡普及率", "domain": "digital_society", "unit": "%",
                 "aliases": []},
            ]
        ).set_index("indicator_id")  # fmt: skip
        cols = ["indicator_id", "year", "value", "value_printed", "qualifier", "source_id", "quote"]
        df = pd.DataFrame(obs, columns=cols)
        df["region"] = "全国"
        df["unit"] = df["indicator_id"].map(self.indicators["unit"])
        df["name_zh"] = df["indicator_id"].map(self.indicators["name_zh"])
        df["domain"] = df["indicator_id"].map(self.indicators["domain"])
        src = self.sources.set_index("source_id")
        df["source_title"] = df["source_id"].map(src["title"])
        df["edition_year"] = df["source_id"].map(src["edition_year"])
        self.observations = df
        self.resolved = df.sort_values("source_id").drop_duplicates(["indicator_id", "year"], keep="first")
        t = [
            ("users", 10, ">", "亿", "网民数量(亿)\t>10\t7.31\t7.72"),
            ("sales", 10, ">=", "万亿元", "网络商品零售额(万亿元)\t10\t5.16\t7.18"),
            ("card", 90, ">=", "%", "社会保障卡普及率(%)\t90\t70.7\t78.7"),
        ]
        self.targets = pd.DataFrame(
            [
                {"plan": "fyp13", "indicator_id": i, "base_year": None, "base_value": None, "target_year": 2020,
                 "target_value": v, "comparator": c, "attribute": "", "unit": u, "source_id": "table",
                 "locator": 1, "quote": q}
                for i, v, c, u, q in t
            ]
        )  # fmt: skip

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]


def fake(later_users_2017: str = "7.72", edition: int = 2021) -> FakeDataset:
    return FakeDataset(
        [
            ("users", 2016, 7.31, "7.31", "exact", "table", "网民数量(亿)\t>10\t7.31\t7.72"),
            ("users", 2017, 7.72, "7.72", "exact", "table", "网民数量(亿)\t>10\t7.31\t7.72"),
            (
                "users",
                2017,
                float(later_users_2017),
                later_users_2017,
                "exact",
                "later",
                "网民规模由 7.72 亿增长",
            ),
            ("users", 2020, 9.89, "9.89", "exact", "later", "网民规模达 9.89 亿"),
            ("users", 2021, 10.32, "10.32", "exact", "later", "网民规模达 10.32 亿"),
            ("sales", 2016, 5.16, "5.16", "exact", "table", "网络商品零售额(万亿元)\t10\t5.16\t7.18"),
            ("sales", 2020, 11.76, "11.76", "exact", "later", "全国网上零售额达到11.76万亿元"),
            ("card", 2016, 70.7, "70.7", "exact", "table", "社会保障卡普及率(%)\t90\t70.7\t78.7"),
            ("card", 2020, 95.0, "95", "lower_bound", "later", "持卡人数达到13.35亿，人口覆盖率达到95%以上"),
        ],
        edition,
    )


def verdicts(ds: FakeDataset) -> pd.DataFrame:
    return ch.fyp13_verdict(ds).set_index("indicator_id")


# --- the definition check -------------------------------------------------------------------------


def test_plan_wording_is_read_from_the_table_quote():
    assert ch.plan_wording("网民数量(亿)\t>10\t7.31\t7.72\t5.6") == "网民数量"
    assert ch.plan_wording("12 网上零售额（万亿元） 11.76 17 预期性") == "网上零售额"
    assert ch.plan_wording("数字中国发展指数 85 95 预期性") == "数字中国发展指数"


def test_bridge_year_ties_a_new_wording_to_the_table_series():
    v = verdicts(fake())
    assert v.at["users", "check"] == "衔接年份一致"  # 2017 is 7.72 in both documents
    assert v.at["users", "verdict"] == "未达成"  # 9.89 is not more than 10
    assert "7.72" in v.at["users", "check_note"]


def test_bridge_year_that_disagrees_blocks_the_comparison():
    v = verdicts(fake(later_users_2017="7.9"))
    assert v.at["users", "check"] == "口径不同"
    assert v.at["users", "verdict"] == "口径待核"


def test_catalogue_synonym_and_unverifiable_wording():
    v = verdicts(fake())
    assert v.at["sales", "check"] == "目录同义"  # 网络商品零售额 is an alias of 网上零售额
    assert v.at["sales", "verdict"] == "已达成"
    # 人口覆盖率 is neither the plan wording nor a catalogued name: reported, not counted
    assert v.at["card", "check"] == "口径待核"
    assert v.at["card", "verdict"] == "口径待核" and v.at["card", "status"] == "已达成"


def test_verdict_before_the_target_year_and_later_catch_up():
    ds = fake()
    v = ch.fyp13_verdict(ds)
    assert "已达成 1 项，未达成 1 项" in ch.fyp13_verdict_sentence(v, 2021)
    assert "2021 年达到 10.32 亿人" in ch.missed_sentence(ds, v)
    early = fake(edition=2017)
    early.observations = early.observations[early.observations["year"] <= 2017]
    early.resolved = early.resolved[early.resolved["year"] <= 2017]
    v17 = ch.fyp13_verdict(early)
    assert set(v17["verdict"]) <= {"已达成", "进度领先", "符合进度", "落后", "无数据"}
    assert "尚早" in ch.fyp13_verdict_sentence(v17, 2017)


# --- charts ---------------------------------------------------------------------------------------


def test_progress_chart_uses_the_scorecard_status():
    ds = fake()
    card = ch.cards(ds)["fyp13"]
    frame = ch.progress_frame(ds, card)
    # coloured by the verdict the prose counts (口径待核 is drawn, in its own colour)
    assert set(frame["status"]) == set(card["verdict"]) - {"无数据"}
    assert "口径待核" in set(frame["status"])
    spec = charts.target_progress(frame, title="t").to_dict()
    color = spec["layer"][1]["encoding"]["color"]["scale"]
    assert color["domain"] == [s for s in charts.STATUS_COLORS if s in set(frame["status"])]
    assert color["range"] == [charts.STATUS_COLORS[s] for s in color["domain"]]
    # The bar length is the scorecard's own progress, not one recomputed by the chart.
    rows = spec["datasets"][spec["data"]["name"]]
    assert [r["progress"] for r in rows] == pytest.approx(list(frame["progress"]))
    bad = frame.assign(status="滞后于进度")
    with pytest.raises(ValueError, match="滞后于进度"):
        charts.target_progress(bad, title="t")


def test_trajectory_frame_has_path_and_target():
    ds = fake()
    tf = ch.trajectory_frame(ds, ch.cards(ds)["fyp13"])
    users = tf[tf["indicator_id"] == "users"]
    goal = users[users["kind"] == "目标"]
    assert goal["year"].tolist() == [2020] and goal["value"].tolist() == [10.0]
    path = users[users["kind"] == "规划所需路径"].set_index("year")["value"]
    assert path[2016] == pytest.approx(7.31) and path[2020] == pytest.approx(10.0)
    assert set(users.loc[users["kind"] == "实际", "year"]) == {2016, 2017, 2020, 2021}


# --- the real data, every edition -----------------------------------------------------------------


@pytest.fixture(scope="module")
def editions():
    from dcbook import data

    return {ed: data.load(edition=ed) for ed in data.available_editions()}


def test_real_fyp13_verdict_2021(editions):
    v = ch.fyp13_verdict(editions[2021]).set_index("indicator_id")
    assert v.at["online_retail_sales", "check"] == "衔接年份一致"  # 2017: 7.18 in dcr2017 and dcr2021
    assert v.at["mobile_broadband_penetration", "check"] == "措辞相同"  # 108 % names the plan's indicator
    assert v.at["internet_users", "verdict"] == "未达成"
    assert v.at["ecommerce_transactions", "verdict"] == "未达成"
    assert v.at["intl_internet_bandwidth", "verdict"] == "无法判定"  # last figure 2017
    assert v.at["social_security_card_penetration", "verdict"] == "口径待核"
    counts = v["verdict"].value_counts().to_dict()
    assert counts == {"已达成": 5, "未达成": 3, "中途达标": 2, "口径待核": 1, "无法判定": 3}


def test_texts_and_figures_every_edition(editions):
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    md = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    used = set(re.findall(r"\{glue:text\}`targets_([a-z0-9_]+)`", md))
    for ed, ds in editions.items():
        texts = ch.texts(ds)
        assert used <= set(texts), (ed, used - set(texts))
        for key, text in texts.items():
            assert text and "nan" not in text and "None" not in text, (ed, key, text)
        assert sum(k.startswith("key_") for k in texts) == 5
        figs = ch.figures(ds)
        n_charts = sum(isinstance(f, render.Figure) for f in figs.values())
        assert n_charts == (4 if ed >= 2021 else 2), ed
    assert "尚未发布" in ch.texts(editions[2017])["fyp14_status"]
    assert "只有规划基期的数值" in ch.texts(editions[2020])["fyp14_status"]


def test_headline_and_panel_agree(editions):
    ds = editions[max(editions)]
    head = ch.headline(ds)
    panel = tg.scorecard_panel(ds)
    assert head["fyp13"] == " ".join(f"{s}={n}" for s, n in panel["plans"]["fyp13"]["counts"].items() if n)
    assert head["fyp13"] == "已达成=5 未达成=3 中途达标=2 口径待核=1 无法判定=3"  # chapter 12's own total


def test_notebook_has_no_hand_typed_figures():
    assert booklint.typed_figures_in_notebook(NOTEBOOK) == []


# --- issue #5: sentences that read wrong ---------------------------------------------------------------


def test_area_sentence_says_jun_only_for_two_or_more(editions):
    text = ch.area_sentence(ch.cards(editions[2020])["fyp14"])
    assert "总体水平 1 项无法评估" in text and "1 项均" not in text
    assert "数字社会 2 项均无法评估" in text


def test_2017_area_sentences_differ_when_the_plan_is_unpublished(editions):
    t = ch.texts(editions[2017])
    assert t["fyp14_areas"] != t["fyp14_best_area"]


def test_unlabelled_targets_are_not_called_expected(editions):
    """The 13th plan's table prints no 属性: finding 5 must not say every target is 预期性."""
    for ed in (2020, 2021):
        assert not ch._all_expected(editions[ed])
        assert "所有规划目标都是预期性指标" not in ch.key_findings(editions[ed])[4]
        assert "没有标注指标属性" in ch.key_findings(editions[ed])[4]


def test_needs_sentence_compares_with_past_pace_once(editions):
    text = ch.needs_sentence(ch.cards(editions[2021])["fyp14"], 2021)
    assert text.count("低于此前实际增速") == 1 and "低于此前的实际增速" not in text
    assert text.count("此后每年需增长") == 6


def test_pct_uses_bei_from_a_doubling_on():
    assert ch.pct(4.4) == "4.4 倍"
    assert ch.pct(0.316) == "31.6%"
