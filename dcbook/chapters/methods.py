"""Chapter 13 (方法与数据): the searchable indicator catalogue, unit and qualifier tables, conflicts, downloads,
and the detailed 本版更新 section (the comparison itself is :mod:`dcbook.changes`, shared with 01 总览).

The catalogue is rendered as plain escaped HTML plus a small local filter script
(book/_static/dcbook-table-filter.js), so the book stays offline and no source string can inject markup.
"""

from __future__ import annotations

import html
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd

from dcbook import charts, fmt, units
from dcbook.changes import changes_texts

SLUG = "methods"

#: Qualifier meanings shown to readers (contract value → explanation).
QUALIFIER_NOTES: dict[str, str] = {
    "exact": "原文给出的确切数值",
    "lower_bound": "原文写作“超过”“逾”“以上”等，数值是下限；图中以空心点或浅色虚线柱表示",
    "approx": "原文写作“约”“近”“左右”等，数值是约数；图中以空心点或浅色虚线柱表示",
    "upper_bound": "原文写作“不到”“以内”等，数值是上限；图中以空心点或浅色虚线柱表示",
}

#: Dataset files readers can download from the repository's data/ folder, with what each holds.
DATA_FILES: dict[str, str] = {
    "sources.csv": "来源文件清单（来源编号、标题、发布机构、发布时间、版本年份）",
    "indicators.csv": "指标目录（编号、中英文名称、领域、单位、定义、别名）",
    "observations/": "观测值，每个来源一个 CSV（数值、单位、限定词、行号、原文引文）",
    "targets.csv": "规划目标（基期值、目标值、目标年份）",
    "regional.csv": "地区评价结果",
    "milestones.csv": "有日期的里程碑事件（战略、规划、法律等）",
    "frameworks.csv": "评价指标体系",
    "provinces.csv": "省级行政区名称与代码",
    "references.bib": "来源文件的 BibTeX 条目，引用键即来源编号",
    "datapackage.json": "Frictionless Data Package 描述文件：列出以上全部表格及其字段",
}


def catalogue_frame(ds: Any) -> pd.DataFrame:
    """Every catalogue indicator with its number of observations in the edition (0 when unused)."""
    ind = ds.indicators
    counts = ds.observations.groupby("indicator_id").size()
    ids = [str(i) for i in ind.index]
    return pd.DataFrame(
        {
            "indicator_id": ids,
            "name_zh": ind["name_zh"].fillna("").astype(str).to_list(),
            "domain": ind["domain"].fillna("").astype(str).to_list(),
            "unit": ind["unit"].fillna("").astype(str).to_list(),
            "definition_zh": ind["definition_zh"].fillna("").astype(str).to_list(),
            "n_obs": [int(counts.get(i, 0)) for i in ids],
        }
    ).sort_values(["domain", "indicator_id"], ignore_index=True)


_CATALOGUE_HEADERS = ("指标编号", "指标名称", "领域", "单位", "定义", "观测值条数")


def catalogue_html(frame: pd.DataFrame, table_id: str = "dcbook-catalogue") -> str:
    """The catalogue as an escaped HTML table with a filter box (wired by dcbook-table-filter.js)."""
    tid = html.escape(table_id, quote=True)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in _CATALOGUE_HEADERS)
    rows = []
    for r in frame.itertuples(index=False):
        cells = (r.indicator_id, r.name_zh, r.domain, r.unit, r.definition_zh, str(r.n_obs))
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return (
        f'<div class="dcbook-filter-table">'
        f'<label>筛选指标：<input type="search" class="dcbook-table-filter" data-table="{tid}" '
        f'placeholder="输入编号、名称、领域或定义中的词" aria-label="筛选指标目录"></label>'
        f' <span class="dcbook-filter-count" data-table="{tid}"></span>'
        f'<table id="{tid}" class="table"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div>"
    )


def units_frame() -> pd.DataFrame:
    """The unit conversion table of dcbook.units: scale prefixes, then base units by family."""
    rows = [{"类别": "数量级前缀", "单位": p, "换算": f"× {v:,.0f}"} for p, v in units.SCALES.items()]
    multi = [(b, fam, f) for b, (fam, f) in units.BASES.items() if b != fam or f != 1.0]
    rows += [{"类别": f"{fam}类", "单位": b, "换算": f"1 {b} = {f:g} {fam}"} for b, fam, f in sorted(multi)]
    return pd.DataFrame(rows, columns=["类别", "单位", "换算"])


