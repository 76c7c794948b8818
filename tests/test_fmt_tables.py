"""Tables on the pages are reproducible: a table's id comes from its content (pandas' public ``set_uuid``)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from dcbook.chapters import _table_payload, table_id

SCRIPT = """
import pandas as pd
from dcbook.chapters import _table_payload
df = pd.DataFrame({"指标": ["网民规模", "<b>x</b>"], "数值": [10.32, 9.89]})
print(_table_payload(df)["text/html"])
print(_table_payload(df.style.set_caption("表 1"))["text/html"])
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


def test_ids_differ_between_tables_and_follow_the_content() -> None:
    a, b = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [2]})
    assert table_id(a) != table_id(b)
    assert table_id(a) != table_id(a, "表 1")  # the caption is part of what a table shows
    html = _table_payload(a)["text/html"]
    assert f'id="T_{table_id(a)}"' in html
    assert _table_payload(a.copy())["text/html"] == html
