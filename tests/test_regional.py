"""Tests for dcbook.regional and the regional/framework/province tables it reads."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from dcbook import DEFAULT_DATA_DIR
from dcbook import regional as rg

DATA = DEFAULT_DATA_DIR


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load_ds(data_dir: Path = DATA) -> SimpleNamespace:
    """The three tables as ``dcbook.data.Dataset`` exposes them (strings; the module types them)."""
    return SimpleNamespace(
        regional=_read(data_dir / "regional.csv"),
        provinces=_read(data_dir / "provinces.csv"),
        frameworks=_read(data_dir / "frameworks.csv"),
    )


@pytest.fixture(scope="module")
def ds() -> SimpleNamespace:
    return load_ds()


# --- the data files themselves --------------------------------------------------------------------


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", s).replace("**", ""))


@pytest.mark.parametrize("table", ["regional.csv", "frameworks.csv", "targets.csv"])
def test_quotes_found_at_locator(table):
    sources = {
        r["source_id"]: r["file"] for r in csv.DictReader((DATA / "sources.csv").open(encoding="utf-8"))
    }
    raw = {s: (DATA / f).read_text(encoding="utf-8").split("\n") for s, f in sources.items()}
    with (DATA / table).open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            loc = int(row["locator"])
            window = _norm("\n".join(raw[row["source_id"]][loc - 1 : loc + 15]))
            assert _norm(row["quote"]) in window, f"{table}:{n}: quote not at line {loc}"
            assert 10 <= len(row["quote"]) <= 160, f"{table}:{n}: quote length {len(row['quote'])}"
            must = ["province", "score", "target_value", "indicator_zh"]
            if row.get("level") == "1":
                must.append("dimension")  # a dimension row quotes the dimension's own line
            for col in must:
                if row.get(col):
                    assert row[col] in _norm(row["quote"]), f"{table}:{n}: {col} {row[col]!r} not in quote"


def test_provinces_table(ds):
    p = ds.provinces
    assert len(p) == 31 and p["province"].is_unique
    assert p["region"].value_counts().to_dict() == {"西部": 12, "东部": 10, "中部": 6, "东北": 3}
    tiles = list(zip(p["tile_col"], p["tile_row"], strict=True))
    assert len(set(tiles)) == 31, "two provinces share a tile"
    pos = {r["province"]: (int(r["tile_col"]), int(r["tile_row"])) for _, r in p.iterrows()}
    assert pos["新疆"][0] == min(c for c, _ in pos.values())  # far west
    assert pos["海南"][1] == max(r for _, r in pos.values())  # bottom
    assert pos["黑龙江"] == (max(c for c, _ in pos.values()), min(r for _, r in pos.values()))  # top right


def test_2017_scores_add_up(ds):
    """Table 3's six dimension scores sum to the printed total (a check of the extraction)."""
    scores = rg.score_matrix(ds, "dcr2017_index")
    top = scores.dropna()
    assert len(top) == 10
    dims = [c for c in top.columns if c != rg.COMPOSITE]
    assert ((top[dims].sum(axis=1) - top[rg.COMPOSITE]).abs() < 0.015).all()
    weights = rg.framework_comparison(ds).query("framework == 'dcr2017_index'")["weight"]
    assert weights.sum() == 100


# --- edition matrix -------------------------------------------------------------------------------


def test_edition_matrix_shapes_and_cells(ds):
    m21 = rg.edition_matrix(ds, "dcr2021_eval")
    assert m21.shape == (31, 8)
    assert m21.columns[0] == "综合"
    assert (m21 != rg.NOT_IN_TOP).sum().tolist() == [10] * 8  # each list holds ten provinces
    assert m21.at["贵州", "数字政府"] == rg.LISTED and m21.at["贵州", "综合"] == rg.NOT_IN_TOP

    m17 = rg.edition_matrix(ds, "dcr2017_index")
    assert m17.shape == (31, 7)
    assert m17.at["北京", "综合"] == 1 and m17.at["山西", "信息服务应用"] == 10
    assert m17.at["天津", "信息服务应用"] == rg.NOT_IN_TOP  # scored in table 3, outside table 4's top ten
    assert set(m17["网络安全"]) == {rg.UNPUBLISHED}  # no dimension ranking was published

    m20 = rg.edition_matrix(ds, "dcr2020_eval")
    assert m20.shape == (31, 4)
    assert m20.at["北京", "综合"] == "第一梯队" and m20.at["西藏", "综合"] == "第三梯队"


# --- tiers ----------------------------------------------------------------------------------------


