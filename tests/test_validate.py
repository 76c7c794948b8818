"""``dcbook validate``: the real data passes; each class of bad input gets its own message and exit 1.

Each bad-input test copies a clean base (the real data minus any rows the validator rejects, see
``conftest.clean_data_dir``) to tmp_path, corrupts exactly one thing, runs the CLI, and checks the exact
message list, the exit code, and that no file was written.
"""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dcbook import REPO_ROOT, cli, data, datapackage
from dcbook.validate import norm, value_in

OBS = "observations/dcr2021.csv"


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _set(path: Path, column: str, value: str, line: int = 2) -> None:
    """Set one cell (``line`` = CSV line number of a single-line record)."""
    rows = _rows(path)
    rows[line - 1][rows[0].index(column)] = value
    _write(path, rows)


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _run(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    before = _snapshot(data_dir)
    code = cli.main(["validate", "--data-dir", str(data_dir)])
    out = capsys.readouterr().out
    assert _snapshot(data_dir) == before, "validate must not touch any file"
    return code, [line for line in out.splitlines() if line]


# --- the real data --------------------------------------------------------------------------------


def test_real_dataset_validates(real_report):
    assert not real_report.problems, "dcbook validate reports problems in data/:\n" + "\n".join(
        real_report.problems
    )


def test_real_dataset_coverage(real_ds):
    n_obs = len(real_ds.observations)
    n_ind = real_ds.observations["indicator_id"].nunique()
    assert n_obs >= 600, f"coverage (issue 2 §6): {n_obs} observation rows, expected at least 600"
    assert n_ind >= 150, f"coverage (issue 2 §6): {n_ind} indicators with observations, expected at least 150"


def test_clean_copy_exits_zero_with_summary(data_copy, capsys):
    code, lines = _run(data_copy, capsys)
    assert code == 0, lines
    assert len(lines) == 1 and lines[0].startswith("OK ")
    for word in ("sources", "indicators", "observations", "conflicts", "targets", "regional rows"):
        assert word in lines[0]


def test_python_dash_m_entry_point(tmp_path):
    """``python -m dcbook validate`` works and reports a missing directory as a message, not a traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "dcbook", "validate", "--data-dir", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert proc.returncode == 1
    assert "data directory does not exist" in proc.stderr and "Traceback" not in proc.stderr


# --- one corruption, one message -------------------------------------------------------------------


def _drop_column(root: Path) -> None:
    rows = _rows(root / OBS)
    i = rows[0].index("qualifier")
    _write(root / OBS, [r[:i] + r[i + 1 :] for r in rows])


def _duplicate(root: Path) -> None:
    rows = _rows(root / OBS)
    _write(root / OBS, [*rows, rows[1]])


def _gbk(root: Path) -> None:
    p = root / OBS
    p.write_bytes(p.read_text(encoding="utf-8").encode("gb18030"))


def _bom(root: Path) -> None:
    p = root / OBS
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())


def _empty(root: Path) -> None:
    (root / OBS).write_bytes(b"")


CASES: dict[str, tuple[Callable[[Path], None], Callable[[Path], str]]] = {
    "missing column": (_drop_column, lambda r: f"{OBS}:1: qualifier: missing column"),
    "non-numeric value": (
        lambda r: _set(r / OBS, "value", _cell(r, "value") + "万"),
        lambda r: (
            f"{OBS}:2: value: '{_cell(r, 'value')}万' is not a number (ASCII digits 0-9, one '.', no thousands separators)"
        ),
    ),
    "unknown indicator id": (
        lambda r: _set(r / OBS, "indicator_id", "no_such_indicator"),
        lambda r: f"{OBS}:2: indicator_id: 'no_such_indicator' is not an indicator_id of indicators.csv",
    ),
    "unit that cannot convert": (
        lambda r: _set(r / OBS, "unit", "TB"),
        lambda r: (
            f"{OBS}:2: unit: cannot convert 'TB' to '{_display(r)}': different kinds of quantity "
            f"(the display unit of {_cell(r, 'indicator_id')} is '{_display(r)}')"
        ),
    ),
    "quote not in the source": (
        lambda r: _set(r / OBS, "quote", f"这句话并不在原文之中：{_cell(r, 'value')}"),
        lambda r: (
            f"{OBS}:2: quote: not found in dcr2021.txt at lines {_cell(r, 'locator')}–"
            f"{int(_cell(r, 'locator')) + 15} (compared without whitespace); not found anywhere in the file"
        ),
    ),
    "quote that lacks the value": (
        lambda r: _set(r / OBS, "value", "98765.4"),
        lambda r: f"{OBS}:2: quote: does not contain the value '98765.4' as printed",
    ),
    "duplicate row": (
        _duplicate,
        lambda r: f"{OBS}:{len(_rows(r / OBS)) + 1}: (row): exact duplicate of line 2",
    ),
    "bad qualifier": (
        lambda r: _set(r / OBS, "qualifier", "about"),
        lambda r: f"{OBS}:2: qualifier: 'about' is not one of exact, lower_bound, approx, upper_bound, near",
    ),
    "GBK encoding": (
        _gbk,
        lambda r: (
            f"{OBS}:1: (file): is not UTF-8: it decodes as GBK/GB18030 (first bad byte on line 2); "
            "re-save it as UTF-8 without BOM"
        ),
    ),
    "UTF-8 BOM": (
        _bom,
        lambda r: f"{OBS}:1: (file): starts with a UTF-8 byte-order mark (BOM); save as UTF-8 without BOM",
    ),
    "empty file": (_empty, lambda r: f"{OBS}:1: (file): file is empty (expected a header row)"),
    "year out of range": (
        lambda r: _set(r / OBS, "year", "1890"),
        lambda r: f"{OBS}:2: year: '1890' is outside 1990..2035",
    ),
    "ASCII region": (
        lambda r: _set(r / OBS, "region", "USA"),
        lambda r: (
            f"{OBS}:2: region: 'USA' is not 全国, 全球, a province short name or an economy's Chinese name"
        ),
    ),
    "locator beyond the file": (
        lambda r: _set(r / OBS, "locator", "99999"),
        lambda r: f"{OBS}:2: locator: line 99999 is outside dcr2021.txt (1..{_raw_lines(r)})",
    ),
    "short quote": (
        lambda r: _set(r / OBS, "quote", _cell(r, "value")),
        lambda r: f"{OBS}:2: quote: is {len(_cell(r, 'value'))} characters long (allowed 10–160)",
    ),
    "unexpected column": (
        lambda r: _write(r / OBS, [[*row, "x"] for row in _rows(r / OBS)]),
        lambda r: (
            f"{OBS}:1: x: unexpected column (expected: indicator_id, region, year, value, unit, qualifier, period, "
            "locator, quote)"
        ),
    ),
    "observation file of an unknown source": (
        lambda r: (r / "observations" / "dcr2099.csv").write_bytes((r / OBS).read_bytes()),
        lambda r: "observations/dcr2099.csv:1: (file): file name 'dcr2099' is not a source_id of sources.csv",
    ),
    "indicator id not snake_case": (
        lambda r: _write(
            r / "indicators.csv",
            [*_rows(r / "indicators.csv"), ["Bad-Id", *_rows(r / "indicators.csv")[1][1:]]],
        ),
        lambda r: (
            f"indicators.csv:{len(_rows(r / 'indicators.csv')) + 1}: indicator_id: 'Bad-Id' does not match the pattern "
            "[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
        ),
    ),
    "regional quote lacks the province": (
        lambda r: _set(r / "regional.csv", "province", _other_province(r)),
        lambda r: f"regional.csv:2: quote: does not contain the province {_other_province(r)!r} as printed",
    ),
    "target quote lacks the target": (
        lambda r: _set(r / "targets.csv", "target_value", "999.5"),
        lambda r: "targets.csv:2: quote: does not contain the target_value '999.5' as printed",
    ),
}


def _cell(root: Path, column: str, rel: str = OBS, line: int = 2) -> str:
    rows = _rows(root / rel)
    return rows[line - 1][rows[0].index(column)]


def _display(root: Path) -> str:
    ind = _cell(root, "indicator_id")
    rows = _rows(root / "indicators.csv")
    return next(r[rows[0].index("unit")] for r in rows[1:] if r[0] == ind)


def _raw_lines(root: Path) -> int:
    return len((root / "raw" / "dcr2021.txt").read_text(encoding="utf-8").splitlines())


def _other_province(root: Path) -> str:
    quote = _cell(root, "quote", "regional.csv")
    return next(p for p in ("西藏", "青海", "宁夏", "新疆", "甘肃") if p not in quote)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gets_its_message(case, data_copy, capsys):
    corrupt, expected = CASES[case]
    if case.startswith("regional") or case.startswith("target"):
        assert (data_copy / ("regional.csv" if case.startswith("regional") else "targets.csv")).exists()
    expected_msg = f"data/{expected(data_copy)}"  # computed before corrupting (reads the clean cells)
    corrupt(data_copy)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [expected_msg]


@pytest.mark.parametrize("case", ["non-numeric value", "empty file", "missing column", "GBK encoding"])
def test_loader_raises_the_same_messages(case, data_copy, capsys):
    corrupt, expected = CASES[case]
    expected_msg = f"data/{expected(data_copy)}"
    corrupt(data_copy)
    with pytest.raises(data.DataError) as err:
        data.load(data_dir=data_copy)
    assert err.value.problems == [expected_msg]
    assert expected_msg in str(err.value)


def test_all_problems_at_once(data_copy, capsys):
    _set(data_copy / OBS, "qualifier", "about")
    _set(data_copy / OBS, "year", "1890", line=3)
    _set(data_copy / "sources.csv", "kind", "blog")
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert "data/sources.csv:2: kind: 'blog' is not one of yearly_report, plan, interpretation" in lines
    assert (
        f"data/{OBS}:2: qualifier: 'about' is not one of exact, lower_bound, approx, upper_bound, near"
        in lines
    )
    assert f"data/{OBS}:3: year: '1890' is outside 1990..2035" in lines
    assert len(lines) == 3


def test_multiline_quote_counts_lines_from_record_start(data_copy, capsys):
    """A quoted field with a newline makes later records start on later lines; messages follow the file."""
    rows = _rows(data_copy / OBS)
    rows[1][rows[0].index("quote")] = rows[1][rows[0].index("quote")].replace("，", "，\n", 1)
    rows[2][rows[0].index("qualifier")] = "about"
    _write(data_copy / OBS, rows)
    code, lines = _run(data_copy, capsys)
    assert code == 1 and lines == [
        f"data/{OBS}:4: qualifier: 'about' is not one of exact, lower_bound, approx, upper_bound, near"
    ]


# --- helpers ---------------------------------------------------------------------------------------


def test_norm_and_value_match():
    assert (
        norm("截至 2021 年底，<b>我国</b>\u3000**已建成**\n142.5 万个") == "截至2021年底，我国已建成142.5万个"
    )
    assert value_in("142.5", "已建成 142.5 万个")
    assert value_in("34854", "达到 34,854 件")
    assert not value_in("2", "2021 年")  # not inside another number
    assert not value_in("73", "73.5%")
    assert value_in("14.5", "(万亿元)\t26.2\t19.3\t22.1\t14.5")  # table cells separated by tabs


# --- datapackage.json and references.bib -----------------------------------------------------------


def test_datapackage_and_bib_are_up_to_date(real_data_dir):
    for path, text in datapackage.outputs(real_data_dir).items():
        assert path.exists(), f"{path} is missing: run `dcbook datapackage`"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `dcbook datapackage`"


def test_frictionless_validates_the_package(real_data_dir, real_report):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(real_data_dir / "datapackage.json"))
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    assert report.valid, "\n".join(errors[:30])


def test_frictionless_catches_a_broken_foreign_key(data_copy):
    frictionless = pytest.importorskip("frictionless")
    (data_copy / "datapackage.json").write_text(datapackage.render_json(data_copy), encoding="utf-8")
    assert frictionless.validate(str(data_copy / "datapackage.json")).valid
    _set(data_copy / OBS, "indicator_id", "no_such_indicator")
    report = frictionless.validate(str(data_copy / "datapackage.json"))
    assert not report.valid
    assert any(e.type == "foreign-key" for t in report.tasks for e in t.errors)


def test_bib_has_one_entry_per_source(real_ds):
    bib = (real_ds.data_dir / "references.bib").read_text(encoding="utf-8")
    for _, src in real_ds.sources.iterrows():
        assert f"{{{src['source_id']},\n" in bib
        assert f"howpublished = {{data/{src['file']}}}" in bib
        assert f"year = {{{src['published'][:4]}}}" in bib
