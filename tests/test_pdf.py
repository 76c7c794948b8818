"""The PDF edition: LaTeX log checks, the generated LaTeX config, and a real XeLaTeX build of a mini book."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import nbformat
import pdfcheck
import pytest
import yaml

from dcbook import pdf
from dcbook.pdf import sphinx_ext

# ---- check_latex_log ---------------------------------------------------------------------------------------

CLEAN_LOG = textwrap.dedent(
    r"""
    This is XeTeX, Version 3.141592653-2.6-0.999995 (TeX Live 2023/Debian) (preloaded format=xelatex)
    Overfull \hbox (3.2pt too wide) in paragraph at lines 88--90
    []\TU/NotoSerif(0)/m/n/10.95 国家
    Underfull \hbox (badness 10000) in paragraph at lines 91--92
    LaTeX Warning: Label `ch01:foo' multiply defined.
    Output written on dcbook-2021.pdf (12 pages).
    """
)


def test_clean_log_has_no_problems() -> None:
    # a 3.2pt overfull box, an underfull box and a duplicate label are not failures
    assert pdf.check_latex_log(CLEAN_LOG) == []


def test_missing_character_is_reported_with_code_point_and_font() -> None:
    log = CLEAN_LOG + "Missing character: There is no 华 in font [lmroman10-regular]:mapping=tex-text;!\n"
    problems = pdf.check_latex_log(log)
    assert len(problems) == 1
    assert "华 (U+534E)" in problems[0]
    assert "lmroman10-regular" in problems[0]


def test_repeated_missing_character_is_counted_once() -> None:
    line = "Missing character: There is no → in font NotoSerif:mapping=tex-text;!\n"
    problems = pdf.check_latex_log(line * 5)
    assert problems == ["missing character → (U+2192) in font NotoSerif:mapping=tex-text; (×5)"]


def test_undefined_reference_and_citation() -> None:
    log = textwrap.dedent(
        """
        LaTeX Warning: Reference `ch02:fig-users' on page 7 undefined on input line 412.
        LaTeX Warning: Citation `dcr2022' on page 9 undefined on input line 530.
        LaTeX Warning: There were undefined references.
        """
    )
    problems = pdf.check_latex_log(log)
    assert "undefined reference 'ch02:fig-users' (page 7)" in problems
    assert "undefined citation 'dcr2022' (page 9)" in problems
    assert "LaTeX: there were undefined references" in problems


def test_overfull_hbox_over_tolerance_names_lines_and_text() -> None:
    log = "Overfull \\hbox (45.6pt too wide) in paragraph at lines 120--125\n[]\\TU/DejaVuSansMono(0)/m/n/9 https://example\n"
    problems = pdf.check_latex_log(log)
    assert len(problems) == 1
    assert "45.6pt" in problems[0] and "lines 120--125" in problems[0] and "https://example" in problems[0]
    # the tolerance is a parameter
    assert pdf.check_latex_log(log, hbox_tolerance_pt=50) == []
    assert pdf.check_latex_log(log.replace("45.6", "20"), hbox_tolerance_pt=20) == []


def test_tex_error_is_reported() -> None:
    log = "! LaTeX Error: File `bbm.sty' not found.\n\nType X to quit or <RETURN> to proceed,\n"
    assert pdf.check_latex_log(log) == ["TeX error: LaTeX Error: File `bbm.sty' not found."]


# ---- latex_config ----------------------------------------------------------------------------------------------


def test_latex_config_sets_engine_fonts_title_and_support_files() -> None:
    cfg = pdf.latex_config(2021, "2022年7月（数字中国发展报告（2021年））")
    assert cfg["latex"]["latex_engine"] == "xelatex"
    assert cfg["latex"]["latex_documents"]["targetname"] == "dcbook-2021.tex"
    sphinx = cfg["sphinx"]["config"]
    elements = sphinx["latex_elements"]
    assert "ctex" in elements["fontenc"]
    for face in ("Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Serif"):
        assert f"{{{face}}}" in elements["fontpkg"]
    assert "FreeSerif" not in json.dumps(cfg)
    assert r"\def\dcbookEdition{2021}" in elements["preamble"]
    assert "2022年7月" in elements["preamble"]
    assert elements["maketitle"] == r"\dcbookmaketitle"
    # every support file named in the config exists in the repository
    for rel in sphinx["latex_additional_files"]:
        assert (pdf.LATEX_SUPPORT_DIR / Path(rel).name).is_file(), rel
    assert any(Path(rel).name == "bbm.sty" for rel in sphinx["latex_additional_files"])


