"""Chapter 0 (导读): edition facts, the sources table and the headline panel with sparklines.

Reuses the overview chapter's headline panel and the plan scorecard so the introduction never states a
figure that differs from the chapters it points to.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcbook import charts, targets
from dcbook.chapters import common, overview

SLUG = "intro"

#: Source kinds in reader's words (sources.csv ``kind``).
KIND_ZH: dict[str, str] = {
    "yearly_report": "年度发展报告",
    "plan": "规划",
    "plan_interpretation": "规划解读",
    "interpretation": "规划解读",
}


def sources_table(ds: Any) -> pd.DataFrame:
    """The edition's sources with their observation counts, oldest first, Chinese headers."""
    src = ds.sources.sort_values(["edition_year", "published", "source_id"])
    counts = ds.observations.groupby("source_id").size()
    return pd.DataFrame(
        {
            "来源编号（引用键）": src["source_id"].astype(str),
            "标题": src["title"].astype(str),
            "发布机构": src["publisher"].astype(str),
            "发布时间": src["published"].astype(str),
            "版本年份": src["edition_year"].astype(int).astype(str),
            "类型": [KIND_ZH.get(str(k), str(k)) for k in src["kind"]],
            "观测值条数": [int(counts.get(s, 0)) for s in src["source_id"]],
        }
    )


def _latest_data_year(ds: Any) -> int | None:
    """Latest year with national data in the edition (the data vintage), None if there is none."""
    nat = ds.resolved[ds.resolved["region"] == "全国"]
    return int(nat["year"].max()) if not nat.empty else None


def findings(ds: Any, panel: pd.DataFrame) -> list[str]:
    """3–4 computed sentences for the key-points box: scope, vintage, fastest growth, plan status."""
    n_src = len(ds.sources)
    n_rep = int((ds.sources["kind"] == "yearly_report").sum())
    out = [
        f"本版（{ds.edition} 年版）使用 {n_src} 份来源文件，其中年度发展报告 {n_rep} 份，"
        f"整理出 {len(ds.observations):,} 条带原文引文的观测值。"
    ]
    vintage = _latest_data_year(ds)
    if vintage is not None:
        out.append(f"全国层面的数据最晚到 {vintage} 年，头条面板收录 {len(panel)} 项跨领域指标。")
    else:
        out.append("本版资料中没有全国层面的数据。")
    if not panel.empty and panel["cagr"].notna().any():
        out.append(overview.growth_extremes_sentence(panel).rstrip("。") + "。")
    else:
        out.append("本版头条指标大多只有一年的数据，尚不能比较增速。")
    out.append(targets.scorecard_panel(ds)["headline"])
    return out


def texts(ds: Any) -> dict[str, str]:
    """Every glued string of the chapter, keyed without the slug prefix."""
    panel = overview.headline_panel(ds)
    src = ds.sources
    vintage = _latest_data_year(ds)
    multi = panel[panel["n_years"] >= 2] if not panel.empty else panel
    out = {
        "edition": str(ds.edition),
        "n_sources": f"{len(src)} 份",
        "n_reports": f"{int((src['kind'] == 'yearly_report').sum())} 份",
        "first_year": str(int(src["edition_year"].min())),
        "n_observations": f"{len(ds.observations):,} 条",
        "n_indicators": f"{ds.observations['indicator_id'].nunique()} 个",
        "n_catalogue": f"{len(ds.indicators)} 个",
        "vintage": f"{vintage} 年" if vintage is not None else "（本版无全国数据）",
        "n_panel": f"{len(panel)} 项",
        "n_panel_multi": f"{len(multi)} 项",
        "plan_headline": targets.scorecard_panel(ds)["headline"],
    }
    for i, sentence in enumerate(findings(ds, panel), start=1):
        out[f"key_{i}"] = sentence
    return out


def figures(ds: Any) -> dict[str, Any]:
    """The sparkline small multiples of the headline panel (or a note when no indicator has two years)."""
    panel = overview.headline_panel(ds)
    trend = overview.trend_frame(ds, panel)
    return {
        "spark": common.figure_or_note(
            trend,
            charts.small_multiples,
            "本版资料中的头条指标都只有一年的数据，不绘制走势小图。",
            title="头条指标走势一览",
            takeaway=(
                f"有两年以上数据的 {trend['indicator_id'].nunique()} 项头条指标，各用独立纵轴"
                if not trend.empty
                else None
            ),
            columns=4,
            height=90,
        )
    }


def headline(ds: Any) -> dict[str, str]:
    """Stable figures printed by the notebook's NBVAL_CHECK_OUTPUT cell."""
    panel = overview.headline_panel(ds)
    return {
        "edition": str(ds.edition),
        "sources": str(len(ds.sources)),
        "observations": str(len(ds.observations)),
        "indicators": str(ds.observations["indicator_id"].nunique()),
        "panel": str(len(panel)),
        "vintage": str(_latest_data_year(ds)),
    }
