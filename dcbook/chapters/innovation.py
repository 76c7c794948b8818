"""Computations behind chapter 04 数字技术创新 (slug ``innovation``).

The chapter notebook glues what :func:`texts` returns and shows what :func:`figures` builds, so every
number and every comparison in its prose is computed from the edition's dataset and stays true when a
new report is added. Functions take a ``dcbook.data.Dataset`` — duck-typed (``latest``, ``series``,
``indicators``, ``sources``, ``targets``, ``edition``) so the tests can use small hand-made datasets.

The first section holds helpers that the 数字经济 chapter (:mod:`dcbook.chapters.economy`) shares;
they are generic and could move to a common module once other chapters need them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
from IPython.display import Markdown

from dcbook import charts, fmt, render, targets

SLUG = "innovation"
DOMAINS: tuple[str, ...] = ("innovation",)
#: Printed in place of a figure an edition's sources do not give (never a guessed value).
NO_DATA = "本版资料尚未涉及该指标"
#: Short plan names used in chart rows and sentences.
PLAN_SHORT: dict[str, str] = {"fyp13": "“十三五”规划", "fyp14": "“十四五”规划"}
#: Scorecard statuses (dcbook.targets) mapped onto the three statuses the target chart draws.
STATUS_TO_CHART: dict[str, str] = {
    "已达成": "已达成",
    "进度领先": "符合进度",
    "符合进度": "符合进度",
    "落后": "滞后于进度",
    "未达成": "滞后于进度",
}

# ----------------------------------------------------------------------------------------------------------
# Shared helpers (also used by dcbook.chapters.economy)


def _qual(row: Any) -> str:
    """Qualifier of a resolved row; empty/NaN means exact."""
    q = row.get("qualifier") if hasattr(row, "get") else None
    return "exact" if q is None or (isinstance(q, float) and math.isnan(q)) or q == "" else str(q)


def _unit(row: Any) -> str:
    u = row.get("unit")
    return "" if u is None or (isinstance(u, float) and math.isnan(u)) else str(u)


def name_of(ds: Any, indicator_id: str) -> str:
    """Chinese name of an indicator from the catalogue; raises naming the id if it is not catalogued."""
    if indicator_id not in ds.indicators.index:
        raise KeyError(f"indicators.csv: no row with indicator_id {indicator_id!r}")
    return str(ds.indicators.at[indicator_id, "name_zh"])


def join_words(prefix: str, value: str) -> str:
    """Join CJK text and a formatted value with the house spacing (space before a digit only)."""
    return f"{prefix} {value}" if value[:1].isdigit() or value[:1] == "-" else f"{prefix}{value}"


def value_text(ds: Any, indicator_id: str, region: str = "全国", *, rescale: bool = False) -> str:
    """Latest value as readers see it ("超过 3 万件"), or :data:`NO_DATA`."""
    row = ds.latest(indicator_id, region)
    if row is None:
        return NO_DATA
    value, unit = float(row["value"]), _unit(row)
    if rescale:
        value, unit = fmt.rescale(value, unit)
    return number_text(value, unit, _qual(row))


def number_text(value: float, unit: str, qualifier: str = "exact") -> str:
    """A value with unit and qualifier; ranks (unit 位) read as ordinals ("第 14 位")."""
    if unit == "位":
        word = fmt.qualifier_word(qualifier)
        return f"{word}第 {fmt.fmt_plain(value)} 位"
    return fmt.fmt_number(value, unit, qualifier=qualifier)


#: How a sentence links a name to its value, by qualifier ("…为 45%", "…超过 3 万件", "…约为 33 万家").
_LINK_WORDS: dict[str, str] = {"exact": "为", "approx": "约为", "lower_bound": "超过", "upper_bound": "不到"}


def predicate(value: float, unit: str, qualifier: str = "exact") -> str:
    """The predicate of a "<name><predicate>" sentence: "为 45%", "超过 3 万件", "约为 33 万家"."""
    return join_words(_LINK_WORDS.get(qualifier, "为"), number_text(value, unit))


def year_of(ds: Any, indicator_id: str, region: str = "全国") -> int | None:
    """Year of the latest value, None without data."""
    row = ds.latest(indicator_id, region)
    return None if row is None else int(row["year"])


def no_data_sentence(ds: Any, indicator_id: str) -> str:
    """The plain statement used when an edition has no figure for an indicator."""
    return f"本版资料尚未给出“{name_of(ds, indicator_id)}”的数据"


def latest_sentence(ds: Any, indicator_id: str, region: str = "全国", *, label: str | None = None) -> str:
    """Latest value as a sentence ("2020 年<name>为 45%"), or a no-data sentence."""
    row = ds.latest(indicator_id, region)
    if row is None:
        return no_data_sentence(ds, indicator_id)
    name = label or name_of(ds, indicator_id)
    return f"{int(row['year'])} 年{name}{predicate(float(row['value']), _unit(row), _qual(row))}"


def series_of(ds: Any, indicator_id: str, region: str = "全国") -> pd.DataFrame:
    """Resolved series sorted by year (empty frame without data)."""
    s = ds.series(indicator_id, region)
    return s.sort_values("year", kind="stable").reset_index(drop=True) if s is not None else pd.DataFrame()


def trend_sentence(ds: Any, indicator_id: str, region: str = "全国", *, label: str | None = None) -> str:
    """First-to-latest change of a level indicator, e.g. "软件业务收入 2017–2021 年由 … 增至 …，增长 72.7%".

    With one observation it says that no growth can be computed; without data it says so.
    """
    s = series_of(ds, indicator_id, region)
    name = label or name_of(ds, indicator_id)
    if s.empty:
        return no_data_sentence(ds, indicator_id)
    if len(s) == 1:
        return (
            latest_sentence(ds, indicator_id, region, label=name)
            + "（本版资料仅有这一年的数据，无法计算增速）"
        )
    return join_words(name, charts.takeaway_growth(s))


def share_trend_sentence(
    ds: Any, indicator_id: str, region: str = "全国", *, label: str | None = None
) -> str:
    """Change of a percentage indicator in percentage points ("由 46.4% 升至 55.3%，提高 8.9 个百分点")."""
    s = series_of(ds, indicator_id, region)
    name = label or name_of(ds, indicator_id)
    if s.empty:
        return no_data_sentence(ds, indicator_id)
    if len(s) == 1:
        return latest_sentence(ds, indicator_id, region, label=name) + "（本版资料仅有这一年的数据）"
    first, last = s.iloc[0], s.iloc[-1]
    a = fmt.fmt_number(float(first["value"]), _unit(first), qualifier=_qual(first))
    b = fmt.fmt_number(float(last["value"]), _unit(last), qualifier=_qual(last))
    delta = float(last["value"]) - float(first["value"])
    digits = max(fmt._decimals(float(first["value"])), fmt._decimals(float(last["value"])), 1)
    if round(delta, digits) == 0:
        move = "基本持平"
    else:
        move = f"{'提高' if delta > 0 else '下降'} {fmt.fmt_plain(abs(delta), digits)} 个百分点"
    approx = "约" if _qual(first) != "exact" or _qual(last) != "exact" else ""
    verb = "升至" if delta >= 0 else "降至"
    span = fmt.fmt_year_span(int(first["year"]), int(last["year"]))
    return join_words(name, f"{span}由 {a}{verb} {b}，{approx}{move}")


def cagr(ds: Any, indicator_id: str, region: str = "全国") -> tuple[float, int, int] | None:
    """Compound annual growth first → latest as ``(rate, start_year, end_year)``; None if undefined."""
    s = series_of(ds, indicator_id, region)
    if len(s) < 2:
        return None
    first, last = s.iloc[0], s.iloc[-1]
    years = int(last["year"]) - int(first["year"])
    v0, v1 = float(first["value"]), float(last["value"])
    if years <= 0 or v0 <= 0 or v1 <= 0:
        return None
    return (v1 / v0) ** (1 / years) - 1, int(first["year"]), int(last["year"])


def first_available(ds: Any, indicator_ids: Iterable[str], region: str = "全国") -> str | None:
    """The first indicator of ``indicator_ids`` that has data in the edition."""
    for ind in indicator_ids:
        if ds.latest(ind, region) is not None:
            return ind
    return None


def chart_frame(ds: Any, indicator_ids: Sequence[str], region: str = "全国") -> pd.DataFrame:
    """Resolved rows of several indicators stacked for a chart (only those with data)."""
    parts = [series_of(ds, ind, region) for ind in indicator_ids]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def multi_year_frame(ds: Any, indicator_ids: Sequence[str], region: str = "全国") -> pd.DataFrame:
    """Like :func:`chart_frame` but only indicators observed in two or more years (a trend needs two)."""
    keep = [i for i in indicator_ids if len(series_of(ds, i, region)) >= 2]
    return chart_frame(ds, keep, region)


def latest_frame(ds: Any, indicator_ids: Sequence[str], region: str = "全国") -> pd.DataFrame:
    """One latest row per indicator (those with data), for bar charts comparing indicators."""
    rows = [ds.latest(ind, region) for ind in indicator_ids]
    rows = [r for r in rows if r is not None]
    return pd.DataFrame(rows).reset_index(drop=True) if rows else pd.DataFrame()


def figure_or_note(
    frame: pd.DataFrame,
    builder: Callable[..., Any],
    note: str,
    *,
    min_rows: int = 1,
    min_years: int = 1,
    **kwargs: Any,
) -> Any:
    """A rendered figure when ``frame`` supports the chart, else a Markdown note saying what is missing."""
    years = frame["year"].nunique() if "year" in frame.columns else 0
    if len(frame) < min_rows or (min_years > 1 and years < min_years):
        return Markdown(f"*{note}*")
    return render.figure(builder(frame, **kwargs))


# ----------------------------------------------------------------------------------------------------------
# Plan targets (dcbook.targets) restricted to a chapter's domains


def plan_card(ds: Any, domains: Sequence[str]) -> pd.DataFrame:
    """Scorecard rows of every plan visible to the edition whose indicator belongs to ``domains``."""
    t = ds.targets
    empty = pd.DataFrame(columns=[*targets.COLUMNS, "plan_short", "edition"])
    if t is None or t.empty:
        return empty
    visible = set(ds.sources["source_id"])
    t = t[t["source_id"].isin(visible)]
    cards = [targets.scorecard(ds, plan) for plan in sorted(set(t["plan"].astype(str)))]
    if not cards:
        return empty
    card = pd.concat(cards, ignore_index=True)
    card = card[card["target_source_id"].isin(visible)]
    dom = ds.indicators["domain"]
    card = card[[dom.get(i) in domains for i in card["indicator_id"]]].reset_index(drop=True)
    card["plan_short"] = [PLAN_SHORT.get(p, p) for p in card["plan"]]
    card["edition"] = int(ds.edition)
    return card


def plan_chart_frame(ds: Any, card: pd.DataFrame) -> pd.DataFrame:
    """Scorecard rows that have data, in the shape :func:`dcbook.charts.target_progress` draws."""
    rows = card[card["status"].isin(list(STATUS_TO_CHART))].copy()
    if rows.empty:
        return pd.DataFrame()
    src = ds.sources.set_index("source_id")
    rows["name_zh"] = [f"{n}（{p}）" for n, p in zip(rows["name_zh"], rows["plan_short"], strict=True)]
    rows["qualifier"] = rows["latest_qualifier"].fillna("exact")
    rows["status"] = rows["status"].map(STATUS_TO_CHART)
    rows["source_title"] = [src.at[s, "title"] for s in rows["latest_source_id"]]
    rows["edition_year"] = [src.at[s, "edition_year"] for s in rows["latest_source_id"]]
    keep = [
        "indicator_id", "name_zh", "unit", "base_year", "base_value", "latest_year", "latest_value",
        "target_year", "target_value", "comparator", "qualifier", "status", "source_id", "source_title",
        "edition_year",
    ]  # fmt: skip
    rows["source_id"] = rows["latest_source_id"]
    return rows[keep].reset_index(drop=True)


def target_text(row: Any) -> str:
    """The plan requirement as words ("2025 年不低于 45 万家") for a scorecard row."""
    comp = {">=": "不低于", ">": "超过", "<=": "不高于", "<": "低于"}.get(str(row["comparator"]), "达到")
    return f"{int(row['target_year'])} 年{join_words(comp, fmt.fmt_number(float(row['target_value']), row['unit']))}"


def plan_sentence(card: pd.DataFrame, area: str) -> str:
    """Counts of plan targets by status for a chapter's area, naming the judged ones."""
    if card.empty:
        return f"本版资料中没有{area}方面的规划目标"
    counts = targets.status_counts(card)
    parts = [f"{status} {n} 项" for status, n in counts.items() if n]
    text = f"本版资料涉及{area}的规划目标共 {len(card)} 项，其中" + "，".join(parts)
    judged = card[card["status"] != "无数据"]
    if not judged.empty:
        names = "；".join(f"{r['name_zh']}（{r['plan_short']}，{r['status']}）" for _, r in judged.iterrows())
        text += f"。可评估的是：{names}"
    return text


