"""Appendix 指标目录 (dcbook.chapters.catalogue): every indicator, grouped by domain, as escaped Markdown tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from dcbook import data, schema
from dcbook.chapters import catalogue
from dcbook.chapters.overview import DOMAIN_ZH


@pytest.fixture(scope="module", params=data.available_editions())
def ds(request: pytest.FixtureRequest) -> data.Dataset:
    return data.load(request.param)


def _cells(markdown: str) -> list[list[str]]:
    """Rows of the Markdown tables as a GFM parser reads them (header rows included)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows: list[list[str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and tokens[i - 1].type in {"th_open", "td_open"}:
            rows[-1].append(
                "".join(c.content for c in tok.children or [] if c.type in {"text", "text_special"})
            )
    return rows


def test_every_indicator_once_with_its_sources_and_count(ds: data.Dataset) -> None:
    table = catalogue.catalogue_table(ds)
    assert sorted(table["indicator_id"]) == sorted(map(str, ds.indicators.index))
    assert table["n_obs"].sum() == len(ds.observations)
    obs = ds.observations
    order = list(ds.sources["source_id"])
    for row in table.itertuples():
        used = set(obs.loc[obs["indicator_id"] == row.indicator_id, "source_id"])
        if not used:
            assert row.sources == catalogue.NO_SOURCE and row.n_obs == 0
            continue
        listed = row.sources.split("、")
        assert set(listed) == used, row.indicator_id
        assert listed == sorted(listed, key=order.index), row.indicator_id  # sources.csv order


def test_grouped_by_domain_in_chapter_order(ds: data.Dataset) -> None:
    groups = catalogue.by_domain(ds)
    labels = [label for label, _ in groups]
    expected = [DOMAIN_ZH[d] for d in schema.DOMAINS if (ds.indicators["domain"] == d).any()]
    assert labels == expected
    assert sum(len(rows) for _, rows in groups) == len(ds.indicators)
    for _, rows in groups:
        assert list(rows["indicator_id"]) == sorted(rows["indicator_id"])


def test_markdown_has_a_caption_and_a_table_per_domain(ds: data.Dataset) -> None:
    text = catalogue.catalogue_markdown(ds)
    groups = catalogue.by_domain(ds)
    for label, rows in groups:
        assert f"**{label}**（{len(rows)} 个指标）" in text
    cells = _cells(text)
    header = list(catalogue.COLUMNS.values())
    assert sum(1 for r in cells if r == header) == len(groups)
    body = [r for r in cells if r != header]
    assert len(body) == len(ds.indicators)
    assert {r[0] for r in body} == set(map(str, ds.indicators.index))  # ids survive the escaping


def test_cells_are_escaped() -> None:
    rows = pd.DataFrame(
        [{"a": "x|y", "b": "*not emphasis* <script>alert(1)</script>", "c": "{doc}`x` a_b_c [l](u)"}]
    )
    text = catalogue.markdown_table(rows, {"a": "A", "b": "B", "c": "C"})
    cells = _cells(text)
    assert cells == [
        ["A", "B", "C"],
        ["x|y", "*not emphasis* <script>alert(1)</script>", "{doc}`x` a_b_c [l](u)"],
    ]
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in html and "<em>" not in html and "<a " not in html


def test_unobserved_indicator_and_pure_index(make_mini: Callable[..., Path]) -> None:
    root = make_mini({"rep_b": [("users", "全国", 2021, "10.32", "亿人", "exact", "网民规模达10.32亿人")]})
    ds = data.load(2021, root)
    table = catalogue.catalogue_table(ds).set_index("indicator_id")
    assert table.loc["users", "sources"] == "rep_b" and table.loc["users", "n_obs"] == 1
    assert table.loc["stations", "sources"] == catalogue.NO_SOURCE and table.loc["stations", "n_obs"] == 0
    assert catalogue.texts(ds)["n_unused"] == "1 个"
    assert catalogue.headline(ds) == {"edition": "2021", "indicators": "2", "domains": "2", "unused": "1"}


def test_sources_legend_lists_every_source(ds: data.Dataset) -> None:
    legend = catalogue.sources_frame(ds)
    assert list(legend["来源编号"]) == list(ds.sources["source_id"])
    assert len(_cells(catalogue.sources_markdown(ds))) == len(ds.sources) + 1
