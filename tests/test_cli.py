"""The command line itself: its version and a help text for every option of every command."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib

from dcbook import REPO_ROOT, cli


def test_version_is_the_package_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dcbook", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert proc.stdout.strip() == f"dcbook {project['version']}"


def test_every_option_has_help() -> None:
    parser = cli._parser()
    missing = []
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in subparsers:
        for name, sub in action.choices.items():
            for opt in sub._actions:
                if isinstance(opt, argparse._HelpAction):
                    continue
                if not opt.help:
                    missing.append(f"dcbook {name} {'/'.join(opt.option_strings) or opt.dest}")
    assert subparsers and not missing, missing
