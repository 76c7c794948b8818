"""Every chapter of every edition, rendered from its templates, read as a careful reader would.

Fast (no build, charts not drawn): the chapter's facts are computed for the real edition and its Markdown
templates rendered (:func:`prose_checks.preview`). The built-site tests repeat the reader's checks on the
HTML pages.
"""

from __future__ import annotations

import pytest
from prose_checks import (
    all_sources,
    cited_keys,
    is_templated,
    late_sources,
    no_data_sentences,
    preview,
    repeated_sentences,
    sections,
)

from dcbook import data
from dcbook.chapters import registry

EDITIONS = data.available_editions()
CHAPTERS = [slug for slug in registry() if is_templated(slug)]
CASES = [(slug, ed) for slug in CHAPTERS for ed in EDITIONS]


@pytest.fixture(scope="module")
def pages() -> dict[tuple[str, int], str]:
    return {case: preview(*case) for case in CASES}


@pytest.mark.parametrize(("slug", "edition"), CASES)
def test_no_sentence_is_said_twice(pages: dict[tuple[str, int], str], slug: str, edition: int) -> None:
    assert repeated_sentences(pages[slug, edition]) == []


@pytest.mark.parametrize(("slug", "edition"), CASES)
def test_an_edition_names_no_later_document(
    pages: dict[tuple[str, int], str], slug: str, edition: int
) -> None:
    text = pages[slug, edition]
    assert late_sources(text, edition, all_sources(), cited_keys(text)) == []


@pytest.mark.parametrize(("slug", "edition"), CASES)
def test_at_most_one_no_data_sentence_per_section(
    pages: dict[tuple[str, int], str], slug: str, edition: int
) -> None:
    assert no_data_sentences(sections(pages[slug, edition])) == {}


@pytest.mark.parametrize(("slug", "edition"), CASES)
def test_pages_render_no_template_syntax(pages: dict[tuple[str, int], str], slug: str, edition: int) -> None:
    text = pages[slug, edition]
    assert "{{" not in text and "{%" not in text and "{glue" not in text
