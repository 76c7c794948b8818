"""Helpers shared by the chapter modules: sentences, 要点 builders, no-data fallbacks and chart glue.

Every chapter turns the edition's dataset into glued sentences and figures the same way, so the shared
wording lives here once: a fix to a sentence pattern (a qualifier, a space, a quote mark) then reaches
every chapter, and no chapter module is another chapter's library. Functions take a
``dcbook.data.Dataset`` duck-typed (``latest``, ``series``, ``resolved``, ``observations``,
``indicators``, ``sources``, ``targets``, ``edition``), so the tests can use small hand-made datasets.

Typesetting follows :mod:`dcbook.fmt`: a space between a number and CJK text ("2021 年", "9.89 亿人"), none
before "%" and none between two CJK words; :func:`join_words` applies the rule where text meets a value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from IPython.display import Markdown

from dcbook import charts, fmt, render, targets

#: Printed in place of a figure an edition's sources do not give (never a guessed value).
NO_DATA = "本版资料尚未涉及该指标"
#: Short plan names used in chart rows and sentences.
PLAN_SHORT: dict[str, str] = {"fyp13": "“十三五”规划", "fyp14": "“十四五”规划"}
#: Short names of non-yearly source kinds for chart labels.
KIND_SHORT: dict[str, str] = {"plan": "“十四五”信息化规划", "interpretation": "规划纲要解读"}
#: Units that mark a rate, share or rank rather than a stock: excluded from growth comparisons.
NOT_LEVEL_UNITS: frozenset[str] = frozenset({"%", "个百分点", "位", "倍", ""})
#: Indicator id endings of flows and changes (not stocks): excluded from growth comparisons.
NOT_LEVEL_SUFFIXES: tuple[str, ...] = ("_growth", "_change_pp", "_net_increase", "_net_add", "_new", "_5y")
#: Scorecard statuses (dcbook.targets) that count as behind in a chapter's 要点.
BEHIND: tuple[str, ...] = ("落后", "未达成")
#: Scorecard statuses that count as on pace.
ON_PACE: tuple[str, ...] = ("进度领先", "符合进度")

# ----------------------------------------------------------------------------------------------------------
# Rows and words


def qual(row: Any) -> str:
    """Qualifier of a resolved row; empty/NaN means exact."""
    q = row.get("qualifier") if hasattr(row, "get") else None
    return "exact" if q is None or (isinstance(q, float) and math.isnan(q)) or q == "" else str(q)


def unit_of(row: Any) -> str:
    """Unit of a resolved row; empty/NaN means no unit (a pure index)."""
    u = row.get("unit")
    return "" if u is None or (isinstance(u, float) and math.isnan(u)) else str(u)


def name_of(ds: Any, indicator_id: str) -> str:
    """Chinese name of an indicator from the catalogue; raises naming the id if it is not catalogued."""
    if indicator_id not in ds.indicators.index:
        raise KeyError(f"indicators.csv: no row with indicator_id {indicator_id!r}")
    return str(ds.indicators.at[indicator_id, "name_zh"])


def quoted(text: str) -> str:
    """Put a name in Chinese quotes; quotes already inside become single quotes (“‘十四五’规划”), never “““…”””."""
    return "“" + str(text).replace("“", "‘").replace("”", "’") + "”"


join_words = fmt.join_words


def lead(value: str) -> str:
    """A formatted value to follow CJK text: " 3 万件" (a space before a number), "超过 3 万件" (none before
    a qualifier word), by the rule of :func:`dcbook.fmt.join_words`."""
    return join_words("", value)


def number_text(value: float, unit: str, qualifier: str = "exact") -> str:
    """A value with unit and qualifier; ranks (unit 位) read as ordinals ("第 14 位")."""
    return fmt.fmt_value(value, unit, qualifier=qualifier)


def value_text(ds: Any, indicator_id: str, region: str = "全国") -> str:
    """Latest value as readers see it ("超过 3 万件", "1.1 亿篇", "第 12 位"), or :data:`NO_DATA`."""
    row = ds.latest(indicator_id, region)
    if row is None:
        return NO_DATA
    return row_text(row)


def row_text(row: Any, unit: str | None = None) -> str:
    """A resolved row's value with its unit (or ``unit``) and qualifier: "超过 99%"."""
    return number_text(float(row["value"]), unit_of(row) if unit is None else unit, qual(row))


#: How a sentence links a name to its value, by qualifier ("…为 45%", "…超过 3 万件", "…约为 33 万家").
LINK_WORDS: dict[str, str] = {"exact": "为", "approx": "约为", "lower_bound": "超过", "upper_bound": "不到"}


def predicate(value: float, unit: str, qualifier: str = "exact") -> str:
    """The predicate of a "<name><predicate>" sentence: "为 45%", "超过 3 万件", "约为 33 万家"."""
    return join_words(LINK_WORDS.get(qualifier, "为"), number_text(value, unit))


