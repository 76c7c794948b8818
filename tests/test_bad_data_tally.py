"""The closing tally of the data guards: every bad-data class of ``tests/bad_data.py`` through validation.

Each class must be rejected with file:row:column, except the ones :data:`bad_data.ACCEPTED` lists with the
reason; the figures are printed (``-s``) and are what ``python tests/bad_data.py`` reports.
"""

from __future__ import annotations

from pathlib import Path

import bad_data
import pytest

pytestmark = pytest.mark.slow


def test_every_bad_data_class_is_rejected_with_file_row_and_column(clean_data_dir: Path) -> None:
    outcomes = bad_data.tally(clean_data_dir)
    verdicts = {o.name: o.verdict for o in outcomes}
    assert len(outcomes) == len(bad_data.CLASSES) >= 40
    accepted = {name for name, verdict in verdicts.items() if verdict == "accepted"}
    assert accepted == set(bad_data.ACCEPTED), accepted
    unlocated = {o.name: o.first for o in outcomes if o.verdict == "unlocated"}
    assert unlocated == {}, unlocated
    located = sum(v == "located" for v in verdicts.values())
    print(
        f"\nbad-data tally: {len(outcomes)} classes tried, {located} rejected with file:row:column, "
        f"{len(accepted)} accepted ({', '.join(sorted(accepted))})"
    )
