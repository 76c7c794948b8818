"""Computations behind chapter 12 规划目标追踪 (slug ``targets``).

No source document says which five-year-plan targets are met, so this chapter computes it from
:mod:`dcbook.targets` for the edition at hand and explains the result. Everything the notebook glues
comes from :func:`texts`; every chart from :func:`figures`. Functions take a ``dcbook.data.Dataset``
(duck-typed: ``targets``, ``indicators``, ``sources``, ``observations``, ``series``, ``edition``).

Two additions to the scorecard live here:

* **The 13th-FYP verdict** (:func:`fyp13_verdict`). The plan table printed in the 2017 report names its
  indicators in its own words; the 2020 figures come from other documents. Before a target-year figure is
  compared with the target, :func:`comparability` checks that it measures the same thing, in this order:
  the wording of the plan table appears in the figure's quote (措辞相同); or another document repeats a
  figure of the plan table for the same year at the same value, within printing precision, under its own
  wording (衔接年份一致 — the later report treats the table's series as its own); or the plan wording and
  the quote's wording are both registered as names of the same indicator in ``indicators.csv``
  (目录同义). A figure that passes none of these is reported with its face-value result but not counted.
* **Progress charts coloured by the scorecard's own status**: :func:`progress_frame` shapes the
  scorecard for :func:`dcbook.charts.target_progress`, which draws the statuses of :mod:`dcbook.targets`
  with the book's one status colour scale (:data:`dcbook.charts.STATUS_COLORS`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd
from IPython.display import Markdown

from dcbook import charts, fmt, render, targets
from dcbook.chapters import common

SLUG = "targets"
#: The catalogue's domains as the plan areas a reader knows (the 14th-FYP table groups rows similarly).
AREA_NAMES: dict[str, str] = {
    "overview": "总体水平",
    "infrastructure": "数字基础设施",
    "innovation": "技术创新",
    "digital_economy": "数字经济",
    "digital_government": "数字政府",
    "digital_society": "数字社会",
    "data_resources": "数据资源",
    "culture_ecology": "数字文化与生态",
    "security_governance": "网络安全与治理",
    "international": "国际合作",
}
#: Related figures of a *different* definition that the documents give for targets without data. They are
#: named in the text (so the reader knows they exist) but never scored against the target.
PROXIES: dict[str, tuple[str, ...]] = {
    "online_gov_service_real_name_users": ("national_gov_platform_users", "online_gov_service_users"),
    "e_social_security_card_rate": ("e_social_security_card_holders",),
    "penetration_5g": ("users_5g", "terminal_connections_5g"),
    "info_industry_revenue": ("software_revenue", "electronics_manufacturing_revenue"),
    "digital_core_industry_gdp_share": ("digital_economy_gdp_share",),
}
#: Verdict labels (one rule for every plan and chapter: :func:`dcbook.targets.verdict`).
VERDICTS: tuple[str, ...] = targets.VERDICTS
#: Trajectory panels per plan.
MAX_PANELS = 6
COMPARATOR_WORDS: dict[str, str] = {">=": "不低于", ">": "超过", "<=": "不高于", "<": "低于"}


# ----------------------------------------------------------------------------------------------------------
# Small helpers


def _isnum(x: Any) -> bool:
    """True for a finite number (scorecard cells may be None or NaN)."""
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def plan_name(plan: str) -> str:
    return targets.PLAN_NAMES.get(plan, plan)


def plan_short(plan: str) -> str:
    """“十三五”规划 / “十四五”规划."""
    return plan_name(plan).replace("国家信息化规划", "规划")


def value_text(value: float, unit: str, qualifier: str = "exact") -> str:
    """A value as readers see it, with unit and qualifier (ranks as ordinals)."""
    return fmt.fmt_value(value, unit, qualifier=qualifier)


#: The requirement in words: "2025 年不低于 12 亿人" (one implementation for every chapter).
target_words = common.target_text


def pct(x: float, digits: int = 1) -> str:
    """A growth rate (fraction) as a percentage; from a doubling on as "4.4 倍" (增长 N 倍 = N + 1 times)."""
    return fmt.fmt_rate(float(x), digits)


def count(n: int, unit: str = "项") -> str:
    return f"{int(n)} {unit}"


def names(rows: pd.DataFrame, limit: int | None = None) -> str:
    """Indicator names joined with 、 (optionally the first ``limit`` and "等")."""
    items = [str(n) for n in rows["name_zh"]]
    if limit is not None and len(items) > limit:
        return "、".join(items[:limit]) + "等"
    return "、".join(items)


#: The plan table's own wording of an indicator (shared with :mod:`dcbook.targets`).
plan_wording = targets.plan_wording


# ----------------------------------------------------------------------------------------------------------
# Scorecards of the edition


def cards(ds: Any) -> dict[str, pd.DataFrame]:
    """Scorecards of every plan visible to the edition, with each indicator's area (domain name)."""
    out = {}
    for plan in targets.visible_plans(ds):
        card = targets.scorecard(ds, plan)
        dom = ds.indicators["domain"]
        card["area"] = [AREA_NAMES.get(str(dom.get(i)), str(dom.get(i))) for i in card["indicator_id"]]
        out[plan] = card
    return out


