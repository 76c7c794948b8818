"""The chapter contract and the package's layers, checked on the repository itself.

* every chapter notebook has the same three code cells (parameters, setup, headline) and nothing else runs
  code: prose, charts and tables are placed by the Markdown templates;
* the chapter registry (``_toc.yml`` ``meta: chapters``) and the table of contents agree, and each slug has
  its module;
* ``lint-imports`` keeps the layers without back edges and no chapter importing another (pyproject.toml);
* the package holds no Chinese sentences: string literals in ``dcbook/chapters`` are labels, units and
  chart legends, not prose (the prose is in the notebooks and ``book/_templates``).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dcbook import REPO_ROOT
from dcbook.chapters import registry
from dcbook.pipeline.inputs import toc_pages

PARAMETERS = (
    "edition = None  # report year; None = latest available\ndata_dir = None  # None = the repository's data/"
)
CJK = re.compile(r"[\u4e00-\u9fff]")
CHAPTERS = registry()


def _code_cells(docname: str) -> list[dict]:
    nb = json.loads((REPO_ROOT / f"{docname}.ipynb").read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("slug", sorted(CHAPTERS))
def test_every_notebook_has_the_setup_cell_shape(slug: str) -> None:
    info = CHAPTERS[slug]
    cells = _code_cells(info.docname)
    assert [_source(c) for c in cells] == [
        PARAMETERS,
        f'from dcbook.chapters import setup\n\nch = setup("{slug}", edition, data_dir)',
        "# NBVAL_CHECK_OUTPUT\nch.print_headline()",
    ], f"{info.docname}: the code cells are not the contract's three"
    assert "parameters" in cells[0]["metadata"].get("tags", [])
    assert all("remove-cell" in c["metadata"].get("tags", []) for c in cells)
    headline = cells[2]
    assert headline["outputs"] and headline["execution_count"], (
        f"{info.docname}: the headline cell needs its reference output and an execution count (nbval)"
    )


def test_the_registry_is_the_table_of_contents() -> None:
    notebooks = {p.docname for p in toc_pages(REPO_ROOT) if p.is_notebook}
    chapters = {info.docname for info in CHAPTERS.values()}
    assert notebooks == chapters, f"notebooks without a registry entry: {sorted(notebooks - chapters)}"
    for slug in CHAPTERS:
        assert (REPO_ROOT / "dcbook" / "chapters" / f"{slug}.py").is_file(), slug


def test_the_layers_hold() -> None:
    """import-linter's contracts in pyproject.toml: no back edge between layers, no chapter importing another."""
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run(
        [str(lint), "--config", str(REPO_ROOT / "pyproject.toml")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "2 kept, 0 broken" in proc.stdout


def _literals(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # A chart's text alternative (what a screen reader says the chart shows) is part of the chart, like its
    # axis titles: literals assigned to ``alt_text`` are the charts' own.
    alt_texts = {
        id(c)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "alt_text" for t in node.targets)
        for c in ast.walk(node.value)
    }
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs | alt_texts
    ]


@pytest.mark.parametrize(
    "path", sorted((REPO_ROOT / "dcbook" / "chapters").glob("*.py")), ids=lambda p: p.name
)
def test_chapter_modules_hold_no_sentences(path: Path) -> None:
    """A label is short; a sentence is long or ends with 。 (charts' text alternatives aside)."""
    long = [
        (n, s)
        for n, s in _literals(path)
        if len(CJK.findall(s)) > 45 or (s.rstrip().endswith("。") and len(CJK.findall(s)) > 12)
    ]
    assert long == [], f"{path.name}: prose in Python (move it to the notebook's Markdown): {long[:3]}"