def pace_sentence(card: pd.DataFrame, indicator_id: str, plan: str, *, name: str | None = None) -> str:
    """Whether an indicator grows faster or slower than its plan requires, computed from the scorecard.

    With ``name`` the sentence names the indicator ("“十三五”规划要求网上零售额 2020 年…"), so it can
    stand alone in a list of several targets.
    """
    rows = card[(card["indicator_id"] == indicator_id) & (card["plan"] == plan)]
    if rows.empty:
        what = f"“{name}”的{PLAN_SHORT.get(plan, plan)}目标" if name else "该指标的规划目标"
        return f"本版资料中没有{what}"
    r = rows.iloc[0]
    goal = f"{name or ''} {target_text(r)}"  # target_text starts with the year: a space before it
    if r["status"] == "无数据":
        return f"{r['plan_short']}要求{goal}，本版资料尚无基期之后的数据，无法判断进度"
    if r["status"] in ("已达成", "未达成"):
        return f"{r['plan_short']}要求{goal}，按 {int(r['latest_year'])} 年的数据判断为{r['status']}"
    obs, req = r["observed_cagr"], r["required_cagr"]
    if obs is None or req is None or pd.isna(obs) or pd.isna(req):
        return f"{r['plan_short']}要求{goal}，目前判断为{r['status']}"
    word = "快于" if obs > req else "慢于" if obs < req else "等于"
    text = (
        f"{r['plan_short']}要求{goal}，需年均增长 {fmt.fmt_pct(req)}；"
        f"{int(r['base_year'])}–{int(r['latest_year'])} 年实际年均增长 {fmt.fmt_pct(obs)}，{word}规划要求"
    )
    need = r["required_cagr_from_latest"]
    if int(r["edition"]) >= int(r["target_year"]):
        text += f"（目标年已过，但资料未给出目标年的数值，此判断只反映截至 {int(r['latest_year'])} 年的进度）"
    elif need is not None and not pd.isna(need):
        text += f"，此后每年须增长 {fmt.fmt_pct(need)} 才能如期达标"
    return text


