"""Escaping helpers of dcbook.fmt: text from the data reaches HTML, Markdown/MyST and pandas tables as text.

The Markdown checks parse with markdown-it and the MyST syntax plugins the book uses (roles, ``$math$``,
``{{substitutions}}``, ``:::`` fences), and require that the parsed result is plain text equal to the input.
The whole-book check, with a build and a browser, is tests/test_hostile_data.py.
"""

from __future__ import annotations

import html
import subprocess
import sys
from collections.abc import Iterator

import pandas as pd
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from mdit_py_plugins.substitution import substitution_plugin

from dcbook import fmt

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "{glue}`x`",
    "{glue:text}`society_edition`",
    "**粗体** __粗体__ *斜体* _斜体_",
    "[链接](http://evil.example) <http://evil.example> ![图](x.png)",
    "$x$ $$y$$ \\(z\\)",
    "\\textbf{x} % # _ & ~ ^",
    "{{ subst }}",
    "# 标题",
    "- 列表",
    "1. 列表",
    "> 引用",
    ":::{note}\n内容\n:::",
    "    缩进代码",
    "`code`",
    "a\\b\\\\c",
    "网民规模 &amp; &lt;b&gt;",
    "行一\n\n行二",
    "---",
    "|a|b|\n|-|-|",
    "5G基站数（万个）",
]


def _flat(text: str) -> str:
    """What a reader should see: the text on one line (a data string never opens a block), trimmed."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip()).strip()


def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .use(myst_role_plugin)
        .use(dollarmath_plugin)
        .use(substitution_plugin)
        .use(colon_fence_plugin)
    )


def _inline_text(tokens: list[Token]) -> tuple[str, list[str]]:
    """Text of a single paragraph and the names of any non-text tokens inside or around it."""
    blocks = [t.type for t in tokens]
    if blocks != ["paragraph_open", "inline", "paragraph_close"]:
        return "", blocks
    children = tokens[1].children or []
    return "".join(c.content for c in children if c.type == "text"), [
        c.type for c in children if c.type != "text"
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_reads_back_as_the_same_plain_text(text: str) -> None:
    tokens = _parser().parse(fmt.md_text(text))
    shown, other = _inline_text(tokens)
    assert other == [], f"{text!r} parsed into markup: {other}"
    assert shown == _flat(text), f"{text!r}: shown as {shown!r}"


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_inside_emphasis_stays_one_emphasis(text: str) -> None:
    """``*{md_text(x)}*`` (the chapters' italic notes) is one emphasis holding exactly the text."""
    tokens = _parser().parse(f"*{fmt.md_text(text)}*")
    children = tokens[1].children or []
    kinds = [c.type for c in children]
    assert kinds[0] == "em_open" and kinds[-1] == "em_close", kinds
    assert set(kinds[1:-1]) <= {"text"}, f"{text!r}: {kinds}"
    assert "".join(c.content for c in children[1:-1]) == _flat(text)


def test_md_text_leaves_chinese_and_digits_alone() -> None:
    assert fmt.md_text("2021 年网民规模为 10") == "2021 年网民规模为 10"
    assert fmt.md_text("网民规模（亿人）") == "网民规模（亿人）"


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_round_trips_and_has_no_markup(text: str) -> None:
    escaped = fmt.html_text(text)
    assert not set("<>\"'") & set(escaped)
    assert html.unescape(escaped) == text


@pytest.fixture
def styler_escape_restored() -> Iterator[None]:
    before = pd.get_option("styler.format.escape")
    yield
    pd.set_option("styler.format.escape", before)


def test_escape_html_tables_makes_styler_escape(styler_escape_restored: None) -> None:
    df = pd.DataFrame({"指标": ["<script>alert(1)</script>", "a & b"], "数值": [1.5, 2.0]})
    pd.set_option("styler.format.escape", None)
    assert (
        "<script>alert(1)</script>" in df.style.to_html()
    )  # pandas' default: raw, the reason for the helper
    fmt.escape_html_tables()
    out = df.style.hide(axis="index").to_html()
    assert "<script>alert" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "a &amp; b" in out


def test_importing_the_chapters_escapes_tables() -> None:
    """Every chapter notebook imports dcbook.chapters; that import alone must switch escaping on."""
    code = (
        "import pandas as pd, dcbook.chapters\n"
        "print(pd.get_option('styler.format.escape'))\n"
        "print(pd.DataFrame({'a': ['<b>x</b>']}).style.to_html())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0] == "html", out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>x</b>" not in out


def test_template_text_from_the_data_parses_as_plain_text() -> None:
    """A name from the data inserted by a template (here inside an italic note, as the ``missing`` phrase does)
    parses back as the literal name: no markup, no role, no link."""
    from dcbook import REPO_ROOT
    from dcbook import facts as F
    from dcbook.prose import engine

    evil = "网民规模<script>alert(1)</script>**粗体**{glue}`x`[链接](http://evil.example)"
    v = F.Value(indicator="x", name=evil, value=1, unit="亿人", qualifier="exact", year=2021)
    env = engine.environment(REPO_ROOT / "book" / "_templates")
    shown = engine.render_text(env, "*{{ f.v.name }}*", {"f": engine.Facts({"v": v})}, where="test")
    tokens = _parser().parse(shown)
    kinds = [c.type for c in tokens[1].children or []]
    assert kinds[0] == "em_open" and kinds[-1] == "em_close" and set(kinds[1:-1]) == {"text"}, kinds
    assert "".join(c.content for c in tokens[1].children[1:-1]) == evil


def test_build_info_page_shows_source_titles_as_text() -> None:
    """The 构建信息 page lists sources.csv titles in a Markdown table: a hostile title stays one plain cell."""
    from dcbook.pipeline.site import build_info_markdown

    evil = "报告<script>alert(1)</script>|**粗体**|[链接](http://evil.example){glue}`x`"
    report = {
        "edition": 2021,
        "finished": "2026-01-01T00:00:00Z",
        "data_vintage": "2022年7月",
        "counts": {"executed": 0, "cached": 0},
        "sources": [{"source_id": "dcr2021", "title": evil, "published": "2022-07", "edition_year": 2021}],
        "chapters": [],
        "versions": {},
    }
    tokens = _parser().parse(build_info_markdown(report))
    cells = [t for t in tokens if t.type == "inline" and "alert" in t.content]
    assert len(cells) == 1, [t.content for t in cells]
    kinds = {c.type for c in cells[0].children or []}
    assert kinds == {"text"}, kinds
    assert "".join(c.content for c in cells[0].children or []) == evil
