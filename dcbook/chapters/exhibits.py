"""What chapter modules share to build their exhibits: chart frames, untitled charts, the plan chart,
the headline figures of the check cells.

Charts are returned untitled (a :class:`dcbook.render.Figure` or ``None`` where the edition lacks the data);
the chapter's template places each with a ``chart`` directive that gives its title and subtitle, and says
what is missing where a chart is ``None``. Frames keep the data contract's columns (``value``, ``unit``,
``qualifier``, ``year``, ``source_title``, ``edition_year`` …) so every builder of :mod:`dcbook.charts`
can draw them and the CSV download lists them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from dcbook import charts, fmt, render, targets
from dcbook import facts as F
from dcbook.milestones import CATEGORY_NAMES

#: Printed by a check cell for a headline figure the edition does not have.
NO_VALUE = "—"


# ----------------------------------------------------------------------------------------------------------
# Frames


def series_frame(ds: Any, indicator_id: str, region: str = "全国") -> pd.DataFrame:
    """Resolved series sorted by year (empty frame without data)."""
    s = ds.series(indicator_id, region)
    return s.sort_values("year", kind="stable").reset_index(drop=True) if s is not None else pd.DataFrame()


def chart_frame(ds: Any, indicator_ids: Sequence[str], region: str = "全国") -> pd.DataFrame:
    """Resolved rows of several indicators stacked for a chart (only those with data)."""
    parts = [series_frame(ds, ind, region) for ind in indicator_ids]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def multi_year_frame(ds: Any, indicator_ids: Sequence[str], region: str = "全国") -> pd.DataFrame:
    """Like :func:`chart_frame` but only indicators observed in two or more years (a trend needs two)."""
    keep = [i for i in indicator_ids if len(series_frame(ds, i, region)) >= 2]
    return chart_frame(ds, keep, region)


def latest_frame(
    ds: Any,
    indicator_ids: Sequence[str],
    region: str = "全国",
    *,
    labels: Mapping[str, str] | None = None,
    column: str = "item",
) -> pd.DataFrame:
    """One latest row per indicator (those with data), for bar charts comparing indicators; with ``labels``
    (indicator → bar label) the label goes into ``column``."""
    rows = [ds.latest(ind, region) for ind in indicator_ids]
    rows = [r for r in rows if r is not None]
    frame = pd.DataFrame(rows).reset_index(drop=True) if rows else pd.DataFrame()
    if labels is not None and not frame.empty:
        frame[column] = [labels[i] for i in frame["indicator_id"]]
    return frame


def item_frame(
    ds: Any, indicator_ids: Sequence[str], labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """:func:`latest_frame` with an ``item`` bar label "名称（2021 年）" (``labels`` replaces the name)."""
    frame = latest_frame(ds, indicator_ids)
    if frame.empty:
        return frame
    names = [labels[i] for i in frame["indicator_id"]] if labels is not None else frame["name_zh"]
    frame["item"] = [f"{n}（{int(y)} 年）" for n, y in zip(names, frame["year"], strict=True)]
    return frame


def label_frame(ds: Any, indicator_ids: Sequence[str], unit: str | None = None) -> pd.DataFrame:
    """Latest row of each indicator (optionally only those in ``unit``), labelled "年份·名称" for bars
    (year first, so a truncated axis label still shows it)."""
    rows = []
    for ind in indicator_ids:
        row = ds.latest(ind)
        if row is None or (unit is not None and _unit(row) != unit):
            continue
        r = row.copy()
        r["label"] = f"{int(r['year'])}·{r['name_zh']}"
        rows.append(r)
    return pd.DataFrame(rows).reset_index(drop=True) if rows else pd.DataFrame()


def rank_frame(ds: Any, labels: Mapping[str, str], column: str) -> pd.DataFrame:
    """Rank series (unit 位) as a bump-chart frame: one line per indicator, named ``labels[id]`` in ``column``."""
    parts = []
    for ind, label in labels.items():
        s = series_frame(ds, ind)
        if s.empty:
            continue
        out = s[["year", "value", "source_title", "edition_year"]].copy()
        out[column] = label
        out["rank"] = out["value"].astype(int)
        parts.append(out.drop(columns="value"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _unit(row: Any) -> str:
    u = row.get("unit")
    return "" if u is None or (isinstance(u, float) and pd.isna(u)) else str(u)


# ----------------------------------------------------------------------------------------------------------
# Charts (untitled; None where the frame cannot carry the chart)


def chart(
    frame: pd.DataFrame,
    builder: Callable[..., Any],
    *,
    min_rows: int = 1,
    min_years: int = 1,
    **kwargs: Any,
) -> render.Figure | None:
    """``builder(frame)`` as an untitled figure, or None when ``frame`` has too few rows or years."""
    years = frame["year"].nunique() if "year" in frame.columns else 0
    if len(frame) < min_rows or (min_years > 1 and years < min_years):
        return None
    return render.figure(builder(frame, **kwargs))


def trend_chart(frame: pd.DataFrame) -> render.Figure | None:
    """A line chart of series with two or more years (None below two years)."""
    return chart(frame, charts.line_chart, min_years=2)


def bars(frame: pd.DataFrame, by: str = "label") -> render.Figure | None:
    """Bars of one value per label; fewer than two bars compare nothing (None)."""
    return chart(frame, charts.bar_ranking, min_rows=2, by=by)


def rank_chart(frame: pd.DataFrame, **kwargs: Any) -> render.Figure | None:
    """A bump chart of ranks over two or more years (None otherwise)."""
    if frame.empty or frame["year"].nunique() < 2:
        return None
    return render.figure(charts.bump_chart(frame, **kwargs))


def plan_chart_frame(ds: Any, card: pd.DataFrame) -> pd.DataFrame:
    """Scorecard rows that have data, in the shape :func:`dcbook.charts.target_progress` draws; the
    verdict is drawn, so the chart and the prose never disagree."""
    if card.empty:
        return pd.DataFrame()
    rows = card.copy()
    if "verdict" in rows.columns:
        rows["status"] = rows["verdict"]
    rows = rows[rows["status"].isin(list(charts.STATUS_COLORS))]
    if rows.empty:
        return pd.DataFrame()
    src = ds.sources.set_index("source_id")
    short = [targets.PLAN_SHORT.get(p, p) for p in rows["plan"]]
    rows["name_zh"] = [f"{n}（{p}）" for n, p in zip(rows["name_zh"], short, strict=True)]
    rows["qualifier"] = rows["latest_qualifier"].fillna("exact")
    rows["source_title"] = [src.at[s, "title"] for s in rows["latest_source_id"]]
    rows["edition_year"] = [src.at[s, "edition_year"] for s in rows["latest_source_id"]]
    keep = [
        "indicator_id", "name_zh", "unit", "base_year", "base_value", "latest_year", "latest_value",
        "target_year", "target_value", "comparator", "qualifier", "status", "source_id", "source_title",
        "edition_year",
    ]  # fmt: skip
    rows["source_id"] = rows["latest_source_id"]
    if "progress_pct" in rows.columns:  # the scorecard's own progress: chapter charts and chapter 12 agree
        rows["progress"] = pd.to_numeric(rows["progress_pct"], errors="coerce") / 100
        keep.append("progress")
    return rows[keep].reset_index(drop=True)


def plan_chart(ds: Any, domains: Sequence[str]) -> render.Figure | None:
    """The progress chart of a chapter's plan targets (six statuses), None when none has data."""
    return chart(plan_chart_frame(ds, F.plan_frame(ds, domains)), charts.target_progress)


