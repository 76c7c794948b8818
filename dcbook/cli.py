"""Command line entry point: ``dcbook <command>`` (also ``python -m dcbook``).

Each command lives in its own module; this file only parses arguments and dispatches, so that
importing the CLI stays cheap and each module can be tested on its own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from dcbook import DEFAULT_DATA_DIR, REPO_ROOT, __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dcbook", description="数字中国发展解读: data, build and publishing tools"
    )
    # which release a bug report or a build report refers to
    parser.add_argument("--version", action="version", version=f"dcbook {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check every data file; exit 1 listing all problems")
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="dataset folder (default: data/)")
    p.add_argument(
        "--rehash",
        action="store_true",
        help="first record the current sha256 of every raw file in sources.csv (after checking a changed one)",
    )

    p = sub.add_parser("build", help="execute the chapters and build the HTML site (and PDF)")
    p.add_argument("--root", type=Path, default=REPO_ROOT, help="book root holding _config.yml and _toc.yml")
    p.add_argument("--data-dir", type=Path, default=None, help="dataset folder (default: <root>/data)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--edition", type=int, default=None, help="report year; default: latest available")
    which.add_argument(
        "--all-editions",
        action="store_true",
        help="build every available edition into _build/html/<year>/ (the latest also at the root)",
    )
    p.add_argument("--jobs", type=int, default=None, help="parallel notebook executions (default: CPU count)")
    p.add_argument("--force", action="store_true", help="re-execute every chapter")
    p.add_argument("--strict", action="store_true", help="Sphinx warnings are errors (-W -n --keep-going)")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDF edition")

    p = sub.add_parser("serve", help="preview the built site on 127.0.0.1")
    p.add_argument("--root", type=Path, default=REPO_ROOT, help="book root whose _build/html is served")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")

    p = sub.add_parser("nbstrip", help="strip notebook outputs except `# NBVAL_CHECK_OUTPUT` cells")
    p.add_argument("notebooks", nargs="*", help="notebooks to strip (default: book/*.ipynb)")
    p.add_argument("--root", type=Path, default=REPO_ROOT, help="book root holding book/")
    p.add_argument(
        "--refresh", action="store_true", help="re-execute and store fresh NBVAL_CHECK_OUTPUT outputs"
    )

    p = sub.add_parser(
        "vendor-js", help="refresh the vega/vega-lite/vega-embed builds in book/_static/vendor"
    )
    p.add_argument(
        "--dest",
        type=Path,
        default=REPO_ROOT / "book" / "_static" / "vendor",
        help="folder for the scripts (default: book/_static/vendor)",
    )
    p.add_argument("--check", action="store_true", help="only verify versions and checksums; exit 1 if stale")

    from dcbook.datapackage import add_arguments as datapackage_arguments
    from dcbook.ingest import add_arguments as ingest_arguments
    from dcbook.publish import add_arguments as publish_arguments

    ingest_arguments(
        sub.add_parser("ingest", help="draft data rows from a new report's text (review, then rename)")
    )
    datapackage_arguments(
        sub.add_parser("datapackage", help="regenerate data/datapackage.json and data/references.bib")
    )
    publish_arguments(
        sub.add_parser("publish", help="push the built site to the gh-pages branch of a remote")
    )
    from dcbook.coverage import arguments as coverage_arguments

    coverage_arguments(
        sub.add_parser("coverage", help="list the numbers in the raw documents that no data row covers")
    )

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run one command; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "validate" and args.rehash:
        from dcbook.datapackage import rehash_main as run
    elif args.command == "validate":
        from dcbook.data import validate_command as run
    elif args.command == "build":
        from dcbook.build import main as run
    elif args.command == "serve":
        from dcbook.build import serve as run
    elif args.command == "nbstrip":
        from dcbook.pipeline.nbstrip import main as run
    elif args.command == "vendor-js":
        from dcbook.vendor import main as run
    elif args.command == "ingest":
        from dcbook.ingest import main as run
    elif args.command == "datapackage":
        from dcbook.datapackage import main as run
    elif args.command == "publish":
        from dcbook.publish import main as run
    elif args.command == "coverage":
        from dcbook.coverage import main as run
    else:  # pragma: no cover - argparse rejects unknown commands
        raise AssertionError(args.command)
    try:
        return int(run(args) or 0)
    except OSError as exc:
        # The commands report their foreseeable faults themselves; this is the net for the rest (a
        # read-only or full disk, a file vanishing mid-run): one line naming the file, never a traceback.
        names = " → ".join(str(n) for n in (exc.filename, exc.filename2) if n is not None)
        reason = exc.strerror or str(exc)
        print(f"dcbook {args.command}: error: {names + ': ' if names else ''}{reason}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
