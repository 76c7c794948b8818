"""The PDF edition: a typeset Chinese book built by XeLaTeX from the same staged source tree as the site.

The build (``dcbook.build``) executes the chapters once and stages one Jupyter Book source tree; this
package turns that tree into ``<out_dir>/digital-china-<edition>.pdf``:

1. :func:`~dcbook.pdf.config.latex_config` gives the ``latex:`` / ``sphinx: config:`` keys (ctex, Noto
   fonts, page design, title page with edition and data vintage) that are merged into the *staged*
   ``_config.yml`` — the repository's own ``_config.yml`` is never edited (:mod:`dcbook.pdf.config`).
2. ``jupyter-book build --builder latex`` writes the ``.tex`` from a copy of the staged tree (notebooks are
   not executed again: they already carry their outputs). In the copy each chart gains ``application/pdf``,
   which myst-nb prefers for LaTeX, converted from its SVG and cached (:mod:`dcbook.pdf.vectors`).
   The Sphinx extension :mod:`dcbook.pdf.sphinx_ext` adapts the web book to paper: HTML-only outputs
   (pandas tables, the filterable catalogue) get a printed form, tables get widths that fit the page, the
   toc part "附录" is lettered 附录 A, B … and the bibliography stays in its 参考文献 chapter.
3. ``latexmk -xelatex`` typesets it; :func:`~dcbook.pdf.log.check_latex_log` then reads the log, because
   XeLaTeX does not fail on a missing glyph, an undefined reference or a line running into the margin — it
   only logs them (:mod:`dcbook.pdf.log`).
4. Only a clean PDF is moved (atomically) over the previous one; otherwise :class:`PdfBuildError` lists
   the offending log lines and the old PDF stays (:mod:`dcbook.pdf.run`).

The ``bbm.sty`` the jupyterBook LaTeX class requires is a local stand-in shipped in
``book/_static/latex/`` (see that file for why), copied next to the ``.tex`` by ``latex_additional_files``;
``longtable.tex.jinja`` there overrides Sphinx's template (``templates_path``).
The checks a test makes on a finished PDF are in ``tests/pdfcheck.py``.

This module re-exports what the build and the tests call; the Sphinx extension is imported by Sphinx alone.
"""

from __future__ import annotations

from dcbook.pdf.config import (
    FONT_SETUP,
    LATEX_SUPPORT_DIR,
    LATEX_SUPPORT_FILES,
    LATEX_TEMPLATE_FILES,
    STAGED_LATEX_DIR,
    UNION_KEYS,
    PdfBuildError,
    latex_config,
    merge_config,
    pdf_name,
    stage_latex,
    tex_escape,
)
from dcbook.pdf.log import HBOX_TOLERANCE_PT, check_latex_log
from dcbook.pdf.run import LATEXMK_TIMEOUT, SPHINX_TIMEOUT, build_pdf

__all__ = [
    "FONT_SETUP",
    "HBOX_TOLERANCE_PT",
    "LATEXMK_TIMEOUT",
    "LATEX_SUPPORT_DIR",
    "LATEX_SUPPORT_FILES",
    "LATEX_TEMPLATE_FILES",
    "SPHINX_TIMEOUT",
    "STAGED_LATEX_DIR",
    "UNION_KEYS",
    "PdfBuildError",
    "build_pdf",
    "check_latex_log",
    "latex_config",
    "merge_config",
    "pdf_name",
    "stage_latex",
    "tex_escape",
]
