"""What readers take away, without a build (fast): a chart's downloads and metadata, the edition's data
folder, and the chart colours' contrast in both colour modes.

The built site is checked in the browser by ``test_site_takeaway.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest
import yaml

from dcbook import REPO_ROOT, chapters, charts, render, schema
from dcbook.pipeline import dataset
from dcbook.prose import notebook

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "chart-metadata.schema.json").read_text("utf-8"))
#: The page background of pydata-sphinx-theme's dark mode (--pst-color-background).
DARK_PAGE = "#14181E"


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""

    def lum(h: str) -> float:
        c = [int(h.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def payload() -> dict:
    return chapters.load("infrastructure", 2021).payload()


def _render(payload: dict, tmp: Path, monkeypatch: pytest.MonkeyPatch, title: str) -> dict:
    monkeypatch.setenv("DCBOOK_DOWNLOADS_DIR", str(tmp))
    out = notebook.chart_output(
        payload, "infrastructure", "penetration", {"title": title}, "", "t", ordinal=1
    )
    return out["data"]


def test_a_page_chart_has_number_anchor_downloads_citation_and_noscript_image(
    payload: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = _render(payload, tmp_path, monkeypatch, "宽带普及率")["text/html"]
    cid = "dc-chart-infrastructure-penetration"
    assert '<figure class="dc-chart" id="fig-infrastructure-penetration"' in html
    assert 'href="#fig-infrastructure-penetration"' in html and "图 2-1</a>" in html
    for ext in ("csv", "png", "svg", "json"):
        assert (
            f'href="../_static/downloads/{cid}.{ext}" download="digital-china-2021-infrastructure-penetration.{ext}"'
            in html
        )
        assert (tmp_path / f"{cid}.{ext}").is_file(), ext
    assert 'href="../data/index.html">全部数据</a>' in html
    assert re.search(
        rf'<noscript><img class="dc-chart-static" src="../_static/downloads/{cid}.png" width="\d+"', html
    )
    assert "引用此图" in html and "图 2-1“宽带普及率”" in html
    # the titled image: number, title, source line and licence inside the SVG (and so the PNG and PDF)
    svg = (tmp_path / f"{cid}.svg").read_text(encoding="utf-8")
    texts = re.sub(r"<[^>]+>", "", "".join(re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S)))
    for needle in ("图 2-1", "宽带普及率", "来源：", "2021 年版", "CC BY 4.0"):
        assert needle in texts, needle
    assert (tmp_path / f"{cid}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_metadata_validates_and_names_sources_with_locators(
    payload: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _render(payload, tmp_path, monkeypatch, "宽带普及率")
    meta = json.loads((tmp_path / "dc-chart-infrastructure-penetration.json").read_text(encoding="utf-8"))
    jsonschema.validate(meta, SCHEMA)
    assert meta["figure"] == "图 2-1" and meta["edition"] == 2021 and meta["title"] == "宽带普及率"
    fig = payload["figures"]["penetration"]
    rows = fig["data"]["rows"]
    cols = fig["data"]["columns"]
    expected = {(r[cols.index("source_id")], int(r[cols.index("locator")])) for r in rows}
    listed = {(s["source_id"], loc) for s in meta["sources"] for loc in s["locators"]}
    assert listed == expected
    assert meta["last_updated"] == max(payload["sources"][s]["published"] for s, _ in expected)
    assert meta["unit"] == sorted({r[cols.index("unit")] for r in rows})


def test_metadata_schema_rejects_a_chart_without_sources() -> None:
    bad = {k: v for k, v in _minimal().items()} | {"sources": []}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)
    jsonschema.validate(_minimal(), SCHEMA)


def _minimal() -> dict:
    return {
        "id": "dc-chart-a-b", "figure": "", "title": "t", "subtitle": "", "notes": [], "unit": [],
        "sources": [{"source_id": "s", "title": "T", "published": "2021-07", "locators": [3]}],
        "source_line": "来源：《T》", "edition": 2021, "last_updated": "2021-07", "rows": 1,
        "licence": dict(render.LICENCE), "citation": "某某．《书》（2021 年版）",
        "files": {"csv": "a.csv", "png": "a.png", "svg": "a.svg", "json": "a.json"},
    }  # fmt: skip


def test_download_names_do_not_change_with_the_wording(
    payload: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = _render(payload, tmp_path / "a", monkeypatch, "宽带普及率")["text/html"]
    b = _render(payload, tmp_path / "b", monkeypatch, "固定与移动宽带普及率逐年上升")["text/html"]
    names = lambda h: re.findall(r'download="([^"]+)"', h)  # noqa: E731
    assert names(a) == names(b) and len(names(a)) == 4
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(
        p.name for p in (tmp_path / "b").iterdir()
    )


def test_licence_and_authors_match_citation_cff_and_licence_file() -> None:
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["license"] == render.LICENCE["name"]
    assert any(a["name"].startswith(render.AUTHORS) for a in cff["authors"])
    assert "CC BY 4.0" in (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")


def test_palette_text_contrast_on_white_and_dark_colours_on_the_dark_page() -> None:
    for colour in [*charts.PALETTE, *charts.STATUS_COLORS.values(), charts.OTHER_COLOR]:
        need = 3.0 if colour == charts.OTHER_COLOR else 4.5
        assert contrast(colour, "#FFFFFF") >= need, colour
    for light, dark in charts.DARK_COLORS.items():
        # text and mark colours get at least 4.5:1 (3:1 for the "其他" grey); grid, track, missing stay quiet
        if contrast(light, "#FFFFFF") >= 3.0:
            need = 3.0 if light == charts.OTHER_COLOR else 4.5
            assert contrast(dark, DARK_PAGE) >= need, (light, dark)
        else:
            assert contrast(dark, DARK_PAGE) < 1.6, (
                light,
                dark,
            )  # a light background tone stays a background
    # every colour a chart names in its house config has a dark partner
    config = json.dumps(charts.house_config())
    for colour in set(re.findall(r"#[0-9A-Fa-f]{6}", config)):
        assert colour.upper() in charts.DARK_COLORS, colour


# ---- the edition's data folder ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folders() -> dict[int, dict[str, bytes]]:
    return {y: dataset.data_folder(REPO_ROOT, REPO_ROOT / "data", y) for y in (2017, 2021)}


def test_data_folder_zip_opens_csvs_decode_as_excel_would_and_package_validates(
    folders: dict[int, dict[str, bytes]], tmp_path: Path
) -> None:
    from frictionless import Package

    files = folders[2021]
    assert set(files) == {
        "data/digital-china-data-2021.zip", "data/datapackage.json", "data/index.html", "data/LICENSE.txt",
        "data/CITATION.cff",
    }  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(files["data/digital-china-data-2021.zip"])) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        archive.extractall(tmp_path)
    csvs = [n for n in names if n.endswith(".csv")]
    assert (
        "sources.csv" in csvs
        and "indicators.csv" in csvs
        and any(n.startswith("observations/") for n in csvs)
    )
    for name in csvs:
        raw = (tmp_path / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # Excel reads a BOM-less CSV as GBK on Chinese Windows
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0] and not rows[0][0].startswith("\ufeff"), name
    for name in ("datapackage.json", "LICENSE.txt", "CITATION.cff", "README.txt"):
        assert name in names, name
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_data_folder_holds_only_what_the_edition_may_see(folders: dict[int, dict[str, bytes]]) -> None:
    with zipfile.ZipFile(io.BytesIO(folders[2017]["data/digital-china-data-2017.zip"])) as archive:
        text = {n: archive.read(n).decode("utf-8-sig") for n in archive.namelist() if n.endswith(".csv")}
    sources = list(csv.DictReader(io.StringIO(text["sources.csv"])))
    assert sources and all(int(s["edition_year"]) <= 2017 for s in sources)
    visible = {s["source_id"] for s in sources}
    assert {n.split("/")[1][:-4] for n in text if n.startswith("observations/")} == visible
    for name, body in text.items():
        rows = list(csv.DictReader(io.StringIO(body)))
        if rows and "source_id" in rows[0]:
            assert {r["source_id"] for r in rows} <= visible, name
    with zipfile.ZipFile(io.BytesIO(folders[2021]["data/digital-china-data-2021.zip"])) as archive:
        later = [n for n in archive.namelist() if n.startswith("observations/")]
    assert len(later) > len([n for n in text if n.startswith("observations/")])


def test_data_dictionary_is_chinese_and_names_every_table_and_column(
    folders: dict[int, dict[str, bytes]],
) -> None:
    from bs4 import BeautifulSoup

    page = folders[2021]["data/index.html"].decode("utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert "2021 年版" in soup.title.get_text()
    links = {a["href"] for a in soup.select("a[href]")}
    assert {"digital-china-data-2021.zip", "datapackage.json", "LICENSE.txt", "CITATION.cff"} <= links
    desc = json.loads(folders[2021]["data/datapackage.json"])
    paths = {r["path"] for r in desc["resources"]}
    present = {
        t.name
        for t in schema.TABLES
        if t.path in paths or (t.per_file and any(p.startswith("observations/") for p in paths))
    }
    assert {t.name for t in schema.TABLES if soup.find(id=t.name)} == present
    for table in schema.TABLES:
        if soup.find(id=table.name) is None:
            continue
        for f in table.fields:
            assert render.CSV_HEADERS.get(f.name), f"{table.name}.{f.name}: no Chinese column name"
    catalogue = soup.find(id="catalogue")
    assert catalogue is not None and "互联网普及率" in page
    assert "digital_society" not in soup.find(id="catalogue").find_next("table").get_text()


#: A CJK Unified Ideograph: a Chinese description has at least one.
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_column_of_every_table_has_a_chinese_description() -> None:
    missing = [
        f"{t.name}.{f.name}" for t in schema.TABLES for f in t.fields if not CJK.search(f.description_zh)
    ]
    assert not missing, f"columns without a Chinese description: {missing}"


def test_every_table_has_a_chinese_name_and_purpose() -> None:
    for table in schema.TABLES:
        name_zh, about = dataset.TABLES_ZH[table.name]
        assert CJK.search(name_zh) and CJK.search(about), table.name
    assert set(dataset.TABLES_ZH) == {t.name for t in schema.TABLES}


def test_data_dictionary_shows_each_column_in_chinese(folders: dict[int, dict[str, bytes]]) -> None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(folders[2021]["data/index.html"].decode("utf-8"), "html.parser")
    heads = [th.get_text() for th in soup.find_all("th")]
    assert "说明" in heads and "说明（英文）" not in heads
    shown = [t for t in schema.TABLES if soup.find(id=t.name) is not None]
    assert {"observations", "international", "diagnoses"} <= {t.name for t in shown}
    for table in shown:
        name_zh, about = dataset.TABLES_ZH[table.name]
        heading = soup.find(id=table.name)
        assert name_zh in heading.get_text() and heading.find_next("p").get_text() == about, table.name
        grid = heading.find_next("table")  # the table's columns follow its heading and purpose
        columns = [th.get_text() for th in grid.find("thead").find_all("th")]
        assert columns[-1] == "说明", table.name
        rows = {
            tr.find("td").get_text(): [td.get_text() for td in tr.find_all("td")]
            for tr in grid.find("tbody").find_all("tr")
        }
        assert list(rows) == table.columns, table.name
        for f in table.fields:
            cell = rows[f.name][columns.index("说明")]
            assert cell == f.description_zh, f"{table.name}.{f.name}: {cell!r}"
            assert not f.description or f.description not in grid.get_text(), f"{table.name}.{f.name}"


@pytest.mark.parametrize(("slug", "key"), [("regional", "tiles"), ("methods", "coverage")])
def test_metadata_of_charts_whose_rows_name_their_document_by_title(slug: str, key: str) -> None:
    """Ranking tiles and the dataset's own coverage chart carry no source_id: their sources come by title."""
    payload = chapters.load(slug, 2017).payload()
    fig = render.Figure.from_payload(
        payload["figures"][key], title="图", slug=f"{slug}-{key}", number="1-1", edition=2017,
        sources=payload["sources"],
    )  # fmt: skip
    meta = fig.metadata()
    jsonschema.validate(meta, SCHEMA)
    assert meta["last_updated"] == max(s["published"] for s in payload["sources"].values())
