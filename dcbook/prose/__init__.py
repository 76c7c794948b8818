"""Prose as templates: chapter Markdown written by editors, filled with the facts the analysis computed.

* :mod:`dcbook.prose.filters` — how a fact prints (the house number format, bounds, periods);
* :mod:`dcbook.prose.engine` — the strict Jinja2 environment, missing facts, typesetting of the result;
* :mod:`dcbook.prose.notebook` — rendering an executed chapter notebook (templates, charts, tables).
"""

from dcbook.prose.engine import Facts, MissingFact, ProseError, environment, render_text
from dcbook.prose.notebook import PAYLOAD_MIME, render_file, render_notebook

__all__ = [
    "PAYLOAD_MIME",
    "Facts",
    "MissingFact",
    "ProseError",
    "environment",
    "render_file",
    "render_notebook",
    "render_text",
]