#: The definition check and the verdict live in :mod:`dcbook.targets` (every chapter counts the same way).
bridge = targets.bridge
comparability = targets.comparability


def source_title(ds: Any, source_id: str) -> str:
    src = ds.sources.set_index("source_id")
    return f"《{src.at[source_id, 'title']}》" if source_id in src.index else source_id


def fyp13_verdict(ds: Any) -> pd.DataFrame:
    """The 13th-FYP scorecard with its verdict per target (:func:`dcbook.targets.verdict`).

    Verdicts once the target year is reached: 已达成 / 未达成 (a comparable figure for the target year or
    later), 中途达标 (met before the target year; no comparable later figure), 口径待核 (the only
    target-year figure has a different wording that the data cannot tie to the plan's), 无法判定 (no
    target-year figure). Before the target year: the progress statuses.
    """
    card = cards(ds).get("fyp13")
    if card is None or card.empty:
        return pd.DataFrame(columns=[*targets.COLUMNS, "area"])
    return card


def later_met(ds: Any, row: Any) -> tuple[int, float, str] | None:
    """For a missed target: the first later year whose figure reaches it (year, value, qualifier)."""
    s = ds.series(str(row["indicator_id"]))
    for _, o in s.sort_values("year").iterrows():
        if int(o["year"]) > int(row["latest_year"]) and targets.meets(
            float(o["value"]), str(o["qualifier"] or "exact"), float(row["target_value"]), row["comparator"]
        ):
            return int(o["year"]), float(o["value"]), str(o["qualifier"] or "exact")
    return None


# ----------------------------------------------------------------------------------------------------------
# Sentences


def fyp13_verdict_sentence(v: pd.DataFrame, edition: int) -> str:
    """How many of the 13th-FYP targets were met, counting only comparable target-year figures."""
    if v.empty:
        return "本版资料中没有“十三五”规划指标表"
    n = len(v)
    c = v["verdict"].value_counts()
    target_year = int(v["target_year"].iloc[0])
    if edition < target_year:
        met = int(c.get("已达成", 0))
        return (
            f"本版资料截至 {int(v['latest_year'].max())} 年，距“十三五”规划的目标年 {target_year} 年尚早；"
            f"{count(n)}指标中已有 {count(met)}提前达到目标，其余尚在途中"
        )
    decided = int(c.get("已达成", 0) + c.get("未达成", 0))
    text = (
        f"在“十三五”规划的 {count(n)}指标中，有 {count(decided)}能用口径相符的 {target_year} 年（或之后）数据作出判定："
        f"已达成 {count(int(c.get('已达成', 0)))}，未达成 {count(int(c.get('未达成', 0)))}"
    )
    extra = []
    if c.get("中途达标", 0):
        extra.append(f"{count(int(c['中途达标']))}在规划期中途已达标（中途达标），但此后资料没有再报告")
    if c.get("口径待核", 0):
        extra.append(f"{count(int(c['口径待核']))}的目标年数据口径无法与规划表对上（口径待核），暂不计入")
    undecided = v[v["verdict"] == "无法判定"]
    late = int((undecided["status"] != "无数据").sum())
    none = int((undecided["status"] == "无数据").sum())
    if late:
        extra.append(f"{count(late)}资料中没有目标年数据，无法判定")
    if none:
        extra.append(f"{count(none)}没有任何规划期数据，无法判定")
    return text + ("；另有 " + "，".join(extra) if extra else "")


def _gap_text(r: Any) -> str:
    """ "网民规模 2020 年为 9.89 亿人，目标为超过 10 亿人，完成目标值的 98.9%"."""
    v, t = float(r["latest_value"]), float(r["target_value"])
    unit = str(r["unit"] or "")
    share = f"，相当于目标值的 {pct(v / t)}" if t and v > 0 else ""
    comp = COMPARATOR_WORDS.get(str(r["comparator"]), "达到")
    return (
        f"{r['name_zh']} {int(r['latest_year'])} 年为 {value_text(v, unit, str(r['latest_qualifier']))}，"
        f"目标为{comp} {value_text(t, unit)}{share}"
    )


def missed_sentence(ds: Any, v: pd.DataFrame) -> str:
    """The missed 13th-FYP targets with their margins, and whether a later year caught up."""
    miss = v[v["verdict"] == "未达成"]
    if miss.empty:
        if v.empty or int(ds.edition) < int(v["target_year"].iloc[0]):
            return "目标年尚未到来，本版还谈不上哪些目标未达成"
        return "以口径相符的目标年数据衡量，没有一项指标未达成"
    parts = []
    for _, r in miss.iterrows():
        text = _gap_text(r)
        late = later_met(ds, r)
        if late is not None:
            text += f"；{late[0]} 年达到 {value_text(late[1], str(r['unit']), late[2])}，晚于规划 {late[0] - int(r['target_year'])} 年越过目标线"
        parts.append(text)
    return "。".join(parts)


