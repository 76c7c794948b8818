"""Plan-target scorecards: is an indicator met, on track or behind its five-year-plan target?

No source document says which targets are met, so the book computes it — and recomputes it with
every edition, from ``data/targets.csv`` and the resolved observations of :mod:`dcbook.data`.
Everything here is a pure function of a dataset object (``ds.targets``, ``ds.indicators``,
``ds.series(indicator_id)``, ``ds.edition``), so the rule is tested once on hand-made series.

The rule (all values first converted to the indicator's display unit with :func:`dcbook.units.convert`)
------------------------------------------------------------------------------------------------------
*Base.* The target row's ``base_year``/``base_value``. The 13th-FYP table prints no base, so its base is
the observation of :data:`DEFAULT_BASE_YEAR` (2016, the plan's first year); failing that, the earliest
observation before the target year.

*Observations that count* are those after the base year (all of them if there is no base).

*Met* (:func:`meets`) respects the comparator and the qualifier of the printed value:

========================  ==================================  =================================
qualifier (printed as)    ``>=`` / ``>`` (more is better)     ``<=`` / ``<`` (less is better)
========================  ==================================  =================================
exact                     v >= t  /  v > t                    v <= t  /  v < t
lower_bound (超过, 以上)  v >= t (true value is at least v)   never (true value may be larger)
upper_bound (不到, 以下)  never (true value may be smaller)   v <= t
approx (约, 近, 左右)     counted at face value: v >= t / v > t  v <= t / v < t
========================  ==================================  =================================

A ``lower_bound`` value equal to a ``>`` target counts as met: 超过/突破/逾 X means more than X.
An ``approx`` value counts only if the printed number reaches the target by itself; 近 X (nearly X)
therefore never rounds up to a target above X.

*Status* (first rule that applies):

1. 无数据 — no observation after the base year.
2. The documents give a value for the target year or later: the target-year value (or, if none, the
   earliest later one) decides — 已达成 if it meets the target, else 未达成.
3. The latest observation (before the target year) already meets the target: 已达成 (early).
4. Otherwise progress: the observed compound annual growth base → latest is compared with the growth
   required base → target. Observed >= required x (1 + :data:`TOLERANCE`) → 进度领先; observed >=
   required x (1 - TOLERANCE) → 符合进度; else 落后. For a less-is-better target the same comparison is
   made on the size of the decline. If a value is not positive (no CAGR), the share of the gap closed is
   compared with the share of the plan period elapsed, with the same tolerance.
   If the edition is past the target year but the documents give no target-year value, the row keeps
   its progress status and ``note`` says so (never a guessed verdict).

Also reported: ``progress_pct`` (share of the base → target gap closed, clipped to 0–100),
``projected_value`` (straight-line extrapolation base → latest, carried to the target year), and
``required_cagr_from_latest`` (growth per year now needed from the latest value to reach the target).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

#: Status labels in display order.
STATUSES: tuple[str, ...] = ("已达成", "进度领先", "符合进度", "落后", "未达成", "无数据")
#: Relative tolerance on the required growth rate for 符合进度 (±10 %).
TOLERANCE = 0.10
#: Base year for plans whose table prints no base (the 13th FYP table of the 2017 report).
DEFAULT_BASE_YEAR: dict[str, int] = {"fyp13": 2016}
#: Display names of the plans.
PLAN_NAMES: dict[str, str] = {"fyp13": "“十三五”国家信息化规划", "fyp14": "“十四五”国家信息化规划"}

COLUMNS: tuple[str, ...] = (
    "plan",
    "indicator_id",
    "name_zh",
    "unit",
    "comparator",
    "attribute",
    "base_year",
    "base_value",
    "base_source_id",
    "latest_year",
    "latest_value",
    "latest_qualifier",
    "latest_source_id",
    "latest_quote",
    "target_year",
    "target_value",
    "progress_pct",
    "required_cagr",
    "observed_cagr",
    "required_cagr_from_latest",
    "projected_value",
    "status",
    "note",
    "n_obs",
    "target_source_id",
    "target_locator",
    "target_quote",
)


class TargetError(ValueError):
    """A target row that cannot be scored (unknown indicator, bad comparator, unit mismatch)."""


def _convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert with :func:`dcbook.units.convert`; identical units need no table."""
    if (from_unit or "") == (to_unit or ""):
        return value
    from dcbook.units import convert  # imported late: units is optional for same-unit data

    return float(convert(value, from_unit, to_unit))


