"""Computations behind chapter 11 地区评价 (slug ``regional``).

The provincial evaluations of the yearly reports (``data/regional.csv``) come in a different shape in each
edition — scores of a top ten, three tiers of all 31 provinces, unordered top-ten lists — under index
systems that changed (``data/frameworks.csv``). :mod:`dcbook.regional` turns the rows into tables; this
module turns those tables into the chapter's sentences, tables and charts. Nothing is keyed on a year, a
framework id or a province: the "current" evaluation is the newest one visible to the edition, so a new
year of ``regional.csv`` rows flows through without code changes.

Functions take a ``dcbook.data.Dataset`` duck-typed (``edition``, ``regional``, ``frameworks``,
``provinces``, ``sources``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd
from IPython.display import Markdown

from dcbook import charts, fmt, render
from dcbook import regional as rg

SLUG = "regional"
#: Tile-map category of a printed rank, by the upper bound of its bucket (ranks above 10 fall in the last).
RANK_BUCKETS: tuple[tuple[int, str], ...] = ((3, "第 1–3 名"), (6, "第 4–6 名"), (10, "第 7–10 名"))
BEYOND_TOP = "第 11 名以后"
#: Findings in the 本章要点 box (fixed, so the notebook's markdown can list the glue keys).
N_FINDINGS = 5
#: What the leading provinces did, in this book's own words, per report (shown only when the report is visible
#: to the edition). Interpretation of the reports' narrative passages, not data: no figures here.
NARRATIVES: dict[str, str] = {
    "dcr2017": (
        "2017 年报告对前十省份的描述集中在“规划先行”和“融合应用”：几乎每个领先地区都出台了本地的信息化或智慧城市规划，"
        "北京突出新技术在城市治理和民生服务中的应用，广东、江苏、天津押注智能制造与两化融合，浙江以“最多跑一次”改革带动公共数据共享，"
        "重庆、四川则分别以公共信息资源整合和核心技术产业集聚进入前列"
    ),
    "dcr2020": (
        "2020 年报告按梯队叙述，第一梯队的共同点是创新平台和新型基础设施：北京建设区块链可信基础设施和国家技术创新中心，"
        "上海、湖北布局工业互联网标识解析节点，广东聚焦半导体与集成电路攻关，福建发展卫星互联网并推动大数据立法；"
        "第二、三梯队的做法更多是补基础、找特色，如贵州的国际互联网数据专用通道、宁夏的新型互联网交换中心、西藏的边境宽带覆盖"
    ),
    "dcr2021": (
        "2021 年报告对前十地区的描述从“建设”转向“改革与治理”：浙江全面推进数字化改革和公共数据开发利用，上海推动城市整体数字化转型、"
        "“一网通办”与“一网统管”并进并设立数据交易所，北京提出建设全球数字经济标杆城市，广东、天津、湖北、四川则以芯片、信创和"
        "“光芯屏端网”“芯屏存端软智网”等产业集群为抓手，山东、江苏侧重制造业数字化转型和政务服务提升"
    ),
}


# ----------------------------------------------------------------------------------------------------------
# The evaluations visible to the edition


def evaluations(ds: Any) -> pd.DataFrame:
    """(year, framework, source_id, source_title, edition_year) of every visible evaluation, oldest first."""
    eds = rg.editions(ds)
    src = ds.sources.set_index("source_id")
    eds["source_title"] = [str(src.at[s, "title"]) if s in src.index else s for s in eds["source_id"]]
    eds["edition_year"] = [
        int(src.at[s, "edition_year"]) if s in src.index else None for s in eds["source_id"]
    ]
    return eds


def current(ds: Any) -> pd.Series | None:
    """The newest evaluation visible to the edition (None when the edition has no regional data)."""
    eds = evaluations(ds)
    return None if eds.empty else eds.iloc[-1]


def cell_text(cell: object) -> str:
    """A matrix cell as readers see it: a printed rank becomes "第 N 名"; labels stay as printed."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return f"第 {int(cell)} 名"
    return str(cell)


def cell_category(cell: object) -> str | None:
    """Tile-map category of a matrix cell (rank bucket, tier, 前十, 未进前十); None when unpublished."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        for upper, label in RANK_BUCKETS:
            if int(cell) <= upper:
                return label
        return BEYOND_TOP
    if cell == rg.UNPUBLISHED:
        return None
    return str(cell)


def members(column: pd.Series) -> list[str]:
    """Provinces of an edition-matrix column in the top group: ranks up to ten, 前十, or the best tier."""
    cats = column.map(cell_category)
    tiers = [c for c in cats if isinstance(c, str) and c.endswith("梯队")]
    best = min(tiers, key=rg.tier_order) if tiers else None
    return [
        str(p)
        for p, c in cats.items()
        if c not in (None, rg.NOT_IN_TOP, BEYOND_TOP) and (not str(c).endswith("梯队") or c == best)
    ]


def category_order(categories: Sequence[str]) -> list[str]:
    """Best result first: rank buckets, 前十, tiers in order, ranks beyond ten, 未进前十 last."""
    buckets = [label for _, label in RANK_BUCKETS]

    def key(c: str) -> tuple[int, int]:
        if c in buckets:
            return (0, buckets.index(c))
        if c == rg.LISTED:
            return (1, 0)
        if c.endswith("梯队"):
            return (2, rg.tier_order(c))
        if c == BEYOND_TOP:
            return (3, 0)
        return (4, 0)

    return sorted(dict.fromkeys(categories), key=key)


def _source_cols(ds: Any, source_id: str) -> tuple[str, int | None]:
    src = ds.sources.set_index("source_id")
    if source_id not in src.index:
        return source_id, None
    return str(src.at[source_id, "title"]), int(src.at[source_id, "edition_year"])


def matrix_table(ds: Any) -> pd.DataFrame:
    """The current evaluation's province × dimension matrix for display (省份, 地区, then one column each)."""
    ev = current(ds)
    if ev is None:
        return pd.DataFrame()
    mat = rg.edition_matrix(ds, ev["framework"], int(ev["year"]))
    region = dict(zip(ds.provinces["province"], ds.provinces["region"], strict=False))
    out = mat.map(cell_text)
    out.insert(0, "地区", [region.get(p, "") for p in out.index])
    out = out.reset_index().rename(columns={"province": "省份"})
    # Provinces in more lists first; within that, the provinces.csv order (geographic) is kept.
    listed = (mat != rg.NOT_IN_TOP) & (mat != rg.UNPUBLISHED)
    out["_n"] = listed.sum(axis=1).to_numpy()
    comp = mat[rg.COMPOSITE].map(lambda c: cell_category(c) or "")
    order = category_order([c for c in comp if c])
    out["_c"] = [order.index(c) if c in order else len(order) for c in comp]
    out = out.sort_values(["_c", "_n"], ascending=[True, False], kind="stable")
    return out.drop(columns=["_n", "_c"]).reset_index(drop=True)


