"""Facts, tables and charts of chapter 11 地区评价 (slug ``regional``).

The chapter's prose is the Markdown of ``book/11_regional.ipynb``; this module only computes what it talks
about. The provincial evaluations of the yearly reports (``data/regional.csv``) come in a different shape in
each report — scores of a top ten, tiers of all provinces, unordered top-ten lists — under index systems
that changed (``data/frameworks.csv``); :mod:`dcbook.regional` turns the rows into matrices, and this module
turns those into facts (plain mappings of numbers, names and years), tables and untitled charts. Nothing is
keyed on a year, a framework id or a province: the "current" evaluation is the newest one visible to the
edition, and provinces and their macro regions come from ``data/provinces.csv``, so a new year of
``regional.csv`` rows flows through without code changes. (What the reports *say* about the leading
provinces is the editor's reading, written in the Markdown for each evaluation.)

Functions take a ``dcbook.data.Dataset`` duck-typed (``edition``, ``regional``, ``frameworks``,
``provinces``, ``sources``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from dcbook import charts, fmt, render
from dcbook import facts as F
from dcbook import regional as rg

SLUG = "regional"
#: Tile-map category of a printed rank, by the upper bound of its bucket (ranks above 10 fall in the last).
RANK_BUCKETS: tuple[tuple[int, str], ...] = ((3, "第 1–3 名"), (6, "第 4–6 名"), (10, "第 7–10 名"))
BEYOND_TOP = "第 11 名以后"
#: Unit of the printed scores (a Value's unit, so the templates print "82.97 分").
SCORE_UNIT = "分"


# ----------------------------------------------------------------------------------------------------------
# The evaluations visible to the edition


def evaluations(ds: Any) -> pd.DataFrame:
    """(year, framework, source_id, source_title, edition_year) of every visible evaluation, oldest first."""
    eds = rg.editions(ds)
    src = ds.sources.set_index("source_id")
    eds["source_title"] = [str(src.at[s, "title"]) if s in src.index else s for s in eds["source_id"]]
    eds["edition_year"] = [
        int(src.at[s, "edition_year"]) if s in src.index else None for s in eds["source_id"]
    ]
    return eds


def current(ds: Any) -> pd.Series | None:
    """The newest evaluation visible to the edition (None when the edition has no regional data)."""
    eds = evaluations(ds)
    return None if eds.empty else eds.iloc[-1]


def _is_rank(cell: object) -> bool:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def _is_tier(cell: object) -> bool:
    return isinstance(cell, str) and cell.endswith("梯队")


def cell_text(cell: object) -> str:
    """A matrix cell as readers see it: a printed rank becomes "第 N 名"; labels stay as printed."""
    if _is_rank(cell):
        return f"第 {int(cell)} 名"  # type: ignore[call-overload]
    return str(cell)


def cell_category(cell: object) -> str | None:
    """Tile-map category of a matrix cell (rank bucket, tier, 前十, 未进前十); None when unpublished."""
    if _is_rank(cell):
        for upper, label in RANK_BUCKETS:
            if int(cell) <= upper:  # type: ignore[call-overload]
                return label
        return BEYOND_TOP
    if cell == rg.UNPUBLISHED:
        return None
    return str(cell)


def members(column: pd.Series) -> list[str]:
    """Provinces of an edition-matrix column in the top group: ranks up to ten, 前十, or the best tier."""
    cats = column.map(cell_category)
    tiers = [c for c in cats if _is_tier(c)]
    best = min(tiers, key=rg.tier_order) if tiers else None
    return [
        str(p)
        for p, c in cats.items()
        if c not in (None, rg.NOT_IN_TOP, BEYOND_TOP) and (not _is_tier(c) or c == best)
    ]


def category_order(categories: Sequence[str]) -> list[str]:
    """Best result first: rank buckets, 前十, tiers in order, ranks beyond ten, 未进前十 last."""
    buckets = [label for _, label in RANK_BUCKETS]

    def key(c: str) -> tuple[int, int]:
        if c in buckets:
            return (0, buckets.index(c))
        if c == rg.LISTED:
            return (1, 0)
        if _is_tier(c):
            return (2, rg.tier_order(c))
        if c == BEYOND_TOP:
            return (3, 0)
        return (4, 0)

    return sorted(dict.fromkeys(categories), key=key)


def _region_of(ds: Any) -> dict[str, str]:
    return dict(zip(ds.provinces["province"], ds.provinces["region"], strict=False))


def _matrix(ds: Any, ev: pd.Series) -> pd.DataFrame:
    return rg.edition_matrix(ds, ev["framework"], int(ev["year"]))


def _lists(mat: pd.DataFrame) -> list[str]:
    """Columns of an edition matrix that are published lists (the composite included)."""
    return [d for d in mat.columns if (mat[d] != rg.UNPUBLISHED).any()]


def top_word(ds: Any, ev: pd.Series) -> str:
    """The label of the composite top group: the best tier's name ("第一梯队") or 前十."""
    tiers = [c for c in _matrix(ds, ev)[rg.COMPOSITE] if _is_tier(c)]
    return min(tiers, key=rg.tier_order) if tiers else rg.LISTED


def shape(ds: Any, ev: pd.Series) -> str:
    """What the evaluation's composite result is: ``tiers``, ``scores`` (ranks with scores), ``ranks`` or
    ``list`` (a top group whose order the report does not give)."""
    comp = _matrix(ds, ev)[rg.COMPOSITE]
    if comp.map(_is_tier).any():
        return "tiers"
    if comp.map(_is_rank).any():
        scored = rg.score_matrix(ds, ev["framework"], int(ev["year"]))
        return "scores" if not scored.empty else "ranks"
    return "list"


def _source(ds: Any, source_id: str) -> F.Source | None:
    return next((s for s in F.sources(ds) if s.id == source_id), None)


# ----------------------------------------------------------------------------------------------------------
# Facts


def evaluation_facts(ds: Any) -> tuple[dict[str, Any], ...]:
    """Each visible evaluation: year, framework, source, the shape of its composite result and the size of
    its composite top group."""
    return tuple(
        {
            "year": int(ev["year"]),
            "framework": str(ev["framework"]),
            "source": _source(ds, str(ev["source_id"])),
            "shape": shape(ds, ev),
            "n_top": len(rg.composite_top(ds, ev["framework"], int(ev["year"]))),
        }
        for _, ev in evaluations(ds).iterrows()
    )


