"""``dcbook build`` and ``dcbook serve``: from ``book/`` + ``data/`` to the published site, in one command.

Order of work (each step stops the build on failure, and none of them touches ``_build/html``):

1. validate the data (``dcbook validate``) — bad data never reaches a chapter;
2. decide per chapter whether its executed copy is still valid (:mod:`dcbook.pipeline.inputs`), and
   execute the others with papermill in parallel (:mod:`dcbook.pipeline.execute`); a failing chapter
   does not stop the rest, but fails the build once all have run;
3. stage the Jupyter Book source tree with the executed notebooks and the build-information page, run
   Jupyter Book on it and, if asked, the PDF (:func:`build_pdf_hook`);
4. swap the new site into ``_build/html`` atomically.

``--all-editions`` (:func:`run_all_editions`) runs steps 2–3 for every edition in ``sources.csv``, each
with its own cache, and only then lays them out (``_build/html/<year>/``, the latest also at the root) and
swaps the whole multi-edition site in at once.

A lock file keeps two builds from interleaving; SIGTERM is handled like Ctrl-C.
"""

from __future__ import annotations

import argparse
import csv
import errno
import functools
import http.server
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from rich.console import Console

from dcbook import CHART_CACHE_ENV, REPO_ROOT
from dcbook.data import TABLES_CACHE_ENV
from dcbook.pdf import PdfBuildError, pdf_name
from dcbook.pipeline import dataset, site
from dcbook.pipeline import inputs as inp
from dcbook.pipeline.execute import Job, Outcome, Runner, notebook_imports
from dcbook.provenance import read_log, read_modules, read_views
from dcbook.trees import sync_tree

VERSIONED = ("python", "jupyter-book", "papermill", "altair", "pandas", "sphinx", "myst-nb")


class BuildError(RuntimeError):
    """The build cannot finish; the message says what failed and where its details are."""


class BuildLocked(BuildError):
    """Another build holds ``_build/.lock``."""


@dataclass
class BuildOptions:
    """One build of one edition. ``validate`` is injectable so pipeline tests can use toy data."""

    root: Path = REPO_ROOT
    data_dir: Path | None = None
    edition: int | None = None
    jobs: int | None = None
    force: bool = False
    strict: bool = False
    pdf: bool = False
    #: checks the data directory (``validate(data_dir, tables_cache)``); may fill the kernels' tables cache
    validate: Callable[[Path, Path], None] | None = None
    console: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))
    #: set by :func:`build_session`; recorded in every chapter result this build writes
    run_id: str = ""

    @property
    def build_dir(self) -> Path:
        return self.root / "_build"

    @property
    def tables_cache(self) -> Path:
        """Where the validated tables are kept for the chapters' kernels (:data:`dcbook.data.TABLES_CACHE_ENV`)."""
        return self.build_dir / "cache" / "tables"

    @property
    def chart_cache(self) -> Path:
        """Where chart images are kept by content: ``$DCBOOK_CHART_CACHE`` (a folder several builds share),
        else ``_build/cache/charts``."""
        shared = os.environ.get(CHART_CACHE_ENV)
        return Path(shared) if shared else self.build_dir / "cache" / "charts"


@dataclass
class ChapterResult:
    chapter: str
    status: str  # executed | cached | failed
    seconds: float
    reason: str | None
    reads: list[str]
    error: dict[str, Any] = field(default_factory=dict)


# ---- data: validation, editions, sources -------------------------------------------------------------------


