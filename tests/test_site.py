"""The real book, built once per session (``built_site`` in conftest.py): pages, links, offline, search.

The link check is offline: every internal ``href``/``src`` must name a file of the site and every
``#anchor`` an element id in that file. Scripts, stylesheets and images must come from the site itself.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from dcbook import REPO_ROOT
from dcbook.pipeline.inputs import toc_pages

pytestmark = pytest.mark.slow

#: (tag, attribute) pairs that load or link something.
LINKING = (
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
)
#: Tags whose URL is fetched when the page loads: these must never leave the site.
LOADING = {"script", "link", "img", "iframe", "source"}


@cache
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def _ids(path: Path) -> frozenset[str]:
    soup = _soup(path)
    return frozenset(
        [str(el["id"]) for el in soup.find_all(id=True)]
        + [str(el["name"]) for el in soup.find_all("a", attrs={"name": True})]
    )


def _pages(html: Path) -> list[Path]:
    """The site's pages (``_static`` holds theme template fragments, not pages)."""
    return sorted(p for p in html.rglob("*.html") if p.relative_to(html).parts[0] != "_static")


def test_every_toc_page_is_in_the_site(built_site: Path) -> None:
    pages = toc_pages(REPO_ROOT)
    missing = [p.docname for p in pages if not (built_site / f"{p.docname}.html").is_file()]
    assert not missing, f"toc pages without HTML: {missing}"
    # the site's front door leads to the root page
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert f"{pages[0].docname}.html" in index


def test_internal_links_and_anchors_resolve(built_site: Path) -> None:
    broken: list[str] = []
    checked = 0
    for page in _pages(built_site):
        for tag, attr in LINKING:
            for el in _soup(page).find_all(tag, attrs={attr: True}):
                url = str(el[attr]).strip()
                parts = urlsplit(url)
                if (
                    parts.scheme
                    or url.startswith("//")
                    or url.startswith(("mailto:", "javascript:", "data:"))
                ):
                    continue
                target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
                where = f"{page.relative_to(built_site)}: <{tag} {attr}={url!r}>"
                checked += 1
                if not target.is_file():
                    broken.append(f"{where}: no file {target}")
                    continue
                if (
                    parts.fragment
                    and target.suffix == ".html"
                    and unquote(parts.fragment) not in _ids(target)
                ):
                    broken.append(f"{where}: no element with id {parts.fragment!r} in {target.name}")
    assert checked > 100, f"only {checked} internal links found: is the site complete?"
    assert not broken, f"{len(broken)} broken internal link(s):\n" + "\n".join(broken[:50])


def test_nothing_is_loaded_from_another_host(built_site: Path) -> None:
    offenders: list[str] = []
    for page in _pages(built_site):
        soup = _soup(page)
        for tag, attr in LINKING:
            if tag not in LOADING:
                continue
            for el in soup.find_all(tag, attrs={attr: True}):
                url = str(el[attr]).strip()
                if urlsplit(url).scheme in {"http", "https"} or url.startswith("//"):
                    offenders.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url!r}>")
        # inline scripts that would fetch code from a CDN at view time (require.js, MathJax, thebe …)
        for script in soup.find_all("script", src=False):
            for url in re.findall(r"https?://[^\s\"'<>]+\.js\b", script.get_text()):
                offenders.append(f"{page.relative_to(built_site)}: inline script loads {url}")
    assert not offenders, "third-party loads:\n" + "\n".join(offenders)


