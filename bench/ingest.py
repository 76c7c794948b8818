"""Measure ``dcbook ingest`` against recorded data: ``python bench/ingest.py [--data-dir data]``.

For the fictional reports of ``tests/data/ingest_recall`` (their answer keys list every figure) and for each
yearly report already in the dataset (its reviewed ``observations/<id>.csv`` is the answer), the scan's
draft is compared with the answer: recall (answer rows drafted with the same indicator, value, unit,
qualifier, year and period) and wrong rows (drafted (indicator, value) pairs the answer does not hold).
The yearly reports are an optimistic check of recall (the catalogue's aliases were added while recording
them) but an honest one of wrong rows. Nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dcbook import DEFAULT_DATA_DIR, ingest  # noqa: E402

KEY = ("indicator_id", "value", "unit", "qualifier", "year", "period")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def measure(scanner: ingest.Scanner, text: str, answer: list[dict[str, str]], edition: int) -> str:
    t0 = time.perf_counter()
    res = scanner.scan(text, "bench", edition)
    took = time.perf_counter() - t0
    known = [a for a in answer if a["indicator_id"]]
    drafted = {tuple(r[k] for k in KEY) for r in res.observations}
    found = sum(tuple(a[k] for k in KEY) in drafted for a in known)
    pairs = {(a["indicator_id"], a["value"]) for a in known}
    wrong = sum((r["indicator_id"], r["value"]) not in pairs for r in res.observations)
    return (
        f"recall {found}/{len(known)} = {found / max(1, len(known)):.1%}, wrong rows {wrong} of "
        f"{len(res.observations)}, proposals {len(res.proposals)}, {took:.2f} s"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = p.parse_args()
    data_dir: Path = args.data_dir
    catalogue = ingest.load_catalogue(data_dir / "indicators.csv")
    scanner = ingest.Scanner(catalogue, ingest.known_dimensions(data_dir))
    fixture = ROOT / "tests" / "data" / "ingest_recall"
    for name, key, label in (
        ("report.txt", "truth.csv", "fictional 2023"),
        ("heldout.txt", "heldout_truth.csv", "held-out fictional 2023"),
    ):
        text = (fixture / name).read_text(encoding="utf-8")
        print(f"{label:32} {measure(scanner, text, _read(fixture / key), 2023)}")
    for src in _read(data_dir / "sources.csv"):
        obs = data_dir / "observations" / f"{src['source_id']}.csv"
        if src["kind"] != "yearly_report" or not obs.is_file():
            continue
        text = (data_dir / src["file"]).read_text(encoding="utf-8")
        line = measure(scanner, text, _read(obs), int(src["edition_year"]))
        print(f"{src['source_id']:32} {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
