"""House style and chart builders: every figure in the book is made here.

Builders take tidy frames from ``dcbook.data`` (columns ``indicator_id, region, year, value, unit, qualifier,
source_id, source_title, edition_year, quote, name_zh, domain``) and return Altair charts that already carry
the house configuration (CJK font stack, Okabe-Ito palette, zh-CN number locale, 640 px width). Keeping the
style inside the spec, not in a global Altair theme, makes a chart's JSON — and so its id and its nbval
output — independent of whatever else ran in the kernel.

Qualified values (超过/约/不到) are never drawn as exact: points are hollow, bars are pale with a dashed
outline, and the qualifier word is in every label and tooltip. Each builder stores a text alternative in
``usermeta["dcbook"]`` so that :func:`dcbook.render.show` can print it for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from dcbook import facts as F
from dcbook import fmt

#: Font stack for every text in every chart. Named first so vl-convert does not pick a random CJK face.
FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif'
#: Okabe-Ito's colour-blind-safe hues, darkened until each has at least 4.5:1 contrast on white (series
#: labels are drawn in their series colour, so the palette must pass as text, not only as marks); its sky blue
#: and yellow cannot be darkened that far and stay apart from blue and orange, so indigo and olive stand in
#: for them. Black last: it is used for annotations.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#A36A00",
    "#008460",
    "#C25400",
    "#B24C86",
    "#5B57A6",
    "#7D7200",
    "#000000",
)
#: Grey of the lines that are not highlighted ("其他"): context, but still 3:1 on white.
OTHER_COLOR = "#8C8C8C"
#: Outer width of every chart in px: fits the book's content column and a LaTeX text width at 200 ppi.
WIDTH = 640
HEIGHT = 300
#: d3-format locale for Chinese readers (also passed to vega-embed and vl-convert).
ZH_NUMBER_LOCALE: dict[str, Any] = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["¥", ""]}
#: Axis number format: grouped thousands, no trailing zeros.
NUMBER_FORMAT = ",~f"
#: Colours of the plan-target statuses of :data:`dcbook.targets.STATUSES`, then of the verdicts a plan gets
#: once its target year has passed (:data:`dcbook.targets.VERDICTS`), in legend order: the one colour scale
#: of every target chart (Okabe-Ito; "无数据" rows have no latest value and are not drawn).
STATUS_COLORS: dict[str, str] = {
    "已达成": PALETTE[2],
    "进度领先": PALETTE[5],
    "符合进度": PALETTE[0],
    "落后": PALETTE[1],
    "未达成": PALETTE[3],
    "中途达标": PALETTE[4],
    "口径待核": PALETTE[6],
    "无法判定": "#767676",
}
#: Ramp for ordered categories (e.g. 第一梯队 … 第四梯队), dark to light; single hue, colour-blind safe.
CATEGORY_RAMP: tuple[str, ...] = ("#08306B", "#2171B5", "#6BAED6", "#C6DBEF", "#F7FBFF")
MISSING_COLOR = "#E0E0E0"
#: Dark colour mode: the page swaps each colour a chart spec names (config and marks alike) for its partner
#: here before drawing (``dcbook-charts.js``), so text keeps 4.5:1 and marks 3:1 on the dark page. ``white``
#: as a fill, stroke or background becomes ``transparent`` (hollow points, tile gaps, the chart's own box);
#: ``white`` as a text colour stays (labels on dark tiles). The category ramp is not swapped: its tiles are
#: their labels' background.
DARK_COLORS: dict[str, str] = {
    "#0072B2": "#4AA3DF",
    "#A36A00": "#E69F00",
    "#008460": "#1DB387",
    "#C25400": "#F07F3C",
    "#B24C86": "#DB8BBE",
    "#5B57A6": "#A59BE6",
    "#7D7200": "#F0E442",
    "#000000": "#E6E6E6",
    "#767676": "#9CA4AF",
    "#333333": "#CED6DD",
    "#444444": "#C0C8D0",
    "#555555": "#AAB3BD",
    "#666666": "#9CA4AF",
    "#888888": "#7D8794",
    OTHER_COLOR: "#6F7884",
    "#E6E6E6": "#2C343F",
    "#EEEEEE": "#2B2F36",
    "#E0E0E0": "#2B2F36",
}
QUALIFIED_NOTE = "空心点/浅色条：非精确值（超过、约、不到）"

#: Vega expression labelling large counts with 万/亿 on an axis (values in base units).
ZH_SCALE_LABEL_EXPR = (
    "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, ',~f') + '亿' : "
    "abs(datum.value) >= 1e4 ? format(datum.value / 1e4, ',~f') + '万' : format(datum.value, ',~f')"
)

_TOOLTIP_TITLES = {
    "name_zh": "指标",
    "region": "地区",
    "province": "省份",
    "year": "年份",
    "_label": "数值",
    "_source": "来源",
}


def house_config() -> dict[str, Any]:
    """The Vega-Lite ``config`` every chart carries (font, palette, locale, sizes)."""
    text_fonts = {"labelFont": FONT_STACK, "titleFont": FONT_STACK}
    return {
        "font": FONT_STACK,
        "locale": {"number": ZH_NUMBER_LOCALE},
        "numberFormat": NUMBER_FORMAT,
        "background": "white",
        "padding": 8,
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
        "range": {"category": list(PALETTE)},
        "axis": {
            **text_fonts,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "labelColor": "#333333",
            "titleColor": "#333333",
            "gridColor": "#E6E6E6",
            "domainColor": "#888888",
            "tickColor": "#888888",
        },
        # every text colour named, so the dark colour mode can swap it (Vega's default black would stay black)
        "legend": {
            **text_fonts,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "orient": "top",
            "labelColor": "#333333",
            "titleColor": "#333333",
        },
        "header": {
            **text_fonts,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "labelColor": "#333333",
            "titleColor": "#333333",
        },
        "title": {
            "font": FONT_STACK,
            "subtitleFont": FONT_STACK,
            "fontSize": 16,
            "subtitleFontSize": 12,
            "color": "#333333",
            "subtitleColor": "#555555",
            "anchor": "start",
            "offset": 10,
        },
        "text": {"font": FONT_STACK, "fontSize": 12, "color": "#333333"},
    }


def styled(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Return ``chart`` with the house configuration (idempotent: an existing config is replaced)."""
    out = chart.copy(deep=False)
    out.config = alt.Config.from_dict(house_config())
    return out