def met_sentence(v: pd.DataFrame) -> str:
    """The targets met at the target year, with how far they overshot."""
    met = v[v["verdict"] == "已达成"]
    if met.empty:
        return "本版资料中还没有以目标年数据确认达成的指标"
    parts = [
        f"{r['name_zh']}（{value_text(float(r['latest_value']), str(r['unit']), str(r['latest_qualifier']))}，"
        f"目标 {value_text(float(r['target_value']), str(r['unit']))}）"
        for _, r in met.iterrows()
    ]
    return "以目标年数据确认达成的有" + "、".join(parts)


def early_sentence(v: pd.DataFrame) -> str:
    """Targets met before the target year and those that cannot be judged."""
    parts = []
    early = v[v["verdict"] == "中途达标"]
    if not early.empty:
        parts.append(
            "中途达标的有"
            + "、".join(
                f"{r['name_zh']}（{int(r['early'] if _isnum(r['early']) else r['latest_year'])} 年）"
                for _, r in early.iterrows()
            )
        )
    gap = v[(v["verdict"] == "无法判定") & (v["status"] != "无数据")]
    if not gap.empty:
        parts.append(
            "无法判定的是"
            + "、".join(
                f"{r['name_zh']}（最后一个数据为 {int(r['latest_year'])} 年的 "
                f"{value_text(float(r['latest_value']), str(r['unit']), str(r['latest_qualifier']))}，"
                f"当时{r['status']}）"
                for _, r in gap.iterrows()
            )
        )
    pend = v[v["verdict"] == "口径待核"]
    if not pend.empty:
        parts.append(
            "口径待核的是"
            + "、".join(f"{r['name_zh']}（按字面数值为{r['status']}）" for _, r in pend.iterrows())
        )
    if not parts and v["verdict"].isin(["进度领先", "符合进度", "落后"]).any():
        return "目标年尚未到来，还谈不上中途达标或缺少目标年数据"
    return "；".join(parts) if parts else "所有指标都有目标年数据可供判定"


def definition_sentence(v: pd.DataFrame) -> str:
    """How each target-year figure was tied to the plan's wording (the definition check)."""
    checked = v[v["check"] != ""]
    if checked.empty:
        return "本版资料没有目标年数据，因而无需核对口径"
    c = checked["check"].value_counts()
    parts = [
        f"{k} {count(int(c[k]))}"
        for k in ("措辞相同", "衔接年份一致", "目录同义", "口径待核", "口径不同")
        if k in c
    ]
    detail = "；".join(
        f"{r['name_zh']}：{r['check_note']}"
        for _, r in checked.iterrows()
        if r["check"] in ("衔接年份一致", "目录同义", "口径待核", "口径不同")
    )
    text = f"参与判定的 {count(len(checked))}目标年数据中，" + "，".join(parts)
    return text + (f"。具体而言，{detail}" if detail else "")


def over_hundred_sentence(v: pd.DataFrame) -> str:
    """A rate above 100% (e.g. 移动宽带用户普及率) needs a word on what it counts."""
    hit = v[(v["unit"] == "%") & v["latest_value"].map(_isnum)]
    hit = hit[hit["latest_value"].astype(float) > 100]
    if hit.empty:
        return "本版没有超过百分之百的普及率数据"
    r = hit.iloc[0]
    return (
        f"{r['name_zh']} {int(r['latest_year'])} 年达到 {value_text(float(r['latest_value']), '%')}，"
        "超过了百分之百：它以用户（号码）数除以人口计算，一人多卡会被重复计入，"
        "所以这一指标衡量的是移动宽带服务的覆盖深度，而不是有多少人在用"
    )


def plan_status_sentence(card: pd.DataFrame | None, plan: str, edition: int) -> str:
    """Counts by status of one plan, or why there are none in this edition."""
    if card is None:
        return f"本版资料中{plan_name(plan)}尚未发布，无从追踪"
    counts = targets.status_counts(card)
    if counts["无数据"] == len(card):
        return (
            f"{plan_name(plan)}共 {count(len(card))}指标，本版资料只有规划基期的数值，"
            f"还没有基期之后的观测，进度无法判断"
        )
    return targets.summary_sentence(card, edition).rstrip("。")


def pace_lines(card: pd.DataFrame) -> pd.DataFrame:
    """Rows still short of their target: observed and required growth, and growth now needed per year."""
    if card is None or card.empty:
        return pd.DataFrame()
    rows = card[card["status"].isin(["进度领先", "符合进度", "落后"])].copy()
    return rows[rows["required_cagr_from_latest"].map(_isnum)].reset_index(drop=True)


