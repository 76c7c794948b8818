"""The data access API every chapter uses: ``load(edition)`` → a :class:`Dataset` of tidy frames.

Loading validates first (the same checks and messages as ``dcbook validate``) and raises
:class:`DataError` on any problem, so a chapter never computes with an unchecked figure. Values are
converted from the printed unit to the indicator's display unit (:mod:`dcbook.units`); every row keeps
its source, locator and quote.

Conflict rule (one row per indicator, region and year in :attr:`Dataset.resolved`):

1. An edition uses only sources with ``edition_year <= edition``.
2. An ``exact`` value beats a qualified one (超过, 约 …) that it agrees with, whatever their dates: a bound
   is never used where a source states the figure itself ("超过 70%" in a later plan does not replace a
   report's 70.4%). An exact value that contradicts the bound (below "超过 6000") is another measure or
   period: rule 3 decides.
3. Among values equally exact, the most recently ``published`` source wins (a revision; dates compared as
   strings after padding: ``2021-07`` → ``2021-07-00``, so a month-only date precedes any day of that month).
4. Remaining ties: the source listed later in ``sources.csv`` wins.

:meth:`Dataset.conflicts` says which rule decided each conflict (``reason``: :data:`CONFLICT_REASONS`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import pickle
import sys
from argparse import Namespace
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dcbook import DEFAULT_DATA_DIR, schema, units
from dcbook.provenance import record_read
from dcbook.validate import Report, collect, exclusion_problems

KEY = ["indicator_id", "region", "year"]
OBS_COLUMNS = [
    "indicator_id",
    "region",
    "year",
    "value",
    "value_printed",
    "unit_printed",
    "unit",
    "qualifier",
    "period",
    "source_id",
    "source_title",
    "published",
    "edition_year",
    "locator",
    "quote",
    "name_zh",
    "domain",
]
#: Why a conflict's winner won (the rule of the module docstring that decided it).
CONFLICT_REASONS: tuple[str, ...] = ("exact", "precise", "newer", "same_source", "order")
CONFLICT_COLUMNS = [
    "indicator_id",
    "name_zh",
    "region",
    "year",
    "unit",
    "n_values",
    "values",
    "source_ids",
    "qualifiers",
    "winner_source_id",
    "winner_value",
    "min_value",
    "max_value",
    "abs_diff",
    "rel_diff",
    "reason",
]
#: Columns typed as numbers in each optional table ("Int64" allows empty cells).
_TYPES: dict[str, dict[str, str]] = {
    "targets": {
        "base_year": "Int64",
        "base_value": "float",
        "target_year": "int",
        "target_value": "float",
        "locator": "int",
    },
    "regional": {"year": "int", "rank": "Int64", "score": "float", "locator": "int"},
    "frameworks": {"weight": "float", "level": "int", "locator": "int"},
    "milestones": {"locator": "int"},
    "diagnoses": {"year": "int", "item": "int", "locator": "int"},
    "provinces": {"tile_col": "int", "tile_row": "int"},
    "international": {"year": "int", "value": "float", "locator": "int"},
}


#: Problems printed by ``dcbook validate`` and shown in a :class:`DataError` (the rest are counted): a
#: broken file can yield thousands, and the first ones name the cause.
MAX_SHOWN = 50


class DataError(ValueError):
    """Bad data: ``problems`` holds every ``path:row: column: what is wrong`` message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        shown = "\n".join(self.problems[:MAX_SHOWN])
        more = f"\n… and {len(self.problems) - MAX_SHOWN} more" if len(self.problems) > MAX_SHOWN else ""
        super().__init__(f"{len(self.problems)} data problem(s):\n{shown}{more}")


def _pad(date: str) -> str:
    """``YYYY`` / ``YYYY-MM`` / ``YYYY-MM-DD`` → comparable ``YYYY-MM-DD`` (missing parts = 00)."""
    parts = [*(date or "").split("-"), "00", "00"]
    return "-".join(parts[:3])


