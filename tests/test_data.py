"""The data API: normalized values, the conflict rule, editions, provenance, and a fuzzed loader."""

from __future__ import annotations

import csv
import math
import os
import tempfile
from argparse import Namespace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dcbook import data, provenance, schema

# --- spot checks on the real dataset (printed → normalized, end to end) ----------------------------


def test_spot_5g_base_stations_2021(real_ds):
    row = real_ds.series("base_stations_5g").set_index("year").loc[2021]
    assert (row["value_printed"], row["unit_printed"]) == ("142.5", "万个")
    assert row["value"] == pytest.approx(142.5) and row["unit"] == "万个"
    assert row["source_id"] == "dcr2021" and "142.5" in row["quote"]


def test_spot_internet_users_2020(real_ds):
    obs = real_ds.observations
    rows = obs[
        (obs["indicator_id"] == "internet_users") & (obs["year"] == 2020) & (obs["unit_printed"] == "亿")
    ]
    assert not rows.empty, "the 2020 网民规模 printed as 9.89 亿 is missing"
    assert set(rows["value_printed"]) == {"9.89"}
    assert (rows["value"] == 9.89).all() and (rows["unit"] == "亿人").all()
    assert real_ds.series("internet_users").set_index("year").loc[2020, "value"] == pytest.approx(9.89)


def test_spot_ecommerce_revisions(real_ds):
    """电子商务交易额: 2017 printed 29.16 (2017 report) and 29 (2021 report); 2020 37.2 and 37.21."""
    conf = real_ds.conflicts().set_index(["indicator_id", "region", "year"])
    for year, values in ((2017, {29.0, 29.16}), (2020, {37.2, 37.21})):
        row = conf.loc[("ecommerce_transactions", "全国", year)]
        assert set(row["values"]) == values
        assert row["abs_diff"] == pytest.approx(max(values) - min(values))
    early = data.load(edition=2017, data_dir=real_ds.data_dir)
    assert early.series("ecommerce_transactions").set_index("year").loc[2017, "value"] == pytest.approx(29.16)
    late = real_ds.series("ecommerce_transactions").set_index("year").loc[2017]
    assert late["source_id"] == "dcr2021" and late["value"] == pytest.approx(29.0)


def test_editions_see_only_their_sources(real_ds):
    assert data.available_editions(real_ds.data_dir) == [2017, 2020, 2021]
    for ed in (2017, 2020):
        ds = data.load(edition=ed, data_dir=real_ds.data_dir)
        assert ds.edition == ed and (ds.sources["edition_year"] <= ed).all()
        assert set(ds.observations["source_id"]) <= set(ds.sources["source_id"])
        assert set(ds.regional["source_id"]) <= set(ds.sources["source_id"])
        assert set(ds.milestones["source_id"]) <= set(ds.sources["source_id"])
    assert real_ds.edition == 2021


def test_resolved_is_one_row_per_key_and_types(real_ds):
    res = real_ds.resolved
    assert not res.duplicated(["indicator_id", "region", "year"]).any()
    assert list(res.columns) == data.OBS_COLUMNS == list(real_ds.observations.columns)
    assert res["value"].dtype == float and res["year"].dtype.kind == "i"
    assert real_ds.targets["target_value"].dtype == float
    assert real_ds.indicators.index.name == "indicator_id"
    assert isinstance(real_ds.indicators["aliases"].iloc[0], list)


# --- the conflict rule on hand-made data ---------------------------------------------------------

Q = "截至年底，我国用户规模达"


def test_latest_published_wins_and_edition_filter(make_mini):
    root = make_mini(
        {
            "rep_a": [("users", "全国", 2020, "9.89", "亿", "exact", f"{Q}9.89亿")],
            "rep_b": [("users", "全国", 2020, "9.9", "亿人", "exact", f"{Q}9.9亿人")],
        }
    )
    assert data.load(2020, root).latest("users")["value"] == pytest.approx(9.89)
    ds = data.load(2021, root)
    assert ds.latest("users")["source_id"] == "rep_b"
    conf = ds.conflicts()
    assert len(conf) == 1 and conf.iloc[0]["winner_source_id"] == "rep_b"
    assert conf.iloc[0]["abs_diff"] == pytest.approx(0.01)
    assert conf.iloc[0]["rel_diff"] == pytest.approx(0.01 / 9.9)
    assert data.load(2020, root).conflicts().empty


