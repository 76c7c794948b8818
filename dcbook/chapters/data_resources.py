"""Computations behind chapter 03 数据资源与数据要素 (slug ``data_resources``).

The notebook glues what :func:`texts` returns and shows what :func:`figures` builds, so every number and
every comparison in the chapter's prose is computed from the edition's dataset and stays true when a new
report is added. Functions take a ``dcbook.data.Dataset`` duck-typed (``latest``, ``series``,
``indicators``, ``sources``, ``targets``, ``conflicts``, ``edition``), so the tests can use small
hand-made datasets.

Data resources are the domain where the reports print the fewest repeated series: most figures appear
once, in one report, under a wording that the next report changes. The chapter therefore leans on three
computed checks rather than on long trends: a growth rate the report *claims* is recomputed from the
report's own endpoints (:func:`claim_check`), two definitions of "big-data industry" are set side by side
(:func:`definition_gap_sentence`), and two documents' figures for the same date are compared
(:func:`conflict_sentence`). The generic helpers come from :mod:`dcbook.chapters.common`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from dcbook import charts, fmt
from dcbook.chapters import common

SLUG = "data_resources"
DOMAINS: tuple[str, ...] = ("data_resources",)
#: Indicators drawn as small multiples when they have two or more years (level indicators only).
GROWTH_PANELS: tuple[str, ...] = (
    "data_production_volume",
    "big_data_industry_size",
    "open_data_platforms",
    "provincial_open_data_platforms",
    "open_datasets",
)
#: Share of each administrative level with an open-data platform (all in %, one bar chart).
PLATFORM_LEVELS: dict[str, str] = {
    "open_data_platforms_provincial_share": "省级行政区",
    "open_data_platforms_subprovincial_share": "副省级城市",
    "open_data_platforms_prefecture_share": "地级行政区",
}
#: Growth claims printed by the reports, checked against the level series they summarize:
#: claim indicator → (level indicator, kind). ``cagr``: compound annual rate from the earliest year the
#: claim's quote names to the claim year; ``growth``: total growth from that year.
CLAIMS: dict[str, tuple[str, str]] = {
    "big_data_industry_cagr": ("big_data_industry_size", "cagr"),
    "open_data_platforms_growth": ("open_data_platforms", "growth"),
}
#: Government data-sharing counters: one sentence each when present.
SHARING: tuple[str, ...] = (
    "data_sharing_exchange_volume",
    "data_sharing_batch_exchange_records",
    "national_gov_platform_sharing_calls",
    "data_sharing_calls",
)
#: Market-building indicators (exchanges, privacy computing, pilots).
MARKET: tuple[str, ...] = (
    "privacy_computing_vendors",
    "financial_data_pilot_provinces",
)


#: Qualitative judgements of a document, paraphrased, shown only in editions that can see that document:
#: key → (source_id, paraphrase, fallback for editions without it).
REMARKS: dict[str, tuple[str, str, str]] = {
    "open_quality": (
        "fyp14_interp",
        "认为公共数据开放仍处于起步阶段，存在数据总量小、质量低、可利用率不高、用户参与程度低等问题",
        "本版资料尚未对开放数据的质量作出评估",
    ),
    "sharing_barriers": (
        "fyp14_interp",
        "提到政务数据共享中条块分割普遍，以及“不愿、不敢、不能”共享等障碍",
        "本版资料没有讨论政务数据共享的体制障碍",
    ),
    "market_outlook": (
        "dcr2021",
        "在展望部分把数据权属、交易、流通、安全等重点问题研究进展较为缓慢列为国内面临的首要问题",
        "本版资料尚未对数据要素市场面临的问题作出判断",
    ),
}


# ----------------------------------------------------------------------------------------------------------
# Checks of the documents' own figures


def remark(ds: Any, key: str, remarks: dict[str, tuple[str, str, str]] | None = None) -> str:
    """A document's judgement attributed by title ("《…》认为…") if the edition can see it, else the fallback."""
    source_id, text, fallback = (remarks or REMARKS)[key]
    src = ds.sources.set_index("source_id")["title"]
    if source_id not in src.index:
        return fallback
    return f"《{src[source_id]}》{text}"


