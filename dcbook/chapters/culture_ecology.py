"""Facts and charts of chapter 08 数字文化与数字生态文明 (slug ``culture_ecology``).

The chapter's prose is the Markdown of ``book/08_culture_ecology.ipynb``; this module only computes what
it talks about, for one edition. The domain has thin, uneven data: most indicators appear in one report
only, and the reports change what they count from one year to the next. So besides the figures (channels,
audiences, the digital-culture market, green power, environmental data bases) the module measures the
*coverage* itself — how many figures each source gives, split into culture and ecology — so the page can
say plainly what an edition has and what it lacks. Functions take a ``dcbook.data.Dataset`` duck-typed, so
the tests can use small hand-made datasets.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from dcbook import charts, render, targets, world
from dcbook import facts as F
from dcbook.chapters import domains_of, exhibits

SLUG = "culture_ecology"
DOMAINS: tuple[str, ...] = domains_of(SLUG)
#: Ecology indicators of the culture_ecology domain (the rest is culture); new ids fall back to keywords.
ECOLOGY: frozenset[str] = frozenset(
    {
        "env_monitoring_centers", "radiation_monitoring_stations", "pollution_monitored_enterprises",
        "pollution_monitoring_points", "uhv_line_length", "uhv_annual_transmission",
        "smart_energy_pilot_projects", "eco_env_regulation_pilot_regions", "natural_resources_data_layers",
        "natural_resources_data_elements", "meteorological_data_added", "water_objects_updated",
        "river_lake_data_river_sections", "forestry_informatization_rate", "green_power_trading_provinces",
        "green_power_trading_participants", "green_power_traded", "rooftop_pv_pilot_counties",
        "ride_hailing_orders", "domestic_satellite_data_self_sufficiency",
    }
)  # fmt: skip
#: Words of an indicator name that put an uncatalogued id into the ecology group.
ECOLOGY_WORDS: tuple[str, ...] = (
    "生态",
    "环境",
    "能源",
    "绿电",
    "光伏",
    "碳",
    "水利",
    "林草",
    "气象",
    "自然资源",
)
#: The two groups' labels (chart rows, coverage counts).
CULTURE, ECO = "数字文化", "数字生态"
#: Broadcasting channels (unit 个): one line chart.
CHANNELS: tuple[str, ...] = ("hd_tv_channels", "uhd_4k_channels", "uhd_8k_channels")
#: Audience and user counts that several reports repeat: small multiples where two years exist.
AUDIENCE_TRENDS: tuple[str, ...] = (
    "cable_tv_users", "digital_cable_tv_users", "dbs_satellite_users", "cable_hd_users",
    "public_culture_cloud_visits",
)  # fmt: skip
#: Audience sizes in 亿 (one bar chart of the latest values).
AUDIENCES: tuple[str, ...] = ("online_video_users", "digital_reading_users", "cable_hd_users")
#: Digitised public-culture resources (what the early report counted).
RESOURCES: tuple[str, ...] = (
    "national_digital_library_preserved",
    "culture_sharing_project_resources",
    "rural_digital_cinema_chains",
    "cctv_app_downloads",
)
#: Cultural relics registered in the census (the base of museum digitisation).
RELICS: tuple[str, ...] = ("immovable_relics_registered", "movable_relics_registered")
#: Environmental monitoring and natural-resource data bases (the departments' "一张图").
MONITORING: tuple[str, ...] = (
    "env_monitoring_centers", "pollution_monitored_enterprises", "natural_resources_data_layers",
    "forestry_informatization_rate", "water_map_reservoirs", "water_map_hydrological_stations",
    "domestic_satellite_data_self_sufficiency",
)  # fmt: skip


def is_ecology(ds: Any, indicator_id: str) -> bool:
    """Whether an indicator of the domain belongs to 数字生态 (the listed ids, else by its name's words)."""
    if indicator_id in ECOLOGY:
        return True
    return any(w in F.name_of(ds, indicator_id) for w in ECOLOGY_WORDS)


def groups(ds: Any) -> dict[str, list[str]]:
    """The domain's ids split into :data:`CULTURE` and :data:`ECO`, each id once."""
    ids = F.domain_ids(ds, DOMAINS)
    eco = [i for i in ids if is_ecology(ds, i)]
    return {CULTURE: [i for i in ids if i not in eco], ECO: eco}


def uhd_share(ds: Any) -> F.Ratio | None:
    """Ultra-HD (4K + 8K) channels over HD channels in the latest year both HD and 4K counts are known."""
    pair = F.latest_pair(F.series(ds, "hd_tv_channels"), F.series(ds, "uhd_4k_channels"))
    if pair is None:
        return None
    h, four = pair
    year = h.year
    eight = F.series(ds, "uhd_8k_channels")
    e = eight.at(year) if eight is not None else None
    total = four.value + (e.value if e is not None else 0)
    qual = F.ratio_bound(four.qualifier, e.qualifier) if e is not None else four.qualifier
    both = F.Value(
        "uhd_channels", "4K 与 8K 超高清频道" if e is not None else "4K 超高清频道", total, four.unit, qual,
        year, computed=True,
    )  # fmt: skip
    return F.ratio(both, h)


def implied_growth(ds: Any) -> tuple[F.Value | None, F.Ratio | None]:
    """Two-year average growth of all culture firms implied by the report's wording (digital culture's
    two-year average minus its lead over all firms), and digital culture's rate as a multiple of it."""
    g2 = F.value(ds, "digital_culture_revenue_growth_2y_avg")
    lead = F.value(ds, "digital_culture_growth_gap_vs_culture")
    if g2 is None or lead is None:
        return None, None
    rest = F.difference("culture_firms_growth_2y_avg", "文化企业两年平均增速", g2, lead, unit="%")
    rest = dataclasses.replace(rest, qualifier=F.APPROX)  # derived from rounded rates: "约"
    return rest, (F.ratio(g2, rest) if rest.value > 0 else None)


def same_year_ratio(num: F.Value | None, den: F.Value | None) -> F.Ratio | None:
    """``num / den`` only when both are of the same year and unit (a comparison of like with like)."""
    if num is None or den is None or num.year != den.year or num.unit != den.unit:
        return None
    return F.ratio(num, den)


def target_plans(ds: Any) -> tuple[str, ...] | None:
    """Short names of the plans whose target tables the edition can see (None without any)."""
    t = ds.targets
    if t is None or t.empty:
        return None
    plans = sorted(set(t["plan"].astype(str)))
    return tuple(targets.PLAN_SHORT.get(p, p) for p in plans) or None


def has_target(ds: Any, indicator_id: str) -> bool:
    """Whether a plan the edition can see sets a target for ``indicator_id`` (an example the prose may name)."""
    t = ds.targets
    return t is not None and not t.empty and bool((t["indicator_id"].astype(str) == indicator_id).any())


def source_coverage(ds: Any) -> tuple[F.Coverage, ...]:
    """:func:`dcbook.facts.coverage` of the two groups, without the sources that give none of them (a bar of
    0 项 says only that a plan gives no figures, which the prose says once)."""
    return tuple(c for c in F.coverage(ds, groups(ds)) if c.total)


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    split = groups(ds)
    ids = F.domain_ids(ds, DOMAINS)
    card = F.card(ds, DOMAINS)
    rest, multiple = implied_growth(ds)
    return {
        **world.world(ds, DOMAINS),
        "n_indicators": F.with_data(ds, ids),
        "n_series": F.multi_year(ds, ids),
        "n_culture": F.with_data(ds, split[CULTURE]),
        "n_ecology": F.with_data(ds, split[ECO]),
        "n_ecology_series": F.multi_year(ds, split[ECO]),
        "coverage": F.coverage(ds, split),
        "events": F.events(ds, DOMAINS) or None,
        "hd": F.series(ds, "hd_tv_channels"),
        "uhd_4k": F.value(ds, "uhd_4k_channels"),
        "uhd_8k": F.value(ds, "uhd_8k_channels"),
        "uhd_share": uhd_share(ds),
        "cable": F.series(ds, "cable_tv_users"),
        "digital_cable": F.series(ds, "digital_cable_tv_users"),
        "cloud_visits": F.series(ds, "public_culture_cloud_visits"),
        "n_audience_trends": F.multi_year(ds, AUDIENCE_TRENDS),
        "resources": F.values(ds, RESOURCES) or None,
        "relics": F.values(ds, RELICS) or None,
        "revenue": F.value(ds, "digital_culture_revenue"),
        "revenue_growth": F.value(ds, "digital_culture_revenue_growth"),
        "revenue_growth_2y": F.value(ds, "digital_culture_revenue_growth_2y_avg"),
        "revenue_lead": F.value(ds, "digital_culture_growth_gap_vs_culture"),
        "culture_firms_growth": rest,
        "revenue_multiple": multiple,
        "video": F.value(ds, "online_video_users"),
        "video_share": F.value(ds, "online_video_user_share"),
        "video_increase": F.value(ds, "online_video_users_increase"),
        "reading": F.value(ds, "digital_reading_users"),
        "reading_vs_video": same_year_ratio(
            F.value(ds, "digital_reading_users"), F.value(ds, "online_video_users")
        ),
        "green_traded": F.value(ds, "green_power_traded"),
        "green_provinces": F.value(ds, "green_power_trading_provinces"),
        "green_participants": F.value(ds, "green_power_trading_participants"),
        "rooftop_pv": F.value(ds, "rooftop_pv_pilot_counties"),
        "uhv_length": F.value(ds, "uhv_line_length"),
        "uhv_transmission": F.value(ds, "uhv_annual_transmission"),
        "green_vs_uhv": same_year_ratio(
            F.value(ds, "green_power_traded"), F.value(ds, "uhv_annual_transmission")
        ),
        "monitoring": F.values(ds, MONITORING) or None,
        "target_plans": target_plans(ds),
        "core_share_target": has_target(ds, "digital_core_industry_gdp_share") or None,
        "pue": F.value(ds, "green_data_center_pue"),
        "card": card or None,
    }


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    given = source_coverage(ds)
    # one source: its two bars are the two counts the text already gives
    cov = exhibits.coverage_frame(given) if len(given) >= 2 else None
    return {
        "coverage": exhibits.chart(cov, charts.bar_ranking, by="label") if cov is not None else None,
        "channels": exhibits.trend_chart(exhibits.chart_frame(ds, CHANNELS)),
        "audience_trends": exhibits.chart(
            exhibits.multi_year_frame(ds, AUDIENCE_TRENDS), charts.small_multiples, min_years=2
        ),
        "audiences": exhibits.bars(exhibits.label_frame(ds, AUDIENCES, unit="亿")),
    }


def headline(ds: Any) -> dict[str, str]:
    """Key figures printed by the notebook's NBVAL_CHECK_OUTPUT cell."""
    head = {
        "edition": str(ds.edition),
        "indicators_with_data": str(F.with_data(ds, F.domain_ids(ds, DOMAINS))),
    }
    ids = ("hd_tv_channels", "digital_culture_revenue", "online_video_users", "green_power_traded")
    return head | {i: exhibits.value_text(ds, i) for i in ids}


__all__ = ["SLUG", "facts", "figures", "headline"]