def plan_finding(card: pd.DataFrame, area: str) -> str:
    """One 本章要点 sentence on a chapter's plan targets: how many met, on pace, behind (named)."""
    judged = card[card["status"] != "无数据"] if not card.empty else card
    if judged.empty:
        return f"本版资料尚无可以评估的{area}类规划目标。"
    met = judged[judged["status"] == "已达成"]
    pace = judged[judged["status"].isin(["进度领先", "符合进度"])]
    behind = judged[judged["status"].isin(["落后", "未达成"])]
    text = (
        f"{area}类规划目标中可评估 {len(judged)} 项：已达成 {len(met)} 项，进度领先或符合进度 {len(pace)} 项，"
        f"落后或未达成 {len(behind)} 项"
    )
    if not behind.empty:
        text += "，滞后的是" + "、".join(
            f"{n}（{p}）" for n, p in zip(behind["name_zh"], behind["plan_short"], strict=True)
        )
    return text + "。"


def sources_sentence(ds: Any) -> str:
    """The documents an edition may use, by title, oldest first (what the 数据说明 section lists)."""
    src = ds.sources.sort_values(["edition_year", "published"], kind="stable")
    return "、".join(f"《{t}》" for t in src["title"])


def domain_count(ds: Any, domains: Sequence[str]) -> int:
    """How many indicators of ``domains`` have at least one national figure in the edition."""
    dom = ds.indicators["domain"]
    ids = [i for i in ds.indicators.index if dom.get(i) in domains]
    return sum(ds.latest(i) is not None for i in ids)


