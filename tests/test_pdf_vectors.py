"""The PDF step's charts: a vector PDF per chart, from its SVG, in a source tree of the PDF's own."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pandas as pd

from dcbook import charts, render
from dcbook.pdf import vectors


def chart_output(edition: int | None = 2021) -> dict:
    """A chart's display output, as a chapter (edition 2021) or a notebook of one's own (no edition) shows it."""
    frame = pd.DataFrame(
        {
            "indicator_id": ["internet_users"] * 2,
            "name_zh": ["网民规模"] * 2,
            "region": ["全国"] * 2,
            "year": [2020, 2021],
            "value": [9.89, 10.32],
            "unit": ["亿人"] * 2,
            "qualifier": ["exact"] * 2,
            "source_id": ["dcr2021"] * 2,
            "source_title": ["数字中国发展报告（2021年）"] * 2,
            "edition_year": [2021] * 2,
        }
    )
    fig = render.figure(charts.line_chart(frame, title="网民规模"), slug="c-users", edition=edition)
    data, meta = fig.bundle()
    return {"output_type": "display_data", "data": data, "metadata": meta}


def notebook(*outputs: dict) -> dict:
    cell = {
        "cell_type": "code",
        "metadata": {},
        "source": "",
        "outputs": copy.deepcopy(list(outputs)),
        "execution_count": 1,
    }
    return {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_every_chart_gains_a_vector_pdf_made_from_its_svg_once(tmp_path: Path) -> None:
    page, own = chart_output(), chart_output(edition=None)
    assert vectors.PDF_MIME not in page["data"]  # the execution made none
    text = {"output_type": "stream", "name": "stdout", "text": "x"}
    nb = notebook(page, text, own)
    cache = tmp_path / "cache"
    assert (
        vectors.add_vector_pdfs(nb, cache) == 2
    )  # a chapter's chart and one drawn in a notebook of one's own
    pdf = base64.b64decode(nb["cells"][0]["outputs"][0]["data"][vectors.PDF_MIME])
    assert pdf.startswith(b"%PDF-") and b"NotoSansCJKsc" in pdf
    assert len(list(cache.glob("*/*.pdf"))) == 2
    # the second time the cached conversion is used (vl-convert would stamp another time into the bytes)
    again = notebook(chart_output())
    vectors.add_vector_pdfs(again, cache)
    assert base64.b64decode(again["cells"][0]["outputs"][0]["data"][vectors.PDF_MIME]) == pdf
    assert vectors.add_vector_pdfs(again, cache) == 0  # an output that has its PDF is left as it is


def test_the_latex_tree_is_a_copy_and_the_staged_tree_is_left_as_it_was(tmp_path: Path) -> None:
    staged = tmp_path / "staged"
    (staged / "book").mkdir(parents=True)
    (staged / "_config.yml").write_text("title: x\n", encoding="utf-8")
    page = staged / "book" / "a.ipynb"
    page.write_text(json.dumps(notebook(chart_output())), encoding="utf-8")
    (staged / "_build").mkdir()
    (staged / "_build" / "x").write_text("sphinx", encoding="utf-8")
    before = {p: p.read_bytes() for p in staged.rglob("*") if p.is_file()}

    dest = tmp_path / "latex"
    (dest / "gone").mkdir(parents=True)
    (dest / "gone" / "old.md").write_text("a page no longer staged", encoding="utf-8")
    vectors.latex_tree(staged, dest, tmp_path / "cache")

    assert {p: p.read_bytes() for p in staged.rglob("*") if p.is_file()} == before
    copied = json.loads((dest / "book" / "a.ipynb").read_text(encoding="utf-8"))
    assert vectors.PDF_MIME in copied["cells"][0]["outputs"][0]["data"]
    assert (dest / "_config.yml").read_bytes() == (staged / "_config.yml").read_bytes()
    assert not (dest / "gone").exists() and not (dest / "_build").exists()
    # unchanged files are not rewritten: Sphinx's incremental LaTeX build sees only real changes
    stamp = (dest / "book" / "a.ipynb").stat().st_mtime_ns
    vectors.latex_tree(staged, dest, tmp_path / "cache")
    assert (dest / "book" / "a.ipynb").stat().st_mtime_ns == stamp
