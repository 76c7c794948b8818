"""Shared fixtures: the real dataset (parsed once per session), a clean copy to corrupt, tiny datasets; and the
pieces every build and browser test uses (a copy of the repository, Debian chromium, a quiet HTTP handler).
"""

from __future__ import annotations

import csv
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from dcbook import CHART_CACHE_ENV, DEFAULT_DATA_DIR, REPO_ROOT

#: Debian's chromium, driven by Playwright through ``executable_path`` (never ``playwright install``).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


#: Session-scoped builds that several test modules read (defined below), each with the modules that read it.
SHARED_BUILDS: dict[str, frozenset[str]] = {
    "built_site": frozenset(
        {"test_browser.py", "test_guards.py", "test_pdf_book.py", "test_reader_site.py", "test_site.py"}
    ),
    "all_editions_site": frozenset({"test_all_editions.py", "test_site_takeaway.py"}),
}
#: Work units that take minutes (each makes real builds), longest first: ``make test`` starts them first,
#: so the two workers do not end with one of them running alone (measured with ``--durations``; a wrong
#: order only costs time).
LONGEST_FIRST: tuple[str, ...] = (
    "shared-build:all_editions_site",
    "shared-build:built_site",
    "tests/test_next_edition.py",
    "tests/test_build.py",
    "tests/test_hostile_data.py",
    "tests/test_editing_path.py",
    "tests/test_bad_data_tally.py",
    "tests/test_ingest.py",
    "tests/test_chapter_pages.py",
    "tests/test_chapter_regional.py",
)


def pytest_configure(config: pytest.Config) -> None:
    """One chart-image folder for every build of the session, the two workers' included (they inherit the
    controller's environment): a build converts only the charts no earlier build of the session drew.

    What a build publishes is unchanged (the images are vl-convert's bytes, keyed by spec, converter and
    fonts); each edition's first build still converts every chart. ``DCBOOK_CHART_CACHE`` set by the caller
    is left as it is."""
    if hasattr(config, "workerinput") or os.environ.get(CHART_CACHE_ENV):
        return
    folder = Path(tempfile.mkdtemp(prefix="dcbook-test-charts-"))
    os.environ[CHART_CACHE_ENV] = str(folder)
    config.add_cleanup(
        lambda: (shutil.rmtree(folder, ignore_errors=True), os.environ.pop(CHART_CACHE_ENV, None))
    )


def work_unit(nodeid: str) -> str:
    """The scheduling unit of a test under ``make test``: its module (a notebook is one module: its cells
    run in order in one kernel), except that the modules reading one shared build form one unit, so that
    build is made once."""
    module = nodeid.split("::", 1)[0]
    name = Path(module).name
    shared = next((fixture for fixture, modules in SHARED_BUILDS.items() if name in modules), None)
    return f"shared-build:{shared}" if shared else module


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that reads a shared build must sit in a module of that build's group (:data:`SHARED_BUILDS`),
    or under ``make test`` two workers would each make it; and the longest units go first."""
    strays = sorted(
        {
            f"{item.nodeid.split('::', 1)[0]} ({fixture})"
            for item in items
            for fixture, modules in SHARED_BUILDS.items()
            if fixture in getattr(item, "fixturenames", ())
            and Path(item.nodeid.split("::", 1)[0]).name not in modules
        }
    )
    if strays:
        raise pytest.UsageError(
            f"tests/conftest.py: add {strays} to SHARED_BUILDS (they read a shared build)"
        )
    rank = {unit: i for i, unit in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(work_unit(item.nodeid), len(rank)))  # stable: order kept within


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``make test`` runs ``pytest -n 2 --dist loadscope``: one work unit per :func:`work_unit`, handed out
    in collection order (longest first, see :data:`LONGEST_FIRST`) rather than by number of tests."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False

    class SharedBuildScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return SharedBuildScheduling(config, log)


def write_csv(path: Path, columns: Iterable[str], rows: Iterable[dict[str, object]]) -> Path:
    """Write rows with the csv module (UTF-8, no BOM, RFC 4180 quoting), like the real files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cols = list(columns)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=cols, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in cols})
    return path