def test_tier_table_complete(ds):
    t = rg.tier_table(ds, "dcr2020_eval")
    assert len(t) == 31 and t["province"].is_unique
    assert set(t["province"]) == set(ds.provinces["province"])
    assert t["tier"].value_counts().to_dict() == {"第一梯队": 10, "第二梯队": 10, "第三梯队": 11}
    assert list(t["tier_order"]) == sorted(t["tier_order"])


def test_tier_table_rejects_missing_and_duplicate(ds):
    reg = ds.regional
    drop = reg[
        ~((reg["framework"] == "dcr2020_eval") & (reg["province"] == "西藏") & (reg["dimension"] == "综合"))
    ]
    with pytest.raises(rg.RegionalError, match=r"missing: \['西藏'\]"):
        rg.tier_table(SimpleNamespace(regional=drop, provinces=ds.provinces), "dcr2020_eval")
    dup_row = reg[
        (reg["framework"] == "dcr2020_eval") & (reg["province"] == "北京") & (reg["dimension"] == "综合")
    ]
    dup = pd.concat([reg, dup_row])
    with pytest.raises(rg.RegionalError, match=r"duplicated: \['北京'\]"):
        rg.tier_table(SimpleNamespace(regional=dup, provinces=ds.provinces), "dcr2020_eval")
    with pytest.raises(rg.RegionalError, match="no tiers"):
        rg.tier_table(ds, "dcr2021_eval")


# --- movement, regions, leaders, frameworks -------------------------------------------------------


def test_rank_movement_known_data(ds):
    ch = rg.top_group_changes(ds)
    assert list(ch["year_to"]) == [2020, 2021]
    first, second = ch.iloc[0], ch.iloc[1]
    assert first["entered"] == ["山东"] and first["exited"] == ["重庆"]
    assert len(first["stayed"]) == 9
    assert second["entered"] == [] and second["exited"] == [] and len(second["stayed"]) == 10
    mv = rg.rank_movement(ds)
    bj = mv[(mv["province"] == "北京") & (mv["year"] == 2017)].iloc[0]
    assert bj["rank"] == 1 and bj["change"] == "首次"
    cq = mv[(mv["province"] == "重庆") & (mv["year"] == 2020)].iloc[0]
    assert not cq["in_top"] and cq["tier"] == "第二梯队"


def test_region_pattern(ds):
    r21 = rg.region_pattern(ds, "dcr2021_eval")
    assert r21.loc["综合"].to_dict() == {"东部": 8, "中部": 1, "西部": 1, "东北": 0, "合计": 10}
    assert (r21["合计"] == 10).all() and len(r21) == 8
    r17 = rg.region_pattern(ds, "dcr2017_index")
    assert "网络安全" not in r17.index  # no top ten published for it
    assert r17.loc["综合", "西部"] == 2  # 重庆, 四川


def test_dimension_leaders_outside_top(ds):
    out = rg.dimension_leaders_outside_top(ds, "dcr2021_eval")
    pairs = set(zip(out["province"], out["dimension"], strict=True))
    assert ("贵州", "数字政府") in pairs and ("河南", "数字基础设施") in pairs
    assert not set(out["province"]) & set(rg.composite_top(ds, "dcr2021_eval"))
    assert len(out) == 13
    out17 = rg.dimension_leaders_outside_top(ds, "dcr2017_index")
    assert ("宁夏", "信息服务应用", 6) in set(
        zip(out17["province"], out17["dimension"], out17["rank"], strict=True)
    )


def test_framework_comparison(ds):
    fc = rg.framework_comparison(ds)
    f21 = fc[fc["framework"] == "dcr2021_eval"]
    assert len(f21) == 7 and f21["n_indicators"].sum() == 22
    assert len(fc[fc["framework"] == "dcr2017_index"]) == 6
    row = fc[(fc["framework"] == "dcr2017_index") & (fc["dimension"] == "网络安全")].iloc[0]
    assert "dcr2021_eval:一级" in row["same_name_elsewhere"]


def test_unknown_framework_raises(ds):
    with pytest.raises(rg.RegionalError, match="dcr2099"):
        rg.edition_matrix(ds, "dcr2099_eval")


# --- a future year needs no code change -----------------------------------------------------------


