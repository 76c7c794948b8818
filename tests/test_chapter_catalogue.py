"""Appendix 指标目录 (dcbook.chapters.catalogue): every indicator, grouped by domain, one escaped table each."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes import CATALOGUE, FakeDS
from prose_checks import preview

from dcbook import data, schema
from dcbook.chapters import catalogue, compute


@pytest.fixture(scope="module", params=data.available_editions())
def ds(request: pytest.FixtureRequest) -> data.Dataset:
    return data.load(request.param)


def _given(ds: data.Dataset) -> list[str]:
    """The indicators the edition's documents give: a figure or a plan target."""
    return sorted(
        set(ds.observations["indicator_id"].astype(str)) | set(ds.targets["indicator_id"].astype(str))
    )


def test_every_indicator_once_with_its_sources_and_count(ds: data.Dataset) -> None:
    table = catalogue.catalogue_table(ds)
    assert sorted(table["indicator_id"]) == _given(ds)
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
    given = ds.indicators.loc[_given(ds)]
    expected = [schema.DOMAIN_NAMES[d] for d in schema.DOMAINS if (given["domain"] == d).any()]
    assert labels == expected
    assert sum(len(rows) for _, rows in groups) == len(given)
    for _, rows in groups:
        assert list(rows["indicator_id"]) == sorted(rows["indicator_id"])


def _rows(html: str) -> list[list[str]]:
    """Cells of an HTML table's rows (header row included), tags dropped."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in rows
    ]


def test_a_caption_and_a_table_per_domain(ds: data.Dataset) -> None:
    chapter = compute("catalogue", ds)
    page = preview("catalogue", ds=ds)
    groups = catalogue.by_domain(ds)
    assert [(n, c) for n, _, c in chapter.facts["domains"]] == [(label, len(rows)) for label, rows in groups]
    header = list(catalogue.COLUMNS.values())
    ids = []
    for (label, rows), (_, key, n) in zip(groups, chapter.facts["domains"], strict=True):
        assert f"**{label}**（{n} 个指标）" in page
        cells = _rows(chapter.payload()["tables"][key]["text/html"])
        assert cells[0] == header and len(cells) == len(rows) + 1
        ids += [r[0] for r in cells[1:]]
    assert sorted(ids) == _given(ds)  # every indicator the edition's documents give, once


def test_cells_are_escaped() -> None:
    """A name with markup in the data shows as text in the appendix's table, never as markup."""
    ds = FakeDS([("users_5g", 2021, 3.55, "exact")])
    ds.indicators = CATALOGUE.copy()
    ds.indicators.loc["users_5g", "name_zh"] = "<script>alert(1)</script> *x* {doc}`y`"
    chapter = compute("catalogue", ds)
    key = next(k for _, k, _ in chapter.facts["domains"] if k == catalogue.table_key("infrastructure"))
    html = chapter.payload()["tables"][key]["text/html"]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; *x* {doc}`y`" in html


def test_an_indicator_without_figures_is_not_listed(make_mini: Callable[..., Path]) -> None:
    """The catalogue file is shared by the editions; an edition lists what its documents give."""
    root = make_mini({"rep_b": [("users", "全国", 2021, "10.32", "亿人", "exact", "网民规模达10.32亿人")]})
    ds = data.load(2021, root)
    table = catalogue.catalogue_table(ds).set_index("indicator_id")
    assert table.loc["users", "sources"] == "rep_b" and table.loc["users", "n_obs"] == 1
    assert "stations" not in table.index
    assert catalogue.facts(ds)["n_unused"] == 0
    assert catalogue.headline(ds) == {"edition": "2021", "indicators": "1", "domains": "1", "unused": "0"}


def test_sources_legend_lists_every_source(ds: data.Dataset) -> None:
    legend = catalogue.sources_frame(ds)
    assert list(legend["来源编号"]) == list(ds.sources["source_id"])
    html = compute("catalogue", ds).payload()["tables"]["sources"]["text/html"]
    assert len(_rows(html)) == len(ds.sources) + 1


def test_an_older_edition_names_no_later_source() -> None:
    """The 2017 edition lists the indicators of the 2017 report only: every row's source is dcr2017."""
    table = catalogue.catalogue_table(data.load(2017))
    assert len(table) and set(table["sources"]) == {"dcr2017"}
    page = preview("catalogue", 2017)
    assert "（本版无）" not in page and "十四五" not in page
