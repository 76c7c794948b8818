"""``dcbook coverage`` (issue 14, "the dataset is complete"): every number of a raw document is a data row's
figure or one of the documented classes that are not figures; the rest is listed with file and line."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from dcbook import DEFAULT_DATA_DIR, coverage
from dcbook.validate import norm


@pytest.mark.parametrize(
    ("line", "number", "cls"),
    [
        ("2021 年，我国网民规模达 10.32 亿", "2021", "date"),
        ("2016—2020 年累计", "2020", "date"),
        ("截至 6 月底", "6", "date"),
        ("于 7 月 30 日发布", "30", "date"),
        ("第 5 届世界互联网大会", "5", "ordinal"),
        ("由 2015 年的第 29 位跃升", "29", ""),  # a rank is a figure
        ("1. 加快建设", "1", "list"),
        ("（3）推进", "3", "list"),
        ("图 1 主要国家信息技术领域国际专利申请数比较", "1", "list"),
        ("5G 基站数达 142.5 万个", "5", "name"),
        ("IPv6 活跃用户", "6", "name"),
        ("5G 基站数达 142.5 万个", "142.5", ""),
        ("互联网普及率达 73%", "73", ""),
        ('<img src="https://x.cn/736/w482.jpg" alt="">', "736", "markup"),  # in a crawled page's tag
        ("color: #333;&#123;", "123", "markup"),
        ("共 2000 家", "2000", ""),  # a four-digit count without 年 is not a year
    ],
)
def test_each_documented_class_and_a_figure(line: str, number: str, cls: str) -> None:
    start = line.index(number)
    assert coverage.number_class(line, start, start + len(number)) == cls


def _toy(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    (d / "raw").mkdir(parents=True)
    (d / "observations").mkdir()
    (d / "raw" / "rep.txt").write_text(
        "2021 年，我国网民规模达 10.32 亿，互联网普及率达 73%。\n1. 基站 142.5 万个\n", encoding="utf-8"
    )
    (d / "sources.csv").write_text(
        "source_id,title,publisher,published,edition_year,kind,file,url,sha256\n"
        "rep,测试,测试,2022-07,2021,yearly_report,raw/rep.txt,,\n",
        encoding="utf-8",
    )
    (d / "observations" / "rep.csv").write_text(
        "indicator_id,region,year,value,unit,qualifier,period,locator,quote\n"
        "internet_users,全国,2021,10.32,亿人,exact,,1,我国网民规模达 10.32 亿\n",
        encoding="utf-8",
    )
    return d


def _exclusions(d: Path, *rows: str) -> None:
    """Write ``exclusions.csv`` of the toy folder: its header and ``rows``."""
    header = "source_id,locator,number,kind,reason\n"
    (d / "exclusions.csv").write_text(header + "".join(f"{r}\n" for r in rows), encoding="utf-8")


def test_uncovered_figures_are_listed_with_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = _toy(tmp_path)
    (r,), problems = coverage.coverage(d)
    assert problems == []
    assert (r.found, r.covered, dict(r.excluded)) == (5, 1, {"date": 1, "list": 1})
    assert [(p.line, p.number) for p in r.uncovered] == [(1, "73"), (2, "142.5")]
    args = argparse.Namespace(data_dir=d, list=True, strict=True)
    assert coverage.main(args) == 1
    out = capsys.readouterr().out
    assert (
        f"{d / 'raw' / 'rep.txt'}:1: 73" in out
        and "coverage: 2 uncovered numeric passages in 1 documents" in out
    )
    # a row of any table with source_id, locator and quote covers its figures (here a plan-like table)
    (d / "targets.csv").write_text(
        "source_id,locator,quote\nrep,1,互联网普及率达 73%\nrep,2,基站 142.5 万个\n", encoding="utf-8"
    )
    (r,), _ = coverage.coverage(d)
    assert r.uncovered == [] and coverage.main(args) == 0


def test_an_exclusion_explains_a_number_that_is_not_a_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = _toy(tmp_path)
    _exclusions(d, "rep,1,73,context,测试用的说明文字", "rep,2,142.5,repeat,同一数字已在第 1 行录入")
    (r,), problems = coverage.coverage(d)
    assert r.uncovered == [] and dict(r.explained) == {"context": 1, "repeat": 1}
    # the repeat is covered nowhere else: a problem, and the command fails
    assert problems == [
        "exclusions.csv: rep line 2: number '142.5' is explained as a repeat but no data row covers it "
        "elsewhere in the document"
    ]
    args = argparse.Namespace(data_dir=d, list=False, strict=False)
    assert coverage.main(args) == 1
    assert "explained 2 (repeat 1，context 1)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("rep,1,74,context,说明", "data/exclusions.csv:2: number: '74' is not printed on line 1 of rep"),
        ("rep,9,73,context,说明", "data/exclusions.csv:2: locator: 9 is past the end (2 lines)"),
        ("rep,1,73,guess,说明", "data/exclusions.csv:2: kind: 'guess' is not one of metadata"),
        (
            "other,1,73,context,说明",
            "data/exclusions.csv:2: source_id: 'other' is not a source_id with a raw",
        ),
        ("rep,1,73,context,", "data/exclusions.csv:2: reason:"),
    ],
)
def test_a_bad_exclusion_is_one_line_naming_file_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: str, message: str
) -> None:
    d = _toy(tmp_path)
    _exclusions(d, row)
    _, problems = coverage.coverage(d)
    assert len(problems) == 1 and problems[0].startswith(message), problems
    assert coverage.main(argparse.Namespace(data_dir=d, list=False, strict=False)) == 1
    assert message in capsys.readouterr().out


def test_a_missing_data_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert coverage.main(argparse.Namespace(data_dir=tmp_path, list=False, strict=False)) == 2
    assert capsys.readouterr().out.strip() == f"coverage: {tmp_path / 'sources.csv'}: no such file"


def test_the_real_documents_are_all_read(tmp_path: Path) -> None:
    """Every raw document is scanned, and every number in it is a row's figure, a documented class or an
    explained exclusion: the dataset is complete (issue 14), and no exclusion is stale."""
    d = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, d)
    reports, problems = coverage.coverage(d)
    assert problems == []
    assert {r.source_id for r in reports} == {"dcr2017", "dcr2020", "dcr2021", "fyp14_interp", "fyp14_plan"}
    for r in reports:
        assert r.found == r.covered + sum(r.excluded.values()) + sum(r.explained.values()) + len(r.uncovered)
        assert r.covered > 0, r.source_id
        assert r.uncovered == [], [(r.source_id, p.line, p.number) for p in r.uncovered]
    assert coverage.main(argparse.Namespace(data_dir=d, list=False, strict=True)) == 0


def test_a_quote_covers_every_line_it_runs_on_and_only_whole_numbers(tmp_path: Path) -> None:
    """PDF text breaks sentences over lines: a quote starting on line 1 covers its figure on line 2; a number
    is covered only as a whole number (31 in "5 月 31 日" does not cover "31 个省")."""
    d = _toy(tmp_path)
    (d / "raw" / "rep.txt").write_text(
        "网民规模达 10.32 亿，互联网普及率\n达 73%。5 月 31 日起，31 个省接入 2021-yp-01\n", encoding="utf-8"
    )
    (d / "observations" / "rep.csv").write_text(
        "indicator_id,region,year,value,unit,qualifier,period,locator,quote\n"
        "internet_users,全国,2021,10.32,亿人,exact,,1,网民规模达 10.32 亿，互联网普及率达 73%\n",
        encoding="utf-8",
    )
    (d / "milestones.csv").write_text("source_id,locator,quote\nrep,2,5 月 31 日起\n", encoding="utf-8")
    (r,), problems = coverage.coverage(d)
    assert problems == []
    assert [(p.line, p.number) for p in r.uncovered] == [(2, "31"), (2, "01")]
    # an exclusion may name a number after a hyphen; one for a covered number is stale and a problem
    _exclusions(
        d,
        "rep,2,31,context,全国省份总数，是范围不是数据",
        "rep,2,01,name,报告编号中的序号",
        "rep,2,73,context,已被覆盖的数字",
    )
    (r,), problems = coverage.coverage(d)
    assert r.uncovered == [] and dict(r.explained) == {"context": 1, "name": 1}
    assert problems == [
        "exclusions.csv: rep line 2: number '73' is covered by a data row; remove its exclusion"
    ]


@pytest.mark.parametrize(
    "line",
    ["<p>　　网民规模达 **10.32 亿**</p>", "5 月 31 日 * * 起", "a<b>1</b>  2\t3**4", ""],
)
def test_norm_positions_place_each_kept_character_where_norm_puts_it(line: str) -> None:
    """Coverage follows validate.norm character by character (it needs positions, which norm does not give):
    the characters it keeps, in its order, are exactly norm's text."""
    positions = coverage._norm_positions(line)
    kept = "".join(
        ch for ch, pos in sorted(zip(line, positions, strict=True), key=lambda x: x[1]) if pos >= 0
    )
    assert kept == norm(line)
    assert sorted(p for p in positions if p >= 0) == list(range(len(norm(line))))
