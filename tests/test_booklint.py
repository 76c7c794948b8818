"""The chapters carry no hand-typed figures: every number in prose is glued from the data."""

from __future__ import annotations

from pathlib import Path

import pytest

from dcbook.booklint import typed_figures_in_notebook, typed_figures_in_text

BOOK = Path(__file__).resolve().parent.parent / "book"


@pytest.mark.parametrize(
    "text",
    [
        "网民规模达到 9.89 亿",
        "5G基站 142.5万个",
        "占比提高 22.4 个百分点",
        "增长了3倍",
        "排名第45位",
        "覆盖率达100%",
        "共有 14 项指标",
        "数据产量 6.6ZB",
        "{% if f.x %}覆盖率达 100%{% endif %}",
        "{{ f.x | value }}，比上年增加 3 万户",
    ],
)
def test_typed_figure_is_found(text: str) -> None:
    assert typed_figures_in_text(text), text


@pytest.mark.parametrize(
    "text",
    [
        "网民规模达到 {glue:text}`infra_users` 亿",
        "{glue:text}`x:.1f`%",
        "见 {doc}`02_infrastructure`。",
        "2021年，5G 与 4G 网络、IPv6 部署继续推进。",
        "“十四五”规划（{cite:p}`fyp14_plan`）",
        "代码 `x = 5个` 不算",
        "```{code-cell}\nprint('3个')\n```",
        "5G 基站{{ f.stations | be }}，占全球{{ f.share | value }}",
        "{% if f.pen.latest.value > 100 %}已饱和{% endif %}",
        "约 {{ f.per_year | pp(1) }}",
    ],
)
def test_glued_or_non_figure_text_passes(text: str) -> None:
    assert typed_figures_in_text(text) == [], text


def test_chapters_have_no_hand_typed_figures() -> None:
    notebooks = sorted(BOOK.glob("*.ipynb"))
    assert notebooks, "no chapter notebooks found in book/"
    hits = [str(hit) for nb in notebooks for hit in typed_figures_in_notebook(nb)]
    assert not hits, "figures typed by hand (glue them from the data):\n" + "\n".join(hits)
