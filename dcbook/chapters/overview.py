"""Computations behind chapter 01 总览：数字中国建设进程 (slug ``overview``).

The overview reads across domains, so it needs a fixed *selection* of headline indicators (the
:data:`HEADLINE_SLOTS`), never fixed *values*: every figure, ranking and comparison is recomputed from
the edition's dataset. :func:`headline_panel` is shared with the 导读 chapter; the "本版更新" section's comparison of two
editions lives in :mod:`dcbook.changes` (shared with 方法与数据).

Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``, ``series``, ``resolved``, ``indicators``,
``sources``, ``targets``, ``milestones``, ``edition``) so the tests can use small hand-made datasets.
Generic sentence helpers come from :mod:`dcbook.chapters.common`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd
from IPython.display import Markdown

from dcbook import charts, fmt, render, targets
from dcbook.changes import change_text, changes_texts, is_level
from dcbook.chapters.common import (
    PLAN_SHORT,
    figure_or_note,
    latest_sentence,
    name_of,
    number_text,
    series_of,
    share_trend_sentence,
    trend_sentence,
)
from dcbook.chapters.common import qual as _qual
from dcbook.chapters.common import unit_of as _unit

SLUG = "overview"
#: Chapter names of the domains, as the book's table of contents words them.
DOMAIN_ZH: dict[str, str] = {
    "overview": "总览",
    "infrastructure": "数字基础设施",
    "data_resources": "数据资源",
    "innovation": "数字技术创新",
    "digital_economy": "数字经济",
    "digital_government": "数字政府",
    "digital_society": "数字社会",
    "culture_ecology": "数字文化与生态",
    "security_governance": "网络安全与治理",
    "international": "国际合作",
}
#: Headline indicators, one slot each: the first alternative with two or more years of national data
#: in the edition fills the slot, else the first with any data; a slot without data stays empty. The
#: alternatives keep early editions (no 5G, no big-data statistics yet) covered without code changes.
HEADLINE_SLOTS: tuple[tuple[str, ...], ...] = (
    ("digital_economy_size",),
    ("digital_economy_gdp_share",),
    ("internet_users",),
    ("internet_penetration", "rural_internet_penetration"),
    ("base_stations_5g", "fixed_broadband_household_penetration"),
    ("gigabit_fiber_users", "broadband_100m_users"),
    ("online_retail_sales", "ecommerce_transactions"),
    ("software_revenue",),
    ("big_data_industry_size", "data_production_volume"),
    ("gii_rank",),
    ("un_egov_rank", "un_osi_rank"),
    ("social_security_card_holders",),
)
#: Milestone categories in the order the timeline lists them, with their Chinese labels.
CATEGORY_ZH: dict[str, str] = {
    "strategy": "战略",
    "plan": "规划",
    "law": "法律",
    "regulation": "法规政策",
    "evaluation": "评估评价",
    "event": "事件",
}
#: Categories always on the timeline (plans and events only when they belong to the overview domain).
KEY_CATEGORIES: tuple[str, ...] = ("strategy", "law", "evaluation")
#: Below this many key milestones the timeline shows every milestone the edition's sources name.
MIN_KEY_MILESTONES = 6
#: Scorecard verdicts (:func:`dcbook.targets.verdict`) mapped onto the groups the overview compares.
STATUS_GROUP: dict[str, str] = {
    "已达成": "已达成",
    "中途达标": "中途达标",
    "进度领先": "领先或符合进度",
    "符合进度": "领先或符合进度",
    "落后": "落后或未达成",
    "未达成": "落后或未达成",
    "口径待核": "口径待核或无法判定",
    "无法判定": "口径待核或无法判定",
    "无数据": "无数据",
}
#: Verdicts that cannot be judged from the documents.
UNJUDGED: tuple[str, ...] = ("无数据", "无法判定", "口径待核")
PANEL_COLUMNS: tuple[str, ...] = (
    "indicator_id", "name_zh", "domain", "domain_zh", "unit", "higher_is_better",
    "latest_year", "latest_value", "latest_qualifier", "latest_text",
    "start_year", "start_value", "start_qualifier", "n_years", "change_text", "ratio", "cagr",
    "spark_years", "spark_values", "source_id", "source_title", "edition_year",
)  # fmt: skip


# ----------------------------------------------------------------------------------------------------------
# Headline panel (also used by the 导读 chapter)


def _pick(ds: Any, alternatives: Sequence[str]) -> str | None:
    """First alternative with ≥2 years of national data, else the first with any; None if none has data."""
    known = [a for a in alternatives if a in ds.indicators.index]
    for ind in known:
        if len(series_of(ds, ind)) >= 2:
            return ind
    for ind in known:
        if ds.latest(ind) is not None:
            return ind
    return None


def headline_ids(ds: Any, slots: Sequence[Sequence[str]] = HEADLINE_SLOTS) -> list[str]:
    """The headline indicators of the edition, one per slot that has data, in slot order."""
    picked = [_pick(ds, alts) for alts in slots]
    return list(dict.fromkeys(p for p in picked if p is not None))


def headline_panel(ds: Any, slots: Sequence[Sequence[str]] = HEADLINE_SLOTS) -> pd.DataFrame:
    """8–12 headline figures across domains: latest value, change since the earliest year on record, sparkline.

    One row per indicator of :func:`headline_ids`. ``change_text``/``ratio``/``cagr`` are empty when the
    edition has a single year; ``cagr`` only for level indicators with positive ends. ``spark_years`` and
    ``spark_values`` hold the whole resolved national series for a sparkline.
    """
    rows = []
    for ind in headline_ids(ds, slots):
        s = series_of(ds, ind)
        first, last = s.iloc[0], s.iloc[-1]
        unit = _unit(last)
        v0, v1 = float(first["value"]), float(last["value"])
        span = int(last["year"]) - int(first["year"])
        multi = len(s) >= 2
        cagr = None
        if multi and is_level(unit) and v0 > 0 and v1 > 0 and span > 0:
            cagr = (v1 / v0) ** (1 / span) - 1
        meta = ds.indicators.loc[ind]
        rows.append(
            {
                "indicator_id": ind,
                "name_zh": name_of(ds, ind),
                "domain": str(meta["domain"]),
                "domain_zh": DOMAIN_ZH.get(str(meta["domain"]), str(meta["domain"])),
                "unit": unit,
                "higher_is_better": bool(meta["higher_is_better"]),
                "latest_year": int(last["year"]),
                "latest_value": v1,
                "latest_qualifier": _qual(last),
                "latest_text": number_text(v1, unit, _qual(last)),
                "start_year": int(first["year"]) if multi else None,
                "start_value": v0 if multi else None,
                "start_qualifier": _qual(first) if multi else None,
                "n_years": len(s),
                "change_text": change_text(first, last, unit) if multi else "",
                "ratio": v1 / v0 if multi and v0 and is_level(unit) else None,
                "cagr": cagr,
                "spark_years": [int(y) for y in s["year"]],
                "spark_values": [float(v) for v in s["value"]],
                "source_id": last["source_id"],
                "source_title": last["source_title"],
                "edition_year": int(last["edition_year"]),
            }
        )
    return pd.DataFrame(rows, columns=list(PANEL_COLUMNS))


def panel_table(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel as readers see it (Chinese headers, formatted values) for a notebook table."""
    if panel.empty:
        return pd.DataFrame(columns=["领域", "指标", "最新值", "年份", "较最早年份变化"])
    since = [
        f"{c}（较 {int(y)} 年）" if c else "仅有一年数据"
        for c, y in zip(panel["change_text"], panel["start_year"].fillna(0), strict=True)
    ]
    return pd.DataFrame(
        {
            "领域": panel["domain_zh"],
            "指标": panel["name_zh"],
            "最新值": panel["latest_text"],
            "年份": panel["latest_year"].astype(int).astype(str),
            "较最早年份变化": since,
        }
    )


