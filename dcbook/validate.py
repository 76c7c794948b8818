"""``dcbook validate``: check every data file and report *all* problems as ``path:row: column: what``.

Row numbers are CSV line numbers (the header is line 1; a quoted field spanning lines counts from the
line where its record starts). File-level problems (encoding, BOM, empty file, missing column) are
reported on line 1. Nothing is fixed or written: the command only reads.

Checks, in order: encoding and CSV structure; columns, types, enums, patterns and ranges (pandera
schemas built from :mod:`dcbook.schema`); exact duplicate rows; ids resolve across files (observation
files named after a source, indicators, targets and regional rows citing known ids); regions; units
convert to the indicator's display unit (:mod:`dcbook.units`); each quote is 10–160 characters, found
in its raw file at lines ``locator``..``locator+15`` after :func:`norm`, and contains the printed value
(targets: the target value; regional: the province and the printed score; milestones: the year).

:func:`collect` is shared with :mod:`dcbook.data`, whose loader raises the same messages.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from dcbook import periods, schema, units
from dcbook.schema import Table

#: Lines after ``locator`` that a quote may extend over (the PDF text breaks sentences across lines).
QUOTE_WINDOW = 15
_TAGS = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def norm(text: str) -> str:
    """Text as compared for quotes: no whitespace (incl. U+3000, newlines), no HTML tags, no ``**``."""
    return _SPACE.sub("", _TAGS.sub("", text)).replace("**", "")


def value_in(value: str, text: str) -> bool:
    """Whether the printed number ``value`` occurs in ``text`` as a whole number (not inside 2021 or 73.5)."""
    hay = _TAGS.sub("", text).replace("**", "").replace(",", "")  # whitespace kept: it separates table cells
    return re.search(_whole_number(value), hay) is not None


def printed_number(number: str, text: str) -> bool:
    """Whether ``number`` is printed in ``text`` as a whole number — not inside 2021 or 73.5 (thousands
    separators ignored). Unlike :func:`value_in`, a hyphen before it is not a minus sign: it is where a
    printed number is looked for, not a value checked (2021-yp-01, 3-5 倍, 10^{-14})."""
    plain = number.replace(",", "")
    return re.search(rf"(?<![\d.]){re.escape(plain)}(?!\.?\d)", text.replace(",", "")) is not None


def _whole_number(value: str) -> str:
    """Regex of ``value`` as a whole printed number: not inside another number, and a positive value not
    right after a minus sign (``21.5`` does not match ``-21.5%``: a flipped sign is caught)."""
    return rf"(?<![\d.\-−－]){re.escape(value)}(?!\.?\d)"


@dataclass
class RawFile:
    """A raw source text with per-line normalized text, for locating quotes quickly."""

    path: Path
    lines: list[str]
    normed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.normed = [norm(line) for line in self.lines]

    def window(self, locator: int) -> str:
        """Normalized text of lines ``locator``..``locator+QUOTE_WINDOW`` (1-based)."""
        return "".join(self.normed[locator - 1 : locator + QUOTE_WINDOW])

    def lead(self, locator: int, quote: str, limit: int = 200) -> str:
        """Normalized text of the quote's sentence before the quote (what 截至 … or 上半年 may precede it with)."""
        start = max(locator - 2, 0)
        text = "".join(self.normed[start : locator + QUOTE_WINDOW])
        at = text.find(norm(quote))
        if at < 0:
            return ""
        before = text[max(at - limit, 0) : at]
        cut = max(before.rfind(mark) for mark in "。！？")
        return before[cut + 1 :]

    def starts_at(self, quote: str, locator: int) -> bool:
        """Whether ``norm(quote)`` starts on line ``locator`` (it may run on over the next lines)."""
        needle, first = norm(quote), self.normed[locator - 1]
        text = self.window(locator)
        return 0 <= text.find(needle) < len(first)

    def find_line(self, quote: str) -> int | None:
        """First line where ``norm(quote)`` starts, anywhere in the file (for a helpful hint)."""
        needle = norm(quote)
        pos = "".join(self.normed).find(needle) if needle else -1
        if pos < 0:
            return None
        for i, text in enumerate(self.normed):
            if pos < len(text):
                return i + 1
            pos -= len(text)
        return None  # pragma: no cover - pos lies inside the text


@dataclass
class CsvTable:
    """One CSV file as strings: ``frame`` indexed by the record's first line number."""

    path: Path
    label: str
    frame: pd.DataFrame
    ok: bool  # False when the file could not be parsed at all (encoding, empty)


@dataclass
class Report:
    """Outcome of :func:`collect`: problem messages and the parsed string tables."""

    problems: list[str]
    tables: dict[str, list[CsvTable]]
    raw: dict[str, RawFile]
    files: list[Path]


def _label(path: Path, data_dir: Path) -> str:
    """Path as shown in messages: relative to the data directory's parent (``data/sources.csv``)."""
    try:
        return str(path.relative_to(data_dir.parent))
    except ValueError:
        return str(path)


