"""The PDF edition: LaTeX log checks, the generated LaTeX config, and a real XeLaTeX build of a mini book."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml

from dcbook import pdf

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
parse:
  myst_enable_extensions:
    - dollarmath
    - colon_fence
"""
TOC = """\
format: jb-book
root: index
chapters:
  - file: ch01_overview
  - file: ch02_infra
  - file: appendix_catalogue
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
        ],
        "appendix_catalogue": [
            (
                "md",
                f"# {CHAPTERS['appendix_catalogue']}\n\n下表列出指标目录（60 行，跨页）。\n\n"
                "| 指标名称 | 指标编号 | 单位 | 数值 | 定义 |\n|---|---|---|---|---|\n"
                + long_rows
                + "\n\n## 参考文献\n\n```{bibliography}\n```\n",
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
    pdf.assert_pdf_book(
        path, expected["toc_titles"], expected["figures"], chart_titles=expected["chart_titles"]
    )
    texts = pdf.page_texts(path)
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
    assert {f["emb"] for f in pdf.embedded_fonts(path)} == {"yes"}


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
    ink = pdf.chart_ink(tmp_path / "c.pdf", 1, "网民规模")
    assert ink is not None
    assert (ink < 0.003) is blank, ink
