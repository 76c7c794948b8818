"""The built site of every edition in Debian chromium: colour contrast in both modes, phones, page weight, the
chart downloads and the ``data/`` folder, charts without JavaScript.

Builds ``dcbook build --all-editions --no-pdf`` of a copy of the repository once for the module and serves it on
127.0.0.1. Contrast is measured from the colours the browser computed for the rendered chart SVG (text against
the mark or page behind it, marks against the chart's background). Screenshots (390 px, light and dark) go to
``_build/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import csv
import functools
import gzip
import http.server
import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
import pytest
from conftest import QuietHandler

from dcbook import REPO_ROOT, build
from dcbook.pipeline import dataset

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = REPO_ROOT / "_build" / "screenshots"
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "chart-metadata.schema.json").read_text("utf-8"))
#: A chapter page, compressed as a static host sends it (gzip level 6; images and fonts as they are).
PAGE_LIMIT_KB = 700
#: Charts allowed to draw text below 10 px (the same list as test_reader_site): none.
KNOWN_SMALL_TEXT: set[str] = set()


@pytest.fixture(scope="module")
def site(all_editions_site: Path) -> Path:
    """Every edition as readers get it: the session's ``--all-editions --strict`` build (conftest)."""
    return all_editions_site


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _editions() -> list[int]:
    return build.available_editions(REPO_ROOT / "data")


def _pages(site: Path, year: int) -> list[str]:
    """Every reader page of one edition (relative to the site root), its data dictionary included."""
    folder = site / str(year)
    out = []
    for p in sorted(folder.rglob("*.html")):
        rel = p.relative_to(folder).as_posix()
        if rel.split("/")[0] in ("_static", "_sources") or rel == "genindex.html":
            continue
        if 'http-equiv="Refresh"' in p.read_text(encoding="utf-8")[:500]:
            continue
        out.append(f"{year}/{rel}")
    return out


def _chart_pages(site: Path, year: int) -> list[str]:
    return [
        rel for rel in _pages(site, year) if 'class="dc-chart"' in (site / rel).read_text(encoding="utf-8")
    ]


ALL_DRAWN = (
    "() => Array.from(document.querySelectorAll('.dc-chart-view'))"
    ".every(el => ['rendered', 'error', 'no-vega'].includes(el.getAttribute('data-state')))"
)


def _open(page: object, url: str) -> None:
    page.goto(url, wait_until="load")  # type: ignore[attr-defined]
    page.wait_for_function(ALL_DRAWN, timeout=60_000)  # type: ignore[attr-defined]


def _shot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=False)  # type: ignore[attr-defined]