def read_csv_strings(path: Path, label: str, problems: list[str]) -> CsvTable:
    """Read a CSV as strings with line numbers; encoding/structure problems go to ``problems``."""
    empty = pd.DataFrame()
    blob = path.read_bytes()
    if not blob.strip():
        problems.append(f"{label}:1: (file): file is empty (expected a header row)")
        return CsvTable(path, label, empty, False)
    if blob.startswith(b"\xef\xbb\xbf"):
        problems.append(
            f"{label}:1: (file): starts with a UTF-8 byte-order mark (BOM); save as UTF-8 without BOM"
        )
        return CsvTable(path, label, empty, False)
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = blob[: exc.start].count(b"\n") + 1
        try:
            blob.decode("gb18030")
            what = "is not UTF-8: it decodes as GBK/GB18030"
        except UnicodeDecodeError:
            what = "is not UTF-8"
        problems.append(
            f"{label}:1: (file): {what} (first bad byte on line {line}); re-save it as UTF-8 without BOM"
        )
        return CsvTable(path, label, empty, False)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        problems.append(f"{label}:1: (file): cannot read the header row ({exc})")
        return CsvTable(path, label, empty, False)
    header = [h.strip() for h in header]
    records: list[list[str]] = []
    index: list[int] = []
    start = reader.line_num + 1
    try:
        for rec in reader:
            if not rec or all(not c.strip() for c in rec):
                problems.append(f"{label}:{start}: (row): blank line")
            elif len(rec) != len(header):
                problems.append(
                    f"{label}:{start}: (row): has {len(rec)} fields, the header has {len(header)}"
                )
            else:
                records.append(rec)
                index.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(f"{label}:{start}: (row): malformed CSV ({exc})")
    for dup in {h for h in header if header.count(h) > 1}:
        problems.append(f"{label}:1: {dup}: column appears more than once")
    header = [h if header.count(h) == 1 else f"{h}#{i}" for i, h in enumerate(header)]
    frame = pd.DataFrame(records, columns=header, index=index, dtype=str)
    return CsvTable(path, label, frame, True)


