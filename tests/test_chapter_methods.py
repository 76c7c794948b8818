"""Chapter 13 (方法与数据): catalogue table (escaped HTML), unit/qualifier tables, conflicts and downloads."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from dcbook import data
from dcbook.chapters import methods


@pytest.fixture(scope="module", params=data.available_editions())
def ds(request: pytest.FixtureRequest) -> data.Dataset:
    return data.load(request.param)


def test_catalogue_counts_observations(ds: data.Dataset) -> None:
    cat = methods.catalogue_frame(ds)
    assert len(cat) == len(ds.indicators)
    assert cat["n_obs"].sum() == len(ds.observations)
    assert (cat["n_obs"] > 0).sum() == ds.observations["indicator_id"].nunique()


def test_catalogue_html_escapes_every_string() -> None:
    frame = pd.DataFrame(
        [
            {
                "indicator_id": "x<y",
                "name_zh": "<script>alert(1)</script>",
                "domain": "a&b",
                "unit": '"%"',
                "definition_zh": "定义",
                "n_obs": 2,
            }
        ]
    )
    out = methods.catalogue_html(frame, table_id="t1")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out and "a&amp;b" in out and "x&lt;y" in out and "&quot;%&quot;" in out
    assert 'class="dcbook-table-filter" data-table="t1"' in out and 'id="t1"' in out
    assert out.count("<tr>") == 2  # header + one row


def test_filter_script_is_local_and_configured() -> None:
    root = Path(__file__).resolve().parent.parent
    js = (root / "book" / "_static" / "dcbook-table-filter.js").read_text(encoding="utf-8")
    assert "dcbook-table-filter" in js and "http" not in js
    assert "- dcbook-table-filter.js" in (root / "_config.yml").read_text(encoding="utf-8")


def test_qualifier_frame_counts(ds: data.Dataset) -> None:
    q = methods.qualifier_frame(ds)
    assert q["观测值条数"].sum() == len(ds.observations)
    assert list(q["书中写法"]) == ["（不加词）", "超过", "约", "不到"]


def test_units_frame_has_scales_and_conversions() -> None:
    u = methods.units_frame()
    assert (u["类别"] == "数量级前缀").sum() == len(methods.units.SCALES)
    assert "万" in set(u["单位"])


def test_conflicts_table_matches_api(ds: data.Dataset) -> None:
    table = methods.conflicts_table(ds)
    assert len(table) == len(ds.conflicts())
    assert methods.texts(ds)["n_conflicts"] == f"{len(table)} 组"
    if len(table) > 1:
        diffs = [float(x.rstrip("%")) for x in table["相对差异"]]
        assert diffs == sorted(diffs, reverse=True)


def test_conflict_note_without_conflicts() -> None:
    empty = SimpleNamespace(conflicts=lambda: pd.DataFrame(columns=["source_ids"]))
    assert "没有" in methods.conflict_note(empty)


def test_conflict_note_names_most_frequent_pair() -> None:
    fake = SimpleNamespace(
        conflicts=lambda: pd.DataFrame({"source_ids": [["b", "a"], ["a", "b", "c"], ["c", "d"]]}),
        sources=pd.DataFrame({"source_id": ["a", "b", "c", "d"], "title": ["甲", "乙", "丙", "丁"]}),
    )
    note = methods.conflict_note(fake)
    assert note.startswith("其中 2 组是《甲》与《乙》")


def test_downloads_only_existing_files(tmp_path: Path) -> None:
    (tmp_path / "sources.csv").write_text("x", encoding="utf-8")
    (tmp_path / "observations").mkdir()
    d = methods.downloads_frame(tmp_path)
    assert list(d["文件"]) == ["data/sources.csv", "data/observations/"]


def test_key_points(ds: data.Dataset) -> None:
    t = methods.texts(ds)
    keys = [k for k in t if k.startswith("key_")]
    assert 3 <= len(keys) <= 5
    assert f"{len(ds.observations):,}" in t["key_1"]
    assert methods.headline(ds)["conflicts"] == str(len(ds.conflicts()))


def test_coverage_frame_sums_to_observations(ds: data.Dataset) -> None:
    frame = methods.coverage_frame(ds)
    assert frame["value"].sum() == len(ds.observations)
    assert frame["value"].is_monotonic_decreasing
    assert frame.iloc[0]["item"] in methods.coverage_note(ds)
    assert "coverage" in methods.figures(ds)


def test_editions_list_names_earlier_editions_and_marks_this_one() -> None:
    """Each edition lists itself and the editions before it, never a later one (issue #9: a cited page of an
    older edition must not change when a new report is added; the header's switcher lists newer ones)."""
    all_editions = data.available_editions()
    for ed in all_editions:
        text = methods.editions_list(data.load(ed))
        assert all(f"{y} 年版" in text for y in all_editions if y <= ed)
        assert not any(f"{y} 年版" in text for y in all_editions if y > ed)
        assert f"{ed} 年版（本版）" in text and text.count("（本版）") == 1
