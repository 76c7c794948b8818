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

*Verdict* (:func:`verdict`, column ``verdict``): what the book states, one rule for every plan and chapter.
While the target year is ahead it is the status. A target-year (or later) figure decides only if
:func:`check_facts` ties its wording to the plan table's (措辞相同 / 衔接年份一致 / 目录同义); otherwise
the row is 中途达标 (the plan table's own source showed it met earlier) or 口径待核. Once the edition reaches
the target year "on pace" means nothing: met before but not reported since → 中途达标; no target-year
figure → 无法判定. :func:`scorecard_panel` counts verdicts, as chapter 12 does.

Also reported: ``progress_pct`` (share of the base → target gap closed, clipped to 0–100),
``projected_value`` (straight-line extrapolation base → latest, carried to the target year), and
``required_cagr_from_latest`` (growth per year now needed from the latest value to reach the target).
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

#: Status labels in display order.
STATUSES: tuple[str, ...] = ("已达成", "进度领先", "符合进度", "落后", "未达成", "无数据")
#: What the book states about a target (:func:`verdict`): the progress statuses while the target year is
#: ahead, then 已达成 / 未达成 / 中途达标 / 口径待核 / 无法判定.
VERDICTS: tuple[str, ...] = (
    "已达成",
    "未达成",
    "中途达标",
    "口径待核",
    "无法判定",
    "进度领先",
    "符合进度",
    "落后",
    "无数据",
)
#: Verdicts that cannot be judged from the documents (no data, no comparable target-year figure).
UNJUDGED: tuple[str, ...] = ("无数据", "无法判定", "口径待核")
#: Verdicts that count as behind, and as on pace.
BEHIND: tuple[str, ...] = ("落后", "未达成")
ON_PACE: tuple[str, ...] = ("进度领先", "符合进度")
#: The groups the book compares verdicts in (every summary, chart and chapter uses these).
VERDICT_GROUPS: dict[str, str] = {
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
#: Definition checks that let a target-year figure decide a target (see :func:`check_facts`).
COMPARABLE: tuple[str, ...] = ("措辞相同", "衔接年份一致", "目录同义")
#: The rule that decided a verdict (:func:`decided_by`), with the words the verdict audit prints for it.
RULES: dict[str, str] = {
    "target_year": "目标年（或之后）的数值与目标比较，口径经核对相符",
    "definition": "有目标年数值，但口径无法与规划表对上",
    "mid_period": "规划表所在资料在目标年前已显示达标，此后没有口径相符的数值",
    "met_before": "尚未到目标年，最新数值已达到目标",
    "pace": "尚未到目标年，比较基期以来的实际年均增速与达标所需的年均增速",
    "gap_closed": "尚未到目标年，数值非正，比较已缩小的差距与已过去的时间",
    "over_no_figure": "目标年已过，资料没有目标年的数值",
    "no_data": "基期之后没有数值",
}
#: Relative tolerance on the required growth rate for 符合进度 (±10 %).
TOLERANCE = 0.10
#: Base year for plans whose table prints no base (the 13th FYP table of the 2017 report).
DEFAULT_BASE_YEAR: dict[str, int] = {"fyp13": 2016}
#: Display names of the plans.
PLAN_NAMES: dict[str, str] = {"fyp13": "“十三五”国家信息化规划", "fyp14": "“十四五”国家信息化规划"}
#: Short names of the plans in sentences and chart rows.
PLAN_SHORT: dict[str, str] = {"fyp13": "“十三五”规划", "fyp14": "“十四五”规划"}

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
    "base_qualifier",
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
    "verdict",
    "check",
    "early",
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
    if (higher and q in ("upper_bound", "near")) or (not higher and q == "lower_bound"):
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
            out["base_qualifier"] = str(row.get("qualifier") or "exact")
            out["note"] = f"规划表未列基期值，以{int(b_year)}年观测值为基期"
    out.update(base_year=None if b_year is None else int(b_year), base_value=b_val, base_source_id=b_src)
    if b_year is not None and not out["base_qualifier"]:
        out["base_qualifier"] = "exact"  # a plan table prints its base-year values as they are

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
        rec.update(verdict(ds, rec, getattr(ds, "edition", None)))
        out.append(rec)
    return pd.DataFrame(out, columns=list(COLUMNS))


def status_counts(card: pd.DataFrame) -> dict[str, int]:
    """Count of targets per status, every status present (0 when none), in :data:`STATUSES` order."""
    counts = card["status"].value_counts() if len(card) else pd.Series(dtype=int)
    extra = set(counts.index) - set(STATUSES)
    if extra:
        raise TargetError(f"scorecard has unknown statuses: {sorted(extra)}")
    return {s: int(counts.get(s, 0)) for s in STATUSES}


# ----------------------------------------------------------------------------------------------------------
# The verdict: what the book states about a target (one rule, every plan, every chapter)


def _norm(text: Any) -> str:
    """Quote text without whitespace, for wording checks."""
    return re.sub(r"\s+", "", _text(text))


def plan_wording(target_quote: str) -> str:
    """The indicator's name as printed in the plan table (text before the unit bracket or first number)."""
    text = _norm(target_quote)
    text = re.sub(r"^\d+(?=\D)", "", text)  # a row number glued to the name ("12网上零售额")
    m = re.match(r"^(.+?)(?:[（(]|\d|>)", text)
    return m.group(1) if m else text


def _decimals(printed: Any) -> int:
    text = str(printed)
    return len(text.split(".")[1]) if "." in text else 0


def _scale(row: Any) -> float:
    """Factor from the printed unit to the display unit (values are compared in display units)."""
    printed = float(row["value_printed"])
    return abs(float(row["value"]) / printed) if printed else 1.0


def bridge(ds: Any, indicator_id: str, table_source: str) -> dict[str, Any] | None:
    """A year for which another document repeats a figure of the plan table's source.

    Returns the year, both printed values, the other source and whether they agree within the coarser
    printing precision (29 vs 29.16 agree: 29.16 rounds to 29). None when no year is shared (or the
    dataset object carries no observation table).
    """
    obs = getattr(ds, "observations", None)
    if obs is None or obs.empty:
        return None
    obs = obs[(obs["indicator_id"] == indicator_id) & (obs["region"] == "全国")]
    own = obs[obs["source_id"] == table_source]
    other = obs[obs["source_id"] != table_source]
    best = None
    for _, a in own.iterrows():
        for _, b in other[other["year"] == a["year"]].iterrows():
            d = min(_decimals(a["value_printed"]), _decimals(b["value_printed"]))
            agree = abs(float(a["value"]) - float(b["value"])) <= 0.5 * 10 ** (-d) * _scale(a) + 1e-9
            cand = {
                "year": int(a["year"]),
                "table_value": float(a["value"]),
                "other_value": float(b["value"]),
                "other_source_id": str(b["source_id"]),
                "unit": str(a["unit"]),
                "agree": bool(agree),
            }
            if best is None or (cand["agree"] and not best["agree"]):
                best = cand
    return best


def uses_wording(quote: Any, wording: str) -> bool:
    """Whether a quote uses ``wording``: whole, or split once into a subject and a measure that the quote
    names in that order ("社会保障卡持卡人数达到 13.52 亿人，普及率达 95.7%" uses "社会保障卡普及率"). Both
    parts have at least two characters, so a single shared character never counts."""
    text, word = _norm(quote), _norm(wording)
    if not word:
        return False
    if word in text:
        return True
    for k in range(2, len(word) - 1):
        head, tail = word[:k], word[k:]
        i = text.find(head)
        if i >= 0 and text.find(tail, i + len(head)) >= 0:
            return True
    return False


def _quotes(ds: Any, indicator_id: str, first: Any, table_source: str) -> list[tuple[str, str]]:
    """``(quote, source_id)`` of every national figure of the indicator the edition sees outside the plan
    table's own document, the judged one first: a document that names the indicator in another year still
    says what its figures measure (the table's own rows would only repeat the plan's wording)."""
    out = [(_text(first[0]), _text(first[1]))]
    obs = getattr(ds, "observations", None)
    if obs is not None and not obs.empty:
        rows = obs[(obs["indicator_id"] == indicator_id) & (obs["region"] == "全国")]
        rows = rows[rows["source_id"].astype(str) != table_source]
        out += [(_text(q), _text(src)) for q, src in zip(rows["quote"], rows["source_id"], strict=True)]
    return out


def check_facts(ds: Any, row: Any) -> dict[str, Any]:
    """The definition check of a scorecard row as facts, for a sentence to word.

    ``level`` (措辞相同 / 衔接年份一致 / 口径不同 / 目录同义 / 口径待核), ``plan_wording`` (the plan table's
    name of the indicator), ``said`` (the catalogued name a quote of the indicator uses, for 目录同义) with
    ``said_source`` (whose quote), and ``bridge`` (:func:`bridge`'s shared year, for 衔接年份一致 and 口径不同;
    else None). 目录同义 needs the plan's wording to be the catalogue's name or an alias *and* a quote of the
    indicator (the judged figure's, or another the edition sees) to use a catalogued name: the plan and
    the documents then name the same thing. Only a bridge year whose values disagree (口径不同) records a
    real definition difference; 口径待核 is left for wording the catalogue cannot tie to the plan.
    """
    ind = str(row["indicator_id"])
    wording = plan_wording(_text(row["target_quote"]))
    quote = _norm(row["latest_quote"])
    out: dict[str, Any] = {
        "level": "",
        "plan_wording": wording,
        "said": "",
        "said_source": "",
        "bridge": None,
    }
    if row["latest_source_id"] == row["target_source_id"] or (wording and wording in quote):
        out["level"] = "措辞相同"
        return out
    b = bridge(ds, ind, str(row["target_source_id"]))
    if b is not None:
        out["level"], out["bridge"] = ("衔接年份一致" if b["agree"] else "口径不同"), b
        return out
    meta = ds.indicators.loc[ind]
    aliases = meta.get("aliases")
    known = [str(meta["name_zh"]), *(aliases if isinstance(aliases, list) else [])]
    if wording in known:
        for q, src in _quotes(
            ds, ind, (row["latest_quote"], row["latest_source_id"]), str(row["target_source_id"])
        ):
            said = next((k for k in known if uses_wording(q, k)), None)
            if said:
                out["level"], out["said"], out["said_source"] = "目录同义", said, src
                return out
    out["level"] = "口径待核"
    return out


def early_year(ds: Any, row: Any) -> int | None:
    """First year before the target year in which the plan table's own source shows the target met."""
    s = ds.series(str(row["indicator_id"]))
    if s is None or s.empty:
        return None
    for _, o in s.sort_values("year").iterrows():
        if int(o["year"]) >= int(row["target_year"]) or o["source_id"] != row["target_source_id"]:
            continue
        if meets(
            float(o["value"]), str(o["qualifier"] or "exact"), float(row["target_value"]), row["comparator"]
        ):
            return int(o["year"])
    return None


def verdict(ds: Any, row: Any, edition: int | None) -> dict[str, Any]:
    """What the book states about one scored target: ``verdict``, ``check``, ``early``.

    While the target year is ahead the verdict is the progress status (已达成 / 进度领先 / 符合进度 /
    落后 / 无数据). A figure for the target year (or later) counts only when :func:`check_facts` ties it
    to the plan's wording: then 已达成 / 未达成. Once the edition reaches the target year, "on pace"
    means nothing: the target was met at the target year (已达成), missed (未达成), met in mid-period
    with no comparable later figure (中途达标), has only a target-year figure of another wording
    (口径待核), or cannot be judged from the documents (无法判定).
    """
    out: dict[str, Any] = {"check": "", "early": None}
    t_year = int(row["target_year"])
    over = edition is not None and int(edition) >= t_year
    status = str(row["status"])
    if status == "无数据":
        out["verdict"] = "无法判定" if over else "无数据"
        return out
    out["early"] = early_year(ds, row)
    if int(row["latest_year"]) >= t_year:
        out["check"] = check_facts(ds, row)["level"]
        if out["check"] in COMPARABLE:
            out["verdict"] = status
        else:
            out["verdict"] = "中途达标" if out["early"] is not None else "口径待核"
    elif status == "已达成":
        out["verdict"] = "中途达标" if over else "已达成"
    else:
        out["verdict"] = "无法判定" if over else status
    return out


def decided_by(row: Any) -> str:
    """The :data:`RULES` code that decided a scored row's verdict (the audit's "依据" column)."""
    v = str(row["verdict"])
    if v == "无数据":
        return "no_data"
    if v == "无法判定":
        return "over_no_figure"
    if v == "口径待核":
        return "definition"
    if v == "中途达标":
        return "mid_period"
    if int(row["latest_year"]) >= int(row["target_year"]):
        return "target_year"
    if v == "已达成":
        return "met_before"
    if _num(row.get("observed_cagr")) is None or _num(row.get("required_cagr")) is None:
        return "gap_closed"
    return "pace"


def audit(ds: Any) -> pd.DataFrame:
    """Every target of every plan the edition sees, with the values and the rule that decided its verdict:
    plan, indicator, comparator, target, base and judged figures with their sources, the definition
    check, the observed and required paces, the verdict and :func:`decided_by`'s code."""
    frames = [scorecard(ds, plan) for plan in visible_plans(ds)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=[*AUDIT_COLUMNS])
    card = pd.concat(frames, ignore_index=True)
    card["rule"] = [decided_by(r) for _, r in card.iterrows()]
    return card[list(AUDIT_COLUMNS)].reset_index(drop=True)


#: The scorecard columns the verdict audit keeps, in its order.
AUDIT_COLUMNS: tuple[str, ...] = (
    "plan", "indicator_id", "name_zh", "unit", "comparator", "target_value", "target_year", "target_source_id",
    "base_year", "base_value", "base_source_id", "latest_year", "latest_value", "latest_qualifier",
    "latest_source_id", "check", "observed_cagr", "required_cagr", "verdict", "rule",
)  # fmt: skip


def verdict_counts(card: pd.DataFrame) -> dict[str, int]:
    """Count of targets per verdict in :data:`VERDICTS` order (only verdicts that occur)."""
    counts = card["verdict"].value_counts() if len(card) else pd.Series(dtype=int)
    extra = set(counts.index) - set(VERDICTS)
    if extra:
        raise TargetError(f"scorecard has unknown verdicts: {sorted(extra)}")
    return {v: int(counts[v]) for v in VERDICTS if counts.get(v, 0)}


def plan_over(card: pd.DataFrame, edition: int | None) -> bool:
    """Whether the edition has reached the plan's target year (progress labels no longer apply)."""
    if card.empty or edition is None:
        return False
    return int(edition) >= int(pd.to_numeric(card["target_year"]).max())


def scorecard_panel(ds: Any) -> dict[str, Any]:
    """The plan-target counts other chapters state (overview, introduction's headline panel).

    One computation, reused, so the book never states two different counts: every count is a count of
    :func:`verdict` labels, the ones chapter 12 explains. Returns ``edition`` and ``plans`` (per visible
    plan: ``n``, ``over`` (target year reached), ``counts`` by verdict, ``judged``, ``met``, ``on_track``
    (进度领先 + 符合进度), ``behind`` (落后 + 未达成) and the ``card`` frame). Plans published after the
    edition are absent. The wording is the templates' (``plan_counts`` in ``book/_templates/phrases.jinja``).
    """
    edition = getattr(ds, "edition", None)
    plans: dict[str, dict[str, Any]] = {}
    for plan in visible_plans(ds):
        card = scorecard(ds, plan)
        counts = {v: verdict_counts(card).get(v, 0) for v in VERDICTS}
        plans[plan] = {
            "n": len(card),
            "over": plan_over(card, edition),
            "counts": counts,
            "judged": len(card) - counts["无数据"] - counts["无法判定"],
            "met": counts["已达成"],
            "on_track": counts["进度领先"] + counts["符合进度"],
            "behind": counts["落后"] + counts["未达成"],
            "card": card,
        }
    return {"edition": int(edition or 0), "plans": plans}
