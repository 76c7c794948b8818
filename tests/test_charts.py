"""Chart builders, house style, takeaways and Chinese number formatting, on hand-made tidy frames."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from dcbook import charts, fmt, targets

BASE = {
    "indicator_id": "internet_users",
    "region": "全国",
    "unit": "亿人",
    "qualifier": "exact",
    "source_id": "dcr2021",
    "source_title": "数字中国发展报告（2021年）",
    "edition_year": 2021,
    "quote": "网民规模",
    "name_zh": "网民规模",
    "domain": "digital_society",
}


def obs(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame([{**BASE, **r} for r in rows])


@pytest.fixture
def series() -> pd.DataFrame:
    return obs(
        {
            "year": 2017,
            "value": 7.72,
            "source_id": "dcr2017",
            "source_title": "数字中国建设发展报告（2017年）",
            "edition_year": 2017,
        },
        {
            "year": 2020,
            "value": 9.89,
            "source_id": "dcr2020",
            "source_title": "数字中国发展报告（2020年）",
            "edition_year": 2020,
        },
        {"year": 2021, "value": 10.32, "qualifier": "lower_bound"},
    )


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["layer"] if "layer" in spec else spec["spec"]["layer"]


def dataset(spec: dict[str, Any]) -> list[dict[str, Any]]:
    (values,) = spec["datasets"].values()
    return values


def mark_type(layer: dict[str, Any]) -> str:
    return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]


# -- fmt ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((9.89, "亿人"), {}, "9.89 亿人"),
        ((9.89, "亿人"), {"qualifier": "lower_bound"}, "超过 9.89 亿人"),
        ((73.0, "%"), {"qualifier": "approx"}, "约 73%"),
        # 10,000 万 or more reads with the larger word, every printed digit kept.
        ((34854, "万户"), {}, "3.4854 亿户"),
        ((11000, "万篇"), {}, "1.1 亿篇"),
        ((10458.3, "亿元"), {}, "1.04583 万亿元"),
        ((11000, "万篇"), {"qualifier": "lower_bound"}, "超过 1.1 亿篇"),
        ((34854, "万户"), {"scale": False}, "34,854 万户"),
        ((9999, "万户"), {}, "9,999 万户"),
        ((142.5, "万个"), {"qualifier": "upper_bound"}, "不到 142.5 万个"),
        ((6.6, "ZB"), {}, "6.6 ZB"),
        ((1.0, ""), {}, "1"),
        ((2.125, "万亿元"), {"digits": 1}, "2.1 万亿元"),
        # one scale convention: 千亿 → 亿, plain counts of 100,000 or more in 万
        ((2, "千亿次"), {"qualifier": "lower_bound"}, "超过 2,000 亿次"),
        ((6, "千万条"), {}, "6,000 万条"),
        ((250000, "个"), {"qualifier": "approx"}, "约 25 万个"),
        ((13900, "万户"), {}, "1.39 亿户"),
        ((15500, "亿元"), {}, "1.55 万亿元"),
        ((8398, "个"), {}, "8,398 个"),
        ((120000, "位"), {}, "120,000 位"),
    ],
)
def test_fmt_number(args: tuple[float, str], kwargs: dict[str, Any], expected: str) -> None:
    assert fmt.fmt_number(*args, **kwargs) == expected


def test_value_and_join_words_follow_the_house_spacing() -> None:
    """A space between a number and CJK text or a CJK unit, none before % and none between CJK words."""
    assert fmt.fmt_value(14, "位") == "第 14 位"
    assert fmt.fmt_value(3, "位", qualifier="approx") == "约第 3 位"
    assert fmt.fmt_value(11000, "万篇") == "1.1 亿篇"
    assert fmt.join_words("增至", "1.1 亿篇") == "增至 1.1 亿篇"
    assert fmt.join_words("增至", "超过 1.1 亿篇") == "增至超过 1.1 亿篇"
    assert fmt.join_words("下降", "-3%") == "下降 -3%"


def test_takeaway_growth_never_spaces_a_qualifier_word() -> None:
    frame = pd.DataFrame(
        {
            "indicator_id": ["x", "x"],
            "year": [2017, 2020],
            "value": [4123.0, 11000.0],
            "unit": ["万篇", "万篇"],
            "qualifier": ["lower_bound", "exact"],
        }
    )
    # a lower bound at the start can only shrink the true growth: an upper bound on it (不到)
    assert charts.takeaway_growth(frame) == "2017–2020 年由超过 4,123 万篇增至 1.1 亿篇，增长不到 1.7 倍"


@pytest.mark.parametrize(
    ("first_q", "last_q", "ending"),
    [
        ("lower_bound", "lower_bound", "，两端都是下限值，增幅无法精确计算"),
        ("upper_bound", "upper_bound", "，两端都是上限值，增幅无法精确计算"),
        ("exact", "lower_bound", "，增长超过 1.0 倍"),
        ("lower_bound", "exact", "，增长不到 1.0 倍"),
        ("upper_bound", "exact", "，增长超过 1.0 倍"),
        ("exact", "upper_bound", "，增长不到 1.0 倍"),
        ("approx", "lower_bound", "，增长约 1.0 倍"),
        ("exact", "exact", "，增长 1.0 倍"),
    ],
)
def test_takeaway_growth_bounds_follow_the_endpoints(first_q: str, last_q: str, ending: str) -> None:
    """超过 4 亿 → 超过 8 亿 is not "增长约 1 倍": bounds pulling opposite ways leave the growth open."""
    frame = pd.DataFrame(
        {"year": [2017, 2021], "value": [4.0, 8.0], "unit": ["亿人", "亿人"], "qualifier": [first_q, last_q]}
    )
    text = charts.takeaway_growth(frame)
    assert text.endswith(ending), text
    assert "由 超过" not in text and "由 约" not in text


def test_takeaway_growth_scales_values_and_bounds_a_decline() -> None:
    frame = pd.DataFrame(
        {
            "year": [2017, 2021],
            "value": [15500.0, 13900.0],
            "unit": ["亿元", "亿元"],
            "qualifier": ["exact", "lower_bound"],
        }
    )
    # 15,500 亿元 reads 1.55 万亿元; a lower bound at the end means the decline is at most 10.3%
    assert charts.takeaway_growth(frame) == "2017–2021 年由 1.55 万亿元降至超过 1.39 万亿元，下降不到 10.3%"


def test_fmt_number_refuses_unknown_qualifier_and_nan() -> None:
    with pytest.raises(ValueError, match="unknown qualifier 'about'"):
        fmt.fmt_number(1, "个", qualifier="about")
    with pytest.raises(ValueError, match="non-finite"):
        fmt.fmt_number(float("nan"), "个")


def test_scale_words_and_changes() -> None:
    assert fmt.fmt_scaled(123_456_789, "人") == "1.23 亿人"
    assert fmt.fmt_scaled(45_000, "个") == "4.5 万个"
    assert fmt.fmt_scaled(2.5e12, "元") == "2.5 万亿元"
    assert fmt.fmt_scaled(999, "个") == "999 个"
    assert fmt.rescale(34854, "万个") == (3.4854, "亿个")
    assert fmt.rescale(142.5, "万个") == (142.5, "万个")
    assert fmt.rescale(0.7218, "亿笔") == (pytest.approx(7218), "万笔")
    assert fmt.rescale(0.34, "万亿元") == (pytest.approx(3400), "亿元")
    assert fmt.rescale(1.5, "亿人") == (1.5, "亿人")
    assert fmt.fmt_pct(0.123) == "12.3%"
    assert fmt.fmt_change(9.89, 10.32, "亿人") == "增加 0.43 亿人"
    assert fmt.fmt_change(22, 17, "位") == "减少 5 位"
    assert fmt.fmt_change(5.0, 5.0, "位") == "持平"
    assert fmt.fmt_growth(100, 135.2) == "增长 35.2%"
    assert fmt.fmt_growth(1, 3.1) == "增长 2.1 倍"  # 增长 N 倍 = N + 1 times the base
    assert fmt.fmt_growth(10, 8) == "下降 20.0%"
    assert fmt.fmt_year_span(2017, 2021) == "2017–2021 年"
    with pytest.raises(ValueError, match="zero base"):
        fmt.fmt_growth(0, 1)


# -- house style ----------------------------------------------------------------------------------------


def test_house_config_font_palette_locale(series: pd.DataFrame) -> None:
    spec = charts.line_chart(series, title="网民规模").to_dict()
    config = spec["config"]
    assert config["font"].startswith('"Noto Sans CJK SC"') and config["font"].endswith("sans-serif")
    for section in ("axis", "legend", "header"):
        assert config[section]["labelFont"] == charts.FONT_STACK
    assert config["title"]["font"] == config["title"]["subtitleFont"] == charts.FONT_STACK
    assert config["range"]["category"] == list(charts.PALETTE)
    assert config["locale"]["number"] == {
        "decimal": ".",
        "thousands": ",",
        "grouping": [3],
        "currency": ["¥", ""],
    }


def test_styled_is_idempotent_and_chart_spec_deterministic(series: pd.DataFrame) -> None:
    a = json.dumps(charts.line_chart(series, title="网民规模").to_dict(), sort_keys=True, ensure_ascii=False)
    b = json.dumps(
        charts.line_chart(series.copy(), title="网民规模").to_dict(), sort_keys=True, ensure_ascii=False
    )
    assert a == b
    twice = charts.styled(charts.styled(charts.line_chart(series, title="x")))
    assert twice.to_dict()["config"] == charts.house_config() | twice.to_dict()["config"]


# -- builders -------------------------------------------------------------------------------------------


def test_line_chart_spec(series: pd.DataFrame) -> None:
    spec = charts.line_chart(series, title="网民规模", takeaway="要点").to_dict()
    assert spec["title"]["text"] == "网民规模"
    assert spec["title"]["subtitle"] == ["要点", charts.QUALIFIED_NOTE]
    line, points, labels = layers(spec)
    assert [mark_type(x) for x in (line, points, labels)] == ["line", "point", "text"]
    assert line["encoding"]["x"]["field"] == "year" and line["encoding"]["x"]["axis"]["format"] == "d"
    assert line["encoding"]["y"]["axis"]["title"] == "亿人"
    assert line["encoding"]["y"]["axis"]["format"] == ",~f"
    # qualified points are hollow: fill only when the value is exact
    fill = points["encoding"]["fill"]
    assert fill["condition"]["test"] == "datum._exact" and fill["value"] == "white"
    tips = {t["title"]: t["field"] for t in points["encoding"]["tooltip"]}
    assert {"数值", "年份", "来源"} <= set(tips)
    rows = dataset(spec)
    assert [r["_label"] for r in rows] == ["7.72 亿人", "9.89 亿人", "超过 10.32 亿人"]
    assert rows[0]["_source"] == "《数字中国建设发展报告（2017年）》"
    # end label only on the last point of the series
    assert labels["transform"] == [{"filter": "datum._end"}]
    assert [r["_end"] for r in rows] == [False, False, True]
    assert spec["width"] + 60 <= charts.WIDTH


def test_line_chart_refuses_mixed_units_and_bad_values(series: pd.DataFrame) -> None:
    mixed = pd.concat(
        [
            series,
            obs({"indicator_id": "bs", "name_zh": "5G基站", "unit": "万个", "year": 2021, "value": 142.5}),
        ]
    )
    with pytest.raises(ValueError, match=r"cannot mix units \['万个', '亿人'\]"):
        charts.line_chart(mixed, title="x")
    bad = series.copy()
    bad.loc[1, "value"] = None
    with pytest.raises(
        ValueError,
        match=r"line_chart: row 1 \(indicator_id=internet_users, region=全国, year=2020\): column 'value' is not a number",
    ):
        charts.line_chart(bad, title="x")
    no_year = series.astype({"year": "float"})
    no_year.loc[2, "year"] = float("nan")
    with pytest.raises(ValueError, match=r"line_chart: row 2 .*column 'year' is not a number"):
        charts.line_chart(no_year, title="x")
    with pytest.raises(ValueError, match="unknown value 'maybe'"):
        charts.line_chart(series.assign(qualifier="maybe"), title="x")
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['source_title'\]"):
        charts.line_chart(series.drop(columns="source_title"), title="x")


def test_line_chart_large_counts_get_wan_yi_labels() -> None:
    frame = obs({"year": 2020, "value": 3.2e8, "unit": "人"}, {"year": 2021, "value": 4.1e8, "unit": "人"})
    axis = layers(charts.line_chart(frame, title="x").to_dict())[0]["encoding"]["y"]["axis"]
    assert axis["labelExpr"] == charts.ZH_SCALE_LABEL_EXPR and "'亿'" in axis["labelExpr"]


def test_bar_ranking_spec() -> None:
    frame = obs(
        *[
            {"region": p, "year": 2021, "value": v, "unit": "万个"}
            for p, v in [("江苏", 13.0), ("广东", 17.1)]
        ],
        {"region": "浙江", "year": 2021, "value": 10.5, "unit": "万个", "qualifier": "approx"},
    )
    spec = charts.bar_ranking(frame, title="5G基站").to_dict()
    bars, labels = layers(spec)
    assert mark_type(labels) == "text" and labels["encoding"]["text"]["field"] == "_label"
    assert bars["encoding"]["y"]["sort"] == ["广东", "江苏", "浙江"]
    assert (
        bars["encoding"]["fillOpacity"]["condition"]["value"] == 1.0
        and bars["encoding"]["fillOpacity"]["value"] < 1
    )
    assert bars["encoding"]["strokeDash"]["value"] == [4, 2]
    assert [r["_label"] for r in dataset(spec)] == ["17.1 万个", "13 万个", "约 10.5 万个"]
    with pytest.raises(ValueError, match=r"bar_ranking: region \['广东'\] appear more than once"):
        charts.bar_ranking(pd.concat([frame, frame.iloc[[1]]]), title="x")


def test_small_multiples_spec(series: pd.DataFrame) -> None:
    other = obs(
        *[
            {"indicator_id": "bs", "name_zh": "5G基站", "unit": "万个", "year": y, "value": v}
            for y, v in [(2020, 71.8), (2021, 142.5)]
        ]
    )
    spec = charts.small_multiples(pd.concat([series, other]), title="小多图", columns=2).to_dict()
    assert spec["facet"]["field"] == "_panel" and spec["facet"]["sort"] == [
        "网民规模（亿人）",
        "5G基站（万个）",
    ]
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert spec["columns"] == 2
    assert spec["spec"]["width"] * 2 + 20 + 2 * 50 <= charts.WIDTH


def test_target_progress_statuses_and_spec() -> None:
    frame = pd.DataFrame(
        [
            {
                "name_zh": "宽带普及率",
                "unit": "%",
                "base_year": 2020,
                "base_value": 96,
                "latest_year": 2021,
                "latest_value": 100,
                "target_year": 2025,
                "target_value": 100,
            },
            {
                "name_zh": "5G用户普及率",
                "unit": "%",
                "base_year": 2020,
                "base_value": 15,
                "latest_year": 2021,
                "latest_value": 24,
                "target_year": 2025,
                "target_value": 56,
            },
            {
                "name_zh": "核心产业占比",
                "unit": "%",
                "base_year": 2020,
                "base_value": 7.8,
                "latest_year": 2021,
                "latest_value": 7.9,
                "target_year": 2025,
                "target_value": 10,
                "qualifier": "approx",
            },
            {
                "name_zh": "单位能耗",
                "unit": "吨",
                "base_year": 2020,
                "base_value": 10,
                "latest_year": 2021,
                "latest_value": 8,
                "target_year": 2025,
                "target_value": 5,
                "comparator": "<=",
            },
        ]
    ).assign(source_title="“十四五”国家信息化规划", edition_year=2020)
    tf = charts.target_frame(frame)
    assert tf["progress"].round(3).tolist() == [1.0, round(9 / 41, 3), round(0.1 / 2.2, 3), 0.4]
    assert tf["time_share"].tolist() == [0.2, 0.2, 0.2, 0.2]
    # Without a scorecard status the chart's fallback rule uses the scorecard's names.
    assert tf["status"].tolist() == ["已达成", "符合进度", "落后", "符合进度"]
    assert charts.takeaway_targets(frame) == "4 项指标中 1 项已达成，2 项符合进度，1 项落后"
    spec = charts.target_progress(frame, title="目标").to_dict()
    bar = layers(spec)[1]
    assert (
        bar["encoding"]["x"]["scale"]["domain"] == [0, 1] and bar["encoding"]["x"]["axis"]["format"] == "~%"
    )
    assert bar["encoding"]["color"]["scale"]["domain"] == ["已达成", "符合进度", "落后"]
    assert bar["encoding"]["color"]["scale"]["range"] == [
        charts.STATUS_COLORS[s] for s in ("已达成", "符合进度", "落后")
    ]
    rows = dataset(spec)
    assert rows[2]["_path"] == "7.8% → 约 7.9% → 10%"
    assert spec["height"] == 36 * 4
    with pytest.raises(ValueError, match=r"unknown value\(s\) \['done'\]"):
        charts.target_frame(frame.assign(status="done"))


def test_status_colors_cover_every_drawable_scorecard_status() -> None:
    """One colour scale for every target chart: the scorecard's statuses, in its order, minus 无数据."""
    extra = ["中途达标", "口径待核", "无法判定"]  # verdicts once the target year has passed
    assert list(charts.STATUS_COLORS) == [s for s in targets.STATUSES if s != "无数据"] + extra
    assert set(charts.STATUS_COLORS) == set(targets.VERDICTS) - {"无数据"}
    assert len(set(charts.STATUS_COLORS.values())) == len(charts.STATUS_COLORS)


