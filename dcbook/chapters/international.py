"""Facts and charts of chapter 10 国际合作 (slug ``international``).

The chapter's prose is the Markdown of ``book/10_international.ipynb``; this module only computes what it
talks about, for one edition. International cooperation is reported as partner counts, trade totals and
dated events: the module keeps the counts of countries apart from the money figures, reads cross-border
e-commerce from the digital-economy domain, and checks its printed growth rate against its two levels.
Functions take a ``dcbook.data.Dataset`` duck-typed, so the tests can use small hand-made datasets.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, render, schema, world
from dcbook import facts as F
from dcbook import milestones as M
from dcbook.chapters import domains_of, exhibits

SLUG = "international"
DOMAINS: tuple[str, ...] = domains_of(SLUG)
#: The two partner counts the reports repeat (unit 个): one line chart.
SILK_ROAD: tuple[str, ...] = ("digital_silk_road_mou_countries", "silk_road_ecommerce_partner_countries")
#: The "online Silk Road": cross-border cables and space-information services.
LINKS: tuple[str, ...] = (
    "belt_road_cross_border_land_cables", "belt_road_cross_border_cable_countries",
    "belt_road_space_info_countries", "belt_road_cable_capacity",
)  # fmt: skip
#: Digital trade beyond cross-border e-commerce (different statistics, RMB and USD).
TRADE: tuple[str, ...] = (
    "digitally_deliverable_services_trade", "cross_border_digital_trade", "ip_royalty_exports_jan_nov",
    "digital_service_export_bases",
)  # fmt: skip
#: Cross-border e-commerce (digital_economy domain, shared with chapter 05).
CBEC = "cross_border_ecommerce_trade"
CBEC_GROWTH = "cross_border_ecommerce_trade_growth"
#: How the catalogue names a count of countries (the partner bars and their "国家数" definition).
PARTNER_NAME_ENDINGS: tuple[str, ...] = ("国家数", "国家和地区数", "成员数")


def partner_ids(ds: Any) -> list[str]:
    """International indicators that count countries or regions (unit 个, name ends in 国家数/成员数 …)."""
    ind = ds.indicators
    return [
        i
        for i in F.domain_ids(ds, DOMAINS)
        if str(ind.at[i, "unit"]) == "个" and str(ind.at[i, "name_zh"]).endswith(PARTNER_NAME_ENDINGS)
    ]


def milestones(ds: Any) -> Any:
    """The edition's dated international events, oldest first."""
    frame = M.milestone_frame(ds)
    return frame[frame["domain"].isin(DOMAINS)].reset_index(drop=True)


def last_step(s: F.Series | None) -> F.Change | None:
    """The change between the last two figures of a series (the pace of the latest step)."""
    if s is None or s.n < 2:
        return None
    return F.change_of(s.values[-2], s.values[-1])


def cbec_check(ds: Any) -> tuple[F.Change | None, F.Value | None]:
    """The last one-year step of cross-border e-commerce and the growth rate the sources printed for its
    end year: growth computed from two levels can then be compared with the printed one."""
    step = last_step(F.series(ds, CBEC))
    growth = F.series(ds, CBEC_GROWTH)
    if step is None or step.years != 1 or growth is None:
        return None, None
    printed = growth.at(step.end)
    return (step, printed) if printed is not None else (None, None)


def same_gain(steps: tuple[F.Change, ...]) -> int | None:
    """The partners both series gained in their last step, when every step spans one year and the gain is
    the same whole number (one interval: the chart can say "各增加 1 个", never a yearly pace)."""
    if not steps or any(c.years != 1 for c in steps):
        return None
    gains = {c.last.value - c.first.value for c in steps}
    gain = gains.pop() if len(gains) == 1 else None
    return int(gain) if gain is not None and gain > 0 and float(gain).is_integer() else None


#: Statements the chapter reads by name: the documents' own admissions of a gap with other countries.
OPEN_DATA_RATIO = "open_datasets_ratio"
PENETRATION_GAP = "penetration_vs_developed"
ECOSYSTEM_GAP = "ecosystem_competitiveness"