def needs_sentence(card: pd.DataFrame | None, edition: int) -> str:
    """For each target not yet met: growth now needed each year vs growth observed so far.

    The comparison with the past pace is said once per group (lower / higher than before), not per item.
    """
    rows = pace_lines(card) if card is not None else pd.DataFrame()
    if rows.empty:
        return "本版没有可以计算所需增速的在途指标"
    groups: dict[str, list[str]] = {"easier": [], "faster": [], "unknown": []}
    for _, r in rows.iterrows():
        if int(r["target_year"]) <= edition:
            continue
        obs = r["observed_cagr"]
        need = float(r["required_cagr_from_latest"])
        item = f"{r['name_zh']}此后每年需增长 {pct(need)}"
        if not _isnum(obs):
            groups["unknown"].append(item + "（此前增速无法计算）")
            continue
        item += f"（{int(r['base_year'])}–{int(r['latest_year'])} 年实际年均增长 {pct(obs)}）"
        groups["easier" if need < float(obs) else "faster"].append(item)
    parts = []
    for key, lead_in in (
        ("easier", "所需增速低于此前实际增速的"),
        ("faster", "所需增速高于此前实际增速、须加速的"),
        ("unknown", "无法与此前增速比较的"),
    ):
        items = groups[key]
        if items:
            parts.append(f"{lead_in}有 {count(len(items))}：" + "；".join(items))
    return "。".join(parts) if parts else "本版在途指标的目标年均已过去"


def lagging_sentence(card: pd.DataFrame | None, edition: int) -> str:
    """The lagging targets (落后) with the growth now needed, or that there are none."""
    if card is None or card.empty:
        return "本版没有可评估的指标"
    lag = card[card["status"] == "落后"]
    if lag.empty:
        judged = card[card["status"] != "无数据"]
        if judged.empty:
            return "本版还没有可评估的指标，也就谈不上哪些落后"
        return f"可评估的 {count(len(judged))}中没有落后于进度的指标"
    parts = []
    for _, r in lag.iterrows():
        need = r["required_cagr_from_latest"]
        latest = value_text(float(r["latest_value"]), str(r["unit"]), str(r["latest_qualifier"]))
        text = f"{r['name_zh']}（{int(r['latest_year'])} 年{common.lead(latest)}，目标为 {target_words(r)}"
        if _isnum(need) and int(r["target_year"]) > edition:
            text += f"，此后每年需增长 {pct(need)}"
        elif int(r["target_year"]) <= edition:
            text += "，目标年已过而资料没有目标年数据"
        parts.append(text + "）")
    return f"落后于进度的有 {count(len(lag))}：" + "；".join(parts)


def fastest_sentence(card: pd.DataFrame | None) -> str:
    """The target moving fastest relative to its requirement (observed / required growth)."""
    if card is None or card.empty:
        return "本版没有可比较快慢的指标"
    rows = card[card["observed_cagr"].map(_isnum) & card["required_cagr"].map(_isnum)].copy()
    rows = rows[rows["required_cagr"].astype(float) > 0]
    if rows.empty:
        return "本版没有可比较快慢的指标"
    rows["ratio"] = rows["observed_cagr"].astype(float) / rows["required_cagr"].astype(float)
    top = rows.sort_values("ratio", ascending=False).iloc[0]
    low = rows.sort_values("ratio").iloc[0]
    text = (
        f"相对规划要求跑得最快的是{top['name_zh']}：实际年均增长 {pct(top['observed_cagr'])}，"
        f"规划只要求 {pct(top['required_cagr'])}，已完成基期到目标差距的 {fmt.fmt_plain(float(top['progress_pct']), 1)}%"
    )
    if low["indicator_id"] != top["indicator_id"]:
        word = "仍快于" if low["ratio"] >= 1 else "慢于"
        text += (
            f"；最慢的是{low['name_zh']}，实际年均增长 {pct(low['observed_cagr'])}，"
            f"{word}所需的 {pct(low['required_cagr'])}"
        )
    return text


#: Verdicts that count as "met or on pace" in the area comparisons, and those that cannot be judged.
GOOD: tuple[str, ...] = ("已达成", "中途达标", "进度领先", "符合进度")
UNJUDGED: tuple[str, ...] = ("无数据", "无法判定", "口径待核")


def area_sentence(card: pd.DataFrame | None) -> str:
    """Verdict counts by area (infrastructure, innovation, economy, government …)."""
    if card is None:
        return "本版资料中还没有这份规划，也就没有按领域的分解"
    if card.empty:
        return "本版没有规划指标可按领域比较"
    parts = []
    for area, grp in card.groupby("area", sort=False):
        judged = grp[~grp["verdict"].isin(UNJUDGED)]
        good = judged["verdict"].isin(GOOD).sum()
        if judged.empty:
            all_ = "均" if len(grp) >= 2 else ""
            parts.append(f"{area} {count(len(grp))}{all_}无法评估")
        else:
            parts.append(
                f"{area} {count(len(grp))}中可评估 {count(len(judged))}、其中达成或进度正常 {count(int(good))}"
            )
    return "；".join(parts)


