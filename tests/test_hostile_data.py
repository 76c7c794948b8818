"""Hostile data is shown, never executed (issue #5).

In a copy of the repository, indicator names and observation quotes are given markup from every layer the
book passes text through — HTML (``<script>``, ``<img onerror>``), MyST roles (``{glue}``), Markdown
(``**``, links, ``$math$``) and LaTeX (``\\textbf``, ``% # _ &``) — and the book is built with
``dcbook build --strict`` (HTML and PDF). Then:

* every HTML page opens in headless Chromium without a dialog, without a data-made ``<script>``, ``<img>``,
  ``onerror``, link, ``<strong>`` or math; the pages that show the planted indicators show the strings as
  literal text, in the prose, the tables, the catalogue filter and the charts' SVG text and tooltips;
* the PDF shows the strings literally (no TeX ligature or macro changes them) and its LaTeX log is clean;
* the chart CSV downloads carry the raw strings. Quotes are not printed on the pages: they reach readers
  through these downloads, and sit in each chart's embedded data as inert JSON (checked too).

A quote must be found verbatim in its raw text for ``dcbook validate`` to pass, so the same string is planted
into the raw line as well: the data stay internally consistent, only hostile.
"""

from __future__ import annotations

import csv
import functools
import http.server
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pdfcheck
import pytest
from conftest import QuietHandler, copy_repo

from dcbook import REPO_ROOT, pdf

pytestmark = [pytest.mark.slow, pytest.mark.browser]

#: Pieces of markup, one per layer; each must reach the reader exactly as written.
NAME_FRAGMENTS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "{glue}`x`",
    "{glue:text}`x`",
    "**粗体**",
    "[链接](http://evil.example)",
    "$x$",
    "\\textbf{x}",
    "% # _ &",
)
NAME_PAYLOAD = " ".join(NAME_FRAGMENTS)
#: Quotes are limited to 160 characters, so theirs is tighter (and uses other alert numbers).
QUOTE_FRAGMENTS = (
    "<script>alert(3)</script>",
    "<img src=x onerror=alert(4)>",
    "{glue}`x`",
    "**粗体**",
    "[链接](http://evil.example)",
    "$x$\\textbf{x}%#_&",
)
QUOTE_PAYLOAD = "".join(QUOTE_FRAGMENTS)

#: A source title (sources.csv) gets one too: it is shown in source lines, the sources table and 构建信息.
PLANTED_SOURCE = "dcr2021"
TITLE_PAYLOAD = "<script>alert(5)</script> **粗体** | [链接](http://evil.example) {glue}`x`"
TITLE_PAGES = ("book/00_intro.html", "book/build_info.html")
#: Indicators whose names get the payload: shown in the headline panel, prose, charts, tables, catalogue.
PLANTED_INDICATORS = ("internet_users", "internet_penetration", "base_stations_5g", "users_5g")
#: Observations whose quotes get the payload: (observations file, indicator_id, year) — the latest values.
PLANTED_QUOTES = (("dcr2021", "internet_users", 2021), ("dcr2021", "users_5g", 2021))
#: Pages that must show the planted names as text (the chapters that use those indicators, and the catalogue).
NAME_PAGES = (
    "book/00_intro.html",
    "book/02_infrastructure.html",
    "book/07_society.html",
    "book/13_methods.html",
)


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def planted_title(title: str) -> str:
    """The hostile form of a source title."""
    return f"{title} {TITLE_PAYLOAD}"


