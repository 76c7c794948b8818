"""The LaTeX build's own source tree, with every chart as a vector PDF converted from its SVG download.

The site never needs a PDF of a chart: the page draws it in the browser and links its PNG and SVG. So a
chapter's execution renders no PDF (it cost about a sixth of a clean HTML build), and the PDF step makes
them: it copies the staged tree to a folder of its own (the HTML build's staged tree is never touched, so
its next incremental run re-reads nothing because of the PDF) and adds ``application/pdf``, which myst-nb
prefers for LaTeX, beside each chart's PNG. Each PDF is converted from the chart's ``.svg`` download — the
same titled image the site offers — once: it is cached under the SVG's hash, so a rebuild converts only
the charts that changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from dcbook import render
from dcbook.pdf.config import PdfBuildError

PDF_MIME = "application/pdf"
#: The figure element of a chart's HTML names the chart (``render.Figure.html``) …
CHART_ID = re.compile(r'data-dc-chart="([^"]+)"')
#: … and links its SVG download when the chart was drawn for a page of an edition.
SVG_LINK = 'class="dc-chart-svg"'


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "".join(value or [])


def downloads_dir(source: Path) -> Path:
    """Where the staged tree keeps the chart downloads (``<html_static_path[0]>/downloads``)."""
    config_path = source / "_config.yml"
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PdfBuildError(f"{config_path}: cannot read the staged configuration: {exc}") from exc
    static = ((config.get("sphinx") or {}).get("config") or {}).get("html_static_path") or ["_static"]
    return source / str(static[0]) / "downloads"


def vector_pdf(svg: Path, cache: Path) -> bytes:
    """The chart ``svg`` as a PDF (vl-convert, with the CJK fonts), from ``cache`` when converted before."""
    data = svg.read_bytes()
    key = hashlib.sha256(render.VECTOR_CONVERTER.encode("utf-8") + b"\0" + data).hexdigest()
    cached = cache / f"{key}.pdf"
    if cached.is_file():
        return cached.read_bytes()
    pdf = render.svg_to_pdf(data.decode("utf-8"))
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, cached)
    return pdf


def add_chart_pdfs(nb: dict[str, Any], svgs: Path, cache: Path, *, where: Path) -> int:
    """Give every chart output of ``nb`` its vector PDF; return how many. A missing SVG is an error."""
    added = 0
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if PDF_MIME in data or "image/png" not in data:
                continue
            html = _text(data.get("text/html"))
            match = CHART_ID.search(html)
            if match is None or SVG_LINK not in html:
                continue  # not a chart of a page (no SVG download): it prints from its PNG
            svg = svgs / f"{match.group(1)}.svg"
            if not svg.is_file():
                raise PdfBuildError(f"{where}: chart {match.group(1)} has no SVG download ({svg}) to print")
            data[PDF_MIME] = base64.b64encode(vector_pdf(svg, cache)).decode("ascii")
            added += 1
    return added


def latex_tree(staged: Path, dest: Path, cache: Path) -> Path:
    """Make ``dest`` a copy of the staged tree whose notebooks carry their charts' PDFs; return ``dest``.

    Only files whose bytes differ are rewritten (Sphinx's incremental LaTeX build sees the real changes);
    files gone from the staged tree go from ``dest`` too. ``dest/_build`` is left alone.
    """
    svgs = downloads_dir(staged)
    wanted: set[str] = set()
    for path in sorted(staged.rglob("*")):
        rel = path.relative_to(staged)
        if rel.parts[0] == "_build" or not path.is_file():
            continue
        wanted.add(rel.as_posix())
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            if add_chart_pdfs(nb, svgs, cache, where=path):
                data = (json.dumps(nb, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
            else:
                data = path.read_bytes()
        else:
            data = path.read_bytes()
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