def test_exact_beats_qualified_from_equally_recent_source(make_mini):
    root = make_mini(
        {
            "rep_b": [("users", "全国", 2021, "10", "亿", "lower_bound", f"{Q}超过10亿")],
            "rep_c": [("users", "全国", 2021, "10.32", "亿", "exact", f"{Q}10.32亿")],
        }
    )
    assert data.load(2021, root).latest("users")["source_id"] == "rep_c"


def test_exact_beats_a_later_bound_it_agrees_with(make_mini):
    """Rule 2 (issue 14): the 2020 report's 70.4 % is not replaced by a later plan's "超过 70%"."""
    root = make_mini(
        {
            "rep_a": [("users", "全国", 2020, "9.89", "亿", "exact", f"{Q}9.89亿")],
            "rep_b": [("users", "全国", 2020, "9.8", "亿", "lower_bound", f"{Q}超过9.8亿")],
        }
    )
    ds = data.load(2021, root)
    assert ds.latest("users")["source_id"] == "rep_a" and ds.latest("users")["qualifier"] == "exact"
    conf = ds.conflicts()
    assert conf.iloc[0]["winner_source_id"] == "rep_a" and conf.iloc[0]["reason"] == "exact"


def test_an_exact_value_that_contradicts_a_bound_is_a_revision(make_mini):
    """9.5 is below "超过 9.8": not a more precise statement of the same figure, so the later source wins."""
    root = make_mini(
        {
            "rep_a": [("users", "全国", 2020, "9.5", "亿", "exact", f"{Q}9.5亿")],
            "rep_b": [("users", "全国", 2020, "9.8", "亿", "lower_bound", f"{Q}超过9.8亿")],
        }
    )
    ds = data.load(2021, root)
    assert ds.latest("users")["source_id"] == "rep_b"
    assert ds.conflicts().iloc[0]["reason"] == "newer"


def test_more_digits_of_the_same_figure_win_within_one_document(make_mini):
    """One report prints 10.32 and, elsewhere, 10.3: the same figure, and the precise printing stands
    (whichever comes first); across documents the dates decide (test above), so a later report's own
    comparison keeps the figures it printed."""
    root = make_mini(
        {
            "rep_a": [
                ("users", "全国", 2020, "10.3", "亿", "exact", f"{Q}10.3亿"),
                ("users", "全国", 2020, "10.32", "亿", "exact", f"{Q}10.32亿"),
            ],
        }
    )
    ds = data.load(2021, root)
    assert ds.latest("users")["value"] == pytest.approx(10.32)
    assert ds.conflicts().iloc[0]["reason"] == "precise"


def test_two_values_in_one_document_are_not_a_rounding(make_mini):
    """10.0 printed with one decimal is not 10.32 rounded (that is 10.3): two values; the first row stands and
    the reason says the document printed both."""
    root = make_mini(
        {
            "rep_a": [
                ("users", "全国", 2020, "10.0", "亿", "exact", f"{Q}10.0亿"),
                ("users", "全国", 2020, "10.32", "亿", "exact", f"{Q}10.32亿"),
            ],
        }
    )
    (root / "exceptions.csv").write_text(
        "source_id,indicator_id,region,year,check,reason\nrep_a,users,全国,2020,duplicate,测试：两处印出不同数值\n",
        encoding="utf-8",
    )
    ds = data.load(2021, root)
    assert ds.latest("users")["value"] == pytest.approx(10.0)
    assert ds.conflicts().iloc[0]["reason"] == "same_source"


def test_the_real_conflicts_each_have_a_known_reason(real_ds):
    """Every conflict of the real data names the rule that decided it; a document's own double statements are
    decided as such (the precise printing, or the first of two values with the exception saying why)."""
    c = real_ds.conflicts()
    assert set(c["reason"]) <= set(data.CONFLICT_REASONS) and not c["reason"].isna().any()
    by = {(r.indicator_id, r.year): r for r in c.itertuples()}
    assert by[("software_revenue", 2020)].winner_value == pytest.approx(
        8.1616
    )  # 81616 亿元 beside 8.16 万亿元
    assert by[("intl_internet_bandwidth", 2017)].reason == "same_source"  # 7.0 Tbps vs 7320180 Mbps
    assert by[("internet_penetration", 2020)].reason == "exact"  # 70.4 % beside "超过 70%"
    assert by[("users_4g", 2017)].winner_value == pytest.approx(9.97)  # 9.97 亿户 beside "超过 10 亿"