def qualifier_frame(ds: Any) -> pd.DataFrame:
    """Qualifier words, their meaning and how many observations of the edition carry each."""
    counts = ds.observations["qualifier"].value_counts()
    return pd.DataFrame(
        {
            "限定词（数据字段）": list(QUALIFIER_NOTES),
            "书中写法": [fmt.qualifier_word(q) or "（不加词）" for q in QUALIFIER_NOTES],
            "含义": list(QUALIFIER_NOTES.values()),
            "观测值条数": [int(counts.get(q, 0)) for q in QUALIFIER_NOTES],
        }
    )


def _values_text(values: Any, sources: Any) -> str:
    """Values with their sources, "29（dcr2021）；29.16（dcr2017）"."""
    return "；".join(f"{fmt.fmt_plain(float(v))}（{s}）" for v, s in zip(values, sources, strict=False))


def conflicts_table(ds: Any) -> pd.DataFrame:
    """ds.conflicts() for readers: largest relative difference first."""
    c = ds.conflicts()
    cols = ["指标", "地区", "年份", "单位", "各来源数值", "采用来源", "相对差异"]
    if c.empty:
        return pd.DataFrame(columns=cols)
    c = c.sort_values(["rel_diff", "indicator_id"], ascending=[False, True])
    return pd.DataFrame(
        {
            "指标": c["name_zh"].astype(str),
            "地区": c["region"].astype(str),
            "年份": c["year"].astype(int).astype(str),
            "单位": c["unit"].fillna("").astype(str),
            "各来源数值": [_values_text(v, s) for v, s in zip(c["values"], c["source_ids"], strict=True)],
            "采用来源": c["winner_source_id"].astype(str),
            "相对差异": [fmt.fmt_pct(float(x)) for x in c["rel_diff"]],
        }
    )


def downloads_frame(data_dir: Path) -> pd.DataFrame:
    """Dataset files present in ``data_dir`` that readers can download, with what each holds."""
    rows = [
        {"文件": f"data/{name}", "内容": what}
        for name, what in DATA_FILES.items()
        if (Path(data_dir) / name.rstrip("/")).exists()
    ]
    return pd.DataFrame(rows, columns=["文件", "内容"])


def findings(ds: Any) -> list[str]:
    """3–4 computed sentences for the key-points box."""
    obs = ds.observations
    n_qual = int((obs["qualifier"] != "exact").sum())
    c = ds.conflicts()
    used = int(obs["indicator_id"].nunique())
    out = [
        f"本版 {len(obs):,} 条观测值全部附有原文引文和行号，覆盖指标目录 {len(ds.indicators)} 个指标中的 {used} 个。",
        f"其中 {n_qual} 条（{fmt.fmt_pct(n_qual / len(obs)) if len(obs) else '0%'}）带有“超过”“约”等限定词，"
        "书中保留限定词，不把它们当作精确值。",
    ]
    if c.empty:
        out.append("本版各来源之间没有数值冲突。")
    else:
        top = c.sort_values("rel_diff", ascending=False).iloc[0]
        out.append(
            f"不同来源对同一数字说法不一的共 {len(c)} 组，差异最大的是{top['name_zh']}"
            f"（{int(top['year'])} 年，相对差异 {fmt.fmt_pct(float(top['rel_diff']))}）。"
        )
    return out


def conflict_note(ds: Any) -> str:
    """Which pair of sources disagrees most often (a sentence), or that the edition has no conflict."""
    c = ds.conflicts()
    if c.empty:
        return "本版资料之间没有这样的冲突，下表为空。"
    titles = dict(zip(ds.sources["source_id"], ds.sources["title"], strict=True))
    pairs = pd.Series(
        [" ".join(p) for ids in c["source_ids"] for p in combinations(sorted(set(map(str, ids))), 2)]
    ).value_counts()
    a, b = pairs.index[0].split(" ")
    return (
        f"其中 {int(pairs.iloc[0])} 组是《{titles.get(a, a)}》与《{titles.get(b, b)}》之间的分歧，"
        "提醒读者：名称相同的指标，不同机构的统计范围未必相同。"
    )


