"""What the build executes and what each chapter depends on.

A chapter is re-executed only when one of its inputs changed. The inputs are content hashes (never
mtimes, which a ``git checkout`` resets): the notebook's cells (outputs excluded, so refreshing nbval
expectations does not count as a change… but editing code does), each ``dcbook`` module and each data
file the chapter *actually* imported and read last time (both recorded through :mod:`dcbook.provenance`),
the modules that render its prose (:func:`renderer_hash`), the injected parameters and the locked
``requirements.txt``. Editing build, PDF, publishing or ingest code therefore re-executes no chapter.
The hashes live in ``_build/manifest.json``.

Entries are keyed by edition and chapter (:func:`chapter_key`: ``2020/book/05_economy``), and each edition
executes into its own ``_build/executed/<edition>/``, so the editions of ``dcbook build --all-editions``
are cached independently: building one never invalidates another.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import dcbook

MANIFEST_VERSION = 2
#: Source suffixes Jupyter Book accepts for a toc entry, in lookup order.
SOURCE_SUFFIXES = (".ipynb", ".md")


class BuildInputError(RuntimeError):
    """A book source (``_toc.yml``, a notebook, the manifest) is unusable; the message names the file."""


@dataclass(frozen=True)
class Page:
    """One toc entry: ``docname`` as written in ``_toc.yml`` (``book/01_overview``) and its source file."""

    docname: str
    path: Path

    @property
    def is_notebook(self) -> bool:
        return self.path.suffix == ".ipynb"

    @property
    def stem(self) -> str:
        return self.path.stem


def _toc_files(node: Any, toc_path: Path, where: str) -> list[str]:
    """Collect ``file`` entries depth-first, in reading order, from any jb-book/jb-article toc node."""
    found: list[str] = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            found += _toc_files(item, toc_path, f"{where}[{i}]")
    elif isinstance(node, Mapping):
        if "file" in node:
            if not isinstance(node["file"], str) or not node["file"].strip():
                raise BuildInputError(f"{toc_path}: {where}.file: expected a path, got {node['file']!r}")
            found.append(node["file"].strip())
        for key in ("parts", "chapters", "sections"):
            if key in node:
                found += _toc_files(node[key], toc_path, f"{where}.{key}")
    return found


def toc_pages(root: Path) -> list[Page]:
    """Every page listed in ``root/_toc.yml`` (root first), each resolved to an existing source file."""
    toc_path = root / "_toc.yml"
    try:
        toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BuildInputError(f"{toc_path}: missing (the build needs the table of contents)") from exc
    except yaml.YAMLError as exc:
        raise BuildInputError(f"{toc_path}: not valid YAML: {exc}") from exc
    if not isinstance(toc, Mapping) or not isinstance(toc.get("root"), str):
        raise BuildInputError(f"{toc_path}: needs a top-level `root: <file>` entry")
    docnames = [
        toc["root"].strip(),
        *_toc_files({k: v for k, v in toc.items() if k != "root"}, toc_path, "toc"),
    ]
    pages: list[Page] = []
    for docname in docnames:
        docname = docname.removesuffix(".ipynb").removesuffix(".md")
        candidates = [root / f"{docname}{suffix}" for suffix in SOURCE_SUFFIXES]
        existing = [c for c in candidates if c.is_file()]
        if not existing:
            raise BuildInputError(
                f"{toc_path}: entry {docname!r}: no {docname}.ipynb or {docname}.md under {root}"
            )
        pages.append(Page(docname, existing[0]))
    seen: set[str] = set()
    for page in pages:
        if page.docname in seen:
            raise BuildInputError(f"{toc_path}: entry {page.docname!r} is listed twice")
        seen.add(page.docname)
    return pages


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hash a file in chunks (data files may be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def notebook_hash(path: Path) -> str:
    """Hash what determines a notebook's execution: cell types, sources and tags, and the kernel.

    Outputs, execution counts and other metadata are left out on purpose: they change when a notebook
    is run or its nbval expectations are refreshed, which must not invalidate the cache.
    """
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildInputError(f"{path}: not a readable notebook: {exc}") from exc
    cells = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        tags = sorted(cell.get("metadata", {}).get("tags", []))
        cells.append([cell.get("cell_type"), source, tags])
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    return sha256_bytes(json.dumps([kernel, cells], ensure_ascii=False, sort_keys=True).encode("utf-8"))


def templates_hash(notebook: Path) -> str:
    """Hash of the shared phrases beside a notebook (``_templates/``): its Markdown is rendered with them.
    Page templates of the build (``_templates/pages/``) are not phrases: a chapter does not depend on them."""
    return tree_hash(notebook.parent / "_templates", ignore=("__pycache__", "pages"))


def tree_hash(directory: Path, ignore: Iterable[str] = ("__pycache__",)) -> str:
    """Hash every file under ``directory`` (relative names and contents), skipping ``ignore`` dir names."""
    digest = hashlib.sha256()
    ignored = set(ignore)
    if not directory.is_dir():
        return sha256_bytes(b"<absent>")
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if d not in ignored)
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath) / name
            digest.update(path.relative_to(directory).as_posix().encode("utf-8") + b"\0")
            digest.update(sha256_file(path).encode("ascii") + b"\n")
    return digest.hexdigest()


#: The modules that turn a chapter's Markdown and facts into prose after its kernel has run (in the build's
#: own process, so the kernel's import record does not see them).
RENDERER_MODULES = ("dcbook.prose",)


def _module_file(package_dir: Path, name: str) -> Path | None:
    """The source file of module ``name`` (``dcbook.x.y``) under ``package_dir``, or ``None``."""
    parts = name.split(".")[1:]
    base = package_dir.joinpath(*parts)
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def code_closure(names: Iterable[str], package_dir: Path | None = None) -> list[Path]:
    """The source files of ``names`` and of every ``dcbook`` module they import, directly or not (read from
    the code, imports inside functions included), with their packages' ``__init__`` files; sorted."""
    package_dir = package_dir or Path(dcbook.__file__).resolve().parent
    top = package_dir.name
    seen: dict[str, Path] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen or not (name == top or name.startswith(top + ".")):
            continue
        path = _module_file(package_dir, name)
        if path is None:
            continue
        seen[name] = path
        parent = name.rpartition(".")[0]
        if parent:
            todo.append(parent)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                todo += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                todo.append(node.module)
                todo += [f"{node.module}.{a.name}" for a in node.names]  # a submodule, when it is one
    return sorted(seen.values())


