"""End to end: next year's report becomes a new edition, and the previous edition's pages do not change.

In a temporary copy of the repository the test plays the maintainer (data/README.md, "The yearly
routine"): it writes a clearly fictional 2022 report, runs ``dcbook ingest`` on it, reviews the
draft the way the guide says (keeps the high-confidence rows of the report year, drops the review
columns, renames it), merges the drafted top-ten list into ``regional.csv``, runs ``dcbook validate`` and
``dcbook datapackage``, and builds. The 2021 edition is built before the 2022 data arrives and again
after; every chapter page's article (text, tables and chart specs; pandas' random table ids masked)
and every chart download must be byte-identical, and the only other page allowed to differ is the
build's own 构建信息 page (the 参考文献 page included: the build stages an edition-filtered
bibliography, so the 2022 report never appears in the 2021 edition).

Every figure of the 2022 text is invented. The figures are chosen so that the new edition must differ
visibly from the old one: the netizen count crosses the 14th FYP target of 12 亿 (进度领先 → 已达成) and
two provinces swap places in the composite top ten.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_repo

pytestmark = pytest.mark.slow

SOURCE_ID = "dcr2022"
TITLE = "数字中国发展报告（2022年）（虚构测试文本）"
#: The fictional report. Line numbers matter (locators): keep the list on line 9.
REPORT = """数字中国发展报告（2022年）——虚构测试文本，非真实数据
虚构测试文本，非真实数据：本文件由 tests/test_next_edition.py 写出，用来检验新一年报告的导入与构建，其中所有数字均为虚构。
一、总体情况
截至2022年底，我国网民规模达到 12.5 亿，互联网普及率达到 80.1%。
2022年，我国数字经济规模达到 52.6 万亿元。
截至2022年底，我国5G基站数达到 245.3 万个，千兆光纤接入用户数达到 9123 万户。
2022年，全国网上零售额达到 14.2 万亿元。
二、地区评价
虚构评价结果显示，北京、浙江、上海、广东、江苏、山东、天津、湖北、重庆、安徽等地区数字化综合发展水平位居全国前10名。
"""
#: What the reviewed observations must hold: (indicator_id, value, unit, qualifier) as printed.
EXPECTED_ROWS = {
    ("internet_users", "12.5", "亿", "exact"),
    ("internet_penetration", "80.1", "%", "exact"),
    ("digital_economy_size", "52.6", "万亿元", "exact"),
    ("base_stations_5g", "245.3", "万个", "exact"),
    ("gigabit_fiber_users", "9123", "万户", "exact"),
    ("online_retail_sales", "14.2", "万亿元", "exact"),
}
TOP_2021 = ["浙江", "北京", "上海", "广东", "江苏", "山东", "天津", "福建", "湖北", "四川"]
TOP_2022 = ["北京", "浙江", "上海", "广东", "江苏", "山东", "天津", "湖北", "重庆", "安徽"]
#: Pages that are not chapters (Markdown pages of the book, generated pages): only build_info may change.
BUILD_INFO = "book/build_info.html"
REFERENCES = "book/references.html"


def _env(root: Path) -> dict[str, str]:
    """Run ``dcbook`` from the copy: its package and its defaults (data/, _config.yml), never the original's."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    return env


def dcbook(root: Path, *args: str, timeout: int = 3600) -> subprocess.CompletedProcess[str]:
    """``dcbook ARGS`` in the copy; fails the test with the command's output when it exits non-zero."""
    cmd = [sys.executable, "-m", "dcbook", *args]
    proc = subprocess.run(
        cmd, cwd=root, env=_env(root), capture_output=True, text=True, check=False, timeout=timeout
    )
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout[-5000:]}\n{proc.stderr[-5000:]}"
        )
    return proc


