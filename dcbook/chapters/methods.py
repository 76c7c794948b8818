"""Facts and tables of chapter 13 方法与数据 (slug ``methods``).

The chapter's prose is the Markdown of ``book/13_methods.ipynb``; this module computes what it states about
the edition's data — how many sources, observations, qualifiers and conflicts, how the observations spread
over the domains, which editions exist up to this one — and the tables it places: the searchable indicator
catalogue (escaped HTML and a local filter script, book/_static/dcbook-table-filter.js, so the book stays
offline and no source string can inject markup), units, conflicts and the 本版更新 details (the comparison
itself is :mod:`dcbook.changes`, shared with 01 总览).
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd

from dcbook import changes, fmt, render, schema, targets, units
from dcbook import facts as F
from dcbook.chapters import exhibits

SLUG = "methods"
#: Column headers of the searchable catalogue (frame column → header).
CATALOGUE_HEADERS: dict[str, str] = {
    "indicator_id": "指标编号",
    "name_zh": "指标名称",
    "domain": "领域",
    "unit": "单位",
    "definition_zh": "定义",
    "n_obs": "观测值条数",
}
#: The dataset files readers can download, in the order the chapter lists them (present ones only).
DATA_FILES: tuple[str, ...] = (
    "sources.csv", "indicators.csv", "observations/", "targets.csv", "regional.csv", "milestones.csv",
    "frameworks.csv", "provinces.csv", "references.bib", "datapackage.json",
)  # fmt: skip

# ----------------------------------------------------------------------------------------------------------
# The edition's data


def editions_upto(ds: Any) -> tuple[int, ...]:
    """The editions up to and including this one (every source's edition year, from the same data folder).

    ``ds.sources`` holds only what this edition can see, so it is not the list of editions. Later editions
    are left out on purpose: a cited page of an older edition must not change when a new report is added;
    readers find newer editions in the header's edition switcher, which lives outside the page.
    """
    from dcbook.data import available_editions

    return tuple(y for y in available_editions(getattr(ds, "data_dir", None)) if y <= int(ds.edition))


def domain_counts(ds: Any) -> pd.DataFrame:
    """Observations per domain (most first): ``domain``, ``name`` (the book's name of it), ``n``."""
    obs = ds.observations
    counts = obs.groupby("domain").size().sort_values(ascending=False, kind="stable")
    return pd.DataFrame(
        {
            "domain": [str(d) for d in counts.index],
            "name": [schema.DOMAIN_NAMES.get(str(d), str(d)) for d in counts.index],
            "n": [int(n) for n in counts.to_numpy()],
        }
    )


def conflict_pair(ds: Any) -> tuple[int, str, str] | None:
    """The pair of sources that disagree most often: (how many conflicts, title, title), or None."""
    c = ds.conflicts()
    if c.empty:
        return None
    titles = dict(zip(ds.sources["source_id"], ds.sources["title"], strict=True))
    pairs = pd.Series(
        [" ".join(p) for ids in c["source_ids"] for p in combinations(sorted(set(map(str, ids))), 2)]
    ).value_counts()
    if pairs.empty:
        return None
    a, b = pairs.index[0].split(" ")
    return int(pairs.iloc[0]), str(titles.get(a, a)), str(titles.get(b, b))


# ----------------------------------------------------------------------------------------------------------
# 本版更新: the comparison with the previous edition (dcbook.changes: facts and detail tables)

#: The last comparison made (facts and tables of one chapter run share it: it loads the previous edition).
_COMPARED: list[Any] = []


def comparison(ds: Any) -> tuple[int | None, dict[str, pd.DataFrame] | None]:
    """The previous edition and the comparison with it; none for a hand-made dataset without a data folder."""
    if not hasattr(ds, "data_dir"):
        return None, None
    if _COMPARED and _COMPARED[0] is ds:
        return _COMPARED[1], _COMPARED[2]
    prev, found = changes.for_edition(ds, ds.data_dir)
    _COMPARED[:] = [ds, prev, found]
    return prev, found


# ----------------------------------------------------------------------------------------------------------
# The chapter contract


def facts(ds: Any) -> dict[str, Any]:
    """Every fact the chapter's templates use (None where the edition lacks it)."""
    obs = ds.observations
    counts = obs["qualifier"].value_counts()
    c = ds.conflicts()
    top = c.sort_values("rel_diff", ascending=False, kind="stable").iloc[0] if not c.empty else None
    domains = domain_counts(ds)
    catalogue = exhibits.catalogue_frame(ds)
    pair = conflict_pair(ds)
    data_dir = getattr(ds, "data_dir", None)
    prev, found = comparison(ds)
    n_obs = len(obs)
    audit = targets.audit(ds)
    return {
        "n_sources": len(ds.sources),
        "n_observations": n_obs,
        "n_catalogue": len(ds.indicators),
        "n_indicators": int(obs["indicator_id"].nunique()),
        "n_unused": int((catalogue["n_obs"] == 0).sum()),
        "n_qualified": int((obs["qualifier"] != F.EXACT).sum()),
        "qualified_share": (int((obs["qualifier"] != F.EXACT).sum()) / n_obs) if n_obs else None,
        "n_exact": int(counts.get(F.EXACT, 0)),
        "n_lower": int(counts.get(F.LOWER, 0)),
        "n_approx": int(counts.get(F.APPROX, 0)),
        "n_upper": int(counts.get(F.UPPER, 0)),
        "n_near": int(counts.get(F.NEAR, 0)),
        "n_scales": len(units.SCALES),
        "n_conflicts": len(c),
        "conflict_top_name": str(top["name_zh"]) if top is not None else None,
        "conflict_top_year": int(top["year"]) if top is not None else None,
        "conflict_top_diff": float(top["rel_diff"]) if top is not None else None,
        "conflict_pair_n": pair[0] if pair else None,
        "conflict_pair": pair[1:] if pair else None,
        "domain_top": str(domains.iloc[0]["name"]) if len(domains) else None,
        "domain_top_n": int(domains.iloc[0]["n"]) if len(domains) else None,
        "domain_top_share": int(domains.iloc[0]["n"]) / n_obs if len(domains) else None,
        "domain_low": str(domains.iloc[-1]["name"]) if len(domains) else None,
        "domain_low_n": int(domains.iloc[-1]["n"]) if len(domains) else None,
        "n_audit": len(audit),
        "small_base_multiple": F.SMALL_BASE_MULTIPLE,
        "small_base_cagr_pct": F.SMALL_BASE_CAGR * 100,
        "stated_tolerance_pp": F.STATED_TOLERANCE_PP,
        "audit_plans": tuple(targets.PLAN_SHORT.get(p, p) for p in dict.fromkeys(audit["plan"])),
        "n_audit_definition": int(audit["check"].isin(["目录同义", "衔接年份一致"]).sum()),
        "editions": editions_upto(ds),
        "data_files": tuple(f for f in DATA_FILES if data_dir and (Path(data_dir) / f.rstrip("/")).exists()),
        "update": changes.facts(ds, prev, found),
    }


def _times(f: float) -> str:
    """A conversion factor without e-notation: "1,000,000,000", "60", "0.5"."""
    return f"{round(f):,}" if abs(f - round(f)) < 1e-6 * max(f, 1) else f"{f:,.6f}".rstrip("0")


def families_used(ds: Any) -> set[str]:
    """The unit families of the units the edition's observations are printed or shown in."""
    out = set()
    for u in set(ds.observations["unit_printed"].astype(str)) | set(ds.observations["unit"].astype(str)):
        try:
            _, base = units.parse(u)
        except units.UnitError:
            continue
        if base in units.BASES:
            out.add(units.BASES[base][0])
    return out


def units_frame(ds: Any | None = None) -> pd.DataFrame:
    """The unit conversion table of dcbook.units: scale prefixes, then base units by family (each family by
    its readers' name and converted to its display unit; a factor below 1 is shown the other way round).
    With ``ds``, only the families the edition's observations use (an earlier edition does not list the
    units of quantities only later reports measure)."""
    rows = [{"类别": "数量级前缀", "单位": p, "换算": f"× {v:,.0f}"} for p, v in units.SCALES.items()]
    used = families_used(ds) if ds is not None else None
    multi = []
    for b, (fam, f) in units.BASES.items():
        name, base = units.FAMILY_NAMES.get(fam, (fam, fam))  # a count family is named by its noun
        if b == base or (used is not None and fam not in used):
            continue
        if units.BASES.get(base, ("",))[0] == fam:  # express the factor in the family's display unit
            f = f / units.BASES[base][1]
        multi.append((name, b, base, f))
    for name, b, base, f in sorted(multi):
        text = f"1 {b} = {_times(f)} {base}" if f >= 1 else f"1 {base} = {_times(1 / f)} {b}"
        rows.append({"类别": f"{name}类", "单位": b, "换算": text})
    return pd.DataFrame(rows, columns=["类别", "单位", "换算"])


#: The conflicts table's words for the rule that decided each conflict (dcbook.data.CONFLICT_REASONS).
CONFLICT_REASON_WORDS: dict[str, str] = {
    "exact": "精确值优先于带限定词的数值",
    "newer": "发布较晚的资料优先",
    "precise": "同一资料以不同精度印出同一数字，取位数更多的一处",
    "same_source": "同一资料印出两个数值，取数据中在前的一处（原因见例外说明）",
    "order": "按来源清单的顺序",
}


def _values_text(values: Any, sources: Any) -> str:
    """Values with their sources, "29（dcr2021）；29.16（dcr2017）"."""
    return "；".join(f"{fmt.fmt_plain(float(v))}（{s}）" for v, s in zip(values, sources, strict=False))


def conflicts_table(ds: Any) -> pd.DataFrame:
    """ds.conflicts() for readers: largest relative difference first."""
    c = ds.conflicts()
    cols = ["指标", "地区", "年份", "单位", "各来源数值", "采用来源", "取舍依据", "相对差异"]
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
            "取舍依据": [CONFLICT_REASON_WORDS[r] for r in c["reason"]],
            "相对差异": [fmt.fmt_pct(float(x)) for x in c["rel_diff"]],
        }
    )


