"""``dcbook coverage``: the numeric passages of each raw document that no data row covers.

The dataset is meant to be complete: every figure a source document states is an observation (or a row of
another table — a plan target, a regional rank, a framework weight, a milestone, a world standing), each
with the line it starts on and a verbatim quote. This command reads every raw file named in
``sources.csv``, finds each number printed in it, and reports those that no row's quote (on the lines the
quote spans) contains — except numbers of the documented classes that are not figures:

* ``date`` — a year, month or day (2021 年, 6 月, 30 日, 2016—2020 年);
* ``ordinal`` — 第 N (第 5 届, 第 14 位 is a rank and stays: 位 makes it a figure);
* ``list`` — an item number at the start of a line (1. / 1、 / （1） / (1)), a bare page number, or the
  number of a figure, table or box (图 1, 表 2, 专栏 3);
* ``name`` — a digit inside a name (5G, 4K, IPv6, G20, 3D, Web3.0, “互联网+”-style labels with Latin letters);
* ``markup`` — a digit inside an HTML tag or character reference left in a crawled page (``<img src=…>``,
  ``&#123;``): quotes are compared without tags, so no quote can hold it.

The classes are conservative: a number is excluded only by its own context, never because it is small.
Any other number that is not a figure is *explained* by a row of ``exclusions.csv`` (source, line, number,
kind, reason); an explained ``repeat`` must be covered on another line of the same document.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dcbook import schema
from dcbook.validate import _TAGS, QUOTE_WINDOW, RawFile, exclusion_problems, norm, printed_number

#: A number as printed: digits with an optional decimal part (thousands separators included).
NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])\d+(?:\.\d+)?")
#: The classes of numbers that are not figures, in the order they are tried (see the module docstring).
CLASSES: tuple[str, ...] = ("markup", "date", "ordinal", "list", "name")
_YEAR_AFTER = re.compile(r"^\s*(?:年|—|–|-|~|～|至|到)")
_MONTH_AFTER = re.compile(r"^\s*(?:月|—\d+\s*月|-\d+\s*月)")
_DAY_AFTER = re.compile(r"^\s*日")
_LIST_ITEM = re.compile(r"^\s*[（(]?\s*$")
_LIST_MARK = re.compile(r"^\s*(?:[.．、)）]|\s)")
_LATIN = re.compile(r"[A-Za-z]")
_MARKUP = re.compile(r"<[^<>]*>|&#?[0-9A-Za-z]+;")


@dataclass(frozen=True)
class Passage:
    """One number printed in a raw document: where, what, and the line it sits on."""

    source_id: str
    path: str
    line: int
    number: str
    text: str
    col: int = 0  # where the number starts on its raw line


@dataclass
class Report:
    """Per document: every number found, how many each class excluded, and the uncovered passages."""

    source_id: str
    path: str
    found: int = 0
    covered: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
    explained: Counter[str] = field(default_factory=Counter)
    uncovered: list[Passage] = field(default_factory=list)


def number_class(line: str, start: int, end: int) -> str:
    """The :data:`CLASSES` member a number at ``line[start:end]`` belongs to, or "" for a figure."""
    number = line[start:end]
    before, after = line[:start], line[end:]
    if any(m.start() <= start and end <= m.end() for m in _MARKUP.finditer(line)):
        return "markup"
    if "." not in number and "," not in number:
        n = int(number)
        if (
            len(number) == 4
            and 1900 <= n <= 2100
            and (_YEAR_AFTER.match(after) or re.search(r"[—–~～-]\s*$", before))
        ):
            return "date"
        if 1 <= n <= 12 and _MONTH_AFTER.match(after):
            return "date"
        if 1 <= n <= 31 and _DAY_AFTER.match(after):
            return "date"
    if re.search(r"第\s*$", before) and not re.match(r"^\s*位", after):
        return "ordinal"
    if re.search(r"(?:图|表|专栏)\s*$", before):
        return "list"
    if _LIST_ITEM.match(before) and (
        _LIST_MARK.match(after) or not after.strip() or re.match(r"^\s*[）)]", after)
    ):
        return "list"
    if (before and _LATIN.match(before[-1])) or (after and _LATIN.match(after[0])):
        return "name"
    return ""


def passages(source_id: str, path: Path, text: str) -> Iterable[tuple[Passage, str]]:
    """Every number of a raw text with its class ("" for a figure), lines counted as locators count them."""
    for i, line in enumerate(schema.raw_lines(text), start=1):
        for m in NUMBER.finditer(line):
            yield (
                Passage(source_id, str(path), i, m.group(0), line.strip(), m.start()),
                number_class(line, m.start(), m.end()),
            )


def _norm_positions(line: str) -> list[int]:
    """For each character of a raw line, its offset in ``norm(line)`` (-1 where norm drops it: tags,
    whitespace, ``**``), so a number found on the raw line can be placed inside a quote's span."""
    dropped = [False] * len(line)
    for m in _TAGS.finditer(line):
        dropped[m.start() : m.end()] = [True] * (m.end() - m.start())
    for i, ch in enumerate(line):
        if ch.isspace():
            dropped[i] = True
    kept = [i for i in range(len(line)) if not dropped[i]]
    k = 0
    while k + 1 < len(kept):  # norm removes "**" after tags and whitespace are gone
        if line[kept[k]] == "*" and line[kept[k + 1]] == "*":
            dropped[kept[k]] = dropped[kept[k + 1]] = True
            k += 2
        else:
            k += 1
    out, pos = [], 0
    for i in range(len(line)):
        out.append(-1 if dropped[i] else pos)
        pos += 0 if dropped[i] else 1
    return out


