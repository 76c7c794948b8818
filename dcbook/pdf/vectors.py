"""The LaTeX build's own source tree, with every chart as a vector PDF converted from the chart's SVG.

The site never needs a PDF of a chart: the page draws it in the browser and links its PNG and SVG. So a
chapter's execution renders no PDF (it cost about a sixth of a clean HTML build), and the PDF step makes
them: it copies the staged tree to a folder of its own (the HTML build's staged tree is never touched, so
its next incremental run re-reads nothing because of the PDF) and adds ``application/pdf``, which myst-nb
prefers for LaTeX, beside each output's ``image/svg+xml`` — for a chart, the same titled image the site
offers as its SVG download. Each conversion is cached under the SVG's hash, so a rebuild converts only the
charts that changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from dcbook import render

PDF_MIME = "application/pdf"
SVG_MIME = "image/svg+xml"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "".join(value or [])


def vector_pdf(svg: str, cache: Path) -> bytes:
    """``svg`` as a PDF (vl-convert, with the CJK fonts), from ``cache`` when converted before."""
    data = svg.encode("utf-8")
    key = hashlib.sha256(render.VECTOR_CONVERTER.encode("utf-8") + b"\0" + data).hexdigest()
    cached = cache / f"{key}.pdf"
    if cached.is_file():
        return cached.read_bytes()
    pdf = render.svg_to_pdf(svg)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, cached)
    return pdf


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
    files gone from the staged tree go from ``dest`` too. ``dest/_build`` is left alone.
    """
    wanted: set[str] = set()
    for path in sorted(staged.rglob("*")):
        rel = path.relative_to(staged)
        if rel.parts[0] == "_build" or not path.is_file():
            continue
        wanted.add(rel.as_posix())
        data = path.read_bytes()
        if path.suffix == ".ipynb":
            nb = json.loads(data.decode("utf-8"))
            if add_vector_pdfs(nb, cache):
                data = (json.dumps(nb, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        target = dest / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    for path in sorted(dest.rglob("*"), reverse=True):
        rel = path.relative_to(dest)
        if rel.parts[0] == "_build":
            continue
        if path.is_file() and rel.as_posix() not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            shutil.rmtree(path)
    return dest