def plant(data_dir: Path) -> dict[str, list[str]]:
    """Plant the payloads into ``data_dir`` (a copy!); return what was planted where, for messages.

    Names: ``<name> <NAME_PAYLOAD>``; the title of ``PLANTED_SOURCE``: ``<title> <TITLE_PAYLOAD>``. Quotes: ``<quote><QUOTE_PAYLOAD>``, and the raw line at the locator
    gets the payload right after the original quote, so validation still finds the quote verbatim.
    """
    planted: dict[str, list[str]] = {"names": [], "quotes": []}
    path = data_dir / "indicators.csv"
    columns, rows = _read_csv(path)
    for row in rows:
        if row["indicator_id"] in PLANTED_INDICATORS:
            row["name_zh"] = f"{row['name_zh']} {NAME_PAYLOAD}"
            planted["names"].append(row["indicator_id"])
    missing = set(PLANTED_INDICATORS) - set(planted["names"])
    assert not missing, f"{path}: indicators to plant not found: {sorted(missing)}"
    _write_csv(path, columns, rows)

    path = data_dir / "sources.csv"
    columns, rows = _read_csv(path)
    sources = {r["source_id"]: r for r in rows}
    assert PLANTED_SOURCE in sources, f"{path}: no source {PLANTED_SOURCE!r} to plant into"
    sources[PLANTED_SOURCE]["title"] = planted_title(sources[PLANTED_SOURCE]["title"])
    _write_csv(path, columns, rows)
    planted["titles"] = [PLANTED_SOURCE]
    for source_id, indicator_id, year in PLANTED_QUOTES:
        path = data_dir / "observations" / f"{source_id}.csv"
        columns, rows = _read_csv(path)
        matches = [r for r in rows if r["indicator_id"] == indicator_id and int(r["year"]) == year]
        assert len(matches) == 1, f"{path}: expected one {indicator_id} {year} row, found {len(matches)}"
        row = matches[0]
        raw_path = data_dir / sources[source_id]["file"]
        lines = raw_path.read_bytes().decode("utf-8").split("\n")  # byte-exact: no newline translation
        line_no = int(row["locator"])
        quote = row["quote"]
        # Validation compares quotes without whitespace, so find the quote the same way and plant right after it.
        pattern = r"\s*".join(re.escape(ch) for ch in quote if not ch.isspace())
        found = re.search(pattern, lines[line_no - 1])
        assert found, (
            f"{raw_path}:{line_no}: the quote of {path.name} {indicator_id} {year} does not start and end on "
            "this line; plant into a row whose quote does"
        )
        line = lines[line_no - 1]
        lines[line_no - 1] = line[: found.end()] + QUOTE_PAYLOAD + line[found.end() :]
        raw_path.write_bytes("\n".join(lines).encode("utf-8"))
        row["quote"] = quote + QUOTE_PAYLOAD  # rows sharing the sentence keep theirs: still verbatim
        _write_csv(path, columns, rows)
        planted["quotes"].append(f"{path.name}:{indicator_id}:{year}")
    return planted


