"""Chapter 12 规划目标追踪: the facts ``dcbook.chapters.targets`` computes (the definition check, the verdicts,
the missed targets and their catch-up) on hand-made data, then the page of every real edition."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from prose_checks import preview

from dcbook import REPO_ROOT, booklint, charts, data, render
from dcbook import facts as F
from dcbook import targets as tg
from dcbook.chapters import compute, registry
from dcbook.chapters import targets as ch
from dcbook.prose import engine
from dcbook.prose.engine import Facts


class FakeDataset:
    """The slice of ``dcbook.data.Dataset`` the chapter reads, over hand-made observations."""

    def __init__(self, obs: list[tuple], edition: int = 2021) -> None:
        self.edition = edition
        self.sources = pd.DataFrame(
            [
                {"source_id": "table", "title": "指标表报告", "published": "2018-05", "edition_year": 2017,
                 "kind": "yearly_report", "publisher": "测试机构"},
                {"source_id": "later", "title": "后来的报告", "published": "2022-07", "edition_year": 2021,
                 "kind": "yearly_report", "publisher": "测试机构"},
            ]
        )  # fmt: skip
        self.sources = self.sources[self.sources["edition_year"] <= edition].reset_index(drop=True)
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
        df = df[df["source_id"].isin(set(self.sources["source_id"]))]
        df["region"] = "全国"
        df["unit"] = df["indicator_id"].map(self.indicators["unit"])
        df["name_zh"] = df["indicator_id"].map(self.indicators["name_zh"])
        df["domain"] = df["indicator_id"].map(self.indicators["domain"])
        src = self.sources.set_index("source_id")
        df["source_title"] = df["source_id"].map(src["title"])
        df["edition_year"] = df["source_id"].map(src["edition_year"])
        df["locator"] = "1"
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
    return ch.cards(ds)["fyp13"].set_index("indicator_id")


def _page(ds: FakeDataset) -> str:
    return preview("targets", ds=ds)


# --- the definition check (dcbook.targets) as the chapter states it --------------------------------------


def test_plan_wording_is_read_from_the_table_quote() -> None:
    assert tg.plan_wording("网民数量(亿)\t>10\t7.31\t7.72\t5.6") == "网民数量"
    assert tg.plan_wording("12 网上零售额（万亿元） 11.76 17 预期性") == "网上零售额"
    assert tg.plan_wording("数字中国发展指数 85 95 预期性") == "数字中国发展指数"


def test_bridge_year_ties_a_new_wording_to_the_table_series() -> None:
    v = verdicts(fake())
    assert v.at["users", "check"] == "衔接年份一致"  # 2017 is 7.72 in both documents
    assert v.at["users", "verdict"] == "未达成"  # 9.89 is not more than 10
    row = next(r for r in ch.facts(fake())["fyp13_checks"]["rows"] if r["pace"].indicator == "users")
    assert row["bridge"]["year"] == 2017 and row["bridge"]["other_value"].value == 7.72
    assert row["bridge"]["other_source"].id == "later"


def test_bridge_year_that_disagrees_blocks_the_comparison() -> None:
    v = verdicts(fake(later_users_2017="7.9"))
    assert v.at["users", "check"] == "口径不同"
    assert v.at["users", "verdict"] == "口径待核"
    page = _page(fake(later_users_2017="7.9"))
    assert "2017 年规划表所在报告记为 7.72 亿人，另一份资料记为 7.9 亿人，两者不一致" in page


def test_wording_split_into_subject_and_measure_still_counts() -> None:
    # dcr2021 line 425: "我国社会保障卡持卡人数达到 13.52 亿人，普及率达 95.7%" names the plan's 社会保障卡普及率
    assert tg.uses_wording("我国社会保障卡持卡人数达到 13.52 亿人，普及率达 95.7%", "社会保障卡普及率")
    # dcr2020 line 128: the alias 社会保障卡人口覆盖率, split by the holders count
    assert tg.uses_wording("全国社会保障卡持卡人数达到13.35亿，人口覆盖率达到95%以上", "社会保障卡人口覆盖率")
    # a measure before its subject, or one shared character, does not count
    assert not tg.uses_wording("普及率达 95.7%，社会保障卡持卡人数 13.52 亿", "社会保障卡普及率")
    assert not tg.uses_wording("持卡人数达到13.35亿，人口覆盖率达到95%以上", "社会保障卡普及率")
    # another document's quote of the same indicator (here of 2021) vouches for the judged 2020 figure
    ds = fake()
    extra = ds.observations.iloc[[-1]].copy()
    extra[["year", "value", "value_printed", "qualifier", "source_id", "quote"]] = [
        2021, 95.7, "95.7", "exact", "later", "我国社会保障卡持卡人数达到 13.52 亿人，普及率达 95.7%"
    ]  # fmt: skip
    ds.observations = pd.concat([ds.observations, extra], ignore_index=True)
    x = tg.check_facts(
        ds,
        verdicts(fake()).reset_index().set_index("indicator_id").loc["card"].to_dict()
        | {"indicator_id": "card"},
    )
    assert x["level"] == "目录同义" and x["said"] == "社会保障卡普及率" and x["said_source"] == "later"


def test_catalogue_synonym_and_unverifiable_wording() -> None:
    v = verdicts(fake())
    assert v.at["sales", "check"] == "目录同义"  # 网络商品零售额 is an alias of 网上零售额
    assert v.at["sales", "verdict"] == "已达成"
    # 人口覆盖率 is neither the plan wording nor a catalogued name: reported, not counted
    assert v.at["card", "check"] == "口径待核"
    assert v.at["card", "verdict"] == "口径待核" and v.at["card", "status"] == "已达成"
    checks = ch.facts(fake())["fyp13_checks"]
    assert checks["n"] == 3 and [(x["level"], x["n"]) for x in checks["levels"]] == [
        ("衔接年份一致", 1), ("目录同义", 1), ("口径待核", 1)
    ]  # fmt: skip
    page = _page(fake())
    assert "规划表称“网络商品零售额”，资料称“网上零售额”，指标目录将两者登记为同一指标" in page


# --- verdicts, the missed target and its catch-up ------------------------------------------------------


def test_missed_target_margin_and_later_crossing() -> None:
    f = ch.facts(fake())
    card = f["fyp13"]
    assert dict(card.counts) == {"已达成": 1, "未达成": 1, "口径待核": 1}
    (m,) = f["fyp13_missed"]
    assert m["pace"].name == "网民规模" and m["share"] == pytest.approx(0.989)  # 9.89 / 10
    assert m["later"].year == 2021 and m["later"].value == 10.32  # "超过 10 亿" crossed in 2021
    assert m["progress"] == pytest.approx((9.89 - 7.31) / (10 - 7.31))
    page = _page(fake())
    assert "网民规模 2020 年为 9.89 亿人，目标为 2020 年超过 10 亿人，相当于目标值的 98.9%" in page
    assert "2021 年达到 10.32 亿人，晚于规划 1 年越过目标线" in page
    assert "已达成 1 项，未达成 1 项；另有 1 项的目标年数据口径无法与规划表对上（口径待核）" in page


def reference_sentence(card: pd.DataFrame, edition: int | None = None) -> str:
    """The wording the plan_counts phrase must give, written out independently of the template (the
    scorecard summary the book used before its prose moved to templates)."""
    if card.empty:
        return "暂无规划目标数据。"
    plans = sorted(set(card["plan"].astype(str)))
    name = "、".join(tg.PLAN_NAMES.get(p, p) for p in plans)
    counts = tg.verdict_counts(card)
    parts = [f"{s} {n} 项" for s, n in counts.items()]
    sentence = f"{name}的 {len(card)} 项主要指标中，" + "，".join(parts) + "。"
    if tg.plan_over(card, edition):
        decided = counts.get("已达成", 0) + counts.get("未达成", 0)
        if decided:
            sentence += f"在能用目标年数据作出判定的 {decided} 项中，{counts.get('已达成', 0)} 项已达成。"
        return sentence
    judged = len(card) - counts.get("无数据", 0)
    if judged:
        on_track = sum(counts.get(s, 0) for s in ("已达成", "进度领先", "符合进度"))
        sentence += f"在有数据可判断的 {judged} 项中，{on_track} 项已达成或进度符合预期。"
    return sentence


@pytest.mark.parametrize("edition", [2017, 2021])
def test_plan_counts_phrase_says_what_every_chapter_counts(edition: int) -> None:
    """The shared phrase words a Card as the scorecard summary does, before and after the target year."""
    ds = fake(edition=edition)
    card = ch.cards(ds)["fyp13"]
    env = engine.environment(REPO_ROOT / "book" / "_templates")
    facts = Facts({"c": F.card(ds, frame=card)})
    text = engine.render_text(
        env, "{{ plan_counts(f.c, '“十三五”国家信息化规划') }}", {"f": facts}, where="t"
    )
    assert text == reference_sentence(card, edition).rstrip("。")


def test_an_edition_before_the_target_year_keeps_progress_labels() -> None:
    early = fake(edition=2017)
    f = ch.facts(early)
    assert set(f["fyp13"].counts) <= {"已达成", "进度领先", "符合进度", "落后", "无数据"}
    assert not f["fyp13_plan"]["over"] and f["fyp13_missed"] is None and f["fyp13_checks"] is None
    assert f["fyp14"] is None and f["fyp14_plan"] is None
    page = _page(early)
    assert "口径核对" not in page and "“十四五”" not in page and "后来的报告" not in page
    assert "进度与总账" not in page and "走到了哪里" in page


def test_an_edition_without_plans_has_no_cards() -> None:
    ds = fake(edition=2021)
    ds.targets = ds.targets.iloc[0:0]
    f = ch.facts(ds)
    assert f["fyp13"] is None and f["fyp14"] is None and f["continued"] is None
    assert all(v is None for v in ch.figures(ds).values())
    page = _page(ds)
    assert "## 怎样判断" not in page and "本章要点" not in page


def test_area_best_and_worst() -> None:
    areas = (
        {"area": "甲", "n": 3, "judged": 2, "good": 2},
        {"area": "乙", "n": 2, "judged": 2, "good": 1},
        {"area": "丙", "n": 1, "judged": 1, "good": 0},  # one judged target: left out while others have two
        {"area": "丁", "n": 1, "judged": 0, "good": 0},
    )
    b = ch.best_area(areas)
    assert (b["best"], b["worst"], b["worst_share"], b["two_or_more"]) == ("甲", "乙", 0.5, True)
    assert ch.best_area(({"area": "丁", "n": 1, "judged": 0, "good": 0},)) is None


# --- charts ---------------------------------------------------------------------------------------------


def test_progress_chart_uses_the_scorecard_verdict() -> None:
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


def test_trajectory_frame_has_path_and_target() -> None:
    ds = fake()
    tf = ch.trajectory_frame(ds, ch.cards(ds)["fyp13"])
    users = tf[tf["indicator_id"] == "users"]
    goal = users[users["kind"] == "目标"]
    assert goal["year"].tolist() == [2020] and goal["value"].tolist() == [10.0]
    path = users[users["kind"] == "规划所需路径"].set_index("year")["value"]
    assert path[2016] == pytest.approx(7.31) and path[2020] == pytest.approx(10.0)
    assert set(users.loc[users["kind"] == "实际", "year"]) == {2016, 2017, 2020, 2021}
    panels = {p["pace"].indicator: p["below"] for p in ch.facts(ds)["fyp13_panels"]}
    assert panels["users"] is True  # 7.31 → 9.89 in 4 years is slower than the 8.1 % a year required


# --- the real data, every edition ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def editions() -> dict[int, data.Dataset]:
    return {ed: data.load(edition=ed) for ed in data.available_editions()}


def test_real_fyp13_verdict_2021(editions: dict[int, data.Dataset]) -> None:
    v = ch.cards(editions[2021])["fyp13"].set_index("indicator_id")
    assert v.at["online_retail_sales", "check"] == "衔接年份一致"  # 2017: 7.18 in dcr2017 and dcr2021
    assert v.at["mobile_broadband_penetration", "check"] == "措辞相同"  # 108 % names the plan's indicator
    assert v.at["internet_users", "verdict"] == "未达成"
    assert v.at["ecommerce_transactions", "verdict"] == "未达成"
    assert v.at["intl_internet_bandwidth", "verdict"] == "无法判定"  # last figure 2017
    # 95 % (2020, fyp14_interp "覆盖 95% 人口"): dcr2020 line 128 says 社会保障卡…人口覆盖率 (an alias) and
    # dcr2021 line 425 社会保障卡…普及率 (the plan's own term) for the same indicator: the wording matches
    assert v.at["social_security_card_penetration", "check"] == "目录同义"
    assert v.at["social_security_card_penetration", "verdict"] == "已达成"
    counts = v["verdict"].value_counts().to_dict()
    assert counts == {"已达成": 6, "未达成": 3, "中途达标": 2, "无法判定": 3}


def test_figures_every_edition(editions: dict[int, data.Dataset]) -> None:
    for ed, ds in editions.items():
        figs = ch.figures(ds)
        assert all(f is None or isinstance(f, render.Figure) for f in figs.values())
        assert sum(f is not None for f in figs.values()) == (4 if ed >= 2021 else 2), ed
        json.dumps(compute("targets", ds).payload())  # the kernel publishes it as JSON


def test_headline_and_panel_agree(editions: dict[int, data.Dataset]) -> None:
    ds = editions[max(editions)]
    head = ch.headline(ds)
    panel = tg.scorecard_panel(ds)
    assert head["fyp13"] == " ".join(f"{s}={n}" for s, n in panel["plans"]["fyp13"]["counts"].items() if n)
    assert head["fyp13"] == "已达成=6 未达成=3 中途达标=2 无法判定=3"  # chapter 12's own total


def test_notebook_has_no_hand_typed_figures() -> None:
    assert booklint.typed_figures_in_notebook(REPO_ROOT / (registry()["targets"].docname + ".ipynb")) == []


@pytest.mark.parametrize("edition", data.available_editions())
def test_every_page_states_the_counts_every_chapter_states(
    editions: dict[int, data.Dataset], edition: int
) -> None:
    """The verdict counts on the page are the ones every chapter counts (one rule, dcbook.targets.verdict)."""
    page = preview("targets", edition)
    for plan, card in ch.cards(editions[edition]).items():
        if tg.plan_over(card, edition):
            c = tg.verdict_counts(card)
            assert f"已达成 {c.get('已达成', 0)} 项，未达成 {c.get('未达成', 0)} 项" in page, plan
        else:
            # the counts, without the summary "N 项已达成或进度符合预期" (it mislabels 进度领先 as 符合进度)
            assert reference_sentence(card, edition).split("。")[0] in page, plan
    assert "已达成或进度符合预期" not in page


def test_2017_page_reads_as_written_in_2017() -> None:
    page = preview("targets", 2017)
    assert "十四五" not in page and "口径核对" not in page
    # dcr2017 table 1: 国内信息技术发明专利授权数 2017 年 16.7 万件 against 15.3 (met before 2020: not a
    # "target-year" confirmation)
    assert "已经提前达到目标的有国内信息技术发明专利授权数（2017 年 16.7 万件，目标 15.3 万件）" in page
    assert "以目标年数据确认达成" not in page
    # 网民数量 7.31 → 7.72 亿 (2016–2017) against "> 10" by 2020: (10/7.72)^(1/3) − 1 = 9.0 %
    assert "网民规模（2017 年为 7.72 亿人），目标为 2020 年超过 10 亿人" in page
    assert "此后每年须增长 9.0% 才能如期达标" in page
    # two areas tie at 1 of 2 (数字技术创新, 数字社会与民生); no unsupported explanation of the ranking
    assert "最弱的是数字技术创新和数字社会与民生（均为 50%）" in page and "推进方式的差别" not in page
    # the 13th-plan table has no attributes: no 本章要点 bullet that only says so
    assert "**指标属性。**" not in page
    # every target has two points: the trajectory panels show the lagging targets too, and the subtitle says so
    panels = ch.facts(data.load(edition=2017))["fyp13_panels"]
    assert {p["pace"].name for p in panels if p["below"]} == {
        "IT项目投资占全社会固定资产投资总额的比例", "互联网国际出口带宽", "网民规模",
    }  # fmt: skip
    assert "6 项中有 3 项的实线落在虚线下方" in page and "数据点较多的几项指标" not in page


def test_2020_page_cites_no_later_report() -> None:
    page = preview("targets", 2020)
    assert "dcr2021" not in page and "2021年）》" not in page
    # dcr2020: "网民规模达 9.89 亿" against the plan's "> 10 亿"
    assert "网民规模 2020 年为 9.89 亿人，目标为 2020 年超过 10 亿人，相当于目标值的 98.9%" in page
    assert "它们是否在目标年之后越过目标线，要等后续年份的数据来回答" in page
    # 贫困村 has a 2019 figure (99%): 中途达标 says there is no target-year figure, not "no later report"
    assert "此后资料没有再报告" not in page and "但资料中没有它们目标年的数值" in page
    # the continuation of targets says nothing about whether they were met (电子商务交易额 missed and dropped)
    assert "下一份规划通常会接着追踪它" not in page
    assert "“十四五”国家信息化规划列出 18 项指标" in page and "进度无法判断" in page


def test_2021_page_states_the_checked_figures() -> None:
    page = preview("targets", 2021)
    # dcr2021: "网民规模达 10.32 亿" — crosses "> 10 亿" one year after the target year
    assert "2021 年达到 10.32 亿人，晚于规划 1 年越过目标线" in page
    assert "未达成的 3 项与目标的差距最大不过目标值的 3.3%" in page  # 1 − 5.8 / 6
    # gigabit: 640 → 3,456 万户 (2020–2021) against 6,000 by 2025: 52.5 % of the gap, 4.4 倍 a year
    assert "千兆光纤接入用户数已完成基期到目标差距的 52.5%" in page
    assert "实际年均增长 4.4 倍，规划只要求 56.5%" in page
    assert "5G移动电话用户数（2021 年 3.55 亿户）与“5G用户普及率”口径不同" in page
    # dcr2017 table 1 prints 29.16 万亿元 for 2017; dcr2021 rounds it to 29: the check says so
    assert "2017 年数值（29 万亿元）与规划表所在报告的 29.16 万亿元在四舍五入的精度内一致" in page
    assert "“十四五”规划的 18 项都是预期性指标" in page and "预期性 18 项" not in page


def test_trajectory_table_tells_the_computed_path_from_reported_values() -> None:
    ds = data.load(2021)
    card = ch.cards(ds)["fyp13"]
    tf = ch.trajectory_frame(ds, card)
    path = tf[tf["kind"] == "规划所需路径"]
    assert path["name_zh"].str.endswith("（规划所需路径，计算值）").all()
    assert tf.loc[tf["kind"] == "目标", "name_zh"].str.endswith("（规划目标）").all()
    # rule 8: a computed point names no source and is shown with its inputs' precision (80 → 90% gives
    # 82%, not 82.3907 nor 82.4)
    assert path["computed"].all() and not tf.loc[tf["kind"] != "规划所需路径", "computed"].any()
    assert (path["source_id"] == "").all() and (path["source_title"] == "").all()
    # the chart's data travels as JSON, which has no NaN (one made the kernel print a serialisation warning
    # into the executed notebook, with the building machine's path)
    spec = ch.trajectory_chart(tf).to_dict()
    json.dumps(spec, allow_nan=False)
    village = path[path["indicator_id"] == "poor_village_broadband_coverage"].set_index("year")["value"]
    assert list(village) == [80, 82, 85, 87, 90]
    retail = path[path["indicator_id"] == "online_retail_sales"]["value"]
    assert all(round(v, 2) == v for v in retail) and not all(round(v, 1) == v for v in retail)
    # the chart's table says 计算值 where a figure's source would be; its source line names documents only
    shown = charts._prepare(tf, "trajectory_chart")
    assert set(shown.loc[shown["computed"], "_source"]) == {charts.COMPUTED_SOURCE}
    assert "《" in set(shown.loc[~shown["computed"], "_source"]).pop()
    assert "计算值" not in render.figure(ch.trajectory_chart(tf)).source_line
    csv = render.csv_frame(tf)
    assert set(csv.loc[tf["computed"].to_numpy(), "计算值"]) == {"是"}
    # the progress chart's share of the way from base to target is a ratio the book computes
    assert render.TABLE_COLUMNS["_pct"] == render.CSV_HEADERS["progress"] == "进度（计算值）"
    # the status column is the verdict the prose states (not the bare status before the definition check)
    verdicts = card.set_index("indicator_id")["verdict"]
    assert (tf["status"] == tf["indicator_id"].map(verdicts)).all()


def test_verdict_counts_keep_their_order_through_the_notebook() -> None:
    """The payload is written into the notebook as JSON with sorted keys; the counts must still read in
    the order of dcbook.targets.VERDICTS ("进度领先 6 项，无数据 12 项", not sorted by character)."""
    card = F.card(data.load(2021), frame=ch.cards(data.load(2021))["fyp14"])
    back = F.decode(json.loads(json.dumps(F.encode(card), sort_keys=True)))
    assert (
        list(back.counts)
        == list(tg.verdict_counts(ch.cards(data.load(2021))["fyp14"]))
        == ["进度领先", "无数据"]
    )
    env = engine.environment(REPO_ROOT / "book" / "_templates")
    text = engine.render_text(env, "{{ verdict_counts(f.c) }}", {"f": Facts({"c": back})}, where="t")
    assert text == "进度领先 6 项，无数据 12 项"
