"""Executing chapters with papermill: a few warm worker processes, one chapter at a time each.

Each worker (``python -m dcbook.pipeline.execute RUNS_DIR PARENT_PID``) is started once per build and
edition and runs chapter after chapter, reading one job file path per line on its standard input and
answering with the exit code on its standard output. papermill, the prose renderer and vl-convert's
JavaScript engine are loaded once per worker instead of once per chapter (about two seconds of CPU a
chapter). Every chapter still gets a kernel of its own, started with the environment variables its readers
and chart renderer look at (``DCBOOK_READS_LOG``, ``DCBOOK_DOWNLOADS_DIR``) set for that chapter alone,
and its own log. Each worker runs in a process group of its own, so the build can stop it and what it
started when it is interrupted. A run writes to temporary names and renames on success: an interrupted or
failed run never replaces the last good executed copy, its reads log or its chart downloads.

Every job carries the build's run id (:mod:`dcbook.pipeline.supervise`): its temporary names contain it, so
two runs never share a file, and its result records it, so a build accepts only results its own run wrote —
a late write by an orphan of an earlier build is refused, never mistaken for this build's chapter.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dcbook import CHART_CACHE_ENV
from dcbook.data import TABLES_CACHE_ENV
from dcbook.provenance import ENV_VAR as READS_ENV_VAR

DOWNLOADS_ENV_VAR = "DCBOOK_DOWNLOADS_DIR"
#: Seconds one cell may run before papermill gives up (a hung kernel must not hang the build forever).
CELL_TIMEOUT = 1200
REMOVE_TAG = "remove-cell"


@dataclass(frozen=True)
class Job:
    """Everything one chapter execution needs; serialised to JSON for the child process."""

    chapter: str  # docname, e.g. book/01_overview
    source: Path
    output: Path  # the executed copy (replaced only on success)
    failed_output: Path  # where the executed copy with the traceback goes on failure
    reads_log: Path
    downloads_dir: Path
    parameters: dict[str, Any]
    cwd: Path
    result: Path
    run_id: str = ""
    #: the book root: absolute paths under it are written relative to it in the executed copy
    book_root: str = ""
    #: where the kernels keep the validated data tables between chapters (:data:`dcbook.data.TABLES_CACHE_ENV`)
    tables_cache: str = ""
    #: where the worker keeps converted chart images by content (:data:`dcbook.CHART_CACHE_ENV`)
    chart_cache: str = ""

    def to_json(self) -> str:
        data = {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Job:
        data = json.loads(text)
        paths = {"source", "output", "failed_output", "reads_log", "downloads_dir", "cwd", "result"}
        return cls(**{k: (Path(v) if k in paths else v) for k, v in data.items()})


@dataclass
class Outcome:
    """What happened to one chapter; ``error`` is set when it failed."""

    chapter: str
    seconds: float
    ok: bool
    error: dict[str, Any] = field(default_factory=dict)
    run_id: str = ""
    #: what the run wrote: ``executed_sha`` (the executed copy) and ``downloads_sha`` (its chart downloads)
    written: dict[str, str] = field(default_factory=dict)


def tag_removed_cells(path: Path) -> None:
    """Tag papermill's ``injected-parameters`` cell (and the ``parameters`` cell) ``remove-cell``.

    papermill re-creates the injected cell on every run without tags of ours; parameters are plumbing
    and must never appear in the book.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    changed = False
    for cell in nb.get("cells", []):
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if ("injected-parameters" in tags or "parameters" in tags) and REMOVE_TAG not in tags:
            tags.append(REMOVE_TAG)
            changed = True
    if changed:
        path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def portable_value(value: str, job: Job) -> str | None:
    """What an absolute path parameter becomes in the executed copy: ``None`` for the book's own ``data/``
    (the notebooks' default), else the path relative to the notebook's folder when inside the book, else
    ``None`` — a published notebook never names a folder of the machine that built it."""
    if not job.book_root:
        return None
    root = Path(job.book_root)
    path = Path(value)
    if path == root / "data":
        return None
    if path.is_relative_to(root):
        return os.path.relpath(path, job.cwd)
    return None