#: WCAG contrast of every chart's text (against the mark or page under it) and marks (against the chart's
#: background), from computed colours. Grey context marks (the progress track, missing tiles, "其他") and
#: labelled tiles (their labels are checked against them) are not data marks and are left out.
CONTRAST_JS = """() => {
  const parse = c => { const m = /rgba?\\(([^)]+)\\)/.exec(c || ''); if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = c => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const over = (fg, a, bg) => [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
  const pageBg = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let bg = [255, 255, 255]; for (const c of layers.reverse()) bg = over(c, c[3], bg); return bg; };
  const alpha = (el, which) => { let a = parseFloat(getComputedStyle(el)[which + 'Opacity'] || '1');
    for (let e = el; e && e.tagName !== 'svg'; e = e.parentElement) a *= parseFloat(getComputedStyle(e).opacity || '1');
    return a; };
  const grey = c => Math.max(c[0], c[1], c[2]) - Math.min(c[0], c[1], c[2]) < 16;
  const out = [];
  for (const view of document.querySelectorAll('.dc-chart-view')) {
    const svg = view.querySelector('svg'); if (!svg) continue;
    let bg = pageBg(svg);
    const back = svg.querySelector('.background');
    if (back) { const f = parse(getComputedStyle(back).fill); if (f && f[3] > 0) bg = over(f, f[3] * alpha(back, 'fill'), bg); }
    const tiles = [...svg.querySelectorAll('.mark-rect path, .mark-rect rect, .mark-area path, .mark-arc path')];
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const r = t.getBoundingClientRect(); if (!r.width) continue;
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      let under = bg;
      for (const m of tiles) { const b = m.getBoundingClientRect();
        if (x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) {
          const f = parse(getComputedStyle(m).fill); if (f && f[3] > 0) under = over(f, f[3] * alpha(m, 'fill'), bg); } }
      const fg = parse(getComputedStyle(t).fill); if (!fg) continue;
      const ta = fg[3] * alpha(t, 'fill'); if (ta === 0) continue;  // a label hidden by Vega's overlap rule
      const c = over(fg, ta, under);
      const k = ratio(c, under);
      if (k < 4.5) out.push(`${view.id}: text "${t.textContent.trim().slice(0, 20)}" ${k.toFixed(2)}:1`);
    }
    for (const m of svg.querySelectorAll('.role-mark path, .role-mark line, .role-mark rect')) {
      const g = m.closest('.role-mark'); const kind = m.getAttribute('aria-roledescription') || '';
      if (g.classList.contains('mark-text') || kind.startsWith('rect')) continue;
      const cs = getComputedStyle(m);
      const lineLike = g.classList.contains('mark-line') || g.classList.contains('mark-rule') || g.classList.contains('mark-tick');
      // a mark is seen by its fill or by its outline, whichever stands out more
      const seen = [];
      const fill = parse(cs.fill), stroke = parse(cs.stroke);
      if (!lineLike && fill && fill[3] > 0) seen.push([fill, fill[3] * alpha(m, 'fill')]);
      if (stroke && stroke[3] > 0 && parseFloat(cs.strokeWidth) > 0) seen.push([stroke, stroke[3] * alpha(m, 'stroke')]);
      const shown = seen.filter(([c, a]) => a > 0 && ratio(over(c, a, bg), bg) > 1.05);
      if (!shown.length || shown.every(([c]) => grey(c))) continue;
      const k = Math.max(...shown.map(([c, a]) => ratio(over(c, a, bg), bg)));
      const col = shown[0][0];
      if (k < 3) out.push(`${view.id}: ${kind || g.getAttribute('class')} mark rgb(${col.slice(0, 3)}) ${k.toFixed(2)}:1`);
    }
  }
  for (const el of document.querySelectorAll('figure.dc-chart figcaption p, .dc-chart-source, .dc-chart-download a, figure.dc-chart summary')) {
    const fg = parse(getComputedStyle(el).color); const bg = pageBg(el);
    const k = ratio(over(fg, fg[3], bg), bg);
    if (k < 4.5) out.push(`caption "${el.textContent.trim().slice(0, 20)}" ${k.toFixed(2)}:1`);
  }
  return [...new Set(out)];
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_text_and_marks_meet_wcag_contrast_in_both_colour_modes(
    browser: object, site: Path, base_url: str, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme=scheme)  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    for year in _editions():
        for rel in _chart_pages(site, year):
            _open(page, base_url + rel)
            assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
            problems += [f"{scheme} {rel}: {p}" for p in page.evaluate(CONTRAST_JS)]
    # switching the mode on a page redraws its charts in the other mode's colours
    rel = f"{_editions()[-1]}/book/02_infrastructure.html"
    _open(page, base_url + rel)
    other = "light" if scheme == "dark" else "dark"
    page.evaluate(f"() => document.documentElement.dataset.theme = '{other}'")
    page.wait_for_timeout(300)
    page.wait_for_function(ALL_DRAWN, timeout=30_000)
    problems += [f"{scheme}→{other} {rel}: {p}" for p in page.evaluate(CONTRAST_JS)]
    context.close()
    assert not problems, "\n".join(problems[:40])


# Tables drawn only when scrolled near (content-visibility: auto) are laid out first, so their width counts.
OVERFLOW_JS = (
    "() => { document.querySelectorAll('.dcbook-filter-table').forEach("
    "e => { e.style.contentVisibility = 'visible'; });"
    " return document.documentElement.scrollWidth - window.innerWidth; }"
)
SMALLEST_CHART_TEXT_JS = """skip => {
  let smallest = Infinity;
  for (const svg of document.querySelectorAll('.dc-chart-view svg')) {
    if (skip.includes(svg.closest('.dc-chart-view').id)) continue;
    const box = svg.getBoundingClientRect();
    const width = svg.width && svg.width.baseVal ? svg.width.baseVal.value : box.width;
    const scale = width ? box.width / width : 1;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
    }
  }
  return smallest;
}"""


def test_phones_no_overflow_at_360_and_chart_text_at_least_10px_at_390_in_every_edition(
    browser: object, site: Path, base_url: str
) -> None:
    problems: list[str] = []
    for width in (360, 390):
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)  # type: ignore[attr-defined]
            page = context.new_page()
            for year in _editions():
                pages = _pages(site, year) if (width, scheme) == (360, "light") else _chart_pages(site, year)
                for rel in pages:
                    _open(page, base_url + rel)
                    over = page.evaluate(OVERFLOW_JS)
                    if over > 0:
                        problems.append(f"{width}px {scheme} {rel}: page is {over}px wider than the screen")
                    smallest = page.evaluate(SMALLEST_CHART_TEXT_JS, sorted(KNOWN_SMALL_TEXT))
                    if smallest < 10:
                        problems.append(f"{width}px {rel}: chart text drawn at {smallest:.1f}px")
            if width == 390:
                _open(page, base_url + f"{_editions()[-1]}/book/05_economy.html")
                page.locator(".dc-chart-view").first.scroll_into_view_if_needed()
                _shot(page, f"takeaway_390_{scheme}_05_economy.png")
                page.locator(".dc-chart-download").first.scroll_into_view_if_needed()
                _shot(page, f"takeaway_390_{scheme}_05_economy_downloads.png")
                page.goto(base_url + f"{_editions()[-1]}/data/index.html", wait_until="load")
                _shot(page, f"takeaway_390_{scheme}_data.png")
            context.close()
    assert not problems, "\n".join(problems[:40])


INCOMPRESSIBLE = (".png", ".jpg", ".woff2", ".woff", ".zip", ".pdf")


def test_chapter_pages_weigh_at_most_700_kb_compressed_and_skip_the_icon_script(
    browser: object, site: Path, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    for year in _editions():
        assert not (site / str(year) / "_static" / "scripts" / "fontawesome.js").exists()
        for rel in [r for r in _pages(site, year) if r.startswith(f"{year}/book/")]:
            page = context.new_page()
            responses: list[object] = []
            page.on("response", lambda resp, out=responses: out.append(resp))
            _open(page, base_url + rel)
            page.wait_for_timeout(200)
            total = 0
            for resp in responses:
                url = resp.url  # type: ignore[attr-defined]
                if "fontawesome.js" in url:
                    problems.append(f"{rel}: loads {url}")
                try:
                    body = resp.body()  # type: ignore[attr-defined]
                except Exception:
                    continue
                compressible = not urlparse(url).path.lower().endswith(INCOMPRESSIBLE)
                total += min(len(body), len(gzip.compress(body, 6))) if compressible else len(body)
            if total > PAGE_LIMIT_KB * 1024:
                problems.append(f"{rel}: {total / 1024:.0f} KB compressed (limit {PAGE_LIMIT_KB} KB)")
            page.close()
    context.close()
    assert not problems, "\n".join(problems)


def test_every_chart_of_every_edition_has_its_downloads(browser: object, site: Path, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    anchors: set[str] = set()
    for year in _editions():
        for rel in _chart_pages(site, year):
            _open(page, base_url + rel)
            figures = page.eval_on_selector_all(
                "figure.dc-chart",
                """els => els.map(f => ({
                  id: f.id, number: (f.querySelector('.dc-chart-number') || {}).textContent || '',
                  title: f.querySelector('.dc-chart-title').textContent,
                  links: Object.fromEntries([...f.querySelectorAll('.dc-chart-download a')].map(
                    a => [a.className.replace('dc-chart-', ''), [a.href, a.getAttribute('download')]])),
                  citation: (f.querySelector('.dc-chart-citation') || {}).textContent || '',
                  noscript: (f.querySelector('noscript') || {}).textContent || '',
                }))""",
            )
            chapter = re.match(r"\d+/book/(\d+)_", rel)
            for n, fig in enumerate(figures, start=1):
                where = f"{rel}#{fig['id']}"
                anchors.add(f"{year}:{fig['id']}")
                if chapter and fig["number"] != f"图 {int(chapter.group(1))}-{n}":
                    problems.append(
                        f"{where}: figure number {fig['number']!r}, expected 图 {int(chapter.group(1))}-{n}"
                    )
                if set(fig["links"]) != {"csv", "png", "svg", "json", "dataset"}:
                    problems.append(f"{where}: links {sorted(fig['links'])}")
                    continue
                if not fig["citation"] or fig["title"].split("\u3000")[-1] not in fig["citation"]:
                    problems.append(f"{where}: citation {fig['citation']!r}")
                if "dc-chart-static" not in fig["noscript"]:
                    problems.append(f"{where}: no static image in <noscript>")
                got = {k: page.request.get(v[0]) for k, v in fig["links"].items()}
                for kind, resp in got.items():
                    if not resp.ok:
                        problems.append(f"{where}: {kind} link → HTTP {resp.status}")
                if any(not r.ok for r in got.values()):
                    continue
                names = {k: v[1] for k, v in fig["links"].items() if k != "dataset"}
                slug = fig["id"].removeprefix("fig-")
                if any(name != f"digital-china-{year}-{slug}.{k}" for k, name in names.items()):
                    problems.append(f"{where}: download names {names}")
                raw = got["csv"].body()
                if not raw.startswith(b"\xef\xbb\xbf") or not list(
                    csv.reader(io.StringIO(raw.decode("utf-8-sig")))
                ):
                    problems.append(f"{where}: CSV without BOM or rows")
                meta = json.loads(got["json"].body().decode("utf-8"))
                try:
                    jsonschema.validate(meta, SCHEMA)
                except jsonschema.ValidationError as exc:
                    problems.append(f"{where}: metadata: {exc.message}")
                if meta.get("edition") != year or meta.get("figure") != fig["number"]:
                    problems.append(
                        f"{where}: metadata edition/figure {meta.get('edition')} {meta.get('figure')}"
                    )
                svg = re.sub(
                    r"<[^>]+>", "", "".join(re.findall(r"<text[^>]*>.*?</text>", got["svg"].text(), re.S))
                )
                for needle in (meta.get("title", "?"), "来源：", f"{year} 年版", "CC BY 4.0"):
                    if needle not in svg:
                        problems.append(f"{where}: SVG lacks {needle!r}")
                if got["png"].body()[:8] != b"\x89PNG\r\n\x1a\n":
                    problems.append(f"{where}: PNG is not a PNG")
                if urlparse(fig["links"]["dataset"][0]).path != f"/{year}/data/index.html":
                    problems.append(f"{where}: dataset link {fig['links']['dataset'][0]}")
    context.close()
    assert anchors and not problems, "\n".join(problems[:40])


def test_each_edition_data_folder_is_linked_from_methods_and_holds_only_its_sources(
    site: Path, tmp_path: Path
) -> None:
    from bs4 import BeautifulSoup
    from frictionless import Package

    counts = {}
    for year in _editions():
        folder = site / str(year) / "data"
        methods = BeautifulSoup(
            (site / str(year) / "book" / "13_methods.html").read_text("utf-8"), "html.parser"
        )
        assert methods.select_one('article a[href="../data/index.html"]'), (
            f"{year}: 方法与数据 has no data link"
        )
        page = BeautifulSoup((folder / "index.html").read_text("utf-8"), "html.parser")
        for a in page.select("a[href]"):
            href = a["href"]
            if not href.startswith(("http", "#")):
                assert (folder / href).resolve().exists() or href == "../index.html", f"{year}: {href}"
        with zipfile.ZipFile(folder / dataset.zip_name(year)) as archive:
            assert archive.testzip() is None
            archive.extractall(tmp_path / str(year))
        sources = list(
            csv.DictReader(io.StringIO((tmp_path / str(year) / "sources.csv").read_text("utf-8-sig")))
        )
        assert sources and all(int(s["edition_year"]) <= year for s in sources), year
        report = Package(str(tmp_path / str(year) / "datapackage.json")).validate()
        assert report.valid, (year, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5])
        assert json.loads((folder / "datapackage.json").read_text("utf-8")) == json.loads(
            (tmp_path / str(year) / "datapackage.json").read_text("utf-8")
        )
        counts[year] = len(list((tmp_path / str(year) / "observations").glob("*.csv")))
    assert counts[_editions()[0]] < counts[_editions()[-1]], counts  # the editions really differ


def test_without_javascript_a_chart_shows_its_static_image(
    browser: object, site: Path, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    for year in _editions():
        page.goto(base_url + f"{year}/book/02_infrastructure.html", wait_until="load")
        images = page.eval_on_selector_all(
            "img.dc-chart-static", "els => els.map(i => [i.complete && i.naturalWidth > 0, i.alt])"
        )
        views = page.eval_on_selector_all(".dc-chart-view", "els => els.length")
        assert images and len(images) == views, (year, images, views)
        assert all(ok and alt for ok, alt in images), (year, images)
    _shot(page, "takeaway_nojs_02_infrastructure.png")
    context.close()


def test_chart_anchor_links_resolve(site: Path) -> None:
    from bs4 import BeautifulSoup

    for year in _editions():
        for rel in _chart_pages(site, year):
            soup = BeautifulSoup((site / rel).read_text("utf-8"), "html.parser")
            ids = {el.get("id") for el in soup.select("[id]")}
            for a in soup.select("a.dc-chart-number"):
                assert a["href"].startswith("#") and a["href"][1:] in ids, (rel, a["href"])