def row_predicate(row: Any) -> str:
    """:func:`predicate` of a resolved row."""
    return predicate(float(row["value"]), unit_of(row), qual(row))


def year_value(ds: Any, indicator_id: str, region: str = "全国") -> str:
    """ "9.75 亿（2021 年）": the latest value with its year, or the no-data sentence."""
    row = ds.latest(indicator_id, region)
    if row is None:
        return no_data_sentence(ds, indicator_id)
    return f"{row_text(row)}（{int(row['year'])} 年）"


def date_words(date: str) -> str:
    """ "2021-09" → "2021 年 9 月"; "2017-06-01" → "2017 年 6 月 1 日"; "2019" → "2019 年"."""
    parts = [int(p) for p in str(date).split("-")]
    return " ".join(f"{p} {w}" for p, w in zip(parts, ("年", "月", "日"), strict=False))


def pp_text(value: float, digits: int = 1) -> str:
    """A difference in percentage points: "8.9 个百分点" (absolute value; the verb carries the sign)."""
    return f"{fmt.fmt_plain(abs(value), digits)} 个百分点"


# ----------------------------------------------------------------------------------------------------------
# Sentences about one indicator


def no_data_sentence(ds: Any, indicator_id: str) -> str:
    """The plain statement used when an edition has no figure for an indicator."""
    return f"本版资料尚未给出{quoted(name_of(ds, indicator_id))}的数据"


def missing_sentence(ds: Any, indicator_ids: Iterable[str]) -> str:
    """One statement for several indicators an edition lacks ("本版资料尚未给出“A”和“B”的数据"), so a page
    says what is missing once instead of one sentence per indicator."""
    names = [quoted(name_of(ds, i)) for i in indicator_ids]
    if not names:
        raise ValueError("missing_sentence: no indicator given")
    listed = names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]
    return f"本版资料尚未给出{listed}的数据"


def facts_sentence(ds: Any, indicator_ids: Sequence[str], region: str = "全国", *, sep: str = "，") -> str:
    """Latest-value sentences of several indicators joined by ``sep``; those without data are named
    together in one :func:`missing_sentence` at the end (or alone, when none has data)."""
    have = [i for i in indicator_ids if ds.latest(i, region) is not None]
    lack = [i for i in indicator_ids if i not in have]
    parts = [latest_sentence(ds, i, region) for i in have]
    if lack:
        parts.append(missing_sentence(ds, lack))
    return sep.join(parts)


#: An indicator a section reports: its id (national figure) or ``(id, region)``.
Need = str | tuple[str, str]
#: One piece of a section's prose: finished sentences (ending with 。) and the indicators they report
#: (empty: prose that needs no figure).
Piece = tuple[str, Sequence[Need]]


def _need(need: Need) -> tuple[str, str]:
    return (need, "全国") if isinstance(need, str) else (str(need[0]), str(need[1]))


def has_data(ds: Any, needs: Iterable[Need]) -> bool:
    """Whether the edition has a figure for at least one of ``needs`` (ids, or ``(id, region)``)."""
    return any(ds.latest(*_need(n)) is not None for n in needs)


def said(
    ds: Any,
    indicator_ids: Sequence[str],
    how: Callable[[Any, str], str] | None = None,
    *,
    sep: str = "；",
) -> str:
    """Sentences (``how``, default :func:`latest_sentence`) of those ``indicator_ids`` the edition has,
    joined by ``sep``; "" when none has data (the section's :func:`missing_sentence` names them)."""
    say = how or latest_sentence
    return sep.join(say(ds, i) for i in indicator_ids if ds.latest(i) is not None)


def section_texts(
    ds: Any,
    paragraphs: Mapping[str, Sequence[Piece]],
    *,
    area: str | None = None,
    also_missing: Sequence[Need] = (),
) -> dict[str, str]:
    """The data paragraphs of one section for one edition, saying once what the section lacks.

    ``paragraphs`` maps a glue key to its pieces. Pieces whose indicators all lack data are left out; every
    indicator of the section without data (with any of ``also_missing`` that lack data: figures a shown
    piece only mentions) is named in one :func:`missing_sentence`, at the end of the last paragraph that
    keeps text. When no piece of the section has data, the first paragraph is that one sentence alone and the
    others are empty (prose pieces are dropped too: they would comment on absent figures). So an early
    edition reads "本版资料尚未给出 A、B 和 C 的数据" once per section instead of once per figure, and an
    edition where every piece has data reads as the full analysis.
    """
    if not paragraphs:
        raise ValueError("section_texts: no paragraph given")
    shown: dict[str, list[str]] = {k: [] for k in paragraphs}
    lacking: list[str] = []
    any_data = False
    for key, pieces in paragraphs.items():
        for text, ids in pieces:
            if not text.endswith("。"):
                raise ValueError(f"section_texts: piece of {key!r} does not end with a full stop: {text!r}")
            absent = [_need(n)[0] for n in ids if not has_data(ds, [n])]
            lacking += [i for i in absent if i not in lacking]
            if ids and len(absent) == len(ids):
                continue
            shown[key].append(text)
            any_data = any_data or bool(ids)
    lacking += [_need(n)[0] for n in also_missing if _need(n)[0] not in lacking and not has_data(ds, [n])]
    missing = missing_sentence(ds, lacking) + "。" if lacking else ""
    keys = list(paragraphs)
    if not any_data:
        if not missing:
            raise ValueError(f"section_texts: no piece of {keys} reports an indicator")
        first = f"关于{area}，{missing}" if area else missing
        return {k: first if k == keys[0] else "" for k in keys}
    out = {k: "".join(v) for k, v in shown.items()}
    if missing:
        last = [k for k in keys if out[k]][-1]
        out[last] += missing
    return out