def make_portable(path: Path, job: Job) -> None:
    """Remove the build machine's absolute paths from an executed copy (it is published as a download).

    papermill writes the parameters into the injected cell (``data_dir = "/home/…/data"``) and its
    metadata (``input_path``, ``output_path``, ``parameters``); each becomes :func:`portable_value` or a
    path relative to the book root.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    absolute = {
        name: value
        for name, value in job.parameters.items()
        if isinstance(value, str) and os.path.isabs(value)
    }
    for cell in nb.get("cells", []):
        if "injected-parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        text = source if isinstance(source, str) else "".join(source)
        for name, value in absolute.items():
            portable = portable_value(value, job)
            literal = "None" if portable is None else json.dumps(portable, ensure_ascii=False)
            for quoted in (json.dumps(value, ensure_ascii=False), repr(value)):
                text = text.replace(f"{name} = {quoted}", f"{name} = {literal}")
        cell["source"] = text
    meta = nb.get("metadata", {}).get("papermill", {})
    if isinstance(meta, dict):
        if job.book_root:
            for key, where in (("input_path", job.source), ("output_path", job.output)):
                if isinstance(meta.get(key), str):
                    with contextlib.suppress(ValueError):
                        meta[key] = where.relative_to(job.book_root).as_posix()
        params = meta.get("parameters")
        if isinstance(params, dict):
            for name, value in absolute.items():
                if params.get(name) == value:
                    params[name] = portable_value(value, job)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _source_cell_index(executed: Path, cell_index: int) -> int:
    """Map papermill's cell index (injected cell counted) to the committed notebook's index.

    The saved copy also holds papermill's error-marker cells, which did not exist when the index was taken.
    """
    try:
        cells = json.loads(executed.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return cell_index
    tags = [c.get("metadata", {}).get("tags", []) for c in cells]
    tags = [t for t in tags if "papermill-error-cell-tag" not in t]
    injected = [i for i, t in enumerate(tags) if "injected-parameters" in t]
    return cell_index - 1 if injected and injected[0] < cell_index else cell_index


def render_prose(job: Job, executed: Path) -> dict[str, Any] | None:
    """Render the executed notebook's Markdown templates and chart directives in place (dcbook.prose).

    Returns the error dict for a template that cannot be rendered (named like a failing cell), else None.
    The templates' shared phrases are read from ``_templates/`` beside the notebook.
    """
    from dcbook import prose

    where = f"edition {job.parameters.get('edition')}, chapter {job.chapter}"
    try:
        prose.render_file(executed, job.source.parent / prose.engine.TEMPLATES_DIR, where=where)
    except prose.ProseError as exc:
        cell = getattr(exc, "cell", None)
        source = ""
        if cell is not None:
            cell = _source_cell_index(executed, cell)
            cells = json.loads(job.source.read_text(encoding="utf-8")).get("cells", [])
            if 0 <= cell < len(cells):
                src = cells[cell].get("source", "")
                source = src if isinstance(src, str) else "".join(src)
        return {"cell_index": cell, "source": source, "exception": f"ProseError: {exc}"}
    return None


#: jupyter_client's message for a kernel that exited while starting (seen under load when two kernels start at
#: once): no cell has run, so the chapter is started once more before the failure is reported.
KERNEL_START_FAILURE = "Kernel died before replying to kernel_info"


def _execute_with_one_restart(papermill: Any, job: Job, running: Path, result: dict[str, Any]) -> None:
    """papermill on ``job``; a kernel that dies before its first reply is restarted once (``result["restarts"]``).

    In a worker the kernel is a fork of the worker's zygote (:mod:`dcbook.pipeline.kernels`)."""
    from dcbook.pipeline.kernels import manager_options

    for attempt in (1, 2):
        try:
            papermill.execute_notebook(
                str(job.source),
                str(running),
                parameters=job.parameters,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                cwd=str(job.cwd),
                execution_timeout=CELL_TIMEOUT,
                # Saving after every cell rewrites megabytes of chart output each time; the copy is written
                # once at the end (and on failure, with the traceback).
                request_save_on_cell_execute=False,
                autosave_cell_every=0,
                **manager_options(),
            )
            return
        except RuntimeError as exc:
            if attempt == 2 or KERNEL_START_FAILURE not in str(exc):
                raise
            result["restarts"] = 1


