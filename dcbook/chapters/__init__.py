"""Chapter modules and the one contract every chapter notebook follows.

A chapter is a notebook in ``book/`` plus (usually) a module here named by its slug. The notebook's setup
cell is always

.. code-block:: python

    from dcbook.chapters import setup

    ch = setup("infrastructure", edition, data_dir)

which loads the edition's dataset, asks the module for its facts, charts and tables, and publishes them
(one output the build reads: :data:`dcbook.render.PAYLOAD_MIME`). The Markdown cells are templates over
those facts (:mod:`dcbook.prose`); a ``# NBVAL_CHECK_OUTPUT`` cell prints ``ch.headline()`` so the test
suite pins the chapter's key figures.

A chapter module defines

* ``facts(ds) -> dict[str, fact | None]`` — every name its templates may use (``None`` where the edition
  lacks the figures); facts, never sentences (:mod:`dcbook.facts`);
* ``figures(ds) -> dict[str, render.Figure | None]`` — its charts, untitled (the template's chart
  directive gives title and subtitle); optional;
* ``tables(ds) -> dict[str, DataFrame | Styler | None]`` — tables a ``data-table`` directive places; optional;
* ``headline(ds) -> dict[str, str]`` — the figures its check cell prints; optional.

The registry of chapters (slug and domains of each notebook) is the ``meta: chapters:`` block of
``_toc.yml``: one place, read by :func:`registry`.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import yaml

from dcbook import facts as F
from dcbook import fmt, render
from dcbook import headline as H
from dcbook import regional as rg
from dcbook.provenance import record_code

# Every chapter notebook imports this package, and its tables (pandas Styler) show strings from the data files:
# escape them as HTML so a name like "<script>…" is shown, never run.
fmt.escape_html_tables()


@dataclass(frozen=True)
class ChapterInfo:
    """One registry entry: the notebook (docname), its slug (module name) and domains."""

    docname: str
    slug: str
    domains: tuple[str, ...] = ()
    #: The editor's rules that pick the chapter's headline finding, first applicable first
    #: (:mod:`dcbook.headline`); empty: the chapter has no headline finding.
    headline: tuple[str, ...] = ()


def registry(root: Path | None = None) -> dict[str, ChapterInfo]:
    """The chapter registry from ``_toc.yml`` (``meta: chapters:``), keyed by slug, in book order."""
    from dcbook import REPO_ROOT

    path = (root or REPO_ROOT) / "_toc.yml"
    record_code(path)  # the chapters' metadata (headline rules among them) is an input of every chapter
    toc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = ((toc.get("meta") or {}).get("chapters")) or {}
    out: dict[str, ChapterInfo] = {}
    for docname, spec in entries.items():
        spec = spec or {}
        slug = str(spec.get("slug") or "")
        if not slug:
            raise ValueError(f"{path}: meta.chapters.{docname}: no slug")
        if slug in out:
            raise ValueError(f"{path}: meta.chapters: slug {slug!r} is used twice")
        out[slug] = ChapterInfo(
            str(docname),
            slug,
            tuple(str(d) for d in spec.get("domains") or ()),
            tuple(str(r) for r in spec.get("headline") or ()),
        )
    return out


def domains_of(slug: str, root: Path | None = None) -> tuple[str, ...]:
    """The catalogue domains a chapter covers (registry), e.g. ``("infrastructure",)``."""
    return registry(root)[slug].domains


def table_id(frame: pd.DataFrame, caption: str = "") -> str:
    """A table's HTML id from what it shows (caption, headers, cells), so two builds of the same data
    publish identical pages (pandas would draw a random one)."""
    key = "\x1f".join([caption, frame.to_csv(), repr(list(frame.columns)), repr(list(frame.index))])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _table_payload(table: Any) -> dict[str, str]:
    """A table as the display data a ``data-table`` directive places (HTML escaped, stable id, plain text).

    A mapping is display data the chapter rendered itself (an interactive table such as
    :func:`dcbook.chapters.exhibits.filter_table`, which escapes its cells and names its own table id).
    """
    if isinstance(table, Mapping):
        return {str(k): str(v) for k, v in table.items()}
    if isinstance(table, pd.DataFrame):
        frame, styler = table, table.style.hide(axis="index")
    else:
        frame, styler = table.data, table
    styler = styler.set_uuid(table_id(frame, str(getattr(styler, "caption", "") or "")))
    return {"text/html": styler.to_html(), "text/plain": frame.to_string(index=False)}


@dataclass
class Chapter:
    """One chapter of one edition: its dataset, facts, charts and tables (what its templates see)."""

    slug: str
    module: ModuleType
    ds: Any
    facts: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)

    def headline(self) -> dict[str, str]:
        """The key figures the check cell prints (the module's ``headline``, or the edition alone), then
        the headline finding the chapter's rule picked (when the chapter has one)."""
        fn = getattr(self.module, "headline", None)
        out = fn(self.ds) if fn is not None else {"edition": str(self.ds.edition)}
        if "headline" in self.facts:
            out = {**out, "headline": H.summary(self.facts["headline"])}
        return out

    def print_headline(self) -> None:
        for key, value in self.headline().items():
            print(f"{key}: {value}")

    def payload(self) -> dict[str, Any]:
        """Facts, charts and tables as JSON for the build's template step."""
        for key, fig in self.figures.items():
            if fig is not None and not isinstance(fig, render.Figure):
                raise TypeError(
                    f"chapter {self.slug}: figures()[{key!r}] is a {type(fig).__name__}, not a Figure"
                )
        return {
            "chapter": self.slug,
            "edition": int(self.ds.edition),
            # the chart metadata's sources and dates (render.Figure.metadata)
            "sources": {
                str(r["source_id"]): {"title": str(r["title"]), "published": str(r["published"] or "")}
                for r in self.ds.sources.to_dict("records")
            },
            "facts": F.encode(self.facts),
            "book": F.encode(F.book(self.ds)),
            "figures": {k: (None if v is None else v.payload()) for k, v in self.figures.items()},
            "tables": {k: (None if v is None else _table_payload(v)) for k, v in self.tables.items()},
        }

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        text = f"chapter {self.slug}, edition {self.ds.edition}: {len(self.facts)} facts"
        return {render.PAYLOAD_MIME: self.payload(), "text/plain": text}


def weaknesses(ds: Any, slug: str, scope: str = "national") -> tuple[dict[str, Any], ...] | None:
    """The items of the reports' list of weaknesses (diagnoses.csv; national or regional) that belong to a
    chapter — only those of the edition's own documents, so an older edition never quotes a later one."""
    d = rg.diagnoses(ds, scope)
    d = d[d["chapter"] == slug]
    if d.empty:
        return None
    src = {s.id: s for s in F.sources(ds)}
    return tuple(
        {"year": int(r["year"]), "item": int(r["item"]), "topic": str(r["topic_zh"]), "quote": str(r["quote"]),
         "source": src.get(str(r["source_id"]))}
        for _, r in d.iterrows()
    )  # fmt: skip


def compute(slug: str, ds: Any) -> Chapter:
    """One chapter over a given dataset (a real edition, or a small hand-made one in the tests)."""
    module = importlib.import_module(f"dcbook.chapters.{slug}")
    parts: dict[str, Mapping[str, Any]] = {}
    for name in ("facts", "figures", "tables"):
        fn = getattr(module, name, None)
        parts[name] = dict(fn(ds)) if fn is not None else {}
    facts = dict(parts["facts"])
    info = registry().get(slug)
    if info is not None and info.headline:
        # The headline finding: the chapter's rules (registry) over its domains (every domain when none).
        facts["headline"] = H.finding(ds, info.headline, info.domains or None)
        facts["weakness"] = weaknesses(ds, slug)
        facts["regional_weakness"] = weaknesses(ds, slug, "regional")
    return Chapter(slug, module, ds, facts, dict(parts["figures"]), dict(parts["tables"]))


def load(slug: str, edition: int | None = None, data_dir: Path | str | None = None) -> Chapter:
    """Compute one chapter for one edition without displaying anything (tests, the template checks)."""
    from dcbook import data

    return compute(slug, data.load(edition, data_dir))


def setup(slug: str, edition: int | None = None, data_dir: Path | str | None = None) -> Chapter:
    """The setup cell of every chapter notebook: compute the chapter and publish its payload."""
    from IPython.display import display

    chapter = load(slug, edition, data_dir)
    display(chapter)
    return chapter