def test_synthetic_extra_year(tmp_path, ds):
    for name in ("regional.csv", "provinces.csv", "frameworks.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    top = [
        "浙江",
        "北京",
        "上海",
        "广东",
        "江苏",
        "山东",
        "天津",
        "福建",
        "湖北",
        "重庆",
    ]  # 重庆 in, 四川 out
    with (tmp_path / "regional.csv").open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        for k, p in enumerate(top, start=1):
            w.writerow(["dcr2022", 2022, "dcr2021_eval", "综合", p, k, "", "", 1, f"合成数据：{p}第{k}名"])
        w.writerow(["dcr2022", 2022, "dcr2021_eval", "数字政府", "贵州", 3, "", "", 1, "合成数据：贵州第3名"])
    new = load_ds(tmp_path)
    m = rg.edition_matrix(new, "dcr2021_eval")  # latest year by default
    assert m.shape == (31, 2) and m.at["重庆", "综合"] == 10 and m.at["四川", "综合"] == rg.NOT_IN_TOP
    assert rg.edition_matrix(new, "dcr2021_eval", 2021).shape == (31, 8)  # the real year is untouched
    ch = rg.top_group_changes(new).iloc[-1]
    assert (ch["year_from"], ch["year_to"]) == (2021, 2022)
    assert ch["entered"] == ["重庆"] and ch["exited"] == ["四川"]
    assert rg.dimension_leaders_outside_top(new, "dcr2021_eval")["province"].tolist() == ["贵州"]
    assert rg.region_pattern(new, "dcr2021_eval").loc["综合", "合计"] == 10


def test_via_data_api():
    """The same functions on dcbook.data's Dataset (typed columns: Int64 ranks, float scores)."""
    from dcbook import data

    real = data.load(edition=2021)
    assert rg.edition_matrix(real, "dcr2021_eval").shape == (31, 8)
    assert len(rg.tier_table(real, "dcr2020_eval")) == 31
    assert rg.edition_matrix(real, "dcr2017_index").at["北京", "综合"] == 1
    early = data.load(edition=2017)
    assert set(rg.editions(early)["year"]) == {2017}  # later editions are not visible in 2017


def test_synthetic_source_through_data_api(tmp_path):
    """A new report (sources.csv row, raw text, regional rows) is validated, loaded and used as the latest year."""
    from dcbook import data

    ddir = tmp_path / "data"
    shutil.copytree(DATA, ddir)
    for p in ddir.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    quote = "浙江、北京、上海、广东、江苏、山东、天津、福建、湖北、重庆等地区位居全国前 10 名"
    (ddir / "raw" / "synth2022.txt").write_text(f"合成报告\n\n{quote}。\n", encoding="utf-8")
    with (ddir / "sources.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            [
                "synth2022",
                "合成报告",
                "测试",
                "2023-07",
                2022,
                "yearly_report",
                "raw/synth2022.txt",
                "",
                hashlib.sha256((ddir / "raw" / "synth2022.txt").read_bytes()).hexdigest(),
            ]
        )
    with (ddir / "regional.csv").open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        for p in ["浙江", "北京", "上海", "广东", "江苏", "山东", "天津", "福建", "湖北", "重庆"]:
            w.writerow(["synth2022", 2022, "dcr2021_eval", "综合", p, "", "", "", 3, quote])
    ds22 = data.load(None, ddir)
    assert list(rg.editions(ds22)["year"]) == [2017, 2020, 2021, 2022]
    last = rg.top_group_changes(ds22).iloc[-1]
    assert last["entered"] == ["重庆"] and last["exited"] == ["四川"]
    assert rg.edition_matrix(ds22, "dcr2021_eval").shape == (31, 1)  # 2022 published only the composite
    assert rg.edition_matrix(ds22, "dcr2021_eval", 2021).shape == (31, 8)
    assert set(rg.editions(data.load(2021, ddir))["year"]) == {2017, 2020, 2021}


def test_composite_seats_is_the_one_count_and_names_a_tie(tmp_path, ds):
    """Rule: one count, one function — the headline and chapter 11 add up the same seats; when two regions
    hold as many, neither names a single leading region."""
    from dcbook import headline
    from dcbook.chapters import regional as chapter

    counted = rg.composite_seats(ds)
    per_edition = [
        rg.region_pattern(ds, ev["framework"], int(ev["year"])) for _, ev in rg.editions(ds).iterrows()
    ]
    assert counted["total"] == sum(int(p.loc["综合", "合计"]) for p in per_edition)
    assert counted["seats"]["东部"] == sum(int(p.loc["综合", "东部"]) for p in per_edition)
    assert counted["leads"] == ("东部",)
    assert (
        headline.concentration(ds)["seats"]
        == chapter.seat_facts(ds)["lead"]["seats"]
        == counted["seats"]["东部"]
    )

    for name in ("provinces.csv", "frameworks.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    columns = list(_read(DATA / "regional.csv").columns)
    with (tmp_path / "regional.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for p in ("北京", "上海", "四川", "重庆"):  # two 东部, two 西部
            w.writerow({"source_id": "x", "year": 2030, "framework": "dcr2021_eval", "dimension": "综合",
                        "province": p, "locator": 1, "quote": f"合成数据：{p}"})  # fmt: skip
    tied = load_ds(tmp_path)
    assert rg.composite_seats(tied)["leads"] == ("东部", "西部")
    assert headline.concentration(tied) is None and chapter.seat_facts(tied) is None