def current_facts(ds: Any) -> dict[str, Any] | None:
    """What the newest evaluation published: its shape, tiers, ranks, the lists and the score-only
    dimensions, and whether its lists give an order (``order``: ranked / partly / unranked / None)."""
    ev = current(ds)
    if ev is None:
        return None
    year, fw = int(ev["year"]), str(ev["framework"])
    mat = _matrix(ds, ev)
    dims = [d for d in rg.dimensions(ds, fw, year) if d != rg.COMPOSITE]
    lists = [d for d in dims if d in _lists(mat)]
    comp = mat[rg.COMPOSITE]
    sub = ds.regional[(ds.regional["framework"] == fw) & (ds.regional["year"].astype(int) == year)]
    rank = pd.to_numeric(sub["rank"], errors="coerce")
    score = pd.to_numeric(sub["score"], errors="coerce")
    tiered = sub["tier"].fillna("").astype(str) != ""
    list_rows = sub[(rank.notna() | score.isna()) & ~tiered]  # rows of a top-ten list, not score-only rows
    ranked = pd.to_numeric(list_rows["rank"], errors="coerce").notna()
    order = None
    if len(list_rows):
        order = "ranked" if ranked.all() else ("partly" if ranked.any() else "unranked")
    return {
        "year": year,
        "framework": fw,
        "source": _source(ds, str(ev["source_id"])),
        "shape": shape(ds, ev),
        "n_provinces": len(comp),
        "tiers": tuple(sorted({c for c in comp if _is_tier(c)}, key=rg.tier_order)),
        "ranked": int(comp.map(_is_rank).sum()),
        "listed": int((comp == rg.LISTED).sum()),
        "top_word": top_word(ds, ev),
        "n_top": len(rg.composite_top(ds, fw, year)),
        "lists": tuple(lists),
        "score_only": tuple(d for d in dims if d not in lists),
        "order": order,
    }


def region_facts(ds: Any) -> tuple[dict[str, Any], ...] | None:
    """The current composite top group by macro region: name, provinces in the group, provinces in all."""
    ev = current(ds)
    if ev is None:
        return None
    pattern = rg.region_pattern(ds, ev["framework"], int(ev["year"]))
    if rg.COMPOSITE not in pattern.index:
        return None
    sizes = ds.provinces["region"].value_counts()
    return tuple(
        {"name": r, "top": int(pattern.at[rg.COMPOSITE, r]), "size": int(sizes.get(r, 0))}
        for r in rg.regions(ds)
    )


def seat_facts(ds: Any) -> dict[str, Any] | None:
    """Composite top-group seats of every visible evaluation added up (:func:`dcbook.regional.composite_seats`),
    and the region holding most of them (``lead``: its seats, their share, its share of all provinces, its seats
    per evaluation); ``None`` when two regions hold as many, so the text never names one of them as the leader."""
    counted = rg.composite_seats(ds)
    if counted is None or len(counted["leads"]) != 1:
        return None
    lead = counted["leads"][0]
    per_year = counted["per_year"][lead]
    n_lead = int((ds.provinces["region"] == lead).sum())
    return {
        "total": counted["total"],
        "n_evaluations": len(per_year),
        "start": per_year[0]["year"],
        "end": per_year[-1]["year"],
        "lead": {
            "name": lead,
            "seats": counted["seats"][lead],
            "share": counted["seats"][lead] / counted["total"],
            "n_provinces": n_lead,
            "province_share": n_lead / len(ds.provinces),
            "per_year": tuple(per_year),
        },
    }


def membership_frame(ds: Any) -> pd.DataFrame:
    """Composite result of every province that was ever in a top group, per visible evaluation.

    Columns: province, region, year, cell (rank, tier or list label), in_top, rank, _rank_label,
    source_title, edition_year. Provinces are ordered by how often they made the top group.
    """
    eds = evaluations(ds)
    if eds.empty:
        return pd.DataFrame()
    region = _region_of(ds)
    tops = {
        int(ev["year"]): rg.composite_top(ds, ev["framework"], int(ev["year"])) for _, ev in eds.iterrows()
    }
    ever = list(dict.fromkeys(p for year in sorted(tops) for p in tops[year]))
    rows = []
    for _, ev in eds.iterrows():
        year = int(ev["year"])
        col = _matrix(ds, ev)[rg.COMPOSITE]
        for p in ever:
            cell = col.get(p, rg.NOT_IN_TOP)
            rows.append(
                {
                    "province": p,
                    "region": region.get(p),
                    "year": year,
                    "cell": cell_text(cell),
                    "in_top": p in tops[year],
                    "rank": int(cell) if _is_rank(cell) else None,
                    "_rank_label": cell_text(cell),
                    "source_title": ev["source_title"],
                    "edition_year": ev["edition_year"],
                }
            )
    out = pd.DataFrame(rows)
    latest = tops[max(tops)]
    n_top = out.groupby("province")["in_top"].sum()
    first_seen = {p: i for i, p in enumerate(ever)}
    order = sorted(
        ever, key=lambda p: (-int(n_top[p]), latest.index(p) if p in latest else 99, first_seen[p])
    )
    out["_order"] = out["province"].map({p: i for i, p in enumerate(order)})
    out = out.sort_values(["_order", "year"], kind="stable").drop(columns="_order").reset_index(drop=True)
    # Printed ranks as Python ints, None where the result is a tier or a list (the chart payload is JSON).
    out["rank"] = pd.Series([None if pd.isna(r) else int(r) for r in out["rank"]], dtype=object)
    return out


def persistent_members(ds: Any) -> list[str]:
    """Provinces in the composite top group of every visible evaluation (in membership order)."""
    mv = membership_frame(ds)
    if mv.empty:
        return []
    n_years = mv["year"].nunique()
    counts = mv.groupby("province", sort=False)["in_top"].sum()
    return [p for p, n in counts.items() if int(n) == n_years]


def outside_lead(ds: Any, lead: str) -> tuple[dict[str, Any], ...]:
    """Provinces outside the ``lead`` region that reached a composite top group, with the years they did."""
    mv = membership_frame(ds)
    if mv.empty:
        return ()
    out = mv[mv["in_top"] & (mv["region"] != lead)]
    return tuple(
        {"province": str(p), "region": str(g["region"].iloc[0]), "years": tuple(int(y) for y in g["year"])}
        for p, g in out.groupby("province", sort=False)
    )


def change_facts(ds: Any) -> tuple[dict[str, Any], ...] | None:
    """Per pair of consecutive evaluations: how many provinces stayed, and who entered and left."""
    ch = rg.top_group_changes(ds)
    if ch.empty:
        return None
    return tuple(
        {
            "start": int(r["year_from"]),
            "end": int(r["year_to"]),
            "stayed": len(r["stayed"]),
            "entered": tuple(r["entered"]),
            "exited": tuple(r["exited"]),
        }
        for _, r in ch.iterrows()
    )


def persistence_facts(ds: Any) -> dict[str, Any] | None:
    """Provinces in every composite top group, and their share of the newest one (two evaluations or more)."""
    eds = evaluations(ds)
    if len(eds) < 2:
        return None
    keep = persistent_members(ds)
    last = eds.iloc[-1]
    newest = rg.composite_top(ds, last["framework"], int(last["year"]))
    return {
        "provinces": tuple(keep),
        "years": tuple(int(y) for y in eds["year"]),
        "newest": len(newest),
        "share": len(keep) / len(newest) if newest else 0.0,
    }


def _score(name: str, value: float, year: int, computed: bool = False) -> F.Value:
    return F.Value(
        indicator="regional_score",
        name=name,
        value=round(float(value), 2),
        unit=SCORE_UNIT,
        qualifier=F.EXACT,
        year=year,
        region=name,
        computed=computed,
    )