def validate_with_cli(data_dir: Path, tables_cache: Path | None = None) -> None:
    """Run ``dcbook validate`` in a child process; bad data stops the build with its full report.

    With ``tables_cache`` the validator leaves the tables it validated there, so the chapters' kernels read
    them instead of each validating the dataset again (two at once, at the start of a clean build)."""
    env = dict(os.environ)
    if tables_cache is not None:
        env[TABLES_CACHE_ENV] = str(tables_cache)
    proc = subprocess.run(
        [sys.executable, "-m", "dcbook", "validate", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if proc.returncode != 0:
        raise BuildError(
            f"data validation failed for {data_dir} (exit {proc.returncode}); fix the data and rebuild:\n"
            + (proc.stdout + proc.stderr).strip()
        )


def available_editions(data_dir: Path) -> list[int]:
    """Every buildable edition: the distinct ``edition_year`` values of ``sources.csv``, oldest first.

    The same rule as ``data.available_editions``, read directly rather than through :mod:`dcbook.data`, whose
    loader re-validates the whole dataset — seconds that a no-op rebuild should not spend after validation
    already passed.
    """
    years = edition_years(data_dir)
    if not years:
        raise BuildError(f"{data_dir / 'sources.csv'}: no edition available (no source rows)")
    return years


def edition_years(data_dir: Path) -> list[int]:
    """The distinct ``edition_year`` values of ``sources.csv``, oldest first (empty without sources)."""
    return sorted({int(s["edition_year"]) for s in visible_sources(data_dir, 10**6)})


def default_edition(data_dir: Path) -> int:
    """The latest edition (what ``dcbook build`` builds without ``--edition``)."""
    return available_editions(data_dir)[-1]


def visible_sources(data_dir: Path, edition: int) -> list[dict[str, str]]:
    """Sources an edition may use (``edition_year`` ≤ edition), for the build report's data vintage."""
    path = data_dir / "sources.csv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    visible = []
    for lineno, row in enumerate(rows, start=2):
        try:
            year = int(row["edition_year"])
        except (KeyError, TypeError, ValueError) as exc:
            raise BuildError(
                f"{path}:{lineno}: edition_year: not a year ({row.get('edition_year')!r})"
            ) from exc
        if year <= edition:
            visible.append({k: row.get(k, "") for k in ("source_id", "title", "published", "edition_year")})
    return visible


def data_vintage(sources: list[dict[str, str]]) -> str:
    """Newest publication date among the visible sources, in Chinese (``2022年7月``)."""
    dates = sorted(s["published"] for s in sources if s.get("published"))
    if not dates:
        return ""
    parts = dates[-1].split("-")
    text = f"{int(parts[0])}年"
    if len(parts) > 1:
        text += f"{int(parts[1])}月"
    if len(parts) > 2:
        text += f"{int(parts[2])}日"
    return text


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for dist in VERSIONED[1:]:
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "not installed"
    return found


# ---- locking and signals ------------------------------------------------------------------------------------


@contextmanager
def build_lock(build_dir: Path, run_id: str = "", what: str = "build") -> Iterator[None]:
    """Exclusive ``_build/.lock`` (see :func:`dcbook.pipeline.supervise.exclusive_lock`), errors as BuildError."""
    from dcbook.pipeline import supervise

    try:
        with supervise.exclusive_lock(build_dir, run_id, what):
            yield
    except supervise.LockHeld as exc:
        raise BuildLocked(str(exc)) from exc
    except supervise.LockError as exc:
        raise BuildError(str(exc)) from exc


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so ``kill`` unwinds through the same clean-up as an interrupt."""

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# ---- the build ------------------------------------------------------------------------------------------------


def edition_dir(build_dir: Path, edition: int) -> Path:
    return build_dir / "executed" / str(int(edition))


def build_pdf_hook(
    staged_source: Path,
    site_dir: Path,
    *,
    edition: int,
    vintage: str,
    strict: bool,
    chart_cache: Path | None = None,
) -> Path:
    """Typeset the staged tree to ``site_dir/pdf/`` (the new site, before it is swapped in).

    The PDF reads the same staged tree as the HTML (executed notebooks, no re-execution); a PDF failure
    fails the build and the previous site stays.
    """
    from dcbook import pdf

    built = pdf.build_pdf(
        staged_source,
        site_dir / "pdf",
        edition=edition,
        data_vintage=vintage or f"{edition}年版",
        work_dir=staged_source.parent / "pdf-work",
        chart_cache=chart_cache,
        strict=strict,
    )
    built.chmod(0o644)  # written via mkstemp (0600); a web server must be able to read it
    return built


def execute_chapters(
    opts: BuildOptions, edition: int, data_dir: Path, pages: list[inp.Page]
) -> list[ChapterResult]:
    """Reuse or execute every notebook chapter; update the manifest; return per-chapter results."""
    root = opts.root
    ed_dir = edition_dir(opts.build_dir, edition)
    manifest_path = opts.build_dir / "manifest.json"
    manifest = inp.load_manifest(manifest_path)
    entries: dict[str, Any] = manifest["entries"]
    parameters = {"edition": int(edition), "data_dir": str(data_dir.resolve())}
    shared = {
        "renderer": inp.renderer_hash(),
        "parameters": inp.parameters_hash(parameters),
        "requirements": inp.requirements_hash(root),
    }
    notebooks = [p for p in pages if p.is_notebook]
    results: dict[str, ChapterResult] = {}
    jobs: list[Job] = []
    job_inputs: dict[str, dict[str, str]] = {}
    console = opts.console
    for page in notebooks:
        key = inp.chapter_key(edition, page.docname)
        current = {
            **shared,
            "notebook": inp.notebook_hash(page.path),
            "templates": inp.templates_hash(page.path),
        }
        executed = ed_dir / f"{page.docname}.ipynb"
        downloads = ed_dir / "downloads" / page.stem
        reason = (
            "--force"
            if opts.force
            else inp.cache_decision(entries.get(key), current, root, executed, downloads)
        )
        if reason is None:
            entry = entries[key]
            results[page.docname] = ChapterResult(
                page.docname, "cached", 0.0, None, sorted({*entry.get("reads", {}), *entry.get("views", {})})
            )
            console.print(f"  [green]✓[/] {page.docname:<32} cached")
            continue
        job_inputs[page.docname] = current
        jobs.append(
            Job(
                chapter=page.docname,
                source=page.path.resolve(),
                output=executed,
                failed_output=executed.with_name(f"{page.stem}.failed.ipynb"),
                reads_log=ed_dir / "reads" / f"{page.stem}.log",
                downloads_dir=downloads,
                parameters=parameters,
                cwd=page.path.parent.resolve(),
                result=ed_dir / "runs" / f"{page.stem}.json",
                run_id=opts.run_id,
                book_root=str(root),
                tables_cache=str(opts.tables_cache),
                chart_cache=str(opts.chart_cache),
            )
        )
        results[page.docname] = ChapterResult(page.docname, "pending", 0.0, reason, [])

    if jobs:
        # Longest first (by last recorded time; never-run chapters count as long): the parallel run then
        # does not end with one slow chapter running alone.
        def last_seconds(job: Job) -> float:
            return -float(entries.get(inp.chapter_key(edition, job.chapter), {}).get("seconds", 1e9))

        jobs.sort(key=last_seconds)
        n_jobs = opts.jobs or os.cpu_count() or 1
        console.print(f"  executing {len(jobs)} chapter(s) with {min(n_jobs, len(jobs))} parallel job(s)")

        def started(job: Job) -> None:
            console.print(f"  [cyan]▶[/] {job.chapter:<32} executing ({results[job.chapter].reason})")

        def done(outcome: Outcome) -> None:
            job = next(j for j in jobs if j.chapter == outcome.chapter)
            key = inp.chapter_key(edition, job.chapter)
            result = results[job.chapter]
            result.seconds = round(outcome.seconds, 2)
            error = outcome.error if not outcome.ok else foreign_result(outcome, job)
            if error:
                result.status, result.error = "failed", error
                entries.pop(key, None)
                console.print(f"  [red]✗[/] {job.chapter:<32} FAILED after {outcome.seconds:.1f}s")
                return
            reads = inp.hash_reads(read_log(job.reads_log), root)
            views = inp.hash_views(read_views(job.reads_log), root)
            entries[key] = {
                "inputs": job_inputs[job.chapter],
                "reads": reads,
                "code": inp.hash_reads(read_modules(job.reads_log), root),
                "views": views,
                "executed": inp.display_path(job.output, root),
                "executed_sha": outcome.written["executed_sha"],
                "downloads_sha": outcome.written["downloads_sha"],
                "run": opts.run_id,
                "seconds": result.seconds,
                "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            result.status, result.reads = "executed", sorted({*reads, *views})
            # Saved after every chapter: an interrupted build keeps what already finished.
            inp.save_manifest(manifest_path, manifest)
            console.print(f"  [green]✓[/] {job.chapter:<32} executed in {outcome.seconds:.1f}s")

        Runner(n_jobs, preload=notebook_imports(job.source for job in jobs)).run(
            jobs, on_done=done, on_start=started
        )
        from dcbook.render import prune_chart_cache

        if opts.chart_cache.is_dir():
            prune_chart_cache(opts.chart_cache)
    inp.save_manifest(manifest_path, manifest)
    return [results[p.docname] for p in notebooks]


def foreign_result(outcome: Outcome, job: Job) -> dict[str, Any]:
    """An error when a successful outcome is not this run's own work, else ``{}``.

    The result must name this run, and the executed copy and chart downloads on disk must still be the
    ones that run wrote: anything else was written by another process (an orphan of an earlier build) and
    is never recorded as this build's chapter.
    """
    problem = None
    if outcome.run_id != job.run_id:
        problem = f"its result names run {outcome.run_id or '(none)'}, not this build's run {job.run_id}"
    elif not outcome.written:
        problem = "its result does not say what it wrote"
    elif not job.output.is_file() or inp.sha256_file(job.output) != outcome.written.get("executed_sha"):
        problem = f"{job.output} is not the copy this run wrote"
    elif inp.tree_hash(job.downloads_dir) != outcome.written.get("downloads_sha"):
        problem = f"{job.downloads_dir} is not what this run wrote"
    if problem is None:
        return {}
    return {
        "cell_index": None,
        "source": "",
        "saved": None,
        "exception": f"another process wrote this chapter's results ({problem}); rebuild",
    }


def failure_message(failed: list[ChapterResult], root: Path) -> str:
    """Name each failed chapter, its cell (index and source), the exception and the saved notebook."""
    parts = [f"{len(failed)} chapter(s) failed:"]
    for ch in failed:
        err = ch.error
        cell = err.get("cell_index")
        where = f"cell {cell}" if cell is not None else "before any cell ran"
        source = (err.get("source") or "").strip()
        snippet = "\n".join("      | " + line for line in source.splitlines()[:15])
        saved = err.get("saved")
        parts.append(
            f"  chapter {ch.chapter}: {where}: {err.get('exception', 'unknown error')}\n"
            + (f"    cell source:\n{snippet}\n" if snippet else "")
            + (
                f"    executed notebook with traceback: {inp.display_path(Path(saved), root)}"
                if saved
                else ""
            )
        )
    return "\n".join(parts)


#: What ``dcbook validate`` runs: the data layer and the checks below it (:func:`inp.code_closure`).
VALIDATOR_MODULES = ("dcbook.data",)


def validate_once(opts: BuildOptions, data_dir: Path) -> None:
    """Validate unless this exact data (and validator code) already passed: a pass is remembered by hash.

    Validation reads only the data directory and runs only the data layer's code, so their content hashes are
    a complete key; a no-op rebuild (or one after editing build or PDF code) spends no time re-checking
    thousands of quotes.
    """
    assert opts.validate is not None
    stamp = opts.build_dir / "validated.txt"
    key = inp.sha256_bytes(
        f"{data_dir} {inp.tree_hash(data_dir)} {inp.code_hash(VALIDATOR_MODULES)}".encode()
    )
    if not opts.force and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == key:
        opts.console.print(f"[bold]validate[/] {data_dir}: unchanged since it last passed")
        return
    opts.console.print(f"[bold]validate[/] {data_dir}")
    stamp.unlink(missing_ok=True)
    opts.validate(data_dir, opts.tables_cache)
    stamp.write_text(key + "\n", encoding="utf-8")


@dataclass
class EditionBuild:
    """One edition executed and typeset: its build report and its finished folder (HTML and PDF)."""

    edition: int
    report: dict[str, Any]
    site: Path
    fingerprint: str


def build_edition(opts: BuildOptions, edition: int, data_dir: Path, pages: list[inp.Page]) -> EditionBuild:
    """Execute one edition's chapters and typeset it into ``_build/.staging/<edition>/site``.

    The live ``_build/html`` is not touched: the caller lays the finished edition(s) out and swaps them in.
    The folder is reused as it is when the staged sources and the options are the same as when it was made
    (each edition has its own manifest entries, staged tree, folder and stamp, so editions never invalidate
    each other). Raises :class:`BuildError` naming the edition (and the chapter, when one failed).
    """
    return typeset_edition(opts, execute_edition(opts, edition, data_dir, pages))


#: The search page's term dictionary in the staged book assets (read by ``_static/dcbook-search.js``).
SEARCH_TERMS_FILE = "dcbook-search-terms.js"


def search_terms_js(root: Path, data_dir: Path) -> bytes:
    """The search term dictionary (term → chapter about it) from the indicator catalogue and ``_toc.yml``."""
    from dcbook.chapters import registry
    from dcbook.pipeline import search
    from dcbook.schema import DOMAIN_NAMES

    path = data_dir / "indicators.csv"
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            indicators = list(csv.DictReader(handle))
    except OSError as exc:
        raise BuildError(f"{path}: cannot read the indicator catalogue for the search terms: {exc}") from exc
    chapters = {info.docname: info.domains for info in registry(root).values()}
    terms = search.search_terms(indicators, DOMAIN_NAMES, chapters)
    return search.search_terms_script(terms).encode("utf-8")


@dataclass
class ExecutedEdition:
    """An edition whose chapters have all executed (or were reused), ready to be typeset."""

    edition: int
    data_dir: Path
    pages: list[inp.Page]
    chapters: list[ChapterResult]
    sources: list[dict[str, str]]
    report: dict[str, Any]
    started: float


def execute_edition(
    opts: BuildOptions, edition: int, data_dir: Path, pages: list[inp.Page]
) -> ExecutedEdition:
    """Execute one edition's chapters (those whose inputs changed); :class:`BuildError` if one failed."""
    try:
        return _execute_edition(opts, edition, data_dir, pages)
    except (site.SiteBuildError, PdfBuildError, inp.BuildInputError) as exc:
        raise BuildError(f"edition {edition}: {exc}") from exc


def _execute_edition(
    opts: BuildOptions, edition: int, data_dir: Path, pages: list[inp.Page]
) -> ExecutedEdition:
    root, console = opts.root, opts.console
    started = time.monotonic()
    console.print(
        f"[bold]execute[/] edition {edition}: {sum(p.is_notebook for p in pages)} chapter notebook(s)"
    )
    t0 = time.monotonic()
    chapters = execute_chapters(opts, edition, data_dir, pages)
    phases = {"execute": round(time.monotonic() - t0, 2)}
    failed = [c for c in chapters if c.status == "failed"]
    sources = visible_sources(data_dir, edition)
    ed_dir = edition_dir(opts.build_dir, edition)
    report: dict[str, Any] = {
        "edition": edition,
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "data_dir": inp.display_path(data_dir, root),
        "data_vintage": data_vintage(sources),
        "sources": sources,
        "counts": {s: sum(c.status == s for c in chapters) for s in ("executed", "cached", "failed")},
        "chapters": [
            {
                "chapter": c.chapter,
                "status": c.status,
                "seconds": c.seconds,
                "reason": c.reason,
                "reads": c.reads,
            }
            | ({"error": c.error} if c.error else {})
            for c in chapters
        ],
        "versions": versions(),
        "site": None,
        "phases": phases,
    }
    report_path = ed_dir / "build_report.json"
    if failed:
        _write_report(report_path, report)
        raise BuildError(f"edition {edition}: " + failure_message(failed, root))
    return ExecutedEdition(edition, data_dir, pages, chapters, sources, report, started)


def typeset_edition(opts: BuildOptions, executed_edition: ExecutedEdition) -> EditionBuild:
    """Stage an executed edition and typeset it (HTML, and the PDF if asked) into its staging folder.

    Raises :class:`BuildError` naming the edition.
    """
    try:
        return _typeset_edition(opts, executed_edition)
    except (site.SiteBuildError, PdfBuildError, inp.BuildInputError) as exc:
        raise BuildError(f"edition {executed_edition.edition}: {exc}") from exc


def _typeset_edition(opts: BuildOptions, done: ExecutedEdition) -> EditionBuild:
    root, console = opts.root, opts.console
    edition, data_dir, pages, chapters = done.edition, done.data_dir, done.pages, done.chapters
    sources, report, started = done.sources, done.report, done.started
    phases = report["phases"]
    ed_dir = edition_dir(opts.build_dir, edition)
    report_path = ed_dir / "build_report.json"
    t0 = time.monotonic()
    executed = {c.chapter: ed_dir / f"{c.chapter}.ipynb" for c in chapters}
    downloads = [ed_dir / "downloads" / p.stem for p in pages if p.is_notebook]
    bib_keys = [s["source_id"] for s in sources]
    generated = {SEARCH_TERMS_FILE: search_terms_js(root, data_dir)}
    files = site.staged_files(
        root,
        pages,
        executed,
        downloads,
        build_info_md=None,
        bib_keys=bib_keys,
        edition=edition,
        generated=generated,
    )
    staging = opts.build_dir / ".staging" / str(edition)
    out, stamp_path = staging / "site", staging / "site.json"
    data_files = dataset.data_folder(root, data_dir, edition)
    current = site.fingerprint(
        files,
        {
            "strict": opts.strict,
            "pdf": opts.pdf,
            "edition": edition,
            "data": site.fingerprint(data_files, {}),
        },
    )
    if (
        not opts.force
        and _read_stamp(stamp_path).get("fingerprint") == current
        and (out / "index.html").is_file()
    ):
        report["site"] = "reused"
        console.print(f"[bold]site[/] edition {edition}: unchanged since it was last typeset, reused")
    else:
        files = site.staged_files(
            root,
            pages,
            executed,
            downloads,
            build_info_md=site.build_info_markdown(report, root),
            pdf_name=pdf_name(edition) if opts.pdf else None,
            bib_keys=bib_keys,
            edition=edition,
            generated=generated,
        )
        src = staging / "src"
        changed = sync_tree(files, src)
        console.print(
            f"[bold]jupyter-book[/] edition {edition}: {changed} staged file(s) changed; building HTML"
        )
        t1 = time.monotonic()
        html = site.run_jupyter_book(src, strict=opts.strict, log=staging / "jupyter-book.log")
        console.print(f"  HTML built in {time.monotonic() - t1:.1f}s")
        stamp_path.unlink(missing_ok=True)
        new = staging / "site.new"
        shutil.rmtree(new, ignore_errors=True)
        shutil.copytree(html, new, ignore=shutil.ignore_patterns(".buildinfo*"))
        write_data_folder(new, data_files)
        if opts.pdf:
            t1 = time.monotonic()
            pdf_path = build_pdf_hook(
                src,
                new,
                edition=edition,
                vintage=report["data_vintage"],
                strict=opts.strict,
                chart_cache=opts.chart_cache,
            )
            console.print(f"  PDF {pdf_path.name} built in {time.monotonic() - t1:.1f}s")
        shutil.rmtree(out, ignore_errors=True)
        os.rename(new, out)
        stamp_path.write_text(json.dumps({"fingerprint": current}), encoding="utf-8")
        report["site"] = "rebuilt"
    phases["site"] = round(time.monotonic() - t0, 2)
    report["seconds"] = round(time.monotonic() - started, 2)
    _write_report(report_path, report)
    return EditionBuild(edition, report, out, current)


def write_data_folder(site_dir: Path, files: Mapping[str, bytes]) -> None:
    """Put the edition's ``data/`` downloads (:func:`dcbook.pipeline.dataset.data_folder`) into its site."""
    for rel, data in files.items():
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _read_stamp(path: Path) -> dict[str, Any]:
    """A stamp file's JSON; missing or unreadable means "no stamp" (the site is then rebuilt, never trusted)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def install_site(opts: BuildOptions, sites: Mapping[int, Path], *, latest: int, layout: str, key: str) -> str:
    """Lay out ``sites`` in a new folder and swap it into ``_build/html`` at once; return what happened.

    ``_build/site.json`` records what the live site was made from (layout, editions and their
    fingerprints), so an unchanged rebuild leaves ``_build/html`` alone and a build of another edition or
    layout always replaces it.
    """
    site_dir = opts.build_dir / "html"
    stamp_path = opts.build_dir / "site.json"
    if (
        not opts.force
        and _read_stamp(stamp_path).get("fingerprint") == key
        and (site_dir / "index.html").is_file()
    ):
        return "unchanged"
    new = site.new_site_dir(site_dir)
    site.assemble_site(new, sites, latest=latest, layout=layout)
    stamp_path.unlink(missing_ok=True)
    site.swap_in(new, site_dir)
    stamp_path.write_text(
        json.dumps({"fingerprint": key, "layout": layout, "editions": sorted(sites)}), encoding="utf-8"
    )
    return "swapped"


#: Keys of ``_build/site.json`` saying what the live site was built from (``dcbook publish`` checks them).
ORIGIN_KEYS = ("root", "data_dir", "data_sha256", "run_id")


def record_site_origin(opts: BuildOptions, data_dir: Path) -> None:
    """Add to ``_build/site.json`` what the live site was built from: book root, data folder and its hash.

    Written after every successful build, also one that left ``_build/html`` unchanged, so the record
    always describes the data of the last build; ``dcbook publish`` compares it with the commit it names.
    """
    stamp_path = opts.build_dir / "site.json"
    stamp = _read_stamp(stamp_path)
    stamp.update(
        root=str(opts.root),
        data_dir=str(data_dir),
        data_sha256=inp.tree_hash(data_dir),
        run_id=opts.run_id,
    )
    tmp = stamp_path.with_name(f".{stamp_path.name}.tmp")
    tmp.write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, stamp_path)


@contextmanager
def build_session(opts: BuildOptions) -> Iterator[tuple[Path, list[inp.Page]]]:
    """Lock, recover an interrupted swap, validate the data once and read the toc: what every build needs."""
    opts.root = opts.root.resolve()
    data_dir = (opts.data_dir or opts.root / "data").resolve()
    from dcbook.pipeline.supervise import new_run_id, supervised_run

    opts.run_id = opts.run_id or new_run_id()
    with build_lock(opts.build_dir, opts.run_id), supervised_run(opts.run_id):
        site.recover_site(opts.build_dir / "html")
        if opts.validate is not None:
            validate_once(opts, data_dir)
        try:
            pages = inp.toc_pages(opts.root)
        except inp.BuildInputError as exc:
            raise BuildError(str(exc)) from exc
        yield data_dir, pages


def run_build(opts: BuildOptions) -> dict[str, Any]:
    """Build one edition (default: the latest) into ``_build/html``; return its build report.

    Raises :class:`BuildError`; the previous ``_build/html`` is then unchanged.
    """
    started = time.monotonic()
    with build_session(opts) as (data_dir, pages):
        edition = int(opts.edition) if opts.edition is not None else default_edition(data_dir)
        # "最新" in the switcher: the newest edition the data has (or this one, for data without sources).
        latest = max([edition, *edition_years(data_dir)])
        try:
            built = build_edition(opts, edition, data_dir, pages)
        except BuildError as exc:
            raise BuildError(f"{exc}\nthe previous site in {opts.build_dir / 'html'} is unchanged") from exc
        key = inp.sha256_bytes(json.dumps(["single", edition, built.fingerprint, latest]).encode("utf-8"))
        installed = install_site(opts, {edition: built.site}, latest=latest, layout="single", key=key)
        record_site_origin(opts, data_dir)
        report = built.report
        if installed == "unchanged":
            report["site"] = "unchanged"
            opts.console.print(
                f"[bold]site[/] unchanged since the last build: {opts.build_dir / 'html'} kept as is"
            )
        report["seconds"] = round(time.monotonic() - started, 2)
        _write_report(edition_dir(opts.build_dir, edition) / "build_report.json", report)
        counts = report["counts"]
        opts.console.print(
            f"[bold green]done[/] in {report['seconds']:.1f}s: {counts['executed']} executed, "
            f"{counts['cached']} cached → {opts.build_dir / 'html' / 'index.html'}"
        )
        return report


def run_all_editions(opts: BuildOptions) -> dict[str, Any]:
    """Build every available edition into ``_build/html/<year>/`` (the latest also at the root), swapped in at once.

    Every edition is executed and typeset before anything replaces the live site; when one fails the others
    still run (so one build reports every broken edition), and then :class:`BuildError` names each failed
    edition and chapter while the previous ``_build/html`` stays as it was.
    """
    started = time.monotonic()
    with build_session(opts) as (data_dir, pages):
        editions = available_editions(data_dir)
        opts.console.print(f"[bold]all editions[/]: {'、'.join(map(str, editions))}")
        builds: dict[int, EditionBuild] = {}
        errors: dict[int, str] = {}
        # An edition is typeset (Sphinx, then LaTeX: one core each) while the next one executes on the others.
        typesetter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="typeset")
        typesetting: dict[int, Future[EditionBuild]] = {}
        try:
            for edition in editions:
                try:
                    executed = execute_edition(opts, edition, data_dir, pages)
                except BuildError as exc:
                    opts.console.print(f"[red]edition {edition} failed[/]")
                    errors[edition] = str(exc)
                    continue
                typesetting[edition] = typesetter.submit(typeset_edition, opts, executed)
            for edition, future in typesetting.items():
                try:
                    builds[edition] = future.result()
                except BuildError as exc:
                    opts.console.print(f"[red]edition {edition} failed[/]")
                    errors[edition] = str(exc)
        except BaseException:
            # interrupted: stop a Sphinx or LaTeX still running for an earlier edition, then leave
            from dcbook.pipeline.supervise import kill_run

            kill_run(opts.run_id)
            raise
        finally:
            typesetter.shutdown(wait=True, cancel_futures=True)
        errors = dict(sorted(errors.items()))
        site_dir = opts.build_dir / "html"
        if errors:
            raise BuildError(
                "\n".join(errors.values())
                + f"\n{len(errors)} of {len(editions)} edition(s) failed; the previous site in {site_dir} is unchanged"
            )
        latest = editions[-1]
        key = inp.sha256_bytes(
            json.dumps(["all", [[e, b.fingerprint] for e, b in sorted(builds.items())]]).encode("utf-8")
        )
        installed = install_site(
            opts, {e: b.site for e, b in builds.items()}, latest=latest, layout="all", key=key
        )
        record_site_origin(opts, data_dir)
        summary = {
            "editions": editions,
            "latest": latest,
            "site": installed,
            "seconds": round(time.monotonic() - started, 2),
            "reports": {str(e): b.report for e, b in builds.items()},
        }
        _write_report(opts.build_dir / "all_editions_report.json", summary)
        executed = sum(b.report["counts"]["executed"] for b in builds.values())
        cached = sum(b.report["counts"]["cached"] for b in builds.values())
        opts.console.print(
            f"[bold green]done[/] in {summary['seconds']:.1f}s: {len(editions)} edition(s), {executed} chapter(s) "
            f"executed, {cached} cached; site {installed} → {site_dir}/<year>/ and {site_dir / 'index.html'}"
        )
        return summary


def _write_report(path: Path, report: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


# ---- command-line entry points ------------------------------------------------------------------------------


def main(args: argparse.Namespace) -> int:
    """``dcbook build``: exit 0 on success, 1 on a failed build, 130 when interrupted."""
    console = Console(stderr=True, highlight=False)
    all_editions = bool(getattr(args, "all_editions", False))
    if all_editions and args.edition is not None:
        console.print("[red]dcbook build: --all-editions builds every edition; drop --edition[/]")
        return 2
    data_dir = (args.data_dir or Path(args.root) / "data").resolve()
    opts = BuildOptions(
        root=args.root,
        data_dir=data_dir,
        edition=args.edition,
        jobs=args.jobs,
        force=args.force,
        strict=args.strict,
        pdf=not args.no_pdf,
        validate=validate_with_cli,
        console=console,
    )
    try:
        with sigterm_as_interrupt():
            if all_editions:
                run_all_editions(opts)
            else:
                run_build(opts)
    except KeyboardInterrupt:
        console.print("[red]build interrupted[/]: the previous site in _build/html is unchanged")
        return 130
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    except (site.SiteBuildError, inp.BuildInputError, PdfBuildError) as exc:
        print(f"build failed: {exc}\nthe previous site in _build/html is unchanged", file=sys.stderr)
        return 1
    except OSError as exc:  # a read-only or full _build, a vanished folder: one line, no traceback
        print(
            f"build failed: {os_error_text(exc)}\nthe previous site in _build/html is unchanged",
            file=sys.stderr,
        )
        return 1
    return 0


def os_error_text(exc: OSError) -> str:
    """``path: reason`` for an operating-system error (the path it concerns first, as every message here)."""
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    reason = exc.strerror or str(exc)
    return f"{' → '.join(names)}: {reason}" if names else reason


def serve(args: argparse.Namespace) -> int:
    """``dcbook serve``: preview ``_build/html`` on 127.0.0.1 only (never on the network)."""
    html = Path(args.root) / "_build" / "html"
    if not (html / "index.html").is_file():
        print(f"{html}: no built site; run `dcbook build` first", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OverflowError:
        print(f"dcbook serve: --port {args.port}: not a port number (0–65535)", file=sys.stderr)
        return 2
    except OSError as exc:
        reason = (
            "is in use by another program"
            if exc.errno == errno.EADDRINUSE
            else f"cannot be used: {exc.strerror}"
        )
        print(
            f"dcbook serve: port {args.port} on 127.0.0.1 {reason}; choose another with --port",
            file=sys.stderr,
        )
        return 1
    with server:
        print(f"serving {html} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
        with suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