def provenance_sentence(ds: Any, indicator_id: str) -> str:
    """How many documents the plotted years of one series come from (mixing documents may mix definitions)."""
    s = common.series_of(ds, indicator_id)
    if s.empty:
        return common.no_data_sentence(ds, indicator_id)
    n_docs = s["source_id"].nunique()
    if n_docs == 1:
        return f"图中 {len(s)} 个年份的数值出自同一份文件"
    return f"图中 {len(s)} 个年份的数值分别出自 {n_docs} 份不同的文件，口径未必完全一致"


def quote_start_year(quote: str, end_year: int) -> int | None:
    """Earliest year (“2017年”) named in ``quote`` before ``end_year``: the start of a growth claim."""
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", str(quote or ""))]
    years = [y for y in years if y < end_year]
    return min(years) if years else None


def rounding_bounds(row: Any) -> tuple[float, float]:
    """Interval a printed figure stands for once its rounding is undone, in the display unit.

    "1.3" stands for [1.25, 1.35); an integer with trailing zeros ("4700") is read as rounded at its
    last non-zero digit ([4650, 4750)), the widest reading and so the fairest to the report.
    """
    from dcbook import units

    printed = str(row.get("value_printed", "")) or fmt.fmt_plain(float(row["value"])).replace(",", "")
    if "." in printed:
        step = 10.0 ** -len(printed.split(".")[1])
    else:
        digits = printed.lstrip("-")
        step = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 1.0
    unit_printed = str(row.get("unit_printed", "") or common.unit_of(row))
    try:
        k = units.factor(unit_printed, common.unit_of(row)) if unit_printed != common.unit_of(row) else 1.0
    except ValueError:
        k = 1.0
    v = float(row["value"])
    return v - step / 2 * k, v + step / 2 * k


def _rate(v0: float, v1: float, years: int, kind: str) -> float:
    """Growth in % from v0 to v1: compound annual (``cagr``) or total (``growth``)."""
    ratio = v1 / v0
    return (ratio ** (1 / years) - 1) * 100 if kind == "cagr" else (ratio - 1) * 100


def _meets_claim(computed: float, claimed: float, qualifier: str) -> bool:
    """Whether a computed rate satisfies a printed claim read with its qualifier."""
    if qualifier == "lower_bound":
        return computed > claimed or round(computed, 1) >= claimed
    if qualifier == "upper_bound":
        return computed < claimed
    if qualifier == "approx":
        return abs(computed - claimed) <= 1.0
    return abs(computed - claimed) <= 0.5


def claim_check(ds: Any, claim_id: str, level_id: str, kind: str = "cagr") -> dict[str, Any] | None:
    """Recompute a growth rate a report claims from the level series' own values.

    Returns ``claimed`` (%), ``qualifier``, ``computed`` (%), ``start_year``, ``end_year`` and
    ``consistent`` (whether the computed rate satisfies the claim read with its qualifier: 超过 X needs
    computed > X, 约 X needs |computed − X| ≤ 1 point); None when the claim, its start year or either
    endpoint is missing.
    """
    claim = ds.latest(claim_id)
    if claim is None:
        return None
    end = int(claim["year"])
    start = quote_start_year(str(claim.get("quote", "")), end)
    if start is None:
        return None
    s = common.series_of(ds, level_id).set_index("year") if not common.series_of(ds, level_id).empty else None
    if s is None or start not in s.index or end not in s.index:
        return None
    first, last = s.loc[start], s.loc[end]
    v0, v1 = float(first["value"]), float(last["value"])
    if v0 <= 0 or v1 <= 0:
        return None
    years = end - start
    computed = _rate(v0, v1, years, kind)
    lo0, hi0 = rounding_bounds(first)
    lo1, hi1 = rounding_bounds(last)
    low = _rate(hi0, lo1, years, kind) if lo1 > 0 and hi0 > 0 else computed
    high = _rate(lo0, hi1, years, kind) if lo0 > 0 else computed
    claimed, q = float(claim["value"]), common.qual(claim)
    return {
        "claim_id": claim_id,
        "level_id": level_id,
        "kind": kind,
        "claimed": claimed,
        "qualifier": q,
        "computed": computed,
        "computed_low": low,
        "computed_high": high,
        "start_year": start,
        "end_year": end,
        "consistent": _meets_claim(computed, claimed, q),
        "within_rounding": _meets_claim(high, claimed, q) or _meets_claim(low, claimed, q),
        "endpoints_exact": common.qual(first) == "exact" and common.qual(last) == "exact",
    }


