"""The LaTeX build's own source tree, with every chart as a vector PDF converted from the chart's SVG.

The site never needs a PDF of a chart: the page draws it in the browser and links its PNG and SVG. So a
chapter's execution renders no PDF (it cost about a sixth of a clean HTML build), and the PDF step makes
them: it copies the staged tree to a folder of its own (the HTML build's staged tree is never touched, so
its next incremental run re-reads nothing because of the PDF) and adds ``application/pdf``, which myst-nb
prefers for LaTeX, beside each output's ``image/svg+xml`` — for a chart, the same titled image the site
offers as its SVG download. Each conversion is kept under the SVG's hash, so a rebuild converts only the
charts that changed.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from dcbook import render
from dcbook.trees import sync_tree

PDF_MIME = "application/pdf"
SVG_MIME = "image/svg+xml"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "".join(value or [])


def vector_pdf(svg: str, cache: Path) -> bytes:
    """``svg`` as a PDF (vl-convert, with the CJK fonts), from ``cache`` when converted before (the build's
    chart folder, where the site's SVG and PNG are kept too: :func:`dcbook.render.converted`)."""
    return render.converted("pdf", svg, lambda: render.svg_to_pdf(svg), folder=cache)


def add_vector_pdfs(nb: dict[str, Any], cache: Path) -> int:
    """Give every output of ``nb`` that has an SVG and no PDF its vector PDF; return how many."""
    added = 0
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if SVG_MIME in data and PDF_MIME not in data:
                data[PDF_MIME] = base64.b64encode(vector_pdf(_text(data[SVG_MIME]), cache)).decode("ascii")
                added += 1
    return added


def latex_tree(staged: Path, dest: Path, cache: Path) -> Path:
    """Make ``dest`` a copy of the staged tree whose notebooks carry vector PDFs; return ``dest``.

    Only files whose bytes differ are rewritten (Sphinx's incremental LaTeX build sees the real changes);
    files gone from the staged tree go from ``dest`` too (:func:`dcbook.trees.sync_tree`).
    """
    files: dict[str, Path | bytes] = {}
    for path in sorted(staged.rglob("*")):
        rel = path.relative_to(staged)
        if rel.parts[0] == "_build" or not path.is_file():
            continue
        files[rel.as_posix()] = path
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            if add_vector_pdfs(nb, cache):
                files[rel.as_posix()] = (json.dumps(nb, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    sync_tree(files, dest)
    return dest