# ----------------------------------------------------------------------------------------------------------
# Input checks and derived columns


def _require(frame: pd.DataFrame, columns: Sequence[str], builder: str) -> None:
    """Raise naming the builder and the missing columns, so a notebook error points at the cause."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{builder}: input frame lacks column(s) {missing}; it has {list(frame.columns)}")
    if frame.empty:
        raise ValueError(f"{builder}: input frame is empty; nothing to plot")


def _check_finite(frame: pd.DataFrame, column: str, builder: str) -> None:
    bad = frame[pd.to_numeric(frame[column], errors="coerce").isna()]
    if not bad.empty:
        row = bad.index[0]
        ident = ", ".join(
            f"{k}={bad.loc[row, k]}"
            for k in ("indicator_id", "region", "province", "year")
            if k in bad.columns
        )
        raise ValueError(
            f"{builder}: row {row} ({ident}): column {column!r} is not a number: {str(bad.loc[row, column])!r}"
        )


#: What a chart's table says in the source column of a row the book computed (a plan's required path, a
#: compound annual rate): no document printed it, so none is named there; the figure's source line still
#: names the documents of the figures it was computed from.
COMPUTED_SOURCE = "计算值（本书推算）"
#: Heading of a plan target's progress (base = 0, target = 1): a ratio the book computes, so it says so in
#: the tooltip, the chart's table and the CSV download alike.
PROGRESS_HEADER = "进度（计算值）"


def source_label(title: str, edition: Any = None) -> str:
    """One source as readers see it: "《数字中国发展报告（2021年）》". The book edition that first uses the
    source (``edition``) orders source lines but is not printed: "《“十四五”国家信息化规划》（2020 年版）" read as
    an edition of the plan."""
    return f"《{title}》"


def source_line(frame: pd.DataFrame) -> str:
    """The "来源：" line for a figure: every distinct source document in ``frame`` with its edition."""
    _require(frame, ["source_title"], "source_line")
    cols = [c for c in ("source_title", "edition_year") if c in frame.columns]
    # a row the book computed names no document ("" title): it adds nothing to the line
    pairs = frame.loc[frame["source_title"].fillna("").astype(str) != "", cols].drop_duplicates()
    if "edition_year" in pairs.columns:
        pairs = pairs.sort_values(["edition_year", "source_title"], kind="stable")
    labels = [source_label(r["source_title"], r.get("edition_year")) for _, r in pairs.iterrows()]
    return "来源：" + "；".join(dict.fromkeys(labels))


def _prepare(frame: pd.DataFrame, builder: str, value: str = "value") -> pd.DataFrame:
    """Copy ``frame`` and add the display columns every builder shares (label, qualifier, source)."""
    _require(frame, [value, "unit", "source_title"], builder)
    _check_finite(frame, value, builder)
    df = frame.copy().reset_index(drop=True)
    if "qualifier" not in df.columns:
        df["qualifier"] = "exact"
    df["qualifier"] = df["qualifier"].fillna("exact").replace("", "exact")
    for i, q in enumerate(df["qualifier"]):
        if q not in fmt.QUALIFIER_WORDS:
            raise ValueError(f"{builder}: row {i}: column 'qualifier' has unknown value {q!r}")
    df["unit"] = df["unit"].fillna("")
    df["_exact"] = df["qualifier"] == "exact"
    df["_label"] = [
        fmt.fmt_value(v, u, qualifier=q)
        for v, u, q in zip(df[value], df["unit"], df["qualifier"], strict=True)
    ]
    editions = df["edition_year"] if "edition_year" in df.columns else [None] * len(df)
    computed = df["computed"].fillna(False) if "computed" in df.columns else [False] * len(df)
    df["_source"] = [
        COMPUTED_SOURCE if c else source_label(t, e)
        for t, e, c in zip(df["source_title"], editions, computed, strict=True)
    ]
    if "year" in df.columns:
        _check_finite(df, "year", builder)
        df["year"] = df["year"].astype(int)
    return df


def _single_unit(df: pd.DataFrame, builder: str) -> str:
    units = sorted(set(df["unit"]))
    if len(units) != 1:
        raise ValueError(f"{builder}: one value axis cannot mix units {units}; use small_multiples instead")
    return units[0]


def _value_axis(unit: str, values: pd.Series, **kwargs: Any) -> alt.Axis:
    """Value axis titled with the unit; large counts in base units get 万/亿 labels."""
    big = values.abs().max() >= 1e5 and not unit.startswith(("万", "亿"))
    if big:
        return alt.Axis(title=unit or None, labelExpr=ZH_SCALE_LABEL_EXPR, **kwargs)
    return alt.Axis(title=unit or None, format=NUMBER_FORMAT, **kwargs)


def _tooltip(df: pd.DataFrame, extra: Sequence[alt.Tooltip] = ()) -> list[alt.Tooltip]:
    """Tooltips: indicator, place, year, formatted value with qualifier, source."""
    tips = [
        alt.Tooltip(f"{col}:N", title=title) for col, title in _TOOLTIP_TITLES.items() if col in df.columns
    ]
    tips = [t if t.shorthand != "year:N" else alt.Tooltip("year:O", title="年份") for t in tips]
    tips[-1:-1] = list(extra)
    return tips


def _title(title: str, takeaway: str | None, df: pd.DataFrame) -> alt.Title:
    subtitle = [takeaway] if takeaway else []
    if not df["_exact"].all():
        subtitle.append(QUALIFIED_NOTE)
    return alt.Title(title, subtitle=subtitle or alt.Undefined)


def _meta(kind: str, alt_text: str, takeaway: str | None) -> dict[str, Any]:
    return {"dcbook": {"kind": kind, "alt": alt_text, "takeaway": takeaway or ""}}


def _series_column(df: pd.DataFrame) -> str:
    """Lines are told apart by indicator if there are several, else by region."""
    if "name_zh" in df.columns and df["name_zh"].nunique() > 1:
        return "name_zh"
    if "region" in df.columns:
        return "region"
    return "name_zh"


def _label_room(labels: pd.Series) -> int:
    """Pixels to keep right of the plot for end labels (CJK glyphs ≈ 12 px at 12 px font)."""
    longest = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(s)) for s in labels), default=0)
    return min(220, 6 * longest + 16)


# ----------------------------------------------------------------------------------------------------------
# Takeaways: the one-line subtitle, computed from the data


def _one_series(frame: pd.DataFrame, helper: str) -> pd.DataFrame:
    _require(frame, ["year", "value", "unit"], helper)
    keys = [c for c in ("indicator_id", "region") if c in frame.columns]
    if keys and len(frame[keys].drop_duplicates()) > 1:
        raise ValueError(f"{helper}: expects one series, got {len(frame[keys].drop_duplicates())} ({keys})")
    return frame.sort_values("year", kind="stable").reset_index(drop=True)


#: Growth between two bounded endpoints cannot be computed: said so instead of a number.
INDETERMINATE_GROWTH = "两端都是{word}值，增幅无法精确计算"


def _growth_qualifier(first_q: str, last_q: str) -> str | None:
    """Qualifier of a growth ratio last / first computed from two possibly qualified endpoints.

    A lower bound at the end or an upper bound at the start can only make the true ratio larger (超过);
    a lower bound at the start or an upper bound at the end only smaller (不到). Bounds pulling the
    same way agree; bounds pulling opposite ways (下限 → 下限, 上限 → 上限) leave the ratio open: None.
    Any approximate endpoint makes the ratio approximate (约).
    """
    bound = F.growth_bound(first_q, last_q)
    return None if bound == F.OPEN else fmt.qualifier_word(bound)


def takeaway_growth(frame: pd.DataFrame) -> str:
    """Sentence like “2017–2021 年由 7.72 亿人增至 10.32 亿人，增长 33.7%” for one series (first vs last year).

    Values are scaled by :func:`dcbook.fmt.fmt_number` ("1.1 亿篇", never "11,000 万篇"); the growth
    carries the bound its endpoints allow (see :func:`_growth_qualifier`), or says it cannot be computed.
    """
    df = _one_series(frame, "takeaway_growth")
    if len(df) < 2:
        raise ValueError("takeaway_growth: needs at least two years")
    first, last = df.iloc[0], df.iloc[-1]
    q = lambda row: row.get("qualifier", "exact") or "exact"  # noqa: E731
    growth = fmt.fmt_growth(first["value"], last["value"])
    word = _growth_qualifier(q(first), q(last))
    if word is None:
        bound = "下限" if q(last) == "lower_bound" else "上限"
        growth = INDETERMINATE_GROWTH.format(word=bound)
    elif word:
        if growth.startswith("下降 "):  # a bound on the ratio is the opposite bound on the decline
            word = {"超过": "不到", "不到": "超过"}.get(word, word)
        growth = growth.replace("增长 ", f"增长{word} ", 1).replace("下降 ", f"下降{word} ", 1)
    span = fmt.fmt_year_span(first["year"], last["year"])
    a = fmt.fmt_number(first["value"], first["unit"], qualifier=q(first))
    b = fmt.fmt_number(last["value"], last["unit"], qualifier=q(last))
    verb = "增至" if last["value"] >= first["value"] else "降至"
    gap = " " if a[-1:].isascii() and a[-1:].isalpha() else ""  # "6.3 Tbps 增至", as before a number
    return f"{fmt.join_words(f'{span}由', a)}{gap}{fmt.join_words(verb, b)}，{growth}"


def takeaway_latest(frame: pd.DataFrame) -> str:
    """Sentence like “最新值 10.32 亿人（2021 年），较 2020 年增加 0.43 亿人” for one series."""
    df = _one_series(frame, "takeaway_latest")
    last = df.iloc[-1]
    q = last.get("qualifier", "exact") or "exact"
    text = f"{fmt.join_words('最新值', fmt.fmt_number(last['value'], last['unit'], qualifier=q))}（{int(last['year'])} 年）"
    if len(df) >= 2:
        prev = df.iloc[-2]
        change = fmt.fmt_change(prev["value"], last["value"], last["unit"])
        approx = "约" if (q != "exact" or (prev.get("qualifier", "exact") or "exact") != "exact") else ""
        text += f"，较 {int(prev['year'])} 年{approx}{change}"
    return text


def takeaway_ranking(frame: pd.DataFrame, by: str = "region", top: int = 3) -> str:
    """Sentence like “广东居首（…），前 3 位为广东、北京、江苏” for a single-year ranking."""
    _require(frame, [by, "value", "unit"], "takeaway_ranking")
    df = frame.sort_values("value", ascending=False, kind="stable")
    lead = df.iloc[0]
    q = lead.get("qualifier", "exact") or "exact"
    names = "、".join(str(x) for x in df[by].head(top))
    return f"{lead[by]}居首（{fmt.fmt_number(lead['value'], lead['unit'], qualifier=q)}），前 {min(top, len(df))} 位为{names}"


def takeaway_targets(frame: pd.DataFrame) -> str:
    """Sentence like “6 项指标中 2 项已达成，3 项符合进度，1 项落后”, statuses in legend order."""
    statuses = target_frame(frame, "takeaway_targets")["status"]
    counts = statuses.value_counts()
    parts = [f"{counts[s]} 项{s}" for s in STATUS_COLORS if s in counts]
    return f"{len(statuses)} 项指标中 " + "，".join(parts)


def takeaway_bump(frame: pd.DataFrame, label: str = "region") -> str:
    """Sentence like “2017–2021 年上升最多：浙江（第 5 位 → 第 2 位）” from first to last year of a rank table."""
    _require(frame, [label, "year", "rank"], "takeaway_bump")
    years = sorted(frame["year"].unique())
    if len(years) < 2:
        raise ValueError("takeaway_bump: needs ranks for at least two years")
    wide = frame.pivot_table(index=label, columns="year", values="rank", aggfunc="first").dropna(
        subset=[years[0], years[-1]]
    )
    if wide.empty:
        raise ValueError(f"takeaway_bump: no {label} is ranked in both {years[0]} and {years[-1]}")
    gain = (wide[years[0]] - wide[years[-1]]).sort_values(ascending=False, kind="stable")
    best = gain.index[0]
    span = fmt.fmt_year_span(years[0], years[-1])
    if gain.iloc[0] <= 0:
        return f"{span}排名没有上升的{'省份' if label in ('region', 'province') else '对象'}"
    return f"{span}上升最多：{best}（第 {int(wide.loc[best, years[0]])} 位 → 第 {int(wide.loc[best, years[-1]])} 位）"


def takeaway_tiles(frame: pd.DataFrame, category: str, first: str | None = None) -> str:
    """Sentence like “第一梯队 5 个省份：北京、上海、…” for the first (or given) category of a tile map."""
    _require(frame, ["province", category], "takeaway_tiles")
    present = frame.dropna(subset=[category])
    if present.empty:
        raise ValueError(f"takeaway_tiles: column {category!r} is empty")
    name = first if first is not None else sorted(present[category].unique())[0]
    members = present.loc[present[category] == name, "province"].tolist()
    return f"{name} {len(members)} 个省份：" + "、".join(members)


# ----------------------------------------------------------------------------------------------------------
# Builders


def line_chart(
    frame: pd.DataFrame, *, title: str = "", takeaway: str | None = None, height: int = HEIGHT
) -> alt.LayerChart:
    """Time series: one line per indicator (or region), hollow points for qualified values, end labels."""
    df = _prepare(frame, "line_chart")
    _require(df, ["year"], "line_chart")
    unit = _single_unit(df, "line_chart")
    series = _series_column(df)
    _require(df, [series], "line_chart")
    last_year = df.groupby(series)["year"].transform("max")
    df["_end"] = df["year"] == last_year
    df["_end_label"] = [
        f"{s} {lab}" if n > 1 else lab
        for s, lab, n in zip(df[series], df["_label"], [df[series].nunique()] * len(df), strict=True)
    ]
    room = _label_room(df.loc[df["_end"], "_end_label"])
    years = sorted(df["year"].unique())
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[years[0], years[-1]], nice=False, zero=False),
        axis=alt.Axis(format="d", values=years, labelAngle=0, grid=False),
    )
    y = alt.Y("value:Q", axis=_value_axis(unit, df["value"]), scale=alt.Scale(zero=True))
    color = alt.Color(
        f"{series}:N", legend=None, scale=alt.Scale(range=list(PALETTE)), sort=list(dict.fromkeys(df[series]))
    )
    base = alt.Chart().encode(x=x, y=y, color=color)
    line = base.mark_line(strokeWidth=2)
    points = base.mark_point(size=70, strokeWidth=2, opacity=1).encode(
        fill=alt.condition("datum._exact", color, alt.value("white")), tooltip=_tooltip(df)
    )
    labels = (
        base.mark_text(align="left", dx=8, fontSize=12)
        .encode(text="_end_label:N")
        .transform_filter("datum._end")
    )
    alt_text = (
        f"折线图，{len(df)} 个数据点，{fmt.fmt_year_span(years[0], years[-1])}，单位：{unit or '无'}。"
        + (takeaway or "")
    )
    chart = alt.layer(line, points, labels, data=df).properties(
        width=WIDTH - room - 60,
        height=height,
        title=_title(title, takeaway, df),
        usermeta=_meta("line", alt_text, takeaway),
    )
    return styled(chart)


def bar_ranking(
    frame: pd.DataFrame,
    *,
    title: str = "",
    takeaway: str | None = None,
    by: str = "region",
    descending: bool = True,
) -> alt.LayerChart:
    """Horizontal bars ranked by value (one indicator, one year); qualified bars pale with dashed outline."""
    df = _prepare(frame, "bar_ranking")
    _require(df, [by], "bar_ranking")
    unit = _single_unit(df, "bar_ranking")
    dupes = df[df.duplicated(by, keep=False)]
    if not dupes.empty:
        raise ValueError(
            f"bar_ranking: {by} {sorted(set(dupes[by]))} appear more than once; filter to one year/indicator"
        )
    df = df.sort_values("value", ascending=not descending, kind="stable").reset_index(drop=True)
    room = _label_room(df["_label"])
    y = alt.Y(
        f"{by}:N", sort=list(df[by]), title=None, axis=alt.Axis(labelLimit=160, ticks=False, domain=False)
    )
    x = alt.X("value:Q", axis=_value_axis(unit, df["value"], grid=True), scale=alt.Scale(zero=True))
    bars = (
        alt.Chart()
        .mark_bar(color=PALETTE[0], stroke=PALETTE[0], height={"band": 0.7})
        .encode(
            x=x,
            y=y,
            fillOpacity=alt.condition("datum._exact", alt.value(1.0), alt.value(0.3)),
            strokeDash=alt.condition("datum._exact", alt.value([1, 0]), alt.value([4, 2])),
            tooltip=_tooltip(df),
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=4, fontSize=12, color="#333333")
        .encode(x=x, y=y, text="_label:N")
    )
    alt_text = (
        f"条形图，按数值从{'高到低' if descending else '低到高'}排列 {len(df)} 项，单位：{unit or '无'}。"
        + (takeaway or "")
    )
    chart = alt.layer(bars, labels, data=df).properties(
        width=WIDTH - room - 120,
        height=max(120, 24 * len(df)),
        title=_title(title, takeaway, df),
        usermeta=_meta("bar", alt_text, takeaway),
    )
    return styled(chart)


def small_multiples(
    frame: pd.DataFrame, *, title: str = "", takeaway: str | None = None, columns: int = 3, height: int = 140
) -> alt.FacetChart:
    """One small line panel per indicator, each with its own y scale and its unit in the panel title."""
    df = _prepare(frame, "small_multiples")
    _require(df, ["year", "name_zh"], "small_multiples")
    df["_panel"] = [f"{n}（{u}）" if u else str(n) for n, u in zip(df["name_zh"], df["unit"], strict=True)]
    panels = list(dict.fromkeys(df["_panel"]))
    columns = max(1, min(columns, len(panels)))
    panel_width = int((WIDTH - 20 * (columns - 1)) / columns) - 50
    years = sorted(df["year"].unique())
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[years[0], years[-1]], nice=False, zero=False),
        axis=alt.Axis(format="d", values=years, labelAngle=0, grid=False, labelOverlap=True),
    )
    y = alt.Y(
        "value:Q", title=None, axis=alt.Axis(format=NUMBER_FORMAT, tickCount=4), scale=alt.Scale(zero=True)
    )
    base = alt.Chart().encode(x=x, y=y)
    line = base.mark_line(color=PALETTE[0], strokeWidth=2)
    points = base.mark_point(size=50, strokeWidth=2, color=PALETTE[0], opacity=1).encode(
        fill=alt.condition("datum._exact", alt.value(PALETTE[0]), alt.value("white")), tooltip=_tooltip(df)
    )
    alt_text = (
        f"小多图，{len(panels)} 个指标各占一格，横轴为年份：" + "、".join(panels) + "。" + (takeaway or "")
    )
    chart = (
        alt.layer(line, points, data=df)
        .properties(width=panel_width, height=height)
        .facet(
            facet=alt.Facet(
                "_panel:N", title=None, sort=panels, header=alt.Header(labelAnchor="start", labelFontSize=12)
            ),
            columns=columns,
        )
        .resolve_scale(y="independent", x="independent")
        .properties(title=_title(title, takeaway, df), usermeta=_meta("small_multiples", alt_text, takeaway))
    )
    return styled(chart)


def target_status(progress: float, time_share: float) -> str:
    """Fallback status for rows without a scorecard status: 已达成, 符合进度 (progress ≥ share of the plan
    period elapsed) or 落后. The book's charts pass the status of :func:`dcbook.targets.scorecard` instead."""
    if progress >= 1:
        return "已达成"
    return "符合进度" if progress >= time_share else "落后"


