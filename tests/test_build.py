"""The build pipeline on tiny throwaway books: incremental decisions, failures, interrupts, locking, nbstrip.

The mini book has three chapters: ``a`` reads ``data/x.csv``, ``b`` reads ``data/y.csv`` and ``c`` reads
nothing. Each imports ``dcbook`` and records its reads through :mod:`dcbook.provenance` exactly as the
data API does, so the manifest learns the real inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from rich.console import Console

from dcbook import build, schema
from dcbook.pipeline import inputs, nbstrip, site

CONFIG = """\
title: 迷你书
author: 测试
language: zh_CN
only_build_toc_files: true
execute:
  execute_notebooks: "off"
sphinx:
  config:
    language: zh_CN
    html_search_language: zh
    html_static_path: [book/_static]
"""
TOC = """\
format: jb-book
root: book/a
chapters:
  - file: book/b
  - file: book/c
  - file: book/build_info
"""


def chapter(title: str, reads: str | None, extra: str = "") -> nbformat.NotebookNode:
    """A chapter notebook: parameters cell, a reader that goes through dcbook.provenance, printed output."""
    read = (
        f"path = Path(data_dir or 'data') / {reads!r}\n"
        "record_read(path)\n"
        "value = path.read_text(encoding='utf-8').strip()\n"
        if reads
        else "value = 'none'\n"
    )
    cells = [
        new_code_cell("edition = None\ndata_dir = None"),
        new_code_cell(
            "import os, time\nfrom pathlib import Path\nfrom dcbook.provenance import record_read\n"
            "time.sleep(float(os.environ.get('MINI_SLEEP', '0')))\n" + read + extra
        ),
        new_markdown_cell(f"# {title}\n\n这是测试章节，显示读取到的数值。"),
        new_code_cell("print(f'{edition}: {value}')"),
    ]
    cells[0].metadata["tags"] = ["parameters", "remove-cell"]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def make_book(root: Path) -> Path:
    (root / "book" / "_static").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (root / "_toc.yml").write_text(TOC, encoding="utf-8")
    (root / "data" / "x.csv").write_text("x1\n", encoding="utf-8")
    (root / "data" / "y.csv").write_text("y1\n", encoding="utf-8")
    # the catalogue every data folder has (the search page's term dictionary reads it); no indicator in it
    (root / "data" / "indicators.csv").write_text(
        ",".join(schema.INDICATORS.columns) + "\n", encoding="utf-8"
    )
    (root / "book" / "build_info.md").write_text("# 构建信息\n\n占位。\n", encoding="utf-8")
    nbformat.write(chapter("甲章", "x.csv"), root / "book" / "a.ipynb")
    nbformat.write(chapter("乙章", "y.csv"), root / "book" / "b.ipynb")
    nbformat.write(chapter("丙章", None), root / "book" / "c.ipynb")
    return root


def options(root: Path, **kw: object) -> build.BuildOptions:
    kw = {"jobs": 2, **kw}
    return build.BuildOptions(root=root, edition=2021, console=Console(quiet=True), **kw)  # type: ignore[arg-type]


def statuses(report: dict) -> dict[str, str]:
    return {c["chapter"]: c["status"] for c in report["chapters"]}


def reasons(report: dict) -> dict[str, str | None]:
    return {c["chapter"]: c["reason"] for c in report["chapters"]}


def tree_digest(path: Path) -> str:
    """Names, contents and modes of every file under ``path``: equal digests = byte-identical trees."""
    digest = hashlib.sha256()
    for file in sorted(path.rglob("*")):
        digest.update(file.relative_to(path).as_posix().encode())
        if file.is_file():
            digest.update(file.read_bytes())
    return digest.hexdigest()


# ---- fast unit tests -------------------------------------------------------------------------------------------


def test_toc_pages_in_reading_order(tmp_path: Path) -> None:
    make_book(tmp_path)
    pages = inputs.toc_pages(tmp_path)
    assert [p.docname for p in pages] == ["book/a", "book/b", "book/c", "book/build_info"]
    assert [p.is_notebook for p in pages] == [True, True, True, False]


def test_toc_entry_without_file_is_named(tmp_path: Path) -> None:
    make_book(tmp_path)
    (tmp_path / "_toc.yml").write_text(TOC + "  - file: book/missing\n", encoding="utf-8")
    with pytest.raises(
        inputs.BuildInputError, match=r"_toc.yml: entry 'book/missing': no book/missing.ipynb"
    ):
        inputs.toc_pages(tmp_path)


def test_notebook_hash_ignores_outputs_but_not_code(tmp_path: Path) -> None:
    path = tmp_path / "n.ipynb"
    nb = chapter("章", "x.csv")
    nbformat.write(nb, path)
    before = inputs.notebook_hash(path)
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="2021: x1\n")]
    nb.cells[3].execution_count = 7
    nbformat.write(nb, path)
    assert inputs.notebook_hash(path) == before
    nb.cells[3].source += "\nprint('more')"
    nbformat.write(nb, path)
    assert inputs.notebook_hash(path) != before


def test_templates_hash_covers_the_phrases_not_the_page_templates(tmp_path: Path) -> None:
    """Chapters are rendered with the shared phrases, so a phrase edit re-executes them; the build's own page
    templates (``_templates/pages/``, the 构建信息 page) are not read by any chapter."""
    (tmp_path / "_templates" / "pages").mkdir(parents=True)
    nb = tmp_path / "a.ipynb"
    (tmp_path / "_templates" / "phrases.jinja").write_text(
        "{% macro x() %}甲{% endmacro %}", encoding="utf-8"
    )
    (tmp_path / "_templates" / "pages" / "build_info.md").write_text("# 构建信息\n", encoding="utf-8")
    before = inputs.templates_hash(nb)
    (tmp_path / "_templates" / "pages" / "build_info.md").write_text("# 构建信息（改）\n", encoding="utf-8")
    assert inputs.templates_hash(nb) == before
    (tmp_path / "_templates" / "phrases.jinja").write_text(
        "{% macro x() %}乙{% endmacro %}", encoding="utf-8"
    )
    assert inputs.templates_hash(nb) != before


def test_cache_decision_names_the_changed_input(tmp_path: Path) -> None:
    make_book(tmp_path)
    executed = tmp_path / "out.ipynb"
    executed.write_text("{}", encoding="utf-8")
    downloads = tmp_path / "dl"
    current = {"notebook": "n", "templates": "t", "renderer": "p", "parameters": "q", "requirements": "r"}
    module = tmp_path / "mod.py"
    module.write_text("x = 1\n", encoding="utf-8")
    entry = {
        "inputs": dict(current),
        "reads": inputs.hash_reads([tmp_path / "data" / "x.csv"], tmp_path),
        "code": inputs.hash_reads([module], tmp_path),
        "executed_sha": inputs.sha256_file(executed),
        "downloads_sha": inputs.tree_hash(downloads),
    }
    decide = inputs.cache_decision
    assert decide(entry, current, tmp_path, executed, downloads) is None
    assert decide(None, current, tmp_path, executed, downloads) == "never executed"
    assert (
        decide(entry, current | {"renderer": "p2"}, tmp_path, executed, downloads)
        == "prose renderer code changed"
    )
    module.write_text("x = 1  # a comment\n", encoding="utf-8")
    assert decide(entry, current, tmp_path, executed, downloads) == "code changed: mod.py"
    module.write_text("x = 1\n", encoding="utf-8")
    assert decide(entry, current | {"parameters": "e"}, tmp_path, executed, downloads) == "parameters changed"
    assert (
        decide(entry, current | {"templates": "t2"}, tmp_path, executed, downloads)
        == "shared phrases (_templates/) changed"
    )
    (tmp_path / "data" / "y.csv").write_text("other\n", encoding="utf-8")  # not read: no effect
    assert decide(entry, current, tmp_path, executed, downloads) is None
    (tmp_path / "data" / "x.csv").write_text("x2\n", encoding="utf-8")
    assert decide(entry, current, tmp_path, executed, downloads) == "data changed: data/x.csv"
    (tmp_path / "data" / "x.csv").write_text("x1\n", encoding="utf-8")
    executed.write_text('{"edited": 1}', encoding="utf-8")
    assert decide(entry, current, tmp_path, executed, downloads) == "executed copy missing or modified"


def test_second_build_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    with (
        build.build_lock(tmp_path),
        pytest.raises(build.BuildLocked, match=r"\.lock: another build is running"),
        build.build_lock(tmp_path),
    ):
        pass
    with build.build_lock(tmp_path):  # released again
        pass


def test_swap_recovery_restores_the_previous_site(tmp_path: Path) -> None:
    html = tmp_path / "html"
    old = tmp_path / ".html.old"
    old.mkdir()
    (old / "index.html").write_text("old site", encoding="utf-8")
    site.recover_site(html)  # as if SIGKILL hit between the two renames
    assert (html / "index.html").read_text(encoding="utf-8") == "old site"
    new = site.new_site_dir(html)
    new.mkdir()
    (new / "index.html").write_text("new site", encoding="utf-8")
    site.swap_in(new, html)
    assert (html / "index.html").read_text(encoding="utf-8") == "new site"
    assert not old.exists() and not new.exists()


def test_data_vintage_and_visible_sources(tmp_path: Path) -> None:
    (tmp_path / "sources.csv").write_text(
        "source_id,title,publisher,published,edition_year,kind,file,url\n"
        "a,甲,机构,2018-05,2017,yearly_report,raw/a.txt,\n"
        "b,乙,机构,2022-07,2021,yearly_report,raw/b.txt,\n",
        encoding="utf-8",
    )
    visible = build.visible_sources(tmp_path, 2020)
    assert [s["source_id"] for s in visible] == ["a"]
    assert build.data_vintage(visible) == "2018年5月"
    assert build.data_vintage(build.visible_sources(tmp_path, 2021)) == "2022年7月"


def test_nbstrip_keeps_only_checked_outputs(tmp_path: Path) -> None:
    nb = new_notebook(
        cells=[
            new_code_cell("x = 1", outputs=[nbformat.v4.new_output("stream", name="stdout", text="noise")]),
            new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(6 * 7)"),
            new_markdown_cell("# 标题"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells[0].execution_count = 3
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="41\n")]  # stale expectation
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert nbstrip.nbstrip([path]) == [path]
    stripped = nbformat.read(path, as_version=4)
    assert stripped["cells"][0]["outputs"] == [] and stripped["cells"][0]["execution_count"] is None
    assert stripped["cells"][1]["outputs"][0]["text"] == "41\n"  # kept as is without --refresh
    assert nbstrip.nbstrip([path]) == []  # idempotent
    assert nbstrip.nbstrip([path], refresh=True) == [path]
    refreshed = nbformat.read(path, as_version=4)
    assert refreshed["cells"][1]["outputs"][0]["text"] == "42\n"
    assert refreshed["cells"][0]["outputs"] == []


# ---- builds of the mini book (Sphinx runs: slower) ---------------------------------------------------------------


@pytest.mark.slow
def test_incremental_rebuilds(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    first = build.run_build(options(root))
    assert statuses(first) == {"book/a": "executed", "book/b": "executed", "book/c": "executed"}
    html = root / "_build" / "html"
    assert (html / "book" / "b.html").is_file()
    assert "2021: y1" in (html / "book" / "b.html").read_text(encoding="utf-8")
    report = json.loads(
        (root / "_build" / "executed" / "2021" / "build_report.json").read_text(encoding="utf-8")
    )
    assert {c["chapter"]: c["reads"] for c in report["chapters"]} == {
        "book/a": ["data/x.csv"],
        "book/b": ["data/y.csv"],
        "book/c": [],
    }
    assert "构建信息" in (html / "book" / "build_info.html").read_text(encoding="utf-8")
    # the injected-parameters cell is tagged away: parameters never show in the book
    executed = json.loads((root / "_build/executed/2021/book/a.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in executed["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert injected and "remove-cell" in injected[0]["metadata"]["tags"]
    assert "injected-parameters" not in (html / "book" / "a.html").read_text(encoding="utf-8")

    # nothing changed: every chapter reused and the site left as it is
    digest = tree_digest(html)
    second = build.run_build(options(root))
    assert set(statuses(second).values()) == {"cached"}, reasons(second)
    assert second["site"] == "unchanged"
    assert tree_digest(html) == digest

    # one data file changed: exactly the chapter that read it re-executes
    (root / "data" / "y.csv").write_text("y2\n", encoding="utf-8")
    third = build.run_build(options(root))
    assert statuses(third) == {"book/a": "cached", "book/b": "executed", "book/c": "cached"}
    assert third["chapters"][1]["reason"] == "data changed: data/y.csv"
    assert "2021: y2" in (html / "book" / "b.html").read_text(encoding="utf-8")

    # a different edition is a different parameter set: re-executed, the 2021 cache is kept
    fourth = build.run_build(build.BuildOptions(root=root, edition=2020, jobs=2, console=Console(quiet=True)))
    assert set(statuses(fourth).values()) == {"executed"}
    assert "2020: y2" in (html / "book" / "b.html").read_text(encoding="utf-8")
    fifth = build.run_build(options(root))
    assert set(statuses(fifth).values()) == {"cached"}
    # the 2021 edition is typeset already (reused, no Sphinx) but must replace the 2020 site now live
    assert fifth["site"] == "reused"
    assert "2021: y2" in (html / "book" / "b.html").read_text(encoding="utf-8")


def test_a_kernel_records_the_dcbook_modules_it_imports_and_only_those(tmp_path: Path) -> None:
    """As in a chapter's kernel: with the reads log set, importing dcbook logs each dcbook module imported,
    as its source file, apart from the data files; the build and publishing code never appear."""
    from dcbook import provenance

    log = tmp_path / "reads.log"
    env = {**os.environ, provenance.ENV_VAR: str(log)}
    code = "import dcbook.fmt\nfrom dcbook.provenance import record_read\nrecord_read('data/x.csv')\n"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path)
    names = {p.name for p in provenance.read_modules(log)}
    assert {"__init__.py", "provenance.py", "fmt.py", "units.py"} <= names
    assert not names & {"build.py", "publish.py", "data.py", "execute.py"}
    assert provenance.read_log(log) == [(tmp_path / "data" / "x.csv").resolve()]


def test_code_closure_follows_imports_inside_functions_and_parent_packages(tmp_path: Path) -> None:
    pkg = tmp_path / "dcbook"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "a.py").write_text(
        "from dcbook import b\n\ndef f():\n    import dcbook.c\n    from json import dumps\n",
        encoding="utf-8",
    )
    (pkg / "b.py").write_text("X = 1\n", encoding="utf-8")
    (pkg / "c.py").write_text("from dcbook.b import X\n", encoding="utf-8")
    (pkg / "unused.py").write_text("", encoding="utf-8")
    found = [p.relative_to(pkg).as_posix() for p in inputs.code_closure(["dcbook.sub.a"], pkg)]
    assert found == ["__init__.py", "b.py", "c.py", "sub/__init__.py", "sub/a.py"]
    # the real renderer: the prose package and what it imports, never the build, PDF or publishing code
    real = {p.name for p in inputs.code_closure(inputs.RENDERER_MODULES)}
    assert {"engine.py", "filters.py", "fmt.py", "facts.py"} <= real
    assert not real & {"build.py", "publish.py", "run.py", "ingest.py", "execute.py"}


@pytest.mark.slow
def test_keys_cover_the_code_a_chapter_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A change in code no chapter imported re-executes nothing; a change in a module one chapter imported
    re-executes that chapter only. The kernels import a copy of the package (``PYTHONPATH``) to edit."""
    import shutil

    import dcbook

    pkg = tmp_path / "pkg"
    shutil.copytree(
        Path(dcbook.__file__).resolve().parent, pkg / "dcbook", ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setenv("PYTHONPATH", str(pkg))
    root = make_book(tmp_path / "book")
    nbformat.write(chapter("甲章", "x.csv", extra="from dcbook import fmt\n"), root / "book" / "a.ipynb")
    first = build.run_build(options(root))
    assert set(statuses(first).values()) == {"executed"}
    entries = json.loads((root / "_build" / "manifest.json").read_text(encoding="utf-8"))["entries"]
    code = {chapter: set(entries[f"2021/{chapter}"]["code"]) for chapter in ("book/a", "book/b", "book/c")}
    fmt_py = str((pkg / "dcbook" / "fmt.py").resolve())
    assert fmt_py in code["book/a"] and str((pkg / "dcbook" / "provenance.py").resolve()) in code["book/b"]
    assert fmt_py not in code["book/b"] | code["book/c"]
    assert not any(name.endswith(("publish.py", "build.py")) for names in code.values() for name in names)

    publish = pkg / "dcbook" / "publish.py"
    publish.write_text(publish.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    second = build.run_build(options(root))
    assert set(statuses(second).values()) == {"cached"}, reasons(second)

    fmt = pkg / "dcbook" / "fmt.py"
    fmt.write_text(fmt.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    third = build.run_build(options(root))
    assert statuses(third) == {"book/a": "executed", "book/b": "cached", "book/c": "cached"}
    assert reasons(third)["book/a"] == f"code changed: {fmt_py}"


@pytest.mark.slow
def test_a_later_sources_rows_re_execute_only_the_edition_that_sees_them(tmp_path: Path) -> None:
    """Chapter ``c`` reads a source-owned table through its edition's view (as ``dcbook.data.load`` does): a
    changed row of a 2021 source re-executes the 2021 chapter only; the 2020 one is reused."""
    root = make_book(tmp_path / "book")
    views = root / "data" / "views"
    views.mkdir()
    (views / "sources.csv").write_text("source_id,edition_year\ns1,2020\ns2,2021\n", encoding="utf-8")
    (views / "t.csv").write_text("source_id,v\ns1,a\ns2,b\n", encoding="utf-8")
    reader = "record_read(Path(data_dir or 'data') / 'views' / 't.csv', edition=edition)\n"
    nbformat.write(chapter("丙章", None, extra=reader), root / "book" / "c.ipynb")

    def edition(year: int) -> build.BuildOptions:
        return build.BuildOptions(root=root, edition=year, jobs=2, console=Console(quiet=True))

    assert set(statuses(build.run_build(edition(2020))).values()) == {"executed"}
    assert set(statuses(build.run_build(edition(2021))).values()) == {"executed"}
    (views / "t.csv").write_text("source_id,v\ns1,a\ns2,b2\n", encoding="utf-8")  # the 2021 source's row
    again_2020 = build.run_build(edition(2020))
    assert set(statuses(again_2020).values()) == {"cached"}, reasons(again_2020)
    again_2021 = build.run_build(edition(2021))
    assert statuses(again_2021) == {"book/a": "cached", "book/b": "cached", "book/c": "executed"}
    assert reasons(again_2021)["book/c"] == "data changed: data/views/t.csv"
    (views / "t.csv").write_text("source_id,v\ns1,a2\ns2,b2\n", encoding="utf-8")  # a row both editions see
    assert statuses(build.run_build(edition(2020)))["book/c"] == "executed"


@pytest.mark.slow
def test_failing_chapter_names_chapter_and_cell_and_keeps_the_site(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    build.run_build(options(root))
    html = root / "_build" / "html"
    digest = tree_digest(html)
    nbformat.write(
        chapter("丙章", None, extra="raise ValueError('坏数据: 第 3 行')\n"), root / "book" / "c.ipynb"
    )
    (root / "data" / "x.csv").write_text("x2\n", encoding="utf-8")
    with pytest.raises(build.BuildError) as info:
        build.run_build(options(root))
    message = str(info.value)
    assert "chapter book/c: cell 1: ValueError: 坏数据: 第 3 行" in message
    assert "raise ValueError('坏数据: 第 3 行')" in message  # the failing cell's source
    saved = root / "_build" / "executed" / "2021" / "book" / "c.failed.ipynb"
    assert f"executed notebook with traceback: {saved.relative_to(root).as_posix()}" in message
    assert "ValueError" in saved.read_text(encoding="utf-8")
    report = json.loads((root / "_build/executed/2021/build_report.json").read_text(encoding="utf-8"))
    # the other chapters still ran (a had changed data) or were reused
    assert statuses(report) == {"book/a": "executed", "book/b": "cached", "book/c": "failed"}, reasons(report)
    assert tree_digest(html) == digest
    # the good executed copy of c from the first build is not overwritten by the failed run
    assert "ValueError" not in (root / "_build/executed/2021/book/c.ipynb").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_template_error_names_edition_chapter_cell_and_name_and_keeps_the_site(tmp_path: Path) -> None:
    """An unknown fact in a chapter's Markdown stops the build like a failing code cell: the message names the
    edition, the chapter, the cell and the name, and the last good site stays as it was."""
    root = make_book(tmp_path / "book")
    build.run_build(options(root))
    html = root / "_build" / "html"
    digest = tree_digest(html)
    nb = chapter("丙章", None)
    publish = (
        "from dcbook import facts as F\n"
        "from dcbook.render import PAYLOAD_MIME\n"
        "payload = {'chapter': 'c', 'edition': edition, 'facts': F.encode({'known': None}), 'book': {},"
        " 'figures': {}, 'tables': {}}\n"
        "display({PAYLOAD_MIME: payload}, raw=True)"
    )
    nb.cells.insert(2, new_code_cell(publish))
    nb.cells.append(new_markdown_cell("{% if f.known %}有{% endif %}本节引用 {{ f.unknwon }}。"))
    nbformat.write(nb, root / "book" / "c.ipynb")
    with pytest.raises(build.BuildError) as info:
        build.run_build(options(root))
    message = str(info.value)
    assert "chapter book/c: cell 5: ProseError: edition 2021, chapter book/c" in message, message
    assert (
        "unknown fact f.unknwon" in message and "{{ f.unknwon }}" in message
    )  # the name and the cell's text
    assert tree_digest(html) == digest


@pytest.mark.slow
def test_cli_exit_code_for_a_failing_chapter(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    nbformat.write(chapter("乙章", "y.csv", extra="1 / 0\n"), root / "book" / "b.ipynb")
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, str(root), "2"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stderr
    assert "chapter book/b: cell 1: ZeroDivisionError: division by zero" in proc.stderr
    assert (root / "_build/executed/2021/book/a.ipynb").is_file()  # others executed
    assert (root / "_build/executed/2021/book/c.ipynb").is_file()
    assert not (root / "_build" / "html").exists()


# A build in a child process, as `dcbook build` runs it (signals, exit codes), on the mini book's toy data.
RUNNER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from dcbook import build
    from rich.console import Console

    opts = build.BuildOptions(root=Path(sys.argv[1]), edition=2021, jobs=int(sys.argv[2]), console=Console(stderr=True))
    try:
        with build.sigterm_as_interrupt():
            build.run_build(opts)
    except KeyboardInterrupt:
        sys.exit(130)
    except build.BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        sys.exit(1)
    """
)


def _wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "phase"),
    [
        (signal.SIGTERM, "execute"),
        (signal.SIGINT, "execute"),
        (signal.SIGTERM, "sphinx"),
        (signal.SIGINT, "sphinx"),
    ],
)
def test_interrupted_build_leaves_the_site_byte_identical(tmp_path: Path, sig: int, phase: str) -> None:
    root = make_book(tmp_path / "book")
    build.run_build(options(root))
    html = root / "_build" / "html"
    digest = tree_digest(html)
    (root / "data" / "x.csv").write_text("x2\n", encoding="utf-8")
    env = dict(os.environ)
    if phase == "execute":
        env["MINI_SLEEP"] = "30"  # chapter a is mid-execution when the signal arrives
    proc = subprocess.Popen([sys.executable, "-c", RUNNER, str(root), "2"], env=env, stderr=subprocess.PIPE)
    try:
        if phase == "execute":
            reads = (
                root / "_build/executed/2021/reads"
            )  # a.log.running-<run id>: created as the chapter starts
            _wait_for(lambda: any(reads.glob("a.log.running*")), 120, "chapter a to start executing")
            time.sleep(3.0)  # kernel up, chapter sleeping
        else:
            # the staged tree persists between builds; its success marker goes when Sphinx starts again
            marker = root / "_build/.staging/2021/src/_build" / site.OK_MARKER
            _wait_for(lambda: not marker.exists(), 240, "Sphinx to start")
            time.sleep(1.5)
        proc.send_signal(sig)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == 130, proc.stderr.read().decode() if proc.stderr else code
    assert tree_digest(html) == digest
    assert "2021: x1" in (html / "book" / "a.html").read_text(encoding="utf-8")
    assert not (root / "_build" / ".html.new").exists()
    # no chapter process survives the interrupt
    leftover = subprocess.run(
        ["pgrep", "-f", f"dcbook.pipeline.execute {root}"], capture_output=True, check=False
    )
    assert leftover.stdout == b""
    # and the next build completes normally
    done = build.run_build(options(root))
    # interrupted mid-execution: a runs again; interrupted in Sphinx: a's execution had finished and is reused
    assert statuses(done)["book/a"] == ("executed" if phase == "execute" else "cached"), reasons(done)
    assert "2021: x2" in (html / "book" / "a.html").read_text(encoding="utf-8")


def test_serve_previews_the_site_on_localhost(tmp_path: Path) -> None:
    html = tmp_path / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("<p>数字中国</p>", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "dcbook", "serve", "--root", str(tmp_path), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        with urllib.request.urlopen(f"http://127.0.0.1:{match.group(1)}/index.html", timeout=10) as resp:
            assert resp.read().decode("utf-8") == "<p>数字中国</p>"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_without_a_site_says_so(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dcbook", "serve", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "no built site; run `dcbook build` first" in proc.stderr


def test_a_kernel_that_dies_while_starting_is_restarted_once(tmp_path: Path) -> None:
    """Before any cell ran, a kernel that died while starting (two kernels starting at once under load) is
    started once more; a second such death, or any other error, is reported as it is."""
    from dcbook.pipeline import execute

    calls: list[int] = []

    class FlakyPapermill:
        def __init__(self, failures: int, error: str = execute.KERNEL_START_FAILURE) -> None:
            self.failures, self.error = failures, error

        def execute_notebook(self, *args: object, **kwargs: object) -> None:
            calls.append(1)
            if len(calls) <= self.failures:
                raise RuntimeError(self.error)

    job = execute.Job.__new__(execute.Job)  # only the fields papermill is called with are read
    for name, value in {"source": tmp_path / "a.ipynb", "parameters": {}, "cwd": tmp_path}.items():
        object.__setattr__(job, name, value)
    result: dict = {}
    execute._execute_with_one_restart(FlakyPapermill(1), job, tmp_path / "a.running.ipynb", result)
    assert len(calls) == 2 and result == {"restarts": 1}
    calls.clear()
    with pytest.raises(RuntimeError, match="kernel_info"):
        execute._execute_with_one_restart(FlakyPapermill(2), job, tmp_path / "a.running.ipynb", {})
    calls.clear()
    with pytest.raises(RuntimeError, match="other"):
        execute._execute_with_one_restart(FlakyPapermill(1, "other"), job, tmp_path / "a.running.ipynb", {})
    assert len(calls) == 1


# ---- warm workers and forked kernels ---------------------------------------------------------------------------

#: Chapter code that prints its kernel's ancestry: parent (the zygote), grandparent (the worker).
ANCESTRY = (
    "def _proc(pid, what):\n"
    "    return open(f'/proc/{pid}/{what}', 'rb').read()\n"
    "_zygote = os.getppid()\n"
    "_worker = int(_proc(_zygote, 'stat').rsplit(b')', 1)[1].split()[1])\n"
    "ancestry = (b'zygote.py' in _proc(_zygote, 'cmdline'), _worker)\n"
)


def _printed(root: Path, stem: str) -> str:
    nb = json.loads((root / "_build/executed/2021/book" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("name") == "stdout"]
    return "".join("".join(o.get("text", "")) for o in outputs)


def test_one_warm_worker_runs_every_chapter_and_each_kernel_is_a_fork_of_its_zygote(tmp_path: Path) -> None:
    """With one job, the three chapters run in one worker process, each in a kernel of its own forked from
    that worker's zygote (not a new Python), and each still records its own reads and modules."""
    root = make_book(tmp_path / "book")
    for stem, title, reads in (("a", "甲章", "x.csv"), ("b", "乙章", "y.csv"), ("c", "丙章", None)):
        nb = chapter(title, reads, extra=ANCESTRY + "print('ancestry', ancestry, os.getpid())\n")
        nbformat.write(nb, root / "book" / f"{stem}.ipynb")
    report = build.run_build(options(root, jobs=1))
    assert set(statuses(report).values()) == {"executed"}
    seen = [re.search(r"ancestry \((\w+), (\d+)\) (\d+)", _printed(root, s)) for s in "abc"]
    assert all(m is not None for m in seen)
    assert {m.group(1) for m in seen} == {"True"}  # forked from the zygote
    assert len({m.group(2) for m in seen}) == 1  # one worker ran all three
    assert len({m.group(3) for m in seen}) == 3  # each chapter had a kernel of its own
    entries = json.loads((root / "_build" / "manifest.json").read_text(encoding="utf-8"))["entries"]
    assert list(entries["2021/book/a"]["reads"]) == ["data/x.csv"]
    assert list(entries["2021/book/b"]["reads"]) == ["data/y.csv"]
    assert entries["2021/book/c"]["reads"] == {}
    # a forked kernel records the dcbook modules its chapter imported, not those its zygote had loaded
    assert {Path(p).name for p in entries["2021/book/c"]["code"]} == {"__init__.py", "provenance.py"}


def test_a_worker_that_dies_fails_its_chapter_only_and_the_next_runs_in_a_new_worker(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book")
    killer = ANCESTRY + "import signal\nos.kill(ancestry[1], signal.SIGKILL)\ntime.sleep(30)\n"
    nbformat.write(chapter("乙章", "y.csv", extra=killer), root / "book" / "b.ipynb")
    with pytest.raises(build.BuildError) as info:
        build.run_build(options(root, jobs=1))
    assert "chapter book/b" in str(info.value) and "executor process exited with code -9" in str(info.value)
    report = json.loads((root / "_build/executed/2021/build_report.json").read_text(encoding="utf-8"))
    assert statuses(report) == {"book/a": "executed", "book/b": "failed", "book/c": "executed"}


def test_without_a_zygote_a_kernel_starts_the_ordinary_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stub runs the ordinary kernel when its zygote cannot be reached: a chapter never fails for it."""
    import papermill

    from dcbook.pipeline import kernels

    nb = new_notebook(cells=[new_code_cell("import os\nprint('pid', os.getpid(), os.getppid())")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "n.ipynb")
    monkeypatch.setattr(kernels, "_socket", str(tmp_path / "no-zygote.sock"))
    papermill.execute_notebook(
        str(tmp_path / "n.ipynb"),
        str(tmp_path / "out.ipynb"),
        kernel_name="python3",
        progress_bar=False,
        **kernels.manager_options(),
    )
    out = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    assert "pid" in "".join(out["cells"][0]["outputs"][0]["text"])


def test_a_killed_workers_socket_folder_is_removed_by_the_next_zygote(tmp_path: Path) -> None:
    from dcbook.pipeline import kernels

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = tmp_path / f"{kernels.FOLDER_PREFIX}{gone.stdout.strip()}-abc"
    alive = tmp_path / f"{kernels.FOLDER_PREFIX}{os.getpid()}-def"
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "zygote.sock").write_text("", encoding="utf-8")
    assert kernels.remove_orphaned_folders(tmp_path) == [dead]
    assert not dead.exists() and alive.is_dir()