def trend_frame(ds: Any, panel: pd.DataFrame) -> pd.DataFrame:
    """Resolved national rows of the panel's indicators that have two or more years (small multiples)."""
    multi = panel[panel["n_years"] >= 2]["indicator_id"] if not panel.empty else []
    parts = [series_of(ds, i) for i in multi]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def growth_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """Average annual growth of the panel's level indicators, one bar each (value in %).

    A compound annual rate makes series with different spans comparable; a bar whose ends are qualified
    (超过, 约) is drawn as approximate.
    """
    rows = panel[panel["cagr"].notna()] if not panel.empty else panel
    if rows.empty:
        return pd.DataFrame()
    out = pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"],
            "name_zh": rows["name_zh"],
            "item": rows["name_zh"],
            "start_year": rows["start_year"].astype(int),
            "latest_year": rows["latest_year"].astype(int),
            "value": [round(float(c) * 100, 1) for c in rows["cagr"]],
            "unit": "%",
            "qualifier": [
                "exact" if a == b == "exact" else "approx"
                for a, b in zip(rows["start_qualifier"], rows["latest_qualifier"], strict=True)
            ],
            "source_id": rows["source_id"],
            "source_title": rows["source_title"],
            "edition_year": rows["edition_year"],
        }
    )
    return out.reset_index(drop=True)