def score_table(ds: Any) -> pd.DataFrame:
    """Printed scores of the newest evaluation that has scores, with each dimension's weight in the header."""
    eds = evaluations(ds)
    for _, ev in eds.iloc[::-1].iterrows():
        scores = rg.score_matrix(ds, ev["framework"], int(ev["year"]))
        if scores.empty:
            continue
        fw = ds.frameworks[ds.frameworks["framework"] == ev["framework"]]
        weights = {
            r["dimension"]: float(r["weight"])
            for _, r in fw.iterrows()
            if int(r["level"]) == 1 and pd.notna(r["weight"]) and str(r["weight"]) != ""
        }
        scores = scores.dropna(subset=[rg.COMPOSITE]) if rg.COMPOSITE in scores.columns else scores
        names = {
            d: (f"{d}（权重 {fmt.fmt_number(weights[d], '%')}）" if d in weights else d)
            for d in scores.columns
        }
        names[rg.COMPOSITE] = "总分"
        out = scores.rename(columns=names).map(lambda v: "—" if pd.isna(v) else f"{v:.2f}")
        out.insert(0, "评价年份", int(ev["year"]))
        out.columns.name = None
        return out.reset_index().rename(columns={"province": "省份"})
    return pd.DataFrame()


def tier_summary(ds: Any) -> pd.DataFrame:
    """One row per tier of the newest tiered evaluation: tier, count, provinces in printed order."""
    eds = evaluations(ds)
    for _, ev in eds.iloc[::-1].iterrows():
        try:
            tiers = rg.tier_table(ds, ev["framework"], int(ev["year"]))
        except rg.RegionalError as exc:
            if "no tiers" in str(exc):
                continue
            raise
        rows = [
            {"评价年份": int(ev["year"]), "梯队": t, "省份数": len(g), "省份": "、".join(g["province"])}
            for t, g in tiers.groupby("tier", sort=False)
        ]
        return pd.DataFrame(rows)
    return pd.DataFrame()


# ----------------------------------------------------------------------------------------------------------
# Continuity and regions


def membership_frame(ds: Any) -> pd.DataFrame:
    """Composite result of every province that was ever in a top group, per visible evaluation.

    Columns: province, region, year, cell (rank, tier or list label), in_top, rank, _rank_label,
    source_title, edition_year. Provinces are ordered by how often they made the top group.
    """
    eds = evaluations(ds)
    if eds.empty:
        return pd.DataFrame()
    region = dict(zip(ds.provinces["province"], ds.provinces["region"], strict=False))
    rows = []
    tops: dict[int, list[str]] = {}
    for _, ev in eds.iterrows():
        year = int(ev["year"])
        tops[year] = rg.composite_top(ds, ev["framework"], year)
    ever = list(dict.fromkeys(p for year in sorted(tops) for p in tops[year]))
    for _, ev in eds.iterrows():
        year = int(ev["year"])
        col = rg.edition_matrix(ds, ev["framework"], year)[rg.COMPOSITE]
        for p in ever:
            cell = col.get(p, rg.NOT_IN_TOP)
            is_rank = isinstance(cell, int | float) and not isinstance(cell, bool)
            rows.append(
                {
                    "province": p,
                    "region": region.get(p),
                    "year": year,
                    "cell": cell_text(cell),
                    "in_top": p in tops[year],
                    "rank": int(cell) if is_rank else None,
                    "_rank_label": cell_text(cell),
                    "source_title": ev["source_title"],
                    "edition_year": ev["edition_year"],
                }
            )
    out = pd.DataFrame(rows)
    latest = tops[max(tops)]
    n_top = out.groupby("province")["in_top"].sum()
    first_seen = {p: i for i, p in enumerate(ever)}
    order = sorted(
        ever, key=lambda p: (-int(n_top[p]), latest.index(p) if p in latest else 99, first_seen[p])
    )
    out["_order"] = out["province"].map({p: i for i, p in enumerate(order)})
    out = out.sort_values(["_order", "year"], kind="stable").drop(columns="_order").reset_index(drop=True)
    out["rank"] = out["rank"].astype("Int64")
    return out


def persistent_members(ds: Any) -> list[str]:
    """Provinces in the composite top group of every visible evaluation (in latest printed order)."""
    mv = membership_frame(ds)
    if mv.empty:
        return []
    n_years = mv["year"].nunique()
    counts = mv.groupby("province", sort=False)["in_top"].sum()
    return [p for p, n in counts.items() if int(n) == n_years]


def region_frame(ds: Any) -> pd.DataFrame:
    """Top-group counts by region: the composite of every evaluation, then the current one's dimensions.

    Columns: name_zh (row label "年份 · 维度"), year, dimension, region, value (count), provinces, unit,
    source_title, edition_year.
    """
    eds = evaluations(ds)
    if eds.empty:
        return pd.DataFrame()
    region = dict(zip(ds.provinces["province"], ds.provinces["region"], strict=False))
    rows = []
    last = eds.iloc[-1]
    plan = [(ev, [rg.COMPOSITE]) for _, ev in eds.iterrows()]
    plan.append(
        (last, [d for d in rg.dimensions(ds, last["framework"], int(last["year"])) if d != rg.COMPOSITE])
    )
    for ev, dims in plan:
        year = int(ev["year"])
        pattern = rg.region_pattern(ds, ev["framework"], year)
        mat = rg.edition_matrix(ds, ev["framework"], year)
        for dim in dims:
            if dim not in pattern.index:
                continue  # no list published for this dimension
            top = members(mat[dim])
            for reg in rg.REGIONS:
                names = [p for p in top if region.get(p) == reg]
                rows.append(
                    {
                        "name_zh": f"{year} 年 · {dim}",
                        "year": year,
                        "dimension": dim,
                        "region": reg,
                        "value": int(pattern.at[dim, reg]),
                        "provinces": "、".join(names) if names else "—",
                        "unit": "个",
                        "source_title": ev["source_title"],
                        "edition_year": ev["edition_year"],
                    }
                )
    return pd.DataFrame(rows)