def claim_sentence(ds: Any, claim_id: str, level_id: str, kind: str = "cagr") -> str:
    """The claim and its recomputation as one sentence, or a plain statement that it cannot be checked."""
    c = claim_check(ds, claim_id, level_id, kind)
    if c is None:
        if ds.latest(claim_id) is None:
            return common.no_data_sentence(ds, claim_id)
        return f"{common.latest_sentence(ds, claim_id)}，但本版资料缺少核算这一增速所需的起止年份数值"
    what = "年均复合增长率" if kind == "cagr" else "增幅"
    claimed = fmt.fmt_number(c["claimed"], "%", qualifier=c["qualifier"])
    computed = fmt.fmt_pct(c["computed"] / 100)
    approx = "" if c["endpoints_exact"] else "约"
    span = fmt.fmt_year_span(c["start_year"], c["end_year"])
    text = common.join_words(f"报告称{common.name_of(ds, level_id)}", f"{span}的{what}{claimed}；")
    text += f"按报告所给的两端数值计算，实际{approx}为 {computed}"
    if c["consistent"]:
        return text + "，与报告的说法相符"
    if c["within_rounding"]:
        return (
            text + f"，略低于所称；但两端数值都经过取整，在取整误差之内最高可达 "
            f"{fmt.fmt_pct(c['computed_high'] / 100)}，因此不能断言报告有误，但“超过”只在取整误差的上沿才成立"
        )
    return (
        text + f"，即使考虑两端数值的取整误差也只在 {fmt.fmt_pct(c['computed_low'] / 100)}–"
        f"{fmt.fmt_pct(c['computed_high'] / 100)} 之间，达不到报告所称的水平"
    )


def definition_gap_sentence(ds: Any, narrow_id: str, wide_id: str) -> str:
    """How many times a wide definition exceeds a narrow one for the same year (e.g. 大数据产业 vs 核心产业)."""
    narrow, wide = common.series_of(ds, narrow_id), common.series_of(ds, wide_id)
    if narrow.empty or wide.empty:
        return (
            f"本版资料没有同一年份的{common.quoted(common.name_of(ds, narrow_id))}与{common.quoted(common.name_of(ds, wide_id))}，"
            "无法比较两种口径"
        )
    y = common.last_shared_year(narrow, wide)
    if y is None:
        return (
            f"本版资料中{common.quoted(common.name_of(ds, narrow_id))}与{common.quoted(common.name_of(ds, wide_id))}没有同一年份的数值，"
            "两者口径不同，不能连成一条序列"
        )
    a = narrow[narrow["year"] == y].iloc[0]
    b = wide[wide["year"] == y].iloc[0]
    ratio = _ratio(a, b)
    return (
        f"同为 {y} 年，{common.name_of(ds, narrow_id)}{common.row_predicate(a)}，"
        f"而{common.name_of(ds, wide_id)}{common.row_predicate(b)}，"
        f"后者约为前者的 {fmt.fmt_plain(ratio, 0 if ratio >= 10 else 1)} 倍——两者不是同一口径，不能相互替代"
    )


def _ratio(a: pd.Series, b: pd.Series) -> float:
    """``b / a`` for two resolved rows whose units differ only in scale (亿元 vs 万亿元)."""
    from dcbook import units

    return float(b["value"]) * units.factor(common.unit_of(b), common.unit_of(a)) / float(a["value"])