def build(root: Path, edition: int, keep: Path, executed: dict[str, dict[str, str | None]]) -> Path:
    """``dcbook build --edition E --strict --no-pdf`` in the copy; the site is copied to ``keep`` and the
    chapters it executed (with the reason) are noted in ``executed[keep.name]``."""
    dcbook(root, "build", "--root", str(root), "--data-dir", str(root / "data"), "--edition", str(edition),
           "--strict", "--no-pdf")  # fmt: skip
    site = root / "_build" / "html"
    assert (site / "index.html").is_file(), f"{site}: the {edition} build wrote no index.html"
    report = json.loads(
        (root / "_build" / "executed" / str(edition) / "build_report.json").read_text("utf-8")
    )
    executed[keep.name] = {c["chapter"]: c["reason"] for c in report["chapters"] if c["status"] == "executed"}
    shutil.copytree(site, keep)
    return keep


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: r.get(c, "") for c in columns} for r in rows)


def review_draft(data_dir: Path) -> list[dict[str, str]]:
    """The maintainer's review as the guide words it, done programmatically on this known text.

    Keeps the rows of high confidence (≥ 0.80) that describe the report year, drops the review columns
    ``confidence`` and ``matched_text`` and writes ``observations/dcr2022.csv`` (the draft is removed, as
    ``mv`` would). Then merges the drafted regional rows into ``regional.csv`` and removes that draft.
    """
    obs_dir = data_dir / "observations"
    draft = obs_dir / f"{SOURCE_ID}.draft.csv"
    columns, rows = _read_csv(draft)
    assert columns[-2:] == ["confidence", "matched_text"], columns
    keep = [r for r in rows if float(r["confidence"]) >= 0.80 and r["year"] == "2022"]
    _write_csv(obs_dir / f"{SOURCE_ID}.csv", columns[:-2], keep)
    draft.unlink()

    regional_draft = data_dir / f"regional.{SOURCE_ID}.draft.csv"
    _, drafted = _read_csv(regional_draft)
    reg_columns, reg_rows = _read_csv(data_dir / "regional.csv")
    _write_csv(data_dir / "regional.csv", reg_columns, [*reg_rows, *drafted])
    regional_draft.unlink()
    return keep


#: pandas' Styler gives each rendered table a random 5-hex id (``<table id="T_1a2b3">``, repeated in
#: its cells' ids): invisible to readers, different on every run, so it is masked before comparing.
_STYLER_ID = re.compile(r"\bT_[0-9a-f]{5}(?=[_\"])")


def article(page: Path) -> str:
    """The page's main article (chapter text, tables and embedded chart specs), without the navigation."""
    text = page.read_text(encoding="utf-8")
    m = re.search(r'<article class="bd-article"[^>]*>(.*?)</article>', text, re.S)
    assert m is not None, f'{page}: no <article class="bd-article">'
    return _STYLER_ID.sub("T_#", m.group(1))


