"""Computations behind chapter 07 数字社会与民生 (slug ``society``).

The notebook glues what :func:`texts` returns and shows what :func:`figures` builds, so every number and
every comparison in the chapter's prose is computed from the edition's dataset and stays true when a new
report is added. Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``, ``series``,
``indicators``, ``sources``, ``targets``, ``edition``), so the tests can use small hand-made datasets.

Two derived figures are the chapter's own, and are labelled as estimates where they are shown:
the number of people still offline (netizens / penetration − netizens) and the gap in percentage points
between the national and the rural internet penetration rate (the documents give no urban rate).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, fmt
from dcbook.chapters import common

SLUG = "society"
DOMAINS: tuple[str, ...] = ("digital_society",)
#: National and rural internet penetration (%): the only urban–rural comparison the data allow.
PENETRATION: tuple[str, ...] = ("internet_penetration", "rural_internet_penetration")
#: Coverage of public services by digital means (all in %), drawn as one line chart.
SERVICES: tuple[str, ...] = (
    "school_internet_access_rate",
    "social_security_card_penetration",
    "multimedia_classroom_share",
    "medical_insurance_platform_city_coverage",
)
#: Core stock indicators of people's digital services, compared for growth in the 本章要点 box (flows
#: such as yearly vouchers or pandemic one-offs would otherwise dominate the ranking).
#: Netizens are left out: the first finding already reports them.
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
#: What elderly netizens can do online unaided (%, 2021 survey of CNNIC).
ELDERLY: tuple[str, ...] = (
    "elderly_netizens_health_code_share",
    "elderly_netizens_online_shopping_share",
    "elderly_netizens_info_search_share",
)


def offline_sentence(ds: Any) -> str:
    """People not yet online, estimated from netizens and penetration of the same year.

    netizens / penetration gives the population the rate refers to; the difference is the offline
    population. Both inputs are rounded in print, so the result is an approximation ("约").
    """
    users, pen = common.series_of(ds, "internet_users"), common.series_of(ds, "internet_penetration")
    if users.empty or pen.empty:
        return "本版资料没有同一年份的网民规模和互联网普及率，无法估算尚未上网的人数"
    y = common.last_shared_year(users, pen)
    if y is None:
        return "本版资料中网民规模与互联网普及率不在同一年份，无法估算尚未上网的人数"
    u = users[users["year"].astype(int) == y].iloc[0]
    p = pen[pen["year"].astype(int) == y].iloc[0]
    rate = float(p["value"])
    if not 0 < rate <= 100:
        raise ValueError(f"internet_penetration {y}: value {rate} is not a percentage in (0, 100]")
    offline = float(u["value"]) * (100 / rate - 1)
    share = fmt.fmt_plain(100 - rate, 1 if (100 - rate) % 1 else 0) + "%"
    # A lower-bound rate (超过 70%) makes the offline count an upper bound, and the reverse.
    word = {"lower_bound": "不到", "upper_bound": "超过"}.get(common.qual(p), "约")
    return (
        f"按 {y} 年的网民规模和普及率推算，仍有{word} {fmt.fmt_plain(offline, 2)} {common.unit_of(u)}"
        f"没有上网（占总人口的比例{word} {share}）"
    )


def gap_frame(ds: Any) -> pd.DataFrame:
    """National minus rural internet penetration, in percentage points, for every year both are known."""
    nat, rur = (
        common.series_of(ds, "internet_penetration"),
        common.series_of(ds, "rural_internet_penetration"),
    )
    if nat.empty or rur.empty:
        return pd.DataFrame(columns=["year", "national", "rural", "gap", "approx"])
    n = nat.set_index(nat["year"].astype(int))
    r = rur.set_index(rur["year"].astype(int))
    years = sorted(set(n.index) & set(r.index))
    rows = [
        {
            "year": y,
            "national": float(n.at[y, "value"]),
            "rural": float(r.at[y, "value"]),
            "gap": float(n.at[y, "value"]) - float(r.at[y, "value"]),
            "approx": common.qual(n.loc[y]) != "exact" or common.qual(r.loc[y]) != "exact",
        }
        for y in years
    ]
    return pd.DataFrame(rows, columns=["year", "national", "rural", "gap", "approx"])


def gap_sentence(ds: Any) -> str:
    """How the national–rural penetration gap moved: first and latest year, and the last step.

    A gap computed from a qualified rate (超过 70%) is marked "约", and so is any change that uses it.
    """
    g = gap_frame(ds)
    if g.empty:
        return "本版资料没有同一年份的全国和农村互联网普及率，无法计算城乡差距"

    def about(*rows: pd.Series) -> str:
        return "约" if any(bool(r["approx"]) for r in rows) else ""

    last = g.iloc[-1]
    if len(g) == 1:
        return (
            f"{int(last['year'])} 年全国互联网普及率比农村高{about(last)} {common.pp_text(last['gap'])}"
            "（本版资料只有这一年可以对比）"
        )
    first = g.iloc[0]
    move = last["gap"] - first["gap"]
    verb = "缩小" if move < 0 else "扩大" if move > 0 else "持平"
    text = (
        f"全国与农村互联网普及率之差由 {int(first['year'])} 年的{about(first)} {common.pp_text(first['gap'])}"
        f"变为 {int(last['year'])} 年的{about(last)} {common.pp_text(last['gap'])}，{verb}"
        + (f"{about(first, last)} {common.pp_text(move)}" if move else "")
    )
    if len(g) >= 3:
        prev = g.iloc[-2]
        step = last["gap"] - prev["gap"]
        if step != 0 and (step > 0) != (move > 0):
            word = "扩大" if step > 0 else "缩小"
            text += (
                f"；但最近一段（{int(prev['year'])}–{int(last['year'])} 年）差距反而{word}了"
                f"{about(prev, last)} {common.pp_text(step)}"
            )
            if about(prev, last):
                text += "（其中用到“超过”“约”等非精确的普及率，这一变化只是近似）"
    return text


def literacy_sentence(ds: Any) -> str:
    """Urban and rural digital-literacy scores and their gap, where a source gives them."""
    urban, rural = ds.latest("digital_literacy_score_urban"), ds.latest("digital_literacy_score_rural")
    if urban is None or rural is None:
        return "本版资料没有城乡居民数字素养得分"
    gap = float(urban["value"]) - float(rural["value"])
    ratio = float(rural["value"]) / float(urban["value"])
    return (
        common.join_words(
            f"{int(urban['year'])} 年城市居民数字素养平均得分",
            fmt.fmt_number(float(urban["value"]), common.unit_of(urban)),
        )
        + common.join_words("，农村居民", fmt.fmt_number(float(rural["value"]), common.unit_of(rural)))
        + f"，相差 {fmt.fmt_plain(gap, 1)} 分，农村只及城市的 {fmt.fmt_pct(ratio, 0)}"
    )


#: A difference in two survey shares below this many percentage points is read as "little difference":
#: online self-selected surveys carry more uncertainty than their one-decimal precision suggests.
SMALL_GAP_PP = 3.0


def satisfaction_sentence(ds: Any) -> str:
    """Urban versus rural satisfaction with local network infrastructure (report survey), with a verdict."""
    urban = ds.latest("survey_urban_infra_satisfaction")
    rural = ds.latest("survey_rural_infra_satisfaction")
    if urban is None or rural is None:
        return "本版资料没有城乡网民对网络基础设施满意度的调查数据"
    gap = float(urban["value"]) - float(rural["value"])
    if abs(gap) < SMALL_GAP_PP:
        verdict = "城乡之间几乎没有差别"
    else:
        verdict = "城市网民明显更满意" if gap > 0 else "农村网民反而更满意"
    return (
        common.join_words(
            "城市网民对当地网络基础设施的满意度为",
            fmt.fmt_number(float(urban["value"]), "%", qualifier=common.qual(urban)),
        )
        + common.join_words(
            "，农村网民为", fmt.fmt_number(float(rural["value"]), "%", qualifier=common.qual(rural))
        )
        + "，"
        + common.pp_gap_sentence(rural, urban, "两者")
        + f"，{verdict}"
    )


def elderly_sentence(ds: Any) -> str:
    """The easiest and the hardest online task for elderly netizens, and the share who cannot do the latter."""
    frame = common.latest_frame(ds, ELDERLY)
    if frame.empty:
        return "本版资料没有老年网民数字技能的数据"
    frame = frame.sort_values("value", ascending=False, kind="stable")
    hi, lo = frame.iloc[0], frame.iloc[-1]
    text = common.join_words(
        f"{int(hi['year'])} 年{hi['name_zh']}为",
        fmt.fmt_number(float(hi["value"]), "%", qualifier=common.qual(hi)),
    )
    if len(frame) > 1:
        text += common.join_words(
            f"，而{lo['name_zh']}只有", fmt.fmt_number(float(lo["value"]), "%", qualifier=common.qual(lo))
        )
        # The complement of a lower bound is an upper bound (and the reverse); "约" stays "约".
        missing = fmt.fmt_number(
            100 - float(lo["value"]),
            "%",
            digits=1,
            qualifier="approx" if common.qual(lo) == "approx" else "exact",
        )
        word = {"lower_bound": "不到", "upper_bound": "超过"}.get(common.qual(lo), "")
        text += common.join_words(f"，也就是说{word}", missing) + "的老年网民还不能独立做到这一点"
    return text


#: Tasks a user must do in a given setting (scenario-driven) versus open-ended skills.
SCENARIO_TASKS: frozenset[str] = frozenset({"elderly_netizens_health_code_share"})


def elderly_reading(ds: Any) -> str:
    """Interpretation of the order of elderly skills, chosen by which task ranks first and last."""
    frame = common.latest_frame(ds, ELDERLY)
    if len(frame) < 2:
        return "本版资料不足以比较老年网民在不同网上事务上的能力"
    frame = frame.sort_values("value", ascending=False, kind="stable")
    hi, lo = frame.iloc[0], frame.iloc[-1]
    if hi["indicator_id"] in SCENARIO_TASKS and lo["indicator_id"] not in SCENARIO_TASKS:
        return (
            f"掌握得最好的是在特定场景下“不得不学”的操作（{hi['name_zh']}），最弱的反而是更基础、更开放的"
            f"技能（{lo['name_zh']}）——被动的、单一场景的使用并不会自动转化为一般的数字能力"
        )
    return (
        f"掌握得最好的是{hi['name_zh']}，最弱的是{lo['name_zh']}；"
        "不同事务之间的差距说明，老年人的数字能力是分项的，不能用一个“会上网”的比例概括"
    )


def services_sentence(ds: Any) -> str:
    """The public-service coverage rates of :data:`SERVICES` that the edition has, latest values."""
    frame = common.latest_frame(ds, SERVICES)
    if frame.empty:
        return "本版资料没有公共服务数字化覆盖率数据"
    return "；".join(
        common.join_words(
            f"{int(r['year'])} 年{r['name_zh']}",
            fmt.fmt_number(float(r["value"]), "%", qualifier=common.qual(r)),
        )
        for _, r in frame.iterrows()
    )


def health_sentence(ds: Any) -> str:
    """Digital health: internet hospitals, telemedicine reach and the medical-insurance e-voucher."""
    older = common.latest_sentences(
        ds, ("telemedicine_institutions", "resident_health_cards"), "本版资料没有数字医疗方面的数据"
    )
    return common.latest_sentences(
        ds, ("internet_hospitals", "telemedicine_county_coverage", "medical_insurance_e_voucher_users"), older
    )


def key_findings(ds: Any, card: pd.DataFrame | None = None) -> list[str]:
    """Four findings for the 本章要点 box, each a complete sentence computed from the edition's data."""
    card = common.plan_card(ds, DOMAINS) if card is None else card
    findings = [common.trend_sentence(ds, "internet_users") + "。"]
    if gap_frame(ds).empty:  # no year with both rates: report the rural rate alone, and say why
        findings.append(
            common.latest_sentence(ds, "rural_internet_penetration")
            + "；本版资料没有同一年份的全国互联网普及率，无法计算城乡差距。"
        )
    else:
        findings.append(gap_sentence(ds) + "。")
    findings.append(common.fastest_sentence(ds, CORE, "民生服务") + "。")
    findings.append(common.plan_finding(card, "数字社会"))
    return findings


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    g = gap_frame(ds)
    return {
        "edition": str(ds.edition),
        "internet_users": common.value_text(ds, "internet_users"),
        "internet_penetration": common.value_text(ds, "internet_penetration"),
        "rural_internet_penetration": common.value_text(ds, "rural_internet_penetration"),
        "national_rural_gap_pp": "—"
        if g.empty
        else f"{fmt.fmt_plain(float(g.iloc[-1]['gap']), 1)}（{int(g.iloc[-1]['year'])}）",
        "social_security_card_penetration": common.value_text(ds, "social_security_card_penetration"),
    }


