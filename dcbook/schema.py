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
QUALIFIERS: tuple[str, ...] = ("exact", "lower_bound", "approx", "upper_bound", "near")
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
    """One column: Frictionless type, whether a value is required, allowed values or pattern, range.

    ``description`` is the maintainers' English (it goes into ``datapackage.json``); ``description_zh`` says
    the same for readers, in Chinese, and is what the site's data dictionary shows."""

    name: str
    type: str = "string"  # string | integer | number | boolean
    description: str = ""
    description_zh: str = ""
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


def _loc(quote_zh: str) -> tuple[Field, Field]:
    """The locator and quote columns; ``quote_zh`` says what the quote of this table's rows holds."""
    return (
        Field(
            "locator",
            "integer",
            "1-based line of the raw file where the quote starts",
            description_zh="引文在来源文件原文（sources.csv 的 file 列所指的文本文件）中起始的行号，从 1 起算。",
            minimum=1,
        ),
        Field(
            "quote",
            "string",
            f"verbatim passage ({QUOTE_MIN}–{QUOTE_MAX} characters) of the raw file",
            description_zh=f"{quote_zh}，逐字摘自原文，长 {QUOTE_MIN}–{QUOTE_MAX} 个字符。",
        ),
    )


#: What ``source_id`` of a table citing one document holds (the table's own words go before it).
_SOURCE_ZH = "的来源文件编号，对应 sources.csv 的 source_id"
#: The qualifier codes in words, with the words the documents print them with.
_QUALIFIER_ZH = (
    "exact 为确切值（原文直接写出数字）；lower_bound 为下限，原文作“超过、以上、余、多、逾、突破”等，真实值至少为此数；"
    "approx 为约数，原文作“近、约、左右、接近”；upper_bound 为上限，原文作“不到、以下”等，真实值至多为此数。"
)