def copy_data(src: Path, dest: Path) -> Path:
    """Copy a data directory (writable copies, so a test can corrupt them)."""
    shutil.copytree(src, dest, copy_function=shutil.copyfile)
    return dest


_MSG = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): ")


def _drop_problem_rows(data_dir: Path, problems: list[str]) -> int:
    """Remove the CSV records that problems point at (line > 1); returns how many were removed."""
    by_file: dict[Path, set[int]] = {}
    for msg in problems:
        m = _MSG.match(msg)
        if m and int(m["line"]) > 1:
            by_file.setdefault(data_dir.parent / m["path"], set()).add(int(m["line"]))
    removed = 0
    for path, lines in by_file.items():
        text = path.read_text(encoding="utf-8")
        reader = csv.reader(text.splitlines(keepends=True))
        header = next(reader)
        keep = [header]
        start = reader.line_num + 1
        for rec in reader:
            if start in lines:
                removed += 1
            else:
                keep.append(rec)
            start = reader.line_num + 1
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(keep)
    return removed


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The repository's data directory (read only)."""
    return DEFAULT_DATA_DIR


@pytest.fixture(scope="session")
def real_report(real_data_dir: Path):
    """``dcbook.validate.collect`` of the real data, computed once."""
    from dcbook.validate import collect

    return collect(real_data_dir)


@pytest.fixture(scope="session")
def real_ds(real_data_dir: Path):
    """The latest edition of the real dataset, loaded once (fails with the validation messages if bad)."""
    from dcbook import data

    try:
        return data.load(data_dir=real_data_dir)
    except data.DataError as exc:
        pytest.fail(f"the real dataset does not load:\n{exc}")


@pytest.fixture(scope="session")
def clean_data_dir(tmp_path_factory: pytest.TempPathFactory, real_data_dir: Path) -> Path:
    """A copy of the real data with every row the validator rejects removed: a clean base to corrupt.

    While extraction is in progress the real files may carry problems; dropping those rows lets the
    bad-input tests check that *one* corruption yields exactly its message.
    """
    from dcbook.validate import collect

    dest = copy_data(real_data_dir, tmp_path_factory.mktemp("clean") / "data")
    for _ in range(4):
        problems = collect(dest).problems
        if not problems or not _drop_problem_rows(dest, problems):
            break
    problems = collect(dest).problems
    assert not problems, "could not derive a clean base from the real data:\n" + "\n".join(problems)
    return dest


@pytest.fixture
def data_copy(tmp_path: Path, clean_data_dir: Path) -> Path:
    """A fresh writable copy of the clean base (``<tmp>/data``)."""
    return copy_data(clean_data_dir, tmp_path / "data")


MINI_SOURCES = [
    {"source_id": "rep_a", "title": "报告A", "publisher": "甲", "published": "2021-07", "edition_year": 2020,
     "kind": "yearly_report", "file": "raw/rep_a.txt"},
    {"source_id": "rep_b", "title": "报告B", "publisher": "乙", "published": "2022-07", "edition_year": 2021,
     "kind": "yearly_report", "file": "raw/rep_b.txt"},
    {"source_id": "rep_c", "title": "报告C", "publisher": "丙", "published": "2022-07", "edition_year": 2021,
     "kind": "interpretation", "file": "raw/rep_c.txt"},
]  # fmt: skip
MINI_INDICATORS = [
    {"indicator_id": "users", "name_zh": "用户数", "name_en": "Users", "domain": "digital_society", "unit": "亿人",
     "higher_is_better": "true", "definition_zh": "用户。", "aliases": "用户规模"},
    {"indicator_id": "stations", "name_zh": "基站数", "name_en": "Stations", "domain": "infrastructure",
     "unit": "万个", "higher_is_better": "true", "definition_zh": "基站。", "aliases": ""},
]  # fmt: skip


