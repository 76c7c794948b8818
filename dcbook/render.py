"""Chart output for notebooks: one display bundle per chart that works offline, in HTML and in the PDF.

Altair's default HTML loads vega from a CDN at view time and is missing from a LaTeX PDF. A chapter cell
calls :func:`show` instead, which outputs one bundle holding

* ``text/html`` — a figure whose container id is derived from the spec (``dc-chart-<sha1[:12]>``, so a
  re-execution yields identical HTML for nbval), a ``vegaEmbed`` call on the page's global
  vega/vegaLite/vegaEmbed (served from ``_static/vendor/``), the title, takeaway and source line, a text
  alternative with the plotted data as a collapsible table, and a "下载数据 (CSV)" link;
* ``image/png`` (vl-convert, ppi 200) and ``image/svg+xml`` — the static chart, which carries title, takeaway
  and source line inside since the PDF has no surrounding HTML. The PDF step prints each chart as a vector
  PDF converted from that SVG (:func:`svg_to_pdf`, :mod:`dcbook.pdf.vectors`); the site never needs a PDF,
  so a chapter's execution does not make one;
* ``text/plain`` — a one-line description.

When ``DCBOOK_DOWNLOADS_DIR`` is set (the build sets it), the chart's downloads are written there, named by
its id (``dc-chart-<chapter>-<key>``, unchanged when the wording changes), and the build publishes them at
``_static/downloads/``: ``.csv`` (plotted rows, UTF-8 with a BOM, Chinese headers, no helper columns),
``.png`` and ``.svg`` (the titled image the PDF uses: figure number, title, source line, licence) and
``.json`` (the chart's metadata: :meth:`Figure.metadata`). The figure in the page links them, with a
ready-to-copy citation, a link to the whole dataset (``../data/``) and a static image in ``<noscript>``.

"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import importlib.metadata
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from dcbook import CHART_CACHE_ENV, charts, fmt, periods
from dcbook.schema import DOMAIN_NAMES

#: Where the CSV links point, relative to a chapter page (override with DCBOOK_DOWNLOADS_URL).
DEFAULT_DOWNLOADS_URL = "../_static/downloads/"
#: The edition's whole dataset (``<edition>/data/``), relative to a chapter page (override: DCBOOK_DATA_URL).
DEFAULT_DATA_URL = "../data/index.html"
#: Who made the charts and under which licence (CITATION.cff and LICENSE say the same; a test compares them).
BOOK_TITLE = "数字中国发展解读"
AUTHORS = "数字中国发展解读编写组"
LICENCE = {"name": "CC-BY-4.0", "title": "知识共享署名 4.0 国际许可协议（CC BY 4.0）",
           "path": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"}  # fmt: skip
#: The licence line every static image carries under its source line.
LICENCE_LINE = "{book}（{edition} 年版）· CC BY 4.0"
#: The ready-to-copy citation of one chart (a number-less chart leaves out "图 N-M ").
CITATION = "{authors}．《{book}》（{edition} 年版），{number}“{title}”，数据截至 {updated}．许可：CC BY 4.0．"
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
    "_pct": charts.PROGRESS_HEADER,
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
_fonts_registered = False
#: What converts the charts (SVG, PNG, PDF): part of every kept image's key (:func:`converter_stamp`).
VECTOR_CONVERTER = f"vl-convert {importlib.metadata.version('vl-convert-python')}"
#: Where vl-convert finds faces besides :data:`FONT_DIRS` (it loads the system's fonts too).
SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
#: Bytes above which the chart cache drops its least recently used images (:func:`prune_chart_cache`).
CHART_CACHE_MAX_BYTES = 256 * 1024 * 1024


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


@functools.cache
def converter_stamp() -> str:
    """vl-convert's version and every font file it may draw with (path, size, time): the same spec gives
    the same image only with the same converter and faces, so both are part of a cached image's key."""
    parts = [VECTOR_CONVERTER, _vl_version(), json.dumps(charts.ZH_NUMBER_LOCALE, sort_keys=True)]
    # FONT_DIRS lie under the system's folders: each file is listed once
    faces = {
        path for top in (*FONT_DIRS, *SYSTEM_FONT_DIRS) for path in Path(top).rglob("*") if path.is_file()
    }
    for path in sorted(faces):
        st = path.stat()
        parts.append(f"{path}|{st.st_size}|{st.st_mtime_ns}")
    return "\n".join(parts)