def nodata_sentence(ds: Any, card: pd.DataFrame | None) -> str:
    """Targets without data after the base, and related figures of another definition (not scored)."""
    if card is None or card.empty:
        return "本版没有规划指标"
    nd = card[card["status"] == "无数据"]
    if nd.empty:
        return "每项指标都有基期之后的数据"
    text = f"没有基期后数据的 {count(len(nd))}是：{names(nd)}"
    related = []
    for ind in nd["indicator_id"]:
        for proxy in PROXIES.get(str(ind), ()):
            if proxy not in ds.indicators.index:
                continue
            row = ds.latest(proxy)
            if row is None:
                continue
            related.append(
                f"{ds.indicators.at[proxy, 'name_zh']}（{int(row['year'])} 年 "
                f"{value_text(float(row['value']), str(row['unit']), str(row['qualifier']))}）"
                f"与{common.quoted(ds.indicators.at[ind, 'name_zh'])}口径不同"
            )
    if related:
        text += "。资料中有几个相近但口径不同的数字：" + "；".join(related) + "，本书不据此判定进度"
    return text


def attribute_sentence(ds: Any) -> str:
    """How many targets are 预期性 (expected) vs 约束性 (binding), and which tables print none."""
    t = targets._visible_targets(ds)
    if t is None or t.empty:
        return "本版资料中没有规划目标"
    parts = []
    for plan in targets.visible_plans(ds):
        rows = t[t["plan"].astype(str) == plan]
        attr = rows["attribute"].fillna("").astype(str)
        if (attr == "").all():
            parts.append(f"{plan_short(plan)}的指标表（{count(len(rows))}）没有标注指标属性")
        else:
            c = attr.value_counts()
            parts.append(
                f"{plan_short(plan)}的 {count(len(rows))}中"
                + "、".join(f"{k} {count(int(n))}" for k, n in c.items() if k)
            )
    return "；".join(parts)


# ----------------------------------------------------------------------------------------------------------
# Charts


def progress_frame(ds: Any, card: pd.DataFrame | None) -> pd.DataFrame:
    """Scorecard rows with an observation after the base, shaped for :func:`dcbook.charts.target_progress`
    (progress is the scorecard's own ``progress_pct``, the colour its own status)."""
    if card is None or card.empty:
        return pd.DataFrame()
    rows = card.copy()
    rows["status"] = rows["verdict"]  # coloured by what the prose counts (dcbook.targets.verdict)
    rows = rows[rows["status"].isin(list(charts.STATUS_COLORS))]
    rows = rows[rows["base_value"].map(_isnum)]
    if rows.empty:
        return pd.DataFrame()
    src = ds.sources.set_index("source_id")
    rows["latest_value"] = rows["latest_value"].astype(float)
    rows["latest_year"] = rows["latest_year"].astype(int)
    rows["qualifier"] = rows["latest_qualifier"].fillna("exact")
    rows["source_id"] = rows["latest_source_id"]
    rows["source_title"] = [src.at[s, "title"] for s in rows["source_id"]]
    rows["edition_year"] = [int(src.at[s, "edition_year"]) for s in rows["source_id"]]
    span = rows["target_year"].astype(float) - rows["base_year"].astype(float)
    elapsed = rows["latest_year"].astype(float) - rows["base_year"].astype(float)
    rows["time_share"] = (elapsed / span).clip(0, 1)
    rows["progress"] = rows["progress_pct"].astype(float) / 100.0
    keep = [
        "indicator_id", "name_zh", "unit", "base_year", "base_value", "latest_year", "latest_value", "qualifier",
        "target_year", "target_value", "comparator", "progress", "time_share", "status", "source_id",
        "source_title", "edition_year",
    ]  # fmt: skip
    return rows[keep].reset_index(drop=True)


def _pick_trajectories(card: pd.DataFrame, limit: int = MAX_PANELS) -> list[str]:
    """Indicators worth a trajectory panel: judged rows, most observations first, then by status order."""
    rows = card[(card["status"] != "无数据") & card["base_value"].map(_isnum)].copy()
    if rows.empty:
        return []
    rows["_order"] = rows["status"].map({s: i for i, s in enumerate(targets.STATUSES)})
    rows = rows.sort_values(["n_obs", "_order"], ascending=[False, True], kind="stable")
    return list(rows["indicator_id"].head(limit))