def _weights(ds: Any, framework: str) -> dict[str, float]:
    fw = ds.frameworks[ds.frameworks["framework"] == framework]
    return {
        str(r["dimension"]): float(r["weight"])
        for _, r in fw.iterrows()
        if int(r["level"]) == 1 and pd.notna(r["weight"]) and str(r["weight"]) != ""
    }


def score_facts(ds: Any) -> dict[str, Any] | None:
    """The spread of the newest published composite scores (the only cardinal numbers of the evaluations):
    first, second and last of the scored provinces, the lead over the second and the first–last gap."""
    for _, ev in evaluations(ds).iloc[::-1].iterrows():
        year = int(ev["year"])
        scores = rg.score_matrix(ds, ev["framework"], year)
        if scores.empty or rg.COMPOSITE not in scores.columns:
            continue
        comp = scores[rg.COMPOSITE].dropna().sort_values(ascending=False)
        if len(comp) < 2:
            continue
        first, second, last = comp.index[0], comp.index[1], comp.index[-1]
        return {
            "year": year,
            "n": len(comp),
            "first": _score(first, comp.iloc[0], year),
            "second": _score(second, comp.iloc[1], year),
            "last": _score(last, comp.iloc[-1], year),
            "lead": _score(first, comp.iloc[0] - comp.iloc[1], year, computed=True),
            "spread": _score(first, comp.iloc[0] - comp.iloc[-1], year, computed=True),
        }
    return None


def score_gap_facts(ds: Any) -> dict[str, Any] | None:
    """Where the gap between the first and the last scored province comes from: each dimension's share of
    the first–last difference in the total (the dimensions add up to the total), largest first."""
    for _, ev in evaluations(ds).iloc[::-1].iterrows():
        year = int(ev["year"])
        scores = rg.score_matrix(ds, ev["framework"], year)
        if scores.empty or rg.COMPOSITE not in scores.columns:
            continue
        scores = scores.dropna(subset=[rg.COMPOSITE]).sort_values(rg.COMPOSITE, ascending=False)
        dims = [d for d in scores.columns if d != rg.COMPOSITE and scores[d].notna().all()]
        if len(scores) < 2 or not dims:
            continue
        first, last = scores.index[0], scores.index[-1]
        gap = float(scores.at[first, rg.COMPOSITE] - scores.at[last, rg.COMPOSITE])
        if gap <= 0:
            continue
        parts = sorted(
            (
                {
                    "dimension": d,
                    "diff": _score(first, scores.at[first, d] - scores.at[last, d], year, computed=True),
                    "share": float(scores.at[first, d] - scores.at[last, d]) / gap,
                }
                for d in dims
            ),
            key=lambda x: -x["diff"].value,
        )
        behind = [x for x in parts if x["diff"].value < 0]
        return {
            "year": year,
            "first": first,
            "last": last,
            "gap": _score(first, gap, year, computed=True),
            "parts": tuple(parts),
            "top": parts[0],
            "behind": tuple(behind),
        }
    return None


def score_rate_facts(ds: Any) -> dict[str, Any] | None:
    """Among the newest scored evaluation with weights: the dimensions where the scored provinces' mean score
    is the highest and lowest share of the weight (with how many of them score full marks on the highest),
    and the dimension with the widest score range."""
    for _, ev in evaluations(ds).iloc[::-1].iterrows():
        year = int(ev["year"])
        scores = rg.score_matrix(ds, ev["framework"], year)
        if scores.empty:
            continue
        weights = _weights(ds, str(ev["framework"]))
        dims = [d for d in scores.columns if d in weights]
        if not dims:
            continue
        top = scores.dropna(subset=dims)
        rate = {d: float(top[d].mean()) / weights[d] for d in dims}
        spread = {d: float(top[d].max() - top[d].min()) for d in dims}
        hi = max(rate, key=lambda d: rate[d])
        lo = min(rate, key=lambda d: rate[d])
        wide = max(spread, key=lambda d: spread[d])
        full = int((top[hi] >= weights[hi] - 0.005).sum())
        return {
            "year": year,
            "n": len(top),
            "high": {"dimension": hi, "rate": rate[hi], "n_full": full},
            "low": {"dimension": lo, "rate": rate[lo]},
            "wide": {"dimension": wide, "spread": _score(wide, spread[wide], year, computed=True)},
        }
    return None


def breadth_facts(ds: Any) -> dict[str, Any] | None:
    """How many of the current lists (composite included) each province is on: who is on all, how many on
    none."""
    ev = current(ds)
    if ev is None:
        return None
    mat = _matrix(ds, ev)
    lists = _lists(mat)
    n = pd.Series(0, index=mat.index)
    for d in lists:
        n[members(mat[d])] += 1
    return {
        "year": int(ev["year"]),
        "n_lists": len(lists),
        "full": tuple(str(p) for p, k in n.items() if k == len(lists)),
        "none": int((n == 0).sum()),
    }


def outsider_list_facts(ds: Any) -> dict[str, Any] | None:
    """How many of the current dimension lists hold a province outside the composite top group."""
    ev = current(ds)
    if ev is None:
        return None
    mat = _matrix(ds, ev)
    top = set(members(mat[rg.COMPOSITE]))
    dims = [d for d in _lists(mat) if d != rg.COMPOSITE]
    if not dims:
        return None
    return {
        "year": int(ev["year"]),
        "n_lists": len(dims),
        "n_with": sum(1 for d in dims if set(members(mat[d])) - top),
    }


def dispersion_facts(ds: Any, lead: str | None) -> dict[str, Any] | None:
    """Seats held outside the ``lead`` region: in the composite list, on average in the dimension lists, and
    the dimension lists with the most and the fewest (all of them when tied)."""
    ev = current(ds)
    if ev is None or lead is None:
        return None
    pattern = rg.region_pattern(ds, ev["framework"], int(ev["year"]))
    dims = [d for d in pattern.index if d != rg.COMPOSITE]
    if rg.COMPOSITE not in pattern.index or not dims:
        return None
    outside = pattern[rg.TOTAL] - pattern[lead]
    per = {str(d): int(outside[d]) for d in dims}
    hi, lo = max(per.values()), min(per.values())
    return {
        "year": int(ev["year"]),
        "composite": int(outside[rg.COMPOSITE]),
        "n_lists": len(dims),
        "mean": float(outside[dims].mean()),
        "most": {"dimensions": tuple(d for d, n in per.items() if n == hi), "n": hi},
        "least": {"dimensions": tuple(d for d, n in per.items() if n == lo), "n": lo},
    }


def leaders_outside(ds: Any) -> pd.DataFrame:
    """Dimension top-ten entries of provinces outside the current composite top group."""
    ev = current(ds)
    if ev is None:
        return pd.DataFrame(columns=["province", "region", "dimension", "rank"])
    return rg.dimension_leaders_outside_top(ds, ev["framework"], int(ev["year"]))