def _schema_problems(table: Table, ct: CsvTable, problems: list[str]) -> None:
    """Run the pandera schema of ``table``; translate each failure into a message."""
    try:
        schema.pandera_schema(table).validate(ct.frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        for _, r in fc.iterrows():
            check = str(r["check"])
            if check == "column_in_dataframe":
                problems.append(f"{ct.label}:1: {r['failure_case']}: missing column")
            elif check == "column_in_schema":
                expected = ", ".join(table.columns)
                problems.append(
                    f"{ct.label}:1: {r['failure_case']}: unexpected column (expected: {expected})"
                )
            elif r["column"] is not None and not pd.isna(r["index"]):
                shown = "" if r["failure_case"] == "" else f"{r['failure_case']!r} "
                problems.append(f"{ct.label}:{int(r['index'])}: {r['column']}: {shown}{check}")
            else:
                problems.append(f"{ct.label}:1: {r['column'] or '(table)'}: {check} ({r['failure_case']})")


def _records(ct: CsvTable) -> list[tuple[int, dict[str, str]]]:
    """(line number, row as dict) pairs; much faster than ``DataFrame.iterrows``."""
    return list(zip(ct.frame.index, ct.frame.to_dict("records"), strict=True))


def _valid(ct: CsvTable, col: str) -> bool:
    return ct.ok and col in ct.frame.columns


def _duplicates(ct: CsvTable, problems: list[str]) -> None:
    """Exact duplicate rows: reported on the later line, naming the first."""
    if not ct.ok or ct.frame.empty:
        return
    first: dict[tuple[str, ...], int] = {}
    for line, row in zip(ct.frame.index, ct.frame.itertuples(index=False, name=None), strict=True):
        key = tuple(c.strip() for c in row)
        if key in first:
            problems.append(f"{ct.label}:{line}: (row): exact duplicate of line {first[key]}")
        else:
            first[key] = line


def _unique(ct: CsvTable, col: str, problems: list[str]) -> None:
    if not _valid(ct, col):
        return
    seen: dict[str, int] = {}
    for line, v in ct.frame[col].items():
        if v in seen and v:
            problems.append(f"{ct.label}:{line}: {col}: {v!r} is not unique (also on line {seen[v]})")
        seen.setdefault(v, line)


def _int(text: str) -> int | None:
    return int(text) if re.fullmatch(schema.INTEGER, text or "") else None


def _quote_checks(
    ct: CsvTable,
    raw_for: dict[str, RawFile] | RawFile | None,
    problems: list[str],
    must_contain: list[tuple[str, str]] | None = None,
) -> None:
    """Locator within the file, quote length, quote found near the locator, required contents.

    ``raw_for`` is one raw file (per-source observation files) or a map source_id → raw file (tables
    with a ``source_id`` column). ``must_contain`` lists (column, kind): kind ``number`` (whole number
    match), ``text`` (substring) or ``year`` (first four characters).
    """
    df = ct.frame
    if not _valid(ct, "quote") or not _valid(ct, "locator"):
        return
    for line, row in _records(ct):
        quote = row["quote"]
        raw = raw_for.get(row.get("source_id", "")) if isinstance(raw_for, dict) else raw_for
        n = len(quote)
        if quote and not schema.QUOTE_MIN <= n <= schema.QUOTE_MAX:
            problems.append(
                f"{ct.label}:{line}: quote: is {n} characters long (allowed {schema.QUOTE_MIN}–{schema.QUOTE_MAX})"
            )
        locator = _int(row["locator"])
        if raw is not None and locator is not None and quote:
            if not 1 <= locator <= len(raw.lines):
                problems.append(
                    f"{ct.label}:{line}: locator: line {locator} is outside {raw.path.name} (1..{len(raw.lines)})"
                )
            elif norm(quote) not in raw.window(locator):
                hint = raw.find_line(quote)
                where = f"; it is at line {hint}" if hint else "; not found anywhere in the file"
                problems.append(
                    f"{ct.label}:{line}: quote: not found in {raw.path.name} at lines "
                    f"{locator}–{locator + QUOTE_WINDOW} (compared without whitespace){where}"
                )
            elif not raw.starts_at(quote, locator):
                hint = raw.find_line(quote)
                problems.append(
                    f"{ct.label}:{line}: locator: the quote starts at line {hint} of {raw.path.name}, not at "
                    f"line {locator} (the locator is the line where the quote starts)"
                )
        for col, kind in must_contain or []:
            if col not in df.columns or not row[col] or not quote:
                continue
            wanted = row[col]
            if kind == "number":
                ok = bool(re.fullmatch(schema.NUMBER, wanted)) and value_in(wanted, quote)
                if not re.fullmatch(schema.NUMBER, wanted):
                    continue  # the type check already reported it
            elif kind == "year":
                wanted = wanted[:4]
                ok = wanted in norm(quote)
            else:
                ok = wanted in norm(quote)
            if not ok:
                problems.append(f"{ct.label}:{line}: quote: does not contain the {col} {wanted!r} as printed")


def _ref(ct: CsvTable, col: str, known: set[str] | None, what: str, problems: list[str]) -> None:
    """Values of ``col`` must be in ``known`` (skipped when the referenced file is unreadable)."""
    if known is None or not _valid(ct, col):
        return
    for line, v in ct.frame[col].items():
        if v and v not in known:
            problems.append(f"{ct.label}:{line}: {col}: {v!r} is not {what}")


def _region(ct: CsvTable, problems: list[str]) -> None:
    """全国, 全球, a province, or an economy's Chinese name (no ASCII, no spaces)."""
    if not _valid(ct, "region"):
        return
    for line, v in ct.frame["region"].items():
        if v in schema.AGGREGATES or v in schema.PROVINCES:
            continue
        if not v or _ASCII_ALNUM.search(v) or v != v.strip() or " " in v:
            problems.append(
                f"{ct.label}:{line}: region: {v!r} is not 全国, 全球, a province short name or an economy's Chinese name"
            )


def _units(ct: CsvTable, display: dict[str, str], problems: list[str]) -> None:
    """Printed unit parses and converts to the indicator's display unit."""
    if not _valid(ct, "unit") or not _valid(ct, "indicator_id"):
        return
    for line, row in _records(ct):
        ind = row["indicator_id"]
        if ind not in display:
            continue
        try:
            units.factor(row["unit"], display[ind])
        except units.UnitError as exc:
            problems.append(f"{ct.label}:{line}: unit: {exc} (the display unit of {ind} is {display[ind]!r})")


#: Qualifier words the documents print between a number and its unit (1600 万余条, 20 多个).
_BETWEEN = re.compile(r"^([万亿千百十]*)[余多]+")
#: A unit in brackets, as table headers and row labels print it: 网民规模（亿）, 增速(%).
_BRACKETED = re.compile(r"\(([^()]{1,12})\)")
#: How far above a table row its header may be (lines of the raw file).
HEADER_LOOKBACK = 40
_PERCENT_LIKE = frozenset({"%", "个百分点", "百分点"})


def printed_unit(after: str) -> str:
    """The unit printed right after a number: the longest unit of the unit table that ``after`` starts with.

    Whitespace and the qualifier words 余/多 (``1600 万余条``) are skipped; ``""`` when no unit follows
    (punctuation, another number, a table's next cell)."""
    text = _BETWEEN.sub(r"\1", _SPACE.sub("", after)[:14])
    for n in range(len(text), 0, -1):
        with contextlib.suppress(units.UnitError):
            units.parse(text[:n])
            return text[:n]
    return ""


def _same_unit(printed: str, recorded: str) -> bool:
    """Same scale, and the same thing or a pure scale whose noun the indicator implies (万亿 for 万亿元)."""
    try:
        s_p, b_p = units.parse(printed)
        s_r, _ = units.parse(recorded)
    except units.UnitError:
        return False
    if s_p != s_r:
        return False
    return b_p == "" or (units.can_convert(printed, recorded) and units.factor(printed, recorded) == 1.0)


def _column_unit(printed_header: str, recorded: str) -> bool:
    """A table cell takes its header's unit; a cell of a % column may be a change in percentage points."""
    header = units.canonical(printed_header)
    if _same_unit(header, recorded):
        return True
    return header in _PERCENT_LIKE and units.canonical(recorded) in _PERCENT_LIKE


def table_header_units(raw: RawFile | None, locator: int, quote: str, value: str) -> list[str]:
    """Units in brackets of the table header cell above the quoted row, for the cell holding ``value``.

    A row such as ``信息产业收入规模(万亿元)\t26.2\t…\t14.5`` prints its unit in its label and, for other
    columns, in the table's header row (``2017 年同比 增速(%)``): the nearest tab-separated line above
    the row with as many cells and a bracketed unit in that column."""
    if raw is None or "\t" not in quote:
        return []
    cells = quote.split("\t")
    idx = [i for i, c in enumerate(cells) if value_in(value, c)]
    if not idx:
        return []
    found: list[str] = []
    for line in raw.lines[max(0, locator - 1 - HEADER_LOOKBACK) : max(0, locator - 1)][::-1]:
        head = line.split("\t")
        if len(head) != len(cells) or not all(i < len(head) for i in idx):
            continue
        units_here = [
            u
            for i in idx
            for u in _BRACKETED.findall(unicodedata.normalize("NFKC", head[i]))
            if u and units.can_convert(u, u)  # a unit of the table, not a bracketed number such as (0.33)
        ]
        if units_here:
            found = units_here
            break
    return found


def unit_problem(value: str, unit: str, quote: str, header_units: list[str] = ()) -> str | None:  # type: ignore[assignment]
    """Why ``unit`` is not the unit the quote prints ``value`` with, or None when it is.

    Accepted: the unit printed right after the number (same scale; a bare scale such as 万亿 when the
    noun follows later, ``由 10.6 万亿增长至 14.1 万亿元``); with no unit after the number, a bracketed
    unit in the quote or the table header (a table cell), else an unscaled unit that the quote prints
    elsewhere (``平均得分 56.3 … 21.2 分``) or no unit."""
    hay = _TAGS.sub("", quote).replace("**", "").replace(",", "")
    folded = unicodedata.normalize("NFKC", hay)
    brackets = _BRACKETED.findall(folded) + list(header_units)
    printed_as: list[str] = []
    for m in re.finditer(_whole_number(value), hay):
        shown = printed_unit(hay[m.end() :])
        if shown:
            if _same_unit(shown, unit):
                return None
            printed_as.append(shown)
            continue
        if any(_column_unit(b, unit) for b in brackets):
            return None
        with contextlib.suppress(units.UnitError):
            if units.parse(unit)[0] == 1.0 and (not unit or units.canonical(unit) in folded):
                return None
        printed_as.append("")
    if not printed_as:
        return None  # the value is not in the quote: reported by the quote check
    shown = printed_as[0]
    how = f"{value} {shown}" if shown else f"{value} with no unit (and no table header gives one)"
    return f"{unit!r} does not match the quote, which prints {how}"


def _quoted_units(ct: CsvTable, raw: RawFile | None, display: dict[str, str], problems: list[str]) -> None:
    """The recorded unit is the one the quote prints the value with (catches a 万亿元 → 亿元 slip)."""
    if not all(_valid(ct, c) for c in ("value", "unit", "quote", "locator")):
        return
    for line, row in _records(ct):
        value, unit, quote = row["value"], row["unit"], row["quote"]
        if not re.fullmatch(schema.NUMBER, value or "") or not quote:
            continue
        if row.get("indicator_id") in display and not units.can_convert(unit, display[row["indicator_id"]]):
            continue  # reported by the unit check
        locator = _int(row["locator"]) or 0
        if not schema.QUOTE_MIN <= len(quote) <= schema.QUOTE_MAX or (
            raw is not None and (not 1 <= locator <= len(raw.lines) or norm(quote) not in raw.window(locator))
        ):
            continue  # a quote that is not the source's text is reported by the quote check
        why = unit_problem(value, unit, quote, table_header_units(raw, locator, quote, value))
        if why:
            problems.append(f"{ct.label}:{line}: unit: {why}")


def _half_unit(printed: str) -> float:
    """Half a unit of the last digit of a value as printed ("7.18" → 0.005, "71751" → 0.5)."""
    return 0.5 * 10.0 ** -(len(printed.split(".")[1]) if "." in printed else 0)


def _same_key_different_value(ct: CsvTable, excused: set[Key], problems: list[str]) -> None:
    """One source giving two values for the same (indicator, region, year): the resolution would be arbitrary.

    Two printings of one figure at different precisions agree (网络零售额 71751 亿元 in the text, 7.18 万亿元
    in the table: within half a unit of the coarser one). A source that really states two values needs an
    ``exceptions.csv`` row with check ``duplicate`` and the reason; the book then shows both in the
    conflicts table and keeps the first row."""
    cols = ("indicator_id", "region", "year", "value", "unit")
    if not all(_valid(ct, c) for c in cols):
        return
    seen: dict[tuple[str, str, str], tuple[int, str, str]] = {}
    for line, row in _records(ct):
        key = (row["indicator_id"], row["region"], row["year"])
        if key in seen:
            first_line, value, unit = seen[key]
            same = False
            with contextlib.suppress(ValueError, units.UnitError):
                k = units.factor(row["unit"], unit)
                here, there = float(row["value"]) * k, float(value)
                tolerance = max(_half_unit(row["value"]) * k, _half_unit(value))
                same = abs(here - there) <= tolerance + 1e-9 * max(1.0, abs(there))
            if not same and (ct.path.stem, *key) not in excused:
                problems.append(
                    f"{ct.label}:{line}: value: {row['indicator_id']} {row['region']} {row['year']} is also given on "
                    f"line {first_line} with a different value ({value} {unit} vs {row['value']} {row['unit']}); "
                    "one source, one value — use a different indicator id if the definitions differ, or add the "
                    "row to exceptions.csv with check 'duplicate' and the reason if the source states both"
                )
        else:
            seen[key] = (line, row["value"], row["unit"])


REHASH = "dcbook validate --rehash"


def _raw_file(
    data_dir: Path, label: str, line: int, row: dict[str, str], problems: list[str]
) -> RawFile | None:
    """The raw file of one ``sources.csv`` row, or None after ONE message (a bad path is not read at all, so
    its observations get no follow-on errors). Checks: inside ``data/raw/`` (no ``..``, absolute path or
    symlink), exists, UTF-8 without BOM, and its bytes still have the recorded SHA-256."""
    name = row["file"]
    if not name or not re.fullmatch(schema.RAW_FILE, name):
        return None  # empty or outside raw/: the pattern check reported it
    raw_dir = data_dir / "raw"
    raw_path = raw_dir / name[len("raw/") :]
    if raw_path.is_symlink() or raw_dir.is_symlink():
        problems.append(
            f"{label}:{line}: file: {name!r} is a symbolic link; raw files must be real files in data/raw/"
        )
        return None
    if not raw_path.is_file():
        problems.append(f"{label}:{line}: file: {name!r} does not exist under {data_dir.name}/")
        return None
    blob = raw_path.read_bytes()
    if blob.startswith(b"\xef\xbb\xbf"):
        problems.append(
            f"{label}:{line}: file: {name!r} starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM"
        )
        return None
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"{label}:{line}: file: {name!r} is not UTF-8 text")
        return None
    recorded = row.get("sha256", "")
    actual = hashlib.sha256(blob).hexdigest()
    if recorded and re.fullmatch(r"[0-9a-f]{64}", recorded) and recorded != actual:
        problems.append(
            f"{label}:{line}: sha256: {name} has changed since its checksum was recorded (recorded "
            f"{recorded[:12]}…, now {actual[:12]}…); check its quotes and locators, then run `{REHASH}`"
        )
    return RawFile(raw_path, schema.raw_lines(text))


