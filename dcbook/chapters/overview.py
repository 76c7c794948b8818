"""Facts and charts of chapter 01 总览：数字中国建设进程 (slug ``overview``).

The chapter's prose is the Markdown of ``book/01_overview.ipynb``; this module computes what it talks about,
for one edition: the coverage of the record by domain, the headline panel (:mod:`dcbook.panel`, shared with
导读), the milestones (:mod:`dcbook.milestones`), the plan scorecards (:mod:`dcbook.targets`) and the
comparison with the previous edition (:mod:`dcbook.changes`). Functions take a ``dcbook.data.Dataset``
duck-typed (``latest``, ``series``, ``resolved``, ``indicators``, ``sources``, ``targets``, ``milestones``,
``regional``, ``edition``), so the tests can use small hand-made datasets.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import changes, charts, render, targets
from dcbook import facts as F
from dcbook import milestones as M
from dcbook import panel as P
from dcbook import regional as rg
from dcbook.chapters import exhibits
from dcbook.schema import DOMAIN_NAMES

SLUG = "overview"
#: Interim alias of :data:`dcbook.schema.DOMAIN_NAMES` for the chapters that still import it from here
#: (13 方法与数据, the catalogue appendix); delete once they read the schema's.
DOMAIN_ZH = DOMAIN_NAMES
#: Categories always on the timeline (plans and events only when they belong to the overview domain).
KEY_CATEGORIES: tuple[str, ...] = ("strategy", "law", "evaluation")
#: Below this many key milestones the timeline shows every milestone the edition's sources name.
MIN_KEY_MILESTONES = 6
#: The indicators the 本章要点 box leads with, when their latest value falls in the edition's own years.
LEAD_FINDINGS: tuple[str, ...] = ("digital_economy_size", "digital_economy_gdp_share")


# ----------------------------------------------------------------------------------------------------------
# Coverage and lead findings


def domain_counts(ds: Any) -> dict[str, int]:
    """National indicators with data per domain (display name → count, 0 included), in the order of
    :data:`dcbook.schema.DOMAIN_NAMES`; the overview domain (cross-cutting figures) is left out."""
    r = ds.resolved[ds.resolved["region"] == "全国"]
    by = r.drop_duplicates("indicator_id")["domain"].value_counts()
    return {name: int(by.get(d, 0)) for d, name in DOMAIN_NAMES.items() if d != SLUG}


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

    A finding about the 2020 edition should not lead with a 2017 figure when the edition has its own,
    newer figures; only when none is current does an older one stay.
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


def rural_gaps(ds: Any) -> tuple[F.Gap | None, F.Gap | None]:
    """Points between the national and the rural internet penetration: ``(first, last)`` in the earliest and
    the latest year both are known (``first`` None when they share one year only; both None when none)."""
    rural, national = F.series(ds, "rural_internet_penetration"), F.series(ds, "internet_penetration")
    if rural is None or national is None:
        return None, None
    years = sorted({v.year for v in rural.values} & {v.year for v in national.values})
    if not years:
        return None, None
    last = F.gap(rural.at(years[-1]), national.at(years[-1]))
    first = F.gap(rural.at(years[0]), national.at(years[0])) if len(years) > 1 else None
    return first, last


# ----------------------------------------------------------------------------------------------------------
# Milestones


def key_milestones(ds: Any, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Milestones for the overview timeline: strategies, laws, evaluations and overview-level plans/events.

    Falls back to every milestone when the edition's sources name fewer than :data:`MIN_KEY_MILESTONES`.
    """
    m = M.milestone_frame(ds) if frame is None else frame
    key = m[m["category"].isin(KEY_CATEGORIES) | (m["domain"] == SLUG)]
    return (key if len(key) >= MIN_KEY_MILESTONES else m).reset_index(drop=True)


def regional_evaluations(ds: Any) -> tuple[dict[str, Any], ...]:
    """The composite provincial evaluations the edition's sources publish: year and source title each."""
    titles = ds.sources.set_index("source_id")["title"]
    return tuple(
        {"year": int(e["year"]), "title": str(titles.get(e["source_id"], e["source_id"]))}
        for _, e in rg.editions(ds).iterrows()
    )


# ----------------------------------------------------------------------------------------------------------
# Plan scorecards (dcbook.targets)


def plan_frames(ds: Any) -> dict[str, pd.DataFrame]:
    """Scorecard rows of every plan visible to the edition, oldest plan first."""
    full = F.plan_frame(ds)
    return {str(p): full[full["plan"] == p].reset_index(drop=True) for p in sorted(set(full["plan"]))}