# ----------------------------------------------------------------------------------------------------------
# Chapter 04: innovation

#: Indicators shown as China's share of a world total (same unit, so one bar chart).
WORLD_SHARES: tuple[str, ...] = (
    "top500_supercomputer_share",
    "sep_5g_world_share",
    "highly_cited_papers_world_share",
)
#: Innovation outputs and inputs drawn as small multiples.
OUTPUTS: tuple[str, ...] = (
    "domestic_it_invention_patents",
    "pct_applications",
    "high_tech_enterprises",
    "it_investment_share",
    "firms_with_invention_patents",
    "electronics_rd_intensity",
)


def gii_frame(ds: Any) -> pd.DataFrame:
    """GII ranks as a bump-chart frame (one line: 中国)."""
    s = series_of(ds, "gii_rank")
    if s.empty:
        return pd.DataFrame()
    out = s[["year", "value", "source_title", "edition_year"]].copy()
    out["economy"] = "中国"
    out["rank"] = out["value"].astype(int)
    return out.drop(columns="value")


def gii_sentence(ds: Any) -> str:
    """Movement of China's Global Innovation Index rank from the first to the latest year on record."""
    s = series_of(ds, "gii_rank")
    if s.empty:
        return "本版资料尚未给出我国在全球创新指数中的排名"
    last = s.iloc[-1]
    if len(s) == 1:
        return f"{int(last['year'])} 年我国在全球创新指数中位列第 {int(last['value'])} 位（本版资料仅给出这一年的排名）"
    first = s.iloc[0]
    gain = int(first["value"]) - int(last["value"])
    if gain > 0:
        move = f"上升 {gain} 位"
    elif gain < 0:
        move = f"下降 {-gain} 位"
    else:
        move = "名次未变"
    return (
        f"我国在全球创新指数中的排名由 {int(first['year'])} 年的第 {int(first['value'])} 位"
        f"变为 {int(last['year'])} 年的第 {int(last['value'])} 位，{move}"
    )


