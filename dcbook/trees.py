"""A folder kept equal to a mapping of files, rewriting only what changed (Sphinx's sources, HTML and LaTeX)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path


def content(item: Path | bytes) -> bytes:
    """The bytes of a tree entry: given bytes, or the file's."""
    return item if isinstance(item, bytes) else item.read_bytes()


def sync_tree(files: Mapping[str, Path | bytes], dest: Path) -> int:
    """Make ``dest`` hold exactly ``files`` (Sphinx's own ``_build`` kept); return how many changed.

    Only files whose bytes differ are rewritten, so Sphinx's incremental build sees the real changes.
    When a file goes away (a page dropped from ``_toc.yml``, a chart download no longer produced, a static
    file deleted), Sphinx's previous output goes too: Sphinx never deletes the HTML or the copied files of
    sources that disappeared, so only a clean run leaves nothing of them on the site.
    """
    changed = 0
    removed = False
    dest.mkdir(parents=True, exist_ok=True)
    for name, item in files.items():
        target = dest / name
        data = content(item)
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        changed += 1
    wanted = set(files)
    for path in sorted(dest.rglob("*"), reverse=True):
        rel = path.relative_to(dest)
        if rel.parts[0] == "_build":
            continue
        if path.is_file() and rel.as_posix() not in wanted:
            path.unlink()
            changed += 1
            removed = True
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if removed:
        shutil.rmtree(dest / "_build", ignore_errors=True)
    return changed
