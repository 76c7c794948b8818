"""Sphinx extension (``extra_extensions: [dcbook.pipeline.offline]``): the site loads nothing from other hosts.

Jupyter Book always loads sphinx-thebe, which writes a ``THEBE_JS_URL`` pointing at a public CDN into every
page and fetches that script from it once a reader presses a launch button. The book has no live
kernels (``launch_buttons.thebe: false``), so both the inline configuration and ``sphinx-thebe.js`` are
dropped from each page's scripts.
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


def setup(app: Any) -> dict[str, Any]:
    # priority > 500: run after sphinx-thebe and the theme have added their scripts
    app.connect("html-page-context", _drop_cdn_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
