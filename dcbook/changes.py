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
from dcbook import regional as rg
from dcbook import targets
from dcbook.schema import DOMAIN_NAMES
from dcbook.targets import PLAN_NAMES, PLAN_SHORT
from dcbook.units import RANK_UNITS, SHARE_UNITS

CHANGE_KEYS: tuple[str, ...] = ("new_values", "largest_changes", "status_changes", "top_ten", "revisions")
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


TOP_TEN_COLUMNS: tuple[str, ...] = (
    "province", "change", "old_framework", "old_year", "new_framework", "new_year", "new_source_id",
)  # fmt: skip


def is_level(unit: str) -> bool:
    """True for stock/flow indicators whose growth rates are comparable (not shares, not ranks)."""
    return unit not in SHARE_UNITS and unit not in RANK_UNITS


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
        "new_qualifier", "rel_change", "pp_change",
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
        if F.from_pilot(a.get("quote"), b.get("quote")):
            rel = None  # a pilot's figure → a national one: a rollout, not a relative change to rank
        pp = v1 - v0 if unit in SHARE_UNITS else None
        rows.append(
            {
                "indicator_id": ind, "name_zh": b["name_zh"], "unit": unit,
                "old_year": int(a["year"]), "old_value": v0, "old_qualifier": _qual(a),
                "new_year": int(b["year"]), "new_value": v1, "new_qualifier": _qual(b),
                "rel_change": rel, "pp_change": pp,
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


def _domain_name(domain: str) -> str:
    return DOMAIN_NAMES.get(domain, domain)


def _source_title(ds: Any, source_id: str) -> str:
    src = ds.sources.set_index("source_id")
    return str(src.at[source_id, "title"]) if source_id in src.index else source_id


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


__all__ = [
    "CHANGE_KEYS",
    "RANK_UNITS",
    "SHARE_UNITS",
    "edition_changes",
    "facts",
    "for_edition",
    "is_level",
    "previous_edition",
    "top_ten_changes",
]