def leader_facts(ds: Any) -> dict[str, Any] | None:
    """Provinces in a dimension top ten while outside the composite top group, with their entries."""
    ev = current(ds)
    if ev is None:
        return None
    out = leaders_outside(ds)
    by_province = tuple(
        {
            "province": str(p),
            "region": str(g["region"].iloc[0]),
            "entries": tuple(
                {"dimension": str(d), "rank": None if pd.isna(r) else int(r)}
                for d, r in zip(g["dimension"], g["rank"], strict=True)
            ),
        }
        for p, g in out.groupby("province", sort=False)
    )
    return {
        "year": int(ev["year"]),
        "n_provinces": len(by_province),
        "n_entries": len(out),
        "by_province": by_province,
    }


def _framework_years(ds: Any) -> dict[str, int]:
    """First evaluation year of each framework with regional rows, oldest first."""
    eds = evaluations(ds)
    first = eds.groupby("framework", sort=False)["year"].min()
    return {str(f): int(y) for f, y in first.items()}


def framework_facts(ds: Any) -> tuple[dict[str, Any], ...] | None:
    """Each index system visible to the edition: its year, number of dimensions and second-level items, and
    its heaviest weight and every dimension that has it (None when it published no weights)."""
    fc = rg.framework_comparison(ds)
    years = _framework_years(ds)
    out = []
    for fw, year in years.items():
        rows = fc[fc["framework"] == fw]
        if rows.empty:
            continue
        w = rows["weight"].dropna()
        top = None
        if len(w):
            r = rows.loc[rows["weight"].idxmax()]
            tied = rows[rows["weight"] == r["weight"]]
            top = {
                "dimension": str(r["dimension"]),
                "dimensions": tuple(str(d) for d in tied["dimension"]),
                "weight": F.Value(
                    "framework_weight", str(r["dimension"]), float(r["weight"]), "%", F.EXACT, year
                ),
            }
        out.append(
            {"year": year, "n_dims": len(rows), "n_items": int(rows["n_indicators"].sum()), "top_weight": top}
        )
    return tuple(out) or None


def framework_change_facts(ds: Any) -> dict[str, Any] | None:
    """The oldest and newest index systems compared: level-1 names shared, added and dropped, and names
    that moved from level 1 to level 2."""
    fc = rg.framework_comparison(ds)
    years = {f: y for f, y in _framework_years(ds).items() if f in set(fc["framework"])}
    if len(years) < 2:
        return None
    order = list(years)
    a, b = order[0], order[-1]
    da = list(fc.loc[fc["framework"] == a, "dimension"])
    db = list(fc.loc[fc["framework"] == b, "dimension"])
    level2_b = ds.frameworks[(ds.frameworks["framework"] == b) & (ds.frameworks["level"].astype(int) == 2)]
    return {
        "start": years[a],
        "end": years[b],
        "shared": tuple(sorted(set(da) & set(db))),
        "added": tuple(d for d in db if d not in da),
        "dropped": tuple(d for d in da if d not in db),
        "moved": tuple(sorted(set(da) & set(level2_b["indicator_zh"].dropna()))),
    }


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    evs = evaluation_facts(ds)
    seats = seat_facts(ds)
    lead = seats["lead"]["name"] if seats else None
    mv = membership_frame(ds)
    top = mv[mv["in_top"]] if not mv.empty else mv
    return {
        "n_provinces": len(ds.provinces),
        "evaluations": evs or None,
        "n_evaluations": len(evs),
        "sources": tuple(e["source"] for e in evs if e["source"] is not None) or None,
        "current": current_facts(ds),
        "regions": region_facts(ds),
        "seats": seats,
        "outside_lead": outside_lead(ds, lead) if lead else None,
        "changes": change_facts(ds),
        "persistent": persistence_facts(ds),
        "movement_ranked": bool(len(top)) and bool(top["rank"].notna().all()),
        "scores": score_facts(ds),
        "score_rates": score_rate_facts(ds),
        "score_gap": score_gap_facts(ds),
        "lists": tuple(
            {
                "year": int(r["year"]),
                "dimension": r["dimension"],
                "group": r["group"],
                "ranked": bool(r["ranked"]),
            }
            for _, r in rg.published_lists(ds).iterrows()
        )
        or None,
        "list_changes": list_change_facts(ds),
        "diagnosis": diagnosis_facts(ds),
        "breadth": breadth_facts(ds),
        "outsider_lists": outsider_list_facts(ds),
        "dispersion": dispersion_facts(ds, lead),
        "leaders": leader_facts(ds),
        "frameworks": framework_facts(ds),
        "framework_change": framework_change_facts(ds),
        "tier_year": tier_year(ds),
        "rank_buckets": tuple(label for _, label in RANK_BUCKETS),
    }


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ev = current(ds)
    if ev is None:
        return {"edition": str(ds.edition), "evaluation": "—"}
    year = int(ev["year"])
    pattern = rg.region_pattern(ds, ev["framework"], year)
    comp = pattern.loc[rg.COMPOSITE] if rg.COMPOSITE in pattern.index else None
    return {
        "edition": str(ds.edition),
        "evaluation": f"{year} {ev['framework']}",
        "composite_top": "、".join(rg.composite_top(ds, ev["framework"], year)),
        "top_by_region": "—"
        if comp is None
        else " ".join(f"{r}{int(comp[r])}" for r in [*rg.regions(ds), rg.TOTAL]),
        "dimensions": str(len(rg.dimensions(ds, ev["framework"], year)) - 1),
        "leaders_outside_top": str(len(leaders_outside(ds))),
    }


# ----------------------------------------------------------------------------------------------------------
# Tables


#: Compact matrix symbols (the chapter's legend explains them): a province in an unranked list, absent
#: from a published list. A printed rank is shown as its number, a tier by its numeral (第一梯队 → 一).
SYMBOL_LISTED = "●"
SYMBOL_ABSENT = "·"


def compact_cell(cell: object) -> str:
    """A matrix cell in one or two characters, so the province × dimension matrix reads at a glance."""
    if _is_rank(cell):
        return str(int(cell))  # type: ignore[call-overload]
    if _is_tier(cell):
        return str(cell).removeprefix("第").removesuffix("梯队")
    if cell == rg.LISTED:
        return SYMBOL_LISTED
    if cell == rg.NOT_IN_TOP:
        return SYMBOL_ABSENT
    return str(cell)


