"""Running the tools: jupyter-book writes the .tex, latexmk typesets it, and only a clean PDF is published.

The steps of :func:`build_pdf`; the configuration they stage is :mod:`dcbook.pdf.config`, the log check
:mod:`dcbook.pdf.log`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from dcbook.pdf.config import PdfBuildError, pdf_name, stage_latex
from dcbook.pdf.log import HBOX_TOLERANCE_PT, check_latex_log
from dcbook.pdf.vectors import latex_tree

#: Wall-clock limits (seconds): Sphinx writing the .tex, and the whole latexmk run (2–3 XeLaTeX passes).
SPHINX_TIMEOUT = 900
LATEXMK_TIMEOUT = 900


def _tool(name: str) -> str:
    """A console script of the venv running us, else from PATH (so tests use the pinned jupyter-book)."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise PdfBuildError(f"{name}: not found (neither next to {sys.executable} nor on PATH)")
    return found


def _run(
    cmd: Sequence[str], *, cwd: Path, log: Path, timeout: int, env: Mapping[str, str] | None = None
) -> int:
    """Run ``cmd`` with output to ``log``; return the exit code (a timeout is an error naming the log)."""
    with log.open("w", encoding="utf-8") as out:
        # Own process group: an interrupt or timeout stops latexmk *and* the TeX engine it runs.
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _stop_group(proc)
            raise PdfBuildError(f"{cmd[0]}: timed out after {timeout}s; output so far in {log}") from exc
        except BaseException:
            _stop_group(proc)
            raise


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group of ``proc``, SIGKILL what is left after 5 s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def _tail(path: Path, n: int = 30) -> str:
    """Last ``n`` lines of a log, for an error message."""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
    except OSError:
        return f"(no log at {path})"


def build_pdf(
    staged_source: Path,
    out_dir: Path,
    *,
    edition: int,
    data_vintage: str,
    work_dir: Path | None = None,
    chart_cache: Path | None = None,
    hbox_tolerance_pt: float = HBOX_TOLERANCE_PT,
    strict: bool = False,
) -> Path:
    """Typeset the staged book to ``out_dir/<pdf_name(edition)>`` and return that path.

    ``staged_source`` is the staged Jupyter Book tree (``_config.yml``, ``_toc.yml``, executed notebooks);
    it is copied to ``work_dir/src`` with each chart as a vector PDF (:func:`~dcbook.pdf.vectors.latex_tree`),
    and that copy's ``_config.yml`` receives :func:`latex_config`. ``work_dir`` keeps Sphinx's doctrees and the LaTeX
    files between builds (default: ``out_dir/../.pdf-work/<edition>``), so a rebuild re-reads only what
    changed; the charts' PDFs are kept in ``chart_cache`` (default: ``work_dir/charts``). ``strict`` makes
    Sphinx warnings errors. Raises :class:`PdfBuildError` — leaving any previous
    PDF in place — if Sphinx or latexmk fails or :func:`check_latex_log` finds a problem.
    """
    staged_source = Path(staged_source).resolve()
    out_dir = Path(out_dir).resolve()
    work_dir = Path(work_dir).resolve() if work_dir else out_dir.parent / ".pdf-work" / str(int(edition))
    work_dir.mkdir(parents=True, exist_ok=True)
    # The LaTeX build reads its own copy, charts as vector PDFs (the staged HTML tree stays as it is).
    source = latex_tree(staged_source, work_dir / "src", Path(chart_cache or work_dir / "charts"))
    stage_latex(source, edition, data_vintage)

    # 1. Sphinx → .tex (no notebook execution: the staged notebooks carry their outputs).
    sphinx_log = work_dir / "sphinx-latex.log"
    cmd = [
        _tool("jupyter-book"),
        "build",
        str(source),
        "--builder",
        "latex",
        "--path-output",
        str(work_dir),
    ]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    if _run(cmd, cwd=source, log=sphinx_log, timeout=SPHINX_TIMEOUT) != 0:
        raise PdfBuildError(f"jupyter-book --builder latex failed; see {sphinx_log}:\n{_tail(sphinx_log)}")
    latex_dir = work_dir / "_build" / "latex"
    tex = latex_dir / f"dcbook-{int(edition)}.tex"
    if not tex.is_file():
        raise PdfBuildError(f"{tex}: Sphinx did not write the expected .tex (see {sphinx_log})")

    # 2. .tex → .pdf. Long log lines unwrapped so a missing character is never split across lines; -g
    # because Sphinx rewrote the .tex and latexmk must not trust a previous failed run's bookkeeping.
    for stale in (tex.with_suffix(".pdf"), tex.with_suffix(".xdv")):
        stale.unlink(missing_ok=True)
    latexmk_log = work_dir / "latexmk.log"
    code = _run(
        [
            "latexmk",
            "-xelatex",
            "-g",
            "-interaction=nonstopmode",
            "-halt-on-error",
            "-file-line-error",
            tex.name,
        ],
        cwd=latex_dir,
        log=latexmk_log,
        timeout=LATEXMK_TIMEOUT,
        env={
            "max_print_line": "100000",
            "error_line": "254",
            "half_error_line": "238",
            "LATEXOPTS": "",
            "XINDYOPTS": "",
        },
    )
    tex_log = tex.with_suffix(".log")
    log_text = tex_log.read_text(encoding="utf-8", errors="replace") if tex_log.is_file() else ""
    problems = check_latex_log(log_text, hbox_tolerance_pt=hbox_tolerance_pt)
    built = tex.with_suffix(".pdf")
    if code != 0 or not built.is_file():
        detail = "\n".join(problems) or _tail(latexmk_log)
        raise PdfBuildError(f"latexmk failed (exit {code}) on {tex}; see {tex_log}:\n{detail}")
    if problems:
        raise PdfBuildError(
            f"{tex_log}: {len(problems)} problem(s); the previous PDF is kept:\n" + "\n".join(problems)
        )

    # 3. Publish atomically: a reader never sees a half-copied PDF.
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / pdf_name(edition)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=out_dir)
    os.close(fd)
    try:
        shutil.copyfile(built, tmp_name)
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return target