def test_tie_goes_to_the_later_source_in_sources_csv(make_mini):
    root = make_mini(
        {
            "rep_c": [("users", "全国", 2021, "10.3", "亿", "exact", f"{Q}10.3亿")],
            "rep_b": [("users", "全国", 2021, "10.32", "亿", "exact", f"{Q}10.32亿")],
        }
    )
    assert data.load(2021, root).latest("users")["source_id"] == "rep_c"


def test_same_value_in_two_sources_is_not_a_conflict(make_mini):
    root = make_mini(
        {
            "rep_a": [("stations", "全国", 2020, "71.8", "万个", "exact", "我国已建成5G基站71.8万个")],
            "rep_b": [("stations", "全国", 2020, "718000", "个", "exact", "我国已建成5G基站718000个")],
        }
    )
    assert data.load(2021, root).conflicts().empty


def test_series_latest_change(make_mini):
    root = make_mini(
        {
            "rep_a": [
                ("users", "全国", 2015, "6.88", "亿", "exact", f"{Q}6.88亿（2015年）"),
                ("users", "全国", 2020, "9.89", "亿", "exact", f"{Q}9.89亿（2020年）"),
            ],
            "rep_b": [("users", "全国", 2021, "10", "亿", "lower_bound", f"{Q}超过10亿（2021年）")],
        }
    )
    ds = data.load(2021, root)
    assert ds.series("users")["year"].tolist() == [2015, 2020, 2021]
    assert ds.series("users", region="北京").empty
    assert ds.latest("users", region="北京") is None
    ch = ds.change("users", start=2015, end=2020)
    assert ch["abs_change"] == pytest.approx(3.01) and ch["ratio"] == pytest.approx(9.89 / 6.88)
    assert ch["cagr"] == pytest.approx((9.89 / 6.88) ** 0.2 - 1)
    assert ch["exact"] and ch["unit"] == "亿人"
    full = ds.change("users")
    assert (full["start_year"], full["end_year"]) == (2015, 2021)
    assert full["end_qualifier"] == "lower_bound" and not full["exact"]
    assert ds.change("users", start=2016) is None
    # what series returns is the caller's own: a column added to it is not in the next answer
    got = ds.series("users")
    got["extra"] = 1
    assert "extra" not in ds.series("users").columns
    # a dataset given other resolved rows answers from those
    ds.resolved = ds.resolved[ds.resolved["year"] != 2015].reset_index(drop=True)
    assert ds.series("users")["year"].tolist() == [2020, 2021]
    assert ds.change("stations") is None
    with pytest.raises(KeyError, match="nope"):
        ds.series("nope")
    assert ds.by_domain("digital_society")["indicator_id"].unique().tolist() == ["users"]
    assert ds.by_domain("infrastructure").empty


def test_absent_optional_tables_are_empty_frames_with_columns(make_mini):
    ds = data.load(data_dir=make_mini({}))
    for name in ("targets", "regional", "frameworks", "milestones", "provinces"):
        frame = getattr(ds, name)
        assert frame.empty and list(frame.columns) == schema.TABLES_BY_NAME[name].columns
    assert ds.observations.empty and ds.resolved.empty and ds.conflicts().empty


def test_every_file_is_recorded_once_per_load(make_mini, tmp_path, monkeypatch):
    root = make_mini({"rep_a": [("users", "全国", 2020, "9.89", "亿", "exact", f"{Q}9.89亿")]})
    log = tmp_path / "reads.log"
    monkeypatch.setenv(provenance.ENV_VAR, str(log))
    data.load(data_dir=root)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))
    assert (root / "observations" / "rep_a.csv").resolve() in provenance.read_log(log)
    assert (root / "raw" / "rep_a.txt").resolve() in provenance.read_log(log)
    assert ((root / "sources.csv").resolve(), 2021) in provenance.read_views(
        log
    )  # through the edition's view
    data.load(data_dir=root)  # cached parse, but the reads are recorded again for this load
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2 * len(lines)


