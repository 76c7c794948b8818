"""Regional evaluations: the provinces' composite and dimension results across editions.

Each edition publishes a different slice under a different index system (2017: scores for the top ten
plus dimension top-10 tables; 2020: three tiers of all 31 provinces plus three top-10 lists; 2021: the
composite and seven dimension top-10 lists, unranked). These pure functions turn ``data/regional.csv``,
``data/frameworks.csv`` and ``data/provinces.csv`` (``ds.regional``, ``ds.frameworks``, ``ds.provinces``)
into the chapter's tables. Nothing is keyed on a year or framework name: a new year of rows works as is.

Membership of a "top group" (:func:`in_top`): a printed rank <= :data:`TOP_N`; a row of a list without
rank, tier or score (the report lists the top ten without ordering them); or the first tier
(第一梯队, the 2020 report's equivalent of the top ten). A score-only row (2017 table 3's 网络安全 and
政策环境 columns) is not membership: no dimension top ten was published for those.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pandas as pd

TOP_N = 10
#: Matrix cell when a province is absent from a published top-10 list.
NOT_IN_TOP = "未进前十"
#: Matrix cell when a province is listed in a top ten whose order the report does not give as a rank.
LISTED = "前十"
#: Matrix cell when the edition published no rank for that dimension.
UNPUBLISHED = "未公布"
COMPOSITE = "综合"
#: Column of :func:`region_pattern` holding the size of the list.
TOTAL = "合计"
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


class RegionalError(ValueError):
    """Regional data that breaks an invariant (e.g. tiers that do not cover 31 provinces once)."""


def regions(ds: Any) -> tuple[str, ...]:
    """The macro regions of ``data/provinces.csv`` (东部, 中部 …), in the order the file first names them.

    The grouping is data: the chapter counts by whatever regions the province table holds.
    """
    return tuple(dict.fromkeys(str(r) for r in ds.provinces["region"]))


def tier_order(tier: str) -> int:
    """Numeric order of a tier label such as 第一梯队 (1); unknown labels sort last."""
    m = re.search(r"第([一二三四五六七八九十])", tier or "")
    return _CN_DIGITS[m.group(1)] if m else 99


def _frame(ds: Any) -> pd.DataFrame:
    """``ds.regional`` with typed rank/score/year columns and blank strings for missing tiers."""
    df = ds.regional.copy()
    if df.empty:
        return df
    df["year"] = pd.to_numeric(df["year"]).astype(int)
    df["rank"] = pd.to_numeric(df["rank"], errors="coerce")
    df["score"] = pd.to_numeric(df["score"], errors="coerce")
    df["tier"] = df["tier"].fillna("").astype(str)
    return df


def _slice(ds: Any, framework: str, year: int | None = None) -> tuple[pd.DataFrame, int]:
    """Rows of one framework and year (latest year of that framework when ``year`` is None)."""
    df = _frame(ds)
    sub = df[df["framework"] == framework] if not df.empty else df
    if sub.empty:
        known = sorted(set(df["framework"])) if not df.empty else []
        raise RegionalError(f"regional.csv: no rows for framework {framework!r} (present: {known})")
    yr = int(sub["year"].max()) if year is None else int(year)
    sub = sub[sub["year"] == yr]
    if sub.empty:
        raise RegionalError(f"regional.csv: framework {framework!r} has no rows for year {yr}")
    return sub.reset_index(drop=True), yr


def in_top(row: pd.Series, top_tier: int = 1) -> bool:
    """Whether a regional row places its province in the (dimension or composite) top group."""
    if pd.notna(row["rank"]):
        return int(row["rank"]) <= TOP_N
    if row["tier"]:
        return tier_order(row["tier"]) == top_tier
    return pd.isna(row["score"])


def _top_tier(sub: pd.DataFrame) -> int:
    tiers = [tier_order(t) for t in sub["tier"] if t]
    return min(tiers) if tiers else 1


def dimensions(ds: Any, framework: str, year: int | None = None) -> list[str]:
    """Dimensions of an edition in print order, the composite first."""
    sub, _ = _slice(ds, framework, year)
    dims = list(dict.fromkeys(sub["dimension"]))
    return sorted(dims, key=lambda d: d != COMPOSITE)


def edition_matrix(ds: Any, framework: str, year: int | None = None) -> pd.DataFrame:
    """Province x dimension matrix (all provinces of provinces.csv, composite first).

    A cell holds the printed rank (int), the tier label, :data:`LISTED` (in an unordered top ten),
    :data:`NOT_IN_TOP` (absent from a published top-10 list) or :data:`UNPUBLISHED`.
    """
    sub, _ = _slice(ds, framework, year)
    provinces = list(ds.provinces["province"])
    unknown = sorted(set(sub["province"]) - set(provinces))
    if unknown:
        raise RegionalError(f"regional.csv: {framework}: provinces not in provinces.csv: {unknown}")
    dims = dimensions(ds, framework, year)
    cells: dict[str, dict[str, object]] = {}
    for dim in dims:
        rows = sub[sub["dimension"] == dim]
        has_list = bool((rows["rank"].notna() | (rows["tier"] != "") | rows["score"].isna()).any())
        col: dict[str, object] = dict.fromkeys(provinces, NOT_IN_TOP if has_list else UNPUBLISHED)
        for _, r in rows.iterrows():
            if pd.notna(r["rank"]):
                col[r["province"]] = int(r["rank"])
            elif r["tier"]:
                col[r["province"]] = r["tier"]
            elif pd.isna(r["score"]):
                col[r["province"]] = LISTED
        cells[dim] = col
    mat = pd.DataFrame({d: pd.Series(cells[d], dtype=object) for d in dims}, index=provinces)
    mat.index.name = "province"
    return mat


def score_matrix(ds: Any, framework: str, year: int | None = None) -> pd.DataFrame:
    """Province x dimension printed scores (NaN where none); only provinces with a score."""
    sub, _ = _slice(ds, framework, year)
    sub = sub[sub["score"].notna()]
    if sub.empty:
        return pd.DataFrame()
    mat = sub.pivot(index="province", columns="dimension", values="score")
    cols = [d for d in dimensions(ds, framework, year) if d in mat.columns]
    mat = mat[cols]
    if COMPOSITE in mat.columns:
        mat = mat.sort_values(COMPOSITE, ascending=False)
    return mat


def tier_table(ds: Any, framework: str, year: int | None = None) -> pd.DataFrame:
    """The composite tiers: every province of provinces.csv exactly once, best tier first."""
    sub, yr = _slice(ds, framework, year)
    tiers = sub[(sub["dimension"] == COMPOSITE) & (sub["tier"] != "")]
    if tiers.empty:
        raise RegionalError(f"regional.csv: {framework} {yr}: no tiers in dimension {COMPOSITE}")
    expected = set(ds.provinces["province"])
    counts = tiers["province"].value_counts()
    missing = sorted(expected - set(counts.index))
    dup = sorted(counts[counts > 1].index)
    extra = sorted(set(counts.index) - expected)
    if missing or dup or extra:
        raise RegionalError(
            f"regional.csv: {framework} {yr}: tiers must hold each of the {len(expected)} provinces once — "
            f"missing: {missing or '无'}; duplicated: {dup or '无'}; unknown: {extra or '无'}"
        )
    out = tiers[["province", "tier", "source_id", "locator", "quote"]].copy()
    out["tier_order"] = out["tier"].map(tier_order)
    out["printed_order"] = range(len(out))
    out = out.merge(ds.provinces[["province", "name_full", "region"]], on="province", how="left")
    return (
        out.sort_values(["tier_order", "printed_order"]).drop(columns="printed_order").reset_index(drop=True)
    )


def composite_top(ds: Any, framework: str, year: int | None = None) -> list[str]:
    """Provinces in the composite top group of an edition, in printed order."""
    sub, _ = _slice(ds, framework, year)
    comp = sub[sub["dimension"] == COMPOSITE]
    top = _top_tier(comp)
    return [r["province"] for _, r in comp.iterrows() if in_top(r, top)]


def editions(ds: Any) -> pd.DataFrame:
    """(year, framework, source_id) of every edition with composite rows, oldest first."""
    df = _frame(ds)
    if df.empty:
        return pd.DataFrame(columns=["year", "framework", "source_id"])
    comp = df[df["dimension"] == COMPOSITE]
    return (
        comp[["year", "framework", "source_id"]].drop_duplicates().sort_values("year").reset_index(drop=True)
    )


def rank_movement(ds: Any) -> pd.DataFrame:
    """Composite top group per edition, with entries and exits relative to the previous edition.

    One row per (edition, province) that is in the top group or has just left it: year, framework,
    province, region, rank (if printed), tier, in_top, change (首次 for the first edition, 保持, 新进入,
    退出).
    """
    eds = editions(ds)
    region = dict(zip(ds.provinces["province"], ds.provinces["region"], strict=False))
    rows: list[dict[str, Any]] = []
    prev: set[str] | None = None
    for _, e in eds.iterrows():
        sub, _ = _slice(ds, e["framework"], int(e["year"]))
        comp = sub[sub["dimension"] == COMPOSITE]
        top_t = _top_tier(comp)
        top = [r for _, r in comp.iterrows() if in_top(r, top_t)]
        names = {r["province"] for r in top}
        for r in top:
            change = "首次" if prev is None else ("保持" if r["province"] in prev else "新进入")
            rows.append(
                dict(
                    year=int(e["year"]),
                    framework=e["framework"],
                    province=r["province"],
                    region=region.get(r["province"]),
                    rank=None if pd.isna(r["rank"]) else int(r["rank"]),
                    tier=r["tier"],
                    in_top=True,
                    change=change,
                )
            )
        for p in sorted((prev or set()) - names):
            own = comp[comp["province"] == p]
            tier = own["tier"].iloc[0] if len(own) else ""
            rank = own["rank"].iloc[0] if len(own) else None
            rows.append(
                dict(
                    year=int(e["year"]),
                    framework=e["framework"],
                    province=p,
                    region=region.get(p),
                    rank=None if rank is None or pd.isna(rank) else int(rank),
                    tier=tier,
                    in_top=False,
                    change="退出",
                )
            )
        prev = names
    out = pd.DataFrame(
        rows, columns=["year", "framework", "province", "region", "rank", "tier", "in_top", "change"]
    )
    out["rank"] = out["rank"].astype("Int64")
    return out


def top_group_changes(ds: Any) -> pd.DataFrame:
    """Per pair of consecutive editions: who stayed, entered and left the composite top group."""
    mv = rank_movement(ds)
    out = []
    years = sorted(set(mv["year"]))
    for a, b in itertools.pairwise(years):
        cur = mv[mv["year"] == b]
        out.append(
            dict(
                year_from=a,
                year_to=b,
                stayed=sorted(cur.loc[cur["change"] == "保持", "province"]),
                entered=sorted(cur.loc[cur["change"] == "新进入", "province"]),
                exited=sorted(cur.loc[cur["change"] == "退出", "province"]),
            )
        )
    return pd.DataFrame(out, columns=["year_from", "year_to", "stayed", "entered", "exited"])


def region_pattern(ds: Any, framework: str, year: int | None = None) -> pd.DataFrame:
    """Count of top-group provinces by region (:func:`regions`), one row per dimension, and the total."""
    sub, _ = _slice(ds, framework, year)
    region = dict(zip(ds.provinces["province"], ds.provinces["region"], strict=False))
    names = regions(ds)
    out = {}
    for dim in dimensions(ds, framework, year):
        rows = sub[sub["dimension"] == dim]
        top_t = _top_tier(rows)
        members = [r["province"] for _, r in rows.iterrows() if in_top(r, top_t)]
        if not members:
            continue  # score-only dimension: no top ten published
        counts = {reg: 0 for reg in names}
        for p in members:
            if region.get(p) not in counts:
                raise RegionalError(f"provinces.csv: province {p!r} has no row (and so no region)")
            counts[region[p]] += 1
        counts[TOTAL] = len(members)
        out[dim] = counts
    return pd.DataFrame.from_dict(out, orient="index", columns=[*names, TOTAL]).rename_axis("dimension")


def composite_seats(ds: Any) -> dict[str, Any] | None:
    """The composite top-group seats of every visible evaluation, added up per macro region — the one count the
    headline and the regional chapter both use. ``None`` without composite rows. ``leads`` names every region
    holding the most seats (a tie names them all); ``per_year`` gives each region's seats per evaluation."""
    per: dict[str, list[dict[str, int]]] = {r: [] for r in regions(ds)}
    total = 0
    for _, ev in editions(ds).iterrows():
        pattern = region_pattern(ds, ev["framework"], int(ev["year"]))
        if COMPOSITE not in pattern.index:
            continue
        total += int(pattern.at[COMPOSITE, TOTAL])
        for r in per:
            per[r].append({"year": int(ev["year"]), "n": int(pattern.at[COMPOSITE, r])})
    if total == 0:
        return None
    seats = {r: sum(x["n"] for x in v) for r, v in per.items()}
    most = max(seats.values())
    return {
        "total": total,
        "seats": seats,
        "per_year": per,
        "leads": tuple(r for r in seats if seats[r] == most),
    }