def province_region_table(ds: Any) -> pd.DataFrame:
    """The four regions with their provinces (the grouping the chapter counts by, from provinces.csv)."""
    p = ds.provinces
    rows = []
    for reg in rg.REGIONS:
        names = list(p.loc[p["region"] == reg, "province"])
        rows.append({"地区": reg, "省份数": len(names), "省份": "、".join(names)})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------------------
# Sentences


def _join(names: Sequence[str]) -> str:
    return "、".join(names) if names else "无"


def _top_word(ds: Any, ev: pd.Series) -> str:
    """ "第一梯队" when the evaluation names tiers, else "前十"."""
    comp = ds.regional[
        (ds.regional["framework"] == ev["framework"])
        & (ds.regional["year"].astype(int) == int(ev["year"]))
        & (ds.regional["dimension"] == rg.COMPOSITE)
    ]
    tiers = [t for t in comp["tier"].fillna("") if t]
    if tiers:
        return min(tiers, key=rg.tier_order)
    return "前十"


def current_sentence(ds: Any) -> str:
    """What the current evaluation published, e.g. "2021 年评价给出综合前十和 7 个分项维度的前十名单"."""
    ev = current(ds)
    if ev is None:
        return "本版资料尚未包含各地区的评价结果"
    year = int(ev["year"])
    dims = [d for d in rg.dimensions(ds, ev["framework"], year) if d != rg.COMPOSITE]
    mat = rg.edition_matrix(ds, ev["framework"], year)
    published = [d for d in dims if (mat[d] != rg.UNPUBLISHED).any()]
    comp = mat[rg.COMPOSITE]
    if comp.map(lambda c: isinstance(c, str) and c.endswith("梯队")).any():
        n_tiers = comp[comp.map(lambda c: isinstance(c, str) and c.endswith("梯队"))].nunique()
        head = f"把全部 {len(comp)} 个省份分为 {n_tiers} 个梯队"
    elif comp.map(lambda c: isinstance(c, int | float)).any():
        scored = rg.score_matrix(ds, ev["framework"], year)
        head = f"给出综合排名前 {int(comp.map(lambda c: isinstance(c, int | float)).sum())} 位的名次"
        if not scored.empty:
            head += "和各维度得分"
    else:
        head = f"列出综合前 {int((comp == rg.LISTED).sum())} 位的省份（未标明先后）"
    text = f"{year} 年评价{head}"
    if published:
        text += f"，另有 {len(published)} 个分项维度公布了前十名单（{_join(published)}）"
    missing = [d for d in dims if d not in published]
    if missing:
        text += f"；{_join(missing)} {len(missing)} 个维度只有前列省份的得分，没有单独的名单"
    return text


def order_note(ds: Any) -> str:
    """Whether the current lists are ranked: readers must not read the printed order as a rank."""
    ev = current(ds)
    if ev is None:
        return "本版没有地区评价"
    year = int(ev["year"])
    sub = ds.regional[
        (ds.regional["framework"] == ev["framework"]) & (ds.regional["year"].astype(int) == year)
    ]
    rank = pd.to_numeric(sub["rank"], errors="coerce")
    score = pd.to_numeric(sub["score"], errors="coerce")
    tiered = sub["tier"].fillna("").astype(str) != ""
    lists = sub[(rank.notna() | score.isna()) & ~tiered]  # rows of a top-ten list (score-only rows are not)
    parts = []
    if tiered.any():
        parts.append(f"{year} 年的综合结果是梯队，梯队内部不分先后")
    if lists.empty:
        return "；".join(parts) or f"{year} 年的评价没有名单"
    ranked = pd.to_numeric(lists["rank"], errors="coerce").notna()
    if ranked.all():
        parts.append(f"{year} 年的各份名单都标明了名次，表中给出的是报告印出的排名")
    elif ranked.any():
        parts.append(f"{year} 年的部分名单标明了名次，其余名单只列出入选省份，表中以“前十”标出")
    else:
        parts.append(
            f"{year} 年报告的名单只列出入选省份、没有说明是否按名次排列，因此表中只标“前十”，不给名次；"
            "图表保留报告印出的先后顺序，但不应把它读作排名"
        )
    return "；".join(parts)


def region_sentence(ds: Any) -> str:
    """Regional make-up of the current composite top group, set against each region's size."""
    ev = current(ds)
    if ev is None:
        return "本版没有地区评价，无法比较区域分布"
    year = int(ev["year"])
    pattern = rg.region_pattern(ds, ev["framework"], year)
    if rg.COMPOSITE not in pattern.index:
        return f"{year} 年评价没有公布综合名单"
    row = pattern.loc[rg.COMPOSITE]
    sizes = ds.provinces["region"].value_counts()
    word = _top_word(ds, ev)
    parts = [f"{reg} {int(row[reg])} 个（该地区共 {int(sizes.get(reg, 0))} 个省份）" for reg in rg.REGIONS]
    return f"{year} 年综合{word}的 {int(row['合计'])} 个省份中，" + "，".join(parts)


def east_share_sentence(ds: Any) -> str:
    """East's share of composite top-group seats across all visible evaluations vs its share of provinces."""
    eds = evaluations(ds)
    if eds.empty:
        return "本版没有地区评价"
    seats = east = 0
    per_year = []
    for _, ev in eds.iterrows():
        pattern = rg.region_pattern(ds, ev["framework"], int(ev["year"]))
        if rg.COMPOSITE in pattern.index:
            seats += int(pattern.at[rg.COMPOSITE, "合计"])
            east += int(pattern.at[rg.COMPOSITE, "东部"])
            per_year.append(f"{int(ev['year'])} 年 {int(pattern.at[rg.COMPOSITE, '东部'])} 个")
    n_east = int((ds.provinces["region"] == "东部").sum())
    share_prov = n_east / len(ds.provinces)
    span = fmt.fmt_year_span(int(eds["year"].min()), int(eds["year"].max()))
    if seats == 0:
        return f"{span}的评价没有公布综合名单"
    return (
        f"{span}{'的 ' + str(len(eds)) + ' 期' if len(eds) > 1 else ''}评价中，综合前列共 {seats} 个席位，东部省份占 {east} 个（{fmt.fmt_pct(east / seats)}），"
        f"而东部省份只占全国省份的 {fmt.fmt_pct(share_prov)}"
        + (f"；分期看，东部席位依次为 {'、'.join(per_year)}" if len(per_year) > 1 else "")
    )