SOURCES = Table(
    "sources",
    "sources.csv",
    "The source documents; edition_year decides which editions of the book may use them.",
    (
        Field(
            "source_id",
            description="stable id, also the name of the observations file",
            description_zh="来源文件的稳定编号（小写英文字母、数字和下划线，如 dcr2021），"
            "也是该来源观测数据文件的文件名（observations/dcr2021.csv）。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "title",
            description="document title",
            description_zh="来源文件的完整标题，如“数字中国发展报告（2021年）”。",
        ),
        Field(
            "publisher",
            description="issuing body",
            description_zh="发布机构，如国家互联网信息办公室。",
        ),
        Field(
            "published",
            description="publication date, YYYY-MM or YYYY-MM-DD",
            description_zh="发布时间，格式为 YYYY-MM 或 YYYY-MM-DD（如 2022-07）；"
            "几份来源对同一数字给出不同数值时，同为确切值则采用发布较晚的一份。",
            pattern=r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?",
        ),
        Field(
            "edition_year",
            "integer",
            "first edition of the book that may use the source",
            description_zh="本书从哪一年的版本起使用该文件：每一版只使用本列不晚于该版年份的来源"
            "（如 2021 年的报告从 2021 年版起使用）。",
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "kind",
            description_zh="文件类型：yearly_report 为年度报告（数字中国发展报告），plan 为规划文件，"
            "interpretation 为解读文章。",
            enum=SOURCE_KINDS,
        ),
        Field(
            "file",
            description="raw text file, relative to data/",
            description_zh="原文文本文件的路径，相对于 data/ 文件夹（如 raw/dcr2021.txt）；"
            "原文不包含在下载的数据中。",
            pattern=RAW_FILE,
        ),
        Field(
            "url",
            required=False,
            description_zh="来源文件的网址（以 http:// 或 https:// 开头）；没有记录网址时为空。",
            pattern=r"https?://\S+",
        ),
        Field(
            "sha256",
            description="SHA-256 of the raw file (a changed file is an error); `dcbook validate --rehash`",
            description_zh="原文文件的 SHA-256 校验值（64 位十六进制字符）；"
            "原文改动后与此不符，数据校验即报错，以免引文和行号失准。",
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
        Field(
            "indicator_id",
            description="stable snake_case English id",
            description_zh="指标的稳定编号（小写英文单词以下划线连接，如 internet_users）；"
            "同一概念在所有来源中共用一个编号，口径不同则编号不同。",
            pattern=SNAKE_CASE,
        ),
        Field("name_zh", description="Chinese name", description_zh="指标的中文名称，如“网民规模”。"),
        Field("name_en", description="English name", description_zh="指标的英文名称。"),
        Field(
            "domain",
            description="chapter the indicator belongs to",
            description_zh="指标所属的领域，即本书中讨论它的分领域章节。",
            enum=DOMAINS,
        ),
        Field(
            "unit",
            required=False,
            description="display unit (see the unit table); empty for a pure index",
            description_zh="展示单位（如 亿人、%、万个）：该指标的各个观测值都换算到这一单位后再比较、作图；"
            "没有单位的指数为空。",
        ),
        Field(
            "higher_is_better",
            "boolean",
            "direction of improvement",
            description_zh="数值变化的好坏方向：true 表示越大越好，false 表示越小越好。",
            enum=("true", "false"),
        ),
        Field(
            "definition_zh",
            description="definition in Chinese",
            description_zh="指标的中文定义，说明统计口径。",
        ),
        Field(
            "aliases",
            required=False,
            description="other wordings in the documents, |-separated",
            description_zh="原文中对同一指标的其他说法，多个说法用竖线“|”分隔（如 网民数量|网民总数）；没有时为空。",
        ),
    ),
    primary_key=("indicator_id",),
)

OBSERVATIONS = Table(
    "observations",
    "observations/*.csv",
    "Figures as printed, one file per source (file name = source_id).",
    (
        Field(
            "indicator_id",
            description="indicator id from indicators.csv",
            description_zh="该数字所属指标的编号，对应 indicators.csv 的 indicator_id。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "region",
            description="全国, 全球, a province short name or an economy's Chinese name",
            description_zh="数字所指的地区：全国、全球、省份简称（如 浙江），或其他经济体的中文名（如 日本、荷兰）。",
        ),
        Field(
            "year",
            "integer",
            "year the figure describes",
            description_zh="数字所描述的年份，不是报告发布的年份（截至 2021 年底 → 2021；2012—2017 年的累计数 → 2017）。",
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "value",
            "number",
            "the number exactly as printed (no thousands separators)",
            description_zh="原文印出的数值，按原文单位照录、不换算，不带千位分隔符（如 142.5）。",
            pattern=NUMBER,
        ),
        Field(
            "unit",
            required=False,
            description="unit exactly as printed after the number",
            description_zh="原文紧跟在数字后的单位（如 万个、亿、%）；表格里不带单位的数字取其表头的单位；"
            "原文没有单位时为空。本书换算后的展示单位见 indicators.csv 的 unit 列。",
        ),
        Field(
            "qualifier",
            description="exact | lower_bound | approx | upper_bound",
            description_zh="数值的性质：" + _QUALIFIER_ZH,
            enum=QUALIFIERS,
        ),
        Field(
            "period",
            required=False,
            description="empty = the calendar year (or its end); to-MM January..MM; asof-MM end of month MM; "
            "cumulative a running total",
            description_zh="数字覆盖的时段：空为全年的量或年末的存量；to-MM 为当年 1 月至 MM 月的量"
            "（如 to-06 为上半年）；asof-MM 为截至当年 MM 月（月底或该月某日）的存量；"
            "cumulative 为截至该年的累计总数，原文未说明从何时算起。",
            pattern=periods.PATTERN,
        ),
        *_loc("包含该数值的一段原文"),
    ),
    foreign_keys=(("indicator_id", "indicators", "indicator_id"),),
    per_file=True,
)

TARGETS = Table(
    "targets",
    "targets.csv",
    "Main-indicator tables of the 13th and 14th Five-Year informatization plans.",
    (
        Field(
            "plan",
            description_zh="所属规划：fyp13 为“十三五”国家信息化规划（目标年 2020 年），"
            "fyp14 为“十四五”国家信息化规划（目标年 2025 年）。",
            enum=PLANS,
        ),
        Field(
            "indicator_id",
            description_zh="该规划指标对应的指标编号，对应 indicators.csv 的 indicator_id。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "base_year",
            "integer",
            description_zh="指标表所列基期的年份（“十四五”规划为 2020 年，个别指标为 2019 年）；"
            "“十三五”指标表未列基期，为空。",
            required=False,
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "base_value",
            "number",
            description_zh="指标表印出的基期值，单位见本表 unit 列；未列基期时为空。",
            required=False,
            pattern=NUMBER,
        ),
        Field(
            "target_year",
            "integer",
            description_zh="目标年份，即规划期末（如 2025）。",
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "target_value",
            "number",
            description_zh="规划的目标值，单位见本表 unit 列。",
            pattern=NUMBER,
        ),
        Field(
            "comparator",
            description_zh="目标的方向：>= 为达到或超过目标值，> 为超过目标值（原文写作“>38”），"
            "<= 为不超过目标值，< 为低于目标值。",
            enum=COMPARATORS,
        ),
        Field(
            "attribute",
            required=False,
            description_zh="规划标注的指标属性：预期性或约束性；原文未标注时为空（“十三五”各行）。",
            enum=ATTRIBUTES,
        ),
        Field(
            "unit",
            required=False,
            description="unit as printed in the table header",
            description_zh="指标表表头印出的单位（如 万亿元、%），基期值和目标值都以此为单位；没有单位的指数为空。",
        ),
        Field(
            "source_id",
            description_zh="载有该指标表" + _SOURCE_ZH + "（“十三五”指标取自 2017 年报告的表 1，"
            "“十四五”指标取自“十四五”国家信息化规划）。",
            pattern=SNAKE_CASE,
        ),
        *_loc("指标表中该指标所在的一行（含目标值）"),
    ),
    foreign_keys=(("indicator_id", "indicators", "indicator_id"), ("source_id", "sources", "source_id")),
    optional=True,
)

REGIONAL = Table(
    "regional",
    "regional.csv",
    "Provincial evaluations: composite and dimension ranks, tiers and scores.",
    (
        Field(
            "source_id",
            description_zh="发布该次省级评价" + _SOURCE_ZH + "。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "year",
            "integer",
            description_zh="评价所针对的年份。",
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "framework",
            description_zh="评价体系的编号（如 dcr2021_eval），每次评价一个编号，对应 frameworks.csv 的 framework。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "dimension",
            description="综合 for the composite, else the dimension as printed",
            description_zh="评价的维度：综合评价为“综合”，分项评价照录报告中的维度名称（如 数字基础设施）。",
        ),
        Field(
            "province",
            description_zh="被评价的省份，以简称记（31 个省级行政区之一）。",
            enum=PROVINCES,
        ),
        Field(
            "rank",
            "integer",
            description_zh="名次（1–31），只在原文给出先后次序时填写（印出的名次，或写明“依次为”的名单）；"
            "原文只列入围名单、不分先后（如“位居全国前 10 名”）时为空。",
            required=False,
            minimum=1,
            maximum=len(PROVINCES),
        ),
        Field(
            "tier",
            description_zh="梯队（如 第一梯队），只在原文把省份分成梯队时填写，否则为空。",
            required=False,
            pattern=r"第[一二三四五六七八九十]+梯队",
        ),
        Field(
            "score",
            "number",
            description_zh="原文印出的得分（综合得分或该维度的得分）；原文未给出时为空。",
            required=False,
            pattern=NUMBER,
        ),
        *_loc("列出该省份（及其得分）的一段原文"),
    ),
    foreign_keys=(("source_id", "sources", "source_id"),),
    optional=True,
)

FRAMEWORKS = Table(
    "frameworks",
    "frameworks.csv",
    "Evaluation index systems: dimensions (level 1, with weights) and second-level indicators (level 2).",
    (
        Field(
            "framework",
            description_zh="评价体系的编号，与 regional.csv 的 framework 对应。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "dimension",
            description_zh="一级维度的名称（如 数字基础设施）；二级指标的行填其所属的一级维度。",
        ),
        Field(
            "weight",
            "number",
            description_zh="一级维度的权重（%，0–100），只在原文印出时填写；二级指标的行为空。",
            required=False,
            pattern=NUMBER,
            minimum=0,
            maximum=100,
        ),
        Field(
            "level",
            "integer",
            description_zh="层级：1 为一级维度，2 为二级指标。",
            enum=("1", "2"),
        ),
        Field(
            "parent",
            required=False,
            description="level 2: its dimension",
            description_zh="二级指标所属的一级维度（同一评价体系中某个一级维度的名称）；一级维度的行为空。",
        ),
        Field(
            "indicator_zh",
            required=False,
            description="level 2: the second-level indicator",
            description_zh="二级指标的名称（如 网民数量）；一级维度的行为空。",
        ),
        Field(
            "source_id",
            description_zh="发布该评价体系" + _SOURCE_ZH + "。",
            pattern=SNAKE_CASE,
        ),
        *_loc("列出该维度或指标的一段原文"),
    ),
    foreign_keys=(("source_id", "sources", "source_id"),),
    optional=True,
)

MILESTONES = Table(
    "milestones",
    "milestones.csv",
    "Dated events (strategies, plans, laws) the documents name.",
    (
        Field(
            "date",
            description="YYYY, YYYY-MM or YYYY-MM-DD as printed",
            description_zh="事件日期，精确到原文所写的程度：YYYY、YYYY-MM 或 YYYY-MM-DD（如 2014-08）。",
            pattern=DATE,
        ),
        Field(
            "event_zh",
            description_zh="事件的简要中文表述（本书的概括，不是原话；原话见 quote 列）。",
        ),
        Field(
            "category",
            description_zh="事件类别：strategy 为战略，plan 为规划，law 为法律，regulation 为法规政策，"
            "evaluation 为评估评价，event 为其他事件（如会议、倡议、卫星发射、平台上线）。",
            enum=MILESTONE_CATEGORIES,
        ),
        Field(
            "domain",
            description_zh="事件所属的领域，即本书中讨论它的分领域章节。",
            enum=DOMAINS,
        ),
        Field(
            "source_id",
            description_zh="提到该事件" + _SOURCE_ZH + "。",
            pattern=SNAKE_CASE,
        ),
        *_loc("记述该事件的一段原文（含事件的年份）"),
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
        Field(
            "source_id",
            description_zh="指出该问题的报告（来源文件编号，对应 sources.csv 的 source_id）。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "year",
            "integer",
            "year the diagnosis describes",
            description_zh="诊断所针对的年份，即报告所述的年份。",
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "scope",
            description="national (the country) or regional (the provinces)",
            description_zh="问题的范围：national 为全国层面，regional 为地区（各省份）层面。",
            enum=DIAGNOSIS_SCOPES,
        ),
        Field(
            "item",
            "integer",
            "order of the problem in the report's list",
            description_zh="该问题在报告所列问题中的序号，按报告的顺序从 1 起。",
            minimum=1,
            maximum=99,
        ),
        Field(
            "topic_zh",
            description="short label of the problem (the book's words, not a quote)",
            description_zh="问题的简短标签（本书的概括，不是原话；原话见 quote 列）。",
        ),
        Field(
            "chapter",
            description="chapter of the book the problem belongs to",
            description_zh="本书中讨论该问题的章节：overview 为总览，infrastructure 为数字基础设施，"
            "data_resources 为数据资源与数据要素，innovation 为数字技术创新，economy 为数字经济，"
            "government 为数字政府，society 为数字社会与民生，culture_ecology 为数字文化与数字生态文明，"
            "security_governance 为网络安全与数字治理，international 为国际合作，regional 为地区评价。",
            enum=DIAGNOSIS_CHAPTERS,
        ),
        *_loc("报告指出该问题的原话"),
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
        Field(
            "province",
            description_zh="省份简称（如 北京、内蒙古），与其他表中的省份名称写法一致。",
            enum=PROVINCES,
        ),
        Field("name_full", description_zh="省份全称（如 北京市、内蒙古自治区）。"),
        Field("region", description_zh="所属的区域：东部、中部、西部或东北。", enum=MACRO_REGIONS),
        Field(
            "tile_col",
            "integer",
            description_zh="在本书瓦片地图（每个省份一个方格）上的列号，从 0 起，自西（左）向东（右）。",
            minimum=0,
            maximum=20,
        ),
        Field(
            "tile_row",
            "integer",
            description_zh="在瓦片地图上的行号，从 0 起，自北（上）向南（下）。",
            minimum=0,
            maximum=20,
        ),
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
            "source_id",
            description="the observation's source (its observations file)",
            description_zh="该观测所在的来源文件编号，即其观测数据文件的文件名。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "indicator_id",
            description_zh="该观测的指标编号，对应 indicators.csv 的 indicator_id。",
            pattern=SNAKE_CASE,
        ),
        Field("region", description_zh="该观测的地区，写法与观测数据的 region 列相同（如 全国）。"),
        Field(
            "year",
            "integer",
            description_zh="该观测的年份。",
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "check",
            description="the check the row is excused from",
            description_zh="免于哪项检查：range 为范围检查，比例超出 0–100%（千分比超出 0–1000‰）；"
            "scale 为数量级检查，与同一指标、同一地区在其他来源同年及相邻年份数值的中位数相差 100 倍以上；"
            "duplicate 为重复检查，同一来源对同一指标、地区、年份印出两个不同的数值"
            "（保留第一行，两个数值都列入冲突表）。",
            enum=EXCEPTION_CHECKS,
        ),
        Field(
            "reason",
            description="why the value is right, in Chinese",
            description_zh="该数值虽未通过检查但仍然正确的原因。",
        ),
    ),
    foreign_keys=(("source_id", "sources", "source_id"), ("indicator_id", "indicators", "indicator_id")),
    optional=True,
)