@dataclass
class _Doc:
    """A raw document with each line's offset in the normalized text, and the quotes' spans in it."""

    raw: RawFile
    starts: list[int] = field(default_factory=list)
    spans: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)  # line → (start, end, quote)
    positions: dict[int, list[int]] = field(default_factory=dict)  # line → _norm_positions, when first needed

    def __post_init__(self) -> None:
        pos = 0
        for text in self.raw.normed:
            self.starts.append(pos)
            pos += len(text)

    def add(self, locator: int, quote: str) -> None:
        """Record a row's quote on every line it spans (PDF text breaks sentences over lines)."""
        if not 1 <= locator <= len(self.raw.lines):
            return
        needle = norm(quote)
        window = self.raw.normed[locator - 1 : locator + QUOTE_WINDOW]
        at = "".join(window).find(needle) if needle else -1
        if at < 0:
            return  # validate reports a quote that is not on its lines
        start = self.starts[locator - 1] + at
        end = start + len(needle)
        for line in range(locator, min(locator + QUOTE_WINDOW, len(self.raw.lines)) + 1):
            if self.starts[line - 1] < end:
                self.spans.setdefault(line, []).append((start, end, quote))

    def covered(self, p: Passage) -> bool:
        """A row's quote contains this very occurrence of the number (not the same digits elsewhere on the
        line), and prints it as a whole number."""
        positions = self.positions.get(p.line)
        if positions is None:
            positions = self.positions[p.line] = _norm_positions(self.raw.lines[p.line - 1])
        at = positions[p.col] if p.col < len(positions) else -1
        if at < 0:
            return False
        at += self.starts[p.line - 1]
        n = len(p.number)
        return any(
            s <= at and at + n <= e and printed_number(p.number, q) for s, e, q in self.spans.get(p.line, [])
        )