def _num(x: Any) -> float | None:
    """Float of a CSV cell, None for empty/NaN."""
    if x is None or (isinstance(x, str) and not x.strip()):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _text(x: Any) -> str:
    """String of a CSV cell, '' for empty/NaN (typed loaders turn empty cells into NaN)."""
    return "" if x is None or (not isinstance(x, str) and pd.isna(x)) else str(x)


def _higher(comparator: str) -> bool:
    """True when the comparator asks for more (>=, >)."""
    if comparator in (">=", ">"):
        return True
    if comparator in ("<=", "<"):
        return False
    raise TargetError(f"unknown comparator {comparator!r} (expected >=, >, <=, <)")


def meets(value: float, qualifier: str, target: float, comparator: str) -> bool:
    """Whether a printed observation meets a target (see the module docstring's table)."""
    higher = _higher(comparator)
    strict = comparator in (">", "<")
    q = qualifier or "exact"
    if (higher and q == "upper_bound") or (not higher and q == "lower_bound"):
        return False
    if q == "lower_bound" and strict:
        return value >= target  # 超过 X already means strictly more than X
    if higher:
        return value > target if strict else value >= target
    return value < target if strict else value <= target


def _cagr(start: float, end: float, years: float) -> float | None:
    """Compound annual growth, None when undefined (non-positive values or no elapsed time)."""
    if years <= 0 or start <= 0 or end <= 0:
        return None
    return (end / start) ** (1.0 / years) - 1.0


def _classify(observed: float, required: float, higher: bool) -> str:
    """进度领先 / 符合进度 / 落后 from observed vs required pace (signed by direction)."""
    o, r = (observed, required) if higher else (-observed, -required)
    if r <= 0:  # no movement required, yet not met (rule 3 ran first): behind
        return "符合进度" if o >= 0 else "落后"
    if o >= r * (1 + TOLERANCE):
        return "进度领先"
    if o >= r * (1 - TOLERANCE):
        return "符合进度"
    return "落后"