def test_chinese_search_index(built_site: Path) -> None:
    text = (built_site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    terms = index["terms"]
    chinese = [t for t in terms if re.search(r"[\u4e00-\u9fff]", t)]
    # character bigrams (dcbook.pipeline.search): the index holds two-character terms, not whole sentences
    assert len(chinese) > 100, chinese[:20]
    for word in ("数据", "来源", "冲突"):
        assert word in terms, word
    titles = [re.sub(r"<[^>]+>", "", t) for t in index["titles"]]  # numbered chapters carry a number span
    assert any(t.endswith("方法与数据") for t in titles), titles
    search_page = (built_site / "search.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in search_page or 'lang="zh_CN"' in search_page


def test_parameters_and_setup_code_are_hidden_and_the_notebook_is_downloadable(built_site: Path) -> None:
    intro = (built_site / "book" / "00_intro.html").read_text(encoding="utf-8")
    assert "injected-parameters" not in intro
    assert "data_dir = None" not in intro  # the parameters cell is removed
    assert "data.load(edition, data_dir)" not in intro  # the setup cell is removed
    soup = _soup(built_site / "book" / "00_intro.html")
    # Charts and tables are placed by directives, so no code cell shows on the page; a reader who wants the code
    # downloads the executed notebook (linked from every page).
    assert not soup.select("div.cell div.cell_input"), "a code cell's input is shown on the page"
    assert soup.select_one('a[href$="_sources/book/00_intro.ipynb"]') is not None, "no notebook download link"
    # rendered prose, no template or glue placeholder left
    assert "年版" in soup.get_text() and "{glue" not in intro and "{{" not in intro and "{%" not in intro


def test_notebooks_are_downloadable(built_site: Path) -> None:
    for page in toc_pages(REPO_ROOT):
        if page.is_notebook:
            source = built_site / "_sources" / f"{page.docname}.ipynb"
            assert source.is_file(), source
            nb = json.loads(source.read_text(encoding="utf-8"))
            assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), (
                "executed copy expected"
            )
    html = (built_site / "book" / "00_intro.html").read_text(encoding="utf-8")
    assert "_sources/book/00_intro.ipynb" in html


def test_build_information_page(built_site: Path) -> None:
    report = json.loads(
        (built_site.parent / "executed" / "2021" / "build_report.json").read_text(encoding="utf-8")
    )
    assert {c["chapter"] for c in report["chapters"]} == {
        p.docname for p in toc_pages(REPO_ROOT) if p.is_notebook
    }
    assert all(c["status"] == "executed" for c in report["chapters"])  # a fresh copy executes everything
    assert all(c["reads"] for c in report["chapters"]), "every chapter reads data through dcbook.data"
    assert report["versions"]["jupyter-book"] == "1.0.4.post1"
    text = _soup(built_site / "book" / "build_info.html").get_text()
    assert "构建信息" in text and "执行" in text and "jupyter-book" in text
    assert report["data_vintage"] in text
    for chapter in report["chapters"]:
        assert chapter["chapter"].rsplit("/", 1)[-1] in text  # listed by file name


def test_single_edition_site_lists_only_itself_in_the_switcher(built_site: Path) -> None:
    """``dcbook build`` (one edition): every page loads the switcher, whose list holds just this edition."""
    from dcbook.build import default_edition

    text = (built_site / "editions.js").read_text(encoding="utf-8")
    info = json.loads(text.split("window.dcbookEditions = ", 1)[1].rstrip().rstrip(";"))
    latest = default_edition(REPO_ROOT / "data")
    assert info["current"] == latest and info["latest"] == latest and info["root"] == ""
    assert [e["year"] for e in info["editions"]] == [latest] and info["editions"][0]["path"] == ""
    assert f"{toc_pages(REPO_ROOT)[1].docname}.html" in info["editions"][0]["pages"]
    # every page Sphinx wrote: not the root redirect stub, which only forwards to the first chapter, and not
    # the data dictionary (data/index.html), a standalone page without scripts that links back to the book
    pages = [
        p
        for p in _pages(built_site)
        if 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:500]
        and p.parts[-2:] != ("data", "index.html")
    ]
    dictionary = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in dictionary and 'href="../index.html"' in dictionary
    missing = [
        str(p.relative_to(built_site))
        for p in pages
        if "dcbook-editions.js" not in p.read_text(encoding="utf-8")
    ]
    assert len(pages) > 10 and not missing, missing