def plain(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded, whitespace collapsed)."""
    no_scripts = re.sub(r"<script\b.*?</script>", " ", fragment, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", no_scripts)))


def table_rows(text_html: str, *words: str) -> list[list[str]]:
    """Cells of every table row of ``text_html`` that has each of ``words`` as one of its cells."""
    out = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", text_html, re.S):
        cells = [plain(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        if all(w in cells for w in words):
            out.append(cells)
    return out


def pages(site: Path) -> dict[str, Path]:
    """Every HTML page of a built site by its path relative to the site."""
    return {
        p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html")) if "_static" not in p.parts
    }


def downloads(site: Path) -> dict[str, bytes]:
    """The chart downloads (CSV) of a built site."""
    folder = site / "_static" / "downloads"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.is_dir() else {}


@dataclass
class Editions:
    root: Path
    before_2021: Path
    after_2021: Path
    site_2022: Path
    kept_rows: list[dict[str, str]]
    chapters: list[str]
    #: per build (its kept site's folder name): the chapters it executed → why
    executed: dict[str, dict[str, str | None]]


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Editions:
    """The whole routine, once: copy, build 2021, ingest 2022, review, validate, build 2022 and 2021 again."""
    base = tmp_path_factory.mktemp("next_edition")
    root = base / "repo"
    copy_repo(root)
    data_dir = root / "data"
    assert SOURCE_ID not in (data_dir / "sources.csv").read_text(encoding="utf-8"), (
        "the copy already has 2022"
    )
    chapters = [f"book/{p.stem}.html" for p in sorted((root / "book").glob("*.ipynb"))]

    executed: dict[str, dict[str, str | None]] = {}
    before = build(root, 2021, base / "site-2021-before", executed)

    report = base / "dcr2022.txt"
    report.write_text(REPORT, encoding="utf-8")
    out = dcbook(root, "ingest", str(report), "--source-id", SOURCE_ID, "--edition", "2022", "--title", TITLE,
                 "--published", "2023-05", "--data-dir", str(data_dir)).stdout  # fmt: skip
    assert "drafted" in out and "dcbook validate" in out
    kept = review_draft(data_dir)
    dcbook(root, "validate", "--data-dir", str(data_dir))
    dcbook(root, "datapackage", "--data-dir", str(data_dir))

    site_2022 = build(root, 2022, base / "site-2022", executed)
    after = build(root, 2021, base / "site-2021-after", executed)
    return Editions(root, before, after, site_2022, kept, chapters, executed)


# ----------------------------------------------------------------------------------------------------------
# the maintainer's routine produced the expected data


def test_reviewed_draft_holds_the_fictional_figures(editions: Editions) -> None:
    got = {(r["indicator_id"], r["value"], r["unit"], r["qualifier"]) for r in editions.kept_rows}
    assert got >= EXPECTED_ROWS, got
    data_dir = editions.root / "data"
    assert (data_dir / "raw" / f"{SOURCE_ID}.txt").read_text(encoding="utf-8") == REPORT
    _, regional = _read_csv(data_dir / "regional.csv")
    listed = [r for r in regional if r["source_id"] == SOURCE_ID]
    assert [r["province"] for r in listed] == TOP_2022
    # the text does not say the ten are in order: like the earlier years, no rank (data/README.md)
    assert {(r["dimension"], r["rank"], r["tier"], r["year"]) for r in listed} == {("综合", "", "", "2022")}
    # dcbook datapackage gave the new source its BibTeX entry
    assert re.search(
        rf"^@\w+\{{{SOURCE_ID},", (data_dir / "references.bib").read_text(encoding="utf-8"), re.M
    )


# ----------------------------------------------------------------------------------------------------------
# the 2022 edition shows the 2022 data


def test_overview_and_headline_panel_show_2022_values(editions: Editions) -> None:
    for page in ("book/01_overview.html", "book/00_intro.html"):
        new = article(editions.site_2022 / page)
        old = article(editions.after_2021 / page)
        assert "2022 年版" in plain(new) and "2022 年版" not in plain(old), page
        # the headline panel's row of each fictional figure holds the 2022 value, not the 2021 one
        for name, value in (
            ("网民规模", "12.5 亿人"),
            ("数字经济规模", "52.6 万亿元"),
            ("网上零售额", "14.2 万亿元"),
        ):
            assert table_rows(new, name, value, "2022"), (page, name, table_rows(new, name))
            assert not table_rows(old, name, value), (page, name)


def test_plan_status_changes_where_the_target_is_crossed(editions: Editions) -> None:
    pattern = re.compile(r"“十四五”国家信息化规划的\s*18\s*项主要指标中，[^。]*")
    new = pattern.search(plain(article(editions.site_2022 / "book/12_targets.html")))
    old = pattern.search(plain(article(editions.after_2021 / "book/12_targets.html")))
    assert new is not None and old is not None
    # 2021: 10.32 亿 is on track for 12 亿 by 2025; the fictional 12.5 亿 of 2022 meets it
    assert "已达成" not in old.group(0) and "已达成" in new.group(0), (old.group(0), new.group(0))
    assert new.group(0) != old.group(0)
    update = plain(article(editions.site_2022 / "book/01_overview.html"))
    assert "网民规模（“十四五”规划：进度领先 → 已达成）" in update
    methods = article(editions.site_2022 / "book/13_methods.html")
    assert table_rows(methods, "“十四五”规划", "网民规模", "进度领先", "已达成", "2022 年 12.5 亿人")


def test_regional_chapter_shows_the_2022_list(editions: Editions) -> None:
    new_html = article(editions.site_2022 / "book/11_regional.html")
    old_html = article(editions.after_2021 / "book/11_regional.html")
    assert "最新一期评价是 2022 年" in plain(new_html) and "最新一期评价是 2021 年" in plain(old_html)
    # the membership table: one row per (province, evaluation year) with its result
    for province in TOP_2022:
        assert table_rows(new_html, province, "2022", "前十"), province
    for province in sorted(set(TOP_2021) - set(TOP_2022)):  # 福建, 四川 left the fictional top ten
        assert not table_rows(new_html, province, "2022", "前十"), province
        assert table_rows(new_html, province, "2021", "前十"), province
    assert not table_rows(old_html, "北京", "2022", "前十")


def test_update_sections_list_the_new_values(editions: Editions) -> None:
    overview = plain(article(editions.site_2022 / "book/01_overview.html"))
    methods = plain(article(editions.site_2022 / "book/13_methods.html"))
    for text in (overview, methods):
        assert "与 2021 年版相比，本版新增了" in text
        for item in (
            "网民规模（2022 年 12.5 亿人）",
            "数字经济规模（2022 年 52.6 万亿元）",
            "5G基站数（2022 年 245.3 万个）",
        ):
            assert item in text, item
        assert "新进入的是重庆、安徽，退出的是福建、四川" in text
    # the table of largest changes compares the two editions' latest values
    overview_html = article(editions.site_2022 / "book/01_overview.html")
    assert table_rows(overview_html, "网民规模", "2021 年 10.32 亿人", "2022 年 12.5 亿人", "增长 21.1%")


# ----------------------------------------------------------------------------------------------------------
# the 2021 edition does not change


def test_the_new_edition_executes_only_its_own_chapters(editions: Editions) -> None:
    """Adding the 2022 source (its rows in sources.csv and regional.csv, its observations and raw text)
    changes nothing the 2021 edition can see: rebuilding 2021 afterwards executes no chapter."""
    notebooks = {p[: -len(".html")] for p in editions.chapters}
    assert set(editions.executed["site-2021-before"]) == notebooks
    assert set(editions.executed["site-2022"]) == notebooks  # a new edition: every chapter, once
    assert editions.executed["site-2021-after"] == {}, editions.executed["site-2021-after"]


def test_2021_chapter_pages_are_unchanged(editions: Editions) -> None:
    before, after = pages(editions.before_2021), pages(editions.after_2021)
    assert editions.chapters and set(editions.chapters) <= set(before)
    changed = [p for p in editions.chapters if article(before[p]) != article(after[p])]
    assert not changed, f"2021 chapter pages changed after the 2022 data was added: {changed}"
    assert downloads(editions.before_2021) == downloads(editions.after_2021), "chart downloads changed"


def _other_pages(editions: Editions) -> dict[str, tuple[Path, Path]]:
    """Non-chapter pages with an article (Markdown pages, generated pages), before and after."""
    before, after = pages(editions.before_2021), pages(editions.after_2021)
    assert sorted(before) == sorted(after), "the 2021 site gained or lost pages"
    return {
        p: (before[p], after[p])
        for p in before
        if p not in editions.chapters
        and '<article class="bd-article"' in before[p].read_text(encoding="utf-8")
    }


def test_only_the_build_info_page_may_differ(editions: Editions) -> None:
    others = _other_pages(editions)
    assert BUILD_INFO in others and REFERENCES in others
    changed = [p for p, (a, b) in others.items() if p != REFERENCES and article(a) != article(b)]
    assert set(changed) <= {BUILD_INFO}, f"2021 pages other than {BUILD_INFO} changed: {changed}"


def test_references_page_is_unchanged(editions: Editions) -> None:
    # The build stages an edition-filtered references.bib (its sources + what the text cites):
    # dcbook.pipeline.site.staged_files(bib_keys=…), so dcr2022 never reaches the 2021 edition.
    before, after = _other_pages(editions)[REFERENCES]
    assert article(before) == article(after)