def region_short(ds: Any) -> str:
    """Short form of :func:`region_sentence` for a chart subtitle: "综合前十中东部 8 个、中部 1 个…"."""
    ev = current(ds)
    if ev is None:
        return "本版没有地区评价"
    pattern = rg.region_pattern(ds, ev["framework"], int(ev["year"]))
    if rg.COMPOSITE not in pattern.index:
        return "本期评价没有公布综合名单"
    row = pattern.loc[rg.COMPOSITE]
    return f"综合{_top_word(ds, ev)}中" + "、".join(f"{r} {int(row[r])} 个" for r in rg.REGIONS)


def east_short(ds: Any) -> str:
    """Short form of :func:`east_share_sentence` for a chart subtitle."""
    seats = east = 0
    for _, ev in evaluations(ds).iterrows():
        pattern = rg.region_pattern(ds, ev["framework"], int(ev["year"]))
        if rg.COMPOSITE in pattern.index:
            seats += int(pattern.at[rg.COMPOSITE, "合计"])
            east += int(pattern.at[rg.COMPOSITE, "东部"])
    if seats == 0:
        return "本版没有综合名单"
    share = (ds.provinces["region"] == "东部").mean()
    return f"东部省份占综合前列席位的 {fmt.fmt_pct(east / seats)}，占全国省份的 {fmt.fmt_pct(float(share))}"


def west_sentence(ds: Any) -> str:
    """Which western/central/northeast provinces reached the composite top group, in which evaluations."""
    mv = membership_frame(ds)
    if mv.empty:
        return "本版没有地区评价"
    out = mv[mv["in_top"] & (mv["region"] != "东部")]
    if out.empty:
        return "东部以外没有省份进入过综合前列"
    parts = []
    for p, g in out.groupby("province", sort=False):
        years = "、".join(str(y) for y in g["year"])
        parts.append(f"{p}（{g['region'].iloc[0]}，{years} 年）")
    return "东部以外进入过综合前列的只有" + "、".join(parts)


def change_sentences(ds: Any) -> list[str]:
    """One sentence per pair of consecutive evaluations: who stayed, entered and left the top group."""
    ch = rg.top_group_changes(ds)
    eds = evaluations(ds)
    if ch.empty:
        if eds.empty:
            return ["本版没有地区评价"]
        return [f"本版资料只有 {int(eds['year'].iloc[-1])} 年一期地区评价，还无法比较名单的进出"]
    out = []
    for _, r in ch.iterrows():
        text = f"{int(r['year_from'])} 年到 {int(r['year_to'])} 年，综合前列保留 {len(r['stayed'])} 个省份"
        if r["entered"] or r["exited"]:
            text += f"，新进入的是{_join(r['entered'])}，退出的是{_join(r['exited'])}"
        else:
            text += "，名单成员没有变化"
        out.append(text)
    return out


def persistent_sentence(ds: Any) -> str:
    """Provinces in the composite top group in every visible evaluation."""
    eds = evaluations(ds)
    if len(eds) < 2:
        return "本版只有一期评价，谈不上“持续领先”"
    keep = persistent_members(ds)
    years = "、".join(str(int(y)) for y in eds["year"])
    return f"在 {years} 年全部 {len(eds)} 期评价中始终位于综合前列的有 {len(keep)} 个省份：{_join(keep)}"


def score_sentence(ds: Any) -> str:
    """The spread of the newest published composite scores (the only cardinal numbers in the evaluations)."""
    eds = evaluations(ds)
    for _, ev in eds.iloc[::-1].iterrows():
        scores = rg.score_matrix(ds, ev["framework"], int(ev["year"]))
        if scores.empty or rg.COMPOSITE not in scores.columns:
            continue
        comp = scores[rg.COMPOSITE].dropna().sort_values(ascending=False)
        if len(comp) < 2:
            continue
        first, second, last = comp.index[0], comp.index[1], comp.index[-1]
        return (
            f"{int(ev['year'])} 年评价公布了前 {len(comp)} 位的得分：{first}以 {comp.iloc[0]:.2f} 分居首，"
            f"比第二位{second}高 {comp.iloc[0] - comp.iloc[1]:.2f} 分，第 {len(comp)} 位{last}为 "
            f"{comp.iloc[-1]:.2f} 分，首尾相差 {comp.iloc[0] - comp.iloc[-1]:.2f} 分"
        )
    return "本版可见的各期评价都没有公布得分，只有名单或梯队，无法衡量省份之间差距的大小"


def weakest_dimension_sentence(ds: Any) -> str:
    """Among scored evaluations: the dimension where the top ten score lowest relative to its weight."""
    eds = evaluations(ds)
    for _, ev in eds.iloc[::-1].iterrows():
        scores = rg.score_matrix(ds, ev["framework"], int(ev["year"]))
        if scores.empty:
            continue
        fw = ds.frameworks[(ds.frameworks["framework"] == ev["framework"])]
        weights = {
            r["dimension"]: float(r["weight"])
            for _, r in fw.iterrows()
            if int(r["level"]) == 1 and pd.notna(r["weight"]) and str(r["weight"]) != ""
        }
        dims = [d for d in scores.columns if d in weights]
        if not dims:
            continue
        top = scores.dropna(subset=dims)
        ratio = {d: float(top[d].mean()) / weights[d] for d in dims}
        lo, hi = min(ratio, key=ratio.get), max(ratio, key=ratio.get)  # type: ignore[arg-type]
        spread = {d: float(top[d].max() - top[d].min()) for d in dims}
        wide = max(spread, key=spread.get)  # type: ignore[arg-type]
        return (
            f"按 {int(ev['year'])} 年评价中前 {len(top)} 位的平均得分占该维度权重的比例看，{hi}最高"
            f"（{fmt.fmt_pct(ratio[hi])}），{lo}最低（{fmt.fmt_pct(ratio[lo])}）；"
            f"这些省份之间分差最大的维度是{wide}，最高与最低相差 {spread[wide]:.2f} 分"
        )
    return "本版可见的评价没有同时公布得分和权重，无法判断各维度的得分率"


def leaders_outside(ds: Any) -> pd.DataFrame:
    """Dimension top-ten entries of provinces outside the current composite top group."""
    ev = current(ds)
    if ev is None:
        return pd.DataFrame(columns=["province", "region", "dimension", "rank"])
    return rg.dimension_leaders_outside_top(ds, ev["framework"], int(ev["year"]))