# ---- the hostile build ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository with hostile data, validated and built (``--strict``, HTML and PDF)."""
    root = tmp_path_factory.mktemp("hostile") / "repo"
    copy_repo(root)
    plant(root / "data")
    check = subprocess.run(
        # the planted raw lines changed the files: record their checksums, as the maintainer would
        [sys.executable, "-m", "dcbook", "validate", "--rehash", "--data-dir", str(root / "data")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, f"the planted data do not validate:\n{check.stdout}\n{check.stderr}"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dcbook",
            "build",
            "--root",
            str(root),
            "--data-dir",
            str(root / "data"),
            "--strict",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"dcbook build --strict of the hostile copy failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    assert (root / "_build" / "html" / "index.html").is_file(), f"{root}: no index.html"
    return root


# ---- the pages in Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(hostile_root: Path) -> Iterator[str]:
    """The hostile site served on 127.0.0.1 (ephemeral port)."""
    handler = functools.partial(QuietHandler, directory=str(hostile_root / "_build" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _pages(html_dir: Path) -> list[str]:
    """Every content page of the site (not the root redirect stub, not _static)."""
    return sorted(
        str(p.relative_to(html_dir))
        for p in html_dir.rglob("*.html")
        if "_static" not in p.parts and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:500]
    )


#: What the payloads would create in a page if any layer interpreted them, as ``kind: outerHTML`` lines.
_INJECTED_JS = """() => {
  const out = [];
  const runnable = (s) => ['', 'text/javascript', 'module', 'application/javascript'].includes(
      (s.getAttribute('type') || '').toLowerCase());
  for (const s of document.querySelectorAll('script')) {
    if (runnable(s) && /alert\\(/.test(s.textContent)) out.push('script: ' + s.textContent.slice(0, 80));
  }
  for (const el of document.querySelectorAll("img[src='x'], [onerror], a[href*='evil.example']")) {
    out.push(el.tagName.toLowerCase() + ': ' + el.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('strong, b')) {
    if (el.textContent.trim() === '粗体') out.push('bold: ' + el.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('em, i, .math, mjx-container')) {
    if (el.textContent.trim() === 'x') out.push('emphasis/math: ' + el.outerHTML.slice(0, 120));
  }
  return out;
}"""


def _open(browser: object, url: str) -> tuple[object, object, list[str]]:
    """Open ``url`` with a dialog trap; wait until every chart has finished drawing (or failed)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []

    def trap(dialog: object) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", trap)
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.dc-chart-view'))"
        ".every(el => ['rendered', 'error', 'no-vega'].includes(el.getAttribute('data-state')))",
        timeout=60_000,
    )
    return context, page, dialogs


def test_no_page_runs_or_renders_the_data(hostile_root: Path, site_url: str, browser: object) -> None:
    """Every page: no dialog, and no script, image, handler, link, bold or math made from the data."""
    html_dir = hostile_root / "_build" / "html"
    pages = _pages(html_dir)
    assert set(NAME_PAGES) <= set(pages), f"pages missing from the site: {set(NAME_PAGES) - set(pages)}"
    problems: list[str] = []
    for rel in pages:
        context, page, dialogs = _open(browser, site_url + rel)
        page.wait_for_timeout(200)  # an onerror handler fires after the image fails to load
        problems += [f"{rel}: dialog {d}" for d in dialogs]
        problems += [f"{rel}: {p}" for p in page.evaluate(_INJECTED_JS)]  # type: ignore[attr-defined]
        context.close()  # type: ignore[attr-defined]
    assert not problems, "hostile data was interpreted:\n" + "\n".join(problems)


@pytest.mark.parametrize("rel", NAME_PAGES)
def test_pages_show_the_names_as_text(hostile_root: Path, site_url: str, browser: object, rel: str) -> None:
    """The chapters that use the planted indicators show every payload fragment literally."""
    context, page, dialogs = _open(browser, site_url + rel)
    text = page.inner_text("main")  # type: ignore[attr-defined]
    missing = [f for f in NAME_FRAGMENTS if f not in text]
    assert not missing, f"{rel}: these fragments of the planted names are not shown literally: {missing}"
    assert "&lt;" not in text and "&amp;" not in text, f"{rel}: text escaped twice (entities shown)"
    assert not dialogs, f"{rel}: dialogs {dialogs}"
    context.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("rel", TITLE_PAGES)
def test_pages_show_the_source_title_as_text(
    hostile_root: Path, site_url: str, browser: object, rel: str
) -> None:
    """The sources table (导读) and the 构建信息 page show the planted source title whole, as text."""
    title = planted_title(_original_title())
    context, page, dialogs = _open(browser, site_url + rel)
    text = page.inner_text("main")  # type: ignore[attr-defined]
    assert title in text, f"{rel}: the planted source title is not shown literally: {title!r}"
    assert not dialogs, f"{rel}: dialogs {dialogs}"
    context.close()  # type: ignore[attr-defined]


def _original_title() -> str:
    rows = _read_csv(REPO_ROOT / "data" / "sources.csv")[1]
    return next(r["title"] for r in rows if r["source_id"] == PLANTED_SOURCE)


def test_catalogue_filter_finds_the_names(hostile_root: Path, site_url: str, browser: object) -> None:
    """Typing markup into the catalogue's filter box matches the planted rows as text and runs nothing."""
    context, page, dialogs = _open(browser, site_url + "book/13_methods.html")
    page.fill("input.dcbook-table-filter", NAME_FRAGMENTS[0])  # type: ignore[attr-defined]
    shown = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "table#dcbook-catalogue tbody tr",
        "rows => rows.filter(r => r.style.display !== 'none').map(r => r.cells[0].textContent)",
    )
    assert sorted(shown) == sorted(PLANTED_INDICATORS), f"13_methods: the filter shows {shown}"
    assert not dialogs, f"13_methods: dialogs {dialogs}"
    context.close()  # type: ignore[attr-defined]


def test_charts_show_the_names_as_text(hostile_root: Path, site_url: str, browser: object) -> None:
    """Vega draws the planted name as SVG text, and its tooltip shows it as text (no markup inside)."""
    context, page, dialogs = _open(browser, site_url + "book/07_society.html")
    labels = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".dc-chart-view svg text", "els => els.map(el => el.textContent)"
    )
    assert any(NAME_FRAGMENTS[0][:15] in t for t in labels), (
        f"07_society: no chart label shows the planted name as text; labels: {labels[:40]}"
    )
    # A line chart whose data table lists a planted name: hover its last point.
    figure = page.locator(  # type: ignore[attr-defined]
        "figure.dc-chart",
        has_text=NAME_FRAGMENTS[0],
        has=page.locator(".dc-chart-view path[aria-roledescription='point']"),  # type: ignore[attr-defined]
    ).first
    point = figure.locator(".dc-chart-view path[aria-roledescription='point']").last
    point.hover()
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)  # type: ignore[attr-defined]
    tip = page.inner_text("#vg-tooltip-element")  # type: ignore[attr-defined]
    missing = [f for f in NAME_FRAGMENTS if f not in tip]
    assert not missing, f"07_society: tooltip lacks the literal fragments {missing}: {tip!r}"
    inside = page.eval_on_selector_all("#vg-tooltip-element *", "els => els.map(e => e.tagName)")  # type: ignore[attr-defined]
    assert not {"IMG", "SCRIPT", "A", "STRONG"} & set(inside), f"07_society: tooltip holds markup {inside}"
    # Quotes are not printed on the pages; they travel inside each chart's data, as inert JSON.
    quotes = page.evaluate(  # type: ignore[attr-defined]
        """() => Array.from(document.querySelectorAll('script[type="application/json"][id$="-spec"]'))
              .flatMap(s => Object.values(JSON.parse(s.textContent).datasets || {}).flat())
              .map(d => d.quote).filter(q => typeof q === 'string')"""
    )
    assert any(q.endswith(QUOTE_PAYLOAD) for q in quotes), (
        "07_society: the planted quote is not in the chart data"
    )
    assert not dialogs, f"07_society: dialogs {dialogs}"
    context.close()  # type: ignore[attr-defined]