def with_sha256(root: Path, sources: list[dict]) -> list[dict]:
    """Source rows with the checksum of their raw file under ``root`` (as `dcbook validate --rehash` records)."""
    from dcbook import schema

    return [s | {"sha256": schema.sha256_of(root / s["file"])} for s in sources]


@pytest.fixture
def make_mini(tmp_path: Path) -> Callable[..., Path]:
    """Build a tiny valid dataset: ``make_mini({"rep_a": [(ind, region, year, value, unit, qualifier, quote)]})``.

    Each source's raw file holds its quotes one per line, and locators point at them.
    """

    def build(rows_by_source: dict[str, list[tuple]], name: str = "data") -> Path:
        from dcbook import schema

        root = tmp_path / name
        write_csv(root / "indicators.csv", schema.INDICATORS.columns, MINI_INDICATORS)
        for src in MINI_SOURCES:
            rows = rows_by_source.get(src["source_id"], [])
            (root / "raw").mkdir(parents=True, exist_ok=True)
            (root / src["file"]).write_text("标题\n" + "\n".join(r[6] for r in rows) + "\n", encoding="utf-8")
            obs = [
                dict(
                    zip(
                        ("indicator_id", "region", "year", "value", "unit", "qualifier", "quote"),
                        r,
                        strict=True,
                    )
                )
                | {"locator": i + 2}
                for i, r in enumerate(rows)
            ]
            write_csv(root / "observations" / f"{src['source_id']}.csv", schema.OBSERVATIONS.columns, obs)
        write_csv(root / "sources.csv", schema.SOURCES.columns, with_sha256(root, MINI_SOURCES))
        return root

    return build


# ---- the built book (owned by the build work) ---------------------------------------------------------------

#: What a copy of the repository for a test build leaves out: build output, VCS, caches, virtualenvs.
BUILD_COPY_IGNORE = (
    "_build",
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
    "*.egg-info",
)


def copy_repo(dest: Path) -> Path:
    """Copy the repository to ``dest`` for a test build (the repository's own ``_build`` is never touched)."""
    shutil.copytree(REPO_ROOT, dest, ignore=shutil.ignore_patterns(*BUILD_COPY_IGNORE), symlinks=True)
    return dest


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that keeps the test output free of request logs."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian chromium through Playwright; skipped where chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real book built once per session (``dcbook build --strict``, HTML and PDF) in a copy of the repository.

    Returns the ``_build/html`` folder of the copy; the repository's own ``_build`` is never touched.
    """
    import subprocess
    import sys

    root = copy_repo(tmp_path_factory.mktemp("built_site") / "repo")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dcbook",
            "build",
            "--root",
            str(root),
            "--data-dir",
            str(root / "data"),
            "--strict",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"dcbook build of the real book failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    html = root / "_build" / "html"
    assert (html / "index.html").is_file(), f"{html}: the build wrote no index.html"
    return html


def run_all_editions(root: Path) -> subprocess.CompletedProcess[str]:
    """``dcbook build --all-editions --strict`` (HTML and PDF) of the copy at ``root``."""
    return subprocess.run(
        [sys.executable, "-m", "dcbook", "build", "--all-editions", "--strict",
         "--root", str(root), "--data-dir", str(root / "data")],
        capture_output=True, text=True, check=False, timeout=3600,
    )  # fmt: skip


@pytest.fixture(scope="session")
def all_editions_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of the real book, built once per session in a copy (``--all-editions --strict``, with
    the PDFs); returns its ``_build/html``. Tests only read it, except the no-op rebuild, which leaves it as is.
    """
    root = copy_repo(tmp_path_factory.mktemp("all_editions") / "repo")
    proc = run_all_editions(root)
    if proc.returncode != 0:
        pytest.fail(
            f"dcbook build --all-editions --strict failed (exit {proc.returncode}):\n{proc.stderr[-6000:]}"
        )
    return root / "_build" / "html"