def code_hash(modules: Iterable[str]) -> str:
    """Hash of the code of ``modules`` and of every ``dcbook`` module they import (:func:`code_closure`)."""
    package_dir = Path(dcbook.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in code_closure(modules, package_dir):
        digest.update(path.relative_to(package_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(sha256_file(path).encode("ascii") + b"\n")
    return digest.hexdigest()


def renderer_hash() -> str:
    """Hash of the prose renderer's code (:data:`RENDERER_MODULES` and what they import)."""
    return code_hash(RENDERER_MODULES)


def requirements_hash(root: Path) -> str:
    """Hash of the locked requirements (a dependency upgrade may change outputs)."""
    path = root / "requirements.txt"
    return sha256_file(path) if path.is_file() else sha256_bytes(b"<no requirements.txt>")


def parameters_hash(parameters: Mapping[str, Any]) -> str:
    return sha256_bytes(json.dumps(dict(parameters), sort_keys=True, ensure_ascii=False).encode("utf-8"))


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it (manifests stay valid when the tree is copied)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def resolve_display_path(name: str, root: Path) -> Path:
    path = Path(name)
    return path if path.is_absolute() else root / path


def hash_reads(paths: Iterable[Path], root: Path) -> dict[str, str]:
    """Content hash of each data file a chapter read; a file that vanished hashes as ``<missing>``."""
    hashes: dict[str, str] = {}
    for path in paths:
        hashes[display_path(path, root)] = sha256_file(path) if path.is_file() else "<missing>"
    return hashes


def hash_views(views: Iterable[tuple[Path, int]], root: Path) -> dict[str, list[Any]]:
    """Content hash of the rows of each table a chapter read through an edition's view (see
    :func:`dcbook.data.edition_view_digest`): ``{name: [edition, hash]}``."""
    from dcbook.data import edition_view_digest

    return {display_path(path, root): [int(ed), edition_view_digest(path, int(ed))] for path, ed in views}


def stale_views(recorded: Mapping[str, Any], root: Path) -> list[str]:
    """The recorded table views whose rows differ now (sorted, relative names)."""
    from dcbook.data import edition_view_digest

    changed = []
    for name, (edition, digest) in recorded.items():
        if edition_view_digest(resolve_display_path(name, root), int(edition)) != digest:
            changed.append(name)
    return sorted(changed)


def stale_reads(recorded: Mapping[str, str], root: Path) -> list[str]:
    """The recorded data files whose content differs now (sorted, relative names)."""
    changed = []
    for name, digest in recorded.items():
        path = resolve_display_path(name, root)
        now = sha256_file(path) if path.is_file() else "<missing>"
        if now != digest:
            changed.append(name)
    return sorted(changed)


def chapter_key(edition: int, docname: str) -> str:
    """The manifest key of one chapter of one edition: editions never share (or overwrite) a cache entry."""
    return f"{int(edition)}/{docname}"


def load_manifest(path: Path) -> dict[str, Any]:
    """Read the manifest; a missing file is an empty cache, a corrupt one is an error naming it."""
    if not path.is_file():
        return {"version": MANIFEST_VERSION, "entries": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BuildInputError(
            f"{path}: corrupt build manifest ({exc}); delete it or run with --force"
        ) from exc
    if manifest.get("version") != MANIFEST_VERSION or not isinstance(manifest.get("entries"), dict):
        # An older layout: its decisions cannot be trusted, so every chapter re-executes once.
        return {"version": MANIFEST_VERSION, "entries": {}}
    return manifest


def save_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    """Write atomically (temp file + rename): an interrupted build never leaves half a manifest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    os.replace(tmp, path)


def cache_decision(
    entry: Mapping[str, Any] | None,
    inputs: Mapping[str, str],
    root: Path,
    executed: Path,
    downloads: Path,
) -> str | None:
    """Why a chapter must re-execute, or ``None`` when its executed copy can be reused.

    The reason is shown in the progress output and build report, so a surprising re-execution can be
    traced to the input that changed.
    """
    if entry is None:
        return "never executed"
    for name in ("notebook", "templates", "renderer", "parameters", "requirements"):
        if name in inputs and entry.get("inputs", {}).get(name) != inputs[name]:
            return {
                "notebook": "notebook changed",
                "templates": "shared phrases (_templates/) changed",
                "renderer": "prose renderer code changed",
                "parameters": "parameters changed",
                "requirements": "requirements.txt changed",
            }[name]
    changed = stale_reads(entry.get("code", {}), root)
    if changed:
        return "code changed: " + ", ".join(changed)
    changed = sorted({*stale_reads(entry.get("reads", {}), root), *stale_views(entry.get("views", {}), root)})
    if changed:
        return "data changed: " + ", ".join(changed)
    if not executed.is_file() or sha256_file(executed) != entry.get("executed_sha"):
        return "executed copy missing or modified"
    if tree_hash(downloads) != entry.get("downloads_sha"):
        return "chart downloads missing or modified"
    return None