def test_an_edition_depends_only_on_its_sources_rows_and_files(real_data_dir, tmp_path, monkeypatch):
    """2017 records neither the 2021 report's observations nor its raw text, and reads the source-owned tables
    through its view: a changed 2021 row leaves the 2017 view's hash as it was and changes 2021's."""
    import shutil

    root = tmp_path / "data"
    shutil.copytree(real_data_dir, root)
    log = tmp_path / "reads.log"
    monkeypatch.setenv(provenance.ENV_VAR, str(log))
    data.load(2017, data_dir=root)
    files = {p.relative_to(root.resolve()).as_posix() for p in provenance.read_log(log)}
    views = {(p.relative_to(root.resolve()).as_posix(), e) for p, e in provenance.read_views(log)}
    assert "observations/dcr2017.csv" in files and "raw/dcr2017.txt" in files and "indicators.csv" in files
    assert not {f for f in files if "dcr2021" in f or "fyp14" in f}, files
    assert {("sources.csv", 2017), ("regional.csv", 2017), ("targets.csv", 2017)} <= views
    assert not {f for f, _ in views} & files  # a view is not also a whole-file read

    regional = root / "regional.csv"
    before = {e: data.edition_view_digest(regional, e) for e in (2017, 2021)}
    with open(regional, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    later = next(r for r in rows if r["source_id"] == "dcr2021")
    later["province"] = "四川" if later["province"] != "四川" else "重庆"
    with open(regional, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert data.edition_view_digest(regional, 2017) == before[2017]
    assert data.edition_view_digest(regional, 2021) != before[2021]
    # a source that moves into an edition changes that edition's view of sources.csv
    sources = root / "sources.csv"
    seen_2020 = data.edition_view_digest(sources, 2020)
    sources.write_text(sources.read_text(encoding="utf-8").replace(",2021,", ",2020,", 1), encoding="utf-8")
    assert data.edition_view_digest(sources, 2020) != seen_2020


def test_edited_file_is_reloaded(make_mini):
    root = make_mini({"rep_a": [("users", "全国", 2020, "9.89", "亿", "exact", f"{Q}9.89亿")]})
    assert data.load(data_dir=root).latest("users")["value"] == pytest.approx(9.89)
    path = root / "observations" / "rep_a.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",exact,", ",about,"), encoding="utf-8")
    with pytest.raises(data.DataError, match="qualifier"):
        data.load(data_dir=root)


def test_missing_data_dir_is_a_data_error(tmp_path):
    with pytest.raises(data.DataError, match="does not exist"):
        data.load(data_dir=tmp_path / "nope")


# --- fuzzing: the loader loads or raises DataError, nothing else ------------------------------------

_cell = st.one_of(
    st.sampled_from(["users", "stations", "全国", "北京", "USA", "", "2020", "1889", "9.89", "1,000", "亿", "万个", "%",
                     "exact", "approx", "about", "1", "2", "99999", "-1", "nan", "inf", "1e5", "\"", "\n", "，"]),
    st.text(max_size=12),
)  # fmt: skip
_random_row = st.fixed_dictionaries({c: _cell for c in schema.OBSERVATIONS.columns})
_VALID = {"indicator_id": "users", "region": "全国", "year": "2020", "value": "9.89", "unit": "亿",
          "qualifier": "exact", "locator": "2", "quote": "截至年底，我国用户规模达9.89亿"}  # fmt: skip
# A valid row with one cell replaced: reaches the deeper checks and the conversion code.
_mutated_row = st.builds(
    lambda col, cell: _VALID | {col: cell}, st.sampled_from(schema.OBSERVATIONS.columns), _cell
)
_row = st.one_of(_random_row, _mutated_row, st.just(_VALID))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_row, max_size=6), extra=st.booleans(), garbage=st.binary(max_size=40))
def test_fuzz_loader_loads_or_raises_data_error(rows, extra, garbage):
    from conftest import MINI_INDICATORS, MINI_SOURCES, with_sha256, write_csv

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        write_csv(root / "indicators.csv", schema.INDICATORS.columns, MINI_INDICATORS)
        (root / "raw").mkdir()
        for src in MINI_SOURCES:
            (root / src["file"]).write_text("标题\n截至年底，我国用户规模达9.89亿\n" * 3, encoding="utf-8")
        write_csv(root / "sources.csv", schema.SOURCES.columns, with_sha256(root, MINI_SOURCES))
        cols = [*schema.OBSERVATIONS.columns, "extra"] if extra else schema.OBSERVATIONS.columns
        write_csv(root / "observations" / "rep_a.csv", cols, rows)
        if garbage:
            (root / "observations" / "rep_b.csv").write_bytes(garbage)
        try:
            ds = data.load(data_dir=root)
        except data.DataError as exc:
            assert exc.problems and all(":" in p for p in exc.problems)
            event("DataError")
            return
        event("loaded")
        assert isinstance(ds.resolved, pd.DataFrame)
        assert all(math.isfinite(v) for v in ds.observations["value"])
        assert not ds.resolved.duplicated(["indicator_id", "region", "year"]).any()
        ds.conflicts()


