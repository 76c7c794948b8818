"""The real book's PDF edition (built once per session by the ``built_site`` fixture).

Every chapter title and a figure of each chapter's prose (glued, or printed by its templates) are on its pages; the page count is plausible for
the book's size; the Noto Serif/Sans CJK fonts are embedded; every chapter with charts shows them, inked,
on its own pages; the catalogue appendix lists the indicators and the bibliography lists the sources.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pdfcheck import assert_pdf_book

from dcbook import data
from dcbook.chapters import catalogue
from dcbook.pipeline.inputs import toc_pages

pytestmark = pytest.mark.slow


def _glued_values(notebook: dict) -> dict[str, str]:
    """Glue key → the value as text, read from an executed notebook's recorded outputs."""
    values: dict[str, str] = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            plain = data.get("application/papermill.record/text/plain", data.get("text/plain"))
            if key and plain is not None:
                values[key] = "".join(plain).strip("'\"")
    return values


def _title_and_figure(notebook: dict) -> tuple[str, str | None]:
    """The chapter's ``#`` title and the first glued figure (a number with a unit) that its prose shows."""
    markdown = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"]
    title = next(m.group(1) for s in markdown if (m := re.search(r"^# (.+)$", s, re.MULTILINE)))
    glued = _glued_values(notebook)
    for text in markdown:
        for key in re.findall(r"\{glue:text\}`([^`:]+)", text):
            value = glued.get(key, "")
            if re.search(r"\d", value) and not re.fullmatch(r"[\d–-]+", value) and len(value) < 40:
                return title, value
    # A chapter written as templates: its executed copy holds the rendered prose with the figures in it.
    for text in markdown:
        prose = re.sub(r"\{[a-z:\-]+\}`[^`]*`|`[^`]*`|^:.*$", " ", text, flags=re.MULTILINE)
        m = _RENDERED_FIGURE.search(prose)
        if m:
            return title, m.group(0)
    return title, None


#: A figure as the templates print it: "142.5 万个", "96%", "3,456 万户" (not a year, not a section number).
_RENDERED_FIGURE = re.compile(
    r"(?<![\d.,])\d[\d,]*(?:\.\d+)? ?(?:%|万亿元|亿元|万元|亿人|万人|亿户|万户|万个|亿|万|个|项|家|件|户)"
)


def _chart_titles(notebook: dict) -> list[str]:
    """Titles of the charts a notebook drew: their bundles carry a PDF/PNG and "图表：<title> — …" as text."""
    titles = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            bundle = output.get("data", {})
            if "application/pdf" in bundle or "image/png" in bundle:
                m = re.match(r"图表：(.+?) — ", "".join(bundle.get("text/plain", "")))
                if m:
                    titles.append(m.group(1))
    return titles


#: Catalogue rows a printed page holds at least (the appendix tables are set in \small).
CATALOGUE_ROWS_PER_PAGE = 40


def test_pdf_is_the_whole_book(built_site: Path) -> None:
    root = built_site.parent.parent
    pdfs = sorted((built_site / "pdf").glob("*.pdf"))
    assert pdfs, f"{built_site / 'pdf'}: the build made no PDF"
    executed = sorted((root / "_build" / "executed").iterdir())[-1] / "book"
    titles, figures, charts = [], [], {}
    for page in toc_pages(root):
        if not page.is_notebook:
            continue
        notebook = json.loads((executed / f"{page.path.stem}.ipynb").read_text(encoding="utf-8"))
        title, figure = _title_and_figure(notebook)
        titles.append(title)
        assert figure is not None, f"{page.docname}: no glued figure found in its prose"
        figures.append(figure)
        charts[title] = _chart_titles(notebook)
    assert len(titles) >= 15, titles
    assert sum(1 for c in charts.values() if c) >= 10, charts  # the chapters do draw charts

    ds = data.load(data_dir=root / "data")
    table = catalogue.catalogue_table(ds)
    # The best-observed indicator whose id and name fit on one line of their cells (pdftotext reads a
    # table line by line, so a wrapped cell is interleaved with its neighbours), and every domain's
    # caption with its count: the appendix holds the whole catalogue, to its last table.
    short = table[(table["indicator_id"].str.len() <= 16) & (table["name_zh"].str.len() <= 8)]
    known = short.sort_values(["n_obs", "indicator_id"], ascending=[False, True]).iloc[0]
    captions = [f"{label}（{len(rows)} 个指标）" for label, rows in catalogue.by_domain(ds)]
    catalogue_title = next(t for t in titles if t.endswith("指标目录"))
    contents = {
        catalogue_title: [f"{known['indicator_id']} {known['name_zh']} {known['unit']}", *captions],
        "参考文献": list(ds.sources["title"]),
    }
    # Plausible length: a few pages per chapter plus the catalogue; far fewer than a runaway build.
    min_pages = 3 * len(titles) + len(table) // CATALOGUE_ROWS_PER_PAGE
    assert_pdf_book(
        pdfs[0],
        titles,
        figures,
        chapter_charts=charts,
        chapter_contents=contents,
        cjk_fonts=("NotoSerifCJK", "NotoSansCJK"),
        min_pages=min_pages,
        max_pages=600,
    )


def test_every_page_links_to_the_pdf(built_site: Path) -> None:
    script = (built_site / "_static" / "dcbook-pdf.js").read_text(encoding="utf-8")
    pdf = next((built_site / "pdf").glob("*.pdf"))
    assert f'"pdf/{pdf.name}"' in script and "下载 PDF" in script
    pages = list((built_site / "book").glob("*.html"))
    assert pages and all("dcbook-pdf.js" in p.read_text(encoding="utf-8") for p in pages)
