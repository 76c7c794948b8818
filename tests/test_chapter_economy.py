"""Chapter 05 数字经济: the computed sentences on hand-made series, then every edition of the real data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.display import Markdown

from dcbook import REPO_ROOT, booklint, render
from dcbook.chapters import common
from dcbook.chapters import economy as ch

NOTEBOOK = REPO_ROOT / "book" / "05_economy.ipynb"


class FakeDataset:
    """The slice of ``dcbook.data.Dataset`` the chapter modules use, over hand-made resolved rows."""

    def __init__(
        self, rows: list[tuple], indicators: dict[str, tuple[str, str]], edition: int = 2021
    ) -> None:
        self.edition = edition
        self.sources = pd.DataFrame(
            [{"source_id": "s1", "title": "报告一", "published": "2022-07", "edition_year": 2021}]
        )
        self.indicators = pd.DataFrame(
            [
                {"indicator_id": k, "name_zh": n, "domain": "digital_economy", "unit": u}
                for k, (n, u) in indicators.items()
            ]
        ).set_index("indicator_id")
        df = pd.DataFrame(rows, columns=["indicator_id", "year", "value", "qualifier"])
        df["region"] = "全国"
        df["unit"] = df["indicator_id"].map(lambda i: indicators[i][1])
        df["name_zh"] = df["indicator_id"].map(lambda i: indicators[i][0])
        df["source_id"], df["source_title"], df["edition_year"] = "s1", "报告一", 2021
        self.resolved = df
        self.targets = pd.DataFrame()

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        r = self.resolved
        return r[(r["indicator_id"] == indicator_id) & (r["region"] == region)].sort_values("year")

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]


INDICATORS = {
    "digital_economy_size": ("数字经济规模", "万亿元"),
    "digital_economy_gdp_share": ("数字经济占GDP比重", "%"),
    "digital_economy_cagr": ("数字经济规模年均复合增长率", "%"),
    "electronics_manufacturing_revenue": ("电子制造业营收", "万亿元"),
    "software_revenue": ("软件业务收入", "万亿元"),
    "internet_services_revenue": ("互联网服务收入", "亿元"),
    "services_digital_economy_penetration": ("服务业渗透率", "%"),
    "industry_digital_economy_penetration": ("工业渗透率", "%"),
    "agriculture_digital_economy_penetration": ("农业渗透率", "%"),
    "online_office_users": ("在线办公用户规模", "亿"),
    "online_office_users_growth": ("在线办公用户规模同比增长率", "%"),
    "online_medical_users": ("在线医疗用户规模", "亿"),
    "online_food_delivery_users": ("网上外卖用户规模", "亿"),
    "physical_goods_online_retail_share": ("实物网零占比", "%"),
    "physical_goods_online_retail_share_change": ("实物网零占比变化", "个百分点"),
}


def fake(rows: list[tuple]) -> FakeDataset:
    return FakeDataset(rows, INDICATORS)


def test_size_sentence_and_share_in_points() -> None:
    ds = fake(
        [
            ("digital_economy_size", 2017, 27.2, "exact"),
            ("digital_economy_size", 2021, 45.5, "exact"),
            ("digital_economy_gdp_share", 2017, 32.9, "exact"),
            ("digital_economy_gdp_share", 2021, 39.8, "exact"),
        ]
    )
    text = ch.size_sentence(ds)
    assert text.startswith("数字经济规模 2017–2021 年由 27.2 万亿元增至 45.5 万亿元，增长 67.3%")
    assert text.endswith("占 GDP 比重 2017–2021 年由 32.9%升至 39.8%，提高 6.9 个百分点")


def test_cagr_check_compares_with_the_printed_rate() -> None:
    rows = [("digital_economy_size", 2017, 27.2, "exact"), ("digital_economy_size", 2021, 45.5, "exact")]
    own = ch.cagr_check(fake(rows))
    assert own == "按 2017 年和 2021 年两端数值计算，数字经济规模年均复合增长 13.7%"
    assert ch.cagr_check(fake([*rows, ("digital_economy_cagr", 2021, 13.7, "exact")])).endswith("两者一致")
    assert ch.cagr_check(fake([*rows, ("digital_economy_cagr", 2021, 13.6, "exact")])).endswith(
        "相差 0.1 个百分点"
    )
    assert "无法计算" in ch.cagr_check(fake(rows[:1]))


def test_fastest_industry_orders_by_compound_growth() -> None:
    ds = fake(
        [
            ("electronics_manufacturing_revenue", 2017, 10.0, "exact"),
            ("electronics_manufacturing_revenue", 2021, 12.0, "exact"),
            ("internet_services_revenue", 2017, 7000.0, "exact"),
            ("internet_services_revenue", 2021, 14000.0, "exact"),
            ("software_revenue", 2021, 9.5, "exact"),
        ]
    )
    text = ch.fastest_industry(ds)
    assert text.startswith("按各自可得年份计算，互联网服务收入增长最快")
    assert text.index("互联网服务收入（2017–2021 年）年均增长 18.9%") < text.index("电子制造业营收")
    assert "软件业务收入" not in text  # one year only: no growth rate
    assert "不足以比较" in ch.fastest_industry(fake([]))


def test_sector_sentence_gap_and_ratio() -> None:
    ds = fake(
        [
            ("services_digital_economy_penetration", 2019, 37.8, "exact"),
            ("industry_digital_economy_penetration", 2019, 19.5, "exact"),
            ("agriculture_digital_economy_penetration", 2019, 8.2, "exact"),
        ]
    )
    assert ch.sector_sentence(ds) == (
        "2019 年数字经济渗透率分别为服务业 37.8%、工业 19.5%、农业 8.2%；"
        "服务业比农业高 29.6 个百分点，约为后者的 4.6 倍"
    )
    assert "尚未给出" in ch.sector_sentence(fake([]))


def test_new_forms_and_retail_share() -> None:
    ds = fake(
        [
            ("online_office_users", 2021, 4.69, "exact"),
            ("online_office_users_growth", 2021, 35.7, "exact"),
            ("physical_goods_online_retail_share", 2020, 24.9, "exact"),
            ("physical_goods_online_retail_share_change", 2020, 4.2, "exact"),
        ]
    )
    assert ch.new_forms_sentence(ds) == "2021 年在线办公用户规模 4.69 亿人（同比增长 35.7%）"
    assert ch.retail_share_sentence(ds) == "2020 年实物网零占比为 24.9%，比上年提高 4.2 个百分点"
    assert "尚未给出" in ch.new_forms_sentence(fake([]))


# ---------------------------------------------------------------------------------------------------------
# Real data, every edition


@pytest.fixture(scope="module")
def editions(clean_data_dir: Path) -> dict[int, Any]:
    from dcbook import data

    return {e: data.load(e, clean_data_dir) for e in data.available_editions(clean_data_dir)}


def test_texts_cover_every_glue_role_in_every_edition(editions: dict[int, Any]) -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    md = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    used = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)`", md))
    assert used
    for edition, ds in editions.items():
        texts = {f"{ch.SLUG}_{k}": v for k, v in ch.texts(ds).items()}
        assert used <= set(texts), (
            f"edition {edition}: glue keys without a value: {sorted(used - set(texts))}"
        )
        sections = {f"{ch.SLUG}_{k}" for k in ch.section_texts(ds)}
        for key, value in texts.items():
            # a section without data says so once, in its first paragraph; the others are then empty
            assert isinstance(value, str) and (value.strip() or key in sections), (
                f"edition {edition}: {key} is empty"
            )
            assert "nan" not in value.lower(), f"edition {edition}: {key} prints NaN: {value!r}"
        assert [k for k in texts if "_key_" in k] == [f"{ch.SLUG}_key_{i}" for i in range(1, 5)]


def test_real_headline_matches_latest_values(editions: dict[int, Any]) -> None:
    for ds in editions.values():
        head = ch.headline(ds)
        row = ds.latest("digital_economy_size")
        assert (row is None) == (head["digital_economy_size"] == common.NO_DATA)
        if row is not None:
            assert head["digital_economy_size"].endswith("万亿元")
            assert str(row["value"]).rstrip("0").rstrip(".") in head["digital_economy_size"]


def test_figures_build_for_every_edition(editions: dict[int, Any]) -> None:
    for edition, ds in editions.items():
        figs = ch.figures(ds)
        assert set(figs) == {"size", "sectors", "industries", "trade", "mfg", "plan"}
        shown = [n for n, f in figs.items() if isinstance(f, render.Figure)]
        assert all(isinstance(f, render.Figure | Markdown) for f in figs.values())
        assert len(shown) >= 3, f"edition {edition}: only {shown} charts"


def test_notebook_conventions() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = nb["cells"]
    assert cells[0]["metadata"]["tags"] == ["parameters", "remove-cell"]
    assert "".join(cells[0]["source"]) == (
        "edition = None  # report year; None = latest available\ndata_dir = None  # None = the repository's data/"
    )
    code = [c for c in cells if c["cell_type"] == "code"]
    headline = [c for c in code if "".join(c["source"]).startswith("# NBVAL_CHECK_OUTPUT")]
    assert len(headline) == 1 and headline[0]["outputs"]
    assert all(not c.get("outputs") for c in code if c is not headline[0])
    assert booklint.typed_figures_in_notebook(NOTEBOOK) == []


def test_sections_say_once_what_an_edition_lacks() -> None:
    """2017 has few digital-economy figures: each section names what it lacks once, at its end."""
    from dcbook import data

    early = ch.section_texts(data.load(2017))
    assert all(v.count("尚未给出") <= 1 for v in early.values())
    assert early["sectors_text"].startswith(
        "关于三次产业的数字经济渗透率，本版资料尚未给出“服务业数字经济渗透率”"
    )
    assert early["core_text"].startswith("关于数字经济核心产业，")
    # partial data: the figures that exist; every missing one of the section named once at its end
    assert "2017 年关键工序数控化率为 46.4%" in early["mfg_text"] and "尚未给出" not in early["mfg_text"]
    assert early["ii_text"].endswith(
        "“具有一定影响力的工业互联网平台数”、“工业互联网应用覆盖的国民经济大类数”和“企业工业设备上云率”的数据。"
    )
    latest = ch.section_texts(data.load(2021))
    assert all(latest.values()) and "尚未给出" not in "".join(latest.values())