# ----------------------------------------------------------------------------------------------------------
# Check cells


def value_text(ds: Any, indicator_id: str, region: str = "全国") -> str:
    """Latest value as readers see it ("超过 3 万件", "第 12 位"), or :data:`NO_VALUE`."""
    row = ds.latest(indicator_id, region)
    if row is None:
        return NO_VALUE
    q = row.get("qualifier")
    q = "exact" if q is None or (isinstance(q, float) and pd.isna(q)) or q == "" else str(q)
    return fmt.fmt_value(float(row["value"]), _unit(row), qualifier=q)


def headline_values(ds: Any, indicator_ids: Sequence[str]) -> dict[str, str]:
    """What a chapter's check cell prints: the edition, then each indicator's latest value."""
    return {"edition": str(ds.edition)} | {i: value_text(ds, i) for i in indicator_ids}


# ----------------------------------------------------------------------------------------------------------
# Chapters 07–08: what each source gives (thin-data chapters), bars labelled by source


#: Short labels of the documents that are not yearly reports, for chart rows.
KIND_SHORT: dict[str, str] = {"plan": "“十四五”信息化规划", "interpretation": "规划纲要解读"}


def short_source(title: str, kind: str) -> str:
    """A short label for a source in chart rows: "2021 年度报告", "“十四五”信息化规划"."""
    m = re.search(r"（(\d{4})年）", str(title))
    if kind == "yearly_report" and m:
        return f"{m.group(1)} 年度报告"
    return KIND_SHORT.get(str(kind), str(title)[:14])