def test_latex_config_escapes_tex_specials_and_rejects_empty_vintage() -> None:
    cfg = pdf.latex_config(2020, "50% & #1_a")
    assert r"\def\dcbookVintage{50\% \& \#1\_a}" in cfg["sphinx"]["config"]["latex_elements"]["preamble"]
    with pytest.raises(ValueError, match="data_vintage"):
        pdf.latex_config(2020, " ")


def test_merge_config_is_deep_and_does_not_mutate() -> None:
    base = {"title": "书", "sphinx": {"config": {"language": "en", "html_theme": "x"}}, "latex": {"a": 1}}
    merged = pdf.merge_config(base, {"sphinx": {"config": {"language": "zh_CN"}}, "latex": {"b": 2}})
    assert merged == {
        "title": "书",
        "sphinx": {"config": {"language": "zh_CN", "html_theme": "x"}},
        "latex": {"a": 1, "b": 2},
    }
    assert base["sphinx"]["config"]["language"] == "en"


def test_stage_latex_merges_into_staged_copy_only(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        "title: 数字中国发展解读\nsphinx:\n  config:\n    html_theme: x\n", encoding="utf-8"
    )
    pdf.stage_latex(tmp_path, 2021, "2022年7月")
    cfg = yaml.safe_load((tmp_path / "_config.yml").read_text(encoding="utf-8"))
    assert cfg["title"] == "数字中国发展解读"
    assert cfg["sphinx"]["config"]["html_theme"] == "x"
    assert cfg["sphinx"]["config"]["language"] == "zh_CN"
    assert (tmp_path / "_static" / "latex" / "bbm.sty").is_file()
    assert (tmp_path / "_static" / "latex" / "dcbook.sty").is_file()