def leaders_sentence(ds: Any) -> str:
    """ "n 个不在综合前列的省份进入了分项前十：贵州（数字政府）…"."""
    ev = current(ds)
    if ev is None:
        return "本版没有地区评价"
    out = leaders_outside(ds)
    word = _top_word(ds, ev)
    if out.empty:
        return f"{int(ev['year'])} 年没有综合{word}以外的省份进入分项前十"
    parts = []
    for p, g in out.groupby("province", sort=False):
        dims = "、".join(
            f"{d}第 {int(r)} 名" if pd.notna(r) else d for d, r in zip(g["dimension"], g["rank"], strict=True)
        )
        parts.append(f"{p}（{dims}）")
    return (
        f"{int(ev['year'])} 年有 {out['province'].nunique()} 个不在综合{word}的省份进入了分项前十，"
        f"共 {len(out)} 次：" + "、".join(parts)
    )


def breadth_sentence(ds: Any) -> str:
    """How many of the current lists each province is on: who is on all, who on exactly one."""
    ev = current(ds)
    if ev is None:
        return "本版没有地区评价"
    mat = rg.edition_matrix(ds, ev["framework"], int(ev["year"]))
    lists = [d for d in mat.columns if (mat[d] != rg.UNPUBLISHED).any()]
    n = pd.Series(0, index=mat.index)
    for d in lists:
        n[members(mat[d])] += 1
    full = [p for p, k in n.items() if k == len(lists)]
    none = int((n == 0).sum())
    text = f"{int(ev['year'])} 年公布的 {len(lists)} 份名单（含综合）中，全部入选的有 {len(full)} 个省份"
    if full:
        text += f"（{_join(full)}）"
    text += f"；一份名单都没有进入的省份有 {none} 个"
    return text


def stability_sentence(ds: Any) -> str:
    """Overlap of the composite top groups: members of every list as a share of the newest list."""
    eds = evaluations(ds)
    if len(eds) < 2:
        return "本版只有一期评价，领先集团是否稳定还无从判断"
    keep = persistent_members(ds)
    last = eds.iloc[-1]
    newest = rg.composite_top(ds, last["framework"], int(last["year"]))
    share = len(keep) / len(newest) if newest else 0.0
    return (
        f"最新一期综合前列的 {len(newest)} 个省份中，有 {len(keep)} 个（{fmt.fmt_pct(share)}）"
        f"在全部 {len(eds)} 期评价中都位于前列"
    )


def outsider_dims_sentence(ds: Any) -> str:
    """How many of the current dimension lists include a province outside the composite top group."""
    ev = current(ds)
    if ev is None:
        return "本版没有地区评价"
    mat = rg.edition_matrix(ds, ev["framework"], int(ev["year"]))
    top = set(members(mat[rg.COMPOSITE]))
    dims = [d for d in mat.columns if d != rg.COMPOSITE and (mat[d] != rg.UNPUBLISHED).any()]
    with_out = [d for d in dims if set(members(mat[d])) - top]
    if not dims:
        return f"{int(ev['year'])} 年评价没有公布分项名单"
    return f"{int(ev['year'])} 年公布的 {len(dims)} 份分项名单中，有 {len(with_out)} 份至少包含一个综合前列以外的省份"


def dispersion_sentence(ds: Any) -> str:
    """Seats held by non-eastern provinces: composite list versus the average dimension list."""
    ev = current(ds)
    if ev is None:
        return "本版没有地区评价"
    year = int(ev["year"])
    pattern = rg.region_pattern(ds, ev["framework"], year)
    if rg.COMPOSITE not in pattern.index:
        return f"{year} 年评价没有公布综合名单"
    outside = pattern["合计"] - pattern["东部"]
    dims = [d for d in pattern.index if d != rg.COMPOSITE]
    if not dims:
        return f"{year} 年评价没有公布分项名单"
    avg = float(outside[dims].mean())
    comp = int(outside[rg.COMPOSITE])
    word = "多于" if avg > comp else ("少于" if avg < comp else "等于")
    return (
        f"{year} 年综合名单中东部以外的省份占 {comp} 个席位，{len(dims)} 份分项名单平均占 "
        f"{fmt.fmt_plain(round(avg, 1), 1)} 个，{word}综合名单"
    )


def framework_table(ds: Any) -> pd.DataFrame:
    """The index systems side by side for display: system, level-1 dimension, weight, level-2 items."""
    fc = rg.framework_comparison(ds)
    if fc.empty:
        return pd.DataFrame()
    years = {fw: int(y) for fw, y in zip(*_framework_years(ds), strict=True)}
    fc = fc.assign(_y=fc["framework"].map(years).fillna(9999)).sort_values("_y", kind="stable")
    return pd.DataFrame(
        {
            "指标体系": [f"{years.get(f, '')} 年评价" for f in fc["framework"]],
            "一级指标": fc["dimension"],
            "权重": ["未公布" if pd.isna(w) else fmt.fmt_number(float(w), "%") for w in fc["weight"]],
            "二级指标或重点评估要素": [s or "未公布" for s in fc["indicators"]],
            "同名出现于": [_same_name_text(s, years) for s in fc["same_name_elsewhere"]],
        }
    )


def _framework_years(ds: Any) -> tuple[list[str], list[int]]:
    """First evaluation year of each framework (frameworks without regional rows are left out)."""
    eds = evaluations(ds)
    first = eds.groupby("framework", sort=False)["year"].min()
    return list(first.index), [int(y) for y in first]


def _same_name_text(cell: str, years: dict[str, int]) -> str:
    if not cell:
        return ""
    parts = []
    for item in cell.split("；"):
        fw, _, level = item.partition(":")
        parts.append(f"{years.get(fw, fw)} 年体系{level}")
    return "、".join(parts)