def coverage_frame(coverage: Sequence[F.Coverage]) -> pd.DataFrame:
    """:func:`dcbook.facts.coverage` as bars: one row per source (and group, when there are several),
    labelled "2021 年度报告·数字文化", in the data contract's columns (``value`` in 项)."""
    rows = []
    for c in coverage:
        label = short_source(c.source.title, c.source.kind)
        parts = list(c.groups.items()) if len(c.groups) > 1 else [("", c.total)]
        for group, n in parts:
            rows.append(
                {
                    "label": f"{label}·{group}" if group else label,
                    "value": float(n),
                    "unit": "项",
                    "qualifier": F.EXACT,
                    "source_title": c.source.title,
                    "edition_year": c.source.edition_year,
                }
            )
    return pd.DataFrame(rows, columns=["label", "value", "unit", "qualifier", "source_title", "edition_year"])


# ----------------------------------------------------------------------------------------------------------
# Timelines (01 总览; the milestone chart of 09 网络安全与数字治理 and 10 国际合作 too)

#: The note a timeline's subtitle carries when some dates are years only (drawn hollow on 1 January).
YEAR_ONLY_NOTE = "空心点：资料只给出年份，画在该年年初"


def milestone_chart(frame: pd.DataFrame, *, title: str = "", takeaway: str | None = None) -> alt.LayerChart:
    """Timeline of a :func:`dcbook.milestones.milestone_frame`: one row per milestone (oldest on top), a
    dot at its date coloured by category.

    Dates the documents give only as a year are drawn hollow at 1 January, in the spirit of the house rule
    that imprecise values are never drawn as precise. Untitled by default (a chart directive titles it);
    ``title``/``takeaway`` title it directly.
    """
    need = ["_date", "event_zh", "category_zh", "date", "source_title", "precision"]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ValueError(f"milestone_chart: input frame lacks column(s) {missing}")
    if frame.empty:
        raise ValueError("milestone_chart: input frame is empty; nothing to plot")
    df = frame.copy().reset_index(drop=True)
    df["name_zh"] = df["event_zh"]
    df["_label"] = df["date"]
    df["_exact"] = df["precision"] != "年"
    df["_row"] = [f"{i + 1:02d} {e if len(e) <= 24 else e[:23] + '…'}" for i, e in enumerate(df["event_zh"])]
    df["_source"] = [
        charts.source_label(t, e) for t, e in zip(df["source_title"], df["edition_year"], strict=True)
    ]
    cats = [c for c in CATEGORY_NAMES.values() if c in set(df["category_zh"])]
    color = alt.Color(
        "category_zh:N",
        title="类别",
        sort=cats,
        scale=alt.Scale(domain=cats, range=list(charts.PALETTE[: len(cats)])),
    )
    years = sorted(df["year"].unique())
    lo, hi = f"{years[0]}-01-01", f"{years[-1]}-12-31"
    x = alt.X(
        "_date:T",
        title=None,
        scale=alt.Scale(domain=[lo, hi]),
        axis=alt.Axis(
            format="%Y", tickCount={"interval": "year", "step": 1}, grid=True, labelAngle=0, labelOverlap=True
        ),
    )
    y = alt.Y(
        "_row:N", sort=list(df["_row"]), title=None, axis=alt.Axis(labelLimit=300, ticks=False, domain=False)
    )
    tips = [
        alt.Tooltip("event_zh:N", title="事件"),
        alt.Tooltip("date:N", title="时间"),
        alt.Tooltip("category_zh:N", title="类别"),
        alt.Tooltip("_source:N", title="来源"),
    ]
    dots = (
        alt.Chart()
        .mark_point(size=90, strokeWidth=2, opacity=1, filled=False)
        .encode(
            x=x, y=y, color=color, fill=alt.condition("datum._exact", color, alt.value("white")), tooltip=tips
        )
    )
    subtitle = [takeaway] if takeaway else []
    if title and not df["_exact"].all():
        subtitle.append(YEAR_ONLY_NOTE)
    alt_text = (
        f"时间线，{len(df)} 个里程碑按时间先后排列，{fmt.fmt_year_span(int(years[0]), int(years[-1]))}："
        + "；".join(f"{d} {e}" for d, e in zip(df["date"], df["event_zh"], strict=True))
        + "。"
    )
    chart = alt.layer(dots, data=df).properties(
        width=charts.WIDTH - 320,
        height=max(120, 22 * len(df)),
        title=alt.Title(title, subtitle=subtitle or alt.Undefined),
        usermeta={"dcbook": {"kind": "timeline", "alt": alt_text, "takeaway": takeaway or ""}},
    )
    return charts.styled(chart)


