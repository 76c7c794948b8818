"""The editing path: an editor changes prose in Markdown, and the built page changes — nothing else does.

A copy of the real repository builds one edition; then (1) one sentence of one chapter's Markdown template is
reworded, and (2) one word of a shared phrase in ``book/_templates/phrases.jinja``. Each time only the
edited file changes (no Python), the rebuild re-executes only the chapters whose text can have changed, and
the built pages show the new wording where, and only where, it is used.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import copy_repo
from rich.console import Console

from dcbook import build

EDITION = 2017
CHAPTER = "book/02_infrastructure"
OLD = "网络是数字中国其余部分的地基"
NEW = "网络是数字中国一切其余部分共同的地基"
#: The build report page lists what each build executed: it changes with every build.
BUILD_INFO = "build_info.html"
PHRASE_OLD, PHRASE_NEW = "'降至' if s.change.down else '增至'", "'降至' if s.change.down else '增加到'"


def _build(root: Path) -> dict:
    return build.run_build(
        build.BuildOptions(root=root, edition=EDITION, jobs=2, console=Console(quiet=True))
    )


def _executed(report: dict) -> set[str]:
    return {c["chapter"] for c in report["chapters"] if c["status"] == "executed"}


def _pages(html: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((html / "book").glob("*.html"))}


def _edit_notebook(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the notebook's Markdown cells, as an editor would in Jupyter."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    hits = 0
    for cell in nb["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown" and old in text:
            cell["source"], hits = text.replace(old, new), hits + 1
    assert hits == 1, f"{path}: the phrase {old!r} is in {hits} Markdown cells"
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_an_edited_sentence_and_an_edited_phrase_reach_the_pages(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    _build(root)
    html = root / "_build" / "html"
    before = _pages(html)
    page = f"{Path(CHAPTER).name}.html"
    assert OLD in before[page].decode("utf-8")

    # (1) one sentence of one chapter's Markdown
    _edit_notebook(root / f"{CHAPTER}.ipynb", OLD, NEW)
    report = _build(root)
    assert _executed(report) == {CHAPTER}, report["chapters"]
    after = _pages(html)
    text = after[page].decode("utf-8")
    assert NEW in text and OLD not in text
    changed = {name for name in before if after.get(name) != before[name]} - {BUILD_INFO}
    assert changed == {page}, f"pages changed besides {page}: {sorted(changed - {page})}"

    # (2) one word of a shared phrase: every chapter that uses it, and only those, show the new word
    phrases = root / "book" / "_templates" / "phrases.jinja"
    source = phrases.read_text(encoding="utf-8")
    assert source.count(PHRASE_OLD) == 1
    phrases.write_text(source.replace(PHRASE_OLD, PHRASE_NEW), encoding="utf-8")
    _build(root)
    final = _pages(html)
    moved = {
        n for n in final if "增加到" in final[n].decode("utf-8") and "增加到" not in after[n].decode("utf-8")
    }
    assert page in moved, "the shared phrase's new word is not on the chapter that uses it"
    for name in set(final) - moved:
        assert final[name] == after[name] or name == BUILD_INFO, (
            f"{name} changed although it does not use the edited phrase"
        )