def standing_frame(ds: Any) -> pd.DataFrame:
    """The ranks and world shares of the edition, one row per standing (family order), each labelled with
    what is placed, the year and the source: the data of the "where China stands" chart."""
    srcs = {s.id: s for s in F.sources(ds)}
    rows = []
    for s in world.valued(world.standings(ds)):
        assert s.figure is not None
        src = srcs.get(s.source)
        short = exhibits.short_source(s.source_title, src.kind if src else "")
        rows.append(
            {
                "label": f"{s.name}（{s.year} 年，{short}）",
                "name_zh": s.name,
                "measure": s.measure,
                "family_name": s.family_name,
                "year": s.year,
                "value": s.figure.value,
                "unit": s.figure.unit,
                "qualifier": s.figure.qualifier,
                "comparator": s.comparator,
                "source_id": s.source,
                "source_title": s.source_title,
                "edition_year": src.edition_year if src else None,
                "locator": int(s.locator),
                "quote": s.quote,
            }
        )
    return pd.DataFrame(rows)


def words_table(ds: Any, measures: tuple[str, ...]) -> pd.DataFrame | None:
    """The standings of ``measures`` (those without a comparable axis: ratios, list entries, comparisons,
    superlatives) as a table of what is placed, how, against whom, and the source's words."""
    kept = [s for s in world.standings(ds) if s.measure in measures]
    if not kept:
        return None
    measure_names = {
        "ratio": "倍数",
        "placing": "入选榜单",
        "comparison": "比较",
        "superlative": "最大/第一/领先",
    }
    return pd.DataFrame(
        {
            "表述": [s.name for s in kept],
            "类型": [measure_names.get(s.measure, s.measure) for s in kept],
            "对照": [s.comparator for s in kept],
            "年份": [s.year for s in kept],
            "原文": [s.quote for s in kept],
            "来源": [f"《{s.source_title}》第 {s.locator} 行" for s in kept],
        }
    )


def _moved(s: F.Standing) -> bool:
    """The standing's figure differs from its earliest one (a rank that moved, not one that held)."""
    return s.earlier is not None and s.figure is not None and s.earlier.value != s.figure.value


def _value(s: F.Standing) -> float:
    return s.figure.value if s.figure is not None else float("nan")


