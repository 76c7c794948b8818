"""Benchmark of ``dcbook build`` (not a timed test): ``python bench/build.py [--jobs N] [--keep]``.

Measures, in one run on one copy of the repository (the working tree is never touched):

1. clean build — empty ``_build``: every chapter executed, the site built;
2. no-op rebuild — nothing changed;
3. rebuild after changing one observations file (a row's quote gains a trailing space: a content change
   that still validates);
4. naive baseline — the same notebooks built by plain ``jupyter-book build`` with
   ``execute_notebooks: force`` (serial execution inside Sphinx, no cache).

All dcbook builds run with ``--no-pdf`` (the PDF is a separate typesetting step the baseline lacks).
Prints a table with each time and its ratio to the clean build and to the baseline.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(
    "_build", ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.egg-info"
)


def timed(cmd: list[str], cwd: Path) -> float:
    """Run ``cmd``; return wall-clock seconds; a failure aborts the benchmark with the command's output."""
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(
            f"bench: {' '.join(cmd)} failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return seconds


def touch_observations(root: Path) -> str:
    """Change one observations file's content (a quote gets a trailing space; validation ignores whitespace)."""
    path = sorted((root / "data" / "observations").glob("*.csv"))[0]
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    quote = rows[0].index("quote")
    rows[1][quote] += " "
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path.relative_to(root).as_posix()


def naive_baseline(root: Path) -> float:
    """Plain Jupyter Book on the same book, executing every notebook itself (``execute_notebooks: force``)."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": "force", "timeout": 1200}
    naive = root.parent / "naive"
    shutil.copytree(root, naive, ignore=shutil.ignore_patterns("_build"))
    (naive / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    jb = [sys.executable, "-c", "import sys; from jupyter_book.cli.main import main; main()"]
    return timed([*jb, "build", str(naive), "--builder", "html"], naive)


def list_all_notebooks(root: Path) -> None:
    """Add every ``book/*.ipynb`` missing from the copy's ``_toc.yml`` as a chapter (copy only)."""
    toc_path = root / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    listed = {toc["root"], *(c["file"] for c in toc.get("chapters", []))}
    extra = [
        f"book/{p.stem}" for p in sorted((root / "book").glob("*.ipynb")) if f"book/{p.stem}" not in listed
    ]
    toc["chapters"] = [{"file": f} for f in extra] + toc.get("chapters", [])
    toc_path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=None, help="passed to dcbook build (default: CPU count)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy and print its path")
    parser.add_argument(
        "--all-notebooks",
        action="store_true",
        help="list every book/*.ipynb in the copy's _toc.yml (measures chapters not yet in the toc)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="dcbook-bench-"))
    root = tmp / "repo"
    shutil.copytree(REPO, root, ignore=IGNORE)
    if args.all_notebooks:
        list_all_notebooks(root)
    build = [
        sys.executable,
        "-m",
        "dcbook",
        "build",
        "--root",
        str(root),
        "--data-dir",
        str(root / "data"),
        "--no-pdf",
    ]
    if args.jobs:
        build += ["--jobs", str(args.jobs)]
    notebooks = sum(
        1
        for line in (root / "_toc.yml").read_text(encoding="utf-8").splitlines()
        if "file:" in line or "root:" in line
    )

    results: list[tuple[str, float]] = []
    results.append(("clean build", timed(build, root)))
    results.append(("no-op rebuild", timed(build, root)))
    changed = touch_observations(root)
    results.append((f"rebuild after changing {changed}", timed(build, root)))
    results.append(("naive baseline: jupyter-book, execute_notebooks: force", naive_baseline(root)))

    clean = results[0][1]
    naive = results[-1][1]
    width = max(len(name) for name, _ in results)
    print(f"dcbook build benchmark — {notebooks} toc pages, jobs={args.jobs or 'CPU count'}, copy at {root}")
    print(f"{'run':<{width}}  {'seconds':>8}  {'÷ clean':>8}  {'÷ naive':>8}")
    for name, seconds in results:
        print(f"{name:<{width}}  {seconds:>8.1f}  {seconds / clean:>8.2f}  {seconds / naive:>8.2f}")
    print(
        f"targets: no-op ≤ 0.10 × clean ({results[1][1] / clean:.2f}); clean ≤ 0.60 × naive ({clean / naive:.2f})"
    )
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