def _growth_row_text(row: Any) -> str:
    q = "约" if row["qualifier"] != "exact" else ""
    span = fmt.fmt_year_span(int(row["start_year"]), int(row["latest_year"]))
    return f"{row['item']}（{span}），年均增长{q} {fmt.fmt_rate(float(row['value']) / 100, 1)}"


def growth_extremes_sentence(panel: pd.DataFrame) -> str:
    """Fastest and slowest average annual growth among the headline level indicators."""
    g = growth_frame(panel)
    if g.empty:
        return "本版资料中的头条指标都只有一年的数据，无法比较增速"
    g = g.sort_values("value", ascending=False, kind="stable")
    text = f"在有两年以上数据的 {len(g)} 项规模类头条指标中，增长最快的是{_growth_row_text(g.iloc[0])}"
    if len(g) > 1:
        text += f"；最慢的是{_growth_row_text(g.iloc[-1])}"
    return text


def rank_sentence(ds: Any, indicator_id: str, label: str) -> str:
    """Movement of a rank indicator first → latest ("由 2015 年的第 29 位升至 2020 年的第 14 位，上升 15 位")."""
    s = series_of(ds, indicator_id)
    if s.empty:
        return f"本版资料尚未给出{label}"
    last = s.iloc[-1]
    if len(s) == 1:
        return f"{int(last['year'])} 年{label}为第 {int(last['value'])} 位（本版资料仅有这一年）"
    first = s.iloc[0]
    verb = "升至" if float(last["value"]) < float(first["value"]) else "降至"
    verb = "保持" if float(last["value"]) == float(first["value"]) else verb
    return (
        f"{label}由 {int(first['year'])} 年的第 {int(first['value'])} 位{verb} {int(last['year'])} 年的"
        f"第 {int(last['value'])} 位，{change_text(first, last, '位')}"
    )


# ----------------------------------------------------------------------------------------------------------
# Milestones


_TITLE = re.compile(r"《([^》]+)》")


def _precision(date: str) -> str:
    parts = str(date).split("-")
    return {1: "年", 2: "月", 3: "日"}.get(len(parts), "年")


def milestone_frame(ds: Any) -> pd.DataFrame:
    """Every milestone the edition's sources name, dated, with category label and source title.

    A year-only entry that names the same document 《…》 as a more precisely dated entry of the same
    category and year is dropped: two sources dating one event differently should not make two events.
    """
    m = ds.milestones
    cols = [
        "date", "year", "_date", "precision", "event_zh", "category", "category_zh", "domain",
        "source_id", "source_title", "edition_year", "quote",
    ]  # fmt: skip
    if m is None or m.empty:
        return pd.DataFrame(columns=cols)
    src = ds.sources.set_index("source_id")
    df = m.copy().reset_index(drop=True)
    df["date"] = df["date"].astype(str)
    df["year"] = [int(d[:4]) for d in df["date"]]
    parts = [d.split("-") for d in df["date"]]
    df["_date"] = ["-".join([*p, "01", "01"][:3]) for p in parts]
    df["precision"] = [_precision(d) for d in df["date"]]
    df["category_zh"] = df["category"].map(CATEGORY_ZH).fillna(df["category"])
    df["source_title"] = [src.at[s, "title"] for s in df["source_id"]]
    df["edition_year"] = [int(src.at[s, "edition_year"]) for s in df["source_id"]]
    drop = []
    for i, row in df[df["precision"] == "年"].iterrows():
        titles = set(_TITLE.findall(row["event_zh"]))
        if not titles:
            continue
        same = df[
            (df.index != i)
            & (df["category"] == row["category"])
            & (df["year"] == row["year"])
            & (df["precision"] != "年")
        ]
        if any(titles & set(_TITLE.findall(e)) for e in same["event_zh"]):
            drop.append(i)
    df = df.drop(index=drop)
    order = {c: i for i, c in enumerate(CATEGORY_ZH)}
    df["_order"] = df["category"].map(order).fillna(len(order))
    df = df.sort_values(["_date", "_order", "event_zh"], kind="stable").reset_index(drop=True)
    return df[cols]


