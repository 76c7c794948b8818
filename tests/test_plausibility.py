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


# --- sign, range, calendar, ASCII digits, capped output ---------------------------------------------

OBS = "observations/dcr2021.csv"


def test_negative_count_is_an_error(data_copy, capsys):
    line = _line_of(data_copy / OBS, indicator_id="base_stations_5g", year="2021")
    _set(data_copy / OBS, "value", "-142.5", line)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert (
        f"data/{OBS}:{line}: value: '-142.5' is negative, but base_stations_5g (万个) cannot be "
        "(only growth rates and changes can)"
    ) in lines


def test_share_above_100_is_an_error_unless_excused(data_copy, capsys):
    line = _line_of(data_copy / OBS, indicator_id="coverage_5g_county_towns", year="2021")
    _set(data_copy / OBS, "value", "250", line)
    code, lines = _run(data_copy, capsys)
    msg = (
        f"data/{OBS}:{line}: value: '250' is outside 0..100 % for the share coverage_5g_county_towns; if it "
        "is right (e.g. users per 100 people), add the row to exceptions.csv with check 'range' and the reason"
    )
    assert code == 1 and msg in lines
    with open(data_copy / "exceptions.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write("dcr2021,coverage_5g_county_towns,全国,2021,range,测试用的理由\n")
    code, lines = _run(data_copy, capsys)
    assert msg not in lines


def _exception_rows() -> list[str]:
    from dcbook import DEFAULT_DATA_DIR

    return (DEFAULT_DATA_DIR / "exceptions.csv").read_text(encoding="utf-8").splitlines()[1:]


def test_the_real_penetration_above_100_needs_its_exception(data_copy, capsys):
    """移动宽带用户普及率 108%: right, and accepted only because exceptions.csv says why."""
    (data_copy / "exceptions.csv").unlink()
    assert cli.main(["datapackage", "--data-dir", str(data_copy)]) == 0  # the removal is deliberate
    capsys.readouterr()
    code, lines = _run(data_copy, capsys)
    assert code == 1
    ranges = [x for x in lines if "mobile_broadband_penetration" in x]
    assert len(ranges) == 2 and all("0..100" in x for x in ranges)
    # the other excused rows are figures one document prints twice with different values, e.g. dcr2017's two
    # international bandwidths for 2017 (table 7.0 Tbps, text 7320180 Mbps)
    dups = [x for x in lines if x not in ranges]
    assert 1 <= len(dups) <= sum(1 for r in _exception_rows() if r.split(",")[4] == "duplicate")
    assert all("check 'duplicate'" in x for x in dups)
    assert any(
        x.startswith("data/observations/dcr2017.csv:") and "intl_internet_bandwidth 全国 2017" in x
        for x in dups
    )


def test_one_figure_printed_at_two_precisions_is_one_value(data_copy, capsys):
    """dcr2017 line 35 prints 网络零售额 71751 亿元, table 1 (line 55) 7.18 万亿元: the same figure rounded."""
    code, _ = _run(data_copy, capsys)
    assert code == 0
    path = data_copy / "observations" / "dcr2017.csv"
    text = path.read_text(encoding="utf-8")
    assert "online_retail_sales,全国,2017,71751,亿元" in text
    path.write_text(
        text.replace("online_retail_sales,全国,2017,71751,亿元", "online_retail_sales,全国,2017,71951,亿元"),
        encoding="utf-8",
    )
    code, lines = _run(data_copy, capsys)
    assert code == 1 and any("online_retail_sales 全国 2017 is also given on line" in x for x in lines)


def test_exception_that_matches_nothing_is_an_error(data_copy, capsys):
    with open(data_copy / "exceptions.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write("dcr2021,base_stations_5g,全国,1999,range,没有这一行\n")
    n = len(_rows(data_copy / "exceptions.csv"))
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [
        f"data/exceptions.csv:{n}: (row): matches no observation (dcr2021 base_stations_5g 全国 1999); "
        "remove it or fix the key"
    ]


def test_value_kinds():
    from dcbook.validate import value_kind

    assert value_kind("top30_internet_firms_market_cap_growth", "%") == "change"
    assert value_kind("it_investment_share_change_pp", "个百分点") == "change"
    assert value_kind("internet_penetration", "%") == "share"
    assert value_kind("base_stations_5g", "万个") == "amount"


@pytest.mark.parametrize(
    ("rel", "column", "bad", "what"),
    [
        ("milestones.csv", "date", "2021-13", "month must be in 1..12"),
        ("milestones.csv", "date", "2021-01-32", "day is out of range for month"),
        ("sources.csv", "published", "2021-02-30", "day is out of range for month"),
    ],
)
def test_calendar_dates(data_copy, capsys, rel, column, bad, what):
    _set(data_copy / rel, column, bad, 2)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert f"data/{rel}:2: {column}: {bad!r} is not a calendar date ({what})" in lines


@pytest.mark.parametrize(
    ("column", "bad", "what"),
    [
        ("year", "２０２１", "is not an integer (ASCII digits 0-9 only)"),
        ("year", "２０２１１", "is not an integer (ASCII digits 0-9 only)"),
        ("value", "１４２.５", "is not a number (ASCII digits 0-9, one '.', no thousands separators)"),
        ("locator", "１３", "is not an integer (ASCII digits 0-9 only)"),
    ],
)
def test_full_width_digits_are_rejected_not_converted(data_copy, capsys, column, bad, what):
    _set(data_copy / OBS, column, bad, 2)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [f"data/{OBS}:2: {column}: {bad!r} {what}"]


def test_output_is_capped_at_50_problems(data_copy, capsys):
    rows = _rows(data_copy / OBS)
    q = rows[0].index("qualifier")
    for row in rows[1:61]:
        row[q] = "about"
    _write(data_copy / OBS, rows)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert len(lines) == 51 and lines[-1] == "… and 10 more"
    assert all(": qualifier: 'about' is not one of" in x for x in lines[:50])


# --- scale against the indicator's other values ----------------------------------------------------


def test_unit_slip_is_also_a_scale_error(data_copy, capsys):
    obs = data_copy / "observations" / "dcr2017.csv"
    line = _line_of(obs, indicator_id="software_revenue", year="2017")
    other = _line_of(data_copy / "observations" / "dcr2021.csv", indicator_id="software_revenue", year="2017")
    _set(obs, "unit", "亿元", line)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    scale = [x for x in lines if ": value: " in x]
    assert scale == [
        f"data/observations/dcr2017.csv:{line}: value: 5.5 亿元 is 10000× smaller than software_revenue's "
        f"neighbouring values (e.g. 5.5 万亿元 for 2017 at data/observations/dcr2021.csv:{other}): a scale "
        "slip? If it is right, add the row to exceptions.csv with check 'scale' and the reason"
    ]


def test_a_jump_of_100x_between_adjacent_years_is_an_error_unless_excused(make_mini, capsys):
    root = make_mini(
        {
            "rep_a": [("users", "全国", 2020, "9.89", "亿", "exact", "截至2020年，用户规模达到9.89亿")],
            "rep_b": [("users", "全国", 2021, "989", "亿", "exact", "截至2021年，用户规模达到989亿")],
        }
    )
    code, lines = _run(root, capsys)
    assert code == 1
    assert lines == [
        "data/observations/rep_a.csv:2: value: 9.89 亿 is 100× smaller than users's neighbouring values "
        "(e.g. 989 亿 for 2021 at data/observations/rep_b.csv:2): a scale slip? If it is right, add the row "
        "to exceptions.csv with check 'scale' and the reason",
        "data/observations/rep_b.csv:2: value: 989 亿 is 100× larger than users's neighbouring values "
        "(e.g. 9.89 亿 for 2020 at data/observations/rep_a.csv:2): a scale slip? If it is right, add the row "
        "to exceptions.csv with check 'scale' and the reason",
    ]
    (root / "exceptions.csv").write_text(
        "source_id,indicator_id,region,year,check,reason\n"
        "rep_a,users,全国,2020,scale,测试\nrep_b,users,全国,2021,scale,测试\n",
        encoding="utf-8",
    )
    code, lines = _run(root, capsys)
    assert code == 0, lines


# --- no silent loss of rows -------------------------------------------------------------------------


def _header_only(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def test_observations_emptied_to_the_header_fail_until_datapackage_is_rerun(data_copy, capsys):
    n = len(_rows(data_copy / OBS)) - 1
    _header_only(data_copy / OBS)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [
        f"data/{OBS}:1: (file): has 0 rows, datapackage.json records {n}; restore the lost rows, or run "
        "`dcbook datapackage` if they were removed on purpose"
    ]
    assert cli.main(["datapackage", "--data-dir", str(data_copy)]) == 0
    capsys.readouterr()
    code, lines = _run(data_copy, capsys)
    assert code == 0, lines


def test_one_lost_row_is_an_error_and_an_added_one_is_not(data_copy, capsys):
    rows = _rows(data_copy / OBS)
    _write(data_copy / OBS, rows[:-1])
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [
        f"data/{OBS}:1: (file): has {len(rows) - 2} rows, datapackage.json records {len(rows) - 1}; restore "
        "the lost rows, or run `dcbook datapackage` if they were removed on purpose"
    ]


def test_a_removed_observations_file_is_an_error(data_copy, capsys):
    n = len(_rows(data_copy / OBS)) - 1
    (data_copy / OBS).unlink()
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [
        f"data/{OBS}:1: (file): is missing, but datapackage.json records {n} rows; restore it, or run "
        "`dcbook datapackage` if it was removed on purpose"
    ]


# --- raw-file integrity -----------------------------------------------------------------------------

RAW = "raw/dcr2021.txt"


def _sources_line(root: Path, sid: str = "dcr2021") -> int:
    return _line_of(root / "sources.csv", source_id=sid)


def test_a_changed_raw_file_is_an_error_until_rehashed(data_copy, capsys):
    """Text edited outside every quote: only the checksum notices; `--rehash` records the new one."""
    raw = data_copy / RAW
    raw.write_bytes(raw.read_bytes().replace("。".encode(), "．".encode(), 1))
    line = _sources_line(data_copy)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(
        f"data/sources.csv:{line}: sha256: {RAW} has changed since its checksum was recorded (recorded "
    )
    assert lines[0].endswith("check its quotes and locators, then run `dcbook validate --rehash`")
    code = cli.main(["validate", "--rehash", "--data-dir", str(data_copy)])
    out = capsys.readouterr().out
    assert code == 0 and f"recorded the sha256 of {RAW}" in out and "OK " in out
    assert _run(data_copy, capsys)[0] == 0


def test_three_inserted_lines_shift_every_locator(data_copy, capsys):
    """Lines inserted above the quotes (within the 16-line window): each locator is reported with the line
    where its quote now starts, and `--rehash` alone does not make the data valid."""
    raw = data_copy / RAW
    raw.write_text("（插入的三行）\n\n\n" + raw.read_text(encoding="utf-8"), encoding="utf-8")
    rows = _rows(data_copy / OBS)
    loc = int(rows[1][rows[0].index("locator")])
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert any(": sha256: " in x for x in lines)
    assert (
        f"data/{OBS}:2: locator: the quote starts at line {loc + 3} of dcr2021.txt, not at line {loc} "
        "(the locator is the line where the quote starts)"
    ) in lines
    assert cli.main(["validate", "--rehash", "--data-dir", str(data_copy)]) == 1
    capsys.readouterr()


def test_bom_in_a_raw_file_is_one_error(data_copy, capsys):
    raw = data_copy / RAW
    raw.write_bytes(b"\xef\xbb\xbf" + raw.read_bytes())
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [
        f"data/sources.csv:{_sources_line(data_copy)}: file: '{RAW}' starts with a UTF-8 byte-order mark (BOM); "
        "save it as UTF-8 without BOM"
    ]


@pytest.mark.parametrize("bad", ["raw/../sources.csv", "/etc/passwd", "../raw/dcr2021.txt", "raw/.."])
def test_a_path_outside_raw_is_one_error(data_copy, capsys, bad):
    line = _sources_line(data_copy)
    _set(data_copy / "sources.csv", "file", bad, line)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [
        f"data/sources.csv:{line}: file: {bad!r} does not match the pattern raw/(?!\\.\\.?$)[^/\\\\]+"
    ]


def test_a_symlinked_raw_file_is_one_error(data_copy, capsys, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes((data_copy / RAW).read_bytes())
    (data_copy / RAW).unlink()
    (data_copy / RAW).symlink_to(outside)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [
        f"data/sources.csv:{_sources_line(data_copy)}: file: '{RAW}' is a symbolic link; raw files must be real "
        "files in data/raw/"
    ]


def test_one_line_counting_rule_form_feeds_do_not_shift_locators(make_mini, capsys):
    from dcbook import ingest, schema

    assert schema.raw_lines("第一页\f第二页\n下一行\r\n末行\n") == ["第一页\f第二页", "下一行", "末行"]
    root = make_mini(
        {"rep_a": [("users", "全国", 2020, "9.89", "亿", "exact", "截至2020年，用户规模达到9.89亿")]}
    )
    raw = root / "raw" / "rep_a.txt"
    raw.write_text(
        "标题\f（第二页）\n截至2020年，用户规模达到9.89亿\n", encoding="utf-8"
    )  # pdftotext page break
    assert cli.main(["validate", "--rehash", "--data-dir", str(root)]) == 0, capsys.readouterr().out
    capsys.readouterr()
    # ingest drafts the same locator (line 2) that validate accepts
    catalogue = ingest.load_catalogue(root / "indicators.csv")
    res = ingest.Scanner(catalogue).scan(raw.read_text(encoding="utf-8"), "rep_a", 2020)
    assert {r["locator"] for r in res.observations if r["indicator_id"] == "users"} == {"2"}
    from dcbook.validate import collect

    assert collect(root).raw["rep_a"].lines[1] == "截至2020年，用户规模达到9.89亿"


def test_a_flipped_sign_is_caught(data_copy, capsys):
    """-21.5 % printed; 21.5 is not 'in the quote' since the quote prints it after a minus sign."""
    rel = "observations/fyp14_interp.csv"
    line = _line_of(data_copy / rel, indicator_id="top30_internet_firms_market_cap_growth", year="2018")
    _set(data_copy / rel, "value", "21.5", line)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [f"data/{rel}:{line}: quote: does not contain the value '21.5' as printed"]


def test_a_locator_one_line_late_or_early_is_caught(data_copy, capsys):
    rows = _rows(data_copy / OBS)
    loc = int(rows[1][rows[0].index("locator")])
    _set(data_copy / OBS, "locator", str(loc - 1), 2)
    code, lines = _run(data_copy, capsys)
    assert code == 1
    assert lines == [
        f"data/{OBS}:2: locator: the quote starts at line {loc} of dcr2021.txt, not at line {loc - 1} "
        "(the locator is the line where the quote starts)"
    ]