def test_target_progress_draws_all_six_statuses_with_the_scorecard_progress() -> None:
    statuses = [s for s in targets.STATUSES if s != "无数据"]
    frame = pd.DataFrame(
        [
            {
                "name_zh": f"指标{i}",
                "unit": "位" if i == 0 else "%",
                "base_year": 2015,
                "base_value": 10.0,
                "latest_year": 2018,
                "latest_value": 20.0,
                "target_year": 2020,
                "target_value": 30.0,
                "status": status,
                "progress": 0.1 * (i + 1),
                "source_title": "报告",
                "edition_year": 2020,
            }
            for i, status in enumerate(statuses)
        ]
    )
    tf = charts.target_frame(frame)
    # Given statuses and progress win over the chart's own rule (which would say 符合进度, 0.5).
    assert tf["status"].tolist() == statuses
    assert tf["progress"].round(2).tolist() == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert tf["time_share"].round(2).tolist() == [0.6] * 5
    spec = charts.target_progress(frame, title="目标").to_dict()
    scale = layers(spec)[1]["encoding"]["color"]["scale"]
    assert scale["domain"] == statuses and scale["range"] == [charts.STATUS_COLORS[s] for s in statuses]
    rows = dataset(spec)
    assert rows[0]["_path"] == "第 10 位 → 第 20 位 → 第 30 位"  # ranks read as ordinals
    assert (
        charts.takeaway_targets(frame)
        == "5 项指标中 1 项已达成，1 项进度领先，1 项符合进度，1 项落后，1 项未达成"
    )
    with pytest.raises(ValueError, match="滞后于进度"):
        charts.target_frame(frame.assign(status="滞后于进度"))