def timeline(frame: pd.DataFrame) -> render.Figure | None:
    """The untitled timeline of a milestone frame (None when it is empty)."""
    return render.figure(milestone_chart(frame)) if not frame.empty else None


# ----------------------------------------------------------------------------------------------------------
# Shared by chapters 09 网络安全与数字治理, 10 国际合作, 13 方法与数据 and the catalogue appendix: the
# coverage of a domain by source, the indicator catalogue and its filter table.


def coverage_by_source(ds: Any, domains: Sequence[str]) -> pd.DataFrame:
    """How many indicators of ``domains`` each visible source gives (zero rows kept), as bars
    (:func:`coverage_frame` of one group)."""
    return coverage_frame(F.coverage(ds, {"": F.domain_ids(ds, domains)}))


def coverage_chart(ds: Any, domains: Sequence[str]) -> render.Figure | None:
    """Bars of :func:`coverage_by_source`; one source compares nothing (None)."""
    return bars(coverage_by_source(ds, domains))


def catalogue_frame(ds: Any) -> pd.DataFrame:
    """The catalogue indicators the edition's documents give — a figure, or a plan target — with their number
    of observations (0 for a target not yet reported), by domain then id: what chapter 13's filter table and
    the catalogue appendix both list. The catalogue file is shared by all editions; an indicator only a later
    document brings (a later survey, a later plan) is not shown in an earlier edition."""
    counts = ds.observations.groupby("indicator_id").size()
    targets = getattr(ds, "targets", None)
    planned = set(targets["indicator_id"].astype(str)) if targets is not None and len(targets) else set()
    ind = ds.indicators[[str(i) in planned or int(counts.get(i, 0)) > 0 for i in ds.indicators.index]]
    ids = [str(i) for i in ind.index]

    def col(name: str) -> list[str]:
        return ind[name].fillna("").astype(str).to_list() if name in ind.columns else [""] * len(ids)

    return pd.DataFrame(
        {
            "indicator_id": ids,
            "name_zh": col("name_zh"),
            "domain": col("domain"),
            "unit": col("unit"),
            "definition_zh": col("definition_zh"),
            "n_obs": [int(counts.get(i, 0)) for i in ids],
        }
    ).sort_values(["domain", "indicator_id"], ignore_index=True)


