"""Guards around the build: children die with it (even ``kill -9``), run ids, pruning, one-line errors.

The mini book of ``test_build.py`` is reused; its chapter ``a`` sleeps ``MINI_SLEEP`` seconds, long enough
to kill a build while a kernel is busy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from test_build import RUNNER, _wait_for, make_book, options, statuses

from dcbook import build
from dcbook.pipeline import execute, site, supervise


def _gone(pid: int) -> bool:
    """Dead, or a zombie waiting for whoever adopted it (it runs nothing and holds no file)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def dangling(html: Path) -> list[str]:
    """Every relative link (a/link/script/img) of the site's pages that names no file inside the site."""
    from urllib.parse import unquote, urlsplit

    from bs4 import BeautifulSoup

    broken = []
    for page in html.rglob("*.html"):
        if page.relative_to(html).parts[0] == "_static":  # theme template fragments, not pages
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for el in soup.find_all(tag, attrs={attr: True}):
                url = str(el[attr]).strip()
                parts = urlsplit(url)
                if parts.scheme or url.startswith(("//", "#", "mailto:", "javascript:", "data:")):
                    continue
                target = (page.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file() or html.resolve() not in target.parents:
                    broken.append(f"{page.relative_to(html)}: <{tag} {attr}={url!r}>")
    return broken


DOWNLOAD = (
    "import csv\n"
    "target = Path(os.environ['DCBOOK_DOWNLOADS_DIR']) / 'a-chart.csv'\n"
    "target.write_text('年份,值\\n2021,' + value + '\\n', encoding='utf-8')\n"
)


def book_with_download(root: Path) -> Path:
    """The mini book whose chapter ``a`` writes a chart download and links it from its Markdown."""
    import nbformat
    from nbformat.v4 import new_markdown_cell
    from test_build import chapter

    make_book(root)
    nb = chapter("甲章", "x.csv", extra=DOWNLOAD)
    nb.cells.append(new_markdown_cell("[下载数据](../_static/downloads/a-chart.csv)"))
    nbformat.write(nb, root / "book" / "a.ipynb")
    return root


# ---- kill -9: no orphan, and the next build is whole --------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["execute", "sphinx"])
def test_kill_9_leaves_no_process_and_the_next_build_links_only_present_downloads(
    tmp_path: Path, phase: str
) -> None:
    root = book_with_download(tmp_path / "book")
    build.run_build(options(root))
    html = root / "_build" / "html"
    assert (html / "_static" / "downloads" / "a-chart.csv").is_file()
    (root / "data" / "x.csv").write_text("x2\n", encoding="utf-8")

    env = dict(os.environ, MINI_SLEEP="30" if phase == "execute" else "0")
    proc = subprocess.Popen([sys.executable, "-c", RUNNER, str(root), "2"], env=env, stderr=subprocess.PIPE)
    try:
        parent = psutil.Process(proc.pid)
        if phase == "execute":
            wanted = ("dcbook.pipeline.execute", "ipykernel")
            reads = root / "_build/executed/2021/reads"
            _wait_for(lambda: any(reads.glob("a.log.running*")), 120, "chapter a to start executing")
        else:
            wanted = ("jupyter_book",)
            marker = root / "_build/.staging/2021/src/_build" / site.OK_MARKER
            _wait_for(lambda: not marker.exists(), 240, "Sphinx to start")

        def started() -> bool:
            names = " ".join(" ".join(p.cmdline()) for p in parent.children(recursive=True))
            return all(w in names for w in wanted)

        _wait_for(started, 60, f"{wanted} to start")
        time.sleep(1.0)
        family = parent.children(recursive=True)
        run_id = (root / "_build" / ".lock").read_text(encoding="utf-8").split()[1]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # every descendant of the killed build (runners, kernels, Sphinx, the supervisor itself) goes in seconds
    _wait_for(lambda: all(_gone(p.pid) for p in family), 20, "the killed build's processes to end")
    assert supervise.processes_of_run(run_id) == []

    # an immediate rebuild: chapter a runs again if its killed run never finished; every link resolves
    done = build.run_build(options(root))
    assert statuses(done)["book/a"] == ("executed" if phase == "execute" else "cached")
    page = (html / "book" / "a.html").read_text(encoding="utf-8")
    assert "2021: x2" in page and "a-chart.csv" in page
    assert (html / "_static" / "downloads" / "a-chart.csv").read_text(encoding="utf-8").endswith("2021,x2\n")
    assert dangling(html) == []
    # no temporary of the killed run is left behind
    leftovers = [p.name for p in (root / "_build" / "executed" / "2021").rglob("*running*")]
    assert leftovers == []


def test_a_new_lock_holder_stops_the_previous_runs_processes(tmp_path: Path) -> None:
    """A build killed with its supervisor: the next build to take the lock stops what still runs."""
    run_id = supervise.new_run_id()
    orphan = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"],
        env=dict(os.environ, **{supervise.RUN_ENV_VAR: run_id}),
        start_new_session=True,
    )
    try:
        _wait_for(lambda: supervise.processes_of_run(run_id) == [orphan.pid], 10, "the orphan to start")
        (tmp_path / ".lock").write_text(f"999999 {run_id} build\n", encoding="utf-8")
        with build.build_lock(tmp_path, supervise.new_run_id()):
            assert orphan.wait(timeout=10) == -signal.SIGTERM
    finally:
        if orphan.poll() is None:
            orphan.kill()
            orphan.wait()