def world_share_sentence(ds: Any) -> str:
    """The largest world share China holds among :data:`WORLD_SHARES`, with the others for contrast."""
    frame = latest_frame(ds, WORLD_SHARES)
    if frame.empty:
        return "本版资料尚未给出我国数字技术产出占全球份额的数据"
    frame = frame.sort_values("value", ascending=False, kind="stable")
    top = frame.iloc[0]
    text = (
        f"在可比的全球份额指标中，{top['name_zh']}最高，"
        f"{predicate(float(top['value']), _unit(top), _qual(top))}（{int(top['year'])} 年）"
    )
    if len(frame) > 1:
        low = frame.iloc[-1]
        text += (
            f"；最低的是{low['name_zh']}，{predicate(float(low['value']), _unit(low), _qual(low))}"
            f"（{int(low['year'])} 年）"
        )
    return text


def it_pct_note(ds: Any) -> str:
    """Why the two ICT-field PCT figures cannot be joined into a series (different definitions)."""
    s = series_of(ds, "it_pct_applications")
    if s.empty:
        return no_data_sentence(ds, "it_pct_applications")
    parts = [
        f"{int(r['year'])} 年{predicate(float(r['value']), _unit(r), _qual(r))}" for _, r in s.iterrows()
    ]
    text = "信息领域 PCT 国际专利申请量 " + "，".join(parts)
    inc = ds.latest("it_pct_applications_increase_since_2017")
    first, last = s.iloc[0], s.iloc[-1]
    if (
        len(s) > 1
        and inc is not None
        and int(inc["year"]) == int(last["year"])
        and int(first["year"]) <= 2017
    ):
        growth = 1 + float(inc["value"]) / 100
        implied = float(last["value"]) / growth
        unit, q = _unit(last), _qual(last)
        text += (
            f"；报告称 {int(inc['year'])} 年该数较 2017 年提升 {fmt.fmt_number(float(inc['value']), _unit(inc))}，"
            f"按此倒推 2017 年{predicate(round(implied, 2), unit, q)}"
        )
        if implied < 0.8 * float(first["value"]):
            needed = float(first["value"]) * growth
            text += (
                f"；若要与 {int(first['year'])} 年的 {fmt.fmt_number(float(first['value']), unit)}衔接，"
                f"{int(last['year'])} 年应在 {fmt.fmt_number(round(needed, 1), unit)}左右，远高于报告所给的数，"
                "说明两组数字的统计口径很可能不同，不宜连成一条序列"
            )
        else:
            text += f"，与 {int(first['year'])} 年的数值大体衔接"
    return text


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    return {
        "edition": str(ds.edition),
        "gii_rank": value_text(ds, "gii_rank"),
        "pct_applications": value_text(ds, "pct_applications"),
        "domestic_it_invention_patents": value_text(ds, "domestic_it_invention_patents"),
        "high_tech_enterprises": value_text(ds, "high_tech_enterprises"),
        "top500_supercomputer_share": value_text(ds, "top500_supercomputer_share"),
    }


