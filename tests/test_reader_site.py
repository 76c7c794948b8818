"""The built book as readers use it, in Debian chromium: Chinese search, phones, interface language, editions.

Uses the ``built_site`` fixture (the latest edition, built once per session) and serves it on 127.0.0.1.
What a search must find is computed from the pages themselves: every page whose article text contains the
query. Screenshots (390 px, dark mode) go to ``_build/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import QuietHandler

from dcbook import REPO_ROOT
from dcbook.pipeline import site as site_mod

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = REPO_ROOT / "_build" / "screenshots"

#: Query → the chapter about it (ranked first). None: no single chapter is about it; all pages must be found.
QUERIES: dict[str, str | None] = {
    "5G基站": "book/02_infrastructure",
    "数字经济": "book/05_economy",
    "数字中国": None,
    "千兆光网": None,
    "一网通办": "book/06_government",
    "数字政府": "book/06_government",
    "网民规模": "book/07_society",
    "互联网普及率": "book/07_society",
    "数字基础设施": "book/02_infrastructure",
    "数据资源": None,
    "数字技术创新": "book/04_innovation",
    "网络安全": None,
    "国际合作": "book/10_international",
    "电子商务": None,
    "数字乡村": None,
    "规划目标": None,
    "信息化": None,
    "工业互联网": None,
    "数字文化": None,
    "政务服务": None,
    "数据来源": None,
    "人工智能": None,
}


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    yield from _serve(built_site)


def _serve(root: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _content_pages(html: Path) -> list[str]:
    out = []
    for p in sorted(html.rglob("*.html")):
        rel = p.relative_to(html).as_posix()
        # data/ is the generated data dictionary, not a Sphinx page (no article, not in the search index);
        # test_site_takeaway.py checks it on phones
        if rel.split("/")[0] in ("_static", "_sources", "data") or rel in ("search.html", "genindex.html"):
            continue
        if 'http-equiv="Refresh"' in p.read_text(encoding="utf-8")[:500]:
            continue
        out.append(rel)
    return out


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _article_text(path: Path) -> str:
    """What the search index was built from: the article (not the theme's previous/next footer)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one("[role=main]")
    assert article is not None, path
    for el in article.select(".prev-next-footer, .headerlink, script, style"):
        el.decompose()
    return _compact(article.get_text(" "))


def _search(page: object, base: str, query: str) -> list[tuple[str, str]]:
    page.goto(f"{base}search.html?q={query}", wait_until="load")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => { const r = document.getElementById('search-results');"
        " return r && /搜索完成|没有匹配/.test(r.innerText); }",
        timeout=30_000,
    )
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#search-results ul.search li",
        "els => els.map(li => [li.querySelector('a').getAttribute('href'),"
        " (li.querySelector('p.context') || {textContent: ''}).textContent])",
    )


def test_chinese_queries_find_every_page_and_rank_the_chapter_first(
    browser: object, built_site: Path, base_url: str
) -> None:
    assert len(QUERIES) >= 20
    texts = {rel: _article_text(built_site / rel) for rel in _content_pages(built_site)}
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    for query, home in QUERIES.items():
        expected = {rel for rel, text in texts.items() if _compact(query) in text}
        assert expected, f"{query}: no page of the book contains it (pick another query)"
        results = _search(page, base_url, query)
        found = [href.split("#")[0] for href, _ in results]
        missing = sorted(expected - set(found))
        if missing:
            problems.append(
                f"{query}: {len(expected) - len(missing)} of {len(expected)} pages found; missing {missing}"
            )
        if home is not None and (not found or found[0] != home + ".html"):
            problems.append(f"{query}: first result {found[:1]}, expected {home}.html")
    # snippets: a sentence around the query, not table cells run together
    page.wait_for_timeout(500)
    for query in ("5G基站", "一网通办", "数字经济"):
        _search(page, base_url, query)
        page.wait_for_function("() => document.querySelectorAll('#search-results p.context').length > 0")
        snippets = page.eval_on_selector_all(
            "#search-results p.context", "els => els.map(p => p.textContent)"
        )
        first = snippets[0]
        if _compact(query) not in _compact(first) or len(first) > 260:
            problems.append(f"{query}: snippet {first!r}")
    context.close()
    assert not problems, "\n".join(problems)