def key_milestones(ds: Any) -> pd.DataFrame:
    """Milestones for the overview timeline: strategies, laws, evaluations and overview-level plans/events.

    Falls back to every milestone when the edition's sources name fewer than :data:`MIN_KEY_MILESTONES`.
    """
    m = milestone_frame(ds)
    key = m[m["category"].isin(KEY_CATEGORIES) | (m["domain"] == "overview")]
    return (key if len(key) >= MIN_KEY_MILESTONES else m).reset_index(drop=True)


def milestone_chart(frame: pd.DataFrame, *, title: str, takeaway: str | None = None) -> alt.LayerChart:
    """Timeline: one row per milestone (oldest on top), a dot at its date coloured by category.

    Dates the documents give only as a year are drawn hollow at 1 January, in the spirit of the house
    rule that imprecise values are never drawn as precise. (A generic builder for :mod:`dcbook.charts`.)
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
    cats = [c for c in CATEGORY_ZH.values() if c in set(df["category_zh"])]
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
    if not df["_exact"].all():
        subtitle.append("空心点：资料只给出年份，画在该年年初")
    alt_text = (
        f"时间线，{len(df)} 个里程碑按时间先后排列，{fmt.fmt_year_span(years[0], years[-1])}："
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


def milestone_counts(ds: Any) -> dict[str, int]:
    """Milestones per category (every category present, 0 when none)."""
    m = milestone_frame(ds)
    counts = m["category"].value_counts()
    return {c: int(counts.get(c, 0)) for c in CATEGORY_ZH}


def milestone_sentence(ds: Any) -> str:
    """How many milestones the edition's sources name, over which years, by category."""
    m = milestone_frame(ds)
    if m.empty:
        return "本版资料没有记载可以定年的里程碑事件"
    counts = milestone_counts(ds)
    parts = [f"{CATEGORY_ZH[c]} {n} 项" for c, n in counts.items() if n]
    span = fmt.fmt_year_span(int(m["year"].min()), int(m["year"].max()))
    return f"本版资料共记载了 {len(m)} 项可以定年的里程碑，时间跨度为 {span}，其中" + "、".join(parts)


def laws_sentence(ds: Any) -> str:
    """The legal milestones in date order, as "《数据安全法》审议通过（2021-06）"-style items."""
    m = milestone_frame(ds)
    laws = m[m["category"] == "law"]
    if laws.empty:
        return "本版资料尚未记载数字领域的立法进展"
    items = [f"{e}（{d}）" for e, d in zip(laws["event_zh"], laws["date"], strict=True)]
    return f"本版资料记载的 {len(laws)} 项立法进展依次是：" + "；".join(items)


def first_event_sentence(ds: Any, category: str, what: str) -> str:
    """The earliest and latest milestone of a category ("最早的是…（2015-09），最近的是…")."""
    m = milestone_frame(ds)
    rows = m[m["category"] == category]
    if rows.empty:
        return f"本版资料没有记载{what}"
    first = rows.iloc[0]
    text = f"本版资料记载的{what}共 {len(rows)} 项，最早的是{first['event_zh']}（{first['date']}）"
    if len(rows) > 1:
        last = rows.iloc[-1]
        text += f"，最近的是{last['event_zh']}（{last['date']}）"
    return text


def evaluation_sentence(ds: Any) -> str:
    """The Digital China evaluations the sources name, or a statement that none is named yet."""
    m = milestone_frame(ds)
    ev = m[(m["category"] == "evaluation") & m["event_zh"].str.contains("数字中国", regex=False)]
    if ev.empty:
        return "本版资料中尚未出现全国性的数字中国发展水平评估"
    first = ev.iloc[0]
    return (
        f"在本版资料中，{first['event_zh']}发生在 {first['date']} 年，这是对各省数字中国建设的第一次综合评估"
    )


# ----------------------------------------------------------------------------------------------------------
# Plan scorecards (dcbook.targets)