def _typed(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """String frame → typed frame; empty cells of numeric columns become NA."""
    out = frame.copy()
    for col, kind in types.items():
        if col not in out.columns:
            continue
        num = pd.to_numeric(out[col].replace("", None), errors="raise")
        out[col] = num.astype("Int64") if kind == "Int64" else num.astype(kind)
    return out.reset_index(drop=True)


#: An approximate figure ("约 3.1") agrees with an exact one within this relative distance.
APPROX_AGREES = 0.05


def _bounds_agree(obs: pd.DataFrame) -> pd.Series:
    """Per row: whether rule 2 applies to its key — the newest exact value agrees with every qualified value
    of the key (at least a lower bound, at most an upper bound, within :data:`APPROX_AGREES` of an
    approximation). An exact value below another source's "超过" is a different measure or period, not a
    more precise statement of the same figure: then the dates decide, as for any revision."""
    agree = pd.Series(True, index=obs.index)
    multi = obs[obs.duplicated(KEY, keep=False)]
    for _, grp in multi.groupby(KEY, sort=False):
        exact = grp[grp["_exact"]]
        if exact.empty or len(exact) == len(grp):
            continue
        v = float(exact.sort_values(["_pub", "source_order"]).iloc[-1]["value"])
        for q, b in zip(grp["qualifier"], grp["value"].astype(float), strict=True):
            ok = (
                q == "exact"
                or (q == "lower_bound" and v >= b)
                or (q == "upper_bound" and v <= b)
                or (q == "approx" and abs(v - b) <= APPROX_AGREES * abs(b))
                or (q == "near" and (1 - APPROX_AGREES) * b <= v <= b)
            )
            if not ok:
                agree[grp.index] = False
                break
    return agree


def _decimals(value: float, printed: str | None = None) -> int:
    """Decimal places of a value in its display unit, from the number as printed when known (7.0 Tbps → 1;
    81616 亿元 shown in 万亿元 → 4), else from the stored float (8.16 → 2)."""
    if printed:
        text = str(printed).replace(",", "")
        places = len(text.split(".")[1]) if "." in text else 0
        try:
            shown = float(text)
        except ValueError:
            shown = 0.0
        if shown and value:
            places += round(math.log10(abs(shown / value)))
        return max(places, 0)
    return units.decimals(value, max_digits=15)


def _refines(obs: pd.DataFrame) -> pd.Series:
    """Per row: whether one document prints this figure twice and this row is the one with more digits
    (81616 亿元 beside 8.16 万亿元): rounding it to the other's places gives the other's value. Within the
    document it wins over its rounded form; across documents the dates decide as before, so a later report's
    own comparison (由 29 万亿元增长至 42 万亿元) keeps the figures it printed."""
    out = pd.Series(False, index=obs.index)
    by = [*KEY, "source_id"]
    multi = obs[obs.duplicated(by, keep=False) & obs["_exact"]]
    for _, grp in multi.groupby(by, sort=False):
        if len(grp) < 2:
            continue
        printed = grp["value_printed"] if "value_printed" in grp else pd.Series(None, index=grp.index)
        vals = [
            (i, float(v), _decimals(float(v), p))
            for i, v, p in zip(grp.index, grp["value"], printed, strict=True)
        ]
        for i, v, d in vals:
            others = [(w, e) for j, w, e in vals if j != i]
            if any(e < d for _, e in others) and all(
                e <= d and abs(round(v, e) - w) < 1e-9 for w, e in others
            ):
                out[i] = True
    return out


@dataclass
class _Tables:
    """Validated, typed tables of one data directory (all editions)."""

    sources: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    other: dict[str, pd.DataFrame]
    files: list[Path]


_CACHE: dict[tuple[Any, ...], _Tables] = {}


def _stamp(data_dir: Path) -> tuple[Any, ...]:
    """Cache key: every file's path, size and mtime (any edit invalidates the cache)."""
    items = []
    for p in sorted(data_dir.rglob("*")):
        if p.is_file():
            st = p.stat()
            items.append((str(p), st.st_size, st.st_mtime_ns))
    return (str(data_dir.resolve()), tuple(items))


def _build(report: Report) -> _Tables:
    """Turn a clean :class:`Report` into typed frames with normalized observation values."""
    sources = report.tables["sources"][0].frame.copy().reset_index(drop=True)
    sources["edition_year"] = sources["edition_year"].astype(int)
    sources["order"] = range(len(sources))
    ind = report.tables["indicators"][0].frame.copy().reset_index(drop=True)
    ind["higher_is_better"] = ind["higher_is_better"] == "true"
    ind["aliases"] = [[a for a in s.split("|") if a] for s in ind["aliases"]]
    ind = ind.set_index("indicator_id")

    parts = []
    for ct in report.tables["observations"]:
        df = ct.frame.copy().reset_index(drop=True)
        df["source_id"] = ct.path.stem
        df["row_order"] = range(len(df))
        parts.append(df)
    obs = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=[*schema.OBSERVATIONS.columns, "source_id"])
    )
    obs = obs.rename(columns={"value": "value_printed", "unit": "unit_printed"})
    obs["year"] = obs["year"].astype(int)
    obs["locator"] = obs["locator"].astype(int)
    obs["unit"] = obs["indicator_id"].map(ind["unit"])
    obs["value"] = [
        units.convert(float(v), u, d)
        for v, u, d in zip(obs["value_printed"], obs["unit_printed"], obs["unit"], strict=True)
    ]
    src = sources.set_index("source_id")
    obs["source_title"] = obs["source_id"].map(src["title"])
    obs["published"] = obs["source_id"].map(src["published"])
    obs["edition_year"] = obs["source_id"].map(src["edition_year"]).astype(int)
    obs["source_order"] = obs["source_id"].map(src["order"]).astype(int)
    obs["name_zh"] = obs["indicator_id"].map(ind["name_zh"])
    obs["domain"] = obs["indicator_id"].map(ind["domain"])
    obs = obs[[*OBS_COLUMNS, "source_order", "row_order"]]

    other: dict[str, pd.DataFrame] = {}
    for table in (
        schema.TARGETS,
        schema.REGIONAL,
        schema.FRAMEWORKS,
        schema.MILESTONES,
        schema.DIAGNOSES,
        schema.PROVINCES_TABLE,
        schema.INTERNATIONAL,
    ):
        found = report.tables.get(table.name) or []
        if found:
            other[table.name] = _typed(found[0].frame, _TYPES[table.name])[table.columns]
        else:
            other[table.name] = _typed(
                pd.DataFrame({c: pd.Series(dtype=str) for c in table.columns}), _TYPES[table.name]
            )
    return _Tables(sources, ind, obs, other, report.files)