def matrix_table(ds: Any) -> pd.DataFrame | None:
    """The current evaluation's province × dimension matrix for display (省份, 地区, then one column each),
    in compact symbols (:func:`compact_cell`)."""
    ev = current(ds)
    if ev is None:
        return None
    mat = _matrix(ds, ev)
    region = _region_of(ds)
    # A dimension with scores but no published list would be a column of "未公布" only: it is left out.
    mat = mat[[d for d in mat.columns if (mat[d] != rg.UNPUBLISHED).any()]]
    out = mat.map(compact_cell)
    out.insert(0, "地区", [region.get(p, "") for p in out.index])
    out = out.reset_index().rename(columns={"province": "省份"})
    # Provinces in more lists first; within that, the provinces.csv order (geographic) is kept.
    listed = (mat != rg.NOT_IN_TOP) & (mat != rg.UNPUBLISHED)
    out["_n"] = listed.sum(axis=1).to_numpy()
    comp = mat[rg.COMPOSITE].map(lambda c: cell_category(c) or "")
    order = category_order([c for c in comp if c])
    out["_c"] = [order.index(c) if c in order else len(order) for c in comp]
    out = out.sort_values(["_c", "_n"], ascending=[True, False], kind="stable")
    return out.drop(columns=["_n", "_c"]).reset_index(drop=True)


def score_table(ds: Any) -> pd.DataFrame | None:
    """Printed scores of the newest evaluation that has scores, with each dimension's weight in the header."""
    for _, ev in evaluations(ds).iloc[::-1].iterrows():
        scores = rg.score_matrix(ds, ev["framework"], int(ev["year"]))
        if scores.empty:
            continue
        weights = _weights(ds, str(ev["framework"]))
        scores = scores.dropna(subset=[rg.COMPOSITE]) if rg.COMPOSITE in scores.columns else scores
        names = {
            d: (f"{d}（权重 {fmt.fmt_number(weights[d], '%')}）" if d in weights else d)
            for d in scores.columns
        }
        names[rg.COMPOSITE] = "总分"
        out = scores.rename(columns=names).map(lambda v: "—" if pd.isna(v) else f"{v:.2f}")
        out.insert(0, "评价年份", int(ev["year"]))
        out.columns.name = None
        return out.reset_index().rename(columns={"province": "省份"})
    return None


def _list_text(row: pd.Series) -> str:
    """A published list as printed: "1 福建、2 浙江…" when ranked, else the provinces in printed order."""
    if row["ranked"]:
        return "、".join(f"{r} {p}" for r, p in zip(row["ranks"], row["provinces"], strict=True))
    return "、".join(row["provinces"])


def lists_table(ds: Any) -> pd.DataFrame | None:
    """Every list of every visible evaluation: year, dimension (with the tier), order, provinces."""
    lists = rg.published_lists(ds)
    if lists.empty:
        return None
    return pd.DataFrame(
        {
            "评价年份": lists["year"].astype(int),
            "名单": [
                d if not g else f"{d} · {g}" for d, g in zip(lists["dimension"], lists["group"], strict=True)
            ],
            "顺序": [
                "名次" if r else ("梯队内按报告顺序" if g else "报告顺序，非名次")
                for r, g in zip(lists["ranked"], lists["group"], strict=True)
            ],
            "省份": [_list_text(r) for _, r in lists.iterrows()],
        }
    )


def list_change_facts(ds: Any) -> tuple[dict[str, Any], ...] | None:
    """Each same-named list in two consecutive evaluations: who stayed, entered and left, and rank moves
    (largest first) where both print ranks."""
    ch = rg.list_changes(ds)
    if ch.empty:
        return None
    out = []
    for _, r in ch.iterrows():
        moves = sorted(
            ({"province": p, "start": a, "end": b, "shift": a - b} for p, a, b in r["moves"]),
            key=lambda m: -abs(m["shift"]),
        )
        out.append(
            {
                "dimension": str(r["dimension"]),
                "start": int(r["year_from"]),
                "end": int(r["year_to"]),
                "ranked": bool(r["ranked"]),
                "stayed": tuple(r["stayed"]),
                "entered": tuple(r["entered"]),
                "exited": tuple(r["exited"]),
                "moves": tuple(m for m in moves if m["shift"]),
            }
        )
    return tuple(out)


def changes_table(ds: Any) -> pd.DataFrame | None:
    """The list changes for display: list, the two years, stayed, entered, left, rank moves."""
    ch = list_change_facts(ds)
    if not ch:
        return None

    def names(x: tuple[str, ...]) -> str:
        return "、".join(x) if x else "—"

    return pd.DataFrame(
        {
            "名单": [c["dimension"] for c in ch],
            "比较": [f"{c['start']} → {c['end']}" for c in ch],
            "保留": [len(c["stayed"]) for c in ch],
            "新进入": [names(c["entered"]) for c in ch],
            "退出": [names(c["exited"]) for c in ch],
            "名次变化": [
                "、".join(f"{m['province']} {m['start']}→{m['end']}" for m in c["moves"]) or "无"
                if c["ranked"]
                else "不可比（名单未排名）"
                for c in ch
            ],
        }
    )


def trajectory_table(ds: Any) -> pd.DataFrame | None:
    """Every province across the visible evaluations: its composite result (compact symbols) and how many
    of each evaluation's lists it is on (the dimension profile, composite included)."""
    eds = evaluations(ds)
    if eds.empty:
        return None
    region = _region_of(ds)
    out = pd.DataFrame({"省份": list(ds.provinces["province"])})
    out["地区"] = [region.get(p, "") for p in out["省份"]]
    total = pd.Series(0, index=out.index)
    for _, ev in eds.iterrows():
        year = int(ev["year"])
        mat = _matrix(ds, ev)
        cols = _lists(mat)
        out[f"{year} 综合"] = [
            compact_cell(mat.at[p, rg.COMPOSITE]) if p in mat.index else "" for p in out["省份"]
        ]
        counted = [
            int(sum(1 for d in cols if members_cell(mat.at[p, d]))) if p in mat.index else 0
            for p in out["省份"]
        ]
        out[f"{year} 入选名单"] = [f"{n}/{len(cols)}" for n in counted]
        total += pd.Series(counted)
    out["_n"] = total
    out = out.sort_values("_n", ascending=False, kind="stable")
    return out.drop(columns="_n").reset_index(drop=True)


def members_cell(cell: object) -> bool:
    """Whether a matrix cell places its province on the list (a rank up to ten, 前十, or the best tier)."""
    if _is_rank(cell):
        return int(cell) <= rg.TOP_N  # type: ignore[call-overload]
    if _is_tier(cell):
        return rg.tier_order(str(cell)) == 1
    return cell == rg.LISTED


def diagnosis_facts(ds: Any) -> tuple[dict[str, Any], ...] | None:
    """The reports' own diagnosis of regional weaknesses (and the national item about regional imbalance),
    oldest report first: year, source, topic, the quote and its chapter."""
    d = rg.diagnoses(ds)
    d = d[(d["scope"] == "regional") | (d["chapter"] == SLUG)]
    if d.empty:
        return None
    return tuple(
        {
            "year": int(r["year"]),
            "scope": str(r["scope"]),
            "item": int(r["item"]),
            "topic": str(r["topic_zh"]),
            "quote": str(r["quote"]),
            "chapter": str(r["chapter"]),
            "source": _source(ds, str(r["source_id"])),
        }
        for _, r in d.iterrows()
    )


