"""Chart output for notebooks: one display bundle per chart that works offline, in HTML and in the PDF.

Altair's default HTML loads vega from a CDN at view time and is missing from a LaTeX PDF. A chapter cell
calls :func:`show` instead, which outputs one bundle holding

* ``text/html`` — a figure whose container id is derived from the spec (``dc-chart-<sha1[:12]>``, so a
  re-execution yields identical HTML for nbval), a ``vegaEmbed`` call on the page's global
  vega/vegaLite/vegaEmbed (served from ``_static/vendor/``), the title, takeaway and source line, a text
  alternative with the plotted data as a collapsible table, and a "下载数据 (CSV)" link;
* ``image/png`` (vl-convert, ppi 200) and a vector ``application/pdf`` (vl-convert) for the LaTeX build —
  these carry title, takeaway and source line inside the image since the PDF has no surrounding HTML;
* ``text/plain`` — a one-line description.

When ``DCBOOK_DOWNLOADS_DIR`` is set (the build sets it), the plotted rows are written there as
``<id>.csv`` (UTF-8 with a BOM, Chinese headers), which the build publishes at ``_static/downloads/``.

vl-convert's PDF bytes are not deterministic (timestamps), so nbval needs ``nbval_sanitize.cfg``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from dcbook import charts, fmt, periods
from dcbook.schema import DOMAIN_NAMES

#: Where the CSV links point, relative to a chapter page (override with DCBOOK_DOWNLOADS_URL).
DEFAULT_DOWNLOADS_URL = "../_static/downloads/"
#: Fonts for vl-convert; registered once per process if present.
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")
PNG_PPI = 200
#: Contract columns, in the order the CSV download lists them.
CSV_COLUMNS = (
    "indicator_id",
    "name_zh",
    "region",
    "province",
    "year",
    "value",
    "unit",
    "qualifier",
    "period",
    "source_id",
    "source_title",
    "edition_year",
    "quote",
)
#: Columns shown in the readers' table (display name by column); ``_label`` is the formatted value.
TABLE_COLUMNS: dict[str, str] = {
    "name_zh": "指标",
    "region": "地区",
    "province": "省份",
    "year": "年份",
    "_rank_label": "排名",
    "_label": "数值",
    "_path": "基期 → 最新 → 目标",
    "_pct": "进度",
    "status": "状态",
    "_source": "来源",
}
#: vega-embed action menu in Chinese; the editor/source actions are off (they would link off-site).
EMBED_I18N = {
    "SVG_ACTION": "保存为 SVG",
    "PNG_ACTION": "保存为 PNG",
    "CLICK_TO_VIEW_ACTIONS": "更多操作",
    "COMPILED_ACTION": "查看 Vega 规范",
    "EDITOR_ACTION": "在编辑器中打开",
    "SOURCE_ACTION": "查看源规范",
}
#: The accessible name of the chart's menu button (vega-embed draws it as an unlabelled icon).
MENU_LABEL = "图表菜单：保存图片"
_fonts_registered = False


def _register_fonts() -> None:
    """Give vl-convert the Noto CJK faces so Chinese does not render as boxes."""
    global _fonts_registered
    if _fonts_registered:
        return
    import vl_convert as vlc

    for directory in FONT_DIRS:
        if Path(directory).is_dir():
            vlc.register_font_directory(directory)
    _fonts_registered = True


def _vl_version() -> str:
    """vl-convert's name for the Vega-Lite version Altair compiles for (``6.4.1`` → ``6.4``)."""
    major, minor = alt.VEGALITE_VERSION.split(".")[:2]
    return f"{major}.{minor}"