def dimension_leaders_outside_top(ds: Any, framework: str, year: int | None = None) -> pd.DataFrame:
    """Provinces in a dimension's top ten while outside the composite top group."""
    sub, _ = _slice(ds, framework, year)
    top = set(composite_top(ds, framework, year))
    region = dict(zip(ds.provinces["province"], ds.provinces["region"], strict=False))
    rows = []
    for _, r in sub[sub["dimension"] != COMPOSITE].iterrows():
        if in_top(r, _top_tier(sub[sub["dimension"] == r["dimension"]])) and r["province"] not in top:
            rows.append(
                dict(
                    province=r["province"],
                    region=region.get(r["province"]),
                    dimension=r["dimension"],
                    rank=None if pd.isna(r["rank"]) else int(r["rank"]),
                    score=None if pd.isna(r["score"]) else float(r["score"]),
                    source_id=r["source_id"],
                    quote=r["quote"],
                )
            )
    cols = ["province", "region", "dimension", "rank", "score", "source_id", "quote"]
    return pd.DataFrame(rows, columns=cols)


def framework_comparison(ds: Any) -> pd.DataFrame:
    """The index systems side by side: one row per (framework, dimension) with weight and indicators.

    ``same_name_elsewhere`` names other frameworks using the same wording as a dimension or
    second-level indicator — a reminder that equal names need not mean equal measurements.
    """
    fw = ds.frameworks.copy()
    if fw.empty:
        return pd.DataFrame(
            columns=["framework", "dimension", "weight", "n_indicators", "indicators", "same_name_elsewhere"]
        )
    fw["level"] = pd.to_numeric(fw["level"]).astype(int)
    fw["weight"] = pd.to_numeric(fw["weight"], errors="coerce")
    names: dict[str, set[str]] = {}
    for _, r in fw.iterrows():
        name = r["dimension"] if r["level"] == 1 else r["indicator_zh"]
        names.setdefault(name, set()).add(f"{r['framework']}:{'一级' if r['level'] == 1 else '二级'}")
    rows = []
    for (framework, dim), grp in fw.groupby(["framework", "dimension"], sort=False):
        lvl1 = grp[grp["level"] == 1]
        subs = [s for s in grp.loc[grp["level"] == 2, "indicator_zh"] if isinstance(s, str) and s]
        weight = lvl1["weight"].iloc[0] if len(lvl1) else float("nan")
        others = sorted(x for x in names.get(dim, set()) if not x.startswith(f"{framework}:"))
        rows.append(
            dict(
                framework=framework,
                dimension=dim,
                weight=weight,
                n_indicators=len(subs),
                indicators="、".join(subs),
                same_name_elsewhere="；".join(others),
            )
        )
    return pd.DataFrame(rows)


