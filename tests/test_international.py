"""China's place in the world (``data/international.csv``): the table covers every statement of rank, world
share or comparison in the five documents (checked against a list built by reading them), bad rows are
rejected with ``path:row: column`` messages, an edition sees only its sources' statements, and the analysis
layer never orders statements of different comparability families against each other."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from dcbook import REPO_ROOT, cli, data, schema, world
from dcbook.validate import chinese_number, norm, stated_number

FIXTURE = REPO_ROOT / "tests" / "data" / "international_statements.csv"
TABLE = "international.csv"


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _listed() -> list[dict[str, str]]:
    return _read(FIXTURE)


def _covers(row: dict[str, str], item: dict[str, str]) -> bool:
    """A table row covers a listed statement: same document and line, and its quote holds the phrase."""
    return (
        row["source_id"] == item["document"]
        and int(row["locator"]) == int(item["line"])
        and norm(item["phrase"]) in norm(row["quote"])
    )


# --- coverage: the table against the list built by reading the documents -----------------------------------


def test_fixture_phrases_are_in_the_documents():
    """The reading list itself is right: each phrase starts on its line of data/raw (whitespace ignored)."""
    from dcbook.validate import RawFile

    raws: dict[str, RawFile] = {}
    for item in _listed():
        doc = item["document"]
        if doc not in raws:
            path = REPO_ROOT / "data" / "raw" / f"{doc}.txt"
            raws[doc] = RawFile(path, schema.raw_lines(path.read_text(encoding="utf-8")))
        assert raws[doc].starts_at(item["phrase"], int(item["line"])), item


def test_every_listed_statement_has_a_row_and_every_row_a_listed_statement():
    rows, listed = _read(REPO_ROOT / "data" / TABLE), _listed()
    uncovered = [i for i in listed if not any(_covers(r, i) for r in rows)]
    unlisted = [r["statement_id"] for r in rows if not any(_covers(r, i) for i in listed)]
    assert not uncovered, f"statements with no row in data/{TABLE}: {uncovered}"
    assert not unlisted, f"rows that match no listed statement: {unlisted}"


def test_counts_per_document_agree():
    """Per document: as many listed statements as distinct (line, phrase) the rows cover, and all five
    documents state China's place in the world."""
    rows, listed = _read(REPO_ROOT / "data" / TABLE), _listed()
    want = Counter(i["document"] for i in listed)
    got = Counter(i["document"] for i in listed if any(_covers(r, i) for r in rows))
    assert got == want
    assert set(want) == {"dcr2017", "dcr2020", "dcr2021", "fyp14_interp", "fyp14_plan"}
    assert sum(want.values()) == len({(i["document"], i["line"], i["phrase"]) for i in listed})


def test_the_issue_s_examples_are_covered():
    """The statements the issue names are all rows, with the value the documents print."""
    rows = _read(REPO_ROOT / "data" / TABLE)
    by = {(r["source_id"], r["indicator"], r["year"], r["measure"]): r for r in rows}
    assert by[("dcr2020", "digital_economy_size_rank", "2020", "rank")]["value"] == "2"
    assert by[("dcr2021", "data_production_share", "2021", "share")]["value"] == "9.9"
    assert by[("dcr2021", "computing_power_rank", "2021", "rank")]["value"] == "2"
    assert by[("dcr2021", "base_stations_5g_share", "2021", "share")]["qualifier"] == "lower_bound"
    assert by[("dcr2021", "broadband_affordability_rank", "2017", "rank")]["value"] == "71"
    assert by[("fyp14_interp", "open_datasets_ratio", "2020", "ratio")]["comparator"] == "美国"
    assert by[("fyp14_interp", "penetration_vs_developed", "2020", "comparison")]["comparator"] == "发达国家"
    assert by[("fyp14_interp", "un_egov_rank", "2020", "rank")]["value"] == "45"


# --- the validator -----------------------------------------------------------------------------------------