#: Set by the build for each chapter's kernel: a folder where the validated tables of a data directory are
#: kept between kernels. Every chapter would otherwise validate the whole dataset again (every quote against
#: its raw text: seconds per chapter); the key is the data's content and the code that validates and parses it.
TABLES_CACHE_ENV = "DCBOOK_TABLES_CACHE"
#: How many versions of the tables the folder keeps (the newest by time of writing).
TABLES_CACHE_KEEP = 3


def _tables_cache_key(data_dir: Path) -> str:
    """Content of every file of ``data_dir`` and of the modules that check and parse it, and the versions."""
    digest = hashlib.sha256(f"{data_dir.resolve()}|{sys.version}|{pd.__version__}".encode())
    for module in ("dcbook.data", "dcbook.validate", "dcbook.schema", "dcbook.units", "dcbook.periods"):
        digest.update(Path(str(sys.modules[module].__file__)).read_bytes())
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(data_dir).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _cached_tables(data_dir: Path, folder: Path, report: Report | None = None) -> _Tables:
    """:func:`_validated_tables` through the build's folder: read when this exact data was validated before,
    else validated here and written (atomically) for the other kernels. ``dcbook validate`` in a build
    writes it first, so no chapter's kernel validates the data again."""
    path = folder / f"tables-{_tables_cache_key(data_dir)}.pickle"
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, _Tables):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass  # absent, or written by other code: validate afresh
    built = _validated_tables(data_dir, report)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        pickle.dump(built, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    _prune_tables_cache(folder)
    return built


def _prune_tables_cache(folder: Path) -> None:
    """Keep the newest :data:`TABLES_CACHE_KEEP` versions; another kernel may be pruning at the same time, so a
    file that vanished meanwhile is simply skipped."""
    dated = []
    for found in folder.glob("tables-*.pickle"):
        try:
            dated.append((found.stat().st_mtime, found))
        except FileNotFoundError:
            continue
    for _, old in sorted(dated)[:-TABLES_CACHE_KEEP]:
        old.unlink(missing_ok=True)


def _validated_tables(data_dir: Path, report: Report | None = None) -> _Tables:
    """The typed tables of ``data_dir``, or :class:`DataError` with every problem (``report``: already
    collected, so ``dcbook validate`` checks the files once)."""
    report = report if report is not None else collect(data_dir)
    excluded, _ = exclusion_problems(data_dir, {s: r.lines for s, r in report.raw.items()})
    report.problems.extend(excluded)
    if report.problems:
        raise DataError(report.problems)
    if not report.tables.get("sources") or not report.tables.get("indicators"):
        raise DataError([f"{data_dir}:1: (file): sources.csv and indicators.csv are required"])
    try:
        return _build(report)
    except (ValueError, KeyError, TypeError) as exc:  # validation should make this unreachable
        raise DataError([f"{data_dir}:1: (dataset): cannot be loaded: {exc!r}"]) from exc


def _tables(data_dir: Path, report: Report | None = None) -> _Tables:
    """Validated tables of ``data_dir`` (cached while no file changes); raises :class:`DataError`.

    ``report``: the files already collected by the caller (used only when nothing is cached)."""
    if not data_dir.is_dir():
        raise DataError([f"{data_dir}:1: (file): data directory does not exist"])
    key = _stamp(data_dir)
    if key not in _CACHE:
        folder = os.environ.get(TABLES_CACHE_ENV)
        built = (
            _cached_tables(data_dir, Path(folder), report) if folder else _validated_tables(data_dir, report)
        )
        _CACHE.clear()  # one data directory at a time is plenty; keeps memory flat under fuzzing
        _CACHE[key] = built
    return _CACHE[key]


def available_editions(data_dir: Path | str | None = None) -> list[int]:
    """Distinct ``edition_year`` values of ``sources.csv``, sorted (each is a buildable edition)."""
    t = _tables(Path(data_dir) if data_dir else DEFAULT_DATA_DIR)
    return sorted({int(y) for y in t.sources["edition_year"]})


#: Tables whose rows each belong to a source (or are sources): an edition sees only its sources' rows, so a
#: chapter of that edition depends on those rows only (a later source's rows re-execute no earlier edition).
EDITION_SCOPED_TABLES: frozenset[str] = frozenset(
    t.path for t in schema.TABLES if not t.per_file and ("source_id" in t.columns)
)


def _visible_sources(sources_csv: Path, edition: int) -> set[str]:
    """Source ids of ``sources.csv`` visible to ``edition``; a row whose year is unreadable counts as visible."""
    with open(sources_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    visible = set()
    for row in rows:
        try:
            seen = int(str(row.get("edition_year", "")).strip()) <= edition
        except ValueError:
            seen = True
        if seen:
            visible.add(str(row.get("source_id", "")))
    return visible


def edition_view_digest(path: Path, edition: int) -> str:
    """Content hash of the rows of the table ``path`` that ``edition`` sees (header included): the rows of the
    sources it can see (for ``sources.csv``: those sources). A table without ``source_id`` hashes whole."""
    if not path.is_file():
        return "<missing>"
    sources_csv = path.parent / "sources.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or "source_id" not in rows[0] or not sources_csv.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    col = rows[0].index("source_id")
    visible = _visible_sources(sources_csv, edition)
    kept = [rows[0], *(r for r in rows[1:] if len(r) > col and r[col] in visible)]
    return hashlib.sha256(json.dumps(kept, ensure_ascii=False).encode("utf-8")).hexdigest()


def _record_edition_reads(t: _Tables, ddir: Path, edition: int, ids: set[str]) -> None:
    """Tell the build which data this edition used: the whole shared tables, the source-owned tables through
    the edition's view, and the observation and raw files of visible sources only."""
    raw_files = {
        (ddir / str(f)).resolve(): str(s)
        for s, f in zip(t.sources["source_id"], t.sources["file"], strict=True)
    }
    root = ddir.resolve()
    for path in t.files:
        resolved = path.resolve()
        try:
            rel = resolved.relative_to(root)
        except ValueError:
            record_read(path)
            continue
        if rel.parts[0] == "observations" and len(rel.parts) == 2:
            if resolved.stem in ids:
                record_read(path)
        elif resolved in raw_files:
            if raw_files[resolved] in ids:
                record_read(path)
        elif rel.as_posix() in EDITION_SCOPED_TABLES:
            record_read(path, edition=edition)
        else:
            record_read(path)


def load(edition: int | None = None, data_dir: Path | str | None = None) -> Dataset:
    """The dataset as edition ``edition`` of the book sees it (None: the latest edition)."""
    ddir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    t = _tables(ddir)
    editions = sorted({int(y) for y in t.sources["edition_year"]})
    if edition is None:
        edition = editions[-1] if editions else 0
    if editions and edition < editions[0]:
        for path in t.files:
            record_read(path)
        raise DataError(
            [f"{ddir / 'sources.csv'}:1: edition_year: no source is visible to edition {edition}"]
        )
    visible = t.sources[t.sources["edition_year"] <= edition]
    ids = set(visible["source_id"])
    _record_edition_reads(t, ddir, int(edition), ids)
    obs = t.observations[t.observations["source_id"].isin(ids)].reset_index(drop=True)
    other = {k: v.copy() for k, v in t.other.items()}
    # An edition shows only what its sources had published: a plan's targets and an index system appear from
    # the edition of the document that set them.
    for name in ("regional", "milestones", "targets", "frameworks", "international", "diagnoses"):
        other[name] = other[name][other[name]["source_id"].isin(ids)].reset_index(drop=True)
    return Dataset(
        edition=int(edition),
        data_dir=ddir,
        sources=visible.drop(columns="order").reset_index(drop=True),
        indicators=t.indicators.copy(),
        observations=obs,
        targets=other["targets"],
        regional=other["regional"],
        frameworks=other["frameworks"],
        milestones=other["milestones"],
        provinces=other["provinces"],
        international=other["international"],
        diagnoses=other["diagnoses"],
    )


@dataclass
class Dataset:
    """Tidy frames of one edition; see the module docstring for the conflict rule."""

    edition: int
    data_dir: Path
    sources: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame
    targets: pd.DataFrame
    regional: pd.DataFrame
    frameworks: pd.DataFrame
    milestones: pd.DataFrame
    provinces: pd.DataFrame
    #: Statements of China's rank, world share or comparison (``international.csv``), of visible sources only.
    international: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({c: pd.Series(dtype=str) for c in schema.INTERNATIONAL.columns})
    )
    #: The reports' diagnosis of weaknesses (diagnoses.csv); empty in hand-made datasets.
    diagnoses: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(schema.DIAGNOSES.columns))
    )
    resolved: pd.DataFrame = field(init=False)
    _ranked: pd.DataFrame = field(init=False, repr=False)
    #: ``resolved`` split by (indicator, region), each part sorted by year: :meth:`series` is called
    #: thousands of times per edition, and a mask over the whole frame each time was a fifth of a chapter's
    #: computation. Made on first use, for the ``resolved`` frame it was made from.
    _series_parts: tuple[pd.DataFrame, dict[tuple[str, str], pd.DataFrame]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        obs = self.observations.copy()
        obs["_pub"] = obs["published"].map(_pad)
        obs["_exact"] = obs["qualifier"] == "exact"
        obs["_exact_first"] = obs["_exact"] & _bounds_agree(obs)
        obs["_precise"] = _refines(obs)
        # Best first: exact before qualified, latest published, later source in sources.csv, within one
        # document the more precise of two printings of a figure, then the first row in the file.
        ranked = obs.sort_values(
            [*KEY, "_exact_first", "_pub", "source_order", "_precise", "row_order"],
            ascending=[True, True, True, False, False, False, False, True],
            kind="stable",
        )
        self._ranked = ranked
        res = ranked.drop_duplicates(KEY, keep="first")
        self.resolved = res[OBS_COLUMNS].sort_values(KEY).reset_index(drop=True)
        self.observations = self.observations[OBS_COLUMNS].reset_index(drop=True)

    def _known(self, indicator_id: str) -> None:
        if indicator_id not in self.indicators.index:
            raise KeyError(
                f"unknown indicator_id {indicator_id!r} (not in {self.data_dir / 'indicators.csv'})"
            )

    def series(self, indicator_id: str, region: str = "全国") -> pd.DataFrame:
        """Resolved rows of one indicator and region, sorted by year (empty frame if none)."""
        self._known(indicator_id)
        r = self.resolved
        if self._series_parts is None or self._series_parts[0] is not r:
            parts = {
                (str(ind), str(reg)): part.sort_values("year").reset_index(drop=True)
                for (ind, reg), part in r.groupby(["indicator_id", "region"], sort=False)
            }
            self._series_parts = (r, parts)
        found = self._series_parts[1].get((indicator_id, region))
        # a copy: callers add columns to what they get
        return found.copy() if found is not None else r.iloc[0:0].reset_index(drop=True)

    def latest(self, indicator_id: str, region: str = "全国") -> pd.Series | None:
        """The latest resolved row, or None when the edition has no figure."""
        s = self.series(indicator_id, region)
        return None if s.empty else s.iloc[-1]

    def change(
        self, indicator_id: str, region: str = "全国", start: int | None = None, end: int | None = None
    ) -> dict[str, Any] | None:
        """Change between two years (default first → last); None when either year has no figure.

        ``cagr`` is None when the span is zero or a value is not positive; ``exact`` is False when
        either end is qualified (超过, 约 …), so prose can say "at least" instead of inventing precision.
        """
        s = self.series(indicator_id, region)
        if s.empty:
            return None
        by_year = s.set_index("year")
        y0 = int(s["year"].iloc[0]) if start is None else int(start)
        y1 = int(s["year"].iloc[-1]) if end is None else int(end)
        if y0 not in by_year.index or y1 not in by_year.index:
            return None
        a, b = by_year.loc[y0], by_year.loc[y1]
        v0, v1 = float(a["value"]), float(b["value"])
        span = y1 - y0
        cagr = (v1 / v0) ** (1 / span) - 1 if span > 0 and v0 > 0 and v1 > 0 else None
        return {
            "indicator_id": indicator_id,
            "region": region,
            "start_year": y0,
            "start_value": v0,
            "end_year": y1,
            "end_value": v1,
            "abs_change": v1 - v0,
            "ratio": v1 / v0 if v0 else None,
            "cagr": cagr,
            "unit": b["unit"],
            "start_qualifier": a["qualifier"],
            "end_qualifier": b["qualifier"],
            "exact": a["qualifier"] == "exact" and b["qualifier"] == "exact",
            "start_source_id": a["source_id"],
            "end_source_id": b["source_id"],
        }

    def conflicts(self) -> pd.DataFrame:
        """Every (indicator, region, year) given with more than one distinct value by visible sources."""
        rows = []
        for key, grp in self._ranked.groupby(KEY, sort=True):
            vals = grp["value"].tolist()
            distinct = {round(v, 9) if math.isfinite(v) else v for v in vals}
            if len(distinct) < 2:
                continue
            win = grp.iloc[0]
            lo, hi = min(vals), max(vals)
            rivals = grp[grp["value"].round(9) != round(float(win["value"]), 9)]
            if bool(win["_exact_first"]) and (~rivals["_exact_first"].astype(bool)).any():
                reason = "exact"  # the first sort key decided: an exact value agreeing with the bounds
            elif (rivals["_pub"] < win["_pub"]).all():
                reason = "newer"
            elif (rivals["source_id"] == win["source_id"]).all():
                # one document prints the figure twice: at two precisions, or two values (exceptions.csv)
                reason = "precise" if bool(win["_precise"]) else "same_source"
            else:
                reason = "order"
            rows.append(
                {
                    "indicator_id": key[0],
                    "name_zh": win["name_zh"],
                    "region": key[1],
                    "year": int(key[2]),
                    "unit": win["unit"],
                    "n_values": len(distinct),
                    "values": vals,
                    "source_ids": grp["source_id"].tolist(),
                    "qualifiers": grp["qualifier"].tolist(),
                    "winner_source_id": win["source_id"],
                    "winner_value": float(win["value"]),
                    "min_value": lo,
                    "max_value": hi,
                    "abs_diff": hi - lo,
                    "rel_diff": (hi - lo) / abs(win["value"]) if win["value"] else math.inf,
                    "reason": reason,
                }
            )
        return pd.DataFrame(rows, columns=CONFLICT_COLUMNS)

    def by_domain(self, domain: str) -> pd.DataFrame:
        """Resolved rows of the indicators of one domain (chapter)."""
        if domain not in schema.DOMAINS:
            raise KeyError(f"unknown domain {domain!r} (one of {', '.join(schema.DOMAINS)})")
        return self.resolved[self.resolved["domain"] == domain].reset_index(drop=True)


def validate_command(args: Namespace | None = None) -> int:
    """``dcbook validate``: print every problem (exit 1) or a summary (exit 0). It lives here, not in
    :mod:`dcbook.validate`, because it loads the validated data (validate is below data; data uses it)."""
    data_dir = Path(getattr(args, "data_dir", None) or DEFAULT_DATA_DIR)
    if not data_dir.is_dir():
        print(f"{data_dir}:1: (file): data directory does not exist", file=sys.stderr)
        return 1
    report = collect(data_dir)
    if report.problems:
        for msg in report.problems[:MAX_SHOWN]:
            print(msg)
        if len(report.problems) > MAX_SHOWN:
            print(f"… and {len(report.problems) - MAX_SHOWN} more")
        print(f"{len(report.problems)} problem(s) found in {data_dir}", file=sys.stderr)
        return 1
    try:
        _tables(data_dir, report)  # what load() reads, from this one collection (and into the build's cache)
        ds = load(data_dir=data_dir)
    except DataError as exc:  # exclusions.csv problems, or a dataset that cannot be loaded
        for msg in exc.problems:
            print(msg)
        return 1
    print(summary(ds))
    return 0


def summary(d: Dataset) -> str:
    """One line of counts for the validated dataset."""
    return (
        f"OK {d.data_dir}: {len(d.sources)} sources, {len(d.indicators)} indicators, "
        f"{len(d.observations)} observations, {len(d.conflicts())} conflicts, "
        f"{len(d.targets)} targets, {len(d.regional)} regional rows, {len(d.frameworks)} framework rows, "
        f"{len(d.milestones)} milestones (edition {d.edition})"
    )
