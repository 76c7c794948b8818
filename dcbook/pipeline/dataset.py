"""The site's ``data/`` folder of one edition: the dataset to take away, with its dictionary.

``<edition>/data/`` holds what that edition may see (sources with ``edition_year`` ≤ the edition; the rows of
every other table that cite one of them; the indicators those rows name; the provinces whole), as

* ``digital-china-data-<edition>.zip`` — every CSV (UTF-8 with a BOM, so Excel on Chinese Windows reads it),
  the edition's ``datapackage.json``, ``LICENSE.txt``, ``CITATION.cff`` and ``README.txt``;
* ``datapackage.json`` — the Frictionless descriptor of exactly those files (made by
  :func:`dcbook.datapackage.descriptor`, so it cannot drift from what ``dcbook validate`` checks);
* ``index.html`` — the Chinese data dictionary: each table and column (Chinese name, type, allowed values,
  what it holds, in Chinese), the indicator catalogue, the licence and how to cite; a standalone page (no
  theme, no script), linked from 方法与数据 and from every chart's downloads.

The source documents' own text (``data/raw/``) is not included: it is not covered by the book's licence;
every row carries its verbatim quote and the line it comes from instead.

Everything is bytes made in memory with fixed timestamps, so an unchanged dataset gives identical files and
the build's fingerprint of the site sees a changed one.
"""

from __future__ import annotations

import csv
import html
import io
import json
import tempfile
import zipfile
from pathlib import Path

from dcbook import datapackage, fmt, render, schema

#: Folder of the data downloads in every edition of the site.
DATA_FOLDER = "data"
#: The only timestamp in the zip (its entries would otherwise carry the build time).
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
#: Chinese name and purpose of each table (the schema's descriptions are the maintainers', in English).
TABLES_ZH: dict[str, tuple[str, str]] = {
    "sources": ("来源文件", "本书引用的原始文件；edition_year 决定从哪一版起使用该文件。"),
    "indicators": ("指标目录", "每个概念一个稳定编号，附中文名称、领域、展示单位与定义。"),
    "observations": (
        "观测数据",
        "原文印出的数字，每个来源文件一份 CSV（文件名即来源编号），每行附原文引文与行号。",
    ),
    "targets": ("规划目标", "“十三五”“十四五”国家信息化规划主要指标表中的基期值与目标值。"),
    "regional": ("地区评价", "报告对各省份信息化、数字化发展水平的评价：综合与分项的名次、梯队与得分。"),
    "frameworks": ("评价体系", "省级评价所用的指标体系：一级维度（含权重）与二级指标。"),
    "milestones": ("大事记", "原文提到的有日期的事件：战略、规划、法律、法规政策、评估评价与其他事件。"),
    "diagnoses": (
        "问题诊断",
        "报告自己指出的不足：每个问题一行，按报告中的顺序，分全国与地区两个层面，附原话。",
    ),
    "provinces": ("省份", "31 个省份：全称、所属区域与瓦片地图位置。"),
    "exceptions": (
        "例外说明",
        "未通过合理性检查（比例超过 100%、与同一指标的其他数值相差百倍、同一来源印出两个数值）"
        "但经核实保留的观测，及其原因。",
    ),
    "exclusions": (
        "未录入说明",
        "原始文件中印出、但不是发展数据的数字（文件头、名称中的数字、编号、榜单名额、同一文件中的重复等），"
        "每个附类别与原因；覆盖检查据此把它们算作已说明。",
    ),
    "international": (
        "国际比较",
        "原文中把我国与全球或其他国家相比的每一条表述：排名、占全球份额、倍数、入选榜单数量、"
        "定性比较与“最大”“第一”等说法，附原文引文。",
    ),
}
#: Chinese names of the column types.
TYPES_ZH = {"string": "文本", "integer": "整数", "number": "数值", "boolean": "是/否（true/false）"}
#: Chinese labels of coded values, shown next to the codes in the dictionary.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "qualifier": dict(fmt.QUALIFIER_NAMES),
    "domain": dict(schema.DOMAIN_NAMES),
    "kind": dict(datapackage.KIND_ZH),
}
ZIP_README = """数字中国发展解读 · 数据集（{edition} 年版）

本压缩包是《数字中国发展解读》{edition} 年版所用的全部数据：每个数字都附有来源文件中的原文引文与行号。
CSV 文件为带 BOM 的 UTF-8 编码（Excel 可直接打开）；datapackage.json 是 Frictionless Data Package 描述文件，
列出每个文件的字段、类型、取值范围与主外键；各列的中文说明见网站上的数据字典（data/index.html）。
来源文件的原文（data/raw/）不在其中：它们不属于本书的许可范围。

许可：CC BY 4.0（见 LICENSE.txt）；引用方式见 CITATION.cff。
"""


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    return (records[0], records[1:]) if records else ([], [])


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def edition_tables(data_dir: Path, edition: int) -> dict[str, bytes]:
    """The edition's CSV files (path relative to ``data/`` → UTF-8 bytes without BOM), filtered by source."""
    sources_path = data_dir / "sources.csv"
    if not sources_path.is_file():
        return {}
    header, rows = _read_rows(sources_path)
    if "edition_year" not in header or "source_id" not in header:
        return {}  # not a dataset of this book (a test's toy data folder): no data folder
    year_col, id_col = header.index("edition_year"), header.index("source_id")
    # a malformed edition_year is reported by validation (and the build's own check) before this runs
    visible_rows = [
        r for r in rows if len(r) > year_col and r[year_col].isdigit() and int(r[year_col]) <= edition
    ]
    visible = {r[id_col] for r in visible_rows}
    files: dict[str, bytes] = {"sources.csv": _csv_bytes(header, visible_rows)}
    for table in schema.TABLES:
        if table.name == "sources":
            continue
        if table.per_file:
            for path in sorted((data_dir / "observations").glob("*.csv")):
                if path.stem in visible and not path.name.endswith(".draft.csv"):
                    files[f"observations/{path.name}"] = path.read_bytes()
            continue
        path = data_dir / table.path
        if not path.is_file():
            continue
        head, body = _read_rows(path)
        if "source_id" in head:
            col = head.index("source_id")
            body = [r for r in body if r and r[col] in visible]
        files[table.path] = _csv_bytes(head, body)
    # the catalogue as the edition uses it: indicators its rows name (a later source's new indicator would
    # otherwise change an older edition's download)
    if "indicators.csv" in files:
        used: set[str] = set()
        for rel, data in files.items():
            head, body = _read_rows_bytes(data)
            if rel != "indicators.csv" and "indicator_id" in head:
                col = head.index("indicator_id")
                used.update(r[col] for r in body if len(r) > col)
        head, body = _read_rows_bytes(files["indicators.csv"])
        col = head.index("indicator_id")
        files["indicators.csv"] = _csv_bytes(head, [r for r in body if r[col] in used])
    return files