def test_tile_map_spec() -> None:
    frame = pd.DataFrame(
        [
            {"province": "北京", "col": 7, "row": 1, "tier": "第一梯队", "score": 90.0},
            {"province": "上海", "col": 8, "row": 4, "tier": "第二梯队", "score": 80.0},
            {"province": "西藏", "col": 1, "row": 4, "tier": None, "score": None},
        ]
    ).assign(source_title="数字中国发展报告（2021年）", edition_year=2021, unit="分")
    spec = charts.tile_map(
        frame, title="梯队", category="tier", category_order=["第一梯队", "第二梯队", "第三梯队"]
    ).to_dict()
    tiles, names = layers(spec)
    assert names["encoding"]["text"]["field"] == "province"
    assert mark_type(tiles) == "rect" and tiles["encoding"]["x2"]["field"] == "_x2"
    assert tiles["encoding"]["color"]["condition"]["scale"]["domain"] == ["第一梯队", "第二梯队", "第三梯队"]
    assert tiles["encoding"]["color"]["value"] == charts.MISSING_COLOR
    assert tiles["encoding"]["y"]["scale"]["reverse"] is True
    rows = {r["province"]: r for r in dataset(spec)}
    assert rows["西藏"]["_has"] is False and rows["西藏"]["_label"] == "无数据"
    assert spec["width"] == spec["height"] * 9 / 5  # square tiles: 9 columns, 5 rows
    spec = charts.tile_map(frame, title="得分", value="score").to_dict()
    assert layers(spec)[0]["encoding"]["color"]["condition"]["scale"]["scheme"] == "blues"
    assert {r["province"]: r["_label"] for r in dataset(spec)}["北京"] == "90 分"
    with pytest.raises(ValueError, match="exactly one of value= or category="):
        charts.tile_map(frame, title="x")
    with pytest.raises(ValueError, match=r"categories \['第二梯队'\] are not in category_order"):
        charts.tile_map(frame, title="x", category="tier", category_order=["第一梯队"])


