"""The tables of ``data/``: columns, types and allowed values, written once.

:data:`TABLES` is the single description of every table. :mod:`dcbook.validate` turns it into pandera
schemas (column presence, types, enums, patterns, ranges) and :mod:`dcbook.datapackage` turns it into
``data/datapackage.json``, so the checks and the published Frictionless description never drift apart.
Cross-file rules (ids resolve, quotes are found in the raw files, units convert) live in
:mod:`dcbook.validate` because a column schema cannot express them.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from dcbook import periods

#: The 31 provincial-level regions by the short names the reports use.
PROVINCES: tuple[str, ...] = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
)  # fmt: skip
#: Regions that are not provinces: the whole country and world totals.
AGGREGATES: tuple[str, ...] = ("全国", "全球")
#: Other economies the documents compare China with (documentation only: any all-Chinese name is accepted).
KNOWN_ECONOMIES: tuple[str, ...] = (
    "美国",
    "日本",
    "德国",
    "英国",
    "法国",
    "韩国",
    "荷兰",
    "欧盟",
    "印度",
    "俄罗斯",
)
DOMAINS: tuple[str, ...] = (
    "overview", "infrastructure", "data_resources", "innovation", "digital_economy", "digital_government",
    "digital_society", "culture_ecology", "security_governance", "international",
)  # fmt: skip
#: The domains as readers see them (chapter titles, labels, the catalogue): the one list of their names.
DOMAIN_NAMES: dict[str, str] = {
    "overview": "总览",
    "infrastructure": "数字基础设施",
    "data_resources": "数据资源与数据要素",
    "innovation": "数字技术创新",
    "digital_economy": "数字经济",
    "digital_government": "数字政府",
    "digital_society": "数字社会与民生",
    "culture_ecology": "数字文化与数字生态文明",
    "security_governance": "网络安全与数字治理",
    "international": "国际合作",
}
QUALIFIERS: tuple[str, ...] = ("exact", "lower_bound", "approx", "upper_bound")
SOURCE_KINDS: tuple[str, ...] = ("yearly_report", "plan", "interpretation")
PLANS: tuple[str, ...] = ("fyp13", "fyp14")
COMPARATORS: tuple[str, ...] = (">=", ">", "<=", "<")
ATTRIBUTES: tuple[str, ...] = ("预期性", "约束性")
MILESTONE_CATEGORIES: tuple[str, ...] = ("strategy", "plan", "law", "regulation", "evaluation", "event")
MACRO_REGIONS: tuple[str, ...] = ("东部", "中部", "西部", "东北")
YEAR_MIN, YEAR_MAX = 1990, 2035
QUOTE_MIN, QUOTE_MAX = 10, 160

SNAKE_CASE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
#: ASCII digits only: ``\d`` would accept full-width (２０２１) and other Unicode digits.
NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
INTEGER = r"-?[0-9]+"
DATE = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"


#: A raw file: directly inside ``data/raw/`` (no sub-folder, no ``..``, no absolute path).
RAW_FILE = r"raw/(?!\.\.?$)[^/\\]+"


def raw_lines(text: str) -> list[str]:
    """The lines of a raw text as locators count them — the one rule of every reader (validate, ingest).

    Only ``\n`` ends a line (a trailing ``\r`` is dropped): ``str.splitlines`` would also split at the
    form feeds ``pdftotext`` puts between pages (and at U+2028, U+0085 …), shifting every later locator.
    A final newline does not start another line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (recorded in ``sources.csv``)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class Field:
    """One column: Frictionless type, whether a value is required, allowed values or pattern, range."""

    name: str
    type: str = "string"  # string | integer | number | boolean
    description: str = ""
    required: bool = True
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Table:
    """One table: its file (a glob for per-source files), columns, keys; optional tables may be absent."""

    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    optional: bool = False
    per_file: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Column names in file order."""
        return [f.name for f in self.fields]


def _loc() -> tuple[Field, Field]:
    return (
        Field("locator", "integer", "1-based line of the raw file where the quote starts", minimum=1),
        Field("quote", "string", f"verbatim passage ({QUOTE_MIN}–{QUOTE_MAX} characters) of the raw file"),
    )


SOURCES = Table(
    "sources",
    "sources.csv",
    "The source documents; edition_year decides which editions of the book may use them.",
    (
        Field(
            "source_id", description="stable id, also the name of the observations file", pattern=SNAKE_CASE
        ),
        Field("title", description="document title"),
        Field("publisher", description="issuing body"),
        Field(
            "published",
            description="publication date, YYYY-MM or YYYY-MM-DD",
            pattern=r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?",
        ),
        Field(
            "edition_year",
            "integer",
            "first edition of the book that may use the source",
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field("kind", enum=SOURCE_KINDS),
        Field("file", description="raw text file, relative to data/", pattern=RAW_FILE),
        Field("url", required=False, pattern=r"https?://\S+"),
        Field(
            "sha256",
            description="SHA-256 of the raw file (a changed file is an error); `dcbook validate --rehash`",
            pattern=r"[0-9a-f]{64}",
        ),
    ),
    primary_key=("source_id",),
)

INDICATORS = Table(
    "indicators",
    "indicators.csv",
    "The indicator catalogue: one stable id per concept, with its display unit.",
    (
        Field("indicator_id", description="stable snake_case English id", pattern=SNAKE_CASE),
        Field("name_zh", description="Chinese name"),
        Field("name_en", description="English name"),
        Field("domain", description="chapter the indicator belongs to", enum=DOMAINS),
        Field(
            "unit", required=False, description="display unit (see the unit table); empty for a pure index"
        ),
        Field("higher_is_better", "boolean", "direction of improvement", enum=("true", "false")),
        Field("definition_zh", description="definition in Chinese"),
        Field("aliases", required=False, description="other wordings in the documents, |-separated"),
    ),
    primary_key=("indicator_id",),
)

OBSERVATIONS = Table(
    "observations",
    "observations/*.csv",
    "Figures as printed, one file per source (file name = source_id).",
    (
        Field("indicator_id", description="indicator id from indicators.csv", pattern=SNAKE_CASE),
        Field("region", description="全国, 全球, a province short name or an economy's Chinese name"),
        Field("year", "integer", "year the figure describes", minimum=YEAR_MIN, maximum=YEAR_MAX),
        Field("value", "number", "the number exactly as printed (no thousands separators)", pattern=NUMBER),
        Field("unit", required=False, description="unit exactly as printed after the number"),
        Field("qualifier", description="exact | lower_bound | approx | upper_bound", enum=QUALIFIERS),
        Field(
            "period",
            required=False,
            description="empty = the calendar year (or its end); to-MM January..MM; asof-MM end of month MM; "
            "cumulative a running total",
            pattern=periods.PATTERN,
        ),
        *_loc(),
    ),
    foreign_keys=(("indicator_id", "indicators", "indicator_id"),),
    per_file=True,
)

TARGETS = Table(
    "targets",
    "targets.csv",
    "Main-indicator tables of the 13th and 14th Five-Year informatization plans.",
    (
        Field("plan", enum=PLANS),
        Field("indicator_id", pattern=SNAKE_CASE),
        Field("base_year", "integer", required=False, minimum=YEAR_MIN, maximum=YEAR_MAX),
        Field("base_value", "number", required=False, pattern=NUMBER),
        Field("target_year", "integer", minimum=YEAR_MIN, maximum=YEAR_MAX),
        Field("target_value", "number", pattern=NUMBER),
        Field("comparator", enum=COMPARATORS),
        Field("attribute", required=False, enum=ATTRIBUTES),
        Field("unit", required=False, description="unit as printed in the table header"),
        Field("source_id", pattern=SNAKE_CASE),
        *_loc(),
    ),
    foreign_keys=(("indicator_id", "indicators", "indicator_id"), ("source_id", "sources", "source_id")),
    optional=True,
)

REGIONAL = Table(
    "regional",
    "regional.csv",
    "Provincial evaluations: composite and dimension ranks, tiers and scores.",
    (
        Field("source_id", pattern=SNAKE_CASE),
        Field("year", "integer", minimum=YEAR_MIN, maximum=YEAR_MAX),
        Field("framework", pattern=SNAKE_CASE),
        Field("dimension", description="综合 for the composite, else the dimension as printed"),
        Field("province", enum=PROVINCES),
        Field("rank", "integer", required=False, minimum=1, maximum=len(PROVINCES)),
        Field("tier", required=False, pattern=r"第[一二三四五六七八九十]+梯队"),
        Field("score", "number", required=False, pattern=NUMBER),
        *_loc(),
    ),
    foreign_keys=(("source_id", "sources", "source_id"),),
    optional=True,
)

FRAMEWORKS = Table(
    "frameworks",
    "frameworks.csv",
    "Evaluation index systems: dimensions (level 1, with weights) and second-level indicators (level 2).",
    (
        Field("framework", pattern=SNAKE_CASE),
        Field("dimension"),
        Field("weight", "number", required=False, pattern=NUMBER, minimum=0, maximum=100),
        Field("level", "integer", enum=("1", "2")),
        Field("parent", required=False, description="level 2: its dimension"),
        Field("indicator_zh", required=False, description="level 2: the second-level indicator"),
        Field("source_id", pattern=SNAKE_CASE),
        *_loc(),
    ),
    foreign_keys=(("source_id", "sources", "source_id"),),
    optional=True,
)

MILESTONES = Table(
    "milestones",
    "milestones.csv",
    "Dated events (strategies, plans, laws) the documents name.",
    (
        Field("date", description="YYYY, YYYY-MM or YYYY-MM-DD as printed", pattern=DATE),
        Field("event_zh"),
        Field("category", enum=MILESTONE_CATEGORIES),
        Field("domain", enum=DOMAINS),
        Field("source_id", pattern=SNAKE_CASE),
        *_loc(),
    ),
    foreign_keys=(("source_id", "sources", "source_id"),),
    optional=True,
)

#: Chapters a report's diagnosis can point to (the slugs of ``_toc.yml``'s chapter registry).
DIAGNOSIS_CHAPTERS: tuple[str, ...] = (
    "overview",
    "infrastructure",
    "data_resources",
    "innovation",
    "economy",
    "government",
    "society",
    "culture_ecology",
    "security_governance",
    "international",
    "regional",
)
DIAGNOSIS_SCOPES: tuple[str, ...] = ("national", "regional")

DIAGNOSES = Table(
    "diagnoses",
    "diagnoses.csv",
    "The reports' own diagnosis of weaknesses: each problem a report names, in its order, quoted.",
    (
        Field("source_id", pattern=SNAKE_CASE),
        Field("year", "integer", "year the diagnosis describes", minimum=YEAR_MIN, maximum=YEAR_MAX),
        Field(
            "scope", description="national (the country) or regional (the provinces)", enum=DIAGNOSIS_SCOPES
        ),
        Field("item", "integer", "order of the problem in the report's list", minimum=1, maximum=99),
        Field("topic_zh", description="short label of the problem (the book's words, not a quote)"),
        Field("chapter", description="chapter of the book the problem belongs to", enum=DIAGNOSIS_CHAPTERS),
        *_loc(),
    ),
    primary_key=("source_id", "scope", "item"),
    foreign_keys=(("source_id", "sources", "source_id"),),
    optional=True,
)

PROVINCES_TABLE = Table(
    "provinces",
    "provinces.csv",
    "The 31 provinces: full name, macro-region and tile-map position.",
    (
        Field("province", enum=PROVINCES),
        Field("name_full"),
        Field("region", enum=MACRO_REGIONS),
        Field("tile_col", "integer", minimum=0, maximum=20),
        Field("tile_row", "integer", minimum=0, maximum=20),
    ),
    primary_key=("province",),
    optional=True,
)

#: The plausibility checks an observation may be excused from, with a reason (``exceptions.csv``).
EXCEPTION_CHECKS: tuple[str, ...] = ("range", "scale", "duplicate")

EXCEPTIONS = Table(
    "exceptions",
    "exceptions.csv",
    "Observations that fail a plausibility check (share above 100 %, a value 100× away from the "
    "indicator's other values) and are right: each with the reason.",
    (
        Field(
            "source_id", description="the observation's source (its observations file)", pattern=SNAKE_CASE
        ),
        Field("indicator_id", pattern=SNAKE_CASE),
        Field("region"),
        Field("year", "integer", minimum=YEAR_MIN, maximum=YEAR_MAX),
        Field("check", description="the check the row is excused from", enum=EXCEPTION_CHECKS),
        Field("reason", description="why the value is right, in Chinese"),
    ),
    foreign_keys=(("source_id", "sources", "source_id"), ("indicator_id", "indicators", "indicator_id")),
    optional=True,
)

#: How a statement of China's international position is measured (``international.csv``).
INTL_MEASURES: tuple[str, ...] = ("rank", "share", "ratio", "placing", "comparison", "superlative")
#: Comparability families: only statements of one family share an axis or are ordered against each other
#: (a rank by a composite index is not a rank by volume; a share of declared patents is not a share of a
#: list's entries). Each family belongs to one measure; its reader-facing name is the value.
INTL_FAMILIES: dict[str, tuple[str, str]] = {
    "rank_index": ("rank", "按综合指数排名"),
    "rank_volume": ("rank", "按规模、数量或性能排名"),
    "share_volume": ("share", "占全球总量的份额"),
    "share_patents": ("share", "占全球专利的份额"),
    "share_papers": ("share", "占世界论文的份额"),
    "share_list": ("share", "占国际榜单席位的份额"),
    "ratio_country": ("ratio", "相当于某一国家的倍数"),
    "placing_list": ("placing", "入选国际榜单的数量"),
    "qualitative": ("comparison", "定性比较"),
    "superlative": ("superlative", "最大、第一、首个、领先"),
}
#: Measures that must carry a value (a rank, a share, a ratio, a count of entries).
INTL_VALUED: tuple[str, ...] = ("rank", "share", "ratio", "placing")

INTERNATIONAL = Table(
    "international",
    "international.csv",
    "Every statement of China's rank, world share or comparison with another country or the world, "
    "with the quote it comes from.",
    (
        Field("statement_id", description="stable id of the statement", pattern=SNAKE_CASE),
        Field("indicator", description="what is placed, as a snake_case id", pattern=SNAKE_CASE),
        Field("name_zh", description="what is placed, in Chinese"),
        Field("domain", description="chapter the statement belongs to", enum=DOMAINS),
        Field("year", "integer", "year the statement describes", minimum=YEAR_MIN, maximum=YEAR_MAX),
        Field(
            "measure",
            description="rank | share | ratio | placing | comparison | superlative",
            enum=INTL_MEASURES,
        ),
        Field(
            "family",
            description="comparability family (only one family shares an axis)",
            enum=tuple(INTL_FAMILIES),
        ),
        Field(
            "value",
            "number",
            "rank, share in %, ratio or count (empty for a comparison without one)",
            required=False,
            pattern=NUMBER,
        ),
        Field(
            "printed",
            required=False,
            description="the value as printed in the quote (第二, 9.9%, 三分之一, 1/9)",
        ),
        Field("unit", required=False, description="位 (rank), % (share), 倍 (ratio), 家/台 (placing)"),
        Field("qualifier", description="exact | lower_bound | approx | upper_bound", enum=QUALIFIERS),
        Field("comparator", description="who China is placed against: 全球, 美国, 发达国家 …"),
        Field("scope", required=False, description="the list, index or statistic the position comes from"),
        Field("source_id", pattern=SNAKE_CASE),
        *_loc(),
    ),
    primary_key=("statement_id",),
    foreign_keys=(("source_id", "sources", "source_id"),),
    optional=True,
)

#: Every table, in validation order (catalogues first).
TABLES: tuple[Table, ...] = (
    SOURCES,
    INDICATORS,
    OBSERVATIONS,
    TARGETS,
    REGIONAL,
    FRAMEWORKS,
    MILESTONES,
    DIAGNOSES,
    PROVINCES_TABLE,
    EXCEPTIONS,
    INTERNATIONAL,
)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def calendar_problem(value: str) -> str | None:
    """Why a ``YYYY-MM`` / ``YYYY-MM-DD`` value is not a real month or day (month 13, 2021-02-30), or None."""
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?", value or "")
    if not m:
        return None  # other shapes are the pattern check's
    try:
        datetime.date(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError as exc:
        return f"{value!r} is not a calendar date ({exc})"
    return None


def cell_problem(f: Field, value: str) -> str | None:
    """What is wrong with one cell of column ``f`` (the texts of the validation messages), or None.

    The same rules as the pandera schema, for one value: ``dcbook ingest`` checks its arguments with it
    before writing anything, so a row it appends can never block the build."""
    if value == "":
        return "is empty (a value is required)" if f.required else None
    if f.type == "integer" and not re.fullmatch(INTEGER, value):
        return "is not an integer (ASCII digits 0-9 only)"
    if f.type == "number" and not re.fullmatch(NUMBER, value):
        return "is not a number (ASCII digits 0-9, one '.', no thousands separators)"
    if f.enum is not None and value not in f.enum:
        return f"is not one of {', '.join(f.enum)}"
    if f.pattern is not None and f.type == "string" and not re.fullmatch(f.pattern, value):
        return f"does not match the pattern {f.pattern}"
    if f.type in ("integer", "number") and (f.minimum is not None or f.maximum is not None):
        lo = -float("inf") if f.minimum is None else f.minimum
        hi = float("inf") if f.maximum is None else f.maximum
        if not lo <= float(value) <= hi:
            return f"is outside {lo:g}..{hi:g}"
    return None


def _vector(fn, error: str) -> pa.Check:  # type: ignore[no-untyped-def]
    """A vectorised check on a string column; empty cells pass (emptiness is the ``required`` check)."""
    return pa.Check(lambda s: (s == "") | fn(s), error=error)


_SCHEMAS: dict[str, pa.DataFrameSchema] = {}


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """The pandera schema of ``table`` for a frame of *strings* (cells as written, '' when empty).

    Each check's ``error`` text becomes the "what is wrong" part of a validation message. Built once
    per table (building is slower than validating a small file).
    """
    if table.name not in _SCHEMAS:
        _SCHEMAS[table.name] = _build_schema(table)
    return _SCHEMAS[table.name]


def _build_schema(table: Table) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {}
    for f in table.fields:
        checks: list[pa.Check] = []
        if f.required:
            checks.append(pa.Check(lambda s: s != "", error="is empty (a value is required)"))
        if f.type == "integer":
            checks.append(
                _vector(lambda s: s.str.fullmatch(INTEGER), "is not an integer (ASCII digits 0-9 only)")
            )
        elif f.type == "number":
            checks.append(
                _vector(
                    lambda s: s.str.fullmatch(NUMBER),
                    "is not a number (ASCII digits 0-9, one '.', no thousands separators)",
                )
            )
        if f.enum is not None:
            allowed = f.enum
            checks.append(_vector(lambda s, a=allowed: s.isin(a), f"is not one of {', '.join(allowed)}"))
        if f.pattern is not None and f.type == "string":
            pat = f.pattern
            checks.append(_vector(lambda s, p=pat: s.str.fullmatch(p), f"does not match the pattern {pat}"))
        if f.type in ("integer", "number") and (f.minimum is not None or f.maximum is not None):
            lo = -float("inf") if f.minimum is None else f.minimum
            hi = float("inf") if f.maximum is None else f.maximum
            checks.append(
                _vector(
                    lambda s, lo=lo, hi=hi: (
                        pd.to_numeric(s.where(s.str.fullmatch(NUMBER)), errors="coerce").between(lo, hi)
                        | pd.to_numeric(s.where(s.str.fullmatch(NUMBER)), errors="coerce").isna()
                    ),
                    f"is outside {lo:g}..{hi:g}",
                )
            )
        columns[f.name] = pa.Column(str, checks=checks, nullable=False, required=True)
    return pa.DataFrameSchema(columns, strict=True, ordered=False)
