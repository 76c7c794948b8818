"""本版更新: what changed between an edition of the book and the edition before it (issue 9).

A maintainer adding next year's report, and a reader of a new edition, both want to know what the new
data changed before reading any chapter. Two chapters show it — 01 总览 (a summary) and 13 方法与数据 (the
detail tables) — so the comparison lives here, once (analysis layer: it imports no chapter module). It
compares two loaded datasets (the edition and the previous one, :func:`previous_edition`) in five ways, the
keys of :data:`CHANGE_KEYS`:

* ``new_values`` — resolved (indicator, region, year) figures the previous edition did not have;
* ``largest_changes`` — national indicators whose latest year moved forward, old latest → new latest;
* ``status_changes`` — plan targets whose verdict (:func:`dcbook.targets.verdict`, the ``verdict`` column
  of :func:`dcbook.targets.scorecard`, what chapter 12 and every other chapter state) differs;
* ``top_ten`` — provinces that entered or left the composite top group (:mod:`dcbook.regional`);
* ``revisions`` — the same (indicator, region, year) with a different value or qualifier: an earlier
  figure a newer source revised.

:func:`facts` turns the comparison into facts for a chapter's templates (worded by the shared phrases
``update_*`` of ``book/_templates/phrases.jinja``); the ``*_table`` functions give the detail tables.

Functions take ``dcbook.data.Dataset`` objects duck-typed (``edition``, ``resolved``, ``indicators``,
``sources``, ``targets``, ``series``, ``regional``, ``provinces``) so tests can pass small hand-made ones.
Nothing is keyed on a year, source or indicator: a new edition flows through as is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from dcbook import facts as F
from dcbook import fmt, targets
from dcbook import regional as rg
from dcbook.fmt import join_words
from dcbook.schema import DOMAIN_NAMES
from dcbook.targets import PLAN_NAMES, PLAN_SHORT

CHANGE_KEYS: tuple[str, ...] = ("new_values", "largest_changes", "status_changes", "top_ten", "revisions")
#: Keys of :func:`changes_texts` (each chapter glues them under its own prefix).
TEXT_KEYS: tuple[str, ...] = (
    "update_intro",
    "update_new",
    "update_largest",
    "update_status",
    "update_regional",
    "update_revisions",
)
#: Units whose change is not a growth rate: shares move in percentage points, ranks in places.
SHARE_UNITS: tuple[str, ...] = ("%",)
RANK_UNITS: tuple[str, ...] = ("位",)
#: Up to this many indicators with new national values are named one by one; more are counted by domain.
MAX_NAMED = 12
#: Status shown for a target whose plan the previous edition could not see yet.
NOT_YET = "未纳入"

_KEY = ["indicator_id", "region", "year"]


def _qual(row: Any) -> str:
    """Qualifier of a row (empty or NaN means exact)."""
    q = row.get("qualifier") if hasattr(row, "get") else None
    return F.EXACT if q is None or (isinstance(q, float) and math.isnan(q)) or q == "" else str(q)


def _unit(row: Any) -> str:
    """Unit of a row (empty or NaN means none)."""
    u = row.get("unit")
    return "" if u is None or (isinstance(u, float) and math.isnan(u)) else str(u)


def number_text(value: float, unit: str, qualifier: str = F.EXACT) -> str:
    """A value as readers see it, in a table cell: "超过 6.7 亿笔", "第 14 位"."""
    return fmt.fmt_value(value, unit, qualifier=qualifier)


TOP_TEN_COLUMNS: tuple[str, ...] = (
    "province", "change", "old_framework", "old_year", "new_framework", "new_year", "new_source_id",
)  # fmt: skip


# ----------------------------------------------------------------------------------------------------------
# Describing one change in a table cell (also used by the headline panel, dcbook.panel)


def _growth_word(first_q: str, last_q: str) -> str:
    """Qualifier of a change computed from two possibly qualified ends ("超过", "不到", "约" or "")."""
    if first_q == last_q == "exact":
        return ""
    if last_q == "lower_bound" and first_q in ("exact", "upper_bound"):
        return "超过"
    if last_q == "upper_bound" and first_q in ("exact", "lower_bound"):
        return "不到"
    return "约"


def is_level(unit: str) -> bool:
    """True for stock/flow indicators whose growth rates are comparable (not shares, not ranks)."""
    return unit not in SHARE_UNITS and unit not in RANK_UNITS


def change_text(first: Any, last: Any, unit: str) -> str:
    """Change first → last as readers say it: "增长 67.3%", "提高 6.9 个百分点", "上升 15 位".

    Shares change in percentage points and ranks in places (a smaller rank number is better), because a
    growth rate of a share or of a rank has no meaning; qualifiers of either end carry into the words.
    """
    v0, v1 = float(first["value"]), float(last["value"])
    word = _growth_word(_qual(first), _qual(last))
    if unit in RANK_UNITS:
        gain = round(v0 - v1)
        if gain == 0:
            return "名次未变"
        return f"{'上升' if gain > 0 else '下降'}{word} {abs(gain)} 位"
    if unit in SHARE_UNITS:
        delta = v1 - v0
        digits = max(fmt._decimals(v0), fmt._decimals(v1), 1)
        if round(delta, digits) == 0:
            return "基本持平"
        return f"{'提高' if delta > 0 else '下降'}{word} {fmt.fmt_plain(abs(delta), digits)} 个百分点"
    if v0 <= 0 or v1 < 0:
        return fmt.fmt_change(v0, v1, unit)
    text = fmt.fmt_growth(v0, v1)
    if word:
        text = text.replace("增长 ", f"增长{word} ", 1).replace("下降 ", f"下降{word} ", 1)
    return text


# ----------------------------------------------------------------------------------------------------------
# Which edition to compare with


def previous_edition(edition: int, editions: Sequence[int]) -> int | None:
    """The newest edition before ``edition`` among ``editions`` (None for the earliest)."""
    earlier = [int(e) for e in editions if int(e) < int(edition)]
    return max(earlier) if earlier else None


def for_edition(
    ds: Any, data_dir: Path | str | None = None
) -> tuple[int | None, dict[str, pd.DataFrame] | None]:
    """``(previous edition, edition_changes(ds, previous))`` for a chapter notebook; ``(None, None)`` first.

    The previous edition is loaded from the same ``data_dir``, so both sides obey the same conflict rule.
    """
    from dcbook import data  # late: keeps this module importable with hand-made datasets only

    prev = previous_edition(int(ds.edition), data.available_editions(data_dir))
    if prev is None:
        return None, None
    return prev, edition_changes(ds, data.load(prev, data_dir))


# ----------------------------------------------------------------------------------------------------------
# The comparison


def edition_changes(ds_new: Any, ds_old: Any) -> dict[str, pd.DataFrame]:
    """Compare two editions' datasets (``ds_old`` the earlier one); frames keyed by :data:`CHANGE_KEYS`.

    * ``new_values`` — resolved rows (indicator, region, year) the old edition did not have; column
      ``new_indicator`` is True when the old edition had no figure at all for the indicator.
    * ``largest_changes`` — national indicators whose latest year moved forward: old latest → new latest,
      with ``rel_change`` (level indicators with positive values) and ``pp_change`` (shares), sorted by
      the size of the relative change.
    * ``status_changes`` — plan targets whose verdict differs (``old_verdict`` :data:`NOT_YET` when the
      plan was not visible to the old edition).
    * ``top_ten`` — :func:`top_ten_changes`.
    * ``revisions`` — (indicator, region, year) given in both editions with a different resolved value
      or qualifier, largest relative difference first.
    """
    cols = [*_KEY, "value", "qualifier", "source_id"]
    merged = ds_new.resolved[[*cols, "name_zh", "unit", "domain"]].merge(
        ds_old.resolved[cols], on=_KEY, how="outer", suffixes=("", "_old"), indicator=True
    )
    both = merged[merged["_merge"] == "both"]
    only_new = merged[merged["_merge"] == "left_only"]
    old_ids = set(ds_old.resolved["indicator_id"])
    new_values = only_new[[*_KEY, "name_zh", "domain", "value", "unit", "qualifier", "source_id"]].copy()
    new_values["new_indicator"] = ~new_values["indicator_id"].isin(old_ids)
    new_values = new_values.sort_values(_KEY, kind="stable").reset_index(drop=True)
    return {
        "new_values": new_values,
        "largest_changes": latest_moves(ds_new, ds_old),
        "status_changes": status_changes(ds_new, ds_old),
        "top_ten": top_ten_changes(ds_new, ds_old),
        "revisions": _revisions(both),
    }


def _revisions(both: pd.DataFrame) -> pd.DataFrame:
    """Keys present in both editions whose resolved value or qualifier differs."""
    diff = both[
        ((both["value"] - both["value_old"]).abs() > 1e-9 * both["value"].abs().clip(lower=1))
        | (both["qualifier"] != both["qualifier_old"])
    ]
    out = diff[[*_KEY, "name_zh", "unit", "value_old", "qualifier_old", "source_id_old", "value", "qualifier",
                "source_id"]].copy()  # fmt: skip
    out = out.rename(
        columns={"value_old": "old_value", "qualifier_old": "old_qualifier", "source_id_old": "old_source_id",
                 "value": "new_value", "qualifier": "new_qualifier", "source_id": "new_source_id"}
    )  # fmt: skip
    out["rel_diff"] = [
        abs(n - o) / abs(o) if o else math.inf
        for o, n in zip(out["old_value"], out["new_value"], strict=True)
    ]
    out = out.sort_values(["rel_diff", *_KEY], ascending=[False, True, True, True], kind="stable")
    return out.reset_index(drop=True)


def latest_moves(ds_new: Any, ds_old: Any) -> pd.DataFrame:
    """National indicators whose latest year is newer in ``ds_new``: old latest → new latest."""
    cols = [
        "indicator_id", "name_zh", "unit", "old_year", "old_value", "old_qualifier", "new_year", "new_value",
        "new_qualifier", "rel_change", "pp_change", "change_text",
    ]  # fmt: skip

    def latest(ds: Any) -> pd.DataFrame:
        r = ds.resolved[ds.resolved["region"] == "全国"].sort_values(["indicator_id", "year"], kind="stable")
        return r.drop_duplicates("indicator_id", keep="last").set_index("indicator_id")

    new, old = latest(ds_new), latest(ds_old)
    rows = []
    for ind in new.index.intersection(old.index):
        a, b = old.loc[ind], new.loc[ind]
        if int(b["year"]) <= int(a["year"]):
            continue
        unit = _unit(b)
        v0, v1 = float(a["value"]), float(b["value"])
        rel = v1 / v0 - 1 if is_level(unit) and v0 > 0 and v1 >= 0 else None
        pp = v1 - v0 if unit in SHARE_UNITS else None
        rows.append(
            {
                "indicator_id": ind, "name_zh": b["name_zh"], "unit": unit,
                "old_year": int(a["year"]), "old_value": v0, "old_qualifier": _qual(a),
                "new_year": int(b["year"]), "new_value": v1, "new_qualifier": _qual(b),
                "rel_change": rel, "pp_change": pp, "change_text": change_text(a, b, unit),
            }
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    out["_size"] = out["rel_change"].abs()
    out = out.sort_values(
        ["_size", "indicator_id"], ascending=[False, True], kind="stable", na_position="last"
    )
    return out.drop(columns="_size").reset_index(drop=True)


def _verdict_table(ds: Any) -> pd.DataFrame:
    """Every visible plan target with its verdict and judged value (dcbook.targets).

    The verdict, not the pace status, is what chapter 12 and every other chapter state (a target past its
    year "on pace" is 无法判定 there), so 本版更新 compares verdicts to agree with them.
    """
    cols = [
        "plan",
        "indicator_id",
        "name_zh",
        "verdict",
        "latest_year",
        "latest_value",
        "latest_qualifier",
        "unit",
    ]
    cards = [targets.scorecard(ds, p) for p in targets.visible_plans(ds)]
    rows = [c[cols] for c in cards if not c.empty]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)


def status_changes(ds_new: Any, ds_old: Any) -> pd.DataFrame:
    """Plan targets whose verdict differs between the editions, with the value that decides the new one."""
    new_st, old_st = _verdict_table(ds_new), _verdict_table(ds_old)
    st = new_st.merge(
        old_st[["plan", "indicator_id", "verdict"]],
        on=["plan", "indicator_id"],
        how="left",
        suffixes=("", "_old"),
    )
    st["verdict_old"] = st["verdict_old"].fillna(NOT_YET)
    st = st[st["verdict"] != st["verdict_old"]].rename(
        columns={"verdict": "new_verdict", "verdict_old": "old_verdict"}
    )
    cols = ["plan", "indicator_id", "name_zh", "old_verdict", "new_verdict", "latest_year", "latest_value",
            "latest_qualifier", "unit"]  # fmt: skip
    return st[cols].reset_index(drop=True)


def _current_evaluation(ds: Any) -> tuple[str, int, str] | None:
    """(framework, year, source_id) of the newest composite evaluation visible to ``ds``, or None."""
    regional = getattr(ds, "regional", None)
    if regional is None or regional.empty:
        return None
    eds = rg.editions(ds)
    if eds.empty:
        return None
    last = eds.iloc[-1]
    return str(last["framework"]), int(last["year"]), str(last["source_id"])


def top_ten_changes(ds_new: Any, ds_old: Any) -> pd.DataFrame:
    """Provinces of the newest composite top group (:func:`dcbook.regional.composite_top`) vs the old one.

    One row per province in either group: ``change`` is 新进入, 退出 or 保持 (新进入 for every province
    when the old edition had no evaluation). Empty when the new edition brings no newer evaluation than
    the old one (or has none at all): then nothing entered or left.
    """
    new, old = _current_evaluation(ds_new), _current_evaluation(ds_old)
    if new is None or (old is not None and (old[0], old[1]) == (new[0], new[1])):
        return pd.DataFrame(columns=list(TOP_TEN_COLUMNS))
    new_top = rg.composite_top(ds_new, new[0], new[1])
    old_top = rg.composite_top(ds_old, old[0], old[1]) if old is not None else []
    rows = [(p, "保持" if p in old_top else "新进入") for p in new_top]
    rows += [(p, "退出") for p in old_top if p not in new_top]
    return pd.DataFrame(
        [
            {
                "province": p, "change": change,
                "old_framework": old[0] if old else None, "old_year": old[1] if old else None,
                "new_framework": new[0], "new_year": new[1], "new_source_id": new[2],
            }
            for p, change in rows
        ],
        columns=list(TOP_TEN_COLUMNS),
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------------------
# Facts for the templates (the 本版更新 sections; worded by the update_* phrases)


def _value_fact(row: Any, prefix: str = "", source: str = "") -> F.Value:
    """A :class:`dcbook.facts.Value` from a comparison row (``prefix`` "old_"/"new_" picks one side)."""
    return F.Value(
        indicator=str(row["indicator_id"]),
        name=str(row["name_zh"]),
        value=float(row[f"{prefix}value"]),
        unit=_unit(row),
        qualifier=_qual({"qualifier": row[f"{prefix}qualifier"]}),
        year=int(row[f"{prefix}year"]) if f"{prefix}year" in row.index else int(row["year"]),
        region=str(row.get("region") or "全国"),
        source=source or str(row.get(f"{prefix}source_id") or ""),
    )


def _move(row: Any) -> F.Change:
    """Old latest → new latest of one national indicator, as a :class:`dcbook.facts.Change`."""
    return F.change_of(_value_fact(row, "old_"), _value_fact(row, "new_"))


def _new_values_facts(nv: pd.DataFrame) -> dict[str, Any]:
    nat = nv[nv["region"] == "全国"]
    latest = nat.sort_values(["indicator_id", "year"], kind="stable").drop_duplicates(
        "indicator_id", keep="last"
    )
    first_ids = set(nv.loc[nv["new_indicator"], "indicator_id"])
    named = by_domain = None
    if len(latest) <= MAX_NAMED:
        rows = latest.sort_values(["domain", "indicator_id"], kind="stable")
        named = tuple(_value_fact(r) for _, r in rows.iterrows()) or None
    else:
        by_domain = {str(d): int(n) for d, n in latest["domain"].map(_domain_name).value_counts().items()}
    return {
        "n_values": len(nv),
        "n_indicators": int(nv["indicator_id"].nunique()),
        "n_national": len(nat),
        "n_first": len(first_ids),
        "latest_year": int(nat["year"].astype(int).max()) if not nat.empty else None,
        "n_national_indicators": len(latest),
        "n_first_national": int(latest["indicator_id"].isin(first_ids).sum()),
        "named": named,
        "by_domain": by_domain,
    }


def _moves_facts(big: pd.DataFrame) -> dict[str, Any]:
    level = big[big["rel_change"].notna()]
    shares = big[big["pp_change"].notna() & ~big["indicator_id"].str.endswith("_growth")]
    share_move = None
    if not shares.empty:
        top = shares.reindex(shares["pp_change"].abs().sort_values(ascending=False, kind="stable").index)
        share_move = _move(top.iloc[0])
    return {
        "n_moves": len(level),
        "moves": tuple(_move(r) for _, r in level.head(3).iterrows()) or None,
        "share_move": share_move,
    }


def _status_facts(sc: pd.DataFrame) -> dict[str, Any]:
    moved = sc[sc["old_verdict"] != NOT_YET]
    added = sc[sc["old_verdict"] == NOT_YET]
    items = tuple(
        {
            "name": str(r["name_zh"]),
            "plan": PLAN_SHORT.get(r["plan"], r["plan"]),
            "old": str(r["old_verdict"]),
            "new": str(r["new_verdict"]),
        }
        for _, r in moved.iterrows()
    )
    plans = {PLAN_NAMES.get(str(p), str(p)): len(g) for p, g in added.groupby("plan", sort=True)}
    return {"moved": items or None, "added": plans or None}


def _regional_facts(tt: pd.DataFrame, ds: Any) -> dict[str, Any]:
    evaluation = None
    if not tt.empty:
        first = tt.iloc[0]
        evaluation = {
            "year": int(first["new_year"]),
            "title": _source_title(ds, str(first["new_source_id"])),
            "members": tuple(str(p) for p in tt.loc[tt["change"] != "退出", "province"]),
            "old_year": None if pd.isna(first["old_year"]) else int(first["old_year"]),
            "entered": tuple(str(p) for p in tt.loc[tt["change"] == "新进入", "province"]),
            "left": tuple(str(p) for p in tt.loc[tt["change"] == "退出", "province"]),
            "same_framework": bool(first["old_framework"] == first["new_framework"]),
        }
    return {"evaluation": evaluation, "has_evaluation": _current_evaluation(ds) is not None}


def _revision_facts(rv: pd.DataFrame) -> dict[str, Any]:
    revision = None
    if not rv.empty:
        r = rv.iloc[0]
        revision = {"old": _value_fact(r, "old_"), "new": _value_fact(r, "new_")}
    return {"n_revisions": len(rv), "revision": revision}


def facts(ds: Any, prev: int | None, changes: dict[str, pd.DataFrame] | None) -> dict[str, Any] | None:
    """What a 本版更新 section says about edition ``ds`` against edition ``prev``, as facts (None for the
    earliest edition: there is nothing to compare with).

    Keys: ``previous``; new values (``n_values``, ``n_indicators``, ``n_national``, ``n_first``,
    ``latest_year``, ``n_national_indicators``, ``n_first_national``, and either ``named`` — the latest new
    national value of each indicator, when at most :data:`MAX_NAMED` — or ``by_domain`` — their count per
    domain name); the largest moves (``n_moves`` level indicators compared, the three largest ``moves`` and the
    largest ``share_move``, each a :class:`dcbook.facts.Change` old latest → new latest); verdicts (``moved``:
    name, plan, old and new verdict of each target that changed; ``added``: targets per newly visible plan);
    the regional evaluation (``evaluation``: year, source title, members, old year, entered, left,
    same_framework; ``has_evaluation``); revisions (``n_revisions`` and the largest ``revision``, old and new
    :class:`dcbook.facts.Value`).
    """
    if changes is None or prev is None:
        return None
    return {
        "previous": int(prev),
        **_new_values_facts(changes["new_values"]),
        **_moves_facts(changes["largest_changes"]),
        **_status_facts(changes["status_changes"]),
        **_regional_facts(changes["top_ten"], ds),
        **_revision_facts(changes["revisions"]),
    }


# ----------------------------------------------------------------------------------------------------------
# Interim: the same sections as sentences, for chapter 13 方法与数据 until its text is a template (then
# delete this block and TEXT_KEYS; the wording lives in the update_* phrases of phrases.jinja)


def _value_text(value: Any, unit: Any, qualifier: Any) -> str:
    return number_text(float(value), "" if pd.isna(unit) else str(unit), _qual({"qualifier": qualifier}))


def year_value(year: Any, value_text: str) -> str:
    """ "2021 年 6.7 亿笔", "2021 年超过 6.7 亿笔": a year and a value by the house spacing rule (a space
    before a number, none before a qualifier word; :func:`dcbook.fmt.join_words`)."""
    return join_words(f"{int(year)} 年", value_text)


def _move_item(row: Any) -> str:
    a = number_text(float(row["old_value"]), row["unit"], row["old_qualifier"])
    b = number_text(float(row["new_value"]), row["unit"], row["new_qualifier"])
    old, new = year_value(row["old_year"], a), year_value(row["new_year"], b)
    return f"{row['name_zh']}（{old} → {new}，{row['change_text']}）"


def _domain_name(domain: str) -> str:
    return DOMAIN_NAMES.get(domain, domain)


def new_values_sentence(nv: pd.DataFrame) -> str:
    """Which indicators got new national values: named with their latest new value when few, else by domain."""
    nat = nv[nv["region"] == "全国"]
    if nat.empty:
        return "本版没有新增全国数值"
    latest = nat.sort_values(["indicator_id", "year"], kind="stable").drop_duplicates(
        "indicator_id", keep="last"
    )
    if len(latest) <= MAX_NAMED:
        items = [
            f"{r['name_zh']}（{year_value(r['year'], _value_text(r['value'], r['unit'], r['qualifier']))}）"
            for _, r in latest.sort_values(["domain", "indicator_id"], kind="stable").iterrows()
        ]
        return f"有新增全国数值的指标共 {len(latest)} 项（括号内为新增的最晚一年的数值）：" + "、".join(items)
    first = latest[latest["indicator_id"].isin(nv.loc[nv["new_indicator"], "indicator_id"])]
    by = latest["domain"].map(_domain_name).value_counts()
    text = f"有新增全国数值的指标共 {len(latest)} 项，按领域分：" + "、".join(
        f"{d} {n} 项" for d, n in by.items()
    )
    if not first.empty:
        text += f"；其中首次出现的指标 {len(first)} 项"
    return text


def largest_sentence(big: pd.DataFrame, prev: int) -> str:
    """The three largest relative moves of level indicators, and the largest move of a share."""
    lv = big[big["rel_change"].notna()]
    if lv.empty:
        text = "本版没有哪项规模类指标的最新年份比上一版更新，无法比较变化幅度"
    else:
        text = (
            f"最新年份比 {prev} 年版更新的全国规模类指标共 {len(lv)} 项，按两版最新值之间的相对变化计，变化最大的是："
            + "；".join(_move_item(r) for _, r in lv.head(3).iterrows())
        )
    pp = big[big["pp_change"].notna() & ~big["indicator_id"].str.endswith("_growth")]
    if not pp.empty:
        p = pp.reindex(pp["pp_change"].abs().sort_values(ascending=False, kind="stable").index).iloc[0]
        text += f"。比率类指标中变化最大的是{_move_item(p)}"
    return text


def status_sentence(sc: pd.DataFrame, prev: int) -> str:
    """Targets whose verdict moved, named with plan and old → new verdict; plans newly visible, counted."""
    moved = sc[sc["old_verdict"] != NOT_YET]
    added = sc[sc["old_verdict"] == NOT_YET]
    if moved.empty:
        text = f"与 {prev} 年版相比，已有规划目标的评估状态没有变化"
    else:
        items = [
            f"{r['name_zh']}（{PLAN_SHORT.get(r['plan'], r['plan'])}：{r['old_verdict']} → {r['new_verdict']}）"
            for _, r in moved.iterrows()
        ]
        text = f"评估状态发生变化的规划目标有 {len(moved)} 项：" + "、".join(items)
    for plan, grp in added.groupby("plan", sort=True):
        text += f"；本版新纳入{targets.PLAN_NAMES.get(plan, plan)}的 {len(grp)} 项目标"
    return text


def _source_title(ds: Any, source_id: str) -> str:
    src = ds.sources.set_index("source_id")
    return str(src.at[source_id, "title"]) if source_id in src.index else source_id


def regional_sentence(tt: pd.DataFrame, ds: Any, prev: int) -> str:
    """Who entered and left the composite top group with the edition's newest evaluation."""
    if tt.empty:
        if _current_evaluation(ds) is None:
            return "本版资料没有各省的综合评价结果"
        return f"本版没有比 {prev} 年版更新的地区评价，综合排名前列的省份名单没有变化"
    first = tt.iloc[0]
    year, title = int(first["new_year"]), _source_title(ds, str(first["new_source_id"]))
    members = tt[tt["change"] != "退出"]["province"]
    text = f"本版加入了《{title}》的 {year} 年地区评价，综合排名前列的 {len(members)} 个省份是" + "、".join(
        members
    )
    if pd.isna(first["old_year"]):
        return text + "；上一版没有可比较的综合评价"
    entered = tt[tt["change"] == "新进入"]["province"]
    left = tt[tt["change"] == "退出"]["province"]
    text += f"。与 {int(first['old_year'])} 年评价相比，"
    if entered.empty and left.empty:
        text += "名单没有变化"
    else:
        text += "新进入的是" + ("、".join(entered) if not entered.empty else "（无）")
        text += "，退出的是" + ("、".join(left) if not left.empty else "（无）")
    if first["old_framework"] != first["new_framework"]:
        text += "（两次评价的指标体系不同，进出只说明相对位置的变化）"
    return text


