"""``dcbook publish``: push the built site to the ``gh-pages`` branch of a git remote.

GitHub Pages serves a branch as-is, so publishing is "commit ``_build/html`` onto ``gh-pages`` and push".
ghp-import does the commit without touching the working tree or the current branch; this module adds the
checks a maintainer needs (a built site with ``index.html``, a remote that exists) and builds on top of
the remote's existing ``gh-pages`` history, so earlier publications stay reachable.  ``.nojekyll`` is always
added: Jekyll would otherwise hide Sphinx's ``_static/`` and ``_images/`` folders. A multi-edition site
(``dcbook build --all-editions``: ``2017/``, ``2020/`` … plus the latest at the root) is published as the
whole tree it is, its relative links working under the Pages sub-path ``/<repository>/``.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import subprocess
import sys
from pathlib import Path

from dcbook import REPO_ROOT

DEFAULT_SITE = REPO_ROOT / "_build" / "html"


class PublishError(Exception):
    """A refusal or failure, with a message that says what to do."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


def check_site(site: Path) -> None:
    """Refuse to publish an unbuilt or half-built site: a Pages branch without index.html is a 404."""
    if not site.is_dir():
        raise PublishError(
            f"{site}: site directory does not exist; run `make book` (or `dcbook build`) first"
        )
    if not (site / "index.html").is_file():
        raise PublishError(f"{site}: no index.html in the site directory; is this the built HTML folder?")


def site_editions(site: Path) -> list[int]:
    """Edition folders (``2020/`` …) of a ``dcbook build --all-editions`` site; empty for a single edition.

    They are published like any other sub-folder (ghp-import walks the whole tree); listing them lets the
    maintainer see that every edition went out.
    """
    return sorted(
        int(p.name)
        for p in site.iterdir()
        if p.is_dir() and re.fullmatch(r"\d{4}", p.name) and (p / "index.html").is_file()
    )


def _is_url(remote: str) -> bool:
    return "://" in remote or remote.startswith("/") or bool(re.match(r"^[\w.-]+@[\w.-]+:", remote))


def remote_branch_head(repo: Path, remote: str, branch: str) -> str | None:
    """Commit of ``branch`` on ``remote`` (``None`` when the branch does not exist there yet)."""
    r = _git(repo, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
    if r.returncode != 0:
        raise PublishError(f"remote {remote!r}: cannot be read: {r.stderr.strip()}")
    line = r.stdout.strip()
    return line.split()[0] if line else None


def publish(
    site: Path,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str | None = None,
    repo: Path = REPO_ROOT,
) -> str:
    """Commit ``site`` onto ``branch`` in ``repo`` and push it to ``remote``; returns the pushed commit."""
    from ghp_import import GhpError, ghp_import

    site = site.resolve()
    check_site(site)
    if _git(repo, "rev-parse", "--git-dir").returncode != 0:
        raise PublishError(f"{repo}: not a git repository")
    if not _is_url(remote) and _git(repo, "remote", "get-url", remote).returncode != 0:
        raise PublishError(
            f"{repo}: no git remote named {remote!r}; add it with "
            f"`git remote add {remote} URL` or pass --remote URL"
        )
    # Start from what is published, not from a possibly stale local branch, so the push fast-forwards.
    head = remote_branch_head(repo, remote, branch)
    if head is not None:
        r = _git(repo, "fetch", "--quiet", remote, f"refs/heads/{branch}")
        if r.returncode != 0:
            raise PublishError(f"remote {remote!r}: fetching {branch} failed: {r.stderr.strip()}")
        r = _git(repo, "update-ref", f"refs/heads/{branch}", head)
        if r.returncode != 0:
            raise PublishError(f"{repo}: cannot update local {branch}: {r.stderr.strip()}")
    msg = (
        message
        or f"Publish site from {_git(repo, 'rev-parse', '--short', 'HEAD').stdout.strip() or 'working tree'}"
    )
    try:
        with contextlib.chdir(repo):  # ghp-import works on the repository in the current directory
            ghp_import(str(site), remote=remote, branch=branch, mesg=msg, nojekyll=True, push=True)
    except (GhpError, subprocess.CalledProcessError) as exc:
        raise PublishError(f"ghp-import failed pushing {site} to {remote} {branch}: {exc}") from exc
    local = _git(repo, "rev-parse", f"refs/heads/{branch}").stdout.strip()
    pushed = remote_branch_head(repo, remote, branch)
    if not local or pushed != local:
        raise PublishError(
            f"remote {remote!r}: {branch} is at {pushed}, expected {local or '(no local commit)'}; "
            "the push did not arrive"
        )
    return pushed


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The ``dcbook publish`` options."""
    p.add_argument("--remote", default="origin", help="remote name or URL (default origin)")
    p.add_argument("--branch", default="gh-pages", help="branch to publish to (default gh-pages)")
    p.add_argument("--site", type=Path, default=DEFAULT_SITE, help="built HTML folder (default _build/html)")
    p.add_argument("--message", default=None, help="commit message on the gh-pages branch")
    p.add_argument("--repo", type=Path, default=REPO_ROOT, help="local git repository to commit in")


def main(args: argparse.Namespace) -> int:
    """CLI entry: publish and print the commit, or print why not and return 1."""
    try:
        commit = publish(args.site, args.remote, args.branch, args.message, args.repo)
    except PublishError as exc:
        print(f"dcbook publish: error: {exc}", file=sys.stderr)
        return 1
    editions = site_editions(args.site)
    what = f" (editions {', '.join(map(str, editions))}; the latest also at the root)" if editions else ""
    print(f"published {args.site}{what} to {args.remote} {args.branch} at {commit[:12]}")
    return 0
