"""What a careful reader checks on every page, as functions the tests share.

* :func:`repeated_sentences` — a sentence of 12 or more Chinese characters that occurs twice on a page;
* :func:`late_sources` — a page of an edition that names or cites a document published after the edition's
  own sources (a later yearly report, a plan the edition could not have seen, "2021 年版…");
* :func:`no_data_sentences` — sections with more than one "the edition has no data" sentence.

They run on a page's readable text: the rendered Markdown of a chapter (:func:`preview`, fast, no build) or
the text of a built HTML page (:func:`html_sections`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from dcbook import REPO_ROOT, data
from dcbook import facts as F
from dcbook.chapters import compute, registry
from dcbook.prose.notebook import preview as _preview

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
#: Words of a sentence that says the edition lacks something (the "no data" sentences of a section).
NO_DATA = re.compile(r"尚未给出|尚未涉及|没有给出|尚无|无法判断|无法计算|无从|不足两个|只有这一年|仅有这一年")
#: Markup that is not prose: MyST roles and directives' option lines, inline code, links' targets.
_MARKUP = re.compile(r"\{[a-z:\-]+\}`[^`]*`|`[^`]*`|\]\([^)]*\)|^:[a-z\-]+:.*$|^:{3,}.*$", re.MULTILINE)


def cjk_len(text: str) -> int:
    return len(_CJK.findall(text))


def sentences(text: str) -> list[str]:
    """Sentences of prose (split after 。！？；), markup removed, whitespace collapsed."""
    clean = _MARKUP.sub(" ", text)
    out = []
    for line in clean.split("\n"):
        line = re.sub(r"^\s*(?:[-*]|\d+\.|#+)\s*", "", line)
        for s in _SENTENCE_END.split(line):
            s = re.sub(r"\s+", " ", s).strip(" *")
            if s:
                out.append(s)
    return out


def repeated_sentences(text: str, min_cjk: int = 12) -> list[str]:
    """Sentences of at least ``min_cjk`` Chinese characters that occur more than once in ``text``."""
    counts = Counter(s.rstrip("。！？；，") for s in sentences(text) if cjk_len(s) >= min_cjk)
    return sorted(s for s, n in counts.items() if n > 1)


def sections(markdown: str) -> list[tuple[str, str]]:
    """``(heading, body)`` of each level-1/2 section of rendered Markdown (the intro under the title)."""
    out: list[tuple[str, str]] = []
    head, body = "", []
    for line in markdown.split("\n"):
        if re.match(r"^#{1,2} ", line):
            out.append((head, "\n".join(body)))
            head, body = line.lstrip("# ").strip(), []
        else:
            body.append(line)
    out.append((head, "\n".join(body)))
    return [(h, b) for h, b in out if b.strip() or h]


def no_data_sentences(secs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Sections (heading → sentences) holding more than one no-data sentence."""
    bad = {}
    for head, body in secs:
        hits = [s for s in sentences(body) if NO_DATA.search(s)]
        if len(hits) > 1:
            bad[head] = hits
    return bad


def _later_markers(source: F.Source) -> list[str]:
    """How a page would name a document: its title, the quoted short name in it ("十四五"), its year's
    edition ("2021 年版", "2021年版"), its report year ("（2021年）")."""
    marks = [source.title]
    marks += re.findall(r"“([^”]+)”", source.title)
    m = re.search(r"（(\d{4})年）", source.title)
    if m:
        marks += [f"{m.group(1)} 年版", f"{m.group(1)}年版", f"（{m.group(1)}年）", f"{m.group(1)} 年度报告"]
    return marks


def late_sources(
    text: str, edition: int, sources: Sequence[F.Source], cited: Iterable[str] = ()
) -> list[str]:
    """Mentions in ``text`` (and citation keys in ``cited``) of documents published after the edition's own.

    The edition's own documents are those with ``edition_year`` equal to it (for 2020: the 2020 report, the
    14th five-year plan and its interpretation); anything published later — a later report, or a plan after
    the 2017 report — must not be named, cited or alluded to.
    """
    own = [s.published for s in sources if s.edition_year == edition]
    if not own:
        return []
    cutoff = max(own)
    late = [s for s in sources if s.published > cutoff]
    found = []
    for s in late:
        for mark in _later_markers(s):
            if mark and mark in text:
                found.append(f"{s.id}: {mark!r}")
        if s.id in set(cited):
            found.append(f"{s.id}: cited")
    for y in re.findall(r"(\d{4}) ?年版", text):
        if int(y) > edition:
            found.append(f"edition {y}: '{y} 年版'")
    return sorted(set(found))


def all_sources() -> list[F.Source]:
    """Every document of the dataset (the latest edition sees them all)."""
    return list(F.sources(data.load()))


def cited_keys(markdown: str) -> set[str]:
    keys: set[str] = set()
    for m in re.finditer(r"\{cite(?::\w+)?\}`([^`]*)`", markdown):
        keys |= {k.strip() for k in m.group(1).split(",") if k.strip()}
    return keys


# ----------------------------------------------------------------------------------------------------------
# Rendered pages without a build


def notebook_of(slug: str) -> Path:
    return REPO_ROOT / (registry()[slug].docname + ".ipynb")


def is_templated(slug: str) -> bool:
    """Whether the chapter's notebook follows the contract (its setup cell calls dcbook.chapters.setup)."""
    nb = json.loads(notebook_of(slug).read_text(encoding="utf-8"))
    return any(
        c.get("cell_type") == "code" and "setup(" in "".join(c.get("source", "")) for c in nb.get("cells", [])
    )


def preview(slug: str, edition: int | None = None, ds: Any = None) -> str:
    """The chapter rendered as Markdown for an edition (or a hand-made dataset), charts as text."""
    ds = ds if ds is not None else data.load(edition)
    chapter = compute(slug, ds)
    path = notebook_of(slug)
    nb = json.loads(path.read_text(encoding="utf-8"))
    return _preview(
        chapter.payload(), nb, path.parent / "_templates", where=f"edition {ds.edition}, chapter {slug}"
    )


# ----------------------------------------------------------------------------------------------------------
# Built pages


def html_sections(path: Path) -> list[tuple[str, str]]:
    """``(heading, text)`` of each section of a built HTML page, as a reader sees the prose: paragraphs,
    list items and chart captions; tables, chart data tables and text alternatives, source lines, the legend
    note every chart with bounded values carries, and the catalogue left out."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    for tag in article.select(
        "script, style, table, details, .dc-chart-view, .dc-chart-source, .dc-chart-download, .dc-chart-note, "
        ".headerlink, .dcbook-filter-table, #dcbook-catalogue"
    ):
        tag.decompose()
    out: list[tuple[str, str]] = []
    head, parts = "", []
    for el in article.find_all(["h1", "h2", "p", "li"]):
        if el.name in ("h1", "h2"):
            out.append((head, "\n".join(parts)))
            head, parts = el.get_text(" ", strip=True), []
        elif el.name == "li" or not el.find_parent("li"):
            parts.append(re.sub(r"\s+", " ", el.get_text(" ", strip=True)))
    out.append((head, "\n".join(parts)))
    return [(h, b) for h, b in out if b.strip() or h]


def html_citations(path: Path) -> str:
    """The bibliography entries a built page cites (the title text of its citation links), one per line:
    a citation names its document, so :func:`late_sources` reads these too."""
    text = path.read_text(encoding="utf-8")
    return "\n".join(
        re.findall(r'<a class="reference internal" href="[^"]*references\.html#[^"]*" title="([^"]+)"', text)
    )
