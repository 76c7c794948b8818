"""Records which data files a chapter reads while it executes.

The build sets ``DCBOOK_READS_LOG`` to a file path before it executes a notebook; every reader in
``dcbook`` calls :func:`record_read`, so the build learns a chapter's real inputs instead of guessing
them, and re-executes exactly the chapters whose data changed.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "DCBOOK_READS_LOG"


def record_read(path: str | os.PathLike[str]) -> None:
    """Append ``path`` (resolved) to the reads log named by ``$DCBOOK_READS_LOG``, if the build set one."""
    log = os.environ.get(ENV_VAR)
    if not log:
        return
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{Path(path).resolve()}\n")


def read_log(log: str | os.PathLike[str]) -> list[Path]:
    """Return the distinct paths recorded in ``log``, in first-read order."""
    seen: dict[Path, None] = {}
    log_path = Path(log)
    if log_path.exists():
        for line in log_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(Path(line.strip()), None)
    return list(seen)