def key_findings(ds: Any, card: pd.DataFrame | None = None) -> list[str]:
    """Four findings for the 本章要点 box, each a complete sentence computed from the edition's data."""
    card = plan_card(ds, DOMAINS) if card is None else card
    findings = [gii_sentence(ds) + "。"]
    patent = first_available(ds, ["pct_applications", "domestic_it_invention_patents", "it_pct_applications"])
    findings.append((trend_sentence(ds, patent) if patent else "本版资料尚未给出专利产出数据") + "。")
    findings.append(world_share_sentence(ds) + "。")
    findings.append(plan_finding(card, "数字技术创新"))
    return findings


def texts(ds: Any) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``innovation_``)."""
    card = plan_card(ds, DOMAINS)
    out: dict[str, str] = {
        "edition": str(ds.edition),
        "sources": sources_sentence(ds),
        "n_indicators": f"{domain_count(ds, DOMAINS)} 项",
        "gii": gii_sentence(ds),
        "gii_latest": value_text(ds, "gii_rank"),
        "pct_trend": trend_sentence(ds, "pct_applications"),
        "pct_top50": latest_sentence(ds, "pct_top50_chinese_applicants"),
        "it_patents_trend": trend_sentence(ds, "domestic_it_invention_patents"),
        "it_patents_growth": latest_sentence(ds, "domestic_it_invention_patents_growth"),
        "it_patents_per_10k": latest_sentence(ds, "it_invention_patents_per_10k"),
        "it_pct_note": it_pct_note(ds),
        "patent_fields": "；".join(
            latest_sentence(ds, i)
            for i in ("invention_patents_it_management_growth", "invention_patents_computer_tech_growth")
        ),
        "sep5g": latest_sentence(ds, "sep_5g_declared") + "，" + latest_sentence(ds, "sep_5g_world_share"),
        "papers": latest_sentence(ds, "highly_cited_papers_world_share")
        + "，"
        + latest_sentence(ds, "computer_science_citation_rank"),
        "top500": latest_sentence(ds, "top500_supercomputer_share"),
        "world_share": world_share_sentence(ds),
        "hte_trend": trend_sentence(ds, "high_tech_enterprises"),
        "hte_rd_share": latest_sentence(ds, "high_tech_enterprises_rd_share"),
        "hte_pace": pace_sentence(
            card, "high_tech_enterprises", "fyp14", name=name_of(ds, "high_tech_enterprises")
        ),
        "it_invest_trend": share_trend_sentence(ds, "it_investment_share"),
        "it_invest_pace13": pace_sentence(
            card, "it_investment_share", "fyp13", name=name_of(ds, "it_investment_share")
        ),
        "it_invest_pace14": pace_sentence(
            card, "it_investment_share", "fyp14", name=name_of(ds, "it_investment_share")
        ),
        "patents_pace13": pace_sentence(
            card, "domestic_it_invention_patents", "fyp13", name=name_of(ds, "domestic_it_invention_patents")
        ),
        "rd_intensity": latest_sentence(ds, "electronics_rd_intensity"),
        "eu_rd": latest_sentence(ds, "eu_rd_scoreboard_chinese_firms")
        + "，"
        + latest_sentence(ds, "eu_rd_scoreboard_chinese_ict_firms"),
        "listed_rd": latest_sentence(ds, "listed_internet_rd_increase_since_2017"),
        "ic_node": latest_sentence(ds, "ic_mass_production_process_node"),
        "ic_equipment": latest_sentence(ds, "ic_high_end_equipment_developed"),
        "ic_layout": trend_sentence(ds, "ic_layout_design_applications"),
        "new_chip_firms": latest_sentence(ds, "new_chip_enterprises"),
        "harmony": latest_sentence(ds, "harmonyos_users"),
        "open_source": latest_sentence(ds, "open_source_adoption_share")
        + "，"
        + latest_sentence(ds, "gitee_code_repositories"),
        "ai_zones": latest_sentence(ds, "ai_pilot_zones"),
        "talent": latest_sentence(ds, "model_software_colleges"),
        "dual_bases": latest_sentence(ds, "dual_innovation_demo_bases"),
        "plan": plan_sentence(card, "数字技术创新"),
    }
    for i, finding in enumerate(key_findings(ds, card), start=1):
        out[f"key_{i}"] = finding
    return out


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    gii = gii_frame(ds)
    if not gii.empty and gii["year"].nunique() >= 2:
        gii_fig: Any = render.figure(
            charts.bump_chart(
                gii,
                title="我国全球创新指数排名",
                takeaway=gii_sentence(ds),
                label="economy",
                highlight=["中国"],
            )
        )
    else:
        gii_fig = Markdown(f"*{gii_sentence(ds)}；不足两个年份，无法绘制排名变化图。*")
    outputs = multi_year_frame(ds, OUTPUTS)
    shares = latest_frame(ds, WORLD_SHARES)
    if not shares.empty:
        shares["item"] = [
            f"{n}（{int(y)} 年）" for n, y in zip(shares["name_zh"], shares["year"], strict=True)
        ]
    card = plan_card(ds, DOMAINS)
    plan = plan_chart_frame(ds, card)
    return {
        "gii": gii_fig,
        "outputs": figure_or_note(
            outputs,
            charts.small_multiples,
            "本版资料没有可绘制的创新产出与投入数据。",
            title="创新产出与投入：专利、企业与投资",
            takeaway=f"本版资料中有两个以上年份数据的 {outputs['indicator_id'].nunique() if not outputs.empty else 0} 项指标，各用独立纵轴",
            columns=2,
        ),
        "shares": figure_or_note(
            shares,
            charts.bar_ranking,
            "本版资料尚未给出我国数字技术产出占全球份额的数据，因此不绘制份额图。",
            title="我国在若干数字技术产出中的全球份额",
            takeaway=world_share_sentence(ds),
            by="item",
        ),
        "plan": figure_or_note(
            plan,
            charts.target_progress,
            "本版资料中没有可评估进度的数字技术创新类规划目标。",
            title="数字技术创新类规划目标进度",
            takeaway=charts.takeaway_targets(plan) if not plan.empty else None,
        ),
    }