@pytest.fixture
def ranks() -> pd.DataFrame:
    data = {"广东": (1, 1), "北京": (2, 3), "浙江": (5, 2), "上海": (3, 4), "江苏": (4, 5)}
    return pd.DataFrame(
        [
            {
                "region": p,
                "year": y,
                "rank": r,
                "source_title": "数字中国发展报告（2021年）",
                "edition_year": 2021,
            }
            for p, rs in data.items()
            for y, r in zip((2017, 2021), rs, strict=True)
        ]
    )


def test_bump_chart_spec(ranks: pd.DataFrame) -> None:
    spec = charts.bump_chart(ranks, title="排名", highlight=["浙江", "北京"]).to_dict()
    lines, points, ends = layers(spec)
    assert ends["transform"] == [{"filter": "datum._end"}] and ends["encoding"]["text"]["field"] == "region"
    assert lines["encoding"]["y"]["scale"]["reverse"] is True
    assert lines["encoding"]["color"]["scale"]["domain"] == ["浙江", "北京", "其他"]
    assert lines["encoding"]["color"]["scale"]["range"][-1] == charts.OTHER_COLOR
    rows = dataset(spec)
    assert {r["region"] for r in rows if r["_end"]} == {"浙江", "北京"}
    assert {t["title"] for t in points["encoding"]["tooltip"]} == {"地区", "年份", "排名", "来源"}
    with pytest.raises(ValueError, match=r"highlight \['西藏'\] not found"):
        charts.bump_chart(ranks, title="x", highlight=["西藏"])