def collect(data_dir: Path) -> Report:
    """Read and check every data file under ``data_dir``; never raises on bad data."""
    data_dir = Path(data_dir)
    problems: list[str] = []
    tables: dict[str, list[CsvTable]] = {}
    raw: dict[str, RawFile] = {}
    files: list[Path] = []

    def read(table: Table, path: Path) -> CsvTable:
        files.append(path)
        ct = read_csv_strings(path, _label(path, data_dir), problems)
        if ct.ok:
            _schema_problems(table, ct, problems)
            _duplicates(ct, problems)
        tables.setdefault(table.name, []).append(ct)
        return ct

    for table in (schema.SOURCES, schema.INDICATORS):
        path = data_dir / table.path
        if not path.exists():
            problems.append(f"{_label(path, data_dir)}:1: (file): required file is missing")
            tables[table.name] = []
            continue
        read(table, path)

    sources = tables["sources"][0] if tables["sources"] else None
    source_ids: list[str] = []
    if sources is not None and _valid(sources, "source_id"):
        _unique(sources, "source_id", problems)
        source_ids = [s for s in sources.frame["source_id"] if s]
        if _valid(sources, "file"):
            for line, row in _records(sources):
                loaded = _raw_file(data_dir, sources.label, line, row, problems)
                if loaded is not None:
                    files.append(loaded.path)
                    raw[row["source_id"]] = loaded

    indicators = tables["indicators"][0] if tables["indicators"] else None
    display: dict[str, str] = {}
    if indicators is not None and _valid(indicators, "indicator_id"):
        _unique(indicators, "indicator_id", problems)
        if _valid(indicators, "unit"):
            for line, row in _records(indicators):
                try:
                    units.parse(row["unit"])
                except units.UnitError as exc:
                    problems.append(f"{indicators.label}:{line}: unit: {exc}")
                    continue
                display.setdefault(row["indicator_id"], row["unit"])
    # None = the catalogue could not be read: skip reference checks rather than flag every row.
    known_ind = (
        set(indicators.frame["indicator_id"])
        if indicators is not None and _valid(indicators, "indicator_id")
        else None
    )
    known_src = set(source_ids) if sources is not None and _valid(sources, "source_id") else None

    tables["observations"] = []
    for path in sorted((data_dir / "observations").glob("*.csv")):
        if path.name.endswith(".draft.csv"):
            continue
        ct = read(schema.OBSERVATIONS, path)
        sid = path.stem
        if source_ids and sid not in source_ids:
            problems.append(f"{ct.label}:1: (file): file name {sid!r} is not a source_id of sources.csv")
        if not ct.ok:
            continue
        _ref(ct, "indicator_id", known_ind, "an indicator_id of indicators.csv", problems)
        _region(ct, problems)
        _units(ct, display, problems)
        _quote_checks(ct, raw.get(sid), problems, [("value", "number")])
        _periods(ct, raw.get(sid), problems)
        if sid in raw:  # without its raw file (reported once) neither quotes nor table headers can be read
            _quoted_units(ct, raw[sid], display, problems)

    checks: dict[str, list[tuple[str, str]]] = {
        "targets": [("target_value", "number")],
        "regional": [("province", "text"), ("score", "number")],
        "frameworks": [],
        "milestones": [("date", "year")],
        "diagnoses": [],
        "provinces": [],
        "exceptions": [],
        "international": [("printed", "text")],
    }
    for table in (
        schema.TARGETS,
        schema.REGIONAL,
        schema.FRAMEWORKS,
        schema.MILESTONES,
        schema.DIAGNOSES,
        schema.PROVINCES_TABLE,
        schema.EXCEPTIONS,
        schema.INTERNATIONAL,
    ):
        path = data_dir / table.path
        if not path.exists():
            tables[table.name] = []
            continue
        ct = read(table, path)
        if not ct.ok:
            continue
        _ref(ct, "source_id", known_src, "a source_id of sources.csv", problems)
        if table is schema.TARGETS:
            _ref(ct, "indicator_id", known_ind, "an indicator_id of indicators.csv", problems)
            _units(ct, display, problems)
        if table is schema.FRAMEWORKS:
            _framework_parents(ct, problems)
        if table is schema.PROVINCES_TABLE:
            _unique(ct, "province", problems)
            if _valid(ct, "province"):
                missing = [p for p in schema.PROVINCES if p not in set(ct.frame["province"])]
                if missing:
                    problems.append(f"{ct.label}:1: province: missing {', '.join(missing)}")
        if table is schema.MILESTONES:
            _calendar(ct, "date", problems)
        if table is schema.EXCEPTIONS:
            _ref(ct, "indicator_id", known_ind, "an indicator_id of indicators.csv", problems)
        if table is schema.INTERNATIONAL:
            _unique(ct, "statement_id", problems)
            _international(ct, problems)
        if "quote" in table.columns:
            _quote_checks(ct, raw, problems, checks[table.name])
    if sources is not None:
        _calendar(sources, "published", problems)
    excused = _exceptions(tables.get("exceptions", []), tables["observations"], problems)
    for ct in tables["observations"]:
        _same_key_different_value(ct, excused["duplicate"], problems)
        _sign_and_range(ct, display, excused, problems)
    _scale(tables["observations"], display, excused, problems)
    _lost_rows(data_dir, tables, problems)
    return Report(problems, tables, raw, files)