def _shot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=False)  # type: ignore[attr-defined]


# Tables drawn only when scrolled near (content-visibility: auto) are laid out first, so their width counts.
OVERFLOW_JS = (
    "() => { document.querySelectorAll('.dcbook-filter-table').forEach("
    "e => { e.style.contentVisibility = 'visible'; });"
    " return document.documentElement.scrollWidth - window.innerWidth; }"
)
#: The smallest chart text as drawn on screen, in CSS px (font size × the scale the SVG is drawn at).
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
IN_VIEW_JS = """sel => [...document.querySelectorAll(sel)].some(el => {
  const r = el.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; })"""
#: Charts allowed to draw text below 10 px: none (the regional small multiples once were).
KNOWN_SMALL_TEXT: dict[str, str] = {}


@pytest.mark.parametrize("width", [360, 390])
def test_phones_no_overflow_readable_charts_reachable_controls(
    browser: object, built_site: Path, base_url: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    for rel in _content_pages(built_site):
        page.goto(base_url + rel, wait_until="load")
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.dc-chart-view'))"
            ".every(el => ['rendered', 'error', 'no-vega'].includes(el.getAttribute('data-state')))",
            timeout=30_000,
        )
        page.wait_for_selector(".dcbook-editions summary", timeout=10_000)
        over = page.evaluate(OVERFLOW_JS)
        if over > 0:
            problems.append(f"{width}px {rel}: page is {over}px wider than the screen")
        for sel in (".dcbook-editions summary", "button.search-button"):
            if not page.evaluate(IN_VIEW_JS, sel):
                problems.append(f"{width}px {rel}: {sel} is not on screen")
        smallest = page.evaluate(SMALLEST_CHART_TEXT_JS, list(KNOWN_SMALL_TEXT))
        if smallest < 10:
            problems.append(f"{width}px {rel}: chart text drawn at {smallest:.1f}px")
    page.goto(base_url + "book/02_infrastructure.html", wait_until="load")
    page.wait_for_selector(".dc-chart-view[data-state=rendered] svg")
    _shot(page, f"reader_{width}_02_infrastructure.png")
    context.close()
    assert not problems, "\n".join(problems)


def test_dark_mode_screenshot(browser: object, base_url: str) -> None:
    """Dark mode draws the chapter (a screenshot for review; contrast is not asserted here)."""
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme="dark")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base_url + "book/05_economy.html", wait_until="load")
    page.wait_for_selector(".dc-chart-view[data-state=rendered] svg")
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    page.locator(".dc-chart-view").first.scroll_into_view_if_needed()
    _shot(page, "reader_390_dark_05_economy.png")
    context.close()


#: Attribute values and texts of the page chrome may hold these Latin words (key names, file formats).
ALLOWED_LATIN = {"ctrl", "pdf", "svg", "png", "csv", "ipynb", "md", "vega"}


