"""``dcbook publish`` against a local bare repository standing in for GitHub."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dcbook.cli import main as cli
from dcbook.pipeline.inputs import tree_hash


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A working repository with ``origin`` pointing at an empty bare repository."""
    for var in ("GIT_COMMITTER_NAME", "GIT_AUTHOR_NAME"):
        monkeypatch.setenv(var, "dcbook test")
    for var in ("GIT_COMMITTER_EMAIL", "GIT_AUTHOR_EMAIL"):
        monkeypatch.setenv(var, "test@example.invalid")
    bare = tmp_path / "remote.git"
    work = tmp_path / "work"
    _git(tmp_path, "init", "--quiet", "--bare", str(bare))
    _git(tmp_path, "init", "--quiet", str(work))
    _git(work, "remote", "add", "origin", str(bare))
    (work / ".gitignore").write_text("_build/\n", encoding="utf-8")
    (work / "data").mkdir()
    (work / "data" / "x.csv").write_text("x1\n", encoding="utf-8")
    _git(work, "add", "-A")
    _git(work, "commit", "--quiet", "-m", "book and data")
    return work, bare


def _site(root: Path, text: str, editions: tuple[int, ...] = ()) -> Path:
    """A built site as ``dcbook build`` leaves it: the HTML and its build record (``_build/site.json``)."""
    site = root / "_build" / "html"
    (site / "_static").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(f"<html><body>{text}</body></html>", encoding="utf-8")
    (site / "_static" / "book.css").write_text("body{}", encoding="utf-8")
    for year in editions:
        (site / str(year)).mkdir(exist_ok=True)
        (site / str(year) / "index.html").write_text(f"<p>{year}: {text}</p>", encoding="utf-8")
    record = {
        "layout": "all" if editions else "single",
        "editions": list(editions) or [2021],
        "root": str(root),
        "data_dir": str(root / "data"),
        "data_sha256": tree_hash(root / "data"),
    }
    (root / "_build" / "site.json").write_text(json.dumps(record), encoding="utf-8")
    return site


def _publish(work: Path, site: Path, *extra: str) -> int:
    return cli(["publish", "--repo", str(work), "--site", str(site), *extra])