def test_the_supervisor_reaps_the_run_when_the_build_dies(tmp_path: Path) -> None:
    """Without the build's "done", the supervisor stops every process of the run once the pipe closes."""
    script = (
        "import os, subprocess, sys, time\n"
        "from dcbook.pipeline.supervise import supervised_run\n"
        "with supervised_run(sys.argv[1]):\n"
        "    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'],"
        " start_new_session=True)\n"
        "    print(child.pid, flush=True)\n"
        "    time.sleep(60)\n"
    )
    run_id = supervise.new_run_id()
    build_proc = subprocess.Popen([sys.executable, "-c", script, run_id], stdout=subprocess.PIPE, text=True)
    try:
        child = int(build_proc.stdout.readline()) if build_proc.stdout else 0
        assert not _gone(child)
        build_proc.kill()
        build_proc.wait(timeout=10)
        _wait_for(lambda: _gone(child), 15, "the supervisor to stop the orphan")
    finally:
        if build_proc.poll() is None:
            build_proc.kill()
            build_proc.wait()


# ---- run ids ---------------------------------------------------------------------------------------------------


def _job(tmp_path: Path, run_id: str) -> execute.Job:
    return execute.Job(
        chapter="book/a",
        source=tmp_path / "a.ipynb",
        output=tmp_path / "a.ipynb.out",
        failed_output=tmp_path / "a.failed.ipynb",
        reads_log=tmp_path / "a.log",
        downloads_dir=tmp_path / "downloads" / "a",
        parameters={},
        cwd=tmp_path,
        result=tmp_path / "runs" / "a.json",
        run_id=run_id,
    )


def test_a_result_written_by_another_run_is_never_accepted(tmp_path: Path) -> None:
    job = _job(tmp_path, "run-new")
    job.result.parent.mkdir(parents=True)
    late = {"chapter": "book/a", "ok": True, "run_id": "run-old", "seconds": 1.0}
    job.result.write_text(json.dumps(late), encoding="utf-8")
    assert execute.read_result(job) is None
    job.result.write_text(json.dumps(late | {"run_id": "run-new"}), encoding="utf-8")
    assert execute.read_result(job) == late | {"run_id": "run-new"}
    # and the manifest never records a chapter whose files are not the ones its run wrote
    job.output.write_text("written by this run", encoding="utf-8")
    job.downloads_dir.mkdir(parents=True)
    from dcbook.pipeline import inputs

    written = {
        "executed_sha": inputs.sha256_file(job.output),
        "downloads_sha": inputs.tree_hash(job.downloads_dir),
    }
    ours = execute.Outcome("book/a", 1.0, True, run_id="run-new", written=written)
    assert build.foreign_result(ours, job) == {}
    theirs = execute.Outcome("book/a", 1.0, True, run_id="run-old", written=written)
    assert "not this build's run run-new" in build.foreign_result(theirs, job)["exception"]
    job.output.write_text("replaced by an orphan", encoding="utf-8")
    assert "is not the copy this run wrote" in build.foreign_result(ours, job)["exception"]


@pytest.mark.slow
def test_every_chapter_result_names_the_run_that_wrote_it(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    opts = options(root)
    build.run_build(opts)
    manifest = json.loads((root / "_build" / "manifest.json").read_text(encoding="utf-8"))
    runs = {key: entry["run"] for key, entry in manifest["entries"].items()}
    assert set(runs) == {"2021/book/a", "2021/book/b", "2021/book/c"}
    assert set(runs.values()) == {opts.run_id}
    for stem in ("a", "b", "c"):
        result = json.loads((root / f"_build/executed/2021/runs/{stem}.json").read_text(encoding="utf-8"))
        assert result["run_id"] == opts.run_id


# ---- one clear line, never a traceback -------------------------------------------------------------------------


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dcbook", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=300,
    )