def test_interface_is_simplified_chinese(browser: object, built_site: Path, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    for rel in ("book/00_intro.html", "book/05_economy.html", "search.html"):
        page.goto(base_url + rel, wait_until="load")
        page.wait_for_timeout(500)
        found = page.evaluate(
            """() => {
              const out = [];
              for (const el of document.querySelectorAll('*')) {
                if (el.closest('article') || el.closest('script, style')) continue;
                for (const a of ['title', 'aria-label', 'placeholder', 'data-bs-title', 'alt'])
                  if (el.getAttribute(a)) out.push(el.getAttribute(a));
              }
              document.querySelectorAll('.headerlink').forEach(el => out.push(el.getAttribute('title') || ''));
              document.querySelectorAll('button, summary, label').forEach(el => {
                if (!el.closest('article')) out.push(el.innerText);
              });
              return out;
            }"""
        )
        for value in found:
            words = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", value)} - ALLOWED_LATIN
            if words or "列印" in value:
                problems.append(f"{rel}: {value!r}")
        title = page.title()
        if "2021 年版" not in title and "年版" not in title:
            problems.append(f"{rel}: <title> {title!r} names no edition")
    context.close()
    assert not problems, "interface strings not in Simplified Chinese:\n" + "\n".join(sorted(set(problems)))


def test_every_page_title_names_the_edition(built_site: Path) -> None:
    bad = []
    for rel in [*_content_pages(built_site), "search.html"]:
        title = BeautifulSoup((built_site / rel).read_text(encoding="utf-8"), "html.parser").title
        if title is None or not re.search(r"（\d{4} 年版）", title.get_text()):
            bad.append(f"{rel}: {title}")
    assert not bad, bad


def test_switcher_closes_on_escape_and_outside_click_and_chart_menu_is_named(
    browser: object, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base_url + "book/02_infrastructure.html", wait_until="load")
    summary = page.locator(".dcbook-editions summary")
    details = page.locator(".dcbook-editions details")
    summary.click()
    assert details.evaluate("d => d.open")
    page.keyboard.press("Escape")
    assert not details.evaluate("d => d.open")
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    summary.click()
    assert details.evaluate("d => d.open")
    page.locator("article h1").first.click()
    assert not details.evaluate("d => d.open")
    page.wait_for_selector(".dc-chart-view[data-state=rendered] svg")
    # the figure's menus (text alternative, citation) are named; vega-embed's unnamed icon menu is gone
    names = page.eval_on_selector_all(
        "figure.dc-chart summary", "els => els.map(s => s.getAttribute('aria-label') || s.innerText)"
    )
    assert names and all(n and re.search(r"[\u4e00-\u9fff]", n) for n in names), names
    assert page.locator(".dc-chart-view .vega-actions, .dc-chart-view details").count() == 0
    context.close()


def test_older_edition_shows_a_banner_linking_the_newest(
    browser: object, built_site: Path, tmp_path: Path
) -> None:
    """A two-edition layout made from the built edition: its copy under 2020/ must point readers to 2021."""
    root = tmp_path / "site"
    shutil.copytree(built_site, root / "2021")
    shutil.copytree(built_site, root / "2020")
    pages = site_mod.edition_pages(built_site)
    listing = [{"year": y, "path": f"{y}/", "pages": pages} for y in (2020, 2021)]
    for year in (2020, 2021):
        (root / str(year) / "editions.js").write_text(
            site_mod.editions_script(year, 2021, "../", listing), encoding="utf-8"
        )
    server = _serve(root)
    base = next(server)
    try:
        context = browser.new_context(viewport={"width": 390, "height": 800})  # type: ignore[attr-defined]
        page = context.new_page()
        page.goto(base + "2020/book/05_economy.html", wait_until="load")
        banner = page.locator(".dcbook-old-edition")
        banner.wait_for(timeout=10_000)
        assert "2020 年版" in banner.inner_text()
        link = banner.locator("a")
        assert link.get_attribute("data-edition") == "2021"
        _shot(page, "reader_390_old_edition_banner.png")
        link.click()
        page.wait_for_url("**/2021/book/05_economy.html")
        assert page.locator(".dcbook-old-edition").count() == 0
        context.close()
    finally:
        next(server, None)


def test_search_index_loads_on_the_search_page_only(built_site: Path) -> None:
    loads = {
        rel: "searchindex.js" in (built_site / rel).read_text(encoding="utf-8")
        for rel in [*_content_pages(built_site), "search.html"]
    }
    assert loads.pop("search.html")
    assert not any(loads.values()), [rel for rel, found in loads.items() if found]
