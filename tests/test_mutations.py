"""Property test: a mutated observation row (unit, scale, digits, sign, locator) is either rejected with
``file:row:column`` or provably harmless (the figure in the display unit and its citation are unchanged).

Each example mutates one cell of one real observation row in a copy of the clean data, runs the
validator, and restores the file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import copy_data
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dcbook import schema, units
from dcbook.validate import collect

KINDS = ("unit", "scale", "digits", "sign", "locator")
#: Unicode digits that are not ASCII: full-width, Arabic-Indic, Devanagari.
FOREIGN_DIGITS = ("０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९")
OTHER_UNITS = sorted({*units.BASES, *units.NON_SCALABLE})


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory, clean_data_dir: Path) -> tuple[Path, list, dict]:
    """A writable copy of the clean data, its observation rows (file, line, row) and display units."""
    root = copy_data(clean_data_dir, tmp_path_factory.mktemp("mutations") / "data")
    rows = []
    for path in sorted((root / "observations").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                rows.append((path, i, row))
    with open(root / "indicators.csv", encoding="utf-8", newline="") as fh:
        display = {r["indicator_id"]: r["unit"] for r in csv.DictReader(fh)}
    return root, rows, display


def _with_cell(path: Path, line: int, column: str, value: str) -> bytes:
    """Set one cell (records are single lines in the real data); returns the original bytes."""
    original = path.read_bytes()
    with open(path, encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    table[line - 1][table[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)
    return original


def _mutate(kind: str, row: dict[str, str], data: st.DataObject) -> tuple[str, str] | None:
    """(column, new value) for one mutation of ``kind``, or None when it does not apply to the row."""
    value, unit = row["value"], row["unit"]
    if kind == "unit":
        new = data.draw(st.sampled_from(OTHER_UNITS))
        return None if new == unit else ("unit", new)
    if kind == "scale":
        text = units.canonical(unit)
        if text in units.NON_SCALABLE:
            return None
        scale, base = units.parse(text)
        new = data.draw(
            st.sampled_from([p for p, f in units.SCALES.items() if f != scale] + ([""] if scale != 1 else []))
        )
        return "unit", new + base
    if kind == "digits":
        positions = [i for i, ch in enumerate(value) if ch.isdigit()]
        i = data.draw(st.sampled_from(positions))
        digits = data.draw(st.sampled_from(FOREIGN_DIGITS))
        return "value", value[:i] + digits[int(value[i])] + value[i + 1 :]
    if kind == "sign":
        if float(value) == 0:
            return None
        return "value", value[1:] if value.startswith("-") else "-" + value
    shift = data.draw(st.integers(-20, 20).filter(lambda k: k != 0))
    new = int(row["locator"]) + shift
    return None if new < 1 else ("locator", str(new))


def _harmless(
    kind: str, row: dict[str, str], column: str, new: str, display: dict[str, str], raw: object
) -> bool:
    """The validator may accept a mutation only when nothing a reader sees changes."""
    if column == "unit":
        d = display.get(row["indicator_id"], "")
        try:
            return units.factor(new, d) == units.factor(row["unit"], d)  # the same figure in the display unit
        except units.UnitError:
            return False
    if column == "locator":  # the same quote also starts on the new line (repeated text)
        return raw is not None and raw.starts_at(row["quote"], int(new))
    return False


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_mutated_row_is_rejected_with_file_row_column_or_harmless(work, data):
    root, rows, display = work
    kind = data.draw(st.sampled_from(KINDS), label="kind")
    path, line, row = data.draw(st.sampled_from(rows), label="row")
    change = _mutate(kind, row, data)
    if change is None:
        event("mutation does not apply")
        return
    column, new = change
    original = _with_cell(path, line, column, new)
    try:
        report = collect(root)
    finally:
        path.write_bytes(original)
    label = f"data/observations/{path.name}"
    here = [p for p in report.problems if p.startswith(f"{label}:{line}: ")]
    columns = schema.OBSERVATIONS.columns
    named = [p for p in here if p.split(": ", 2)[1] in columns]
    if named:
        event(f"{kind}: rejected ({named[0].split(': ', 2)[1]})")
        return
    raw = report.raw.get(path.stem)
    assert _harmless(kind, row, column, new, display, raw), (
        f"{kind}: {label}:{line} {column} {row[column]!r} → {new!r} was accepted; problems: {report.problems[:5]}"
    )
    event(f"{kind}: harmless")