def _periods(ct: CsvTable, raw: RawFile | None, problems: list[str]) -> None:
    """The period a row records is the one its sentence states for its value (上半年 → to-06, 截至 6 月 →
    asof-06), the words before the quote in its sentence included: a half-year or mid-year figure can
    never pass as the year's."""
    if not all(_valid(ct, c) for c in ("period", "quote", "value", "locator")):
        return
    for line, row in _records(ct):
        code = row["period"].strip()
        if not row["quote"] or not re.fullmatch(periods.PATTERN, code):
            continue  # the schema check reported a bad code
        locator = _int(row["locator"])
        if raw is None or locator is None or norm(row["quote"]) not in raw.window(locator):
            continue  # no sentence to read the period from: the file or quote check reported it
        allowed = periods.stated(row["quote"], row["value"], raw.lead(locator, row["quote"]))
        if code not in allowed:
            want = " or ".join(repr(a) if a else "empty (the year)" for a in sorted(allowed))
            problems.append(
                f"{ct.label}:{line}: period: {code or 'empty'!r} but the quote states {want} for "
                f"{row['value']!r}"
            )


def _lost_rows(data_dir: Path, tables: dict[str, list[CsvTable]], problems: list[str]) -> None:
    """A table with fewer rows than ``datapackage.json`` records (``stats.rows``) lost data: an error until
    ``dcbook datapackage`` records the new count (a deliberate removal is one command away)."""
    package = data_dir / "datapackage.json"
    if not package.is_file():
        return
    try:
        resources = json.loads(package.read_text(encoding="utf-8")).get("resources", [])
    except (UnicodeDecodeError, ValueError, AttributeError) as exc:
        problems.append(
            f"{_label(package, data_dir)}:1: (file): cannot be read ({exc}); run `dcbook datapackage`"
        )
        return
    read = {ct.path.relative_to(data_dir).as_posix(): ct for cts in tables.values() for ct in cts}
    for res in resources:
        rows = (res.get("stats") or {}).get("rows") if isinstance(res, dict) else None
        path = res.get("path") if isinstance(res, dict) else None
        if not isinstance(rows, int) or not isinstance(path, str):
            continue
        label = _label(data_dir / path, data_dir)
        ct = read.get(path)
        if ct is None:
            if not (data_dir / path).exists():
                problems.append(
                    f"{label}:1: (file): is missing, but datapackage.json records {rows} rows; restore it, or "
                    "run `dcbook datapackage` if it was removed on purpose"
                )
            continue
        if ct.ok and len(ct.frame) < rows:
            problems.append(
                f"{label}:1: (file): has {len(ct.frame)} rows, datapackage.json records {rows}; restore the "
                "lost rows, or run `dcbook datapackage` if they were removed on purpose"
            )