def target_frame(frame: pd.DataFrame, builder: str = "target_progress") -> pd.DataFrame:
    """Add ``progress`` (0–1, base → target), ``time_share`` and ``status`` to a frame of plan targets.

    Columns: name_zh, unit, base_year, base_value, latest_year, latest_value, target_year, target_value
    (optional: comparator, latest qualifier, status, progress, time_share). Progress is (latest − base) /
    (target − base), which also works for "<=" targets; without a base, latest/target (or target/latest for
    "<=") is used. A ``progress``/``time_share`` column already present (e.g. the scorecard's own
    ``progress_pct`` / 100) is kept; a missing ``status`` falls back to :func:`target_status`.
    """
    need = [
        "name_zh",
        "unit",
        "base_year",
        "base_value",
        "latest_year",
        "latest_value",
        "target_year",
        "target_value",
    ]
    _require(frame, need, builder)
    _check_finite(frame, "latest_value", builder)
    _check_finite(frame, "target_value", builder)
    df = frame.copy().reset_index(drop=True)
    comparators = df["comparator"] if "comparator" in df.columns else pd.Series([">="] * len(df))
    progress, share = [], []
    for i, row in df.iterrows():
        base, latest, target = row["base_value"], row["latest_value"], row["target_value"]
        comp = comparators.iloc[int(i)]
        if pd.notna(base) and target != base:
            p = (latest - base) / (target - base)
        elif comp.startswith("<"):
            p = target / latest if latest else 1.0
        else:
            p = latest / target if target else 1.0
        progress.append(max(0.0, float(p)))
        start = row["base_year"] if pd.notna(row["base_year"]) else row["latest_year"]
        span = row["target_year"] - start
        share.append(1.0 if span <= 0 else max(0.0, min(1.0, (row["latest_year"] - start) / span)))
    for column, computed in (("progress", progress), ("time_share", share)):
        given = df[column] if column in df.columns else pd.Series([None] * len(df), dtype=float)
        df[column] = [float(c) if pd.isna(g) else float(g) for g, c in zip(given, computed, strict=True)]
    status = df["status"] if "status" in df.columns else pd.Series([None] * len(df), dtype=object)
    df["status"] = [
        target_status(p, t) if pd.isna(s) else s
        for s, p, t in zip(status, df["progress"], df["time_share"], strict=True)
    ]
    bad = sorted(set(df["status"]) - set(STATUS_COLORS))
    if bad:
        raise ValueError(
            f"{builder}: column 'status' has unknown value(s) {bad}; expected {list(STATUS_COLORS)}"
        )
    return df