def test_stage_latex_names_a_broken_config(tmp_path: Path) -> None:
    with pytest.raises(pdf.PdfBuildError, match=r"_config\.yml: missing"):
        pdf.stage_latex(tmp_path, 2021, "x")
    (tmp_path / "_config.yml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(pdf.PdfBuildError, match="expected a mapping"):
        pdf.stage_latex(tmp_path, 2021, "x")


def test_bbm_stub_defines_mathbbm() -> None:
    text = (pdf.LATEX_SUPPORT_DIR / "bbm.sty").read_text(encoding="utf-8")
    assert r"\ProvidesPackage{bbm}" in text
    assert r"\providecommand{\mathbbm}[1]{\mathbb{#1}}" in text


# ---- the Sphinx extension: HTML-only outputs, table widths, identifiers, appendices, bibliography -----------

STYLER_HTML = """<style type="text/css">
#T_1 td { color: red; }
</style>
<table id="T_1">
  <thead><tr><th class="col_heading">省份</th><th class="col_heading">地区</th></tr></thead>
  <tbody>
    <tr><td>北京</td><td>东部</td></tr>
    <tr><td>内蒙古</td><td>西&amp;部<br>北</td></tr>
  </tbody>
</table>
"""


def _bundle(**mimes: str):
    """A myst-nb mime bundle as it stands before SelectMimeType: one container per mime type."""
    from docutils import nodes

    bundle = nodes.container(nb_element="mime_bundle")
    for mime, text in mimes.items():
        kind = mime.replace("_", "/", 1)
        child = (
            nodes.raw(text=text, format="html") if kind == "text/html" else nodes.literal_block(text, text)
        )
        bundle += nodes.container("", child, mime_type=kind)
    return bundle


def _doc(*children):
    from docutils import frontend, nodes, utils
    from docutils.parsers.rst import Parser

    settings = frontend.get_default_settings(Parser)
    doc = utils.new_document("test", settings)
    section = nodes.section("", nodes.title("", "第一章"), *children)
    doc += section
    return doc


def test_html_tables_reads_headers_and_cells_without_style() -> None:
    tables = sphinx_ext.html_tables(STYLER_HTML)
    assert tables == [([["省份", "地区"]], [["北京", "东部"], ["内蒙古", "西&部 北"]])]
    with pytest.raises(ValueError, match="merged cells"):
        sphinx_ext.html_tables('<table><tr><td colspan="2">x</td></tr></table>')
    assert sphinx_ext.html_tables("<p>no table</p>") == []


def test_html_only_outputs_get_a_printed_form() -> None:
    from docutils import nodes
    from sphinx import addnodes

    warnings: list[str] = []
    styler = _bundle(text_html=STYLER_HTML, text_plain="<pandas.io.formats.style.Styler at 0x7f71>")
    wide = _bundle(
        text_html="<table><tr>" + "".join(f"<th>c{i}</th>" for i in range(8)) + "</tr></table>",
        text_plain="<pandas.io.formats.style.Styler at 0x1>",
    )
    catalogue = _bundle(
        text_html='<div class="dcbook-filter-table"><input><table><tr><td>a</td></tr></table></div>',
        text_plain="<IPython.core.display.HTML object>",
    )
    widget = _bundle(text_html="<div>interactive</div>", text_plain="<IPython.core.display.HTML object>")
    chart = _bundle(text_html="<figure>chart</figure>", image_png="PNG", text_plain="图表：x")
    described = _bundle(text_html="<div>x</div>", text_plain="一段可读的说明")
    doc = _doc(styler, wide, catalogue, widget, chart, described)
    replaced = sphinx_ext._print_html_outputs(
        doc, "book/appendix_catalogue", "book/13_methods", lambda msg, node: warnings.append(msg)
    )
    assert replaced == 4
    tables = list(doc.findall(nodes.table))
    assert len(tables) == 2
    assert sphinx_ext.PRINTED_TABLE_CLASS in tables[0]["classes"]
    assert [e.astext() for e in tables[0].findall(nodes.entry)][:4] == ["省份", "地区", "北京", "东部"]
    # eight columns: one size smaller, in the dcbookwide container dcbook.sty styles
    assert sphinx_ext.WIDE_TABLE_CLASS in tables[1]["classes"] and "dcbookwide" in tables[1].parent["classes"]
    # the filter box becomes a note that points to the catalogue appendix
    ref = next(iter(doc.findall(addnodes.pending_xref)))
    assert ref["reftarget"] == "/book/appendix_catalogue" and ref["reftype"] == "doc"
    assert "网页版" in ref.parent.astext()
    # HTML with nothing printable is dropped, with a warning; a chart bundle and a described one stay
    assert len(warnings) == 1 and "no printable form" in warnings[0]
    left = [n for n in doc.findall(nodes.container) if n.get("nb_element") == "mime_bundle"]
    assert left == [chart, described]


def test_column_weights_keep_narrow_columns_and_fit_the_page() -> None:
    body = [["fiber_share_of_broadband_change_pp", "固定宽带家庭普及率较上年变化" * 2, "个百分点", "1"]]
    head = [["指标编号", "指标名称", "单位", "观测值条数"]]
    natural = sphinx_ext.column_weights(body, header=head)
    # a header may take two lines: "观测值条数" over "1" needs 3 characters (6 half-ems), plus the pad
    assert natural[3] == 6 + 3
    assert natural[2] == 8 + 3  # "个百分点" on one line
    fitted = sphinx_ext.column_weights(body, header=head, available=60)
    assert fitted[2:] == natural[2:]  # unit and count keep their natural width
    assert fitted[0] < natural[0] and fitted[1] < natural[1]
    assert abs(sum(fitted) - 60) <= 2
    # within the width nothing changes
    assert sphinx_ext.column_weights(body, header=head, available=500) == natural


def test_column_weights_share_by_typical_not_longest_cell() -> None:
    # column 0: one very long cell among short ones; column 1: uniformly long cells
    body = [["a" * 40 if i == 0 else "abc", "b" * 30] for i in range(20)]
    fitted = sphinx_ext.column_weights(body, available=50)
    assert fitted[1] > fitted[0]  # the rare long cell wraps instead of widening its column


def test_fit_tables_sets_widths_of_long_printed_and_overwide_tables() -> None:
    from docutils import nodes

    short = sphinx_ext.table_node([["年份", "值"]], [["2021", "1"]])
    printed = sphinx_ext.table_node([["a", "b"]], [["x", "y"]])
    long = sphinx_ext.table_node([["a", "b"]], [[str(i), "y"] for i in range(40)])
    for t in (short, long):
        t["classes"].remove(sphinx_ext.PRINTED_TABLE_CLASS)
    doc = _doc(short, printed, long)
    assert sphinx_ext._fit_tables(doc) == 2
    assert "colwidths-given" not in short["classes"]
    assert "colwidths-given" in printed["classes"] and "colwidths-given" in long["classes"]
    assert all(spec["colwidth"] > 0 for spec in long.findall(nodes.colspec))


def test_long_identifiers_in_table_cells_may_break_after_underscores() -> None:
    from docutils import nodes

    table = sphinx_ext.table_node([["编号"]], [["admin_village_4g_coverage"], ["dcr2021"]])
    code = nodes.literal("internet_users_total", "internet_users_total")
    doc = _doc(table, nodes.paragraph("", "", code))
    assert sphinx_ext._break_long_identifiers(doc) == 1
    entry = list(table.findall(nodes.entry))[1]
    text = "".join(str(t) for t in entry.findall(nodes.Text) if not isinstance(t.parent, nodes.raw))
    assert text == "admin_village_4g_coverage"  # the printed text is unchanged
    breaks = [n for n in entry.findall(nodes.raw) if "allowbreak" in n.astext()]
    assert len(breaks) == 3 and all(b["format"] == "latex" for b in breaks)
    assert not list(code.findall(nodes.raw))  # code outside tables is left alone


def test_markup_and_urls_in_table_cells_may_break_too() -> None:
    """A source title carrying markup (the hostile-data build) must not overrun its column in the PDF."""
    from docutils import nodes

    cell = "《报告》 <script>alert(5)</script> (http://evil.example) 1,234,567.8"
    table = sphinx_ext.table_node([["来源"]], [[cell]])
    assert sphinx_ext._break_long_identifiers(_doc(table)) == 2
    entry = list(table.findall(nodes.entry))[1]
    pieces = [
        n.astext() if not isinstance(n, nodes.raw) else "|"
        for n in entry.findall(
            lambda n: isinstance(n, (nodes.Text, nodes.raw)) and not isinstance(n.parent, nodes.raw)
        )
    ]
    assert "".join(pieces) == "《报告》 <script>|alert(|5)</|script> (|http:/|/|evil.example) 1,234,567.8"


def _assembled_book():
    """A LaTeX-assembled tree: a part "附录" with two appendix chapters, the second holding the citations.

    Built like Sphinx's inline_all_toctrees: the chapters' sections keep their own document as parent.
    """
    from docutils import nodes, utils
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from sphinx import addnodes

    settings = get_default_settings(Parser)
    book = utils.new_document("book", settings)

    def chapter(docname: str, title: str, *body):
        own = utils.new_document(docname, settings)
        own += nodes.section("", nodes.title("", title), *body)
        sof = addnodes.start_of_file(docname=docname)
        sof.children = own.children  # not re-parented, as in Sphinx
        return sof

    citations = [nodes.citation("", nodes.label("", k), nodes.paragraph("", k)) for k in ("a", "b")]
    catalogue = chapter("book/appendix_catalogue", "附录：指标目录", nodes.paragraph("", "表"))
    refs = chapter(
        "book/references", "参考文献", nodes.paragraph("", "来源如下。"), nodes.container("", *citations)
    )
    part = nodes.section("", nodes.title("", "附录"), nodes.compound("", catalogue, refs), docname="附录")
    part_file = addnodes.start_of_file(docname="附录")
    part_file += part
    book += part_file
    return book, part, catalogue, refs, citations


def test_back_matter_letters_appendices_and_keeps_the_bibliography_in_its_chapter() -> None:
    from docutils import nodes
    from sphinx.builders.latex.nodes import thebibliography

    book, part, catalogue, refs, citations = _assembled_book()
    assert sphinx_ext._mark_bibliographies(book) == 1
    # what Sphinx's BibliographyTransform (priority 750) does: gather the citations at the end
    gathered = thebibliography()
    for cite in citations:
        cite.parent.remove(cite)
        gathered += cite
    book += gathered
    warnings: list[str] = []
    sphinx_ext._arrange_back_matter(book, "附录", lambda msg, node: warnings.append(msg))
    assert not warnings
    # the bibliography is back inside 参考文献, and nothing is left at the end of the book
    bib = next(iter(book.findall(thebibliography)))
    assert not isinstance(book[-1], thebibliography)
    assert any(n is bib for n in refs[0].findall(thebibliography))
    assert [c[0].astext() for c in bib.children] == ["a", "b"]
    # \dcbookappendix right after the part title; appendix titles lose "附录："
    assert part[1].astext() == r"\dcbookappendix"
    assert catalogue[0][0].astext() == "指标目录"
    # the bibliography chapter is bracketed unnumbered
    raws = [n.astext() for n in part.findall(nodes.raw)]
    assert raws == [r"\dcbookappendix", r"\dcbookunnumbered", r"\dcbooknumbered"]
    assert (
        refs.parent.index(refs)
        == refs.parent.index(next(n for n in refs.parent.children if "unnumbered" in n.astext())) + 1
    )


def test_chapter_pages_finds_openings_after_the_contents() -> None:
    texts = [
        "数字中国发展解读 2021年版",
        "目录 1 总览 . . . . . 7 2 数字经济 . . . . . 9",
        "A 指标目录 . . . . . 12 参考文献 15",
        "本书是一本可以重新运行的分析报告",  # the root page, no heading of its own
        "第一部分 全局",
        "第一章 总览 正文",
        "2021年版 数字中国发展解读 正文",
        "第二章 数字经济 正文",
        "附录A 指标目录 表",
        "附录A 指标目录 续表",
        "参考文献 来源",
    ]
    ranges = pdfcheck.chapter_pages(texts, ["导读", "总览", "数字经济", "附录：指标目录", "参考文献", "缺失"])
    assert ranges == {
        "导读": (4, 6),
        "总览": (6, 8),
        "数字经济": (8, 9),
        "附录：指标目录": (9, 11),
        "参考文献": (11, 12),
    }


def test_latex_config_restores_the_contents_title_and_finds_the_templates() -> None:
    cfg = pdf.latex_config(2021, "2022年7月")
    sphinx = cfg["sphinx"]["config"]
    assert r"\renewcommand{\contentsname}{目录}" in sphinx["latex_elements"]["tableofcontents"]
    assert sphinx["templates_path"] == [pdf.STAGED_LATEX_DIR]
    for name in pdf.LATEX_TEMPLATE_FILES:
        text = (pdf.LATEX_SUPPORT_DIR / name).read_text(encoding="utf-8")
        # the closing rule is the last foot, not the last body line
        assert "\\sphinxbottomrule\n\\endlastfoot" in text
    sty = (pdf.LATEX_SUPPORT_DIR / "dcbook.sty").read_text(encoding="utf-8")
    for macro in (r"\dcbookappendix", r"\dcbookunnumbered", r"\dcbooknumbered", "sphinxclassdcbookwide"):
        assert macro in sty, macro


# ---- a real build of a mini book ------------------------------------------------------------------------------

CHAPTERS = {
    "ch01_overview": "总体进展",
    "ch02_infra": "信息基础设施",
    "appendix_catalogue": "附录：指标目录",
}
CHART_TITLES = ("网民规模", "各省份数字经济规模")
GLUED = "10.32 亿人"

CONFIG = """\
title: 数字中国发展解读
author: 数字中国发展解读编写组
only_build_toc_files: true
execute:
  execute_notebooks: "off"
bibtex_bibfiles:
  - references.bib
sphinx:
  config:
    bibtex_reference_style: author_year
    dcbook_catalogue_doc: appendix_catalogue
parse:
  myst_enable_extensions:
    - dollarmath
    - colon_fence
"""
TOC = """\
format: jb-book
root: index
parts:
  - caption: 正文
    chapters:
      - file: ch01_overview
      - file: ch02_infra
  - caption: 附录
    chapters:
      - file: appendix_catalogue
      - file: references
"""
REFERENCES = """\
# 参考文献

本书引用的来源如下。

```{bibliography}
```
"""
BIB = """\
@techreport{dcr2021,
  title = {数字中国发展报告（2021年）},
  author = {{国家互联网信息办公室}},
  year = {2022},
  institution = {国家互联网信息办公室},
}
"""
INDEX = """\
# 数字中国发展解读

本书解读《数字中国发展报告》等五份文件（{cite:p}`dcr2021`），每个数字都来自原文引文。
"""

SETUP_CELL = """\
import pandas as pd
from myst_nb import glue
from dcbook import charts, render

def rows(values, region="全国", indicator="internet_users", name="网民规模", unit="亿人"):
    return pd.DataFrame([
        {"indicator_id": indicator, "name_zh": name, "region": region, "unit": unit, "year": y, "value": v,
         "qualifier": q, "source_id": "dcr2021", "source_title": "数字中国发展报告（2021年）",
         "edition_year": 2021, "quote": f"{name}达{v}{unit}", "domain": "digital_society"}
        for y, v, q in values
    ])
"""


def _notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # Chapters hide their code (the HTML offers a toggle); on paper only the outputs remain.
    nb.cells = [
        nbformat.v4.new_markdown_cell(src)
        if kind == "md"
        else nbformat.v4.new_code_cell(src, metadata={"tags": ["hide-input"]})
        for kind, src in cells
    ]
    return nb


def make_mini_book(root: Path) -> dict[str, list[str]]:
    """Write and execute a three-chapter book in ``root``; return what the PDF must show."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (root / "_toc.yml").write_text(TOC, encoding="utf-8")
    (root / "references.bib").write_text(BIB, encoding="utf-8")
    (root / "index.md").write_text(INDEX, encoding="utf-8")
    (root / "references.md").write_text(REFERENCES, encoding="utf-8")
    definition = "按照报告口径统计的全国范围内年末数值，含移动互联网接入用户，不含境外用户与重复计算部分"
    long_rows = "\n".join(
        f"| 指标{i:02d} | internet_users_{i} | 亿人 | {i * 1.5:.1f} | {definition} |" for i in range(1, 61)
    )
    notebooks = {
        "ch01_overview": [
            (
                "md",
                f"# {CHAPTERS['ch01_overview']}\n\n数字中国建设取得显著成效。网民规模达到 {{glue:text}}`users_latest:.2f` 亿人（{{cite:t}}`dcr2021`）。",
            ),
            ("code", SETUP_CELL),
            (
                "code",
                'users = rows([(2017, 7.72, "exact"), (2019, 9.04, "exact"), (2021, 10.32, "lower_bound")])\n'
                'glue("users_latest", 10.32, display=False)\n'
                f'render.show(charts.line_chart(users, title="{CHART_TITLES[0]}", takeaway=charts.takeaway_growth(users)))',
            ),
            (
                "md",
                "## 发展环境\n\n“十四五”时期，数字经济核心产业增加值占 GDP 比重目标为 10%，"
                "较 2020 年的 7.8% 提高 2.2 个百分点 → 年均增速 ≥ 6.5%；约 1/3 的省份 "
                "（含北京、上海等）已达成——详见第 {ref}`ch02` 节及表格。符号：±、×、…、①、℃、‰、·。\n\n"
                "| 年份 | 网民规模（亿人） | 互联网普及率（%） |\n|---|---|---|\n"
                "| 2017 | 7.72 | 55.8 |\n| 2021 | 10.32 | 73.0 |\n",
            ),
        ],
        "ch02_infra": [
            (
                "md",
                f"(ch02)=\n# {CHAPTERS['ch02_infra']}\n\n## 网络基础设施\n\n截至 2021 年底，我国建成全球规模最大的光纤和移动通信网络。",
            ),
            ("code", SETUP_CELL),
            (
                "code",
                'prov = pd.concat([rows([(2021, v, "exact")], region=r, indicator="digital_economy_scale",'
                ' name="数字经济规模", unit="万亿元") for r, v in [("广东", 5.9), ("江苏", 5.1), ("山东", 4.1), ("浙江", 3.6)]])\n'
                f'render.show(charts.bar_ranking(prov, title="{CHART_TITLES[1]}"))',
            ),
            ("md", "各省份数字经济规模表："),
            (
                "code",
                'pd.DataFrame({"省份": ["广东", "江苏"], "数值": ["5.9", "5.1"]}).style.hide(axis="index")',
            ),
            (
                "code",
                "from IPython.display import HTML\n"
                'HTML(\'<div class="dcbook-filter-table"><label>筛选指标：<input type="search"></label>'
                "<table><tr><td>a</td></tr></table></div>')",
            ),
        ],
        "appendix_catalogue": [
            (
                "md",
                f"# {CHAPTERS['appendix_catalogue']}\n\n下表列出指标目录（60 行，跨页）。\n\n"
                "| 指标名称 | 指标编号 | 单位 | 数值 | 定义 |\n|---|---|---|---|---|\n" + long_rows + "\n",
            ),
        ],
    }
    from nbclient import NotebookClient

    for name, cells in notebooks.items():
        nb = _notebook(cells)
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root)}}
        ).execute()
        nbformat.write(nb, root / f"{name}.ipynb")
    return {"toc_titles": list(CHAPTERS.values()), "figures": [GLUED], "chart_titles": list(CHART_TITLES)}


def _tools_present() -> bool:
    return all(shutil.which(t) for t in ("xelatex", "latexmk", "pdftotext", "pdffonts", "pdftoppm"))


@pytest.fixture(scope="module")
def mini_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    if not _tools_present():
        pytest.skip("XeLaTeX / latexmk / poppler-utils not installed")
    root = tmp_path_factory.mktemp("minibook")
    expected = make_mini_book(root / "src")
    out = root / "pdf"
    path = pdf.build_pdf(root / "src", out, edition=2021, data_vintage="2022年7月")
    return path, expected


@pytest.mark.slow
def test_mini_book_pdf_is_a_complete_book(mini_pdf: tuple[Path, dict[str, list[str]]]) -> None:
    path, expected = mini_pdf
    assert path.name == pdf.pdf_name(2021)
    pdfcheck.assert_pdf_book(
        path,
        expected["toc_titles"],
        expected["figures"],
        chart_titles=expected["chart_titles"],
        chapter_charts={
            CHAPTERS["ch01_overview"]: [CHART_TITLES[0]],
            CHAPTERS["ch02_infra"]: [CHART_TITLES[1]],
        },
        chapter_contents={
            CHAPTERS["appendix_catalogue"]: ["指标60"],
            "参考文献": ["数字中国发展报告（2021年）"],
        },
    )
    texts = pdfcheck.page_texts(path)
    squashed = [re.sub(r"\s+", "", t) for t in texts]
    # title page: title, edition and data vintage
    assert (
        "数字中国发展解读" in squashed[0]
        and "2021年版" in squashed[0]
        and "数据截至：2022年7月" in squashed[0]
    )
    # Chinese captions and chapter numbers from ctex/dcbook.sty, not "Contents"/"CHAPTER 1"
    whole = "".join(squashed)
    assert "目录" in whole and "第一章" in whole and "第二章" in whole
    assert "Contents" not in whole and "CHAPTER" not in whole.upper().replace("CHAPTERS", "")
    # the bibliography entry and the citation
    assert "数字中国发展报告（2021年）" in whole
    # the HTML-only CSV link is not on paper
    assert "下载数据" not in whole
    # parts are "第一部分"; the 附录 part's chapters are lettered, the bibliography chapter is unnumbered
    assert "第一部分" in whole and "第二部分" in whole and "Part" not in whole
    assert "附录A指标目录" in whole and "第三章" not in whole and "附录B" not in whole
    assert any(t.startswith("参考文献本书引用的来源如下") for t in squashed)
    # the contents are titled 目录, not after the first part ("正文")
    assert any(t.startswith("目录") for t in squashed[1:4])
    # a pandas table (HTML only) is printed as a table, not as its repr; the filter box becomes a note
    assert "<pandas" not in whole and "Styler" not in whole and "IPython" not in whole
    assert "各省份数字经济规模表：省份数值广东5.9江苏5.1" in whole
    assert "网页版在此提供" in whole and "筛选指标" not in whole
    # the 60-row table breaks across pages: its first and last rows are on different pages
    first = next(i for i, t in enumerate(squashed) if "指标01" in t)
    last = next(i for i, t in enumerate(squashed) if "指标60" in t)
    assert last > first


@pytest.mark.slow
def test_mini_book_log_is_clean_and_a_broken_build_keeps_the_old_pdf(
    mini_pdf: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    path, _ = mini_pdf
    log = path.parent.parent / ".pdf-work" / "2021" / "_build" / "latex" / "dcbook-2021.log"
    assert pdf.check_latex_log(log.read_text(encoding="utf-8", errors="replace")) == []
    # a page with a glyph no configured font has (U+1D11E MUSICAL SYMBOL G CLEF) fails the build
    src = path.parent.parent / "src"
    broken = tmp_path / "src"
    shutil.copytree(src, broken)
    (broken / "index.md").write_text(INDEX + "\n乐谱符号：\U0001d11e\n", encoding="utf-8")
    out = tmp_path / "pdf"
    out.mkdir()
    old = out / pdf.pdf_name(2021)
    old.write_bytes(b"%PDF-1.5 previous good build")
    with pytest.raises(pdf.PdfBuildError, match=r"missing character .*U\+1D11E"):
        pdf.build_pdf(broken, out, edition=2021, data_vintage="2022年7月")
    assert old.read_bytes() == b"%PDF-1.5 previous good build"


@pytest.mark.slow
def test_mini_book_embeds_cjk_fonts(mini_pdf: tuple[Path, dict[str, list[str]]]) -> None:
    path, _ = mini_pdf
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in out.splitlines() if "NotoSerifCJK" in line or "NotoSansCJK" in line]
    assert cjk, out
    # columns from the right: ID, object, uni, sub, emb
    assert all(line.split()[-5] == "yes" for line in cjk), out
    assert {f["emb"] for f in pdfcheck.embedded_fonts(path)} == {"yes"}


@pytest.mark.slow
@pytest.mark.parametrize(("body", "blank"), [(r"\vspace{6cm}", True), (r"\rule{10cm}{3cm}", False)])
def test_chart_ink_tells_a_drawn_chart_from_a_blank_one(tmp_path: Path, body: str, blank: bool) -> None:
    if not _tools_present():
        pytest.skip("XeLaTeX / poppler-utils not installed")
    tex = tmp_path / "c.tex"
    tex.write_text(
        "\\documentclass{article}\\usepackage[fontset=none]{ctex}\\setCJKmainfont{Noto Sans CJK SC}"
        f"\\begin{{document}}网民规模\\par 2017–2021 年由 7.72 亿人增至 10.32 亿人\\par {body}\\par "
        "来源：《数字中国发展报告（2021年）》\\end{document}\n",
        encoding="utf-8",
    )
    subprocess.run(
        ["xelatex", "-interaction=nonstopmode", tex.name], cwd=tmp_path, capture_output=True, check=True
    )
    ink = pdfcheck.chart_ink(tmp_path / "c.pdf", 1, "网民规模")
    assert ink is not None
    assert (ink < 0.003) is blank, ink