def trajectory_frame(ds: Any, card: pd.DataFrame | None, limit: int = MAX_PANELS) -> pd.DataFrame:
    """Observed series from the base year on, the required-growth path and the target, per indicator.

    ``kind`` is 实际 (observations), 规划所需路径 (base → target at the required compound growth, or a
    straight line when the base is not positive) or 目标 (the target point).
    """
    if card is None or card.empty:
        return pd.DataFrame()
    src = ds.sources.set_index("source_id")
    parts = []
    for ind in _pick_trajectories(card, limit):
        r = card.set_index("indicator_id").loc[ind]
        b_year, b_val = int(r["base_year"]), float(r["base_value"])
        t_year, t_val = int(r["target_year"]), float(r["target_value"])
        panel = f"{r['name_zh']}（{r['unit']}）" if r["unit"] else str(r["name_zh"])
        s = ds.series(ind)
        s = s[(s["year"] >= b_year)]
        obs = s[["year", "value", "qualifier", "source_id", "quote"]].copy()
        obs["kind"] = "实际"
        t_title = src.at[r["target_source_id"], "title"]
        t_ed = int(src.at[r["target_source_id"], "edition_year"])
        base = pd.DataFrame(
            [{"year": b_year, "value": b_val, "qualifier": "exact", "source_id": r["base_source_id"]}]
        )
        if not (s["year"] == b_year).any():
            base["kind"] = "实际"
            obs = pd.concat([base, obs], ignore_index=True)
        req = r["required_cagr"]
        path = []
        for y in range(b_year, t_year + 1):
            if _isnum(req):
                val = b_val * (1 + float(req)) ** (y - b_year)
            else:
                val = b_val + (t_val - b_val) * (y - b_year) / (t_year - b_year)
            path.append(
                {
                    "year": y,
                    "value": val,
                    "qualifier": "exact",
                    "source_id": r["target_source_id"],
                    "kind": "规划所需路径",
                }
            )
        goal = [
            {
                "year": t_year,
                "value": t_val,
                "qualifier": "exact",
                "source_id": r["target_source_id"],
                "kind": "目标",
            }
        ]
        df = pd.concat([obs, pd.DataFrame(path), pd.DataFrame(goal)], ignore_index=True)
        df["indicator_id"] = ind
        df["name_zh"] = r["name_zh"]
        df["unit"] = r["unit"]
        df["_panel"] = panel
        df["source_title"] = [src.at[x, "title"] if x in src.index else t_title for x in df["source_id"]]
        df["edition_year"] = [
            int(src.at[x, "edition_year"]) if x in src.index else t_ed for x in df["source_id"]
        ]
        df["status"] = r["status"]
        parts.append(df)
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["year"].astype(int)
    out["qualifier"] = out["qualifier"].fillna("exact")
    return out


def trajectory_chart(
    frame: pd.DataFrame, *, title: str, takeaway: str | None = None, columns: int = 3
) -> alt.FacetChart:
    """Small multiples: observed values (solid), the path the plan requires (dashed) and the target (◆)."""
    df = charts._prepare(frame, "trajectory_chart")
    charts._require(df, ["year", "kind", "_panel"], "trajectory_chart")
    panels = list(dict.fromkeys(df["_panel"]))
    columns = max(1, min(columns, len(panels)))
    width = int((charts.WIDTH - 20 * (columns - 1)) / columns) - 50
    years = sorted(df["year"].unique())
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[years[0], years[-1]], nice=False, zero=False),
        axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0, grid=False, labelOverlap=True),
    )
    y = alt.Y(
        "value:Q",
        title=None,
        axis=alt.Axis(format=charts.NUMBER_FORMAT, tickCount=4),
        scale=alt.Scale(zero=True),
    )
    kinds = ["实际", "规划所需路径", "目标"]
    color = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=kinds, range=[charts.PALETTE[0], "#888888", charts.PALETTE[3]]),
    )
    tips = charts._tooltip(df, [alt.Tooltip("kind:N", title="类别")])
    base = alt.Chart().encode(x=x, y=y, color=color)
    path = base.mark_line(strokeDash=[4, 3], strokeWidth=1.5).transform_filter("datum.kind == '规划所需路径'")
    line = base.mark_line(strokeWidth=2).transform_filter("datum.kind == '实际'")
    points = (
        base.mark_point(size=50, strokeWidth=2, opacity=1, filled=False)
        .encode(fill=alt.condition("datum._exact", color, alt.value("white")), tooltip=tips)
        .transform_filter("datum.kind == '实际'")
    )
    goal = (
        base.mark_point(shape="diamond", size=110, filled=True, opacity=1)
        .encode(tooltip=tips)
        .transform_filter("datum.kind == '目标'")
    )
    alt_text = (
        f"小多图，{len(panels)} 个规划指标各占一格：实线为实际值，虚线为按规划所需年均增速从基期到目标的路径，"
        "菱形为目标。" + (takeaway or "")
    )
    chart = (
        alt.layer(path, line, points, goal, data=df)
        .properties(width=width, height=130)
        .facet(
            facet=alt.Facet(
                "_panel:N",
                title=None,
                sort=panels,
                header=alt.Header(labelAnchor="start", labelFontSize=12, labelLimit=width + 40),
            ),
            columns=columns,
        )
        .resolve_scale(y="independent")
        .properties(
            title=charts._title(title, takeaway, df),
            usermeta=charts._meta("small_multiples", alt_text, takeaway),
        )
    )
    return charts.styled(chart)


def _figure_or_note(frame: pd.DataFrame, builder: Any, note: str, **kwargs: Any) -> Any:
    """A rendered figure, or a Markdown note saying why there is none."""
    if frame is None or frame.empty:
        return Markdown(f"*{fmt.md_text(note)}*")
    return render.figure(builder(frame, **kwargs))


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition's data do not support one)."""
    cs = cards(ds)
    out: dict[str, Any] = {}
    for plan in ("fyp13", "fyp14"):
        card = cs.get(plan)
        short = plan_short(plan)
        pf = progress_frame(ds, card)
        counts = targets.verdict_counts(card) if card is not None and not card.empty else {}
        take = "、".join(f"{s} {n} 项" for s, n in counts.items() if s != "无数据")
        nd = int((card["status"] == "无数据").sum()) if counts else 0
        if nd:
            take += f"；其中 {nd} 项没有基期之后的数据，未画出"
        out[f"{plan}_progress"] = _figure_or_note(
            pf,
            charts.target_progress,
            f"本版资料中{short}还没有基期之后的数据，无法绘制进度图。",
            title=f"{short}目标进度（{ds.edition} 年版）",
            takeaway=take or None,
        )
        tf = trajectory_frame(ds, card)
        out[f"{plan}_trajectory"] = _figure_or_note(
            tf,
            trajectory_chart,
            f"本版资料中{short}还没有基期之后的数据，无法绘制轨迹图。",
            title=f"{short}部分指标：实际走势与规划路径",
            takeaway="虚线为按规划所需年均增速推算的路径，菱形为目标值",
        )
    return out


