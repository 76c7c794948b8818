"""``dcbook nbstrip``: committed notebooks carry no outputs except their nbval expectations.

Outputs in git are noise (every run changes them) and a way for stale figures to look current. The one
exception is a cell whose source contains ``# NBVAL_CHECK_OUTPUT``: ``pytest --nbval-lax`` compares its
fresh output with the stored one, so the chapter's headline figures are pinned. ``--refresh`` re-executes
the notebooks with their default parameters and stores the new output of exactly those cells — the one
deliberate way to update an expectation.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

MARKER = "# NBVAL_CHECK_OUTPUT"


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def is_checked(cell: dict[str, Any]) -> bool:
    return cell.get("cell_type") == "code" and MARKER in _source(cell)


def strip(nb: dict[str, Any], fresh: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return ``nb`` with outputs removed except checked cells (whose outputs come from ``fresh`` if given).

    ``fresh`` is an executed copy of the same notebook; its cells are matched by position after papermill's
    injected-parameters cell, if any, is dropped.
    """
    fresh_cells = None
    if fresh is not None:
        fresh_cells = [
            c
            for c in fresh.get("cells", [])
            if "injected-parameters" not in c.get("metadata", {}).get("tags", [])
        ]
        if len(fresh_cells) != len(nb.get("cells", [])):
            raise ValueError("executed copy has a different number of cells than the committed notebook")
    for index, cell in enumerate(nb.get("cells", [])):
        meta = cell.get("metadata", {})
        for key in ("execution", "papermill", "collapsed", "scrolled"):
            meta.pop(key, None)
        if cell.get("cell_type") != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            continue
        if is_checked(cell):
            # nbval refuses stored outputs on a cell without an execution count; a fixed count (the cell's
            # position) keeps refreshes free of spurious diffs.
            cell["execution_count"] = index + 1
            if fresh_cells is not None:
                cell["outputs"] = fresh_cells[index].get("outputs", [])
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = index + 1
        else:
            cell["execution_count"] = None
            cell["outputs"] = []
    for key in ("papermill",):
        nb.get("metadata", {}).pop(key, None)
    return nb


def _write(path: Path, nb: dict[str, Any]) -> bool:
    """Write in nbformat's own layout (what Jupyter writes), only if the text changes."""
    text = nbformat.writes(nbformat.from_dict(nb))
    if not text.endswith("\n"):
        text += "\n"
    if path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def execute_default(path: Path) -> dict[str, Any]:
    """Execute ``path`` with its default parameters (what nbval does) and return the executed notebook."""
    import papermill

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        papermill.execute_notebook(
            str(path), str(out), kernel_name="python3", progress_bar=False, cwd=str(path.parent)
        )
        return json.loads(out.read_text(encoding="utf-8"))


def nbstrip(paths: Sequence[Path], *, refresh: bool = False) -> list[Path]:
    """Strip (and with ``refresh`` re-execute) each notebook; return the ones that changed on disk."""
    changed = []
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        fresh = execute_default(path) if refresh and any(is_checked(c) for c in nb.get("cells", [])) else None
        try:
            stripped = strip(nb, fresh)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from exc
        if _write(path, stripped):
            changed.append(path)
    return changed


def main(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.notebooks] or sorted((Path(args.root) / "book").glob("*.ipynb"))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"nbstrip: no such notebook: {', '.join(map(str, missing))}", file=sys.stderr)
        return 1
    changed = nbstrip(paths, refresh=args.refresh)
    for path in changed:
        print(f"updated {path}")
    print(f"nbstrip: {len(paths)} notebook(s), {len(changed)} changed")
    return 0