def _rows_of(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _set(path: Path, line: int, **cells: str) -> None:
    rows = _rows_of(path)
    for col, value in cells.items():
        rows[line - 1][rows[0].index(col)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _line_of(path: Path, statement_id: str) -> int:
    rows = _rows_of(path)
    return next(i + 1 for i, r in enumerate(rows) if r[0] == statement_id)


def _problems(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["validate", "--data-dir", str(data_dir)])
    out = capsys.readouterr().out
    return code, [line for line in out.splitlines() if line.startswith("data/")]


@pytest.mark.parametrize(
    ("statement", "cells", "message"),
    [
        # 数据产量 … 全球占比 9.9%: a value the quote does not print
        ("dcr2021_l15_3", {"value": "9.8", "printed": "9.8"}, "quote: does not contain the printed '9.8'"),
        # the printed words state another number than the value
        ("dcr2017_l23_4", {"value": "3"}, "value: 3 is not the number '第二' states (2)"),
        # 三分之一 is 33.3 %, not 30
        ("dcr2021_l15_6", {"value": "30"}, "value: 30 is not the number '三分之一' states (33.3333)"),
        (
            "dcr2017_l23_4",
            {"family": "share_volume"},
            "family: 'share_volume' is a family of 'share' statements",
        ),
        ("dcr2017_l23_4", {"value": "", "printed": ""}, "value: is empty (a rank statement states a value)"),
        ("dcr2017_l23_4", {"unit": "%"}, "unit: '%' is not the unit of a rank (位)"),
        ("dcr2017_l23_4", {"measure": "rankk"}, "measure: 'rankk' is not one of rank, share"),
        ("dcr2017_l23_4", {"locator": "24"}, "quote: not found in dcr2017.txt at lines 24–39"),
        ("dcr2017_l23_4", {"source_id": "dcr2099"}, "source_id: 'dcr2099' is not a source_id of sources.csv"),
        ("dcr2017_l23_4", {"year": "1890"}, "year: '1890' is outside 1990..2035"),
        ("dcr2017_l23_4", {"statement_id": "dcr2017_l23_3"}, "statement_id: 'dcr2017_l23_3' is not unique"),
    ],
)
def test_bad_rows_are_rejected_with_file_row_and_column(data_copy, capsys, statement, cells, message):
    path = data_copy / TABLE
    line = _line_of(path, statement)
    _set(path, line, **cells)
    code, problems = _problems(data_copy, capsys)
    assert code == 1
    ours = [p for p in problems if p.startswith(f"data/{TABLE}:{line}: ")]
    assert ours, problems
    assert any(message in p for p in ours), ours


def test_a_share_above_100_and_a_fractional_rank_are_rejected(data_copy, capsys):
    path = data_copy / TABLE
    share, rank = _line_of(path, "dcr2021_l15_3"), _line_of(path, "dcr2021_l15_2")
    _set(path, share, value="109.9", printed="9.9")
    _set(path, rank, value="2.5", printed="2.5")
    _, problems = _problems(data_copy, capsys)
    assert any(
        p.startswith(f"data/{TABLE}:{share}: value: a share of the world is in 0–100 %") for p in problems
    )
    assert any(p.startswith(f"data/{TABLE}:{rank}: value: a rank is a whole number") for p in problems)


def test_one_source_cannot_state_two_values_for_one_statement(data_copy, capsys):
    """dcr2021 states the 5G share at lines 13 and 149; a different value in the second is an error."""
    path = data_copy / TABLE
    second = _line_of(path, "dcr2021_l149_1")
    rows = _rows_of(path)
    assert rows[second - 1][rows[0].index("indicator")] == "base_stations_5g_share"
    _set(path, second, value="61", printed="60")
    _, problems = _problems(data_copy, capsys)
    assert any(p.startswith(f"data/{TABLE}:{second}: value: 61 differs from 60 on line") for p in problems)


def test_spoken_numbers():
    assert chinese_number("一百亿") == 10_000_000_000
    assert chinese_number("二十三") == 23 and chinese_number("十") == 10 and chinese_number("第二") is None
    assert stated_number("第二") == 2 and stated_number("前三") == 3 and stated_number("榜首") == 1
    assert stated_number("1/9", "倍") == pytest.approx(1 / 9)
    assert stated_number("三分之一", "%") == pytest.approx(100 / 3)
    assert stated_number("9.9") == 9.9 and stated_number("领先") is None


# --- loading: editions see only their sources --------------------------------------------------------------


def test_each_edition_sees_only_its_sources_statements():
    seen = {}
    for edition in (2017, 2020, 2021):
        ds = data.load(edition)
        visible = set(ds.sources["source_id"])
        assert set(ds.international["source_id"]) <= visible
        seen[edition] = set(ds.international["source_id"])
    assert seen[2017] == {"dcr2017"}
    assert seen[2020] == {"dcr2017", "dcr2020", "fyp14_interp", "fyp14_plan"}
    assert "dcr2021" in seen[2021]
    ds = data.load(2021)
    assert ds.international["year"].dtype.kind == "i" and ds.international["value"].dtype.kind == "f"


# --- the analysis layer ------------------------------------------------------------------------------------


def test_one_standing_per_indicator_and_measure_latest_year_first():
    ds = data.load(2021)
    items = world.standings(ds)
    keys = [(s.indicator, s.measure) for s in items]
    assert len(keys) == len(set(keys))
    gii = next(s for s in items if s.indicator == "gii_rank")
    assert gii.figure is not None and gii.figure.value == 14 and gii.year == 2020
    assert gii.earlier is not None and gii.earlier.value == 29 and gii.earlier.year == 2015
    assert gii.n_sources == 2  # the 2020 report and the plan both state it
    shares = {s.indicator: s for s in items if s.measure == "share"}
    assert shares["base_stations_5g_share"].figure.qualifier == "lower_bound"


def test_families_are_never_interleaved():
    """Standings come grouped by family (the schema's order), so no list orders a volume rank among index
    ranks or a patent share among world-volume shares."""
    for edition in (2017, 2020, 2021):
        order = [world.FAMILY_ORDER[s.family] for s in world.standings(data.load(edition))]
        assert order == sorted(order)


def test_headline_rule_prefers_an_exact_rank_with_its_movement_and_named_index():
    picks = {e: world.headline(world.valued(world.standings(data.load(e)))) for e in (2017, 2020, 2021)}
    for edition, pick in picks.items():
        items = world.valued(world.standings(data.load(edition)))
        assert all(world.specificity(pick) >= world.specificity(s) for s in items)
        assert pick.figure is not None and pick.figure.qualifier == "exact" and pick.scope
    assert picks[2020].earlier is not None and picks[2021].earlier is not None
    assert picks[2021].year == 2021


def test_world_helper_splits_numbers_from_words(real_ds):
    got = world.world(real_ds, ("data_resources",))
    assert got["world"] and got["world_valued"] and got["world_words"]
    assert all(s.figure is not None for s in got["world_valued"])
    assert all(s.figure is None for s in got["world_words"])
    assert world.world(real_ds, ("security_governance",))["world"] is None
