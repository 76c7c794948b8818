"""``dcbook vendor-js``: refresh the vega, vega-lite and vega-embed builds served from ``_static/vendor/``.

Altair's own HTML loads these libraries from a CDN at view time, so an offline reader sees an error
instead of a chart. The book serves exact copies instead. Versions are not chosen by hand:

* vega-lite is the version Altair compiles for (``altair.VEGALITE_VERSION``), so the spec Altair writes
  is the spec the browser reads;
* vega and vega-embed are the versions vl-convert bundles (``vl_convert.get_vega_version()``,
  ``get_vega_embed_version()``), so the PNG/PDF in the LaTeX book and the chart in the browser are drawn
  by the same engine.

Run it after upgrading altair or vl-convert-python: ``dcbook vendor-js`` (uses ``npm pack`` against the npm
registry; nothing else is downloaded). ``versions.json`` records what was installed and the sha256 of each file;
``tests/test_render.py`` fails when it no longer matches the installed Altair.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from dcbook import REPO_ROOT

#: Where the vendored files live inside the book.
VENDOR_DIR = REPO_ROOT / "book" / "_static" / "vendor"
#: Load order matters: vega-lite needs the global ``vega``, vega-embed needs both.
SCRIPTS: tuple[tuple[str, str], ...] = (
    ("vega", "build/vega.min.js"),
    ("vega-lite", "build/vega-lite.min.js"),
    ("vega-embed", "build/vega-embed.min.js"),
)


def wanted_versions() -> dict[str, str]:
    """Versions to vendor, derived from the installed altair and vl-convert (see module docstring)."""
    import altair as alt
    import vl_convert as vlc

    return {
        "vega": vlc.get_vega_version(),
        "vega-lite": alt.VEGALITE_VERSION,
        "vega-embed": vlc.get_vega_embed_version(),
    }


def script_name(package: str) -> str:
    """File name of a vendored script inside ``_static/vendor/``."""
    return f"{package}.min.js"


def html_js_files() -> list[str]:
    """The ``html_js_files`` entries (relative to ``_static``) in load order, for ``_config.yml``."""
    return [f"vendor/{script_name(package)}" for package, _ in SCRIPTS]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _npm_pack(spec: str, workdir: Path) -> Path:
    """Download one package tarball with ``npm pack`` and return its path; errors name the package."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "vendor-js: `npm` not found on PATH; install Node.js/npm to refresh the vendored JS"
        )
    proc = subprocess.run(
        [npm, "pack", spec, "--silent"], cwd=workdir, capture_output=True, text=True, timeout=300, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"vendor-js: `npm pack {spec}` failed (exit {proc.returncode}): {proc.stderr.strip()}"
        )
    name = proc.stdout.strip().splitlines()[-1]
    return workdir / name


def vendor(dest: Path = VENDOR_DIR, versions: dict[str, str] | None = None) -> dict[str, object]:
    """Fetch the builds into ``dest`` and write ``versions.json``; returns the recorded metadata."""
    versions = versions or wanted_versions()
    dest.mkdir(parents=True, exist_ok=True)
    record: dict[str, object] = {
        "note": "Written by `dcbook vendor-js`; do not edit by hand. Load order: "
        + ", ".join(p for p, _ in SCRIPTS),
        "packages": {},
    }
    packages: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="dcbook-vendor-") as tmp:
        work = Path(tmp)
        for package, member in SCRIPTS:
            spec = f"{package}@{versions[package]}"
            tarball = _npm_pack(spec, work)
            with tarfile.open(tarball, "r:gz") as tar:
                for inner, target in (
                    (f"package/{member}", script_name(package)),
                    ("package/LICENSE", f"{package}.LICENSE"),
                ):
                    try:
                        fh = tar.extractfile(inner)
                    except KeyError:
                        raise RuntimeError(f"vendor-js: {tarball.name} has no {inner}") from None
                    if fh is None:
                        raise RuntimeError(f"vendor-js: {tarball.name}: {inner} is not a file")
                    (dest / target).write_bytes(fh.read())
            packages[package] = {
                "version": versions[package],
                "file": script_name(package),
                "from": f"npm:{spec} {member}",
                "sha256": _sha256(dest / script_name(package)),
                "license": f"{package}.LICENSE",
            }
    record["packages"] = packages
    (dest / "versions.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return record


def check(dest: Path = VENDOR_DIR) -> list[str]:
    """Return problems with the vendored files: missing, edited, or stale against the installed Altair."""
    problems: list[str] = []
    meta_path = dest / "versions.json"
    if not meta_path.exists():
        return [f"{meta_path}: missing; run `dcbook vendor-js`"]
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    for package, version in wanted_versions().items():
        entry = meta.get("packages", {}).get(package)
        if entry is None:
            problems.append(f"{meta_path}: no entry for {package}")
            continue
        if entry["version"] != version:
            problems.append(
                f"{meta_path}: {package} is {entry['version']}, installed tools need {version}; run `dcbook vendor-js`"
            )
        path = dest / entry["file"]
        if not path.exists():
            problems.append(f"{path}: missing; run `dcbook vendor-js`")
        elif _sha256(path) != entry["sha256"]:
            problems.append(f"{path}: sha256 differs from versions.json (edited by hand?)")
    return problems


def main(args: argparse.Namespace) -> int:
    """CLI entry: vendor (default) or, with ``--check``, report problems and exit 1 if any."""
    dest = Path(args.dest)
    if args.check:
        problems = check(dest)
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    record = vendor(dest)
    for package, entry in record["packages"].items():  # type: ignore[union-attr]
        print(f"{package} {entry['version']} → {dest / entry['file']}")
    return 0