def editions_list(ds: Any) -> str:
    """The editions up to and including this one (all sources' edition years), the current one marked.

    ``ds.sources`` holds only what this edition can see, so it is not the list of editions. Later editions
    are left out on purpose: a cited page of an older edition must not change when a new report is added
    (issue #9); readers find newer editions in the header's edition switcher, which lives outside the page.
    """
    from dcbook.data import available_editions

    years = [y for y in available_editions(getattr(ds, "data_dir", None)) if y <= int(ds.edition)]
    return "、".join(f"{y} 年版（本版）" if y == int(ds.edition) else f"{y} 年版" for y in years)


def texts(ds: Any, changes: dict[str, pd.DataFrame] | None = None, prev: int | None = None) -> dict[str, str]:
    """Every glued string of the chapter, keyed without the slug prefix.

    ``changes``/``prev`` come from :func:`dcbook.changes.for_edition`; without them the 本版更新 texts
    say the edition has no previous one.
    """
    obs = ds.observations
    c = ds.conflicts()
    counts = obs["qualifier"].value_counts()
    out = {
        "edition": str(ds.edition),
        "n_sources": f"{len(ds.sources)} 份",
        "n_indicators": f"{obs['indicator_id'].nunique()} 个",
        "n_catalogue": f"{len(ds.indicators)} 个",
        "n_observations": f"{len(obs):,} 条",
        "n_conflicts": f"{len(c)} 组",
        "n_lower": f"{int(counts.get('lower_bound', 0))} 条",
        "n_approx": f"{int(counts.get('approx', 0))} 条",
        "n_upper": f"{int(counts.get('upper_bound', 0))} 条",
        "n_unused": f"{int((catalogue_frame(ds)['n_obs'] == 0).sum())} 个",
        "n_scales": f"{len(units.SCALES)} 个",
        "conflict_note": conflict_note(ds),
        "coverage_note": coverage_note(ds),
        "editions_list": editions_list(ds),
    }
    for i, sentence in enumerate(findings(ds), start=1):
        out[f"key_{i}"] = sentence
    out.update(changes_texts(changes, ds, prev))
    return out


def headline(ds: Any) -> dict[str, str]:
    """Stable figures printed by the notebook's NBVAL_CHECK_OUTPUT cell."""
    obs = ds.observations
    return {
        "edition": str(ds.edition),
        "sources": str(len(ds.sources)),
        "indicators": str(obs["indicator_id"].nunique()),
        "observations": str(len(obs)),
        "qualified": str(int((obs["qualifier"] != "exact").sum())),
        "conflicts": str(len(ds.conflicts())),
    }


def coverage_frame(ds: Any) -> pd.DataFrame:
    """Observations per domain in the edition (one bar each), as a bar_ranking frame; source = the sources used."""
    from dcbook.chapters.overview import DOMAIN_ZH

    obs = ds.observations
    if obs.empty:
        return pd.DataFrame(columns=["item", "value", "unit", "qualifier", "source_title", "edition_year"])
    counts = obs.groupby("domain").size().sort_values(ascending=False)
    return pd.DataFrame(
        {
            "item": [DOMAIN_ZH.get(str(d), str(d)) for d in counts.index],
            "value": counts.to_numpy(dtype=float),
            "unit": "条",
            "qualifier": "exact",
            "source_title": f"本书数据集（{len(ds.sources)} 份来源文件）",
            "edition_year": ds.edition,
        }
    )


def coverage_note(ds: Any) -> str:
    """Which domains hold the most and the fewest observations, and the share of the largest (a sentence)."""
    frame = coverage_frame(ds)
    if frame.empty:
        return "本版资料中没有观测值。"
    top, low = frame.iloc[0], frame.iloc[-1]
    share = fmt.fmt_pct(float(top["value"]) / float(frame["value"].sum()))
    return (
        f"观测值最多的领域是{top['item']}（{int(top['value'])} 条，占 {share}），"
        f"最少的是{low['item']}（{int(low['value'])} 条）"
    )


def figures(ds: Any) -> dict[str, Any]:
    """The chapter's one chart: how the edition's observations spread over the domains."""
    from dcbook.chapters.common import figure_or_note

    frame = coverage_frame(ds)
    top = frame.iloc[0] if not frame.empty else None
    return {
        "coverage": figure_or_note(
            frame,
            charts.bar_ranking,
            "本版资料中没有观测值。",
            title="各领域的观测值条数",
            takeaway=(f"{top['item']}最多，共 {int(top['value'])} 条" if top is not None else None),
            by="item",
        )
    }
