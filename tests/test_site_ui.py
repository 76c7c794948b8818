"""The site's interface wording and the staged edition, without a build (fast)."""

from __future__ import annotations

import yaml

from dcbook import REPO_ROOT
from dcbook.pipeline import site, ui


def test_interface_attributes_are_rewritten_and_text_is_not() -> None:
    page = (
        '<button title="Toggle primary sidebar">x</button><nav aria-label="Main">Main</nav>'
        '<a class="headerlink" title="Link to this heading">#</a>'
        '<button title="列印成 PDF"></button><input placeholder="Search..." aria-label="Search...">'
        '<p title="Mainland">Toggle primary sidebar</p>'
    )
    out = ui.translate_html(page)
    assert 'title="显示或隐藏全书目录"' in out and 'aria-label="全书目录">Main</nav>' in out
    assert 'title="链接到本节"' in out and 'title="打印"' in out
    assert 'placeholder="搜索…"' in out and 'aria-label="搜索…"' in out
    assert '<p title="Mainland">Toggle primary sidebar</p>' in out  # the book's own text is never touched
    assert ui.translate_html(out) == out  # idempotent: pages left alone by an incremental build stay right


def test_every_interface_wording_is_simplified_chinese() -> None:
    for english, chinese in ui.UI_STRINGS.items():
        assert chinese and not any("a" <= ch.lower() <= "z" for ch in chinese.replace("PDF", "")), english
        assert "列印" not in chinese


def test_edition_is_in_the_page_title() -> None:
    assert ui.edition_title("数字中国发展解读", 2020) == "数字中国发展解读（2020 年版）"


def test_staged_config_carries_the_edition() -> None:
    config = site.read_config(REPO_ROOT)
    staged = yaml.safe_load(site.config_with_edition(config, 2020))
    assert staged["sphinx"]["config"]["html_context"]["dcbook_edition"] == 2020
    staged["sphinx"]["config"]["html_context"].pop("dcbook_edition")
    if not staged["sphinx"]["config"]["html_context"]:
        staged["sphinx"]["config"].pop("html_context")
    assert staged == config  # nothing else changes
    assert "dcbook.pipeline.ui" in config["sphinx"]["extra_extensions"]


def test_search_scripts_are_dropped_from_other_pages() -> None:
    head = (
        '<script src="../_static/doctools.js?v=1"></script>\n'
        '    <script src="../_static/searchtools.js"></script>\n'
        '    <script src="../_static/language_data.js"></script>\n'
        '    <script src="../searchindex.js"></script>\n'
        '<script src="../_static/dcbook-editions.js?v=2"></script>\n'
    )
    out = ui.drop_search_scripts(head)
    assert "searchindex" not in out and "searchtools" not in out and "language_data" not in out
    assert "doctools.js" in out and "dcbook-editions.js" in out


def test_icon_script_is_dropped_from_every_page() -> None:
    head = (
        '  <script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>\n'
        '  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=55c2" />\n'
    )
    out = ui.drop_icon_script(head)
    assert "fontawesome" not in out and "bootstrap.js" in out
    assert ui.drop_icon_script(out) == out