def section_text(ds: Any, pieces: Sequence[Piece], *, area: str | None = None) -> str:
    """:func:`section_texts` of a section with one data paragraph."""
    return section_texts(ds, {"text": pieces}, area=area)["text"]


def latest_sentence(ds: Any, indicator_id: str, region: str = "全国", *, label: str | None = None) -> str:
    """Latest value as a sentence ("2020 年<name>为 45%"), or a no-data sentence."""
    row = ds.latest(indicator_id, region)
    if row is None:
        return no_data_sentence(ds, indicator_id)
    name = label or name_of(ds, indicator_id)
    start = period_start(ds, indicator_id, int(row["year"]))
    year = fmt.fmt_year_span(start if start is not None else int(row["year"]), int(row["year"]))
    return join_words(year, name_and_value(name, row_predicate(row)))  # "2017 年 4G用户数…"


_PERIOD = re.compile(r"(\d{4})\s*[—–-]\s*(\d{4})\s*年\s*记为\s*(\d{4})")


def period_start(ds: Any, indicator_id: str, year: int) -> int | None:
    """First year of the period a figure covers, when the catalogue says so.

    Some figures are changes over a period recorded under its last year ("2017—2021年记为2021年" in
    ``indicators.csv`` ``definition_zh``); prose must name the period, not the single year.
    """
    if "definition_zh" not in ds.indicators.columns or indicator_id not in ds.indicators.index:
        return None
    m = _PERIOD.search(str(ds.indicators.at[indicator_id, "definition_zh"]))
    if m is None or int(m.group(3)) != int(year) or int(m.group(2)) != int(year):
        return None
    return int(m.group(1))


def name_and_value(name: str, predicate_text: str) -> str:
    """Name followed by its value, without saying the counter twice.

    "全国使用健康码人次" + "超过 500 亿次" reads "全国使用健康码超过 500 亿人次" (never "人次超过 500 亿次"),
    "培训人次" + "超过 1 亿人次" reads "培训超过 1 亿人次".
    """
    if name.endswith("人次") and predicate_text.endswith("次"):
        body = predicate_text if predicate_text.endswith("人次") else predicate_text[:-1] + "人次"
        return name[:-2] + body
    return name + predicate_text


def latest_sentences(
    ds: Any, indicator_ids: Iterable[str], empty: str, region: str = "全国", *, sep: str = "；"
) -> str:
    """Latest-value sentences of those ``indicator_ids`` that have data, joined; ``empty`` when none has."""
    parts = [latest_sentence(ds, i, region) for i in indicator_ids if ds.latest(i, region) is not None]
    return sep.join(parts) if parts else empty


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
    delta = float(last["value"]) - float(first["value"])
    digits = max(fmt.decimals(float(first["value"])), fmt.decimals(float(last["value"])), 1)
    if round(delta, digits) == 0:
        move = "基本持平"
    else:
        move = f"{'提高' if delta > 0 else '下降'} {pp_text(delta, digits)}"
    approx = "约" if qual(first) != "exact" or qual(last) != "exact" else ""
    verb = "升至" if delta >= 0 else "降至"
    span = fmt.fmt_year_span(int(first["year"]), int(last["year"]))
    return join_words(
        name, f"{join_words(f'{span}由', row_text(first))}{join_words(verb, row_text(last))}，{approx}{move}"
    )


def rank_sentence(ds: Any, indicator_id: str, label: str) -> str:
    """Movement of China's rank (unit 位, fewer is better) in ``label`` from the first to the latest year."""
    s = series_of(ds, indicator_id)
    if s.empty:
        return f"本版资料尚未给出我国在{label}中的排名"
    last = s.iloc[-1]
    if len(s) == 1:
        return f"{int(last['year'])} 年我国在{label}中位列第 {int(last['value'])} 位（本版资料仅给出这一年的排名）"
    first = s.iloc[0]
    gain = int(first["value"]) - int(last["value"])
    move = f"上升 {gain} 位" if gain > 0 else f"下降 {-gain} 位" if gain < 0 else "名次未变"
    return (
        f"我国在{label}中的排名由 {int(first['year'])} 年的第 {int(first['value'])} 位"
        f"变为 {int(last['year'])} 年的第 {int(last['value'])} 位，{move}"
    )