#: A value this many times larger or smaller than the same indicator's neighbours is a scale slip.
SCALE_RATIO = 100.0


def _scale(
    observations: list[CsvTable], display: dict[str, str], excused: dict[str, set[Key]], problems: list[str]
) -> None:
    """A value ≥ 100× away from the median of its neighbours — the same indicator and region in other
    sources for the same year and in the adjacent years — is a scale slip (万 for 亿) unless excused."""
    rows: list[tuple[Key, float, str, int, str]] = []  # key, display value, label, line, printed
    for ct in observations:
        if not all(_valid(ct, c) for c in ("indicator_id", "region", "year", "value", "unit")):
            continue
        for line, row in _records(ct):
            ind = row["indicator_id"]
            if ind not in display or value_kind(ind, display[ind]) == "change":
                continue
            if not re.fullmatch(schema.NUMBER, row["value"] or "") or _int(row["year"]) is None:
                continue
            if "quote" in row and not value_in(row["value"], row["quote"]):
                continue  # a value the quote does not print is reported by the quote check
            try:
                v = float(row["value"]) * units.factor(row["unit"], display[ind])
            except units.UnitError:
                continue
            if v > 0:
                key = (ct.path.stem, ind, row["region"], row["year"])
                rows.append((key, v, ct.label, line, f"{row['value']} {row['unit']}".strip()))
    by_series: dict[tuple[str, str], list[tuple[Key, float, str, int, str]]] = {}
    for r in rows:
        by_series.setdefault((r[0][1], r[0][2]), []).append(r)
    for series in by_series.values():
        for key, v, label, line, printed in series:
            year = int(key[3])
            near = [
                o
                for o in series
                if (o[0][0] != key[0] and int(o[0][3]) == year) or abs(int(o[0][3]) - year) == 1
            ]
            if not near or key in excused["scale"]:
                continue
            mid = sorted(o[1] for o in near)[len(near) // 2]
            if max(v, mid) / min(v, mid) < SCALE_RATIO:
                continue
            other = min(near, key=lambda o: abs(math.log10(o[1] / mid)))
            problems.append(
                f"{label}:{line}: value: {printed} is {max(v, mid) / min(v, mid):.0f}× "
                f"{'larger' if v > mid else 'smaller'} than {key[1]}'s neighbouring values (e.g. {other[4]} "
                f"for {other[0][3]} at {other[2]}:{other[3]}): a scale slip? If it is right, add the row to "
                "exceptions.csv with check 'scale' and the reason"
            )


def _calendar(ct: CsvTable, col: str, problems: list[str]) -> None:
    """``YYYY-MM`` / ``YYYY-MM-DD`` cells name a real month and day (no month 13, no 2021-02-30)."""
    if not _valid(ct, col):
        return
    for line, v in ct.frame[col].items():
        why = schema.calendar_problem(v)
        if why:
            problems.append(f"{ct.label}:{line}: {col}: {why}")


#: Indicator ids naming a change, whose values may be negative or above 100 % (growth rates, gaps).
_CHANGE_ID = re.compile(
    r"(?:^|_)(?:growth|increase|decrease|decline|change|gap|drop|contribution|narrowed)(?:_|$)"
)
#: Display units of changes (any sign) and of shares (0..100 / 0..1000).
_CHANGE_UNITS = frozenset({"个百分点", "百分点"})
_SHARE_RANGE: dict[str, float] = {"%": 100.0, "‰": 1000.0}

Key = tuple[str, str, str, str]  # (source_id, indicator_id, region, year)


def value_kind(indicator_id: str, display_unit: str) -> str:
    """``change`` (any sign or size: growth rates, percentage points), ``share`` (0..100 %) or ``amount``
    (never negative: counts, money, volumes, indexes)."""
    unit = units.canonical(display_unit)
    if unit in _CHANGE_UNITS or _CHANGE_ID.search(indicator_id):
        return "change"
    if unit in _SHARE_RANGE:
        return "share"
    return "amount"


def _exceptions(
    found: list[CsvTable], observations: list[CsvTable], problems: list[str]
) -> dict[str, set[Key]]:
    """check → keys of excused observations; an exception that matches no observation is an error."""
    out: dict[str, set[Key]] = {c: set() for c in schema.EXCEPTION_CHECKS}
    present: set[Key] = set()
    for ct in observations:
        if all(_valid(ct, c) for c in ("indicator_id", "region", "year")):
            present.update((ct.path.stem, r["indicator_id"], r["region"], r["year"]) for _, r in _records(ct))
    for ct in found:
        if not all(_valid(ct, c) for c in schema.EXCEPTIONS.columns):
            continue
        for line, row in _records(ct):
            key = (row["source_id"], row["indicator_id"], row["region"], row["year"])
            if key not in present:
                problems.append(
                    f"{ct.label}:{line}: (row): matches no observation ({' '.join(key)}); remove it or fix the key"
                )
            elif row["check"] in out:
                out[row["check"]].add(key)
    return out


def _sign_and_range(
    ct: CsvTable, display: dict[str, str], excused: dict[str, set[Key]], problems: list[str]
) -> None:
    """No negative amounts; shares within 0..100 % unless ``exceptions.csv`` gives the reason."""
    if not all(_valid(ct, c) for c in ("indicator_id", "region", "year", "value", "unit")):
        return
    for line, row in _records(ct):
        ind, value = row["indicator_id"], row["value"]
        if ind not in display or not re.fullmatch(schema.NUMBER, value or ""):
            continue
        kind = value_kind(ind, display[ind])
        if kind == "change":
            continue
        try:
            shown = float(value) * units.factor(row["unit"], display[ind])
        except units.UnitError:
            continue  # reported by the unit check
        if shown < 0:
            problems.append(
                f"{ct.label}:{line}: value: {value!r} is negative, but {ind} ({display[ind] or 'an index'}) "
                "cannot be (only growth rates and changes can)"
            )
        elif kind == "share":
            top = _SHARE_RANGE[units.canonical(display[ind])]
            key = (ct.path.stem, ind, row["region"], row["year"])
            if shown > top and key not in excused["range"]:
                problems.append(
                    f"{ct.label}:{line}: value: {value!r} is outside 0..{top:g} {display[ind]} for the share {ind}; "
                    "if it is right (e.g. users per 100 people), add the row to exceptions.csv with check "
                    "'range' and the reason"
                )


def _framework_parents(ct: CsvTable, problems: list[str]) -> None:
    """Level-2 rows name a level-1 dimension of the same framework as parent, and an indicator."""
    cols = ("framework", "dimension", "level", "parent", "indicator_zh")
    if not all(_valid(ct, c) for c in cols):
        return
    df = ct.frame
    dims = set(
        zip(df.loc[df["level"] == "1", "framework"], df.loc[df["level"] == "1", "dimension"], strict=True)
    )
    for line, row in _records(ct):
        if row["level"] != "2":
            continue
        if not row["parent"]:
            problems.append(f"{ct.label}:{line}: parent: is empty (level 2 rows need their dimension)")
        elif (row["framework"], row["parent"]) not in dims:
            problems.append(
                f"{ct.label}:{line}: parent: {row['parent']!r} is not a level-1 dimension of {row['framework']!r}"
            )
        if not row["indicator_zh"]:
            problems.append(f"{ct.label}:{line}: indicator_zh: is empty (level 2 rows name an indicator)")


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
#: Words that state first place without a numeral (位列榜首, 居世界首位).
FIRST_PLACE: tuple[str, ...] = ("榜首", "首位")


def chinese_number(text: str) -> int | None:
    """``一百亿`` → 10000000000, ``二十三`` → 23, ``十`` → 10; None when ``text`` is not a Chinese numeral."""
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS and c not in _CN_BIG for c in text):
        return None
    total = section = digit = 0
    for c in text:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[c]
            digit = 0
        else:
            total = (total + section + digit) * _CN_BIG[c]
            section = digit = 0
    return total + section + digit