def _cell(value: Any, unit: Any, qualifier: Any = F.EXACT, year: Any = None, source: Any = None) -> str:
    """ "2020 年 95%（fyp14_interp）": a figure of the audit with its year and source; "—" when absent."""
    if value is None or pd.isna(value):
        return "—"
    q = F.EXACT if qualifier is None or pd.isna(qualifier) or qualifier == "" else str(qualifier)
    text = fmt.fmt_value(float(value), "" if pd.isna(unit) else str(unit), qualifier=q)
    if year is not None and not pd.isna(year):
        text = fmt.join_words(f"{int(year)} 年", text)
    return f"{text}（{source}）" if source is not None and not pd.isna(source) and source else text


def _pace_cell(observed: Any, required: Any) -> str:
    """ "8.1% / 15.9%": the observed and the required compound annual rates (计算值); "—" without both."""
    if observed is None or required is None or pd.isna(observed) or pd.isna(required):
        return "—"
    return f"{fmt.fmt_rate(float(observed))} / {fmt.fmt_rate(float(required))}"


def audit_table(ds: Any) -> pd.DataFrame:
    """The verdict audit (dcbook.targets.audit) for readers: every target of every plan the edition sees,
    the figures that decided it and the rule (targets.RULES), in the scorecard's order."""
    a = targets.audit(ds)
    cols = [
        "规划",
        "指标",
        "目标",
        "基期",
        "判断所用数值",
        "口径核对",
        "实际 / 所需年均增速（计算值）",
        "判定",
        "依据",
    ]
    if a.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(
        {
            "规划": [targets.PLAN_SHORT.get(p, p) for p in a["plan"]],
            "指标": a["name_zh"].astype(str),
            "目标": [
                fmt.join_words(f"{int(y)} 年{fmt.COMPARATOR_WORDS.get(c, '达到')}", _cell(v, u))
                for y, c, v, u in zip(
                    a["target_year"], a["comparator"], a["target_value"], a["unit"], strict=True
                )
            ],
            "基期": [
                _cell(v, u, F.EXACT, y, s)
                for v, u, y, s in zip(
                    a["base_value"], a["unit"], a["base_year"], a["base_source_id"], strict=True
                )
            ],
            "判断所用数值": [
                _cell(v, u, q, y, s)
                for v, u, q, y, s in zip(
                    a["latest_value"],
                    a["unit"],
                    a["latest_qualifier"],
                    a["latest_year"],
                    a["latest_source_id"],
                    strict=True,
                )
            ],
            "口径核对": [str(c) if isinstance(c, str) and c else "—" for c in a["check"]],
            "实际 / 所需年均增速（计算值）": [
                _pace_cell(o, r) if rule == "pace" else "—"
                for o, r, rule in zip(a["observed_cagr"], a["required_cagr"], a["rule"], strict=True)
            ],
            "判定": a["verdict"].astype(str),
            "依据": [targets.RULES[r] for r in a["rule"]],
        }
    )