#: Why a number printed in a source document is not a figure of the dataset (``exclusions.csv``); the
#: coverage report counts these as explained. Chinese labels are what the data dictionary shows.
EXCLUSION_KINDS: dict[str, str] = {
    "metadata": "文件头信息（网址、抓取时间、页眉），不是正文",
    "name": "名称、型号、编号或号码中的数字（如 12315 热线、14 纳米刻蚀机、中国制造 2025）",
    "date": "自动规则未识别的日期、时期或届次（如 21 世纪、第十三届、2016—2020 年的另一种写法）",
    "duration": "时长（如 五年来、30 年），不是某一年的数值",
    "list": "条目、章节、标题、表格或榜单名额的编号（如 前 10 位、10 个地方位列前十）",
    "repeat": "同一文件他处已作为数据录入的同一数字（原因写明录入所在的行）",
    "context": "背景、举例或目标表述中的数字，不是报告陈述的发展数据（原因说明为什么）",
}

EXCLUSIONS = Table(
    "exclusions",
    "exclusions.csv",
    "Numbers printed in a source document that are not figures of the dataset, each with the reason; "
    "`dcbook coverage` counts them as explained instead of uncovered.",
    (
        Field(
            "source_id",
            description="the document (a source_id of sources.csv)",
            description_zh="印出该数字的来源文件编号，对应 sources.csv 的 source_id。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "locator",
            "integer",
            description="the raw file's line the number is printed on (1-based)",
            description_zh="该数字所在的原始文本行号（从 1 起）。",
            minimum=1,
        ),
        Field(
            "number",
            description="the number as printed on that line",
            description_zh="该行印出的数字，写法与原文相同。",
            pattern=r"[0-9][0-9,]*(?:\.[0-9]+)?",
        ),
        Field(
            "kind",
            description="why it is not a figure: " + ", ".join(EXCLUSION_KINDS),
            description_zh="不录入的类别："
            + "；".join(f"{k} 为{v}" for k, v in EXCLUSION_KINDS.items())
            + "。",
            enum=tuple(EXCLUSION_KINDS),
        ),
        Field(
            "reason",
            description="the reason, in Chinese",
            description_zh="不录入的具体原因。",
        ),
    ),
    primary_key=("source_id", "locator", "number"),
    foreign_keys=(("source_id", "sources", "source_id"),),
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
        Field(
            "statement_id",
            description="stable id of the statement",
            description_zh="该条表述的稳定编号，由来源编号、行号和序号组成（如 dcr2021_l13_2）。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "indicator",
            description="what is placed, as a snake_case id",
            description_zh="被比较事项的英文编号（本表自定，一般不是 indicators.csv 的指标编号）；"
            "不同来源、不同位置对同一事项的表述共用一个编号。",
            pattern=SNAKE_CASE,
        ),
        Field(
            "name_zh",
            description="what is placed, in Chinese",
            description_zh="被比较事项的中文名称（如 5G基站数量、全球创新指数）。",
        ),
        Field(
            "domain",
            description="chapter the statement belongs to",
            description_zh="该表述所属的领域，即本书中讨论它的分领域章节。",
            enum=DOMAINS,
        ),
        Field(
            "year",
            "integer",
            "year the statement describes",
            description_zh="表述所描述的年份；原文未写明时，取该文件所报告的年份。",
            minimum=YEAR_MIN,
            maximum=YEAR_MAX,
        ),
        Field(
            "measure",
            description="rank | share | ratio | placing | comparison | superlative",
            description_zh="比较的方式：rank 为排名，share 为占全球的份额，ratio 为相当于某一国家的倍数，"
            "placing 为入选国际榜单的数量，comparison 为不带数字的定性比较，superlative 为“最大、第一、首个”等最高级表述。",
            enum=INTL_MEASURES,
        ),
        Field(
            "family",
            description="comparability family (only one family shares an axis)",
            description_zh="可比口径：只有同一口径的表述才放在一起比较或排序（按综合指数的排名不同于按规模的排名）。"
            + "；".join(f"{code} 为{label}" for code, (_m, label) in INTL_FAMILIES.items())
            + "。",
            enum=tuple(INTL_FAMILIES),
        ),
        Field(
            "value",
            "number",
            "rank, share in %, ratio or count (empty for a comparison without one)",
            description_zh="表述给出的数值：名次（第二 → 2，榜首 → 1）、份额（%，三分之一 → 33.3）、"
            "倍数（1/9 → 0.11）或入选数量；定性比较和最高级表述为空。",
            required=False,
            pattern=NUMBER,
        ),
        Field(
            "printed",
            required=False,
            description="the value as printed in the quote (第二, 9.9%, 三分之一, 1/9)",
            description_zh="该数值在原文中的写法（如 第二、榜首、9.9、三分之一、1/9）；没有数值时为空。",
        ),
        Field(
            "unit",
            required=False,
            description="位 (rank), % (share), 倍 (ratio), 家/台 (placing)",
            description_zh="数值的单位：位（排名）、%（份额）、倍（倍数）、家/台/个（入选数量）；没有数值时为空。",
        ),
        Field(
            "qualifier",
            description="exact | lower_bound | approx | upper_bound",
            description_zh="数值的性质，规则同观测数据：" + _QUALIFIER_ZH + "“前三”记为 3，属上限。",
            enum=QUALIFIERS,
        ),
        Field(
            "comparator",
            description="who China is placed against: 全球, 美国, 发达国家 …",
            description_zh="与谁相比：全球，或某一国家、国家群体或水平（如 美国、发达国家、国外先进水平）。",
        ),
        Field(
            "scope",
            required=False,
            description="the list, index or statistic the position comes from",
            description_zh="名次或份额所依据的榜单、指数或统计（如 世界知识产权组织全球创新指数），"
            "及其时点（如 截至2021年9月）；原文未说明时为空。",
        ),
        Field(
            "source_id",
            description_zh="作出该表述" + _SOURCE_ZH + "。",
            pattern=SNAKE_CASE,
        ),
        *_loc("作出该表述的一段原文"),
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
    EXCLUSIONS,
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
