"""The renderer's display bundle: every mime type, offline HTML, escaping, determinism, CSV download."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from dcbook import charts, render, vendor

ROWS = [
    {
        "year": 2017,
        "value": 7.72,
        "qualifier": "exact",
        "source_title": "数字中国建设发展报告（2017年）",
        "edition_year": 2017,
        "source_id": "dcr2017",
    },
    {
        "year": 2021,
        "value": 10.32,
        "qualifier": "lower_bound",
        "source_title": "数字中国发展报告（2021年）",
        "edition_year": 2021,
        "source_id": "dcr2021",
    },
]


def frame(name: str = "网民规模", quote: str = "网民规模达10.32亿") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_id": "internet_users",
                "region": "全国",
                "unit": "亿人",
                "quote": quote,
                "name_zh": name,
                "domain": "digital_society",
                **r,
            }
            for r in ROWS
        ]
    )


@pytest.fixture(scope="module")
def fig() -> render.Figure:
    data = frame()
    return render.figure(charts.line_chart(data, title="网民规模", takeaway=charts.takeaway_growth(data)))


@pytest.fixture(scope="module")
def bundle(fig: render.Figure) -> tuple[dict[str, str], dict]:
    return fig.bundle()


def test_bundle_has_every_mime_type(fig: render.Figure, bundle: tuple[dict[str, str], dict]) -> None:
    data, meta = bundle
    # no PDF: the PDF step converts each chart's SVG download (dcbook.pdf.vectors); the site needs none
    assert set(data) == {"text/html", "image/png", "image/svg+xml", "text/plain"}
    assert data["image/svg+xml"] == fig.svg()
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width_px = int.from_bytes(png[16:20], "big")
    # drawn at 200 ppi: the CSS width (metadata) is 72/200 of the pixels, and close to the house width
    assert meta["image/png"]["width"] == round(width_px * 72 / 200)
    assert charts.WIDTH - 40 <= meta["image/png"]["width"] <= charts.WIDTH + 40
    assert data["text/plain"].startswith("图表：网民规模 — 2017–2021 年由 7.72 亿人增至超过 10.32 亿人")


def test_pdf_embeds_noto_cjk_not_a_random_face(fig: render.Figure) -> None:
    pdf = render.svg_to_pdf(fig.svg())
    assert pdf.startswith(b"%PDF-")
    fonts = set(re.findall(rb"/FontName\s*/[A-Z]{6}\+([A-Za-z0-9-]+)", pdf))
    assert fonts and all(f.startswith(b"NotoSansCJKsc") for f in fonts), fonts


def test_html_is_offline_and_complete(fig: render.Figure, bundle: tuple[dict[str, str], dict]) -> None:
    html = bundle[0]["text/html"]
    assert "http" not in html  # no CDN, no $schema URL
    assert re.fullmatch(r"dc-chart-[0-9a-f]{12}", fig.id)
    assert f'id="{fig.id}"' in html and "window.vegaEmbed(el,spec,opt)" in html
    assert "<script src" not in html  # the page loads vega once, from _static/vendor
    assert '<p class="dc-chart-title">网民规模</p>' in html
    assert "增长超过 33.7%" in html  # takeaway
    assert "来源：《数字中国建设发展报告（2017年）》；《数字中国发展报告（2021年）》" in html
    assert charts.QUALIFIED_NOTE in html
    assert (
        f'<a class="dc-chart-csv" href="../_static/downloads/{fig.id}.csv"'
        f' download="digital-china-{fig.id.removeprefix("dc-chart-")}.csv">下载数据 (CSV)</a>'
    ) in html
    # text alternative: a sentence and the data table, qualified value marked
    assert '<details class="dc-chart-alt">' in html and "折线图，2 个数据点" in html
    assert "<td>超过 10.32 亿人</td>" in html
    spec = json.loads(re.search(rf'id="{fig.id}-spec">(.*?)</script>', html).group(1))
    assert "title" not in spec and "$schema" not in spec  # the caption shows the title
    options = json.loads(re.search(rf'id="{fig.id}-options">(.*?)</script>', html).group(1))
    assert options["formatLocale"] == charts.ZH_NUMBER_LOCALE
    # no vega-embed menu: its images would lack title, source and licence (the figure links the titled ones)
    assert options["actions"] is False
    assert options["dcbookDark"] == charts.DARK_COLORS


def test_same_chart_gives_identical_html_and_different_chart_a_different_id() -> None:
    make = lambda name: render.figure(charts.line_chart(frame(name), title="网民规模"))  # noqa: E731
    a, b, c = make("网民规模"), make("网民规模"), make("手机网民规模")
    assert a.html() == b.html() and a.id == b.id
    assert c.id != a.id


def test_hostile_strings_are_escaped() -> None:
    evil = "</script><script>alert(1)</script>"
    fig = render.figure(charts.line_chart(frame(name=evil, quote=evil + "10.32"), title="<b>标题</b>"))
    html = fig.html()
    assert html.count("<script") == 3  # spec, options, the embed call: nothing injected
    assert html.count("</script>") == 3
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # shown as text in the table
    assert "&lt;b&gt;标题&lt;/b&gt;" in html
    spec_json = re.search(rf'id="{fig.id}-spec">(.*?)</script>', html).group(1)
    assert "<" not in spec_json and json.loads(spec_json)["datasets"]  # still valid JSON
    assert evil in json.dumps(json.loads(spec_json), ensure_ascii=False)


def test_csv_written_only_when_downloads_dir_set(
    fig: render.Figure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DCBOOK_DOWNLOADS_DIR", raising=False)
    assert fig.write_csv() is None
    monkeypatch.setenv("DCBOOK_DOWNLOADS_DIR", str(tmp_path / "dl"))
    data, _ = fig._repr_mimebundle_()
    path = tmp_path / "dl" / f"{fig.id}.csv"
    assert f'{path.name}" download="digital-china-' in data["text/html"]
    assert not (tmp_path / "dl" / f"{fig.id}.json").exists()  # a chart outside a page: CSV only
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as Excel on Chinese Windows needs
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "指标编号",
        "指标",
        "地区",
        "年份",
        "数值",
        "单位",
        "数值性质",
        "来源编号",
        "来源",
        "版本年份",
        "原文",
        "领域",
    ]
    assert [(r["年份"], r["数值"], r["数值性质"]) for r in rows] == [
        ("2017", "7.72", "确切值"),
        ("2021", "10.32", "下限（超过）"),
    ]
    assert rows[1]["来源"] == "数字中国发展报告（2021年）"
    assert {r["领域"] for r in rows} == {"数字社会与民生"}


def test_csv_drops_helper_columns_and_names_every_column_in_chinese() -> None:
    frame = pd.DataFrame(
        [{"province": "北京", "row": 1, "col": 7, "category": "plan", "category_zh": "规划", "_label": "x"}]
    )
    out = render.csv_frame(frame)
    assert list(out.columns) == ["省份", "类别"]


def test_overrides_and_plain_altair_charts_get_house_style() -> None:
    import altair as alt

    data = frame()
    chart = alt.Chart(data).mark_line().encode(x="year:Q", y="value:Q")
    fig = render.figure(chart, title="自定义", takeaway="说明", alt_text="一条线。")
    assert fig.html_spec["config"]["font"] == charts.FONT_STACK
    html = fig.html()
    assert "自定义" in html and "说明" in html and "<p>一条线。</p>" in html
    untitled = render.figure(alt.Chart(data).mark_line().encode(x="year:Q", y="value:Q"))
    with pytest.raises(ValueError, match="needs a title"):
        untitled.html()  # an untitled chart waits for its template's title: only its payload can be taken
    titled = render.Figure.from_payload(untitled.payload(), title="后来的标题", takeaway="副标题")
    assert "后来的标题" in titled.html() and "副标题" in titled.alt_text
    with pytest.raises(ValueError, match="no 'source_title' column; pass source_line="):
        render.figure(chart, title="x", data=data.drop(columns="source_title"))


def test_static_source_line_wraps_to_house_width() -> None:
    line = "来源：" + "；".join(f"《数字中国发展报告（{y}年）》" for y in range(2017, 2023))
    lines = render.wrap_source_line(line)
    assert len(lines) > 1 and "".join(lines) == line
    assert all(render._text_width(x) <= charts.WIDTH - 20 for x in lines)


def test_vendored_scripts_match_installed_altair() -> None:
    assert vendor.check() == []
    meta = json.loads((vendor.VENDOR_DIR / "versions.json").read_text(encoding="utf-8"))
    import altair as alt

    assert meta["packages"]["vega-lite"]["version"] == alt.VEGALITE_VERSION
    for package in ("vega", "vega-lite", "vega-embed"):
        head = (vendor.VENDOR_DIR / f"{package}.min.js").read_text(encoding="utf-8")[:400]
        assert "globalThis" in head  # UMD build that defines the page global
    assert vendor.html_js_files() == [
        "vendor/vega.min.js",
        "vendor/vega-lite.min.js",
        "vendor/vega-embed.min.js",
    ]


def test_chart_images_are_kept_by_content_and_equal_a_fresh_conversion(tmp_path, monkeypatch) -> None:
    """With ``DCBOOK_CHART_CACHE`` set, a chart converted once is read back byte for byte, never converted
    again; without it (or for another spec) vl-convert runs."""
    monkeypatch.delenv(render.CHART_CACHE_ENV, raising=False)
    fresh = render.figure(charts.line_chart(frame(), title="网民规模"))
    svg, png = fresh.svg(), fresh.png()

    monkeypatch.setenv(render.CHART_CACHE_ENV, str(tmp_path))
    first = render.figure(charts.line_chart(frame(), title="网民规模"))
    assert (first.svg(), first.png()) == (svg, png)
    assert len(list(tmp_path.glob("*/*.svg"))) == 1 and len(list(tmp_path.glob("*/*.png200"))) == 1

    import vl_convert

    def no_conversion(*args, **kwargs):
        raise AssertionError("converted again although the image was kept")

    with monkeypatch.context() as m:
        m.setattr(vl_convert, "vegalite_to_svg", no_conversion)
        m.setattr(vl_convert, "svg_to_png", no_conversion)
        again = render.figure(charts.line_chart(frame(), title="网民规模"))
        assert (again.svg(), again.png()) == (svg, png)
        other = render.figure(charts.line_chart(frame(), title="另一张图"))
        with pytest.raises(AssertionError, match="converted again"):
            other.svg()


def test_a_damaged_or_foreign_chart_image_is_converted_afresh(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(render.CHART_CACHE_ENV, str(tmp_path))
    calls: list[str] = []
    assert render.converted("svg", "spec", lambda: calls.append("a") or b"<svg/>") == b"<svg/>"
    assert render.converted("svg", "spec", lambda: calls.append("b") or b"other") == b"<svg/>"
    (entry,) = tmp_path.glob("*/*.svg")
    entry.write_bytes(b"")  # an empty file (a full disk): not trusted
    assert render.converted("svg", "spec", lambda: calls.append("c") or b"<svg/>") == b"<svg/>"
    # another converter or other fonts: another key
    monkeypatch.setattr(render, "converter_stamp", lambda: "vl-convert 0.0")
    assert render.converted("svg", "spec", lambda: calls.append("d") or b"<svg v0/>") == b"<svg v0/>"
    assert calls == ["a", "c", "d"]


def test_the_chart_cache_drops_the_least_recently_used_images(tmp_path) -> None:
    for i in range(5):
        path = tmp_path / "ab" / f"{i}.svg"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x" * 100)
        os.utime(path, ns=(i * 10**9, i * 10**9))
    assert render.prune_chart_cache(tmp_path, max_bytes=250) == 3
    assert sorted(p.name for p in tmp_path.glob("*/*")) == ["3.svg", "4.svg"]
    assert render.prune_chart_cache(tmp_path, max_bytes=250) == 0
