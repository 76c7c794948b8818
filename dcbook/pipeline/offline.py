"""Sphinx extension (``extra_extensions: [dcbook.pipeline.offline]``): the site loads nothing from other hosts.

Jupyter Book always loads sphinx-thebe, which writes a ``THEBE_JS_URL`` pointing at a public CDN into every
page and fetches that script from it once a reader presses a launch button. The book has no live
kernels (``launch_buttons.thebe: false``), so both the inline configuration and ``sphinx-thebe.js`` are
dropped from each page's scripts.

It also makes a page's bytes independent of the build's history: myst-nb copies its stylesheet into
``_static`` only when the build finishes, and Sphinx appends a checksum (``?v=…``) to a stylesheet link only
if the file is already there when the page is written — so a page written by a first build lacked it and the
same page rewritten by an incremental build had it. Copying the stylesheet when the builder starts gives every
page the same link in every build.
"""

from __future__ import annotations

from typing import Any

#: Scripts that exist only to fetch thebe from a CDN.
DROPPED_FILES = ("sphinx-thebe.js",)
DROPPED_BODY_MARKERS = ("THEBE_JS_URL",)


def _keep(script: Any) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    if any(filename.endswith(name) for name in DROPPED_FILES):
        return False
    return not any(marker in body for marker in DROPPED_BODY_MARKERS)


def _drop_cdn_scripts(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if _keep(s)]


def _stylesheets_before_pages(app: Any) -> None:
    """Put myst-nb's stylesheet in ``_static`` before any page is written (see the module docstring)."""
    if getattr(app.builder, "format", None) != "html":
        return
    from pathlib import Path

    from myst_nb.sphinx_ext import add_global_html_resources

    (Path(app.builder.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)


def setup(app: Any) -> dict[str, Any]:
    # priority > 500: run after sphinx-thebe and the theme have added their scripts
    app.connect("html-page-context", _drop_cdn_scripts, priority=900)
    app.connect("builder-inited", _stylesheets_before_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