#: Marker class of a filterable table (the book's _static/dcbook-table-filter.js wires it; the PDF build
#: replaces it by a note pointing to the printed catalogue).
FILTER_TABLE_CLASS = "dcbook-filter-table"


def filter_table(
    frame: pd.DataFrame, headers: Mapping[str, str], *, table_id: str, label: str, placeholder: str
) -> dict[str, str]:
    """``frame`` as display data for a ``data-table`` directive: an escaped HTML table ``table_id`` under a
    search box that hides the rows not containing every typed word (no source string can inject markup)."""
    import html

    tid = html.escape(table_id, quote=True)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers.values())
    rows = [
        "<tr>" + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in headers) + "</tr>"
        for _, r in frame.iterrows()
    ]
    markup = (
        f'<div class="{FILTER_TABLE_CLASS}">'
        f'<label>{html.escape(label)}<input type="search" class="dcbook-table-filter" data-table="{tid}" '
        f'placeholder="{html.escape(placeholder, quote=True)}" aria-label="{html.escape(label, quote=True)}"></label>'
        f' <span class="dcbook-filter-count" data-table="{tid}"></span>'
        f'<table id="{tid}" class="table"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )
    return {"text/html": markup, "text/plain": f"<{len(frame)} rows: filterable table {table_id}>"}


# ----------------------------------------------------------------------------------------------------------
# Reader tables: the headline panel (00 导读, 01 总览) and the 本版更新 details (01 总览, 13 方法与数据)

#: Column headers of :func:`panel_table`.
PANEL_TABLE_COLUMNS: tuple[str, ...] = ("领域", "指标", "最新值", "年份", "较最早年份变化")
#: The 较最早年份变化 cell of an indicator with one year of data.
ONE_YEAR = "仅有一年数据"


def _value_text(value: Any, unit: Any, qualifier: Any) -> str:
    """A value as a table cell shows it: "超过 6.7 亿笔", "第 14 位"."""
    q = F.EXACT if qualifier is None or pd.isna(qualifier) or qualifier == "" else str(qualifier)
    return fmt.fmt_value(float(value), "" if pd.isna(unit) else str(unit), qualifier=q)


def _year_value(year: Any, value_text: str) -> str:
    """ "2021 年 6.7 亿笔", "2021 年超过 6.7 亿笔" (the house spacing rule, :func:`dcbook.fmt.join_words`)."""
    return fmt.join_words(f"{int(year)} 年", value_text)


def change_cell(v0: Any, q0: Any, v1: Any, q1: Any, unit: Any) -> str:
    """A change as a table cell says it, with the bounds of both ends carried (the rule of
    :func:`dcbook.facts.change_bounds`, so a table and the prose never round one change two ways)."""
    a, b = float(v0), float(v1)
    return fmt.change_words(a, b, str(unit), *F.change_bounds(str(q0), str(q1), a, b))


def panel_table(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel as readers see it (Chinese headers, formatted values) for a ``data-table`` directive."""
    if panel.empty:
        return pd.DataFrame(columns=list(PANEL_TABLE_COLUMNS))
    since = [
        f"{change_cell(r.start_value, r.start_qualifier, r.latest_value, r.latest_qualifier, r.unit)}"
        f"（较 {int(r.start_year)} 年）"
        if r.n_years >= 2
        else ONE_YEAR
        for r in panel.itertuples()
    ]
    cells = (
        panel["domain_zh"],
        panel["name_zh"],
        [_value_text(r.latest_value, r.unit, r.latest_qualifier) for r in panel.itertuples()],
        panel["latest_year"].astype(int).astype(str),
        since,
    )
    return pd.DataFrame(dict(zip(PANEL_TABLE_COLUMNS, cells, strict=True)))


def changes_table(changes: dict[str, pd.DataFrame] | None, top: int = 10) -> pd.DataFrame:
    """The largest latest-value changes as a readers' table (empty for the earliest edition)."""
    cols = ["指标", "上一版最新", "本版最新", "变化"]
    if changes is None or changes["largest_changes"].empty:
        return pd.DataFrame(columns=cols)
    big = changes["largest_changes"].head(top)
    return pd.DataFrame(
        {
            "指标": big["name_zh"],
            "上一版最新": [
                _year_value(y, _value_text(v, u, q))
                for y, v, u, q in zip(
                    big["old_year"], big["old_value"], big["unit"], big["old_qualifier"], strict=True
                )
            ],
            "本版最新": [
                _year_value(y, _value_text(v, u, q))
                for y, v, u, q in zip(
                    big["new_year"], big["new_value"], big["unit"], big["new_qualifier"], strict=True
                )
            ],
            "变化": [
                change_cell(r.old_value, r.old_qualifier, r.new_value, r.new_qualifier, r.unit)
                for r in big.itertuples()
            ],
        },
        columns=cols,
    )


def status_table(changes: dict[str, pd.DataFrame] | None) -> pd.DataFrame:
    """Targets whose verdict changed, with the value that decides the new verdict (empty if none)."""
    cols = ["规划", "指标", "上一版状态", "本版状态", "本版依据"]
    if changes is None or changes["status_changes"].empty:
        return pd.DataFrame(columns=cols)
    sc = changes["status_changes"]
    basis = [
        "—" if pd.isna(y) else _year_value(y, _value_text(v, u, q))
        for y, v, u, q in zip(
            sc["latest_year"], sc["latest_value"], sc["unit"], sc["latest_qualifier"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "规划": [targets.PLAN_SHORT.get(p, p) for p in sc["plan"]],
            "指标": sc["name_zh"],
            "上一版状态": sc["old_verdict"],
            "本版状态": sc["new_verdict"],
            "本版依据": basis,
        },
        columns=cols,
    )


def top_ten_table(changes: dict[str, pd.DataFrame] | None) -> pd.DataFrame:
    """The newest evaluation's composite top group and who left it (empty without a newer evaluation)."""
    cols = ["省份", "变化"]
    if changes is None or changes["top_ten"].empty:
        return pd.DataFrame(columns=cols)
    tt = changes["top_ten"]
    return pd.DataFrame({"省份": tt["province"], "变化": tt["change"]}, columns=cols)


def revisions_table(changes: dict[str, pd.DataFrame] | None) -> pd.DataFrame:
    """Every revised earlier figure: old and new value with their sources, largest relative change first."""
    cols = ["指标", "地区", "年份", "上一版数值", "本版数值", "相对差异"]
    if changes is None or changes["revisions"].empty:
        return pd.DataFrame(columns=cols)
    rv = changes["revisions"]
    return pd.DataFrame(
        {
            "指标": rv["name_zh"],
            "地区": rv["region"],
            "年份": rv["year"].astype(int).astype(str),
            "上一版数值": [
                f"{_value_text(v, u, q)}（{s}）"
                for v, u, q, s in zip(
                    rv["old_value"], rv["unit"], rv["old_qualifier"], rv["old_source_id"], strict=True
                )
            ],
            "本版数值": [
                f"{_value_text(v, u, q)}（{s}）"
                for v, u, q, s in zip(
                    rv["new_value"], rv["unit"], rv["new_qualifier"], rv["new_source_id"], strict=True
                )
            ],
            "相对差异": ["—" if math.isinf(x) else fmt.fmt_pct(float(x)) for x in rv["rel_diff"]],
        },
        columns=cols,
    )
