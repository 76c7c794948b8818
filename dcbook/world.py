"""Where China stands: the statements of rank, world share and comparison (``international.csv``) as facts.

Every document states China's place in the world many times, often the same statement in a summary and
again in a section. This module reduces them to one :class:`dcbook.facts.Standing` per indicator and measure
(the latest year; among equal years an exact value before a bound, then the latest published source), keeps
the earliest figure so a rank's movement can be told, and never orders statements of different
comparability families against each other (:data:`dcbook.schema.INTL_FAMILIES`): a rank by a composite index
and a rank by volume, or a share of declared patents and a share of a list's entries, are different kinds.

:func:`world` is the one helper every domain chapter uses (``f.world``); chapter 10 uses the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from dcbook import facts as F
from dcbook import schema

#: Measures drawn in the "where China stands" chart (one panel each): the ones with a comparable axis.
CHARTED: tuple[str, ...] = ("rank", "share")
#: Family order (the catalogue order of :data:`dcbook.schema.INTL_FAMILIES`): panels and rows follow it.
FAMILY_ORDER: dict[str, int] = {f: i for i, f in enumerate(schema.INTL_FAMILIES)}


def statements(ds: Any, domains: Sequence[str] | None = None) -> pd.DataFrame:
    """The edition's statements (of visible sources only), with source title, kind and publication date."""
    frame = getattr(ds, "international", None)
    if frame is None or frame.empty:
        return pd.DataFrame(columns=[*schema.INTERNATIONAL.columns, "source_title", "kind", "published"])
    out = frame.copy()
    if domains is not None:
        out = out[out["domain"].isin(list(domains))]
    src = ds.sources.set_index("source_id")
    out["source_title"] = out["source_id"].map(src["title"])
    out["kind"] = out["source_id"].map(src["kind"])
    out["published"] = out["source_id"].map(src["published"])
    return out.reset_index(drop=True)


def _figure(row: Any) -> F.Value | None:
    value = F._num(row.get("value"))
    if value is None:
        return None
    return F.Value(
        indicator=str(row["indicator"]),
        name=str(row["name_zh"]),
        value=value,
        unit=F._text(row.get("unit")),
        qualifier=F._qual(row.get("qualifier")),
        year=int(row["year"]),
        region="全国",
        source=str(row["source_id"]),
        source_title=F._text(row.get("source_title")),
        locator=str(int(row["locator"])),
    )


def standings(ds: Any, domains: Sequence[str] | None = None) -> tuple[F.Standing, ...]:
    """One :class:`~dcbook.facts.Standing` per indicator and measure, in family order, then by year
    (latest first) and name: never sorted by value across families."""
    frame = statements(ds, domains)
    if frame.empty:
        return ()
    frame = frame.assign(
        _exact=(frame["qualifier"] == "exact"),
        _pub=frame["published"].astype(str),
    )
    out = []
    for (_ind, _measure), group in frame.groupby(["indicator", "measure"], sort=False):
        best = group.sort_values(["year", "_exact", "_pub"], ascending=False, kind="stable").iloc[0]
        valued = group[group["value"].notna()].sort_values(["year", "_pub"], kind="stable")
        first = valued.iloc[0] if not valued.empty else None
        earlier = _figure(first) if first is not None and int(first["year"]) < int(best["year"]) else None
        same = group[group["year"] == best["year"]]
        out.append(
            F.Standing(
                indicator=str(best["indicator"]),
                name=str(best["name_zh"]),
                measure=str(best["measure"]),
                family=str(best["family"]),
                family_name=schema.INTL_FAMILIES[str(best["family"])][1],
                figure=_figure(best),
                printed=F._text(best.get("printed")),
                comparator=str(best["comparator"]),
                scope=F._text(best.get("scope")),
                year=int(best["year"]),
                domain=str(best["domain"]),
                source=str(best["source_id"]),
                source_title=F._text(best.get("source_title")),
                locator=str(int(best["locator"])),
                quote=str(best["quote"]),
                earlier=earlier,
                n_sources=int(same["source_id"].nunique()),
            )
        )
    return tuple(sorted(out, key=lambda s: (FAMILY_ORDER[s.family], -s.year, s.indicator)))


def valued(items: Sequence[F.Standing], measures: Sequence[str] = CHARTED) -> tuple[F.Standing, ...]:
    """The standings with a number, of the given measures."""
    return tuple(s for s in items if s.figure is not None and s.measure in measures)


def specificity(s: F.Standing) -> tuple[Any, ...]:
    """The editor's rule for a chapter's headline international fact, as a sort key (largest first):
    an exact rank or share; a movement between two years; a named index or list; the latest year; the
    statement most documents make; the longer span between its two years; then the family order (an index rank before a volume rank)."""
    exact = s.figure is not None and s.figure.qualifier == "exact" and s.measure in CHARTED
    return (
        exact,
        s.earlier is not None,
        bool(s.scope),
        s.year,
        s.n_sources,
        s.year - s.earlier.year if s.earlier is not None else 0,
        -FAMILY_ORDER[s.family],
        s.indicator,
    )


def headline(items: Sequence[F.Standing]) -> F.Standing | None:
    """The standing the editor's rule of :func:`specificity` puts first (None without any)."""
    return max(items, key=specificity) if items else None


def world(ds: Any, domains: Sequence[str]) -> dict[str, Any]:
    """What a domain chapter's "放在世界中看" section uses: its standings (``world``) split into those with a
    number (``world_valued``) and those without (``world_words``: ``world_comparisons`` and
    ``world_superlatives``), and the editor's pick (``world_lead``)."""
    items = standings(ds, domains)
    numbered = tuple(s for s in items if s.figure is not None)
    return {
        "world": items or None,
        "world_valued": numbered or None,
        "world_words": tuple(s for s in items if s.figure is None) or None,
        "world_comparisons": tuple(s for s in items if s.measure == "comparison") or None,
        "world_superlatives": tuple(s for s in items if s.measure == "superlative") or None,
        "world_lead": headline(numbered),
    }


__all__ = ["CHARTED", "headline", "specificity", "standings", "statements", "valued", "world"]
