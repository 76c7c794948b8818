"""Dated milestones of an edition (``milestones.csv``): one frame, deduplicated and in time order.

Several chapters tell the story of a period through the documents and events its sources date — the overview's
timeline and its three stages, the legal milestones of 网络安全与数字治理, the events of 国际合作 — so the frame
they read lives here once (analysis layer: it imports no chapter, no chart). :func:`events` hands its rows to
the templates as :class:`dcbook.facts.Event` facts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from dcbook import facts as F
from dcbook.schema import MILESTONE_CATEGORIES

#: Display labels of the milestone categories (``milestones.csv`` ``category``), in timeline order.
CATEGORY_NAMES: dict[str, str] = dict(
    zip(MILESTONE_CATEGORIES, ("战略", "规划", "法律", "法规政策", "评估评价", "事件"), strict=True)
)
#: Columns of :func:`milestone_frame`.
COLUMNS: tuple[str, ...] = (
    "date", "year", "_date", "precision", "event_zh", "category", "category_zh", "domain",
    "source_id", "source_title", "edition_year", "quote",
)  # fmt: skip

_TITLE = re.compile(r"《([^》]+)》")
#: How precisely a date is given, by its number of parts ("2021" → 年, "2021-06" → 月, "2021-06-10" → 日).
_PRECISION = {1: "年", 2: "月", 3: "日"}


def _precision(date: str) -> str:
    return _PRECISION.get(len(str(date).split("-")), "年")


def milestone_frame(ds: Any) -> pd.DataFrame:
    """Every milestone the edition's sources name, dated, with category label and source title.

    A year-only entry that names the same document 《…》 as a more precisely dated entry of the same
    category and year is dropped: two sources dating one event differently should not make two events.
    Sorted by date (a year-only date as 1 January), then category, then text.
    """
    m = ds.milestones
    if m is None or m.empty:
        return pd.DataFrame(columns=list(COLUMNS))
    src = ds.sources.set_index("source_id")
    df = m.copy().reset_index(drop=True)
    if "quote" not in df.columns:
        df["quote"] = ""
    df["date"] = df["date"].astype(str)
    df["year"] = [int(d[:4]) for d in df["date"]]
    df["_date"] = ["-".join([*d.split("-"), "01", "01"][:3]) for d in df["date"]]
    df["precision"] = [_precision(d) for d in df["date"]]
    df["category_zh"] = df["category"].map(CATEGORY_NAMES).fillna(df["category"])
    df["source_title"] = [src.at[s, "title"] for s in df["source_id"]]
    df["edition_year"] = [int(src.at[s, "edition_year"]) for s in df["source_id"]]
    drop = []
    for i, row in df[df["precision"] == "年"].iterrows():
        titles = set(_TITLE.findall(row["event_zh"]))
        if not titles:
            continue
        same = df[
            (df.index != i)
            & (df["category"] == row["category"])
            & (df["year"] == row["year"])
            & (df["precision"] != "年")
        ]
        if any(titles & set(_TITLE.findall(e)) for e in same["event_zh"]):
            drop.append(i)
    df = df.drop(index=drop)
    order = {c: i for i, c in enumerate(CATEGORY_NAMES)}
    df["_order"] = df["category"].map(order).fillna(len(order))
    df = df.sort_values(["_date", "_order", "event_zh"], kind="stable").reset_index(drop=True)
    return df[list(COLUMNS)]


def of_categories(frame: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """The rows of ``frame`` in ``categories`` (time order kept)."""
    return frame[frame["category"].isin(list(categories))].reset_index(drop=True)


def events(frame: pd.DataFrame) -> tuple[F.Event, ...]:
    """The rows of a :func:`milestone_frame` as :class:`dcbook.facts.Event` facts, in its order."""
    return tuple(
        F.Event(date=str(r["date"]), event=str(r["event_zh"]), domain=str(r["domain"]),
                category=str(r["category"]), source=str(r["source_id"]))
        for _, r in frame.iterrows()
    )  # fmt: skip


def category_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Milestones per category label, in :data:`CATEGORY_NAMES` order (categories that occur only)."""
    counts = frame["category"].value_counts()
    return {label: int(counts[c]) for c, label in CATEGORY_NAMES.items() if counts.get(c, 0)}


__all__ = ["CATEGORY_NAMES", "category_counts", "events", "milestone_frame", "of_categories"]
