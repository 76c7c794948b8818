"""Chapter 0 (导读): computed texts, sources table and headline figures, on the real dataset and every edition."""

from __future__ import annotations

import pytest

from dcbook import data
from dcbook.chapters import intro


@pytest.fixture(scope="module", params=data.available_editions())
def ds(request: pytest.FixtureRequest) -> data.Dataset:
    return data.load(request.param)


def test_sources_table_lists_only_visible_sources(ds: data.Dataset) -> None:
    table = intro.sources_table(ds)
    assert len(table) == len(ds.sources)
    assert (table["版本年份"].astype(int) <= ds.edition).all()
    assert table["观测值条数"].sum() == len(ds.observations)
    assert table["版本年份"].astype(int).is_monotonic_increasing


def test_texts_have_key_points_and_edition(ds: data.Dataset) -> None:
    t = intro.texts(ds)
    keys = [k for k in t if k.startswith("key_")]
    assert 3 <= len(keys) <= 5
    assert all(t[k].endswith("。") for k in keys)
    assert t["edition"] == str(ds.edition)
    assert str(ds.edition) in t["key_1"]
    assert f"{len(ds.sources)} 份" == t["n_sources"]


def test_vintage_is_latest_national_year(ds: data.Dataset) -> None:
    nat = ds.resolved[ds.resolved["region"] == "全国"]
    assert intro.texts(ds)["vintage"] == f"{int(nat['year'].max())} 年"
    assert intro.headline(ds)["vintage"] == str(int(nat["year"].max()))


def test_headline_counts(ds: data.Dataset) -> None:
    h = intro.headline(ds)
    assert h["observations"] == str(len(ds.observations))
    assert 8 <= int(h["panel"]) <= 12


def test_earlier_edition_sees_fewer_sources() -> None:
    eds = data.available_editions()
    first, last = data.load(eds[0]), data.load(eds[-1])
    assert len(intro.sources_table(first)) < len(intro.sources_table(last))


def test_growth_finding_has_no_doubled_lead_in() -> None:
    """ "头条指标中，在有两年以上数据的…头条指标中" repeated itself (issue #5); growth ≥ 100% reads as 倍."""
    ds = data.load(2021)
    third = intro.texts(ds)["key_3"]
    assert not third.startswith("头条指标中") and third.count("头条指标中") == 1
    assert "440.0%" not in third and "4.4 倍" in third