def _one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    html = tmp_path / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("<p>x</p>", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        err = _one_line_error(_cli("serve", "--root", str(tmp_path), "--port", str(port)))
    assert f"port {port}" in err and "in use" in err, err


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a folder unwritable even for root (``chattr +i``; plain permissions for other users)."""
    if os.geteuid() == 0:
        if (
            shutil.which("chattr") is None
            or subprocess.run(["chattr", "+i", str(path)], check=False).returncode
        ):
            pytest.skip("running as root without chattr +i: a folder cannot be made read-only")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        return
    mode = path.stat().st_mode
    path.chmod(0o555)
    try:
        yield
    finally:
        path.chmod(mode)


def test_a_read_only_build_folder_is_one_line(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    (root / "_build").mkdir()
    with read_only(root / "_build"):
        err = _one_line_error(_cli("build", "--root", str(root), "--no-pdf"))
    assert "_build/.lock: cannot open the build lock" in err, err
    assert len(err.strip().splitlines()) <= 2, err


def test_an_ingest_into_a_read_only_data_folder_is_one_line(tmp_path: Path) -> None:
    from test_ingest import FICTIONAL_REPORT

    from dcbook import DEFAULT_DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    report = tmp_path / "fict2034.txt"
    report.write_text(FICTIONAL_REPORT, encoding="utf-8")
    before = sorted(p.relative_to(data).as_posix() for p in data.rglob("*"))
    args = ["ingest", str(report), "--source-id", "fict2034", "--edition", "2034"]
    args += ["--title", "虚构测试报告（2034年）", "--published", "2035-04", "--data-dir", str(data)]
    with read_only(data), read_only(data / "raw"), read_only(data / "observations"):
        err = _one_line_error(_cli(*args))
    assert "cannot write" in err and str(data) in err, err
    assert sorted(p.relative_to(data).as_posix() for p in data.rglob("*")) == before


# ---- pruning, and a real build published -------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
def test_a_page_removed_from_the_toc_leaves_the_built_and_published_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Build and publish the mini book; drop a page from ``_toc.yml``; rebuild and publish: it is gone."""
    for var, value in (("NAME", "dcbook test"), ("EMAIL", "test@example.invalid")):
        monkeypatch.setenv(f"GIT_AUTHOR_{var}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{var}", value)
    root = book_with_download(tmp_path / "book")
    bare = tmp_path / "remote.git"
    _git(tmp_path, "init", "--quiet", "--bare", str(bare))
    _git(root, "init", "--quiet")
    (root / ".gitignore").write_text("_build/\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "--quiet", "-m", "mini book")
    html = root / "_build" / "html"

    def publish() -> list[str]:
        proc = _cli(
            "publish", "--repo", str(root), "--site", str(html), "--remote", str(bare), "--single-edition"
        )
        assert proc.returncode == 0, proc.stderr
        return _git(bare, "ls-tree", "-r", "--name-only", "gh-pages").split()

    build.run_build(options(root))
    files = publish()
    assert "book/b.html" in files and "_sources/book/b.ipynb" in files
    # the downloadable notebooks name no folder of this machine (publish would have refused them)
    notebook = _git(bare, "show", "gh-pages:_sources/book/a.ipynb")
    assert str(tmp_path) not in notebook and "data_dir = None" in notebook

    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    (root / "_toc.yml").write_text(toc.replace("  - file: book/b\n", ""), encoding="utf-8")
    (root / "book" / "_static" / "old.css").write_text("body{}\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "--quiet", "-m", "drop chapter b")
    build.run_build(options(root))
    assert (html / "_static" / "old.css").is_file()
    gone = [p.relative_to(html).as_posix() for p in html.rglob("*") if p.stem == "b"]
    assert gone == [], gone
    assert dangling(html) == []
    assert "book/b" not in (html / "book" / "a.html").read_text(encoding="utf-8")
    files = publish()
    assert "book/b.html" not in files and "_sources/book/b.ipynb" not in files

    # a static file deleted from the book goes from the site too
    (root / "book" / "_static" / "old.css").unlink()
    _git(root, "commit", "--quiet", "-am", "drop a stylesheet")
    build.run_build(options(root))
    assert not (html / "_static" / "old.css").exists()
    assert "_static/old.css" not in publish()


@pytest.mark.slow
def test_bad_data_stops_the_build_and_leaves_the_site_untouched(tmp_path: Path, clean_data_dir: Path) -> None:
    """The issue's published slip (5.5 万亿元 recorded as 亿元) through a build: refused, site byte-identical."""
    import bad_data
    from test_build import tree_digest

    root = make_book(tmp_path / "book")
    build.run_build(options(root))
    html = root / "_build" / "html"
    digest = tree_digest(html)
    data = tmp_path / "data"
    shutil.copytree(clean_data_dir, data)
    slip = next(c for c in bad_data.CLASSES if c.name.startswith("unit slip in a table row"))
    slip.mutate(data)
    with pytest.raises(build.BuildError) as info:
        build.run_build(options(root, data_dir=data, validate=build.validate_with_cli))
    assert re.search(
        r"data/observations/dcr2017\.csv:\d+: unit: '亿元' does not match the quote", str(info.value)
    )
    assert tree_digest(html) == digest


@pytest.mark.slow
def test_the_real_site_names_no_local_path(built_site: Path) -> None:
    """Pages, downloads and downloadable notebooks of the real book name no folder of the building machine."""
    from dcbook import REPO_ROOT
    from dcbook.publish import leaked_paths

    needles = sorted({str(built_site.parent.parent), str(REPO_ROOT), sys.prefix})
    assert any(built_site.rglob("*.ipynb")), "no downloadable notebook in the site"
    assert leaked_paths(built_site, needles) == []
