"""A small hand-made dataset for chapter tests: the part of ``dcbook.data.Dataset`` the chapter modules use,
over a list of resolved rows, with the real indicator catalogue (names and display units).

``FakeDS([("users_5g", 2021, 3.55, "exact"), …])`` gives every row the catalogue's name and unit, one test
source, and no targets unless given; so each rule of a chapter can be checked against numbers worked out by
hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from dcbook import DEFAULT_DATA_DIR

#: The real indicator catalogue.
CATALOGUE = pd.read_csv(DEFAULT_DATA_DIR / "indicators.csv", dtype=str, keep_default_na=False).set_index(
    "indicator_id"
)
SOURCE_COLUMNS = ["source_id", "title", "publisher", "published", "edition_year", "kind"]
TARGET_COLUMNS = [
    "plan", "indicator_id", "source_id", "comparator", "base_year", "base_value", "target_year",
    "target_value", "unit", "attribute", "locator", "quote",
]  # fmt: skip


class FakeDS:
    """Resolved rows ``(indicator_id, year, value, qualifier)`` (or with a region as 5th item), one report."""

    def __init__(
        self,
        rows: Iterable[Sequence[Any]],
        edition: int = 2021,
        *,
        targets: pd.DataFrame | None = None,
        sources: pd.DataFrame | None = None,
    ) -> None:
        self.edition = edition
        self.indicators = CATALOGUE
        self.sources = (
            sources
            if sources is not None
            else pd.DataFrame(
                [
                    {
                        "source_id": "rep",
                        "title": "测试报告",
                        "publisher": "测试机构",
                        "published": f"{edition + 1}-07",
                        "edition_year": edition,
                        "kind": "yearly_report",
                    }
                ],
                columns=SOURCE_COLUMNS,
            )
        )
        self.targets = targets if targets is not None else pd.DataFrame(columns=TARGET_COLUMNS)
        self.milestones = pd.DataFrame(columns=["date", "event_zh", "domain", "category", "source_id"])
        self.regional = pd.DataFrame(columns=["source_id"])
        self.frameworks = pd.DataFrame(columns=["source_id"])
        units = self.indicators["unit"]
        records = []
        for row in rows:
            ind, year, value, qual = row[:4]
            region = row[4] if len(row) > 4 else "全国"
            records.append(
                {
                    "indicator_id": ind,
                    "region": region,
                    "year": int(year),
                    "value": float(value),
                    "qualifier": qual,
                    "unit": units[ind],
                    "name_zh": self.indicators.at[ind, "name_zh"],
                    "domain": self.indicators.at[ind, "domain"],
                    "source_id": "rep",
                    "source_title": "测试报告",
                    "published": f"{edition + 1}-07",
                    "edition_year": edition,
                    "locator": "1",
                    "quote": "测试",
                }
            )
        cols = [
            "indicator_id", "region", "year", "value", "qualifier", "unit", "name_zh", "domain", "source_id",
            "source_title", "published", "edition_year", "locator", "quote",
        ]  # fmt: skip
        self.resolved = pd.DataFrame(records, columns=cols)
        self.observations = self.resolved

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        if indicator_id not in self.indicators.index:
            raise KeyError(indicator_id)
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]