def published_lists(ds: Any) -> pd.DataFrame:
    """Every list an evaluation published, one row per (evaluation, dimension, tier): the provinces in
    printed order (by rank where ranks are printed, else as the report lists them).

    Columns: year, framework, source_id, dimension, group (the tier, or "" for a top ten), ranked (the
    report prints ranks), provinces (tuple), ranks (tuple, empty when unranked), locator (first row's).
    A dimension with scores of the composite's top provinces but no list of its own is not a list.
    """
    df = _frame(ds)
    cols = ["year", "framework", "source_id", "dimension", "group", "ranked", "provinces", "ranks", "locator"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    rows: list[dict[str, Any]] = []
    for (year, framework), sub in df.groupby(["year", "framework"], sort=True):
        for dim in dimensions(ds, str(framework), int(year)):
            part = sub[sub["dimension"] == dim]
            ranked = part[part["rank"].notna()]
            tiered = part[part["tier"] != ""]
            listed = part[part["rank"].isna() & (part["tier"] == "") & part["score"].isna()]
            groups: list[tuple[str, pd.DataFrame, bool]] = []
            if len(ranked):
                groups.append(("", ranked.sort_values("rank", kind="stable"), True))
            for tier in sorted(set(tiered["tier"]), key=tier_order):
                groups.append((tier, tiered[tiered["tier"] == tier], False))
            if len(listed):
                groups.append(("", listed, False))
            for group, rows_of, has_rank in groups:
                rows.append(
                    dict(
                        year=int(year),
                        framework=str(framework),
                        source_id=str(rows_of["source_id"].iloc[0]),
                        dimension=dim,
                        group=group,
                        ranked=has_rank,
                        provinces=tuple(rows_of["province"]),
                        ranks=tuple(int(r) for r in rows_of["rank"]) if has_rank else (),
                        locator=int(rows_of["locator"].iloc[0]),
                    )
                )
    return pd.DataFrame(rows, columns=cols)


def _top_members(lists: pd.DataFrame, year: int, dimension: str) -> tuple[list[str], bool] | None:
    """The top group of one dimension in one evaluation (the best tier for a tiered list), and whether
    its order is a printed rank; None when the evaluation published no list for the dimension."""
    part = lists[(lists["year"] == year) & (lists["dimension"] == dimension)]
    if part.empty:
        return None
    tiers = [g for g in part["group"] if g]
    best = part[part["group"] == min(tiers, key=tier_order)] if tiers else part
    row = best.iloc[0]
    return [
        p for p in row["provinces"] if not row["ranked"] or row["ranks"][row["provinces"].index(p)] <= TOP_N
    ], bool(row["ranked"])


def list_changes(ds: Any) -> pd.DataFrame:
    """Entries and exits of every dimension named alike in two consecutive evaluations that both published
    a list for it (the composite included), with rank moves where both lists print ranks.

    Columns: dimension, year_from, year_to, ranked (both print ranks), stayed, entered, exited (tuples of
    provinces), moves (tuple of (province, rank_from, rank_to) for the stayers when ``ranked``).
    """
    lists = published_lists(ds)
    cols = ["dimension", "year_from", "year_to", "ranked", "stayed", "entered", "exited", "moves"]
    if lists.empty:
        return pd.DataFrame(columns=cols)
    years = sorted(set(lists["year"]))
    dims = list(dict.fromkeys(lists["dimension"]))
    dims = sorted(dims, key=lambda d: d != COMPOSITE)
    rows = []
    for dim in dims:
        have = [y for y in years if _top_members(lists, y, dim) is not None]
        for a, b in itertools.pairwise(have):
            (old, r_old), (new, r_new) = _top_members(lists, a, dim), _top_members(lists, b, dim)  # type: ignore[misc]
            ranked = r_old and r_new
            moves = tuple((p, old.index(p) + 1, new.index(p) + 1) for p in new if p in old) if ranked else ()
            rows.append(
                dict(
                    dimension=dim,
                    year_from=a,
                    year_to=b,
                    ranked=ranked,
                    stayed=tuple(p for p in new if p in old),
                    entered=tuple(p for p in new if p not in old),
                    exited=tuple(p for p in old if p not in new),
                    moves=moves,
                )
            )
    return pd.DataFrame(rows, columns=cols)


def diagnoses(ds: Any, scope: str | None = None) -> pd.DataFrame:
    """The reports' own diagnosis of weaknesses visible to the edition (``diagnoses.csv``), in report and
    item order; ``scope`` (national, regional) keeps one kind."""
    d = getattr(ds, "diagnoses", None)
    cols = ["source_id", "year", "scope", "item", "topic_zh", "chapter", "locator", "quote"]
    if d is None or d.empty:
        return pd.DataFrame(columns=cols)
    d = d[d["source_id"].isin(set(ds.sources["source_id"]))]
    if scope is not None:
        d = d[d["scope"] == scope]
    return d.sort_values(["year", "scope", "item"], kind="stable").reset_index(drop=True)[cols]