def diagnosis_table(ds: Any) -> pd.DataFrame | None:
    """The diagnosis for display: year, scope, problem (the book's label) and the report's words."""
    d = diagnosis_facts(ds)
    if not d:
        return None
    return pd.DataFrame(
        {
            "报告年份": [x["year"] for x in d],
            "对象": ["各地区" if x["scope"] == "regional" else "全国" for x in d],
            "问题": [x["topic"] for x in d],
            "报告原文": [f"“{x['quote']}”" for x in d],
        }
    )


def _tiers(ds: Any) -> tuple[int, pd.DataFrame] | None:
    """The newest tiered evaluation: its year and :func:`dcbook.regional.tier_table`."""
    for _, ev in evaluations(ds).iloc[::-1].iterrows():
        if shape(ds, ev) == "tiers":
            return int(ev["year"]), rg.tier_table(ds, ev["framework"], int(ev["year"]))
    return None


def tier_year(ds: Any) -> int | None:
    """Year of the newest evaluation that divided the provinces into tiers."""
    found = _tiers(ds)
    return found[0] if found else None


def tier_summary(ds: Any) -> pd.DataFrame | None:
    """One row per tier of the newest tiered evaluation: tier, count, provinces in printed order."""
    found = _tiers(ds)
    if found is None:
        return None
    year, tiers = found
    rows = [
        {"评价年份": year, "梯队": t, "省份数": len(g), "省份": "、".join(g["province"])}
        for t, g in tiers.groupby("tier", sort=False)
    ]
    return pd.DataFrame(rows)


def _same_name_text(cell: str, years: dict[str, int]) -> str:
    if not cell:
        return ""
    parts = []
    for item in cell.split("；"):
        fw, _, level = item.partition(":")
        parts.append(f"{years.get(fw, fw)} 年体系{level}")
    return "、".join(parts)


def framework_table(ds: Any) -> pd.DataFrame | None:
    """The index systems side by side for display: system, level-1 dimension, weight, level-2 items."""
    fc = rg.framework_comparison(ds)
    if fc.empty:
        return None
    years = _framework_years(ds)
    fc = fc.assign(_y=fc["framework"].map(years).fillna(9999)).sort_values("_y", kind="stable")
    out = pd.DataFrame(
        {
            "指标体系": [f"{years.get(f, '')} 年评价" for f in fc["framework"]],
            "一级指标": fc["dimension"],
            "权重": ["未公布" if pd.isna(w) else fmt.fmt_number(float(w), "%") for w in fc["weight"]],
            "二级指标或重点评估要素": [s or "未公布" for s in fc["indicators"]],
            "同名出现于": [_same_name_text(s, years) for s in fc["same_name_elsewhere"]],
        }
    )
    # One index system has nothing to be compared with: the comparison column would stay empty.
    return out if fc["framework"].nunique() > 1 else out.drop(columns="同名出现于")


def province_region_table(ds: Any) -> pd.DataFrame | None:
    """The macro regions with their provinces (the grouping the chapter counts by, from provinces.csv)."""
    p = ds.provinces
    if p.empty:
        return None
    rows = []
    for reg in rg.regions(ds):
        names = list(p.loc[p["region"] == reg, "province"])
        rows.append({"地区": reg, "省份数": len(names), "省份": "、".join(names)})
    return pd.DataFrame(rows)


def tables(ds: Any) -> dict[str, pd.DataFrame | None]:
    """The chapter's tables (None where the edition has no rows for one)."""
    return {
        "matrix": matrix_table(ds),
        "lists": lists_table(ds),
        "changes": changes_table(ds),
        "trajectory": trajectory_table(ds),
        "diagnosis": diagnosis_table(ds),
        "scores": score_table(ds),
        "tiers": tier_summary(ds),
        "frameworks": framework_table(ds),
        "provinces": province_region_table(ds),
    }


# ----------------------------------------------------------------------------------------------------------
# Charts (untitled: the template's chart directive gives title and subtitle)


def tile_frame(ds: Any, dimension: str = rg.COMPOSITE) -> pd.DataFrame:
    """All provinces with tile position and the current evaluation's result in ``dimension`` (None if none)."""
    ev = current(ds)
    p = ds.provinces.rename(columns={"tile_col": "col", "tile_row": "row"})
    df = p[["province", "name_full", "region", "col", "row"]].copy().reset_index(drop=True)
    if ev is None:
        df["result"] = None
        return df
    mat = _matrix(ds, ev)
    df["result"] = [cell_category(mat.at[x, dimension]) for x in df["province"]]
    df["cell"] = [cell_text(mat.at[x, dimension]) for x in df["province"]]
    df["dimension"] = dimension
    df["year"] = int(ev["year"])
    df["source_title"] = ev["source_title"]
    df["edition_year"] = ev["edition_year"]
    return df


def _recolor(chart: alt.LayerChart, cats: Sequence[str], category: str = "result") -> alt.LayerChart:
    """Spread the house ramp over the categories so the last (未进前十) is light, and fix label contrast.

    ``charts.tile_map`` takes the first n colours of the ramp, which for two categories gives two dark blues;
    a generic fix belongs in ``charts.tile_map`` (reported to the lead).
    """
    ramp = list(charts.CATEGORY_RAMP[:4])
    n = len(cats)
    colors = [ramp[round(i * (len(ramp) - 1) / (n - 1))] for i in range(n)] if n > 1 else ramp[:1]
    chart.layer[0].encoding.color["condition"]["scale"]["range"] = colors
    dark = {c: col in charts.CATEGORY_RAMP[:2] for c, col in zip(cats, colors, strict=True)}
    chart.data["_dark"] = chart.data[category].map(dark).fillna(False).astype(bool)
    return chart


def tile_figure(ds: Any) -> render.Figure | None:
    """Tile map of the current composite result (rank bucket, tier or list membership)."""
    if current(ds) is None:
        return None
    df = tile_frame(ds)
    cats = category_order([c for c in df["result"].dropna()])
    chart = charts.tile_map(df, category="result", category_order=cats)
    return render.figure(_recolor(chart, cats))


def dimension_frames(ds: Any) -> dict[str, pd.DataFrame]:
    """Tile frames of the current evaluation's dimensions that published a list (composite excluded)."""
    ev = current(ds)
    if ev is None:
        return {}
    out = {}
    for dim in rg.dimensions(ds, ev["framework"], int(ev["year"])):
        if dim == rg.COMPOSITE:
            continue
        df = tile_frame(ds, dim)
        if df["result"].notna().any():
            out[dim] = df
    return out


#: Province names in the small multiples: the smallest text the site allows (10 CSS px, as on phones, where
#: charts scroll rather than shrink), in tiles just wide enough for a three-character name.
MULTIPLES_FONT_PX = 10
MULTIPLES_CELL_PX = 32


