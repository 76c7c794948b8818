"""``dcbook ingest`` on a fictional report: drafts the expected rows, touches only draft/raw/sources files."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from dcbook import DEFAULT_DATA_DIR
from dcbook.cli import main as cli
from dcbook.ingest import (
    NumberParser,
    canonical_dimension,
    clip_quote,
    detect_year,
    is_growth_rate,
    parse_number,
    parse_province_list,
    province_short,
    split_sentences,
    unit_score,
)

# Every figure below is invented for this test (year 2034: no report covers it, and it is inside the schema's 1990..2035); none is a real statistic.
FICTIONAL_REPORT = """虚构测试报告（2034年）——本文件为 dcbook 测试虚构，所有数字均不真实。
一、基础设施
截至2034年底，我国5G基站数达到 321.5 万个，网民规模超过 12.34 亿。
2034年，全国网上零售额约 56.7 万亿元，同比增长 8.8%。
千兆光纤接入用户数近 9876 万户。
<p>　　虚构评价结果显示，浙江、北京、上海、广东、江苏、山东、天津、福建、湖北、四川等地区数字化综合发展水平位居全国前10名。</p>
广西壮族自治区、宁夏回族自治区、内蒙古自治区等地区位列全国第三梯队。
虚构的新兴设施全年新增 77.7 万台，尚无对应指标。
数字政府发展水平排名前三的地区依次为北京、上海、浙江。
"""


def _norm(s: str) -> str:
    """The contract's quote normalisation (whitespace, HTML tags and ** removed)."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", s)).replace("**", "")


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the real data folder, so the real catalogue and sources are exercised."""
    dest = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, dest)
    return dest


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "fict2034.txt"
    path.write_text(FICTIONAL_REPORT, encoding="utf-8")
    return path


def _ingest(report: Path, data_dir: Path, source_id: str = "fict2034", *extra: str) -> int:
    return cli(
        [
            "ingest",
            str(report),
            "--source-id",
            source_id,
            "--edition",
            "2034",
            "--title",
            "虚构测试报告（2034年）",
            "--published",
            "2035-04",
            "--data-dir",
            str(data_dir),
            *extra,
        ]
    )


# --- small functions ---------------------------------------------------------------------------


def test_split_sentences_keeps_offsets() -> None:
    line = "甲达到1个。乙约2万户；丙"
    sents = split_sentences(line, 7)
    assert [s.text for s in sents] == ["甲达到1个。", "乙约2万户；", "丙"]
    assert all(line[s.start : s.end] == s.text and s.line == 7 for s in sents)


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("建成 142.5 万个基站", "142.5", "万个", "exact"),
        ("超过 3 万件", "3", "万件", "lower_bound"),
        ("达 3万余家", "3", "万家", "lower_bound"),
        ("20 多个国家", "20", "个", "lower_bound"),
        ("占全球 60% 以上", "60", "%", "lower_bound"),
        ("突破8000万次", "8000", "万次", "lower_bound"),
        ("近 25 万个", "25", "万个", "near"),
        ("约 1.3 万亿元", "1.3", "万亿元", "approx"),
        ("100万户左右", "100", "万户", "approx"),
        ("不到 70%", "70", "%", "upper_bound"),
        ("收入 1,234.5 亿元", "1234.5", "亿元", "exact"),
    ],
)
def test_parse_number(text: str, value: str, unit: str, qualifier: str) -> None:
    num = parse_number(text)
    assert num is not None, text
    assert (num.value, num.unit, num.qualifier) == (value, unit, qualifier)


@pytest.mark.parametrize("text", ["5G 基站", "IPv6 地址", "2021 年", "近 5 年", "第一"])
def test_parse_number_skips_identifiers_and_dates(text: str) -> None:
    assert parse_number(text) is None


def test_growth_rates_are_recognised() -> None:
    s = "网上零售额 13.1 万亿元，同比增长 14.1%，占比达 24.5%，增速超过 30%。"
    nums = NumberParser().find_all(s)
    assert [n.value for n in nums] == ["13.1", "14.1", "24.5", "30"]
    assert [is_growth_rate(s, n) for n in nums] == [False, True, False, True]


def test_unit_compatibility() -> None:
    assert unit_score("万个", "万个") == 0.25
    assert unit_score("个", "万个") == 0.25
    assert unit_score("亿", "亿人") == 0.10
    assert unit_score("%", "万个") is None
    assert unit_score("万亿元", "%") is None


def test_detect_year_priorities() -> None:
    s = "截至2033年底，基站达1万个。"
    assert detect_year(s, s.index("1万"), "", 2034) == (2033, 0.20)
    assert detect_year("基站达1万个。", 3, "2032年，", 2034) == (2032, 0.10)
    assert detect_year("全年新增1万个。", 4, "", 2034) == (2034, 0.10)
    assert detect_year("基站达1万个。", 3, "", 2034) == (2034, 0.0)
    r = "2025 年到 2034 年，网民规模从 7 亿增长到 9 亿。"
    assert detect_year(r, r.index("7 亿"), "", 2034, from_value=True)[0] == 2025
    assert detect_year(r, r.index("9 亿"), "", 2034)[0] == 2034


def test_province_list_ranking_and_tier() -> None:
    # "等地区…位居全国前3名" names the top group without ordering it: no rank (data/README.md, regional.csv)
    listed = parse_province_list("浙江、北京、上海等地区数字化综合发展水平位居全国前3名。")
    assert listed is not None
    assert (listed.provinces, listed.ranked, listed.top_n, listed.dimension, listed.tier) == (
        ["浙江", "北京", "上海"],
        False,
        True,
        "综合",
        "",
    )
    # "依次为" states the order: ranked, even with the top-N words before the list
    ordered = parse_province_list("数字政府发展水平排名前三的地区依次为北京、上海、浙江。")
    assert ordered is not None
    assert (ordered.provinces, ordered.ranked, ordered.dimension) == (
        ["北京", "上海", "浙江"],
        True,
        "数字政府",
    )
    after = parse_province_list("浙江、北京、上海按得分高低排序位居全国前3名。")
    assert after is not None and after.ranked
    dim = parse_province_list(
        "北京、上海、广东等10个省（市）位列各省（区、市）信息技术产业发展水平排名前10位。"
    )
    assert dim is not None and dim.dimension == "信息技术产业"
    tier = parse_province_list("广西壮族自治区、西藏自治区、北京市位列全国第三梯队。")
    assert tier is not None
    assert (tier.provinces, tier.ranked, tier.tier) == (["广西", "西藏", "北京"], False, "第三梯队")
    assert parse_province_list("在北京、上海、广东开展试点。") is None  # a list without a ranking
    assert province_short("新疆维吾尔自治区") == "新疆" and province_short("河北省") == "河北"


def test_dimension_names_follow_earlier_editions() -> None:
    known = ["数字政府", "数字经济", "数字基础设施"]
    assert canonical_dimension("数字基础设施建设", known) == "数字基础设施"
    assert canonical_dimension("数字政府建设", known) == "数字政府"
    assert canonical_dimension("虚构新维度", known) == "虚构新维度"


def test_clip_quote_is_verbatim_and_bounded() -> None:
    line = "前文" * 100 + "网民规模达 9.99 亿。" + "后文" * 100
    sent = split_sentences(line, 1)[0]
    a = line.index("网民")
    q = clip_quote(line, sent, a, line.index("亿") + 1)
    assert q in line and "9.99" in q and 10 <= len(q) <= 160


# --- the command ---------------------------------------------------------------------------------


def test_ingest_drafts_expected_rows(
    data_dir: Path, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _hashes(data_dir)
    assert _ingest(report, data_dir) == 0
    out = capsys.readouterr().out
    assert "drafted" in out and "dcbook validate" in out and "dcbook build --edition 2034" in out

    after = _hashes(data_dir)
    changed = {p for p in after if before.get(p) != after[p]} | (before.keys() - after.keys())
    allowed = re.compile(
        r"^(observations/[^/]+\.draft\.csv|observations/[^/]+\.unmatched\.txt"
        r"|regional\.[^/]+\.draft\.csv|raw/[^/]+|sources\.csv)$"
    )
    assert changed, "ingest wrote nothing"
    assert all(allowed.match(p) for p in changed), sorted(changed)
    assert not (data_dir / "observations" / "fict2034.csv").exists()

    # the source is registered and the text copied byte for byte
    assert (data_dir / "raw" / "fict2034.txt").read_bytes() == report.read_bytes()
    src = _read(data_dir / "sources.csv")
    assert src[-1] == {
        "source_id": "fict2034",
        "title": "虚构测试报告（2034年）",
        "publisher": "国家互联网信息办公室",
        "published": "2035-04",
        "edition_year": "2034",
        "kind": "yearly_report",
        "file": "raw/fict2034.txt",
        "url": "",
        "sha256": hashlib.sha256(report.read_bytes()).hexdigest(),
    }
    assert [r["source_id"] for r in src[:-1]] == [
        r["source_id"] for r in _read(DEFAULT_DATA_DIR / "sources.csv")
    ]

    rows = _read(data_dir / "observations" / "fict2034.draft.csv")
    got = {(r["indicator_id"], r["year"], r["value"], r["unit"], r["qualifier"], r["locator"]) for r in rows}
    expected = {
        ("base_stations_5g", "2034", "321.5", "万个", "exact", "3"),  # space before the unit
        ("internet_users", "2034", "12.34", "亿", "lower_bound", "3"),  # same sentence, own number
        ("online_retail_sales", "2034", "56.7", "万亿元", "approx", "4"),
        ("gigabit_fiber_users", "2034", "9876", "万户", "near", "5"),
    }
    assert expected <= got, got
    # the growth rate is never the level; it is the growth of the figure before it (<id>_growth)
    assert {r["indicator_id"] for r in rows if r["value"] == "8.8"} == {"online_retail_sales_growth"}
    raw_lines = (data_dir / "raw" / "fict2034.txt").read_text(encoding="utf-8").split("\n")
    for r in rows:
        assert 10 <= len(r["quote"]) <= 160
        assert r["value"] in _norm(r["quote"]).replace(",", "")
        window = _norm("".join(raw_lines[int(r["locator"]) - 1 : int(r["locator"]) + 15]))
        assert _norm(r["quote"]) in window, r
        assert 0.0 <= float(r["confidence"]) <= 1.0 and r["region"] == "全国"
    by_id = {r["indicator_id"]: r for r in rows}
    assert (
        by_id["base_stations_5g"]["quote"]
        == "截至2034年底，我国5G基站数达到 321.5 万个，网民规模超过 12.34 亿。"
    )
    assert by_id["base_stations_5g"]["matched_text"] == "5G基站数达到 321.5 万个"
    # a year read from the sentence is surer than the edition year assumed for 千兆…
    assert float(by_id["base_stations_5g"]["confidence"]) > float(by_id["gigabit_fiber_users"]["confidence"])

    unmatched = (data_dir / "observations" / "fict2034.unmatched.txt").read_text(encoding="utf-8")
    assert re.search(r"^8\t77\.7\t万台\t", unmatched, re.M), unmatched
    assert not re.search(r"^4\t8\.8\t%\t", unmatched, re.M), "drafted as online_retail_sales_growth"
    assert not re.search(r"^6\t", unmatched, re.M), "前10名 is not a figure"
    proposed = _read(data_dir / "observations" / "fict2034.proposed_indicators.draft.csv")
    assert [(p["locator"], p["value"], p["unit"]) for p in proposed] == [("8", "77.7", "万台")]
    assert (
        proposed[0]["name_zh"] and proposed[0]["domain"] and proposed[0]["indicator_id"] == "new_fict2034_8_1"
    )

    regional = _read(data_dir / "regional.fict2034.draft.csv")
    listed = [r for r in regional if r["locator"] == "6"]
    assert [r["province"] for r in listed] == [
        "浙江",
        "北京",
        "上海",
        "广东",
        "江苏",
        "山东",
        "天津",
        "福建",
        "湖北",
        "四川",
    ]
    # the text does not say the top ten are in order, so like data/regional.csv the draft leaves rank empty
    assert [r["rank"] for r in listed] == [""] * 10
    assert {(r["framework"], r["dimension"], r["year"], r["tier"]) for r in listed} == {
        ("fict2034_eval", "综合", "2034", "")
    }
    ordered = [(r["province"], r["rank"], r["dimension"]) for r in regional if r["locator"] == "9"]
    assert ordered == [("北京", "1", "数字政府"), ("上海", "2", "数字政府"), ("浙江", "3", "数字政府")]
    assert all("<p>" not in r["quote"] and r["province"] in r["quote"] for r in regional)
    tier = [(r["province"], r["tier"]) for r in regional if r["tier"]]
    assert tier == [("广西", "第三梯队"), ("宁夏", "第三梯队"), ("内蒙古", "第三梯队")]


def test_duplicate_source_id_is_refused(
    data_dir: Path, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _hashes(data_dir)
    assert _ingest(report, data_dir, "dcr2021") == 1
    err = capsys.readouterr().err
    assert "sources.csv" in err and "'dcr2021' already exists" in err and "--force" in err
    assert _hashes(data_dir) == before


def test_reingest_needs_force(data_dir: Path, report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _ingest(report, data_dir) == 0
    report.write_text(FICTIONAL_REPORT + "补充一句虚构文字。\n", encoding="utf-8")
    assert _ingest(report, data_dir) == 1
    assert "already exists" in capsys.readouterr().err
    assert _ingest(report, data_dir, "fict2034", "--force") == 0
    ids = [r["source_id"] for r in _read(data_dir / "sources.csv")]
    assert ids.count("fict2034") == 1
    assert (data_dir / "raw" / "fict2034.txt").read_bytes() == report.read_bytes()


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        (FICTIONAL_REPORT.encode("gbk"), "not valid UTF-8"),
        (b"\xef\xbb\xbf" + FICTIONAL_REPORT.encode("utf-8"), "byte-order mark"),
    ],
)
def test_bad_encoding_is_refused(
    data_dir: Path, tmp_path: Path, payload: bytes, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(payload)
    before = _hashes(data_dir)
    assert _ingest(bad, data_dir) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and needle in err
    if needle == "not valid UTF-8":
        assert "GB18030" in err and "line 1" in err
    assert _hashes(data_dir) == before


# --- arguments checked with the schema, before anything is written ------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--published", "2023"],
            "--published '2023': does not match the pattern [0-9]{4}-[0-9]{2}(?:-[0-9]{2})? "
            "(the published column of sources.csv)",
        ),
        (
            ["--published", "2023-13"],
            "--published '2023-13': is not a calendar date (month must be in 1..12)",
        ),
        (
            ["--edition", "2036"],
            "--edition '2036': is outside 1990..2035 (the edition_year column of sources.csv)",
        ),
        (["--kind", "blog"], "--kind 'blog': is not one of yearly_report, plan, interpretation"),
        (["--url", "ftp://x"], "--url 'ftp://x': does not match the pattern"),
        (["--title", "  "], "--title '': is empty (a value is required)"),
    ],
)
def test_bad_argument_is_one_line_and_writes_nothing(
    data_dir: Path, report: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    before = _hashes(data_dir)
    assert _ingest(report, data_dir, "fict2034", *extra) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("dcbook ingest: error: ") and "\n" not in err and "Traceback" not in err
    assert message in err
    assert _hashes(data_dir) == before


def test_help_shows_the_accepted_date_form(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli(["ingest", "--help"])
    out = capsys.readouterr().out
    assert "YYYY-MM or YYYY-MM-DD" in out and "YYYY[-MM" not in out and "1990..2035" in out


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        (b"", "the report is empty or only whitespace"),
        (" \n\u3000\n\t\n".encode(), "the report is empty or only whitespace"),
        ("标题\n网民规模达到10亿\x1b[31m\n".encode(), ":2: control character U+001B at column 10"),
        ("标题\x00\n".encode(), ":1: control character U+0000 at column 3"),
    ],
)
def test_unreviewable_text_is_refused(
    data_dir: Path, tmp_path: Path, payload: bytes, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(payload)
    before = _hashes(data_dir)
    assert _ingest(bad, data_dir) == 1
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
    assert _hashes(data_dir) == before


def test_form_feeds_are_accepted(data_dir: Path, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    paged.write_text(FICTIONAL_REPORT.replace("\n一、", "\f\n一、", 1), encoding="utf-8")
    assert _ingest(paged, data_dir) == 0


def test_a_failed_write_changes_nothing(
    data_dir: Path, report: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third rename fails (disk full, permissions): the raw copy and sources.csv are rolled back."""
    import os

    from dcbook import ingest

    before = _hashes(data_dir)
    calls = []
    real = os.replace

    def flaky(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(ingest.os, "replace", flaky)
    assert _ingest(report, data_dir) == 1
    err = capsys.readouterr().err
    assert "No space left on device; nothing was changed" in err and "Traceback" not in err
    assert len(calls) == 3
    assert _hashes(data_dir) == before  # also: no temporary file left behind


def test_a_long_sentence_is_drafted(data_dir: Path, tmp_path: Path) -> None:
    """One 200 KB sentence (no 。): every figure is found; the scan is linear in the sentence length."""
    piece = "我国网民规模达到10.32亿，5G基站数达到142.5万个，"
    long = tmp_path / "long.txt"
    long.write_text(
        "标题\n截至2034年底，" + piece * (200_000 // len(piece.encode())) + "\n", encoding="utf-8"
    )
    assert _ingest(long, data_dir) == 0
    rows = _read(data_dir / "observations" / "fict2034.draft.csv")
    assert {(r["indicator_id"], r["value"], r["year"]) for r in rows} >= {
        ("internet_users", "10.32", "2034"),
        ("base_stations_5g", "142.5", "2034"),
    }


def test_name_trie_prefers_the_longest_wording_and_allows_spaces() -> None:
    from dcbook.ingest import _trie_pattern

    pattern = re.compile(_trie_pattern(["网民", "网民规模", "农村网民规模", "5G基站"]))
    text = "农村网民规模达3亿，网 民规模达10亿，网民增多，5G 基站142万个"
    assert [m.group(0) for m in pattern.finditer(text)] == ["农村网民规模", "网 民规模", "网民", "5G 基站"]