def visible_plans(ds: Any) -> list[str]:
    """Plans whose target table comes from a source the edition can use, oldest first."""
    t = ds.targets
    if t is None or t.empty:
        return []
    visible = set(ds.sources["source_id"])
    plans = t[t["source_id"].isin(visible)]["plan"].astype(str)
    return sorted(set(plans))


def plan_cards(ds: Any) -> dict[str, pd.DataFrame]:
    """Scorecard of every visible plan (:func:`dcbook.targets.scorecard`)."""
    return {p: targets.scorecard(ds, p) for p in visible_plans(ds)}


def scorecard_sentence(cards: dict[str, pd.DataFrame], edition: int | None = None) -> str:
    """The scorecard summaries of all visible plans, joined (:func:`dcbook.targets.summary_sentence`)."""
    if not cards:
        return "本版资料中还没有可以对照的信息化规划目标。"
    return "".join(targets.summary_sentence(c, edition) for c in cards.values())


def plan_status_frame(ds: Any, cards: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Target counts per plan and status group, for one bar chart (unit 项)."""
    src = ds.sources.set_index("source_id")
    rows = []
    for plan, card in cards.items():
        if card.empty:
            continue
        groups = card["verdict"].map(STATUS_GROUP)
        sid = str(card["target_source_id"].iloc[0])
        for g in dict.fromkeys(STATUS_GROUP.values()):
            n = int((groups == g).sum())
            if n:
                rows.append(
                    {
                        "item": f"{PLAN_SHORT.get(plan, plan).replace('规划', '')}：{g}",
                        "name_zh": f"{targets.PLAN_NAMES.get(plan, plan)}主要指标",
                        "value": float(n),
                        "unit": "项",
                        "qualifier": "exact",
                        "source_id": sid,
                        "source_title": src.at[sid, "title"],
                        "edition_year": int(src.at[sid, "edition_year"]),
                    }
                )
    return pd.DataFrame(rows)


def _latest_judged_plan(cards: dict[str, pd.DataFrame]) -> str | None:
    """The newest plan that has at least one judged target (the one the present is measured against)."""
    for plan in sorted(cards, reverse=True):
        if (~cards[plan]["verdict"].isin(UNJUDGED)).any():
            return plan
    return None


def plan_finding(cards: dict[str, pd.DataFrame]) -> str:
    """本章要点 sentence on the newest plan with judged targets, naming those behind."""
    plan = _latest_judged_plan(cards)
    if plan is None:
        return "本版资料中的规划目标都还没有基期之后的数据，无法评估进度。"
    card = cards[plan]
    judged = card[~card["verdict"].isin(UNJUDGED)]
    groups = judged["verdict"].map(STATUS_GROUP)
    ok = int((groups != "落后或未达成").sum())
    ok_words = (
        "已达成（含规划期中途达标）或进度正常"
        if (groups == "中途达标").any()
        else "已达成或进度领先、符合进度"
    )
    text = (
        f"对照{targets.PLAN_NAMES.get(plan, plan)}，本版资料能评估的 {len(judged)} 项指标中 {ok} 项{ok_words}"
    )
    behind = judged[groups == "落后或未达成"]
    if not behind.empty:
        text += "；落后或未达成的是" + "、".join(behind["name_zh"])
    n_missing = len(card) - len(judged)
    if n_missing:
        rest = card.loc[card["verdict"].isin(UNJUDGED), "verdict"].value_counts()
        text += (
            f"；另有 {n_missing} 项无法评估（" + "、".join(f"{v} {int(n)} 项" for v, n in rest.items()) + "）"
        )
    return text + "。"


def behind_sentence(cards: dict[str, pd.DataFrame]) -> str:
    """Every target behind schedule or missed, across plans, named with its plan."""
    parts = []
    for plan, card in cards.items():
        rows = card[card["verdict"].isin(["落后", "未达成"])]
        parts.extend(
            f"{n}（{PLAN_SHORT.get(plan, plan)}，{s}）"
            for n, s in zip(rows["name_zh"], rows["verdict"], strict=True)
        )
    if not parts:
        return "本版资料中没有落后或未达成的规划目标"
    return f"落后或未达成的目标共 {len(parts)} 项：" + "、".join(parts)


# ----------------------------------------------------------------------------------------------------------
# Chapter texts, figures and headline


def coverage_sentence(ds: Any) -> str:
    """How many national indicators of each domain have data in the edition (the breadth of the record)."""
    r = ds.resolved[ds.resolved["region"] == "全国"]
    by = r.drop_duplicates("indicator_id")["domain"].value_counts()
    by = by[[d for d in DOMAIN_ZH if d in by.index and d != "overview"]]
    if by.empty:
        return "本版资料没有全国层面的指标"
    parts = [f"{DOMAIN_ZH[d]} {n} 项" for d, n in by.items()]
    return f"本版资料共有 {int(by.sum())} 项全国指标有数值，分布为：" + "、".join(parts)


def thinnest_domain_sentence(ds: Any) -> str:
    """The domain with the fewest national indicators (where the documents say least in numbers)."""
    r = ds.resolved[ds.resolved["region"] == "全国"]
    by = r.drop_duplicates("indicator_id")["domain"].value_counts()
    counts = {d: int(by.get(d, 0)) for d in DOMAIN_ZH if d != "overview"}
    low = min(counts.values())
    names = [DOMAIN_ZH[d] for d, n in counts.items() if n == low]
    high_d = max(counts, key=lambda d: counts[d])
    return f"指标最多的是{DOMAIN_ZH[high_d]}（{counts[high_d]} 项），最少的是{'、'.join(names)}（{low} 项）"


#: The findings the 本章要点 box leads with, when the edition has a current value for them.
LEAD_FINDINGS: tuple[str, ...] = ("digital_economy_size", "digital_economy_gdp_share")


def own_years(ds: Any) -> tuple[int | None, int]:
    """The years an edition's own data describe: after the previous edition's year, up to its own.

    ``(None, edition)`` for the first edition (every year up to it is its own). The editions are the
    ``edition_year`` values of the sources the edition can see, so a new edition needs no code change.
    """
    edition = int(ds.edition)
    earlier = [int(e) for e in ds.sources["edition_year"] if int(e) < edition]
    return (max(earlier) + 1 if earlier else None, edition)


def lead_indicators(ds: Any, panel: pd.DataFrame, n: int = 2) -> list[str]:
    """The ``n`` indicators the 本章要点 box leads with: :data:`LEAD_FINDINGS` when their latest value
    falls in the edition's own years (:func:`own_years`), else headline-panel indicators that do.

    A finding about the 2020 edition should not cite a 2017 figure "本版资料仅有这一年" when the edition
    has its own, newer figures; only when none is current does an older one stay.
    """
    lo, hi = own_years(ds)

    def current(year: Any) -> bool:
        return (lo is None or int(year) >= lo) and int(year) <= hi

    lead = [i for i in LEAD_FINDINGS if ds.latest(i) is not None and current(ds.latest(i)["year"])]
    if not panel.empty:
        spare = panel[
            panel["latest_year"].map(current) & (panel["unit"] != "位") & ~panel["indicator_id"].isin(lead)
        ].sort_values("n_years", ascending=False, kind="stable")
        lead += list(spare["indicator_id"][: max(0, n - len(lead))])
    if not lead:  # no current figure at all: the lead indicators as far as the edition has them
        lead = [i for i in LEAD_FINDINGS if ds.latest(i) is not None]
    return lead[:n]


def key_findings(ds: Any, panel: pd.DataFrame, cards: dict[str, pd.DataFrame]) -> list[str]:
    """Four or five findings for the 本章要点 box, each a sentence computed from the edition's data."""
    out = []
    for ind in lead_indicators(ds, panel):
        say = share_trend_sentence if _unit(ds.latest(ind)) == "%" else trend_sentence
        out.append(say(ds, ind) + "。")
    out.append(growth_extremes_sentence(panel) + "。")
    out.append(plan_finding(cards))
    m = milestone_frame(ds)
    laws = m[m["category"] == "law"]
    if not laws.empty:
        out.append(
            f"本版资料记载了 {len(laws)} 项数字领域立法进展，最近一项是{laws.iloc[-1]['event_zh']}（{laws.iloc[-1]['date']}）。"
        )
    else:
        out.append(milestone_sentence(ds) + "。")
    return out[:5]


def texts(ds: Any, changes: dict[str, pd.DataFrame] | None = None, prev: int | None = None) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``overview_``)."""
    panel = headline_panel(ds)
    cards = plan_cards(ds)
    n_targets = sum(len(c) for c in cards.values())
    n_judged = sum(int((~c["verdict"].isin(UNJUDGED)).sum()) for c in cards.values())
    out: dict[str, str] = {
        "edition": str(ds.edition),
        "n_sources": f"{len(ds.sources)} 份",
        "coverage": coverage_sentence(ds),
        "thinnest": thinnest_domain_sentence(ds),
        "panel_n": f"{len(panel)} 项",
        "panel_domains": f"{panel['domain'].nunique()} 个" if not panel.empty else "0 个",
        "panel_multi": f"{int((panel['n_years'] >= 2).sum())} 项" if not panel.empty else "0 项",
        "de_size": trend_sentence(ds, "digital_economy_size"),
        "de_share": share_trend_sentence(ds, "digital_economy_gdp_share"),
        "netizens": trend_sentence(ds, "internet_users"),
        "penetration": share_trend_sentence(ds, "internet_penetration"),
        "rural_pen": share_trend_sentence(ds, "rural_internet_penetration"),
        "growth": growth_extremes_sentence(panel),
        "gii": rank_sentence(ds, "gii_rank", "我国在全球创新指数中的排名"),
        "egov": rank_sentence(ds, "un_egov_rank", "我国在联合国电子政务发展指数中的排名"),
        "fiveg": latest_sentence(ds, "base_stations_5g"),
        "data_volume": trend_sentence(ds, "data_production_volume"),
        "milestones": milestone_sentence(ds),
        "laws": laws_sentence(ds),
        "strategies": first_event_sentence(ds, "strategy", "战略性文件"),
        "evaluation": evaluation_sentence(ds),
        "n_key_milestones": f"{len(key_milestones(ds))} 项",
        "plans_n": f"{len(cards)} 个",
        "targets_n": f"{n_targets} 项",
        "targets_judged": f"{n_judged} 项",
        "scorecard": scorecard_sentence(cards, int(ds.edition)),
        "behind": behind_sentence(cards),
        "plan_finding": plan_finding(cards),
    }
    for i, finding in enumerate(key_findings(ds, panel, cards), start=1):
        out[f"key_{i}"] = finding
    out.update(changes_texts(changes, ds, prev))
    return out


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    panel = headline_panel(ds)
    trend = trend_frame(ds, panel)
    growth = growth_frame(panel)
    miles = key_milestones(ds)
    status = plan_status_frame(ds, plan_cards(ds))
    return {
        "trend": figure_or_note(
            trend,
            charts.small_multiples,
            "本版资料中的头条指标都只有一年的数据，不绘制趋势图。",
            title="头条指标的走势",
            takeaway=(
                f"有两年以上数据的 {trend['indicator_id'].nunique()} 项头条指标，各用独立纵轴"
                if not trend.empty
                else None
            ),
            columns=3,
        ),
        "growth": figure_or_note(
            growth,
            charts.bar_ranking,
            "本版资料中的规模类头条指标都只有一年的数据，无法比较年均增速。",
            title="规模类头条指标的年均增速",
            takeaway=growth_extremes_sentence(panel),
            by="item",
        ),
        "timeline": (
            render.figure(
                milestone_chart(
                    miles,
                    title="资料记载的关键里程碑",
                    takeaway=f"{len(miles)} 项，{fmt.fmt_year_span(int(miles['year'].min()), int(miles['year'].max()))}",
                )
            )
            if not miles.empty
            else Markdown("*本版资料没有记载可以定年的里程碑事件。*")
        ),
        "plans": figure_or_note(
            status,
            charts.bar_ranking,
            "本版资料中还没有可以对照的信息化规划目标。",
            title="信息化规划主要指标的评估状态",
            takeaway=scorecard_sentence(plan_cards(ds), int(ds.edition)).split("。")[0],
            by="item",
            descending=False,
        ),
    }


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    panel = headline_panel(ds)
    cards = plan_cards(ds)
    return {
        "edition": str(ds.edition),
        "panel": "、".join(panel["indicator_id"]),
        "digital_economy_size": latest_sentence(ds, "digital_economy_size"),
        "milestones": str(len(milestone_frame(ds))),
        "scorecard": "；".join(
            f"{p}: " + ", ".join(f"{s}={n}" for s, n in targets.verdict_counts(c).items())
            for p, c in cards.items()
        ),
    }


__all__ = [
    "HEADLINE_SLOTS",
    "SLUG",
    "figures",
    "headline",
    "headline_panel",
    "key_findings",
    "texts",
]
