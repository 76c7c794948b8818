"""``dcbook publish``: push the built site to the ``gh-pages`` branch of a git remote.

GitHub Pages serves a branch as-is, so publishing is "commit ``_build/html`` onto ``gh-pages`` and push".
ghp-import does the commit without touching the working tree or the current branch; this module adds the
checks a maintainer needs (a built site with ``index.html``, a remote that exists) and builds on top of
the remote's existing ``gh-pages`` history, so earlier publications stay reachable.  ``.nojekyll`` is always
added: Jekyll would otherwise hide Sphinx's ``_static/`` and ``_images/`` folders. A multi-edition site
(``dcbook build --all-editions``: ``2017/``, ``2020/`` … plus the latest at the root) is published as the
whole tree it is, its relative links working under the Pages sub-path ``/<repository>/``.

What goes out must be what the commit it names would build. So publish, holding the build lock (no build
can swap the site mid-push), refuses: a working tree with uncommitted changes; a site whose build record
(``_build/site.json``) names data outside the repository or data whose hash differs from the data now
(i.e. at the commit); a single-edition site unless ``--single-edition`` (it would replace every other
edition on the branch); and any published file naming an absolute path of this machine (the repository,
the data folder, the virtual environment). The push is labelled with the commit and the data hash.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def build_record(site: Path) -> dict[str, Any]:
    """What ``dcbook build`` recorded about the site it installed (``_build/site.json`` beside ``html/``)."""
    path = site.parent / "site.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    if not isinstance(record, dict) or not record.get("data_sha256") or not record.get("data_dir"):
        raise PublishError(
            f"{path}: no record of the build that made {site} (which data, which book); "
            "run `dcbook build --all-editions` and publish what it built"
        )
    return record


def check_committed(repo: Path) -> str:
    """The commit the site is published as: HEAD, with nothing uncommitted in the working tree."""
    head = _git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").stdout.strip()
    if not head:
        raise PublishError(f"{repo}: no commit yet; commit the book and its data, build, then publish")
    status = _git(repo, "status", "--porcelain", "--untracked-files=all")
    if status.returncode != 0:
        raise PublishError(f"{repo}: git status failed: {status.stderr.strip()}")
    dirty = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise PublishError(
            f"{repo}: uncommitted changes ({shown}); the site would be labelled {head[:12]} without being "
            "what that commit builds — commit (or stash) them, rebuild, then publish"
        )
    return head


def check_data(record: dict[str, Any], repo: Path) -> str:
    """The data hash of the build, refused unless it is the data of the (clean) repository now."""
    from dcbook.pipeline.inputs import tree_hash

    data_dir = Path(record["data_dir"])
    if not data_dir.resolve().is_relative_to(repo.resolve()):
        raise PublishError(
            f"the site was built from {data_dir}, outside the repository {repo}; no commit names that data — "
            "build from the repository's data/ folder"
        )
    now = tree_hash(data_dir)
    if now != record["data_sha256"]:
        raise PublishError(
            f"{data_dir}: the data differs from the data the site was built from "
            f"(sha256 {now[:12]}, built from {str(record['data_sha256'])[:12]}); rebuild, then publish"
        )
    return now


def local_paths(record: dict[str, Any], repo: Path) -> list[str]:
    """Absolute paths of this machine that must not appear in a published file."""
    candidates = {str(repo.resolve()), str(record.get("root") or ""), str(record["data_dir"]), sys.prefix}
    return sorted(p for p in candidates if len(p) > 1 and p.startswith("/"))


def leaked_paths(site: Path, needles: list[str]) -> list[str]:
    """``file: path`` for every published file that names one of ``needles`` (a local absolute path)."""
    encoded = [(n, n.encode("utf-8")) for n in needles]
    found = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        for name, needle in encoded:
            if needle in data:
                found.append(f"{path.relative_to(site).as_posix()}: {name}")
                break
    return found


def publish(
    site: Path,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str | None = None,
    repo: Path = REPO_ROOT,
    single_edition: bool = False,
) -> str:
    """Commit ``site`` onto ``branch`` in ``repo`` and push it to ``remote``; returns the pushed commit.

    Holds the build lock of the site's ``_build`` folder throughout, so no build swaps the site mid-push.
    """
    from dcbook.pipeline.supervise import LockError, exclusive_lock

    site = site.resolve()
    check_site(site)
    try:
        with exclusive_lock(site.parent, what="publish"):
            return _publish_locked(site, remote, branch, message, repo, single_edition)
    except LockError as exc:
        raise PublishError(str(exc)) from exc


def _publish_locked(
    site: Path, remote: str, branch: str, message: str | None, repo: Path, single_edition: bool
) -> str:
    from ghp_import import GhpError, ghp_import

    check_site(site)  # again: a build may have swapped it before we held the lock
    if _git(repo, "rev-parse", "--git-dir").returncode != 0:
        raise PublishError(f"{repo}: not a git repository")
    record = build_record(site)
    editions = site_editions(site)
    if not editions and not single_edition:
        built = ", ".join(map(str, record.get("editions", []))) or "one edition"
        raise PublishError(
            f"{site} holds a single edition ({built}); publishing it would replace every edition on "
            f"{branch}. Build all of them with `dcbook build --all-editions`, or pass --single-edition "
            "to publish this one alone"
        )
    commit = check_committed(repo)
    data_hash = check_data(record, repo)
    leaks = leaked_paths(site, local_paths(record, repo))
    if leaks:
        shown = "; ".join(leaks[:5]) + (f"; and {len(leaks) - 5} more" if len(leaks) > 5 else "")
        raise PublishError(
            f"{site}: {len(leaks)} file(s) name an absolute path of this machine ({shown}); nothing published"
        )
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
    label = f"Source-Commit: {commit}\nData-SHA256: {data_hash}"
    subject = message or f"Publish site from {commit[:12]} (data sha256 {data_hash[:12]})"
    msg = f"{subject}\n\n{label}\n"
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
    p.add_argument(
        "--single-edition",
        action="store_true",
        help="publish a one-edition site (`dcbook build --edition Y`), replacing every edition on the branch",
    )


def main(args: argparse.Namespace) -> int:
    """CLI entry: publish and print the commit, or print why not and return 1."""
    try:
        commit = publish(
            args.site, args.remote, args.branch, args.message, args.repo, single_edition=args.single_edition
        )
    except PublishError as exc:
        print(f"dcbook publish: error: {exc}", file=sys.stderr)
        return 1
    editions = site_editions(args.site)
    what = f" (editions {', '.join(map(str, editions))}; the latest also at the root)" if editions else ""
    print(f"published {args.site}{what} to {args.remote} {args.branch} at {commit[:12]}")
    return 0