def score_target(
    target: dict[str, Any],
    series: pd.DataFrame,
    display_unit: str,
    edition: int | None = None,
) -> dict[str, Any]:
    """Score one target row against one resolved series (values already in ``display_unit``)."""
    plan = str(target.get("plan", ""))
    comparator = str(target["comparator"])
    higher = _higher(comparator)
    printed_unit = _text(target.get("unit"))
    t_year = int(_num(target["target_year"]) or 0)
    t_raw = _num(target["target_value"])
    if t_raw is None or not t_year:
        raise TargetError(f"targets.csv: {plan}/{target.get('indicator_id')}: target_value/target_year empty")
    t_val = _convert(t_raw, printed_unit, display_unit)

    # An empty series may arrive without columns (no observation at all): give it the shape the rules read.
    if series is None or series.empty:
        s = pd.DataFrame(columns=["year", "value", "qualifier", "source_id"])
    else:
        s = series.copy()
    if len(s):
        s["year"] = s["year"].astype(int)
        s["value"] = s["value"].astype(float)
        s = s.sort_values("year").reset_index(drop=True)

    out: dict[str, Any] = {c: None for c in COLUMNS}
    out.update(
        plan=plan,
        indicator_id=target.get("indicator_id"),
        unit=display_unit,
        comparator=comparator,
        attribute=_text(target.get("attribute")),
        target_year=t_year,
        target_value=t_val,
        target_source_id=target.get("source_id"),
        target_locator=target.get("locator"),
        target_quote=target.get("quote"),
        note="",
    )

    # base
    b_year = _num(target.get("base_year"))
    b_val = _num(target.get("base_value"))
    b_src = target.get("source_id") if b_year is not None else None
    if b_year is not None and b_val is not None:
        b_val = _convert(b_val, printed_unit, display_unit)
    elif len(s):
        want = DEFAULT_BASE_YEAR.get(plan)
        pick = s[s["year"] == want] if want is not None else s.iloc[0:0]
        if pick.empty:
            pick = s[s["year"] < t_year].head(1)
        if not pick.empty:
            row = pick.iloc[0]
            b_year, b_val, b_src = float(row["year"]), float(row["value"]), row.get("source_id")
            out["note"] = f"规划表未列基期值，以{int(b_year)}年观测值为基期"
    out.update(base_year=None if b_year is None else int(b_year), base_value=b_val, base_source_id=b_src)

    obs = s if b_year is None else s[s["year"] > b_year]
    out["n_obs"] = len(obs)
    if obs.empty:
        out["status"] = "无数据"
        out["progress_pct"] = None
        return out

    late = obs[obs["year"] >= t_year]
    if not late.empty:
        at = late[late["year"] == t_year]
        judge = (at if not at.empty else late).iloc[0]
    else:
        judge = obs.iloc[-1]
    _fill_latest(out, judge)
    v, y = float(judge["value"]), int(judge["year"])
    ok = meets(v, str(judge.get("qualifier") or "exact"), t_val, comparator)

    if b_val is not None and b_year is not None and b_val != t_val:
        pct = (v - b_val) / (t_val - b_val) * 100.0
        out["progress_pct"] = 100.0 if ok else max(0.0, min(100.0, pct))
        span = y - b_year
        if span > 0:
            out["projected_value"] = v + (v - b_val) / span * (t_year - y)
        out["required_cagr"] = _cagr(b_val, t_val, t_year - b_year)
        out["observed_cagr"] = _cagr(b_val, v, y - b_year)
    elif ok:
        out["progress_pct"] = 100.0
    if y < t_year:
        out["required_cagr_from_latest"] = None if ok else _cagr(v, t_val, t_year - y)

    if not late.empty:
        out["status"] = "已达成" if ok else "未达成"
    elif ok:
        out["status"] = "已达成"
        if y < t_year:
            out["note"] = _join(out["note"], f"{y}年已提前达到目标")
    elif b_val is None or b_year is None:
        out["status"] = "无数据"
        out["note"] = _join(out["note"], "无基期值，无法判断进度")
    else:
        req, obs_g = out["required_cagr"], out["observed_cagr"]
        if req is not None and obs_g is not None:
            out["status"] = _classify(obs_g, req, higher)
        else:  # non-positive values: share of gap closed vs share of time elapsed
            closed = (v - b_val) / (t_val - b_val)
            elapsed = (y - b_year) / (t_year - b_year)
            out["status"] = _classify(closed, elapsed, True)
        if edition is not None and edition >= t_year:
            out["note"] = _join(
                out["note"], f"目标年{t_year}年已过，但资料未给出目标年数据；状态按{y}年进度判断"
            )
    return out


def _fill_latest(out: dict[str, Any], row: pd.Series) -> None:
    """Copy the judged observation and its provenance into the scorecard row."""
    out.update(
        latest_year=int(row["year"]),
        latest_value=float(row["value"]),
        latest_qualifier=row.get("qualifier") or "exact",
        latest_source_id=row.get("source_id"),
        latest_quote=row.get("quote"),
    )


def _join(a: str, b: str) -> str:
    return f"{a}；{b}" if a else b


def _visible_targets(ds: Any) -> pd.DataFrame:
    """Target rows whose source document the edition can see.

    ``ds.targets`` holds every plan; a plan published after the edition (the 14th FYP for the 2017
    edition) must not appear in that edition's scorecards. Without ``ds.sources`` nothing is filtered.
    """
    targets = ds.targets
    sources = getattr(ds, "sources", None)
    if (
        targets is None
        or targets.empty
        or sources is None
        or "source_id" not in getattr(sources, "columns", ())
    ):
        return targets
    return targets[targets["source_id"].isin(set(sources["source_id"]))]


def visible_plans(ds: Any) -> list[str]:
    """Plans with at least one target row visible to the edition, in :data:`PLAN_NAMES` order."""
    targets = _visible_targets(ds)
    if targets is None or targets.empty:
        return []
    present = set(targets["plan"].astype(str))
    return [p for p in PLAN_NAMES if p in present] + sorted(present - set(PLAN_NAMES))


