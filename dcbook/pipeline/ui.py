"""Sphinx extension (``extra_extensions: [dcbook.pipeline.ui]``): the site's interface in Simplified Chinese.

The book's text is Chinese, but the themes leave English and traditional Chinese in the page chrome: some
strings are hard-coded in sphinx-book-theme's templates ("Toggle primary sidebar", ``aria-label="Main"``),
some have no zh_CN translation ("Color mode", Sphinx's "Link to this heading") and one has a traditional one
("列印成 PDF"). No gettext catalogue reaches the hard-coded ones, so the written pages are corrected once the
build has finished: :data:`UI_STRINGS` names each attribute value and its Simplified Chinese wording, and only
those exact ``attribute="value"`` pairs are rewritten (the book's own text is never touched). The rewrite is
idempotent, so pages that an incremental build did not rewrite stay correct.

Pages other than the search page lose the three search scripts pydata-sphinx-theme adds to every page for
its search-as-you-type option, which the book does not use (the search box opens ``search.html``): the index
alone is about half a megabyte that a chapter page fetched for nothing (:func:`drop_search_scripts`).

Every page loses pydata-sphinx-theme's ``fontawesome.js`` (1.49 MB, a quarter of a chapter page's compressed
weight), which only swaps the ``<i class="fa-…">`` icons for inline SVG: the theme's stylesheet already
draws the same icons from Font Awesome's web fonts, which the browser fetches only for glyphs in use
(:func:`drop_icon_script`). The script is deleted from ``_static`` too, so the site does not ship it.

It also puts the edition into every page's ``<title>`` ("5. 数字经济 — 数字中国发展解读（2021 年版）"):
``dcbook build`` stages ``_config.yml`` with ``html_context.dcbook_edition`` set.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: attribute value as the themes write it → the wording readers see (for aria-label, title, placeholder …).
UI_STRINGS: dict[str, str] = {
    "Link to this heading": "链接到本节",
    "Link to this definition": "链接到此定义",
    "Link to this code": "链接到此代码",
    "Link to this image": "链接到此图片",
    "Link to this table": "链接到此表格",
    "Search...": "搜索…",
    "Search": "搜索",
    "Main": "全书目录",
    "Page": "本页目录",
    "Toggle primary sidebar": "显示或隐藏全书目录",
    "Toggle secondary sidebar": "显示或隐藏本页目录",
    "Color mode": "颜色模式",
    "System Settings": "跟随系统",
    "Light": "浅色",
    "Dark": "深色",
    "列印成 PDF": "打印",
    "Print to PDF": "打印",
    "Download this page": "下载本页",
    "Download source file": "下载源文件",
    "Download notebook file": "下载笔记本文件",
    "Fullscreen mode": "全屏模式",
    "Back to top": "回到顶部",
    "Skip to main content": "跳到正文",
    "Section Navigation": "本部分导航",
    "Site navigation": "网站导航",
    "Breadcrumb": "路径",
    "Table of contents": "目录",
    "Contents": "目录",
}
#: Attributes that carry interface wording.
UI_ATTRIBUTES = ("title", "aria-label", "placeholder", "data-bs-title", "alt")

_ATTR = re.compile(r"\b(" + "|".join(UI_ATTRIBUTES) + r')="([^"]*)"')


def translate_html(text: str, strings: Mapping[str, str] = UI_STRINGS) -> str:
    """``text`` with every interface attribute whose value is a key of ``strings`` given its wording."""

    def swap(match: re.Match[str]) -> str:
        value = html.unescape(match.group(2))
        if value in strings:
            return f'{match.group(1)}="{html.escape(strings[value], quote=True)}"'
        return match.group(0)

    return _ATTR.sub(swap, text)


_SEARCH_SCRIPTS = re.compile(
    r'[ \t]*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)[^"]*">'
    r"</script>\n?"
)


def drop_search_scripts(text: str) -> str:
    """``text`` (a page that is not the search page) without the search index and search scripts."""
    return _SEARCH_SCRIPTS.sub("", text)


_ICON_SCRIPT = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')
#: The theme's icon script and its companions, deleted from the built ``_static``.
ICON_SCRIPT_FILES = ("fontawesome.js", "fontawesome.js.map", "fontawesome.js.LICENSE.txt")


def drop_icon_script(text: str) -> str:
    """``text`` (any page) without the theme's ``fontawesome.js`` (its stylesheet draws the icons)."""
    return _ICON_SCRIPT.sub("", text)


def edition_title(title: str, edition: object) -> str:
    """The book's title with the edition, for every page's ``<title>``: "数字中国发展解读（2021 年版）"."""
    return f"{title}（{int(edition)} 年版）"  # type: ignore[call-overload]


def _page_context(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    edition = (app.config.html_context or {}).get("dcbook_edition")
    if edition is not None:
        # the themes build <title> from docstitle ("页面 — 书名", the search page "搜索 - 书名")
        context["docstitle"] = edition_title(app.config.html_title or app.config.project, edition)


def _rewrite_pages(app: Any, exception: BaseException | None) -> None:
    if exception is not None or getattr(app.builder, "format", None) != "html":
        return
    outdir = Path(app.builder.outdir)
    search_page = outdir / "search.html"
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new = drop_icon_script(translate_html(text))
        if page != search_page:
            new = drop_search_scripts(new)
        if new != text:
            page.write_text(new, encoding="utf-8")
    for name in ICON_SCRIPT_FILES:
        (outdir / "_static" / "scripts" / name).unlink(missing_ok=True)


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _rewrite_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
