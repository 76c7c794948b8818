"""Facts and charts of chapter 07 数字社会与民生 (slug ``society``).

The chapter's prose is the Markdown of ``book/07_society.ipynb``; this module only computes what it talks
about, for one edition: netizens and the people still offline, the national–rural gap, literacy and
satisfaction, public services (education, social security, health, transport), elderly netizens, the
digital village, the fastest-growing services and the plan targets of the domain. Functions take a
``dcbook.data.Dataset`` duck-typed (``latest``, ``series``, ``indicators``, ``sources``, ``targets``,
``edition``), so the tests can use small hand-made datasets.

Three figures are the book's own, computed here and marked as such on the page: the number of people still
offline (netizens / penetration − netizens), the gap in percentage points between the national and the
rural internet penetration rate (the documents give no urban rate), and the share of elderly netizens who
cannot yet do a task unaided.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from dcbook import charts, fmt, render, world
from dcbook import facts as F
from dcbook.chapters import domains_of, exhibits

SLUG = "society"
DOMAINS: tuple[str, ...] = domains_of(SLUG)
#: National and rural internet penetration (%): the only urban–rural comparison the data allow.
PENETRATION: tuple[str, ...] = ("internet_penetration", "rural_internet_penetration")
#: Coverage of public services by digital means (all in %), drawn as one line chart.
SERVICES: tuple[str, ...] = (
    "school_internet_access_rate",
    "social_security_card_penetration",
    "multimedia_classroom_share",
    "medical_insurance_platform_city_coverage",
)
#: Digital health, newest kind of figure first; the older kind is shown only where none of these is known.
HEALTH: tuple[str, ...] = (
    "internet_hospitals",
    "telemedicine_county_coverage",
    "medical_insurance_e_voucher_users",
)
HEALTH_EARLY: tuple[str, ...] = ("telemedicine_institutions", "resident_health_cards")
#: Core stock indicators of people's digital services, compared for growth in the 本章要点 box (flows
#: such as yearly vouchers or pandemic one-offs would otherwise dominate the ranking). Netizens are left out:
#: the first finding already reports them.
CORE: tuple[str, ...] = (
    "rural_internet_users",
    "online_education_users",
    "social_security_card_holders",
    "e_social_security_card_holders",
    "medical_insurance_e_voucher_users",
    "transport_card_interconnected_cities",
    "yinong_info_stations",
    "mooc_courses",
    "education_resource_platforms",
    "internet_hospitals",
)
#: What elderly netizens can do online unaided (%, the 2021 report's survey).
ELDERLY: tuple[str, ...] = (
    "elderly_netizens_health_code_share",
    "elderly_netizens_online_shopping_share",
    "elderly_netizens_info_search_share",
)


def offline(ds: Any) -> tuple[F.Value | None, F.Value | None]:
    """People not yet online, and their share of the population, from netizens and penetration of one year.

    netizens / penetration is the population the rate refers to; the difference is the offline population.
    Both inputs are rounded in print, so an exact rate gives an approximation ("约"); a lower-bound rate
    (超过 70%) makes both an upper bound ("不到"), and the reverse.
    """
    users, pen = F.series(ds, "internet_users"), F.series(ds, "internet_penetration")
    if users is None or pen is None:
        return None, None
    year = F.last_shared_year(users, pen)
    if year is None:
        return None, None
    u, p = users.at(year), pen.at(year)
    assert u is not None and p is not None
    if not 0 < p.value <= 100:
        raise ValueError(f"internet_penetration {year}: value {p.value} is not a percentage in (0, 100]")
    qual = {F.LOWER: F.UPPER, F.UPPER: F.LOWER}.get(p.qualifier, F.APPROX)
    count = F.Value(
        indicator="offline_population",
        name="尚未上网的人数",
        value=round(u.value * (100 / p.value - 1), 2),
        unit=u.unit,
        qualifier=qual,
        year=year,
        computed=True,
    )
    share = F.complement(p, "offline_share", "尚未上网人口的比例")
    return count, dataclasses.replace(share, qualifier=qual)


def gap_series(ds: Any) -> F.Series | None:
    """National minus rural internet penetration, in points, for every year both rates are known: computed
    values with the bound their qualifiers allow (a lower-bound national rate makes a lower-bound gap)."""
    nat, rur = F.series(ds, "internet_penetration"), F.series(ds, "rural_internet_penetration")
    if nat is None or rur is None:
        return None
    years = sorted({v.year for v in nat.values} & {v.year for v in rur.values})
    if not years:
        return None
    vals = []
    for y in years:
        n, r = nat.at(y), rur.at(y)
        assert n is not None and r is not None
        vals.append(F.difference("national_rural_gap", "全国与农村互联网普及率之差", n, r, unit="个百分点"))
    change = F.change_of(vals[0], vals[-1]) if len(vals) >= 2 else None
    return F.Series("national_rural_gap", vals[0].name, "个百分点", tuple(vals), change)


def gap_step(gap: F.Series | None) -> F.Change | None:
    """The last step of the gap (previous → latest year), where the gap has three or more years: the
    template says whether it went against the overall movement."""
    if gap is None or gap.n < 3:
        return None
    return F.change_of(gap.values[-2], gap.values[-1])


def step_uncertain(step: F.Change | None) -> bool | None:
    """True when the last step of the gap moves against its bound (a rise from a lower-bound start, a fall
    from an upper-bound one): its direction is then unknown."""
    if step is None:
        return None
    against = (step.up and step.delta_bound == F.UPPER) or (step.down and step.delta_bound == F.LOWER)
    return True if against else None


def literacy(ds: Any) -> tuple[F.Value | None, F.Ratio | None]:
    """Urban minus rural digital-literacy score (分) and rural as a share of urban, where both are known."""
    urban, rural = F.value(ds, "digital_literacy_score_urban"), F.value(ds, "digital_literacy_score_rural")
    if urban is None or rural is None:
        return None, None
    diff = F.difference("digital_literacy_gap", "城乡数字素养得分之差", urban, rural)
    return diff, F.ratio(rural, urban)


def elderly(ds: Any) -> tuple[F.Value | None, F.Value | None, F.Value | None]:
    """The easiest and the hardest online task for elderly netizens, and the share who cannot do the latter
    unaided (the complement, its bound flipped); the hardest only where two or more tasks are known."""
    found = sorted(F.values(ds, ELDERLY), key=lambda v: -v.value)
    if not found:
        return None, None, None
    if len(found) < 2:
        return found[0], None, None
    low = found[-1]
    return found[0], low, F.complement(low, "elderly_cannot_share", "还不能独立完成的老年网民比例")


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    card = F.card(ds, DOMAINS)
    users = F.series(ds, "internet_users")
    offline_n, offline_share = offline(ds)
    gap = gap_series(ds)
    lit_gap, lit_ratio = literacy(ds)
    sat_urban = F.value(ds, "survey_urban_infra_satisfaction")
    sat_rural = F.value(ds, "survey_rural_infra_satisfaction")
    top, low, unable = elderly(ds)
    step = gap_step(gap)
    services = F.values(ds, SERVICES)
    multi = [s for s in (F.series(ds, i) for i in SERVICES) if s is not None and s.change is not None]
    classrooms = F.series(ds, "multimedia_classroom_share")
    health = F.values(ds, HEALTH) or F.values(ds, HEALTH_EARLY)
    insurance = F.value(ds, "medical_insurance_platform_city_coverage")
    n_health = len(health) + (1 if insurance else 0)
    return {
        **world.world(ds, DOMAINS),
        "n_indicators": F.domain_count(ds, DOMAINS),
        "users": users,
        "users_sources": len({v.source for v in users.values}) if users else None,
        "pen": F.series(ds, "internet_penetration"),
        "users_pace13": F.pace(card, "internet_users", "fyp13"),
        "users_pace14": F.pace(card, "internet_users", "fyp14"),
        "offline": offline_n,
        "offline_share": offline_share,
        "rural_pen": F.series(ds, "rural_internet_penetration"),
        "rural_users": F.series(ds, "rural_internet_users"),
        "rural_users_share": F.value(ds, "rural_internet_users_share"),
        "gap": gap,
        "gap_step": step,
        "gap_step_uncertain": step_uncertain(step),
        "gap_reported": F.value(ds, "urban_rural_internet_gap_narrowed"),
        "literacy_urban": F.value(ds, "digital_literacy_score_urban"),
        "literacy_rural": F.value(ds, "digital_literacy_score_rural"),
        "literacy_gap": lit_gap,
        "literacy_ratio": lit_ratio,
        "satisfaction_urban": sat_urban,
        "satisfaction_rural": sat_rural,
        "satisfaction_gap": F.gap(sat_rural, sat_urban),
        "services": services or None,
        "services_multi": tuple(s.name for s in multi) or None,
        "services_top": max((v.value for v in services), default=None),
        "school": F.series(ds, "school_internet_access_rate"),
        "classrooms": classrooms,
        # the two ends come from different reports, worded differently (classrooms or schools)
        "classrooms_mixed": (
            True
            if classrooms
            and classrooms.change
            and classrooms.change.first.source != classrooms.change.last.source
            else None
        ),
        "ss_card": F.series(ds, "social_security_card_penetration"),
        "ss_card_pace13": F.pace(card, "social_security_card_penetration", "fyp13"),
        "e_card": F.value(ds, "e_social_security_card_holders"),
        "e_card_pace14": F.pace(card, "e_social_security_card_rate", "fyp14"),
        "health": health or None,
        "n_health": n_health or None,
        "telemedicine": True if any(v.indicator.startswith("telemedicine") for v in health) else None,
        "insurance_platform": insurance,
        "transport": F.series(ds, "transport_card_interconnected_cities"),
        "etc": F.value(ds, "etc_users"),
        "elderly_share": F.value(ds, "internet_users_60plus_share"),
        "elderly_top": top,
        "elderly_low": low,
        "elderly_unable": unable,
        "aging_friendly": F.value(ds, "sites_apps_aging_friendly"),
        "village_pilots": F.value(ds, "digital_village_pilot_counties"),
        "yinong": F.series(ds, "yinong_info_stations"),
        "farmers_trained": F.series(ds, "farmers_mobile_skills_trained"),
        "fastest_core": F.fastest(ds, CORE),
        "card": card or None,
    }


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    gap = gap_series(ds)
    head = exhibits.headline_values(
        ds, ("internet_users", "internet_penetration", "rural_internet_penetration")
    )
    head["national_rural_gap_pp"] = (
        exhibits.NO_VALUE if gap is None else f"{fmt.fmt_plain(gap.latest.value, 1)}（{gap.latest.year}）"
    )
    head["social_security_card_penetration"] = exhibits.value_text(ds, "social_security_card_penetration")
    return head


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's charts (None where the edition lacks the data); titles come from the template."""
    return {
        "users": exhibits.trend_chart(exhibits.chart_frame(ds, ("internet_users",))),
        "penetration": exhibits.trend_chart(exhibits.chart_frame(ds, PENETRATION)),
        "services": exhibits.trend_chart(exhibits.chart_frame(ds, SERVICES)),
        "elderly": exhibits.chart(exhibits.item_frame(ds, ELDERLY), charts.bar_ranking, by="item"),
        "plan": exhibits.plan_chart(ds, DOMAINS),
    }


__all__ = ["SLUG", "facts", "figures", "headline"]