# ---- the PDF and the downloads --------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_shows_the_strings_and_its_log_is_clean(hostile_root: Path) -> None:
    """pdftotext finds every fragment verbatim (LaTeX specials escaped, not typeset); the LaTeX log is clean."""
    pdfs = sorted((hostile_root / "_build" / "html" / "pdf").glob("*.pdf"))
    assert pdfs, f"{hostile_root}/_build/html/pdf: the build made no PDF"
    text = _squash("".join(pdfcheck.page_texts(pdfs[0])))
    missing = [f for f in NAME_FRAGMENTS if _squash(f) not in text]
    assert not missing, f"{pdfs[0]}: fragments not shown literally: {missing}"
    assert "&lt;" not in text and "&amp;" not in text, f"{pdfs[0]}: text escaped twice (entities shown)"
    # Finding a fragment once is not enough (the chart images carry it too): wherever the typeset text starts
    # one, it must go on verbatim — no curly quotes from TeX ligatures, no macro eaten — unless a chart label
    # cuts it with an ellipsis.
    changed = []
    for start, rest in (("{glue}", "`x`"), ("{glue:text}", "`x`"), ("textbf", "{x}"), ("**粗体", "**")):
        for m in re.finditer(re.escape(start), text):
            shown = text[m.end() : m.end() + len(rest)]
            if shown != rest and "…" not in shown:
                changed.append(text[max(0, m.start() - 10) : m.end() + 10])
    changed += [
        text[m.start() - 10 : m.end() + 5] for m in re.finditer("textbf", text) if text[m.start() - 1] != "\\"
    ]
    assert not changed, f"{pdfs[0]}: planted text typeset differently: {changed[:5]}"
    logs = sorted(hostile_root.glob("_build/**/latex/dcbook-*.log"))
    assert logs, f"{hostile_root}/_build: no LaTeX log found"
    for log in logs:
        problems = pdf.check_latex_log(log.read_text(encoding="utf-8", errors="replace"))
        assert not problems, f"{log}: " + "\n".join(problems)


def test_csv_downloads_carry_the_raw_strings(hostile_root: Path) -> None:
    """The chart downloads hold the planted names and quote exactly as in the data (not HTML-escaped)."""
    downloads = sorted((hostile_root / "_build" / "html" / "_static" / "downloads").glob("*.csv"))
    assert downloads, f"{hostile_root}: no chart CSV downloads"
    cells: set[str] = set()
    for path in downloads:
        _, rows = _read_csv(path)
        cells.update(v for row in rows for v in row.values() if v)
    names = {c for c in cells if c.endswith(" " + NAME_PAYLOAD)}
    assert len(names) == len(PLANTED_INDICATORS), f"planted names found in the CSVs: {sorted(names)}"
    assert any(c.endswith(QUOTE_PAYLOAD) for c in cells), "no CSV holds a planted quote verbatim"
    escaped = sorted(c for c in cells if "&lt;" in c or "\\u003c" in c)
    assert not escaped, f"CSV cells were escaped instead of kept raw: {escaped[:3]}"
