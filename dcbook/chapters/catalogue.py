"""Appendix 指标目录: the whole indicator catalogue on paper, grouped by domain, with units and sources.

Chapter 13 (:mod:`dcbook.chapters.methods`) shows the catalogue as a filterable HTML table, which the PDF
cannot show. This appendix prints the same rows (its data come from :func:`methods.catalogue_frame`) as
plain Markdown tables, one per domain, so that Jupyter Book typesets them as real tables in both the site
and the PDF (where long ones become page-breaking ``longtable``\\ s). Definitions stay in chapter 13 and
``data/indicators.csv``: on paper they would triple the length of an already long appendix.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from dcbook import schema
from dcbook.chapters.methods import catalogue_frame
from dcbook.chapters.overview import DOMAIN_ZH

SLUG = "catalogue"
#: Column headers of the per-domain tables (frame column → header).
COLUMNS: dict[str, str] = {
    "indicator_id": "指标编号",
    "name_zh": "指标名称",
    "unit": "单位",
    "sources": "报告来源",
    "n_obs": "观测值条数",
}
#: Shown in the sources column of an indicator the edition has no observation of.
NO_SOURCE = "（本版无）"
#: Shown in the unit column of a pure index (no display unit).
NO_UNIT = "—"

# Characters with a meaning in MyST/CommonMark inline syntax; a backslash makes each literal.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$~^])")


def md_escape(text: str) -> str:
    """Escape a cell so MyST prints it literally (no emphasis, role, link, HTML or column break)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def sources_by_indicator(ds: Any) -> dict[str, list[str]]:
    """Source ids giving at least one observation of each indicator, in the order of ``sources.csv``."""
    order = {sid: i for i, sid in enumerate(ds.sources["source_id"].astype(str))}
    obs = ds.observations
    out: dict[str, list[str]] = {}
    if obs.empty:
        return out
    pairs = obs[["indicator_id", "source_id"]].astype(str).drop_duplicates()
    for ind, group in pairs.groupby("indicator_id"):
        out[str(ind)] = sorted(group["source_id"], key=lambda s: (order.get(s, len(order)), s))
    return out


def catalogue_table(ds: Any) -> pd.DataFrame:
    """Every catalogue indicator with domain, unit, its sources ("dcr2017、dcr2021") and observation count."""
    frame = catalogue_frame(ds)
    by_ind = sources_by_indicator(ds)
    frame["sources"] = ["、".join(by_ind.get(i, [])) or NO_SOURCE for i in frame["indicator_id"]]
    frame["unit"] = [u or NO_UNIT for u in frame["unit"]]
    return frame[["domain", *COLUMNS]]


def by_domain(ds: Any) -> list[tuple[str, pd.DataFrame]]:
    """``(domain label, rows)`` per domain that has indicators, in the book's chapter order."""
    frame = catalogue_table(ds)
    rank = {d: i for i, d in enumerate(schema.DOMAINS)}
    domains = sorted(frame["domain"].unique(), key=lambda d: (rank.get(d, len(rank)), d))
    return [
        (DOMAIN_ZH.get(d, d), frame[frame["domain"] == d].drop(columns="domain").reset_index(drop=True))
        for d in domains
    ]


def markdown_table(rows: pd.DataFrame, columns: dict[str, str]) -> str:
    """A GitHub-style Markdown table of ``rows`` (escaped cells), headers from ``columns``."""
    head = "| " + " | ".join(columns.values()) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(md_escape(r[c]) for c in columns) + " |" for _, r in rows.iterrows()]
    return "\n".join([head, rule, *body])


def catalogue_markdown(ds: Any) -> str:
    """The appendix body: per domain a bold caption with its indicator count, then its table."""
    parts = []
    for label, rows in by_domain(ds):
        parts.append(f"**{md_escape(label)}**（{len(rows)} 个指标）\n\n{markdown_table(rows, COLUMNS)}")
    return "\n\n".join(parts) + "\n"


def sources_frame(ds: Any) -> pd.DataFrame:
    """The legend of the sources column: source id (also the citation key), title, publisher, date."""
    s = ds.sources
    return pd.DataFrame(
        {
            "来源编号": s["source_id"].astype(str),
            "标题": s["title"].astype(str),
            "发布机构": s["publisher"].astype(str),
            "发布时间": s["published"].astype(str),
        }
    ).reset_index(drop=True)


def sources_markdown(ds: Any) -> str:
    """:func:`sources_frame` as a Markdown table."""
    frame = sources_frame(ds)
    return markdown_table(frame, {c: c for c in frame.columns}) + "\n"


def texts(ds: Any) -> dict[str, str]:
    """Every glued string of the appendix, keyed without the slug prefix."""
    table = catalogue_table(ds)
    return {
        "edition": str(ds.edition),
        "n_indicators": f"{len(table)} 个",
        "n_domains": f"{table['domain'].nunique()} 个",
        "n_sources": f"{len(ds.sources)} 份",
        "n_unused": f"{int((table['n_obs'] == 0).sum())} 个",
    }


def headline(ds: Any) -> dict[str, str]:
    """Stable figures printed by the notebook's NBVAL_CHECK_OUTPUT cell."""
    table = catalogue_table(ds)
    return {
        "edition": str(ds.edition),
        "indicators": str(len(table)),
        "domains": str(table["domain"].nunique()),
        "unused": str(int((table["n_obs"] == 0).sum())),
    }