def ratio_sentence(ds: Any, part_id: str, whole_id: str, what: str) -> str:
    """Share of one figure in another of the same year ("…约占…的 5.0%"); says why when not computable."""
    part, whole = ds.latest(part_id), ds.latest(whole_id)
    if part is None or whole is None:
        return f"本版资料不足以计算{what}"
    if int(part["year"]) != int(whole["year"]):
        return f"本版资料中{what}所需的两个数值年份不同，无法计算"
    share = _ratio(whole, part)
    approx = "" if common.qual(part) == common.qual(whole) == "exact" else "约"
    return (
        f"{int(part['year'])} 年{common.name_of(ds, part_id)}{common.row_predicate(part)}，"
        f"{approx}占{common.name_of(ds, whole_id)}（{common.value_text(ds, whole_id)}）的 {fmt.fmt_pct(share)}"
    )


def conflict_sentence(ds: Any, indicator_ids: Sequence[str]) -> str:
    """Largest disagreement between documents on the same indicator and year among ``indicator_ids``."""
    c = ds.conflicts()
    if c is None or c.empty:
        return "本版资料中各文件对这些指标的数值没有分歧"
    c = c[c["indicator_id"].isin(list(indicator_ids)) & (c["region"] == "全国")]
    if c.empty:
        return "本版资料中各文件对这些指标的数值没有分歧"
    row = c.sort_values("abs_diff", ascending=False, kind="stable").iloc[0]
    src = ds.sources.set_index("source_id")["title"]
    docs = "、".join(f"《{src.get(s, s)}》" for s in dict.fromkeys(row["source_ids"]))
    winner = src.get(row["winner_source_id"], row["winner_source_id"])
    unit = str(row["unit"])
    values = "、".join(fmt.fmt_number(float(v), unit) for v in dict.fromkeys(row["values"]))
    gap = fmt.fmt_number(float(row["abs_diff"]), "个百分点" if unit == "%" else unit, digits=1)
    text = (
        f"{docs}对 {int(row['year'])} 年{common.quoted(row['name_zh'])}给出的数值不同（{values}），最多相差 {gap}；"
        f"本书按规则采用较晚出版的《{winner}》"
    )
    if len(c) > 1:
        text += f"，同组共有 {len(c)} 项指标存在这类分歧"
    return text


# ----------------------------------------------------------------------------------------------------------
# Chapter 03 sentences


def production_sentence(ds: Any) -> str:
    """Data production: trend and world share (with the share's year)."""
    text = common.trend_sentence(ds, "data_production_volume")
    share = ds.latest("data_production_world_share")
    if share is not None:
        text += f"；{int(share['year'])} 年占全球{common.row_predicate(share)}"
    return text


def industry_sentence(ds: Any) -> str:
    """Big-data industry size trend, falling back to the narrower core-industry figure."""
    if not common.series_of(ds, "big_data_industry_size").empty:
        return common.trend_sentence(ds, "big_data_industry_size")
    if ds.latest("big_data_core_industry_size") is not None:
        text = common.latest_sentence(ds, "big_data_core_industry_size")
        growth = ds.latest("big_data_core_industry_size_growth")
        if growth is not None:
            text += f"，同比增长{common.lead(common.row_text(growth))}"
        return text + "（本版资料只有这一口径、这一年份的数值）"
    return common.no_data_sentence(ds, "big_data_industry_size")


#: Open-data counts: platforms and datasets (the series), pilots and policies (the early substitute).
OPEN_SERIES: tuple[str, ...] = ("provincial_open_data_platforms", "open_data_platforms", "open_datasets")
OPEN_EARLY: tuple[str, ...] = ("open_data_pilot_provinces", "provinces_with_open_data_policy")
#: Platforms split by level of government (provincial vs city).
PLATFORM_SPLIT: tuple[str, ...] = (
    "open_data_platforms_provincial_excl_municipalities",
    "open_data_platforms_city",
)
#: National base databases (population, legal entities).
BASIC_DB: tuple[str, ...] = (
    "population_db_shared_items",
    "legal_person_db_shared_items",
    "population_db_interface_calls",
    "legal_entity_db_market_entities",
)
#: Data resources published on the national government-service platform.
GOV_PLATFORM: tuple[str, ...] = (
    "national_gov_platform_data_resources",
    "national_gov_platform_data_publishing_departments",
)


