"""Plausibility checks of ``dcbook validate``: the unit the quote prints, scale against other values, sign,
range, calendar, ASCII digits, lost rows, raw-file integrity.

Each bad-input test corrupts one thing in a copy of the clean real data and checks the exact message.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dcbook import cli, units
from dcbook.validate import RawFile, table_header_units, unit_problem

SCALES = ("万亿", "亿", "万", "千", "百万")


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _set(path: Path, column: str, value: str, line: int) -> None:
    rows = _rows(path)
    rows[line - 1][rows[0].index(column)] = value
    _write(path, rows)


def _run(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["validate", "--data-dir", str(data_dir)])
    out = capsys.readouterr().out
    return code, [line for line in out.splitlines() if line]


def _line_of(path: Path, **cells: str) -> int:
    rows = _rows(path)
    for i, row in enumerate(rows[1:], start=2):
        if all(row[rows[0].index(k)] == v for k, v in cells.items()):
            return i
    raise AssertionError(f"no row {cells} in {path}")


# --- 1. the unit is the one the quote prints --------------------------------------------------------


def test_unit_slip_in_a_sentence_is_an_error(data_copy, capsys):
    """The issue's slip: 5.5 万亿元 recorded as 5.5 亿元, value and quote unchanged."""
    obs = data_copy / "observations" / "dcr2017.csv"
    line = _line_of(obs, indicator_id="software_revenue", year="2017")
    _set(obs, "unit", "亿元", line)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert (
        f"data/observations/dcr2017.csv:{line}: unit: '亿元' does not match the quote, which prints 5.5 万亿元"
        in lines
    )


def test_unit_slip_in_a_table_row_is_an_error(data_copy, capsys):
    """A table cell takes the unit of its row label (信息产业收入规模(万亿元)): 亿元 is a slip."""
    obs = data_copy / "observations" / "dcr2017.csv"
    line = _line_of(obs, indicator_id="info_industry_revenue", year="2016")
    _set(obs, "unit", "亿元", line)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert (
        f"data/observations/dcr2017.csv:{line}: unit: '亿元' does not match the quote, which prints 19.3 with "
        "no unit (and no table header gives one)"
    ) in lines


def _other_scale(unit: str) -> str | None:
    """The same unit with a different scale prefix (万亿元 → 亿元, 万个 → 亿个, 个 → 万个)."""
    text = units.canonical(unit)
    if text in units.NON_SCALABLE:
        return None
    scale, base = units.parse(text)
    prefix = text[: len(text) - len(base)] if base else text
    if scale == 1.0:
        return "万" + text
    return next(s for s in SCALES if s != prefix and units.SCALES[s] != scale) + base


def test_every_real_row_accepts_its_unit_and_rejects_another_scale(real_report):
    """On every real observation the recorded unit is accepted and the same unit with another scale is not."""
    checked = 0
    for ct in real_report.tables["observations"]:
        raw: RawFile | None = real_report.raw.get(ct.path.stem)
        for line, row in zip(ct.frame.index, ct.frame.to_dict("records"), strict=True):
            heads = table_header_units(raw, int(row["locator"]), row["quote"], row["value"])
            assert unit_problem(row["value"], row["unit"], row["quote"], heads) is None, (ct.label, line)
            slip = _other_scale(row["unit"])
            if slip is None:
                continue
            assert unit_problem(row["value"], slip, row["quote"], heads), (ct.label, line, slip)
            checked += 1
    assert checked > 500
