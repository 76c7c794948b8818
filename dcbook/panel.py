"""The headline panel: a fixed *selection* of indicators across domains, recomputed for every edition.

Two chapters show it — 导读 (a table and sparklines) and 01 总览 (the table, the trends, the growth rates) —
so it lives here once, in the analysis layer, and neither chapter imports the other. The selection
(:data:`HEADLINE_SLOTS`) is an editorial choice; every figure, ranking and comparison comes from the edition's
dataset. Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``, ``series``, ``indicators``,
``resolved``) so the tests can use small hand-made datasets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from dcbook import facts as F
from dcbook.changes import is_level
from dcbook.schema import DOMAIN_NAMES

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
PANEL_COLUMNS: tuple[str, ...] = (
    "indicator_id", "name_zh", "domain", "domain_zh", "unit", "higher_is_better",
    "latest_year", "latest_value", "latest_qualifier",
    "start_year", "start_value", "start_qualifier", "n_years", "ratio", "cagr",
    "spark_years", "spark_values", "source_id", "source_title", "edition_year",
)  # fmt: skip


def _qual(row: Any) -> str:
    q = row.get("qualifier")
    return F.EXACT if q is None or (isinstance(q, float) and math.isnan(q)) or q == "" else str(q)


def _unit(row: Any) -> str:
    u = row.get("unit")
    return "" if u is None or (isinstance(u, float) and math.isnan(u)) else str(u)


def _flag(x: Any) -> bool:
    """A catalogue flag, read as data.load gives it (bool) or as the CSV has it ("true"/"false")."""
    return x.strip().lower() == "true" if isinstance(x, str) else bool(x)


def national_series(ds: Any, indicator_id: str) -> pd.DataFrame:
    """Resolved national rows of one indicator, oldest first (empty frame without data)."""
    s = ds.series(indicator_id)
    return s.sort_values("year", kind="stable").reset_index(drop=True) if s is not None else pd.DataFrame()


def _pick(ds: Any, alternatives: Sequence[str]) -> str | None:
    """First alternative with ≥2 years of national data, else the first with any; None if none has data."""
    known = [a for a in alternatives if a in ds.indicators.index]
    for ind in known:
        if len(national_series(ds, ind)) >= 2:
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

    One row per indicator of :func:`headline_ids`. ``ratio``/``cagr`` are empty when the
    edition has a single year; ``cagr`` only for level indicators with positive ends. ``spark_years`` and
    ``spark_values`` hold the whole resolved national series for a sparkline.
    """
    rows = []
    for ind in headline_ids(ds, slots):
        s = national_series(ds, ind)
        first, last = s.iloc[0], s.iloc[-1]
        unit = _unit(last)
        v0, v1 = float(first["value"]), float(last["value"])
        span = int(last["year"]) - int(first["year"])
        multi = len(s) >= 2
        cagr = None
        if multi and is_level(unit) and v0 > 0 and v1 > 0 and span > 0:
            cagr = (v1 / v0) ** (1 / span) - 1
        domain = str(ds.indicators.at[ind, "domain"])
        rows.append(
            {
                "indicator_id": ind,
                "name_zh": F.name_of(ds, ind),
                "domain": domain,
                "domain_zh": DOMAIN_NAMES.get(domain, domain),
                "unit": unit,
                "higher_is_better": _flag(ds.indicators.at[ind, "higher_is_better"]),
                "latest_year": int(last["year"]),
                "latest_value": v1,
                "latest_qualifier": _qual(last),
                "start_year": int(first["year"]) if multi else None,
                "start_value": v0 if multi else None,
                "start_qualifier": _qual(first) if multi else None,
                "n_years": len(s),
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


def trend_frame(ds: Any, panel: pd.DataFrame) -> pd.DataFrame:
    """Resolved national rows of the panel's indicators that have two or more years (small multiples)."""
    multi = panel[panel["n_years"] >= 2]["indicator_id"] if not panel.empty else []
    parts = [national_series(ds, i) for i in multi]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def growth_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """Average annual growth of the panel's level indicators, one bar each (value in %), fastest first.

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
                F.EXACT if a == b == F.EXACT else F.APPROX
                for a, b in zip(rows["start_qualifier"], rows["latest_qualifier"], strict=True)
            ],
            "source_id": rows["source_id"],
            "source_title": rows["source_title"],
            "edition_year": rows["edition_year"],
            # a rate the book computes from two printed figures (the table says 计算值, not a source)
            "computed": True,
        }
    )
    return out.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


def growth_extremes(ds: Any, panel: pd.DataFrame) -> tuple[F.Fastest | None, F.Series | None, int]:
    """``(fastest, slowest, n)``: the level indicators of the panel with the highest and lowest compound
    annual growth, and how many were compared (``None, None, 0`` when none has two years). The fastest is
    :func:`dcbook.facts.fastest` of the panel's level indicators, so the book's one rule applies here too
    (pilot schemes left out, a small base flagged); the slowest is ``None`` when only one can be compared."""
    g = growth_frame(panel)
    fast = F.fastest(ds, list(g["indicator_id"])) if not g.empty else None
    if fast is None:
        return None, None, 0
    rest = [str(i) for i in g["indicator_id"] if F.name_of(ds, str(i)) not in fast.pilots]
    slow = F.series(ds, rest[-1]) if fast.candidates > 1 else None
    return fast, slow, fast.candidates


def improving(panel: pd.DataFrame) -> int:
    """How many panel indicators with two or more years are better at the latest year than at the first
    (higher, or lower where the catalogue says lower is better, as for ranks)."""
    multi = panel[panel["n_years"] >= 2] if not panel.empty else panel
    return sum(
        (b > a) if up else (b < a)
        for a, b, up in zip(
            multi["start_value"], multi["latest_value"], multi["higher_is_better"], strict=True
        )
    )


def start_years(panel: pd.DataFrame) -> tuple[int, int] | None:
    """Earliest and latest first year among the panel indicators with two or more years (None without)."""
    multi = panel[panel["n_years"] >= 2] if not panel.empty else panel
    if multi.empty:
        return None
    years = multi["start_year"].astype(int)
    return int(years.min()), int(years.max())


def latest_national_year(ds: Any) -> int | None:
    """Latest year with national data in the edition (its data vintage), None if there is none."""
    nat = ds.resolved[ds.resolved["region"] == "全国"]
    return int(nat["year"].max()) if not nat.empty else None


__all__ = [
    "HEADLINE_SLOTS",
    "growth_extremes",
    "growth_frame",
    "headline_ids",
    "headline_panel",
    "improving",
    "latest_national_year",
    "national_series",
    "start_years",
    "trend_frame",
]