def test_publish_pushes_site_with_nojekyll(
    repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = repos
    site = _site(work, "第一版")
    assert _publish(work, site, "--message", "edition 2021", "--single-edition") == 0
    assert "published" in capsys.readouterr().out
    files = _git(bare, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert sorted(files) == [".nojekyll", "_static/book.css", "index.html"]
    assert "第一版" in _git(bare, "show", "gh-pages:index.html")
    assert _git(bare, "log", "-1", "--format=%s", "gh-pages").strip() == "edition 2021"
    first = _git(bare, "rev-parse", "gh-pages").strip()

    # a second publication (here by URL instead of remote name) builds on the published history
    site = _site(work, "第二版")
    assert _publish(work, site, "--remote", str(bare), "--single-edition") == 0
    assert "第二版" in _git(bare, "show", "gh-pages:index.html")
    assert _git(bare, "rev-parse", "gh-pages^").strip() == first


def test_publish_refuses_missing_or_incomplete_site(
    repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = repos
    assert _publish(work, work / "nowhere") == 1
    assert "does not exist" in capsys.readouterr().err
    empty = work / "empty"
    empty.mkdir()
    assert _publish(work, empty) == 1
    assert "no index.html" in capsys.readouterr().err
    assert _git(bare, "branch", "--list") == ""


def test_publish_refuses_unknown_remote(repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    assert _publish(work, _site(work, "x"), "--remote", "upstream", "--single-edition") == 1
    assert "no git remote named 'upstream'" in capsys.readouterr().err
    assert _git(bare, "branch", "--list") == ""


# ---- what goes out is what the commit builds ----------------------------------------------------------------


def test_publish_labels_the_push_with_commit_and_data_hash(repos: tuple[Path, Path]) -> None:
    work, bare = repos
    site = _site(work, "全部版本", editions=(2020, 2021))
    assert _publish(work, site) == 0
    head = _git(work, "rev-parse", "HEAD").strip()
    body = _git(bare, "log", "-1", "--format=%B", "gh-pages")
    data = tree_hash(work / "data")
    assert f"Source-Commit: {head}" in body and f"Data-SHA256: {data}" in body
    assert body.startswith(f"Publish site from {head[:12]} (data sha256 {data[:12]})")
    assert "2020/index.html" in _git(bare, "ls-tree", "-r", "--name-only", "gh-pages").split()


def test_publish_refuses_a_dirty_tree(repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    work, bare = repos
    site = _site(work, "x", editions=(2021,))
    (work / "notes.md").write_text("未提交\n", encoding="utf-8")
    assert _publish(work, site) == 1
    err = capsys.readouterr().err
    assert "uncommitted changes (notes.md)" in err and "Traceback" not in err
    assert _git(bare, "branch", "--list") == ""


def test_publish_refuses_data_that_is_not_the_data_built(
    repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Data changed and committed after the build: the tree is clean, but the site is not that commit's."""
    work, bare = repos
    site = _site(work, "x", editions=(2021,))
    (work / "data" / "x.csv").write_text("x2\n", encoding="utf-8")
    _git(work, "commit", "--quiet", "-am", "new data")
    assert _publish(work, site) == 1
    assert "differs from the data the site was built from" in capsys.readouterr().err
    # built from a data folder outside the repository: no commit names it
    elsewhere = work.parent / "elsewhere"
    record = json.loads((work / "_build" / "site.json").read_text(encoding="utf-8"))
    record |= {"data_dir": str(elsewhere), "data_sha256": tree_hash(elsewhere)}
    (work / "_build" / "site.json").write_text(json.dumps(record), encoding="utf-8")
    assert _publish(work, site) == 1
    assert "outside the repository" in capsys.readouterr().err
    # no build record at all (a hand-made folder)
    (work / "_build" / "site.json").unlink()
    assert _publish(work, site) == 1
    assert "no record of the build" in capsys.readouterr().err
    assert _git(bare, "branch", "--list") == ""


def test_publish_refuses_a_single_edition_site_unless_told(
    repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = repos
    assert _publish(work, _site(work, "全部", editions=(2020, 2021))) == 0
    published = _git(bare, "rev-parse", "gh-pages").strip()
    shutil.rmtree(work / "_build" / "html")
    site = _site(work, "只有一版")
    assert _publish(work, site) == 1
    assert "single edition" in capsys.readouterr().err
    assert _git(bare, "rev-parse", "gh-pages").strip() == published
    assert _publish(work, site, "--single-edition") == 0
    assert "只有一版" in _git(bare, "show", "gh-pages:index.html")


def test_publish_takes_the_build_lock(repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    from dcbook.pipeline.supervise import exclusive_lock

    work, bare = repos
    site = _site(work, "x", editions=(2021,))
    with exclusive_lock(work / "_build", "run-1"):
        assert _publish(work, site) == 1
    assert "another build is running" in capsys.readouterr().err
    assert _git(bare, "branch", "--list") == ""
    assert _publish(work, site) == 0


def test_publish_refuses_a_file_naming_a_local_path(
    repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = repos
    site = _site(work, "x", editions=(2021,))
    (site / "2021" / "chapter.ipynb").write_text(
        json.dumps({"data_dir": str(work / "data")}), encoding="utf-8"
    )
    (site / "2021" / "env.txt").write_text(f"python at {sys.prefix}/bin/python\n", encoding="utf-8")
    assert _publish(work, site) == 1
    err = capsys.readouterr().err
    assert "2 file(s) name an absolute path of this machine" in err
    assert f"2021/chapter.ipynb: {work}" in err
    assert _git(bare, "branch", "--list") == ""