def framework_sentence(ds: Any) -> str:
    """How the index systems visible to the edition differ (count of dimensions, weights, shared names)."""
    fc = rg.framework_comparison(ds)
    fws, _ = _framework_years(ds)
    fws = [f for f in fws if f in set(fc["framework"])]
    if not fws:
        return "本版资料没有记载评价指标体系"
    yr = dict(zip(*_framework_years(ds), strict=True))

    def describe(fw: str) -> str:
        rows = fc[fc["framework"] == fw]
        n2 = int(rows["n_indicators"].sum())
        w = rows["weight"].dropna()
        text = f"{yr[fw]} 年体系有 {len(rows)} 个一级指标"
        text += f"、{n2} 项二级指标或评估要素" if n2 else "，二级指标未公布"
        if len(w):
            top = rows.loc[rows["weight"].idxmax()]
            text += f"，权重最高的是{top['dimension']}（{fmt.fmt_number(float(top['weight']), '%')}）"
        else:
            text += "，没有公布权重"
        return text

    text = "；".join(describe(f) for f in fws)
    if len(fws) >= 2:
        a, b = fws[0], fws[-1]
        da = set(fc.loc[fc["framework"] == a, "dimension"])
        db = set(fc.loc[fc["framework"] == b, "dimension"])
        shared = sorted(da & db)
        text += f"。{yr[a]} 年与 {yr[b]} 年两套体系的一级指标中，名称相同的只有 {len(shared)} 个（{_join(shared)}）"
        fw_b = ds.frameworks[(ds.frameworks["framework"] == b) & (ds.frameworks["level"].astype(int) == 2)]
        moved = sorted(da & set(fw_b["indicator_zh"].dropna()))
        added = [d for d in fc.loc[fc["framework"] == b, "dimension"] if d not in da]
        dropped = [d for d in fc.loc[fc["framework"] == a, "dimension"] if d not in db]
        if added:
            text += f"；{yr[b]} 年体系新出现的一级指标是{_join(added)}，不再单列的是{_join(dropped)}"
        if moved:
            text += f"，而{_join(moved)}从 {yr[a]} 年的一级指标变成了 {yr[b]} 年的二级指标"
    return text


def narrative_sentence(ds: Any) -> str:
    """The reports' own account of what leading provinces did, for the reports visible to the edition."""
    eds = evaluations(ds)
    known = [NARRATIVES[s] for s in eds["source_id"].iloc[::-1] if s in NARRATIVES]
    unknown = [s for s in eds["source_id"] if s not in NARRATIVES]
    if not known:
        return "本版资料中的评价还没有被本书解读"
    text = "。".join(known)
    if unknown:
        text += f"。{_join([_source_cols(ds, s)[0] for s in unknown])}对领先地区做法的叙述尚未纳入本章的解读"
    return text


def key_findings(ds: Any) -> list[str]:
    """Exactly :data:`N_FINDINGS` findings for the 本章要点 box, computed from the edition's regional data."""
    findings = [region_sentence(ds), east_share_sentence(ds)]
    if len(evaluations(ds)) >= 2:
        findings += [change_sentences(ds)[-1], persistent_sentence(ds)]
    else:
        findings += [score_sentence(ds), breadth_sentence(ds)]
    findings.append(leaders_sentence(ds).split("：")[0])
    return [f + "。" for f in findings]


def headline(ds: Any) -> dict[str, str]:
    """The chapter's headline figures (printed in the NBVAL_CHECK_OUTPUT cell)."""
    ev = current(ds)
    if ev is None:
        return {"edition": str(ds.edition), "evaluation": "无"}
    year = int(ev["year"])
    pattern = rg.region_pattern(ds, ev["framework"], year)
    comp = pattern.loc[rg.COMPOSITE] if rg.COMPOSITE in pattern.index else None
    return {
        "edition": str(ds.edition),
        "evaluation": f"{year} {ev['framework']}",
        "composite_top": "、".join(rg.composite_top(ds, ev["framework"], year)),
        "top_by_region": "无"
        if comp is None
        else " ".join(f"{r}{int(comp[r])}" for r in [*rg.REGIONS, "合计"]),
        "dimensions": str(len(rg.dimensions(ds, ev["framework"], year)) - 1),
        "leaders_outside_top": str(len(leaders_outside(ds))),
    }


def texts(ds: Any) -> dict[str, str]:
    """Every string the chapter glues, keyed without the chapter prefix (the notebook adds ``regional_``)."""
    eds = evaluations(ds)
    ev = current(ds)
    changes = change_sentences(ds)
    out: dict[str, str] = {
        "edition": str(ds.edition),
        "n_evaluations": f"{len(eds)} 期",
        "years": "、".join(f"{int(y)} 年" for y in eds["year"]) if not eds.empty else "无",
        "latest_year": f"{int(ev['year'])} 年" if ev is not None else "无",
        "top_word": _top_word(ds, ev) if ev is not None else "前十",
        "current": current_sentence(ds),
        "order_note": order_note(ds),
        "region": region_sentence(ds),
        "east_share": east_share_sentence(ds),
        "west": west_sentence(ds),
        "changes": "；".join(changes),
        "persistent": persistent_sentence(ds),
        "scores": score_sentence(ds),
        "weakest": weakest_dimension_sentence(ds),
        "stability": stability_sentence(ds),
        "outsider_dims": outsider_dims_sentence(ds),
        "dispersion": dispersion_sentence(ds),
        "leaders": leaders_sentence(ds),
        "breadth": breadth_sentence(ds),
        "frameworks": framework_sentence(ds),
        "narrative": narrative_sentence(ds),
        "n_provinces": f"{len(ds.provinces)} 个",
    }
    for i, finding in enumerate(key_findings(ds), start=1):
        out[f"key_{i}"] = finding
    return out


# ----------------------------------------------------------------------------------------------------------
# Charts


def tile_frame(ds: Any, dimension: str = rg.COMPOSITE) -> pd.DataFrame:
    """All provinces with tile position and the current evaluation's result in ``dimension`` (None if none)."""
    ev = current(ds)
    p = ds.provinces.rename(columns={"tile_col": "col", "tile_row": "row"})
    df = p[["province", "name_full", "region", "col", "row"]].copy().reset_index(drop=True)
    if ev is None:
        df["result"] = None
        return df
    mat = rg.edition_matrix(ds, ev["framework"], int(ev["year"]))
    df["result"] = [cell_category(mat.at[x, dimension]) for x in df["province"]]
    df["cell"] = [cell_text(mat.at[x, dimension]) for x in df["province"]]
    df["dimension"] = dimension
    df["year"] = int(ev["year"])
    df["source_title"] = ev["source_title"]
    df["edition_year"] = ev["edition_year"]
    return df