def revisions_sentence(rv: pd.DataFrame, prev: int) -> str:
    """How many earlier figures a newer source changed, and the largest relative revision."""
    if rv.empty:
        return f"本版没有修订 {prev} 年版已有的数值"
    r = rv.iloc[0]
    a = number_text(float(r["old_value"]), r["unit"], r["old_qualifier"])
    b = number_text(float(r["new_value"]), r["unit"], r["new_qualifier"])
    return (
        f"本版有 {len(rv)} 个 {prev} 年版已有的数值被更新的资料改写（同一指标、地区和年份，数值或限定词不同），"
        f"相对差异最大的是{r['region']} {int(r['year'])} 年的{r['name_zh']}："
        + join_words("由", a)
        + join_words("改为", b)
    )


def changes_texts(changes: dict[str, pd.DataFrame] | None, ds: Any, prev: int | None) -> dict[str, str]:
    """Sentences (each ending with 。) for a 本版更新 section of edition ``ds``, keyed by :data:`TEXT_KEYS`.

    The earliest edition (``prev`` None) gets one sentence saying there is no previous edition; the
    other keys are then empty.
    """
    if changes is None or prev is None:
        none = (
            f"{int(ds.edition)} 年版是本书的第一版，没有更早的版本可以比较；从下一版起，这里会列出新增的数值、"
            "变化最大的指标、状态改变的规划目标、进出前十的省份和被修订的旧数值。"
        )
        return {k: none if k == "update_intro" else "" for k in TEXT_KEYS}
    nv = changes["new_values"]
    nat = nv[nv["region"] == "全国"]
    intro = f"与 {prev} 年版相比，本版新增了 {len(nv)} 个数值（涉及 {nv['indicator_id'].nunique()} 项指标）"
    intro += f"，其中全国数值 {len(nat)} 个，首次出现的指标 {nv.loc[nv['new_indicator'], 'indicator_id'].nunique()} 项"
    if not nat.empty:
        intro += f"；新增的全国数值中最晚的年份是 {int(nat['year'].astype(int).max())} 年"
    texts = {
        "update_intro": intro,
        "update_new": new_values_sentence(nv),
        "update_largest": largest_sentence(changes["largest_changes"], prev),
        "update_status": status_sentence(changes["status_changes"], prev),
        "update_regional": regional_sentence(changes["top_ten"], ds, prev),
        "update_revisions": revisions_sentence(changes["revisions"], prev),
    }
    return {k: f"{v}。" for k, v in texts.items()}


