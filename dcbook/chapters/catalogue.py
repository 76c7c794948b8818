"""Facts and tables of the appendix 指标目录 (slug ``catalogue``): the whole indicator catalogue on paper.

Chapter 13 shows the catalogue as a filterable HTML table, which the PDF cannot show. This appendix prints
the same rows (:func:`dcbook.chapters.exhibits.catalogue_frame`) as one plain table per domain, in the
book's chapter order, with the sources that give each indicator, so that both the site and the PDF (where
long tables break across pages) show real tables. Definitions stay in chapter 13 and ``data/indicators.csv``:
on paper they would triple the length of an already long appendix.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from dcbook import schema
from dcbook.chapters import exhibits

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
    frame = exhibits.catalogue_frame(ds)
    by_ind = sources_by_indicator(ds)
    frame["sources"] = ["、".join(by_ind.get(i, [])) or NO_SOURCE for i in frame["indicator_id"]]
    frame["unit"] = [u or NO_UNIT for u in frame["unit"]]
    return frame[["domain", *COLUMNS]]


def table_key(domain: str) -> str:
    """The key of a domain's table: letters and digits only, so a template prints it as is
    (``domain1`` for the second domain of :data:`dcbook.schema.DOMAINS`)."""
    if domain in schema.DOMAINS:
        return f"domain{schema.DOMAINS.index(domain)}"
    return "domain" + "".join(c for c in domain if c.isascii() and c.isalnum())


def _domain_order(domains: Any) -> list[str]:
    rank = {d: i for i, d in enumerate(schema.DOMAINS)}
    return sorted(set(map(str, domains)), key=lambda d: (rank.get(d, len(rank)), d))


def by_domain(ds: Any) -> list[tuple[str, pd.DataFrame]]:
    """``(domain name, rows)`` per domain that has indicators, in the book's chapter order."""
    frame = catalogue_table(ds)
    return [
        (
            schema.DOMAIN_NAMES.get(d, d),
            frame[frame["domain"] == d].drop(columns="domain").reset_index(drop=True),
        )
        for d in _domain_order(frame["domain"])
    ]


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


def facts(ds: Any) -> dict[str, Any]:
    """The appendix's counts and its domains as ``(name, table key, number of indicators)``."""
    table = catalogue_table(ds)
    return {
        "n_indicators": len(table),
        "n_domains": int(table["domain"].nunique()),
        "n_sources": len(ds.sources),
        "n_unused": int((table["n_obs"] == 0).sum()),
        "domains": tuple(
            (schema.DOMAIN_NAMES.get(d, d), table_key(d), int((table["domain"] == d).sum()))
            for d in _domain_order(table["domain"])
        ),
    }


def _styled(frame: pd.DataFrame) -> Styler:
    """A plain table in the theme's table style (the ``table`` class), index hidden."""
    return frame.style.hide(axis="index").set_table_attributes('class="table"')


def tables(ds: Any) -> dict[str, Styler]:
    """The legend of sources and one table per domain (:func:`table_key`), headers as readers see them."""
    frame = catalogue_table(ds)
    out = {"sources": _styled(sources_frame(ds))}
    for d in _domain_order(frame["domain"]):
        rows = frame[frame["domain"] == d].drop(columns="domain").reset_index(drop=True)
        out[table_key(d)] = _styled(rows.rename(columns=COLUMNS))
    return out


def headline(ds: Any) -> dict[str, str]:
    """Stable figures printed by the notebook's NBVAL_CHECK_OUTPUT cell."""
    table = catalogue_table(ds)
    return {
        "edition": str(ds.edition),
        "indicators": str(len(table)),
        "domains": str(table["domain"].nunique()),
        "unused": str(int((table["n_obs"] == 0).sum())),
    }


__all__ = ["SLUG", "by_domain", "catalogue_table", "facts", "headline", "tables"]