# ----------------------------------------------------------------------------------------------------------
# What the notebook glues


def key_findings(ds: Any) -> list[str]:
    """Five findings for the 本章要点 box, computed from the edition's scorecards."""
    cs = cards(ds)
    v = fyp13_verdict(ds)
    out = [fyp13_verdict_sentence(v, int(ds.edition)) + "。"]
    if not v.empty and int(ds.edition) >= int(v["target_year"].iloc[0]):
        out.append(missed_sentence(ds, v) + "。")
    else:
        out.append(lagging_sentence(cs.get("fyp13"), int(ds.edition)) + "。")
    out.append(plan_status_sentence(cs.get("fyp14"), "fyp14", int(ds.edition)) + "。")
    c14 = cs.get("fyp14")
    if c14 is not None and (c14["status"] != "无数据").any():
        out.append(fastest_sentence(c14) + "。")
    else:  # no 14th-FYP progress yet: the 13th plan's areas take the slot (the box always has five)
        out.append(best_area_sentence(cs.get("fyp13")) + "。")
    out.append(
        "所有规划目标都是预期性指标，本书的判断只说明统计数字与目标的距离，不等于对工作成效的考核。"
        if _all_expected(ds)
        else attribute_sentence(ds) + "。"
    )
    return out[:5]


def _all_expected(ds: Any) -> bool:
    t = targets._visible_targets(ds)
    if t is None or t.empty:
        return False
    attr = t["attribute"].fillna("").astype(str)
    return bool((attr == "预期性").all())  # an unlabelled table (the 13th plan's) is not 预期性


def texts(ds: Any) -> dict[str, str]:
    """Every sentence and figure the chapter's prose glues (keys without the ``targets_`` prefix)."""
    cs = cards(ds)
    ed = int(ds.edition)
    c13, c14 = cs.get("fyp13"), cs.get("fyp14")
    v = fyp13_verdict(ds)
    t = targets.TOLERANCE
    out = {
        "edition": str(ed),
        "n13": count(len(c13)) if c13 is not None else "0 项",
        "n14": count(len(c14)) if c14 is not None else "（本版尚未发布）",
        "fyp14_intro": (
            f"在规划正文中列出 {count(len(c14))}指标，包括作为总体水平指标的数字中国发展指数"
            if c14 is not None
            else "在本版资料中尚未发布，本版只能追踪前者"
        ),
        "tolerance": fmt.fmt_pct(t, 0),
        "tolerance_lo": fmt.fmt_pct(1 - t, 0),
        "tolerance_hi": fmt.fmt_pct(1 + t, 0),
        "fyp13_status": plan_status_sentence(c13, "fyp13", ed),
        "fyp13_verdict": fyp13_verdict_sentence(v, ed),
        "fyp13_met": met_sentence(v),
        "fyp13_missed": missed_sentence(ds, v),
        "fyp13_early": early_sentence(v),
        "fyp13_definitions": definition_sentence(v),
        "fyp13_over100": over_hundred_sentence(v),
        "fyp13_lagging": lagging_sentence(c13, ed),
        "fyp13_areas": area_sentence(c13),
        "fyp14_status": plan_status_sentence(c14, "fyp14", ed),
        "fyp14_areas": area_sentence(c14),
        "fyp14_fastest": fastest_sentence(c14),
        "fyp14_needs": needs_sentence(c14, ed),
        "fyp14_lagging": lagging_sentence(c14, ed),
        "fyp14_nodata": nodata_sentence(ds, c14),
        "attributes": attribute_sentence(ds),
        "fyp13_missed_gap": missed_gap_sentence(v),
        "fyp13_caught_up": caught_up_sentence(ds, v),
        "fyp13_pace_split": pace_split_sentence(c13),
        "fyp13_best_area": best_area_sentence(c13),
        "fyp14_best_area": best_area_sentence(c14),
        "fyp14_gap_areas": gap_area_sentence(c14, "fyp14"),
        "sources": "、".join(f"《{x}》" for x in ds.sources.sort_values("published")["title"]),
    }
    for i, finding in enumerate(key_findings(ds), start=1):
        out[f"key_{i}"] = finding
    return out


