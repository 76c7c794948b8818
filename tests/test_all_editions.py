"""``dcbook build --all-editions``: every edition in its own folder, the latest also at the root, one swap.

Three levels, fastest first:

* pure functions of :mod:`dcbook.pipeline.site` and :mod:`dcbook.build` (editions list, layout, switcher data)
  and ``dcbook publish`` of a multi-edition tree;
* the mini book of ``tests/test_build.py`` built for two (then three) editions: caching per edition, an older
  edition's pages unchanged when a newer edition arrives, a failing edition keeping the previous site;
* the real book, built once for the module with ``--all-editions --strict`` and the PDF (issue #5: a build of
  each available edition succeeds with ``--strict``), checked page by page and in headless Chromium.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import QuietHandler, run_all_editions
from prose_checks import (
    all_sources,
    html_citations,
    html_sections,
    late_sources,
    no_data_sentences,
    repeated_sentences,
)
from rich.console import Console
from test_build import chapter, make_book

from dcbook import REPO_ROOT, build
from dcbook.pipeline import inputs, site

# ---- pure functions ------------------------------------------------------------------------------------------


def _editions_info(path: Path) -> dict:
    """The JSON object an ``editions.js`` assigns to ``window.dcbookEditions``."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r"window\.dcbookEditions = (\{.*\});\s*$", text, re.S)
    assert match, f"{path}: not an editions script:\n{text[:300]}"
    return json.loads(match.group(1))


def _fake_edition(root: Path, year: int, extra_pages: tuple[str, ...] = ()) -> Path:
    """A built edition as Sphinx + PDF would leave it: pages, assets, a PDF."""
    for rel in ("index.html", "book/00_intro.html", "book/05_economy.html", *extra_pages):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"<p>{year} 年版 {rel}</p>", encoding="utf-8")
    (root / "_static").mkdir(exist_ok=True)
    (root / "_static" / "theme.html").write_text("<i>fragment</i>", encoding="utf-8")
    (root / "pdf").mkdir(exist_ok=True)
    (root / "pdf" / f"digital-china-{year}.pdf").write_bytes(b"%PDF-1.5 " + str(year).encode())
    return root