def catalogue_frame(ds: Any) -> pd.DataFrame:
    """The edition's catalogue (exhibits.catalogue_frame) with each domain by its name in the book."""
    cat = exhibits.catalogue_frame(ds)
    return cat.assign(domain=[schema.DOMAIN_NAMES.get(d, d) for d in cat["domain"]])


def _or_none(frame: pd.DataFrame) -> pd.DataFrame | None:
    return None if frame.empty else frame


def tables(ds: Any) -> dict[str, Any]:
    """The chapter's tables (None where the edition has no rows)."""
    _, found = comparison(ds)
    return {
        "catalogue": exhibits.filter_table(
            catalogue_frame(ds),
            CATALOGUE_HEADERS,
            table_id="dcbook-catalogue",
            label="筛选指标：",
            placeholder="输入编号、名称、领域或定义中的词",
        ),
        "units": units_frame(ds),
        "conflicts": _or_none(conflicts_table(ds)),
        "audit": _or_none(audit_table(ds)),
        "status": _or_none(exhibits.status_table(found)),
        "top_ten": _or_none(exhibits.top_ten_table(found)),
        "revisions": _or_none(exhibits.revisions_table(found)),
    }


def coverage_frame(ds: Any) -> pd.DataFrame:
    """Observations per domain in the edition (one bar each), as a bar_ranking frame."""
    d = domain_counts(ds)
    return pd.DataFrame(
        {
            "item": d["name"],
            "value": d["n"].astype(float),
            "unit": "条",
            "qualifier": F.EXACT,
            "source_title": f"本书数据集（{len(ds.sources)} 份来源文件）",
            "edition_year": ds.edition,
        }
    )


def figures(ds: Any) -> dict[str, render.Figure | None]:
    """The chapter's one chart: how the edition's observations spread over the domains."""
    return {"coverage": exhibits.bars(coverage_frame(ds), by="item")}


def headline(ds: Any) -> dict[str, str]:
    """Stable figures printed by the notebook's NBVAL_CHECK_OUTPUT cell."""
    obs = ds.observations
    return {
        "edition": str(ds.edition),
        "sources": str(len(ds.sources)),
        "indicators": str(obs["indicator_id"].nunique()),
        "observations": str(len(obs)),
        "qualified": str(int((obs["qualifier"] != F.EXACT).sum())),
        "conflicts": str(len(ds.conflicts())),
    }


__all__ = ["SLUG", "facts", "figures", "headline", "tables"]