def open_data_sentence(ds: Any, *, note: bool = True) -> str:
    """Growth of open-data platforms and datasets, as far as the edition's documents go.

    Without platform or dataset counts it falls back to pilots and policies, with a note saying the
    counts are missing (``note=False`` leaves the note to the section's one missing-data sentence).
    """
    parts = []
    for ind in OPEN_SERIES:
        if not common.series_of(ds, ind).empty:
            parts.append(common.trend_sentence(ds, ind))
    if not parts:
        if ds.latest("open_data_pilot_provinces") is not None:
            facts = common.facts_sentence(ds, OPEN_EARLY)
            return facts + ("（本版资料尚未给出开放平台和数据集的数量）" if note else "")
        return "本版资料尚未给出公共数据开放平台和数据集的数量"
    return "；".join(parts)


def platform_mix_sentence(ds: Any) -> str:
    """Which administrative level has the highest and lowest share of open-data platforms."""
    frame = common.latest_frame(ds, list(PLATFORM_LEVELS))
    if frame.empty:
        return "本版资料尚未给出各级政府上线数据开放平台的比例"
    frame = frame.sort_values("value", ascending=False, kind="stable")
    hi, lo = frame.iloc[0], frame.iloc[-1]
    level = PLATFORM_LEVELS
    text = f"{int(hi['year'])} 年{level[hi['indicator_id']]}上线数据开放平台的比例最高，{common.row_predicate(hi)}"
    if len(frame) > 1:
        text += f"；{level[lo['indicator_id']]}最低，{common.row_predicate(lo)}"
        gap = float(hi["value"]) - float(lo["value"])
        text += f"，两者相差 {fmt.fmt_plain(gap, 1)} 个百分点"
    return text


def platform_split_sentence(ds: Any) -> str:
    """Provincial versus city platforms in the latest count (where the larger share of platforms sits)."""
    prov, city = (ds.latest(i) for i in PLATFORM_SPLIT)
    if prov is None or city is None:
        return "本版资料没有按省级、城市级拆分的平台数量"
    total = float(prov["value"]) + float(city["value"])
    return (
        f"{int(city['year'])} 年的平台中，{common.name_of(ds, 'open_data_platforms_city')}"
        f"{common.row_predicate(city)}，"
        f"{common.name_of(ds, 'open_data_platforms_provincial_excl_municipalities')}"
        f"{common.row_predicate(prov)}，城市平台占 {fmt.fmt_pct(float(city['value']) / total)}"
    )


def sharing_sentence(ds: Any) -> str:
    """Government data-sharing counters present in the edition, each with its year."""
    return common.latest_sentences(ds, SHARING, "本版资料尚未给出政务数据共享交换的规模")


def basic_db_sentence(ds: Any) -> str:
    """The national base databases (population, legal entities): what they share."""
    return common.latest_sentences(ds, BASIC_DB, "本版资料尚未给出国家基础数据库的共享情况")


def market_sentence(ds: Any) -> str:
    """Market size, trading share and market-building signals."""
    parts = []
    if ds.latest("big_data_market_size") is not None:
        parts.append(ratio_sentence(ds, "data_trading_market_size", "big_data_market_size", "交易市场占比"))
    beibu = [
        common.latest_sentence(ds, i, "广西")
        for i in ("beibu_gulf_data_exchange_volume", "beibu_gulf_data_exchange_firms")
        if ds.latest(i, "广西") is not None
    ]
    if beibu:
        parts.append("，".join(beibu))
    parts.extend(common.latest_sentence(ds, i) for i in MARKET if ds.latest(i) is not None)
    return "；".join(parts) if parts else "本版资料尚未给出数据交易市场的量化数据"


def market_reading(ds: Any) -> str:
    """What the market figures imply: the trading share if computable, otherwise that none exist yet."""
    part, whole = ds.latest("data_trading_market_size"), ds.latest("big_data_market_size")
    if part is None or whole is None or int(part["year"]) != int(whole["year"]):
        return "本版资料没有衡量数据交易规模的数字，数据要素市场仍停留在政策和试点层面"
    share = _ratio(whole, part)
    size = "不到一成" if share < 0.1 else "不足三成" if share < 0.3 else "已占相当比重"
    return (
        f"流通交易只占大数据市场的 {fmt.fmt_pct(share)}（{size}），说明数据的价值主要仍在企业和机构内部使用中实现，"
        "而不是通过市场流通"
    )