def script_json(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>``: no ``</`` (cannot close the tag), no ``<!--``."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _text_width(text: str, px: float = 11) -> float:
    """Rough rendered width: CJK and full-width glyphs one em, others about half."""
    return sum(px if ord(ch) > 0x2E80 else px * 0.55 for ch in text)


def wrap_source_line(line: str, max_px: float = charts.WIDTH - 20) -> list[str]:
    """Break a long "来源：" line after "；" so the static image keeps the house width."""
    pieces = [p + "；" for p in line.split("；")]
    pieces[-1] = pieces[-1][:-1]
    lines: list[str] = []
    for piece in pieces:
        if lines and _text_width(lines[-1] + piece) <= max_px:
            lines[-1] += piece
        else:
            lines.append(piece)
    return lines


def _title_parts(spec: dict[str, Any]) -> tuple[str, list[str]]:
    title = spec.get("title")
    if isinstance(title, str):
        return title, []
    if isinstance(title, dict):
        text = title.get("text", "")
        sub = title.get("subtitle", [])
        text = "".join(text) if isinstance(text, list) else str(text)
        return text, [sub] if isinstance(sub, str) else list(sub)
    return "", []


def _table_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The readers' table: display columns with Chinese headers (formatted values keep their qualifier)."""
    cols = [c for c in TABLE_COLUMNS if c in df.columns]
    if "_label" not in df.columns and "value" in df.columns:
        cols.insert(len(cols) - ("_source" in cols), "value")
    shown = df[cols].rename(columns={**TABLE_COLUMNS, "value": "数值"})
    return shown


#: The CSV download's Chinese column headers (a column not named here keeps its code name, and the browser
#: test of the built site then names it).
CSV_HEADERS: dict[str, str] = {
    "indicator_id": "指标编号",
    "name_zh": "指标",
    "name_full": "指标全称",
    "index": "指数",
    "region": "地区",
    "province": "省份",
    "provinces": "省份",
    "economy": "经济体",
    "sector": "行业",
    "item": "项目",
    "dimension": "维度",
    "tier": "梯队",
    "year": "年份",
    "date": "日期",
    "start_year": "起始年份",
    "value": "数值",
    "unit": "单位",
    "qualifier": "数值性质",
    "period": "时期",
    "value_printed": "原文数值",
    "unit_printed": "原文单位",
    "rank": "排名",
    "cell": "格内文字",
    "result": "结果",
    "kind": "类型",
    "event_zh": "事件",
    "category_zh": "类别",
    "base_year": "基期年份",
    "base_value": "基期值",
    "latest_year": "最新年份",
    "target_year": "目标年份",
    "target_value": "目标值",
    "comparator": "目标比较",
    "progress": "进度",
    "status": "状态",
    "domain": "领域",
    "source_id": "来源编号",
    "source_title": "来源",
    "published": "发布时间",
    "edition_year": "版本年份",
    "locator": "原文行号",
    "quote": "原文",
}
#: Columns that only place marks (tile positions, a bar's composed label, a date's precision, a position on
#: the plan's time axis) or repeat another column as a code: left out of the download.
CSV_HELPER_COLUMNS = frozenset({"row", "col", "label", "precision", "time_share", "in_top", "category"})


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The CSV download: plotted rows, contract columns first, helper columns dropped, Chinese headers.

    Codes a reader cannot read become their labels (qualifier → 下限（超过）…, domain → 数字经济 …).
    """
    public = [c for c in df.columns if not str(c).startswith("_") and c not in CSV_HELPER_COLUMNS]
    ordered = [c for c in CSV_COLUMNS if c in public] + [c for c in public if c not in CSV_COLUMNS]
    out = df[ordered].copy()
    if "qualifier" in out.columns:
        out["qualifier"] = out["qualifier"].map(lambda q: fmt.QUALIFIER_NAMES.get(q, q))
    if "period" in out.columns:
        out["period"] = out["period"].map(lambda p: periods.label(p if isinstance(p, str) else ""))
    if "domain" in out.columns:
        out["domain"] = out["domain"].map(lambda d: DOMAIN_NAMES.get(d, d))
    return out.rename(columns=CSV_HEADERS)


#: MIME type of the one output a chapter's setup cell displays: its facts, charts and tables for the
#: templates (read and removed by :mod:`dcbook.prose.notebook`).
PAYLOAD_MIME = "application/vnd.dcbook.chapter+json"


def _frame_payload(df: pd.DataFrame) -> dict[str, Any]:
    """A DataFrame as JSON (columns, rows); NaN as null, numpy scalars as Python numbers."""
    rows = [
        [
            None if (isinstance(v, float) and math.isnan(v)) else (v.item() if hasattr(v, "item") else v)
            for v in row
        ]
        for row in df.itertuples(index=False, name=None)
    ]
    return {"columns": [str(c) for c in df.columns], "rows": rows}


def _frame_from_payload(data: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(data["rows"], columns=data["columns"])


@dataclass
class Figure:
    """A chart plus what a reader needs to trust it; displays as one multi-format bundle.

    ``chart`` is an Altair chart (in a chapter's kernel) or its Vega-Lite spec as a dict (when the build
    renders a chart directive from the payload, with the directive's title and subtitle). ``slug`` gives
    the chart a stable id and download name ("infrastructure-penetration"); without it the id is a hash of
    the chart.
    """

    chart: alt.TopLevelMixin | dict[str, Any]
    title: str | None = None
    takeaway: str | None = None
    source_line: str | None = None
    data: pd.DataFrame | None = None
    alt_text: str | None = None
    slug: str | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.chart, dict):
            spec = self.chart
        else:
            if not getattr(self.chart, "config", alt.Undefined) or self.chart.config is alt.Undefined:
                self.chart = charts.styled(self.chart)
            spec = self.chart.to_dict()
        self._spec = spec
        spec_title, subtitle = _title_parts(spec)
        meta = spec.get("usermeta", {}).get("dcbook", {})
        self.title = self.title or spec_title
        if self.takeaway is None:
            self.takeaway = meta.get("takeaway") or (
                subtitle[0] if subtitle and subtitle[0] != charts.QUALIFIED_NOTE else ""
            )
        self._notes = [s for s in subtitle if s == charts.QUALIFIED_NOTE]
        if self.data is None:
            if isinstance(self.chart, dict) or not isinstance(self.chart.data, pd.DataFrame):
                raise ValueError(
                    f"render: chart {self.title!r} has no DataFrame at its top level; pass data="
                )
            self.data = self.chart.data
        if self.source_line is None:
            if "source_title" not in self.data.columns:
                raise ValueError(
                    f"render: chart {self.title!r}: data has no 'source_title' column; pass source_line="
                )
            self.source_line = charts.source_line(self.data.dropna(subset=["source_title"]))
        self._explicit_alt = self.alt_text  # a caller's text alternative is used as given
        self._base_alt = meta.get("alt") or ""
        if not self.title:
            return  # a chart still waiting for its directive's title: only payload() is possible
        self._finish()

    def _finish(self) -> None:
        spec, takeaway = self._spec, self.takeaway or ""
        base = self._base_alt or f"图表：{self.title}。"
        if self._explicit_alt:
            self.alt_text = self._explicit_alt
        else:
            self.alt_text = base if not takeaway or base.endswith(takeaway) else base + takeaway
        # Static images carry title, takeaway and source inside (no HTML around them in the PDF).
        static_title = {"text": self.title, "subtitle": [t for t in [takeaway, *self._notes] if t]}
        inner = {k: v for k, v in spec.items() if k not in ("$schema", "config", "datasets", "title")}
        inner["title"] = static_title if static_title["subtitle"] else self.title
        self.static_spec = {
            "$schema": spec.get("$schema"),
            "config": spec.get("config", {}),
            "datasets": spec.get("datasets", {}),
            "vconcat": [inner],
            "title": {
                "text": wrap_source_line(self.source_line or ""),
                "orient": "bottom",
                "anchor": "start",
                "fontSize": 11,
                "fontWeight": "normal",
                "color": "#555555",
                "offset": 12,
            },
        }
        # The browser spec: no title (the figure caption shows it, selectable) and no $schema URL.
        self.html_spec = {k: v for k, v in spec.items() if k not in ("$schema", "title")}
        if self.slug:
            self.id = "dc-chart-" + self.slug
        else:
            digest = hashlib.sha1(
                json.dumps(self.static_spec, sort_keys=True, ensure_ascii=False).encode("utf-8")
            )
            self.id = "dc-chart-" + digest.hexdigest()[:12]

    def _titled(self) -> None:
        if not hasattr(self, "static_spec"):
            raise ValueError(
                "render: a chart needs a title (pass title= or build it with a dcbook.charts builder)"
            )

    def payload(self) -> dict[str, Any]:
        """What the build needs to render this chart later under a directive's title and subtitle."""
        assert self.data is not None
        spec = {k: v for k, v in self._spec.items() if k != "title"}
        if self._notes:
            spec["title"] = {"text": "", "subtitle": list(self._notes)}
        return {
            "spec": spec,
            "data": _frame_payload(self.data),
            "source_line": self.source_line,
            "alt_text": self._explicit_alt,
        }

    @classmethod
    def from_payload(
        cls, payload: dict[str, Any], *, title: str, takeaway: str | None = None, slug: str | None = None
    ) -> Figure:
        """The chart of :meth:`payload`, titled (a directive's ``:title:`` and body)."""
        if not title:
            raise ValueError("render: a chart needs a title")
        return cls(
            dict(payload["spec"]),
            title=title,
            takeaway=takeaway or "",
            source_line=payload["source_line"],
            data=_frame_from_payload(payload["data"]),
            alt_text=payload.get("alt_text") or None,
            slug=slug,
        )

    # -- outputs -----------------------------------------------------------------------------------------

    def csv_text(self) -> str:
        """The CSV download contents (``\\n`` line ends; :meth:`write_csv` adds the BOM)."""
        assert self.data is not None
        return csv_frame(self.data).to_csv(index=False, lineterminator="\n")

    def write_csv(self) -> Path | None:
        """Write ``<id>.csv`` into ``$DCBOOK_DOWNLOADS_DIR`` if set; return the path (None when unset)."""
        target = os.environ.get("DCBOOK_DOWNLOADS_DIR")
        if not target:
            return None
        path = Path(target) / f"{self.id}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        # UTF-8 with a BOM: Excel on Chinese Windows reads a CSV without one as GBK and shows mojibake.
        path.write_text(self.csv_text(), encoding="utf-8-sig")
        return path

    def svg(self) -> str:
        """The static chart as SVG, rendered once by vl-convert with the zh-CN number locale.

        PNG and PDF are both converted from this one SVG: vl-convert's own PNG and PDF exports go
        through the same SVG, so this gives the same bytes and runs Vega once per chart instead of twice
        (about a third of a chapter's execution time).
        """
        self._titled()
        if "svg" not in self._cache:
            import vl_convert as vlc

            _register_fonts()
            self._cache["svg"] = vlc.vegalite_to_svg(
                self.static_spec, vl_version=_vl_version(), format_locale=charts.ZH_NUMBER_LOCALE
            )
        return self._cache["svg"]

    def png(self) -> bytes:
        """PNG at 200 ppi (LaTeX sizes images by their ppi: ``scale=2`` would print at double size)."""
        if "png" not in self._cache:
            import vl_convert as vlc

            self._cache["png"] = vlc.svg_to_png(self.svg(), ppi=PNG_PPI)
        return self._cache["png"]

    def pdf(self) -> bytes:
        """Vector PDF for the LaTeX build (bytes differ between runs: see nbval_sanitize.cfg)."""
        if "pdf" not in self._cache:
            import vl_convert as vlc

            self._cache["pdf"] = vlc.svg_to_pdf(self.svg())
        return self._cache["pdf"]

    def text(self) -> str:
        """text/plain: what the chart is, for consoles and logs."""
        return f"图表：{self.title} — {self.takeaway or ''}（{self.source_line}；数据 {len(self.data)} 行）".replace(
            " — （", "（"
        )

    def html(self) -> str:
        """text/html: caption, chart container, text alternative, data table and CSV link (no http URL)."""
        self._titled()
        assert self.data is not None
        esc = fmt.html_text  # every string here may come from the data files
        url = os.environ.get("DCBOOK_DOWNLOADS_URL", DEFAULT_DOWNLOADS_URL)
        table = _table_frame(self.data)
        head = "".join(f'<th scope="col">{esc(str(c))}</th>' for c in table.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td>{esc('' if pd.isna(v) else str(v))}</td>" for v in row) + "</tr>"
            for row in table.itertuples(index=False, name=None)
        )
        options = {
            "mode": "vega-lite",
            "renderer": "svg",
            "actions": {"export": True, "source": False, "compiled": False, "editor": False},
            "formatLocale": charts.ZH_NUMBER_LOCALE,
            "i18n": EMBED_I18N,
        }
        notes = "".join(f'<p class="dc-chart-note">{esc(n)}</p>' for n in self._notes)
        takeaway = f'<p class="dc-chart-takeaway">{esc(self.takeaway)}</p>' if self.takeaway else ""
        cid = self.id
        return (
            f'<figure class="dc-chart" data-dc-chart="{cid}">'
            f'<figcaption><p class="dc-chart-title">{esc(self.title or "")}</p>{takeaway}{notes}</figcaption>'
            f'<div class="dc-chart-view" id="{cid}" role="img" aria-label="{esc(self.alt_text or "")}"></div>'
            f'<p class="dc-chart-source">{esc(self.source_line or "")}</p>'
            f'<details class="dc-chart-alt"><summary>文字说明与数据表（{len(table)} 行）</summary>'
            f"<p>{esc(self.alt_text or '')}</p>"
            f'<table class="dc-chart-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></details>'
            f'<p class="dc-chart-download"><a href="{esc(url + cid + ".csv")}" download>下载数据 (CSV)</a></p>'
            f'<script type="application/json" id="{cid}-spec">{script_json(self.html_spec)}</script>'
            f'<script type="application/json" id="{cid}-options">{script_json(options)}</script>'
            "<script>(function(){"
            f'var id="{cid}";'
            "function draw(){var el=document.getElementById(id);if(!el||el.getAttribute('data-state'))return;"
            "if(!window.vegaEmbed){el.setAttribute('data-state','no-vega');"
            "el.textContent='图表脚本未加载，请展开下方的文字说明与数据表。';return;}"
            "el.setAttribute('data-state','drawing');"
            "var spec=JSON.parse(document.getElementById(id+'-spec').textContent);"
            "var opt=JSON.parse(document.getElementById(id+'-options').textContent);"
            "window.vegaEmbed(el,spec,opt).then(function(){"
            "var menu=el.querySelector('.vega-actions-wrapper summary, details > summary');"
            f"if(menu){{menu.setAttribute('aria-label',{json.dumps(MENU_LABEL, ensure_ascii=False)});}}"
            "el.setAttribute('data-state','rendered');})"
            ".catch(function(err){el.setAttribute('data-state','error');console.error('vega-embed '+id+': '+err);});}"
            "if(window.vegaEmbed){draw();}else{window.addEventListener('load',draw);}"
            "})();</script>"
            "</figure>"
        )

    def bundle(self) -> tuple[dict[str, str], dict[str, Any]]:
        """The display bundle ``(data, metadata)``; binary formats base64-encoded as nbformat stores them."""
        png = self.png()
        width_px = int.from_bytes(png[16:20], "big")
        height_px = int.from_bytes(png[20:24], "big")
        data = {
            "text/html": self.html(),
            "image/png": base64.b64encode(png).decode("ascii"),
            "application/pdf": base64.b64encode(self.pdf()).decode("ascii"),
            "text/plain": self.text(),
        }
        # Show the PNG at its CSS size (it is drawn at 200 ppi).
        meta = {
            "image/png": {"width": round(width_px * 72 / PNG_PPI), "height": round(height_px * 72 / PNG_PPI)}
        }
        return data, meta

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        self.write_csv()
        return self.bundle()


def figure(chart: alt.TopLevelMixin, **kwargs: Any) -> Figure:
    """Build a :class:`Figure` (same keywords as :func:`show`) without displaying it."""
    return Figure(chart, **kwargs)


def show(
    chart: alt.TopLevelMixin,
    *,
    title: str | None = None,
    takeaway: str | None = None,
    source_line: str | None = None,
    data: pd.DataFrame | None = None,
    alt_text: str | None = None,
) -> None:
    """Display ``chart`` as one bundle in a notebook (and write its CSV).

    Returns nothing, so that ``show(...)`` as a cell's last line does not add a second output.

    Title, takeaway, source line, data and text alternative default to what the ``dcbook.charts``
    builder stored in the chart; pass them to override.
    """
    fig = Figure(chart, title=title, takeaway=takeaway, source_line=source_line, data=data, alt_text=alt_text)
    from IPython.display import display

    display(fig)
