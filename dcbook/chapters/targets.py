"""Facts and charts of chapter 12 规划目标追踪 (slug ``targets``).

No source document says which five-year-plan targets are met, so this chapter computes it with the one
scorecard rule of :mod:`dcbook.targets` (status, definition check, verdict) for the edition at hand; the
chapter's prose is the Markdown of ``book/12_targets.ipynb``. This module hands it facts: each visible plan's
:class:`dcbook.facts.Card` (every target as a :class:`dcbook.facts.Pace`, the verdicts counted once — the
same counts every other chapter states), and what the chapter adds to the card — the definition check of
each target-year figure, how far the missed targets fell short and whether a later year crossed the line,
the comparison of observed and required growth, the breakdown by area, the figures of another definition
that exist for targets without data. Charts are returned untitled (the template's chart directive titles
them).

Functions take a ``dcbook.data.Dataset`` (duck-typed: ``targets``, ``indicators``, ``sources``,
``observations``, ``series``, ``edition``).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import altair as alt
import pandas as pd

from dcbook import charts, render, schema, targets, units
from dcbook import facts as F

SLUG = "targets"
#: Related figures of a *different* definition, for targets whose own indicator has no figure after the
#: base (target indicator → related indicators). Which figure is "related" to a target is an editorial
#: judgement about the catalogue's ids, not something a source prints, so it stays here with the analysis;
#: the figures themselves come from the data, so a new report's values flow through without an edit. They
#: are named in the text so the reader knows they exist, and never scored against the target.
PROXIES: dict[str, tuple[str, ...]] = {
    "online_gov_service_real_name_users": ("national_gov_platform_users", "online_gov_service_users"),
    "e_social_security_card_rate": ("e_social_security_card_holders",),
    "penetration_5g": ("users_5g", "terminal_connections_5g"),
    "info_industry_revenue": ("software_revenue", "electronics_manufacturing_revenue"),
    "digital_core_industry_gdp_share": ("digital_economy_gdp_share",),
}
#: Plans in the order the chapter discusses them (:data:`dcbook.targets.PLAN_NAMES`).
PLANS: tuple[str, ...] = tuple(targets.PLAN_NAMES)
#: Trajectory panels per plan.
MAX_PANELS = 6
#: What the trajectory chart's data table adds to an indicator's name on the rows the book computes.
PATH_LABELS: dict[str, str] = {"规划所需路径": "（规划所需路径，计算值）", "目标": "（规划目标）"}
#: Verdicts that count as "met or on pace" in the area comparisons.
GOOD: tuple[str, ...] = ("已达成", "中途达标", *targets.ON_PACE)


def _isnum(x: Any) -> bool:
    """True for a finite number (scorecard cells may be None or NaN)."""
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


# ----------------------------------------------------------------------------------------------------------
# Scorecards of the edition


def cards(ds: Any) -> dict[str, pd.DataFrame]:
    """Scorecards of every plan visible to the edition, with each indicator's area (its domain's name)."""
    out = {}
    dom = ds.indicators["domain"]
    for plan in targets.visible_plans(ds):
        card = targets.scorecard(ds, plan)
        card["area"] = [
            schema.DOMAIN_NAMES.get(str(dom.get(i)), str(dom.get(i))) for i in card["indicator_id"]
        ]
        out[plan] = card
    return out


def _source(ds: Any, source_id: str) -> F.Source | None:
    return next((s for s in F.sources(ds) if s.id == source_id), None)


def later_met(ds: Any, row: Any) -> F.Value | None:
    """For a missed target: the figure of the first year after the judged one that reaches the target."""
    s = F.series(ds, str(row["indicator_id"]))
    for v in s.values if s is not None else ():
        if v.year > int(row["latest_year"]) and targets.meets(
            v.value, v.qualifier, float(row["target_value"]), str(row["comparator"])
        ):
            return v
    return None


def plan_facts(ds: Any, plan: str, card: pd.DataFrame) -> dict[str, Any]:
    """What the chapter says about a plan as a whole: its names and table source, base years, whether the
    edition has reached the target year, and the sums its summary needs (the counts are the card's)."""
    counts = targets.verdict_counts(card) if len(card) else {}
    base = Counter(int(y) for y in card["base_year"] if _isnum(y))
    main = base.most_common(1)[0][0] if base else None
    attrs = card["attribute"].fillna("").astype(str)
    src = str(card["target_source_id"].iloc[0]) if len(card) else ""
    drawn = progress_frame(ds, card)
    return {
        "name": targets.PLAN_NAMES.get(plan, plan),
        "short": targets.PLAN_SHORT.get(plan, plan),
        "source": _source(ds, src),
        "target_year": int(card["target_year"].max()) if len(card) else None,
        "base_year": main,
        "default_base": plan in targets.DEFAULT_BASE_YEAR,
        "odd_base": tuple(
            {"name": str(n), "year": int(y)}
            for n, y in zip(card["name_zh"], card["base_year"], strict=True)
            if _isnum(y) and int(y) != main
        ),
        "over": targets.plan_over(card, int(ds.edition)),
        "with_data": len(card) - counts.get("无数据", 0),
        "decided": counts.get("已达成", 0) + counts.get("未达成", 0),
        "on_track": sum(counts.get(v, 0) for v in ("已达成", *targets.ON_PACE)),
        "drawn": len(drawn),
        "ahead": int((drawn["progress"] >= drawn["time_share"]).sum()) if len(drawn) else 0,
        "labelled": bool((attrs != "").any()),
        "attributes": tuple({"name": a, "n": int(n)} for a, n in attrs[attrs != ""].value_counts().items()),
    }


def area_facts(card: pd.DataFrame) -> tuple[dict[str, Any], ...]:
    """Targets per area (in card order): how many, how many judged, how many of those met or on pace."""
    out = []
    for area, grp in card.groupby("area", sort=False):
        judged = grp[~grp["verdict"].isin(targets.UNJUDGED)]
        out.append(
            {
                "area": str(area),
                "n": len(grp),
                "judged": len(judged),
                "good": int(judged["verdict"].isin(GOOD).sum()),
            }
        )
    return tuple(out)


def best_area(areas: tuple[dict[str, Any], ...]) -> dict[str, Any] | None:
    """The areas faring best and worst (share met or on pace among the judged), among the areas with at
    least two judged targets when there are such; None when nothing is judged."""
    judged = [a for a in areas if a["judged"]]
    if not judged:
        return None
    two = [a for a in judged if a["judged"] >= 2]
    pool = two or judged
    share = {a["area"]: a["good"] / a["judged"] for a in pool}
    best = max(share, key=lambda a: share[a])
    worst = min(share, key=lambda a: share[a])
    return {
        "best": best,
        "best_share": share[best],
        "bests": tuple(a for a in share if share[a] == share[best]),
        "worst": worst,
        "worst_share": share[worst],
        "worsts": tuple(a for a in share if share[a] == share[worst]),
        "equal": share[best] == share[worst],
        "two_or_more": bool(two),
    }


def _paces(c: F.Card, ids: Any) -> tuple[F.Pace, ...]:
    want = list(ids)
    by_id = {p.indicator: p for p in c.paces}
    return tuple(by_id[i] for i in want if i in by_id)


def split_facts(c: F.Card, card: pd.DataFrame) -> dict[str, Any] | None:
    """Targets whose observed growth (base → judged year) reached the required growth, and those slower."""
    rows = card[card["observed_cagr"].map(_isnum) & card["required_cagr"].map(_isnum)]
    if rows.empty:
        return None
    fast = rows["observed_cagr"].astype(float) >= rows["required_cagr"].astype(float)
    return {
        "fast": _paces(c, rows.loc[fast, "indicator_id"]),
        "slow": _paces(c, rows.loc[~fast, "indicator_id"]),
    }


def fastest_facts(c: F.Card, card: pd.DataFrame) -> dict[str, Any] | None:
    """The targets moving fastest and slowest relative to their requirement (observed / required growth)."""
    rows = card[card["observed_cagr"].map(_isnum) & card["required_cagr"].map(_isnum)].copy()
    rows = rows[rows["required_cagr"].astype(float) > 0]
    if rows.empty:
        return None
    rows["ratio"] = rows["observed_cagr"].astype(float) / rows["required_cagr"].astype(float)
    top = rows.sort_values("ratio", ascending=False).iloc[0]
    low = rows.sort_values("ratio").iloc[0]
    same = low["indicator_id"] == top["indicator_id"]
    return {
        "top": F.pace(c, str(top["indicator_id"]), str(top["plan"])),
        "top_progress": float(top["progress_pct"]) / 100,
        "low": None if same else F.pace(c, str(low["indicator_id"]), str(low["plan"])),
        "low_ahead": bool(low["ratio"] >= 1),
    }


def needs_facts(c: F.Card, card: pd.DataFrame, edition: int) -> dict[str, Any] | None:
    """Targets in progress with the growth now needed per year, grouped by how it compares with the growth
    so far: ``easier`` (less than before), ``faster`` (more), ``unknown`` (no earlier rate)."""
    rows = card[
        card["status"].isin(["进度领先", "符合进度", "落后"])
        & card["required_cagr_from_latest"].map(_isnum)
        & (card["target_year"].astype(int) > edition)
    ]
    if rows.empty:
        return None
    groups: dict[str, list[str]] = {"easier": [], "faster": [], "unknown": []}
    for _, r in rows.iterrows():
        obs = r["observed_cagr"]
        if not _isnum(obs):
            groups["unknown"].append(str(r["indicator_id"]))
        else:
            key = "easier" if float(r["required_cagr_from_latest"]) < float(obs) else "faster"
            groups[key].append(str(r["indicator_id"]))
    return {k: _paces(c, v) for k, v in groups.items()}


def missed_facts(ds: Any, c: F.Card, card: pd.DataFrame) -> tuple[dict[str, Any], ...]:
    """The missed targets (未达成): the judged figure's share of the target, and the first later figure that
    crossed the line (None when the edition has none)."""
    out = []
    for _, r in card[card["verdict"] == "未达成"].iterrows():
        t = float(r["target_value"])
        v = float(r["latest_value"])
        out.append(
            {
                "pace": F.pace(c, str(r["indicator_id"]), str(r["plan"])),
                "share": v / t if t and v > 0 else None,
                "progress": float(r["progress_pct"]) / 100 if _isnum(r["progress_pct"]) else None,
                "later": later_met(ds, r),
            }
        )
    return tuple(out)


def goal_values(card: pd.DataFrame) -> dict[str, F.Value]:
    """Each target as a figure (value and unit of the target, its year), keyed by indicator id."""
    return {
        str(r["indicator_id"]): F.Value(
            indicator=str(r["indicator_id"]),
            name=str(r["name_zh"]),
            value=float(r["target_value"]),
            unit=str(r["unit"] or ""),
            qualifier=F.EXACT,
            year=int(r["target_year"]),
        )
        for _, r in card.iterrows()
    }


def panel_facts(c: F.Card, card: pd.DataFrame) -> tuple[dict[str, Any], ...] | None:
    """The targets drawn in the trajectory chart, and whether each grew slower than the plan requires
    (its observed line below the required path)."""
    ids = _pick_trajectories(card)
    if not ids:
        return None
    rows = card.set_index("indicator_id")
    out = []
    for i in ids:
        below = _below(rows.loc[i])
        out.append(
            {
                "pace": F.pace(c, i, str(rows.at[i, "plan"])),
                "below": bool(below),
                "n_obs": int(rows.at[i, "n_obs"]),
            }
        )
    return tuple(out)


def check_facts(ds: Any, c: F.Card, card: pd.DataFrame) -> dict[str, Any] | None:
    """The definition check of every target-year figure (:func:`dcbook.targets.check_facts`): the count per
    level and, per target, the wordings compared or the shared year that tied the series together."""
    checked = card[card["check"].fillna("") != ""]
    if checked.empty:
        return None
    rows = []
    for _, r in checked.iterrows():
        x = targets.check_facts(ds, r)
        b = x["bridge"]
        bridge = None
        if b is not None:
            name = str(r["name_zh"])
            bridge = {
                "year": int(b["year"]),
                "other_source": _source(ds, str(b["other_source_id"])),
                "table_value": F.Value(
                    str(r["indicator_id"]), name, b["table_value"], b["unit"], F.EXACT, b["year"]
                ),
                "other_value": F.Value(
                    str(r["indicator_id"]), name, b["other_value"], b["unit"], F.EXACT, b["year"]
                ),
            }
        rows.append(
            {
                "pace": F.pace(c, str(r["indicator_id"]), str(r["plan"])),
                "level": str(r["check"]),
                "plan_wording": x["plan_wording"],
                "said": x["said"],
                "bridge": bridge,
            }
        )
    levels = Counter(str(x) for x in checked["check"])
    order = ("措辞相同", "衔接年份一致", "目录同义", "口径待核", "口径不同")
    used = set(checked["latest_source_id"].astype(str))
    return {
        "n": len(checked),
        "sources": tuple(s for s in F.sources(ds) if s.id in used),
        "levels": tuple({"level": k, "n": levels[k]} for k in order if levels.get(k)),
        "rows": tuple(rows),
    }


def over_hundred(c: F.Card) -> F.Pace | None:
    """The first target whose judged figure is a rate above 100 % (a count per head, not a share)."""
    return next((p for p in c.paces if p.unit == "%" and p.latest is not None and p.latest.value > 100), None)


def proxy_facts(ds: Any, c: F.Card) -> tuple[dict[str, Any], ...]:
    """For the targets without data after the base: the latest figure of each related indicator of another
    definition (:data:`PROXIES`)."""
    out = []
    for p in c.paces:
        if p.status != "无数据":
            continue
        for proxy in PROXIES.get(p.indicator, ()):
            if proxy in ds.indicators.index:
                figure = F.value(ds, proxy)
                if figure is not None:
                    out.append({"target": p, "figure": figure})
    return tuple(out)


def gap_facts(card: pd.DataFrame) -> tuple[dict[str, Any], ...]:
    """Targets without data after the base, counted per area (most first)."""
    nd = card[card["status"] == "无数据"]
    c = nd.groupby("area", sort=False).size().sort_values(ascending=False, kind="stable")
    return tuple({"area": str(a), "n": int(k)} for a, k in c.items())


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it), per plan ``fyp13_…`` and
    ``fyp14_…``."""
    cs = cards(ds)
    ed = int(ds.edition)
    out: dict[str, Any] = {
        "tolerance": targets.TOLERANCE,
        "all_expected": bool(cs)
        and all((c["attribute"].fillna("").astype(str) == "预期性").all() for c in cs.values()),
    }
    for plan in PLANS:
        card = cs.get(plan)
        if card is None or card.empty:
            for key in ("", "_plan", "_areas", "_best_area", "_split", "_fastest", "_needs", "_missed"):
                out[plan + key] = None
            for key in ("_checks", "_over100", "_proxies", "_gaps", "_goals", "_panels"):
                out[plan + key] = None
            continue
        c = F.card(ds, frame=card)
        areas = area_facts(card)
        out.update(
            {
                plan: c,
                plan + "_plan": plan_facts(ds, plan, card),
                plan + "_areas": areas,
                plan + "_best_area": best_area(areas),
                plan + "_split": split_facts(c, card),
                plan + "_fastest": fastest_facts(c, card),
                plan + "_needs": needs_facts(c, card, ed),
                plan + "_missed": missed_facts(ds, c, card) or None,
                plan + "_checks": check_facts(ds, c, card),
                plan + "_over100": over_hundred(c),
                plan + "_proxies": proxy_facts(ds, c) or None,
                plan + "_gaps": gap_facts(card) or None,
                plan + "_goals": goal_values(card),
                plan + "_panels": panel_facts(c, card),
            }
        )
    both = [plan for plan in PLANS if plan in cs and not cs[plan].empty]
    out["continued"] = None
    if len(both) >= 2:
        first = set(cs[both[0]]["indicator_id"])
        later = cs[both[-1]]
        out["continued"] = (
            tuple(str(n) for i, n in zip(later["indicator_id"], later["name_zh"], strict=True) if i in first)
            or None
        )
    return out


def headline(ds: Any) -> dict[str, str]:
    """The verdict counts of each plan (the ones every chapter states) and one progress figure."""
    out = {"edition": str(ds.edition)}
    cs = cards(ds)
    for plan, card in cs.items():
        out[plan] = " ".join(f"{s}={n}" for s, n in targets.verdict_counts(card).items())
    c14 = cs.get("fyp14")
    if c14 is not None and not c14.empty:
        g = c14.set_index("indicator_id")
        if "gigabit_fiber_users" in g.index and _isnum(g.at["gigabit_fiber_users", "progress_pct"]):
            out["gigabit_progress_pct"] = f"{float(g.at['gigabit_fiber_users', 'progress_pct']):.1f}"
    return out


# ----------------------------------------------------------------------------------------------------------
# Charts (untitled: the template's chart directive gives title and subtitle)


def progress_frame(ds: Any, card: pd.DataFrame | None) -> pd.DataFrame:
    """Scorecard rows with an observation after the base, shaped for :func:`dcbook.charts.target_progress`
    (progress is the scorecard's own ``progress_pct``, the colour its verdict — what the prose counts)."""
    if card is None or card.empty:
        return pd.DataFrame()
    rows = card.copy()
    rows["status"] = rows["verdict"]
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


def _below(row: Any) -> bool:
    """Whether a target's observed growth is slower than the growth its plan requires."""
    obs, req = row["observed_cagr"], row["required_cagr"]
    return _isnum(obs) and _isnum(req) and float(obs) < float(req)


def _pick_trajectories(card: pd.DataFrame, limit: int = MAX_PANELS) -> list[str]:
    """Indicators worth a trajectory panel: rows with data after the base, taken in turn from those growing
    slower than required and those not (most observations first, then status order, within each), so the
    lagging targets are drawn beside the others instead of being crowded out; returned in card order."""
    rows = card[(card["status"] != "无数据") & card["base_value"].map(_isnum)].copy()
    if rows.empty:
        return []
    rows["_order"] = rows["status"].map({s: i for i, s in enumerate(targets.STATUSES)})
    rows["_below"] = [_below(r) for _, r in rows.iterrows()]
    rows = rows.sort_values(["n_obs", "_order"], ascending=[False, True], kind="stable")
    groups = [list(rows.loc[rows["_below"] == b, "indicator_id"]) for b in (False, True)]
    picked: set[str] = set()
    while len(picked) < limit and any(groups):
        for g in groups:
            if g and len(picked) < limit:
                picked.add(g.pop(0))
    return [i for i in rows["indicator_id"] if i in picked]


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
        base = pd.DataFrame(
            [{"year": b_year, "value": b_val, "qualifier": "exact", "source_id": r["base_source_id"]}]
        )
        if not (s["year"] == b_year).any():
            base["kind"] = "实际"
            obs = pd.concat([base, obs], ignore_index=True)
        req = r["required_cagr"]
        path = []
        # a computed point is shown with the precision of its inputs (80 → 90% gives 82%, not 82.3907)
        digits = max(units.decimals(b_val), units.decimals(t_val))
        for y in range(b_year, t_year + 1):
            if _isnum(req):
                val = b_val * (1 + float(req)) ** (y - b_year)
            else:
                val = b_val + (t_val - b_val) * (y - b_year) / (t_year - b_year)
            val = round(val, digits) if y not in (b_year, t_year) else (b_val if y == b_year else t_val)
            # the book's computation, not any document's figure: no source is named for it
            path.append(
                {"year": y, "value": val, "qualifier": "exact", "source_id": "", "kind": "规划所需路径"}
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
        plan_edition = int(src.at[r["target_source_id"], "edition_year"])
        df = pd.concat([obs, pd.DataFrame(path), pd.DataFrame(goal)], ignore_index=True)
        df["indicator_id"] = ind
        df["unit"] = r["unit"]
        df["_panel"] = panel
        df["computed"] = df["kind"] == "规划所需路径"
        df["source_title"] = [src.at[x, "title"] if x in src.index else "" for x in df["source_id"]]
        # a computed row keeps the plan's edition: it orders rows and must not be NaN (the chart data
        # travels as JSON, which has no NaN)
        df["edition_year"] = [
            int(src.at[x, "edition_year"]) if x in src.index else plan_edition for x in df["source_id"]
        ]
        # The table under the chart tells the computed path and the target from the reported values.
        df["name_zh"] = [f"{r['name_zh']}{PATH_LABELS.get(k, '')}" for k in df["kind"]]
        df["status"] = r["verdict"]
        parts.append(df)
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["year"].astype(int)
    out["qualifier"] = out["qualifier"].fillna("exact")
    return out


def trajectory_chart(frame: pd.DataFrame, *, columns: int = 3) -> alt.FacetChart:
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
        "菱形为目标。"
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
            title=charts._title("", None, df),
            usermeta=charts._meta("small_multiples", alt_text, None),
        )
    )
    return charts.styled(chart)


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts per plan (None where the edition has no figure after the plan's base)."""
    cs = cards(ds)
    out: dict[str, render.Figure | None] = {}
    for plan in PLANS:
        card = cs.get(plan)
        pf = progress_frame(ds, card)
        out[f"{plan}_progress"] = None if pf.empty else render.figure(charts.target_progress(pf))
        tf = trajectory_frame(ds, card)
        out[f"{plan}_trajectory"] = None if tf.empty else render.figure(trajectory_chart(tf))
    return out


__all__ = ["PROXIES", "SLUG", "cards", "facts", "figures", "headline", "trajectory_chart"]