def converted(kind: str, source: str, make: Callable[[], bytes], folder: Path | None = None) -> bytes:
    """``make()`` (one vl-convert conversion of ``source`` to ``kind``), kept in ``folder`` (default:
    ``$DCBOOK_CHART_CACHE``; neither: converted every time).

    A re-executed chapter whose chart did not change (a later source's rows, a prose edit, a data change
    elsewhere in the chapter) then spends no time in vl-convert: the conversion is about half of a
    chapter's execution. Keyed by the source text, the kind and :func:`converter_stamp`; a hit is touched
    (:func:`prune_chart_cache` drops the least recently used); an unreadable entry is converted afresh.
    """
    folder = folder or (Path(os.environ[CHART_CACHE_ENV]) if os.environ.get(CHART_CACHE_ENV) else None)
    if folder is None:
        return make()
    key = hashlib.sha256(f"{kind}\0{converter_stamp()}\0{source}".encode()).hexdigest()
    path = folder / key[:2] / f"{key}.{kind}"
    try:
        found = path.read_bytes()
    except OSError:
        found = b""
    if found:
        with contextlib.suppress(OSError):  # another build pruning it now: the bytes are already read
            os.utime(path)
        return found
    made = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(made)
    os.replace(tmp, path)
    return made


def prune_chart_cache(folder: Path, max_bytes: int = CHART_CACHE_MAX_BYTES) -> int:
    """Drop the least recently used images until ``folder`` holds at most ``max_bytes``; return how many.

    Entries vanishing meanwhile (another build pruning) are skipped."""
    entries = []
    for path in folder.glob("*/*"):
        with contextlib.suppress(FileNotFoundError):
            st = path.stat()
            entries.append((st.st_mtime_ns, st.st_size, path))
    total = sum(size for _, size, _ in entries)
    dropped = 0
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
        dropped += 1
    return dropped


