"""Facts and exhibits of chapter 0 导读 (slug ``intro``): the edition itself, its sources, the headline panel.

The chapter's prose is the Markdown of ``book/00_intro.ipynb``. The headline panel and its growth rates come
from :mod:`dcbook.panel` and the plan cards from :mod:`dcbook.facts`, the same computations 01 总览 and
12 规划目标追踪 use, so the introduction never states a figure that differs from the chapters it points to.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, render, targets
from dcbook import facts as F
from dcbook import panel as P
from dcbook.chapters import exhibits

SLUG = "intro"

#: Source kinds in readers' words (sources.csv ``kind``).
KIND_NAMES: dict[str, str] = {
    "yearly_report": "年度发展报告",
    "plan": "规划",
    "plan_interpretation": "规划解读",
    "interpretation": "规划解读",
}
#: Column headers of :func:`sources_table`.
SOURCE_COLUMNS: tuple[str, ...] = (
    "来源编号（引用键）", "标题", "发布机构", "发布时间", "版本年份", "类型", "观测值条数",
)  # fmt: skip


def sources_table(ds: Any) -> pd.DataFrame:
    """The edition's sources with their observation counts, oldest first, Chinese headers."""
    src = ds.sources.sort_values(["edition_year", "published", "source_id"])
    counts = ds.observations.groupby("source_id").size()
    cells = (
        src["source_id"].astype(str),
        src["title"].astype(str),
        src["publisher"].astype(str),
        src["published"].astype(str),
        src["edition_year"].astype(int).astype(str),
        [KIND_NAMES.get(str(k), str(k)) for k in src["kind"]],
        [int(counts.get(s, 0)) for s in src["source_id"]],
    )
    return pd.DataFrame(dict(zip(SOURCE_COLUMNS, cells, strict=True)))


def plan_tables(ds: Any) -> tuple[dict[str, Any], ...]:
    """Where each visible plan's target table comes from: the plan's name and the source that prints it
    (the plan itself, or a yearly report that reprints it)."""
    by_id = {s.id: s for s in F.sources(ds)}
    full = F.plan_frame(ds)
    out = []
    for plan in sorted(set(full["plan"].astype(str))):
        sid = str(full.loc[full["plan"] == plan, "target_source_id"].iloc[0])
        if sid in by_id:
            out.append({"name": targets.PLAN_NAMES.get(plan, plan), "source": by_id[sid]})
    return tuple(out)


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    panel = P.headline_panel(ds)
    fast, slow, n_growth = P.growth_extremes(ds, panel)
    years = ds.observations["year"].astype(int)
    later = years[years > int(ds.edition)]
    return {
        "n_observations": len(ds.observations),
        "n_indicators": int(ds.observations["indicator_id"].nunique()),
        "n_catalogue": len(ds.indicators),
        "first_year": int(ds.sources["edition_year"].min()),
        "vintage": P.latest_national_year(ds),
        # observations dated after the edition year (a later document's survey): how many, the latest year
        "later_n": len(later) or None,
        # whether they all sit in yearly reports (published the next year, writing up to that date)
        "later_in_reports": bool(len(later))
        and set(ds.observations.loc[later.index, "source_id"])
        <= set(ds.sources.loc[ds.sources["kind"] == "yearly_report", "source_id"]),
        "later_year": int(later.max()) if len(later) else None,
        "panel_n": len(panel),
        "panel_multi": int((panel["n_years"] >= 2).sum()) if not panel.empty else 0,
        "growth_fast": fast.series if fast else None,
        # the rule's verdict on it (small base, pilots left out) for the shared phrase fastest_note
        "growth_fastest": fast,
        "growth_slow": slow,
        "growth_n": n_growth,
        "plans": F.plan_cards(ds) or None,
        "plan_tables": plan_tables(ds) or None,
    }


def tables(ds: Any) -> dict[str, pd.DataFrame | None]:
    """The sources table and the headline panel (None when the edition has no headline figure)."""
    panel = P.headline_panel(ds)
    return {
        "sources": sources_table(ds),
        "panel": exhibits.panel_table(panel) if not panel.empty else None,
    }


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The sparklines of the headline indicators with two or more years (None when none has)."""
    trend = P.trend_frame(ds, P.headline_panel(ds))
    return {"spark": exhibits.chart(trend, charts.small_multiples, columns=4, height=90)}


def headline(ds: Any) -> dict[str, str]:
    """Stable figures printed by the notebook's NBVAL_CHECK_OUTPUT cell."""
    return {
        "edition": str(ds.edition),
        "sources": str(len(ds.sources)),
        "observations": str(len(ds.observations)),
        "indicators": str(ds.observations["indicator_id"].nunique()),
        "panel": str(len(P.headline_panel(ds))),
        "vintage": str(P.latest_national_year(ds)),
    }


__all__ = ["SLUG", "facts", "figures", "headline", "sources_table", "tables"]