def _docs(data_dir: Path, raws: Mapping[str, RawFile]) -> dict[str, _Doc]:
    """Every source's document with the spans of every data row's quote (any table with a quote)."""
    docs = {src: _Doc(raw) for src, raw in raws.items()}

    def add(source: str, locator: object, quote: object) -> None:
        try:
            start = int(str(locator))
        except ValueError:
            return
        if source in docs and quote:
            docs[source].add(start, str(quote))

    for path in sorted((data_dir / "observations").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for loc, quote in zip(frame.get("locator", []), frame.get("quote", []), strict=False):
            add(path.stem, loc, quote)
    for path in sorted(data_dir.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if not {"source_id", "locator", "quote"} <= set(frame.columns):
            continue
        for src, loc, quote in zip(frame["source_id"], frame["locator"], frame["quote"], strict=True):
            add(src, loc, quote)
    return docs


def coverage(data_dir: Path) -> tuple[list[Report], list[str]]:
    """A :class:`Report` for every source document with a raw file, in ``sources.csv`` order, and the
    problems of ``exclusions.csv`` (a row naming a number not on its line, a repeat covered nowhere else)."""
    sources = pd.read_csv(data_dir / "sources.csv", dtype=str, keep_default_na=False)
    texts = {
        src: (data_dir / file, (data_dir / file).read_text(encoding="utf-8"))
        for src, file in zip(sources["source_id"], sources["file"], strict=True)
        if file
    }
    raws = {src: RawFile(path, schema.raw_lines(text)) for src, (path, text) in texts.items()}
    docs = _docs(data_dir, raws)
    problems, rows = exclusion_problems(data_dir, {src: raw.lines for src, raw in raws.items()})
    explained = {(src, line, number.replace(",", "")): kind for src, line, number, kind in rows}
    reports = []
    for src, (path, text) in texts.items():
        report = Report(src, str(path))
        covered_numbers: set[str] = set()
        covered_keys: list[tuple[Passage, tuple[str, int, str]]] = []
        used: set[tuple[str, int, str]] = set()
        repeats: list[Passage] = []
        for p, cls in passages(src, path, text):
            report.found += 1
            key = (src, p.line, p.number.replace(",", ""))
            kind = explained.get(key)
            if cls:
                report.excluded[cls] += 1
            elif docs[src].covered(p):
                report.covered += 1
                covered_numbers.add(key[2])
                if kind:
                    covered_keys.append((p, key))
            elif kind:
                report.explained[kind] += 1
                used.add(key)
                if kind == "repeat":
                    repeats.append(p)
            else:
                report.uncovered.append(p)
        for p, key in covered_keys:  # every occurrence the exclusion names is covered: it is stale
            if key not in used:
                used.add(key)
                problems.append(
                    f"{schema.EXCLUSIONS.path}: {src} line {p.line}: number {p.number!r} is covered by a "
                    "data row; remove its exclusion"
                )
        for p in repeats:
            if p.number.replace(",", "") not in covered_numbers:
                problems.append(
                    f"{schema.EXCLUSIONS.path}: {src} line {p.line}: number {p.number!r} is explained as a "
                    "repeat but no data row covers it elsewhere in the document"
                )
        reports.append(report)
    return reports, problems


def arguments(p: argparse.ArgumentParser) -> None:
    """The command's options (``dcbook coverage --help``)."""
    p.add_argument(
        "--data-dir", type=Path, default=None, help="data folder (default: the repository's data/)"
    )
    p.add_argument(
        "--list", action="store_true", help="list every uncovered passage (file:line: number  text)"
    )
    p.add_argument("--strict", action="store_true", help="exit 1 while any passage is uncovered")


def main(args: argparse.Namespace) -> int:
    """Print, per document, numbers found, excluded by class, covered and uncovered (and the list)."""
    from dcbook import DEFAULT_DATA_DIR

    data_dir = Path(args.data_dir or DEFAULT_DATA_DIR)
    if not (data_dir / "sources.csv").is_file():
        print(f"coverage: {data_dir / 'sources.csv'}: no such file")
        return 2
    reports, problems = coverage(data_dir)
    for msg in problems:
        print(msg)
    total = 0
    for r in reports:
        if args.list:
            for p in r.uncovered:
                print(f"{p.path}:{p.line}: {p.number}  {p.text[:80]}")
        excluded = "，".join(f"{c} {r.excluded[c]}" for c in CLASSES if r.excluded[c])
        explained = "，".join(f"{k} {r.explained[k]}" for k in schema.EXCLUSION_KINDS if r.explained[k])
        print(
            f"{r.source_id}: {r.found} numbers, {r.covered} covered, excluded {sum(r.excluded.values())}"
            f" ({excluded or 'none'}), explained {sum(r.explained.values())} ({explained or 'none'}),"
            f" uncovered {len(r.uncovered)}"
        )
        total += len(r.uncovered)
    print(f"coverage: {total} uncovered numeric passages in {len(reports)} documents")
    if problems:
        print(f"coverage: {len(problems)} problem(s) in {schema.EXCLUSIONS.path}", file=sys.stderr)
        return 1
    return 1 if args.strict and total else 0
