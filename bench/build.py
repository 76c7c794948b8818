"""Benchmark of ``dcbook build`` (not a timed test): ``python bench/build.py [--jobs N] [--keep]``.

Measures, in one run on one copy of the repository (the working tree is never touched; the copy's own
``dcbook`` package runs, through ``PYTHONPATH``, so its code can be edited):

1. clean build — ``dcbook build --all-editions``, empty ``_build``: every chapter of every edition executed;
2. no-op rebuild — nothing changed;
3. code comment — a comment added to ``dcbook/publish.py`` (code no chapter runs);
4. later source — one row of ``data/observations/dcr2021.csv`` changed (a quote gains a trailing space: a content
   change that still validates), which only the 2021 edition can see;
5. new edition — a fictional 2022 report added the maintainer's way (source row, raw text, observations,
   ``dcbook validate --rehash``, ``dcbook datapackage``);
6. clean build of one edition — ``dcbook build`` (the latest edition), empty ``_build``, in a second copy;
7. naive baseline — the same notebooks built by plain ``jupyter-book build`` with ``execute_notebooks: force``
   (serial execution inside Sphinx, no cache), which builds one edition (the notebooks' default).

All dcbook builds run with ``--no-pdf`` (the PDF is a separate typesetting step the baseline lacks). Prints
each run's executed chapters, wall-clock and CPU seconds, with the ratios the targets are stated in.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
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


def _env(root: Path) -> dict[str, str]:
    """Run the copy's own package (and its kernels), so an edit of the copy's code counts; a chart folder
    shared with other builds (``DCBOOK_CHART_CACHE``) is not used, so a clean build converts every chart."""
    env = dict(os.environ)
    env.pop("DCBOOK_CHART_CACHE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``cmd`` with the copy's package; return wall-clock and CPU seconds (user + system, the command and
    every process it waited for); a failure aborts the benchmark."""
    start, cpu = time.monotonic(), _children_cpu()
    proc = subprocess.run(cmd, cwd=cwd, env=_env(cwd), capture_output=True, text=True, check=False)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(
            f"bench: {' '.join(cmd)} failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return seconds, _children_cpu() - cpu


def executed(root: Path) -> int:
    """Chapters the last build executed (all editions' reports, or the one edition's)."""
    summary = root / "_build" / "all_editions_report.json"
    if summary.is_file():
        reports = json.loads(summary.read_text(encoding="utf-8"))["reports"].values()
    else:
        reports = [
            json.loads(p.read_text(encoding="utf-8"))
            for p in (root / "_build" / "executed").glob("*/build_report.json")
        ]
    return sum(c["status"] == "executed" for r in reports for c in r["chapters"])


def comment_code(root: Path) -> str:
    """Add a comment to a module no chapter imports (publishing code)."""
    path = root / "dcbook" / "publish.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# bench: a comment\n", encoding="utf-8")
    return path.relative_to(root).as_posix()


#: The fictional report of the new-edition run (every figure invented).
NEW_REPORT = (
    "数字中国发展报告（2022年）——基准测试用虚构文本，非真实数据\n截至2022年底，我国网民规模达到 12.5 亿。\n"
)


def add_edition(root: Path) -> str:
    """Add a fictional 2022 report as the maintainer would: raw text, source row, reviewed observations,
    checksums recorded by ``dcbook validate --rehash`` and the bibliography by ``dcbook datapackage``."""
    data = root / "data"
    raw = data / "raw" / "bench2022.txt"
    raw.write_text(NEW_REPORT, encoding="utf-8")
    with open(data / "sources.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = dict(rows[-1])
    row.update(
        source_id="bench2022", title="数字中国发展报告（2022年）（基准测试用虚构文本）", published="2023-05",
        edition_year="2022", file="raw/bench2022.txt", url="", sha256=hashlib.sha256(raw.read_bytes()).hexdigest(),
    )  # fmt: skip
    with open(data / "sources.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows([*rows, row])
    (data / "observations" / "bench2022.csv").write_text(
        "indicator_id,region,year,value,unit,qualifier,period,locator,quote\n"
        "internet_users,全国,2022,12.5,亿,exact,,2,截至2022年底，我国网民规模达到 12.5 亿\n",
        encoding="utf-8",
    )
    dcbook = [sys.executable, "-m", "dcbook"]
    timed([*dcbook, "validate", "--rehash", "--data-dir", str(data)], root)
    timed([*dcbook, "datapackage", "--data-dir", str(data)], root)
    return "2022"


def touch_observations(root: Path, source_id: str = "dcr2021") -> str:
    """Change one observations file's content (a quote gets a trailing space; validation ignores whitespace)."""
    path = root / "data" / "observations" / f"{source_id}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    quote = rows[0].index("quote")
    rows[1][quote] += " "
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path.relative_to(root).as_posix()


def naive_baseline(root: Path) -> tuple[float, float]:
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
    single_root = tmp / "single"
    shutil.copytree(root, single_root)

    def build(at: Path, *extra: str) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "dcbook",
            "build",
            "--root",
            str(at),
            "--data-dir",
            str(at / "data"),
            "--no-pdf",
        ]
        return [*cmd, *extra, *(["--jobs", str(args.jobs)] if args.jobs else [])]

    notebooks = len(list((root / "book").glob("*.ipynb")))
    results: list[tuple[str, int | None, float, float]] = []

    def run(name: str, at: Path, *extra: str) -> None:
        seconds, cpu = timed(build(at, *extra), at)
        results.append((name, executed(at), seconds, cpu))

    run("clean build, all editions", root, "--all-editions")
    run("no-op rebuild", root, "--all-editions")
    run(f"code comment in {comment_code(root)}", root, "--all-editions")
    run(f"later source: {touch_observations(root)}", root, "--all-editions")
    run(f"new edition {add_edition(root)} added", root, "--all-editions")
    run("clean build, latest edition", single_root)
    results.append(
        ("naive baseline: jupyter-book, execute_notebooks: force", None, *naive_baseline(single_root))
    )

    clean_all = results[0][2]
    clean_one = results[-2][2]
    naive = results[-1][2]
    width = max(len(name) for name, *_ in results)
    print(
        f"dcbook build benchmark — {notebooks} notebooks per edition, jobs={args.jobs or 'CPU count'}, copy at {root}"
    )
    print(f"{'run':<{width}}  {'executed':>8}  {'seconds':>8}  {'CPU s':>8}  {'÷ clean':>8}  {'÷ naive':>8}")
    for name, count, seconds, cpu in results:
        clean = clean_one if "latest edition" in name or count is None else clean_all
        shown = "—" if count is None else str(count)
        print(
            f"{name:<{width}}  {shown:>8}  {seconds:>8.1f}  {cpu:>8.1f}  {seconds / clean:>8.2f}"
            f"  {seconds / naive:>8.2f}"
        )
    print(
        f"targets: no-op ≤ 0.10 × clean ({results[1][2] / clean_all:.2f}); code comment executes 0 "
        f"({results[2][1]}); later source executes one edition ({results[3][1]} of {results[0][1]}); new edition "
        f"executes its own chapters ({results[4][1]}); clean ≤ 0.60 × naive ({clean_one / naive:.2f})"
    )
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
