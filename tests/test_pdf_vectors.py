"""The PDF step's charts: a vector PDF per chart, from its SVG download, in a tree of the PDF's own."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pandas as pd
import pytest

from dcbook import charts, render
from dcbook.pdf import PdfBuildError, vectors


def chart_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, str]:
    """A chart drawn for a page of edition 2021, its downloads written to ``tmp_path/dl``."""
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
    monkeypatch.setenv("DCBOOK_DOWNLOADS_DIR", str(tmp_path / "dl"))
    fig = render.figure(charts.line_chart(frame, title="网民规模"), slug="c-users", edition=2021)
    fig.write_csv()
    data, meta = fig.bundle()
    return {"output_type": "display_data", "data": data, "metadata": meta}, fig.id


def notebook(*outputs: dict) -> dict:
    cell = {
        "cell_type": "code",
        "metadata": {},
        "source": "",
        "outputs": copy.deepcopy(list(outputs)),
        "execution_count": 1,
    }
    return {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_a_chart_gains_a_vector_pdf_made_from_its_svg_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output, cid = chart_bundle(tmp_path, monkeypatch)
    assert vectors.PDF_MIME not in output["data"]  # the execution made none
    text = {"output_type": "stream", "name": "stdout", "text": "x"}
    nb = notebook(output, text)
    cache = tmp_path / "cache"
    assert vectors.add_chart_pdfs(nb, tmp_path / "dl", cache, where=tmp_path / "a.ipynb") == 1
    pdf = base64.b64decode(nb["cells"][0]["outputs"][0]["data"][vectors.PDF_MIME])
    assert pdf.startswith(b"%PDF-") and b"NotoSansCJKsc" in pdf
    assert [p.suffix for p in cache.iterdir()] == [".pdf"]
    # the second time the cached conversion is used (vl-convert would stamp another time into the bytes)
    again = notebook(chart_bundle(tmp_path, monkeypatch)[0])
    vectors.add_chart_pdfs(again, tmp_path / "dl", cache, where=tmp_path / "a.ipynb")
    assert base64.b64decode(again["cells"][0]["outputs"][0]["data"][vectors.PDF_MIME]) == pdf
    # a missing SVG download is an error naming the notebook and the chart, not a silent PNG
    (tmp_path / "dl" / f"{cid}.svg").unlink()
    with pytest.raises(PdfBuildError, match=rf"b\.ipynb: chart {cid} has no SVG download"):
        vectors.add_chart_pdfs(notebook(output), tmp_path / "dl", cache, where=tmp_path / "b.ipynb")


def test_the_latex_tree_is_a_copy_and_the_staged_tree_is_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output, cid = chart_bundle(tmp_path, monkeypatch)
    staged = tmp_path / "staged"
    (staged / "book" / "_static" / "downloads").mkdir(parents=True)
    (staged / "_config.yml").write_text(
        "sphinx:\n  config:\n    html_static_path: [book/_static]\n", encoding="utf-8"
    )
    for path in (tmp_path / "dl").iterdir():
        (staged / "book" / "_static" / "downloads" / path.name).write_bytes(path.read_bytes())
    page = staged / "book" / "a.ipynb"
    page.write_text(json.dumps(notebook(output)), encoding="utf-8")
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
    assert (dest / "book" / "_static" / "downloads" / f"{cid}.svg").is_file()
    assert not (dest / "gone").exists() and not (dest / "_build").exists()
    # unchanged files are not rewritten: Sphinx's incremental LaTeX build sees only real changes
    stamp = (dest / "book" / "a.ipynb").stat().st_mtime_ns
    vectors.latex_tree(staged, dest, tmp_path / "cache")
    assert (dest / "book" / "a.ipynb").stat().st_mtime_ns == stamp