def plan_gap_sentence(ds: Any) -> str:
    """Whether any plan target of the visible plans belongs to this domain (it is computed, not assumed)."""
    card = common.plan_card(ds, DOMAINS)
    t = ds.targets
    visible = set(ds.sources["source_id"])
    n_all = 0 if t is None or t.empty else int(t["source_id"].isin(visible).sum())
    if n_all == 0:
        return "本版资料中尚无国家信息化规划的量化目标"
    if card.empty:
        return (
            f"本版资料可见的国家信息化规划主要指标共 {n_all} 项，其中没有一项直接衡量数据资源或数据要素市场"
        )
    return f"本版资料可见的国家信息化规划主要指标共 {n_all} 项，其中 {len(card)} 项属于数据资源领域"


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ids = (
        "data_production_volume",
        "data_production_world_share",
        "big_data_industry_size",
        "open_data_platforms",
        "open_datasets",
    )
    return common.headline_texts(ds, ids)


def key_findings(ds: Any) -> list[str]:
    """Four findings for the 本章要点 box, each a complete sentence computed from the edition's data."""
    findings = []
    if ds.latest("data_production_volume") is not None:
        findings.append(production_sentence(ds) + "。")
    else:
        findings.append(sharing_sentence(ds).split("；")[0] + "。")
    findings.append(industry_sentence(ds) + "。")
    c = claim_check(ds, "big_data_industry_cagr", "big_data_industry_size")
    if c is not None:
        findings[-1] = (
            findings[-1][:-1]
            + "；"
            + claim_sentence(ds, "big_data_industry_cagr", "big_data_industry_size")
            + "。"
        )
    findings.append(open_data_sentence(ds).split("；")[-1] + "。")
    findings.append(plan_gap_sentence(ds) + "，数据要素市场的进展只能靠零散的个案数字判断。")
    return findings