def stated_number(printed: str, unit: str = "") -> float | None:
    """The number a printed value states: ``9.9`` → 9.9, ``第二``/``前三`` → 2/3, ``榜首`` → 1, ``1/9`` →
    0.111…, ``三分之一`` → 33.33… when the unit is %, ``一百亿`` → 1e10; None when it states none."""
    text = printed.strip()
    if text in FIRST_PLACE:
        return 1.0
    fraction = re.fullmatch(r"([0-9]+)/([0-9]+)", text)
    spoken = re.fullmatch(r"(.+)分之(.+)", text)
    if fraction or spoken:
        num, den = (
            (float(fraction[1]), float(fraction[2]))
            if fraction
            else (chinese_number(spoken[2]), chinese_number(spoken[1]))  # type: ignore[index]
        )
        if num is None or not den:
            return None
        return num / den * (100 if unit == "%" else 1)
    if re.fullmatch(schema.NUMBER, text):
        return float(text)
    return None if (n := chinese_number(re.sub(r"^[第前]", "", text))) is None else float(n)


def _tolerance(value: str) -> float:
    """Half a unit of the value's last printed digit (33.3 for 三分之一 is right, 33.4 is not)."""
    decimals = len(value.split(".")[1]) if "." in value else 0
    return 0.5 * 10**-decimals