def pp_gap_sentence(low: pd.Series | None, high: pd.Series | None, what: str) -> str:
    """Difference in percentage points between two % values, qualifiers respected ("约")."""
    if low is None or high is None:
        return f"本版资料不足以比较{what}"
    d = float(high["value"]) - float(low["value"])
    approx = "约" if qual(low) != "exact" or qual(high) != "exact" else ""
    return f"{what}相差{approx} {pp_text(d, 1 if abs(d) % 1 else 0)}"


# ----------------------------------------------------------------------------------------------------------
# Growth comparisons


def last_shared_year(a: pd.DataFrame, b: pd.DataFrame) -> int | None:
    """The latest year both series have (None when they share none): two figures compared must be of
    the same year."""
    years = sorted(set(a["year"].astype(int)) & set(b["year"].astype(int)))
    return years[-1] if years else None


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


def level_indicators(ds: Any, domains: Sequence[str]) -> list[str]:
    """Stock indicators of ``domains`` (counts, sizes): the only ones whose growth rates can be compared."""
    ind = ds.indicators
    out = []
    for i in ind.index:
        if ind.at[i, "domain"] not in domains:
            continue
        unit = ind.at[i, "unit"]
        unit = "" if pd.isna(unit) else str(unit)
        if unit in NOT_LEVEL_UNITS or str(i).endswith(NOT_LEVEL_SUFFIXES):
            continue
        out.append(str(i))
    return out


def fastest_growth(ds: Any, indicator_ids: Sequence[str]) -> tuple[str, float, int, int] | None:
    """The indicator with the highest compound annual growth first → latest year, as
    ``(indicator_id, rate, start_year, end_year)``; None when no indicator has two years of data.

    Compound annual rates make series that span different years comparable (a total ratio would favour
    the longest span).
    """
    best: tuple[str, float, int, int] | None = None
    for ind in indicator_ids:
        g = cagr(ds, ind)
        if g is not None and (best is None or g[0] > best[1]):
            best = (ind, g[0], g[1], g[2])
    return best


def fastest_sentence(ds: Any, indicator_ids: Sequence[str], area: str) -> str:
    """ "在有两年以上数据的 N 项…规模指标中，增长最快的是 X：…，年均增长 Y" among ``indicator_ids``."""
    candidates = [i for i in indicator_ids if len(series_of(ds, i)) >= 2]
    best = fastest_growth(ds, candidates)
    if best is None:
        return f"本版资料中{area}的规模指标都只有一年的数据，无法比较增速"
    ind, rate, start, end = best
    text = f"在本版资料有两年以上数据的 {len(candidates)} 项{area}规模指标中，增长最快的是{trend_sentence(ds, ind)}"
    # Over a single year the total growth already is the annual rate.
    return text + (f"，年均增长 {fmt.fmt_rate(rate)}" if end - start > 1 else "")


def first_available(ds: Any, indicator_ids: Iterable[str], region: str = "全国") -> str | None:
    """The first indicator of ``indicator_ids`` that has data in the edition."""
    for ind in indicator_ids:
        if ds.latest(ind, region) is not None:
            return ind
    return None


# ----------------------------------------------------------------------------------------------------------
# Ratios with qualifiers


def bound_word(num_q: str, den_q: str) -> str:
    """Qualifier of a ratio num/den from the qualifiers of its two parts ("超过", "不到", "约" or "")."""
    lower = {"lower_bound"}
    upper = {"upper_bound"}
    if num_q == den_q == "exact":
        return ""
    if (num_q in lower and den_q in {"exact", *upper}) or (num_q == "exact" and den_q in upper):
        return "超过"
    if (num_q in upper and den_q in {"exact", *lower}) or (num_q == "exact" and den_q in lower):
        return "不到"
    return "约"


def ratio_parts(num: pd.Series, den: pd.Series) -> tuple[str, str]:
    """``(qualifier word, ratio)`` of two rows in the same unit: ("超过", "2.8 倍"), ("", "96.5%")."""
    a, b = float(num["value"]), float(den["value"])
    if b == 0:
        raise ValueError(f"ratio: {den.get('indicator_id')} {den.get('year')}: denominator is 0")
    r = a / b
    body = f"{fmt.fmt_plain(r, 1)} 倍" if r >= 2 else fmt.fmt_pct(r)
    return bound_word(qual(num), qual(den)), body


def ratio_text(num: pd.Series, den: pd.Series) -> str:
    """The ratio as words with its qualifier: "超过 2.8 倍", "96.5%"."""
    word, body = ratio_parts(num, den)
    return f"{word} {body}" if word else body


#: "A 相当于 B 的 x" with the ratio's qualifier folded into the verb.
EQUIV_WORDS: dict[str, str] = {"": "相当于", "超过": "至少相当于", "不到": "不到", "约": "约相当于"}