def stands(ds: Any) -> dict[str, Any]:
    """The facts of the "where China stands" section: every standing, grouped; the editor's pick; the
    movements between two years; the gaps the documents admit; the counts of statements and documents."""
    items = world.standings(ds)
    rows = world.statements(ds)
    numbered = world.valued(items)
    by_family: dict[str, tuple[F.Standing, ...]] = {}
    for s in numbered:
        by_family.setdefault(s.family_name, ())
        by_family[s.family_name] += (s,)
    named = {s.indicator: s for s in items}
    volume = tuple(s for s in numbered if s.family == "rank_volume")
    index = tuple(sorted((s for s in numbered if s.family == "rank_index"), key=_value))
    shares = tuple(sorted((s for s in numbered if s.family == "share_volume"), key=_value))
    measures = {m: tuple(s for s in items if s.measure == m) for m in schema.INTL_MEASURES}
    return {
        "stands": items or None,
        "stands_numbered": numbered or None,
        "stands_by_family": by_family or None,
        "stands_ranks": measures["rank"] or None,
        "stands_shares": measures["share"] or None,
        "stands_ratios": measures["ratio"] or None,
        "stands_placings": measures["placing"] or None,
        "stands_words": (measures["comparison"] + measures["superlative"]) or None,
        "stands_superlatives": measures["superlative"] or None,
        "stands_moves": tuple(s for s in numbered if s.earlier is not None and _moved(s)) or None,
        "stands_held": tuple(s for s in numbered if s.earlier is not None and not _moved(s)) or None,
        "stands_lead": world.headline(numbered),
        "stands_repeated": sum(s.n_sources > 1 for s in items),
        "stands_n_rows": len(rows),
        "stands_n_documents": int(rows["source_id"].nunique()) if not rows.empty else 0,
        "stands_bounded": tuple(s for s in numbered if s.figure and s.figure.qualifier != "exact") or None,
        "volume_ranks": volume or None,
        "volume_top2": sum(_value(s) <= 2 for s in volume),
        "index_ranks": index or None,
        "index_best": index[0] if index else None,
        "index_worst": index[-1] if len(index) >= 2 else None,
        "share_max": shares[-1] if len(shares) >= 2 else None,
        "share_min": shares[0] if len(shares) >= 2 else None,
        "stands_unscoped": sum(not s.scope for s in numbered),
        "open_data": named.get(OPEN_DATA_RATIO),
        "penetration_gap": named.get(PENETRATION_GAP),
        "ecosystem_gap": named.get(ECOSYSTEM_GAP),
    }


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    own = next((s for s in F.sources(ds) if s.kind == "yearly_report" and s.edition_year == ds.edition), None)
    mou, ecom = (F.series(ds, i) for i in SILK_ROAD)
    steps = tuple(c for c in (last_step(mou), last_step(ecom)) if c is not None)
    partners = tuple(sorted(F.values(ds, partner_ids(ds)), key=lambda v: -v.value))
    cbec = F.series(ds, CBEC)
    step, printed = cbec_check(ds)
    trade = F.values(ds, TRADE)
    events = M.events(milestones(ds))
    last_year = F.event_year(events[-1]) if events else None
    peak_years, peak_n = F.peak_years(events)
    ids = F.domain_ids(ds, DOMAINS)
    # national figures only, as the overview counts a domain (a world total alone does not count)
    n_indicators, n_series = F.with_data(ds, ids), F.multi_year(ds, ids)
    return {
        "n_indicators": n_indicators,
        "n_series": n_series,
        "own_report_count": F.source_count(ds, own.id, DOMAINS) if own is not None else None,
        "mou": mou,
        "ecom": ecom,
        "agreed": F.value(ds, "silk_road_ecommerce_agreed_countries"),
        "steps": steps or None,
        "slow_steps": bool(steps) and max(abs(c.per_year) for c in steps) <= 2,
        "multi_year_step": any(c.years > 1 for c in steps),
        "same_gain": same_gain(steps),
        "links": F.values(ds, LINKS) or None,
        "cables": F.value(ds, "belt_road_cross_border_land_cables"),
        "cable_countries": F.value(ds, "belt_road_cross_border_cable_countries"),
        "partners": partners or None,
        "fta_talks": F.value(ds, "fta_ecommerce_negotiations"),
        "cbec": cbec,
        "cbec_pilot": F.value(ds, "cbec_pilot_zones_trade") if cbec is None else None,
        "cbec_growth": F.value(ds, CBEC_GROWTH),
        "cbec_step": step,
        "cbec_printed": printed,
        "trade": trade or None,
        "trade_in_usd": any("美元" in v.unit for v in trade),
        "deliverable": F.series(ds, "digitally_deliverable_services_trade"),
        "retail_years": F.value(ds, "online_retail_largest_market_years"),
        "events": events or None,
        "events_last_year": last_year,
        "events_in_last_year": sum(F.event_year(e) == last_year for e in events),
        "events_peak_years": peak_years or None,
        "events_peak_n": peak_n,
        "events_year_only": bool((milestones(ds)["precision"] == "年").any()),
        "plans": tuple(c["name"] for c in F.plan_cards(ds)) or None,
        "card": F.card(ds, DOMAINS) or None,
        **stands(ds),
        **world.world(ds, DOMAINS),
    }


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    frame = standing_frame(ds)
    return {
        "standing": render.figure(charts.standing_panels(frame)) if len(frame) >= 2 else None,
        "silk_road": exhibits.trend_chart(exhibits.chart_frame(ds, SILK_ROAD)),
        "cbec": exhibits.trend_chart(exhibits.series_frame(ds, CBEC)),
        "partners": exhibits.bars(exhibits.label_frame(ds, partner_ids(ds), unit="个")),
        "timeline": exhibits.timeline(milestones(ds)),
    }


def tables(ds: Any) -> dict[str, pd.DataFrame | None]:
    """The chapter's tables (None where the edition has no rows for one)."""
    return {
        "stands_compare": words_table(ds, ("ratio", "placing", "comparison")),
        "stands_superlative": words_table(ds, ("superlative",)),
    }


def headline(ds: Any) -> dict[str, str]:
    """Key figures printed by the notebook's NBVAL_CHECK_OUTPUT cell (stable text)."""
    values = exhibits.headline_values(ds, (*SILK_ROAD, CBEC, "digitally_deliverable_services_trade"))
    lead = world.headline(world.valued(world.standings(ds)))
    return {
        "edition": values.pop("edition"),
        "events": str(len(milestones(ds))),
        "world_statements": str(len(world.statements(ds))),
        "world_lead": ""
        if lead is None or lead.figure is None
        else f"{lead.indicator} {lead.year} {lead.figure.value:g}",
        **values,
    }


__all__ = ["SLUG", "facts", "figures", "headline", "partner_ids", "standing_frame", "tables"]