def _recolor(chart: alt.LayerChart, cats: Sequence[str], category: str = "result") -> alt.LayerChart:
    """Spread the house ramp over the categories so the last (未进前十) is light, and fix label contrast.

    ``charts.tile_map`` takes the first n colours of the ramp, which for two categories gives two dark blues;
    a generic fix belongs in ``charts.tile_map`` (reported to the lead).
    """
    ramp = list(charts.CATEGORY_RAMP[:4])
    n = len(cats)
    colors = [ramp[round(i * (len(ramp) - 1) / (n - 1))] for i in range(n)] if n > 1 else ramp[:1]
    chart.layer[0].encoding.color["condition"]["scale"]["range"] = colors
    dark = {c: col in charts.CATEGORY_RAMP[:2] for c, col in zip(cats, colors, strict=True)}
    chart.data["_dark"] = chart.data[category].map(dark).fillna(False).astype(bool)
    return chart


def tile_figure(ds: Any) -> Any:
    """Tile map of the current composite result (rank bucket, tier or list membership)."""
    ev = current(ds)
    if ev is None:
        return Markdown("*本版资料尚未包含各地区的评价结果，不绘制地图。*")
    df = tile_frame(ds)
    cats = category_order([c for c in df["result"].dropna()])
    chart = charts.tile_map(
        df,
        title=f"{int(ev['year'])} 年各省份综合评价结果",
        takeaway=region_short(ds),
        category="result",
        category_order=cats,
    )
    return render.figure(_recolor(chart, cats))


def dimension_frames(ds: Any) -> dict[str, pd.DataFrame]:
    """Tile frames of the current evaluation's dimensions that published a list (composite excluded)."""
    ev = current(ds)
    if ev is None:
        return {}
    out = {}
    for dim in rg.dimensions(ds, ev["framework"], int(ev["year"])):
        if dim == rg.COMPOSITE:
            continue
        df = tile_frame(ds, dim)
        if df["result"].notna().any():
            out[dim] = df
    return out


def tile_multiples(
    frames: dict[str, pd.DataFrame],
    *,
    title: str,
    takeaway: str | None = None,
    columns: int = 3,
    cell: int = 25,
) -> alt.ConcatChart:
    """Small multiples of the province tile grid, one per dimension, sharing one colour legend.

    A generic helper (``charts.tile_map`` has no facet option); each panel is a ``charts.tile_map`` shrunk to
    ``cell`` px tiles with smaller names.
    """
    if not frames:
        raise ValueError("tile_multiples: no dimension has a published list")
    cats = category_order([c for df in frames.values() for c in df["result"].dropna()])
    panels = []
    for dim, df in frames.items():
        sub = _recolor(charts.tile_map(df, title=dim, category="result", category_order=cats), cats)
        names = sub.layer[1].copy(deep=True)
        names.mark = alt.MarkDef(type="text", fontSize=8, baseline="middle")
        sub.layer = [sub.layer[0], names]
        ncols, nrows = int(df["col"].max()) + 1, int(df["row"].max()) + 1
        sub = sub.properties(width=cell * ncols, height=cell * nrows, title=alt.Title(dim, fontSize=13))
        sub.config = alt.Undefined
        sub.usermeta = alt.Undefined
        panels.append(sub)
    alt_text = (
        f"省份方格小多图：{len(frames)} 个分项维度各一幅，每幅 {len(next(iter(frames.values())))} 个省份按大致地理位置排列，"
        "颜色表示该维度的评价结果。" + (takeaway or "")
    )
    chart = alt.concat(*panels, columns=columns, spacing=12).properties(
        title=alt.Title(title, subtitle=[takeaway] if takeaway else alt.Undefined),
        usermeta={"dcbook": {"kind": "tile_multiples", "alt": alt_text, "takeaway": takeaway or ""}},
    )
    return charts.styled(chart)


def multiples_figure(ds: Any) -> Any:
    """The dimension small multiples as a rendered figure (or a note when no dimension list exists)."""
    ev = current(ds)
    frames = dimension_frames(ds)
    if ev is None or not frames:
        return Markdown("*本版评价没有公布分项维度的名单，不绘制分项地图。*")
    long = pd.concat(frames.values(), ignore_index=True)
    data = pd.DataFrame(
        {
            "name_zh": long["dimension"],
            "province": long["province"],
            "year": long["year"],
            "result": long["cell"],
            "_label": long["cell"],
            "source_title": long["source_title"],
            "edition_year": long["edition_year"],
        }
    )
    data["_source"] = [
        charts.source_label(t, e) for t, e in zip(data["source_title"], data["edition_year"], strict=True)
    ]
    data = data[data["result"] != rg.NOT_IN_TOP].reset_index(drop=True)
    chart = tile_multiples(
        frames, title=f"{int(ev['year'])} 年各分项维度的入选省份", takeaway=breadth_sentence(ds)
    )
    return render.figure(chart, data=data, source_line=charts.source_line(data))


def membership_chart(frame: pd.DataFrame, *, title: str, takeaway: str | None = None) -> alt.LayerChart:
    """Composite membership across evaluations: one row per province, one column per evaluation year.

    Used instead of ``charts.bump_chart`` when some evaluations print no ranks (an unordered top ten or a
    tier cannot be drawn as a rank line). Filled cells are in the top group; the label is the printed result.
    """
    need = ["province", "year", "_rank_label", "in_top"]
    missing = [c for c in need if c not in frame.columns]
    if missing or frame.empty:
        raise ValueError(f"membership_chart: input lacks {missing} or is empty")
    df = frame.copy().reset_index(drop=True)
    df["_status"] = df["in_top"].map({True: "位于综合前列", False: "未在综合前列"})
    if "source_title" in df.columns:
        df["_source"] = [
            charts.source_label(t, e) for t, e in zip(df["source_title"], df["edition_year"], strict=True)
        ]
    order = list(dict.fromkeys(df["province"]))
    years = sorted(df["year"].unique())
    y = alt.Y(
        "province:N", sort=order, title=None, axis=alt.Axis(ticks=False, domain=False, labelFontSize=12)
    )
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, orient="top", ticks=False, domain=False))
    color = alt.Color(
        "_status:N",
        title=None,
        scale=alt.Scale(domain=["位于综合前列", "未在综合前列"], range=[charts.CATEGORY_RAMP[1], "#EEEEEE"]),
        legend=alt.Legend(orient="bottom"),
    )
    tips = [
        alt.Tooltip("province:N", title="省份"),
        alt.Tooltip("year:O", title="评价年份"),
        alt.Tooltip("_rank_label:N", title="综合结果"),
    ]
    if "_source" in df.columns:
        tips.append(alt.Tooltip("_source:N", title="来源"))
    cells = alt.Chart().mark_rect(stroke="white", strokeWidth=2).encode(x=x, y=y, color=color, tooltip=tips)
    labels = (
        alt.Chart()
        .mark_text(fontSize=11, baseline="middle")
        .encode(
            x=x,
            y=y,
            text="_rank_label:N",
            color=alt.condition("datum.in_top", alt.value("white"), alt.value("#333333")),
            tooltip=tips,
        )
    )
    alt_text = (
        f"名单变化图：{len(order)} 个曾进入综合前列的省份（每行一个）在 {'、'.join(str(v) for v in years)} 年评价中的结果，"
        "深色格表示位于综合前列。" + (takeaway or "")
    )
    df["_exact"] = True
    chart = alt.layer(cells, labels, data=df).properties(
        width=min(charts.WIDTH - 160, 130 * len(years)),
        height=22 * len(order),
        title=alt.Title(title, subtitle=[takeaway] if takeaway else alt.Undefined),
        usermeta={"dcbook": {"kind": "membership", "alt": alt_text, "takeaway": takeaway or ""}},
    )
    return charts.styled(chart)