def section_texts(ds: Any) -> dict[str, str]:
    """The sections' data paragraphs (``*_text`` glue keys): each section names what it lacks once.

    A section with no figure in the edition is one sentence listing the missing indicators; otherwise
    the pieces that have data read as before and the missing ones are listed once at the section's end.
    """
    claim = claim_sentence(ds, "big_data_industry_cagr", "big_data_industry_size")
    mix = platform_mix_sentence(ds)
    institutions = common.latest_sentences(
        ds, ("open_data_pilot_provinces", "local_public_data_regulations"), ""
    )
    market_ids: list[common.Need] = [
        "data_trading_market_size",
        "big_data_market_size",
        *MARKET,
        ("beibu_gulf_data_exchange_volume", "广西"),
        ("beibu_gulf_data_exchange_firms", "广西"),
    ]
    sections = [
        common.section_texts(
            ds,
            {
                "production_text": [
                    (f"就本版资料而言，{production_sentence(ds)}。", ("data_production_volume",))
                ]
            },
            area="数据产量",
            also_missing=("data_production_world_share",),
        ),
        common.section_texts(
            ds,
            {
                "industry_text": [
                    (
                        f"从图中看，{industry_sentence(ds)}。",
                        ("big_data_industry_size", "big_data_core_industry_size"),
                    ),
                    (
                        "图中的年份是稀疏的，连线只表示两端之间的总体变化，不代表逐年平稳增长。"
                        f"至于数值的出处，{provenance_sentence(ds, 'big_data_industry_size')}。",
                        ("big_data_industry_size",),
                    ),
                ],
                "industry_claim_text": [
                    (
                        "年度报告常用“年均增长超过”一类的说法概括这一增长，本书尽量用报告自己给出的两端数值重新核算："
                        f"{claim}。这类核算提醒读者，年度报告中的“年均增长”“增长超过”等概括，"
                        "最好回到原始数值重新计算一遍，再决定引用哪一个。",
                        ("big_data_industry_cagr",),
                    )
                ],
            },
            area="大数据产业",
        ),
        common.section_texts(
            ds,
            {
                "open_text": [
                    (
                        f"资料中关于开放进程的数字有：{open_data_sentence(ds, note=False)}。",
                        (*OPEN_SERIES, *OPEN_EARLY),
                    ),
                    (
                        "报告对平台数量的增速也有概括："
                        + claim_sentence(ds, "open_data_platforms_growth", "open_data_platforms", "growth")
                        + "。",
                        ("open_data_platforms_growth",),
                    ),
                ],
                "platform_split_text": [
                    (f"平台在各级政府之间的分布也值得注意：{platform_split_sentence(ds)}。", PLATFORM_SPLIT)
                ],
                "platform_mix_text": [
                    (
                        f"{mix}。各级之间的差距可能与地方财力、技术力量和数据管理机构的设置情况有关，"
                        "但资料没有提供可以检验这一点的数据。",
                        tuple(PLATFORM_LEVELS),
                    )
                ],
                "institutions_text": [
                    (
                        f"制度层面的进展也有数字可查：{institutions}。",
                        ("open_data_pilot_provinces", "local_public_data_regulations"),
                    ),
                    (
                        "在数据领域，地方规则往往先于全国性的统一规则出台——这带来探索的活力，也带来各地规则不一致的风险。",
                        ("local_public_data_regulations",),
                    ),
                ],
            },
            area="公共数据开放",
            also_missing=OPEN_SERIES,
        ),
        common.section_texts(
            ds,
            {
                "sharing_text": [
                    (
                        "与面向社会的开放相比，政府部门之间的数据共享更早起步，也有更多的量化记录："
                        f"{sharing_sentence(ds)}。",
                        SHARING,
                    ),
                    (f"国家基础数据库的共享情况是：{basic_db_sentence(ds)}。", BASIC_DB),
                    (f"此外，{common.latest_sentences(ds, GOV_PLATFORM, '')}。", GOV_PLATFORM),
                ]
            },
            area="政务数据共享",
        ),
        common.section_texts(
            ds,
            {
                "market_text": [(f"资料中与数据要素市场有关的数字是：{market_sentence(ds)}。", market_ids)],
                "market_reading_text": [
                    (
                        f"这些数字勾勒出一个仍处在早期的市场：{market_reading(ds)}。",
                        ("data_trading_market_size", "big_data_market_size"),
                    )
                ],
            },
            area="数据要素市场",
        ),
    ]
    return {k: v for sec in sections for k, v in sec.items()}


def texts(ds: Any) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``data_resources_``)."""
    out: dict[str, str] = {
        **common.base_texts(ds, DOMAINS),
        "industry_definitions": definition_gap_sentence(
            ds, "big_data_core_industry_size", "big_data_industry_size"
        ),
        "platform_conflict": conflict_sentence(ds, list(PLATFORM_LEVELS)),
        "plan_gap": plan_gap_sentence(ds),
        **{f"remark_{k}": remark(ds, k) for k in REMARKS},
        **section_texts(ds),
    }
    return out | common.key_texts(key_findings(ds))


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    panels = common.multi_year_frame(ds, GROWTH_PANELS)
    levels = common.latest_frame(ds, list(PLATFORM_LEVELS))
    if not levels.empty:
        levels["item"] = [
            f"{PLATFORM_LEVELS[i]}（{int(y)} 年）"
            for i, y in zip(levels["indicator_id"], levels["year"], strict=True)
        ]
    return {
        "industry": common.trend_figure(
            common.series_of(ds, "big_data_industry_size"),
            "本版资料中大数据产业规模不足两个年份，无法绘制趋势图。",
            title="大数据产业规模",
        ),
        "panels": common.figure_or_note(
            panels,
            charts.small_multiples,
            "本版资料中没有两个以上年份的数据资源指标，无法绘制增长图。",
            title="数据资源的几项规模指标",
            takeaway=common.multiples_takeaway(panels),
            columns=2,
        ),
        "levels": common.figure_or_note(
            levels,
            charts.bar_ranking,
            "本版资料尚未给出各级政府上线数据开放平台的比例，因此不绘制该图。",
            title="各级政府上线数据开放平台的比例",
            takeaway=platform_mix_sentence(ds),
            by="item",
        ),
    }