def edition_descriptor(tables: dict[str, bytes], edition: int) -> dict[str, object]:
    """The Data Package descriptor of the edition's files (CSV read with a BOM: ``utf-8-sig``)."""
    with tempfile.TemporaryDirectory() as tmp:
        for rel, data in tables.items():
            target = Path(tmp) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        desc = datapackage.descriptor(Path(tmp))
    desc["name"] = f"{datapackage.PACKAGE_NAME}-{edition}"
    desc["title"] = f"{render.BOOK_TITLE} 数据集（{edition} 年版）"
    desc["version"] = str(edition)
    desc["licenses"] = [dict(render.LICENCE)]
    for resource in desc["resources"]:  # type: ignore[attr-defined]
        resource["encoding"] = "utf-8-sig"
    return desc


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    return buffer.getvalue()


def zip_name(edition: int) -> str:
    return f"digital-china-data-{edition}.zip"


def data_folder(root: Path, data_dir: Path, edition: int) -> dict[str, bytes]:
    """``data/…`` path → bytes of the edition's data folder; empty when ``data_dir`` has no sources.csv."""
    tables = edition_tables(data_dir, edition)
    if not tables:
        return {}
    desc = edition_descriptor(tables, edition)
    desc_bytes = (json.dumps(desc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    members = {rel: b"\xef\xbb\xbf" + data for rel, data in tables.items()}
    members["datapackage.json"] = desc_bytes
    members["README.txt"] = ZIP_README.format(edition=edition).encode("utf-8")
    for name, target in (("LICENSE", "LICENSE.txt"), ("CITATION.cff", "CITATION.cff")):
        if (root / name).is_file():
            members[target] = (root / name).read_bytes()
    out = {
        f"{DATA_FOLDER}/{zip_name(edition)}": _zip(members),
        f"{DATA_FOLDER}/datapackage.json": desc_bytes,
        f"{DATA_FOLDER}/index.html": dictionary_html(
            desc, tables, edition, has_citation="CITATION.cff" in members
        ).encode("utf-8"),
    }
    for name in ("LICENSE.txt", "CITATION.cff"):
        if name in members:
            out[f"{DATA_FOLDER}/{name}"] = members[name]
    return out


def _values(field: schema.Field) -> str:
    if not field.enum:
        return ""
    labels = VALUE_LABELS.get(field.name, {})
    return "、".join(f"{v}（{labels[v]}）" if v in labels else v for v in field.enum)


PAGE_CSS = """body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC",sans-serif;margin:0 auto;
max-width:60rem;padding:1rem;line-height:1.6;color:#222;background:#fff}
a{color:#0b5394}table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}code{font-size:.85rem}
.muted{color:#555}@media (prefers-color-scheme:dark){body{color:#ced6dd;background:#14181e}a{color:#6cb4ee}
th,td{border-color:#48566b}.muted{color:#aab3bd}}"""


def dictionary_html(
    desc: dict[str, object], tables: dict[str, bytes], edition: int, *, has_citation: bool = True
) -> str:
    """The Chinese data dictionary of one edition (a standalone page: works from ``file://``, no script)."""
    esc = html.escape
    by_name = {t.name: t for t in schema.TABLES}
    resources = desc["resources"]  # type: ignore[index]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>数据下载与数据字典 — {esc(render.BOOK_TITLE)}（{edition} 年版）</title>",
        f"<style>{PAGE_CSS}</style></head><body>",
        f'<p><a href="../index.html">← 返回《{esc(render.BOOK_TITLE)}》{edition} 年版</a></p>',
        f"<h1>数据下载与数据字典（{edition} 年版）</h1>",
        f"<p>本版所用的全部数据：{len(resources)} 个 CSV 文件（带 BOM 的 UTF-8，Excel 可直接打开）。"  # type: ignore[arg-type]
        "每个数字都附有来源文件中的原文引文与行号。</p>",
        "<h2>下载</h2><ul>",
        f'<li><a href="{zip_name(edition)}" download>全部数据（ZIP）</a>：全部 CSV、datapackage.json、许可与引用信息</li>',
        '<li><a href="datapackage.json">datapackage.json</a>：Frictionless Data Package 描述文件'
        "（字段、类型、取值范围、主键与外键）</li>",
        '<li><a href="LICENSE.txt">许可</a>：文字、图表与数据以 '
        f'<a href="{esc(render.LICENCE["path"])}">{esc(render.LICENCE["title"])}</a> 发布，代码以 MIT 许可发布</li>',
    ]
    if has_citation:
        parts.append('<li><a href="CITATION.cff">CITATION.cff</a>：引用信息</li>')
    parts += [
        "</ul>",
        "<h2>引用</h2>",
        f"<p>{esc(render.AUTHORS)}．《{esc(render.BOOK_TITLE)}》（{edition} 年版）数据集．许可：CC BY 4.0．</p>",
        '<p class="muted">来源文件的原文（data/raw/）不在下载之中：它们不属于本书的许可范围。</p>',
        "<h2>表与字段</h2>",
    ]
    for table in schema.TABLES:
        files = [
            r
            for r in resources
            if r["path"] == table.path or (table.per_file and r["path"].startswith("observations/"))
        ]  # type: ignore[index,union-attr]
        if not files:
            continue
        name_zh, about = TABLES_ZH.get(table.name, (table.name, table.description))
        rows = sum(int(r.get("stats", {}).get("rows", 0)) for r in files)  # type: ignore[union-attr]
        where = "observations/&lt;来源编号&gt;.csv" if table.per_file else esc(table.path)
        parts.append(f'<h3 id="{esc(table.name)}">{esc(name_zh)}（<code>{where}</code>，{rows} 行）</h3>')
        parts.append(f"<p>{esc(about)}</p>")
        if table.primary_key:
            parts.append(f'<p class="muted">主键：{esc("、".join(table.primary_key))}</p>')
        parts.append(
            "<table><thead><tr><th>列</th><th>中文名</th><th>类型</th><th>必填</th><th>取值</th>"
            "<th>说明</th></tr></thead><tbody>"
        )
        for f in by_name[table.name].fields:
            parts.append(
                f"<tr><td><code>{esc(f.name)}</code></td><td>{esc(render.CSV_HEADERS.get(f.name, ''))}</td>"
                f"<td>{TYPES_ZH.get(f.type, esc(f.type))}</td><td>{'是' if f.required else '否'}</td>"
                f"<td>{esc(_values(f))}</td><td>{esc(f.description_zh)}</td></tr>"
            )
        parts.append("</tbody></table>")
    if "indicators.csv" in tables:
        header, body = _read_rows_bytes(tables["indicators.csv"])
        col = {c: i for i, c in enumerate(header)}
        parts.append(f'<h2 id="catalogue">指标目录（{len(body)} 个指标）</h2>')
        parts.append(
            "<table><thead><tr><th>编号</th><th>指标</th><th>领域</th><th>单位</th><th>定义</th></tr></thead><tbody>"
        )
        for r in body:
            domain = r[col["domain"]]
            parts.append(
                f"<tr><td><code>{esc(r[col['indicator_id']])}</code></td><td>{esc(r[col['name_zh']])}</td>"
                f"<td>{esc(schema.DOMAIN_NAMES.get(domain, domain))}</td><td>{esc(r[col['unit']])}</td>"
                f"<td>{esc(r[col['definition_zh']])}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _read_rows_bytes(data: bytes) -> tuple[list[str], list[list[str]]]:
    records = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    return (records[0], [r for r in records[1:] if r]) if records else ([], [])
