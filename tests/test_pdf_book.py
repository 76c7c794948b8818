"""The real book's PDF edition: every chapter title and a glued figure of each chapter are on its pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dcbook.pdf import assert_pdf_book
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
    return title, None


def test_pdf_has_every_chapter_and_a_glued_figure_of_each(built_site: Path) -> None:
    root = built_site.parent.parent
    pdfs = sorted((built_site / "pdf").glob("*.pdf"))
    assert pdfs, f"{built_site / 'pdf'}: the build made no PDF"
    executed = sorted((root / "_build" / "executed").iterdir())[-1] / "book"
    titles, figures = [], []
    for page in toc_pages(root):
        if not page.is_notebook:
            continue
        notebook = json.loads((executed / f"{page.path.stem}.ipynb").read_text(encoding="utf-8"))
        title, figure = _title_and_figure(notebook)
        titles.append(title)
        assert figure is not None, f"{page.docname}: no glued figure found in its prose"
        figures.append(figure)
    assert len(titles) >= 14, titles
    assert_pdf_book(pdfs[0], titles, figures, min_pages=50)


def test_every_page_links_to_the_pdf(built_site: Path) -> None:
    script = (built_site / "_static" / "dcbook-pdf.js").read_text(encoding="utf-8")
    pdf = next((built_site / "pdf").glob("*.pdf"))
    assert f'"pdf/{pdf.name}"' in script and "下载 PDF" in script
    pages = list((built_site / "book").glob("*.html"))
    assert pages and all("dcbook-pdf.js" in p.read_text(encoding="utf-8") for p in pages)