def tile_multiples(
    frames: dict[str, pd.DataFrame], *, columns: int = 2, cell: int = MULTIPLES_CELL_PX
) -> alt.ConcatChart:
    """Small multiples of the province tile grid, one per dimension, sharing one colour legend.

    A generic helper (``charts.tile_map`` has no facet option); each panel is a ``charts.tile_map`` with
    ``cell`` px tiles and :data:`MULTIPLES_FONT_PX` names, titled with its dimension.
    """
    if not frames:
        raise ValueError("tile_multiples: no dimension has a published list")
    cats = category_order([c for df in frames.values() for c in df["result"].dropna()])
    panels = []
    for dim, df in frames.items():
        sub = _recolor(charts.tile_map(df, category="result", category_order=cats), cats)
        names = sub.layer[1].copy(deep=True)
        names.mark = alt.MarkDef(type="text", fontSize=MULTIPLES_FONT_PX, baseline="middle")
        sub.layer = [sub.layer[0], names]
        ncols, nrows = int(df["col"].max()) + 1, int(df["row"].max()) + 1
        sub = sub.properties(width=cell * ncols, height=cell * nrows, title=alt.Title(dim, fontSize=13))
        sub.config = alt.Undefined
        sub.usermeta = alt.Undefined
        panels.append(sub)
    n = len(next(iter(frames.values())))
    alt_text = (
        f"省份方格小多图：{len(frames)} 个分项维度各一幅，每幅 {n} 个省份按大致地理位置排列，"
        "颜色表示该维度的评价结果。"
    )
    chart = alt.concat(*panels, columns=columns, spacing=12).properties(
        usermeta={"dcbook": {"kind": "tile_multiples", "alt": alt_text, "takeaway": ""}},
    )
    return charts.styled(chart)


def multiples_figure(ds: Any) -> render.Figure | None:
    """The dimension small multiples (None when the current evaluation published no dimension list)."""
    frames = dimension_frames(ds)
    if not frames:
        return None
    long = pd.concat(frames.values(), ignore_index=True)
    data = pd.DataFrame(
        {
            "name_zh": long["dimension"],
            "province": long["province"],
            "year": long["year"],
            "result": long["cell"],
            "_label": long["cell"],
            "source_title": long["source_title"],
            "edition_year": long["edition_year"],
        }
    )
    data["_source"] = [
        charts.source_label(t, e) for t, e in zip(data["source_title"], data["edition_year"], strict=True)
    ]
    data = data[data["result"] != rg.NOT_IN_TOP].reset_index(drop=True)
    return render.figure(tile_multiples(frames), data=data, source_line=charts.source_line(data))


def membership_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Composite membership across evaluations: one row per province, one column per evaluation year.

    Used instead of ``charts.bump_chart`` when some evaluations print no ranks (an unordered top ten or a
    tier cannot be drawn as a rank line). Filled cells are in the top group; the label is the printed result.
    """
    need = ["province", "year", "_rank_label", "in_top"]
    missing = [c for c in need if c not in frame.columns]
    if missing or frame.empty:
        raise ValueError(f"membership_chart: input lacks {missing} or is empty")
    df = frame.copy().reset_index(drop=True)
    df["_status"] = df["in_top"].map({True: "位于综合前列", False: "未在综合前列"})
    if "source_title" in df.columns:
        df["_source"] = [
            charts.source_label(t, e) for t, e in zip(df["source_title"], df["edition_year"], strict=True)
        ]
    order = list(dict.fromkeys(df["province"]))
    years = sorted(df["year"].unique())
    y = alt.Y(
        "province:N", sort=order, title=None, axis=alt.Axis(ticks=False, domain=False, labelFontSize=12)
    )
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, orient="top", ticks=False, domain=False))
    color = alt.Color(
        "_status:N",
        title=None,
        scale=alt.Scale(domain=["位于综合前列", "未在综合前列"], range=[charts.CATEGORY_RAMP[1], "#EEEEEE"]),
        legend=alt.Legend(orient="bottom"),
    )
    tips = [
        alt.Tooltip("province:N", title="省份"),
        alt.Tooltip("year:O", title="评价年份"),
        alt.Tooltip("_rank_label:N", title="综合结果"),
    ]
    if "_source" in df.columns:
        tips.append(alt.Tooltip("_source:N", title="来源"))
    cells = alt.Chart().mark_rect(stroke="white", strokeWidth=2).encode(x=x, y=y, color=color, tooltip=tips)
    labels = (
        alt.Chart()
        .mark_text(fontSize=11, baseline="middle")
        .encode(
            x=x,
            y=y,
            text="_rank_label:N",
            color=alt.condition("datum.in_top", alt.value("white"), alt.value("#333333")),
            tooltip=tips,
        )
    )
    alt_text = (
        f"名单变化图：{len(order)} 个曾进入综合前列的省份（每行一个）在 {'、'.join(str(v) for v in years)} 年"
        "评价中的结果，深色格表示位于综合前列。"
    )
    df["_exact"] = True
    chart = alt.layer(cells, labels, data=df).properties(
        width=min(charts.WIDTH - 160, 130 * len(years)),
        height=22 * len(order),
        usermeta={"dcbook": {"kind": "membership", "alt": alt_text, "takeaway": ""}},
    )
    return charts.styled(chart)


def movement_figure(ds: Any) -> render.Figure | None:
    """Composite results across evaluations: a bump chart when every top-group entry has a printed rank,
    else the membership grid; None with fewer than two evaluations."""
    mv = membership_frame(ds)
    if mv.empty or mv["year"].nunique() < 2:
        return None
    top = mv[mv["in_top"]]
    if top["rank"].notna().all():
        ranked = top.drop(columns="rank").assign(rank=top["rank"].astype(int))
        return render.figure(charts.bump_chart(ranked, label="province"))
    # the grid labels cells with the printed result; an unranked list's missing ranks would reach the page's
    # strict JSON as NaN, so the numeric rank column stays out of the chart's data
    return render.figure(membership_chart(mv.drop(columns="rank")))


def region_frame(ds: Any) -> pd.DataFrame:
    """Top-group counts by region: the composite of every evaluation, then the current one's dimensions.

    Columns: name_zh (row label "年份 · 维度"), year, dimension, region, value (count), provinces, unit,
    source_title, edition_year.
    """
    eds = evaluations(ds)
    if eds.empty:
        return pd.DataFrame()
    region = _region_of(ds)
    rows = []
    last = eds.iloc[-1]
    plan = [(ev, [rg.COMPOSITE]) for _, ev in eds.iterrows()]
    plan.append(
        (last, [d for d in rg.dimensions(ds, last["framework"], int(last["year"])) if d != rg.COMPOSITE])
    )
    for ev, dims in plan:
        year = int(ev["year"])
        pattern = rg.region_pattern(ds, ev["framework"], year)
        mat = _matrix(ds, ev)
        for dim in dims:
            if dim not in pattern.index:
                continue  # no list published for this dimension
            top = members(mat[dim])
            for reg in rg.regions(ds):
                names = [p for p in top if region.get(p) == reg]
                rows.append(
                    {
                        "name_zh": f"{year} 年 · {dim}",
                        "year": year,
                        "dimension": dim,
                        "region": reg,
                        "value": int(pattern.at[dim, reg]),
                        "provinces": "、".join(names) if names else "—",
                        "unit": "个",
                        "source_title": ev["source_title"],
                        "edition_year": ev["edition_year"],
                    }
                )
    return pd.DataFrame(rows)


def region_chart(frame: pd.DataFrame, regions: Sequence[str]) -> alt.LayerChart:
    """Stacked bars: how many top-group provinces each region has, one bar per evaluation and dimension."""
    need = ["name_zh", "region", "value", "provinces"]
    missing = [c for c in need if c not in frame.columns]
    if missing or frame.empty:
        raise ValueError(f"region_chart: input lacks {missing} or is empty")
    df = frame.copy().reset_index(drop=True)
    df["_label"] = [f"{int(v)} 个" for v in df["value"]]
    if "source_title" in df.columns:
        df["_source"] = [
            charts.source_label(t, e) for t, e in zip(df["source_title"], df["edition_year"], strict=True)
        ]
    rows = list(dict.fromkeys(df["name_zh"]))
    present = [r for r in regions if r in set(df["region"])]
    df["_order"] = df["region"].map({r: i for i, r in enumerate(present)})
    y = alt.Y("name_zh:N", sort=rows, title=None, axis=alt.Axis(labelLimit=240, ticks=False, domain=False))
    x = alt.X("value:Q", title="入选省份数（个）", stack="zero", axis=alt.Axis(format="d", tickMinStep=1))
    color = alt.Color(
        "region:N",
        title=None,
        sort=present,
        scale=alt.Scale(domain=present, range=list(charts.PALETTE[: len(present)])),
        legend=alt.Legend(orient="top"),
    )
    tips = [
        alt.Tooltip("name_zh:N", title="评价"),
        alt.Tooltip("region:N", title="地区"),
        alt.Tooltip("_label:N", title="入选数"),
        alt.Tooltip("provinces:N", title="省份"),
    ]
    if "_source" in df.columns:
        tips.append(alt.Tooltip("_source:N", title="来源"))
    bars = (
        alt.Chart()
        .mark_bar(height={"band": 0.7}, stroke="white", strokeWidth=0.5)
        .encode(x=x, y=y, color=color, order=alt.Order("_order:Q"), tooltip=tips)
    )
    alt_text = f"堆积条形图：{len(rows)} 份名单（每行一份）中{'、'.join(present)}各有几个省份入选。"
    df["_exact"] = True
    chart = alt.layer(bars, data=df).properties(
        width=charts.WIDTH - 260,
        height=max(120, 26 * len(rows)),
        usermeta={"dcbook": {"kind": "region_bars", "alt": alt_text, "takeaway": ""}},
    )
    return charts.styled(chart)


def region_figure(ds: Any) -> render.Figure | None:
    """The regional make-up of every visible composite list and of the current evaluation's dimension lists."""
    frame = region_frame(ds)
    if frame.empty:
        return None
    return render.figure(region_chart(frame, rg.regions(ds)))