def target_progress(frame: pd.DataFrame, *, title: str = "", takeaway: str | None = None) -> alt.LayerChart:
    """Plan tracking: one row per indicator, bar from base (0%) to latest on a 0–100% path to the target,
    coloured by status (:data:`STATUS_COLORS`; the legend lists the statuses present, in legend order)."""
    df = target_frame(frame)
    df = df.rename(columns={"latest_value": "value"})
    if "source_title" not in df.columns:
        raise ValueError("target_progress: input frame lacks column 'source_title'")
    df = _prepare(df, "target_progress")
    df["_shown"] = df["progress"].clip(upper=1.0)
    df["_pct"] = [fmt.fmt_pct(p, 0) for p in df["progress"]]

    def num(v: Any, unit: str) -> str:
        return "—" if pd.isna(v) else fmt.fmt_value(v, unit)

    df["_path"] = [
        f"{num(b, u)} → {lab} → {num(t, u)}"
        for b, lab, t, u in zip(df["base_value"], df["_label"], df["target_value"], df["unit"], strict=True)
    ]
    order = list(df["name_zh"])
    y = alt.Y("name_zh:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, ticks=False, domain=False))
    x = alt.X(
        "_shown:Q",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(
            format="~%", title="目标完成进度（基期 = 0%，目标 = 100%）", values=[0, 0.25, 0.5, 0.75, 1]
        ),
    )
    present = [s for s in STATUS_COLORS if s in set(df["status"])]
    status_scale = alt.Scale(domain=present, range=[STATUS_COLORS[s] for s in present])
    color = alt.Color("status:N", title="状态", scale=status_scale)
    track = (
        alt.Chart()
        .mark_bar(color="#EEEEEE", height={"band": 0.6})
        .encode(y=y, x=alt.datum(0), x2=alt.datum(1))
    )
    tips = _tooltip(
        df,
        [
            alt.Tooltip("_path:N", title="基期 → 最新 → 目标"),
            alt.Tooltip("_pct:N", title=PROGRESS_HEADER),
            alt.Tooltip("status:N", title="状态"),
        ],
    )
    bar = (
        alt.Chart()
        .mark_bar(height={"band": 0.6}, strokeWidth=1.5)
        .encode(
            y=y,
            x=x,
            color=color,
            # a light (non-exact) bar keeps a full-colour outline: the bar itself stays 3:1 on its background
            stroke=alt.Stroke("status:N", scale=status_scale, legend=None),
            fillOpacity=alt.condition("datum._exact", alt.value(1.0), alt.value(0.45)),
            tooltip=tips,
        )
    )
    pace = alt.Chart().mark_tick(color="#000000", thickness=2, size=18).encode(y=y, x="time_share:Q")
    path = (
        alt.Chart()
        .mark_text(align="left", dx=6, fontSize=11, color="#333333")
        .encode(y=y, x=alt.datum(1), text="_path:N")
    )
    alt_text = (
        f"目标进度图，{len(df)} 项规划指标，每行一项：条形长度为从基期到目标已完成的比例，颜色为状态，"
        "黑色短线为按时间应达的进度。" + (takeaway or "")
    )
    chart = alt.layer(track, bar, pace, path, data=df).properties(
        width=380,
        height=max(80, 36 * len(df)),
        title=_title(title, takeaway, df),
        usermeta=_meta("target", alt_text, takeaway),
    )
    return styled(chart)


def tile_map(
    frame: pd.DataFrame,
    *,
    title: str = "",
    takeaway: str | None = None,
    value: str | None = None,
    category: str | None = None,
    category_order: Sequence[str] | None = None,
) -> alt.LayerChart:
    """Province tile-grid cartogram (31 equal squares; no boundary geometry) coloured by value or category.

    ``frame`` holds province, col, row (from data/provinces.csv) and ``value`` or ``category``; provinces
    without data keep a grey tile so the grid always shows all of them.
    """
    if (value is None) == (category is None):
        raise ValueError("tile_map: pass exactly one of value= or category=")
    need = ["province", "col", "row", value or category]
    _require(frame, need, "tile_map")  # type: ignore[list-item]
    dupes = frame[frame.duplicated("province", keep=False)]
    if not dupes.empty:
        raise ValueError(f"tile_map: provinces {sorted(set(dupes['province']))} appear more than once")
    df = frame.copy().reset_index(drop=True)
    for col in ("col", "row"):
        _check_finite(df, col, "tile_map")
    df["_x2"] = df["col"] + 0.92
    df["_y2"] = df["row"] + 0.92
    df["_cx"] = df["col"] + 0.46
    df["_cy"] = df["row"] + 0.46
    df["_has"] = df[value or category].notna()  # type: ignore[index]
    if "source_title" in df.columns:
        editions = df["edition_year"] if "edition_year" in df.columns else [None] * len(df)
        df["_source"] = [
            source_label(t, e) if pd.notna(t) else "无数据"
            for t, e in zip(df["source_title"], editions, strict=True)
        ]
    ncols, nrows = int(df["col"].max()) + 1, int(df["row"].max()) + 1
    cell = min(58, (WIDTH - 40) // ncols)
    sx = alt.Scale(domain=[0, ncols], nice=False, zero=True)
    sy = alt.Scale(domain=[0, nrows], nice=False, zero=True, reverse=True)
    pos = {
        "x": alt.X("col:Q", scale=sx, axis=None),
        "x2": "_x2",
        "y": alt.Y("row:Q", scale=sy, axis=None),
        "y2": "_y2",
    }
    tips: list[alt.Tooltip] = [alt.Tooltip("province:N", title="省份")]
    if value is not None:
        unit = str(df["unit"].dropna().iloc[0]) if "unit" in df.columns and df["unit"].notna().any() else ""
        quals = df["qualifier"] if "qualifier" in df.columns else pd.Series(["exact"] * len(df))
        df["_label"] = [
            fmt.fmt_number(v, unit, qualifier=q or "exact") if pd.notna(v) else "无数据"
            for v, q in zip(df[value], quals.fillna("exact"), strict=True)
        ]
        lo, hi = df[value].min(), df[value].max()
        df["_dark"] = df[value] >= lo + 0.6 * (hi - lo)
        fill = alt.condition(
            "datum._has",
            alt.Color(
                f"{value}:Q",
                title=unit or None,
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(orient="bottom", format=NUMBER_FORMAT),
            ),
            alt.value(MISSING_COLOR),
        )
        tips.append(alt.Tooltip("_label:N", title="数值"))
    else:
        assert category is not None
        cats = list(category_order) if category_order else sorted(df[category].dropna().unique())
        unknown = sorted(set(df[category].dropna()) - set(cats))
        if unknown:
            raise ValueError(f"tile_map: categories {unknown} are not in category_order {cats}")
        ramp = (
            list(CATEGORY_RAMP[: len(cats)])
            if len(cats) <= len(CATEGORY_RAMP)
            else list(PALETTE[: len(cats)])
        )
        df["_dark"] = df[category].map({c: i < 2 for i, c in enumerate(cats)}).fillna(False).astype(bool)
        df["_label"] = df[category].fillna("无数据")
        fill = alt.condition(
            "datum._has",
            alt.Color(
                f"{category}:N",
                title=None,
                scale=alt.Scale(domain=cats, range=ramp),
                legend=alt.Legend(orient="bottom"),
            ),
            alt.value(MISSING_COLOR),
        )
        tips.append(alt.Tooltip("_label:N", title="类别"))
    if "_source" in df.columns:
        tips.append(alt.Tooltip("_source:N", title="来源"))
    tiles = alt.Chart().mark_rect(stroke="white", strokeWidth=1).encode(**pos, color=fill, tooltip=tips)
    names = (
        alt.Chart()
        .mark_text(fontSize=12, baseline="middle")
        .encode(
            x=alt.X("_cx:Q", scale=sx, axis=None),
            y=alt.Y("_cy:Q", scale=sy, axis=None),
            text="province:N",
            color=alt.condition("datum._dark", alt.value("white"), alt.value("#111111")),
            tooltip=tips,
        )
    )
    n_data = int(df["_has"].sum())
    alt_text = f"省份方格图：{len(df)} 个省份各占一格（按大致地理位置排列），其中 {n_data} 个有数据。" + (
        takeaway or ""
    )
    df["_exact"] = True if "qualifier" not in df.columns else df["qualifier"].fillna("exact").eq("exact")
    chart = alt.layer(tiles, names, data=df).properties(
        width=cell * ncols,
        height=cell * nrows,
        title=_title(title, takeaway, df),
        usermeta=_meta("tile_map", alt_text, takeaway),
    )
    return styled(chart)


def bump_chart(
    frame: pd.DataFrame,
    *,
    title: str = "",
    takeaway: str | None = None,
    label: str = "region",
    highlight: Sequence[str] | None = None,
    max_highlight: int = 6,
) -> alt.LayerChart:
    """Rank movement across years (rank 1 on top); highlighted entries coloured, the rest grey."""
    _require(frame, [label, "year", "rank"], "bump_chart")
    _check_finite(frame, "rank", "bump_chart")
    df = frame.copy().reset_index(drop=True)
    df["year"] = df["year"].astype(int)
    df["rank"] = df["rank"].astype(int)
    years = sorted(df["year"].unique())
    if len(years) < 2:
        raise ValueError("bump_chart: needs ranks for at least two years")
    if highlight is None:
        latest = df[df["year"] == years[-1]].sort_values("rank", kind="stable")
        highlight = list(latest[label].head(max_highlight))
    missing = sorted(set(highlight) - set(df[label]))
    if missing:
        raise ValueError(f"bump_chart: highlight {missing} not found in column {label!r}")
    highlight = list(highlight)[: len(PALETTE)]
    df["_group"] = [x if x in highlight else "其他" for x in df[label]]
    df["_hl"] = df[label].isin(highlight)
    df["_rank_label"] = [f"第 {r} 位" for r in df["rank"]]
    if "source_title" in df.columns:
        editions = df["edition_year"] if "edition_year" in df.columns else [None] * len(df)
        df["_source"] = [source_label(t, e) for t, e in zip(df["source_title"], editions, strict=True)]
    last = df.groupby(label)["year"].transform("max")
    df["_end"] = (df["year"] == last) & df["_hl"]
    max_rank = int(df["rank"].max())
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y(
        "rank:Q",
        title="排名",
        scale=alt.Scale(domain=[1, max_rank], reverse=True, nice=False, zero=False),
        axis=alt.Axis(
            values=list(range(1, max_rank + 1))
            if max_rank <= 12
            else sorted({1, *range(5, max_rank + 1, 5)}),
            format="d",
        ),
    )
    color = alt.Color(
        "_group:N",
        legend=None,
        scale=alt.Scale(domain=[*highlight, "其他"], range=[*PALETTE[: len(highlight)], OTHER_COLOR]),
    )
    detail = alt.Detail(f"{label}:N")
    tips = [
        alt.Tooltip(f"{label}:N", title="地区" if label in ("region", "province") else "名称"),
        alt.Tooltip("year:O", title="年份"),
        alt.Tooltip("_rank_label:N", title="排名"),
    ]
    if "_source" in df.columns:
        tips.append(alt.Tooltip("_source:N", title="来源"))
    base = alt.Chart().encode(x=x, y=y, color=color, detail=detail)
    lines = base.mark_line(strokeWidth=1.5).encode(
        opacity=alt.condition("datum._hl", alt.value(1.0), alt.value(0.5)),
        strokeWidth=alt.condition("datum._hl", alt.value(2.5), alt.value(1.0)),
    )
    points = base.mark_circle(size=60, opacity=1).encode(tooltip=tips)
    ends = (
        base.mark_text(align="left", dx=8, fontSize=12)
        .encode(text=f"{label}:N")
        .transform_filter("datum._end")
    )
    alt_text = (
        f"排名变化图：{df[label].nunique()} 个{'省份' if label in ('region', 'province') else '对象'}在"
        f"{'、'.join(str(y) for y in years)} 年的排名，第 1 位在最上方；突出显示{'、'.join(highlight)}。"
        + (takeaway or "")
    )
    df["_exact"] = True
    chart = alt.layer(lines, points, ends, data=df).properties(
        width=WIDTH - 140,
        height=max(200, 14 * max_rank),
        title=_title(title, takeaway, df),
        usermeta=_meta("bump", alt_text, takeaway),
    )
    return styled(chart)


# ----------------------------------------------------------------------------------------------------------
# Where China stands: ranks and world shares, one panel per measure


#: The panels of :func:`standing_panels`, in order: measure code → panel title and axis title.
STANDING_PANELS: dict[str, tuple[str, str]] = {
    "rank": ("名次", "名次（对数刻度，越靠左越靠前）"),
    "share": ("占全球的份额", "份额（%）"),
}


def standing_panels(frame: pd.DataFrame, *, title: str = "", takeaway: str | None = None) -> alt.VConcatChart:
    """China's ranks and world shares, one panel per measure (ranks on a log axis with 1 at the left, shares
    as bars on 0–100 %); rows keep the order of ``frame`` (grouped by comparability family, which colours
    them), so statements of different families are never ordered against each other. Each row's ``label``
    names the statement, its year and source; bounded values (超过 60%, 前 3 位) are pale or hollow."""
    df = _prepare(frame, "standing_panels")
    _require(df, ["label", "measure", "family_name"], "standing_panels")
    unknown = sorted(set(df["measure"]) - set(STANDING_PANELS))
    if unknown:
        raise ValueError(f"standing_panels: measures {unknown} have no comparable axis (rank or share only)")
    families = list(dict.fromkeys(df["family_name"]))
    color = alt.Color(
        "family_name:N",
        title="可比口径",
        scale=alt.Scale(domain=families, range=list(PALETTE[: len(families)])),
        legend=alt.Legend(orient="top", direction="horizontal"),
    )
    tips = [
        alt.Tooltip("label:N", title="表述"),
        alt.Tooltip("family_name:N", title="可比口径"),
        alt.Tooltip("_label:N", title="数值"),
        alt.Tooltip("_source:N", title="来源"),
    ]
    panels = []
    for measure, (panel_title, axis_title) in STANDING_PANELS.items():
        part = df[df["measure"] == measure]
        if part.empty:
            continue
        room = _label_room(part["_label"])
        y = alt.Y(
            "label:N",
            sort=list(part["label"]),
            title=None,
            axis=alt.Axis(labelLimit=380, ticks=False, domain=False),
        )
        if measure == "rank":
            top = float(part["value"].max())
            x = alt.X(
                "value:Q",
                title=axis_title,
                scale=alt.Scale(type="log", domain=[1, max(10.0, top * 1.5)]),
                axis=alt.Axis(grid=True, values=[1, 2, 3, 5, 10, 20, 50, 100], format="d"),
            )
            marks = (
                alt.Chart()
                .mark_point(size=90, filled=True, strokeWidth=2, opacity=1)  # Vega-Lite fades points to 0.7
                .encode(
                    x=x,
                    y=y,
                    color=color,
                    stroke=color,
                    fillOpacity=alt.condition("datum._exact", alt.value(1.0), alt.value(0.0)),
                    tooltip=tips,
                )
            )
        else:
            x = alt.X("value:Q", title=axis_title, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(grid=True))
            marks = (
                alt.Chart()
                .mark_bar(height={"band": 0.7})
                .encode(
                    x=x,
                    y=y,
                    color=color,
                    fillOpacity=alt.condition("datum._exact", alt.value(1.0), alt.value(0.35)),
                    strokeDash=alt.condition("datum._exact", alt.value([1, 0]), alt.value([4, 2])),
                    stroke=color,
                    tooltip=tips,
                )
            )
        labels = (
            alt.Chart()
            .mark_text(align="left", dx=8, fontSize=12, color="#333333")
            .encode(x=x, y=y, text="_label:N")
        )
        panels.append(
            alt.layer(marks, labels)
            .transform_filter(alt.datum.measure == measure)
            .properties(
                width=max(160, WIDTH - 380 - room),
                height=max(60, 22 * len(part)),
                title=alt.Title(panel_title, fontSize=13, anchor="start"),
            )
        )
    counts = "，".join(
        f"{STANDING_PANELS[m][0]} {int((df['measure'] == m).sum())} 项"
        for m in STANDING_PANELS
        if (df["measure"] == m).any()
    )
    alt_text = f"分面图：{counts}；按可比口径分组着色，不同口径之间不作比较。" + (takeaway or "")
    chart = alt.vconcat(*panels, data=df, spacing=24).properties(
        title=_title(title, takeaway, df),
        usermeta=_meta("standing", alt_text, takeaway),
    )
    return styled(chart)
