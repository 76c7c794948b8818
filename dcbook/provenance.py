"""Records which data files and which ``dcbook`` modules a chapter uses while it executes.

The build sets ``DCBOOK_READS_LOG`` to a file path before it executes a notebook; every reader in
``dcbook`` calls :func:`record_read`, and importing ``dcbook`` in the kernel installs an import recorder
(:func:`record_imports`) that logs the source file of every ``dcbook`` module the chapter imports. The
build so learns a chapter's real inputs, data and code, instead of guessing them, and re-executes exactly
the chapters whose data or code changed: editing the PDF or publishing code re-executes nothing.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

ENV_VAR = "DCBOOK_READS_LOG"
#: Lines of the log that name a module's source file rather than a data file start with this.
MODULE_PREFIX = "module\t"
#: … and these name a table read through an edition's view (``view<TAB><edition><TAB><path>``).
VIEW_PREFIX = "view\t"
#: The package whose modules are recorded (the kernel's own ``dcbook``: the one it imported).
PACKAGE = "dcbook"


def record_read(path: str | os.PathLike[str], *, edition: int | None = None) -> None:
    """Append ``path`` (resolved) to the reads log named by ``$DCBOOK_READS_LOG``, if the build set one.

    ``edition``: the reader used only the rows of the table that edition can see (its sources' rows), so
    the chapter depends on those rows, not on the whole file (:func:`dcbook.data.edition_view_digest`).
    """
    log = os.environ.get(ENV_VAR)
    if not log:
        return
    prefix = "" if edition is None else f"{VIEW_PREFIX}{int(edition)}\t"
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{prefix}{Path(path).resolve()}\n")


def _log_lines(log: str | os.PathLike[str]) -> list[str]:
    log_path = Path(log)
    return log_path.read_text(encoding="utf-8").splitlines() if log_path.exists() else []


def read_log(log: str | os.PathLike[str]) -> list[Path]:
    """Return the distinct data files recorded in ``log``, in first-read order."""
    seen: dict[Path, None] = {}
    for line in _log_lines(log):
        if line.strip() and not line.startswith((MODULE_PREFIX, VIEW_PREFIX)):
            seen.setdefault(Path(line.strip()), None)
    return list(seen)


def read_modules(log: str | os.PathLike[str]) -> list[Path]:
    """Return the distinct ``dcbook`` source files recorded in ``log`` (sorted)."""
    return sorted(
        {
            Path(line[len(MODULE_PREFIX) :].strip())
            for line in _log_lines(log)
            if line.startswith(MODULE_PREFIX)
        }
    )


def read_views(log: str | os.PathLike[str]) -> list[tuple[Path, int]]:
    """Return the distinct (table, edition) views recorded in ``log``, in first-read order."""
    seen: dict[tuple[Path, int], None] = {}
    for line in _log_lines(log):
        if line.startswith(VIEW_PREFIX):
            edition, _, path = line[len(VIEW_PREFIX) :].partition("\t")
            seen.setdefault((Path(path.strip()), int(edition)), None)
    return list(seen)


def _record_module_file(origin: str | None) -> None:
    if origin and origin.endswith(".py"):
        record_code(origin)


def record_code(path: str | os.PathLike[str]) -> None:
    """Log a file of code or of the book's configuration the chapter ran (a ``dcbook`` module, ``_toc.yml``):
    a code input, kept apart from the data files the build lists on the 构建信息 page."""
    log = os.environ.get(ENV_VAR)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{MODULE_PREFIX}{Path(path).resolve()}\n")


class _ImportRecorder:
    """A meta-path finder that only watches: it notes where each ``dcbook`` submodule comes from and
    leaves the import itself to the normal machinery (it always returns ``None``)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> None:
        if fullname.startswith(PACKAGE + ".") and path is not None:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            if spec is not None:
                _record_module_file(spec.origin)
        return None


def record_imports() -> None:
    """When the build is recording (``$DCBOOK_READS_LOG`` set), log the ``dcbook`` modules loaded so far and
    every one imported from now on. Called once by ``dcbook/__init__``; idempotent."""
    if not os.environ.get(ENV_VAR) or any(isinstance(f, _ImportRecorder) for f in sys.meta_path):
        return
    for name, module in list(sys.modules.items()):
        if name == PACKAGE or name.startswith(PACKAGE + "."):
            _record_module_file(getattr(module, "__file__", None))
    sys.meta_path.insert(0, _ImportRecorder())