def test_fuzz_helper_writes_valid_csv(tmp_path):
    """The fuzz test's writer produces RFC 4180 CSV that the csv module reads back unchanged."""
    from conftest import write_csv

    rows = [{"a": 'x,"y"\nz', "b": "甲"}]
    write_csv(tmp_path / "t.csv", ["a", "b"], rows)
    with open(tmp_path / "t.csv", encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle)) == rows


def test_kernels_share_the_validated_tables_through_the_builds_folder(make_mini, tmp_path, monkeypatch):
    """With the build's folder set, the first load validates and writes the tables; a later kernel (an empty
    in-process cache) reads them without validating; any change of the data validates again."""
    root = make_mini({"rep_a": [("users", "全国", 2020, "9.89", "亿", "exact", f"{Q}9.89亿")]})
    folder = tmp_path / "cache"
    monkeypatch.setenv(data.TABLES_CACHE_ENV, str(folder))
    data._CACHE.clear()
    first = data.load(data_dir=root)
    assert len(list(folder.glob("tables-*.pickle"))) == 1

    def no_validation(data_dir, report=None):
        raise AssertionError("validated again although the tables were cached")

    data._CACHE.clear()
    with monkeypatch.context() as m:
        m.setattr(data, "_validated_tables", no_validation)
        again = data.load(data_dir=root)
    pd.testing.assert_frame_equal(first.observations, again.observations)

    obs = root / "observations" / "rep_a.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace("9.89亿", "9.89亿 "), encoding="utf-8")
    data._CACHE.clear()
    calls = []
    real = data._validated_tables
    monkeypatch.setattr(data, "_validated_tables", lambda d, report=None: calls.append(d) or real(d, report))
    data.load(data_dir=root)
    assert calls == [root] and len(list(folder.glob("tables-*.pickle"))) == 2
    # a damaged file is not trusted: the tables are validated afresh
    for path in folder.glob("tables-*.pickle"):
        path.write_bytes(b"not a pickle")
    data._CACHE.clear()
    data.load(data_dir=root)
    assert calls == [root, root]
    data._CACHE.clear()


def test_dcbook_validate_reads_the_files_once_and_leaves_the_tables_for_the_kernels(
    make_mini, tmp_path, monkeypatch, capsys
):
    """In a build, ``dcbook validate`` runs with the build's folder set: it collects the files once (it did
    twice: its own check, then load's), and the first chapter's kernel reads the tables it left."""
    root = make_mini({"rep_a": [("users", "全国", 2020, "9.89", "亿", "exact", f"{Q}9.89亿")]})
    folder = tmp_path / "cache"
    monkeypatch.setenv(data.TABLES_CACHE_ENV, str(folder))
    collected = []
    real_collect = data.collect
    monkeypatch.setattr(data, "collect", lambda d: collected.append(d) or real_collect(d))
    data._CACHE.clear()
    assert data.validate_command(Namespace(data_dir=str(root))) == 0
    assert "OK " in capsys.readouterr().out
    assert collected == [root] and len(list(folder.glob("tables-*.pickle"))) == 1

    def no_validation(data_dir, report=None):
        raise AssertionError("a kernel validated again although dcbook validate had left the tables")

    data._CACHE.clear()  # a kernel: a new process
    monkeypatch.setattr(data, "_validated_tables", no_validation)
    assert len(data.load(data_dir=root).observations) == 1
    data._CACHE.clear()


def test_the_tables_folder_keeps_the_newest_versions(tmp_path):
    for i in range(5):
        path = tmp_path / f"tables-{i}.pickle"
        path.write_bytes(b"x")
        os.utime(path, (1000 + i, 1000 + i))
    data._prune_tables_cache(tmp_path)
    kept = sorted(p.name for p in tmp_path.glob("tables-*.pickle"))
    assert kept == [f"tables-{i}.pickle" for i in range(5 - data.TABLES_CACHE_KEEP, 5)]