def equiv_text(num: pd.Series, den: pd.Series, what: str) -> str:
    """ "至少相当于<what>的 51.3%": a ratio sentence fragment whose verb carries the qualifier."""
    word, body = ratio_parts(num, den)
    return join_words(EQUIV_WORDS[word], f"{what}的 {body}")


# ----------------------------------------------------------------------------------------------------------
# Frames for charts


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


def item_frame(
    ds: Any, indicator_ids: Sequence[str], labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """:func:`latest_frame` with an ``item`` bar label "名称（2021 年）" (``labels`` replaces the name)."""
    frame = latest_frame(ds, indicator_ids)
    if frame.empty:
        return frame
    names = [labels[i] for i in frame["indicator_id"]] if labels is not None else frame["name_zh"]
    frame["item"] = [f"{n}（{int(y)} 年）" for n, y in zip(names, frame["year"], strict=True)]
    return frame


def label_frame(ds: Any, indicator_ids: Sequence[str], unit: str | None = None) -> pd.DataFrame:
    """Latest row of each indicator (optionally only those in ``unit``), labelled "年份·名称" for bars
    (year first, so a truncated axis label still shows it)."""
    rows = []
    for ind in indicator_ids:
        row = ds.latest(ind)
        if row is None or (unit is not None and unit_of(row) != unit):
            continue
        r = row.copy()
        r["label"] = f"{int(r['year'])}·{r['name_zh']}"
        rows.append(r)
    return pd.DataFrame(rows).reset_index(drop=True) if rows else pd.DataFrame()


def rank_frame(ds: Any, labels: Mapping[str, str], column: str) -> pd.DataFrame:
    """Rank series (unit 位) as a bump-chart frame: one line per indicator, named ``labels[id]`` in ``column``."""
    parts = []
    for ind, label in labels.items():
        s = series_of(ds, ind)
        if s.empty:
            continue
        out = s[["year", "value", "source_title", "edition_year"]].copy()
        out[column] = label
        out["rank"] = out["value"].astype(int)
        parts.append(out.drop(columns="value"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


# ----------------------------------------------------------------------------------------------------------
# Figures (rendered chart, or a Markdown note saying what is missing)


def note(text: str) -> Markdown:
    """An italic Markdown note shown where an edition lacks the data for a figure (its text escaped: it may
    carry indicator names from the data)."""
    return Markdown(f"*{fmt.md_text(text)}*")


def figure_or_note(
    frame: pd.DataFrame,
    builder: Callable[..., Any],
    note_text: str,
    *,
    min_rows: int = 1,
    min_years: int = 1,
    **kwargs: Any,
) -> Any:
    """A rendered figure when ``frame`` supports the chart, else a Markdown note saying what is missing."""
    years = frame["year"].nunique() if "year" in frame.columns else 0
    if len(frame) < min_rows or (min_years > 1 and years < min_years):
        return note(note_text)
    return render.figure(builder(frame, **kwargs))


def trend_figure(
    series: pd.DataFrame, note_text: str, *, title: str, takeaway: str | None = None, growth: bool = True
) -> Any:
    """Line chart of series with two or more years; with ``growth`` the takeaway of a single series
    defaults to its growth sentence (:func:`dcbook.charts.takeaway_growth`)."""
    one = not series.empty and series["year"].nunique() >= 2 and series["indicator_id"].nunique() == 1
    if takeaway is None and growth and one:
        takeaway = charts.takeaway_growth(series)
    return figure_or_note(series, charts.line_chart, note_text, min_years=2, title=title, takeaway=takeaway)


def multiples_takeaway(
    frame: pd.DataFrame, which: str = "有两个以上年份数据的", noun: str = "指标"
) -> str | None:
    """Subtitle of a small-multiples chart: how many indicators it draws, each on its own axis."""
    if frame.empty:
        return None
    return f"本版资料中{which} {frame['indicator_id'].nunique()} 项{noun}，各用独立纵轴"


def label_bars(frame: pd.DataFrame, note_text: str, *, title: str, takeaway: str | None = None) -> Any:
    """Bars of a :func:`label_frame` (one per indicator, "年份·名称"); fewer than two bars compare nothing."""
    return figure_or_note(
        frame, charts.bar_ranking, note_text, min_rows=2, by="label", title=title, takeaway=takeaway
    )


def leader_takeaway(frame: pd.DataFrame) -> str | None:
    """ "X居首（…）" for a :func:`label_frame` of two or more bars, else None."""
    return charts.takeaway_ranking(frame, by="label", top=1).split("，")[0] if len(frame) >= 2 else None


def coverage_figure(frame: pd.DataFrame, *, title: str, takeaway: str | None = None) -> Any:
    """Bars of a :func:`coverage_frame`: how many of the area's indicators each visible source gives."""
    shown = frame.drop(columns=[c for c in ("source_id", "group") if c in frame.columns])
    return figure_or_note(
        shown, charts.bar_ranking, "本版没有可用的资料。", by="label", title=title, takeaway=takeaway
    )


def rank_figure(frame: pd.DataFrame, missing: str, **kwargs: Any) -> Any:
    """Bump chart of ranks over two or more years, else the note "<missing>；不足两个年份，无法绘制排名变化图。"."""
    if frame.empty or frame["year"].nunique() < 2:
        return note(f"{missing}；不足两个年份，无法绘制排名变化图。")
    return render.figure(charts.bump_chart(frame, **kwargs))


# ----------------------------------------------------------------------------------------------------------
# Coverage of a domain (thin-data chapters)


def domain_ids(ds: Any, domains: Sequence[str]) -> list[str]:
    """Catalogue ids of ``domains``, in catalogue order."""
    dom = ds.indicators["domain"]
    return [str(i) for i in ds.indicators.index if dom[i] in domains]


def domain_count(ds: Any, domains: Sequence[str]) -> int:
    """How many indicators of ``domains`` have at least one national figure in the edition."""
    return sum(ds.latest(i) is not None for i in domain_ids(ds, domains))


def observed(ds: Any) -> pd.DataFrame:
    """Every visible observation (all sources, not only the winners) — what each report printed."""
    obs = getattr(ds, "observations", None)
    return ds.resolved if obs is None else obs


def short_source(title: str, kind: str) -> str:
    """A short label for a source in chart rows: "2021 年度报告", "“十四五”信息化规划"."""
    m = re.search(r"（(\d{4})年）", str(title))
    if kind == "yearly_report" and m:
        return f"{m.group(1)} 年度报告"
    return KIND_SHORT.get(str(kind), str(title)[:14])


def sources_sentence(ds: Any) -> str:
    """The documents an edition may use, by title, oldest first (what the 数据说明 section lists)."""
    src = ds.sources.sort_values(["edition_year", "published"], kind="stable")
    return "、".join(f"《{t}》" for t in src["title"])


def coverage_frame(ds: Any, groups: dict[str, Sequence[str]]) -> pd.DataFrame:
    """How many distinct indicators of each group every visible source gives (zero rows kept).

    ``groups`` maps a group label (e.g. "数字文化") to indicator ids. The result has the columns the
    chart builders need (``value``, ``unit`` = 项, ``source_title``, ``edition_year``) and a ``label``.
    """
    obs = observed(ds)
    rows = []
    for _, src in ds.sources.iterrows():
        sid = src["source_id"]
        given = set(obs.loc[obs["source_id"] == sid, "indicator_id"])
        for group, ids in groups.items():
            label = short_source(src["title"], src.get("kind", ""))
            rows.append(
                {
                    "label": f"{label}·{group}" if len(groups) > 1 else label,
                    "group": group,
                    "source_id": sid,
                    "value": float(len(given & set(ids))),
                    "unit": "项",
                    "qualifier": "exact",
                    "source_title": src["title"],
                    "edition_year": int(src["edition_year"]),
                }
            )
    cols = ["label", "group", "source_id", "value", "unit", "qualifier", "source_title", "edition_year"]
    return pd.DataFrame(rows, columns=cols)


def coverage_sentence(ds: Any, ids: Sequence[str], area: str) -> str:
    """How many of the area's indicators the edition has, and how many form a series (≥ 2 years)."""
    res = ds.resolved[ds.resolved["indicator_id"].isin(list(ids))]
    with_data = res["indicator_id"].nunique()
    if with_data == 0:
        return f"本版资料没有给出{area}方面的任何数字"
    years = res.groupby("indicator_id")["year"].nunique()
    multi = int((years >= 2).sum())
    if multi == 0:
        return f"本版资料涉及{area}的指标共 {with_data} 项，但没有一项有两个以上年份的数据"
    return f"本版资料涉及{area}的指标共 {with_data} 项，其中能连成两个以上年份序列的只有 {multi} 项"


def edition_report_sentence(ds: Any, ids: Sequence[str], area: str) -> str:
    """What the edition's own yearly report says about the area (count of figures), or that it is silent."""
    src = ds.sources[(ds.sources["edition_year"] == ds.edition)]
    reports = src[
        src.get("kind", pd.Series(["yearly_report"] * len(src), index=src.index)) == "yearly_report"
    ]
    if reports.empty:
        return f"本版没有当年的年度报告，{area}的数字全部来自其他资料"
    obs = observed(ds)
    parts = []
    for _, r in reports.iterrows():
        n = obs[(obs["source_id"] == r["source_id"]) & obs["indicator_id"].isin(list(ids))]["indicator_id"]
        n = n.nunique()
        parts.append(
            f"《{r['title']}》给出了 {n} 项{area}指标" if n else f"《{r['title']}》没有给出{area}方面的数字"
        )
    return "；".join(parts)


def milestone_list(ds: Any, domains: Sequence[str], categories: Sequence[str] | None = None) -> str:
    """The milestones of ``domains`` as one sentence ("2021 年 9 月，…；…"), or a plain no-data sentence."""
    from dcbook.chapters.overview import milestone_frame

    m = milestone_frame(ds)
    m = m[m["domain"].isin(list(domains))]
    if categories is not None:
        m = m[m["category"].isin(list(categories))]
    if m.empty:
        return "本版资料没有记录这一领域带日期的标志性事件"
    return "；".join(f"{date_words(d)}，{e}" for d, e in zip(m["date"], m["event_zh"], strict=True))


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
    """Scorecard rows that have data, in the shape :func:`dcbook.charts.target_progress` draws.

    The scorecard's own status (one of :data:`dcbook.charts.STATUS_COLORS`) is kept, so the chart and
    the prose never disagree.
    """
    rows = card.copy()
    if "verdict" in rows.columns:  # the chart shows what the prose counts (dcbook.targets.verdict)
        rows["status"] = rows["verdict"]
    rows = rows[rows["status"].isin(list(charts.STATUS_COLORS))]
    if rows.empty:
        return pd.DataFrame()
    src = ds.sources.set_index("source_id")
    rows["name_zh"] = [f"{n}（{p}）" for n, p in zip(rows["name_zh"], rows["plan_short"], strict=True)]
    rows["qualifier"] = rows["latest_qualifier"].fillna("exact")
    rows["source_title"] = [src.at[s, "title"] for s in rows["latest_source_id"]]
    rows["edition_year"] = [src.at[s, "edition_year"] for s in rows["latest_source_id"]]
    keep = [
        "indicator_id", "name_zh", "unit", "base_year", "base_value", "latest_year", "latest_value",
        "target_year", "target_value", "comparator", "qualifier", "status", "source_id", "source_title",
        "edition_year",
    ]  # fmt: skip
    rows["source_id"] = rows["latest_source_id"]
    return rows[keep].reset_index(drop=True)


def plan_figure(ds: Any, card: pd.DataFrame, area: str) -> Any:
    """The chapter's plan-target progress chart (six scorecard statuses), or a note when none is judged."""
    plan = plan_chart_frame(ds, card)
    return figure_or_note(
        plan,
        charts.target_progress,
        f"本版资料中没有可评估进度的{area}类规划目标。",
        title=f"{area}类规划目标进度",
        takeaway=charts.takeaway_targets(plan) if not plan.empty else None,
    )


def target_text(row: Any) -> str:
    """The plan requirement as words ("2025 年不低于 45 万家") for a scorecard or targets.csv row."""
    comp = {">=": "不低于", ">": "超过", "<=": "不高于", "<": "低于"}.get(str(row["comparator"]), "达到")
    value = fmt.fmt_value(float(row["target_value"]), str(row["unit"]))
    return f"{int(row['target_year'])} 年{join_words(comp, value)}"


def plan_sentence(card: pd.DataFrame, area: str) -> str:
    """Counts of plan targets by status for a chapter's area, naming the judged ones."""
    if card.empty:
        return f"本版资料中没有{area}方面的规划目标"
    counts = targets.verdict_counts(card)  # the verdicts every chapter counts (dcbook.targets.verdict)
    parts = [f"{verdict} {n} 项" for verdict, n in counts.items()]
    text = f"本版资料涉及{area}的规划目标共 {len(card)} 项，其中" + "，".join(parts)
    judged = card[~card["verdict"].isin(list(UNJUDGED))]
    if not judged.empty:
        names = "；".join(
            f"{r['name_zh']}（{r['plan_short']}，{r['verdict']}）" for _, r in judged.iterrows()
        )
        text += f"。可评估的是：{names}"
    return text


def pace_sentence(card: pd.DataFrame, indicator_id: str, plan: str, *, name: str | None = None) -> str:
    """Whether an indicator grows faster or slower than its plan requires, computed from the scorecard.

    With ``name`` the sentence names the indicator ("“十三五”规划要求网上零售额 2020 年…"), so it can
    stand alone in a list of several targets.
    """
    rows = card[(card["indicator_id"] == indicator_id) & (card["plan"] == plan)]
    if rows.empty:
        what = f"{quoted(name)}的{PLAN_SHORT.get(plan, plan)}目标" if name else "该指标的规划目标"
        return f"本版资料中没有{what}"
    r = rows.iloc[0]
    goal = f"{name or ''} {target_text(r)}"  # target_text starts with the year: a space before it
    if r["status"] == "无数据":
        return f"{r['plan_short']}要求{goal}，本版资料尚无基期之后的数据，无法判断进度"
    verdict = r["verdict"] if "verdict" in r.index else r["status"]  # what every chapter counts
    if verdict == "中途达标":
        year = int(r["early"]) if pd.notna(r.get("early")) else int(r["latest_year"])
        return f"{r['plan_short']}要求{goal}，{year} 年已达到目标，但此后资料没有口径相符的数值（中途达标）"
    if verdict == "口径待核":
        return (
            f"{r['plan_short']}要求{goal}，{int(r['latest_year'])} 年的数值按字面为{r['status']}，"
            "但其统计口径无法与规划表对上（口径待核）"
        )
    if verdict in ("已达成", "未达成"):
        return f"{r['plan_short']}要求{goal}，按 {int(r['latest_year'])} 年的数据判断为{verdict}"
    obs, req = r["observed_cagr"], r["required_cagr"]
    if obs is None or req is None or pd.isna(obs) or pd.isna(req):
        return f"{r['plan_short']}要求{goal}，目前判断为{r['status']}"
    word = "快于" if obs > req else "慢于" if obs < req else "等于"
    text = (
        f"{r['plan_short']}要求{goal}，需年均增长 {fmt.fmt_rate(req)}；"
        f"{int(r['base_year'])}–{int(r['latest_year'])} 年实际年均增长 {fmt.fmt_rate(obs)}，{word}规划要求"
    )
    need = r["required_cagr_from_latest"]
    if int(r["edition"]) >= int(r["target_year"]):
        text += (
            f"（目标年已过，但资料未给出目标年的数值，此判断只反映截至 {int(r['latest_year'])} 年的进度，"
            "最终结果无法判定）"
        )
    elif need is not None and not pd.isna(need):
        text += f"，此后每年须增长 {fmt.fmt_rate(need)} 才能如期达标"
    return text


#: Verdicts that cannot be judged from the documents (no data, no comparable target-year figure).
UNJUDGED: tuple[str, ...] = ("无数据", "无法判定", "口径待核")


def plan_finding(card: pd.DataFrame, area: str) -> str:
    """One 本章要点 sentence on a chapter's plan targets: how many met, on pace, behind (named).

    Counts are the verdicts of :func:`dcbook.targets.verdict`, so they add up with chapter 12's.
    """
    judged = card[~card["verdict"].isin(list(UNJUDGED))] if not card.empty else card
    if judged.empty:
        return f"本版资料尚无可以评估的{area}类规划目标。"
    v = judged["verdict"]
    behind = judged[v.isin(list(BEHIND))]
    parts = [f"已达成 {int((v == '已达成').sum())} 项"]
    if (v == "中途达标").any():
        parts.append(f"规划期中途达标 {int((v == '中途达标').sum())} 项")
    parts.append(f"进度领先或符合进度 {int(v.isin(list(ON_PACE)).sum())} 项")
    parts.append(f"落后或未达成 {len(behind)} 项")
    text = f"{area}类规划目标中可评估 {len(judged)} 项：" + "，".join(parts)
    if not behind.empty:
        text += "，滞后的是" + "、".join(
            f"{n}（{p}）" for n, p in zip(behind["name_zh"], behind["plan_short"], strict=True)
        )
    rest = card["verdict"].isin(["无法判定", "口径待核"]).sum()
    if rest:
        text += f"；另有 {int(rest)} 项目标年已过而无法判定或口径待核"
    return text + "。"


def no_plan_sentence(ds: Any, domains: Sequence[str], area: str) -> str:
    """The chapter's plan targets (dcbook.targets), or the plain fact that no plan set one for the area."""
    card = plan_card(ds, domains)
    if card.empty:
        plans = sorted(set(ds.targets["plan"].astype(str))) if not ds.targets.empty else []
        if plans:
            return (
                f"本版可见的 {len(plans)} 份规划的主要指标表中，没有一项属于{area}，"
                "因此本章无法像其他章节那样对照量化目标打分"
            )
        return f"本版资料中没有任何规划目标表，{area}也就无从对照量化目标"
    return plan_sentence(card, area)


# ----------------------------------------------------------------------------------------------------------
# What a chapter's texts() starts and ends with


def base_texts(ds: Any, domains: Sequence[str], *, sources: bool = True) -> dict[str, str]:
    """The glued keys every domain chapter has: ``edition``, ``sources`` (optional), ``n_indicators``."""
    out = {"edition": str(ds.edition)}
    if sources:
        out["sources"] = sources_sentence(ds)
    out["n_indicators"] = f"{domain_count(ds, domains)} 项"
    return out


def headline_texts(
    ds: Any, indicator_ids: Iterable[str], value: Callable[[Any, str], str] = value_text
) -> dict[str, str]:
    """The headline figures a notebook prints in its NBVAL_CHECK_OUTPUT cell: the edition, then
    ``value(ds, id)`` per indicator (:func:`value_text`, or :func:`year_value` to show the year)."""
    return {"edition": str(ds.edition)} | {i: value(ds, i) for i in indicator_ids}


def key_texts(findings: Sequence[str]) -> dict[str, str]:
    """The 本章要点 sentences as glue keys ``key_1`` … ``key_n``; each must be a finished sentence."""
    for i, f in enumerate(findings, start=1):
        if not f.endswith("。"):
            raise ValueError(f"finding key_{i} does not end with a full stop: {f!r}")
    return {f"key_{i}": f for i, f in enumerate(findings, start=1)}
