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
* ``name`` — a digit inside a name (5G, 4K, IPv6, G20, 3D, Web3.0, “互联网+”-style labels with Latin letters).

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
from dcbook.validate import exclusion_problems

#: A number as printed: digits with an optional decimal part (thousands separators included).
NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])\d+(?:\.\d+)?")
#: The classes of numbers that are not figures, in the order they are tried (see the module docstring).
CLASSES: tuple[str, ...] = ("date", "ordinal", "list", "name")
_YEAR_AFTER = re.compile(r"^\s*(?:年|—|–|-|~|～|至|到)")
_MONTH_AFTER = re.compile(r"^\s*(?:月|—\d+\s*月|-\d+\s*月)")
_DAY_AFTER = re.compile(r"^\s*日")
_LIST_ITEM = re.compile(r"^\s*[（(]?\s*$")
_LIST_MARK = re.compile(r"^\s*(?:[.．、)）]|\s)")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Passage:
    """One number printed in a raw document: where, what, and the line it sits on."""

    source_id: str
    path: str
    line: int
    number: str
    text: str


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
                Passage(source_id, str(path), i, m.group(0), line.strip()),
                number_class(line, m.start(), m.end()),
            )


def _quotes_by_line(data_dir: Path) -> dict[str, dict[int, list[str]]]:
    """For each source, the quotes of every data row on each line they span (a quote may run on)."""
    out: dict[str, dict[int, list[str]]] = {}

    def add(source: str, locator: object, quote: object) -> None:
        try:
            start = int(str(locator))
        except ValueError:
            return
        q = str(quote or "")
        for k, _ in enumerate(q.split("\n") or [q]):
            out.setdefault(source, {}).setdefault(start + k, []).append(q)

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
    return out


def _covered(p: Passage, quotes: Mapping[int, list[str]]) -> bool:
    plain = p.number.replace(",", "")
    return any(p.number in q or plain in q.replace(",", "") for q in quotes.get(p.line, []))


def coverage(data_dir: Path) -> tuple[list[Report], list[str]]:
    """A :class:`Report` for every source document with a raw file, in ``sources.csv`` order, and the
    problems of ``exclusions.csv`` (a row naming a number not on its line, a repeat covered nowhere else)."""
    sources = pd.read_csv(data_dir / "sources.csv", dtype=str, keep_default_na=False)
    quotes = _quotes_by_line(data_dir)
    texts = {
        src: (data_dir / file, (data_dir / file).read_text(encoding="utf-8"))
        for src, file in zip(sources["source_id"], sources["file"], strict=True)
        if file
    }
    problems, rows = exclusion_problems(
        data_dir, {src: schema.raw_lines(text) for src, (_, text) in texts.items()}
    )
    explained = {(src, line, number.replace(",", "")): kind for src, line, number, kind in rows}
    reports = []
    for src, (path, text) in texts.items():
        report = Report(src, str(path))
        covered_numbers: set[str] = set()
        repeats: list[Passage] = []
        for p, cls in passages(src, path, text):
            report.found += 1
            kind = explained.get((src, p.line, p.number.replace(",", "")))
            if cls:
                report.excluded[cls] += 1
            elif _covered(p, quotes.get(src, {})):
                report.covered += 1
                covered_numbers.add(p.number.replace(",", ""))
            elif kind:
                report.explained[kind] += 1
                if kind == "repeat":
                    repeats.append(p)
            else:
                report.uncovered.append(p)
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
