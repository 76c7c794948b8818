"""Bad-data classes for the closing tally of the data guards (``tests/test_bad_data_tally.py``).

Each class corrupts one thing in a fresh copy of the real data folder, the way a slip or a hostile edit
would; :func:`tally` runs ``dcbook validate``'s checks on each and sorts the outcome into *rejected with
file:row:column* (a problem line names a file, a line and a column, and it is the corrupted file or the
row registering it — a raw file's ``sources.csv`` row), *rejected without a location*, or *accepted*. Run it directly for the figures: ``.venv/bin/python tests/bad_data.py``.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OBS = "observations/dcr2021.csv"
OBS17 = "observations/dcr2017.csv"
RAW = "raw/dcr2021.txt"
#: ``data/<file>:<row>: <column>: …`` — the form of every located problem line.
LOCATED = re.compile(r"^data/(?P<file>[^:]+):(?P<row>\d+): (?P<column>[^:]+): ")


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _edit(rel: str, column: str, value: str, **match: str) -> Callable[[Path], None]:
    """Set ``column`` to ``value`` in the first row of ``rel`` matching ``match`` (the first row without)."""

    def mutate(data: Path) -> None:
        rows = _rows(data / rel)
        head = rows[0]
        for row in rows[1:]:
            if all(row[head.index(k)] == v for k, v in match.items()):
                row[head.index(column)] = value
                break
        else:
            raise AssertionError(f"no row {match} in {rel}")
        _write(data / rel, rows)

    return mutate


def _append_copy(rel: str, change: dict[str, str] | None = None) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        rows = _rows(data / rel)
        row = list(rows[1])
        for column, value in (change or {}).items():
            row[rows[0].index(column)] = value
        rows.append(row)
        _write(data / rel, rows)

    return mutate


def _drop_column(rel: str, column: str) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        rows = _rows(data / rel)
        i = rows[0].index(column)
        _write(data / rel, [r[:i] + r[i + 1 :] for r in rows])

    return mutate


def _extra_column(rel: str) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        rows = _rows(data / rel)
        _write(data / rel, [rows[0] + ["note"]] + [[*r, "x"] for r in rows[1:]])

    return mutate


def _truncate(rel: str, keep: int) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        _write(data / rel, _rows(data / rel)[: keep + 1])

    return mutate


def _raw_text(change: Callable[[str], str]) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        path = data / RAW
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return mutate


def _raw_bytes(change: Callable[[bytes], bytes], rel: str = RAW) -> Callable[[Path], None]:
    def mutate(data: Path) -> None:
        path = data / rel
        path.write_bytes(change(path.read_bytes()))

    return mutate


def _symlink_raw(data: Path) -> None:
    path = data / RAW
    outside = data.parent / "elsewhere.txt"
    shutil.copyfile(path, outside)
    path.unlink()
    os.symlink(outside, path)


def _remove(rel: str) -> Callable[[Path], None]:
    return lambda data: (data / rel).unlink()


def _many_bad_rows(data: Path) -> None:
    rows = _rows(data / OBS)
    bad = list(rows[1])
    bad[rows[0].index("value")] = "-999999"
    _write(data / OBS, rows + [bad] * 5000)


@dataclass(frozen=True)
class BadClass:
    name: str
    file: str  # the file the class corrupts, relative to data/
    mutate: Callable[[Path], None]


G5 = {"indicator_id": "base_stations_5g", "year": "2021"}
CLASSES: tuple[BadClass, ...] = (
    # observations: units, scale, sign, range, digits
    BadClass("unit slip in a sentence (万个 → 个)", OBS, _edit(OBS, "unit", "个", **G5)),
    BadClass(
        "unit slip in a table row (万亿元 → 亿元)",
        OBS17,
        _edit(OBS17, "unit", "亿元", indicator_id="info_industry_revenue", year="2016"),
    ),
    BadClass("value 100× (142.5 → 14250)", OBS, _edit(OBS, "value", "14250", **G5)),
    BadClass("negative count", OBS, _edit(OBS, "value", "-142.5", **G5)),
    BadClass(
        "share of 250 %",
        OBS,
        _edit(OBS, "value", "250", indicator_id="coverage_5g_county_towns", year="2021"),
    ),
    BadClass("full-width digits in year (２０２１)", OBS, _edit(OBS, "year", "２０２１", **G5)),
    BadClass("full-width digits in value (１４２.５)", OBS, _edit(OBS, "value", "１４２.５", **G5)),
    BadClass("full-width year 20211 (range bypass)", OBS, _edit(OBS, "year", "２０２１１", **G5)),
    BadClass("year out of range (20211)", OBS, _edit(OBS, "year", "20211", **G5)),
    BadClass("year in words (二〇二一)", OBS, _edit(OBS, "year", "二〇二一", **G5)),
    BadClass("value not a number", OBS, _edit(OBS, "value", "很多", **G5)),
    BadClass("value empty", OBS, _edit(OBS, "value", "", **G5)),
    BadClass("unknown indicator id", OBS, _edit(OBS, "indicator_id", "no_such_indicator", **G5)),
    BadClass("unknown region", OBS, _edit(OBS, "region", "火星", **G5)),
    BadClass("unknown qualifier", OBS, _edit(OBS, "qualifier", "about", **G5)),
    BadClass("unknown period code", OBS, _edit(OBS, "period", "to-13", **G5)),
    BadClass("quote not in the raw text", OBS, _edit(OBS, "quote", "截至 2021 年底，我国已建成 999 万个 5G 基站", **G5)),
    BadClass("locator one line late", OBS, _edit(OBS, "locator", "14", **G5)),
    BadClass("locator past the end of the file", OBS, _edit(OBS, "locator", "999999", **G5)),
    BadClass("locator not a number", OBS, _edit(OBS, "locator", "第13行", **G5)),
    BadClass("duplicate row", OBS, _append_copy(OBS)),
    BadClass("same key, different value", OBS, _append_copy(OBS, {"value": "150"})),
    BadClass("missing column (unit)", OBS, _drop_column(OBS, "unit")),
    BadClass("unknown extra column", OBS, _extra_column(OBS)),
    BadClass("observations emptied to the header", OBS, _truncate(OBS, 0)),
    BadClass("one observation row lost", OBS, _truncate(OBS, 5)),
    BadClass("observations file removed", OBS, _remove(OBS)),
    BadClass("invalid UTF-8 bytes in a CSV", OBS, _raw_bytes(lambda b: b.replace("基站".encode(), b"\xff\xfe", 1), OBS)),
    BadClass("ragged CSV row (one field too many)", OBS, _raw_bytes(lambda b: b.replace(b"\n", b",x\n", 2), OBS)),
    BadClass("5,000 absurd rows", OBS, _many_bad_rows),
    # raw files
    BadClass("raw text edited outside any quote", RAW, _raw_text(lambda t: t.replace("\n", "\n（编者按）\n", 1))),
    BadClass("three lines inserted in a raw file", RAW, _raw_text(lambda t: "一\n二\n三\n" + t)),
    BadClass("BOM in a raw file", RAW, _raw_bytes(lambda b: b"\xef\xbb\xbf" + b)),
    BadClass("raw file symlinked from outside data/", RAW, _symlink_raw),
    BadClass("sources.csv file outside raw/ (..)", "sources.csv", _edit("sources.csv", "file", "../raw/dcr2021.txt", source_id="dcr2021")),
    BadClass("sources.csv sha256 emptied", "sources.csv", _edit("sources.csv", "sha256", "", source_id="dcr2021")),
    # sources and other tables
    BadClass("unknown source kind", "sources.csv", _edit("sources.csv", "kind", "blog", source_id="dcr2021")),
    BadClass("publication month 13", "sources.csv", _edit("sources.csv", "published", "2022-13", source_id="dcr2021")),
    BadClass("edition after 2035", "sources.csv", _edit("sources.csv", "edition_year", "2040", source_id="dcr2021")),
    BadClass("duplicate source id", "sources.csv", _append_copy("sources.csv")),
    BadClass("milestone month 13", "milestones.csv", _edit("milestones.csv", "date", "2014-13", date="2014-08")),
    BadClass("unknown target comparator", "targets.csv", _edit("targets.csv", "comparator", "=>", indicator_id="info_industry_revenue")),
    BadClass("unknown province", "regional.csv", _edit("regional.csv", "province", "火星", province="北京", framework="dcr2017_index")),
    BadClass("negative rank", "regional.csv", _edit("regional.csv", "rank", "-1", province="北京", framework="dcr2017_index")),
    BadClass("duplicate indicator id", "indicators.csv", _append_copy("indicators.csv")),
    BadClass("unknown indicator domain", "indicators.csv", _edit("indicators.csv", "domain", "nowhere", indicator_id="internet_users")),
    BadClass("exception that matches nothing", "exceptions.csv", _append_copy("exceptions.csv", {"year": "1999"})),
)  # fmt: skip


@dataclass
class Outcome:
    name: str
    verdict: str  # located | unlocated | accepted
    first: str  # the first problem line naming the file (or the first problem, or "")


def run_class(cls: BadClass, clean: Path) -> Outcome:
    """Corrupt a fresh copy of ``clean`` with ``cls`` and classify what validation says."""
    from dcbook.validate import collect

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(clean, data, symlinks=True)
        cls.mutate(data)
        problems = collect(data).problems
    # located: in the corrupted file itself, or in the row that registers it (a raw file's sources.csv row)
    named = [p for p in problems if (m := LOCATED.match(p)) and (m["file"] == cls.file or cls.file in p)]
    if named:
        return Outcome(cls.name, "located", named[0])
    if problems:
        return Outcome(cls.name, "unlocated", problems[0])
    return Outcome(cls.name, "accepted", "")


#: Classes validation lets through on purpose, and why each is harmless (or what it would take to catch it).
ACCEPTED = {
    "unknown region": (
        "region is free text by design: 全国, 全球, a province, or any economy's Chinese name (荷兰, 日本). "
        "The value, unit and quote are still checked, so no figure changes; only the row's label does. Not "
        "provably harmless: a region must then also appear in its source's text to be caught (left open)"
    ),
}


def tally(clean: Path) -> list[Outcome]:
    """Every class of :data:`CLASSES` run on its own copy of ``clean``."""
    return [run_class(cls, clean) for cls in CLASSES]


def main() -> int:
    from dcbook import DEFAULT_DATA_DIR

    outcomes = tally(DEFAULT_DATA_DIR)
    for o in outcomes:
        print(f"{o.verdict:<9} {o.name}: {o.first[:140]}")
    counts = {v: sum(o.verdict == v for o in outcomes) for v in ("located", "unlocated", "accepted")}
    print(
        f"\n{len(outcomes)} classes tried: {counts['located']} rejected with file:row:column, "
        f"{counts['unlocated']} rejected without a location, {counts['accepted']} accepted"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
