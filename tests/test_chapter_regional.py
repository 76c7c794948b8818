"""Chapter 11 地区评价: sentences, tables and figures of ``dcbook.chapters.regional``.

Known-data tests check the computed sentences against the reports (worked out by reading data/raw); the
synthetic-edition test adds a fictional 2022 report to a temporary copy of data/ and checks that every
chapter function picks it up without code changes.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from IPython.display import Markdown

from dcbook import DEFAULT_DATA_DIR, booklint, data, render
from dcbook import regional as rg
from dcbook.chapters import regional as ch

BOOK = Path(__file__).resolve().parents[1] / "book"
#: The fictional 2022 composite list: 重庆 enters, 四川 leaves (relative to 2021).
SYNTH_TOP = ["浙江", "北京", "上海", "广东", "江苏", "山东", "天津", "福建", "湖北", "重庆"]
SYNTH_QUOTE = "浙江、北京、上海、广东、江苏、山东、天津、福建、湖北、重庆等地区位居全国前 10 名"


@pytest.fixture(scope="module", params=[2017, 2020, 2021])
def ds(request: pytest.FixtureRequest) -> data.Dataset:
    return data.load(request.param)


def synthetic_data(tmp: Path) -> Path:
    """A copy of data/ with a fictional edition-2022 report whose only content is a composite top ten."""
    target = tmp / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    for p in target.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
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
            ]
        )
    (target / "raw" / "synth2022.txt").write_text(
        f"合成测试报告\n\n综合评价结果显示，{SYNTH_QUOTE}。\n贵州等 10 个省（市）位列数字政府建设水平全国前 10 名。\n",
        encoding="utf-8",
    )
    with (target / "regional.csv").open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        for p in SYNTH_TOP:
            w.writerow(["synth2022", 2022, "dcr2021_eval", "综合", p, "", "", "", 3, SYNTH_QUOTE])
        w.writerow(
            [
                "synth2022",
                2022,
                "dcr2021_eval",
                "数字政府",
                "贵州",
                "",
                "",
                "",
                4,
                "贵州等 10 个省（市）位列数字政府建设水平全国前 10 名",
            ]
        )
    return target


# --- every edition ---------------------------------------------------------------------------------------


def test_texts_are_complete_sentences(ds):
    texts = ch.texts(ds)
    assert [k for k in texts if k.startswith("key_")] == [f"key_{i}" for i in range(1, ch.N_FINDINGS + 1)]
    for key, text in texts.items():
        assert isinstance(text, str) and text.strip(), key
        assert not re.search(r"\bnan\b|None|<NA>", text), f"{key}: {text}"


def test_figures_and_tables_for_every_edition(ds):
    figs = ch.figures(ds)
    assert set(figs) == {"tiles", "multiples", "movement", "regions"}
    for key in ("tiles", "multiples", "regions"):
        assert isinstance(figs[key], render.Figure), key
        assert figs[key].source_line.startswith("来源：")
    one_evaluation = len(ch.evaluations(ds)) == 1
    assert isinstance(figs["movement"], Markdown if one_evaluation else render.Figure)
    matrix = ch.matrix_table(ds)
    assert len(matrix) == 31 and matrix["省份"].is_unique
    assert set(ch.tables(ds)) == {"matrix", "scores", "tiers", "frameworks", "provinces"}


def test_headline_is_the_newest_visible_evaluation(ds):
    head = ch.headline(ds)
    assert head["edition"] == str(ds.edition)
    assert head["evaluation"].startswith(str(ds.edition))
    assert len(head["composite_top"].split("、")) == 10


# --- known data ------------------------------------------------------------------------------------------


def test_current_evaluation_shapes():
    d17, d20, d21 = (data.load(e) for e in (2017, 2020, 2021))
    assert "前 10 位的名次和各维度得分" in ch.current_sentence(d17)
    assert "网络安全、政策环境 2 个维度只有前列省份的得分" in ch.current_sentence(d17)
    assert "分为 3 个梯队" in ch.current_sentence(d20)
    assert "7 个分项维度公布了前十名单" in ch.current_sentence(d21)
    assert "不给名次" in ch.order_note(d21) and "都标明了名次" in ch.order_note(d17)
    assert "梯队内部不分先后" in ch.order_note(d20)


def test_tile_frame_categories():
    d21 = data.load(2021)
    tiles = ch.tile_frame(d21)
    assert len(tiles) == 31 and tiles["province"].is_unique
    assert tiles["result"].value_counts().to_dict() == {"前十": 10, "未进前十": 21}
    t17 = ch.tile_frame(data.load(2017))
    assert t17.set_index("province").at["北京", "result"] == "第 1–3 名"
    assert t17.set_index("province").at["湖北", "result"] == "第 7–10 名"
    assert set(ch.dimension_frames(data.load(2017))) == {
        "信息服务应用",
        "信息技术产业",
        "产业数字化",
        "信息基础设施",
    }
    t20 = ch.tile_frame(data.load(2020)).set_index("province")
    assert t20.at["重庆", "result"] == "第二梯队" and t20.at["西藏", "result"] == "第三梯队"


def test_category_order_and_members():
    assert ch.category_order(["未进前十", "第 7–10 名", "第 1–3 名"]) == [
        "第 1–3 名",
        "第 7–10 名",
        "未进前十",
    ]
    assert ch.category_order(["第三梯队", "第一梯队", "第二梯队"]) == ["第一梯队", "第二梯队", "第三梯队"]
    col = pd.Series({"甲": "第一梯队", "乙": "第二梯队", "丙": 3, "丁": rg.NOT_IN_TOP, "戊": 12})
    assert ch.members(col) == ["甲", "丙"]


def test_membership_and_changes_known():
    d21 = data.load(2021)
    mv = ch.membership_frame(d21).set_index(["province", "year"])
    assert mv.at[("山东", 2017), "cell"] == "未进前十" and mv.at[("山东", 2020), "in_top"]
    assert mv.at[("重庆", 2017), "cell"] == "第 8 名" and not mv.at[("重庆", 2020), "in_top"]
    assert ch.persistent_members(d21) == [
        "浙江",
        "北京",
        "上海",
        "广东",
        "江苏",
        "天津",
        "福建",
        "湖北",
        "四川",
    ]
    changes = ch.change_sentences(d21)
    assert changes == [
        "2017 年到 2020 年，综合前列保留 9 个省份，新进入的是山东，退出的是重庆",
        "2020 年到 2021 年，综合前列保留 10 个省份，名单成员没有变化",
    ]
    assert ch.change_sentences(data.load(2017)) == ["本版资料只有 2017 年一期地区评价，还无法比较名单的进出"]


def test_region_and_scores_known():
    d21 = data.load(2021)
    assert "东部 8 个（该地区共 10 个省份）" in ch.region_sentence(d21)
    assert "东部省份占 23 个（76.7%）" in ch.east_share_sentence(d21)  # 7 + 8 + 8 of 30 seats
    frame = ch.region_frame(d21)
    comp = frame[frame["dimension"] == rg.COMPOSITE]
    assert comp.groupby("year")["value"].sum().to_dict() == {2017: 10, 2020: 10, 2021: 10}
    assert len(frame) == 4 * (3 + 7)
    # Table 3 of the 2017 report: 82.97 − 78.38 = 4.59; 82.97 − 66.03 = 16.94.
    assert "北京以 82.97 分居首，比第二位广东高 4.59 分" in ch.score_sentence(d21)
    assert "首尾相差 16.94 分" in ch.score_sentence(d21)
    # 信息技术产业 among the ten: 18.40 (广东) − 10.15 (重庆) = 8.25.
    assert "分差最大的维度是信息技术产业，最高与最低相差 8.25 分" in ch.weakest_dimension_sentence(d21)
    scores = ch.score_table(d21)
    assert len(scores) == 10 and "信息服务应用（权重 20%）" in scores.columns


def test_leaders_and_frameworks_known():
    d21 = data.load(2021)
    text = ch.leaders_sentence(d21)
    assert text.startswith("2021 年有 8 个不在综合前十的省份进入了分项前十，共 13 次")
    assert "贵州（数字政府）" in text
    fw = ch.framework_sentence(d21)
    assert "名称相同的只有 1 个（网络安全）" in fw
    assert "产业数字化从 2017 年的一级指标变成了 2021 年的二级指标" in fw
    table = ch.framework_table(d21)
    assert len(table) == 6 + 6 + 7
    assert "2017 年体系一级" in set(table["同名出现于"])
    assert ch.framework_sentence(data.load(2017)).startswith("2017 年体系有 6 个一级指标")


def test_tier_summary_covers_all_provinces():
    tiers = ch.tier_summary(data.load(2020))
    assert tiers["省份数"].sum() == 31 and list(tiers["梯队"]) == ["第一梯队", "第二梯队", "第三梯队"]
    assert ch.tier_summary(data.load(2017)).empty


def test_tables_escape_html():
    hostile = pd.DataFrame({"省份": ["<script>alert(1)</script>"]})
    html = ch.styled_table(hostile, "空").to_html()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# --- a future edition needs no code change ----------------------------------------------------------------


def test_synthetic_edition_2022(tmp_path):
    ddir = synthetic_data(tmp_path)
    assert data.available_editions(ddir)[-1] == 2022
    ds22 = data.load(None, ddir)
    assert ds22.edition == 2022
    ev = ch.current(ds22)
    assert (int(ev["year"]), ev["source_id"]) == (2022, "synth2022")
    texts = ch.texts(ds22)
    assert texts["years"] == "2017 年、2020 年、2021 年、2022 年"
    assert "2021 年到 2022 年，综合前列保留 9 个省份，新进入的是重庆，退出的是四川" in texts["changes"]
    assert texts["leaders"].startswith("2022 年有 1 个不在综合前十的省份进入了分项前十")
    assert ch.headline(ds22)["composite_top"] == "、".join(SYNTH_TOP)
    assert ch.tile_frame(ds22).set_index("province").at["重庆", "result"] == "前十"
    figs = ch.figures(ds22)
    assert all(isinstance(f, render.Figure) for f in figs.values())
    assert set(ch.membership_frame(ds22)["year"]) == {2017, 2020, 2021, 2022}
    # The real editions are untouched by the extra rows.
    assert ch.current(data.load(2021, ddir))["source_id"] == "dcr2021"


# --- the notebook ----------------------------------------------------------------------------------------


def test_notebook_has_no_typed_figures_and_uses_every_glue_key():
    path = BOOK / "11_regional.ipynb"
    assert booklint.typed_figures_in_notebook(path) == []
    text = path.read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:text\}`regional_([a-z0-9_]+)`", text))
    assert used <= set(ch.texts(data.load(2021)))
    assert {f"key_{i}" for i in range(1, ch.N_FINDINGS + 1)} <= used