def score_frame(ds: Any) -> pd.DataFrame:
    """The newest printed dimension scores in long form: province, dimension, value (分), total, order."""
    for _, ev in evaluations(ds).iloc[::-1].iterrows():
        year = int(ev["year"])
        scores = rg.score_matrix(ds, ev["framework"], year)
        if scores.empty or rg.COMPOSITE not in scores.columns:
            continue
        scores = scores.dropna(subset=[rg.COMPOSITE]).sort_values(rg.COMPOSITE, ascending=False)
        dims = [d for d in scores.columns if d != rg.COMPOSITE]
        rows = [
            {
                "province": p,
                "dimension": d,
                "value": float(scores.at[p, d]),
                "total": float(scores.at[p, rg.COMPOSITE]),
                "year": year,
                "unit": SCORE_UNIT,
                "source_title": ev["source_title"],
                "edition_year": ev["edition_year"],
                "_order": i,
            }
            for i, p in enumerate(scores.index)
            for d in dims
            if pd.notna(scores.at[p, d])
        ]
        return pd.DataFrame(rows)
    return pd.DataFrame()


def score_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Stacked bars of the printed dimension scores, one bar per province (the bar's length is its total)."""
    need = ["province", "dimension", "value", "total"]
    missing = [c for c in need if c not in frame.columns]
    if missing or frame.empty:
        raise ValueError(f"score_chart: input lacks {missing} or is empty")
    df = frame.copy().reset_index(drop=True)
    provinces = list(dict.fromkeys(df["province"]))
    dims = list(dict.fromkeys(df["dimension"]))
    df["_dim_order"] = df["dimension"].map({d: i for i, d in enumerate(dims)})
    df["_label"] = [f"{v:.2f} 分" for v in df["value"]]
    df["_total"] = [f"{v:.2f} 分" for v in df["total"]]
    if "source_title" in df.columns:
        df["_source"] = [
            charts.source_label(t, e) for t, e in zip(df["source_title"], df["edition_year"], strict=True)
        ]
    y = alt.Y("province:N", sort=provinces, title=None, axis=alt.Axis(ticks=False, domain=False))
    x = alt.X("value:Q", title="得分（分，各维度已按权重折算，加总为总分）", stack="zero")
    color = alt.Color(
        "dimension:N",
        title=None,
        sort=dims,
        scale=alt.Scale(domain=dims, range=list(charts.PALETTE[: len(dims)])),
        legend=alt.Legend(orient="top", columns=3),
    )
    tips = [
        alt.Tooltip("province:N", title="省份"),
        alt.Tooltip("dimension:N", title="维度"),
        alt.Tooltip("_label:N", title="得分"),
        alt.Tooltip("_total:N", title="总分"),
    ]
    if "_source" in df.columns:
        tips.append(alt.Tooltip("_source:N", title="来源"))
    bars = (
        alt.Chart()
        .mark_bar(height={"band": 0.7}, stroke="white", strokeWidth=0.5)
        .encode(x=x, y=y, color=color, order=alt.Order("_dim_order:Q"), tooltip=tips)
    )
    totals = (
        alt.Chart()
        .transform_filter(f"datum._dim_order == {len(dims) - 1}")
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(x=alt.X("total:Q"), y=y, text="_total:N")
    )
    alt_text = f"堆积条形图：{len(provinces)} 个省份的{'、'.join(dims)}得分，条的总长是总分。"
    df["_exact"] = True
    chart = alt.layer(bars, totals, data=df).properties(
        width=charts.WIDTH - 200,
        height=26 * len(provinces),
        usermeta={"dcbook": {"kind": "score_bars", "alt": alt_text, "takeaway": ""}},
    )
    return charts.styled(chart)


def score_figure(ds: Any) -> render.Figure | None:
    """The printed dimension scores as stacked bars (None when no evaluation printed scores)."""
    frame = score_frame(ds)
    if frame.empty:
        return None
    return render.figure(
        score_chart(frame), data=frame.drop(columns="_order"), source_line=charts.source_line(frame)
    )


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    return {
        "tiles": tile_figure(ds),
        "multiples": multiples_figure(ds),
        "movement": movement_figure(ds),
        "regions": region_figure(ds),
        "scores": score_figure(ds),
    }


__all__ = ["SLUG", "facts", "figures", "headline", "tables"]