def scorecard(ds: Any, plan: str) -> pd.DataFrame:
    """One row per target of ``plan`` with base, judged observation, target, growth and status.

    A plan that exists in ``targets.csv`` but was published after the edition gives an empty frame.
    """
    all_targets = ds.targets
    if all_targets is None or all_targets.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    if plan not in set(all_targets["plan"].astype(str)):
        known = sorted(set(all_targets["plan"].astype(str)))
        raise TargetError(f"targets.csv: no rows for plan {plan!r} (plans present: {', '.join(known)})")
    targets = _visible_targets(ds)
    rows = targets[targets["plan"].astype(str) == plan]
    if rows.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    indicators = ds.indicators
    out = []
    for line, (_, t) in enumerate(rows.iterrows()):
        ind = t["indicator_id"]
        if ind not in indicators.index:
            raise TargetError(
                f"targets.csv: {plan} row {line + 1}: indicator_id {ind!r} not in indicators.csv"
            )
        meta = indicators.loc[ind]
        unit = "" if pd.isna(meta.get("unit")) else str(meta.get("unit") or "")
        rec = score_target(t.to_dict(), ds.series(ind), unit, getattr(ds, "edition", None))
        rec["name_zh"] = meta.get("name_zh")
        out.append(rec)
    return pd.DataFrame(out, columns=list(COLUMNS))


def status_counts(card: pd.DataFrame) -> dict[str, int]:
    """Count of targets per status, every status present (0 when none), in :data:`STATUSES` order."""
    counts = card["status"].value_counts() if len(card) else pd.Series(dtype=int)
    extra = set(counts.index) - set(STATUSES)
    if extra:
        raise TargetError(f"scorecard has unknown statuses: {sorted(extra)}")
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def summary_sentence(card: pd.DataFrame) -> str:
    """A one-sentence Chinese summary with computed counts, e.g. for the overview chapter."""
    if card.empty:
        return "暂无规划目标数据。"
    plans = sorted(set(card["plan"].astype(str)))
    name = "、".join(PLAN_NAMES.get(p, p) for p in plans)
    counts = status_counts(card)
    parts = [f"{s}{n}项" for s, n in counts.items() if n]
    judged = len(card) - counts["无数据"]
    sentence = f"{name}的{len(card)}项主要指标中，" + "，".join(parts) + "。"
    if judged:
        on_track = counts["已达成"] + counts["进度领先"] + counts["符合进度"]
        sentence += f"在有数据可判断的{judged}项中，{on_track}项已达成或进度符合预期。"
    return sentence


def scorecard_panel(ds: Any) -> dict[str, Any]:
    """The plan-target summary other chapters show (overview, introduction's headline panel).

    One computation, reused, so the book never states two different counts. Returns ``edition``,
    ``plans`` (per visible plan: ``name``, ``n``, ``counts`` by status, ``judged``, ``met``,
    ``on_track`` (进度领先 + 符合进度), ``behind`` (落后 + 未达成), ``sentence`` and the ``card``
    frame), ``headline`` (one sentence over all plans) and ``figures`` (label/value pairs for a panel).
    Plans published after the edition are absent.
    """
    plans: dict[str, dict[str, Any]] = {}
    for plan in visible_plans(ds):
        card = scorecard(ds, plan)
        counts = status_counts(card)
        plans[plan] = {
            "name": PLAN_NAMES.get(plan, plan),
            "n": len(card),
            "counts": counts,
            "judged": len(card) - counts["无数据"],
            "met": counts["已达成"],
            "on_track": counts["进度领先"] + counts["符合进度"],
            "behind": counts["落后"] + counts["未达成"],
            "sentence": summary_sentence(card),
            "card": card,
        }
    parts, figures = [], []
    for info in plans.values():
        if info["judged"] == 0:
            parts.append(f"{info['name']}{info['n']}项指标尚无基期之后的数据")
            figures.append({"label": f"{info['name']}：可评估指标", "value": f"0/{info['n']} 项"})
            continue
        parts.append(
            f"{info['name']}{info['n']}项指标中可评估{info['judged']}项，已达成{info['met']}项、"
            f"进度领先或符合进度{info['on_track']}项、落后或未达成{info['behind']}项"
        )
        figures.append({"label": f"{info['name']}：已达成", "value": f"{info['met']}/{info['n']} 项"})
        figures.append(
            {"label": f"{info['name']}：进度领先或符合进度", "value": f"{info['on_track']}/{info['n']} 项"}
        )
        figures.append(
            {"label": f"{info['name']}：落后或未达成", "value": f"{info['behind']}/{info['n']} 项"}
        )
    headline = "；".join(parts) + "。" if parts else "本版资料中没有规划目标。"
    return {
        "edition": int(getattr(ds, "edition", 0) or 0),
        "plans": plans,
        "headline": headline,
        "figures": figures,
    }
