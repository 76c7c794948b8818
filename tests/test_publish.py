"""``dcbook publish`` against a local bare repository standing in for GitHub."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dcbook.cli import main as cli


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
    return work, bare


def _site(root: Path, text: str) -> Path:
    site = root / "_build" / "html"
    (site / "_static").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text(f"<html><body>{text}</body></html>", encoding="utf-8")
    (site / "_static" / "book.css").write_text("body{}", encoding="utf-8")
    return site


def _publish(work: Path, site: Path, *extra: str) -> int:
    return cli(["publish", "--repo", str(work), "--site", str(site), *extra])


def test_publish_pushes_site_with_nojekyll(
    repos: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    work, bare = repos
    site = _site(work, "第一版")
    assert _publish(work, site, "--message", "edition 2021") == 0
    assert "published" in capsys.readouterr().out
    files = _git(bare, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert sorted(files) == [".nojekyll", "_static/book.css", "index.html"]
    assert "第一版" in _git(bare, "show", "gh-pages:index.html")
    assert _git(bare, "log", "-1", "--format=%s", "gh-pages").strip() == "edition 2021"
    first = _git(bare, "rev-parse", "gh-pages").strip()

    # a second publication (here by URL instead of remote name) builds on the published history
    site = _site(work, "第二版")
    assert _publish(work, site, "--remote", str(bare)) == 0
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
    assert _publish(work, _site(work, "x"), "--remote", "upstream") == 1
    assert "no git remote named 'upstream'" in capsys.readouterr().err
    assert _git(bare, "branch", "--list") == ""