def svg_to_pdf(svg: str) -> bytes:
    """A chart's SVG as a vector PDF, with the CJK fonts (the LaTeX build's figures)."""
    import vl_convert as vlc

    _register_fonts()
    return vlc.svg_to_pdf(svg)


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
    "name_full": "省份全称",
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
    "progress": charts.PROGRESS_HEADER,
    "status": "状态",
    "computed": "计算值",
    "domain": "领域",
    "source_id": "来源编号",
    "source_title": "来源",
    "published": "发布时间",
    "edition_year": "版本年份",
    "locator": "原文行号",
    "number": "原文数字",
    "quote": "原文",
    # the other columns of the dataset (the data dictionary on the site names every column)
    "title": "标题",
    "publisher": "发布机构",
    "file": "原文文件",
    "url": "网址",
    "sha256": "原文文件 SHA-256",
    "name_en": "英文名称",
    "higher_is_better": "越大越好",
    "definition_zh": "定义",
    "aliases": "别名",
    "plan": "规划",
    "attribute": "指标属性",
    "framework": "评价体系",
    "score": "得分",
    "weight": "权重",
    "level": "层级",
    "parent": "上级维度",
    "indicator_zh": "具体指标",
    "category": "类别代码",
    "tile_col": "瓦片地图列",
    "tile_row": "瓦片地图行",
    "check": "检查项",
    "reason": "原因",
    # diagnoses.csv and international.csv (the data dictionary names every column of every table)
    "scope": "范围",
    "topic_zh": "问题",
    "chapter": "所属章节",
    "statement_id": "表述编号",
    "indicator": "比较对象",
    "measure": "比较方式",
    "family": "口径类别",
    "family_name": "可比口径",
    "total": "总分",
    "printed": "原文写法",
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
    if "computed" in out.columns:
        out["computed"] = out["computed"].fillna(False).astype(bool).map({True: "是", False: "否"})
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
    #: "2-1" (chapter 2, first chart) and the book's edition, when the build renders the chart for a page.
    number: str | None = None
    edition: int | None = None
    #: source_id → {"title", "published"} of the edition's sources (for the metadata's dates).
    sources: dict[str, dict[str, Any]] | None = None
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
        heading = f"图 {self.number}　{self.title}" if self.number else self.title
        static_title = {"text": heading, "subtitle": [t for t in [takeaway, *self._notes] if t]}
        inner = {k: v for k, v in spec.items() if k not in ("$schema", "config", "datasets", "title")}
        inner["title"] = static_title if static_title["subtitle"] else heading
        footer = wrap_source_line(self.source_line or "")
        if self.edition is not None:
            footer.append(LICENCE_LINE.format(book=BOOK_TITLE, edition=self.edition))
        self.static_spec = {
            "$schema": spec.get("$schema"),
            "config": spec.get("config", {}),
            "datasets": spec.get("datasets", {}),
            "vconcat": [inner],
            "title": {
                "text": footer,
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
        cls,
        payload: dict[str, Any],
        *,
        title: str,
        takeaway: str | None = None,
        slug: str | None = None,
        number: str | None = None,
        edition: int | None = None,
        sources: dict[str, dict[str, Any]] | None = None,
    ) -> Figure:
        """The chart of :meth:`payload`, titled (a directive's ``:title:`` and body), numbered for its page."""
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
            number=number,
            edition=edition,
            sources=sources,
        )

    # -- outputs -----------------------------------------------------------------------------------------

    def csv_text(self) -> str:
        """The CSV download contents (``\\n`` line ends; :meth:`write_csv` adds the BOM)."""
        assert self.data is not None
        return csv_frame(self.data).to_csv(index=False, lineterminator="\n")

    def write_csv(self) -> Path | None:
        """Write the chart's downloads into ``$DCBOOK_DOWNLOADS_DIR`` if set; return the CSV's path.

        ``<id>.csv`` always; for a chart rendered for a page (an edition known) also ``<id>.json``,
        ``<id>.png`` and ``<id>.svg``. None when the variable is unset.
        """
        target = os.environ.get("DCBOOK_DOWNLOADS_DIR")
        if not target:
            return None
        path = Path(target) / f"{self.id}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        # UTF-8 with a BOM: Excel on Chinese Windows reads a CSV without one as GBK and shows mojibake.
        path.write_text(self.csv_text(), encoding="utf-8-sig")
        if self.edition is not None and hasattr(self, "static_spec"):
            meta = json.dumps(self.metadata(), ensure_ascii=False, indent=1) + "\n"
            path.with_suffix(".json").write_text(meta, encoding="utf-8")
            path.with_suffix(".svg").write_text(self.svg(), encoding="utf-8")
            path.with_suffix(".png").write_bytes(self.png())
        return path

    def download_name(self, ext: str) -> str:
        """The name a download is saved under: book, edition and chart slug, never the wording."""
        edition = f"-{self.edition}" if self.edition is not None else ""
        return f"digital-china{edition}-{self.id.removeprefix('dc-chart-')}.{ext}"

    def _chart_sources(self) -> list[dict[str, Any]]:
        """The documents the plotted rows quote, each with the lines quoted (from the data's locators)."""
        assert self.data is not None
        known = self.sources or {}
        out: dict[str, dict[str, Any]] = {}
        for row in self.data.to_dict("records"):
            sid = row.get("source_id")
            if not isinstance(sid, str) or not sid:
                # rows that name their document by title only (a ranking table's cells; the dataset itself)
                title = row.get("source_title")
                if isinstance(title, str) and title:
                    found = next((k for k, v in known.items() if v.get("title") == title), None)
                    out.setdefault(
                        found or title,
                        {
                            "source_id": found,
                            "title": title,
                            "published": str(known[found].get("published") or "") if found else "",
                            "locators": [],
                        },
                    )
                continue
            entry = out.setdefault(
                sid,
                {
                    "source_id": sid,
                    "title": str(row.get("source_title") or known.get(sid, {}).get("title") or sid),
                    "published": str(known.get(sid, {}).get("published") or row.get("published") or ""),
                    "locators": [],
                },
            )
            loc = row.get("locator")
            if loc is not None and not (isinstance(loc, float) and math.isnan(loc)):
                line = int(loc)
                if line not in entry["locators"]:
                    entry["locators"].append(line)
        for entry in out.values():
            entry["locators"].sort()
        return list(out.values())

    def metadata(self) -> dict[str, Any]:
        """The chart's metadata JSON: what a reader needs to reuse and cite it (tests hold its schema)."""
        self._titled()
        assert self.data is not None
        sources = self._chart_sources()
        units = sorted({str(u) for u in self.data.get("unit", pd.Series(dtype=str)).dropna() if str(u)})
        updated = max((s["published"] for s in sources if s["published"]), default="")
        if not updated:  # no dated source of its own: the edition's newest source dates it
            updated = max((str(v.get("published") or "") for v in (self.sources or {}).values()), default="")
        number = f"图 {self.number}" if self.number else ""
        citation = CITATION.format(
            authors=AUTHORS,
            book=BOOK_TITLE,
            edition=self.edition,
            number=number,
            title=self.title,
            updated=updated or self.edition,
        )
        return {
            "id": self.id,
            "figure": number,
            "title": self.title or "",
            "subtitle": self.takeaway or "",
            "notes": list(self._notes),
            "unit": units,
            "sources": sources,
            "source_line": self.source_line or "",
            "edition": self.edition,
            "last_updated": updated,
            "rows": len(self.data),
            "licence": dict(LICENCE),
            "citation": citation,
            "files": {ext: self.download_name(ext) for ext in ("csv", "png", "svg", "json")},
        }

    def svg(self) -> str:
        """The static chart as SVG, rendered once by vl-convert with the zh-CN number locale.

        PNG and PDF are both converted from this one SVG: vl-convert's own PNG and PDF exports go
        through the same SVG, so this gives the same bytes and runs Vega once per chart instead of twice
        (about a third of a chapter's execution time).
        """
        self._titled()
        if "svg" not in self._cache:

            def make() -> bytes:
                import vl_convert as vlc

                _register_fonts()
                svg = vlc.vegalite_to_svg(
                    self.static_spec, vl_version=_vl_version(), format_locale=charts.ZH_NUMBER_LOCALE
                )
                return svg.encode("utf-8")

            spec = json.dumps(self.static_spec, sort_keys=True, ensure_ascii=False)
            self._cache["svg"] = converted("svg", spec, make).decode("utf-8")
        return self._cache["svg"]

    def png(self) -> bytes:
        """PNG at 200 ppi (LaTeX sizes images by their ppi: ``scale=2`` would print at double size)."""
        if "png" not in self._cache:

            def make() -> bytes:
                import vl_convert as vlc

                _register_fonts()
                return bytes(vlc.svg_to_png(self.svg(), ppi=PNG_PPI))

            self._cache["png"] = converted(f"png{PNG_PPI}", self.svg(), make)
        return self._cache["png"]

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
            # No vega-embed menu: its images lack title, source and licence; the figure links the titled ones.
            "actions": False,
            "formatLocale": charts.ZH_NUMBER_LOCALE,
            "i18n": EMBED_I18N,
            "dcbookDark": dict(charts.DARK_COLORS),  # read (and removed) by the page script below
        }
        notes = "".join(f'<p class="dc-chart-note">{esc(n)}</p>' for n in self._notes)
        takeaway = f'<p class="dc-chart-takeaway">{esc(self.takeaway)}</p>' if self.takeaway else ""
        cid = self.id
        anchor = "fig-" + cid.removeprefix("dc-chart-")
        number = (
            f'<a class="dc-chart-number" href="#{anchor}" title="链接到此图">图 {esc(self.number)}</a>　'
            if self.number
            else ""
        )
        data_url = os.environ.get("DCBOOK_DATA_URL", DEFAULT_DATA_URL)
        extras = ""
        noscript = ""
        if self.edition is not None:
            link = '<a class="dc-chart-{0}" href="{1}" download="{2}">{3}</a>'
            extras = "".join(
                "　" + link.format(ext, esc(url + cid + "." + ext), esc(self.download_name(ext)), label)
                for ext, label in (("png", "图片 (PNG)"), ("svg", "图片 (SVG)"), ("json", "元数据 (JSON)"))
            )
            extras += f'　<a class="dc-chart-dataset" href="{esc(data_url)}">全部数据</a>'
            png = self.png()
            width = round(int.from_bytes(png[16:20], "big") * 72 / PNG_PPI)
            noscript = (
                f'<noscript><img class="dc-chart-static" src="{esc(url + cid + ".png")}" width="{width}"'
                f' alt="{esc(self.alt_text or "")}"></noscript>'
            )
            extras += (
                '<details class="dc-chart-cite"><summary>引用此图</summary>'
                f'<p class="dc-chart-citation">{esc(self.metadata()["citation"])}</p></details>'
            )
        return (
            f'<figure class="dc-chart" id="{anchor}" data-dc-chart="{cid}">'
            f'<figcaption><p class="dc-chart-title">{number}{esc(self.title or "")}</p>{takeaway}{notes}'
            "</figcaption>"
            f'<div class="dc-chart-view" id="{cid}" role="img" aria-label="{esc(self.alt_text or "")}"></div>'
            f"{noscript}"
            f'<p class="dc-chart-source">{esc(self.source_line or "")}</p>'
            f'<details class="dc-chart-alt"><summary>文字说明与数据表（{len(table)} 行）</summary>'
            f"<p>{esc(self.alt_text or '')}</p>"
            f'<table class="dc-chart-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></details>'
            f'<div class="dc-chart-download"><a class="dc-chart-csv" href="{esc(url + cid + ".csv")}"'
            f' download="{esc(self.download_name("csv"))}">下载数据 (CSV)</a>{extras}</div>'
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
            "var dark=opt.dcbookDark;delete opt.dcbookDark;"
            "if(window.dcbookChartSpec){spec=window.dcbookChartSpec(spec,dark);}"
            "window.vegaEmbed(el,spec,opt).then(function(){"
            "el.setAttribute('data-state','rendered');})"
            ".catch(function(err){el.setAttribute('data-state','error');console.error('vega-embed '+id+': '+err);});}"
            "(window.dcbookCharts=window.dcbookCharts||{})[id]=draw;"
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
            "image/svg+xml": self.svg(),
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