# -- takeaways ------------------------------------------------------------------------------------------


def test_takeaways_on_known_data(series: pd.DataFrame, ranks: pd.DataFrame) -> None:
    assert charts.takeaway_growth(series) == "2017–2021 年由 7.72 亿人增至超过 10.32 亿人，增长超过 33.7%"
    exact = series.assign(qualifier="exact")
    assert charts.takeaway_growth(exact) == "2017–2021 年由 7.72 亿人增至 10.32 亿人，增长 33.7%"
    doubled = obs({"year": 2017, "value": 2.0}, {"year": 2021, "value": 6.2})
    assert charts.takeaway_growth(doubled).endswith("增长 2.1 倍")
    assert charts.takeaway_latest(exact) == "最新值 10.32 亿人（2021 年），较 2020 年增加 0.43 亿人"
    assert charts.takeaway_latest(series) == "最新值超过 10.32 亿人（2021 年），较 2020 年约增加 0.43 亿人"
    latest = ranks[ranks["year"] == 2021].assign(value=lambda d: 10 - d["rank"], unit="分")
    assert charts.takeaway_ranking(latest) == "广东居首（9 分），前 3 位为广东、浙江、北京"
    assert charts.takeaway_bump(ranks) == "2017–2021 年上升最多：浙江（第 5 位 → 第 2 位）"
    tiles = pd.DataFrame({"province": ["北京", "上海", "西藏"], "tier": ["第一梯队", "第一梯队", "第三梯队"]})
    assert charts.takeaway_tiles(tiles, "tier") == "第一梯队 2 个省份：北京、上海"
    with pytest.raises(ValueError, match="expects one series"):
        charts.takeaway_growth(pd.concat([series, series.assign(region="北京")]))


def test_source_line_lists_each_document_once(series: pd.DataFrame) -> None:
    assert charts.source_line(pd.concat([series, series])) == (
        "来源：《数字中国建设发展报告（2017年）》；《数字中国发展报告（2020年）》；"
        "《数字中国发展报告（2021年）》"
    )


def test_takeaway_growth_spaces_a_latin_unit_from_the_verb() -> None:
    frame = pd.DataFrame({"year": [2016, 2017], "value": [6.3, 7.0], "unit": ["Tbps", "Tbps"]})
    assert charts.takeaway_growth(frame) == "2016–2017 年由 6.3 Tbps 增至 7 Tbps，增长 11.1%"