def plan_status_frame(ds: Any, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Target counts per plan and verdict group (:data:`dcbook.targets.VERDICT_GROUPS`), unit 项."""
    src = ds.sources.set_index("source_id")
    rows = []
    for plan, card in frames.items():
        if card.empty:
            continue
        groups = card["verdict"].map(targets.VERDICT_GROUPS)
        sid = str(card["target_source_id"].iloc[0])
        for g in dict.fromkeys(targets.VERDICT_GROUPS.values()):
            n = int((groups == g).sum())
            if n:
                rows.append(
                    {
                        "item": f"{targets.PLAN_SHORT.get(plan, plan).replace('规划', '')}：{g}",
                        "name_zh": f"{targets.PLAN_NAMES.get(plan, plan)}主要指标：{g}",
                        "value": float(n),
                        "unit": "项",
                        "qualifier": F.EXACT,
                        "source_id": sid,
                        "source_title": src.at[sid, "title"],
                        "edition_year": int(src.at[sid, "edition_year"]),
                    }
                )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------------------
# The comparison with the previous edition


def comparison(ds: Any) -> tuple[int | None, dict[str, pd.DataFrame] | None]:
    """``(previous edition, its comparison)`` for a real edition (:func:`dcbook.changes.for_edition`, from the
    dataset's own data directory); ``(None, None)`` for the first edition or a hand-made dataset."""
    data_dir = getattr(ds, "data_dir", None)
    if data_dir is None:
        return None, None
    return changes.for_edition(ds, data_dir)


# ----------------------------------------------------------------------------------------------------------
# The chapter contract


#: The book's thread, step by step: (step, chapter docnames). Chapter 1 tells the story in this order.
THREAD: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("build", ("02_infrastructure",)),
    ("uptake", ("05_economy", "06_government", "07_society")),
    ("quality", ("04_innovation", "03_data_resources", "11_regional")),
    ("rules", ("09_security_governance", "10_international")),
)
#: The chapter (slug) of each docname the thread names.
_THREAD_SLUGS: dict[str, str] = {
    "02_infrastructure": "infrastructure",
    "05_economy": "economy",
    "06_government": "government",
    "07_society": "society",
    "04_innovation": "innovation",
    "03_data_resources": "data_resources",
    "11_regional": "regional",
    "09_security_governance": "security_governance",
    "10_international": "international",
}


def thread_facts(ds: Any) -> dict[str, Any]:
    """The book's thread: the report's own national list of weaknesses placed on the thread's steps, the
    pandemic-year events the documents record, and the rules the governance chapter's domain got in its
    busiest year."""
    weak = rg.diagnoses(ds, "national")
    src = {s.id: s for s in F.sources(ds)}
    slug_doc = {v: k for k, v in _THREAD_SLUGS.items()}
    items = tuple(
        {
            "item": int(r["item"]),
            "topic": str(r["topic_zh"]),
            "quote": str(r["quote"]),
            "doc": slug_doc.get(str(r["chapter"]), ""),
            "step": next((st for st, docs in THREAD if slug_doc.get(str(r["chapter"])) in docs), ""),
            "source": src.get(str(r["source_id"])),
            "year": int(r["year"]),
        }
        for _, r in weak.iterrows()
    )
    miles = ds.milestones
    pandemic = ()
    if miles is not None and not miles.empty:
        m = miles[
            miles["event_zh"].astype(str).str.contains("疫情")
            & miles["date"].astype(str).str.startswith("2020")
        ]
        pandemic = tuple(
            F.Event(
                str(r["date"]), str(r["event_zh"]), str(r["domain"]), str(r["category"]), str(r["source_id"])
            )
            for _, r in m.iterrows()
        )
    rules = [e for e in F.events(ds, ["security_governance"]) if e.category in ("law", "regulation")]
    by_year: dict[str, int] = {}
    for e in rules:
        by_year[e.date[:4]] = by_year.get(e.date[:4], 0) + 1
    peak = max(by_year, key=lambda y: (by_year[y], y)) if by_year else None
    return {
        "steps": tuple({"step": st, "docs": docs} for st, docs in THREAD),
        "weaknesses": items or None,
        "pandemic": pandemic or None,
        "rules_peak": {
            "year": int(peak),
            "n": by_year[peak],
            "n_drafts": sum(1 for e in rules if e.date.startswith(peak) and e.draft),
            "events": tuple(e for e in rules if e.date.startswith(peak)),
        }
        if peak
        else None,
    }


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    panel = P.headline_panel(ds)
    fast, slow, n_growth = P.growth_extremes(ds, panel)
    starts = P.start_years(panel)
    gap_first, gap_last = rural_gaps(ds)
    counts = domain_counts(ds)
    cover = {d: n for d, n in counts.items() if n}
    most = max(cover.values()) if cover else None
    least = min(counts.values()) if cover else None
    miles = M.milestone_frame(ds)
    key = key_milestones(ds, miles)
    laws = M.of_categories(miles, ["law"])
    # ties are all named (one function for every chapter's "busiest year"): never one of two equal years
    key_peak_years, key_peak_n = F.peak_years(M.events(key))
    law_peak_years, _ = F.peak_years(M.events(laws))
    plans = F.plan_cards(ds)
    judged = [p for p in plans if p["card"].judged]
    prev, comp = comparison(ds)
    de_size = F.series(ds, "digital_economy_size")
    de_change = de_size.change if de_size else None
    return {
        "thread": thread_facts(ds),
        "coverage": cover or None,
        "coverage_total": sum(cover.values()),
        "coverage_most": tuple(d for d, n in cover.items() if n == most) or None,
        "coverage_most_n": most,
        "coverage_least": tuple(d for d, n in counts.items() if n == least) or None,
        "coverage_least_n": least,
        "panel_n": len(panel),
        "panel_domains": int(panel["domain"].nunique()) if not panel.empty else 0,
        "panel_multi": int((panel["n_years"] >= 2).sum()) if not panel.empty else 0,
        "panel_ids": tuple(panel["indicator_id"]),
        "panel_improving": P.improving(panel),
        "panel_start_min": starts[0] if starts else None,
        "panel_start_max": starts[1] if starts else None,
        "lead": tuple(s for s in (F.series(ds, i) for i in lead_indicators(ds, panel)) if s) or None,
        "de_size": de_size,
        # the compound rate the report prints over the same span, shown beside the book's
        "de_size_stated": F.stated_cagr(ds, de_change),
        "de_share": F.series(ds, "digital_economy_gdp_share"),
        "netizens": F.series(ds, "internet_users"),
        "penetration": F.series(ds, "internet_penetration"),
        "rural_pen": F.series(ds, "rural_internet_penetration"),
        "rural_gap": gap_last,
        "rural_gap_first": gap_first,
        "growth_fast": fast.series if fast else None,
        # the rule's verdict on it (small base, pilots left out) for the shared phrase fastest_note
        "growth_fastest": fast,
        "growth_slow": slow,
        "growth_n": n_growth,
        "gii": F.series(ds, "gii_rank"),
        "egov": F.series(ds, "un_egov_rank"),
        "fiveg": F.series(ds, "base_stations_5g"),
        "data_volume": F.series(ds, "data_production_volume"),
        "milestones_n": len(miles),
        "milestones_from": int(miles["year"].min()) if not miles.empty else None,
        "milestones_to": int(miles["year"].max()) if not miles.empty else None,
        "milestone_counts": M.category_counts(miles) or None,
        "key_n": len(key),
        "key_all": len(key) == len(miles),
        "key_from": int(key["year"].min()) if not key.empty else None,
        "key_to": int(key["year"].max()) if not key.empty else None,
        "key_year_only": bool((key["precision"] == "年").any()),
        "key_peak_years": key_peak_years or None,
        "key_peak_n": key_peak_n or None,
        "strategies": M.events(M.of_categories(miles, ["strategy"])) or None,
        "laws": M.events(laws) or None,
        "law_peak_years": law_peak_years or None,
        "evaluations": M.events(M.of_categories(miles[miles["domain"] == SLUG], ["evaluation"])) or None,
        "regional_evaluations": regional_evaluations(ds) or None,
        "frameworks_n": int(rg.editions(ds)["framework"].nunique()),
        "plans": plans or None,
        "verdicts_present": tuple(v for v in targets.VERDICTS if any(v in p["card"].counts for p in plans)),
        "targets_n": sum(p["card"].n for p in plans),
        "targets_judged": sum(len(p["card"].judged) for p in plans),
        "plan_lead": judged[-1] if judged else None,
        "behind": tuple(pace for p in plans for pace in p["card"].behind) or None,
        "update": changes.facts(ds, prev, comp),
    }


def tables(ds: Any) -> dict[str, pd.DataFrame | None]:
    """The headline panel and the largest changes since the previous edition (None for the first)."""
    _, comp = comparison(ds)
    panel = P.headline_panel(ds)
    return {
        "panel": exhibits.panel_table(panel) if not panel.empty else None,
        "changes": exhibits.changes_table(comp) if comp is not None else None,
    }


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    panel = P.headline_panel(ds)
    return {
        "trend": exhibits.chart(P.trend_frame(ds, panel), charts.small_multiples, columns=3),
        "growth": exhibits.chart(P.growth_frame(panel), charts.bar_ranking, by="item"),
        "timeline": exhibits.timeline(key_milestones(ds)),
        "plans": exhibits.chart(
            plan_status_frame(ds, plan_frames(ds)), charts.bar_ranking, by="item", descending=False
        ),
    }


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    panel = P.headline_panel(ds)
    return {
        "edition": str(ds.edition),
        "panel": "、".join(panel["indicator_id"]),
        "digital_economy_size": exhibits.value_text(ds, "digital_economy_size"),
        "milestones": str(len(M.milestone_frame(ds))),
        "scorecard": "；".join(
            f"{p}: " + ", ".join(f"{s}={n}" for s, n in targets.verdict_counts(c).items())
            for p, c in plan_frames(ds).items()
        ),
    }


__all__ = ["SLUG", "facts", "figures", "headline", "tables"]