def movement_figure(ds: Any) -> Any:
    """Rank movement across evaluations: a bump chart when every top-group entry has a rank, else membership."""
    mv = membership_frame(ds)
    if mv.empty or mv["year"].nunique() < 2:
        eds = evaluations(ds)
        year = f"{int(eds['year'].iloc[-1])} 年" if not eds.empty else "任何一年"
        return Markdown(f"*本版资料只有{year}一期地区评价，无法绘制跨期变化图。*")
    takeaway = change_sentences(ds)[-1]
    top = mv[mv["in_top"]]
    if top["rank"].notna().all():
        ranked = top.rename(columns={"rank": "rank_"}).assign(rank=top["rank"].astype(int))
        return render.figure(
            charts.bump_chart(
                ranked.drop(columns="rank_"),
                title="各期评价综合排名的变化",
                takeaway=takeaway,
                label="province",
            )
        )
    return render.figure(membership_chart(mv, title="各期评价中位于综合前列的省份", takeaway=takeaway))


def region_chart(frame: pd.DataFrame, *, title: str, takeaway: str | None = None) -> alt.LayerChart:
    """Stacked bars: how many top-group provinces each region has, one bar per evaluation and dimension."""
    need = ["name_zh", "region", "value", "provinces"]
    missing = [c for c in need if c not in frame.columns]
    if missing or frame.empty:
        raise ValueError(f"region_chart: input lacks {missing} or is empty")
    df = frame.copy().reset_index(drop=True)
    df["_label"] = [f"{int(v)} 个" for v in df["value"]]
    if "source_title" in df.columns:
        df["_source"] = [
            charts.source_label(t, e) for t, e in zip(df["source_title"], df["edition_year"], strict=True)
        ]
    rows = list(dict.fromkeys(df["name_zh"]))
    regions = [r for r in rg.REGIONS if r in set(df["region"])]
    df["_order"] = df["region"].map({r: i for i, r in enumerate(regions)})
    y = alt.Y("name_zh:N", sort=rows, title=None, axis=alt.Axis(labelLimit=240, ticks=False, domain=False))
    x = alt.X("value:Q", title="入选省份数（个）", stack="zero", axis=alt.Axis(format="d", tickMinStep=1))
    color = alt.Color(
        "region:N",
        title=None,
        sort=regions,
        scale=alt.Scale(domain=regions, range=list(charts.PALETTE[: len(regions)])),
        legend=alt.Legend(orient="top"),
    )
    tips = [
        alt.Tooltip("name_zh:N", title="评价"),
        alt.Tooltip("region:N", title="地区"),
        alt.Tooltip("_label:N", title="入选数"),
        alt.Tooltip("provinces:N", title="省份"),
    ]
    if "_source" in df.columns:
        tips.append(alt.Tooltip("_source:N", title="来源"))
    bars = (
        alt.Chart()
        .mark_bar(height={"band": 0.7}, stroke="white", strokeWidth=0.5)
        .encode(x=x, y=y, color=color, order=alt.Order("_order:Q"), tooltip=tips)
    )
    alt_text = f"堆积条形图：{len(rows)} 份名单（每行一份）中东部、中部、西部、东北各有几个省份入选。" + (
        takeaway or ""
    )
    df["_exact"] = True
    chart = alt.layer(bars, data=df).properties(
        width=charts.WIDTH - 260,
        height=max(120, 26 * len(rows)),
        title=alt.Title(title, subtitle=[takeaway] if takeaway else alt.Undefined),
        usermeta={"dcbook": {"kind": "region_bars", "alt": alt_text, "takeaway": takeaway or ""}},
    )
    return charts.styled(chart)


def region_figure(ds: Any) -> Any:
    """The regional pattern of every visible composite list and the current evaluation's dimension lists."""
    frame = region_frame(ds)
    if frame.empty:
        return Markdown("*本版资料尚未包含各地区的评价结果，不绘制地区分布图。*")
    return render.figure(
        region_chart(frame, title="入选省份的地区分布：东部、中部、西部与东北", takeaway=east_short(ds))
    )


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's charts (or notes where the edition lacks the data), keyed by section."""
    return {
        "tiles": tile_figure(ds),
        "multiples": multiples_figure(ds),
        "movement": movement_figure(ds),
        "regions": region_figure(ds),
    }


def styled_table(df: pd.DataFrame, note: str) -> Any:
    """A data table for the page (HTML-escaped, no index), or a note when there is nothing to show."""
    if df.empty:
        return Markdown(f"*{fmt.md_text(note)}*")
    return df.style.hide(axis="index").format(escape="html")


def tables(ds: Any) -> dict[str, Any]:
    """The chapter's tables, displayed as escaped HTML (cells come from the data files)."""
    return {
        "matrix": styled_table(matrix_table(ds), "本版资料尚未包含各地区的评价结果。"),
        "scores": styled_table(score_table(ds), "本版可见的评价都没有公布得分。"),
        "tiers": styled_table(tier_summary(ds), "本版可见的评价都没有划分梯队。"),
        "frameworks": styled_table(framework_table(ds), "本版资料没有记载评价指标体系。"),
        "provinces": styled_table(province_region_table(ds), "provinces.csv 为空。"),
    }


__all__ = ["SLUG", "figures", "headline", "key_findings", "tables", "texts"]