def run_job(job: Job) -> int:
    """Child-process body: execute one notebook with papermill and write ``job.result`` (exit 0/1)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from dcbook.pipeline.inputs import sha256_file, tree_hash

    tag = job.run_id or str(os.getpid())
    running = job.output.with_name(f"{job.output.stem}.running-{tag}.ipynb")
    downloads_tmp = job.downloads_dir.with_name(f"{job.downloads_dir.name}.running-{tag}")
    reads_tmp = job.reads_log.with_name(f"{job.reads_log.name}.running-{tag}")
    remove_stale_temporaries(job)
    downloads_tmp.mkdir(parents=True)
    reads_tmp.parent.mkdir(parents=True, exist_ok=True)
    reads_tmp.write_text("", encoding="utf-8")
    running.parent.mkdir(parents=True, exist_ok=True)
    os.environ[READS_ENV_VAR] = str(reads_tmp)
    os.environ[DOWNLOADS_ENV_VAR] = str(downloads_tmp)
    if job.tables_cache:
        os.environ[TABLES_CACHE_ENV] = job.tables_cache
    if job.chart_cache:
        os.environ[CHART_CACHE_ENV] = job.chart_cache

    start = time.monotonic()
    result: dict[str, Any] = {"chapter": job.chapter, "ok": False, "run_id": job.run_id}
    try:
        _execute_with_one_restart(papermill, job, running, result)
    except PapermillExecutionError as exc:
        result["error"] = {
            "cell_index": _source_cell_index(running, exc.cell_index),
            "executed_cell_index": exc.cell_index,
            "source": exc.source,
            "exception": f"{exc.ename}: {exc.evalue}",
        }
    except Exception as exc:  # kernel died, notebook unreadable, timeout: reported, never hidden
        result["error"] = {"cell_index": None, "source": "", "exception": f"{type(exc).__name__}: {exc}"}
    else:
        result["kernel_seconds"] = round(time.monotonic() - start, 3)
        prose_error = render_prose(job, running)
        if prose_error is not None:
            result["error"] = prose_error
    if "error" not in result:
        make_portable(running, job)
        tag_removed_cells(running)
        os.replace(running, job.output)
        if job.downloads_dir.exists():
            shutil.rmtree(job.downloads_dir)
        os.replace(downloads_tmp, job.downloads_dir)
        os.replace(reads_tmp, job.reads_log)
        result["ok"] = True
        result["written"] = {
            "executed_sha": sha256_file(job.output),
            "downloads_sha": tree_hash(job.downloads_dir),
        }
    if not result["ok"]:
        if running.exists():
            tag_removed_cells(running)
            os.replace(running, job.failed_output)
            result["error"]["saved"] = str(job.failed_output)
        else:
            result["error"]["saved"] = None
        shutil.rmtree(downloads_tmp, ignore_errors=True)
        reads_tmp.unlink(missing_ok=True)
    result["seconds"] = round(time.monotonic() - start, 3)
    tmp_result = job.result.with_name(f".{job.result.name}.{tag}.tmp")
    tmp_result.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp_result, job.result)
    return 0 if result["ok"] else 1


def remove_stale_temporaries(job: Job) -> None:
    """Delete the temporary files of earlier runs of this chapter (killed before they could rename them).

    Each run's temporaries carry its run id; the build that starts this job has already stopped every
    process of earlier runs (:func:`dcbook.pipeline.supervise.kill_run`), so nothing still writes to them.
    """
    patterns = [
        (job.output.parent, f"{job.output.stem}.running*.ipynb"),
        (job.downloads_dir.parent, f"{job.downloads_dir.name}.running*"),
        (job.reads_log.parent, f"{job.reads_log.name}.running*"),
    ]
    for folder, pattern in patterns:
        if not folder.is_dir():
            continue
        for stale in folder.glob(pattern):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


def _redirect_output(log: Path) -> None:
    """Point this process's stdout and stderr (and so the next kernel's) at ``log``, truncated."""
    sys.stdout.flush()
    sys.stderr.flush()
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.dup2(fd, 1)
        os.dup2(fd, 2)
    finally:
        os.close(fd)


def notebook_imports(notebooks: Iterable[Path]) -> list[str]:
    """The modules the notebooks' code cells import (``import x``, ``from x import y``), sorted.

    What a worker's zygote imports before it forks the chapters' kernels: each kernel then has them
    already. A cell that is not plain Python (IPython magics) is skipped, and so is an unreadable notebook:
    this only decides what is loaded ahead; the kernel itself imports whatever is missing.
    """
    found: set[str] = set()
    for path in notebooks:
        try:
            cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse(source if isinstance(source, str) else "".join(source))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module)
    return sorted(found)


def serve(commands: Any, replies: Any, preload: Sequence[str] = ()) -> int:
    """Worker body: run the job whose spec path is each line of ``commands``; answer each with its exit code.

    The environment is restored after every job, so one chapter's variables never reach the next one's
    kernel. A job that cannot even be read ends the worker with a traceback in the job's log: the runner
    then reports the chapter failed with that log and starts a fresh worker for the next chapter.
    """
    from dcbook.pipeline.kernels import Zygote

    zygote = Zygote(preload)
    zygote.start()  # its imports run while this worker loads its own
    try:
        import papermill  # noqa: F401  (loaded once: what the worker is for)

        from dcbook import prose  # noqa: F401

        if not zygote.wait_ready():
            sys.stderr.write("worker: no zygote; chapters run in ordinary kernels\n")
        return _serve_jobs(commands, replies)
    finally:
        zygote.stop()


def _serve_jobs(commands: Any, replies: Any) -> int:
    base_env = dict(os.environ)
    for line in commands:
        spec = Path(line.strip())
        if not line.strip():
            continue
        job = Job.from_json(spec.read_text(encoding="utf-8"))
        _redirect_output(job.result.with_suffix(".log"))
        try:
            code = run_job(job)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.environ.clear()
            os.environ.update(base_env)
        replies.write(f"{code}\n")
        replies.flush()
    return 0


@dataclass
class _Worker:
    """One worker process and the pipes the runner talks to it through."""

    proc: subprocess.Popen[str]
    log: Path


class Runner:
    """Runs jobs in ``jobs`` warm worker processes, one chapter at a time each; :meth:`kill_all` stops them all."""

    def __init__(self, jobs: int, preload: Sequence[str] = ()) -> None:
        self.jobs = max(1, int(jobs))
        #: modules each worker's zygote imports before forking kernels (:func:`notebook_imports`)
        self.preload = list(preload)
        self._workers: dict[int, _Worker] = {}  # by the thread that started (and alone talks to) it
        self._lock = threading.Lock()
        self._stopping = False

    def _worker(self, runs_dir: Path) -> _Worker:
        """This thread's worker, started when it has none or its last one died.

        Started from the thread that uses it: the worker's parent-death signal fires when that thread
        ends, and the pool's threads outlive every job.
        """
        me = threading.get_ident()
        with self._lock:
            if self._stopping:
                raise KeyboardInterrupt
            worker = self._workers.get(me)
            if worker is not None and worker.proc.poll() is None:
                return worker
            runs_dir.mkdir(parents=True, exist_ok=True)
            log = runs_dir / f"worker-{len(self._workers)}-{os.getpid()}.log"
            with open(log, "wb") as handle:
                proc = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "dcbook.pipeline.execute",
                        str(runs_dir),
                        str(os.getpid()),
                        ",".join(self.preload),
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=handle,
                    text=True,
                    encoding="utf-8",
                    start_new_session=True,  # own process group: kill_all reaches what it started too
                )
            worker = self._workers[me] = _Worker(proc, log)
            return worker

    def _run_one(self, job: Job) -> Outcome:
        job.result.unlink(missing_ok=True)
        job.result.parent.mkdir(parents=True, exist_ok=True)
        spec = job.result.with_suffix(".job.json")
        spec.write_text(job.to_json(), encoding="utf-8")
        log = job.result.with_suffix(".log")
        log.unlink(missing_ok=True)
        start = time.monotonic()
        worker = self._worker(job.result.parent)
        answer = ""
        try:
            assert worker.proc.stdin is not None and worker.proc.stdout is not None
            worker.proc.stdin.write(f"{spec}\n")
            worker.proc.stdin.flush()
            answer = worker.proc.stdout.readline()
        except (BrokenPipeError, OSError):
            answer = ""
        seconds = time.monotonic() - start
        code: int | None = None
        if not answer:  # the worker died with this chapter: it is replaced for the next one
            code = worker.proc.wait()
            for pipe in (worker.proc.stdin, worker.proc.stdout):
                with contextlib.suppress(OSError):
                    if pipe is not None:
                        pipe.close()
        result = read_result(job)
        if result is not None:
            return Outcome(
                job.chapter,
                result.get("seconds", seconds),
                bool(result["ok"]),
                result.get("error", {}),
                run_id=str(result.get("run_id", "")),
                written=dict(result.get("written", {})),
            )
        tail = ""
        for where in (log, worker.log):
            if where.is_file():
                tail += where.read_text(encoding="utf-8", errors="replace")[-2000:]
        status = f"exited with code {code}" if code is not None else f"answered {answer.strip()!r}"
        return Outcome(
            job.chapter,
            seconds,
            False,
            {
                "cell_index": None,
                "source": "",
                "saved": None,
                "exception": (
                    f"executor process {status} without a result of this run "
                    f"({job.run_id or 'no run id'}); log {log}:\n{tail}"
                ),
            },
        )

    def kill_all(self) -> None:
        """Terminate every worker (process group: worker and kernel), then make sure."""
        with self._lock:
            self._stopping = True
            procs = [w.proc for w in self._workers.values()]
        for proc in procs:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()

    def close(self) -> None:
        """Let every worker finish: end of input, a few seconds to exit, then killed."""
        with self._lock:
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            with contextlib.suppress(OSError):
                if worker.proc.stdin is not None:
                    worker.proc.stdin.close()
        for worker in workers:
            try:
                worker.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(worker.proc, signal.SIGKILL)
                worker.proc.wait()
            if worker.proc.stdout is not None:
                worker.proc.stdout.close()

    def run(
        self, jobs: Sequence[Job], on_done: Callable[[Outcome], None], on_start: Callable[[Job], None]
    ) -> list[Outcome]:
        """Run ``jobs``; every chapter runs even if another fails. Ctrl-C kills all and re-raises."""
        outcomes: list[Outcome] = []
        pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="chapter")
        futures: dict[Future[Outcome], Job] = {}
        try:
            for job in jobs:
                futures[pool.submit(self._started(job, on_start))] = job
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    outcomes.append(outcome)
                    on_done(outcome)
        except BaseException:
            for future in futures:
                future.cancel()
            self.kill_all()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        self.close()  # before the pool's threads end: each worker dies with the thread that started it
        pool.shutdown(wait=True)
        return outcomes

    def _started(self, job: Job, on_start: Callable[[Job], None]) -> Callable[[], Outcome]:
        def task() -> Outcome:
            on_start(job)
            return self._run_one(job)

        return task


def read_result(job: Job) -> dict[str, Any] | None:
    """The result file of ``job`` if this run wrote it; ``None`` when missing, unreadable or another run's.

    A result naming another run id was written by a process of an earlier build (an orphan finishing late):
    it says nothing about this run's chapter and is never accepted.
    """
    try:
        result = json.loads(job.result.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(result, dict) or result.get("run_id", "") != job.run_id:
        return None
    return result


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


if __name__ == "__main__":
    # Worker process: a SIGTERM from the build ends papermill through KeyboardInterrupt, so the kernel
    # it started is shut down rather than orphaned. The exit codes go out on a copy of the original
    # standard output; fds 1 and 2 are pointed at each chapter's log.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if len(sys.argv) > 2:
        # killed with the build, even by SIGKILL (the supervisor then stops the kernel)
        from dcbook.pipeline.supervise import die_with_parent

        die_with_parent(signal.SIGKILL, expected_parent=int(sys.argv[2]))
    with os.fdopen(os.dup(1), "w", encoding="utf-8") as replies:
        os.dup2(2, 1)  # nothing but an answer may reach the runner's pipe
        try:
            preload = [m for m in (sys.argv[3] if len(sys.argv) > 3 else "").split(",") if m]
            sys.exit(serve(sys.stdin, replies, preload))
        except KeyboardInterrupt:
            sys.exit(130)