# ----------------------------------------------------------------------------------------------------------
# Detail tables (01 总览, 13 方法与数据)


def changes_table(changes: dict[str, pd.DataFrame] | None, top: int = 10) -> pd.DataFrame:
    """The largest latest-value changes as a readers' table (empty for the earliest edition)."""
    cols = ["指标", "上一版最新", "本版最新", "变化"]
    if changes is None or changes["largest_changes"].empty:
        return pd.DataFrame(columns=cols)
    big = changes["largest_changes"].head(top)
    return pd.DataFrame(
        {
            "指标": big["name_zh"],
            "上一版最新": [
                year_value(y, number_text(float(v), u, q))
                for y, v, u, q in zip(
                    big["old_year"], big["old_value"], big["unit"], big["old_qualifier"], strict=True
                )
            ],
            "本版最新": [
                year_value(y, number_text(float(v), u, q))
                for y, v, u, q in zip(
                    big["new_year"], big["new_value"], big["unit"], big["new_qualifier"], strict=True
                )
            ],
            "变化": big["change_text"],
        },
        columns=cols,
    )


def status_table(changes: dict[str, pd.DataFrame] | None) -> pd.DataFrame:
    """Targets whose verdict changed, with the value that decides the new verdict (empty if none)."""
    cols = ["规划", "指标", "上一版状态", "本版状态", "本版依据"]
    if changes is None or changes["status_changes"].empty:
        return pd.DataFrame(columns=cols)
    sc = changes["status_changes"]
    basis = [
        "—" if pd.isna(y) else year_value(y, _value_text(v, u, q))
        for y, v, u, q in zip(
            sc["latest_year"], sc["latest_value"], sc["unit"], sc["latest_qualifier"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "规划": [PLAN_SHORT.get(p, p) for p in sc["plan"]],
            "指标": sc["name_zh"],
            "上一版状态": sc["old_verdict"],
            "本版状态": sc["new_verdict"],
            "本版依据": basis,
        },
        columns=cols,
    )


def top_ten_table(changes: dict[str, pd.DataFrame] | None) -> pd.DataFrame:
    """The newest evaluation's composite top group and who left it (empty without a newer evaluation)."""
    cols = ["省份", "变化"]
    if changes is None or changes["top_ten"].empty:
        return pd.DataFrame(columns=cols)
    tt = changes["top_ten"]
    return pd.DataFrame({"省份": tt["province"], "变化": tt["change"]}, columns=cols)


def revisions_table(changes: dict[str, pd.DataFrame] | None) -> pd.DataFrame:
    """Every revised earlier figure: old and new value with their sources, largest relative change first."""
    cols = ["指标", "地区", "年份", "上一版数值", "本版数值", "相对差异"]
    if changes is None or changes["revisions"].empty:
        return pd.DataFrame(columns=cols)
    rv = changes["revisions"]
    return pd.DataFrame(
        {
            "指标": rv["name_zh"],
            "地区": rv["region"],
            "年份": rv["year"].astype(int).astype(str),
            "上一版数值": [
                f"{_value_text(v, u, q)}（{s}）"
                for v, u, q, s in zip(
                    rv["old_value"], rv["unit"], rv["old_qualifier"], rv["old_source_id"], strict=True
                )
            ],
            "本版数值": [
                f"{_value_text(v, u, q)}（{s}）"
                for v, u, q, s in zip(
                    rv["new_value"], rv["unit"], rv["new_qualifier"], rv["new_source_id"], strict=True
                )
            ],
            "相对差异": ["—" if math.isinf(x) else fmt.fmt_pct(float(x)) for x in rv["rel_diff"]],
        },
        columns=cols,
    )


__all__ = [
    "CHANGE_KEYS",
    "TEXT_KEYS",
    "change_text",
    "changes_table",
    "changes_texts",
    "edition_changes",
    "facts",
    "for_edition",
    "is_level",
    "previous_edition",
    "revisions_table",
    "status_table",
    "top_ten_changes",
    "top_ten_table",
    "year_value",
]