def texts(ds: Any) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``society_``)."""
    card = common.plan_card(ds, DOMAINS)
    out: dict[str, str] = {
        **common.base_texts(ds, DOMAINS, sources=False),
        "users_trend": common.trend_sentence(ds, "internet_users"),
        "users_latest": common.value_text(ds, "internet_users"),
        "penetration_trend": common.share_trend_sentence(ds, "internet_penetration"),
        "offline": offline_sentence(ds),
        "users_pace13": common.pace_sentence(card, "internet_users", "fyp13"),
        "users_pace14": common.pace_sentence(card, "internet_users", "fyp14"),
        "rural_trend": common.share_trend_sentence(ds, "rural_internet_penetration"),
        "rural_users": common.trend_sentence(ds, "rural_internet_users"),
        "gap": gap_sentence(ds),
        "gap_reported": common.latest_sentence(ds, "urban_rural_internet_gap_narrowed"),
        "literacy": literacy_sentence(ds),
        "satisfaction": satisfaction_sentence(ds),
        "services": services_sentence(ds),
        "school_trend": common.share_trend_sentence(ds, "school_internet_access_rate"),
        "ss_card_trend": common.share_trend_sentence(ds, "social_security_card_penetration"),
        "ss_card_pace13": common.pace_sentence(card, "social_security_card_penetration", "fyp13"),
        "e_card": common.latest_sentence(ds, "e_social_security_card_holders"),
        "e_card_pace14": common.pace_sentence(card, "e_social_security_card_rate", "fyp14"),
        "health": health_sentence(ds),
        "transport": common.trend_sentence(ds, "transport_card_interconnected_cities"),
        "etc": common.latest_sentence(ds, "etc_users"),
        "elderly": elderly_sentence(ds),
        "elderly_reading": elderly_reading(ds),
        "elderly_share": common.latest_sentence(ds, "internet_users_60plus_share"),
        "aging_friendly": common.latest_sentence(ds, "sites_apps_aging_friendly"),
        "village_pilots": common.latest_sentence(ds, "digital_village_pilot_counties"),
        "yinong": common.trend_sentence(ds, "yinong_info_stations"),
        "farmers_trained": common.trend_sentence(ds, "farmers_mobile_skills_trained"),
        "fastest": common.fastest_sentence(ds, CORE, "民生服务"),
        "fastest_all": common.fastest_sentence(ds, common.level_indicators(ds, DOMAINS), "数字社会"),
        "plan": common.plan_sentence(card, "数字社会与民生"),
    }
    return out | common.key_texts(key_findings(ds, card))


def elderly_frame(ds: Any) -> pd.DataFrame:
    """Latest elderly-skill shares with short labels (one bar each)."""
    return common.item_frame(ds, ELDERLY)


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    users = common.series_of(ds, "internet_users")
    pen = common.chart_frame(ds, PENETRATION)
    services = common.chart_frame(ds, SERVICES)
    elderly = elderly_frame(ds)
    return {
        "users": common.trend_figure(
            users,
            "本版资料中网民规模不足两个年份，不绘制趋势图。",
            title="网民规模",
        ),
        "penetration": common.trend_figure(
            pen,
            "本版资料中没有两个以上年份的全国与农村互联网普及率，不绘制对比图。",
            title="全国与农村互联网普及率",
            takeaway=gap_sentence(ds),
        ),
        "services": common.trend_figure(
            services,
            "本版资料中公共服务覆盖率不足两个年份，不绘制趋势图。",
            title="公共服务的数字化覆盖率",
            takeaway=services_sentence(ds).split("；")[0],
        ),
        "elderly": common.figure_or_note(
            elderly,
            charts.bar_ranking,
            "本版资料尚未给出老年网民数字技能的数据，因此不绘制该图。",
            title="老年网民能独立完成的网上事务",
            takeaway=elderly_sentence(ds),
            by="item",
        ),
        "plan": common.plan_figure(ds, common.plan_card(ds, DOMAINS), "数字社会"),
    }
