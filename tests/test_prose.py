"""The template engine (dcbook.prose): filters, strictness, escaping, typesetting, notebook rendering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dcbook import REPO_ROOT, charts, fmt, render
from dcbook import facts as F
from dcbook.prose import engine, filters
from dcbook.prose.engine import Facts, ProseError
from dcbook.prose.notebook import PAYLOAD_MIME, render_notebook

TEMPLATES = REPO_ROOT / "book" / "_templates"


def val(value: float, unit: str = "亿户", qualifier: str = "exact", year: int = 2021, **kw: Any) -> F.Value:
    return F.Value(indicator=kw.pop("indicator", "x"), name=kw.pop("name", "测试指标"), value=value, unit=unit,
                   qualifier=qualifier, year=year, **kw)  # fmt: skip


def rt(source: str, facts: dict[str, Any] | None = None, **ctx: Any) -> str:
    env = engine.environment(TEMPLATES)
    return engine.render_text(env, source, {"f": Facts(facts or {}), **ctx}, where="test")


# ---- filters ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("v", "value", "be"),
    [
        (val(9.89, "亿人"), "9.89 亿人", "为 9.89 亿人"),
        (val(3, "万件", "lower_bound"), "超过 3 万件", "超过 3 万件"),
        (val(33, "万家", "approx"), "约 33 万家", "约为 33 万家"),
        (val(5, "%", "upper_bound"), "不到 5%", "不到 5%"),
        (val(14, "位"), "第 14 位", "为第 14 位"),
        (val(34854, "万户"), "3.4854 亿户", "为 3.4854 亿户"),
    ],
)
def test_value_and_be_carry_qualifier_unit_and_scale(v: F.Value, value: str, be: str) -> None:
    assert filters.value(v) == value
    assert filters.be(v) == be


def test_named_does_not_say_the_counter_twice() -> None:
    v = val(500, "亿次", "lower_bound", name="全国使用健康码人次")
    assert filters.named(v) == "全国使用健康码超过 500 亿人次"


def test_year_of_a_period_figure_names_the_period() -> None:
    assert filters.year(val(1, start_year=2017)) == "2017–2021 年"
    assert filters.year(val(1)) == "2021 年"
    assert filters.year(2019) == "2019 年"


def test_growth_bounds_follow_the_ends() -> None:
    up = F.change_of(val(100, "万户"), val(150, "万户", "lower_bound"))
    assert up.bound == F.LOWER and filters.growth(up) == "超过 50.0%"
    down = F.change_of(val(100, "万户"), val(80, "万户", "lower_bound"))
    assert down.bound == F.UPPER and filters.growth(down) == "不到 20.0%"  # the fall is at most 20%
    both = F.change_of(val(100, "万户", "lower_bound"), val(150, "万户", "lower_bound"))
    assert both.bound == F.OPEN and filters.is_open(both)
    with pytest.raises(filters.FactError, match="open"):
        filters.growth(both)


def test_near_travels_with_its_direction() -> None:
    """近 (just under): the value reads 近; a growth to it from an exact start is 近 and never rounded down
    past it; a fall to it, a growth from it, or its complement is only approximate (rule 2, issue 14)."""
    v = val(33, "万家", "near")
    assert fmt.fmt_value(33, "万家", qualifier="near") == "近 33 万家" and filters.be(v) == "近 33 万家"
    up = F.change_of(val(27.5, "万家"), v)
    assert up.bound == F.NEAR and filters.growth(up) == "近 20.0%"  # 33 / 27.5 = 1.2 exactly
    assert filters.growth(F.change_of(val(27.6, "万家"), v)) == "近 19.6%"  # 19.565…: raised, not 19.5
    assert F.change_of(val(40, "万家"), v).bound == F.APPROX  # a fall to 近 33 is at least 17.5 %
    assert F.change_of(v, val(40, "万家")).bound == F.APPROX
    assert F.complement(val(90, "%", "near"), "x", "x").qualifier == F.APPROX
    assert F.claim_holds(0.196, 20, F.NEAR) and not F.claim_holds(0.201, 20, F.NEAR)


def test_growth_from_a_doubling_reads_in_times_floored_for_a_lower_bound() -> None:
    c = F.change_of(val(640, "万户"), val(3456, "万户"))
    assert filters.growth(c) == "4.4 倍"  # 3456 / 640 = 5.4: 增长 4.4 倍
    bound = F.change_of(val(100, "万户"), val(266, "万户", "lower_bound"))
    assert filters.growth(bound) == "超过 1.6 倍"  # 1.66 is never rounded up past the bound


def test_points_take_the_precision_of_their_inputs() -> None:
    c = F.change_of(val(56, "%"), val(72, "%"))
    assert filters.pp(c) == "16 个百分点"
    g = F.gap(val(9.38, "%"), val(97.2, "%"))
    assert filters.pp(g) == "87.82 个百分点"
    assert filters.pp(8.68, 1) == "8.7 个百分点"
    assert filters.is_flat(F.change_of(val(72, "%"), val(72, "%")))


def test_ratio_from_a_lower_bound_is_floored() -> None:
    r = F.ratio(val(60, "万个", "lower_bound"), val(7, "万个"))
    assert r is not None and r.bound == F.LOWER
    assert filters.ratio(r) == "超过 8.5 倍"  # 8.571… floored, not 8.6


def test_rate_goal_date_quoted_listing_cite_title() -> None:
    assert filters.rate(0.316) == "31.6%" and filters.rate(4.4) == "4.4 倍"
    p = F.Pace("fyp14", "“十四五”规划", "x", "千兆用户", "万户", ">=", 2025, 6000, 2020, 640, None, "进度领先",
               "进度领先", 4.4, 0.565, 0.148, None, False)  # fmt: skip
    assert filters.goal(p) == "2025 年不低于 6,000 万户"
    assert filters.date("2021-09") == "2021 年 9 月"
    assert filters.quoted("“十四五”规划") == "“‘十四五’规划”"
    assert filters.listing(["A", "B", "C"]) == "A、B和C"
    src = F.Source("dcr2017", "报告", "yearly_report", "网信办", "2018-05", 2017)
    assert filters.cite([src, "fyp14_plan"]) == "{cite:p}`dcr2017,fyp14_plan`"
    assert filters.title(src) == "《报告》"


# ---- strictness ------------------------------------------------------------------------------------------


def test_a_missing_fact_is_false_and_cannot_be_printed() -> None:
    facts = {"gigabit": None, "users": val(1)}
    assert rt("{% if f.gigabit %}千兆{% else %}无{% endif %}", facts) == "无"
    assert rt("{% if f.gigabit.change %}变{% endif %}完", facts) == "完"
    with pytest.raises(ProseError, match=r"f\.gigabit has no value"):
        rt("{{ f.gigabit | value }}", facts)
    with pytest.raises(ProseError, match=r"f\.gigabit has no value"):
        rt("{{ f.gigabit }}", facts)


def test_an_unknown_fact_fails_at_once_with_a_suggestion() -> None:
    with pytest.raises(ProseError, match=r"unknown fact f\.gigabti; did you mean gigabit"):
        rt("{% if f.gigabti %}x{% endif %}", {"gigabit": None})


def test_errors_name_the_place_and_line() -> None:
    with pytest.raises(ProseError, match=r"^test, line 2: "):
        rt("第一行\n{{ f.nope }}", {})
    with pytest.raises(ProseError, match=r"^test, line 1: .*endif"):
        rt("{% if f.x %}没有结束", {"x": 1})


def test_a_bare_float_or_an_object_is_refused() -> None:
    with pytest.raises(ProseError, match="without a filter"):
        rt("{{ f.v.value }}", {"v": val(9.89)})
    with pytest.raises(ProseError, match="Value printed as text"):
        rt("{{ f.v }}", {"v": val(9.89)})
    assert rt("{{ f.v.year }} 年", {"v": val(9.89)}) == "2021 年"


def test_text_from_the_data_is_escaped_for_markdown() -> None:
    v = val(1, name="<script>alert(1)</script>{glue}`x` **粗**")
    out = rt("{{ f.v.name }}{{ f.v | named }}", {"v": v})
    assert "<script>" not in out and "**" not in out and "{glue}" not in out
    assert out.startswith("\\<script\\>alert\\(1\\)\\<\\/script\\>\\{glue\\}\\`x\\` \\*\\*粗\\*\\*")


# ---- typesetting -----------------------------------------------------------------------------------------


def test_control_lines_leave_no_trace_and_inline_tags_keep_the_line_break() -> None:
    src = "甲。\n{% if f.a %}\n乙。\n{% endif %}\n\n丙{% if f.a %}丁{% endif %}\n:::\n"
    assert rt(src, {"a": 1}) == "甲。乙。\n\n丙丁\n:::"
    assert rt(src, {"a": None}) == "甲。\n\n丙\n:::"


def test_tidy_removes_spaces_between_cjk_and_joins_cjk_lines() -> None:
    assert (
        engine.tidy("增至 超过 3 万件，由 7.72 亿人 增至 10 亿人")
        == "增至超过 3 万件，由 7.72 亿人增至 10 亿人"
    )
    assert engine.tidy("第一句。\n第二句。\n\n\n\n## 标题\n正文") == "第一句。第二句。\n\n## 标题\n正文"
    assert engine.tidy("- 项目一\n- 项目二") == "- 项目一\n- 项目二"
    assert engine.tidy(":title: 标题\n副标题") == ":title: 标题\n副标题"


def test_shared_phrases_word_a_trend_and_a_pace() -> None:
    first = val(640, "万户", year=2020, name="千兆光纤接入用户数")
    last = val(3456, "万户", year=2021, name="千兆光纤接入用户数")
    series = F.Series("gigabit", "千兆光纤接入用户数", "万户", (first, last), F.change_of(first, last))
    out = rt("{{ trend(f.s) }}。", {"s": series})
    assert out == "千兆光纤接入用户数 2020–2021 年由 640 万户增至 3,456 万户，增长 4.4 倍。"
    one = F.Series("gigabit", "千兆光纤接入用户数", "万户", (first,), None)
    assert rt("{{ trend(f.s) }}。", {"s": one}) == "2020 年千兆光纤接入用户数为 640 万户。"
    p = F.Pace("fyp14", "“十四五”规划", "x", "千兆用户", "万户", ">=", 2025, 6000, 2020, 640, last, "进度领先",
               "进度领先", 0.039, 0.039, 0.1, None, False)  # fmt: skip
    assert "与之持平" in rt("{{ pace(f.p) }}", {"p": p})  # same printed rate: never 快于/慢于


# ---- notebook rendering ----------------------------------------------------------------------------------


def _figure() -> render.Figure:
    frame = pd.DataFrame(
        {
            "indicator_id": ["x", "x"], "name_zh": ["测试", "测试"], "year": [2020, 2021], "value": [1.0, 2.0],
            "unit": ["万户", "万户"], "qualifier": ["exact", "exact"], "source_title": ["报告", "报告"],
            "edition_year": [2021, 2021],
        }
    )  # fmt: skip
    return render.figure(charts.line_chart(frame))


def _notebook(*markdown: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    cells: list[dict[str, Any]] = [
        {"cell_type": "code", "id": "setup", "metadata": {}, "source": "ch = setup()", "execution_count": 1,
         "outputs": [{"output_type": "display_data", "metadata": {}, "data": {PAYLOAD_MIME: payload}}]
         if payload is not None else []},
    ]  # fmt: skip
    cells += [
        {"cell_type": "markdown", "id": f"m{i}", "metadata": {}, "source": m} for i, m in enumerate(markdown)
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _payload(**facts: Any) -> dict[str, Any]:
    return {
        "chapter": "test",
        "edition": 2021,
        "facts": F.encode(facts),
        "book": {},
        "figures": {"trend": _figure().payload(), "none": None},
        "tables": {"t": {"text/html": "<table></table>", "text/plain": "t"}},
    }


def test_a_chart_directive_becomes_a_titled_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DCBOOK_DOWNLOADS_DIR", str(tmp_path))
    nb = _notebook(
        "前文。\n\n:::{chart} trend\n:title: 测试图\n{{ f.v | value }}以后\n:::\n\n后文。",
        payload=_payload(v=val(2, "万户")),
    )
    out = render_notebook(nb, TEMPLATES, where="t")
    kinds = [c["cell_type"] for c in out["cells"]]
    assert kinds == ["code", "markdown", "code", "markdown"]
    assert out["cells"][0]["outputs"] == []  # the payload is taken out
    chart = out["cells"][2]
    html = chart["outputs"][0]["data"]["text/html"]
    assert "测试图" in html and "2 万户以后" in html and "dc-chart-test-trend" in html
    assert (tmp_path / "dc-chart-test-trend.csv").is_file()
    assert "remove-input" in chart["metadata"]["tags"]


def test_a_chart_title_and_subtitle_show_data_text_literally() -> None:
    """Names from the data are escaped for Markdown in prose; a chart's title and subtitle are plain text (drawn
    by Vega, typeset from text), so they carry the name itself, without the backslashes."""
    evil = "<b>x</b> **粗** $x$ \\textbf{x} % # _ &"
    nb = _notebook(
        ":::{chart} trend\n:title: {{ f.v.name }}图\n{{ f.v | named }}以后\n:::",
        payload=_payload(v=val(2, "万户", name=evil)),
    )
    out = render_notebook(nb, TEMPLATES, where="t", draw=False)
    assert out["cells"][1]["outputs"][0]["data"]["text/plain"].split("\n")[0] == evil + "图"
    assert evil in out["cells"][1]["outputs"][0]["data"]["text/plain"].split("\n")[1]


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        (":::{chart} nope\n:title: x\n:::", "not one of the chapter's charts"),
        (":::{chart} none\n:title: x\n:::", "no data in this edition"),
        (":::{chart} trend\n副标题\n:::", "needs a :title:"),
        (":::{data-table} t\n:caption: x\n:::", "takes no options"),
        ("{{ f.nope }}", "unknown fact"),
    ],
)
def test_directive_and_template_errors_name_the_cell(markdown: str, message: str) -> None:
    nb = _notebook("第一格。", markdown, payload=_payload())
    with pytest.raises(ProseError, match=message) as info:
        render_notebook(nb, TEMPLATES, where="edition 2021, chapter book/x", draw=False)
    assert str(info.value).startswith("edition 2021, chapter book/x, cell 2")
    assert info.value.cell == 2  # type: ignore[attr-defined]


def test_a_cell_that_renders_empty_is_dropped_and_a_table_is_placed() -> None:
    nb = _notebook(
        "{% if f.none %}## 空节\n{% endif %}", ":::{data-table} t\n:::", payload=_payload(none=None)
    )
    out = render_notebook(nb, TEMPLATES, where="t", draw=False)
    assert [c["cell_type"] for c in out["cells"]] == ["code", "code"]
    assert out["cells"][1]["outputs"][0]["data"]["text/html"] == "<table></table>"


def test_templates_without_a_payload_are_an_error() -> None:
    with pytest.raises(ProseError, match="no setup cell published facts"):
        render_notebook(_notebook("{{ f.x }}"), TEMPLATES, where="t")
    plain = _notebook("没有模板。")
    assert render_notebook(json.loads(json.dumps(plain)), TEMPLATES, where="t") == plain


def test_facts_survive_the_json_boundary() -> None:
    first, last = val(1, "%", "lower_bound", year=2020, start_year=2016), val(2, "%", year=2021)
    facts = {"s": F.Series("x", "测试", "%", (first, last), F.change_of(first, last)), "n": 3, "none": None}
    back = F.decode(json.loads(json.dumps(F.encode(facts))))
    assert back == facts


# ---- bounds of rates and of falls in points (fixed with chapters 07–08) ------------------------------------


def test_a_rate_from_a_bounded_end_carries_the_bound_and_is_never_rounded_past_it() -> None:
    # one year: CAGR = 10 / 3.76 − 1 = 1.66 → more than 1.6 倍 (1.7 would overstate what the bound allows)
    up = F.change_of(val(3.76, "亿", year=2020), val(10, "亿", "lower_bound"))
    assert filters.rate(up) == "超过 1.6 倍"
    best = F.Fastest(F.Series("x", "测试指标", "亿", (up.first, up.last), up), up.cagr or 0, 2)
    assert filters.rate(best) == "超过 1.6 倍"
    below = F.change_of(val(100, "万户", year=2020), val(130.04, "万户", "upper_bound"))  # 30.04 % at most
    assert filters.rate(below) == "不到 30.1%"
    exact = F.change_of(val(100, "万户", year=2019), val(121, "万户"))  # 1.21 ** 0.5 − 1 = 10 %
    assert filters.rate(exact) == "10.0%"


def test_points_of_a_fall_flip_the_bound_of_the_difference() -> None:
    # 20.4 → more than 14.1: the gap fell by less than 6.3 points
    fall = F.change_of(val(20.4, "个百分点", year=2017), val(14.1, "个百分点", "lower_bound", year=2020))
    assert filters.pp(fall) == "不到 6.3 个百分点"
    rise = F.change_of(val(50.3, "%", year=2015), val(70, "%", "lower_bound", year=2020))
    assert filters.pp(rise) == "超过 19.7 个百分点"