def _digest(path: Path, skip: tuple[str, ...] = ()) -> str:
    """Names and bytes of every file under ``path`` (except names in ``skip``): equal = identical trees."""
    digest = hashlib.sha256()
    for file in sorted(path.rglob("*")):
        rel = file.relative_to(path).as_posix()
        if file.is_file() and file.name not in skip:
            digest.update(rel.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def test_editions_script_is_relative_and_newest_first() -> None:
    listing = [
        {"year": 2017, "path": "2017/", "pages": ["index.html"]},
        {"year": 2021, "path": "2021/", "pages": ["index.html", "book/x.html"]},
    ]
    text = site.editions_script(2017, 2021, "../", listing)
    info = json.loads(text.split("window.dcbookEditions = ", 1)[1].rstrip().rstrip(";"))
    assert info["current"] == 2017 and info["latest"] == 2021 and info["root"] == "../"
    assert [e["year"] for e in info["editions"]] == [2021, 2017]
    assert info["editions"][0]["pages"] == ["index.html", "book/x.html"]
    assert "http" not in text  # nothing absolute: works from file:// and any sub-path


def test_edition_pages_leave_out_theme_fragments(tmp_path: Path) -> None:
    edition = _fake_edition(tmp_path / "e", 2020)
    assert site.edition_pages(edition) == ["book/00_intro.html", "book/05_economy.html", "index.html"]


def test_assemble_all_editions_layout(tmp_path: Path) -> None:
    sites = {
        2017: _fake_edition(tmp_path / "e2017", 2017, ("book/only_2017.html",)),
        2020: _fake_edition(tmp_path / "e2020", 2020),
        2021: _fake_edition(tmp_path / "e2021", 2021),
    }
    before = {y: _digest(p) for y, p in sites.items()}
    new = tmp_path / "new"
    site.assemble_site(new, sites, latest=2021, layout="all")
    for year in sites:
        assert (new / str(year) / "pdf" / f"digital-china-{year}.pdf").is_file()
        info = _editions_info(new / str(year) / "editions.js")
        assert info["current"] == year and info["latest"] == 2021 and info["root"] == "../"
        assert [e["path"] for e in info["editions"]] == ["2021/", "2020/", "2017/"]
    # the root is the latest edition, file for file (only its editions.js differs: it sits one level up)
    root_files = {
        p.relative_to(new).as_posix()
        for p in new.rglob("*")
        if p.is_file() and not re.match(r"\d{4}/", p.relative_to(new).as_posix())
    }
    assert root_files == {
        p.relative_to(sites[2021]).as_posix() for p in sites[2021].rglob("*") if p.is_file()
    } | {"editions.js"}
    assert (new / "book" / "05_economy.html").read_bytes() == (
        new / "2021" / "book" / "05_economy.html"
    ).read_bytes()
    root_info = _editions_info(new / "editions.js")
    assert root_info["current"] == 2021 and root_info["root"] == ""
    pages_2017 = next(e["pages"] for e in root_info["editions"] if e["year"] == 2017)
    assert "book/only_2017.html" in pages_2017
    # writing editions.js never wrote through a hard link into the edition folders
    assert {y: _digest(p) for y, p in sites.items()} == before


def test_assemble_single_edition_layout(tmp_path: Path) -> None:
    new = tmp_path / "new"
    site.assemble_site(new, {2020: _fake_edition(tmp_path / "e", 2020)}, latest=2021, layout="single")
    assert (new / "book" / "05_economy.html").is_file() and not (new / "2020").exists()
    info = _editions_info(new / "editions.js")
    assert info == {
        "current": 2020,
        "latest": 2021,
        "root": "",
        "editions": [{"year": 2020, "path": "", "pages": site.edition_pages(new)}],
    }
    with pytest.raises(ValueError, match="latest edition 2022 is not among the built editions"):
        site.assemble_site(tmp_path / "x", {2020: tmp_path / "e"}, latest=2022, layout="all")


BIB = """% Generated by `dcbook datapackage` from data/sources.csv; do not edit.

@book{r2020,
  title = {报告（2020年）},
  year = {2021}
}

@misc{plan,
  title = {规划},
  year = {2021}
}

@book{r2022,
  title = {报告（2022年）},
  year = {2023}
}
"""


def test_filter_bibtex_keeps_the_wanted_entries_in_order() -> None:
    kept = site.filter_bibtex(BIB, {"plan", "r2020"})
    assert kept.startswith("% Generated") and "r2022" not in kept
    assert kept.index("@book{r2020,") < kept.index("@misc{plan,")
    assert site.filter_bibtex(BIB, {"r2020", "plan", "r2022"}) == BIB
    with pytest.raises(site.SiteBuildError, match=r"references.bib:3: \(entry\): cannot read the BibTeX key"):
        site.filter_bibtex(BIB.replace("@book{r2020,", "@book{"), {"plan"})


def test_cited_keys_reads_every_cite_role() -> None:
    text = "见 {cite:p}`r2020, plan` 与 {cite}`r2017`，{cite:t}`x_y`；不是引用：`cite`。"
    assert site.cited_keys([text, "{cite:p}`r2020`"]) == {"r2020", "plan", "r2017", "x_y"}


def test_staged_bibliography_has_the_editions_sources_and_what_the_pages_cite(tmp_path: Path) -> None:
    """The 参考文献 page of an edition lists its own sources (and any the text cites), never a newer report."""
    make_book(tmp_path)
    config = (tmp_path / "_config.yml").read_text(encoding="utf-8")
    (tmp_path / "_config.yml").write_text(
        config + "bibtex_bibfiles:\n  - data/references.bib\n", encoding="utf-8"
    )
    (tmp_path / "data" / "references.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "book" / "build_info.md").write_text("# 构建信息\n\n见 {cite:p}`plan`。\n", encoding="utf-8")
    pages = inputs.toc_pages(tmp_path)
    executed = {p.docname: p.path for p in pages if p.is_notebook}

    def staged_bib(keys: list[str] | None) -> str:
        files = site.staged_files(tmp_path, pages, executed, [], build_info_md=None, bib_keys=keys)
        item = files["data/references.bib"]
        return item.decode("utf-8") if isinstance(item, bytes) else item.read_text(encoding="utf-8")

    staged = staged_bib(["r2020"])
    assert "@book{r2020," in staged and "@misc{plan," in staged and "r2022" not in staged
    assert staged_bib(None) == BIB  # without an edition's sources: the whole file, as before


def test_available_editions_from_sources(tmp_path: Path) -> None:
    (tmp_path / "sources.csv").write_text(
        "source_id,title,publisher,published,edition_year,kind,file,url\n"
        "b,乙,机构,2022-07,2021,yearly_report,raw/b.txt,\n"
        "a,甲,机构,2018-05,2017,yearly_report,raw/a.txt,\n"
        "c,丙,机构,2021-12,2021,plan,raw/c.txt,\n",
        encoding="utf-8",
    )
    assert build.available_editions(tmp_path) == [2017, 2021]
    assert build.default_edition(tmp_path) == 2021
    (tmp_path / "sources.csv").write_text(
        "source_id,title,publisher,published,edition_year,kind,file,url\n", encoding="utf-8"
    )
    with pytest.raises(build.BuildError, match=r"sources.csv: no edition available"):
        build.available_editions(tmp_path)


def test_cli_refuses_edition_together_with_all_editions(capsys: pytest.CaptureFixture[str]) -> None:
    from dcbook.cli import main as cli

    with pytest.raises(SystemExit) as info:
        cli(["build", "--all-editions", "--edition", "2020"])
    assert info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_publish_keeps_edition_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``dcbook publish`` pushes the whole multi-edition tree (sub-folders, editions.js) to gh-pages."""
    from dcbook.cli import main as cli

    for var in ("GIT_COMMITTER_NAME", "GIT_AUTHOR_NAME"):
        monkeypatch.setenv(var, "dcbook test")
    for var in ("GIT_COMMITTER_EMAIL", "GIT_AUTHOR_EMAIL"):
        monkeypatch.setenv(var, "test@example.invalid")
    bare, work = tmp_path / "remote.git", tmp_path / "work"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    subprocess.run(["git", "init", "--quiet", str(work)], check=True)
    # publish names a commit: the book's data committed, the site built from it (its build record)
    (work / "data").mkdir()
    (work / "data" / "x.csv").write_text("x1\n", encoding="utf-8")
    (work / ".gitignore").write_text("_build/\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    subprocess.run(["git", "commit", "--quiet", "-m", "data"], cwd=work, check=True)
    html = work / "_build" / "html"
    site.assemble_site(
        html, {y: _fake_edition(tmp_path / f"e{y}", y) for y in (2020, 2021)}, latest=2021, layout="all"
    )
    record = {"data_dir": str(work / "data"), "data_sha256": inputs.tree_hash(work / "data")}
    (work / "_build" / "site.json").write_text(json.dumps(record), encoding="utf-8")
    assert cli(["publish", "--site", str(html), "--remote", str(bare), "--repo", str(work)]) == 0
    assert "(editions 2020, 2021; the latest also at the root)" in capsys.readouterr().out
    tree = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "gh-pages"],
        cwd=bare,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in (".nojekyll", "index.html", "editions.js", "2020/book/05_economy.html", "2020/editions.js",
                 "2020/pdf/digital-china-2020.pdf", "2021/index.html"):  # fmt: skip
        assert name in tree, name


# ---- the mini book (tests/test_build.py) for several editions ---------------------------------------------------


def _mini_book(root: Path, editions: tuple[int, ...]) -> Path:
    make_book(root)
    _mini_sources(root, editions)
    return root


def _mini_sources(root: Path, editions: tuple[int, ...]) -> None:
    rows = "".join(f"r{y},报告{y},机构,{y + 1}-07,{y},yearly_report,raw/r{y}.txt,\n" for y in editions)
    (root / "data" / "sources.csv").write_text(
        "source_id,title,publisher,published,edition_year,kind,file,url\n" + rows, encoding="utf-8"
    )


def _all(root: Path) -> dict:
    return build.run_all_editions(build.BuildOptions(root=root, jobs=2, console=Console(quiet=True)))


def _statuses(summary: dict) -> dict[str, set[str]]:
    return {y: {c["status"] for c in r["chapters"]} for y, r in summary["reports"].items()}


@pytest.mark.slow
def test_mini_book_all_editions_cache_per_edition_and_old_pages_never_change(tmp_path: Path) -> None:
    root = _mini_book(tmp_path / "book", (2020, 2021))
    first = _all(root)
    html = root / "_build" / "html"
    assert first["editions"] == [2020, 2021] and first["site"] == "swapped"
    assert "2020: y1" in (html / "2020" / "book" / "b.html").read_text(encoding="utf-8")
    assert "2021: y1" in (html / "2021" / "book" / "b.html").read_text(encoding="utf-8")
    assert (html / "book" / "b.html").read_bytes() == (html / "2021" / "book" / "b.html").read_bytes()
    manifest = json.loads((root / "_build" / "manifest.json").read_text(encoding="utf-8"))
    assert {k.split("/", 1)[0] for k in manifest["entries"]} == {"2020", "2021"}  # one cache per edition

    # nothing changed: every chapter of every edition reused, the live site untouched
    digest = _digest(html)
    second = _all(root)
    assert _statuses(second) == {"2020": {"cached"}, "2021": {"cached"}}
    assert second["site"] == "unchanged" and _digest(html) == digest

    # one edition's input changes (its parameters do not): only that edition re-executes
    (root / "data" / "y.csv").write_text("y2\n", encoding="utf-8")
    third = _all(root)
    assert {c["chapter"]: c["status"] for c in third["reports"]["2020"]["chapters"]}["book/b"] == "executed"
    assert {c["chapter"]: c["status"] for c in third["reports"]["2020"]["chapters"]}["book/a"] == "cached"

    # a newer edition arrives: the older editions' folders keep every byte but the switcher's list
    old = {y: _digest(html / y, skip=("editions.js",)) for y in ("2020", "2021")}
    _mini_sources(root, (2020, 2021, 2022))
    fourth = _all(root)
    assert fourth["editions"] == [2020, 2021, 2022]
    assert {y: _digest(html / y, skip=("editions.js",)) for y in ("2020", "2021")} == old
    assert "2022: y2" in (html / "book" / "b.html").read_text(encoding="utf-8")  # the root follows the latest
    info = _editions_info(html / "2020" / "editions.js")
    assert [e["year"] for e in info["editions"]] == [2022, 2021, 2020] and info["latest"] == 2022

    # a single-edition build replaces the multi-edition site (and is not mistaken for it afterwards)
    single = build.run_build(build.BuildOptions(root=root, edition=2020, jobs=2, console=Console(quiet=True)))
    assert single["site"] == "reused" and not (html / "2020").exists()
    assert _editions_info(html / "editions.js")["current"] == 2020
    assert _all(root)["site"] == "swapped" and (html / "2022" / "index.html").is_file()


@pytest.mark.slow
def test_mini_book_failing_edition_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``dcbook build --all-editions`` with one broken edition: exit 1 naming edition and chapter, site kept."""
    root = _mini_book(tmp_path / "book", (2020, 2021))
    _all(root)
    html = root / "_build" / "html"
    digest = _digest(html)
    nbformat.write(
        chapter("丙章", None, extra="if edition == 2020:\n    raise ValueError('2020 年版的坏数据')\n"),
        root / "book" / "c.ipynb",
    )
    # toy data: no real dataset
    monkeypatch.setattr(build, "validate_with_cli", lambda data_dir, tables_cache=None: None)
    args = argparse.Namespace(
        root=root,
        data_dir=None,
        edition=None,
        all_editions=True,
        jobs=2,
        force=False,
        strict=False,
        no_pdf=True,
    )
    assert build.main(args) == 1
    err = capsys.readouterr().err
    assert "build failed: " in err, err
    message = err[err.index("build failed: ") :]  # the progress lines above it name every edition
    assert "edition 2020: 1 chapter(s) failed" in message
    assert "chapter book/c: cell 1: ValueError: 2020 年版的坏数据" in message
    assert "1 of 2 edition(s) failed; the previous site in" in message and "is unchanged" in message
    assert "edition 2021:" not in message  # 2021 built fine, but is not swapped in on its own
    assert _digest(html) == digest


# ---- the real book, every edition, --strict, with the PDFs --------------------------------------------------------


# ``all_editions_site`` (conftest): one ``dcbook build --all-editions --strict`` per session, shared with the
# reader-site tests.


def _editions() -> list[int]:
    return build.available_editions(REPO_ROOT / "data")


@pytest.mark.slow
def test_a_build_of_each_available_edition_succeeds_with_strict(all_editions_site: Path) -> None:
    """Issue #5: every edition the data offers builds under --strict; each has every page of the toc."""
    editions = _editions()
    assert editions[:3] == [2017, 2020, 2021], editions  # the editions the dataset has today, at least
    pages = inputs.toc_pages(REPO_ROOT)
    for year in editions:
        missing = [
            p.docname for p in pages if not (all_editions_site / str(year) / f"{p.docname}.html").is_file()
        ]
        assert not missing, f"edition {year}: toc pages without HTML: {missing}"
        report = json.loads(
            (all_editions_site.parent / "executed" / str(year) / "build_report.json").read_text(
                encoding="utf-8"
            )
        )
        assert report["edition"] == year and report["counts"]["failed"] == 0
    summary = json.loads((all_editions_site.parent / "all_editions_report.json").read_text(encoding="utf-8"))
    assert summary["editions"] == editions and summary["latest"] == editions[-1]


@pytest.mark.slow
def test_root_is_the_latest_edition(all_editions_site: Path) -> None:
    latest = all_editions_site / str(_editions()[-1])
    at_root = {
        p.relative_to(all_editions_site).as_posix()
        for p in all_editions_site.rglob("*")
        if p.is_file() and not re.match(r"\d{4}/", p.relative_to(all_editions_site).as_posix())
    }
    in_latest = {p.relative_to(latest).as_posix() for p in latest.rglob("*") if p.is_file()}
    assert at_root == in_latest
    differing = [
        rel
        for rel in sorted(in_latest)
        if rel != "editions.js" and (all_editions_site / rel).read_bytes() != (latest / rel).read_bytes()
    ]
    assert not differing, differing[:20]


def _text(path: Path) -> str:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ")


@pytest.mark.slow
def test_each_edition_shows_its_own_year_and_figures(all_editions_site: Path) -> None:
    from dcbook import data

    users: dict[int, str] = {}
    for year in _editions():
        intro = _text(all_editions_site / str(year) / "book" / "00_intro.html")
        named = re.findall(r"这是本书的\s*(\d{4})\s*年版", intro)
        assert named == [str(year)], f"edition {year}: the intro names edition(s) {named}"
        latest = data.load(edition=year).latest("internet_users")
        assert latest is not None, f"edition {year}: no 网民规模 in the data"
        users[year] = f"{latest['value']:g} {latest['unit']}"
        overview = _text(all_editions_site / str(year) / "book" / "01_overview.html")
        assert users[year] in overview, f"edition {year}: 网民规模 {users[year]} not on the 总览 page"
    assert users[2020] != users[2021], users  # the check above can tell the editions apart


def _reader_pages(site_root: Path) -> list[tuple[int, Path]]:
    """Every page of the table of contents in every edition's folder."""
    pages = inputs.toc_pages(REPO_ROOT)
    return [(year, site_root / str(year) / f"{p.docname}.html") for year in _editions() for p in pages]


@pytest.mark.slow
def test_reader_checks_on_every_page_of_every_edition(all_editions_site: Path) -> None:
    """The careful reader's three checks on the built pages (issue 13): no sentence of 12 or more Chinese
    characters said twice on a page (tables, chart data and the catalogue aside); no page of an edition names
    or cites a document published after that edition's own sources; at most one "no data" sentence per
    section."""
    sources = all_sources()
    problems: list[str] = []
    for year, page in _reader_pages(all_editions_site):
        secs = html_sections(page)
        text = "\n".join(f"{head}\n{body}" for head, body in secs)
        where = f"{year}/{page.relative_to(all_editions_site / str(year)).as_posix()}"
        problems += [f"{where}: said twice: {s}" for s in repeated_sentences(text)]
        later = late_sources(text + "\n" + html_citations(page), year, sources)
        problems += [f"{where}: names a later document: {m}" for m in later]
        problems += [
            f"{where}: section {h!r} has {len(v)} no-data sentences: {v}"
            for h, v in no_data_sentences(secs).items()
        ]
    assert not problems, "\n".join(problems[:30])


@pytest.mark.slow
def test_each_edition_has_its_pdf_and_links_it(all_editions_site: Path) -> None:
    for year in _editions():
        folder = all_editions_site / str(year)
        pdf = folder / "pdf" / f"digital-china-{year}.pdf"
        assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-", pdf
        first_page = subprocess.run(
            ["pdftotext", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert str(year) in first_page, f"{pdf}: title pages do not name the edition"
        script = (folder / "_static" / "dcbook-pdf.js").read_text(encoding="utf-8")
        assert f'"pdf/digital-china-{year}.pdf"' in script, f"edition {year} links another edition's PDF"


@pytest.mark.slow
def test_multi_edition_site_links_resolve_offline(all_editions_site: Path) -> None:
    """Every relative link of every edition stays inside the site and names an existing file."""
    broken: list[str] = []
    pages = [p for p in all_editions_site.rglob("*.html") if "_static" not in p.parts]
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for el in soup.find_all(tag, attrs={attr: True}):
                url = str(el[attr]).strip()
                parts = urlsplit(url)
                if parts.scheme or url.startswith(("//", "#", "mailto:", "javascript:", "data:")):
                    if tag != "a" and (parts.scheme in ("http", "https") or url.startswith("//")):
                        broken.append(f"{page.relative_to(all_editions_site)}: loads {url} from another host")
                    continue
                target = (page.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file() or all_editions_site.resolve() not in target.parents:
                    broken.append(f"{page.relative_to(all_editions_site)}: <{tag} {attr}={url!r}>")
    assert len(pages) > 4 * 14, len(pages)
    assert not broken, "\n".join(broken[:40])


# ---- the switcher in a browser ------------------------------------------------------------------------------------


@pytest.fixture
def serve_dir() -> Iterator[functools.partial[str]]:
    """Serve a directory under a sub-path (``/site/``, like GitHub Pages' ``/<repo>/``) on 127.0.0.1."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(root: Path) -> str:
        holder = root.parent / f".{root.name}-served"
        holder.mkdir(exist_ok=True)
        link = holder / "site"
        if not link.exists():
            link.symlink_to(root.resolve(), target_is_directory=True)
        handler = functools.partial(QuietHandler, directory=str(holder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/site/"

    yield functools.partial(start)
    for server in servers:
        server.shutdown()
        server.server_close()


def _open_switcher(page: object) -> object:
    nav = page.locator("nav.dcbook-editions")  # type: ignore[attr-defined]
    nav.wait_for(state="visible", timeout=15_000)
    nav.locator("summary").click()
    return nav


@pytest.mark.slow
@pytest.mark.browser
def test_switcher_goes_to_the_same_chapter_in_another_edition(
    browser: object, serve_dir: functools.partial[str], all_editions_site: Path
) -> None:
    editions = _editions()
    latest = editions[-1]
    base = serve_dir(all_editions_site)
    foreign: list[str] = []
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("request", lambda req: foreign.append(req.url) if not req.url.startswith(base[:-5]) else None)
    page.goto(base + "2020/book/05_economy.html", wait_until="load")
    nav = _open_switcher(page)
    assert nav.locator("summary").inner_text().strip() == "版本：2020 年版"
    labels = nav.locator("li a").all_inner_texts()
    assert labels == [
        f"{y} 年版" + ("（最新）" if y == latest else "") for y in sorted(editions, reverse=True)
    ]
    nav.get_by_text(f"{latest} 年版（最新）").click()
    page.wait_for_url(base + f"{latest}/book/05_economy.html")
    assert _open_switcher(page).locator("summary").inner_text().strip() == f"版本：{latest} 年版（最新）"
    # from the root copy of the latest edition to the same chapter of the oldest
    page.goto(base + "book/12_targets.html", wait_until="load")
    _open_switcher(page).get_by_text(f"{editions[0]} 年版").click()
    page.wait_for_url(base + f"{editions[0]}/book/12_targets.html")
    context.close()
    assert not foreign, f"requests outside the site: {foreign}"

    # a phone-sized window: the switcher is in the header, not hidden in the collapsed sidebar
    mobile = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = mobile.new_page()
    page.goto(base + "2017/book/02_infrastructure.html", wait_until="load")
    box = _open_switcher(page).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    mobile.close()

    # from file://: the links are relative, so they lead to the files of the other edition
    local = browser.new_context()  # type: ignore[attr-defined]
    page = local.new_page()
    page.goto((all_editions_site / "2017" / "book" / "05_economy.html").as_uri(), wait_until="load")
    hrefs = _open_switcher(page).locator("li a").evaluate_all("els => els.map(a => a.href)")
    assert (all_editions_site / "2020" / "book" / "05_economy.html").as_uri() in hrefs, hrefs
    local.close()


@pytest.mark.browser
def test_switcher_falls_back_to_the_index_of_an_edition_without_the_page(
    browser: object, serve_dir: functools.partial[str], tmp_path: Path
) -> None:
    """A page that a later edition dropped: the switcher offers that edition's front page instead."""
    sites = {}
    for year, extra in ((2020, ("book/retired.html",)), (2021, ())):
        folder = _fake_edition(tmp_path / f"e{year}", year, extra)
        shutil.copy(REPO_ROOT / "book" / "_static" / "dcbook-editions.js", folder / "_static")
        for html in folder.rglob("*.html"):
            if "_static" in html.parts:
                continue
            depth = "../" * (len(html.relative_to(folder).parts) - 1)
            html.write_text(
                f'<!doctype html><html data-content_root="{depth}"><head><meta charset="utf-8">'
                f'<script src="{depth}_static/dcbook-editions.js"></script></head>'
                f"<body><p>{year} {html.name}</p></body></html>",
                encoding="utf-8",
            )
        sites[year] = folder
    html = tmp_path / "html"
    site.assemble_site(html, sites, latest=2021, layout="all")
    base = serve_dir(html)
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base + "2020/book/retired.html", wait_until="load")
    nav = _open_switcher(page)
    assert nav.locator("summary").inner_text().strip() == "版本：2020 年版"
    nav.get_by_text("2021 年版（最新）").click()
    page.wait_for_url(base + "2021/index.html")
    page.goto(base + "2020/book/05_economy.html", wait_until="load")
    _open_switcher(page).get_by_text("2021 年版（最新）").click()
    page.wait_for_url(base + "2021/book/05_economy.html")
    context.close()


@pytest.mark.slow
def test_no_op_rebuild_of_all_editions_reuses_everything(all_editions_site: Path) -> None:
    """Runs last (it rebuilds in the same copy): nothing changed, so nothing executes and the site stays."""
    before = _digest(all_editions_site)
    proc = run_all_editions(all_editions_site.parent.parent)
    assert proc.returncode == 0, proc.stderr[-4000:]
    summary = json.loads((all_editions_site.parent / "all_editions_report.json").read_text(encoding="utf-8"))
    assert summary["site"] == "unchanged"
    assert {c["status"] for r in summary["reports"].values() for c in r["chapters"]} == {"cached"}
    assert _digest(all_editions_site) == before
