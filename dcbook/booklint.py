"""Finds figures typed by hand into chapter prose.

Every number a reader sees must come from the data — printed by a template expression (``{{ f.x | value }}``,
see :mod:`dcbook.prose`) — so that a rebuild for a new edition updates it. A digit followed by a unit in a
Markdown cell, outside a template tag, a role or code, is a number that would silently go stale; this module
finds them so the test suite can refuse them. (Numbers inside template tags — a threshold in an
``{% if … > 100 %}``, a digits argument — are logic, not prose.)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

#: Units (and counters) that turn a bare number into a claim about the world.
UNITS = (
    "个百分点",
    "百分点",
    "%",
    "％",
    "万",
    "亿",
    "千",
    "个",
    "户",
    "元",
    "位",
    "倍",
    "项",
    "家",
    "件",
    "人",
    "名",
    "次",
    "台",
    "部",
    "座",
    "条",
    "所",
    "张",
    "架",
    "成",
    "公里",
    "千米",
    "ZB",
    "EB",
    "PB",
    "TB",
    "Tbps",
    "Gbps",
    "Mbps",
    "EFLOPS",
    "PFLOPS",
)
_NUMBER = r"(?<![A-Za-z0-9_.])\d+(?:[.,]\d+)*"
_TYPED_FIGURE = re.compile(_NUMBER + r"\s*(?:" + "|".join(re.escape(u) for u in UNITS) + r")")
# Roles and spans whose content is not prose: glue roles, cross-references, citations, inline code, URLs.
_NOT_PROSE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|"
    r"\{[a-z:\-]+\}`[^`]*`|`[^`]*`|\]\([^)]*\)|<[^>]+>|\{[a-z\-]+\}\s*[^\n]*$",
    re.MULTILINE,
)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class TypedFigure:
    """One hand-typed figure: where it is and the offending text."""

    notebook: str
    cell: int
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.notebook}: cell {self.cell}, line {self.line}: hand-typed figure {self.text!r}"


def typed_figures_in_text(text: str) -> list[tuple[int, str]]:
    """Return ``(line number, match)`` for each number-with-unit in ``text`` outside glue roles and code."""
    found: list[tuple[int, str]] = []
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for lineno, line in enumerate(text.splitlines(), start=1):
        prose = _NOT_PROSE.sub(" ", line)
        found.extend((lineno, m.group(0)) for m in _TYPED_FIGURE.finditer(prose))
    return found


def typed_figures_in_notebook(path: Path) -> list[TypedFigure]:
    """Scan every markdown cell of the notebook at ``path``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    hits: list[TypedFigure] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        hits.extend(TypedFigure(path.name, index, line, text) for line, text in typed_figures_in_text(source))
    return hits
