"""Tables on the pages are reproducible: a pandas Styler's id comes from its content, not from chance."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

import dcbook.chapters  # noqa: F401  (installs the escaping and the stable ids, as the notebooks do)
from dcbook import fmt

SCRIPT = """
import pandas as pd
import dcbook.chapters
df = pd.DataFrame({"指标": ["网民规模", "<b>x</b>"], "数值": [10.32, 9.89]})
print(df.style.hide(axis="index").to_html())
print(df.style.set_caption("表 1")._repr_html_())
"""


def _render_in_new_process() -> str:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], check=True, capture_output=True, text=True, timeout=120
    ).stdout


def test_two_runs_render_identical_tables() -> None:
    """Two processes (two builds) give byte-identical HTML; pandas alone draws a new uuid4 each time."""
    first, second = _render_in_new_process(), _render_in_new_process()
    assert first == second
    assert 'id="T_' in first and "&lt;b&gt;" in first  # still an id, still escaped


def test_ids_differ_between_tables_and_explicit_ids_are_kept() -> None:
    a = pd.DataFrame({"x": [1]}).style.to_html()
    b = pd.DataFrame({"x": [2]}).style.to_html()
    assert a != b and a.split('id="')[1][:12] != b.split('id="')[1][:12]
    explicit = pd.DataFrame({"x": [1]}).style.set_uuid("mine").to_html()
    assert 'id="T_mine"' in explicit
    fmt.stable_table_ids()  # idempotent: a second call does not wrap the class twice
    assert pd.DataFrame({"x": [1]}).style.to_html() == a