def headline(ds: Any) -> dict[str, str]:
    """3–6 stable key figures for the NBVAL_CHECK_OUTPUT cell."""
    panel = targets.scorecard_panel(ds)
    out = {"edition": str(ds.edition)}
    for plan, info in panel["plans"].items():  # the verdict counts every chapter states
        out[plan] = " ".join(f"{s}={n}" for s, n in info["counts"].items() if n)
    c14 = panel["plans"].get("fyp14", {}).get("card")
    if c14 is not None and not c14.empty:
        g = c14.set_index("indicator_id")
        if "gigabit_fiber_users" in g.index and _isnum(g.at["gigabit_fiber_users", "progress_pct"]):
            out["gigabit_progress_pct"] = f"{float(g.at['gigabit_fiber_users', 'progress_pct']):.1f}"
    return out


def chart_count(figs: dict[str, Any]) -> int:
    """How many of :func:`figures` are charts (not notes)."""
    return sum(1 for f in figs.values() if isinstance(f, render.Figure))


__all__: Sequence[str] = (
    "cards",
    "comparability",
    "figures",
    "fyp13_verdict",
    "headline",
    "key_findings",
    "texts",
    "trajectory_chart",
)


# ----------------------------------------------------------------------------------------------------------
# Sentences that keep the interpretive prose true for every edition


def missed_gap_sentence(v: pd.DataFrame) -> str:
    """How far the missed targets fell short (largest shortfall as a share of the target)."""
    miss = v[v["verdict"] == "未达成"] if not v.empty else v
    if miss.empty:
        return "本版没有以目标年数据确认未达成的指标"
    short = [1 - float(r["latest_value"]) / float(r["target_value"]) for _, r in miss.iterrows()]
    worst = max(short)
    text = f"未达成的 {count(len(miss))}与目标的差距最大不过目标值的 {pct(worst)}"
    if worst < 0.05:
        text += "，更像是规划对增速的预期略为乐观，而不是方向出了偏差"
    return text


def caught_up_sentence(ds: Any, v: pd.DataFrame) -> str:
    """Which missed targets were crossed in a later year, or that the edition cannot tell yet."""
    miss = v[v["verdict"] == "未达成"] if not v.empty else v
    if miss.empty:
        return "没有需要追踪补课的指标"
    late = [(r["name_zh"], later_met(ds, r)) for _, r in miss.iterrows()]
    done = [f"{n}（{m[0]} 年）" for n, m in late if m is not None]
    if not done:
        return "本版资料还没有目标年之后越过目标线的记录"
    return "在目标年之后越过目标线的有" + "、".join(done)


def pace_split_sentence(card: pd.DataFrame | None) -> str:
    """Which indicators grew faster / slower than the plan's required path (base → judged year)."""
    if card is None or card.empty:
        return "本版没有可比较的指标"
    rows = card[card["observed_cagr"].map(_isnum) & card["required_cagr"].map(_isnum)]
    if rows.empty:
        return "本版没有可比较的指标"
    fast = rows[rows["observed_cagr"].astype(float) >= rows["required_cagr"].astype(float)]
    slow = rows[rows["observed_cagr"].astype(float) < rows["required_cagr"].astype(float)]
    parts = []
    if not fast.empty:
        parts.append(f"实际年均增速不低于规划所需增速的有 {count(len(fast))}（{names(fast)}）")
    if not slow.empty:
        parts.append(f"慢于规划所需增速的有 {count(len(slow))}（{names(slow)}）")
    return "；".join(parts)


def best_area_sentence(card: pd.DataFrame | None) -> str:
    """The area whose targets fare best and worst (share met or on pace among the judged verdicts)."""
    if card is None:
        return "领域之间的快慢要等这份规划发布、有了进度数据之后才能比较"
    if card.empty:
        return "本版没有规划指标可按领域比较"
    judged = card[~card["verdict"].isin(UNJUDGED)]
    if judged.empty:
        return "本版还没有可以按领域比较的进度数据"
    good = judged["verdict"].isin(GOOD)
    share = good.groupby(judged["area"]).mean()
    n = judged.groupby("area").size()
    share = share[n >= 2] if (n >= 2).any() else share
    best, worst = share.idxmax(), share.idxmin()
    if share[best] == share[worst]:
        return f"各领域可评估的指标中，达成或进度正常的比例相同（均为 {fmt.fmt_pct(share[best], 0)}）"
    text = f"在可评估指标不少于两项的领域中，完成情况最好的是{best}（达成或进度正常的占 {fmt.fmt_pct(share[best], 0)}）"
    if worst != best and share[worst] < share[best]:
        text += f"，最弱的是{worst}（{fmt.fmt_pct(share[worst], 0)}）"
    return text


def gap_area_sentence(card: pd.DataFrame | None, plan: str) -> str:
    """Where the data gaps of a plan concentrate (areas with the most 无数据 targets)."""
    if card is None:
        return f"本版资料中{plan_name(plan)}尚未发布"
    nd = card[card["status"] == "无数据"]
    if nd.empty:
        return "每个领域都有数据"
    c = nd.groupby("area").size().sort_values(ascending=False, kind="stable")
    return "空白最多的领域依次是" + "、".join(f"{a}（{count(int(k))}）" for a, k in c.items())