#: The unit each valued measure is recorded in (placing: the counter of the list, 家 or 台).
INTL_UNITS: dict[str, tuple[str, ...]] = {
    "rank": ("位",),
    "share": ("%",),
    "ratio": ("倍",),
    "placing": ("家", "台", "个"),
}


def _international(ct: CsvTable, problems: list[str]) -> None:
    """A statement's family belongs to its measure; a rank, share, ratio or placing has a value stated by
    its ``printed`` words (which the quote contains) in the measure's unit; ranks are whole, shares 0–100;
    one source gives one value per statement of an indicator, year and measure."""
    seen: dict[tuple[str, str, str, str], tuple[int, str]] = {}
    for line, row in _records(ct):
        measure, family, value, printed = row["measure"], row["family"], row["value"], row["printed"]
        owner = schema.INTL_FAMILIES.get(family, ("", ""))[0]
        if measure in schema.INTL_MEASURES and family in schema.INTL_FAMILIES and owner != measure:
            problems.append(
                f"{ct.label}:{line}: family: {family!r} is a family of {owner!r} statements, not {measure!r}"
            )
        if measure in schema.INTL_VALUED and not value:
            problems.append(f"{ct.label}:{line}: value: is empty (a {measure} statement states a value)")
        if value and not printed:
            problems.append(f"{ct.label}:{line}: printed: is empty (say how the quote prints the value)")
        if measure in INTL_UNITS and row["unit"] and row["unit"] not in INTL_UNITS[measure]:
            problems.append(
                f"{ct.label}:{line}: unit: {row['unit']!r} is not the unit of a {measure} "
                f"({', '.join(INTL_UNITS[measure])})"
            )
        if not value or not re.fullmatch(schema.NUMBER, value):
            continue
        number = float(value)
        if printed:
            stated = stated_number(printed, row["unit"])
            if stated is None:
                problems.append(f"{ct.label}:{line}: printed: {printed!r} states no number")
            elif abs(stated - number) > _tolerance(value) * max(1.0, 1e-9 * abs(number)):
                problems.append(
                    f"{ct.label}:{line}: value: {value} is not the number {printed!r} states ({stated:g})"
                )
        if measure == "rank" and (number < 1 or not number.is_integer()):
            problems.append(f"{ct.label}:{line}: value: a rank is a whole number from 1 ({value})")
        if measure == "share" and not 0 < number <= 100:
            problems.append(f"{ct.label}:{line}: value: a share of the world is in 0–100 % ({value})")
        key = (row["source_id"], row["indicator"], row["year"], measure)
        if key in seen and seen[key][1] != value:
            problems.append(
                f"{ct.label}:{line}: value: {value} differs from {seen[key][1]} on line {seen[key][0]} "
                f"(same source, indicator, year and measure)"
            )
        seen.setdefault(key, (line, value))


def exclusion_problems(
    data_dir: Path, lines: Mapping[str, list[str]]
) -> tuple[list[str], list[tuple[str, int, str, str]]]:
    """Check ``exclusions.csv`` against the raw texts (``lines``: source_id → the raw file's lines).

    Kept out of :func:`collect` on purpose: chapters never read the exclusions, so editing them must not
    count as a change of any chapter's data. Returns the problems and the valid rows as
    (source_id, locator, number, kind)."""
    path = Path(data_dir) / schema.EXCLUSIONS.path
    if not path.exists():
        return [], []
    problems: list[str] = []
    ct = read_csv_strings(path, _label(path, Path(data_dir)), problems)
    if not ct.ok:
        return problems, []
    _schema_problems(schema.EXCLUSIONS, ct, problems)
    _duplicates(ct, problems)
    if not all(_valid(ct, c) for c in schema.EXCLUSIONS.columns):
        return problems, []
    seen: dict[tuple[str, str, str], int] = {}
    rows: list[tuple[str, int, str, str]] = []
    for line, row in _records(ct):
        src, number, kind = row["source_id"], row["number"], row["kind"]
        key = (src, row["locator"], number)
        if key in seen:
            problems.append(f"{ct.label}:{line}: (row): same source, locator and number as line {seen[key]}")
            continue
        seen[key] = line
        locator = _int(row["locator"])
        if src not in lines:
            problems.append(f"{ct.label}:{line}: source_id: {src!r} is not a source_id with a raw file")
            continue
        if locator is None or kind not in schema.EXCLUSION_KINDS or not row["reason"].strip():
            continue  # the schema check reported it
        text = lines[src]
        if locator > len(text):
            problems.append(f"{ct.label}:{line}: locator: {locator} is past the end ({len(text)} lines)")
            continue
        if not printed_number(number, text[locator - 1]):
            problems.append(
                f"{ct.label}:{line}: number: {number!r} is not printed on line {locator} of {src}"
            )
            continue
        rows.append((src, locator, number, kind))
    return problems, rows
